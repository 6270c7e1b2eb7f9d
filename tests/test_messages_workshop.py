"""Workshop, paper-sheet and GTFS messages read in Romanian and Hungarian.

Real failures are provoked (a mis-copied sheet id, a cell outside the grid, an
unknown category, a consent left unclear, a Kobo export without its location
columns, a GTFS ``stops.txt`` with a bad row...). Each message, and each line of
its problem list, is checked in ``ro`` and ``hu``: it differs from the English,
keeps the file names, cell labels and values it quotes, leaves no English word of
its templates behind, and the plain text (an exception's ``str``) is matched back
to the same words as the :class:`~pata_gis.messages.Note` itself.
"""

from __future__ import annotations

import re
import shutil
import warnings
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from pata_gis import gtfs, sheets
from pata_gis import workshop as w
from pata_gis._errors import InputError, SensitivityError, ValidationError
from pata_gis.messages import Note, join_notes, note, translate
from pata_gis.workspace import Workspace

P1 = (23.6840, 46.7700)
P2 = (23.6862, 46.7712)
METRIC = "EPSG:3844"

#: English words of the templates that must not survive a translation (values and code
#: the user types are removed first; "cell", "category", "severity" and "consent" are
#: column names the Romanian text quotes too; "are" is Romanian too).
ENGLISH = {
    "the", "is", "has", "have", "not", "with", "and", "of", "or", "no", "cannot",
    "feature", "features", "layer", "field", "file", "holds", "check", "again", "missing",
    "value", "values", "row", "rows", "column", "columns", "correct", "pass", "read", "empty",
    "outside", "problem", "problems", "saved", "nothing", "only", "but", "sheet", "session",
    "marks", "mark", "unknown", "use", "location", "feed", "grid", "must", "number", "placed",
    "whole", "write", "copy", "point", "points", "path", "road", "network", "joined", "kept",
    "export", "stop", "stops", "dropped", "area", "reading", "checking", "against", "saving",
    "understood", "rejected", "review", "skipped", "import", "found", "lacks", "none",
}  # fmt: skip


def _values(n: Any) -> list[str]:
    """The plain values inside a note (nested notes opened), longest first."""
    out: list[str] = []
    for v in n.params.values():
        out += _values(v) if isinstance(v, Note) else [str(v)]
    return sorted(out, key=len, reverse=True)


def _english_left(text: str, n: Note) -> set[str]:
    for v in _values(n):
        text = text.replace(v, " ")
    text = re.sub(r"'[^']*'|\w+=", " ", text)  # code the user types (bounds=, 'C4')
    text = re.sub(r"\w+(?:/\w+)+", " ", text)  # da/yes/igen, lat/lon alternatives
    text = re.sub(r"[\w<>]*_[\w<>]*|\w+\.\w+(?:\.\w+)*|\w+\(\S*\)", " ", text)  # identifiers
    return {w for w in re.findall(r"[^\W\d_]+", text) if w in ENGLISH}


def _check(msg: Any, plain: str, *names: str) -> dict[str, str]:
    """`msg` (a Note) reads in ro and hu with `names` and its values kept; returns both."""
    assert isinstance(msg, Note), f"not a translatable note: {msg!r}"
    assert str(msg) == plain or plain.startswith(str(msg))
    shown = {}
    for lang in ("ro", "hu"):
        text = translate(msg, lang)
        assert text != msg, (lang, text)
        for name in names:
            assert name in text, (lang, name, text)
        for v in _values(msg):
            assert v in text, (lang, v, text)  # file names, cells, values kept
        assert not _english_left(text, msg), (lang, _english_left(text, msg), text)
        # the plain English text (str(exc), a log line) is matched back to the same words
        assert translate(str(msg), lang) == text, (lang, str(msg))
        shown[lang] = text
    return shown


