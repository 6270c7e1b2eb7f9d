"""Map page: every public layer of the workspace, offline, in the chosen language.

How the map is drawn offline
----------------------------
The map is a :func:`pata_gis.maps.layer_map` shown with
``streamlit_folium.st_folium``, which returns clicks and drawings (needed by the
workshop pages). Its frontend ignores folium's ``<script src>``/``<link>`` tags and
loads the URLs in each element's ``default_js``/``default_css`` instead, aborting
the map if one fails; those are CDN URLs. :func:`pata_gis.maps.use_vendored_assets`
rewrites them to the vendored copies, which Streamlit serves from the package
folder ``pata_gis/static/vendor`` because :mod:`pata_gis.ui.assets` declares that
folder as a (never rendered) component. No tiles are requested (``tiles=None``): the
layers are drawn on a plain background, so nothing leaves the laptop. The download
button gives the same map as one self-contained HTML file
(:func:`pata_gis.maps.offline`, ``mode="inline"``).

``st.components.v1.html(offline(m))`` would also work offline but returns no
clicks, so it is not used.

Restricted and confidential layers are never passed to the map; the legend says
how many were left out.

Landfill zones and a clicked place
----------------------------------
The legal sanitary-protection zone, the distance bands and the exposure image
(:func:`pata_gis.maps.pollution_overlays`) are computed once per landfill version
(:mod:`pata_gis.ui.analysis_cache`) and switched in the layer control. A click on
the map shows, under it, the distances from that place
(:func:`pata_gis.maps.place_distances`): to the active landfill cells (band,
exposure index, inside the legal zone or not) and to the nearest school,
kindergarten, doctor, pharmacy, hospital, social service, police, ambulance,
fire brigade and stop, straight and, when the roads layer makes a network, by
road on foot. The clicked marker is sent as ``feature_group_to_add``, so the
map is not redrawn and keeps its view; only clicks rerun the page
(``returned_objects=["last_clicked"]``).
"""

from __future__ import annotations

from typing import Any

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from pata_gis._errors import PataGisError
from pata_gis.i18n import t
from pata_gis.maps import (
    layer_map,
    local_basemap,
    offline,
    place_table,
    pollution_overlays,
    use_vendored_assets,
)
from pata_gis.ui.analysis_cache import clicked_place, in_area, landfill_overlays, road_network
from pata_gis.ui.assets import vendor_base_url
from pata_gis.ui.common import layers_for_role, map_clearance, online_tiles, page_setup
from pata_gis.ui.map_overlay import draw_on_map

#: Session key of the last clicked place, shared by the maps of every language.
_CLICKED = "map_clicked_place"

ctx = page_setup()
lang, ws = ctx.lang, ctx.workspace

role = ctx.role
layers, specs, hidden = layers_for_role(ws, role)
all_specs = ws.specs()

st.title(t("map.heading", lang))
st.caption(t("map.caption", lang, n=len(layers)) + " " + t("app.offline_note", lang))
if hidden:
    st.caption(
        t("map.hidden_list", lang, names=", ".join(all_specs[n].label(lang) for n in hidden))
    )


def _overlays(lang: str) -> list[folium.FeatureGroup]:
    """The landfill overlays (computed once per landfill version), or none with a note."""
    if "landfill" not in layers or len(layers["landfill"]) == 0:
        return []
    try:
        return pollution_overlays(landfill_overlays(ws), lang=lang)
    except PataGisError as exc:
        st.warning(t("map.pollution_unavailable", lang, error=exc))
        return []


def _marker(clicked: dict[str, float], lang: str) -> dict[str, Any]:
    """The clicked place as GeoJSON for :func:`pata_gis.ui.map_overlay.draw_on_map`:
    a yellow dot in a white ring, drawn above everything."""
    tip = t("place.marker", lang)
    point = {"type": "Point", "coordinates": [clicked["lng"], clicked["lat"]]}
    ring = {"radius": 11, "color": "#ffffff", "weight": 4, "fill": False, "opacity": 1}
    dot = {
        "radius": 7,
        "color": "#111111",
        "weight": 3,
        "fill": True,
        "fillColor": "#ffd400",
        "fillOpacity": 1,
    }
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": point, "properties": {"_style": s, "_tip": tip}}
            for s in (ring, dot)
        ],
    }


