"""Safety plan: response times by hand, routes, zones, meeting points, the printed plan."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, Point

from pata_gis import crs, safety
from pata_gis._errors import InputError, SensitivityError, ValidationError
from pata_gis.network import Network
from pata_gis.privacy import AuditLog
from pata_gis.specs import load_catalogue

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
DAY = dt.date(2026, 11, 25)
X0, Y0 = 400000.0, 586000.0  # Stereo 70, by Pata Rât
M3844 = "EPSG:3844"
# 36 km/h = 10 m/s by car, 3.6 km/h = 1 m/s on foot: times are metres / 10 or / 1
FAST = {"residential": 36.0, "track": 36.0}
WALK = 3.6


def roads(*lines: tuple[list[tuple[float, float]], str, str]) -> gpd.GeoDataFrame:
    """Lines as (coords relative to X0, Y0; kind; mapped_by)."""
    return gpd.GeoDataFrame(
        {
            "kind": [k for _, k, _ in lines],
            "mapped_by": [m for _, _, m in lines],
            "name": [f"road {i}" for i in range(len(lines))],
        },
        geometry=[LineString([(X0 + x, Y0 + y) for x, y in c]) for c, _, _ in lines],
        crs=M3844,
    )


def points(xy: list[tuple[float, float]], **cols: list[object]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(dict(cols), geometry=[Point(X0 + x, Y0 + y) for x, y in xy], crs=M3844)


def stations_line() -> gpd.GeoDataFrame:
    return points([(0, 0), (3000, 0)], name=["P1", "P2"], kind=["police", "police"])


def line_roads(split: bool) -> gpd.GeoDataFrame:
    if split:
        return roads(
            ([(0, 0), (1000, 0)], "residential", "official"),
            ([(1000, 0), (2000, 0)], "residential", "official"),
            ([(2000, 0), (3000, 0)], "residential", "official"),
        )
    return roads(([(0, 0), (3000, 0)], "residential", "official"))


def cover(
    net: Network, places: gpd.GeoDataFrame, st: gpd.GeoDataFrame, **kw: object
) -> pd.DataFrame:
    kw.setdefault("speeds", FAST)
    kw.setdefault("walk_speed_kmh", WALK)
    return safety.response_coverage(places, st, net, **kw).set_index("place")


# --------------------------------------------------------------------------- by hand
@pytest.mark.parametrize("split", [False, True], ids=["one-edge", "three-edges"])
def test_line_with_two_stations_times_by_hand(split):
    net = Network.from_lines(line_roads(split))
    places = points([(1000, 30), (2500, 0)], name=["A", "B"])
    cov = cover(net, places, stations_line(), target_min=2.0)
    a, b = cov.loc["A"], cov.loc["B"]
    # A: P1 drives 1000 m (100 s), then 30 m straight at 1 m/s x 1.4 detour (42 s)
    assert a["station"] == "P1"
    assert a["time_min"] == pytest.approx(142 / 60)
    assert a["drive_min"] == pytest.approx(100 / 60)
    assert a["walk_min"] == pytest.approx(42 / 60)
    assert (a["drive_m"], a["walk_m"], a["place_snap_m"]) == pytest.approx((1000, 30, 30))
    assert a["beyond_target"]  # 2.37 > 2 min
    # B: P2 drives 500 m back along the line (50 s), no walk
    assert b["station"] == "P2"
    assert b["time_min"] == pytest.approx(50 / 60)
    assert b["walk_m"] == pytest.approx(0, abs=1e-6)
    assert not b["beyond_target"]
    assert cov["reachable"].all()


def test_unpaved_track_is_driven_slower_by_the_factor():
    net = Network.from_lines(
        roads(
            ([(0, 0), (3000, 0)], "residential", "official"),
            ([(3000, 0), (3000, 1000)], "track", "digitised"),
        )
    )
    places = points([(3000, 1000)], name=["Dallas"])
    slow = cover(net, places, stations_line()).loc["Dallas"]
    # P2 sits at the track's foot: 1000 m at 36 x 0.6 km/h = 6 m/s
    assert slow["time_min"] == pytest.approx(1000 / 6 / 60)
    paved = cover(net, places, stations_line(), unpaved_factor=1.0).loc["Dallas"]
    assert paved["time_min"] == pytest.approx(100 / 60)


def test_footway_is_walked_not_driven():
    net = Network.from_lines(
        roads(
            ([(0, 0), (3000, 0)], "residential", "official"),
            ([(0, 0), (0, 500)], "footway", "official"),
        )
    )
    places = points([(0, 500)], name=["end"])
    row = cover(net, places, stations_line()).loc["end"]
    # on foot 500 m (500 s) beats straight from the road (500 m x 1.4)
    assert row["time_min"] == pytest.approx(500 / 60)
    assert (row["drive_m"], row["walk_m"]) == pytest.approx((0, 500), abs=1e-6)


def test_community_path_makes_the_place_faster_by_hand():
    base = [([(0, 0), (3000, 0)], "residential", "official")]
    path = ([(1400, 0), (1400, 390)], "path", "community")
    places = points([(1400, 400)], name=["Q"])
    with_path = cover(Network.from_lines(roads(*base, path)), places, stations_line()).loc["Q"]
    without = cover(Network.from_lines(roads(*base)), places, stations_line()).loc["Q"]
    # with: drive 1400 m (140 s) + 390 m path (390 s) + 10 m straight x 1.4 (14 s)
    assert with_path["time_min"] == pytest.approx((140 + 390 + 14) / 60)
    assert with_path["walk_m"] == pytest.approx(400)
    # without: drive 140 s + 400 m straight x 1.4 (560 s)
    assert without["time_min"] == pytest.approx((140 + 560) / 60)


def test_one_way_street_is_respected_by_vehicles():
    # P1 -> place is against the one-way; P2 is farther but allowed
    lines = roads(([(0, 0), (3000, 0)], "residential", "official"))
    lines["oneway"] = [True]
    reversed_line = lines.copy()
    reversed_line.geometry = [LineString([(X0 + 3000, Y0), (X0, Y0)])]
    net = Network.from_lines(reversed_line, oneway_column="oneway")
    row = cover(net, points([(1000, 0)], name=["A"]), stations_line()).loc["A"]
    assert row["station"] == "P2"
    assert row["time_min"] == pytest.approx(200 / 60)


def test_unreachable_place_is_flagged():
    net = Network.from_lines(
        roads(
            ([(0, 0), (1000, 0)], "residential", "official"),
            ([(5000, 0), (6000, 0)], "residential", "official"),  # an island
        )
    )
    st = points([(0, 0)], name=["P1"], kind=["police"])
    row = cover(net, points([(5500, 0)], name=["far"]), st).loc["far"]
    assert not row["reachable"] and row["beyond_target"]
    assert math.isinf(row["time_min"]) and row["station"] is None


def test_default_targets_and_refusals():
    net = Network.from_lines(line_roads(False))
    st = pd.concat(
        [stations_line(), points([(10, 0)], name=["SMURD"], kind=["ambulance"])],
        ignore_index=True,
    )
    cov = safety.response_coverage(points([(1000, 0)], name=["A"]), st, net)
    assert list(cov["kind"]) == ["police", "ambulance"]
    assert dict(zip(cov["kind"], cov["target_min"], strict=True)) == {
        "police": safety.TARGET_MIN["police"],
        "ambulance": 8.0,
    }
    with pytest.raises(InputError, match="target_min"):
        safety.response_coverage(points([(0, 0)]), st, net, target_min=-1)
    with pytest.raises(InputError, match="no row with kind = 'fire'"):
        safety.access_routes(points([(0, 0)]), st, net, kind="fire")
    with pytest.raises(InputError, match="'kind' column"):
        safety.response_coverage(points([(0, 0)]), st.drop(columns="kind"), net)


def test_access_routes_rank_the_stations_with_legs_by_hand():
    net = Network.from_lines(line_roads(True))
    r = safety.access_routes(
        points([(1000, 30)]), stations_line(), net, kind="police", speeds=FAST, walk_speed_kmh=WALK
    )
    first = r[r["rank"] == 1].set_index("leg")
    second = r[r["rank"] == 2].set_index("leg")
    assert set(first["station"]) == {"P1"} and set(second["station"]) == {"P2"}
    assert first.loc["drive", "length_m"] == pytest.approx(1000)
    assert first.loc["drive"].geometry.length == pytest.approx(1000)
    assert first.loc["walk", "length_m"] == pytest.approx(30)
    assert first.loc["drive", "total_min"] == pytest.approx(142 / 60)
    assert second.loc["drive", "length_m"] == pytest.approx(2000)
    # the drive leg ends where the walk leg starts
    assert first.loc["drive"].geometry.coords[-1] == pytest.approx(
        first.loc["walk"].geometry.coords[0]
    )
    assert (
        len(
            safety.access_routes(
                points([(1000, 30)]), stations_line(), net, kind="police", max_stations=1
            )
        )
        == 2
    )


def test_coverage_zones_split_the_line_at_the_midpoint():
    net = Network.from_lines(line_roads(True))
    z = safety.coverage_zones(
        stations_line(),
        net,
        kind="police",
        bands_min=(1.0, 2.0),
        speeds=FAST,
        walk_speed_kmh=WALK,
        extent=(X0 - 200, Y0 - 200, X0 + 3200, Y0 + 200),
    )

    def where(x: float, y: float) -> tuple[str, str]:
        hit = z[z.contains(Point(X0 + x, Y0 + y))]
        assert len(hit) == 1
        return hit["station"].iloc[0], hit["band"].iloc[0]

    # 10 m/s: 1 min = 600 m; P1 covers x < 1500, P2 the rest
    assert where(300, 50) == ("P1", "0–1 min")
    assert where(900, 50) == ("P1", "1–2 min")
    assert where(2700, -50) == ("P2", "0–1 min")
    assert where(2200, 50) == ("P2", "1–2 min")
    assert where(1700, 50) == ("P2", "> 2 min")  # 1300 m: 130 s
    areas = z.groupby("station")["area_km2"].sum()
    assert areas["P1"] == pytest.approx(areas["P2"], rel=0.03)
    assert z.union_all().area == pytest.approx(3400 * 400, rel=1e-6)


# --------------------------------------------------------------------------- bundled data
@pytest.fixture(scope="module")
def bundled() -> dict[str, gpd.GeoDataFrame]:
    specs = load_catalogue()
    names = ("settlements", "roads", "emergency_services", "candidate_sites", "landfill")
    return {n: gpd.read_file(specs[n].bundled) for n in names}


def test_bundled_four_communities_have_finite_times_for_every_service(bundled):
    net = Network.from_lines(bundled["roads"])
    cov = safety.response_coverage(
        {"settlements": bundled["settlements"], "candidate_sites": bundled["candidate_sites"]},
        bundled["emergency_services"],
        net,
    )
    comm = cov[cov["layer"] == "settlements"]
    kinds = set(bundled["emergency_services"]["kind"])
    assert set(comm["kind"]) == kinds == {"police", "local_police", "fire", "ambulance"}
    assert set(comm["place"]) == {"Cantonului", "Colectorului", "Dallas", "Rampa"}
    assert np.isfinite(comm["time_min"]).all()
    assert comm["time_min"].between(3, 45).all()
    # Cantonului is on the city side of the railway: reached first by every service
    for kd in kinds:
        k = comm[comm["kind"] == kd].set_index("place")["time_min"]
        assert k["Cantonului"] == k.min()
    # the landfill track is unpaved: driving it at full speed makes Rampa faster
    fast = safety.response_coverage(
        bundled["settlements"], bundled["emergency_services"], net, unpaved_factor=1.0
    ).set_index(["place", "kind"])
    slow = comm.set_index(["place", "kind"])
    assert fast.loc[("Rampa", "police"), "time_min"] < slow.loc[("Rampa", "police"), "time_min"]
    assert fast.loc[("Cantonului", "police"), "time_min"] == pytest.approx(
        slow.loc[("Cantonului", "police"), "time_min"]
    )


def test_bundled_community_path_to_dallas_saves_time(bundled):
    rd = crs.to_metric(bundled["roads"])
    home = crs.to_metric(bundled["settlements"]).set_index("name").loc["Dallas"].geometry
    target = shapely.point_on_surface(home)
    track = rd[rd["kind"] == "track"].geometry.union_all()
    start = shapely.ops.nearest_points(track, target)[0]
    path = gpd.GeoDataFrame(
        {"kind": ["path"], "mapped_by": ["community"], "name": ["potecă"]},
        geometry=[LineString([start, target])],
        crs=M3844,
    )
    dallas = crs.to_metric(bundled["settlements"]).query("name == 'Dallas'")
    st = bundled["emergency_services"]
    without = safety.response_coverage(dallas, st, Network.from_lines(rd), kinds=["police"])
    with_path = safety.response_coverage(
        dallas, st, Network.from_lines(pd.concat([rd, path], ignore_index=True)), kinds=["police"]
    )
    d = float(start.distance(target))
    walk_s = 3.6 / 4.5
    assert without["place_snap_m"].iloc[0] == pytest.approx(d, abs=0.5)
    assert with_path["place_snap_m"].iloc[0] == pytest.approx(0, abs=0.5)
    saved = (without["time_min"].iloc[0] - with_path["time_min"].iloc[0]) * 60
    # the straight walk's 1.4 detour is gone: 0.4 x d at 4.5 km/h
    assert saved == pytest.approx(0.4 * d * walk_s, rel=0.02)


# --------------------------------------------------------------------------- meeting points
def meeting_points() -> gpd.GeoDataFrame:
    return points(
        [(10, 10), (20, 20), (30, 30)],
        name=["Stația Cantonului", "Casa sigură Dallas", "Teren de adunare"],
        kind=["meeting_point", "safe_house", "assembly_area"],
        community=["Cantonului", "Dallas", "all"],
        contact_role=["social_worker", "community_facilitator", "local_police"],
        notes=["lângă stație", "cheia la mediator", None],
        source=["safety meeting"] * 3,
        accuracy_m=[20.0] * 3,
    )


@pytest.mark.parametrize(
    ("level", "names"),
    [
        ("public", set()),
        ("planner", {"Stația Cantonului", "Teren de adunare"}),
        ("police", {"Stația Cantonului", "Casa sigură Dallas", "Teren de adunare"}),
        ("community", {"Stația Cantonului", "Casa sigură Dallas", "Teren de adunare"}),
    ],
)
def test_safe_houses_omitted_below_the_police_level(level, names):
    view = safety.meeting_points_view(meeting_points(), level)
    assert set(view["name"]) == names
    assert view.attrs["n_omitted"] == 3 - len(names)
    assert ("notes" in view.columns) == (level in ("police", "community"))


def test_meeting_points_refuse_names_and_phone_numbers():
    bad = meeting_points()
    bad.loc[1, "contact_role"] = "Ion Popescu"
    with pytest.raises(ValidationError, match="row 1: contact_role 'Ion Popescu'"):
        safety.check_meeting_points(bad)
    bad = meeting_points()
    bad.loc[2, "notes"] = "sunați la 0744 123 456"
    with pytest.raises(ValidationError, match="row 2, field 'notes'"):
        safety.check_meeting_points(bad)
    bad = meeting_points()
    bad.loc[0, "notes"] = "ana@example.org"
    with pytest.raises(ValidationError, match="row 0"):
        safety.meeting_points_view(bad, "police")
    spec = load_catalogue()["meeting_points"]
    assert spec.sensitivity == "restricted" and spec.bundled is None
    assert set(spec.field("kind").choices or ()) == set(safety.MEETING_KINDS)
    assert set(spec.field("contact_role").choices or ()) == set(safety.CONTACT_ROLES)


# --------------------------------------------------------------------------- the PDF
def generated_marks(rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, int]:
    """30 consented marks in one 250 m cell by Dallas, 3 alone elsewhere (under k)."""
    cx = math.floor(X0 / 250) * 250 + 125.0
    cy = math.floor(Y0 / 250) * 250 + 125.0
    xy = np.vstack(
        [
            np.column_stack([cx + rng.uniform(-90, 90, 30), cy + rng.uniform(-90, 90, 30)]),
            np.array(
                [[cx + 1000.3, cy + 700.7], [cx - 1500.2, cy + 900.9], [cx + 2100.1, cy - 800.8]]
            ),
        ]
    )
    n = len(xy)
    gdf = gpd.GeoDataFrame(
        {
            "category": ["conflict"] * n,
            "severity": [3] * n,
            "time_of_day": ["night"] * n,
            "note": [f"marca secretă {i}" for i in range(n)],
            "session_id": ["DAL-20261125-01-F"] * n,
            "consent": [True] * n,
            "capture": ["drawn_in_app"] * n,
            "source": ["workshop"] * n,
            "accuracy_m": [10.0] * n,
        },
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs=M3844,
    )
    return gdf, 30


def coordinate_strings(gdf: gpd.GeoDataFrame) -> list[str]:
    out = []
    ll = gdf.to_crs("EPSG:4326")
    for p, q in zip(gdf.geometry, ll.geometry, strict=True):
        for d in (3, 4, 5, 6):
            out += [f"{q.x:.{d}f}", f"{q.y:.{d}f}"]
        out += [f"{p.x:.0f}", f"{p.y:.0f}", f"{p.x:.1f}", f"{p.y:.1f}"]
    return out


@pytest.fixture(scope="module")
def plan(bundled, tmp_path_factory):
    pypdf = pytest.importorskip("pypdf")
    tmp = tmp_path_factory.mktemp("plan")
    marks, n_cluster = generated_marks(np.random.default_rng(7))
    layers = dict(bundled)
    layers["risk_marks"] = marks
    mp = meeting_points()
    # put the meeting points by Cantonului (real place: the bus stop)
    mp.geometry = (
        crs.to_metric(bundled["settlements"]).geometry.iloc[:3].representative_point().values
    )
    layers["meeting_points"] = mp
    audit = AuditLog(tmp / "audit.jsonl")
    ARTIFACTS.mkdir(exist_ok=True)
    path = safety.safety_plan_pdf(
        tmp / "plan_ro.pdf",
        layers=layers,
        who="Facilitator test",
        lang="ro",
        privacy_level="police",
        audit=audit,
        date=DAY,
        png=ARTIFACTS / "safety_plan_page1.png",
    )
    reader = pypdf.PdfReader(path)
    texts = [p.extract_text() for p in reader.pages]
    return {
        "path": path,
        "texts": texts,
        "marks": marks,
        "audit": audit,
        "layers": layers,
        "tmp": tmp,
        "n_cluster": n_cluster,
        "pypdf": pypdf,
    }


def test_plan_pdf_has_every_section_in_ro_and_en(plan):
    text = "\n".join(plan["texts"])
    for key in ("title", "s1", "s2", "s2a", "s2b", "s3", "s4", "s5", "s6"):
        for lang in ("ro", "en"):
            heading = safety._H[key][lang]
            assert heading in text.replace("\n", " "), f"{key}/{lang}: {heading!r} missing"
    first = plan["texts"][0]
    assert "2026-11-25" in first and "Facilitator test" in first
    for name in ("Cantonului", "Colectorului", "Dallas", "Rampa"):
        assert name in first
    assert "RESTRICȚIONAT (întâlnire de siguranță)" in first
    assert "RESTRICTED (safety meeting)" in first
    # the map pages: legend, scale, north, sources, every service's route
    for map_page in plan["texts"][1:3]:
        for word in (
            "Legendă",
            "Scara 1:",
            "Nord de rețea",
            "Surse",
            "© OpenStreetMap contributors",
            "Traseu: Poliție",
            "Traseu: Ambulanță / SMURD",
            "Puncte de întâlnire",
        ):
            assert word in map_page, word
    assert "Risc ridicat (celule agregate, k ≥" in plan["texts"][2]
    # response-time table flags and the assumptions, in both languages
    assert "! = peste țintă" in text and "! = beyond target" in text
    cov = safety.response_coverage(
        plan["layers"]["settlements"],
        plan["layers"]["emergency_services"],
        Network.from_lines(plan["layers"]["roads"]),
    )
    n_over = int(cov["beyond_target"].sum())
    assert f"{n_over} din {len(cov)} perechi" in text
    assert f"{n_over} of {len(cov)} community–service pairs" in text
    police = cov[cov["kind"] == "police"]["time_min"]
    assert f"Police: {police.min():.1f}–{police.max():.1f} min (target 10)" in text
    assert "Pe scurt / In brief" in plan["texts"][0]
    assert "IPOTEZĂ" in text and "ASSUMPTION" in text and "Arafat" in text
    assert "se parcurg la 0,6 din viteza lor" in text and "driven at 0.6 of their speed" in text
    assert "UPU-SMURD" in text and "(1150 m)" in text  # a station far from the mapped roads
    # safe house printed at police level, with its note
    assert "Casa sigură Dallas" in text
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "safety_plan.pdf").write_bytes(plan["path"].read_bytes())


def test_plan_pdf_first_page_as_image(plan):
    import matplotlib.image as mpimg

    img = mpimg.imread(ARTIFACTS / "safety_plan_page1.png")
    h, w = img.shape[:2]
    assert h / w == pytest.approx(297 / 210, rel=0.01)  # A4 portrait
    ink = (img[..., :3].mean(axis=2) < 0.5).mean()
    assert 0.005 < ink < 0.3  # text on a white page, not blank, not black


def test_plan_pdf_never_holds_raw_marks(plan):
    raw = plan["path"].read_bytes()
    text = "\n".join(plan["texts"])
    for s in coordinate_strings(plan["marks"]):
        assert s not in text, s
        assert s.encode() not in raw, s
    assert "marca secretă" not in text and b"marca secr" not in raw
    assert "DAL-20261125-01-F" not in text
    # the cluster is one cell of 30; the three lone marks are suppressed
    cells = next(t for t in plan["texts"] if safety._H["s2b"]["ro"] in t and "Celula" in t)
    assert "250m:E1600:N2344 30" in cells
    assert cells.count("250m:") == 1
    recs = plan["audit"].records()
    rm = [r for r in recs if r["layer"] == "risk_marks"]
    assert len(rm) == 1 and rm[0]["level"] == "aggregated" and rm[0]["n_features"] == 1
    assert rm[0]["params"]["k"] == 5 and rm[0]["params"]["cell_m"] == 250.0
    from pata_gis.privacy import file_sha256

    assert rm[0]["sha256"] == file_sha256(plan["path"])
    assert any(r["layer"] == "safety_plan" and r["who"] == "Facilitator test" for r in recs)


def test_plan_pdf_from_a_workspace_in_english_for_the_public(plan):
    from pata_gis.workspace import Workspace

    ws = Workspace.create(plan["tmp"] / "ws.gpkg")
    ws.write("risk_marks", plan["marks"])
    ws.write("meeting_points", plan["layers"]["meeting_points"])
    path = safety.safety_plan_pdf(
        plan["tmp"] / "plan_en_public.pdf",
        workspace=ws,
        who="x",
        lang="en",
        privacy_level="public",
        date=DAY,
    )
    text = "\n".join(p.extract_text() for p in plan["pypdf"].PdfReader(path).pages)
    assert "Meeting points and safe places / 5. Puncte de întâlnire" in text.replace("\n", " ")
    # the public sees the aggregated cell, never a meeting point or a safe house
    assert "250m:E1600:N2344 30" in text
    assert "Casa sigură" not in text and "Stația Cantonului" not in text
    assert "Safe houses are not shown at this privacy level" in text
    assert "Mărăști – ilustrativ" not in text  # candidate sites are restricted
    assert "Safety plan — Pata Rât" in text and "Plan de siguranță — Pata Rât" in text
    assert "PUBLIC" in text
    raw = path.read_bytes()
    for s in coordinate_strings(plan["marks"]):
        assert s.encode() not in raw


def test_plan_refuses_small_k_and_a_second_grid(plan):
    with pytest.raises(InputError, match="k >= 5"):
        safety.safety_plan_pdf(plan["tmp"] / "x.pdf", layers=plan["layers"], who="x", k=3)
    with pytest.raises(SensitivityError, match="already exported aggregated on 250 m"):
        safety.safety_plan_pdf(
            plan["tmp"] / "y.pdf",
            layers=plan["layers"],
            who="x",
            cell_m=100,
            audit=plan["audit"],
        )
    with pytest.raises(InputError, match="'who' is empty"):
        safety.safety_plan_pdf(plan["tmp"] / "z.pdf", layers=plan["layers"], who=" ")


def test_grid_times_equal_networkx_on_the_two_layer_graph():
    """A 6 x 6 grid of streets, footways and a track: every node's time equals networkx."""
    nx = pytest.importorskip("networkx")
    rng = np.random.default_rng(3)
    step = 200.0
    lines, kinds = [], []
    for i in range(6):
        for j in range(6):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < 6 and j + dj < 6:
                    lines.append([(i * step, j * step), ((i + di) * step, (j + dj) * step)])
                    kinds.append(
                        str(rng.choice(["residential", "residential", "footway", "track"]))
                    )
    gdf = roads(*[(c, k, "official") for c, k in zip(lines, kinds, strict=True)])
    net = Network.from_lines(gdf)
    st = points([(0, 0), (1000, 1000)], name=["S1", "S2"], kind=["fire", "fire"])
    nodes = [(i * step, j * step) for i in range(6) for j in range(6)]
    cov = safety.response_coverage(
        points(nodes, name=[f"n{k}" for k in range(len(nodes))]),
        st,
        net,
        speeds={"residential": 36.0, "track": 36.0},
        walk_speed_kmh=3.6,
    )
    # the oracle: drive layer ("d", node) and foot layer ("w", node), leave the car anywhere
    g = nx.DiGraph()
    for (a, b), k in zip(lines, kinds, strict=True):
        length = math.dist(a, b)
        g.add_edge(("w", a), ("w", b), weight=length / 1.0)
        g.add_edge(("w", b), ("w", a), weight=length / 1.0)
        if k != "footway":
            v = 10.0 * (0.6 if k == "track" else 1.0)
            g.add_edge(("d", a), ("d", b), weight=length / v)
            g.add_edge(("d", b), ("d", a), weight=length / v)
    for p in nodes:
        g.add_edge(("d", p), ("w", p), weight=0.0)
    sources = [("d", (0.0, 0.0)), ("d", (1000.0, 1000.0))]
    sources = [s for s in sources if s in g]
    expect = nx.multi_source_dijkstra_path_length(g, sources)
    for k, p in enumerate(nodes):
        want = min(expect.get(("w", p), math.inf), expect.get(("d", p), math.inf)) / 60.0
        assert cov["time_min"].iloc[k] == pytest.approx(want, abs=1e-9), p


def test_dates_are_not_taken_for_phone_numbers() -> None:
    import geopandas as gpd

    from pata_gis import safety as _s

    role = sorted(_s.CONTACT_ROLES)[0]
    g = gpd.GeoDataFrame(
        {
            "name": ["Școala"],
            "kind": ["meeting_point"],
            "community": ["Dallas"],
            "contact_role": [role],
            "notes": ["agreed 25.11.2026"],
            "source": ["safety meeting 2026-11-25"],
            "accuracy_m": [20.0],
        },
        geometry=gpd.points_from_xy([23.68], [46.77]),
        crs=4326,
    )
    _s.check_meeting_points(g)  # no error
    g["notes"] = ["call 0264 555 123"]
    with pytest.raises(ValidationError, match="phone number"):
        _s.check_meeting_points(g)
