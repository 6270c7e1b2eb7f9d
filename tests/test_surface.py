"""surface: grid, distance transforms, kernel density, zonal statistics, GeoTIFF, PNG."""

from __future__ import annotations

import io
import math
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import rasterio.features
from shapely.geometry import LineString, Point, Polygon, box

from pata_gis import surface
from pata_gis._errors import InputError
from pata_gis.surface import Grid

WORLDCOVER = Path("cluj/landcover/esa_worldcover_2021_v200_cluj_subset.tif")

# A 2 km × 1.5 km window near Pata Rât in Stereo 70.
X0, Y0 = 400_000.0, 580_000.0


@pytest.fixture
def grid() -> Grid:
    return Grid.from_bounds((X0, Y0, X0 + 2000, Y0 + 1500), 10)


# --------------------------------------------------------------------------- grid
def test_grid_from_bounds_snaps_and_pads():
    g = Grid.from_bounds((X0 + 3, Y0 + 4, X0 + 97, Y0 + 46), 10, pad=20)
    assert g.origin == (X0 - 20, Y0 + 70)
    assert g.shape == (9, 14)  # 90 m tall (Y0-16 snaps to Y0-20), 140 m wide
    assert g.crs == "EPSG:3844"
    assert g.transform == rasterio.transform.from_origin(X0 - 20, Y0 + 70, 10, 10)
    assert g.bounds == (X0 - 20, Y0 - 20, X0 + 120, Y0 + 70)


def test_grid_xy_and_cell_of_agree():
    g = Grid.from_bounds((0, 0, 50, 30), 10)
    x, y = g.xy()
    assert x.shape == y.shape == g.shape
    assert (x[0, 0], y[0, 0]) == (5.0, 25.0)
    assert (x[-1, -1], y[-1, -1]) == (45.0, 5.0)
    r, c = g.cell_of(x, y)
    assert (r == np.arange(3)[:, None]).all() and (c == np.arange(5)[None, :]).all()
    r, c = g.cell_of([-1, 51], [15, 15])
    assert not g.contains(r, c).any()
    xs, ys = g.xy(sparse=True)
    assert xs.shape == (1, 5) and ys.shape == (3, 1)


def test_grid_refuses_nonsense():
    with pytest.raises(InputError, match="resolution"):
        Grid.from_bounds((0, 0, 10, 10), 0)
    with pytest.raises(InputError, match="bounds"):
        Grid.from_bounds((10, 0, 0, 10), 1)


# --------------------------------------------------------------------------- distance
def _exact_distance(geoms, g: Grid) -> np.ndarray:
    """Distance from every cell centre, straight from shapely (the oracle)."""
    import shapely

    x, y = g.xy()
    pts = shapely.points(x.ravel(), y.ravel())
    union = shapely.union_all(geoms)
    return shapely.distance(pts, union).reshape(g.shape)


def test_distance_of_points_is_exact_within_half_a_cell(grid):
    rng = np.random.default_rng(7)
    pts = [
        Point(x, y)
        for x, y in zip(rng.uniform(X0, X0 + 2000, 60), rng.uniform(Y0, Y0 + 1500, 60), strict=True)
    ]
    pts.append(Point(X0 - 300, Y0 + 700))  # outside the grid still counts
    d = surface.distance_transform(pts, grid)
    truth = _exact_distance(pts, grid)
    err = np.abs(d - truth)
    assert err.max() <= grid.resolution / 2
    assert np.median(err) < 1e-3  # exact to float32 almost everywhere
    assert np.allclose(surface.distance_transform(pts, grid, exact=True), truth, atol=1e-6)


