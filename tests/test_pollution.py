"""pollution: legal zone, bands, exposure surface and per-feature assessment around the landfill."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from pata_gis import pollution, settings, surface
from pata_gis._errors import InputError

# A square active cell 100 m wide in Stereo 70 (near Pata Rât) and a closed dump beside it.
X0, Y0, S = 400_000.0, 580_000.0, 100.0


def landfill(with_closed: bool = True, active: bool = True) -> gpd.GeoDataFrame:
    rows = {
        "name": ["celula 1"],
        "status": ["active" if active else "closed"],
        "year_opened": [2015],
        "year_closed": [None],
        "kind": ["temporary storage cell"],
    }
    geoms = [box(X0, Y0, X0 + S, Y0 + S)]
    if with_closed:
        for k, v in rows.items():
            v.append({"name": "groapa veche", "status": "Closed", "year_opened": 1973}.get(k, None))
        rows["kind"][-1] = "municipal dump"
        geoms.append(box(X0 - 2000, Y0, X0 - 1500, Y0 + 500))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:3844")


def east_of_edge(d: float) -> Point:
    return Point(X0 + S + d, Y0 + S / 2)


# --------------------------------------------------------------------------- features
def test_point_600_m_from_the_edge_is_in_band_500_1000_and_inside_the_zone():
    homes = gpd.GeoDataFrame(
        {"family": ["a", "b"]},
        geometry=[east_of_edge(600), east_of_edge(1200)],
        crs="EPSG:3844",
        index=["home-7", "home-9"],
    )
    out = pollution.landfill_exposure(homes, landfill())
    assert list(out.index) == ["home-7", "home-9"]
    a, b = out.loc["home-7"], out.loc["home-9"]
    assert a["band"] == "500–1000"
    assert a["distance_m"] == pytest.approx(600, abs=1e-6)
    assert bool(a["inside_legal_zone"]) is True
    assert b["band"] == "> 1000"
    assert b["distance_m"] == pytest.approx(1200, abs=1e-6)
    assert bool(b["inside_legal_zone"]) is False
    # the exposure of a point is the formula at that point: exp(-d / L)
    assert a["exposure_mean"] == pytest.approx(math.exp(-600 / settings.exposure_decay_m))
    assert a["exposure_max"] == a["exposure_mean"]


def test_band_edges_and_missing_geometries():
    pts = gpd.GeoSeries(
        [east_of_edge(0), east_of_edge(250), east_of_edge(250.5), east_of_edge(1000), None],
        crs="EPSG:3844",
    )
    out = pollution.landfill_exposure(pts, landfill())
    assert list(out["band"][:4]) == ["0–250", "0–250", "250–500", "500–1000"]
    # at exactly the legal distance a home complies
    assert list(out["inside_legal_zone"][:4]) == [True, True, True, False]
    assert pd.isna(out["band"].iloc[4]) and np.isnan(out["distance_m"].iloc[4])
    assert out["inside_legal_zone"].isna().iloc[4]


def test_features_in_degrees_are_measured_in_stereo70():
    pts = gpd.GeoSeries([east_of_edge(600)], crs="EPSG:3844").to_crs("EPSG:4326")
    out = pollution.landfill_exposure(pts, landfill().to_crs("EPSG:4326"))
    assert out["distance_m"].iloc[0] == pytest.approx(600, abs=1e-3)


def test_polygon_exposure_is_the_zonal_mean_of_the_surface():
    lf = landfill()
    sites = gpd.GeoDataFrame(
        geometry=[
            box(X0 + 300, Y0 - 200, X0 + 700, Y0 + 100),
            box(X0 - 50, Y0 + 50, X0 + 20, Y0 + 70),  # overlaps the active cell
            box(X0 + 900, Y0 + 900, X0 + 903, Y0 + 903),  # smaller than a cell
        ],
        crs="EPSG:3844",
    )
    out = pollution.landfill_exposure(sites, lf)
    grid = surface.Grid.from_bounds(sites.total_bounds, 10, pad=500)
    expo, grid = pollution.exposure_surface(lf, grid=grid)
    zs = surface.zonal_stats(sites, expo, grid)
    assert out["exposure_mean"].iloc[0] == pytest.approx(zs["mean"].iloc[0], rel=1e-4)
    assert out["exposure_max"].iloc[0] == pytest.approx(zs["max"].iloc[0], rel=1e-4)
    assert out["distance_m"].iloc[1] == 0 and out["exposure_max"].iloc[1] == pytest.approx(1.0)
    tiny = sites.geometry.iloc[2].representative_point()
    assert out["exposure_mean"].iloc[2] == pytest.approx(
        math.exp(-tiny.distance(lf.geometry.iloc[0]) / settings.exposure_decay_m)
    )


def test_multipoints_take_mean_and_max_of_their_points():
    from shapely.geometry import MultiPoint

    mp = gpd.GeoSeries([MultiPoint([east_of_edge(100), east_of_edge(300)])], crs=3844)
    out = pollution.landfill_exposure(mp, landfill())
    e1, e3 = math.exp(-100 / 500), math.exp(-300 / 500)
    assert out["exposure_max"].iloc[0] == pytest.approx(e1)
    assert out["exposure_mean"].iloc[0] == pytest.approx((e1 + e3) / 2)
    assert out["distance_m"].iloc[0] == pytest.approx(100)


def test_lines_get_the_cells_they_touch():
    road = gpd.GeoSeries([LineString([(X0 + 200, Y0 - 500), (X0 + 200, Y0 + 600)])], crs=3844)
    out = pollution.landfill_exposure(road, landfill())
    assert out["distance_m"].iloc[0] == pytest.approx(100)
    assert out["exposure_max"].iloc[0] == pytest.approx(math.exp(-95 / 500), rel=0.02)
    assert out["exposure_mean"].iloc[0] < out["exposure_max"].iloc[0]


# --------------------------------------------------------------------------- legal zone
def test_zone_area_is_the_buffered_square():
    d = settings.landfill_protection_m
    zone = pollution.legal_zone(landfill())
    analytic = S * S + 4 * S * d + math.pi * d * d
    assert zone.geometry.iloc[0].area == pytest.approx(analytic, rel=0.005)
    assert zone.geometry.iloc[0].area == pytest.approx(analytic, rel=1e-4)  # 64 segments
    assert zone["distance_m"].iloc[0] == d
    assert zone["reference"].iloc[0] == settings.landfill_protection_reference
    assert zone.crs.to_epsg() == 3844
    assert zone["n_cells"].iloc[0] == 1


def test_closed_cells_are_ignored_unless_asked():
    lf = landfill()
    only_active = pollution.legal_zone(lf).geometry.iloc[0]
    assert only_active.equals_exact(pollution.legal_zone(landfill(False)).geometry.iloc[0], 1e-6)
    with_closed = pollution.legal_zone(lf, include_closed=True)
    assert with_closed["n_cells"].iloc[0] == 2
    assert with_closed.geometry.iloc[0].area > only_active.area * 1.5
    near_dump = gpd.GeoSeries([Point(X0 - 2100, Y0 + 50)], crs=3844)
    assert pollution.landfill_exposure(near_dump, lf)["distance_m"].iloc[0] == pytest.approx(2100)
    assert pollution.landfill_exposure(near_dump, lf, include_closed=True)["distance_m"].iloc[
        0
    ] == pytest.approx(100)


def test_no_active_cell_is_refused():
    with pytest.raises(InputError, match="no active landfill cell"):
        pollution.legal_zone(landfill(active=False))
    with pytest.raises(InputError, match="no active"):
        pollution.exposure_surface(landfill(active=False), include_closed=True)
    with pytest.raises(InputError, match="'status'"):
        pollution.legal_zone(landfill().drop(columns="status"))


def test_settings_change_the_zone_and_the_keyword_overrides(monkeypatch):
    lf = landfill()
    home = gpd.GeoSeries([east_of_edge(600)], crs=3844)
    monkeypatch.setattr(settings, "landfill_protection_m", 500.0)
    zone = pollution.legal_zone(lf)
    assert zone["distance_m"].iloc[0] == 500
    assert zone.geometry.iloc[0].area == pytest.approx(
        S * S + 4 * S * 500 + math.pi * 500**2, rel=1e-4
    )
    assert not pollution.landfill_exposure(home, lf)["inside_legal_zone"].iloc[0]
    zone = pollution.legal_zone(lf, distance_m=800, reference="HG test")
    assert zone["distance_m"].iloc[0] == 800 and zone["reference"].iloc[0] == "HG test"
    assert pollution.landfill_exposure(home, lf, distance_m=800)["inside_legal_zone"].iloc[0]
    with pytest.raises(InputError, match="positive"):
        pollution.legal_zone(lf, distance_m=-1)


# --------------------------------------------------------------------------- bands
def test_bands_are_rings_with_labels():
    bands = pollution.distance_bands(landfill())
    assert list(bands["band"]) == ["0–250", "250–500", "500–1000", "> 1000"]
    assert list(bands["label_en"]) == ["0–250 m", "250–500 m", "500–1000 m", "over 1000 m"]
    assert bands["label_ro"].iloc[-1] == "peste 1000 m"

    def disc(d):
        return S * S + 4 * S * d + math.pi * d * d

    areas = bands.area.to_numpy()
    expected = [disc(250), disc(500) - disc(250), disc(1000) - disc(500), disc(2000) - disc(1000)]
    assert areas == pytest.approx(expected, rel=1e-3)
    custom = pollution.distance_bands(landfill(), edges_m=[100, 300], outer_m=400)
    assert list(custom["band"]) == ["0–100", "100–300", "> 300"]
    with pytest.raises(InputError, match="increasing"):
        pollution.distance_bands(landfill(), edges_m=[300, 100])


# --------------------------------------------------------------------------- surface
def test_exposure_surface_is_one_inside_and_decays_along_a_ray():
    expo, grid = pollution.exposure_surface(landfill(), pad_m=1500)
    assert grid.resolution == settings.exposure_resolution_m and grid.crs == "EPSG:3844"
    r, c = grid.cell_of([X0 + 55], [Y0 + 45])
    assert expo[r[0], c[0]] == 1.0
    # a ray east from the middle of the cell, and one to the north-east
    row = expo[r[0], c[0] :]
    assert (np.diff(row) <= 0).all() and (np.diff(row[6:]) < 0).all()
    diag = np.array([expo[r[0] - k, c[0] + k] for k in range(min(r[0], grid.shape[1] - c[0]))])
    assert (np.diff(diag) <= 0).all()
    # and matches exp(-d / L) at the cell centres, to a small fraction of a cell
    x, y = grid.xy()
    d = np.hypot(
        np.maximum(x - (X0 + S), 0) + np.maximum(X0 - x, 0),
        np.maximum(y - (Y0 + S), 0) + np.maximum(Y0 - y, 0),
    )
    assert np.abs(expo - np.exp(-d / 500)).max() < 1e-3


def test_decay_options():
    lf = landfill()
    g = surface.Grid.from_bounds((X0 - 1000, Y0 - 1000, X0 + 1100, Y0 + 1100), 20)
    lin, _ = pollution.exposure_surface(lf, grid=g, decay="linear", decay_m=800)
    r, c = g.cell_of([X0 + S + 410], [Y0 + 50])
    assert lin[r[0], c[0]] == pytest.approx(1 - 410 / 800, abs=1e-4)
    custom, _ = pollution.exposure_surface(lf, grid=g, decay=lambda u: 1 / (1 + u))
    assert custom[r[0], c[0]] == pytest.approx(1 / (1 + 410 / 500), abs=1e-4)
    with pytest.raises(InputError, match="decay"):
        pollution.exposure_surface(lf, grid=g, decay="cubic")


def test_wind_rose_makes_exposure_larger_downwind():
    lf = landfill(with_closed=False)
    # the wind blows mostly from the west (toward the east)
    rose = {"N": 5, "NE": 5, "E": 2, "SE": 5, "S": 8, "SW": 15, "W": 40, "NW": 15, "calm": 5}
    g = surface.Grid.from_bounds((X0 - 1000, Y0 - 1000, X0 + 1100, Y0 + 1100), 10)
    expo, _ = pollution.exposure_surface(lf, grid=g, wind_rose=rose)
    plain, _ = pollution.exposure_surface(lf, grid=g)
    r, c_east = g.cell_of([X0 + S + 505], [Y0 + 55])
    _, c_west = g.cell_of([X0 - 505], [Y0 + 55])
    east, west = expo[r[0], c_east[0]], expo[r[0], c_west[0]]
    assert plain[r[0], c_east[0]] == pytest.approx(plain[r[0], c_west[0]], rel=1e-6)
    assert east > plain[r[0], c_east[0]] > west
    # the formula by hand: L(β) = L((1 - w) + w n f_to(β)), f_to(east) = f_from(west)
    total = sum(rose.values())
    f_w = (40 + 5 / 8) / total
    f_e = (2 + 5 / 8) / total
    # (the cells chosen have their centres 505 m from the edges, due east and west)
    assert east == pytest.approx(math.exp(-505 / (500 * (0.5 + 0.5 * 8 * f_w))), rel=1e-4)
    assert west == pytest.approx(math.exp(-505 / (500 * (0.5 + 0.5 * 8 * f_e))), rel=1e-4)
    # points use the same formula
    pts = gpd.GeoSeries([east_of_edge(505), Point(X0 - 505, Y0 + 55)], crs=3844)
    out = pollution.landfill_exposure(pts, lf, wind_rose=rose)
    assert out["exposure_mean"].iloc[0] == pytest.approx(east, rel=1e-3)
    assert out["exposure_mean"].iloc[1] == pytest.approx(west, rel=1e-3)


def test_wind_factor_averages_one_and_reads_romanian_and_lists():
    bearings = np.arange(0, 360, 0.5)
    rose16 = np.random.default_rng(2).uniform(0, 10, 16)
    assert pollution.wind_factor(bearings, rose16).mean() == pytest.approx(1.0)
    ro = {"N": 1, "NE": 1, "E": 1, "SE": 1, "S": 1, "SV": 1, "V": 10, "NV": 1}
    en = {"N": 1, "NE": 1, "E": 1, "SE": 1, "S": 1, "SW": 1, "W": 10, "NW": 1}
    deg = {0: 1, 45: 1, 90: 1, 135: 1, 180: 1, 225: 1, 270: 10, 315: 1}
    assert np.allclose(pollution.wind_factor(bearings, ro), pollution.wind_factor(bearings, en))
    assert np.allclose(pollution.wind_factor(bearings, deg), pollution.wind_factor(bearings, en))
    assert pollution.wind_factor(np.array([90.0]), en)[0] == pytest.approx(8 * 10 / 17)
    # the raster path (float32, radians) computes the same formula
    rad = np.radians(np.where(bearings > 180, bearings - 360, bearings))
    fast = pollution._wind_scale(rad.astype(np.float32), rose16, 0.3)
    assert np.allclose(fast, 0.7 + 0.3 * pollution.wind_factor(bearings, rose16), atol=1e-5)
    with pytest.raises(InputError, match="sector"):
        pollution.wind_factor(bearings, {"N": 1, "X": 2, **{str(k): 1 for k in range(6)}})
    with pytest.raises(InputError, match="8 or 16"):
        pollution.wind_factor(bearings, [1, 2, 3])


def test_real_landfill_layer_zone_is_measured_from_the_active_cells():
    path = settings.catalogue_dir / "landfill.geojson"
    if not path.is_file():
        pytest.skip("bundled landfill layer not present")
    lf = gpd.read_file(path)
    active = lf[lf["status"] == "active"].to_crs(3844)
    zone = pollution.legal_zone(lf).geometry.iloc[0]
    expected = active.union_all().buffer(settings.landfill_protection_m, quad_segs=64)
    assert zone.symmetric_difference(expected).area < 1.0
