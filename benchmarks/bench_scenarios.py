"""Benchmark the resettlement optimiser: scipy ``milp`` against brute-force enumeration.

Run ``python benchmarks/bench_scenarios.py``. Offline, no data needed. Prints its
figures and ratios on its last lines.

1. A small instance (4 groups x 4 sites, 12 households) solved by
   :func:`pata_gis.scenarios.optimise` and by enumerating every allocation:
   same optimum, time ratio.
2. Planning-sized instances: 30 groups (about 300 families, by community and
   size) over 10, 50 and 200 sites in blocks of 3, with capacity, dispersal caps
   per site and block, label quotas and the segregation proxy; time to solve
   and to explain (the LP relaxation, then up to 15 re-solves, the most
   promising first).
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pata_gis import scenarios as sc  # noqa: E402


def brute(n, pr, cap, ex, block, lam, mps, mpb):  # type: ignore[no-untyped-def]
    S, H = len(cap), sum(n)
    splits = [[c for c in itertools.product(range(k + 1), repeat=S) if sum(c) == k] for k in n]
    best = np.inf
    for combo in itertools.product(*splits):
        x = np.array(combo)
        if np.any(x.sum(axis=0) > cap):
            continue
        load = x[np.array(pr)].sum(axis=0)
        if np.any(load > mps):
            continue
        lb = np.bincount(block, weights=load)
        if np.any(lb > mpb):
            continue
        best = min(best, float(np.sum(x * ex)) / H + lam * lb.max() / H)
    return best


def small() -> tuple[float, float]:
    n, pr = [4, 3, 3, 2], [True, True, True, False]
    cap, ex, block = [4, 3, 4, 3], np.array([0.1, 0.2, 0.5, 0.3]), [0, 0, 1, 2]
    hh = pd.DataFrame(
        {"community": ["X", "X", "Y", None], "size": 4.0, "n_households": n, "location": "X"},
        index=["g0", "g1", "g2", "g3"],
    )
    sites = pd.DataFrame(
        {"capacity_units": cap, "block": [f"b{b}" for b in block]}, index=["s0", "s1", "s2", "s3"]
    )
    t = time.perf_counter()
    res = sc.optimise(
        hh,
        sites,
        exposure=dict(zip(sites.index, ex, strict=True)),
        segregation_weight=0.5,
        max_per_site=3,
        max_per_block=5,
        explain=False,
    )
    t_milp = time.perf_counter() - t
    t = time.perf_counter()
    best = brute(n, pr, cap, ex, block, 0.5, 3, 5)
    t_brute = time.perf_counter() - t
    assert abs(res.objective - best) < 1e-9, (res.objective, best)
    print(
        f"small 4x4: milp {t_milp * 1e3:.1f} ms, enumeration {t_brute * 1e3:.1f} ms, "
        f"same optimum {best:.4f}"
    )
    return t_milp, t_brute


def planning(n_sites: int, explain: bool) -> float:
    rng = np.random.default_rng(0)
    G = 30
    hh = pd.DataFrame(
        {
            "community": [
                ["Cantonului", "Colectorului", "Dallas", "Rampa"][g % 4] for g in range(G)
            ],
            "size": rng.integers(2, 8, G).astype(float),
            "n_households": rng.integers(5, 15, G),
            "location": "X",
            "label": ["roma" if g % 3 else "mixed" for g in range(G)],
        },
        index=[f"g{g}" for g in range(G)],
    )
    H = int(hh["n_households"].sum())
    cap = np.full(n_sites, int(np.ceil(1.6 * H / n_sites)) + 2)
    sites = pd.DataFrame(
        {"capacity_units": cap, "block": [f"b{s // 3}" for s in range(n_sites)]},
        index=[f"s{s}" for s in range(n_sites)],
    )
    ex = dict(zip(sites.index, rng.uniform(0, 0.5, n_sites), strict=True))
    mps = int(np.ceil(1.3 * H / n_sites)) + 1
    t = time.perf_counter()
    res = sc.optimise(
        hh,
        sites,
        exposure=ex,
        segregation_weight=0.5,
        max_per_site=mps,
        max_per_block=3 * mps,
        quotas={"roma": mps, "mixed": mps},
        explain=explain,
    )
    dt = time.perf_counter() - t
    print(
        f"{G} groups ({H} households) x {n_sites} sites, explain={explain}: "
        f"{dt:.2f} s, {len(res.binding)} binding, {res.status[:40]}"
    )
    return dt


if __name__ == "__main__":
    t_milp, t_brute = small()
    times = {(s, e): planning(s, e) for s in (10, 50, 200) for e in (False, True)}
    print(f"RATIO enumeration / milp on 4 groups x 4 sites: {t_brute / t_milp:.1f}")
    for s in (10, 50, 200):
        print(f"RATIO explain / solve at {s} sites: {times[(s, True)] / times[(s, False)]:.1f}")
