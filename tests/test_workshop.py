"""Workshop capture: sessions, marks in three layers, consent, Kobo/ODK/Mapeo imports, paths.

The export samples are written here, modelled on the real formats: a
KoboToolbox CSV (``;``-separated, group paths with ``/``, geopoints split into
``_<name>_latitude/_longitude/_altitude/_precision``, geotrace and geoshape as
``"lat lon alt acc;..."``, metadata ``_uuid``, ``_submitted_by``,
``_validation_status``...), an ODK Central CSV (``,``-separated, groups joined
with ``-``, ``<name>-Latitude/-Longitude/-Altitude/-Accuracy``, ``KEY``,
``ReviewState``) and a Mapeo GeoJSON export (observations with
``properties.tags.categoryId``/``notes`` and the GPS accuracy in
``metadata.location.position.coords.accuracy``).
"""

from __future__ import annotations

import csv
import json
import math
import shutil
from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon

from pata_gis import sheets
from pata_gis import workshop as w
from pata_gis._errors import CRSError, InputError, SensitivityError, ValidationError
from pata_gis.workspace import Workspace

METRIC = "EPSG:3844"
#: The first Dallas session of 2026-11-25, written out with its check character.
DAL1 = "DAL-20261125-01-F"

# A few places around Dallas / the landfill road (lon, lat), inside Cluj bounds.
P1 = (23.6840, 46.7700)
P2 = (23.6862, 46.7712)
P3 = (23.6800, 46.7680)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ws") / "template.gpkg"
    Workspace.create(path, author="test")
    return path


@pytest.fixture()
def ws(template: Path, tmp_path: Path) -> Workspace:
    path = tmp_path / "ws.gpkg"
    shutil.copy(template, path)
    return Workspace(path)


def _session(ws: Workspace, scope: str = "aggregate_only", community: str = "Dallas") -> w.Session:
    return w.new_session(
        ws,
        community=community,
        date="2026-11-25",
        facilitator="A. Pop",
        group="women",
        consent_scope=scope,
        participants=9,
        author="test",
    )


def _three_marks() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "category": ["dogs", "Drum neiluminat", "inundații"],
            "severity": [4, "3", 5],
            "time_of_day": ["noaptea", "evening", None],
            "note": ["câini lângă pod", "fără lumină", None],
            "consent": [True, None, False],
        },
        geometry=[
            Point(P1),
            LineString([P1, P2]),
            Polygon([(23.680, 46.768), (23.682, 46.768), (23.682, 46.770), (23.680, 46.770)]),
        ],
        crs="EPSG:4326",
    )


def _hand_accuracy(zoom: float, lat: float) -> float:
    return max(5.0, 10 * 156543.03392 * math.cos(math.radians(lat)) / 2**zoom)


# --------------------------------------------------------------------------- pure parts


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("category", "conflict", "conflict"),
        ("category", "conflict_violenta", "conflict"),
        ("category", "Conflict sau violență", "conflict"),
        ("category", "Conflict sau violenţă", "conflict"),  # cedilla ţ
        ("category", "CÂINI FĂRĂ STĂPÂN", "dogs"),
        ("category", "risc-caini", "dogs"),
        ("category", "kóbor kutyák", "dogs"),
        ("category", "Construcție nesigură", "unsafe_structure"),
        ("category", "gropi", None),
        ("category", "dogs fire", None),  # two categories: not guessed
        ("severity", "foarte mare", 5),
        ("severity", "3", 3),
        ("severity", 2.0, 2),
        ("severity", "sev_4", 4),
        ("severity", "7", None),
        ("severity", "2.5", None),
        ("time_of_day", "Noaptea", "night"),
        ("time_of_day", "oricând", "any"),
        ("time_of_day", "seara", "evening"),
        ("time_of_day", "la prânz", "day"),
        ("consent", "da", True),
        ("consent", "nu", False),
        ("consent", "poate", None),
    ],
)
def test_map_values(field, value, expected):
    assert w.map_values(field, value) == expected


def test_map_values_project_codes_first():
    assert w.map_values("category", "c7", extra={"c7": "dogs"}) == "dogs"


def test_session_id_and_consent_ladder():
    # the sheets' scheme: code, date, number and a check character
    assert w.session_id("Dallas", "2026-11-25", 1) == sheets.sheet_id("Dallas", "2026-11-25", 1)
    assert w.session_id("Dallas", "2026-11-25", 1) == DAL1
    assert w.session_id("colectorului", "2026-11-25", 12)[:-2] == "COL-20261125-12"
    assert w.session_id("other", "2026-11-25", 2)[:-2] == "OTH-20261125-02"
    assert sheets.check_sheet_id(w.session_id("Rampa", date(2026, 12, 1), 3))
    with pytest.raises(InputError, match="community 'Someșeni'"):
        w.session_id("Someșeni", "2026-11-25", 1)
    with pytest.raises(InputError, match="1 to 99"):
        w.session_id("Rampa", "2026-11-25", 100)
    assert w.consent_allows("share_with_planners", "aggregate")
    assert w.consent_allows("share_with_planners", "planners")
    assert not w.consent_allows("share_with_planners", "police")
    assert not w.consent_allows("none", "community")
    assert w.consent_allows("community_only", "community")
    assert not w.consent_allows("community_only", "aggregate")


