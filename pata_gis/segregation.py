"""Segregation indices for a resettlement scenario: are relocated families spread or clustered?

Given, for every spatial unit (block, neighbourhood, grid cell), the number of
relocated households ``x_i`` and the total number of households ``t_i``
(relocated plus everyone else), this module computes the classic
single-group indices of Massey and Denton (1988) and spatial ones:

==========================  ===============================================  ===========
index                       formula                                           segregated
==========================  ===============================================  ===========
dissimilarity D             sum t_i |p_i - P| / (2 T P (1 - P))               high (0..1)
isolation xPx               sum (x_i / X) (x_i / t_i)                         high
exposure xPy                sum (x_i / X) (y_i / t_i)                         low
Gini G                      sum_ij t_i t_j |p_i - p_j| / (2 T^2 P (1 - P))    high (0..1)
entropy (Theil) H           sum t_i (E - E_i) / (E T)                         high (0..1)
spatial dissimilarity SD    D - sum_ij c_ij |p_i - p_j| / sum_ij c_ij         high
relative centralisation     sum X_(i-1) Y_i - sum X_i Y_(i-1)                 >0: central
==========================  ===============================================  ===========

with ``p_i = x_i / t_i`` (0 for an empty unit), ``P = X / T``, ``y = t - x``
and ``c_ij`` a spatial weights matrix (Morrill 1991). Each kernel equals the
matching class of PySAL ``segregation`` 2.5 (``Dissim``, ``Isolation``,
``Interaction``, ``Gini``, ``Entropy``, ``SpatialDissim``,
``RelativeCentralization``) to 1e-9; the tests check it.

The kernels are pure numpy on count arrays. :func:`units_from_points` counts
households per unit, :func:`grid_units` makes square cells when there are no
administrative units, :func:`indices` computes them all for a unit table and
:func:`randomisation_test` says whether a value is more than chance, or that
the numbers are too small to say anything.

Small numbers: a handful of households spread over many units always looks
"segregated". Placing X relocated households at random among 20 units of 50
homes each gives, on average (95 % range; 2,000 draws):

=====  =====================
X      D under random placing
=====  =====================
5      0.78 (0.75–0.85)
10     0.61 (0.51–0.71)
20     0.36 (0.20–0.51)
50     0.26 (0.18–0.34)
=====  =====================

So an index alone says little: :func:`randomisation_test` therefore compares
the observed index with its distribution when the same number of relocated households is
placed at random among the same homes, and refuses a verdict below
:data:`MIN_GROUP` relocated households or :data:`MIN_UNITS` populated units.

Sensitivity: counts of relocated (mostly Roma) households per small unit can
identify families. The output of :func:`units_from_points` carries
``attrs["sensitivity"] = "restricted"``; maps and printouts must aggregate or
mask small counts.

Examples
--------
>>> x = [10, 0, 5, 5]
>>> t = [20, 20, 20, 20]
>>> round(dissimilarity(x, t), 4), round(isolation(x, t), 4), round(exposure(x, t), 4)
(0.3333, 0.375, 0.625)
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely

from pata_gis import crs as _crs
from pata_gis._errors import InputError

__all__ = [
    "ALPHA",
    "CITY_CENTRE_LONLAT",
    "INDICES",
    "MIN_GROUP",
    "MIN_UNITS",
    "N_PERMUTATIONS",
    "Inference",
    "contiguity_weights",
    "dissimilarity",
    "entropy",
    "exposure",
    "gini",
    "grid_units",
    "indices",
    "isolation",
    "randomisation_test",
    "randomisation_tests",
    "relative_centralisation",
    "spatial_dissimilarity",
    "units_from_points",
]

log = logging.getLogger(__name__)

#: Fewest relocated households for which :func:`randomisation_test` gives a
#: verdict. Below ten, the index is dominated by where single families happen
#: to land and a permutation p-value cannot separate a pattern from chance.
MIN_GROUP: int = 10

#: Fewest units with at least one household for a verdict.
MIN_UNITS: int = 3

#: Significance level of the verdict of :func:`randomisation_test`.
ALPHA: float = 0.05

#: Permutations of :func:`randomisation_test`.
N_PERMUTATIONS: int = 999

#: Centre of Cluj-Napoca (Piața Unirii) in lon/lat, the default centre of
#: :func:`relative_centralisation` in :func:`indices`.
CITY_CENTRE_LONLAT: tuple[float, float] = (23.5899, 46.7694)

Alternative = Literal["greater", "less", "two-sided"]


# ------------------------------------------------------------------ input checks
def _raw_counts(x: Any, t: Any) -> tuple[np.ndarray, np.ndarray]:
    """Finite, non-negative group counts and totals of the same length, group <= total."""
    xa = np.asarray(pd.to_numeric(pd.Series(np.asarray(x).ravel()), errors="coerce"), dtype=float)
    ta = np.asarray(pd.to_numeric(pd.Series(np.asarray(t).ravel()), errors="coerce"), dtype=float)
    if xa.shape != ta.shape:
        raise InputError(
            f"group counts ({xa.size} units) and totals ({ta.size} units) differ in length"
        )
    if xa.size == 0:
        raise InputError("no units: pass one group count and one total per unit")
    for name, a in (("group count", xa), ("total", ta)):
        bad = ~np.isfinite(a) | (a < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"{name} of unit {i} is {a[i]}: counts must be finite and >= 0 "
                "(fill missing counts with 0 or drop the unit)"
            )
    over = xa > ta + 1e-9
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise InputError(
            f"unit {i}: group count {xa[i]:g} exceeds the total {ta[i]:g}; the total must "
            "include the relocated households (total = relocated + others)"
        )
    return xa, ta


def _counts(x: Any, t: Any) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_raw_counts`, with at least one group member and one other household overall."""
    xa, ta = _raw_counts(x, t)
    X, T = xa.sum(), ta.sum()
    if X <= 0:
        raise InputError("no relocated households in any unit: the indices are undefined")
    if X >= T:
        raise InputError(
            "every household belongs to the group: the indices need some other population "
            "(total = relocated + others)"
        )
    return xa, ta


