"""The pata-gis command, end to end on a temporary workspace."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest

from pata_gis.cli import main


@pytest.fixture(scope="module")
def ws_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "ws.gpkg"
    assert main(["init", str(path)]) == 0
    return path


@pytest.fixture
def ws(ws_path: Path, tmp_path: Path) -> Path:
    """A private copy of the module's workspace, so tests don't see each other's edits."""
    copy = tmp_path / "ws.gpkg"
    shutil.copy(ws_path, copy)
    return copy


def run(*argv: str) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "pata_gis.cli", *argv], capture_output=True, text=True, timeout=300
    )
    return proc.returncode, proc.stdout, proc.stderr


def layer_rows(out: str) -> dict[str, list[str]]:
    rows = {}
    for line in out.splitlines()[2:]:
        parts = line.split()
        if parts:
            rows[parts[0]] = parts
    return rows


def test_init_then_layers_lists_every_layer_with_counts(ws: Path) -> None:
    code, out, err = run("--workspace", str(ws), "layers", "--lang", "en")
    assert code == 0, err
    rows = layer_rows(out)
    from pata_gis.specs import load_catalogue

    cat = load_catalogue()
    assert set(rows) == set(cat)
    header = out.splitlines()[0].split()
    assert header[:4] == ["layer", "title", "features", "sensitivity"]
    # 4 settlements: the count column is the first integer after the title
    line = next(ln for ln in out.splitlines() if ln.startswith("settlements "))
    assert " 4 " in line and "public" in line
    for name in ("risk_marks", "incidents"):
        line = next(ln for ln in out.splitlines() if ln.startswith(name + " "))
        assert " 0 " in line and "confidential" in line


def test_init_refuses_to_overwrite(ws: Path) -> None:
    code, _, err = run("init", str(ws))
    assert code == 1
    assert err.startswith("error: ") and str(ws) in err and len(err.strip().splitlines()) == 1


def test_import_gtfs_stops_drops_constanta_with_warning(ws: Path, shared_data: Path) -> None:
    stops = shared_data / "cluj" / "gtfs_ctp_cluj" / "stops.txt"
    with stops.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # the stray Constanța block (PROVENANCE.md): stops 876-920, around 44.2 N 28.6 E
    constanta = [r for r in rows if float(r["stop_lat"]) < 45 and float(r["stop_lon"]) > 28]
    assert {r["stop_id"] for r in constanta} == {str(i) for i in range(876, 921)}
    outside = len(constanta)
    code, _, err = run("-w", str(ws), "import", str(stops), "--layer", "transit_stops")
    assert code == 0, err
    assert f"dropped {outside} of {len(rows)} stops" in err
    layer = gpd.read_file(ws, layer="transit_stops")
    assert len(layer) == len(rows) - outside
    assert "Cantonului" in set(layer["name"])


def test_validate_writes_nothing_and_reports(ws: Path, tmp_path: Path) -> None:
    before = ws.read_bytes()
    good = tmp_path / "schools.geojson"
    good.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [23.6, 46.77]},
                        "properties": {"name": "Şcoala Test", "level": "gymnasium"},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    code, out, err = run(
        "-w",
        str(ws),
        "validate",
        str(good),
        "--layer",
        "schools",
        "--source",
        "test",
        "--accuracy",
        "20",
    )
    assert code == 0, err
    assert "1 of 1 features kept" in out and "nothing was written" in out
    assert ws.read_bytes() == before


def test_import_refused_leaves_workspace_unchanged(ws: Path, tmp_path: Path) -> None:
    broken = tmp_path / "settlements.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [{"type": "Feat', encoding="utf-8")
    before = gpd.read_file(ws, layer="settlements")
    code, _, err = run("-w", str(ws), "import", str(broken), "--layer", "settlements")
    assert code == 1
    assert err.startswith("error: ") and "settlements.geojson" in err
    after = gpd.read_file(ws, layer="settlements")
    assert after.equals(before)