def test_specs_agree_with_the_module():
    from pata_gis.specs import load_catalogue

    cat = load_catalogue()
    marks = cat["risk_marks"]
    for name in ("risk_paths", "risk_areas"):
        assert cat[name].field_names == marks.field_names
        assert [f.choices for f in cat[name].fields] == [f.choices for f in marks.fields]
        assert cat[name].sensitivity == "confidential" and cat[name].bundled is None
    assert {n: cat[n].geometry for n in w.MARK_LAYERS.values()} == {
        "risk_marks": "point",
        "risk_paths": "line",
        "risk_areas": "polygon",
    }
    assert marks.field("category").choices == w.CATEGORIES
    assert marks.field("time_of_day").choices == w.TIMES_OF_DAY
    sessions = cat["workshop_sessions"]
    assert sessions.sensitivity == "restricted" and sessions.bundled is None
    assert sessions.field("consent_scope").choices == w.CONSENT_SCOPES
    assert sessions.field("community").choices == tuple(w.COMMUNITY_CODES)
    assert set(w.CONSENT_TEXT) == set(w.CONSENT_SCOPES)
    assert all(t["ro"] and t["en"] and t["hu"] for t in w.CONSENT_TEXT.values())
    assert w.consent_text("none", "ro").startswith("Nu.")
    assert w.consent_text("none", "hu").startswith("Nem.")
    # a language without the text falls back to English, never to nothing
    assert w.consent_text("none", "de") == w.CONSENT_TEXT["none"]["en"]


def test_drawn_accuracy_from_zoom_by_hand():
    # zoom 17 at 46.77 N: 156543.03392 * cos(46.77°) / 131072 = 0.8179 m/px; 10 px
    assert w.drawn_accuracy_m(17, lat=46.77) == pytest.approx(8.179, abs=0.01)
    assert w.drawn_accuracy_m(20, lat=46.77) == 5.0  # never below MIN_ACCURACY_M
    assert w.drawn_accuracy_m(None) == w.DRAWN_ACCURACY_M == 25.0


def test_split_marks_by_family_keeps_multi_and_splits_collections():
    gc = shapely.GeometryCollection([Point(P1), LineString([P1, P2])])
    gdf = gpd.GeoDataFrame(
        {"category": ["dogs", "fire", "traffic"]},
        geometry=[MultiPoint([P1, P2]), gc, LineString([P2, P3])],
        crs="EPSG:4326",
    )
    parts = w.split_marks(gdf)
    assert set(parts) == {"risk_marks", "risk_paths"}
    assert list(parts["risk_marks"].index) == [0, 1]
    assert parts["risk_marks"].geometry.iloc[0].geom_type == "MultiPoint"
    assert list(parts["risk_paths"]["category"]) == ["fire", "traffic"]


# --------------------------------------------------------------------------- sessions and marks


def test_new_session_ids_and_label_point(ws: Workspace):
    s1 = _session(ws)
    s2 = _session(ws)
    s3 = _session(ws, community="Cantonului")
    assert (s1.session_id[:-2], s2.session_id[:-2], s3.session_id[:-2]) == (
        "DAL-20261125-01",
        "DAL-20261125-02",
        "CAN-20261125-01",
    )
    stored = ws.read("workshop_sessions")
    assert list(stored["session_id"]) == [s1.session_id, s2.session_id, s3.session_id]
    assert ws.spec("workshop_sessions").sensitivity == "restricted"
    row = stored.iloc[0]
    assert (row["community"], row["date"], row["consent_scope"]) == (
        "Dallas",
        "2026-11-25",
        "aggregate_only",
    )
    assert row["participants"] == 9 and row["consent_recorded_by"] == "A. Pop"
    dallas = ws.read("settlements").set_index("name").loc["Dallas"]
    assert dallas.geometry.buffer(1e-4).contains(row.geometry)
    assert row["accuracy_m"] == dallas["accuracy_m"]
    assert w.get_session(ws, s3.session_id) == s3
    # typed back from paper: lower case, spaces, O for 0
    typed = s3.session_id.lower().replace("-", " ").replace("0", "o")
    assert w.get_session(ws, typed) == s3
    wrong_check = s3.session_id[:-1] + ("A" if s3.session_id[-1] != "A" else "B")
    with pytest.raises(InputError, match="check character"):
        w.get_session(ws, wrong_check)
    with pytest.raises(InputError, match="consent_scope 'maybe'"):
        w.new_session(
            ws,
            community="Dallas",
            date="2026-11-25",
            facilitator="A. Pop",
            group=None,
            consent_scope="maybe",
        )


