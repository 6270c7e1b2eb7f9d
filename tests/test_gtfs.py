"""Tests of pata_gis.gtfs on the real CTP Cluj-Napoca feed in ../shared/data.

Expected values are computed here from the raw files with the csv module, not
with the code under test."""

from __future__ import annotations

import csv
import io as stdio
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, box

from pata_gis import crs, gtfs, settings
from pata_gis._errors import InputError

FEED_DIR = Path(__file__).parents[1].parent / "shared" / "data" / "cluj" / "gtfs_ctp_cluj"
STOPS = FEED_DIR / "stops.txt"
FEED = FEED_DIR / "cluj-napoca.gtfs.zip"


def _zip_rows(name: str) -> list[dict[str, str]]:
    with zipfile.ZipFile(FEED) as zf, zf.open(name) as fh:
        return list(csv.DictReader(stdio.TextIOWrapper(fh, encoding="utf-8-sig")))


def _outside_ids(bounds: tuple[float, float, float, float]) -> set[str]:
    with STOPS.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    minx, miny, maxx, maxy = bounds
    return {
        r["stop_id"]
        for r in rows
        if not (minx <= float(r["stop_lon"]) <= maxx and miny <= float(r["stop_lat"]) <= maxy)
    }


@pytest.fixture(scope="module")
def zip_stops():
    with pytest.warns(gtfs.GTFSWarning):
        return gtfs.read_stops(FEED)


def test_stops_outside_cluj_are_dropped_with_a_warning() -> None:
    with STOPS.open(encoding="utf-8-sig", newline="") as fh:
        n_all = sum(1 for _ in csv.DictReader(fh))
    outside = _outside_ids(settings.cluj_bounds)
    assert n_all == 913
    assert {str(i) for i in range(876, 921)} <= outside  # the Constanța block
    with pytest.warns(gtfs.GTFSWarning) as record:
        stops = gtfs.read_stops(STOPS)
    messages = [str(w.message) for w in record]
    assert any(
        f"dropped {len(outside)} of {n_all} stops outside the Cluj area" in m for m in messages
    )
    assert any("Constanța" in m for m in messages)
    assert len(stops) == n_all - len(outside)
    assert not (set(stops["stop_id"]) & outside)
    assert issubclass(gtfs.GTFSWarning, UserWarning)


def test_fields_and_cantonului(zip_stops) -> None:
    stops = gtfs.read_stops(STOPS, bounds=(20.0, 43.5, 30.0, 48.4))  # all of Romania: no drop
    assert len(stops) == 913
    assert list(stops.columns) == ["stop_id", "name", "source", "accuracy_m", "geometry"]
    assert stops.crs.to_epsg() == 4326
    row = stops[stops["stop_id"] == "394"].iloc[0]
    assert row["name"] == "Cantonului"
    assert (row.geometry.x, row.geometry.y) == (23.691748, 46.781544)
    assert row["accuracy_m"] == 10.0
    # feed_info.txt beside stops.txt gives the version
    assert row["source"] == "GTFS CTP Cluj-Napoca feed 20260702; © CTP Cluj-Napoca"
    assert stops["stop_id"].map(type).eq(str).all()
    # the trailing comma of every row does not make an extra column
    zrow = zip_stops[zip_stops["stop_id"] == "394"].iloc[0]
    assert (zrow.geometry.x, zrow.geometry.y) == (23.691748, 46.781544)


def test_routes_serving_cantonului(zip_stops) -> None:
    routes = {r["route_id"]: r["route_short_name"] for r in _zip_rows("routes.txt")}
    assert {"5", "8", "M42"} <= set(routes.values())
    trips = {t["trip_id"]: t["route_id"] for t in _zip_rows("trips.txt")}
    expected = {
        routes[trips[st["trip_id"]]] for st in _zip_rows("stop_times.txt") if st["stop_id"] == "394"
    }
    assert {"5", "8", "M42"} <= expected
    got = zip_stops.loc[zip_stops["stop_id"] == "394", "routes"].item()
    assert set(got.split(", ")) == expected
    assert got.split(", ")[:3] == ["5", "5N", "8"]  # natural order
    # the unserved "Pata Rat" stop has no route
    assert zip_stops.loc[zip_stops["stop_id"] == "726", "routes"].item() == ""


