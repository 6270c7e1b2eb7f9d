"""Erasing a workshop group's marks: from the layers, every stored version and the file's bytes.

The workspace of these tests has two Dallas sessions, A and B, each with two
points, a path and an area, and a community path in ``roads``; the marks
layers then get one more version (an edit that keeps every mark), so A's
marks are in versions 2, 3 and 4 of each mark layer. Erasing A must leave B
untouched in every version.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from pata_gis import erasure, privacy
from pata_gis import workshop as w
from pata_gis import workspace as workspace_mod
from pata_gis._errors import InputError
from pata_gis.workspace import Workspace

MARKS = tuple(w.MARK_LAYERS.values())
#: Coordinates with many digits, so a match in the file's bytes is no accident.
A_POINTS = [(23.6912345678901, 46.7712345678901), (23.6823456789012, 46.7698765432109)]
#: A's points besides the two above.
N_BULK = 150
B_POINTS = [(23.6801234567891, 46.7702345678912), (23.6856789012345, 46.7687654321098)]


def _marks(points: list[tuple[float, float]], dx: float, note: str) -> gpd.GeoDataFrame:
    x0, y0 = 23.6830 + dx, 46.7690 + dx / 3
    geoms = [
        Point(points[0]),
        Point(points[1]),
        LineString([(x0, y0), (x0 + 0.0011, y0 + 0.0006)]),
        Polygon([(x0, y0 + 0.001), (x0 + 0.001, y0 + 0.001), (x0 + 0.001, y0 + 0.0018)]),
    ]
    return gpd.GeoDataFrame(
        {
            "category": ["dogs", "traffic", "unlit_path", "flooding"],
            "severity": [4, 3, 2, 5],
            "time_of_day": ["night", "day", "evening", "any"],
            "note": [f"{note} {i}" for i in range(4)],
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


def _bulk(n: int) -> gpd.GeoDataFrame:
    """`n` more points of A: more pages than B's marks, so freed pages are not all reused."""
    rng = np.random.default_rng(11)
    xs = 23.6800 + rng.uniform(0, 0.012, n)
    ys = 46.7650 + rng.uniform(0, 0.008, n)
    return gpd.GeoDataFrame(
        {
            "category": ["dogs"] * n,
            "severity": [3] * n,
            "note": [f"A-secret bulk {i}" for i in range(n)],
        },
        geometry=gpd.points_from_xy(xs, ys),
        crs="EPSG:4326",
    )


def _path(dx: float) -> gpd.GeoDataFrame:
    x0, y0 = 23.6870 + dx, 46.7705 - dx / 7
    line = LineString([(x0, y0), (x0 + 0.0009, y0 + 0.0007), (x0 + 0.0015, y0 + 0.0008)])
    return gpd.GeoDataFrame({"name": ["cărarea"]}, geometry=[line], crs="EPSG:4326")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    path = tmp_path_factory.mktemp("erase") / "template.gpkg"
    ws = Workspace.create(path, author="test")
    sessions = []
    for group in ("women", "youth"):
        sessions.append(
            w.new_session(
                ws,
                community="Dallas",
                date="2026-11-25",
                facilitator="A. Pop",
                group=group,
                consent_scope="share_with_planners",
                author="test",
                location=(23.684, 46.770),
            ).session_id
        )
    a, b = sessions
    a_marks = pd.concat([_marks(A_POINTS, 0.000123457, "A-secret"), _bulk(N_BULK)])
    w.add_marks(ws, a, gpd.GeoDataFrame(a_marks, crs="EPSG:4326"), author="test")
    w.add_marks(ws, b, _marks(B_POINTS, 0.00412347, "B-kept"), author="test")
    w.add_paths(ws, a, _path(0.000345679), author="test", connect_m=0)
    w.add_paths(ws, b, _path(0.00323457), author="test", connect_m=0)
    for layer in MARKS:  # an edit that keeps every mark: one more version holding A
        ws.write(layer, ws.read(layer), author="test", message="checked")
    return path, a, b


@pytest.fixture()
def ws(template: tuple[Path, str, str], tmp_path: Path) -> Workspace:
    copy = tmp_path / "ws.gpkg"
    shutil.copy(template[0], copy)
    return Workspace(copy)


@pytest.fixture()
def a(template: tuple[Path, str, str]) -> str:
    return template[1]


@pytest.fixture()
def b(template: tuple[Path, str, str]) -> str:
    return template[2]


