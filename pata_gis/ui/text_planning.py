"""Strings and drawing helpers of the planning pages (Sites, Scenarios).

Everything here is plain Python (no streamlit), so the re-ranking benchmark
(``benchmarks/bench_ui_rerank.py``) times exactly what the Sites page runs on a
weight change: :func:`pata_gis.sites.score` and :func:`ranked_sites_layer`.
The strings are registered with :func:`pata_gis.i18n.register` on import
(keys ``sites.*``, ``scen.*`` and ``plan.*``).
"""

from __future__ import annotations

import html as html_lib
import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely.geometry
from folium.utilities import JsCode
from matplotlib import colormaps
from matplotlib.colors import to_hex

from pata_gis import crs as _crs
from pata_gis.i18n import STRINGS as _ALL_STRINGS
from pata_gis.i18n import number, register, t
from pata_gis.sites import Criterion

__all__ = [
    "CRITERION_TITLES",
    "KEY_METRICS",
    "STAKEHOLDER_PRESETS",
    "STRINGS",
    "criteria_from_table",
    "criteria_table",
    "criterion_title",
    "indexed_sites",
    "rank_colours",
    "ranked_sites_geojson",
    "ranked_sites_layer",
    "role_label",
]

logger = logging.getLogger(__name__)

#: Titles of the criteria columns of :func:`pata_gis.sites.evaluate`.
CRITERION_TITLES: dict[str, dict[str, str]] = {
    "time_school_min": {
        "ro": "Școală (min pe jos)",
        "en": "School (min walk)",
        "hu": "Iskola (perc gyalog)",
    },
    "time_kindergarten_min": {
        "ro": "Grădiniță (min pe jos)",
        "en": "Kindergarten (min walk)",
        "hu": "Óvoda (perc gyalog)",
    },
    "time_doctor_min": {
        "ro": "Medic de familie (min)",
        "en": "Family doctor (min walk)",
        "hu": "Háziorvos (perc gyalog)",
    },
    "time_social_min": {
        "ro": "Servicii sociale (min)",
        "en": "Social services (min walk)",
        "hu": "Szociális szolgáltatások (perc gyalog)",
    },
    "time_transit_min": {
        "ro": "Stație de transport (min)",
        "en": "Transit stop (min walk)",
        "hu": "Tömegközlekedési megálló (perc gyalog)",
    },
    "time_jobs_min": {
        "ro": "Locuri de muncă (min)",
        "en": "Jobs (min walk)",
        "hu": "Munkahelyek (perc gyalog)",
    },
    "exposure_mean": {
        "ro": "Expunere la depozit (indice)",
        "en": "Landfill exposure (index)",
        "hu": "Lerakó-kitettség (index)",
    },
    "dist_settlement_m": {
        "ro": "Distanța de la așezările segregate (m)",
        "en": "Distance from the segregated settlements (m)",
        "hu": "Távolság a szegregált telepektől (m)",
    },
    "mix_index": {
        "ro": "Amestec în vecinătate",
        "en": "Neighbourhood mix",
        "hu": "A környék vegyessége",
    },
}

#: Starting weights of the three stakeholder sets (to be discussed and edited in
#: the meeting, not adopted): the community puts school, doctor and transit
#: first; planners weigh everything equally; the police weigh distance from the
#: existing settlements and transit (response and conflict concerns) higher.
STAKEHOLDER_PRESETS: dict[str, dict[str, int]] = {
    "community": {
        "time_school_min": 9,
        "time_kindergarten_min": 7,
        "time_doctor_min": 8,
        "time_social_min": 5,
        "time_transit_min": 8,
        "time_jobs_min": 6,
        "exposure_mean": 7,
        "dist_settlement_m": 2,
        "mix_index": 3,
    },
    "planners": {},  # equal weights
    "police": {
        "time_school_min": 4,
        "time_kindergarten_min": 3,
        "time_doctor_min": 4,
        "time_social_min": 6,
        "time_transit_min": 7,
        "time_jobs_min": 4,
        "exposure_mean": 5,
        "dist_settlement_m": 9,
        "mix_index": 6,
    },
}

#: The metrics of the Scenarios page's bar charts.
KEY_METRICS: tuple[str, ...] = (
    "exposure_mean",
    "households_in_sanitary_zone",
    "dissimilarity",
    "school_time_mean_min",
)

