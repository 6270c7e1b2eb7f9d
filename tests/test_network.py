"""network: arrays built once give the same answers as networkx, and lines are noded."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point

from pata_gis import _osm, gtfs
from pata_gis._errors import InputError
from pata_gis.network import (
    NO_WALK_KINDS,
    WALK_ONLY_KINDS,
    Network,
)

X0, Y0 = 400_000.0, 580_000.0  # near Cluj in Stereo 70


def metric(lines):
    return gpd.GeoSeries(lines, crs="EPSG:3844")


def highway(d):
    h = d.get("highway", "")
    return h[0] if isinstance(h, list) else h


def reference(graph, mode):
    """The networkx graph a mode should equal: walk undirected, drive as stored."""
    if mode == "walk":
        h = nx.MultiGraph()
        h.add_nodes_from(graph.nodes)
        for u, v, k, d in graph.edges(keys=True, data=True):
            if highway(d) not in NO_WALK_KINDS:
                h.add_edge(u, v, key=(u, v, k), length=d["length"])
        return h
    h = nx.MultiDiGraph()
    h.add_nodes_from(graph.nodes)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if highway(d) not in WALK_ONLY_KINDS:
            h.add_edge(u, v, key=k, length=d["length"])
    return h


@pytest.fixture(scope="module", params=["munich_small.osm", "West-Oakland.osm.bz2"])
def osm_graph(request, shared_data):
    return _osm.graph_from_file(shared_data / "osm_fixtures" / request.param)


@pytest.mark.parametrize("mode", ["walk", "drive"])
def test_distances_equal_networkx(osm_graph, mode):
    net = Network.from_graph(osm_graph)
    ref = reference(osm_graph, mode)
    ids = list(osm_graph.nodes)
    # every node as a single source, and the multi-source search from a few
    dist, _ = net.dijkstra(net.node_index(ids), mode=mode, min_only=False)
    for row, source in enumerate(ids):
        expected = nx.single_source_dijkstra_path_length(ref, source, weight="length")
        got = dist[row]
        for col, node in enumerate(net.node_id):
            want = expected.get(int(node), np.inf)
            if np.isinf(want):
                assert np.isinf(got[col])
            else:
                assert got[col] == pytest.approx(want, abs=1e-6)
    sources = ids[:: max(1, len(ids) // 4)]
    best, nearest = net.dijkstra(net.node_index(sources), mode=mode)
    want = nx.multi_source_dijkstra_path_length(ref, sources, weight="length")
    for col, node in enumerate(net.node_id):
        if int(node) in want:
            assert best[col] == pytest.approx(want[int(node)], abs=1e-6)
            # the nearest source is one at that distance
            src_id = int(net.node_id[nearest[col]])
            assert nx.dijkstra_path_length(ref, src_id, int(node), weight="length") == (
                pytest.approx(best[col], abs=1e-6)
            )
        else:
            assert np.isinf(best[col])


def small_graph(parallel):
    g = nx.MultiDiGraph(crs="EPSG:3844")
    for n, (x, y) in {1: (X0, Y0), 2: (X0 + 100, Y0), 3: (X0 + 50, Y0 + 100)}.items():
        g.add_node(n, x=x, y=y)
    for length in parallel:
        g.add_edge(1, 2, length=length, highway="residential")
    g.add_edge(1, 3, length=150.0, highway="residential")
    g.add_edge(3, 2, length=150.0, highway="residential")
    return g


def test_parallel_edges_keep_the_minimum_not_the_sum():
    # 1 -> 2 by two parallel edges of 120 m and 200 m: the sum (320 m) would send the
    # route round by 3 (300 m); the minimum is 120 m
    g = small_graph([200.0, 120.0])
    net = Network.from_graph(g)
    for mode in ("walk", "drive"):
        d, _ = net.dijkstra(net.node_index([1]), mode=mode)
        assert d[net.node_index([2])[0]] == pytest.approx(120.0)
    assert nx.shortest_path_length(g, 1, 2, weight="length") == pytest.approx(120.0)
    matrix = net.graph("drive").matrix
    assert matrix[net.node_index([1])[0], net.node_index([2])[0]] == pytest.approx(120.0)
    # the route drawn follows the short edge
    path = net.shortest_path(*net.node_index([1, 2]), mode="drive")
    assert len(path) == 2


def test_walk_ignores_one_way_and_drive_respects_it():
    g = small_graph([120.0])
    net = Network.from_graph(g)
    i1, i2 = net.node_index([1, 2])
    walk, _ = net.dijkstra([i2], mode="walk")
    drive, _ = net.dijkstra([i2], mode="drive")
    assert walk[i1] == pytest.approx(120.0)
    assert np.isinf(drive[i1])  # 2 -> 1 has no drivable edge
    back, _ = net.dijkstra([i2], mode="drive", reverse=True)
    assert back[i1] == pytest.approx(120.0)  # 1 -> 2 driven


def test_walk_only_kinds_are_not_driven():
    lines = metric(
        [LineString([(X0, Y0), (X0 + 100, Y0)]), LineString([(X0 + 100, Y0), (X0 + 200, Y0)])]
    )
    net = Network.from_lines(gpd.GeoDataFrame({"kind": ["residential", "footway"]}, geometry=lines))
    start = net.snap(np.array([[X0, Y0]])).node
    walk, _ = net.dijkstra(start, mode="walk")
    drive, _ = net.dijkstra(start, mode="drive")
    far = net.snap(np.array([[X0 + 200, Y0]])).node[0]
    assert walk[far] == pytest.approx(200.0)
    assert np.isinf(drive[far])


def test_noding_two_crossing_lines_creates_the_crossing():
    net = Network.from_lines(
        metric(
            [
                LineString([(X0, Y0), (X0 + 1000, Y0)]),
                LineString([(X0 + 500, Y0 - 500), (X0 + 500, Y0 + 500)]),
            ]
        )
    )
    assert net.n_nodes == 5
    assert net.n_edges == 4
    cross = np.flatnonzero((net.x == X0 + 500) & (net.y == Y0))
    assert len(cross) == 1
    d, _ = net.dijkstra(cross)
    assert np.sort(d) == pytest.approx([0, 500, 500, 500, 500])


def test_snapping_joins_near_misses_and_leaves_far_ends_apart():
    lines = metric(
        [
            LineString([(X0, Y0), (X0 + 1000, Y0)]),
            LineString([(X0 + 500, Y0 + 3), (X0 + 500, Y0 + 500)]),  # stops 3 m short
            LineString([(X0 + 800, Y0 + 20), (X0 + 800, Y0 + 500)]),  # stops 20 m short
            LineString([(X0 + 1002, Y0), (X0 + 1500, Y0)]),  # end 2 m from an end
        ]
    )
    net = Network.from_lines(lines, snap_tolerance_m=5)
    start = net.snap(np.array([[X0, Y0]])).node
    d, _ = net.dijkstra(start)
    top_near = net.snap(np.array([[X0 + 500, Y0 + 500]])).node[0]
    top_far = net.snap(np.array([[X0 + 800, Y0 + 500]])).node[0]
    east = net.snap(np.array([[X0 + 1500, Y0]])).node[0]
    assert d[top_near] == pytest.approx(500 + 500, abs=0.1)  # 3 m connector + 497 m
    assert d[east] == pytest.approx(1500, abs=1e-6)
    assert np.isinf(d[top_far])
    # with no tolerance nothing is joined
    loose = Network.from_lines(lines, snap_tolerance_m=0)
    d0, _ = loose.dijkstra(loose.snap(np.array([[X0, Y0]])).node)
    assert np.isinf(d0[loose.snap(np.array([[X0 + 1500, Y0]])).node[0]])


def test_snap_reports_the_distance_to_the_nearest_edge():
    net = Network.from_lines(metric([LineString([(X0, Y0), (X0 + 100, Y0)])]))
    s = net.snap(np.array([[X0 + 30, Y0 + 40], [X0 + 130, Y0]]))
    assert s.distance_m == pytest.approx([40, 30])
    assert s.x == pytest.approx([X0 + 30, X0 + 100])
    assert s.fraction[0] == pytest.approx(0.3) or s.fraction[0] == pytest.approx(0.7)


def test_save_load_round_trip(tmp_path, osm_graph):
    net = Network.from_graph(osm_graph, walk_speed_kmh=4.0)
    path = net.save(tmp_path / "net")
    assert path.suffix == ".npz"
    back = Network.load(path)
    for name in ("node_id", "x", "y", "edge_u", "edge_v", "edge_length", "geom_coords"):
        assert np.array_equal(getattr(back, name), getattr(net, name))
    assert back.kinds == net.kinds
    assert back.walk_speed_kmh == 4.0
    a, _ = net.dijkstra([0], mode="drive", weight="time")
    b, _ = back.dijkstra([0], mode="drive", weight="time")
    assert np.array_equal(a, b)


def test_load_refuses_another_file(tmp_path):
    bad = tmp_path / "x.npz"
    np.savez(bad, meta=np.array('{"format": "pata-gis-network", "version": 99}'))
    with pytest.raises(InputError, match="version"):
        Network.load(bad)
    with pytest.raises(InputError, match="no such network file"):
        Network.load(tmp_path / "missing.npz")


def test_path_geometry_follows_the_route(osm_graph):
    net = Network.from_graph(osm_graph)
    d, _ = net.dijkstra([0])
    target = int(np.argmax(np.where(np.isfinite(d), d, -1)))
    path = net.shortest_path(0, target)
    line = net.path_geometry(path)
    # (lengths are not compared: Stereo 70 stretches Munich and Oakland far from Romania)
    coords = shapely.get_coordinates(line)
    assert coords[0] == pytest.approx([net.x[0], net.y[0]])
    assert coords[-1] == pytest.approx([net.x[target], net.y[target]])
    for node in path:
        assert Point(net.x[node], net.y[node]).distance(line) < 1e-6


def test_edge_geometry_is_oriented_from_u_to_v():
    g = small_graph([120.0])
    # the edge 2 -> 1 drawn from 1 to 2, bending north: the route must start at 2
    bend = LineString([(X0, Y0), (X0 + 50, Y0 + 30), (X0 + 100, Y0)])
    g.add_edge(2, 1, length=117.0, highway="residential", geometry=bend)
    net = Network.from_graph(g)
    i1, i2 = net.node_index([2, 1])
    line = net.path_geometry(net.shortest_path(i1, i2, mode="drive"), mode="drive")
    assert line.length == pytest.approx(bend.length)
    assert shapely.get_coordinates(line)[0] == pytest.approx([X0 + 100, Y0])
    assert net.snap(np.array([[X0 + 50, Y0 + 40]]), mode="drive").distance_m[0] == (
        pytest.approx(10.0)
    )


def test_merge_joins_new_lines_to_osm_nodes(osm_graph):
    osm = Network.from_graph(osm_graph)
    i = 0
    # a community path starting 3 m from OSM node 0 and leading 200 m away
    path = metric([LineString([(osm.x[i] + 3, osm.y[i]), (osm.x[i] + 3, osm.y[i] + 2000)])])
    lines = Network.from_lines(path, kind="path")
    merged = osm.merge(lines, snap_tolerance_m=5)
    assert merged.n_nodes == osm.n_nodes + lines.n_nodes
    end = merged.snap(np.array([[osm.x[i] + 3, osm.y[i] + 2000]])).node
    d, _ = merged.dijkstra(end)
    assert d[i] == pytest.approx(2003.0, abs=1e-6)
    drive, _ = merged.dijkstra(end, mode="drive")
    assert np.isinf(drive[i])  # a path is walked, not driven
    far = osm.merge(lines, snap_tolerance_m=1)
    d_far, _ = far.dijkstra(far.snap(np.array([[osm.x[i] + 3, osm.y[i] + 2000]])).node)
    assert np.isinf(d_far[i])


def test_gtfs_shapes_build_a_connected_network(shared_data):
    shapes = gtfs.read_shapes(shared_data / "cluj" / "gtfs_ctp_cluj" / "cluj-napoca.gtfs.zip")
    net = Network.from_lines(shapes, snap_tolerance_m=5, source="© CTP Cluj-Napoca")
    assert net.n_nodes > 5000
    assert net.component_share("walk") > 0.8
    assert net.component_share("drive") > 0.8
    # every shape vertex lies on the network
    assert shapely.length(net.edge_geometries()).sum() > 500_000  # > 500 km of streets


def test_snap_finds_the_exact_nearest_edge(shared_data):
    shapes = gtfs.read_shapes(shared_data / "cluj" / "gtfs_ctp_cluj" / "cluj-napoca.gtfs.zip")
    net = Network.from_lines(shapes.iloc[:40], snap_tolerance_m=5)
    rng = np.random.default_rng(1)
    idx = rng.integers(0, net.n_nodes, 3000)
    xy = np.column_stack([net.x[idx], net.y[idx]]) + rng.normal(0, 150, (3000, 2))
    s = net.snap(xy)
    tree = shapely.STRtree(net.edge_geometries())
    _, dist = tree.query_nearest(shapely.points(xy), return_distance=True, all_matches=False)
    assert s.distance_m == pytest.approx(dist, abs=1e-6)
    # the snapped position lies on the chosen edge, at the stated fraction
    geoms = net.edge_geometries()[s.edge]
    on = shapely.line_interpolate_point(geoms, s.fraction, normalized=True)
    assert shapely.get_coordinates(on) == pytest.approx(np.column_stack([s.x, s.y]), abs=1e-6)


def test_snap_is_exact_where_many_lines_crowd_one_street():
    # 40 parallel "route shapes" 0.7 m apart along one street, drawn with a vertex
    # every 10 m, plus a few crossing streets: the 8, 16 and 32 nearest pieces of a
    # point often all lie on the crowded lines, so every stage of the search,
    # including the last (all pieces within reach), is exercised
    xs = np.arange(0.0, 401.0, 10.0)
    lines = [
        LineString(np.column_stack([X0 + xs, np.full(len(xs), Y0 + 0.7 * i)])) for i in range(40)
    ]
    lines += [LineString([(X0 + x, Y0 - 100), (X0 + x, Y0 + 130)]) for x in (55.0, 215.0, 333.0)]
    net = Network.from_lines(metric(lines), snap_tolerance_m=0)
    rng = np.random.default_rng(7)
    xy = np.column_stack([X0 + rng.uniform(-30, 430, 4000), Y0 + 14 + rng.uniform(-80, 80, 4000)])
    s = net.snap(xy)
    tree = shapely.STRtree(net.edge_geometries())
    _, dist = tree.query_nearest(shapely.points(xy), return_distance=True, all_matches=False)
    assert s.distance_m == pytest.approx(dist, abs=1e-6)
    # the chosen edge is at that distance, and the snapped point on it
    geoms = net.edge_geometries()[s.edge]
    assert shapely.distance(shapely.points(xy), geoms) == pytest.approx(dist, abs=1e-6)
    on = shapely.line_interpolate_point(geoms, s.fraction, normalized=True)
    assert shapely.get_coordinates(on) == pytest.approx(np.column_stack([s.x, s.y]), abs=1e-6)


def test_snap_ties_go_to_the_first_edge_record():
    # points exactly halfway between parallel streets (80 m each side), with
    # many pieces around: the first of the equally near records wins, whatever
    # order the k-d tree returns them in
    lines = [LineString([(X0, Y0 + 160.0 * i), (X0 + 800, Y0 + 160.0 * i)]) for i in range(4)]
    net = Network.from_lines(metric(lines), snap_tolerance_m=0)
    xy = np.column_stack([X0 + np.arange(5.0, 800.0, 10.0), np.full(80, Y0 + 240.0)])
    s = net.snap(xy)
    assert s.distance_m == pytest.approx(np.full(80, 80.0), abs=1e-9)
    ys = net.y[net.edge_u]
    tied = np.flatnonzero(np.isclose(ys, Y0 + 160) | np.isclose(ys, Y0 + 320))
    d = shapely.distance(shapely.points(xy)[:, None], net.edge_geometries()[tied][None, :])
    want = np.array([tied[np.flatnonzero(np.isclose(row, 80.0))].min() for row in d])
    assert np.array_equal(s.edge, want)
