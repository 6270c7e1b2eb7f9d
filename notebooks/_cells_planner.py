"""Cells of ``02_planner.ipynb`` (the urban planner's worked example)."""

CELLS = [
    ("md", r"""
# 2. Choosing social-housing sites and comparing scenarios (planificare)

For the planners of the municipality and the metropolitan area: how far each candidate site is
from the landfill, schools, kindergartens, family doctors, social services and public transport;
how to rank the sites with weights agreed by the stakeholders; and whether a resettlement scenario
disperses the ~300 families or re-creates an enclave. Offline; writes only to a temporary folder.

1. the **legal protection zone** (*zona de protecție sanitară*, Order 119/2014 art. 11(1) as
   amended by Order 994/2018: 1,000 m, configurable) and distance bands around the active cells;
2. a **street network** from the `roads` layer, joined with the **GTFS route shapes** of the Cluj
   public transport feed when `../shared/data` is present;
3. the **access table** (*tabel de accesibilitate*): walking minutes to the nearest facility;
4. the **site ranking** (*clasamentul amplasamentelor*) with **AHP** weights and where the
   stakeholders agree;
5. **three scenarios** compared with the status quo; the **optimiser** and what bound it;
6. the **council PDF** (*raport pentru consiliul local*).

The candidate sites are **illustrative**, not proposals.
"""),
    ("code", r"""
import os
import tempfile
from pathlib import Path

import geopandas as gpd
import matplotlib.pyplot as plt
import pandas as pd

from pata_gis import access, crs, gtfs, pollution, printing, sites, settings
from pata_gis import scenarios as sc
from pata_gis.network import Network
from pata_gis.workspace import Workspace

pd.set_option("display.width", 160)
tmp = Path(tempfile.mkdtemp(prefix="pata_planner_"))
ws = Workspace.create(tmp / "planner.gpkg")
L = {n: ws.read(n) for n in ws.layer_names() if ws.spec(n).sensitivity != "confidential"}
print({n: len(g) for n, g in L.items()})
"""),
    ("md", r"""
## 1. The landfill: legal zone and distance bands

Buffers are measured from the **active** cells, not the closed dump alone.
"""),
    ("code", r"""
zone = pollution.legal_zone(L["landfill"])
bands = pollution.distance_bands(L["landfill"])
print(f"legal zone: {zone['distance_m'].iloc[0]:.0f} m, {zone['area_ha'].iloc[0]:.0f} ha")
print("reference:", zone["reference"].iloc[0])
st = crs.to_metric(L["settlements"], name="settlements")
inside = st.geometry.representative_point().within(crs.to_metric(zone).geometry.iloc[0])
print("communities inside the zone:", ", ".join(st.loc[inside, "name"]))
ax = crs.to_metric(bands).plot(column="band", cmap="YlOrRd_r", alpha=0.5, figsize=(6, 6), legend=True)
st.plot(ax=ax, color="black")
crs.to_metric(L["landfill"]).plot(ax=ax, color="saddlebrown")
ax.set_title("Distance bands around the active landfill cells (EPSG:3844)")
ax.set_axis_off()
plt.show()
"""),
    ("md", r"""
## 2. The street network

The bundled `roads` layer covers Pata Rât and its links to the city. For the sites across the
city we add the **GTFS route shapes** (buses run along real streets) when the shared data folder
is present; without it the roads alone are used and far sites come out unreachable.
"""),
    ("code", r"""
net = Network.from_lines(L["roads"], source="workspace roads")
print(f"roads layer: {net.n_nodes} nodes, {net.n_edges} edges")
# the shared data folder: $PATA_GIS_SHARED_DATA, else a "shared/data" beside the project
roots = [Path(os.environ["PATA_GIS_SHARED_DATA"])] if os.environ.get("PATA_GIS_SHARED_DATA") else []
roots += [p / "shared" / "data" for p in (Path.cwd(), *Path.cwd().parents,
                                          *Path(settings.__file__).resolve().parents)]
candidates = [r / "cluj" / "gtfs_ctp_cluj" / "cluj-napoca.gtfs.zip" for r in roots]
feed = next((p for p in candidates if p.is_file()), None)
if feed is not None:
    shapes = gtfs.read_shapes(feed)
    net = net.merge(Network.from_lines(shapes, kind="secondary", source="GTFS route shapes"))
    print(f"+ {len(shapes)} GTFS route shapes (© CTP Cluj-Napoca): {net.n_nodes:,} nodes, "
          f"{net.n_edges:,} edges, largest connected part {net.component_share():.0%}")
else:
    print("no GTFS feed found: the roads layer alone")
"""),
    ("md", r"""
## 3. The access table

Walking minutes from each community and candidate site to the nearest facility of each kind,
one multi-source search per kind, and how many are reachable within 15 and 30 minutes.
"""),
    ("code", r"""
def points(gdf):
    return gpd.GeoDataFrame(index=pd.Index(gdf["name"].astype(str), name="origin"),
                            geometry=gdf.geometry.representative_point().to_numpy(), crs=gdf.crs)

origins = pd.concat([points(L["settlements"]), points(L["candidate_sites"])])
health = L["health"]
categories = {
    "school": L["schools"], "kindergarten": L["kindergartens"],
    "family_doctor": health[health["kind"] == "family_doctor"].reset_index(drop=True),
    "social_service": L["social_services"], "transit_stop": L["transit_stops"],
}
table = access.nearest_facilities(net, gpd.GeoDataFrame(origins, crs=origins.crs), categories,
                                  within_minutes=(15, 30))
wide = table.reset_index().pivot_table(index="origin", columns="category", values="time_min",
                                       sort=False, observed=True)
print(wide.round(1).to_string())
print()
print("schools within 15 / 30 minutes on foot:")
print(table[table["category"] == "school"][["n_within_15", "n_within_30"]].to_string())
"""),
    ("md", r"""
## 4. Ranking the sites with AHP weights

Stakeholders compare the criteria two at a time on Saaty's 1–9 scale; the principal eigenvector
gives the weights, and the consistency ratio (CR) must stay under 0.10. Sites inside the legal zone
are **excluded**, whatever their score.
"""),
    ("code", r"""
labels = ["school", "family doctor", "transit", "landfill exposure"]
judgements = {
    ("school", "family doctor"): 2, ("school", "transit"): 3, ("school", "landfill exposure"): 1,
    ("family doctor", "transit"): 2, ("family doctor", "landfill exposure"): 1 / 2,
    ("transit", "landfill exposure"): 1 / 3,
}
ahp = sites.ahp_weights(sites.ahp_matrix(judgements, labels))
print("AHP weights:", ahp.weights.round(3).to_dict(), f"CR = {ahp.cr:.3f}")
ev0 = sites.evaluate(L, network=net)
col = {c.label: c.column for c in ev0.used}
community_w = {c.column: 0.0 for c in ev0.used} | {col[k]: float(v) for k, v in ahp.weights.items()}
ev = sites.evaluate(L, network=net, weights=community_w)
print(ev.ranking[["rank", "status", "score", "reason"]].round(3).to_string())
print("first site:", ev.ranking.index[0])
"""),
    ("md", r"""
### Where the stakeholders agree

Three weight sets (the AHP set above, a planner's and the social services') rank the same sites;
`compare_stakeholders` shows the sites every set puts in its top 3, the contested ones, and the
rank correlations between the sets.
"""),
    ("code", r"""
equal = {c.column: 1.0 for c in ev.used}
social = {c.column: 0.0 for c in ev.used} | {col["family doctor"]: 2, col["social services"]: 3,
                                           col["school"]: 2, col["landfill exposure"]: 1}
cmp = sites.compare_stakeholders(ev.criteria, ev.used, {"community (AHP)": community_w,
                                 "planner (equal)": equal, "social services": social},
                                 top_k=3, constraints=ev.constraints)
print(cmp.sites[["agreement", "top_k_count", "max_rank_diff", "driver"]].to_string())
print(cmp.pairs.round(2).to_string())
"""),
    ("md", r"""
## 5. Three scenarios compared with the status quo

Households per community come from the settlements layer (about 300 families). The illustrative
sites hold 8 units each, 80 in all, so a **first phase** moves **24 of the Rampa families** (who
live on the dump itself). **A** fills the three best-ranked sites (8 each); **B** spreads the 24
over six sites (4 each); **C** over eight sites (3 each), the most dispersed. Each scenario's
rule (`max_per_site`) is checked: `rule_violations` must stay 0.
"""),
    ("code", r"""
hh = sc.households_from_settlements(L["settlements"])
base = sc.baseline(hh, L["settlements"])
print(base.households[["n_households"]].T.to_string())
ranked = [s for s in ev.ranking.index if ev.ranking.loc[s, "status"] == "ranked"]

def phase_one(name, n_sites, per_site, description):
    alloc = pd.DataFrame({"group": "Rampa", "site": ranked[:n_sites], "n_households": per_site})
    return sc.Scenario(name, allocation=alloc, description=description,
                       rules=sc.Rules(max_per_site=per_site), households=base.households)

A = phase_one("A three sites", 3, 8, "24 Rampa families to the three best-ranked sites")
B = phase_one("B six sites", 6, 4, "24 Rampa families over six sites, 4 each")
C = phase_one("C eight sites", 8, 3, "24 Rampa families over eight sites, 3 each")
facilities = {"school": L["schools"], "family_doctor": categories["family_doctor"]}
cmp_table = sc.compare([base, A, B, C], sites=sc.sites_table(L["candidate_sites"]),
                       settlements=L["settlements"], landfill=L["landfill"], network=net,
                       facilities=facilities, jobs=L.get("jobs"))
shown = ["unit", "baseline", "A three sites", "B six sites", "C eight sites"]
rows = ["households_in_sanitary_zone", "exposure_mean", "school_time_mean_min", "doctor_time_mean_min",
        "dissimilarity", "isolation", "spatial_dissimilarity", "households_moved", "rule_violations"]
print(cmp_table.loc[rows, shown].to_string(float_format=lambda v: f"{v:,.3g}"))
"""),
    ("md", r"""
### The optimiser, and what bound it

A mixed-integer programme chooses where the same 24 Rampa families go (`max_moves=24`,
`place_all=False`) to minimise mean landfill exposure plus a concentration penalty, with at most
4 families per site. The explanation lists the constraints that bind and what loosening each by
one unit would gain.
"""),
    ("code", r"""
site_tab = sc.sites_table(L["candidate_sites"])
exposure = pd.concat([
    pollution.landfill_exposure(site_tab, L["landfill"])["exposure_mean"],
    pollution.landfill_exposure(L["settlements"].set_index("name"), L["landfill"])["exposure_mean"],
])
res = sc.optimise(base.households, site_tab, exposure=exposure, max_per_site=4,
                  groups=["Rampa"], place_all=False, max_moves=24)
print(f"status: {res.status}; mean exposure of the Rampa families {res.mean_exposure:.3f}")
print(res.allocation.to_string(index=False))
print("what bound it:")
for line in res.explanation:
    print("  ", line)
"""),
    ("md", r"""
## 6. The council PDF

A bilingual report at the planner privacy level: the scenarios' metrics, the site ranking with its
weights, the assumptions and sources.
"""),
    ("code", r"""
rep = printing.Report(lang="ro", title="Scenarii de relocare – Pata Rât",
                      subtitle="Comparație pentru consiliul local", privacy_level="planner")
rep.add_bilingual(
    heading={"ro": "Despre acest raport", "en": "About this report"},
    paragraphs={"ro": ["Trei scenarii pentru prima etapă (24 de familii din Rampa), comparate cu situația actuală; amplasamentele sunt ilustrative."],
                "en": ["Three first-phase scenarios (24 Rampa families) compared with the status quo; the sites are illustrative."]},
)
metrics = sc.titled(cmp_table.loc[rows, shown], lang="ro").reset_index(names="indicator")
rep.add_table(metrics, "Indicatori pe scenariu", sensitivity="restricted")
rep.add_table(ev.ranking[["rank", "status", "score", "reason"]].round(3).reset_index(),
              "Clasamentul amplasamentelor", sensitivity="restricted")
rep.add_text("Ipoteze și surse", [
    "© OpenStreetMap contributors (ODbL); © CTP Cluj-Napoca (GTFS)",
    "Distanța de protecție sanitară: Ordinul MS 119/2014 art. 11(1), mod. 994/2018",
])
pdf = rep.save(tmp / "raport_consiliu.pdf")
print(pdf.name, f"{pdf.stat().st_size / 1024:.0f} kB, {len(rep.pages())} pages")
"""),
]
