"""Cached analysis results for the pages: computed once per workspace state.

Each function takes the open :class:`~pata_gis.workspace.Workspace` and keys its
cache on the workspace file (path and modification time) and on the version of
the layers it reads, so the landfill zones, the exposure image and the road
network are computed once and again only when their layer changes; page
reruns (a click, a language switch) reuse them.

Only layers a public map may show are read here (checked against the
workspace's own specs).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from pata_gis import settings
from pata_gis._errors import SensitivityError
from pata_gis.maps import PollutionLayers, allowed_layers, place_distances, pollution_layers
from pata_gis.ui.common import _mtime, _open, _read, _versions, layer_version
from pata_gis.workspace import Workspace

__all__ = [
    "RoadNetwork",
    "clicked_place",
    "in_area",
    "landfill_overlays",
    "road_network",
]

logger = logging.getLogger(__name__)

#: The layers the clicked-place table reads (all public).
PLACE_LAYERS: tuple[str, ...] = (
    "landfill",
    "schools",
    "kindergartens",
    "health",
    "social_services",
    "emergency_services",
    "transit_stops",
)


@st.cache_data(show_spinner=False, max_entries=8)
def _landfill_overlays(path: str, mtime: float, version: int) -> PollutionLayers:
    logger.info("computing landfill overlays for %s (landfill v%s)", path, version)
    if "landfill" not in allowed_layers(_open(path).specs(), "public"):
        raise SensitivityError(
            "layer 'landfill' is not public in this workspace, so the public map may not "
            "draw zones from it; make its spec public or draw the zones for a restricted map"
        )
    return pollution_layers(_read(path, "landfill", mtime))


def landfill_overlays(ws: Workspace) -> PollutionLayers:
    """The legal zone, distance bands and exposure image of the workspace landfill.

    Cached on the workspace file and the landfill layer's version.

    Raises
    ------
    InputError
        When the landfill layer has no active cell.
    SensitivityError
        When the workspace does not mark the landfill layer public.
    """
    return _landfill_overlays(str(ws.path), _mtime(ws.path), layer_version(ws, "landfill"))


@dataclass(frozen=True)
class RoadNetwork:
    """The walking network built from the workspace ``roads`` layer, or why there is none."""

    network: Any | None
    reason: str | None = None

    @property
    def walk_speed_kmh(self) -> float:
        """Walking speed of the network (km/h)."""
        return float(getattr(self.network, "walk_speed_kmh", math.nan))


@st.cache_resource(show_spinner=False, max_entries=4)
def _road_network(path: str, mtime: float, version: int) -> RoadNetwork:
    try:
        from pata_gis.network import Network

        from_lines = Network.from_lines
        from pata_gis.access import nearest_facilities  # noqa: F401  (needed later)
    except (ImportError, AttributeError) as exc:
        logger.info("network distances not available: %s", exc)
        return RoadNetwork(None, "no_network_module")
    roads = _read(path, "roads", mtime)
    if len(roads) == 0:
        return RoadNetwork(None, "no_roads")
    try:
        return RoadNetwork(from_lines(roads, source="roads layer", name="the roads layer"))
    except Exception as exc:  # a broken roads layer must not take the page down
        logger.warning("cannot build the road network: %s", exc)
        return RoadNetwork(None, str(exc))


def road_network(ws: Workspace) -> RoadNetwork:
    """The road network of the workspace (cached on the roads layer's version).

    ``network`` is ``None`` with a ``reason`` (an i18n key suffix or a message)
    when :mod:`pata_gis.network` is missing or the roads layer is empty or broken.
    """
    return _road_network(str(ws.path), _mtime(ws.path), layer_version(ws, "roads"))


def in_area(lon: float, lat: float) -> bool:
    """Whether a clicked point lies in the Cluj-Napoca area (:data:`settings.cluj_bounds`)."""
    w, s, e, n = settings.cluj_bounds
    return w <= lon <= e and s <= lat <= n


@st.cache_data(show_spinner=False, max_entries=64)
def _clicked_place(
    path: str, mtime: float, lon: float, lat: float, with_network: bool
) -> pd.DataFrame:
    public = set(allowed_layers(_open(path).specs(), "public"))
    layers = {}
    for name in PLACE_LAYERS:
        if name not in public:  # a workspace may mark a layer restricted: leave it out
            continue
        try:
            layers[name] = _read(path, name, mtime)
        except Exception as exc:  # an unreadable layer leaves its rows empty
            logger.warning("layer %s cannot be read: %s", name, exc)
    if with_network:
        network = _road_network(path, mtime, _versions(path, mtime).get("roads", 0)).network
        try:
            return place_distances((lon, lat), layers, network=network)
        except Exception as exc:  # the network engine is young: keep straight lines
            logger.warning("network distances failed, straight lines only: %s", exc)
            out = place_distances((lon, lat), layers)
            out.attrs["network_error"] = str(exc)
            return out
    return place_distances((lon, lat), layers)


def clicked_place(ws: Workspace, lon: float, lat: float, *, with_network: bool) -> pd.DataFrame:
    """:func:`pata_gis.maps.place_distances` for a clicked point (cached per point).

    Coordinates are rounded to 1e-6 degrees (about 10 cm) for the cache key.
    When the network search fails the straight-line table comes back with
    ``attrs["network_error"]``.
    """
    return _clicked_place(str(ws.path), _mtime(ws.path), round(lon, 6), round(lat, 6), with_network)
