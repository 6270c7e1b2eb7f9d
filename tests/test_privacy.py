"""Privacy: the access matrix, consent, suppression, geomasking and audited exports.

The export tests search the written bytes for every raw position: as
longitude/latitude to 5 decimals (text pairs), as Stereo 70 to the metre (text
pairs) and as the exact binary doubles (GeoPackage). The same search run on a
raw export must find them, so the search itself is shown to work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import struct
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from pata_gis import crs as pcrs
from pata_gis import privacy as pv
from pata_gis._errors import InputError, SensitivityError
from pata_gis.specs import load_catalogue

SPEC = load_catalogue()["risk_marks"]
CATS = np.array(["conflict", "traffic", "dogs", "fire", "flooding", "unlit_path"])


def make_marks(n: int = 300, seed: int = 7, crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    """Marks clustered around Pata Rât; ~12 % without consent."""
    rng = np.random.default_rng(seed)
    centres = np.array([[406_300.0, 585_600.0], [405_200.0, 584_300.0], [407_400.0, 586_200.0]])
    c = centres[rng.integers(0, 3, n)]
    xy = c + rng.normal(0, 260, (n, 2))
    g = gpd.GeoDataFrame(
        {
            "category": rng.choice(CATS, n, p=[0.3, 0.25, 0.2, 0.1, 0.1, 0.05]),
            "severity": rng.integers(1, 6, n),
            "time_of_day": rng.choice(["day", "evening", "night", "any"], n),
            "note": [f"SECRETNOTE{i:04d}" for i in range(n)],
            "session_id": rng.choice(["sessALPHA", "sessBETA", "sessGAMMA"], n),
            "consent": rng.random(n) > 0.12,
            "source": "workshop",
            "accuracy_m": 20.0,
        },
        geometry=shapely.points(xy),
        crs="EPSG:3844",
    )
    return g.to_crs(crs)


# --------------------------------------------------------------------------- roles
# Written out in full: for every role and sensitivity, the levels allowed.
MATRIX = """
community public        none aggregated masked raw
community restricted    none aggregated masked raw
community confidential  none aggregated masked raw
planner   public        none aggregated masked raw
planner   restricted    none aggregated masked raw
planner   confidential  none aggregated masked
police    public        none aggregated masked raw
police    restricted    none aggregated masked raw
police    confidential  none aggregated masked
public    public        none aggregated masked raw
public    restricted    none aggregated
public    confidential  none aggregated
"""


def test_can_see_matches_the_written_table_exhaustively() -> None:
    table = {}
    for line in MATRIX.strip().splitlines():
        role, sens, *levels = line.split()
        table[(role, sens)] = set(levels)
    assert len(table) == len(pv.ROLES) * 3
    checked = 0
    for role in pv.ROLES:
        for sens in ("public", "restricted", "confidential"):
            for level in ("none", "aggregated", "masked", "raw"):
                assert pv.can_see(role, sens, level=level) is (level in table[(role, sens)]), (
                    role,
                    sens,
                    level,
                )
                checked += 1
    assert checked == 48
    # raw positions of confidential layers reach nobody but the workshop
    assert [r for r in pv.ROLES if pv.can_see(r, "confidential")] == ["community"]


def test_unknown_role_sensitivity_or_level_is_refused() -> None:
    with pytest.raises(InputError, match="role 'mayor'"):
        pv.can_see("mayor", "public")
    with pytest.raises(InputError, match="sensitivity 'secret'"):
        pv.can_see("public", "secret")
    with pytest.raises(InputError, match="level 'exact'"):
        pv.can_see("public", "public", level="exact")


def test_clearance_for_maps() -> None:
    assert [pv.clearance(r) for r in pv.ROLES] == [
        "confidential",
        "restricted",
        "restricted",
        "public",
    ]


# --------------------------------------------------------------------------- consent
def test_honour_consent_keeps_only_clear_yes() -> None:
    g = gpd.GeoDataFrame(
        {"consent": [True, False, None, "da", "no", 1, 0, "TRUE", np.nan]},
        geometry=shapely.points(np.c_[np.arange(9.0) + 400_000, np.full(9, 580_000.0)]),
        crs="EPSG:3844",
    )
    out = pv.honour_consent(g)
    assert out.index.tolist() == [0, 3, 5, 7]
    with pytest.raises(InputError, match="no 'consent' column"):
        pv.honour_consent(g.drop(columns="consent"))


def _without_consent_scrambled(marks: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same marks with every non-consented mark moved, recategorised and renoted."""
    m = marks.copy()
    no = ~m["consent"].astype(bool)
    rng = np.random.default_rng(99)
    metric = m.to_crs("EPSG:3844")
    moved = shapely.points(
        np.c_[np.full(int(no.sum()), 406_010.0), np.full(int(no.sum()), 585_010.0)]
        + rng.normal(0, 5, (int(no.sum()), 2))
    )
    geo = metric.geometry.to_numpy().copy()
    geo[no.to_numpy()] = moved
    metric = metric.set_geometry(geo, crs="EPSG:3844")
    metric.loc[no, "category"] = "fire"
    metric.loc[no, "note"] = "other text"
    return metric.to_crs(marks.crs)


