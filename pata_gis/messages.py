"""Notes the library writes for people (assumptions, data gaps), in any interface language.

The analysis modules (:mod:`pata_gis.sites`, :mod:`pata_gis.scenarios`) explain
what they assumed or left out ("criterion 'jobs' has no data: left out"). They
build those notes with :func:`note`, which returns a :class:`Note`: a ``str``
holding the English text (so logs, the CLI and existing callers read it as
before) that also remembers its key and values, so the app and the printed
reports can show it in Romanian, English or Hungarian with :func:`translate`.

Notes that were joined into one string (``" | ".join(notes)``) or lost their
type on the way are matched back against the English templates, part by part.

Examples
--------
>>> from pata_gis.messages import note, translate
>>> n = note("note.no_network")
>>> n
'no street network: walking times to services left out'
>>> translate(n, "ro")
'nu există rețea de străzi: timpii de mers pe jos până la servicii sunt lăsați deoparte'
>>> translate("the jobs layer is empty | " + note("note.centre", source="Piața Unirii"), "en")
'the jobs layer is empty | centre: Piața Unirii'
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from typing import Any

from pata_gis.i18n import STRINGS, register, t

__all__ = ["MESSAGES", "Note", "note", "translate"]

#: The notes' texts. Placeholders are plain names (no format specs): the caller
#: formats numbers, so a joined English text can be matched back to its template.
MESSAGES: dict[str, dict[str, str]] = {
    # --- pata_gis.sites.evaluate --------------------------------------------
    "note.no_facility": {
        "ro": "nu există „{what}” în stratul „{layer}”: criteriul este lăsat deoparte",
        "en": "no {what} in layer '{layer}': criterion left out",
        "hu": "nincs „{what}” a(z) „{layer}” rétegben: a szempont kimarad",
    },
    "note.no_network": {
        "ro": "nu există rețea de străzi: timpii de mers pe jos până la servicii sunt lăsați "
        "deoparte",
        "en": "no street network: walking times to services left out",
        "hu": "nincs utcahálózat: a szolgáltatásokig tartó gyaloglási idők kimaradnak",
    },
    "note.no_landfill": {
        "ro": "nu există stratul depozitului: zona de protecție sanitară nu este verificată",
        "en": "no landfill layer: the sanitary-zone constraint is not checked",
        "hu": "nincs lerakóréteg: az egészségügyi védőövezetet nem ellenőrizzük",
    },
    "note.criterion_no_data": {
        "ro": "criteriul „{criterion}” nu are date: este lăsat deoparte",
        "en": "criterion '{criterion}' has no data: left out",
        "hu": "a(z) „{criterion}” szemponthoz nincs adat: kimarad",
    },
    # --- pata_gis.scenarios: households -------------------------------------
    "note.households_from_people": {
        "ro": "{name}: {n} gospodării = {people} persoane / {size}",
        "en": "{name}: {n} households = {people} people / {size}",
        "hu": "{name}: {n} háztartás = {people} fő / {size}",
    },
    "note.households_unknown": {
        "ro": "{names}: număr de gospodării necunoscut; cele {rest} gospodării rămase din "
        "aproximativ {total} familii sunt împărțite în mod egal",
        "en": "{names}: households unknown; the {rest} households left of about {total} "
        "families are shared equally",
        "hu": "{names}: a háztartások száma ismeretlen; a mintegy {total} családból maradó "
        "{rest} háztartást egyenlően osztjuk el",
    },
    # --- pata_gis.scenarios: metrics ----------------------------------------
    "note.legal_distance": {
        "ro": "distanța legală de {distance} m față de celulele active: {reference}",
        "en": "legal distance {distance} m from the active cells: {reference}",
        "hu": "törvényes távolság az aktív celláktól {distance} m: {reference}",
    },
    "note.exposure": {
        "ro": "indicele de expunere la depozit (pata_gis.pollution, lungime de atenuare "
        "{decay} m) mediat pe conturul fiecărui loc; un indice pentru compararea locurilor, "
        "nu o doză",
        "en": "landfill exposure index (pata_gis.pollution, decay length {decay} m) averaged "
        "over each location's outline; an index for comparing places, not a dose",
        "hu": "lerakó-kitettségi index (pata_gis.pollution, csillapodási hossz {decay} m) "
        "minden hely körvonalára átlagolva; helyek összehasonlítására szolgáló index, nem dózis",
    },
    "note.exposure_wind": {
        "ro": "indicele de expunere la depozit (pata_gis.pollution, lungime de atenuare "
        "{decay} m, cu roza vânturilor) mediat pe conturul fiecărui loc; un indice pentru "
        "compararea locurilor, nu o doză",
        "en": "landfill exposure index (pata_gis.pollution, decay length {decay} m, with wind "
        "rose) averaged over each location's outline; an index for comparing places, not a dose",
        "hu": "lerakó-kitettségi index (pata_gis.pollution, csillapodási hossz {decay} m, "
        "szélrózsával) minden hely körvonalára átlagolva; helyek összehasonlítására szolgáló "
        "index, nem dózis",
    },
    "note.centre": {
        "ro": "centrul: {source}",
        "en": "centre: {source}",
        "hu": "központ: {source}",
    },
    "note.no_facilities_given": {
        "ro": "nu sunt date unități de tip „{kind}”: timpul nu este calculat",
        "en": "no {kind} facilities given: no time computed",
        "hu": "nincs megadott „{kind}” intézmény: az időt nem számoljuk",
    },
    "note.no_jobs": {
        "ro": "nu sunt date locuri de muncă (stratul de locuri de muncă este gol): timpul "
        "până la locurile de muncă este necunoscut",
        "en": "no job locations given (the jobs layer is empty): time to jobs unknown",
        "hu": "nincsenek megadott munkahelyek (a munkahelyréteg üres): a munkahelyekig tartó "
        "idő ismeretlen",
    },
    "note.far_from_network": {
        "ro": "{n} loc(uri) la peste 500 m de rețea ({names}): drumul până la rețea este în "
        "linie dreaptă",
        "en": "{n} location(s) more than 500 m from the network ({names}): the walk to the "
        "network is straight",
        "hu": "{n} hely 500 m-nél távolabb a hálózattól ({names}): a hálózatig légvonalban "
        "gyalogolunk",
    },
    "note.network_walk": {
        "ro": "mers pe jos pe rețeaua de străzi ({source})",
        "en": "walk by the street network ({source})",
        "hu": "gyaloglás az utcahálózaton ({source})",
    },
    "note.no_network_straight": {
        "ro": "FĂRĂ REȚEA: linie dreaptă × {detour} ocol, cu {speed} km/h",
        "en": "NO NETWORK: straight line x {detour} detour at {speed} km/h",
        "hu": "NINCS HÁLÓZAT: légvonal × {detour} kerülő, {speed} km/h",
    },
    "note.layer_empty": {
        "ro": "stratul „{layer}” este gol",
        "en": "the {layer} layer is empty",
        "hu": "a(z) „{layer}” réteg üres",
    },
    "note.kind.school": {"ro": "școală", "en": "school", "hu": "iskola"},
    "note.kind.family_doctor": {
        "ro": "medic de familie",
        "en": "family doctor",
        "hu": "háziorvos",
    },
    "note.given_network": {
        "ro": "rețeaua dată",
        "en": "given network",
        "hu": "a megadott hálózat",
    },
}
register(MESSAGES)


class Note(str):
    """A note's English text that also knows its key and values.

    Build it with :func:`note`. Values that are themselves :class:`Note` (a
    translatable word inside a note) are translated with it.
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, params: dict[str, Any] | None = None) -> Note:
        values = dict(params or {})
        text = t(key, "en", **{k: str(v) for k, v in values.items()})
        obj = super().__new__(cls, text)
        obj.key = key
        obj.params = values
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        # st.cache_data pickles results: keep the key and values, not just the text
        return (Note, (self.key, self.params))

    def in_language(self, lang: str | None) -> str:
        """The note in `lang` (``"ro"``, ``"en"`` or ``"hu"``)."""
        values = {
            k: v.in_language(lang) if isinstance(v, Note) else str(v)
            for k, v in self.params.items()
        }
        return t(self.key, lang, **values)


