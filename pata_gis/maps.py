"""Interactive maps of workspace layers that work without internet.

folium writes ``<script src>`` and ``<link href>`` tags that load Leaflet, jQuery,
Bootstrap, Font Awesome and its plugins from CDNs; offline (a workshop laptop, a
USB stick) such a map stays blank. pata-gis ships those files in
``pata_gis/static/vendor/`` (rebuilt by ``tools/vendor_assets.py``, listed with their
sha256, licence and the CDN URLs they replace in ``MANIFEST.json``) and this module
points folium at them:

* :func:`offline` returns the full HTML of a map with every CDN reference replaced,
  either inlined (a single self-contained file, fonts and images as ``data:`` URIs)
  or pointing at a base URL that serves ``pata_gis/static/vendor``;
* :func:`use_vendored_assets` rewrites the asset lists of a map's elements in place,
  for renderers that read them directly (``streamlit_folium.st_folium``);
* :func:`layer_map` draws workspace layers with their catalogue styles, titles in
  the chosen language, popups that show each feature's source and accuracy, a
  legend, a scale bar and the credits the data licences require; it refuses layers
  the viewer's role may not see (:class:`~pata_gis._errors.SensitivityError`);
* :func:`pollution_overlays` adds the landfill's legal sanitary-protection zone
  (with its legal reference), the graded distance bands and the exposure index
  image (inlined as a ``data:`` URI), each switchable in the layer control with
  its own legend; :func:`pollution_layers` computes them once for caching;
* :func:`place_distances` / :func:`place_table` answer "how far is this place
  from the landfill, the nearest school, doctor, police... (straight line, and by
  road when a network is given)", the table the map page shows for a click.

No Streamlit here; the app lives in :mod:`pata_gis.ui`.

Examples
--------
>>> from pata_gis.maps import layer_map, save_html
>>> m = layer_map({"schools": schools}, {"schools": spec}, lang="en")  # doctest: +SKIP
>>> save_html(m, "schools.html")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
import html as html_lib
import json
import logging
import math
import mimetypes
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import folium
import folium.elements
import geopandas as gpd
import pandas as pd
from branca.element import Figure, MacroElement
from jinja2 import Template

from pata_gis import crs
from pata_gis._errors import PataGisError, SensitivityError
from pata_gis.i18n import language, t
from pata_gis.specs import SENSITIVITY_LEVELS, LayerSpec

__all__ = [
    "PLACE_CATEGORIES",
    "VENDOR_DIR",
    "OfflineAssetError",
    "PollutionLayers",
    "allowed_layers",
    "external_references",
    "layer_map",
    "local_basemap",
    "offline",
    "osm_tile_layer",
    "place_distances",
    "place_table",
    "pollution_layers",
    "pollution_overlays",
    "save_html",
    "use_vendored_assets",
    "vendored_assets",
]

logger = logging.getLogger(__name__)

#: Folder of the vendored web assets (``<package>@<version>/...`` and ``MANIFEST.json``).
VENDOR_DIR: Path = Path(__file__).resolve().parent / "static" / "vendor"

#: Pata Rât (GTFS stop "Pata Rat"), the centre used when there is nothing to fit.
PATA_RAT: tuple[float, float] = (46.7714, 23.6853)

#: Background of maps drawn without tiles: a light paper colour.
BACKGROUND = "#f4f1ea"

OSM_CREDIT = "© OpenStreetMap contributors"
OSM_CREDIT_HTML = (
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
CTP_CREDIT = "© CTP Cluj-Napoca"

_DRAW_ORDER = {"polygon": 0, "line": 1, "point": 2}
_OSM_WORDS = re.compile(r"openstreetmap|\bosm\b|odbl", re.IGNORECASE)
_CTP_WORDS = re.compile(r"\bctp\b|gtfs|transport public cluj", re.IGNORECASE)


class OfflineAssetError(PataGisError, LookupError):
    """A map needs a web asset that is not vendored, so it would not work offline.

    The message names the URL; add the file to ``tools/vendor_assets.py`` and run it.
    """


# --------------------------------------------------------------------------------------
# Vendored assets
# --------------------------------------------------------------------------------------


@functools.cache
def vendored_assets() -> dict[str, str]:
    """CDN URL -> path of the vendored file, relative to :data:`VENDOR_DIR`.

    Read from ``MANIFEST.json``; the ``http:``/``https:``/scheme-less spellings of a
    URL all map to the same file.
    """
    manifest_path = VENDOR_DIR / "MANIFEST.json"
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except FileNotFoundError as exc:
        raise OfflineAssetError(
            f"{manifest_path}: the vendored web assets are missing; "
            "run `python tools/vendor_assets.py` or reinstall pata-gis"
        ) from exc
    table: dict[str, str] = {}
    for package in manifest["packages"]:
        for entry in package["files"]:
            for url in entry["cdn"]:
                table[_url_key(url)] = entry["path"]
    return table


def _url_key(url: str) -> str:
    return re.sub(r"^(https?:)?//", "", url.strip())


def _local_path(url: str) -> str:
    """The vendored path for CDN `url` (OfflineAssetError when there is none)."""
    if url.startswith("data:"):
        return url
    try:
        return vendored_assets()[_url_key(url)]
    except KeyError:
        raise OfflineAssetError(
            f"{url}: this web asset is not vendored, so the map would need internet; "
            "add it to tools/vendor_assets.py and run the script"
        ) from None


def _walk(element: Any) -> Iterable[Any]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def use_vendored_assets(m: folium.Map | Figure, base_url: str) -> folium.Map | Figure:
    """Point every element of `m` at the vendored copies of its JS/CSS files.

    Each element that loads assets (``default_js``/``default_css``) gets instance
    lists whose URLs are ``base_url`` + the vendored path. Renderers that read these
    lists (``streamlit_folium.st_folium``) then load nothing from the internet.

    Parameters
    ----------
    m : folium.Map or branca Figure
        The map; changed in place and returned.
    base_url : str
        URL (absolute or relative to the page showing the map) at which
        :data:`VENDOR_DIR` is served.

    Raises
    ------
    OfflineAssetError
        When an element needs a file that is not vendored.
    """
    base = base_url.rstrip("/") + "/"

    def local(url: str) -> str:
        return base + _local_path(url) if _is_external(url) else url  # idempotent

    for el in _walk(m):
        if not isinstance(el, folium.elements.JSCSSMixin):
            continue
        el.default_js = [(name, local(url)) for name, url in el.default_js]
        el.default_css = [(name, local(url)) for name, url in el.default_css]
    return m


_SCRIPT_SRC = re.compile(
    r"<script\b[^>]*?\bsrc\s*=\s*[\"'](?P<url>[^\"']+)[\"'][^>]*>\s*</script\s*>", re.IGNORECASE
)
_LINK_CSS = re.compile(
    r"<link\b[^>]*?\bhref\s*=\s*[\"'](?P<url>[^\"']+)[\"'][^>]*?/?>", re.IGNORECASE
)
_CSS_URL = re.compile(r"url\(\s*(?P<q>[\"']?)(?P<url>[^\"')]+)(?P=q)\s*\)")
_SOURCE_MAP = re.compile(r"^\s*(//|/\*)# sourceMappingURL=.*$", re.MULTILINE)
_URL = r"""(?P<url>(?:https?:)?//[^\s"'<>)\\]+)"""
#: Contexts in which a browser fetches a URL (see external_references).
_LOADS = [
    re.compile(
        r"<(?:script|img|iframe|frame|embed|source|video|audio|track|input)\b[^>]*?\bsrc\s*=\s*\\?[\"']?"
        + _URL,
        re.IGNORECASE,
    ),
    re.compile(r"<link\b[^>]*?\bhref\s*=\s*\\?[\"']?" + _URL, re.IGNORECASE),
    re.compile(r"<object\b[^>]*?\bdata\s*=\s*\\?[\"']?" + _URL, re.IGNORECASE),
    re.compile(r"url\(\s*\\?[\"']?" + _URL, re.IGNORECASE),
    re.compile(r"@import\s+(?:url\()?\s*[\"']?" + _URL, re.IGNORECASE),
    re.compile(r"L\.tileLayer(?:\.wms)?\(\s*[\"']" + _URL, re.IGNORECASE),
    re.compile(r"(?:fetch|getJSON|ajax)\(\s*\{?\s*(?:url\s*:\s*)?[\"']" + _URL, re.IGNORECASE),
]


def _is_external(url: str) -> bool:
    return bool(re.match(r"^(https?:)?//", url.strip(), re.IGNORECASE))


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0]
    if mime is None:
        mime = {".woff2": "font/woff2", ".woff": "font/woff", ".svg": "image/svg+xml"}.get(
            path.suffix, "application/octet-stream"
        )
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


