"""Scenarios page: baseline, scenarios built by hand or by the optimiser, compared side by side.

* **Baseline**: the households of each community (from the settlements layer,
  :func:`pata_gis.scenarios.households_from_settlements`) and an editable table
  of families already relocated, who stay where they are in every scenario.
* **Scenarios**: allocations ``group -> site, n_households`` edited in a
  ``st.data_editor``, checked live (:func:`pata_gis.scenarios.check`).
* **Comparison**: :func:`pata_gis.scenarios.compare` with the per-location facts
  (:func:`pata_gis.scenarios.location_table`: exposure, walking times over the
  road network) computed once per data state and kept in ``st.cache_resource``;
  titles in the page language, the assumptions, bar charts of the key metrics
  and a small map per scenario.
* **Optimiser**: :func:`pata_gis.scenarios.optimise` with what bound it, and a
  button to add the proposal as a scenario.
* **Council report**: :func:`pata_gis.reports.scenario_report` as a PDF download.

Scenarios are kept in the workspace (:meth:`pata_gis.workspace.Workspace.save_scenario`):
the saved ones are loaded into the session when the page first opens, each
edited scenario says whether it is saved, changed since or only in this
window, and **Save** writes it as a new version (a failed save shows why and
keeps the table in the session). Only the roles of :data:`PLANNING_ROLES` may
save or delete saved scenarios; the others see the saved ones read-only and
may still try out unsaved ones.

Allocations and candidate sites are restricted: a role that may not see the
candidate sites gets an explanation and nothing else.
"""

from __future__ import annotations

import io
import logging
import sqlite3
import tempfile
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd
import shapely
import streamlit as st
from matplotlib.figure import Figure

from pata_gis import reports
from pata_gis import scenarios as sc
from pata_gis import sites as _sites
from pata_gis._errors import PataGisError
from pata_gis.i18n import t
from pata_gis.messages import translate
from pata_gis.ui import text_scenarios  # noqa: F401  (registers the saving strings)
from pata_gis.ui.analysis_cache import road_network
from pata_gis.ui.common import layer_version, page_setup, read_layer
from pata_gis.ui.text_planning import KEY_METRICS, open_planning_page, role_label
from pata_gis.workspace import Workspace, check_scenario_name

logger = logging.getLogger(__name__)

#: The layers the scenario metrics read (their versions key the cache).
SCENARIO_LAYERS: tuple[str, ...] = (
    "candidate_sites",
    "settlements",
    "landfill",
    "schools",
    "health",
    "jobs",
    "roads",
)
_DATA = "scen_data"  # name -> committed allocation (the editor's input)
_CURRENT = "scen_current"  # name -> allocation as edited
_REV = "scen_rev"  # name -> editor revision (a new key reloads the committed data)
_SHOWN = "scen_shown"
_OPT = "scen_opt_result"
_ALLOC_COLUMNS = ["group", "site", "n_households"]
#: Session key of the table the relocated-families editor starts from (e.g. loaded from a file).
_RELOCATED_SEED = "scen_relocated_seed"
_SAVED = "scen_saved"  # name -> what the workspace holds: version, allocation, author, when
_LOADED = "scen_loaded_from"  # the workspace whose saved scenarios this session loaded
_FLASH = "scen_flash"  # (kind, message) shown once after a callback
#: Roles that may save and delete scenarios in the workspace (the others view them read-only).
PLANNING_ROLES: tuple[str, ...] = ("planner",)
#: What a failed workspace write may raise (the session copy is kept in every case).
_WRITE_ERRORS = (PataGisError, OSError, sqlite3.Error)


def _role() -> str:
    """The role chosen in the sidebar (``ui.common.current_role``), else ``"public"``."""
    from pata_gis.ui import common

    fn = getattr(common, "current_role", None)
    if fn is None:
        return "public"
    try:
        return str(fn())
    except Exception as exc:  # a broken role selector must not open restricted data
        logger.warning("current_role failed, assuming public: %s", exc)
        return "public"


def _layers(ws: Workspace) -> dict[str, gpd.GeoDataFrame]:
    return {n: read_layer(ws, n) for n in SCENARIO_LAYERS if n in ws.specs()}


