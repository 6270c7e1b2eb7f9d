"""Benchmark the surface engine against the slow, obvious ways.

Run ``python benchmarks/bench_surface.py``. Offline; reads the bundled landfill
layer and the shared ESA WorldCover subset (../shared/data). Prints the figures
and the ratios on its last lines.

(i)  The landfill exposure surface, 20 × 20 km at 10 m (4 million cells), with
     :func:`pata_gis.pollution.exposure_surface`, against a per-cell loop
     (shapely distance + exp for each cell) timed on a random sample of cells
     and extrapolated to the whole grid. Target: ≤ 1 s on a 2-core machine.
(ii) Zonal statistics of 300 polygons on the WorldCover raster with
     :func:`pata_gis.surface.zonal_stats` against ``rasterstats.zonal_stats``
     (same polygons, same raster), centre rule and all-touched, checking that
     the answers agree.
"""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pata_gis import pollution, settings, surface  # noqa: E402

WORLDCOVER = REPO.parent / "shared/data/cluj/landcover/esa_worldcover_2021_v200_cluj_subset.tif"
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))


def timed(fn, repeats=REPEATS):
    """Run `fn` `repeats` times; return (result, first, best, median) wall times in s."""
    times = []
    result = None
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return result, times[0], min(times), statistics.median(times)


def bench_exposure() -> dict[str, float]:
    landfill = gpd.read_file(settings.catalogue_dir / "landfill.geojson")
    cells = pollution.landfill_cells(landfill)
    cx, cy = cells.union_all().centroid.coords[0]
    grid = surface.Grid.from_bounds((cx - 10_000, cy - 10_000, cx + 10_000, cy + 10_000), 10.0)
    n_cells = grid.shape[0] * grid.shape[1]
    print(
        f"(i) exposure surface: grid {grid.shape[0]} × {grid.shape[1]} = {n_cells:,} cells at 10 m"
    )

    cpu0 = time.process_time()
    (expo, _), first, best, median = timed(lambda: pollution.exposure_surface(landfill, grid=grid))
    cpu = (time.process_time() - cpu0) / REPEATS
    print(
        f"    vectorised: first {first:.3f} s, best {best:.3f} s, median {median:.3f} s, "
        f"CPU {cpu:.3f} s per run"
    )
    rose = {"N": 6, "NE": 4, "E": 5, "SE": 12, "S": 8, "SW": 9, "W": 22, "NW": 24, "calm": 10}
    _, _, wbest, wmedian = timed(
        lambda: pollution.exposure_surface(landfill, grid=grid, wind_rose=rose), repeats=3
    )
    print(f"    with a wind rose: best {wbest:.3f} s, median {wmedian:.3f} s")

    # The obvious way: one shapely distance and one exp per cell, in a Python loop.
    union = cells.union_all()
    shapely.prepare(union)
    rng = np.random.default_rng(0)
    sample = rng.choice(n_cells, size=3000, replace=False)
    x, y = grid.xy(sparse=True)
    rows, cols = np.divmod(sample, grid.shape[1])
    t = time.perf_counter()
    loop = []
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        p = shapely.Point(float(x[0, c]), float(y[r, 0]))
        loop.append(math.exp(-union.distance(p) / settings.exposure_decay_m))
    per_cell = (time.perf_counter() - t) / len(sample)
    loop_total = per_cell * n_cells
    err = float(np.max(np.abs(np.asarray(loop) - expo.ravel()[sample])))
    print(
        f"    per-cell loop: {per_cell * 1e6:.1f} µs per cell on {len(sample)} cells, "
        f"{loop_total:.1f} s extrapolated; max difference {err:.2e}"
    )
    return {"best": best, "median": median, "loop": loop_total, "wind": wbest, "cpu": cpu}


def bench_zonal() -> dict[str, float] | None:
    try:
        import rasterstats
    except ImportError:
        print("(ii) zonal statistics: rasterstats is not installed (pip install rasterstats)")
        return None
    if not WORLDCOVER.is_file():
        print(f"(ii) zonal statistics: {WORLDCOVER} is missing")
        return None
    arr, grid, nodata = surface.read_geotiff(WORLDCOVER)
    left, bottom, right, top = grid.bounds
    rng = np.random.default_rng(1)
    n = 300
    px = rng.uniform(left, right, n)
    py = rng.uniform(bottom, top, n)
    radius = rng.uniform(0.0005, 0.006, n)  # about 40 to 460 m
    polys = shapely.buffer(shapely.points(px, py), radius, quad_segs=6)
    zones = gpd.GeoDataFrame({"i": range(n)}, geometry=polys, crs="EPSG:4326")
    print(
        f"(ii) zonal statistics: {n} polygons (overlapping, some past the edge) on "
        f"{arr.shape[0]} × {arr.shape[1]} WorldCover cells"
    )
    out = {}
    for all_touched in (False, True):
        ours, _, best, _ = timed(
            lambda at=all_touched: surface.zonal_stats(
                zones, arr, grid, nodata=nodata, all_touched=at
            ),
            repeats=3,
        )
        theirs, _, rbest, _ = timed(
            lambda at=all_touched: rasterstats.zonal_stats(
                zones, str(WORLDCOVER), stats=["count", "sum", "mean", "min", "max"], all_touched=at
            ),
            repeats=2,
        )
        same = all(
            int(o["count"]) == int(t["count"])
            and (t["count"] == 0 or math.isclose(o["sum"], t["sum"], rel_tol=1e-12))
            for (_, o), t in zip(ours.iterrows(), theirs, strict=True)
        )
        print(
            f"    all_touched={all_touched}: pata_gis {best:.3f} s, rasterstats {rbest:.3f} s, "
            f"answers identical: {same}"
        )
        out[f"ours_{all_touched}"] = best
        out[f"rs_{all_touched}"] = rbest
    return out


def main() -> None:
    import warnings

    warnings.simplefilter("ignore")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    e = bench_exposure()
    z = bench_zonal()
    print()
    print(
        f"exposure 20×20 km at 10 m: {e['best']:.3f} s best, {e['median']:.3f} s median "
        f"(CPU {e['cpu']:.3f} s; target ≤ 1 s); per-cell loop {e['loop']:.0f} s; "
        f"ratio ×{e['loop'] / e['best']:.0f}"
    )
    print(f"exposure with wind rose: {e['wind']:.3f} s")
    if z:
        print(
            f"zonal stats, centre rule: {z['ours_False']:.3f} s vs rasterstats "
            f"{z['rs_False']:.3f} s; ratio ×{z['rs_False'] / z['ours_False']:.1f}"
        )
        print(
            f"zonal stats, all touched: {z['ours_True']:.3f} s vs rasterstats "
            f"{z['rs_True']:.3f} s; ratio ×{z['rs_True'] / z['ours_True']:.1f}"
        )


if __name__ == "__main__":
    main()
