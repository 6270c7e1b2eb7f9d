"""Segregation indices against PySAL segregation, by hand, and the randomisation test."""

from __future__ import annotations

import itertools
import math
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from shapely.geometry import Point, box

from pata_gis import segregation as sg
from pata_gis._errors import InputError

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    # Only the index classes: never segregation.datasets or libpysal.examples (downloads).
    from segregation.singlegroup import (
        Dissim,
        Entropy,
        Interaction,
        Isolation,
        RelativeCentralization,
        SpatialDissim,
    )
    from segregation.singlegroup.gini import _gini_vecp


def _pysal_gini(x: np.ndarray, t: np.ndarray) -> float:
    """PySAL's Gini kernel as written (its ``py_func``): the numba build takes ~30 s to compile."""
    return float(_gini_vecp.py_func(np.asarray(x, float), np.asarray(t, float)))


X0, Y0 = 400_000.0, 580_000.0
CELL = 250.0


def _grid(nx: int = 5, ny: int = 4, seed: int = 7) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    t = rng.integers(5, 60, nx * ny)
    x = np.minimum(t, rng.integers(0, 12, nx * ny))
    if nx * ny > 5:
        x[3] = 0  # a unit without relocated households
        t[5], x[5] = 0, 0  # an empty unit
    geoms = [
        box(X0 + i * CELL, Y0 + j * CELL, X0 + (i + 1) * CELL, Y0 + (j + 1) * CELL)
        for j in range(ny)
        for i in range(nx)
    ]
    return gpd.GeoDataFrame({"relocated": x, "total": t}, geometry=geoms, crs="EPSG:3844")


# ------------------------------------------------------------------ by hand
def test_indices_by_hand_four_units() -> None:
    x, t = [10, 0, 5, 5], [20, 20, 20, 20]
    # P = 1/4; p = .5, 0, .25, .25; D = 20 (.25 + .25) / (2 * 80 * .25 * .75) = 1/3
    assert sg.dissimilarity(x, t) == pytest.approx(1 / 3)
    # xPx = .5 * .5 + .25 * .25 + .25 * .25 = .375; xPy = 1 - xPx
    assert sg.isolation(x, t) == pytest.approx(0.375)
    assert sg.exposure(x, t) == pytest.approx(0.625)
    # Gini: sum_ij t_i t_j |p_i - p_j| = 400 * 2 * (.5 + .25 + .25 + .25 + .25 + 0) = 1200
    assert sg.gini(x, t) == pytest.approx(1200 / (2 * 80**2 * 0.25 * 0.75))
    # complete separation and perfect evenness
    assert sg.dissimilarity([20, 0], [20, 20]) == pytest.approx(1.0)
    assert sg.dissimilarity([5, 5], [20, 20]) == pytest.approx(0.0)
    assert sg.entropy([20, 0], [20, 20]) == pytest.approx(1.0)


def test_relative_centralisation_by_hand() -> None:
    # group all in the central unit, others all outside: RCE = 1; reversed: -1
    assert sg.relative_centralisation([10, 0], [10, 10], [0.0, 5.0]) == pytest.approx(1.0)
    assert sg.relative_centralisation([10, 0], [10, 10], [5.0, 0.0]) == pytest.approx(-1.0)


def test_spatial_dissimilarity_checkerboard_below_block() -> None:
    # 2 x 2: a checkerboard has neighbours with different shares, a block does not
    grid = _grid(2, 2)
    w = sg.contiguity_weights(grid, rook=True)
    assert w.toarray().tolist() == [[0, 1, 1, 0], [1, 0, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]]
    t = [10, 10, 10, 10]
    checker = sg.spatial_dissimilarity([10, 0, 0, 10], t, w)
    block = sg.spatial_dissimilarity([10, 10, 0, 0], t, w)
    assert sg.dissimilarity([10, 0, 0, 10], t) == sg.dissimilarity([10, 10, 0, 0], t) == 1.0
    assert checker == pytest.approx(0.0)  # every rook neighbour pair differs by 1
    assert block == pytest.approx(0.5)  # half the neighbour pairs differ


def test_input_errors_name_the_unit() -> None:
    with pytest.raises(InputError, match="unit 1: group count 5 exceeds the total 3"):
        sg.dissimilarity([1, 5], [4, 3])
    with pytest.raises(InputError, match="no relocated households"):
        sg.isolation([0, 0], [4, 3])
    with pytest.raises(InputError, match="unit 0"):
        sg.exposure([np.nan, 1], [4, 3])
    with pytest.raises(InputError, match="differ in length"):
        sg.gini([1, 2], [4, 3, 3])
    # a missing count is an error, not "too few to say"
    with pytest.raises(InputError, match="unit 2 is nan"):
        sg.randomisation_test(pd.array([10, 2, pd.NA], dtype="Int64"), [20, 20, 20])


