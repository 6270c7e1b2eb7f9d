"""Printed maps and reports: true scale, scale bar, north, credits, privacy, PDF text."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import geopandas as gpd
import matplotlib
import pandas as pd
import pyproj
import pytest
import shapely
from matplotlib.figure import Figure

from pata_gis import printing
from pata_gis._errors import InputError, SensitivityError
from pata_gis.printing import (
    Report,
    check_privacy,
    grid_convergence,
    nice_length,
    nice_scale,
    render_map,
    render_sheet,
    save_figure,
)
from pata_gis.specs import load_catalogue

pypdf = pytest.importorskip("pypdf")

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
DAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def specs():
    return load_catalogue()


@pytest.fixture(scope="module")
def layers(specs):
    names = ["landfill", "settlements", "roads", "schools", "transit_stops", "emergency_services"]
    return {n: gpd.read_file(specs[n].bundled) for n in names}


@pytest.fixture(scope="module")
def pata_rat_page(layers, specs):
    return render_sheet(
        {n: layers[n] for n in ("landfill", "settlements", "roads", "transit_stops")},
        specs,
        paper="A4",
        orientation="landscape",
        title="Pata Rât — zona de protecție sanitară",
        lang="ro",
        privacy_level="public",
        date=DAY,
    )


def _texts(fig: Figure) -> list[str]:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
        leg = ax.get_legend()
        if leg is not None:
            out += [t.get_text() for t in leg.get_texts()]
    return [t.replace("\n", " ") for t in out]


def _metres(label: str) -> float:
    m = re.fullmatch(r"([\d.]+) (m|km)", label)
    assert m, label
    return float(m.group(1)) * (1000 if m.group(2) == "km" else 1)


def test_nice_numbers_by_hand():
    assert nice_length(730) == 500
    assert nice_length(199.9) == 100
    assert nice_length(200) == 200
    assert nice_length(4_400) == 2_000
    assert nice_length(0.9) == pytest.approx(0.5)
    # 1 000 m across a 200 mm frame needs 1:5 000; 1 001 m needs the next scale
    assert nice_scale(1_000, 100, 200, 200) == 5_000
    assert nice_scale(1_001, 100, 200, 200) == 7_500
    assert nice_scale(100, 3_000, 200, 150) == 20_000  # height decides: 3 km / 150 mm
    with pytest.raises(InputError):
        nice_length(0)


def test_map_is_at_true_scale_and_scale_bar_matches_its_label(pata_rat_page):
    sheet = pata_rat_page
    fig, ax = sheet.figure, sheet.ax
    assert (fig.get_figwidth() * 25.4, fig.get_figheight() * 25.4) == pytest.approx((297, 210))
    # the frame on paper (mm) times the scale is the ground extent shown (m)
    pos = ax.get_position()
    frame_w_mm = pos.width * fig.get_figwidth() * 25.4
    frame_h_mm = pos.height * fig.get_figheight() * 25.4
    minx, miny, maxx, maxy = sheet.extent
    assert ax.get_xlim() == pytest.approx((minx, maxx))
    assert ax.get_ylim() == pytest.approx((miny, maxy))
    assert (maxx - minx) == pytest.approx(frame_w_mm * sheet.scale / 1000, rel=1e-9)
    assert (maxy - miny) == pytest.approx(frame_h_mm * sheet.scale / 1000, rel=1e-9)
    assert sheet.scale in printing.NICE_SCALES
    # every layer fits at that scale, not at the next larger one
    bounds = [g.to_crs(3844).total_bounds for g in sheet_layers(sheet)]
    assert min(b[0] for b in bounds) >= minx and max(b[2] for b in bounds) <= maxx
    # the scale bar: its segments' data length in metres equals its label
    segs = [p for p in ax.patches if (p.get_gid() or "").startswith("scale-bar-segment-")]
    assert len(segs) >= 4
    length = sum(p.get_width() for p in segs)
    label = next(t for t in ax.texts if t.get_gid() == "scale-bar-label").get_text()
    assert length == pytest.approx(_metres(label), rel=1e-9)
    assert length == sheet.scale_bar_m
    # and it is a round 1/2/5 number taking at most a quarter of the map's width
    assert length <= 0.25 * (maxx - minx)
    mantissa = length / 10 ** int(f"{length:e}".split("e")[1])
    assert mantissa in (1.0, 2.0, 5.0)
    # on paper: bar length (mm) x scale = metres
    bar_mm = length / (maxx - minx) * frame_w_mm
    assert bar_mm * sheet.scale / 1000 == pytest.approx(_metres(label))


def sheet_layers(sheet):
    specs = load_catalogue()
    return [gpd.read_file(specs[n].bundled) for n in sheet.layers]


def test_north_arrow_states_grid_convergence_against_pyproj(pata_rat_page):
    sheet = pata_rat_page
    cx = (sheet.extent[0] + sheet.extent[2]) / 2
    cy = (sheet.extent[1] + sheet.extent[3]) / 2
    lon, lat = pyproj.Transformer.from_crs(3844, 4326, always_xy=True).transform(cx, cy)
    oracle = pyproj.Proj("EPSG:3844").get_factors(lon, lat).meridian_convergence
    assert abs(sheet.convergence_deg) == pytest.approx(abs(oracle), abs=0.01)
    # Pata Rât lies west of Stereo 70's central meridian (25° E): true north leans east
    assert 0.8 < sheet.convergence_deg < 1.1
    # on the central meridian (up to the Pulkovo 1942(58) datum shift) grid north is true north
    assert grid_convergence(500_000.0, 500_000.0) == pytest.approx(0.0, abs=0.005)
    arrows = [p for p in sheet.ax.patches if p.get_gid() == "north-arrow"]
    assert len(arrows) == 1
    footer = " ".join(_texts(sheet.figure))
    assert f"{sheet.convergence_deg:.1f}° spre est" in footer


def test_legend_credits_date_and_privacy_footer(pata_rat_page, specs):
    texts = _texts(pata_rat_page.figure)
    joined = "\n".join(texts)
    for name in ("landfill", "settlements", "roads", "transit_stops"):
        assert any(t.startswith(specs[name].label("ro")) for t in texts), name
    assert "Comunități (Pata Rât) (4)" in texts
    # transit stops: CTP credit; no OSM credit: no shown layer comes from OSM
    assert "© CTP Cluj-Napoca" in joined and "OpenStreetMap" not in joined
    assert "Data: 2026-11-25" in joined
    assert "PUBLIC — poate fi distribuit / PUBLIC — may be shared" in texts
    assert "Scara 1:" in joined and "Stereo 70 (EPSG:3844)" in joined
    # community names on the map, never on top of each other (left out when no room)
    fig, ax = pata_rat_page.figure, pata_rat_page.ax
    names = {"Cantonului", "Colectorului", "Dallas", "Rampa"}
    labels = [t for t in ax.texts if t.get_text() in names]
    assert labels
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_osm_layer_is_credited(layers, specs):
    osm_school = gpd.GeoDataFrame(
        {"name": ["Școala Gimnazială"], "source": ["OpenStreetMap node 123 (ODbL)"]},
        geometry=[shapely.Point(23.6, 46.77)],
        crs=4326,
    )
    fig = render_map({"schools": osm_school, "roads": layers["roads"]}, specs, lang="en", date=DAY)
    joined = "\n".join(_texts(fig))
    assert "Sources: © OpenStreetMap contributors" in joined
    assert "PUBLIC — may be shared / PUBLIC — poate fi distribuit" in joined  # + Romanian
    assert "Grid north (Stereo 70); true north is" in joined


def test_confidential_and_restricted_layers_are_refused_at_open_levels(layers, specs):
    marks = gpd.GeoDataFrame(
        {"category": ["dogs", "fire"], "severity": [3, 4], "consent": [True, False]},
        geometry=[shapely.Point(23.69, 46.78), shapely.Point(23.70, 46.78)],
        crs=4326,
    )
    for level in ("public", "police", "planner", "restricted"):
        with pytest.raises(SensitivityError, match="'risk_marks' is confidential"):
            render_map({"roads": layers["roads"], "risk_marks": marks}, specs, privacy_level=level)
        with pytest.raises(SensitivityError, match="'incidents' is confidential"):
            check_privacy({"incidents": marks}, specs, level)
    sites = gpd.read_file(specs["candidate_sites"].bundled)
    assert specs["candidate_sites"].sensitivity == "restricted"
    with pytest.raises(SensitivityError, match="candidate_sites"):
        check_privacy({"candidate_sites": sites}, specs, "public")
    check_privacy({"candidate_sites": sites}, specs, "police")  # a safety meeting may see them
    # levels of detail follow pata_gis.privacy: police get marks masked, the public aggregated
    check_privacy({"risk_marks": marks}, specs, "police", levels={"risk_marks": "masked"})
    with pytest.raises(SensitivityError, match="at most aggregated"):
        check_privacy({"risk_marks": marks}, specs, "public", levels={"risk_marks": "masked"})
    check_privacy({"risk_marks": marks}, specs, "public", levels={"risk_marks": "aggregated"})
    # the workshop itself may print its own marks, only those given with consent
    sheet = render_sheet({"risk_marks": marks}, specs, privacy_level="community", date=DAY)
    texts = _texts(sheet.figure)
    assert any("CONFIDENȚIAL" in t for t in texts)
    assert f"{specs['risk_marks'].label('ro')} (1)" in texts  # the fire mark had no consent
    drawn = next(line for line in sheet.ax.lines if line.get_gid() == "layer-risk_marks")
    assert len(drawn.get_xdata()) == 1
    with pytest.raises(InputError, match="consent"):
        render_map({"risk_marks": marks.drop(columns="consent")}, specs, privacy_level="community")
    # a frame that says it holds less sensitive data (e.g. counts) may be printed publicly
    masked = marks.copy()
    masked.attrs["sensitivity"] = "public"
    check_privacy({"risk_marks": masked}, specs, "public")
    with pytest.raises(InputError, match="unknown privacy level"):
        check_privacy({"roads": layers["roads"]}, specs, "everyone")
    with pytest.raises(InputError, match="has no spec"):
        check_privacy({"mystery": marks}, specs, "confidential")


def test_pdf_embeds_fonts_with_romanian_letters(pata_rat_page):
    ARTIFACTS.mkdir(exist_ok=True)
    path = save_figure(pata_rat_page.figure, ARTIFACTS / "map_pata_rat.pdf")
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    w_mm = float(page.mediabox.width) / 72 * 25.4
    h_mm = float(page.mediabox.height) / 72 * 25.4
    assert (w_mm, h_mm) == pytest.approx((297, 210), abs=0.5)
    text = page.extract_text()
    assert "protecție sanitară" in text  # ț
    assert "Stații de transport public" in text  # ț
    assert "Depozite de deșeuri" in text  # ș
    fonts = page["/Resources"]["/Font"]
    embedded = [f.get_object()["/DescendantFonts"][0].get_object() for f in fonts.values()]
    assert embedded
    for font in embedded:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # TrueType program inside the PDF
        assert "DejaVu" in str(font["/BaseFont"])
    save_figure(pata_rat_page.figure, ARTIFACTS / "map_pata_rat.png", dpi=100)
    assert not list(ARTIFACTS.glob(".map_pata_rat*"))  # no temporary files left


def test_save_is_atomic(pata_rat_page, tmp_path, monkeypatch):
    target = tmp_path / "map.pdf"
    target.write_bytes(b"old")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", boom)
    with pytest.raises(OSError, match="disk full"):
        save_figure(pata_rat_page.figure, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["map.pdf"]
    with pytest.raises(InputError, match="does not exist"):
        save_figure(pata_rat_page.figure, tmp_path / "no" / "map.pdf")
    with pytest.raises(InputError, match=r"\.pdf, \.png or \.svg"):
        save_figure(pata_rat_page.figure, tmp_path / "map.docx")


def test_safety_plan_report_map_table_text(layers, specs):
    rep = Report(
        lang="ro",
        title="Plan de siguranță — Pata Rât",
        subtitle="Întâlnire cu poliția și asistenții sociali",
        privacy_level="police",
        date=DAY,
    )
    rep.add_map(
        layers={n: layers[n] for n in ("landfill", "settlements", "roads", "emergency_services")},
        specs=specs,
        title="Plan de siguranță — timpi de intervenție",
        orientation="landscape",
    )
    times = pd.DataFrame(
        {
            "comunitate": ["Cantonului", "Colectorului", "Dallas", "Rampa"],
            "poliție (min)": [7.5, 8.0, 9.25, 10.0],
            "ambulanță (min)": [9.0, 9.5, 11.0, 12.5],
            "gospodării": [None, 76, 1234, None],
        }
    )
    rep.add_table(times, "Timpi de intervenție estimați", note="Timpi pe rețeaua stradală.")
    rep.add_text(
        "Ipoteze și limite",
        [
            "Distanțele sunt măsurate în Stereo 70; timpii presupun viteze legale.",
            "- Datele despre incidente apar doar agregate.",
            "- Harta nu conține puncte de risc individuale.",
        ],
    )
    ARTIFACTS.mkdir(exist_ok=True)
    path = rep.save(ARTIFACTS / "report_safety_plan.pdf")
    png = rep.save_png(ARTIFACTS / "report_page1.png", page=0, dpi=100)
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 3
    first, second, third = (p.extract_text() for p in reader.pages)
    landscape = reader.pages[0].mediabox
    assert float(landscape.width) > float(landscape.height)
    assert float(reader.pages[1].mediabox.height) == pytest.approx(297 / 25.4 * 72, abs=0.5)
    assert "Plan de siguranță — timpi de intervenție" in first and "pagina 1/3" in first
    assert "RESTRICȚIONAT (întâlnire de siguranță)" in first
    assert "RESTRICTED (safety meeting) — do not share outside the meeting" in first
    assert "Timpi de intervenție estimați" in second and "pagina 2/3" in second
    # numbers in Romanian style, empty cells as a dash
    assert "9,25" in second and "1.234" in second and "—" in second
    assert "Ipoteze și limite" in third and "pagina 3/3" in third
    assert "Datele despre incidente apar doar agregate." in third
    assert "Data: 2026-11-25" in third
    meta = reader.metadata
    assert meta is not None and meta.title == "Plan de siguranță — Pata Rât"
    assert "privacy level: police" in (meta.subject or "")
    from PIL import Image

    with Image.open(png) as im:
        assert im.size == pytest.approx((297 / 25.4 * 100, 210 / 25.4 * 100), abs=1)


def test_long_table_is_paginated_with_every_row_once(tmp_path):
    n = 130
    df = pd.DataFrame({"id": [f"row-{i:03d}" for i in range(n)], "value": range(n)})
    rep = Report(lang="en", title="Long table", privacy_level="public", date=DAY)
    rep.add_table(df, "All rows")
    path = rep.save(tmp_path / "long.pdf")
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) >= 3
    texts = [p.extract_text() for p in reader.pages]
    joined = "\n".join(texts)
    for i in range(n):
        assert joined.count(f"row-{i:03d}") == 1
    for k, t in enumerate(texts):
        assert "value" in t  # header repeated on every page
        if k:
            assert "All rows (continued)" in t
    assert "rows 1–" in texts[0] and f"of {n}" in texts[-1]


def test_report_checks_privacy_of_what_goes_in(layers, specs):
    public = Report(lang="en", title="Public", privacy_level="public")
    fig = render_map({"roads": layers["roads"]}, specs, privacy_level="confidential")
    with pytest.raises(SensitivityError, match="privacy level 'confidential'"):
        public.add_map(fig)
    foreign = Figure()
    with pytest.raises(InputError, match="privacy_level="):
        public.add_map(foreign)
    public.add_map(foreign, privacy_level="public")
    table = pd.DataFrame({"x": [1]})
    table.attrs["sensitivity"] = "confidential"
    with pytest.raises(SensitivityError, match="confidential"):
        public.add_table(table, "Incidents")
    public.add_table(table, "Incidents per zone", level="aggregated")  # counts are fine
    police = Report(title="Safety plan", privacy_level="police")
    with pytest.raises(SensitivityError, match=r"confidential \(raw\)"):
        police.add_table(table, "Incidents")
    police.add_table(table, "Incidents, masked", level="masked")
    with pytest.raises(InputError, match="empty"):
        Report(title="Nothing").save("unused.pdf")
    with pytest.raises(InputError, match="unknown privacy level"):
        Report(privacy_level="secret")


def test_bilingual_text_and_draw_into_an_axes(layers, specs, tmp_path):
    rep = Report(lang="en", title="Council report", privacy_level="public", date=DAY)
    rep.add_bilingual(
        {"ro": "Ipoteze", "en": "Assumptions"},
        {"ro": ["Zona de protecție are 1.000 m."], "en": ["The protection zone is 1,000 m."]},
    )
    text = pypdf.PdfReader(rep.save(tmp_path / "bi.pdf")).pages[0].extract_text()
    assert text.index("Assumptions") < text.index("Ipoteze")  # report language first
    assert "Zona de protecție are 1.000 m." in text
    # render into an existing axes (e.g. a panel of a larger figure)
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    out = render_map({"settlements": layers["settlements"]}, specs, ax=ax, date=DAY)
    assert out is fig
    assert ax.get_legend() is not None
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig.savefig(tmp_path / "ax.png")
