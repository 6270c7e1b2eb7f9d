"""Printed maps and reports: A4/A3 PDF and PNG, offline, drawn with matplotlib.

A printed map is drawn in Stereo 70 (EPSG:3844) at a true, round scale
(1:2 500, 1:5 000, ...) so distances can be measured on the paper with a ruler.
It carries a legend styled from the layer specs, a scale bar, a north arrow,
the credits the data licences require ("© OpenStreetMap contributors",
"© CTP Cluj-Napoca"), the date and a footer stating the privacy level the
printout was made at. No base-map tiles are drawn: only the local layers, so
printing works without internet.

Every printout checks sensitivity with the rules of :mod:`pata_gis.privacy`:
the printout is made for an audience (its privacy level: ``"public"``,
``"police"`` for a safety-plan meeting, ``"planner"`` for project partners,
``"community"`` for the workshop itself; ``"restricted"`` and
``"confidential"`` are aliases of the last two), and a layer is printed only
at a level of detail that audience may see (:func:`check_privacy`): raw risk
marks only at the workshop, masked ones for the police, aggregated ones for
the public. Raw layers that record consent print only the consented features.

North arrow: the map is drawn on the Stereo 70 grid, so the arrow points to
grid north. At Pata Rât true north lies about 0.95° east of grid north (the
meridian convergence of Stereo 70, whose central meridian is 25° E); the
printed note states the value computed for the map centre.

Examples
--------
>>> import geopandas as gpd
>>> from pata_gis.specs import load_catalogue
>>> from pata_gis.printing import render_map, save_figure
>>> specs = load_catalogue()
>>> layers = {n: gpd.read_file(specs[n].bundled) for n in ("landfill", "settlements", "roads")}
>>> fig = render_map(layers, specs, title="Pata Rât", paper="A4", privacy_level="public")
>>> save_figure(fig, "pata_rat.pdf")  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
import os
import re
import tempfile
import textwrap
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch, Rectangle
from matplotlib.transforms import blended_transform_factory

from pata_gis import crs, privacy, settings
from pata_gis._errors import InputError, SensitivityError
from pata_gis.maps import CTP_CREDIT, OSM_CREDIT
from pata_gis.specs import SENSITIVITY_LEVELS, LayerSpec

if TYPE_CHECKING:
    from pata_gis.sheets import SheetGrid

__all__ = [
    "NICE_SCALES",
    "PAPER_MM",
    "PRIVACY_LEVELS",
    "MapSheet",
    "Report",
    "check_privacy",
    "credits_for",
    "grid_convergence",
    "map_frame_mm",
    "map_sheet",
    "nice_length",
    "nice_scale",
    "privacy_text",
    "render_map",
    "render_sheet",
    "save_figure",
    "text",
]

log = logging.getLogger(__name__)

#: Paper sizes in millimetres, portrait ``(width, height)``.
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}

#: Privacy level of a printout -> the role of :mod:`pata_gis.privacy` it is made for.
#: ``"restricted"`` and ``"confidential"`` are aliases of ``"planner"`` and
#: ``"community"`` (the sensitivity each may see raw).
PRIVACY_LEVELS: dict[str, str] = {
    "public": "public",
    "police": "police",
    "planner": "planner",
    "restricted": "planner",
    "community": "community",
    "confidential": "community",
}

#: Map scales (denominators) a printed map is drawn at: round numbers a ruler can use.
NICE_SCALES: tuple[int, ...] = (
    500,
    1000,
    1250,
    2000,
    2500,
    4000,
    5000,
    7500,
    10_000,
    12_500,
    15_000,
    20_000,
    25_000,
    40_000,
    50_000,
    75_000,
    100_000,
    150_000,
    200_000,
    250_000,
    500_000,
    1_000_000,
)

#: Page margin (mm).
MARGIN_MM: float = 10.0
#: Height of the title band (mm).
HEADER_MM: float = 20.0
#: Height of the footer (privacy band and sources, mm).
FOOTER_MM: float = 17.0
#: Background of the map frame (same paper tone as the on-screen maps).
MAP_BACKGROUND: str = "#f4f1ea"
#: Fonts: DejaVu Sans ships with matplotlib and has every Romanian letter (ă â î ș ț).
FONT_FAMILY: str = "DejaVu Sans"

_PRIVACY_COLORS = {
    "public": "#4d4d4d",
    "police": "#b35806",
    "planner": "#b35806",
    "restricted": "#b35806",
    "community": "#b2182b",
    "confidential": "#b2182b",
}

#: Words of the printouts by key and language ("ro" first; "en" is the fallback).
TEXT: dict[str, dict[str, str]] = {
    "legend": {"ro": "Legendă", "en": "Legend", "hu": "Jelmagyarázat"},
    "sources": {"ro": "Surse", "en": "Sources", "hu": "Források"},
    "date": {"ro": "Data", "en": "Date", "hu": "Dátum"},
    "page": {"ro": "pagina {i}/{n}", "en": "page {i}/{n}", "hu": "{i}/{n}. oldal"},
    "scale": {
        "ro": "Scara 1:{scale} la tipărire {paper} 100% · Stereo 70 (EPSG:3844)",
        "en": "Scale 1:{scale} when printed {paper} at 100% · Stereo 70 (EPSG:3844)",
        "hu": "Méretarány 1:{scale}, {paper} 100%-os nyomtatásnál · Stereo 70 (EPSG:3844)",
    },
    "north": {
        "ro": "Nord de rețea (Stereo 70); nordul geografic e la {deg:.1f}° spre {side}",
        "en": "Grid north (Stereo 70); true north is {deg:.1f}° {side}",
        "hu": "Hálózati észak (Stereo 70); a földrajzi észak {deg:.1f}° {side}",
    },
    "east": {"ro": "est", "en": "east", "hu": "kelet felé"},
    "west": {"ro": "vest", "en": "west", "hu": "nyugat felé"},
    "no_layers": {"ro": "Niciun strat", "en": "No layer", "hu": "Nincs réteg"},
    "made_with": {
        "ro": "realizat cu pata-gis",
        "en": "made with pata-gis",
        "hu": "készült a pata-gis eszközzel",
    },
    "continued": {"ro": "(continuare)", "en": "(continued)", "hu": "(folytatás)"},
    "rows": {
        "ro": "rândurile {a}–{b} din {n}",
        "en": "rows {a}–{b} of {n}",
        "hu": "{a}–{b}. sor, összesen {n}",
    },
    "privacy.public": {
        "ro": "PUBLIC — poate fi distribuit",
        "en": "PUBLIC — may be shared",
        "hu": "NYILVÁNOS — megosztható",
    },
    "privacy.police": {
        "ro": "RESTRICȚIONAT (întâlnire de siguranță) — nu se distribuie în afara întâlnirii",
        "en": "RESTRICTED (safety meeting) — do not share outside the meeting",
        "hu": "KORLÁTOZOTT (biztonsági megbeszélés) — ne ossza meg a megbeszélésen kívül",
    },
    "privacy.restricted": {
        "ro": "RESTRICȚIONAT — nu se distribuie în afara întâlnirii",
        "en": "RESTRICTED — do not share outside the meeting",
        "hu": "KORLÁTOZOTT — ne ossza meg a megbeszélésen kívül",
    },
    "privacy.planner": {
        "ro": "RESTRICȚIONAT (parteneri de proiect) — uz intern, nu se publică",
        "en": "RESTRICTED (project partners) — internal use, do not publish",
        "hu": "KORLÁTOZOTT (projektpartnerek) — belső használatra, nem nyilvános",
    },
    "privacy.community": {
        "ro": "CONFIDENȚIAL — doar pentru participanții atelierului; nu se copiază, nu se fotografiază",
        "en": "CONFIDENTIAL — workshop participants only; do not copy or photograph",
        "hu": "BIZALMAS — csak a műhely résztvevőinek; ne másolja, ne fényképezze",
    },
    "privacy.confidential": {
        "ro": "CONFIDENȚIAL — doar pentru participanții atelierului; nu se copiază, nu se fotografiază",
        "en": "CONFIDENTIAL — workshop participants only; do not copy or photograph",
        "hu": "BIZALMAS — csak a műhely résztvevőinek; ne másolja, ne fényképezze",
    },
}

_MARKERS = {
    "graduation-cap": "s",
    "child": "D",
    "medkit": "P",
    "users": "h",
    "shield": "^",
    "bus": "o",
    "briefcase": "p",
    "bolt": "X",
    "exclamation-triangle": "v",
}

# figure -> what was drawn on it (privacy level, scale, ...); see map_sheet()
_SHEETS: weakref.WeakKeyDictionary[Figure, MapSheet] = weakref.WeakKeyDictionary()


def text(key: str, lang: str | None = None, **fmt: object) -> str:
    """The printout word `key` in `lang` (falls back to English, then Romanian)."""
    lang = lang or settings.language
    entry = TEXT[key]
    s = entry.get(lang) or entry.get("en") or entry["ro"]
    return s.format(**fmt) if fmt else s


def _rc() -> contextlib.AbstractContextManager[None]:
    # TrueType (type 42) embedding keeps the text of the PDF extractable and
    # searchable, with ș/ț as real characters (Type 3 fonts lose them).
    return matplotlib.rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": [FONT_FAMILY],
            "pdf.fonttype": 42,
            "ps.fonttype": 42,
            "svg.fonttype": "none",
            "axes.unicode_minus": True,
        }
    )


# --------------------------------------------------------------------------------------
# Privacy
# --------------------------------------------------------------------------------------


def _role(privacy_level: str) -> str:
    try:
        return PRIVACY_LEVELS[privacy_level]
    except KeyError:
        raise InputError(
            f"unknown privacy level {privacy_level!r}; use one of {sorted(PRIVACY_LEVELS)}"
        ) from None


def _privacy_rank(privacy_level: str) -> int:
    """0 public, 1 police/planner/restricted, 2 community/confidential."""
    return SENSITIVITY_LEVELS.index(privacy.clearance(_role(privacy_level)))


def _layer_sensitivity(name: str, gdf: gpd.GeoDataFrame, spec: LayerSpec) -> str:
    level = gdf.attrs.get("sensitivity", spec.sensitivity)
    if level not in SENSITIVITY_LEVELS:
        raise InputError(
            f"layer {name!r}: attrs['sensitivity'] is {level!r}; use one of {SENSITIVITY_LEVELS}"
        )
    return str(level)


def privacy_text(privacy_level: str, lang: str | None = None) -> str:
    """The footer line for `privacy_level`: in `lang`, then in English (after Romanian)
    or Romanian (after English or Hungarian), so everyone at a Cluj meeting can read it."""
    _privacy_rank(privacy_level)
    lang = lang or settings.language
    own = text(f"privacy.{privacy_level}", lang)
    other = text(f"privacy.{privacy_level}", "en" if lang == "ro" else "ro")
    return own if own == other else f"{own} / {other}"


def check_privacy(
    layers: Mapping[str, gpd.GeoDataFrame],
    specs: Mapping[str, LayerSpec],
    privacy_level: str,
    *,
    levels: Mapping[str, str] | None = None,
) -> None:
    """Refuse any layer the printout's audience may not see at its level of detail.

    The rule is :func:`pata_gis.privacy.can_see`: the audience's role (see
    :data:`PRIVACY_LEVELS`), the layer's sensitivity and the level of detail
    given (``"raw"`` unless `levels` says otherwise). So the police may get
    risk marks only masked or aggregated, the public only aggregated.

    Parameters
    ----------
    layers : dict of str to GeoDataFrame
    specs : dict of str to LayerSpec
    privacy_level : str
        A key of :data:`PRIVACY_LEVELS`.
    levels : dict of str to str, optional
        Layer name -> level of detail of what is passed, as returned by
        :func:`pata_gis.privacy.view_for` (``"raw"``, ``"masked"``,
        ``"aggregated"``). A frame may also carry ``attrs["sensitivity"]``
        when what it holds is less sensitive than its spec says.

    Raises
    ------
    InputError
        When a layer has no spec, or a privacy level or level is unknown.
    SensitivityError
        When a layer may not be printed at `privacy_level`.
    """
    role = _role(privacy_level)
    for name, gdf in layers.items():
        if name not in specs:
            raise InputError(
                f"layer {name!r} has no spec; pass its LayerSpec in `specs` "
                "(the spec says how to draw it and how sensitive it is)"
            )
        sens = _layer_sensitivity(name, gdf, specs[name])
        detail = (levels or {}).get(name, "raw")
        if not privacy.can_see(role, sens, level=detail):
            allowed = privacy.max_level(role, sens)
            raise SensitivityError(
                f"layer {name!r} is {sens} and may not be printed {detail} at privacy level "
                f"{privacy_level!r} (at most {allowed}); leave it out, pass the view of "
                f"pata_gis.privacy.view_for({role!r}, ...) with levels={{{name!r}: level}}, "
                "or print at a stricter privacy level"
            )


# --------------------------------------------------------------------------------------
# Scale, scale bar, north
# --------------------------------------------------------------------------------------


def nice_scale(width_m: float, height_m: float, frame_w_mm: float, frame_h_mm: float) -> int:
    """The largest scale of :data:`NICE_SCALES` at which a box fits a frame.

    Parameters
    ----------
    width_m, height_m : float
        Size of the ground box (metres).
    frame_w_mm, frame_h_mm : float
        Size of the map frame on paper (millimetres).

    Returns
    -------
    int
        The scale denominator (``5000`` for 1:5 000).
    """
    need = max(width_m / frame_w_mm, height_m / frame_h_mm) * 1000.0
    for s in NICE_SCALES:
        if s >= need:
            return s
    return math.ceil(need / 1_000_000) * 1_000_000


def nice_length(max_m: float) -> float:
    """The longest 1, 2 or 5 × 10^n metres not longer than `max_m` (a scale-bar length)."""
    if max_m <= 0 or not math.isfinite(max_m):
        raise InputError(f"scale bar: the room available must be a positive length, got {max_m}")
    exp = math.floor(math.log10(max_m))
    best = 10.0**exp
    for m in (1.0, 2.0, 5.0, 10.0):
        if m * 10.0**exp <= max_m * (1 + 1e-9):
            best = m * 10.0**exp
    return best


def _length_label(m: float) -> str:
    if m >= 1000:
        km = m / 1000
        return f"{km:g} km"
    return f"{m:g} m"


def grid_convergence(x: float, y: float) -> float:
    """Angle (degrees) from grid north to true north at EPSG:3844 point (x, y); + = east."""
    lon, lat = crs.metric_to_lonlat(np.array([x]), np.array([y]))
    xs, ys = crs.lonlat_to_metric(
        np.array([lon[0], lon[0]]), np.array([lat[0] - 0.005, lat[0] + 0.005])
    )
    return float(np.degrees(np.arctan2(xs[1] - xs[0], ys[1] - ys[0])))


def _draw_scale_bar(ax: Axes, extent: tuple[float, float, float, float]) -> float:
    minx, miny, maxx, maxy = extent
    width = maxx - minx
    length = nice_length(0.22 * width)
    n = 4 if length / 10 ** math.floor(math.log10(length)) in (2.0, 4.0) else 5
    if length / 10 ** math.floor(math.log10(length)) == 1.0:
        n = 4
    seg = length / n
    height = 0.012 * (maxy - miny)
    x0 = minx + 0.04 * width
    y0 = miny + 0.05 * (maxy - miny)
    ax.add_patch(
        Rectangle(
            (x0 - 0.015 * width, y0 - 2.2 * height),
            length + 0.05 * width,
            5.6 * height,
            facecolor="white",
            edgecolor="none",
            alpha=0.85,
            zorder=20,
            gid="scale-bar-background",
        )
    )
    for i in range(n):
        ax.add_patch(
            Rectangle(
                (x0 + i * seg, y0),
                seg,
                height,
                facecolor="black" if i % 2 == 0 else "white",
                edgecolor="black",
                linewidth=0.6,
                zorder=21,
                gid=f"scale-bar-segment-{i}",
            )
        )
    ax.text(x0, y0 + 1.5 * height, "0", ha="center", va="bottom", fontsize=7, zorder=22)
    ax.text(
        x0 + length,
        y0 + 1.5 * height,
        _length_label(length),
        ha="center",
        va="bottom",
        fontsize=7.5,
        fontweight="bold",
        zorder=22,
        gid="scale-bar-label",
    )
    return length


def _draw_north_arrow(ax: Axes, convergence: float, lang: str) -> None:
    # grid north: straight up the sheet, in axes coordinates (top right corner)
    x, y = 0.955, 0.86
    ax.add_patch(
        FancyArrow(
            x,
            y,
            0,
            0.07,
            width=0.012,
            head_width=0.035,
            head_length=0.035,
            length_includes_head=True,
            transform=ax.transAxes,
            facecolor="black",
            edgecolor="white",
            linewidth=0.8,
            zorder=22,
            gid="north-arrow",
        )
    )
    ax.text(
        x,
        y - 0.01,
        "N",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=12,
        fontweight="bold",
        zorder=22,
        path_effects=[patheffects.withStroke(linewidth=3, foreground="white")],
    )


def _north_note(convergence: float, lang: str) -> str:
    side = text("east" if convergence >= 0 else "west", lang)
    return text("north", lang, deg=abs(convergence), side=side)


# --------------------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------------------


_OSM_WORDS = re.compile(r"openstreetmap|\bosm\b|odbl", re.IGNORECASE)
_CTP_WORDS = re.compile(r"\bctp\b|gtfs|transport public cluj", re.IGNORECASE)


def credits_for(
    layers: Mapping[str, gpd.GeoDataFrame], specs: Mapping[str, LayerSpec]
) -> list[str]:
    """The credits the shown layers' licences require: OSM first, then CTP, then others.

    Read from each spec's source ``name``, ``url``, ``license`` and
    ``attribution`` and from the features' ``source`` values (not from the
    accuracy note, which may merely suggest OSM as a better source).
    """
    credits: list[str] = []
    extra: list[str] = []
    for name, gdf in layers.items():
        spec = specs[name]
        words = " ".join(str(v) for k, v in spec.source.items() if k != "accuracy")
        if "source" in gdf.columns and len(gdf):
            words += " " + " ".join(pd.unique(gdf["source"].dropna().astype(str)))
        if _OSM_WORDS.search(words) and OSM_CREDIT not in credits:
            credits.append(OSM_CREDIT)
        if (name == "transit_stops" or _CTP_WORDS.search(words)) and CTP_CREDIT not in credits:
            credits.append(CTP_CREDIT)
        attribution = spec.source.get("attribution", "").strip()
        if attribution and not (_OSM_WORDS.search(attribution) or _CTP_WORDS.search(attribution)):
            extra.append(attribution)
    credits.sort(key=lambda c: c != OSM_CREDIT)
    return list(dict.fromkeys(credits + extra))


def _consented(
    layers: Mapping[str, gpd.GeoDataFrame],
    specs: Mapping[str, LayerSpec],
    levels: Mapping[str, str] | None,
) -> dict[str, gpd.GeoDataFrame]:
    """Raw layers whose spec records consent keep only the consented features."""
    out: dict[str, gpd.GeoDataFrame] = {}
    for name, gdf in layers.items():
        raw = (levels or {}).get(name, "raw") == "raw"
        if raw and ("consent" in specs[name].field_names or "consent" in gdf.columns):
            gdf = privacy.honour_consent(gdf, name=name)
        out[name] = gdf
    return out


def _geom_order(spec: LayerSpec) -> int:
    return {"polygon": 0, "line": 1, "point": 2}.get(spec.geometry, 3)


def _lw(weight: Any) -> float:
    # Leaflet weights are screen pixels; on paper 1 px ~ 0.5 pt reads the same
    return max(0.4, 0.55 * float(weight))


def _draw_layer(
    ax: Axes, name: str, gdf: gpd.GeoDataFrame, spec: LayerSpec, lang: str, zorder: float
) -> Artistlike | None:
    style = spec.style
    color = style.get("color", "#3367d6")
    fill = style.get("fill_color", color)
    dashed = bool(style.get("dash_array"))
    gdf = gdf[~gdf.geometry.isna() & ~gdf.geometry.is_empty]
    if spec.geometry == "polygon":
        alpha = float(style.get("fill_opacity", 0.35))
        lw = _lw(style.get("weight", 1.5))
        if len(gdf):
            gdf.plot(
                ax=ax,
                facecolor=fill,
                edgecolor="none",
                alpha=alpha,
                zorder=zorder,
                gid=f"layer-{name}",
            )
            gdf.boundary.plot(
                ax=ax, color=color, linewidth=lw, linestyle="--" if dashed else "-", zorder=zorder
            )
        return Patch(
            facecolor=matplotlib.colors.to_rgba(fill, max(alpha, 0.3)),
            edgecolor=color,
            linewidth=lw,
            linestyle="--" if dashed else "-",
        )
    if spec.geometry == "line":
        lw = _lw(style.get("weight", 3))
        if len(gdf):
            gdf.plot(
                ax=ax,
                color="white",
                linewidth=lw + 1.2,
                zorder=zorder - 0.1,
            )
            gdf.plot(
                ax=ax,
                color=color,
                linewidth=lw,
                linestyle="--" if dashed else "-",
                zorder=zorder,
                gid=f"layer-{name}",
            )
        return Line2D([], [], color=color, linewidth=lw, linestyle="--" if dashed else "-")
    marker = _MARKERS.get(str(style.get("icon", "")), "o")
    size = max(4.0, float(style.get("radius", 6)) * 0.9)
    if len(gdf):
        pts = gdf.geometry.representative_point()
        ax.plot(
            pts.x.to_numpy(),
            pts.y.to_numpy(),
            linestyle="none",
            marker=marker,
            markersize=size,
            markerfacecolor=fill,
            markeredgecolor="white",
            markeredgewidth=0.8,
            zorder=zorder,
            gid=f"layer-{name}",
        )
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=marker,
        markersize=size,
        markerfacecolor=fill,
        markeredgecolor="white",
        markeredgewidth=0.8,
    )


Artistlike = Patch | Line2D


def _label_polygons(
    ax: Axes,
    gdf: gpd.GeoDataFrame,
    extent: tuple[float, float, float, float],
    placed: list[Any],
) -> None:
    """Write each polygon's name inside it, or beside it when that would overlap a
    name already written; leave it out when no place is free (`placed` collects the
    written labels' boxes)."""
    if "name" not in gdf.columns:
        return
    fig = ax.get_figure()
    renderer = getattr(getattr(fig, "canvas", None), "get_renderer", lambda: None)()
    box = shapely.box(*extent)
    frame = ax.get_window_extent(renderer) if renderer is not None else None
    for geom, name in zip(gdf.geometry, gdf["name"], strict=True):
        if geom is None or geom.is_empty or pd.isna(name) or not geom.intersects(box):
            continue
        part = geom.intersection(box)
        p = part.representative_point()
        gx0, gy0, gx1, gy1 = part.bounds
        gap = 0.006 * (extent[2] - extent[0])
        candidates = [
            (p.x, p.y, "center", "center"),
            (gx1 + gap, p.y, "left", "center"),
            (gx0 - gap, p.y, "right", "center"),
            (p.x, gy1 + gap, "center", "bottom"),
            (p.x, gy0 - gap, "center", "top"),
        ]
        for x, y, ha, va in candidates:
            label = ax.text(
                x,
                y,
                str(name),
                ha=ha,
                va=va,
                fontsize=9,
                fontweight="bold",
                color="#222222",
                zorder=30,
                clip_on=True,
                path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")],
            )
            if renderer is None or frame is None:
                break
            bb = label.get_window_extent(renderer).expanded(1.05, 1.1)
            inside = frame.contains(bb.x0, bb.y0) and frame.contains(bb.x1, bb.y1)
            if inside and not any(bb.overlaps(other) for other in placed):
                placed.append(bb)
                break
            label.remove()
        else:
            log.debug("label %r left out: no free place", name)


def _furniture_boxes(ax: Axes) -> list[Any]:
    """Display boxes of the scale bar's background and the north arrow."""
    fig = ax.get_figure()
    renderer = getattr(getattr(fig, "canvas", None), "get_renderer", lambda: None)()
    if renderer is None:
        return []
    return [
        p.get_window_extent(renderer)
        for p in ax.patches
        if p.get_gid() in ("scale-bar-background", "north-arrow")
    ]


def _extent_of(layers: Mapping[str, gpd.GeoDataFrame]) -> tuple[float, float, float, float]:
    boxes = [g.total_bounds for g in layers.values() if len(g) and not g.geometry.is_empty.all()]
    if not boxes:
        raise InputError(
            "nothing to print: every layer is empty; pass `extent=(minx, miny, maxx, maxy)` "
            "in EPSG:3844 or a layer with features"
        )
    b = np.array(boxes)
    minx, miny = b[:, 0].min(), b[:, 1].min()
    maxx, maxy = b[:, 2].max(), b[:, 3].max()
    pad = max(maxx - minx, maxy - miny, 200.0) * 0.05
    return (float(minx - pad), float(miny - pad), float(maxx + pad), float(maxy + pad))


# --------------------------------------------------------------------------------------
# The map sheet
# --------------------------------------------------------------------------------------


@dataclass
class MapSheet:
    """A rendered map page and what it shows.

    Attributes
    ----------
    figure : Figure
        The page (its size is the paper size).
    ax : Axes
        The map frame, in EPSG:3844 metres.
    panel : Axes or None
        The side (landscape) or bottom (portrait) panel holding the legend;
        ``panel_free`` is the axes-fraction height left free below the legend
        and ``legend_right`` the axes-fraction x of its right edge.
    extent : tuple
        ``(minx, miny, maxx, maxy)`` shown, EPSG:3844.
    scale : int
        Scale denominator at 100% printing (``5000`` = 1:5 000).
    scale_bar_m : float
        Length of the scale bar in metres.
    convergence_deg : float
        Grid north to true north at the map centre (+ = east).
    paper, orientation, privacy_level, lang : str
        How the page was made.
    credits : list of str
        The source and licence credits printed.
    layers : list of str
        The layers drawn, in drawing order.
    """

    figure: Figure
    ax: Axes
    panel: Axes | None
    extent: tuple[float, float, float, float]
    scale: int
    scale_bar_m: float
    convergence_deg: float
    paper: str
    orientation: str
    privacy_level: str
    lang: str
    credits: list[str] = field(default_factory=list)
    layers: list[str] = field(default_factory=list)
    panel_free: float = 1.0
    legend_right: float = 0.0


def map_sheet(fig: Figure) -> MapSheet | None:
    """What :func:`render_sheet` drew on `fig` (None for a figure made elsewhere)."""
    return _SHEETS.get(fig)


def _page_mm(paper: str, orientation: str) -> tuple[float, float]:
    if paper not in PAPER_MM:
        raise InputError(f"paper {paper!r} is not supported; use one of {sorted(PAPER_MM)}")
    if orientation not in ("portrait", "landscape"):
        raise InputError(f"orientation {orientation!r}: use 'portrait' or 'landscape'")
    w, h = PAPER_MM[paper]
    return (h, w) if orientation == "landscape" else (w, h)


def _new_page(paper: str, orientation: str) -> tuple[Figure, float, float]:
    w, h = _page_mm(paper, orientation)
    with _rc():
        fig = Figure(figsize=(w / 25.4, h / 25.4), facecolor="white")
    FigureCanvasAgg(fig)
    return fig, w, h


def _layout_mm(
    paper: str, orientation: str, *, grid: bool, panel_mm: float | None = None
) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
    """Map frame and panel boxes ``(x, top, width, height)`` in mm from the page's top left."""
    w, h = _page_mm(paper, orientation)
    body_top = MARGIN_MM + HEADER_MM
    body_h = h - body_top - MARGIN_MM - FOOTER_MM - 2.0
    body_w = w - 2 * MARGIN_MM
    pad = 7.0 if grid else 0.0  # grid labels need room outside the frame
    if orientation == "landscape":
        panel_w = panel_mm or max(70.0, 0.26 * body_w)
        frame = (MARGIN_MM + pad, body_top + pad, body_w - panel_w - 4 - 2 * pad, body_h - 2 * pad)
        panel = (w - MARGIN_MM - panel_w, body_top, panel_w, body_h)
    else:
        panel_h = panel_mm or max(55.0, 0.24 * body_h)
        frame = (MARGIN_MM + pad, body_top + pad, body_w - 2 * pad, body_h - panel_h - 4 - 2 * pad)
        panel = (MARGIN_MM, body_top + body_h - panel_h, body_w, panel_h)
    return frame, panel


def map_frame_mm(
    paper: str, orientation: str, *, grid: bool = False, panel_mm: float | None = None
) -> tuple[float, float]:
    """Width and height (mm) of the map frame of a page (before fitting a grid)."""
    frame, _ = _layout_mm(paper, orientation, grid=grid, panel_mm=panel_mm)
    return frame[2], frame[3]


def _rect(
    fig_w: float, fig_h: float, x: float, top: float, w: float, h: float
) -> tuple[float, float, float, float]:
    """Figure-fraction rectangle of a box given in mm from the page's top-left corner."""
    return (x / fig_w, (fig_h - top - h) / fig_h, w / fig_w, h / fig_h)


def _draw_footer(
    fig: Figure,
    w: float,
    h: float,
    *,
    privacy_level: str,
    lang: str,
    lines: Sequence[str],
    date: dt.date,
    page: str | None = None,
) -> None:
    color = _PRIVACY_COLORS.get(privacy_level, "#4d4d4d")
    band_top = h - MARGIN_MM - FOOTER_MM
    notice = privacy_text(privacy_level, lang)
    # 8.5 pt bold DejaVu Sans: about 1.75 mm a character; split ro / en when too long
    band_lines = [notice]
    if len(notice) * 1.75 > w - 2 * MARGIN_MM - 4 and " / " in notice:
        band_lines = notice.split(" / ", 1)
    band_h = 2.2 + 3.8 * len(band_lines)
    fig.patches.append(
        Rectangle(
            (MARGIN_MM / w, (h - band_top - band_h) / h),
            (w - 2 * MARGIN_MM) / w,
            band_h / h,
            transform=fig.transFigure,
            facecolor=color,
            edgecolor="none",
            gid="privacy-band",
        )
    )
    for k, line in enumerate(band_lines):
        fig.text(
            MARGIN_MM / w + 0.005,
            (h - band_top - 1.1 - 3.8 * (k + 0.5)) / h,
            line,
            color="white",
            fontsize=8.5 if len(band_lines) == 1 else 8,
            fontweight="bold",
            va="center",
            ha="left",
            gid="privacy-text",
        )
    right = f"{text('date', lang)}: {date.isoformat()}"
    if page:
        right += f" · {page}"
    fig.text(
        (w - MARGIN_MM) / w,
        (h - band_top - band_h - 3.2) / h,
        right,
        color="#111111",
        fontsize=8,
        fontweight="bold",
        va="center",
        ha="right",
        gid="footer-date",
    )
    wrap = max(40, int((w - 2 * MARGIN_MM - 40.0) / 1.45))
    y = band_top + band_h + 3.2
    for line in lines:
        for part in textwrap.wrap(line, wrap) or [""]:
            if y > h - 6.0:  # most printers print to 5 mm from the edge
                break
            fig.text(MARGIN_MM / w, (h - y) / h, part, fontsize=6.5, color="#333333", va="center")
            y += 3.0


def render_sheet(
    layers: Mapping[str, gpd.GeoDataFrame],
    specs: Mapping[str, LayerSpec],
    *,
    extent: tuple[float, float, float, float] | None = None,
    paper: str = "A4",
    orientation: str = "landscape",
    title: str = "",
    subtitle: str = "",
    lang: str | None = None,
    privacy_level: str = "public",
    sources: Sequence[str] | None = None,
    grid: SheetGrid | None = None,
    scale: int | None = None,
    date: dt.date | None = None,
    label_layers: Sequence[str] = ("settlements", "candidate_sites"),
    footer_level: str | None = None,
    levels: Mapping[str, str] | None = None,
    panel_mm: float | None = None,
    header_right_mm: float = 0.0,
    legend_size: float = 8.5,
    ax: Axes | None = None,
) -> MapSheet:
    """Draw a printable map page; return it with what it shows (scale, extent, ...).

    See :func:`render_map` (which returns only the figure) for the parameters.
    ``scale`` forces a scale denominator (the map must fit the frame at it);
    ``label_layers`` names the polygon layers whose ``name`` is written on the map.
    ``footer_level`` is the privacy level stated in the footer when it must be
    stricter than what is drawn (a blank workshop sheet shows public layers but
    is confidential once residents fill it in). ``levels`` is as in
    :func:`check_privacy`. Layout: ``panel_mm`` is the width (landscape) or
    height (portrait) of the legend panel, ``header_right_mm`` the room kept
    free right of the title, ``legend_size`` the legend's font size (pt).

    Returns
    -------
    MapSheet
    """
    lang = lang or settings.language
    date = date or dt.date.today()
    check_privacy(layers, specs, privacy_level, levels=levels)
    layers = _consented(layers, specs, levels)
    footer_level = footer_level or privacy_level
    if _privacy_rank(footer_level) < _privacy_rank(privacy_level):
        raise InputError(
            f"footer_level {footer_level!r} is more open than privacy_level {privacy_level!r}; "
            "the footer may only state a stricter level"
        )
    metric = {name: crs.to_metric(gdf, name=name) for name, gdf in layers.items()}
    order = sorted(metric, key=lambda n: _geom_order(specs[n]))
    if grid is not None:
        extent = grid.bounds
    if extent is None:
        extent = _extent_of(metric)
    minx, miny, maxx, maxy = (float(v) for v in extent)
    if not (maxx > minx and maxy > miny):
        raise InputError(f"extent {extent} is empty; give (minx, miny, maxx, maxy) in EPSG:3844")

    panel: Axes | None = None
    with _rc():
        if ax is None:
            fig, w, h = _new_page(paper, orientation)
            frame, panel_box = _layout_mm(
                paper, orientation, grid=grid is not None, panel_mm=panel_mm
            )
            fx, ftop, fw, fh = frame
            if scale is None:
                scale = nice_scale(maxx - minx, maxy - miny, fw, fh)
            # the frame shows the extent at exactly `scale`; without a grid the
            # extent grows to fill the frame, with one the frame shrinks to the grid
            if grid is None:
                cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
                half_w, half_h = fw * scale / 2000.0, fh * scale / 2000.0
                minx, maxx, miny, maxy = cx - half_w, cx + half_w, cy - half_h, cy + half_h
            else:
                gw, gh = (maxx - minx) * 1000.0 / scale, (maxy - miny) * 1000.0 / scale
                if gw > fw + 0.01 or gh > fh + 0.01:
                    raise InputError(
                        f"the grid ({maxx - minx:.0f} x {maxy - miny:.0f} m) does not fit the "
                        f"{paper} {orientation} frame at 1:{scale}; use a smaller scale or paper"
                    )
                fx, ftop = fx + (fw - gw) / 2, ftop + (fh - gh) / 2
                fw, fh = gw, gh
            ax = fig.add_axes(_rect(w, h, fx, ftop, fw, fh), label="map")
            panel = fig.add_axes(_rect(w, h, *panel_box), label="panel")
            panel.set_axis_off()
            own_page = True
        else:
            fig = ax.get_figure()  # type: ignore[assignment]
            if scale is None:
                bbox = ax.get_position()
                fw_mm = bbox.width * fig.get_figwidth() * 25.4
                fh_mm = bbox.height * fig.get_figheight() * 25.4
                scale = nice_scale(maxx - minx, maxy - miny, fw_mm, fh_mm)
            own_page = False
            w = h = 0.0

        ax.set_facecolor(MAP_BACKGROUND)
        handles: list[tuple[Any, str]] = []
        for i, name in enumerate(order):
            spec = specs[name]
            handle = _draw_layer(ax, name, metric[name], spec, lang, zorder=2 + i)
            if handle is not None:
                handles.append((handle, f"{spec.label(lang)} ({len(metric[name])})"))
        ax.set_xlim(minx, maxx)
        ax.set_ylim(miny, maxy)
        ax.set_aspect("equal", adjustable="box" if own_page else "datalim")
        if grid is not None:
            _draw_grid(ax, grid)
        bar = _draw_scale_bar(ax, (minx, miny, maxx, maxy))
        conv = grid_convergence((minx + maxx) / 2, (miny + maxy) / 2)
        _draw_north_arrow(ax, conv, lang)
        # names never hide the scale bar or the north arrow
        placed: list[Any] = _furniture_boxes(ax)
        for name in order:
            if name in label_layers and specs[name].geometry == "polygon":
                _label_polygons(ax, metric[name], (minx, miny, maxx, maxy), placed)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("")
        ax.set_ylabel("")
        for spine in ax.spines.values():
            spine.set_linewidth(1.0)

        credits = credits_for(metric, specs) if metric else []
        for s in sources or ():
            if s not in credits:
                credits.append(s)

        sheet = MapSheet(
            figure=fig,
            ax=ax,
            panel=panel,
            extent=(minx, miny, maxx, maxy),
            scale=int(scale),
            scale_bar_m=bar,
            convergence_deg=conv,
            paper=paper,
            orientation=orientation,
            privacy_level=privacy_level,
            lang=lang,
            credits=credits,
            layers=order,
        )
        if own_page:
            room = w - 2 * MARGIN_MM - header_right_mm
            if title:
                # bold DejaVu Sans: about 0.23 mm a character per point
                size = min(17.0, max(10.0, room / (0.23 * max(len(title), 1))))
                fig.text(
                    MARGIN_MM / w,
                    (h - MARGIN_MM - 6.5) / h,
                    title,
                    fontsize=size,
                    fontweight="bold",
                    va="center",
                    gid="title",
                )
            if subtitle:
                size = 10.0 if len(subtitle) * 0.2 * 10 <= room else 8.5
                lines_sub = textwrap.wrap(subtitle, max(20, int(room / (0.2 * size))))[:2]
                fig.text(
                    MARGIN_MM / w,
                    (h - MARGIN_MM - (14.5 if len(lines_sub) == 1 else 16.0)) / h,
                    "\n".join(lines_sub),
                    fontsize=size,
                    color="#444444",
                    va="center",
                    linespacing=1.15,
                    gid="subtitle",
                )
            assert panel is not None
            sheet.panel_free, sheet.legend_right = _draw_legend(
                panel, handles, lang, size=legend_size
            )
            lines = [
                f"{text('sources', lang)}: " + ("; ".join(credits) if credits else "—"),
                text("scale", lang, scale=f"{int(scale):,}".replace(",", " "), paper=paper)
                + " · "
                + _north_note(conv, lang)
                + " · "
                + text("made_with", lang),
            ]
            _draw_footer(fig, w, h, privacy_level=footer_level, lang=lang, lines=lines, date=date)
        else:
            if handles:
                ax.legend(
                    [hh for hh, _ in handles],
                    [lab for _, lab in handles],
                    loc="upper left",
                    fontsize=7,
                    framealpha=0.9,
                    title=text("legend", lang),
                )
    _SHEETS[fig] = sheet
    log.info(
        "printed map: %s %s at 1:%s, %d layers, privacy %s",
        paper,
        orientation,
        scale,
        len(order),
        privacy_level,
    )
    return sheet


def _draw_legend(
    panel: Axes, handles: list[tuple[Any, str]], lang: str, *, size: float = 8.5
) -> tuple[float, float]:
    """Legend at the top left of the panel; return where it ends (axes fractions:
    the y free below it, the x of its right edge)."""
    if not handles:
        panel.text(0, 1, text("no_layers", lang), va="top", fontsize=9, transform=panel.transAxes)
        return 0.93, 0.3
    leg = panel.legend(
        [hh for hh, _ in handles],
        [textwrap.fill(lab, int(34 * 8.5 / size)) for _, lab in handles],
        loc="upper left",
        bbox_to_anchor=(0, 1),
        frameon=False,
        fontsize=size,
        title=text("legend", lang),
        title_fontproperties={"weight": "bold", "size": size + 2.5},
        alignment="left",
        handlelength=2.2,
        labelspacing=0.7 if size >= 8 else 0.45,
        borderaxespad=0.0,
    )
    leg.set_gid("legend")
    fig = panel.get_figure()
    assert isinstance(fig, Figure)
    renderer = (
        FigureCanvasAgg(fig).get_renderer()
        if not isinstance(fig.canvas, FigureCanvasAgg)
        else fig.canvas.get_renderer()
    )
    bb = leg.get_window_extent(renderer).transformed(panel.transAxes.inverted())
    return float(bb.y0) - 0.02, float(bb.x1)


def _draw_grid(ax: Axes, grid: SheetGrid) -> None:
    minx, miny, maxx, maxy = grid.bounds
    cell = grid.cell_size
    for i in range(grid.n_cols + 1):
        x = minx + i * cell
        ax.plot([x, x], [miny, maxy], color="#1a1a1a", linewidth=0.7, alpha=0.75, zorder=15)
    for j in range(grid.n_rows + 1):
        y = maxy - j * cell
        ax.plot([minx, maxx], [y, y], color="#1a1a1a", linewidth=0.7, alpha=0.75, zorder=15)
    top = blended_transform_factory(ax.transData, ax.transAxes)
    side = blended_transform_factory(ax.transAxes, ax.transData)
    big: dict[str, Any] = {
        "fontsize": 12,
        "fontweight": "bold",
        "color": "#111111",
        "clip_on": False,
    }
    for i in range(grid.n_cols):
        x = minx + (i + 0.5) * cell
        label = grid.column_label(i)
        ax.text(x, 1.008, label, transform=top, ha="center", va="bottom", **big)
        ax.text(x, -0.008, label, transform=top, ha="center", va="top", **big)
    for j in range(grid.n_rows):
        y = maxy - (j + 0.5) * cell
        ax.text(-0.006, y, str(j + 1), transform=side, ha="right", va="center", **big)
        ax.text(1.006, y, str(j + 1), transform=side, ha="left", va="center", **big)
    # a small, faint cell name in each cell's top-left corner helps reading it back
    off = cell * 0.06
    for i in range(grid.n_cols):
        for j in range(grid.n_rows):
            ax.text(
                minx + i * cell + off,
                maxy - j * cell - off,
                f"{grid.column_label(i)}{j + 1}",
                ha="left",
                va="top",
                fontsize=6,
                color="#555555",
                alpha=0.8,
                zorder=16,
            )


def render_map(
    layers: Mapping[str, gpd.GeoDataFrame],
    specs: Mapping[str, LayerSpec],
    *,
    extent: tuple[float, float, float, float] | None = None,
    paper: str = "A4",
    orientation: str = "landscape",
    title: str = "",
    subtitle: str = "",
    lang: str | None = None,
    privacy_level: str = "public",
    sources: Sequence[str] | None = None,
    grid: SheetGrid | None = None,
    scale: int | None = None,
    date: dt.date | None = None,
    levels: Mapping[str, str] | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw the local layers as a printable map page at a true metric scale.

    Parameters
    ----------
    layers : dict of str to GeoDataFrame
        Layer name -> features (any plausible CRS; drawn in EPSG:3844). Drawn
        polygons first, then lines, then points.
    specs : dict of str to LayerSpec
        The spec of every layer: style, title, sources and sensitivity.
    extent : tuple, optional
        ``(minx, miny, maxx, maxy)`` in EPSG:3844 to show at least; default all
        layers with a 5% margin. The map frame is filled at the chosen scale.
    paper : {"A4", "A3"}
    orientation : {"landscape", "portrait"}
    title, subtitle : str
        Printed at the top of the page.
    lang : str, optional
        ``"ro"`` or ``"en"`` (``"hu"`` falls back to English for printout
        words); default :data:`pata_gis.settings.language`. Layer titles come
        from the specs.
    privacy_level : {"public", "police", "planner", "community"}
        Who the printout is for (``"restricted"`` = planner, ``"confidential"``
        = community, the workshop itself). Layers that audience may not see at
        the level given are refused (:func:`check_privacy`); the footer states
        the level. Raw layers with a ``consent`` field keep only consented rows.
    sources : list of str, optional
        Credits to print besides those the layers' licences require.
    grid : SheetGrid, optional
        A labelled coordinate grid (see :mod:`pata_gis.sheets`); the map then
        shows exactly the grid.
    scale : int, optional
        Scale denominator; default the largest of :data:`NICE_SCALES` that fits.
    date : datetime.date, optional
        Printed date; default today.
    levels : dict of str to str, optional
        Level of detail of each layer passed (``"raw"`` by default;
        ``"masked"`` or ``"aggregated"`` for views made by
        :func:`pata_gis.privacy.view_for`). See :func:`check_privacy`.
    ax : Axes, optional
        Draw into this axes instead of a new page (no title, panel or footer;
        the legend goes inside the map).

    Returns
    -------
    matplotlib.figure.Figure
        The page, sized to the paper. :func:`map_sheet` returns what it shows.

    Raises
    ------
    SensitivityError
        A layer is more sensitive than `privacy_level`.
    InputError
        Unknown paper, orientation, privacy level, a layer without spec, or
        nothing to draw.
    """
    return render_sheet(
        layers,
        specs,
        extent=extent,
        paper=paper,
        orientation=orientation,
        title=title,
        subtitle=subtitle,
        lang=lang,
        privacy_level=privacy_level,
        sources=sources,
        grid=grid,
        scale=scale,
        date=date,
        levels=levels,
        ax=ax,
    ).figure


# --------------------------------------------------------------------------------------
# Saving
# --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _atomic(path: str | Path) -> Iterator[Path]:
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError(f"{path}: the folder {path.parent} does not exist; create it first")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _pdf_metadata(title: str, privacy_level: str) -> dict[str, Any]:
    return {
        "Title": title or "pata-gis",
        "Subject": f"privacy level: {privacy_level}",
        "Creator": "pata-gis",
    }


def save_figure(fig: Figure, path: str | Path, *, dpi: int = 150) -> Path:
    """Save one page as PDF, PNG or SVG (by the file suffix), atomically.

    Parameters
    ----------
    fig : Figure
        A page from :func:`render_map` or :func:`pata_gis.sheets.make_sheet`.
    path : str or Path
        ``.pdf``, ``.png`` or ``.svg``. Written to a temporary file then moved
        into place, so a reader never sees half a file.
    dpi : int
        Resolution of a PNG (150 reads well on paper; 300 for print shops).

    Returns
    -------
    Path
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".pdf", ".png", ".svg"):
        raise InputError(f"{path}: save a printout as .pdf, .png or .svg")
    sheet = map_sheet(fig)
    with _rc(), _atomic(path) as tmp:
        if suffix == ".pdf":
            meta = _pdf_metadata(
                str(fig.get_label() or ""), sheet.privacy_level if sheet else "unknown"
            )
            fig.savefig(tmp, format="pdf", metadata=meta)
        else:
            fig.savefig(tmp, format=suffix[1:], dpi=dpi)
    log.info("saved printout %s", path)
    return path


# --------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------


def _decimals(values: pd.Series) -> int:
    """Fewest decimals (0–2) showing every value of a float column as well as 2 do."""
    v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    for d in (0, 1):
        if np.allclose(np.round(v, d), np.round(v, 2)):
            return d
    return 2


def _fmt(value: Any, lang: str, decimals: int | None = None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool | np.bool_):
        return ("da" if value else "nu") if lang == "ro" else ("yes" if value else "no")
    if isinstance(value, int | np.integer):
        s = f"{int(value):,}"
        return s.replace(",", ".") if lang == "ro" else s
    if isinstance(value, float | np.floating):
        v = float(value)
        if math.isnan(v):
            return "—"
        if decimals is None:
            decimals = 0 if abs(v) >= 100 or v.is_integer() else 2
        s = f"{v:,.{decimals}f}"
        if lang == "ro":
            s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        return s
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()[:10]
    try:
        if pd.isna(value):
            return "—"
    except (TypeError, ValueError):
        pass
    return str(value)


@dataclass
class _Block:
    kind: str  # "map" | "table" | "text"
    new_page: bool
    payload: dict[str, Any]


# mm per line and characters per mm at the font sizes used by reports
_LINE_MM = {"h": 8.0, "p": 4.6, "row": 5.2}
_CHAR_MM = {10.0: 1.95, 8.0: 1.56}


class Report:
    """A multi-page printable report (A4 PDF): maps, tables and text.

    Parameters
    ----------
    lang : str, optional
        ``"ro"`` or ``"en"``; default :data:`pata_gis.settings.language`.
    title : str
        Printed in the header of every text and table page.
    privacy_level : {"public", "police", "planner", "community"}
        Who the report is for (see :data:`PRIVACY_LEVELS`): every map and
        table added is checked against it, and every page's footer states it.
    subtitle : str
        Printed under the title on the first text or table page.
    date : datetime.date, optional
        Printed date; default today.

    Examples
    --------
    >>> rep = Report(lang="ro", title="Plan de siguranță", privacy_level="police")
    >>> rep.add_text("Ipoteze", ["Timpii sunt estimați pe rețeaua stradală."])
    >>> rep.save("plan.pdf")  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        lang: str | None = None,
        title: str = "",
        privacy_level: str = "public",
        subtitle: str = "",
        date: dt.date | None = None,
    ) -> None:
        _privacy_rank(privacy_level)
        self.lang = lang or settings.language
        self.title = title
        self.subtitle = subtitle
        self.privacy_level = privacy_level
        self.date = date or dt.date.today()
        self._blocks: list[_Block] = []
        self._pages: list[Figure] | None = None

    # --- building ---------------------------------------------------------------
    def add_map(
        self,
        fig: Figure | None = None,
        *,
        privacy_level: str | None = None,
        **render_args: Any,
    ) -> Figure:
        """Add a map page: a figure from :func:`render_map`, or the arguments for one.

        Parameters
        ----------
        fig : Figure, optional
            A rendered page. A figure made by :func:`render_map` knows its
            privacy level; for any other figure pass `privacy_level` (what the
            figure may show). Either must not be stricter than the report's.
        privacy_level : str, optional
            The privacy level a foreign figure was made for.
        **render_args
            Without `fig`: ``layers``, ``specs`` and the keywords of
            :func:`render_map`; ``lang``, ``privacy_level`` and ``date`` default
            to the report's and the paper to A4.

        Returns
        -------
        Figure
            The map page added.
        """
        if fig is None:
            if "layers" not in render_args or "specs" not in render_args:
                raise InputError("add_map: pass a figure, or `layers=` and `specs=` to render one")
            render_args.setdefault("lang", self.lang)
            render_args.setdefault("date", self.date)
            render_args.setdefault("paper", "A4")
            render_args["privacy_level"] = self.privacy_level
            fig = render_map(**render_args)
            level = self.privacy_level
        else:
            sheet = map_sheet(fig)
            if sheet is not None:
                level = sheet.privacy_level
            elif privacy_level is not None:
                level = privacy_level
            else:
                raise InputError(
                    "add_map: this figure was not made by pata_gis.printing.render_map, so "
                    "its privacy level is unknown; pass privacy_level= (what it may show)"
                )
        if _privacy_rank(level) > _privacy_rank(self.privacy_level):
            raise SensitivityError(
                f"a map made at privacy level {level!r} may not go into a report at "
                f"{self.privacy_level!r}; render it again at {self.privacy_level!r}"
            )
        self._blocks.append(_Block("map", True, {"fig": fig}))
        self._pages = None
        return fig

    def add_table(
        self,
        df: pd.DataFrame,
        title: str = "",
        *,
        columns: Mapping[str, str] | None = None,
        sensitivity: str | None = None,
        level: str = "raw",
        note: str = "",
        new_page: bool = True,
        max_chars: int = 40,
    ) -> None:
        """Add a table, continued over as many pages as it needs (header repeated).

        Parameters
        ----------
        df : DataFrame
            The rows. A geometry column is left out (print a map for places).
        title : str
            Printed above the table (and "(continued)" on later pages).
        columns : dict, optional
            Column -> printed heading; only these columns, in this order.
        sensitivity : {"public", "restricted", "confidential"}, optional
            How sensitive the data behind the rows is; default
            ``df.attrs["sensitivity"]``, else ``"public"``.
        level : {"raw", "masked", "aggregated"}
            Level of detail of the rows (counts per zone are ``"aggregated"``).
            Refused when the report's audience may not see that
            (:func:`pata_gis.privacy.can_see`).
        note : str
            A line printed under the table (source, assumption).
        new_page : bool
            Start on a new page (default) or continue the current one.
        max_chars : int
            Longer cell text is cut with "…".
        """
        detail = level
        level = sensitivity or df.attrs.get("sensitivity", "public")
        if level not in SENSITIVITY_LEVELS:
            raise InputError(f"add_table: sensitivity {level!r}; use one of {SENSITIVITY_LEVELS}")
        if not privacy.can_see(_role(self.privacy_level), level, level=detail):
            raise SensitivityError(
                f"table {title!r} is {level} ({detail}) and may not go into a report at "
                f"privacy level {self.privacy_level!r}; aggregate it first "
                "(pata_gis.privacy.aggregate) or raise the report's level"
            )
        if columns is None:
            columns = {str(c): str(c) for c in df.columns if str(c) != "geometry"}
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise InputError(f"add_table {title!r}: no column(s) {missing} in the table")
        cols = list(columns)
        decimals = {c: _decimals(df[c]) for c in cols if pd.api.types.is_float_dtype(df[c])}
        rows = [
            [_fmt(v, self.lang, decimals.get(c)) for c, v in zip(cols, rec, strict=True)]
            for rec in df[cols].itertuples(index=False)
        ]
        numeric = [bool(pd.api.types.is_numeric_dtype(df[c])) for c in cols]
        self._blocks.append(
            _Block(
                "table",
                new_page,
                {
                    "title": title,
                    "headers": [columns[c] for c in cols],
                    "rows": rows,
                    "numeric": numeric,
                    "note": note,
                    "max_chars": max_chars,
                },
            )
        )
        self._pages = None

    def add_text(
        self, heading: str, paragraphs: str | Sequence[str] = (), *, new_page: bool = True
    ) -> None:
        """Add a heading and paragraphs (a paragraph starting "- " prints as a bullet)."""
        paras = [paragraphs] if isinstance(paragraphs, str) else list(paragraphs)
        self._blocks.append(
            _Block("text", new_page, {"heading": heading, "paragraphs": paras, "italic": False})
        )
        self._pages = None

    def add_bilingual(
        self,
        heading: Mapping[str, str],
        paragraphs: Mapping[str, str | Sequence[str]],
        *,
        new_page: bool = True,
    ) -> None:
        """Add the same text in Romanian and English: the report's language first.

        Parameters
        ----------
        heading : dict
            Language code -> heading, e.g. ``{"ro": "Ipoteze", "en": "Assumptions"}``.
        paragraphs : dict
            Language code -> paragraph(s).
        """
        first = self.lang if self.lang in heading else "ro"
        order = [first] + [k for k in ("ro", "en", "hu") if k != first and k in heading]
        for i, code in enumerate(order):
            paras = paragraphs.get(code, ())
            paras = [paras] if isinstance(paras, str) else list(paras)
            self._blocks.append(
                _Block(
                    "text",
                    new_page and i == 0,
                    {"heading": heading[code], "paragraphs": paras, "italic": i > 0},
                )
            )
        self._pages = None

    # --- layout -----------------------------------------------------------------
    def pages(self) -> list[Figure]:
        """The pages as figures (built once, rebuilt after another ``add_``)."""
        if self._pages is None:
            self._pages = self._layout()
        return self._pages

    def _layout(self) -> list[Figure]:
        if not self._blocks:
            raise InputError("the report is empty: add a map, a table or text before saving")
        pages: list[tuple[str, Any]] = []  # ("map", fig) | ("flow", list of ops)
        flow: _Flow | None = None
        for block in self._blocks:
            if block.kind == "map":
                pages.append(("map", block.payload["fig"]))
                flow = None
                continue
            if flow is None or block.new_page:
                flow = _Flow(self, first=not any(k == "flow" for k, _ in pages))
                pages.append(("flow", flow))
            if block.kind == "text":
                flow = flow.text(block.payload, pages)
            else:
                flow = flow.table(block.payload, pages)
        n = len(pages)
        figs: list[Figure] = []
        for i, (kind, content) in enumerate(pages):
            label = text("page", self.lang, i=i + 1, n=n)
            if kind == "map":
                figs.append(content)
            else:
                figs.append(content.render(label))
        self._page_labels = [text("page", self.lang, i=i + 1, n=n) for i in range(n)]
        self._kinds = [k for k, _ in pages]
        return figs

    # --- output -----------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the report as a multi-page PDF, atomically (temp file, then rename).

        Fonts are embedded (TrueType), so ș, ț, ă, â, î print and can be searched.
        """
        path = Path(path)
        figs = self.pages()
        meta = _pdf_metadata(self.title, self.privacy_level)
        meta["Keywords"] = f"pata-gis; privacy={self.privacy_level}; lang={self.lang}"
        with _rc(), _atomic(path) as tmp:
            with PdfPages(tmp, metadata=meta) as pdf:
                for i, fig in enumerate(figs):
                    with self._numbered(fig, i):
                        pdf.savefig(fig)
        log.info("saved report %s (%d pages, privacy %s)", path, len(figs), self.privacy_level)
        return path

    def save_png(self, path: str | Path, page: int = 0, dpi: int = 150) -> Path:
        """Write one page (0-based) as a PNG image, atomically."""
        figs = self.pages()
        if not -len(figs) <= page < len(figs):
            raise InputError(f"page {page}: the report has {len(figs)} pages (0-based)")
        path = Path(path)
        with _rc(), _atomic(path) as tmp, self._numbered(figs[page], page % len(figs)):
            figs[page].savefig(tmp, format="png", dpi=dpi)
        return path

    @contextlib.contextmanager
    def _numbered(self, fig: Figure, i: int) -> Iterator[None]:
        """Print the page number on a map page for the time it is saved."""
        if self._kinds[i] != "map":
            yield
            return
        w_mm, h_mm = fig.get_figwidth() * 25.4, fig.get_figheight() * 25.4
        artist = fig.text(
            (w_mm - MARGIN_MM) / w_mm,
            (MARGIN_MM - 4.0) / h_mm,
            self._page_labels[i],
            fontsize=7,
            ha="right",
            va="center",
            color="#333333",
        )
        try:
            yield
        finally:
            artist.remove()


class _Flow:
    """One A4 portrait page of text and tables, filled from the top."""

    def __init__(self, report: Report, *, first: bool) -> None:
        self.report = report
        self.first = first
        self.w, self.h = PAPER_MM["A4"]
        self.top = MARGIN_MM + (26.0 if first and report.subtitle else 16.0)
        self.bottom = self.h - MARGIN_MM - FOOTER_MM - 3.0
        self.y = self.top
        # ("text", x_mm, baseline_mm, text, props) or ("band", top_mm, height_mm, color, props)
        self.ops: list[tuple[str, float, float, str, dict[str, Any]]] = []

    def _next(self, pages: list[tuple[str, Any]]) -> _Flow:
        nxt = _Flow(self.report, first=False)
        pages.append(("flow", nxt))
        return nxt

    def _put(self, y: float, s: str, **kw: Any) -> None:
        x = float(kw.pop("x", MARGIN_MM))
        self.ops.append(("text", x, y, s, kw))

    def _band(self, top: float, height: float, color: str) -> None:
        self.ops.append(("band", top, height, color, {}))

    def text(self, payload: dict[str, Any], pages: list[tuple[str, Any]]) -> _Flow:
        page = self
        style = "italic" if payload["italic"] else "normal"
        width = int((self.w - 2 * MARGIN_MM) / _CHAR_MM[10.0])
        if payload["heading"]:
            if page.y + _LINE_MM["h"] + _LINE_MM["p"] * 2 > page.bottom:
                page = page._next(pages)
            page.y += _LINE_MM["h"] - 2
            page._put(page.y, payload["heading"], fontsize=13, fontweight="bold", style=style)
            page.y += 4.0
        for para in payload["paragraphs"]:
            bullet = para.startswith("- ")
            body = para[2:] if bullet else para
            lines = textwrap.wrap(body, width - (4 if bullet else 0)) or [""]
            for k, line in enumerate(lines):
                if page.y + _LINE_MM["p"] > page.bottom:
                    page = page._next(pages)
                page.y += _LINE_MM["p"]
                indent = MARGIN_MM + (5.0 if bullet else 0.0)
                if bullet and k == 0:
                    page._put(page.y, "•", fontsize=10, x=MARGIN_MM + 1.0)
                page._put(page.y, line, fontsize=10, x=indent, style=style)
            page.y += 2.0
        return page

    def table(self, payload: dict[str, Any], pages: list[tuple[str, Any]]) -> _Flow:
        headers: list[str] = payload["headers"]
        rows: list[list[str]] = payload["rows"]
        numeric: list[bool] = payload["numeric"]
        maxc: int = payload["max_chars"]
        avail_mm = self.w - 2 * MARGIN_MM
        cap = int(avail_mm / _CHAR_MM[8.0])
        widths = [
            min(maxc, max([len(h) for h in [headers[j]]] + [len(r[j]) for r in rows] + [3]))
            for j in range(len(headers))
        ]
        while sum(widths) + 2 * len(widths) > cap and max(widths) > 6:
            j = widths.index(max(widths))
            widths[j] -= 1
        scale_mm = avail_mm / max(1, sum(widths) + 2 * len(widths))
        xs = [MARGIN_MM]
        for wch in widths:
            xs.append(xs[-1] + (wch + 2) * scale_mm)

        def cut(s: str, n: int) -> str:
            return s if len(s) <= n else s[: max(1, n - 1)] + "…"

        page = self
        total = len(rows)

        def header(pg: _Flow, cont: bool) -> None:
            title = payload["title"] + (f" {text('continued', pg.report.lang)}" if cont else "")
            if title.strip():
                pg.y += _LINE_MM["h"] - 2
                pg._put(pg.y, title, fontsize=12, fontweight="bold")
                pg.y += 2.5
            pg._band(pg.y + 0.8, _LINE_MM["row"] + 0.4, "#e8e8e8")
            pg.y += _LINE_MM["row"]
            for j, head in enumerate(headers):
                x = xs[j + 1] - scale_mm if numeric[j] else xs[j] + scale_mm / 2
                pg._put(
                    pg.y,
                    cut(head, widths[j]),
                    fontsize=8,
                    fontweight="bold",
                    x=x,
                    ha="right" if numeric[j] else "left",
                )

        if page.y + _LINE_MM["h"] + 3 * _LINE_MM["row"] > page.bottom:
            page = page._next(pages)
        header(page, False)
        start = 0
        for i, row in enumerate(rows):
            if page.y + _LINE_MM["row"] > page.bottom:
                page._put(
                    page.y + 4.0,
                    text("rows", page.report.lang, a=start + 1, b=i, n=total),
                    fontsize=7,
                    color="#555555",
                )
                page = page._next(pages)
                header(page, True)
                start = i
            page.y += _LINE_MM["row"]
            for j, val in enumerate(row):
                x = xs[j + 1] - scale_mm if numeric[j] else xs[j] + scale_mm / 2
                page._put(
                    page.y,
                    cut(val, widths[j]),
                    fontsize=8,
                    x=x,
                    ha="right" if numeric[j] else "left",
                )
            if i % 2 == 1:
                page._band(page.y - _LINE_MM["row"] + 1.3, _LINE_MM["row"], "#f5f5f5")
        if start > 0:
            page._put(
                page.y + 4.0,
                text("rows", page.report.lang, a=start + 1, b=total, n=total),
                fontsize=7,
                color="#555555",
            )
            page.y += 4.0
        if payload["note"]:
            page.y += 4.5
            page._put(page.y, payload["note"], fontsize=7.5, color="#444444", style="italic")
        page.y += 3.0
        return page

    def render(self, page_label: str) -> Figure:
        rep = self.report
        w, h = self.w, self.h
        with _rc():
            fig = Figure(figsize=(w / 25.4, h / 25.4), facecolor="white")
            FigureCanvasAgg(fig)
            if self.first:
                fig.text(
                    MARGIN_MM / w,
                    (h - MARGIN_MM - 7) / h,
                    rep.title,
                    fontsize=17,
                    fontweight="bold",
                    va="baseline",
                )
                if rep.subtitle:
                    fig.text(
                        MARGIN_MM / w,
                        (h - MARGIN_MM - 15) / h,
                        rep.subtitle,
                        fontsize=10.5,
                        color="#444444",
                        va="baseline",
                    )
            else:
                fig.text(
                    MARGIN_MM / w,
                    (h - MARGIN_MM - 4) / h,
                    rep.title,
                    fontsize=9,
                    color="#444444",
                    va="baseline",
                )
            line_y = self.top - 3.0
            fig.add_artist(
                Line2D(
                    [MARGIN_MM / w, (w - MARGIN_MM) / w],
                    [(h - line_y) / h] * 2,
                    transform=fig.transFigure,
                    color="#999999",
                    linewidth=0.6,
                )
            )
            for kind, a, b, s, props in self.ops:
                if kind == "text":
                    fig.text(a / w, (h - b) / h, s, va="baseline", **props)
                else:
                    fig.patches.append(
                        Rectangle(
                            (MARGIN_MM / w, (h - a - b) / h),
                            (w - 2 * MARGIN_MM) / w,
                            b / h,
                            transform=fig.transFigure,
                            facecolor=s,
                            edgecolor="none",
                            zorder=-1,
                        )
                    )
            _draw_footer(
                fig,
                w,
                h,
                privacy_level=rep.privacy_level,
                lang=rep.lang,
                lines=[text("made_with", rep.lang)],
                date=rep.date,
                page=page_label,
            )
        return fig
