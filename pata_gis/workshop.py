"""Workshop capture: sessions, risk marks (points, paths, areas), form imports, community paths.

A community mapping workshop is one **session**: a community, a date, a
facilitator, a group of residents and the **consent** the group gave. The
residents mark where they feel at risk. A mark is a point, a line (an unsafe
path) or a polygon (an area), each with a category, a severity 1–5, a time of
day and a note. A layer spec holds one geometry family, so the marks go to
three confidential layers with the same fields: ``risk_marks`` (points),
``risk_paths`` (lines) and ``risk_areas`` (polygons). Sessions go to the
restricted layer ``workshop_sessions`` (a point at the community's centre, a
label only). Paths that no map shows go to the public ``roads`` layer with
``mapped_by = "community"``, so the street network reaches them.

Marks arrive three ways: drawn in the app, from a printed sheet (the paper
round trip of :mod:`pata_gis.sheets`), or imported from a KoboToolbox or ODK
export (CSV or GeoJSON) or a Mapeo GeoJSON export (:func:`read_kobo`,
:func:`read_odk`, :func:`read_mapeo`, :func:`read_geojson`). Every way ends in
:func:`add_marks`, which stamps the session, the consent and the source, checks
the marks against their spec with :func:`pata_gis.layers.validate` and saves
them, or saves nothing at all.

Consent
-------
A session's ``consent_scope`` is one of :data:`CONSENT_SCOPES`, from the
narrowest to the widest; each scope includes the ones before it:

``none``
    Not given, or withdrawn. The marks are kept (so the group can see and
    delete them) but flagged ``consent = False``: nothing uses them.
``community_only``
    Shown back only to the community, in its own workshops.
``aggregate_only``
    Outside the community only as aggregates (counts per zone, a density
    surface), never a single mark.
``share_with_planners``
    Masked marks may reach the municipality's planners and social services.
``share_with_police``
    Masked marks may also reach safety-plan meetings with the police and
    emergency services. (Unmasked marks never leave the workshop.)

A mark's own ``consent`` (a resident who does not want *this* mark used)
wins over the session: ``consent = session scope is not "none" and the mark's
own consent is not False``. :func:`consent_allows` answers whether a scope
covers an audience; the privacy module should require both.

Examples
--------
>>> from pata_gis import workshop
>>> s = workshop.new_session(ws, community="Dallas", date="2026-11-25",
...     facilitator="A. Pop", group="women", consent_scope="aggregate_only")  # doctest: +SKIP
>>> marks, report = workshop.read_kobo("risc_dallas.csv")  # doctest: +SKIP
>>> print(report)  # doctest: +SKIP
>>> workshop.add_marks(ws, s.session_id, marks)  # doctest: +SKIP
{'risk_marks': 12, 'risk_paths': 3, 'risk_areas': 1}
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import json
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point, Polygon, shape

from pata_gis import crs as _crs
from pata_gis import layers as _layers
from pata_gis import settings
from pata_gis._errors import InputError, SensitivityError, ValidationError, WorkspaceError
from pata_gis.layers import ValidationReport
from pata_gis.messages import Note, join_notes, note

if TYPE_CHECKING:
    from pata_gis.workspace import Workspace

__all__ = [
    "CATEGORIES",
    "COMMUNITY_CODES",
    "CONSENT_SCOPES",
    "CONSENT_TEXT",
    "DRAWN_ACCURACY_M",
    "DRAW_TOLERANCE_PX",
    "IMPORTED_ACCURACY_M",
    "MARK_LAYERS",
    "MIN_ACCURACY_M",
    "PAPER_ACCURACY_M",
    "PATH_CONNECT_M",
    "SESSIONS_LAYER",
    "TIMES_OF_DAY",
    "ImportReport",
    "MarksAdded",
    "Session",
    "Unmapped",
    "add_marks",
    "add_paths",
    "consent_allows",
    "consent_text",
    "detect_form",
    "drawn_accuracy_m",
    "get_session",
    "import_marks",
    "list_sessions",
    "map_values",
    "merge_groups",
    "new_session",
    "read_geojson",
    "read_kobo",
    "read_mapeo",
    "read_odk",
    "session_id",
    "session_marks",
    "split_marks",
    "withdraw_consent",
]

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- defaults

#: Accuracy (m) of a mark drawn in the app when the map's zoom level is unknown.
DRAWN_ACCURACY_M: float = 25.0

#: How many screen pixels a finger or a mouse drawing may miss the intended
#: place by; with the zoom level this gives the accuracy of a drawn mark
#: (:func:`drawn_accuracy_m`).
DRAW_TOLERANCE_PX: float = 10.0

#: The smallest accuracy (m) ever stamped on a drawn mark: residents point at
#: places they know, not surveyed corners.
MIN_ACCURACY_M: float = 5.0

#: Accuracy (m) of a mark copied from a printed sheet when the sheet's reader
#: gives none (an A4 sheet at about 1:5,000, a pen stroke of 2–5 mm).
PAPER_ACCURACY_M: float = 25.0

#: Accuracy (m) of an imported mark whose form gives no GPS precision, or gives
#: 0 (ODK and Kobo write 0 for a point placed by hand on the map).
IMPORTED_ACCURACY_M: float = 25.0

#: A community path whose end stops this close (m) to a road is joined to it
#: (a vertex is added on the road's nearest point); farther ends are reported.
PATH_CONNECT_M: float = 20.0

#: Marks layer by geometry family.
MARK_LAYERS: dict[str, str] = {"point": "risk_marks", "line": "risk_paths", "polygon": "risk_areas"}

#: The layer holding one record per workshop session.
SESSIONS_LAYER = "workshop_sessions"

#: The session-id prefix of each community.
COMMUNITY_CODES: dict[str, str] = {
    "Cantonului": "CAN",
    "Colectorului": "COL",
    "Dallas": "DAL",
    "Rampa": "RAM",
    "other": "OTH",
}

#: Consent scopes, from the narrowest to the widest (see the module docstring).
CONSENT_SCOPES: tuple[str, ...] = (
    "none",
    "community_only",
    "aggregate_only",
    "share_with_planners",
    "share_with_police",
)

#: What each consent scope means, to read out to the group before it chooses.
CONSENT_TEXT: dict[str, dict[str, str]] = {
    "none": {
        "ro": "Nu. Nimic din ce marcăm nu se folosește. Marcajele rămân păstrate; "
        "le puteți cere înapoi sau șterse oricând.",
        "en": "No. Nothing we mark is used. The marks stay stored; you can ask for them "
        "back, or for them to be deleted, at any time.",
        "hu": "Nem. Semmit sem használunk fel abból, amit bejelölünk. A jelölések tárolva "
        "maradnak; bármikor visszakérhetik vagy kérhetik a törlésüket.",
    },
    "community_only": {
        "ro": "Doar pentru comunitate: hărțile se arată numai în atelierele noastre, "
        "nimănui din afară.",
        "en": "Only for the community: the maps are shown only in our own workshops, "
        "to no one outside.",
        "hu": "Csak a közösségnek: a térképeket csak a saját műhelyeinkben mutatjuk meg, "
        "kívülállóknak soha.",
    },
    "aggregate_only": {
        "ro": "Doar cifre adunate: în afara comunității se arată numai câte marcaje sunt "
        "într-o zonă, niciodată un loc anume.",
        "en": "Only totals: outside the community only how many marks fall in an area is "
        "shown, never a single place.",
        "hu": "Csak összesítések: a közösségen kívül csak azt mutatjuk meg, hány jelölés "
        "esik egy területre, egyetlen konkrét helyet soha.",
    },
    "share_with_planners": {
        "ro": "Și urbaniștii primăriei și asistența socială pot vedea marcajele, cu poziția "
        "ușor mutată (mascată).",
        "en": "The city's planners and social services may also see the marks, with their "
        "positions slightly moved (masked).",
        "hu": "A város tervezői és a szociális szolgálat is láthatják a jelöléseket, kissé "
        "elmozdított (maszkolt) helyen.",
    },
    "share_with_police": {
        "ro": "Și poliția și serviciile de urgență pot vedea marcajele mascate, în ședințele "
        "pentru planul de siguranță.",
        "en": "The police and emergency services may also see the masked marks, in "
        "safety-plan meetings.",
        "hu": "A rendőrség és a mentőszolgálatok is láthatják a maszkolt jelöléseket, a "
        "biztonsági terv megbeszélésein.",
    },
}

#: Who may see what: the narrowest scope that lets each audience see the marks.
_AUDIENCE_SCOPE: dict[str, str] = {
    "community": "community_only",
    "aggregate": "aggregate_only",
    "planners": "share_with_planners",
    "police": "share_with_police",
}

#: Risk categories of the mark layers.
CATEGORIES: tuple[str, ...] = (
    "conflict",
    "traffic",
    "dogs",
    "fire",
    "flooding",
    "unlit_path",
    "unsafe_structure",
    "pollution",
    "other",
)

#: Times of day of the mark layers.
TIMES_OF_DAY: tuple[str, ...] = ("day", "evening", "night", "any")

_CAPTURES = ("drawn_in_app", "paper_sheet", "imported")
_CAPTURE_TEXT = {
    "drawn_in_app": "drawn in app",
    "paper_sheet": "paper sheet",
    "imported": "imported",
}

# --------------------------------------------------------------------------- value maps

# Codes, English, Romanian and Hungarian labels of the choices. Keys are
# compared after _key(): lower case, no diacritics, runs of other characters
# as "_" ("Conflict sau violență" -> "conflict_sau_violenta").
_CATEGORY_ALIASES: dict[str, tuple[str, ...]] = {
    "conflict": (
        "conflict",
        "conflicts",
        "violence",
        "conflict_violence",
        "conflict or violence",
        "conflict and violence",
        "conflict_violenta",
        "conflict sau violență",
        "conflicte",
        "violență",
        "bătaie",
        "bătăi",
        "scandal",
        "konfliktus",
        "erőszak",
        "konfliktus vagy erőszak",
    ),
    "traffic": (
        "traffic",
        "trafic",
        "trafic rutier",
        "mașini",
        "cars",
        "road danger",
        "forgalom",
    ),
    "dogs": (
        "dogs",
        "dog",
        "stray dogs",
        "câini",
        "câine",
        "câini fără stăpân",
        "câini comunitari",
        "kutyák",
        "kutya",
        "kóbor kutyák",
    ),
    "fire": ("fire", "fires", "foc", "incendiu", "incendii", "tűz", "tűzveszély"),
    "flooding": (
        "flooding",
        "flood",
        "floods",
        "inundație",
        "inundații",
        "inundare",
        "áradás",
        "árvíz",
    ),
    "unlit_path": (
        "unlit_path",
        "unlit",
        "unlit path",
        "dark path",
        "no light",
        "no lighting",
        "drum neiluminat",
        "drum_neiluminat",
        "cale neiluminată",
        "neiluminat",
        "lipsă iluminat",
        "fără iluminat",
        "întuneric",
        "kivilágítatlan út",
        "sötét út",
    ),
    "unsafe_structure": (
        "unsafe_structure",
        "unsafe structure",
        "unsafe building",
        "construcție nesigură",
        "constructie_nesigura",
        "clădire nesigură",
        "clădire periculoasă",
        "structură nesigură",
        "veszélyes építmény",
    ),
    "pollution": ("pollution", "poluare", "fum", "smoke", "miros", "szennyezés"),
    "other": ("other", "altele", "alta", "altul", "altceva", "alt risc", "egyéb", "más"),
}

_TIME_ALIASES: dict[str, tuple[str, ...]] = {
    "day": (
        "day",
        "daytime",
        "morning",
        "afternoon",
        "zi",
        "ziua",
        "în timpul zilei",
        "dimineața",
        "după-amiaza",
        "nappal",
        "reggel",
        "délután",
        "noon",
        "midday",
        "la prânz",
        "amiază",
        "dél",
    ),
    "evening": ("evening", "dusk", "seara", "seară", "amurg", "este", "alkonyat"),
    "night": ("night", "at night", "noapte", "noaptea", "éjjel", "éjszaka"),
    "any": (
        "any",
        "always",
        "all day",
        "any time",
        "anytime",
        "oricând",
        "mereu",
        "tot timpul",
        "bármikor",
        "mindig",
    ),
}

_SEVERITY_ALIASES: dict[int, tuple[str, ...]] = {
    1: ("very low", "foarte mică", "foarte scăzută", "nagyon alacsony", "nagyon enyhe"),
    2: ("low", "mică", "scăzută", "alacsony", "enyhe"),
    3: ("medium", "moderate", "medie", "moderată", "közepes"),
    4: ("high", "mare", "ridicată", "gravă", "magas", "súlyos"),
    5: ("very high", "extreme", "foarte mare", "foarte ridicată", "foarte gravă", "nagyon magas"),
}

_TRUE = {"true", "yes", "y", "1", "da", "d", "igen", "x", "ok", "consent", "agree"}
_FALSE = {"false", "no", "n", "0", "nu", "nem", "refuse", "refused", "withdrawn"}

# Header names (compared after _key) of the form questions.
_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "category": (
        "category",
        "categorie",
        "categoria",
        "risk category",
        "risk_category",
        "categorie risc",
        "categoria riscului",
        "tip risc",
        "tipul riscului",
        "risk type",
        "risk",
        "risc",
        "kategória",
        "kockázat",
    ),
    "severity": (
        "severity",
        "gravitate",
        "gravitatea",
        "severitate",
        "nivel risc",
        "nivelul riscului",
        "súlyosság",
    ),
    "time_of_day": (
        "time_of_day",
        "time of day",
        "timeofday",
        "momentul zilei",
        "moment",
        "când",
        "cand e periculos",
        "napszak",
    ),
    "note": (
        "note",
        "notes",
        "notă",
        "note",
        "observații",
        "descriere",
        "description",
        "comment",
        "comments",
        "comentariu",
        "detalii",
        "megjegyzés",
    ),
    "consent": ("consent", "consimțământ", "acord", "acord folosire", "beleegyezés"),
}
_ID_COLUMNS = ("uuid", "instanceid", "meta_instanceid", "meta_instance_id", "key", "id")
_PART_RE = re.compile(
    r"^(?P<prefix>.*?)[_\-/.](?P<part>latitude|longitude|altitude|precision|accuracy)$",
    re.IGNORECASE,
)
_NUM = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_VERTEX_RE = re.compile(rf"^\s*({_NUM})\s+({_NUM})(?:\s+({_NUM}))?(?:\s+({_NUM}))?\s*$")
_LINE_HINTS = ("trace", "traseu", "path", "line", "route", "drum", "cale", "linie", "ut")
_AREA_HINTS = ("shape", "area", "zona", "poligon", "polygon", "terulet")


def _key(value: Any) -> str:
    """Compare text without case, diacritics (ș/ş, ă, î...) or punctuation."""
    text = unicodedata.normalize("NFKD", str(value).strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def _alias_table(aliases: Mapping[Any, Iterable[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for value, names in aliases.items():
        out[_key(value)] = value
        for n in names:
            out[_key(n)] = value
    return out


_CATEGORY_KEYS = _alias_table(_CATEGORY_ALIASES)
_TIME_KEYS = _alias_table(_TIME_ALIASES)
_SEVERITY_KEYS = _alias_table(_SEVERITY_ALIASES)
_COLUMN_KEYS = {col: {_key(a) for a in names} for col, names in _COLUMN_ALIASES.items()}


# --------------------------------------------------------------------------- small types


@dataclass(frozen=True)
class Unmapped:
    """A form value that could not be matched to a choice.

    Attributes
    ----------
    row : int
        The data row (1-based, the header not counted) or the feature number.
    field : str
        The mark field (``category``, ``severity``, ``time_of_day``, ``consent``).
    value : str
        The value as found in the file.
    """

    row: int
    field: str
    value: str

    def __str__(self) -> str:
        if not self.value:
            return note("warn.ws.value_missing", row=str(self.row), field=self.field)
        return note(
            "warn.ws.value_unknown", row=str(self.row), field=self.field, value=repr(self.value)
        )


@dataclass
class ImportReport:
    """What an importer read, what it left out and what it could not map.

    Attributes
    ----------
    file : str
        The file name.
    form : str
        ``"kobo"``, ``"odk"``, ``"mapeo"`` or ``"geojson"``.
    n_rows : int
        Rows (or features) in the file.
    n_marks : int
        Marks returned.
    unmapped : list of Unmapped
        Values that are not a known code or label, by row. An unknown category
        becomes ``"other"`` (the form's value is kept in the note); an unknown
        severity is left empty, so :func:`add_marks` refuses the mark until it
        is corrected; an unknown time of day or consent is left empty.
    skipped : list of str
        Rows left out and why (no location, rejected in review).
    notes : list of str
        Other things worth knowing (which columns were used, accuracy defaults).
    """

    file: str
    form: str
    n_rows: int = 0
    n_marks: int = 0
    unmapped: list[Unmapped] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row became a mark with every value understood."""
        return not self.unmapped and not self.skipped

    def rows(self, field_name: str | None = None) -> list[int]:
        """Rows with an unmapped value (of `field_name`, or of any field)."""
        return sorted({u.row for u in self.unmapped if field_name in (None, u.field)})

    def __str__(self) -> str:
        lines = [
            f"{self.file} ({self.form}): {self.n_marks} marks from {self.n_rows} rows, "
            f"{len(self.unmapped)} values not understood, {len(self.skipped)} rows skipped"
        ]
        lines += [f"  not understood: {u}" for u in self.unmapped]
        lines += [f"  skipped: {s}" for s in self.skipped]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


@dataclass(frozen=True)
class Session:
    """One community mapping workshop.

    Attributes
    ----------
    session_id : str
        E.g. ``"DAL-20261125-01"`` (:func:`session_id`).
    community : str
        One of ``Cantonului``, ``Colectorului``, ``Dallas``, ``Rampa``, ``other``.
    date : datetime.date
        The day of the workshop.
    facilitator : str
        Who ran it.
    group : str or None
        The group of residents (e.g. "women", "youth", "parents"); never
        participants' names.
    consent_scope : str
        One of :data:`CONSENT_SCOPES`.
    participants : int or None
        How many residents took part.
    notes : str or None
        Free text.
    consent_recorded_by : str or None
        Who recorded the consent.
    """

    session_id: str
    community: str
    date: _dt.date
    facilitator: str
    group: str | None
    consent_scope: str
    participants: int | None = None
    notes: str | None = None
    consent_recorded_by: str | None = None

    def allows(self, audience: str) -> bool:
        """Whether the session's consent covers `audience` (see :func:`consent_allows`)."""
        return consent_allows(self.consent_scope, audience)

    @property
    def label(self) -> str:
        """``"<id>, <community>, <date>"``, the start of every mark's ``source``."""
        return f"workshop {self.session_id}, {self.community}, {self.date.isoformat()}"


class MarksAdded(dict[str, int]):
    """Marks saved per layer (a dict), with the validation reports.

    Attributes
    ----------
    session : Session
        The session the marks belong to.
    reports : dict of str to ValidationReport
        Per layer: every repair made (e.g. a self-intersecting area repaired)
        and every warning.
    skipped : list of str
        Marks not saved because the same form record is already stored.
    """

    def __init__(self, counts: Mapping[str, int], session: Session) -> None:
        super().__init__(counts)
        self.session = session
        self.reports: dict[str, ValidationReport] = {}
        self.skipped: list[str] = []

    @property
    def changes(self) -> list[str]:
        """Every repair of every layer, prefixed by the layer name."""
        return [_in_layer(name, c, []) for name, r in self.reports.items() for c in r.changes]

    def __str__(self) -> str:
        head = f"session {self.session.session_id}: " + ", ".join(
            f"{n} {layer}" for layer, n in self.items()
        )
        lines = [head]
        lines += [f"  repaired: {c}" for c in self.changes]
        lines += [f"  skipped: {s}" for s in self.skipped]
        return "\n".join(lines)


# --------------------------------------------------------------------------- pure helpers


def consent_allows(scope: str, audience: str) -> bool:
    """Whether a session's consent scope lets `audience` see its marks.

    Parameters
    ----------
    scope : str
        One of :data:`CONSENT_SCOPES`.
    audience : {"community", "aggregate", "planners", "police"}
        ``community``: shown back in the community's workshops;
        ``aggregate``: counts or densities outside the community;
        ``planners``: masked marks to planners and social services;
        ``police``: masked marks to safety-plan meetings with the police.

    Returns
    -------
    bool

    Examples
    --------
    >>> consent_allows("share_with_planners", "aggregate")
    True
    >>> consent_allows("aggregate_only", "police")
    False
    """
    if scope not in CONSENT_SCOPES:
        raise InputError(
            note("err.ws.scope_unknown", scope=repr(scope), choices=", ".join(CONSENT_SCOPES))
        )
    if audience not in _AUDIENCE_SCOPE:
        raise InputError(
            note(
                "err.ws.audience_unknown",
                audience=repr(audience),
                choices=", ".join(_AUDIENCE_SCOPE),
            )
        )
    return CONSENT_SCOPES.index(scope) >= CONSENT_SCOPES.index(_AUDIENCE_SCOPE[audience])


def consent_text(scope: str, lang: str | None = None) -> str:
    """What consent `scope` means, in `lang` (``ro``, ``en`` or ``hu``; default the settings' language).

    Examples
    --------
    >>> consent_text("aggregate_only", "en")[:11]
    'Only totals'
    """
    if scope not in CONSENT_TEXT:
        raise InputError(
            note("err.ws.scope_unknown", scope=repr(scope), choices=", ".join(CONSENT_SCOPES))
        )
    texts = CONSENT_TEXT[scope]
    return texts.get(lang or settings.language) or texts["en"]


def session_id(community: str, date: _dt.date | str, seq: int) -> str:
    """The id of the `seq`-th session of a community on a day, e.g. ``"DAL-20261125-01-M"``.

    The same scheme as the printed sheets (:func:`pata_gis.sheets.sheet_id`):
    community code, date, sequence number and a check character, so an id
    copied by hand from paper is checked when it is typed back
    (:func:`get_session` accepts it in lower case, with spaces, or with O/I/L
    for 0/1/1). Without :mod:`pata_gis.sheets` the id has no check character
    (``"DAL-20261125-01"``).

    Parameters
    ----------
    community : str
        A community of :data:`COMMUNITY_CODES` (case and diacritics ignored).
    date : datetime.date or str
        The day (``"2026-11-25"``).
    seq : int
        1 to 99.

    Returns
    -------
    str

    Examples
    --------
    >>> session_id("Dallas", "2026-11-25", 1)[:15]
    'DAL-20261125-01'
    """
    name = _community(community)
    day = _parse_date(date, "date")
    if not isinstance(seq, int | np.integer) or not 1 <= int(seq) <= 99:
        raise InputError(f"seq must be a whole number from 1 to 99, got {seq!r}")
    sheets = _sheets()
    if sheets is not None:
        return str(
            sheets.sheet_id(
                COMMUNITY_CODES[name].lower() if name == "other" else name, day, int(seq)
            )
        )
    return f"{COMMUNITY_CODES[name]}-{day.strftime('%Y%m%d')}-{int(seq):02d}"


def _sheets() -> Any:
    """:mod:`pata_gis.sheets` when installed (it draws with matplotlib), else None."""
    try:
        from pata_gis import sheets
    except ImportError:  # pragma: no cover - sheets is part of pata-gis
        return None
    return sheets if hasattr(sheets, "sheet_id") else None


def _canonical_id(sid: str) -> str:
    """A typed-back session id in its canonical form (check character verified)."""
    text = str(sid).strip()
    sheets = _sheets()
    if sheets is None or not re.fullmatch(
        r"[A-Za-z01]{3}-?\w{8}-?\w{2}-?\w", re.sub(r"\s+", "", text)
    ):
        return text
    return str(sheets.check_sheet_id(text))


def drawn_accuracy_m(zoom: float | None, *, lat: float = 46.77) -> float:
    """Accuracy (m) of a mark drawn on a web map at zoom level `zoom`.

    The ground size of :data:`DRAW_TOLERANCE_PX` screen pixels at that zoom
    and latitude (Web Mercator: 156,543.03 m × cos(lat) / 2**zoom per pixel),
    never below :data:`MIN_ACCURACY_M`; :data:`DRAWN_ACCURACY_M` when `zoom`
    is ``None``.

    Examples
    --------
    >>> round(drawn_accuracy_m(17), 1)  # a street-level view over Pata Rât
    8.2
    >>> round(drawn_accuracy_m(14))
    65
    """
    if zoom is None or (isinstance(zoom, float) and math.isnan(zoom)):
        return DRAWN_ACCURACY_M
    z = float(zoom)
    if not 0 <= z <= 24:
        raise InputError(f"zoom level {zoom!r} is not a web-map zoom (0 to 24)")
    per_px = 156543.03392 * math.cos(math.radians(lat)) / 2**z
    return max(MIN_ACCURACY_M, DRAW_TOLERANCE_PX * per_px)


def map_values(
    field_name: str, value: Any, *, extra: Mapping[str, Any] | None = None
) -> Any | None:
    """Match one form value to a choice of a mark field; ``None`` if unknown.

    Codes, English, Romanian (with or without diacritics) and Hungarian labels
    are understood: ``"conflict"``, ``"conflict_violenta"`` and ``"Conflict sau
    violență"`` all give ``"conflict"``. A category code made of words, one of
    which names a category (``"risc_caini"``), gives that category.

    Parameters
    ----------
    field_name : {"category", "severity", "time_of_day", "consent"}
        The field.
    value : object
        The value read from the form.
    extra : mapping, optional
        The project's own codes, e.g. ``{"cat_7": "dogs"}``; checked first.

    Returns
    -------
    str, int, bool or None
        The choice (severity as int 1–5, consent as bool); ``None`` for an
        empty or unknown value.
    """
    if value is None or (np.ndim(value) == 0 and not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    if extra:
        table = {_key(k): v for k, v in extra.items()}
        if _key(value) in table:
            return table[_key(value)]
    k = _key(value)
    if field_name == "category":
        if k in _CATEGORY_KEYS:
            return _CATEGORY_KEYS[k]
        found = {_CATEGORY_KEYS[t] for t in k.split("_") if t in _CATEGORY_KEYS}
        found.discard("other")
        return found.pop() if len(found) == 1 else None
    if field_name == "time_of_day":
        return _TIME_KEYS.get(k)
    if field_name == "severity":
        if isinstance(value, bool):
            return None
        if isinstance(value, int | float | np.integer | np.floating):
            v = float(value)
            return int(v) if v.is_integer() and 1 <= v <= 5 else None
        with contextlib.suppress(ValueError):
            v = float(str(value).strip().replace(",", "."))
            return int(v) if v.is_integer() and 1 <= v <= 5 else None
        if k in _SEVERITY_KEYS:
            return int(_SEVERITY_KEYS[k])
        m = re.fullmatch(r"[a-z_]*?_?([1-5])", k)
        return int(m.group(1)) if m else None
    if field_name == "consent":
        if isinstance(value, bool | np.bool_):
            return bool(value)
        if k in _TRUE:
            return True
        if k in _FALSE:
            return False
        return None
    raise InputError(
        f"field {field_name!r} has no value map; use category, severity, time_of_day or consent"
    )


def split_marks(marks: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Split marks by geometry family into the three mark layers.

    Multi-geometries stay one mark (a MultiLineString is one path drawn in
    pieces). A GeometryCollection is split into one mark per family, each with
    the same attributes. Empty or missing geometries are left out.

    Parameters
    ----------
    marks : GeoDataFrame
        Marks of any geometry types.

    Returns
    -------
    dict
        ``{"risk_marks": points, "risk_paths": lines, "risk_areas": polygons}``,
        only the layers with marks; each keeps the input index, so a problem
        can be traced back to the input row.
    """
    geoms = np.asarray(marks.geometry.values, dtype=object)
    rows: dict[str, list[tuple[Any, Any]]] = {fam: [] for fam in MARK_LAYERS}
    for idx, g in zip(marks.index, geoms, strict=True):
        if g is None or shapely.is_empty(g):
            continue
        if g.geom_type == "GeometryCollection":
            by_fam: dict[str, list[Any]] = {}
            for part in shapely.get_parts(g):
                fam = _layers.geometry_family(part.geom_type)
                if fam is not None and not part.is_empty:
                    by_fam.setdefault(fam, []).append(part)
            for fam, parts in by_fam.items():
                rows[fam].append((idx, _multi(fam, parts)))
            continue
        fam = _layers.geometry_family(g.geom_type)
        if fam is not None:
            rows[fam].append((idx, g))
    out: dict[str, gpd.GeoDataFrame] = {}
    for fam, items in rows.items():
        if not items:
            continue
        idx = [i for i, _ in items]
        sub = marks.drop(columns=marks.geometry.name).loc[idx].copy()
        out[MARK_LAYERS[fam]] = gpd.GeoDataFrame(
            sub, geometry=gpd.GeoSeries([g for _, g in items], index=sub.index), crs=marks.crs
        )
    return out


def _multi(fam: str, parts: list[Any]) -> Any:
    if len(parts) == 1:
        return parts[0]
    cls = {"point": shapely.MultiPoint, "line": shapely.MultiLineString}.get(fam)
    if cls is not None:
        return cls(parts)
    polys = [p for part in parts for p in shapely.get_parts(part)]
    return shapely.MultiPolygon(polys)


def _community(value: str) -> str:
    table = {_key(c): c for c in COMMUNITY_CODES}
    table.update({_key(code): c for c, code in COMMUNITY_CODES.items()})
    name = table.get(_key(value)) if isinstance(value, str) else None
    if name is None:
        raise InputError(
            note(
                "err.ws.community_unknown",
                community=repr(value),
                choices=", ".join(COMMUNITY_CODES),
            )
        )
    return name


def _parse_date(value: Any, what: str) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            return _dt.date.fromisoformat(value.strip()[:10])
    if what == "date":
        raise InputError(note("err.ws.not_date", value=repr(value)))
    raise InputError(f"{what} {value!r} is not a date; give it as 'YYYY-MM-DD' (e.g. '2026-11-25')")


# --------------------------------------------------------------------------- sessions


def _require_layers(ws: Workspace, names: Iterable[str]) -> None:
    have = set(ws.layer_names())
    missing = [n for n in names if n not in have]
    if missing:
        raise WorkspaceError(
            note("err.ws.no_layers", path=ws.path, layers=", ".join(repr(m) for m in missing))
        )


def _session_from_row(row: Mapping[str, Any]) -> Session:
    def opt(v: Any) -> Any:
        return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v

    participants = opt(row.get("participants"))
    return Session(
        session_id=str(row["session_id"]),
        community=str(row["community"]),
        date=_parse_date(str(row["date"]), "date"),
        facilitator=str(row["facilitator"]),
        group=opt(row.get("group_name")),
        consent_scope=str(row["consent_scope"]),
        participants=int(participants) if participants is not None else None,
        notes=opt(row.get("notes")),
        consent_recorded_by=opt(row.get("consent_recorded_by")),
    )


def list_sessions(ws: Workspace, *, community: str | None = None) -> list[Session]:
    """Every session of the workspace (of one community), oldest first."""
    _require_layers(ws, [SESSIONS_LAYER])
    frame = ws.read(SESSIONS_LAYER)
    if community is not None:
        frame = frame[frame["community"] == _community(community)]
    out = [_session_from_row(r) for r in frame.to_dict("records")]
    return sorted(out, key=lambda s: (s.date, s.session_id))


def get_session(ws: Workspace, sid: str) -> Session:
    """The session `sid`; :class:`InputError` naming the known ids when there is none."""
    _require_layers(ws, [SESSIONS_LAYER])
    frame = ws.read(SESSIONS_LAYER)
    sid = _canonical_id(sid)
    hit = frame[frame["session_id"] == sid]
    if hit.empty:
        known = ", ".join(map(str, frame["session_id"].tolist()[-10:])) or note("err.ws.none_yet")
        raise InputError(note("err.ws.no_session", sid=repr(sid), file=ws.path.name, known=known))
    return _session_from_row(hit.iloc[-1].to_dict())


def _label_point(ws: Workspace, community: str) -> tuple[Point, float, str]:
    """The centre of a community's outline (metric centroid), its accuracy and provenance."""
    settlements = ws.read("settlements") if "settlements" in ws.layer_names() else None
    if settlements is None or settlements.empty:
        raise InputError(note("err.ws.no_outlines", community=repr(community)))
    metric = settlements.to_crs(settings.metric_crs)
    names = metric["name"].map(_key) if "name" in metric.columns else pd.Series([], dtype=str)
    hit = (
        metric[names.str.startswith(_key(community))] if community != "other" else metric.iloc[0:0]
    )
    if hit.empty:
        pts = metric.geometry.union_all().centroid
        acc = 1000.0
        how = "centre of all settlement outlines"
    else:
        pts = hit.geometry.union_all().centroid
        acc = float(pd.to_numeric(hit.get("accuracy_m"), errors="coerce").max())
        if not math.isfinite(acc):
            acc = 300.0
        how = f"centre of the {community} outline"
    lon, lat = _crs.metric_to_lonlat(np.array([pts.x]), np.array([pts.y]))
    return Point(float(lon[0]), float(lat[0])), acc, how


def new_session(
    ws: Workspace,
    *,
    community: str,
    date: _dt.date | str,
    facilitator: str,
    group: str | None,
    consent_scope: str,
    participants: int | None = None,
    notes: str | None = None,
    author: str | None = None,
    consent_recorded_by: str | None = None,
    location: tuple[float, float] | None = None,
) -> Session:
    """Record a new workshop session in ``workshop_sessions`` and return it.

    Parameters
    ----------
    ws : Workspace
        The workspace (it must hold the workshop layers).
    community : str
        ``Cantonului``, ``Colectorului``, ``Dallas``, ``Rampa`` or ``other``
        (case and diacritics ignored; the codes ``DAL``... work too).
    date : datetime.date or str
        The day of the workshop (``"2026-11-25"``).
    facilitator : str
        Who ran it.
    group : str or None
        The group (e.g. "women", "youth"); never participants' names.
    consent_scope : str
        One of :data:`CONSENT_SCOPES`; read the module docstring to the group.
    participants : int, optional
        How many residents took part.
    notes : str, optional
        Free text (no names of residents).
    author : str, optional
        For the history; default the user name.
    consent_recorded_by : str, optional
        Who recorded the consent; default the facilitator.
    location : (lon, lat), optional
        Where to put the session's label point; default the centre of the
        community's outline in the ``settlements`` layer.

    Returns
    -------
    Session
        With its new id ``<CODE>-<YYYYMMDD>-<seq>``, the next free sequence
        number of that community and day.

    Raises
    ------
    InputError
        An unknown community or consent scope, a bad date, an empty
        facilitator, a negative number of participants.
    """
    name = _community(community)
    day = _parse_date(date, "date")
    if consent_scope not in CONSENT_SCOPES:
        raise InputError(
            note(
                "err.ws.consent_scope_unknown",
                scope=repr(consent_scope),
                choices=", ".join(CONSENT_SCOPES),
            )
        )
    if not isinstance(facilitator, str) or not facilitator.strip():
        raise InputError(note("err.ws.no_facilitator"))
    if participants is not None and (
        isinstance(participants, bool)
        or not isinstance(participants, int | np.integer)
        or participants < 0
    ):
        raise InputError(note("err.ws.participants", value=repr(participants)))
    _require_layers(ws, [SESSIONS_LAYER, *MARK_LAYERS.values()])
    existing = ws.read(SESSIONS_LAYER)
    pattern = re.compile(
        rf"^{COMMUNITY_CODES[name]}-{day.strftime('%Y%m%d')}-(\d{{2}})(?:-[0-9A-Z])?$"
    )
    used = [
        int(m.group(1))
        for m in map(pattern.match, existing["session_id"].astype(str))
        if m is not None
    ]
    seq = max(used, default=0) + 1
    sid = session_id(name, day, seq)
    if location is not None:
        lon, lat = (float(v) for v in location)
        point, acc, how = Point(lon, lat), DRAWN_ACCURACY_M, "location given"
    else:
        point, acc, how = _label_point(ws, name)
    record = {
        "session_id": sid,
        "community": name,
        "date": day.isoformat(),
        "facilitator": facilitator.strip(),
        "group_name": group,
        "participants": participants,
        "consent_scope": consent_scope,
        "consent_recorded_by": consent_recorded_by or facilitator.strip(),
        "notes": notes,
        "source": f"workshop session {sid}; label point: {how}",
        "accuracy_m": acc,
    }
    frame = gpd.GeoDataFrame([record], geometry=[point], crs=settings.display_crs)
    ws.append(SESSIONS_LAYER, frame, author=author, message=f"new workshop session {sid}")
    session = _session_from_row(record)
    log.info("new workshop session %s (%s, consent %s)", sid, name, consent_scope)
    return session


def withdraw_consent(
    ws: Workspace, sid: str, *, author: str | None = None, reason: str | None = None
) -> dict[str, int]:
    """Record that a group withdrew its consent: scope ``none``, every mark flagged.

    The session's ``consent_scope`` becomes ``"none"`` and every mark of the
    session in the three mark layers gets ``consent = False``, each as a new
    version. The marks stay stored (the group may want them back) but nothing
    uses them. Earlier versions stay in the workspace history.

    Returns
    -------
    dict
        Marks flagged per layer.
    """
    session = get_session(ws, sid)
    sid = session.session_id  # as stored: an id typed in lower case must still match
    sessions = ws.read(SESSIONS_LAYER)
    hit = sessions["session_id"] == sid
    sessions.loc[hit, "consent_scope"] = "none"
    note = f"consent withdrawn {_dt.date.today().isoformat()}" + (f": {reason}" if reason else "")
    old = sessions.loc[hit, "notes"].astype("object")
    sessions.loc[hit, "notes"] = [f"{o}; {note}" if isinstance(o, str) and o else note for o in old]
    ws.write(SESSIONS_LAYER, sessions, author=author, message=f"{sid}: {note}")
    flagged: dict[str, int] = {}
    for layer in MARK_LAYERS.values():
        frame = ws.read(layer)
        mine = (frame["session_id"] == sid).to_numpy() if len(frame) else np.zeros(0, bool)
        flagged[layer] = int(mine.sum())
        if mine.any():
            frame.loc[mine, "consent"] = False
            ws.write(layer, frame, author=author, message=f"{sid}: {note}")
    log.info("consent withdrawn for session %s (%s)", session.session_id, flagged)
    return flagged


# --------------------------------------------------------------------------- adding marks


def _normalise_marks(frame: pd.DataFrame) -> pd.DataFrame:
    """Map known codes and labels of category/time_of_day/severity; leave the rest."""
    out = frame.copy()
    for col in ("category", "time_of_day", "severity"):
        if col not in out.columns:
            continue
        vals = []
        for v in out[col].tolist():
            m = map_values(col, v)
            vals.append(m if m is not None else v)
        out[col] = pd.Series(vals, index=out.index, dtype="object")
    return out


def _consent_values(frame: pd.DataFrame, scope: str) -> list[bool]:
    own = frame["consent"].tolist() if "consent" in frame.columns else [None] * len(frame)
    session_ok = scope != "none"
    return [session_ok and map_values("consent", v) is not False for v in own]


def _accuracies(
    frame: pd.DataFrame, capture: str, zoom: float | None, geoms: gpd.GeoSeries
) -> list[float]:
    own = (
        pd.to_numeric(frame["accuracy_m"], errors="coerce").tolist()
        if "accuracy_m" in frame.columns
        else [math.nan] * len(frame)
    )
    zooms = (
        pd.to_numeric(frame["zoom"], errors="coerce").tolist()
        if "zoom" in frame.columns
        else [math.nan] * len(frame)
    )
    lats = geoms.to_crs(settings.display_crs).bounds["miny"].fillna(46.77).tolist()
    out = []
    for acc, z, lat in zip(own, zooms, lats, strict=True):
        if acc is not None and math.isfinite(acc) and acc > 0:
            out.append(float(acc))
        elif capture == "drawn_in_app":
            zz = z if z is not None and math.isfinite(z) else zoom
            out.append(drawn_accuracy_m(zz, lat=lat))
        elif capture == "paper_sheet":
            out.append(PAPER_ACCURACY_M)
        else:
            out.append(IMPORTED_ACCURACY_M)
    return out


def add_marks(
    ws: Workspace,
    session_id: str,
    marks: gpd.GeoDataFrame,
    *,
    author: str | None = None,
    capture: str | None = None,
    origin: str | None = None,
    zoom: float | None = None,
) -> MarksAdded:
    """Save a session's risk marks into ``risk_marks``, ``risk_paths`` and ``risk_areas``.

    Points (and multipoints) go to ``risk_marks``, lines to ``risk_paths``,
    polygons to ``risk_areas``; a geometry collection is split by family.
    Every mark is stamped with

    * ``session_id``;
    * ``consent``: the session's scope is not ``none`` and the mark's own
      ``consent`` (if the column exists) is not False;
    * ``capture`` and ``source``: ``"workshop <id>, <community>, <date>,
      drawn in app"`` (or ``paper sheet <sheet>``, ``imported from <file>``);
    * ``accuracy_m``: the mark's own value when positive; else, drawn in the
      app, from the zoom level (column ``zoom`` or `zoom`, see
      :func:`drawn_accuracy_m`) or :data:`DRAWN_ACCURACY_M`; from paper
      :data:`PAPER_ACCURACY_M`; imported :data:`IMPORTED_ACCURACY_M`.

    Category, severity and time-of-day labels in Romanian, English or
    Hungarian are mapped to their codes (:func:`map_values`). Every layer's
    marks are checked with :func:`pata_gis.layers.validate` (invalid polygons
    are repaired with ``make_valid`` and the repair is reported) before
    anything is written: when any mark is refused, nothing is saved. Marks
    whose ``external_id`` (a form record's uuid) is already stored for the
    session are skipped, so importing the same export twice adds nothing.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    session_id : str
        A session made with :func:`new_session`.
    marks : GeoDataFrame
        With a CRS and columns ``category``, ``severity``, optionally
        ``time_of_day``, ``note``, ``consent``, ``accuracy_m``, ``zoom``,
        ``external_id``. Other columns are dropped (they may hold names).
    author : str, optional
        For the history.
    capture : {"drawn_in_app", "paper_sheet", "imported"}, optional
        How the marks were captured; default what the importer recorded
        (``marks.attrs["pata_capture"]``), else ``"paper_sheet"`` when the
        marks have a ``sheet_id`` column (from
        :func:`pata_gis.sheets.marks_from_cells`; the source then names the
        sheet and the cell), else ``"drawn_in_app"``.
    origin : str, optional
        The sheet id (paper) or file name (imported) for ``source``; default
        ``marks.attrs["pata_origin"]``.
    zoom : float, optional
        The map's zoom level while drawing, for marks without a ``zoom``.

    Returns
    -------
    MarksAdded
        A dict ``{layer: marks saved}`` with ``.reports`` (validation reports
        per layer) and ``.skipped``.

    Raises
    ------
    InputError
        `marks` is not a GeoDataFrame with a CRS, is empty, or the session is
        unknown.
    ValidationError
        Listing every refused mark by layer and input row; nothing is saved.
    WorkspaceError
        The workspace lacks the mark layers or cannot be written (layers
        already saved in this call are restored to their previous version).
    """
    session = get_session(ws, session_id)
    if not isinstance(marks, gpd.GeoDataFrame):
        raise InputError(f"marks must be a GeoDataFrame, got {type(marks).__name__}")
    if marks.crs is None:
        raise InputError(
            "marks have no CRS; set it (marks.set_crs('EPSG:4326') for lon/lat drawings)"
        )
    if len(marks) == 0:
        raise InputError(note("err.ws.no_marks", sid=session_id))
    capture = (
        capture
        or marks.attrs.get("pata_capture")
        or ("paper_sheet" if "sheet_id" in marks.columns else "drawn_in_app")
    )
    if capture not in _CAPTURES:
        raise InputError(f"capture {capture!r} is unknown; use one of {', '.join(_CAPTURES)}")
    origin = origin if origin is not None else marks.attrs.get("pata_origin")
    how = _CAPTURE_TEXT[capture]
    if capture == "imported":
        how = f"imported from {origin}" if origin else how
    elif origin:
        how = f"{how} {origin}"
    source = f"{session.label}, {how}"

    frame = marks.reset_index(drop=True)
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # input row numbers
    geoms = np.asarray(frame.geometry.values, dtype=object)
    problems: list[str] = []
    bad = [
        i
        for i, g in zip(frame.index, geoms, strict=True)
        if g is None
        or shapely.is_empty(g)
        or (g.geom_type != "GeometryCollection" and _layers.geometry_family(g.geom_type) is None)
    ]
    if bad:
        problems.append(note("err.ws.no_geometry_rows", rows=", ".join(map(str, bad[:10]))))
    keep = [c for c in ("category", "severity", "time_of_day", "note", "external_id") if c in frame]
    base = _normalise_marks(pd.DataFrame(frame[keep]))
    base["session_id"] = session.session_id
    base["consent"] = _consent_values(frame, session.consent_scope)
    base["capture"] = capture
    base["source"] = _sources(frame, session.label, capture, source)
    base["accuracy_m"] = _accuracies(frame, capture, zoom, frame.geometry)
    stamped = gpd.GeoDataFrame(base, geometry=frame.geometry.values, crs=frame.crs)
    stamped.index = frame.index

    _require_layers(ws, MARK_LAYERS.values())
    checked: dict[str, gpd.GeoDataFrame] = {}
    reports: dict[str, ValidationReport] = {}
    for layer, sub in split_marks(stamped).items():
        rows = list(sub.index)
        try:
            out, report = _layers.validate(
                sub.reset_index(drop=True),
                ws.spec(layer),
                name=f"session {session.session_id} {layer}",
                region="cluj",
            )
        except ValidationError as exc:
            problems += [_in_layer(layer, p, rows) for p in exc.problems] or [
                _in_layer(layer, _message(exc), list(range(1, len(rows) + 1)))
            ]
            continue
        except InputError as exc:
            problems.append(_in_layer(layer, _message(exc), rows))
            continue
        checked[layer] = out
        reports[layer] = report
    if problems:
        raise ValidationError(
            note("err.ws.marks_problems", sid=session.session_id, n=str(len(problems))),
            problems,
        )

    result = MarksAdded({layer: 0 for layer in MARK_LAYERS.values()}, session)
    result.reports = reports
    to_save: dict[str, gpd.GeoDataFrame] = {}
    for layer, out in checked.items():
        out = _drop_known(ws, layer, session.session_id, out, result.skipped)
        if len(out):
            to_save[layer] = out
    _append_all(ws, to_save, author=author, message=source)
    for layer, out in to_save.items():
        result[layer] = len(out)
    log.info("%s", result)
    return result


def _sources(frame: pd.DataFrame, label: str, capture: str, default: str) -> list[str]:
    """Per-mark source: a paper mark names its sheet and cell (from :mod:`pata_gis.sheets`)."""
    if capture != "paper_sheet" or "sheet_id" not in frame.columns:
        return [default] * len(frame)
    cells = frame["cell"].tolist() if "cell" in frame.columns else [None] * len(frame)
    out = []
    for sheet, cell in zip(frame["sheet_id"].tolist(), cells, strict=True):
        if not isinstance(sheet, str) or not sheet.strip():
            out.append(default)
            continue
        text = f"{label}, paper sheet {sheet.strip()}"
        if isinstance(cell, str) and cell.strip():
            text += f", cell {cell.strip()}"
        out.append(text)
    return out


def _in_layer(layer: str, problem: str, rows: list[int]) -> str:
    """`problem` of one mark layer, with the input rows of its features when they differ."""
    if layer not in MARK_LAYERS.values():  # pragma: no cover - only the mark layers are checked
        return f"{layer}: {problem}{_row_note(rows)}"
    if rows == list(range(1, len(rows) + 1)):
        return note(f"err.ws.layer.{layer}", problem=problem)
    pairs = ", ".join(f"{k}={r}" for k, r in enumerate(rows[:12], start=1))
    pairs += " ..." if len(rows) > 12 else ""
    return note(f"err.ws.layer_rows.{layer}", problem=problem, rows=pairs)


def _message(exc: BaseException) -> str:
    """The message of `exc`: its :class:`~pata_gis.messages.Note` when it has one."""
    msg = getattr(exc, "message", None) if isinstance(exc, ValidationError) else None
    if msg is None:
        msg = exc.args[0] if exc.args else str(exc)
    return msg if isinstance(msg, Note) else str(exc)


def _row_note(rows: list[int]) -> str:
    if rows == list(range(1, len(rows) + 1)):
        return ""
    pairs = ", ".join(f"{k}={r}" for k, r in enumerate(rows[:12], start=1))
    return f" [feature=input row: {pairs}{' ...' if len(rows) > 12 else ''}]"


def _drop_known(
    ws: Workspace, layer: str, sid: str, out: gpd.GeoDataFrame, skipped: list[str]
) -> gpd.GeoDataFrame:
    """Leave out marks whose form record (external_id) is already stored for the session."""
    if "external_id" not in out.columns or out["external_id"].isna().all():
        return out
    stored = ws.read(layer)
    if stored.empty or "external_id" not in stored.columns:
        return out
    known = set(stored.loc[stored["session_id"] == sid, "external_id"].dropna().astype(str))
    dup = out["external_id"].astype("object").isin(known).to_numpy()
    for ext in out.loc[dup, "external_id"]:
        skipped.append(note("warn.ws.already_stored", layer=layer, ext=str(ext), sid=sid))
    return out.loc[~dup].reset_index(drop=True)


def _append_all(
    ws: Workspace, frames: Mapping[str, gpd.GeoDataFrame], *, author: str | None, message: str
) -> None:
    """Append to several layers in one atomic save (all of them or none)."""
    n = sum(len(f) for f in frames.values())
    ws.append_many(frames, author=author, message=f"{message}: {n} marks")


# --------------------------------------------------------------------------- reading marks


def session_marks(ws: Workspace, sid: str) -> gpd.GeoDataFrame:
    """Every mark of a session, points, paths and areas together.

    Returns
    -------
    GeoDataFrame
        EPSG:4326, the mark fields plus ``layer`` (which of the three layers);
        ``attrs["sensitivity"] = "confidential"``. Marks with ``consent =
        False`` are included (this is the session's own view).
    """
    _require_layers(ws, MARK_LAYERS.values())
    sid = _canonical_id(sid)
    parts = []
    for layer in MARK_LAYERS.values():
        frame = ws.read(layer)
        frame = frame[frame["session_id"] == sid].copy() if len(frame) else frame
        frame["layer"] = layer
        parts.append(frame)
    out = _concat(parts)
    out.attrs["sensitivity"] = "confidential"
    out.attrs["session_id"] = sid
    return out


def merge_groups(
    ws: Workspace,
    community: str,
    *,
    audience: str | None = None,
    include_unconsented: bool = False,
) -> gpd.GeoDataFrame:
    """Every mark of every session of a community, for the consensus analysis.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    community : str
        The community (as in :func:`new_session`).
    audience : {"community", "aggregate", "planners", "police"}, optional
        Keep only the sessions whose consent covers this audience
        (:func:`consent_allows`): pass ``"aggregate"`` for a consensus map
        that leaves the community, ``"planners"`` or ``"police"`` for masked
        marks. Default: every session (the community's own view).
    include_unconsented : bool
        Also return marks with ``consent = False`` (default: left out, since
        nothing may use them).

    Returns
    -------
    GeoDataFrame
        EPSG:4326; the mark fields, ``layer``, and the session's
        ``community``, ``date``, ``group_name``, ``participants`` and
        ``consent_scope``; sorted by date and session.
        ``attrs["sensitivity"] = "confidential"``.
    """
    name = _community(community)
    sessions = list_sessions(ws, community=name)
    if audience is not None:
        sessions = [s for s in sessions if s.allows(audience)]
    info = pd.DataFrame(
        [
            {
                "session_id": s.session_id,
                "community": s.community,
                "date": s.date.isoformat(),
                "group_name": s.group,
                "participants": s.participants,
                "consent_scope": s.consent_scope,
            }
            for s in sessions
        ],
        columns=["session_id", "community", "date", "group_name", "participants", "consent_scope"],
    )
    parts = []
    for layer in MARK_LAYERS.values():
        frame = ws.read(layer)
        frame = frame[frame["session_id"].isin(info["session_id"])].copy() if len(frame) else frame
        frame["layer"] = layer
        parts.append(frame)
    marks = _concat(parts)
    if not include_unconsented and len(marks):
        marks = marks[marks["consent"].fillna(False).astype(bool)]
    merged = marks.merge(info, on="session_id", how="left")
    out = gpd.GeoDataFrame(merged, geometry="geometry", crs=settings.display_crs)
    out["participants"] = out["participants"].astype("Int64")
    out = out.sort_values(["date", "session_id"], kind="stable").reset_index(drop=True)
    out.attrs["sensitivity"] = "confidential"
    out.attrs["community"] = name
    out.attrs["audience"] = audience
    return out


def _concat(parts: list[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    nonempty = [p for p in parts if len(p)]
    if not nonempty:
        cols = list(dict.fromkeys(c for p in parts for c in p.columns if c != "geometry"))
        return gpd.GeoDataFrame(
            {c: pd.Series([], dtype="object") for c in cols},
            geometry=gpd.GeoSeries([], crs=settings.display_crs),
        )
    out = pd.concat(nonempty, ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=settings.display_crs)


# --------------------------------------------------------------------------- community paths


def add_paths(
    ws: Workspace,
    session_id: str,
    lines: gpd.GeoDataFrame,
    *,
    kind: str = "path",
    surface: str | None = None,
    lit: bool | None = None,
    name: str | None = None,
    author: str | None = None,
    connect_m: float | None = None,
    confirm_public: bool = False,
) -> ValidationReport:
    """Save paths mapped by residents into ``roads`` (``mapped_by = "community"``).

    The paths become part of the street network (:meth:`pata_gis.network.Network.from_lines`
    joins line ends closer than 5 m). A path end that stops short of a road
    (or of another new path) by at most `connect_m` is joined to it: a vertex
    is added at the nearest point of that line, and the change is reported.
    A path that still touches no road or other path is reported as a warning
    (the network cannot reach it).

    ``roads`` is a public layer, so a session may add paths only if its
    consent reaches planners (``share_with_planners`` or wider), or if the
    group agreed that these paths may go on the public map (``confirm_public``).

    Parameters
    ----------
    ws : Workspace
        The workspace.
    session_id : str
        The session the paths were mapped in.
    lines : GeoDataFrame
        LineStrings or MultiLineStrings with a CRS; columns ``kind``,
        ``surface``, ``lit``, ``name``, ``notes`` are used where present.
    kind : str
        The road kind for lines without one: ``path`` (default), ``footway``,
        ``track``, ``rail_crossing``...
    surface, lit, name : optional
        Values for lines without them.
    author : str, optional
        For the history.
    connect_m : float, optional
        ``None`` means :data:`PATH_CONNECT_M` (20 m); 0 joins nothing.
    confirm_public : bool
        The group agreed that the paths may be shown on public maps.

    Returns
    -------
    ValidationReport
        What was repaired, joined and noticed.

    Raises
    ------
    SensitivityError
        The session's consent does not allow a public layer.
    ValidationError
        A path breaks the ``roads`` spec; nothing is saved.
    """
    session = get_session(ws, session_id)
    if not (session.allows("planners") or confirm_public):
        raise SensitivityError(
            note("err.ws.paths_public", sid=session_id, scope=repr(session.consent_scope))
        )
    if not isinstance(lines, gpd.GeoDataFrame) or lines.crs is None:
        raise InputError("lines must be a GeoDataFrame with a CRS (e.g. EPSG:4326)")
    if len(lines) == 0:
        raise InputError(note("err.ws.no_paths", sid=session_id))
    tol = PATH_CONNECT_M if connect_m is None else float(connect_m)
    if not tol >= 0:
        raise InputError(f"connect_m must be a distance >= 0 m, got {connect_m!r}")
    frame = lines.reset_index(drop=True)
    if "notes" not in frame.columns and "note" in frame.columns:
        frame = frame.rename(columns={"note": "notes"})
    cols = {
        "name": name,
        "kind": kind,
        "surface": surface,
        "lit": lit,
        "notes": None,
    }
    data: dict[str, Any] = {}
    for col, default in cols.items():
        if col in frame.columns:
            data[col] = frame[col].astype("object").where(frame[col].notna(), default).tolist()
        else:
            data[col] = [default] * len(frame)
    data["mapped_by"] = "community"
    data["source"] = f"{session.label}, community-mapped path"
    data["accuracy_m"] = (
        pd.to_numeric(frame["accuracy_m"], errors="coerce").fillna(DRAWN_ACCURACY_M).tolist()
        if "accuracy_m" in frame.columns
        else DRAWN_ACCURACY_M
    )
    paths = gpd.GeoDataFrame(data, geometry=frame.geometry.values, crs=frame.crs)
    spec = ws.spec("roads")
    checked, report = _layers.validate(
        paths, spec, name=f"session {session_id} paths", region="cluj"
    )
    checked = _connect_paths(ws, checked, tol, report)
    ws.append(
        "roads",
        checked,
        author=author,
        message=f"{session.label}: {len(checked)} community-mapped paths",
    )
    log.info("%s", report)
    return report


def _connect_paths(
    ws: Workspace, paths: gpd.GeoDataFrame, tol: float, report: ValidationReport
) -> gpd.GeoDataFrame:
    """Join path ends within `tol` m of a road or another path; report unconnected paths.

    An end closer than the network's own snap (5 m) is left as drawn (the
    network joins it); an end within `tol` gets a vertex on the nearest point
    of the nearest line. A path that, after that, still comes no closer than
    5 m to any road or other new path is reported: the network cannot reach it.
    A dead end elsewhere (a path to a house) is normal and not reported.
    """
    snap = 5.0  # what Network.from_lines joins by itself (network.SNAP_TOLERANCE_M)
    roads = ws.read("roads")
    road_geoms = list(roads.to_crs(settings.metric_crs).geometry) if len(roads) else []
    new_geoms = list(paths.to_crs(settings.metric_crs).geometry)
    out = []
    for i, g in enumerate(new_geoms):
        others = road_geoms + [h for j, h in enumerate(new_geoms) if j != i]
        if not others:
            report.warnings.append(note("warn.ws.path_no_road", n=str(i + 1)))
            out.append(g)
            continue
        tree = shapely.STRtree(others)
        parts = []
        for part in shapely.get_parts(g):
            coords = list(part.coords)
            for end, pos in (("start", 0), ("end", -1)):
                p = Point(coords[pos])
                k = int(tree.nearest(p))
                d = float(p.distance(others[k]))
                if snap < d <= tol:
                    q = others[k].interpolate(others[k].project(p))
                    if pos == 0:
                        coords.insert(0, (q.x, q.y))
                    else:
                        coords.append((q.x, q.y))
                    report.changes.append(
                        note(f"fix.ws.path_{end}_joined", n=str(i + 1), d=f"{d:.0f}")
                    )
            parts.append(LineString(coords))
        joined = parts[0] if len(parts) == 1 else shapely.MultiLineString(parts)
        gap = float(min(joined.distance(o) for o in others))
        if gap > snap:
            report.warnings.append(
                note("warn.ws.path_far", n=str(i + 1), gap=f"{gap:.0f}", tol=f"{tol:g}")
            )
        out.append(joined)
    back = gpd.GeoSeries(out, crs=settings.metric_crs).to_crs(settings.display_crs)
    return paths.set_geometry(back.values)


# --------------------------------------------------------------------------- importers


def _mark_frame(records: list[dict[str, Any]], geoms: list[Any]) -> gpd.GeoDataFrame:
    cols = ["category", "severity", "time_of_day", "note", "consent", "accuracy_m", "external_id"]
    df = pd.DataFrame(records, columns=cols)
    df["severity"] = pd.array(df["severity"].tolist(), dtype="Int64")
    df["consent"] = pd.array(df["consent"].tolist(), dtype="boolean")
    df["accuracy_m"] = pd.to_numeric(df["accuracy_m"], errors="coerce").astype("float64")
    for c in ("category", "time_of_day", "note", "external_id"):
        df[c] = df[c].astype("object")
    df["capture"] = "imported"
    return gpd.GeoDataFrame(df, geometry=gpd.GeoSeries(geoms, crs=settings.display_crs))


def _map_record(
    row: int,
    raw: Mapping[str, Any],
    report: ImportReport,
    value_map: Mapping[str, Mapping[str, Any]] | None,
) -> dict[str, Any]:
    """Map one record's category, severity, time of day, note, consent."""
    vm = value_map or {}
    rec: dict[str, Any] = {}
    note = raw.get("note")
    note = None if note is None or (isinstance(note, str) and not note.strip()) else str(note)
    for f in ("category", "severity", "time_of_day", "consent"):
        value = raw.get(f)
        mapped = map_values(f, value, extra=vm.get(f))
        empty = value is None or (isinstance(value, str) and not value.strip())
        if mapped is None and not empty:
            report.unmapped.append(Unmapped(row, f, str(value)))
            if f == "category":
                mapped = "other"
                extra = f"[form category: {value}]"
                note = f"{note} {extra}" if note else extra
        rec[f] = mapped
    if rec["category"] is None:
        report.unmapped.append(Unmapped(row, "category", ""))
    rec["note"] = note
    return rec


def _find_columns(headers: list[str]) -> dict[str, str]:
    """The header used for each mark field (exact name, then last group part)."""
    found: dict[str, str] = {}
    for h in headers:
        if h.startswith(("_", "$")):  # Kobo/Mapeo metadata (_notes, _submitted_by, ...)
            continue
        keys = [_key(h), _key(re.sub(r"\(.*?\)", "", h))]
        for sep in ("/", "-", ":"):
            keys.append(_key(h.split(sep)[-1]))
        for f, names in _COLUMN_KEYS.items():
            if f in found:
                continue
            if any(k in names for k in keys if k):
                found[f] = h
    return found


def _use_columns(
    path: Path,
    found: dict[str, str],
    headers: list[str],
    columns: Mapping[str, str] | None,
    *,
    strict: bool = True,
) -> dict[str, str]:
    """Override the recognised columns with the caller's (checked to exist)."""
    out = dict(found)
    for f, h in (columns or {}).items():
        if f not in _COLUMN_ALIASES:
            raise InputError(
                note("err.ws.not_mark_field", field=repr(f), choices=", ".join(_COLUMN_ALIASES))
            )
        if h in headers:
            out[f] = h
        elif strict:
            raise InputError(
                note(
                    "err.ws.not_a_column",
                    path=path,
                    field=repr(f),
                    column=repr(h),
                    columns=", ".join(headers[:20]),
                )
            )
    return out


def _read_csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]], str]:
    if not path.exists():
        raise InputError(note("err.ws.no_file", path=path))
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(note("err.ws.empty_file", path=path))
    try:
        text = raw.decode("utf-8-sig")
        enc = "utf-8"
    except UnicodeDecodeError:
        text = raw.decode("cp1250")
        enc = "cp1250"
    sample = text[:20000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample.splitlines()[0], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    headers = [h for h in (reader.fieldnames or []) if h is not None]
    if not headers:
        raise InputError(note("err.ws.no_header", path=path))
    rows = []
    for n, row in enumerate(reader, start=1):
        if None in row:
            raise InputError(note("err.ws.row_too_long", path=path, row=str(n)))
        rows.append({k: (v if v is not None else "") for k, v in row.items()})
    return headers, rows, enc


def _parse_geo_text(text: str) -> list[tuple[float, float, float | None]] | None:
    """Parse ``"lat lon alt acc;lat lon alt acc;..."``; ``None`` when it is not one."""
    verts = []
    for part in text.strip().strip(";").split(";"):
        m = _VERTEX_RE.match(part)
        if not m:
            return None
        lat, lon = float(m.group(1)), float(m.group(2))
        acc = float(m.group(4)) if m.group(4) is not None else None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None
        verts.append((lon, lat, acc))
    return verts or None


def _geo_from_text(
    verts: list[tuple[float, float, float | None]], column: str
) -> tuple[Any, float | None, str]:
    """Point, line or polygon from parsed vertices, its worst accuracy, and the message key
    of what is wrong (``""`` when nothing is)."""
    xy = [(x, y) for x, y, _ in verts]
    accs = [a for _, _, a in verts if a is not None and a > 0]
    acc = max(accs) if accs else None
    if len(xy) == 1:
        return Point(xy[0]), acc, ""
    hint = _key(column)
    closed = len(xy) >= 4 and xy[0] == xy[-1]
    wants_area = any(h in hint for h in _AREA_HINTS)
    wants_line = any(h in hint.split("_") for h in _LINE_HINTS) or "trace" in hint
    if (closed and not wants_line) or wants_area:
        ring = xy if xy[0] == xy[-1] else [*xy, xy[0]]
        if len({*ring}) < 3:
            return None, acc, "warn.ws.area_points"
        return Polygon(ring), acc, ""
    if len({*xy}) < 2:
        return None, acc, "warn.ws.path_points"
    return LineString(xy), acc, ""


def _read_form_csv(
    path: Path,
    form: str,
    value_map: Mapping[str, Mapping[str, Any]] | None,
    columns: Mapping[str, str] | None = None,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    headers, rows, enc = _read_csv_rows(path)
    report = ImportReport(file=path.name, form=form, n_rows=len(rows))
    if enc != "utf-8":
        report.notes.append(note("warn.ws.cp1250"))
    cols = _use_columns(path, _find_columns(headers), headers, columns)
    if "category" not in cols:
        raise InputError(
            note(
                "err.ws.no_category_column",
                path=path,
                looked=", ".join(sorted(_COLUMN_ALIASES["category"])[:6]),
                columns=", ".join(headers[:15]),
            )
        )
    # split geopoint columns: _<name>_latitude (Kobo) or <name>-Latitude (ODK Central)
    groups: dict[str, dict[str, str]] = {}
    for h in headers:
        m = _PART_RE.match(h)
        if m:
            groups.setdefault(m.group("prefix").lstrip("_"), {})[m.group("part").lower()] = h
    point_groups = {k: v for k, v in groups.items() if "latitude" in v and "longitude" in v}
    split_cols = {h for v in point_groups.values() for h in v.values()}
    used = set(cols.values()) | split_cols
    # geo strings: geotrace/geoshape/geopoint text columns
    geo_text: list[str] = []
    for h in headers:
        if h in used or h.lstrip("_") in point_groups or _key(h) in _ID_COLUMNS:
            continue
        values = [r[h] for r in rows if r[h].strip()]
        if values and all(_parse_geo_text(v) is not None for v in values):
            if any(";" in v or len(v.split()) >= 2 for v in values):
                geo_text.append(h)
    if not point_groups and not geo_text:
        raise InputError(note("err.ws.no_location_columns", path=path))
    id_col = next((h for k in _ID_COLUMNS for h in headers if _key(h) == k), None)
    review_col = next((h for h in headers if _key(h) in ("reviewstate", "validation_status")), None)
    report.notes.append(
        note(
            "warn.ws.columns_used",
            columns=", ".join(f"{f}={h!r}" for f, h in cols.items()),
            location=", ".join([*point_groups, *geo_text]),
        )
    )
    records: list[dict[str, Any]] = []
    geoms: list[Any] = []
    defaulted = 0
    for n, r in enumerate(rows, start=1):
        if review_col and any(w in _key(r[review_col]) for w in ("rejected", "not_approved")):
            report.skipped.append(note("warn.ws.row_rejected", row=str(n), state=r[review_col]))
            continue
        candidates: list[tuple[int, Any, float | None]] = []
        errors: list[tuple[str, str]] = []  # (message key, field) of unusable locations
        for prefix, parts in point_groups.items():
            lat_s, lon_s = r[parts["latitude"]].strip(), r[parts["longitude"]].strip()
            if not lat_s and not lon_s:
                continue
            try:
                lat, lon = float(lat_s.replace(",", ".")), float(lon_s.replace(",", "."))
            except ValueError:
                raise InputError(
                    note(
                        "err.ws.latlon_not_numbers",
                        path=path,
                        row=str(n),
                        field=repr(prefix),
                        lat=repr(lat_s),
                        lon=repr(lon_s),
                    )
                ) from None
            acc_col = parts.get("precision") or parts.get("accuracy")
            acc = None
            if acc_col and r[acc_col].strip():
                with contextlib.suppress(ValueError):
                    acc = float(r[acc_col].replace(",", "."))
            candidates.append((0, Point(lon, lat), acc if acc and acc > 0 else None))
        for h in geo_text:
            if not r[h].strip():
                continue
            verts = _parse_geo_text(r[h])
            if verts is None:  # pragma: no cover - columns were checked above
                continue
            g, acc, err = _geo_from_text(verts, h)
            if g is None:
                errors.append((err, repr(h)))
                continue
            rank = {"Point": 0, "LineString": 1, "Polygon": 2}[g.geom_type]
            candidates.append((rank, g, acc))
        if not candidates:
            if errors:  # "row 3: field 'a': ...; field 'b': ..."
                (key, name), rest = errors[0], errors[1:]
                first = note(key.replace("warn.ws.", "warn.ws.row_"), row=str(n), field=name)
                why = join_notes([first, *(note(k, field=f) for k, f in rest)])
            else:
                why = note("warn.ws.row_no_location", row=str(n))
            report.skipped.append(why)
            continue
        rank, geom, acc = max(candidates, key=lambda c: c[0])
        if len({c[0] for c in candidates}) > 1 or len(candidates) > 1:
            report.notes.append(note(f"warn.ws.several_{geom.geom_type.lower()}", row=str(n)))
        raw = {f: r.get(h) for f, h in cols.items()}
        rec = _map_record(n, raw, report, value_map)
        if acc is None:
            defaulted += 1
        rec["accuracy_m"] = acc if acc is not None else IMPORTED_ACCURACY_M
        rec["external_id"] = r[id_col].strip() or None if id_col else None
        records.append(rec)
        geoms.append(geom)
    if defaulted:
        report.notes.append(
            note("warn.ws.no_precision", n=str(defaulted), m=f"{IMPORTED_ACCURACY_M:g}")
        )
    return _finish_import(path, records, geoms, report)


def _finish_import(
    path: Path, records: list[dict[str, Any]], geoms: list[Any], report: ImportReport
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    gdf = _mark_frame(records, geoms)
    if len(gdf):
        _crs.check(gdf, name=path.name, region="romania")
    gdf.attrs["pata_capture"] = "imported"
    gdf.attrs["pata_origin"] = path.name
    report.n_marks = len(gdf)
    for u in report.unmapped:
        log.info("%s: %s", path.name, u)
    return gdf, report


def _read_features(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        raise InputError(note("err.ws.no_file", path=path))
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(note("err.ws.geojson_invalid", path=path, error=str(exc))) from exc
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        feats = data.get("features")
    elif isinstance(data, list):
        feats = data
    elif isinstance(data, dict) and data.get("type") == "Feature":
        feats = [data]
    else:
        raise InputError(note("err.ws.not_collection", path=path))
    if not isinstance(feats, list):
        raise InputError(note("err.ws.features_not_list", path=path))
    for n, f in enumerate(feats, start=1):
        if not isinstance(f, dict) or f.get("type") != "Feature":
            raise InputError(note("err.ws.not_feature", path=path, n=str(n)))
    return feats


def _geometry(path: Path, n: int, f: Mapping[str, Any]) -> Any:
    g = f.get("geometry")
    if not g:
        return None
    try:
        geom = shape(g)
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        raise InputError(
            note("err.ws.broken_geometry", path=path, n=str(n), error=str(exc))
        ) from exc
    return None if geom.is_empty else geom


def _flat(props: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in props.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out


def _read_geo_features(
    path: Path,
    form: str,
    value_map: Mapping[str, Mapping[str, Any]] | None,
    columns: Mapping[str, str] | None = None,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    feats = _read_features(path)
    report = ImportReport(file=path.name, form=form, n_rows=len(feats))
    records: list[dict[str, Any]] = []
    geoms: list[Any] = []
    defaulted = 0
    for n, f in enumerate(feats, start=1):
        props = f.get("properties") or {}
        if not isinstance(props, Mapping):
            raise InputError(note("err.ws.properties_not_object", path=path, n=str(n)))
        raw_tags = props.get("tags")
        tags: dict[str, Any] = dict(raw_tags) if isinstance(raw_tags, Mapping) else {}
        flat = {**_flat({k: v for k, v in props.items() if k != "tags"}), **tags}
        geom = _geometry(path, n, f)
        if geom is None:
            report.skipped.append(note("warn.ws.feature_no_location", n=str(n)))
            continue
        heads = list(flat)
        cols = _use_columns(path, _find_columns(heads), heads, columns, strict=False)
        if "category" not in cols:
            for k in ("categoryId", "categoryid", "category_id", "preset"):
                if k in flat:
                    cols["category"] = k
                    break
        if "note" not in cols and "notes" in flat:
            cols["note"] = "notes"
        raw = {fname: flat.get(h) for fname, h in cols.items()}
        rec = _map_record(n, raw, report, value_map)
        acc = None
        for k, v in flat.items():
            lk = k.lower()
            if lk in ("accuracy_m", "accuracy") or lk.endswith((".accuracy", "_precision")):
                with contextlib.suppress(TypeError, ValueError):
                    acc = float(v)
                break
        if acc is None or not math.isfinite(acc) or acc <= 0:
            acc = None
            defaulted += 1
        rec["accuracy_m"] = acc if acc is not None else IMPORTED_ACCURACY_M
        ext = f.get("id", None)
        if ext is None:
            ext = next(
                (flat[k] for k in flat if _key(k) in _ID_COLUMNS and flat[k] not in (None, "")),
                None,
            )
        rec["external_id"] = str(ext) if ext is not None else None
        records.append(rec)
        geoms.append(geom)
    if defaulted:
        report.notes.append(
            note("warn.ws.no_gps_accuracy", n=str(defaulted), m=f"{IMPORTED_ACCURACY_M:g}")
        )
    return _finish_import(path, records, geoms, report)


def read_kobo(
    path: str | Path,
    *,
    value_map: Mapping[str, Mapping[str, Any]] | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read a KoboToolbox export (CSV, ``;`` or ``,`` separated, or GeoJSON) as risk marks.

    The form needs a category question and a location: a geopoint (Kobo
    writes ``<name>`` as ``"lat lon alt precision"`` plus the columns
    ``_<name>_latitude``, ``_<name>_longitude``, ``_<name>_altitude``,
    ``_<name>_precision``), a geotrace (``"lat lon alt acc;lat lon alt acc;..."``,
    becomes a path) or a geoshape (a closed ring, becomes an area). Headers
    may be XML names or labels, with group paths (``grp/category``). A row
    with several locations keeps the richest (area > path > point).

    Recognised questions (by name or label, English/Romanian/Hungarian):
    category, severity, time of day, note, consent; the ``_uuid`` becomes
    ``external_id`` (a second import of the same export adds nothing).
    Everything else (submitter names, device ids) is left out. Rows rejected
    in review (``_validation_status`` not approved) are skipped.

    Parameters
    ----------
    path : str or Path
        The export file.
    value_map : mapping, optional
        The form's own codes per field, e.g. ``{"category": {"c7": "dogs"}}``.
    columns : mapping, optional
        The form's own question names or labels per field, when they are not
        recognised, e.g. ``{"severity": "Cât de grav? (1-5)"}``.

    Returns
    -------
    GeoDataFrame
        EPSG:4326; ``category``, ``severity``, ``time_of_day``, ``note``,
        ``consent``, ``accuracy_m`` (the GPS precision; for points placed by
        hand, :data:`IMPORTED_ACCURACY_M`), ``external_id``, ``capture``.
        Ready for :func:`add_marks`.
    ImportReport
        Unmapped values by row, skipped rows, notes.

    Raises
    ------
    InputError
        A missing or damaged file, no category or location column, a location
        that is not numbers (naming the row and field).
    CRSError
        Swapped latitude/longitude or locations outside Romania.
    """
    p = Path(path)
    if p.suffix.lower() in (".geojson", ".json"):
        return _read_geo_features(p, "kobo", value_map, columns)
    return _read_form_csv(p, "kobo", value_map, columns)


def read_odk(
    path: str | Path,
    *,
    value_map: Mapping[str, Mapping[str, Any]] | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read an ODK export (ODK Central or Briefcase CSV, or GeoJSON) as risk marks.

    ODK Central splits a geopoint into ``<name>-Latitude``, ``<name>-Longitude``,
    ``<name>-Altitude``, ``<name>-Accuracy`` and joins groups with ``-``
    (``grp-category``); geotraces and geoshapes stay ``"lat lon alt acc;..."``.
    ``KEY``/``instanceID`` becomes ``external_id``; rows with ``ReviewState``
    ``rejected`` are skipped. Otherwise as :func:`read_kobo`.
    """
    p = Path(path)
    if p.suffix.lower() in (".geojson", ".json"):
        return _read_geo_features(p, "odk", value_map, columns)
    return _read_form_csv(p, "odk", value_map, columns)


def read_mapeo(
    path: str | Path,
    *,
    value_map: Mapping[str, Mapping[str, Any]] | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read a Mapeo (or CoMapeo) GeoJSON export of observations as risk marks.

    Each observation is a point Feature whose ``properties.tags`` hold the
    preset's ``categoryId``, the ``notes`` and any custom fields (a project
    preset can add ``severity`` and ``time_of_day``); flattened tags (the
    CoMapeo export) work too. The GPS accuracy is read from
    ``metadata.location.position.coords.accuracy`` when present. Observations
    saved without a location are skipped and reported. The category id is
    matched like a form value (``"dogs"``, ``"risc-caini"`` -> ``dogs``);
    pass `value_map` for other preset ids.

    Returns
    -------
    GeoDataFrame, ImportReport
        As :func:`read_kobo`.
    """
    return _read_geo_features(Path(path), "mapeo", value_map, columns)


def read_geojson(
    path: str | Path,
    *,
    value_map: Mapping[str, Mapping[str, Any]] | None = None,
    columns: Mapping[str, str] | None = None,
) -> tuple[gpd.GeoDataFrame, ImportReport]:
    """Read any GeoJSON of marks (points, lines, polygons) whose properties name the fields.

    Properties are matched as in :func:`read_kobo` (``category``,
    ``severity``, ``time_of_day``, ``note``, ``consent``, ``accuracy_m``).

    Returns
    -------
    GeoDataFrame, ImportReport
        As :func:`read_kobo`.
    """
    return _read_geo_features(Path(path), "geojson", value_map, columns)


_READERS = {
    "kobo": read_kobo,
    "odk": read_odk,
    "mapeo": read_mapeo,
    "geojson": read_geojson,
}


def detect_form(path: str | Path) -> str:
    """Which export `path` is: ``"kobo"``, ``"odk"``, ``"mapeo"`` or ``"geojson"``.

    A CSV with ``KEY``/``SubmissionDate`` columns or ``<name>-Latitude`` is
    ODK; any other CSV is read as Kobo. A GeoJSON whose features carry
    ``tags`` or ``categoryId`` is Mapeo; one with ``_uuid``/``_submission_time``
    is Kobo; any other is generic GeoJSON.
    """
    p = Path(path)
    if p.suffix.lower() in (".geojson", ".json"):
        feats = _read_features(p)
        keys: set[str] = set()
        for f in feats[:50]:
            props = f.get("properties") or {}
            if isinstance(props, Mapping):
                keys |= set(props)
                if isinstance(props.get("tags"), Mapping):
                    keys |= set(props["tags"])
        if "tags" in keys or "categoryId" in keys:
            return "mapeo"
        if {"_uuid", "_submission_time"} & keys:
            return "kobo"
        return "geojson"
    headers, _, _ = _read_csv_rows(p)
    if {"KEY", "SubmissionDate"} & set(headers) or any(
        re.search(r"-(Latitude|Longitude)$", h) for h in headers
    ):
        return "odk"
    return "kobo"


def import_marks(
    ws: Workspace,
    sid: str,
    path: str | Path,
    *,
    form: str | None = None,
    value_map: Mapping[str, Mapping[str, Any]] | None = None,
    columns: Mapping[str, str] | None = None,
    author: str | None = None,
) -> tuple[MarksAdded, ImportReport]:
    """Read a Kobo, ODK, Mapeo or GeoJSON export and add its marks to a session.

    The one call behind an "import" button or command: :func:`detect_form`
    (unless `form` is given), the matching reader, then :func:`add_marks`.

    Returns
    -------
    MarksAdded, ImportReport
        What was saved per layer, and what the reader could not map or left out.

    Raises
    ------
    InputError, CRSError, ValidationError
        As the reader and :func:`add_marks`; nothing is saved then.
    """
    kind = form or detect_form(path)
    if kind not in _READERS:
        raise InputError(note("err.ws.form_unknown", form=repr(kind), choices=", ".join(_READERS)))
    marks, report = _READERS[kind](path, value_map=value_map, columns=columns)
    if len(marks) == 0:
        name, n = Path(path).name, str(report.n_rows)
        if not report.skipped:
            raise InputError(note("err.ws.nothing_imported", file=name, n=n))
        why = join_notes(report.skipped[:3])
        raise InputError(note("err.ws.nothing_imported_why", file=name, n=n, why=why))
    added = add_marks(ws, sid, marks, author=author)
    return added, report
