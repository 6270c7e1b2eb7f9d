"""The language switch in Chromium keeps every choice a user made, the role first.

Streamlit's select boxes and radios keep, in the browser, the *label* of the
choice. Before the fix in ``ui.common._resend_widget_values`` a planner who
switched Română → English → Magyar was back to "Public" (the browser sent
"Urbanist", which no Hungarian option is). Here a planner enters the role on the
Data page, picks a layer in the History tab, and switches the language three
times: the role, the picked layer and the tab's content follow each language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_kit import BROWSER_MARKS, app_on_bundled_layers, offline_page, shot

from pata_gis import roles
from pata_gis.i18n import t
from pata_gis.specs import load_catalogue
from pata_gis.ui import text_common, text_data  # noqa: F401  (register the strings)

pytestmark = BROWSER_MARKS
PHRASE = "dallas 2026 dimineata"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    def planner_passphrase(ws: Path) -> None:
        roles.set_passphrase(ws, "planner", PHRASE)

    with app_on_bundled_layers(
        tmp_path_factory, "browser_language", prepare=planner_passphrase
    ) as (url, _ws):
        yield url


def _shown_value(box) -> str:  # type: ignore[no-untyped-def]
    """The label a Streamlit select box shows for its choice."""
    found = re.findall(r'value="([^"]*)"', box.inner_html())
    return found[0] if found else ""


def test_switching_language_keeps_the_role_and_the_choices(server: str) -> None:
    from playwright.sync_api import sync_playwright

    schools = load_catalogue()["schools"]
    with (
        sync_playwright() as p,
        offline_page(p, height=1200, failure_shot="language_switch_failed.png") as off,
    ):
        page = off.page
        page.goto(server + "data", wait_until="domcontentloaded")
        sidebar = page.get_by_test_id("stSidebar")
        boxes = sidebar.get_by_test_id("stSelectbox")  # language, then role
        boxes.nth(1).click()
        page.get_by_role("option", name=t("role.planner", "ro")).click()
        sidebar.get_by_label(t("role.passphrase", "ro")).fill(PHRASE)
        sidebar.get_by_role("button", name=t("role.enter", "ro")).click()
        current = t("role.current", "ro", role=t("role.planner", "ro")).replace("**", "")
        sidebar.get_by_text(current).wait_for(timeout=30_000)

        # the History tab, the schools layer picked
        page.get_by_role("tab", name=t("data.tab_history", "ro")).click()
        tab = page.get_by_role("tabpanel", name=t("data.tab_history", "ro"))
        tab.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name=f"{schools.title['ro']} (schools)").click()
        page.wait_for_timeout(1000)

        for lang, option in (("en", "English"), ("hu", "Magyar"), ("ro", "Română")):
            boxes.first.click()
            page.get_by_role("option", name=option).click()
            role_line = t("role.current", lang, role=t("role.planner", lang)).replace("**", "")
            sidebar.get_by_text(role_line).wait_for(timeout=30_000)
            assert _shown_value(boxes.nth(1)) == t("role.planner", lang)
            page.get_by_role("tab", name=t("data.tab_history", lang)).click()
            tab = page.get_by_role("tabpanel", name=t("data.tab_history", lang))
            box = tab.get_by_test_id("stSelectbox").first
            box.wait_for(timeout=30_000)
            assert t("data.history_layer", lang) in box.inner_text()
            assert _shown_value(box) == f"{schools.title[lang]} (schools)"
            if lang == "hu":
                shot(page, "language_switch_hu.png")
        assert off.errors == []
    assert off.aborted == [], f"requests to external hosts: {off.aborted}"