def _check_validation(exc: ValidationError, *names: str) -> None:
    """The summary and every problem line, and the whole text line by line."""
    _check(exc.message, str(exc).splitlines()[0], *names)
    assert exc.problems
    for p in exc.problems:
        _check(p, str(p))
    for lang in ("ro", "hu"):
        lines = translate(str(exc), lang).splitlines()
        assert lines[0] == translate(exc.message, lang)
        assert lines[1:] == [f"  - {translate(p, lang)}" for p in exc.problems[:20]]


def _error(exc: BaseException) -> Note:
    msg = exc.args[0]
    assert str(exc) == msg  # the Note is the message, its text unchanged
    return msg


# ----------------------------------------------------------------------- paper sheets


def _grid(n: int = 8) -> sheets.SheetGrid:
    sid = sheets.sheet_id("Dallas", "2026-11-25", 2)
    return sheets.SheetGrid(x0=393000, y_top=587000, cell_size=50, n_cols=n, n_rows=n, sheet_id=sid)


def test_mis_copied_and_misshapen_sheet_ids_in_romanian_and_hungarian() -> None:
    good = sheets.sheet_id("Dallas", "2026-11-25", 1)
    wrong = good[:-1] + ("A" if good[-1] != "A" else "B")
    with pytest.raises(InputError) as info:
        sheets.parse_sheet_id(wrong)
    shown = _check(_error(info.value), str(info.value), wrong)
    assert shown["ro"] == (
        f"id-ul de foaie '{wrong}' nu trece de caracterul de control: probabil un caracter a "
        "fost copiat greșit; citiți din nou id-ul din colțul din dreapta sus al foii tipărite"
    )
    with pytest.raises(InputError) as info:
        sheets.parse_sheet_id("DAL 2026 11")
    _check(_error(info.value), str(info.value), "DAL 2026 11")
    with pytest.raises(InputError) as info:
        sheets.sheet_id("Dallas", "25.11.2026", 1)
    _check(_error(info.value), str(info.value), "25.11.2026")


def test_cell_outside_the_grid_names_the_cell_and_the_sheet() -> None:
    grid = _grid()
    with pytest.raises(InputError) as info:
        grid.parse_cell("K12")
    shown = _check(_error(info.value), str(info.value), "K12", grid.sheet_id or "")
    assert shown["hu"] == (
        f"a(z) 'K12' cella kívül esik a(z) {grid.sheet_id} lapon (oszlopok: A–H, sorok: 1–8); "
        "ellenőrizze a cellát a nyomtatott lapon"
    )
    with pytest.raises(InputError) as info:
        grid.parse_cell("C4-XX")
    _check(_error(info.value), str(info.value), "C4-XX")


def test_every_problem_of_a_typed_back_sheet_reads_in_every_language() -> None:
    grid = _grid()
    other = sheets.sheet_id("Dallas", "2026-11-25", 3)
    entries = pd.DataFrame(
        {
            "cell": ["Z9", "C2", "", "B2", "A1"],
            "category": ["câini", "gropi", "trafic", "dogs", "fire"],
            "severity": [3, 9, 2, "trei", 4],
            "consent": ["da", "poate", "nu", "da", "da"],
            "time_of_day": [None, None, "amiaza", None, None],
            "sheet_id": [None, grid.sheet_id[:-1] + "0", None, other, None],  # type: ignore[index]
        },
        index=[10, 11, 12, 13, 14],
    )
    with pytest.raises(ValidationError) as info:
        sheets.marks_from_cells(entries, grid)
    exc = info.value
    keys = sorted(p.params["problem"].key for p in exc.problems)  # type: ignore[attr-defined]
    assert keys == sorted(
        [
            "err.sheet.cell_outside_sheet",  # Z9
            "err.sheet.id_check",  # a mis-copied check character
            "err.sheet.category",  # gropi
            "err.sheet.severity",  # 9
            "err.sheet.consent",  # poate
            "err.sheet.cell_empty",
            "err.sheet.time_of_day",  # amiaza
            "err.sheet.other_sheet",  # the id of another sheet
            "err.sheet.severity",  # trei
        ]
    ), [str(p) for p in exc.problems]
    _check_validation(exc, grid.sheet_id or "")
    by_key = {p.params["problem"].key: p for p in exc.problems}  # type: ignore[attr-defined]
    assert translate(by_key["err.sheet.cell_outside_sheet"], "ro") == (
        f"rândul 1 (indexul 10): celula 'Z9' este în afara foii {grid.sheet_id} "
        "(coloanele A–H, rândurile 1–8); verificați celula pe foaia tipărită"
    )
    assert translate(by_key["err.sheet.consent"], "hu") == (
        "2. sor (index: 11): a(z) 'poate' beleegyezés hiányzik vagy nem egyértelmű; "
        "írja be: da/yes/igen vagy nu/no/nem"
    )