STRINGS: dict[str, dict[str, str]] = {
    # shared
    "plan.restricted": {
        "ro": "Amplasamentele candidate sunt un strat restricționat: le văd doar rolurile "
        "comunitate, urbaniști și poliție. Rolul curent este „{role}”: alegeți un rol cu "
        "acces (și parola lui) în bara laterală.",
        "en": "Candidate sites are a restricted layer: only the community, planner and police "
        "roles see them. The current role is '{role}': choose a role with access (and its "
        "passphrase) in the sidebar.",
        "hu": "A lehetséges helyszínek korlátozott réteget alkotnak: csak a közösségi, a "
        "tervezői és a rendőrségi szerep látja őket. A jelenlegi szerep: „{role}”; válasszon "
        "hozzáféréssel rendelkező szerepet (és adja meg a jelmondatát) az oldalsávon.",
    },
    "plan.illustrative": {
        "ro": "Amplasamentele incluse sunt ILUSTRATIVE, nu parcele reale sau propuneri ale "
        "municipalității.",
        "en": "The bundled sites are ILLUSTRATIVE, not real parcels or municipal proposals.",
        "hu": "A mellékelt helyszínek SZEMLÉLTETŐ jellegűek, nem valódi telkek és nem a "
        "városvezetés javaslatai.",
    },
    "plan.no_sites": {
        "ro": "Stratul „amplasamente candidate” este gol: adăugați amplasamente în pagina Date.",
        "en": "The candidate sites layer is empty: add sites on the Data page.",
        "hu": "A „lehetséges helyszínek” réteg üres: adjon hozzá helyszíneket az Adatok oldalon.",
    },
    "plan.error": {
        "ro": "Nu se poate calcula: {error}",
        "en": "Cannot compute: {error}",
        "hu": "Nem számítható ki: {error}",
    },
    "plan.no_network": {
        "ro": "Fără rețea de drumuri ({reason}): timpii de mers sunt lăsați deoparte sau "
        "estimați în linie dreaptă.",
        "en": "No road network ({reason}): walking times are left out or estimated along "
        "straight lines.",
        "hu": "Nincs úthálózat ({reason}): a gyaloglási idők kimaradnak, vagy légvonalban "
        "becsüljük őket.",
    },
    # sites page
    "sites.heading": {
        "ro": "Amplasamente pentru locuințe sociale",
        "en": "Social-housing sites",
        "hu": "Helyszínek szociális lakásokhoz",
    },
    "sites.caption": {
        "ro": "Criterii, ponderi, restricții și clasament. Schimbarea unei ponderi reface doar "
        "scorul (rapid); distanțele se calculează o dată pe versiune a straturilor.",
        "en": "Criteria, weights, constraints and ranking. Changing a weight only re-scores "
        "(fast); distances are measured once per version of the layers.",
        "hu": "Szempontok, súlyok, korlátozások és rangsor. Egy súly módosítása csak a "
        "pontszámokat számolja újra (gyors); a távolságokat a rétegek minden verziójára egyszer "
        "mérjük.",
    },
    "sites.criteria": {"ro": "Criterii", "en": "Criteria", "hu": "Szempontok"},
    "sites.criteria_help": {
        "ro": "Bifați criteriile folosite. „Bun” primește scorul 1, „rău” scorul 0; pentru "
        "expunere, „bun” este valoarea cu scorul 0,5.",
        "en": "Tick the criteria used. 'Good' scores 1, 'bad' scores 0; for exposure, 'good' "
        "is the value scoring 0.5.",
        "hu": "Jelölje be a használt szempontokat. A „jó” érték 1 pontot kap, a „rossz” 0-t; a "
        "kitettségnél a „jó” az az érték, amely 0,5 pontot kap.",
    },
    "sites.col_use": {"ro": "Folosit", "en": "Used", "hu": "Használva"},
    "sites.col_criterion": {"ro": "Criteriu", "en": "Criterion", "hu": "Szempont"},
    "sites.col_how": {"ro": "Cum se notează", "en": "How scored", "hu": "Pontozás módja"},
    "sites.col_good": {"ro": "Bun", "en": "Good", "hu": "Jó"},
    "sites.col_bad": {"ro": "Rău", "en": "Bad", "hu": "Rossz"},
    "sites.col_data": {"ro": "Date", "en": "Data", "hu": "Adatok"},
    "sites.how_threshold": {
        "ro": "prag (mai mic e mai bine)",
        "en": "threshold (lower better)",
        "hu": "küszöb (a kisebb a jobb)",
    },
    "sites.how_threshold_b": {
        "ro": "prag (mai mare e mai bine)",
        "en": "threshold (higher better)",
        "hu": "küszöb (a nagyobb a jobb)",
    },
    "sites.how_inverse": {
        "ro": "invers (mai mic e mai bine)",
        "en": "inverse (lower better)",
        "hu": "fordított (a kisebb a jobb)",
    },
    "sites.how_linear": {
        "ro": "liniar între limite",
        "en": "linear between bounds",
        "hu": "lineáris a határok között",
    },
    "sites.how_ideal": {"ro": "interval ideal", "en": "ideal range", "hu": "ideális tartomány"},
    "sites.has_data": {"ro": "da", "en": "yes", "hu": "igen"},
    "sites.no_data": {"ro": "lipsesc", "en": "missing", "hu": "hiányzik"},
    "sites.weights": {"ro": "Ponderi", "en": "Weights", "hu": "Súlyok"},
    "sites.method": {
        "ro": "Metoda ponderilor",
        "en": "Weighting method",
        "hu": "Súlyozási módszer",
    },
    "sites.method_sliders": {"ro": "Cursoare", "en": "Sliders", "hu": "Csúszkák"},
    "sites.method_ahp": {
        "ro": "Comparații în perechi (AHP)",
        "en": "Pairwise comparisons (AHP)",
        "hu": "Páros összehasonlítás (AHP)",
    },
    "sites.stakeholder": {
        "ro": "Setul de ponderi editat",
        "en": "Weight set being edited",
        "hu": "A szerkesztett súlykészlet",
    },
    "sites.set.community": {"ro": "Comunitatea", "en": "Community", "hu": "Közösség"},
    "sites.set.planners": {"ro": "Urbaniștii", "en": "Planners", "hu": "Tervezők"},
    "sites.set.police": {"ro": "Poliția", "en": "Police", "hu": "Rendőrség"},
    "sites.ahp_help": {
        "ro": "Pentru fiecare pereche: cât de important este criteriul din stânga față de cel "
        "din dreapta (1 = la fel, 9 = extrem de important).",
        "en": "For each pair: how much more important the left criterion is than the right "
        "one (1 = equal, 9 = extremely more important).",
        "hu": "Minden párnál: mennyivel fontosabb a bal oldali szempont a jobb oldalinál (1 = "
        "egyformán fontos, 9 = rendkívül fontosabb).",
    },
    "sites.ahp_equal": {"ro": "la fel", "en": "equal", "hu": "egyformán"},
    "sites.ahp_cr": {
        "ro": "Raport de consistență CR = {cr} (λmax = {lam})",
        "en": "Consistency ratio CR = {cr} (λmax = {lam})",
        "hu": "Konzisztenciaarány: CR = {cr} (λmax = {lam})",
    },
    "sites.ahp_inconsistent": {
        "ro": "CR peste 0,10: judecățile se contrazic. Revedeți perechile (de ex. dacă A > B și "
        "B > C, atunci A > C).",
        "en": "CR above 0.10: the judgements contradict each other. Revisit the pairs (if A > B "
        "and B > C, then A > C).",
        "hu": "A CR 0,10 felett van: az ítéletek ellentmondanak egymásnak. Nézze át a párokat "
        "(ha A > B és B > C, akkor A > C).",
    },
    "sites.col_weight": {"ro": "Pondere", "en": "Weight", "hu": "Súly"},
    "sites.constraints": {"ro": "Restricții", "en": "Constraints", "hu": "Korlátozások"},
    "sites.distance": {
        "ro": "Distanța de protecție sanitară față de celulele active (m)",
        "en": "Sanitary-protection distance from the active cells (m)",
        "hu": "Egészségügyi védőtávolság az aktív celláktól (m)",
    },
    "sites.distance_ref": {
        "ro": "Referință: {ref}",
        "en": "Reference: {ref}",
        "hu": "Hivatkozás: {ref}",
    },
    "sites.ranking": {"ro": "Clasament", "en": "Ranking", "hu": "Rangsor"},
    "sites.top": {
        "ro": "Pe primul loc: **{site}** (scor {score})",
        "en": "First: **{site}** (score {score})",
        "hu": "Az első helyen: **{site}** (pontszám: {score})",
    },
    "sites.col_rank": {"ro": "Loc", "en": "Rank", "hu": "Helyezés"},
    "sites.col_site": {"ro": "Amplasament", "en": "Site", "hu": "Helyszín"},
    "sites.col_score": {"ro": "Scor (0–1)", "en": "Score (0–1)", "hu": "Pontszám (0–1)"},
    "sites.col_status": {"ro": "Stare", "en": "Status", "hu": "Állapot"},
    "sites.col_reason": {"ro": "Motiv", "en": "Reason", "hu": "Ok"},
    "sites.status.ranked": {"ro": "clasat", "en": "ranked", "hu": "rangsorolva"},
    "sites.status.excluded": {"ro": "exclus", "en": "excluded", "hu": "kizárva"},
    "sites.status.no data": {"ro": "fără date", "en": "no data", "hu": "nincs adat"},
    "sites.reason_zone": {
        "ro": "în zona de protecție sanitară ({m} m)",
        "en": "inside the sanitary-protection zone ({m} m)",
        "hu": "az egészségügyi védőövezeten belül ({m} m)",
    },
    "sites.map": {
        "ro": "Harta clasamentului",
        "en": "Map of the ranking",
        "hu": "A rangsor térképe",
    },
    "sites.map_layer": {
        "ro": "Amplasamente după loc",
        "en": "Sites by rank",
        "hu": "Helyszínek helyezés szerint",
    },
    "sites.map_zone": {
        "ro": "Zona de protecție sanitară",
        "en": "Sanitary-protection zone",
        "hu": "Egészségügyi védőövezet",
    },
    "sites.map_caption": {
        "ro": "Verde = loc bun, roșu = loc slab; gri punctat = exclus (motivul apare la "
        "trecerea cu mouse-ul).",
        "en": "Green = high rank, red = low rank; dashed grey = excluded (hover for the reason).",
        "hu": "Zöld = jó helyezés, piros = gyenge helyezés; szürke szaggatott = kizárva (az ok "
        "akkor látszik, ha az egeret fölé viszi).",
    },
    "sites.excluded_tip": {
        "ro": "EXCLUS: {reason}",
        "en": "EXCLUDED: {reason}",
        "hu": "KIZÁRVA: {reason}",
    },
    "sites.rank_tip": {
        "ro": "locul {rank}: {site} (scor {score})",
        "en": "rank {rank}: {site} (score {score})",
        "hu": "{rank}. hely: {site} (pontszám: {score})",
    },
    "sites.agreement": {
        "ro": "Acordul între părți",
        "en": "Agreement between stakeholders",
        "hu": "Egyetértés az érintettek között",
    },
    "sites.agreement_help": {
        "ro": "Clasamentul fiecărui set de ponderi și cât de mult seamănă (Kendall τ: 1 = "
        "aceeași ordine, 0 = fără legătură, −1 = inversă).",
        "en": "The ranking of each weight set and how alike they are (Kendall τ: 1 = same "
        "order, 0 = unrelated, −1 = reversed).",
        "hu": "Az egyes súlykészletek rangsora és hogy mennyire hasonlítanak (Kendall-τ: 1 = "
        "azonos sorrend, 0 = nincs összefüggés, −1 = fordított sorrend).",
    },
    "sites.col_pair": {"ro": "Pereche", "en": "Pair", "hu": "Pár"},
    "sites.col_tau": {"ro": "Kendall τ", "en": "Kendall τ", "hu": "Kendall-τ"},
    "sites.col_shared": {
        "ro": "Comune în primele {k}",
        "en": "Shared in top {k}",
        "hu": "Közös az első {k} között",
    },
    "sites.col_same_top": {
        "ro": "Același prim loc",
        "en": "Same first site",
        "hu": "Ugyanaz az első helyszín",
    },
    "sites.col_agreement": {"ro": "Acord", "en": "Agreement", "hu": "Egyetértés"},
    "sites.col_driver": {
        "ro": "Criteriul care desparte",
        "en": "Criterion that divides",
        "hu": "A megosztó szempont",
    },
    "sites.agree.all top": {
        "ro": "toți îl pun sus",
        "en": "all rank it top",
        "hu": "mindenki előre sorolja",
    },
    "sites.agree.contested": {"ro": "disputat", "en": "contested", "hu": "vitatott"},
    "sites.agree.none top": {
        "ro": "nimeni nu-l pune sus",
        "en": "nobody ranks it top",
        "hu": "senki sem sorolja előre",
    },
    "sites.agree.not ranked": {"ro": "neclasat", "en": "not ranked", "hu": "nincs rangsorolva"},
    "sites.sensitivity": {
        "ro": "Cât de sigur e primul loc",
        "en": "How safe the first site is",
        "hu": "Mennyire biztos az első hely",
    },
    "sites.sensitivity_help": {
        "ro": "Pentru fiecare pondere: la ce valoare primul loc trece la alt amplasament "
        "(celelalte ponderi se scalează proporțional).",
        "en": "For each weight: the value at which the first place goes to another site (the "
        "other weights scale proportionally).",
        "hu": "Minden súlyra: melyik értéknél kerül az első hely egy másik helyszínre (a többi "
        "súly arányosan változik).",
    },
    "sites.col_now": {"ro": "Pondere acum", "en": "Weight now", "hu": "Jelenlegi súly"},
    "sites.col_down": {"ro": "Scade la", "en": "Drops to", "hu": "Csökkenés eddig"},
    "sites.col_new_down": {
        "ro": "Noul prim loc (scădere)",
        "en": "New first (down)",
        "hu": "Új első hely (csökkenésnél)",
    },
    "sites.col_up": {"ro": "Crește la", "en": "Rises to", "hu": "Növekedés eddig"},
    "sites.col_new_up": {
        "ro": "Noul prim loc (creștere)",
        "en": "New first (up)",
        "hu": "Új első hely (növekedésnél)",
    },
    "sites.fragile": {
        "ro": "Cea mai mică schimbare care mută primul loc: ponderea „{crit}” de la {w0} la "
        "{w1} → {site}.",
        "en": "The smallest change that moves the first place: the weight of '{crit}' from "
        "{w0} to {w1} → {site}.",
        "hu": "A legkisebb változás, amely elmozdítja az első helyet: a(z) „{crit}” súlya {w0} "
        "helyett {w1} → {site}.",
    },
    "sites.robust": {
        "ro": "Nicio pondere singură nu mută primul loc.",
        "en": "No single weight moves the first place.",
        "hu": "Egyetlen súly önmagában sem mozdítja el az első helyet.",
    },
    "sites.notes": {
        "ro": "Note despre date",
        "en": "Notes on the data",
        "hu": "Megjegyzések az adatokról",
    },
    "sites.criteria_values": {
        "ro": "Valorile măsurate",
        "en": "Measured values",
        "hu": "Mért értékek",
    },
    # scenarios page
    "scen.heading": {
        "ro": "Scenarii de relocare",
        "en": "Resettlement scenarios",
        "hu": "Áttelepítési forgatókönyvek",
    },
    "scen.caption": {
        "ro": "Situația actuală, scenarii construite de mână sau propuse de optimizator, "
        "comparate unul lângă altul.",
        "en": "The status quo, scenarios built by hand or proposed by the optimiser, "
        "compared side by side.",
        "hu": "A jelenlegi helyzet, valamint kézzel összeállított vagy az optimalizáló által "
        "javasolt forgatókönyvek egymás mellett összehasonlítva.",
    },
    "scen.baseline": {"ro": "Situația actuală", "en": "Baseline", "hu": "Jelenlegi helyzet"},
    "scen.baseline_help": {
        "ro": "Familiile din fiecare comunitate (din stratul așezărilor) și familiile deja "
        "relocate (editați tabelul; rămân unde sunt în toate scenariile).",
        "en": "The families of each community (from the settlements layer) and the families "
        "already relocated (edit the table; they stay where they are in every scenario).",
        "hu": "Az egyes közösségek családjai (a közösségek rétegéből) és a már áttelepített "
        "családok (szerkessze a táblázatot; minden forgatókönyvben ott maradnak, ahol vannak).",
    },
    "scen.relocated": {
        "ro": "Familii deja relocate",
        "en": "Families already relocated",
        "hu": "Már áttelepített családok",
    },
    "scen.col_group": {"ro": "Grup", "en": "Group", "hu": "Csoport"},
    "scen.col_community": {"ro": "Comunitatea", "en": "Community", "hu": "Közösség"},
    "scen.col_households": {"ro": "Gospodării", "en": "Households", "hu": "Háztartások"},
    "scen.col_size": {
        "ro": "Persoane / gospodărie",
        "en": "Persons / household",
        "hu": "Fő / háztartás",
    },
    "scen.col_location": {"ro": "Unde locuiesc", "en": "Where they live", "hu": "Hol laknak"},
    "scen.col_site": {"ro": "Amplasament", "en": "Site", "hu": "Helyszín"},
    "scen.col_capacity": {"ro": "Locuințe", "en": "Units", "hu": "Lakások"},
    "scen.build": {
        "ro": "Construiți și editați scenarii",
        "en": "Build and edit scenarios",
        "hu": "Forgatókönyvek összeállítása és szerkesztése",
    },
    "scen.new_name": {
        "ro": "Numele scenariului nou",
        "en": "Name of the new scenario",
        "hu": "Az új forgatókönyv neve",
    },
    "scen.add": {
        "ro": "Adaugă scenariul",
        "en": "Add the scenario",
        "hu": "Forgatókönyv hozzáadása",
    },
    "scen.exists": {
        "ro": "Există deja un scenariu „{name}”.",
        "en": "A scenario '{name}' exists.",
        "hu": "Már van „{name}” nevű forgatókönyv.",
    },
    "scen.edit": {
        "ro": "Scenariul editat",
        "en": "Scenario being edited",
        "hu": "A szerkesztett forgatókönyv",
    },
    "scen.delete": {
        "ro": "Șterge scenariul",
        "en": "Delete the scenario",
        "hu": "Forgatókönyv törlése",
    },
    "scen.none": {
        "ro": "Niciun scenariu încă: dați-i un nume și adăugați-l, sau cereți o propunere "
        "optimizatorului.",
        "en": "No scenario yet: name one and add it, or ask the optimiser for a proposal.",
        "hu": "Még nincs forgatókönyv: adjon meg egy nevet, és adja hozzá, vagy kérjen "
        "javaslatot az optimalizálótól.",
    },
    "scen.max_per_site": {
        "ro": "Regula de dispersie: cel mult atâtea familii din Pata Rât pe amplasament (0 = "
        "fără regulă)",
        "en": "Dispersal rule: at most this many Pata Rât families per site (0 = no rule)",
        "hu": "Szétszórási szabály: helyszínenként legfeljebb ennyi Pata Rât-i család (0 = nincs "
        "szabály)",
    },
    "scen.ok": {
        "ro": "„{name}” respectă toate regulile.",
        "en": "'{name}' keeps every rule.",
        "hu": "A(z) „{name}” minden szabályt betart.",
    },
    "scen.problems": {
        "ro": "„{name}” încalcă:",
        "en": "'{name}' breaks:",
        "hu": "A(z) „{name}” a következő szabályokat sérti:",
    },
    "scen.compare": {"ro": "Comparație", "en": "Comparison", "hu": "Összehasonlítás"},
    "scen.col_metric": {"ro": "Indicator", "en": "Metric", "hu": "Mutató"},
    "scen.col_unit": {"ro": "Unitate", "en": "Unit", "hu": "Mértékegység"},
    "scen.assumptions": {"ro": "Ipoteze", "en": "Assumptions", "hu": "Feltevések"},
    "scen.charts": {"ro": "Indicatori cheie", "en": "Key metrics", "hu": "Fő mutatók"},
    "scen.maps": {"ro": "Hărți mici", "en": "Small maps", "hu": "Kis térképek"},
    "scen.map_note": {
        "ro": "Roșu: familii rămase în așezări; albastru: familii pe amplasamente (numărul lor).",
        "en": "Red: families left in the settlements; blue: families at sites (their number).",
        "hu": "Piros: a telepeken maradt családok; kék: a helyszíneken lévő családok (a "
        "számukkal).",
    },
    "scen.optimiser": {"ro": "Optimizator", "en": "Optimiser", "hu": "Optimalizáló"},
    "scen.opt_help": {
        "ro": "Propune o alocare care minimizează expunerea la depozit și concentrarea "
        "familiilor, cu regulile de mai jos.",
        "en": "Proposes an allocation that minimises landfill exposure and the concentration "
        "of families, under the rules below.",
        "hu": "Olyan elosztást javasol, amely az alábbi szabályok mellett a lehető legkisebbre "
        "csökkenti a lerakó-kitettséget és a családok koncentrációját.",
    },
    "scen.opt_groups": {
        "ro": "Comunitățile mutate",
        "en": "Communities to move",
        "hu": "Áttelepítendő közösségek",
    },
    "scen.opt_max_moves": {
        "ro": "Cel mult atâtea mutări (0 = toate familiile)",
        "en": "At most this many moves (0 = every family)",
        "hu": "Legfeljebb ennyi költözés (0 = minden család)",
    },
    "scen.opt_max_per_site": {
        "ro": "Cel mult pe amplasament (0 = fără limită)",
        "en": "At most per site (0 = no cap)",
        "hu": "Helyszínenként legfeljebb (0 = nincs korlát)",
    },
    "scen.opt_weight": {
        "ro": "Ponderea segregării",
        "en": "Segregation weight",
        "hu": "A szegregáció súlya",
    },
    "scen.opt_outside": {
        "ro": "Lasă deoparte amplasamentele din zona de protecție sanitară",
        "en": "Leave out the sites inside the sanitary-protection zone",
        "hu": "Az egészségügyi védőövezeten belüli helyszínek kihagyása",
    },
    "scen.opt_run": {
        "ro": "Propune o alocare",
        "en": "Propose an allocation",
        "hu": "Elosztási javaslat kérése",
    },
    "scen.opt_status": {
        "ro": "Stare: {status}; expunere medie {exp}",
        "en": "Status: {status}; mean exposure {exp}",
        "hu": "Állapot: {status}; átlagos kitettség: {exp}",
    },
    "scen.opt_bound": {
        "ro": "Ce a limitat rezultatul",
        "en": "What bound it",
        "hu": "Mi korlátozta az eredményt",
    },
    "scen.opt_add": {
        "ro": "Adaugă propunerea ca scenariu",
        "en": "Add the proposal as a scenario",
        "hu": "A javaslat hozzáadása forgatókönyvként",
    },
    "scen.opt_added": {
        "ro": "Adăugat: „{name}”.",
        "en": "Added: '{name}'.",
        "hu": "Hozzáadva: „{name}”.",
    },
    "scen.report": {
        "ro": "Raport pentru consiliu (PDF)",
        "en": "Council report (PDF)",
        "hu": "Jelentés a városi tanácsnak (PDF)",
    },
    "scen.report_prepare": {
        "ro": "Pregătește raportul PDF",
        "en": "Prepare the PDF report",
        "hu": "A PDF-jelentés előkészítése",
    },
    "scen.report_download": {
        "ro": "Descarcă raportul",
        "en": "Download the report",
        "hu": "A jelentés letöltése",
    },
}
register(STRINGS)