@pytest.mark.parametrize(
    ("role", "level"),
    [
        ("community", "raw"),
        ("police", "masked"),
        ("police", "aggregated"),
        ("public", "aggregated"),
    ],
)
def test_marks_without_consent_never_influence_a_view(role: str, level: str) -> None:
    marks = make_marks()
    other = _without_consent_scrambled(marks)
    # 26 marks in one cell without consent would create a cell if they counted
    assert int((~marks["consent"]).sum()) >= 20
    a, la = pv.view_for(role, marks, SPEC, level=level, by="category", seed=5)
    b, lb = pv.view_for(role, other, SPEC, level=level, by="category", seed=5)
    assert la == lb == level
    a = a.to_crs("EPSG:3844")
    b = b.to_crs("EPSG:3844")
    pd.testing.assert_frame_equal(
        pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry"))
    )
    assert np.allclose(shapely.get_coordinates(a.geometry), shapely.get_coordinates(b.geometry))
    assert "consent" not in a.columns
    if level == "raw":
        assert len(a) == int(marks["consent"].sum())


# --------------------------------------------------------------------------- aggregation
def test_aggregate_no_cell_under_k_survives_and_counts_are_right() -> None:
    marks = make_marks()
    for k in (1, 3, 5, 10):
        agg = pv.aggregate(marks, cell_m=250, k=k)
        assert (agg["n"] >= k).all()
        # oracle: integer division of Stereo 70 coordinates by the cell size
        m = marks[marks["consent"]].to_crs("EPSG:3844")
        key = list(
            zip(
                np.floor(m.geometry.x / 250).astype(int),
                np.floor(m.geometry.y / 250).astype(int),
                strict=True,
            )
        )
        counts = pd.Series(key).value_counts()
        expected = sorted(int(v) for v in counts[counts >= k])
        assert sorted(agg["n"].tolist()) == expected
        assert agg.attrs["n_marks_suppressed"] == int(counts[counts < k].sum())
        # the polygons are the cells: each centre floors to a counted key, named by cell_id
        c = agg.geometry.centroid
        for cx, cy, n, cid in zip(c.x, c.y, agg["n"], agg["cell_id"], strict=True):
            key = (math.floor(cx / 250), math.floor(cy / 250))
            assert counts[key] == n
            assert cid == f"250m:E{key[0]}:N{key[1]}"
        assert np.allclose(agg.geometry.area, 250 * 250)
    assert len(pv.aggregate(marks, cell_m=250, k=5)) > 5  # the default leaves something