def _of(frame: gpd.GeoDataFrame, sid: str) -> gpd.GeoDataFrame:
    if "session_id" in frame.columns:
        hit = frame["session_id"] == sid
    else:  # roads: the session is named in the source
        hit = frame["source"].fillna("").str.startswith(f"workshop {sid},")
    return frame[hit.to_numpy(bool)]


def _coords(frames: list[gpd.GeoDataFrame]) -> set[float]:
    """Every x and y of every vertex of the frames' geometries."""
    out: set[float] = set()
    for f in frames:
        xy = shapely.get_coordinates(f.geometry.values)
        out.update(float(v) for v in xy.ravel())
    return out


def _session_coords(ws: Workspace, sid: str) -> set[float]:
    return _coords([_of(ws.read(n), sid) for n in (*MARKS, "roads")])


def _found_in_file(path: Path, values: set[float]) -> set[float]:
    """Values present in the raw file as a little- or big-endian double or as text."""
    data = path.read_bytes()
    return {
        v
        for v in values
        if struct.pack("<d", v) in data or struct.pack(">d", v) in data or repr(v).encode() in data
    }


def _found_in_history(path: Path, values: set[float]) -> set[float]:
    """Values present in the decompressed content of any stored version (WKB or text)."""
    found: set[float] = set()
    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT format, content FROM pata_history").fetchall()
    for fmt, content in rows:
        assert fmt == "geoparquet"  # the encoding this test knows how to open
        table = pq.read_table(io.BytesIO(content))
        wkb = b"".join(v for v in table.column("geometry").to_pylist() if v is not None)
        meta = b"".join(table.schema.metadata.values())
        for v in values:
            if struct.pack("<d", v) in wkb or repr(v).encode() in meta:
                found.add(v)
    return found


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_erase_leaves_no_row_of_the_session_in_any_version(ws: Workspace, a: str, b: str):
    before_versions = {n: len(ws.history(n)) for n in ws.layer_names()}
    b_before = {
        (n, int(v)): _of(ws.read(n, version=int(v)), b).drop(columns="fid", errors="ignore")
        for n in (*MARKS, "roads")
        for v in ws.history(n)["version"]
    }
    assert len(_of(ws.read("risk_marks"), a)) == 2 + N_BULK  # the test starts with A's marks stored

    done = erasure.erase_session_marks(ws, a, author="A. Pop", reason="asked by the group")

    # 2 points, 1 path, 1 area, 1 community path; each in versions 2, 3 and 4 of
    # its mark layer (roads: version 2 only)
    assert dict(done) == {"risk_marks": 2 + N_BULK, "risk_paths": 1, "risk_areas": 1, "roads": 1}
    assert done.history_rows == {
        "risk_marks": 3 * (2 + N_BULK),
        "risk_paths": 3,
        "risk_areas": 3,
        "roads": 2,
    }
    assert done.versions_rewritten["risk_marks"] == [2, 3, 4]
    for name in ws.layer_names():
        grew = 1 if name in (*MARKS, "roads", w.SESSIONS_LAYER) else 0
        assert len(ws.history(name)) == before_versions[name] + grew, name
    for name in (*MARKS, "roads"):
        hist = ws.history(name)
        assert hist["action"].iloc[-1] == "erase"
        for v, n in zip(hist["version"], hist["n_features"], strict=True):
            old = ws.read(name, version=int(v))
            assert len(old) == n
            assert _of(old, a).empty, (name, v)
            kept = _of(old, b).drop(columns="fid", errors="ignore")
            if (name, int(v)) in b_before:  # B is intact in every earlier version
                want = b_before[(name, int(v))]
                assert kept.reset_index(drop=True).equals(want.reset_index(drop=True))
        assert _of(ws.read(name), a).empty
    assert len(_of(ws.read("risk_marks"), b)) == 2
    session = w.get_session(ws, a)
    assert session.consent_scope == "none"
    assert session.notes.startswith("marks erased on ") and "asked by the group" in session.notes
    assert w.get_session(ws, b).consent_scope == "share_with_planners"


def test_the_file_bytes_no_longer_hold_the_erased_coordinates(ws: Workspace, a: str, b: str):
    a_xy = _session_coords(ws, a)
    b_xy = _session_coords(ws, b)
    assert len(a_xy) >= 10 and not a_xy & b_xy
    # the searches find the marks before the erasure (so they can fail)
    assert _found_in_file(ws.path, a_xy) == a_xy
    assert _found_in_history(ws.path, a_xy) == a_xy
    assert b"A-secret" in ws.path.read_bytes()

    erasure.erase_session_marks(ws, a, author="A. Pop", reason="asked by the group")

    assert _found_in_file(ws.path, a_xy) == set()
    assert _found_in_history(ws.path, a_xy) == set()
    assert b"A-secret" not in ws.path.read_bytes()
    # B's marks are still found the same ways
    assert _found_in_file(ws.path, b_xy) == b_xy
    assert _found_in_history(ws.path, b_xy) == b_xy
    assert b"B-kept" in ws.path.read_bytes()


