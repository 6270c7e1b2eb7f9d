"""pata-gis Streamlit app: only routes between the pages in ``pata_gis/ui/``.

Run with ``streamlit run app.py``; set ``PATA_GIS_WORKSPACE`` to open another
workspace file than ``data/workspace.gpkg``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from pata_gis.i18n import t

UI = Path(__file__).resolve().parent / "pata_gis" / "ui"
lang = st.session_state.get("lang")

pages = [
    st.Page(UI / "map_page.py", title=t("page.map", lang), icon="🗺️", url_path="map", default=True),
    st.Page(UI / "workshop_page.py", title=t("page.workshop", lang), icon="✏️", url_path="workshop"),
    st.Page(UI / "sites_page.py", title=t("page.sites", lang), icon="🏘️", url_path="sites"),
    st.Page(
        UI / "scenarios_page.py", title=t("page.scenarios", lang), icon="⚖️", url_path="scenarios"
    ),
    st.Page(UI / "safety_page.py", title=t("page.safety", lang), icon="🚑", url_path="safety"),
    st.Page(UI / "data_page.py", title=t("page.data", lang), icon="🗂️", url_path="data"),
]
st.navigation(pages).run()
