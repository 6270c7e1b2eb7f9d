"""The safety plan: who reaches each community, how fast, by which road, and where to meet.

For safety-plan meetings with the police, social workers and emergency
services (see ``DOMAIN.md``):

- :func:`response_coverage`: for each community and candidate site and each
  service (police, local police, fire, ambulance), the driving time from the
  nearest station over the street network, the walk for the last stretch off
  the drivable roads (community-mapped paths included), and a flag when the
  time is beyond the service's target.
- :func:`access_routes`: the route lines from the stations to one place.
- :func:`coverage_zones`: which station covers which zone (a Voronoi
  partition on the network: every point goes to the station that reaches it
  first), with time bands.
- :func:`meeting_points_view`: meeting points and safe places as a given
  audience may see them (safe houses never below the police level).
- :func:`safety_plan_pdf`: the printable bilingual (ro/en) plan.

How a response is modelled
--------------------------
One search per service kind on a two-layer graph built from a
:class:`pata_gis.network.Network`: a **vehicle layer** (every edge an
emergency vehicle can use: the network's drivable edges plus unpaved tracks,
at :data:`EMERGENCY_SPEEDS_KMH`, tracks slowed by :data:`UNPAVED_FACTOR`)
and a **foot layer** (every walkable edge, community paths and railway
crossings included, at the walking speed). A crew may leave its vehicle at
any node (a zero-cost link from the vehicle layer to the foot layer) and
walks the rest. Every station of the kind is a source; every place is reached
either by vehicle to the nearest drivable road and then straight on foot, or
on foot along the nearest walkable edge; the faster counts. So removing a
community path can make a place slower to reach, or push its crew onto a
longer off-road walk.

Stations are snapped onto the nearest edge a vehicle may use; the yard
distance is driven at that edge's speed. Places (polygons at their
representative point) walk their snap distance straight.

All of it is an estimate for planning and discussion, not a dispatch tool:
the speeds are assumptions stated in the plan, the targets are stated with
their sources, and the meeting is expected to correct both.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import math
import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from shapely.ops import substring

from pata_gis import crs, privacy, settings
from pata_gis._errors import InputError, SensitivityError, ValidationError
from pata_gis.network import WALK_ONLY_KINDS, Network
from pata_gis.specs import LayerSpec

if TYPE_CHECKING:
    from pata_gis.workspace import Workspace

__all__ = [
    "BANDS_MIN",
    "CONTACT_ROLES",
    "DEFAULT_EMERGENCY_KMH",
    "EMERGENCY_SPEEDS_KMH",
    "MEETING_KINDS",
    "OFF_NETWORK_M",
    "OFF_ROAD_DETOUR",
    "SAFE_HOUSE_ROLES",
    "SERVICE_KINDS",
    "TARGET_MIN",
    "TARGET_SOURCES",
    "UNPAVED_FACTOR",
    "UNPAVED_KINDS",
    "VEHICLE_BLOCKED_KINDS",
    "ZONE_MAX_OFF_ROAD_M",
    "ZONE_SPACING_M",
    "access_routes",
    "check_meeting_points",
    "coverage_zones",
    "meeting_points_view",
    "response_coverage",
    "safety_plan_pdf",
]

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- settings

#: Service kinds of the ``emergency_services`` layer, in the order of the plan.
SERVICE_KINDS: tuple[str, ...] = ("police", "local_police", "fire", "ambulance")

#: Target response times (minutes) per service kind. Only the ambulance value
#: has a public source (see :data:`TARGET_SOURCES`); the others are
#: assumptions the safety meeting must confirm or replace.
TARGET_MIN: dict[str, float] = {
    "ambulance": 8.0,
    "fire": 10.0,
    "police": 10.0,
    "local_police": 15.0,
}

#: Where each target comes from (English; the plan prints these).
TARGET_SOURCES: dict[str, dict[str, str]] = {
    "ambulance": {
        "ro": "8 min în mediul urban pentru echipajul de prim ajutor (90% din cazuri; 15 min "
        "pentru echipajul cu medic), cf. R. Arafat, Radio România Actualități, 17.01.2015; "
        "de verificat în textul normei în vigoare",
        "en": "8 min in urban areas for the first-aid crew (90% of cases; 15 min for the crew "
        "with a doctor), as stated by R. Arafat, Radio România Actualități, 17 Jan 2015; "
        "check against the legal text in force",
    },
    "fire": {
        "ro": "IPOTEZĂ de stabilit în ședință (media națională 2017 la incendii: 14 min, "
        "ziare.com 2018)",
        "en": "ASSUMPTION for the meeting to set (2017 national mean for fires: 14 min, "
        "ziare.com 2018)",
    },
    "police": {
        "ro": "IPOTEZĂ de stabilit în ședință (nu am găsit o normă publică)",
        "en": "ASSUMPTION for the meeting to set (no public standard found)",
    },
    "local_police": {
        "ro": "IPOTEZĂ de stabilit în ședință (nu am găsit o normă publică)",
        "en": "ASSUMPTION for the meeting to set (no public standard found)",
    },
}

#: Emergency-vehicle speeds (km/h) by edge kind, with lights and siren in
#: Cluj-Napoca traffic: an assumption, above the everyday speeds of
#: :data:`pata_gis.network.DRIVE_SPEEDS_KMH` and at or under the legal limits.
EMERGENCY_SPEEDS_KMH: dict[str, float] = {
    "motorway": 100.0,
    "motorway_link": 60.0,
    "trunk": 60.0,
    "trunk_link": 45.0,
    "primary": 50.0,
    "primary_link": 40.0,
    "secondary": 45.0,
    "secondary_link": 35.0,
    "tertiary": 40.0,
    "tertiary_link": 35.0,
    "unclassified": 30.0,
    "residential": 30.0,
    "road": 30.0,
    "living_street": 15.0,
    "service": 20.0,
    "busway": 40.0,
    "connector": 15.0,
    "track": 25.0,
}

#: Speed (km/h) of a vehicle edge whose kind is not in EMERGENCY_SPEEDS_KMH.
DEFAULT_EMERGENCY_KMH: float = 30.0

#: Edge kinds that are unpaved (dirt or gravel tracks, such as the landfill
#: access road past Dallas to Rampa): drivable, at their speed times
#: :data:`UNPAVED_FACTOR`.
UNPAVED_KINDS: frozenset[str] = frozenset({"track"})

#: Slow-down on unpaved tracks (ruts, mud, potholes): an assumption.
UNPAVED_FACTOR: float = 0.6

#: Edge kinds no emergency vehicle drives: the walk-only kinds of the network
#: except tracks.
VEHICLE_BLOCKED_KINDS: frozenset[str] = WALK_ONLY_KINDS - UNPAVED_KINDS

#: The last stretch from the mapped network to a place is walked straight,
#: lengthened by this detour factor (fences, ditches, rubbish, the railway):
#: an assumption, in the range of road-network circuity factors (about
#: 1.2-1.4, Ballou et al. 2002). It is why a community-mapped path that reaches
#: a place saves time over a straight walk from the road.
OFF_ROAD_DETOUR: float = 1.4

#: A place farther than this (m) from every mapped way gets ``on_network``
#: false: the roads layer does not reach it and its time is unreliable.
OFF_NETWORK_M: float = 300.0

#: Time bands (upper edges, minutes) of :func:`coverage_zones`.
BANDS_MIN: tuple[float, ...] = (5.0, 10.0, 15.0, 20.0)

#: Spacing (m) of the network points the coverage zones are built from.
ZONE_SPACING_M: float = 50.0

_ZONE_MAX_POINTS = 60_000  # coverage_zones samples at most about this many points

#: Coverage zones reach this far (m) from the network; farther is "off the network".
ZONE_MAX_OFF_ROAD_M: float = 400.0

#: Kinds of meeting places (the ``kind`` field of ``meeting_points``).
MEETING_KINDS: tuple[str, ...] = ("meeting_point", "safe_house", "assembly_area", "other")

#: Roles a contact is named by in ``meeting_points.contact_role`` (never a
#: personal name or a phone number).
CONTACT_ROLES: tuple[str, ...] = (
    "police_officer",
    "local_police",
    "social_worker",
    "community_facilitator",
    "health_mediator",
    "school_mediator",
    "firefighter",
    "paramedic",
    "other",
)

#: Roles (of :data:`pata_gis.privacy.ROLES`) that may see where a safe house
#: is: the community itself and the police at a safety meeting. Planners and
#: the public never get safe houses, not even as counts.
SAFE_HOUSE_ROLES: frozenset[str] = frozenset({"community", "police"})

_PHONE = re.compile(r"(?:\+?\d[\d\s().\-/]{5,}\d)")
#: Dates (2026-11-25, 25.11.2026) are not phone numbers: removed before the check.
_ISO_DATE = re.compile(r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


# --------------------------------------------------------------------------- helpers
def _kmh(v: float | None, default: float, what: str) -> float:
    out = float(default if v is None else v)
    if not math.isfinite(out) or out <= 0:
        raise InputError(f"{what} must be a positive number of km/h, got {v!r}.")
    return out


def _targets(target_min: float | Mapping[str, float] | None) -> dict[str, float]:
    out = dict(TARGET_MIN)
    if target_min is None:
        return out
    if isinstance(target_min, Mapping):
        out.update({str(k): float(v) for k, v in target_min.items()})
    else:
        out = {k: float(target_min) for k in out}
    for k, v in out.items():
        if not math.isfinite(v) or v <= 0:
            raise InputError(f"target_min[{k!r}] = {v!r}; give a positive number of minutes.")
    return out


def _station_kinds(stations: gpd.GeoDataFrame, kind_column: str) -> list[str]:
    if kind_column not in stations.columns:
        raise InputError(
            f"stations: no {kind_column!r} column; pass the emergency_services layer "
            f"(kind: {', '.join(SERVICE_KINDS)})."
        )
    present = [str(k) for k in pd.unique(stations[kind_column].dropna().astype(str))]
    return [k for k in SERVICE_KINDS if k in present] + sorted(
        k for k in present if k not in SERVICE_KINDS
    )


def _names(gdf: gpd.GeoDataFrame, column: str, prefix: str) -> list[str]:
    if column in gdf.columns:
        return [
            str(v)
            if v is not None and not (isinstance(v, float) and math.isnan(v))
            else f"{prefix} {i}"
            for i, v in zip(gdf.index, gdf[column], strict=True)
        ]
    return [f"{prefix} {i}" for i in gdf.index]


def _points(gdf: gpd.GeoDataFrame, name: str) -> np.ndarray:
    if gdf.crs is None:
        raise InputError(f"{name}: no CRS; set it (e.g. gdf.set_crs('EPSG:4326')).")
    m = crs.to_metric(gdf, name=name)
    geoms = m.geometry.values
    bad = np.flatnonzero(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if len(bad):
        raise InputError(f"{name}: row {int(bad[0])} has no geometry; draw it or drop the row.")
    pts = shapely.point_on_surface(geoms)
    return shapely.get_coordinates(pts)


def _min_csr(
    rows: np.ndarray, cols: np.ndarray, data: np.ndarray, n: int
) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """CSR keeping the minimum of duplicate entries; also the sorted keys and the kept order."""
    keys = rows.astype(np.int64) * n + cols.astype(np.int64)
    order = np.lexsort((data, keys))
    ks = keys[order]
    first = np.ones(len(order), bool)
    first[1:] = ks[1:] != ks[:-1]
    sel = order[first]
    r, c = rows[sel], cols[sel]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=n), out=indptr[1:])
    mat = csr_matrix((data[sel], c.astype(np.int32), indptr), shape=(n, n))
    return mat, ks[first], sel


@dataclass
class _Snap:
    edge: np.ndarray
    frac: np.ndarray
    dist: np.ndarray
    xy: np.ndarray  # the original points


@dataclass
class _Search:
    """The result of one search: costs, predecessors, sources, and the edges used."""

    dist: np.ndarray
    pred: np.ndarray
    src: np.ndarray
    keys: np.ndarray  # sorted row * size + col of the graph's entries
    rec: np.ndarray  # edge record of each entry (-1 leaving the vehicle, -2 virtual)
    size: int


@dataclass
class _End:
    """How the best route reaches one place."""

    cost: float
    node: int  # last graph node before the final partial edge (-1: same-edge direct)
    mode: str  # "drive" (vehicle to the road point, walk straight) or "walk"
    edge: int
    frac_from: float  # position of `node` on `edge` (0 or 1)
    frac_to: float
    snap_m: float
    station: int


@dataclass
class _Engine:
    """The two-layer (vehicle, foot) graph of a network for emergency responses."""

    net: Network
    walk_kmh: float
    fwd: np.ndarray
    back: np.ndarray
    kmh: np.ndarray
    off_spm: float  # seconds per straight metre off the network
    rows: np.ndarray
    cols: np.ndarray
    data: np.ndarray
    rec: np.ndarray
    _cache: dict[Any, Any] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        net: Network,
        *,
        speeds: Mapping[str, float] | None = None,
        unpaved_factor: float | None = None,
        walk_speed_kmh: float | None = None,
        off_road_detour: float | None = None,
    ) -> _Engine:
        sp = dict(EMERGENCY_SPEEDS_KMH)
        for key, val in (speeds or {}).items():
            sp[str(key)] = _kmh(val, DEFAULT_EMERGENCY_KMH, f"speeds[{key!r}]")
        factor = UNPAVED_FACTOR if unpaved_factor is None else float(unpaved_factor)
        if not 0 < factor <= 1:
            raise InputError(f"unpaved_factor={unpaved_factor!r}; give a number in (0, 1].")
        walk = _kmh(walk_speed_kmh, net.walk_speed_kmh, "walk_speed_kmh")
        detour = OFF_ROAD_DETOUR if off_road_detour is None else float(off_road_detour)
        if not (math.isfinite(detour) and detour >= 1):
            raise InputError(f"off_road_detour={off_road_detour!r}; give a factor >= 1.")
        n = net.n_nodes
        kinds = np.asarray(net.kinds, dtype=object)[net.edge_kind]
        unpaved = np.isin(kinds, sorted(UNPAVED_KINDS))
        blocked = np.isin(kinds, sorted(VEHICLE_BLOCKED_KINDS))
        fwd = (net.edge_drive_fwd | (unpaved & net.edge_walk)) & ~blocked
        back = (net.edge_drive_back | (unpaved & net.edge_walk)) & ~blocked
        base = np.array([sp.get(str(k), DEFAULT_EMERGENCY_KMH) for k in kinds], dtype=float)
        kmh = base * np.where(unpaved, factor, 1.0)
        u, v, L = net.edge_u, net.edge_v, net.edge_length
        e = np.arange(net.n_edges)
        f, b, w = e[fwd], e[back], e[net.edge_walk]
        nodes = np.arange(n)
        rows = np.concatenate([u[f], v[b], u[w] + n, v[w] + n, nodes])
        cols = np.concatenate([v[f], u[b], v[w] + n, u[w] + n, nodes + n])
        rec = np.concatenate([f, b, w, w, np.full(n, -1)])
        t_walk = L[w] * 3.6 / walk
        data = np.concatenate(
            [L[f] * 3.6 / kmh[f], L[b] * 3.6 / kmh[b], t_walk, t_walk, np.zeros(n)]
        )
        return cls(net, walk, fwd, back, kmh, detour * 3.6 / walk, rows, cols, data, rec)

    # ---------------------------------------------------------------- snapping
    def snap(self, xy: np.ndarray, *, vehicle: bool) -> _Snap:
        key = ("tree", vehicle)
        if key not in self._cache:
            ok = (self.fwd | self.back) if vehicle else self.net.edge_walk
            idx = np.flatnonzero(ok)
            if len(idx) == 0:
                what = "vehicle" if vehicle else "walkable"
                raise InputError(f"the network has no {what} edges; build it from a road layer.")
            geoms = self.net.edge_geometries()[idx]
            self._cache[key] = (shapely.STRtree(geoms), idx, geoms)
        tree, idx, geoms = self._cache[key]
        pts = shapely.points(xy)
        if len(pts) == 0:
            z = np.zeros(0)
            return _Snap(np.zeros(0, np.int64), z, z.copy(), xy)
        (pi, gi), dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
        edge = np.empty(len(pts), np.int64)
        d = np.empty(len(pts))
        edge[pi], d[pi] = idx[gi], dist
        frac = shapely.line_locate_point(self.net.edge_geometries()[edge], pts, normalized=True)
        return _Snap(edge, np.clip(np.nan_to_num(frac), 0.0, 1.0), d, xy)

    # ---------------------------------------------------------------- searching
    def search(self, st: _Snap) -> _Search:
        """One multi-source search from the stations."""
        n2 = 2 * self.net.n_nodes
        m = len(st.edge)
        e = st.edge
        L = self.net.edge_length[e]
        spd = 3.6 / self.kmh[e]
        virt = n2 + np.arange(m)
        # towards u means travelling the edge backwards (v -> u), towards v forwards
        ok_u, ok_v = self.back[e], self.fwd[e]
        vr = np.concatenate([virt[ok_u], virt[ok_v]])
        vc = np.concatenate([self.net.edge_u[e][ok_u], self.net.edge_v[e][ok_v]])
        vd = np.concatenate(
            [((st.frac * L + st.dist) * spd)[ok_u], (((1 - st.frac) * L + st.dist) * spd)[ok_v]]
        )
        rows = np.concatenate([self.rows, vr])
        cols = np.concatenate([self.cols, vc])
        data = np.concatenate([self.data, vd])
        rec = np.concatenate([self.rec, np.full(len(vr), -2)])
        mat, keys, sel = _min_csr(rows, cols, data, n2 + m)
        dist, pred, src = dijkstra(mat, indices=virt, min_only=True, return_predecessors=True)
        return _Search(dist, pred, src, keys, rec[sel], n2 + m)

    def ends(self, st: _Snap, dist: np.ndarray, src: np.ndarray, places: np.ndarray) -> list[_End]:
        """The best way into each place: by vehicle to the road, or on foot along a path."""
        n = self.net.n_nodes
        n2 = 2 * n
        u, v, L = self.net.edge_u, self.net.edge_v, self.net.edge_length
        out: list[_End] = []
        pv = self.snap(places, vehicle=True)
        pw = self.snap(places, vehicle=False)
        walk_spm = 3.6 / self.walk_kmh
        off = self.off_spm
        for i in range(len(places)):
            cands: list[_End] = []
            # A: by vehicle to the nearest drivable road point, then straight on foot
            e, f, d = int(pv.edge[i]), float(pv.frac[i]), float(pv.dist[i])
            spd = 3.6 / self.kmh[e]
            if self.fwd[e]:  # arrive from u
                c = dist[u[e]] + f * L[e] * spd + d * off
                cands.append(_End(c, int(u[e]), "drive", e, 0.0, f, d, int(src[u[e]]) - n2))
            if self.back[e]:
                c = dist[v[e]] + (1 - f) * L[e] * spd + d * off
                cands.append(_End(c, int(v[e]), "drive", e, 1.0, f, d, int(src[v[e]]) - n2))
            # the same edge as a station: straight along it
            for k in np.flatnonzero(st.edge == e):
                fs = float(st.frac[k])
                if (f >= fs and self.fwd[e]) or (f < fs and self.back[e]):
                    c = (abs(f - fs) * L[e] + st.dist[k]) * spd + d * off
                    cands.append(_End(c, -1, "drive", e, fs, f, d, int(k)))
            # B: on foot along the nearest walkable edge (paths included)
            e, f, d = int(pw.edge[i]), float(pw.frac[i]), float(pw.dist[i])
            c = dist[n + u[e]] + f * L[e] * walk_spm + d * off
            cands.append(_End(c, int(n + u[e]), "walk", e, 0.0, f, d, int(src[n + u[e]]) - n2))
            c = dist[n + v[e]] + (1 - f) * L[e] * walk_spm + d * off
            cands.append(_End(c, int(n + v[e]), "walk", e, 1.0, f, d, int(src[n + v[e]]) - n2))
            best = min(cands, key=lambda x: x.cost)
            if not np.isfinite(best.cost):
                best = _End(np.inf, -1, "none", -1, 0.0, 0.0, best.snap_m, -1)
            out.append(best)
        return out

    def trace(self, st: _Snap, sr: _Search, end: _End, place_xy: np.ndarray) -> dict[str, Any]:
        """Times, lengths and the drive and walk geometries of one route."""
        net = self.net
        n = net.n_nodes
        pred, dist = sr.pred, sr.dist
        keys, rec_of, N = sr.keys, sr.rec, sr.size
        geoms = net.edge_geometries()
        k = end.station
        drive_c: list[np.ndarray] = [st.xy[k][None, :]]
        walk_c: list[np.ndarray] = []
        drive_m = float(st.dist[k])
        walk_m = 0.0
        drive_s = 0.0

        def part(e: int, a: float, b: float) -> np.ndarray:
            g = geoms[e]
            if a == b:
                p = shapely.line_interpolate_point(g, a, normalized=True)
                return shapely.get_coordinates(p)
            return shapely.get_coordinates(substring(g, a, b, normalized=True))

        if end.node == -1:  # same edge as the station
            drive_c.append(part(end.edge, float(st.frac[k]), end.frac_to))
            drive_m += abs(end.frac_to - float(st.frac[k])) * float(net.edge_length[end.edge])
            drive_s = end.cost - end.snap_m * self.off_spm
        else:
            path = [end.node]
            while pred[path[-1]] >= 0:
                path.append(int(pred[path[-1]]))
            path = path[::-1]  # virtual station node first
            first = path[1]
            e0 = int(st.edge[k])
            to_frac = 0.0 if first == net.edge_u[e0] else 1.0
            drive_c.append(part(e0, float(st.frac[k]), to_frac))
            drive_m += abs(to_frac - float(st.frac[k])) * float(net.edge_length[e0])
            last_drive = first
            for a, b in itertools.pairwise(path[1:]):
                pos = int(np.searchsorted(keys, a * N + b))
                r = int(rec_of[pos])
                if r < 0:  # leaving the vehicle
                    continue
                c = shapely.get_coordinates(geoms[r])
                na = a % n
                c = c if net.edge_u[r] == na else c[::-1]
                if b < n:
                    drive_c.append(c)
                    drive_m += float(net.edge_length[r])
                    last_drive = b
                else:
                    walk_c.append(c)
                    walk_m += float(net.edge_length[r])
            drive_s = float(dist[last_drive])
            L = float(net.edge_length[end.edge])
            tail = part(end.edge, end.frac_from, end.frac_to)
            if end.mode == "drive":
                drive_c.append(tail)
                drive_m += abs(end.frac_to - end.frac_from) * L
                drive_s = end.cost - end.snap_m * self.off_spm
            else:
                if not walk_c:
                    walk_c.append(np.array([[net.x[last_drive], net.y[last_drive]]]))
                walk_c.append(tail)
                walk_m += abs(end.frac_to - end.frac_from) * L
        road_pt = (walk_c[-1] if walk_c else drive_c[-1])[-1:]
        walk_c.append(np.vstack([road_pt, place_xy[None, :]]))
        walk_m += end.snap_m

        def line(parts: list[np.ndarray]) -> shapely.LineString:
            c = np.vstack(parts) if parts else np.zeros((0, 2))
            if len(c) < 2:
                return shapely.LineString()
            keep = np.r_[True, np.any(np.diff(c, axis=0) != 0, axis=1)]
            c = c[keep]
            return shapely.LineString(c) if len(c) >= 2 else shapely.LineString()

        return {
            "drive_s": drive_s,
            "walk_s": end.cost - drive_s,
            "drive_m": drive_m,
            "walk_m": walk_m,
            "drive_geom": line(drive_c),
            "walk_geom": line(walk_c),
        }


# engines built for a network, by options (dropped with the network)
_ENGINES: weakref.WeakKeyDictionary[Network, dict[Any, _Engine]] = weakref.WeakKeyDictionary()


def _engine(
    network: Network,
    speeds: Mapping[str, float] | None,
    unpaved_factor: float | None,
    walk_speed_kmh: float | None,
    off_road_detour: float | None = None,
) -> _Engine:
    if not isinstance(network, Network):
        raise InputError(
            "network: pass a pata_gis.network.Network (e.g. Network.from_lines(roads))."
        )
    key = (
        tuple(sorted((str(k), float(v)) for k, v in (speeds or {}).items())),
        unpaved_factor,
        walk_speed_kmh,
        off_road_detour,
    )
    per_net = _ENGINES.setdefault(network, {})
    if key in per_net:
        return per_net[key]
    per_net[key] = eng = _Engine.build(
        network,
        speeds=speeds,
        unpaved_factor=unpaved_factor,
        walk_speed_kmh=walk_speed_kmh,
        off_road_detour=off_road_detour,
    )
    return eng


def _stations_of(stations: gpd.GeoDataFrame, kind: str, kind_column: str) -> gpd.GeoDataFrame:
    sub = stations[stations[kind_column].astype(str) == kind]
    if len(sub) == 0:
        raise InputError(
            f"stations: no row with {kind_column} = {kind!r}; kinds present: "
            f"{_station_kinds(stations, kind_column)}."
        )
    return sub


def _places_frame(
    places: gpd.GeoDataFrame | Mapping[str, gpd.GeoDataFrame],
) -> gpd.GeoDataFrame:
    if isinstance(places, Mapping):
        parts = []
        for layer, gdf in places.items():
            if len(gdf) == 0:
                continue
            g = crs.to_metric(gdf, name=str(layer)).copy()
            g["layer"] = str(layer)
            parts.append(g)
        if not parts:
            raise InputError("places: every layer given is empty; pass settlements or sites.")
        out = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=settings.metric_crs)
        return out
    if len(places) == 0:
        raise InputError("places: the layer is empty; pass settlements or candidate sites.")
    return places


# --------------------------------------------------------------------------- analysis
def response_coverage(
    places: gpd.GeoDataFrame | Mapping[str, gpd.GeoDataFrame],
    stations: gpd.GeoDataFrame,
    network: Network,
    *,
    target_min: float | Mapping[str, float] | None = None,
    speeds: Mapping[str, float] | None = None,
    unpaved_factor: float | None = None,
    walk_speed_kmh: float | None = None,
    off_road_detour: float | None = None,
    kinds: Sequence[str] | None = None,
    kind_column: str = "kind",
    name_column: str = "name",
) -> pd.DataFrame:
    """Response time from the nearest station of each service to every place.

    One multi-source search per service kind over the two-layer
    (vehicle, foot) graph described in the module notes.

    Parameters
    ----------
    places : GeoDataFrame or dict of str to GeoDataFrame
        Settlements, candidate sites... (polygons at their representative
        point). A dict (``{"settlements": ..., "candidate_sites": ...}``) adds
        a ``layer`` column.
    stations : GeoDataFrame
        The ``emergency_services`` layer: points with ``kind`` (police,
        local_police, fire, ambulance) and ``name``.
    network : Network
        E.g. ``Network.from_lines(roads)`` of the workspace roads with the
        community-mapped paths.
    target_min : float or dict, optional
        Target minutes per kind (one number for all); default
        :data:`TARGET_MIN` (see :data:`TARGET_SOURCES`).
    speeds : dict, optional
        Edge kind -> emergency-vehicle km/h, overriding
        :data:`EMERGENCY_SPEEDS_KMH`.
    unpaved_factor : float, optional
        Default :data:`UNPAVED_FACTOR` (0.6) on :data:`UNPAVED_KINDS`.
    walk_speed_kmh : float, optional
        The crew's walk off the drivable roads; default the network's.
    off_road_detour : float, optional
        Factor on the straight walk from the mapped network to the place;
        default :data:`OFF_ROAD_DETOUR` (1.4).
    kinds : list of str, optional
        Service kinds to compute; default every kind present.
    kind_column, name_column : str
        Columns of `stations` (and `places` for the name).

    Returns
    -------
    DataFrame
        One row per place and kind: ``place_index`` (position in `places`),
        ``place`` (its name), (``layer``), ``kind``,
        ``station``, ``time_min``, ``drive_min``, ``walk_min``, ``drive_m``,
        ``walk_m`` (off the drivable roads, straight stretch included),
        ``station_snap_m``, ``place_snap_m``, ``on_network`` (false when the
        place is farther than :data:`OFF_NETWORK_M` from every mapped way),
        ``target_min``,
        ``beyond_target`` (also true when unreachable) and ``reachable``.
        Unreachable places have ``inf`` times and no station.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from pata_gis.network import Network
    >>> from pata_gis.specs import load_catalogue
    >>> cat = load_catalogue()
    >>> roads, homes, stations = (
    ...     gpd.read_file(cat[n].bundled) for n in ("roads", "settlements", "emergency_services"))
    >>> net = Network.from_lines(roads)  # the community paths are in `roads`
    >>> cov = response_coverage(homes, stations, net)  # doctest: +SKIP
    >>> cov.pivot(index="place", columns="kind", values="time_min")  # doctest: +SKIP
    """
    eng = _engine(network, speeds, unpaved_factor, walk_speed_kmh, off_road_detour)
    pl = _places_frame(places)
    xy = _points(pl, "places")
    pnames = _names(pl, name_column, "place")
    targets = _targets(target_min)
    todo = list(kinds) if kinds is not None else _station_kinds(stations, kind_column)
    rows: list[dict[str, Any]] = []
    for kind in todo:
        sub = _stations_of(stations, kind, kind_column)
        snames = _names(sub, name_column, kind)
        st = eng.snap(_points(sub, f"stations ({kind})"), vehicle=True)
        sr = eng.search(st)
        ends = eng.ends(st, sr.dist, sr.src, xy)
        target = targets.get(kind, float("nan"))
        for i, end in enumerate(ends):
            row: dict[str, Any] = {"place_index": i, "place": pnames[i]}
            if "layer" in pl.columns:
                row["layer"] = pl["layer"].iloc[i]
            ok = bool(np.isfinite(end.cost))
            tr = eng.trace(st, sr, end, xy[i]) if ok else None
            t_min = end.cost / 60.0 if ok else math.inf
            row.update(
                kind=kind,
                station=snames[end.station] if ok else None,
                time_min=t_min,
                drive_min=tr["drive_s"] / 60.0 if tr else math.inf,
                walk_min=tr["walk_s"] / 60.0 if tr else math.inf,
                drive_m=tr["drive_m"] if tr else math.inf,
                walk_m=tr["walk_m"] if tr else math.inf,
                station_snap_m=float(st.dist[end.station]) if ok else math.nan,
                place_snap_m=end.snap_m,
                on_network=bool(end.snap_m <= OFF_NETWORK_M),
                target_min=target,
                beyond_target=bool(not ok or t_min > target),
                reachable=ok,
            )
            rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs["targets_min"] = {k: targets.get(k) for k in todo}
    out.attrs["walk_speed_kmh"] = eng.walk_kmh
    return out


def access_routes(
    place: gpd.GeoDataFrame | gpd.GeoSeries | shapely.Geometry,
    stations: gpd.GeoDataFrame,
    network: Network,
    *,
    kind: str,
    max_stations: int | None = None,
    speeds: Mapping[str, float] | None = None,
    unpaved_factor: float | None = None,
    walk_speed_kmh: float | None = None,
    off_road_detour: float | None = None,
    kind_column: str = "kind",
    name_column: str = "name",
    crs_of_place: str | None = None,
) -> gpd.GeoDataFrame:
    """The routes from the stations of one service to one place, fastest first.

    Parameters
    ----------
    place : GeoDataFrame, GeoSeries or shapely geometry
        One feature (the first is used); a bare geometry is in
        `crs_of_place` (default EPSG:3844).
    stations, network, speeds, unpaved_factor, walk_speed_kmh, off_road_detour
        As in :func:`response_coverage`.
    kind_column, name_column
        As in :func:`response_coverage`.
    kind : str
        The service kind (``"police"``, ``"ambulance"``...).
    max_stations : int, optional
        Keep the routes of this many stations (1 = the nearest only); default all.

    Returns
    -------
    GeoDataFrame
        In EPSG:3844, one row per leg of each route: ``station``, ``rank``
        (1 = fastest), ``leg`` (``"drive"``: station to where the crew leaves
        the vehicle; ``"walk"``: on foot to the place, along paths and straight
        off them), ``time_min`` and ``length_m`` of the leg, and
        ``total_min`` of the route. Unreachable stations give no rows.
    """
    if isinstance(place, shapely.Geometry):
        gdf = gpd.GeoDataFrame(geometry=[place], crs=crs_of_place or settings.metric_crs)
    elif isinstance(place, gpd.GeoSeries):
        gdf = gpd.GeoDataFrame(geometry=place.iloc[:1])
    else:
        gdf = place.iloc[:1]
    if len(gdf) == 0:
        raise InputError("access_routes: the place is empty; pass one feature.")
    eng = _engine(network, speeds, unpaved_factor, walk_speed_kmh, off_road_detour)
    xy = _points(gdf, "place")
    sub = _stations_of(stations, kind, kind_column)
    snames = _names(sub, name_column, kind)
    sxy = _points(sub, f"stations ({kind})")
    found: list[dict[str, Any]] = []
    for k in range(len(sub)):
        st = eng.snap(sxy[k : k + 1], vehicle=True)
        sr = eng.search(st)
        end = eng.ends(st, sr.dist, sr.src, xy)[0]
        if not np.isfinite(end.cost):
            continue
        tr = eng.trace(st, sr, end, xy[0])
        found.append({"station": snames[k], "total_min": end.cost / 60.0, **tr})
    found.sort(key=lambda r: r["total_min"])
    if max_stations is not None:
        found = found[: max(0, int(max_stations))]
    rows = []
    for rank, r in enumerate(found, 1):
        for leg in ("drive", "walk"):
            geom = r[f"{leg}_geom"]
            if leg == "walk" and r["walk_m"] <= 0:
                continue
            rows.append(
                {
                    "station": r["station"],
                    "kind": kind,
                    "rank": rank,
                    "leg": leg,
                    "time_min": r[f"{leg}_s"] / 60.0,
                    "length_m": r[f"{leg}_m"],
                    "total_min": r["total_min"],
                    "geometry": geom,
                }
            )
    cols = ["station", "kind", "rank", "leg", "time_min", "length_m", "total_min", "geometry"]
    return gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=cols), geometry="geometry", crs=settings.metric_crs
    )


def _union_cells(cells: np.ndarray) -> shapely.Geometry:
    """Union of Voronoi cells: the fast coverage union, checked, else the general one."""
    out = shapely.coverage_union_all(cells)
    return out if shapely.is_valid(out) else shapely.union_all(cells)


def _band_labels(bands: Sequence[float]) -> list[str]:
    labels, lo = [], 0.0
    for hi in bands:
        labels.append(f"{lo:g}–{hi:g} min")
        lo = hi
    labels.append(f"> {lo:g} min")
    return labels


def coverage_zones(
    stations: gpd.GeoDataFrame,
    network: Network,
    *,
    kind: str,
    extent: tuple[float, float, float, float] | shapely.Geometry | None = None,
    bands_min: Sequence[float] | None = None,
    spacing_m: float | None = None,
    max_off_road_m: float | None = None,
    speeds: Mapping[str, float] | None = None,
    unpaved_factor: float | None = None,
    walk_speed_kmh: float | None = None,
    kind_column: str = "kind",
    name_column: str = "name",
) -> gpd.GeoDataFrame:
    """Which station of a service covers which zone, with time bands.

    Points every `spacing_m` along the network get the response time of the
    search (vehicle, then on foot) and the station that reaches them first; a
    Voronoi diagram of the points, clipped to `extent` and to
    `max_off_road_m` around the network, dissolved by station and band, gives
    the zones. A zone's band is the time at the nearest network point: add
    the walk from the road for places inside it.

    Parameters
    ----------
    stations, network, speeds, unpaved_factor, walk_speed_kmh, kind_column, name_column
        As in :func:`response_coverage`.
    kind : str
        The service kind.
    extent : tuple or shapely geometry, optional
        ``(minx, miny, maxx, maxy)`` or a polygon in EPSG:3844; default the
        network's bounds.
    bands_min : list of float, optional
        Upper band edges (minutes); default :data:`BANDS_MIN`.
    spacing_m : float, optional
        Default :data:`ZONE_SPACING_M` (50 m); coarser on big networks (at
        most about 60 000 points: about 3 s for 30 000 edges).
    max_off_road_m : float, optional
        Default :data:`ZONE_MAX_OFF_ROAD_M` (400 m).

    Returns
    -------
    GeoDataFrame
        In EPSG:3844, one row per station and band: ``kind``, ``station``,
        ``band`` (label), ``band_lo_min``, ``band_hi_min``, ``area_km2``.
        Points no station reaches form rows with ``station`` None and band
        ``"unreachable"``.
    """
    bands = tuple(float(b) for b in (BANDS_MIN if bands_min is None else bands_min))
    if not bands or any(b <= 0 for b in bands) or list(bands) != sorted(bands):
        raise InputError(f"bands_min={bands_min!r}; give increasing positive minutes.")
    spacing = float(ZONE_SPACING_M if spacing_m is None else spacing_m)
    off = float(ZONE_MAX_OFF_ROAD_M if max_off_road_m is None else max_off_road_m)
    if spacing <= 0 or off <= 0:
        raise InputError("spacing_m and max_off_road_m must be positive distances (m).")
    eng = _engine(network, speeds, unpaved_factor, walk_speed_kmh)
    net = eng.net
    sub = _stations_of(stations, kind, kind_column)
    snames = _names(sub, name_column, kind)
    st = eng.snap(_points(sub, f"stations ({kind})"), vehicle=True)
    sr = eng.search(st)
    dist, src = sr.dist, sr.src
    n = net.n_nodes
    n2 = 2 * n
    use = np.flatnonzero(net.edge_walk | eng.fwd | eng.back)
    geoms = net.edge_geometries()[use]
    glen = shapely.length(geoms)
    spacing = max(spacing, float(glen.sum()) / _ZONE_MAX_POINTS)  # big networks: coarser
    npts = np.maximum(np.ceil(glen / spacing), 1).astype(np.int64) + 1
    ei = np.repeat(use, npts)
    j = np.arange(len(ei)) - np.repeat(np.cumsum(npts) - npts, npts)
    f = j / np.repeat(npts - 1, npts)
    pts = shapely.line_interpolate_point(net.edge_geometries()[ei], f, normalized=True)
    u, v, L = net.edge_u[ei], net.edge_v[ei], net.edge_length[ei]
    walk_spm = 3.6 / eng.walk_kmh
    spd = 3.6 / eng.kmh[ei]
    walk_ok = net.edge_walk[ei]
    opts = np.column_stack(
        [
            np.where(walk_ok, dist[n + u] + f * L * walk_spm, np.inf),
            np.where(walk_ok, dist[n + v] + (1 - f) * L * walk_spm, np.inf),
            np.where(eng.fwd[ei], dist[u] + f * L * spd, np.inf),
            np.where(eng.back[ei], dist[v] + (1 - f) * L * spd, np.inf),
        ]
    )
    via = np.column_stack([n + u, n + v, u, v])
    best = np.argmin(opts, axis=1)
    rr = np.arange(len(ei))
    t = opts[rr, best] / 60.0
    s = src[via[rr, best]] - n2
    s = np.where(np.isfinite(t), s, -1)
    # one point per position: the fastest
    xy = shapely.get_coordinates(pts)
    key = np.round(xy, 1)
    order = np.lexsort((t, key[:, 1], key[:, 0]))
    ks = key[order]
    first = np.r_[True, np.any(ks[1:] != ks[:-1], axis=1)]
    keep = order[first]
    xy, t, s = xy[keep], t[keep], s[keep]
    if extent is None:
        minx, miny = xy.min(axis=0) - off
        maxx, maxy = xy.max(axis=0) + off
        area = shapely.box(minx, miny, maxx, maxy)
    elif isinstance(extent, shapely.Geometry):
        area = extent
    else:
        area = shapely.box(*(float(c) for c in extent))
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=area, ordered=True)
    )
    if len(cells) != len(xy):  # pragma: no cover - shapely keeps the order with ordered=True
        raise InputError("coverage_zones: the Voronoi diagram lost points; use a larger spacing_m.")
    # within `off` of the network = each cell within `off` of its own point
    # (exact for the sample points, within spacing / 2 of the lines)
    reach = shapely.buffer(shapely.points(xy), off, quad_segs=8)
    whole = shapely.intersection(cells, area)
    clipped = shapely.intersection(whole, reach)
    labels = _band_labels(bands)
    edges = np.r_[0.0, bands, np.inf]
    band_i = np.searchsorted(np.asarray(bands), t, side="left")
    df = pd.DataFrame(
        {
            "station": [snames[k] if k >= 0 else None for k in s],
            "band": [
                labels[b] if np.isfinite(tt) else "unreachable"
                for b, tt in zip(band_i, t, strict=True)
            ],
            "band_lo_min": [
                edges[b] if np.isfinite(tt) else np.inf for b, tt in zip(band_i, t, strict=True)
            ],
            "band_hi_min": [
                edges[b + 1] if np.isfinite(tt) else np.inf for b, tt in zip(band_i, t, strict=True)
            ],
        }
    )
    df["station"] = df["station"].fillna("—")
    # the clipped cells' shared edges are noded differently after the overlay and
    # would leave seams: dissolve the whole cells (exact shared edges) and cut
    # them with the dissolved clipped cells, closed by 5 cm
    keys = ["station", "band"]
    groups = df.groupby(keys, sort=False).indices
    first = [int(ix[0]) for ix in groups.values()]
    clean = gpd.GeoDataFrame(
        df.iloc[first].reset_index(drop=True),
        # Voronoi cells are a coverage (edges shared exactly): the fast union
        geometry=[_union_cells(whole[ix]) for ix in groups.values()],
        crs=settings.metric_crs,
    )
    cut = [shapely.union_all(clipped[ix]) for ix in groups.values()]
    shut = shapely.buffer(np.asarray(cut, dtype=object), 0.05)
    out = clean.set_geometry(shapely.intersection(clean.geometry.values, shut))
    out = out[~out.geometry.is_empty]
    out["station"] = out["station"].replace("—", None)
    out.insert(0, "kind", kind)
    out["area_km2"] = out.geometry.area / 1e6
    out = out.sort_values(["station", "band_lo_min"], na_position="last").reset_index(drop=True)
    cols = ["kind", "station", "band", "band_lo_min", "band_hi_min", "area_km2", "geometry"]
    return gpd.GeoDataFrame(out[cols], geometry="geometry", crs=settings.metric_crs)


# --------------------------------------------------------------------------- meeting points
def check_meeting_points(points: gpd.GeoDataFrame, *, name: str = "meeting_points") -> None:
    """Refuse meeting points that name a person or carry a phone number or e-mail.

    ``contact_role`` must be one of :data:`CONTACT_ROLES` (a role, never a
    person); no text field may hold something that looks like a phone number
    or an e-mail address. Names of people cannot be detected reliably: the
    spec and the form say not to write them.

    Raises
    ------
    ValidationError
        Naming the row and the field, and the fix.
    """
    if "kind" in points.columns:
        bad = ~points["kind"].isna() & ~points["kind"].astype(str).isin(MEETING_KINDS)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ValidationError(
                f"{name}, row {i}: kind {points['kind'].iloc[i]!r}; use one of "
                f"{', '.join(MEETING_KINDS)}."
            )
    if "contact_role" in points.columns:
        vals = points["contact_role"]
        bad = ~vals.isna() & ~vals.astype(str).isin(CONTACT_ROLES)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ValidationError(
                f"{name}, row {i}: contact_role {vals.iloc[i]!r} is not a role; use one of "
                f"{', '.join(CONTACT_ROLES)} (never a person's name or number: the plan is "
                "printed)."
            )
    for col in points.columns:
        if col == points.geometry.name or (
            not pd.api.types.is_object_dtype(points[col])
            and not pd.api.types.is_string_dtype(points[col])
        ):
            continue
        for i, v in enumerate(points[col]):
            if isinstance(v, str) and (_PHONE.search(_ISO_DATE.sub(" ", v)) or _EMAIL.search(v)):
                raise ValidationError(
                    f"{name}, row {i}, field {col!r}: looks like a phone number or e-mail "
                    "address; write the contact's role (contact_role) instead, and keep "
                    "numbers in the meeting's own contact list, not in the map."
                )


def meeting_points_view(points: gpd.GeoDataFrame, privacy_level: str) -> gpd.GeoDataFrame:
    """The meeting points and safe places an audience may see.

    Safe houses (``kind = "safe_house"``) are kept only for the roles in
    :data:`SAFE_HOUSE_ROLES` (the community and the police); for planners and
    the public they are dropped entirely (not masked: a masked safe house in
    a place of 300 families is still found). The public gets no meeting
    points at all (the layer is restricted). ``notes`` are kept only for the
    community and the police.

    Parameters
    ----------
    points : GeoDataFrame
        The ``meeting_points`` layer.
    privacy_level : str
        A printout level of :data:`pata_gis.printing.PRIVACY_LEVELS`
        (``"public"``, ``"police"``, ``"planner"``, ``"community"``...).

    Returns
    -------
    GeoDataFrame
        What may be shown; ``attrs["n_omitted"]`` says how many were left out
        (for the audit, not for print below the police level).
    """
    from pata_gis.printing import PRIVACY_LEVELS

    if privacy_level not in PRIVACY_LEVELS:
        raise InputError(f"privacy_level {privacy_level!r}; use one of {sorted(PRIVACY_LEVELS)}.")
    role = PRIVACY_LEVELS[privacy_level]
    check_meeting_points(points)
    keep = np.ones(len(points), bool)
    if privacy.max_level(role, "restricted") != "raw":
        keep[:] = False
    elif role not in SAFE_HOUSE_ROLES and "kind" in points.columns:
        keep &= points["kind"].astype(str).to_numpy() != "safe_house"
    out = points[keep].copy()
    if role not in SAFE_HOUSE_ROLES and "notes" in out.columns:
        out = out.drop(columns=["notes"])
    out.attrs = {"n_omitted": int((~keep).sum()), "sensitivity": "restricted"}
    return out


# --------------------------------------------------------------------------- the PDF
_H: dict[str, dict[str, str]] = {
    "title": {"ro": "Plan de siguranță — Pata Rât", "en": "Safety plan — Pata Rât"},
    "s1": {"ro": "1. Despre acest plan", "en": "1. About this plan"},
    "s2": {
        "ro": "2. Hartă de ansamblu: stații, trasee, timpi",
        "en": "2. Overview map: stations, routes, times",
    },
    "s2a": {
        "ro": "2a. Hartă de detaliu: comunități, poteci, puncte de întâlnire",
        "en": "2a. Detail map: communities, paths, meeting points",
    },
    "s2b": {"ro": "2b. Zone cu risc ridicat (agregate)", "en": "2b. High-risk zones (aggregated)"},
    "s3": {"ro": "3. Timpi de intervenție", "en": "3. Response times"},
    "s4": {"ro": "4. Cine acoperă ce zonă", "en": "4. Who covers which zone"},
    "s5": {
        "ro": "5. Puncte de întâlnire și locuri sigure",
        "en": "5. Meeting points and safe places",
    },
    "s6": {
        "ro": "6. Ipoteze, surse și confidențialitate",
        "en": "6. Assumptions, sources and privacy",
    },
}

_W: dict[str, dict[str, str]] = {
    "date": {"ro": "Data", "en": "Date"},
    "communities": {"ro": "Comunități", "en": "Communities"},
    "sites": {"ro": "Amplasamente candidate", "en": "Candidate sites"},
    "privacy": {"ro": "Nivel de confidențialitate", "en": "Privacy level"},
    "who": {"ro": "Întocmit de", "en": "Prepared by"},
    "none": {"ro": "niciunul", "en": "none"},
    "place": {"ro": "Loc", "en": "Place"},
    "service": {"ro": "Serviciu", "en": "Service"},
    "station": {"ro": "Stația cea mai apropiată", "en": "Nearest station"},
    "time": {"ro": "Timp (min)", "en": "Time (min)"},
    "drive": {"ro": "Condus (min)", "en": "Drive (min)"},
    "walk": {"ro": "Pe jos (m)", "en": "On foot (m)"},
    "target": {"ro": "Țintă (min)", "en": "Target (min)"},
    "flag": {"ro": "Peste țintă", "en": "Beyond target"},
    "yes": {"ro": "DA", "en": "YES"},
    "no": {"ro": "nu", "en": "no"},
    "unreach": {"ro": "NEACCESIBIL", "en": "UNREACHABLE"},
    "zone_station": {"ro": "Stația", "en": "Station"},
    "covers": {"ro": "Comunități acoperite", "en": "Communities covered"},
    "area": {"ro": "Suprafață (km²)", "en": "Area (km²)"},
    "band": {"ro": "Interval", "en": "Band"},
    "name": {"ro": "Nume", "en": "Name"},
    "kind": {"ro": "Tip", "en": "Kind"},
    "community": {"ro": "Comunitate", "en": "Community"},
    "contact": {"ro": "Contact (rol)", "en": "Contact (role)"},
    "cell": {"ro": "Celula", "en": "Cell"},
    "n_risk_marks": {"ro": "Semnalări de risc", "en": "Risk marks"},
    "n_incidents": {"ro": "Incidente", "en": "Incidents"},
    "n_risk_paths": {"ro": "Trasee de risc", "en": "Risk paths"},
    "n_risk_areas": {"ro": "Zone de risc", "en": "Risk areas"},
    "police": {"ro": "Poliție", "en": "Police"},
    "local_police": {"ro": "Poliția locală", "en": "Local police"},
    "fire": {"ro": "Pompieri (ISU)", "en": "Fire (ISU)"},
    "ambulance": {"ro": "Ambulanță / SMURD", "en": "Ambulance / SMURD"},
    "routes": {"ro": "Traseu", "en": "Route"},
    "zone": {"ro": "Zona", "en": "Zone"},
    "paths": {"ro": "Poteci comunitare", "en": "Community paths"},
    "overview_sub": {
        "ro": "Traseele celei mai apropiate stații a fiecărui serviciu; zone de timp: {kind}",
        "en": "Routes of the nearest station of each service; time zones: {kind}",
    },
    "detail_sub": {
        "ro": "Celule de risc doar agregate (k ≥ 5); poteci cartografiate de comunitate",
        "en": "Risk cells aggregated only (k ≥ 5); paths mapped by the community",
    },
    "brief": {"ro": "Pe scurt", "en": "In brief"},
    "walk_max": {"ro": "Pe jos max. (m)", "en": "On foot max. (m)"},
    "within": {"ro": "În țintă (km²)", "en": "Within target (km²)"},
    "zones_t": {"ro": "Zonele stațiilor", "en": "Station zones"},
    "risk_cells": {
        "ro": "Risc ridicat (celule agregate, k ≥ {k})",
        "en": "High risk (aggregated cells, k ≥ {k})",
    },
}

#: Confidential layers the plan shows only as counts per cell (each layer on its own).
_RISK_LAYERS: tuple[str, ...] = ("risk_marks", "incidents", "risk_paths", "risk_areas")

_ROUTE_COLORS = {
    "police": "#2166ac",
    "local_police": "#5e3c99",
    "fire": "#d7301f",
    "ambulance": "#1a9850",
}
_BAND_COLORS = ("#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027")


def _kind_label(kind: str, lang: str) -> str:
    return _w(kind, lang) if kind in _W else kind


_SHORT = {
    "police": {"ro": "Poliție", "en": "Police"},
    "local_police": {"ro": "Pol. locală", "en": "Local police"},
    "fire": {"ro": "Pompieri", "en": "Fire"},
    "ambulance": {"ro": "Ambulanță", "en": "Ambulance"},
}

_MEETING_WORDS = {
    "meeting_point": {"ro": "punct de întâlnire", "en": "meeting point"},
    "safe_house": {"ro": "loc sigur (casă)", "en": "safe house"},
    "assembly_area": {"ro": "zonă de adunare", "en": "assembly area"},
    "other": {"ro": "altul", "en": "other"},
}


def _short(kind: str, lang: str) -> str:
    return _SHORT.get(kind, {}).get(lang, kind)


def _num(v: float, lang: str) -> str:
    s = f"{v:g}"
    return s.replace(".", ",") if lang == "ro" else s


def _other(lang: str) -> str:
    return "en" if lang == "ro" else "ro"


def _h(key: str, lang: str) -> str:
    """A bilingual heading: the chosen language, then the other."""
    e = _H[key]
    return f"{e[lang]} / {e[_other(lang)]}"


def _w(key: str, lang: str, **fmt: Any) -> str:
    e = _W[key]
    s = e.get(lang) or e["en"]
    return s.format(**fmt) if fmt else s


def _spec(
    name: str,
    geometry: str,
    title: dict[str, str],
    style: dict[str, Any],
    *,
    sensitivity: str = "public",
    source: Mapping[str, str] | None = None,
) -> LayerSpec:
    return LayerSpec(
        name=name,
        geometry=geometry,
        sensitivity=sensitivity,
        title=title,
        style=style,
        source=dict(source or {}),
    )


def _route_layers(
    layers: dict[str, gpd.GeoDataFrame],
    specs: dict[str, LayerSpec],
    routes: Mapping[str, gpd.GeoDataFrame],
    extent: tuple[float, float, float, float],
    lang: str,
) -> int:
    """Add one line layer per service, offset side by side by 0.8 mm at the map's scale.

    Routes of several services along the same road would hide each other; each
    is drawn shifted sideways by a fixed distance on paper. Returns the scale.
    """
    from pata_gis import printing

    fw, fh = printing.map_frame_mm("A4", "landscape")
    scale = printing.nice_scale(extent[2] - extent[0], extent[3] - extent[1], fw, fh)
    step = 0.8 * scale / 1000.0  # metres on the ground for 0.8 mm on paper
    m = len(routes)
    for i, (kd, r) in enumerate(routes.items()):
        off = (i - (m - 1) / 2.0) * step
        shifted = r.copy()
        if off:
            geoms = shapely.offset_curve(shifted.geometry.values, off, join_style="round")
            shifted = shifted.set_geometry(geoms)
        nm = f"route_{kd}"
        layers[nm] = shifted
        specs[nm] = _spec(
            nm,
            "line",
            {lang: f"{_w('routes', lang)}: {_kind_label(kd, lang)}"},
            {"color": _ROUTE_COLORS.get(kd, "#333333"), "weight": 2},
        )
    return scale


def _label_points(
    fig: Any, gdf: gpd.GeoDataFrame, *, size: float, color: str = "#222222", chars: int = 26
) -> None:
    """Write each point's ``name`` beside it on the map of a rendered page."""
    from matplotlib import patheffects

    axes = [a for a in fig.axes if a.get_label() == "map"]
    if not axes or "name" not in gdf.columns or len(gdf) == 0:
        return
    ax = axes[0]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    pts = crs.to_metric(gdf, name="labels").geometry.representative_point()
    for name, p in zip(gdf["name"].astype(str), pts, strict=True):
        if not (x0 <= p.x <= x1 and y0 <= p.y <= y1):
            continue
        text = name if len(name) <= chars else name[: chars - 1] + "…"
        ax.annotate(
            text,
            (p.x, p.y),
            xytext=(4, 3),
            textcoords="offset points",
            fontsize=size,
            color=color,
            clip_on=True,
            zorder=50,
            path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")],
        )


