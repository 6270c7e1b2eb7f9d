"""The app in a real (headless) Chromium with every non-local request refused.

Starts ``streamlit run app.py`` on a free port with a temporary workspace, opens it
in Chromium through playwright, aborts (and counts) every request to a host other
than 127.0.0.1/localhost, waits for the Leaflet map inside the st_folium iframe to
draw features, checks the legend, a popup and the language switch, and saves a
screenshot to ``test-artifacts/map_page.png``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_kit import (
    ARTIFACTS,
    BROWSER_MARKS,
    CHROMIUM,
    CHROMIUM_ARGS,
    MAP_FRAME,
    app_on_bundled_layers,
    offline_page,
)

from pata_gis.i18n import t
from pata_gis.specs import load_catalogue

pytestmark = BROWSER_MARKS

#: The navigation's page titles (app.py).
PAGE_KEYS = (
    "page.map",
    "page.workshop",
    "page.sites",
    "page.scenarios",
    "page.safety",
    "page.data",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with app_on_bundled_layers(tmp_path_factory, "browser") as (url, _ws):
        yield url


def test_map_renders_offline(server: str) -> None:
    from playwright.sync_api import sync_playwright

    catalogue = load_catalogue()
    public = [s for s in catalogue.values() if s.is_public]
    secret = [s for s in catalogue.values() if not s.is_public]

    with sync_playwright() as p, offline_page(p, height=1000) as off:
        page, local, errors = off.page, off.local, off.errors
        page.goto(server, wait_until="domcontentloaded")

        frame = page.frame_locator(MAP_FRAME)
        frame.locator(".leaflet-container").wait_for(timeout=30_000)
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)
        legend = frame.locator(".pata-legend")
        text = legend.inner_text()
        assert text.startswith("Legendă")
        for spec in public:
            assert spec.title["ro"] in text
        for spec in secret:
            assert spec.title["ro"] not in text
        assert "OpenStreetMap" in frame.locator(".leaflet-control-attribution").inner_text()

        # the assets came from the vendored copies served by the app
        assert any("/component/pata_gis.ui.assets.vendor/leaflet@1.9.3/" in u for u in local)

        ARTIFACTS.mkdir(exist_ok=True)
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "map_page.png"), full_page=True)

        # a popup shows the feature's source and accuracy
        frame.locator("path.leaflet-interactive").last.click(force=True)
        popup = frame.locator(".leaflet-popup-content")
        popup.wait_for(timeout=10_000)
        assert "Sursă" in popup.inner_text() and "Precizie (m)" in popup.inner_text()

        # the navigation names every page in Romanian
        nav = page.get_by_test_id("stSidebarNav")
        for key in PAGE_KEYS:
            assert t(key, "ro") in nav.inner_text()

        # switch to English, then Hungarian, at any moment: the map is drawn again
        # with titles in that language, and the heading and navigation follow
        for lang, option in (("en", "English"), ("hu", "Magyar")):
            page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
            page.get_by_role("option", name=option).click()  # the language, above the role
            page.wait_for_function(
                """word => {
                    const f = document.querySelector("iframe[title='streamlit_folium.st_folium']");
                    const l = f && f.contentDocument && f.contentDocument.querySelector('.pata-legend');
                    return l && l.innerText.startsWith(word + '\\n');
                }""",
                arg=t("legend.title", lang),
                timeout=30_000,
            )
            legend_text = page.frame_locator(MAP_FRAME).locator(".pata-legend").inner_text()
            for spec in public:
                assert spec.title[lang] in legend_text
            page.get_by_role("heading", name=t("map.heading", lang)).wait_for(timeout=10_000)
            for key in PAGE_KEYS:
                assert t(key, lang) in nav.inner_text()
            page.wait_for_timeout(500)
            page.screenshot(path=str(ARTIFACTS / f"map_page_{lang}.png"), full_page=True)
        assert errors == []
    # Nothing was needed from the internet: no request to another host at all.
    assert off.aborted == [], f"requests to external hosts: {off.aborted}"


def test_pollution_overlay_and_clicked_place(server: str) -> None:
    """The landfill zone and bands are on, the exposure image toggles on, and a
    click on the map gives the distances table (every non-local request refused)."""
    from playwright.sync_api import sync_playwright

    from pata_gis.i18n import t

    with sync_playwright() as p, offline_page(p, height=2150) as off:
        page, errors = off.page, off.errors
        page.goto(server, wait_until="domcontentloaded")
        frame = page.frame_locator(MAP_FRAME)
        frame.locator("path.leaflet-interactive").first.wait_for(timeout=30_000)

        # zone and bands are on from the start, each with its legend
        zone_box = frame.locator(".pata-overlay-legend[data-overlay='zone']")
        zone_box.wait_for(timeout=10_000)
        assert "Ordinul Ministerului Sănătății nr. 119/2014" in zone_box.inner_text()
        assert t("pollution.zone", "ro", distance="1.000") in zone_box.inner_text()
        bands_box = frame.locator(".pata-overlay-legend[data-overlay='bands']")
        assert "500–1000" in bands_box.inner_text() and "> 1000" in bands_box.inner_text()
        assert frame.locator(".pata-overlay-legend[data-overlay='exposure']").count() == 0
        assert frame.locator("img.leaflet-image-layer").count() == 0

        # switch the exposure image on in the layer control
        frame.locator(".leaflet-control-layers").hover()
        frame.locator(".leaflet-control-layers-overlays label").filter(
            has_text=t("pollution.exposure", "ro")
        ).click()
        image = frame.locator("img.leaflet-image-layer")
        image.wait_for(timeout=10_000)
        assert (image.get_attribute("src") or "").startswith("data:image/png;base64,")
        assert frame.locator(".pata-overlay-legend[data-overlay='exposure']").count() == 1
        frame.locator(".leaflet-container").hover(position={"x": 5, "y": 300})

        # zoom in on Pata Rât, then click 150 m east of the GTFS stop "Pata Rat"
        box = frame.locator(".leaflet-container")
        box.evaluate("el => window.map.setView([46.7725, 23.6905], 14, {animate: false})")
        xy = box.evaluate(
            "el => { const p = window.map.latLngToContainerPoint([46.7714, 23.6873]);"
            " return [p.x, p.y]; }"
        )
        box.click(position={"x": xy[0], "y": xy[1]})
        landfill = t("place.cat.landfill", "ro")
        page.get_by_test_id("stTable").get_by_text(landfill).wait_for(timeout=30_000)
        table = page.get_by_test_id("stTable").inner_text()
        for key in ("school", "family_doctor", "police", "transit_stop"):
            assert t(f"place.cat.{key}", "ro") in table
        assert "Pata Rat" in table and t("place.col_walk", "ro") in table
        assert "ÎN zona de protecție sanitară" in table
        # the clicked place is marked without redrawing the map: the exposure
        # image switched on above is still there
        frame.locator("path.leaflet-interactive[fill='#ffd400']").wait_for(timeout=10_000)
        assert frame.locator("img.leaflet-image-layer").count() == 1
        assert box.evaluate("el => window.map.getZoom()") == 14  # the view is kept

        ARTIFACTS.mkdir(exist_ok=True)
        page.wait_for_timeout(400)
        page.screenshot(path=str(ARTIFACTS / "map_page_pollution.png"), full_page=True)
        assert errors == []
    assert off.aborted == [], f"requests to external hosts: {off.aborted}"


def test_exported_html_works_from_a_usb_stick(tmp_path: Path) -> None:
    """The inline HTML export draws the map with every network request refused."""
    from playwright.sync_api import sync_playwright
    from test_maps import _frame

    from pata_gis.maps import allowed_layers, layer_map, save_html

    catalogue = load_catalogue()
    names = allowed_layers(catalogue, "public")
    layers = {n: _frame(catalogue[n]) for n in names}
    out = save_html(layer_map(layers, catalogue, lang="en"), tmp_path / "map.html")
    requested: list[str] = []

    def route(r) -> None:  # type: ignore[no-untyped-def]
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            requested.append(url)
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.route("**/*", route)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(out.as_uri())
            page.locator("path.leaflet-interactive").first.wait_for(timeout=15_000)
            assert page.locator(".pata-legend").inner_text().startswith("Legend")
            # Font Awesome came inline: the font is usable without a request
            loaded = page.evaluate(
                """async () => (await document.fonts.load('900 12px "Font Awesome 6 Free"')).length"""
            )
            assert loaded >= 1
            assert errors == []
        finally:
            browser.close()
    assert requested == []
