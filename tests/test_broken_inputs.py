"""A corpus of broken input files, each refused by ``io.read`` with an InputError
that names the file and says how to fix it.

:func:`make_broken_inputs` builds the corpus in a folder so that other tests
(e.g. the workspace import) can feed the same files and check nothing changed.
"""

from __future__ import annotations

import bz2
import json
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import Point

from pata_gis import io
from pata_gis._errors import CRSError, InputError

BrokenCase = tuple[str, Path, dict[str, Any], str]


def _fc(*coords: Any, props: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": props or {"name": f"p{i}"},
                "geometry": None if c is None else {"type": "Point", "coordinates": c},
            }
            for i, c in enumerate(coords)
        ],
    }


def _points(crs: str = "EPSG:4326", xy: tuple[float, float] = (23.69, 46.78)) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"nume": ["Şcoala", "Ţarina"]},
        geometry=[Point(*xy), Point(xy[0] + 0.01, xy[1] + 0.01)],
        crs=crs,
    )


def make_broken_inputs(tmp_path: Path) -> list[BrokenCase]:
    """Write broken input files into `tmp_path`.

    Returns
    -------
    list of (id, path, read kwargs, expected message fragment)
        ``io.read(path, **kwargs)`` must raise an InputError (or subclass)
        whose message contains ``path.name`` and the fragment (a fix hint).
    """
    d = Path(tmp_path) / "broken"
    d.mkdir(parents=True, exist_ok=True)
    cases: list[BrokenCase] = []

    def add(case_id: str, name: str, content: str | bytes | None, fragment: str, **kw: Any) -> Path:
        p = d / name
        if isinstance(content, str):
            p.write_text(content, encoding="utf-8")
        elif isinstance(content, bytes):
            p.write_bytes(content)
        cases.append((case_id, p, kw, fragment))
        return p

    good = json.dumps(_fc([23.69, 46.78], [23.70, 46.79]), indent=1)

    # --- GeoJSON / JSON
    add("truncated_geojson", "cut.geojson", good[: len(good) // 2], "re-export the file")
    add("empty_file", "empty.geojson", b"", "is empty (0 bytes)")
    add("blank_file", "blank.geojson", "  \n\n ", "holds only blank space")
    add("zero_features", "none.geojson", json.dumps(_fc()), "holds no features")
    add("json_list_of_numbers", "numbers.json", "[1, 2, 3]", "is JSON but not GeoJSON")
    add("json_not_geojson_object", "config.json", '{"name": "x"}', "export the layer as GeoJSON")
    add("null_geometry_everywhere", "nulls.geojson", json.dumps(_fc(None, None)), "all 2 features")
    add(
        "binary_garbage_geojson",
        "garbage.geojson",
        bytes(range(256)) * 8,
        "check you picked the right file",
    )
    add(
        "geojson_not_utf8",
        "cp1250.geojson",
        json.dumps(_fc([23.69, 46.78], props={"n": "Şură"}), ensure_ascii=False).encode("cp1250"),
        "re-save the file as UTF-8",
    )
    add(
        "stereo70_numbers_labelled_wgs84",
        "metres.geojson",
        json.dumps(_fc([400234.0, 584000.0])),
        "declare EPSG:3844 instead",
    )
    add(
        "swapped_lat_lon",
        "swapped.geojson",
        json.dumps(_fc([46.78, 23.69], [46.77, 23.68])),
        "Swap the columns",
    )
    add(
        "latitude_beyond_90",
        "lat95.geojson",
        json.dumps(_fc([23.69, 95.0])),
        "±90° latitude",
    )
    add(
        "outside_cluj_constanta",
        "constanta.geojson",
        json.dumps(_fc([28.6567, 44.1735])),
        "outside the Cluj-Napoca area",
        region="cluj",
    )
    add(
        "polygon_ring_too_few_points",
        "ring.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [[[23.6, 46.7], [23.7, 46.8]]],
                        },
                    }
                ],
            }
        ),
        "Fix geometries",
    )

    # --- Shapefiles
    shp_dir = d / "no_prj"
    shp_dir.mkdir()
    pyogrio.write_dataframe(_points("EPSG:3844", (400000.0, 584000.0)), shp_dir / "fara_prj.shp")
    (shp_dir / "fara_prj.prj").unlink()
    cases.append(("shapefile_without_prj", shp_dir / "fara_prj.shp", {}, "pass crs='EPSG:3844'"))

    for missing in ("dbf", "shx"):
        sd = d / f"no_{missing}"
        sd.mkdir()
        pyogrio.write_dataframe(_points(), sd / "strazi.shp")
        (sd / f"strazi.{missing}").unlink()
        cases.append((f"shp_without_{missing}", sd / "strazi.shp", {}, f"strazi.{missing} missing"))

    enc_dir = d / "bad_cpg"
    enc_dir.mkdir()
    pyogrio.write_dataframe(_points(), enc_dir / "cp.shp", encoding="cp1250")
    (enc_dir / "cp.cpg").write_text("UTF-8")
    cases.append(("wrong_encoding_cpg", enc_dir / "cp.shp", {}, "encoding='cp1250'"))

    with zipfile.ZipFile(d / "readme_only.zip", "w") as zf:
        zf.writestr("readme.txt", "the shapefile is elsewhere")
    cases.append(("zip_without_shp", d / "readme_only.zip", {}, "holds no shapefile (.shp)"))

    with zipfile.ZipFile(d / "half.zip", "w") as zf:
        zf.write(d / "no_dbf" / "strazi.shp", "strazi.shp")
        zf.write(d / "no_dbf" / "strazi.shx", "strazi.shx")
    cases.append(("zip_shp_without_dbf", d / "half.zip", {}, "zip the .shp together"))

    add("not_a_zip", "fake.zip", "just text", "not a valid zip file")
    empty_dir = d / "empty_folder"
    empty_dir.mkdir()
    (empty_dir / "notes.txt").write_text("nothing here")
    cases.append(("folder_without_shapefile", empty_dir, {}, "folder without a shapefile"))

    # --- GeoPackage
    add("gpkg_is_text", "text.gpkg", "id,name\n1,a\n", "is not a GeoPackage")
    gpkg = d / "two.gpkg"
    pyogrio.write_dataframe(_points(), gpkg, layer="puncte")
    pyogrio.write_dataframe(_points(), gpkg, layer="riscuri")
    cases.append(
        ("gpkg_missing_layer", gpkg, {"layer": "drumuri"}, "its layers are: puncte, riscuri")
    )
    cases.append(("gpkg_several_layers_unnamed", gpkg, {}, "pass layer= with the one to read"))
    one = d / "one.gpkg"
    pyogrio.write_dataframe(_points(), one, layer="puncte")
    add("gpkg_truncated", "cut.gpkg", one.read_bytes()[:3000], "export or copy it again")

    # --- CSV
    add(
        "csv_without_coordinate_columns",
        "nocoords.csv",
        "nume,tip\nA,foc\n",
        "Its columns are: nume, tip. Accepted: lat/lon",
    )
    add(
        "csv_non_numeric_coordinate",
        "text_coord.csv",
        "lat,lon,n\n46.78,23.69,1\n46.77,23.68,2\n46°46',23.68,3\n",
        "row 4, column 'lat'",
    )
    add(
        "csv_blank_and_nan_coordinates",
        "blanks.csv",
        "lat;lon;n\n46.78;23.69;1\n;23.68;2\nNaN;23.67;3\n46.75;23.66;4\n",
        "rows 3, 4 (the header being row 1) have no coordinates",
    )
    add(
        "csv_huge_coordinate",
        "huge.csv",
        "latitude,longitude\n1e12,23.69\n",
        "row 2, column 'latitude': 1e+12 is outside -90..90",
    )
    add(
        "csv_huge_xy_stereo70",
        "huge_xy.csv",
        "x,y\n400000,584000\n1e12,584000\n",
        "row 3: coordinate (1e+12, 584000) is implausibly large",
        crs="EPSG:3844",
    )
    add("csv_xy_without_crs", "xy.csv", "x,y\n400000,584000\n", "pass crs='EPSG:3844'")
    add("csv_header_only", "header.csv", "lat,lon,nume\n", "no data rows")
    add(
        "csv_ragged_rows",
        "ragged.csv",
        "lat,lon\n46.78,23.69\n46.77,23.68,extra,fields\n",
        "as many fields as the header",
    )
    add(
        "csv_wrong_encoding_given",
        "cp1250.csv",
        "lat;lon;nume\n46.78;23.69;Şură\n".encode("cp1250"),
        "encoding='cp1250'",
        encoding="utf-8",
    )

    # --- KML, GPX, OSM
    add(
        "kml_no_placemarks",
        "empty.kml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><name>Harta goală</name></Document></kml>\n",
        "holds no placemarks",
    )
    add("kml_not_xml", "notxml.kml", "this is not KML", "export it again as KML")
    add(
        "gpx_empty",
        "empty.gpx",
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="t" '
        'xmlns="http://www.topografix.com/GPX/1/1"></gpx>\n',
        "holds no waypoints, routes or tracks",
    )
    add("osm_not_xml", "notxml.osm", "node 1 at 46.78 23.69", "is not OSM XML", layer="points")
    add("osm_bz2_not_bzip2", "fake.osm.bz2", "plain text", "not a valid bzip2 file", layer="lines")
    add(
        "osm_without_layer",
        "tiny.osm",
        '<?xml version="1.0"?><osm version="0.6"></osm>',
        "pass layer= with one of",
    )

    # --- paths and kinds
    add("unknown_extension", "layer.xyz", "some text", "unknown file type '.xyz'")
    cases.append(("missing_file", d / "does_not_exist.geojson", {}, "check the path"))
    add(
        "gtfs_stops_non_numeric",
        "stops.txt",
        "stop_id,stop_name,stop_lat,stop_lon\n1,A,46.78,23.69\n2,B,abc,23.69\n",
        "row 3 (counting the header as row 1): stop_lat is 'abc', not a number",
    )
    return cases


