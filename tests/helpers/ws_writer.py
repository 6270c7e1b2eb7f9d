"""Subprocess writer for the workspace kill and concurrency tests.

Usage::

    python ws_writer.py rewrite WORKSPACE LAYER N_FEATURES FIRST_GEN
        Rewrite LAYER with N_FEATURES points, all carrying ``gen`` = FIRST_GEN,
        FIRST_GEN + 1, ... forever (until killed). Prints ``start <gen>`` before
        and ``done <gen> <version>`` after each save.

    python ws_writer.py append WORKSPACE LAYER WORKER ROUNDS N GO_FILE
        Wait until GO_FILE exists, then append N distinct features (``kind`` =
        ``w<WORKER>-r<round>-<i>``) ROUNDS times. Prints ``done <version>``
        after each append.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from pata_gis.workspace import Workspace


def points(n: int, seed: int) -> gpd.GeoSeries:
    rng = np.random.default_rng(seed)
    x = 23.66 + rng.random(n) * 0.06
    y = 46.75 + rng.random(n) * 0.04
    return gpd.GeoSeries(shapely.points(x, y), crs="EPSG:4326")


def big_layer(n: int, gen: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "kind": [f"g{gen}-{i}" for i in range(n)],
            "gen": np.full(n, gen, dtype="int64"),
            "source": "kill test",
            "accuracy_m": 5.0,
        },
        geometry=points(n, gen),
    )


def rewrite(path: str, layer: str, n: int, first_gen: int) -> None:
    ws = Workspace(path)
    frame0 = big_layer(n, first_gen)
    gen = first_gen
    while True:
        frame = frame0.assign(gen=gen, kind=[f"g{gen}-{i}" for i in range(n)])
        print(f"start {gen}", flush=True)
        version = ws.write(layer, frame, validate=False, message=f"gen {gen}")
        print(f"done {gen} {version}", flush=True)
        gen += 1


def append(path: str, layer: str, worker: int, rounds: int, n: int, go: str) -> None:
    ws = Workspace(path)
    print("ready", flush=True)
    deadline = time.monotonic() + 30
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise SystemExit("go file never appeared")
        time.sleep(0.005)
    for r in range(rounds):
        frame = gpd.GeoDataFrame(
            {
                "kind": [f"w{worker}-r{r}-{i}" for i in range(n)],
                "gen": worker,
                "source": f"worker {worker}",
                "accuracy_m": 1.0,
            },
            geometry=points(n, 1000 * worker + r),
        )
        version = ws.append(layer, frame, author=f"worker {worker}")
        print(f"done {version}", flush=True)


def main(argv: list[str]) -> None:
    mode = argv[1]
    if mode == "rewrite":
        rewrite(argv[2], argv[3], int(argv[4]), int(argv[5]))
    elif mode == "append":
        append(argv[2], argv[3], int(argv[4]), int(argv[5]), int(argv[6]), argv[7])
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv)