def test_marks_of_three_geometry_types_land_in_three_layers(ws: Workspace):
    s = _session(ws)
    added = w.add_marks(ws, s.session_id, _three_marks(), author="test", zoom=17)
    assert dict(added) == {"risk_marks": 1, "risk_paths": 1, "risk_areas": 1}
    pt, ln, pg = (ws.read(n) for n in ("risk_marks", "risk_paths", "risk_areas"))
    assert pt.geometry.iloc[0].equals(Point(P1))
    assert ln.geometry.iloc[0].geom_type == "LineString"
    assert pg.geometry.iloc[0].geom_type == "Polygon"
    assert (pt["category"].iloc[0], ln["category"].iloc[0], pg["category"].iloc[0]) == (
        "dogs",
        "unlit_path",
        "flooding",
    )
    assert (pt["severity"].iloc[0], ln["severity"].iloc[0], pg["severity"].iloc[0]) == (4, 3, 5)
    assert pt["time_of_day"].iloc[0] == "night"
    assert pd.isna(pg["time_of_day"].iloc[0])
    for frame in (pt, ln, pg):
        assert frame["session_id"].iloc[0] == DAL1
        assert frame["capture"].iloc[0] == "drawn_in_app"
        assert frame["source"].iloc[0] == f"workshop {DAL1}, Dallas, 2026-11-25, drawn in app"
    # consent: the session allows aggregates; the area's own False wins; None follows the session
    assert (bool(pt["consent"].iloc[0]), bool(ln["consent"].iloc[0])) == (True, True)
    assert bool(pg["consent"].iloc[0]) is False
    # accuracy from the zoom level at each mark's southern latitude
    assert pt["accuracy_m"].iloc[0] == pytest.approx(_hand_accuracy(17, P1[1]))
    assert pg["accuracy_m"].iloc[0] == pytest.approx(_hand_accuracy(17, 46.768))
    # all confidential, all in the session view
    assert {ws.spec(n).sensitivity for n in w.MARK_LAYERS.values()} == {"confidential"}
    both = w.session_marks(ws, s.session_id)
    assert sorted(both["layer"]) == ["risk_areas", "risk_marks", "risk_paths"]
    assert both.attrs["sensitivity"] == "confidential"


def test_own_accuracy_wins_and_default_without_zoom(ws: Workspace):
    s = _session(ws)
    marks = _three_marks().iloc[:2].copy()
    marks["accuracy_m"] = [12.0, None]
    w.add_marks(ws, s.session_id, marks)
    assert ws.read("risk_marks")["accuracy_m"].iloc[0] == 12.0
    assert ws.read("risk_paths")["accuracy_m"].iloc[0] == 25.0


def test_session_without_consent_keeps_marks_flagged(ws: Workspace):
    s = _session(ws, scope="none")
    w.add_marks(ws, s.session_id, _three_marks())
    marks = w.session_marks(ws, s.session_id)
    assert len(marks) == 3
    assert not marks["consent"].astype(bool).any()
    assert w.merge_groups(ws, "Dallas").empty  # nothing may use them
    assert len(w.merge_groups(ws, "Dallas", include_unconsented=True)) == 3


def test_withdraw_consent_flags_every_mark(ws: Workspace):
    s = _session(ws, scope="share_with_planners")
    w.add_marks(ws, s.session_id, _three_marks())
    flagged = w.withdraw_consent(ws, s.session_id, reason="asked by the group")
    assert flagged == {"risk_marks": 1, "risk_paths": 1, "risk_areas": 1}
    assert w.get_session(ws, s.session_id).consent_scope == "none"
    assert not w.session_marks(ws, s.session_id)["consent"].astype(bool).any()
    assert "asked by the group" in ws.read("workshop_sessions")["notes"].iloc[0]


def test_withdraw_consent_with_the_id_typed_in_lower_case(ws: Workspace):
    """get_session accepts 'dal-20261125-01-f'; the withdrawal must then flag the marks
    (it used to match the raw text against the stored id and flag none)."""
    s = _session(ws, scope="share_with_planners")
    w.add_marks(ws, s.session_id, _three_marks())
    typed = s.session_id.lower()
    assert typed != s.session_id and w.get_session(ws, typed).session_id == s.session_id
    flagged = w.withdraw_consent(ws, typed)
    assert flagged == {"risk_marks": 1, "risk_paths": 1, "risk_areas": 1}
    assert w.get_session(ws, s.session_id).consent_scope == "none"
    assert not w.session_marks(ws, s.session_id)["consent"].astype(bool).any()


