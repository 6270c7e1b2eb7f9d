"""The layer catalogue (layers/*.toml) and the bundled starter layers beside it.

Every spec loads and is titled in Romanian and English; the layer names other
modules code against exist; every bundled file reads, is EPSG:4326, holds only
its spec's geometry family, carries every required field, ``source`` and
``accuracy_m`` on every feature and respects choices and ranges; the Pata Rât
starter data has the four communities, the road skeleton is one connected
network reaching each of them, and the confidential layers ship empty.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas as gpd
import networkx as nx
import pandas as pd
import pytest
import shapely
from shapely.geometry import Point, box, shape

from pata_gis import settings
from pata_gis.layers import geometry_family, validate
from pata_gis.specs import COMMON_FIELDS, LayerSpec, load_catalogue

CATALOGUE = load_catalogue()
BUNDLED = {name: spec for name, spec in CATALOGUE.items() if spec.bundled is not None}

REQUIRED_LAYERS = {
    "settlements": "polygon",
    "landfill": "polygon",
    "roads": "line",
    "schools": "point",
    "kindergartens": "point",
    "health": "point",
    "social_services": "point",
    "emergency_services": "point",
    "transit_stops": "point",
    "candidate_sites": "polygon",
    "risk_marks": "point",
    "incidents": "point",
}
COMMUNITIES = {"Cantonului", "Colectorului", "Dallas", "Rampa"}
CONFIDENTIAL_EMPTY = ("risk_marks", "incidents")
# Layers whose features may lie in the metropolitan area, outside the municipality
# (roads to Pata village, the Dezmir school, stops in Dezmir, a site in Florești).
METROPOLITAN = {"roads", "schools", "transit_stops", "candidate_sites"}
BOUNDARY_FILE = Path("/work/shared/data/cluj/boundaries/cluj-napoca_admin_boundary_osm.geojson")
SNAP_M = 1.0
REACH_M = 300.0


def read(spec: LayerSpec) -> gpd.GeoDataFrame:
    assert spec.bundled is not None
    return gpd.read_file(spec.bundled)


def raw_features(spec: LayerSpec) -> list[dict]:
    assert spec.bundled is not None
    return json.loads(spec.bundled.read_text(encoding="utf-8"))["features"]


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# --------------------------------------------------------------------------- specs
def test_catalogue_loads_from_the_layers_folder():
    assert settings.catalogue_dir.name in {"layers", "_catalogue"}
    assert len(CATALOGUE) >= len(REQUIRED_LAYERS)


@pytest.mark.parametrize(("name", "geometry"), sorted(REQUIRED_LAYERS.items()))
def test_required_layer_exists_with_its_geometry(name, geometry):
    assert name in CATALOGUE, f"layer {name!r} missing from the catalogue"
    assert CATALOGUE[name].geometry == geometry


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_spec_has_titles_descriptions_source_and_common_fields(name):
    spec = CATALOGUE[name]
    assert spec.path is not None and spec.path.stem == name, "file name must match 'name'"
    for lang in ("ro", "en"):
        assert spec.title.get(lang, "").strip(), f"{name}: title.{lang} missing"
        assert spec.description.get(lang, "").strip(), f"{name}: description.{lang} missing"
    assert spec.source.get("name") and spec.source.get("accuracy")
    assert spec.style.get("color", "").startswith("#")
    assert spec.field_names[-len(COMMON_FIELDS) :] == [f.name for f in COMMON_FIELDS]
    for f in spec.fields:
        assert f.title.get("ro") and f.title.get("en"), f"{name}.{f.name}: ro/en title missing"


def test_spec_field_contracts_other_modules_rely_on():
    fields = {name: {f.name: f for f in spec.fields} for name, spec in CATALOGUE.items()}
    assert {"name", "households", "people", "notes"} <= set(fields["settlements"])
    assert fields["settlements"]["households"].type == "int"
    assert set(fields["landfill"]["status"].choices) == {"active", "closed"}
    assert {"year_opened", "year_closed", "kind"} <= set(fields["landfill"])
    assert set(fields["roads"]["mapped_by"].choices) == {"official", "community", "digitised"}
    assert {"primary", "track", "path", "footway", "rail_crossing"} <= set(
        fields["roads"]["kind"].choices
    )
    assert set(fields["schools"]["level"].choices) == {
        "primary",
        "gymnasium",
        "highschool",
        "special",
    }
    assert set(fields["health"]["kind"].choices) == {
        "family_doctor",
        "clinic",
        "hospital",
        "pharmacy",
        "emergency",
    }
    assert {"social_assistance", "identity_documents"} <= set(
        fields["social_services"]["kind"].choices
    )
    assert set(fields["emergency_services"]["kind"].choices) == {
        "police",
        "local_police",
        "fire",
        "ambulance",
    }
    assert fields["transit_stops"]["stop_id"].required
    assert "illustrative" in fields["candidate_sites"]["status"].choices
    sev = fields["risk_marks"]["severity"]
    assert (sev.type, sev.min, sev.max, sev.required) == ("int", 1, 5, True)
    assert fields["risk_marks"]["consent"].type == "bool"
    assert {"conflict", "traffic", "dogs", "fire", "flooding", "unlit_path"} <= set(
        fields["risk_marks"]["category"].choices
    )
    assert fields["incidents"]["date"].type == "date"


@pytest.mark.parametrize("name", CONFIDENTIAL_EMPTY)
def test_sensitive_layers_are_confidential_and_ship_no_data(name):
    spec = CATALOGUE[name]
    assert spec.sensitivity == "confidential"
    assert spec.bundled is None
    assert not list(spec.path.parent.glob(f"{name}.*json")), "no data file may sit beside it"


def test_every_bundled_file_is_declared_by_a_spec():
    on_disk = {p.name for p in Path(settings.catalogue_dir).glob("*.geojson")}
    declared = {spec.bundled.name for spec in BUNDLED.values()}
    assert on_disk == declared


# --------------------------------------------------------------------------- bundled files
@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_file_reads_in_epsg4326_with_one_geometry_family(name):
    spec = BUNDLED[name]
    assert spec.bundled.is_file(), f"{spec.bundled} is missing"
    gdf = read(spec)
    assert len(gdf) > 0
    assert gdf.crs is not None and gdf.crs.to_epsg() == 4326
    families = {geometry_family(t) for t in gdf.geom_type}
    assert families == {spec.geometry}, f"{name}: found {families}"
    assert gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_features_carry_required_fields_source_and_accuracy(name):
    spec = BUNDLED[name]
    feats = raw_features(spec)
    for i, feat in enumerate(feats):
        props = feat["properties"]
        assert set(props) <= set(spec.field_names), f"{name}[{i}]: unknown fields"
        for f in spec.fields:
            value = props.get(f.name)
            if f.required:
                assert not is_missing(value) and value != "", f"{name}[{i}]: {f.name} empty"
            if is_missing(value):
                continue
            if f.choices is not None:
                assert value in f.choices, f"{name}[{i}]: {f.name}={value!r}"
            if f.type in ("int", "float"):
                assert isinstance(value, int | float) and not isinstance(value, bool)
                if f.type == "int":
                    assert isinstance(value, int), f"{name}[{i}]: {f.name} must be an integer"
                if f.min is not None:
                    assert value >= f.min, f"{name}[{i}]: {f.name}={value} < {f.min}"
                if f.max is not None:
                    assert value <= f.max, f"{name}[{i}]: {f.name}={value} > {f.max}"
            if f.type == "bool":
                assert isinstance(value, bool)
            if f.type == "str":
                assert isinstance(value, str)
        assert isinstance(props["source"], str) and len(props["source"]) >= 10
        assert 0 < props["accuracy_m"] <= 1000, f"{name}[{i}]: implausible accuracy_m"


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_file_passes_the_layer_gate_without_repairs(name):
    spec = BUNDLED[name]
    out, report = validate(read(spec), spec, name=spec.bundled.name, region="cluj")
    assert len(out) == report.n_in
    assert report.ok
    assert not report.changes, f"{name}: the starter data should need no repair: {report}"


@pytest.fixture(scope="module")
def municipality():
    if not BOUNDARY_FILE.is_file():
        pytest.skip(f"{BOUNDARY_FILE} not available")
    geom = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    if geom["type"] == "GeometryCollection":
        return shapely.union_all([shape(g) for g in geom["geometries"]])
    return shape(geom)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_features_lie_in_cluj(name, municipality):
    gdf = read(BUNDLED[name])
    metro = box(*settings.cluj_bounds)
    inside_city = gdf.geometry.within(municipality)
    inside_metro = gdf.geometry.within(metro)
    assert inside_metro.all(), f"{name}: features outside the metropolitan box"
    if name not in METROPOLITAN:
        bad = gdf.index[~inside_city].tolist()
        assert not bad, f"{name}: features {bad} lie outside the Cluj-Napoca boundary"


# --------------------------------------------------------------------------- Pata Rât content
def test_settlements_are_the_four_communities():
    gdf = read(CATALOGUE["settlements"])
    assert len(gdf) == 4
    assert set(gdf["name"]) == COMMUNITIES
    # Figures only where a public source gives them; otherwise the notes say so.
    for _, row in gdf.iterrows():
        if pd.isna(row["households"]):
            assert "unknown" in row["notes"].lower()
    assert (gdf.to_crs(settings.metric_crs).area > 1000).all()


def test_landfill_has_closed_dump_and_active_cells_near_the_communities():
    gdf = read(CATALOGUE["landfill"]).to_crs(settings.metric_crs)
    assert {"closed", "active"} <= set(gdf["status"])
    assert "temporary storage cell" in set(gdf.loc[gdf["status"] == "active", "kind"])
    active = gdf.loc[gdf["status"] == "active"].union_all()
    homes = read(CATALOGUE["settlements"]).to_crs(settings.metric_crs).set_index("name")
    # The three communities described as beside the landfill lie within the 1 km
    # protection distance of the active cells (Cantonului is by the railway, further north).
    near = homes.loc[["Colectorului", "Dallas", "Rampa"]].distance(active)
    assert (near < settings.landfill_protection_m).all()
    assert homes.distance(active).max() < 3 * settings.landfill_protection_m


def test_candidate_sites_are_illustrative_and_spread_out():
    gdf = read(CATALOGUE["candidate_sites"])
    assert len(gdf) >= 8
    assert (gdf["status"] == "illustrative").all()
    assert gdf["notes"].str.contains("ILLUSTRATIVE").all()
    assert gdf["district"].nunique() >= 8
    # Exactly one sits inside the landfill protection zone, and it says so.
    metric = gdf.to_crs(settings.metric_crs)
    land = read(CATALOGUE["landfill"]).to_crs(settings.metric_crs)
    near = metric.distance(land.loc[land["status"] == "active"].union_all())
    inside = gdf.loc[near < settings.landfill_protection_m]
    assert len(inside) == 1
    assert "protection zone" in inside["notes"].iloc[0]


def test_transit_stops_include_the_pata_rat_stops_and_are_unique():
    gdf = read(CATALOGUE["transit_stops"])
    assert gdf["stop_id"].is_unique
    names = dict(zip(gdf["stop_id"], gdf["name"], strict=True))
    assert names.get("726") == "Pata Rat"
    assert names.get("394") == "Cantonului"
    assert not any(sid.isdigit() and 876 <= int(sid) <= 920 for sid in gdf["stop_id"])


def road_graph(gdf: gpd.GeoDataFrame, snap: float = SNAP_M) -> nx.Graph:
    """Graph of line end points, snapped to a `snap`-metre grid."""
    graph = nx.Graph()

    def key(xy):
        return (round(xy[0] / snap), round(xy[1] / snap))

    for geom in gdf.to_crs(settings.metric_crs).geometry:
        parts = geom.geoms if geom.geom_type == "MultiLineString" else [geom]
        for part in parts:
            coords = list(part.coords)
            graph.add_edge(key(coords[0]), key(coords[-1]), length=part.length)
    return graph


def test_road_graph_helper_can_fail():
    # Two lines that do not touch make two components: the check below can fail.
    lines = gpd.GeoDataFrame(
        geometry=[
            shapely.LineString([(23.68, 46.77), (23.69, 46.77)]),
            shapely.LineString([(23.69, 46.771), (23.70, 46.771)]),
        ],
        crs="EPSG:4326",
    )
    assert nx.number_connected_components(road_graph(lines)) == 2


def test_road_skeleton_is_connected_and_reaches_every_community():
    roads = read(CATALOGUE["roads"])
    graph = road_graph(roads)
    components = list(nx.connected_components(graph))
    assert len(components) == 1, f"{len(components)} road components; snap the junctions"
    nodes = [Point(x * SNAP_M, y * SNAP_M) for x, y in components[0]]
    homes = read(CATALOGUE["settlements"]).to_crs(settings.metric_crs)
    for name, geom in zip(homes["name"], homes.geometry, strict=True):
        nearest = min(geom.distance(n) for n in nodes)
        assert nearest <= REACH_M, f"{name}: nearest road node is {nearest:.0f} m away"
