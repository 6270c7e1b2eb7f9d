"""Resettlement scenarios: data model, checks, metrics by hand, comparison, optimiser vs brute force."""

from __future__ import annotations

import itertools
import logging
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from pata_gis import crs as _crs
from pata_gis import scenarios as sc
from pata_gis.scenarios import InfeasibleError, Rules, Scenario

X0, Y0 = 400_000.0, 580_000.0
E = math.exp


# ----------------------------------------------------------------- hand fixtures
def _landfill() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"status": ["active"]}, geometry=[box(X0, Y0, X0 + 100, Y0 + 100)], crs=3844
    )


def _settlements() -> gpd.GeoDataFrame:
    # 300 m east of the cell
    return gpd.GeoDataFrame({"name": ["S"]}, geometry=[Point(X0 + 400, Y0 + 50)], crs=3844)


def _sites() -> gpd.GeoDataFrame:
    raw = gpd.GeoDataFrame(
        {
            "name": ["A", "B"],
            "capacity_units": [10, 10],
            "district": ["a", "b"],
            "cost_per_unit": [1000.0, 2000.0],
        },
        # A 1,500 m from the cell (outside the 1,000 m zone), B 600 m (inside)
        geometry=[Point(X0 + 1600, Y0 + 50), Point(X0 + 700, Y0 + 50)],
        crs=3844,
    )
    return sc.sites_table(raw)


def _households() -> pd.DataFrame:
    return sc.households_table(
        pd.DataFrame(
            {
                "community": ["S", "S"],
                "size": [4.0, 5.0],
                "n_households": [10, 6],
                "location": ["S", "S"],
                "label": ["roma", "roma"],
            },
            index=["g1", "g2"],
        )
    )


def _hand_scenario() -> Scenario:
    alloc = pd.DataFrame({"group": ["g1", "g2"], "site": ["A", "B"], "n_households": [4, 6]})
    return Scenario("hand", allocation=alloc)


# ----------------------------------------------------------------- data model
def test_households_table_refuses_bad_rows_by_name() -> None:
    df = pd.DataFrame(
        {"community": ["S"], "size": [4.0], "n_households": [2.5], "location": ["S"]},
        index=["g9"],
    )
    with pytest.raises(sc.InputError, match=r"row 'g9'.*n_households"):
        sc.households_table(df)
    df["n_households"] = 2
    df["location"] = ""
    with pytest.raises(sc.InputError, match=r"row 'g9'.*location is empty"):
        sc.households_table(df)


def test_households_from_settlements_fills_unknown_counts_and_says_so() -> None:
    st = gpd.GeoDataFrame(
        {
            "name": ["K", "L", "M", "N"],
            "households": [76, None, None, None],
            "people": [None, 400, None, None],
        },
        geometry=[Point(X0 + i * 100, Y0) for i in range(4)],
        crs=3844,
    )
    hh = sc.households_from_settlements(st, total_households=300)
    # 76 known, 400 / 5 = 80, the 144 left shared by M and N
    assert hh["n_households"].to_dict() == {"K": 76, "L": 80, "M": 72, "N": 72}
    assert any("400 people / 5" in n for n in hh.attrs["assumptions"])
    assert any("M, N" in n for n in hh.attrs["assumptions"])


def test_placements_moves_part_of_a_group_and_refuses_too_many() -> None:
    hh = _households()
    pl = _hand_scenario().placements(hh)
    got = {(r.group, r.location): (r.n_households, r.moved) for r in pl.itertuples()}
    assert got == {("g1", "S"): (6, False), ("g1", "A"): (4, True), ("g2", "B"): (6, True)}
    bad = Scenario(
        "x", allocation=pd.DataFrame({"group": ["g2"], "site": ["A"], "n_households": [7]})
    )
    with pytest.raises(sc.InputError, match=r"group 'g2' has 6 households .* moves 7"):
        bad.placements(hh)


def test_baseline_keeps_already_relocated_families_where_they_are() -> None:
    hh = _households()
    rel = pd.DataFrame(
        {"community": ["S"], "size": [3.0], "n_households": [5], "location": ["A"]},
        index=["moved_2024"],
    )
    base = sc.baseline(hh, _settlements(), already_relocated=rel)
    assert base.allocation.empty
    pl = base.placements()
    assert pl.set_index("group")["location"].to_dict() == {"g1": "S", "g2": "S", "moved_2024": "A"}
    assert not pl["moved"].any()
    assert bool(base.households.loc["moved_2024", "relocated_already"])
    m = sc.metrics(base, sites=_sites(), settlements=_settlements(), landfill=_landfill())
    assert m["households_moved"] == 0
    assert m["households_relocated_total"] == 5
    assert m["households"] == 21
    # a not-relocated group outside every settlement is refused with the fix
    stray = hh.copy()
    stray.loc["g2", "location"] = "A"
    with pytest.raises(sc.InputError, match=r"row 'g2'.*relocated_already=True"):
        sc.baseline(stray, _settlements())


