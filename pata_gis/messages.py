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

__all__ = ["MESSAGES", "Note", "error_text", "features_phrase", "join_notes", "note", "translate"]

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
    # --- errors: pata_gis.io.read -------------------------------------------
    "err.io.and": {
        "ro": "{first} și {last}",
        "en": "{first} and {last}",
        "hu": "{first} és {last}",
    },
    "err.io.nothing": {"ro": "nimic", "en": "nothing", "hu": "semmit"},
    "err.io.none": {"ro": "niciunul", "en": "none", "hu": "nincs ilyen"},
    "err.io.none_paren": {"ro": "(niciuna)", "en": "(none)", "hu": "(egy sincs)"},
    "err.io.unknown_encoding": {
        "ro": "{path}: codificare necunoscută {encoding}; dați de exemplu encoding='utf-8' sau "
        "'cp1250'.",
        "en": "{path}: unknown encoding {encoding}; pass e.g. encoding='utf-8' or 'cp1250'.",
        "hu": "{path}: ismeretlen kódolás: {encoding}; adja meg pl. az encoding='utf-8' vagy "
        "'cp1250' értéket.",
    },
    "err.io.bad_encoding": {
        "ro": "{path} nu este text {encoding} valid (octetul {byte} al fișierului); dați "
        "codificarea reală a fișierului, de exemplu encoding='cp1250' pentru fișiere Windows "
        "românești sau encoding='utf-8', ori salvați-l din nou ca UTF-8.",
        "en": "{path} is not valid {encoding} text (byte {byte} of the file); pass the file's "
        "real encoding, e.g. encoding='cp1250' for Romanian Windows files or encoding='utf-8', "
        "or re-save it as UTF-8.",
        "hu": "{path} nem érvényes {encoding} szöveg (a fájl {byte}. bájtja); adja meg a fájl "
        "valódi kódolását, pl. encoding='cp1250' román Windows-fájlokhoz vagy "
        "encoding='utf-8', vagy mentse újra UTF-8 kódolással.",
    },
    "err.io.not_utf8_cp1250": {
        "ro": "{path} nu este text nici UTF-8, nici cp1250 (octetul {byte}); salvați-l din nou "
        "ca UTF-8 sau dați-i codificarea cu encoding=.",
        "en": "{path} is neither UTF-8 nor cp1250 text (byte {byte}); re-save it as UTF-8 or "
        "pass its encoding=.",
        "hu": "{path} sem UTF-8, sem cp1250 szöveg ({byte}. bájt); mentse újra UTF-8 "
        "kódolással, vagy adja meg a kódolását (encoding=).",
    },
    "err.io.no_such_file": {
        "ro": "{path}: nu există acest fișier sau dosar; verificați calea și numele fișierului.",
        "en": "{path}: no such file or folder; check the path and the file name.",
        "hu": "{path}: nincs ilyen fájl vagy mappa; ellenőrizze az elérési utat és a fájlnevet.",
    },
    "err.io.no_such_path": {
        "ro": "{path}: nu există acest fișier sau dosar; verificați calea.",
        "en": "{path}: no such file or folder; check the path.",
        "hu": "{path}: nincs ilyen fájl vagy mappa; ellenőrizze az elérési utat.",
    },
    "err.io.zero_bytes": {
        "ro": "{path} este gol (0 octeți); exportul sau copierea a eșuat: exportați din nou "
        "stratul.",
        "en": "{path} is empty (0 bytes); the export or copy failed: export the layer again.",
        "hu": "{path} üres (0 bájt); az exportálás vagy a másolás nem sikerült: exportálja újra "
        "a réteget.",
    },
    "err.io.unknown_type": {
        "ro": "{path}: tip de fișier necunoscut {ext}; salvați-l sau redenumiți-l cu una dintre "
        "extensiile {extensions} (GeoJSON, GeoPackage, Shapefile, KML, CSV, GPX, OSM, GTFS).",
        "en": "{path}: unknown file type {ext}; save or rename it as one of {extensions} "
        "(GeoJSON, GeoPackage, Shapefile, KML, CSV, GPX, OSM, GTFS).",
        "hu": "{path}: ismeretlen fájltípus: {ext}; mentse el vagy nevezze át ezek egyikére: "
        "{extensions} (GeoJSON, GeoPackage, Shapefile, KML, CSV, GPX, OSM, GTFS).",
    },
    "err.io.cannot_read": {
        "ro": "{path} nu poate fi citit ({error}); {fix}",
        "en": "{path} cannot be read ({error}); {fix}",
        "hu": "{path} nem olvasható ({error}); {fix}",
    },
    "err.io.cannot_open": {
        "ro": "{path} nu poate fi deschis ({error}); exportați-l din nou.",
        "en": "{path} cannot be opened ({error}); export it again.",
        "hu": "{path} nem nyitható meg ({error}); exportálja újra.",
    },
    "err.io.bad_geometry": {
        "ro": "{path} conține o geometrie care nu poate fi construită ({error}), de exemplu un "
        "inel de poligon cu prea puține puncte; reparați-o la sursă (QGIS: Fix geometries) și "
        "exportați din nou.",
        "en": "{path} holds a geometry that cannot be built ({error}), e.g. a polygon ring with "
        "too few points; repair it at the source (QGIS: Fix geometries) and export it again.",
        "hu": "{path} olyan geometriát tartalmaz, amely nem építhető fel ({error}), pl. túl kevés "
        "pontból álló sokszöggyűrűt; javítsa ki a forrásban (QGIS: Fix geometries), és "
        "exportálja újra.",
    },
    "err.io.fix.geojson": {
        "ro": "exportați din nou fișierul ca GeoJSON.",
        "en": "re-export the file as GeoJSON.",
        "hu": "exportálja újra a fájlt GeoJSON formátumban.",
    },
    "err.io.fix.gpkg": {
        "ro": "fișierul GeoPackage poate fi deteriorat: exportați-l din nou.",
        "en": "the GeoPackage may be damaged: export it again.",
        "hu": "a GeoPackage sérült lehet: exportálja újra.",
    },
    "err.io.fix.shp": {
        "ro": "shapefile-ul poate fi deteriorat: exportați-l din nou.",
        "en": "the shapefile may be damaged: export it again.",
        "hu": "a shapefile sérült lehet: exportálja újra.",
    },
    "err.io.fix.kml": {
        "ro": "exportați-l din nou ca KML (File > Export to KML/KMZ în Google Earth sau My Maps).",
        "en": "export it again as KML (File > Export to KML/KMZ in Google Earth or My Maps).",
        "hu": "exportálja újra KML formátumban (File > Export to KML/KMZ a Google Earth-ben vagy "
        "a My Maps-ben).",
    },
    "err.io.fix.gpx": {
        "ro": "exportați din nou datele GPS ca GPX.",
        "en": "export the GPS data again as GPX.",
        "hu": "exportálja újra a GPS-adatokat GPX formátumban.",
    },
    "err.io.fix.osm": {
        "ro": "descărcați sau exportați din nou datele OpenStreetMap (.osm XML sau .osm.pbf).",
        "en": "download or export the OpenStreetMap data again (.osm XML or .osm.pbf).",
        "hu": "töltse le vagy exportálja újra az OpenStreetMap-adatokat (.osm XML vagy .osm.pbf).",
    },
    "err.io.geojson_binary": {
        "ro": "{path} conține date binare, nu text GeoJSON; verificați că ați ales fișierul "
        "potrivit sau exportați din nou stratul ca GeoJSON.",
        "en": "{path} holds binary data, not GeoJSON text; check you picked the right file, or "
        "export the layer again as GeoJSON.",
        "hu": "{path} bináris adatokat tartalmaz, nem GeoJSON szöveget; ellenőrizze, hogy a "
        "megfelelő fájlt választotta-e, vagy exportálja újra a réteget GeoJSON formátumban.",
    },
    "err.io.geojson_not_utf8": {
        "ro": "{path} nu este text UTF-8 (octet nevalid la poziția {byte}); GeoJSON trebuie să "
        "fie UTF-8: salvați din nou fișierul ca UTF-8 sau exportați-l din nou.",
        "en": "{path} is not UTF-8 text (invalid byte at position {byte}); GeoJSON must be "
        "UTF-8: re-save the file as UTF-8 or export it again.",
        "hu": "{path} nem UTF-8 szöveg (érvénytelen bájt a(z) {byte}. pozíción); a GeoJSON-nak "
        "UTF-8 kódolásúnak kell lennie: mentse újra a fájlt UTF-8 kódolással, vagy exportálja "
        "újra.",
    },
    "err.io.geojson_blank": {
        "ro": "{path} conține doar spații goale; exportați din nou stratul ca GeoJSON.",
        "en": "{path} holds only blank space; export the layer again as GeoJSON.",
        "hu": "{path} csak üres karaktereket tartalmaz; exportálja újra a réteget GeoJSON "
        "formátumban.",
    },
    "err.io.json_cut": {
        "ro": "sfârșit neașteptat la linia {line} (fișierul este trunchiat)",
        "en": "unexpected end at line {line} (the file is cut short)",
        "hu": "váratlan vége a(z) {line}. sorban (a fájl csonka)",
    },
    "err.io.json_at": {
        "ro": "{msg} la linia {line}, coloana {column}",
        "en": "{msg} at line {line}, column {column}",
        "hu": "{msg} a(z) {line}. sor {column}. oszlopában",
    },
    "err.io.geojson_invalid": {
        "ro": "{path} nu este GeoJSON valid: {what}; exportați din nou fișierul (sau copiați-l "
        "din nou dacă o descărcare sau o copiere a fost întreruptă).",
        "en": "{path} is not valid GeoJSON: {what}; re-export the file (or copy it again if a "
        "download or copy was interrupted).",
        "hu": "{path} nem érvényes GeoJSON: {what}; exportálja újra a fájlt (vagy másolja újra, "
        "ha egy letöltés vagy másolás megszakadt).",
    },
    "err.io.json_empty_list": {
        "ro": "{path} este o listă JSON goală: niciun obiect; exportați din nou stratul.",
        "en": "{path} is an empty JSON list: no features; export the layer again.",
        "hu": "{path} üres JSON-lista: nincs benne objektum; exportálja újra a réteget.",
    },
    "err.io.json_item_not_feature": {
        "ro": "{path} este JSON, dar nu GeoJSON: elementul {item} al listei este {found}, nu un "
        "Feature GeoJSON; exportați stratul ca GeoJSON (un FeatureCollection).",
        "en": "{path} is JSON but not GeoJSON: item {item} of the list is {found}, not a "
        "GeoJSON Feature; export the layer as GeoJSON (a FeatureCollection).",
        "hu": "{path} JSON, de nem GeoJSON: a lista {item}. eleme {found}, nem GeoJSON Feature; "
        "exportálja a réteget GeoJSON formátumban (FeatureCollection-ként).",
    },
    "err.io.json_no_type": {
        "ro": "nu are membrul 'type'",
        "en": "it has no 'type' member",
        "hu": "nincs 'type' tagja",
    },
    "err.io.json_type_is": {
        "ro": "'type' are valoarea {kind}",
        "en": "its 'type' is {kind}",
        "hu": "a 'type' értéke {kind}",
    },
    "err.io.json_wrong_type": {
        "ro": "{path} este JSON, dar nu GeoJSON: {found} (GeoJSON are nevoie de "
        "'FeatureCollection', 'Feature' sau un tip de geometrie); exportați stratul ca GeoJSON.",
        "en": "{path} is JSON but not GeoJSON: {found} (GeoJSON needs 'FeatureCollection', "
        "'Feature' or a geometry type); export the layer as GeoJSON.",
        "hu": "{path} JSON, de nem GeoJSON: {found} (a GeoJSON-hoz 'FeatureCollection', "
        "'Feature' vagy geometriatípus kell); exportálja a réteget GeoJSON formátumban.",
    },
    "err.io.geojson_no_features": {
        "ro": "{path} nu conține obiecte (0 obiecte în FeatureCollection); verificați că ați "
        "exportat stratul potrivit și că nu este filtrat până la nimic.",
        "en": "{path} holds no features (0 features in the FeatureCollection); check that you "
        "exported the right layer and that it is not filtered to nothing.",
        "hu": "{path} nem tartalmaz objektumot (0 objektum a FeatureCollection-ben); "
        "ellenőrizze, hogy a megfelelő réteget exportálta-e, és hogy a szűrés nem hagyott-e "
        "üresen.",
    },
    "err.io.json_holds": {
        "ro": "{path} este JSON, dar nu GeoJSON: conține {found}; exportați stratul ca GeoJSON "
        "(un FeatureCollection).",
        "en": "{path} is JSON but not GeoJSON: it holds {found}; export the layer as GeoJSON "
        "(a FeatureCollection).",
        "hu": "{path} JSON, de nem GeoJSON: tartalma {found}; exportálja a réteget GeoJSON "
        "formátumban (FeatureCollection-ként).",
    },
    "err.io.json.value": {
        "ro": "valoarea {value}",
        "en": "the value {value}",
        "hu": "a(z) {value} érték",
    },
    "err.io.json.number": {
        "ro": "un număr ({value})",
        "en": "a number ({value})",
        "hu": "egy szám ({value})",
    },
    "err.io.json.string": {
        "ro": "un șir de caractere ({value})",
        "en": "a string ({value})",
        "hu": "egy szöveg ({value})",
    },
    "err.io.json.list": {"ro": "o listă", "en": "a list", "hu": "egy lista"},
    "err.io.json.object_type": {
        "ro": "un obiect cu tipul {kind}",
        "en": "an object with type {kind}",
        "hu": "egy {kind} típusú objektum",
    },
    "err.io.json.object": {
        "ro": "un obiect fără 'type'",
        "en": "an object without 'type'",
        "hu": "egy 'type' nélküli objektum",
    },
    "err.io.looks_text": {
        "ro": "pare a fi text",
        "en": "it looks like text",
        "hu": "szövegnek tűnik",
    },
    "err.io.looks_binary": {
        "ro": "este un alt fișier binar",
        "en": "it is some other binary file",
        "hu": "valamilyen más bináris fájl",
    },
    "err.io.not_gpkg": {
        "ro": "{path} nu este un GeoPackage (nu este o bază de date SQLite: {looks}); exportați "
        "din nou stratul ca GeoPackage sau dați fișierului extensia formatului său real.",
        "en": "{path} is not a GeoPackage (not an SQLite database: {looks}); export the layer "
        "again as GeoPackage, or give the file the extension of its real format.",
        "hu": "{path} nem GeoPackage (nem SQLite-adatbázis: {looks}); exportálja újra a réteget "
        "GeoPackage formátumban, vagy adja a fájlnak a valódi formátumának megfelelő "
        "kiterjesztést.",
    },
    "err.io.gpkg_cannot_open": {
        "ro": "{path}: fișierul GeoPackage nu poate fi deschis ({error}); poate fi deteriorat sau "
        "încă în curs de scriere: exportați-l sau copiați-l din nou.",
        "en": "{path}: the GeoPackage cannot be opened ({error}); it may be damaged or still "
        "being written: export or copy it again.",
        "hu": "{path}: a GeoPackage nem nyitható meg ({error}); lehet, hogy sérült, vagy még "
        "írás alatt áll: exportálja vagy másolja újra.",
    },
    "err.io.gpkg_no_layers": {
        "ro": "{path}: fișierul GeoPackage nu conține niciun strat; exportați din nou datele.",
        "en": "{path}: the GeoPackage holds no layers; export the data again.",
        "hu": "{path}: a GeoPackage nem tartalmaz réteget; exportálja újra az adatokat.",
    },
    "err.io.many_layers": {
        "ro": "{path} conține {n} straturi ({layers}); alegeți cu layer= pe cel de citit.",
        "en": "{path} holds {n} layers ({layers}); pass layer= with the one to read.",
        "hu": "{path} {n} réteget tartalmaz ({layers}); a layer= értékkel adja meg, melyiket "
        "olvassuk be.",
    },
    "err.io.no_layer": {
        "ro": "{path} nu are stratul {layer}; straturile sale sunt: {layers}. Dați unul dintre "
        "ele ca layer=.",
        "en": "{path} has no layer {layer}; its layers are: {layers}. Pass one of them as layer=.",
        "hu": "{path} nem tartalmaz {layer} réteget; a rétegei: {layers}. Ezek egyikét adja meg "
        "layer= értékként.",
    },
    "err.io.gpkg_table": {
        "ro": "{path}: stratul {layer} este un tabel fără geometrie; alegeți un strat spațial "
        "({spatial}).",
        "en": "{path}: layer {layer} is a table without geometry; pick a spatial layer "
        "({spatial}).",
        "hu": "{path}: a(z) {layer} réteg geometria nélküli táblázat; válasszon térbeli réteget "
        "({spatial}).",
    },
    "err.io.what.layer": {"ro": "stratul {layer}", "en": "layer {layer}", "hu": "{layer} réteg"},
    "err.io.what.shapefile": {
        "ro": "shapefile-ul {name}",
        "en": "shapefile {name}",
        "hu": "{name} shapefile",
    },
    "err.io.what.csv": {
        "ro": "CSV (coloane {kind}: {columns})",
        "en": "CSV ({kind} columns {columns})",
        "hu": "CSV ({kind} oszlopok: {columns})",
    },
    "err.io.shp_incomplete": {
        "ro": "{path}: shapefile-ul este incomplet, lipsește {missing}. Un shapefile înseamnă "
        "mai multe fișiere unul lângă altul (.shp, .shx, .dbf și .prj pentru sistemul de "
        "coordonate): copiați-le pe toate sau arhivați-le împreună și citiți fișierul .zip.",
        "en": "{path}: the shapefile is incomplete, {missing} missing. A shapefile is several "
        "files side by side (.shp, .shx, .dbf, and .prj for the CRS): copy them all, or zip "
        "them together and read the .zip.",
        "hu": "{path}: a shapefile hiányos, hiányzik: {missing}. A shapefile több egymás melletti "
        "fájlból áll (.shp, .shx, .dbf és a koordináta-rendszerhez .prj): másolja át mindet, "
        "vagy tömörítse őket együtt, és a .zip fájlt olvassa be.",
    },
    "err.io.dbf_encoding": {
        "ro": "{path}: atributele (.dbf) nu sunt text {encoding}; dați codificarea reală, de "
        "exemplu encoding='cp1250' sau encoding='utf-8'.",
        "en": "{path}: the attributes (.dbf) are not {encoding} text; pass the real encoding, "
        "e.g. encoding='cp1250' or encoding='utf-8'.",
        "hu": "{path}: az attribútumok (.dbf) nem {encoding} szövegek; adja meg a valódi "
        "kódolást, pl. encoding='cp1250' vagy encoding='utf-8'.",
    },
    "err.io.cpg_wrong": {
        "ro": "{path}: fișierul .cpg spune că atributele sunt {cpg}, dar .dbf nu este text "
        "{cpg}; dați codificarea reală, de exemplu encoding='cp1250', sau corectați fișierul "
        ".cpg.",
        "en": "{path}: the .cpg says the attributes are {cpg}, but the .dbf is not {cpg} text; "
        "pass the real encoding, e.g. encoding='cp1250', or correct the .cpg file.",
        "hu": "{path}: a .cpg szerint az attribútumok kódolása {cpg}, de a .dbf nem {cpg} "
        "szöveg; adja meg a valódi kódolást, pl. encoding='cp1250', vagy javítsa a .cpg fájlt.",
    },
    "err.io.no_shapefile_named": {
        "ro": "{path} nu are shapefile-ul {layer}; conține: {names}. Dați unul dintre ele ca "
        "layer=.",
        "en": "{path} has no shapefile {layer}; it holds: {names}. Pass one of them as layer=.",
        "hu": "{path} nem tartalmaz {layer} shapefile-t; tartalma: {names}. Ezek egyikét adja "
        "meg layer= értékként.",
    },
    "err.io.many_shapefiles": {
        "ro": "{path} conține {n} shapefile-uri ({names}); alegeți cu layer= pe cel de citit.",
        "en": "{path} holds {n} shapefiles ({names}); pass layer= with the one to read.",
        "hu": "{path} {n} shapefile-t tartalmaz ({names}); a layer= értékkel adja meg, "
        "melyiket olvassuk be.",
    },
    "err.io.folder_no_shp": {
        "ro": "{path} este un dosar fără shapefile (.shp); conține: {found}. Alegeți fișierul "
        "însuși sau dosarul care conține fișierul .shp cu .shx, .dbf și .prj.",
        "en": "{path} is a folder without a shapefile (.shp); it holds: {found}. Pick the file "
        "itself, or the folder that holds the .shp with its .shx, .dbf and .prj.",
        "hu": "{path} shapefile (.shp) nélküli mappa; tartalma: {found}. Válassza magát a "
        "fájlt, vagy azt a mappát, amelyben a .shp a .shx, .dbf és .prj fájljaival együtt van.",
    },
    "err.io.not_zip": {
        "ro": "{path} nu este un fișier zip valid (deteriorat, trunchiat sau alt format "
        "redenumit .zip); descărcați-l sau arhivați-l din nou.",
        "en": "{path} is not a valid zip file (damaged, cut short, or another format renamed "
        ".zip); download or zip it again.",
        "hu": "{path} nem érvényes zip-fájl (sérült, csonka, vagy .zip-re átnevezett más "
        "formátum); töltse le vagy tömörítse újra.",
    },
    "err.io.zip_shp_incomplete": {
        "ro": "{path}: shapefile-ul {member} din arhiva zip este incomplet, lipsește {missing}; "
        "arhivați fișierul .shp împreună cu .shx, .dbf, .prj și .cpg.",
        "en": "{path}: the shapefile {member} in the zip is incomplete, {missing} missing; zip "
        "the .shp together with its .shx, .dbf, .prj and .cpg.",
        "hu": "{path}: a zip-ben lévő {member} shapefile hiányos, hiányzik: {missing}; "
        "tömörítse a .shp fájlt a .shx, .dbf, .prj és .cpg fájljaival együtt.",
    },
    "err.io.zip_no_shp": {
        "ro": "{path}: arhiva zip nu conține niciun shapefile (.shp); conține: {listed}. "
        "Arhivați fișierul .shp împreună cu .shx, .dbf, .prj și .cpg (sau citiți fișierul "
        "direct).",
        "en": "{path}: the zip holds no shapefile (.shp); it holds: {listed}. Zip the .shp "
        "together with its .shx, .dbf, .prj and .cpg (or read the file directly).",
        "hu": "{path}: a zip nem tartalmaz shapefile-t (.shp); tartalma: {listed}. Tömörítse a "
        ".shp fájlt a .shx, .dbf, .prj és .cpg fájljaival együtt (vagy olvassa be közvetlenül "
        "a fájlt).",
    },
    "err.io.zip_damaged": {
        "ro": "{path} este un fișier zip deteriorat ({error}); descărcați-l sau arhivați-l din "
        "nou.",
        "en": "{path} is a damaged zip file ({error}); download or zip it again.",
        "hu": "{path} sérült zip-fájl ({error}); töltse le vagy tömörítse újra.",
    },
    "err.io.not_kml": {
        "ro": "{path} nu este KML valid ({error}); {fix}",
        "en": "{path} is not valid KML ({error}); {fix}",
        "hu": "{path} nem érvényes KML ({error}); {fix}",
    },
    "err.io.kml_no_folder": {
        "ro": "{path} nu are dosarul {layer}; conține: {names}. Dați unul dintre ele ca layer=.",
        "en": "{path} has no folder {layer}; it holds: {names}. Pass one of them as layer=.",
        "hu": "{path} nem tartalmaz {layer} mappát; tartalma: {names}. Ezek egyikét adja meg "
        "layer= értékként.",
    },
    "err.io.kml_empty": {
        "ro": "{path} nu conține niciun reper (niciun punct, linie sau poligon); verificați că "
        "ați exportat harta sau stratul potrivit, cu reperele sale.",
        "en": "{path} holds no placemarks (no points, lines or polygons); check you exported "
        "the right map or layer, with its placemarks.",
        "hu": "{path} nem tartalmaz helyjelölőt (sem pontot, sem vonalat, sem sokszöget); "
        "ellenőrizze, hogy a megfelelő térképet vagy réteget exportálta-e a helyjelölőivel "
        "együtt.",
    },
    "err.io.kml_empty_in": {
        "ro": "{path} nu conține niciun reper (niciun punct, linie sau poligon în {layer}); "
        "verificați că ați exportat harta sau stratul potrivit, cu reperele sale.",
        "en": "{path} holds no placemarks (no points, lines or polygons in {layer}); check you "
        "exported the right map or layer, with its placemarks.",
        "hu": "{path} nem tartalmaz helyjelölőt (sem pontot, sem vonalat, sem sokszöget itt: "
        "{layer}); ellenőrizze, hogy a megfelelő térképet vagy réteget exportálta-e a "
        "helyjelölőivel együtt.",
    },
    "err.io.not_gpx": {
        "ro": "{path} nu este GPX valid ({error}); {fix}",
        "en": "{path} is not valid GPX ({error}); {fix}",
        "hu": "{path} nem érvényes GPX ({error}); {fix}",
    },
    "err.io.gpx_no_layer": {
        "ro": "{path} nu are stratul {layer}; un fișier GPX are {layers}. Dați unul dintre ele "
        "ca layer=.",
        "en": "{path} has no layer {layer}; a GPX file has {layers}. Pass one of them as layer=.",
        "hu": "{path} nem tartalmaz {layer} réteget; egy GPX-fájl rétegei: {layers}. Ezek "
        "egyikét adja meg layer= értékként.",
    },
    "err.io.gpx_layer_empty": {
        "ro": "{path} nu conține {layer}; conține {filled}. Dați alt layer=.",
        "en": "{path} holds no {layer}; it holds {filled}. Pass another layer=.",
        "hu": "{path} nem tartalmaz {layer} elemet; tartalma: {filled}. Adjon meg másik "
        "layer= értéket.",
    },
    "err.io.gpx_empty": {
        "ro": "{path} nu conține puncte de reper, rute sau trasee; verificați exportul GPS (un "
        "dispozitiv poate salva un traseu abia după oprirea înregistrării) și exportați din nou.",
        "en": "{path} holds no waypoints, routes or tracks; check the GPS export (a device may "
        "save a track only once recording is stopped) and export it again.",
        "hu": "{path} nem tartalmaz útpontot, útvonalat vagy nyomvonalat; ellenőrizze a GPS-"
        "exportot (egy készülék a nyomvonalat esetleg csak a rögzítés leállítása után menti), "
        "és exportálja újra.",
    },
    "err.io.gpx_many": {
        "ro": "{path} conține {shown}; alegeți cu layer= pe cel de citit.",
        "en": "{path} holds {shown}; pass layer= with the one to read.",
        "hu": "{path} tartalma: {shown}; a layer= értékkel adja meg, melyiket olvassuk be.",
    },
    "err.io.osm_needs_layer": {
        "ro": "{path}: un fișier OpenStreetMap conține mai multe straturi; dați layer= cu unul "
        "dintre {layers} (de exemplu layer='lines' pentru străzi).",
        "en": "{path}: an OpenStreetMap file holds several layers; pass layer= with one of "
        "{layers} (e.g. layer='lines' for streets).",
        "hu": "{path}: egy OpenStreetMap-fájl több réteget tartalmaz; adja meg layer= értékként "
        "ezek egyikét: {layers} (pl. layer='lines' az utcákhoz).",
    },
    "err.io.osm_no_layer": {
        "ro": "{path}: nu există stratul OpenStreetMap {layer}; dați unul dintre {layers} ca "
        "layer=.",
        "en": "{path}: no OpenStreetMap layer {layer}; pass one of {layers} as layer=.",
        "hu": "{path}: nincs {layer} OpenStreetMap-réteg; ezek egyikét adja meg layer= "
        "értékként: {layers}.",
    },
    "err.io.not_bz2": {
        "ro": "{path} nu este un fișier bzip2 valid ({error}); {fix}",
        "en": "{path} is not a valid bzip2 file ({error}); {fix}",
        "hu": "{path} nem érvényes bzip2-fájl ({error}); {fix}",
    },
    "err.io.osm_not_xml": {
        "ro": "{path} nu este OSM XML (nu începe cu '<'); {fix}",
        "en": "{path} is not OSM XML (it does not start with '<'); {fix}",
        "hu": "{path} nem OSM XML (nem '<' karakterrel kezdődik); {fix}",
    },
    "err.io.osm_not_osm": {
        "ro": "{path} este XML, dar nu date OpenStreetMap (nu are elementul <osm>); {fix}",
        "en": "{path} is XML but not OpenStreetMap data (no <osm> element); {fix}",
        "hu": "{path} XML, de nem OpenStreetMap-adat (nincs <osm> eleme); {fix}",
    },
    "err.io.csv_x_and_y": {
        "ro": "{path}: dați atât x=, cât și y= (numele coloanelor), nu doar unul.",
        "en": "{path}: pass both x= and y= (the column names), not only one.",
        "hu": "{path}: az x= és az y= értéket is adja meg (az oszlopneveket), ne csak az egyiket.",
    },
    "err.io.csv_no_column": {
        "ro": "{path} nu are coloana {column}; coloanele sale sunt: {columns}. Dați nume "
        "existente ca x= și y=.",
        "en": "{path} has no column {column}; its columns are: {columns}. Pass existing names "
        "as x= and y=.",
        "hu": "{path} nem tartalmaz {column} oszlopot; az oszlopai: {columns}. Létező neveket "
        "adjon meg x= és y= értékként.",
    },
    "err.io.csv_accepted": {
        "ro": "lat/lon, latitude/longitude, lat/lng, latitudine/longitudine, "
        "_<nume>_latitude/_<nume>_longitude (KoboToolbox), <nume>-Latitude/<nume>-Longitude "
        "(ODK), o coloană geopoint precum _geolocation sau gps cu 'lat lon [alt acc]', x/y sau "
        "easting/northing (cu crs=), sau o coloană WKT numită wkt",
        "en": "lat/lon, latitude/longitude, lat/lng, latitudine/longitudine, "
        "_<name>_latitude/_<name>_longitude (KoboToolbox), <name>-Latitude/<name>-Longitude "
        "(ODK), a geopoint column such as _geolocation or gps holding 'lat lon [alt acc]', x/y "
        "or easting/northing (with crs=), or a WKT column named wkt",
        "hu": "lat/lon, latitude/longitude, lat/lng, latitudine/longitudine, "
        "_<név>_latitude/_<név>_longitude (KoboToolbox), <név>-Latitude/<név>-Longitude "
        "(ODK), 'lat lon [alt acc]' értékeket tartalmazó geopoint oszlop, pl. _geolocation "
        "vagy gps, x/y vagy easting/northing (crs= megadásával), vagy egy wkt nevű WKT-oszlop",
    },
    "err.io.csv_no_coordinates": {
        "ro": "{path}: nu s-au găsit coloane de coordonate. Coloanele sale sunt: {columns}. "
        "Acceptate: {accepted}. Redenumiți coloanele sau dați x= și y= cu numele lor.",
        "en": "{path}: no coordinate columns found. Its columns are: {columns}. Accepted: "
        "{accepted}. Rename the columns, or pass x= and y= with their names.",
        "hu": "{path}: nem találhatók koordinátaoszlopok. Az oszlopai: {columns}. Elfogadott: "
        "{accepted}. Nevezze át az oszlopokat, vagy adja meg a nevüket x= és y= értékként.",
    },
    "err.io.csv_not_number": {
        "ro": "{path}, rândul {row}, coloana {column}: {value} nu este un număr (rândurile se "
        "numără de la 1, antetul fiind rândul 1); corectați valoarea (punct sau virgulă "
        "zecimală, fără semne de grad sau litere) și citiți din nou fișierul.",
        "en": "{path}, row {row}, column {column}: {value} is not a number (rows count from 1, "
        "the header being row 1); correct the value (decimal point or comma, no degree signs "
        "or letters) and read the file again.",
        "hu": "{path}, {row}. sor, {column} oszlop: {value} nem szám (a sorokat 1-től "
        "számoljuk, a fejléc az 1. sor); javítsa ki az értéket (tizedespont vagy tizedesvessző, "
        "fokjel és betűk nélkül), és olvassa be újra a fájlt.",
    },
    "err.io.csv_blank_one": {
        "ro": "{path}: rândul {rows} (antetul fiind rândul 1) nu are coordonate (gol sau NaN "
        "în {columns}); completați-le sau ștergeți acele rânduri.",
        "en": "{path}: row {rows} (the header being row 1) has no coordinates (blank or NaN in "
        "{columns}); fill them in or delete those rows.",
        "hu": "{path}: a(z) {rows}. sorban (a fejléc az 1. sor) nincsenek koordináták (üres "
        "vagy NaN itt: {columns}); töltse ki őket, vagy törölje ezeket a sorokat.",
    },
    "err.io.csv_blank_many": {
        "ro": "{path}: rândurile {rows} (antetul fiind rândul 1) nu au coordonate (gol sau NaN "
        "în {columns}); completați-le sau ștergeți acele rânduri.",
        "en": "{path}: rows {rows} (the header being row 1) have no coordinates (blank or NaN "
        "in {columns}); fill them in or delete those rows.",
        "hu": "{path}: a(z) {rows} sorszámú sorokban (a fejléc az 1. sor) nincsenek "
        "koordináták (üres vagy NaN itt: {columns}); töltse ki őket, vagy törölje ezeket a "
        "sorokat.",
    },
    "err.io.csv_binary": {
        "ro": "{path} nu este un CSV text (conține date binare); salvați-l ca „CSV UTF-8” din "
        "foaia de calcul sau alegeți fișierul potrivit.",
        "en": "{path} is not a text CSV (it holds binary data); save it as 'CSV UTF-8' from the "
        "spreadsheet, or pick the right file.",
        "hu": "{path} nem szöveges CSV (bináris adatokat tartalmaz); mentse el „CSV UTF-8” "
        "formátumban a táblázatkezelőből, vagy válassza a megfelelő fájlt.",
    },
    "err.io.csv_blank": {
        "ro": "{path} conține doar rânduri goale; exportați din nou tabelul ca CSV.",
        "en": "{path} holds only blank lines; export the table again as CSV.",
        "hu": "{path} csak üres sorokat tartalmaz; exportálja újra a táblázatot CSV formátumban.",
    },
    "err.io.csv_unreadable": {
        "ro": "{path} nu poate fi citit ca tabel CSV ({error}); verificați că fiecare rând are "
        "tot atâtea câmpuri cât antetul (separator {separator}) și exportați-l din nou.",
        "en": "{path} cannot be read as a CSV table ({error}); check that every row has as many "
        "fields as the header (separator {separator}) and re-export it.",
        "hu": "{path} nem olvasható CSV-táblázatként ({error}); ellenőrizze, hogy minden sorban "
        "annyi mező van-e, mint a fejlécben (elválasztó: {separator}), és exportálja újra.",
    },
    "err.io.csv_no_rows": {
        "ro": "{path} are antet, dar niciun rând de date (0 obiecte); exportați-l din nou.",
        "en": "{path} has a header but no data rows (0 features); export it again.",
        "hu": "{path} fejlécet tartalmaz, de adatsort nem (0 objektum); exportálja újra.",
    },
    "err.io.csv_not_degrees": {
        "ro": "{path}, rândul {row}, coloana {column}: {value} este în afara intervalului "
        "-{lim}..{lim} grade; dacă fișierul conține metri (de exemplu Stereo 70), numiți "
        "coloanele x/y și dați crs='EPSG:3844', altfel corectați valoarea.",
        "en": "{path}, row {row}, column {column}: {value} is outside -{lim}..{lim} degrees; if "
        "the file holds metres (e.g. Stereo 70) name the columns x/y and pass "
        "crs='EPSG:3844', otherwise correct the value.",
        "hu": "{path}, {row}. sor, {column} oszlop: {value} kívül esik a -{lim}..{lim} fokos "
        "tartományon; ha a fájl métereket tartalmaz (pl. Stereo 70), nevezze az oszlopokat "
        "x/y-nak, és adja meg a crs='EPSG:3844' értéket, különben javítsa ki az értéket.",
    },
    "err.io.csv_xy_no_crs": {
        "ro": "{path}: coloanele {x}/{y} conțin coordonate x/y, dar fișierul nu spune în ce "
        "sistem de coordonate; dați crs='EPSG:3844' pentru metri Stereo 70 (sau "
        "crs='EPSG:4326' pentru longitudine/latitudine).",
        "en": "{path}: the columns {x}/{y} hold x/y coordinates but the file does not say in "
        "which CRS; pass crs='EPSG:3844' for Stereo 70 metres (or crs='EPSG:4326' for "
        "longitude/latitude).",
        "hu": "{path}: a(z) {x}/{y} oszlopok x/y koordinátákat tartalmaznak, de a fájl nem "
        "mondja meg, melyik koordináta-rendszerben; adja meg a crs='EPSG:3844' értéket Stereo "
        "70 méterekhez (vagy a crs='EPSG:4326' értéket hosszúság/szélesség értékekhez).",
    },
    "err.io.csv_huge": {
        "ro": "{path}, rândul {row}: coordonata ({x}, {y}) este neverosimil de mare; verificați "
        "unitatea și separatorul zecimal și corectați acel rând.",
        "en": "{path}, row {row}: coordinate ({x}, {y}) is implausibly large; check the unit "
        "and the decimal separator, and correct that row.",
        "hu": "{path}, {row}. sor: a(z) ({x}, {y}) koordináta valószerűtlenül nagy; ellenőrizze "
        "a mértékegységet és a tizedesjelet, és javítsa ki azt a sort.",
    },
    "err.io.csv_not_geopoint": {
        "ro": "{path}, rândul {row}, coloana {column}: {value} nu este o poziție "
        "'lat lon [altitudine precizie]'; corectați acel rând.",
        "en": "{path}, row {row}, column {column}: {value} is not a position "
        "'lat lon [altitude accuracy]'; correct that row.",
        "hu": "{path}, {row}. sor, {column} oszlop: {value} nem 'lat lon [magasság pontosság]' "
        "alakú hely; javítsa ki azt a sort.",
    },
    "err.io.csv_geopoint_not_degrees": {
        "ro": "{path}, rândul {row}, coloana {column}: {value} nu este latitudine și longitudine "
        "în grade; corectați acel rând.",
        "en": "{path}, row {row}, column {column}: {value} is not latitude and longitude in "
        "degrees; correct that row.",
        "hu": "{path}, {row}. sor, {column} oszlop: {value} nem fokban megadott szélesség és "
        "hosszúság; javítsa ki azt a sort.",
    },
    "err.io.csv_bad_wkt": {
        "ro": "{path}, rândul {row}, coloana {column}: WKT nevalid ({error}); corectați acel rând.",
        "en": "{path}, row {row}, column {column}: not valid WKT ({error}); correct that row.",
        "hu": "{path}, {row}. sor, {column} oszlop: érvénytelen WKT ({error}); javítsa ki azt a "
        "sort.",
    },
    "err.io.no_geometry": {
        "ro": "{path} conține un tabel fără geometrie; exportați-l cu geometria sa.",
        "en": "{path} holds a table without geometry; export it with its geometry.",
        "hu": "{path} geometria nélküli táblázatot tartalmaz; exportálja a geometriájával együtt.",
    },
    "err.io.no_features": {
        "ro": "{path} ({what}) nu conține obiecte (0 rânduri); verificați că ați exportat "
        "stratul potrivit și că nu este filtrat până la nimic.",
        "en": "{path} ({what}) holds no features (0 rows); check that you exported the right "
        "layer and that it is not filtered to nothing.",
        "hu": "{path} ({what}) nem tartalmaz objektumot (0 sor); ellenőrizze, hogy a megfelelő "
        "réteget exportálta-e, és hogy a szűrés nem hagyott-e üresen.",
    },
    "err.io.only_empty_geometry": {
        "ro": "{path}: singurul său obiect are o geometrie goală sau lipsă (null); exportați din "
        "nou stratul cu geometria sa.",
        "en": "{path}: its only feature has an empty or missing geometry (null); export the "
        "layer again with its geometry.",
        "hu": "{path}: az egyetlen objektumának üres vagy hiányzó a geometriája (null); "
        "exportálja újra a réteget a geometriájával együtt.",
    },
    "err.io.all_empty_geometry": {
        "ro": "{path}: toate cele {n} obiecte au o geometrie goală sau lipsă (null); exportați "
        "din nou stratul cu geometria sa.",
        "en": "{path}: all {n} features have an empty or missing geometry (null); export the "
        "layer again with its geometry.",
        "hu": "{path}: mind a(z) {n} objektumnak üres vagy hiányzó a geometriája (null); "
        "exportálja újra a réteget a geometriájával együtt.",
    },
    "err.io.unknown_crs": {
        "ro": "{path}: crs={crs} nu este un sistem de coordonate cunoscut; dați de exemplu "
        "'EPSG:3844'.",
        "en": "{path}: crs={crs} is not a known CRS; pass e.g. 'EPSG:3844'.",
        "hu": "{path}: a crs={crs} nem ismert koordináta-rendszer; adja meg pl. az "
        "'EPSG:3844' értéket.",
    },
    "err.io.no_crs": {
        "ro": "{path} nu are sistem de coordonate; dați crs='EPSG:3844' dacă coordonatele sunt "
        "metri Stereo 70 sau crs='EPSG:4326' pentru longitudine/latitudine (ori adăugați "
        "fișierul .prj cu care au venit datele).",
        "en": "{path} has no coordinate reference system; pass crs='EPSG:3844' if the "
        "coordinates are Stereo 70 metres or crs='EPSG:4326' for longitude/latitude (or add "
        "the .prj the data came with).",
        "hu": "{path} nem tartalmaz koordináta-rendszert; adja meg a crs='EPSG:3844' értéket, "
        "ha a koordináták Stereo 70 méterek, vagy a crs='EPSG:4326' értéket hosszúság/szélesség "
        "esetén (vagy tegye mellé az adatokhoz tartozó .prj fájlt).",
    },
    "err.io.no_crs_prj": {
        "ro": "{path} nu are sistem de coordonate (lângă .shp nu există fișier .prj); dați "
        "crs='EPSG:3844' dacă coordonatele sunt metri Stereo 70 sau crs='EPSG:4326' pentru "
        "longitudine/latitudine (ori adăugați fișierul .prj cu care au venit datele).",
        "en": "{path} has no coordinate reference system (no .prj file beside the .shp); pass "
        "crs='EPSG:3844' if the coordinates are Stereo 70 metres or crs='EPSG:4326' for "
        "longitude/latitude (or add the .prj the data came with).",
        "hu": "{path} nem tartalmaz koordináta-rendszert (nincs .prj fájl a .shp mellett); adja "
        "meg a crs='EPSG:3844' értéket, ha a koordináták Stereo 70 méterek, vagy a "
        "crs='EPSG:4326' értéket hosszúság/szélesség esetén (vagy tegye mellé az adatokhoz "
        "tartozó .prj fájlt).",
    },
    # --- repairs and warnings: pata_gis.layers.validate ---------------------
    "fix.layer.converted": {
        "ro": "câmpul „{field}”: {n} valori convertite în {type}",
        "en": "field '{field}': {n} values converted to {type}",
        "hu": "„{field}” mező: {n} érték átalakítva {type} típusúvá",
    },
    "fix.layer.normalised": {
        "ro": "câmpul „{field}”: {n} valori normalizate (ş/ţ cu sedilă -> ș/ț, numere în text)",
        "en": "field '{field}': {n} values normalised (ş/ţ with cedilla -> ș/ț, numbers to text)",
        "hu": "„{field}” mező: {n} érték egységesítve (cédillás ş/ţ -> ș/ț, számok szöveggé)",
    },
    "fix.layer.choice_case": {
        "ro": "câmpul „{field}”: {n} valori potrivite cu opțiunea lor fără a ține cont de "
        "majuscule",
        "en": "field '{field}': {n} values matched to their choice ignoring case",
        "hu": "„{field}” mező: {n} érték a kis- és nagybetűktől eltekintve a megfelelő "
        "választási lehetőséghez igazítva",
    },
    "fix.layer.renamed": {
        "ro": "coloane redenumite după numele din specificație: {renames}",
        "en": "columns renamed to the spec's names: {renames}",
        "hu": "oszlopok átnevezve a specifikáció neveire: {renames}",
    },
    "fix.layer.field_added": {
        "ro": "câmpul „{field}” adăugat cu valoarea {value} pentru fiecare obiect",
        "en": "field '{field}' added with value {value} for every feature",
        "hu": "a(z) „{field}” mező hozzáadva minden objektumhoz {value} értékkel",
    },
    "fix.layer.filled": {
        "ro": "câmpul „{field}”: {n} valori goale completate cu {value}",
        "en": "field '{field}': {n} empty values set to {value}",
        "hu": "„{field}” mező: {n} üres érték kitöltve ezzel: {value}",
    },
    "fix.layer.no_geometry_removed": {
        "ro": "fără geometrie, eliminate: {rows}",
        "en": "{rows} without geometry removed",
        "hu": "geometria nélkül, eltávolítva: {rows}",
    },
    "fix.layer.area": {
        "ro": "aria desenată {before} m², după reparare {after} m²",
        "en": "area as drawn {before} m², after repair {after} m²",
        "hu": "rajzolt terület {before} m², javítás után {after} m²",
    },
    "fix.layer.parts": {"ro": "{n} părți", "en": "{n} part(s)", "hu": "{n} rész"},
    "fix.layer.repaired": {
        "ro": "{feature}: geometrie nevalidă ({reason}) reparată cu make_valid; {detail}",
        "en": "{feature}: invalid geometry ({reason}) repaired with make_valid; {detail}",
        "hu": "{feature}: érvénytelen geometria ({reason}) javítva a make_valid eljárással; "
        "{detail}",
    },
    "fix.layer.collection": {
        "ro": "{feature}: colecția de geometrii a devenit o geometrie multiplă de tip {want}",
        "en": "{feature}: geometry collection turned into a multi-{want}",
        "hu": "{feature}: a geometriagyűjtemény többrészes {want} geometriává alakítva",
    },
    "fix.layer.duplicates": {
        "ro": "eliminate ca duplicate exacte ale unui obiect anterior: {rows}",
        "en": "{rows} removed: exact duplicates of an earlier feature",
        "hu": "eltávolítva: {rows} (egy korábbi objektum pontos másolatai)",
    },
    "warn.layer.extra_columns": {
        "ro": "coloane care nu sunt în specificație, păstrate așa cum sunt: {columns}",
        "en": "columns not in the spec kept as they are: {columns}",
        "hu": "a specifikációban nem szereplő oszlopok változatlanul megtartva: {columns}",
    },
    "warn.layer.same_geometry": {
        "ro": "{rows} au aceeași geometrie cu atribute diferite; păstrate (verificați că nu este "
        "același loc introdus de două ori)",
        "en": "{rows} share the same geometry with different attributes; kept (check they are "
        "not the same place entered twice)",
        "hu": "{rows} geometriája azonos, de az attribútumaik eltérnek; megtartva (ellenőrizze, "
        "hogy nem ugyanazt a helyet vitték-e fel kétszer)",
    },
    # --- errors: pata_gis.gtfs ----------------------------------------------
    "err.gtfs.no_such_path": {
        "ro": "{path}: nu există acest fișier sau dosar; verificați calea către fluxul GTFS.",
        "en": "{path}: no such file or folder; check the path to the GTFS feed.",
        "hu": "{path}: nincs ilyen fájl vagy mappa; ellenőrizze a GTFS-adatfolyam elérési útját.",
    },
    "err.gtfs.not_zip": {
        "ro": "{path} nu este un fișier zip valid; descărcați din nou fluxul GTFS sau "
        "dezarhivați-l și dați dosarul.",
        "en": "{path} is not a valid zip file; download the GTFS feed again or unzip it and "
        "pass the folder.",
        "hu": "{path} nem érvényes zip-fájl; töltse le újra a GTFS-adatfolyamot, vagy "
        "csomagolja ki, és adja meg a mappát.",
    },
    "err.gtfs.no_table": {
        "ro": "{path}: fluxul GTFS nu conține {table}; dați fișierul .zip al fluxului sau "
        "dosarul cu toate fișierele lui .txt.",
        "en": "{path}: the GTFS feed has no {table}; pass the feed's .zip or the folder "
        "holding all its .txt files.",
        "hu": "{path}: a GTFS-adatfolyamban nincs {table}; adja meg az adatfolyam .zip "
        "fájlját vagy az összes .txt fájlját tartalmazó mappát.",
    },
    "err.gtfs.not_utf8": {
        "ro": "{where} nu este text UTF-8 (octetul {byte}); fișierele GTFS trebuie să fie "
        "UTF-8: salvați din nou fișierul ca UTF-8.",
        "en": "{where} is not UTF-8 text (byte {byte}); GTFS files must be UTF-8: re-save "
        "the file as UTF-8.",
        "hu": "{where} nem UTF-8 szöveg ({byte}. bájt); a GTFS-fájloknak UTF-8 kódolásúnak "
        "kell lenniük: mentse újra a fájlt UTF-8 kódolással.",
    },
    "err.gtfs.cannot_read": {
        "ro": "{where} nu poate fi citit ca tabel GTFS ({error}); exportați din nou fluxul.",
        "en": "{where} cannot be read as a GTFS table ({error}); re-export the feed.",
        "hu": "{where} nem olvasható GTFS-táblaként ({error}); exportálja újra az adatfolyamot.",
    },
    "err.gtfs.lacks_columns": {
        "ro": "în {where} lipsesc coloanele {columns}; fișierul nu este un tabel GTFS complet: "
        "exportați din nou fluxul.",
        "en": "{where} lacks the column(s) {columns}; the file is not a complete GTFS table: "
        "re-export the feed.",
        "hu": "{where} fájlból hiányzik a(z) {columns} oszlop; a fájl nem teljes GTFS-tábla: "
        "exportálja újra az adatfolyamot.",
    },
    "err.gtfs.no_route_id": {
        "ro": "în {where} lipsește coloana route_id; exportați din nou fluxul.",
        "en": "{where} lacks the column route_id; re-export the feed.",
        "hu": "{where} fájlból hiányzik a route_id oszlop; exportálja újra az adatfolyamot.",
    },
    "err.gtfs.not_number": {
        "ro": "{where}, rândul {row} (rândul de antet fiind rândul 1): {column} este {value}, "
        "nu un număr; corectați rândul și citiți din nou fluxul.",
        "en": "{where}, row {row} (counting the header as row 1): {column} is {value}, not a "
        "number; correct that row and read the feed again.",
        "hu": "{where}, {row}. sor (a fejléc az 1. sor): a(z) {column} értéke {value}, ami "
        "nem szám; javítsa ki a sort, és olvassa be újra az adatfolyamot.",
    },
    "err.gtfs.no_stops_txt": {
        "ro": "{path}: nu s-a găsit stops.txt; dați fișierul .zip al unui flux GTFS, dosarul "
        "lui sau fișierul lui stops.txt.",
        "en": "{path}: no stops.txt found; pass a GTFS feed's .zip, its folder or its stops.txt.",
        "hu": "{path}: nem található stops.txt; adja meg egy GTFS-adatfolyam .zip fájlját, "
        "mappáját vagy a stops.txt fájlját.",
    },
    "err.gtfs.no_stops": {
        "ro": "{where} nu conține nicio stație (0 rânduri); exportați din nou fluxul.",
        "en": "{where} holds no stops (0 rows); re-export the feed.",
        "hu": "{where} egyetlen megállót sem tartalmaz (0 sor); exportálja újra az adatfolyamot.",
    },
    "err.gtfs.none_inside": {
        "ro": "{where}: niciuna dintre cele {n} stații nu se află în zona Clujului ({box}); "
        "dați bounds= pentru altă zonă.",
        "en": "{where}: none of the {n} stops lies in the Cluj area ({box}); pass bounds= for "
        "another area.",
        "hu": "{where}: a(z) {n} megálló közül egy sincs Kolozsvár környékén ({box}); más "
        "területhez adja meg a bounds= értéket.",
    },
    "err.gtfs.no_shape_points": {
        "ro": "{where} nu conține niciun punct de traseu; fluxul nu are forme de traseu.",
        "en": "{where} holds no shape points; the feed has no route shapes.",
        "hu": "{where} egyetlen alakpontot sem tartalmaz; az adatfolyamban nincsenek "
        "útvonalalakok.",
    },
    "err.gtfs.box": {
        "ro": "{x0}–{x1} est, {y0}–{y1} nord",
        "en": "{x0}–{x1} E, {y0}–{y1} N",
        "hu": "k. h. {x0}–{x1}, é. sz. {y0}–{y1}",
    },
    "warn.gtfs.no_position": {
        "ro": "{where}: au fost lăsate deoparte {n} din {total} stații fără poziție (de "
        "exemplu stația {stop}).",
        "en": "{where}: dropped {n} of {total} stops without a position (e.g. stop {stop}).",
        "hu": "{where}: {total} megállóból {n} pozíció nélküli kimaradt (például a(z) {stop} "
        "megálló).",
    },
    "warn.gtfs.outside_far": {
        "ro": "{where}: au fost lăsate deoparte {n} din {total} stații din afara zonei "
        "Clujului ({box}): {far}.",
        "en": "{where}: dropped {n} of {total} stops outside the Cluj area ({box}): {far}.",
        "hu": "{where}: {total} megállóból {n} Kolozsvár környékén kívül esett, kimaradt "
        "({box}): {far}.",
    },
    "warn.gtfs.outside_near": {
        "ro": "{where}: au fost lăsate deoparte {n} din {total} stații din afara zonei "
        "Clujului ({box}): {near}.",
        "en": "{where}: dropped {n} of {total} stops outside the Cluj area ({box}): {near}.",
        "hu": "{where}: {total} megállóból {n} Kolozsvár környékén kívül esett, kimaradt "
        "({box}): {near}.",
    },
    "warn.gtfs.outside_both": {
        "ro": "{where}: au fost lăsate deoparte {n} din {total} stații din afara zonei "
        "Clujului ({box}): {far}; {near}.",
        "en": "{where}: dropped {n} of {total} stops outside the Cluj area ({box}): {far}; {near}.",
        "hu": "{where}: {total} megállóból {n} Kolozsvár környékén kívül esett, kimaradt "
        "({box}): {far}; {near}.",
    },
    "warn.gtfs.far": {
        "ro": "{n} departe, de exemplu stația {stop} '{name}' la {lat} N {lon} E: {why}",
        "en": "{n} far away, e.g. stop {stop} '{name}' at {lat} N {lon} E: {why}",
        "hu": "{n} messze, például a(z) {stop} '{name}' megálló, é. sz. {lat}, k. h. {lon}: {why}",
    },
    "warn.gtfs.stray_block": {
        "ro": "blocul rătăcit {place} din flux",
        "en": "the feed's stray {place} block",
        "hu": "az adatfolyam kóbor {place} blokkja",
    },
    "warn.gtfs.too_far": {
        "ro": "la peste 50 km: o eroare în flux",
        "en": "more than 50 km away: an error in the feed",
        "hu": "több mint 50 km-re: hiba az adatfolyamban",
    },
    "warn.gtfs.near": {
        "ro": "{n} chiar în afara dreptunghiului (până la {km} km), de exemplu stația {stop} "
        "'{name}' la {lat} N {lon} E; dați un bounds= mai larg ca să le păstrați",
        "en": "{n} just outside the box (up to {km} km), e.g. stop {stop} '{name}' at {lat} N "
        "{lon} E; pass a wider bounds= to keep them",
        "hu": "{n} épp a téglalapon kívül (legfeljebb {km} km-re), például a(z) {stop} "
        "'{name}' megálló, é. sz. {lat}, k. h. {lon}; a megtartásukhoz adjon meg tágabb "
        "bounds= értéket",
    },
    "warn.gtfs.short_shapes": {
        "ro": "{where}: au fost sărite {n} forme de traseu cu mai puțin de 2 puncte.",
        "en": "{where}: skipped {n} shapes with fewer than 2 points.",
        "hu": "{where}: {n} útvonalalak kimaradt, mert 2-nél kevesebb pontja van.",
    },
    # --- errors: pata_gis.sheets (paper sheets, typed-back cells, scans) ----
    "err.sheet.community_short": {
        "ro": "comunitatea {community}: un id de foaie are nevoie de un nume cu cel puțin 3 "
        "litere (cunoscute: {known})",
        "en": "community {community}: a sheet id needs a name with at least 3 letters "
        "(known: {known})",
        "hu": "{community} közösség: a lapazonosítóhoz legalább 3 betűs név kell (ismertek: "
        "{known})",
    },
    "err.sheet.date": {
        "ro": "data {date}: scrieți-o ca AAAA-LL-ZZ (de exemplu 2026-11-25)",
        "en": "date {date}: write it as YYYY-MM-DD (e.g. 2026-11-25)",
        "hu": "{date} dátum: ÉÉÉÉ-HH-NN alakban írja (például 2026-11-25)",
    },
    "err.sheet.seq": {
        "ro": "numărul de ordine al foii {seq}: folosiți un număr întreg de la 1 la 99",
        "en": "sheet sequence number {seq}: use a whole number from 1 to 99",
        "hu": "{seq} lapsorszám: 1 és 99 közötti egész számot adjon meg",
    },
    "err.sheet.id_shape": {
        "ro": "id-ul de foaie {id} nu are forma 'DAL-20261125-01-F' (comunitate, dată, număr, "
        "caracter de control); copiați-l din nou de pe foaie",
        "en": "sheet id {id} is not shaped like 'DAL-20261125-01-F' (community, date, number, "
        "check character); copy it again from the sheet",
        "hu": "a(z) {id} lapazonosító nem 'DAL-20261125-01-F' alakú (közösség, dátum, szám, "
        "ellenőrző karakter); másolja le újra a lapról",
    },
    "err.sheet.id_check": {
        "ro": "id-ul de foaie {id} nu trece de caracterul de control: probabil un caracter a "
        "fost copiat greșit; citiți din nou id-ul din colțul din dreapta sus al foii tipărite",
        "en": "sheet id {id} fails its check character: a character was probably mis-copied; "
        "read the id again from the top right corner of the printed sheet",
        "hu": "a(z) {id} lapazonosító ellenőrző karaktere nem egyezik: valószínűleg egy "
        "karaktert rosszul másoltak le; olvassa le újra az azonosítót a nyomtatott lap jobb "
        "felső sarkából",
    },
    "err.sheet.id_date": {
        "ro": "id-ul de foaie {id}: {date} nu este o dată",
        "en": "sheet id {id}: {date} is not a date",
        "hu": "{id} lapazonosító: {date} nem dátum",
    },
    "err.sheet.cell_size": {
        "ro": "dimensiunea celulei grilei {size}: folosiți o lungime pozitivă în m",
        "en": "grid cell size {size}: use a positive length in m",
        "hu": "{size} rácscellaméret: pozitív hosszt adjon meg méterben",
    },
    "err.sheet.grid_size": {
        "ro": "grilă de {cols} x {rows} celule: folosiți 1–702 coloane și 1–999 rânduri",
        "en": "grid of {cols} x {rows} cells: use 1–702 columns and 1–999 rows",
        "hu": "{cols} x {rows} cellás rács: 1–702 oszlopot és 1–999 sort használjon",
    },
    "err.sheet.cell_shape": {
        "ro": "celula {cell} nu este o celulă a grilei; scrieți o literă de coloană și un număr "
        "de rând, ca 'C4', sau un sfert, ca 'C4-NE' (NW, NE, SW, SE)",
        "en": "cell {cell} is not a grid cell; write a column letter and a row number such as "
        "'C4', or a quarter such as 'C4-NE' (NW, NE, SW, SE)",
        "hu": "a(z) {cell} nem rácscella; írjon egy oszlopbetűt és egy sorszámot, például "
        "'C4', vagy egy negyedet, például 'C4-NE' (NW, NE, SW, SE)",
    },
    "err.sheet.quarter": {
        "ro": "celula {cell}: sfertul trebuie să fie NW, NE, SW sau SE",
        "en": "cell {cell}: the quarter must be NW, NE, SW or SE",
        "hu": "{cell} cella: a negyed csak NW, NE, SW vagy SE lehet",
    },
    "err.sheet.cell_outside": {
        "ro": "celula {cell} este în afara foii (coloanele A–{last}, rândurile 1–{rows}); "
        "verificați celula pe foaia tipărită",
        "en": "cell {cell} is outside the sheet (columns A–{last}, rows 1–{rows}); check the "
        "cell on the printed sheet",
        "hu": "a(z) {cell} cella kívül esik a lapon (oszlopok: A–{last}, sorok: 1–{rows}); "
        "ellenőrizze a cellát a nyomtatott lapon",
    },
    "err.sheet.cell_outside_sheet": {
        "ro": "celula {cell} este în afara foii {sheet} (coloanele A–{last}, rândurile "
        "1–{rows}); verificați celula pe foaia tipărită",
        "en": "cell {cell} is outside the sheet {sheet} (columns A–{last}, rows 1–{rows}); "
        "check the cell on the printed sheet",
        "hu": "a(z) {cell} cella kívül esik a(z) {sheet} lapon (oszlopok: A–{last}, sorok: "
        "1–{rows}); ellenőrizze a cellát a nyomtatott lapon",
    },
    "err.sheet.point_outside": {
        "ro": "punctul ({x}, {y}) este în afara grilei {bounds} (EPSG:3844)",
        "en": "point ({x}, {y}) is outside the grid {bounds} (EPSG:3844)",
        "hu": "a(z) ({x}, {y}) pont kívül esik a(z) {bounds} rácson (EPSG:3844)",
    },
    "err.sheet.extent_empty": {
        "ro": "extinderea {extent} este goală; dați (minx, miny, maxx, maxy) în EPSG:3844",
        "en": "extent {extent} is empty; give (minx, miny, maxx, maxy) in EPSG:3844",
        "hu": "a(z) {extent} kiterjedés üres; adja meg (minx, miny, maxx, maxy) alakban, "
        "EPSG:3844-ben",
    },
    "err.sheet.extent_wide": {
        "ro": "o extindere lată de {width} m are nevoie de {cols} coloane de {cell} m; pe o "
        "foaie încap cel mult {most}: folosiți un cell_size mai mare",
        "en": "extent {width} m wide needs {cols} columns of {cell} m; at most {most} fit a "
        "sheet: use a larger cell_size",
        "hu": "a(z) {width} m széles kiterjedéshez {cols} darab {cell} m-es oszlop kellene; "
        "egy lapra legfeljebb {most} fér: válasszon nagyobb cell_size értéket",
    },
    "err.sheet.code_shape": {
        "ro": "codul foii {code} nu are forma 'PATA1 DAL-20261125-01-F 399400 586700 50 13x11 "
        "2500'; copiați-l din nou",
        "en": "sheet code {code} is not shaped like 'PATA1 DAL-20261125-01-F 399400 586700 50 "
        "13x11 2500'; copy it again",
        "hu": "a(z) {code} lapkód nem 'PATA1 DAL-20261125-01-F 399400 586700 50 13x11 2500' "
        "alakú; másolja le újra",
    },
    "err.sheet.entries_lack": {
        "ro": "în înregistrări lipsesc coloanele {columns}; scrieți câte un rând pentru fiecare "
        "marcaj, cu cell, category, severity și consent",
        "en": "the entries lack the column(s) {columns}; type one row per mark with cell, "
        "category, severity and consent",
        "hu": "a bejegyzésekből hiányzik a(z) {columns} oszlop; soronként egy jelölést írjon "
        "be a cell, category, severity és consent oszlopokkal",
    },
    "err.sheet.entries_lack_fields": {
        "ro": "în înregistrări lipsesc coloanele {columns}; dați câte un rând pentru fiecare "
        "marcaj, cu categoria, gravitatea și acordul lui",
        "en": "the entries lack the column(s) {columns}; give one row per mark with its "
        "category, severity and consent",
        "hu": "a bejegyzésekből hiányzik a(z) {columns} oszlop; soronként egy jelölést adjon "
        "meg a kategóriájával, súlyosságával és a beleegyezéssel",
    },
    "err.sheet.entries_lack_pixel": {
        "ro": "în înregistrări lipsesc coloanele {columns}: pixelul marcajului",
        "en": "the entries lack the column(s) {columns}: the mark's pixel",
        "hu": "a bejegyzésekből hiányzik a(z) {columns} oszlop: a jelölés képpontja",
    },
    "err.sheet.row": {
        "ro": "rândul {pos} (indexul {index}): {problem}",
        "en": "row {pos} (index {index}): {problem}",
        "hu": "{pos}. sor (index: {index}): {problem}",
    },
    "err.sheet.cell_empty": {
        "ro": "celula este goală; scrieți celula, de exemplu 'C4'",
        "en": "the cell is empty; write the cell such as 'C4'",
        "hu": "a cella üres; írja be a cellát, például 'C4'",
    },
    "err.sheet.other_sheet": {
        "ro": "id-ul de foaie {id} nu este al foii acestei grile ({grid}); introduceți "
        "marcajele fiecărei foi cu grila acelei foi",
        "en": "sheet id {id} is not the sheet of this grid ({grid}); enter the marks of each "
        "sheet with that sheet's grid",
        "hu": "a(z) {id} lapazonosító nem ennek a rácsnak a lapja ({grid}); minden lap "
        "jelöléseit a saját rácsával vigye be",
    },
    "err.sheet.category": {
        "ro": "categoria {value} este necunoscută; folosiți una dintre: {choices}",
        "en": "category {value} is unknown; use one of {choices}",
        "hu": "a(z) {value} kategória ismeretlen; ezek egyikét használja: {choices}",
    },
    "err.sheet.severity": {
        "ro": "gravitatea {value} trebuie să fie un număr întreg 1–5",
        "en": "severity {value} must be a whole number 1–5",
        "hu": "a(z) {value} súlyosság 1–5 közötti egész szám kell legyen",
    },
    "err.sheet.consent": {
        "ro": "acordul {value} lipsește sau nu este clar; scrieți da/yes/igen sau nu/no/nem",
        "en": "consent {value} is missing or unclear; write da/yes/igen or nu/no/nem",
        "hu": "a(z) {value} beleegyezés hiányzik vagy nem egyértelmű; írja be: da/yes/igen "
        "vagy nu/no/nem",
    },
    "err.sheet.time_of_day": {
        "ro": "momentul zilei {value} este necunoscut; folosiți: {choices}",
        "en": "time of day {value} is unknown; use {choices}",
        "hu": "a(z) {value} napszak ismeretlen; ezek egyikét használja: {choices}",
    },
    "err.sheet.no_id": {"ro": "(fără id)", "en": "(no id)", "hu": "(azonosító nélkül)"},
    "err.sheet.problems_typed": {
        "ro": "probleme în marcajele introduse de pe foaia {sheet}: {n}; nu a fost plasat "
        "nimic, corectați rândurile și introduceți-le din nou",
        "en": "{n} problem(s) in the marks typed from sheet {sheet}; nothing was placed, fix "
        "the rows and enter them again",
        "hu": "{n} probléma a(z) {sheet} lapról begépelt jelölésekben; semmi sem került a "
        "térképre, javítsa a sorokat, és vigye be őket újra",
    },
    "err.sheet.problems_drawn": {
        "ro": "probleme în marcajele desenate pe foaia {sheet}: {n}; nu a fost plasat nimic, "
        "corectați rândurile și introduceți-le din nou",
        "en": "{n} problem(s) in the marks drawn on sheet {sheet}; nothing was placed, fix "
        "the rows and enter them again",
        "hu": "{n} probléma a(z) {sheet} lapra rajzolt jelölésekben; semmi sem került a "
        "térképre, javítsa a sorokat, és vigye be őket újra",
    },
    "err.sheet.ref_name": {
        "ro": "punctul de referință {name}: numiți un colț al grilei (NW, NE, SW, SE) sau al "
        "unei celule ('C4-NW')",
        "en": "reference point {name}: name a corner of the grid (NW, NE, SW, SE) or of a "
        "cell ('C4-NW')",
        "hu": "{name} referenciapont: nevezze meg a rács (NW, NE, SW, SE) vagy egy cella "
        "sarkát ('C4-NW')",
    },
    "err.sheet.ref_few": {
        "ro": "puncte de referință: {n}; alegeți pe fotografie cel puțin cele patru colțuri "
        "ale grilei (NW, NE, SW, SE) și o a cincea intersecție ca să le verificați",
        "en": "{n} reference point(s): pick at least the four corners of the grid (NW, NE, "
        "SW, SE) on the photo, and a fifth crossing to check them",
        "hu": "{n} referenciapont: jelölje ki a fényképen legalább a rács négy sarkát (NW, "
        "NE, SW, SE), és ellenőrzésként egy ötödik metszéspontot",
    },
    "err.sheet.ref_line": {
        "ro": "punctele de referință sunt pe o singură linie; alegeți cele patru colțuri ale "
        "grilei",
        "en": "the reference points lie on one line; pick the four corners of the grid",
        "hu": "a referenciapontok egy egyenesre esnek; jelölje ki a rács négy sarkát",
    },
    "err.sheet.ref_misfit": {
        "ro": "punctele de referință nu se potrivesc cu grila (abatere {rms} m; cel mai rău "
        "{worst}, la {off} m); verificați că fiecare punct a fost ales acolo unde spune "
        "numele lui",
        "en": "the reference points do not fit the grid (misfit {rms} m; worst {worst}, "
        "{off} m off); check that each point was clicked where its name says",
        "hu": "a referenciapontok nem illeszkednek a rácsra ({rms} m eltérés; a legrosszabb "
        "{worst}, {off} m-re); ellenőrizze, hogy minden pontot a neve szerinti helyre "
        "kattintottak-e",
    },
    "err.sheet.pixel_nan": {
        "ro": "pixelul ({px}, {py}) nu este un număr",
        "en": "pixel ({px}, {py}) is not a number",
        "hu": "a(z) ({px}, {py}) képpont nem szám",
    },
    "err.sheet.pixel_outside": {
        "ro": "pixelul ({px}, {py}) cade în afara grilei foii; marcajul a fost desenat în "
        "afara hărții sau punctele de referință au nume greșite?",
        "en": "pixel ({px}, {py}) falls outside the grid of the sheet; was the mark drawn "
        "outside the map, or the reference points mislabelled?",
        "hu": "a(z) ({px}, {py}) képpont a lap rácsán kívül esik; a térképen kívülre "
        "rajzolták a jelölést, vagy rossz nevet kaptak a referenciapontok?",
    },
    "err.sheet.need_settlements": {
        "ro": "comunitatea {community}: dați stratul 'settlements' (cu un câmp 'name') sau o "
        "extindere explicită",
        "en": "community {community}: pass the 'settlements' layer (with a 'name' field) or "
        "an explicit extent",
        "hu": "{community} közösség: adja meg a 'settlements' réteget ('name' mezővel) vagy "
        "egy konkrét kiterjedést",
    },
    "err.sheet.community_unknown": {
        "ro": "comunitatea {community} nu este în stratul settlements; cunoscute: {known}",
        "en": "community {community} is not in the settlements layer; known: {known}",
        "hu": "a(z) {community} közösség nincs a settlements rétegben; ismertek: {known}",
    },
    "err.sheet.too_big": {
        "ro": "o zonă de {w} x {h} m nu încape pe o foaie cu o grilă lizibilă; dați o "
        "extindere mai mică sau o hârtie mai mare",
        "en": "an area of {w} x {h} m does not fit a sheet with a readable grid; pass a "
        "smaller extent or a larger paper",
        "hu": "egy {w} x {h} m-es terület nem fér el olvasható ráccsal egy lapon; adjon meg "
        "kisebb kiterjedést vagy nagyobb papírt",
    },
    "err.sheet.wrong_session": {
        "ro": "sesiunea {session} nu este a comunității {community} din {day}; dați sesiunea "
        "acestei comunități și zile, sau seq=",
        "en": "session {session} is not of {community} on {day}; pass the session of this "
        "community and day, or seq=",
        "hu": "a(z) {session} alkalom nem a(z) {community} közösség {day} napi alkalma; adja "
        "meg ennek a közösségnek és napnak az alkalmát, vagy a seq= értéket",
    },
    "err.sheet.meta_lacks": {
        "ro": "în metadatele foii lipsesc {keys}; grila nu poate fi refăcută",
        "en": "sheet metadata lacks {keys}; it cannot rebuild the grid",
        "hu": "a lap metaadataiból hiányzik: {keys}; a rács nem állítható helyre",
    },
    "err.sheet.meta_crs": {
        "ro": "metadatele foii au crs {crs}; grilele foilor sunt în EPSG:3844",
        "en": "sheet metadata has crs {crs}; sheet grids are EPSG:3844",
        "hu": "a lap metaadataiban a crs {crs}; a laprácsok EPSG:3844-ben vannak",
    },
    # --- errors: pata_gis.workshop (sessions, marks, form imports, paths) ---
    "err.ws.scope_unknown": {
        "ro": "domeniul de acord {scope} este necunoscut; folosiți unul dintre: {choices}",
        "en": "consent scope {scope} is unknown; use one of {choices}",
        "hu": "a(z) {scope} beleegyezési kör ismeretlen; ezek egyikét használja: {choices}",
    },
    "err.ws.audience_unknown": {
        "ro": "publicul {audience} este necunoscut; folosiți unul dintre: {choices}",
        "en": "audience {audience} is unknown; use one of {choices}",
        "hu": "a(z) {audience} közönség ismeretlen; ezek egyikét használja: {choices}",
    },
    "err.ws.community_unknown": {
        "ro": "comunitatea {community} este necunoscută; folosiți una dintre: {choices}",
        "en": "community {community} is unknown; use one of {choices}",
        "hu": "a(z) {community} közösség ismeretlen; ezek egyikét használja: {choices}",
    },
    "err.ws.not_date": {
        "ro": "data {value} nu este o dată; scrieți-o ca 'AAAA-LL-ZZ' (de exemplu '2026-11-25')",
        "en": "date {value} is not a date; give it as 'YYYY-MM-DD' (e.g. '2026-11-25')",
        "hu": "a(z) {value} nem dátum; 'ÉÉÉÉ-HH-NN' alakban adja meg (például '2026-11-25')",
    },
    "err.ws.no_layers": {
        "ro": "{path}: nu are stratul {layers}; spațiul de lucru a fost creat înainte să existe "
        "straturile atelierului. Creați un spațiu de lucru nou (Workspace.create) și importați "
        "în el straturile vechi.",
        "en": "{path}: has no layer {layers}; the workspace was made before the workshop layers "
        "existed. Create a new workspace (Workspace.create) and import the old layers into it.",
        "hu": "{path}: nincs benne {layers} réteg; a munkaterület a műhelyrétegek előtt "
        "készült. Hozzon létre új munkaterületet (Workspace.create), és importálja bele a régi "
        "rétegeket.",
    },
    "err.ws.no_session": {
        "ro": "nu există sesiunea de atelier {sid} în {file}; ultimele sunt: {known}. Creați-o "
        "mai întâi cu new_session(...)",
        "en": "no workshop session {sid} in {file}; the latest are: {known}. Create it first "
        "with new_session(...)",
        "hu": "nincs {sid} műhelyalkalom itt: {file}; a legutóbbiak: {known}. Először hozza "
        "létre a new_session(...) hívással",
    },
    "err.ws.none_yet": {"ro": "(niciuna încă)", "en": "(none yet)", "hu": "(még egy sincs)"},
    "err.ws.no_outlines": {
        "ro": "spațiul de lucru nu are contururi de așezări în care să plaseze sesiunea "
        "comunității {community}; dați location=(lon, lat)",
        "en": "the workspace has no settlement outlines to place the session of {community}; "
        "pass location=(lon, lat)",
        "hu": "a munkaterületen nincsenek településkörvonalak a(z) {community} alkalmának "
        "elhelyezéséhez; adja meg a location=(lon, lat) értéket",
    },
    "err.ws.consent_scope_unknown": {
        "ro": "consent_scope {scope} este necunoscut; folosiți unul dintre: {choices} (de la "
        "cel mai restrâns la cel mai larg; vedeți pata_gis.workshop)",
        "en": "consent_scope {scope} is unknown; use one of {choices} (narrowest to widest; "
        "see pata_gis.workshop)",
        "hu": "a(z) {scope} consent_scope ismeretlen; ezek egyikét használja: {choices} (a "
        "legszűkebbtől a legtágabbig; lásd pata_gis.workshop)",
    },
    "err.ws.no_facilitator": {
        "ro": "moderatorul lipsește; scrieți numele celui care a condus atelierul",
        "en": "facilitator is empty; give the name of who ran the workshop",
        "hu": "a moderátor mezője üres; adja meg, ki vezette a műhelyt",
    },
    "err.ws.participants": {
        "ro": "numărul de participanți trebuie să fie un număr întreg >= 0, nu {value}",
        "en": "participants must be a whole number >= 0, got {value}",
        "hu": "a résztvevők száma 0 vagy nagyobb egész szám legyen, nem {value}",
    },
    "err.ws.no_marks": {
        "ro": "nu sunt marcaje de adăugat în sesiunea {sid}",
        "en": "no marks to add to session {sid}",
        "hu": "nincs hozzáadható jelölés a(z) {sid} alkalomhoz",
    },
    "err.ws.no_geometry_rows": {
        "ro": "rândurile de intrare {rows}: nu au geometrie de punct, linie sau poligon; "
        "desenați-le din nou sau ștergeți acele rânduri",
        "en": "input rows {rows}: no point, line or polygon geometry; redraw them or delete "
        "those rows",
        "hu": "bemeneti sor(ok) ({rows}): nincs pont-, vonal- vagy sokszöggeometria; rajzolja "
        "meg újra, vagy törölje ezeket a sorokat",
    },
    "err.ws.layer.risk_marks": {
        "ro": "stratul risk_marks: {problem}",
        "en": "risk_marks: {problem}",
        "hu": "risk_marks réteg: {problem}",
    },
    "err.ws.layer_rows.risk_marks": {
        "ro": "stratul risk_marks: {problem} [obiect=rând de intrare: {rows}]",
        "en": "risk_marks: {problem} [feature=input row: {rows}]",
        "hu": "risk_marks réteg: {problem} [objektum=bemeneti sor: {rows}]",
    },
    "err.ws.layer.risk_paths": {
        "ro": "stratul risk_paths: {problem}",
        "en": "risk_paths: {problem}",
        "hu": "risk_paths réteg: {problem}",
    },
    "err.ws.layer_rows.risk_paths": {
        "ro": "stratul risk_paths: {problem} [obiect=rând de intrare: {rows}]",
        "en": "risk_paths: {problem} [feature=input row: {rows}]",
        "hu": "risk_paths réteg: {problem} [objektum=bemeneti sor: {rows}]",
    },
    "err.ws.layer.risk_areas": {
        "ro": "stratul risk_areas: {problem}",
        "en": "risk_areas: {problem}",
        "hu": "risk_areas réteg: {problem}",
    },
    "err.ws.layer_rows.risk_areas": {
        "ro": "stratul risk_areas: {problem} [obiect=rând de intrare: {rows}]",
        "en": "risk_areas: {problem} [feature=input row: {rows}]",
        "hu": "risk_areas réteg: {problem} [objektum=bemeneti sor: {rows}]",
    },
    "err.ws.layer.roads": {
        "ro": "stratul roads: {problem}",
        "en": "roads: {problem}",
        "hu": "roads réteg: {problem}",
    },
    "err.ws.layer_rows.roads": {
        "ro": "stratul roads: {problem} [obiect=rând de intrare: {rows}]",
        "en": "roads: {problem} [feature=input row: {rows}]",
        "hu": "roads réteg: {problem} [objektum=bemeneti sor: {rows}]",
    },
    "err.ws.marks_problems": {
        "ro": "sesiunea {sid}: probleme în marcaje: {n}; nu s-a salvat nimic",
        "en": "session {sid}: {n} problem(s) in the marks; nothing was saved",
        "hu": "{sid} alkalom: {n} probléma a jelölésekben; semmi sem lett mentve",
    },
    "err.ws.paths_public": {
        "ro": "sesiunea {sid} are acordul {scope}, dar 'roads' este un strat public; întrebați "
        "grupul dacă cărările lui pot apărea pe harta publică și dați confirm_public=True, sau "
        "înregistrați cărările ca risk_paths",
        "en": "session {sid} has consent {scope}, but 'roads' is a public layer; ask the group "
        "whether its paths may go on the public map and pass confirm_public=True, or record "
        "the paths as risk_paths instead",
        "hu": "a(z) {sid} alkalom beleegyezése {scope}, de a 'roads' nyilvános réteg; kérdezze "
        "meg a csoportot, felkerülhetnek-e az ösvényei a nyilvános térképre, és adja meg a "
        "confirm_public=True értéket, vagy rögzítse az ösvényeket risk_paths rétegként",
    },
    "err.ws.no_paths": {
        "ro": "nu sunt cărări de adăugat în sesiunea {sid}",
        "en": "no paths to add to session {sid}",
        "hu": "nincs hozzáadható ösvény a(z) {sid} alkalomhoz",
    },
    "err.ws.not_mark_field": {
        "ro": "columns: {field} nu este un câmp al marcajelor; folosiți {choices}",
        "en": "columns: {field} is not a mark field; use {choices}",
        "hu": "columns: a(z) {field} nem jelölésmező; ezeket használja: {choices}",
    },
    "err.ws.not_a_column": {
        "ro": "{path}: columns[{field}] = {column} nu este o coloană a fișierului; coloanele "
        "sunt {columns}",
        "en": "{path}: columns[{field}] = {column} is not a column of the file; the columns "
        "are {columns}",
        "hu": "{path}: a columns[{field}] = {column} nem oszlopa a fájlnak; az oszlopok: {columns}",
    },
    "err.ws.no_file": {
        "ro": "{path}: nu există acest fișier; verificați calea exportului",
        "en": "{path}: no such file; check the path of the export",
        "hu": "{path}: nincs ilyen fájl; ellenőrizze az export elérési útját",
    },
    "err.ws.empty_file": {
        "ro": "{path}: fișierul este gol; descărcați din nou exportul",
        "en": "{path}: the file is empty; download the export again",
        "hu": "{path}: a fájl üres; töltse le újra az exportot",
    },
    "err.ws.no_header": {
        "ro": "{path}: nu are rând de antet; exportați datele formularului ca CSV cu antete",
        "en": "{path}: no header row; export the form data as CSV with headers",
        "hu": "{path}: nincs fejléc; exportálja az űrlap adatait fejléces CSV-ként",
    },
    "err.ws.row_too_long": {
        "ro": "{path}: rândul {row} are mai multe valori decât coloanele antetului; fișierul "
        "este deteriorat sau amestecă separatorii (exportați din nou cu ';' sau ',')",
        "en": "{path}: row {row} has more values than the header has columns; the file is "
        "damaged or mixes separators (export again with ';' or ',')",
        "hu": "{path}: a(z) {row}. sorban több érték van, mint ahány oszlop a fejlécben; a "
        "fájl sérült, vagy keveri az elválasztókat (exportálja újra ';' vagy ',' "
        "elválasztóval)",
    },
    "err.ws.no_category_column": {
        "ro": "{path}: nu are coloană de categorie (am căutat {looked}...; coloanele sunt "
        "{columns}); dați value_map sau redenumiți coloana în 'category'",
        "en": "{path}: no category column (looked for {looked}...; the columns are {columns}); "
        "pass value_map or rename the column to 'category'",
        "hu": "{path}: nincs kategóriaoszlop (kerestük: {looked}...; az oszlopok: {columns}); "
        "adja meg a value_map értéket, vagy nevezze át az oszlopot 'category' névre",
    },
    "err.ws.no_location_columns": {
        "ro": "{path}: nu are coloane de localizare (un geopoint ca "
        "_<name>_latitude/_<name>_longitude sau <name>-Latitude/<name>-Longitude, ori un "
        "geopoint/geotrace/geoshape ca 'lat lon alt acc;...'); exportați formularul cu "
        "întrebările lui de localizare",
        "en": "{path}: no location columns (a geopoint as _<name>_latitude/_<name>_longitude or "
        "<name>-Latitude/<name>-Longitude, or a geopoint/geotrace/geoshape as "
        "'lat lon alt acc;...'); export the form with its location questions",
        "hu": "{path}: nincsenek helyoszlopok (geopoint _<name>_latitude/_<name>_longitude "
        "vagy <name>-Latitude/<name>-Longitude alakban, illetve geopoint/geotrace/geoshape "
        "'lat lon alt acc;...' alakban); exportálja az űrlapot a helymeghatározó kérdéseivel "
        "együtt",
    },
    "err.ws.latlon_not_numbers": {
        "ro": "{path}: rândul {row}, câmpul {field}: latitudinea {lat} / longitudinea {lon} nu "
        "sunt numere; corectați-le sau ștergeți localizarea",
        "en": "{path}: row {row}, field {field}: latitude {lat} / longitude {lon} are not "
        "numbers; correct them or clear the location",
        "hu": "{path}: {row}. sor, {field} mező: a(z) {lat} szélesség / {lon} hosszúság nem "
        "szám; javítsa ki, vagy törölje a helyet",
    },
    "err.ws.geojson_invalid": {
        "ro": "{path}: nu este GeoJSON valid ({error}); exportați din nou datele",
        "en": "{path}: not valid GeoJSON ({error}); export the data again",
        "hu": "{path}: nem érvényes GeoJSON ({error}); exportálja újra az adatokat",
    },
    "err.ws.not_collection": {
        "ro": "{path}: nu este un FeatureCollection GeoJSON (nu are 'features'); exportați ca "
        "GeoJSON",
        "en": "{path}: not a GeoJSON FeatureCollection (no 'features'); export as GeoJSON",
        "hu": "{path}: nem GeoJSON FeatureCollection (nincs 'features'); GeoJSON-ként exportálja",
    },
    "err.ws.features_not_list": {
        "ro": "{path}: 'features' nu este o listă; fișierul este deteriorat",
        "en": "{path}: 'features' is not a list; the file is damaged",
        "hu": "{path}: a 'features' nem lista; a fájl sérült",
    },
    "err.ws.not_feature": {
        "ro": "{path}: obiectul {n} nu este un Feature GeoJSON; fișierul este deteriorat",
        "en": "{path}: feature {n} is not a GeoJSON Feature; the file is damaged",
        "hu": "{path}: a(z) {n}. objektum nem GeoJSON Feature; a fájl sérült",
    },
    "err.ws.broken_geometry": {
        "ro": "{path}: obiectul {n} are o geometrie stricată ({error}); corectați-l sau ștergeți-l",
        "en": "{path}: feature {n} has a broken geometry ({error}); fix or delete it",
        "hu": "{path}: a(z) {n}. objektum geometriája hibás ({error}); javítsa ki vagy törölje",
    },
    "err.ws.properties_not_object": {
        "ro": "{path}: obiectul {n}: 'properties' nu este un obiect",
        "en": "{path}: feature {n}: 'properties' is not an object",
        "hu": "{path}: {n}. objektum: a 'properties' nem objektum",
    },
    "err.ws.form_unknown": {
        "ro": "formularul {form} este necunoscut; folosiți unul dintre: {choices}",
        "en": "form {form} is unknown; use one of {choices}",
        "hu": "a(z) {form} űrlaptípus ismeretlen; ezek egyikét használja: {choices}",
    },
    "err.ws.nothing_imported": {
        "ro": "{file}: nu sunt marcaje de importat (rânduri: {n}; niciunul nu avea localizare)",
        "en": "{file}: no marks to import ({n} rows; none had a location)",
        "hu": "{file}: nincs importálható jelölés ({n} sor; egyiknek sem volt helye)",
    },
    "err.ws.nothing_imported_why": {
        "ro": "{file}: nu sunt marcaje de importat (rânduri: {n}; {why})",
        "en": "{file}: no marks to import ({n} rows; {why})",
        "hu": "{file}: nincs importálható jelölés ({n} sor; {why})",
    },
    "warn.ws.already_stored": {
        "ro": "{layer}: înregistrarea de formular {ext} este deja salvată pentru sesiunea {sid}",
        "en": "{layer}: form record {ext} is already stored for session {sid}",
        "hu": "{layer}: a(z) {ext} űrlaprekord már el van mentve a(z) {sid} alkalomhoz",
    },
    "warn.ws.path_no_road": {
        "ro": "obiectul {n}: nu există niciun drum de care să fie legată cărarea; rețeaua nu "
        "va ajunge la ea",
        "en": "feature {n}: there is no road to join the path to; the network will not reach it",
        "hu": "{n}. objektum: nincs út, amelyhez az ösvényt kapcsolni lehetne; a hálózat nem "
        "éri el",
    },
    "fix.ws.path_start_joined": {
        "ro": "obiectul {n}: începutul cărării se oprea la {d} m de un drum; a fost legat de el",
        "en": "feature {n}: the start of the path stopped {d} m short of a road; joined to it",
        "hu": "{n}. objektum: az ösvény eleje {d} m-rel egy út előtt véget ért; hozzákötöttük",
    },
    "fix.ws.path_end_joined": {
        "ro": "obiectul {n}: capătul cărării se oprea la {d} m de un drum; a fost legat de el",
        "en": "feature {n}: the end of the path stopped {d} m short of a road; joined to it",
        "hu": "{n}. objektum: az ösvény vége {d} m-rel egy út előtt véget ért; hozzákötöttük",
    },
    "warn.ws.path_far": {
        "ro": "obiectul {n}: cărarea este la {gap} m de cel mai apropiat drum sau cărare (peste "
        "{tol} m, deci nu a fost legată); rețeaua nu va ajunge la ea. Desenați-o până la "
        "drumul la care duce",
        "en": "feature {n}: the path is {gap} m from the nearest road or path (more than {tol} "
        "m, so not joined); the network will not reach it. Draw it up to the road it leads to",
        "hu": "{n}. objektum: az ösvény {gap} m-re van a legközelebbi úttól vagy ösvénytől "
        "(több mint {tol} m, ezért nem kötöttük hozzá); a hálózat nem éri el. Rajzolja meg "
        "egészen ahhoz az útig, ahová vezet",
    },
    "warn.ws.cp1250": {
        "ro": "nu este UTF-8: citit ca cp1250 (Windows, Europa Centrală)",
        "en": "not UTF-8: read as cp1250 (Windows Central European)",
        "hu": "nem UTF-8: cp1250-ként olvasva (Windows, közép-európai)",
    },
    "warn.ws.columns_used": {
        "ro": "coloane folosite: {columns}; localizare: {location}",
        "en": "columns used: {columns}; location: {location}",
        "hu": "használt oszlopok: {columns}; hely: {location}",
    },
    "warn.ws.row_rejected": {
        "ro": "rândul {row}: respins la verificare ({state})",
        "en": "row {row}: rejected in review ({state})",
        "hu": "{row}. sor: az ellenőrzésen elutasítva ({state})",
    },
    "warn.ws.row_no_location": {
        "ro": "rândul {row}: fără localizare",
        "en": "row {row}: no location",
        "hu": "{row}. sor: nincs hely",
    },
    "warn.ws.row_area_points": {
        "ro": "rândul {row}: câmpul {field}: o zonă are nevoie de cel puțin 3 puncte diferite",
        "en": "row {row}: field {field}: an area needs at least 3 different points",
        "hu": "{row}. sor: {field} mező: egy területhez legalább 3 különböző pont kell",
    },
    "warn.ws.row_path_points": {
        "ro": "rândul {row}: câmpul {field}: o cărare are nevoie de cel puțin 2 puncte diferite",
        "en": "row {row}: field {field}: a path needs at least 2 different points",
        "hu": "{row}. sor: {field} mező: egy ösvényhez legalább 2 különböző pont kell",
    },
    "warn.ws.area_points": {
        "ro": "câmpul {field}: o zonă are nevoie de cel puțin 3 puncte diferite",
        "en": "field {field}: an area needs at least 3 different points",
        "hu": "{field} mező: egy területhez legalább 3 különböző pont kell",
    },
    "warn.ws.path_points": {
        "ro": "câmpul {field}: o cărare are nevoie de cel puțin 2 puncte diferite",
        "en": "field {field}: a path needs at least 2 different points",
        "hu": "{field} mező: egy ösvényhez legalább 2 különböző pont kell",
    },
    "warn.ws.several_point": {
        "ro": "rândul {row}: mai multe localizări; s-a păstrat punctul (zonă > cărare > punct)",
        "en": "row {row}: several locations; kept the point (area > path > point)",
        "hu": "{row}. sor: több hely; a pontot tartottuk meg (terület > ösvény > pont)",
    },
    "warn.ws.several_linestring": {
        "ro": "rândul {row}: mai multe localizări; s-a păstrat linia (zonă > cărare > punct)",
        "en": "row {row}: several locations; kept the linestring (area > path > point)",
        "hu": "{row}. sor: több hely; a vonalat tartottuk meg (terület > ösvény > pont)",
    },
    "warn.ws.several_polygon": {
        "ro": "rândul {row}: mai multe localizări; s-a păstrat poligonul (zonă > cărare > punct)",
        "en": "row {row}: several locations; kept the polygon (area > path > point)",
        "hu": "{row}. sor: több hely; a sokszöget tartottuk meg (terület > ösvény > pont)",
    },
    "warn.ws.no_precision": {
        "ro": "marcaje fără precizie GPS (plasate pe hartă): {n}; accuracy_m stabilit la {m} m",
        "en": "{n} marks without GPS precision (placed on the map): accuracy_m set to {m} m",
        "hu": "{n} jelölés GPS-pontosság nélkül (a térképen elhelyezve): accuracy_m = {m} m",
    },
    "warn.ws.no_gps_accuracy": {
        "ro": "marcaje fără acuratețe GPS: {n}; accuracy_m stabilit la {m} m",
        "en": "{n} marks without a GPS accuracy: accuracy_m set to {m} m",
        "hu": "{n} jelölés GPS-pontosság nélkül: accuracy_m = {m} m",
    },
    "warn.ws.feature_no_location": {
        "ro": "obiectul {n}: fără localizare (salvat fără GPS)",
        "en": "feature {n}: no location (saved without GPS)",
        "hu": "{n}. objektum: nincs hely (GPS nélkül mentve)",
    },
    "warn.ws.value_missing": {
        "ro": "rândul {row}: lipsește {field}",
        "en": "row {row}: {field} missing",
        "hu": "{row}. sor: hiányzik a(z) {field}",
    },
    "warn.ws.value_unknown": {
        "ro": "rândul {row}: {field} {value} nu a fost înțeles",
        "en": "row {row}: {field} {value} not understood",
        "hu": "{row}. sor: a(z) {field} {value} értéke nem érthető",
    },
    # --- pata_gis.workspace.Workspace.import_file: progress steps ----------
    "step.reading": {
        "ro": "se citește {file}",
        "en": "reading {file}",
        "hu": "{file} beolvasása",
    },
    "step.checking": {
        "ro": "se verifică {file} față de stratul {layer}",
        "en": "checking {file} against layer {layer}",
        "hu": "{file} ellenőrzése a(z) {layer} réteg szerint",
    },
    "step.saving": {
        "ro": "se salvează stratul {layer}",
        "en": "saving layer {layer}",
        "hu": "a(z) {layer} réteg mentése",
    },
}
register(MESSAGES)

