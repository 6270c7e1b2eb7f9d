"""Workshop page: sessions with consent, risk marks drawn on the map, merged zones, paper sheet.

A facilitator with a laptop (offline) runs a community mapping workshop:

1. **Session.** Pick a session or start one (community, date, facilitator,
   group, participants, consent scope). The consent texts of
   :data:`pata_gis.workshop.CONSENT_TEXT` are shown to be read out before the
   group chooses; consent can be withdrawn (:func:`pata_gis.workshop.withdraw_consent`).
2. **Draw.** The public layers and the landfill's legal zone are drawn for
   orientation, with the Leaflet.draw tools (point, line, polygon; vendored,
   no CDN). Each drawing gets its own small form (category, severity 1–5,
   time of day, note, consent for this mark; a line can instead be saved as
   a community-mapped path). *Save* calls :func:`pata_gis.workshop.add_marks`
   (with the map's zoom level for the accuracy) and
   :func:`pata_gis.workshop.add_paths`, then shows the counts and the repairs.
   Until then the drawings and their forms are a *draft* in the session state,
   one per workshop session: when the map is drawn anew (another language,
   another session and back, another page and back) the draft is put back on
   the map as editable Leaflet.draw layers, so nothing typed is lost.
3. **Merged zones.** :func:`pata_gis.risk.consensus_zones` over
   :func:`pata_gis.workshop.merge_groups` of the session's community. Raw
   marks only for the ``community`` role (who owns them); every other role
   gets only zones from sessions that allowed totals, with fewer than
   :data:`pata_gis.privacy.DEFAULT_K` marks suppressed.
4. **Paper.** The sheet PDF (:func:`pata_gis.sheets.make_sheet`) and its
   ``.sheet.json``; marks written on the sheet are typed back by cell
   (:func:`pata_gis.sheets.marks_from_cells` -> ``add_marks``).

The role comes from ``pata_gis.ui.common.current_role()`` when the app has
one, else ``"public"``.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import json
import logging
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from branca.element import MacroElement
from folium.plugins import Draw
from folium.template import Template
from shapely.geometry import shape
from streamlit_folium import st_folium

from pata_gis import erasure, privacy, risk, sheets, workshop
from pata_gis._errors import PataGisError, SensitivityError, ValidationError
from pata_gis.i18n import t
from pata_gis.maps import FitBounds, layer_map, pollution_overlays, use_vendored_assets
from pata_gis.messages import error_text, translate
from pata_gis.ui import common
from pata_gis.ui.analysis_cache import landfill_overlays
from pata_gis.ui.assets import vendor_base_url
from pata_gis.ui.common import layers_for_role, page_setup
from pata_gis.ui.text_workshop import STRINGS  # noqa: F401  (registers the strings)
from pata_gis.ui.text_workshop_draft import STRINGS as _DRAFT_STRINGS  # noqa: F401

logger = logging.getLogger(__name__)

#: Session-state keys of this page.
_SID = "workshop_sid"
_SAVES = "workshop_saves"
_FLASH = "workshop_flash"
_SHEET = "workshop_sheet"
#: session id -> unsaved drawings (``{"id", "feature", "attrs", "zoom", "lang"}``), in order.
_DRAFTS = "workshop_drafts"
#: The drawing map now in the browser: its key, component id and the draft it was given.
_MOUNT = "workshop_mount"
#: The language the session selector was last shown in (see :func:`_relabel`).
_SID_LANG = "workshop_sid_lang"
#: The fields of a drawing's form; widget keys are ``wm_<field>_<draft id>`` (no language).
_FIELDS = ("cat", "sev", "time", "note", "ok", "path")
#: st_folium's component key (a sha256 of the map's script).
_COMPONENT_KEY = re.compile(r"[0-9a-f]{64}")

#: Communities offered in the session form.
COMMUNITIES: tuple[str, ...] = ("Cantonului", "Colectorului", "Dallas", "Rampa", "other")

#: Geometry family of a GeoJSON type drawn by Leaflet.draw.
_FAMILY = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}

MAP_HEIGHT = 560
#: The colour of a drawing on the map (new or kept from before).
_DRAW_COLOUR = "#d7301f"


def _role() -> str:
    """The app's current role (``pata_gis.ui.common.current_role``), else ``"public"``."""
    fn = getattr(common, "current_role", None)
    if callable(fn):
        try:
            role = str(fn())
        except Exception:  # a half-built role selector must not take the page down
            logger.exception("current_role() failed; assuming the public role")
            return "public"
        return role if role in privacy.ROLES else "public"
    return "public"


def _relabel(key: str, options: Sequence[Any], fallback: Any = None) -> None:
    """Set a translated select box's value again, before it is drawn in a new language.

    The browser holds a select box's value as its *label* and sends that label
    back on every rerun; after a language switch the old label matches none of the
    new ones and Streamlit would keep showing it, then drop the choice. Read with
    the widget's last (old-language) labels, the value is still right: setting it
    again makes Streamlit send the new label. `fallback` (the draft's copy) is used
    when the widget has no valid value.
    """
    s = st.session_state
    value = s.get(key)
    if value in options:
        s[key] = value
    elif fallback is not None and fallback in options:
        s[key] = fallback