def test_shapes_are_lines_in_cluj() -> None:
    shapes = gtfs.read_shapes(FEED)
    raw = _zip_rows("shapes.txt")
    ids = {r["shape_id"] for r in raw}
    assert len(shapes) == len(ids) == 318
    assert set(shapes.geom_type) == {"LineString"}
    assert shapes.crs.to_epsg() == 4326
    # every shape touches the Cluj metropolitan box and stays inside Cluj county
    cluj = box(*settings.cluj_bounds)
    assert shapes.intersects(cluj).all()
    assert shapes.within(box(22.637, 46.397, 24.227, 47.372)).all()
    # shape 1_0 has as many vertices as points in shapes.txt, in sequence order
    pts = sorted((int(r["shape_pt_sequence"]), r) for r in raw if r["shape_id"] == "1_0")
    line = shapes.loc[shapes["shape_id"] == "1_0"].geometry.item()
    want = [(float(r["shape_pt_lon"]), float(r["shape_pt_lat"])) for _, r in pts]
    np.testing.assert_allclose(list(line.coords), want)
    assert line.coords[0] == (23.54385, 46.75174)
    # route names of the shapes of route 5 include "5"
    routes = {r["route_id"]: r["route_short_name"] for r in _zip_rows("routes.txt")}
    shape_ids_5 = {t["shape_id"] for t in _zip_rows("trips.txt") if routes[t["route_id"]] == "5"}
    for sid in shape_ids_5:
        names = shapes.loc[shapes["shape_id"] == sid, "routes"].item().split(", ")
        assert "5" in names
    # a shape of route 5 passes within 50 m of the Cantonului stop
    metric = crs.to_metric(shapes[shapes["shape_id"].isin(shape_ids_5)])
    stop = crs.to_metric(gpd.GeoSeries([Point(23.691748, 46.781544)], crs="EPSG:4326")).iloc[0]
    assert metric.distance(stop).min() < 50


def test_bad_stop_coordinate_names_the_row(tmp_path: Path) -> None:
    (tmp_path / "stops.txt").write_text(
        "stop_id,stop_name,stop_lat,stop_lon\n1,A,46.78,23.69\n2,B,46.7x,23.69\n"
    )
    with pytest.raises(InputError, match=r"row 3 .*stop_lat is '46.7x', not a number"):
        gtfs.read_stops(tmp_path / "stops.txt")


def test_missing_column_and_no_stop_inside(tmp_path: Path) -> None:
    (tmp_path / "stops.txt").write_text("stop_id,stop_name,stop_lat\n1,A,46.78\n")
    with pytest.raises(InputError, match=r"lacks the column.*stop_lon"):
        gtfs.read_stops(tmp_path / "stops.txt")
    (tmp_path / "stops.txt").write_text("stop_id,stop_name,stop_lat,stop_lon\n1,A,44.17,28.65\n")
    with (
        pytest.warns(gtfs.GTFSWarning, match="dropped 1 of 1"),
        pytest.raises(InputError, match="pass bounds="),
    ):
        gtfs.read_stops(tmp_path / "stops.txt")


def test_feed_without_shapes(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "f.zip", "w") as zf:
        zf.writestr("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\n1,A,46.78,23.69\n")
    with pytest.raises(InputError, match=r"no shapes\.txt"):
        gtfs.read_shapes(tmp_path / "f.zip")
    stops = gtfs.read_stops(tmp_path / "f.zip")
    assert stops["source"].item() == "GTFS CTP Cluj-Napoca feed f.zip; © CTP Cluj-Napoca"
    assert "routes" not in stops.columns
