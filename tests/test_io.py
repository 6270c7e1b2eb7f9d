"""Tests of pata_gis.io: every writer round-trips through its reader, and the readers
understand the files workshops and downloads produce (Kobo/ODK CSV, GPX, OSM XML,
cp1250 shapefiles, cedilla text). Expected values are written out by hand."""

from __future__ import annotations

import json
import logging
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import LineString, Point

from pata_gis import io
from pata_gis._errors import CRSError, InputError

DATA = Path(__file__).parents[1].parent / "shared" / "data"
MUNICH = DATA / "osm_fixtures" / "munich_small.osm"

# Romanian text with every letter that breaks in old code pages.
NAMES = ["Școala Gimnazială „Ion Creangă”", "Strada Cantonului, Țigla și Bârnă", "Dealul Borzaș"]
NOTES = ["în curte", "lângă calea ferată", "țară"]


@pytest.fixture
def points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "name": NAMES,
            "note": NOTES,
            "families": [12, 40, 7],
            "area_ha": [0.5, 2.25, 1.0],
        },
        geometry=[Point(23.691748, 46.781544), Point(23.68534, 46.77138), Point(23.70, 46.79)],
        crs="EPSG:4326",
    )


@pytest.fixture
def lines() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Drum Pata Rât", "Cărare spre școală"], "families": [3, 4]},
        geometry=[
            LineString([(23.68, 46.77), (23.69, 46.78), (23.70, 46.78)]),
            LineString([(23.68, 46.77), (23.69, 46.77), (23.69, 46.78), (23.68, 46.77)]),
        ],
        crs="EPSG:4326",
    )


def _coords(gdf: gpd.GeoDataFrame) -> list[list[tuple[float, ...]]]:
    return [list(g.coords) for g in gdf.geometry]


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", ["out.gpkg", "out.geojson", "out.zip", "out.kml", "out.csv"])
def test_round_trip_points_keeps_geometry_and_romanian_text(
    tmp_path: Path, points: gpd.GeoDataFrame, name: str
) -> None:
    path = io.write(points, tmp_path / name)
    assert path == tmp_path / name
    back = io.read(path)
    assert back.crs.to_epsg() == 4326
    assert len(back) == 3
    assert list(back["name"]) == NAMES
    assert list(back["note"]) == NOTES
    assert [int(v) for v in back["families"]] == [12, 40, 7]
    assert [float(v) for v in back["area_ha"]] == [0.5, 2.25, 1.0]
    np.testing.assert_allclose(back.geometry.x, [23.691748, 23.68534, 23.70], atol=1e-9)
    np.testing.assert_allclose(back.geometry.y, [46.781544, 46.77138, 46.79], atol=1e-9)
    # nothing but the file itself is left in the folder
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


@pytest.mark.parametrize("name", ["l.gpkg", "l.geojson", "l.zip", "l.kml", "l.csv"])
def test_round_trip_lines(tmp_path: Path, lines: gpd.GeoDataFrame, name: str) -> None:
    back = io.read(io.write(lines, tmp_path / name))
    assert list(back["name"]) == ["Drum Pata Rât", "Cărare spre școală"]
    assert back.geom_type.tolist() == ["LineString", "LineString"]
    for got, want in zip(_coords(back), _coords(lines), strict=True):
        np.testing.assert_allclose(got, want, atol=1e-9)