def test_scan_problems_read_in_every_language() -> None:
    grid = _grid()
    with pytest.raises(InputError) as info:
        sheets.scan_transform(grid, {"NW": (0, 0), "NE": (800, 0), "SW": (0, 800)})
    _check(_error(info.value), str(info.value))
    corners = {"NW": (0, 0), "NE": (800, 0), "SW": (0, 800), "SE": (800, 800)}
    fit = sheets.scan_transform(grid, corners)
    entries = pd.DataFrame(
        {"px": [100, 5000, "x"], "py": [100, 100, 3], "category": ["dogs"] * 3}
        | {"severity": [3] * 3, "consent": ["da"] * 3}
    )
    with pytest.raises(ValidationError) as v:
        sheets.marks_from_scan(entries, grid, fit)
    assert {p.params["problem"].key for p in v.value.problems} == {  # type: ignore[attr-defined]
        "err.sheet.pixel_outside",
        "err.sheet.pixel_nan",
    }
    _check_validation(v.value, grid.sheet_id or "")


# --------------------------------------------------------------------------- workshop


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


def _session(ws: Workspace, scope: str = "aggregate_only") -> w.Session:
    return w.new_session(
        ws,
        community="Dallas",
        date="2026-11-25",
        facilitator="A. Pop",
        group="women",
        consent_scope=scope,
        author="test",
    )


def test_session_refusals_read_in_every_language(ws: Workspace) -> None:
    with pytest.raises(InputError) as info:
        w.new_session(
            ws, community="Dallas", date="2026-11-25", facilitator=" ", group=None,
            consent_scope="aggregate_only",
        )  # fmt: skip
    _check(_error(info.value), str(info.value))
    with pytest.raises(InputError) as info:
        w.new_session(
            ws, community="Dallas", date="2026-11-25", facilitator="A. Pop", group=None,
            consent_scope="maybe",
        )  # fmt: skip
    _check(_error(info.value), str(info.value), "'maybe'", "aggregate_only")
    with pytest.raises(InputError) as info:
        w.new_session(
            ws, community="Floresti", date="2026-11-25", facilitator="A. Pop", group=None,
            consent_scope="aggregate_only",
        )  # fmt: skip
    _check(_error(info.value), str(info.value), "'Floresti'")
    unknown = w.session_id("Dallas", "2099-12-31", 1)
    with pytest.raises(InputError) as info:
        w.get_session(ws, unknown)
    shown = _check(_error(info.value), str(info.value), unknown, ws.path.name)
    assert "(még egy sincs)" in shown["hu"] and "(niciuna încă)" in shown["ro"]


def test_refused_marks_list_every_problem_by_layer_in_every_language(ws: Workspace) -> None:
    s = _session(ws)
    marks = gpd.GeoDataFrame(
        {
            "category": ["dogs", "unlit_path", "gropi"],
            "severity": [4, 9, 3],
            "consent": [True, True, True],
        },
        geometry=[Point(P1), LineString([P1, P2]), None],
        crs="EPSG:4326",
    )
    with pytest.raises(ValidationError) as info:
        w.add_marks(ws, s.session_id, marks)
    exc = info.value
    assert exc.message.key == "err.ws.marks_problems"  # type: ignore[attr-defined]
    keys = {p.key for p in exc.problems}  # type: ignore[attr-defined]
    assert keys == {"err.ws.no_geometry_rows", "err.ws.layer_rows.risk_paths"}, keys
    _check_validation(exc, s.session_id)
    paths = next(p for p in exc.problems if p.key == "err.ws.layer_rows.risk_paths")  # type: ignore[attr-defined]
    ro = translate(paths, "ro")
    assert ro.startswith("stratul risk_paths: câmpul „severity”") and ro.endswith(
        "[obiect=rând de intrare: 1=2]"
    ), ro
    assert all(ws.read(n).empty for n in w.MARK_LAYERS.values())