def _flash(kind: str, text: str) -> None:
    st.session_state.setdefault(_FLASH, []).append((kind, text))


def _show_flash() -> None:
    for kind, text in st.session_state.pop(_FLASH, []):
        getattr(st, kind)(text)


def _scope_label(scope: str, lang: str) -> str:
    return t(f"workshop.scope.{scope}", lang)


def _community_label(name: str, lang: str) -> str:
    return t("workshop.other", lang) if name == "other" else name


# --------------------------------------------------------------------------- page

ctx = page_setup()
lang, ws = ctx.lang, ctx.workspace
role = _role()
if not callable(getattr(common, "current_role", None)):  # else the sidebar names the role
    st.sidebar.caption(t("workshop.role", lang, role=t(f"workshop.role.{role}", lang)))

st.title(t("workshop.heading", lang))
st.caption(t("workshop.intro", lang) + " " + t("app.offline_note", lang))
_show_flash()

layers, specs, hidden = layers_for_role(ws, "public")


# --------------------------------------------------------------------------- 1. session


def _start_session() -> None:
    """Form callback: record the new session and select it."""
    s = st.session_state
    try:
        session = workshop.new_session(
            ws,
            community=s["wn_community"],
            date=s["wn_date"],
            facilitator=s["wn_facilitator"],
            group=(s["wn_group"] or "").strip() or None,
            consent_scope=s["wn_consent"],
            participants=int(s["wn_participants"]) if s["wn_participants"] else None,
            notes=(s["wn_notes"] or "").strip() or None,
        )
    except PataGisError as exc:
        _flash("error", error_text(exc, common.current_language()))
        return
    s[_SID] = session.session_id
    _flash("success", t("workshop.started", common.current_language(), sid=session.session_id))


def _withdraw(sid: str) -> None:
    s = st.session_state
    if not s.get("ww_confirm"):
        return
    try:
        flagged = workshop.withdraw_consent(ws, sid, reason=(s.get("ww_reason") or None))
    except PataGisError as exc:
        _flash("error", error_text(exc, common.current_language()))
        return
    s["ww_confirm"] = False
    _flash("warning", t("workshop.withdrawn", common.current_language(), n=sum(flagged.values())))


def _erase(sid: str) -> None:
    """Erase the session's marks for good (:func:`pata_gis.erasure.erase_session_marks`)."""
    s = st.session_state
    lang_now = common.current_language()
    try:
        done = erasure.erase_session_marks(
            ws,
            sid,
            author=(s.get("we_who") or "").strip(),
            reason=(s.get("we_reason") or "").strip(),
            role=_role(),
        )
    except PataGisError as exc:
        _flash("error", error_text(exc, lang_now))
        return
    s["we_confirm"] = False
    _drafts().pop(sid, None)  # nothing of the session may come back from a draft
    _flash("warning", done.summary(lang_now))


def _drafts() -> dict[str, list[dict[str, Any]]]:
    """Unsaved drawings per workshop session (kept in the session state)."""
    drafts: dict[str, list[dict[str, Any]]] = st.session_state.setdefault(_DRAFTS, {})
    return drafts


st.header(t("workshop.step_session", lang))
sessions = workshop.list_sessions(ws)
by_id = {s.session_id: s for s in sessions}
ids = [s.session_id for s in reversed(sessions)]  # newest first
if st.session_state.get(_SID) not in by_id:
    st.session_state.pop(_SID, None)
if ids:
    if st.session_state.get(_SID_LANG, lang) != lang:
        _relabel(_SID, ids)
    st.selectbox(
        t("workshop.pick", lang),
        options=ids,
        key=_SID,
        format_func=lambda sid: (
            f"{sid} · {_community_label(by_id[sid].community, lang)} · "
            f"{by_id[sid].group or '—'} · {_scope_label(by_id[sid].consent_scope, lang)}"
        ),
    )
    st.session_state[_SID_LANG] = lang
else:
    st.info(t("workshop.none_yet", lang))

with st.expander(t("workshop.new", lang), expanded=not ids):
    st.markdown(t("workshop.consent_read", lang))
    st.markdown(
        "\n".join(
            f"- **{_scope_label(scope, lang)}**: {workshop.consent_text(scope, lang)}"
            for scope in workshop.CONSENT_SCOPES
        )
    )
    with st.form("workshop_new_session", clear_on_submit=False):
        c1, c2, c3 = st.columns(3)
        c1.selectbox(
            t("workshop.community", lang),
            COMMUNITIES,
            key="wn_community",
            format_func=lambda c: _community_label(c, lang),
        )
        c2.date_input(t("workshop.date", lang), value=dt.date.today(), key="wn_date")
        c3.text_input(t("workshop.facilitator", lang), key="wn_facilitator")
        c1.text_input(t("workshop.group", lang), key="wn_group")
        c2.number_input(
            t("workshop.participants", lang), min_value=0, step=1, value=0, key="wn_participants"
        )
        c3.text_input(t("workshop.notes", lang), key="wn_notes")
        st.radio(
            t("workshop.consent", lang),
            workshop.CONSENT_SCOPES,
            index=2,
            key="wn_consent",
            format_func=lambda scope: _scope_label(scope, lang),
            horizontal=True,
        )
        st.form_submit_button(t("workshop.start", lang), type="primary", on_click=_start_session)

