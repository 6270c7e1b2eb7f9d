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
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from pata_gis.i18n import t
from pata_gis.maps import layer_map, offline, use_vendored_assets
from pata_gis.ui.assets import vendor_base_url
from pata_gis.ui.common import layers_for_role, page_setup

ctx = page_setup()
lang, ws = ctx.lang, ctx.workspace

layers, specs, hidden = layers_for_role(ws, "public")
all_specs = ws.specs()

st.title(t("map.heading", lang))
st.caption(t("map.caption", lang, n=len(layers)) + " " + t("app.offline_note", lang))
if hidden:
    st.caption(
        t("map.hidden_list", lang, names=", ".join(all_specs[n].label(lang) for n in hidden))
    )

m = layer_map(layers, specs, lang=lang, role="public", hidden=len(hidden), height=640)
use_vendored_assets(m, vendor_base_url())
result = st_folium(
    m,
    key=f"layer_map_{lang}",
    height=640,
    use_container_width=True,
    returned_objects=["last_clicked"],
)
clicked = (result or {}).get("last_clicked")
if clicked:
    st.caption(t("map.clicked", lang, lat=clicked["lat"], lon=clicked["lng"]))

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
def _map_html(path: str, mtime: float, lang: str) -> str:
    return offline(layer_map(layers, specs, lang=lang, hidden=len(hidden)), mode="inline")


if st.button(t("map.download", lang) + " …", key="prepare_download"):
    html = _map_html(str(ws.path), ws.path.stat().st_mtime, lang)
    st.download_button(
        t("map.download", lang),
        data=html.encode("utf-8"),
        file_name=f"pata_rat_map_{lang}.html",
        mime="text/html",
    )
