"""Cells of ``01_workshop.ipynb`` (the facilitator's worked example)."""

CELLS = [
    ("md", r"""
# 1. A community mapping workshop (atelier de cartografiere comunitară)

This notebook follows a facilitator through one workshop in **Dallas**, one of the four
communities of Pata Rât. Everything runs offline on a laptop and writes only into a temporary
folder. The steps:

1. create a workspace (*spațiu de lucru*) with the bundled Pata Rât layers;
2. start a session with the group's **consent** (*acord*), read aloud in Romanian;
3. print the **paper sheet** (*foaia de lucru*) with its grid;
4. type the marks back from the sheet **by cell** (*pe celule*);
5. import a small **KoboToolbox** CSV collected on phones by a second group;
6. merge the groups: **consensus zones** (*zone de consens*) and **hotspots**, with the
   "too few marks to say" rule;
7. the **aggregated public view** (counts per cell, cells under *k* = 5 suppressed);
8. an **audited export** (*export înregistrat în jurnal*).

Residents own these marks: nothing below leaves the workspace unaggregated.
"""),
    ("code", r"""
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from pata_gis import printing, privacy, risk, sheets, workshop
from pata_gis.workspace import Workspace

tmp = Path(tempfile.mkdtemp(prefix="pata_workshop_"))
ws = Workspace.create(tmp / "workshop.gpkg")
print("workspace:", ws.path.name)
print(ws.info()[["name", "n_features", "sensitivity"]].to_string(index=False))
"""),
    ("md", r"""
## 2. A session with consent

A session records the community, the date, the facilitator, the group and what the group agreed
its marks may be used for (`consent_scope`). This group of women agrees that the police may see
their marks **aggregated or masked** (`share_with_police`). The consent text is read aloud before
anyone draws.
"""),
    ("code", r"""
women = workshop.new_session(
    ws,
    community="Dallas",
    date="2026-11-25",
    facilitator="Facilitator A",
    group="women",
    consent_scope="share_with_police",
    participants=9,
)
print(women.session_id, "-", women.label)
print()
print("RO:", workshop.consent_text("share_with_police", "ro"))
print()
print("EN:", workshop.consent_text("share_with_police", "en"))
"""),
    ("md", r"""
## 3. The paper sheet

Only **public** layers go on paper. The sheet carries a letter/number grid, a sheet code and a QR
code, so marks drawn with a pen can be typed back by cell. The grid metadata is kept beside
the PDF.
"""),
    ("code", r"""
specs = ws.specs()
public = [n for n, s in specs.items() if s.sensitivity == "public"]
layers = {n: ws.read(n) for n in public}
fig, grid, meta = sheets.make_sheet(
    "Dallas", layers, {n: specs[n] for n in public},
    paper="A4", lang="ro", session=women.session_id, date="2026-11-25",
)
sheet_pdf = printing.save_figure(fig, tmp / "dallas_sheet.pdf")
print("sheet", meta["sheet_id"], "->", Path(sheet_pdf).name)
print(f"grid: {grid.n_cols} columns x {grid.n_rows} rows of {grid.cell_size:g} m")
"""),
    ("md", r"""
## 4. Typing the marks back by cell

After the workshop the facilitator reads the sheet and types one line per mark: the cell
(`C4`, or a quarter such as `C4-NE`), the category (Romanian labels work), severity 1–5,
the time of day and the person's consent (`da`/`nu`). A mark without consent is **not stored**.
"""),
    ("code", r"""
back = sheets.SheetGrid.from_dict(meta)  # the grid rebuilt from the saved metadata alone
cells = [f"{chr(ord('A') + grid.n_cols // 2)}{grid.n_rows // 2 + 1}"]  # the middle of the sheet
typed = pd.DataFrame(
    {
        "cell": [cells[0], cells[0] + "-NE", cells[0] + "-SW", cells[0], cells[0], cells[0], "A1", "B2"],
        "category": ["câini"] * 4 + ["trafic", "drum neluminat", "inundații", "conflict"],
        "severity": [4, 4, 3, 5, 3, 4, 2, 5],
        "time_of_day": ["noapte", "noapte", "seară", "noapte", "zi", "seară", "oricând", "noapte"],
        "consent": ["da", "da", "da", "da", "da", "da", "da", "nu"],
    }
)
paper = sheets.marks_from_cells(typed, back, session_id=women.session_id)
added = workshop.add_marks(ws, women.session_id, paper)
print(f"{len(typed)} lines typed, {len(paper)} marks with consent, saved: {dict(added)}")
print(paper[["cell", "category", "severity", "time_of_day", "accuracy_m"]].to_string(index=False))
"""),
    ("md", r"""
With 7 marks (one group) the hotspot test refuses to speak: below 30 consented marks (`risk.MIN_MARKS`)
every cell is *"too few marks to say"* and nothing is called hot. This protects a small group
from being over-read.
"""),
    ("code", r"""
few = workshop.merge_groups(ws, "Dallas")
spots = risk.hotspots(few)
print("marks:", len(few), "| status:", spots.attrs["status"], "|", spots.attrs.get("reason", ""))
print(spots["class"].value_counts().to_string())
"""),
    ("md", r"""
## 5. A KoboToolbox export from a second group

Young people walked the area with phones and a Kobo form. Kobo writes a `;`-separated CSV with
group paths (`grp_risc/category`) and the geopoint split into `_location_latitude`,
`_location_longitude`, ... Submitter names and device ids are **dropped** on import; rows
rejected in review are skipped. Here we make a small export in the notebook.
"""),
    ("code", r"""
young = workshop.new_session(
    ws, community="Dallas", date="2026-11-26", facilitator="Facilitator A",
    group="young people", consent_scope="share_with_police", participants=7,
)
dallas = ws.read("settlements").set_index("name").geometry["Dallas"].centroid
rng = np.random.default_rng(42)
n = 40
lat = np.r_[dallas.y + rng.normal(0, 0.0003, 30), dallas.y + rng.uniform(-0.006, 0.006, 10)]
lon = np.r_[dallas.x + rng.normal(0, 0.0004, 30), dallas.x + rng.uniform(-0.008, 0.008, 10)]
kobo = pd.DataFrame(
    {
        "start": "2026-11-26T10:00:00.000+02:00",
        "grp_risc/category": ["caini_fara_stapan"] * 20 + ["trafic"] * 10 + ["incendiu"] * 10,
        "grp_risc/severity": rng.integers(2, 6, n),
        "grp_risc/time_of_day": ["noaptea"] * 25 + ["ziua"] * 15,
        "grp_risc/note": "",
        "location": [f"{a:.6f} {b:.6f} 310 4.0" for a, b in zip(lat, lon)],
        "_location_latitude": lat.round(6),
        "_location_longitude": lon.round(6),
        "_location_altitude": 310,
        "_location_precision": 4.0,
        "_uuid": [f"uuid-{i}" for i in range(n)],
        "_submitted_by": "enumerator_1",
        "_validation_status": ["validation_status_approved"] * 39 + ["validation_status_not_approved"],
    }
)
kobo_csv = tmp / "risc_dallas_kobo.csv"
kobo.to_csv(kobo_csv, sep=";", index=False)
marks, report = workshop.read_kobo(kobo_csv)
print(report)
added = workshop.add_marks(ws, young.session_id, marks)
print("saved:", dict(added))
assert "enumerator_1" not in ws.read("risk_marks").astype(str).to_string()
"""),
    ("md", r"""
## 6. Merging the groups: consensus zones and hotspots

`consensus_zones` counts, per 100 m cell, how many **groups** marked it and what they marked;
`min_groups=2` keeps the places both groups agree on. `hotspots` runs Getis-Ord Gi* on the cell
counts with a false-discovery-rate correction; now there are enough marks to say something.
"""),
    ("code", r"""
merged = workshop.merge_groups(ws, "Dallas")
agree = risk.consensus_zones(merged, min_groups=2)
print(f"{len(merged)} marks from {agree.attrs['n_groups_total']} groups; "
      f"{len(agree)} cells marked by both groups")
print(agree[["n_groups", "n_marks", "mean_severity", "categories", "times"]].head().to_string(index=False))
spots = risk.hotspots(merged)
print()
print("hotspots:", spots.attrs["status"])
print(spots["class"].value_counts().to_string())
"""),
    ("md", r"""
## 7. The aggregated public view

The public (and anyone outside the project) only ever gets **counts per 250 m cell**, and a cell
with fewer than *k* = 5 marks is removed entirely (not blanked: its absence says nothing).
"""),
    ("code", r"""
spec = specs["risk_marks"]
marks_all = ws.read("risk_marks")
view, level = privacy.view_for("public", marks_all, spec)
print(f"level: {level}; {len(marks_all)} marks -> {len(view)} cells shown, "
      f"{int(view['n'].sum())} marks counted in them")
print("smallest shown cell:", int(view["n"].min()), "marks (k = 5)")
print(view.drop(columns="geometry").to_string(index=False))
"""),
    ("md", r"""
## 8. An audited export

`export_view` writes what a role may see and records the export in a JSON-lines audit log beside
the workspace: who, when, which layer, at which level, how many features and the file's SHA-256.
Asking for raw marks for the police is refused.
"""),
    ("code", r"""
audit = ws.path.with_suffix(".audit.jsonl")
out = privacy.export_view(
    marks_all, spec, tmp / "dallas_risk_public.geojson",
    role="public", who="Facilitator A", audit=audit,
)
record = privacy.AuditLog(audit).records()[-1]
print({k: record[k] for k in ("who", "role", "layer", "level", "n_features")})
try:
    privacy.view_for("police", marks_all, spec, level="raw")
except Exception as exc:
    print("refused:", type(exc).__name__, "-", str(exc)[:120])
"""),
]