def test_pages_freed_by_another_program_are_wiped(ws: Workspace, a: str, b: str):
    """A program editing in place without ``secure_delete`` (QGIS, an older SQLite)
    leaves the old rows in free pages; the copy taken for saving keeps them, so
    only rebuilding the file (VACUUM) removes them."""
    with sqlite3.connect(ws.path) as con:
        con.execute("PRAGMA secure_delete = OFF")
        con.execute("CREATE TABLE scratch AS SELECT * FROM risk_marks")
        con.execute("DROP TABLE scratch")
        assert con.execute("PRAGMA freelist_count").fetchone()[0] > 0
    a_xy = _session_coords(ws, a)
    erasure.erase_session_marks(ws, a, author="A. Pop", reason="asked by the group")
    data = ws.path.read_bytes()
    assert b"A-secret" not in data
    assert _found_in_file(ws.path, a_xy) == set()
    with sqlite3.connect(ws.path) as con:
        assert con.execute("PRAGMA freelist_count").fetchone()[0] == 0


@pytest.mark.parametrize("where", ["before the replace", "midway through the history"])
def test_a_crash_leaves_the_workspace_byte_identical(
    ws: Workspace, a: str, where: str, monkeypatch: pytest.MonkeyPatch
):
    sha = _sha(ws.path)

    def crash(*_args: object, **_kw: object) -> None:
        raise RuntimeError("killed")

    if where == "before the replace":
        monkeypatch.setattr(Workspace, "_finish", crash)
    else:
        real = workspace_mod._encode
        calls = []

        def encode_then_crash(frame: gpd.GeoDataFrame) -> tuple[str, bytes]:
            calls.append(1)
            if len(calls) == 3:
                crash()
            return real(frame)

        monkeypatch.setattr(workspace_mod, "_encode", encode_then_crash)
    with pytest.raises(RuntimeError, match="killed"):
        erasure.erase_session_marks(ws, a, author="A. Pop", reason="asked by the group")
    assert _sha(ws.path) == sha
    assert not list(ws.path.parent.glob(".*.tmp.gpkg*"))
    monkeypatch.undo()
    assert len(_of(ws.read("risk_marks"), a)) == 2 + N_BULK
    again = erasure.erase_session_marks(ws, a, author="A. Pop", reason="again")
    assert again["risk_marks"] == 2 + N_BULK


def _numbers(text: str) -> set[float]:
    return {float(n) for n in re.findall(r"-?\d+\.\d+", text)}


def test_audit_records_say_who_erased_what_without_coordinates(ws: Workspace, a: str):
    a_xy = _session_coords(ws, a)
    erasure.erase_session_marks(ws, a, author="A. Pop", reason="asked by the group")
    log = ws.audit_log()
    erased = log[log["source"] == "erase"]
    assert dict(zip(erased["layer"], erased["n_features"], strict=True)) == {
        "risk_marks": 2 + N_BULK,
        "risk_paths": 1,
        "risk_areas": 1,
        "roads": 1,
    }
    assert set(erased["who"]) == {"A. Pop"}
    assert set(erased["level"]) == {"none"}
    for params in erased["params"]:
        assert params["session_id"] == a
        assert params["action"] == "erase"
        assert "asked by the group" in params["reason"]
    texts = [str(r) for r in ws.audit_records()]
    texts += [str(m) for n in (*MARKS, "roads") for m in ws.history(n)["message"]]
    rounded = {round(v, 4) for v in a_xy}
    for text in texts:
        assert not {round(v, 4) for v in _numbers(text)} & rounded, text