def test_aggregate_by_category_cannot_be_differenced() -> None:
    marks = make_marks(400, seed=3)
    k = 5
    agg = pv.aggregate(marks, cell_m=250, k=k, by="category")
    cat_cols = [c for c in agg.columns if c.startswith("n_") and c != "n_withheld"]
    assert cat_cols
    withheld_some = hidden_all = 0
    for _, r in agg.iterrows():
        shown = pd.array([r[c] for c in cat_cols], dtype="Int64")
        vals = shown[~shown.isna()]
        # no shown category count in 1..k-1, and no zero beside a withheld value
        assert not ((vals > 0) & (vals < k)).any()
        if shown.isna().any():
            assert not (vals == 0).any()
        if shown.isna().all() and pd.isna(r["n_withheld"]):
            hidden_all += 1
            continue
        w = int(r["n_withheld"])
        # the pool of withheld counts is itself 0 or at least k
        assert w == 0 or w >= k
        assert int(vals.sum()) + w == r["n"]
        withheld_some += w > 0
    assert hidden_all > 0 and withheld_some > 0
    # every category column shows a count somewhere
    for c in cat_cols:
        assert (agg[c].fillna(0) > 0).any(), c
    # a category marked once, in a suppressed cell far away, leaves no trace
    lone = marks.iloc[:1].copy()
    lone["category"] = "flooding_rare"
    lone["consent"] = True
    lone = lone.to_crs("EPSG:3844").set_geometry([shapely.Point(420_000, 590_000)], crs="EPSG:3844")
    both = pd.concat([marks.to_crs("EPSG:3844"), lone])
    agg2 = pv.aggregate(both, cell_m=250, k=k, by="category")
    assert not any("flooding_rare" in c for c in agg2.columns)
    pd.testing.assert_frame_equal(pd.DataFrame(agg2), pd.DataFrame(agg.to_crs("EPSG:3844")))


def test_aggregate_hand_case() -> None:
    # 6 marks in cell (0, 0) of a 100 m grid, 2 in the next: k=5 keeps one cell
    pts = [(10, 10), (20, 20), (30, 30), (40, 40), (50, 50), (60, 60), (150, 50), (160, 50)]
    g = gpd.GeoDataFrame(
        {"category": ["dogs"] * 5 + ["fire"] * 3, "consent": True},
        geometry=[shapely.Point(400_000 + x, 580_000 + y) for x, y in pts],
        crs="EPSG:3844",
    )
    agg = pv.aggregate(g, cell_m=100, k=5, by="category")
    assert len(agg) == 1
    r = agg.iloc[0]
    assert r["n"] == 6
    assert shapely.equals(r.geometry, shapely.box(400_000, 580_000, 400_100, 580_100))
    # one fire mark in the cell: under k and alone in the pool -> whole breakdown withheld,
    # and as no published cell shows a category, there are no category columns at all
    assert pd.isna(r["n_withheld"])
    assert [c for c in agg.columns if c.startswith("n_")] == ["n_withheld"]
    assert r["cell_id"] == "100m:E4000:N5800"
    # with k=2 the cells show everything that reaches 2
    agg2 = pv.aggregate(g, cell_m=100, k=2, by="category")
    # (cell A: 5 dogs and 1 fire, the lone fire withheld and so the breakdown;
    # cell B: 2 fire, 0 dogs; no published cell shows a dog count: no n_dogs)
    t = agg2[["cell_id", "n", "n_fire", "n_withheld"]].astype(object)
    assert t.where(t.notna(), None).values.tolist() == [
        ["100m:E4000:N5800", 6, None, None],
        ["100m:E4001:N5800", 2, 2, 0],
    ]
    assert "n_dogs" not in agg2.columns
    assert agg.attrs["n_cells_suppressed"] == 1 and agg.attrs["n_marks_suppressed"] == 2


def test_suppress_derived_products() -> None:
    g = gpd.GeoDataFrame(
        {"n_marks": [1, 5, 7, None]},
        geometry=[shapely.box(0, 0, 1, 1)] * 4,
        crs="EPSG:3844",
    )
    assert pv.suppress(g, k=5)["n_marks"].tolist() == [5, 7]
    g["row"], g["col"] = 1, 2
    assert list(pv.suppress(g, k=5).columns) == ["n_marks", "geometry"]
    with pytest.raises(InputError, match="no 'n' column"):
        pv.suppress(g, count_col="n")


