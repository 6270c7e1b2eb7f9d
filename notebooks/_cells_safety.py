"""Cells of ``03_safety_meeting.ipynb`` (police and social workers' worked example)."""

CELLS = [
    ("md", r"""
# 3. A safety-plan meeting (ședința pentru planul de siguranță)

For the police, the local police, social workers and emergency services meeting about Pata Rât:
how fast each service reaches each community and by which road, who covers which zone, where the
meeting points and safe places are, and where residents marked high risk, **only aggregated**.
Everything runs offline and writes only to a temporary folder.

1. a workspace with the bundled layers, a workshop's consented marks and the meeting points;
2. the street network from the `roads` layer;
3. **response coverage** (*timpi de intervenție*) per community and service, flagged beyond target;
4. the **routes** (*trasee*) of the stations to one community;
5. the **coverage zones** (*zone de acoperire*) with time bands;
6. the **meeting points** (*puncte de întâlnire*) as each audience may see them;
7. the **safety-plan PDF at police level**, and a check that no raw mark is in it.

All times are estimates for discussion (assumed speeds, stated targets), not a dispatch tool.
"""),
    ("code", r"""
import math
import tempfile
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from pata_gis import crs, privacy, safety, workshop
from pata_gis.network import Network
from pata_gis.workspace import Workspace

tmp = Path(tempfile.mkdtemp(prefix="pata_safety_"))
ws = Workspace.create(tmp / "safety.gpkg")
settlements = crs.to_metric(ws.read("settlements"), name="settlements")
stations = crs.to_metric(ws.read("emergency_services"), name="emergency_services")
print(stations[["name", "kind"]].to_string(index=False))
"""),
    ("md", r"""
A workshop group in Dallas agreed (`share_with_police`) that the safety meeting may see its marks
aggregated or masked. We add 30 marks close together and 3 far apart; the meeting also agreed
three places: a meeting point, an assembly area and a **safe house** (*casă sigură*). Contacts are
written as roles, never names or phone numbers (the plan is printed).
"""),
    ("code", r"""
session = workshop.new_session(
    ws, community="Dallas", date="2026-11-25", facilitator="Facilitator A",
    group="women", consent_scope="share_with_police",
)
dallas = settlements.set_index("name").geometry["Dallas"].representative_point()
rng = np.random.default_rng(11)
xy = np.vstack([
    np.column_stack([dallas.x + rng.normal(0, 40, 30), dallas.y + rng.normal(0, 40, 30)]),
    [[dallas.x + 1100, dallas.y + 800], [dallas.x - 1400, dallas.y + 900], [dallas.x + 2000, dallas.y - 700]],
])
marks = gpd.GeoDataFrame(
    {"category": ["conflict"] * 20 + ["unlit_path"] * 13, "severity": 4,
     "time_of_day": "night", "note": "marcaj secret"},
    geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:3844",
)
print("saved:", dict(workshop.add_marks(ws, session.session_id, marks)))

reps = settlements.set_index("name").representative_point()
meeting = gpd.GeoDataFrame(
    {
        "name": ["Stația Cantonului", "Casa sigură Dallas", "Teren de adunare Rampa"],
        "kind": ["meeting_point", "safe_house", "assembly_area"],
        "community": ["Cantonului", "Dallas", "Rampa"],
        "contact_role": ["social_worker", "community_facilitator", "local_police"],
        "notes": ["lângă stația de autobuz", "cheia la mediator", None],
        "source": "safety meeting of 25 November",
        "accuracy_m": 20.0,
    },
    geometry=[reps["Cantonului"], reps["Dallas"], reps["Rampa"]],
    crs="EPSG:3844",
)
ws.write("meeting_points", meeting, action="agreed in the safety meeting")
"""),
    ("md", r"""
## The street network

`Network.from_lines` turns the `roads` layer into a graph (CSR arrays). Emergency vehicles drive
the drivable edges at the assumed speeds of `safety.EMERGENCY_SPEEDS_KMH` (unpaved tracks slowed by
`safety.UNPAVED_FACTOR`); the crew walks the last stretch along community paths.
"""),
    ("code", r"""
roads = crs.to_metric(ws.read("roads"), name="roads")
net = Network.from_lines(roads, source="roads layer")
print(f"{net.n_nodes} nodes; emergency speeds (km/h): {safety.EMERGENCY_SPEEDS_KMH}")
print("target minutes:", safety.TARGET_MIN)
print("ambulance target source:", safety.TARGET_SOURCES["ambulance"]["en"])
"""),
    ("md", r"""
## Response coverage per community and service

One multi-source search per service: every station of the kind is a source. `beyond_target`
flags a place whose fastest station is slower than the target. Candidate sites (restricted,
illustrative) are included because this meeting works at the police level.
"""),
    ("code", r"""
cov = safety.response_coverage(
    {"settlements": settlements, "candidate_sites": ws.read("candidate_sites")}, stations, net
)
table = cov.pivot_table(index=["layer", "place"], columns="kind", values="time_min", sort=False)
print(table[list(safety.SERVICE_KINDS)].round(1).loc["settlements"].to_string())
beyond = cov[(cov["layer"] == "settlements") & cov["beyond_target"]]
print()
print("communities beyond target, per service:")
print(beyond.groupby("kind")["place"].apply(", ".join).to_string())
"""),
    ("code", r"""
sites = cov[(cov["layer"] == "candidate_sites")]
ok = sites.groupby("place")["beyond_target"].sum()
print("candidate sites within every target:", ", ".join(ok[ok == 0].index) or "none")
"""),
    ("md", r"""
## Routes to Dallas

`access_routes` gives the route of each station of a service, fastest first, in two legs: the
drive and the walk from where the crew leaves the vehicle.
"""),
    ("code", r"""
dallas_row = settlements[settlements["name"] == "Dallas"]
routes = safety.access_routes(dallas_row, stations, net, kind="police")
print(routes.drop(columns="geometry").round(2).to_string(index=False))
"""),
    ("md", r"""
## Who covers which zone

`coverage_zones` samples points along the network, gives each the response time and the station
that reaches it first, and dissolves their Voronoi cells by station and time band.
"""),
    ("code", r"""
zones = safety.coverage_zones(stations, net, kind="police")
print(zones.drop(columns="geometry").round(2).to_string(index=False))
colors = dict(zip(sorted(set(zones["band"])), ["#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027", "#999999"]))
ax = zones.plot(color=[colors[b] for b in zones["band"]], figsize=(7, 6), alpha=0.6)
settlements.boundary.plot(ax=ax, color="black", linewidth=1)
roads.plot(ax=ax, color="#555555", linewidth=0.5)
stations[stations["kind"] == "police"].plot(ax=ax, color="#2166ac", markersize=40)
ax.set_title("Police coverage zones and time bands (EPSG:3844)")
ax.set_axis_off()
plt.show()
"""),
    ("md", r"""
## Meeting points: who sees what

Safe houses are shown only to the police and the community; planners get the meeting points
without them (and without notes); the public gets none (the layer is restricted).
"""),
    ("code", r"""
for audience in ("police", "community", "planner", "public"):
    view = safety.meeting_points_view(crs.to_metric(ws.read("meeting_points")), audience)
    print(f"{audience:>9}: {list(view['name'])}")
"""),
    ("md", r"""
## The safety plan at police level

`safety_plan_pdf` prints the bilingual plan: map, response table with flags, who covers which
zone, meeting points, the high-risk cells (counts per 250 m cell, cells under *k* = 5 left out)
and the assumptions. The export is recorded in the audit log beside the workspace.
"""),
    ("code", r"""
from pypdf import PdfReader

audit = ws.path.with_suffix(".audit.jsonl")
pdf = safety.safety_plan_pdf(
    tmp / "plan_siguranta_police.pdf", who="Safety meeting, Cluj-Napoca", workspace=ws,
    network=net, lang="en", privacy_level="police", audit=audit,
)
text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
print(pdf.name, f"{pdf.stat().st_size / 1024:.0f} kB,", len(PdfReader(pdf).pages), "pages")
print("safe house listed:", "Casa sigură Dallas" in text)
for rec in privacy.AuditLog(audit).records():
    print({k: rec.get(k) for k in ("who", "layer", "level", "n_features")})
"""),
    ("md", r"""
### Check: no raw mark in the plan

Every stored mark's position, in any number format (degrees with 3–6 decimals, Stereo 70 metres),
is searched for in the PDF's text; and the marks' notes must not appear.
"""),
    ("code", r"""
stored = ws.read("risk_marks")
ll, m = stored.to_crs("EPSG:4326"), stored.to_crs("EPSG:3844")
needles = set()
for p, q in zip(m.geometry, ll.geometry):
    for d in (3, 4, 5, 6):
        needles |= {f"{q.x:.{d}f}", f"{q.y:.{d}f}"}
    needles |= {f"{p.x:.0f}", f"{p.y:.0f}", f"{p.x:.1f}", f"{p.y:.1f}"}
found = sorted(n for n in needles if n in text)
print("mark coordinates found in the plan:", found or "none")
print("mark notes found in the plan:", "marcaj secret" in text)
cells = [line for line in text.splitlines() if "250m:" in line]
print("high-risk cells printed:", cells)
assert not found and "marcaj secret" not in text
"""),
]
