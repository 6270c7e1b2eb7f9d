"""The data page (being built: see the issue list)."""

from __future__ import annotations

import streamlit as st

from pata_gis.i18n import t
from pata_gis.ui.common import page_setup

ctx = page_setup()
st.title(t("page.data", ctx.lang))
st.info(t("page.in_progress", ctx.lang))
