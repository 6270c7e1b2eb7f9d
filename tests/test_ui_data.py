"""The Data page (AppTest): layers by role, import with report, export through privacy, restore."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from browser_kit import CHROMIUM, offline_page, shot, streamlit_server
from shapely.geometry import Point

from pata_gis import roles
from pata_gis.i18n import t
from pata_gis.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "pata_gis" / "ui" / "data_page.py"
PHRASE = "colectorului 2026 seara"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_roles import seed_marks

    path = tmp_path_factory.mktemp("data_page") / "template.gpkg"
    ws = Workspace.create(path, author="test")
    seed_marks(ws)  # 7 aggregate-only + 2 community-only marks in one 250 m cell
    roles.set_passphrase(ws, "planner", PHRASE)
    return path


@pytest.fixture()
def ws(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    path = tmp_path / "ws.gpkg"
    shutil.copy(template, path)
    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(path))
    monkeypatch.setenv("PATA_GIS_AUTHOR", "Ana Test")
    yield Workspace(path)


def _page(lang: str = "en", role: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["lang"] = lang
    if role is not None:
        at.session_state["role"] = role  # as after the passphrase was accepted
    return at.run()


def _table(at, key: str):
    """The layers table (the first dataframe: the one with the 'what you see' column)."""
    assert key == "data_layers_table"
    for df in at.dataframe:
        if any(
            c in df.value.columns for c in ("The most you may get", "Cel mai mult puteți primi")
        ):
            return df.value
    raise AssertionError(f"no dataframe {key}")


def _two_schools(tmp_path: Path) -> Path:
    schools = gpd.GeoDataFrame(
        {"name": ["Școala nouă A", "Școala nouă B"], "level": [None, None]},
        geometry=[Point(23.60, 46.77), Point(23.61, 46.775)],
        crs="EPSG:4326",
    )
    path = tmp_path / "new_schools.geojson"
    schools.to_file(path, driver="GeoJSON")
    return path


@pytest.mark.parametrize("lang", ["ro", "en"])
def test_page_runs_public_and_shows_what_the_role_sees(ws: Workspace, lang: str) -> None:
    at = _page(lang)
    assert not at.exception, at.exception
    assert at.title[0].value == t("data.heading", lang)
    table = _table(at, "data_layers_table").set_index(t("data.col_name", lang))
    you_see = t("data.col_you_see", lang)
    assert table.loc["risk_marks", you_see] == t("data.level.aggregated", lang)
    assert table.loc["settlements", you_see] == t("data.level.raw", lang)
    assert table.loc["risk_marks", t("data.col_features", lang)] == 9
    # the public imports nothing
    assert any(i.value == t("data.public_readonly", lang) for i in at.info)
    assert not [b for b in at.button if b.key == "data_import_go"]


def test_wrong_passphrase_refused_right_one_enters(ws: Workspace) -> None:
    at = _page("en")
    at.selectbox(key="_role_select").select("planner").run()
    assert not at.exception, at.exception
    at.text_input(key="_role_passphrase").input("not the passphrase")
    next(b for b in at.button if b.label == "Enter the role").click().run()
    role_now = at.session_state["role"] if "role" in at.session_state else "public"
    assert role_now == "public"
    assert any("Wrong passphrase" in e.value for e in at.sidebar.error)
    table = _table(at, "data_layers_table").set_index("Technical name")
    assert table.loc["candidate_sites", "The most you may get"] == "aggregated (counts per cell)"

    at.text_input(key="_role_passphrase").input(PHRASE)
    next(b for b in at.button if b.label == "Enter the role").click().run()
    assert not at.exception, at.exception
    assert at.session_state["role"] == "planner"
    table = _table(at, "data_layers_table").set_index("Technical name")
    assert table.loc["candidate_sites", "The most you may get"] == "as stored"
    # confidential marks: masked at most for a planner (privacy.ACCESS)
    assert table.loc["risk_marks", "The most you may get"].startswith("masked")
    assert not any(b.label == "Enter the role" for b in at.button)  # the form is gone

    # the passphrase is changed elsewhere: this session falls back to public
    roles.set_passphrase(ws, "planner", "a brand new passphrase")
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["role"] == "public"
    assert any("passphrase was changed" in w.value for w in at.sidebar.warning)
    table = _table(at, "data_layers_table").set_index("Technical name")
    assert table.loc["candidate_sites", "The most you may get"] == "aggregated (counts per cell)"


def test_role_without_passphrase_says_how_to_set_one(ws: Workspace) -> None:
    at = _page("en")
    at.selectbox(key="_role_select").select("police").run()
    assert not at.exception, at.exception
    warning = " ".join(w.value for w in at.sidebar.warning)
    assert "role set-passphrase police" in warning
    assert "role" not in at.session_state or at.session_state["role"] == "public"


def test_import_geojson_adds_features_and_shows_report(ws: Workspace, tmp_path: Path) -> None:
    before = len(ws.read("schools"))
    at = _page("en", role="planner")
    at.selectbox(key="data_import_layer").select("schools")
    at.radio(key="data_import_mode").set_value("append")
    at.text_input(key="data_import_path").input(str(_two_schools(tmp_path)))
    at.text_input(key="data_default_source").input("field survey 2026")
    at.number_input(key="data_default_accuracy").set_value(15.0)
    at.button(key="data_import_go").click().run()
    assert not at.exception, at.exception
    after = ws.read("schools")
    assert len(after) == before + 2
    assert set(after["source"].iloc[-2:]) == {"field survey 2026"}
    assert list(after["accuracy_m"].iloc[-2:]) == [15.0, 15.0]
    ok = " ".join(s.value for s in at.success)
    assert f"2 of 2 features kept; the layer now has {before + 2} features" in ok
    assert ws.history("schools")["author"].iloc[-1] == "Ana Test"
    # the page was drawn again after the save: the layer table has the new count
    table = _table(at, "data_layers_table").set_index("Technical name")
    assert table.loc["schools", "Features"] == before + 2
    # the report: 'source' filled from the default is a repair it lists
    report = " ".join(m.value for m in at.markdown)
    assert "source" in report


def test_broken_file_shows_error_and_leaves_workspace(ws: Workspace, tmp_path: Path) -> None:
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [ {"type": ', "utf-8")
    before = ws.history("schools")
    at = _page("ro", role="planner")
    at.selectbox(key="data_import_layer").select("schools")
    at.text_input(key="data_import_path").input(str(broken))
    at.button(key="data_import_go").click().run()
    assert not at.exception, at.exception
    assert at.error and t("data.refused", "ro") in at.error[0].value
    assert "broken.geojson" in at.error[0].value
    assert ws.history("schools").equals(before)
    assert ws.import_log()["outcome"].iloc[-1] == "refused"
    # the refusal is in the layer's import log on the history tab
    at.selectbox(key="data_history_layer").select("schools").run()
    log = next(df.value for df in at.dataframe if "Fișier" in df.value.columns)
    assert (
        log.iloc[0]["Fișier"] == "broken.geojson" and log.iloc[0]["Rezultat"] == "refuzat"
    )  # the outcome reads in the page language


def test_refused_layer_lists_every_problem(ws: Workspace, tmp_path: Path) -> None:
    # points offered to the settlements layer (polygons), without the required fields
    path = _two_schools(tmp_path)
    before = len(ws.read("settlements"))
    at = _page("en", role="planner")
    at.selectbox(key="data_import_layer").select("settlements")
    at.radio(key="data_import_mode").set_value("replace")
    at.text_input(key="data_import_path").input(str(path))
    at.button(key="data_import_go").click().run()
    assert not at.exception, at.exception
    assert "The file was refused" in at.error[0].value
    assert any(e.label.startswith("Problems (") for e in at.expander)
    assert len(ws.read("settlements")) == before


def test_restore_needs_confirmation_and_works(ws: Workspace, tmp_path: Path) -> None:
    v1 = len(ws.read("schools"))
    ws.import_file(
        _two_schools(tmp_path),
        layer="schools",
        mode="append",
        defaults={"source": "survey", "accuracy_m": 10},
    )
    assert len(ws.read("schools")) == v1 + 2
    at = _page("en", role="planner")
    at.selectbox(key="data_history_layer").select("schools").run()
    at.selectbox(key="data_restore_version").select(1).run()
    assert at.button(key="data_restore_go").disabled  # not confirmed yet
    at.checkbox(key="data_restore_confirm").check().run()
    at.button(key="data_restore_go").click().run()
    assert not at.exception, at.exception
    assert len(ws.read("schools")) == v1
    hist = ws.history("schools")
    assert hist["action"].iloc[-1] == "restore" and len(hist) == 3
    assert any("Version 1 of" in s.value for s in at.success)


def test_public_export_of_marks_is_aggregated_and_audited(ws: Workspace) -> None:
    at = _page("en")
    at.selectbox(key="data_export_layer").select("risk_marks").run()
    assert at.radio(key="data_export_level").options == ["aggregated (counts per cell)"]
    at.button(key="data_export_go").click().run()
    assert not at.exception, at.exception
    ready = at.session_state["data_export_file"]
    data = json.loads(ready["data"])
    # one 250 m cell with the 7 aggregate-only marks; no note, no session, no point
    assert [f["properties"]["n"] for f in data["features"]] == [7]
    assert {f["geometry"]["type"] for f in data["features"]} == {"Polygon"}
    assert "lângă pod" not in ready["data"].decode("utf-8")
    rec = json.loads(ws.path.with_suffix(".audit.jsonl").read_text("utf-8").splitlines()[-1])
    assert (rec["role"], rec["level"], rec["who"], rec["layer"]) == (
        "public",
        "aggregated",
        "Ana Test",
        "risk_marks",
    )


def test_public_layer_export_gives_a_download(ws: Workspace) -> None:
    at = _page("ro")
    at.selectbox(key="data_export_layer").select("schools")
    at.selectbox(key="data_export_format").select("CSV")
    at.button(key="data_export_go").click().run()
    assert not at.exception, at.exception
    ready = at.session_state["data_export_file"]
    assert ready["name"] == "schools.csv" and ready["level"] == "raw"
    n_rows = len(ready["data"].decode("utf-8").strip().splitlines()) - 1
    assert n_rows == len(ws.read("schools"))
    assert not ws.path.with_suffix(".audit.jsonl").exists()


# --------------------------------------------------------------------------- browser
@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing")
def test_data_page_in_browser_with_planner_role(template: Path, tmp_path: Path) -> None:
    """The page in headless Chromium, offline: enter the planner role, see the layers."""
    sync_api = pytest.importorskip("playwright.sync_api")
    path = tmp_path / "ws.gpkg"
    shutil.copy(template, path)
    with (
        streamlit_server(path, env={"PATA_GIS_OFFLINE": "1"}) as url,
        sync_api.sync_playwright() as p,
        offline_page(p, height=1100, failure_shot="page_data_failed.png") as off,
    ):
        page = off.page
        page.goto(url + "data", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Date").wait_for(timeout=30_000)
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_test_id("stSelectbox").nth(1).click()
        page.get_by_role("option", name="Urbanist").click()
        sidebar.get_by_label("Parola rolului").fill(PHRASE)
        sidebar.get_by_role("button", name="Intră în rol").click()
        sidebar.get_by_text("Vedeți datele ca: Urbanist").wait_for(timeout=30_000)
        page.get_by_role("tab", name="Import").wait_for()
        page.wait_for_timeout(800)
        shot(page, "page_data.png")
        page.get_by_role("tab", name="Import").click()
        page.get_by_text("Stratul în care importați").wait_for(timeout=10_000)
        page.wait_for_timeout(500)
        shot(page, "page_data_import.png")
    assert off.aborted == [], f"requests to external hosts: {off.aborted}"


def test_planner_masked_export_only_marks_shared_with_planners(ws: Workspace) -> None:
    """3 marks of a share-with-planners session: the planner's masked file has those 3,
    moved at most 200 m, without notes; the other sessions' marks are not in it."""
    from shapely.geometry import shape

    from pata_gis import crs as _crs
    from pata_gis import workshop as w

    s = w.new_session(
        ws,
        community="Cantonului",
        date="2026-11-26",
        facilitator="B. Rus",
        group="parents",
        consent_scope="share_with_planners",
        author="test",
    )
    x0, y0 = _crs.lonlat_to_metric(23.6917, 46.7815)  # the Cantonului stop
    pts = [Point(x0 + 40 * i, y0) for i in range(3)]
    marks = gpd.GeoDataFrame(
        {"category": ["traffic"] * 3, "severity": [5] * 3, "note": ["trecere periculoasă"] * 3},
        geometry=pts,
        crs="EPSG:3844",
    )
    w.add_marks(ws, s.session_id, marks, author="test")
    at = _page("en", role="planner")
    at.selectbox(key="data_export_layer").select("risk_marks").run()
    radio = at.radio(key="data_export_level")
    assert radio.options == ["aggregated (counts per cell)", "masked (points moved at random)"]
    radio.set_value("masked").run()
    at.button(key="data_export_go").click().run()
    assert not at.exception, at.exception
    ready = at.session_state["data_export_file"]
    text = ready["data"].decode("utf-8")
    assert "trecere periculoasă" not in text and s.session_id not in text
    feats = json.loads(text)["features"]
    assert len(feats) == 3 and {f["properties"]["category"] for f in feats} == {"traffic"}
    moved = gpd.GeoSeries([shape(f["geometry"]) for f in feats], crs="EPSG:4326").to_crs(3844)
    for p in moved:
        # within 200 m of its own mark (so of the nearest one), never on a true mark
        assert 3 <= min(p.distance(q) for q in pts) <= 200 + 1e-6
    # displaced: the masked set is not the true set
    assert sorted(round(p.x) for p in moved) != sorted(round(q.x) for q in pts)
    rec = json.loads(ws.path.with_suffix(".audit.jsonl").read_text("utf-8").splitlines()[-1])
    assert (rec["role"], rec["level"], rec["n_features"]) == ("planner", "masked", 3)