def test_distance_of_a_polygon_is_exact_within_half_a_cell(grid):
    poly = Polygon(
        [(X0 + 500, Y0 + 300), (X0 + 1300, Y0 + 450), (X0 + 1100, Y0 + 1200), (X0 + 650, Y0 + 900)]
    )
    d = surface.distance_transform(gpd.GeoSeries([poly], crs="EPSG:3844"), grid)
    truth = _exact_distance([poly], grid)
    assert np.abs(d - truth).max() <= grid.resolution / 2
    x, y = grid.xy()
    inside = np.asarray(
        [poly.contains(Point(a, b)) for a, b in zip(x.ravel(), y.ravel(), strict=True)]
    ).reshape(grid.shape)
    assert (d[inside] == 0).all() and (d[~inside] > 0).all()


def test_distance_of_a_line_and_a_reprojected_frame(grid):
    line = LineString([(X0 + 100, Y0 + 100), (X0 + 1900, Y0 + 1400)])
    frame = gpd.GeoDataFrame(geometry=[line], crs="EPSG:3844").to_crs("EPSG:4326")
    d = surface.distance_transform(frame, grid)
    # the round trip through degrees moves the line by far less than a millimetre
    assert np.abs(d - _exact_distance([line], grid)).max() <= 0.05 * grid.resolution


def test_distance_of_crossing_lines_and_coarse_polygons(grid):
    # The hard cases of a cell-based transform: several segments through one
    # cell, sharp corners, features close together.
    rng = np.random.default_rng(5)
    lines = [LineString(rng.uniform(0, 1, (6, 2)) * [2000, 1500] + [X0, Y0]) for _ in range(3)]
    polys = [
        Point(X0 + rng.uniform(0, 2000), Y0 + rng.uniform(0, 1500)).buffer(
            rng.uniform(10, 300), quad_segs=int(rng.integers(1, 4))
        )
        for _ in range(5)
    ]
    for feats in (lines, polys, lines + polys):
        d = surface.distance_transform(feats, grid)
        err = np.abs(d - _exact_distance(feats, grid))
        assert err.max() <= grid.resolution / 2
        assert np.quantile(err, 0.999) <= 0.1 * grid.resolution


def test_nearest_feature_gives_the_offset_to_the_nearest_point():
    g = Grid.from_bounds((0, 0, 100, 100), 10)
    nf = surface.nearest_feature([Point(55, 55)], g)
    x, y = g.xy()
    assert np.allclose(nf.dx, x - 55, atol=1e-4)
    assert np.allclose(nf.dy, y - 55, atol=1e-4)
    assert np.allclose(nf.distance, np.hypot(x - 55, y - 55), atol=1e-4)


def test_distance_refuses_no_features(grid):
    with pytest.raises(InputError, match="no"):
        surface.distance_transform([], grid)
    with pytest.raises(Exception, match="CRS"):
        surface.distance_transform(gpd.GeoSeries([Point(X0, Y0)]), grid)


# --------------------------------------------------------------------------- density
def quartic(r, h):
    return np.where(r < h, 3 / (math.pi * h * h) * (1 - (r / h) ** 2) ** 2, 0.0)


def test_kde_of_one_point_is_the_kernel_and_integrates_to_one():
    g = Grid.from_bounds((0, 0, 1000, 1000), 10)
    p = (505.0, 495.0)  # a cell centre
    dens = surface.kernel_density([Point(p)], g, bandwidth=100)
    x, y = g.xy()
    for r, c in [(50, 50), (50, 55), (45, 52), (40, 58), (50, 60), (50, 62)]:
        by_hand = quartic(math.hypot(x[r, c] - p[0], y[r, c] - p[1]), 100) * 1e6
        assert dens[r, c] == pytest.approx(by_hand, rel=1e-9, abs=1e-9)
    assert dens[50, 50] == pytest.approx(3 / (math.pi * 100**2) * 1e6)  # per km²
    assert dens.sum() * g.cell_area / 1e6 == pytest.approx(1.0, rel=0.01)


