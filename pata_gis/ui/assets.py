"""Serve the vendored web assets to the map component, with no internet.

``streamlit_folium.st_folium`` draws the map in a component iframe served from
``/component/streamlit_folium.st_folium/index.html``. Its frontend does not take
folium's ``<script>``/``<link>`` tags: it loads, one by one, the URLs listed in each
element's ``default_js``/``default_css`` (CDN URLs by default) and stops if one
fails, so offline the map stays blank.

Streamlit serves the files of any declared component folder, with correct MIME
types, at ``/component/<module>.<name>/<file>``. Declaring
``pata_gis/static/vendor`` as a component (never rendered) makes the vendored
Leaflet, jQuery, Bootstrap and Font Awesome files available at
``/component/pata_gis.ui.assets.vendor/...``, a sibling of the st_folium iframe;
:func:`pata_gis.maps.use_vendored_assets` then rewrites the asset lists to the
relative URL ``../pata_gis.ui.assets.vendor/<file>``. Relative, so it also works
behind a proxy with ``server.baseUrlPath``. Fonts and images referenced from the
stylesheets resolve beside them.

Why not ``server.enableStaticServing``: it serves only ``./static`` beside the entry
script (outside the package, so missing after ``pip install``) and sends ``.js``
files as ``text/plain`` with ``nosniff``, so browsers refuse to run them.
"""

from __future__ import annotations

import streamlit.components.v1 as components

from pata_gis.maps import VENDOR_DIR

__all__ = ["COMPONENT_NAME", "vendor_base_url"]

_component = components.declare_component("vendor", path=str(VENDOR_DIR))

#: Name under which Streamlit serves :data:`pata_gis.maps.VENDOR_DIR`.
COMPONENT_NAME: str = _component.name


def vendor_base_url() -> str:
    """URL of the vendored assets relative to a component iframe's page."""
    return f"../{COMPONENT_NAME}/"
