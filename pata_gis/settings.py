"""Global, typed defaults of pata-gis.

Library functions take keyword arguments that default to ``None``, meaning
"use the value here". Change a value for a whole script by assigning to the
module attribute (``pata_gis.settings.landfill_protection_m = 500``); the app
never mutates these, it passes explicit arguments instead.
"""

from __future__ import annotations

from pathlib import Path

#: CRS used for every metric computation: Stereo 70, the Romanian national
#: projection (metres).
metric_crs: str = "EPSG:3844"

#: CRS used to display and exchange data: WGS 84 longitude/latitude.
display_crs: str = "EPSG:4326"

#: Bounding box of Romania in degrees ``(min_lon, min_lat, max_lon, max_lat)``,
#: with a small margin. Data outside it is refused as implausible.
romania_bounds: tuple[float, float, float, float] = (20.0, 43.5, 30.0, 48.4)

#: Bounding box of the Cluj-Napoca metropolitan area in degrees
#: ``(min_lon, min_lat, max_lon, max_lat)``: the city and the communes of the
#: metropolitan area around it (Gilău to Jucu, Vultureni to Tureni), wide
#: enough for every stop of the CTP network.
cluj_bounds: tuple[float, float, float, float] = (23.20, 46.50, 24.00, 47.05)

#: Minimum sanitary-protection distance (m) between homes and a municipal-waste
#: landfill. See :data:`landfill_protection_reference`; verify before quoting.
landfill_protection_m: float = 1000.0

#: The legal text behind :data:`landfill_protection_m`.
landfill_protection_reference: str = (
    "Ordinul Ministerului Sănătății nr. 119/2014, art. 11 alin. (1), "
    "modificat prin Ordinul nr. 994/2018 (distanțe minime de protecție sanitară: "
    "depozite de deșeuri municipale, 1.000 m)"
)

#: Edges (m) of the graded landfill distance bands: 0–250, 250–500, 500–1000,
#: > 1000 m. A band holds distances in ``(lower, upper]`` (the first one also 0,
#: which is inside a cell).
pollution_band_edges_m: tuple[float, ...] = (250.0, 500.0, 1000.0)

#: Outer limit (m) of the last, open band when drawn as a polygon; ``None``
#: means twice the last edge (2,000 m by default).
pollution_band_outer_m: float | None = None

#: Decay length L (m) of the landfill exposure index ``exp(-d / L)``: 0.61 at
#: 250 m, 0.37 at 500 m, 0.14 at the 1,000 m legal distance. An index for
#: comparing places, not a measured concentration.
exposure_decay_m: float = 500.0

#: Cell size (m) of the exposure surface.
exposure_resolution_m: float = 10.0

#: Margin (m) around the landfill cells covered by the exposure surface when no
#: grid is given (the index is below 0.003 beyond it with the default L).
exposure_pad_m: float = 3000.0

#: Weight w of the wind rose in the direction-dependent decay length
#: ``L(β) = L · ((1 − w) + w · n · f_to(β))``: 0 ignores the wind, 1 lets it set
#: the decay length alone. 0.5 keeps half of the spread isotropic.
exposure_wind_weight: float = 0.5

#: Workspace file used by the CLI when ``--workspace`` is not given
#: (relative to the current directory).
default_workspace: Path = Path("data") / "workspace.gpkg"

#: Interface language: ``"ro"`` (default), ``"en"`` or ``"hu"``.
language: str = "ro"


def _find_catalogue() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "_catalogue"
    if packaged.is_dir():
        return packaged
    return here.parent / "layers"


#: Folder holding the layer specs (``*.toml``) and the bundled starter layers.
catalogue_dir: Path = _find_catalogue()