def _facilities(layers: dict[str, gpd.GeoDataFrame]) -> dict[str, gpd.GeoDataFrame]:
    out = {"school": layers["schools"]}
    health = layers.get("health")
    if health is not None and "kind" in health:
        out["family_doctor"] = health[health["kind"] == "family_doctor"]
    return out


@st.cache_resource(show_spinner=False, max_entries=8)
def _inputs(
    path: str,
    versions: tuple[int, ...],
    relocated: tuple[tuple[Any, ...], ...],
    with_network: bool,
    _ws: Workspace,
    _net: Any,
) -> dict[str, Any]:
    """Households, sites table and per-location facts (once per data state)."""
    logger.info("scenario inputs for %s (versions %s)", path, versions)
    layers = _layers(_ws)
    hh = sc.households_from_settlements(layers["settlements"])
    rel = None
    if relocated:
        rel = pd.DataFrame(
            relocated, columns=["community", "n_households", "size", "location"]
        ).assign(label="roma")
        rel.index = pd.Index([f"relocated_{i + 1}" for i in range(len(rel))])
    base = sc.baseline(hh, layers["settlements"], already_relocated=rel)
    sites = sc.sites_table(layers["candidate_sites"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        loc = sc.location_table(
            base.households if base.households is not None else hh,
            sites,
            layers["settlements"],
            layers["landfill"],
            network=_net if with_network else None,
            facilities=_facilities(layers),
            jobs=layers.get("jobs"),
        )
    return {
        "layers": layers,
        "baseline": base,
        "sites": sites,
        "locations": loc,
        "assumptions": list(hh.attrs.get("assumptions", [])),
    }


def _empty_relocated() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "community": pd.Series([], dtype="object"),
            "n_households": pd.Series([], dtype="int64"),
            "size": pd.Series([], dtype="float64"),
            "location": pd.Series([], dtype="object"),
        }
    )


def _number(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def _relocated_rows(df: pd.DataFrame) -> tuple[tuple[Any, ...], ...]:
    rows = []
    for _, r in df.iterrows():
        if pd.isna(r.get("community")) or pd.isna(r.get("location")):
            continue
        n = _number(r.get("n_households"))
        size = _number(r.get("size"))
        if n is None or n <= 0:
            continue
        size = 5.0 if size is None or size <= 0 else size
        rows.append((str(r["community"]), int(n), size, str(r["location"])))
    return tuple(rows)


def _clean(df: pd.DataFrame) -> pd.DataFrame:
    """Allocation rows with a group, a site and households."""
    df = df.reindex(columns=_ALLOC_COLUMNS)
    n = pd.to_numeric(df["n_households"], errors="coerce")
    keep = df["group"].notna() & df["site"].notna() & n.notna() & (n > 0)
    out = df.loc[keep].copy()
    out["n_households"] = n[keep].round().astype("int64")
    return out.reset_index(drop=True)


def _empty_allocation() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": pd.Series([], dtype="object"),
            "site": pd.Series([], dtype="object"),
            "n_households": pd.Series([], dtype="int64"),
        }
    )


def _commit_shown() -> None:
    """Keep the edits of the scenario shown before another one is chosen."""
    prev = st.session_state.get(_SHOWN)
    if prev and prev in st.session_state[_CURRENT]:
        st.session_state[_DATA][prev] = st.session_state[_CURRENT][prev]
        st.session_state[_REV][prev] = st.session_state[_REV].get(prev, 0) + 1


def _add_scenario(name: str, allocation: pd.DataFrame) -> None:
    _commit_shown()
    st.session_state[_DATA][name] = _clean(allocation)
    st.session_state[_CURRENT][name] = st.session_state[_DATA][name]
    st.session_state[_REV][name] = st.session_state[_REV].get(name, 0) + 1
    st.session_state["scen_pick"] = name
    st.session_state[_SHOWN] = name


def _on_add_named(lang: str) -> None:
    name = str(st.session_state.get("scen_new_name", "")).strip()
    if name in st.session_state[_DATA]:
        st.session_state["scen_add_error"] = t("scen.exists", lang, name=name)
        return
    try:
        name = check_scenario_name(name)
    except PataGisError as exc:
        st.session_state["scen_add_error"] = t("scen.ws_bad_name", lang, error=exc)
        return
    st.session_state.pop("scen_add_error", None)
    _add_scenario(name, _empty_allocation())


