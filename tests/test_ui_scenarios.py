"""The Scenarios page in AppTest: baseline, a scenario checked and compared, the optimiser, the PDF."""

from __future__ import annotations

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
    with pytest.MonkeyPatch.context() as mp:  # the app opens this workspace
        mp.setenv("PATA_GIS_WORKSPACE", str(path))
        yield ws


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
        t("scen.baseline", lang),  # the baseline's column reads in the page language
        "A",
    ]
    assert f"A − {t('scen.baseline', lang)}" in cmp.columns
    moved = cmp[cmp[t("scen.col_metric", lang)] == sc.METRIC_TITLES["households_moved"][lang]]
    assert int(moved["A"].iloc[0]) == 8 and int(moved[t("scen.baseline", lang)].iloc[0]) == 0
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
    assert int(total["Baseline"].iloc[0]) == 3


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
    assert float(zone["Baseline"].iloc[0]) - float(zone["optimised"].iloc[0]) == 40
    # the council PDF is built from the same comparison
    at.button(key="scen_report").click().run()
    assert not at.exception, at.exception
    assert at.session_state["scen_report_pdf"][:5] == b"%PDF-"


# ------------------------------------------------------------------ saved in the workspace

from pata_gis import workspace as wsmod  # noqa: E402
from pata_gis.ui import text_scenarios  # noqa: E402, F401  (registers the saving strings)

SITE2 = "Someșeni – ilustrativ"


@pytest.fixture
def own_workspace(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Workspace:
    """A workspace of its own (saved scenarios must not reach the other tests)."""
    path = tmp_path_factory.mktemp("scen_saved") / "workspace.gpkg"
    ws = Workspace.create(path)
    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(path))
    return ws


def _moved(at, name: str, lang: str = "en") -> int:  # type: ignore[no-untyped-def]
    cmp = _table(at, "compare", lang)
    row = cmp[cmp[t("scen.col_metric", lang)] == sc.METRIC_TITLES["households_moved"][lang]]
    return int(row[name].iloc[0])


def _keys(at) -> set[str]:  # type: ignore[no-untyped-def]
    return {b.key for b in at.button}


def test_saved_scenario_is_there_in_a_new_session(own_workspace: Workspace, as_role) -> None:  # type: ignore[no-untyped-def]
    ws, lang = own_workspace, "en"
    as_role("planner")
    alloc = pd.DataFrame(
        {"group": ["Colectorului", "Dallas"], "site": [SITE, SITE2], "n_households": [8, 3]}
    )
    at = _app(lang, scen_data={"Plan A": alloc}).run()
    assert not at.exception, at.exception
    assert t("scen.ws_status_new", lang) in [w.value for w in at.warning]
    cmp_before = _table(at, "compare", lang)
    at.text_input(key="scen_note").set_value("first draft")
    at.button(key="scen_save").click().run()
    assert not at.exception, at.exception
    assert t("scen.ws_saved", lang, name="Plan A", version=1) in [s.value for s in at.success]
    assert t("scen.ws_status_new", lang) not in [w.value for w in at.warning]
    assert any(c.value.startswith("Saved in the workspace: version 1,") for c in at.caption)
    # in the workspace file, exactly the table of the session
    got = Workspace(ws.path).read_scenario("Plan A")
    pd.testing.assert_frame_equal(got, alloc, check_dtype=False)
    assert got["n_households"].dtype == "int64"
    hist = ws.scenario_history("Plan A")
    assert hist["note"].tolist() == ["first draft"]

    # the browser tab is closed; tomorrow a new session opens the same workspace
    fresh = _app(lang).run()
    assert not fresh.exception, fresh.exception
    assert fresh.selectbox(key="scen_pick").options == ["Plan A"]
    pd.testing.assert_frame_equal(
        fresh.session_state["scen_data"]["Plan A"], alloc, check_dtype=False
    )
    assert _moved(fresh, "Plan A") == 11
    cmp_after = _table(fresh, "compare", lang)
    pd.testing.assert_series_equal(cmp_after["Plan A"], cmp_before["Plan A"])
    assert any(c.value.startswith("Saved in the workspace: version 1,") for c in fresh.caption)
    assert not any("Unsaved" in w.value for w in fresh.warning)

    # another role sees it read-only: no save, no delete, told who may
    as_role("police")
    police = _app(lang).run()
    assert not police.exception, police.exception
    assert police.selectbox(key="scen_pick").options == ["Plan A"]
    assert _moved(police, "Plan A") == 11
    assert "scen_save" not in _keys(police) and "scen_delete" not in _keys(police)
    from pata_gis.ui.text_planning import role_label

    readonly = t("scen.ws_readonly", lang, role=role_label("planner", lang))
    assert readonly in [c.value for c in police.caption]

    # the planner deletes it: gone from the next session, kept in the history
    as_role("planner")
    fresh.button(key="scen_delete").click().run()
    assert not fresh.exception, fresh.exception
    assert t("scen.ws_deleted", lang, name="Plan A") in [s.value for s in fresh.success]
    assert ws.scenarios().empty
    assert ws.scenario_history("Plan A")["action"].tolist() == ["save", "delete"]
    gone = _app(lang).run()
    assert not gone.exception, gone.exception
    assert t("scen.none", lang) in [i.value for i in gone.info]