def _params() -> list[Any]:
    # ids are fixed here; files are built per test in tmp_path by the fixture below
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ids = [c[0] for c in make_broken_inputs(Path(tmp))]
    return ids


CASE_IDS = _params()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BrokenCase]:
    return {c[0]: c for c in make_broken_inputs(tmp_path_factory.mktemp("corpus"))}


def test_corpus_is_large_and_distinct() -> None:
    assert len(CASE_IDS) >= 25
    assert len(set(CASE_IDS)) == len(CASE_IDS)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_broken_input_is_refused_with_a_fix(case_id: str, corpus: dict[str, BrokenCase]) -> None:
    _id, path, kwargs, fragment = corpus[case_id]
    with pytest.raises(InputError) as info:
        io.read(path, **kwargs)
    message = str(info.value)
    assert path.name in message
    assert fragment in message


@pytest.mark.parametrize(
    "case_id",
    [
        "stereo70_numbers_labelled_wgs84",
        "swapped_lat_lon",
        "shapefile_without_prj",
        "csv_xy_without_crs",
        "outside_cluj_constanta",
    ],
)
def test_crs_problems_are_crs_errors(case_id: str, corpus: dict[str, BrokenCase]) -> None:
    _id, path, kwargs, _fragment = corpus[case_id]
    with pytest.raises(CRSError):
        io.read(path, **kwargs)