def test_check_names_every_violation() -> None:
    hh = sc.households_table(
        pd.DataFrame(
            {
                "community": ["S", "S", None],
                "size": [4.0, 4.0, 3.0],
                "n_households": [12, 4, 5],
                "location": ["S", "S", "A"],
                "relocated_already": [False, False, True],
                "label": ["roma", "roma", "non_roma"],
            },
            index=["g1", "g2", "recv"],
        )
    )
    sites = _sites()
    sites.loc["B", "block"] = "a"  # A and B in one block
    alloc = pd.DataFrame(
        {"group": ["g1", "g2", "g1"], "site": ["A", "B", "Z"], "n_households": [8, 4, 1]}
    )
    s = Scenario(
        "bad",
        allocation=alloc,
        rules=Rules(max_per_site=5, max_per_block=10, quotas={"roma": 6, "non_roma": 4}),
    )
    problems = s and sc.check(s, sites, households=hh)
    text = "\n".join(problems)
    assert "site 'Z' of the allocation is not in the sites table" in text
    assert "capacity at site 'A': 13 households for 10 units" in text
    assert "dispersal at site 'A': 8 Pata Rât households, at most 5" in text
    assert "dispersal in block 'a': 12 Pata Rât households, at most 10" in text
    assert "quota at site 'A': 8 'roma' households, quota 6" in text
    assert "quota at site 'A': 5 'non_roma' households, quota 4" in text
    assert len(problems) == 6
    ok = Scenario("ok", allocation=alloc.iloc[:2].assign(n_households=[4, 4]))
    assert sc.check(ok, sites, households=hh) == []


# ----------------------------------------------------------------- metrics by hand
def test_metrics_on_a_hand_case() -> None:
    hh = _households()
    lon, lat = _crs.metric_to_lonlat(np.array([X0 + 400]), np.array([Y0 + 1050]))
    schools = gpd.GeoDataFrame(
        {"capacity": [100.0]}, geometry=[Point(X0 + 700, Y0 + 550)], crs=3844
    )
    doctors = gpd.GeoDataFrame({"capacity": [2.0]}, geometry=[Point(X0 + 700, Y0 + 550)], crs=3844)
    m = sc.metrics(
        _hand_scenario(),
        households=hh,
        sites=_sites(),
        settlements=_settlements(),
        landfill=_landfill(),
        facilities={"school": schools, "family_doctor": doctors},
        receiving_population={"a": 10, "b": 14},
        centre=(float(lon[0]), float(lat[0])),
    )
    # 6 of g1 stay at S (300 m), 4 of g1 go to A (1,500 m), 6 of g2 go to B (600 m)
    assert m["households"] == 16
    assert m["people"] == 6 * 4 + 4 * 4 + 6 * 5
    assert m["households_in_sanitary_zone"] == 12
    assert m["people_in_sanitary_zone"] == 6 * 4 + 6 * 5
    exp_mean = (6 * E(-300 / 500) + 4 * E(-1500 / 500) + 6 * E(-600 / 500)) / 16
    assert m["exposure_mean"] == pytest.approx(exp_mean, rel=1e-6)
    assert m["exposure_max"] == pytest.approx(E(-0.6), rel=1e-6)
    # moves: S->A 1,200 m, S->B 300 m
    assert m["households_moved"] == 10
    assert m["distance_moved_total_km"] == pytest.approx((4 * 1200 + 6 * 300) / 1000)
    assert m["distance_moved_mean_m"] == pytest.approx(660.0)
    assert m["cost_total"] == pytest.approx(4 * 1000 + 6 * 2000)
    # centre 1,000 m north of S; straight line x 1.3 at 4.5 km/h (75 m/min)
    d = np.array([1000.0, math.hypot(1200, 1000), math.hypot(300, 1000)])
    w = np.array([6, 4, 6])
    assert m["centre_distance_mean_m"] == pytest.approx(np.sum(d * w) / 16, rel=1e-6)
    assert m["centre_time_mean_min"] == pytest.approx(np.sum(d * w) / 16 * 1.3 / 75, rel=1e-6)
    ds = np.array([math.hypot(300, 500), math.hypot(900, 500), 500.0])
    assert m["school_time_mean_min"] == pytest.approx(np.sum(ds * w) / 16 * 1.3 / 75, rel=1e-6)
    assert m["school_time_max_min"] == pytest.approx(ds.max() * 1.3 / 75, rel=1e-6)
    assert any("NO NETWORK" in n for n in m.attrs["assumptions"]["school_time_mean_min"])
    # 2SFCA: every location reaches the one school within 30 min; demand = children of the
    # placed persons (70) and of the receiving households (24 x 2.6)
    persons = 70 + 24 * 2.6
    assert m["school_fca"] == pytest.approx(100 / (0.25 * persons), rel=1e-9)
    assert m["doctor_fca"] == pytest.approx(2 / persons * 1000, rel=1e-9)
    # segregation over blocks S (6 of 6), a (4 of 14), b (6 of 20): D = 7.2 / 19.2
    assert m["dissimilarity"] == pytest.approx(0.375)
    iso = 6 / 16 * 1 + 4 / 16 * 4 / 14 + 6 / 16 * 6 / 20
    assert m["isolation"] == pytest.approx(iso)
    assert m["exposure_interaction"] == pytest.approx(1 - iso)
    adj = (abs(1 - 4 / 14) + abs(1 - 0.3) + abs(4 / 14 - 0.3)) / 3
    assert m["spatial_dissimilarity"] == pytest.approx(0.375 - adj)
    assert m["jobs_time_mean_min"] != m["jobs_time_mean_min"]  # NaN: no job locations
    assert m.attrs["assumptions"]["jobs_time_mean_min"]
    assert m["rule_violations"] == 0
    assert m.attrs["sensitivity"] == "restricted"
    assert set(m.index) == set(sc.METRICS)
    assert m.attrs["units"]["exposure_mean"] == "index 0-1"


