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
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from pata_gis.i18n import STRINGS, register, t

__all__ = ["MESSAGES", "Note", "features_phrase", "note", "translate"]

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
    # --- errors: feature lists (pata_gis.messages.features_phrase) ----------
    "err.n_more": {
        "ro": "{shown} și încă {more}",
        "en": "{shown} and {more} more",
        "hu": "{shown} és még {more}",
    },
    "err.feature": {"ro": "obiectul {n}", "en": "feature {n}", "hu": "a(z) {n}. objektum"},
    "err.features": {
        "ro": "obiectele {n}",
        "en": "features {n}",
        "hu": "a(z) {n} sorszámú objektumok",
    },
    "err.feature_has": {
        "ro": "obiectul {n} are",
        "en": "feature {n} has",
        "hu": "a(z) {n}. objektumnak",
    },
    "err.features_have": {
        "ro": "obiectele {n} au",
        "en": "features {n} have",
        "hu": "a(z) {n} sorszámú objektumoknak",
    },
    "err.feature_is": {
        "ro": "obiectul {n} este",
        "en": "feature {n} is",
        "hu": "a(z) {n}. objektum",
    },
    "err.features_are": {
        "ro": "obiectele {n} sunt",
        "en": "features {n} are",
        "hu": "a(z) {n} sorszámú objektumok",
    },
    "err.more_problems": {
        "ro": "... și încă {more}",
        "en": "... and {more} more",
        "hu": "... és még {more}",
    },
    # --- errors: pata_gis.crs.check -----------------------------------------
    "err.region.cluj": {
        "ro": "zonei Cluj-Napoca ({x0}–{x1} E, {y0}–{y1} N)",
        "en": "the Cluj-Napoca area ({x0}–{x1} E, {y0}–{y1} N)",
        "hu": "Kolozsvár környéke (k. h. {x0}–{x1}, é. sz. {y0}–{y1})",
    },
    "err.region.romania": {
        "ro": "României ({x0}–{x1} E, {y0}–{y1} N)",
        "en": "Romania ({x0}–{x1} E, {y0}–{y1} N)",
        "hu": "Románia (k. h. {x0}–{x1}, é. sz. {y0}–{y1})",
    },
    "err.crs.none": {
        "ro": "{name}: nu este setat niciun sistem de coordonate (CRS). Dacă coordonatele sunt "
        "longitudine/latitudine în grade, declarați EPSG:4326; dacă sunt metri Stereo 70, "
        "EPSG:3844 (în linia de comandă: --crs EPSG:4326; în Python: "
        "gdf.set_crs('EPSG:4326')).",
        "en": "{name}: no coordinate reference system (CRS) is set. If the coordinates are "
        "longitude/latitude in degrees, declare EPSG:4326; if they are Stereo 70 metres, "
        "EPSG:3844 (in the command line: --crs EPSG:4326; in Python: "
        "gdf.set_crs('EPSG:4326')).",
        "hu": "{name}: nincs megadva koordináta-rendszer (CRS). Ha a koordináták fokban "
        "megadott hosszúság/szélesség értékek, adja meg az EPSG:4326-ot; ha Stereo 70 méterek, "
        "az EPSG:3844-et (parancssorban: --crs EPSG:4326; Pythonban: "
        "gdf.set_crs('EPSG:4326')).",
    },
    "err.crs.hint_stereo": {
        "ro": "numerele par a fi metri Stereo 70: declarați în schimb EPSG:3844",
        "en": "the numbers look like Stereo 70 metres: declare EPSG:3844 instead",
        "hu": "a számok Stereo 70 méternek tűnnek: adja meg helyette az EPSG:3844-et",
    },
    "err.crs.hint_not_degrees": {
        "ro": "acestea nu sunt grade: declarați sistemul de coordonate în care au fost create "
        "datele",
        "en": "these are not degrees: declare the CRS the data was made in",
        "hu": "ezek nem fokok: adja meg azt a koordináta-rendszert, amelyben az adatok készültek",
    },
    "err.crs.beyond": {
        "ro": "{name}: {rows} coordonate dincolo de ±180° longitudine sau ±90° latitudine, deși "
        "sistemul de coordonate {crs} este în grade; {hint}.",
        "en": "{name}: {rows} coordinates beyond ±180° longitude or ±90° latitude although the "
        "CRS {crs} is in degrees; {hint}.",
        "hu": "{name}: {rows} ±180° hosszúságon vagy ±90° szélességen túli koordinátái vannak, "
        "pedig a(z) {crs} koordináta-rendszer fokban mér; {hint}.",
    },
    "err.crs.swapped": {
        "ro": "{name}: {rows} latitudinea și longitudinea în ordine inversă (x între {y0} și "
        "{y1}, y între {x0} și {x1}: adică latitudinea este în x). Inversați coloanele astfel "
        "încât x să fie longitudinea și y latitudinea, sau exportați din nou cu longitudinea "
        "prima.",
        "en": "{name}: {rows} latitude/longitude in the wrong order (x between {y0} and {y1}, "
        "y between {x0} and {x1}: that is latitude in x). Swap the columns so x is longitude "
        "and y is latitude, or re-export with longitude first.",
        "hu": "{name}: {rows} fordított sorrendben van a szélessége és a hosszúsága (x {y0} és "
        "{y1} között, y {x0} és {x1} között: vagyis x-ben a szélesség áll). Cserélje fel az "
        "oszlopokat, hogy x a hosszúság és y a szélesség legyen, vagy exportálja újra "
        "hosszúsággal elöl.",
    },
    "err.crs.degrees_as_metres": {
        "ro": "{name}: sistemul de coordonate {crs} este în metri, dar toate coordonatele sunt "
        "mai mici de 180: par a fi grade de longitudine/latitudine. Declarați în schimb "
        "EPSG:4326.",
        "en": "{name}: the CRS {crs} is in metres but every coordinate is smaller than 180: "
        "these look like longitude/latitude degrees. Declare EPSG:4326 instead.",
        "hu": "{name}: a(z) {crs} koordináta-rendszer méterben mér, de minden koordináta "
        "kisebb 180-nál: ezek hosszúsági/szélességi foknak tűnnek. Adja meg helyette az "
        "EPSG:4326-ot.",
    },
    "err.crs.unconvertible": {
        "ro": "{name}: {rows} coordonate care nu pot fi convertite din {crs} în "
        "longitudine/latitudine; verificați că sistemul de coordonate declarat este cel în "
        "care au fost create datele.",
        "en": "{name}: {rows} coordinates that cannot be converted from {crs} to "
        "longitude/latitude; check that the declared CRS is the one the data was made in.",
        "hu": "{name}: {rows} olyan koordinátái vannak, amelyek nem alakíthatók át {crs} "
        "rendszerből hosszúság/szélesség értékekre; ellenőrizze, hogy a megadott "
        "koordináta-rendszer az-e, amelyben az adatok készültek.",
    },
    "err.crs.outside": {
        "ro": "{name}: {rows} o poziție în afara {region} ({k} din {n}), de exemplu "
        "obiectul {first} la {lat} N, {lon} E (citit cu sistemul de coordonate {crs}). "
        "Verificați sistemul de coordonate declarat sau eliminați obiectele care nu aparțin "
        "acestei zone.",
        "en": "{name}: {rows} a position outside {region} ({k} of {n}), e.g. feature {first} "
        "at {lat} N, {lon} E (as read with CRS {crs}). Check the declared CRS, or remove the "
        "features that do not belong to this area.",
        "hu": "{name}: {rows} a helyzete kívül esik ezen a területen: {region} ({k} / {n}), "
        "pl. a(z) {first}. objektum itt van: é. sz. {lat}, k. h. {lon} ({crs} "
        "koordináta-rendszerrel olvasva). Ellenőrizze a megadott koordináta-rendszert, vagy "
        "törölje a területhez nem tartozó objektumokat.",
    },
    # --- errors: pata_gis.layers.validate -----------------------------------
    "err.geom.point": {"ro": "punct", "en": "point", "hu": "pont"},
    "err.geom.line": {"ro": "linie", "en": "line", "hu": "vonal"},
    "err.geom.polygon": {"ro": "poligon", "en": "polygon", "hu": "sokszög"},
    "err.geom.other": {"ro": "alt tip", "en": "other", "hu": "más típusú"},
    "err.geom.points": {"ro": "puncte", "en": "points", "hu": "pontokként"},
    "err.geom.lines": {"ro": "linii", "en": "lines", "hu": "vonalakként"},
    "err.geom.polygons": {"ro": "poligoane", "en": "polygons", "hu": "sokszögekként"},
    "err.layer.no_geometry": {
        "ro": "{name}: nu are coloană de geometrie; stratul „{layer}” are nevoie de obiecte de "
        "tip {geom}",
        "en": "{name}: no geometry column; layer '{layer}' needs {geom} features",
        "hu": "{name}: nincs geometriaoszlop; a(z) „{layer}” réteghez {geom} típusú objektumok "
        "kellenek",
    },
    "err.layer.empty": {
        "ro": "{name}: stratul este gol (0 obiecte); verificați că ați ales fișierul potrivit "
        "sau stratul potrivit din el",
        "en": "{name}: the layer is empty (0 features); check that you picked the right file "
        "or layer inside it",
        "hu": "{name}: a réteg üres (0 objektum); ellenőrizze, hogy a megfelelő fájlt vagy azon "
        "belül a megfelelő réteget választotta-e",
    },
    "err.layer.bad_type": {
        "ro": "câmpul „{field}”: {rows} nu poate fi citit ca {type} ({examples}); corectați "
        "valorile sau lăsați-le goale",
        "en": "field '{field}': {rows} cannot be read as {type} ({examples}); correct the values "
        "or leave them empty",
        "hu": "„{field}” mező: {rows} értéke nem olvasható {type} típusként ({examples}); "
        "javítsa ki az értékeket, vagy hagyja üresen őket",
    },
    "err.layer.not_allowed": {
        "ro": "câmpul „{field}”: {rows} valori care nu sunt permise ({examples}); folosiți una "
        "dintre: {choices}",
        "en": "field '{field}': {rows} values that are not allowed ({examples}); use one of: "
        "{choices}",
        "hu": "„{field}” mező: {rows} nem megengedett értékei vannak ({examples}); használja "
        "ezek egyikét: {choices}",
    },
    "err.layer.out_of_range": {
        "ro": "câmpul „{field}”: {rows} în afara intervalului permis {low} – {high}; corectați-le",
        "en": "field '{field}': {rows} outside the allowed range {low} to {high}; correct them",
        "hu": "„{field}” mező: {rows} kívül esik a megengedett {low} – {high} tartományon; "
        "javítsa ki őket",
    },
    "err.layer.field_missing": {
        "ro": "câmpul „{field}” lipsește; adăugați o coloană „{field}” de tip {type}",
        "en": "field '{field}' is missing; add a column '{field}' of type {type}",
        "hu": "hiányzik a(z) „{field}” mező; adjon hozzá egy {type} típusú „{field}” oszlopot",
    },
    "err.layer.field_missing_hint": {
        "ro": "câmpul „{field}” lipsește; adăugați o coloană „{field}” de tip {type} ({hint})",
        "en": "field '{field}' is missing; add a column '{field}' of type {type} ({hint})",
        "hu": "hiányzik a(z) „{field}” mező; adjon hozzá egy {type} típusú „{field}” oszlopot "
        "({hint})",
    },
    "err.layer.hint.source": {
        "ro": "spuneți de unde provine fiecare obiect: un document, un sondaj, un atelier",
        "en": "say where each feature comes from: a document, a survey, a workshop",
        "hu": "adja meg, honnan származik az egyes objektum: dokumentumból, felmérésből, műhelyből",
    },
    "err.layer.hint.accuracy_m": {
        "ro": "la câți metri poate fi o poziție desenată de cea reală",
        "en": "how far in metres a drawn position may be from the real one",
        "hu": "hány méterre lehet egy rajzolt hely a valóditól",
    },
    "err.layer.required": {
        "ro": "câmpul „{field}”: {rows} valoare lipsă; câmpul este obligatoriu",
        "en": "field '{field}': {rows} no value; it is required",
        "hu": "„{field}” mező: {rows} nincs értéke; kötelező kitölteni",
    },
    "err.layer.wrong_family": {
        "ro": "{rows} {kinds}, dar stratul „{layer}” conține obiecte de tip {want}; mutați-le "
        "într-un strat de tip {other} sau redesenați-le ca {wants}",
        "en": "{rows} {kinds} but layer '{layer}' holds {want} features; put them in a {other} "
        "layer or redraw them as {wants}",
        "hu": "{rows} {kinds}, de a(z) „{layer}” réteg {want} típusú objektumokat tartalmaz; "
        "tegye őket egy {other} típusú rétegbe, vagy rajzolja újra őket {wants}",
    },
    "err.layer.nan_coords": {
        "ro": "{rows} coordonate lipsă (NaN) sau infinite; completați coordonatele sau ștergeți "
        "acele rânduri",
        "en": "{rows} missing (NaN) or infinite coordinates; fill in the coordinates or delete "
        "those rows",
        "hu": "{rows} hiányzó (NaN) vagy végtelen koordinátái vannak; töltse ki a koordinátákat, "
        "vagy törölje ezeket a sorokat",
    },
    "err.layer.unrepairable": {
        "ro": "{feature}: geometrie nevalidă ({reason}) care nu poate fi reparată fără a o "
        "pierde; redesenați-o",
        "en": "{feature}: invalid geometry ({reason}) that cannot be repaired without losing "
        "it; redraw it",
        "hu": "{feature}: érvénytelen geometria ({reason}), amely nem javítható anélkül, hogy "
        "elvesszen; rajzolja újra",
    },
    "err.layer.refused": {
        "ro": "{name}: probleme care împiedică încărcarea în stratul „{layer}”: {n}; nu s-a "
        "salvat nimic",
        "en": "{name}: {n} problem(s) prevent loading it into layer '{layer}'; nothing was saved",
        "hu": "{name}: {n} probléma miatt nem tölthető be a(z) „{layer}” rétegbe; semmi sem "
        "lett mentve",
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


def features_phrase(numbers: Iterable[int], *, limit: int = 5, verb: str | None = None) -> Note:
    """Name features in any language: "feature 3 has", "features 1, 2 and 4 more are".

    Parameters
    ----------
    numbers : iterable of int
        The 1-based feature (or row) numbers.
    limit : int
        How many to name before "and N more".
    verb : {None, "has", "is"}
        The verb that follows the list, agreeing with its number.

    Returns
    -------
    Note
        For example ``"features 1, 2 have"`` in English.
    """
    nums = [int(i) for i in numbers]
    shown: str | Note = ", ".join(str(i) for i in nums[:limit])
    if len(nums) > limit:
        shown = note("err.n_more", shown=shown, more=str(len(nums) - limit))
    single = len(nums) == 1
    key = {
        None: "err.feature" if single else "err.features",
        "has": "err.feature_has" if single else "err.features_have",
        "is": "err.feature_is" if single else "err.features_are",
    }[verb]
    return note(key, n=shown)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, list[re.Pattern[str]]]]:
    out = []
    for key, entry in MESSAGES.items():
        variants = []
        # placeholders matched shortest-first, then longest-first: a value holding the
        # template's own punctuation ("Romania (20–30 E, ...) (1 of 2)") may need either
        for quant in ("+?", "+"):
            names: list[str] = []
            regex = ""
            for literal, field, _spec, _conv in string.Formatter().parse(entry["en"]):
                regex += re.escape(literal)
                if field is not None:
                    if field in names:
                        regex += f"(?P={field})"
                    else:
                        names.append(field)
                        regex += f"(?P<{field}>.{quant})"
            variants.append(re.compile(regex, re.DOTALL))
        out.append((key, variants))
    # the most specific templates (most literal text) first
    out.sort(key=lambda item: -len(item[1][0].pattern))
    return out


