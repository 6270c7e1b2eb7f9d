"""Interface strings for scenarios saved in the workspace (Romanian, English, Hungarian).

Registered with :func:`pata_gis.i18n.register` on import; the Scenarios page
imports this module, so the keys exist whenever the page runs. The other
strings of the page live in :mod:`pata_gis.ui.text_planning`.
"""

from __future__ import annotations

from pata_gis.i18n import register

STRINGS: dict[str, dict[str, str]] = {
    "scen.ws_save": {
        "ro": "Salvează în spațiul de lucru",
        "en": "Save to the workspace",
        "hu": "Mentés a munkaterületre",
    },
    "scen.ws_note": {
        "ro": "Notă pentru istoric (opțional)",
        "en": "Note for the history (optional)",
        "hu": "Megjegyzés az előzményekhez (nem kötelező)",
    },
    "scen.ws_saved": {
        "ro": "Scenariul „{name}” a fost salvat în spațiul de lucru (versiunea {version}).",
        "en": "Scenario '{name}' saved to the workspace (version {version}).",
        "hu": "A(z) „{name}” forgatókönyv a munkaterületre mentve ({version}. verzió).",
    },
    "scen.ws_save_failed": {
        "ro": "Scenariul „{name}” nu a putut fi salvat; tabelul rămâne aici, neschimbat, "
        "și puteți încerca din nou. Motivul: {error}",
        "en": "Scenario '{name}' could not be saved; the table stays here unchanged and you "
        "can try again. Reason: {error}",
        "hu": "A(z) „{name}” forgatókönyvet nem sikerült menteni; a táblázat itt marad "
        "változatlanul, újra megpróbálhatja. Ok: {error}",
    },
    "scen.ws_status_saved": {
        "ro": "Salvat în spațiul de lucru: versiunea {version}, de {author}, {when} (UTC).",
        "en": "Saved in the workspace: version {version}, by {author}, {when} (UTC).",
        "hu": "A munkaterületen mentve: {version}. verzió, {author}, {when} (UTC).",
    },
    "scen.ws_status_dirty": {
        "ro": "Modificări nesalvate: spațiul de lucru păstrează versiunea {version}; "
        "salvați pentru a le păstra.",
        "en": "Unsaved changes: the workspace holds version {version}; save to keep them.",
        "hu": "Nem mentett módosítások: a munkaterületen a(z) {version}. verzió van; "
        "mentse, hogy megmaradjanak.",
    },
    "scen.ws_status_new": {
        "ro": "Nesalvat: scenariul există doar în această fereastră și se pierde când o închideți.",
        "en": "Not saved: the scenario exists only in this window and is lost when you close it.",
        "hu": "Nincs mentve: a forgatókönyv csak ebben az ablakban létezik, bezáráskor elvész.",
    },
    "scen.ws_readonly": {
        "ro": "Doar rolul {role} poate salva sau șterge scenarii în spațiul de lucru; "
        "scenariile salvate le puteți vedea și compara.",
        "en": "Only the {role} role can save or delete scenarios in the workspace; you can "
        "view and compare the saved ones.",
        "hu": "Csak a(z) {role} szerepkör menthet vagy törölhet forgatókönyvet a "
        "munkaterületen; a mentetteket megtekintheti és összehasonlíthatja.",
    },
    "scen.ws_deleted": {
        "ro": "Scenariul „{name}” a fost șters; versiunile lui rămân în istoricul "
        "spațiului de lucru.",
        "en": "Scenario '{name}' deleted; its versions stay in the workspace history.",
        "hu": "A(z) „{name}” forgatókönyv törölve; a verziói megmaradnak a munkaterület "
        "előzményeiben.",
    },
    "scen.ws_delete_failed": {
        "ro": "Scenariul „{name}” nu a putut fi șters și rămâne salvat. Motivul: {error}",
        "en": "Scenario '{name}' could not be deleted and stays saved. Reason: {error}",
        "hu": "A(z) „{name}” forgatókönyvet nem sikerült törölni, mentve marad. Ok: {error}",
    },
    "scen.ws_bad_name": {
        "ro": "Numele nu poate fi folosit: {error}",
        "en": "The name cannot be used: {error}",
        "hu": "A név nem használható: {error}",
    },
    "scen.ws_load_failed": {
        "ro": "Scenariul salvat „{name}” nu a putut fi citit: {error}",
        "en": "The saved scenario '{name}' could not be read: {error}",
        "hu": "A(z) „{name}” mentett forgatókönyvet nem sikerült beolvasni: {error}",
    },
    "scen.ws_loaded": {
        "ro": "Scenarii salvate în spațiul de lucru: {n}.",
        "en": "Scenarios saved in the workspace: {n}.",
        "hu": "A munkaterületen mentett forgatókönyvek: {n}.",
    },
    "scen.ws_newer": {
        "ro": "Între timp, {author} a salvat versiunea {version} ({when} UTC). Salvarea "
        "tabelului de aici ar deveni versiunea următoare; o puteți încărca mai întâi.",
        "en": "Meanwhile {author} saved version {version} ({when} UTC). Saving the table here "
        "would make the next version; you can load theirs first.",
        "hu": "Közben {author} elmentette a(z) {version}. verziót ({when} UTC). Az itteni "
        "táblázat mentése a következő verzió lenne; előbb betöltheti az övét.",
    },
    "scen.ws_load_newer": {
        "ro": "Încarcă versiunea salvată",
        "en": "Load the saved version",
        "hu": "A mentett verzió betöltése",
    },
    "scen.ws_gone": {
        "ro": "Între timp scenariul a fost șters din spațiul de lucru; salvarea îl readuce.",
        "en": "Meanwhile the scenario was deleted from the workspace; saving brings it back.",
        "hu": "Közben a forgatókönyvet törölték a munkaterületről; a mentés visszahozza.",
    },
}

register(STRINGS)