def test_self_intersecting_area_is_repaired_and_reported(ws: Workspace):
    s = _session(ws)
    # a bow tie: the two triangles of the square cover half of it
    bowtie = Polygon([(23.680, 46.768), (23.682, 46.770), (23.682, 46.768), (23.680, 46.770)])
    marks = gpd.GeoDataFrame(
        {"category": ["pollution"], "severity": [3]}, geometry=[bowtie], crs="EPSG:4326"
    )
    added = w.add_marks(ws, s.session_id, marks)
    assert added["risk_areas"] == 1
    assert any("make_valid" in c and "risk_areas" in c for c in added.changes)
    stored = ws.read("risk_areas").to_crs(METRIC).geometry.iloc[0]
    square = gpd.GeoSeries([bowtie.envelope], crs="EPSG:4326").to_crs(METRIC).iloc[0]
    assert stored.is_valid
    assert stored.area == pytest.approx(square.area / 2, rel=0.01)


def test_nothing_is_written_when_validation_fails(ws: Workspace):
    s = _session(ws)
    marks = _three_marks()
    marks.loc[1, "severity"] = 9  # the path is refused, the point and the area are fine
    marks.loc[2, "category"] = "gropi"
    before = {n: len(ws.history(n)) for n in w.MARK_LAYERS.values()}
    with pytest.raises(ValidationError) as err:
        w.add_marks(ws, s.session_id, marks)
    text = str(err.value)
    assert "nothing was saved" in text
    assert "risk_paths" in text and "severity" in text and "input row: 1=2" in text
    assert "risk_areas" in text and "'gropi'" in text
    assert {n: len(ws.history(n)) for n in w.MARK_LAYERS.values()} == before
    assert all(ws.read(n).empty for n in w.MARK_LAYERS.values())


def test_bad_marks_are_refused_clearly(ws: Workspace):
    s = _session(ws)
    unknown = w.session_id("Dallas", "2099-12-31", 1)
    with pytest.raises(InputError, match=f"no workshop session '{unknown}'"):
        w.add_marks(ws, unknown, _three_marks())
    with pytest.raises(InputError, match="no CRS"):
        w.add_marks(
            ws,
            s.session_id,
            gpd.GeoDataFrame(_three_marks(), crs=None).set_crs(None, allow_override=True),
        )
    far = _three_marks().iloc[:1].copy()
    far.geometry = [Point(26.10, 44.43)]  # Bucharest
    with pytest.raises(ValidationError, match="risk_marks"):
        w.add_marks(ws, s.session_id, far)
    assert ws.read("risk_marks").empty


def test_merge_groups_joins_session_attributes(ws: Workspace):
    a = _session(ws)
    b = w.new_session(
        ws,
        community="Dallas",
        date="2026-12-02",
        facilitator="B. Rus",
        group="youth",
        consent_scope="share_with_police",
    )
    r = _session(ws, community="Rampa")
    w.add_marks(ws, a.session_id, _three_marks())
    w.add_marks(ws, b.session_id, _three_marks().iloc[:2])
    w.add_marks(ws, r.session_id, _three_marks().iloc[:1])
    merged = w.merge_groups(ws, "dallas")
    # the area of each session has consent False: 2 + 2 marks remain
    assert list(merged["session_id"]) == [a.session_id] * 2 + [b.session_id] * 2
    assert list(merged["group_name"]) == ["women", "women", "youth", "youth"]
    assert set(merged["consent_scope"]) == {"aggregate_only", "share_with_police"}
    assert merged.crs.to_epsg() == 4326
    assert merged.attrs["sensitivity"] == "confidential"
    # for the police only the session that agreed to it
    police = w.merge_groups(ws, "Dallas", audience="police")
    assert set(police["session_id"]) == {b.session_id}
    assert len(w.merge_groups(ws, "Dallas", audience="aggregate")) == 4


# --------------------------------------------------------------------------- importers

KOBO_COLUMNS = [
    "start", "end", "today", "deviceid",
    "grp_risc/category", "grp_risc/severity", "grp_risc/time_of_day", "grp_risc/note",
    "location", "_location_latitude", "_location_longitude", "_location_altitude",
    "_location_precision", "traseu", "zona",
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
    "_submitted_by", "__version__", "_tags", "_index",
]  # fmt: skip
TRACE = "46.7700 23.6840 0 5;46.7706 23.6851 0 8;46.7712 23.6862 0 6"
SHAPE = "46.7680 23.6800 0 0;46.7680 23.6820 0 0;46.7700 23.6820 0 0;46.7680 23.6800 0 0"
KOBO_ROWS = [
    # a point: Romanian code, GPS precision 4.5 m
    {"cat": "conflict_violenta", "sev": "4", "tod": "noaptea", "note": "lângă pod",
     "point": ("46.77", "23.684", "312.0", "4.5")},
    # a geotrace (a path walked with a phone), a Romanian label
    {"cat": "Drum neiluminat", "sev": "5", "tod": "Seara", "note": "", "trace": TRACE},
    # a geoshape (an area) placed by hand: accuracy 0
    {"cat": "inundatii", "sev": "3", "tod": "oricand", "note": "balta mare", "shape": SHAPE},
    # an unknown category and an unknown time of day
    {"cat": "gropi", "sev": "2", "tod": "când plouă", "note": "gropi în drum",
     "point": ("46.769", "23.683", "0", "3")},
    # rejected in review
    {"cat": "dogs", "sev": "1", "tod": "day", "note": "test",
     "point": ("46.769", "23.683", "0", "3"), "status": "validation_status_not_approved"},
]  # fmt: skip


