"""The workshop page in a real (headless) Chromium with every non-local request refused.

Issue 6, done-when: the map renders, a risk polygon is drawn with the Leaflet.draw
tool inside the st_folium iframe, its form is filled and saved, the page is
reloaded and the polygon is in the workspace (``risk_areas``, with the session id).
Screenshot: ``test-artifacts/page_workshop.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_kit import (
    ARTIFACTS,
    BROWSER_MARKS,
    MAP_FRAME,
    app_on_bundled_layers,
    draw_square,
    offline_page,
    start_workshop_session,
)

from pata_gis.workspace import Workspace

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with app_on_bundled_layers(tmp_path_factory, "browser_workshop") as started:
        yield started


def test_draw_save_reload_polygon(server: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    base, ws_path = server
    with (
        sync_playwright() as p,
        offline_page(p, height=1100, failure_shot="page_workshop_failed.png") as off,
    ):
        page, errors = off.page, off.errors
        page.goto(base + "workshop", wait_until="domcontentloaded")

        # 1. start a session (the form is open while there is none)
        sid = start_workshop_session(page, ws_path, "femei")
        assert sid.startswith("CAN-")  # the first community of the form

        # 2. the map renders offline, with the draw toolbar; draw a polygon
        frame = page.frame_locator(MAP_FRAME).first
        frame.locator("path.leaflet-interactive >> visible=true").first.wait_for(timeout=30_000)
        draw_square(page, frame)

        # 3. the drawing's form: category, severity; then save
        category = page.get_by_test_id("stSelectbox").filter(has_text="Categorie")
        category.click()
        category.locator("input").fill("Câini")
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        page.get_by_test_id("stRadio").filter(has_text="Gravitate").get_by_text(
            "4", exact=True
        ).click()
        page.get_by_test_id("stTextInput").filter(has_text="Notă").locator("input").fill(
            "câini lângă calea ferată"
        )
        page.wait_for_timeout(300)
        ARTIFACTS.mkdir(exist_ok=True)
        page.set_viewport_size({"width": 1400, "height": 2000})
        page.wait_for_timeout(500)
        page.screenshot(path=str(ARTIFACTS / "page_workshop_form.png"))
        page.get_by_role("button", name="Salvează", exact=True).click()
        page.get_by_text("Salvat în sesiunea").wait_for(timeout=30_000)
        assert "1 zone" in page.get_by_text("Salvat în sesiunea").inner_text()

        # 4. reload: the polygon is stored, and the page says so
        page.reload(wait_until="domcontentloaded")
        page.get_by_text("În această sesiune sunt salvate").wait_for(timeout=30_000)
        assert "1 zone" in page.get_by_text("În această sesiune sunt salvate").inner_text()
        page.frame_locator(MAP_FRAME).first.locator(
            "path.leaflet-interactive >> visible=true"
        ).first.wait_for(timeout=30_000)
        page.wait_for_timeout(800)
        page.screenshot(path=str(ARTIFACTS / "page_workshop.png"))
        assert errors == []

    areas = Workspace(ws_path).read("risk_areas")
    mine = areas[areas["session_id"] == sid]
    assert len(mine) == 1
    row = mine.iloc[0]
    assert row.geometry.geom_type == "Polygon"
    assert len(row.geometry.exterior.coords) == 5  # 4 corners + closing point
    assert row["category"] == "dogs" and int(row["severity"]) == 4
    assert row["note"] == "câini lângă calea ferată"
    assert bool(row["consent"]) is True  # aggregate_only, the form's default scope
    assert row["capture"] == "drawn_in_app"
    # drawn somewhere near Cantonului, where the map opened
    c = row.geometry.centroid
    assert 23.67 < c.x < 23.71 and 46.76 < c.y < 46.79
    assert off.aborted == [], f"requests to external hosts: {off.aborted}"
