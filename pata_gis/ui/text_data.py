"""Interface strings of the Data page (Romanian, English, Hungarian).

Registered with :func:`pata_gis.i18n.register` on import; the page imports
this module, so the keys exist whenever the page runs.
"""

from __future__ import annotations

from pata_gis.i18n import register

STRINGS: dict[str, dict[str, str]] = {
    "data.heading": {"ro": "Date", "en": "Data", "hu": "Adatok"},
    "data.intro": {
        "ro": "Straturile spațiului de lucru: import cu verificare, export, istoric și "
        "restaurare. Ce vedeți depinde de rolul ales în bara laterală.",
        "en": "The workspace layers: import with checks, export, history and restore. "
        "What you see depends on the role chosen in the sidebar.",
        "hu": "A munkaterület rétegei: import ellenőrzéssel, export, előzmények és "
        "visszaállítás. Hogy mit lát, az az oldalsávon választott szereptől függ.",
    },
    "data.tab_layers": {"ro": "Straturi", "en": "Layers", "hu": "Rétegek"},
    "data.tab_import": {"ro": "Import", "en": "Import", "hu": "Import"},
    "data.tab_export": {"ro": "Export", "en": "Export", "hu": "Export"},
    "data.tab_history": {"ro": "Istoric", "en": "History", "hu": "Előzmények"},
    "data.col_layer": {"ro": "Strat", "en": "Layer", "hu": "Réteg"},
    "data.col_name": {"ro": "Nume tehnic", "en": "Technical name", "hu": "Műszaki név"},
    "data.col_features": {"ro": "Obiecte", "en": "Features", "hu": "Objektumok"},
    "data.col_sensitivity": {"ro": "Sensibilitate", "en": "Sensitivity", "hu": "Érzékenység"},
    "data.col_you_see": {
        "ro": "Cel mai mult puteți primi",
        "en": "The most you may get",
        "hu": "Legfeljebb ennyit kaphat",
    },
    "data.col_version": {"ro": "Versiune", "en": "Version", "hu": "Verzió"},
    "data.col_saved": {"ro": "Salvat (UTC)", "en": "Saved (UTC)", "hu": "Mentve (UTC)"},
    "data.col_author": {"ro": "Autor", "en": "Author", "hu": "Szerző"},
    "data.col_action": {"ro": "Acțiune", "en": "Action", "hu": "Művelet"},
    "data.col_message": {"ro": "Mesaj", "en": "Message", "hu": "Üzenet"},
    "data.sens.public": {"ro": "public", "en": "public", "hu": "nyilvános"},
    "data.sens.restricted": {"ro": "restricționat", "en": "restricted", "hu": "korlátozott"},
    "data.sens.confidential": {"ro": "confidențial", "en": "confidential", "hu": "bizalmas"},
    "data.level.raw": {"ro": "așa cum e stocat", "en": "as stored", "hu": "ahogy tárolva"},
    "data.level.masked": {
        "ro": "mascat (puncte deplasate aleator)",
        "en": "masked (points moved at random)",
        "hu": "maszkolva (a pontok véletlenszerűen elmozdítva)",
    },
    "data.level.aggregated": {
        "ro": "agregat (număr pe celule)",
        "en": "aggregated (counts per cell)",
        "hu": "összesítve (darabszám cellánként)",
    },
    "data.level.none": {"ro": "nimic", "en": "nothing", "hu": "semmi"},
    "data.who": {
        "ro": "Cine lucrează (nume, pentru istoric și jurnalul de export)",
        "en": "Who is working (name, for the history and the export log)",
        "hu": "Ki dolgozik (név, az előzményekhez és az exportnaplóhoz)",
    },
    "data.public_readonly": {
        "ro": "Rolul public nu poate importa sau restaura date. Alegeți rolul vostru în "
        "bara laterală (cu parola lui).",
        "en": "The public role cannot import or restore data. Choose your role in the "
        "sidebar (with its passphrase).",
        "hu": "A nyilvános szerep nem importálhat és nem állíthat vissza adatokat. Válassza ki a "
        "saját szerepét az oldalsávon (a jelmondatával).",
    },
    "data.import_layer": {
        "ro": "Stratul în care importați",
        "en": "Layer to import into",
        "hu": "A réteg, amelybe importál",
    },
    "data.upload": {"ro": "Fișier de importat", "en": "File to import", "hu": "Importálandó fájl"},
    "data.path": {
        "ro": "…sau calea unui fișier de pe acest calculator",
        "en": "…or the path of a file on this computer",
        "hu": "…vagy egy fájl elérési útja ezen a számítógépen",
    },
    "data.mode": {"ro": "Mod", "en": "Mode", "hu": "Mód"},
    "data.mode.replace": {
        "ro": "înlocuiește obiectele stratului",
        "en": "replace the layer's features",
        "hu": "a réteg objektumainak cseréje",
    },
    "data.mode.append": {
        "ro": "adaugă la obiectele stratului",
        "en": "add to the layer's features",
        "hu": "hozzáadás a réteg objektumaihoz",
    },
    "data.default_source": {
        "ro": "Sursa (unde fișierul nu o are)",
        "en": "Source (where the file has none)",
        "hu": "Forrás (ahol a fájlban nincs megadva)",
    },
    "data.default_accuracy": {
        "ro": "Precizie în metri (unde fișierul nu o are; 0 = nu completa)",
        "en": "Accuracy in metres (where the file has none; 0 = leave empty)",
        "hu": "Pontosság méterben (ahol a fájlban nincs megadva; 0 = ne töltse ki)",
    },
    "data.import_go": {
        "ro": "Verifică și importă",
        "en": "Check and import",
        "hu": "Ellenőrzés és importálás",
    },
    "data.no_file": {
        "ro": "Alegeți un fișier sau scrieți calea lui.",
        "en": "Choose a file or type its path.",
        "hu": "Válasszon fájlt, vagy írja be az elérési útját.",
    },
    "data.no_such_file": {
        "ro": "Nu există fișierul {path}.",
        "en": "There is no file {path}.",
        "hu": "Nincs ilyen fájl: {path}.",
    },
    "data.import_ok": {
        "ro": "Importat în „{layer}”: {n_out} din {n_in} obiecte păstrate; stratul are acum "
        "{total} obiecte (versiunea {version}).",
        "en": "Imported into '{layer}': {n_out} of {n_in} features kept; the layer now has "
        "{total} features (version {version}).",
        "hu": "Importálva a(z) „{layer}” rétegbe: {n_in} objektumból {n_out} megmaradt; a "
        "rétegben most {total} objektum van ({version}. verzió).",
    },
    "data.repairs": {
        "ro": "Reparații făcute ({n})",
        "en": "Repairs made ({n})",
        "hu": "Elvégzett javítások ({n})",
    },
    "data.warnings": {
        "ro": "Observații ({n})",
        "en": "Warnings ({n})",
        "hu": "Figyelmeztetések ({n})",
    },
    "data.clean": {
        "ro": "Fișierul respecta specificația: nimic de reparat.",
        "en": "The file met the spec: nothing to repair.",
        "hu": "A fájl megfelelt a specifikációnak: nincs mit javítani.",
    },
    "data.refused": {
        "ro": "Fișierul a fost refuzat; spațiul de lucru nu s-a schimbat.",
        "en": "The file was refused; the workspace was not changed.",
        "hu": "A fájlt elutasítottuk; a munkaterület nem változott.",
    },
    "data.problems": {"ro": "Probleme ({n})", "en": "Problems ({n})", "hu": "Problémák ({n})"},
    "data.step": {
        "ro": "Pasul {i} din {n}: {msg}",
        "en": "Step {i} of {n}: {msg}",
        "hu": "{i}/{n}. lépés: {msg}",
    },
    "data.export_layer": {
        "ro": "Stratul de exportat",
        "en": "Layer to export",
        "hu": "Exportálandó réteg",
    },
    "data.format": {"ro": "Format", "en": "Format", "hu": "Formátum"},
    "data.level": {"ro": "Nivel de detaliu", "en": "Level of detail", "hu": "Részletességi szint"},
    "data.export_go": {
        "ro": "Pregătește fișierul",
        "en": "Prepare the file",
        "hu": "A fájl előkészítése",
    },
    "data.download": {"ro": "Descarcă {file}", "en": "Download {file}", "hu": "{file} letöltése"},
    "data.export_ok": {
        "ro": "{n} obiecte, nivel: {level}.",
        "en": "{n} features, level: {level}.",
        "hu": "{n} objektum, szint: {level}.",
    },
    "data.export_audited": {
        "ro": "Exportul a fost înregistrat în jurnalul de export ({log}).",
        "en": "The export was recorded in the export log ({log}).",
        "hu": "Az exportot rögzítettük az exportnaplóban ({log}).",
    },
    "data.export_sensitive": {
        "ro": "Strat {sens}: se exportă doar ce are voie rolul vostru, iar exportul se "
        "înregistrează (cine, când, ce).",
        "en": "A {sens} layer: only what your role may have is exported, and the export is "
        "recorded (who, when, what).",
        "hu": "Ez egy {sens} réteg: csak az exportálható, amit az Ön szerepe megkaphat, és az "
        "exportot rögzítjük (ki, mikor, mit).",
    },
    "data.who_required": {
        "ro": "Scrieți cine face exportul (se înregistrează).",
        "en": "Write who makes the export (it is recorded).",
        "hu": "Írja be, ki végzi az exportot (rögzítjük).",
    },
    "data.nothing_to_export": {
        "ro": "Rolul vostru nu poate exporta niciun strat.",
        "en": "Your role may export no layer.",
        "hu": "Az Ön szerepe egyetlen réteget sem exportálhat.",
    },
    "data.history_layer": {"ro": "Stratul", "en": "Layer", "hu": "Réteg"},
    "data.restore_version": {
        "ro": "Versiunea de readus",
        "en": "Version to bring back",
        "hu": "Visszaállítandó verzió",
    },
    "data.restore_confirm": {
        "ro": "Confirm: versiunea {version} ({n} obiecte) devine cea curentă. Istoricul "
        "păstrează tot, inclusiv versiunea de acum.",
        "en": "I confirm: version {version} ({n} features) becomes the current one. The "
        "history keeps everything, including the present version.",
        "hu": "Megerősítem: a(z) {version}. verzió ({n} objektum) lesz az aktuális. Az "
        "előzmények mindent megőriznek, a mostani verziót is.",
    },
    "data.restore_go": {"ro": "Restaurează", "en": "Restore", "hu": "Visszaállítás"},
    "data.restore_ok": {
        "ro": "Versiunea {old} a stratului „{layer}” este din nou cea curentă (salvată ca "
        "versiunea {new}).",
        "en": "Version {old} of '{layer}' is current again (saved as version {new}).",
        "hu": "A(z) „{layer}” réteg {old}. verziója ismét az aktuális ({new}. verzióként mentve).",
    },
    "data.restore_one": {
        "ro": "Stratul are o singură versiune: nimic de restaurat.",
        "en": "The layer has a single version: nothing to restore.",
        "hu": "A rétegnek csak egy verziója van: nincs mit visszaállítani.",
    },
    "data.error": {"ro": "Eroare: {error}", "en": "Error: {error}", "hu": "Hiba: {error}"},
    "data.import_log": {
        "ro": "Jurnalul importurilor (acceptate și refuzate)",
        "en": "Import log (accepted and refused)",
        "hu": "Importnapló (elfogadott és elutasított fájlok)",
    },
    "data.col_file": {"ro": "Fișier", "en": "File", "hu": "Fájl"},
    "data.col_outcome": {"ro": "Rezultat", "en": "Outcome", "hu": "Eredmény"},
    "data.col_report": {"ro": "Raport", "en": "Report", "hu": "Jelentés"},
    # what a saved version did (the history's ``action``; others are shown as stored)
    "data.action.init": {"ro": "creare", "en": "created", "hu": "létrehozás"},
    "data.action.edit": {"ro": "modificare", "en": "edited", "hu": "módosítás"},
    "data.action.append": {"ro": "adăugare", "en": "appended", "hu": "hozzáadás"},
    "data.action.import": {"ro": "import", "en": "imported", "hu": "importálás"},
    "data.action.restore": {"ro": "restaurare", "en": "restored", "hu": "visszaállítás"},
    # how an import ended (the import log's ``outcome``)
    "data.outcome.ok": {"ro": "reușit", "en": "done", "hu": "sikeres"},
    "data.outcome.refused": {"ro": "refuzat", "en": "refused", "hu": "elutasítva"},
}
register(STRINGS)
