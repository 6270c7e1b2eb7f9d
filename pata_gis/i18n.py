"""Interface strings in Romanian (first), English and Hungarian.

Layer and field titles live in the layer specs (``LayerSpec.title``,
``FieldSpec.title``); this module holds only the words of the maps and the app.

Examples
--------
>>> from pata_gis.i18n import t
>>> t("legend.title", "en")
'Legend'
>>> t("legend.hidden", "ro", n=2)
'2 straturi ascunse (date sensibile)'
"""

from __future__ import annotations

import logging

from pata_gis import settings

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "STRINGS", "language", "number", "register", "t"]

logger = logging.getLogger(__name__)

#: Interface languages, Romanian first (the default).
LANGUAGES: dict[str, str] = {"ro": "Română", "en": "English", "hu": "Magyar"}

#: The language used when none is given and settings name none we know.
DEFAULT_LANGUAGE = "ro"

#: key -> {language code -> text}. Every key has "ro" and "en" (a test checks);
#: "hu" where it is cheap. Placeholders use :meth:`str.format` names.
STRINGS: dict[str, dict[str, str]] = {
    # --- map -------------------------------------------------------------
    "legend.title": {"ro": "Legendă", "en": "Legend", "hu": "Jelmagyarázat"},
    "legend.hidden": {
        "ro": "{n} straturi ascunse (date sensibile)",
        "en": "{n} layers hidden (sensitive data)",
        "hu": "{n} réteg elrejtve (érzékeny adatok)",
    },
    "legend.sources": {"ro": "Surse", "en": "Sources", "hu": "Források"},
    "legend.no_layers": {
        "ro": "Niciun strat de afișat",
        "en": "No layer to show",
        "hu": "Nincs megjeleníthető réteg",
    },
    "map.empty_value": {"ro": "—", "en": "—", "hu": "—"},
    "map.features": {"ro": "obiecte", "en": "features", "hu": "objektum"},
    "sensitivity.public": {"ro": "public", "en": "public", "hu": "nyilvános"},
    "sensitivity.restricted": {"ro": "restricționat", "en": "restricted", "hu": "korlátozott"},
    "sensitivity.confidential": {"ro": "confidențial", "en": "confidential", "hu": "bizalmas"},
    # --- app -------------------------------------------------------------
    "app.title": {
        "ro": "Pata Rât — hărți de risc",
        "en": "Pata Rât — risk maps",
        "hu": "Pata Rât — kockázati térképek",
    },
    "app.language": {"ro": "Limbă", "en": "Language", "hu": "Nyelv"},
    "app.workspace": {"ro": "Spațiu de lucru", "en": "Workspace", "hu": "Munkaterület"},
    "app.workspace_created": {
        "ro": "Spațiul de lucru a fost creat din catalog: {path}",
        "en": "The workspace was created from the catalogue: {path}",
        "hu": "A munkaterület a katalógusból készült: {path}",
    },
    "app.workspace_error": {
        "ro": "Spațiul de lucru nu poate fi deschis: {error}",
        "en": "The workspace cannot be opened: {error}",
        "hu": "A munkaterület nem nyitható meg: {error}",
    },
    "app.offline_note": {
        "ro": "Harta funcționează fără internet (fără fundal de hartă online).",
        "en": "The map works without internet (no online base map).",
        "hu": "A térkép internet nélkül is működik (online alaptérkép nélkül).",
    },
    "page.map": {"ro": "Hartă", "en": "Map", "hu": "Térkép"},
    "page.workshop": {"ro": "Atelier", "en": "Workshop", "hu": "Műhely"},
    "page.sites": {"ro": "Amplasamente", "en": "Sites", "hu": "Helyszínek"},
    "page.scenarios": {"ro": "Scenarii", "en": "Scenarios", "hu": "Forgatókönyvek"},
    "page.safety": {"ro": "Plan de siguranță", "en": "Safety plan", "hu": "Biztonsági terv"},
    "page.data": {"ro": "Date", "en": "Data", "hu": "Adatok"},
    "page.in_progress": {
        "ro": "Această pagină este în lucru.",
        "en": "This page is being built.",
        "hu": "Ez az oldal készül.",
    },
    "map.heading": {
        "ro": "Harta straturilor publice",
        "en": "Map of the public layers",
        "hu": "A nyilvános rétegek térképe",
    },
    "map.caption": {
        "ro": "{n} straturi publice din spațiul de lucru. Straturile restricționate și "
        "confidențiale nu sunt afișate.",
        "en": "{n} public layers of the workspace. Restricted and confidential layers are "
        "not shown.",
        "hu": "A munkaterület {n} nyilvános rétege. A korlátozott és bizalmas rétegek nem "
        "jelennek meg.",
    },
    "map.hidden_list": {
        "ro": "Straturi neafișate: {names}",
        "en": "Layers not shown: {names}",
        "hu": "Nem megjelenített rétegek: {names}",
    },
    "map.layer_table": {"ro": "Straturi", "en": "Layers", "hu": "Rétegek"},
    "map.col_layer": {"ro": "Strat", "en": "Layer", "hu": "Réteg"},
    "map.col_features": {"ro": "Obiecte", "en": "Features", "hu": "Objektumok"},
    "map.col_source": {"ro": "Sursă", "en": "Source", "hu": "Forrás"},
    "map.download": {
        "ro": "Descarcă harta (HTML, funcționează offline)",
        "en": "Download the map (HTML, works offline)",
        "hu": "Térkép letöltése (HTML, offline is működik)",
    },
    "map.clicked": {
        "ro": "Ultimul punct ales: {lat:.5f} N, {lon:.5f} E",
        "en": "Last point clicked: {lat:.5f} N, {lon:.5f} E",
        "hu": "Utoljára kiválasztott pont: {lat:.5f} É, {lon:.5f} K",
    },
    # --- landfill overlays -------------------------------------------------
    "pollution.zone": {
        "ro": "Zona de protecție sanitară ({distance} m)",
        "en": "Sanitary protection zone ({distance} m)",
        "hu": "Egészségügyi védőövezet ({distance} m)",
    },
    "pollution.zone_tip": {
        "ro": "Locuințele nu ar trebui să fie la mai puțin de {distance} m de celulele active "
        "ale depozitului de deșeuri.",
        "en": "Homes should not be closer than {distance} m to the active landfill cells.",
        "hu": "Lakóházak nem lehetnek {distance} m-nél közelebb a hulladéklerakó aktív celláihoz.",
    },
    "pollution.reference": {"ro": "Temei legal", "en": "Legal basis", "hu": "Jogalap"},
    "pollution.bands": {
        "ro": "Distanța față de depozit",
        "en": "Distance from the landfill",
        "hu": "Távolság a lerakótól",
    },
    "pollution.band_tip": {
        "ro": "{band} de celulele active ale depozitului",
        "en": "{band} from the active landfill cells",
        "hu": "{band} a lerakó aktív celláitól",
    },
    "pollution.bands_note": {
        "ro": "Măsurată de la celulele active ale depozitului.",
        "en": "Measured from the active landfill cells.",
        "hu": "A lerakó aktív celláitól mérve.",
    },
    "pollution.exposure": {
        "ro": "Expunere la depozit (indice 0–1)",
        "en": "Landfill exposure (index 0–1)",
        "hu": "Lerakó-kitettség (0–1 index)",
    },
    "pollution.exposure_note": {
        "ro": "exp(−d / {decay} m), d = distanța până la celulele active. Indice de "
        "comparație, nu concentrație măsurată.",
        "en": "exp(−d / {decay} m), d = distance to the active cells. An index for "
        "comparison, not a measured concentration.",
        "hu": "exp(−d / {decay} m), d = távolság az aktív celláktól. Összehasonlító index, "
        "nem mért koncentráció.",
    },
    "map.pollution_unavailable": {
        "ro": "Zonele depozitului nu pot fi desenate: {error}",
        "en": "The landfill zones cannot be drawn: {error}",
        "hu": "A lerakó övezetei nem rajzolhatók meg: {error}",
    },
    # --- a clicked place --------------------------------------------------
    "place.heading": {
        "ro": "Distanțe de la locul ales",
        "en": "Distances from the chosen place",
        "hu": "Távolságok a kiválasztott helytől",
    },
    "place.hint": {
        "ro": "Faceți clic pe hartă: apar distanțele de la acel loc până la depozit, școli, "
        "medici, servicii și stații.",
        "en": "Click on the map: the distances from that place to the landfill, schools, "
        "doctors, services and stops appear here.",
        "hu": "Kattintson a térképre: itt jelennek meg a távolságok a lerakóig, iskolákig, "
        "orvosokig, szolgáltatásokig és megállókig.",
    },
    "place.marker": {"ro": "Locul ales", "en": "Chosen place", "hu": "Kiválasztott hely"},
    "place.col_what": {"ro": "Ce", "en": "What", "hu": "Mi"},
    "place.col_nearest": {"ro": "Cel mai apropiat", "en": "Nearest", "hu": "Legközelebbi"},
    "place.col_straight": {
        "ro": "În linie dreaptă (m)",
        "en": "Straight line (m)",
        "hu": "Légvonalban (m)",
    },
    "place.col_network": {"ro": "Pe drum (m)", "en": "By road (m)", "hu": "Úton (m)"},
    "place.col_walk": {"ro": "Pe jos (min)", "en": "Walking (min)", "hu": "Gyalog (perc)"},
    "place.col_drive": {
        "ro": "Echipaj cu mașina (min)",
        "en": "Crew by car (min)",
        "hu": "Kiérkező egység autóval (perc)",
    },
    "place.by_car_other": {
        "ro": "cu mașina ajunge primul: {name}",
        "en": "first to arrive by car: {name}",
        "hu": "autóval elsőként ér oda: {name}",
    },
    "place.off_road": {
        "ro": "include {m} m pe jos în afara drumurilor cartografiate",
        "en": "includes {m} m on foot off the mapped roads",
        "hu": "{m} m gyaloglást tartalmaz a térképezett utakon kívül",
    },
    "place.car_off_road": {
        "ro": "timpul cu mașina include {m} m pe jos până la drumurile carosabile cartografiate",
        "en": "the car time includes {m} m on foot to the mapped drivable roads",
        "hu": "az autós idő {m} m gyaloglást tartalmaz a térképezett autóutakig",
    },
    "place.col_note": {"ro": "Observații", "en": "Notes", "hu": "Megjegyzés"},
    "place.cat.landfill": {
        "ro": "Depozit de deșeuri (celulă activă)",
        "en": "Landfill (active cell)",
        "hu": "Hulladéklerakó (aktív cella)",
    },
    "place.cat.school": {"ro": "Școală", "en": "School", "hu": "Iskola"},
    "place.cat.kindergarten": {"ro": "Grădiniță", "en": "Kindergarten", "hu": "Óvoda"},
    "place.cat.family_doctor": {
        "ro": "Medic de familie",
        "en": "Family doctor",
        "hu": "Háziorvos",
    },
    "place.cat.pharmacy": {"ro": "Farmacie", "en": "Pharmacy", "hu": "Gyógyszertár"},
    "place.cat.hospital": {"ro": "Spital", "en": "Hospital", "hu": "Kórház"},
    "place.cat.emergency_department": {
        "ro": "Unitate de primiri urgențe (UPU)",
        "en": "Emergency department",
        "hu": "Sürgősségi osztály",
    },
    "place.cat.social_service": {
        "ro": "Serviciu social",
        "en": "Social service",
        "hu": "Szociális szolgáltatás",
    },
    "place.cat.police": {"ro": "Poliție", "en": "Police", "hu": "Rendőrség"},
    "place.cat.ambulance": {"ro": "Ambulanță", "en": "Ambulance", "hu": "Mentőszolgálat"},
    "place.cat.fire": {"ro": "Pompieri", "en": "Fire brigade", "hu": "Tűzoltóság"},
    "place.cat.transit_stop": {
        "ro": "Stație de transport public",
        "en": "Public transport stop",
        "hu": "Tömegközlekedési megálló",
    },
    "place.band": {"ro": "banda {band}", "en": "band {band}", "hu": "{band} sáv"},
    "place.exposure": {
        "ro": "indice de expunere {value}",
        "en": "exposure index {value}",
        "hu": "kitettségi index {value}",
    },
    "place.inside_zone": {
        "ro": "ÎN zona de protecție sanitară ({distance} m)",
        "en": "INSIDE the sanitary protection zone ({distance} m)",
        "hu": "az egészségügyi védőövezeten BELÜL ({distance} m)",
    },
    "place.outside_zone": {
        "ro": "în afara zonei de protecție sanitară ({distance} m)",
        "en": "outside the sanitary protection zone ({distance} m)",
        "hu": "az egészségügyi védőövezeten kívül ({distance} m)",
    },
    "place.none": {
        "ro": "niciunul în spațiul de lucru",
        "en": "none in the workspace",
        "hu": "nincs a munkaterületen",
    },
    "place.no_landfill": {
        "ro": "nicio celulă activă în stratul depozitului",
        "en": "no active cell in the landfill layer",
        "hu": "nincs aktív cella a lerakó rétegben",
    },
    "place.by_road_other": {
        "ro": "pe drum cel mai aproape: {name}",
        "en": "nearest by road: {name}",
        "hu": "úton a legközelebbi: {name}",
    },
    "place.unreachable": {
        "ro": "nu se ajunge pe drumurile cartografiate",
        "en": "not reachable on the mapped roads",
        "hu": "a térképezett utakon nem elérhető",
    },
    "place.snap": {
        "ro": "Locul ales este la {m} m de cel mai apropiat drum cartografiat; distanța se "
        "parcurge pe jos și este inclusă în timpi.",
        "en": "The chosen place is {m} m from the nearest mapped road; that stretch is walked "
        "and included in the times.",
        "hu": "A kiválasztott hely {m} m-re van a legközelebbi térképezett úttól; ezt a "
        "szakaszt gyalog számoljuk, és benne van az időkben.",
    },
    "place.network_note": {
        "ro": "Distanțele pe drum urmează stratul „{roads}” (schelet simplificat): pe jos cu "
        "{speed} km/h, cu mașina la vitezele obișnuite din oraș pentru fiecare tip de drum. "
        "Sunt orientative; distanțele în linie dreaptă sunt exacte.",
        "en": "Road distances follow the layer “{roads}” (a simplified skeleton): on foot at "
        "{speed} km/h, by car at typical town speeds for each kind of road. They are "
        "indicative; straight-line distances are exact.",
        "hu": "Az úttávolságok a(z) „{roads}” réteget követik (egyszerűsített váz): gyalog "
        "{speed} km/h, autóval az úttípus szokásos városi sebességével. Tájékoztató jellegűek; "
        "a légvonalbeli távolságok pontosak.",
    },
    "place.network_unavailable": {
        "ro": "Distanțele pe rețeaua de drumuri nu sunt disponibile: {reason}",
        "en": "Network distances not available: {reason}",
        "hu": "Úthálózati távolságok nem érhetők el: {reason}",
    },
    "place.no_network_module": {
        "ro": "modulul de rețea nu este instalat",
        "en": "the network module is not installed",
        "hu": "a hálózati modul nincs telepítve",
    },
    "place.no_roads": {
        "ro": "stratul de drumuri este gol",
        "en": "the roads layer is empty",
        "hu": "az útréteg üres",
    },
    "place.outside_area": {
        "ro": "Locul ales este în afara zonei Cluj-Napoca; alegeți un loc pe hartă.",
        "en": "The chosen place is outside the Cluj-Napoca area; pick a place on the map.",
        "hu": "A kiválasztott hely Kolozsvár térségén kívül esik; válasszon helyet a térképen.",
    },
}