def test_exports_made_since_the_session_are_listed_to_follow_up(ws: Workspace, a: str):
    import datetime as dt

    def export(layer: str, day: str) -> None:
        ws.record_audit(
            privacy.audit_record(
                who="planner X",
                role="planner",
                layer=layer,
                level="masked",
                n_features=7,
                destination=f"/tmp/{layer}-{day}.gpkg",
                when=dt.datetime.fromisoformat(f"{day}T10:00:00+00:00"),
            )
        )

    export("risk_marks", "2026-11-20")  # before the workshop: cannot hold its marks
    export("risk_marks", "2026-11-26")
    export("hotspots(risk marks)", "2026-11-27")
    export("schools", "2026-11-27")  # not made from the marks
    done = erasure.erase_session_marks(ws, a, author="A. Pop", reason="asked by the group")
    assert [(e["layer"], e["destination"]) for e in done.exports] == [
        ("risk_marks", "/tmp/risk_marks-2026-11-26.gpkg"),
        ("hotspots(risk marks)", "/tmp/hotspots(risk marks)-2026-11-27.gpkg"),
    ]
    text = done.summary("en")
    assert "/tmp/risk_marks-2026-11-26.gpkg" in text and "2026-11-20" not in text
    assert "Exports made since 2026-11-25" in text
    assert "Exporturi făcute din 2026-11-25" in done.summary("ro")
    assert "2026-11-25 óta készült exportok" in done.summary("hu")


def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    p = subprocess.run(
        [sys.executable, "-m", "pata_gis.cli", *argv],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )
    return p.returncode, p.stdout, p.stderr


def test_cli_erase(ws: Workspace, a: str, b: str):
    sha = _sha(ws.path)
    base = ("-w", str(ws.path), "workshop", "erase", a, "--who", "A. Pop", "--reason", "asked")
    code, out, _ = run(*base, "--lang", "en", stdin="no\n")
    assert code == 1 and "Type 'yes'" in out
    assert _sha(ws.path) == sha  # not confirmed: nothing changed
    code, out, err = run(*base, "--lang", "en", "--yes")
    assert code == 0, err
    assert f"Session {a}: {5 + N_BULK} marks erased" in out
    assert f"(risk_marks {2 + N_BULK}, risk_paths 1, risk_areas 1, roads 1)" in out
    ws = Workspace(ws.path)
    assert all(_of(ws.read(n), a).empty for n in (*MARKS, "roads"))
    assert len(_of(ws.read("risk_marks"), b)) == 2


def test_unknown_session_is_refused(ws: Workspace):
    sha = _sha(ws.path)
    with pytest.raises(InputError, match="no workshop session 'DAL-20261125-07'"):
        erasure.erase_session_marks(ws, "DAL-20261125-07", author="A. Pop", reason="asked")
    code, _, err = run(
        "-w", str(ws.path), "workshop", "erase", "RAM-20261125-01", "--who", "A",
        "--reason", "asked", "--yes",
    )  # fmt: skip
    assert code == 1 and "no workshop session" in err
    assert _sha(ws.path) == sha


def test_empty_reason_or_author_is_refused(ws: Workspace, a: str):
    sha = _sha(ws.path)
    with pytest.raises(InputError, match="reason"):
        erasure.erase_session_marks(ws, a, author="A. Pop", reason="  ")
    with pytest.raises(InputError, match="author"):
        erasure.erase_session_marks(ws, a, author="", reason="asked")
    assert _sha(ws.path) == sha


def test_erase_single_marks(ws: Workspace, a: str):
    marks = ws.read("risk_marks")
    first = int(((marks["session_id"] == a) & (marks["note"] == "A-secret 0")).to_numpy().argmax())
    done = erasure.erase_marks(ws, "risk_marks", [first], author="A. Pop", reason="this one")
    assert dict(done) == {"risk_marks": 1}
    assert done.history_rows == {"risk_marks": 3}  # versions 2, 3 and 4
    for v in ws.history("risk_marks")["version"]:
        notes = set(ws.read("risk_marks", version=int(v))["note"])
        assert "A-secret 0" not in notes
    notes = _of(ws.read("risk_marks"), a)["note"]
    assert len(notes) == 1 + N_BULK and "A-secret 1" in set(notes)
    assert len(ws.read("risk_paths")) == 2  # other layers untouched
    with pytest.raises(InputError, match=rf"rows 0\.\.{2 + N_BULK}"):
        erasure.erase_marks(ws, "risk_marks", [10_000], author="A. Pop", reason="x")
    with pytest.raises(InputError, match="not a mark layer"):
        erasure.erase_marks(ws, "roads", [0], author="A. Pop", reason="x")


def test_purge_rows_refuses_a_predicate_of_the_wrong_length(ws: Workspace):
    sha = _sha(ws.path)
    with pytest.raises(InputError, match="one True/False per row"):
        ws.purge_rows({"risk_marks": lambda f: [True]}, author="t", reason="test")
    with pytest.raises(InputError, match="reason"):
        ws.purge_rows({"risk_marks": lambda f: f["severity"] > 3}, author="t", reason="")
    assert _sha(ws.path) == sha