def test_csv_export_layout(tmp_path: Path, points: gpd.GeoDataFrame, lines) -> None:
    io.write(points, tmp_path / "p.csv")
    raw = (tmp_path / "p.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so that Excel shows ș and ț
    text = raw.decode("utf-8-sig").splitlines()
    assert text[0] == "name,note,families,area_ha,lon,lat"
    assert text[1].endswith(",12,0.5,23.691748,46.781544")
    io.write(lines, tmp_path / "l.csv")
    header = (tmp_path / "l.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header == "name,families,wkt"


def test_geopackage_keeps_crs_other_exports_are_wgs84(
    tmp_path: Path, points: gpd.GeoDataFrame
) -> None:
    stereo = points.to_crs("EPSG:3844")
    io.write(stereo, tmp_path / "s.gpkg", layer="puncte")
    assert pyogrio.list_layers(tmp_path / "s.gpkg")[0][0] == "puncte"
    back = io.read(tmp_path / "s.gpkg")
    assert back.crs.to_epsg() == 3844
    np.testing.assert_allclose(back.geometry.x, stereo.geometry.x, atol=1e-6)
    io.write(stereo, tmp_path / "s.geojson")
    gj = json.loads((tmp_path / "s.geojson").read_text(encoding="utf-8"))
    lon, lat = gj["features"][0]["geometry"]["coordinates"]
    assert lon == pytest.approx(23.691748, abs=1e-7)
    assert lat == pytest.approx(46.781544, abs=1e-7)


def test_shapefile_zip_contents(tmp_path: Path, points: gpd.GeoDataFrame) -> None:
    io.write(points, tmp_path / "puncte.zip")
    with zipfile.ZipFile(tmp_path / "puncte.zip") as zf:
        names = sorted(zf.namelist())
        assert names == ["puncte.cpg", "puncte.dbf", "puncte.prj", "puncte.shp", "puncte.shx"]
        assert zf.read("puncte.cpg").decode().strip() == "UTF-8"
        dbf = zf.read("puncte.dbf")
    assert "Dealul Borzaș".encode() in dbf


def test_shapefile_refuses_mixed_geometry(tmp_path: Path) -> None:
    mixed = gpd.GeoDataFrame(
        {"a": [1, 2]},
        geometry=[Point(23.6, 46.7), LineString([(23.6, 46.7), (23.7, 46.8)])],
        crs="EPSG:4326",
    )
    with pytest.raises(InputError, match="one geometry type"):
        io.write(mixed, tmp_path / "m.zip")
    assert list(tmp_path.iterdir()) == []


def test_write_driver_keyword_and_unknown_extension(
    tmp_path: Path, points: gpd.GeoDataFrame
) -> None:
    io.write(points, tmp_path / "points.dat", driver="GeoJSON")
    assert json.loads((tmp_path / "points.dat").read_text())["type"] == "FeatureCollection"
    with pytest.raises(InputError, match=r"unknown extension '\.xyz'"):
        io.write(points, tmp_path / "p.xyz")
    with pytest.raises(CRSError, match="no CRS"):
        io.write(points.set_crs(None, allow_override=True), tmp_path / "p.gpkg")


# --------------------------------------------------------------------------- atomic writes


def test_write_refuses_to_overwrite(tmp_path: Path, points: gpd.GeoDataFrame) -> None:
    target = tmp_path / "p.geojson"
    target.write_text("old")
    with pytest.raises(InputError, match="already exists; pass overwrite=True"):
        io.write(points, target)
    assert target.read_text() == "old"
    io.write(points, target, overwrite=True)
    assert len(io.read(target)) == 3


def test_failed_write_leaves_no_temp_file_and_keeps_the_old_one(
    tmp_path: Path, points: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.gpkg"
    target.write_bytes(b"previous version")

    def half_write(frame, path, **kwargs):  # writes part of a file, then dies
        Path(path).write_bytes(b"SQLite format 3\x00 half")
        raise OSError("disk full")

    monkeypatch.setattr(pyogrio, "write_dataframe", half_write)
    with pytest.raises(OSError, match="disk full"):
        io.write(points, target, overwrite=True)
    assert target.read_bytes() == b"previous version"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.gpkg"]
    with pytest.raises(OSError):
        io.write(points, tmp_path / "new.geojson")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.gpkg"]


# --------------------------------------------------------------------------- encodings, text


def test_cp1250_shapefile_without_cpg(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # cp1250 has no ș/ț with comma: Windows software writes the cedilla forms ş/ţ.
    gdf = gpd.GeoDataFrame(
        {"nume": ["Şcoala Ţărănească", "Pârâul Ştiucii"], "familii": [5, 9]},
        geometry=[Point(23.69, 46.78), Point(23.68, 46.77)],
        crs="EPSG:4326",
    )
    pyogrio.write_dataframe(gdf, tmp_path / "vechi.shp", encoding="cp1250")
    (tmp_path / "vechi.cpg").unlink()
    raw = (tmp_path / "vechi.dbf").read_bytes()
    assert "Şcoala".encode("cp1250") in raw and b"\xaa" in raw  # really cp1250 (Ş = 0xAA)
    with caplog.at_level(logging.INFO, logger="pata_gis.io"):
        back = io.read(tmp_path / "vechi.shp")
    assert list(back["nume"]) == ["Școala Țărănească", "Pârâul Știucii"]  # comma forms
    assert list(back["familii"]) == [5, 9]
    assert "cp1250" in caplog.text
    # the folder and the given encoding work too
    assert list(io.read(tmp_path)["nume"]) == ["Școala Țărănească", "Pârâul Știucii"]
    assert list(io.read(tmp_path / "vechi.shp", encoding="cp1250")["familii"]) == [5, 9]


def test_utf8_shapefile_without_cpg(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame({"nume": ["Țăndărei"]}, geometry=[Point(23.69, 46.78)], crs=4326)
    pyogrio.write_dataframe(gdf, tmp_path / "u.shp", encoding="UTF-8")
    (tmp_path / "u.cpg").unlink()
    assert list(io.read(tmp_path / "u.shp")["nume"]) == ["Țăndărei"]


def test_cedilla_normalised_in_values_and_column_names(tmp_path: Path) -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"denumire_ş": "Ştrandul Ţării şi ţăranii", "nr": 1},
                "geometry": {"type": "Point", "coordinates": [23.69, 46.78]},
            }
        ],
    }
    (tmp_path / "c.geojson").write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    back = io.read(tmp_path / "c.geojson")
    assert list(back.columns) == ["denumire_ș", "nr", "geometry"]
    assert back["denumire_ș"].iloc[0] == "Ștrandul Țării și țăranii"
    assert back["denumire_ș"].iloc[0] == "\u0218trandul \u021a\u0103rii \u0219i \u021b\u0103ranii"


def test_normalise_text_leaves_other_values_alone() -> None:
    gdf = gpd.GeoDataFrame(
        {"a": pd.array(["ş", None], dtype="str"), "b": [1, 2], "c": [["ş"], "Ţ"]},
        geometry=[Point(0, 0), Point(1, 1)],
    )
    out = io.normalise_text(gdf)
    assert out["a"].iloc[0] == "ș" and pd.isna(out["a"].iloc[1])
    assert out["c"].tolist() == [["ş"], "Ț"]  # only strings change
    assert gdf["a"].iloc[0] == "ş"  # input untouched


# --------------------------------------------------------------------------- CSV


def test_kobo_csv_semicolon_geolocation_columns(tmp_path: Path) -> None:
    text = (
        "start;end;nume_loc;risc;_geolocation_latitude;_geolocation_longitude;"
        "_geolocation_altitude;_geolocation_precision;_id\n"
        "2024-05-01T10:00;2024-05-01T10:05;Podul de cale ferată;câini;46,781544;23,691748;"
        "350;4.5;101\n"
        "2024-05-01T10:06;2024-05-01T10:09;Poteca spre şcoală;neiluminat;46.7714;23.6853;"
        "352;6;102\n"
    )
    (tmp_path / "kobo.csv").write_text(text, encoding="utf-8")
    gdf = io.read(tmp_path / "kobo.csv")
    assert gdf.crs.to_epsg() == 4326
    assert gdf.geometry.x.tolist() == [23.691748, 23.6853]
    assert gdf.geometry.y.tolist() == [46.781544, 46.7714]
    assert gdf["nume_loc"].tolist() == ["Podul de cale ferată", "Poteca spre școală"]
    assert "_geolocation_latitude" not in gdf.columns
    assert gdf["_geolocation_precision"].tolist() == [4.5, 6.0]
    assert gdf["_id"].tolist() == [101, 102]


def test_kobo_csv_lat_lon_comma(tmp_path: Path) -> None:
    (tmp_path / "k.csv").write_text(
        "lat,lon,tip\n46.78,23.69,foc\n46.77,23.68,inundație\n", encoding="utf-8"
    )
    gdf = io.read(tmp_path / "k.csv")
    assert gdf.geometry.x.tolist() == [23.69, 23.68]
    assert gdf.geometry.y.tolist() == [46.78, 46.77]
    assert list(gdf.columns) == ["tip", "geometry"]


def test_odk_csv_group_columns_and_geopoint_string(tmp_path: Path) -> None:
    (tmp_path / "odk.csv").write_text(
        "SubmissionDate,loc-gps-Latitude,loc-gps-Longitude,loc-gps-Altitude,loc-gps-Accuracy,"
        "descriere\n"
        '2024-05-02,46.7688,23.6839,340,5.0,"Rampa, lângă celula nouă"\n',
        encoding="utf-8",
    )
    gdf = io.read(tmp_path / "odk.csv")
    assert (gdf.geometry.x.iloc[0], gdf.geometry.y.iloc[0]) == (23.6839, 46.7688)
    assert gdf["descriere"].iloc[0] == "Rampa, lângă celula nouă"
    # ODK/Kobo geopoint column: "lat lon altitude accuracy"
    (tmp_path / "gp.csv").write_text(
        "gps,nota\n46.781544 23.691748 350 4.0,a\n46.7714 23.6853 0 0,b\n", encoding="utf-8"
    )
    gdf = io.read(tmp_path / "gp.csv")
    assert gdf.geometry.x.tolist() == [23.691748, 23.6853]
    assert gdf.geometry.y.tolist() == [46.781544, 46.7714]


def test_csv_xy_needs_crs_and_explicit_columns(tmp_path: Path) -> None:
    (tmp_path / "xy.csv").write_text("x,y,n\n400234.5,584000.25,1\n", encoding="utf-8")
    with pytest.raises(CRSError, match="pass crs='EPSG:3844'"):
        io.read(tmp_path / "xy.csv")
    gdf = io.read(tmp_path / "xy.csv", crs="EPSG:3844")
    assert gdf.crs.to_epsg() == 3844
    assert (gdf.geometry.x.iloc[0], gdf.geometry.y.iloc[0]) == (400234.5, 584000.25)
    (tmp_path / "e.csv").write_text("E_st70,N_st70\n400234.5,584000.25\n", encoding="utf-8")
    gdf = io.read(tmp_path / "e.csv", x="E_st70", y="N_st70", crs="EPSG:3844")
    assert gdf.geometry.y.iloc[0] == 584000.25


def test_csv_cp1250_fallback(tmp_path: Path) -> None:
    (tmp_path / "w.csv").write_bytes("lat;lon;nume\n46.78;23.69;Şură veche\n".encode("cp1250"))
    assert io.read(tmp_path / "w.csv")["nume"].iloc[0] == "Șură veche"


# --------------------------------------------------------------------------- GPX, KML, OSM, JSON

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
  <wpt lat="46.781544" lon="23.691748"><name>Stația Cantonului</name></wpt>
  <wpt lat="46.77138" lon="23.68534"><name>Pata Rât</name></wpt>
  <trk><name>drum spre școală</name><trkseg>
    <trkpt lat="46.7700" lon="23.6800"/><trkpt lat="46.7750" lon="23.6850"/>
    <trkpt lat="46.7800" lon="23.6900"/>
  </trkseg></trk>
</gpx>
"""


def test_gpx_layers(tmp_path: Path) -> None:
    (tmp_path / "t.gpx").write_text(GPX, encoding="utf-8")
    with pytest.raises(InputError, match=r"waypoints \(2\), tracks \(1\); pass layer="):
        io.read(tmp_path / "t.gpx")
    wpt = io.read(tmp_path / "t.gpx", layer="waypoints")
    assert wpt["name"].tolist() == ["Stația Cantonului", "Pata Rât"]
    assert wpt.geometry.x.tolist() == [23.691748, 23.68534]
    assert wpt.geometry.y.tolist() == [46.781544, 46.77138]
    trk = io.read(tmp_path / "t.gpx", layer="tracks")
    assert trk["name"].tolist() == ["drum spre școală"]
    assert trk.geom_type.tolist() == ["MultiLineString"]
    assert list(trk.geometry.iloc[0].geoms[0].coords) == [
        (23.68, 46.77),
        (23.685, 46.775),
        (23.69, 46.78),
    ]
    assert io.list_layers(tmp_path / "t.gpx") == ["waypoints", "tracks"]


def test_kml_with_folders(tmp_path: Path) -> None:
    kml = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
 <Folder><name>Riscuri</name>
  <Placemark><name>Câini</name><Point><coordinates>23.69,46.78,0</coordinates></Point></Placemark>
  <Placemark><name>Foc</name><Point><coordinates>23.68,46.77,0</coordinates></Point></Placemark>
 </Folder>
 <Folder><name>Drumuri</name>
  <Placemark><name>Potecă</name>
   <LineString><coordinates>23.68,46.77 23.69,46.78</coordinates></LineString></Placemark>
 </Folder>
</Document></kml>"""
    (tmp_path / "m.kml").write_text(kml, encoding="utf-8")
    gdf = io.read(tmp_path / "m.kml")
    assert gdf["name"].tolist() == ["Câini", "Foc", "Potecă"]
    assert gdf["folder"].tolist() == ["Riscuri", "Riscuri", "Drumuri"]
    assert gdf.geom_type.tolist() == ["Point", "Point", "LineString"]
    assert not gdf.has_z.any()
    assert io.read(tmp_path / "m.kml", layer="Drumuri")["name"].tolist() == ["Potecă"]


def test_osm_xml_points_and_lines() -> None:
    root = ET.parse(MUNICH).getroot()
    nodes = {n.get("id"): (float(n.get("lon")), float(n.get("lat"))) for n in root.iter("node")}
    tagged = {n.get("id") for n in root.iter("node") if n.find("tag") is not None}
    assert tagged == {"274969431", "6199069340"}
    pts = io.read(MUNICH, layer="points", region=None)
    assert pts.crs.to_epsg() == 4326
    assert set(pts["osm_id"]) == tagged
    for osm_id, geom in zip(pts["osm_id"], pts.geometry, strict=True):
        assert (geom.x, geom.y) == pytest.approx(nodes[osm_id])
    lines = io.read(MUNICH, layer="lines", region=None)
    ways = {w.get("id"): [nodes[nd.get("ref")] for nd in w.iter("nd")] for w in root.iter("way")}
    assert {"Goethestraße", "Haydnstraße", "Richard-Wagner-Straße"} <= set(lines["name"].dropna())
    for osm_id, geom in zip(lines["osm_id"], lines.geometry, strict=True):
        np.testing.assert_allclose(list(geom.coords), ways[osm_id], atol=1e-7)
    with pytest.raises(InputError, match="pass layer="):
        io.read(MUNICH, region=None)


def test_osm_bz2() -> None:
    lines = io.read(DATA / "osm_fixtures" / "West-Oakland.osm.bz2", layer="lines", region=None)
    assert len(lines) > 0 and set(lines.geom_type) == {"LineString"}
    assert lines.total_bounds[0] > -122.4 and lines.total_bounds[2] < -122.2


def test_bare_json_array_of_features() -> None:
    gdf = io.read(DATA / "cluj" / "osm_poi_center" / "cluj_center_osm_nodes_2021.json")
    assert len(gdf) == 1203
    assert set(gdf.geom_type) == {"Point"}
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 23.574 < minx and maxx < 23.605 and 46.755 < miny and maxy < 46.785


def test_geometry_collection_of_one_is_unwrapped() -> None:
    path = DATA / "cluj" / "boundaries" / "cluj-napoca_admin_boundary_osm.geojson"
    gdf = io.read(path, region="cluj")
    assert gdf.geom_type.tolist() == ["MultiPolygon"]
    assert gdf.geometry.iloc[0].contains(Point(23.691748, 46.781544))  # Cantonului


def test_gtfs_delegation() -> None:
    with pytest.warns(UserWarning, match="dropped"):
        stops = io.read(DATA / "cluj" / "gtfs_ctp_cluj" / "stops.txt", region="cluj")
    assert {"stop_id", "name", "source", "accuracy_m"} <= set(stops.columns)


def test_crs_keyword_overrides_a_wrong_label(tmp_path: Path) -> None:
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [400234.0, 584000.0]},
            }
        ],
    }
    (tmp_path / "m.geojson").write_text(json.dumps(fc))
    with pytest.raises(CRSError, match="EPSG:3844"):
        io.read(tmp_path / "m.geojson")
    gdf = io.read(tmp_path / "m.geojson", crs="EPSG:3844")
    assert gdf.crs.to_epsg() == 3844


