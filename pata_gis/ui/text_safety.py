"""Interface strings of the Safety plan page (Romanian, English, Hungarian).

Registered with :func:`pata_gis.i18n.register` on import; the page imports
this module, so the keys exist whenever the page runs.
"""

from __future__ import annotations

from pata_gis.i18n import register

STRINGS: dict[str, dict[str, str]] = {
    "safety.heading": {
        "ro": "Planul de siguranță",
        "en": "Safety plan",
        "hu": "Biztonsági terv",
    },
    "safety.caption": {
        "ro": "Cât de repede ajung poliția, poliția locală, pompierii și ambulanța la fiecare "
        "comunitate și pe ce drum. Estimare pentru discuție în ședință, nu un instrument de "
        "dispecerat: vitezele și țintele sunt ipoteze pe care ședința le corectează.",
        "en": "How fast the police, local police, fire crews and ambulances reach each "
        "community, and by which road. An estimate for the meeting to discuss, not a "
        "dispatch tool: the speeds and targets are assumptions the meeting corrects.",
        "hu": "Milyen gyorsan ér ki a rendőrség, a helyi rendőrség, a tűzoltóság és a mentő az "
        "egyes közösségekhez, és melyik úton. Becslés a megbeszéléshez, nem diszpécsereszköz: a "
        "sebességek és a célidők feltevések, amelyeket a megbeszélés pontosít.",
    },
    "safety.role": {
        "ro": "Rol: {role}. Nivel de confidențialitate: {level}.",
        "en": "Role: {role}. Privacy level: {level}.",
        "hu": "Szerep: {role}. Adatvédelmi szint: {level}.",
    },
    "safety.role.community": {"ro": "comunitate", "en": "community", "hu": "közösség"},
    "safety.role.planner": {"ro": "planificator", "en": "planner", "hu": "tervező"},
    "safety.role.police": {"ro": "poliție", "en": "police", "hu": "rendőrség"},
    "safety.role.public": {"ro": "public", "en": "public", "hu": "nyilvános"},
    "safety.level.public": {"ro": "public", "en": "public", "hu": "nyilvános"},
    "safety.level.restricted": {"ro": "restricționat", "en": "restricted", "hu": "korlátozott"},
    "safety.level.confidential": {"ro": "confidențial", "en": "confidential", "hu": "bizalmas"},
    "safety.role_default": {
        "ro": "Selectorul de rol nu este încă disponibil: pagina arată vederea publică.",
        "en": "The role selector is not available yet: the page shows the public view.",
        "hu": "A szerepválasztó még nem érhető el: az oldal a nyilvános nézetet mutatja.",
    },
    "safety.targets": {
        "ro": "Timpi-țintă de intervenție (minute)",
        "en": "Target response times (minutes)",
        "hu": "Célzott kiérkezési idők (perc)",
    },
    "safety.targets_help": {
        "ro": "Sursa valorii implicite: {source}",
        "en": "Source of the default: {source}",
        "hu": "Az alapértelmezett érték forrása: {source}",
    },
    "safety.kind.police": {"ro": "Poliție", "en": "Police", "hu": "Rendőrség"},
    "safety.kind.local_police": {
        "ro": "Poliția locală",
        "en": "Local police",
        "hu": "Helyi rendőrség",
    },
    "safety.kind.fire": {"ro": "Pompieri", "en": "Fire brigade", "hu": "Tűzoltóság"},
    "safety.kind.ambulance": {"ro": "Ambulanță", "en": "Ambulance", "hu": "Mentő"},
    "safety.no_network": {
        "ro": "Nu se poate construi rețeaua de drumuri ({reason}). Adăugați stratul de drumuri "
        "în pagina Date.",
        "en": "The road network cannot be built ({reason}). Add the roads layer on the Data page.",
        "hu": "Az úthálózat nem építhető fel ({reason}). Adja hozzá az utak rétegét az Adatok "
        "oldalon.",
    },
    "safety.missing_layer": {
        "ro": "Stratul „{layer}” lipsește sau este gol; planul are nevoie de el.",
        "en": "The '{layer}' layer is missing or empty; the plan needs it.",
        "hu": "A(z) „{layer}” réteg hiányzik vagy üres; a tervhez szükség van rá.",
    },
    "safety.error": {
        "ro": "Calculul nu a reușit: {error}",
        "en": "The computation failed: {error}",
        "hu": "A számítás nem sikerült: {error}",
    },
    "safety.coverage_heading": {
        "ro": "Timpi de intervenție pe comunitate și loc",
        "en": "Response times per community and site",
        "hu": "Kiérkezési idők közösségenként és helyszínenként",
    },
    "safety.coverage_note": {
        "ro": "Minute de la cea mai apropiată unitate (cu mașina, apoi pe jos pe ultima "
        "porțiune). ⚠ = peste țintă; „de neatins” = nu se ajunge pe rețeaua cartată.",
        "en": "Minutes from the nearest station (driving, then on foot for the last "
        "stretch). ⚠ = beyond target; 'unreachable' = not reachable on the mapped network.",
        "hu": "Percek a legközelebbi állomástól (autóval, majd az utolsó szakaszon gyalog). ⚠ = "
        "célidő felett; „elérhetetlen” = a térképezett úthálózaton nem érhető el.",
    },
    "safety.metric_beyond": {
        "ro": "{kind}: peste țintă",
        "en": "{kind}: beyond target",
        "hu": "{kind}: célidő felett",
    },
    "safety.metric_value": {"ro": "{n} din {total}", "en": "{n} of {total}", "hu": "{n} / {total}"},
    "safety.metric_help": {
        "ro": "Câte dintre comunități sunt peste ținta de {target} min a serviciului.",
        "en": "How many of the communities are beyond the service's {target} min target.",
        "hu": "Hány közösség van a szolgálat {target} perces célideje felett.",
    },
    "safety.legend_routes": {"ro": "Trasee", "en": "Routes", "hu": "Útvonalak"},
    "safety.legend_walk": {
        "ro": "linie întreruptă = pe jos",
        "en": "dashed line = on foot",
        "hu": "szaggatott vonal = gyalog",
    },
    "safety.legend_bands": {"ro": "Benzi de timp", "en": "Time bands", "hu": "Idősávok"},
    "safety.metric_delta": {
        "ro": "cel mai lent: {time} min (țintă {target})",
        "en": "slowest: {time} min (target {target})",
        "hu": "leglassabb: {time} perc (célidő: {target})",
    },
    "safety.col_place": {"ro": "Loc", "en": "Place", "hu": "Hely"},
    "safety.col_type": {"ro": "Tip", "en": "Type", "hu": "Típus"},
    "safety.type.settlements": {"ro": "comunitate", "en": "community", "hu": "közösség"},
    "safety.type.candidate_sites": {
        "ro": "loc propus (ilustrativ)",
        "en": "candidate site (illustrative)",
        "hu": "lehetséges helyszín (szemléltető)",
    },
    "safety.col_station": {"ro": "Unitatea", "en": "Station", "hu": "Állomás"},
    "safety.col_kind": {"ro": "Serviciu", "en": "Service", "hu": "Szolgálat"},
    "safety.col_time": {"ro": "Total (min)", "en": "Total (min)", "hu": "Összesen (perc)"},
    "safety.col_drive": {"ro": "Cu mașina (min)", "en": "Driving (min)", "hu": "Autóval (perc)"},
    "safety.col_walk": {"ro": "Pe jos (min)", "en": "On foot (min)", "hu": "Gyalog (perc)"},
    "safety.col_walk_m": {"ro": "Pe jos (m)", "en": "On foot (m)", "hu": "Gyalog (m)"},
    "safety.col_target": {"ro": "Țintă (min)", "en": "Target (min)", "hu": "Célidő (perc)"},
    "safety.col_flag": {"ro": "Peste țintă", "en": "Beyond target", "hu": "Célidő felett"},
    "safety.yes": {"ro": "DA", "en": "YES", "hu": "IGEN"},
    "safety.no": {"ro": "nu", "en": "no", "hu": "nem"},
    "safety.unreachable": {"ro": "de neatins", "en": "unreachable", "hu": "elérhetetlen"},
    "safety.detail": {
        "ro": "Detalii: unitate, drum cu mașina și pe jos",
        "en": "Details: station, driving and walking legs",
        "hu": "Részletek: állomás, autós és gyalogos szakasz",
    },
    "safety.map_heading": {"ro": "Harta planului", "en": "The plan's map", "hu": "A terv térképe"},
    "safety.zones_kind": {
        "ro": "Zone de acoperire și benzi de timp pentru",
        "en": "Coverage zones and time bands for",
        "hu": "Lefedettségi zónák és idősávok ehhez a szolgálathoz",
    },
    "safety.map_caption": {
        "ro": "Stații, traseele celei mai apropiate unități din fiecare serviciu către fiecare "
        "comunitate, zonele de acoperire (cine ajunge primul) colorate după timp. Straturile "
        "se pot ascunde din colțul hărții.",
        "en": "Stations, the route of the nearest station of each service to each community, "
        "the coverage zones (who arrives first) coloured by time. Layers can be switched "
        "off in the map's corner.",
        "hu": "Állomások, az egyes szolgálatok legközelebbi állomásának útvonala minden "
        "közösséghez, a lefedettségi zónák (ki ér oda elsőként) idő szerint színezve. A rétegek "
        "a térkép sarkában kikapcsolhatók.",
    },
    "safety.routes": {"ro": "Trasee: {kind}", "en": "Routes: {kind}", "hu": "Útvonalak: {kind}"},
    "safety.zones": {
        "ro": "Zone de acoperire: {kind}",
        "en": "Coverage zones: {kind}",
        "hu": "Lefedettségi zónák: {kind}",
    },
    "safety.risk_cells": {
        "ro": "Celule cu risc ridicat (agregate, k ≥ {k})",
        "en": "High-risk cells (aggregated, k ≥ {k})",
        "hu": "Magas kockázatú cellák (összesítve, k ≥ {k})",
    },
    "safety.risk_note": {
        "ro": "Marcajele de risc și incidentele apar doar ca numărări pe celule de {cell} m; "
        "celulele cu mai puțin de {k} marcaje sunt omise. {n} celule arătate.",
        "en": "Risk marks and incidents appear only as counts per {cell} m cell; cells with "
        "fewer than {k} marks are left out. {n} cells shown.",
        "hu": "A kockázati jelölések és a bejelentett események csak {cell} m-es cellánkénti "
        "darabszámként jelennek meg; azok a cellák, amelyekben kevesebb mint {k} jelölés van, "
        "kimaradnak. Megjelenített cellák: {n}.",
    },
    "safety.risk_hidden": {
        "ro": "Zonele cu risc ridicat apar doar pentru poliție și comunitate (agregate).",
        "en": "High-risk zones are shown only to the police and the community (aggregated).",
        "hu": "A magas kockázatú zónák csak a rendőrségnek és a közösségnek jelennek meg "
        "(összesítve).",
    },
    "safety.risk_count": {
        "ro": "marcaje în celulă",
        "en": "marks in the cell",
        "hu": "jelölés a cellában",
    },
    "safety.zones_heading": {
        "ro": "Cine acoperă ce zonă",
        "en": "Who covers which zone",
        "hu": "Ki melyik zónát fedi le",
    },
    "safety.col_band": {"ro": "Bandă de timp", "en": "Time band", "hu": "Idősáv"},
    "safety.col_area": {"ro": "Suprafață (km²)", "en": "Area (km²)", "hu": "Terület (km²)"},
    "safety.meeting_heading": {
        "ro": "Puncte de întâlnire și locuri sigure",
        "en": "Meeting points and safe places",
        "hu": "Találkozási pontok és biztonságos helyek",
    },
    "safety.meeting_none": {
        "ro": "Niciun punct de întâlnire în spațiul de lucru: ședința le stabilește și le "
        "adaugă în stratul „Puncte de întâlnire”.",
        "en": "No meeting points in the workspace yet: the meeting sets them and adds them "
        "to the 'Meeting points' layer.",
        "hu": "Még nincs találkozási pont a munkaterületen: a megbeszélés jelöli ki őket, és "
        "felveszi a „Találkozási pontok” rétegbe.",
    },
    "safety.meeting_hidden": {
        "ro": "Punctele de întâlnire nu sunt publice: nu apar în vederea publică.",
        "en": "Meeting points are not public: they are not shown in the public view.",
        "hu": "A találkozási pontok nem nyilvánosak: a nyilvános nézetben nem jelennek meg.",
    },
    "safety.safe_houses_hidden": {
        "ro": "Locurile sigure (case) apar doar pentru poliție și comunitate.",
        "en": "Safe houses are shown only to the police and the community.",
        "hu": "A biztonságos helyek (házak) csak a rendőrségnek és a közösségnek jelennek meg.",
    },
    "safety.print_heading": {
        "ro": "Tipăriți planul",
        "en": "Print the plan",
        "hu": "A terv nyomtatása",
    },
    "safety.who": {
        "ro": "Cine pregătește planul",
        "en": "Who prepares the plan",
        "hu": "Ki készíti a tervet",
    },
    "safety.who_help": {
        "ro": "Apare pe plan și în jurnalul de export (un rol sau o instituție).",
        "en": "Printed on the plan and in the export log (a role or an institution).",
        "hu": "Megjelenik a terven és az exportnaplóban (egy szerep vagy egy intézmény).",
    },
    "safety.print": {
        "ro": "Tipăriți planul (PDF)",
        "en": "Print the plan (PDF)",
        "hu": "A terv nyomtatása (PDF)",
    },
    "safety.print_who_missing": {
        "ro": "Scrieți cine pregătește planul.",
        "en": "Write who prepares the plan.",
        "hu": "Írja be, ki készíti a tervet.",
    },
    "safety.printing": {
        "ro": "Se pregătește planul…",
        "en": "Preparing the plan…",
        "hu": "A terv készül…",
    },
    "safety.printed": {
        "ro": "Planul este gata ({size}, nivel „{level}”); exportul a fost înregistrat în {audit}.",
        "en": "The plan is ready ({size}, level '{level}'); the export was recorded in {audit}.",
        "hu": "A terv elkészült ({size}, „{level}” szint); az exportot rögzítettük itt: {audit}.",
    },
    "safety.download": {
        "ro": "Descărcați planul (PDF)",
        "en": "Download the plan (PDF)",
        "hu": "A terv letöltése (PDF)",
    },
    "safety.print_note": {
        "ro": "Planul se tipărește în {first} și {other}, la nivelul rolului: marcajele de risc "
        "doar agregate (k ≥ 5), locurile sigure doar pentru poliție și comunitate.",
        "en": "The plan is printed in {first} and {other}, at the role's level: risk marks only "
        "aggregated (k ≥ 5), safe houses only for the police and the community.",
        "hu": "A terv {first} és {other} nyelven készül, a szerep szintjén: a kockázati "
        "jelölések csak összesítve (k ≥ 5), a biztonságos helyek csak a rendőrségnek és a "
        "közösségnek.",
    },
}
register(STRINGS)
