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
  the viewer's role may not see (:class:`~pata_gis._errors.SensitivityError`).

No Streamlit here; the app lives in :mod:`pata_gis.ui`.

Examples
--------
>>> from pata_gis.maps import layer_map, save_html
>>> m = layer_map({"schools": schools}, {"schools": spec}, lang="en")  # doctest: +SKIP
>>> save_html(m, "schools.html")  # doctest: +SKIP
"""

from __future__ import annotations

import base64
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
    "VENDOR_DIR",
    "OfflineAssetError",
    "allowed_layers",
    "external_references",
    "layer_map",
    "offline",
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
    if tiles is None:
        m.add_child(Background())
    else:
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
