"""The paper round-trip: sheet ids, the labelled grid, marks typed back by cell, the sheet."""

from __future__ import annotations

import itertools
import json
import math
import string
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from pata_gis import layers as layers_mod
from pata_gis._errors import InputError, SensitivityError, ValidationError
from pata_gis.printing import map_sheet, save_figure
from pata_gis.sheets import (
    CATEGORIES,
    SheetGrid,
    check_sheet_id,
    make_sheet,
    marks_from_cells,
    marks_from_scan,
    parse_sheet_id,
    scan_transform,
    sheet_id,
)
from pata_gis.specs import load_catalogue

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
ALNUM = string.digits + string.ascii_uppercase


@pytest.fixture(scope="module")
def specs():
    return load_catalogue()


@pytest.fixture(scope="module")
def public_layers(specs):
    names = ["landfill", "settlements", "roads", "schools", "kindergartens", "transit_stops"]
    return {n: gpd.read_file(specs[n].bundled) for n in names}


@pytest.fixture(scope="module")
def dallas_sheet(public_layers, specs):
    return make_sheet(
        "Dallas", public_layers, specs, date="2026-11-25", seq=1, session="atelier-DAL-1"
    )


def grid10(**kw) -> SheetGrid:
    return SheetGrid(x0=399_000.0, y_top=587_000.0, cell_size=100.0, n_cols=10, n_rows=10, **kw)


# --- sheet ids --------------------------------------------------------------------------


def test_sheet_id_is_readable_and_round_trips():
    sid = sheet_id("Dallas", "2026-11-25", 1)
    assert sid.startswith("DAL-20261125-01-") and len(sid) == 17
    assert sheet_id("Cantonului", "2026-11-25", 12).startswith("CAN-20261125-12-")
    assert sheet_id("Colectorului", "2026-11-25", 1)[:3] == "COL"
    assert sheet_id("Rampa", "2026-11-25", 1)[:3] == "RAM"
    parsed = parse_sheet_id(sid)
    assert (parsed.community, parsed.date.isoformat(), parsed.seq) == ("DAL", "2026-11-25", 1)
    # typed back loosely: lower case, spaces, no dashes, letter O for zero in the date
    loose = sid.lower().replace("-", " ").replace("0", "o", 1)
    assert check_sheet_id(loose) == sid
    # different days and numbers give different ids
    assert len({sheet_id("Dallas", "2026-11-25", k) for k in range(1, 100)}) == 99


def test_every_single_character_typo_and_neighbour_swap_is_refused():
    sid = sheet_id("Dallas", "2026-11-25", 1)
    body_positions = [i for i, ch in enumerate(sid) if ch != "-"]
    refused = 0
    for i in body_positions:
        for ch in ALNUM:
            if ch == sid[i]:
                continue
            typo = sid[:i] + ch + sid[i + 1 :]
            if {sid[i], ch} in ({"0", "O"}, {"1", "I"}, {"1", "L"}, {"5", "S"}, {"2", "Z"}):
                continue  # read as the same character on paper (O/0, I/1, L/1...)
            try:
                parse_sheet_id(typo)
            except InputError:
                refused += 1
            else:  # pragma: no cover - the assertion below reports it
                pytest.fail(f"typo {typo!r} of {sid!r} was accepted")
    assert refused > 400
    for a, b in itertools.pairwise(body_positions):
        if sid[a] == sid[b] or b != a + 1:
            continue
        swapped = list(sid)
        swapped[a], swapped[b] = swapped[b], swapped[a]
        with pytest.raises(InputError, match="check character"):
            parse_sheet_id("".join(swapped))


def test_sheet_id_refuses_bad_input():
    with pytest.raises(InputError, match="1 to 99"):
        sheet_id("Dallas", "2026-11-25", 100)
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        sheet_id("Dallas", "25.11.2026", 1)
    with pytest.raises(InputError, match="shaped like"):
        parse_sheet_id("DALLAS-1")


# --- the grid ---------------------------------------------------------------------------


