"""One way for every browser test to start the app and open it offline.

- :func:`streamlit_server` starts ``streamlit run`` (the app or any entry script)
  on a free loopback port with a given workspace, waits for its health check and
  stops it afterwards (its log is kept beside the workspace).
- :func:`offline_page` launches Debian's Chromium through playwright with the
  project's flags and refuses (and records) every request to a host other than
  127.0.0.1/localhost, so a test proves the page needs nothing from the internet.

Tests import it as ``from browser_kit import ...`` (``tests/`` is on ``sys.path``
under pytest's default import mode, as for ``test_app``).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
MAP_FRAME = "iframe[title='streamlit_folium.st_folium']"

#: Marks for a module of browser tests (CI turns their skips into failures).
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is missing"),
]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 40.0) -> None:
    """Wait until the test's own Streamlit server answers `url` (loopback only)."""
    parts = urlparse(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"{url}: tests only talk to servers they start on 127.0.0.1")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        conn = http.client.HTTPConnection("127.0.0.1", parts.port or 80, timeout=2)
        try:
            conn.request("GET", parts.path or "/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
        finally:
            conn.close()
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@contextmanager
def streamlit_server(
    workspace: Path,
    *,
    script: Path | str = "app.py",
    log_dir: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """Run ``streamlit run script`` on the workspace; yield its base URL (ends in ``/``).

    Parameters
    ----------
    workspace : Path
        The GeoPackage the app opens (``PATA_GIS_WORKSPACE``).
    script : Path or str
        The entry script, relative to the repository or absolute.
    log_dir : Path, optional
        Where ``streamlit.log`` is written; default the workspace's folder.
    env : dict, optional
        Extra environment variables for the server.
    """
    port = free_port()
    environ = dict(
        os.environ,
        PATA_GIS_WORKSPACE=str(workspace),
        PYTHONPATH=str(REPO),
        # never reload the modules mid-test when a file in the tree is saved
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none",
    )
    environ.update(env or {})
    log_path = (log_dir or Path(workspace).parent) / "streamlit.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script),
             "--server.headless", "true", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=REPO, env=environ, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_http(f"http://127.0.0.1:{port}/_stcore/health", proc)
            yield f"http://127.0.0.1:{port}/"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


@contextmanager
def app_on_bundled_layers(
    tmp_path_factory: pytest.TempPathFactory, name: str, prepare: Any = None
) -> Iterator[tuple[str, Path]]:
    """The app on a fresh workspace of the bundled layers: yield (base URL, workspace path).

    `prepare(path)` runs on the workspace before the server starts (a passphrase, say).
    Skips when playwright is not installed.
    """
    from test_app import make_workspace

    pytest.importorskip("playwright.sync_api")
    ws = tmp_path_factory.mktemp(name) / "workspace.gpkg"
    make_workspace(ws)
    if prepare is not None:
        prepare(ws)
    with streamlit_server(ws) as url:
        yield url, ws


@dataclass
class Offline:
    """A Chromium page whose non-local requests are refused and recorded."""

    page: Any
    context: Any
    aborted: list[str] = field(default_factory=list)
    local: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def offline_page(
    playwright: Any, *, width: int = 1400, height: int = 1100, failure_shot: str | None = None
) -> Iterator[Offline]:
    """Open a page in Debian's Chromium with every non-loopback request refused.

    Parameters
    ----------
    playwright : playwright.sync_api.Playwright
        From ``sync_playwright()``.
    width, height : int
        The viewport.
    failure_shot : str, optional
        File name in ``test-artifacts/`` for a full-page screenshot if the block fails.
    """
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        context = browser.new_context(viewport={"width": width, "height": height})
        state = Offline(page=None, context=context)

        def route(r: Any) -> None:
            url = r.request.url
            host = urlparse(url).hostname or ""
            if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
                state.local.append(url)
                r.continue_()
            else:
                state.aborted.append(url)
                r.abort()

        context.route("**/*", route)
        state.page = context.new_page()
        state.page.on("pageerror", lambda e: state.errors.append(str(e)))
        try:
            yield state
        except Exception:
            if failure_shot:
                ARTIFACTS.mkdir(exist_ok=True)
                state.page.screenshot(path=str(ARTIFACTS / failure_shot), full_page=True)
            raise
    finally:
        browser.close()


def shot(page: Any, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot of `page` as ``test-artifacts/<name>``; return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


def start_workshop_session(page: Any, ws_path: Path, group: str) -> str:
    """On the Workshop page (Romanian), start a session for `group`; return its id.

    The new-session form is open while the workspace has no session; the first
    community of the form is Cantonului.
    """
    from pata_gis.workspace import Workspace

    page.get_by_text("Atelier de cartografiere comunitară").wait_for(timeout=30_000)
    page.get_by_label("Facilitator").fill("A. Pop")
    page.get_by_role("textbox", name="Grupul").fill(group)
    page.get_by_role("button", name="Începe sesiunea").click()
    page.get_by_text("a început").wait_for(timeout=30_000)
    sessions = Workspace(ws_path).read("workshop_sessions")
    assert len(sessions) == 1
    return str(sessions["session_id"].iloc[0])


def draw_square(page: Any, frame: Any, *, half_width: int = 70, half_height: int = 50) -> None:
    """Draw a four-corner polygon around the map's centre with Leaflet.draw.

    Clicks the polygon tool, waits until the draw handler is on (its tooltip shows),
    clicks the corners one at a time (never read as a double click) and closes the
    ring with "Finish"; under load Leaflet.draw can miss that click, and then a user
    clicks the first point, as the tooltip says. Waits for the page's "1 desene noi".
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    tool = frame.locator(".leaflet-draw-draw-polygon")
    tool.wait_for(timeout=10_000)
    tool.click()
    frame.locator(".leaflet-draw-tooltip").first.wait_for(timeout=10_000)
    box = frame.locator(".leaflet-container")
    size = box.bounding_box()
    assert size is not None
    cx, cy = size["width"] / 2, size["height"] / 2
    w, h = half_width, half_height
    vertices = frame.locator(".leaflet-editing-icon")
    for i, (dx, dy) in enumerate([(-w, -h), (w, -h), (w, h), (-w, h)]):
        # under load Leaflet.draw can drop a click: click again until the vertex is there
        for _attempt in range(3):
            box.click(position={"x": cx + dx, "y": cy + dy})
            page.wait_for_timeout(400)  # single clicks, never read as a double click
            try:
                page.wait_for_function(
                    "([f, n]) => { const d = document.querySelector(f);"
                    " const c = d && d.contentDocument;"
                    " return !!c && c.querySelectorAll('.leaflet-editing-icon').length >= n; }",
                    arg=[MAP_FRAME, i + 1],
                    timeout=3_000,
                )
                break
            except PlaywrightTimeout:
                continue
    assert vertices.count() == 4, "Leaflet.draw did not take the four corners"
    frame.locator(".leaflet-draw-actions a", has_text="Finish").first.click()
    drawn = page.get_by_text("1 desene noi")
    try:
        drawn.wait_for(timeout=15_000)
    except PlaywrightTimeout:
        if frame.locator(".leaflet-draw-tooltip").first.is_visible():
            frame.locator(".leaflet-editing-icon").first.click()
    drawn.wait_for(timeout=30_000)