def role_label(role: str, lang: str) -> str:
    """The role's name in `lang` (the ``role.<name>`` string when registered)."""
    key = f"role.{role}"
    return t(key, lang) if key in _ALL_STRINGS else role


def criterion_title(column: str, lang: str) -> str:
    """The title of a criteria column in `lang` (English, then the column, as fallbacks)."""
    entry = CRITERION_TITLES.get(column, {})
    return entry.get(lang) or entry.get("en") or column


def indexed_sites(sites: gpd.GeoDataFrame, name_column: str = "name") -> gpd.GeoDataFrame:
    """The candidate sites indexed by name, as :func:`pata_gis.sites.evaluate` indexes them."""
    out = sites.reset_index(drop=True)
    if name_column in out:
        out.index = pd.Index(out[name_column].astype(str), name="site")
    else:
        out.index = pd.Index([f"site {i + 1}" for i in range(len(out))], name="site")
    return out


def _how(c: Criterion) -> str:
    if c.transform == "threshold":
        return "sites.how_threshold" if c.direction == "cost" else "sites.how_threshold_b"
    return {
        "inverse": "sites.how_inverse",
        "linear": "sites.how_linear",
        "ideal_range": "sites.how_ideal",
    }[c.transform]


def _params(c: Criterion) -> tuple[float | None, float | None]:
    """(good, bad) of a criterion as the editor shows them."""
    if c.transform == "threshold":
        return c.good, c.bad
    if c.transform == "inverse":
        return c.x0, None
    if c.transform == "linear" and c.bounds is not None:
        lo, hi = c.bounds
        return (hi, lo) if c.direction == "benefit" else (lo, hi)
    if c.transform == "ideal_range" and c.ideal is not None:
        return c.ideal
    return None, None