def _on_add_proposal(lang: str) -> None:
    res = st.session_state.get(_OPT)
    if res is None:
        return
    k, name = 1, "optimised"
    while name in st.session_state[_DATA]:
        k += 1
        name = f"optimised {k}"
    _add_scenario(name, res.allocation)
    st.session_state["scen_added"] = name


def _on_delete(ws: Workspace, lang: str, can_save: bool) -> None:
    """Remove the shown scenario; a saved one is marked deleted in the workspace first."""
    name = st.session_state.get(_SHOWN)
    if name is None:
        return
    if name in st.session_state[_SAVED]:
        if not can_save:  # the button is not offered; never drop a saved one from view
            return
        latest = _latest(ws)
        try:
            if latest is None or name in latest:  # else deleted meanwhile elsewhere
                ws.delete_scenario(name)
        except _WRITE_ERRORS as exc:
            logger.warning("scenario %r not deleted: %s", name, exc)
            st.session_state[_FLASH] = (
                "error",
                t("scen.ws_delete_failed", lang, name=name, error=exc),
            )
            return
        st.session_state[_SAVED].pop(name, None)
        st.session_state[_FLASH] = ("success", t("scen.ws_deleted", lang, name=name))
    for key in (_DATA, _CURRENT):
        st.session_state[key].pop(name, None)
    st.session_state[_SHOWN] = None
    st.session_state.pop("scen_pick", None)


def _entry(row: Any, allocation: pd.DataFrame) -> dict[str, Any]:
    """What the session remembers of a saved version (a row of ``Workspace.scenarios()``)."""
    return {
        "version": int(row["version"]),
        "allocation": _clean(allocation),
        "author": str(row["author"] or ""),
        "when": pd.Timestamp(row["saved_at"]).strftime("%Y-%m-%d %H:%M"),
    }


def _saved_entry(ws: Workspace, name: str, allocation: pd.DataFrame) -> dict[str, Any]:
    """What the session remembers of the version of `name` just saved."""
    listed = ws.scenarios()
    return _entry(listed.loc[listed["name"] == name].iloc[0], allocation)


def _load_saved(ws: Workspace, lang: str) -> None:
    """Put the workspace's saved scenarios into the session (once per session and workspace)."""
    saved: dict[str, dict[str, Any]] = {}
    try:
        listed = ws.scenarios()
    except _WRITE_ERRORS as exc:
        st.warning(t("plan.error", lang, error=exc))
        return
    for _, row in listed.iterrows():
        name = str(row["name"])
        try:
            alloc = _clean(ws.read_scenario(name, version=int(row["version"])))
        except _WRITE_ERRORS as exc:
            st.warning(t("scen.ws_load_failed", lang, name=name, error=exc))
            continue
        saved[name] = _entry(row, alloc)
        if name not in st.session_state[_DATA]:  # a table already in the session wins
            st.session_state[_DATA][name] = alloc
            st.session_state[_CURRENT][name] = alloc
    st.session_state[_SAVED] = saved
    st.session_state[_LOADED] = str(ws.path)
    logger.info("%d saved scenario(s) loaded from %s", len(saved), ws.path.name)


def _on_load_newer(ws: Workspace, lang: str, name: str) -> None:
    """Replace the session's table of `name` by the latest version saved in the workspace."""
    try:
        alloc = _clean(ws.read_scenario(name))
        entry = _saved_entry(ws, name, alloc)
    except _WRITE_ERRORS as exc:
        st.session_state[_FLASH] = ("error", t("scen.ws_load_failed", lang, name=name, error=exc))
        return
    st.session_state[_DATA][name] = alloc
    st.session_state[_CURRENT][name] = alloc
    st.session_state[_SAVED][name] = entry
    st.session_state[_REV][name] = st.session_state[_REV].get(name, 0) + 1


def _latest(ws: Workspace) -> dict[str, dict[str, Any]] | None:
    """The latest saved version of each scenario now (None when it cannot be read)."""
    try:
        listed = ws.scenarios()
    except _WRITE_ERRORS as exc:
        logger.warning("saved scenarios not listed: %s", exc)
        return None
    return {str(row["name"]): _entry(row, _empty_allocation()) for _, row in listed.iterrows()}


