"""Read and write vector layers: GeoJSON, GeoPackage, Shapefile, KML, CSV, GPX, OSM, GTFS.

:func:`read` turns any file a workshop, a planner or a download gives us into a
GeoDataFrame that has a CRS, whose Romanian text uses the comma-below letters
(ș ț Ș Ț, not the cedilla look-alikes ş ţ Ş Ţ) and whose coordinates passed
:func:`pata_gis.crs.check`. :func:`write` exports a frame atomically. Every
failure is an :class:`~pata_gis._errors.InputError` (or its subclass
:class:`~pata_gis._errors.CRSError`) naming the file, the row or field, and the fix.

GDAL (through pyogrio) does the parsing wherever it has a driver; the code here
adds the checks and the messages. Layers are not validated against their spec
here (that is :mod:`pata_gis.layers`), and sensitivity is the caller's business.

Examples
--------
>>> from pata_gis import io
>>> stops = io.read("cluj-napoca.gtfs.zip")  # doctest: +SKIP
>>> io.write(stops, "data/exports/stops.geojson")  # doctest: +SKIP
PosixPath('data/exports/stops.geojson')
"""

from __future__ import annotations

import bz2
import csv
import json
import logging
import os
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyogrio.errors
import shapely

from pata_gis import crs as _crs
from pata_gis import gtfs
from pata_gis._errors import CRSError, InputError
from pata_gis.messages import Note, note

__all__ = [
    "READ_EXTENSIONS",
    "WRITE_EXTENSIONS",
    "list_layers",
    "normalise_text",
    "read",
    "write",
]

log = logging.getLogger(__name__)

Region = Literal["cluj", "romania"]

#: File name endings :func:`read` understands (a folder holding a shapefile works too).
READ_EXTENSIONS: tuple[str, ...] = (
    ".geojson",
    ".json",
    ".topojson",
    ".gpkg",
    ".shp",
    ".zip",
    ".kml",
    ".kmz",
    ".csv",
    ".tsv",
    ".txt",
    ".gpx",
    ".osm",
    ".osm.bz2",
    ".osm.pbf",
    ".pbf",
)

#: File name endings :func:`write` understands, with the GDAL driver used.
WRITE_EXTENSIONS: dict[str, str] = {
    ".gpkg": "GPKG",
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".zip": "ESRI Shapefile",
    ".kml": "KML",
    ".csv": "CSV",
}

_DRIVER_ALIASES = {
    "gpkg": "GPKG",
    "geopackage": "GPKG",
    "geojson": "GeoJSON",
    "esri shapefile": "ESRI Shapefile",
    "shapefile": "ESRI Shapefile",
    "shp": "ESRI Shapefile",
    "kml": "KML",
    "csv": "CSV",
}

# Romanian letters with a cedilla (legacy code pages, old keyboards) -> comma below.
_CEDILLA_TO_COMMA = str.maketrans(
    {"\u015f": "\u0219", "\u0163": "\u021b", "\u015e": "\u0218", "\u0162": "\u021a"}
)

_OSM_LAYERS = ("points", "lines", "multilinestrings", "multipolygons", "other_relations")
_GPX_LAYERS = ("waypoints", "routes", "tracks")
_GPX_ALL = (*_GPX_LAYERS, "route_points", "track_points")

# LIBKML presentation fields, dropped when they hold only their default value.
_KML_DEFAULTS: dict[str, tuple[Any, ...]] = {
    "description": ("",),
    "timestamp": (),
    "begin": (),
    "end": (),
    "altitudeMode": (),
    "tessellate": (-1,),
    "extrude": (0,),
    "visibility": (-1,),
    "drawOrder": (),
    "icon": (),
}

_GEOPOINT_NAMES = {
    "_geolocation",
    "geolocation",
    "gps",
    "geopoint",
    "location",
    "locatie",
    "locație",
    "coordinates",
    "coordonate",
    "coords",
    "point",
    "punct",
}
_WKT_NAMES = {"wkt", "geometry", "geom", "the_geom", "wkt_geom"}
_LAT_RE = re.compile(
    r"^(?:(?P<pre>.+?)[_\-. :/])?(?P<w>latitude|latitudine|lat)"
    r"(?:[_\-. ](?P<suf>deg|degrees|dd|wgs84|wgs|4326))?$"
)
_LON_RE = re.compile(
    r"^(?:(?P<pre>.+?)[_\-. :/])?(?P<w>longitude|longitudine|lon|lng|long)"
    r"(?:[_\-. ](?P<suf>deg|degrees|dd|wgs84|wgs|4326))?$"
)
_X_RE = re.compile(r"^(?:(?P<pre>.+?)[_\-. :/])?(?P<w>x|easting|est)$")
_Y_RE = re.compile(r"^(?:(?P<pre>.+?)[_\-. :/])?(?P<w>y|northing|nord)$")
_NUM = r"[-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][-+]?\d+)?"
_GEOPOINT_RE = re.compile(rf"^\s*\[?\s*({_NUM})\s*(?:,\s*|;\s*|\s+)({_NUM})(?:[\s,;\]].*)?$")

_ACCEPTED_CSV = (
    "lat/lon, latitude/longitude, lat/lng, latitudine/longitudine, "
    "_<name>_latitude/_<name>_longitude (KoboToolbox), <name>-Latitude/<name>-Longitude (ODK), "
    "a geopoint column such as _geolocation or gps holding 'lat lon [alt acc]', "
    "x/y or easting/northing (with crs=), or a WKT column named wkt"
)


# --------------------------------------------------------------------------- text