sid: str | None = st.session_state.get(_SID)
session = by_id.get(sid) if sid else None

if session is not None:
    st.markdown(
        t(
            "workshop.session_info",
            lang,
            sid=session.session_id,
            community=_community_label(session.community, lang),
            date=session.date.isoformat(),
            group=session.group or "—",
            facilitator=session.facilitator,
        )
    )
    (st.warning if session.consent_scope == "none" else st.caption)(
        t(
            "workshop.session_consent",
            lang,
            scope=_scope_label(session.consent_scope, lang),
            text=workshop.consent_text(session.consent_scope, lang),
        )
    )
    if session.consent_scope == "none":
        st.caption(t("workshop.no_consent_warning", lang))
    else:
        with st.expander(t("workshop.withdraw", lang)):
            st.caption(t("workshop.withdraw_help", lang))
            st.text_input(t("workshop.withdraw_reason", lang), key="ww_reason")
            st.checkbox(t("workshop.withdraw_confirm", lang), key="ww_confirm")
            st.button(
                t("workshop.withdraw_button", lang),
                key="ww_button",
                on_click=_withdraw,
                args=(session.session_id,),
                disabled=not st.session_state.get("ww_confirm"),
            )
    if _role() == "community":
        # the consent text promises deletion on request: this keeps that promise
        with st.expander(t("workshop.erase", lang)):
            st.caption(t("workshop.erase_help", lang))
            st.text_input(t("workshop.erase_who", lang), key="we_who")
            st.text_input(t("workshop.erase_reason", lang), key="we_reason")
            st.checkbox(t("workshop.erase_confirm", lang, sid=session.session_id), key="we_confirm")
            ready = bool(
                st.session_state.get("we_confirm")
                and (st.session_state.get("we_who") or "").strip()
                and (st.session_state.get("we_reason") or "").strip()
            )
            st.button(
                t("workshop.erase_button", lang),
                key="we_button",
                type="primary",
                on_click=_erase,
                args=(session.session_id,),
                disabled=not ready,
            )


# --------------------------------------------------------------------------- maps


def _overlays() -> list[folium.FeatureGroup]:
    """The landfill's legal zone and distance bands, for orientation (none with a note)."""
    if "landfill" not in layers or len(layers["landfill"]) == 0:
        return []
    try:
        return pollution_overlays(landfill_overlays(ws), lang=lang)
    except PataGisError as exc:
        st.caption(t("map.pollution_unavailable", lang, error=error_text(exc, lang)))
        return []


def _community_bounds(community: str) -> list[list[float]] | None:
    """``[[south, west], [north, east]]`` of a community's outline plus ~150 m."""
    outlines = layers.get("settlements")
    if outlines is None or outlines.empty or "name" not in outlines.columns:
        return None
    hit = outlines[outlines["name"].astype(str).str.lower().str.startswith(community.lower())]
    if hit.empty:
        return None
    w, s, e, n = hit.to_crs("EPSG:4326").total_bounds
    pad = 0.0015
    return [[float(s) - pad, float(w) - pad], [float(n) + pad, float(e) + pad]]


def _base_map(community: str | None) -> folium.Map:
    m = layer_map(
        layers,
        specs,
        lang=lang,
        role="public",
        hidden=len(hidden),
        height=MAP_HEIGHT,
        extra_overlays=_overlays(),
    )
    box = _community_bounds(community) if community else None
    if box is not None:  # open on the community, not on every layer
        for name in [k for k, v in m._children.items() if isinstance(v, FitBounds)]:
            del m._children[name]
        m.add_child(FitBounds(box))
    return m


def _marks_group(marks: gpd.GeoDataFrame, name: str) -> folium.FeatureGroup:
    """Raw marks (community role only): red outlines, category and severity on hover."""
    group = folium.FeatureGroup(name=name, show=True)
    if len(marks):
        shown = marks[["category", "severity", "geometry"]].to_crs("EPSG:4326").copy()
        shown["category"] = [
            sheets.CATEGORIES.get(str(c), {}).get(lang, str(c)) for c in shown["category"]
        ]
        shown["severity"] = shown["severity"].astype("object").astype(str)
        folium.GeoJson(
            shown,
            style_function=lambda _f: {
                "color": "#b2182b",
                "weight": 3,
                "fillColor": "#ef8a62",
                "fillOpacity": 0.35,
            },
            marker=folium.CircleMarker(
                radius=7, color="#b2182b", weight=2, fill=True, fill_color="#ef8a62"
            ),
            tooltip=folium.GeoJsonTooltip(
                fields=["category", "severity"],
                aliases=[t("workshop.col_category", lang), t("workshop.col_severity", lang)],
            ),
        ).add_to(group)
    return group


