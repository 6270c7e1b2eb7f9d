"""Risk marks from community workshops: consensus, density, hotspots, per-household rates.

Several groups mark, on printed or on-screen maps, where they feel at risk.
This module merges their marks and asks where they agree and where the marks
cluster more than chance would give:

- :func:`consensus_zones`: a grid (or zones of touching cells) with how many
  groups marked each place, how many marks, their mean severity and
  categories;
- :func:`density`: kernel density of the marks (:func:`pata_gis.surface.kernel_density`);
- :func:`hotspots`: Getis-Ord Gi* on a grid with Benjamini-Hochberg false
  discovery rate control, and an explicit "too few marks to say" when the
  marks are too few for the test to mean anything;
- :func:`per_household`: counts per 100 households, NaN where the number of
  households is not known.

All functions are pure: GeoDataFrames in, GeoDataFrames or arrays out, work in
EPSG:3844. Marks without consent are dropped before anything is computed
(:func:`pata_gis.privacy.honour_consent`). Lines and polygons (``risk_paths``,
``risk_areas``) are welcome: consensus counts them in every cell they cross;
density and hotspots count each at its representative point.

The outputs are *workshop* products: their cell counts may be small. Before
they leave the workshop pass them through :func:`pata_gis.privacy.suppress`
or export the marks with :func:`pata_gis.privacy.export_view`.

Examples
--------
>>> import geopandas as gpd, shapely
>>> marks = gpd.GeoDataFrame(
...     {"session_id": ["a", "b"], "severity": [3, 5], "category": ["dogs", "dogs"],
...      "consent": [True, True]},
...     geometry=[shapely.Point(400_010, 580_010), shapely.Point(400_050, 580_080)],
...     crs="EPSG:3844")
>>> z = consensus_zones(marks, cell_m=100)
>>> z[["n_groups", "n_marks", "mean_severity", "categories"]].to_dict("records")
[{'n_groups': 2, 'n_marks': 2, 'mean_severity': 4.0, 'categories': 'dogs:2'}]
"""

from __future__ import annotations

import logging
import math
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import ndimage, sparse, stats
from scipy.spatial import cKDTree

from pata_gis import crs as _crs
from pata_gis import settings
from pata_gis._errors import InputError
from pata_gis.privacy import _cell_boxes, honour_consent
from pata_gis.surface import Grid, Kernel, kernel_density

__all__ = [
    "DEFAULT_CELL_M",
    "MIN_CELLS_WITH_MARKS",
    "MIN_MARKS",
    "TOO_FEW",
    "consensus_zones",
    "density",
    "fdr_cutoff",
    "getis_ord_star",
    "gi_star_permutation",
    "grid_weights",
    "hotspots",
    "per_household",
]

log = logging.getLogger(__name__)

#: Cell size (m) of consensus and hotspot grids: a short walk, about the
#: accuracy of a mark drawn on a printed 1:5,000 map.
DEFAULT_CELL_M: float = 100.0

#: Fewer consented marks than this in the study area: hotspots says "too few
#: marks to say". 30 is the usual rule of thumb for Gi* (e.g. ArcGIS: "at
#: least 30 features"); with fewer the normal approximation is not credible.
MIN_MARKS: int = 30

#: Fewer grid cells holding marks than this: "too few marks to say" (a few
#: cells with many marks each are one place, not a pattern).
MIN_CELLS_WITH_MARKS: int = 5

#: The class and status given when the marks are too few.
TOO_FEW: str = "too few marks to say"

Weights = Literal["queen", "rook", "distance"]

_STAT_COLUMNS = (
    "n_groups",
    "n_marks",
    "mean_severity",
    "max_severity",
    "categories",
    "top_category",
    "times",
)


# --------------------------------------------------------------------------- inputs
def _group_column(marks: gpd.GeoDataFrame, group_col: str | None, name: str) -> str:
    if group_col is not None:
        if group_col not in marks.columns:
            raise InputError(
                f"{name}: group_col={group_col!r} is not a column; use one of "
                f"{list(marks.columns)} (a 'group' or 'session_id' column names the group)."
            )
        return group_col
    for c in ("group", "session_id"):
        if c in marks.columns:
            return c
    raise InputError(
        f"{name}: no 'group' or 'session_id' column says which workshop group drew each "
        "mark; add one, or pass group_col= the column that does."
    )


def _prepare(marks: gpd.GeoDataFrame, consent_col: str | None, name: str) -> gpd.GeoDataFrame:
    """Consented marks with a geometry, in EPSG:3844."""
    if not isinstance(marks, gpd.GeoDataFrame):
        raise InputError(f"{name}: expected a GeoDataFrame, got {type(marks).__name__}.")
    if consent_col is not None:
        marks = honour_consent(marks, column=consent_col, name=name)
    m = _crs.to_metric(marks, name=name)
    geo = np.asarray(m.geometry.values)
    ok = ~(shapely.is_missing(geo) | shapely.is_empty(geo))
    if not ok.all():
        log.warning("%s: %d marks without a geometry left out", name, int((~ok).sum()))
        m = m.loc[ok]
    return m


