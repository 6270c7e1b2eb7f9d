"""pata-gis workshop / hotspots / export --role, end to end."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest

from pata_gis import workshop
from pata_gis.workspace import Workspace


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A workspace with one Dallas session and 80 consented marks around Dallas."""
    path = tmp_path_factory.mktemp("wk") / "ws.gpkg"
    ws = Workspace.create(path)
    s = workshop.new_session(
        ws,
        community="Dallas",
        date="2026-11-25",
        facilitator="A. Pop",
        group="women",
        consent_scope="share_with_police",
    )
    dallas = ws.read("settlements").set_index("name").geometry["Dallas"]
    c = dallas.centroid
    rng = np.random.default_rng(7)
    # a tight cluster of 60 marks (a hotspot) and 20 scattered ones
    xs = np.r_[c.x + rng.normal(0, 0.0004, 60), c.x + rng.uniform(-0.01, 0.01, 20)]
    ys = np.r_[c.y + rng.normal(0, 0.0003, 60), c.y + rng.uniform(-0.008, 0.008, 20)]
    marks = gpd.GeoDataFrame(
        {
            "category": ["dogs"] * 40 + ["traffic"] * 40,
            "severity": [4] * 80,
            "time_of_day": ["night"] * 80,
            "note": ["câini fără stăpân"] * 80,
        },
        geometry=gpd.points_from_xy(xs, ys),
        crs=4326,
    )
    workshop.add_marks(ws, s.session_id, marks, zoom=17)
    return path, s.session_id


@pytest.fixture
def ws(template: tuple[Path, str], tmp_path: Path) -> Path:
    copy = tmp_path / "ws.gpkg"
    shutil.copy(template[0], copy)
    return copy


def run(*argv: str) -> tuple[int, str, str]:
    p = subprocess.run(
        [sys.executable, "-m", "pata_gis.cli", *argv], capture_output=True, text=True, timeout=300
    )
    return p.returncode, p.stdout, p.stderr


def mark_positions(ws: Path) -> set[tuple[float, float]]:
    """Every stored mark's position, lon/lat rounded to 5 decimals (about 1 m)."""
    marks = gpd.read_file(ws, layer="risk_marks")
    return {(round(g.x, 5), round(g.y, 5)) for g in marks.geometry}


def leaked(ws: Path, text: str) -> set[tuple[float, float]]:
    """Mark positions found in `text` as two consecutive numbers (any format)."""
    nums = [float(n) for n in re.findall(r"-?\d+\.\d+", text)]
    pairs = {(round(a, 5), round(b, 5)) for a, b in itertools.pairwise(nums)}
    return pairs & mark_positions(ws)


