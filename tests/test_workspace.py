"""Tests of the workspace: GeoPackage layout, history, imports, atomic and concurrent saves."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from pata_gis import workspace as wsmod
from pata_gis._errors import InputError, ValidationError, WorkspaceError
from pata_gis.specs import load_catalogue
from pata_gis.workspace import Workspace, open_or_create

REPO = Path(__file__).resolve().parents[1]
WRITER = REPO / "tests" / "helpers" / "ws_writer.py"
REAL_CATALOGUE = REPO / "layers"

SETTLEMENTS_TOML = """
name = "settlements"
geometry = "polygon"
sensitivity = "public"
bundled = "settlements.geojson"
[title]
ro = "Comunități"
en = "Communities"
[source]
name = "test digitisation"
[fields.name]
type = "str"
required = true
[fields.households]
type = "int"
min = 0
"""

MARKS_TOML = """
name = "marks"
geometry = "point"
sensitivity = "confidential"
[title]
ro = "Semne de risc"
en = "Risk marks"
[fields.kind]
type = "str"
required = true
[fields.gen]
type = "int"
[fields.night]
type = "bool"
[fields.seen]
type = "date"
"""

SETTLEMENTS_GEOJSON = """{"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"name": "Cantonului", "households": 40, "source": "t",
 "accuracy_m": 200}, "geometry": {"type": "Polygon", "coordinates":
 [[[23.690, 46.780], [23.695, 46.780], [23.695, 46.783], [23.690, 46.780]]]}},
{"type": "Feature", "properties": {"name": "Dallas", "households": null, "source": "t",
 "accuracy_m": 200}, "geometry": {"type": "Polygon", "coordinates":
 [[[23.680, 46.770], [23.685, 46.770], [23.685, 46.773], [23.680, 46.770]]]}},
{"type": "Feature", "properties": {"name": "Rampa", "households": 12, "source": "t",
 "accuracy_m": 300}, "geometry": {"type": "Polygon", "coordinates":
 [[[23.670, 46.760], [23.675, 46.760], [23.675, 46.763], [23.670, 46.760]]]}}
]}
"""


# --------------------------------------------------------------------------- fixtures


@pytest.fixture()
def catalogue(tmp_path: Path) -> Path:
    """A two-layer catalogue: bundled settlements, empty confidential marks."""
    d = tmp_path / "catalogue"
    d.mkdir()
    (d / "settlements.toml").write_text(SETTLEMENTS_TOML, encoding="utf-8")
    (d / "marks.toml").write_text(MARKS_TOML, encoding="utf-8")
    (d / "settlements.geojson").write_text(SETTLEMENTS_GEOJSON, encoding="utf-8")
    return d


@pytest.fixture()
def ws(tmp_path: Path, catalogue: Path) -> Workspace:
    return Workspace.create(tmp_path / "ws.gpkg", catalogue_dir=catalogue)


def marks(n: int, *, seed: int = 0, prefix: str = "m") -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    return gpd.GeoDataFrame(
        {
            "kind": [f"{prefix}{i}" for i in range(n)],
            "gen": np.arange(n),
            "night": [bool(i % 2) for i in range(n)],
            "seen": ["2026-11-20"] * n,
            "source": "workshop",
            "accuracy_m": 10.0,
        },
        geometry=shapely.points(23.66 + rng.random(n) * 0.05, 46.75 + rng.random(n) * 0.05),
        crs="EPSG:4326",
    )


def snapshot(w: Workspace) -> dict[str, object]:
    """Everything observable: every layer, every history, every stored version."""
    out: dict[str, object] = {}
    for name in w.layer_names():
        out[name] = w.read(name)
        hist = w.history(name)
        out[f"{name}/history"] = hist
        for v in hist["version"]:
            out[f"{name}/v{v}"] = w.read(name, version=int(v))
    return out


def assert_same(a: dict[str, object], b: dict[str, object]) -> None:
    assert a.keys() == b.keys()
    for key, va in a.items():
        vb = b[key]
        if isinstance(va, gpd.GeoDataFrame):
            assert isinstance(vb, gpd.GeoDataFrame)
            assert_geodataframe_equal(va, vb)
        else:
            assert isinstance(va, pd.DataFrame) and isinstance(vb, pd.DataFrame)
            pd.testing.assert_frame_equal(va, vb)


def env() -> dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = str(REPO) + os.pathsep + e.get("PYTHONPATH", "")
    return e


# --------------------------------------------------------------------------- create


def test_create_from_catalogue(tmp_path: Path, catalogue: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    path = tmp_path / "sub" / "ws.gpkg"
    w = Workspace.create(path, catalogue_dir=catalogue, progress=lambda *a: calls.append(a))
    assert w.path == path
    assert w.layer_names() == ["marks", "settlements"]
    assert [c[1:] for c in calls] == [(1, 2), (2, 2)]
    # counts equal the bundled file
    bundled = gpd.read_file(catalogue / "settlements.geojson")
    s = w.read("settlements")
    assert len(s) == len(bundled) == 3
    assert s.crs.to_epsg() == 4326
    assert list(s["name"]) == ["Cantonului", "Dallas", "Rampa"]
    assert str(s["households"].dtype) == "Int64"
    assert s["households"].isna().tolist() == [False, True, False]
    # the empty confidential layer exists with its fields and geometry type
    m = w.read("marks")
    assert len(m) == 0
    assert list(m.columns) == ["kind", "gen", "night", "seen", "source", "accuracy_m", "geometry"]
    info = pyogrio.read_info(path, layer="marks")
    assert info["geometry_type"] == "Point"
    assert list(info["fields"]) == ["kind", "gen", "night", "seen", "source", "accuracy_m"]
    assert w.spec("marks").sensitivity == "confidential"
    # plain GeoPackage readers see the layers
    listed = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert listed["settlements"] == "Polygon"
    assert listed["marks"] == "Point"
    plain = gpd.read_file(path, layer="settlements")
    assert len(plain) == 3 and plain.crs.to_epsg() == 4326
    with sqlite3.connect(path) as con:
        (app_id,) = con.execute("PRAGMA application_id").fetchone()
        assert app_id == 0x47504B47  # "GPKG"
        (ok,) = con.execute("PRAGMA integrity_check").fetchone()
        assert ok == "ok"
    # history and import log of the starter data
    h = w.history("settlements")
    assert h["version"].tolist() == [1]
    assert h["action"].tolist() == ["init"]
    assert h["n_features"].tolist() == [3]
    assert w.history("marks")["n_features"].tolist() == [0]
    log = w.import_log()
    assert log["layer"].tolist() == ["settlements"]
    assert log["outcome"].tolist() == ["ok"]
    # info
    info_df = w.info()
    assert info_df["name"].tolist() == ["marks", "settlements"]
    row = info_df.set_index("name").loc["settlements"]
    assert row["n_features"] == 3 and row["version"] == 1
    assert row["title_en"] == "Communities" and row["source"] == "test digitisation"
    assert info_df.set_index("name").loc["marks", "sensitivity"] == "confidential"
    assert str(info_df["updated_at"].dt.tz) == "UTC"


def test_specs_are_remembered(ws: Workspace, catalogue: Path, tmp_path: Path) -> None:
    original = load_catalogue(catalogue)
    # the workspace keeps working after the catalogue folder is gone
    for p in catalogue.iterdir():
        p.unlink()
    catalogue.rmdir()
    reopened = Workspace(ws.path)
    for name, spec in reopened.specs().items():
        assert spec.fields == original[name].fields
        assert spec.title == original[name].title
        assert spec.geometry == original[name].geometry
        assert spec.sensitivity == original[name].sensitivity
    with pytest.raises(WorkspaceError, match="marks, settlements"):
        reopened.spec("nope")


def test_create_refuses_to_overwrite(ws: Workspace, catalogue: Path) -> None:
    ws.append("marks", marks(2))
    with pytest.raises(WorkspaceError, match="overwrite=True"):
        Workspace.create(ws.path, catalogue_dir=catalogue)
    assert len(ws.read("marks")) == 2
    fresh = Workspace.create(ws.path, catalogue_dir=catalogue, overwrite=True, starter=False)
    assert len(fresh.read("marks")) == 0
    assert len(fresh.read("settlements")) == 0
    assert fresh.history("marks")["version"].tolist() == [1]


def test_odd_folder_names(tmp_path: Path, catalogue: Path) -> None:
    folder = tmp_path / "Pata Rât 100% #1?"
    w = Workspace.create(folder / "atelier ș.gpkg", catalogue_dir=catalogue)
    w.append("marks", marks(2))
    assert len(Workspace(w.path).read("marks", version=2)) == 2
    assert w.history("marks")["version"].tolist() == [1, 2]


def test_open_or_create(tmp_path: Path, catalogue: Path) -> None:
    path = tmp_path / "w.gpkg"
    a = open_or_create(path, catalogue_dir=catalogue)
    a.append("marks", marks(3))
    b = open_or_create(path, catalogue_dir=catalogue)
    assert len(b.read("marks")) == 3


def test_create_from_real_catalogue(tmp_path: Path) -> None:
    cat = load_catalogue(REAL_CATALOGUE)
    if not cat:
        pytest.skip("layers/ holds no specs yet")
    w = Workspace.create(tmp_path / "real.gpkg", catalogue_dir=REAL_CATALOGUE)
    assert w.layer_names() == list(cat)
    listed = dict(pyogrio.list_layers(w.path))
    for name, spec in cat.items():
        df = w.read(name)
        assert listed[name] is not None
        if spec.bundled is not None:
            assert len(df) == len(gpd.read_file(spec.bundled)), name
        else:
            assert len(df) == 0
        assert [c for c in df.columns if c != "geometry"][: len(spec.fields)] == spec.field_names


# --------------------------------------------------------------------------- history


def test_write_history_restore(ws: Workspace) -> None:
    v1 = ws.read("settlements")
    changed = v1.copy()
    changed.loc[0, "households"] = 45
    changed = changed.iloc[:2]
    assert ws.write("settlements", changed, author="ana", message="fix count") == 2
    h = ws.history("settlements")
    assert h["version"].tolist() == [1, 2]
    assert h["action"].tolist() == ["init", "edit"]
    assert h.loc[1, "author"] == "ana" and h.loc[1, "message"] == "fix count"
    assert h["n_features"].tolist() == [3, 2]
    assert str(h["saved_at"].dt.tz) == "UTC"
    assert h["saved_at"].is_monotonic_increasing
    current = ws.read("settlements")
    assert current["households"].tolist()[0] == 45
    assert_geodataframe_equal(ws.read("settlements", version=2), current)
    assert_geodataframe_equal(ws.read("settlements", version=1), v1)
    assert ws.restore("settlements", 1, author="ana") == 3
    assert_geodataframe_equal(ws.read("settlements"), v1)
    assert_geodataframe_equal(ws.read("settlements", version=3), v1)
    h = ws.history("settlements")
    assert h["version"].tolist() == [1, 2, 3]
    assert h["action"].tolist() == ["init", "edit", "restore"]
    with pytest.raises(WorkspaceError, match=r"versions are 1\.\.3"):
        ws.read("settlements", version=9)


def test_write_validates_and_types(ws: Workspace) -> None:
    drawn = marks(4)
    drawn["night"] = ["da", "nu", "yes", None]
    v = ws.write("marks", drawn.to_crs("EPSG:3844"))
    assert v == 2
    m = ws.read("marks")
    assert m.crs.to_epsg() == 4326
    assert m["night"].tolist()[:3] == [True, False, True] and pd.isna(m["night"].iloc[3])
    assert str(m["night"].dtype) == "boolean" and str(m["gen"].dtype) == "Int64"
    np.testing.assert_allclose(m.geometry.x, marks(4).geometry.x, atol=1e-7)
    lines = gpd.GeoDataFrame(
        marks(1).drop(columns="geometry"),
        geometry=[shapely.LineString([(23.66, 46.75), (23.67, 46.76)])],
        crs="EPSG:4326",
    )
    with pytest.raises(ValidationError):
        ws.write("marks", lines)
    assert ws.history("marks")["version"].tolist() == [1, 2]
    with pytest.raises(InputError, match="no CRS"):
        ws.write("marks", marks(1).set_crs(None, allow_override=True), validate=False)
    with pytest.raises(WorkspaceError, match="no layer 'nope'"):
        ws.write("nope", marks(1))


def test_append_and_empty_write(ws: Workspace) -> None:
    assert ws.append("marks", marks(3)) == 2
    assert ws.append("marks", marks(2, seed=1, prefix="x")) == 3
    m = ws.read("marks")
    assert m["kind"].tolist() == ["m0", "m1", "m2", "x0", "x1"]
    assert ws.history("marks")["action"].tolist() == ["init", "append", "append"]
    # clearing a layer keeps its schema
    assert ws.write("marks", ws.read("marks").iloc[:0]) == 4
    empty = ws.read("marks")
    assert len(empty) == 0 and "kind" in empty.columns
    assert pyogrio.read_info(ws.path, layer="marks")["geometry_type"] == "Point"
    assert_geodataframe_equal(ws.read("marks", version=1), empty)


def test_reserved_column_names(ws: Workspace) -> None:
    drawn = marks(2).assign(FID=[7, 7], geom=["a", "b"])
    ws.append("marks", drawn)
    ws.append("marks", drawn.assign(kind=["p", "q"], FID=[8, 9]))
    m = ws.read("marks")
    assert m["FID_orig"].tolist() == [7, 7, 8, 9]
    assert m["geom_orig"].tolist() == ["a", "b", "a", "b"]
    assert [c for c in m.columns if c.lower().startswith(("fid", "geom"))] == [
        "FID_orig",
        "geom_orig",
        "geometry",
    ]


def test_mixed_single_and_multi_parts(ws: Workspace) -> None:
    s = ws.read("settlements")
    multi = shapely.MultiPolygon([s.geometry.iloc[0], s.geometry.iloc[2]])
    s.loc[1, "geometry"] = multi
    ws.write("settlements", s)
    back = ws.read("settlements")
    assert set(back.geom_type) == {"MultiPolygon"}
    assert back.geometry.iloc[1].equals(multi)
    assert_geodataframe_equal(ws.read("settlements", version=2), back)


def test_history_fallback_format(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wsmod, "_has_pyarrow", lambda: False)
    ws.append("marks", marks(5))
    with sqlite3.connect(ws.path) as con:
        fmts = [r[0] for r in con.execute("SELECT format FROM pata_history WHERE layer='marks'")]
    assert fmts == ["geoparquet", "gpkg+zlib"]
    assert_geodataframe_equal(ws.read("marks", version=2), ws.read("marks"))


# --------------------------------------------------------------------------- imports


def test_import_file(ws: Workspace, tmp_path: Path) -> None:
    src = tmp_path / "drawn.geojson"
    marks(6).to_file(src, driver="GeoJSON")
    report = ws.import_file(src, layer="marks", author="facilitator")
    assert report.n_out == 6
    assert len(ws.read("marks")) == 6
    report = ws.import_file(src, layer="marks", mode="append")
    assert len(ws.read("marks")) == 12
    h = ws.history("marks")
    assert h["action"].tolist() == ["init", "import", "import"]
    log = ws.import_log()
    assert log["outcome"].tolist() == ["ok", "ok", "ok"]
    assert log["mode"].tolist()[-2:] == ["replace", "append"]
    assert log["n_features"].tolist()[-2:] == [6, 6]
    assert "drawn.geojson" in log["report"].iloc[-1]
    # a file without provenance fields takes them from `defaults`
    bare = tmp_path / "bare.geojson"
    marks(2).drop(columns=["source", "accuracy_m"]).to_file(bare, driver="GeoJSON")
    steps: list[tuple[str, int, int]] = []
    ws.import_file(
        bare,
        layer="marks",
        defaults={"source": "workshop Dallas", "accuracy_m": 25},
        progress=lambda *a: steps.append(a),
    )
    assert [s[1:] for s in steps] == [(1, 3), (2, 3), (3, 3)]
    m = ws.read("marks")
    assert m["source"].tolist() == ["workshop Dallas"] * 2
    assert m["accuracy_m"].tolist() == [25.0, 25.0]


def test_refused_import_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    ws.append("marks", marks(4))
    before = snapshot(ws)
    raw_before = ws.path.read_bytes()
    n_log = len(ws.import_log())

    broken = tmp_path / "broken.geojson"
    text = marks(3).to_json()
    broken.write_text(text[: len(text) // 2], encoding="utf-8")  # truncated
    with pytest.raises(InputError):
        ws.import_file(broken, layer="marks")
    assert_same(before, snapshot(Workspace(ws.path)))

    wrong = tmp_path / "lines.geojson"
    gpd.GeoDataFrame(
        {"kind": ["a"], "source": ["s"], "accuracy_m": [1.0]},
        geometry=[shapely.LineString([(23.66, 46.75), (23.67, 46.76)])],
        crs="EPSG:4326",
    ).to_file(wrong, driver="GeoJSON")
    with pytest.raises(ValidationError):
        ws.import_file(wrong, layer="marks", mode="append")
    assert_same(before, snapshot(Workspace(ws.path)))

    log = ws.import_log()
    assert len(log) == n_log + 2
    refused = log.iloc[-2:]
    assert refused["outcome"].tolist() == ["refused", "refused"]
    assert refused["file"].tolist() == [str(broken), str(wrong)]
    assert refused["n_features"].isna().all()
    assert "broken.geojson" in refused["report"].iloc[0]
    assert ws.path.read_bytes() != raw_before  # only the log changed


# --------------------------------------------------------------------------- opening


def test_open_errors(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match=r"no such workspace file.*Workspace\.create"):
        Workspace(tmp_path / "missing.gpkg")
    text = tmp_path / "notes.gpkg"
    text.write_text("this is not a database\n", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="not a GeoPackage"):
        Workspace(text)
    with pytest.raises(WorkspaceError, match="folder"):
        Workspace(tmp_path)
    plain = tmp_path / "plain.gpkg"
    marks(2).to_file(plain, layer="x", driver="GPKG")
    with pytest.raises(WorkspaceError, match="not a pata-gis workspace"):
        Workspace(plain)
    db = tmp_path / "other.gpkg"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE t (a)")
    with pytest.raises(WorkspaceError, match="not a GeoPackage"):
        Workspace(db)


def test_save_keeps_permissions_and_symlinks(ws: Workspace, tmp_path: Path) -> None:
    ws.path.chmod(0o600)
    link = tmp_path / "link.gpkg"
    link.symlink_to(ws.path)
    Workspace(link).append("marks", marks(1))
    assert link.is_symlink()
    assert (ws.path.stat().st_mode & 0o777) == 0o600
    assert len(ws.read("marks")) == 1


def test_threads_share_the_lock(ws: Workspace) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def work(t: int) -> list[int]:
        w = Workspace(ws.path)
        return [w.append("marks", marks(3, seed=t * 10 + r, prefix=f"t{t}r{r}-")) for r in range(4)]

    with ThreadPoolExecutor(3) as pool:
        versions = sorted(v for vs in pool.map(work, range(3)) for v in vs)
    assert versions == list(range(2, 14))
    assert len(ws.read("marks")) == 36


def test_lock_timeout(ws: Workspace) -> None:
    import fcntl

    lock = ws.path.with_name(ws.path.name + ".lock")
    with lock.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        impatient = Workspace(ws.path, lock_timeout=0.2)
        t0 = time.monotonic()
        with pytest.raises(WorkspaceError, match="another process"):
            impatient.append("marks", marks(1))
        assert time.monotonic() - t0 < 2
    assert impatient.append("marks", marks(1)) == 2


def test_stale_temp_removed_on_open(ws: Workspace) -> None:
    stale = ws.path.with_name(f".{ws.path.name}.99999-deadbeef.tmp.gpkg")
    stale.write_bytes(ws.path.read_bytes()[:5000])
    journal = stale.with_name(stale.name + "-journal")
    journal.write_bytes(b"x")
    Workspace(ws.path)
    assert not stale.exists() and not journal.exists()


# --------------------------------------------------------------------------- kill test


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            return line.strip()
        if proc.poll() is not None:
            break
    err = proc.stderr.read() if proc.stderr else ""
    raise AssertionError(f"writer gave no output: {err}")


@pytest.mark.slow
def test_killed_writer_leaves_a_complete_workspace(ws: Workspace) -> None:
    n = 20_000
    ws.write("marks", _big(n, gen=0), validate=False, message="gen 0")
    rng = random.Random(20261125)
    delays = [rng.uniform(0.0, 0.6) for _ in range(8)]
    stale_seen = reads = 0
    for k, delay in enumerate(delays):
        first_gen = 1000 * (k + 1)
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), "rewrite", str(ws.path), "marks", str(n), str(first_gen)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        try:
            assert _read_line(proc, 60).startswith("start")
            # readers never take the lock: while the writer saves, every read is complete
            end = time.monotonic() + delay
            while time.monotonic() < end:
                seen = ws.read("marks")
                assert len(seen) == n and seen["gen"].nunique() == 1
                reads += 1
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.communicate(timeout=10)  # reap it and close its pipes
        temps = list(ws.path.parent.glob(f".{ws.path.name}.*"))
        stale_seen += bool(temps)
        # the workspace opens, cleans up, and every layer reads completely
        w = Workspace(ws.path)
        assert not list(ws.path.parent.glob(f".{ws.path.name}.*"))
        listed = [name for name, _ in pyogrio.list_layers(ws.path)]
        assert not [x for x in listed if "tmp" in x]
        assert {"marks", "settlements"} <= set(listed)
        for name in w.layer_names():
            w.read(name)
        m = w.read("marks")
        assert len(m) == n
        gens = m["gen"].unique().tolist()
        assert len(gens) == 1, f"mixed generations after kill {k}: {gens[:5]}"
        assert m["kind"].tolist()[:2] == [f"g{gens[0]}-0", f"g{gens[0]}-1"]
        h = w.history("marks")
        assert h["version"].tolist() == list(range(1, len(h) + 1))
        assert h["message"].iloc[-1] == f"gen {gens[0]}"
        assert_geodataframe_equal(w.read("marks", version=int(h["version"].iloc[-1])), m)
        with sqlite3.connect(ws.path) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # the kills did land in the middle of saves
    print(f"kills mid-save: {stale_seen} of {len(delays)}; concurrent reads: {reads}")
    assert stale_seen >= 1


def _big(n: int, gen: int) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(gen)
    return gpd.GeoDataFrame(
        {
            "kind": [f"g{gen}-{i}" for i in range(n)],
            "gen": np.full(n, gen, dtype="int64"),
            "source": "kill test",
            "accuracy_m": 5.0,
        },
        geometry=shapely.points(23.66 + rng.random(n) * 0.06, 46.75 + rng.random(n) * 0.04),
        crs="EPSG:4326",
    )


# --------------------------------------------------------------------------- concurrency


@pytest.mark.slow
def test_concurrent_appends_lose_nothing(ws: Workspace, tmp_path: Path) -> None:
    workers, rounds, per = 4, 5, 20
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(WRITER),
                "append",
                str(ws.path),
                "marks",
                str(w),
                str(rounds),
                str(per),
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        for w in range(workers)
    ]
    try:
        for p in procs:
            assert _read_line(p, 60) == "ready"
        go.touch()
        outs = [p.communicate(timeout=60) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    m = ws.read("marks")
    expected = {f"w{w}-r{r}-{i}" for w in range(workers) for r in range(rounds) for i in range(per)}
    assert len(m) == workers * rounds * per
    assert set(m["kind"]) == expected
    h = ws.history("marks")
    assert h["version"].tolist() == list(range(1, workers * rounds + 2))
    assert h["n_features"].tolist() == [per * i for i in range(workers * rounds + 1)]
    assert sorted(h["author"].iloc[1:].value_counts().tolist()) == [rounds] * workers
    # every version holds the features of the one before plus 20
    prev: set[str] = set()
    for v in h["version"]:
        kinds = set(ws.read("marks", version=int(v))["kind"])
        assert prev <= kinds and len(kinds - prev) == (per if v > 1 else 0)
        prev = kinds


def test_new_workspace_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    import stat

    path = tmp_path / "private.gpkg"
    Workspace.create(path, starter=False)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_append_many_saves_all_layers_or_none(tmp_path: Path) -> None:
    from pata_gis._errors import ValidationError as _VE

    ws = Workspace.create(tmp_path / "many.gpkg", starter=False)
    pts = gpd.GeoDataFrame(
        {"name": ["a", "b"], "source": ["t", "t"], "accuracy_m": [5.0, 5.0]},
        geometry=gpd.points_from_xy([23.68, 23.69], [46.77, 46.78]),
        crs=4326,
    )
    versions = ws.append_many({"schools": pts, "kindergartens": pts.iloc[:1]})
    assert versions == {"schools": 2, "kindergartens": 2}
    assert len(ws.read("schools")) == 2 and len(ws.read("kindergartens")) == 1
    bad = pts.drop(columns=["source"])
    with pytest.raises(_VE):
        ws.append_many({"schools": pts, "kindergartens": bad})
    # nothing of the refused save reached either layer or its history
    assert len(ws.read("schools")) == 2 and len(ws.read("kindergartens")) == 1
    assert ws.history("schools")["version"].max() == 2
    assert ws.append_many({"schools": pts.iloc[:0]}) == {}


def test_add_missing_layers_upgrades_an_older_workspace(tmp_path: Path) -> None:
    import shutil

    from pata_gis import settings as _settings

    old_cat = tmp_path / "old_catalogue"
    old_cat.mkdir()
    for name in ("settlements", "landfill"):
        for suffix in (".toml", ".geojson"):
            src = _settings.catalogue_dir / f"{name}{suffix}"
            if src.exists():
                shutil.copy(src, old_cat / src.name)
    ws = Workspace.create(tmp_path / "old.gpkg", catalogue_dir=old_cat)
    assert ws.layer_names() == ["landfill", "settlements"]
    before = ws.read("settlements")
    added = ws.add_missing_layers()
    assert "risk_marks" in added and "schools" in added and "settlements" not in added
    ws2 = Workspace(ws.path)
    assert set(ws2.layer_names()) == {p.stem for p in _settings.catalogue_dir.glob("*.toml")}
    assert len(ws2.read("schools")) > 0  # starter data loaded
    assert ws2.history("schools")["action"].tolist() == ["init"]
    assert ws2.read("settlements").equals(before)
    assert ws2.add_missing_layers() == []


# --------------------------------------------------------------------------- scenarios


def _alloc(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["group", "site", "n_households"])


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_scenario_round_trip_in_a_new_workspace_object(ws: Workspace) -> None:
    alloc = _alloc([("Dallas", "Mărăști – ilustrativ", 8), ("Rampa", "Someșeni – ilustrativ", 12)])
    assert ws.save_scenario("Dallas „spread”", alloc, note="first go", author="ana") == 1
    other = Workspace(ws.path)
    got = other.read_scenario("Dallas „spread”")
    pd.testing.assert_frame_equal(got, alloc.astype({"n_households": "int64"}))
    assert got["group"].dtype == "str" and got["n_households"].dtype == "int64"
    listed = other.scenarios()
    assert listed["name"].tolist() == ["Dallas „spread”"]
    row = listed.iloc[0]
    assert (row["version"], row["author"], row["note"]) == (1, "ana", "first go")
    assert (row["n_rows"], row["n_households"]) == (2, 20)
    # whole numbers given as floats (a CSV column with a blank) come back as int64
    floats = _alloc([("Dallas", "S1", 3)]).astype({"n_households": "float64"})
    ws.save_scenario("floats", floats)
    assert other.read_scenario("floats")["n_households"].tolist() == [3]
    # an empty allocation (a scenario just named) round-trips too
    ws.save_scenario("empty", _alloc([]))
    empty = other.read_scenario("empty")
    assert list(empty.columns) == ["group", "site", "n_households"] and len(empty) == 0
    assert empty["n_households"].dtype == "int64"
    # surrounding spaces are not part of the name; extra columns are not stored
    ws.save_scenario("  padded ", alloc.assign(comment="x"))
    pd.testing.assert_frame_equal(other.read_scenario("padded"), alloc)
    assert other.scenarios()["name"].tolist() == ["Dallas „spread”", "floats", "empty", "padded"]
    # the layers are untouched by scenario saves
    assert other.history("settlements")["version"].tolist() == [1]


def test_scenario_versions_and_delete(ws: Workspace) -> None:
    a1 = _alloc([("Dallas", "S1", 5)])
    a2 = _alloc([("Dallas", "S1", 5), ("Rampa", "S2", 7)])
    assert ws.save_scenario("A", a1, author="ana") == 1
    assert ws.save_scenario("A", a2, author="ion", note="Rampa added") == 2
    ws.save_scenario("B", a1)
    pd.testing.assert_frame_equal(ws.read_scenario("A"), a2)
    pd.testing.assert_frame_equal(ws.read_scenario("A", version=1), a1)
    hist = ws.scenario_history("A")
    assert hist["version"].tolist() == [1, 2]
    assert hist["author"].tolist() == ["ana", "ion"]
    assert hist["n_households"].tolist() == [5, 12]
    listed = ws.scenarios().set_index("name")
    assert listed.loc["A", "version"] == 2 and listed.loc["A", "n_households"] == 12
    with pytest.raises(
        WorkspaceError, match=r"has no saved version 7; its saved versions are 1\.\.2"
    ):
        ws.read_scenario("A", version=7)

    assert ws.delete_scenario("A", author="ion") == 3
    assert ws.scenarios()["name"].tolist() == ["B"]
    with pytest.raises(WorkspaceError, match=r"'A' was deleted \(version 3.*versions 1..2"):
        ws.read_scenario("A")
    # nothing is erased: the saved versions still read back
    pd.testing.assert_frame_equal(Workspace(ws.path).read_scenario("A", version=2), a2)
    assert ws.scenario_history("A")["action"].tolist() == ["save", "save", "delete"]
    with pytest.raises(WorkspaceError, match="deleted already"):
        ws.delete_scenario("A")
    with pytest.raises(WorkspaceError, match=r"no saved scenario 'nope'.*'B'"):
        ws.delete_scenario("nope")
    with pytest.raises(
        WorkspaceError, match=r"no saved scenario 'nope'; the saved scenarios are: 'B'"
    ):
        ws.read_scenario("nope")
    # saving the name again brings it back with the next version number
    assert ws.save_scenario("A", a1) == 4
    assert ws.scenarios()["name"].tolist() == ["A", "B"]
    pd.testing.assert_frame_equal(ws.read_scenario("A"), a1)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "is empty"),
        ("   ", "is empty"),
        ("baseline", "reserved"),
        (" Baseline ", "reserved"),
        ("A - baseline", "reserved"),
        ("x" * 81, "has 81 characters, at most 80"),
        ("two\nlines", "line break"),
        (3, "must be text"),
    ],
)
def test_scenario_names_are_checked(ws: Workspace, name: object, message: str) -> None:
    with pytest.raises(InputError, match=message):
        ws.save_scenario(name, _alloc([("Dallas", "S1", 1)]))  # type: ignore[arg-type]
    assert ws.scenarios().empty
    assert "pata_scenarios" not in _tables(ws.path)
    assert ws.save_scenario("x" * 80, _alloc([])) == 1  # the longest name allowed


def test_scenario_allocation_is_checked(ws: Workspace) -> None:
    with pytest.raises(InputError, match=r"lacks the column\(s\) site; it needs group, site"):
        ws.save_scenario("A", pd.DataFrame({"group": ["Dallas"], "n_households": [2]}))
    bad = pd.DataFrame(
        {
            "group": ["Dallas", "Rampa", None, "Dallas"],
            "site": ["S1", "", "S2", "S3"],
            "n_households": [2, 3, 4, 2.5],
        }
    )
    with pytest.raises(InputError) as info:
        ws.save_scenario("A", bad)
    msg = str(info.value)
    assert "row 2: site is empty" in msg and "row 3: group is empty" in msg
    assert "row 4: n_households 2.5 must be a whole number >= 0" in msg
    assert "row 1" not in msg
    with pytest.raises(InputError, match="row 1: n_households -1"):
        ws.save_scenario("A", _alloc([("Dallas", "S1", -1)]))
    # rows dropped from a CSV table keep their numbers (index + 1 = the CSV data row)
    kept = _alloc([("Dallas", "S1", 1), ("Rampa", "", 0), ("Rampa", "", 4)]).iloc[[0, 2]]
    with pytest.raises(InputError, match="row 3: site is empty") as info:
        ws.save_scenario("A", kept)
    assert "row 2" not in str(info.value)
    with pytest.raises(InputError, match="must be a table"):
        ws.save_scenario("A", [("Dallas", "S1", 1)])  # type: ignore[arg-type]
    with pytest.raises(InputError, match="note: has 2001 characters"):
        ws.save_scenario("A", _alloc([]), note="n" * 2001)
    assert ws.scenarios().empty and "pata_scenarios" not in _tables(ws.path)


def test_older_workspace_gains_the_scenario_table_on_first_save(ws: Workspace) -> None:
    # a workspace made before scenarios were saved has no pata_scenarios table
    with sqlite3.connect(ws.path) as con:
        con.execute("DROP TABLE IF EXISTS pata_scenarios")
        con.execute("DELETE FROM gpkg_contents WHERE table_name = 'pata_scenarios'")
    assert "pata_scenarios" not in _tables(ws.path)
    before = ws.path.read_bytes()
    old = Workspace(ws.path)
    assert old.scenarios().empty
    assert list(old.scenarios().columns) == [
        "name", "version", "saved_at", "author", "note", "n_rows", "n_households",
    ]  # fmt: skip
    with pytest.raises(
        WorkspaceError, match="no saved scenario 'A'; the saved scenarios are: \\(none\\)"
    ):
        old.read_scenario("A")
    with pytest.raises(WorkspaceError, match="no saved scenario 'A'"):
        old.scenario_history("A")
    assert ws.path.read_bytes() == before  # reading does not write
    assert old.save_scenario("A", _alloc([("Dallas", "S1", 2)])) == 1
    assert "pata_scenarios" in _tables(ws.path)
    with sqlite3.connect(ws.path) as con:
        kind = con.execute(
            "SELECT data_type FROM gpkg_contents WHERE table_name = 'pata_scenarios'"
        ).fetchone()
    assert kind == ("attributes",)  # opens in QGIS as a plain table
    assert Workspace(ws.path).read_scenario("A")["n_households"].tolist() == [2]
    assert_geodataframe_equal(Workspace(ws.path).read("settlements"), ws.read("settlements"))


@pytest.mark.parametrize("first", [True, False])
def test_scenario_save_failing_midway_changes_nothing(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, first: bool
) -> None:
    if not first:
        ws.save_scenario("A", _alloc([("Dallas", "S1", 2)]))
    before = ws.path.read_bytes()
    calls: list[int] = []  # rows in the changed copy

    def broken_fsync(path: Path) -> None:  # the copy is complete, the rename never happens
        with sqlite3.connect(path) as con:
            (n,) = con.execute("SELECT COUNT(*) FROM pata_scenarios").fetchone()
        calls.append(n)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(wsmod, "_fsync_file", broken_fsync)
    with pytest.raises(OSError, match="No space left"):
        ws.save_scenario("A", _alloc([("Rampa", "S2", 9)]))
    with pytest.raises(OSError, match="No space left"):
        ws.delete_scenario("A") if not first else ws.save_scenario("B", _alloc([]))
    monkeypatch.undo()
    assert calls == ([1, 1] if first else [2, 2])
    # the changed copy held the new row (the failure came after it was written)...
    assert ws.path.read_bytes() == before
    assert not list(ws.path.parent.glob(f".{ws.path.name}.*"))
    # ...but the workspace is exactly as before
    if first:
        assert "pata_scenarios" not in _tables(ws.path) and ws.scenarios().empty
    else:
        assert ws.scenario_history("A")["version"].tolist() == [1]
        assert ws.read_scenario("A")["group"].tolist() == ["Dallas"]
    assert ws.save_scenario("A", _alloc([("Rampa", "S2", 9)])) == (1 if first else 2)


def test_concurrent_scenario_saves_get_distinct_versions(ws: Workspace) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def work(t: int) -> list[int]:
        w = Workspace(ws.path)
        return [w.save_scenario("A", _alloc([("Dallas", "S1", t * 10 + r)])) for r in range(3)]

    with ThreadPoolExecutor(3) as pool:
        versions = sorted(v for vs in pool.map(work, range(3)) for v in vs)
    assert versions == list(range(1, 10))
    hist = ws.scenario_history("A")
    assert sorted(hist["n_households"]) == [0, 1, 2, 10, 11, 12, 20, 21, 22]


# --------------------------------------------------------------------------- audit log
def _rec(who: str, layer: str = "marks", n: int = 3, when: str = "2026-05-04T10:00:00+00:00"):
    return {
        "when_utc": when,
        "who": who,
        "role": "public",
        "layer": layer,
        "sensitivity": "confidential",
        "level": "aggregated",
        "n_features": n,
        "destination": f"/tmp/{who}.geojson",
        "sha256": "ab" * 32,
        "params": {"k": 5, "cell_m": 250.0},
    }


def test_audit_records_land_in_the_table_and_travel_with_a_copy(
    ws: Workspace, tmp_path: Path
) -> None:
    import shutil

    assert ws.audit_log().empty and list(ws.audit_log().columns) == list(wsmod.AUDIT_COLUMNS)
    assert "pata_audit" not in _tables(ws.path)  # created on the first record
    ws.record_audit(_rec("ana", n=7))
    ws.record_audit(_rec("ion", layer="settlements", n=2))
    log = Workspace(ws.path).audit_log()  # reopened
    assert log["who"].tolist() == ["ana", "ion"]
    assert log["layer"].tolist() == ["marks", "settlements"]
    assert log["n_features"].tolist() == [7, 2]
    assert log["params"].iloc[0] == {"k": 5, "cell_m": 250.0}
    assert log["source"].tolist() == ["export", "export"]
    assert str(log["when_utc"].iloc[0]) == "2026-05-04 10:00:00+00:00"
    assert ws.audit_records()[0] == _rec("ana", n=7)
    # a copy of the file alone (e.g. on a USB stick) keeps the trail
    other = tmp_path / "stick"
    other.mkdir()
    shutil.copy(ws.path, other / "ws.gpkg")
    copied = Workspace(other / "ws.gpkg")
    assert copied.audit_records() == [_rec("ana", n=7), _rec("ion", layer="settlements", n=2)]
    # the layers still read, and the table is a GeoPackage attribute table
    assert len(copied.read("settlements")) == len(ws.read("settlements")) == 3
    assert "pata_audit" in set(pyogrio.list_layers(copied.path)[:, 0])


def test_audit_table_is_append_only(ws: Workspace) -> None:
    ws.record_audit(_rec("ana"))
    assert not any(hasattr(ws, m) for m in ("delete_audit", "update_audit", "clear_audit"))
    with sqlite3.connect(ws.path) as con:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM pata_audit")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("UPDATE pata_audit SET who = 'x'")
    con.close()
    assert ws.audit_log()["who"].tolist() == ["ana"]
    with pytest.raises(InputError, match="'who'"):
        ws.record_audit({**_rec("ana"), "who": " "})
    assert len(ws.audit_log()) == 1


def test_legacy_jsonl_is_imported_exactly_once_and_kept(tmp_path: Path, catalogue: Path) -> None:
    import json

    path = tmp_path / "old.gpkg"
    Workspace.create(path, catalogue_dir=catalogue)
    jsonl = tmp_path / "old.audit.jsonl"
    lines = [
        json.dumps(_rec("ana"), sort_keys=True),
        json.dumps(_rec("ana"), sort_keys=True),  # the same export twice: two records
        "{broken line",
        "",
        json.dumps(_rec("ion", n=4), sort_keys=True),
    ]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = jsonl.read_bytes()
    w = Workspace(path)  # first open imports
    log = w.audit_log()
    assert log["who"].fillna("-").tolist() == ["ana", "ana", "-", "ion"]
    assert log["source"].tolist() == [
        "imported from old.audit.jsonl line 1",
        "imported from old.audit.jsonl line 2",
        "imported from old.audit.jsonl line 3 (not valid JSON; kept as text)",
        "imported from old.audit.jsonl line 5",
    ]
    assert w.audit_records()[2] == {"unreadable_line": "{broken line"}
    assert jsonl.read_bytes() == before  # the file is kept as it was
    notes = w.audit_imports()
    assert len(notes) == 1 and notes[0]["records"] == 4 and notes[0]["file"] == str(jsonl)
    # opened again (twice): nothing more is imported
    mtime = path.stat().st_mtime_ns
    Workspace(path)
    w = Workspace(path)
    assert len(w.audit_log()) == 4 and len(w.audit_imports()) == 1
    assert path.stat().st_mtime_ns == mtime  # not even rewritten
    # a line appended later (an older pata-gis still writing the file) is imported alone
    with jsonl.open("a", encoding="utf-8") as f:
        f.write(json.dumps(_rec("eva"), sort_keys=True) + "\n")
    assert Workspace(path).audit_log()["who"].fillna("-").tolist() == [
        "ana", "ana", "-", "ion", "eva"
    ]  # fmt: skip


def test_a_workspace_restored_from_an_older_copy_gets_its_records_back(
    ws: Workspace, tmp_path: Path
) -> None:
    import shutil

    from pata_gis import privacy

    audit = privacy.WorkspaceAuditLog(ws)
    audit.append(_rec("ana"))
    backup = tmp_path / "backup.gpkg"
    shutil.copy(ws.path, backup)
    audit.append(_rec("ion"))
    assert [r["who"] for r in audit.records()] == ["ana", "ion"]
    shutil.copy(backup, ws.path)  # restored from the copy made before ion's export
    assert Workspace(ws.path).audit_log()["who"].tolist() == ["ana", "ion"]
    assert Workspace(ws.path).audit_log()["source"].iloc[-1].startswith("imported from ws.audit")


def test_audit_import_waits_when_the_workspace_cannot_be_written(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    ws.audit_jsonl_path.write_text(json.dumps(_rec("ana")) + "\n", encoding="utf-8")

    def busy(self: Workspace, **kw: object) -> None:
        raise WorkspaceError("another process has been saving; wait")

    monkeypatch.setattr(Workspace, "_transaction", busy)
    w = Workspace(ws.path)  # opens all the same, with a warning
    assert w.audit_log().empty
    monkeypatch.undo()
    assert Workspace(ws.path).audit_log()["who"].tolist() == ["ana"]