def _kobo_line(n: int, r: dict) -> list[str]:
    pt = r.get("point")
    return [
        "2026-11-25T10:01:00.000+02:00", "2026-11-25T10:03:00.000+02:00", "2026-11-25",
        "collect:abc", r["cat"], r["sev"], r["tod"], r["note"],
        " ".join(pt) if pt else "", *(pt if pt else ("", "", "", "")),
        r.get("trace", ""), r.get("shape", ""),
        str(100 + n), f"uuid-a{n}", "2026-11-25T09:00:00", r.get("status", ""), "",
        "submitted_via_web", "maria_k", "vAbC", "", str(n),
    ]  # fmt: skip


@pytest.fixture()
def kobo_csv(tmp_path: Path) -> Path:
    p = tmp_path / "risc_dallas_kobo.csv"
    with p.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(KOBO_COLUMNS)
        for n, r in enumerate(KOBO_ROWS, start=1):
            writer.writerow(_kobo_line(n, r))
    return p


def test_kobo_csv_imports_points_traces_shapes(kobo_csv: Path):
    marks, report = w.read_kobo(kobo_csv)
    assert report.n_rows == 5 and report.n_marks == 4
    assert list(marks.geometry.geom_type) == ["Point", "LineString", "Polygon", "Point"]
    assert list(marks["category"]) == ["conflict", "unlit_path", "flooding", "other"]
    assert list(marks["severity"]) == [4, 5, 3, 2]
    assert marks["time_of_day"].tolist()[:3] == ["night", "evening", "any"]
    assert pd.isna(marks["time_of_day"].iloc[3])
    # accuracy: GPS precision; the worst vertex of the trace; hand-placed shape -> default
    assert marks["accuracy_m"].tolist() == [4.5, 8.0, 25.0, 3.0]
    assert marks.geometry.iloc[0].equals(Point(23.684, 46.77))
    assert list(marks.geometry.iloc[1].coords) == [
        (23.684, 46.77),
        (23.6851, 46.7706),
        (23.6862, 46.7712),
    ]
    assert list(marks["external_id"]) == ["uuid-a1", "uuid-a2", "uuid-a3", "uuid-a4"]
    # unknown values reported with their rows; the category kept in the note
    assert {(u.row, u.field, u.value) for u in report.unmapped} == {
        (4, "category", "gropi"),
        (4, "time_of_day", "când plouă"),
    }
    assert report.rows("category") == [4]
    assert "[form category: gropi]" in marks["note"].iloc[3]
    assert any("row 5" in s and "rejected" in s for s in report.skipped)
    # nothing that names a person travels with the marks
    assert "_submitted_by" not in marks.columns and "deviceid" not in marks.columns
    assert "maria_k" not in marks.astype(str).to_string()


def test_kobo_import_into_a_session_once(ws: Workspace, kobo_csv: Path):
    s = _session(ws, scope="share_with_planners")
    marks, _ = w.read_kobo(kobo_csv)
    added = w.add_marks(ws, s.session_id, marks)
    assert dict(added) == {"risk_marks": 2, "risk_paths": 1, "risk_areas": 1}
    stored = w.session_marks(ws, s.session_id)
    assert set(stored["source"]) == {
        f"workshop {DAL1}, Dallas, 2026-11-25, imported from risc_dallas_kobo.csv"
    }
    assert set(stored["capture"]) == {"imported"}
    assert sorted(stored["accuracy_m"]) == [3.0, 4.5, 8.0, 25.0]
    again = w.add_marks(ws, s.session_id, marks)
    assert sum(again.values()) == 0 and len(again.skipped) == 4
    assert len(w.session_marks(ws, s.session_id)) == 4


ODK_CSV = (
    "SubmissionDate,start,end,risc-category,risc-severity,risc-time_of_day,risc-note,"
    "location-Latitude,location-Longitude,location-Altitude,location-Accuracy,traseu,"
    "meta-instanceID,KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,"
    "Status,ReviewState,DeviceID,Edits,FormVersion\n"
    "2026-11-25T08:01:00.000Z,2026-11-25T10:00:00.000+02:00,2026-11-25T10:02:00.000+02:00,"
    '"Conflict sau violență",5,noaptea,"scandal, seara târziu",46.7701,23.6841,310,3.9,,'
    "uuid:o1,uuid:o1,7,Colectorului tablet,0,0,,approved,collect:x,0,2026112501\n"
    "2026-11-25T08:02:00.000Z,2026-11-25T10:03:00.000+02:00,2026-11-25T10:05:00.000+02:00,"
    "traffic,high,day,,,,,,46.7700 23.6840 0 4.0;46.7712 23.6862 0 12.5,"
    "uuid:o2,uuid:o2,7,Colectorului tablet,0,0,,,collect:x,0,2026112501\n"
    "2026-11-25T08:03:00.000Z,2026-11-25T10:06:00.000+02:00,2026-11-25T10:07:00.000+02:00,"
    "dogs,2,day,,46.7702,23.6842,0,5,,"
    "uuid:o3,uuid:o3,7,Colectorului tablet,0,0,,rejected,collect:x,0,2026112501\n"
)