def _rep_xy(m: gpd.GeoDataFrame) -> np.ndarray:
    geo = np.asarray(m.geometry.values)
    if len(geo) == 0:
        return np.empty((0, 2))
    pts = np.where(shapely.get_type_id(geo) == 0, geo, shapely.point_on_surface(geo))
    return shapely.get_coordinates(pts)


def _severity(m: gpd.GeoDataFrame, col: str | None, name: str) -> np.ndarray:
    if col is None or col not in m.columns:
        return np.full(len(m), np.nan)
    s = pd.to_numeric(m[col], errors="coerce").to_numpy(dtype=float)
    bad = np.isfinite(s) & ((s < 1) | (s > 5))
    if bad.any():
        rows = ", ".join(str(i) for i in m.index[bad][:5])
        raise InputError(
            f"{name}: {col} must be 1–5; rows {rows} are outside. Fix them or validate the "
            "layer (pata_gis.layers.validate) first."
        )
    return s


def _study_grid(xy: np.ndarray, cell_m: float | None, grid: Grid | None, pad_cells: int) -> Grid:
    if grid is not None:
        if grid.crs != settings.metric_crs:
            raise InputError(
                f"grid is in {grid.crs}; build it in {settings.metric_crs} "
                "(Grid.from_bounds(bounds, cell_m))."
            )
        return grid
    cell = float(DEFAULT_CELL_M if cell_m is None else cell_m)
    if not (cell > 0 and math.isfinite(cell)):
        raise InputError(f"cell_m={cell_m!r} must be a positive number of metres (e.g. 100).")
    if len(xy) == 0:
        raise InputError(
            "no consented marks with a position: nothing to put on a grid. Pass grid= for "
            "an empty study area."
        )
    b = (xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(), xy[:, 1].max())
    return Grid.from_bounds(b, cell, pad=pad_cells * cell)


