"""Street networks as compact arrays: build once, snap, search many times.

A :class:`Network` is built once, from an OpenStreetMap graph (through
:mod:`osmnx`, or offline from an OSM XML file), from any line layer (the
bundled roads, community-mapped paths, a municipal road file, the route shapes
of a GTFS feed) or from both merged. It is then held as plain numpy arrays in
EPSG:3844 metres: node coordinates, one record per edge (end nodes, length,
which modes may use it, drive speed, geometry) and, built on demand and cached,
one CSR matrix per mode and weight in which **parallel edges keep their
minimum**, never their sum.

Every search is :func:`scipy.sparse.csgraph.dijkstra`. The accessibility
measures in :mod:`pata_gis.access` run one multi-source search per facility
category: facilities (and origins) are snapped onto the nearest edge, each
facility becomes a virtual source node joined to its edge's end nodes, and a
single search gives every node the cost to its nearest facility and which one
it is.

Modes and speeds
----------------
``"walk"``
    Every edge except motorways, in both directions (pedestrians ignore
    one-way streets), at :data:`WALK_SPEED_KMH` (4.5 km/h, an adult's urban
    walking speed). Young children walk slower: pass
    ``walk_speed_kmh=CHILD_WALK_SPEED_KMH`` (3.0 km/h) for school trips of
    primary-school children.
``"drive"``
    Edges whose kind is not walk-only (:data:`WALK_ONLY_KINDS`: footway, path,
    track, steps, pedestrian, cycleway...), respecting one-way streets, at the
    urban speed of their highway kind (:data:`DRIVE_SPEEDS_KMH`).

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import LineString
>>> lines = gpd.GeoSeries(
...     [LineString([(400000, 580000), (401000, 580000)]),
...      LineString([(400500, 579500), (400500, 580500)])], crs="EPSG:3844")
>>> net = Network.from_lines(lines)
>>> net.n_nodes  # four ends and the crossing
5
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from pata_gis import settings
from pata_gis._errors import InputError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "CHILD_WALK_SPEED_KMH",
    "DRIVE_SPEEDS_KMH",
    "FORMAT_VERSION",
    "NO_WALK_KINDS",
    "SNAP_TOLERANCE_M",
    "WALK_ONLY_KINDS",
    "WALK_SPEED_KMH",
    "Mode",
    "Network",
    "Snapped",
    "from_bbox",
    "from_osm_file",
    "from_place",
    "points_xy",
]

log = logging.getLogger(__name__)

Mode = Literal["walk", "drive"]
Weight = Literal["length", "time"]

#: Version of the file format written by :meth:`Network.save`.
FORMAT_VERSION = 1

#: Adult walking speed (km/h) in town, on- and off-network.
WALK_SPEED_KMH = 4.5

#: Walking speed (km/h) of young children (about 6–10 years old) walking with
#: others; use it for school trips: ``walk_speed_kmh=CHILD_WALK_SPEED_KMH``.
CHILD_WALK_SPEED_KMH = 3.0

#: Urban driving speeds (km/h) by OSM highway kind: typical speeds in
#: Cluj-Napoca traffic, below the legal limits. Unknown kinds drive at
#: :data:`DEFAULT_DRIVE_SPEED_KMH`.
DRIVE_SPEEDS_KMH: dict[str, float] = {
    "motorway": 90.0,
    "motorway_link": 50.0,
    "trunk": 50.0,
    "trunk_link": 40.0,
    "primary": 40.0,
    "primary_link": 30.0,
    "secondary": 35.0,
    "secondary_link": 30.0,
    "tertiary": 30.0,
    "tertiary_link": 25.0,
    "unclassified": 25.0,
    "residential": 25.0,
    "living_street": 10.0,
    "service": 15.0,
    "road": 25.0,
    "busway": 30.0,
    "connector": 10.0,
}

#: Drive speed (km/h) of a drivable edge whose kind is not in DRIVE_SPEEDS_KMH.
DEFAULT_DRIVE_SPEED_KMH = 25.0

#: Edge kinds only walked, never driven. ``rail_crossing`` is the community
#: layer's path over the railway.
WALK_ONLY_KINDS: frozenset[str] = frozenset(
    {
        "footway",
        "path",
        "track",
        "pedestrian",
        "steps",
        "cycleway",
        "bridleway",
        "corridor",
        "sidewalk",
        "crossing",
        "elevator",
        "platform",
        "rail_crossing",
    }
)

#: Edge kinds never walked (pedestrians are forbidden on motorways).
NO_WALK_KINDS: frozenset[str] = frozenset({"motorway", "motorway_link"})

#: Line ends (and line ends and lines) closer than this (m) are joined when a
#: network is built from lines, and merged lines join OSM nodes this close.
SNAP_TOLERANCE_M = 5.0

_PIECE_M = 80.0  # edges are cut into pieces this long for snapping
# pieces looked at per point, stage by stage, before checking for a nearer one
# (crowded spots, e.g. overlapping GTFS route shapes, need the later stages)
_SNAP_KS = (8, 16, 32)
_OVERSHOOT_M = 0.01  # connectors cross the line they join by this much
_STUB_M = 0.05  # dangling noding leftovers shorter than this are dropped


# --------------------------------------------------------------------------- #
# helpers


def _kmh(v: float | None, default: float) -> float:
    out = float(default if v is None else v)
    if not np.isfinite(out) or out <= 0:
        raise InputError(f"a speed must be a positive number of km/h, got {v!r}.")
    return out


def _first(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value)


def _mode(mode: str | None) -> Mode:
    m = "walk" if mode is None else mode
    if m not in ("walk", "drive"):
        raise InputError(f"mode must be 'walk' or 'drive', got {mode!r}.")
    return m  # type: ignore[return-value]


@dataclass(frozen=True)
class _Graph:
    """A CSR graph of one mode and weight, with companions per stored entry."""

    matrix: csr_matrix  # weight (m or s), minimum over parallel edges
    length: np.ndarray  # length (m) of the chosen edge, per stored entry
    time: np.ndarray  # time (s) of the chosen edge, per stored entry
    edge: np.ndarray  # record index of the chosen edge, per stored entry
    keys: np.ndarray  # row * n + col per stored entry, sorted


@dataclass(frozen=True)
class _SegmentIndex:
    """Edge segments cut into short pieces whose midpoints are in a k-d tree."""

    tree: cKDTree | None
    piece_seg: np.ndarray  # segment of each piece
    p0: np.ndarray  # segment start (m, 2)
    p1: np.ndarray  # segment end
    seg_len: np.ndarray
    seg_edge: np.ndarray  # edge record of each segment
    before: np.ndarray  # length along the edge geometry before the segment
    geom_len: np.ndarray  # geometry length per edge record
    half_piece: float  # half the longest piece
    # per segment x0, y0, dx, dy, 1 / length² (0 for a zero-length segment), in one
    # row so that gathering the candidates of many points is one fancy index
    seg_data: np.ndarray


def _point_segment_sq(
    x: np.ndarray, y: np.ndarray, seg_data: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Squared distance from points to segments and the position (0..1) of the foot.

    `x` and `y` broadcast against ``seg_data[..., 0]``; `seg_data` holds the
    rows of :attr:`_SegmentIndex.seg_data` of the candidate segments. Squared
    distances spare a square root per candidate: only the winners need one.
    """
    dx, dy = seg_data[..., 2], seg_data[..., 3]
    ax = x - seg_data[..., 0]
    ay = y - seg_data[..., 1]
    t = ax * dx
    t += ay * dy
    t *= seg_data[..., 4]
    np.clip(t, 0.0, 1.0, out=t)
    ax -= t * dx
    ay -= t * dy
    ax *= ax
    ay *= ay
    ax += ay
    return ax, t


@dataclass(frozen=True)
class Snapped:
    """Points snapped onto a network (all arrays one entry per point).

    Attributes
    ----------
    edge : ndarray of int64
        Index of the edge record the point was snapped onto.
    fraction : ndarray of float64
        Position of the snapped point along the edge, 0 at its ``u`` end and 1
        at its ``v`` end.
    distance_m : ndarray of float64
        Straight-line distance (m) from the point to the network: the snap
        distance, walked off-network.
    node : ndarray of int64
        Index of the nearer end node of the edge.
    x, y : ndarray of float64
        The snapped position (EPSG:3844).
    mode : str
        The mode whose edges were eligible.
    forward, backward : ndarray of bool
        Whether `mode` may travel the edge from ``u`` to ``v`` (forward) and
        from ``v`` to ``u`` (backward).
    """

    edge: np.ndarray
    fraction: np.ndarray
    distance_m: np.ndarray
    node: np.ndarray
    x: np.ndarray
    y: np.ndarray
    mode: Mode
    forward: np.ndarray
    backward: np.ndarray

    def take(self, i: np.ndarray | slice) -> Snapped:
        """The snapped points selected by `i`."""
        return Snapped(
            self.edge[i],
            self.fraction[i],
            self.distance_m[i],
            self.node[i],
            self.x[i],
            self.y[i],
            self.mode,
            self.forward[i],
            self.backward[i],
        )

    def __len__(self) -> int:
        return len(self.edge)


