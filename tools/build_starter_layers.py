"""Rebuild the bundled starter layers (``layers/*.geojson``) from their sources.

Run from the repository root with the shared data folder at hand::

    python tools/build_starter_layers.py [--shared /work/shared/data]

What it does, layer by layer, is written next to each block below and in
``layers/README.md``. In short:

* positions of OpenStreetMap nodes, GTFS stops and hospitals are *looked up*
  by id in the shared (read-only) data files, never copied wholesale: only the
  name and position of each listed feature end up in the repository, with a
  per-feature ``source`` citing the file and the row/node id;
* the Pata Rât outlines (settlements, landfill) and the tracks near the
  landfill are hand-digitised from public descriptions; their ``accuracy_m``
  says how rough they are (150–300 m);
* road centrelines follow CTP bus route shapes (GTFS ``shapes.txt``),
  simplified to 20 m and split at junctions so that lines share end vertices.

The script is deterministic: running it twice gives identical files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import zipfile
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, mapping
from shapely.ops import nearest_points, substring

HERE = Path(__file__).resolve().parents[1] / "layers"
TO_M = Transformer.from_crs("EPSG:4326", "EPSG:3844", always_xy=True)
TO_LL = Transformer.from_crs("EPSG:3844", "EPSG:4326", always_xy=True)

OSM_FILE = "cluj/osm_poi_center/cluj_center_osm_nodes_2021.json"
STOPS_FILE = "cluj/gtfs_ctp_cluj/stops.txt"
GTFS_ZIP = "cluj/gtfs_ctp_cluj/cluj-napoca.gtfs.zip"
GISCO_FILE = "cluj/health/eurostat_gisco_healthcare_RO.csv"
DRG_FILE = "cluj/health/ro_hospitals_drg_geocoded_2016.csv"

OSM = "© OpenStreetMap contributors (ODbL), {file} node {id}"
GTFS_STOP = "© CTP Cluj-Napoca, GTFS stops.txt stop_id {id} ({name})"

# Public pages cited by several features.
ERRC_2012 = "ERRC press release 14.12.2012 https://www.errc.org/press-releases/romania-bring-roma-back-to-the-city-of-cluj-napoca"
AMNESTY_2011 = "Amnesty International, 'Stop the forced eviction of Roma from Cluj-Napoca', 05.07.2011 http://amnesty.org/en/node/25483"
AMNESTY_2012 = "Amnesty International, 'The families from Coastei Street keep fighting', 03.2012 https://www.amnesty.org/en/latest/campaigns/2012/03/the-families-from-coastei-street-keep-fighting-support-their-call-for-justice/"
EJATLAS = "EJAtlas, 'Pata Rat landfill, Cluj Napoca, Romania' https://www.ejatlas.org/print/pata-rat-landfill-cluj-napoca-romania"
DESEGREGARE = (
    "desegregare.ro/oamenii (SDL 2017 survey, UNDP & UBB 2012) https://desegregare.ro/oamenii/"
)
WIKI = "ro.wikipedia 'Pata-Rât' (46.7688 N, 23.6839 E) via https://tr.qa.edu.vn/ro/Pata-R%C3%A2t"
DW_2021 = "DW via Transylvania Today 01.09.2021 https://www.transylvaniatoday.ro/2021/09/01/dw-roma-fight-environmental-racism-in-romania/"
DEJ24_2019 = "dej24.ro, CJ Cluj on the closure of Pata Rât (22 ha, 2.9 M m3) https://dej24.ro/a-doua-cea-mai-mare-groapa-de-gunoi-din-romania-cea-de-la-cluj-a-fost-inchisa"
NEWSKEEPER_2013 = "Newskeeper/Adevărul 28.08.2013 (182,080 m2 transferred to CJ Cluj) https://newskeeper.ro/articol?data=2013-08-28&id=DAC8D2E7E8DCDB19AC805960EC25369A"
MONITORUL_2017 = "Monitorul de Cluj 10.2017 (ISU: temporary storage platform run by the City Hall) http://www.monitorulcj.ro/actualitate/60662"
PROTV_2017 = "Știrile ProTV 2017 (landslide 300 m long, 3 m from the ring road) https://stirileprotv.ro/stiri/actualitate/groapa-de-gunoi-pata-rat-risca-sa-provoace-un-dezastru-ecologic.html"
MASZOL_2016 = "maszol.ro 2016 (Roma community 300 m from the dump) https://maszol.ro/belfold/68920-ismet-kigyulladt-a-patareti-szemettelep"
MEDIA9_CMID = "media9.ro on the CMID (cell 8.95 ha, TMB, sorting) https://media9.ro/ne-am-indeplinit-misiunea-si-am-reusit-sa-intram-in-normalitate-sau-cum-aflam-ca-alin-tise-incepe-sa-imprumute-obiceiurile-primarului-emil-boc"
DSP_2023 = "DSP Cluj via Monitorul de Cluj 12.2023 https://monitorulcj.ro/sanatate/115624"
G4MEDIA_SCHOOL = (
    "Cluj24/G4Media via wp.me/pajIe6-Xml (52 children bussed from Dallas to Traian Dârjan school)"
)
DIDACTIC_DARJAN = "scoli.didactic.ro/traiandarjan_cluj_napoca (Str. Traian Vuia nr. 76)"
DJEP = "djepcluj.ro (Str. Aviator Bădescu nr. 7-9)"
ISU_2018 = "ISU Cluj activity report 2018 (Bd. 21 Decembrie 1989 nr. 69-71) https://vdocumente.com/raport-de-evaluare-a-activitii-isucj-raport-de-evaluare-a-activitii-2018.html"
POLITIE_LOCALA = "primariaclujnapoca.ro/politie-locala/informatii-de-interes-general/"
PRIMARIA_ORG = "primariaclujnapoca.ro/organigrama/directia-generala-comunicare-dezvoltare-locala-si-management-proiecte/"
PATACLUJ = "patacluj.ro/componentele-proiectului/locuire/ (32 apartments on four parcels)"


# --------------------------------------------------------------------------- helpers
def _reproject(geom, transformer: Transformer):
    return shapely.transform(
        geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
    )


def to_m(geom):
    """EPSG:4326 -> EPSG:3844 (metres)."""
    return _reproject(geom, TO_M)


def to_ll(geom):
    """EPSG:3844 -> EPSG:4326."""
    return _reproject(geom, TO_LL)


def rounded(geom, nd=6):
    """Round coordinates to `nd` decimals (about 0.1 m) for stable files."""
    return shapely.transform(geom, lambda xy: np.round(xy, nd))


def feature(geom, **props):
    return {"type": "Feature", "properties": props, "geometry": mapping(rounded(geom))}


def write(name: str, features: list[dict]) -> None:
    fc = {
        "type": "FeatureCollection",
        "name": name,
        "features": features,
    }
    text = json.dumps(fc, ensure_ascii=False, indent=1)
    (HERE / f"{name}.geojson").write_text(text + "\n", encoding="utf-8")
    print(f"{name}: {len(features)} features")


class Sources:
    """Look-ups by id in the shared data files (read-only)."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared
        nodes = json.loads((shared / OSM_FILE).read_text(encoding="utf-8"))
        self.osm = {str(f["properties"]["id"]): f for f in nodes}
        with (shared / STOPS_FILE).open(encoding="utf-8") as fh:
            self.stops = {r["stop_id"]: r for r in csv.DictReader(fh)}
        with (shared / GISCO_FILE).open(encoding="utf-8") as fh:
            self.gisco = {r["id"]: r for r in csv.DictReader(fh)}
        with (shared / DRG_FILE).open(encoding="utf-8") as fh:
            self.drg = {r["hospital_code"]: r for r in csv.DictReader(fh)}
        self._zip = zipfile.ZipFile(shared / GTFS_ZIP)

    def osm_point(self, node_id: str) -> tuple[Point, dict]:
        f = self.osm[node_id]
        x, y = f["geometry"]["coordinates"]
        return Point(x, y), f["properties"]["tags"]

    def stop_point(self, stop_id: str) -> tuple[Point, str]:
        r = self.stops[stop_id]
        return Point(float(r["stop_lon"]), float(r["stop_lat"])), r["stop_name"]

    def table(self, name: str) -> list[dict]:
        with self._zip.open(name) as fh:
            return list(csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8-sig")))

    def shape(self, shape_id: str) -> LineString:
        pts = [
            (int(r["shape_pt_sequence"]), float(r["shape_pt_lon"]), float(r["shape_pt_lat"]))
            for r in self.table("shapes.txt")
            if r["shape_id"] == shape_id
        ]
        pts.sort()
        return LineString([(x, y) for _, x, y in pts])


# --------------------------------------------------------------------------- settlements
def build_settlements() -> None:
    # Outlines are schematic rectangles-ish, placed from the descriptions:
    # Cantonului along the railway where Str. Cantonului meets Str. Traian Vuia
    # (stop 394 'Cantonului'); Colectorului around the unserved stop 726
    # 'Pata Rat' (the 2010 modular houses and the improvised homes 'above' them,
    # about 300 m from the temporary dump per maszol.ro 2016); Dallas by the
    # landfill access road; Rampa on and beside the north edge of the old dump
    # (next to the ro.wikipedia point).
    common = " Outline schematic, placed from text descriptions and GTFS stops; not surveyed."
    feats = [
        feature(
            Polygon(
                [(23.6885, 46.7797), (23.6965, 46.7801), (23.6965, 46.7809), (23.6885, 46.7806)]
            ),
            name="Cantonului",
            households=None,
            people=400,
            year_established=None,
            notes="Informal homes along the railway on Str. Cantonului, on land administered by "
            "the railways (CFR), by bus stop 'Cantonului' (lines 5, 8, M42). People: 'more than "
            "400' in 2011 (Amnesty International, when CFR sought their eviction); some families "
            "were moved here by the municipality in 2000. Households: unknown. Figures predate "
            "the relocations since 2024." + common,
            source=f"{AMNESTY_2011}; {EJATLAS}; GTFS stop_id 394 'Cantonului' (© CTP Cluj-Napoca)",
            accuracy_m=150.0,
        ),
        feature(
            Polygon(
                [(23.6838, 46.7713), (23.6866, 46.7713), (23.6868, 46.7731), (23.6840, 46.7733)]
            ),
            name="Colectorului",
            households=76,
            people=None,
            year_established=2010,
            notes="Str. Colectorului ('New Pata Rât' / Colina Verde): modular houses built by the "
            "municipality for families evicted from Str. Coastei on 17.12.2010. 76 families in 2012 "
            "(Amnesty: 47 in modular-house rooms, 29 in improvised homes on the land above). People: "
            "unknown today (about 300-356 people were evicted in 2010). Figures predate the "
            "relocations since 2024." + common,
            source=f"{AMNESTY_2012}; {ERRC_2012}; GTFS stop_id 726 'Pata Rat' (© CTP Cluj-Napoca)",
            accuracy_m=200.0,
        ),
        feature(
            Polygon(
                [(23.6846, 46.7693), (23.6867, 46.7694), (23.6866, 46.7707), (23.6845, 46.7706)]
            ),
            name="Dallas",
            households=None,
            people=None,
            year_established=None,
            notes="One of the oldest settlements, founded in the 1960s by families living from "
            "selective collection of recyclables, by the landfill access road; the school bus "
            "leaves from here. Households and people: unknown (about 200 people in the 1990s per "
            "a photo essay; no current public figure)." + common,
            source=f"{EJATLAS}; {G4MEDIA_SCHOOL}; "
            "fmfotografie.com/en/gallery/patarat/ (about 200 people in the 1990s)",
            accuracy_m=300.0,
        ),
        feature(
            Polygon(
                [(23.6824, 46.7668), (23.6854, 46.7668), (23.6855, 46.7686), (23.6826, 46.7687)]
            ),
            name="Rampa",
            households=None,
            people=None,
            year_established=None,
            notes="'The dump' (Garbage Dump): shacks on and beside the landfill, families living "
            "from selective waste collection. Households and people: unknown." + common,
            source=f"{EJATLAS}; {WIKI}",
            accuracy_m=300.0,
        ),
    ]
    write("settlements", feats)


# --------------------------------------------------------------------------- landfill
def build_landfill() -> None:
    feats = [
        feature(
            Polygon(
                [
                    (23.6815, 46.7634),
                    (23.6850, 46.7630),
                    (23.6884, 46.7634),
                    (23.6883, 46.7668),
                    (23.6850, 46.7672),
                    (23.6816, 46.7668),
                ]
            ),
            name="Groapa de gunoi Pata Rât (depozit neconform, închis)",
            status="closed",
            kind="municipal dump",
            year_opened=None,
            year_closed=2019,
            operator="Consiliul Județean Cluj (closure works)",
            area_ha=22.0,
            notes="Old municipal dump, in use for about 50-70 years; deposits officially stopped "
            "2010-2015, capped and declared closed at the end of 2019 (22 ha, 2.9 million m3 "
            "per CJ Cluj; 18.2 ha transferred in 2013). Opening year unknown. Outline schematic "
            "with the published area, placed just south of the ro.wikipedia point and against "
            "the road used by CTP line M45, taken to be the Vâlcele–Apahida ring road (the 2017 "
            "landslide of the dump stopped 3 m from the ring road; the municipal boundary runs "
            "along it). Both placements are inferences, not surveys.",
            source=f"{DEJ24_2019}; {NEWSKEEPER_2013}; {DW_2021}; {WIKI}; {PROTV_2017}",
            accuracy_m=300.0,
        ),
        feature(
            Polygon(
                [(23.6790, 46.7671), (23.6818, 46.7671), (23.6818, 46.7692), (23.6790, 46.7692)]
            ),
            name="Celulă de depozitare temporară Pata Rât (1)",
            status="active",
            kind="temporary storage cell",
            year_opened=2015,
            year_closed=None,
            operator="Primăria Cluj-Napoca / RADP",
            area_ha=None,
            notes="One of the two 'temporary' storage cells opened beside the old dump in 2015, "
            "still growing (DW 2021). Size and exact position unknown: outline illustrative, put "
            "north-west of the old dump about 300 m from the modular houses (maszol.ro 2016). "
            "Buffers must be measured from these active cells.",
            source=f"{DW_2021}; {MONITORUL_2017}; {MASZOL_2016}",
            accuracy_m=300.0,
        ),
        feature(
            Polygon(
                [(23.6785, 46.7640), (23.6812, 46.7640), (23.6812, 46.7667), (23.6785, 46.7667)]
            ),
            name="Celulă de depozitare temporară Pata Rât (2)",
            status="active",
            kind="temporary storage cell",
            year_opened=2015,
            year_closed=None,
            operator="Primăria Cluj-Napoca / RADP",
            area_ha=None,
            notes="Second 'temporary' storage cell opened in 2015 (DW 2021). Size and exact "
            "position unknown: outline illustrative. The county's compliant landfill cell (CMID, "
            "8.95 ha) is at Feleacu (waste zone 1), not here, and is not drawn.",
            source=f"{DW_2021}; {MEDIA9_CMID}",
            accuracy_m=300.0,
        ),
    ]
    write("landfill", feats)


# --------------------------------------------------------------------------- roads
def _split(line: LineString, points: list[Point]) -> list[LineString]:
    """Split `line` (metres) at the projections of `points`, in line order."""
    ds = sorted({round(line.project(p), 3) for p in points} | {0.0, round(line.length, 3)})
    return [substring(line, a, b) for a, b in pairwise(ds) if b - a > 1]


def build_roads(src: Sources) -> None:
    route5 = to_m(src.shape("49_0")).simplify(20)  # line 5: P-ța Gării Sud - Electromontaj
    m45 = to_m(src.shape("84_0")).simplify(20)  # line M45: C-tin Prezan - Pata village
    # Where M45 leaves the line-5 corridor (first M45 vertex > 30 m from it).
    coords = list(m45.coords)
    first_off = next(i for i, c in enumerate(coords) if route5.distance(Point(c)) > 30)
    j1 = nearest_points(route5, Point(coords[first_off - 1]))[0]
    m45 = substring(m45, m45.project(Point(coords[first_off - 1])), m45.length)
    m45 = LineString([j1.coords[0], *list(m45.coords)[1:]])
    # Str. Cantonului: from the stop on Traian Vuia to the M45 road.
    stop_cant, _ = src.stop_point("394")
    j2 = nearest_points(route5, to_m(stop_cant))[0]
    j5 = nearest_points(m45, j2)[0]
    # Junction of the landfill access road with the M45 road, south of the railway.
    j4 = nearest_points(m45, to_m(Point(23.6916, 46.7698)))[0]
    # Split points on the line-5 corridor: start of Calea Dorobanților, Piața Mărăști.
    p_dorobantilor = to_m(Point(23.59546, 46.77250))
    p_marasti = to_m(Point(23.60962, 46.77729))
    p_east = to_m(Point(23.70164, 46.77976))  # M45 turns south to the Dezmir crossing
    r5 = _split(route5, [p_dorobantilor, p_marasti, j1, j2])
    mm = _split(m45, [j5, p_east, j4])
    shape5 = "© CTP Cluj-Napoca, GTFS shapes.txt shape_id 49_0 (line 5), simplified 20 m"
    shape45 = "© CTP Cluj-Napoca, GTFS shapes.txt shape_id 84_0 (line M45), simplified 20 m"
    names5 = [
        ("Traseu CTP 5: Piața Gării – centru (străzi nenominalizate)", "secondary"),
        ("Calea Dorobanților (aprox.)", "primary"),
        ("Str. Aurel Vlaicu – Pod Someșeni (aprox.)", "primary"),
        ("Str. Traian Vuia", "primary"),
        ("Str. Traian Vuia (capăt est, Electromontaj)", "secondary"),
    ]
    names45 = [
        ("Drum Someșeni – Gara Someșeni – R.A.D.P. (traseu M45)", "secondary"),
        ("Drum spre trecerea de cale ferată Dezmir (traseu M45)", "secondary"),
        ("Drum Dezmir – Pata Rât (traseu M45)", "secondary"),
        ("Drum Pata Rât – Pata (traseu M45)", "secondary"),
    ]
    assert len(r5) == len(names5) and len(mm) == len(names45), (len(r5), len(mm))
    feats = []
    for seg, (name, kind) in zip(r5, names5, strict=True):
        feats.append(
            feature(
                to_ll(seg),
                name=name,
                kind=kind,
                surface="asphalt",
                mapped_by="digitised",
                lit=None,
                notes="Centreline of CTP line 5; street names between junctions approximate.",
                source=shape5,
                accuracy_m=40.0,
            )
        )
    for seg, (name, kind) in zip(mm, names45, strict=True):
        feats.append(
            feature(
                to_ll(seg),
                name=name,
                kind=kind,
                surface="unknown",
                mapped_by="digitised",
                lit=None,
                notes="Centreline of CTP line M45; official street name not verified.",
                source=shape45,
                accuracy_m=40.0,
            )
        )
    feats.append(
        feature(
            to_ll(LineString([j2, j5])),
            name="Str. Cantonului",
            kind="residential",
            surface="unknown",
            mapped_by="digitised",
            lit=None,
            notes="From Str. Traian Vuia (stop 'Cantonului') across the Cluj–Apahida railway to "
            "the road used by M45; a level crossing is assumed ('canton' = crossing keeper's "
            "lodge). Alignment approximate.",
            source="Hand-digitised between GTFS stop_id 394 'Cantonului' and shape 84_0 "
            "(© CTP Cluj-Napoca)",
            accuracy_m=150.0,
        )
    )
    j6 = to_m(Point(23.6853, 46.7713))  # by stop 726 'Pata Rat'
    gate = to_m(Point(23.6840, 46.7676))  # north edge of the old dump, in Rampa
    feats.append(
        feature(
            to_ll(
                LineString([j4, to_m(Point(23.6880, 46.7703)), to_m(Point(23.6868, 46.7708)), j6])
            ),
            name="Drum de acces Pata Rât (Str. Colectorului, aprox.)",
            kind="track",
            surface="unknown",
            mapped_by="digitised",
            lit=None,
            notes="Landfill access road past Dallas to the modular houses (stop 'Pata Rat', not "
            "served by any trip in the feed). Alignment assumed from the descriptions; "
            "lighting unknown (probably unlit) — verify with residents.",
            source="Hand-digitised; GTFS stop_id 726 'Pata Rat' (© CTP Cluj-Napoca); " + EJATLAS,
            accuracy_m=250.0,
        )
    )
    feats.append(
        feature(
            to_ll(LineString([j6, to_m(Point(23.6838, 46.7697)), gate])),
            name="Drum de acces la rampă (aprox.)",
            kind="track",
            surface="dirt",
            mapped_by="digitised",
            lit=None,
            notes="Track from the modular houses to the old dump and the Rampa settlement. "
            "Alignment assumed; lighting unknown (probably unlit); verify with residents.",
            source="Hand-digitised; " + WIKI,
            accuracy_m=300.0,
        )
    )
    write("roads", feats)


# --------------------------------------------------------------------------- point layers
def _osm(src: Sources, node: str, acc: float = 15.0, **props) -> dict:
    pt, tags = src.osm_point(node)
    props.setdefault("name", tags.get("name"))
    if "address" in props and props["address"] is None:
        street, num = tags.get("addr:street"), tags.get("addr:housenumber")
        props["address"] = " ".join(v for v in (street, num) if v) or None
    return feature(pt, **props, source=OSM.format(file=OSM_FILE, id=node), accuracy_m=acc)


def _at_stop(src: Sources, stop_id: str, acc: float, extra_source: str = "", **props) -> dict:
    pt, sname = src.stop_point(stop_id)
    s = GTFS_STOP.format(id=stop_id, name=sname) + " (placed at the stop named after it)"
    if extra_source:
        s = f"{extra_source}; {s}"
    return feature(pt, **props, source=s, accuracy_m=acc)


def build_schools(src: Sources) -> None:
    f = [
        _at_stop(
            src,
            "380",
            150.0,
            f"{DIDACTIC_DARJAN}; {G4MEDIA_SCHOOL}",
            name="Școala Gimnazială „Traian Dârjan”",
            level="gymnasium",
            address="Str. Traian Vuia nr. 76, Someșeni",
            capacity=None,
            notes="Teaching in Romanian and Romani. The main school of Pata Rât children, "
            "bussed from Dallas by a CTP bus arranged by ZMC. Placed at stop 'Școala Someșeni'.",
        ),
        _at_stop(
            src,
            "650",
            150.0,
            DESEGREGARE,
            name="Școala din Dezmir (com. Apahida)",
            level=None,
            address="Dezmir, com. Apahida",
            capacity=None,
            notes="Village school placed at stop 'M-Școala Dezmir'; official name and level not "
            "verified. Some Pata Rât children go to schools in nearby villages.",
        ),
        _at_stop(
            src,
            "686",
            150.0,
            name="Liceul Teoretic „Avram Iancu”",
            level="highschool",
            address=None,
            capacity=None,
            notes="Placed at stop 'Liceul Avram Iancu'.",
        ),
        _at_stop(
            src,
            "685",
            150.0,
            name="Liceul „Nicolae Bălcescu”",
            level="highschool",
            address=None,
            capacity=None,
            notes="Named after stop 'Liceul N. Bălcescu'; official name not verified.",
        ),
        _at_stop(
            src,
            "866",
            150.0,
            name="Liceul Teoretic „Gheorghe Șincai”",
            level="highschool",
            address=None,
            capacity=None,
            notes="Placed at stop 'Liceul Teoretic G. Sincai'.",
        ),
        _at_stop(
            src,
            "865",
            150.0,
            name="Colegiul Tehnic „Anghel Saligny”",
            level="highschool",
            address=None,
            capacity=None,
            notes="Placed at stop 'Colegiul Tehnic Anghel Saligny'.",
        ),
        _at_stop(
            src,
            "156",
            150.0,
            name="Colegiul Pedagogic",
            level="highschool",
            address=None,
            capacity=None,
            notes="Named after stop 'Colegiul Pedagogic' (Gheorgheni).",
        ),
        _at_stop(
            src,
            "874",
            150.0,
            name="Școala „Edmond Nicolau”",
            level=None,
            address=None,
            capacity=None,
            notes="Named after stop 'Scoala Edmond Nicolau' (Zorilor); level not verified.",
        ),
        _osm(
            src,
            "752792100",
            name="Școala Gimnazială „Horea”",
            level="gymnasium",
            address=None,
            capacity=None,
            notes="OSM name 'Școala Horea'.",
        ),
        _osm(src, "3076743833", level="gymnasium", address=None, capacity=None, notes=None),
        _osm(src, "1691110307", level="highschool", address=None, capacity=None, notes=None),
        _osm(src, "2644208666", level="highschool", address=None, capacity=None, notes=None),
        _osm(src, "2853828361", level="highschool", address=None, capacity=None, notes=None),
        _osm(
            src,
            "4128070491",
            name="Liceul Greco-Catolic „Inocențiu Micu Klein”",
            level="highschool",
            address=None,
            capacity=None,
            notes=None,
        ),
    ]
    write("schools", f)


def build_kindergartens(src: Sources) -> None:
    ids = [
        "736625359",
        "1765149258",
        "2820526835",
        "3063499396",
        "4128066796",
        "4573253194",
        "8263979526",
        "8867753469",
    ]
    f = [_osm(src, i, address=None, capacity=None, notes=None) for i in ids]
    f.append(
        _at_stop(
            src,
            "78",
            150.0,
            name="Grădinița (stația „Grădinița Mehedinți”, Mănăștur)",
            address="Str. Mehedinți (aprox.)",
            capacity=None,
            notes="Named after the CTP stop; official name not verified.",
        )
    )
    write("kindergartens", f)


def build_health(src: Sources) -> None:
    drg = src.drg
    gisco = src.gisco

    def drg_pt(code: str, acc: float, **props) -> dict:
        r = drg[code]
        return feature(
            Point(float(r["lon"]), float(r["lat"])),
            **props,
            source=f"{DRG_FILE} hospital_code {code} (2016 list, Google-geocoded: a hint only)",
            accuracy_m=acc,
        )

    f = [
        drg_pt(
            "CJ01",
            150.0,
            name="UPU – Spitalul Clinic Județean de Urgență Cluj",
            kind="emergency",
            address="Str. Clinicilor nr. 3-5",
            notes="Emergency department for adults (DSP Cluj notice). " + DSP_2023,
        ),
        _at_stop(
            src,
            "19",
            150.0,
            DSP_2023,
            name="UPU – Spitalul Clinic de Urgență pentru Copii Cluj-Napoca",
            kind="emergency",
            address="Str. Moților nr. 68",
            notes="Emergency department for children; placed at stop 'Spitalul de Copii'.",
        ),
        drg_pt(
            "CJ08",
            300.0,
            name="Institutul Oncologic „Prof. Dr. Ion Chiricuță”",
            kind="hospital",
            address=None,
            notes="Geocoded position, verify.",
        ),
        drg_pt(
            "CJ05",
            300.0,
            name="Spitalul Clinic de Boli Infecțioase Cluj",
            kind="hospital",
            address=None,
            notes="Geocoded position, verify.",
        ),
        feature(
            Point(float(gisco["310"]["lon"]), float(gisco["310"]["lat"])),
            name="Institutul Regional de Gastroenterologie-Hepatologie „Prof. Dr. Octavian Fodor”",
            kind="hospital",
            address=None,
            notes=None,
            source=f"Eurostat GISCO healthcare 2020, {GISCO_FILE} id 310",
            accuracy_m=100.0,
        ),
        _at_stop(
            src,
            "261",
            150.0,
            "OSM pharmacy node 6959569888 at Str. Viilor 52",
            name="Spitalul Clinic de Recuperare Cluj-Napoca",
            kind="hospital",
            address="Str. Viilor (aprox.)",
            notes="Placed at stop 'Spitalul Recuperare Nord'. The Eurostat GISCO point "
            "(id 80, 46.76537 N 23.57138 E) is about 1.3 km away and looks wrong.",
        ),
        _osm(src, "414227520", kind="hospital", address=None, notes=None),
        _osm(
            src,
            "322100888",
            name="Clinica Pediatrie II",
            kind="hospital",
            address=None,
            notes="OSM name 'Pediatrie 2'.",
        ),
        _osm(
            src,
            "2835710037",
            30.0,
            name="Centrul de permanență Horea 78",
            kind="clinic",
            address="Str. Horea nr. 78",
            notes="Out-of-hours centre for minor emergencies (weekdays 18-8, weekends 24 h) "
            "per DSP Cluj 2023; position of the OSM node at the same address. " + DSP_2023,
        ),
        _at_stop(
            src,
            "248",
            250.0,
            DSP_2023,
            name="Centrul de permanență Băița 9",
            kind="clinic",
            address="Str. Băița nr. 9",
            notes="Out-of-hours centre for minor emergencies; placed at stop 'Băița'.",
        ),
        _osm(
            src,
            "8367158747",
            20.0,
            kind="family_doctor",
            address=None,
            notes="OSM healthcare:speciality=general.",
        ),
        _osm(
            src,
            "3691937226",
            20.0,
            kind="clinic",
            address=None,
            notes="Name suggests family medicine (medicină de familie); verify.",
        ),
        _osm(src, "3311638010", kind="clinic", address=None, notes=None),
        _osm(src, "3800466012", kind="clinic", address=None, notes=None),
        _osm(src, "3484415593", kind="clinic", address=None, notes=None),
        _osm(src, "6710408337", kind="clinic", address=None, notes=None),
    ]
    pharmacies = [
        "1681452693",
        "4128124889",
        "2536323188",
        "7386021686",
        "2328767078",
        "2834409447",
        "2817874706",
        "7414669626",
        "7457329940",
        "4128155953",
        "6959569888",
        "4362317194",
        "4358278290",
        "1695004605",
        "7417019377",
    ]
    f += [_osm(src, i, kind="pharmacy", address=None, notes=None) for i in pharmacies]
    write("health", f)


def build_social(src: Sources) -> None:
    djep_anchor, _ = src.osm_point("1670091658")  # Str. Aviator Bădescu 1
    f = [
        feature(
            djep_anchor,
            name="Direcția Județeană de Evidență a Persoanelor Cluj (DJEP)",
            kind="identity_documents",
            address="Str. Aviator Bădescu nr. 7-9",
            notes="County population-records office (identity cards). Temporary IDs are issued by "
            "the local service (SPCLEP) of the domicile. Placed at the OSM node of Aviator "
            "Bădescu nr. 1, a few doors away.",
            source=f"{DJEP}; " + OSM.format(file=OSM_FILE, id="1670091658") + " (anchor)",
            accuracy_m=150.0,
        ),
        feature(
            src.osm_point("3051766474")[0],
            name="Primăria Cluj-Napoca – Centrul de Informare pentru Cetățeni",
            kind="other",
            address="Str. Moților nr. 3-7",
            notes="City Hall one-stop desk (registry, requests). The municipal Direcția de "
            "Evidență a Persoanelor and DASM belong to the City Hall; their public-counter "
            "addresses were not verified and are not drawn. Placed at the OSM node "
            "'Bufetul primăriei' (Str. Moților 1-3).",
            source=f"{PRIMARIA_ORG}; " + OSM.format(file=OSM_FILE, id="3051766474") + " (anchor)",
            accuracy_m=80.0,
        ),
        _osm(
            src,
            "3047892053",
            name="Cantina de ajutor social",
            kind="social_assistance",
            address=None,
            notes="Social canteen (a DASM benefit: 'masa la cantina de ajutor social').",
        ),
        _osm(
            src,
            "2817623301",
            kind="social_assistance",
            address=None,
            notes="Day centre for the elderly (DASM senior day centres).",
        ),
        _osm(src, "2863850845", kind="social_assistance", address=None, notes=None),
        _osm(src, "4173340552", kind="social_assistance", address=None, notes=None),
        _osm(
            src,
            "4128155959",
            name="Primăria cartierului Zorilor",
            kind="other",
            address="Str. Louis Pasteur nr. 60",
            notes="District town-hall office.",
            acc=20.0,
        ),
        _at_stop(
            src,
            "43",
            100.0,
            PRIMARIA_ORG,
            name="Primăria cartierului Iris",
            kind="other",
            address="Piața Liebknecht nr. 7-8",
            notes="District town-hall office; placed at stop 'P-ța Liebknecht'.",
        ),
    ]
    write("social_services", f)


def build_emergency(src: Sources) -> None:
    # ISU HQ: Bd. 21 Decembrie 1989 nr. 69-71, between OSM nodes at nr. 57 and nr. 75.
    a, _ = src.osm_point("1681452693")
    b, _ = src.osm_point("4128124889")
    isu = Point(a.x + (b.x - a.x) * 0.7, a.y + (b.y - a.y) * 0.7)
    scju = src.drg["CJ01"]
    f = [
        feature(
            isu,
            name="ISU „Avram Iancu” Cluj – sediu",
            kind="fire",
            address="Bd. 21 Decembrie 1989 nr. 69-71",
            notes="Inspectorate for Emergency Situations (fire, SMURD). Interpolated between the "
            "OSM nodes at nr. 57 and nr. 75; which detachment (Detașamentul 1 or 2) works from "
            "here was not verified.",
            source=f"{ISU_2018}; OSM nodes 1681452693 and 4128124889 "
            "(© OpenStreetMap contributors) as anchors",
            accuracy_m=120.0,
        ),
        _osm(src, "1552827178", 20.0, kind="police", address=None, notes=None),
        _at_stop(
            src,
            "675",
            200.0,
            name="Poliție (stația CTP „Poliția Est”)",
            kind="police",
            address=None,
            notes="A police building is implied by the stop name; which unit was not "
            "verified. The municipal police HQ and Secția 1 moved in 11.2019 to Str. "
            "Corneliu Coposu nr. 167 (portalcj.ro), not drawn: position unknown.",
        ),
        _at_stop(
            src,
            "169",
            300.0,
            POLITIE_LOCALA,
            name="Poliția Locală – Serviciul Ordine publică Zona 2 Mărăști",
            kind="local_police",
            address="Cinematograful Mărăști",
            notes="Based at the Mărăști cinema; placed at stop 'P-ța Mărăști'. Dispatch 0264/955.",
        ),
        feature(
            Point(float(scju["lon"]), float(scju["lat"])),
            name="UPU-SMURD – Spitalul Clinic Județean de Urgență Cluj",
            kind="ambulance",
            address="Str. Clinicilor nr. 3-5",
            notes="Emergency department where SMURD/ambulance crews bring adults. The base of "
            "the Serviciul de Ambulanță Județean Cluj was not found in the sources at hand and "
            "is not drawn.",
            source=f"{DSP_2023}; {DRG_FILE} hospital_code CJ01 (geocoded hint)",
            accuracy_m=150.0,
        ),
    ]
    write("emergency_services", f)


def build_transit(src: Sources, radius_m: float = 2500.0) -> None:
    centre = to_m(src.stop_point("726")[0])
    near = {}
    for sid, r in src.stops.items():
        lat, lon = float(r["stop_lat"]), float(r["stop_lon"])
        if not (46.5 < lat < 47.0 and 23.2 < lon < 23.9):  # drops the stray Constanța block
            continue
        if to_m(Point(lon, lat)).distance(centre) <= radius_m:
            near[sid] = r
    routes = {r["route_id"]: r["route_short_name"] for r in src.table("routes.txt")}
    trip_route = {r["trip_id"]: routes[r["route_id"]] for r in src.table("trips.txt")}
    serving: dict[str, set[str]] = defaultdict(set)
    for r in src.table("stop_times.txt"):
        if r["stop_id"] in near:
            serving[r["stop_id"]].add(trip_route[r["trip_id"]])
    f = []
    for sid in sorted(near, key=int):
        r = near[sid]
        rs = ";".join(sorted(serving.get(sid, ()), key=lambda s: (len(s), s))) or None
        f.append(
            feature(
                Point(float(r["stop_lon"]), float(r["stop_lat"])),
                stop_id=sid,
                name=r["stop_name"],
                routes=rs,
                notes=None if rs else "No trip in the feed serves this stop.",
                source=f"© CTP Cluj-Napoca, GTFS {STOPS_FILE} stop_id {sid}; routes from "
                "stop_times.txt/trips.txt (feed of 2026-07-02)",
                accuracy_m=10.0,
            )
        )
    write("transit_stops", f)


def build_candidates(src: Sources) -> None:
    note = (
        "ILLUSTRATIVE site, not a real parcel or a municipal proposal: placed on plausible "
        "residential land about 100 m from a CTP stop. Capacity 8 units mirrors the Pata-Cluj "
        "plan of 32 apartments on four parcels."
    )
    sites = [
        ("Mărăști – ilustrativ", "Mărăști", "160", (0.0006, 0.0009)),
        ("Gheorgheni – ilustrativ", "Gheorgheni", "178", (-0.0006, 0.0009)),
        ("Mănăștur – ilustrativ", "Mănăștur", "5", (0.0005, -0.0010)),
        ("Zorilor – ilustrativ", "Zorilor", "255", (-0.0010, -0.0005)),
        ("Iris – ilustrativ", "Iris", "197", (0.0009, 0.0006)),
        ("Someșeni – ilustrativ", "Someșeni", "379", (0.0004, 0.0010)),
        ("Grigorescu – ilustrativ", "Grigorescu", "184", (0.0006, 0.0008)),
        ("Bună Ziua – ilustrativ", "Bună Ziua", "361", (-0.0006, 0.0009)),
        ("Florești – ilustrativ (zona metropolitană)", "Florești", "483", (0.0008, 0.0010)),
    ]
    f = []
    for name, district, stop, (dx, dy) in sites:
        pt, sname = src.stop_point(stop)
        c = Point(pt.x + dx, pt.y + dy)
        cm = to_m(c)
        poly = to_ll(
            Polygon(
                [
                    (cm.x - 45, cm.y - 35),
                    (cm.x + 45, cm.y - 35),
                    (cm.x + 45, cm.y + 35),
                    (cm.x - 45, cm.y + 35),
                ]
            )
        )
        f.append(
            feature(
                poly,
                name=name,
                district=district,
                capacity_units=8,
                status="illustrative",
                notes=note,
                source=f"Illustrative placement near GTFS stop_id {stop} '{sname}' "
                f"(© CTP Cluj-Napoca); {PATACLUJ}",
                accuracy_m=100.0,
            )
        )
    c = to_m(Point(23.6880, 46.7728))
    f.append(
        feature(
            to_ll(
                Polygon(
                    [
                        (c.x - 45, c.y - 35),
                        (c.x + 45, c.y - 35),
                        (c.x + 45, c.y + 35),
                        (c.x - 45, c.y + 35),
                    ]
                )
            ),
            name="Pata Rât – contra-exemplu (în zona de protecție)",
            district="Pata Rât",
            capacity_units=8,
            status="illustrative",
            notes="ILLUSTRATIVE COUNTER-EXAMPLE: deliberately next to the modular houses and "
            "inside the 1,000 m landfill protection zone (about 700 m from the active cells), to "
            "show that the constraint flags it and that it would re-create the enclave. Not a "
            "proposal.",
            source="Illustrative placement by pata-gis contributors",
            accuracy_m=100.0,
        )
    )
    write("candidate_sites", f)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    args = ap.parse_args()
    src = Sources(args.shared)
    build_settlements()
    build_landfill()
    build_roads(src)
    build_schools(src)
    build_kindergartens(src)
    build_health(src)
    build_social(src)
    build_emergency(src)
    build_transit(src)
    build_candidates(src)


if __name__ == "__main__":
    main()
