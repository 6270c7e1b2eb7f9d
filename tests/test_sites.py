"""Site evaluation: transforms, scores and ranks by hand; AHP on published matrices; constraints."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from pata_gis import pollution, sites
from pata_gis._errors import InputError
from pata_gis.sites import Criterion

REPO = Path(__file__).resolve().parents[1]
X0, Y0 = 400_000.0, 580_000.0  # Stereo 70, beside Pata Rât


# ------------------------------------------------------------------ transforms by hand
def test_linear_min_max_and_fixed_bounds() -> None:
    np.testing.assert_allclose(sites.linear([10, 20, 40], lower=10, upper=40), [0, 1 / 3, 1])
    np.testing.assert_allclose(
        sites.linear([10, 20, 40], lower=10, upper=40, direction="cost"), [1, 2 / 3, 0]
    )
    # fixed bounds clip outside values
    np.testing.assert_allclose(
        sites.linear([0, 250, 1000], lower=100, upper=600, direction="benefit"), [0, 0.3, 1]
    )
    # a criterion that does not discriminate scores 1 everywhere, NaN stays NaN
    out = sites.linear([5, np.nan, 5], lower=5, upper=5)
    assert out[0] == 1 and np.isnan(out[1]) and out[2] == 1
    # min-max over the candidate set (the reference), not over the values scored
    c = Criterion("t", "cost", "linear")
    np.testing.assert_allclose(c.apply([20, 30], reference=[10, 30]), [0.5, 0.0])


def test_threshold_step_and_piecewise() -> None:
    np.testing.assert_array_equal(sites.threshold([10, 15, 20], good=15), [1, 1, 0])
    np.testing.assert_array_equal(
        sites.threshold([10, 15, 20], good=15, direction="benefit"), [0, 1, 1]
    )
    np.testing.assert_allclose(sites.threshold([10, 30, 45, 60], good=15, bad=45), [1, 0.5, 0, 0])
    np.testing.assert_allclose(
        sites.threshold([500, 1750, 4000], good=3000, bad=500, direction="benefit"), [0, 0.5, 1]
    )
    with pytest.raises(InputError, match="contradicts"):
        sites.threshold([1], good=45, bad=15, direction="cost")
    with pytest.raises(InputError, match="contradicts"):
        Criterion("time_school_min", "cost", "threshold", good=45, bad=15)


def test_ideal_range_symmetric_and_asymmetric() -> None:
    np.testing.assert_allclose(
        sites.ideal_range([0.5, 0.9, 0.2, 0.0, 1.3], low=0.4, high=0.8, tolerance=0.4),
        [1, 0.75, 0.5, 0, 0],
    )
    np.testing.assert_allclose(
        sites.ideal_range([0.3, 1.0, 0.1], low=0.4, high=0.8, tolerance=(0.2, 0.4)), [0.5, 0.5, 0]
    )
    # tolerance 0 on a side: a hard step there
    np.testing.assert_allclose(
        sites.ideal_range([0.39, 0.4, 0.9], low=0.4, high=0.8, tolerance=(0, 0.2)), [0, 1, 0.5]
    )


def test_inverse_cost_and_benefit() -> None:
    np.testing.assert_allclose(sites.inverse([0, 0.1, 0.3], x0=0.1), [1, 0.5, 0.25])
    np.testing.assert_allclose(sites.inverse([2, 6], x0=2, direction="benefit"), [0.5, 0.75])
    with pytest.raises(InputError, match=">= 0"):
        sites.inverse([-1], x0=1)


def test_criterion_needs_its_parameters() -> None:
    with pytest.raises(InputError, match="good="):
        Criterion("a", transform="threshold")
    with pytest.raises(InputError, match="ideal="):
        Criterion("a", transform="ideal_range")
    with pytest.raises(InputError, match="x0="):
        Criterion("a", transform="inverse")
    with pytest.raises(InputError, match="unknown transform"):
        Criterion("a", transform="log")  # type: ignore[arg-type]


# ------------------------------------------------------------------ MCDA by hand
def _three_by_three() -> tuple[pd.DataFrame, list[Criterion], dict[str, float]]:
    df = pd.DataFrame(
        {
            "time_school_min": [10.0, 20.0, 40.0],
            "exposure_mean": [0.3, 0.1, 0.0],
            "mix_index": [0.5, 0.9, 0.2],
        },
        index=pd.Index(["A", "B", "C"], name="site"),
    )
    crit = [
        Criterion("time_school_min", "cost", "linear"),
        Criterion("exposure_mean", "cost", "inverse", x0=0.1),
        Criterion("mix_index", "benefit", "ideal_range", ideal=(0.4, 0.8), tolerance=0.4),
    ]
    return df, crit, {"time_school_min": 5, "exposure_mean": 3, "mix_index": 2}


def test_score_equals_hand_computed_three_by_three() -> None:
    df, crit, w = _three_by_three()
    out = sites.score(df, crit, w)
    # school (cost, min-max 10..40): 1, 2/3, 0; exposure 1/(1+x/0.1): 0.25, 0.5, 1;
    # mix ideal 0.4..0.8 tol 0.4: 1, 0.75, 0.5; weights 0.5, 0.3, 0.2.
    np.testing.assert_allclose(out.loc[["A", "B", "C"], "s_time_school_min"], [1, 2 / 3, 0])
    np.testing.assert_allclose(out.loc[["A", "B", "C"], "s_exposure_mean"], [0.25, 0.5, 1])
    np.testing.assert_allclose(out.loc[["A", "B", "C"], "s_mix_index"], [1, 0.75, 0.5])
    expected = {"A": 0.775, "B": 0.5 * 2 / 3 + 0.15 + 0.15, "C": 0.4}
    for k, v in expected.items():
        assert out.loc[k, "score"] == pytest.approx(v, abs=1e-12)
    assert out["rank"].tolist() == [1, 2, 3]
    assert out.index.tolist() == ["A", "B", "C"]
    assert (out["status"] == "ranked").all()
    assert out.attrs["weights"] == pytest.approx(
        {"time_school_min": 0.5, "exposure_mean": 0.3, "mix_index": 0.2}
    )


def test_missing_value_is_flagged_never_zero() -> None:
    df, crit, w = _three_by_three()
    df.loc["B", "exposure_mean"] = np.nan
    out = sites.score(df, crit, w)
    assert out.loc["B", "status"] == "no data"
    assert pd.isna(out.loc["B", "rank"]) and np.isnan(out.loc["B", "score"])
    assert out.loc["B", "reason"] == "no data: exposure_mean"
    assert out.index[-1] == "B"  # listed after the ranked sites
    assert out.loc[["A", "C"], "rank"].tolist() == [1, 2]
    # "worst": the gap scores 0, the site is ranked, the gap is still named
    worst = sites.score(df, crit, w, missing="worst")
    assert worst.loc["B", "status"] == "ranked"
    assert worst.loc["B", "missing"] == "exposure_mean"
    assert worst.loc["B", "score"] == pytest.approx(0.5 * 2 / 3 + 0.15)
    # a weight of 0 does not need data
    w0 = dict(w, exposure_mean=0)
    assert sites.score(df, crit, w0).loc["B", "status"] == "ranked"


def test_excluded_sites_are_listed_last_with_the_reason() -> None:
    df, crit, w = _three_by_three()
    cons = pd.DataFrame(
        {
            "legal_zone": pd.array([True, False, False], dtype="boolean"),
            "flood": pd.array([False, False, pd.NA], dtype="boolean"),
        },
        index=df.index,
    )
    cons["excluded"] = [True, False, False]
    out = sites.score(df, crit, w, constraints=cons)
    assert out.index.tolist() == ["B", "C", "A"]
    assert out.loc["A", "status"] == "excluded" and out.loc["A", "reason"] == "inside: legal_zone"
    assert pd.isna(out.loc["A", "rank"])
    assert out.loc["C", "unknown_constraints"] == "flood"
    # min-max of time over the eligible sites only (20..40): B 1, C 0
    assert out.loc["B", "s_time_school_min"] == 1.0
    assert out["order"].tolist() == [1, 2, 3]


def test_weights_must_match_criteria() -> None:
    df, crit, _ = _three_by_three()
    with pytest.raises(InputError, match="no weight for"):
        sites.score(df, crit, {"time_school_min": 1})
    with pytest.raises(InputError, match=">= 0"):
        sites.score(df, crit, {"time_school_min": -1, "exposure_mean": 1, "mix_index": 1})
    with pytest.raises(InputError, match="lacks column"):
        sites.score(df.drop(columns="mix_index"), crit, {c.column: 1 for c in crit})


# ------------------------------------------------------------------ hard constraints
def _metric(geoms: list, **cols: list) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(cols, geometry=geoms, crs="EPSG:3844")


def test_hard_constraints_inside_outside_touching_and_no_data() -> None:
    s = _metric(
        [
            box(X0, Y0, X0 + 100, Y0 + 100),  # overlaps the zone
            box(X0 + 500, Y0, X0 + 600, Y0 + 100),  # touches its edge only
            box(X0 + 2000, Y0, X0 + 2100, Y0 + 100),  # far away, in the flood extent
            box(X0 + 9000, Y0, X0 + 9100, Y0 + 100),  # outside the flood extent
        ],
        name=["a", "b", "c", "d"],
    )
    zone = _metric([box(X0 - 500, Y0 - 500, X0 + 500, Y0 + 500)])
    flood = _metric([box(X0 + 1900, Y0 + 50, X0 + 1950, Y0 + 60)])  # inside extent, no site
    extent = box(X0 - 1000, Y0 - 1000, X0 + 5000, Y0 + 1000)
    empty = gpd.GeoDataFrame(geometry=[], crs="EPSG:3844")
    out = sites.hard_constraints(
        s, {"zone": zone, "flood": flood, "survey": empty}, data_extent={"flood": extent}
    )
    assert out["zone"].tolist() == [True, False, False, False]
    assert out["flood"].tolist()[:3] == [False, False, False]
    assert pd.isna(out["flood"].iloc[3])
    assert out["survey"].isna().all()  # an empty layer without an extent proves nothing
    assert out["excluded"].tolist() == [True, False, False, False]
    assert out["no_data"].tolist() == [True, True, True, True]
    assert out["reason"].iloc[0] == "inside: zone; no data: survey"
    assert out["reason"].iloc[3] == "no data: flood, survey"
    # a known "inside" wins over a missing extent
    out2 = sites.hard_constraints(s, {"zone": zone}, data_extent={"zone": box(0, 0, 1, 1)})
    assert bool(out2["zone"].iloc[0])
    assert out2["zone"].iloc[1:].isna().all()


def test_hard_constraints_tolerance_ignores_slivers() -> None:
    zone = _metric([box(X0, Y0, X0 + 100, Y0 + 100)])
    s = _metric([box(X0 + 99.5, Y0, X0 + 200, Y0 + 100), box(X0 + 90, Y0, X0 + 200, Y0 + 100)])
    assert sites.hard_constraints(s, {"z": zone})["z"].tolist() == [True, True]
    out = sites.hard_constraints(s, {"z": zone}, tolerance_m=1.0)
    assert out["z"].tolist() == [False, True]
    with pytest.raises(InputError, match="tolerance_m"):
        sites.hard_constraints(s, {"z": zone}, tolerance_m=-1)


def test_hard_constraints_legal_zone_from_landfill_distance_by_hand() -> None:
    landfill = _metric([box(X0, Y0, X0 + 100, Y0 + 100)], status=["active"])
    zone = pollution.legal_zone(landfill, distance_m=1000)
    s = _metric(
        [Point(X0 + 100 + 999, Y0 + 50), Point(X0 + 100 + 1001, Y0 + 50)], name=["in", "out"]
    )
    out = sites.hard_constraints(s, {"legal_zone": zone})
    assert out["legal_zone"].tolist() == [True, False]
    # sites given in lon/lat are projected first
    out_ll = sites.hard_constraints(s.to_crs("EPSG:4326"), {"legal_zone": zone})
    assert out_ll["legal_zone"].tolist() == [True, False]


def test_bundled_counter_example_site_is_excluded() -> None:
    cands = gpd.read_file(REPO / "layers" / "candidate_sites.geojson")
    landfill = gpd.read_file(REPO / "layers" / "landfill.geojson")
    out = sites.hard_constraints(cands, {"legal_zone": pollution.legal_zone(landfill)})
    excluded = cands.loc[out["excluded"], "name"].tolist()
    assert len(excluded) == 1 and "Pata Rât" in excluded[0]


def test_hard_constraints_refuse_missing_crs() -> None:
    s = gpd.GeoDataFrame(geometry=[Point(X0, Y0)])
    with pytest.raises(InputError):
        sites.hard_constraints(s, {"zone": box(0, 0, 1, 1)})


# ------------------------------------------------------------------ AHP
def test_ahp_classic_three_by_three() -> None:
    # The 3 x 3 matrix of many AHP tutorials, with its widely quoted results:
    # weights 0.637/0.258/0.105, lambda_max 3.039, CR 0.033 (RI 0.58, Saaty 1980).
    w, lam, ci, cr = sites.ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    np.testing.assert_allclose(w.to_numpy(), [0.637, 0.258, 0.105], atol=5e-4)
    assert lam == pytest.approx(3.039, abs=5e-4)
    assert ci == pytest.approx((lam - 3) / 2)
    assert cr == pytest.approx(0.033, abs=5e-4)


def test_ahp_saaty_2008_drinks() -> None:
    # Saaty, T. L. (2008) Decision making with the analytic hierarchy process,
    # Int. J. Services Sciences 1(1), 83-98, Table 3 (relative consumption of
    # drinks in the US): eigenvector .177 .019 .042 .116 .190 .129 .327, CR .022.
    names = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
    m = [
        [1, 9, 5, 2, 1, 1, 1 / 2],
        [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
        [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
        [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [1, 9, 4, 2, 1, 2, 1 / 2],
        [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
        [2, 9, 9, 3, 2, 3, 1],
    ]
    res = sites.ahp_weights(m, labels=names)
    published = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
    np.testing.assert_allclose(res.weights[names].to_numpy(), published, atol=5e-4)
    assert res.cr == pytest.approx(0.022, abs=5e-4)
    # Saaty's 2005 RI table (as AHPy uses) gives the same CR to 3 decimals
    assert sites.ahp_weights(m, random_index=sites.RANDOM_INDEX_2005).cr == pytest.approx(
        0.022, abs=5e-4
    )


def test_ahp_leader_example_from_comparisons() -> None:
    # Wikipedia "AHP - leader example" criteria, as computed by AHPy with the
    # principal eigenvector: experience .548, education .127, charisma .270,
    # age .056, CR .044.
    m = sites.ahp_matrix(
        {
            ("experience", "education"): 4,
            ("experience", "charisma"): 3,
            ("experience", "age"): 7,
            ("education", "charisma"): 1 / 3,
            ("education", "age"): 3,
            ("charisma", "age"): 5,
        }
    )
    w, _, _, cr = sites.ahp_weights(m)
    assert w.round(3).to_dict() == {
        "experience": 0.548,
        "education": 0.127,
        "charisma": 0.270,
        "age": 0.056,
    }
    assert cr == pytest.approx(0.044, abs=5e-4)


def test_ahp_consistent_matrix_recovers_weights_exactly() -> None:
    true = np.array([0.5, 0.3, 0.2])
    w, lam, ci, cr = sites.ahp_weights(true[:, None] / true[None, :])
    np.testing.assert_allclose(w.to_numpy(), true, atol=1e-12)
    assert lam == pytest.approx(3.0) and ci == pytest.approx(0, abs=1e-12)
    assert cr == pytest.approx(0, abs=1e-12)


def test_ahp_refuses_bad_matrices() -> None:
    with pytest.raises(InputError, match=r"not reciprocal.*row 0, column 1"):
        sites.ahp_weights([[1, 3, 5], [3, 1, 3], [1 / 5, 1 / 3, 1]])
    with pytest.raises(InputError, match="positive"):
        sites.ahp_weights([[1, -3], [-1 / 3, 1]])
    with pytest.raises(InputError, match="diagonal"):
        sites.ahp_weights([[2, 3], [1 / 3, 1]])
    with pytest.raises(InputError, match="square"):
        sites.ahp_weights([[1, 2, 3], [0.5, 1, 2]])
    with pytest.raises(InputError, match="no judgement"):
        sites.ahp_matrix({("a", "b"): 2, ("b", "c"): 2})


def test_ahp_warns_on_inconsistent_judgements() -> None:
    cyclic = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]  # a > b > c > a
    with pytest.warns(UserWarning, match="consistency ratio"):
        _, _, _, cr = sites.ahp_weights(cyclic)
    assert cr > 0.1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sites.ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])


def test_ahp_weights_feed_score() -> None:
    df, crit, _ = _three_by_three()
    cols = [c.column for c in crit]
    w = sites.ahp_weights([[1, 5 / 3, 5 / 2], [3 / 5, 1, 3 / 2], [2 / 5, 2 / 3, 1]], labels=cols)
    out = sites.score(df, crit, w.weights)
    assert out.loc["A", "score"] == pytest.approx(0.775)


# ------------------------------------------------------------------ stakeholders
def _two_criteria() -> tuple[pd.DataFrame, list[Criterion]]:
    df = pd.DataFrame(
        {"c1": [1.0, 0.9, 0.2, 0.0], "c2": [0.0, 0.8, 0.9, 1.0]},
        index=pd.Index(list("ABCD"), name="site"),
    )
    crit = [Criterion(c, "benefit", "linear", bounds=(0.0, 1.0)) for c in ("c1", "c2")]
    return df, crit


def test_compare_stakeholders_by_hand() -> None:
    df, crit = _two_criteria()
    sets = {
        "community": {"c1": 1, "c2": 0},
        "planners": {"c1": 0, "c2": 1},
        "police": {"c1": 1, "c2": 1},
    }
    res = sites.compare_stakeholders(df, crit, sets, top_k=3)
    s = res.sites
    # community: A1 B2 C3 D4; planners: D1 C2 B3 A4; police (.5 .85 .55 .5): B1 C2 A3 D3
    assert s.loc[list("ABCD"), "rank_community"].tolist() == [1, 2, 3, 4]
    assert s.loc[list("ABCD"), "rank_planners"].tolist() == [4, 3, 2, 1]
    assert s.loc[list("ABCD"), "rank_police"].tolist() == [3, 1, 2, 3]
    assert s.loc[list("ABCD"), "agreement"].tolist() == [
        "contested",
        "all top",
        "all top",
        "contested",
    ]
    assert s.loc[list("ABCD"), "max_rank_diff"].tolist() == [3, 2, 1, 3]
    # A: best for the community (rank 1), worst for planners (4). Weight difference
    # (1, -1) times (s - mean) = (1 - .525, -(0 - .675)) = (.475, .675): c2 drives it.
    assert s.loc["A", "ranked_best_by"] == "community"
    assert s.loc["A", "ranked_worst_by"] == "planners"
    assert s.loc["A", "driver"] == "c2"
    # D: best for planners, worst for the community: (-1, 1) * (0 - .525, 1 - .675) -> c1
    assert (s.loc["D", "ranked_best_by"], s.loc["D", "driver"]) == ("planners", "c1")
    p = res.pairs.set_index(["a", "b"])
    assert p.loc[("community", "planners"), "kendall_tau"] == pytest.approx(-1.0)
    assert p.loc[("community", "planners"), "spearman_rho"] == pytest.approx(-1.0)
    # 3 concordant, 2 discordant pairs, one tie in police: tau-b = 1 / sqrt(6 * 5)
    assert p.loc[("community", "police"), "kendall_tau"] == pytest.approx(1 / math.sqrt(30))
    assert p.loc[("community", "police"), "top_k_shared"] == 3  # A, B, C (police: B C A=D)
    assert not p.loc[("community", "planners"), "same_top"]
    with pytest.raises(InputError, match="weight set 'police'"):
        sites.compare_stakeholders(df, crit, dict(sets, police={"c1": 1}))


# ------------------------------------------------------------------ sensitivity
def _unit_sites() -> tuple[pd.DataFrame, list[Criterion], dict[str, float]]:
    df = pd.DataFrame(np.eye(3), columns=["c1", "c2", "c3"], index=pd.Index(list("ABC")))
    crit = [Criterion(c, "benefit", "linear", bounds=(0.0, 1.0)) for c in df.columns]
    return df, crit, {"c1": 0.5, "c2": 0.3, "c3": 0.2}


def test_rank_reversal_thresholds_by_hand() -> None:
    df, crit, w = _unit_sites()
    t = sites.rank_reversal_thresholds(df, crit, w)
    assert (t["top_site"] == "A").all()
    # c1 down by d: A = .5 + d, B = .3 (1 - 2d): tie at d = -1/8
    assert t.loc["c1", "delta_down"] == pytest.approx(-0.125)
    assert t.loc["c1", "weight_down"] == pytest.approx(0.375)
    assert t.loc["c1", "new_top_down"] == "B"
    assert np.isnan(t.loc["c1", "delta_up"]) and pd.isna(t.loc["c1", "new_top_up"])
    # c2 up by d: A = .5 (.7 - d) / .7, B = .3 + d: tie at d = 7/60
    assert t.loc["c2", "delta_up"] == pytest.approx(7 / 60)
    assert t.loc["c2", "new_top_up"] == "B"
    assert np.isnan(t.loc["c2", "delta_down"])
    # c3 up by d: A = .5 (.8 - d) / .8, C = .2 + d: tie at d = .3 / 1.625
    assert t.loc["c3", "delta_up"] == pytest.approx(0.3 / 1.625)
    assert t.loc["c3", "new_top_up"] == "C"


def test_weight_sensitivity_grid_agrees_with_thresholds() -> None:
    df, crit, w = _unit_sites()
    g = sites.weight_sensitivity(df, crit, w, steps=[-0.2, -0.15, -0.1, 0.0, 0.1, 0.15])
    c1 = g[g["criterion"] == "c1"]
    changed = c1.groupby("delta")["top_changed"].first()
    assert changed.to_dict() == {
        -0.2: True,
        -0.15: True,
        -0.1: False,
        0.0: False,
        0.1: False,
        0.15: False,
    }
    row = c1[(c1["delta"] == -0.2) & (c1["site"] == "B")].iloc[0]
    # weights .3, .42, .28: B = .42
    assert row["weight"] == pytest.approx(0.3) and row["score"] == pytest.approx(0.42)
    assert row["rank"] == 1
    c2 = g[(g["criterion"] == "c2") & (g["top_changed"])]
    assert sorted(c2["delta"].unique()) == [0.15]  # threshold 7/60 = 0.1167
    # steps that push a weight outside [0, 1] are skipped
    assert (g["weight"] >= 0).all()
    assert "c1" in g.attrs["thresholds"].index


# ------------------------------------------------------------------ measures without routing
def test_site_measures_by_hand() -> None:
    landfill = _metric([box(X0, Y0, X0 + 100, Y0 + 100)], status=["active"])
    settlements = _metric(
        [box(X0 - 300, Y0, X0 - 200, Y0 + 100), box(X0 + 2000, Y0, X0 + 2100, Y0 + 100)],
        name=["west", "east"],
    )
    s = _metric([Point(X0 + 700, Y0 + 50), Point(X0 + 1600, Y0 + 50)], name=["a", "b"])
    out = sites.site_measures(s, landfill=landfill, settlements=settlements)
    assert out["dist_landfill_m"].tolist() == pytest.approx([600.0, 1500.0])
    assert out["exposure_mean"].iloc[0] == pytest.approx(math.exp(-600 / 500))
    assert out["inside_legal_zone"].tolist() == [True, False]
    assert out["dist_settlement_m"].tolist() == pytest.approx([900.0, 400.0])
    assert out["nearest_settlement"].tolist() == ["west", "east"]


def test_neighbourhood_share_areal_weighting_by_hand() -> None:
    units = _metric(
        [box(X0, Y0, X0 + 100, Y0 + 100), box(X0 + 5000, Y0, X0 + 5100, Y0 + 100)],
        roma=[10, 50],
        households=[100, 60],
    )
    # the site covers the left half of the first unit; radius 0
    s = _metric([box(X0, Y0, X0 + 50, Y0 + 100)], capacity_units=[10])
    out = sites.neighbourhood_share(
        s, units, group="roma", total="households", radius_m=0, added="capacity_units"
    )
    row = out.iloc[0]
    assert row["group_nearby"] == pytest.approx(5) and row["total_nearby"] == pytest.approx(50)
    assert row["share_before"] == pytest.approx(0.1)
    assert row["share_after"] == pytest.approx(15 / 60)
    h = -(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75))
    assert row["mix_index"] == pytest.approx(h)
    # nobody around: NaN, not 0
    far = _metric([Point(X0 + 20_000, Y0)])
    assert np.isnan(
        sites.neighbourhood_share(far, units, group="roma", total="households")["share_after"].iloc[
            0
        ]
    )


def test_bundled_sites_end_to_end() -> None:
    cands = gpd.read_file(REPO / "layers" / "candidate_sites.geojson")
    landfill = gpd.read_file(REPO / "layers" / "landfill.geojson")
    settlements = gpd.read_file(REPO / "layers" / "settlements.geojson")
    measures = sites.site_measures(cands, landfill=landfill, settlements=settlements)
    cons = sites.hard_constraints(cands, {"legal_zone": pollution.legal_zone(landfill)})
    crit = [Criterion("dist_settlement_m", "benefit", "linear")]
    out = sites.score(measures, crit, {"dist_settlement_m": 1}, constraints=cons)
    assert out["status"].iloc[-1] == "excluded"
    assert "Pata Rât" in cands.loc[out.index[-1], "name"]
    assert out["reason"].iloc[-1] == "inside: legal_zone"
    eligible = measures.loc[~cons["excluded"], "dist_settlement_m"]
    expected = eligible.rank(ascending=False, method="min").astype(int)
    assert out.loc[eligible.index, "rank"].astype(int).tolist() == expected.tolist()


def test_unreachable_is_worst_not_missing() -> None:
    df = pd.DataFrame(
        {"time_school_min": [10.0, 30.0, np.inf, np.nan]}, index=pd.Index(list("ABCD"))
    )
    for crit in (
        Criterion("time_school_min", "cost", "linear"),
        Criterion("time_school_min", "cost", "threshold", good=15, bad=45),
        Criterion("time_school_min", "cost", "inverse", x0=15),
    ):
        out = sites.score(df, [crit], {"time_school_min": 1})
        assert out.loc["C", "status"] == "ranked" and out.loc["C", "s_time_school_min"] == 0
        assert out.loc["D", "status"] == "no data"
    lin = sites.score(df, [Criterion("time_school_min", "cost", "linear")], {"time_school_min": 1})
    assert lin.loc["B", "s_time_school_min"] == 0  # min-max over the finite values 10..30


def test_access_times_long_and_wide() -> None:
    idx = pd.Index(["s1", "s2"], name="site")
    long = pd.DataFrame(
        {
            "category": ["schools", "schools", "family_doctor", "family_doctor"],
            "time_min": [5.0, 7.0, 12.0, np.inf],
        },
        index=pd.Index(["s1", "s2", "s1", "s2"], name="site"),
    )
    out = sites.access_times(long)
    assert list(out.columns) == ["time_school_min", "time_doctor_min"]
    assert out.loc["s2", "time_school_min"] == 7.0 and np.isinf(out.loc["s2", "time_doctor_min"])
    wide = pd.DataFrame({"jobs_time_min": [30.0, 40.0], "jobs_distance_m": [1.0, 2.0]}, index=idx)
    assert sites.access_times(wide)["time_jobs_min"].tolist() == [30.0, 40.0]
    with pytest.raises(InputError, match="nearest_facilities"):
        sites.access_times(pd.DataFrame({"x": [1]}))