# --------------------------------------------------------------------------- 2. draw


def _fingerprint(feature: dict[str, Any]) -> str:
    geom = json.dumps(feature.get("geometry"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(geom.encode("utf-8")).hexdigest()[:12]


def _draft_feature(did: str, geometry: dict[str, Any]) -> dict[str, Any]:
    """A draft drawing as GeoJSON; Leaflet keeps ``properties`` through edits and reports."""
    return {"type": "Feature", "properties": {"draft_id": did}, "geometry": geometry}


def _merge_report(
    draft: list[dict[str, Any]], reported: list[Any], zoom: float | None
) -> list[dict[str, Any]]:
    """The draft after the map reported every drawing it holds (``all_drawings``).

    A reported feature is matched to its draft entry by the ``draft_id`` the page
    gave it when it put the draft back on the map (so an edited shape keeps its
    form), else by its geometry (a shape drawn on this map, reported again); a
    geometry reported twice counts once. A draft entry the map no longer holds
    was deleted there; new shapes are appended in the map's order.
    """
    by_id = {e["id"]: e for e in draft}
    by_geom = {_fingerprint(e["feature"]): e["id"] for e in draft}
    current: dict[str, dict[str, Any]] = {}  # draft id -> geometry, in the map's order
    seen: set[str] = set()
    for f in reported:
        geom = f.get("geometry") if isinstance(f, dict) else None
        if not isinstance(geom, dict) or _FAMILY.get(str(geom.get("type"))) is None:
            continue
        g = _fingerprint(f)
        if g in seen:
            continue
        seen.add(g)
        did = (f.get("properties") or {}).get("draft_id")
        if did not in by_id or did in current:
            did = by_geom.get(g)
        if did is None or did in current:
            did, i = g, 1
            while did in by_id or did in current:
                did, i = f"{g}-{i}", i + 1
        current[did] = geom
    merged = []
    for e in draft:
        geom = current.pop(e["id"], None)
        if geom is None:
            continue  # deleted on the map
        moved = _fingerprint(e["feature"]) != _fingerprint({"geometry": geom})
        merged.append(
            {
                **e,
                "feature": _draft_feature(e["id"], geom),
                "zoom": zoom if moved and zoom is not None else e.get("zoom"),
            }
        )
    merged += [
        {"id": did, "feature": _draft_feature(did, geom), "attrs": {}, "zoom": zoom}
        for did, geom in current.items()
    ]
    return merged


class _DraftLayers(MacroElement):
    """Put GeoJSON features into the parent FeatureGroup one layer each.

    ``Draw(feature_group=...)`` hands that group to Leaflet.draw as its
    ``drawnItems``: only its direct children can be edited and deleted (a nested
    ``L.GeoJSON`` would not be), and st_folium reports ``drawnItems.toGeoJSON()``.
    ``L.geoJSON`` keeps each feature on its layer, so the ``draft_id`` property
    comes back in every report, edited or not.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.geoJSON({{ this.data|tojson }}, {
                style: function (feature) {
                    return feature.geometry.type.indexOf("Polygon") >= 0
                        ? {{ this.area_style|tojson }} : {{ this.line_style|tojson }};
                }
            }).eachLayer(function (layer) {
                {{ this._parent.get_name() }}.addLayer(layer);
            });
        {% endmacro %}
        """
    )

    def __init__(self, features: list[dict[str, Any]]) -> None:
        super().__init__()
        self._name = "DraftLayers"
        self.data = {"type": "FeatureCollection", "features": features}
        # Leaflet.draw's own look for a new shape, so a kept one looks the same
        self.line_style = {"color": _DRAW_COLOUR, "weight": 4, "opacity": 0.5, "fill": False}
        self.area_style = {
            "color": _DRAW_COLOUR,
            "weight": 4,
            "opacity": 0.5,
            "fillOpacity": 0.2,
        }


def _mark_form(n: int, family: str, entry: dict[str, Any], new_map: bool = False) -> None:
    """The small form of one drawing: category, severity, time, note, consent.

    The widget keys hold the drawing's draft id, not the language, so the values
    survive a language switch; when the form was not on the page in the last run
    (another session or page was open) its values come back from the entry's
    ``attrs``, the draft's copy, which is brought up to date here. Its select
    boxes are set again when it was last shown in another language (:func:`_relabel`).
    With `new_map` (the map was built anew, so the page may have been off screen)
    an empty field that the draft has a value for gets that value back: Streamlit
    can keep a widget's key but not its value over a page switch.
    """
    s = st.session_state
    h = entry["id"]
    attrs: dict[str, Any] = entry.setdefault("attrs", {})
    if new_map:
        for field in ("cat", "sev", "time", "note"):
            key = f"wm_{field}_{h}"
            if s.get(key) in (None, "") and attrs.get(field) not in (None, ""):
                s[key] = attrs[field]
    if entry.get("lang") not in (None, lang):  # first shown in another language
        _relabel(f"wm_cat_{h}", workshop.CATEGORIES, attrs.get("cat"))
        _relabel(f"wm_time_{h}", workshop.TIMES_OF_DAY, attrs.get("time"))

    def index(options: tuple[Any, ...] | list[Any], field: str) -> int | None:
        if f"wm_{field}_{h}" in s:
            return None  # the widget's own value (a default would be ignored)
        value = attrs.get(field)
        return list(options).index(value) if value in options else None

    with st.container(border=True):
        cols = st.columns([0.5, 1.8, 3.3, 1.4, 2.2, 1.1])
        cols[0].markdown(f"**#{n}**  \n{t(f'workshop.kind.{family}', lang)}")
        cols[1].selectbox(
            t("workshop.col_category", lang),
            workshop.CATEGORIES,
            index=index(workshop.CATEGORIES, "cat"),
            key=f"wm_cat_{h}",
            format_func=lambda c: sheets.CATEGORIES[c][lang],
            placeholder="…",
        )
        cols[2].radio(
            t("workshop.col_severity", lang),
            [1, 2, 3, 4, 5],
            index=index([1, 2, 3, 4, 5], "sev"),
            key=f"wm_sev_{h}",
            horizontal=True,
        )
        cols[3].selectbox(
            t("workshop.col_time", lang),
            workshop.TIMES_OF_DAY,
            index=index(workshop.TIMES_OF_DAY, "time"),
            key=f"wm_time_{h}",
            format_func=lambda c: sheets.TIMES_OF_DAY[c][lang],
            placeholder="…",
        )
        cols[4].text_input(
            t("workshop.col_note", lang),
            value=str(attrs.get("note") or ""),
            key=f"wm_note_{h}",
            placeholder=t("workshop.note_placeholder", lang),
        )
        cols[5].checkbox(
            t("workshop.col_consent", lang),
            value=bool(attrs.get("ok", True)),
            key=f"wm_ok_{h}",
            help=t("workshop.col_consent_help", lang),
        )
        if family == "line":
            cols[5].checkbox(
                t("workshop.col_as_path", lang),
                value=bool(attrs.get("path", False)),
                key=f"wm_path_{h}",
            )
    entry["lang"] = lang
    attrs.clear()
    attrs.update({f: s[f"wm_{f}_{h}"] for f in _FIELDS if f"wm_{f}_{h}" in s})


def _save_drawings(
    features: list[tuple[int, str, str, dict[str, Any]]], zoom: float | None, confirm: bool
) -> None:
    """Check the forms, save marks and paths, report; nothing saved when a form is incomplete."""
    assert session is not None
    s = st.session_state
    missing = [
        f"#{n}"
        for n, _fam, h, _f in features
        if not s.get(f"wm_path_{h}")
        and (s.get(f"wm_cat_{h}") is None or s.get(f"wm_sev_{h}") is None)
    ]
    if missing:
        st.error(t("workshop.incomplete", lang, rows=", ".join(missing)))
        return
    marks_rows, mark_geoms, path_rows, path_geoms = [], [], [], []
    for _n, family, h, f in features:
        geom = shape(f["geometry"])
        if family == "line" and s.get(f"wm_path_{h}"):
            path_rows.append({"notes": (s.get(f"wm_note_{h}") or "").strip() or None})
            path_geoms.append(geom)
            continue
        marks_rows.append(
            {
                "category": s[f"wm_cat_{h}"],
                "severity": int(s[f"wm_sev_{h}"]),
                "time_of_day": s.get(f"wm_time_{h}"),
                "note": (s.get(f"wm_note_{h}") or "").strip() or None,
                "consent": bool(s.get(f"wm_ok_{h}", True)),
            }
        )
        mark_geoms.append(geom)
    if path_rows and not (session.allows("planners") or confirm):
        st.error(t("workshop.paths_refused", lang))
        return
    counts = {"risk_marks": 0, "risk_paths": 0, "risk_areas": 0}
    repairs: list[str] = []
    n_paths = 0
    try:
        if marks_rows:
            marks = gpd.GeoDataFrame(marks_rows, geometry=mark_geoms, crs="EPSG:4326")
            added = workshop.add_marks(ws, session.session_id, marks, zoom=zoom)
            counts.update(added)
            repairs += [translate(c, lang) for c in added.changes]
        if path_rows:
            paths = gpd.GeoDataFrame(path_rows, geometry=path_geoms, crs="EPSG:4326")
            report = workshop.add_paths(ws, session.session_id, paths, confirm_public=confirm)
            n_paths = len(path_rows)
            repairs += [
                f"{t('workshop.roads_prefix', lang)}: {translate(c, lang)}" for c in report.changes
            ]
    except SensitivityError:
        st.error(t("workshop.paths_refused", lang))
        return
    except ValidationError as exc:
        st.error(t("workshop.not_saved", lang, error=error_text(exc, lang, summary=True)))
        for p in exc.problems:
            st.caption(translate(p, lang))
        return
    except PataGisError as exc:
        st.error(t("workshop.not_saved", lang, error=error_text(exc, lang)))
        return
    _flash(
        "success",
        t(
            "workshop.saved",
            lang,
            sid=session.session_id,
            points=counts["risk_marks"],
            lines=counts["risk_paths"],
            areas=counts["risk_areas"],
            paths=n_paths,
        ),
    )
    if repairs:
        _flash("info", t("workshop.repairs", lang) + "\n\n" + "\n".join(f"- {r}" for r in repairs))
    s[_SAVES] = s.get(_SAVES, 0) + 1  # a new map key: the saved drawings leave the map
    _drafts().pop(session.session_id, None)  # saved: no longer a draft
    st.rerun()


st.header(t("workshop.step_draw", lang))
if session is None:
    st.info(t("workshop.need_session", lang))
else:
    st.markdown(t("workshop.draw_hint", lang))
    own = workshop.session_marks(ws, session.session_id)
    per_layer = own["layer"].value_counts() if len(own) else pd.Series(dtype="int64")
    st.caption(
        t(
            "workshop.stored",
            lang,
            points=int(per_layer.get("risk_marks", 0)),
            lines=int(per_layer.get("risk_paths", 0)),
            areas=int(per_layer.get("risk_areas", 0)),
        )
    )
    elsewhere = [
        f"{other} ({len(entries)})"
        for other, entries in _drafts().items()
        if entries and other != session.session_id and other in by_id
    ]
    if elsewhere:
        st.warning(t("workshop.draft_elsewhere", lang, sessions=", ".join(elsewhere)))
    drafts = _drafts()
    draft: list[dict[str, Any]] = drafts.setdefault(session.session_id, [])
    map_key = f"workshop_draw_{session.session_id}_{lang}_{st.session_state.get(_SAVES, 0)}"
    mount: dict[str, Any] | None = st.session_state.get(_MOUNT)
    new_map = False
    if (
        mount is None
        or mount["key"] != map_key
        or (mount["component"] is not None and mount["component"] not in st.session_state)
    ):
        # A new map in the browser (another language or session, a save, or the
        # map was off the page in the last run): it starts from the draft, and
        # what st_folium kept under this key from an earlier map is stale.
        # The features it gets are frozen for its life: a changed script would
        # make st_folium build yet another map.
        mount = {"key": map_key, "component": None, "restored": copy.deepcopy(draft)}
        new_map = True
        st.session_state[_MOUNT] = mount
        st.session_state.pop(map_key, None)
    restored: list[dict[str, Any]] = mount["restored"]
    kept = {e["id"] for e in restored} & {e["id"] for e in draft}
    if kept:
        st.caption(t("workshop.draft_restored", lang, n=len(kept)))
    draw_map = _base_map(session.community)
    if role == "community" and len(own):
        _marks_group(own, t("workshop.own_marks", lang)).add_to(draw_map)
    drawn_items = folium.FeatureGroup(name="drawn", control=False)
    _DraftLayers([e["feature"] for e in restored]).add_to(drawn_items)
    drawn_items.add_to(draw_map)
    Draw(
        export=False,
        feature_group=drawn_items,
        position="topleft",
        draw_options={
            "polyline": {"shapeOptions": {"color": _DRAW_COLOUR, "weight": 4}},
            "polygon": {
                "allowIntersection": False,
                "showArea": False,
                "shapeOptions": {"color": _DRAW_COLOUR},
            },
            "marker": True,
            "rectangle": False,
            "circle": False,
            "circlemarker": False,
        },
        edit_options={"edit": True, "remove": True},
    ).add_to(draw_map)
    use_vendored_assets(draw_map, vendor_base_url())
    keys_before = set(st.session_state.keys())
    result = st_folium(
        draw_map,
        key=map_key,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["all_drawings", "zoom"],
    )
    new_component = [
        k for k in set(st.session_state.keys()) - keys_before if _COMPONENT_KEY.fullmatch(str(k))
    ]
    if new_component:
        if mount["component"] is not None and [e["feature"] for e in restored] != [
            e["feature"] for e in draft
        ]:
            # the map's script changed under the same key, so the browser built a new
            # map from an older draft: build it once more from the current one
            st.session_state.pop(_MOUNT, None)
            st.rerun()
        mount["component"] = new_component[0]
    # st_folium also keeps its last answer under the map key (its on_change), which
    # is what a rerun between two reports sees (and how the AppTest feeds drawings).
    # ``all_drawings`` is None until the map reports; then it is every drawing on it.
    answer = result if (result or {}).get("all_drawings") is not None else None
    answer = answer or st.session_state.get(map_key)
    answer = answer if isinstance(answer, dict) else {}
    zoom = answer.get("zoom") or (result or {}).get("zoom")
    reported = answer.get("all_drawings")
    if isinstance(reported, list):
        draft[:] = _merge_report(draft, reported, float(zoom) if zoom is not None else None)
    features = []
    for n, entry in enumerate(draft, start=1):
        family = _FAMILY[str(entry["feature"]["geometry"]["type"])]
        features.append((n, family, entry["id"], entry["feature"]))
    if not features:
        st.caption(t("workshop.drawn_none", lang))
    else:
        st.markdown(t("workshop.drawn_n", lang, n=len(features)))
        for (n, family, _h, _f), entry in zip(features, draft, strict=True):
            _mark_form(n, family, entry, new_map)
        confirm = False
        if any(fam == "line" for _n, fam, _h, _f in features):
            st.caption(t("workshop.as_path_help", lang))
            if not session.allows("planners"):
                confirm = st.checkbox(t("workshop.confirm_public", lang), key="wm_confirm_public")
        if st.button(t("workshop.save", lang), type="primary", key="wm_save"):
            # the coarsest zoom any drawing was made at: the accuracy is not overstated
            zooms = [float(e["zoom"]) for e in draft if e.get("zoom") is not None]
            if zooms:
                zoom = min(zooms)
            _save_drawings(features, float(zoom) if zoom is not None else None, confirm)


# --------------------------------------------------------------------------- 3. merged zones


def _zone_table(zones: gpd.GeoDataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("workshop.col_groups", lang): zones["n_groups"].astype(int).to_numpy(),
            t("workshop.col_marks", lang): zones["n_marks"].astype(int).to_numpy(),
            t("workshop.col_mean_sev", lang): zones["mean_severity"].round(1).to_numpy(),
            t("workshop.col_top", lang): [
                sheets.CATEGORIES.get(str(c), {}).get(lang, str(c)) for c in zones["top_category"]
            ],
            t("workshop.col_times", lang): [
                ", ".join(
                    sheets.TIMES_OF_DAY.get(p.split(":")[0].strip(), {}).get(lang, p)
                    for p in str(x).split(",")
                    if p.strip()
                )
                for x in zones["times"]
            ],
        }
    )