# --------------------------------------------------------------------------- masking
def test_geomask_displacement_within_the_ring() -> None:
    marks = make_marks(300, seed=11)
    masked = pv.geomask(marks, min_m=50, max_m=200, seed=1)
    assert masked.crs == marks.crs
    a = marks.to_crs("EPSG:3844").geometry
    b = masked.to_crs("EPSG:3844").geometry
    d = a.distance(b).to_numpy()
    assert d.min() >= 50 - 1e-6 and d.max() <= 200 + 1e-6
    # directions spread all round, distances spread over the ring
    ang = np.arctan2(b.x.to_numpy() - a.x.to_numpy(), b.y.to_numpy() - a.y.to_numpy())
    assert np.histogram(ang, bins=8, range=(-np.pi, np.pi))[0].min() > 15
    assert d.min() < 70 and d.max() > 180
    # seeded masks repeat; unseeded ones differ
    again = pv.geomask(marks, min_m=50, max_m=200, seed=1)
    assert np.allclose(
        shapely.get_coordinates(again.geometry), shapely.get_coordinates(masked.geometry)
    )
    other = pv.geomask(marks, min_m=50, max_m=200)
    assert not np.allclose(
        shapely.get_coordinates(other.geometry), shapely.get_coordinates(masked.geometry)
    )
    with pytest.raises(InputError, match="min_m"):
        pv.geomask(marks, min_m=300, max_m=200)


def test_geomask_reports_k_anonymity_by_hand() -> None:
    p = gpd.GeoDataFrame({"x": [1]}, geometry=[shapely.Point(400_000, 580_000)], crs="EPSG:3844")
    homes = gpd.GeoDataFrame(
        {"households": [3, 4, 100]},
        geometry=[
            shapely.Point(400_010, 580_000),
            shapely.Point(400_000, 580_060),
            shapely.Point(400_500, 580_000),
        ],
        crs="EPSG:3844",
    )
    out = pv.geomask(p, min_m=100, max_m=100, seed=0, population=homes)
    assert out["k_anonymity"].iloc[0] == 7  # the homes at 10 m and 60 m, not at 500 m
    # a settlement polygon of 40 households on 400 m x 400 m: the 100 m circle covers
    # pi * 100^2 / 160000 of it
    sett = gpd.GeoDataFrame(
        {"households": [40]},
        geometry=[shapely.box(399_800, 579_800, 400_200, 580_200)],
        crs="EPSG:3844",
    )
    out = pv.geomask(p, min_m=100, max_m=100, seed=0, population=sett)
    assert out["k_anonymity"].iloc[0] == pytest.approx(40 * math.pi * 1e4 / 160_000, rel=2e-3)


def test_views_below_raw_drop_notes_and_personal_fields() -> None:
    marks = make_marks(120, seed=2)
    masked, lvl = pv.view_for("planner", marks, SPEC, level="masked", seed=0)
    assert lvl == "masked"
    assert sorted(masked.columns) == ["category", "geometry", "severity", "time_of_day"]
    agg, lvl = pv.view_for("planner", marks, SPEC)
    assert lvl == "aggregated"  # never masked unless asked
    assert not {"note", "session_id", "source", "consent"} & set(agg.columns)
    raw, lvl = pv.view_for("community", marks, SPEC)
    assert lvl == "raw" and "note" in raw.columns and "consent" not in raw.columns
    with pytest.raises(SensitivityError, match="may not have the raw view"):
        pv.view_for("police", marks, SPEC, level="raw")
    with pytest.raises(SensitivityError, match="masked"):
        pv.view_for("public", marks, SPEC, level="masked")


