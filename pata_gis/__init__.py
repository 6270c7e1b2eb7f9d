"""pata-gis: risk mapping and desegregation planning for Pata Rât, Cluj-Napoca.

The library is plain Python: read layers (:mod:`pata_gis.io`), check them
against the catalogue (:mod:`pata_gis.layers`), keep them in a workspace
(:mod:`pata_gis.workspace`), and compute in EPSG:3844 (:mod:`pata_gis.crs`).
The Streamlit app and the ``pata-gis`` command are thin layers over it.
"""

from __future__ import annotations

__version__ = "0.1.0"