def test_unsaved_changes_are_shown_and_saved_as_a_new_version(  # type: ignore[no-untyped-def]
    own_workspace: Workspace, as_role
) -> None:
    ws, lang = own_workspace, "ro"
    as_role("planner")
    v1 = pd.DataFrame({"group": ["Dallas"], "site": [SITE], "n_households": [4]})
    ws.save_scenario("C", v1, author="ana")
    edited = pd.DataFrame({"group": ["Dallas"], "site": [SITE], "n_households": [6]})
    # a session whose table differs from the saved version (its own table wins)
    at = _app(lang, scen_data={"C": edited}).run()
    assert not at.exception, at.exception
    assert t("scen.ws_status_dirty", lang, version=1) in [w.value for w in at.warning]
    assert _moved(at, "C", lang) == 6
    at.button(key="scen_save").click().run()
    assert not at.exception, at.exception
    assert t("scen.ws_status_dirty", lang, version=1) not in [w.value for w in at.warning]
    assert ws.scenario_history("C")["version"].tolist() == [1, 2]
    pd.testing.assert_frame_equal(ws.read_scenario("C"), edited, check_dtype=False)
    pd.testing.assert_frame_equal(ws.read_scenario("C", version=1), v1, check_dtype=False)


def test_failed_save_keeps_the_table(  # type: ignore[no-untyped-def]
    own_workspace: Workspace, as_role, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, lang = own_workspace, "en"
    as_role("planner")
    alloc = pd.DataFrame({"group": ["Rampa"], "site": [SITE2], "n_households": [5]})
    at = _app(lang, scen_data={"B": alloc}).run()
    assert not at.exception, at.exception
    before = ws.path.read_bytes()

    def disk_full(path: Path) -> None:  # the write fails after the copy was changed
        raise OSError(28, "No space left on device")

    real_fsync = wsmod._fsync_file
    monkeypatch.setattr(wsmod, "_fsync_file", disk_full)
    at.button(key="scen_save").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any(
        e.startswith(t("scen.ws_save_failed", lang, name="B", error="")) and "No space" in e
        for e in errors
    ), errors
    # the session keeps its table, the page still compares it, the file is unchanged
    pd.testing.assert_frame_equal(at.session_state["scen_current"]["B"], alloc, check_dtype=False)
    assert _moved(at, "B") == 5
    assert t("scen.ws_status_new", lang) in [w.value for w in at.warning]
    assert ws.path.read_bytes() == before and ws.scenarios().empty
    # once the disk has room again the same table saves
    monkeypatch.setattr(wsmod, "_fsync_file", real_fsync)
    at.button(key="scen_save").click().run()
    assert not at.exception, at.exception
    pd.testing.assert_frame_equal(ws.read_scenario("B"), alloc, check_dtype=False)


@pytest.mark.parametrize(("name", "fragment"), [("baseline", "reserved"), ("x" * 81, "81")])
def test_unusable_names_are_refused(  # type: ignore[no-untyped-def]
    own_workspace: Workspace, as_role, name: str, fragment: str
) -> None:
    as_role("planner")
    at = _app("en").run()
    at.text_input(key="scen_new_name").set_value(name)
    at.button(key="scen_add").click().run()
    assert not at.exception, at.exception
    warns = [w.value for w in at.warning]
    assert any(w.startswith(t("scen.ws_bad_name", "en", error="")) and fragment in w for w in warns)
    assert at.session_state["scen_data"] == {}


def test_a_version_saved_elsewhere_is_announced_and_loads(  # type: ignore[no-untyped-def]
    own_workspace: Workspace, as_role
) -> None:
    ws, lang = own_workspace, "en"
    as_role("planner")
    mine = pd.DataFrame({"group": ["Dallas"], "site": [SITE], "n_households": [4]})
    ws.save_scenario("P", mine, author="ana")
    at = _app(lang).run()
    assert not at.exception, at.exception
    assert "scen_load_newer" not in _keys(at)
    # another planner (or the CLI) saves version 2 while this session is open
    theirs = pd.DataFrame({"group": ["Rampa"], "site": [SITE2], "n_households": [9]})
    ws.save_scenario("P", theirs, author="ion")
    at.run()
    assert not at.exception, at.exception
    infos = [i.value for i in at.info]
    assert any(i.startswith("Meanwhile ion saved version 2 (") for i in infos), infos
    assert _moved(at, "P") == 4  # the session's table is not replaced behind its back
    at.button(key="scen_load_newer").click().run()
    assert not at.exception, at.exception
    assert _moved(at, "P") == 9
    pd.testing.assert_frame_equal(at.session_state["scen_data"]["P"], theirs, check_dtype=False)
    assert any(c.value.startswith("Saved in the workspace: version 2, by ion") for c in at.caption)
    # deleted elsewhere: said so; Delete here then only clears the session
    ws.delete_scenario("P", author="ion")
    at.run()
    assert t("scen.ws_gone", lang) in [i.value for i in at.info]
    at.button(key="scen_delete").click().run()
    assert not at.exception, at.exception
    assert not at.error and at.session_state["scen_data"] == {}
    assert ws.scenario_history("P")["action"].tolist() == ["save", "save", "delete"]
