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
]
st.navigation(pages).run()