# --------------------------------------------------------------------------- exports
def _raw_patterns(marks: gpd.GeoDataFrame) -> tuple[list[re.Pattern[bytes]], list[bytes]]:
    """Regexes for each raw position as text, and its exact doubles as bytes."""
    ll = marks.to_crs("EPSG:4326").geometry
    st = marks.to_crs("EPSG:3844").geometry
    pats: list[re.Pattern[bytes]] = []
    blobs: list[bytes] = []
    sep = rb"\d*[\"']?\s*[,\s;]\s*[\"']?"
    for lon, lat, x, y in zip(ll.x, ll.y, st.x, st.y, strict=True):
        # 5 decimals, rounded or truncated, followed by any further digits
        lons = {f"{lon:.5f}", f"{math.floor(lon * 1e5) / 1e5:.5f}"}
        lats = {f"{lat:.5f}", f"{math.floor(lat * 1e5) / 1e5:.5f}"}
        for a in lons:
            for b in lats:
                pats.append(re.compile(re.escape(a.encode()) + sep + re.escape(b.encode())))
        # Stereo 70 to the metre, rounded or truncated
        for a in {f"{math.floor(x)}", f"{round(x)}"}:
            for b in {f"{math.floor(y)}", f"{round(y)}"}:
                pats.append(
                    re.compile(re.escape(a.encode()) + rb"(\.\d+)?" + sep + re.escape(b.encode()))
                )
        for a, b in ((lon, lat), (x, y)):
            blobs.append(struct.pack("<d", a))
            blobs.append(struct.pack(">d", a))
            blobs.append(struct.pack("<d", b))
    return pats, blobs


def _leaks(path: Path, pats: list[re.Pattern[bytes]], blobs: list[bytes]) -> list[str]:
    data = path.read_bytes()
    found = [p.pattern.decode(errors="replace") for p in pats if p.search(data)]
    found += [b.hex() for b in blobs if b in data]
    return found


FORMATS = ("geojson", "csv", "gpkg", "kml")


def test_search_finds_raw_coordinates_in_a_raw_export(tmp_path: Path) -> None:
    marks = make_marks(40, seed=4)
    pats, blobs = _raw_patterns(marks[marks["consent"]])
    log = pv.AuditLog(tmp_path / "audit.jsonl")
    for fmt in FORMATS:
        p = pv.export_view(
            marks, SPEC, tmp_path / f"raw.{fmt}", role="community", who="facilitator", audit=log
        )
        found = _leaks(p, pats, blobs)
        assert len(found) >= int(marks["consent"].sum()), fmt
        assert b"SECRETNOTE" in p.read_bytes()


@pytest.mark.parametrize(
    ("role", "level"),
    [("public", "aggregated"), ("police", "aggregated"), ("police", "masked")],
)
def test_no_raw_coordinate_or_note_in_public_or_police_exports(
    tmp_path: Path, role: str, level: str
) -> None:
    marks = make_marks()
    pats, blobs = _raw_patterns(marks)  # consented or not
    log = pv.AuditLog(tmp_path / "audit.jsonl")
    for fmt in FORMATS:
        p = pv.export_view(
            marks,
            SPEC,
            tmp_path / f"{role}_{level}.{fmt}",
            role=role,
            who="ana",
            audit=log,
            level=level,
            by="category" if level == "aggregated" else None,
            # masks are random; a masked point may land by pure chance within ~1 m of a
            # mark *without consent* (which the mask may not look at): fix the draw
            seed=12,
        )
        data = p.read_bytes()
        assert len(data) > 200
        assert _leaks(p, pats, blobs) == [], (fmt, _leaks(p, pats, blobs)[:3])
        for secret in (b"SECRETNOTE", b"sessALPHA", b"sessBETA", b"workshop"):
            assert secret not in data, (fmt, secret)
    assert len(log.records()) == len(FORMATS)