m = layer_map(
    layers,
    specs,
    lang=lang,
    role=map_clearance(role),
    tiles=online_tiles(),
    hidden=len(hidden),
    height=640,
    extra_overlays=[local_basemap(layers, lang=lang), *_overlays(lang)],
)
use_vendored_assets(m, vendor_base_url())
map_key = f"layer_map_{lang}_{role}"
# st_folium stores its last answer under `map_key` before the rerun a click causes,
# so the marker of that click can go into this very call.
clicked = (st.session_state.get(map_key) or {}).get("last_clicked") or st.session_state.get(
    _CLICKED
)
result = st_folium(
    m,
    key=map_key,
    height=640,
    use_container_width=True,
    returned_objects=["last_clicked"],
)
clicked = (result or {}).get("last_clicked") or clicked
# the marker goes to the map already on screen: the map's own message stays the same
# from click to click, so Streamlit does not send the map again (map_overlay)
draw_on_map("clicked_place", [_marker(clicked, lang)] if clicked else [])
st.session_state[_CLICKED] = clicked  # kept when the language (so the map key) changes

st.subheader(t("place.heading", lang))
if not clicked:
    st.caption(t("place.hint", lang))
else:
    lat, lon = float(clicked["lat"]), float(clicked["lng"])
    st.caption(t("map.clicked", lang, lat=lat, lon=lon))
    if not in_area(lon, lat):
        st.warning(t("place.outside_area", lang))
    else:
        net = road_network(ws)
        distances = clicked_place(ws, lon, lat, with_network=net.network is not None)
        landfill = distances.loc["landfill"]
        if not pd.isna(landfill["straight_m"]):
            inside = bool(landfill["inside_legal_zone"])
            first = place_table(distances.loc[["landfill"]], lang=lang, text=True).iloc[0]
            summary = (
                f"**{t('place.cat.landfill', lang)}: {first[t('place.col_straight', lang)]} m**"
                f" — {first[t('place.col_note', lang)]}"
            )
            (st.warning if inside else st.info)(summary)
        st.table(place_table(distances, lang=lang, text=True), hide_index=True)
        if net.network is None or "network_error" in distances.attrs:
            reason = distances.attrs.get("network_error") or net.reason or ""
            if reason in ("no_network_module", "no_roads"):
                reason = t(f"place.{reason}", lang)
            st.caption(t("place.network_unavailable", lang, reason=reason))
        else:
            roads = all_specs["roads"].label(lang) if "roads" in all_specs else "roads"
            speed = f"{net.walk_speed_kmh:g}".replace(".", "," if lang != "en" else ".")
            st.caption(t("place.network_note", lang, roads=roads, speed=speed))
            snap = distances["snap_m"].dropna()
            if len(snap) and float(snap.iloc[0]) > 50:
                st.caption(t("place.snap", lang, m=round(float(snap.iloc[0]))))

with st.expander(t("map.layer_table", lang)):
    st.dataframe(
        pd.DataFrame(
            {
                t("map.col_layer", lang): [specs[n].label(lang) for n in layers],
                t("map.col_features", lang): [len(g) for g in layers.values()],
                t("map.col_source", lang): [specs[n].source.get("name", "") for n in layers],
            }
        ),
        hide_index=True,
        width="stretch",
    )


@st.cache_data(show_spinner=False, max_entries=8)
def _map_html(path: str, mtime: float, lang: str, role: str) -> str:
    # `role` is part of the cache key: one role's map is never handed to another
    full = layer_map(
        layers,
        specs,
        lang=lang,
        role=map_clearance(role),
        hidden=len(hidden),
        extra_overlays=[local_basemap(layers, lang=lang), *_overlays(lang)],
    )
    return offline(full, mode="inline")


if st.button(t("map.download", lang) + " …", key="prepare_download"):
    html = _map_html(str(ws.path), ws.path.stat().st_mtime, lang, role)
    st.download_button(
        t("map.download", lang),
        data=html.encode("utf-8"),
        file_name=f"pata_rat_map_{lang}.html",
        mime="text/html",
    )