def test_default_receiving_population_is_flagged() -> None:
    m = sc.metrics(
        _hand_scenario(),
        households=_households(),
        sites=_sites(),
        settlements=_settlements(),
        landfill=_landfill(),
    )
    notes = " ".join(m.attrs["assumptions"]["dissimilarity"])
    assert "ASSUMED receiving population of 400 households in 2 block(s)" in notes
    # x = (6, 4, 6), t = (6, 404, 406)
    x, t = np.array([6.0, 4, 6]), np.array([6.0, 404, 406])
    P = x.sum() / t.sum()
    D = np.sum(t * np.abs(x / t - P)) / (2 * t.sum() * P * (1 - P))
    assert m["dissimilarity"] == pytest.approx(D)
    assert math.isnan(m["school_fca"])
    assert "no school capacities" in m.attrs["assumptions"]["school_fca"][0]


def test_compare_puts_metrics_in_rows_and_differences_beside() -> None:
    hh = _households()
    base = sc.baseline(hh, _settlements())
    moved = _hand_scenario()
    table = sc.compare(
        [base, moved],
        households=hh,
        sites=_sites(),
        settlements=_settlements(),
        landfill=_landfill(),
    )
    assert list(table.columns) == ["unit", "baseline", "hand", "hand - baseline", "assumptions"]
    assert table.loc["households_in_sanitary_zone", "baseline"] == 16
    assert table.loc["households_in_sanitary_zone", "hand - baseline"] == -4
    assert table.loc["exposure_mean", "baseline"] == pytest.approx(E(-0.6))
    assert table.loc["cost_total", "baseline"] == 0


# ----------------------------------------------------------------- optimiser
def _brute_force(
    n: list[int],
    pr: list[bool],
    labels: list[str],
    cap: list[int],
    ex: list[float],
    block: list[int],
    lam: float,
    max_per_site: int,
    max_per_block: int,
    quotas: dict[str, int],
    proxy: str = "max_block",
    target: float = 0.0,
) -> float:
    S, H = len(cap), sum(n)

    def splits(total: int) -> list[tuple[int, ...]]:
        return [c for c in itertools.product(range(total + 1), repeat=S) if sum(c) == total]

    best = math.inf
    for combo in itertools.product(*(splits(k) for k in n)):
        x = np.array(combo)  # groups x sites
        if np.any(x.sum(axis=0) > cap):
            continue
        load_site = x[np.array(pr)].sum(axis=0)
        if np.any(load_site > max_per_site):
            continue
        load_block = np.bincount(block, weights=load_site)
        if np.any(load_block > max_per_block):
            continue
        if any(
            np.any(x[[i for i, lab in enumerate(labels) if lab == q]].sum(axis=0) > v)
            for q, v in quotas.items()
        ):
            continue
        expo = float(np.sum(x * np.array(ex)[None, :])) / H
        seg = load_block.max() if proxy == "max_block" else np.maximum(load_block - target, 0).sum()
        best = min(best, expo + lam * seg / H)
    return best