def note(key: str, **params: Any) -> Note:
    """A note for people, by its key in :data:`MESSAGES` (or any registered key).

    Parameters
    ----------
    key : str
        The message key, such as ``"note.no_network"``.
    **params
        Values for its placeholders, already formatted as the text should show
        them (numbers rounded by the caller); a :class:`Note` value is translated
        with the note.

    Returns
    -------
    Note
        A ``str`` with the English text.
    """
    if key not in STRINGS:
        raise KeyError(f"no message {key!r}; add it to pata_gis.messages.MESSAGES")
    return Note(key, params)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str], list[str]]]:
    out = []
    for key, entry in MESSAGES.items():
        names: list[str] = []
        regex = ""
        for literal, field, _spec, _conv in string.Formatter().parse(entry["en"]):
            regex += re.escape(literal)
            if field is not None:
                if field in names:
                    regex += f"(?P={field})"
                else:
                    names.append(field)
                    regex += f"(?P<{field}>.+?)"
        out.append((key, re.compile(regex, re.DOTALL), names))
    # the most specific templates (most literal text) first
    out.sort(key=lambda item: -len(item[1].pattern))
    return out


def _match(text: str, lang: str | None) -> str:
    for key, pattern, _names in _patterns():
        m = pattern.fullmatch(text)
        if m:
            return t(key, lang, **{k: _match(v, lang) for k, v in m.groupdict().items()})
    return text


def translate(text: Any, lang: str | None) -> str:
    """Show a library note in `lang`.

    Parameters
    ----------
    text : str or Note
        A :class:`Note`, an English note text, several joined with ``" | "``,
        or any other text (returned unchanged).
    lang : str
        ``"ro"``, ``"en"`` or ``"hu"``.
    """
    if isinstance(text, Note):
        return text.in_language(lang)
    parts = str(text).split(" | ")
    return " | ".join(_match(part, lang) for part in parts)