def normalise_text(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Replace the cedilla letters ş ţ Ş Ţ with the Romanian comma-below ș ț Ș Ț.

    Parameters
    ----------
    gdf : GeoDataFrame
        Any frame; column names and every string value are normalised.

    Returns
    -------
    GeoDataFrame
        A copy (the input is not modified). Non-string values are left alone.
    """
    out = gdf.copy()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        s = out[col]
        if isinstance(s.dtype, pd.StringDtype):
            out[col] = s.str.translate(_CEDILLA_TO_COMMA)
        elif s.dtype == object:
            out[col] = s.map(lambda v: v.translate(_CEDILLA_TO_COMMA) if isinstance(v, str) else v)
    renamed = {
        c: c.translate(_CEDILLA_TO_COMMA)
        for c in out.columns
        if isinstance(c, str) and c.translate(_CEDILLA_TO_COMMA) != c
    }
    if renamed:
        out = out.rename(columns=renamed)
    return out


def _decode(raw: bytes, p: Path, encoding: str | None) -> str:
    """Decode bytes: the given encoding strictly, else UTF-8, else cp1250 (logged)."""
    if encoding is not None:
        try:
            return raw.decode(encoding)
        except LookupError as e:
            raise InputError(
                note("err.io.unknown_encoding", path=p, encoding=repr(encoding))
            ) from e
        except UnicodeDecodeError as e:
            raise InputError(
                note("err.io.bad_encoding", path=p, encoding=encoding, byte=str(e.start))
            ) from e
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1250")
    except UnicodeDecodeError as e:
        raise InputError(note("err.io.not_utf8_cp1250", path=p, byte=str(e.start))) from e
    log.info("%s is not UTF-8; read it as cp1250 (Central European Windows)", p)
    return text


def _and(items: list[str]) -> Note | str:
    """Two or more names joined with a translatable "and" ("a.dbf and a.shx")."""
    if len(items) < 2:
        return "".join(items)
    return note("err.io.and", first=" and ".join(items[:-1]), last=items[-1])


def _renamed(e: InputError, old: str, new: str) -> str:
    """The message of `e` with the path `old` named `new` (a Note stays a Note)."""
    msg = e.args[0] if e.args else str(e)
    if isinstance(msg, Note):
        params = {
            k: v if isinstance(v, Note) else str(v).replace(old, new) for k, v in msg.params.items()
        }
        return note(msg.key, **params)
    return str(e).replace(old, new)


def _looks_binary(raw: bytes) -> bool:
    head = raw[:4096]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return len(head) > 0 and control / len(head) > 0.05


# --------------------------------------------------------------------------- read


def read(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    crs: str | None = None,
    encoding: str | None = None,
    x: str | None = None,
    y: str | None = None,
    region: Region | None = "romania",
) -> gpd.GeoDataFrame:
    """Read a vector layer from a file, whatever its format.

    Parameters
    ----------
    path : str or path-like
        A GeoJSON (``.geojson``/``.json``, also a bare JSON array of Features,
        and TopoJSON), GeoPackage (``.gpkg``), Shapefile (``.shp``, a folder
        holding one, or a ``.zip``), KML/KMZ, CSV with coordinate columns
        (KoboToolbox and ODK exports), GPX, OSM XML (``.osm``, ``.osm.bz2``,
        ``.osm.pbf``) or GTFS (``stops.txt`` or a feed ``.zip``: its stops) file.
        An unknown extension is recognised by content when possible.
    layer : str, optional
        The layer to read: a GeoPackage layer, a shapefile's name inside a zip
        or folder, a KML folder, a GPX layer (``"waypoints"``, ``"routes"``,
        ``"tracks"``), an OSM layer (``"points"``, ``"lines"``,
        ``"multilinestrings"``, ``"multipolygons"``, ``"other_relations"``;
        required for OSM files). See :func:`list_layers`.
    crs : str, optional
        The CRS of the coordinates, e.g. ``"EPSG:3844"``. Needed when the file
        does not say (a shapefile without ``.prj``, CSV x/y columns). When the
        file declares another CRS, `crs` replaces the label (the numbers are
        not transformed): use it to fix a mislabelled file.
    encoding : str, optional
        Text encoding of a Shapefile's ``.dbf`` or of a CSV. By default the
        ``.cpg`` is honoured; without it UTF-8 is tried, then cp1250 (logged).
    x, y : str, optional
        Names of the CSV coordinate columns when they are not recognised. Columns
        named like longitude/latitude are read as EPSG:4326; others need `crs`.
    region : {"romania", "cluj"} or None
        Where the data must lie (see :func:`pata_gis.crs.check`); ``None``
        checks only that the CRS is plausible (for data from abroad).

    Returns
    -------
    GeoDataFrame
        With a CRS, a fresh RangeIndex, and the cedilla letters normalised in
        column names and string values. Coordinate columns of a CSV become the
        geometry and are dropped.

    Raises
    ------
    InputError
        The file is missing, empty, truncated, of an unknown kind, has no
        features, no coordinate columns, a bad value (the row is named), ...
    CRSError
        No CRS, or coordinates implausible for it (swapped lat/lon, metres
        labelled as degrees, outside `region`).
    """
    p = Path(path)
    if not p.exists():
        raise InputError(note("err.io.no_such_file", path=p))
    if p.is_dir():
        gdf, what = _read_folder(p, layer=layer, encoding=encoding)
    else:
        if p.stat().st_size == 0:
            raise InputError(note("err.io.zero_bytes", path=p))
        kind = _kind(p)
        reader = _READERS[kind]
        gdf, what = reader(p, layer=layer, encoding=encoding, x=x, y=y, crs=crs)
    return _finish(gdf, p, what=what, crs=crs, region=region)


def _kind(p: Path) -> str:
    name = p.name.lower()
    if name.endswith(".osm.bz2") or name.endswith(".osm.pbf") or name.endswith(".pbf"):
        return "osm"
    by_ext = {
        ".geojson": "geojson",
        ".json": "geojson",
        ".topojson": "geojson",
        ".gpkg": "gpkg",
        ".shp": "shp",
        ".zip": "zip",
        ".kml": "kml",
        ".kmz": "kml",
        ".csv": "csv",
        ".tsv": "csv",
        ".gpx": "gpx",
        ".osm": "osm",
    }
    ext = p.suffix.lower()
    if ext in by_ext:
        return by_ext[ext]
    if ext == ".txt":
        with p.open("rb") as fh:
            head = fh.readline().decode("utf-8-sig", "replace").lower()
        if name == "stops.txt" or ("stop_lat" in head and "stop_id" in head):
            return "gtfs"
        return "csv"
    with p.open("rb") as fh:
        start = fh.read(512)
    sniffed = _sniff(start)
    if sniffed:
        log.info("%s: unknown extension, read as %s from its content", p, sniffed)
        return sniffed
    raise InputError(
        note(
            "err.io.unknown_type",
            path=p,
            ext=repr(p.suffix or "(no extension)"),
            extensions=", ".join(READ_EXTENSIONS),
        )
    )


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"{", b"["):
        return "geojson"
    if text[:1] == b"<":
        low = text.lower()
        for tag, kind in ((b"<kml", "kml"), (b"<gpx", "gpx"), (b"<osm", "osm")):
            if tag in low:
                return kind
    return None


Reader = Callable[..., tuple[gpd.GeoDataFrame, str]]


def _pyogrio(source: Any, p: Path, fix: Note, **kwargs: Any) -> gpd.GeoDataFrame:
    """pyogrio.read_dataframe with GDAL's errors turned into an InputError."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return pyogrio.read_dataframe(source, **kwargs)
    except UnicodeDecodeError:
        raise
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as e:
        raise InputError(note("err.io.cannot_read", path=p, error=_short(e), fix=fix)) from e
    except (pyogrio.errors.FieldError, pyogrio.errors.GeometryError, ValueError) as e:
        raise InputError(note("err.io.cannot_read", path=p, error=_short(e), fix=fix)) from e
    except shapely.errors.GEOSException as e:
        raise InputError(note("err.io.bad_geometry", path=p, error=_short(e))) from e


def _layers_of(p: Path) -> list[tuple[str, str | None]]:
    """pyogrio.list_layers without GDAL's warnings (e.g. a .gpkg under another extension)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return [(str(n), None if g is None else str(g)) for n, g in pyogrio.list_layers(p)]


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text if len(text) < 200 else text[:200] + "..."


def _read_geojson(p: Path, *, layer: str | None, **_: Any) -> tuple[gpd.GeoDataFrame, str]:
    raw = p.read_bytes()
    if _looks_binary(raw):
        raise InputError(note("err.io.geojson_binary", path=p))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(note("err.io.geojson_not_utf8", path=p, byte=str(e.start))) from e
    if not text.strip():
        raise InputError(note("err.io.geojson_blank", path=p))
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        end = text.rstrip()
        what: Note
        if e.pos >= len(end) or e.msg.startswith("Unterminated string"):
            what = note("err.io.json_cut", line=str(end.count(chr(10)) + 1))
        else:
            what = note("err.io.json_at", msg=e.msg, line=str(e.lineno), column=str(e.colno))
        raise InputError(note("err.io.geojson_invalid", path=p, what=what)) from e
    geojson_types = {
        "FeatureCollection",
        "Feature",
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
    source: Any = p
    if isinstance(obj, list):
        if not obj:
            raise InputError(note("err.io.json_empty_list", path=p))
        bad = [
            i for i, f in enumerate(obj) if not (isinstance(f, dict) and f.get("type") == "Feature")
        ]
        if bad:
            raise InputError(
                note(
                    "err.io.json_item_not_feature",
                    path=p,
                    item=str(bad[0] + 1),
                    found=_describe_json(obj[bad[0]]),
                )
            )
        source = json.dumps({"type": "FeatureCollection", "features": obj}).encode()
        log.info("%s: a bare JSON array of %d Features, read as a FeatureCollection", p, len(obj))
    elif isinstance(obj, dict):
        kind = obj.get("type")
        if kind == "Topology":
            pass  # TopoJSON: GDAL's TopoJSON driver
        elif kind not in geojson_types:
            found = (
                note("err.io.json_no_type")
                if kind is None
                else note("err.io.json_type_is", kind=repr(kind))
            )
            raise InputError(note("err.io.json_wrong_type", path=p, found=found))
        elif kind == "FeatureCollection" and not obj.get("features"):
            raise InputError(note("err.io.geojson_no_features", path=p))
    else:
        raise InputError(note("err.io.json_holds", path=p, found=_describe_json(obj)))
    del obj, text
    kwargs: dict[str, Any] = {}
    if layer is not None:
        kwargs["layer"] = layer
    gdf = _pyogrio(source, p, note("err.io.fix.geojson"), **kwargs)
    return gdf, "GeoJSON"


def _describe_json(v: Any) -> Note | str:
    if isinstance(v, bool) or v is None:
        return note("err.io.json.value", value=json.dumps(v))
    if isinstance(v, int | float):
        return note("err.io.json.number", value=str(v))
    if isinstance(v, str):
        return note("err.io.json.string", value=repr(v[:30]))
    if isinstance(v, list):
        return note("err.io.json.list")
    if isinstance(v, dict):
        return (
            note("err.io.json.object_type", kind=repr(v.get("type")))
            if "type" in v
            else note("err.io.json.object")
        )
    return type(v).__name__


def _read_gpkg(p: Path, *, layer: str | None, **_: Any) -> tuple[gpd.GeoDataFrame, str]:
    with p.open("rb") as fh:
        head = fh.read(16)
    if head != b"SQLite format 3\x00":
        looks = note("err.io.looks_text" if not _looks_binary(head) else "err.io.looks_binary")
        raise InputError(note("err.io.not_gpkg", path=p, looks=looks))
    try:
        info = _layers_of(p)
    except pyogrio.errors.DataSourceError as e:
        raise InputError(note("err.io.gpkg_cannot_open", path=p, error=_short(e))) from e
    names = [str(n) for n, _g in info]
    spatial = [str(n) for n, g in info if g is not None]
    if not names:
        raise InputError(note("err.io.gpkg_no_layers", path=p))
    if layer is None:
        if len(spatial) == 1:
            layer = spatial[0]
        elif not spatial and len(names) == 1:
            layer = names[0]
        else:
            shown = spatial or names
            raise InputError(
                note("err.io.many_layers", path=p, n=str(len(shown)), layers=", ".join(shown))
            )
    elif layer not in names:
        raise InputError(
            note("err.io.no_layer", path=p, layer=repr(layer), layers=", ".join(names))
        )
    gdf = _pyogrio(p, p, note("err.io.fix.gpkg"), layer=layer)
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(
            note(
                "err.io.gpkg_table",
                path=p,
                layer=repr(layer),
                spatial=", ".join(spatial) or note("err.io.none"),
            )
        )
    return gdf, note("err.io.what.layer", layer=repr(layer))


def _sidecars(shp: Path) -> dict[str, Path]:
    stem = shp.stem.lower()
    return {
        f.suffix.lower(): f
        for f in shp.parent.iterdir()
        if f.is_file() and f.stem.lower() == stem and f.suffix
    }


def _read_shp(p: Path, *, encoding: str | None, **_: Any) -> tuple[gpd.GeoDataFrame, str]:
    side = _sidecars(p)
    missing = [ext for ext in (".dbf", ".shx") if ext not in side]
    if missing:
        raise InputError(
            note("err.io.shp_incomplete", path=p, missing=_and([p.stem + e for e in missing]))
        )
    fix = note("err.io.fix.shp")
    if encoding is not None:
        enc_used = encoding
        try:
            gdf = _pyogrio(p, p, fix, encoding=encoding)
        except (UnicodeDecodeError, LookupError) as e:
            raise InputError(note("err.io.dbf_encoding", path=p, encoding=encoding)) from e
    elif ".cpg" in side:
        cpg = side[".cpg"].read_text(errors="replace").strip()
        enc_used = f"{cpg} (from the .cpg)"
        try:
            gdf = _pyogrio(p, p, fix)
        except UnicodeDecodeError as e:
            raise InputError(note("err.io.cpg_wrong", path=p, cpg=cpg)) from e
    else:
        try:
            gdf = _pyogrio(p, p, fix, encoding="utf-8")
            enc_used = "UTF-8 (no .cpg)"
        except UnicodeDecodeError:
            gdf = _pyogrio(p, p, fix, encoding="cp1250")
            enc_used = "cp1250 (no .cpg; not UTF-8)"
            log.info("%s: no .cpg and the .dbf is not UTF-8; read the attributes as cp1250", p)
    if gdf.crs is None:
        gdf.attrs["_pata_no_crs_hint"] = True
    log.debug("%s: attributes read as %s", p, enc_used)
    return gdf, "Shapefile"


def _pick(names: list[str], layer: str | None, p: Path) -> str:
    """The shapefile `layer` among `names` (the only one when `layer` is None)."""
    if layer is not None:
        for n in names:
            if Path(n).stem == layer or n == layer:
                return n
        raise InputError(
            note(
                "err.io.no_shapefile_named",
                path=p,
                layer=repr(layer),
                names=", ".join(Path(n).stem for n in names),
            )
        )
    if len(names) == 1:
        return names[0]
    raise InputError(
        note(
            "err.io.many_shapefiles",
            path=p,
            n=str(len(names)),
            names=", ".join(Path(n).stem for n in names),
        )
    )


def _read_folder(
    p: Path, *, layer: str | None, encoding: str | None
) -> tuple[gpd.GeoDataFrame, str]:
    shps = sorted(str(f) for f in p.iterdir() if f.is_file() and f.suffix.lower() == ".shp")
    if not shps and (p / "stops.txt").is_file():
        return _read_gtfs(p)
    if not shps:
        found = sorted(f.name for f in p.iterdir())[:10]
        raise InputError(
            note("err.io.folder_no_shp", path=p, found=", ".join(found) or note("err.io.nothing"))
        )
    shp = Path(_pick(shps, layer, p))
    return _read_shp(shp, encoding=encoding)


def _read_zip(
    p: Path, *, layer: str | None, encoding: str | None, **kw: Any
) -> tuple[gpd.GeoDataFrame, str]:
    if not zipfile.is_zipfile(p):
        raise InputError(note("err.io.not_zip", path=p))
    try:
        with zipfile.ZipFile(p) as zf:
            members = [
                m for m in zf.namelist() if not m.endswith("/") and "__macosx" not in m.lower()
            ]
            bases = [m.rsplit("/", 1)[-1].lower() for m in members]
            if "stops.txt" in bases:
                return _read_gtfs(p)
            shps = [m for m in members if m.lower().endswith(".shp")]
            with tempfile.TemporaryDirectory(prefix="pata-gis-zip-") as tmp:
                if shps:
                    member = _pick(shps, layer, p)
                    stem = member[: -len(".shp")]
                    for m in members:
                        if m.rsplit(".", 1)[0] == stem:
                            zf.extract(m, tmp)
                    shp = Path(tmp) / member
                    side = _sidecars(shp)
                    missing = [e for e in (".dbf", ".shx") if e not in side]
                    if missing:
                        raise InputError(
                            note(
                                "err.io.zip_shp_incomplete",
                                path=p,
                                member=Path(member).name,
                                missing=_and([Path(stem).name + e for e in missing]),
                            )
                        )
                    try:
                        gdf, _what = _read_shp(shp, encoding=encoding)
                    except InputError as e:
                        raise InputError(_renamed(e, str(shp), f"{p} ({member})")) from e
                    return gdf, note("err.io.what.shapefile", name=Path(member).name)
                others = [
                    m
                    for m in members
                    if Path(m).suffix.lower() in (".geojson", ".gpkg", ".kml", ".gpx", ".csv")
                ]
                if len(others) == 1:
                    zf.extract(others[0], tmp)
                    inner = Path(tmp) / others[0]
                    gdf, _what = _READERS[_kind(inner)](inner, layer=layer, encoding=encoding, **kw)
                    return gdf, f"{Path(others[0]).name}"
                listed = ", ".join(members[:10]) or note("err.io.nothing")
                raise InputError(note("err.io.zip_no_shp", path=p, listed=listed))
    except zipfile.BadZipFile as e:
        raise InputError(note("err.io.zip_damaged", path=p, error=str(e))) from e


def _read_gtfs(p: Path, **_: Any) -> tuple[gpd.GeoDataFrame, str]:
    return gtfs.read_stops(p), "GTFS stops"


def _drop_default_columns(
    gdf: gpd.GeoDataFrame, defaults: dict[str, tuple[Any, ...]]
) -> gpd.GeoDataFrame:
    drop = []
    for col, allowed in defaults.items():
        if col in gdf.columns:
            s = gdf[col]
            if bool((s.isna() | s.isin(list(allowed))).all()):
                drop.append(col)
    return gdf.drop(columns=drop) if drop else gdf


def _read_kml(p: Path, *, layer: str | None, **_: Any) -> tuple[gpd.GeoDataFrame, str]:
    fix = note("err.io.fix.kml")
    try:
        info = _layers_of(p)
    except pyogrio.errors.DataSourceError as e:
        raise InputError(note("err.io.not_kml", path=p, error=_short(e), fix=fix)) from e
    names = [str(n) for n, _g in info]
    counts = {}
    for n in names:
        try:
            counts[n] = int(pyogrio.read_info(p, layer=n, force_feature_count=True)["features"])
        except pyogrio.errors.DataLayerError:
            counts[n] = 0
    if layer is not None:
        if layer not in names:
            raise InputError(
                note(
                    "err.io.kml_no_folder",
                    path=p,
                    layer=repr(layer),
                    names=", ".join(names) or note("err.io.nothing"),
                )
            )
        chosen = [layer]
    else:
        chosen = [n for n in names if counts[n] != 0]
    if not chosen or all(counts[n] == 0 for n in chosen):
        raise InputError(
            note("err.io.kml_empty_in", path=p, layer=repr(layer))
            if layer
            else note("err.io.kml_empty", path=p)
        )
    frames = []
    for n in chosen:
        part = _pyogrio(p, p, fix, layer=n)
        if len(chosen) > 1:
            part["folder"] = n
        frames.append(part)
    gdf = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs=frames[0].crs or "EPSG:4326")
    gdf = _drop_default_columns(gdf, _KML_DEFAULTS)
    if "Name" in gdf.columns and "name" not in gdf.columns:
        gdf = gdf.rename(columns={"Name": "name"})
    if "id" in gdf.columns and bool(gdf["id"].isna().all()):
        gdf = gdf.drop(columns=["id"])
    if shapely.has_z(np.asarray(gdf.geometry.values)).any():
        gdf = gdf.set_geometry(shapely.force_2d(np.asarray(gdf.geometry.values)), crs=gdf.crs)
    return gdf, "KML"


def _read_gpx(p: Path, *, layer: str | None, **_: Any) -> tuple[gpd.GeoDataFrame, str]:
    fix = note("err.io.fix.gpx")
    try:
        names = [str(n) for n, _g in _layers_of(p)]
    except pyogrio.errors.DataSourceError as e:
        raise InputError(note("err.io.not_gpx", path=p, error=_short(e), fix=fix)) from e
    counts = {
        n: int(pyogrio.read_info(p, layer=n, force_feature_count=True)["features"])
        for n in names
        if n in _GPX_ALL
    }
    if layer is not None:
        if layer not in counts:
            raise InputError(
                note("err.io.gpx_no_layer", path=p, layer=repr(layer), layers=", ".join(_GPX_ALL))
            )
        if counts[layer] == 0:
            filled = [f"{n} ({counts[n]})" for n in _GPX_LAYERS if counts.get(n)]
            raise InputError(
                note(
                    "err.io.gpx_layer_empty",
                    path=p,
                    layer=layer,
                    filled=", ".join(filled) or note("err.io.nothing"),
                )
            )
    else:
        filled_layers = [n for n in _GPX_LAYERS if counts.get(n)]
        if not filled_layers:
            raise InputError(note("err.io.gpx_empty", path=p))
        if len(filled_layers) > 1:
            shown = ", ".join(f"{n} ({counts[n]})" for n in filled_layers)
            raise InputError(note("err.io.gpx_many", path=p, shown=shown))
        layer = filled_layers[0]
    gdf = _pyogrio(p, p, fix, layer=layer)
    empty = [c for c in gdf.columns if c != "geometry" and bool(gdf[c].isna().all())]
    gdf = gdf.drop(columns=empty)
    return gdf, f"GPX {layer}"


def _read_osm(p: Path, *, layer: str | None, **_: Any) -> tuple[gpd.GeoDataFrame, str]:
    if layer is None:
        raise InputError(
            note("err.io.osm_needs_layer", path=p, layers=", ".join(repr(n) for n in _OSM_LAYERS))
        )
    if layer not in _OSM_LAYERS:
        raise InputError(
            note(
                "err.io.osm_no_layer",
                path=p,
                layer=repr(layer),
                layers=", ".join(repr(n) for n in _OSM_LAYERS),
            )
        )
    name = p.name.lower()
    fix = note("err.io.fix.osm")
    with tempfile.TemporaryDirectory(prefix="pata-gis-osm-") as tmp:
        src = p
        if name.endswith(".bz2"):
            src = Path(tmp) / p.name[: -len(".bz2")]
            try:
                with bz2.open(p, "rb") as fin, src.open("wb") as fout:
                    shutil.copyfileobj(fin, fout, 1 << 20)
            except (OSError, EOFError) as e:
                raise InputError(note("err.io.not_bz2", path=p, error=str(e), fix=fix)) from e
        is_pbf = name.endswith(".pbf")
        if not is_pbf:
            with src.open("rb") as fh:
                head = fh.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")
            if not head.startswith(b"<"):
                raise InputError(note("err.io.osm_not_xml", path=p, fix=fix))
            if b"<osm" not in head.lower():
                raise InputError(note("err.io.osm_not_osm", path=p, fix=fix))
        gdf = _pyogrio(src, p, fix, layer=layer)
    return gdf, f"OSM {layer}"


# ----- CSV


def _pair_key(m: re.Match[str]) -> tuple[str, str]:
    groups = m.groupdict()
    return (groups.get("pre") or "", groups.get("suf") or "")


def _find_pair(
    cols: list[str], lat_re: re.Pattern[str], lon_re: re.Pattern[str]
) -> tuple[str, str] | None:
    lons: dict[tuple[str, str], str] = {}
    for c in cols:
        m = lon_re.match(c.strip().lower())
        if m:
            lons.setdefault(_pair_key(m), c)
    for c in cols:
        m = lat_re.match(c.strip().lower())
        if m and _pair_key(m) in lons:
            return c, lons[_pair_key(m)]
    return None


def _csv_layout(
    header: list[str], x: str | None, y: str | None, crs: str | None, p: Path
) -> tuple[str, list[str]]:
    """How the CSV stores positions: ('lonlat'|'xy', [y, x]) or ('geopoint'|'wkt', [col])."""
    if x is not None or y is not None:
        if x is None or y is None:
            raise InputError(note("err.io.csv_x_and_y", path=p))
        missing = [c for c in (x, y) if c not in header]
        if missing:
            raise InputError(
                note(
                    "err.io.csv_no_column",
                    path=p,
                    column=repr(missing[0]),
                    columns=", ".join(header),
                )
            )
        lonlat = bool(_LAT_RE.match(y.strip().lower()) and _LON_RE.match(x.strip().lower()))
        return ("lonlat" if lonlat else "xy"), [y, x]
    pair = _find_pair(header, _LAT_RE, _LON_RE)
    if pair:
        return "lonlat", list(pair)
    for c in header:
        if c.strip().lower() in _GEOPOINT_NAMES:
            return "geopoint", [c]
    pair = _find_pair(header, _Y_RE, _X_RE)
    if pair:
        return "xy", list(pair)
    for c in header:
        if c.strip().lower() in _WKT_NAMES:
            return "wkt", [c]
    raise InputError(
        note(
            "err.io.csv_no_coordinates",
            path=p,
            columns=", ".join(header) or note("err.io.none_paren"),
            accepted=note("err.io.csv_accepted"),
        )
    )


def _rows_text(rows: np.ndarray, limit: int = 10) -> Note | str:
    """The row numbers, with "and N more" past `limit` (translatable)."""
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    if len(rows) > limit:
        return note("err.n_more", shown=shown, more=str(len(rows) - limit))
    return shown


def _rownos(s: pd.Series) -> np.ndarray:
    """Spreadsheet row numbers of `s` (header = row 1; the index counts data lines from 0)."""
    return np.asarray(s.index, dtype=int) + 2


def _parse_numbers(s: pd.Series, col: str, p: Path) -> np.ndarray:
    text = s.astype("str").str.strip()
    blank = s.isna().to_numpy() | (text == "").to_numpy()
    values = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce").to_numpy(
        dtype=float
    )
    bad = ~blank & ~np.isfinite(values)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            note(
                "err.io.csv_not_number",
                path=p,
                row=str(_rownos(s)[i]),
                column=repr(col),
                value=repr(s.iloc[i]),
            )
        )
    return values


def _check_blank(blank: np.ndarray, cols: list[str], p: Path, rownos: np.ndarray) -> None:
    if blank.any():
        rows = rownos[np.flatnonzero(blank)]
        raise InputError(
            note(
                "err.io.csv_blank_one" if len(rows) == 1 else "err.io.csv_blank_many",
                path=p,
                rows=_rows_text(rows),
                columns=" / ".join(cols),
            )
        )


def _read_csv(
    p: Path,
    *,
    encoding: str | None,
    x: str | None,
    y: str | None,
    crs: str | None,
    **_: Any,
) -> tuple[gpd.GeoDataFrame, str]:
    raw = p.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) and encoding is None:
        encoding = "utf-16"
    elif _looks_binary(raw) and encoding is None:
        raise InputError(note("err.io.csv_binary", path=p))
    text = _decode(raw, p, encoding)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise InputError(note("err.io.csv_blank", path=p))
    first = lines[0]
    text = text[text.index(first) :]
    candidates = {d: first.count(d) for d in (";", ",", "\t", "|")}
    delim = max(candidates, key=lambda d: candidates[d]) if any(candidates.values()) else ","
    header = [h.strip() for h in next(csv.reader([first], delimiter=delim))]
    kind, cols = _csv_layout(header, x, y, crs, p)
    try:
        df = pd.read_csv(
            StringIO(text),
            sep=delim,
            dtype={c: str for c in cols},
            skipinitialspace=True,
            skip_blank_lines=False,
        )
        # blank lines are kept while parsing so that the index + 2 is the line number
        df = df.dropna(how="all")
    except (pd.errors.ParserError, ValueError) as e:
        raise InputError(
            note("err.io.csv_unreadable", path=p, error=_short(e), separator=repr(delim))
        ) from e
    df.columns = [str(c).strip() for c in df.columns]
    if len(df) == 0:
        raise InputError(note("err.io.csv_no_rows", path=p))
    rowno = np.asarray(df.index, dtype=int) + 2
    geom_crs: str | None
    if kind in ("lonlat", "xy"):
        ycol, xcol = cols
        yv = _parse_numbers(df[ycol], ycol, p)
        xv = _parse_numbers(df[xcol], xcol, p)
        _check_blank(np.isnan(yv) | np.isnan(xv), [ycol, xcol], p, rowno)
        if kind == "lonlat":
            for vals, col, lim in ((yv, ycol, 90), (xv, xcol, 180)):
                beyond = np.abs(vals) > lim
                if beyond.any():
                    i = int(np.flatnonzero(beyond)[0])
                    raise InputError(
                        note(
                            "err.io.csv_not_degrees",
                            path=p,
                            row=str(rowno[i]),
                            column=repr(col),
                            value=f"{vals[i]:g}",
                            lim=str(lim),
                        )
                    )
            geom_crs = crs or "EPSG:4326"
        else:
            if crs is None:
                raise CRSError(note("err.io.csv_xy_no_crs", path=p, x=repr(xcol), y=repr(ycol)))
            huge = (np.abs(xv) > 1e8) | (np.abs(yv) > 1e8)
            if huge.any():
                i = int(np.flatnonzero(huge)[0])
                raise InputError(
                    note(
                        "err.io.csv_huge",
                        path=p,
                        row=str(rowno[i]),
                        x=f"{xv[i]:g}",
                        y=f"{yv[i]:g}",
                    )
                )
            geom_crs = crs
        geometry = gpd.points_from_xy(xv, yv)
        df = df.drop(columns=cols)
    elif kind == "geopoint":
        col = cols[0]
        s = df[col].astype("str").str.strip()
        blank = (df[col].isna() | (s == "")).to_numpy()
        _check_blank(blank, [col], p, rowno)
        parsed = s.str.extract(_GEOPOINT_RE)
        bad = parsed[0].isna().to_numpy()
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(
                note(
                    "err.io.csv_not_geopoint",
                    path=p,
                    row=str(rowno[i]),
                    column=repr(col),
                    value=repr(df[col].iloc[i]),
                )
            )
        lat = pd.to_numeric(parsed[0].str.replace(",", "."), errors="coerce").to_numpy(float)
        lon = pd.to_numeric(parsed[1].str.replace(",", "."), errors="coerce").to_numpy(float)
        beyond = (np.abs(lat) > 90) | (np.abs(lon) > 180)
        if beyond.any():
            i = int(np.flatnonzero(beyond)[0])
            raise InputError(
                note(
                    "err.io.csv_geopoint_not_degrees",
                    path=p,
                    row=str(rowno[i]),
                    column=repr(col),
                    value=repr(df[col].iloc[i]),
                )
            )
        geometry = gpd.points_from_xy(lon, lat)
        geom_crs = crs or "EPSG:4326"
    else:
        col = cols[0]
        s = df[col].astype("str").str.strip()
        blank = (df[col].isna() | (s == "")).to_numpy()
        _check_blank(blank, [col], p, rowno)
        geoms = []
        for i, w in enumerate(s):
            try:
                geoms.append(shapely.from_wkt(w))
            except shapely.errors.GEOSException as e:
                raise InputError(
                    note(
                        "err.io.csv_bad_wkt",
                        path=p,
                        row=str(rowno[i]),
                        column=repr(col),
                        error=_short(e),
                    )
                ) from e
        geometry = gpd.GeoSeries(geoms).values
        df = df.drop(columns=cols)
        geom_crs = crs or "EPSG:4326"
    gdf = gpd.GeoDataFrame(df, geometry=geometry, crs=geom_crs)
    return gdf, note("err.io.what.csv", kind=kind, columns=", ".join(cols))


_READERS: dict[str, Reader] = {
    "geojson": _read_geojson,
    "gpkg": _read_gpkg,
    "shp": _read_shp,
    "zip": _read_zip,
    "kml": _read_kml,
    "csv": _read_csv,
    "gpx": _read_gpx,
    "osm": _read_osm,
    "gtfs": _read_gtfs,
}


def _finish(
    gdf: gpd.GeoDataFrame, p: Path, *, what: str, crs: str | None, region: Region | None
) -> gpd.GeoDataFrame:
    """Checks and normalisation shared by every format."""
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(note("err.io.no_geometry", path=p))
    if len(gdf) == 0:
        raise InputError(note("err.io.no_features", path=p, what=what))
    arr = np.asarray(gdf.geometry.values)
    missing = shapely.is_missing(arr) | shapely.is_empty(arr)
    if missing.all():
        raise InputError(
            note("err.io.only_empty_geometry", path=p)
            if len(gdf) == 1
            else note("err.io.all_empty_geometry", path=p, n=str(len(gdf)))
        )
    if missing.any():
        log.warning("%s: %d of %d features have no geometry", p, int(missing.sum()), len(gdf))
    gc = shapely.get_type_id(arr) == 7
    if gc.any():
        single = gc & (shapely.get_num_geometries(arr) == 1)
        if single.any():
            arr = arr.copy()
            arr[single] = shapely.get_geometry(arr[single], 0)
            gdf = gdf.set_geometry(gpd.array.from_shapely(arr, crs=gdf.crs))
            log.info("%s: unwrapped %d one-member GeometryCollections", p, int(single.sum()))
    no_prj = bool(gdf.attrs.pop("_pata_no_crs_hint", False))
    if crs is not None:
        try:
            wanted = gpd.array.from_shapely([], crs=crs).crs
        except Exception as e:
            raise CRSError(note("err.io.unknown_crs", path=p, crs=repr(crs))) from e
        if gdf.crs is None:
            gdf = gdf.set_crs(wanted)
        elif not gdf.crs.equals(wanted):
            log.warning("%s: declared CRS %s replaced by crs=%s", p, gdf.crs.to_string(), crs)
            gdf = gdf.set_crs(wanted, allow_override=True)
    if gdf.crs is None:
        raise CRSError(note("err.io.no_crs_prj" if no_prj else "err.io.no_crs", path=p))
    gdf = normalise_text(gdf)
    gdf = gdf.reset_index(drop=True)
    _crs.check(gdf, name=str(p), region=region)
    log.info("read %d features from %s (%s, %s)", len(gdf), p, what, gdf.crs.to_string())
    return gdf


# --------------------------------------------------------------------------- list_layers


def list_layers(path: str | os.PathLike[str]) -> list[str]:
    """The layers :func:`read` can pick from with ``layer=``.

    Parameters
    ----------
    path : str or path-like
        Any file :func:`read` accepts.

    Returns
    -------
    list of str
        GeoPackage layers; shapefiles in a zip or folder; KML folders; the GPX
        layers that hold features; the OSM layers; else one name, the file stem.
    """
    p = Path(path)
    if not p.exists():
        raise InputError(note("err.io.no_such_path", path=p))
    if p.is_dir():
        return sorted(f.stem for f in p.iterdir() if f.suffix.lower() == ".shp")
    kind = _kind(p)
    try:
        if kind in ("gpkg", "kml"):
            return [str(n) for n, _g in _layers_of(p)]
        if kind == "gpx":
            return [
                str(n)
                for n, _g in _layers_of(p)
                if n in _GPX_LAYERS
                and pyogrio.read_info(p, layer=n, force_feature_count=True)["features"]
            ]
    except pyogrio.errors.DataSourceError as e:
        raise InputError(note("err.io.cannot_open", path=p, error=_short(e))) from e
    if kind == "osm":
        return list(_OSM_LAYERS)
    if kind == "zip" and zipfile.is_zipfile(p):
        with zipfile.ZipFile(p) as zf:
            shps = [Path(m).stem for m in zf.namelist() if m.lower().endswith(".shp")]
        if shps:
            return shps
    return [p.stem]


# --------------------------------------------------------------------------- write


def write(
    gdf: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    driver: str | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a frame to a file, atomically.

    The file is written to a temporary folder beside `path` and moved into place
    with :func:`os.replace`, so `path` is either the complete new file or
    untouched; nothing half-written is left behind.

    Parameters
    ----------
    gdf : GeoDataFrame
        The features, with a CRS.
    path : str or path-like
        ``.gpkg`` (GeoPackage, keeps the frame's CRS), ``.geojson``/``.json``,
        ``.zip`` (a zipped Shapefile: .shp, .shx, .dbf, .prj and a UTF-8 .cpg),
        ``.kml`` or ``.csv`` (points as ``lon``/``lat`` columns, other
        geometries as a ``wkt`` column; UTF-8 with a byte-order mark so that
        spreadsheets show ș and ț). All but GeoPackage are written in EPSG:4326.
    layer : str, optional
        The layer name (GeoPackage, KML folder, shapefile name inside the zip);
        default: the file stem.
    driver : str, optional
        ``"GPKG"``, ``"GeoJSON"``, ``"ESRI Shapefile"``, ``"KML"`` or ``"CSV"``,
        when the extension does not say.
    overwrite : bool
        Replace an existing file (the whole file: every layer of a GeoPackage);
        otherwise an existing file is an error. Adding a layer to a GeoPackage
        is the workspace's job (:mod:`pata_gis.workspace`).

    Returns
    -------
    Path
        `path`.

    Raises
    ------
    InputError
        `path` exists and `overwrite` is false, its folder is missing, the
        format is unknown, or the frame cannot be written in that format
        (e.g. mixed geometry types in a Shapefile).
    CRSError
        The frame has no CRS.
    """
    p = Path(path)
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise InputError(f"cannot write {p}: expected a GeoDataFrame, got {type(gdf).__name__}.")
    drv = _driver_for(p, driver)
    if gdf.crs is None:
        raise CRSError(
            f"cannot write {p}: the frame has no CRS; set it first, e.g. "
            "gdf.set_crs('EPSG:4326') or gdf.set_crs('EPSG:3844')."
        )
    if p.is_dir():
        raise InputError(f"cannot write {p}: it is a folder; give a file name.")
    if p.exists() and not overwrite:
        raise InputError(
            f"{p} already exists; pass overwrite=True to replace it, or choose another name."
        )
    if not p.parent.is_dir():
        raise InputError(
            f"cannot write {p}: the folder {p.parent} does not exist; create it first."
        )
    frame = gdf if drv == "GPKG" else _crs.to_display(gdf, name=str(p))
    name = layer or _stem(p)
    tmp = Path(tempfile.mkdtemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent))
    try:
        target = tmp / p.name
        try:
            _WRITERS[drv](frame, target, name, tmp)
        except InputError:
            raise
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as e:
            raise InputError(f"cannot write {p} ({_short(e)}); check the frame's columns.") from e
        except (pyogrio.errors.FieldError, pyogrio.errors.GeometryError) as e:
            raise InputError(f"cannot write {p} ({_short(e)}); check the frame's columns.") from e
        target.replace(p)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    log.info("wrote %d features to %s (%s)", len(gdf), p, drv)
    return p


