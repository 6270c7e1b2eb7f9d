"""Offline maps: no CDN left, layers styled and titled, sensitivity enforced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import folium.plugins
import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, Polygon

from pata_gis import maps
from pata_gis._errors import SensitivityError
from pata_gis.i18n import t
from pata_gis.specs import LayerSpec, load_catalogue

# Resource loads a browser would make from another host.
EXTERNAL_LOAD = re.compile(
    r"<script[^>]*\bsrc\s*=\s*[\"']?(https?:)?//"
    r"|<link[^>]*\bhref\s*=\s*[\"']?(https?:)?//"
    r"|url\(\s*[\"']?(https?:)?//"
    r"|@import\s+[\"']?(url\()?[\"']?(https?:)?//",
    re.IGNORECASE,
)


def _text(html: str) -> str:
    """`html` with JSON \\uXXXX escapes decoded (folium writes titles as JSON)."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), html)


SAMPLE = {"str": "x", "int": 1, "float": 1.5, "bool": True, "date": "2024-05-01"}


def _frame(spec: LayerSpec, n: int = 3) -> gpd.GeoDataFrame:
    """`n` features of `spec` around Pata Rât with every field filled."""
    geoms = []
    for i in range(n):
        x, y = 23.68 + 0.004 * i, 46.772 + 0.002 * i
        if spec.geometry == "point":
            geoms.append(Point(x, y))
        elif spec.geometry == "line":
            geoms.append(LineString([(x, y), (x + 0.003, y + 0.001)]))
        else:
            geoms.append(Polygon([(x, y), (x + 0.002, y), (x + 0.002, y + 0.0015), (x, y)]))
    data: dict[str, list[object]] = {}
    for f in spec.fields:
        value = f.choices[0] if f.choices else SAMPLE[f.type]
        if f.type in ("int", "float") and f.min is not None:
            value = int(f.min) if f.type == "int" else float(f.min)
        data[f.name] = [value] * n
    data["source"] = ["OpenStreetMap"] * n
    data["accuracy_m"] = [12.0] * n
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:4326")


@pytest.fixture(scope="module")
def catalogue() -> dict[str, LayerSpec]:
    return load_catalogue()


@pytest.fixture(scope="module")
def public(catalogue: dict[str, LayerSpec]) -> tuple[dict[str, gpd.GeoDataFrame], dict]:
    names = maps.allowed_layers(catalogue, "public")
    return {n: _frame(catalogue[n]) for n in names}, {n: catalogue[n] for n in names}


@pytest.fixture(scope="module")
def public_html(public: tuple[dict, dict]) -> str:
    layers, specs = public
    return maps.offline(maps.layer_map(layers, specs, lang="en"))


def test_catalogue_has_public_and_confidential_layers(catalogue: dict[str, LayerSpec]) -> None:
    public = maps.allowed_layers(catalogue, "public")
    assert "schools" in public
    assert "incidents" not in public and "risk_marks" not in public
    assert set(maps.allowed_layers(catalogue, "confidential")) == set(catalogue)


def test_offline_inline_has_no_external_resource(public_html: str) -> None:
    assert EXTERNAL_LOAD.search(public_html) is None
    assert "cdn.jsdelivr" not in public_html and "cdnjs" not in public_html
    assert "code.jquery.com" not in public_html and "bootstrapcdn" not in public_html


def test_offline_inline_contains_leaflet_and_fonts(public_html: str) -> None:
    assert "leafletjs.com" in public_html  # Leaflet's own banner
    assert "L.map(" in public_html
    assert "data:font/woff2;base64," in public_html  # Font Awesome inlined
    assert "sourceMappingURL" not in public_html


def test_offline_plain_folium_map_every_default_asset() -> None:
    """A stock folium map (every default CDN link) becomes self-contained."""
    m = folium.Map(location=[46.77, 23.68], tiles=None)
    folium.Marker([46.77, 23.68], icon=folium.Icon(icon="info-sign", angle=30)).add_to(m)
    folium.plugins.Draw().add_to(m)
    folium.plugins.Fullscreen().add_to(m)
    html = maps.offline(m)
    assert EXTERNAL_LOAD.search(html) is None
    assert "L.Control.Draw" in html and "fa-rotate-30" in html


