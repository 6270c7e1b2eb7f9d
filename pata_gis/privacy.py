"""Who may see what: roles, consent, aggregation with suppression, geomasking, audited exports.

Residents own what they mark in a workshop. This module is the gate every
risk mark, incident or other sensitive feature passes before it reaches a map,
a file or a printout outside the workshop:

1. **Consent.** Marks whose ``consent`` is not true are dropped first and are
   used for nothing (:func:`honour_consent`).
2. **Roles.** :data:`ROLES` and the access matrix :data:`ACCESS` say, for each
   role and layer sensitivity, the most revealing *level* the role may get:
   ``"raw"`` (the features as drawn) > ``"masked"`` (points displaced at
   random, personal fields dropped) > ``"aggregated"`` (counts on a grid,
   cells under *k* removed) > ``"none"``.
3. **Views.** :func:`view_for` builds what a role may see; :func:`export_view`
   writes it with :func:`pata_gis.io.write` and records it in an audit log
   (who, when, what, at which level, the file's SHA-256): the workspace's
   append-only ``pata_audit`` table through :class:`WorkspaceAuditLog` (it
   travels with the workspace file), or a JSON-lines :class:`AuditLog`.

The access matrix (most revealing level allowed):

============  ========  ==========  ============
role          public    restricted  confidential
============  ========  ==========  ============
community     raw       raw         raw
planner       raw       raw         masked
police        raw       raw         masked
public        raw       aggregated  aggregated
============  ========  ==========  ============

Why: the *community* role is the workshop itself (residents and their
facilitator), who own the marks. Planners and the police (safety-plan
meetings) get masked or aggregated marks only: "only aggregated or masked
incident data may reach a meeting or a printed plan". The *public* never gets
positions of confidential features, not even masked ones: in a place of 300
families a few masked points can still be re-identified. A restricted layer
(e.g. illustrative candidate sites) is internal to the project partners.

Known limits, stated rather than hidden:

- **Differencing.** Two aggregations of the same marks that can be subtracted
  from each other reveal suppressed cells: grids of nested sizes (250 m and
  500 m), grids shifted against each other, or exports before and after a
  workshop added marks. Grids here always snap to multiples of the cell size
  (no shifted grids), and :func:`export_view` refuses an aggregated export
  at a new cell size of a layer the audit log shows exported at another
  (unless told ``allow_new_grid=True``). Exports before and after new marks
  are not guarded: a cell going from hidden to shown tells that it held
  ``k - 1`` marks before.
- **Masked points** keep their category and severity; a rare category in a
  small area can still point at a household. Prefer ``"aggregated"``; masking
  is never the default.

Examples
--------
>>> can_see("police", "confidential", level="raw")
False
>>> can_see("police", "confidential", level="aggregated")
True
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from pata_gis import crs as _crs
from pata_gis import io as _io
from pata_gis import settings
from pata_gis._errors import InputError, SensitivityError
from pata_gis.specs import COMMON_FIELDS, SENSITIVITY_LEVELS, LayerSpec
from pata_gis.surface import Grid

__all__ = [
    "ACCESS",
    "DEFAULT_CELL_M",
    "DEFAULT_K",
    "DEFAULT_MASK_MAX_M",
    "DEFAULT_MASK_MIN_M",
    "LEVELS",
    "ROLES",
    "SAFE_FIELDS",
    "AuditLog",
    "WorkspaceAuditLog",
    "aggregate",
    "audit_record",
    "can_see",
    "clearance",
    "export_view",
    "file_sha256",
    "geomask",
    "honour_consent",
    "max_level",
    "suppress",
    "view_for",
]

log = logging.getLogger(__name__)

#: The roles the toolkit knows, from the most to the least trusted with marks.
ROLES: tuple[str, ...] = ("community", "planner", "police", "public")

#: Levels of detail, from the least to the most revealing.
LEVELS: tuple[str, ...] = ("none", "aggregated", "masked", "raw")

#: Most revealing level each role may get of a layer of each sensitivity
#: (``ACCESS[role][sensitivity]``). See the module docstring for the reasons.
ACCESS: Mapping[str, Mapping[str, str]] = {
    "community": {"public": "raw", "restricted": "raw", "confidential": "raw"},
    "planner": {"public": "raw", "restricted": "raw", "confidential": "masked"},
    "police": {"public": "raw", "restricted": "raw", "confidential": "masked"},
    "public": {"public": "raw", "restricted": "aggregated", "confidential": "aggregated"},
}

#: Smallest count a published grid cell (or category within a cell) may show.
DEFAULT_K: int = 5

#: Cell size (m) of the aggregated views.
DEFAULT_CELL_M: float = 250.0

#: Donut masking: smallest and largest displacement (m) of a masked point.
DEFAULT_MASK_MIN_M: float = 50.0
DEFAULT_MASK_MAX_M: float = 200.0

#: Fields a masked view may keep when no layer spec says which fields are
#: categorical (with a spec: fields with a list of choices, and bounded
#: integers such as a 1–5 severity).
SAFE_FIELDS: tuple[str, ...] = ("category", "severity", "time_of_day", "kind")

#: A masked point is never left closer than this (m) to any true point of the
#: input, so no true coordinate appears in a masked output even by chance
#: (5 decimals of a degree are about 1 m).
_AVOID_M = 3.0

#: Values of a consent column that mean "yes" (case-insensitive for text).
_CONSENT_YES = frozenset({"true", "1", "yes", "y", "da", "igen"})


# --------------------------------------------------------------------------- roles
def _role(role: str) -> str:
    if role not in ROLES:
        raise InputError(f"role {role!r} is not known; use one of {', '.join(ROLES)}.")
    return role


def _sensitivity(spec_or_sensitivity: LayerSpec | str) -> tuple[str, LayerSpec | None]:
    # by shape, not class: a reloaded pata_gis.specs (Streamlit's file watcher in
    # development) makes a second LayerSpec class whose specs are just as valid
    if isinstance(spec_or_sensitivity, LayerSpec) or (
        hasattr(spec_or_sensitivity, "sensitivity") and hasattr(spec_or_sensitivity, "fields")
    ):
        sens, spec = str(spec_or_sensitivity.sensitivity), cast(LayerSpec, spec_or_sensitivity)
    else:
        sens, spec = str(spec_or_sensitivity), None
    if sens not in SENSITIVITY_LEVELS:
        raise InputError(
            f"sensitivity {sens!r} is not known; use one of {', '.join(SENSITIVITY_LEVELS)} "
            "(or pass the layer's LayerSpec)."
        )
    return sens, spec


def _level(level: str) -> int:
    if level not in LEVELS:
        raise InputError(f"level {level!r} is not known; use one of {', '.join(LEVELS)}.")
    return LEVELS.index(level)


def max_level(role: str, sensitivity: str) -> str:
    """The most revealing level `role` may get of a layer of `sensitivity`.

    Parameters
    ----------
    role : {"community", "planner", "police", "public"}
    sensitivity : {"public", "restricted", "confidential"}

    Returns
    -------
    str
        One of :data:`LEVELS` (``"raw"``, ``"masked"``, ``"aggregated"``).
    """
    sens, _ = _sensitivity(sensitivity)
    return ACCESS[_role(role)][sens]


def can_see(role: str, sensitivity: str, *, level: str = "raw") -> bool:
    """Whether `role` may see a layer of `sensitivity` at `level` of detail.

    A role allowed a level may also have every less revealing one
    (raw > masked > aggregated > none).

    Parameters
    ----------
    role : {"community", "planner", "police", "public"}
    sensitivity : {"public", "restricted", "confidential"}
    level : {"raw", "masked", "aggregated", "none"}

    Raises
    ------
    InputError
        An unknown role, sensitivity or level.
    """
    return _level(level) <= _level(max_level(role, sensitivity))


def clearance(role: str) -> str:
    """The highest sensitivity `role` may see *raw*.

    The value to pass as ``role`` to :func:`pata_gis.maps.allowed_layers` and
    :func:`pata_gis.maps.layer_map`, which rank sensitivities only
    (community -> ``"confidential"``, planner and police -> ``"restricted"``,
    public -> ``"public"``).
    """
    best = "public"
    for sens in SENSITIVITY_LEVELS:
        if ACCESS[_role(role)][sens] == "raw":
            best = sens
    return best


# --------------------------------------------------------------------------- consent
def _consent_mask(values: pd.Series) -> np.ndarray:
    """True where a consent value clearly means yes; missing and anything else is no."""

    def yes(v: Any) -> bool:
        if v is None or v is pd.NA:
            return False
        if isinstance(v, bool | np.bool_):
            return bool(v)
        if isinstance(v, int | np.integer):
            return int(v) == 1
        if isinstance(v, float | np.floating):
            return bool(v == 1.0)
        return str(v).strip().lower() in _CONSENT_YES

    return np.fromiter((yes(v) for v in values.tolist()), dtype=bool, count=len(values))


def honour_consent(
    marks: gpd.GeoDataFrame, *, column: str = "consent", name: str = "marks"
) -> gpd.GeoDataFrame:
    """Keep only the marks whose residents consented; the rest are used for nothing.

    A mark counts as consented only when its `column` is true (``True``, ``1``
    or the text ``true``/``yes``/``da``/``igen``); missing values and anything
    else count as *no*.

    Parameters
    ----------
    marks : GeoDataFrame
    column : str
        The consent column.
    name : str
        How to call the data in messages.

    Returns
    -------
    GeoDataFrame
        A copy of the consented rows, index kept.

    Raises
    ------
    InputError
        `marks` has no `column`: record consent per mark (layer spec
        ``risk_marks``) before using them.
    """
    if column not in marks.columns:
        raise InputError(
            f"{name}: no {column!r} column, so consent cannot be checked; add it (true for "
            "each mark the residents agreed to share) before any analysis or export."
        )
    keep = _consent_mask(marks[column])
    dropped = int((~keep).sum())
    if dropped:
        log.info("%s: %d of %d marks without consent left out", name, dropped, len(marks))
    return marks.loc[keep].copy()


def _apply_consent(
    gdf: gpd.GeoDataFrame, spec: LayerSpec | None, consent_col: str | None, name: str
) -> gpd.GeoDataFrame:
    """Consent filter when the layer has (or its spec declares) a consent field."""
    if consent_col is None:
        return gdf
    declared = spec is not None and consent_col in spec.field_names
    if declared or consent_col in gdf.columns:
        return honour_consent(gdf, column=consent_col, name=name)
    return gdf


# --------------------------------------------------------------------------- grid helpers
def _points_metric(gdf: gpd.GeoDataFrame | gpd.GeoSeries, name: str) -> np.ndarray:
    """``(n, 2)`` Stereo 70 coordinates of one point per feature (NaN for empty ones).

    Points are taken as they are; lines and polygons by their representative
    point (always on the feature).
    """
    geo = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf
    if len(geo) == 0:
        return np.empty((0, 2))
    metric = _crs.to_metric(geo, name=name)
    arr = np.asarray(metric.values)
    out = np.full((len(arr), 2), np.nan)
    ok = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    pts = arr[ok]
    is_point = shapely.get_type_id(pts) == 0
    pts = np.where(is_point, pts, shapely.point_on_surface(pts))
    out[ok] = shapely.get_coordinates(pts)
    return out


def _grid_for(xy: np.ndarray, cell_m: float, grid: Grid | None) -> Grid:
    if grid is not None:
        if grid.crs != settings.metric_crs:
            raise InputError(
                f"grid is in {grid.crs}; build it in {settings.metric_crs} "
                "(Grid.from_bounds(bounds, cell_m))."
            )
        return grid
    if not (cell_m > 0 and math.isfinite(cell_m)):
        raise InputError(f"cell_m={cell_m!r} must be a positive number of metres (e.g. 250).")
    ok = np.isfinite(xy).all(axis=1)
    if not ok.any():
        return Grid.from_bounds((0.0, 0.0, cell_m, cell_m), cell_m)
    pts = xy[ok]
    # one cell of margin: a mark exactly on the max edge belongs to the next cell
    return Grid.from_bounds(
        (pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()), cell_m, pad=cell_m
    )


def _cell_boxes(grid: Grid, row: np.ndarray, col: np.ndarray) -> np.ndarray:
    r = grid.resolution
    x0 = grid.origin[0] + col * r
    y1 = grid.origin[1] - row * r
    return np.asarray(shapely.box(x0, y1 - r, x0 + r, y1), dtype=object)


# --------------------------------------------------------------------------- aggregation
def aggregate(
    marks: gpd.GeoDataFrame,
    *,
    cell_m: float | None = None,
    k: int | None = None,
    by: str | None = None,
    grid: Grid | None = None,
    consent_col: str | None = "consent",
    name: str = "marks",
) -> gpd.GeoDataFrame:
    """Counts of marks on a square grid, cells under `k` removed entirely.

    Each mark counts once, in the cell holding it (lines and polygons at their
    representative point). Cells with fewer than `k` marks are not in the
    output at all (not blanked, not zero). The grid snaps to multiples of
    `cell_m` in Stereo 70, so two exports at one cell size line up and cannot
    be shifted against each other.

    With `by` (e.g. ``"category"``) each cell also gets one ``n_<value>``
    column per value, with the same rule inside the cell: in a cell where some
    value is counted 1..k-1 times, every value under `k` (zeros included, so
    that ``<NA>`` means "0 to k-1" and does not reveal presence) is withheld
    and their sum pooled in ``n_withheld``; when that pool is itself under `k`
    (it could be derived as the total minus the shown values) the whole
    breakdown of the cell is withheld and only the total ``n`` is shown. A
    value shown in no published cell gets no column (the column alone would
    say that such marks exist somewhere).

    Parameters
    ----------
    marks : GeoDataFrame
        Any geometry, with a CRS.
    cell_m : float, optional
        Cell size (m); default :data:`DEFAULT_CELL_M`. Ignored with `grid`.
    k : int, optional
        Smallest count shown; default :data:`DEFAULT_K`.
    by : str, optional
        A categorical column to break counts down by.
    grid : Grid, optional
        A grid in EPSG:3844 to count on (marks outside it are left out).
    consent_col : str or None
        Marks without consent are dropped first (:func:`honour_consent`) when
        the column is present; None skips the check (layers without consent,
        e.g. incidents).
    name : str
        How to call the data in messages.

    Returns
    -------
    GeoDataFrame
        In EPSG:3844: ``cell_id`` (``"250m:E1624:N2342"``: the cell's
        south-west corner divided by the cell size, the same in every export
        at that size), ``n`` (and the breakdown), geometry the cell squares.
        No grid row/column: they would follow the extent of all marks,
        suppressed ones included. ``attrs`` holds ``k``, ``cell_m``,
        ``n_cells_suppressed`` and ``n_marks_suppressed``.

    Notes
    -----
    Totals over the published cells are *not* the total of marks: adding the
    suppressed marks back would let anyone holding both numbers learn that
    suppressed marks exist near the published cells. The ``attrs`` numbers are
    for the audit log, not for publication. See the module notes on
    differencing between exports.
    """
    k = DEFAULT_K if k is None else int(k)
    if k < 1:
        raise InputError(f"k={k} must be at least 1 (the default is {DEFAULT_K}).")
    cell = float(DEFAULT_CELL_M if cell_m is None else cell_m)
    if consent_col is not None and consent_col in marks.columns:
        marks = honour_consent(marks, column=consent_col, name=name)
    if by is not None and by not in marks.columns:
        raise InputError(f"{name}: by={by!r} is not a column; use one of {list(marks.columns)}.")
    xy = _points_metric(marks, name)
    g = _grid_for(xy, cell, grid)
    ok = np.isfinite(xy).all(axis=1)
    row, col = g.cell_of(xy[:, 0], xy[:, 1])
    ok &= g.contains(row, col)
    flat = row[ok] * g.shape[1] + col[ok]
    cells, inverse, counts = np.unique(flat, return_inverse=True, return_counts=True)
    keep = counts >= k
    rows_, cols_ = cells // g.shape[1], cells % g.shape[1]
    # a key that does not depend on the grid's origin (which follows the extent of
    # all marks, suppressed ones included): the cell's south-west corner / cell size
    ix = np.rint((g.origin[0] + cols_ * g.resolution) / g.resolution).astype(np.int64)
    iy = np.rint((g.origin[1] - (rows_ + 1) * g.resolution) / g.resolution).astype(np.int64)
    out = pd.DataFrame(
        {
            "cell_id": [f"{g.resolution:g}m:E{a}:N{b}" for a, b in zip(ix, iy, strict=True)],
            "n": counts.astype("int64"),
        }
    )
    if by is not None and len(cells):
        values = marks[by].to_numpy()[ok]
        labels = pd.Series(values, dtype="object").fillna("(missing)").astype(str)
        table = pd.crosstab(inverse, labels.to_numpy()).reindex(range(len(cells)), fill_value=0)
        small = (table > 0) & (table < k)
        pool = table.where(small, 0).sum(axis=1).to_numpy()
        any_small = small.any(axis=1).to_numpy()
        # where anything is withheld, zeros are withheld too: <NA> then means 0..k-1,
        # so it does not tell which values are present
        shown = table.astype("Int64").mask((table < k) & any_small[:, None])
        hide_all = (pool > 0) & (pool < k)
        shown.loc[hide_all, :] = pd.NA
        for c in shown.columns:
            vals = shown[c].to_numpy(dtype=float, na_value=np.nan)[keep]
            if not (np.nan_to_num(vals) > 0).any():
                continue  # no published cell shows it: the column would only say it exists
            out[f"n_{c}"] = pd.array(shown[c].to_numpy(dtype=float, na_value=np.nan), dtype="Int64")
        withheld = pd.array(pool, dtype="Int64")
        withheld[hide_all] = pd.NA
        out["n_withheld"] = withheld
        if hide_all.any():
            log.info(
                "%s: category breakdown withheld in %d cells (pooled small counts under k=%d)",
                name,
                int((hide_all & keep).sum()),
                k,
            )
    geom = _cell_boxes(g, rows_[keep], cols_[keep])
    out = out.loc[keep].reset_index(drop=True)
    res = gpd.GeoDataFrame(out, geometry=geom, crs=g.crs)
    res.attrs.update(
        {
            "k": k,
            "cell_m": g.resolution,
            "n_cells_suppressed": int((~keep).sum()),
            "n_marks_suppressed": int(counts[~keep].sum()),
        }
    )
    log.info(
        "%s: %d cells of %g m shown, %d cells (%d marks) under k=%d suppressed",
        name,
        int(keep.sum()),
        g.resolution,
        int((~keep).sum()),
        int(counts[~keep].sum()),
        k,
    )
    return res


def suppress(
    frame: gpd.GeoDataFrame, *, count_col: str = "n_marks", k: int | None = None
) -> gpd.GeoDataFrame:
    """Drop the rows of an already aggregated product whose count is under `k`.

    For derived products (consensus zones, hotspot grids) before they leave
    the workshop: rows with ``frame[count_col] < k`` (or missing) are removed,
    and so are grid ``row``/``col`` columns (their origin follows the extent
    of all marks, suppressed ones included).

    Parameters
    ----------
    frame : GeoDataFrame
    count_col : str
        The column holding the number of marks behind each row.
    k : int, optional
        Default :data:`DEFAULT_K`.
    """
    k = DEFAULT_K if k is None else int(k)
    if count_col not in frame.columns:
        raise InputError(
            f"suppress: no {count_col!r} column in the frame; pass count_col= the column "
            "with the number of marks per row."
        )
    counts = pd.to_numeric(frame[count_col], errors="coerce")
    keep = (counts >= k).fillna(False).to_numpy(dtype=bool)
    out = frame.loc[keep].drop(columns=[c for c in ("row", "col") if c in frame.columns])
    out.attrs = dict(frame.attrs)
    out.attrs["k"] = k
    return out


# --------------------------------------------------------------------------- masking
def _population_counts(
    true_xy: np.ndarray,
    radius: np.ndarray,
    population: gpd.GeoDataFrame,
    weight_col: str | None,
) -> np.ndarray:
    """Population (weight) within `radius` of each true point.

    Points count fully when inside; polygons count in proportion to the share
    of their area inside the circle (their people spread evenly).
    """
    pop = _crs.to_metric(population, name="population")
    w = (
        np.ones(len(pop))
        if weight_col is None
        else pd.to_numeric(pop[weight_col], errors="coerce").fillna(0).to_numpy(float)
    )
    geoms = np.asarray(pop.geometry.values)
    circles = shapely.buffer(shapely.points(true_xy), radius, quad_segs=32)
    tree = shapely.STRtree(geoms)
    pairs = tree.query(circles, predicate="intersects")
    out = np.zeros(len(true_xy))
    if pairs.size == 0:
        return out
    ci, gi = pairs
    g = geoms[gi]
    is_point = shapely.get_type_id(g) == 0
    area = shapely.area(g)
    share = np.ones(len(gi))
    poly = ~is_point & (area > 0)
    share[poly] = shapely.area(shapely.intersection(circles[ci[poly]], g[poly])) / area[poly]
    share[~is_point & (area <= 0)] = 0.0
    np.add.at(out, ci, share * w[gi])
    return out


def geomask(
    points: gpd.GeoDataFrame,
    *,
    min_m: float | None = None,
    max_m: float | None = None,
    seed: int | np.random.Generator | None = None,
    population: gpd.GeoDataFrame | None = None,
    population_col: str | None = "households",
) -> gpd.GeoDataFrame:
    """Donut masking: move every point a random distance in ``[min_m, max_m]``.

    Each point moves in a uniformly random direction by a distance drawn so
    that the new position is uniform over the ring (annulus) between `min_m`
    and `max_m` around the true one (Hampton et al., 2010): never closer than
    `min_m`, so the true spot is never given away, never farther than `max_m`,
    so the pattern stays useful. Work is done in EPSG:3844 metres; the result
    comes back in the input's CRS. Lines and polygons are replaced by their
    masked representative point. A masked point that would land within 3 m
    of any true point of the input (another mark) is drawn again, so that no
    true coordinate appears in the output even by chance.

    Parameters
    ----------
    points : GeoDataFrame
        With a CRS.
    min_m, max_m : float, optional
        Displacement range (m); defaults :data:`DEFAULT_MASK_MIN_M`,
        :data:`DEFAULT_MASK_MAX_M`.
    seed : int or numpy Generator, optional
        For reproducible masks (tests). Leave None in real use: a fixed seed
        known to others lets them undo the mask.
    population : GeoDataFrame, optional
        Homes or settlements (points or polygons) to measure the achieved
        spatial k-anonymity: for each point, the population within the circle
        around the true spot whose radius is the displacement (the people an
        observer cannot tell it from). Polygons count in proportion to the
        area inside the circle.
    population_col : str or None
        The population count column of `population` (default
        ``"households"``); None counts one per feature.

    Returns
    -------
    GeoDataFrame
        The input rows with masked point geometries. With `population`, a
        column ``k_anonymity`` and ``attrs["k_anonymity_min"]`` /
        ``attrs["k_anonymity_median"]``. ``attrs`` also holds ``min_m`` and
        ``max_m``.
    """
    lo = DEFAULT_MASK_MIN_M if min_m is None else float(min_m)
    hi = DEFAULT_MASK_MAX_M if max_m is None else float(max_m)
    if not (0 <= lo <= hi and math.isfinite(hi) and hi > 0):
        raise InputError(
            f"geomask: need 0 ≤ min_m ≤ max_m and max_m > 0 (metres); got min_m={lo}, max_m={hi}."
        )
    if population is not None and population_col is not None:
        if population_col not in population.columns:
            raise InputError(
                f"geomask: population has no {population_col!r} column; pass "
                "population_col= the column with households or people (None counts features)."
            )
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    xy = _points_metric(points, "points to mask")
    n = len(xy)
    theta = rng.uniform(0.0, 2.0 * math.pi, n)
    dist = np.sqrt(rng.uniform(lo * lo, hi * hi, n))
    moved = xy + np.c_[dist * np.sin(theta), dist * np.cos(theta)]
    ok = np.isfinite(xy).all(axis=1)
    if ok.any() and _AVOID_M > 0:
        # A masked point that lands on another true point would publish that
        # point's coordinates (to ~1 m): draw those few again.
        tree = cKDTree(xy[ok])
        for _ in range(100):
            near = np.zeros(n, dtype=bool)
            d_near, _i = tree.query(np.where(ok[:, None], moved, 0.0), k=1)
            near[ok] = d_near[ok] < _AVOID_M
            if not near.any():
                break
            m = int(near.sum())
            theta[near] = rng.uniform(0.0, 2.0 * math.pi, m)
            dist[near] = np.sqrt(rng.uniform(lo * lo, hi * hi, m))
            moved[near] = (
                xy[near] + np.c_[dist[near] * np.sin(theta[near]), dist[near] * np.cos(theta[near])]
            )
    geoms = np.full(n, None, dtype=object)
    geoms[ok] = shapely.points(moved[ok])
    metric = gpd.GeoSeries(geoms, index=points.index, crs=settings.metric_crs)
    target = points.crs if points.crs is not None else settings.metric_crs
    out = points.copy()
    out = out.set_geometry(metric.to_crs(target).values, crs=target)
    out.attrs = dict(points.attrs)
    out.attrs.update({"min_m": lo, "max_m": hi})
    if population is not None:
        kan = np.full(n, np.nan)
        if ok.any():
            kan[ok] = _population_counts(xy[ok], dist[ok], population, population_col)
        out["k_anonymity"] = kan
        if ok.any():
            out.attrs["k_anonymity_min"] = float(np.nanmin(kan))
            out.attrs["k_anonymity_median"] = float(np.nanmedian(kan))
            log.info(
                "geomask: achieved k-anonymity min %.1f, median %.1f",
                out.attrs["k_anonymity_min"],
                out.attrs["k_anonymity_median"],
            )
    return out


# --------------------------------------------------------------------------- views
def _safe_columns(gdf: gpd.GeoDataFrame, spec: LayerSpec | None) -> list[str]:
    """Attribute columns a masked view may keep: categorical and bounded-integer fields."""
    common = {f.name for f in COMMON_FIELDS}
    if spec is not None:
        names = [
            f.name
            for f in spec.fields
            if f.name not in common
            and f.name != "consent"
            and (
                f.choices is not None
                or (f.type == "int" and f.min is not None and f.max is not None)
            )
        ]
    else:
        names = list(SAFE_FIELDS)
    return [c for c in names if c in gdf.columns]


def _empty_like(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    crs = gdf.crs if gdf.crs is not None else settings.metric_crs
    return gpd.GeoDataFrame({"n": pd.Series([], dtype="int64")}, geometry=[], crs=crs)


def view_for(
    role: str,
    gdf: gpd.GeoDataFrame,
    spec_or_sensitivity: LayerSpec | str,
    *,
    level: str | None = None,
    k: int | None = None,
    cell_m: float | None = None,
    by: str | None = None,
    min_m: float | None = None,
    max_m: float | None = None,
    seed: int | np.random.Generator | None = None,
    population: gpd.GeoDataFrame | None = None,
    population_col: str | None = "households",
    consent_col: str | None = "consent",
    name: str | None = None,
) -> tuple[gpd.GeoDataFrame, str]:
    """What `role` may see of a layer: raw, masked, aggregated or nothing.

    Marks without consent are dropped first, whatever the level. Below
    ``"raw"`` only categorical fields survive (no notes, session ids, sources,
    dates, names): a masked view keeps :func:`_safe_columns` (fields with
    choices and bounded integers such as severity); an aggregated view is
    :func:`aggregate` (cell counts, cells under `k` removed).

    Parameters
    ----------
    role : {"community", "planner", "police", "public"}
    gdf : GeoDataFrame
        The layer (with a CRS).
    spec_or_sensitivity : LayerSpec or str
        The layer's spec (preferred: it says which fields are categorical and
        whether consent is declared) or just its sensitivity.
    level : {"raw", "masked", "aggregated"}, optional
        Ask for a level; refused if the role may not have it. Default: raw
        when allowed, otherwise aggregated (never masked unless asked).
    k, cell_m, by : optional
        For the aggregated view (:func:`aggregate`).
    min_m, max_m, seed : optional
        For the masked view (:func:`geomask`).
    population, population_col : optional
        For the masked view: homes or settlements to measure the achieved
        k-anonymity (:func:`geomask`); only its minimum and median go into
        ``attrs`` (``k_anonymity_min``, ``k_anonymity_median``), the per-point
        column is dropped (it would hint at each displacement).
    consent_col : str or None
        The consent column (dropped from every view after use).
    name : str, optional
        How to call the layer in messages (default: the spec's name).

    Returns
    -------
    (GeoDataFrame, str)
        The view and its level. The level is ``"none"`` (with an empty
        frame) only when the role may see nothing.

    Raises
    ------
    SensitivityError
        `level` is more revealing than the role may have.
    """
    sens, spec = _sensitivity(spec_or_sensitivity)
    layer = name or (spec.name if spec is not None else "layer")
    allowed = max_level(role, sens)
    if level is None:
        level = "raw" if allowed == "raw" else ("aggregated" if _level(allowed) >= 1 else "none")
    elif _level(level) > _level(allowed):
        raise SensitivityError(
            f"role {role!r} may not have the {level} view of {layer!r} ({sens}); the most it "
            f"may have is {allowed!r}. Ask for level={allowed!r} or export as another role."
        )
    data = _apply_consent(gdf, spec, consent_col, layer)
    if consent_col is not None and consent_col in data.columns:
        data = data.drop(columns=[consent_col])
    if level == "none":
        return _empty_like(gdf), "none"
    if level == "raw":
        return data, "raw"
    if level == "aggregated":
        view = aggregate(data, cell_m=cell_m, k=k, by=by, consent_col=None, name=layer)
        return view, "aggregated"
    keep = _safe_columns(data, spec)
    base = gpd.GeoDataFrame(data[keep].reset_index(drop=True), geometry=data.geometry.values)
    base = base.set_crs(data.crs)
    masked = geomask(
        base,
        min_m=min_m,
        max_m=max_m,
        seed=seed,
        population=population,
        population_col=population_col,
    )
    if "k_anonymity" in masked.columns:
        masked = masked.drop(columns=["k_anonymity"])
    # Row order would pair each masked point with its raw row: shuffle it away.
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    attrs = dict(masked.attrs)
    masked = masked.iloc[rng.permutation(len(masked))].reset_index(drop=True)
    masked.attrs = attrs
    return masked, "masked"


# --------------------------------------------------------------------------- audit
def file_sha256(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def audit_record(
    *,
    who: str,
    role: str,
    layer: str,
    level: str,
    n_features: int,
    destination: str | os.PathLike[str] | None,
    sensitivity: str | None = None,
    sha256: str | None = None,
    when: _dt.datetime | None = None,
    params: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One audit-log entry as a plain dict (JSON-ready, also a table row).

    Parameters
    ----------
    who : str
        The person exporting (name or login); required, never empty.
    role : str
        The role the export was made for (:data:`ROLES`).
    layer : str
        The layer exported.
    level : str
        The level of detail (:data:`LEVELS`).
    n_features : int
        Features in the output.
    destination : path or None
        The output file (or a description, e.g. ``"printout"``).
    sensitivity : str, optional
        The layer's sensitivity.
    sha256 : str, optional
        Hash of the output (:func:`file_sha256`).
    when : datetime, optional
        Default now; stored in UTC, ISO 8601.
    params : mapping, optional
        The options used (k, cell_m, min_m, max_m...).

    Returns
    -------
    dict
        Keys ``when_utc, who, role, layer, sensitivity, level, n_features,
        destination, sha256, params``.
    """
    if not str(who).strip():
        raise InputError("audit: 'who' is empty; say who makes the export (name or login).")
    _role(role)
    _level(level)
    t = when or _dt.datetime.now(_dt.UTC)
    if t.tzinfo is None:
        raise InputError("audit: 'when' has no time zone; pass an aware datetime (UTC).")
    return {
        "when_utc": t.astimezone(_dt.UTC).isoformat(timespec="seconds"),
        "who": str(who).strip(),
        "role": role,
        "layer": str(layer),
        "sensitivity": sensitivity,
        "level": level,
        "n_features": int(n_features),
        "destination": None if destination is None else str(destination),
        "sha256": sha256,
        "params": {str(k): _jsonable(v) for k, v in (params or {}).items()},
    }


def _jsonable(v: Any) -> Any:
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, str | int | float | bool) or v is None:
        return v
    return str(v)