def _same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Whether two allocations are the same rows (after :func:`_clean`)."""
    a, b = _clean(a), _clean(b)
    if len(a) != len(b):
        return False
    return bool(
        (a["group"].astype(str).to_numpy() == b["group"].astype(str).to_numpy()).all()
        and (a["site"].astype(str).to_numpy() == b["site"].astype(str).to_numpy()).all()
        and (a["n_households"].to_numpy() == b["n_households"].to_numpy()).all()
    )


def _dirty(name: str) -> bool:
    """Whether the session's table of `name` differs from its saved version (or is unsaved)."""
    saved = st.session_state[_SAVED].get(name)
    current = st.session_state[_CURRENT].get(name, st.session_state[_DATA].get(name))
    return saved is None or current is None or not _same(current, saved["allocation"])


def _on_pick() -> None:
    _commit_shown()
    st.session_state[_SHOWN] = st.session_state.get("scen_pick")


def _in_zone(inputs: dict[str, Any]) -> pd.Series:
    """Per site id: whether it lies inside the sanitary-protection zone."""
    loc = inputs["locations"][0]
    flags = loc["inside_zone"].reindex(inputs["sites"].index).fillna(False)
    return flags.astype(bool)


def _small_map(
    name: str,
    scenario: sc.Scenario,
    inputs: dict[str, Any],
) -> Figure:
    """Households per location: red in the settlements, blue at the sites."""
    layers = inputs["layers"]
    loc = inputs["locations"][0]
    pl = scenario.placements(inputs["baseline"].households)
    per = pl.groupby("location")["n_households"].sum()
    fig, ax = plt.subplots(figsize=(3.6, 3.2), dpi=100)
    land = layers["landfill"].to_crs(loc.crs)
    land.plot(ax=ax, color="#8c6d31", alpha=0.6, linewidth=0)
    inputs["sites"].plot(ax=ax, facecolor="none", edgecolor="#9ecae1", linewidth=0.8)
    layers["settlements"].to_crs(loc.crs).plot(
        ax=ax, facecolor="none", edgecolor="#cb181d", linewidth=0.8
    )
    pts = shapely.point_on_surface(loc.geometry.loc[per.index].to_numpy())
    for where, n, p in zip(per.index, per.to_numpy(), pts, strict=True):
        kind = loc.loc[where, "kind"]
        colour = "#cb181d" if kind == "settlement" else "#2171b5"
        ax.scatter([p.x], [p.y], s=12 + 2.5 * float(n), color=colour, alpha=0.75, zorder=3)
        ax.annotate(str(int(n)), (p.x, p.y), fontsize=7, ha="center", va="center", zorder=4)
    ax.set_title(name, fontsize=9)
    ax.set_axis_off()
    ax.set_aspect("equal")
    fig.tight_layout()
    return fig


ctx = page_setup()
lang, ws = ctx.lang, ctx.workspace
role = _role()
specs = open_planning_page(ws, role, lang, "scen")

for key in (_DATA, _CURRENT, _REV, _SAVED):
    st.session_state.setdefault(key, {})
st.session_state.setdefault(_SHOWN, None)
can_save = role in PLANNING_ROLES
if st.session_state.get(_LOADED) != str(ws.path):
    _load_saved(ws, lang)

versions = tuple(layer_version(ws, n) for n in SCENARIO_LAYERS)
net = road_network(ws)
settlement_names = [str(v) for v in read_layer(ws, "settlements")["name"]]
site_ids = [str(v) for v in read_layer(ws, "candidate_sites")["name"]]

# ------------------------------------------------------------------ baseline
st.header(t("scen.baseline", lang))
st.caption(t("scen.baseline_help", lang))
b1, b2 = st.columns([2, 3], gap="large")
with b2:
    st.markdown(f"**{t('scen.relocated', lang)}**")
    rel_edit = st.data_editor(
        st.session_state.get(_RELOCATED_SEED, _empty_relocated()),
        key="scen_relocated",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "community": st.column_config.SelectboxColumn(
                t("scen.col_community", lang), options=settlement_names, required=True
            ),
            "n_households": st.column_config.NumberColumn(
                t("scen.col_households", lang), min_value=1, step=1, required=True
            ),
            "size": st.column_config.NumberColumn(
                t("scen.col_size", lang), min_value=0.5, default=5.0
            ),
            "location": st.column_config.SelectboxColumn(
                t("scen.col_site", lang), options=site_ids, required=True
            ),
        },
        width="stretch",
    )
