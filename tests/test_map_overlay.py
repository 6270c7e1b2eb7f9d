"""Maps send only what changed: the st_folium map stays the same message, the overlay changes.

Streamlit sends an element identical to the last run's (and >= 10 kB) as a reference
to the browser's copy, so a map whose arguments do not change costs nothing on the
wire. These tests check, in AppTest, that a weight change on the Sites page and a
click on the Map page leave the map's arguments byte-identical while the small
overlay element carries the change; the browser tests (test_ui_sites, test_browser)
check that Chromium draws the overlay on the map.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pata_gis.ui.map_overlay import overlay_html

REPO = Path(__file__).resolve().parents[1]


def _payload(html: str) -> dict[str, Any]:
    start = html.index("const payload = ") + len("const payload = ")
    end = html.index(";\n", start)
    return json.loads(html[start:end].replace("<\\/", "</"))


def test_overlay_payload_round_trips_and_cannot_end_its_script() -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [23.69, 46.77]},
                "properties": {"_tip": "</script><b>Pata Rât</b>", "_style": {"radius": 7}},
            }
        ],
    }
    html = overlay_html("x", [fc], index=1)
    assert html.count("</script>") == 1  # only the element's own end
    payload = _payload(html)
    assert payload["layers"] == [fc] and payload["index"] == 1 and payload["name"] == "x"
    # the stamp follows the content: a change makes a new one, the same content the same
    assert _payload(overlay_html("x", [fc], index=1))["stamp"] == payload["stamp"]
    assert _payload(overlay_html("x", [], index=1))["stamp"] != payload["stamp"]


def _map_args(at: Any) -> str:
    (element,) = [
        e for e in at.get("component_instance") if e.proto.component_name.endswith("st_folium")
    ]
    return str(element.proto.json_args)


def _overlays(at: Any) -> list[dict[str, Any]]:
    return [_payload(e.proto.srcdoc) for e in at.get("iframe") if "payload" in e.proto.srcdoc]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_app import make_workspace

    path = tmp_path_factory.mktemp("overlay") / "workspace.gpkg"
    make_workspace(path)
    return path


def test_a_weight_change_sends_the_ranking_not_the_map(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(workspace))
    at = AppTest.from_file(str(REPO / "pata_gis" / "ui" / "sites_page.py"), default_timeout=90)
    at.session_state["lang"] = "en"
    at.session_state["role"] = "planner"
    at.session_state["_role_select"] = "planner"
    at.run()
    assert not at.exception, at.exception
    before_map, (before,) = _map_args(at), _overlays(at)
    assert len(before_map) > 10_000  # big enough for Streamlit to send a reference
    slider = next(s for s in at.slider if s.key.endswith("dist_settlement_m"))
    slider.set_value(0 if slider.value else 10).run()
    assert not at.exception, at.exception
    after_map, (after,) = _map_args(at), _overlays(at)
    assert after_map == before_map  # the map: byte-identical, so not sent again
    assert after["stamp"] != before["stamp"]  # the ranking: changed, and sent
    tips = [f["properties"]["_tip"] for f in after["layers"][0]["features"]]
    labels = sorted(f["properties"]["_label"] for f in after["layers"][1]["features"])
    assert len(tips) == len(labels) == 10 and all("pata-rank-label" not in x for x in tips)
    assert len(json.dumps(after)) < len(after_map) / 2


def test_a_click_on_the_map_sends_the_marker_not_the_map(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(workspace))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    at.session_state["lang"] = "ro"
    at.run()
    assert not at.exception, at.exception
    before_map = _map_args(at)
    assert _overlays(at)[0]["layers"] == []  # no place chosen yet
    at.session_state["map_clicked_place"] = {"lat": 46.7714, "lng": 23.6873}
    at.run()
    assert not at.exception, at.exception
    assert _map_args(at) == before_map
    (marker,) = _overlays(at)[0]["layers"]
    coords = {tuple(f["geometry"]["coordinates"]) for f in marker["features"]}
    assert coords == {(23.6873, 46.7714)}
    assert {f["properties"]["_style"].get("fillColor") for f in marker["features"]} >= {"#ffd400"}