def test_leak_check_finds_a_raw_export(ws: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw.geojson"
    gpd.read_file(ws, layer="risk_marks").to_file(raw)
    assert len(leaked(ws, raw.read_text(encoding="utf-8"))) == 80
    raw_csv = tmp_path / "raw.csv"
    m = gpd.read_file(ws, layer="risk_marks")
    m.assign(lon=m.geometry.x, lat=m.geometry.y).drop(columns="geometry").to_csv(raw_csv)
    assert len(leaked(ws, raw_csv.read_text(encoding="utf-8"))) == 80


def test_workshop_new_and_list(ws: Path) -> None:
    code, out, err = run(
        "-w", str(ws), "workshop", "new", "--community", "Rampa", "--date", "2026-11-26",
        "--facilitator", "B", "--consent", "aggregate_only", "--lang", "en",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("session RAM-20261126-01-")
    code, out, _ = run("-w", str(ws), "workshop", "list")
    assert "DAL-20261125-01" in out and "RAM-20261126-01" in out


def test_hotspots_export_keeps_no_cell_under_k_and_no_raw_coordinate(
    ws: Path, tmp_path: Path
) -> None:
    out = tmp_path / "hot.geojson"
    code, _, err = run("-w", str(ws), "hotspots", "--out", str(out), "--who", "tester")
    assert code == 0, err
    cells = gpd.read_file(out)
    assert len(cells) > 0 and (cells["n_marks"] >= 5).all()
    assert "hot" in set(cells["class"])  # the tight cluster is a hotspot
    text = out.read_text(encoding="utf-8")
    assert not leaked(ws, text)
    assert "câini" not in text  # no notes
    log = [json.loads(x) for x in ws.with_suffix(".audit.jsonl").read_text().splitlines()]
    assert log[-1]["who"] == "tester" and log[-1]["level"] == "aggregated"


def test_export_of_confidential_layer_needs_a_role_and_is_aggregated(
    ws: Path, tmp_path: Path
) -> None:
    target = tmp_path / "marks.csv"
    code, _, err = run("-w", str(ws), "export", "risk_marks", str(target))
    assert code == 1 and "--role" in err and not target.exists()
    code, out, err = run(
        "-w", str(ws), "export", "risk_marks", str(target), "--role", "public", "--who", "t"
    )
    assert code == 0, err
    assert "level aggregated" in out
    text = target.read_text(encoding="utf-8-sig")
    assert not leaked(ws, text)
    # the police may get masked points, never raw ones
    code, _, err = run(
        "-w", str(ws), "export", "risk_marks", str(tmp_path / "p.geojson"),
        "--role", "police", "--level", "raw", "--who", "t",
    )  # fmt: skip
    assert code == 1 and "raw" in err


def test_sheet_prints_with_its_grid(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "dallas.pdf"
    code, _, err = run(
        "-w",
        str(ws),
        "workshop",
        "sheet",
        "--community",
        "Dallas",
        "--out",
        str(out),
        "--paper",
        "A4",
    )
    assert code == 0, err
    assert out.read_bytes()[:5] == b"%PDF-"
    meta = json.loads(out.with_suffix(".sheet.json").read_text(encoding="utf-8"))
    assert meta["community"] == "Dallas" and meta["cell_size"] > 0 and meta["crs"] == "EPSG:3844"


def test_marks_typed_back_from_the_sheet_land_in_their_cells(
    ws: Path, tmp_path: Path, template: tuple[Path, str]
) -> None:
    from pata_gis.sheets import SheetGrid

    out = tmp_path / "sheet.pdf"
    sid = template[1]
    code, _, err = run(
        "-w", str(ws), "workshop", "sheet", "--community", "Dallas", "--out", str(out),
        "--session", sid,
    )  # fmt: skip
    assert code == 0, err
    meta_file = out.with_suffix(".sheet.json")
    grid = SheetGrid.from_dict(json.loads(meta_file.read_text(encoding="utf-8")))
    entries = tmp_path / "entries.csv"
    entries.write_text(
        "cell,category,severity,time_of_day,note,consent\n"
        "B2,dogs,4,night,,da\nC3-NE,traffic,3,day,,da\nA1,fire,2,any,,nu\n",
        encoding="utf-8",
    )
    before = len(gpd.read_file(ws, layer="risk_marks"))
    code, stdout, err = run(
        "-w",
        str(ws),
        "workshop",
        "enter",
        str(entries),
        "--sheet",
        str(meta_file),
        "--session",
        sid,
    )
    assert code == 0, err
    assert "1 rows without consent were left out" in stdout
    marks = gpd.read_file(ws, layer="risk_marks").iloc[before:].to_crs(3844)
    assert len(marks) == 2
    assert [grid.cell_of(g.x, g.y) for g in marks.geometry] == ["B2", "C3"]
    assert marks["source"].str.contains("paper sheet").all()


def test_safety_plan_pdf_has_every_section_and_no_raw_mark(ws: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "plan.pdf"
    code, _, err = run("-w", str(ws), "safety-plan", "--out", str(out), "--who", "tester")
    assert code == 0, err
    reader = PdfReader(out)
    text = "\n".join(p.extract_text() for p in reader.pages)
    for heading in ("Timpi de intervenție", "Response times", "Ipoteze", "Assumptions"):
        assert heading in text, heading
    assert not leaked(ws, text)
    assert not leaked(ws, out.read_bytes().decode("latin-1"))
    log = [json.loads(x) for x in ws.with_suffix(".audit.jsonl").read_text().splitlines()]
    assert log[-1]["who"] == "tester" and "police" in json.dumps(log[-1])
