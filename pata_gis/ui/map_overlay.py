"""Send only what changed to a map that is already drawn.

``streamlit_folium.st_folium`` sends the whole map script again whenever any of its
arguments changes, ``feature_group_to_add`` included: a click on the Map page
re-sent 209 kB for a 1.6 kB marker, a weight change on the Sites page 53 kB for an
11 kB layer (``benchmarks/bench_ui_paint.py``). Streamlit itself sends an element
that is byte-for-byte the same as in the last run (and at least 10 kB) as a short
reference to the browser's copy. So the pages keep the ``st_folium`` call the same
from run to run and draw what changes with :func:`draw_on_map`: a tiny HTML element
(no height) whose script finds the page's map frame (same origin, served by the
app) and replaces its layer there. Nothing is fetched: the map frame's own Leaflet
draws it.

The payload is GeoJSON whose features carry their own look:

- ``_style``: a Leaflet path style (``color``, ``weight``, ``fillColor``, ...);
  points become circle markers with it (``radius`` included);
- ``_tip``: tooltip HTML (sticky);
- ``_label`` (points): a permanent centred label (HTML) with class ``_label_class``;
  the point itself is invisible.

If the map frame is rebuilt (another language, another role), the script puts the
layer back on the new map.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit.components.v1 as components

__all__ = ["MAP_FRAME_TITLE", "draw_on_map", "overlay_html"]

#: The ``title`` of the iframes st_folium draws its maps in.
MAP_FRAME_TITLE = "streamlit_folium.st_folium"

_SCRIPT = """
<script>
(function () {
  const payload = __PAYLOAD__;
  function frameWindow() {
    let frames;
    try {
      frames = window.parent.document.querySelectorAll("iframe[title='__TITLE__']");
    } catch (e) { return null; }
    const frame = frames[payload.index];
    const w = frame && frame.contentWindow;
    return w && w.map && w.L ? w : null;
  }
  function build(L) {
    const group = L.featureGroup();
    for (const layer of payload.layers) {
      L.geoJSON(layer, {
        style: function (f) { return (f.properties || {})._style || {}; },
        pointToLayer: function (f, latlng) {
          const p = f.properties || {};
          if (p._label) {
            return L.circleMarker(latlng, {radius: 2, opacity: 0, fillOpacity: 0});
          }
          return L.circleMarker(latlng, p._style || {});
        },
        onEachFeature: function (f, l) {
          const p = f.properties || {};
          if (p._label) {
            l.bindTooltip(p._label, {permanent: true, direction: "center",
                                     className: p._label_class || "", opacity: 0.95});
          } else if (p._tip) {
            l.bindTooltip(p._tip, {sticky: true});
          }
        }
      }).addTo(group);
    }
    return group;
  }
  function apply() {
    const w = frameWindow();
    if (!w) { return; }
    const slot = "__pataOverlay_" + payload.name;
    const current = w[slot];
    if (current && current.map === w.map && current.stamp === payload.stamp
        && w.map.hasLayer(current.group)) { return; }
    if (current && current.map === w.map && w.map.hasLayer(current.group)) {
      w.map.removeLayer(current.group);
    }
    const group = build(w.L);
    if (payload.layers.length) { group.addTo(w.map); }
    if (payload.front) { group.eachLayer(function (l) { if (l.bringToFront) l.bringToFront(); }); }
    w[slot] = {map: w.map, group: group, stamp: payload.stamp};
  }
  apply();
  setInterval(apply, 400);
})();
</script>
"""


def overlay_html(
    name: str, layers: Sequence[Mapping[str, Any]], *, index: int = 0, front: bool = True
) -> str:
    """The HTML (one script) that draws `layers` on the page's `index`-th map.

    Parameters
    ----------
    name : str
        The overlay's name; a later overlay of the same name replaces it.
    layers : sequence of GeoJSON FeatureCollections (dicts)
        Each feature with ``_style`` / ``_tip`` / ``_label`` properties.
    index : int
        Which st_folium map of the page (0 = the first).
    front : bool
        Bring the drawn paths above the map's own layers.
    """
    body = json.dumps(
        {"name": name, "layers": list(layers), "index": index, "front": front},
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    stamp = hashlib.sha1(body.encode()).hexdigest()[:16]
    payload = body[:-1] + f',"stamp":"{stamp}"}}'
    # "</" would end the script element early
    payload = payload.replace("</", "<\\/")
    return _SCRIPT.replace("__PAYLOAD__", payload).replace("__TITLE__", MAP_FRAME_TITLE)


def draw_on_map(
    name: str, layers: Sequence[Mapping[str, Any]], *, index: int = 0, front: bool = True
) -> None:
    """Draw `layers` on the page's map already on screen, sending only them.

    Call it right after the page's ``st_folium`` (whose arguments then stay the same
    from run to run, so Streamlit does not send the map again). See
    :func:`overlay_html` for the parameters.
    """
    components.html(overlay_html(name, layers, index=index, front=front), height=0)