def test_export_history_restore(ws: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "settlements.geojson"
    assert main(["-w", str(ws), "export", "settlements", str(out_file)]) == 0
    exported = gpd.read_file(out_file)
    assert len(exported) == 4
    # edit: replace the layer with the first two settlements, then restore version 1
    two = tmp_path / "two.geojson"
    exported.iloc[:2].to_file(two, driver="GeoJSON")
    assert main(["-w", str(ws), "import", str(two), "--layer", "settlements"]) == 0
    assert len(gpd.read_file(ws, layer="settlements")) == 2
    code, out, err = run("-w", str(ws), "history", "settlements")
    assert code == 0, err
    versions = [ln.split()[0] for ln in out.splitlines()[2:] if ln.strip()]
    assert versions[:2] == ["1", "2"]
    assert main(["-w", str(ws), "restore", "settlements", "1"]) == 0
    assert len(gpd.read_file(ws, layer="settlements")) == 4


def test_export_of_confidential_layer_refused(ws: Path, tmp_path: Path) -> None:
    target = tmp_path / "incidents.geojson"
    code, _, err = run("-w", str(ws), "export", "incidents", str(target))
    assert code == 1 and "confidential" in err
    assert not target.exists()


def test_unknown_layer_and_missing_workspace(tmp_path: Path) -> None:
    code, _, err = run("-w", str(tmp_path / "nope.gpkg"), "layers")
    assert code == 1 and "nope.gpkg" in err
    code, _, _ = run("layers", "--bogus")
    assert code == 2


def test_pollution_writes_zone_bands_surface_and_table(ws: Path, tmp_path: Path) -> None:
    import csv as csvmod

    import pyogrio
    import rasterio
    import shapely

    out = tmp_path / "pollution"
    code, stdout, err = run("-w", str(ws), "pollution", "--out", str(out))
    assert code == 0, err
    layers = dict(pyogrio.list_layers(out / "pollution.gpkg"))
    assert set(layers) == {"legal_zone", "distance_bands", "settlements_exposure"}
    zone = gpd.read_file(out / "pollution.gpkg", layer="legal_zone").to_crs(3844)
    landfill = gpd.read_file(ws, layer="landfill").to_crs(3844)
    active = shapely.union_all(landfill.loc[landfill["status"] == "active"].geometry.values)
    # the zone is the 1,000 m buffer of the active cells: its boundary is 1,000 m away
    boundary_pts = shapely.get_coordinates(zone.geometry.iloc[0].exterior)[::50]
    d = [active.distance(shapely.Point(p)) for p in boundary_pts]
    assert min(d) > 999.0 and max(d) < 1001.0
    with rasterio.open(out / "exposure.tif") as src:
        assert src.crs.to_epsg() == 3844 and src.res == (10.0, 10.0)
        assert src.read(1).max() == 1.0  # inside the cells
    with (out / "settlements_exposure.csv").open(encoding="utf-8-sig") as fh:
        rows = {r["name"]: r for r in csvmod.DictReader(fh)}
    assert set(rows) == {"Cantonului", "Colectorului", "Dallas", "Rampa"}
    settlements = gpd.read_file(ws, layer="settlements").to_crs(3844).set_index("name")
    for name, row in rows.items():
        expected = settlements.geometry[name].distance(active)
        assert float(row["distance_m"]) == pytest.approx(expected, abs=1e-6)
        assert (row["inside_legal_zone"] == "True") == (expected < 1000)
    assert "Ordinul" in stdout  # the legal reference is printed with the zone
    # outputs are not replaced without --force
    code, _, err = run("-w", str(ws), "pollution", "--out", str(out))
    assert code == 1 and "--force" in err


def test_map_writes_one_offline_html_without_sensitive_layers(ws: Path, tmp_path: Path) -> None:
    from pata_gis.maps import external_references

    out = tmp_path / "map.html"
    code, stdout, err = run("-w", str(ws), "map", "--out", str(out), "--pollution", "--lang", "en")
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert external_references(html) == []
    assert "Sanitary protection zone" in html and "Communities (Pata R\\u00e2t)" in html
    assert "Incidents" not in html and "risk_marks" not in html
    assert "left out" in stdout


def test_network_access_and_site_ranking(ws: Path, tmp_path: Path, shared_data: Path) -> None:
    import pandas as pd

    from pata_gis.network import Network

    net_file = tmp_path / "net.npz"
    feed = shared_data / "cluj" / "gtfs_ctp_cluj" / "cluj-napoca.gtfs.zip"
    code, out, err = run(
        "-w",
        str(ws),
        "network",
        "build",
        "--out",
        str(net_file),
        "--gtfs",
        str(feed),
        "--snap",
        "15",
    )
    assert code == 0, err
    assert "GTFS route shapes" in out and "workspace roads" in out
    net = Network.load(net_file)
    assert net.n_nodes > 5000
    # access (its distances are checked against networkx in test_access.py)
    acc = tmp_path / "access.csv"
    code, _, err = run(
        "-w", str(ws), "access", "--network", str(net_file), "--out", str(acc),
        "--categories", "schools", "transit_stops",
    )  # fmt: skip
    assert code == 0, err
    table = pd.read_csv(acc, encoding="utf-8-sig")
    assert set(table["origin"]) == {"Cantonului", "Colectorului", "Dallas", "Rampa"}
    assert set(table["category"]) == {"schools", "transit_stops"}
    row = table[(table["origin"] == "Cantonului") & (table["category"] == "transit_stops")].iloc[0]
    assert row["distance_m"] >= row["straight_m"] - 1e-6  # a road is never shorter than a line
    # sites: the counter-example inside the sanitary zone is excluded, the rest ranked
    ranking = tmp_path / "ranking.csv"
    code, out, err = run(
        "-w", str(ws), "sites", "rank", "--network", str(net_file), "--out", str(ranking)
    )
    assert code == 0, err
    r = pd.read_csv(ranking, encoding="utf-8-sig", index_col=0)
    excluded = r[r["status"] == "excluded"]
    assert len(excluded) == 1 and "legal_zone" in excluded["reason"].iloc[0]
    ranked = r[r["status"] == "ranked"].sort_values("rank")
    assert list(ranked["rank"]) == list(range(1, len(ranked) + 1))
    assert ranked["score"].is_monotonic_decreasing
    assert (ranked["dist_landfill_m"] > 1000).all()


def test_isochrones_grow_with_time_and_hold_their_place(ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "iso.geojson"
    code, stdout, err = run("-w", str(ws), "isochrones", "--minutes", "5", "15", "--out", str(out))
    assert code == 0, err
    iso = gpd.read_file(out).to_crs(3844)
    assert len(iso) == 8 and set(iso["minutes"]) == {5.0, 15.0}
    settlements = gpd.read_file(ws, layer="settlements").to_crs(3844).set_index("name")
    for name, group in iso.groupby("point"):
        small = group.loc[group["minutes"] == 5.0].geometry.iloc[0]
        large = group.loc[group["minutes"] == 15.0].geometry.iloc[0]
        assert large.area > small.area
        assert large.buffer(1).contains(small)
        # the place itself is inside its own 5-minute area (it is snapped onto a road nearby)
        rep = settlements.geometry[name].representative_point()
        assert small.distance(rep) < 200
    assert "8 areas" in stdout
