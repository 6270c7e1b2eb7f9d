"""Accessibility: how far every home is from schools, doctors, transport...

Pure functions over a :class:`~pata_gis.network.Network` and GeoDataFrames; no
file or network I/O.

* :func:`nearest_facilities`: for every origin and every service category, the
  nearest facility by the network, its distance and travel time, the
  straight-line distance beside it, and how many facilities lie within 15 and
  30 minutes. One multi-source shortest-path search per category, not one per
  origin: pass all origins and all categories in one call.
* :func:`k_nearest`: the k nearest facilities of each origin.
* :func:`cost_table`: an origin-destination cost table (long format), the
  input of the floating-catchment measures, as in PySAL ``access``.
* :func:`two_step_fca`: the two-step floating catchment area ratio (school
  places per child, doctors per patient) from any cost table.
* :func:`isochrones`: the area reached from points within T minutes.

How costs are counted
---------------------
Origins and facilities are snapped onto the nearest edge of the network usable
by the mode (polygons are first replaced by a representative point). The
distance from a point to its edge (the snap distance) is walked, at the walking
speed, at both ends; then the route follows the network from the snapped point.
So ``distance_m`` = origin snap + network length + facility snap, and
``time_min`` = the time of that whole route (snaps walked, network walked or
driven). Points far from any street get a large snap distance: look at
``snap_origin_m`` and ``snap_facility_m`` before trusting a figure.

Examples
--------
>>> from pata_gis.network import Network
>>> net = Network.load("data/cluj_walk.npz")  # doctest: +SKIP
>>> table = nearest_facilities(net, settlements, {"school": schools, "doctor": doctors})  # doctest: +SKIP
>>> table.loc[table.category == "school", ["facility", "distance_m", "time_min"]]  # doctest: +SKIP
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops
from scipy.spatial import cKDTree

from pata_gis import settings
from pata_gis._errors import InputError
from pata_gis.network import Network, Snapped, points_xy

__all__ = [
    "WITHIN_MINUTES",
    "categories_from",
    "cost_table",
    "isochrones",
    "k_nearest",
    "nearest_facilities",
    "to_wide",
    "two_step_fca",
]

log = logging.getLogger(__name__)

#: Travel times (minutes) for the "number of facilities within" counts.
WITHIN_MINUTES: tuple[float, ...] = (15.0, 30.0)

#: Facilities farther than this (m) from the network are reported in the log.
FAR_SNAP_M = 500.0

#: Buffer (m) around the reached streets that makes an isochrone polygon.
ISOCHRONE_BUFFER_M = 25.0

Points: TypeAlias = gpd.GeoDataFrame | gpd.GeoSeries


def _as_categories(
    facilities: Mapping[str, Points] | Points,
) -> dict[str, Points]:
    if isinstance(facilities, gpd.GeoDataFrame | gpd.GeoSeries):
        return {"facilities": facilities}
    if not isinstance(facilities, Mapping) or not facilities:
        raise InputError(
            "facilities must be a GeoDataFrame or a dict of category name -> GeoDataFrame "
            "(e.g. {'school': schools, 'family_doctor': doctors}), got "
            f"{type(facilities).__name__}."
        )
    return dict(facilities)


def categories_from(facilities: gpd.GeoDataFrame, column: str = "kind") -> dict[str, Points]:
    """Split one facility layer into categories by `column` (e.g. health by kind).

    Raises
    ------
    InputError
        When `column` is missing.
    """
    if column not in facilities.columns:
        raise InputError(
            f"the facility layer has no column {column!r} (columns: "
            f"{', '.join(map(str, facilities.columns))}); pass column= naming the category."
        )
    return {str(k): g for k, g in facilities.groupby(column, sort=True)}


def _index_name(index: pd.Index) -> str:
    return str(index.name) if index.name is not None else "origin"


def _within_counts(
    net: Network,
    o: Snapped,
    f: Snapped,
    minutes: Sequence[float],
    mode: str | None,
    to_facility: bool,
    walk_kmh: float | None,
) -> dict[float, np.ndarray]:
    limit = max(minutes) * 60.0
    oi, _di, _ln, t = net.od_costs(
        o, f, mode=mode, to_facility=to_facility, walk_speed_kmh=walk_kmh, limit_s=limit
    )
    return {m: np.bincount(oi[t <= m * 60.0], minlength=len(o)) for m in minutes}


def nearest_facilities(
    network: Network,
    origins: Points,
    facilities: Mapping[str, Points] | Points,
    *,
    mode: str | None = None,
    within_minutes: Sequence[float] | None = None,
    to_facility: bool = True,
    walk_speed_kmh: float | None = None,
    wide: bool = False,
) -> pd.DataFrame:
    """Nearest facility of every category for every origin, by the network.

    One multi-source Dijkstra search per category gives every node its
    nearest facility; origins then read the answer at the ends of their edge.
    Snap distances are added at both ends and walked (see the module notes).

    Parameters
    ----------
    network : Network
        The street network (EPSG:3844).
    origins : GeoDataFrame or GeoSeries
        Homes, settlements (polygons: a representative point is used),
        candidate sites... with a CRS.
    facilities : dict of str -> GeoDataFrame, or GeoDataFrame
        One layer per category (``{"school": ..., "family_doctor": ...}``);
        a single layer is the category ``"facilities"``.
    mode : {"walk", "drive"}, optional
        ``None`` means walk.
    within_minutes : sequence of float, optional
        Count the facilities reachable within these minutes; ``None`` means
        :data:`WITHIN_MINUTES` (15 and 30), ``()`` skips the counts (which need
        one bounded search per facility and are the slow part).
    to_facility : bool
        True: from the origin to the facility; False: from the facility to
        the origin (emergency services reaching a home). Matters for driving.
    walk_speed_kmh : float, optional
        ``None`` means the network's walking speed (4.5 km/h);
        :data:`pata_gis.network.CHILD_WALK_SPEED_KMH` for young children.
    wide : bool
        Return one row per origin with columns ``<category>_<column>``
        (see :func:`to_wide`) instead of the long format.

    Returns
    -------
    DataFrame
        Long format, indexed like `origins` (one row per origin and category,
        categories in the order given), with columns:

        ``category``
            The category name (a pandas Categorical).
        ``facility``
            Index label of the nearest facility (missing if none is reachable).
        ``distance_m``
            Route length (m): origin snap + network + facility snap.
        ``time_min``
            Travel time (minutes) of that route.
        ``straight_m``
            Straight-line distance (m) from the origin to that facility.
        ``nearest_straight_m``
            Straight-line distance (m) to the facility nearest as the crow flies.
        ``snap_origin_m``, ``snap_facility_m``
            Distances (m) from the origin and from the facility to the network.
        ``n_within_<T>``
            Number of facilities reachable within T minutes, one column per
            value of `within_minutes`.

    Raises
    ------
    InputError
        When a layer is empty of geometry or `facilities` is not a layer or dict.
    CRSError
        When a layer has no CRS.
    """
    cats = _as_categories(facilities)
    minutes = tuple(WITHIN_MINUTES if within_minutes is None else within_minutes)
    oxy = points_xy(origins, name="the origins")
    o = network.snap(oxy, mode=mode)
    # origins in spatial order make the straight-line look-ups cache-friendly
    cell = np.floor((oxy - oxy.min(axis=0)) / 500.0) if len(oxy) else oxy
    order = np.lexsort((cell[:, 0], cell[:, 1])) if len(oxy) else np.zeros(0, np.int64)
    frames = []
    for name, layer in cats.items():
        label = f"the {name} facilities"
        n = len(oxy)
        cols: dict[str, np.ndarray] = {}
        if len(layer) == 0:
            log.warning("%s: empty layer, no nearest facility", label)
            cols.update(
                facility=np.full(n, None, dtype=object),
                distance_m=np.full(n, np.inf),
                time_min=np.full(n, np.inf),
                straight_m=np.full(n, np.nan),
                nearest_straight_m=np.full(n, np.nan),
                snap_origin_m=o.distance_m,
                snap_facility_m=np.full(n, np.nan),
            )
            for m in minutes:
                cols[f"n_within_{m:g}"] = np.zeros(n, dtype=np.int64)
            frames.append(cols)
            continue
        fxy = points_xy(layer, name=label)
        f = network.snap(fxy, mode=mode)
        far = f.distance_m > FAR_SNAP_M
        if far.any():
            log.warning(
                "%s: %d of %d facilities lie more than %g m from the network (up to %.0f m, "
                "walked off-network); extend the network (OSM or community paths) there",
                label,
                int(far.sum()),
                len(far),
                FAR_SNAP_M,
                float(f.distance_m.max()),
            )
        which, length, time_s = network.nearest(
            o, f, mode=mode, to_facility=to_facility, walk_speed_kmh=walk_speed_kmh
        )
        found = which >= 0
        w = np.maximum(which, 0)
        labels = np.asarray(layer.index, dtype=object)[w]
        labels[~found] = None
        straight = np.hypot(oxy[:, 0] - fxy[w, 0], oxy[:, 1] - fxy[w, 1])
        crow, _ = cKDTree(fxy).query(oxy[order])
        crow[order] = crow.copy()
        cols.update(
            facility=labels,
            distance_m=length,
            time_min=time_s / 60.0,
            straight_m=np.where(found, straight, np.nan),
            nearest_straight_m=crow,
            snap_origin_m=o.distance_m,
            snap_facility_m=np.where(found, f.distance_m[w], np.nan),
        )
        if minutes:
            counts = _within_counts(network, o, f, minutes, mode, to_facility, walk_speed_kmh)
            for m in minutes:
                cols[f"n_within_{m:g}"] = counts[m]
        frames.append(cols)
    # one frame from concatenated columns (cheaper than concatenating frames)
    n, k = len(oxy), len(frames)
    data: dict[str, object] = {
        "category": pd.Categorical.from_codes(
            np.repeat(np.arange(k), n), categories=pd.Index(list(cats), dtype=object)
        )
    }
    for col in frames[0]:
        data[col] = np.concatenate([f[col] for f in frames])
    index = origins.index[np.tile(np.arange(n), k)]
    # the columns are fresh arrays: no copy, and no stacking of the float columns
    # into one block (pandas would copy them all once more)
    out = pd.DataFrame(data, index=index, copy=False)
    out.index.name = _index_name(origins.index)
    return to_wide(out) if wide else out


def to_wide(table: pd.DataFrame) -> pd.DataFrame:
    """One row per origin: the long output with columns ``<category>_<column>``."""
    parts = []
    for name, g in table.groupby("category", sort=False):
        g = g.drop(columns="category")
        g.columns = [f"{name}_{c}" for c in g.columns]
        parts.append(g)
    return pd.concat(parts, axis=1)


def cost_table(
    network: Network,
    origins: Points,
    destinations: Points,
    *,
    mode: str | None = None,
    max_minutes: float | None = None,
    to_facility: bool = True,
    walk_speed_kmh: float | None = None,
) -> pd.DataFrame:
    """Origin-destination travel costs by the network, in long format.

    One bounded search per destination (destinations are few: schools,
    doctors). Snap distances are included at both ends, as in
    :func:`nearest_facilities`.

    Parameters
    ----------
    network, origins, mode, to_facility, walk_speed_kmh
        As in :func:`nearest_facilities`.
    destinations : GeoDataFrame or GeoSeries
        The facilities.
    max_minutes : float, optional
        Keep only the pairs within this travel time; ``None`` keeps every
        reachable pair.

    Returns
    -------
    DataFrame
        Columns ``origin`` and ``destination`` (index labels of the two
        layers), ``distance_m`` and ``time_min``; one row per reachable pair.
    """
    oxy = points_xy(origins, name="the origins")
    dxy = points_xy(destinations, name="the destinations")
    o = network.snap(oxy, mode=mode)
    d = network.snap(dxy, mode=mode)
    oi, di, length, t = network.od_costs(
        o,
        d,
        mode=mode,
        to_facility=to_facility,
        walk_speed_kmh=walk_speed_kmh,
        limit_s=None if max_minutes is None else float(max_minutes) * 60.0,
    )
    order = np.lexsort((di, oi))
    return pd.DataFrame(
        {
            "origin": np.asarray(origins.index, dtype=object)[oi[order]],
            "destination": np.asarray(destinations.index, dtype=object)[di[order]],
            "distance_m": length[order],
            "time_min": t[order] / 60.0,
        }
    )


def k_nearest(
    network: Network,
    origins: Points,
    facilities: Mapping[str, Points] | Points,
    *,
    k: int = 3,
    mode: str | None = None,
    max_minutes: float | None = None,
    to_facility: bool = True,
    walk_speed_kmh: float | None = None,
) -> pd.DataFrame:
    """The `k` nearest facilities of each category for each origin.

    Returns
    -------
    DataFrame
        Indexed like `origins` (repeated), with ``category``, ``rank`` (1 =
        nearest), ``facility``, ``distance_m`` and ``time_min``; fewer than `k`
        rows when fewer facilities are reachable (within `max_minutes`).
    """
    if int(k) < 1:
        raise InputError(f"k must be at least 1, got {k!r}.")
    frames = []
    for name, layer in _as_categories(facilities).items():
        table = cost_table(
            network,
            origins,
            layer,
            mode=mode,
            max_minutes=max_minutes,
            to_facility=to_facility,
            walk_speed_kmh=walk_speed_kmh,
        )
        table = table.sort_values(["origin", "time_min", "distance_m"], kind="stable")
        table["rank"] = table.groupby("origin", sort=False).cumcount() + 1
        table = table[table["rank"] <= int(k)]
        frames.append(
            pd.DataFrame(
                {
                    "category": name,
                    "rank": table["rank"].to_numpy(),
                    "facility": table["destination"].to_numpy(),
                    "distance_m": table["distance_m"].to_numpy(),
                    "time_min": table["time_min"].to_numpy(),
                },
                index=pd.Index(table["origin"].to_numpy(), name=_index_name(origins.index)),
            )
        )
    return pd.concat(frames)


def two_step_fca(
    costs: pd.DataFrame,
    demand: pd.Series,
    supply: pd.Series,
    *,
    max_cost: float,
    cost: str = "time_min",
    origin: str = "origin",
    destination: str = "destination",
    weight: Callable[[np.ndarray], np.ndarray] | None = None,
) -> pd.Series:
    """Two-step floating catchment area (2SFCA) accessibility ratio.

    Step 1: each facility's supply is divided by the (weighted) demand within
    `max_cost` of it: ``R_j = S_j / sum_i P_i w(c_ij)``. Step 2: each origin
    sums the ratios of the facilities within `max_cost`:
    ``A_i = sum_j R_j w(c_ij)``. With `weight` ``None`` (w = 1) this is Luo &
    Wang's 2SFCA; pass a decay function for the enhanced variants. The same
    definition as PySAL ``access`` (``two_stage_fca``).

    Parameters
    ----------
    costs : DataFrame
        A cost table in long format (:func:`cost_table`, or any other routing).
    demand : Series
        Demand per origin (children of school age, residents), indexed by the
        origin labels of `costs`.
    supply : Series
        Capacity per facility (school places, doctors), indexed by the
        destination labels of `costs`.
    max_cost : float
        Catchment size, in the unit of the `cost` column (minutes by default);
        pairs with cost ``<= max_cost`` count.
    cost, origin, destination : str
        Column names in `costs`.
    weight : callable, optional
        Distance decay ``w(cost) -> weight`` applied to cost arrays.

    Returns
    -------
    Series
        Indexed like `demand`: supply per unit of demand reachable (places per
        child, doctors per resident). Origins reaching no facility get 0;
        facilities with no demand in their catchment are left out.

    Raises
    ------
    InputError
        When a column is missing.
    """
    for col in (cost, origin, destination):
        if col not in costs.columns:
            raise InputError(
                f"the cost table has no column {col!r} (columns: "
                f"{', '.join(map(str, costs.columns))}); pass {col!r} by its name."
            )
    c = costs.loc[costs[cost] <= max_cost, [origin, destination, cost]].copy()
    w = np.ones(len(c)) if weight is None else np.asarray(weight(c[cost].to_numpy()), float)
    c["_w"] = w
    c["_p"] = c[origin].map(demand).fillna(0.0).to_numpy(dtype=float) * w
    total = c.groupby(destination)["_p"].sum()
    ratio = supply.reindex(total.index).fillna(0.0) / total
    ratio = ratio[total > 0]
    c["_r"] = c[destination].map(ratio).to_numpy(dtype=float) * w
    a = c.dropna(subset=["_r"]).groupby(origin)["_r"].sum()
    out = a.reindex(demand.index).fillna(0.0)
    out.name = "fca_2step"
    return out


def isochrones(
    network: Network,
    points: Points,
    minutes: float | Sequence[float] = (5.0, 10.0, 15.0),
    *,
    mode: str | None = None,
    walk_speed_kmh: float | None = None,
    buffer_m: float | None = None,
    to_points: bool = False,
) -> gpd.GeoDataFrame:
    """Areas reached from each point within given travel times.

    The streets reached within T minutes (whole edges, and the reached part of
    edges at the rim) are buffered by `buffer_m` and merged into a polygon.

    Parameters
    ----------
    network : Network
    points : GeoDataFrame or GeoSeries
        Start points (polygons: a representative point), with a CRS.
    minutes : float or sequence of float
        Travel times.
    mode, walk_speed_kmh
        As in :func:`nearest_facilities`.
    buffer_m : float, optional
        Half-width (m) of the reached area around the streets; ``None`` means
        :data:`ISOCHRONE_BUFFER_M` (25 m).
    to_points : bool
        True: the area from which the points are reached in T (driving).

    Returns
    -------
    GeoDataFrame
        EPSG:3844 polygons, one per point and travel time, with ``point`` (the
        index label of the point) and ``minutes``; largest time first within a
        point so smaller areas draw on top.
    """
    mins = sorted({float(m) for m in np.atleast_1d(np.asarray(minutes, dtype=float))}, reverse=True)
    if not mins or min(mins) <= 0:
        raise InputError(f"minutes must be positive travel times, got {minutes!r}.")
    buf = ISOCHRONE_BUFFER_M if buffer_m is None else float(buffer_m)
    xy = points_xy(points, name="the isochrone points")
    s = network.snap(xy, mode=mode)
    walk = network.walk_speed_kmh if walk_speed_kmh is None else float(walk_speed_kmh)
    times = network.search_from(
        s, mode=mode, to_facility=to_points, walk_speed_kmh=walk, limit_s=max(mins) * 60.0
    )
    m = "walk" if mode is None else mode
    ok = network.edge_walk if m == "walk" else (network.edge_drive_fwd | network.edge_drive_back)
    recs = np.flatnonzero(ok)
    a, b = network.edge_u[recs], network.edge_v[recs]
    L = network.edge_length[recs]
    spm = 3.6 / walk if m == "walk" else 3.6 / network.edge_drive_kmh[recs]
    te = L * spm
    # reached from a means travelling a -> b (or b -> a towards the points)
    from_a = network.has_edge(b, a, m) if to_points else network.has_edge(a, b, m)
    from_b = network.has_edge(a, b, m) if to_points else network.has_edge(b, a, m)
    geoms = network.edge_geometries()[recs]
    rows = []
    for p in range(len(s)):
        for T in mins:
            limit = T * 60.0
            with np.errstate(invalid="ignore", divide="ignore"):
                ra = np.where(from_a, np.clip((limit - times[p, a]) / te, 0, 1), 0.0)
                rb = np.where(from_b, np.clip((limit - times[p, b]) / te, 0, 1), 0.0)
            ra, rb = np.nan_to_num(ra), np.nan_to_num(rb)
            full = ra + rb >= 1
            parts = list(geoms[full])
            for i in np.flatnonzero(~full & (ra > 0)):
                parts.append(shapely.ops.substring(geoms[i], 0, ra[i], normalized=True))
            for i in np.flatnonzero(~full & (rb > 0)):
                parts.append(shapely.ops.substring(geoms[i], 1 - rb[i], 1, normalized=True))
            # the start's own edge, walked directly from the snapped point
            e = s.edge[p]
            snap_t = s.distance_m[p] * 3.6 / walk
            reach_m = max(limit - snap_t, 0.0) / (
                3.6 / walk if m == "walk" else 3.6 / network.edge_drive_kmh[e]
            )
            if limit >= snap_t:
                g = network.edge_geometries()[e]
                glen = max(network.edge_length[e], 1e-9)
                lo = max(s.fraction[p] - reach_m / glen, 0.0)
                hi = min(s.fraction[p] + reach_m / glen, 1.0)
                parts.append(shapely.ops.substring(g, lo, hi, normalized=True))
                parts.append(
                    shapely.LineString([(xy[p, 0], xy[p, 1]), (s.x[p], s.y[p])])
                    if s.distance_m[p] > 0
                    else shapely.Point(xy[p, 0], xy[p, 1])
                )
            area = (
                shapely.buffer(shapely.GeometryCollection(parts), buf)
                if parts
                else shapely.Polygon()
            )
            rows.append((points.index[p], T, area))
    return gpd.GeoDataFrame(
        {"point": [r[0] for r in rows], "minutes": [r[1] for r in rows]},
        geometry=[r[2] for r in rows],
        crs=settings.metric_crs,
    )
