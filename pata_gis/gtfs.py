"""Public-transport stops and route shapes from a GTFS feed.

Reads the CTP Cluj-Napoca feed (or any GTFS feed) from a ``stops.txt`` file, a
folder holding the feed's ``.txt`` files, or the feed's ``.zip``. Stops outside
the study area are dropped with a :class:`GTFSWarning` that says how many and
why: the CTP feed carries a stray block of Constanța stops (876–920).

Examples
--------
>>> from pata_gis import gtfs
>>> stops = gtfs.read_stops("cluj-napoca.gtfs.zip")  # doctest: +SKIP
>>> stops.loc[stops.stop_id == "394", "routes"].item()  # doctest: +SKIP
'5, 5N, 8, M42, M42L'
"""

from __future__ import annotations

import logging
import math
import re
import warnings
import zipfile
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pata_gis import settings
from pata_gis._errors import InputError
from pata_gis.messages import Note, note

__all__ = ["GTFSWarning", "read_shapes", "read_stops"]

log = logging.getLogger(__name__)

#: Assumed accuracy (metres) of a GTFS stop position. This is an assumption,
#: not a figure from the feed: the CTP feed gives stop coordinates to 6 decimals
#: (about 0.1 m), but a stop point marks a pole or shelter placed by hand on a
#: map, so we take it as good to about 10 m.
STOP_ACCURACY_M = 10.0

_ATTRIBUTION = "© CTP Cluj-Napoca"

# Places far from Cluj that a stray block of stops is known to come from; used
# only to explain a warning.
_KNOWN_PLACES = {"Constanța": (28.63, 44.18)}


class GTFSWarning(UserWarning):
    """Something in a GTFS feed was dropped or repaired while reading it."""


class _Feed:
    """The tables of a GTFS feed in a zip, a folder or a lone ``stops.txt``."""

    def __init__(self, path: str | Path) -> None:
        p = Path(path)
        self.path = p
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, str] = {}
        self._dir: Path | None = None
        self._stops_name = "stops.txt"
        if not p.exists():
            raise InputError(note("err.gtfs.no_such_path", path=p))
        if p.is_dir():
            self._dir = p
        elif p.suffix.lower() == ".zip":
            if not zipfile.is_zipfile(p):
                raise InputError(note("err.gtfs.not_zip", path=p))
            self._zip = zipfile.ZipFile(p)
            for name in self._zip.namelist():
                base = name.rsplit("/", 1)[-1].lower()
                if base.endswith(".txt") and "__macosx" not in name.lower():
                    self._members.setdefault(base, name)
        else:
            self._dir = p.parent
            self._stops_name = p.name

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> _Feed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has(self, table: str) -> bool:
        if self._zip is not None:
            return table in self._members
        assert self._dir is not None
        name = self._stops_name if table == "stops.txt" else table
        return (self._dir / name).is_file()

    def where(self, table: str) -> str:
        """How to name `table` in messages."""
        if self._zip is not None:
            return f"{self.path} ({self._members.get(table, table)})"
        assert self._dir is not None
        return str(self._dir / (self._stops_name if table == "stops.txt" else table))

    def table(self, table: str, usecols: Iterable[str] | None = None) -> pd.DataFrame:
        """Read `table` as strings; rows longer than the header (trailing comma) are cut."""
        if not self.has(table):
            raise InputError(note("err.gtfs.no_table", path=self.path, table=table))
        wanted = set(usecols) if usecols is not None else None
        kwargs: dict[str, object] = {
            "dtype": str,
            "keep_default_na": False,
            "index_col": False,  # the CTP feed ends every stops.txt row with a comma
            "encoding": "utf-8-sig",
            "skipinitialspace": True,
        }
        if wanted is not None:
            kwargs["usecols"] = lambda c: c.strip() in wanted
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", pd.errors.ParserWarning)
                if self._zip is not None:
                    with self._zip.open(self._members[table]) as fh:
                        df = pd.read_csv(fh, **kwargs)  # type: ignore[call-overload]
                else:
                    assert self._dir is not None
                    name = self._stops_name if table == "stops.txt" else table
                    df = pd.read_csv(self._dir / name, **kwargs)  # type: ignore[call-overload]
        except UnicodeDecodeError as e:
            raise InputError(
                note("err.gtfs.not_utf8", where=self.where(table), byte=str(e.start))
            ) from e
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as e:
            raise InputError(
                note("err.gtfs.cannot_read", where=self.where(table), error=str(e))
            ) from e
        df.columns = [str(c).strip() for c in df.columns]
        if wanted is not None:
            missing = sorted(wanted - set(df.columns))
            if missing:
                raise InputError(
                    note(
                        "err.gtfs.lacks_columns",
                        where=self.where(table),
                        columns=", ".join(missing),
                    )
                )
        return df

    def label(self) -> str:
        """The feed version from ``feed_info.txt``, else the file name."""
        if self.has("feed_info.txt"):
            try:
                info = self.table("feed_info.txt")
            except InputError:
                info = pd.DataFrame()
            if "feed_version" in info.columns and len(info) and info["feed_version"].iloc[0]:
                return str(info["feed_version"].iloc[0]).strip()
        return self.path.name