@pytest.mark.parametrize(
    ("lam", "proxy", "target"),
    [(0.0, "max_block", 0.0), (0.5, "max_block", 0.0), (0.8, "excess", 1.0)],
)
def test_optimiser_finds_the_brute_force_optimum(lam: float, proxy: str, target: float) -> None:
    n, pr, labels = [3, 2, 2], [True, True, False], ["roma", "roma", "non_roma"]
    cap, ex, block = [3, 2, 3, 2], [0.1, 0.2, 0.5, 0.3], [0, 0, 1, 2]
    hh = pd.DataFrame(
        {
            "community": ["X" if p else None for p in pr],
            "size": 4.0,
            "n_households": n,
            "location": "X",
            "label": labels,
        },
        index=["g0", "g1", "g2"],
    )
    sites = pd.DataFrame(
        {"capacity_units": cap, "block": [f"b{b}" for b in block]},
        index=["s0", "s1", "s2", "s3"],
    )
    quotas = {"roma": 2, "non_roma": 1}
    res = sc.optimise(
        hh,
        sites,
        exposure=dict(zip(sites.index, ex, strict=True)),
        segregation_weight=lam,
        max_per_site=2,
        max_per_block=3,
        quotas=quotas,
        segregation=proxy,  # type: ignore[arg-type]
        dispersal_target=target,
    )
    best = _brute_force(n, pr, labels, cap, ex, block, lam, 2, 3, quotas, proxy, target)
    assert res.objective == pytest.approx(best, abs=1e-9)
    # the returned allocation keeps every rule and reaches that objective
    a = res.allocation
    x = np.zeros((3, 4))
    for r in a.itertuples():
        x[int(r.group[1]), int(r.site[1])] = r.n_households
    assert x.sum(axis=1).tolist() == n
    assert np.all(x.sum(axis=0) <= cap)
    assert np.all(x[:2].sum(axis=0) <= 2)
    assert np.all(np.bincount(block, weights=x[:2].sum(axis=0)) <= 3)
    assert np.all(x[:2].sum(axis=0) <= 2) and np.all(x[2] <= 1)
    assert res.mean_exposure == pytest.approx(float(np.sum(x * np.array(ex))) / 7)
    scen = res.scenario("opt")
    assert sc.check(scen, sites, households=hh) == []


def test_optimiser_explains_a_binding_capacity() -> None:
    hh = pd.DataFrame(
        {"community": ["X"], "size": 4.0, "n_households": [3], "location": "X"}, index=["g"]
    )
    sites = pd.DataFrame({"capacity_units": [2, 5], "block": ["a", "b"]}, index=["A", "B"])
    res = sc.optimise(hh, sites, exposure={"A": 0.1, "B": 0.5}, segregation_weight=0.0)
    assert res.allocation.set_index("site")["n_households"].to_dict() == {"A": 2, "B": 1}
    assert res.objective == pytest.approx((2 * 0.1 + 0.5) / 3)
    row = res.binding.set_index("constraint").loc["capacity at site 'A'"]
    assert row["slack"] == 0
    assert row["delta_objective"] == pytest.approx(-0.4 / 3)
    assert row["lp_dual"] == pytest.approx(-0.4 / 3)
    assert res.explanation[0].startswith("capacity at site 'A' binds: one more unit there")
    assert "0.1333" in res.explanation[0]
    assert "capacity at site 'B'" not in set(res.binding["constraint"])


def test_optimiser_staying_allowed_with_a_cap_on_moves() -> None:
    hh = pd.DataFrame(
        {"community": ["X"], "size": 4.0, "n_households": [5], "location": "X"}, index=["g"]
    )
    sites = pd.DataFrame({"capacity_units": [10], "block": ["a"]}, index=["A"])
    res = sc.optimise(
        hh,
        sites,
        exposure={"A": 0.1, "X": 0.6},
        segregation_weight=0.0,
        place_all=False,
        max_moves=3,
    )
    assert res.allocation["n_households"].sum() == 3
    assert res.objective == pytest.approx((3 * 0.1 + 2 * 0.6) / 5)
    assert any(t.startswith("cap on moves binds") for t in res.explanation)


def test_optimiser_keeps_existing_occupants_in_the_rules() -> None:
    hh = pd.DataFrame(
        {
            "community": ["X", "X"],
            "size": 4.0,
            "n_households": [4, 3],
            "location": ["X", "A"],
            "relocated_already": [False, True],
        },
        index=["new", "old"],
    )
    sites = pd.DataFrame({"capacity_units": [6, 6], "block": ["a", "b"]}, index=["A", "B"])
    res = sc.optimise(
        hh, sites, exposure={"A": 0.0, "B": 0.5}, segregation_weight=0.0, max_per_site=4
    )
    # A already holds 3 relocated families: room for 1 under the cap of 4
    assert res.allocation.set_index("site")["n_households"].to_dict() == {"A": 1, "B": 3}