#: How lists of notes are joined. Registered for :meth:`Note.in_language`, but left
#: out of the templates matched back from plain text: a bare ``"{first}; {rest}"``
#: would match any text holding a semicolon.
_JOINERS: dict[str, dict[str, str]] = {
    "join.semicolon": {"ro": "{first}; {rest}", "en": "{first}; {rest}", "hu": "{first}; {rest}"},
}
register(_JOINERS)


def join_notes(items: Iterable[str]) -> str:
    """Notes joined with ``"; "``, still translatable as a whole (a :class:`Note`).

    Parameters
    ----------
    items : iterable of str
        Notes (or plain texts); an empty list gives ``""``.

    Returns
    -------
    str
        The one item itself, or a :class:`Note` holding the items.

    Examples
    --------
    >>> join_notes([note("note.no_network"), "x"])
    'no street network: walking times to services left out; x'
    """
    parts = list(items)
    if not parts:
        return ""
    out = parts[-1]
    for first in reversed(parts[:-1]):
        out = note("join.semicolon", first=first, rest=out)
    return out


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


def error_text(exc: BaseException, lang: str | None, *, summary: bool = False) -> str:
    """An exception's message in `lang`, for the app (file, layer and field names kept).

    Parameters
    ----------
    exc : BaseException
        Usually a :class:`pata_gis._errors.PataGisError`; the library raises its
        messages as :class:`Note` (on ``args[0]``, or as ``message`` of a
        :class:`~pata_gis._errors.ValidationError`); other messages are matched
        back to the English templates.
    lang : str
        ``"ro"``, ``"en"`` or ``"hu"``.
    summary : bool
        Only the one-line summary of a ValidationError (its problems are then
        shown one by one with :func:`translate`).
    """
    message = getattr(exc, "message", None)
    if summary and isinstance(message, str):
        return translate(message, lang)
    first = exc.args[0] if exc.args else None
    return translate(first if isinstance(first, Note) else str(exc), lang)
