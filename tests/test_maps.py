"""Offline maps: no CDN left, layers styled and titled, sensitivity enforced."""

from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import folium.plugins
import geopandas as gpd
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