def test_infeasible_instances_name_the_constraint() -> None:
    hh = pd.DataFrame(
        {
            "community": ["X", None],
            "size": 4.0,
            "n_households": [4, 3],
            "location": "X",
            "label": ["roma", "non_roma"],
        },
        index=["g", "h"],
    )
    sites = pd.DataFrame(
        {"capacity_units": [2, 2, 1], "block": ["a", "a", "b"]}, index=["s0", "s1", "s2"]
    )
    ex = {"s0": 0.1, "s1": 0.2, "s2": 0.3}
    with pytest.raises(InfeasibleError, match=r"total capacity: 7 households to place but only 5"):
        sc.optimise(hh, sites, exposure=ex)
    only_g = hh.loc[["g"]]
    with pytest.raises(InfeasibleError, match=r"quota 'roma': 4 households .* room for 3"):
        sc.optimise(only_g, sites, exposure=ex, quotas={"roma": 1})
    with pytest.raises(InfeasibleError, match=r"dispersal cap per site: 4 .* room for 3"):
        sc.optimise(only_g, sites, exposure=ex, max_per_site=1)
    # block a allows 2, block b has 1 unit: only the solver sees that 4 cannot fit
    with pytest.raises(InfeasibleError, match=r"cannot all be met"):
        sc.optimise(only_g, sites, exposure=ex, max_per_block=2)
    with pytest.raises(sc.InputError, match=r"max_moves needs place_all=False"):
        sc.optimise(only_g, sites, exposure=ex, max_moves=2)
    with pytest.raises(sc.InputError, match=r"exposure has no value for sites \['s2'\]"):
        sc.optimise(only_g, sites, exposure={"s0": 0.1, "s1": 0.2})


# ----------------------------------------------------------------- bundled data
@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, gpd.GeoDataFrame]:
    from pata_gis.workspace import Workspace

    ws = Workspace.create(tmp_path_factory.mktemp("ws") / "ws.gpkg")
    names = ["settlements", "landfill", "candidate_sites", "schools", "health", "roads", "jobs"]
    return {n: ws.read(n) for n in names}


def test_three_scenarios_on_the_bundled_data(
    bundled: dict[str, gpd.GeoDataFrame], caplog: pytest.LogCaptureFixture
) -> None:
    from pata_gis.network import Network

    L = bundled
    hh = sc.households_from_settlements(L["settlements"])
    assert hh["n_households"].sum() == 300
    sites = sc.sites_table(L["candidate_sites"])
    # one large site beside the illustrative ones (same place as Someșeni, 60 units)
    big = sites.loc[["Someșeni – ilustrativ"]].copy()
    big.index = pd.Index(["Someșeni – ansamblu mare"], name="site")
    big["capacity_units"] = 60
    sites = pd.concat([sites, big])
    # 12 families relocated since 2024 live at two illustrative sites already
    rel = pd.DataFrame(
        {
            "community": ["Colectorului", "Cantonului"],
            "size": [5.0, 5.0],
            "n_households": [6, 6],
            "location": ["Mărăști – ilustrativ", "Zorilor – ilustrativ"],
        },
        index=["relocated_2024_a", "relocated_2024_b"],
    )
    base = sc.baseline(hh, L["settlements"], already_relocated=rel)
    movers = {"Dallas": 24, "Rampa": 24}
    one = Scenario(
        "one large site",
        allocation=pd.DataFrame(
            {
                "group": list(movers),
                "site": "Someșeni – ansamblu mare",
                "n_households": list(movers.values()),
            }
        ),
        households=base.households,
    )
    targets = [
        s
        for s in sites.index
        if s not in ("Mărăști – ilustrativ", "Zorilor – ilustrativ", "Someșeni – ansamblu mare")
        and "Pata Rât" not in s
    ]
    assert len(targets) >= 6
    rows = [(g, targets[i % len(targets)]) for g in movers for i in range(6)]
    dispersed = Scenario(
        "dispersed",
        allocation=pd.DataFrame(
            {"group": [g for g, _ in rows], "site": [s for _, s in rows], "n_households": 4}
        )
        .groupby(["group", "site"], as_index=False)["n_households"]
        .sum(),
        rules=Rules(max_per_site=8),
        households=base.households,
    )
    net = Network.from_lines(L["roads"])
    health = L["health"]
    facilities = {
        "school": L["schools"],
        "family_doctor": health[health["kind"] == "family_doctor"],
    }
    with caplog.at_level(logging.INFO, logger="pata_gis.scenarios"):
        table = sc.compare(
            [base, one, dispersed],
            sites=sites,
            settlements=L["settlements"],
            landfill=L["landfill"],
            network=net,
            facilities=facilities,
            jobs=L["jobs"],
        )
    assert "scenario comparison" in caplog.text
    for metric in sc.METRICS:
        assert metric in table.index, metric
        for name in ("baseline", "one large site", "dispersed"):
            v = table.loc[metric, name]
            assert np.isfinite(v) or table.loc[metric, "assumptions"], (metric, name)
    # the bundled data has no job locations, no capacities and no costs: NaN, explained
    assert np.isnan(table.loc["jobs_time_mean_min", "baseline"])
    assert "jobs layer is empty" in table.loc["jobs_time_mean_min", "assumptions"]
    assert np.isnan(table.loc["school_fca", "dispersed"])
    for metric in (
        "exposure_mean",
        "school_time_mean_min",
        "doctor_time_mean_min",
        "centre_time_mean_min",
        "dissimilarity",
        "isolation",
        "spatial_dissimilarity",
    ):
        assert np.isfinite(
            table.loc[metric, ["baseline", "one large site", "dispersed"]].astype(float)
        ).all(), metric
    # both moves take 48 families out of the zone; dispersal lowers every segregation index
    assert table.loc["households_moved", "one large site"] == 48
    assert table.loc["households_moved", "dispersed"] == 48
    assert table.loc["households_in_sanitary_zone", "one large site - baseline"] == -48
    assert table.loc["households_relocated_total", "baseline"] == 12
    for idx in ("dissimilarity", "isolation"):
        assert (
            table.loc[idx, "dispersed"]
            < table.loc[idx, "one large site"]
            < table.loc[idx, "baseline"]
        )
    assert (
        table.loc["exposure_interaction", "dispersed"]
        > table.loc["exposure_interaction", "one large site"]
    )
    assert table.loc["rule_violations", "dispersed"] == 0
    assert table.attrs["sensitivity"] == "restricted"
    # the raw candidate-sites layer works as a sites table (ids from its names)
    assert sc.check(dispersed, L["candidate_sites"]) == []
    assert "capacity at site 'Someșeni – ilustrativ': 48 households for 8 units" in sc.check(
        Scenario("crowded", allocation=one.allocation.assign(site="Someșeni – ilustrativ")),
        L["candidate_sites"],
        households=base.households,
    )


