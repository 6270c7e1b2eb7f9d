"""Sites page: criteria, weights (sliders or AHP), constraints, ranking, agreement, sensitivity.

What is computed when
---------------------
* The criteria (walking times over the road network, landfill exposure,
  distance from the settlements) come from :func:`pata_gis.sites.evaluate`,
  cached with ``st.cache_data`` on the workspace file and the versions of the
  layers it reads: measured once per data state.
* The sanitary-zone constraint is cached per distance.
* A weight or threshold change only calls :func:`pata_gis.sites.score` (a few
  ms) and redraws the ranked sites, which go to the map as
  ``feature_group_to_add``: the base map (landfill, settlements, zone) is not
  sent again (see ``benchmarks/bench_ui_rerank.py``).

Candidate sites are a restricted layer: a role that may not see them gets an
explanation and nothing else.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from pata_gis import pollution, privacy, settings
from pata_gis import sites as _sites
from pata_gis._errors import PataGisError
from pata_gis.i18n import number, t
from pata_gis.maps import layer_map, use_vendored_assets
from pata_gis.messages import translate
from pata_gis.ui.analysis_cache import road_network
from pata_gis.ui.assets import vendor_base_url
from pata_gis.ui.common import layer_version, page_setup, read_layer
from pata_gis.ui.map_overlay import draw_on_map
from pata_gis.ui.text_planning import (
    STAKEHOLDER_PRESETS,
    criteria_from_table,
    criteria_table,
    criterion_title,
    indexed_sites,
    open_planning_page,
    ranked_sites_geojson,
)
from pata_gis.workspace import Workspace

logger = logging.getLogger(__name__)

#: The layers the evaluation reads (their versions key the cache).
EVALUATION_LAYERS: tuple[str, ...] = (
    "candidate_sites",
    "landfill",
    "settlements",
    "schools",
    "kindergartens",
    "health",
    "social_services",
    "transit_stops",
    "jobs",
    "roads",
)
SETS: tuple[str, ...] = tuple(STAKEHOLDER_PRESETS)
#: Steps of the AHP sliders: k > 0 = the left criterion k+1 times more important.
AHP_STEPS: list[int] = list(range(-8, 9))


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


@st.cache_data(show_spinner=False, max_entries=8)
def _measure(
    path: str, versions: tuple[int, ...], with_network: bool, _ws: Workspace, _net: Any
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Criteria per site, the columns with data, and the notes (once per data state)."""
    logger.info("measuring site criteria for %s (versions %s)", path, versions)
    layers = {n: read_layer(_ws, n) for n in EVALUATION_LAYERS if n in _ws.specs()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        ev = _sites.evaluate(layers, network=_net if with_network else None)
    return ev.criteria, [c.column for c in ev.used], list(ev.notes)


@st.cache_data(show_spinner=False, max_entries=16)
def _constraints(
    path: str, versions: tuple[int, ...], distance_m: float, _ws: Workspace
) -> tuple[pd.DataFrame, gpd.GeoDataFrame | None]:
    """Hard constraints and the legal zone for a sanitary distance (once per distance)."""
    sites = indexed_sites(read_layer(_ws, "candidate_sites"))
    landfill = read_layer(_ws, "landfill")
    if len(landfill) == 0:
        return pd.DataFrame(index=sites.index), None
    zone = pollution.legal_zone(landfill, distance_m=distance_m)
    return _sites.hard_constraints(sites, {"legal_zone": zone}), zone


def _weights_sliders(set_name: str, used: list[str], lang: str, *, show: bool) -> dict[str, float]:
    preset = STAKEHOLDER_PRESETS[set_name]
    out: dict[str, float] = {}
    for col in used:
        key = f"sites_w_{set_name}_{col}"
        default = int(preset.get(col, 5))
        if show:
            out[col] = float(st.slider(criterion_title(col, lang), 0, 10, value=default, key=key))
        else:
            out[col] = float(st.session_state.get(key, default))
    return out


def _ahp_label(k: int) -> str:
    return "1" if k == 0 else (f"◀ {k + 1}" if k > 0 else f"{1 - k} ▶")


def _ahp(set_name: str, used: list[str], lang: str, *, show: bool) -> _sites.AHPResult | None:
    judgements: dict[tuple[str, str], float] = {}
    for i, a in enumerate(used):
        for b in used[i + 1 :]:
            key = f"sites_ahp_{set_name}_{a}_{b}"
            if show:
                c1, c2, c3 = st.columns([3, 4, 3])
                c1.markdown(f"**{criterion_title(a, lang)}**")
                k = c2.select_slider(
                    f"{a} / {b}",
                    options=AHP_STEPS,
                    value=int(st.session_state.get(key, 0)),
                    format_func=_ahp_label,
                    key=key,
                    label_visibility="collapsed",
                )
                c3.markdown(f"**{criterion_title(b, lang)}**")
            else:
                k = int(st.session_state.get(key, 0))
            judgements[(a, b)] = float(k + 1) if k >= 0 else 1.0 / (1 - k)
    if len(used) < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # shown on the page instead
        return _sites.ahp_weights(_sites.ahp_matrix(judgements, used))


def _fmt(v: Any) -> str:
    """A weight with two decimals (in the page language's notation), a site name as is,
    "—" for none."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "—"
    return number(v, lang) if isinstance(v, float) else str(v)


def _reason(text: str, distance_m: float, lang: str) -> str:
    if text.startswith("inside: legal_zone"):
        return t("sites.reason_zone", lang, m=number(distance_m, lang, 0))
    return text


ctx = page_setup()
lang, ws = ctx.lang, ctx.workspace
role = _role()
specs = open_planning_page(ws, role, lang, "sites")

versions = tuple(layer_version(ws, n) for n in EVALUATION_LAYERS)
net = road_network(ws)
try:
    crit_df, available, notes = _measure(
        str(ws.path), versions, net.network is not None, ws, net.network
    )
except PataGisError as exc:
    st.error(t("plan.error", lang, error=exc))
    st.stop()
if net.network is None:
    st.caption(t("plan.no_network", lang, reason=net.reason or ""))

pool = _sites.default_criteria()
left, right = st.columns([5, 6], gap="large")

with left:
    st.subheader(t("sites.criteria", lang))
    st.caption(t("sites.criteria_help", lang))
    edited = st.data_editor(
        criteria_table(pool, available, lang),
        key=f"sites_criteria_{lang}",
        hide_index=True,
        disabled=["criterion", "how", "data"],
        column_config={
            "use": st.column_config.CheckboxColumn(t("sites.col_use", lang), width="small"),
            "criterion": st.column_config.TextColumn(t("sites.col_criterion", lang)),
            "how": st.column_config.TextColumn(t("sites.col_how", lang)),
            "good": st.column_config.NumberColumn(t("sites.col_good", lang), format="%g"),
            "bad": st.column_config.NumberColumn(t("sites.col_bad", lang), format="%g"),
            "data": st.column_config.TextColumn(t("sites.col_data", lang), width="small"),
        },
        width="stretch",
    )
    edited.index = criteria_table(pool, available, lang).index
    try:
        criteria = criteria_from_table(edited, pool, available)
    except PataGisError as exc:
        st.error(t("plan.error", lang, error=exc))
        st.stop()
    used = [c.column for c in criteria]
    if not used:
        st.error(t("plan.error", lang, error="—"))
        st.stop()

    st.subheader(t("sites.weights", lang))
    method = st.radio(
        t("sites.method", lang),
        ["sliders", "ahp"],
        format_func=lambda m: t(f"sites.method_{m}", lang),
        horizontal=True,
        key="sites_method",
    )
    active = st.radio(
        t("sites.stakeholder", lang),
        list(SETS),
        index=SETS.index("planners"),
        format_func=lambda s: t(f"sites.set.{s}", lang),
        horizontal=True,
        key="sites_set",
    )
    weight_sets: dict[str, dict[str, float]] = {}
    ahp_active: _sites.AHPResult | None = None
    for s in SETS:
        if method == "sliders":
            weight_sets[s] = _weights_sliders(s, used, lang, show=s == active)
        else:
            if s == active:
                st.caption(t("sites.ahp_help", lang))
            res = _ahp(s, used, lang, show=s == active)
            if s == active:
                ahp_active = res
            weight_sets[s] = (
                {c: float(res.weights[c]) for c in used} if res else dict.fromkeys(used, 1.0)
            )
    if ahp_active is not None:
        cr = ahp_active.cr
        msg = t(
            "sites.ahp_cr", lang, cr=number(cr, lang, 3), lam=number(ahp_active.lambda_max, lang, 3)
        )
        if cr > _sites.CR_LIMIT:
            st.warning(msg + " — " + t("sites.ahp_inconsistent", lang))
        else:
            st.caption(msg)
    weights = weight_sets[active]
    total = sum(weights.values())
    if total <= 0:
        st.error(t("plan.error", lang, error="Σ = 0"))
        st.stop()
    st.dataframe(
        pd.DataFrame(
            {
                t("sites.col_criterion", lang): [criterion_title(c, lang) for c in used],
                t("sites.col_weight", lang): [weights[c] / total for c in used],
            }
        ),
        hide_index=True,
        column_config={
            t("sites.col_weight", lang): st.column_config.ProgressColumn(
                t("sites.col_weight", lang), min_value=0.0, max_value=1.0, format="%.2f"
            )
        },
        width="stretch",
    )

    st.subheader(t("sites.constraints", lang))
    distance = float(
        st.number_input(
            t("sites.distance", lang),
            min_value=50.0,
            max_value=5000.0,
            value=float(settings.landfill_protection_m),
            step=50.0,
            key="sites_distance",
        )
    )
    st.caption(t("sites.distance_ref", lang, ref=settings.landfill_protection_reference))

cons, zone = _constraints(str(ws.path), versions, distance, ws)
try:
    ranking = _sites.score(
        crit_df, criteria, weights, constraints=cons if len(cons.columns) else None
    )
except PataGisError as exc:
    st.error(t("plan.error", lang, error=exc))
    st.stop()
reasons = {str(s): _reason(str(r), distance, lang) for s, r in ranking["reason"].items()}

with right:
    st.subheader(t("sites.ranking", lang))
    ranked = ranking[ranking["status"] == "ranked"]
    if len(ranked):
        st.success(
            t(
                "sites.top",
                lang,
                site=ranked.index[0],
                score=number(float(ranked["score"].iloc[0]), lang),
            )
        )
    st.dataframe(
        pd.DataFrame(
            {
                t("sites.col_rank", lang): [
                    "—" if pd.isna(r) else str(int(r)) for r in ranking["rank"]
                ],
                t("sites.col_site", lang): ranking.index.astype(str),
                t("sites.col_score", lang): ranking["score"].round(3).to_numpy(),
                t("sites.col_status", lang): [
                    t(f"sites.status.{s}", lang) for s in ranking["status"]
                ],
                t("sites.col_reason", lang): [reasons[str(s)] for s in ranking.index],
            }
        ),
        hide_index=True,
        width="stretch",
        key="sites_ranking_table",
    )
    st.subheader(t("sites.map", lang))
    base: dict[str, gpd.GeoDataFrame] = {}
    for name in ("landfill", "settlements"):
        if name in specs and specs[name].sensitivity == "public":
            base[name] = read_layer(ws, name)
    overlays: list[folium.FeatureGroup] = []
    if zone is not None:
        zg = folium.FeatureGroup(name=t("sites.map_zone", lang))
        folium.GeoJson(
            zone.to_crs(settings.display_crs).__geo_interface__,
            style_function=lambda _f: {
                "color": "#b2182b",
                "weight": 2,
                "dashArray": "8 6",
                "fill": False,
            },
            tooltip=t("sites.map_zone", lang) + f" ({distance:,.0f} m)",
        ).add_to(zg)
        overlays.append(zg)
    m = layer_map(
        base,
        {n: specs[n] for n in base},
        lang=lang,
        role=privacy.clearance(role),
        height=520,
        extra_overlays=overlays,
    )
    sites_disp = indexed_sites(read_layer(ws, "candidate_sites"))
    b = sites_disp.to_crs(settings.display_crs).total_bounds
    m.fit_bounds([[b[1], b[0]], [b[3], b[2]]])
    use_vendored_assets(m, vendor_base_url())
    st_folium(m, key=f"sites_map_{lang}", height=520, use_container_width=True, returned_objects=[])
    # the ranking goes to the map already on screen: the map's own message stays the
    # same when a weight changes, so Streamlit does not send the map again (map_overlay)
    draw_on_map(
        "ranked_sites",
        ranked_sites_geojson(ranking, sites_disp, lang=lang, reasons=reasons),
    )
    st.caption(t("sites.map_caption", lang))

st.divider()
c1, c2 = st.columns(2, gap="large")
with c1:
    st.subheader(t("sites.agreement", lang))
    st.caption(t("sites.agreement_help", lang))
    try:
        cmp = _sites.compare_stakeholders(
            crit_df, criteria, weight_sets, constraints=cons if len(cons.columns) else None
        )
    except PataGisError as exc:
        st.warning(t("plan.error", lang, error=exc))
    else:
        pairs = cmp.pairs
        st.dataframe(
            pd.DataFrame(
                {
                    t("sites.col_pair", lang): [
                        f"{t(f'sites.set.{a}', lang)} – {t(f'sites.set.{b}', lang)}"
                        for a, b in zip(pairs["a"], pairs["b"], strict=True)
                    ],
                    t("sites.col_tau", lang): pairs["kendall_tau"].round(2).to_numpy(),
                    t("sites.col_shared", lang, k=cmp.top_k): pairs["top_k_shared"].to_numpy(),
                    t("sites.col_same_top", lang): pairs["same_top"].to_numpy(),
                }
            ),
            hide_index=True,
            width="stretch",
            key="sites_pairs_table",
        )
        sd = cmp.sites
        table: dict[str, Any] = {t("sites.col_site", lang): sd.index.astype(str)}
        for s in SETS:
            table[t(f"sites.set.{s}", lang)] = sd[f"rank_{s}"].to_numpy()
        table[t("sites.col_agreement", lang)] = [
            t(f"sites.agree.{a}", lang) for a in sd["agreement"]
        ]
        table[t("sites.col_driver", lang)] = [
            criterion_title(d, lang) if d else "" for d in sd["driver"]
        ]
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
with c2:
    st.subheader(t("sites.sensitivity", lang))
    st.caption(t("sites.sensitivity_help", lang))
    try:
        thr = _sites.rank_reversal_thresholds(
            crit_df, criteria, weights, constraints=cons if len(cons.columns) else None
        )
    except PataGisError as exc:
        st.warning(t("plan.error", lang, error=exc))
    else:
        st.dataframe(
            pd.DataFrame(
                {
                    t("sites.col_criterion", lang): [criterion_title(c, lang) for c in thr.index],
                    t("sites.col_now", lang): [_fmt(v) for v in thr["weight"]],
                    t("sites.col_down", lang): [_fmt(v) for v in thr["weight_down"]],
                    t("sites.col_new_down", lang): [_fmt(v) for v in thr["new_top_down"]],
                    t("sites.col_up", lang): [_fmt(v) for v in thr["weight_up"]],
                    t("sites.col_new_up", lang): [_fmt(v) for v in thr["new_top_up"]],
                }
            ),
            hide_index=True,
            width="stretch",
            key="sites_sensitivity_table",
        )
        moves = []
        for c, row in thr.iterrows():
            for side in ("down", "up"):
                if pd.notna(row[f"delta_{side}"]):
                    moves.append((abs(float(row[f"delta_{side}"])), str(c), side, row))
        if moves:
            _, c, side, row = min(moves, key=lambda x: x[0])
            st.info(
                t(
                    "sites.fragile",
                    lang,
                    crit=criterion_title(c, lang),
                    w0=number(float(row["weight"]), lang),
                    w1=number(float(row[f"weight_{side}"]), lang),
                    site=row[f"new_top_{side}"],
                )
            )
        else:
            st.info(t("sites.robust", lang))

with st.expander(t("sites.criteria_values", lang)):
    shown = crit_df[[c for c in used if c in crit_df]].round(2)
    shown.columns = [criterion_title(c, lang) for c in shown.columns]
    shown.index.name = t("sites.col_site", lang)
    st.dataframe(shown, width="stretch")
with st.expander(t("sites.notes", lang)):
    for note in notes:
        st.markdown(f"- {translate(note, lang)}")