def test_unknown_extension_sniffed_by_content(tmp_path: Path, points) -> None:
    io.write(points, tmp_path / "p.gpkg")
    (tmp_path / "p.gpkg").rename(tmp_path / "p.data")
    assert io.read(tmp_path / "p.data")["name"].tolist() == NAMES


def test_zip_with_one_geojson(tmp_path: Path, points) -> None:
    io.write(points, tmp_path / "p.geojson")
    with zipfile.ZipFile(tmp_path / "p.zip", "w") as zf:
        zf.write(tmp_path / "p.geojson", "export/p.geojson")
    assert io.read(tmp_path / "p.zip")["name"].tolist() == NAMES


def test_geopackage_layers(tmp_path: Path, points, lines) -> None:
    io.write(points, tmp_path / "w.gpkg", layer="puncte")
    pyogrio.write_dataframe(lines, tmp_path / "w.gpkg", layer="drumuri", append=False)
    with pytest.raises(InputError, match=r"2 layers .*puncte.*drumuri|2 layers .*drumuri.*puncte"):
        io.read(tmp_path / "w.gpkg")
    assert io.read(tmp_path / "w.gpkg", layer="drumuri")["name"].iloc[1] == "Cărare spre școală"
    assert sorted(io.list_layers(tmp_path / "w.gpkg")) == ["drumuri", "puncte"]