@functools.cache
def _inline_css(rel: str) -> str:
    """The vendored stylesheet `rel` with its url(...) references as data: URIs."""
    path = VENDOR_DIR / rel
    css = _SOURCE_MAP.sub("", path.read_text("utf-8"))

    def repl(match: re.Match[str]) -> str:
        url = match.group("url")
        if url.startswith(("data:", "#")):
            return match.group(0)
        if _is_external(url):
            raise OfflineAssetError(f"{rel}: stylesheet refers to {url}; vendor it")
        target = (path.parent / url.split("#")[0].split("?")[0]).resolve()
        if not target.is_file():
            raise OfflineAssetError(f"{rel}: refers to {url}, which is not vendored")
        return f"url({_data_uri(target)})"

    return _CSS_URL.sub(repl, css)


@functools.cache
def _inline_js(rel: str) -> str:
    js = _SOURCE_MAP.sub("", (VENDOR_DIR / rel).read_text("utf-8"))
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)


def _tile_urls(m: Any) -> set[str]:
    urls: set[str] = set()
    for el in _walk(m):
        for attr in ("tiles", "url"):
            value = getattr(el, attr, None)
            if isinstance(value, str) and _is_external(value):
                urls.add(value)
    return urls


def external_references(html: str, *, allow: Iterable[str] = ()) -> list[str]:
    """Every URL that `html` makes a browser fetch from another host.

    Only loading contexts count: ``src`` of scripts, images, frames and media,
    ``href`` of ``<link>``, CSS ``url(...)`` and ``@import``, Leaflet tile templates
    and ``fetch``/``$.ajax``/``getJSON`` calls. Links people click (``<a href>``) and
    URLs quoted as text in the data (a feature's ``source``) do not.

    Parameters
    ----------
    html : str
        A page, before vendored scripts are inlined (their code mentions URLs
        that are never fetched).
    allow : iterable of str
        URLs permitted to stay, such as tile URL templates.
    """
    allowed = {_url_key(u) for u in allow}
    found: list[str] = []
    for pattern in _LOADS:
        for match in pattern.finditer(html):
            url = match.group("url")
            if _url_key(url) not in allowed:
                found.append(url)
    return list(dict.fromkeys(found))


def offline(
    m: folium.Map | Figure,
    *,
    mode: Literal["inline", "url"] = "inline",
    base_url: str | None = None,
) -> str:
    """Return the full HTML of `m` with no CDN reference left.

    Parameters
    ----------
    m : folium.Map or branca Figure
        The map to render.
    mode : {"inline", "url"}
        ``"inline"`` copies every script and stylesheet into the page (fonts and
        images as ``data:`` URIs): one file that works from a USB stick, about
        1.5 MB. ``"url"`` keeps ``<script src>``/``<link href>`` tags pointing at
        `base_url`.
    base_url : str, optional
        Where :data:`VENDOR_DIR` is served, for ``mode="url"``; default its
        ``file://`` URI (works on this computer only).

    Returns
    -------
    str
        The HTML page.

    Raises
    ------
    OfflineAssetError
        When the map needs a file that is not vendored, or any other reference
        to an external host remains (tile URLs of tile layers added to the map
        are allowed: a map with online tiles shows them when online).
    """
    if mode not in ("inline", "url"):
        raise ValueError(f"mode must be 'inline' or 'url', got {mode!r}")
    root = m.get_root()
    page = root.render()
    base = (base_url or VENDOR_DIR.as_uri()).rstrip("/") + "/"
    inlined: dict[str, str] = {}

    def script(match: re.Match[str]) -> str:
        url = match.group("url")
        if not _is_external(url):
            return match.group(0)
        rel = _local_path(url)
        if mode == "url":
            return f'<script src="{html_lib.escape(base + rel)}"></script>'
        key = f"\x00js{len(inlined)}\x00"
        inlined[key] = f"<script>/* {rel} */\n{_inline_js(rel)}\n</script>"
        return key

    def link(match: re.Match[str]) -> str:
        url = match.group("url")
        if not _is_external(url) or "stylesheet" not in match.group(0).lower():
            return match.group(0)
        rel = _local_path(url)
        if mode == "url":
            return f'<link rel="stylesheet" href="{html_lib.escape(base + rel)}"/>'
        key = f"\x00css{len(inlined)}\x00"
        inlined[key] = f"<style>/* {rel} */\n{_inline_css(rel)}\n</style>"
        return key

    page = _SCRIPT_SRC.sub(script, page)
    page = _LINK_CSS.sub(link, page)
    remaining = external_references(page, allow=_tile_urls(root))
    if remaining:
        raise OfflineAssetError(
            "the map still refers to external hosts: "
            + ", ".join(remaining[:5])
            + "; vendor these files or remove the elements that need them"
        )
    for key, block in inlined.items():
        page = page.replace(key, block)
    return page


def save_html(
    m: folium.Map | Figure,
    path: str | os.PathLike[str],
    *,
    mode: Literal["inline", "url"] = "inline",
    base_url: str | None = None,
) -> Path:
    """Write the offline HTML of `m` to `path` atomically and return the path.

    The page is written to a temporary file in the same folder and renamed over
    `path`, so a reader never sees half a file.
    """
    path = Path(path)
    page = offline(m, mode=mode, base_url=base_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(page)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# --------------------------------------------------------------------------------------
# Layer maps
# --------------------------------------------------------------------------------------


def _level(sensitivity: str) -> int:
    try:
        return SENSITIVITY_LEVELS.index(sensitivity)
    except ValueError:
        raise ValueError(
            f"unknown sensitivity or role {sensitivity!r}; use one of {SENSITIVITY_LEVELS}"
        ) from None


def allowed_layers(specs: Mapping[str, LayerSpec], role: str = "public") -> list[str]:
    """Names of the layers of `specs` that `role` may see unmasked.

    A role sees the layers whose sensitivity is at or below its own level
    (``public`` < ``restricted`` < ``confidential``).
    """
    limit = _level(role)
    return [name for name, spec in specs.items() if _level(spec.sensitivity) <= limit]


def _check_role(name: str, spec: LayerSpec, role: str) -> None:
    if _level(spec.sensitivity) > _level(role):
        raise SensitivityError(
            f"layer {name!r} is {spec.sensitivity} and may not be shown to role {role!r}; "
            "leave it out (see pata_gis.maps.allowed_layers) or pass an aggregated or "
            "masked public layer instead"
        )


def _display_value(value: Any, empty: str) -> str:
    if value is None:
        return empty
    if isinstance(value, float):
        if math.isnan(value):
            return empty
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}".rstrip("0")
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return value.isoformat()[:10] if not getattr(value, "hour", 0) else value.isoformat()
    try:
        if pd.isna(value):
            return empty
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool):
        return "✓" if value else "✗"
    # popups and tooltips insert values as HTML: show user text as text, never as
    # markup (no <img src=...> fetching from the internet, no script injection)
    return html_lib.escape(str(value))


def _field_titles(spec: LayerSpec, columns: Iterable[str], lang: str) -> dict[str, str]:
    present = set(columns)
    titles: dict[str, str] = {}
    for f in spec.fields:
        if f.name in present:
            titles[f.name] = f.title.get(lang) or f.title.get("ro") or f.name
    return titles


def _prepare(
    gdf: gpd.GeoDataFrame, spec: LayerSpec, lang: str
) -> tuple[gpd.GeoDataFrame, dict[str, str]]:
    """The layer in EPSG:4326 with only its spec fields, as display text."""
    shown = crs.to_display(gdf, name=spec.name)
    titles = _field_titles(spec, shown.columns, lang)
    empty = t("map.empty_value", lang)
    out = gpd.GeoDataFrame(
        {col: [_display_value(v, empty) for v in shown[col]] for col in titles},
        geometry=shown.geometry.values,
        crs=shown.crs,
    )
    out = out[~out.geometry.isna() & ~out.geometry.is_empty]
    return out, titles


def _style(spec: LayerSpec) -> dict[str, Any]:
    s = spec.style
    color = s.get("color", "#3367d6")
    style: dict[str, Any] = {
        "color": color,
        "weight": s.get("weight", 3 if spec.geometry == "line" else 1.5),
        "opacity": s.get("opacity", 0.95),
        "fillColor": s.get("fill_color", color),
        "fillOpacity": s.get("fill_opacity", 0.35 if spec.geometry == "polygon" else 0.85),
    }
    if s.get("dash_array"):
        style["dashArray"] = s["dash_array"]
    if spec.geometry == "line":
        style["fill"] = False
    return style


