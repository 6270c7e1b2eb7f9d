"""OpenStreetMap street graphs: the only module of pata-gis that downloads.

Every downloader has an offline twin: :func:`graph_from_place` and
:func:`graph_from_bbox` fetch from the Overpass API through :mod:`osmnx` and
keep the result in a cache folder (default ``data/osm_cache``), so the second
call for the same area reads the cache and needs no internet;
:func:`graph_from_file` reads an OSM XML file (``.osm``, ``.osm.bz2``,
``.xml``) without any network.

Before a download, :func:`check_connection` opens a socket to the server with a
short timeout, so that with no internet the call fails at once with a
:class:`~pata_gis._errors.NetworkUnavailableError` telling how to work offline,
instead of after osmnx's minutes of retries.

OpenStreetMap data is © OpenStreetMap contributors, ODbL: credit it on every
map that shows it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx

from pata_gis._errors import InputError, NetworkUnavailableError

__all__ = [
    "ATTRIBUTION",
    "CONNECT_TIMEOUT_S",
    "DEFAULT_CACHE_FOLDER",
    "check_connection",
    "graph_from_bbox",
    "graph_from_file",
    "graph_from_place",
]

log = logging.getLogger(__name__)

#: Where downloaded graphs (and osmnx's HTTP responses) are kept, relative to
#: the current directory.
DEFAULT_CACHE_FOLDER = Path("data") / "osm_cache"

#: Seconds to wait for the server before deciding there is no internet.
CONNECT_TIMEOUT_S = 3.0

#: Seconds osmnx may wait for an answer once connected.
REQUEST_TIMEOUT_S = 180.0

#: Credit line for maps showing OSM data.
ATTRIBUTION = "© OpenStreetMap contributors"

_OFFLINE_FIX = (
    "build the network from a local OSM file with pata_gis.network.from_osm_file(path) "
    "(export one at https://www.openstreetmap.org/export or with osmium) or from a line "
    "layer with Network.from_lines(...) instead"
)


def _host_port(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or url
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return host, port


def check_connection(url: str | None = None, *, timeout_s: float | None = None) -> None:
    """Fail fast when the server at `url` cannot be reached.

    Parameters
    ----------
    url : str, optional
        ``None`` means osmnx's Overpass URL.
    timeout_s : float, optional
        ``None`` means :data:`CONNECT_TIMEOUT_S` (3 s). Name resolution is
        bounded by the same timeout.

    Raises
    ------
    NetworkUnavailableError
        "no internet connection", with how to build the network offline.
    """
    import osmnx as ox

    target = url if url is not None else ox.settings.overpass_url
    timeout = CONNECT_TIMEOUT_S if timeout_s is None else float(timeout_s)
    host, port = _host_port(target)
    result: dict[str, BaseException | None] = {"error": None}

    def attempt() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                pass
        except OSError as e:
            result["error"] = e

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    error = result["error"]
    if worker.is_alive():
        error = TimeoutError(f"no answer within {timeout:g} s")
    if error is not None:
        raise NetworkUnavailableError(
            f"no internet connection: cannot reach {host}:{port} ({error}); {_OFFLINE_FIX}."
        ) from error


@contextlib.contextmanager
def _osmnx_settings(cache_folder: Path) -> Iterator[None]:
    """Point osmnx's HTTP cache at `cache_folder` for the duration, then restore."""
    import osmnx as ox

    saved = (ox.settings.cache_folder, ox.settings.use_cache, ox.settings.requests_timeout)
    ox.settings.cache_folder = str(cache_folder / "http")
    ox.settings.use_cache = True
    ox.settings.requests_timeout = REQUEST_TIMEOUT_S
    try:
        yield
    finally:
        ox.settings.cache_folder, ox.settings.use_cache, ox.settings.requests_timeout = saved