@dataclass(frozen=True)
class AuditLog:
    """An append-only JSON-lines file of exports, one record per line.

    The file is created readable by its owner only (0600). A workspace can
    keep the same records in a table: :func:`audit_record` builds them.

    Attributes
    ----------
    path : Path
        The ``.jsonl`` file.
    """

    path: Path

    def __init__(self, path: str | os.PathLike[str]) -> None:
        object.__setattr__(self, "path", Path(path))

    def append(self, record: Mapping[str, Any]) -> None:
        """Add one record (flushed and synced to disk before returning)."""
        line = json.dumps(dict(record), ensure_ascii=False, sort_keys=True)
        if not self.path.parent.is_dir():
            raise InputError(
                f"audit log {self.path}: the folder {self.path.parent} does not exist; create it."
            )
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())

    def records(self) -> list[dict[str, Any]]:
        """Every record, oldest first (an empty list when the log does not exist)."""
        if not self.path.exists():
            return []
        out = []
        for i, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise InputError(
                    f"audit log {self.path}, line {i}: not valid JSON ({e.msg}); the log was "
                    "edited by hand or truncated. Keep a copy and repair that line."
                ) from e
        return out


class WorkspaceAuditLog(AuditLog):
    """The audit log kept in a workspace's ``pata_audit`` table.

    :meth:`append` writes the record to the table (an atomic write under the
    workspace's lock, :meth:`pata_gis.workspace.Workspace.record_audit`) and
    then mirrors it to ``<workspace>.audit.jsonl`` beside the file, the log
    pata-gis kept before. The table is the record: :meth:`records` reads it,
    and a copy of the workspace file carries it. The mirror is written too
    because the workspace file is the thing people restore from copies: a
    workspace restored from a copy made before an export would lose that
    export's record, and the mirror gives it back (the workspace imports
    the mirror's records it lacks when opened, each exactly once). A mirror
    that cannot be written only logs a warning: the table has the record.

    Parameters
    ----------
    workspace : Workspace
        The workspace (anything with ``path``, ``record_audit`` and
        ``audit_records``).

    Attributes
    ----------
    path : Path
        The mirror, ``<workspace>.audit.jsonl``.
    workspace : Workspace
    """

    workspace: Any

    def __init__(self, workspace: Any) -> None:
        if not (hasattr(workspace, "record_audit") and hasattr(workspace, "audit_records")):
            raise InputError(
                f"WorkspaceAuditLog needs a pata_gis Workspace, got {type(workspace).__name__}"
            )
        object.__setattr__(self, "path", Path(workspace.path).with_suffix(".audit.jsonl"))
        object.__setattr__(self, "workspace", workspace)

    def append(self, record: Mapping[str, Any]) -> None:
        """Add one record to the workspace's table, then to the mirror file."""
        self.workspace.record_audit(record)
        try:
            super().append(record)
        except (OSError, InputError) as exc:
            log.warning(
                "audit record kept in %s; its mirror %s could not be written (%s)",
                Path(self.workspace.path).name,
                self.path,
                exc,
            )

    def records(self) -> list[dict[str, Any]]:
        """Every record of the workspace's table, oldest first."""
        return list(self.workspace.audit_records())