def _source(feed: _Feed) -> str:
    return f"GTFS CTP Cluj-Napoca feed {feed.label()}; {_ATTRIBUTION}"


def _natural_key(name: str) -> tuple[str, int, str]:
    m = re.match(r"(\D*)(\d*)(.*)", name)
    assert m is not None
    return (m.group(1), int(m.group(2)) if m.group(2) else -1, m.group(3))


def _join_names(names: Iterable[str]) -> str:
    return ", ".join(sorted({n for n in names if n}, key=_natural_key))


def _route_names(feed: _Feed) -> pd.Series:
    """route_id -> route short name (long name when the short one is blank)."""
    routes = feed.table("routes.txt")
    if "route_id" not in routes.columns:
        raise InputError(note("err.gtfs.no_route_id", where=feed.where("routes.txt")))
    short = routes.get("route_short_name", pd.Series("", index=routes.index)).astype(str)
    long_ = routes.get("route_long_name", pd.Series("", index=routes.index)).astype(str)
    name = short.str.strip().where(short.str.strip() != "", long_.str.strip())
    return pd.Series(name.to_numpy(), index=routes["route_id"].astype(str).to_numpy())


def _numeric(df: pd.DataFrame, col: str, feed: _Feed, table: str) -> np.ndarray:
    """Parse `col` as floats; a non-numeric value is an error naming its row."""
    values = pd.to_numeric(df[col].str.strip(), errors="coerce")
    bad = values.isna() & (df[col].str.strip() != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            note(
                "err.gtfs.not_number",
                where=feed.where(table),
                row=str(i + 2),
                column=col,
                value=repr(df[col].iloc[i]),
            )
        )
    return values.to_numpy(dtype=float)


def _km_outside(lon: float, lat: float, b: tuple[float, float, float, float]) -> float:
    dx = max(b[0] - lon, 0.0, lon - b[2]) * 111.32 * math.cos(math.radians(lat))
    dy = max(b[1] - lat, 0.0, lat - b[3]) * 110.57
    return math.hypot(dx, dy)


def _near_place(lon: float, lat: float) -> str | None:
    for place, (plon, plat) in _KNOWN_PLACES.items():
        if _km_outside(lon, lat, (plon, plat, plon, plat)) < 50:
            return place
    return None


def _describe_drop(
    stops: pd.DataFrame,
    lon: np.ndarray,
    lat: np.ndarray,
    out: np.ndarray,
    b: tuple[float, float, float, float],
    source: str,
) -> Note:
    n_out, n_all = int(out.sum()), len(out)
    box = note(
        "err.gtfs.box", x0=f"{b[0]:.2f}", x1=f"{b[2]:.2f}", y0=f"{b[1]:.2f}", y1=f"{b[3]:.2f}"
    )
    idx = np.flatnonzero(out)
    dist = np.array([_km_outside(lon[i], lat[i], b) for i in idx])
    far = idx[dist >= 50]
    near = idx[dist < 50]
    parts: dict[str, Note] = {}
    if len(far):
        i = int(far[0])
        place = _near_place(lon[i], lat[i])
        why = note("warn.gtfs.stray_block", place=place) if place else note("warn.gtfs.too_far")
        parts["far"] = note(
            "warn.gtfs.far",
            n=str(len(far)),
            stop=stops["stop_id"].iloc[i],
            name=stops["stop_name"].iloc[i],
            lat=f"{lat[i]:.4f}",
            lon=f"{lon[i]:.4f}",
            why=why,
        )
    if len(near):
        i = int(near[0])
        parts["near"] = note(
            "warn.gtfs.near",
            n=str(len(near)),
            km=f"{dist[dist < 50].max():.1f}",
            stop=stops["stop_id"].iloc[i],
            name=stops["stop_name"].iloc[i],
            lat=f"{lat[i]:.4f}",
            lon=f"{lon[i]:.4f}",
        )
    key = "warn.gtfs.outside_" + ("both" if len(parts) == 2 else next(iter(parts)))
    return note(key, where=source, n=str(n_out), total=str(n_all), box=box, **parts)


