"""Safety-plan page: who reaches each community, how fast, by which road; print the plan.

For the safety-plan meetings with the police, social workers and emergency
services (``DOMAIN.md``, users 3). The page

1. takes a target response time per service (editable; defaults and their
   sources from :data:`pata_gis.safety.TARGET_MIN` / ``TARGET_SOURCES``);
2. shows the response time from the nearest station of each service to each
   community (and, for roles that may see them, each candidate site), with the
   places beyond target flagged (:func:`pata_gis.safety.response_coverage`);
3. draws an offline map (vendored Leaflet, no tiles, like the map page) with the
   stations, the route of the nearest station of each service to each
   community, the coverage zones and time bands of one service, the meeting
   points as the role may see them (safe houses only for the police and the
   community) and, for the police and the community, the high-risk cells:
   counts per 250 m cell, cells with fewer than 5 marks left out
   (:func:`pata_gis.privacy.view_for` at the ``"aggregated"`` level);
4. prints the bilingual plan (:func:`pata_gis.safety.safety_plan_pdf`) at the
   role's privacy level, recorded in the workspace's audit table ``pata_audit``
   (mirrored in ``<workspace>.audit.jsonl``), and offers it as a download.

The coverage, the routes and the zones are cached on the workspace file
state, the targets and the role (``st.cache_data``); the road network comes
from :func:`pata_gis.ui.analysis_cache.road_network`.
"""

from __future__ import annotations

import logging
import math
import tempfile
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from pata_gis import crs, privacy, safety, settings
from pata_gis._errors import PataGisError
from pata_gis.i18n import number, t
from pata_gis.maps import layer_map, use_vendored_assets
from pata_gis.ui.analysis_cache import road_network
from pata_gis.ui.assets import vendor_base_url
from pata_gis.ui.common import _mtime, page_setup, read_layer
from pata_gis.ui.text_safety import STRINGS
from pata_gis.workspace import Workspace

logger = logging.getLogger(__name__)


#: Colours of the service routes (as in the printed plan).
ROUTE_COLORS: dict[str, str] = {
    "police": "#2166ac",
    "local_police": "#5e3c99",
    "fire": "#d7301f",
    "ambulance": "#1a9850",
}
#: Colours of the time bands, fastest first (as in the printed plan).
BAND_COLORS: tuple[str, ...] = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")
#: Places read as "places" of the coverage table, in this order.
PLACE_LAYERS: tuple[str, ...] = ("settlements", "candidate_sites")
#: Roles whose map shows the aggregated high-risk cells.
RISK_ROLES: frozenset[str] = frozenset({"police", "community"})
#: The risk layers counted on the grid (never shown raw here).
RISK_LAYERS: tuple[str, ...] = ("risk_marks", "incidents", "risk_paths", "risk_areas")


def _role() -> tuple[str, bool]:
    """The current role and whether the shared role selector provided it."""
    try:
        from pata_gis.ui import common

        getter = getattr(common, "current_role", None)
        if getter is not None:
            role = str(getter())
            if role in privacy.ROLES:
                return role, True
    except Exception as exc:  # the selector is young: fall back to the public view
        logger.warning("current_role failed, using the public view: %s", exc)
    return "public", False


def _kind(kind: str, lang: str) -> str:
    key = f"safety.kind.{kind}"
    return t(key, lang) if key in STRINGS else kind


def _num(v: float, lang: str, digits: int = 1) -> str:
    return number(v, lang, digits) if math.isfinite(v) else "—"


def _visible(ws: Workspace, role: str) -> set[str]:
    """Layers of the workspace `role` may see raw."""
    specs = ws.specs()
    return {n for n, s in specs.items() if privacy.can_see(role, s.sensitivity, level="raw")}


def _read(ws: Workspace, name: str) -> gpd.GeoDataFrame | None:
    if name not in ws.specs():
        return None
    try:
        return read_layer(ws, name)
    except PataGisError as exc:
        logger.warning("layer %s cannot be read: %s", name, exc)
        return None


@st.cache_data(show_spinner=False, max_entries=32)
def _coverage(
    path: str, mtime: float, role: str, targets: tuple[tuple[str, float], ...], _net: Any
) -> pd.DataFrame:
    ws = _workspace(path)
    places = {
        n: crs.to_metric(g, name=n)
        for n in PLACE_LAYERS
        if n in _visible(ws, role) and (g := _read(ws, n)) is not None and len(g)
    }
    stations = crs.to_metric(read_layer(ws, "emergency_services"), name="emergency_services")
    return safety.response_coverage(places, stations, _net, target_min=dict(targets))