def test_kmz_and_kml_columns(tmp_path: Path, points: gpd.GeoDataFrame) -> None:
    io.write(points[["name", "geometry"]], tmp_path / "p.kml")
    with zipfile.ZipFile(tmp_path / "p.kmz", "w") as zf:
        zf.write(tmp_path / "p.kml", "doc.kml")
    gdf = io.read(tmp_path / "p.kmz")
    assert gdf["name"].tolist() == NAMES
    # LIBKML's presentation fields (empty description, tessellate, ...) are dropped
    assert set(gdf.columns) <= {"id", "name", "geometry"}


def test_gtfs_folder() -> None:
    # the feed's stray block of 45 Constanța stops (876-920; see PROVENANCE.md)
    with pytest.warns(UserWarning, match="dropped 45 of 913"):
        stops = io.read(DATA / "cluj" / "gtfs_ctp_cluj")
    assert "394" in set(stops["stop_id"])


def test_kml_writes_nullable_integers_with_gaps(tmp_path) -> None:
    g = gpd.GeoDataFrame(
        {"n": pd.array([1, None], dtype="Int64"), "source": ["a", "b"]},
        geometry=gpd.points_from_xy([23.6, 23.7], [46.7, 46.8]),
        crs=4326,
    )
    back = io.read(io.write(g, tmp_path / "gaps.kml"))
    assert back["n"].iloc[0] == 1 and pd.isna(back["n"].iloc[1])