def _tooltip_field(spec: LayerSpec, titles: Mapping[str, str]) -> str | None:
    for preferred in ("name", "nume", "title", "label"):
        if preferred in titles:
            return preferred
    for f in spec.fields:
        if f.name in titles and f.type == "str" and f.name != "source":
            return f.name
    return None


def _credits(layers: Mapping[str, gpd.GeoDataFrame], specs: Mapping[str, LayerSpec]) -> list[str]:
    """Plain-text credits the shown layers' licences require, OSM first."""
    credits: list[str] = []
    extra: list[str] = []
    for name, gdf in layers.items():
        spec = specs[name]
        text = " ".join(str(v) for v in spec.source.values())
        if "source" in gdf.columns:
            text += " " + " ".join(str(v) for v in pd.unique(gdf["source"].dropna().astype(str)))
        if _OSM_WORDS.search(text) and OSM_CREDIT not in credits:
            credits.append(OSM_CREDIT)
        if (name == "transit_stops" or _CTP_WORDS.search(text)) and CTP_CREDIT not in credits:
            credits.append(CTP_CREDIT)
        attribution = spec.source.get("attribution", "").strip()
        if attribution and not (_OSM_WORDS.search(attribution) or _CTP_WORDS.search(attribution)):
            extra.append(attribution)
    credits.sort(key=lambda c: c != OSM_CREDIT)
    return list(dict.fromkeys(credits + extra))


def _symbol(spec: LayerSpec) -> str:
    st = _style(spec)
    color, fill = html_lib.escape(str(st["color"])), html_lib.escape(str(st["fillColor"]))
    if spec.geometry == "point":
        return (
            f'<svg width="18" height="14"><circle cx="9" cy="7" r="5" fill="{fill}" '
            f'fill-opacity="{st["fillOpacity"]}" stroke="{color}" stroke-width="1.5"/></svg>'
        )
    if spec.geometry == "line":
        dash = (
            f' stroke-dasharray="{html_lib.escape(str(st["dashArray"]))}"'
            if "dashArray" in st
            else ""
        )
        return (
            f'<svg width="18" height="14"><line x1="1" y1="7" x2="17" y2="7" stroke="{color}" '
            f'stroke-width="{min(float(st["weight"]), 5)}"{dash}/></svg>'
        )
    return (
        f'<svg width="18" height="14"><rect x="1.5" y="1.5" width="15" height="11" fill="{fill}" '
        f'fill-opacity="{max(float(st["fillOpacity"]), 0.3)}" stroke="{color}" stroke-width="1.5"/></svg>'
    )


class Legend(MacroElement):
    """A legend drawn as a Leaflet control (works in folium pages and st_folium)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .pata-legend { background: rgba(255,255,255,0.93); padding: 8px 10px;
          border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
          font: 12px/1.3 "Helvetica Neue", Arial, sans-serif; color: #222;
          max-width: 260px; max-height: 60vh; overflow-y: auto; }
        .pata-legend h4 { margin: 0 0 5px; font-size: 14px; font-weight: 700; }
        .pata-legend .pata-row { display: flex; align-items: center; gap: 6px; margin: 2px 0;
          white-space: nowrap; }
        .pata-legend svg { flex: none; }
        .pata-legend .note { margin-top: 5px; color: #7a4b00; font-style: italic;
          white-space: normal; }
        .leaflet-popup-content { margin: 10px 12px; }
        .leaflet-popup-content table { font-size: 12px; line-height: 1.3;
          border-collapse: collapse; }
        .leaflet-popup-content th { padding: 2px 8px 2px 0; vertical-align: top;
          white-space: nowrap; color: #555; font-weight: 600; }
        .leaflet-popup-content td { padding: 2px 0; vertical-align: top;
          overflow-wrap: anywhere; word-break: break-word; }
        .leaflet-tooltip { font-size: 12px; }
        .pata-legend .credits { margin-top: 5px; color: #555; font-size: 11px;
          white-space: normal; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: {{ this.position|tojson }}});
            legend.onAdd = function() {
                var div = L.DomUtil.create("div", "pata-legend leaflet-control");
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "PataLegend"
        self.html = html
        self.position = position


class Credits(MacroElement):
    """Adds text to the map's attribution control (licence credits)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {% for credit in this.credits %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ credit|tojson }});
        {% endfor %}
        {% endmacro %}
        """
    )

    def __init__(self, credits: list[str]) -> None:
        super().__init__()
        self._name = "PataCredits"
        self.credits = credits


class ScaleBar(MacroElement):
    """A metric scale bar (bottom left)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, maxWidth: 160}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PataScaleBar"