def test_detect_form_and_import_marks(ws: Workspace, kobo_csv: Path, tmp_path: Path):
    odk = tmp_path / "odk.csv"
    odk.write_text(ODK_CSV, encoding="utf-8")
    mapeo = tmp_path / "mapeo.geojson"
    mapeo.write_text(json.dumps(MAPEO), encoding="utf-8")
    plain = tmp_path / "plain.geojson"
    gpd.GeoDataFrame(
        {"category": ["dogs"], "severity": [2]}, geometry=[Point(P1)], crs=4326
    ).to_file(plain, driver="GeoJSON")
    assert [w.detect_form(p) for p in (kobo_csv, odk, mapeo, plain)] == [
        "kobo",
        "odk",
        "mapeo",
        "geojson",
    ]
    s = _session(ws)
    added, report = w.import_marks(ws, s.session_id, odk)
    assert dict(added) == {"risk_marks": 1, "risk_paths": 1, "risk_areas": 0}
    assert report.form == "odk" and len(report.skipped) == 1


def test_odk_central_csv(tmp_path: Path):
    p = tmp_path / "risc_odk.csv"
    p.write_text(ODK_CSV, encoding="utf-8")
    marks, report = w.read_odk(p)
    assert report.n_marks == 2 and report.unmapped == []
    assert list(marks["category"]) == ["conflict", "traffic"]
    assert list(marks["severity"]) == [5, 4]
    assert list(marks["time_of_day"]) == ["night", "day"]
    assert marks["note"].iloc[0] == "scandal, seara târziu"
    assert marks.geometry.iloc[0].equals(Point(23.6841, 46.7701))
    assert marks.geometry.iloc[1].geom_type == "LineString"  # the geotrace
    assert marks["accuracy_m"].tolist() == [3.9, 12.5]
    assert list(marks["external_id"]) == ["uuid:o1", "uuid:o2"]
    assert report.skipped == ["row 3: rejected in review (rejected)"]
    assert "Colectorului tablet" not in marks.astype(str).to_string()


MAPEO = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "id": "a1b2c3d4e5f60001",
            "geometry": {"type": "Point", "coordinates": [23.6840, 46.7700]},
            "properties": {
                "created_at": "2026-11-25T10:20:00.000Z",
                "timestamp": "2026-11-25T10:20:00.000Z",
                "tags": {"categoryId": "dogs", "notes": "haita de câini dimineața"},
                "metadata": {
                    "location": {"position": {"coords": {"accuracy": 6.2, "altitude": 311}}}
                },
            },
        },
        {
            "type": "Feature",
            "id": "a1b2c3d4e5f60002",
            "geometry": {"type": "Point", "coordinates": [23.6862, 46.7712]},
            "properties": {
                "tags": {"categoryId": "risc-incendiu", "notes": "arde gunoi", "severity": "4"},
            },
        },
        {
            "type": "Feature",
            "id": "a1b2c3d4e5f60003",
            "geometry": None,
            "properties": {"tags": {"categoryId": "dogs", "notes": "fără GPS"}},
        },
        {
            "type": "Feature",
            "id": "a1b2c3d4e5f60004",
            "geometry": {"type": "Point", "coordinates": [23.6800, 46.7680]},
            "properties": {"tags": {"categoryId": "house"}},
        },
    ],
}


def test_mapeo_geojson(tmp_path: Path):
    p = tmp_path / "mapeo_export.geojson"
    p.write_text(json.dumps(MAPEO, ensure_ascii=False), encoding="utf-8")
    marks, report = w.read_mapeo(p)
    assert report.n_rows == 4 and report.n_marks == 3
    assert list(marks["category"]) == ["dogs", "fire", "other"]
    assert marks["note"].tolist()[:2] == ["haita de câini dimineața", "arde gunoi"]
    assert pd.isna(marks["severity"].iloc[0]) and marks["severity"].iloc[1] == 4
    assert marks["accuracy_m"].tolist() == [6.2, 25.0, 25.0]
    assert marks["external_id"].iloc[0] == "a1b2c3d4e5f60001"
    assert report.skipped == ["feature 3: no location (saved without GPS)"]
    assert {(u.row, u.field, u.value) for u in report.unmapped} == {(4, "category", "house")}


