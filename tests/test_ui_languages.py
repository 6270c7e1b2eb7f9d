"""Every page of the app, through ``app.py``, in Romanian, English and Hungarian.

Issue 6, done-when: "an AppTest run of every page passes with no exception" and
"the language switch changes every visible label". Each page is opened in
Romanian as the role that sees most of it, then the sidebar's language box is
switched to English, to Hungarian and back to Romanian, as a user would, mid-session.
Every text the page shows (headings, text, captions, alerts, widget labels,
options and help, tab and expander titles, table headers and text cells; see
``ui_texts.visible_texts``) must change with the language, except names from the
data (settlements, sites, sessions, the layers' source citations), numbers, and a
short list of words that are
the same in both languages, each with its reason. Switching back gives the
Romanian page again, text for text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from pandas.api.types import is_object_dtype, is_string_dtype
from ui_texts import visible_texts

from pata_gis import workshop
from pata_gis.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"

#: page file -> the role that sees most of the page.
PAGES = {
    "map_page.py": "planner",
    "workshop_page.py": "community",
    "sites_page.py": "planner",
    "scenarios_page.py": "planner",
    "safety_page.py": "police",
    "data_page.py": "planner",
}

#: Words that are rightly the same in two languages, with why.
SAME_WORDS: dict[str, str] = {
    "Română": "a language is named in its own language",
    "English": "a language is named in its own language",
    "Magyar": "a language is named in its own language",
    "Public": "ro 'Public' = en 'Public'",
    "public": "ro 'public' = en 'public' (a sensitivity level)",
    "Facilitator": "ro 'Facilitator' = en 'Facilitator'",
    "Export": "ro 'Export' = en 'Export'",
    "Import": "ro 'Import' = en 'Import'",
    "Format": "ro 'Format' = en 'Format'",
    "Total (min)": "ro 'Total' = en 'Total'",
    "Kendall τ": "the name of the statistic",
    "CSV": "a file format",
    "GeoJSON": "a file format",
    "GeoPackage": "a file format",
    "KML": "a file format",
    "Shapefile (.zip)": "a file format",
    "index": "en 'index' = hu 'index'",
    "A3": "a paper size",
    "A4": "a paper size",
}

_NO_WORDS = re.compile(r"^[\W\d_]*$")
#: SI and common unit symbols, the same in every language ("0–5 min", "km").
_UNIT = re.compile(r"\b(?:min|m|km|km/h|h|s|ms)\b")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bundled layers, one workshop session and one saved scenario."""
    from test_app import make_workspace

    path = tmp_path_factory.mktemp("languages") / "workspace.gpkg"
    ws = make_workspace(path)
    workshop.new_session(
        ws,
        community="Dallas",
        date="2026-11-25",
        facilitator="A. Pop",
        group="women",
        consent_scope="aggregate_only",
    )
    sites = ws.read("candidate_sites")
    ws.save_scenario(
        "A",
        pd.DataFrame(
            {"group": ["Colectorului"], "site": [str(sites["name"].iloc[0])], "n_households": [8]}
        ),
        note="test",
    )
    with pytest.MonkeyPatch.context() as mp:  # the app opens this workspace
        mp.setenv("PATA_GIS_WORKSPACE", str(path))
        yield path


def _data_values(path: Path) -> set[str]:
    """Every text value stored in the workspace's layers (names are not translated)."""
    ws = Workspace(path)
    values: set[str] = set()
    for name in ws.layer_names():
        frame = ws.read(name)
        for col in frame.columns:
            if col != "geometry" and (is_object_dtype(frame[col]) or is_string_dtype(frame[col])):
                values.update(str(v).strip() for v in frame[col].dropna())
    values.update(str(s) for s in ws.scenarios()["name"])
    # a layer's source is a citation, kept in the words it was written in (like a
    # bibliography entry), not an interface label
    # technical layer names are identifiers (typed on the command line)
    values.update(ws.layer_names())
    # the history's authors and messages and the import log are records, kept as written
    for name in ws.layer_names():
        history = ws.history(name)
        values.update(str(v) for v in history["author"].dropna())
        values.update(str(v) for v in history["message"].dropna())
    log = ws.import_log()
    values.update(Path(str(f)).name for f in log["file"])
    values.update(str(v) for col in ("author", "report") for v in log[col].dropna())
    for spec in ws.specs().values():
        values.update(str(v).strip() for v in spec.source.values())
    return values


def _neutral(text: str, data: set[str]) -> bool:
    return bool(_NO_WORDS.match(_UNIT.sub("", text))) or text in data or text in SAME_WORDS


def _open(page: str, role: str) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = "ro"
    at.session_state["role"] = role
    at.session_state["_role_select"] = role
    at.run()
    assert not at.exception, at.exception
    if page != "map_page.py":
        at.switch_page(f"pata_gis/ui/{page}").run()
    assert not at.exception, at.exception
    return at


def _switch(at: Any, lang: str) -> list[str]:
    box = at.sidebar.selectbox[0]  # the language, above the role
    box.set_value(lang).run()
    assert not at.exception, (lang, at.exception)
    assert at.session_state["lang"] == lang
    return visible_texts(at)


@pytest.mark.slow
@pytest.mark.parametrize("page", list(PAGES))
def test_every_label_changes_with_the_language(workspace: Path, page: str) -> None:
    role = PAGES[page]
    data = _data_values(workspace)
    at = _open(page, role)
    texts = {"ro": visible_texts(at)}
    assert len(texts["ro"]) >= 15, texts["ro"]  # the page drew its content
    for lang in ("en", "hu"):
        texts[lang] = _switch(at, lang)
        assert at.session_state["role"] == role  # the switch keeps the role
    back = _switch(at, "ro")

    problems = []
    for a, b in (("ro", "en"), ("ro", "hu"), ("en", "hu")):
        same = sorted(x for x in set(texts[a]) & set(texts[b]) if not _neutral(x, data))
        problems += [f"{a}={b}: {x[:100]!r}" for x in same]
    assert problems == [], "\n".join(problems)
    # the three languages show the same page: as many texts, give or take none
    assert len(texts["ro"]) == len(texts["en"]) == len(texts["hu"]), {
        k: len(v) for k, v in texts.items()
    }
    # and switching back gives the Romanian page again, text for text
    assert back == texts["ro"]


def test_the_check_finds_an_untranslated_label(workspace: Path) -> None:
    """The comparison above would catch a label left in one language."""
    from pata_gis import i18n

    at = _open("data_page.py", "planner")
    ro = visible_texts(at)
    heading = i18n.STRINGS["data.heading"]
    saved = dict(heading)
    heading["en"] = heading["ro"]  # as if the English text were missing
    try:
        en = _switch(at, "en")
    finally:
        heading.clear()
        heading.update(saved)
    same = {x for x in set(ro) & set(en) if not _neutral(x, _data_values(workspace))}
    assert heading["ro"] in same
