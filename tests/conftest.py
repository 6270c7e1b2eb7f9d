"""Shared test fixtures: where the shared real data lives, and CI's browser rule."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# There is no internet here: the app's maps must not wait on a tile-server check.
os.environ.setdefault("PATA_GIS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
#: The real public data beside the project root (never copied into the repo).
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ``../shared/data`` folder; skip (or fail in CI) when it is absent."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED_DATA} is missing: CI must run with ../shared beside the repo")
        pytest.skip(f"{SHARED_DATA} is missing")
    return SHARED_DATA


@pytest.fixture
def as_role(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Make the app pages run as `role` (``as_role("planner")``), without a passphrase."""
    from pata_gis.ui import common

    def set_role(role: str) -> None:
        monkeypatch.setattr(common, "current_role", lambda: role, raising=False)

    return set_role


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI (``PATA_GIS_REQUIRE_BROWSER=1``) a skipped browser test is a failure."""
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and os.environ.get("PATA_GIS_REQUIRE_BROWSER") == "1"
        and item.get_closest_marker("browser") is not None
    ):
        report.outcome = "failed"
        report.longrepr = f"browser test skipped in CI: {report.longrepr}"