@st.cache_data(show_spinner=False, max_entries=8)
def _routes(path: str, mtime: float, _net: Any) -> gpd.GeoDataFrame:
    """The nearest station's route of every service to every community (EPSG:3844)."""
    ws = _workspace(path)
    sett = crs.to_metric(read_layer(ws, "settlements"), name="settlements")
    stations = crs.to_metric(read_layer(ws, "emergency_services"), name="emergency_services")
    parts = []
    kinds = [k for k in safety.SERVICE_KINDS if (stations["kind"].astype(str) == k).any()]
    for i in range(len(sett)):
        for kind in kinds:
            r = safety.access_routes(
                sett.iloc[i : i + 1], stations, _net, kind=kind, max_stations=1
            )
            if len(r):
                r["place"] = str(sett["name"].iloc[i]) if "name" in sett else str(i)
                parts.append(r)
    if not parts:
        return gpd.GeoDataFrame(geometry=[], crs=settings.metric_crs)
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=parts[0].crs)


@st.cache_data(show_spinner=False, max_entries=16)
def _zones(path: str, mtime: float, kind: str, _net: Any) -> gpd.GeoDataFrame:
    ws = _workspace(path)
    stations = crs.to_metric(read_layer(ws, "emergency_services"), name="emergency_services")
    return safety.coverage_zones(stations, _net, kind=kind)


@st.cache_data(show_spinner=False, max_entries=8)
def _risk_cells(path: str, mtime: float, role: str) -> gpd.GeoDataFrame | None:
    """Counts per cell of every risk layer, summed; cells under k left out."""
    ws = _workspace(path)
    specs = ws.specs()
    parts = []
    for name in RISK_LAYERS:
        g = _read(ws, name) if name in specs else None
        if g is None or len(g) == 0:
            continue
        view, _level = privacy.view_for(role, g, specs[name], level="aggregated")
        if len(view):
            parts.append(view[["cell_id", "n", "geometry"]])
    if not parts:
        return None
    merged = pd.concat(parts, ignore_index=True)
    summed = merged.groupby("cell_id", as_index=False).agg(
        n=("n", "sum"), geometry=("geometry", "first")
    )
    return gpd.GeoDataFrame(summed, geometry="geometry", crs=parts[0].crs)


def _workspace(path: str) -> Workspace:
    from pata_gis.ui.common import _open

    return _open(path)