def _zones_group(zones: gpd.GeoDataFrame, n_total: int) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=t("workshop.zones_layer", lang), show=True)
    shown = zones[["n_groups", "n_marks", "top_category", "geometry"]].to_crs("EPSG:4326").copy()
    shown["top_category"] = [
        sheets.CATEGORIES.get(str(c), {}).get(lang, str(c)) for c in shown["top_category"]
    ]
    palette = ["#fcbba1", "#fb6a4a", "#de2d26", "#a50f15"]

    def style(feature: dict[str, Any]) -> dict[str, Any]:
        share = feature["properties"]["n_groups"] / max(n_total, 1)
        colour = palette[min(int(share * len(palette)), len(palette) - 1)]
        return {"color": "#67000d", "weight": 1, "fillColor": colour, "fillOpacity": 0.6}

    folium.GeoJson(
        shown,
        style_function=style,
        tooltip=folium.GeoJsonTooltip(
            fields=["n_groups", "n_marks", "top_category"],
            aliases=[
                t("workshop.col_groups", lang),
                t("workshop.col_marks", lang),
                t("workshop.col_top", lang),
            ],
        ),
    ).add_to(group)
    return group


st.header(t("workshop.step_merge", lang))
if session is None:
    st.info(t("workshop.need_session", lang))
