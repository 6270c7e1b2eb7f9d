"""The workshop page under Streamlit's AppTest: sessions, drawn marks, merged zones, paper.

The map component cannot draw in AppTest; the drawings reach the page the way
``st_folium`` hands them over between reruns: under the map's key in the
session state (``workshop_draw_<session>_<lang>_<saves>``), as GeoJSON features.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from pata_gis import workshop
from pata_gis.crs import lonlat_to_metric
from pata_gis.i18n import t
from pata_gis.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "pata_gis" / "ui" / "workshop_page.py"

# A small polygon, a line and a point in Dallas/Pata Rât (lon, lat).
POLY = {
    "type": "Feature",
    "properties": {},
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [
                [23.684, 46.771],
                [23.686, 46.771],
                [23.686, 46.772],
                [23.684, 46.772],
                [23.684, 46.771],
            ]
        ],
    },
}
LINE = {
    "type": "Feature",
    "properties": {},
    "geometry": {"type": "LineString", "coordinates": [[23.6845, 46.7712], [23.6858, 46.7716]]},
}
POINT = {
    "type": "Feature",
    "properties": {},
    "geometry": {"type": "Point", "coordinates": [23.6851, 46.7714]},
}


@pytest.fixture(scope="module")
def base_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_app import make_workspace

    path = tmp_path_factory.mktemp("ui_workshop") / "base.gpkg"
    make_workspace(path)
    return path


@pytest.fixture
def ws_path(base_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "workspace.gpkg"
    shutil.copy(base_ws, path)
    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(path))
    return path


def _app(lang: str = "ro", role: str | None = None) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGE), default_timeout=90)
    at.session_state["lang"] = lang
    if role is not None:
        at.session_state["role"] = role
        at.session_state["_role_select"] = role
    return at


def _session(ws_path: Path, community: str = "Dallas", scope: str = "aggregate_only", **kw: Any):
    return workshop.new_session(
        Workspace(ws_path),
        community=community,
        date="2026-11-25",
        facilitator="A. Pop",
        group=kw.pop("group", "women"),
        consent_scope=scope,
        **kw,
    )


def _texts(elements: Any) -> str:
    return "\n".join(str(e.value) for e in elements)


def _hashes(at: Any) -> list[str]:
    return [sb.key[len("wm_cat_") :] for sb in at.selectbox if str(sb.key).startswith("wm_cat_")]


@pytest.mark.parametrize("lang", ["ro", "en"])
def test_page_runs_and_starts_a_session(ws_path: Path, lang: str) -> None:
    at = _app(lang).run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("workshop.heading", lang)
    assert t("workshop.none_yet", lang) in _texts(at.info)
    # the consent texts are there to be read out, in the page's language
    body = _texts(at.markdown)
    for scope in workshop.CONSENT_SCOPES:
        assert workshop.consent_text(scope, lang) in body

    at.selectbox(key="wn_community").set_value("Colectorului")
    at.text_input(key="wn_facilitator").set_value("M. Rus")
    at.text_input(key="wn_group").set_value("youth")
    at.number_input(key="wn_participants").set_value(7)
    at.radio(key="wn_consent").set_value("share_with_planners")
    at.button(key=f"FormSubmitter:workshop_new_session-{t('workshop.start', lang)}").click().run()
    assert not at.exception, at.exception

    sessions = Workspace(ws_path).read("workshop_sessions")
    assert len(sessions) == 1
    row = sessions.iloc[0]
    assert row["community"] == "Colectorului" and row["facilitator"] == "M. Rus"
    assert row["group_name"] == "youth" and int(row["participants"]) == 7
    assert row["consent_scope"] == "share_with_planners"
    sid = str(row["session_id"])
    assert sid.startswith("COL-")
    assert at.session_state["workshop_sid"] == sid
    assert t("workshop.started", lang, sid=sid) in _texts(at.success)
    # the drawing section is open now, with nothing drawn
    assert t("workshop.drawn_none", lang) in _texts(at.caption)


def test_draw_and_save_point_line_area(ws_path: Path) -> None:
    s = _session(ws_path)
    at = _app("en").run()
    assert at.session_state["workshop_sid"] == s.session_id
    at.session_state[f"workshop_draw_{s.session_id}_en_0"] = {
        "all_drawings": [POLY, LINE, POINT],
        "zoom": 17,
    }
    at.run()
    assert not at.exception, at.exception
    assert t("workshop.drawn_n", "en", n=3) in _texts(at.markdown)
    hashes = _hashes(at)
    assert len(hashes) == 3
    # an incomplete form saves nothing
    at.selectbox(key=f"wm_cat_{hashes[0]}").set_value("flooding")
    at.radio(key=f"wm_sev_{hashes[0]}").set_value(5)
    at.selectbox(key=f"wm_cat_{hashes[1]}").set_value("unlit_path")
    at.button(key="wm_save").click().run()
    assert _texts(at.error) == t("workshop.incomplete", "en", rows="#2, #3")
    assert len(Workspace(ws_path).read("risk_areas")) == 0

    for h, cat, sev in zip(hashes, ["flooding", "unlit_path", "dogs"], [5, 3, 4], strict=True):
        at.selectbox(key=f"wm_cat_{h}").set_value(cat)
        at.radio(key=f"wm_sev_{h}").set_value(sev)
    at.selectbox(key=f"wm_time_{hashes[1]}").set_value("night")
    at.text_input(key=f"wm_note_{hashes[2]}").set_value("pack by the bridge")
    at.checkbox(key=f"wm_ok_{hashes[2]}").uncheck()  # this resident says no for this mark
    at.button(key="wm_save").click().run()
    assert not at.exception, at.exception
    assert t("workshop.saved", "en", sid=s.session_id, points=1, lines=1, areas=1, paths=0) in (
        _texts(at.success)
    )
    ws = Workspace(ws_path)
    area, path, point = (ws.read(n) for n in ("risk_areas", "risk_paths", "risk_marks"))
    assert (len(area), len(path), len(point)) == (1, 1, 1)
    assert area.iloc[0]["category"] == "flooding" and int(area.iloc[0]["severity"]) == 5
    assert path.iloc[0]["time_of_day"] == "night"
    assert point.iloc[0]["note"] == "pack by the bridge"
    assert bool(point.iloc[0]["consent"]) is False and bool(area.iloc[0]["consent"]) is True
    # accuracy from the zoom: 10 px at zoom 17 over Pata Rât, by hand
    # 156543.03392 * cos(46.771°) / 2**17 * 10 = 8.18 m
    assert point.iloc[0]["accuracy_m"] == pytest.approx(8.18, abs=0.01)
    assert area.iloc[0]["capture"] == "drawn_in_app"
    # the map was reset (a new key) and the stored counts say what is there
    assert t("workshop.drawn_none", "en") in _texts(at.caption)
    assert t("workshop.stored", "en", points=1, lines=1, areas=1) in _texts(at.caption)


def test_line_as_community_path_needs_the_groups_agreement(ws_path: Path) -> None:
    s = _session(ws_path, scope="aggregate_only")
    roads_before = len(Workspace(ws_path).read("roads"))
    at = _app("ro").run()
    at.session_state[f"workshop_draw_{s.session_id}_ro_0"] = {"all_drawings": [LINE], "zoom": 16}
    at.run()
    (h,) = _hashes(at)
    at.checkbox(key=f"wm_path_{h}").check()
    at.button(key="wm_save").click().run()
    assert t("workshop.paths_refused", "ro") in _texts(at.error)
    assert len(Workspace(ws_path).read("roads")) == roads_before

    at.checkbox(key="wm_confirm_public").check()
    at.button(key="wm_save").click().run()
    assert not at.exception, at.exception
    roads = Workspace(ws_path).read("roads")
    assert len(roads) == roads_before + 1
    assert roads.iloc[-1]["mapped_by"] == "community"
    assert len(Workspace(ws_path).read("risk_paths")) == 0
    assert t("workshop.saved", "ro", sid=s.session_id, points=0, lines=0, areas=0, paths=1) in (
        _texts(at.success)
    )


def _marks_at(lon: float, lat: float, n: int, category: str = "dogs") -> gpd.GeoDataFrame:
    """`n` marks a few metres apart around the centre of the 100 m cell holding (lon, lat).

    Grids snap to multiples of the cell size in EPSG:3844, so all `n` marks fall in
    one cell (exact duplicates would be removed by the layer validation).
    """
    x, y = lonlat_to_metric(np.array([lon]), np.array([lat]))
    cx, cy = (float(x[0]) // 100) * 100 + 50, (float(y[0]) // 100) * 100 + 50
    pts = [Point(cx + 3.0 * i, cy - 2.0 * i) for i in range(n)]
    return gpd.GeoDataFrame(
        {"category": [category] * n, "severity": [4] * n}, geometry=pts, crs="EPSG:3844"
    ).to_crs("EPSG:4326")


def test_merged_zones_raw_for_community_else_k_suppressed(ws_path: Path) -> None:
    ws = Workspace(ws_path)
    # three groups that allow totals mark the same place twice each: one 100 m cell,
    # 3 groups, 6 marks; a fourth group (community only) adds 2 marks there; a fifth
    # (aggregate) marks one place 600 m away (a cell of 1 mark, under k = 5)
    for g in ("women", "youth", "elders"):
        s = _session(ws_path, group=g)
        workshop.add_marks(ws, s.session_id, _marks_at(23.6851, 46.7714, 2))
    s4 = _session(ws_path, group="parents", scope="community_only")
    workshop.add_marks(ws, s4.session_id, _marks_at(23.6851, 46.7714, 2, "traffic"))
    s5 = _session(ws_path, group="men")
    workshop.add_marks(ws, s5.session_id, _marks_at(23.6790, 46.7680, 1))

    public = _app("en", role="public").run()
    assert not public.exception, public.exception
    table = public.dataframe[0].value
    assert len(table) == 1  # the lone marks are suppressed (< 5)
    row = table.iloc[0]
    assert row[t("workshop.col_groups", "en")] == 3
    assert row[t("workshop.col_marks", "en")] == 6
    assert row[t("workshop.col_top", "en")] == "Dogs"
    assert t("workshop.merge_aggregated", "en", k=5) in _texts(public.caption)

    own = _app("en", role="community").run()
    assert not own.exception, own.exception
    table = own.dataframe[0].value
    # the community sees every session and every cell: 4 groups and 8 marks in the
    # shared cell, plus the single mark
    assert len(table) == 2
    assert table.iloc[0][t("workshop.col_groups", "en")] == 4
    assert table.iloc[0][t("workshop.col_marks", "en")] == 8
    assert sorted(table[t("workshop.col_marks", "en")].tolist()) == [1, 8]
    own.number_input(key="wz_min").set_value(2).run()
    assert len(own.dataframe[0].value) == 1  # places at least two groups agree on


def test_withdraw_consent(ws_path: Path) -> None:
    s = _session(ws_path, scope="share_with_police")
    workshop.add_marks(Workspace(ws_path), s.session_id, _marks_at(23.6851, 46.7714, 3))
    at = _app("ro").run()
    at.text_input(key="ww_reason").set_value("cerut de grup")
    at.checkbox(key="ww_confirm").check().run()
    at.button(key="ww_button").click().run()
    assert not at.exception, at.exception
    assert t("workshop.withdrawn", "ro", n=3) in _texts(at.warning)
    assert workshop.get_session(Workspace(ws_path), s.session_id).consent_scope == "none"
    marks = Workspace(ws_path).read("risk_marks")
    assert len(marks) == 3 and not marks["consent"].astype(bool).any()
    assert t("workshop.no_consent_warning", "ro") in _texts(at.caption)


def test_paper_sheet_and_marks_typed_back_by_cell(ws_path: Path) -> None:
    s = _session(ws_path, community="Dallas")
    at = _app("en").run()
    at.selectbox(key="wp_paper").set_value("A4")
    at.button(key="wp_make").click().run()
    assert not at.exception, at.exception
    made = at.session_state["workshop_sheet"]
    assert made["pdf"][:5] == b"%PDF-"
    meta = made["meta"]
    assert meta["sheet_id"] == s.session_id and meta["paper"] == "A4"
    assert _texts(at.success).startswith(f"Sheet {s.session_id}:")

    at.text_area(key="wp_typed").set_value(
        "C3, câini, 4, noapte, lângă pod, da\nD4, trafic, 2, zi, , nu"
    )
    at.button(key="wp_save").click().run()
    assert not at.exception, at.exception
    marks = Workspace(ws_path).read("risk_marks")
    assert len(marks) == 1  # the row without consent is not stored
    m = marks.iloc[0]
    assert m["category"] == "dogs" and int(m["severity"]) == 4 and m["time_of_day"] == "night"
    assert m["capture"] == "paper_sheet" and "cell C3" in m["source"]
    # the mark sits at the centre of cell C3 of the printed grid
    from pata_gis.sheets import SheetGrid

    x, y = SheetGrid.from_dict(meta).cell_centre("C3")
    got = marks.to_crs("EPSG:3844").geometry.iloc[0]
    assert got.x == pytest.approx(x, abs=0.01) and got.y == pytest.approx(y, abs=0.01)
    assert "1 without consent left out" in _texts(at.success)


# --------------------------------------------------------------------------- unsaved drafts


def _draw_script(at: Any) -> str:
    """The Leaflet script st_folium was given for the drawing map (the first map)."""
    maps = [e for e in at.get("component_instance") if e.proto.component_name.endswith("st_folium")]
    assert maps, "no st_folium map on the page"
    return str(json.loads(maps[0].proto.json_args)["script"])


def _restored(script: str) -> tuple[str, list[dict[str, Any]]]:
    """(the Leaflet.draw group's variable, the features the page put into it)."""
    group = re.search(r"var drawnItems\s*=\s*(\w+);", script)
    assert group is not None, "Draw is not bound to the page's feature group"
    start = script.index("L.geoJSON(") + len("L.geoJSON(")
    data, _end = json.JSONDecoder().raw_decode(script, start)
    return group.group(1), data["features"]


def _fill(at: Any, h: str, cat: str, sev: int) -> None:
    at.selectbox(key=f"wm_cat_{h}").set_value(cat)
    at.radio(key=f"wm_sev_{h}").set_value(sev)


def test_drawings_and_forms_survive_a_language_switch(ws_path: Path) -> None:
    s = _session(ws_path)
    at = _app("ro").run()
    assert _restored(_draw_script(at))[1] == []  # nothing to put back yet
    at.session_state[f"workshop_draw_{s.session_id}_ro_0"] = {
        "all_drawings": [POLY, LINE, POINT],
        "zoom": 17,
    }
    at.run()
    hashes = _hashes(at)
    assert len(hashes) == 3
    for h, cat, sev in zip(hashes, ["flooding", "unlit_path", "dogs"], [5, 3, 4], strict=True):
        _fill(at, h, cat, sev)
    at.selectbox(key=f"wm_time_{hashes[1]}").set_value("night")
    at.text_input(key=f"wm_note_{hashes[2]}").set_value("haită lângă pod")
    at.run()

    # the facilitator switches the language in the sidebar: a new map key
    at.sidebar.selectbox(key="_lang_select").set_value("en").run()
    assert not at.exception, at.exception
    assert at.title[0].value == t("workshop.heading", "en")
    assert t("workshop.drawn_n", "en", n=3) in _texts(at.markdown)
    assert t("workshop.draft_restored", "en", n=3) in _texts(at.caption)
    assert _hashes(at) == hashes  # the same widget keys: no language in them
    cats = [at.selectbox(key=f"wm_cat_{h}").value for h in hashes]
    assert cats == ["flooding", "unlit_path", "dogs"]
    assert [at.radio(key=f"wm_sev_{h}").value for h in hashes] == [5, 3, 4]
    assert at.selectbox(key=f"wm_time_{hashes[1]}").value == "night"
    assert at.text_input(key=f"wm_note_{hashes[2]}").value == "haită lângă pod"
    # the form reads in English now
    assert at.selectbox(key=f"wm_cat_{hashes[2]}").label == t("workshop.col_category", "en")
    assert at.selectbox(key=f"wm_cat_{hashes[2]}").format_func("dogs") == "Dogs"

    # the new map holds the three drawings, in the group Leaflet.draw edits
    group, restored = _restored(_draw_script(at))
    assert f"{group}.addLayer(layer)" in _draw_script(at)
    assert [f["properties"]["draft_id"] for f in restored] == hashes
    assert [f["geometry"] for f in restored] == [
        POLY["geometry"],
        LINE["geometry"],
        POINT["geometry"],
    ]

    # the new map reports its drawings: the three put back (with their ids) and,
    # as a browser might, the polygon once more without one: still three, once each
    at.session_state[f"workshop_draw_{s.session_id}_en_0"] = {
        "all_drawings": [*restored, POLY],
        "zoom": 15,
    }
    at.run()
    assert not at.exception, at.exception
    assert t("workshop.drawn_n", "en", n=3) in _texts(at.markdown)
    assert _hashes(at) == hashes
    assert at.selectbox(key=f"wm_cat_{hashes[0]}").value == "flooding"

    at.button(key="wm_save").click().run()
    assert not at.exception, at.exception
    assert t("workshop.saved", "en", sid=s.session_id, points=1, lines=1, areas=1, paths=0) in (
        _texts(at.success)
    )
    ws = Workspace(ws_path)
    area, path, point = (ws.read(n) for n in ("risk_areas", "risk_paths", "risk_marks"))
    assert (len(area), len(path), len(point)) == (1, 1, 1)  # once, not twice
    assert area.iloc[0]["category"] == "flooding" and int(area.iloc[0]["severity"]) == 5
    assert path.iloc[0]["category"] == "unlit_path" and path.iloc[0]["time_of_day"] == "night"
    assert point.iloc[0]["note"] == "haită lângă pod" and int(point.iloc[0]["severity"]) == 4
    # the accuracy uses the zoom the shapes were drawn at (17, not the new map's 15):
    # 156543.03392 * cos(46.771°) / 2**17 * 10 = 8.18 m
    assert point.iloc[0]["accuracy_m"] == pytest.approx(8.18, abs=0.01)
    # saved: the draft is gone, and the next map starts empty
    assert not at.session_state["workshop_drafts"].get(s.session_id)
    assert t("workshop.drawn_none", "en") in _texts(at.caption)
    assert _restored(_draw_script(at))[1] == []


def test_deleted_and_edited_drawings_follow_the_map(ws_path: Path) -> None:
    s = _session(ws_path)
    at = _app("ro").run()
    at.session_state[f"workshop_draw_{s.session_id}_ro_0"] = {
        "all_drawings": [POLY, LINE],
        "zoom": 17,
    }
    at.run()
    h_poly, h_line = _hashes(at)
    _fill(at, h_poly, "flooding", 5)
    _fill(at, h_line, "unlit_path", 2)
    at.run()
    at.sidebar.selectbox(key="_lang_select").set_value("en").run()
    _group, restored = _restored(_draw_script(at))
    # on the new map the polygon is dragged 0.001° east and the line deleted
    moved = json.loads(json.dumps(restored[0]))
    moved["geometry"]["coordinates"] = [
        [[x + 0.001, y] for x, y in ring] for ring in moved["geometry"]["coordinates"]
    ]
    at.session_state[f"workshop_draw_{s.session_id}_en_0"] = {
        "all_drawings": [moved],
        "zoom": 17,
    }
    at.run()
    assert not at.exception, at.exception
    assert t("workshop.drawn_n", "en", n=1) in _texts(at.markdown)
    assert _hashes(at) == [h_poly]  # the edited shape keeps its form
    assert at.selectbox(key=f"wm_cat_{h_poly}").value == "flooding"
    at.button(key="wm_save").click().run()
    assert not at.exception, at.exception
    ws = Workspace(ws_path)
    area = ws.read("risk_areas")
    assert len(area) == 1 and len(ws.read("risk_paths")) == 0
    assert area.to_crs("EPSG:4326").geometry.iloc[0].bounds == pytest.approx(
        (23.685, 46.771, 23.687, 46.772), abs=1e-6
    )

    # deleting everything on the map empties the draft (an empty report, not None)
    at.session_state[f"workshop_draw_{s.session_id}_en_1"] = {"all_drawings": [LINE]}
    at.run()
    assert t("workshop.drawn_n", "en", n=1) in _texts(at.markdown)
    at.session_state[f"workshop_draw_{s.session_id}_en_1"] = {"all_drawings": []}
    at.run()
    assert t("workshop.drawn_none", "en") in _texts(at.caption)
    assert at.session_state["workshop_drafts"][s.session_id] == []


def test_drafts_are_kept_per_session(ws_path: Path) -> None:
    s1 = _session(ws_path, group="women")
    s2 = _session(ws_path, group="youth")
    at = _app("en").run()
    assert at.session_state["workshop_sid"] == s2.session_id  # newest first
    at.session_state[f"workshop_draw_{s2.session_id}_en_0"] = {"all_drawings": [POLY]}
    at.run()
    (h,) = _hashes(at)
    _fill(at, h, "dogs", 4)
    at.text_input(key=f"wm_note_{h}").set_value("by the bridge")
    at.run()

    # another session: its own (empty) draft, and a warning naming the other one
    at.selectbox(key="workshop_sid").set_value(s1.session_id).run()
    assert not at.exception, at.exception
    assert t("workshop.drawn_none", "en") in _texts(at.caption)
    assert _hashes(at) == []
    assert t("workshop.draft_elsewhere", "en", sessions=f"{s2.session_id} (1)") in (
        _texts(at.warning)
    )

    # back: the drawing is on the map again and its form as it was left
    at.selectbox(key="workshop_sid").set_value(s2.session_id).run()
    assert not at.exception, at.exception
    assert _hashes(at) == [h]
    assert at.selectbox(key=f"wm_cat_{h}").value == "dogs"
    assert at.radio(key=f"wm_sev_{h}").value == 4
    assert at.text_input(key=f"wm_note_{h}").value == "by the bridge"
    assert [f["geometry"] for f in _restored(_draw_script(at))[1]] == [POLY["geometry"]]
    assert not _texts(at.warning)
    at.button(key="wm_save").click().run()
    marks = workshop.session_marks(Workspace(ws_path), s2.session_id)
    assert len(marks) == 1 and marks.iloc[0]["category"] == "dogs"
    assert len(workshop.session_marks(Workspace(ws_path), s1.session_id)) == 0


def test_map_rebuilt_under_the_same_key_gets_the_current_draft(ws_path: Path) -> None:
    # the community sees its own saved marks on the drawing map; a mark saved from
    # another device changes that map's script while its key stays the same, so
    # the browser builds a new map: it must carry the drawing made meanwhile
    s = _session(ws_path)
    at = _app("en", role="community").run()
    assert not at.exception, at.exception
    assert _restored(_draw_script(at))[1] == []
    at.session_state[f"workshop_draw_{s.session_id}_en_0"] = {"all_drawings": [POLY]}
    at.run()
    (h,) = _hashes(at)
    _fill(at, h, "dogs", 3)
    at.run()
    assert _restored(_draw_script(at))[1] == []  # the same map: nothing redrawn yet

    workshop.add_marks(Workspace(ws_path), s.session_id, _marks_at(23.6790, 46.7680, 1))
    at.run()
    assert not at.exception, at.exception
    restored = _restored(_draw_script(at))[1]
    assert [f["geometry"] for f in restored] == [POLY["geometry"]]
    assert [f["properties"]["draft_id"] for f in restored] == [h]
    assert _hashes(at) == [h] and at.selectbox(key=f"wm_cat_{h}").value == "dogs"


def test_a_group_s_marks_are_erased_from_the_page(ws_path: Path) -> None:
    """The consent text promises deletion on request: the facilitator does it here."""
    from pata_gis.i18n import t

    ws = Workspace(ws_path)
    a = _session(ws_path, group="women")
    b = _session(ws_path, group="youth")
    workshop.add_marks(ws, a.session_id, _marks_at(23.6851, 46.7714, 3))
    workshop.add_marks(ws, b.session_id, _marks_at(23.6851, 46.7714, 2))
    # the public and planner roles are not offered the deletion
    planner = _app("ro", role="planner")
    planner.session_state["workshop_sid"] = a.session_id
    planner.run()
    assert not planner.exception, planner.exception
    assert all(b.key != "we_button" for b in planner.button)

    at = _app("ro", role="community")
    at.session_state["workshop_sid"] = a.session_id
    at.run()
    assert not at.exception, at.exception
    button = at.button(key="we_button")
    assert button.disabled  # nothing happens before who, why and the tick
    at.text_input(key="we_who").input("A. Pop")
    at.text_input(key="we_reason").input("grupul a cerut ștergerea")
    at.checkbox(key="we_confirm").check().run()
    at.button(key="we_button").click().run()
    assert not at.exception, at.exception
    marks = Workspace(ws_path).read("risk_marks")
    assert (marks["session_id"] == a.session_id).sum() == 0
    assert (marks["session_id"] == b.session_id).sum() == 2
    for version in Workspace(ws_path).history("risk_marks")["version"]:
        old = Workspace(ws_path).read("risk_marks", version=int(version))
        assert (old["session_id"] == a.session_id).sum() == 0
    shown = " ".join(w.value for w in at.warning)
    assert a.session_id in shown and t("workshop.erase", "ro") not in shown
    # the summary reads in Romanian (the session's stored note is quoted as written)
    assert shown.startswith("Sesiunea") and "Session" not in shown