def _stem(p: Path) -> str:
    name = p.name
    for ext in (".shp.zip", ".zip", ".gpkg", ".geojson", ".json", ".kml", ".csv"):
        if name.lower().endswith(ext):
            return name[: -len(ext)]
    return p.stem


def _driver_for(p: Path, driver: str | None) -> str:
    if driver is not None:
        drv = _DRIVER_ALIASES.get(driver.strip().lower())
        if drv is None:
            raise InputError(
                f"cannot write {p}: unknown driver {driver!r}; use one of "
                "'GPKG', 'GeoJSON', 'ESRI Shapefile', 'KML', 'CSV'."
            )
        return drv
    drv = WRITE_EXTENSIONS.get(p.suffix.lower())
    if drv is None:
        raise InputError(
            f"cannot write {p}: unknown extension {p.suffix or '(none)'!r}; use one of "
            f"{', '.join(WRITE_EXTENSIONS)} (a Shapefile is written as a .zip), or pass driver=."
        )
    return drv


def _write_gpkg(frame: gpd.GeoDataFrame, target: Path, name: str, tmp: Path) -> None:
    pyogrio.write_dataframe(frame, target, layer=name, driver="GPKG")


def _write_geojson(frame: gpd.GeoDataFrame, target: Path, name: str, tmp: Path) -> None:
    pyogrio.write_dataframe(frame, target, layer=name, driver="GeoJSON")