def test_paths_on_the_public_map_without_consent_refused_in_every_language(
    ws: Workspace,
) -> None:
    s = _session(ws)
    path = gpd.GeoDataFrame(geometry=[LineString([P1, P2])], crs="EPSG:4326")
    with pytest.raises(SensitivityError) as info:
        w.add_paths(ws, s.session_id, path)
    shown = _check(_error(info.value), str(info.value), s.session_id, "'aggregate_only'")
    assert "confirm_public=True" in shown["ro"] and "confirm_public=True" in shown["hu"]


def test_path_repairs_and_warnings_read_in_every_language(ws: Workspace) -> None:
    s = _session(ws, scope="share_with_planners")
    road = ws.read("roads").to_crs(METRIC).geometry.iloc[0]
    (ax, ay), (bx, by) = road.coords[0], road.coords[1]
    length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
    nx, ny = -(by - ay) / length, (bx - ax) / length  # the road's normal
    mx, my = (ax + bx) / 2, (ay + by) / 2
    near = (mx + 12 * nx, my + 12 * ny)  # 12 m beside the road: joined
    away = (mx + 400 * nx, my + 400 * ny)
    lost = LineString([(mx + 3000, my + 3000), (mx + 3100, my + 3000)])  # reaches nothing
    paths = gpd.GeoDataFrame(geometry=[LineString([near, away]), lost], crs=METRIC)
    report = w.add_paths(ws, s.session_id, paths)
    found = {n.key for n in [*report.changes, *report.warnings] if isinstance(n, Note)}
    assert {"fix.ws.path_start_joined", "warn.ws.path_far"} <= found, report
    for n in [*report.changes, *report.warnings]:
        _check(n, str(n))


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        ("fara_locatie_kobo.csv", "category;severity\ndogs;3\n", "err.ws.no_location_columns"),
        (
            "fara_categorie.csv",
            "name;_loc_latitude;_loc_longitude\nx;46.77;23.68\n",
            "err.ws.no_category_column",
        ),
        (
            "lat_gresit.csv",
            "category;_loc_latitude;_loc_longitude\ndogs;46.77;23.68\nfire;abc;23.68\n",
            "err.ws.latlon_not_numbers",
        ),
        ("gol.csv", "  \n", "err.ws.empty_file"),
        (
            "rupt.csv",
            "category;_loc_latitude;_loc_longitude\ndogs;46.77;23.68;x;y\n",
            "err.ws.row_too_long",
        ),
    ],
)
def test_broken_kobo_exports_are_refused_in_every_language(
    tmp_path: Path, name: str, text: str, key: str
) -> None:
    path = _write(tmp_path / name, text)
    with pytest.raises(InputError) as info:
        w.read_kobo(path)
    msg = _error(info.value)
    assert msg.key == key
    _check(msg, str(info.value), name)


def test_kobo_without_geometry_hand_checked_in_romanian(tmp_path: Path) -> None:
    path = _write(tmp_path / "sondaj.csv", "category;severity\ndogs;3\n")
    with pytest.raises(InputError) as info:
        w.read_kobo(path)
    ro = translate(str(info.value), "ro")
    assert ro.startswith(f"{path}: nu are coloane de localizare (un geopoint ca ")
    assert ro.endswith("exportați formularul cu întrebările lui de localizare")


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        ("rupt.geojson", '{"type": "FeatureCollection", "features": [', "err.ws.geojson_invalid"),
        ("lista.geojson", '{"type": "FeatureCollection", "features": {}}', "err.ws.features_not_list"),
        ("obiect.geojson", '{"type": "Topology"}', "err.ws.not_collection"),
        ("tip.geojson", '{"type": "FeatureCollection", "features": [{"type": "Point"}]}',
         "err.ws.not_feature"),
    ],
)  # fmt: skip
def test_broken_mapeo_exports_are_refused_in_every_language(
    tmp_path: Path, name: str, text: str, key: str
) -> None:
    path = _write(tmp_path / name, text)
    with pytest.raises(InputError) as info:
        w.read_mapeo(path)
    msg = _error(info.value)
    assert msg.key == key
    _check(msg, str(info.value), name)