@pytest.mark.parametrize("kernel", ["quartic", "epanechnikov", "gaussian"])
def test_kde_integrates_to_the_point_count(kernel):
    g = Grid.from_bounds((0, 0, 3000, 3000), 10)
    rng = np.random.default_rng(3)
    xy = rng.uniform(800, 2200, size=(250, 2))
    dens = surface.kernel_density(xy, g, bandwidth=120, kernel=kernel)
    assert dens.sum() * g.cell_area / 1e6 == pytest.approx(250, rel=0.01)


@pytest.mark.parametrize("kernel", ["quartic", "epanechnikov", "gaussian"])
def test_fft_kde_equals_brute_force(kernel):
    g = Grid.from_bounds((0, 0, 400, 300), 10)
    rng = np.random.default_rng(11)
    # points at cell centres (what binning does), with repeats, some just outside the grid
    cx = rng.integers(-3, 43, 40) * 10 + 5.0
    cy = rng.integers(-3, 33, 40) * 10 + 5.0
    w = rng.uniform(0.5, 3, 40)
    h = 35.0
    dens = surface.kernel_density(np.c_[cx, cy], g, bandwidth=h, kernel=kernel, weights=w)
    x, y = g.xy()
    direct = np.zeros(g.shape)
    for px, py, wi in zip(cx, cy, w, strict=True):
        r = np.hypot(x - px, y - py)
        u2 = (r / h) ** 2
        if kernel == "quartic":
            k = np.where(u2 < 1, 3 / (math.pi * h * h) * (1 - u2) ** 2, 0)
        elif kernel == "epanechnikov":
            k = np.where(u2 < 1, 2 / (math.pi * h * h) * (1 - u2), 0)
        else:
            k = np.where(u2 <= 16, np.exp(-u2 / 2) / (2 * math.pi * h * h), 0)
        direct += wi * k * 1e6
    assert np.abs(dens - direct).max() <= 1e-9 * max(1.0, direct.max())


def test_kde_weights_by_column_and_bad_input():
    g = Grid.from_bounds((0, 0, 200, 200), 10)
    pts = gpd.GeoDataFrame({"w": [2.0, 3.0]}, geometry=[Point(55, 55), Point(155, 105)], crs=3844)
    dens = surface.kernel_density(pts, g, bandwidth=50, weights="w")
    assert dens.sum() * g.cell_area / 1e6 == pytest.approx(5.0, rel=0.02)
    with pytest.raises(InputError, match="kernel"):
        surface.kernel_density(pts, g, bandwidth=50, kernel="box")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="weights"):
        surface.kernel_density(pts, g, bandwidth=50, weights=[1.0])
    with pytest.raises(InputError, match="bandwidth"):
        surface.kernel_density(pts, g, bandwidth=0)


# --------------------------------------------------------------------------- zonal stats
@pytest.fixture(scope="module")
def worldcover_path(shared_data) -> Path:
    """The real ESA WorldCover 10 m subset (EPSG:4326, uint8 classes, nodata 0)."""
    return shared_data / WORLDCOVER


@pytest.fixture(scope="module")
def worldcover(worldcover_path):
    return surface.read_geotiff(worldcover_path)


def _zones_wgs84() -> gpd.GeoDataFrame:
    # Edges are kept off the cell lines: a polygon edge lying exactly on a cell
    # edge is touched or not depending on float rounding of the window origin,
    # which differs between rasterstats (per-polygon window) and a whole-raster pass.
    polys = [
        box(23.5200123, 46.7500321, 23.5500456, 46.7800789),
        Polygon([(23.56, 46.79), (23.60, 46.80), (23.58, 46.82), (23.555, 46.805)]),
        box(23.5401234, 46.7701234, 23.5703456, 46.7904567),  # overlaps the first
        box(23.6000321, 46.7200123, 23.6500456, 46.7500789),  # partly outside the raster
        box(23.5100001, 46.8000001, 23.5100501, 46.8000501),  # smaller than a cell
        Point(23.53, 46.76).buffer(0.004),
    ]
    return gpd.GeoDataFrame(
        {"name": list("abcdef")}, geometry=polys, crs="EPSG:4326", index=[10, 11, 12, 13, 14, 15]
    )