relocated = _relocated_rows(rel_edit)
try:
    with st.spinner("…"):
        inputs = _inputs(
            str(ws.path), versions, relocated, net.network is not None, ws, net.network
        )
except PataGisError as exc:
    st.error(t("plan.error", lang, error=exc))
    st.stop()
base: sc.Scenario = inputs["baseline"]
hh = base.households
assert hh is not None
with b1:
    st.dataframe(
        pd.DataFrame(
            {
                t("scen.col_group", lang): hh.index.astype(str),
                t("scen.col_community", lang): hh["community"].to_numpy(),
                t("scen.col_households", lang): hh["n_households"].to_numpy(),
                t("scen.col_location", lang): hh["location"].to_numpy(),
            }
        ),
        hide_index=True,
        width="stretch",
        key="scen_households_table",
    )
    for note in inputs["assumptions"]:
        st.caption(translate(note, lang))
if net.network is None:
    st.caption(t("plan.no_network", lang, reason=net.reason or ""))

movable = [str(g) for g in hh.index[~hh["relocated_already"]]]
sites_tbl: gpd.GeoDataFrame = inputs["sites"]

# ------------------------------------------------------------------ build and edit
st.header(t("scen.build", lang))
max_per_site = int(
    st.number_input(
        t("scen.max_per_site", lang), min_value=0, value=0, step=1, key="scen_max_per_site"
    )
)
rules = sc.Rules(max_per_site=max_per_site or None)
n1, n2 = st.columns([3, 1], vertical_alignment="bottom")
n1.text_input(t("scen.new_name", lang), key="scen_new_name")
n2.button(t("scen.add", lang), key="scen_add", on_click=_on_add_named, args=(lang,))
if st.session_state.get("scen_add_error"):
    st.warning(st.session_state["scen_add_error"])

flash = st.session_state.pop(_FLASH, None)
if flash is not None:
    (st.error if flash[0] == "error" else st.success)(flash[1])
if st.session_state[_SAVED]:
    st.caption(t("scen.ws_loaded", lang, n=len(st.session_state[_SAVED])))
if not can_save:
    st.caption(t("scen.ws_readonly", lang, role=role_label(PLANNING_ROLES[0], lang)))

names = list(st.session_state[_DATA])
if not names:
    st.info(t("scen.none", lang))