# ------------------------------------------------------------------ against PySAL segregation
def test_aspatial_indices_equal_pysal() -> None:
    g = _grid()
    df = pd.DataFrame(g[["relocated", "total"]])
    x, t = g["relocated"].to_numpy(), g["total"].to_numpy()
    pairs = {
        "dissimilarity": Dissim,
        "isolation": Isolation,
        "exposure": Interaction,
        "entropy": Entropy,
    }
    for name, cls in pairs.items():
        ours = getattr(sg, name)(x, t)
        theirs = cls(df, "relocated", "total").statistic
        assert ours == pytest.approx(theirs, abs=1e-9), name
    assert sg.gini(x, t) == pytest.approx(_pysal_gini(x, t), abs=1e-9)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_aspatial_indices_equal_pysal_random_tables(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 60))
    t = rng.integers(0, 200, n)
    t[0] = max(t[0], 1)
    x = rng.binomial(t, rng.uniform(0, 0.6, n))
    x[0] = 1
    df = pd.DataFrame({"x": x, "t": t})
    for name, cls in [
        ("dissimilarity", Dissim),
        ("isolation", Isolation),
        ("exposure", Interaction),
    ]:
        assert getattr(sg, name)(x, t) == pytest.approx(cls(df, "x", "t").statistic, abs=1e-9)
    assert sg.gini(x, t) == pytest.approx(_pysal_gini(x, t), abs=1e-9)
    assert sg.entropy(x, t) == pytest.approx(Entropy(df, "x", "t").statistic, abs=1e-9)