def _cache_path(folder: Path, query: dict[str, Any]) -> Path:
    digest = hashlib.sha1(json.dumps(query, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    return folder / f"graph-{query['kind']}-{digest}.graphml"


def _cached(query: dict[str, Any], cache_folder: str | Path | None, fetch: Any) -> nx.MultiDiGraph:
    import osmnx as ox

    folder = Path(cache_folder) if cache_folder is not None else DEFAULT_CACHE_FOLDER
    path = _cache_path(folder, query)
    if path.is_file():
        log.info("reading cached OSM graph %s", path)
        return ox.load_graphml(path)
    check_connection()
    folder.mkdir(parents=True, exist_ok=True)
    with _osmnx_settings(folder):
        try:
            graph = fetch()
        except (ConnectionError, OSError) as e:
            raise NetworkUnavailableError(
                f"the OpenStreetMap download failed ({e}); {_OFFLINE_FIX}."
            ) from e
    tmp = path.with_name(path.name + ".part")
    ox.save_graphml(graph, tmp)
    tmp.replace(path)
    log.info("saved OSM graph (%d nodes) to %s", graph.number_of_nodes(), path)
    return graph


def _network_type(network_type: str) -> str:
    allowed = ("all", "all_public", "walk", "drive", "drive_service", "bike")
    if network_type not in allowed:
        raise InputError(f"network_type must be one of {', '.join(allowed)}, got {network_type!r}.")
    return network_type


def graph_from_place(
    place: str,
    *,
    network_type: str = "all",
    cache_folder: str | Path | None = None,
) -> nx.MultiDiGraph:
    """Download the OSM street graph of a named place, or read it from the cache.

    Parameters
    ----------
    place : str
        A place Nominatim knows, e.g. ``"Cluj-Napoca, Romania"``.
    network_type : str
        osmnx network type: ``"all"`` (default: walk and drive modes are then
        derived by :class:`pata_gis.network.Network`), ``"walk"``, ``"drive"``...
    cache_folder : str or Path, optional
        ``None`` means :data:`DEFAULT_CACHE_FOLDER` (``data/osm_cache``).

    Returns
    -------
    networkx.MultiDiGraph
        The osmnx graph (EPSG:4326), simplified.

    Raises
    ------
    NetworkUnavailableError
        At once, when the graph is not cached and there is no internet.
    """
    import osmnx as ox

    query = {"kind": "place", "place": str(place), "network_type": _network_type(network_type)}
    return _cached(
        query,
        cache_folder,
        lambda: ox.graph_from_place(place, network_type=network_type),
    )


def graph_from_bbox(
    bbox: tuple[float, float, float, float],
    *,
    network_type: str = "all",
    cache_folder: str | Path | None = None,
) -> nx.MultiDiGraph:
    """Download the OSM street graph inside a lon/lat box, or read it from the cache.

    Parameters
    ----------
    bbox : tuple of float
        ``(west, south, east, north)`` in degrees (osmnx 2 order), e.g. Pata
        Rât and the city: ``(23.55, 46.74, 23.72, 46.80)``.
    network_type, cache_folder
        As in :func:`graph_from_place`.

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    InputError
        When the box is not ``(west, south, east, north)`` in degrees.
    NetworkUnavailableError
        At once, when the graph is not cached and there is no internet.
    """
    import osmnx as ox

    try:
        w, s, e, n = (float(v) for v in bbox)
    except (TypeError, ValueError) as err:
        raise InputError(
            f"bbox must be (west, south, east, north) in degrees, got {bbox!r}."
        ) from err
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise InputError(
            f"bbox {bbox!r} is not (west, south, east, north) in degrees with west < east "
            "and south < north; for Pata Rât use e.g. (23.55, 46.74, 23.72, 46.80)."
        )
    query = {"kind": "bbox", "bbox": [w, s, e, n], "network_type": _network_type(network_type)}
    return _cached(
        query,
        cache_folder,
        lambda: ox.graph_from_bbox((w, s, e, n), network_type=network_type),
    )


def graph_from_file(
    path: str | Path,
    *,
    bidirectional: bool = False,
    retain_all: bool = False,
) -> nx.MultiDiGraph:
    """Read an OSM street graph from an OSM XML file, with no network.

    Parameters
    ----------
    path : str or Path
        ``.osm``, ``.xml`` or ``.osm.bz2`` (as exported from openstreetmap.org,
        JOSM or ``osmium cat area.pbf -o area.osm``). PBF files must be
        converted to XML first.
    bidirectional : bool
        Treat one-way streets as two-way (osmnx ``graph_from_xml``).
    retain_all : bool
        Keep the disconnected pieces as well as the largest one.

    Returns
    -------
    networkx.MultiDiGraph
        The osmnx graph (EPSG:4326), simplified.

    Raises
    ------
    InputError
        When the file is missing, a PBF, or not OSM XML.
    """
    import osmnx as ox

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such OSM file; check the path.")
    name = p.name.lower()
    if name.endswith(".pbf"):
        raise InputError(
            f"{p} is an OSM PBF file; convert it to XML first with "
            f"`osmium cat {p.name} -o {p.name[: -len('.pbf')]}.osm` (or clip a smaller area "
            "with `osmium extract`), then read the .osm file."
        )
    try:
        graph = ox.graph_from_xml(p, bidirectional=bidirectional, retain_all=retain_all)
    except Exception as e:  # osmnx and the XML parser raise many kinds
        raise InputError(
            f"{p} cannot be read as an OSM XML street file ({type(e).__name__}: {e}); "
            "export the area again as .osm XML."
        ) from e
    log.info("read OSM graph (%d nodes) from %s", graph.number_of_nodes(), p)
    return graph