@pytest.mark.parametrize("all_touched", [False, True])
def test_zonal_stats_equal_rasterstats(worldcover, worldcover_path, all_touched):
    import rasterstats  # the oracle; a test extra, so it must be there

    arr, g, nodata = worldcover
    assert g.crs == "EPSG:4326" and nodata == 0
    zones = _zones_wgs84()
    ours = surface.zonal_stats(zones, arr, g, nodata=nodata, all_touched=all_touched)
    theirs = rasterstats.zonal_stats(
        zones,
        str(worldcover_path),
        stats=["count", "sum", "mean", "min", "max"],
        all_touched=all_touched,
    )
    assert list(ours.index) == list(zones.index)
    for (_, row), ref in zip(ours.iterrows(), theirs, strict=True):
        assert row["count"] == ref["count"]
        for key in ("sum", "mean", "min", "max"):
            if ref[key] is None:
                assert np.isnan(row[key])
            else:
                assert row[key] == pytest.approx(ref[key], rel=1e-12)
    assert (ours["count"] > 0).sum() >= 5


def test_zonal_fraction_above_by_hand(worldcover):
    arr, g, nodata = worldcover
    zones = _zones_wgs84()
    out = surface.zonal_stats(zones, arr, g, nodata=nodata, threshold=30, stats=["count"])
    for i, geom in enumerate(zones.geometry):
        mask = rasterio.features.geometry_mask(
            [geom], out_shape=g.shape, transform=g.transform, invert=True
        )
        vals = arr[mask & (arr != nodata)]
        expected = (vals > 30).mean() if vals.size else np.nan
        assert out["frac_above"].iloc[i] == pytest.approx(expected, nan_ok=True)


def test_zonal_stats_metric_zones_nan_and_masked():
    g = Grid.from_bounds((0, 0, 40, 40), 10)
    a = np.arange(16, dtype=float).reshape(4, 4)
    a[0, 0] = np.nan
    m = np.ma.masked_array(a, mask=np.zeros_like(a, bool))
    m.mask[3, 3] = True
    zones = gpd.GeoSeries(
        [box(0, 20, 20, 40), box(20, 0, 40, 20), box(100, 100, 110, 110)], crs=3844
    )
    out = surface.zonal_stats(zones, m, g)
    assert list(out["count"]) == [3, 3, 0]
    assert out["sum"].iloc[0] == 1 + 4 + 5
    assert out["max"].iloc[1] == 14 and out["min"].iloc[1] == 10
    assert np.isnan(out["mean"].iloc[2])
    with pytest.raises(InputError, match="shape"):
        surface.zonal_stats(zones, a[:2], g)


# --------------------------------------------------------------------------- GeoTIFF
def test_geotiff_round_trip_keeps_crs_transform_and_nodata(tmp_path, grid):
    a = np.random.default_rng(0).random(grid.shape).astype(np.float32)
    a[3, 4] = np.nan
    path = surface.write_geotiff(a, grid, tmp_path / "exposure.tif", nodata=-9999.0)
    back, g2, nodata = surface.read_geotiff(path)
    assert g2 == grid
    assert nodata == -9999.0
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 3844
        assert src.transform == grid.transform
    assert back[3, 4] == -9999.0
    ok = ~np.isnan(a)
    assert np.array_equal(back[ok], a[ok])
    # integer data, masked cells written as nodata
    m = np.ma.masked_array(np.arange(grid.shape[0] * grid.shape[1]).reshape(grid.shape) % 7)
    m = np.ma.masked_where(m == 3, m).astype(np.uint8)
    surface.write_geotiff(m, grid, tmp_path / "classes.tif", nodata=255)
    back, _, nodata = surface.read_geotiff(tmp_path / "classes.tif")
    assert nodata == 255 and (back[m.mask] == 255).all()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_failed_write_leaves_no_partial_file(tmp_path, grid, monkeypatch):
    target = tmp_path / "out.tif"
    target.write_bytes(b"old content")

    class Boom(RuntimeError):
        pass

    real_open = rasterio.open

    def failing_open(*args, **kwargs):
        ds = real_open(*args, **kwargs)

        def write(*a, **k):
            raise Boom("disk full")

        ds.write = write
        return ds

    monkeypatch.setattr(rasterio, "open", failing_open)
    with pytest.raises(Boom):
        surface.write_geotiff(np.zeros(grid.shape), grid, target)
    assert target.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tif"]