else:
    community = session.community
    raw = role == "community"
    merged = workshop.merge_groups(ws, community, audience=None if raw else "aggregate")
    min_groups = int(
        st.number_input(t("workshop.min_groups", lang), min_value=1, value=1, step=1, key="wz_min")
    )
    zones = risk.consensus_zones(merged, min_groups=min_groups, name=f"{community} marks")
    if not raw:
        zones = privacy.suppress(zones, count_col="n_marks", k=privacy.DEFAULT_K)
    n_total = int(zones.attrs.get("n_groups_total", 0))
    if raw:
        st.caption(t("workshop.merge_raw", lang))
    else:
        st.caption(t("workshop.merge_aggregated", lang, k=privacy.DEFAULT_K))
    if len(zones) == 0:
        st.info(t("workshop.merge_none", lang))
    else:
        st.caption(
            t(
                "workshop.merge_caption",
                lang,
                cell=f"{float(zones.attrs.get('cell_m', risk.DEFAULT_CELL_M)):g}",
                community=_community_label(community, lang),
                groups=n_total,
                marks=len(merged),
            )
        )
        zone_map = _base_map(community)
        _zones_group(zones, n_total).add_to(zone_map)
        if raw:
            _marks_group(merged, t("workshop.own_marks", lang)).add_to(zone_map)
        use_vendored_assets(zone_map, vendor_base_url())
        st_folium(
            zone_map,
            key=f"workshop_zones_{lang}_{community}",
            height=480,
            use_container_width=True,
            returned_objects=[],
        )
        st.dataframe(_zone_table(zones), hide_index=True, width="stretch")