def test_fixes_named_in_the_messages_work(corpus: dict[str, BrokenCase]) -> None:
    """Doing what the message says turns the broken file into a readable one."""
    assert len(io.read(corpus["shapefile_without_prj"][1], crs="EPSG:3844")) == 2
    assert len(io.read(corpus["gpkg_missing_layer"][1], layer="riscuri")) == 2
    assert len(io.read(corpus["csv_xy_without_crs"][1], crs="EPSG:3844")) == 1
    fixed = io.read(corpus["wrong_encoding_cpg"][1], encoding="cp1250")
    assert fixed["nume"].tolist() == ["Școala", "Țarina"]
    fixed = io.read(corpus["csv_wrong_encoding_given"][1], encoding="cp1250")
    assert fixed["nume"].tolist() == ["Șură"]
    assert len(io.read(corpus["stereo70_numbers_labelled_wgs84"][1], crs="EPSG:3844")) == 1


def test_bzip2_osm_check_reads_real_file(tmp_path: Path) -> None:
    text = '<?xml version="1.0"?><osm version="0.6"></osm>'
    (tmp_path / "e.osm.bz2").write_bytes(bz2.compress(text.encode()))
    with pytest.raises(InputError, match="holds no features"):
        io.read(tmp_path / "e.osm.bz2", layer="points", region=None)


def test_validation_problems_are_left_to_layers(tmp_path: Path) -> None:
    """Mixed geometry types and self-intersecting polygons are readable: io passes them
    on untouched and the layers module validates them against the spec. The io-level
    part is a Shapefile export, which cannot hold mixed types."""
    bowtie = [[23.68, 46.77], [23.70, 46.79], [23.70, 46.77], [23.68, 46.79], [23.68, 46.77]]
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"n": 1},
                "geometry": {"type": "Polygon", "coordinates": [bowtie]},
            },
            {
                "type": "Feature",
                "properties": {"n": 2},
                "geometry": {"type": "Point", "coordinates": [23.69, 46.78]},
            },
        ],
    }
    (tmp_path / "mixed.geojson").write_text(json.dumps(fc))
    gdf = io.read(tmp_path / "mixed.geojson")
    assert gdf.geom_type.tolist() == ["Polygon", "Point"]
    assert gdf.is_valid.tolist() == [False, True]  # not repaired here
    with pytest.raises(InputError, match=r"mixed\.zip: a Shapefile holds one geometry type"):
        io.write(gdf, tmp_path / "mixed.zip")
    assert not (tmp_path / "mixed.zip").exists()
