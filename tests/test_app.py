"""Streamlit app smoke tests: every page runs without exception, in ro and en."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pata_gis.specs import load_catalogue
from pata_gis.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"


def make_workspace(path: Path) -> Workspace:
    """A workspace for the app tests.

    The bundled starter data when every bundled file of the catalogue exists;
    otherwise a few synthetic features per layer (confidential ones included, so
    the tests see that they stay hidden).
    """
    catalogue = load_catalogue()
    if all(s.bundled is None or s.bundled.is_file() for s in catalogue.values()):
        return Workspace.create(path)
    from test_maps import _frame  # synthetic features that satisfy each spec

    ws = Workspace.create(path, starter=False)
    for name, spec in ws.specs().items():
        ws.write(name, _frame(spec, 4), action="test")
    return ws


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("app") / "workspace.gpkg"
    make_workspace(path)
    with pytest.MonkeyPatch.context() as mp:  # the app opens this workspace
        mp.setenv("PATA_GIS_WORKSPACE", str(path))
        yield path


def _run(lang: str | None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    if lang is not None:
        at.session_state["lang"] = lang
    return at.run()


@pytest.mark.parametrize("lang", ["ro", "en"])
def test_map_page_runs(workspace: Path, lang: str) -> None:
    from pata_gis.i18n import t

    at = _run(lang)
    assert not at.exception, at.exception
    assert at.title[0].value == t("map.heading", lang)
    captions = " ".join(c.value for c in at.caption)
    # the confidential layers are named as hidden, never drawn
    assert t("map.hidden_list", lang, names="").split(":")[0] in captions
    assert at.sidebar.selectbox[0].value == lang


def test_default_language_is_romanian(workspace: Path) -> None:
    at = _run(None)
    assert not at.exception, at.exception
    assert at.session_state["lang"] == "ro"
    assert at.title[0].value == "Harta straturilor publice"


def test_language_switch(workspace: Path) -> None:
    at = _run("ro")
    at.sidebar.selectbox[0].select("en").run()
    assert not at.exception, at.exception
    assert at.session_state["lang"] == "en"
    assert at.title[0].value == "Map of the public layers"


def test_download_offers_offline_html(workspace: Path) -> None:
    at = _run("en")
    at.button(key="prepare_download").click().run()
    assert not at.exception, at.exception
    buttons = at.get("download_button")
    assert len(buttons) == 1
    assert buttons[0].label == "Download the map (HTML, works offline)"


def test_workspace_created_on_first_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing workspace is created from the catalogue (empty layers suffice)."""
    catalogue = load_catalogue()
    if not all(s.bundled is None or s.bundled.is_file() for s in catalogue.values()):
        pytest.skip("the bundled starter layers are not all in layers/ yet")
    path = tmp_path / "new" / "ws.gpkg"
    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(path))
    at = _run("en")
    assert not at.exception, at.exception
    assert path.is_file()


def test_ui_is_the_only_streamlit_importer() -> None:
    """Nothing in the library outside pata_gis/ui imports streamlit."""
    offenders = [
        p.relative_to(REPO).as_posix()
        for p in (REPO / "pata_gis").rglob("*.py")
        if "ui" not in p.relative_to(REPO / "pata_gis").parts[:1]
        and "import streamlit" in p.read_text("utf-8")
    ]
    assert offenders == []


# Pata Rat GTFS stop: 3.8 m from the stop "Pata Rat", 362 m from the nearest active
# cell of the bundled landfill (band 250–500 m, inside the 1,000 m zone).
PATA_RAT_CLICK = {"lat": 46.7714, "lng": 23.6853}


def _bundled() -> bool:
    catalogue = load_catalogue()
    return all(s.bundled is None or s.bundled.is_file() for s in catalogue.values())