def coverage_table(cov: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per place, one column per service: ``"12,4 ⚠"`` style cells."""
    kinds = [k for k in safety.SERVICE_KINDS if k in set(cov["kind"])]
    first = cov.drop_duplicates("place_index").sort_values("place_index")
    out = pd.DataFrame(
        {
            t("safety.col_place", lang): first["place"].astype(str).to_numpy(),
            t("safety.col_type", lang): [
                t(f"safety.type.{lay}", lang) if f"safety.type.{lay}" in STRINGS else str(lay)
                for lay in (first["layer"] if "layer" in first else ["settlements"] * len(first))
            ],
        }
    )
    for kind in kinds:
        sub = cov[cov["kind"] == kind].set_index("place_index").reindex(first["place_index"])
        cells = []
        for tm, beyond, ok in zip(
            sub["time_min"], sub["beyond_target"], sub["reachable"], strict=True
        ):
            if not ok:
                cells.append(t("safety.unreachable", lang))
            else:
                cells.append(_num(float(tm), lang) + (" ⚠" if beyond else ""))
        target = float(sub["target_min"].iloc[0])
        out[f"{_kind(kind, lang)} (≤ {_num(target, lang, 0)})"] = cells
    return out


def detail_table(cov: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The long table: station, driving and walking legs, target and the flag."""
    return pd.DataFrame(
        {
            t("safety.col_place", lang): cov["place"].astype(str),
            t("safety.col_kind", lang): [_kind(k, lang) for k in cov["kind"]],
            t("safety.col_station", lang): cov["station"].fillna("—").astype(str),
            t("safety.col_time", lang): [_num(v, lang) for v in cov["time_min"]],
            t("safety.col_drive", lang): [_num(v, lang) for v in cov["drive_min"]],
            t("safety.col_walk", lang): [_num(v, lang) for v in cov["walk_min"]],
            t("safety.col_walk_m", lang): [_num(v, lang, 0) for v in cov["walk_m"]],
            t("safety.col_target", lang): [_num(v, lang, 0) for v in cov["target_min"]],
            t("safety.col_flag", lang): [
                t("safety.yes" if b else "safety.no", lang) for b in cov["beyond_target"]
            ],
        }
    ).reset_index(drop=True)


def _band_color(lo: float) -> str:
    if not math.isfinite(lo):
        return "#999999"
    edges = (0.0, *safety.BANDS_MIN)
    i = sum(1 for e in edges if lo >= e) - 1
    return BAND_COLORS[min(max(i, 0), len(BAND_COLORS) - 1)]


def _overlays(
    routes: gpd.GeoDataFrame,
    zones: gpd.GeoDataFrame | None,
    zones_kind: str,
    risk: gpd.GeoDataFrame | None,
    lang: str,
) -> list[folium.FeatureGroup]:
    groups: list[folium.FeatureGroup] = []
    if zones is not None and len(zones):
        g = folium.FeatureGroup(name=t("safety.zones", lang, kind=_kind(zones_kind, lang)))
        z = crs.to_display(zones.assign(geometry=zones.geometry.simplify(2.0)), name="zones")
        z = z.assign(
            station=z["station"].fillna("—").astype(str),
            area=[_num(a, lang, 2) for a in z["area_km2"]],
            color=[_band_color(v) for v in z["band_lo_min"]],
        )[["station", "band", "area", "color", "geometry"]]
        folium.GeoJson(
            z.__geo_interface__,
            style_function=lambda f: {
                "color": f["properties"]["color"],
                "weight": 0.5,
                "fillColor": f["properties"]["color"],
                "fillOpacity": 0.35,
            },
            tooltip=folium.GeoJsonTooltip(
                ["station", "band", "area"],
                aliases=[
                    t("safety.col_station", lang),
                    t("safety.col_band", lang),
                    t("safety.col_area", lang),
                ],
            ),
        ).add_to(g)
        groups.append(g)
    if len(routes):
        r_disp = crs.to_display(routes, name="routes")
        for kind in safety.SERVICE_KINDS:
            sub = r_disp[r_disp["kind"] == kind]
            if not len(sub):
                continue
            g = folium.FeatureGroup(name=t("safety.routes", lang, kind=_kind(kind, lang)))
            color = ROUTE_COLORS.get(kind, "#333333")
            sub = sub.assign(
                total=[_num(v, lang) for v in sub["total_min"]],
                dash=["6 6" if leg == "walk" else "" for leg in sub["leg"]],
            )[["station", "place", "leg", "total", "dash", "geometry"]]
            folium.GeoJson(
                sub.__geo_interface__,
                style_function=lambda f, c=color: {
                    "color": c,
                    "weight": 4,
                    "opacity": 0.85,
                    "dashArray": f["properties"]["dash"] or None,
                },
                tooltip=folium.GeoJsonTooltip(
                    ["station", "place", "total"],
                    aliases=[
                        t("safety.col_station", lang),
                        t("safety.col_place", lang),
                        t("safety.col_time", lang),
                    ],
                ),
            ).add_to(g)
            groups.append(g)
    if risk is not None and len(risk):
        g = folium.FeatureGroup(name=t("safety.risk_cells", lang, k=privacy.DEFAULT_K))
        rd = crs.to_display(risk, name="risk cells")[["n", "geometry"]]
        folium.GeoJson(
            rd.__geo_interface__,
            style_function=lambda f: {
                "color": "#67001f",
                "weight": 1.5,
                "fillColor": "#b2182b",
                "fillOpacity": 0.45,
            },
            tooltip=folium.GeoJsonTooltip(["n"], aliases=[t("safety.risk_count", lang)]),
        ).add_to(g)
        groups.append(g)
    return groups


def _swatch(color: str, line: bool = False) -> str:
    h = "4px" if line else "12px"
    return (
        f'<span style="display:inline-block;width:18px;height:{h};background:{color};'
        f'margin:0 4px 2px 10px;vertical-align:middle;opacity:0.85"></span>'
    )


def map_legend(kinds: list[str], lang: str) -> str:
    """One line of route colours and one of time-band colours (HTML, drawn under the map)."""
    routes = "".join(_swatch(ROUTE_COLORS.get(k, "#333"), True) + _kind(k, lang) for k in kinds)
    labels = []
    lo = 0.0
    for hi in safety.BANDS_MIN:
        labels.append(f"{lo:g}–{hi:g} min")
        lo = hi
    labels.append(f"> {lo:g} min")
    bands = "".join(_swatch(c) + lab for c, lab in zip(BAND_COLORS, labels, strict=True))
    return (
        f'<div style="font-size:0.85rem;line-height:1.8">'
        f"<b>{t('safety.legend_routes', lang)}</b>{routes} "
        f"({t('safety.legend_walk', lang)})<br>"
        f"<b>{t('safety.legend_bands', lang)}</b>{bands}</div>"
    )


# --------------------------------------------------------------------------- the page
ctx = page_setup()
lang, ws = ctx.lang, ctx.workspace
role, from_selector = _role()
level = privacy.clearance(role)
mtime = _mtime(ws.path)

st.title(t("safety.heading", lang))
st.caption(t("safety.caption", lang))
st.caption(
    t(
        "safety.role",
        lang,
        role=t(f"safety.role.{role}", lang),
        level=t(f"safety.level.{level}", lang),
    )
)
if not from_selector:
    st.caption(t("safety.role_default", lang))

for need in ("settlements", "roads", "emergency_services"):
    g = _read(ws, need)
    if g is None or len(g) == 0:
        st.warning(t("safety.missing_layer", lang, layer=need))
        st.stop()

net = road_network(ws)
if net.network is None:
    st.warning(t("safety.no_network", lang, reason=net.reason or ""))
    st.stop()

stations_kinds = set(read_layer(ws, "emergency_services")["kind"].astype(str))
kinds = [k for k in safety.SERVICE_KINDS if k in stations_kinds]

with st.expander(t("safety.targets", lang), expanded=False):
    cols = st.columns(max(len(kinds), 1))
    targets: dict[str, float] = {}
    for col, kind in zip(cols, kinds, strict=False):
        source = safety.TARGET_SOURCES.get(kind, {}).get(lang if lang in ("ro", "en") else "ro", "")
        targets[kind] = float(
            col.number_input(
                _kind(kind, lang),
                min_value=1.0,
                max_value=120.0,
                value=float(safety.TARGET_MIN.get(kind, 10.0)),
                step=1.0,
                key=f"safety_target_{kind}",
                help=t("safety.targets_help", lang, source=source) if source else None,
            )
        )

try:
    cov = _coverage(str(ws.path), mtime, role, tuple(sorted(targets.items())), net.network)
except PataGisError as exc:
    st.error(t("safety.error", lang, error=exc))
    st.stop()

st.subheader(t("safety.coverage_heading", lang))
settl = cov[cov.get("layer", pd.Series("settlements", index=cov.index)) == "settlements"]
mcols = st.columns(max(len(kinds), 1))
for col, kind in zip(mcols, kinds, strict=False):
    sub = settl[settl["kind"] == kind]
    if not len(sub):
        continue
    slow = float(sub["time_min"].max())
    col.metric(
        t("safety.metric_beyond", lang, kind=_kind(kind, lang)),
        t("safety.metric_value", lang, n=int(sub["beyond_target"].sum()), total=len(sub)),
        t(
            "safety.metric_delta",
            lang,
            time=_num(slow, lang),
            target=_num(float(sub["target_min"].iloc[0]), lang, 0),
        ),
        delta_color="off",
        delta_arrow="off",
        border=True,
        help=t("safety.metric_help", lang, target=_num(float(sub["target_min"].iloc[0]), lang, 0)),
    )
st.caption(t("safety.coverage_note", lang))
st.dataframe(coverage_table(cov, lang), hide_index=True, width="stretch")
with st.expander(t("safety.detail", lang)):
    st.dataframe(detail_table(cov, lang), hide_index=True, width="stretch")

# --- the map ----------------------------------------------------------------
st.subheader(t("safety.map_heading", lang))
zones_kind = st.selectbox(
    t("safety.zones_kind", lang),
    options=kinds,
    format_func=lambda k: _kind(k, lang),
    key="safety_zones_kind",
)
specs = ws.specs()
visible = _visible(ws, role)
map_layers: dict[str, gpd.GeoDataFrame] = {}
for name in ("landfill", "settlements", "candidate_sites", "roads", "emergency_services"):
    if name in visible and (g := _read(ws, name)) is not None and len(g):
        map_layers[name] = g
mp = _read(ws, "meeting_points")
mp_view: gpd.GeoDataFrame | None = None
if mp is not None and "meeting_points" in visible:
    mp_view = safety.meeting_points_view(crs.to_metric(mp, name="meeting_points"), role)
    if len(mp_view):
        map_layers["meeting_points"] = mp_view
routes = _routes(str(ws.path), mtime, net.network)
try:
    zones = _zones(str(ws.path), mtime, zones_kind, net.network) if zones_kind else None
except PataGisError as exc:
    st.warning(t("safety.error", lang, error=exc))
    zones = None
risk = _risk_cells(str(ws.path), mtime, role) if role in RISK_ROLES else None
m = layer_map(
    map_layers,
    {n: specs[n] for n in map_layers},
    lang=lang,
    role=level,
    hidden=len([n for n in specs if n not in visible]),
    height=600,
    extra_overlays=_overlays(routes, zones, zones_kind or "", risk, lang),
)
use_vendored_assets(m, vendor_base_url())
st.caption(t("safety.map_caption", lang))
st_folium(
    m,
    key=f"safety_map_{lang}_{zones_kind}",
    height=600,
    use_container_width=True,
    returned_objects=[],
)
st.markdown(map_legend(kinds, lang), unsafe_allow_html=True)
if role in RISK_ROLES:
    st.caption(
        t(
            "safety.risk_note",
            lang,
            cell=_num(privacy.DEFAULT_CELL_M, lang, 0),
            k=privacy.DEFAULT_K,
            n=0 if risk is None else len(risk),
        )
    )
else:
    st.caption(t("safety.risk_hidden", lang))

# --- who covers which zone ----------------------------------------------------
if zones is not None and len(zones):
    st.subheader(t("safety.zones_heading", lang))
    st.dataframe(
        pd.DataFrame(
            {
                t("safety.col_kind", lang): [_kind(k, lang) for k in zones["kind"]],
                t("safety.col_station", lang): zones["station"].fillna("—").astype(str),
                t("safety.col_band", lang): zones["band"].astype(str),
                t("safety.col_area", lang): [_num(a, lang, 2) for a in zones["area_km2"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )

# --- meeting points -------------------------------------------------------------
st.subheader(t("safety.meeting_heading", lang))
if "meeting_points" not in visible:
    st.info(t("safety.meeting_hidden", lang))
elif mp_view is None or len(mp_view) == 0:
    st.info(t("safety.meeting_none", lang))
else:
    shown = [c for c in ("name", "kind", "community", "contact_role", "notes") if c in mp_view]
    st.dataframe(pd.DataFrame(mp_view[shown]), hide_index=True, width="stretch")
if role not in safety.SAFE_HOUSE_ROLES and "meeting_points" in visible:
    st.caption(t("safety.safe_houses_hidden", lang))

# --- print ------------------------------------------------------------------------
st.subheader(t("safety.print_heading", lang))
plan_lang = "en" if lang == "en" else "ro"
other = "ro" if plan_lang == "en" else "en"
#: The plan's languages as each interface language names them.
LANGUAGE_NAMES = {
    "ro": {"ro": "română", "en": "engleză"},
    "en": {"ro": "Romanian", "en": "English"},
    "hu": {"ro": "román", "en": "angol"},
}
names = LANGUAGE_NAMES.get(lang, LANGUAGE_NAMES["en"])
st.caption(t("safety.print_note", lang, first=names[plan_lang], other=names[other]))
who = st.text_input(t("safety.who", lang), key="safety_who", help=t("safety.who_help", lang))
if st.button(t("safety.print", lang), key="safety_print", type="primary"):
    if not who.strip():
        st.warning(t("safety.print_who_missing", lang))
    else:
        audit = privacy.WorkspaceAuditLog(ws)  # pata_audit, mirrored beside the file
        with st.spinner(t("safety.printing", lang)), tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"safety_plan_{plan_lang}.pdf"
            try:
                safety.safety_plan_pdf(
                    out,
                    who=who.strip(),
                    workspace=ws,
                    network=net.network,
                    lang=plan_lang,
                    privacy_level=role,
                    audit=audit,
                    target_min=targets,
                    zones_kind=zones_kind or "police",
                )
                st.session_state["safety_pdf"] = {
                    "data": out.read_bytes(),
                    "name": f"plan_siguranta_{role}_{plan_lang}.pdf",
                    "audit": f"{ws.path.name}: pata_audit",
                    "level": role,
                }
            except PataGisError as exc:
                st.error(t("safety.error", lang, error=exc))
pdf = st.session_state.get("safety_pdf")
if pdf:
    size = f"{len(pdf['data']) / 1024:.0f} kB"
    st.success(t("safety.printed", lang, size=size, level=pdf["level"], audit=pdf["audit"]))
    st.download_button(
        t("safety.download", lang),
        data=pdf["data"],
        file_name=pdf["name"],
        mime="application/pdf",
        key="safety_download",
    )