def criteria_table(
    criteria: Sequence[Criterion], available: Sequence[str], lang: str
) -> pd.DataFrame:
    """The editable criteria table: use, title, how scored, good, bad, data (index = column)."""
    rows = []
    for c in criteria:
        good, bad = _params(c)
        has = c.column in available
        rows.append(
            {
                "use": has,
                "criterion": criterion_title(c.column, lang),
                "how": t(_how(c), lang),
                "good": np.nan if good is None else float(good),
                "bad": np.nan if bad is None else float(bad),
                "data": t("sites.has_data" if has else "sites.no_data", lang),
            }
        )
    return pd.DataFrame(rows, index=pd.Index([c.column for c in criteria], name="column"))


def _num(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def criteria_from_table(
    table: pd.DataFrame, criteria: Sequence[Criterion], available: Sequence[str]
) -> list[Criterion]:
    """The criteria ticked in `table` with the edited good/bad values.

    A criterion without data is never returned; a value left empty keeps the
    default. Raises :class:`pata_gis._errors.InputError` (from
    :class:`~pata_gis.sites.Criterion`) when good and bad contradict the
    direction.
    """
    out: list[Criterion] = []
    for c in criteria:
        if c.column not in available or c.column not in table.index:
            continue
        row = table.loc[c.column]
        if not bool(row["use"]):
            continue
        good, bad = _num(row["good"]), _num(row["bad"])
        d_good, d_bad = _params(c)
        good = d_good if good is None else good
        bad = d_bad if bad is None else bad
        if c.transform == "threshold":
            out.append(Criterion(c.column, c.direction, "threshold", good=good, bad=bad))
        elif c.transform == "inverse":
            out.append(Criterion(c.column, c.direction, "inverse", x0=good))
        elif c.transform == "linear" and good is not None and bad is not None:
            lo, hi = (bad, good) if c.direction == "benefit" else (good, bad)
            out.append(Criterion(c.column, c.direction, "linear", bounds=(lo, hi)))
        elif c.transform == "ideal_range" and good is not None and bad is not None:
            out.append(
                Criterion(c.column, ideal=(good, bad), transform="ideal_range",
                          tolerance=c.tolerance)
            )  # fmt: skip
        else:
            out.append(c)
    return out


#: Binds each site's rank as a permanent label (one GeoJson for every label).
_LABEL_JS = """
function(feature, layer) {
    var p = feature.properties;
    layer.bindTooltip('<span style="display:inline-block;min-width:16px;text-align:center;'
        + 'font:bold 13px sans-serif;padding:1px 4px;border-radius:8px;background:' + p.colour
        + ';color:' + (p.ranked ? '#111' : '#fff') + '">' + p.label + '</span>',
        {permanent: true, direction: 'center', className: 'pata-rank-label', opacity: 0.95});
}
"""


def rank_colours(ranks: Sequence[Any]) -> list[str]:
    """A colour per rank: green for 1 to red for the last; grey where there is no rank."""
    vals = [None if r is None or pd.isna(r) else int(r) for r in ranks]
    known = [v for v in vals if v is not None]
    hi = max(known) if known else 1
    cmap = colormaps["RdYlGn_r"]
    out = []
    for v in vals:
        if v is None:
            out.append("#8c8c8c")
        else:
            x = 0.0 if hi <= 1 else (v - 1) / (hi - 1)
            out.append(to_hex(cmap(0.1 + 0.8 * x)))
    return out


def _ranked_props(
    ranking: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    lang: str,
    reasons: Mapping[str, str] | None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """The ranked sites in EPSG:4326 and, per site, its tooltip, label, colour and rank flag."""
    shown = _crs.to_display(sites.loc[[s for s in ranking.index if s in sites.index]])
    rk = ranking.reindex(shown.index)
    colours = rank_colours(list(rk["rank"]))
    reason = dict(reasons or {})
    tips, labels, ranked_flags = [], [], []
    for name, r in rk.iterrows():
        ranked = not pd.isna(r["rank"])
        ranked_flags.append(ranked)
        if ranked:
            tips.append(
                t("sites.rank_tip", lang, rank=int(r["rank"]), site=name,
                  score=number(float(r["score"]), lang))
            )  # fmt: skip
            labels.append(str(int(r["rank"])))
        else:
            tips.append(
                t("sites.excluded_tip", lang, reason=reason.get(str(name), str(r["reason"])))
            )
            labels.append("✕")
    props = pd.DataFrame(
        {"tip": tips, "label": labels, "colour": colours, "ranked": ranked_flags},
        index=shown.index,
    )
    return shown, props


def _label_html(label: str, colour: str, ranked: bool) -> str:
    return (
        '<span style="display:inline-block;min-width:16px;text-align:center;'
        f"font:bold 13px sans-serif;padding:1px 4px;border-radius:8px;background:{colour};"
        f'color:{"#111" if ranked else "#fff"}">{html_lib.escape(label)}</span>'
    )


def ranked_sites_geojson(
    ranking: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    *,
    lang: str,
    reasons: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The ranked sites as GeoJSON for :func:`pata_gis.ui.map_overlay.draw_on_map`.

    The same look as :func:`ranked_sites_layer`: outlines filled green (1st) to red
    (last), excluded or unranked sites grey and dashed with the reason in their
    tooltip, and the rank number on each site (class ``pata-rank-label``).

    Returns
    -------
    list of dict
        Two FeatureCollections: the site outlines, then their labels.
    """
    shown, props = _ranked_props(ranking, sites, lang, reasons)
    areas, points = [], []
    reps = shown.geometry.representative_point()
    for i, (geom, rep) in enumerate(zip(shown.geometry, reps, strict=True)):
        p = props.iloc[i]
        style = _site_style({"properties": {"ranked": bool(p["ranked"]), "colour": p["colour"]}})
        areas.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(geom),
                "properties": {"_style": style, "_tip": p["tip"]},
            }
        )
        points.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(rep),
                "properties": {
                    "_label": _label_html(str(p["label"]), str(p["colour"]), bool(p["ranked"])),
                    "_label_class": "pata-rank-label",
                },
            }
        )
    return [
        {"type": "FeatureCollection", "features": areas},
        {"type": "FeatureCollection", "features": points},
    ]


def ranked_sites_layer(
    ranking: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    *,
    lang: str,
    reasons: Mapping[str, str] | None = None,
) -> folium.FeatureGroup:
    """The candidate sites coloured by rank, with their rank number on the map.

    Parameters
    ----------
    ranking : DataFrame
        :func:`pata_gis.sites.score` output (index = site name).
    sites : GeoDataFrame
        The sites indexed like `ranking` (:func:`indexed_sites`), any CRS.
    lang : str
    reasons : mapping site -> text, optional
        The reason shown for an excluded or unranked site (default the
        ``reason`` column of `ranking`).

    Returns
    -------
    folium.FeatureGroup
        Ranked sites filled green (1st) to red (last), excluded or unranked ones
        grey with a dashed outline and the reason in their tooltip.
    """
    shown, props = _ranked_props(ranking, sites, lang, reasons)
    group = folium.FeatureGroup(name=t("sites.map_layer", lang), control=True)
    # One GeoJson for the outlines and one for the labels: a weight change
    # sends two elements, whatever the number of sites.
    areas = gpd.GeoDataFrame(props, geometry=shown.geometry.to_numpy(), crs=shown.crs)
    folium.GeoJson(
        areas.reset_index(drop=True).to_json(drop_id=True),
        style_function=_site_style,
        tooltip=folium.GeoJsonTooltip(fields=["tip"], labels=False),
        name=t("sites.map_layer", lang),
    ).add_to(group)
    points = gpd.GeoDataFrame(
        props, geometry=shown.geometry.representative_point().to_numpy(), crs=shown.crs
    )
    folium.GeoJson(
        points.reset_index(drop=True).to_json(drop_id=True),
        marker=folium.CircleMarker(radius=2, opacity=0, fill_opacity=0),
        on_each_feature=JsCode(_LABEL_JS),
        control=False,
    ).add_to(group)
    return group


def _site_style(feature: dict[str, Any]) -> dict[str, Any]:
    p = feature["properties"]
    if p["ranked"]:
        return {"color": "#222222", "weight": 2, "fillColor": p["colour"], "fillOpacity": 0.75}
    return {
        "color": "#555555",
        "weight": 2,
        "dashArray": "6 4",
        "fillColor": p["colour"],
        "fillOpacity": 0.35,
    }


def open_planning_page(ws: Any, role: str, lang: str, page: str) -> dict[str, Any]:
    """The start of the Sites and Scenarios pages: title, the role check and the sites check.

    Shows the page's title (``<page>.heading``); stops the page with a note when the
    role may not see the candidate sites or there are none; else shows the caption
    (``<page>.caption``) and returns the workspace's layer specs.
    """
    import streamlit as st

    from pata_gis import privacy
    from pata_gis.ui.common import read_layer

    specs = ws.specs()
    st.title(t(f"{page}.heading", lang))
    if "candidate_sites" not in specs or not privacy.can_see(
        role, specs["candidate_sites"].sensitivity
    ):
        st.info(t("plan.restricted", lang, role=role_label(role, lang)))
        st.stop()
    st.caption(t(f"{page}.caption", lang) + " " + t("plan.illustrative", lang))
    if len(read_layer(ws, "candidate_sites")) == 0:
        st.warning(t("plan.no_sites", lang))
        st.stop()
    return dict(specs)