def _load_layers(
    layers: Mapping[str, gpd.GeoDataFrame] | None,
    workspace: Workspace | None,
    specs: Mapping[str, LayerSpec] | None,
) -> tuple[dict[str, gpd.GeoDataFrame], dict[str, LayerSpec]]:
    wanted = (
        "settlements",
        "candidate_sites",
        "roads",
        "emergency_services",
        "meeting_points",
        *_RISK_LAYERS,
        "landfill",
    )
    if (layers is None) == (workspace is None):
        raise InputError("safety_plan_pdf: pass either workspace= or layers= (one of them).")
    if workspace is not None:
        names = set(workspace.layer_names())
        got = {n: workspace.read(n) for n in wanted if n in names}
        sp = dict(specs or workspace.specs())
    else:
        from pata_gis.specs import load_catalogue

        got = {n: g for n, g in (layers or {}).items() if n in wanted}
        sp = dict(load_catalogue()) if specs is None else dict(specs)
    for need in ("settlements", "roads", "emergency_services"):
        if need not in got or len(got[need]) == 0:
            raise InputError(
                f"safety_plan_pdf: the {need!r} layer is missing or empty; add it to the "
                "workspace (the bundled starter layers have it)."
            )
    return got, sp


def _grid_guard(audit: privacy.AuditLog | None, layer: str, cell_m: float, allow: bool) -> bool:
    """Refuse a new cell size for a layer already exported aggregated (differencing)."""
    if audit is None:
        return False
    earlier = sorted(
        {
            float(r["params"]["cell_m"])
            for r in audit.records()
            if r.get("layer") == layer
            and r.get("level") == "aggregated"
            and isinstance(r.get("params"), dict)
            and r["params"].get("cell_m") is not None
            and not math.isclose(float(r["params"]["cell_m"]), cell_m)
        }
    )
    if earlier and not allow:
        raise SensitivityError(
            f"{layer!r} was already exported aggregated on "
            f"{', '.join(f'{c:g}' for c in earlier)} m cells; a {cell_m:g} m grid too would let "
            "the two be subtracted to recover suppressed cells. Print at the same cell_m, or "
            "pass allow_new_grid=True if the earlier export was never shared."
        )
    return bool(earlier)