def test_optimiser_on_the_bundled_sites(bundled: dict[str, gpd.GeoDataFrame]) -> None:
    from pata_gis import pollution

    L = bundled
    hh = sc.households_from_settlements(L["settlements"])
    sites = sc.sites_table(L["candidate_sites"])
    st = L["settlements"].set_index("name")
    ex = pd.concat(
        [
            pollution.landfill_exposure(sites, L["landfill"])["exposure_mean"],
            pollution.landfill_exposure(st, L["landfill"])["exposure_mean"],
        ]
    )
    res = sc.optimise(
        hh,
        sites,
        exposure=ex,
        groups=["Rampa"],
        place_all=False,
        max_moves=40,
        max_per_site=5,
        segregation_weight=0.5,
    )
    placed = res.allocation.groupby("site")["n_households"].sum()
    assert placed.sum() == 40
    assert (placed <= 5).all()
    # the counter-example inside the protection zone beats staying on the dump but not
    # the other sites: it fills only what the caps leave
    assert res.explanation
    assert res.binding["kind"].isin(["max_per_site", "moves", "capacity"]).all()
    # the proposal, compared with the status quo, lowers the mean exposure by what it claims
    table = sc.compare(
        [sc.baseline(hh, L["settlements"]), res.scenario("proposal")],
        sites=sites,
        settlements=L["settlements"],
        landfill=L["landfill"],
    )
    assert table.loc["households_moved", "proposal"] == 40
    # the optimiser's mean is over the 72 Rampa households; the table's over all 300
    n_rampa = hh.loc["Rampa", "n_households"]
    change = (res.mean_exposure - ex["Rampa"]) * n_rampa / hh["n_households"].sum()
    assert table.loc["exposure_mean", "proposal - baseline"] == pytest.approx(change, rel=1e-9)
    assert table.loc["exposure_mean", "proposal - baseline"] < 0


def test_metrics_by_a_hand_network() -> None:
    from shapely.geometry import LineString

    from pata_gis.network import Network

    roads = gpd.GeoDataFrame(
        {"kind": ["residential", "footway"]},
        geometry=[
            LineString([(X0 + 400, Y0 + 50), (X0 + 1600, Y0 + 50)]),
            LineString([(X0 + 700, Y0 + 50), (X0 + 700, Y0 + 550)]),
        ],
        crs=3844,
    )
    net = Network.from_lines(roads)
    school = gpd.GeoDataFrame({"capacity": [50.0]}, geometry=[Point(X0 + 700, Y0 + 550)], crs=3844)
    lon, lat = _crs.metric_to_lonlat(np.array([X0 + 400]), np.array([Y0 + 1050]))
    m = sc.metrics(
        _hand_scenario(),
        households=_households(),
        sites=_sites(),
        settlements=_settlements(),
        landfill=_landfill(),
        network=net,
        facilities={"school": school},
        receiving_population={"a": 10, "b": 14},
        centre=(float(lon[0]), float(lat[0])),
    )
    w = np.array([6, 4, 6])  # at S, A, B
    # S, A, B lie on the road: 300 + 500, 900 + 500 and 500 m to the school at 75 m/min
    walk = np.array([800.0, 1400.0, 500.0]) / 75.0
    assert m["school_time_mean_min"] == pytest.approx(np.sum(walk * w) / 16, rel=1e-6)
    assert m["school_time_max_min"] == pytest.approx(1400 / 75, rel=1e-6)
    # the centre snaps to the end of the branch, 583 m away, walked too
    snap = math.hypot(300, 500)
    to_centre = (np.array([800.0, 1400.0, 500.0]) + snap) / 75.0
    assert m["centre_time_mean_min"] == pytest.approx(np.sum(to_centre * w) / 16, rel=1e-6)
    assert m["school_fca"] == pytest.approx(50 / (0.25 * (70 + 24 * 2.6)), rel=1e-9)
    assert not any("NO NETWORK" in n for n in m.attrs["assumptions"]["school_time_mean_min"])
    assert math.isnan(m["doctor_time_mean_min"])
    assert set(m.index) == set(sc.METRICS)


