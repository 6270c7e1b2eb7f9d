"""The Scenarios page in AppTest: baseline, a scenario checked and compared, the optimiser, the PDF."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from pata_gis import scenarios as sc
from pata_gis.i18n import t
from pata_gis.ui import text_planning  # noqa: F401  (registers the page strings)
from pata_gis.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "pata_gis" / "ui" / "scenarios_page.py"
SITE = "Mărăști – ilustrativ"


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    path = tmp_path_factory.mktemp("scen") / "workspace.gpkg"
    ws = Workspace.create(path)
    old = os.environ.get("PATA_GIS_WORKSPACE")
    os.environ["PATA_GIS_WORKSPACE"] = str(path)
    try:
        yield ws
    finally:
        if old is None:
            os.environ.pop("PATA_GIS_WORKSPACE", None)
        else:
            os.environ["PATA_GIS_WORKSPACE"] = old


@pytest.fixture
def as_role(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from pata_gis.ui import common

    def set_role(role: str) -> None:
        monkeypatch.setattr(common, "current_role", lambda: role, raising=False)

    return set_role


def _app(lang: str, **state: object):  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGE), default_timeout=90)
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    return at


#: Which column tells each table apart (st.dataframe keeps no key without selections).
_MARK = {
    "households": "scen.col_location",
    "compare": "scen.col_metric",
    "proposal": "scen.col_site",
}


def _table(at, which: str, lang: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    mark = t(_MARK[which], lang)
    for df in at.dataframe:
        v = df.value
        if mark in v.columns and not (which == "proposal" and t("scen.col_location", lang) in v):
            return v
    raise AssertionError(f"no {which} table on the page")


def test_public_sees_nothing(workspace: Workspace, as_role) -> None:  # type: ignore[no-untyped-def]
    as_role("public")
    at = _app("ro").run()
    assert not at.exception, at.exception
    from pata_gis.ui.text_planning import role_label

    assert t("plan.restricted", "ro", role=role_label("public", "ro")) in [i.value for i in at.info]
    assert len(at.dataframe) == 0


@pytest.mark.parametrize("lang", ["ro", "en"])
def test_scenario_checked_and_compared(workspace: Workspace, as_role, lang: str) -> None:  # type: ignore[no-untyped-def]
    as_role("planner")
    alloc = pd.DataFrame({"group": ["Colectorului"], "site": [SITE], "n_households": [8]})
    at = _app(lang, scen_data={"A": alloc}).run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("scen.heading", lang)
    # 76 households of Colectorului from the settlements layer
    hh = _table(at, "households", lang)
    row = hh[hh[t("scen.col_group", lang)] == "Colectorului"]
    assert int(row[t("scen.col_households", lang)].iloc[0]) == 76
    assert t("scen.ok", lang, name="A") in [s.value for s in at.success]
    cmp = _table(at, "compare", lang)
    assert list(cmp.columns[:4]) == [
        t("scen.col_metric", lang),
        t("scen.col_unit", lang),
        "baseline",
        "A",
    ]
    moved = cmp[cmp[t("scen.col_metric", lang)] == sc.METRIC_TITLES["households_moved"][lang]]
    assert int(moved["A"].iloc[0]) == 8 and int(moved["baseline"].iloc[0]) == 0
    # a dispersal rule of 5 per site is broken by the 8 households at one site
    at.number_input(key="scen_max_per_site").set_value(5).run()
    assert not at.exception, at.exception
    warns = " ".join(w.value for w in at.warning)
    assert "8 Pata Rât households, at most 5" in warns


def test_relocated_families_stay(workspace: Workspace, as_role) -> None:  # type: ignore[no-untyped-def]
    as_role("planner")
    seed = pd.DataFrame(
        {"community": ["Dallas"], "n_households": [3], "size": [4.0], "location": [SITE]}
    )
    lang = "en"
    at = _app(lang, scen_relocated_seed=seed).run()
    assert not at.exception, at.exception
    hh = _table(at, "households", lang)
    rel = hh[hh["Group"] == "relocated_1"]
    assert rel["Where they live"].iloc[0] == SITE and int(rel["Households"].iloc[0]) == 3
    cmp = _table(at, "compare", lang)
    total = cmp[cmp["Metric"] == sc.METRIC_TITLES["households_relocated_total"]["en"]]
    assert int(total["baseline"].iloc[0]) == 3


def test_optimiser_proposal_becomes_a_scenario(workspace: Workspace, as_role) -> None:  # type: ignore[no-untyped-def]
    as_role("planner")
    lang = "en"
    at = _app(lang).run()
    at.multiselect(key="opt_groups").set_value(["Colectorului"])
    at.number_input(key="opt_cap").set_value(8)
    at.number_input(key="opt_moves").set_value(40)
    at.button[[b.label for b in at.button].index(t("scen.opt_run", "en"))].click().run()
    assert not at.exception, at.exception
    prop = _table(at, "proposal", lang)
    # the library on the same inputs (sites in the legal zone left out) is the oracle
    layers = {n: workspace.read(n) for n in ("settlements", "landfill", "candidate_sites")}
    hh = sc.households_from_settlements(layers["settlements"])
    sites = sc.sites_table(layers["candidate_sites"])
    loc, _ = sc.location_table(hh, sites, layers["settlements"], layers["landfill"])
    keep = ~loc["inside_zone"].reindex(sites.index).astype(bool)
    assert int((~keep).sum()) == 1
    want = sc.optimise(
        hh, sites.loc[keep], exposure=loc["exposure_mean"], max_per_site=8,
        groups=["Colectorului"], place_all=False, max_moves=40, explain=False,
    ).allocation  # fmt: skip
    assert prop["Households"].sum() == want["n_households"].sum() == 40
    assert prop["Households"].max() <= 8
    assert "Pata Rât – contra-exemplu (în zona de protecție)" not in set(prop["Site"])
    assert sorted(prop["Site"]) == sorted(want["site"])
    assert any(t("scen.opt_bound", lang) in m.value for m in at.markdown)
    at.button(key="scen_opt_add").click().run()
    assert not at.exception, at.exception
    cmp = _table(at, "compare", lang)
    assert "optimised" in cmp.columns
    moved = cmp[cmp["Metric"] == sc.METRIC_TITLES["households_moved"]["en"]]
    assert int(moved["optimised"].iloc[0]) == 40
    zone = cmp[cmp["Metric"] == sc.METRIC_TITLES["households_in_sanitary_zone"]["en"]]
    # Colectorului lies in the zone: 40 of its households leave it, none enter it
    assert float(zone["baseline"].iloc[0]) - float(zone["optimised"].iloc[0]) == 40
    # the council PDF is built from the same comparison
    at.button(key="scen_report").click().run()
    assert not at.exception, at.exception
    assert at.session_state["scen_report_pdf"][:5] == b"%PDF-"