def test_cells_by_hand():
    g = grid10()
    assert g.bounds == (399_000.0, 586_000.0, 400_000.0, 587_000.0)
    assert g.cell_of(399_250.0, 586_850.0) == "C2"  # 250 m east -> 3rd column; 150 m south -> row 2
    assert g.cell_of(399_000.0, 587_000.0) == "A1"  # north-west corner
    assert g.cell_of(400_000.0, 586_000.0) == "J10"  # south-east corner: last cell
    assert g.cell_of(399_100.0, 586_950.0) == "B1"  # on the A|B line: the cell east of it
    assert g.cell_of(399_250.0, 586_850.0, quarter=True) == "C2-SE"  # centre: south-east
    assert g.cell_of(399_260.0, 586_860.0, quarter=True) == "C2-NE"
    assert g.cell_centre("C2") == (399_250.0, 586_850.0)
    assert g.cell_centre("C2-NE") == (399_275.0, 586_875.0)
    assert g.cell_centre("c2 nv") == (399_225.0, 586_875.0)  # Romanian NV = north-west
    assert g.cell_polygon("J10").bounds == (399_900.0, 586_000.0, 400_000.0, 586_100.0)
    assert g.cell_accuracy("C2") == pytest.approx(70.7107, abs=1e-3)
    assert g.cell_accuracy("C2-SE") == pytest.approx(35.3553, abs=1e-3)
    with pytest.raises(InputError, match="outside the grid"):
        g.cell_of(398_999.0, 586_500.0)
    with pytest.raises(InputError, match="rows 1–10"):
        g.cell_polygon("C11")
    with pytest.raises(InputError, match="columns A–J"):
        g.cell_polygon("K1")
    with pytest.raises(InputError, match="not a grid cell"):
        g.cell_polygon("4C")


