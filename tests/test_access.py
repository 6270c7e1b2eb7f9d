"""access: nearest facilities, k nearest, 2SFCA and isochrones against hand-computed answers."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

from pata_gis import _osm, access
from pata_gis._errors import InputError
from pata_gis.network import NO_WALK_KINDS, Network

X0, Y0 = 400_000.0, 580_000.0
WALK = 4.5 / 3.6  # m/s


def pts(xy, index=None):
    return gpd.GeoDataFrame(
        geometry=[Point(X0 + x, Y0 + y) for x, y in xy], index=index, crs="EPSG:3844"
    )


@pytest.fixture(scope="module")
def grid():
    """A 4 x 4 grid of streets, 100 m apart (nodes at 0, 100, 200, 300 m)."""
    lines = []
    for i in range(4):
        lines.append(LineString([(X0, Y0 + 100 * i), (X0 + 300, Y0 + 100 * i)]))
        lines.append(LineString([(X0 + 100 * i, Y0), (X0 + 100 * i, Y0 + 300)]))
    return Network.from_lines(gpd.GeoSeries(lines, crs="EPSG:3844"))


@pytest.fixture(scope="module")
def homes():
    # (0,0), (300,300), a point 10 m off the street at x = 150, and (200,100)
    return pts([(0, 0), (300, 300), (150, 10), (200, 100)], index=["o0", "o1", "o2", "o3"])


@pytest.fixture(scope="module")
def schools():
    return pts([(300, 0), (100, 300)], index=["F1", "F2"])


def test_nearest_on_a_grid(grid, homes, schools):
    t = access.nearest_facilities(grid, homes, {"school": schools}, within_minutes=(3, 5))
    assert list(t.index) == ["o0", "o1", "o2", "o3"]
    assert t.index.name == "origin"
    assert list(t["facility"]) == ["F1", "F2", "F1", "F1"]
    assert t["distance_m"].to_numpy() == pytest.approx([300, 200, 160, 200])
    assert t["time_min"].to_numpy() == pytest.approx(np.array([300, 200, 160, 200]) / WALK / 60)
    assert t["snap_origin_m"].to_numpy() == pytest.approx([0, 0, 10, 0])
    assert t["snap_facility_m"].to_numpy() == pytest.approx([0, 0, 0, 0])
    assert t["straight_m"].to_numpy() == pytest.approx(
        [300, 200, np.hypot(150, 10), np.hypot(100, 100)]
    )
    # 3 min = 225 m, 5 min = 375 m at 4.5 km/h; second facility: 400, 300, 360, 300 m
    assert list(t["n_within_3"]) == [0, 1, 1, 1]
    assert list(t["n_within_5"]) == [1, 2, 2, 2]


def test_k_nearest_on_a_grid(grid, homes, schools):
    k = access.k_nearest(grid, homes, {"school": schools}, k=2)
    assert list(k.index) == ["o0", "o0", "o1", "o1", "o2", "o2", "o3", "o3"]
    assert list(k["rank"]) == [1, 2] * 4
    assert list(k["facility"]) == ["F1", "F2", "F2", "F1", "F1", "F2", "F1", "F2"]
    assert k["distance_m"].to_numpy() == pytest.approx([300, 400, 200, 300, 160, 360, 200, 300])
    one = access.k_nearest(grid, homes, schools, k=1, max_minutes=3)
    assert list(one.index) == ["o1", "o2", "o3"]  # o0 has nothing within 225 m


def test_several_categories_long_and_wide(grid, homes, schools):
    doctors = pts([(0, 100)], index=["D"])
    t = access.nearest_facilities(
        grid, homes, {"school": schools, "doctor": doctors}, within_minutes=()
    )
    assert len(t) == 8
    assert list(t["category"].unique()) == ["school", "doctor"]
    assert t.loc[t.category == "doctor", "distance_m"].to_numpy() == pytest.approx(
        [100, 500, 260, 200]
    )
    w = access.nearest_facilities(grid, homes, {"school": schools, "doctor": doctors}, wide=True)
    assert list(w.index) == list(homes.index)
    assert {"school_facility", "doctor_distance_m", "doctor_n_within_15"} <= set(w.columns)


def test_origins_and_facilities_on_one_long_street():
    street = gpd.GeoSeries([LineString([(X0, Y0), (X0 + 1000, Y0)])], crs="EPSG:3844")
    net = Network.from_lines(street)
    t = access.nearest_facilities(net, pts([(100, 5)]), pts([(300, -5)]), within_minutes=(10,))
    # straight along the street (200 m) plus both snaps, not round by an end
    assert t["distance_m"].iloc[0] == pytest.approx(210.0)
    assert t["n_within_10"].iloc[0] == 1
    table = access.cost_table(net, pts([(100, 5)]), pts([(300, -5)]))
    assert table["distance_m"].iloc[0] == pytest.approx(210.0)


def test_driving_respects_one_way_streets_in_both_directions():
    # a one-way loop A -> B -> C -> D -> A, 100 m sides
    corners = [(0, 0), (100, 0), (100, 100), (0, 100)]
    lines = [
        LineString([(X0 + a[0], Y0 + a[1]), (X0 + b[0], Y0 + b[1])])
        for a, b in zip(corners, corners[1:] + corners[:1], strict=True)
    ]
    net = Network.from_lines(
        gpd.GeoDataFrame({"oneway": [True] * 4}, geometry=lines, crs="EPSG:3844"),
        oneway_column="oneway",
    )
    home, station = pts([(0, 0)]), pts([(100, 0)])
    to = access.nearest_facilities(net, home, station, mode="drive", within_minutes=())
    back = access.nearest_facilities(
        net, home, station, mode="drive", to_facility=False, within_minutes=()
    )
    assert to["distance_m"].iloc[0] == pytest.approx(100.0)
    assert back["distance_m"].iloc[0] == pytest.approx(300.0)  # the crew drives round
    assert back["time_min"].iloc[0] == pytest.approx(300 / (25 / 3.6) / 60)
    walk = access.nearest_facilities(net, home, station, to_facility=False, within_minutes=())
    assert walk["distance_m"].iloc[0] == pytest.approx(100.0)
    # mid-edge points: 30 m along A->B to 70 m along A->B, and back
    a, b = pts([(30, 0)]), pts([(70, 0)])
    assert access.cost_table(net, a, b, mode="drive")["distance_m"].iloc[0] == pytest.approx(40)
    assert access.cost_table(net, b, a, mode="drive")["distance_m"].iloc[0] == pytest.approx(360)


def test_unreachable_and_empty_categories(grid, homes):
    island = pts([(5000, 5000)], index=["far"])
    net = grid.merge(
        Network.from_lines(
            gpd.GeoSeries(
                [LineString([(X0 + 5000, Y0 + 5000), (X0 + 5100, Y0 + 5000)])], crs="EPSG:3844"
            )
        )
    )
    t = access.nearest_facilities(
        net, homes, {"island": island, "none": pts([])}, within_minutes=(15,)
    )
    isl = t[t.category == "island"]
    assert isl["facility"].isna().all()
    assert np.isinf(isl["distance_m"]).all()
    assert (isl["n_within_15"] == 0).all()
    assert t[t.category == "none"]["facility"].isna().all()


def test_polygon_origins_use_a_point_inside(grid, schools):
    block = gpd.GeoDataFrame(
        geometry=[
            Polygon([(X0 + 210, Y0), (X0 + 290, Y0), (X0 + 290, Y0 + 1), (X0 + 210, Y0 + 1)])
        ],
        crs="EPSG:3844",
    )
    t = access.nearest_facilities(grid, block, schools, within_minutes=())
    assert t["facility"].iloc[0] == "F1"
    assert t["distance_m"].iloc[0] < 100


def test_matches_networkx_on_real_osm(shared_data):
    g = _osm.graph_from_file(shared_data / "osm_fixtures" / "West-Oakland.osm.bz2")
    net = Network.from_graph(g)
    ref = nx.MultiGraph()
    for u, v, d in g.edges(data=True):
        hw = d["highway"][0] if isinstance(d["highway"], list) else d["highway"]
        if hw not in NO_WALK_KINDS:
            ref.add_edge(u, v, length=d["length"])
    ids = net.node_id
    fac_idx, org_idx = np.arange(0, len(ids), 9), np.arange(len(ids))
    nodes = gpd.GeoDataFrame(
        {"osmid": ids}, geometry=gpd.points_from_xy(net.x, net.y), crs="EPSG:3844"
    )
    facilities = nodes.iloc[fac_idx].set_index("osmid")
    origins = nodes.iloc[org_idx].set_index("osmid")
    t = access.nearest_facilities(net, origins, facilities, within_minutes=())
    want = nx.multi_source_dijkstra_path_length(ref, list(facilities.index), weight="length")
    got = t["distance_m"]
    for osmid in origins.index:
        if osmid in want:
            assert got.loc[osmid] == pytest.approx(want[osmid], abs=1e-6)
            assert nx.dijkstra_path_length(
                ref, t.loc[osmid, "facility"], osmid, weight="length"
            ) == pytest.approx(want[osmid], abs=1e-6)
    table = access.cost_table(net, origins.iloc[:10], facilities)
    for row in table.itertuples():
        want_od = nx.dijkstra_path_length(ref, row.origin, row.destination, weight="length")
        assert row.distance_m == pytest.approx(want_od, abs=1e-6)


def hand_costs():
    return pd.DataFrame(
        {
            "origin": ["A", "A", "B", "B"],
            "destination": ["X", "Y", "X", "Y"],
            "time_min": [5.0, 20.0, 8.0, 9.0],
        }
    )


def test_two_step_fca_by_hand():
    demand = pd.Series({"A": 100.0, "B": 50.0, "C": 10.0})
    supply = pd.Series({"X": 10.0, "Y": 5.0})
    a = access.two_step_fca(hand_costs(), demand, supply, max_cost=10)
    # X serves A and B (150 people): 10 / 150; Y serves B only (A is 20 min away): 5 / 50
    assert a["A"] == pytest.approx(10 / 150)
    assert a["B"] == pytest.approx(10 / 150 + 5 / 50)
    assert a["C"] == 0.0  # reaches nothing
    with pytest.raises(InputError, match="cost"):
        access.two_step_fca(hand_costs(), demand, supply, max_cost=10, cost="minutes")


def pysal_2sfca(costs, demand, supply, max_cost):
    access_mod = pytest.importorskip("access")
    a = access_mod.Access(
        demand_df=pd.DataFrame({"geoid": demand.index, "pop": demand.to_numpy()}),
        demand_index="geoid",
        demand_value="pop",
        supply_df=pd.DataFrame({"geoid": supply.index, "places": supply.to_numpy()}),
        supply_index="geoid",
        supply_value="places",
        cost_df=costs,
        cost_origin="origin",
        cost_dest="destination",
        cost_name="time_min",
    )
    return a.two_stage_fca(name="fca", max_cost=max_cost)["fca_places"]


@pytest.mark.filterwarnings("ignore:The inplace keyword")  # inside PySAL access
def test_two_step_fca_equals_pysal_access(grid, homes, schools):
    demand = pd.Series({"A": 100.0, "B": 50.0})
    supply = pd.Series({"X": 10.0, "Y": 5.0})
    ref = pysal_2sfca(hand_costs(), demand, supply, 10)
    ours = access.two_step_fca(hand_costs(), demand, supply, max_cost=10)
    assert ours.to_numpy() == pytest.approx(ref.reindex(ours.index).to_numpy())
    # on a cost table routed on the grid
    costs = access.cost_table(grid, homes, schools)
    children = pd.Series([40.0, 25.0, 10.0, 30.0], index=homes.index)
    places = pd.Series([20.0, 60.0], index=schools.index)
    ours = access.two_step_fca(costs, children, places, max_cost=4.5)
    ref = pysal_2sfca(costs, children, places, 4.5)
    assert ours.to_numpy() == pytest.approx(ref.reindex(ours.index).fillna(0).to_numpy())
    # by hand: within 4.5 min (337.5 m) F1 serves o0, o1, o2, o3 (105 children); F2 o1, o3
    assert ours["o0"] == pytest.approx(20 / 105)
    assert ours["o1"] == pytest.approx(20 / 105 + 60 / 55)


def test_isochrone_holds_the_reached_nodes_only(grid):
    minutes = 250 / WALK / 60  # 250 m
    iso = access.isochrones(grid, pts([(0, 0)], index=["start"]), [minutes], buffer_m=20)
    assert list(iso["point"]) == ["start"]
    area = iso.geometry.iloc[0]
    d, _ = grid.dijkstra(grid.snap(np.array([[X0, Y0]])).node)
    for i in range(grid.n_nodes):
        inside = area.contains(Point(grid.x[i], grid.y[i]))
        assert inside == (d[i] <= 250), (grid.x[i] - X0, grid.y[i] - Y0, d[i])
    # the reached street reaches 50 m beyond (200, 0) towards (300, 0)
    assert area.contains(Point(X0 + 245, Y0))
    assert not area.contains(Point(X0 + 275, Y0))
    several = access.isochrones(grid, pts([(0, 0)]), [2, 4])
    assert list(several["minutes"]) == [4, 2]
    assert several.geometry.iloc[0].contains(several.geometry.iloc[1])


def test_several_origins_and_facilities_on_the_same_streets():
    # two separate streets, each one edge; origins and facilities listed out of
    # street order: each origin goes straight along its street to the nearest
    # facility on it (never round by an end), facilities on the other street
    # are unreachable
    streets = gpd.GeoSeries(
        [
            LineString([(X0, Y0), (X0 + 1000, Y0)]),
            LineString([(X0, Y0 + 2000), (X0 + 1000, Y0 + 2000)]),
        ],
        crs="EPSG:3844",
    )
    net = Network.from_lines(streets)
    origins = pts([(950, 0), (100, 5), (500, 0), (10, 2000)], index=["o950", "o100", "o500", "up"])
    facilities = pts(
        [(980, 0), (300, -5), (600, 0), (400, 2003)], index=["F980", "F300", "F600", "Fup"]
    )
    t = access.nearest_facilities(net, origins, facilities, within_minutes=(5,))
    assert t["facility"].tolist() == ["F980", "F300", "F600", "Fup"]
    assert t["distance_m"].to_numpy() == pytest.approx([30.0, 210.0, 100.0, 393.0])
    assert t["time_min"].to_numpy() == pytest.approx(np.array([30, 210, 100, 393]) / WALK / 60)
    # within 5 minutes (375 m): o950 reaches F980 and F600 (350 m), not F300 (655);
    # o100 F300, not F600 (505); o500 F600 and F300 (205), not F980 (480); up none
    assert t["n_within_5"].tolist() == [2, 1, 2, 0]