def _fmt_min(v: float, lang: str) -> str:
    if not math.isfinite(v):
        return "—"
    s = f"{v:.1f}"
    return s.replace(".", ",") if lang == "ro" else s


def safety_plan_pdf(
    path: str | Path,
    *,
    who: str,
    workspace: Workspace | None = None,
    layers: Mapping[str, gpd.GeoDataFrame] | None = None,
    specs: Mapping[str, LayerSpec] | None = None,
    network: Network | None = None,
    lang: str = "ro",
    privacy_level: str = "police",
    audit: privacy.AuditLog | str | Path | None = None,
    date: dt.date | None = None,
    target_min: float | Mapping[str, float] | None = None,
    speeds: Mapping[str, float] | None = None,
    unpaved_factor: float | None = None,
    zones_kind: str = "police",
    k: int | None = None,
    cell_m: float | None = None,
    allow_new_grid: bool = False,
    png: str | Path | None = None,
) -> Path:
    """Write the printable bilingual (ro/en) safety plan as an A4 PDF.

    Sections: (1) about the plan: date, communities and sites covered,
    privacy level, who prepared it; (2) the map: communities, roads with the
    community paths distinguished, stations, the routes of the nearest
    station of each service to each community, the coverage zones of
    `zones_kind`, meeting points (as the audience may see them) and the
    high-risk cells (risk marks and incidents counted on a grid, cells under
    `k` left out) with legend, scale bar, north arrow and sources; (2b) the
    high-risk cells as a table; (3) response times per community/site and
    service with the flags; (4) who covers which zone; (5) meeting points and
    safe places; (6) assumptions, sources and the privacy statement. Every
    heading is printed in `lang` and the other language.

    Risk marks and incidents never appear raw: only their counts per cell,
    with at least `k` (>= 5) marks per shown cell.

    Parameters
    ----------
    path : path-like
        The PDF to write.
    who : str
        Who prepares the plan (printed and audited).
    workspace, layers : optional
        Where the layers come from (one of the two): ``settlements``,
        ``roads`` and ``emergency_services`` are needed; ``candidate_sites``,
        ``meeting_points``, ``risk_marks``, ``incidents``, ``risk_paths`` and
        ``risk_areas`` are used when present (the last four only as counts
        per cell).
    specs : dict, optional
        Layer specs; default the workspace's or the bundled catalogue.
    network : Network, optional
        Default ``Network.from_lines(roads)`` (community paths included).
    lang : {"ro", "en"}
    privacy_level : str
        Default ``"police"`` (a safety meeting). ``"public"`` leaves out
        candidate sites and meeting points; safe houses only appear at
        ``"police"`` and ``"community"``.
    audit : AuditLog or path, optional
        Where to record the export (one record per sensitive layer shown).
    date : datetime.date, optional
        Default today.
    target_min, speeds, unpaved_factor :
        As in :func:`response_coverage`.
    zones_kind : str
        The service whose coverage zones are drawn on the map.
    k : int, optional
        Smallest count of a shown high-risk cell; default
        :data:`pata_gis.privacy.DEFAULT_K` (5); less than 5 is refused.
    cell_m : float, optional
        Cell size (m); default :data:`pata_gis.privacy.DEFAULT_CELL_M`.
    allow_new_grid : bool
        See :func:`pata_gis.privacy.export_view`.
    png : path-like, optional
        Also write the first page as a PNG image (to check or to project).

    Returns
    -------
    Path
    """
    from pata_gis import printing

    if lang not in ("ro", "en"):
        raise InputError(f"lang={lang!r}; the safety plan is printed in 'ro' or 'en'.")
    if not str(who).strip():
        raise InputError("safety_plan_pdf: 'who' is empty; say who prepares the plan.")
    if privacy_level not in printing.PRIVACY_LEVELS:
        raise InputError(
            f"privacy_level {privacy_level!r}; use one of {sorted(printing.PRIVACY_LEVELS)}."
        )
    role = printing.PRIVACY_LEVELS[privacy_level]
    kk = privacy.DEFAULT_K if k is None else int(k)
    if kk < 5:
        raise InputError(f"k={k}: a printed plan shows cells of at least 5 marks (k >= 5).")
    cell = float(privacy.DEFAULT_CELL_M if cell_m is None else cell_m)
    date = date or dt.date.today()
    log_ = (
        None
        if audit is None
        else (audit if isinstance(audit, privacy.AuditLog) else privacy.AuditLog(audit))
    )
    got, sp = _load_layers(layers, workspace, specs)
    other = _other(lang)

    roads = crs.to_metric(got["roads"], name="roads")
    net = network if network is not None else Network.from_lines(roads, source="roads layer")
    settlements = crs.to_metric(got["settlements"], name="settlements")
    stations = crs.to_metric(got["emergency_services"], name="emergency_services")
    places: dict[str, gpd.GeoDataFrame] = {"settlements": settlements}
    sites_ok = (
        "candidate_sites" in got
        and len(got["candidate_sites"])
        and privacy.can_see(role, sp["candidate_sites"].sensitivity, level="raw")
    )
    if sites_ok:
        places["candidate_sites"] = crs.to_metric(got["candidate_sites"], name="candidate_sites")
    cov = response_coverage(
        places,
        stations,
        net,
        target_min=target_min,
        speeds=speeds,
        unpaved_factor=unpaved_factor,
    )
    kinds = _station_kinds(stations, "kind")

    # routes: the nearest station of each service to each community
    route_parts: dict[str, list[gpd.GeoDataFrame]] = {kd: [] for kd in kinds}
    for i in range(len(settlements)):
        for kd in kinds:
            r = access_routes(
                settlements.iloc[i : i + 1],
                stations,
                net,
                kind=kd,
                max_stations=1,
                speeds=speeds,
                unpaved_factor=unpaved_factor,
            )
            if len(r):
                route_parts[kd].append(r)
    routes = {
        kd: gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=settings.metric_crs)
        for kd, parts in route_parts.items()
        if parts
    }

    # map extent: communities, stations, routes
    geoms = [settlements.geometry, stations.geometry] + [r.geometry for r in routes.values()]
    bounds = np.array([g.total_bounds for g in geoms])
    minx, miny = bounds[:, 0].min(), bounds[:, 1].min()
    maxx, maxy = bounds[:, 2].max(), bounds[:, 3].max()
    pad = 0.06 * max(maxx - minx, maxy - miny)
    extent = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    zkind = zones_kind if zones_kind in kinds else kinds[0]
    zones_all = {
        kd: coverage_zones(
            stations, net, kind=kd, extent=extent, speeds=speeds, unpaved_factor=unpaved_factor
        )
        for kd in kinds
    }

    # meeting points as this audience may see them
    mp = got.get("meeting_points")
    mp_view = (
        meeting_points_view(crs.to_metric(mp, name="meeting_points"), privacy_level)
        if mp is not None and len(mp)
        else None
    )

    # high-risk cells: counts per cell, k >= 5, never the marks
    risk_frames: dict[str, gpd.GeoDataFrame] = {}
    audit_params: dict[str, dict[str, Any]] = {}
    for lname in _RISK_LAYERS:
        g = got.get(lname)
        if g is None or len(g) == 0:
            continue
        new_grid = _grid_guard(log_, lname, cell, allow_new_grid)
        view, _lvl = privacy.view_for(role, g, sp[lname], level="aggregated", k=kk, cell_m=cell)
        risk_frames[lname] = view
        audit_params[lname] = {"k": kk, "cell_m": cell, "n_cells": len(view)}
        if new_grid:
            audit_params[lname]["new_grid_allowed"] = True
    risk_cells = None
    if risk_frames:
        parts = []
        for lname, v in risk_frames.items():
            if len(v):
                parts.append(
                    pd.DataFrame({"cell_id": v["cell_id"], lname: v["n"], "geometry": v.geometry})
                )
        if parts:
            merged = parts[0]
            for p in parts[1:]:
                merged = merged.merge(p, on="cell_id", how="outer", suffixes=("", "_r"))
                merged["geometry"] = merged["geometry"].fillna(merged.pop("geometry_r"))
            risk_cells = gpd.GeoDataFrame(merged, geometry="geometry", crs=settings.metric_crs)

    # --- the maps ------------------------------------------------------------
    road_spec = sp["roads"]
    mapped = (
        roads["mapped_by"].astype(str)
        if "mapped_by" in roads.columns
        else pd.Series("", index=roads.index)
    )
    community = mapped == "community"
    base_layers: dict[str, gpd.GeoDataFrame] = {}
    base_specs: dict[str, LayerSpec] = {}
    levels: dict[str, str] = {}
    if "landfill" in got and len(got["landfill"]):
        base_layers["landfill"] = got["landfill"]
        base_specs["landfill"] = sp["landfill"]
    if risk_cells is not None and len(risk_cells):
        base_layers["risk_cells"] = risk_cells
        base_specs["risk_cells"] = _spec(
            "risk_cells",
            "polygon",
            {lang: _w("risk_cells", lang, k=kk)},
            {"color": "#b2182b", "fill_color": "#ef8a62", "fill_opacity": 0.6, "weight": 1.2},
            sensitivity="confidential",
        )
        levels["risk_cells"] = "aggregated"
    base_layers["settlements"] = settlements
    base_specs["settlements"] = sp["settlements"]
    base_layers["roads"] = roads[~community]
    base_specs["roads"] = road_spec
    if community.any():
        base_layers["community_paths"] = roads[community]
        base_specs["community_paths"] = replace(
            road_spec,
            name="community_paths",
            title={lang: _w("paths", lang)},
            style={"color": "#7b3294", "weight": 2, "dash_array": "6 4"},
        )
    base_layers["emergency_services"] = stations
    base_specs["emergency_services"] = sp["emergency_services"]
    if mp_view is not None and len(mp_view) and "meeting_points" in sp:
        base_layers["meeting_points"] = mp_view
        base_specs["meeting_points"] = sp["meeting_points"]
    route_src = [f"{_w('routes', lang)}: pata-gis ({net.source or 'network'})"]
    # overview: the time bands of `zones_kind` under everything
    zones = zones_all[zkind]
    over_layers: dict[str, gpd.GeoDataFrame] = {}
    over_specs: dict[str, LayerSpec] = {}
    for j, (band, zz) in enumerate(
        zones[zones["station"].notna()].groupby("band_lo_min", sort=True)
    ):
        nm = f"band_{j}"
        over_layers[nm] = zz.dissolve()
        over_specs[nm] = _spec(
            nm,
            "polygon",
            {lang: f"{_kind_label(zkind, lang)}: {zz['band'].iloc[0]}"},
            {
                "color": _BAND_COLORS[min(j, len(_BAND_COLORS) - 1)],
                "fill_color": _BAND_COLORS[min(j, len(_BAND_COLORS) - 1)],
                "fill_opacity": 0.28,
                "weight": 0.3,
            },
        )
        del band
    over_layers.update(base_layers)
    over_specs.update(base_specs)
    scale = _route_layers(over_layers, over_specs, routes, extent, lang)
    fig = printing.render_map(
        over_layers,
        over_specs,
        extent=extent,
        scale=scale,
        title=_h("s2", lang),
        subtitle=_w("overview_sub", lang, kind=_kind_label(zkind, lang)),
        lang=lang,
        privacy_level=privacy_level,
        date=date,
        levels=levels,
        sources=route_src,
    )
    # detail: the communities, their paths, meeting points and the high-risk cells
    sb = settlements.total_bounds
    dpad = 350.0
    detail_extent = (sb[0] - dpad, sb[1] - dpad, sb[2] + dpad, sb[3] + dpad)
    det_layers, det_specs = dict(base_layers), dict(base_specs)
    dscale = _route_layers(det_layers, det_specs, routes, detail_extent, lang)
    fig_detail = printing.render_map(
        det_layers,
        det_specs,
        extent=detail_extent,
        scale=dscale,
        title=_h("s2a", lang),
        subtitle=_w("detail_sub", lang),
        lang=lang,
        privacy_level=privacy_level,
        date=date,
        levels=levels,
        sources=route_src,
    )
    _label_points(fig, stations, size=6.0)
    _label_points(fig_detail, stations, size=7.0)
    if mp_view is not None and len(mp_view):
        _label_points(fig_detail, mp_view, size=7.0, color="#1b7837")

    # --- the report ------------------------------------------------------------
    rep = printing.Report(
        lang=lang,
        title=f"{_H['title'][lang]} / {_H['title'][other]}",
        subtitle=f"Pata Rât, Cluj-Napoca · {date.isoformat()} · {privacy_level}",
        privacy_level=privacy_level,
        date=date,
    )
    comm = ", ".join(str(x) for x in settlements.get("name", pd.Series(dtype=str)).astype(str))
    site_names = (
        ", ".join(
            str(x) for x in places["candidate_sites"].get("name", pd.Series(dtype=str)).astype(str)
        )
        if "candidate_sites" in places
        else _w("none", lang)
    )
    rep.add_text(
        _h("s1", lang),
        [
            f"{_w('date', lang)} / {_w('date', other)}: {date.isoformat()}",
            f"{_w('communities', lang)} / {_w('communities', other)}: {comm}",
            f"{_w('sites', lang)} / {_w('sites', other)}: {site_names}",
            f"{_w('privacy', lang)} / {_w('privacy', other)}: {privacy_level} — "
            f"{printing.privacy_text(privacy_level, lang)}",
            f"{_w('who', lang)} / {_w('who', other)}: {str(who).strip()}",
            "",
            *(f"- {_h(s, lang)}" for s in ("s2", "s2a", "s2b", "s3", "s4", "s5", "s6")),
        ],
    )
    intro = {
        "ro": "Planul arată cât de repede ajung echipajele de poliție, pompieri și ambulanță la "
        "fiecare comunitate și pe ce drum, cine acoperă ce zonă și unde sunt punctele de "
        "întâlnire. Timpii sunt estimări pe rețeaua de drumuri (vezi secțiunea 6), de "
        "verificat cu serviciile de urgență în ședință.",
        "en": "The plan shows how fast police, fire and ambulance crews reach each community "
        "and by which road, who covers which zone and where the meeting points are. Times are "
        "estimates on the road network (see section 6), to be checked with the emergency "
        "services at the meeting.",
    }
    rep.add_text("", [intro[lang], intro[other]], new_page=False)
    in_brief = cov[cov["layer"] == "settlements"] if "layer" in cov.columns else cov
    brief: list[str] = []
    for lg in (lang, other):
        for kd in kinds:
            sub = in_brief[in_brief["kind"] == kd]
            t = sub["time_min"]
            over = ", ".join(sub[sub["beyond_target"]]["place"].astype(str)) or _w("none", lg)
            brief.append(
                f"- {_kind_label(kd, lg)}: {_fmt_min(float(t.min()), lg)}–"
                f"{_fmt_min(float(t.max()), lg)} min ({_w('target', lg).split(' ')[0].lower()} "
                f"{_num(float(sub['target_min'].iloc[0]), lg)}); {_w('flag', lg).lower()}: {over}"
            )
    rep.add_text(
        f"{_w('brief', lang)} / {_w('brief', other)}",
        brief,
        new_page=False,
    )
    rep.add_map(fig)
    rep.add_map(fig_detail)

    # 2b high-risk cells
    if risk_cells is not None and len(risk_cells):
        tab = pd.DataFrame(
            {
                _w("cell", lang): risk_cells["cell_id"].astype(str),
                **{
                    _w(f"n_{ln}", lang): risk_cells[ln].astype("Int64")
                    for ln in risk_frames
                    if ln in risk_cells.columns
                },
            }
        )
        rep.add_table(
            tab,
            _h("s2b", lang),
            sensitivity="confidential",
            level="aggregated",
            note=f"k ≥ {kk}, {cell:g} m; "
            + (
                "celulele cu mai puțin de k semnalări nu sunt arătate / cells under k are not shown"
            ),
        )
    else:
        rep.add_text(
            _h("s2b", lang),
            [
                {
                    "ro": "Nicio celulă cu cel puțin {k} semnalări: nimic de arătat.",
                    "en": "No cell with at least {k} marks: nothing to show.",
                }[lang].format(k=kk),
                {
                    "ro": "Nicio celulă cu cel puțin {k} semnalări: nimic de arătat.",
                    "en": "No cell with at least {k} marks: nothing to show.",
                }[other].format(k=kk),
            ],
        )

    # 3 response times: one row per place, one column per service
    def matrix(sub: pd.DataFrame) -> pd.DataFrame:
        out: dict[str, list[str]] = {_w("place", lang): []}
        for kd in kinds:
            out[f"{_short(kd, lang)} (min)"] = []
        out[_w("walk_max", lang)] = []
        for _i, grp in sub.groupby("place_index", sort=False):
            out[_w("place", lang)].append(str(grp["place"].iloc[0]))
            by = {str(k_): r_ for k_, r_ in zip(grp["kind"], grp.to_dict("records"), strict=True)}
            for kd in kinds:
                r = by[kd]
                if not bool(r["reachable"]):
                    cell_ = _w("unreach", lang)
                else:
                    cell_ = _fmt_min(float(r["time_min"]), lang)
                    cell_ += " !" if bool(r["beyond_target"]) else ""
                    cell_ += " *" if not bool(r["on_network"]) else ""
                out[f"{_short(kd, lang)} (min)"].append(cell_)
            wm = grp["walk_m"][np.isfinite(grp["walk_m"])]
            out[_w("walk_max", lang)].append(f"{wm.max():.0f}" if len(wm) else "—")
        return pd.DataFrame(out)

    targets_line = ", ".join(
        f"{_kind_label(kd, lang)} {_fmt_min(cov.attrs['targets_min'][kd], lang)} min"
        for kd in kinds
    )
    legend3 = {
        "ro": f"! = peste țintă ({targets_line}); * = locul e la peste {OFF_NETWORK_M:g} m de "
        "drumurile din strat: timp nesigur. Timp = condus de la stație + pe jos de la drum.",
        "en": f"! = beyond target ({targets_line}); * = the place is more than "
        f"{OFF_NETWORK_M:g} m from the mapped roads: time unreliable. Time = driving from the "
        "station + walking from the road.",
    }
    layer_col = cov["layer"] if "layer" in cov.columns else pd.Series("settlements", cov.index)
    comm_cov = cov[layer_col == "settlements"]
    rep.add_table(
        matrix(comm_cov),
        _h("s3", lang),
        sensitivity="public",
        note=legend3[lang] if len(legend3[lang]) < 130 else "",
        max_chars=30,
    )
    rep.add_text("", [legend3[lang], legend3[other]], new_page=False)
    if "candidate_sites" in places:
        rep.add_table(
            matrix(cov[layer_col == "candidate_sites"]),
            f"{_w('sites', lang)} / {_w('sites', other)}",
            sensitivity=sp["candidate_sites"].sensitivity,
            new_page=False,
            max_chars=30,
        )
    n_beyond = int(comm_cov["beyond_target"].sum())
    summary = {
        "ro": f"{n_beyond} din {len(comm_cov)} perechi comunitate–serviciu sunt peste țintă.",
        "en": f"{n_beyond} of {len(comm_cov)} community–service pairs are beyond target.",
    }
    rep.add_text("", [summary[lang], summary[other]], new_page=False)

    # 4 who covers which zone: the first station of each service per community
    rows4: dict[str, list[str]] = {_w("community", lang): []}
    for kd in kinds:
        rows4[_short(kd, lang)] = []
    for _i, grp in comm_cov.groupby("place_index", sort=False):
        rows4[_w("community", lang)].append(str(grp["place"].iloc[0]))
        names_by = dict(zip(grp["kind"].astype(str), grp["station"], strict=True))
        for kd in kinds:
            st_name = names_by[kd]
            rows4[_short(kd, lang)].append(str(st_name) if st_name else "—")
    rep.add_table(pd.DataFrame(rows4), _h("s4", lang), max_chars=32)
    zone_rows = []
    for kd in kinds:
        z = zones_all[kd]
        for sname, zz in z.groupby("station", dropna=True):
            target = cov.attrs["targets_min"].get(kd, TARGET_MIN.get(kd, 10.0))
            within = zz[zz["band_hi_min"] <= target + 1e-9]["area_km2"].sum()
            zone_rows.append(
                {
                    _w("service", lang): _kind_label(kd, lang),
                    _w("zone_station", lang): str(sname),
                    _w("area", lang): float(zz["area_km2"].sum()),
                    _w("within", lang): float(within),
                }
            )
    zone_note = {
        "ro": "Zona unei stații: locurile la care ajunge prima (rețea + {m:g} m în afara ei).",
        "en": "A station's zone: the places it reaches first (network + {m:g} m off it).",
    }
    rep.add_table(
        pd.DataFrame(zone_rows),
        f"{_w('zones_t', lang)} / {_w('zones_t', other)}",
        note=zone_note[lang].format(m=ZONE_MAX_OFF_ROAD_M),
        new_page=False,
        max_chars=48,
    )

    # 5 meeting points
    s5_para: list[str] = []
    if mp_view is None:
        s5_para = [
            {
                "ro": "Niciun punct de întâlnire înregistrat: de stabilit în ședință.",
                "en": "No meeting point recorded: to be set at the meeting.",
            }[x]
            for x in (lang, other)
        ]
        rep.add_text(_h("s5", lang), s5_para)
    else:
        n_omit = int(mp_view.attrs.get("n_omitted", 0))
        t5 = pd.DataFrame(
            {
                _w("name", lang): mp_view.get("name", pd.Series("—", index=mp_view.index)).astype(
                    str
                ),
                _w("kind", lang): [
                    _MEETING_WORDS.get(str(x), {}).get(lang, str(x))
                    for x in mp_view.get("kind", pd.Series("—", index=mp_view.index))
                ],
                _w("community", lang): mp_view.get("community", pd.Series("—", index=mp_view.index))
                .fillna("—")
                .astype(str),
                _w("contact", lang): mp_view.get(
                    "contact_role", pd.Series("—", index=mp_view.index)
                )
                .fillna("—")
                .astype(str),
            }
        )
        if len(t5):
            rep.add_table(t5, _h("s5", lang), sensitivity="restricted")
        else:
            rep.add_text(_h("s5", lang), [_w("none", lang)])
        if role in SAFE_HOUSE_ROLES:
            note = {
                "ro": "Locurile sigure (safe_house) sunt arătate doar la acest nivel; nu copiați.",
                "en": "Safe houses are shown at this level only; do not copy.",
            }
        else:
            note = {
                "ro": "Locurile sigure nu sunt arătate la acest nivel de confidențialitate.",
                "en": "Safe houses are not shown at this privacy level.",
            }
        rep.add_text("", [note[lang], note[other]], new_page=False)
        if n_omit and role in ("community", "police"):
            log.info("meeting points: %d left out at %s", n_omit, privacy_level)

    # 6 assumptions, sources, privacy
    net_src = net.source or "roads"
    eff_speeds = {**EMERGENCY_SPEEDS_KMH, **{str(a): float(v) for a, v in (speeds or {}).items()}}
    factor = UNPAVED_FACTOR if unpaved_factor is None else float(unpaved_factor)
    walk_kmh = float(cov.attrs["walk_speed_kmh"])
    net_kinds = sorted(set(net.kinds))
    far_stations = (
        cov[cov["station_snap_m"] > OFF_NETWORK_M]
        .drop_duplicates("station")[["station", "station_snap_m"]]
        .itertuples(index=False)
    )
    far = [f"{nm_} ({d_:.0f} m)" for nm_, d_ in far_stations]

    def assumptions(lg: str) -> list[str]:
        words = {
            "speeds": {
                "ro": "Viteze ale vehiculelor de intervenție (ipoteze: cu semnale acustice și "
                "luminoase, în trafic urban), pe tipuri de drum din rețea:",
                "en": "Emergency-vehicle speeds (assumptions: lights and siren, urban traffic), "
                "by the road kinds in the network:",
            },
            "unpaved": {
                "ro": "Drumurile nepavate ({k}) se parcurg la {f} din viteza lor (ipoteză: drumul "
                "de acces spre Dallas și Rampa). Echipajul merge pe jos cu {w} km/h; ultima "
                "porțiune, de la drum sau potecă la loc, în linie dreaptă × {d} (ocolișuri).",
                "en": "Unpaved tracks ({k}) are driven at {f} of their speed (assumption: the "
                "access road to Dallas and Rampa). The crew walks at {w} km/h; the last stretch, "
                "from road or path to the place, straight × {d} (detours).",
            },
            "targets": {"ro": "Ținte de timp:", "en": "Target times:"},
            "accuracy": {"ro": "Precizia datelor:", "en": "Data accuracy:"},
            "far": {
                "ro": "Stații la peste {m} m de drumurile din strat (drumul până la rețea e "
                "estimat în linie dreaptă; completați drumurile): {s}.",
                "en": "Stations more than {m} m from the mapped roads (the way to the network "
                "is estimated straight; complete the roads): {s}.",
            },
            "starter": {
                "ro": "Straturile de pornire (drumuri, stații, comunități) sunt aproximative: "
                "schelet de drumuri după traseele CTP, stații plasate după adrese sau stații de "
                "autobuz, contururi ale comunităților schițate. Nu se ține seama de trafic, "
                "semafoare, bariera de cale ferată, vreme sau disponibilitatea echipajelor.",
                "en": "The starter layers (roads, stations, communities) are approximate: a road "
                "skeleton after the CTP bus routes, stations placed from addresses or bus "
                "stops, sketched community outlines. Traffic, lights, the railway barrier, the "
                "weather and crew availability are not modelled.",
            },
        }
        out = [words["speeds"][lg]]
        out += [
            f"- {kd}: {_num(eff_speeds.get(kd, DEFAULT_EMERGENCY_KMH), lg)} km/h"
            for kd in net_kinds
            if kd not in VEHICLE_BLOCKED_KINDS
        ]
        out.append(
            words["unpaved"][lg].format(
                k=", ".join(sorted(UNPAVED_KINDS)),
                f=_num(factor, lg),
                w=_num(walk_kmh, lg),
                d=_num(OFF_ROAD_DETOUR, lg),
            )
        )
        out.append(words["targets"][lg])
        out += [
            f"- {_kind_label(kd, lg)}: {_num(cov.attrs['targets_min'][kd], lg)} min — "
            f"{TARGET_SOURCES.get(kd, {}).get(lg, '?')}"
            for kd in kinds
        ]
        out.append(words["accuracy"][lg])
        out += [
            f"- {sp[n].label(lg)}: {sp[n].source.get('accuracy', '?')}"
            for n in ("roads", "emergency_services", "settlements")
            if n in sp
        ]
        if far:
            out.append(words["far"][lg].format(m=_num(OFF_NETWORK_M, lg), s="; ".join(far)))
        out.append(words["starter"][lg])
        return out

    a_ro, a_en = assumptions("ro"), assumptions("en")
    priv = {
        "ro": f"Confidențialitate: plan întocmit la nivelul „{privacy_level}”. Semnalările de risc și incidentele "
        f"apar doar numărate pe celule de {cell:g} m, celulele cu mai puțin de {kk} nu sunt arătate; nicio "
        "semnalare individuală nu apare. Locurile sigure apar doar la nivelul poliției și al comunității. "
        "Contactele sunt roluri, niciodată nume sau telefoane.",
        "en": f"Privacy: plan made at the '{privacy_level}' level. Risk marks and incidents appear only as "
        f"counts on {cell:g} m cells; cells under {kk} are not shown; no single mark appears. Safe houses "
        "appear only at the police and community levels. Contacts are roles, never names or phone numbers.",
    }
    credits = printing.credits_for({n: g for n, g in base_layers.items() if n in sp}, sp)
    src = [f"- {c}" for c in credits] + [
        f"- {_w('routes', lang)}: pata-gis ({net_src})",
        "- " + TARGET_SOURCES["ambulance"]["en"],
    ]
    rep.add_text(_h("s6", lang), a_ro if lang == "ro" else a_en)
    rep.add_text("", ([""] + (a_en if lang == "ro" else a_ro)), new_page=False)
    rep.add_text(
        {"ro": "Surse", "en": "Sources"}[lang] + " / " + {"ro": "Surse", "en": "Sources"}[other],
        src,
        new_page=False,
    )
    rep.add_text(
        {"ro": "Confidențialitate", "en": "Privacy"}[lang]
        + " / "
        + {"ro": "Confidențialitate", "en": "Privacy"}[other],
        [priv[lang], priv[other]],
        new_page=False,
    )
    out = rep.save(path)
    if png is not None:
        rep.save_png(png, page=0)
    if log_ is not None:
        sha = privacy.file_sha256(out)
        for lname, params in audit_params.items():
            log_.append(
                privacy.audit_record(
                    who=who,
                    role=role,
                    layer=lname,
                    level="aggregated",
                    n_features=int(params["n_cells"]),
                    destination=out.resolve(),
                    sensitivity=sp[lname].sensitivity,
                    sha256=sha,
                    params=params,
                )
            )
        n_mp = 0 if mp_view is None else len(mp_view)
        log_.append(
            privacy.audit_record(
                who=who,
                role=role,
                layer="safety_plan",
                level="raw",
                n_features=len(cov),
                destination=out.resolve(),
                sensitivity="restricted",
                sha256=sha,
                params={
                    "lang": lang,
                    "privacy_level": privacy_level,
                    "meeting_points": n_mp,
                    "meeting_points_omitted": 0
                    if mp_view is None
                    else mp_view.attrs.get("n_omitted", 0),
                },
            )
        )
    log.info("safety plan %s (%s, %s)", out, lang, privacy_level)
    return out