def test_generic_geojson_with_lines_and_polygons(tmp_path: Path):
    p = tmp_path / "marks.geojson"
    gpd.GeoDataFrame(
        {"Categorie": ["trafic", "poluare"], "Gravitate": [3, 2], "accuracy_m": [15.0, None]},
        geometry=[LineString([P1, P2]), Polygon([P1, P2, P3])],
        crs="EPSG:4326",
    ).to_file(p, driver="GeoJSON")
    marks, report = w.read_geojson(p)
    assert list(marks["category"]) == ["traffic", "pollution"]
    assert list(marks["severity"]) == [3, 2]
    assert list(marks.geometry.geom_type) == ["LineString", "Polygon"]
    assert marks["accuracy_m"].tolist() == [15.0, 25.0]
    assert report.ok


def test_kobo_label_headers_own_column_names_and_per_mark_consent(ws: Workspace, tmp_path: Path):
    p = tmp_path / "risc_etichete.csv"
    p.write_text(
        "Ce risc este aici?;Gravitate (1–5);Momentul zilei;Notă;Acord folosire;"
        "_Locația_latitude;_Locația_longitude;_Locația_altitude;_Locația_precision;_uuid\n"
        "Câini fără stăpân;Foarte mare;Noaptea;;Da;46.7700;23.6840;0;7;u1\n"
        "Trafic;Medie;Ziua;camioane;Nu;46.7712;23.6862;0;0;u2\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no category column"):
        w.read_kobo(p)
    with pytest.raises(InputError, match="'Ce risc' is not a column"):
        w.read_kobo(p, columns={"category": "Ce risc"})
    marks, report = w.read_kobo(p, columns={"category": "Ce risc este aici?"})
    assert report.unmapped == []
    assert list(marks["category"]) == ["dogs", "traffic"]
    assert list(marks["severity"]) == [5, 3]
    assert list(marks["time_of_day"]) == ["night", "day"]
    assert list(marks["consent"]) == [True, False]
    assert list(marks["accuracy_m"]) == [7.0, 25.0]
    s = _session(ws, scope="share_with_planners")
    w.add_marks(ws, s.session_id, marks)
    stored = ws.read("risk_marks")
    assert list(stored["consent"]) == [True, False]  # the resident's "no" wins


