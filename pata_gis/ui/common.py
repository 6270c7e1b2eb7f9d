"""What every page shares: page setup, the language, the role, the workspace, cached loaders.

Every page starts with :func:`page_setup`, which returns a :class:`PageContext`
(language, role and open workspace). Caching (``st.cache_resource``,
``st.cache_data``) lives here, never in the library.

Roles
-----
The sidebar asks who is using the app: public (default), community, planner or
police. The roles that may see more than the public need the passphrase set
with ``pata-gis role set-passphrase <role>`` (:mod:`pata_gis.roles`, stored
hashed in the workspace); once entered, the role is remembered in
``st.session_state["role"]`` for the browser session. Wrong passphrases are
counted in the workspace, across every session: after
:data:`pata_gis.roles.MAX_FAILED_ATTEMPTS` within 15 minutes the role is
locked for 15 minutes and the selector says how long, and how the facilitator
unlocks it (``pata-gis role unlock ROLE``). :func:`current_role`
returns it; :func:`layers_for_role` gives a page what that role may see
(raw layers where allowed, aggregated views of the others, never raw ones).
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from pata_gis import basemap, privacy, roles, settings
from pata_gis._errors import PataGisError
from pata_gis.i18n import LANGUAGES, language, t
from pata_gis.specs import LayerSpec
from pata_gis.ui import (
    text_common,  # noqa: F401  (registers the sidebar's strings)
    text_roles,  # noqa: F401  (registers the passphrase lock's strings)
)
from pata_gis.workspace import Workspace

__all__ = [
    "WORKSPACE_ENV",
    "PageContext",
    "current_language",
    "current_role",
    "layer_version",
    "layers_for_role",
    "map_clearance",
    "online_tiles",
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
#: Session key of the entered role (set only after the passphrase was checked).
ROLE_KEY = "role"
_ROLE_WIDGET = "_role_select"
_PASS_WIDGET = "_role_passphrase"
_STAMP_KEY = "_role_stamp"
#: Seconds the page waits after a wrong passphrase (the lock across sessions,
#: :func:`pata_gis.roles.lockout`, is what really limits guessing).
WRONG_PASSPHRASE_DELAY_S = 1.0


@dataclass(frozen=True)
class PageContext:
    """What a page needs from the shared setup."""

    lang: str
    workspace: Workspace
    role: str = "public"


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
    ws: Workspace, role: str | None = None
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, LayerSpec], list[str]]:
    """The layers `role` may see, their specs, and the names of the layers left out.

    Layers the role may see raw come as stored; restricted and confidential
    layers it may not see raw come as aggregated views
    (:func:`pata_gis.roles.role_views`: counts on a 250 m grid, cells under
    k removed, workshop marks only as their session's consent allows), with a
    spec the role's map accepts (draw with ``role=privacy.clearance(role)``).
    Layers the role may see nothing of, or whose cells all fall under k, are
    named in the third item.

    Parameters
    ----------
    ws : Workspace
    role : str, optional
        ``community``, ``planner``, ``police`` or ``public``; default
        :func:`current_role`.
    """
    role = current_role() if role is None else role
    specs = ws.specs()
    raw: dict[str, gpd.GeoDataFrame] = {}
    for name in specs:
        try:
            raw[name] = read_layer(ws, name)
        except PataGisError as exc:  # one unreadable layer must not take the page down
            logger.warning("layer %s cannot be read: %s", name, exc)
            st.warning(f"{specs[name].label(current_language())}: {exc}")
    sessions = raw.get("workshop_sessions")
    views = roles.role_views(raw, specs, role, sessions=sessions)
    unreadable = [name for name in specs if name not in raw]
    return views.layers, views.specs, [*views.hidden, *unreadable]


@st.cache_data(ttl=300, show_spinner=False)
def _tiles_answer(url: str) -> bool:
    return basemap.tile_server_answers(url)


def online_tiles(url: str | None = None) -> str | None:
    """The OpenStreetMap tile URL when its server answers, else None (draw offline).

    The 1 s check (:func:`pata_gis.basemap.tile_server_answers`) is made at most
    once per 5 minutes; ``PATA_GIS_OFFLINE=1`` skips it. Pass the result as
    ``tiles=`` to :func:`pata_gis.maps.layer_map`, with
    :func:`pata_gis.maps.local_basemap` in ``extra_overlays`` so the map reads
    well without tiles too.
    """
    target = url or basemap.OSM_TILE_URL
    if not basemap.online():
        return None
    return target if _tiles_answer(target) else None


def current_language() -> str:
    """The interface language chosen in the sidebar (default Romanian)."""
    return language(st.session_state.get(_LANG_KEY))


def _on_language_change() -> None:
    st.session_state[_LANG_KEY] = st.session_state[_LANG_WIDGET]
    _resend_widget_values()


def _resend_widget_values() -> None:
    """Give every choice widget its own value again, so the browser redraws its label.

    A select box, radio or multiselect keeps, in the browser, the *label* of its
    choice (Streamlit sends the formatted option back). When the language changes,
    that label ("Urbanist") is no longer among the options ("Planner", "Tervező"),
    and a later run reads a foreign string or the first option instead of the
    choice: switching language twice dropped a planner out of the role. Assigning
    each such value to itself in this callback makes Streamlit send it to the
    browser with the new labels. Only widgets whose value travels as text or a
    list of texts are touched (never buttons, uploads or data editors).
    """
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state

        inner = get_session_state()._state
        metadata = inner._new_widget_state.widget_metadata
    except Exception:  # Streamlit's internals moved: fall back to the role box only
        logger.debug("widget metadata not reachable; re-sending the role choice only")
        if _ROLE_WIDGET in st.session_state:
            st.session_state[_ROLE_WIDGET] = st.session_state[_ROLE_WIDGET]
        return
    for key in list(st.session_state.keys()):
        if key in (_LANG_WIDGET, _LANG_KEY):
            continue
        meta = metadata.get(inner._get_widget_id(str(key)))
        if meta is None or meta.value_type not in ("string_value", "string_array_value"):
            continue
        value = st.session_state[key]
        if isinstance(value, (str, list, tuple)) or value is None:
            try:
                st.session_state[key] = value
            except StreamlitAPIException:  # not settable from code
                continue


def map_clearance(role: str | None = None) -> str:
    """The ``role=`` to give :func:`pata_gis.maps.layer_map` for `role` (default the current).

    ``privacy.clearance``: community -> confidential, planner and police ->
    restricted, public -> public. The layers of :func:`layers_for_role` always
    pass this check (aggregated views carry the role's clearance).
    """
    return privacy.clearance(current_role() if role is None else role)


def current_role() -> str:
    """The role entered in the sidebar (``"public"`` until a passphrase was accepted)."""
    role = st.session_state.get(ROLE_KEY)
    return role if role in privacy.ROLES else "public"


def _role_selector(ws: Workspace, lang: str) -> str:
    """The sidebar role selector; returns the role in force for this run."""
    current = current_role()
    stamp = st.session_state.get(_STAMP_KEY)
    if (
        roles.needs_passphrase(current)
        and stamp is not None
        and roles.passphrase_stamp(ws, current) != stamp
    ):
        # the passphrase was changed or removed since this session entered the role
        logger.info("role %s left: its passphrase changed", current)
        st.session_state[ROLE_KEY] = current = "public"
        st.session_state.pop(_STAMP_KEY, None)
        st.session_state[_ROLE_WIDGET] = "public"
        st.sidebar.warning(t("role.changed", lang))
    options = ["public", *[r for r in privacy.ROLES if r != "public"]]
    st.session_state.setdefault(_ROLE_WIDGET, current)
    chosen = st.sidebar.selectbox(
        t("role.label", lang),
        options=options,
        format_func=lambda r: t(f"role.{r}", lang),
        key=_ROLE_WIDGET,
    )
    if chosen == current:
        return current
    if not roles.needs_passphrase(chosen):
        st.session_state[ROLE_KEY] = chosen
        return chosen
    if not roles.has_passphrase(ws, chosen):
        st.sidebar.warning(
            t("role.not_set", lang, role=t(f"role.{chosen}", lang), path=ws.path, code=chosen)
        )
        return current
    lock = roles.lockout(ws, chosen)
    if lock.locked_until is not None:
        st.sidebar.error(_locked_text(ws, lock, lang))
        return current
    with st.sidebar.form("role_form", clear_on_submit=True):
        phrase = st.text_input(t("role.passphrase", lang), type="password", key=_PASS_WIDGET)
        submitted = st.form_submit_button(t("role.enter", lang))
    if submitted:
        try:
            roles.enter(ws, chosen, phrase)
        except roles.LockedOutError as exc:  # this try was the last one, or another session's
            st.sidebar.error(_locked_text(ws, exc.lock, lang))
            return current
        except PataGisError:  # wrong (or empty) passphrase
            time.sleep(WRONG_PASSPHRASE_DELAY_S)
            left = roles.lockout(ws, chosen).tries_left
            minutes = f"{roles.LOCKOUT_WINDOW.total_seconds() / 60:g}"
            st.sidebar.error(
                t("role.wrong", lang, role=t(f"role.{chosen}", lang))
                + " "
                + t("role.tries_left", lang, n=left, minutes=minutes)
            )
            return current
        st.session_state[ROLE_KEY] = chosen
        st.session_state[_STAMP_KEY] = roles.passphrase_stamp(ws, chosen)
        logger.info("role %s entered", chosen)
        st.rerun()  # draw the page again as the role, without the passphrase form
    return current


def _locked_text(ws: Workspace, lock: roles.Lockout, lang: str) -> str:
    """The sidebar's message for a role locked after wrong passphrases."""
    until = lock.locked_until
    return t(
        "role.locked",
        lang,
        role=t(f"role.{lock.role}", lang),
        n=roles.MAX_FAILED_ATTEMPTS,
        minutes=lock.wait_minutes(),
        until="" if until is None else f"{until:%H:%M}",
        path=ws.path,
        code=lock.role,
    )


def page_setup() -> PageContext:
    """Set up a page: config, sidebar language and role selectors, workspace.

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
    role = _role_selector(ws, lang)
    st.sidebar.caption(t("role.current", lang, role=t(f"role.{role}", lang)))
    st.sidebar.caption(f"{t('app.workspace', lang)}: `{ws.path.name}`")
    return PageContext(lang=lang, workspace=ws, role=role)