def read_stops(
    path: str | Path,
    *,
    bounds: tuple[float, float, float, float] | None = None,
) -> gpd.GeoDataFrame:
    """Read the stops of a GTFS feed as points.

    Parameters
    ----------
    path : str or Path
        A ``stops.txt`` file, a folder holding the feed, or the feed's ``.zip``.
    bounds : tuple of float, optional
        ``(min_lon, min_lat, max_lon, max_lat)``; stops outside are dropped with
        a :class:`GTFSWarning`. ``None`` means :data:`pata_gis.settings.cluj_bounds`.

    Returns
    -------
    GeoDataFrame
        EPSG:4326 points with ``stop_id`` (str), ``name``, ``source``,
        ``accuracy_m`` (float, an assumed 10 m) and, when the feed has
        ``trips.txt`` and ``stop_times.txt``, ``routes``: the short names of the
        routes serving the stop, comma-separated in natural order ("5, 5N, 8").

    Raises
    ------
    InputError
        When the feed or ``stops.txt`` is missing, lacks a column, holds a
        non-numeric coordinate (the row is named) or has no stop inside `bounds`.

    Warns
    -----
    GTFSWarning
        When stops are dropped: how many, and an example with its position.
    """
    b = tuple(bounds) if bounds is not None else tuple(settings.cluj_bounds)
    if len(b) != 4:
        raise InputError(f"bounds must be (min_lon, min_lat, max_lon, max_lat), got {bounds!r}.")
    box: tuple[float, float, float, float] = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
    with _Feed(path) as feed:
        if not feed.has("stops.txt"):
            raise InputError(note("err.gtfs.no_stops_txt", path=path))
        stops = feed.table("stops.txt", usecols=["stop_id", "stop_name", "stop_lat", "stop_lon"])
        where = feed.where("stops.txt")
        if len(stops) == 0:
            raise InputError(note("err.gtfs.no_stops", where=where))
        stops["stop_id"] = stops["stop_id"].str.strip()
        lat = _numeric(stops, "stop_lat", feed, "stops.txt")
        lon = _numeric(stops, "stop_lon", feed, "stops.txt")
        blank = np.isnan(lat) | np.isnan(lon)
        if blank.any():
            # GTFS allows no position for generic nodes and boarding areas.
            msg = note(
                "warn.gtfs.no_position",
                where=where,
                n=str(int(blank.sum())),
                total=str(len(stops)),
                stop=stops["stop_id"].iloc[int(np.flatnonzero(blank)[0])],
            )
            warnings.warn(msg, GTFSWarning, stacklevel=2)
            log.warning(msg)
        out = ~blank & ~((lon >= box[0]) & (lon <= box[2]) & (lat >= box[1]) & (lat <= box[3]))
        if out.any():
            msg = _describe_drop(stops, lon, lat, out, box, where)
            warnings.warn(msg, GTFSWarning, stacklevel=2)
            log.warning(msg)
        keep = ~blank & ~out
        if not keep.any():
            raise InputError(
                note(
                    "err.gtfs.none_inside",
                    where=where,
                    n=str(len(stops)),
                    box=note("err.gtfs.box", x0=box[0], x1=box[2], y0=box[1], y1=box[3]),
                )
            )
        result = pd.DataFrame(
            {
                "stop_id": stops["stop_id"].to_numpy()[keep],
                "name": stops["stop_name"].str.strip().to_numpy()[keep],
                "source": _source(feed),
                "accuracy_m": STOP_ACCURACY_M,
            }
        )
        if feed.has("trips.txt") and feed.has("stop_times.txt") and feed.has("routes.txt"):
            result["routes"] = (
                _routes_per_stop(feed).reindex(result["stop_id"]).fillna("").to_numpy()
            )
        gdf = gpd.GeoDataFrame(
            result, geometry=gpd.points_from_xy(lon[keep], lat[keep]), crs="EPSG:4326"
        )
    log.info("read %d stops from %s", len(gdf), path)
    return gdf


