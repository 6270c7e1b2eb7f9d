"""crs: conversions and the refusal of implausible coordinates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import pytest
from shapely.geometry import LineString, Point

from pata_gis import crs
from pata_gis._errors import CRSError

CANTONULUI = (23.691748, 46.781544)  # GTFS stop 394


def frame(points, crs_="EPSG:4326"):
    return gpd.GeoDataFrame(
        {"i": range(len(points))}, geometry=[Point(p) for p in points], crs=crs_
    )


def test_metric_distance_matches_geodesic():
    # 1 km east and 1 km north of Cantonului, measured on the ellipsoid
    geod = pyproj.Geod(ellps="WGS84")
    lon1, lat1, _ = geod.fwd(*CANTONULUI, 90, 1000.0)
    lon2, lat2, _ = geod.fwd(*CANTONULUI, 0, 1000.0)
    m = crs.to_metric(frame([CANTONULUI, (lon1, lat1), (lon2, lat2)]))
    d_east = m.geometry.iloc[0].distance(m.geometry.iloc[1])
    d_north = m.geometry.iloc[0].distance(m.geometry.iloc[2])
    # Stereo 70 scale error near Cluj is well under 0.1 %
    assert d_east == pytest.approx(1000.0, rel=1e-3)
    assert d_north == pytest.approx(1000.0, rel=1e-3)
    assert m.crs.to_epsg() == 3844


def test_round_trip_is_exact_to_a_centimetre():
    g = frame([CANTONULUI, (23.5899, 46.7712)])
    back = crs.to_display(crs.to_metric(g))
    assert np.allclose(back.geometry.x, g.geometry.x, atol=1e-7)
    assert np.allclose(back.geometry.y, g.geometry.y, atol=1e-7)


def test_array_helpers_agree_with_geopandas():
    x, y = crs.lonlat_to_metric(np.array([CANTONULUI[0]]), np.array([CANTONULUI[1]]))
    m = crs.to_metric(frame([CANTONULUI]))
    assert x[0] == pytest.approx(m.geometry.x.iloc[0], abs=1e-6)
    lon, lat = crs.metric_to_lonlat(x, y)
    assert (lon[0], lat[0]) == pytest.approx(CANTONULUI, abs=1e-7)  # 1 cm


def test_plausible_data_passes_unchanged():
    g = frame([CANTONULUI])
    assert crs.check(g, name="ok.geojson", region="cluj") is g
    m = crs.to_metric(g)
    assert crs.check(m, name="ok.gpkg", region="cluj") is m


def test_missing_crs_refused_with_fix():
    g = frame([CANTONULUI], crs_=None)
    with pytest.raises(CRSError, match=r"points\.shp: no coordinate reference system.*EPSG:4326"):
        crs.check(g, name="points.shp")
    with pytest.raises(CRSError):
        crs.to_metric(g)


def test_swapped_axes_named_by_feature():
    g = frame([CANTONULUI, (CANTONULUI[1], CANTONULUI[0])])
    with pytest.raises(
        CRSError, match=r"x\.csv: feature 2 has latitude/longitude in the wrong order"
    ):
        crs.check(g, name="x.csv")


def test_metres_labelled_as_degrees():
    m = crs.to_metric(frame([CANTONULUI]))
    lying = m.set_crs("EPSG:4326", allow_override=True)
    with pytest.raises(CRSError, match="Stereo 70 metres: declare EPSG:3844"):
        crs.check(lying, name="m.geojson")


def test_degrees_labelled_as_metres():
    lying = frame([CANTONULUI]).set_crs("EPSG:3844", allow_override=True)
    with pytest.raises(CRSError, match=r"look like longitude/latitude degrees\. Declare EPSG:4326"):
        crs.check(lying, name="d.gpkg")


def test_outside_region():
    constanta = (28.6, 44.2)
    g = frame([CANTONULUI, constanta])
    crs.check(g, name="stops", region="romania")  # in Romania: fine
    with pytest.raises(CRSError, match=r"feature 2 has a position outside the Cluj-Napoca area"):
        crs.check(g, name="stops", region="cluj")
    paris = frame([(2.35, 48.85)])
    with pytest.raises(CRSError, match="outside Romania"):
        crs.check(paris, name="p")


def test_lines_checked_by_their_extent():
    # a line that starts in Cluj and ends in Constanța is outside Cluj as a whole
    g = gpd.GeoDataFrame(geometry=[LineString([CANTONULUI, (28.6, 44.2)])], crs="EPSG:4326")
    with pytest.raises(CRSError, match="outside the Cluj-Napoca area"):
        crs.check(g, name="l", region="cluj")


def test_empty_and_null_geometries_skip_the_bounds_check():
    g = gpd.GeoDataFrame(geometry=[None, Point()], crs="EPSG:4326")
    assert crs.check(g, name="e", region="cluj") is g
