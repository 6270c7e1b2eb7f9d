"""Coordinate reference systems: metric work in EPSG:3844, display in EPSG:4326.

This module owns every conversion and refuses coordinates it cannot trust: a
missing CRS, latitude and longitude swapped, metre values labelled as degrees
(or the reverse), and data that lands outside Romania (or outside the Cluj
area when the data should be there). Every message names the data set, the
features at fault and the fix.

Examples
--------
>>> import geopandas as gpd
>>> from shapely.geometry import Point
>>> g = gpd.GeoDataFrame(geometry=[Point(23.6917, 46.7815)], crs="EPSG:4326")
>>> round(float(to_metric(g).geometry.x.iloc[0]))
400234
"""

from __future__ import annotations

import functools
import logging
from typing import Literal, TypeVar

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from pata_gis import settings
from pata_gis._errors import CRSError
from pata_gis.messages import Note, features_phrase, note

__all__ = [
    "Region",
    "check",
    "lonlat_to_metric",
    "metric_to_lonlat",
    "to_display",
    "to_metric",
    "transformer",
]

log = logging.getLogger(__name__)

Region = Literal["cluj", "romania"]
G = TypeVar("G", gpd.GeoDataFrame, gpd.GeoSeries)

# Stereo 70 covers Romania with eastings ~ 100 km .. 900 km and northings
# ~ 200 km .. 800 km; numbers in that range labelled as degrees are metres.
_STEREO70_RANGE = (50_000.0, 150_000.0, 950_000.0, 850_000.0)  # minx, miny, maxx, maxy


@functools.lru_cache(maxsize=32)
def transformer(src: str, dst: str) -> pyproj.Transformer:
    """A cached pyproj transformer from `src` to `dst`, always x=lon/easting first."""
    return pyproj.Transformer.from_crs(src, dst, always_xy=True)