def test_bad_exports_are_refused_naming_file_row_field(tmp_path: Path):
    no_loc = tmp_path / "no_location.csv"
    no_loc.write_text("category;severity\ndogs;3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no_location\.csv: no location columns"):
        w.read_kobo(no_loc)
    no_cat = tmp_path / "no_category.csv"
    no_cat.write_text("name;_loc_latitude;_loc_longitude\nx;46.77;23.68\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no_category\.csv: no category column"):
        w.read_kobo(no_cat)
    bad_lat = tmp_path / "bad_lat.csv"
    bad_lat.write_text(
        "category;_loc_latitude;_loc_longitude\ndogs;46.77;23.68\nfire;abc;23.68\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"bad_lat\.csv: row 2, field 'loc'"):
        w.read_kobo(bad_lat)
    swapped = tmp_path / "swapped.csv"
    swapped.write_text(
        "category;_loc_latitude;_loc_longitude\ndogs;23.68;46.77\n", encoding="utf-8"
    )
    with pytest.raises(CRSError):
        w.read_kobo(swapped)
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.geojson: not valid GeoJSON"):
        w.read_mapeo(broken)
    with pytest.raises(InputError, match="no such file"):
        w.read_odk(tmp_path / "missing.csv")


# --------------------------------------------------------------------------- community paths


def _road_and_offsets(ws: Workspace) -> tuple[Point, Point, shapely.Geometry]:
    """A point 12 m beside a road and one 400 m away from every road (EPSG:3844)."""
    roads = ws.read("roads").to_crs(METRIC)
    road = roads.geometry.iloc[0]
    a, b = np.asarray(road.coords[0]), np.asarray(road.coords[1])
    mid = (a + b) / 2
    normal = np.array([-(b - a)[1], (b - a)[0]]) / np.linalg.norm(b - a)
    near = Point(*(mid + 12 * normal))
    far = Point(*(mid + 400 * normal))
    return near, far, roads.geometry.union_all()


def test_community_paths_join_the_roads(ws: Workspace):
    s = _session(ws, scope="share_with_planners")
    near, far, network = _road_and_offsets(ws)
    assert 11.9 < near.distance(network) < 12.1
    far_d = far.distance(network)
    path = gpd.GeoDataFrame(
        {"name": ["poteca spre școală"]},
        geometry=[LineString([near, far])],
        crs=METRIC,
    )
    n_before = len(ws.read("roads"))
    report = w.add_paths(ws, s.session_id, path, kind="footway", surface="dirt")
    roads = ws.read("roads")
    assert len(roads) == n_before + 1
    new = roads.iloc[-1]
    assert (new["mapped_by"], new["kind"], new["surface"], new["name"]) == (
        "community",
        "footway",
        "dirt",
        "poteca spre școală",
    )
    assert new["source"] == f"workshop {DAL1}, Dallas, 2026-11-25, community-mapped path"
    start = Point(gpd.GeoSeries([new.geometry], crs="EPSG:4326").to_crs(METRIC).iloc[0].coords[0])
    assert start.distance(network) < 0.01  # joined: the network reaches it
    assert any("12 m short" in c for c in report.changes)
    assert far_d > w.PATH_CONNECT_M  # a dead end far from roads is normal: not reported
    assert not any("network will not reach" in x for x in report.warnings)


def test_paths_need_consent_for_the_public_roads_layer(ws: Workspace):
    s = _session(ws, scope="aggregate_only")
    near, far, _ = _road_and_offsets(ws)
    path = gpd.GeoDataFrame(geometry=[LineString([near, far])], crs=METRIC)
    with pytest.raises(SensitivityError, match="confirm_public"):
        w.add_paths(ws, s.session_id, path)
    w.add_paths(ws, s.session_id, path, confirm_public=True)
    assert (ws.read("roads")["mapped_by"] == "community").sum() == 1


def test_joined_path_is_reached_by_the_network(ws: Workspace, template: Path, tmp_path: Path):
    from pata_gis.network import Network

    near, far, _ = _road_and_offsets(ws)
    path = gpd.GeoDataFrame(geometry=[LineString([near, far])], crs=METRIC)
    assert Network.from_lines(ws.read("roads")).component_share("walk") == 1.0
    # not joined (12 m gap > the network's 5 m snap): an island
    other = tmp_path / "other.gpkg"
    shutil.copy(template, other)
    ws2 = Workspace(other)
    s2 = _session(ws2, scope="share_with_planners")
    report = w.add_paths(ws2, s2.session_id, path, connect_m=0)
    assert not any("short" in c for c in report.changes)
    assert any("path is 12 m from the nearest road" in x for x in report.warnings)
    assert Network.from_lines(ws2.read("roads")).component_share("walk") < 1.0
    # joined: one network
    s = _session(ws, scope="share_with_planners")
    w.add_paths(ws, s.session_id, path)
    assert Network.from_lines(ws.read("roads")).component_share("walk") == 1.0


def test_paper_sheet_marks_name_the_sheet(ws: Workspace):
    s = _session(ws)
    marks = _three_marks().iloc[:1]
    w.add_marks(ws, s.session_id, marks, capture="paper_sheet", origin="DAL-20261125-01-A")
    row = ws.read("risk_marks").iloc[0]
    assert row["source"] == f"workshop {DAL1}, Dallas, 2026-11-25, paper sheet DAL-20261125-01-A"
    assert (row["capture"], row["accuracy_m"]) == ("paper_sheet", w.PAPER_ACCURACY_M)


def test_marks_typed_back_from_a_paper_sheet(ws: Workspace):
    s = _session(ws)
    sheet = sheets.sheet_id("Dallas", "2026-11-25", 2)
    x, y = (
        gpd.GeoSeries([Point(P3)], crs="EPSG:4326").to_crs(METRIC).iloc[0].coords[0]
    )  # the grid's north-west corner
    grid = sheets.SheetGrid(x0=x, y_top=y, cell_size=50, n_cols=8, n_rows=8, sheet_id=sheet)
    entries = pd.DataFrame(
        {
            "cell": ["C4", "A1-NE"],
            "category": ["câini", "trafic"],
            "severity": [3, 5],
            "consent": ["da", "da"],
        }
    )
    typed = sheets.marks_from_cells(entries, grid, session_id=s.session_id)
    added = w.add_marks(ws, s.session_id, typed)
    assert added["risk_marks"] == 2
    stored = ws.read("risk_marks")
    assert list(stored["capture"]) == ["paper_sheet", "paper_sheet"]
    assert list(stored["source"]) == [
        f"workshop {DAL1}, Dallas, 2026-11-25, paper sheet {sheet}, cell C4",
        f"workshop {DAL1}, Dallas, 2026-11-25, paper sheet {sheet}, cell A1-NE",
    ]
    # the sheet's accuracy (half the cell's diagonal) is kept: 50 m cell -> 35.4 m
    assert stored["accuracy_m"].iloc[0] == pytest.approx(25 * math.sqrt(2))
    assert "cell" not in stored.columns  # not a mark field


def test_a_failed_save_leaves_every_layer_unchanged(ws: Workspace, monkeypatch):
    from pata_gis._errors import WorkspaceError

    s = _session(ws)
    real_write = ws._write_layer

    def failing(tmp, name, frame, spec):
        if name == "risk_paths":  # points already written into the copy
            raise WorkspaceError("disk full (simulated)")
        return real_write(tmp, name, frame, spec)

    monkeypatch.setattr(ws, "_write_layer", failing)
    with pytest.raises(WorkspaceError, match="simulated"):
        w.add_marks(ws, s.session_id, _three_marks())
    # one atomic save: the points written before the failure never reached the file
    assert ws.read("risk_marks").empty
    assert list(ws.history("risk_marks")["action"]) == ["init"]
    assert ws.read("risk_areas").empty
