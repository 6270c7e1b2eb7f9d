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

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "STRINGS", "language", "t"]

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
}


def language(lang: str | None = None) -> str:
    """Return a known language code: `lang`, else settings, else Romanian."""
    for candidate in (lang, settings.language):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


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