def test_spatial_dissimilarity_equals_pysal_queen() -> None:
    g = _grid()
    x, t = g["relocated"].to_numpy(), g["total"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = SpatialDissim(g, "relocated", "total").statistic  # PySAL's own Queen weights
        theirs_std = SpatialDissim(g, "relocated", "total", standardize=True).statistic
    w = sg.contiguity_weights(g)
    assert sg.spatial_dissimilarity(x, t, w) == pytest.approx(theirs, abs=1e-9)
    assert sg.spatial_dissimilarity(x, t, w, row_standardise=True) == pytest.approx(
        theirs_std, abs=1e-9
    )
    # a libpysal W works as the weights too
    from libpysal.weights import Queen

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        qw = Queen.from_dataframe(g, use_index=False)
    np.testing.assert_array_equal(qw.sparse.toarray(), w.toarray())
    assert sg.spatial_dissimilarity(x, t, qw) == pytest.approx(theirs, abs=1e-9)


def test_relative_centralisation_equals_pysal() -> None:
    g = _grid()
    x, t = g["relocated"].to_numpy(), g["total"].to_numpy()
    centre = (X0 + 123.4, Y0 + 456.7)
    c = g.geometry.centroid
    dist = np.hypot(c.x - centre[0], c.y - centre[1]).to_numpy()
    assert len(np.unique(dist)) == len(dist)
    theirs = RelativeCentralization(g, "relocated", "total", center=centre).statistic
    assert sg.relative_centralisation(x, t, dist) == pytest.approx(theirs, abs=1e-9)
    # indices() with the same centre
    out = sg.indices(g, centre=centre)
    assert out["relative_centralisation"] == pytest.approx(theirs, abs=1e-9)
    assert out["dissimilarity"] == pytest.approx(
        Dissim(pd.DataFrame(g[["relocated", "total"]]), "relocated", "total").statistic, abs=1e-9
    )
    assert out["n_group"] == x.sum() and out["n_units"] == len(g)


# ------------------------------------------------------------------ units
def test_units_from_points_counts_by_hand() -> None:
    units = gpd.GeoDataFrame(
        {"name": ["a", "b"], "homes": [30, 10]},
        geometry=[box(X0, Y0, X0 + 100, Y0 + 100), box(X0 + 100, Y0, X0 + 200, Y0 + 100)],
        crs="EPSG:3844",
    )
    hh = gpd.GeoDataFrame(
        {"relocated": [True, True, False, True, True], "n": [2, 1, 4, 3, 1]},
        geometry=[
            Point(X0 + 10, Y0 + 10),
            Point(X0 + 100, Y0 + 50),  # on the shared border: counts in "a" only
            Point(X0 + 150, Y0 + 50),
            Point(X0 + 150, Y0 + 60),
            Point(X0 + 900, Y0 + 900),  # in no unit
        ],
        crs="EPSG:3844",
    )
    out = sg.units_from_points(hh, units, group="relocated", count="n", population="homes")
    assert out["relocated"].tolist() == [3, 3]
    assert out["other"].tolist() == [30, 14]
    assert out["total"].tolist() == [33, 17]
    assert out.attrs["outside"] == 1.0
    assert out.attrs["sensitivity"] == "restricted"
    assert out.crs.to_epsg() == 3844
    # households in lon/lat are projected first (the border point is left out here:
    # the round trip moves it by a few nanometres)
    ll = sg.units_from_points(hh.drop(index=[1, 4]).to_crs("EPSG:4326"), units, count="n")
    assert ll["relocated"].tolist() == [2, 7]


def test_grid_units_cover_points() -> None:
    pts = gpd.GeoSeries([Point(X0 + 10, Y0 + 10), Point(X0 + 1010, Y0 + 480)], crs="EPSG:3844")
    g = sg.grid_units(pts, 500)
    assert sorted(g["cell_id"]) == ["0_0", "2_0"]
    assert g.geometry.area.tolist() == [250_000.0, 250_000.0]


# ------------------------------------------------------------------ inference
def test_too_few_to_say() -> None:
    res = sg.randomisation_test([3, 0, 1], [20, 20, 20], seed=0)
    assert res.verdict == "too few to say"
    assert math.isnan(res.p_value)
    assert "fewer than 10" in res.message
    assert res.observed == pytest.approx(sg.dissimilarity([3, 0, 1], [20, 20, 20]))
    few_units = sg.randomisation_test([20, 0], [40, 40], seed=0)
    assert few_units.verdict == "too few to say" and "populated unit" in few_units.message
    assert sg.randomisation_test([0, 0, 0], [5, 5, 5]).verdict == "too few to say"


def _exact_null_mean(t: list[int], X: int) -> float:
    """E[D] by enumerating every allocation with its multivariate hypergeometric probability."""
    total = 0.0
    T = sum(t)
    for alloc in itertools.product(*[range(min(ti, X) + 1) for ti in t]):
        if sum(alloc) != X:
            continue
        prob = math.prod(math.comb(ti, ai) for ti, ai in zip(t, alloc, strict=True)) / math.comb(
            T, X
        )
        total += prob * sg.dissimilarity(list(alloc), t)
    return total


def test_null_distribution_matches_exact_enumeration() -> None:
    t = [6, 4, 5, 3]
    X = 10
    exact = _exact_null_mean(t, X)
    res = sg.randomisation_test(
        [6, 4, 0, 0], t, n_permutations=4000, seed=1, min_group=1, min_units=1
    )
    se = res.null.std() / math.sqrt(res.null.size)
    assert abs(res.null.mean() - exact) < 4 * se
    # all relocated in the first two units is the most uneven allocation there is
    assert res.observed == pytest.approx(1.0)


def test_clear_segregation_and_clear_evenness() -> None:
    t = np.full(20, 20)
    clustered = np.zeros(20, int)
    clustered[:2] = 20  # 40 families fill two units
    r = sg.randomisation_test(clustered, t, n_permutations=999, seed=2)
    assert r.verdict == "more segregated than random"
    assert r.p_value == pytest.approx(1 / 1000)
    even = np.full(20, 2)
    r2 = sg.randomisation_test(even, t, n_permutations=999, seed=2)
    assert r2.observed == pytest.approx(0.0) and r2.p_value == pytest.approx(1.0)
    assert r2.verdict == "consistent with random allocation"
    assert r2.null_mean > 0.1  # chance alone makes D positive: the small-number bias
    # exposure: low means segregated
    r3 = sg.randomisation_test(clustered, t, index="exposure", n_permutations=199, seed=2)
    assert r3.observed == pytest.approx(0.0) and r3.verdict == "more segregated than random"


def test_null_mean_agrees_with_pysal_person_permutation() -> None:
    from segregation.inference import SingleValueTest

    g = _grid()
    df = pd.DataFrame(g[["relocated", "total"]])
    np.random.seed(0)  # noqa: NPY002  (PySAL draws from the legacy global generator)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = SingleValueTest(
            Dissim(df, "relocated", "total"),
            iterations_under_null=60,
            null_approach="person_permutation",
            n_jobs=1,
        )
    ours = sg.randomisation_test(df["relocated"], df["total"], n_permutations=2000, seed=0)
    se = math.hypot(theirs.est_sim.std() / math.sqrt(60), ours.null.std() / math.sqrt(2000))
    assert abs(theirs.est_sim.mean() - ours.null_mean) < 4 * se
    assert ours.observed == pytest.approx(theirs.statistic, abs=1e-9)
    # the two tests agree on the verdict at 5 %
    assert (theirs.p_value < 0.05) == (ours.p_value < 0.05)
    # and the spread is the same distribution (two-sample KS does not reject)
    assert stats.ks_2samp(theirs.est_sim, ours.null).pvalue > 0.001


def test_spatial_inference_and_table() -> None:
    g = _grid()
    w = sg.contiguity_weights(g)
    r = sg.randomisation_test(
        g["relocated"], g["total"], index="spatial_dissimilarity", w=w, n_permutations=99, seed=0
    )
    assert 0 < r.p_value <= 1 and r.n_group == int(g["relocated"].sum())
    tab = sg.randomisation_tests(g, n_permutations=99, seed=0)
    assert list(tab.index) == ["dissimilarity", "isolation", "exposure", "gini", "entropy"]
    assert tab.loc["dissimilarity", "observed"] == pytest.approx(
        sg.dissimilarity(g["relocated"], g["total"])
    )
    with pytest.raises(InputError, match="needs w="):
        sg.randomisation_test(g["relocated"], g["total"], index="spatial_dissimilarity")


@pytest.mark.parametrize(("X", "documented"), [(5, 0.78), (10, 0.61), (20, 0.36), (50, 0.26)])
def test_small_number_bias_table_in_the_docs(X: int, documented: float) -> None:
    x = np.zeros(20)
    x[0] = X
    r = sg.randomisation_test(x, np.full(20, 50), n_permutations=999, seed=3, min_group=1)
    assert r.null_mean == pytest.approx(documented, abs=0.015)