def test_killed_write_leaves_the_target_untouched(tmp_path):
    target = tmp_path / "out.tif"
    code = f"""
import os, signal, numpy as np, rasterio
from pata_gis import surface
g = surface.Grid.from_bounds((0, 0, 1000, 1000), 10)
real = rasterio.open
def killing_open(*a, **k):
    ds = real(*a, **k)
    def write(*x, **y):
        os.kill(os.getpid(), signal.SIGKILL)
    ds.write = write
    return ds
rasterio.open = killing_open
surface.write_geotiff(np.ones(g.shape), g, {str(target)!r})
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert proc.returncode == -9
    assert not target.exists()


def test_read_geotiff_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        surface.read_geotiff(tmp_path / "nope.tif")


# --------------------------------------------------------------------------- PNG overlay
def test_png_overlay_bounds_and_transparency(grid):
    pytest.importorskip("PIL")
    from PIL import Image

    a = np.linspace(0, 1, grid.shape[0] * grid.shape[1]).reshape(grid.shape)
    a[:10, :] = np.nan
    png, bounds = surface.to_png_overlay(a, grid, cmap="magma", vmin=0, vmax=1)
    img = Image.open(io.BytesIO(png))
    assert img.mode == "RGBA"
    (south, west), (north, east) = bounds
    # Stereo 70 is turned against the meridians, so the overlay is the lon/lat
    # box of all four corners, to within a pixel (10 m ~ 1.3e-4 degrees)
    from pata_gis.crs import metric_to_lonlat

    lon, lat = metric_to_lonlat(
        np.array([X0, X0, X0 + 2000, X0 + 2000]), np.array([Y0, Y0 + 1500, Y0, Y0 + 1500])
    )
    assert west == pytest.approx(lon.min(), abs=2e-4)
    assert east == pytest.approx(lon.max(), abs=2e-4)
    assert south == pytest.approx(lat.min(), abs=2e-4)
    assert north == pytest.approx(lat.max(), abs=2e-4)
    # a hot cell lands where it should: the pixel holding it in Web Mercator
    hot = np.zeros(grid.shape)
    hot[75:78, 100:103] = 1.0
    png, bounds = surface.to_png_overlay(hot, grid, vmin=0, vmax=1)
    red = np.asarray(Image.open(io.BytesIO(png)))[..., 0].astype(float)
    from pata_gis.crs import transformer

    to_merc = transformer("EPSG:4326", "EPSG:3857")
    (s2, w2), (n2, e2) = bounds
    mx0, my0 = to_merc.transform(w2, n2)
    mx1, my1 = to_merc.transform(e2, s2)
    hx, hy = metric_to_lonlat(np.array([X0 + 1015.0]), np.array([Y0 + 1500 - 765.0]))
    px, py = to_merc.transform(hx[0], hy[0])
    col = int((px - mx0) / (mx1 - mx0) * red.shape[1])
    row = int((my0 - py) / (my0 - my1) * red.shape[0])
    peak = np.unravel_index(np.argmax(red), red.shape)
    assert abs(peak[0] - row) <= 2 and abs(peak[1] - col) <= 2
    alpha = np.asarray(img)[..., 3]
    assert alpha[0].max() == 0  # the NaN rows at the top are transparent
    assert alpha[alpha.shape[0] // 2].max() == 255
