"""Import refusals read in Romanian and Hungarian, file and field names kept.

Every broken file of the shared corpus (``tests/test_broken_inputs.py``) and the
problems :func:`pata_gis.layers.validate` lists are checked in ``ro`` and ``hu``:
the text differs from the English, names the file, keeps every value it quotes
and leaves no English word of its templates behind; the exception's text
(which lost the Note type) translates to the same words as the Note itself.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point, Polygon
from test_broken_inputs import make_broken_inputs

from pata_gis import io
from pata_gis._errors import CRSError, InputError, ValidationError
from pata_gis.i18n import t
from pata_gis.layers import validate
from pata_gis.messages import MESSAGES, Note, note, translate
from pata_gis.specs import COMMON_FIELDS, FieldSpec, LayerSpec

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "pata_gis" / "ui" / "data_page.py"

SETTLEMENTS = LayerSpec(
    name="settlements",
    geometry="polygon",
    fields=(
        FieldSpec("name", "str", required=True),
        FieldSpec("households", "int", min=0),
        FieldSpec("status", "str", choices=("active", "closed")),
        *COMMON_FIELDS,
    ),
)
X0, Y0 = 23.684, 46.769  # Pata Rât

#: English words of the templates that must not survive a translation (the values
#: inside a message, such as GDAL's own English, are removed before looking; case
#: matters: "Feature" is a GeoJSON type name; "are" is Romanian too).
ENGLISH = {
    "the", "is", "has", "have", "not", "with", "and", "of", "or", "no", "cannot",
    "feature", "features", "layer", "field", "file", "holds", "export", "check", "again",
    "missing", "value", "values", "row", "rows", "column", "columns", "correct", "pass",
    "read", "empty", "outside", "problem", "problems", "saved", "nothing", "only", "but",
}  # fmt: skip


def _values(n: Note) -> list[str]:
    """The plain values inside a note (nested notes opened), longest first."""
    out: list[str] = []
    for v in n.params.values():
        out += _values(v) if isinstance(v, Note) else [str(v)]
    return sorted(out, key=len, reverse=True)


def _english_left(text: str, n: Note) -> set[str]:
    for v in _values(n):
        text = text.replace(v, " ")
    text = re.sub(r"'[^']*'|\w+=", " ", text)  # code the user types (layer=, 'EPSG:3844')
    return {w for w in re.findall(r"[^\W\d_]+", text) if w in ENGLISH}


def _check_translated(msg: Any, exc_text: str, name: str) -> None:
    """`msg` (a Note) reads in ro and hu; `exc_text` (plain) translates the same."""
    assert isinstance(msg, Note), f"not a translatable note: {msg!r}"
    assert name in msg
    for lang in ("ro", "hu"):
        shown = translate(msg, lang)
        assert shown != msg
        assert name in shown, (lang, shown)
        for v in _values(msg):
            assert v in shown, (lang, v, shown)  # file/field names and values kept
        assert not _english_left(shown, msg), (lang, _english_left(shown, msg), shown)
        # the plain text (an exception's str, a log line) is matched back to the same words
        assert translate(exc_text, lang) == shown, (lang, exc_text)


def _broken_ids() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return [c[0] for c in make_broken_inputs(Path(tmp))]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return {c[0]: c for c in make_broken_inputs(tmp_path_factory.mktemp("broken"))}


@pytest.mark.parametrize("case_id", _broken_ids())
def test_every_broken_file_is_refused_in_romanian_and_hungarian(
    case_id: str, corpus: dict[str, Any]
) -> None:
    _cid, path, kwargs, _fragment = corpus[case_id]
    with pytest.raises(InputError) as info:
        io.read(path, **kwargs)
    exc = info.value
    assert str(exc) == exc.args[0]  # the Note is the message, its text unchanged
    _check_translated(exc.args[0], str(exc), path.name)


def test_swapped_axes_in_romanian_hand_checked(corpus: dict[str, Any]) -> None:
    _cid, path, kwargs, _fragment = corpus["swapped_lat_lon"]
    with pytest.raises(CRSError) as info:
        io.read(path, **kwargs)
    ro = translate(info.value.args[0], "ro")
    assert ro.startswith(f"{path}: obiectele 1, 2 au latitudinea și longitudinea în ordine inversă")
    assert "Inversați coloanele" in ro


def test_wrong_encoding_in_hungarian_names_the_byte(corpus: dict[str, Any]) -> None:
    _cid, path, kwargs, _fragment = corpus["csv_wrong_encoding_given"]
    with pytest.raises(InputError) as info:
        io.read(path, **kwargs)
    msg = info.value.args[0]
    assert msg.key == "err.io.bad_encoding"
    hu = translate(msg, "hu")
    assert (
        f"{path} nem érvényes {kwargs['encoding']} szöveg (a fájl {msg.params['byte']}. bájtja)"
        in hu
    )


def _square(dx: float = 0.0) -> Polygon:
    x, y = X0 + dx, Y0
    return Polygon([(x, y), (x + 0.001, y), (x + 0.001, y + 0.001), (x, y + 0.001)])


def test_every_validation_problem_reads_in_romanian_and_hungarian() -> None:
    flat = Polygon([(X0, Y0), (X0 + 0.001, Y0), (X0 + 0.002, Y0), (X0, Y0)])
    g = gpd.GeoDataFrame(
        {
            "name": ["a", None, "c", "d", "e", "f", "g"],
            "households": ["12", "many", "-3", "4", "5", "6", "7"],
            "status": ["active", "open", "closed", "active", "closed", "active", "gone"],
            "accuracy_m": [10.0] * 7,  # no 'source' column: a required field missing
        },
        geometry=[
            _square(),
            _square(0.01),
            Point(X0, Y0),  # a point in a polygon layer
            flat,  # invalid, nothing left after a repair
            Polygon([(X0, Y0), (X0 + np.nan, Y0), (X0, Y0 + 0.001)]),
            _square(0.02),
            _square(0.03),
        ],
        crs="EPSG:4326",
    )
    with pytest.raises(ValidationError) as info:
        validate(g, SETTLEMENTS, name="kobo_export.geojson")
    exc = info.value
    keys = sorted(p.key for p in exc.problems)
    assert keys == sorted(
        [
            "err.layer.field_missing_hint",  # source
            "err.layer.bad_type",  # households 'many'
            "err.layer.out_of_range",  # households -3
            "err.layer.not_allowed",  # status 'open', 'gone'
            "err.layer.required",  # name
            "err.layer.wrong_family",  # the point
            "err.layer.nan_coords",
            "err.layer.unrepairable",  # the flat polygon
        ]
    ), [str(p) for p in exc.problems]
    _check_translated(exc.message, str(exc).splitlines()[0], "kobo_export.geojson")
    for p in exc.problems:
        _check_translated(p, str(p), "")
    # the whole exception text, summary and bullet list, translates line by line
    ro_lines = translate(str(exc), "ro").splitlines()
    assert ro_lines[0] == translate(exc.message, "ro")
    assert ro_lines[1:] == [f"  - {translate(p, 'ro')}" for p in exc.problems]
    by_key = {p.key: p for p in exc.problems}
    assert translate(by_key["err.layer.not_allowed"], "ro") == (
        "câmpul „status”: obiectele 2, 7 au valori care nu sunt permise ('gone', 'open'); "
        "folosiți una dintre: active, closed"
    )
    assert translate(by_key["err.layer.wrong_family"], "hu").startswith(
        "a(z) 3. objektum Point, de a(z) „settlements” réteg sokszög típusú objektumokat"
    )


def test_repairs_and_warnings_of_an_accepted_import_read_in_every_language() -> None:
    bowtie = Polygon([(X0, Y0), (X0 + 0.001, Y0 + 0.001), (X0 + 0.001, Y0), (X0, Y0 + 0.001)])
    g = gpd.GeoDataFrame(
        {
            "Name": ["a", "b", "b", "d", "e"],  # renamed to 'name'
            "households": ["12", 3, 3, None, 4],  # a text converted
            "status": ["Active", "closed", "closed", None, "CLOSED"],  # case matched
            "cartier": ["Dallas", "Cantonului", "Cantonului", None, "Dallas"],  # extra column
        },
        geometry=[bowtie, _square(0.01), _square(0.01), None, _square(0.01)],
        crs="EPSG:4326",
    )
    _out, report = validate(
        g, SETTLEMENTS, name="sondaj.geojson", defaults={"source": "sondaj 2026", "accuracy_m": 10}
    )
    keys = {n.key for n in [*report.changes, *report.warnings]}
    assert {
        "fix.layer.renamed",
        "fix.layer.converted",
        "fix.layer.choice_case",
        "fix.layer.field_added",
        "fix.layer.no_geometry_removed",
        "fix.layer.repaired",
        "fix.layer.duplicates",
        "warn.layer.extra_columns",
        "warn.layer.same_geometry",
    } <= keys, [str(n) for n in [*report.changes, *report.warnings]]
    for n in [*report.changes, *report.warnings]:
        _check_translated(n, str(n), "")
    repaired = next(n for n in report.changes if n.key == "fix.layer.repaired")
    assert translate(repaired, "ro").startswith(
        "obiectul 1: geometrie nevalidă (Self-intersection"
    ) and "după reparare" in translate(repaired, "ro")


@pytest.mark.parametrize(
    ("frame", "key"),
    [
        (gpd.GeoDataFrame({"name": []}, geometry=[], crs="EPSG:4326"), "err.layer.empty"),
        (
            gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(X0, Y0).buffer(0.001)]),
            "err.crs.none",
        ),
        (
            gpd.GeoDataFrame(
                {"name": ["a"]}, geometry=[Point(Y0, X0).buffer(0.001)], crs="EPSG:4326"
            ),
            "err.crs.swapped",
        ),
        (
            gpd.GeoDataFrame(
                {"name": ["a"]}, geometry=[Point(2.35, 48.85).buffer(0.001)], crs="EPSG:4326"
            ),
            "err.crs.outside",
        ),
    ],
)
def test_refusals_before_the_fields_read_in_every_language(
    frame: gpd.GeoDataFrame, key: str
) -> None:
    with pytest.raises(InputError) as info:
        validate(frame, SETTLEMENTS, name="desen.geojson")
    msg = info.value.args[0]
    assert msg.key == key
    _check_translated(msg, str(info.value), "desen.geojson")


def test_more_than_twenty_problems_end_with_a_translated_count() -> None:
    problems = [
        note("err.layer.required", field=f"f{i}", rows=note("err.feature_has", n="1"))
        for i in range(23)
    ]
    exc = ValidationError(note("err.layer.refused", name="x.csv", n="23", layer="l"), problems)
    last = str(exc).splitlines()[-1]
    assert last == "  ... and 3 more"
    assert translate(last, "ro") == "  ... și încă 3"
    assert translate(last, "hu") == "  ... és még 3"


def test_error_templates_are_complete_and_distinct() -> None:
    """Every error template has ro/en/hu with the same placeholders and no twin."""
    keys = [k for k in MESSAGES if k.startswith("err.")]
    assert len(keys) > 100
    english = {}
    for key in keys:
        for lang in ("ro", "hu"):
            assert MESSAGES[key][lang] != MESSAGES[key]["en"], (key, lang)
        names = {
            lang: sorted(f for _, f, _, _ in string.Formatter().parse(MESSAGES[key][lang]) if f)
            for lang in ("ro", "en", "hu")
        }
        assert names["ro"] == names["en"] == names["hu"], key
        assert MESSAGES[key]["en"] not in english, (key, english.get(MESSAGES[key]["en"]))
        english[MESSAGES[key]["en"]] = key


# ------------------------------------------------------------------ the Data page


@pytest.fixture()
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from pata_gis.workspace import Workspace

    path = tmp_path / "ws.gpkg"
    ws = Workspace.create(path, author="test")
    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(path))
    monkeypatch.setenv("PATA_GIS_AUTHOR", "Ana Test")
    yield ws


def _page(lang: str) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(PAGE), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["role"] = "planner"
    return at.run()


def test_data_page_in_romanian_shows_the_refusal_and_problems_in_romanian(
    ws: Any, tmp_path: Path
) -> None:
    # points offered to the settlements layer (polygons), without its required fields
    path = tmp_path / "kobo_puncte.geojson"
    gpd.GeoDataFrame(
        {"name": ["A", "B"]}, geometry=[Point(23.60, 46.77), Point(23.61, 46.775)], crs=4326
    ).to_file(path, driver="GeoJSON")
    with pytest.raises(ValidationError) as info:  # the same file, straight to the library
        validate(gpd.read_file(path), ws.spec("settlements"), name=path.name)
    expected = info.value
    at = _page("ro")
    at.selectbox(key="data_import_layer").select("settlements")
    at.radio(key="data_import_mode").set_value("replace")
    at.text_input(key="data_import_path").input(str(path))
    at.button(key="data_import_go").click().run()
    assert not at.exception, at.exception
    error = at.error[0].value
    assert t("data.refused", "ro") in error
    assert translate(expected.message, "ro") in error
    assert (
        "kobo_puncte.geojson: probleme care împiedică încărcarea în stratul „settlements”" in error
    )
    assert "prevent loading" not in error
    listed = " ".join(m.value for m in at.markdown)
    assert expected.problems
    for p in expected.problems:
        assert f"- {translate(p, 'ro')}" in listed
        assert str(p) not in listed
    assert "redesenați-le ca poligoane" in listed


def test_data_page_in_hungarian_shows_a_read_error_in_hungarian(ws: Any, tmp_path: Path) -> None:
    broken = tmp_path / "torott.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [ {"type": ', "utf-8")
    at = _page("hu")
    at.selectbox(key="data_import_layer").select("schools")
    at.text_input(key="data_import_path").input(str(broken))
    at.button(key="data_import_go").click().run()
    assert not at.exception, at.exception
    error = at.error[0].value
    assert t("data.refused", "hu") in error
    assert "torott.geojson nem érvényes GeoJSON: váratlan vége" in error
    assert "is not valid GeoJSON" not in error