@pytest.mark.parametrize("lang", ["ro", "en"])
def test_clicked_place_shows_distances(workspace: Path, lang: str) -> None:
    """A click (st_folium's answer, kept under the map key) gives the distances table."""
    from streamlit.testing.v1 import AppTest

    from pata_gis.i18n import t

    if not _bundled():
        pytest.skip("the bundled starter layers are not all in layers/ yet")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state[f"layer_map_{lang}_public"] = {"last_clicked": PATA_RAT_CLICK}
    at.run()
    assert not at.exception, at.exception
    assert at.subheader[0].value == t("place.heading", lang)
    table = at.table[0].value
    what, nearest = t("place.col_what", lang), t("place.col_nearest", lang)
    straight = t("place.col_straight", lang)
    rows = table.set_index(what)
    assert list(rows.index[:2]) == [t("place.cat.landfill", lang), t("place.cat.school", lang)]
    assert rows.loc[t("place.cat.transit_stop", lang), nearest] == "Pata Rat"
    assert rows.loc[t("place.cat.transit_stop", lang), straight] == "4"
    assert rows.loc[t("place.cat.landfill", lang), straight] == "362"
    # the roads layer makes a network: road distances and walking times are there
    assert t("place.col_network", lang) in table.columns
    walk = rows.loc[t("place.cat.school", lang), t("place.col_walk", lang)]
    assert 10 < float(walk.replace(",", ".")) < 120
    assert ("," in walk) is (lang == "ro")  # 39,5 min in Romanian, 39.5 in English
    # inside the legal zone: a warning names it
    assert any(
        t("place.inside_zone", lang, distance="1").split("(")[0] in w.value for w in at.warning
    )


def test_click_outside_the_area_is_explained(workspace: Path) -> None:
    from streamlit.testing.v1 import AppTest

    from pata_gis.i18n import t

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["layer_map_en_public"] = {"last_clicked": {"lat": 44.43, "lng": 26.10}}
    at.run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [t("place.outside_area", "en")]
    assert len(at.table) == 0


def test_clicked_place_survives_a_language_switch(workspace: Path) -> None:
    from streamlit.testing.v1 import AppTest

    if not _bundled():
        pytest.skip("the bundled starter layers are not all in layers/ yet")
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = "ro"
    at.session_state["layer_map_ro_public"] = {"last_clicked": PATA_RAT_CLICK}
    at.run()
    assert at.table[0].value.columns[0] == "Ce"
    at.sidebar.selectbox[0].select("en").run()
    assert not at.exception, at.exception
    table = at.table[0].value
    assert table.columns[0] == "What"
    assert table.set_index("What").loc["Public transport stop", "Nearest"] == "Pata Rat"


def test_clicked_place_public_layers_only_and_no_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workspace that marks emergency services restricted and has no roads: the
    table leaves the crews out and keeps straight lines, saying why."""
    import shutil

    from streamlit.testing.v1 import AppTest

    from pata_gis.i18n import t
    from pata_gis.settings import catalogue_dir

    if not _bundled():
        pytest.skip("the bundled starter layers are not all in layers/ yet")
    cat = tmp_path / "catalogue"
    shutil.copytree(catalogue_dir, cat)
    spec = cat / "emergency_services.toml"
    text = spec.read_text("utf-8")
    assert 'sensitivity = "public"' in text
    spec.write_text(text.replace('sensitivity = "public"', 'sensitivity = "restricted"'), "utf-8")
    path = tmp_path / "restricted.gpkg"
    ws = Workspace.create(path, catalogue_dir=cat)
    ws.write("roads", ws.read("roads").iloc[0:0], action="edit")
    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(path))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["layer_map_en_public"] = {"last_clicked": PATA_RAT_CLICK}
    at.run()
    assert not at.exception, at.exception
    table = at.table[0].value
    rows = table.set_index("What")
    for crew in ("Police", "Ambulance", "Fire brigade"):
        assert rows.loc[crew, "Nearest"] == t("place.none", "en")
    assert rows.loc["School", "Nearest"] != t("place.none", "en")
    # no roads: straight lines only, and the page says why
    assert t("place.col_network", "en") not in table.columns
    assert rows.loc["Public transport stop", "Straight line (m)"] == "4"
    reason = t("place.no_roads", "en")
    assert t("place.network_unavailable", "en", reason=reason) in [c.value for c in at.caption]


def test_public_map_shows_workshop_marks_only_aggregated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seeded marks reach the public map as one k-suppressed cell count, never as points."""
    from test_roles import seed_marks

    from pata_gis.i18n import t

    path = tmp_path / "ws.gpkg"
    ws = make_workspace(path)
    seed_marks(ws)  # 7 aggregate-only + 2 community-only marks in one 250 m cell
    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(path))
    at = _run("en")
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="_role_select").value == "public"
    table = at.dataframe[0].value
    rows = dict(
        zip(table[t("map.col_layer", "en")], table[t("map.col_features", "en")], strict=True)
    )
    marks = ws.spec("risk_marks").label("en")
    assert rows[f"{marks} (aggregated)"] == 1
    assert marks not in rows  # the raw layer is never listed
