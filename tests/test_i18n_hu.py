"""The Hungarian interface is complete: every string and layer title has ``hu`` text.

Every key of :data:`pata_gis.i18n.STRINGS` (with every app text module
registered) has Romanian, English and Hungarian text with the same
placeholders and format specs; the criteria titles of the Sites page and every
layer spec of the catalogue (layer title, description, field titles) have
Hungarian too; and the Hungarian text is not a copy of the Romanian or English
(a spot check over the keys whose Romanian and English differ).
"""

from __future__ import annotations

import importlib
import pkgutil
import string

import pytest

# Each text module registers its strings on import.
import pata_gis.ui
import pata_gis.ui.text_common
import pata_gis.ui.text_data
import pata_gis.ui.text_planning
import pata_gis.ui.text_safety
import pata_gis.ui.text_workshop
from pata_gis.i18n import STRINGS, t
from pata_gis.specs import FieldSpec, LayerSpec, load_catalogue
from pata_gis.ui.text_planning import CRITERION_TITLES

LANGS = ("ro", "en", "hu")
#: Every page-independent string module (``pata_gis.ui.text_*``), the ones added
#: after this test included: importing one registers its strings.
TEXT_MODULES = sorted(
    m.name for m in pkgutil.iter_modules(pata_gis.ui.__path__) if m.name.startswith("text_")
)
for _name in TEXT_MODULES:
    importlib.import_module(f"pata_gis.ui.{_name}")
CATALOGUE = load_catalogue()


def placeholders(text: str) -> set[tuple[str, str, str | None]]:
    """The ``(name, format spec, conversion)`` of every ``{placeholder}`` of `text`."""
    return {
        (name, spec or "", conv)
        for _, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    }


def placeholder_mismatches(strings: dict[str, dict[str, str]]) -> list[str]:
    """``key: lang`` for every text whose placeholders differ from the Romanian ones.

    A missing language counts as a mismatch: its text cannot agree.
    """
    bad = []
    for key, entry in strings.items():
        want = placeholders(entry.get("ro", ""))
        for lang in ("en", "hu"):
            if lang not in entry:
                bad.append(f"{key}: no {lang}")
            elif placeholders(entry[lang]) != want:
                got = sorted(placeholders(entry[lang]))
                bad.append(f"{key}: {lang} {got} != ro {sorted(want)}")
    return bad


def missing_hu(spec: LayerSpec) -> list[str]:
    """What of `spec` has Romanian or English text but no Hungarian."""
    out = []
    parts: list[tuple[str, dict[str, str]]] = [("title", spec.title)]
    if spec.description:
        parts.append(("description", spec.description))
    parts += [(f"field {f.name}", f.title) for f in spec.fields]
    for what, text in parts:
        if not text.get("hu", "").strip():
            out.append(f"{spec.name}: {what}")
    return out


def copied_keys() -> tuple[list[str], int]:
    """Keys whose ro and en differ but whose shown hu equals one of them, and how many differ."""
    differing = [k for k, e in STRINGS.items() if e["ro"].strip() != e["en"].strip()]
    same = [k for k in differing if t(k, "hu") in (STRINGS[k]["ro"], STRINGS[k]["en"])]
    return same, len(differing)


def test_every_key_has_ro_en_and_hu() -> None:
    assert {"text_common", "text_data", "text_planning", "text_safety", "text_workshop"} <= set(
        TEXT_MODULES
    )
    assert len(STRINGS) > 400  # every text module registered its strings
    missing = [
        f"{key}: {lang}"
        for key, entry in STRINGS.items()
        for lang in LANGS
        if not entry.get(lang, "").strip()
    ]
    assert missing == []


def test_placeholders_and_format_specs_agree_across_languages() -> None:
    assert placeholder_mismatches(STRINGS) == []


def test_placeholder_check_catches_a_dropped_or_changed_placeholder() -> None:
    strings = {
        "a": {"ro": "{n} din {total}", "en": "{n} of {total}", "hu": "{n}"},
        "b": {"ro": "{lat:.5f} N", "en": "{lat:.5f} N", "hu": "{lat:.2f} É"},
        "c": {"ro": "{x}", "en": "{x}", "hu": "{x}!"},
        "d": {"ro": "{x}", "en": "{x}"},
    }
    assert placeholder_mismatches(strings) == [
        "a: hu [('n', '', None)] != ro [('n', '', None), ('total', '', None)]",
        "b: hu [('lat', '.2f', None)] != ro [('lat', '.5f', None)]",
        "d: no hu",
    ]


def test_markdown_marks_agree_across_languages() -> None:
    bad = [
        f"{key}: {mark!r}"
        for key, entry in STRINGS.items()
        for mark in ("**", "`")
        if len({entry.get(lang, "").count(mark) for lang in LANGS}) > 1
    ]
    assert bad == []


def test_criterion_titles_have_hu() -> None:
    missing = [col for col, entry in CRITERION_TITLES.items() if not entry.get("hu", "").strip()]
    assert missing == []


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_layer_spec_is_titled_in_hungarian(name: str) -> None:
    assert missing_hu(CATALOGUE[name]) == []


def test_layer_check_catches_a_field_without_hu() -> None:
    spec = LayerSpec(
        name="demo",
        geometry="point",
        title={"ro": "Demo", "en": "Demo", "hu": "Demó"},
        description={"ro": "Un strat", "en": "A layer"},
        fields=(FieldSpec("kind", title={"ro": "Tip", "en": "Kind"}),),
    )
    assert missing_hu(spec) == ["demo: description", "demo: field kind"]


def test_hu_is_not_a_copy_of_ro_or_en() -> None:
    same, differing = copied_keys()
    assert differing > 300
    assert len(same) <= 0.10 * differing, same