def test_extra_facility_categories_get_their_own_rows() -> None:
    stop = gpd.GeoDataFrame(geometry=[Point(X0 + 1000, Y0 + 50)], crs=3844)
    empty = gpd.GeoDataFrame(geometry=[], crs=3844)
    m = sc.metrics(
        _hand_scenario(),
        households=_households(),
        sites=_sites(),
        settlements=_settlements(),
        landfill=_landfill(),
        facilities={"transit_stop": stop, "kindergarten": empty},
    )
    # S 600 m, A 600 m, B 300 m from the stop; straight line x 1.3 at 75 m/min
    d = np.array([600.0, 600.0, 300.0]) * 1.3 / 75
    assert m["transit_stop_time_mean_min"] == pytest.approx(np.sum(d * [6, 4, 6]) / 16)
    assert m["transit_stop_time_max_min"] == pytest.approx(600 * 1.3 / 75)
    assert m.attrs["units"]["transit_stop_time_mean_min"] == "min"
    assert math.isnan(m["kindergarten_time_mean_min"])
    assert "the kindergarten layer is empty" in m.attrs["assumptions"]["kindergarten_time_mean_min"]
    assert "no family doctor facilities" in m.attrs["assumptions"]["doctor_time_mean_min"][0]


def test_share_cap_per_block_mirrors_the_mixed_development() -> None:
    hh = pd.DataFrame(
        {
            "community": ["X", None],
            "size": 4.0,
            "n_households": [6, 2],
            "location": "X",
            "label": ["roma", "non_roma"],
        },
        index=["pr", "others"],
    )
    sites = pd.DataFrame({"capacity_units": [10, 10], "block": ["a", "b"]}, index=["A", "B"])
    recv = {"a": 2, "b": 20}
    res = sc.optimise(
        hh,
        sites,
        exposure={"A": 0.0, "B": 0.3},
        segregation_weight=0.0,
        max_share_per_block=0.5,
        receiving_population=recv,
    )
    # in block a: pr <= 0.5 (2 + pr + others) -> pr <= 4 with both others there
    got = res.allocation.set_index(["group", "site"])["n_households"].to_dict()
    assert got == {("pr", "A"): 4, ("pr", "B"): 2, ("others", "A"): 2}
    assert res.objective == pytest.approx(2 * 0.3 / 8)
    row = res.binding.set_index("constraint").loc["share cap in block 'a'"]
    assert row["delta_objective"] == pytest.approx(-2 * 0.3 / 8)  # room for 2 more -> all at A
    assert sc.check(res.scenario(), sites, households=hh, receiving_population=recv) == []
    crowded = Scenario(
        "all at A",
        allocation=pd.DataFrame({"group": ["pr", "others"], "site": "A", "n_households": [6, 2]}),
        rules=Rules(max_share_per_block=0.5),
    )
    assert sc.check(crowded, sites, households=hh, receiving_population=recv) == [
        "concentration in block 'a': Pata Rât households are 60% of 10 households "
        "(2 receiving), at most 50% allowed"
    ]
    # without figures the default receiving population is used, and said
    msg = sc.check(crowded, sites, households=hh)
    assert msg == []  # 6 of 408 households
    res2 = sc.optimise(
        hh, sites, exposure={"A": 0.0, "B": 0.3}, segregation_weight=0.0, max_share_per_block=0.5
    )
    assert any("ASSUMED 400 receiving households in 2 block(s)" in t for t in res2.explanation)


def test_every_metric_has_a_romanian_and_english_title() -> None:
    assert set(sc.METRIC_TITLES) == set(sc.METRICS)
    assert all({"ro", "en", "hu"} <= set(v) for v in sc.METRIC_TITLES.values())
    table = pd.DataFrame({"unit": ["households"], "baseline": [3.0]}, index=["households_moved"])
    assert sc.titled(table, lang="ro").loc["households_moved", "title"] == "Gospodării mutate"
    assert sc.titled(table, lang="hu").loc["households_moved", "title"] == "Áthelyezett háztartások"
    assert sc.titled(table, lang="de").loc["households_moved", "title"] == "Households moved"
    # the unit reads in the language too
    assert sc.titled(table, lang="ro").loc["households_moved", "unit"] == "gospodării"
    assert sc.titled(table, lang="hu").loc["households_moved", "unit"] == "háztartás"
    assert {unit for unit, _ in sc.METRICS.values()} <= set(sc.UNIT_TITLES)
    assert all({"ro", "en", "hu"} <= set(v) for v in sc.UNIT_TITLES.values())