else:
    if st.session_state.get("scen_pick") not in names:
        st.session_state["scen_pick"] = names[0]
    shown = st.selectbox(t("scen.edit", lang), names, key="scen_pick", on_change=_on_pick)
    st.session_state[_SHOWN] = shown
    rev = st.session_state[_REV].get(shown, 0)
    read_only = shown in st.session_state[_SAVED] and not can_save
    edited = st.data_editor(
        st.session_state[_DATA][shown],
        key=f"scen_edit_{shown}_{rev}",
        num_rows="fixed" if read_only else "dynamic",
        disabled=read_only,
        hide_index=True,
        column_config={
            "group": st.column_config.SelectboxColumn(
                t("scen.col_group", lang), options=movable, required=True
            ),
            "site": st.column_config.SelectboxColumn(
                t("scen.col_site", lang), options=site_ids, required=True
            ),
            "n_households": st.column_config.NumberColumn(
                t("scen.col_households", lang), min_value=1, step=1, required=True
            ),
        },
        width="stretch",
    )
    st.session_state[_CURRENT][shown] = _clean(edited)
    c_note, c_save, c_delete = st.columns([3, 1, 1], vertical_alignment="bottom")
    if can_save:
        note = c_note.text_input(t("scen.ws_note", lang), key="scen_note")
        if c_save.button(t("scen.ws_save", lang), key="scen_save", type="primary"):
            alloc = st.session_state[_CURRENT][shown]
            try:
                version = ws.save_scenario(shown, alloc, note=note or None)
                st.session_state[_SAVED][shown] = _saved_entry(ws, shown, alloc)
            except _WRITE_ERRORS as exc:  # the session keeps its table; nothing is lost
                logger.warning("scenario %r not saved: %s", shown, exc)
                st.error(t("scen.ws_save_failed", lang, name=shown, error=exc))
            else:  # run again so that every part of the page shows the saved state
                st.session_state[_FLASH] = (
                    "success",
                    t("scen.ws_saved", lang, name=shown, version=version),
                )
                st.rerun()
    if can_save or shown not in st.session_state[_SAVED]:
        c_delete.button(
            t("scen.delete", lang),
            key="scen_delete",
            on_click=_on_delete,
            args=(ws, lang, can_save),
        )
    saved_entry = st.session_state[_SAVED].get(shown)
    latest = _latest(ws) if saved_entry is not None else None
    if saved_entry is not None and latest is not None:  # saved or deleted by someone else?
        newer = latest.get(shown)
        if newer is None:
            st.info(t("scen.ws_gone", lang))
        elif newer["version"] > saved_entry["version"]:
            st.info(
                t(
                    "scen.ws_newer",
                    lang,
                    version=newer["version"],
                    author=newer["author"],
                    when=newer["when"],
                )
            )
            st.button(
                t("scen.ws_load_newer", lang),
                key="scen_load_newer",
                on_click=_on_load_newer,
                args=(ws, lang, shown),
            )
    if saved_entry is None:
        st.warning(t("scen.ws_status_new", lang))
    elif _dirty(shown):
        st.warning(t("scen.ws_status_dirty", lang, version=saved_entry["version"]))
    else:
        st.caption(
            t(
                "scen.ws_status_saved",
                lang,
                version=saved_entry["version"],
                author=saved_entry["author"],
                when=saved_entry["when"],
            )
        )

scenarios: list[sc.Scenario] = [base]
for name in names:
    alloc = st.session_state[_CURRENT].get(name, st.session_state[_DATA][name])
    try:
        s = sc.Scenario(name, allocation=alloc, rules=rules, households=hh)
        problems = sc.check(s, sites_tbl)
        s.placements(hh)
    except PataGisError as exc:
        st.error(f"{name}: {exc}")
        continue
    if problems:
        st.warning(
            t("scen.problems", lang, name=name) + "\n" + "\n".join(f"- {p}" for p in problems)
        )
    else:
        st.success(t("scen.ok", lang, name=name))
    scenarios.append(s)

# ------------------------------------------------------------------ compare
st.header(t("scen.compare", lang))
layers = inputs["layers"]
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = sc.compare(
            scenarios,
            sites=sites_tbl,
            settlements=layers["settlements"],
            landfill=layers["landfill"],
            network=net.network,
            facilities=_facilities(layers),
            jobs=layers.get("jobs"),
            locations=inputs["locations"],
        )
except PataGisError as exc:
    st.error(t("plan.error", lang, error=exc))
    st.stop()
titled = sc.titled(table, lang=lang)
shown_cols = [c for c in titled.columns if c not in ("assumptions",)]
base_name = scenarios[0].name if scenarios else "baseline"
base_title = t("scen.baseline", lang) if base_name == "baseline" else base_name
view = titled[shown_cols].rename(
    columns={
        "title": t("scen.col_metric", lang),
        "unit": t("scen.col_unit", lang),
        base_name: base_title,
        **{f"{n} - {base_name}": f"{n} − {base_title}" for n in (s.name for s in scenarios)},
    }
)
st.dataframe(
    view.round(3), hide_index=True, width="stretch", height=35 * (len(view) + 1) + 3,
    key="scen_compare_table",
)  # fmt: skip
with st.expander(t("scen.assumptions", lang)):
    for metric, text in table["assumptions"].items():
        if isinstance(text, str) and text:
            st.markdown(f"- **{titled.at[str(metric), 'title']!s}**: {translate(text, lang)}")

st.subheader(t("scen.charts", lang))
chart_cols = st.columns(len(KEY_METRICS))
names_all = [s.name for s in scenarios]
for col, metric in zip(chart_cols, KEY_METRICS, strict=True):
    if metric not in table.index:
        continue
    title = str(titled.loc[metric, "title"])
    with col:
        st.markdown(f"**{title}**")
        st.bar_chart(
            pd.DataFrame({title: table.loc[metric, names_all].astype(float).to_numpy()},
                         index=names_all),
            height=220,
        )  # fmt: skip

