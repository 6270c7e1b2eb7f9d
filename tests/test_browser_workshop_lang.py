"""Unsaved workshop drawings survive a language switch, in a real (headless) Chromium.

A polygon is drawn with Leaflet.draw inside the st_folium iframe and given a
category and a severity; the language is switched Română -> English in the
sidebar, which draws the map anew. The polygon must be back on the map as an
editable Leaflet.draw layer (in ``drawnItems``), the form must read in English
with the values kept, and saving must store exactly one polygon.
Screenshot: ``test-artifacts/page_workshop_after_language_switch.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_kit import (
    BROWSER_MARKS,
    MAP_FRAME,
    app_on_bundled_layers,
    draw_square,
    offline_page,
    shot,
    start_workshop_session,
)
from playwright.sync_api import expect

from pata_gis import workshop
from pata_gis.workspace import Workspace

pytestmark = BROWSER_MARKS

#: The drawn shapes' colour (Leaflet.draw's shapeOptions on the workshop page).
DRAWN = "path.leaflet-interactive[stroke='#d7301f']"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with app_on_bundled_layers(tmp_path_factory, "browser_workshop_lang") as started:
        yield started


def _map_frame(page: Any) -> Any:
    """The st_folium iframe as a playwright Frame (to read its ``window.drawnItems``)."""
    handle = page.locator(MAP_FRAME).first.element_handle(timeout=30_000)
    frame = handle.content_frame()
    assert frame is not None
    return frame


def _drawn_items(page: Any) -> list[dict[str, Any]]:
    """The GeoJSON features in the map's Leaflet.draw layer group, as st_folium reads them."""
    features: list[dict[str, Any]] = _map_frame(page).evaluate(
        "() => window.drawnItems && window.drawnItems.toGeoJSON ?"
        " window.drawnItems.toGeoJSON().features : null"
    )
    return features


def _settle(page: Any) -> None:
    """Wait until Streamlit is no longer running the page script."""
    page.wait_for_timeout(500)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    page.wait_for_timeout(300)


def test_polygon_and_form_survive_language_switch(server: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    base, ws_path = server
    with (
        sync_playwright() as p,
        offline_page(p, height=1100, failure_shot="page_workshop_lang_failed.png") as off,
    ):
        page, errors = off.page, off.errors
        page.goto(base + "workshop", wait_until="domcontentloaded")

        # 1. start a session (the form is open while there is none)
        sid = start_workshop_session(page, ws_path, "tineri")

        # 2. draw a polygon
        frame = page.frame_locator(MAP_FRAME).first
        frame.locator("path.leaflet-interactive >> visible=true").first.wait_for(timeout=30_000)
        assert frame.locator(DRAWN).count() == 0  # nothing of that colour before drawing
        draw_square(page, frame)

        # 3. category and severity, in Romanian
        category = page.get_by_test_id("stSelectbox").filter(has_text="Categorie")
        category.click()
        category.locator("input").fill("Câini")
        page.keyboard.press("Enter")
        page.wait_for_timeout(300)
        page.get_by_test_id("stRadio").filter(has_text="Gravitate").get_by_text(
            "4", exact=True
        ).click()
        page.wait_for_timeout(1_000)  # let the rerun of the last click settle
        before = _drawn_items(page)
        assert len(before) == 1 and before[0]["geometry"]["type"] == "Polygon"
        ring = before[0]["geometry"]["coordinates"][0]

        # 4. the facilitator switches the language for a visitor
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="English").click()
        page.get_by_text("Community mapping workshop").wait_for(timeout=30_000)
        page.get_by_text("1 new drawings").wait_for(timeout=30_000)
        page.get_by_text("1 unsaved drawings were kept").wait_for(timeout=30_000)

        # the polygon is drawn again, in the Leaflet.draw group (editable, deletable)
        frame = page.frame_locator(MAP_FRAME).first
        frame.locator(DRAWN).first.wait_for(timeout=30_000)
        assert frame.locator(DRAWN).count() == 1
        after = _drawn_items(page)
        assert len(after) == 1 and after[0]["geometry"]["type"] == "Polygon"
        got = after[0]["geometry"]["coordinates"][0]
        assert len(got) == len(ring)
        for (x, y), (x0, y0) in zip(got, ring, strict=True):
            assert (x, y) == pytest.approx((x0, y0), abs=1e-9)
        assert after[0]["properties"].get("draft_id")  # the page put it back, with its id
        # ... and the form reads in English, with the values typed in Romanian kept
        category = page.get_by_test_id("stSelectbox").filter(has_text="Category")
        expect(category.locator("input")).to_have_value("Dogs", timeout=15_000)
        severity = page.get_by_test_id("stRadio").filter(has_text="Severity")
        assert severity.get_by_role("radio", name="4").is_checked()
        page.set_viewport_size({"width": 1400, "height": 2000})
        page.wait_for_timeout(800)
        shot(page, "page_workshop_after_language_switch.png", full_page=False)

        # 5. save: one polygon, once
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Saved to session").wait_for(timeout=30_000)
        assert "1 areas" in page.get_by_text("Saved to session").inner_text()
        page.get_by_text("Nothing drawn yet.").wait_for(timeout=30_000)
        assert errors == []

    areas = Workspace(ws_path).read("risk_areas")
    mine = areas[areas["session_id"] == sid]
    assert len(mine) == 1
    row = mine.iloc[0]
    assert row.geometry.geom_type == "Polygon"
    assert len(row.geometry.exterior.coords) == 5  # 4 corners + closing point
    assert row["category"] == "dogs" and int(row["severity"]) == 4
    assert off.aborted == [], f"requests to external hosts: {off.aborted}"