# --------------------------------------------------------------------------- 4. paper


def _make_sheet(paper: str) -> None:
    assert session is not None
    try:
        fig, grid, meta = sheets.make_sheet(
            session.community,
            layers,
            specs,
            paper=paper,
            lang=lang,
            session=session.session_id,
            date=session.date,
        )
        with tempfile.TemporaryDirectory() as tmp:
            from pata_gis import printing

            pdf = printing.save_figure(fig, Path(tmp) / "sheet.pdf").read_bytes()
    except PataGisError as exc:
        st.error(t("workshop.sheet_error", lang, error=error_text(exc, lang)))
        return
    finally:
        import matplotlib.pyplot as plt

        plt.close("all")
    st.session_state[_SHEET] = {
        "sid": session.session_id,
        "paper": paper,
        "pdf": pdf,
        "meta": meta,
        "text": t(
            "workshop.sheet_made",
            lang,
            sheet=grid.sheet_id,
            cols=grid.n_cols,
            rows=grid.n_rows,
            cell=f"{grid.cell_size:g}",
            scale=f"{grid.scale:,}".replace(",", " "),
        ),
    }


def _entries(text: str, upload: Any) -> pd.DataFrame:
    """Typed rows (``cell, category, severity, time, note, consent``) or an uploaded CSV."""
    cols = ["cell", "category", "severity", "time_of_day", "note", "consent"]
    if upload is not None:
        raw = upload.getvalue().decode("utf-8-sig")
    else:
        raw = text.strip()
    if not raw:
        return pd.DataFrame(columns=cols)
    first = raw.splitlines()[0].lower()
    header = "cell" in first or "celul" in first
    frame = pd.read_csv(
        io.StringIO(raw),
        sep=None,
        engine="python",
        dtype=str,
        keep_default_na=False,
        header=0 if header else None,
        skipinitialspace=True,
    )
    if not header:
        frame.columns = cols[: frame.shape[1]]
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame


st.header(t("workshop.step_paper", lang))
if session is None:
    st.info(t("workshop.need_session", lang))
else:
    st.caption(t("workshop.paper_help", lang))
    c1, c2 = st.columns([1, 3])
    paper = c1.selectbox(t("workshop.paper", lang), ["A4", "A3"], key="wp_paper")
    if c2.button(t("workshop.make_sheet", lang), key="wp_make"):
        with st.spinner(t("workshop.make_sheet", lang) + "…"):
            _make_sheet(paper)
    made = st.session_state.get(_SHEET)
    if made and made["sid"] == session.session_id:
        st.success(made["text"])
        d1, d2 = st.columns(2)
        base = f"{made['meta'].get('sheet_id') or session.session_id}_{made['paper']}"
        d1.download_button(
            t("workshop.sheet_pdf", lang),
            data=made["pdf"],
            file_name=f"{base}.pdf",
            mime="application/pdf",
            key="wp_pdf",
        )
        d2.download_button(
            t("workshop.sheet_json", lang),
            data=json.dumps(made["meta"], ensure_ascii=False, indent=2, default=str).encode(),
            file_name=f"{base}.sheet.json",
            mime="application/json",
            key="wp_json",
        )

    st.subheader(t("workshop.type_back", lang))
    grid_file = st.file_uploader(t("workshop.upload_grid", lang), type=["json"], key="wp_grid")
    typed = st.text_area(
        t("workshop.typed_label", lang),
        placeholder=t("workshop.typed_example", lang),
        key="wp_typed",
    )
    csv_file = st.file_uploader(t("workshop.upload_csv", lang), type=["csv", "txt"], key="wp_csv")
    if st.button(t("workshop.save_cells", lang), key="wp_save"):
        meta: dict[str, Any] | None = None
        try:
            if grid_file is not None:
                meta = json.loads(grid_file.getvalue().decode("utf-8"))
            elif made and made["sid"] == session.session_id:
                meta = made["meta"]
        except ValueError as exc:
            st.error(t("workshop.bad_file", lang, error=error_text(exc, lang)))
        if meta is None:
            st.warning(t("workshop.no_grid", lang))
        else:
            try:
                entries = _entries(typed, csv_file)
                if "sheet_id" not in entries and meta.get("sheet_id"):
                    entries["sheet_id"] = meta["sheet_id"]
                grid = sheets.SheetGrid.from_dict(meta)
                marks = sheets.marks_from_cells(entries, grid, session_id=session.session_id)
                added: dict[str, int] = (
                    dict(workshop.add_marks(ws, session.session_id, marks)) if len(marks) else {}
                )
            except ValidationError as exc:
                st.error(t("workshop.not_saved", lang, error=error_text(exc, lang, summary=True)))
                for p in exc.problems:
                    st.caption(translate(p, lang))
            except (PataGisError, ValueError) as exc:
                st.error(t("workshop.not_saved", lang, error=error_text(exc, lang)))
            else:
                saved = ", ".join(f"{n} {layer}" for layer, n in added.items() if n) or "0"
                st.success(
                    t(
                        "workshop.cells_saved",
                        lang,
                        n=len(entries),
                        sheet=meta.get("sheet_id", ""),
                        saved=saved,
                        left=len(entries) - len(marks),
                    )
                )