def _routes_per_stop(feed: _Feed) -> pd.Series:
    """stop_id -> comma-separated short names of the routes serving it."""
    names = _route_names(feed)
    trips = feed.table("trips.txt", usecols=["route_id", "trip_id"])
    times = feed.table("stop_times.txt", usecols=["trip_id", "stop_id"])
    times = times.drop_duplicates()
    trip_route = pd.Series(trips["route_id"].to_numpy(), index=trips["trip_id"].to_numpy())
    times["route"] = times["trip_id"].map(trip_route).map(names).fillna("").astype(str).to_numpy()
    pairs = times[["stop_id", "route"]].drop_duplicates()
    return pairs.groupby("stop_id")["route"].agg(_join_names)


def read_shapes(path: str | Path) -> gpd.GeoDataFrame:
    """Read the route shapes of a GTFS feed as LineStrings.

    Parameters
    ----------
    path : str or Path
        The feed's ``.zip`` or a folder holding ``shapes.txt`` (and, for the
        route names, ``trips.txt`` and ``routes.txt``).

    Returns
    -------
    GeoDataFrame
        EPSG:4326 LineStrings with ``shape_id`` (str), ``routes`` (the short
        names of the routes whose trips follow the shape, comma-separated;
        empty when unknown) and ``source``, one row per shape, in shape_id order.

    Raises
    ------
    InputError
        When the feed has no ``shapes.txt``, lacks a column or holds a
        non-numeric coordinate or sequence number (the row is named).
    """
    with _Feed(path) as feed:
        shapes = feed.table(
            "shapes.txt",
            usecols=["shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"],
        )
        where = feed.where("shapes.txt")
        if len(shapes) == 0:
            raise InputError(note("err.gtfs.no_shape_points", where=where))
        lat = _numeric(shapes, "shape_pt_lat", feed, "shapes.txt")
        lon = _numeric(shapes, "shape_pt_lon", feed, "shapes.txt")
        seq = _numeric(shapes, "shape_pt_sequence", feed, "shapes.txt")
        ok = ~(np.isnan(lat) | np.isnan(lon) | np.isnan(seq))
        if not ok.all():
            log.warning("%s: ignored %d shape points without a position", where, int((~ok).sum()))
        ids = shapes["shape_id"].str.strip().to_numpy()[ok]
        lat, lon, seq = lat[ok], lon[ok], seq[ok]
        codes, uniques = pd.factorize(ids, sort=True)
        order = np.lexsort((seq, codes))
        codes, coords = codes[order], np.column_stack([lon[order], lat[order]])
        counts = np.bincount(codes, minlength=len(uniques))
        short = counts < 2
        if short.any():
            msg = note("warn.gtfs.short_shapes", where=where, n=str(int(short.sum())))
            warnings.warn(msg, GTFSWarning, stacklevel=2)
            log.warning(msg)
            keep_pt = ~short[codes]
            codes, coords = codes[keep_pt], coords[keep_pt]
        kept_ids = np.asarray(uniques)[~short]
        codes = np.searchsorted(np.flatnonzero(~short), codes)
        lines = shapely.linestrings(coords, indices=codes)
        routes = pd.Series("", index=kept_ids, dtype=str)
        if feed.has("trips.txt") and feed.has("routes.txt"):
            trips = feed.table("trips.txt", usecols=["route_id", "shape_id"])
            trips = trips[trips["shape_id"].str.strip() != ""].drop_duplicates()
            trips["route"] = trips["route_id"].map(_route_names(feed)).fillna("").astype(str)
            per_shape = trips.groupby(trips["shape_id"].str.strip())["route"].agg(_join_names)
            routes = per_shape.reindex(kept_ids).fillna("").astype(str)
        gdf = gpd.GeoDataFrame(
            {
                "shape_id": pd.array(kept_ids, dtype="str"),
                "routes": routes.to_numpy(),
                "source": _source(feed),
            },
            geometry=lines,
            crs="EPSG:4326",
        )
    log.info("read %d route shapes from %s", len(gdf), path)
    return gdf