def _match_scored(text: str, lang: str | None) -> tuple[str, int]:
    """`text` in `lang` and how many templates it was made of (0: no template)."""
    for key, variants in _patterns():
        best: tuple[str, int] | None = None
        for pattern in variants:
            m = pattern.fullmatch(text)
            if not m:
                continue
            values, score = {}, 1
            for name, value in m.groupdict().items():
                values[name], sub = _match_scored(value, lang)
                score += sub
            if best is None or score > best[1]:
                best = (t(key, lang, **values), score)
        if best is not None:
            return best
    return text, 0


def _match(text: str, lang: str | None) -> str:
    return _match_scored(text, lang)[0]


def translate(text: Any, lang: str | None) -> str:
    """Show a library note in `lang`.

    Parameters
    ----------
    text : str or Note
        A :class:`Note`, an English note text, several joined with ``" | "``
        or on separate lines (an error message with its list of problems, each
        line may start with ``"  - "``), or any other text (returned unchanged).
    lang : str
        ``"ro"``, ``"en"`` or ``"hu"``.
    """
    if isinstance(text, Note):
        return text.in_language(lang)
    parts = str(text).split(" | ")
    return " | ".join("\n".join(_line(line, lang) for line in part.split("\n")) for part in parts)


_BULLET = re.compile(r"(\s*(?:- )?)(.*)", re.DOTALL)


def _line(line: str, lang: str | None) -> str:
    """One line of a message, its indent and list bullet kept (as in a ValidationError)."""
    m = _BULLET.fullmatch(line)
    assert m is not None  # the pattern matches any text
    return m.group(1) + _match(m.group(2), lang)