def _incidence(m: gpd.GeoDataFrame, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """``(mark position, flat cell)`` pairs: each mark once in every cell it occupies.

    A point occupies the cell holding it; a line or polygon every cell whose
    interior it meets (touching a cell edge only does not count; a line lying
    exactly along cell edges counts in the cell of its representative point).
    """
    geo = np.asarray(m.geometry.values)
    rows, cols = grid.shape
    kinds = shapely.get_type_id(geo)
    point = kinds == 0
    mi: list[np.ndarray] = []
    ci: list[np.ndarray] = []
    if point.any():
        xy = shapely.get_coordinates(geo[point])
        r, c = grid.cell_of(xy[:, 0], xy[:, 1])
        ok = grid.contains(r, c)
        mi.append(np.flatnonzero(point)[ok])
        ci.append((r * cols + c)[ok])
    res = grid.resolution
    for i in np.flatnonzero(~point):
        g = geo[i]
        x0, y0, x1, y1 = (float(v) for v in shapely.bounds(g))
        c0, c1 = math.floor((x0 - grid.origin[0]) / res), math.floor((x1 - grid.origin[0]) / res)
        r0, r1 = math.floor((grid.origin[1] - y1) / res), math.floor((grid.origin[1] - y0) / res)
        r0, c0 = max(r0, 0), max(c0, 0)
        r1, c1 = min(r1, rows - 1), min(c1, cols - 1)
        if r1 < r0 or c1 < c0:
            continue
        mr, mc = np.meshgrid(np.arange(r0, r1 + 1), np.arange(c0, c1 + 1), indexing="ij")
        rr, cc = mr.ravel(), mc.ravel()
        boxes = _cell_boxes(grid, rr, cc)
        hit = shapely.intersects(boxes, g) & ~shapely.touches(boxes, g)
        if not hit.any():
            # it lies along cell edges only: count it in the cell of its representative point
            px, py = shapely.get_coordinates(shapely.point_on_surface(g))[0]
            pr, pc = grid.cell_of(px, py)
            if bool(grid.contains(pr, pc)):
                mi.append(np.array([i]))
                ci.append(np.array([int(pr) * cols + int(pc)]))
            continue
        mi.append(np.full(int(hit.sum()), i))
        ci.append((rr * cols + cc)[hit])
    if not mi:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(mi).astype(np.int64), np.concatenate(ci).astype(np.int64)


def _summaries(
    key: np.ndarray,
    mark: np.ndarray,
    groups: np.ndarray,
    sev: np.ndarray,
    cats: np.ndarray,
    times: np.ndarray,
) -> pd.DataFrame:
    """Per key: n_groups, n_marks, mean/max severity, categories, times (unique pairs)."""
    df = pd.DataFrame(
        {
            "key": key,
            "mark": mark,
            "group": groups[mark],
            "sev": sev[mark],
            "cat": cats[mark],
            "time": times[mark],
        }
    ).drop_duplicates(["key", "mark"])
    g = df.groupby("key", sort=True)
    out = pd.DataFrame(
        {
            "n_groups": g["group"].nunique(),
            "n_marks": g["mark"].size(),
            "mean_severity": g["sev"].mean(),
            "max_severity": g["sev"].max(),
        }
    )
    out["categories"], out["top_category"] = _tally(df, "cat")
    out["times"], _ = _tally(df, "time")
    return out


def _tally(df: pd.DataFrame, col: str) -> tuple[pd.Series, pd.Series]:
    """Per key: ``"a:3, b:1"`` (most frequent first, then by name) and the first value."""
    counts = df.groupby(["key", col]).size().rename("n").reset_index()
    counts = counts.sort_values(["key", "n", col], ascending=[True, False, True])
    counts["label"] = counts[col].astype(str) + ":" + counts["n"].astype(str)
    by_key = counts.groupby("key")
    return by_key["label"].agg(", ".join), by_key[col].first()


# --------------------------------------------------------------------------- consensus
def consensus_zones(
    marks: gpd.GeoDataFrame,
    *,
    cell_m: float | None = None,
    grid: Grid | None = None,
    group_col: str | None = None,
    min_groups: int = 1,
    dissolve: bool = False,
    severity_col: str | None = "severity",
    category_col: str | None = "category",
    time_col: str | None = "time_of_day",
    consent_col: str | None = "consent",
    name: str = "marks",
) -> gpd.GeoDataFrame:
    """Merge several groups' marks: where do groups agree, how severe, which risks.

    Parameters
    ----------
    marks : GeoDataFrame
        Risk marks (points, lines or polygons) with a CRS, a group column and,
        optionally, ``severity`` (1–5) and ``category``.
    cell_m : float, optional
        Cell size (m); default :data:`DEFAULT_CELL_M`. Ignored with `grid`.
    grid : Grid, optional
        A grid in EPSG:3844 (e.g. the one of a previous session, to compare).
    group_col : str, optional
        The group key; default ``"group"`` if there is such a column, else
        ``"session_id"``.
    min_groups : int
        Keep cells marked by at least this many groups (2 = places at least
        two groups agree on).
    dissolve : bool
        Merge touching kept cells (also diagonally) into zones; the zone's
        numbers count each mark once even when it crosses several cells.
    severity_col, category_col, time_col : str or None
        Columns to summarise (None or absent: NaN severities, category
        ``"other"``, time ``"any"``).
    consent_col : str or None
        Marks without consent are dropped first; None only for data without
        a consent field.
    name : str
        How to call the marks in messages.

    Returns
    -------
    GeoDataFrame
        EPSG:3844, one row per cell marked (``row``, ``col``) or per zone
        (``zone``, ``n_cells``), with ``n_groups``, ``share_groups`` (of all
        groups in the input), ``n_marks``, ``mean_severity``,
        ``max_severity``, ``categories`` (``"dogs:3, traffic:1"``, most
        frequent first), ``top_category`` and ``times`` (``"night:2, day:1"``,
        the times of day marked). Sorted by ``n_groups`` then
        ``n_marks``, descending. ``attrs``: ``n_groups_total``,
        ``cell_m``.
    """
    m = _prepare(marks, consent_col, name)
    gcol = _group_column(m, group_col, name)
    if m[gcol].isna().any():
        rows = ", ".join(str(i) for i in m.index[m[gcol].isna()][:5])
        raise InputError(
            f"{name}: rows {rows} have no {gcol!r}; every mark needs its workshop group."
        )
    groups = m[gcol].astype(str).to_numpy()
    n_groups_total = int(pd.unique(groups).size)
    sev = _severity(m, severity_col, name)
    cats = (
        m[category_col].astype("object").fillna("other").astype(str).to_numpy()
        if category_col is not None and category_col in m.columns
        else np.full(len(m), "other", dtype=object)
    )
    times = (
        m[time_col].astype("object").fillna("any").astype(str).to_numpy()
        if time_col is not None and time_col in m.columns
        else np.full(len(m), "any", dtype=object)
    )
    if grid is None and len(m) == 0:
        log.info("%s: no consented marks: no consensus zones", name)
        first = ["zone", "n_cells"] if dissolve else ["row", "col"]
        empty = gpd.GeoDataFrame(
            {c: [] for c in [*first, "n_groups", "share_groups", *_STAT_COLUMNS[1:]]},
            geometry=[],
            crs=settings.metric_crs,
        )
        empty.attrs.update({"n_groups_total": 0, "cell_m": float(cell_m or DEFAULT_CELL_M)})
        return empty
    if grid is None:
        # the bounds of every mark, lines and polygons whole
        b = m.total_bounds
        g = _study_grid(np.array([[b[0], b[1]], [b[2], b[3]]]), cell_m, None, 1)
    else:
        g = _study_grid(np.empty((0, 2)), cell_m, grid, 0)
    mark, cell = _incidence(m, g)
    per_cell = _summaries(cell, mark, groups, sev, cats, times)
    keep = per_cell.index[per_cell["n_groups"] >= int(min_groups)].to_numpy()
    cols = g.shape[1]
    if not dissolve:
        out = per_cell.loc[keep].copy()
        out.insert(0, "row", (out.index // cols).astype("int64"))
        out.insert(1, "col", (out.index % cols).astype("int64"))
        geom = _cell_boxes(g, out["row"].to_numpy(), out["col"].to_numpy())
    else:
        mask = np.zeros(g.shape, dtype=bool)
        mask.flat[keep] = True
        labels, n_zones = ndimage.label(mask, structure=np.ones((3, 3), dtype=int))
        zone_of_cell = labels.ravel()[cell]
        inside = zone_of_cell > 0
        out = _summaries(zone_of_cell[inside], mark[inside], groups, sev, cats, times)
        flat = np.flatnonzero(labels.ravel())
        zones = labels.ravel()[flat]
        boxes = _cell_boxes(g, flat // cols, flat % cols)
        union = gpd.GeoSeries(boxes).groupby(zones).agg(shapely.union_all)
        out.insert(0, "zone", out.index.astype("int64"))
        out.insert(1, "n_cells", np.bincount(zones, minlength=n_zones + 1)[out.index])
        geom = np.asarray(union.loc[out.index].values, dtype=object)
    out["share_groups"] = out["n_groups"] / max(n_groups_total, 1)
    first = ["zone", "n_cells"] if dissolve else ["row", "col"]
    out = out[[*first, "n_groups", "share_groups", *_STAT_COLUMNS[1:]]]
    res = gpd.GeoDataFrame(out.reset_index(drop=True), geometry=geom, crs=g.crs)
    res = res.sort_values(["n_groups", "n_marks"], ascending=False, kind="stable")
    res = res.reset_index(drop=True)
    res.attrs.update({"n_groups_total": n_groups_total, "cell_m": g.resolution})
    log.info(
        "%s: %d marks of %d groups, %d %s with at least %d groups",
        name,
        len(m),
        n_groups_total,
        len(res),
        "zones" if dissolve else "cells",
        min_groups,
    )
    return res


# --------------------------------------------------------------------------- density
def density(
    marks: gpd.GeoDataFrame,
    *,
    grid: Grid,
    bandwidth_m: float,
    kernel: Kernel = "quartic",
    weights: str | None = None,
    consent_col: str | None = "consent",
    name: str = "marks",
) -> np.ndarray:
    """Kernel density of the consented marks, marks (or weight) per km².

    Delegates to :func:`pata_gis.surface.kernel_density` (its kernels and
    binning); lines and polygons count at their representative point.

    Parameters
    ----------
    marks : GeoDataFrame
    grid : Grid
    bandwidth_m : float
        Kernel radius (quartic, Epanechnikov) or standard deviation (Gaussian), m.
    kernel : {"quartic", "epanechnikov", "gaussian"}
    weights : str, optional
        A column to weight by (e.g. ``"severity"``).
    consent_col : str or None
    name : str

    Returns
    -------
    ndarray, shape ``grid.shape``
    """
    m = _prepare(marks, consent_col, name)
    w = None
    if weights is not None:
        if weights not in m.columns:
            raise InputError(f"{name}: weights={weights!r} is not a column of the marks.")
        w = pd.to_numeric(m[weights], errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(w).all():
            rows = ", ".join(str(i) for i in m.index[~np.isfinite(w)][:5])
            raise InputError(f"{name}: {weights} is missing or not a number in rows {rows}.")
    return kernel_density(
        _rep_xy(m), grid, bandwidth=bandwidth_m, kernel=kernel, weights=w, name=name
    )


# --------------------------------------------------------------------------- Gi*
def grid_weights(
    grid: Grid,
    *,
    weights: Weights = "queen",
    distance_m: float | None = None,
    self_weight: bool = True,
) -> sparse.csr_matrix:
    """Binary spatial weights between the cells of `grid` (row-major order).

    Parameters
    ----------
    grid : Grid
    weights : {"queen", "rook", "distance"}
        Queen: the 8 cells around; rook: the 4 sharing an edge; distance:
        every cell whose centre is within `distance_m` (default 1.5 cells,
        i.e. queen).
    distance_m : float, optional
        For ``"distance"``.
    self_weight : bool
        Put 1 on the diagonal (Gi*: each cell is its own neighbour).

    Returns
    -------
    scipy.sparse.csr_matrix, shape (n, n), n = rows * cols
        Cell ``(r, c)`` is index ``r * cols + c`` (the order of
        ``libpysal.weights.lat2W``).
    """
    rows, cols = grid.shape
    n = rows * cols
    if weights in ("queen", "rook"):
        offs = [(-1, 0), (1, 0), (0, -1), (0, 1)]
        if weights == "queen":
            offs += [(-1, -1), (-1, 1), (1, -1), (1, 1)]
        r, c = np.divmod(np.arange(n), cols)
        src: list[np.ndarray] = []
        dst: list[np.ndarray] = []
        for dr, dc in offs:
            rr, cc = r + dr, c + dc
            ok = (rr >= 0) & (rr < rows) & (cc >= 0) & (cc < cols)
            src.append(np.flatnonzero(ok))
            dst.append((rr * cols + cc)[ok])
        i, j = np.concatenate(src), np.concatenate(dst)
    elif weights == "distance":
        d = 1.5 * grid.resolution if distance_m is None else float(distance_m)
        if not d > 0:
            raise InputError(f"distance_m={distance_m!r} must be a positive distance (m).")
        x, y = grid.xy()
        pairs = cKDTree(np.c_[x.ravel(), y.ravel()]).query_pairs(d, output_type="ndarray")
        i = np.r_[pairs[:, 0], pairs[:, 1]]
        j = np.r_[pairs[:, 1], pairs[:, 0]]
    else:
        raise InputError(f"weights={weights!r} is not known; use 'queen', 'rook' or 'distance'.")
    if self_weight:
        i, j = np.r_[i, np.arange(n)], np.r_[j, np.arange(n)]
    w = sparse.csr_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    w.sum_duplicates()
    w.data[:] = 1.0
    return w


def getis_ord_star(y: np.ndarray, w: sparse.spmatrix) -> tuple[np.ndarray, np.ndarray]:
    """Getis-Ord Gi* and its z-score, with the analytical moments.

    The statistic and moments of Getis and Ord (1992) / Ord and Getis (1995)
    as computed by ``esda.G_Local(y, w, transform="B", star=True)`` (binary
    weights including the cell itself):
    ``G_i = Σ_j w_ij y_j / Σ_j y_j``, ``E[G_i] = W_i / n``,
    ``Var[G_i] = W_i (n − W_i) / (n − 1) · s² / (n² ȳ²)`` with ``W_i = Σ_j w_ij``
    and ``s²`` the population variance of `y`.

    Parameters
    ----------
    y : ndarray, shape (n,)
        Non-negative values (counts or weights) of every unit.
    w : sparse matrix, shape (n, n)
        Binary weights with ones on the diagonal (:func:`grid_weights`).

    Returns
    -------
    (G, z) : two ndarrays of shape (n,)
        z is NaN where it is undefined (all values equal, or all zero).
    """
    y = np.asarray(y, dtype=float).ravel()
    n = len(y)
    total = y.sum()
    card = np.asarray(w.sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.asarray(w @ y).ravel() / total
        mean = total / n
        var = (y**2).sum() / n - mean**2
        expected = card / n
        v = card * (n - card) / (n - 1) / n**2 * var / mean**2
        z = (g - expected) / np.sqrt(v)
    z = np.where(np.isfinite(z), z, np.nan)
    return g, z


def gi_star_permutation(
    y: np.ndarray,
    w: sparse.spmatrix,
    *,
    permutations: int = 999,
    seed: int | np.random.Generator | None = None,
) -> np.ndarray:
    """Pseudo p-values of Gi* by conditional permutation (binary weights with self).

    For each unit the value of the unit stays and its ``W_i - 1`` neighbours
    are replaced by values drawn without replacement from the other ``n - 1``
    units, `permutations` times (one set of draws shared by all units, as in
    ``esda``). The p-value is folded to the nearer tail, as ``esda``'s
    ``p_sim``: ``(min(m, P - m) + 1) / (P + 1)`` with ``m`` the number of
    draws at least as large as the observed sum.

    Parameters
    ----------
    y : ndarray, shape (n,)
    w : sparse matrix, shape (n, n)
        Binary, with ones on the diagonal (:func:`grid_weights`).
    permutations : int
    seed : int or numpy Generator, optional

    Returns
    -------
    ndarray, shape (n,)
        One-tailed pseudo p-values in ``(0, 0.5]``.
    """
    y = np.asarray(y, dtype=float).ravel()
    n = len(y)
    if permutations < 1:
        raise InputError(f"permutations={permutations!r} must be a positive number (e.g. 999).")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    csr = sparse.csr_matrix(w)
    observed = np.asarray(csr @ y).ravel()
    k_other = np.asarray(csr.sum(axis=1)).ravel().astype(np.int64) - 1
    kmax = int(k_other.max(initial=0))
    if kmax >= n:
        raise InputError("every unit neighbours every other: nothing to permute.")
    draws = np.empty((permutations, kmax), dtype=np.int64)
    for p in range(permutations):
        draws[p] = rng.choice(n - 1, size=kmax, replace=False)
    larger = np.empty(n)
    for i in range(n):
        idx = draws[:, : k_other[i]]
        idx = idx + (idx >= i)  # skip the unit itself
        sims = y[idx].sum(axis=1) + y[i]
        larger[i] = np.count_nonzero(sims >= observed[i] - 1e-12 * max(1.0, abs(observed[i])))
    low = (permutations - larger) < larger
    larger[low] = permutations - larger[low]
    return (larger + 1.0) / (permutations + 1.0)


def fdr_cutoff(p: np.ndarray, alpha: float = 0.05) -> float:
    """Benjamini-Hochberg cut-off: p-values below it are significant.

    The largest ``k α / n`` with ``p_(k) < k α / n`` (``p_(k)`` the k-th
    smallest), as ``esda.fdr`` computes it; when no p-value passes, the
    Bonferroni bound ``α / n`` (which then none passes either).

    Parameters
    ----------
    p : ndarray
        p-values (NaN ones are left out of the count).
    alpha : float
        The false discovery rate to control.
    """
    p = np.asarray(p, dtype=float)
    p = p[np.isfinite(p)]
    n = len(p)
    if n == 0:
        return 0.0
    p_sort = np.sort(p)[::-1]
    thresholds = np.arange(n, 0, -1) * alpha / n
    hit = np.flatnonzero(p_sort < thresholds)
    return float(alpha / n if hit.size == 0 else thresholds[hit[0]])


def _bh_adjusted(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q-values); NaN stays NaN."""
    q = np.full(len(p), np.nan)
    ok = np.isfinite(p)
    pv = p[ok]
    n = len(pv)
    if n == 0:
        return q
    order = np.argsort(pv)
    ranked = pv[order] * n / np.arange(1, n + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adj = np.empty(n)
    adj[order] = np.minimum(ranked, 1.0)
    q[ok] = adj
    return q


def _cells_in_area(
    grid: Grid, area: gpd.GeoDataFrame | gpd.GeoSeries | shapely.Geometry
) -> np.ndarray:
    """Flat indices of the cells whose centre lies in `area`."""
    if isinstance(area, gpd.GeoDataFrame | gpd.GeoSeries):
        geom = _crs.to_metric(area, name="area").union_all()
    elif isinstance(area, shapely.Geometry):
        geom = area
    else:
        raise InputError(
            f"area: expected a GeoDataFrame, GeoSeries or shapely geometry, got "
            f"{type(area).__name__}."
        )
    x, y = grid.xy()
    inside = shapely.contains_xy(geom, x.ravel(), y.ravel())
    return np.flatnonzero(inside)


def hotspots(
    marks: gpd.GeoDataFrame,
    *,
    cell_m: float | None = None,
    grid: Grid | None = None,
    weights: Weights = "queen",
    distance_m: float | None = None,
    value: Literal["count", "severity"] = "count",
    alpha: float = 0.05,
    fdr: bool = True,
    min_marks: int | None = None,
    min_cells: int | None = None,
    area: gpd.GeoDataFrame | gpd.GeoSeries | shapely.Geometry | None = None,
    permutations: int = 0,
    seed: int | np.random.Generator | None = None,
    severity_col: str = "severity",
    consent_col: str | None = "consent",
    name: str = "marks",
) -> gpd.GeoDataFrame:
    """Hot and cold spots of risk marks: Getis-Ord Gi* on a grid, FDR-controlled.

    Every cell of the study grid gets the number of consented marks in it
    (lines and polygons at their representative point), or their summed
    severity. Gi* (:func:`getis_ord_star`, binary weights with the cell
    itself) gives a z-score per cell; its two-sided normal p-value is tested
    at `alpha`, over all cells at once with the Benjamini-Hochberg false
    discovery rate (:func:`fdr_cutoff`) unless ``fdr=False``.

    When the marks are too few to say anything (fewer than `min_marks`
    consented marks, or fewer than `min_cells` cells holding marks), every
    cell's ``class`` is :data:`TOO_FEW` and ``attrs["status"]`` says so; z and
    p are still given for the curious, but nothing is called hot or cold.

    The study area matters: empty cells count as "no risk marked here". Pass
    the `grid` of the area that was actually discussed in the workshop (e.g.
    the settlements and the paths around them); by default the grid is the
    bounding box of the marks padded by one cell.

    Parameters
    ----------
    marks : GeoDataFrame
    cell_m : float, optional
        Default :data:`DEFAULT_CELL_M`; ignored with `grid`.
    grid : Grid, optional
        The study area (EPSG:3844).
    weights : {"queen", "rook", "distance"}
        Neighbourhood (:func:`grid_weights`); ``"distance"`` uses `distance_m`.
    distance_m : float, optional
    value : {"count", "severity"}
        What each cell holds: the number of marks or the sum of severities.
    alpha : float
        Significance level (or false discovery rate with `fdr`).
    fdr : bool
        Control the false discovery rate across cells (recommended: a grid
        has hundreds of cells, so some would pass at 5 % by chance).
    min_marks, min_cells : int, optional
        Defaults :data:`MIN_MARKS` (30) and :data:`MIN_CELLS_WITH_MARKS` (5).
    area : GeoDataFrame, GeoSeries or shapely geometry, optional
        The study area inside the grid (e.g. the settlements and the paths
        between them, buffered): only cells whose centre lies in it are
        analysed and returned; neighbours outside it do not exist. A bare
        geometry is taken to be in EPSG:3844.
    permutations : int
        With a positive number (e.g. 999), also test by conditional
        permutation (:func:`gi_star_permutation`, as ``esda``'s ``p_sim``) and
        use ``min(1, 2 p_sim)`` as the two-sided ``p_value``: better than the
        normal approximation when most cells are empty. 0 (default): normal
        approximation only. With `fdr` over ``n`` cells the smallest
        attainable p-value, ``2 / (permutations + 1)``, must be below
        ``alpha / n`` times the number of true hot spots: for a grid of 1,000
        cells use 9,999 or more (a warning is logged when it cannot be).
    seed : int or numpy Generator, optional
        For reproducible permutations.
    severity_col, consent_col, name :
        As elsewhere in this module.

    Returns
    -------
    GeoDataFrame
        EPSG:3844, one row per cell (of `area`): ``row``, ``col``, ``n_marks``,
        ``value``, ``gi``, ``z``, ``p_norm`` (one-tailed ``sf(|z|)``, as
        ``esda``'s ``p_norm``), with `permutations` ``p_sim``, ``p_value``
        (two-sided: ``2 p_norm``, or ``2 p_sim`` with permutations), ``q``
        (BH-adjusted ``p_value``), ``significant`` and ``class`` (``"hot"``,
        ``"cold"``, ``"not significant"`` or :data:`TOO_FEW`). ``attrs``:
        ``status`` (``"ok"`` or :data:`TOO_FEW`), ``reason``, ``n_marks``,
        ``n_cells_with_marks``, ``cutoff`` (the p-value cut-off used),
        ``alpha``, ``fdr``, ``inference``, ``weights``, ``min_marks``,
        ``min_cells``, ``cell_m``.
    """
    if not 0 < alpha < 1:
        raise InputError(f"alpha={alpha!r} must be between 0 and 1 (e.g. 0.05).")
    if value not in ("count", "severity"):
        raise InputError(f"value={value!r} is not known; use 'count' or 'severity'.")
    min_marks = MIN_MARKS if min_marks is None else int(min_marks)
    min_cells = MIN_CELLS_WITH_MARKS if min_cells is None else int(min_cells)
    m = _prepare(marks, consent_col, name)
    xy = _rep_xy(m)
    if grid is None and len(xy) == 0:
        log.info("%s: %s: no consented marks", name, TOO_FEW)
        empty = gpd.GeoDataFrame(
            {c: [] for c in ("row", "col", "n_marks", "value", "gi", "z", "p_norm", "p_value")},
            geometry=[],
            crs=settings.metric_crs,
        )
        empty["q"] = []
        empty["significant"] = pd.Series([], dtype=bool)
        empty["class"] = pd.Series([], dtype=object)
        empty.attrs.update(
            {"status": TOO_FEW, "reason": "no consented marks", "n_marks": 0,
             "n_cells_with_marks": 0}
        )  # fmt: skip
        return empty
    g = _study_grid(xy, cell_m, grid, 1)
    rows, cols = g.shape
    n = rows * cols
    r, c = g.cell_of(xy[:, 0], xy[:, 1]) if len(xy) else (np.empty(0, int), np.empty(0, int))
    inside = g.contains(r, c)
    if (~inside).any():
        log.info("%s: %d marks outside the study grid left out", name, int((~inside).sum()))
    flat = (r * cols + c)[inside]
    counts = np.bincount(flat, minlength=n).astype(float)
    if value == "severity":
        sev = _severity(m, severity_col, name)[inside]
        if not np.isfinite(sev).all():
            raise InputError(f"{name}: value='severity' needs a severity for every mark.")
        y = np.bincount(flat, weights=sev, minlength=n)
    else:
        y = counts
    w = grid_weights(g, weights=weights, distance_m=distance_m)
    sel = np.arange(n)
    if area is not None:
        sel = _cells_in_area(g, area)
        outside = int(counts.sum() - counts[sel].sum())
        if outside:
            log.info("%s: %d marks in cells outside the study area left out", name, outside)
        counts, y = counts[sel], y[sel]
        w = sparse.csr_matrix(w[sel][:, sel])
        n = len(sel)
    if n < 3:
        raise InputError(
            f"the study area has {n} cells; Gi* needs at least 3 (use smaller cells or a "
            "larger area)."
        )
    gi, z = getis_ord_star(y, w)
    p_norm = stats.norm.sf(np.abs(z))
    p_two = np.minimum(2.0 * p_norm, 1.0)
    p_sim = None
    if permutations:
        p_sim = gi_star_permutation(y, w, permutations=permutations, seed=seed)
        if fdr and 2.0 / (permutations + 1) >= alpha * 10 / n:
            log.warning(
                "%s: %d permutations cannot reach the FDR threshold over %d cells unless "
                "more than %d cells are hot; use at least %d permutations",
                name,
                permutations,
                n,
                10,
                math.ceil(2 * n / (alpha * 10)),
            )
        p_two = np.where(np.isfinite(z), np.minimum(2.0 * p_sim, 1.0), np.nan)
    q = _bh_adjusted(p_two)
    cutoff = fdr_cutoff(p_two, alpha) if fdr else alpha
    sig = np.isfinite(p_two) & (p_two < cutoff)
    n_marks = int(counts.sum())
    n_cells = int((counts > 0).sum())
    reasons = []
    if n_marks < min_marks:
        reasons.append(f"{n_marks} consented marks in the study area (at least {min_marks} needed)")
    if n_cells < min_cells:
        reasons.append(f"{n_cells} cells hold marks (at least {min_cells} needed)")
    if not np.isfinite(z).any():
        reasons.append("every cell holds the same value")
    klass = np.where(sig & (z > 0), "hot", np.where(sig & (z < 0), "cold", "not significant"))
    status = "ok"
    if reasons:
        status = TOO_FEW
        klass = np.full(n, TOO_FEW)
        sig = np.zeros(n, dtype=bool)
        log.info("%s: %s: %s", name, TOO_FEW, "; ".join(reasons))
    rr, cc = np.divmod(sel, cols)
    out = gpd.GeoDataFrame(
        {
            "row": rr.astype("int64"),
            "col": cc.astype("int64"),
            "n_marks": counts.astype("int64"),
            "value": y,
            "gi": gi,
            "z": z,
            "p_norm": p_norm,
            **({} if p_sim is None else {"p_sim": p_sim}),
            "p_value": p_two,
            "q": q,
            "significant": sig,
            "class": klass,
        },
        geometry=_cell_boxes(g, rr, cc),
        crs=g.crs,
    )
    out.attrs.update(
        {
            "status": status,
            "reason": "; ".join(reasons),
            "n_marks": n_marks,
            "n_cells_with_marks": n_cells,
            "cutoff": float(cutoff),
            "alpha": float(alpha),
            "fdr": bool(fdr),
            "inference": "normal" if p_sim is None else f"permutation ({permutations})",
            "weights": weights,
            "min_marks": min_marks,
            "min_cells": min_cells,
            "cell_m": g.resolution,
        }
    )
    return out


# --------------------------------------------------------------------------- households
def per_household(
    zones: gpd.GeoDataFrame,
    settlements: gpd.GeoDataFrame,
    *,
    households_col: str = "households",
    count_col: str = "n_marks",
    per: float = 100.0,
) -> gpd.GeoDataFrame:
    """Marks per `per` households in each zone; NaN (not 0) where households are unknown.

    Each zone gets the households of the settlements it overlaps, in
    proportion to the share of each settlement's area inside the zone
    (households spread evenly over a settlement). A zone touching a settlement
    whose household count is missing, or touching no settlement at all, or
    with zero households, gets NaN: unknown, not "no risk".

    Parameters
    ----------
    zones : GeoDataFrame
        Polygons with a count column (e.g. :func:`consensus_zones`).
    settlements : GeoDataFrame
        Polygons with `households_col`.
    households_col : str
    count_col : str
    per : float
        Rate base (default per 100 households).

    Returns
    -------
    GeoDataFrame
        `zones` (same index and CRS) with ``households`` (estimated) and
        ``marks_per_100_households`` (named after `per`).
    """
    for frame, col, what in (
        (zones, count_col, "zones"),
        (settlements, households_col, "settlements"),
    ):
        if col not in frame.columns:
            raise InputError(f"{what}: no {col!r} column; pass {what}' column name explicitly.")
    z = _crs.to_metric(zones, name="zones")
    s = _crs.to_metric(settlements, name="settlements")
    hh = pd.to_numeric(s[households_col], errors="coerce").to_numpy(dtype=float)
    sgeo = np.asarray(s.geometry.values)
    zgeo = np.asarray(z.geometry.values)
    area = shapely.area(sgeo)
    tree = shapely.STRtree(sgeo)
    zi, si = tree.query(zgeo, predicate="intersects")
    est = np.zeros(len(z))
    unknown = np.zeros(len(z), dtype=bool)
    touched = np.zeros(len(z), dtype=bool)
    if len(zi):
        share = shapely.area(shapely.intersection(zgeo[zi], sgeo[si])) / np.where(
            area[si] > 0, area[si], np.nan
        )
        real = np.isfinite(share) & (share > 0)
        zi, si, share = zi[real], si[real], share[real]
        touched[zi] = True
        np.logical_or.at(unknown, zi, ~np.isfinite(hh[si]))
        np.add.at(est, zi, np.where(np.isfinite(hh[si]), hh[si], 0.0) * share)
    households = np.where(touched & ~unknown & (est > 0), est, np.nan)
    label = f"marks_per_{per:g}_households"
    out = zones.copy()
    out["households"] = households
    counts = pd.to_numeric(zones[count_col], errors="coerce").to_numpy(dtype=float)
    out[label] = counts / households * per
    return out
