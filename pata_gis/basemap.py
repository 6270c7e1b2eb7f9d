"""Online tiles only when a tile server answers; otherwise the local basemap.

A workshop laptop is often offline. The app's maps therefore never depend on a
tile server: the light basemap drawn from local layers
(:func:`pata_gis.maps.local_basemap`: roads, settlements, the city boundary
when one is given) is always there, and OpenStreetMap tiles are added under it
only when :func:`tile_server_answers` reaches the tile server within
:data:`CHECK_TIMEOUT_S` (a TCP connection to its host, no HTTP request, no
data sent). The tiles carry "© OpenStreetMap contributors" (ODbL).

Set ``PATA_GIS_OFFLINE=1`` to skip the check and never request tiles (a
workshop that must not leave any trace on the network, or a test).

The result of a check should be cached by the caller (the app keeps it a few
minutes, :func:`pata_gis.ui.common.online_tiles`), so a page view costs at most
one second when offline.

Examples
--------
>>> from pata_gis import basemap
>>> basemap.tile_server_answers()  # doctest: +SKIP
False
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from urllib.parse import urlsplit

__all__ = [
    "CHECK_TIMEOUT_S",
    "OFFLINE_ENV",
    "OSM_TILE_URL",
    "online",
    "tile_host",
    "tile_server_answers",
]

log = logging.getLogger(__name__)

#: The OpenStreetMap standard tile layer (its tile usage policy applies: light,
#: interactive use with attribution; no bulk download).
OSM_TILE_URL: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"

#: Seconds the connectivity check waits for the tile server (name lookup included).
CHECK_TIMEOUT_S: float = 1.0

#: Environment variable that, set to 1/true/yes, forbids tile requests altogether.
OFFLINE_ENV: str = "PATA_GIS_OFFLINE"


def online() -> bool:
    """False when ``$PATA_GIS_OFFLINE`` forbids network use (``1``, ``true``, ``yes``)."""
    return os.environ.get(OFFLINE_ENV, "").strip().lower() not in ("1", "true", "yes", "on")


def tile_host(url: str | None = None) -> tuple[str, int]:
    """Host and port of a tile URL template (``{s}`` subdomains become ``a``).

    Examples
    --------
    >>> tile_host("https://{s}.tile.example.org/{z}/{x}/{y}.png")
    ('a.tile.example.org', 443)
    """
    template = OSM_TILE_URL if url is None else url
    parts = urlsplit(template.replace("{s}", "a"))
    if not parts.hostname:
        raise ValueError(f"tile URL {template!r} has no host; give an http(s) URL template")
    port = parts.port or (80 if parts.scheme == "http" else 443)
    return parts.hostname, port


def tile_server_answers(url: str | None = None, *, timeout_s: float | None = None) -> bool:
    """Whether the tile server of `url` accepts a connection within `timeout_s`.

    Never raises for a network failure: an unreachable server, a failed name
    lookup or a timeout all give False (logged at debug level).

    Parameters
    ----------
    url : str, optional
        A tile URL template; default :data:`OSM_TILE_URL`.
    timeout_s : float, optional
        Default :data:`CHECK_TIMEOUT_S`. The name lookup is bounded too (the
        attempt runs in a thread that is abandoned after the timeout).

    Returns
    -------
    bool
        False at once when ``$PATA_GIS_OFFLINE`` is set.
    """
    if not online():
        return False
    host, port = tile_host(url)
    timeout = CHECK_TIMEOUT_S if timeout_s is None else float(timeout_s)
    result: dict[str, bool] = {"ok": False}

    def attempt() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result["ok"] = True
        except OSError as exc:
            log.debug("tile server %s:%d does not answer: %s", host, port, exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout + 0.1)
    ok = result["ok"] and not worker.is_alive()
    log.info("tile server %s:%d %s", host, port, "answers" if ok else "does not answer")
    return ok