def _random_instance(seed: int) -> tuple[str, float]:
    rng = np.random.default_rng(seed)
    n = rng.integers(1, 4, 3).tolist()
    pr = [True, True, bool(rng.integers(0, 2))]
    labels = ["roma", "mixed", "non_roma"]
    cap = rng.integers(1, 6, 3)
    ex = rng.uniform(0, 1, 3).round(3)
    block = [0, 0, 1]
    recv = {"b0": float(rng.integers(0, 6)), "b1": float(rng.integers(0, 6))}
    lam = float(rng.choice([0.0, 0.7]))
    mps, share, q = int(rng.integers(2, 5)), float(rng.choice([0.6, 0.9])), int(rng.integers(2, 4))
    H = sum(n)
    best = math.inf
    splits = [[c for c in itertools.product(range(k + 1), repeat=3) if sum(c) == k] for k in n]
    for combo in itertools.product(*splits):
        x = np.array(combo)
        load = x[np.array(pr)].sum(axis=0)
        total_b = np.bincount(block, weights=x.sum(axis=0))
        load_b = np.bincount(block, weights=load)
        recv_b = np.array([recv["b0"], recv["b1"]])
        if (
            np.any(x.sum(axis=0) > cap)
            or np.any(load > mps)
            or np.any(x[0] > q)  # quota on "roma" only
            or np.any(load_b > share * (recv_b + total_b) + 1e-9)
        ):
            continue
        best = min(best, float(np.sum(x * ex)) / H + lam * load_b.max() / H)
    hh = pd.DataFrame(
        {
            "community": ["X" if p else None for p in pr],
            "size": 3.0,
            "n_households": n,
            "location": "X",
            "label": labels,
        },
        index=["g0", "g1", "g2"],
    )
    sites = pd.DataFrame(
        {"capacity_units": cap, "block": [f"b{b}" for b in block]}, index=["s0", "s1", "s2"]
    )
    kw = dict(
        exposure=dict(zip(sites.index, ex, strict=True)),
        segregation_weight=lam,
        max_per_site=mps,
        quotas={"roma": q},
        max_share_per_block=share,
        receiving_population=recv,
    )
    if math.isinf(best):
        with pytest.raises(InfeasibleError):
            sc.optimise(hh, sites, **kw)  # type: ignore[arg-type]
        return "infeasible", lam
    res = sc.optimise(hh, sites, **kw)  # type: ignore[arg-type]
    assert res.objective == pytest.approx(best, abs=1e-9), seed
    assert sc.check(res.scenario(), sites, households=hh, receiving_population=recv) == []
    return "optimal", lam


def test_optimiser_matches_enumeration_on_random_instances() -> None:
    outcomes = [_random_instance(seed) for seed in range(16)]
    # the set covers both verdicts and both objectives
    assert sum(o == "optimal" for o, _ in outcomes) >= 8
    assert sum(o == "infeasible" for o, _ in outcomes) >= 1
    assert sum(o == "optimal" and lam > 0 for o, lam in outcomes) >= 2


def test_explanation_separates_limits_that_help_from_those_that_do_not() -> None:
    hh = pd.DataFrame(
        {"community": ["X"], "size": 4.0, "n_households": [4], "location": "X"}, index=["g"]
    )
    sites = pd.DataFrame({"capacity_units": [2, 2], "block": ["a", "b"]}, index=["A", "B"])
    res = sc.optimise(hh, sites, exposure={"A": 0.1, "B": 0.5}, segregation_weight=0.0)
    # both sites are full; one more unit at A moves a family off B, one more at B changes nothing
    assert res.explanation == [
        "capacity at site 'A' binds: one more unit there would lower the objective by 0.1 "
        "(mean exposure -0.1)",
        "1 site capacities at the limit, where one more unit alone would not help: "
        "capacity at site 'B'",
    ]
    b = res.binding.set_index("constraint")
    assert b.loc["capacity at site 'B'", "delta_objective"] == pytest.approx(0.0)


def test_exposure_options_reach_the_landfill_measures() -> None:
    m = sc.metrics(
        _hand_scenario(),
        households=_households(),
        sites=_sites(),
        settlements=_settlements(),
        landfill=_landfill(),
        exposure_options={"distance_m": 500.0, "decay_m": 250.0},
    )
    # with a 500 m zone only the 6 households left at S (300 m) are inside; B is at 600 m
    assert m["households_in_sanitary_zone"] == 6
    exp_mean = (6 * E(-300 / 250) + 4 * E(-1500 / 250) + 6 * E(-600 / 250)) / 16
    assert m["exposure_mean"] == pytest.approx(exp_mean, rel=1e-6)
    assert "decay length 250 m" in m.attrs["assumptions"]["exposure_mean"][0]
