"""Strings of the workshop page (Romanian first, English, Hungarian where cheap)."""

from __future__ import annotations

from pata_gis.i18n import register

__all__ = ["STRINGS"]

STRINGS: dict[str, dict[str, str]] = {
    "workshop.heading": {
        "ro": "Atelier de cartografiere comunitară",
        "en": "Community mapping workshop",
        "hu": "Közösségi térképező műhely",
    },
    "workshop.intro": {
        "ro": "Locuitorii marchează pe hartă unde se simt în pericol. Marcajele sunt ale lor: "
        "se păstrează confidențial și se folosesc doar cât permite acordul grupului.",
        "en": "Residents mark on the map where they feel at risk. The marks are theirs: they "
        "are kept confidential and used only as far as the group's consent allows.",
        "hu": "A lakók megjelölik a térképen, hol érzik magukat veszélyben. A jelölések az "
        "övéik: bizalmasan kezeljük őket, és csak a csoport beleegyezése szerint használjuk.",
    },
    "workshop.role": {
        "ro": "Rol: {role}",
        "en": "Role: {role}",
        "hu": "Szerep: {role}",
    },
    # ---- 1. session
    "workshop.step_session": {
        "ro": "1. Sesiunea de atelier",
        "en": "1. Workshop session",
        "hu": "1. Műhelyalkalom",
    },
    "workshop.pick": {"ro": "Sesiunea", "en": "Session", "hu": "Alkalom"},
    "workshop.none_yet": {
        "ro": "Nicio sesiune încă. Începeți una mai jos.",
        "en": "No session yet. Start one below.",
        "hu": "Még nincs alkalom. Indítson egyet lent.",
    },
    "workshop.new": {
        "ro": "Sesiune nouă",
        "en": "New session",
        "hu": "Új alkalom",
    },
    "workshop.community": {"ro": "Comunitatea", "en": "Community", "hu": "Közösség"},
    "workshop.other": {"ro": "alta", "en": "other", "hu": "más"},
    "workshop.date": {"ro": "Data", "en": "Date", "hu": "Dátum"},
    "workshop.facilitator": {
        "ro": "Facilitator",
        "en": "Facilitator",
        "hu": "Moderátor",
    },
    "workshop.group": {
        "ro": "Grupul (ex. femei, tineri, părinți; fără nume de persoane)",
        "en": "Group (e.g. women, young people, parents; no names of people)",
        "hu": "Csoport (pl. nők, fiatalok, szülők; nevek nélkül)",
    },
    "workshop.participants": {
        "ro": "Număr de participanți",
        "en": "Number of participants",
        "hu": "Résztvevők száma",
    },
    "workshop.consent": {
        "ro": "Acordul grupului",
        "en": "The group's consent",
        "hu": "A csoport beleegyezése",
    },
    "workshop.consent_read": {
        "ro": "Citiți grupului variantele de mai jos înainte să aleagă:",
        "en": "Read the options below to the group before it chooses:",
        "hu": "Olvassa fel a lehetőségeket a csoportnak, mielőtt választ:",
    },
    "workshop.notes": {
        "ro": "Note (fără nume de locuitori)",
        "en": "Notes (no names of residents)",
        "hu": "Megjegyzések (lakók neve nélkül)",
    },
    "workshop.start": {
        "ro": "Începe sesiunea",
        "en": "Start the session",
        "hu": "Alkalom indítása",
    },
    "workshop.started": {
        "ro": "Sesiunea {sid} a început.",
        "en": "Session {sid} started.",
        "hu": "A(z) {sid} alkalom elindult.",
    },
    "workshop.session_info": {
        "ro": "**{sid}** · {community} · {date} · grup: {group} · facilitator: {facilitator}",
        "en": "**{sid}** · {community} · {date} · group: {group} · facilitator: {facilitator}",
        "hu": "**{sid}** · {community} · {date} · csoport: {group} · moderátor: {facilitator}",
    },
    "workshop.session_consent": {
        "ro": "Acordul dat: **{scope}** — {text}",
        "en": "Consent given: **{scope}** — {text}",
        "hu": "Beleegyezés: **{scope}** — {text}",
    },
    "workshop.no_consent_warning": {
        "ro": "Grupul nu și-a dat acordul: marcajele se păstrează, dar nu se folosesc la nimic.",
        "en": "The group gave no consent: marks are kept but used for nothing.",
        "hu": "A csoport nem járult hozzá: a jelöléseket megőrizzük, de semmire sem használjuk.",
    },
    "workshop.withdraw": {
        "ro": "Retragerea acordului",
        "en": "Withdraw consent",
        "hu": "Beleegyezés visszavonása",
    },
    "workshop.withdraw_help": {
        "ro": "Dacă grupul își retrage acordul, toate marcajele sesiunii sunt marcate „fără "
        "acord” și nu mai sunt folosite (rămân păstrate, grupul le poate cere înapoi).",
        "en": "If the group withdraws its consent, every mark of the session is flagged "
        "'no consent' and is no longer used (it stays stored; the group may ask for it back).",
        "hu": "Ha a csoport visszavonja a beleegyezését, az alkalom minden jelölése „beleegyezés "
        "nélkül” jelölést kap, és többé nem használjuk (megőrizzük; a csoport visszakérheti).",
    },
    "workshop.withdraw_reason": {
        "ro": "Motiv (opțional)",
        "en": "Reason (optional)",
        "hu": "Indok (nem kötelező)",
    },
    "workshop.withdraw_confirm": {
        "ro": "Grupul a cerut retragerea acordului",
        "en": "The group asked to withdraw its consent",
        "hu": "A csoport kérte a beleegyezés visszavonását",
    },
    "workshop.withdraw_button": {
        "ro": "Retrage acordul",
        "en": "Withdraw consent",
        "hu": "Visszavonás",
    },
    "workshop.withdrawn": {
        "ro": "Acord retras: {n} marcaje marcate „fără acord”.",
        "en": "Consent withdrawn: {n} marks flagged 'no consent'.",
        "hu": "Beleegyezés visszavonva: {n} jelölés „beleegyezés nélkül” jelölést kapott.",
    },
    # ---- 2. draw
    "workshop.step_draw": {
        "ro": "2. Desenați marcajele",
        "en": "2. Draw the marks",
        "hu": "2. Rajzolja meg a jelöléseket",
    },
    "workshop.draw_hint": {
        "ro": "Folosiți uneltele din stânga hărții: **punct** (un loc), **linie** (un drum "
        "periculos sau o cărare), **poligon** (o zonă). Încheiați poligonul dând clic pe "
        "primul punct. Apoi completați formularul fiecărui desen, sub hartă, și apăsați „Salvează”.",
        "en": "Use the tools on the left of the map: **point** (a place), **line** (an unsafe "
        "road or a path), **polygon** (an area). Close a polygon by clicking its first point. "
        "Then fill in each drawing's form under the map and press 'Save'.",
        "hu": "Használja a térkép bal oldali eszközeit: **pont** (egy hely), **vonal** "
        "(veszélyes út vagy ösvény), **sokszög** (egy terület). A sokszöget az első pontjára "
        "kattintva zárja le. Ezután töltse ki minden rajz űrlapját a térkép alatt, és nyomja meg "
        "a „Mentés” gombot.",
    },
    "workshop.need_session": {
        "ro": "Alegeți sau începeți o sesiune ca să desenați.",
        "en": "Pick or start a session to draw.",
        "hu": "Válasszon vagy indítson egy alkalmat a rajzoláshoz.",
    },
    "workshop.drawn_none": {
        "ro": "Nimic desenat încă.",
        "en": "Nothing drawn yet.",
        "hu": "Még nincs rajz.",
    },
    "workshop.drawn_n": {
        "ro": "{n} desene noi, nesalvate. Completați fiecare rând:",
        "en": "{n} new drawings, not saved yet. Fill in each row:",
        "hu": "{n} új, még nem mentett rajz. Töltse ki a sorokat:",
    },
    "workshop.col_n": {"ro": "Nr.", "en": "No.", "hu": "Sz."},
    "workshop.col_kind": {"ro": "Tip", "en": "Kind", "hu": "Típus"},
    "workshop.col_category": {"ro": "Categorie", "en": "Category", "hu": "Kategória"},
    "workshop.col_severity": {
        "ro": "Gravitate (1–5)",
        "en": "Severity (1–5)",
        "hu": "Súlyosság (1–5)",
    },
    "workshop.col_time": {"ro": "Momentul zilei", "en": "Time of day", "hu": "Napszak"},
    "workshop.col_note": {"ro": "Notă", "en": "Note", "hu": "Megjegyzés"},
    "workshop.col_consent": {"ro": "Acord", "en": "Consent", "hu": "Beleegyezés"},
    "workshop.col_consent_help": {
        "ro": "Debifați dacă persoana nu vrea ca acest marcaj să fie folosit.",
        "en": "Untick if the person does not want this mark to be used.",
        "hu": "Vegye ki a pipát, ha a személy nem akarja, hogy ezt a jelölést használják.",
    },
    "workshop.col_as_path": {
        "ro": "Cărare (nu risc)",
        "en": "Path (not a risk)",
        "hu": "Ösvény (nem kockázat)",
    },
    "workshop.kind.point": {"ro": "punct", "en": "point", "hu": "pont"},
    "workshop.kind.line": {"ro": "linie", "en": "line", "hu": "vonal"},
    "workshop.kind.polygon": {"ro": "zonă", "en": "area", "hu": "terület"},
    "workshop.as_path_help": {
        "ro": "Bifați „Cărare” la o linie care este un drum pe care oamenii merg și care nu "
        "apare pe hartă: se adaugă la stratul public de drumuri, ca rețeaua să o cunoască.",
        "en": "Tick 'Path' on a line that is a way people walk which no map shows: it goes "
        "into the public roads layer, so the network knows it.",
        "hu": "Jelölje be az „Ösvény” oszlopot olyan vonalnál, amely egy térképen nem szereplő "
        "gyalogút: bekerül a nyilvános utak rétegébe, így az úthálózat is ismeri.",
    },
    "workshop.confirm_public": {
        "ro": "Grupul a fost de acord ca aceste cărări să apară pe harta publică",
        "en": "The group agreed that these paths may appear on the public map",
        "hu": "A csoport hozzájárult, hogy ezek az ösvények a nyilvános térképen szerepeljenek",
    },
    "workshop.save": {"ro": "Salvează", "en": "Save", "hu": "Mentés"},
    "workshop.saved": {
        "ro": "Salvat în sesiunea {sid}: {points} puncte, {lines} linii, {areas} zone, "
        "{paths} cărări.",
        "en": "Saved to session {sid}: {points} points, {lines} lines, {areas} areas, "
        "{paths} paths.",
        "hu": "Mentve a(z) {sid} alkalomba: {points} pont, {lines} vonal, {areas} terület, "
        "{paths} ösvény.",
    },
    "workshop.repairs": {
        "ro": "Reparații făcute la validare:",
        "en": "Repairs made while checking:",
        "hu": "Javítások az ellenőrzéskor:",
    },
    "workshop.not_saved": {
        "ro": "Nimic nu a fost salvat: {error}",
        "en": "Nothing was saved: {error}",
        "hu": "Semmi sem lett mentve: {error}",
    },
    "workshop.incomplete": {
        "ro": "Alegeți categoria și gravitatea pentru desenele {rows}; nimic nu a fost salvat.",
        "en": "Choose the category and severity of drawings {rows}; nothing was saved.",
        "hu": "Válassza ki ezeknek a rajzoknak a kategóriáját és súlyosságát: {rows}; semmi sem "
        "lett mentve.",
    },
    "workshop.paths_refused": {
        "ro": "Cărările nu au fost salvate: acordul sesiunii nu permite un strat public. "
        "Întrebați grupul și bifați acordul de mai sus, sau salvați-le ca linii de risc.",
        "en": "The paths were not saved: the session's consent does not allow a public layer. "
        "Ask the group and tick the agreement above, or save them as risk lines.",
        "hu": "Az ösvények nem lettek mentve: az alkalom beleegyezése nem enged nyilvános "
        "réteget. Kérdezze meg a csoportot, és jelölje be fent a hozzájárulást, vagy mentse őket "
        "kockázati vonalként.",
    },
    "workshop.stored": {
        "ro": "În această sesiune sunt salvate: {points} puncte, {lines} linii, {areas} zone.",
        "en": "Stored in this session: {points} points, {lines} lines, {areas} areas.",
        "hu": "Ebben az alkalomban tárolva: {points} pont, {lines} vonal, {areas} terület.",
    },
    "workshop.own_marks": {
        "ro": "Marcajele salvate ale sesiunii",
        "en": "The session's saved marks",
        "hu": "Az alkalom mentett jelölései",
    },
    # ---- 3. consensus
    "workshop.step_merge": {
        "ro": "3. Ce spun grupurile împreună",
        "en": "3. What the groups say together",
        "hu": "3. Amit a csoportok együtt mondanak",
    },
    "workshop.merge_caption": {
        "ro": "Zone de {cell} m marcate de grupurile din {community} ({groups} grupuri, {marks} "
        "marcaje cu acord). Culoarea arată câte grupuri au marcat zona.",
        "en": "{cell} m zones marked by the groups of {community} ({groups} groups, {marks} "
        "consented marks). The colour shows how many groups marked the zone.",
        "hu": "{cell} m-es zónák, amelyeket a(z) {community} csoportjai jelöltek ({groups} "
        "csoport, {marks} jelölés beleegyezéssel). A szín azt mutatja, hány csoport jelölte a "
        "zónát.",
    },
    "workshop.merge_raw": {
        "ro": "Rolul „comunitate”: vedeți și marcajele exacte (ale comunității).",
        "en": "Community role: you also see the exact marks (the community's own).",
        "hu": "Közösségi szerep: a pontos jelöléseket is látja (ezek a közösség sajátjai).",
    },
    "workshop.merge_aggregated": {
        "ro": "În afara comunității se văd doar zonele cu cel puțin {k} marcaje, din sesiunile "
        "care au permis cifre adunate; niciun marcaj anume.",
        "en": "Outside the community only zones with at least {k} marks are shown, from "
        "sessions that allowed totals; never a single mark.",
        "hu": "A közösségen kívül csak a legalább {k} jelölést tartalmazó zónák látszanak, "
        "azokból az alkalmakból, amelyek összesítést engedtek; egyetlen jelölés sem látszik "
        "külön.",
    },
    "workshop.merge_none": {
        "ro": "Nicio zonă de arătat încă (prea puține marcaje cu acord).",
        "en": "No zone to show yet (too few consented marks).",
        "hu": "Még nincs megjeleníthető zóna (túl kevés jelölés).",
    },
    "workshop.min_groups": {
        "ro": "Doar zonele marcate de cel puțin … grupuri",
        "en": "Only zones marked by at least … groups",
        "hu": "Csak a legalább … csoport által jelölt zónák",
    },
    "workshop.col_groups": {"ro": "Grupuri", "en": "Groups", "hu": "Csoportok"},
    "workshop.col_marks": {"ro": "Marcaje", "en": "Marks", "hu": "Jelölések"},
    "workshop.col_mean_sev": {
        "ro": "Gravitate medie",
        "en": "Mean severity",
        "hu": "Átlagos súlyosság",
    },
    "workshop.col_top": {
        "ro": "Riscul cel mai des",
        "en": "Most frequent risk",
        "hu": "Leggyakoribb kockázat",
    },
    "workshop.col_times": {"ro": "Când", "en": "When", "hu": "Mikor"},
    "workshop.zones_layer": {
        "ro": "Zone marcate de grupuri",
        "en": "Zones marked by the groups",
        "hu": "Csoportok által jelölt zónák",
    },
    # ---- 4. paper
    "workshop.step_paper": {
        "ro": "4. Foaia de hârtie",
        "en": "4. The paper sheet",
        "hu": "4. A papírlap",
    },
    "workshop.paper_help": {
        "ro": "Tipăriți harta cu grilă a comunității. Oamenii scriu pe ea celula (ex. C4), "
        "categoria, gravitatea și acordul; apoi le introduceți aici. Păstrați fișierul "
        ".sheet.json: cu el se citește grila.",
        "en": "Print the community's gridded map. People write on it the cell (e.g. C4), the "
        "category, severity and consent; then type them in here. Keep the .sheet.json file: "
        "it holds the grid.",
        "hu": "Nyomtassa ki a közösség rácsos térképét. A lakók beírják a cellát (pl. C4), a "
        "kategóriát, a súlyosságot és a beleegyezést; majd itt vigye be őket.",
    },
    "workshop.paper": {"ro": "Format", "en": "Paper", "hu": "Papírméret"},
    "workshop.make_sheet": {
        "ro": "Pregătește foaia",
        "en": "Prepare the sheet",
        "hu": "Lap elkészítése",
    },
    "workshop.sheet_pdf": {
        "ro": "Descarcă foaia (PDF)",
        "en": "Download the sheet (PDF)",
        "hu": "Lap letöltése (PDF)",
    },
    "workshop.sheet_json": {
        "ro": "Descarcă grila (.sheet.json)",
        "en": "Download the grid (.sheet.json)",
        "hu": "Rács letöltése (.sheet.json)",
    },
    "workshop.sheet_made": {
        "ro": "Foaia {sheet}: {cols} × {rows} celule de {cell} m, scara 1:{scale}.",
        "en": "Sheet {sheet}: {cols} × {rows} cells of {cell} m, scale 1:{scale}.",
        "hu": "{sheet} lap: {cols} × {rows} cella, {cell} m, méretarány 1:{scale}.",
    },
    "workshop.sheet_error": {
        "ro": "Foaia nu a putut fi pregătită: {error}",
        "en": "The sheet could not be prepared: {error}",
        "hu": "A lap nem készült el: {error}",
    },
    "workshop.type_back": {
        "ro": "Introduceți marcajele de pe foaie",
        "en": "Type in the marks from the sheet",
        "hu": "Jelölések bevitele a lapról",
    },
    "workshop.upload_grid": {
        "ro": "Grila foii (.sheet.json); fără ea se folosește foaia pregătită mai sus",
        "en": "The sheet's grid (.sheet.json); without it the sheet prepared above is used",
        "hu": "A lap rácsa (.sheet.json); nélküle a fent elkészített lapot használjuk",
    },
    "workshop.upload_csv": {
        "ro": "sau un CSV cu coloanele cell, category, severity, time_of_day, note, consent",
        "en": "or a CSV with the columns cell, category, severity, time_of_day, note, consent",
        "hu": "vagy egy CSV a cell, category, severity, time_of_day, note, consent oszlopokkal",
    },
    "workshop.no_grid": {
        "ro": "Pregătiți foaia mai sus sau încărcați fișierul .sheet.json al foii.",
        "en": "Prepare the sheet above or upload the sheet's .sheet.json file.",
        "hu": "Készítse el a lapot fent, vagy töltse fel a .sheet.json fájlt.",
    },
    "workshop.typed_label": {
        "ro": "Un marcaj pe rând: celula, categoria, gravitatea, momentul zilei, nota, acordul",
        "en": "One mark per line: cell, category, severity, time of day, note, consent",
        "hu": "Soronként egy jelölés: cella, kategória, súlyosság, napszak, megjegyzés, "
        "beleegyezés",
    },
    "workshop.note_placeholder": {
        "ro": "fără nume de persoane",
        "en": "no names of people",
        "hu": "személynevek nélkül",
    },
    "workshop.col_cell": {"ro": "Celula", "en": "Cell", "hu": "Cella"},
    "workshop.save_cells": {
        "ro": "Salvează marcajele de pe foaie",
        "en": "Save the marks from the sheet",
        "hu": "A lap jelöléseinek mentése",
    },
    "workshop.cells_saved": {
        "ro": "{n} rânduri de pe foaia {sheet}: salvate {saved}; {left} fără acord lăsate deoparte.",
        "en": "{n} rows from sheet {sheet}: saved {saved}; {left} without consent left out.",
        "hu": "{n} sor a(z) {sheet} lapról: mentve {saved}; {left} beleegyezés nélkül kihagyva.",
    },
    "workshop.bad_file": {
        "ro": "Fișierul nu poate fi citit: {error}",
        "en": "The file cannot be read: {error}",
        "hu": "A fájl nem olvasható: {error}",
    },
    "workshop.yes": {"ro": "da", "en": "yes", "hu": "igen"},
    "workshop.no": {"ro": "nu", "en": "no", "hu": "nem"},
    # consent scopes, short names
    "workshop.scope.none": {"ro": "fără acord", "en": "no consent", "hu": "nincs beleegyezés"},
    "workshop.scope.community_only": {
        "ro": "doar comunitatea",
        "en": "community only",
        "hu": "csak a közösség",
    },
    "workshop.scope.aggregate_only": {
        "ro": "doar cifre adunate",
        "en": "totals only",
        "hu": "csak összesítések",
    },
    "workshop.scope.share_with_planners": {
        "ro": "și urbaniștii (mascat)",
        "en": "planners too (masked)",
        "hu": "tervezők is (maszkolva)",
    },
    "workshop.scope.share_with_police": {
        "ro": "și poliția (mascat)",
        "en": "police too (masked)",
        "hu": "rendőrség is (maszkolva)",
    },
    "workshop.role.community": {"ro": "comunitate", "en": "community", "hu": "közösség"},
    "workshop.role.planner": {"ro": "urbanist", "en": "planner", "hu": "tervező"},
    "workshop.role.police": {"ro": "poliție", "en": "police", "hu": "rendőrség"},
    "workshop.role.public": {"ro": "public", "en": "public", "hu": "nyilvános"},
    "workshop.roads_prefix": {"ro": "drumuri", "en": "roads", "hu": "utak"},
    "workshop.erase": {
        "ro": "Ștergeți definitiv marcajele acestei sesiuni",
        "en": "Delete this session's marks for good",
        "hu": "Az alkalom jelöléseinek végleges törlése",
    },
    "workshop.erase_help": {
        "ro": "Când grupul cere ștergerea: marcajele sesiunii (puncte, trasee, zone și "
        "drumurile comunitare adăugate) dispar din straturi, din toate versiunile mai vechi "
        "și din fișier. Nu se pot aduce înapoi. Exporturile făcute deja nu pot fi rechemate: "
        "după ștergere sunt enumerate, ca să le puteți urmări.",
        "en": "When the group asks for deletion: the session's marks (points, lines, areas "
        "and the community paths it added) leave the layers, every earlier version and the "
        "file. They cannot be brought back. Exports already made cannot be recalled: they "
        "are listed afterwards so you can follow them up.",
        "hu": "Ha a csoport törlést kér: az alkalom jelölései (pontok, vonalak, területek és "
        "a hozzáadott közösségi utak) eltűnnek a rétegekből, minden korábbi változatból és a "
        "fájlból. Nem hozhatók vissza. A már elkészült exportokat nem lehet visszahívni: a "
        "törlés után felsoroljuk őket, hogy utánajárhasson.",
    },
    "workshop.erase_who": {
        "ro": "Cine șterge (numele facilitatorului)",
        "en": "Who deletes (the facilitator's name)",
        "hu": "Ki töröl (a moderátor neve)",
    },
    "workshop.erase_reason": {
        "ro": "Motivul (de ex. „grupul a cerut ștergerea la 25.11”)",
        "en": "Reason (e.g. “the group asked for deletion on 25.11”)",
        "hu": "Indok (pl. „a csoport 11.25-én törlést kért”)",
    },
    "workshop.erase_confirm": {
        "ro": "Da, ștergeți definitiv toate marcajele sesiunii {sid}",
        "en": "Yes, delete every mark of session {sid} for good",
        "hu": "Igen, a(z) {sid} alkalom minden jelölését véglegesen törlöm",
    },
    "workshop.erase_button": {
        "ro": "Șterge definitiv",
        "en": "Delete for good",
        "hu": "Végleges törlés",
    },
    # an example of marks typed back from paper, in words the reader accepts
    # (pata_gis.sheets reads categories, times and yes/no in ro, en and hu)
    "workshop.typed_example": {
        "ro": "C4, câini, 4, noapte, lângă pod, da\nD5-NE, trafic, 3, zi, , da",
        "en": "C4, dogs, 4, night, near the bridge, yes\nD5-NE, traffic, 3, day, , yes",
        "hu": "C4, kutyák, 4, éjjel, a híd mellett, igen\nD5-NE, forgalom, 3, nappal, , igen",
    },
}

register(STRINGS)
