"""What every page shares: page setup, the language, the workspace, cached loaders.

Every page starts with :func:`page_setup`, which returns a :class:`PageContext`
(language and open workspace). Caching (``st.cache_resource``, ``st.cache_data``)
lives here, never in the library.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from pata_gis import settings
from pata_gis._errors import PataGisError
from pata_gis.i18n import LANGUAGES, language, t
from pata_gis.maps import allowed_layers
from pata_gis.specs import LayerSpec
from pata_gis.workspace import Workspace

__all__ = [
    "WORKSPACE_ENV",
    "PageContext",
    "current_language",
    "layer_version",
    "layers_for_role",
    "open_workspace",
    "page_setup",
    "read_layer",
    "workspace_path",
]

logger = logging.getLogger(__name__)

#: Environment variable naming the workspace file the app opens.
WORKSPACE_ENV = "PATA_GIS_WORKSPACE"

_LANG_KEY = "lang"
_LANG_WIDGET = "_lang_select"


@dataclass(frozen=True)
class PageContext:
    """What a page needs from the shared setup."""

    lang: str
    workspace: Workspace


def workspace_path() -> Path:
    """The workspace file: ``$PATA_GIS_WORKSPACE`` or ``data/workspace.gpkg``."""
    env = os.environ.get(WORKSPACE_ENV, "").strip()
    return Path(env) if env else Path(settings.default_workspace)


@st.cache_resource(show_spinner=False)
def _open(path: str) -> Workspace:
    if Path(path).exists():
        ws = Workspace(path)
        added = ws.add_missing_layers()  # a workspace made with an older catalogue
        if added:
            logger.info("added layers %s to %s", ", ".join(added), path)
        return ws
    logger.info("creating workspace %s from the catalogue", path)
    return Workspace.create(path)


def open_workspace(path: Path | None = None) -> Workspace:
    """Open the workspace (cached per file), creating it from the catalogue if missing."""
    path = (path or workspace_path()).expanduser().absolute()
    existed = path.exists()
    ws = _open(str(path))
    if not existed:
        st.toast(t("app.workspace_created", current_language(), path=path))
    return ws


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@st.cache_data(show_spinner=False, max_entries=64)
def _read(path: str, name: str, mtime: float) -> gpd.GeoDataFrame:
    return _open(path).read(name)


def read_layer(ws: Workspace, name: str) -> gpd.GeoDataFrame:
    """A layer of `ws` (cached until the workspace file changes)."""
    return _read(str(ws.path), name, _mtime(ws.path))


@st.cache_data(show_spinner=False, max_entries=16)
def _versions(path: str, mtime: float) -> dict[str, int]:
    info = _open(path).info()
    return {
        str(name): int(version) if pd.notna(version) else 0
        for name, version in zip(info["name"], info["version"], strict=True)
    }


def layer_version(ws: Workspace, name: str) -> int:
    """The saved version of layer `name` (0 when never saved; cached per file state)."""
    return _versions(str(ws.path), _mtime(ws.path)).get(name, 0)


def layers_for_role(
    ws: Workspace, role: str = "public"
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, LayerSpec], list[str]]:
    """The layers `role` may see, their specs, and the names of the layers left out."""
    specs = ws.specs()
    visible = allowed_layers(specs, role)
    hidden = [name for name in specs if name not in visible]
    layers: dict[str, gpd.GeoDataFrame] = {}
    for name in visible:
        try:
            layers[name] = read_layer(ws, name)
        except PataGisError as exc:  # one unreadable layer must not take the page down
            logger.warning("layer %s cannot be read: %s", name, exc)
            st.warning(f"{specs[name].label(current_language())}: {exc}")
    return layers, {name: specs[name] for name in layers}, hidden


def current_language() -> str:
    """The interface language chosen in the sidebar (default Romanian)."""
    return language(st.session_state.get(_LANG_KEY))


def _on_language_change() -> None:
    st.session_state[_LANG_KEY] = st.session_state[_LANG_WIDGET]


def page_setup() -> PageContext:
    """Set up a page: config, sidebar language selector, workspace.

    The language lives in ``st.session_state["lang"]`` (``"ro"`` by default); the
    workspace comes from ``$PATA_GIS_WORKSPACE`` or ``data/workspace.gpkg`` and is
    created from the layer catalogue on first run.
    """
    st.session_state.setdefault(_LANG_KEY, language(None))
    lang = current_language()
    st.set_page_config(page_title=t("app.title", lang), page_icon="🗺️", layout="wide")
    codes = list(LANGUAGES)
    st.sidebar.selectbox(
        t("app.language", lang),
        options=codes,
        index=codes.index(lang),
        format_func=LANGUAGES.__getitem__,
        key=_LANG_WIDGET,
        on_change=_on_language_change,
    )
    lang = current_language()
    path = workspace_path()
    try:
        with st.spinner(t("app.workspace", lang) + "…"):
            ws = open_workspace(path)
    except Exception as exc:  # show the library's message, which says what to do
        st.error(t("app.workspace_error", lang, error=exc))
        st.stop()
    st.sidebar.caption(f"{t('app.workspace', lang)}: `{ws.path.name}`")
    return PageContext(lang=lang, workspace=ws)