def lonlat_to_metric(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Convert longitude/latitude arrays (EPSG:4326) to EPSG:3844 metres."""
    x, y = transformer(settings.display_crs, settings.metric_crs).transform(
        np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    )
    return np.asarray(x), np.asarray(y)


def metric_to_lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Convert EPSG:3844 metre arrays to longitude/latitude (EPSG:4326)."""
    lon, lat = transformer(settings.metric_crs, settings.display_crs).transform(
        np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    )
    return np.asarray(lon), np.asarray(lat)


def _bounds_for(region: Region) -> tuple[float, float, float, float]:
    return settings.cluj_bounds if region == "cluj" else settings.romania_bounds


def _region_text(region: Region) -> Note:
    b = _bounds_for(region)
    return note(
        f"err.region.{'cluj' if region == 'cluj' else 'romania'}",
        x0=f"{b[0]:g}",
        x1=f"{b[2]:g}",
        y0=f"{b[1]:g}",
        y1=f"{b[3]:g}",
    )


def _rows(mask: np.ndarray, limit: int = 5) -> Note:
    """Name the (1-based) features selected by `mask`, with a verb that agrees."""
    idx = np.flatnonzero(mask) + 1
    return features_phrase(idx, limit=limit, verb="has")


def _inside(
    minx: np.ndarray,
    miny: np.ndarray,
    maxx: np.ndarray,
    maxy: np.ndarray,
    b: tuple[float, float, float, float],
) -> np.ndarray:
    return (minx >= b[0]) & (maxx <= b[2]) & (miny >= b[1]) & (maxy <= b[3])


def check(data: G, *, name: str = "the data", region: Region | None = "romania") -> G:
    """Refuse coordinates whose CRS is missing or implausible.

    Parameters
    ----------
    data : GeoDataFrame or GeoSeries
        The features to check; they are not modified.
    name : str
        How to name the data in messages (usually the file name).
    region : {"romania", "cluj"} or None
        Where the data must lie; ``None`` checks the CRS only.

    Returns
    -------
    GeoDataFrame or GeoSeries
        `data` itself, when it passes.

    Raises
    ------
    CRSError
        With the features at fault and the fix: a missing CRS, swapped axes,
        metres labelled as degrees or degrees labelled as metres, or features
        outside `region`.
    """
    if data.crs is None:
        raise CRSError(note("err.crs.none", name=name))
    geoms = data.geometry if isinstance(data, gpd.GeoDataFrame) else data
    arr = np.asarray(geoms.values)
    present = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
    if not present.any():
        return data
    b = shapely.bounds(arr)  # rows with NaN for missing/empty
    minx, miny, maxx, maxy = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    finite = present & np.isfinite(b).all(axis=1)
    crs = pyproj.CRS.from_user_input(data.crs)
    crs_name = crs.to_string()
    rb = settings.romania_bounds
    if crs.is_geographic:
        beyond = finite & (
            (np.abs(minx) > 180) | (np.abs(maxx) > 180) | (np.abs(miny) > 90) | (np.abs(maxy) > 90)
        )
        if beyond.any():
            s = _STEREO70_RANGE
            looks_stereo = bool(
                np.all(_inside(minx[beyond], miny[beyond], maxx[beyond], maxy[beyond], s))
            )
            hint = note("err.crs.hint_stereo" if looks_stereo else "err.crs.hint_not_degrees")
            raise CRSError(
                note("err.crs.beyond", name=name, rows=_rows(beyond), crs=crs_name, hint=hint)
            )
        swapped = (
            finite & _inside(miny, minx, maxy, maxx, rb) & ~_inside(minx, miny, maxx, maxy, rb)
        )
        if swapped.any():
            raise CRSError(
                note(
                    "err.crs.swapped",
                    name=name,
                    rows=_rows(swapped),
                    y0=f"{rb[1]:g}",
                    y1=f"{rb[3]:g}",
                    x0=f"{rb[0]:g}",
                    x1=f"{rb[2]:g}",
                )
            )
        lminx, lminy, lmaxx, lmaxy = minx, miny, maxx, maxy
    else:
        if (
            crs.axis_info
            and crs.axis_info[0].unit_name in ("metre", "meter")
            and finite.any()
            and np.all(np.abs(np.r_[minx[finite], maxx[finite]]) <= 180)
            and np.all(np.abs(np.r_[miny[finite], maxy[finite]]) <= 90)
        ):
            raise CRSError(note("err.crs.degrees_as_metres", name=name, crs=crs_name))
        t = transformer(crs.to_string(), "EPSG:4326")
        with np.errstate(all="ignore"):
            lminx, lminy = t.transform(minx, miny)
            lmaxx, lmaxy = t.transform(maxx, maxy)
        lminx, lminy, lmaxx, lmaxy = (np.asarray(v) for v in (lminx, lminy, lmaxx, lmaxy))
        bad = finite & ~np.isfinite(np.c_[lminx, lminy, lmaxx, lmaxy]).all(axis=1)
        if bad.any():
            raise CRSError(note("err.crs.unconvertible", name=name, rows=_rows(bad), crs=crs_name))
    if region is None:
        return data
    rb2 = _bounds_for(region)
    outside = finite & ~_inside(lminx, lminy, lmaxx, lmaxy, rb2)
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        raise CRSError(
            note(
                "err.crs.outside",
                name=name,
                rows=_rows(outside),
                region=_region_text(region),
                k=str(int(outside.sum())),
                n=str(int(finite.sum())),
                first=str(first + 1),
                lat=f"{(lminy[first] + lmaxy[first]) / 2:.4f}",
                lon=f"{(lminx[first] + lmaxx[first]) / 2:.4f}",
                crs=crs_name,
            )
        )
    return data


def to_metric(data: G, *, name: str = "the data") -> G:
    """Project `data` to the metric CRS (EPSG:3844, Stereo 70).

    Raises
    ------
    CRSError
        When `data` has no CRS.
    """
    if data.crs is None:
        check(data, name=name, region=None)
    return data.to_crs(settings.metric_crs)


def to_display(data: G, *, name: str = "the data") -> G:
    """Project `data` to the display CRS (EPSG:4326, longitude/latitude).

    Raises
    ------
    CRSError
        When `data` has no CRS.
    """
    if data.crs is None:
        check(data, name=name, region=None)
    return data.to_crs(settings.display_crs)