def register(strings: dict[str, dict[str, str]]) -> None:
    """Add a module's strings (e.g. one app page's) to :data:`STRINGS`.

    Every entry must have Romanian and English text; a key may not be
    registered twice with different text.

    Raises
    ------
    ValueError
        Naming the key without ``ro``/``en`` or registered twice.
    """
    for key, entry in strings.items():
        missing = [code for code in ("ro", "en") if not entry.get(code)]
        if missing:
            raise ValueError(f"i18n key {key!r} has no text in {', '.join(missing)}")
        if key in STRINGS and STRINGS[key] != entry:
            raise ValueError(f"i18n key {key!r} is already registered with other text")
        STRINGS[key] = dict(entry)


def language(lang: str | None = None) -> str:
    """Return a known language code: `lang`, else settings, else Romanian."""
    for candidate in (lang, settings.language):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


#: Decimal and thousands separators by language (Romanian 1.234,5; Hungarian 1 234,5).
_SEPARATORS: dict[str, tuple[str, str]] = {
    "ro": (",", "."),
    "en": (".", ","),
    "hu": (",", "\u00a0"),
}


def number(value: float | int | None, lang: str | None = None, digits: int = 2) -> str:
    """`value` written as people of `lang` write numbers; "—" for none.

    Parameters
    ----------
    value : float or int or None
        The number; ``None`` and NaN give "—".
    lang : str, optional
        ``"ro"``, ``"en"`` or ``"hu"``; default :data:`pata_gis.settings.language`.
    digits : int
        Digits after the decimal separator.

    Examples
    --------
    >>> number(1234.5, "ro", 1), number(1234.5, "en", 1), number(0.61, "hu")
    ('1.234,5', '1,234.5', '0,61')
    """
    if value is None or value != value:  # None or NaN
        return "—"
    decimal, thousands = _SEPARATORS.get(language(lang), _SEPARATORS["en"])
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def t(key: str, lang: str | None = None, **fmt: object) -> str:
    """Translate `key` into `lang`.

    Parameters
    ----------
    key : str
        A key of :data:`STRINGS`, such as ``"legend.title"``.
    lang : str, optional
        ``"ro"``, ``"en"`` or ``"hu"``; default :data:`pata_gis.settings.language`.
    **fmt
        Values for the placeholders of the text.

    Returns
    -------
    str
        The text in `lang`, else in Romanian, else `key` itself (logged).
    """
    entry = STRINGS.get(key)
    if entry is None:
        logger.warning("i18n: no text for key %r; showing the key", key)
        return key
    text = entry.get(language(lang)) or entry.get(DEFAULT_LANGUAGE) or key
    if fmt:
        try:
            return text.format(**fmt)
        except (KeyError, IndexError, ValueError) as exc:
            logger.warning("i18n: cannot format %r with %r: %s", key, fmt, exc)
    return text