# --------------------------------------------------------------------------- #
# the network


@dataclass(eq=False)
class Network:
    """A street network as arrays in EPSG:3844 metres.

    Build it with :meth:`from_graph`, :meth:`from_lines`, :meth:`merge`,
    :func:`from_osm_file`, :func:`from_place` or :func:`from_bbox`, and keep it
    with :meth:`save` / :meth:`load`. Edges are records ``u -> v``; a record
    can be walked both ways when ``edge_walk`` is set, driven ``u -> v`` when
    ``edge_drive_fwd`` is set and ``v -> u`` when ``edge_drive_back`` is set.

    Attributes
    ----------
    node_id : ndarray of int64
        Original node ids (OSM ids; negative for nodes made from lines).
    x, y : ndarray of float64
        Node coordinates in EPSG:3844.
    edge_u, edge_v : ndarray of int64
        End node indices (positions in ``node_id``) of each edge record.
    edge_length : ndarray of float64
        Edge length in metres.
    edge_kind : ndarray of int16
        Index into ``kinds`` (OSM highway value or the layer's ``kind``).
    edge_walk, edge_drive_fwd, edge_drive_back : ndarray of bool
        Which modes may use the edge, and in which direction for driving.
    edge_drive_kmh : ndarray of float64
        Driving speed on the edge (km/h).
    geom_coords : ndarray of float64, shape (k, 2)
        Vertices of all edge geometries, ``u`` end first, in EPSG:3844.
    geom_offsets : ndarray of int64
        Edge ``i`` has the vertices ``geom_coords[geom_offsets[i]:geom_offsets[i + 1]]``.
    kinds : tuple of str
        The edge kinds.
    walk_speed_kmh : float
        Default walking speed of searches on this network.
    source : str
        Where the network comes from (credited on maps).
    """

    node_id: np.ndarray
    x: np.ndarray
    y: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length: np.ndarray
    edge_kind: np.ndarray
    edge_walk: np.ndarray
    edge_drive_fwd: np.ndarray
    edge_drive_back: np.ndarray
    edge_drive_kmh: np.ndarray
    geom_coords: np.ndarray
    geom_offsets: np.ndarray
    kinds: tuple[str, ...]
    walk_speed_kmh: float = WALK_SPEED_KMH
    source: str = ""
    _cache: dict[Any, Any] = field(default_factory=dict, init=False, repr=False)

    # ------------------------------------------------------------------ sizes
    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_id)

    @property
    def n_edges(self) -> int:
        """Number of edge records."""
        return len(self.edge_u)

    def __repr__(self) -> str:
        return (
            f"Network({self.n_nodes} nodes, {self.n_edges} edges, "
            f"walk {self.walk_speed_kmh:g} km/h, source={self.source!r})"
        )

    # --------------------------------------------------------------- building
    @classmethod
    def _from_records(
        cls,
        *,
        node_id: np.ndarray,
        x: np.ndarray,
        y: np.ndarray,
        u: np.ndarray,
        v: np.ndarray,
        length: np.ndarray,
        kind: Sequence[str],
        drive_fwd: np.ndarray,
        drive_back: np.ndarray,
        geoms: np.ndarray,
        walk_speed_kmh: float | None,
        drive_speeds_kmh: Mapping[str, float] | None,
        source: str,
    ) -> Network:
        speeds = dict(DRIVE_SPEEDS_KMH)
        if drive_speeds_kmh:
            speeds.update(
                {k: _kmh(s, DEFAULT_DRIVE_SPEED_KMH) for k, s in drive_speeds_kmh.items()}
            )
        kind_arr = np.asarray([str(k) for k in kind], dtype=object)
        codes, uniques = pd.factorize(pd.Series(kind_arr, dtype=object), sort=True)
        kinds = tuple(str(k) for k in uniques)
        walk = ~np.isin(kind_arr, list(NO_WALK_KINDS)) if len(kind_arr) else np.zeros(0, bool)
        drivable = ~np.isin(kind_arr, list(WALK_ONLY_KINDS)) if len(kind_arr) else walk
        kmh = np.array([speeds.get(k, DEFAULT_DRIVE_SPEED_KMH) for k in kind_arr], dtype=float)
        coords, offsets = _flatten(geoms)
        return cls(
            node_id=np.asarray(node_id, dtype=np.int64),
            x=np.asarray(x, dtype=float),
            y=np.asarray(y, dtype=float),
            edge_u=np.asarray(u, dtype=np.int64),
            edge_v=np.asarray(v, dtype=np.int64),
            edge_length=np.asarray(length, dtype=float),
            edge_kind=codes.astype(np.int16),
            edge_walk=np.asarray(walk, dtype=bool),
            edge_drive_fwd=np.asarray(drive_fwd, dtype=bool) & drivable,
            edge_drive_back=np.asarray(drive_back, dtype=bool) & drivable,
            edge_drive_kmh=kmh,
            geom_coords=coords,
            geom_offsets=offsets,
            kinds=kinds,
            walk_speed_kmh=_kmh(walk_speed_kmh, WALK_SPEED_KMH),
            source=source,
        )

    @classmethod
    def from_graph(
        cls,
        graph: nx.MultiDiGraph,
        *,
        walk_speed_kmh: float | None = None,
        drive_speeds_kmh: Mapping[str, float] | None = None,
        source: str | None = None,
    ) -> Network:
        """Convert an osmnx graph, once, into arrays.

        Parameters
        ----------
        graph : networkx.MultiDiGraph
            An osmnx graph (projected or not: ``graph.graph["crs"]`` is read,
            EPSG:4326 when absent). Edge ``length`` (m) is used when present,
            else the geometry's length in EPSG:3844. Each ``u -> v`` edge is a
            record driven in its own direction (osmnx already holds both
            directions of two-way streets) and walked both ways.
        walk_speed_kmh : float, optional
            Walking speed; ``None`` means :data:`WALK_SPEED_KMH`.
        drive_speeds_kmh : mapping, optional
            Speeds by highway kind replacing entries of :data:`DRIVE_SPEEDS_KMH`.
        source : str, optional
            Where the graph comes from; default "© OpenStreetMap contributors".

        Returns
        -------
        Network
        """
        from pata_gis.crs import transformer

        crs = str(graph.graph.get("crs", "EPSG:4326"))
        nodes = list(graph.nodes)
        if not nodes:
            raise InputError("the graph has no nodes; download or read a larger area.")
        pos = {n: i for i, n in enumerate(nodes)}
        t = transformer(crs, settings.metric_crs)
        nx_ = np.array([float(graph.nodes[n]["x"]) for n in nodes])
        ny_ = np.array([float(graph.nodes[n]["y"]) for n in nodes])
        mx, my = (np.asarray(a) for a in t.transform(nx_, ny_))
        us, vs, lens, kinds, geoms = [], [], [], [], []
        for a, b, data in graph.edges(data=True):
            ia, ib = pos[a], pos[b]
            us.append(ia)
            vs.append(ib)
            kinds.append(_first(data.get("highway", "")) or "road")
            g = data.get("geometry")
            if g is None:
                geoms.append(np.array([[mx[ia], my[ia]], [mx[ib], my[ib]]]))
            else:
                c = shapely.get_coordinates(g)
                gx, gy = t.transform(c[:, 0], c[:, 1])
                gc = np.column_stack([gx, gy])
                # osmnx does not always draw an edge from u to v: orient it so
                d_u = np.hypot(*(gc[0] - (mx[ia], my[ia]))) + np.hypot(*(gc[-1] - (mx[ib], my[ib])))
                d_v = np.hypot(*(gc[-1] - (mx[ia], my[ia]))) + np.hypot(*(gc[0] - (mx[ib], my[ib])))
                geoms.append(gc if d_u <= d_v else gc[::-1])
            lens.append(data.get("length", np.nan))
        length = np.asarray(lens, dtype=float)
        missing = ~np.isfinite(length)
        if missing.any():
            length[missing] = [
                float(np.hypot(*np.diff(geoms[i], axis=0).T).sum()) for i in np.flatnonzero(missing)
            ]
        n_e = len(us)
        net = cls._from_records(
            node_id=np.array(
                [int(n) if isinstance(n, int | np.integer) else i for i, n in enumerate(nodes)]
            ),
            x=mx,
            y=my,
            u=np.array(us, dtype=np.int64),
            v=np.array(vs, dtype=np.int64),
            length=length,
            kind=kinds,
            drive_fwd=np.ones(n_e, bool),
            drive_back=np.zeros(n_e, bool),
            geoms=_geoms_from_coords(geoms),
            walk_speed_kmh=walk_speed_kmh,
            drive_speeds_kmh=drive_speeds_kmh,
            source=source if source is not None else "© OpenStreetMap contributors",
        )
        log.info("network from graph: %s", net)
        return net

    @classmethod
    def from_lines(
        cls,
        lines: gpd.GeoDataFrame | gpd.GeoSeries,
        *,
        snap_tolerance_m: float | None = None,
        kind: str | None = None,
        kind_column: str = "kind",
        oneway_column: str | None = None,
        walk_speed_kmh: float | None = None,
        drive_speeds_kmh: Mapping[str, float] | None = None,
        source: str = "",
        name: str = "the lines",
    ) -> Network:
        """Build a network from any line layer.

        The lines are projected to EPSG:3844; line ends closer than
        `snap_tolerance_m` are joined (moved to their mean position); a line end
        that stops short of another line by at most the tolerance is extended
        onto it; then all lines are noded (split where they cross or touch,
        coincident stretches merged) and each piece becomes an edge.

        Parameters
        ----------
        lines : GeoDataFrame or GeoSeries
            LineStrings or MultiLineStrings with a CRS: roads, community-mapped
            paths, a municipal road file, GTFS route shapes
            (:func:`pata_gis.gtfs.read_shapes`).
        snap_tolerance_m : float, optional
            ``None`` means :data:`SNAP_TOLERANCE_M` (5 m). Use the accuracy of
            the layer: 5 m for surveyed roads, 10–20 m for digitised paths.
        kind : str, optional
            The kind of every line (e.g. ``"footway"``), overriding `kind_column`.
        kind_column : str
            Column holding the kind (OSM highway value or the roads layer's
            ``kind``); missing column or blank value means ``"road"``
            (walked and driven).
        oneway_column : str, optional
            Boolean column: true lines are driven only in their drawn direction.
        walk_speed_kmh, drive_speeds_kmh, source
            As in :meth:`from_graph`.
        name : str
            How to name the layer in messages.

        Returns
        -------
        Network

        Raises
        ------
        InputError
            When there are no lines or the tolerance is negative.
        CRSError
            When the layer has no CRS.
        """
        from pata_gis.crs import to_metric

        tol = SNAP_TOLERANCE_M if snap_tolerance_m is None else float(snap_tolerance_m)
        if not np.isfinite(tol) or tol < 0:
            raise InputError(
                f"snap_tolerance_m must be a distance >= 0 m, got {snap_tolerance_m!r}."
            )
        gdf = lines if isinstance(lines, gpd.GeoDataFrame) else gpd.GeoDataFrame(geometry=lines)
        gdf = to_metric(gdf, name=name)
        geoms = np.asarray(gdf.geometry.values)
        if kind is not None:
            kinds_in = np.full(len(gdf), kind, dtype=object)
        elif kind_column in gdf.columns:
            kinds_in = gdf[kind_column].map(_first).replace("", "road").to_numpy(dtype=object)
        else:
            kinds_in = np.full(len(gdf), "road", dtype=object)
        oneway_in = (
            gdf[oneway_column].fillna(False).astype(bool).to_numpy()
            if oneway_column is not None and oneway_column in gdf.columns
            else np.zeros(len(gdf), bool)
        )
        parts, part_idx = shapely.get_parts(geoms, return_index=True)
        keep = shapely.get_type_id(parts) == 1  # LineString
        keep &= ~shapely.is_empty(parts)
        parts = shapely.force_2d(parts[keep])
        part_idx = part_idx[keep]
        if len(parts):
            ok = shapely.length(parts) > 0
            parts, part_idx = parts[ok], part_idx[ok]
        if len(parts) == 0:
            raise InputError(f"{name}: no lines to build a network from; pass a line layer.")
        parts = _snap_ends(parts, tol)
        connectors = _connectors(parts, tol)
        pieces = shapely.get_parts(shapely.unary_union(np.concatenate([parts, connectors])))
        pieces = pieces[shapely.get_type_id(pieces) == 1]
        # which input line each piece lies on: the one whose segment holds its
        # midpoint (a tree of short segments: whole route shapes have huge boxes)
        mid = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
        seg, seg_line = _segments(parts)
        hit = shapely.STRtree(seg).query_nearest(mid, max_distance=1e-6, all_matches=False)
        owner = np.full(len(pieces), -1, dtype=np.int64)
        owner[hit[0]] = seg_line[hit[1]]
        on_line = owner >= 0
        src = np.where(on_line, part_idx[np.maximum(owner, 0)], -1)
        # connector pieces take the kind of the line they leave from
        net = _pieces_to_network(
            pieces,
            src,
            parts[np.maximum(owner, 0)],
            kinds_in,
            oneway_in,
            walk_speed_kmh=walk_speed_kmh,
            drive_speeds_kmh=drive_speeds_kmh,
            source=source,
        )
        log.info("network from %s: %s", name, net)
        return net

    def merge(self, other: Network, *, snap_tolerance_m: float | None = None) -> Network:
        """Add the edges of `other` (e.g. community paths) to this network.

        Every node of `other` within `snap_tolerance_m` of a node of this
        network is joined to the nearest one by a connector edge, of the kind
        of one of the `other` edges meeting there (so a footpath joins as a
        footway, a road as a road).

        Parameters
        ----------
        other : Network
            Usually built with :meth:`from_lines`.
        snap_tolerance_m : float, optional
            ``None`` means :data:`SNAP_TOLERANCE_M`.

        Returns
        -------
        Network
            A new network; this one and `other` are not modified.
        """
        tol = SNAP_TOLERANCE_M if snap_tolerance_m is None else float(snap_tolerance_m)
        n1 = self.n_nodes
        tree = cKDTree(np.column_stack([self.x, self.y]))
        d, j = tree.query(np.column_stack([other.x, other.y]), distance_upper_bound=tol)
        hit = np.isfinite(d)
        oi = np.flatnonzero(hit)
        # kind of a connector: kind of the first other-edge at that node
        first_edge = np.full(other.n_nodes, -1, dtype=np.int64)
        ends = np.concatenate([other.edge_u, other.edge_v])
        eidx = np.concatenate([np.arange(other.n_edges), np.arange(other.n_edges)])
        first_edge[ends[::-1]] = eidx[::-1]
        other_kinds = np.asarray(other.kinds, dtype=object)[other.edge_kind]
        conn_kind = [
            str(other_kinds[first_edge[i]]) if first_edge[i] >= 0 else "connector" for i in oi
        ]
        conn_drive = np.array(
            [
                bool(other.edge_drive_fwd[first_edge[i]] or other.edge_drive_back[first_edge[i]])
                if first_edge[i] >= 0
                else False
                for i in oi
            ],
            dtype=bool,
        )
        ids2 = other.node_id
        clash = np.isin(ids2, self.node_id)
        if clash.any():
            ids2 = ids2.copy()
            base = min(int(self.node_id.min()), 0) - 1
            ids2[clash] = base - np.arange(int(clash.sum()))
        conn_geoms = (
            shapely.linestrings(
                np.stack(
                    [
                        np.column_stack([other.x[oi], other.y[oi]]),
                        np.column_stack([self.x[j[oi]], self.y[j[oi]]]),
                    ],
                    axis=1,
                )
            )
            if len(oi)
            else np.empty(0, dtype=object)
        )
        self_kinds = np.asarray(self.kinds, dtype=object)[self.edge_kind]
        net = Network._from_records(
            node_id=np.concatenate([self.node_id, ids2]),
            x=np.concatenate([self.x, other.x]),
            y=np.concatenate([self.y, other.y]),
            u=np.concatenate([self.edge_u, other.edge_u + n1, oi + n1]),
            v=np.concatenate([self.edge_v, other.edge_v + n1, j[oi]]),
            length=np.concatenate([self.edge_length, other.edge_length, d[oi]]),
            kind=list(self_kinds) + list(other_kinds) + conn_kind,
            drive_fwd=np.concatenate([self.edge_drive_fwd, other.edge_drive_fwd, conn_drive]),
            drive_back=np.concatenate([self.edge_drive_back, other.edge_drive_back, conn_drive]),
            geoms=np.concatenate([self.edge_geometries(), other.edge_geometries(), conn_geoms]),
            walk_speed_kmh=self.walk_speed_kmh,
            drive_speeds_kmh=None,
            source="; ".join(s for s in (self.source, other.source) if s),
        )
        # keep the speeds both networks were built with
        net.edge_drive_kmh = np.concatenate(
            [
                self.edge_drive_kmh,
                other.edge_drive_kmh,
                net.edge_drive_kmh[self.n_edges + other.n_edges :],
            ]
        )
        net.edge_walk[: self.n_edges] = self.edge_walk
        net.edge_walk[self.n_edges : self.n_edges + other.n_edges] = other.edge_walk
        log.info("merged %d nodes of %s, %d joined within %g m", other.n_nodes, other, len(oi), tol)
        return net

    # ------------------------------------------------------------- geometry
    def edge_geometries(self) -> np.ndarray:
        """Edge geometries as a numpy array of shapely LineStrings (EPSG:3844)."""
        if "geoms" not in self._cache:
            counts = np.diff(self.geom_offsets)
            idx = np.repeat(np.arange(self.n_edges), counts)
            self._cache["geoms"] = shapely.linestrings(self.geom_coords, indices=idx)
        return self._cache["geoms"]

    def nodes_gdf(self) -> gpd.GeoDataFrame:
        """The nodes as points (EPSG:3844) with ``node_id``."""
        return gpd.GeoDataFrame(
            {"node_id": self.node_id},
            geometry=gpd.points_from_xy(self.x, self.y),
            crs=settings.metric_crs,
        )

    def edges_gdf(self) -> gpd.GeoDataFrame:
        """The edge records as lines (EPSG:3844) with their attributes."""
        return gpd.GeoDataFrame(
            {
                "u": self.node_id[self.edge_u],
                "v": self.node_id[self.edge_v],
                "length_m": self.edge_length,
                "kind": np.asarray(self.kinds, dtype=object)[self.edge_kind],
                "walk": self.edge_walk,
                "drive_fwd": self.edge_drive_fwd,
                "drive_back": self.edge_drive_back,
                "drive_kmh": self.edge_drive_kmh,
            },
            geometry=self.edge_geometries(),
            crs=settings.metric_crs,
        )

    # --------------------------------------------------------------- graphs
    def _directed(self, mode: Mode) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(row, col, record, time-per-metre) of every directed entry of `mode`."""
        e = np.arange(self.n_edges)
        if mode == "walk":
            w = e[self.edge_walk]
            rows = np.concatenate([self.edge_u[w], self.edge_v[w]])
            cols = np.concatenate([self.edge_v[w], self.edge_u[w]])
            rec = np.concatenate([w, w])
            spm = np.full(len(rec), 3.6 / self.walk_speed_kmh)
        else:
            f = e[self.edge_drive_fwd]
            b = e[self.edge_drive_back]
            rows = np.concatenate([self.edge_u[f], self.edge_v[b]])
            cols = np.concatenate([self.edge_v[f], self.edge_u[b]])
            rec = np.concatenate([f, b])
            spm = 3.6 / self.edge_drive_kmh[rec]
        return rows, cols, rec, spm

    def graph(
        self, mode: str | None = None, weight: Weight = "length", *, reverse: bool = False
    ) -> _Graph:
        """The CSR graph of `mode` weighted by `weight`, built once and cached.

        Parallel edges (and, for walking, the two directions of an edge) keep
        the minimum weight: duplicates are reduced with a minimum before the
        matrix is made (``coo -> csr`` alone would sum them). `reverse` gives
        the transposed graph (searches *towards* the sources).
        """
        m = _mode(mode)
        key = ("graph", m, weight, reverse)
        if key in self._cache:
            return self._cache[key]
        rows, cols, rec, spm = self._directed(m)
        length = self.edge_length[rec]
        time = length * spm
        wdata = length if weight == "length" else time
        if reverse:
            rows, cols = cols, rows
        n = self.n_nodes
        keys = rows * n + cols
        order = np.lexsort((wdata, keys))  # by key, then weight: minimum first
        keys_s = keys[order]
        first = np.ones(len(order), bool)
        first[1:] = keys_s[1:] != keys_s[:-1]
        sel = order[first]
        r, c = rows[sel], cols[sel]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(r, minlength=n), out=indptr[1:])
        mat = csr_matrix((wdata[sel], c.astype(np.int32), indptr), shape=(n, n))
        g = _Graph(
            matrix=mat, length=length[sel], time=time[sel], edge=rec[sel], keys=keys_s[first]
        )
        self._cache[key] = g
        return g

    def has_edge(self, rows: np.ndarray, cols: np.ndarray, mode: str | None = None) -> np.ndarray:
        """Whether `mode` may travel directly from node `rows[i]` to node `cols[i]`."""
        g = self.graph(mode, "length")
        keys = np.asarray(rows, dtype=np.int64) * self.n_nodes + np.asarray(cols, dtype=np.int64)
        pos = np.searchsorted(g.keys, keys)
        pos = np.minimum(pos, len(g.keys) - 1)
        return (g.keys[pos] == keys) if len(g.keys) else np.zeros(len(keys), bool)

    def dijkstra(
        self,
        nodes: int | Sequence[int] | np.ndarray,
        *,
        mode: str | None = None,
        weight: Weight = "length",
        reverse: bool = False,
        limit: float | None = None,
        min_only: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Shortest-path costs from node indices `nodes` (one search).

        Parameters
        ----------
        nodes : int or array of int
            Source node indices (positions, not OSM ids; see :meth:`node_index`).
        mode : {"walk", "drive"}, optional
            ``None`` means walk.
        weight : {"length", "time"}
            Metres or seconds.
        reverse : bool
            Costs *to* the sources instead of from them (matters for driving).
        limit : float, optional
            Stop at this cost; farther nodes get ``inf``.
        min_only : bool
            True: one multi-source search, returning ``(cost, nearest_source)``
            per node (``nearest_source`` is the source node index, -9999 when
            unreachable). False: one row per source, ``(costs, predecessors)``.
        """
        g = self.graph(mode, weight, reverse=reverse)
        idx = np.atleast_1d(np.asarray(nodes, dtype=np.int64))
        lim = np.inf if limit is None else float(limit)
        if min_only:
            dist, _pred, src = dijkstra(
                g.matrix, indices=idx, min_only=True, limit=lim, return_predecessors=True
            )
            return dist, src
        dist, pred = dijkstra(g.matrix, indices=idx, limit=lim, return_predecessors=True)
        return dist, pred

    def node_index(self, node_ids: Sequence[int] | np.ndarray) -> np.ndarray:
        """Positions of the given original node ids (e.g. OSM ids)."""
        ids = np.asarray(node_ids, dtype=np.int64)
        order = np.argsort(self.node_id)
        pos = np.searchsorted(self.node_id, ids, sorter=order)
        pos = np.minimum(pos, len(order) - 1)
        found = self.node_id[order[pos]] == ids
        if not found.all():
            raise InputError(f"node ids not in the network: {ids[~found][:5].tolist()}.")
        return order[pos]

    def component_share(self, mode: str | None = None) -> float:
        """Share of nodes in the largest (weakly) connected component of `mode`."""
        g = self.graph(mode, "length")
        _, labels = connected_components(g.matrix, directed=True, connection="weak")
        return float(np.bincount(labels).max() / self.n_nodes)

    # -------------------------------------------------------------- snapping
    def _segments(self, mode: Mode) -> _SegmentIndex:
        """Edge segments of `mode`, cut into pieces of at most _PIECE_M, in a k-d tree."""
        key = ("segments", mode)
        if key in self._cache:
            return self._cache[key]
        ok = self.edge_walk if mode == "walk" else (self.edge_drive_fwd | self.edge_drive_back)
        counts = np.diff(self.geom_offsets)
        vertex_edge = np.repeat(np.arange(self.n_edges), counts)
        j = np.flatnonzero(vertex_edge[:-1] == vertex_edge[1:])  # segment j: vertex j -> j + 1
        seg_edge = vertex_edge[j]
        keep = ok[seg_edge]
        j, seg_edge = j[keep], seg_edge[keep]
        p0, p1 = self.geom_coords[j], self.geom_coords[j + 1]
        seg_len = np.hypot(*(p1 - p0).T)
        # length along the edge's geometry before each segment, and the geometry's length
        cum = np.cumsum(seg_len)
        first = np.r_[True, seg_edge[1:] != seg_edge[:-1]]
        start_idx = np.maximum.accumulate(np.where(first, np.arange(len(j)), 0))
        before = cum - seg_len - (cum[start_idx] - seg_len[start_idx])
        geom_len = np.zeros(self.n_edges)
        np.add.at(geom_len, seg_edge, seg_len)
        # pieces about as long as a typical segment, at most _PIECE_M
        piece_m = float(np.clip(np.median(seg_len), 5.0, _PIECE_M)) if len(j) else _PIECE_M
        pieces = np.maximum(np.ceil(seg_len / piece_m), 1).astype(np.int64)
        piece_seg = np.repeat(np.arange(len(j)), pieces)
        k = np.arange(len(piece_seg)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        frac = (k + 0.5) / pieces[piece_seg]
        mid = p0[piece_seg] + (p1 - p0)[piece_seg] * frac[:, None]
        # a sliding-midpoint tree builds in two thirds of the time and queries as fast
        tree = cKDTree(mid, balanced_tree=False) if len(mid) else None
        d = p1 - p0
        ll = np.einsum("ij,ij->i", d, d)
        inv_ll = np.divide(1.0, ll, out=np.zeros_like(ll), where=ll > 0)
        idx = _SegmentIndex(
            tree=tree,
            piece_seg=piece_seg,
            p0=p0,
            p1=p1,
            seg_len=seg_len,
            seg_edge=seg_edge,
            before=before,
            geom_len=geom_len,
            half_piece=float(np.max(seg_len / pieces) / 2) if len(j) else 0.0,
            seg_data=np.ascontiguousarray(np.column_stack([p0, d, inv_ll])),
        )
        self._cache[key] = idx
        return idx

    def snap(
        self,
        points: gpd.GeoSeries | gpd.GeoDataFrame | np.ndarray,
        *,
        mode: str | None = None,
        name: str = "the points",
    ) -> Snapped:
        """Snap points onto the nearest edge usable by `mode`.

        Exact nearest segment, found with a k-d tree of short pieces of the
        edges (no per-point Python loop): pass all points in one call. A point
        exactly as near several edges (at a node, or halfway between two
        streets) goes to the first of them in record order.

        Parameters
        ----------
        points : GeoSeries, GeoDataFrame or ndarray of shape (n, 2)
            Points (polygons and lines are replaced by a representative point)
            with a CRS, or x/y in EPSG:3844.
        mode : {"walk", "drive"}, optional
            Only edges of this mode are eligible; ``None`` means walk.
        name : str
            How to name the points in messages.

        Returns
        -------
        Snapped
            The edge, the position along it and the snap distance per point.
        """
        m = _mode(mode)
        xy = points_xy(points, name=name)
        si = self._segments(m)
        if si.tree is None:
            raise InputError(f"the network has no {m} edges to snap {name} to.")
        n = len(xy)
        n_pieces = len(si.piece_seg)
        # query in spatial order (far fewer cache misses than random order)
        cell = np.floor((xy - xy.min(axis=0)) / 500.0).astype(np.int64) if n else xy
        order = np.lexsort((cell[:, 0], cell[:, 1])) if n else np.zeros(0, np.int64)
        xs = xy[order]
        n_segs = len(si.seg_len)
        bseg = np.full(n, n_segs, dtype=np.int64)
        bd2 = np.full(n, np.inf)  # squared distance to the best segment so far
        bt = np.zeros(n)
        unsure = np.arange(n)
        seen = 0  # pieces looked at per unsure point so far
        for k_stage in _SNAP_KS:
            k = int(min(k_stage, n_pieces))
            if k <= seen or len(unsure) == 0:
                continue
            dk, ik = si.tree.query(xs[unsure], k=k)
            dk, ik = dk.reshape(-1, k), ik.reshape(-1, k)
            seg = si.piece_seg[ik]
            d2, t = _point_segment_sq(xs[unsure, 0, None], xs[unsure, 1, None], si.seg_data[seg])
            # the nearest segment; of equally near ones (a point halfway between two
            # streets) the first, whatever order the tree returned them in
            low = d2.min(axis=1)
            best = np.argmin(np.where(d2 == low[:, None], seg, n_segs), axis=1)
            r = np.arange(len(unsure))
            sb, db = seg[r, best], d2[r, best]
            better = (db < bd2[unsure]) | ((db == bd2[unsure]) & (sb < bseg[unsure]))
            up = unsure[better]
            bseg[up], bd2[up], bt[up] = sb[better], db[better], t[r, best][better]
            seen = k
            # a piece not looked at has its midpoint beyond the k-th, so its segment is
            # at least (k-th distance - half a piece) away: sure when that is farther
            sure = dk[:, -1] > np.sqrt(bd2[unsure]) + si.half_piece + 1e-9
            unsure = unsure[~sure]
        if len(unsure):  # the rest: every piece within reach, flattened
            reach = np.sqrt(bd2[unsure]) + si.half_piece + 1e-6
            near = si.tree.query_ball_point(xs[unsure], r=reach)
            lens = np.fromiter(map(len, near), dtype=np.int64, count=len(unsure))
            flat = np.fromiter(
                itertools.chain.from_iterable(near), dtype=np.int64, count=int(lens.sum())
            )
            owner = np.repeat(np.arange(len(unsure)), lens)
            fseg = si.piece_seg[flat]
            pts = xs[unsure][owner]
            fd2, ft = _point_segment_sq(pts[:, 0], pts[:, 1], si.seg_data[fseg])
            o2 = np.lexsort((fseg, fd2, owner))
            firsts = o2[np.r_[True, owner[o2][1:] != owner[o2][:-1]]]
            got = owner[firsts]
            was = unsure[got]
            better = (fd2[firsts] < bd2[was]) | (
                (fd2[firsts] == bd2[was]) & (fseg[firsts] < bseg[was])
            )
            sel, rows_u = firsts[better], unsure[got[better]]
            bseg[rows_u], bd2[rows_u], bt[rows_u] = fseg[sel], fd2[sel], ft[sel]
        # back from spatial order to the order of the points
        inv_order = np.empty_like(order)
        inv_order[order] = np.arange(n)
        bseg, bt = bseg[inv_order], bt[inv_order]
        bd = np.sqrt(bd2[inv_order])
        rec = si.seg_edge[bseg]
        along = si.before[bseg] + bt * si.seg_len[bseg]
        glen = si.geom_len[rec]
        frac = np.clip(np.divide(along, glen, out=np.zeros_like(along), where=glen > 0), 0.0, 1.0)
        pxy = si.p0[bseg] + (si.p1[bseg] - si.p0[bseg]) * bt[:, None]
        node = np.where(frac <= 0.5, self.edge_u[rec], self.edge_v[rec])
        fwd, back = self._record_directions(m)
        return Snapped(
            edge=rec,
            fraction=frac,
            distance_m=bd,
            node=node,
            x=pxy[:, 0],
            y=pxy[:, 1],
            mode=m,
            forward=fwd[rec],
            backward=back[rec],
        )

    # ------------------------------------------------ searches from points
    def _sources(
        self, src: Snapped, mode: Mode, weight: Weight, reverse: bool, walk_kmh: float
    ) -> tuple[_Graph, csr_matrix, np.ndarray, np.ndarray, np.ndarray]:
        """The graph augmented with one virtual node per snapped source.

        Virtual node ``n + k`` has edges to the end nodes of source ``k``'s
        edge, weighted by the snap distance (walked) plus the part of the edge
        travelled. Returns the graph, the augmented matrix, and per virtual
        node the (target, length) of its two edges as arrays of shape (m, 2)
        plus their weights.
        """
        g = self.graph(mode, weight, reverse=reverse)
        n = self.n_nodes
        m = len(src)
        a, b = self.edge_u[src.edge], self.edge_v[src.edge]
        L = self.edge_length[src.edge]
        t = src.fraction
        ab, ba = self._directions(src, mode)
        # towards the sources (reverse): node a reaches the source along a->b
        # (t L), node b along b->a ((1-t) L). From the sources: the source
        # reaches b along a->b and a along b->a.
        if reverse:
            ok_a, ok_b = ab, ba
        else:
            ok_a, ok_b = ba, ab
        len_a = t * L
        len_b = (1.0 - t) * L
        if mode == "walk":
            spm = np.full(m, 3.6 / walk_kmh)
        else:
            spm = 3.6 / self.edge_drive_kmh[src.edge]
        snap_cost = src.distance_m if weight == "length" else src.distance_m * 3.6 / walk_kmh
        w_a = snap_cost + (len_a if weight == "length" else len_a * spm)
        w_b = snap_cost + (len_b if weight == "length" else len_b * spm)
        tgt = np.column_stack([a, b])
        ok = np.column_stack([ok_a, ok_b])
        w = np.column_stack([w_a, w_b])
        lens = np.column_stack([src.distance_m + len_a, src.distance_m + len_b])
        counts = ok.sum(axis=1)
        mat = g.matrix
        indptr = np.concatenate([mat.indptr, mat.indptr[-1] + np.cumsum(counts)])
        indices = np.concatenate([mat.indices, tgt[ok].astype(mat.indices.dtype)])
        data = np.concatenate([mat.data, w[ok]])
        aug = csr_matrix((data, indices, indptr), shape=(n + m, n + m))
        return g, aug, np.where(ok, tgt, -1), lens, w

    def _node_lengths(
        self,
        g: _Graph,
        pred: np.ndarray,
        v_tgt: np.ndarray,
        v_len: np.ndarray,
    ) -> np.ndarray:
        """Length (m) along the shortest-path tree from the virtual sources."""
        n = self.n_nodes
        N = len(pred)
        idx = np.arange(N)
        has = pred >= 0
        acc = np.zeros(N)
        p = pred[has]
        c = idx[has]
        real = p < n
        # edges between real nodes: look the chosen entry up
        keys = p[real] * n + c[real]
        pos = np.minimum(np.searchsorted(g.keys, keys), len(g.keys) - 1)
        vals = np.empty(len(p))
        vals[real] = g.length[pos]
        k = p[~real] - n
        cc = c[~real]
        vals[~real] = np.where(v_tgt[k, 0] == cc, v_len[k, 0], v_len[k, 1])
        acc[c] = vals
        anc = np.where(has, pred, idx)
        while True:
            nxt = anc[anc]
            acc = acc + acc[anc]  # roots carry 0, so reaching one adds nothing
            if np.array_equal(nxt, anc):
                break
            anc = nxt
        return acc

    def nearest(
        self,
        origins: Snapped,
        facilities: Snapped,
        *,
        mode: str | None = None,
        to_facility: bool = True,
        walk_speed_kmh: float | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The nearest facility of every origin, in one multi-source search.

        Costs include the snap distances at both ends, walked at the walking
        speed. Walking searches minimise length (time = length / speed);
        driving searches minimise time and the length reported is the length
        of the fastest route.

        Parameters
        ----------
        origins, facilities : Snapped
            From :meth:`snap` with the same `mode`.
        mode : {"walk", "drive"}, optional
            ``None`` means walk.
        to_facility : bool
            True: from the origin to the facility (people travelling to a
            service); False: from the facility to the origin (an ambulance or
            a police car reaching a home). Only matters for driving.
        walk_speed_kmh : float, optional
            ``None`` means the network's walking speed.

        Returns
        -------
        facility : ndarray of int64
            Position of the nearest facility, -1 when none is reachable.
        length_m : ndarray of float64
            Network length including both snap distances (``inf`` if none).
        time_s : ndarray of float64
            Travel time in seconds (``inf`` if none).
        """
        m = _mode(mode)
        walk = _kmh(walk_speed_kmh, self.walk_speed_kmh)
        n = self.n_nodes
        if len(facilities) == 0:
            inf = np.full(len(origins), np.inf)
            return np.full(len(origins), -1, dtype=np.int64), inf, inf.copy()
        weight: Weight = "length" if m == "walk" else "time"
        g, aug, v_tgt, v_len, _w = self._sources(facilities, m, weight, to_facility, walk)
        src_nodes = np.arange(n, n + len(facilities))
        dist, pred, srcs = dijkstra(aug, indices=src_nodes, min_only=True, return_predecessors=True)
        if m == "walk":
            lengths = dist
        else:
            lengths = self._node_lengths(g, pred, v_tgt, v_len)
        cost, length, which = self._origin_costs(
            origins, dist[None, :], lengths[None, :], m, to_facility, walk, srcs[None, :] - n
        )
        fac, length_m, cost_o = self._same_edge(
            origins, facilities, cost[0], length[0], which[0], m, to_facility, walk
        )
        time_s = cost_o * 3.6 / walk if m == "walk" else cost_o
        fac = np.where(np.isfinite(cost_o), fac, -1)
        return fac, length_m, time_s

    def _origin_costs(
        self,
        o: Snapped,
        dist: np.ndarray,
        lengths: np.ndarray,
        mode: Mode,
        to_facility: bool,
        walk_kmh: float,
        which: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per origin (columns) and search row: cost, length, source of the best end."""
        a, b = self.edge_u[o.edge], self.edge_v[o.edge]
        L = self.edge_length[o.edge]
        s = o.fraction
        ab, ba = self._directions(o, mode)
        # to the facility: leave along a->b to b, or along b->a to a
        ok_b, ok_a = (ab, ba) if to_facility else (ba, ab)
        len_a, len_b = s * L, (1.0 - s) * L
        if mode == "walk":
            c_a, c_b = len_a, len_b
            snap_c = o.distance_m
        else:
            spm = 3.6 / self.edge_drive_kmh[o.edge]
            c_a, c_b = len_a * spm, len_b * spm
            snap_c = o.distance_m * 3.6 / walk_kmh
        ca = np.where(ok_a, dist[:, a] + c_a, np.inf)
        cb = np.where(ok_b, dist[:, b] + c_b, np.inf)
        use_b = cb < ca
        cost = np.where(use_b, cb, ca) + snap_c
        length = np.where(use_b, lengths[:, b] + len_b, lengths[:, a] + len_a) + o.distance_m
        length = np.where(np.isfinite(cost), length, np.inf)
        if which is None:
            w = np.zeros_like(cost, dtype=np.int64)
        else:
            w = np.where(use_b, which[:, b], which[:, a]).astype(np.int64)
        return cost, length, w

    def _record_directions(self, mode: Mode) -> tuple[np.ndarray, np.ndarray]:
        """Per edge record: may `mode` travel u -> v, and v -> u (any parallel edge)?"""
        key = ("dirs", mode)
        if key not in self._cache:
            u, v = self.edge_u, self.edge_v
            if mode == "walk":  # a walked record goes both ways: look up only the others
                fwd, back = self.edge_walk.copy(), self.edge_walk.copy()
                o = np.flatnonzero(~self.edge_walk)
                fwd[o], back[o] = self.has_edge(u[o], v[o], mode), self.has_edge(v[o], u[o], mode)
            else:
                fwd, back = self.has_edge(u, v, mode), self.has_edge(v, u, mode)
            self._cache[key] = (fwd, back)
        return self._cache[key]

    def _directions(self, sn: Snapped, mode: Mode) -> tuple[np.ndarray, np.ndarray]:
        """(u -> v allowed, v -> u allowed) for the edges of snapped points, in `mode`."""
        if sn.mode == mode:
            return sn.forward, sn.backward
        a, b = self.edge_u[sn.edge], self.edge_v[sn.edge]
        return self.has_edge(a, b, mode), self.has_edge(b, a, mode)

    def _street(self) -> np.ndarray:
        """A street id per record shared by the two directions of an edge."""
        if "street" not in self._cache:
            lo = np.minimum(self.edge_u, self.edge_v)
            hi = np.maximum(self.edge_u, self.edge_v)
            dm = np.round(self.edge_length * 10).astype(np.int64)
            order = np.lexsort((dm, hi, lo))
            lo_s, hi_s, dm_s = lo[order], hi[order], dm[order]
            new = np.r_[
                True, (lo_s[1:] != lo_s[:-1]) | (hi_s[1:] != hi_s[:-1]) | (dm_s[1:] != dm_s[:-1])
            ]
            street = np.empty(self.n_edges, dtype=np.int64)
            street[order] = np.cumsum(new) - 1
            self._cache["street"] = street
        return self._cache["street"]

    def _same_edge_pairs(
        self, o: Snapped, f: Snapped, mode: Mode, to_facility: bool, walk_kmh: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(origin, facility, cost, length) for pairs on the same street, travelled directly."""
        street = self._street()
        so, sf = street[o.edge], street[f.edge]
        has_f = np.zeros(int(street.max()) + 1, bool)
        has_f[sf] = True
        oi = np.flatnonzero(has_f[so])
        if len(oi) == 0:
            e = np.zeros(0, dtype=np.int64)
            return e, e, np.zeros(0), np.zeros(0)
        # every facility on the origin's street: origins in order, then facilities in order
        by_street = np.argsort(sf, kind="stable")
        sf_sorted = sf[by_street]
        lo_f = np.searchsorted(sf_sorted, so[oi], side="left")
        cnt = np.searchsorted(sf_sorted, so[oi], side="right") - lo_f
        po = np.repeat(oi, cnt)
        within = np.arange(len(po)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        pf = by_street[np.repeat(lo_f, cnt) + within]

        def canon(sn: Snapped, i: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            rec = sn.edge[i]
            lo = np.minimum(self.edge_u[rec], self.edge_v[rec])
            flipped = self.edge_u[rec] != lo
            return np.where(flipped, 1.0 - sn.fraction[i], sn.fraction[i]), lo

        so_c, lo = canon(o, po)
        sf_c, _ = canon(f, pf)
        rec = o.edge[po]
        hi = np.maximum(self.edge_u[rec], self.edge_v[rec])
        L = self.edge_length[rec]
        along = np.abs(so_c - sf_c) * L
        # direction of travel along the street, lo -> hi when the far end is beyond
        start, end = (so_c, sf_c) if to_facility else (sf_c, so_c)
        up = end >= start
        ok = np.where(up, self.has_edge(lo, hi, mode), self.has_edge(hi, lo, mode))
        length = along + o.distance_m[po] + f.distance_m[pf]
        if mode == "walk":
            cost = length
        else:
            cost = (
                along * 3.6 / self.edge_drive_kmh[rec]
                + (o.distance_m[po] + f.distance_m[pf]) * 3.6 / walk_kmh
            )
        cost = np.where(ok, cost, np.inf)
        return po, pf, cost, length

    def _same_edge(
        self,
        o: Snapped,
        f: Snapped,
        cost: np.ndarray,
        length: np.ndarray,
        which: np.ndarray,
        mode: Mode,
        to_facility: bool,
        walk_kmh: float,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        po, pf, c, ln = self._same_edge_pairs(o, f, mode, to_facility, walk_kmh)
        cost, length, which = cost.copy(), length.copy(), which.copy()
        if len(po):
            order = np.argsort(c, kind="stable")
            po, pf, c, ln = po[order], pf[order], c[order], ln[order]
            _, first = np.unique(po, return_index=True)
            po, pf, c, ln = po[first], pf[first], c[first], ln[first]
            better = c < cost[po]
            po, pf, c, ln = po[better], pf[better], c[better], ln[better]
            cost[po], length[po], which[po] = c, ln, pf
        return which, length, cost

    def od_costs(
        self,
        origins: Snapped,
        destinations: Snapped,
        *,
        mode: str | None = None,
        to_facility: bool = True,
        walk_speed_kmh: float | None = None,
        limit_s: float | None = None,
        chunk: int = 64,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every origin-destination cost, one bounded search per destination.

        Parameters
        ----------
        origins, destinations : Snapped
            From :meth:`snap` with the same `mode`.
        mode, to_facility, walk_speed_kmh
            As in :meth:`nearest`.
        limit_s : float, optional
            Keep only pairs within this travel time (s); also bounds the searches.
        chunk : int
            Destinations searched at a time (memory: chunk x nodes floats).

        Returns
        -------
        origin, destination : ndarray of int64
            Positions of the pairs (only reachable pairs within `limit_s`).
        length_m, time_s : ndarray of float64
            Length including both snap distances, and travel time.
        """
        m = _mode(mode)
        walk = _kmh(walk_speed_kmh, self.walk_speed_kmh)
        n = self.n_nodes
        weight: Weight = "length" if m == "walk" else "time"
        lim = np.inf if limit_s is None else float(limit_s)
        lim_w = lim * walk / 3.6 if m == "walk" else lim
        out_o, out_d, out_l, out_t = [], [], [], []
        nd = len(destinations)
        g, aug, v_tgt, v_len, _w = self._sources(destinations, m, weight, to_facility, walk)
        for start in range(0, nd, max(1, int(chunk))):
            ks = np.arange(start, min(nd, start + chunk))
            dist, pred = dijkstra(aug, indices=n + ks, limit=lim_w, return_predecessors=True)
            if m == "walk":
                lengths = dist
            else:
                lengths = np.vstack(
                    [self._node_lengths(g, pred[i], v_tgt, v_len) for i in range(len(ks))]
                )
            cost, length, _ = self._origin_costs(origins, dist, lengths, m, to_facility, walk)
            oi_all = np.arange(len(origins))
            for r, k in enumerate(ks):
                c = cost[r]
                ln = length[r]
                sub = destinations.take(slice(k, k + 1))
                w0 = np.zeros(len(origins), dtype=np.int64)
                _, ln, c = self._same_edge(origins, sub, c, ln, w0, m, to_facility, walk)
                t = c * 3.6 / walk if m == "walk" else c
                keep = t <= lim
                out_o.append(oi_all[keep])
                out_d.append(np.full(int(keep.sum()), k, dtype=np.int64))
                out_l.append(ln[keep])
                out_t.append(t[keep])
        if not out_o:
            e = np.zeros(0, dtype=np.int64)
            return e, e.copy(), np.zeros(0), np.zeros(0)
        return (
            np.concatenate(out_o),
            np.concatenate(out_d),
            np.concatenate(out_l),
            np.concatenate(out_t),
        )

    def search_from(
        self,
        points: Snapped,
        *,
        mode: str | None = None,
        to_facility: bool = False,
        walk_speed_kmh: float | None = None,
        limit_s: float | None = None,
    ) -> np.ndarray:
        """Travel time (s) from each snapped point to every node, shape (points, nodes)."""
        m = _mode(mode)
        walk = _kmh(walk_speed_kmh, self.walk_speed_kmh)
        n = self.n_nodes
        weight: Weight = "length" if m == "walk" else "time"
        lim = np.inf if limit_s is None else float(limit_s)
        lim_w = lim * walk / 3.6 if m == "walk" else lim
        _g, aug, *_ = self._sources(points, m, weight, to_facility, walk)
        dist = dijkstra(aug, indices=n + np.arange(len(points)), limit=lim_w)
        dist = np.atleast_2d(dist)[:, :n]
        return dist * 3.6 / walk if m == "walk" else dist

    # ---------------------------------------------------------------- routes
    def shortest_path(
        self, source: int, target: int, *, mode: str | None = None, weight: Weight = "length"
    ) -> list[int]:
        """Node indices of the shortest path from node `source` to node `target`."""
        g = self.graph(mode, weight)
        _, pred = dijkstra(g.matrix, indices=int(source), return_predecessors=True)
        if not np.isfinite(_[int(target)]):
            raise InputError(
                f"node {target} cannot be reached from node {source} by {_mode(mode)}; "
                "the network is not connected there (check the snap tolerance)."
            )
        path = [int(target)]
        while path[-1] != int(source):
            path.append(int(pred[path[-1]]))
        return path[::-1]

    def path_geometry(
        self, path: Sequence[int], *, mode: str | None = None, weight: Weight = "length"
    ) -> shapely.LineString:
        """The geometry of a node path (EPSG:3844), following the chosen edges."""
        g = self.graph(mode, weight)
        p = np.asarray(path, dtype=np.int64)
        if len(p) < 2:
            return shapely.LineString()
        keys = p[:-1] * self.n_nodes + p[1:]
        pos = np.searchsorted(g.keys, keys)
        rec = g.edge[np.minimum(pos, len(g.keys) - 1)]
        parts = []
        geoms = self.edge_geometries()
        for r, a in zip(rec, p[:-1], strict=True):
            c = shapely.get_coordinates(geoms[r])
            parts.append(c if self.edge_u[r] == a else c[::-1])
        return shapely.LineString(np.vstack(parts))

    # --------------------------------------------------------------- storage
    def save(self, path: str | Path) -> Path:
        """Write the network to one ``.npz`` file (arrays plus JSON metadata).

        Returns
        -------
        Path
            The file written (``.npz`` is appended when missing).
        """
        p = Path(path)
        if p.suffix != ".npz":
            p = p.with_name(p.name + ".npz")
        meta = {
            "format": "pata-gis-network",
            "version": FORMAT_VERSION,
            "crs": settings.metric_crs,
            "kinds": list(self.kinds),
            "walk_speed_kmh": self.walk_speed_kmh,
            "source": self.source,
            "n_nodes": self.n_nodes,
            "n_edges": self.n_edges,
        }
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(p.name + ".part.npz")
        np.savez_compressed(
            tmp,
            meta=np.array(json.dumps(meta)),
            **{name: getattr(self, name) for name in _ARRAYS},
        )
        tmp.replace(p)
        log.info("saved %s to %s", self, p)
        return p

    @classmethod
    def load(cls, path: str | Path) -> Network:
        """Read a network written by :meth:`save`.

        Raises
        ------
        InputError
            When the file is missing, not a network file, or of another version.
        """
        p = Path(path)
        if not p.is_file():
            raise InputError(f"{p}: no such network file; build the network and save it first.")
        try:
            with np.load(p, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                if (
                    meta.get("format") != "pata-gis-network"
                    or meta.get("version") != FORMAT_VERSION
                ):
                    raise InputError(
                        f"{p} is a network file of format {meta.get('format')!r} version "
                        f"{meta.get('version')!r}; this pata-gis reads version "
                        f"{FORMAT_VERSION}: build the network again."
                    )
                arrays = {name: z[name] for name in _ARRAYS}
        except (OSError, ValueError, KeyError) as e:
            if isinstance(e, InputError):
                raise
            raise InputError(
                f"{p} is not a pata-gis network file ({e}); build the network again."
            ) from e
        if meta.get("crs") != settings.metric_crs:
            raise InputError(
                f"{p} holds coordinates in {meta.get('crs')}, not {settings.metric_crs}; "
                "build the network again."
            )
        return cls(
            kinds=tuple(meta["kinds"]),
            walk_speed_kmh=float(meta["walk_speed_kmh"]),
            source=str(meta.get("source", "")),
            **arrays,
        )


_ARRAYS = (
    "node_id",
    "x",
    "y",
    "edge_u",
    "edge_v",
    "edge_length",
    "edge_kind",
    "edge_walk",
    "edge_drive_fwd",
    "edge_drive_back",
    "edge_drive_kmh",
    "geom_coords",
    "geom_offsets",
)


# --------------------------------------------------------------------------- #
# points


def points_xy(
    points: gpd.GeoSeries | gpd.GeoDataFrame | np.ndarray, *, name: str = "the points"
) -> np.ndarray:
    """x/y (EPSG:3844) of points; polygons and lines give a representative point.

    An ndarray of shape (n, 2) is taken as EPSG:3844 already.
    """
    from pata_gis.crs import to_metric

    if isinstance(points, np.ndarray):
        xy = np.asarray(points, dtype=float)
        if xy.ndim != 2 or xy.shape[1] != 2:
            raise InputError(f"{name}: an array of points must have shape (n, 2), got {xy.shape}.")
        return xy
    gs = points.geometry if isinstance(points, gpd.GeoDataFrame) else points
    gs = to_metric(gs, name=name)
    arr = np.asarray(gs.values)
    bad = shapely.is_missing(arr) | shapely.is_empty(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{name}: feature {i + 1} (index {gs.index[i]!r}) has no geometry; "
            "drop or repair it first."
        )
    rep = arr.copy()
    other = shapely.get_type_id(arr) != 0
    if other.any():
        rep[other] = shapely.point_on_surface(arr[other])
    return shapely.get_coordinates(rep).reshape(len(arr), 2)


# --------------------------------------------------------------------------- #
# lines -> network


def _flatten(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(geoms) == 0:
        return np.zeros((0, 2)), np.zeros(1, dtype=np.int64)
    coords, idx = shapely.get_coordinates(geoms, return_index=True)
    counts = np.bincount(idx, minlength=len(geoms))
    offsets = np.zeros(len(geoms) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return coords, offsets


def _geoms_from_coords(parts: list[np.ndarray]) -> np.ndarray:
    if not parts:
        return np.empty(0, dtype=object)
    counts = np.array([len(c) for c in parts])
    return shapely.linestrings(np.vstack(parts), indices=np.repeat(np.arange(len(parts)), counts))


def _segments(parts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every two-vertex segment of `parts`, and the part each comes from."""
    coords, idx = shapely.get_coordinates(parts, return_index=True)
    same = idx[1:] == idx[:-1]
    a = np.flatnonzero(same)
    seg = shapely.linestrings(np.stack([coords[a], coords[a + 1]], axis=1))
    return seg, idx[a]


def _snap_ends(parts: np.ndarray, tol: float) -> np.ndarray:
    """Move line ends closer than `tol` to each other onto their mean position."""
    if tol <= 0 or len(parts) < 1:
        return parts
    coords, idx = shapely.get_coordinates(parts, return_index=True)
    counts = np.bincount(idx, minlength=len(parts))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    ends = starts + counts - 1
    epos = np.concatenate([starts, ends])
    exy = coords[epos]
    pairs = cKDTree(exy).query_pairs(tol, output_type="ndarray")
    if len(pairs) == 0:
        return parts
    k = len(exy)
    adj = csr_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(k, k))
    _, lab = connected_components(adj, directed=False)
    mean = np.column_stack(
        [
            np.bincount(lab, weights=exy[:, 0]) / np.bincount(lab),
            np.bincount(lab, weights=exy[:, 1]) / np.bincount(lab),
        ]
    )
    coords = coords.copy()
    coords[epos] = mean[lab]
    out = shapely.linestrings(coords, indices=idx)
    ok = shapely.length(out) > 0
    return out[ok]


def _connectors(parts: np.ndarray, tol: float) -> np.ndarray:
    """Short lines joining a line end to another line it stops short of."""
    if tol <= 0 or len(parts) < 2:
        return np.empty(0, dtype=object)
    starts = shapely.get_point(parts, 0)
    ends = shapely.get_point(parts, -1)
    pts = np.concatenate([starts, ends])
    own = np.concatenate([np.arange(len(parts)), np.arange(len(parts))])
    tree = shapely.STRtree(parts)
    pi, li = tree.query(pts, predicate="dwithin", distance=tol)
    other = own[pi] != li
    pi, li = pi[other], li[other]
    if len(pi) == 0:
        return np.empty(0, dtype=object)
    d = shapely.distance(pts[pi], parts[li])
    df = pd.DataFrame({"p": pi, "l": li, "d": d})
    # ends already touching some other line need no connector
    touching = df.loc[df["d"] <= 1e-9, "p"].unique()
    df = df[~df["p"].isin(touching)]
    df = df.sort_values(["p", "d"]).drop_duplicates("p")
    if df.empty:
        return np.empty(0, dtype=object)
    p = pts[df["p"].to_numpy()]
    lines = parts[df["l"].to_numpy()]
    q = shapely.line_interpolate_point(lines, shapely.line_locate_point(lines, p))
    pxy, qxy = shapely.get_coordinates(p), shapely.get_coordinates(q)
    vec = qxy - pxy
    norm = np.hypot(vec[:, 0], vec[:, 1])[:, None]
    tip = qxy + vec / np.where(norm > 0, norm, 1.0) * _OVERSHOOT_M
    return shapely.linestrings(np.stack([pxy, tip], axis=1))


def _pieces_to_network(
    pieces: np.ndarray,
    src: np.ndarray,
    owner_geoms: np.ndarray,
    kinds_in: np.ndarray,
    oneway_in: np.ndarray,
    *,
    walk_speed_kmh: float | None,
    drive_speeds_kmh: Mapping[str, float] | None,
    source: str,
) -> Network:
    coords, idx = shapely.get_coordinates(pieces, return_index=True)
    counts = np.bincount(idx, minlength=len(pieces))
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    last = first + counts - 1
    ends = np.vstack([coords[first], coords[last]])
    key = np.round(ends, 3)
    _, inv = np.unique(key, axis=0, return_inverse=True)
    inv = inv.ravel()
    k = len(pieces)
    u, v = inv[:k], inv[k:]
    length = shapely.length(pieces)
    # drop noding stubs: tiny pieces with a dangling end, and loops of zero length
    deg = np.bincount(np.concatenate([u, v]), minlength=int(inv.max()) + 1)
    stub = (length < _STUB_M) & ((deg[u] == 1) | (deg[v] == 1))
    keep = ~stub & (length > 0)
    # connectors (src == -1) inherit the kind of the line they start from
    src_line = np.where(src >= 0, src, -1)
    kind = np.where(src_line >= 0, kinds_in[np.maximum(src_line, 0)], "connector")
    if (src_line < 0).any():
        # a connector's kind: the kind of any kept line piece touching its ends
        nbr_kind: dict[int, str] = {}
        for node, kd in zip(np.concatenate([u, v]), np.concatenate([kind, kind]), strict=True):
            if kd != "connector":
                nbr_kind.setdefault(int(node), str(kd))
        for i in np.flatnonzero(src_line < 0):
            kind[i] = nbr_kind.get(int(u[i]), nbr_kind.get(int(v[i]), "connector"))
    oneway = np.where(src_line >= 0, oneway_in[np.maximum(src_line, 0)], False)
    # a oneway piece keeps the drawn direction only if it runs the same way as its line
    # (noding keeps the direction of the input lines)
    parts_of_src = owner_geoms[keep]
    u, v, length, pieces, kind, oneway = (
        u[keep],
        v[keep],
        length[keep],
        pieces[keep],
        kind[keep],
        oneway[keep],
    )
    # a oneway piece is driven the way its line was drawn (noding may turn pieces round)
    fwd, back = np.ones(len(u), bool), ~oneway.astype(bool)
    if oneway.any():
        ow = np.flatnonzero(oneway)
        line = parts_of_src[ow]
        p0 = shapely.line_locate_point(line, shapely.get_point(pieces[ow], 0))
        p1 = shapely.line_locate_point(line, shapely.get_point(pieces[ow], -1))
        turned = p1 < p0
        fwd[ow[turned]], back[ow[turned]] = False, True
    used, new_inv = np.unique(np.concatenate([u, v]), return_inverse=True)
    first_seen = np.unique(inv, return_index=True)[1]  # labels are 0..K-1
    uk = ends[first_seen[used]]
    m = len(u)
    return Network._from_records(
        node_id=-(np.arange(len(used), dtype=np.int64) + 1),
        x=uk[:, 0],
        y=uk[:, 1],
        u=new_inv[:m],
        v=new_inv[m:],
        length=length,
        kind=list(kind),
        drive_fwd=fwd,
        drive_back=back,
        geoms=pieces,
        walk_speed_kmh=walk_speed_kmh,
        drive_speeds_kmh=drive_speeds_kmh,
        source=source,
    )


# --------------------------------------------------------------------------- #
# OSM sources (downloads happen in pata_gis._osm only)


def from_osm_file(
    path: str | Path,
    *,
    walk_speed_kmh: float | None = None,
    drive_speeds_kmh: Mapping[str, float] | None = None,
) -> Network:
    """Build a network offline from an OSM XML file (``.osm``, ``.osm.bz2``, ``.xml``).

    See :func:`pata_gis._osm.graph_from_file` for the formats read.
    """
    from pata_gis import _osm

    g = _osm.graph_from_file(path)
    return Network.from_graph(g, walk_speed_kmh=walk_speed_kmh, drive_speeds_kmh=drive_speeds_kmh)


def from_place(
    place: str,
    *,
    network_type: str = "all",
    cache_folder: str | Path | None = None,
    walk_speed_kmh: float | None = None,
    drive_speeds_kmh: Mapping[str, float] | None = None,
) -> Network:
    """Download (or read from the cache) the OSM street network of a place.

    See :func:`pata_gis._osm.graph_from_place`. Raises
    :class:`~pata_gis._errors.NetworkUnavailableError` at once when offline.
    """
    from pata_gis import _osm

    g = _osm.graph_from_place(place, network_type=network_type, cache_folder=cache_folder)
    return Network.from_graph(g, walk_speed_kmh=walk_speed_kmh, drive_speeds_kmh=drive_speeds_kmh)


def from_bbox(
    bbox: tuple[float, float, float, float],
    *,
    network_type: str = "all",
    cache_folder: str | Path | None = None,
    walk_speed_kmh: float | None = None,
    drive_speeds_kmh: Mapping[str, float] | None = None,
) -> Network:
    """Download (or read from the cache) the OSM streets in a lon/lat box.

    `bbox` is ``(west, south, east, north)`` in degrees. See
    :func:`pata_gis._osm.graph_from_bbox`.
    """
    from pata_gis import _osm

    g = _osm.graph_from_bbox(bbox, network_type=network_type, cache_folder=cache_folder)
    return Network.from_graph(g, walk_speed_kmh=walk_speed_kmh, drive_speeds_kmh=drive_speeds_kmh)