def test_cells_gdf_tiles_the_grid():
    g = SheetGrid(x0=0.0, y_top=1000.0, cell_size=50.0, n_cols=12, n_rows=7)
    cells = g.cells_gdf()
    assert len(cells) == 84 and cells["cell"].is_unique
    assert cells.crs.to_epsg() == 3844
    assert cells.geometry.area.sum() == pytest.approx(12 * 7 * 50 * 50)
    assert shapely.union_all(cells.geometry.values).equals(shapely.box(*g.bounds))
    for label, geom in zip(cells["cell"], cells.geometry, strict=True):
        assert geom.equals(g.cell_polygon(label))
        c = geom.centroid
        assert g.cell_of(c.x, c.y) == label
    # the one-line sheet code printed on the sheet (and in its QR code) rebuilds the grid
    coded = grid10(sheet_id=sheet_id("Dallas", "2026-11-25", 1), scale=2500)
    assert coded.to_code() == "PATA1 DAL-20261125-01-F 399000 587000 100 10x10 2500"
    back = SheetGrid.from_code(coded.to_code())
    assert (back.bounds, back.cell_size, back.scale, back.sheet_id) == (
        coded.bounds,
        100.0,
        2500,
        coded.sheet_id,
    )
    with pytest.raises(InputError, match="check character"):
        SheetGrid.from_code("PATA1 DAL-20261125-01-G 399000 587000 100 10x10 2500")
    with pytest.raises(InputError, match="not shaped like"):
        SheetGrid.from_code("PATA1 DAL-20261125-01-F 399000")
    # more than 26 columns: AA, AB...
    wide = SheetGrid(x0=0.0, y_top=100.0, cell_size=10.0, n_cols=28, n_rows=1)
    assert [wide.column_label(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]
    assert wide.cell_of(275.0, 95.0) == "AB1"


def test_grid_from_extent_and_json_round_trip():
    g = SheetGrid.from_extent((399_500.0, 586_000.0, 400_430.0, 586_610.0), sheet_id=None)
    assert 8 <= g.n_cols <= 20
    minx, miny, maxx, maxy = g.bounds
    assert minx <= 399_500 and maxx >= 400_430 and miny <= 586_000 and maxy >= 586_610
    sid = sheet_id("Dallas", "2026-11-25", 3)
    g2 = grid10(sheet_id=sid, community="Dallas", scale=2500, session="s1")
    back = SheetGrid.from_dict(json.loads(json.dumps(g2.to_dict())))
    assert back == g2
    with pytest.raises(InputError, match="check character"):
        grid10(sheet_id=sid[:-1] + ("A" if sid[-1] != "A" else "B"))
    with pytest.raises(InputError, match="lacks"):
        SheetGrid.from_dict({"x0": 0, "y_top": 0})


def test_paper_to_map_uses_the_print_scale():
    g = grid10(scale=2500)
    x, y = g.paper_to_map([0.0, 10.0], [0.0, 40.0])  # 10 mm at 1:2 500 = 25 m
    assert list(x) == [399_000.0, 399_025.0]
    assert list(y) == [587_000.0, 586_900.0]


# --- marks typed back by cell ----------------------------------------------------------


def _entries(cells, sid, **cols):
    n = len(cells)
    data = {
        "cell": cells,
        "category": cols.get("category", ["dogs"] * n),
        "severity": cols.get("severity", [3] * n),
        "time_of_day": cols.get("time_of_day", ["night"] * n),
        "note": cols.get("note", [None] * n),
        "consent": cols.get("consent", [True] * n),
        "sheet_id": [sid] * n,
    }
    return pd.DataFrame(data)


def test_marks_land_in_their_cells_for_every_cell_and_quarter():
    sid = sheet_id("Dallas", "2026-11-25", 1)
    g = grid10(sheet_id=sid, session="atelier-1")
    cells = [f"{string.ascii_uppercase[i]}{j + 1}" for i in range(10) for j in range(10)]
    quarters = [f"{c}-{q}" for c in cells for q in ("NW", "NE", "SW", "SE")]
    marks = marks_from_cells(_entries(cells + quarters, sid), g)
    assert len(marks) == 500 and marks.crs.to_epsg() == 3844
    got_cells = g.cells_of(marks.geometry.x, marks.geometry.y)
    got_quarters = g.cells_of(marks.geometry.x, marks.geometry.y, quarters=True)
    for k, entry in enumerate(cells + quarters):
        if "-" in entry:
            assert got_quarters[k] == entry
            assert got_cells[k] == entry.split("-")[0]
        else:
            assert got_cells[k] == entry
    whole = marks["cell"].str.len() <= 3
    assert np.allclose(marks.loc[whole, "accuracy_m"], 50 * math.sqrt(2))
    assert np.allclose(marks.loc[~whole, "accuracy_m"], 25 * math.sqrt(2))
    assert marks["source"].iloc[0] == f"paper sheet {sid}, cell A1"
    assert set(marks["session_id"]) == {"atelier-1"}
    assert marks.attrs["sensitivity"] == "confidential"


def test_marks_accept_romanian_words_and_validate_against_the_spec(specs):
    sid = sheet_id("Cantonului", "2026-11-25", 2)
    g = grid10(sheet_id=sid)
    entries = _entries(
        ["c4", "D5-se", "E6", "F7"],
        sid.lower(),
        category=["Câini", "inundatii", "Conflict sau violență", "unlit path"],
        severity=["5", 2, 4.0, 1],
        time_of_day=["noapte", "Seară", None, "oricând"],
        consent=["da", "yes", True, "nu"],
        note=["câini fără stăpân", None, "", "x"],
    )
    marks = marks_from_cells(entries, g)
    assert list(marks["category"]) == ["dogs", "flooding", "conflict"]
    assert list(marks["severity"]) == [5, 2, 4]
    assert list(marks["time_of_day"][:2]) == ["night", "evening"]
    assert pd.isna(marks["time_of_day"].iloc[2])
    assert list(marks["cell"]) == ["C4", "D5-SE", "E6"]
    assert marks["note"].iloc[0] == "câini fără stăpân" and pd.isna(marks["note"].iloc[1])
    assert marks.attrs["dropped_without_consent"] == 1  # "nu": left out
    assert marks["session_id"].iloc[0] == sid  # no session: the sheet id
    checked, report = layers_mod.validate(
        marks.to_crs(4326), specs["risk_marks"], name="paper marks", region="cluj"
    )
    assert len(checked) == 3, report


def test_bad_rows_are_all_named_and_nothing_is_placed():
    sid = sheet_id("Dallas", "2026-11-25", 1)
    g = grid10(sheet_id=sid)
    typo = sid[:5] + ("3" if sid[5] != "3" else "4") + sid[6:]
    other = sheet_id("Dallas", "2026-11-25", 2)
    entries = pd.DataFrame(
        {
            "cell": ["Z99", "C4", "C4", "C4", "K1", "C4", "C4-XX"],
            "category": ["dogs", "aliens", "dogs", "dogs", "dogs", "dogs", "dogs"],
            "severity": [3, 3, 6, 3, 3, 3, 3],
            "consent": [True, True, True, None, True, True, True],
            "sheet_id": [sid, sid, sid, sid, sid, typo, other],
        }
    )
    with pytest.raises(ValidationError) as err:
        marks_from_cells(entries, g)
    msg = str(err.value)
    assert len(err.value.problems) == 8
    assert "row 1 (index 0): cell 'Z99' is outside the sheet" in msg
    assert "row 2 (index 1): category 'aliens' is unknown" in msg
    assert "row 3 (index 2): severity 6 must be a whole number 1–5" in msg
    assert "row 4 (index 3): consent None is missing" in msg
    assert "row 5 (index 4): cell 'K1' is outside" in msg and "columns A–J" in msg
    assert "row 6 (index 5)" in msg and "fails its check character" in msg
    assert f"row 7 (index 6): sheet id {other} is not the sheet of this grid" in msg
    assert "row 7 (index 6): the quarter must be NW, NE, SW or SE" in msg or "C4-XX" in msg
    with pytest.raises(ValidationError, match="consent"):
        marks_from_cells(pd.DataFrame({"cell": ["A1"], "category": ["dogs"], "severity": [1]}), g)


# --- marks drawn on the sheet, read from a photo ---------------------------------------


def _photo(x, y):
    """A phone photo of the sheet taken at an angle: map metres -> pixels (a homography)."""
    h = np.array([[2.0, 0.3, -790_000.0], [0.2, -2.2, 1_300_000.0], [2e-6, 1e-6, 0.3]])
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = h[2, 0] * x + h[2, 1] * y + h[2, 2]
    return (h[0, 0] * x + h[0, 1] * y + h[0, 2]) / w, (h[1, 0] * x + h[1, 1] * y + h[1, 2]) / w


def test_marks_drawn_on_a_photo_of_the_sheet_land_where_drawn():
    sid = sheet_id("Rampa", "2026-11-25", 4)
    g = grid10(sheet_id=sid, scale=2500)
    names = ["NW", "NE", "SW", "SE", "C4-NW", "H8-SE"]
    truth = [g.bounds[0:4:3], g.bounds[2:4], g.bounds[0:2], (g.bounds[2], g.bounds[1])]
    truth += [(399_200.0, 586_700.0), (399_800.0, 586_200.0)]
    u, v = _photo([p[0] for p in truth], [p[1] for p in truth])
    fit = scan_transform(g, {n: (float(a), float(b)) for n, a, b in zip(names, u, v, strict=True)})
    assert fit.n_points == 6 and fit.rms_m < 0.01
    drawn_x = np.array([399_013.0, 399_555.5, 399_990.0])
    drawn_y = np.array([586_987.0, 586_444.4, 586_010.0])
    px, py = _photo(drawn_x, drawn_y)
    entries = pd.DataFrame(
        {
            "px": px,
            "py": py,
            "category": ["fire", "dogs", "traffic"],
            "severity": [5, 2, 3],
            "consent": [True, True, True],
        }
    )
    marks = marks_from_scan(entries, g, fit)
    assert np.allclose(marks.geometry.x, drawn_x, atol=0.01)
    assert np.allclose(marks.geometry.y, drawn_y, atol=0.01)
    assert list(marks["cell"]) == ["A1", "F6", "J10"]
    assert np.allclose(marks["accuracy_m"], 2.0 * 2500 / 1000, atol=0.01)  # a 2 mm pen at 1:2 500
    assert marks["source"].iloc[1] == f"paper sheet {sid}, cell F6"
    # a point clicked outside the grid, and reference points given the wrong names
    outside = entries.iloc[:1].assign(px=_photo([398_500.0], [586_500.0])[0])
    outside["py"] = _photo([398_500.0], [586_500.0])[1]
    with pytest.raises(ValidationError, match="falls outside the grid"):
        marks_from_scan(outside, g, fit)
    swapped = {n: (float(a), float(b)) for n, a, b in zip(names, u, v, strict=True)}
    swapped["NE"], swapped["SW"] = swapped["SW"], swapped["NE"]
    with pytest.raises(InputError, match="do not fit the grid"):
        scan_transform(g, swapped)
    with pytest.raises(InputError, match="at least the four corners"):
        scan_transform(g, {"NW": (0.0, 0.0), "NE": (1.0, 0.0)})


# --- the printed sheet -----------------------------------------------------------------


def _assert_layout_readable(fig) -> None:
    """Every text lies on the page, and no two texts of the header, footer or panel overlap."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    texts = [t for t in fig.texts if t.get_text().strip()]
    panel = next(ax for ax in fig.axes if ax.get_label() == "panel")
    texts += [t for t in panel.texts if t.get_text().strip()]
    legend = panel.get_legend()
    texts += [t for t in legend.get_texts()] + [legend.get_title()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for label, bb in boxes:
        assert page.x0 - 1 <= bb.x0 and bb.x1 <= page.x1 + 1, f"{label!r} leaves the page"
        assert page.y0 - 1 <= bb.y0 and bb.y1 <= page.y1 + 1, f"{label!r} leaves the page"
    for i, (a, abox) in enumerate(boxes):
        for b, bbox in boxes[i + 1 :]:
            assert not abox.shrunk(0.98, 0.9).overlaps(bbox.shrunk(0.98, 0.9)), (a, b)


def test_dallas_sheet_prints_with_a_grid_covering_the_community(dallas_sheet, public_layers):
    fig, grid, meta = dallas_sheet
    assert grid.sheet_id == sheet_id("Dallas", "2026-11-25", 1) == meta["sheet_id"]
    assert 8 <= grid.n_cols <= 20
    dallas = public_layers["settlements"].to_crs(3844)
    dallas = dallas[dallas["name"] == "Dallas"].geometry.iloc[0]
    assert shapely.box(*grid.bounds).contains(dallas)
    # true scale: the grid frame on paper measures n_cols x cell at 1:scale
    sheet = map_sheet(fig)
    assert sheet is not None and sheet.scale == grid.scale
    pos = sheet.ax.get_position()
    width_mm = pos.width * fig.get_figwidth() * 25.4
    height_mm = pos.height * fig.get_figheight() * 25.4
    assert width_mm == pytest.approx(grid.n_cols * grid.cell_size * 1000 / grid.scale, abs=0.01)
    assert height_mm == pytest.approx(grid.n_rows * grid.cell_size * 1000 / grid.scale, abs=0.01)
    cell_mm = grid.cell_size * 1000 / grid.scale
    assert 14 <= cell_mm <= 32  # room to write a mark in a cell
    assert (fig.get_figwidth() * 25.4, fig.get_figheight() * 25.4) == pytest.approx((420, 297))
    # the metadata is JSON and rebuilds the grid
    assert SheetGrid.from_dict(json.loads(json.dumps(meta))) == grid
    assert meta["qr"] is True
    assert meta["form_rows"] >= 10  # room to write ten marks on an A3 sheet
    _assert_layout_readable(fig)
    texts = {t.get_text() for t in fig.texts} | {t.get_text() for t in sheet.ax.texts}
    assert grid.sheet_id in texts and meta["code"] in texts
    assert SheetGrid.from_code(meta["code"]).bounds == grid.bounds
    assert {"A", "B", "1", "2", "A1", f"{grid.column_label(grid.n_cols - 1)}{grid.n_rows}"} <= texts


def test_sheet_saved_as_pdf_and_png_with_readable_text(dallas_sheet):
    pypdf = pytest.importorskip("pypdf")
    fig, grid, _ = dallas_sheet
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = save_figure(fig, ARTIFACTS / "sheet_dallas.pdf")
    png = save_figure(fig, ARTIFACTS / "sheet_dallas.png", dpi=110)
    assert png.stat().st_size > 50_000
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert grid.sheet_id in text
    for c in CATEGORIES.values():
        assert c["ro"] in text and c["en"] in text
    assert "CONFIDENȚIAL" in text  # the filled-in sheet is confidential


def test_sheet_a4_portrait_and_refusals(public_layers, specs):
    fig, grid, _ = make_sheet(
        "Cantonului",
        public_layers,
        specs,
        paper="A4",
        orientation="portrait",
        lang="en",
        date="2026-11-25",
    )
    _assert_layout_readable(fig)
    assert 8 <= grid.n_cols <= 20 and grid.paper == "A4"
    cant = public_layers["settlements"].to_crs(3844)
    assert shapely.box(*grid.bounds).contains(cant[cant["name"] == "Cantonului"].union_all())
    with pytest.raises(InputError, match="known: Cantonului, Colectorului, Dallas, Rampa"):
        make_sheet("Nowhere", public_layers, specs)
    marks = gpd.GeoDataFrame(
        {"category": ["dogs"]}, geometry=[shapely.Point(23.69, 46.78)], crs=4326
    )
    with pytest.raises(SensitivityError, match="risk_marks"):
        make_sheet("Dallas", {**public_layers, "risk_marks": marks}, specs)


def test_paper_marks_go_into_the_workspace_through_the_workshop(tmp_path, public_layers, specs):
    from pata_gis import workshop
    from pata_gis.workspace import Workspace

    ws = Workspace.create(tmp_path / "ws.gpkg")
    session = workshop.new_session(
        ws,
        community="Dallas",
        date="2026-11-25",
        facilitator="facilitator",
        group=None,
        consent_scope=workshop.CONSENT_SCOPES[-1],
    )
    _, grid, meta = make_sheet(
        "Dallas", public_layers, specs, date="2026-11-25", session=session.session_id, qr=False
    )
    assert grid.sheet_id == check_sheet_id(session.session_id)  # one sheet per session
    # later, from the stored metadata only
    grid = SheetGrid.from_dict(json.loads(json.dumps(meta)))
    entries = pd.DataFrame(
        {
            "cell": ["C4", "D5-NE"],
            "category": ["câini", "Incendiu"],
            "severity": [3, 4],
            "consent": ["da", "da"],
            "sheet_id": [grid.sheet_id] * 2,
        }
    )
    marks = marks_from_cells(entries, grid)
    added = workshop.add_marks(ws, session.session_id, marks)
    assert added["risk_marks"] == 2
    stored = workshop.session_marks(ws, session.session_id).to_crs(3844)
    assert list(grid.cells_of(stored.geometry.x, stored.geometry.y)) == ["C4", "D5"]
    for (x, y), label in zip(stored.get_coordinates().to_numpy(), ["C4", "D5-NE"], strict=True):
        cx, cy = grid.cell_centre(label)
        assert math.hypot(x - cx, y - cy) < 0.01  # through EPSG:4326 storage and back
    assert all(f"paper sheet {grid.sheet_id}" in s for s in stored["source"])
    assert list(stored["accuracy_m"]) == pytest.approx(
        [grid.cell_size * math.sqrt(2) / 2, grid.cell_size * math.sqrt(2) / 4]
    )


def test_hungarian_sheet_prints_hungarian_beside_romanian(public_layers, specs):
    fig, grid, _ = make_sheet(
        "Colectorului",
        public_layers,
        specs,
        paper="A4",
        orientation="landscape",
        lang="hu",
        date="2026-11-25",
        qr=False,
    )
    _assert_layout_readable(fig)
    panel = next(ax for ax in fig.axes if ax.get_label() == "panel")
    texts = {t.get_text() for t in panel.texts} | {t.get_text() for t in fig.texts}
    assert "Kutyák / Câini" in texts and "Konfliktus vagy erőszak / Conflict sau violență" in texts
    assert "Colectorului — Munkatérkép / Hartă de lucru" in texts
    assert any(t.startswith("BIZALMAS") for t in texts)
    assert any("CONFIDENȚIAL — doar pentru participanții atelierului" in t for t in texts)
    marks = marks_from_cells(
        pd.DataFrame(
            {"cell": ["B2"], "category": ["kutyák"], "severity": [2], "consent": ["igen"]}
        ),
        grid,
    )
    assert marks["category"].iloc[0] == "dogs"
