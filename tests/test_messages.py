"""Library notes (assumptions, data gaps) read in every interface language."""

from __future__ import annotations

import pickle
import string

import pytest

from pata_gis.i18n import t
from pata_gis.messages import MESSAGES, Note, note, translate


def test_a_note_is_its_english_text_and_translates() -> None:
    n = note("note.households_unknown", names="Cantonului, Dallas", rest="120", total=300)
    assert isinstance(n, str)
    assert n == (
        "Cantonului, Dallas: households unknown; the 120 households left of about 300 "
        "families are shared equally"
    )
    ro = translate(n, "ro")
    assert ro.startswith("Cantonului, Dallas: număr de gospodării necunoscut; cele 120")
    assert translate(n, "hu").startswith("Cantonului, Dallas: a háztartások száma ismeretlen")
    assert translate(n, "en") == n


def test_a_translatable_word_inside_a_note_is_translated_with_it() -> None:
    n = note("note.no_facilities_given", kind=note("note.kind.family_doctor"))
    assert n == "no family doctor facilities given: no time computed"
    assert (
        translate(n, "ro")
        == "nu sunt date unități de tip „medic de familie”: timpul nu este calculat"
    )


def test_notes_survive_pickling_as_streamlit_caches_them() -> None:
    n = note("note.no_facility", what=note("place.cat.school"), layer="schools")
    back = pickle.loads(pickle.dumps([n]))[0]
    assert isinstance(back, Note) and back == n
    assert translate(back, "ro") == translate(n, "ro") != n


def test_joined_english_notes_are_matched_back_part_by_part() -> None:
    a = note("note.legal_distance", distance="1000", reference="Ordinul MS 119/2014")
    b = note("note.network_walk", source=note("note.given_network"))
    joined = " | ".join([a, b, "a text that is no note"])
    assert type(joined) is str  # the join lost the Note type
    ro = translate(joined, "ro").split(" | ")
    assert ro[0] == "distanța legală de 1000 m față de celulele active: Ordinul MS 119/2014"
    # the nested word was English text by then; it is matched back too
    assert ro[1] == "mers pe jos pe rețeaua de străzi (rețeaua dată)"
    assert ro[2] == "a text that is no note"


def test_unknown_key_is_refused_naming_where_to_add_it() -> None:
    with pytest.raises(KeyError, match=r"pata_gis\.messages\.MESSAGES"):
        note("note.nope")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_three_languages_with_the_same_plain_placeholders(key: str) -> None:
    fields = {}
    for lang in ("ro", "en", "hu"):
        parsed = list(string.Formatter().parse(MESSAGES[key][lang]))
        fields[lang] = sorted(f for _, f, _, _ in parsed if f is not None)
        # plain names only: a joined English text must be matchable to its template
        assert all(not spec and not conv for _, f, spec, conv in parsed if f is not None)
    assert fields["ro"] == fields["en"] == fields["hu"]
    assert t(key, "ro") != t(key, "en") or key == "note.centre"


def test_sites_and_scenarios_notes_come_out_in_romanian() -> None:
    """The real notes of the two modules, not only hand-made ones."""
    import geopandas as gpd
    from shapely.geometry import box

    from pata_gis import sites

    # two 100 m squares and a settlement in Cluj-Napoca (Stereo 70); no landfill, no network
    cand = gpd.GeoDataFrame(
        {"name": ["A", "B"]},
        geometry=[box(393000, 586000, 393100, 586100), box(394000, 586000, 394100, 586100)],
        crs="EPSG:3844",
    )
    settlements = gpd.GeoDataFrame(
        {"name": ["S"]}, geometry=[box(396000, 586000, 396300, 586300)], crs="EPSG:3844"
    )
    ev = sites.evaluate({"candidate_sites": cand, "settlements": settlements}, network=None)
    assert all(isinstance(n, Note) for n in ev.notes), ev.notes
    by_key = {n.key: n for n in ev.notes}
    assert {"note.no_network", "note.no_landfill"} <= set(by_key)
    assert translate(by_key["note.no_landfill"], "ro") == (
        "nu există stratul depozitului: zona de protecție sanitară nu este verificată"
    )
    for n in ev.notes:
        assert translate(n, "ro") != n