def test_audit_log_one_record_per_export(tmp_path: Path) -> None:
    marks = make_marks(200, seed=5)
    log = pv.AuditLog(tmp_path / "audit.jsonl")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    out = [
        pv.export_view(marks, SPEC, tmp_path / "a.geojson", role="public", who="ana", audit=log),
        pv.export_view(
            marks, SPEC, tmp_path / "b.csv", role="police", who="ion", audit=log, level="masked"
        ),
        pv.export_view(marks, SPEC, tmp_path / "c.gpkg", role="community", who="ana", audit=log),
    ]
    # a refused export writes nothing and logs nothing
    with pytest.raises(SensitivityError):
        pv.export_view(
            marks, SPEC, tmp_path / "d.csv", role="public", who="x", audit=log, level="raw"
        )
    assert not (tmp_path / "d.csv").exists()
    recs = log.records()
    assert len(recs) == 3
    assert (tmp_path / "audit.jsonl").stat().st_mode & 0o777 == 0o600
    expect = [
        ("ana", "public", "aggregated"),
        ("ion", "police", "masked"),
        ("ana", "community", "raw"),
    ]
    for rec, path, (who, role, level) in zip(recs, out, expect, strict=True):
        assert set(rec) == {
            "when_utc", "who", "role", "layer", "sensitivity", "level",
            "n_features", "destination", "sha256", "params",
        }  # fmt: skip
        assert (rec["who"], rec["role"], rec["level"]) == (who, role, level)
        assert rec["layer"] == "risk_marks" and rec["sensitivity"] == "confidential"
        assert rec["destination"] == str(path.resolve())
        assert rec["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        when = dt.datetime.fromisoformat(rec["when_utc"])
        assert when.utcoffset() == dt.timedelta(0) and when >= before
        assert rec["n_features"] == len(
            pd.read_csv(path) if path.suffix == ".csv" else gpd.read_file(path)
        )
    assert recs[0]["params"]["k"] == 5 and recs[0]["params"]["cell_m"] == 250
    assert recs[1]["params"] == {"min_m": 50.0, "max_m": 200.0}
    assert recs[1]["n_features"] == int(marks["consent"].sum())
    assert recs[2]["n_features"] == int(marks["consent"].sum())
    # each line is one JSON object
    lines = (tmp_path / "audit.jsonl").read_text().splitlines()
    assert [json.loads(x)["who"] for x in lines] == ["ana", "ion", "ana"]
    with pytest.raises(InputError, match="'who' is empty"):
        pv.export_view(marks, SPEC, tmp_path / "e.csv", role="public", who=" ", audit=log)


def test_crs_conversions_agree_for_the_search() -> None:
    # the search converts with geopandas; the library converts with pata_gis.crs
    lon, lat = np.array([23.6917]), np.array([46.7815])
    x, y = pcrs.lonlat_to_metric(lon, lat)
    g = gpd.GeoSeries(shapely.points(lon, lat), crs="EPSG:4326").to_crs("EPSG:3844")
    assert abs(g.x.iloc[0] - x[0]) < 1e-6 and abs(g.y.iloc[0] - y[0]) < 1e-6


def test_geomask_never_lands_on_another_true_point() -> None:
    # two marks 100 m apart, each moved exactly 100 m: without the redraw about 2 % of
    # the draws land within 3 m of the other mark
    g = gpd.GeoDataFrame(
        geometry=[shapely.Point(400_000, 580_000), shapely.Point(400_100, 580_000)],
        crs="EPSG:3844",
    )
    true = shapely.get_coordinates(g.geometry)
    closest = []
    for seed in range(400):
        out = shapely.get_coordinates(pv.geomask(g, min_m=100, max_m=100, seed=seed).geometry)
        d = np.hypot(*(out[:, None, :] - true[None, :, :]).transpose(2, 0, 1))
        assert np.allclose(np.diag(d), 100)
        closest.append(d.min())
    assert min(closest) >= 3.0
    assert min(closest) < 10.0  # the redraw does not push points far away


def test_export_at_a_second_cell_size_is_refused(tmp_path: Path) -> None:
    # nested grids (250 m and 500 m) could be subtracted to recover suppressed cells
    marks = make_marks(200, seed=6)
    log = pv.AuditLog(tmp_path / "audit.jsonl")
    pv.export_view(marks, SPEC, tmp_path / "a.geojson", role="public", who="ana", audit=log)
    # the same size again is fine (also for another role)
    pv.export_view(marks, SPEC, tmp_path / "b.geojson", role="police", who="ana", audit=log)
    with pytest.raises(SensitivityError, match="already exported aggregated on 250 m"):
        pv.export_view(
            marks, SPEC, tmp_path / "c.geojson", role="public", who="ana", audit=log, cell_m=500
        )
    assert not (tmp_path / "c.geojson").exists()
    assert len(log.records()) == 2
    pv.export_view(
        marks,
        SPEC,
        tmp_path / "c.geojson",
        role="public",
        who="ana",
        audit=log,
        cell_m=500,
        allow_new_grid=True,
    )
    assert log.records()[-1]["params"]["new_grid_allowed"] is True


def test_masked_export_records_k_anonymity_without_publishing_it(tmp_path: Path) -> None:
    marks = make_marks(150, seed=9)
    # one big settlement of 300 households over the whole area of the marks
    m = marks.to_crs("EPSG:3844")
    area = shapely.box(*m.total_bounds).buffer(300)
    sett = gpd.GeoDataFrame({"households": [300]}, geometry=[area], crs="EPSG:3844")
    log = pv.AuditLog(tmp_path / "audit.jsonl")
    p = pv.export_view(
        marks,
        SPEC,
        tmp_path / "m.geojson",
        role="planner",
        who="ana",
        audit=log,
        level="masked",
        min_m=50,
        max_m=100,
        population=sett,
    )
    out = gpd.read_file(p)
    assert "k_anonymity" not in out.columns
    rec = log.records()[0]["params"]
    # a 50..100 m circle over 300 households spread on the settlement's area
    lo = 300 * math.pi * 50**2 / area.area
    hi = 300 * math.pi * 100**2 / area.area
    assert lo - 1e-6 <= rec["k_anonymity_min"] <= rec["k_anonymity_median"] <= hi + 1e-6


# --------------------------------------------------------------------------- workspace audit
def _tiny_ws(tmp_path: Path):
    from pata_gis.workspace import Workspace

    return Workspace.create(tmp_path / "ws.gpkg", starter=False)


def test_export_with_a_workspace_lands_in_its_table_and_mirror(tmp_path: Path) -> None:
    from pata_gis.workspace import Workspace

    ws = _tiny_ws(tmp_path)
    marks = make_marks(200, seed=5)
    p = pv.export_view(marks, SPEC, tmp_path / "a.geojson", role="public", who="ana", audit=ws)
    # refused exports record nothing anywhere
    with pytest.raises(SensitivityError):
        pv.export_view(
            marks, SPEC, tmp_path / "b.csv", role="public", who="x", audit=ws, level="raw"
        )
    with pytest.raises(SensitivityError, match="already exported aggregated on 250 m"):
        pv.export_view(
            marks, SPEC, tmp_path / "c.geojson", role="police", who="x", audit=ws, cell_m=500
        )
    assert not (tmp_path / "b.csv").exists() and not (tmp_path / "c.geojson").exists()
    log = Workspace(ws.path).audit_log()
    assert len(log) == 1
    row = log.iloc[0]
    assert (row["who"], row["role"], row["layer"], row["level"]) == (
        "ana", "public", "risk_marks", "aggregated"
    )  # fmt: skip
    assert row["sha256"] == hashlib.sha256(p.read_bytes()).hexdigest()
    assert row["destination"] == str(p.resolve())
    assert row["n_features"] == len(gpd.read_file(p))
    assert row["params"]["cell_m"] == 250 and row["source"] == "export"
    # the mirror holds the same record, line for line
    mirror = [json.loads(x) for x in ws.audit_jsonl_path.read_text("utf-8").splitlines()]
    assert mirror == ws.audit_records()
    # and reopening does not import the mirrored record a second time
    assert len(Workspace(ws.path).audit_log()) == 1


def test_grid_guard_reads_records_imported_from_the_old_file(tmp_path: Path) -> None:
    from pata_gis.workspace import Workspace

    ws = _tiny_ws(tmp_path)
    marks = make_marks(200, seed=6)
    old = pv.AuditLog(ws.audit_jsonl_path)  # as pata-gis wrote it before the table
    pv.export_view(marks, SPEC, tmp_path / "a.geojson", role="public", who="ana", audit=old)
    ws = Workspace(ws.path)
    assert ws.audit_log()["source"].tolist() == ["imported from ws.audit.jsonl line 1"]
    with pytest.raises(SensitivityError, match="already exported aggregated on 250 m"):
        pv.export_view(
            marks, SPEC, tmp_path / "c.geojson", role="public", who="x", audit=ws, cell_m=500
        )
    assert len(ws.audit_log()) == 1


def test_a_failed_table_write_leaves_no_file_and_no_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pata_gis._errors import WorkspaceError
    from pata_gis.workspace import Workspace

    ws = _tiny_ws(tmp_path)

    def fail(self: Workspace, record: object, **kw: object) -> None:
        raise WorkspaceError("disk full")

    monkeypatch.setattr(Workspace, "record_audit", fail)
    with pytest.raises(WorkspaceError, match="disk full"):
        pv.export_view(make_marks(50), SPEC, tmp_path / "a.csv", role="public", who="a", audit=ws)
    assert not (tmp_path / "a.csv").exists()
    assert not ws.audit_jsonl_path.exists()  # no mirror line for an export that failed
    monkeypatch.undo()
    assert ws.audit_log().empty


def test_the_workspace_file_is_never_taken_as_a_jsonl_log(tmp_path: Path) -> None:
    ws = _tiny_ws(tmp_path)
    before = ws.path.read_bytes()
    with pytest.raises(InputError, match="pass the Workspace itself"):
        pv.export_view(make_marks(50), SPEC, tmp_path / "a.csv", role="public", who="a",
                       audit=ws.path)  # fmt: skip
    assert ws.path.read_bytes() == before and not (tmp_path / "a.csv").exists()


def test_the_data_page_export_lands_in_the_workspace_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest
    from test_roles import seed_marks

    from pata_gis.workspace import Workspace

    ws = Workspace.create(tmp_path / "ws.gpkg", author="test")
    seed_marks(ws)  # 7 aggregate-only + 2 community-only marks in one 250 m cell
    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(ws.path))
    monkeypatch.setenv("PATA_GIS_AUTHOR", "Ana Test")
    page = Path(__file__).resolve().parents[1] / "pata_gis" / "ui" / "data_page.py"
    at = AppTest.from_file(str(page), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    at.selectbox(key="data_export_layer").select("risk_marks").run()
    at.button(key="data_export_go").click().run()
    assert not at.exception, at.exception
    log = Workspace(ws.path).audit_log()
    assert len(log) == 1
    row = log.iloc[0]
    assert (row["who"], row["role"], row["layer"], row["level"], row["n_features"]) == (
        "Ana Test", "public", "risk_marks", "aggregated", 1
    )  # fmt: skip
    data = at.session_state["data_export_file"]["data"]
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    assert any("ws.gpkg: pata_audit" in c.value for c in at.caption)


def test_a_spec_from_a_reloaded_specs_module_is_still_a_spec() -> None:
    """Streamlit's file watcher can reload pata_gis.specs, leaving specs of a second
    LayerSpec class around: the privacy rules must read them by their fields (they
    used to refuse every layer, and every map page failed)."""
    from types import SimpleNamespace

    spec = load_catalogue()["incidents"]
    twin = SimpleNamespace(**vars(spec))  # the same spec, another class
    assert not isinstance(twin, type(spec))
    assert pv.can_see("public", twin) is pv.can_see("public", spec) is False
    assert pv.can_see("police", twin, level="aggregated") is True
    assert pv.can_see("police", twin, level="raw") is pv.can_see("police", spec, level="raw")