def _write_shapezip(frame: gpd.GeoDataFrame, target: Path, name: str, tmp: Path) -> None:
    kinds = {
        str(t).replace("Multi", "").replace("LinearRing", "LineString")
        for t in frame.geom_type.dropna().unique()
    }
    if len(kinds) > 1:
        raise InputError(
            f"cannot write {target.name}: a Shapefile holds one geometry type, this frame has "
            f"{', '.join(sorted(kinds))}; split it by geometry type or write a GeoPackage."
        )
    long_names = [str(c) for c in frame.columns if c != frame.geometry.name and len(str(c)) > 10]
    if long_names:
        log.warning(
            "%s: Shapefile field names are cut to 10 characters: %s", target, ", ".join(long_names)
        )
    shp_dir = tmp / "shp"
    shp_dir.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.write_dataframe(frame, shp_dir / f"{name}.shp", encoding="UTF-8")
    cpg = shp_dir / f"{name}.cpg"
    if not cpg.exists():
        cpg.write_text("UTF-8")
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(shp_dir.iterdir()):
            zf.write(f, arcname=f.name)


def _write_kml(frame: gpd.GeoDataFrame, target: Path, name: str, tmp: Path) -> None:
    out = frame.copy()
    for col in out.columns:
        # GDAL's KML driver declares 64-bit integers as strings: narrow them when they fit.
        if pd.api.types.is_integer_dtype(out[col]) and out[col].dtype.itemsize > 4:
            v = out[col]
            if len(v) == 0 or v.isna().all() or (v.min() >= -(2**31) and v.max() < 2**31):
                # nullable Int64 with gaps -> Int32 (missing values stay missing)
                out[col] = v.astype("Int32" if v.isna().any() else "int32")
    pyogrio.write_dataframe(out, target, layer=name, driver="KML")


def _write_csv(frame: gpd.GeoDataFrame, target: Path, name: str, tmp: Path) -> None:
    geom = frame.geometry
    df = pd.DataFrame(frame.drop(columns=[geom.name]))
    present = geom.notna() & ~geom.is_empty
    if len(frame) and bool((geom[present].geom_type == "Point").all()):
        added = {"lon": geom.x, "lat": geom.y}
    else:
        added = {"wkt": geom.to_wkt()}
    clash = [c for c in added if c in df.columns]
    if clash:
        raise InputError(
            f"cannot write {target.name}: the frame already has a column {clash[0]!r}, which "
            "the CSV export uses for the geometry; rename or drop that column first."
        )
    for col, values in added.items():
        df[col] = values.to_numpy()
    df.to_csv(target, index=False, encoding="utf-8-sig")


_WRITERS: dict[str, Callable[[gpd.GeoDataFrame, Path, str, Path], None]] = {
    "GPKG": _write_gpkg,
    "GeoJSON": _write_geojson,
    "ESRI Shapefile": _write_shapezip,
    "KML": _write_kml,
    "CSV": _write_csv,
}