def _audit_log(audit: Any) -> AuditLog:
    """`audit` as an :class:`AuditLog` (a Workspace gives its :class:`WorkspaceAuditLog`)."""
    if isinstance(audit, AuditLog):
        return audit
    if hasattr(audit, "record_audit") and hasattr(audit, "audit_records"):
        return WorkspaceAuditLog(audit)
    if isinstance(audit, str | os.PathLike) and Path(audit).suffix.lower() == ".gpkg":
        raise InputError(
            f"audit log {audit}: is a GeoPackage; pass the Workspace itself (its pata_audit "
            "table) or a .jsonl file, never the workspace's path (lines would be appended to it)."
        )
    return AuditLog(audit)


def _plain_dtypes(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Nullable integer columns holding missing values as float (NaN) for every writer."""
    out = frame.copy()
    for c in out.columns:
        if c != out.geometry.name and isinstance(out[c].dtype, pd.Int64Dtype):
            if out[c].isna().any():
                out[c] = out[c].astype("float64")
            else:
                out[c] = out[c].astype("int64")
    return out


def export_view(
    gdf: gpd.GeoDataFrame,
    spec: LayerSpec,
    path: str | os.PathLike[str],
    *,
    role: str,
    who: str,
    audit: AuditLog | Any,
    level: str | None = None,
    k: int | None = None,
    cell_m: float | None = None,
    by: str | None = None,
    min_m: float | None = None,
    max_m: float | None = None,
    seed: int | None = None,
    population: gpd.GeoDataFrame | None = None,
    population_col: str | None = "households",
    overwrite: bool = False,
    allow_new_grid: bool = False,
) -> Path:
    """Write what `role` may see of a layer, and record the export.

    Builds :func:`view_for`, writes it with :func:`pata_gis.io.write` (any of
    its formats: GeoJSON, GeoPackage, zipped Shapefile, KML, CSV), hashes the
    file and appends an :func:`audit_record` to `audit`. If the audit record
    cannot be written the file is removed: no export goes unrecorded.

    Parameters
    ----------
    gdf : GeoDataFrame
        The layer as stored.
    spec : LayerSpec
        Its spec (sensitivity, fields, consent).
    path : path-like
        The output file.
    role, who : str
        Who the export is for, and who makes it.
    audit : AuditLog, Workspace or path
        The audit log: a :class:`WorkspaceAuditLog` or the
        :class:`~pata_gis.workspace.Workspace` itself (its ``pata_audit``
        table, the usual choice), an :class:`AuditLog` or the path of a
        ``.jsonl`` file.
    level, k, cell_m, by, min_m, max_m, seed, population, population_col :
        As in :func:`view_for`.
    overwrite : bool
        Replace an existing file.
    allow_new_grid : bool
        An aggregated export of a layer already exported aggregated at another
        cell size is refused (the two grids could be subtracted from each
        other to recover suppressed cells); pass True, after checking, to
        allow it. The audit record notes it.

    Returns
    -------
    Path

    Raises
    ------
    SensitivityError
        The role may see nothing of the layer, or not at `level`, or the
        layer was already exported aggregated at another cell size.
    """
    log_ = _audit_log(audit)
    if not str(who).strip():
        raise InputError("export: 'who' is empty; say who makes the export (name or login).")
    view, got = view_for(
        role,
        gdf,
        spec,
        level=level,
        k=k,
        cell_m=cell_m,
        by=by,
        min_m=min_m,
        max_m=max_m,
        seed=seed,
        population=population,
        population_col=population_col,
    )
    if got == "none":
        raise SensitivityError(
            f"role {role!r} may see nothing of {spec.name!r} ({spec.sensitivity}); "
            "nothing was written."
        )
    params: dict[str, Any] = {}
    if got == "aggregated":
        params = {"k": view.attrs.get("k"), "cell_m": view.attrs.get("cell_m"), "by": by}
        earlier = sorted(
            {
                float(r["params"]["cell_m"])
                for r in log_.records()
                if r.get("layer") == spec.name
                and r.get("level") == "aggregated"
                and isinstance(r.get("params"), dict)
                and r["params"].get("cell_m") is not None
                and not math.isclose(float(r["params"]["cell_m"]), float(params["cell_m"]))
            }
        )
        if earlier and not allow_new_grid:
            raise SensitivityError(
                f"{spec.name!r} was already exported aggregated on {', '.join(f'{c:g}' for c in earlier)} m "
                f"cells; a {params['cell_m']:g} m grid too would let the two be subtracted to "
                "recover suppressed cells. Export at the same cell size, or pass "
                "allow_new_grid=True if the earlier export was never shared."
            )
        if earlier:
            params["new_grid_allowed"] = True
    elif got == "masked":
        params = {
            key: view.attrs[key]
            for key in ("min_m", "max_m", "k_anonymity_min", "k_anonymity_median")
            if key in view.attrs
        }
    p = _io.write(_plain_dtypes(view), path, layer=spec.name, overwrite=overwrite)
    try:
        rec = audit_record(
            who=who,
            role=role,
            layer=spec.name,
            level=got,
            n_features=len(view),
            destination=p.resolve(),
            sensitivity=spec.sensitivity,
            sha256=file_sha256(p),
            params=params,
        )
        log_.append(rec)
    except BaseException:
        p.unlink(missing_ok=True)
        raise
    log.info("exported %s (%s) for %s at level %s to %s", spec.name, len(view), role, got, p)
    return p