def test_import_report_lines_read_in_every_language(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "raport.csv",
        "category;severity;_loc_latitude;_loc_longitude;_validation_status\n"
        "gropi;3;46.77;23.68;\n"
        "dogs;;;;\n"
        "dogs;2;46.771;23.681;validation_status_not_approved\n"
        "fire;grav;46.772;23.682;\n",
    )
    _marks, report = w.read_kobo(path)
    lines = [*map(str, report.unmapped), *report.skipped, *report.notes]
    assert [u.field for u in report.unmapped] == ["category", "severity"]
    assert len(report.skipped) == 2 and len(report.notes) == 2, lines
    for u in report.unmapped:
        _check(str(u), str(u))
    for n in [*report.skipped, *report.notes]:
        _check(n, str(n))
    assert (
        translate(str(report.unmapped[0]), "hu")
        == "1. sor: a(z) category 'gropi' értéke nem érthető"
    )
    assert translate(report.skipped[0], "ro") == "rândul 2: fără localizare"


def test_an_import_with_no_mark_says_why_in_every_language(ws: Workspace, tmp_path: Path) -> None:
    s = _session(ws)
    head = "category;severity;_loc_latitude;_loc_longitude\n"
    one = _write(tmp_path / "fara_gps.csv", head + "dogs;3;;\n")
    with pytest.raises(InputError) as info:
        w.import_marks(ws, s.session_id, one, form="kobo")
    msg = _error(info.value)
    assert msg.key == "err.ws.nothing_imported_why"
    shown = _check(msg, str(info.value), "fara_gps.csv")
    assert shown["ro"] == (
        "fara_gps.csv: nu sunt marcaje de importat (rânduri: 1; rândul 1: fără localizare)"
    )
    # several reasons joined with "; " stay translatable through the Note (its plain
    # text is not matched back: a template would swallow the whole list)
    two = _write(tmp_path / "fara_gps_2.csv", head + "dogs;3;;\nfire;2;;\n")
    with pytest.raises(InputError) as info:
        w.import_marks(ws, s.session_id, two, form="kobo")
    msg = _error(info.value)
    assert translate(msg, "hu") == (
        "fara_gps_2.csv: nincs importálható jelölés (2 sor; 1. sor: nincs hely; 2. sor: nincs hely)"
    )


def test_a_shape_with_too_few_points_is_skipped_in_every_language(tmp_path: Path) -> None:
    good = "46.77 23.68 0 5;46.771 23.681 0 5;46.772 23.68 0 5;46.77 23.68 0 5"
    flat = "46.77 23.68 0 5;46.77 23.68 0 5;46.77 23.68 0 5;46.77 23.68 0 5"
    path = _write(tmp_path / "zone.csv", f"category,zona\ndogs,{good}\nfire,{flat}\n")
    marks, report = w.read_kobo(path)
    assert len(marks) == 1 and len(report.skipped) == 1, report
    skipped = report.skipped[0]
    assert skipped.key == "warn.ws.row_area_points"  # type: ignore[attr-defined]
    assert skipped == "row 2: field 'zona': an area needs at least 3 different points"
    shown = _check(skipped, str(skipped), "'zona'")
    assert (
        shown["ro"] == "rândul 2: câmpul 'zona': o zonă are nevoie de cel puțin 3 puncte diferite"
    )