st.subheader(t("scen.maps", lang))
st.caption(t("scen.map_note", lang))
per_row = 3
for i in range(0, len(scenarios), per_row):
    cols = st.columns(per_row)
    for col, s in zip(cols, scenarios[i : i + per_row], strict=False):
        with col:
            fig = _small_map(s.name, s, inputs)
            st.pyplot(fig, clear_figure=True)
            plt.close(fig)

# ------------------------------------------------------------------ optimiser
st.header(t("scen.optimiser", lang))
st.caption(t("scen.opt_help", lang))
with st.form("scen_opt_form"):
    groups = st.multiselect(t("scen.opt_groups", lang), movable, default=movable, key="opt_groups")
    o1, o2, o3 = st.columns(3)
    # default: as many moves as the sites outside the zone have units (everyone if they fit)
    free = int(sites_tbl.loc[~_in_zone(inputs), "capacity_units"].sum())
    total = int(hh.loc[movable, "n_households"].sum())
    max_moves = int(
        o1.number_input(
            t("scen.opt_max_moves", lang), 0, 10000, 0 if free >= total else free, key="opt_moves"
        )
    )
    cap = int(o2.number_input(t("scen.opt_max_per_site", lang), 0, 10000, 0, key="opt_cap"))
    lam = float(o3.slider(t("scen.opt_weight", lang), 0.0, 5.0, 1.0, 0.1, key="opt_lambda"))
    outside = st.checkbox(t("scen.opt_outside", lang), value=True, key="opt_outside")
    run = st.form_submit_button(t("scen.opt_run", lang))
if run:
    try:
        with st.spinner("…"):
            loc_facts = inputs["locations"][0]
            st.session_state[_OPT] = sc.optimise(
                hh,
                sites_tbl.loc[~_in_zone(inputs)] if outside else sites_tbl,
                exposure=loc_facts["exposure_mean"],
                segregation_weight=lam,
                max_per_site=cap or None,
                groups=groups or None,
                place_all=max_moves == 0,
                max_moves=max_moves or None,
                explain_time_s=3.0,
                time_limit_s=20.0,
            )
    except PataGisError as exc:
        st.session_state.pop(_OPT, None)
        st.error(t("plan.error", lang, error=exc))
res = st.session_state.get(_OPT)
if res is not None:
    st.markdown(t("scen.opt_status", lang, status=res.status, exp=f"{res.mean_exposure:.3f}"))
    st.dataframe(
        res.allocation.rename(
            columns={
                "group": t("scen.col_group", lang),
                "site": t("scen.col_site", lang),
                "n_households": t("scen.col_households", lang),
            }
        ),
        hide_index=True,
        width="stretch",
        key="scen_opt_table",
    )
    st.markdown(f"**{t('scen.opt_bound', lang)}**")
    for line in res.explanation:
        st.markdown(f"- {line}")
    st.button(t("scen.opt_add", lang), key="scen_opt_add", on_click=_on_add_proposal, args=(lang,))
if st.session_state.get("scen_added"):
    st.success(t("scen.opt_added", lang, name=st.session_state.pop("scen_added")))

# ------------------------------------------------------------------ report
st.header(t("scen.report", lang))
if st.button(t("scen.report_prepare", lang), key="scen_report"):
    with st.spinner("…"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            ev = _sites.evaluate(layers, network=net.network)
        drawn = {n: layers[n] for n in ("settlements", "landfill", "roads", "candidate_sites")}
        rep = reports.scenario_report(
            table, scenarios, drawn, {n: specs[n] for n in drawn}, evaluation=ev, lang=lang
        )
        with tempfile.TemporaryDirectory() as tmp:
            pdf = rep.save(Path(tmp) / "report.pdf").read_bytes()
    st.session_state["scen_report_pdf"] = pdf
if st.session_state.get("scen_report_pdf"):
    st.download_button(
        t("scen.report_download", lang),
        data=io.BytesIO(st.session_state["scen_report_pdf"]).getvalue(),
        file_name=f"scenarii_pata_rat_{lang}.pdf",
        mime="application/pdf",
        key="scen_report_download",
    )