def test_drafts_survive_another_page_and_follow_deletes_on_the_map(
    server: tuple[str, Path],
) -> None:
    """Two points drawn, Map page and back: both on the map again, form kept; one deleted."""
    from playwright.sync_api import sync_playwright

    base, ws_path = server
    with (
        sync_playwright() as p,
        offline_page(p, height=1100, failure_shot="page_workshop_nav_failed.png") as off,
    ):
        page, errors = off.page, off.errors
        # a session of its own, started outside the page: a new browser session
        # opens on the newest one
        sid = workshop.new_session(
            Workspace(ws_path),
            community="Dallas",
            date="2026-11-25",
            facilitator="B. Ilie",
            group="vârstnici",
            consent_scope="aggregate_only",
        ).session_id
        page.goto(base + "workshop", wait_until="domcontentloaded")
        page.get_by_text(f"{sid} · Dallas").first.wait_for(timeout=30_000)

        frame = page.frame_locator(MAP_FRAME).first
        frame.locator("path.leaflet-interactive >> visible=true").first.wait_for(timeout=30_000)
        box = frame.locator(".leaflet-container")
        size = box.bounding_box()
        assert size is not None
        for n, dx in ((1, -60), (2, 60)):  # two points, the same map (no redraw between)
            frame.locator(".leaflet-draw-draw-marker").click()
            page.wait_for_timeout(300)
            box.click(position={"x": size["width"] / 2 + dx, "y": size["height"] / 2})
            page.get_by_text(f"{n} desene noi").wait_for(timeout=30_000)
            page.wait_for_timeout(800)
        category = page.get_by_test_id("stSelectbox").filter(has_text="Categorie").first
        category.click()
        category.locator("input").fill("Trafic")
        page.keyboard.press("Enter")
        _settle(page)  # the run that takes the choice in has finished
        assert len(_drawn_items(page)) == 2

        # the Map page and back: the map is built anew, from the draft
        nav = page.get_by_test_id("stSidebarNav")
        nav.get_by_text("Hartă").first.click()
        page.wait_for_timeout(3_000)
        nav.get_by_text("Atelier").first.click()
        page.get_by_text("2 desene noi").wait_for(timeout=30_000)
        page.get_by_text("2 desene nesalvate au fost păstrate").wait_for(timeout=30_000)
        frame = page.frame_locator(MAP_FRAME).first
        frame.locator(".leaflet-marker-icon").nth(1).wait_for(timeout=30_000)
        items = _drawn_items(page)
        assert [f["geometry"]["type"] for f in items] == ["Point", "Point"]
        assert all(f["properties"].get("draft_id") for f in items)
        category = page.get_by_test_id("stSelectbox").filter(has_text="Categorie").first
        expect(category.locator("input")).to_have_value("Trafic", timeout=15_000)

        # delete the second point with Leaflet.draw's trash tool: the draft follows
        frame.locator(".leaflet-draw-edit-remove").click()
        page.wait_for_timeout(300)
        frame.locator(".leaflet-marker-icon").nth(1).click()
        frame.locator(".leaflet-draw-actions a", has_text="Save").first.click()
        page.get_by_text("1 desene noi").wait_for(timeout=30_000)
        assert len(_drawn_items(page)) == 1
        page.get_by_test_id("stRadio").filter(has_text="Gravitate").get_by_text(
            "2", exact=True
        ).click()
        page.wait_for_timeout(800)
        page.get_by_role("button", name="Salvează", exact=True).click()
        page.get_by_text("Salvat în sesiunea").wait_for(timeout=30_000)
        assert "1 puncte" in page.get_by_text("Salvat în sesiunea").inner_text()
        assert errors == []

    marks = Workspace(ws_path).read("risk_marks")
    mine = marks[marks["session_id"] == sid]
    assert len(mine) == 1
    assert mine.iloc[0]["category"] == "traffic" and int(mine.iloc[0]["severity"]) == 2
    assert off.aborted == [], f"requests to external hosts: {off.aborted}"