def test_offline_url_mode_points_at_base(public: tuple[dict, dict]) -> None:
    layers, specs = public
    html = maps.offline(maps.layer_map(layers, specs), mode="url", base_url="/assets/v/")
    srcs = re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html)
    hrefs = re.findall(r"<link[^>]*\bhref=\"([^\"]+)\"", html)
    assert srcs and hrefs
    assert all(u.startswith("/assets/v/") for u in srcs + hrefs)
    for url in srcs + hrefs:
        assert (maps.VENDOR_DIR / url.removeprefix("/assets/v/")).is_file()
    assert "/assets/v/leaflet@1.9.3/leaflet.js" in srcs


def test_offline_refuses_unvendored_asset() -> None:
    m = folium.Map(tiles=None)
    m.get_root().header.add_child(folium.JavascriptLink("https://example.org/x.js"))
    with pytest.raises(maps.OfflineAssetError, match=r"example\.org"):
        maps.offline(m)


def test_online_tiles_are_the_only_external_reference() -> None:
    m = folium.Map(location=[46.77, 23.68], tiles="OpenStreetMap")
    html = maps.offline(m)
    assert "tile.openstreetmap.org" in html
    assert EXTERNAL_LOAD.search(html) is None


def test_vendored_files_match_manifest() -> None:
    manifest = json.loads((maps.VENDOR_DIR / "MANIFEST.json").read_text("utf-8"))
    import hashlib

    for package in manifest["packages"]:
        assert package["license_files"], package["package"]
        for lic in package["license_files"]:
            assert (maps.VENDOR_DIR / lic).is_file()
        for f in package["files"]:
            data = (maps.VENDOR_DIR / f["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == f["sha256"], f["path"]
            assert not f["path"].endswith(".map")


def test_use_vendored_assets_rewrites_element_lists(public: tuple[dict, dict]) -> None:
    layers, specs = public
    m = maps.layer_map(layers, specs)
    maps.use_vendored_assets(m, "../vendor/")
    urls = [u for _, u in m.default_js + m.default_css]
    assert urls and all(u.startswith("../vendor/") for u in urls)
    assert all((maps.VENDOR_DIR / u.removeprefix("../vendor/")).is_file() for u in urls)
    maps.use_vendored_assets(m, "../vendor/")  # twice is harmless
    assert [u for _, u in m.default_js + m.default_css] == urls


def test_confidential_layer_refused_for_public(catalogue: dict[str, LayerSpec]) -> None:
    layers = {"incidents": _frame(catalogue["incidents"])}
    with pytest.raises(SensitivityError, match="incidents"):
        maps.layer_map(layers, catalogue, role="public")
    with pytest.raises(PermissionError):  # SensitivityError is a PermissionError
        maps.layer_map(layers, catalogue)
    m = maps.layer_map(layers, catalogue, role="confidential")
    assert isinstance(m, folium.Map)


def test_legend_titles_follow_language(public: tuple[dict, dict]) -> None:
    layers, specs = public
    html = {
        lang: _text(maps.offline(maps.layer_map(layers, specs, lang=lang))) for lang in ("ro", "en")
    }
    school = specs["schools"]
    assert school.title["ro"] in html["ro"] and school.title["en"] in html["en"]
    assert t("legend.title", "ro") in html["ro"] and t("legend.title", "en") in html["en"]
    assert "Legendă" in html["ro"] and "Legendă" not in html["en"]
    # field titles of the popups too
    assert '"Nume"' in html["ro"] and '"Name"' in html["en"]
    assert "Precizie (m)" in html["ro"] and "Accuracy (m)" in html["en"]


def test_one_feature_group_per_layer(public: tuple[dict, dict]) -> None:
    layers, specs = public
    m = maps.layer_map(layers, specs, lang="en")
    groups = [c for c in m._children.values() if isinstance(c, folium.FeatureGroup)]
    names = [g.layer_name for g in groups]
    assert sorted(names) == sorted(specs[n].label("en") for n in layers)
    # areas below lines below points
    order = {specs[n].label("en"): specs[n].geometry for n in layers}
    families = [order[n] for n in names]
    assert families == sorted(families, key=["polygon", "line", "point"].index)


def test_attribution_credits_osm_and_ctp(public: tuple[dict, dict], public_html: str) -> None:
    public_html = _text(public_html)
    assert "OpenStreetMap" in public_html and "contributors" in public_html
    assert "© CTP Cluj-Napoca" in public_html
    layers, specs = public
    only = {"transit_stops": layers["transit_stops"].assign(source="GTFS")}
    html = _text(maps.offline(maps.layer_map(only, {"transit_stops": specs["transit_stops"]})))
    assert "© CTP Cluj-Napoca" in html


def test_hidden_layers_noted_in_legend(public: tuple[dict, dict]) -> None:
    layers, specs = public
    html = _text(maps.offline(maps.layer_map(layers, specs, lang="en", hidden=2)))
    assert t("legend.hidden", "en", n=2) in html


def test_map_is_fitted_to_layers(public: tuple[dict, dict]) -> None:
    layers, specs = public
    html = maps.offline(maps.layer_map(layers, specs))
    match = re.search(
        r"latLngBounds\(\s*\[\[([\d.]+),\s*([\d.]+)\],\s*\[([\d.]+),\s*([\d.]+)\]\]", html
    )
    assert match is not None
    s, w, n, e = map(float, match.groups())
    assert 46.7 < s < n < 46.9 and 23.5 < w < e < 23.8


def test_empty_layers_still_make_a_map(catalogue: dict[str, LayerSpec]) -> None:
    empty = _frame(catalogue["schools"]).iloc[0:0]
    html = maps.offline(maps.layer_map({"schools": empty}, catalogue, lang="en"))
    assert "Schools (0)" in html


def test_save_html_is_atomic_and_self_contained(public: tuple[dict, dict], tmp_path: Path) -> None:
    layers, specs = public
    out = maps.save_html(maps.layer_map(layers, specs), tmp_path / "sub" / "map.html")
    text = out.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>") and EXTERNAL_LOAD.search(text) is None
    assert [p.name for p in out.parent.iterdir()] == ["map.html"]


def test_popup_shows_source_and_accuracy(public: tuple[dict, dict]) -> None:
    layers, specs = public
    m = maps.layer_map({"schools": layers["schools"]}, {"schools": specs["schools"]}, lang="en")
    html = maps.offline(m)
    assert '"source"' in html and '"accuracy_m"' in html
    assert '"Source"' in html and '"Accuracy (m)"' in html


def test_every_string_has_romanian_and_english() -> None:
    from pata_gis.i18n import LANGUAGES, STRINGS

    assert next(iter(LANGUAGES)) == "ro"
    missing = [k for k, v in STRINGS.items() if not v.get("ro") or not v.get("en")]
    assert missing == []


def test_translation_falls_back_to_romanian_then_key() -> None:
    from pata_gis.i18n import STRINGS

    assert t("legend.title", "en") == "Legend"
    assert t("legend.title", "xx") == "Legendă"
    assert t("no.such.key", "en") == "no.such.key"
    STRINGS["_test.only_ro"] = {"ro": "doar română"}
    try:
        assert t("_test.only_ro", "en") == "doar română"
    finally:
        del STRINGS["_test.only_ro"]
    assert t("legend.hidden", "en", n=3) == "3 layers hidden (sensitive data)"


def test_urls_quoted_in_the_data_are_text_not_loads(catalogue: dict[str, LayerSpec]) -> None:
    """A feature's source may cite a web page; user text is never markup."""
    frame = _frame(catalogue["schools"])
    frame["source"] = "https://example.org/article?id=3; http://news.example/x"
    frame["name"] = '<img src="https://tracker.example/p.png"> Școala'
    html = maps.offline(maps.layer_map({"schools": frame}, catalogue, lang="ro"))
    assert "https://example.org/article?id=3" in html
    assert EXTERNAL_LOAD.search(html) is None
    assert '<img src="https://tracker.example' not in html
    assert "&lt;img src=" in _text(html)


def test_an_overlay_loading_an_external_image_is_refused() -> None:
    m = folium.Map(location=[46.77, 23.68], tiles=None)
    folium.Marker([46.77, 23.68], popup='<img src="https://example.org/photo.jpg">').add_to(m)
    with pytest.raises(maps.OfflineAssetError, match=r"example\.org/photo"):
        maps.offline(m)
    assert maps.external_references('<a href="https://osm.org/copyright">OSM</a>') == []
    assert maps.external_references("L.tileLayer(\n 'https://t/{z}/{x}/{y}.png', {})") == [
        "https://t/{z}/{x}/{y}.png"
    ]


# --------------------------------------------------------------------------------------
# Landfill overlays and the clicked-place table
# --------------------------------------------------------------------------------------

# One active 100 m square cell near Pata Rât (EPSG:3844) and a closed one 5 km west.
CELL = (400_000.0, 580_000.0, 400_100.0, 580_100.0)


@pytest.fixture(scope="module")
def landfill() -> gpd.GeoDataFrame:
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {"name": ["Cell A", "Old dump"], "status": ["active", "closed"]},
        geometry=[box(*CELL), box(395_000, 580_000, 395_300, 580_300)],
        crs="EPSG:3844",
    )


@pytest.fixture(scope="module")
def overlay_data(landfill: gpd.GeoDataFrame) -> maps.PollutionLayers:
    return maps.pollution_layers(landfill)


def test_legal_zone_is_the_active_cell_buffered(overlay_data: maps.PollutionLayers) -> None:
    import math

    from pata_gis import settings

    zone = overlay_data.zone.to_crs(3844)
    # square 100 m + four 100 x 1000 m strips + a full circle of 1000 m at the corners
    expected = 100 * 100 + 4 * 100 * 1000 + math.pi * 1000**2
    assert zone.area.iloc[0] == pytest.approx(expected, rel=1e-3)
    assert overlay_data.distance_m == settings.landfill_protection_m == 1000
    # the closed dump 5 km west is not a source
    assert zone.geometry.iloc[0].bounds[0] == pytest.approx(CELL[0] - 1000, abs=0.5)
    codes = list(overlay_data.bands["band"])
    assert codes == ["0–250", "250–500", "500–1000", "> 1000"]


def test_overlays_are_toggleable_layers_with_the_legal_reference(
    public: tuple[dict, dict], landfill: gpd.GeoDataFrame, overlay_data: maps.PollutionLayers
) -> None:
    from pata_gis import settings

    layers, specs = public
    for lang, d in (("ro", "1.000"), ("en", "1,000")):
        overlays = maps.pollution_overlays(overlay_data, lang=lang)
        assert [g.pata_key for g in overlays] == ["exposure", "bands", "zone"]
        assert [g.show for g in overlays] == [False, True, True]
        m = maps.layer_map(layers, specs, lang=lang, extra_overlays=overlays)
        html = _text(maps.offline(m))
        control = re.search(r"overlays\s*:\s*\{(?P<o>.*?)\},", html, re.S)
        assert control is not None
        for name in (
            t("pollution.zone", lang, distance=d),
            t("pollution.bands", lang),
            t("pollution.exposure", lang),
        ):
            assert json.dumps(name, ensure_ascii=False) in control.group("o")
        assert settings.landfill_protection_reference in html  # tooltip and legend
        assert t("pollution.reference", lang) in html
        last = {"ro": "peste 1000 m", "en": "over 1000 m"}[lang]
        for code in ("0–250 m", "250–500 m", "500–1000 m", last):
            assert t("pollution.band_tip", lang, band=code) in html


def test_exposure_image_is_inline_and_placed(overlay_data: maps.PollutionLayers) -> None:
    import base64
    import io

    import matplotlib.image

    from pata_gis import crs

    m = maps.layer_map({}, {}, extra_overlays=maps.pollution_overlays(overlay_data))
    html = maps.offline(m)
    assert EXTERNAL_LOAD.search(html) is None and maps.external_references(html) == []
    uri = re.search(r"L\.imageOverlay\(\s*\"(data:image/png;base64,[^\"]+)\"", html)
    assert uri is not None
    bounds = re.search(r"L\.imageOverlay\(\s*\"[^\"]+\",\s*(\[\[.*?\]\])", html, re.S)
    assert bounds is not None
    (s, w), (n, e) = json.loads(bounds.group(1))
    # the cell plus the 2,500 m margin, in degrees
    box = (CELL[0] - 2500, CELL[1] - 2500, CELL[2] + 2500, CELL[3] + 2500)
    expected = crs.transformer("EPSG:3844", "EPSG:4326").transform_bounds(*box, densify_pts=21)
    assert (w, s, e, n) == pytest.approx(expected, abs=3e-4)  # about 20 m, one overlay cell
    png = base64.b64decode(uri.group(1).split(",", 1)[1])
    rgba = matplotlib.image.imread(io.BytesIO(png), format="png")
    h, wd = rgba.shape[:2]
    # centre (on the cell): exposure 1, darkest colour at the overlay opacity
    centre = rgba[h // 2, wd // 2]
    assert centre[3] == pytest.approx(maps.EXPOSURE_OVERLAY_OPACITY, abs=0.01)
    assert centre[0] < 0.6 and centre[1] < 0.1  # dark red
    # corners are ~3.5 km away: below the cut-off, transparent
    assert rgba[0, 0, 3] == 0 and rgba[-1, -1, 3] == 0


def test_pollution_overlays_refuse_a_landfill_without_active_cell(
    landfill: gpd.GeoDataFrame,
) -> None:
    from pata_gis._errors import InputError

    closed = landfill.assign(status="closed")
    with pytest.raises(InputError, match="no active landfill cell"):
        maps.pollution_overlays(closed, lang="en")


def _place_layers() -> dict[str, gpd.GeoDataFrame]:
    def pts(names: list[str], xy: list[tuple[float, float]], **cols: list[str]) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(
            {"name": names, **cols}, geometry=[Point(x, y) for x, y in xy], crs="EPSG:3844"
        )

    return {
        # 400 m north and 1,000 m east of the place (400 700, 580 050)
        "schools": pts(["North school", "East school"], [(400_700, 580_450), (401_700, 580_050)]),
        "health": pts(
            ["Pharmacy near", "Dr. Far"],
            [(400_760, 580_130), (400_700, 579_750)],
            kind=["pharmacy", "family_doctor"],
        ),
        "kindergartens": pts([], []),
    }


def test_place_distances_by_hand(landfill: gpd.GeoDataFrame) -> None:
    import math

    layers = {"landfill": landfill, **_place_layers()}
    d = maps.place_distances((400_700, 580_050), layers, point_crs="EPSG:3844")
    assert d.index[0] == "landfill"
    lf = d.loc["landfill"]
    # 600 m east of the square cell: band 500–1000, exp(-600/500), inside the 1,000 m zone
    assert lf["name"] == "Cell A"
    assert lf["straight_m"] == pytest.approx(600.0)
    assert lf["band"] == "500–1000"
    assert lf["exposure"] == pytest.approx(math.exp(-600 / 500), rel=1e-6)
    assert bool(lf["inside_legal_zone"]) is True
    assert d.loc["school", "name"] == "North school"
    assert d.loc["school", "straight_m"] == pytest.approx(400.0)
    # the kind filter: the pharmacy is closer (100 m) but is no family doctor
    assert d.loc["family_doctor", ["name", "straight_m"]].tolist() == ["Dr. Far", 300.0]
    assert d.loc["pharmacy", "straight_m"] == pytest.approx(100.0)
    # empty or missing layers: no name, no distance
    assert pd.isna(d.loc["kindergarten", "name"]) and math.isnan(
        d.loc["kindergarten", "straight_m"]
    )
    assert pd.isna(d.loc["police", "name"])
    assert d["network_m"].isna().all() and d.attrs["network"] is False
    assert d.attrs["legal_distance_m"] == 1000.0

    table = maps.place_table(d, lang="ro")
    assert list(table.columns) == [
        t("place.col_what", "ro"),
        t("place.col_nearest", "ro"),
        t("place.col_straight", "ro"),
        t("place.col_note", "ro"),
    ]
    first = table.iloc[0]
    assert first[t("place.col_what", "ro")] == "Depozit de deșeuri (celulă activă)"
    assert first[t("place.col_straight", "ro")] == 600
    assert "banda 500–1000 m" in first[t("place.col_note", "ro")]
    assert "0,30" in first[t("place.col_note", "ro")]
    assert "ÎN zona de protecție sanitară (1.000 m)" in first[t("place.col_note", "ro")]
    kg = table.set_index(t("place.col_what", "ro")).loc["Grădiniță"]
    assert kg[t("place.col_nearest", "ro")] == t("place.none", "ro")
    en = maps.place_table(d, lang="en")
    assert "INSIDE the sanitary protection zone (1,000 m)" in en.iloc[0]["Notes"]


def test_place_outside_the_zone_and_no_active_cell(landfill: gpd.GeoDataFrame) -> None:
    d = maps.place_distances((401_300, 580_100), {"landfill": landfill}, point_crs="EPSG:3844")
    assert d.loc["landfill", "straight_m"] == pytest.approx(1200.0)
    assert d.loc["landfill", "band"] == "> 1000"
    assert bool(d.loc["landfill", "inside_legal_zone"]) is False
    note = maps.place_table(d, lang="en").iloc[0]["Notes"]
    assert "band over 1000 m" in note and "outside the sanitary protection zone" in note
    closed = maps.place_distances(
        (401_300, 580_100), {"landfill": landfill.assign(status="closed")}, point_crs="EPSG:3844"
    )
    assert "no active landfill cell" in closed.attrs["landfill_error"]
    row = maps.place_table(closed, lang="en").iloc[0]
    assert row["Nearest"] == t("place.no_landfill", "en") and row["Notes"] == ""


def test_place_distances_by_road(landfill: gpd.GeoDataFrame) -> None:
    from pata_gis.network import Network

    road = gpd.GeoDataFrame(
        {"kind": ["residential"]},
        geometry=[LineString([(400_100, 580_050), (402_000, 580_050)])],
        crs="EPSG:3844",
    )
    net = Network.from_lines(road)
    police = gpd.GeoDataFrame(
        {"name": ["Station"], "kind": ["police"]},
        geometry=[Point(402_000, 580_250)],  # 200 m off the end of the road
        crs="EPSG:3844",
    )
    layers = {
        "landfill": landfill,
        "schools": _place_layers()["schools"].iloc[[1]],
        "emergency_services": police,
    }
    d = maps.place_distances((400_700, 580_050), layers, point_crs="EPSG:3844", network=net)
    # the east school is on the road, 1,000 m away: 1000 / (4.5 km/h) = 13.3 min
    assert d.loc["school", "network_name"] == "East school"
    assert d.loc["school", "network_m"] == pytest.approx(1000.0, abs=0.01)
    assert d.loc["school", "walk_min"] == pytest.approx(1000 / 4500 * 60, rel=1e-4)
    assert d.loc["school", "snap_m"] == pytest.approx(0.0, abs=1e-6)
    # the police car: 200 m walked from the station to the road end, then 1,300 m
    # driven on a residential street at 25 km/h
    assert d.loc["police", "drive_name"] == "Station"
    expected = 200 / 4500 * 60 + 1300 / 25_000 * 60
    assert d.loc["police", "drive_min"] == pytest.approx(expected, rel=1e-4)
    assert d.loc["police", "drive_off_road_m"] == pytest.approx(200.0, abs=1e-6)
    assert pd.isna(d.loc["school", "drive_min"])  # pupils walk
    table = maps.place_table(d, lang="en").set_index("What")
    assert table.loc["School", "By road (m)"] == 1000
    assert table.loc["School", "Walking (min)"] == pytest.approx(13.3)
    assert table.loc["Police", "Crew by car (min)"] == pytest.approx(round(expected, 1))
    assert table.loc["School", "Notes"] == ""  # on the road: no off-road note
    ro = maps.place_table(d, lang="ro", text=True).set_index("Ce")
    assert ro.loc["Școală", ["Pe drum (m)", "Pe jos (min)"]].tolist() == ["1.000", "13,3"]
    assert ro.loc["Grădiniță", "În linie dreaptă (m)"] == "—"  # no kindergarten layer


def test_i18n_register_checks_languages_and_conflicts() -> None:
    from pata_gis import i18n

    i18n.register({"test.only_key": {"ro": "da", "en": "yes"}})
    assert i18n.t("test.only_key", "en") == "yes"
    i18n.register({"test.only_key": {"ro": "da", "en": "yes"}})  # same text again: fine
    with pytest.raises(ValueError, match="no text in en"):
        i18n.register({"test.bad": {"ro": "doar română"}})
    with pytest.raises(ValueError, match="already registered"):
        i18n.register({"test.only_key": {"ro": "nu", "en": "no"}})


# --------------------------------------------------------------------------- basemap
def _geojson_blocks(html: str) -> list[dict[str, object]]:
    """The options of every L.geoJson(...) call in `html` (folium writes them as JSON)."""
    blocks = []
    for m in re.finditer(r"L\.geoJson\(null, \{.*?\.\.\.(\{.*?\})\s*\}\);", html, re.DOTALL):
        blocks.append(json.loads(re.sub(r",\s*\}", "}", m.group(1))))
    return blocks


def test_local_basemap_roads_settlements_boundary() -> None:
    cat = load_catalogue()
    roads = gpd.GeoDataFrame(
        {"kind": ["primary", "footway", None]},
        geometry=[
            LineString([(23.68, 46.77), (23.69, 46.77)]),
            LineString([(23.68, 46.771), (23.69, 46.771)]),
            LineString([(23.68, 46.772), (23.69, 46.772)]),
        ],
        crs="EPSG:4326",
    )
    settlements = _frame(cat["settlements"], 2)
    boundary = gpd.GeoSeries(
        [Polygon([(23.5, 46.7), (23.8, 46.7), (23.8, 46.85), (23.5, 46.85)])], crs="EPSG:4326"
    ).to_crs("EPSG:3844")  # any CRS: drawn in EPSG:4326
    group = maps.local_basemap(
        {"roads": roads, "settlements": settlements}, boundary=boundary, lang="en"
    )
    m = folium.Map(tiles=None)
    group.add_to(m)
    html = m.get_root().render()
    blocks = _geojson_blocks(html)
    # boundary, settlements, then 3 road classes (main, unknown kind, footpaths) x casing + fill
    assert len(blocks) == 1 + 1 + 3 * 2
    assert all(b == {"interactive": False, "pane": "pata_basemap"} for b in blocks)
    assert 'createPane("pata_basemap")' in html and "zIndex = 250" in html
    # casing 2 px wider than the white fill: primary 5 + 2, footway 1.5 + 2
    assert '"weight": 7.0' in html and '"weight": 3.5' in html
    assert maps.BASEMAP_BOUNDARY in html and '"dashArray": "8 5"' in html
    # not in the layer control, no network needed
    assert group.control is False
    assert "pata_basemap" in maps.offline(m)  # raises if anything external is needed


def test_layer_map_with_basemap_is_offline_and_paper_under_tiles() -> None:
    cat = load_catalogue()
    schools = _frame(cat["schools"], 2)
    roads = _frame(cat["roads"], 2)
    base = maps.local_basemap({"roads": roads})
    m = maps.layer_map({"schools": schools}, {"schools": cat["schools"]}, extra_overlays=[base])
    page = maps.offline(m)  # raises if anything external is left
    assert "L.tileLayer" not in page
    assert maps.BACKGROUND in page
    # with online tiles: the OSM credit on the tiles, and the paper stays under them
    from pata_gis.basemap import OSM_TILE_URL

    online = maps.layer_map(
        {"schools": schools}, {"schools": cat["schools"]}, tiles=OSM_TILE_URL
    ).get_root()
    html = _text(online.render())
    assert OSM_TILE_URL in html
    assert "OpenStreetMap</a> contributors" in html
    assert maps.BACKGROUND in html
    # offline() lets the tile template stay (tiles show when online) and nothing else
    assert OSM_TILE_URL in maps.offline(online)


def test_osm_tile_layer_credits_osm() -> None:
    layer = maps.osm_tile_layer()
    assert layer.tiles == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    m = folium.Map(tiles=None)
    layer.add_to(m)
    html = _text(m.get_root().render())
    assert '© <a href=\\"https://www.openstreetmap.org/copyright\\">OpenStreetMap</a>' in html
    # offline() allows the tile template and nothing else
    assert maps.offline(m).count("tile.openstreetmap.org") >= 1


def test_tile_host() -> None:
    from pata_gis import basemap

    assert basemap.tile_host() == ("tile.openstreetmap.org", 443)
    assert basemap.tile_host("http://{s}.tiles.local:8080/{z}/{x}/{y}.png") == (
        "a.tiles.local",
        8080,
    )
    with pytest.raises(ValueError, match="no host"):
        basemap.tile_host("/tiles/{z}/{x}/{y}.png")


def test_tile_server_check_local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A listening local port answers, a closed one does not; no outside host is tried."""
    import socket
    import time

    from pata_gis import basemap

    monkeypatch.delenv(basemap.OFFLINE_ENV, raising=False)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        assert basemap.tile_server_answers(f"http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png")
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    t0 = time.perf_counter()
    assert not basemap.tile_server_answers(
        f"http://127.0.0.1:{closed}/{{z}}/{{x}}/{{y}}.png", timeout_s=0.5
    )
    assert time.perf_counter() - t0 < 1.0

    # offline switch: no connection is even attempted
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("tried the network although PATA_GIS_OFFLINE=1")

    monkeypatch.setenv(basemap.OFFLINE_ENV, "1")
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert basemap.tile_server_answers() is False


@pytest.mark.browser
def test_local_basemap_draws_in_chromium_offline(tmp_path: Path) -> None:
    """The offline page with the local basemap draws roads and settlements with every
    non-file request refused; screenshot in test-artifacts/basemap_offline.png."""
    from urllib.parse import urlparse

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("/usr/bin/chromium is missing")
    sync_api = pytest.importorskip("playwright.sync_api")
    cat = load_catalogue()
    bundled = {n: cat[n].bundled for n in ("roads", "settlements", "schools")}
    if not all(p is not None and p.is_file() for p in bundled.values()):
        pytest.skip("the bundled starter layers are missing")
    layers = {n: gpd.read_file(p) for n, p in bundled.items()}
    m = maps.layer_map(
        {"schools": layers["schools"]},
        {"schools": cat["schools"]},
        lang="ro",
        extra_overlays=[maps.local_basemap(layers)],
    )
    page_path = maps.save_html(m, tmp_path / "basemap.html")
    refused: list[str] = []

    def route(r) -> None:  # type: ignore[no-untyped-def]
        if urlparse(r.request.url).scheme in ("file", "data", "about", "blob"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(chromium), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.route("**/*", route)
            page.goto(page_path.as_uri())
            page.locator(".leaflet-pata_basemap-pane path").first.wait_for(timeout=15_000)
            # casing + fill per road class, settlements: every path in the basemap pane
            n_paths = page.locator(".leaflet-pata_basemap-pane path").count()
            assert n_paths >= 2 * 3 + 1
            artifacts = Path(__file__).resolve().parents[1] / "test-artifacts"
            artifacts.mkdir(exist_ok=True)
            page.wait_for_timeout(300)
            page.screenshot(path=str(artifacts / "basemap_offline.png"))
        finally:
            browser.close()
    assert refused == []
