"""_osm: cached downloads with osmnx's HTTP replaced, the offline twin, failing fast offline."""

from __future__ import annotations

import socket
import time

import networkx as nx
import numpy as np
import pytest

from pata_gis import _osm, network
from pata_gis._errors import InputError, NetworkUnavailableError

BBOX = (23.685, 46.775, 23.700, 46.785)  # around the Cantonului stop


def overpass_grid():
    """An Overpass JSON answer: a 3 x 3 grid of residential streets inside BBOX."""
    nodes, ways = [], []
    lons = [23.690, 23.692, 23.694]
    lats = [46.778, 46.780, 46.782]
    for i, lat in enumerate(lats):
        for j, lon in enumerate(lons):
            nodes.append({"type": "node", "id": 100 + 3 * i + j, "lat": lat, "lon": lon})
    wid = 1
    for i in range(3):
        row = [100 + 3 * i + j for j in range(3)]
        col = [100 + 3 * j + i for j in range(3)]
        for ids in (row, col):
            ways.append(
                {
                    "type": "way",
                    "id": wid,
                    "nodes": ids,
                    "tags": {"highway": "residential", "name": f"Strada {wid}"},
                }
            )
            wid += 1
    return {"version": 0.6, "elements": nodes + ways}


@pytest.fixture
def fake_overpass(monkeypatch):
    """Replace osmnx's Overpass HTTP request; count the calls."""
    import osmnx._overpass

    calls = []

    def request(data):
        calls.append(data)
        return overpass_grid()

    monkeypatch.setattr(osmnx._overpass, "_overpass_request", request)
    monkeypatch.setattr(_osm, "check_connection", lambda *a, **k: None)
    return calls


def test_download_builds_a_graph_and_writes_the_cache(fake_overpass, tmp_path, monkeypatch):
    g = _osm.graph_from_bbox(BBOX, cache_folder=tmp_path)
    assert len(fake_overpass) == 1
    assert g.number_of_nodes() == 5  # the four corners are simplified away
    assert len(list(tmp_path.glob("graph-bbox-*.graphml"))) == 1

    # second call: read from the cache, no HTTP (and no connectivity check)
    def no_http(*a, **k):
        raise AssertionError("HTTP called although the graph is cached")

    monkeypatch.setattr(_osm, "check_connection", no_http)
    g2 = _osm.graph_from_bbox(BBOX, cache_folder=tmp_path)
    assert len(fake_overpass) == 1
    assert sorted(g2.nodes) == sorted(g.nodes)
    assert g2.number_of_edges() == g.number_of_edges()


def test_downloaded_graph_becomes_a_network(fake_overpass, tmp_path):
    net = network.from_bbox(BBOX, cache_folder=tmp_path)
    assert net.n_nodes == 5
    # bottom middle to top middle: two blocks of about 222 m (0.002 deg of latitude)
    g = _osm.graph_from_bbox(BBOX, cache_folder=tmp_path)
    want = nx.shortest_path_length(g.to_undirected(), 101, 107, weight="length")
    d, _ = net.dijkstra(net.node_index([101]))
    assert d[net.node_index([107])[0]] == pytest.approx(want, abs=1e-6)
    assert 440 < want < 450


def test_offline_download_fails_fast(monkeypatch, tmp_path):
    def refuse(*a, **k):
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    monkeypatch.setattr(_osm.socket, "create_connection", refuse)
    start = time.perf_counter()
    with pytest.raises(NetworkUnavailableError, match="no internet connection") as err:
        _osm.graph_from_bbox(BBOX, cache_folder=tmp_path)
    assert time.perf_counter() - start < 5
    assert "from_osm_file" in str(err.value)
    assert isinstance(err.value, ConnectionError)
    with pytest.raises(NetworkUnavailableError):
        network.from_place("Cluj-Napoca, Romania", cache_folder=tmp_path)


def test_a_hanging_connection_times_out(monkeypatch):
    def hang(*a, **k):
        time.sleep(10)

    monkeypatch.setattr(_osm.socket, "create_connection", hang)
    start = time.perf_counter()
    with pytest.raises(NetworkUnavailableError, match="no internet"):
        _osm.check_connection("https://overpass-api.de/api", timeout_s=0.5)
    assert time.perf_counter() - start < 3


def test_graph_from_file_reads_xml_and_bz2(shared_data):
    for name in ("munich_small.osm", "West-Oakland.osm.bz2"):
        g = _osm.graph_from_file(shared_data / "osm_fixtures" / name)
        assert g.number_of_nodes() > 10
        net = network.from_osm_file(shared_data / "osm_fixtures" / name)
        assert net.n_nodes == g.number_of_nodes()
        assert np.isfinite(net.x).all()


def test_graph_from_file_refuses_what_it_cannot_read(tmp_path):
    pbf = tmp_path / "area.osm.pbf"
    pbf.write_bytes(b"\x00")
    with pytest.raises(InputError, match="osmium cat"):
        _osm.graph_from_file(pbf)
    with pytest.raises(InputError, match="no such OSM file"):
        _osm.graph_from_file(tmp_path / "missing.osm")
    junk = tmp_path / "junk.osm"
    junk.write_text("not xml")
    with pytest.raises(InputError, match="cannot be read"):
        _osm.graph_from_file(junk)


def test_bbox_must_be_west_south_east_north(tmp_path):
    with pytest.raises(InputError, match="west"):
        _osm.graph_from_bbox((46.78, 23.69, 46.77, 23.70), cache_folder=tmp_path)