def test_join_notes_keeps_a_list_translatable() -> None:
    a = note("warn.ws.area_points", field="'zona'")
    b = note("warn.ws.path_points", field="'traseu'")
    assert join_notes([]) == "" and join_notes([a]) is a
    joined = join_notes([a, b, "x"])
    assert joined == f"{a}; {b}; x"
    assert translate(joined, "hu") == (
        "'zona' mező: egy területhez legalább 3 különböző pont kell; "
        "'traseu' mező: egy ösvényhez legalább 2 különböző pont kell; x"
    )
    # a bare "a; b" is no template: plain text with a semicolon is left alone
    assert translate("left; right", "ro") == "left; right"


# ------------------------------------------------------------------------------- GTFS


def test_gtfs_stops_with_a_bad_row_in_every_language(tmp_path: Path) -> None:
    stops = _write(
        tmp_path / "stops.txt",
        "stop_id,stop_name,stop_lat,stop_lon\n1,A,46.78,23.69\n2,B,46.7x,23.69\n",
    )
    with pytest.raises(InputError) as info:
        gtfs.read_stops(stops)
    msg = _error(info.value)
    shown = _check(msg, str(info.value), str(stops), "'46.7x'", "stop_lat")
    assert shown["ro"] == (
        f"{stops}, rândul 3 (rândul de antet fiind rândul 1): stop_lat este '46.7x', nu un "
        "număr; corectați rândul și citiți din nou fluxul."
    )


def test_gtfs_missing_column_and_stops_far_away_in_every_language(tmp_path: Path) -> None:
    stops = _write(tmp_path / "stops.txt", "stop_id,stop_name,stop_lat\n1,A,46.78\n")
    with pytest.raises(InputError) as info:
        gtfs.read_stops(stops)
    _check(_error(info.value), str(info.value), str(stops), "stop_lon")
    _write(stops, "stop_id,stop_name,stop_lat,stop_lon\n1,Constanța,44.17,28.65\n2,B,46.78,\n")
    with warnings.catch_warnings(record=True) as caught, pytest.raises(InputError) as info:
        warnings.simplefilter("always")
        gtfs.read_stops(stops)
    _check(_error(info.value), str(info.value), str(stops))
    messages = [c.message.args[0] for c in caught if issubclass(c.category, gtfs.GTFSWarning)]
    assert {m.key for m in messages} == {"warn.gtfs.no_position", "warn.gtfs.outside_far"}
    for m in messages:
        shown = _check(m, str(m), str(stops))
    far = next(m for m in messages if m.key == "warn.gtfs.outside_far")
    hu = translate(far, "hu")
    assert "Constanța" in hu and "é. sz. 44.1700, k. h. 28.6500" in hu, hu
    assert shown  # every warning checked


def test_gtfs_zip_without_stops_in_every_language(tmp_path: Path) -> None:
    import zipfile

    feed = tmp_path / "ctp.zip"
    with zipfile.ZipFile(feed, "w") as zf:
        zf.writestr("routes.txt", "route_id\n1\n")
    with pytest.raises(InputError) as info:
        gtfs.read_stops(feed)
    _check(_error(info.value), str(info.value), str(feed))
    with pytest.raises(InputError) as info:
        gtfs.read_shapes(feed)
    _check(_error(info.value), str(info.value), str(feed), "shapes.txt")


# ------------------------------------------------------------------- progress of an import


def test_import_progress_steps_read_in_every_language(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "scoli.geojson"
    gpd.GeoDataFrame({"name": ["A"]}, geometry=[Point(P1)], crs=4326).to_file(path)
    steps: list[str] = []
    with pytest.raises(InputError):  # the schools layer needs more fields
        ws.import_file(path, layer="schools", progress=lambda msg, i, n: steps.append(msg))
    assert steps == ["reading scoli.geojson", "checking scoli.geojson against layer schools"]
    for s in steps:
        _check(s, str(s), "scoli.geojson")
    assert translate(steps[1], "ro") == "se verifică scoli.geojson față de stratul schools"
    assert translate(steps[0], "hu") == "scoli.geojson beolvasása"
