"""Risk analysis: consensus by hand, KDE by hand, Gi* and FDR against PySAL esda."""

from __future__ import annotations

import math

import esda
import geopandas as gpd
import libpysal
import numpy as np
import pandas as pd
import pytest
import shapely

from pata_gis import risk
from pata_gis._errors import InputError
from pata_gis.surface import Grid

X0, Y0 = 400_000.0, 580_000.0  # a cell corner in Stereo 70 (multiples of 100 m)


def marks_at(
    xy: list[tuple[float, float]],
    groups: list[str],
    severity: list[int],
    category: list[str],
    consent: list[bool] | None = None,
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "session_id": groups,
            "severity": severity,
            "category": category,
            "consent": consent if consent is not None else [True] * len(xy),
            "time_of_day": (["night", "day", "night"] * 3)[: len(xy)] if len(xy) <= 9 else "any",
            "note": "n",
        },
        geometry=[shapely.Point(X0 + x, Y0 + y) for x, y in xy],
        crs="EPSG:3844",
    )


def clustered(n: int = 300, seed: int = 1) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    hot = rng.normal([600, 700], 90, (n // 2, 2))
    rest = rng.uniform(0, 1500, (n - n // 2, 2))
    xy = np.r_[hot, rest]
    return gpd.GeoDataFrame(
        {
            "session_id": rng.choice(["g1", "g2", "g3", "g4"], n),
            "severity": rng.integers(1, 6, n),
            "category": rng.choice(["dogs", "traffic", "conflict"], n),
            "consent": rng.random(n) > 0.1,
        },
        geometry=shapely.points(xy + np.array([X0, Y0])),
        crs="EPSG:3844",
    )


# --------------------------------------------------------------------------- consensus
def test_consensus_two_groups_five_marks_by_hand() -> None:
    # 100 m cells from (X0, Y0). Cell A (0..100, 0..100): group a (sev 2, dogs) and
    # group b (sev 4, dogs; sev 3, traffic). Cell B (100..200, 0..100): group a (sev 5,
    # fire). A sixth mark in cell B has no consent and must count for nothing.
    m = marks_at(
        [(10, 10), (90, 50), (50, 80), (150, 50), (120, 20), (160, 60)],
        ["a", "b", "b", "a", "a", "b"],
        [2, 4, 3, 5, 1, 5],
        ["dogs", "dogs", "traffic", "fire", "fire", "conflict"],
        consent=[True, True, True, True, False, False],
    )
    z = risk.consensus_zones(m, cell_m=100)
    assert z.attrs["n_groups_total"] == 2
    assert z[["n_groups", "n_marks", "mean_severity", "max_severity"]].to_numpy().tolist() == [
        [2, 3, 3.0, 4],
        [1, 1, 5.0, 5],
    ]
    assert z["categories"].tolist() == ["dogs:2, traffic:1", "fire:1"]
    assert z["top_category"].tolist() == ["dogs", "fire"]
    assert z["times"].tolist() == ["night:2, day:1", "night:1"]
    assert z["share_groups"].tolist() == [1.0, 0.5]
    assert shapely.equals(z.geometry.iloc[0], shapely.box(X0, Y0, X0 + 100, Y0 + 100))
    assert shapely.equals(z.geometry.iloc[1], shapely.box(X0 + 100, Y0, X0 + 200, Y0 + 100))
    # where both groups agree
    both = risk.consensus_zones(m, cell_m=100, min_groups=2)
    assert len(both) == 1 and both["n_marks"].iloc[0] == 3
    # dissolved: the two touching cells become one zone, marks counted once
    d = risk.consensus_zones(m, cell_m=100, dissolve=True)
    assert len(d) == 1
    r = d.iloc[0]
    assert (r["n_cells"], r["n_groups"], r["n_marks"]) == (2, 2, 4)
    assert r["mean_severity"] == pytest.approx((2 + 4 + 3 + 5) / 4)
    assert r["categories"] == "dogs:2, fire:1, traffic:1"
    assert r.geometry.area == pytest.approx(20_000)


def test_consensus_group_column_and_lines() -> None:
    # a `group` column wins over session_id; a line counts in every cell it crosses
    line = shapely.LineString([(X0 + 10, Y0 + 50), (X0 + 290, Y0 + 50)])
    along_edge = shapely.LineString([(X0 + 10, Y0 + 100), (X0 + 90, Y0 + 100)])
    m = gpd.GeoDataFrame(
        {
            "group": ["x", "y", "x"],
            "session_id": ["s1", "s1", "s1"],
            "severity": [3, 5, 1],
            "category": ["unlit_path", "traffic", "dogs"],
            "consent": [True, True, True],
        },
        geometry=[line, shapely.Point(X0 + 150, Y0 + 50), along_edge],
        crs="EPSG:3844",
    )
    z = risk.consensus_zones(m, cell_m=100)
    cells = {
        tuple(int(v - o) for v, o in zip(r.geometry.bounds[:2], (X0, Y0), strict=True)): (
            int(r.n_groups),
            int(r.n_marks),
        )
        for r in z.itertuples()
    }
    # keyed by the cell's south-west corner relative to (X0, Y0)
    assert cells[(100, 0)] == (2, 2)  # the line and the point (group y)
    assert cells[(200, 0)] == (1, 1)  # the line only
    # the edge line lies along the top edge of the first cell: counted once, in the cell
    # south of it (with the long line)
    assert cells[(0, 0)] == (1, 2)
    assert len(cells) == 3
    with pytest.raises(InputError, match="group_col='team'"):
        risk.consensus_zones(m, group_col="team")


# --------------------------------------------------------------------------- density
def test_density_hand_computed_quartic() -> None:
    # One consented mark at the centre of cell (5, 5) of a 10 m grid, bandwidth 50 m.
    # Quartic: 3 / (pi h^2) (1 - (r/h)^2)^2 per m^2, times 1e6 per km^2.
    grid = Grid((X0, Y0 + 110), 10.0, (11, 11))
    m = marks_at([(55, 55), (5, 5)], ["a", "a"], [4, 2], ["dogs", "dogs"], [True, False])
    d = risk.density(m, grid=grid, bandwidth_m=50)
    k0 = 3 / (math.pi * 50**2) * 1e6
    assert d[5, 5] == pytest.approx(k0, rel=1e-12)
    assert d[5, 8] == pytest.approx(k0 * (1 - (30 / 50) ** 2) ** 2, rel=1e-12)
    assert d[2, 1] == pytest.approx(k0 * (1 - (30**2 + 40**2) / 50**2) ** 2, abs=1e-9)  # r = 50
    assert d[10, 0] == 0.0  # the mark without consent (cell (10, 0)) counts for nothing
    # weighted by severity: 4 times as much
    dw = risk.density(m, grid=grid, bandwidth_m=50, weights="severity")
    assert dw[5, 5] == pytest.approx(4 * k0, rel=1e-12)


# --------------------------------------------------------------------------- Gi*
def _esda_gi(y: np.ndarray, w: libpysal.weights.W) -> esda.G_Local:
    return esda.G_Local(y, w, transform="B", star=True, permutations=0)


@pytest.mark.parametrize("value", ["count", "severity"])
def test_gi_star_equals_esda_queen(value: str) -> None:
    m = clustered()
    grid = Grid.from_bounds((X0, Y0, X0 + 1500, Y0 + 1200), 100)
    h = risk.hotspots(m, grid=grid, value=value, weights="queen")
    rows, cols = grid.shape
    w = libpysal.weights.lat2W(rows, cols, rook=False)
    ref = _esda_gi(h["value"].to_numpy(), w)
    assert np.allclose(h["gi"], ref.Gs, rtol=0, atol=1e-12)
    assert np.allclose(h["z"], ref.Zs, rtol=0, atol=1e-9)
    assert np.allclose(h["p_norm"], ref.p_norm, rtol=0, atol=1e-9)
    # and the values are the consented marks per cell
    c = m[m["consent"]].geometry
    assert h["n_marks"].sum() == int(((c.x < X0 + 1500) & (c.y < Y0 + 1200)).sum())
    assert h.attrs["status"] == "ok"
    assert (h["class"] == "hot").sum() > 0


def test_gi_star_equals_esda_rook_and_distance() -> None:
    m = clustered(200, seed=3)
    grid = Grid.from_bounds((X0, Y0, X0 + 1500, Y0 + 1500), 100)
    rows, cols = grid.shape
    h = risk.hotspots(m, grid=grid, weights="rook")
    ref = _esda_gi(h["value"].to_numpy(), libpysal.weights.lat2W(rows, cols, rook=True))
    assert np.allclose(h["z"], ref.Zs, rtol=0, atol=1e-9)
    h = risk.hotspots(m, grid=grid, weights="distance", distance_m=250)
    x, y = grid.xy()
    wd = libpysal.weights.DistanceBand(
        np.c_[x.ravel(), y.ravel()], threshold=250, binary=True, silence_warnings=True
    )
    ref = _esda_gi(h["value"].to_numpy(), wd)
    assert np.allclose(h["z"], ref.Zs, rtol=0, atol=1e-9)
    assert np.allclose(h["p_norm"], ref.p_norm, rtol=0, atol=1e-9)


def test_gi_star_hand_case() -> None:
    # 3 x 3 grid, 9 marks in the centre cell; queen weights with self.
    # Centre: G = 9/9 = 1, E = 9/9 = 1 and Var = 0 -> z undefined (NaN): every cell is
    # its neighbour.
    # Corner (0,0): W = 4, G = 9/9 = 1, E = 4/9, n = 9, mean = 1, s^2 = 81/9 - 1 = 8;
    # Var = 4 * 5 / 8 / 81 * 8 = 20/81 -> z = (1 - 4/9) / sqrt(20/81) = 5 / sqrt(20).
    grid = Grid((X0, Y0 + 300), 100.0, (3, 3))
    m = marks_at([(150, 150)] * 9, ["a"] * 9, [1] * 9, ["dogs"] * 9)
    h = risk.hotspots(m, grid=grid)
    assert np.isnan(h.loc[4, "z"]) and np.isnan(h.loc[4, "p_value"])
    assert h.loc[0, "z"] == pytest.approx(5 / math.sqrt(20), rel=1e-12)
    assert h.loc[1, "z"] == pytest.approx((1 - 6 / 9) / math.sqrt(6 * 3 / 8 / 81 * 8), rel=1e-12)
    # 9 marks in 1 cell: too few to say anything
    assert h.attrs["status"] == risk.TOO_FEW
    assert set(h["class"]) == {risk.TOO_FEW}
    assert not h["significant"].any()
    assert "9 consented marks" in h.attrs["reason"] and "1 cells" in h.attrs["reason"]


def test_fdr_equals_esda() -> None:
    m = clustered(400, seed=5)
    grid = Grid.from_bounds((X0, Y0, X0 + 1500, Y0 + 1500), 100)
    h = risk.hotspots(m, grid=grid, alpha=0.05)
    p = h["p_value"].to_numpy()
    for alpha in (0.01, 0.05, 0.1):
        assert risk.fdr_cutoff(p, alpha) == esda.fdr(p, alpha)
        assert risk.fdr_cutoff(h["p_norm"].to_numpy(), alpha) == esda.fdr(
            h["p_norm"].to_numpy(), alpha
        )
    cut = esda.fdr(p, 0.05)
    assert h.attrs["cutoff"] == cut
    assert (h["significant"] == (p < cut)).all()
    n_sig = int(h["significant"].sum())
    assert 0 < n_sig < int((p < 0.05).sum())  # FDR is stricter than 5 % per cell
    # q-values: significant exactly where q < alpha (no ties here)
    assert (h["significant"] == (h["q"] < 0.05)).all()
    # classes follow the sign of z
    assert (h.loc[h["class"] == "hot", "z"] > 0).all()
    assert (h.loc[h["class"] == "cold", "z"] < 0).all()
    assert set(h.loc[~h["significant"], "class"]) == {"not significant"}
    # without FDR: plain per-cell test at alpha
    h2 = risk.hotspots(m, grid=grid, alpha=0.05, fdr=False)
    assert int(h2["significant"].sum()) == int((p < 0.05).sum())
    # the Bonferroni fallback when nothing passes
    assert risk.fdr_cutoff(np.array([0.5, 0.9, 0.7]), 0.05) == esda.fdr(
        np.array([0.5, 0.9, 0.7]), 0.05
    )


def test_hotspot_thresholds() -> None:
    m = clustered(300, seed=2)
    grid = Grid.from_bounds((X0, Y0, X0 + 1500, Y0 + 1500), 100)
    ok = risk.hotspots(m, grid=grid)
    assert ok.attrs["status"] == "ok" and ok.attrs["min_marks"] == risk.MIN_MARKS == 30
    few = risk.hotspots(m.iloc[:25], grid=grid)
    assert few.attrs["status"] == risk.TOO_FEW
    assert few.attrs["n_marks"] == int(m.iloc[:25]["consent"].sum())
    strict = risk.hotspots(m, grid=grid, min_marks=10_000)
    assert strict.attrs["status"] == risk.TOO_FEW
    assert np.allclose(strict["z"], ok["z"], equal_nan=True)  # numbers kept, verdict withheld


def test_consent_false_never_influences_risk_outputs() -> None:
    m = clustered(300, seed=4)
    no = ~m["consent"]
    other = m.copy()
    geo = other.geometry.to_numpy().copy()
    geo[no.to_numpy()] = shapely.points(np.full((int(no.sum()), 2), [X0 + 50, Y0 + 50]))
    other = other.set_geometry(geo, crs="EPSG:3844")
    other.loc[no, "severity"] = 5
    other.loc[no, "session_id"] = "intruder"
    grid = Grid.from_bounds((X0, Y0, X0 + 1500, Y0 + 1500), 100)
    a, b = risk.hotspots(m, grid=grid), risk.hotspots(other, grid=grid)
    pd.testing.assert_frame_equal(pd.DataFrame(a), pd.DataFrame(b))
    ca = risk.consensus_zones(m, grid=grid)
    cb = risk.consensus_zones(other, grid=grid)
    pd.testing.assert_frame_equal(pd.DataFrame(ca), pd.DataFrame(cb))
    assert ca.attrs["n_groups_total"] == 4
    assert np.array_equal(
        risk.density(m, grid=grid, bandwidth_m=200), risk.density(other, grid=grid, bandwidth_m=200)
    )


# --------------------------------------------------------------------------- households
def test_per_household_by_hand() -> None:
    # settlement S1: 200 m x 100 m, 40 households; S2: unknown households.
    s = gpd.GeoDataFrame(
        {"name": ["S1", "S2"], "households": [40, None]},
        geometry=[
            shapely.box(X0, Y0, X0 + 200, Y0 + 100),
            shapely.box(X0 + 500, Y0, X0 + 600, Y0 + 100),
        ],
        crs="EPSG:3844",
    )
    zones = gpd.GeoDataFrame(
        {"n_marks": [6, 3, 2, 7]},
        geometry=[
            shapely.box(X0, Y0, X0 + 100, Y0 + 100),  # half of S1: 20 households
            shapely.box(X0 + 150, Y0, X0 + 250, Y0 + 100),  # a quarter of S1: 10
            shapely.box(X0 + 500, Y0, X0 + 600, Y0 + 100),  # S2: unknown
            shapely.box(X0 + 900, Y0, X0 + 1000, Y0 + 100),  # no settlement
        ],
        crs="EPSG:3844",
    ).to_crs("EPSG:4326")
    out = risk.per_household(zones, s)
    assert out.crs == zones.crs and out.index.equals(zones.index)
    assert out["households"].iloc[:2].tolist() == pytest.approx([20.0, 10.0], rel=1e-4)
    assert out["marks_per_100_households"].iloc[:2].tolist() == pytest.approx(
        [30.0, 30.0], rel=1e-4
    )
    assert out["households"].iloc[2:].isna().all()
    assert out["marks_per_100_households"].iloc[2:].isna().all()  # NaN, not 0


def test_per_household_on_the_bundled_settlements() -> None:
    # the starter layer knows the households of Colectorului (76) only: cells over it get
    # rates, cells over the others NaN
    from pata_gis.specs import load_catalogue

    spec = load_catalogue()["settlements"]
    assert spec.bundled is not None
    sett = gpd.read_file(spec.bundled)
    metric = sett.to_crs("EPSG:3844")
    pts = metric.sample_points(size=15, rng=np.random.default_rng(0)).explode(index_parts=False)
    marks = gpd.GeoDataFrame(
        {"session_id": "s", "severity": 3, "category": "dogs", "consent": True},
        geometry=pts.to_numpy(),
        index=range(len(pts)),
        crs="EPSG:3844",
    )
    zones = risk.consensus_zones(marks, cell_m=100)
    out = risk.per_household(zones, sett)
    known = metric.loc[sett["households"].notna()].union_all()
    unknown = metric.loc[sett["households"].isna()].union_all()
    only_known = (out.geometry.intersection(known).area > 0) & ~(
        out.geometry.intersection(unknown).area > 0
    )
    assert only_known.sum() >= 3
    rate = out["marks_per_100_households"]
    assert np.isfinite(rate[only_known]).all() and (rate[only_known] > 0).all()
    assert rate[~only_known].isna().all()
    # the estimated households of the cells over Colectorului add up to at most 76
    assert out.loc[only_known, "households"].sum() <= 76 + 1e-6


def test_gi_star_permutation_against_exact_enumeration() -> None:
    # 3 x 4 grid: every subset of neighbours can be enumerated, so the exact
    # conditional-permutation tail probabilities are known.
    from itertools import combinations

    grid = Grid((X0, Y0 + 300), 100.0, (3, 4))
    y = np.array([5, 0, 1, 0, 3, 2, 0, 0, 0, 1, 0, 4], dtype=float)
    w = risk.grid_weights(grid, weights="queen")
    p = risk.gi_star_permutation(y, w, permutations=20_000, seed=0)
    obs = np.asarray(w @ y).ravel()
    card = np.asarray(w.sum(axis=1)).ravel().astype(int)
    for i in range(12):
        others = np.delete(y, i)
        sums = np.array(
            [y[i] + others[list(c)].sum() for c in combinations(range(11), card[i] - 1)]
        )
        exact = min((sums >= obs[i]).mean(), (sums < obs[i]).mean())
        assert p[i] == pytest.approx(exact, abs=0.012), i
    # the folded p-value never exceeds one half (plus the +1 correction)
    assert (p <= 0.5 + 1 / 20_001).all()


def test_hotspots_with_permutations_use_p_sim() -> None:
    # (esda's own permutation test takes minutes here without numba; the exact
    # enumeration above is the oracle for the permutation engine)
    m = clustered(300, seed=8)
    grid = Grid.from_bounds((X0, Y0, X0 + 1500, Y0 + 1500), 100)
    h = risk.hotspots(m, grid=grid, permutations=999, seed=3)
    normal = risk.hotspots(m, grid=grid)
    assert h.attrs["inference"] == "permutation (999)"
    assert normal.attrs["inference"] == "normal" and "p_sim" not in normal.columns
    assert np.allclose(h["p_value"], np.minimum(2 * h["p_sim"], 1.0))
    assert np.allclose(h["z"], normal["z"], equal_nan=True)
    assert h.attrs["cutoff"] == esda.fdr(h["p_value"].to_numpy(), 0.05)
    # the strong cluster is hot either way
    assert (h["class"] == "hot").sum() > 0
    both = (h["class"] == "hot") & (normal["class"] == "hot")
    assert both.sum() >= 0.5 * (normal["class"] == "hot").sum()


def test_no_consented_marks_gives_empty_answers_not_errors() -> None:
    m = marks_at([(10, 10), (20, 20)], ["a", "b"], [3, 3], ["dogs", "dogs"], [False, False])
    z = risk.consensus_zones(m)
    assert len(z) == 0 and "n_groups" in z.columns
    h = risk.hotspots(m)
    assert len(h) == 0 and h.attrs["status"] == risk.TOO_FEW
    grid = Grid((X0, Y0 + 100), 10.0, (10, 10))
    assert not risk.density(m, grid=grid, bandwidth_m=30).any()
    # with a study grid, every cell is there and the verdict is "too few"
    hg = risk.hotspots(m, grid=grid)
    assert len(hg) == 100 and set(hg["class"]) == {risk.TOO_FEW}


def test_gi_star_on_a_study_area_equals_esda_on_the_subset() -> None:
    m = clustered(300, seed=6)
    grid = Grid.from_bounds((X0, Y0, X0 + 1500, Y0 + 1500), 100)
    area = shapely.Point(X0 + 700, Y0 + 700).buffer(600)
    h = risk.hotspots(m, grid=grid, area=area)
    x, y = grid.xy()
    sel = np.flatnonzero(shapely.contains_xy(area, x.ravel(), y.ravel()))
    assert (h["row"] * grid.shape[1] + h["col"]).tolist() == sel.tolist()
    rows, cols = grid.shape
    wsub = libpysal.weights.w_subset(
        libpysal.weights.lat2W(rows, cols, rook=False), sel.tolist(), silence_warnings=True
    )
    ref = _esda_gi(h["value"].to_numpy(), wsub)
    assert np.allclose(h["z"], ref.Zs, rtol=0, atol=1e-9)
    # only the marks in the area count
    c = m[m["consent"]].geometry
    r, cc = grid.cell_of(c.x, c.y)
    assert h["n_marks"].sum() == int(np.isin(r * cols + cc, sel).sum())
    # a frame in another CRS works the same
    frame = gpd.GeoDataFrame(geometry=[area], crs="EPSG:3844").to_crs("EPSG:4326")
    h2 = risk.hotspots(m, grid=grid, area=frame)
    assert len(h2) == len(h)
