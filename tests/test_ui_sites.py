"""The Sites page in AppTest: restricted for the public, ranking equal to the library's for a planner."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_kit import CHROMIUM, MAP_FRAME, offline_page, shot, streamlit_server

from pata_gis import sites as _sites
from pata_gis.i18n import number, t
from pata_gis.network import Network
from pata_gis.ui import text_planning  # noqa: F401  (registers the page strings)
from pata_gis.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "pata_gis" / "ui" / "sites_page.py"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    path = tmp_path_factory.mktemp("sites") / "workspace.gpkg"
    ws = Workspace.create(path)
    with pytest.MonkeyPatch.context() as mp:  # the app opens this workspace
        mp.setenv("PATA_GIS_WORKSPACE", str(path))
        yield ws


@pytest.fixture(scope="module")
def oracle(workspace: Workspace) -> _sites.Evaluation:
    """The library's own evaluation of the same workspace (equal weights)."""
    names = [
        "candidate_sites", "landfill", "settlements", "schools", "kindergartens", "health",
        "social_services", "transit_stops", "jobs",
    ]  # fmt: skip
    layers = {n: workspace.read(n) for n in names}
    net = Network.from_lines(workspace.read("roads"), source="roads layer", name="roads")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _sites.evaluate(layers, network=net)


def _run(lang: str):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


def _ranking(at, lang: str):  # type: ignore[no-untyped-def]
    for df in at.dataframe:
        v = df.value
        if t("sites.col_status", lang) in v.columns and t("sites.col_rank", lang) in v.columns:
            return v
    raise AssertionError("no ranking table on the page")


def test_public_sees_no_sites(workspace: Workspace, as_role) -> None:  # type: ignore[no-untyped-def]
    as_role("public")
    at = _run("en")
    assert not at.exception, at.exception
    from pata_gis.ui.text_planning import role_label

    assert t("plan.restricted", "en", role=role_label("public", "en")) in [i.value for i in at.info]
    assert len(at.dataframe) == 0  # nothing about the sites


@pytest.mark.parametrize("lang", ["ro", "en"])
def test_planner_ranking_matches_library(
    workspace: Workspace,
    oracle: _sites.Evaluation,
    as_role,
    lang: str,  # type: ignore[no-untyped-def]
) -> None:
    as_role("planner")
    at = _run(lang)
    assert not at.exception, at.exception
    assert at.title[0].value == t("sites.heading", lang)
    table = _ranking(at, lang)
    # equal weights (the planners' set) = evaluate() with its default equal weights
    expected = oracle.ranking
    assert list(table[t("sites.col_site", lang)]) == list(expected.index)
    assert table[t("sites.col_score", lang)].iloc[0] == pytest.approx(
        float(expected["score"].iloc[0]), abs=1e-3
    )
    top = str(expected.index[0])
    assert any(top in s.value for s in at.success)
    # the counter-example in the landfill zone is excluded with the distance named
    excluded = table[table[t("sites.col_status", lang)] == t("sites.status.excluded", lang)]
    assert list(excluded[t("sites.col_site", lang)]) == [
        "Pata Rât – contra-exemplu (în zona de protecție)"
    ]
    # the distance written as the page language writes numbers (1.000 in ro, 1,000 in en)
    assert number(1000, lang, 0) in excluded[t("sites.col_reason", lang)].iloc[0]


def test_weight_change_reranks(workspace: Workspace, oracle: _sites.Evaluation, as_role) -> None:  # type: ignore[no-untyped-def]
    as_role("planner")
    at = _run("en")
    # only the distance from the settlements counts: the farthest eligible site wins
    for s in at.slider:
        s.set_value(10 if s.key.endswith("dist_settlement_m") else 0)
    at.run()
    assert not at.exception, at.exception
    table = _ranking(at, "en")
    crit = oracle.criteria
    eligible = crit.drop(index="Pata Rât – contra-exemplu (în zona de protecție)")
    # dist_settlement_m scores linearly between 500 m and 3000 m, capped at 1
    capped = eligible["dist_settlement_m"].clip(500, 3000)
    best = capped[capped == capped.max()].index
    assert table["Site"].iloc[0] in set(best)
    assert table["Score (0–1)"].iloc[0] == pytest.approx((capped.max() - 500) / 2500, abs=1e-3)