def _shares(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(t > 0, x / np.where(t > 0, t, 1.0), 0.0)


# ------------------------------------------------------------------ aspatial kernels
def dissimilarity(x: Any, t: Any) -> float:
    """Index of dissimilarity D (Duncan and Duncan 1955; Massey and Denton 1988).

    The share of the group that would have to move for every unit to have the
    overall share P: 0 = even, 1 = complete separation.

    Parameters
    ----------
    x : array-like
        Group (relocated) households per unit.
    t : array-like
        All households per unit (group included).
    """
    xa, ta = _counts(x, t)
    return float(_d_rows(xa[None, :], ta)[0])


def _d_rows(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    T = t.sum()
    P = x.sum(axis=-1, keepdims=True) / T
    p = _shares(x, t)
    return np.sum(t * np.abs(p - P), axis=-1) / (2 * T * P[..., 0] * (1 - P[..., 0]))


def isolation(x: Any, t: Any) -> float:
    """Isolation index xPx: the group share in the unit of the average group member.

    Equals P (the overall share) when the group is spread evenly, 1 when it
    lives only among itself.
    """
    xa, ta = _counts(x, t)
    return float(_iso_rows(xa[None, :], ta)[0])


def _iso_rows(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    X = x.sum(axis=-1, keepdims=True)
    return np.sum((x / X) * _shares(x, t), axis=-1)


def exposure(x: Any, t: Any) -> float:
    """Exposure (interaction) index xPy: the others' share in the unit of the average group member.

    ``isolation + exposure = 1``. Equals 1 - P when even; low values mean the
    group rarely shares a unit with the others.
    """
    xa, ta = _counts(x, t)
    return float(_exp_rows(xa[None, :], ta)[0])


def _exp_rows(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    X = x.sum(axis=-1, keepdims=True)
    return np.sum((x / X) * _shares(t - x, t) * (t > 0), axis=-1)


def gini(x: Any, t: Any) -> float:
    """Gini segregation index: mean absolute difference of unit shares, weighted by population.

    Computed in O(n log n) by sorting the shares (no n x n matrix).
    """
    xa, ta = _counts(x, t)
    return float(_gini_rows(xa[None, :], ta)[0])


def _gini_rows(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    T = t.sum()
    out = np.empty(x.shape[0])
    for r in range(x.shape[0]):
        P = x[r].sum() / T
        p = _shares(x[r], t)
        order = np.argsort(p, kind="stable")
        ps, ts = p[order], t[order]
        cw = np.cumsum(ts) - ts  # population before each unit
        cwp = np.cumsum(ts * ps) - ts * ps
        # sum_{i<j} t_i t_j (p_j - p_i) over the sorted order, doubled for the full sum
        num = 2.0 * np.sum(ts * (ps * cw - cwp))
        out[r] = num / (2 * T * T * P * (1 - P))
    return out


def entropy(x: Any, t: Any) -> float:
    """Entropy (Theil's information) index H: 1 - mean unit entropy / overall entropy.

    Natural logarithms; ``0 * log 0 = 0``.
    """
    xa, ta = _counts(x, t)
    return float(_h_rows(xa[None, :], ta)[0])


def _ent(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        e = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    return np.nan_to_num(e, nan=0.0)


def _h_rows(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    T = t.sum()
    P = x.sum(axis=-1, keepdims=True) / T
    E = _ent(P)
    Ei = _ent(_shares(x, t))
    return np.sum(t * (E - Ei), axis=-1) / (E[..., 0] * T)


# ------------------------------------------------------------------ spatial kernels
def _as_sparse(w: Any, n: int) -> sp.csr_matrix:
    if hasattr(w, "sparse") and not isinstance(w, np.ndarray):  # a libpysal W
        w = w.sparse
    m = sp.csr_matrix(w, dtype=float)
    if m.shape != (n, n):
        raise InputError(
            f"spatial weights are {m.shape[0]} x {m.shape[1]}; need {n} x {n} (one row per unit)"
        )
    if m.nnz and (not np.all(np.isfinite(m.data)) or m.data.min() < 0):
        raise InputError("spatial weights must be finite and >= 0")
    return m


def spatial_dissimilarity(x: Any, t: Any, w: Any, *, row_standardise: bool = False) -> float:
    """Morrill's adjusted dissimilarity D(adj): D minus the share difference between neighbours.

    ``SD = D - sum_ij c_ij |p_i - p_j| / sum_ij c_ij``: a checkerboard of
    segregated units scores lower than one large segregated block.

    Parameters
    ----------
    x, t : array-like
        As in :func:`dissimilarity`.
    w : (n, n) array, scipy sparse matrix or libpysal W
        Spatial weights ``c_ij`` (e.g. :func:`contiguity_weights`).
    row_standardise : bool
        Divide each row of ``c`` by its sum first (as the R ``seg`` package).
    """
    xa, ta = _counts(x, t)
    c = _as_sparse(w, xa.size)
    if c.nnz == 0:
        raise InputError("spatial weights have no neighbours: the units share no border")
    return float(_sd_rows(xa[None, :], ta, c, row_standardise)[0])


def _sd_rows(x: np.ndarray, t: np.ndarray, c: sp.csr_matrix, row_standardise: bool) -> np.ndarray:
    coo = c.tocoo()
    data = coo.data
    if row_standardise:
        rs = np.asarray(c.sum(axis=1)).ravel()
        with np.errstate(divide="ignore", invalid="ignore"):
            data = data / rs[coo.row]
    den = data.sum()
    d = _d_rows(x, t)
    out = np.empty(x.shape[0])
    for r in range(x.shape[0]):
        p = _shares(x[r], t)
        out[r] = d[r] - np.sum(data * np.abs(p[coo.row] - p[coo.col])) / den
    return out


def relative_centralisation(x: Any, t: Any, distance: Any) -> float:
    """Relative centralisation RCE (Massey and Denton 1988): is the group nearer the centre?

    Units are ordered by `distance` to the centre; with ``X_i``, ``Y_i`` the
    cumulative shares of the group and of the others,
    ``RCE = sum X_(i-1) Y_i - sum X_i Y_(i-1)``: positive when the group lives
    closer to the centre than the others, negative when farther (peripheral),
    in [-1, 1].

    Parameters
    ----------
    x, t : array-like
        As in :func:`dissimilarity`.
    distance : array-like
        Distance of each unit to the centre (any unit; only the order counts).
        Ties keep the input order.
    """
    xa, ta = _counts(x, t)
    dist = np.asarray(distance, dtype=float).ravel()
    if dist.shape != xa.shape or not np.all(np.isfinite(dist)):
        raise InputError(f"distance must hold one finite value per unit ({xa.size})")
    return float(_rce_rows(xa[None, :], ta, np.argsort(dist, kind="stable"))[0])


def _rce_rows(x: np.ndarray, t: np.ndarray, order: np.ndarray) -> np.ndarray:
    xs = x[:, order]
    ys = (t[order])[None, :] - xs
    Xc = np.cumsum(xs, axis=1) / xs.sum(axis=1, keepdims=True)
    Yc = np.cumsum(ys, axis=1) / ys.sum(axis=1, keepdims=True)
    return np.sum(Xc[:, :-1] * Yc[:, 1:], axis=1) - np.sum(Xc[:, 1:] * Yc[:, :-1], axis=1)


def contiguity_weights(
    units: gpd.GeoDataFrame | gpd.GeoSeries, *, rook: bool = False
) -> sp.csr_matrix:
    """Binary contiguity weights between polygon units (queen: share a point; rook: an edge).

    Returns
    -------
    scipy.sparse.csr_matrix
        ``c_ij = 1`` for neighbours, 0 elsewhere and on the diagonal, rows in
        the order of `units`.
    """
    geoms = np.asarray(
        units.geometry.values if isinstance(units, gpd.GeoDataFrame) else units.values
    )
    n = len(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    keep = left != right
    left, right = left[keep], right[keep]
    if rook and left.size:
        shared = shapely.intersection(geoms[left], geoms[right])
        edge = shapely.length(shared) > 0
        left, right = left[edge], right[edge]
    m = sp.csr_matrix((np.ones(left.size), (left, right)), shape=(n, n))
    m.data[:] = 1.0
    return m


# ------------------------------------------------------------------ units
def units_from_points(
    households: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    *,
    group: str | None = None,
    count: str | None = None,
    population: str | None = None,
) -> gpd.GeoDataFrame:
    """Count relocated households and everyone else per unit.

    Parameters
    ----------
    households : GeoDataFrame
        Household points of the scenario (any CRS with one). Without `group`
        every point is a relocated household; with `group` (a boolean column)
        the True points are relocated and the False ones are "others".
    units : GeoDataFrame
        Polygons: blocks, neighbourhoods, grid cells (:func:`grid_units`).
    group : str, optional
        Boolean column of `households` marking relocated households.
    count : str, optional
        Column of `households` with the number of households at each point
        (default 1 per point).
    population : str, optional
        Column of `units` with the households already living there (added to
        "others").

    Returns
    -------
    GeoDataFrame
        `units` in EPSG:3844 with ``relocated``, ``other`` and ``total``
        (int64). A point on a shared border counts once, in the first unit
        listed. ``attrs["outside"]`` counts the households in no unit (logged
        as a warning); ``attrs["sensitivity"]`` is ``"restricted"``.
    """
    for name, g in (("households", households), ("units", units)):
        if not isinstance(g, gpd.GeoDataFrame):
            raise InputError(f"{name} must be a GeoDataFrame, got {type(g).__name__}")
    hh = _crs.to_metric(households, name="households")
    un = _crs.to_metric(units, name="units").copy()
    if len(un) == 0:
        raise InputError(
            "units is empty: give the blocks, neighbourhoods or grid cells to count in"
        )
    if count is not None and count not in hh.columns:
        raise InputError(f"households has no column {count!r} (count); it has {list(hh.columns)}")
    if group is not None and group not in hh.columns:
        raise InputError(f"households has no column {group!r} (group); it has {list(hh.columns)}")
    if population is not None and population not in un.columns:
        raise InputError(
            f"units has no column {population!r} (population); it has {list(un.columns)}"
        )
    n_hh = (
        np.ones(len(hh))
        if count is None
        else pd.to_numeric(hh[count], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    )
    if np.any(~np.isfinite(n_hh) | (n_hh < 0)):
        i = int(np.flatnonzero(~np.isfinite(n_hh) | (n_hh < 0))[0])
        raise InputError(f"households row {hh.index[i]!r}: {count!r} must be a count >= 0")
    is_group = np.ones(len(hh), bool)
    if group is not None:
        col = hh[group]
        if col.isna().any():
            i = int(np.flatnonzero(col.isna().to_numpy())[0])
            raise InputError(
                f"households row {hh.index[i]!r}: {group!r} is empty; mark it True or False"
            )
        is_group = col.astype(bool).to_numpy()
    pts = shapely.point_on_surface(np.asarray(hh.geometry.values))  # None stays None
    tree = shapely.STRtree(np.asarray(un.geometry.values))
    hits = tree.query(pts, predicate="intersects")
    hit_pt, hit_unit = hits[0], hits[1]
    first = np.full(len(hh), -1)
    # first unit listed wins on a shared border: query results sorted by point, then unit
    order = np.lexsort((hit_unit, hit_pt))
    hp, hu = hit_pt[order], hit_unit[order]
    firsts = np.r_[True, hp[1:] != hp[:-1]] if hp.size else np.zeros(0, bool)
    first[hp[firsts]] = hu[firsts]
    inside = first >= 0
    outside = float(n_hh[~inside].sum())
    if outside > 0:
        log.warning("%g household(s) lie in no unit and are not counted", outside)
    n = len(un)
    rel = np.bincount(first[inside & is_group], weights=n_hh[inside & is_group], minlength=n)
    oth = np.bincount(first[inside & ~is_group], weights=n_hh[inside & ~is_group], minlength=n)
    if population is not None:
        pop = pd.to_numeric(un[population], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if np.any(~np.isfinite(pop) | (pop < 0)):
            i = int(np.flatnonzero(~np.isfinite(pop) | (pop < 0))[0])
            raise InputError(f"units row {un.index[i]!r}: {population!r} must be a count >= 0")
        oth = oth + pop
    un["relocated"] = np.rint(rel).astype("int64")
    un["other"] = np.rint(oth).astype("int64")
    un["total"] = un["relocated"] + un["other"]
    un.attrs["outside"] = outside
    un.attrs["sensitivity"] = "restricted"
    return un


def grid_units(data: gpd.GeoDataFrame | gpd.GeoSeries, cell_m: float) -> gpd.GeoDataFrame:
    """Square cells of `cell_m` metres covering `data` (EPSG:3844), aligned on multiples of `cell_m`.

    Only cells that intersect `data` are kept; ``cell_id`` is ``"<col>_<row>"``.
    """
    if not (cell_m > 0 and math.isfinite(cell_m)):
        raise InputError(f"cell_m must be a positive number of metres, got {cell_m}")
    metric = _crs.to_metric(data, name="grid extent")
    minx, miny, maxx, maxy = metric.total_bounds
    if not np.all(np.isfinite([minx, miny, maxx, maxy])):
        raise InputError("grid extent is empty: give the features the grid should cover")
    x0, y0 = math.floor(minx / cell_m) * cell_m, math.floor(miny / cell_m) * cell_m
    nx = max(1, math.ceil((maxx - x0) / cell_m) + (1 if maxx % cell_m == 0 else 0))
    ny = max(1, math.ceil((maxy - y0) / cell_m) + (1 if maxy % cell_m == 0 else 0))
    if nx * ny > 4_000_000:
        raise InputError(
            f"a {cell_m:g} m grid over this extent has {nx * ny} cells; use larger cells"
        )
    gx, gy = np.meshgrid(np.arange(nx), np.arange(ny))
    ix, iy = gx.ravel(), gy.ravel()
    cells = shapely.box(
        x0 + ix * cell_m, y0 + iy * cell_m, x0 + (ix + 1) * cell_m, y0 + (iy + 1) * cell_m
    )
    tree = shapely.STRtree(cells)
    hit = np.unique(tree.query(np.asarray(metric.geometry.values), predicate="intersects")[1])
    return gpd.GeoDataFrame(
        {"cell_id": [f"{ix[i]}_{iy[i]}" for i in hit]},
        geometry=cells[hit],
        crs=metric.crs,
    )


# ------------------------------------------------------------------ all indices
#: Index name -> the side of the null distribution that means "more segregated".
INDICES: dict[str, Alternative] = {
    "dissimilarity": "greater",
    "isolation": "greater",
    "exposure": "less",
    "gini": "greater",
    "entropy": "greater",
    "spatial_dissimilarity": "greater",
    "relative_centralisation": "two-sided",
}


def _centre_distance(units: gpd.GeoDataFrame, centre: tuple[float, float] | None) -> np.ndarray:
    metric = _crs.to_metric(units, name="units")
    c = shapely.centroid(np.asarray(metric.geometry.values))
    if centre is None:
        lon, lat = CITY_CENTRE_LONLAT
        cx, cy = _crs.lonlat_to_metric(np.array([lon]), np.array([lat]))
        cx0, cy0 = float(cx[0]), float(cy[0])
    else:
        cx0, cy0 = float(centre[0]), float(centre[1])
    return np.hypot(shapely.get_x(c) - cx0, shapely.get_y(c) - cy0)


def indices(
    units: pd.DataFrame,
    *,
    group: str = "relocated",
    total: str = "total",
    w: Any = None,
    centre: tuple[float, float] | None = None,
) -> pd.Series:
    """Every index for a unit table (e.g. the output of :func:`units_from_points`).

    Parameters
    ----------
    units : DataFrame or GeoDataFrame
        One row per unit with the `group` and `total` columns. With polygons,
        the spatial indices are added.
    group, total : str
        Column names.
    w : spatial weights, optional
        For ``spatial_dissimilarity``; default queen contiguity of the polygons.
    centre : (x, y) in EPSG:3844, optional
        For ``relative_centralisation``; default the centre of Cluj-Napoca
        (:data:`CITY_CENTRE_LONLAT`).

    Returns
    -------
    Series
        Index name -> value, plus ``n_units``, ``n_group`` and ``n_total``.
    """
    for c in (group, total):
        if c not in units.columns:
            raise InputError(f"units has no column {c!r}; it has {list(units.columns)}")
    x, t = _counts(units[group], units[total])
    out: dict[str, float] = {
        "dissimilarity": dissimilarity(x, t),
        "isolation": isolation(x, t),
        "exposure": exposure(x, t),
        "gini": gini(x, t),
        "entropy": entropy(x, t),
    }
    if isinstance(units, gpd.GeoDataFrame):
        wm = contiguity_weights(_crs.to_metric(units, name="units")) if w is None else w
        if _as_sparse(wm, len(units)).nnz:
            out["spatial_dissimilarity"] = spatial_dissimilarity(x, t, wm)
        else:
            out["spatial_dissimilarity"] = math.nan
            log.warning("units share no border: spatial dissimilarity left out")
        out["relative_centralisation"] = relative_centralisation(
            x, t, _centre_distance(units, centre)
        )
    out.update({"n_units": float(len(x)), "n_group": float(x.sum()), "n_total": float(t.sum())})
    return pd.Series(out, name="value")


# ------------------------------------------------------------------ inference
@dataclass
class Inference:
    """The verdict of :func:`randomisation_test`.

    Attributes
    ----------
    index : str
    observed : float
        The index of the scenario.
    p_value : float
        Share of random allocations at least as segregated as observed
        (``(1 + k) / (1 + n)``); NaN when there are too few to say.
    null_mean : float
        Mean index under random allocation: the value chance alone gives.
    null_low, null_high : float
        2.5 % and 97.5 % quantiles under random allocation.
    excess : float
        ``observed - null_mean``.
    n_group, n_units : int
        Relocated households, units with at least one household.
    verdict : str
        ``"too few to say"``, ``"more segregated than random"``,
        ``"consistent with random allocation"``, or for centralisation ``"more
        central than random"`` / ``"more peripheral than random"``.
    message : str
        One sentence for a report.
    null : ndarray
        The simulated values.
    """

    index: str
    observed: float
    p_value: float
    null_mean: float
    null_low: float
    null_high: float
    excess: float
    n_group: int
    n_units: int
    verdict: str
    message: str
    null: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0))


def _row_kernel(
    index: str, t: np.ndarray, w: Any, distance: Any
) -> Callable[[np.ndarray], np.ndarray]:
    if index == "dissimilarity":
        return lambda xs: _d_rows(xs, t)
    if index == "isolation":
        return lambda xs: _iso_rows(xs, t)
    if index == "exposure":
        return lambda xs: _exp_rows(xs, t)
    if index == "gini":
        return lambda xs: _gini_rows(xs, t)
    if index == "entropy":
        return lambda xs: _h_rows(xs, t)
    if index == "spatial_dissimilarity":
        if w is None:
            raise InputError("spatial_dissimilarity needs w= (spatial weights)")
        c = _as_sparse(w, t.size)
        return lambda xs: _sd_rows(xs, t, c, False)
    if index == "relative_centralisation":
        if distance is None:
            raise InputError("relative_centralisation needs distance= (to the centre, per unit)")
        d = np.asarray(distance, dtype=float).ravel()
        if d.shape != t.shape:
            raise InputError(f"distance must hold one value per unit ({t.size})")
        order = np.argsort(d, kind="stable")
        return lambda xs: _rce_rows(xs, t, order)
    raise InputError(f"unknown index {index!r}; use one of {list(INDICES)}")


def randomisation_test(
    x: Any,
    t: Any,
    *,
    index: str = "dissimilarity",
    n_permutations: int | None = None,
    seed: int | np.random.Generator | None = None,
    min_group: int | None = None,
    min_units: int | None = None,
    alpha: float | None = None,
    alternative: Alternative | None = None,
    w: Any = None,
    distance: Any = None,
) -> Inference:
    """Is the scenario more segregated than placing the same families at random?

    The null model keeps every unit's number of homes ``t_i`` and the number of
    relocated households ``X``, and draws which homes the relocated households
    occupy uniformly at random (a multivariate hypergeometric draw: PySAL
    segregation's "person permutation" null).

    Parameters
    ----------
    x, t : array-like of int
        Relocated households and all households per unit.
    index : str
        One of :data:`INDICES`.
    n_permutations : int, optional
        Default :data:`N_PERMUTATIONS` (999).
    seed : int or Generator, optional
        For reproducible draws.
    min_group, min_units : int, optional
        Defaults :data:`MIN_GROUP` (10) and :data:`MIN_UNITS` (3): below
        either, the verdict is "too few to say" and the p-value NaN.
    alpha : float, optional
        Default :data:`ALPHA` (0.05).
    alternative : {"greater", "less", "two-sided"}, optional
        Which side means "more segregated"; default per index
        (:data:`INDICES`: low exposure, high everything else; two-sided for
        centralisation).
    w, distance
        For the spatial indices, as in :func:`spatial_dissimilarity` and
        :func:`relative_centralisation`.

    Returns
    -------
    Inference
    """
    if index not in INDICES:
        raise InputError(f"unknown index {index!r}; use one of {list(INDICES)}")
    n_perm = N_PERMUTATIONS if n_permutations is None else int(n_permutations)
    if n_perm < 19:
        raise InputError(
            f"n_permutations={n_perm}: use at least 19 (p-values cannot go below 1/(n+1))"
        )
    mg = MIN_GROUP if min_group is None else int(min_group)
    mu = MIN_UNITS if min_units is None else int(min_units)
    a = ALPHA if alpha is None else float(alpha)
    alt = INDICES[index] if alternative is None else alternative
    xa, ta = _raw_counts(x, t)
    X = round(float(xa.sum()))
    units_pop = int(np.sum(ta > 0))
    if X == 0 or X < mg or units_pop < mu:
        reason = (
            f"{X} relocated household(s) (fewer than {mg})"
            if X < mg
            else f"{units_pop} populated unit(s) (fewer than {mu})"
        )
        obs = math.nan
        if X > 0:
            try:
                xc, tc = _counts(xa, ta)
                obs = float(_row_kernel(index, tc, w, distance)(xc[None, :])[0])
            except InputError:
                obs = math.nan
        return Inference(
            index, float(obs), math.nan, math.nan, math.nan, math.nan, math.nan, X, units_pop,
            "too few to say",
            f"Too few to say: {reason}. Any spread of so few families looks uneven by chance; "
            "report the counts, not an index.",
        )  # fmt: skip
    xa, ta = _counts(xa, ta)
    if not (np.allclose(xa, np.rint(xa)) and np.allclose(ta, np.rint(ta))):
        raise InputError("the randomisation test needs whole household counts")
    kern = _row_kernel(index, ta, w, distance)
    obs = float(kern(xa[None, :])[0])
    rng = np.random.default_rng(seed)
    ti = np.rint(ta).astype(np.int64)
    sims = rng.multivariate_hypergeometric(ti, X, size=n_perm).astype(float)
    null = np.empty(n_perm)
    chunk = 256
    for s in range(0, n_perm, chunk):
        null[s : s + chunk] = kern(sims[s : s + chunk])
    eps = 1e-12
    k_ge = int(np.sum(null >= obs - eps))
    k_le = int(np.sum(null <= obs + eps))
    if alt == "greater":
        p = (1 + k_ge) / (1 + n_perm)
    elif alt == "less":
        p = (1 + k_le) / (1 + n_perm)
    else:
        p = min(1.0, 2 * (1 + min(k_ge, k_le)) / (1 + n_perm))
    mean = float(null.mean())
    lo, hi = (float(q) for q in np.quantile(null, [0.025, 0.975]))
    if p < a:
        if alt == "two-sided":
            verdict = "more central than random" if obs > mean else "more peripheral than random"
        else:
            verdict = "more segregated than random"
    else:
        verdict = "consistent with random allocation"
    message = (
        f"{index} = {obs:.3f}; placing the same {X} households at random gives "
        f"{mean:.3f} (95 % of draws {lo:.3f}–{hi:.3f}); p = {p:.3f}: {verdict}."
    )
    return Inference(index, obs, p, mean, lo, hi, obs - mean, X, units_pop, verdict, message, null)


def randomisation_tests(
    units: pd.DataFrame,
    *,
    group: str = "relocated",
    total: str = "total",
    which: Sequence[str] | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """:func:`randomisation_test` for the aspatial indices of a unit table, one row each."""
    x, t = units[group].to_numpy(), units[total].to_numpy()
    rows = []
    for name in which or ("dissimilarity", "isolation", "exposure", "gini", "entropy"):
        r = randomisation_test(x, t, index=name, **kwargs)
        rows.append({k: v for k, v in r.__dict__.items() if k != "null"})
    return pd.DataFrame(rows).set_index("index")