class FitBounds(MacroElement):
    """Fit the map to `bounds`, again whenever its box changes size until the user
    pans or zooms (frames such as Streamlit's size the map after it is drawn)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var bounds = L.latLngBounds({{ this.bounds|tojson }});
            var touched = false;
            function fit() {
                if (touched) { return; }
                // keep every feature left of the legend (bottom right), if there is room
                var legend = map.getContainer().querySelector(".pata-legend");
                var size = map.getSize();
                if (!size.x || !size.y) { return; }  // not laid out yet: fit when resized
                var right = legend ? legend.offsetWidth + 12 : 16;
                if (right > size.x / 2) { right = 16; }
                map.fitBounds(bounds, {paddingTopLeft: [16, 16], paddingBottomRight: [right, 16], animate: false});
            }
            fit();
            var box = map.getContainer();
            ["mousedown", "touchstart", "wheel", "keydown"].forEach(function(ev) {
                box.addEventListener(ev, function() { touched = true; }, {passive: true});
            });
            if (window.ResizeObserver) {
                new ResizeObserver(function() { map.invalidateSize(); fit(); }).observe(box);
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "PataFitBounds"
        self.bounds = bounds


class Background(MacroElement):
    """A plain light background for maps drawn without tiles."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>.leaflet-container { background: {{ this.color }}; }</style>
        {% endmacro %}
        """
    )

    def __init__(self, color: str = BACKGROUND) -> None:
        super().__init__()
        self._name = "PataBackground"
        self.color = color


def _legend_html(
    entries: list[tuple[str, LayerSpec, int]], hidden: int, credits: list[str], lang: str
) -> str:
    rows = [f"<h4>{html_lib.escape(t('legend.title', lang))}</h4>"]
    if not entries:
        rows.append(f'<div class="pata-row">{html_lib.escape(t("legend.no_layers", lang))}</div>')
    for title, spec, count in entries:
        rows.append(
            f'<div class="pata-row" data-layer="{html_lib.escape(spec.name)}">{_symbol(spec)}'
            f"<span>{html_lib.escape(title)} ({count})</span></div>"
        )
    if hidden:
        rows.append(
            f'<div class="note">{html_lib.escape(t("legend.hidden", lang, n=hidden))}</div>'
        )
    if credits:
        rows.append(
            f'<div class="credits">{html_lib.escape(t("legend.sources", lang))}: '
            f"{html_lib.escape('; '.join(credits))}</div>"
        )
    return "\n".join(rows)


def _bounds(frames: Iterable[gpd.GeoDataFrame]) -> list[list[float]] | None:
    boxes = [f.total_bounds for f in frames if len(f)]
    if not boxes:
        return None
    minx = min(b[0] for b in boxes)
    miny = min(b[1] for b in boxes)
    maxx = max(b[2] for b in boxes)
    maxy = max(b[3] for b in boxes)
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]


def layer_map(
    layers: Mapping[str, gpd.GeoDataFrame],
    specs: Mapping[str, LayerSpec],
    *,
    lang: str | None = None,
    role: str = "public",
    tiles: str | None = None,
    extra_overlays: Iterable[folium.map.Layer] | None = None,
    hidden: int = 0,
    height: str | int = "100%",
) -> folium.Map:
    """Draw workspace layers on an interactive map.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        Layer name -> features (any CRS that :func:`pata_gis.crs.to_display` accepts).
        Areas are drawn first, then lines, then points; within each family in the
        order given.
    specs : mapping of str to LayerSpec
        The spec of every layer in `layers` (others are ignored).
    lang : str, optional
        ``"ro"``, ``"en"`` or ``"hu"`` for layer, field and legend titles; default
        :data:`pata_gis.settings.language`.
    role : {"public", "restricted", "confidential"}
        Who will see the map. Layers more sensitive than the role are refused.
    tiles : str, optional
        A folium tile name (``"OpenStreetMap"``) or URL template for an online base
        map. ``None`` (default) draws no tiles: the map works offline on a plain
        background and the local layers make the map.
    extra_overlays : iterable of folium layers, optional
        More overlays (analysis results) added before the layer control.
    hidden : int
        How many layers the caller left out because of their sensitivity; the legend
        says so, so readers know the map is not complete.
    height : str or int
        Height of the map element.

    Returns
    -------
    folium.Map
        One feature group per layer named by its title, popups with every field
        (source and accuracy included), a layer control, a legend, a scale bar and
        the credits required by the data licences, fitted to the layers.

    Raises
    ------
    SensitivityError
        When a layer is more sensitive than `role` allows.
    KeyError
        When a layer has no spec.
    """
    lang = language(lang)
    _level(role)
    for name in layers:
        if name not in specs:
            raise KeyError(f"layer {name!r} has no spec; pass specs[{name!r}]")
        _check_role(name, specs[name], role)

    m = folium.Map(
        location=PATA_RAT,
        zoom_start=13,
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
        height=height,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    m.add_child(ScaleBar())
    # the paper background stays under tiles too: tiles that stop loading (the
    # connection dropped) leave the local layers on paper, not on grey
    m.add_child(Background())
    if tiles is not None:
        attr = None
        if _is_external(tiles):
            attr = OSM_CREDIT_HTML if "openstreetmap" in tiles.lower() else tiles.split("/")[2]
        folium.TileLayer(tiles, attr=attr, control=False).add_to(m)

    entries: list[tuple[str, LayerSpec, int]] = []
    frames: list[gpd.GeoDataFrame] = []
    # Areas at the bottom, then lines, then points on top (stable within a family).
    for name, gdf in sorted(
        layers.items(), key=lambda kv: _DRAW_ORDER.get(specs[kv[0]].geometry, 1)
    ):
        spec = specs[name]
        shown, titles = _prepare(gdf, spec, lang)
        title = spec.label(lang)
        entries.append((title, spec, len(shown)))
        frames.append(shown)
        group = folium.FeatureGroup(name=title, show=True)
        if len(shown):
            fields = list(titles)
            aliases = [html_lib.escape(titles[f]) for f in fields]
            tip = _tooltip_field(spec, titles)
            style = _style(spec)
            marker = None
            if spec.geometry == "point":
                marker = folium.CircleMarker(
                    radius=float(spec.style.get("radius", 6)),
                    color=style["color"],
                    weight=style["weight"],
                    fill=True,
                    fill_color=style["fillColor"],
                    fill_opacity=style["fillOpacity"],
                )
            folium.GeoJson(
                shown,
                name=title,
                style_function=lambda _f, _s=style: dict(_s),
                highlight_function=lambda _f: {"weight": 4, "fillOpacity": 0.6},
                marker=marker,
                tooltip=(
                    folium.GeoJsonTooltip(fields=[tip], aliases=[title], sticky=True)
                    if tip
                    else folium.Tooltip(title)
                ),
                popup=folium.GeoJsonPopup(fields=fields, aliases=aliases, max_width=340),
                zoom_on_click=False,
            ).add_to(group)
        group.add_to(m)

    for overlay in extra_overlays or ():
        overlay.add_to(m)

    credits = _credits(layers, specs)
    control_credits = [OSM_CREDIT_HTML if c == OSM_CREDIT else c for c in credits]
    if tiles is not None and "openstreetmap" in tiles.lower():  # the tiles credit OSM already
        control_credits = [c for c in control_credits if c != OSM_CREDIT_HTML]
    if control_credits:
        m.add_child(Credits(control_credits))
    m.add_child(Legend(_legend_html(entries[::-1], hidden, credits, lang)))
    folium.LayerControl(collapsed=True, position="topright").add_to(m)

    box = _bounds(frames)
    if box is not None:
        m.add_child(FitBounds(box))
    return m


# --------------------------------------------------------------------------------------
# Basemap: online tiles when a server answers, a light local basemap always
# --------------------------------------------------------------------------------------

#: Leaflet pane of the local basemap: above tiles (200), below the overlays (330+)
#: and the layers' features (400); it takes no clicks.
_BASEMAP_PANE = ("pata_basemap", 250)

#: Road kinds of the local basemap, drawn wide to narrow: (kinds, width px, colour).
BASEMAP_ROADS: tuple[tuple[tuple[str, ...], float, str], ...] = (
    (("primary", "secondary"), 5.0, "#ffffff"),
    (("tertiary", "residential", "rail_crossing"), 3.5, "#ffffff"),
    (("track", "path", "footway"), 1.5, "#fbf8f1"),
)
#: Casing (outline) colour of basemap roads, settlement fill and outline, boundary colour.
BASEMAP_CASING = "#c9c0ae"
BASEMAP_SETTLEMENT_FILL = "#e8dcc4"
BASEMAP_SETTLEMENT_LINE = "#b9a583"
BASEMAP_BOUNDARY = "#7d7467"


def osm_tile_layer(url: str | None = None, *, name: str = "OpenStreetMap") -> folium.TileLayer:
    """The OpenStreetMap tile layer with its ODbL credit (for when a tile server answers).

    Parameters
    ----------
    url : str, optional
        Tile URL template; default :data:`pata_gis.basemap.OSM_TILE_URL`.
    name : str
        Name in the layer control.

    Notes
    -----
    Check first with :func:`pata_gis.basemap.tile_server_answers`; offline, tiles
    only produce broken images over the local basemap.
    """
    from pata_gis.basemap import OSM_TILE_URL

    return folium.TileLayer(
        url or OSM_TILE_URL,
        attr=OSM_CREDIT_HTML,
        name=name,
        max_zoom=19,
        overlay=False,
        control=False,
    )


def local_basemap(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    boundary: gpd.GeoDataFrame | gpd.GeoSeries | None = None,
    lang: str | None = None,
) -> folium.FeatureGroup:
    """A light, quiet basemap drawn from local layers, for maps without tiles.

    Settlements as pale blocks, roads as white lines with a grey casing (wide
    for main roads, thin for tracks and footpaths, by the ``kind`` field), the
    city boundary as a dashed line. It sits in its own pane under every overlay
    and feature, takes no clicks, and is not in the layer control or legend:
    the layers themselves stay the map's content.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        Workspace layers; ``roads`` and ``settlements`` are used when present
        (pass only what the viewer may see).
    boundary : GeoDataFrame or GeoSeries, optional
        An administrative boundary (e.g. Cluj-Napoca's from OSM) drawn as an outline.
    lang : str, optional
        Language of the group's name.

    Returns
    -------
    folium.FeatureGroup
        Add it to a map (or pass it in ``extra_overlays`` of :func:`layer_map`).
    """
    lang = language(lang)
    pane = _BASEMAP_PANE[0]
    group = folium.FeatureGroup(name=t("legend.title", lang) + " (basemap)", control=False)
    group.add_child(MapPane(*_BASEMAP_PANE))

    def geoms(gdf: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> gpd.GeoDataFrame:
        shown = crs.to_display(gdf, name=what)
        series = shown.geometry if isinstance(shown, gpd.GeoDataFrame) else shown
        frame = gpd.GeoDataFrame(geometry=series.values, crs=series.crs)
        return frame[~frame.geometry.isna() & ~frame.geometry.is_empty]

    def draw(frame: gpd.GeoDataFrame, style: dict[str, Any]) -> None:
        if len(frame):
            folium.GeoJson(
                frame,
                style_function=lambda _f, _s=style: dict(_s),
                interactive=False,
                pane=pane,
                zoom_on_click=False,
            ).add_to(group)

    if boundary is not None and len(boundary):
        draw(
            geoms(boundary, "boundary"),
            {"color": BASEMAP_BOUNDARY, "weight": 2, "dashArray": "8 5", "fill": False},
        )
    settlements = layers.get("settlements")
    if settlements is not None and len(settlements):
        draw(
            geoms(settlements, "settlements"),
            {
                "color": BASEMAP_SETTLEMENT_LINE,
                "weight": 1,
                "fillColor": BASEMAP_SETTLEMENT_FILL,
                "fillOpacity": 0.8,
            },
        )
    roads = layers.get("roads")
    if roads is not None and len(roads):
        kinds = (
            roads["kind"].astype("string").fillna("")
            if "kind" in roads.columns
            else pd.Series("", index=roads.index, dtype="string")
        )
        classes = []
        known: set[str] = set()
        for names, width, colour in BASEMAP_ROADS:
            mask = kinds.isin(names).to_numpy(dtype=bool)
            known.update(names)
            classes.append((roads[mask], width, colour))
        other = roads[~kinds.isin(list(known)).to_numpy(dtype=bool)]
        classes.insert(1, (other, 3.5, "#ffffff"))  # unknown kinds: like a local street
        for part, width, _colour in classes:  # casings first, then the fills on top
            draw(geoms(part, "roads"), {"color": BASEMAP_CASING, "weight": width + 2, "opacity": 1})
        for part, width, colour in classes:
            draw(geoms(part, "roads"), {"color": colour, "weight": width, "opacity": 1})
    return group


# --------------------------------------------------------------------------------------
# Landfill overlays: legal zone, distance bands, exposure surface
# --------------------------------------------------------------------------------------

#: Cell size (m) of the exposure overlay drawn on maps. Coarser than the analysis
#: default (10 m): the picture is the same at map scale and the page stays light.
EXPOSURE_OVERLAY_RESOLUTION_M: float = 20.0

#: Margin (m) around the active cells covered by the exposure overlay.
EXPOSURE_OVERLAY_PAD_M: float = 2500.0

#: Exposure index below which the overlay is transparent (``exp(-d / 500 m)``
#: falls below it about 1,950 m from the cells).
EXPOSURE_OVERLAY_MIN: float = 0.02

#: Opacity of the exposure overlay.
EXPOSURE_OVERLAY_OPACITY: float = 0.6

#: Matplotlib colour map of the exposure overlay (0 = pale yellow, 1 = dark red).
EXPOSURE_CMAP: str = "YlOrRd"

#: Fill colours of the distance bands, nearest first (the last one repeats).
BAND_COLOURS: tuple[str, ...] = ("#3f007d", "#6a51a3", "#9e9ac8", "#dadaeb")

#: Outline colour of the legal sanitary-protection zone.
ZONE_COLOUR: str = "#c51b7d"

#: Leaflet panes (z-index) of the overlays: below the layers' features (400),
#: so the features stay clickable, the exposure image below the bands.
_EXPOSURE_PANE = ("pata_exposure", 330)
_ZONES_PANE = ("pata_zones", 350)


def _default_decay_m() -> float:
    """The exposure decay length :mod:`pata_gis.pollution` uses when given None."""
    from pata_gis import pollution, settings

    value: Any = getattr(settings, "exposure_decay_m", None)
    if value is None:  # older layout: the default lived in pollution
        value = getattr(pollution, "EXPOSURE_DECAY_M", 500.0)
    return float(value)


@dataclasses.dataclass(frozen=True)
class PollutionLayers:
    """What the landfill overlays draw, computed once (picklable, language-free).

    Build it with :func:`pollution_layers`; draw it with :func:`pollution_overlays`.

    Attributes
    ----------
    zone : GeoDataFrame
        The legal sanitary-protection zone (one row, EPSG:4326), as returned by
        :func:`pata_gis.pollution.legal_zone`.
    bands : GeoDataFrame
        The distance bands (EPSG:4326), as returned by
        :func:`pata_gis.pollution.distance_bands`.
    png : bytes
        The exposure index as an RGBA PNG warped to Web Mercator.
    bounds : list
        ``[[south, west], [north, east]]`` of the PNG in degrees.
    distance_m : float
        The legal distance.
    reference : str
        Its legal reference.
    decay_m : float
        The decay length L of the exposure index ``exp(-d / L)``.
    vmin, vmax : float
        The exposure values at the two ends of the colour scale.
    """

    zone: gpd.GeoDataFrame
    bands: gpd.GeoDataFrame
    png: bytes
    bounds: list[list[float]]
    distance_m: float
    reference: str
    decay_m: float
    vmin: float = 0.0
    vmax: float = 1.0

    @property
    def image_uri(self) -> str:
        """The PNG as a ``data:`` URI (the map then needs no file and no internet)."""
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def pollution_layers(
    landfill: gpd.GeoDataFrame,
    *,
    distance_m: float | None = None,
    reference: str | None = None,
    edges_m: Iterable[float] | None = None,
    decay_m: float | None = None,
    resolution_m: float | None = None,
    pad_m: float | None = None,
    include_closed: bool = False,
) -> PollutionLayers:
    """Compute the legal zone, the distance bands and the exposure image of a landfill.

    The heavy part of :func:`pollution_overlays`, separate so that an app can
    cache it (the result is picklable and holds no language).

    Parameters
    ----------
    landfill : GeoDataFrame
        The ``landfill`` layer (polygons with ``status`` active/closed); distances
        are measured from the active cells (see :mod:`pata_gis.pollution`).
    distance_m, reference : optional
        The legal distance and its reference; default
        :data:`pata_gis.settings.landfill_protection_m` and
        :data:`~pata_gis.settings.landfill_protection_reference`.
    edges_m : iterable of float, optional
        Band edges; default the pollution module's (250, 500, 1000 m).
    decay_m : float, optional
        Decay length of the exposure index; default the pollution module's (500 m).
    resolution_m : float, optional
        Cell size of the exposure image; default :data:`EXPOSURE_OVERLAY_RESOLUTION_M`.
    pad_m : float, optional
        Margin around the cells; default :data:`EXPOSURE_OVERLAY_PAD_M`.
    include_closed : bool
        Measure from the closed cells too.

    Raises
    ------
    InputError
        When the landfill layer has no ``status`` field or no active cell.
    """
    import numpy as np

    from pata_gis import pollution, settings, surface

    zone = pollution.legal_zone(
        landfill, distance_m=distance_m, reference=reference, include_closed=include_closed
    )
    bands = pollution.distance_bands(
        landfill,
        edges_m=None if edges_m is None else list(edges_m),
        include_closed=include_closed,
    )
    L = _default_decay_m() if decay_m is None else float(decay_m)
    res = EXPOSURE_OVERLAY_RESOLUTION_M if resolution_m is None else float(resolution_m)
    pad = EXPOSURE_OVERLAY_PAD_M if pad_m is None else float(pad_m)
    values, grid = pollution.exposure_surface(
        landfill, resolution_m=res, pad_m=pad, decay_m=L, include_closed=include_closed
    )
    shown = np.where(values < EXPOSURE_OVERLAY_MIN, np.nan, values)
    png, bounds = surface.to_png_overlay(
        shown, grid, cmap=EXPOSURE_CMAP, vmin=0.0, vmax=1.0, opacity=EXPOSURE_OVERLAY_OPACITY
    )
    zone_d = _for_display(zone, name="the legal zone")
    logger.info(
        "landfill overlays: zone %.0f ha, %d bands, exposure %dx%d cells at %g m (%d kB PNG)",
        float(zone["area_ha"].iloc[0]),
        len(bands),
        grid.shape[0],
        grid.shape[1],
        res,
        len(png) // 1024,
    )
    return PollutionLayers(
        zone=zone_d,
        bands=_for_display(bands, name="the distance bands"),
        png=png,
        bounds=[[float(v) for v in corner] for corner in bounds],
        distance_m=float(zone["distance_m"].iloc[0]),
        reference=str(zone["reference"].iloc[0] or settings.landfill_protection_reference),
        decay_m=L,
    )


class MapPane(MacroElement):
    """Create a Leaflet pane on the map of the parent layer, before the layer draws.

    Add it as the first child of a :class:`folium.FeatureGroup` (it finds the map
    through the group's parent), so the group works on any folium map.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent._parent.get_name() }};
            if (!map.getPane({{ this.pane|tojson }})) {
                var pane = map.createPane({{ this.pane|tojson }});
                pane.style.zIndex = {{ this.z_index }};
                pane.style.pointerEvents = "none";
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, pane: str, z_index: int) -> None:
        super().__init__()
        self._name = "PataPane"
        self.pane = pane
        self.z_index = int(z_index)


#: Tolerance (m) of the simplification of zone and band outlines for display (the
#: arcs have 64 segments per quarter circle; 1 m is invisible at map scale and
#: far below the accuracy of the landfill outlines).
DISPLAY_SIMPLIFY_M: float = 1.0


def _for_display(gdf: gpd.GeoDataFrame, *, name: str) -> gpd.GeoDataFrame:
    """Outlines simplified by :data:`DISPLAY_SIMPLIFY_M`, in EPSG:4326 to 1e-6 degrees."""
    import shapely

    light = gdf.set_geometry(gdf.geometry.simplify(DISPLAY_SIMPLIFY_M))
    shown = crs.to_display(light, name=name)
    return shown.set_geometry(shapely.set_precision(shown.geometry.values, 1e-6))


class OverlayLegend(MacroElement):
    """A small legend box shown only while its parent layer is on the map.

    Add it as a child of a :class:`folium.FeatureGroup`; toggling the group in the
    layer control shows and hides the box with it.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .pata-overlay-legend { background: rgba(255,255,255,0.93); padding: 6px 9px;
          border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
          font: 12px/1.3 "Helvetica Neue", Arial, sans-serif; color: #222; width: 250px;
          box-sizing: border-box; }
        .pata-overlay-legend h4 { margin: 0 0 4px; font-size: 13px; font-weight: 700; }
        .pata-overlay-legend .pata-row { display: flex; align-items: center; gap: 6px;
          margin: 2px 0; white-space: normal; }
        .pata-overlay-legend svg { flex: none; }
        .pata-overlay-legend .pata-ramp { height: 10px; border: 1px solid #999;
          border-radius: 2px; margin: 2px 0 1px; }
        .pata-overlay-legend .pata-ticks { display: flex; justify-content: space-between;
          font-size: 11px; color: #444; }
        .pata-overlay-legend .pata-small { margin-top: 3px; font-size: 10.5px; color: #555;
          line-height: 1.25; white-space: normal; }
        .pata-overlay-legend .pata-bands { display: flex; gap: 2px; }
        .pata-overlay-legend .pata-band { flex: 1 1 0; text-align: center; font-size: 10.5px;
          white-space: nowrap; }
        .leaflet-container path.leaflet-interactive:focus { outline: none; }
        .pata-overlay-legend .pata-band-swatch { height: 10px; opacity: 0.6;
          border: 1px solid rgba(0,0,0,0.25); border-radius: 2px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var group = {{ this._parent.get_name() }};
            var box = L.control({position: {{ this.position|tojson }}});
            box.onAdd = function() {
                var div = L.DomUtil.create("div", "pata-overlay-legend leaflet-control");
                div.setAttribute("data-overlay", {{ this.key|tojson }});
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            group.on("add", function() { box.addTo(group._map); });
            group.on("remove", function() { box.remove(); });
            if (group._map) { box.addTo(group._map); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str, key: str, position: str = "bottomleft") -> None:
        super().__init__()
        self._name = "PataOverlayLegend"
        self.html = html
        self.key = key
        self.position = position


def _swatch(
    fill: str, *, opacity: float = 0.55, stroke: str | None = None, dash: bool = False
) -> str:
    dash_attr = ' stroke-dasharray="4 3"' if dash else ""
    return (
        f'<svg width="18" height="14"><rect x="1.5" y="1.5" width="15" height="11" '
        f'fill="{html_lib.escape(fill)}" fill-opacity="{opacity}" '
        f'stroke="{html_lib.escape(stroke or fill)}" stroke-width="{2 if dash else 1}"{dash_attr}/></svg>'
    )


def _gradient_css(cmap: str, vmin: float, vmax: float) -> str:
    import matplotlib as mpl

    colormap = mpl.colormaps[cmap]
    lo = max(EXPOSURE_OVERLAY_MIN, vmin)
    stops = [
        f"{mpl.colors.to_hex(colormap((lo + (vmax - lo) * i / 8 - vmin) / (vmax - vmin)))} "
        f"{100 * i / 8:.1f}%"
        for i in range(9)
    ]
    return f"linear-gradient(to right, {', '.join(stops)})"


def _fmt_number(value: float, lang: str, digits: int = 0) -> str:
    text = f"{value:,.{digits}f}"
    if lang in ("ro", "hu"):  # 1.000,5 (ro), 1 000,5 (hu)
        sep = "." if lang == "ro" else "\u202f"
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", sep)
    return text


def pollution_overlays(
    landfill: gpd.GeoDataFrame | PollutionLayers,
    *,
    lang: str | None = None,
    distance_m: float | None = None,
    decay_m: float | None = None,
    resolution_m: float | None = None,
    show_zone: bool = True,
    show_bands: bool = True,
    show_exposure: bool = False,
) -> list[folium.FeatureGroup]:
    """The landfill's legal zone, distance bands and exposure image as map overlays.

    Pass the result to :func:`layer_map` (``extra_overlays=``): each overlay is a
    feature group the layer control can switch on and off, with its own small
    legend (bottom left) shown while it is on. The exposure image is embedded as a
    ``data:`` URI, so :func:`offline` maps stay self-contained.

    Parameters
    ----------
    landfill : GeoDataFrame or PollutionLayers
        The ``landfill`` layer, or what :func:`pollution_layers` computed from it
        (an app caches that and draws it in every language).
    lang : str, optional
        ``"ro"``, ``"en"`` or ``"hu"``; default :data:`pata_gis.settings.language`.
    distance_m, decay_m, resolution_m : float, optional
        Passed to :func:`pollution_layers` when `landfill` is a layer.
    show_zone, show_bands, show_exposure : bool
        Which overlays are on when the map opens (the exposure image is off by
        default: it covers the features below it).

    Returns
    -------
    list of folium.FeatureGroup
        ``[exposure, bands, legal zone]``, bottom to top. Each group has a
        ``pata_key`` attribute: ``"exposure"``, ``"bands"``, ``"zone"``.

    Raises
    ------
    InputError
        When the landfill layer has no active cell (see :mod:`pata_gis.pollution`).

    Examples
    --------
    >>> overlays = pollution_overlays(landfill, lang="en")  # doctest: +SKIP
    >>> m = layer_map(layers, specs, lang="en", extra_overlays=overlays)  # doctest: +SKIP
    """
    lang = language(lang)
    data = (
        landfill
        if isinstance(landfill, PollutionLayers)
        else pollution_layers(
            landfill, distance_m=distance_m, decay_m=decay_m, resolution_m=resolution_m
        )
    )
    d_txt = _fmt_number(data.distance_m, lang)
    reference = html_lib.escape(data.reference)

    # --- exposure image ------------------------------------------------------------
    exposure = folium.FeatureGroup(name=t("pollution.exposure", lang), show=show_exposure)
    exposure.pata_key = "exposure"  # type: ignore[attr-defined]
    exposure.add_child(MapPane(*_EXPOSURE_PANE))
    folium.raster_layers.ImageOverlay(
        data.image_uri,
        bounds=data.bounds,
        interactive=False,
        pixelated=False,
        pane=_EXPOSURE_PANE[0],
        alt=t("pollution.exposure", lang),
    ).add_to(exposure)
    L_txt = _fmt_number(data.decay_m, lang)
    mid = _fmt_number((data.vmin + data.vmax) / 2, lang, 1)
    exposure.add_child(
        OverlayLegend(
            f"<h4>{html_lib.escape(t('pollution.exposure', lang))}</h4>"
            f'<div class="pata-ramp" style="background: '
            f'{_gradient_css(EXPOSURE_CMAP, data.vmin, data.vmax)};"></div>'
            f'<div class="pata-ticks"><span>{_fmt_number(data.vmin, lang)}</span>'
            f"<span>{mid}</span><span>{_fmt_number(data.vmax, lang)}</span></div>"
            f'<div class="pata-small">'
            f"{html_lib.escape(t('pollution.exposure_note', lang, decay=L_txt))}</div>",
            key="exposure",
        )
    )

    # --- distance bands ------------------------------------------------------------
    bands = folium.FeatureGroup(name=t("pollution.bands", lang), show=show_bands)
    bands.pata_key = "bands"  # type: ignore[attr-defined]
    bands.add_child(MapPane(*_ZONES_PANE))
    label_col = f"label_{lang}" if f"label_{lang}" in data.bands.columns else "label_ro"
    frame = data.bands[[label_col, "band", "geometry"]].rename(columns={label_col: "label"})
    colours = {
        code: BAND_COLOURS[min(i, len(BAND_COLOURS) - 1)] for i, code in enumerate(frame["band"])
    }
    frame = frame.assign(
        tip=[t("pollution.band_tip", lang, band=label) for label in frame["label"].astype(str)]
    )[["tip", "band", "geometry"]]
    folium.GeoJson(
        frame,
        name=t("pollution.bands", lang),
        style_function=lambda f, _c=colours: {
            "color": _c.get(f["properties"]["band"], BAND_COLOURS[-1]),
            "weight": 1,
            "opacity": 0.7,
            "fillColor": _c.get(f["properties"]["band"], BAND_COLOURS[-1]),
            "fillOpacity": 0.22,
        },
        highlight_function=lambda _f: {"fillOpacity": 0.35},
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False, sticky=True),
        zoom_on_click=False,
        pane=_ZONES_PANE[0],
    ).add_to(bands)
    cells = "".join(
        f'<div class="pata-band"><div class="pata-band-swatch" style="background:'
        f'{colours[code]}"></div><span>{html_lib.escape(str(code))}</span></div>'
        for code in data.bands["band"]
    )
    rows = [
        f"<h4>{html_lib.escape(t('pollution.bands', lang))} (m)</h4>",
        f'<div class="pata-bands">{cells}</div>',
        f'<div class="pata-small">{html_lib.escape(t("pollution.bands_note", lang))}</div>',
    ]
    bands.add_child(OverlayLegend("".join(rows), key="bands"))

    # --- legal zone ----------------------------------------------------------------
    zone_name = t("pollution.zone", lang, distance=d_txt)
    zone = folium.FeatureGroup(name=zone_name, show=show_zone)
    zone.pata_key = "zone"  # type: ignore[attr-defined]
    zone.add_child(MapPane(*_ZONES_PANE))
    tip = (
        f"<b>{html_lib.escape(zone_name)}</b><br>"
        f"{html_lib.escape(t('pollution.zone_tip', lang, distance=d_txt))}<br>"
        f'<span style="color:#555">{reference}</span>'
    )
    zone_frame = gpd.GeoDataFrame(
        {"area_ha": data.zone["area_ha"].round(1)},
        geometry=data.zone.geometry.values,
        crs=data.zone.crs,
    )
    folium.GeoJson(
        zone_frame,
        name=zone_name,
        style_function=lambda _f: {
            "color": ZONE_COLOUR,
            "weight": 3,
            "opacity": 0.95,
            "dashArray": "8 6",
            "fill": False,
        },
        highlight_function=lambda _f: {"weight": 5},
        tooltip=folium.Tooltip(tip, sticky=True, style="max-width: 320px; white-space: normal;"),
        zoom_on_click=False,
        pane=_ZONES_PANE[0],
    ).add_to(zone)
    zone.add_child(
        OverlayLegend(
            f'<div class="pata-row">{_swatch("#ffffff", opacity=0, stroke=ZONE_COLOUR, dash=True)}'
            f"<b>{html_lib.escape(zone_name)}</b></div>"
            f'<div class="pata-small">{html_lib.escape(t("pollution.reference", lang))}: '
            f"{reference}</div>",
            key="zone",
        )
    )
    return [exposure, bands, zone]


# --------------------------------------------------------------------------------------
# A clicked place: distances to the landfill and the nearest services
# --------------------------------------------------------------------------------------

#: What the clicked-place table measures: category -> (workspace layer, values of the
#: layer's ``kind`` field to keep; ``None`` keeps every feature). Labels are the
#: i18n keys ``place.cat.<category>``.
PLACE_CATEGORIES: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "school": ("schools", None),
    "kindergarten": ("kindergartens", None),
    "family_doctor": ("health", ("family_doctor",)),
    "pharmacy": ("health", ("pharmacy",)),
    "hospital": ("health", ("hospital",)),
    "emergency_department": ("health", ("emergency",)),
    "social_service": ("social_services", None),
    "police": ("emergency_services", ("police", "local_police")),
    "ambulance": ("emergency_services", ("ambulance",)),
    "fire": ("emergency_services", ("fire",)),
    "transit_stop": ("transit_stops", None),
}

#: Categories whose crews drive to people: the table adds their driving time from
#: the facility to the place (``to_facility=False``), for safety plans.
DRIVE_CATEGORIES: tuple[str, ...] = ("police", "ambulance", "fire")

#: Routes with more than this (m) walked off the mapped roads get a note: their
#: times are dominated by the walk to the network, not by the roads.
OFF_ROAD_NOTE_M: float = 200.0

_PLACE_COLUMNS = [
    "layer",
    "name",
    "straight_m",
    "network_name",
    "network_m",
    "walk_min",
    "snap_m",
    "off_road_m",
    "drive_name",
    "drive_min",
    "drive_off_road_m",
    "band",
    "exposure",
    "inside_legal_zone",
]


def _feature_names(gdf: gpd.GeoDataFrame) -> list[str]:
    col = next((c for c in ("name", "nume", "stop_name") if c in gdf.columns), None)
    names = []
    for label, value in zip(gdf.index, gdf[col] if col else [None] * len(gdf), strict=True):
        text = (
            "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        )
        names.append(text.strip() or f"#{label}")
    return names


def _category_frame(
    layers: Mapping[str, gpd.GeoDataFrame], layer: str, kinds: tuple[str, ...] | None
) -> gpd.GeoDataFrame | None:
    gdf = layers.get(layer)
    if gdf is None:
        return None
    if kinds is not None:
        if "kind" not in gdf.columns:
            return gdf.iloc[0:0]
        gdf = gdf[gdf["kind"].astype("string").isin(kinds).fillna(False).to_numpy(dtype=bool)]
    geom = gdf.geometry
    return gdf[geom.notna().to_numpy() & ~geom.is_empty.to_numpy()]


def place_distances(
    point: Any,
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    point_crs: str | None = None,
    categories: Mapping[str, tuple[str, tuple[str, ...] | None]] | None = None,
    network: Any = None,
    walk_speed_kmh: float | None = None,
    drive_categories: Iterable[str] | None = None,
    distance_m: float | None = None,
    decay_m: float | None = None,
) -> pd.DataFrame:
    """How far one place is from the landfill and from the nearest service of each kind.

    What the map page shows for a clicked place; pure (no I/O), so a notebook or
    the CLI can ask the same question.

    Parameters
    ----------
    point : shapely Point or (x, y)
        The place, in `point_crs`.
    layers : mapping of str to GeoDataFrame
        Workspace layers by name (``landfill``, ``schools``, ``health``, ...);
        missing layers give empty rows. Pass only layers the viewer may see.
    point_crs : str, optional
        CRS of `point`; default :data:`pata_gis.settings.display_crs`
        (longitude, latitude), which is what a map click returns.
    categories : mapping, optional
        Default :data:`PLACE_CATEGORIES`.
    network : pata_gis.network.Network, optional
        A street network; when given, the nearest facility *by road* is found
        with :func:`pata_gis.access.nearest_facilities` (walking).
    walk_speed_kmh : float, optional
        Walking speed; ``None`` means the network's.
    drive_categories : iterable of str, optional
        Categories that also get the driving time from the facility to the
        place (police, ambulance and fire crews reaching people); default
        :data:`DRIVE_CATEGORIES`. Needs `network`.
    distance_m, decay_m : float, optional
        The legal distance and the exposure decay length (see
        :func:`pata_gis.pollution.landfill_exposure`).

    Returns
    -------
    DataFrame
        One row per category, ``"landfill"`` first, indexed by category, with
        columns ``layer``; ``name`` and ``straight_m`` (the nearest feature as
        the crow flies and its exact distance in EPSG:3844, m); ``network_name``,
        ``network_m``, ``walk_min`` and ``snap_m`` (the nearest by road, the
        route length including the walk to and from the roads, the walking time,
        the place's distance to the road network, and ``off_road_m``, how much
        of the route is walked off the roads at both ends; NaN without a
        network); ``drive_name``, ``drive_min`` and ``drive_off_road_m`` for
        `drive_categories` (the crew that reaches the place first by car, its
        time, and the part of its route walked off the drivable roads);
        and, on the landfill row only, ``band``, ``exposure`` (the index at the
        point) and ``inside_legal_zone``. Categories with no feature have no
        name and NaN distances. ``attrs`` records ``legal_distance_m``,
        ``legal_reference``, ``network`` (bool) and, for the landfill,
        ``landfill_error`` when its distances cannot be measured (no active cell).

    Examples
    --------
    >>> table = place_distances((23.6853, 46.7714), layers)  # doctest: +SKIP
    >>> table.loc["landfill", ["straight_m", "band", "exposure"]]  # doctest: +SKIP
    """
    import numpy as np
    import shapely

    from pata_gis import pollution, settings
    from pata_gis._errors import InputError

    cats = dict(PLACE_CATEGORIES if categories is None else categories)
    if isinstance(point, shapely.Point):
        xy = (point.x, point.y)
    else:
        try:
            xy = (float(point[0]), float(point[1]))
        except (TypeError, ValueError, IndexError):
            raise InputError(
                f"point {point!r}: give a shapely Point or an (x, y) pair "
                "(longitude, latitude by default)."
            ) from None
    if not all(math.isfinite(v) for v in xy):
        raise InputError(f"point {xy!r} has a missing coordinate; give finite numbers.")
    here = crs.to_metric(
        gpd.GeoSeries([shapely.Point(xy)], crs=point_crs or settings.display_crs),
        name="the place",
    )
    origin = here.iloc[0]

    rows: dict[str, dict[str, Any]] = {}
    empty = dict.fromkeys(_PLACE_COLUMNS)
    attrs: dict[str, Any] = {
        "legal_distance_m": float(
            settings.landfill_protection_m if distance_m is None else distance_m
        ),
        "legal_reference": settings.landfill_protection_reference,
        "network": network is not None,
    }

    # --- the landfill --------------------------------------------------------------
    row = dict(empty, layer="landfill")
    landfill = layers.get("landfill")
    if landfill is None or len(landfill) == 0:
        attrs["landfill_error"] = "no landfill layer"
    else:
        try:
            cells = pollution.landfill_cells(landfill)
            measured = pollution.landfill_exposure(
                here, landfill, distance_m=distance_m, decay_m=decay_m, name="the place"
            )
            exp = measured.iloc[0]
        except InputError as exc:
            attrs["landfill_error"] = str(exc)
        else:
            d_cells = shapely.distance(np.asarray(cells.geometry.values), origin)
            nearest = int(np.argmin(d_cells))
            row.update(
                name=_feature_names(cells)[nearest],
                straight_m=float(exp["distance_m"]),
                band=exp["band"],
                exposure=float(exp["exposure_mean"]),
                inside_legal_zone=bool(exp["inside_legal_zone"]),
            )
            attrs["legal_distance_m"] = float(
                measured.attrs.get("legal_distance_m", attrs["legal_distance_m"])
            )
            attrs["legal_reference"] = measured.attrs.get(
                "legal_reference", attrs["legal_reference"]
            )
    rows["landfill"] = row

    # --- services: straight line ------------------------------------------------------
    frames: dict[str, gpd.GeoDataFrame] = {}
    for key, (layer, kinds) in cats.items():
        row = dict(empty, layer=layer)
        gdf = _category_frame(layers, layer, kinds)
        if gdf is not None and len(gdf):
            metric = crs.to_metric(gdf, name=f"layer {layer!r}")
            d = shapely.distance(np.asarray(metric.geometry.values), origin)
            i = int(np.argmin(d))
            row.update(name=_feature_names(metric)[i], straight_m=float(d[i]))
            frames[key] = metric
        rows[key] = row

    # --- services: by road ------------------------------------------------------------
    if network is not None and frames:
        from pata_gis import access

        table = access.nearest_facilities(
            network,
            here,
            frames,
            within_minutes=(),
            walk_speed_kmh=walk_speed_kmh,
        )
        rec: dict[Any, Any]
        for rec in table.to_dict("records"):
            key = str(rec["category"])
            facility = rec["facility"]
            found = facility is not None and not pd.isna(facility)
            names = dict(zip(frames[key].index, _feature_names(frames[key]), strict=True))
            rows[key].update(
                network_name=names.get(facility) if found else None,
                network_m=float(rec["distance_m"]) if found else math.inf,
                walk_min=float(rec["time_min"]) if found else math.inf,
                snap_m=float(rec["snap_origin_m"]),
                off_road_m=float(rec["snap_origin_m"]) + float(rec["snap_facility_m"])
                if found
                else math.nan,
            )

        drive = [
            k
            for k in (DRIVE_CATEGORIES if drive_categories is None else drive_categories)
            if k in frames
        ]
        if drive:
            table = access.nearest_facilities(
                network,
                here,
                {k: frames[k] for k in drive},
                mode="drive",
                to_facility=False,
                within_minutes=(),
                walk_speed_kmh=walk_speed_kmh,
            )
            for rec in table.to_dict("records"):
                key = str(rec["category"])
                facility = rec["facility"]
                found = facility is not None and not pd.isna(facility)
                names = dict(zip(frames[key].index, _feature_names(frames[key]), strict=True))
                rows[key].update(
                    drive_name=names.get(facility) if found else None,
                    drive_min=float(rec["time_min"]) if found else math.inf,
                    drive_off_road_m=float(rec["snap_origin_m"]) + float(rec["snap_facility_m"])
                    if found
                    else math.nan,
                )

    out = pd.DataFrame.from_dict(rows, orient="index", columns=_PLACE_COLUMNS)
    numeric = (
        "straight_m",
        "network_m",
        "walk_min",
        "snap_m",
        "off_road_m",
        "drive_min",
        "drive_off_road_m",
        "exposure",
    )
    for col in numeric:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    out["inside_legal_zone"] = out["inside_legal_zone"].astype("boolean")
    out.index.name = "category"
    out.attrs.update(attrs)
    return out


def _band_text(code: str, lang: str) -> str:
    if code.startswith(">"):
        lo = code.lstrip("> ").strip()
        return {"ro": f"peste {lo} m", "hu": f"{lo} m felett"}.get(lang, f"over {lo} m")
    return f"{code} m"


def place_table(
    distances: pd.DataFrame, *, lang: str | None = None, text: bool = False
) -> pd.DataFrame:
    """The output of :func:`place_distances` as a table for people, in `lang`.

    Columns (translated): what, nearest, straight-line metres, and, when a
    network was used, road metres and walking minutes; then notes (the
    landfill's band, exposure index and whether the place is inside the legal
    zone; the nearest by road when it differs; unreachable by road).
    Metres are rounded to whole metres, minutes to one decimal.

    Parameters
    ----------
    distances : DataFrame
        From :func:`place_distances`.
    lang : str, optional
        Language of headers, labels and notes.
    text : bool
        Numbers as text written the language's way (``1.234`` and ``13,3`` in
        Romanian), missing ones as ``—``: for printing and static tables.
        Default: nullable numeric columns (sortable).
    """
    lang = language(lang)
    d_legal = _fmt_number(float(distances.attrs.get("legal_distance_m", 1000.0)), lang)
    has_net = bool(distances.attrs.get("network")) and distances["network_m"].notna().any()
    has_drive = "drive_min" in distances.columns and distances["drive_min"].notna().any()
    what: list[str] = []
    nearest: list[str] = []
    straight: list[int | None] = []
    by_road: list[int | None] = []
    walk: list[float | None] = []
    drive: list[float | None] = []
    notes: list[str] = []
    none = t("place.none", lang)
    for key, row in distances.iterrows():
        what.append(t(f"place.cat.{key}", lang))
        note: list[str] = []
        if key == "landfill" and pd.isna(row["straight_m"]):
            nearest.append(t("place.no_landfill", lang))
        else:
            nearest.append(row["name"] if isinstance(row["name"], str) else none)
        straight.append(None if pd.isna(row["straight_m"]) else round(float(row["straight_m"])))
        if key == "landfill" and not pd.isna(row["straight_m"]):
            note.append(t("place.band", lang, band=_band_text(str(row["band"]), lang)))
            note.append(
                t("place.exposure", lang, value=_fmt_number(float(row["exposure"]), lang, 2))
            )
            inside = bool(row["inside_legal_zone"])
            note.append(
                t("place.inside_zone" if inside else "place.outside_zone", lang, distance=d_legal)
            )
        net = row["network_m"]
        if pd.isna(net):
            by_road.append(None)
            walk.append(None)
        elif math.isinf(float(net)):
            by_road.append(None)
            walk.append(None)
            note.append(t("place.unreachable", lang))
        else:
            by_road.append(round(float(net)))
            walk.append(round(float(row["walk_min"]), 1))
            if isinstance(row["network_name"], str) and row["network_name"] != row["name"]:
                note.append(t("place.by_road_other", lang, name=row["network_name"]))
            off = row.get("off_road_m", math.nan)
            if not pd.isna(off) and float(off) > OFF_ROAD_NOTE_M:
                note.append(t("place.off_road", lang, m=_fmt_number(float(off), lang)))
        car = row.get("drive_min", math.nan)
        if pd.isna(car) or math.isinf(float(car)):
            drive.append(None)
        else:
            drive.append(round(float(car), 1))
            crew = row.get("drive_name")
            if isinstance(crew, str) and crew != row["name"]:
                note.append(t("place.by_car_other", lang, name=crew))
            off = row.get("drive_off_road_m", math.nan)
            if not pd.isna(off) and float(off) > OFF_ROAD_NOTE_M:
                note.append(t("place.car_off_road", lang, m=_fmt_number(float(off), lang)))
        notes.append("; ".join(note))
    table = pd.DataFrame(
        {
            t("place.col_what", lang): what,
            t("place.col_nearest", lang): nearest,
            t("place.col_straight", lang): pd.array(straight, dtype="Int64"),
        }
    )
    if has_net:
        table[t("place.col_network", lang)] = pd.array(by_road, dtype="Int64")
        table[t("place.col_walk", lang)] = pd.array(walk, dtype="Float64")
    if has_drive:
        table[t("place.col_drive", lang)] = pd.array(drive, dtype="Float64")
    minutes = {t("place.col_walk", lang), t("place.col_drive", lang)}
    if text:
        empty = t("map.empty_value", lang)
        for col in table.columns[2:]:
            digits = 1 if col in minutes else 0
            table[col] = [
                empty if pd.isna(v) else _fmt_number(float(v), lang, digits) for v in table[col]
            ]
    table[t("place.col_note", lang)] = notes
    return table