def test_distance_changes_exclusions(workspace: Workspace, as_role) -> None:  # type: ignore[no-untyped-def]
    from pata_gis import pollution
    from pata_gis.ui.text_planning import indexed_sites

    as_role("planner")
    at = _run("en")
    sites = indexed_sites(workspace.read("candidate_sites"))
    landfill = workspace.read("landfill")
    for d in (50.0, 4000.0):
        at.number_input(key="sites_distance").set_value(d).run()
        assert not at.exception, at.exception
        table = _ranking(at, "en")
        oracle = _sites.hard_constraints(
            sites, {"legal_zone": pollution.legal_zone(landfill, distance_m=d)}
        )
        shown = set(table.loc[table["Status"] == "excluded", "Site"])
        assert shown == set(oracle.index[oracle["excluded"]]), d
    assert len(shown) >= 2  # 4 km reaches more than the counter-example


def test_ahp_inconsistent_warns(workspace: Workspace, as_role) -> None:  # type: ignore[no-untyped-def]
    as_role("planner")
    at = _run("en")
    at.radio(key="sites_method").set_value("ahp").run()
    assert not at.exception, at.exception
    sliders = {s.key: s for s in at.select_slider}
    keys = sorted(sliders)
    assert len(keys) == 21  # 7 criteria with data -> 21 pairs
    # school >> kindergarten, kindergarten >> doctor, but doctor >> school: a cycle
    a = "sites_ahp_planners_time_school_min_time_kindergarten_min"
    b = "sites_ahp_planners_time_kindergarten_min_time_doctor_min"
    c = "sites_ahp_planners_time_school_min_time_doctor_min"
    sliders[a].set_value(8)
    sliders[b].set_value(8)
    sliders[c].set_value(-8)
    at.run()
    assert not at.exception, at.exception
    warns = [w.value for w in at.warning]
    assert any("CR" in w and "0.10" in w for w in warns), warns


# ---------------------------------------------------------------------- browser
ENTRY = """
import sys
sys.path.insert(0, {repo!r})
import streamlit as st
from pata_gis.ui import common
common.current_role = lambda: "planner"  # the role selector is not part of this test
st.navigation([
    st.Page({sites!r}, title="Sites", default=True),
    st.Page({scen!r}, title="Scenarios"),
]).run()
"""


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing")
def test_pages_in_chromium_offline(workspace: Workspace, tmp_path: Path) -> None:
    """Both planning pages in headless Chromium, every non-local request refused;
    screenshots in test-artifacts/page_sites.png and page_scenarios.png."""
    pw = pytest.importorskip("playwright.sync_api")
    entry = tmp_path / "entry.py"
    entry.write_text(
        ENTRY.format(
            repo=str(REPO),
            sites=str(PAGE),
            scen=str(REPO / "pata_gis" / "ui" / "scenarios_page.py"),
        ),
        encoding="utf-8",
    )
    with (
        streamlit_server(workspace.path, script=entry, log_dir=tmp_path) as url,
        pw.sync_playwright() as p,
        offline_page(p, height=2400, failure_shot="page_sites_failed.png") as off,
    ):
        page = off.page
        page.goto(url, wait_until="domcontentloaded")
        frame = page.frame_locator(MAP_FRAME)
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=40_000)
        # the ranked sites' labels: 1..9 and one excluded
        pw.expect(frame.locator(".pata-rank-label")).to_have_count(10, timeout=20_000)
        labels = frame.locator(".pata-rank-label").all_inner_texts()
        assert sorted(labels) == sorted([str(i) for i in range(1, 10)] + ["✕"])
        page.get_by_text(t("sites.sensitivity", "ro")).first.wait_for(timeout=20_000)
        page.wait_for_timeout(2500)
        pw.expect(frame.locator(".pata-rank-label")).to_have_count(10, timeout=20_000)
        shot(page, "page_sites.png")
        page.get_by_test_id("stSidebarNav").get_by_text("Scenarios").click()
        page.get_by_text(t("scen.optimiser", "ro")).first.wait_for(timeout=40_000)
        # ask the optimiser for a proposal and add it as a scenario
        page.get_by_role("button", name=t("scen.opt_run", "ro")).click()
        page.get_by_role("button", name=t("scen.opt_add", "ro")).click(timeout=60_000)
        page.get_by_text(t("scen.opt_added", "ro", name="optimised")).wait_for(timeout=40_000)
        page.locator("[data-testid='stImage'] img").first.wait_for(timeout=20_000)
        page.get_by_text(t("scen.compare", "ro")).first.scroll_into_view_if_needed()
        page.wait_for_timeout(1500)
        shot(page, "page_scenarios.png")
    assert off.aborted == [], f"requests to external hosts: {off.aborted}"
