"""The paper round-trip of community mapping workshops.

A facilitator prints an A3 (or A4) sheet of one community: the map with a
labelled coordinate grid (columns A, B, C... from west to east, rows 1, 2, 3...
from north to south), a sheet id, the legend of risk categories in Romanian and
English, a severity scale 1–5 and an entry form. Residents mark places on the
sheet; afterwards each mark is typed in by its grid cell ("C4") or the quarter
of a cell ("C4-NE") and :func:`marks_from_cells` places it at the centre of
that cell with an honest accuracy (half the cell's diagonal).

The sheet id (``DAL-20261125-01-F``: community, date, sequence number and a
check character) is printed large on the sheet; a mis-copied id is refused, so
marks cannot land on the wrong sheet's grid. The grid serialises to JSON
(:meth:`SheetGrid.to_dict`) and is stored with the session, so a sheet can be
read back months later.

Examples
--------
>>> g = SheetGrid(x0=399_000.0, y_top=587_000.0, cell_size=100.0, n_cols=10, n_rows=8)
>>> g.cell_of(399_250.0, 586_850.0)
'C2'
>>> g.cell_centre("C2")
(399250.0, 586850.0)
>>> sid = sheet_id("Dallas", "2026-11-25", 1)
>>> sid
'DAL-20261125-01-F'
>>> check_sheet_id(sid)
'DAL-20261125-01-F'
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
import textwrap
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from pata_gis import crs, settings
from pata_gis._errors import InputError, ValidationError
from pata_gis.messages import Note, note
from pata_gis.printing import (
    MARGIN_MM,
    NICE_SCALES,
    map_frame_mm,
    render_sheet,
)
from pata_gis.specs import LayerSpec

__all__ = [
    "CATEGORIES",
    "COMMUNITY_CODES",
    "QUARTERS",
    "SEVERITY",
    "TIMES_OF_DAY",
    "ScanTransform",
    "SheetGrid",
    "SheetId",
    "check_sheet_id",
    "grids_from_meta",
    "make_sheet",
    "marks_from_cells",
    "marks_from_scan",
    "parse_sheet_id",
    "scan_transform",
    "sheet_id",
]

log = logging.getLogger(__name__)

#: Risk categories of the workshops (codes of the ``risk_marks`` spec), each with
#: Romanian and English labels and the symbol printed on the sheet.
CATEGORIES: dict[str, dict[str, str]] = {
    "conflict": {
        "ro": "Conflict sau violență",
        "en": "Conflict or violence",
        "hu": "Konfliktus vagy erőszak",
        "marker": "X",
        "color": "#b2182b",
    },
    "traffic": {
        "ro": "Trafic",
        "en": "Traffic",
        "hu": "Forgalom",
        "marker": ">",
        "color": "#e66101",
    },
    "dogs": {"ro": "Câini", "en": "Dogs", "hu": "Kutyák", "marker": "D", "color": "#8c510a"},
    "fire": {"ro": "Incendiu", "en": "Fire", "hu": "Tűz", "marker": "^", "color": "#d7301f"},
    "flooding": {
        "ro": "Inundații",
        "en": "Flooding",
        "hu": "Árvíz",
        "marker": "v",
        "color": "#2166ac",
    },
    "unlit_path": {
        "ro": "Drum neluminat",
        "en": "Unlit path",
        "hu": "Kivilágítatlan út",
        "marker": "s",
        "color": "#252525",
    },
    "unsafe_structure": {
        "ro": "Construcție nesigură",
        "en": "Unsafe structure",
        "hu": "Veszélyes épület",
        "marker": "p",
        "color": "#762a83",
    },
    "pollution": {
        "ro": "Poluare",
        "en": "Pollution",
        "hu": "Szennyezés",
        "marker": "h",
        "color": "#4d9221",
    },
    "other": {"ro": "Altceva", "en": "Other", "hu": "Egyéb", "marker": "o", "color": "#878787"},
}

#: Severity scale printed on the sheet: value -> labels.
SEVERITY: dict[int, dict[str, str]] = {
    1: {"ro": "mic", "en": "minor", "hu": "enyhe", "color": "#fee5d9"},
    2: {"ro": "moderat", "en": "moderate", "hu": "közepes", "color": "#fcae91"},
    3: {"ro": "serios", "en": "serious", "hu": "komoly", "color": "#fb6a4a"},
    4: {"ro": "grav", "en": "severe", "hu": "súlyos", "color": "#de2d26"},
    5: {"ro": "foarte grav", "en": "very severe", "hu": "nagyon súlyos", "color": "#a50f15"},
}

#: Times of day (codes of the ``risk_marks`` spec) with their labels.
TIMES_OF_DAY: dict[str, dict[str, str]] = {
    "day": {"ro": "zi", "en": "day", "hu": "nappal"},
    "evening": {"ro": "seară", "en": "evening", "hu": "este"},
    "night": {"ro": "noapte", "en": "night", "hu": "éjjel"},
    "any": {"ro": "oricând", "en": "any time", "hu": "bármikor"},
}

#: Quarters of a cell; Romanian spellings (V = vest) are accepted too.
QUARTERS: tuple[str, ...] = ("NW", "NE", "SW", "SE")
_QUARTER_ALIASES = {"NW": "NW", "NV": "NW", "NE": "NE", "SW": "SW", "SV": "SW", "SE": "SE"}

#: Three-letter codes of the four communities used in sheet ids.
COMMUNITY_CODES: dict[str, str] = {
    "cantonului": "CAN",
    "colectorului": "COL",
    "dallas": "DAL",
    "rampa": "RAM",
}

#: Grid cell sizes (m) a sheet may use: round numbers for reading distances.
CELL_SIZES: tuple[float, ...] = (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000)
#: Cell size on paper (mm) wanted: large enough to write a mark in, 20 mm ideal.
CELL_MM_RANGE: tuple[float, float] = (14.0, 32.0)
#: Columns a sheet may have.
COLUMNS_RANGE: tuple[int, int] = (8, 20)

_WORDS: dict[str, dict[str, str]] = {
    "sheet": {"ro": "Foaia", "en": "Sheet", "hu": "Lap"},
    "title": {"ro": "Hartă de lucru", "en": "Workshop map", "hu": "Munkatérkép"},
    "subtitle": {
        "ro": "Marcați locurile unde vă simțiți în pericol. Notați celula (ex. C4 sau C4-NE), "
        "categoria și gravitatea în tabel.",
        "en": "Mark the places where you feel at risk. Write the cell (e.g. C4 or C4-NE), "
        "the category and the severity in the table.",
        "hu": "Jelölje meg, hol érzi magát veszélyben. Írja a táblázatba a cellát (pl. C4 "
        "vagy C4-NE), a kategóriát és a súlyosságot.",
    },
    "categories": {"ro": "Categorii de risc", "en": "Risk categories", "hu": "Kockázatok"},
    "severity": {"ro": "Gravitate (1–5)", "en": "Severity (1–5)", "hu": "Súlyosság (1–5)"},
    "time": {"ro": "Momentul zilei", "en": "Time of day", "hu": "Napszak"},
    "marks": {"ro": "Marcaje", "en": "Marks", "hu": "Jelölések"},
    "back": {
        "ro": "Notați marcajele pe verso: celula, categoria, gravitatea, momentul, acordul.",
        "en": "Write the marks on the back: cell, category, severity, time, consent.",
        "hu": "A jelöléseket a hátoldalra írja: cella, kategória, súlyosság, napszak, beleegyezés.",
    },
    "col.cell": {"ro": "Celula", "en": "Cell", "hu": "Cella"},
    "col.category": {"ro": "Categorie", "en": "Category", "hu": "Kategória"},
    "col.severity": {"ro": "Grav.", "en": "1–5", "hu": "Súly."},
    "col.time": {"ro": "Moment", "en": "Time", "hu": "Napszak"},
    "col.consent": {"ro": "Acord", "en": "Consent", "hu": "Beleegy."},
    "col.note": {"ro": "Notă", "en": "Note", "hu": "Megj."},
}


def _second(lang: str) -> str:
    """The other language printed on a sheet: English beside Romanian, Romanian beside
    English or Hungarian."""
    return "en" if lang == "ro" else "ro"


def _w(key: str, lang: str) -> str:
    entry = _WORDS[key]
    return entry.get(lang) or entry["en"]


def _both(key: str, lang: str) -> str:
    """``"Categorii de risc / Risk categories"``: the sheet language, then the second."""
    return f"{_w(key, lang)} / {_w(key, _second(lang))}"


def _fold(s: str) -> str:
    """Lower case without diacritics (ș -> s, ă -> a) and surrounding spaces."""
    norm = unicodedata.normalize("NFKD", str(s).strip().lower())
    return "".join(c for c in norm if not unicodedata.combining(c))


# --------------------------------------------------------------------------------------
# Sheet ids
# --------------------------------------------------------------------------------------

_ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: 31 check characters: digits and the letters that cannot be mistaken for one (no I, L, O, S, Z).
_CHECK = "0123456789ABCDEFGHJKMNPQRTUVWXY"
#: Letters typed for the check character that mean the digit they look like.
_CHECK_LOOKALIKE = str.maketrans("OILSZ", "01152")


def _check_char(body: str) -> str:
    """Check character of a sheet id body: a sum weighted 1, 2, 3... modulo 31 (a prime).

    Within the id's shape (letters where letters go, digits where digits go) two
    characters differ by less than 31, so every single mis-copied character and
    every swap of two neighbours changes the sum: all are caught.
    """
    total = sum((i + 1) * _ALNUM.index(ch) for i, ch in enumerate(body))
    return _CHECK[total % len(_CHECK)]


class SheetId(NamedTuple):
    """The parts of a sheet id."""

    community: str
    date: dt.date
    seq: int
    text: str


def _community_code(community: str) -> str:
    folded = _fold(community)
    if folded in COMMUNITY_CODES:
        return COMMUNITY_CODES[folded]
    letters = re.sub(r"[^a-z]", "", folded)
    if len(letters) < 3:
        raise InputError(
            note(
                "err.sheet.community_short",
                community=repr(community),
                known=", ".join(k.title() for k in COMMUNITY_CODES),
            )
        )
    return letters[:3].upper()


def _as_date(date: dt.date | str | None) -> dt.date:
    if date is None:
        return dt.date.today()
    if isinstance(date, dt.datetime):
        return date.date()
    if isinstance(date, dt.date):
        return date
    try:
        return dt.date.fromisoformat(str(date).strip())
    except ValueError:
        raise InputError(note("err.sheet.date", date=repr(date))) from None


def sheet_id(community: str, date: dt.date | str | None = None, seq: int = 1) -> str:
    """A short, readable, checkable id for one printed sheet.

    Parameters
    ----------
    community : str
        ``"Dallas"``, ``"Cantonului"``... (any name with 3 letters; known
        communities get their code from :data:`COMMUNITY_CODES`).
    date : date or str, optional
        The workshop date; default today.
    seq : int
        Number of the sheet that day for that community, 1–99.

    Returns
    -------
    str
        ``"DAL-20261125-01-M"``: code, date, sequence and a check character.
    """
    if not (isinstance(seq, int | np.integer) and 1 <= int(seq) <= 99):
        raise InputError(note("err.sheet.seq", seq=repr(seq)))
    code = _community_code(community)
    day = _as_date(date)
    body = f"{code}{day:%Y%m%d}{int(seq):02d}"
    return f"{code}-{day:%Y%m%d}-{int(seq):02d}-{_check_char(body)}"


_ID_RE = re.compile(r"^([A-Z01]{3})-?([0-9OIL]{8})-?([0-9OIL]{2})-?([A-Z0-9])$")


def parse_sheet_id(text: str) -> SheetId:
    """Read a sheet id typed back from paper; refuse it if the check fails.

    Spaces and lower case are accepted, and the letters O, I, L typed where a
    digit belongs are read as 0, 1, 1.

    Raises
    ------
    InputError
        The text is not shaped like a sheet id, or its check character does
        not match (a character was mis-copied).
    """
    raw = str(text)
    s = re.sub(r"\s+", "", raw).upper()
    m = _ID_RE.match(s)
    if not m:
        raise InputError(note("err.sheet.id_shape", id=repr(raw)))
    code, date_s, seq_s, check = m.groups()
    code = code.replace("0", "O").replace("1", "I")
    digits = str.maketrans("OIL", "011")
    date_s, seq_s = date_s.translate(digits), seq_s.translate(digits)
    if _check_char(f"{code}{date_s}{seq_s}") != check.translate(_CHECK_LOOKALIKE):
        raise InputError(note("err.sheet.id_check", id=repr(raw)))
    try:
        day = dt.date(int(date_s[:4]), int(date_s[4:6]), int(date_s[6:]))
    except ValueError:
        raise InputError(note("err.sheet.id_date", id=repr(raw), date=date_s)) from None
    return SheetId(
        code, day, int(seq_s), f"{code}-{date_s}-{seq_s}-{_check_char(code + date_s + seq_s)}"
    )


def check_sheet_id(text: str) -> str:
    """The sheet id in its canonical form (``DAL-20261125-01-M``); InputError if wrong."""
    return parse_sheet_id(text).text


# --------------------------------------------------------------------------------------
# The grid
# --------------------------------------------------------------------------------------

_CELL_RE = re.compile(r"^([A-Z]{1,2})\s*(\d{1,3})(?:\s*[-/ ]?\s*([NS][EWV]))?$")


def _column_label(i: int) -> str:
    label = ""
    n = i + 1
    while n:
        n, r = divmod(n - 1, 26)
        label = chr(65 + r) + label
    return label


def _column_index(label: str) -> int:
    n = 0
    for ch in label:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


@dataclass(frozen=True)
class SheetGrid:
    """A labelled grid over a sheet's map, in EPSG:3844 metres.

    Columns are lettered A, B, C... from west to east and rows numbered 1, 2,
    3... from north to south, so "A1" is the north-west corner cell.

    Attributes
    ----------
    x0 : float
        West edge (m).
    y_top : float
        North edge (m).
    cell_size : float
        Side of a square cell (m).
    n_cols, n_rows : int
        Number of columns and rows.
    crs : str
        Always the metric CRS (EPSG:3844).
    sheet_id : str or None
        The id of the printed sheet this grid belongs to.
    community, session, date, paper, orientation : str or None
        What the sheet was printed for.
    scale : int or None
        Scale denominator at 100% printing.
    """

    x0: float
    y_top: float
    cell_size: float
    n_cols: int
    n_rows: int
    crs: str = "EPSG:3844"
    sheet_id: str | None = None
    community: str | None = None
    session: str | None = None
    date: str | None = None
    paper: str | None = None
    orientation: str | None = None
    scale: int | None = None

    def __post_init__(self) -> None:
        if not (self.cell_size > 0 and math.isfinite(self.cell_size)):
            raise InputError(note("err.sheet.cell_size", size=repr(self.cell_size)))
        if self.n_cols < 1 or self.n_rows < 1 or self.n_cols > 26 * 27 or self.n_rows > 999:
            raise InputError(
                note("err.sheet.grid_size", cols=str(self.n_cols), rows=str(self.n_rows))
            )
        if self.sheet_id is not None:
            object.__setattr__(self, "sheet_id", check_sheet_id(self.sheet_id))

    # --- geometry ---------------------------------------------------------------
    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(minx, miny, maxx, maxy)`` of the whole grid, EPSG:3844."""
        return (
            self.x0,
            self.y_top - self.n_rows * self.cell_size,
            self.x0 + self.n_cols * self.cell_size,
            self.y_top,
        )

    def column_label(self, i: int) -> str:
        """Letter(s) of column `i` (0-based): A..Z, then AA, AB..."""
        return _column_label(i)

    def parse_cell(self, label: str) -> tuple[int, int, str | None]:
        """``"C4-NE"`` -> ``(col, row, "NE")`` 0-based; InputError if outside the grid."""
        s = str(label).strip().upper()
        m = _CELL_RE.match(s)
        if not m:
            raise InputError(note("err.sheet.cell_shape", cell=repr(label)))
        col, row = _column_index(m.group(1)), int(m.group(2)) - 1
        quarter = _QUARTER_ALIASES.get(m.group(3)) if m.group(3) else None
        if m.group(3) and quarter is None:
            raise InputError(note("err.sheet.quarter", cell=repr(label)))
        if not (0 <= col < self.n_cols and 0 <= row < self.n_rows):
            where = {"sheet": self.sheet_id} if self.sheet_id else {}
            raise InputError(
                note(
                    "err.sheet.cell_outside_sheet" if where else "err.sheet.cell_outside",
                    cell=repr(label),
                    last=_column_label(self.n_cols - 1),
                    rows=str(self.n_rows),
                    **where,
                )
            )
        return col, row, quarter

    def cell_polygon(self, label: str) -> shapely.Polygon:
        """The square of a cell or quarter (``"C4"``, ``"C4-NE"``), EPSG:3844."""
        col, row, quarter = self.parse_cell(label)
        c = self.cell_size
        minx, maxy = self.x0 + col * c, self.y_top - row * c
        box = (minx, maxy - c, minx + c, maxy)
        if quarter is None:
            return shapely.box(*box)
        h = c / 2
        qx = minx + (h if quarter[1] == "E" else 0.0)
        qy = maxy - (h if quarter[0] == "S" else 0.0)
        return shapely.box(qx, qy - h, qx + h, qy)

    def cell_centre(self, label: str) -> tuple[float, float]:
        """Centre ``(x, y)`` of a cell or quarter, EPSG:3844."""
        p = self.cell_polygon(label).centroid
        return (float(p.x), float(p.y))

    def cell_accuracy(self, label: str) -> float:
        """Half the diagonal of the cell (or quarter): the farthest a mark placed at its
        centre can be from where it was drawn."""
        _, _, quarter = self.parse_cell(label)
        side = self.cell_size / (2 if quarter else 1)
        return side * math.sqrt(2) / 2

    def _indices(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        minx, miny, maxx, maxy = self.bounds
        inside = (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
        col = np.clip(np.floor((x - self.x0) / self.cell_size), 0, self.n_cols - 1)
        row = np.clip(np.floor((self.y_top - y) / self.cell_size), 0, self.n_rows - 1)
        return col.astype(int), row.astype(int), inside

    def cells_of(self, x: Any, y: Any, *, quarters: bool = False) -> np.ndarray:
        """Cell labels of many points at once (``None`` outside the grid).

        Parameters
        ----------
        x, y : array-like
            EPSG:3844 coordinates.
        quarters : bool
            Return ``"C4-NE"`` instead of ``"C4"``.
        """
        xa, ya = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        col, row, inside = self._indices(xa, ya)
        out = np.empty(xa.shape, dtype=object)
        for k in np.ndindex(xa.shape):
            if not inside[k]:
                out[k] = None
                continue
            label = f"{_column_label(int(col[k]))}{int(row[k]) + 1}"
            if quarters:
                cx = self.x0 + (col[k] + 0.5) * self.cell_size
                cy = self.y_top - (row[k] + 0.5) * self.cell_size
                label += "-" + ("N" if ya[k] > cy else "S") + ("E" if xa[k] >= cx else "W")
            out[k] = label
        return out

    def cell_of(self, x: float, y: float, *, quarter: bool = False) -> str:
        """The cell (or ``"C4-NE"`` quarter) holding point (x, y), EPSG:3844.

        Points on a line between two cells belong to the cell east or south of it
        (the grid's outer east and south edges belong to the last column and row).

        Raises
        ------
        InputError
            The point is outside the grid.
        """
        label = self.cells_of([x], [y], quarters=quarter)[0]
        if label is None:
            raise InputError(
                note(
                    "err.sheet.point_outside",
                    x=f"{x:.1f}",
                    y=f"{y:.1f}",
                    bounds=str(tuple(round(v, 1) for v in self.bounds)),
                )
            )
        return str(label)

    def cells_gdf(self) -> gpd.GeoDataFrame:
        """Every cell as a polygon with its ``cell`` label, ``col`` letter(s) and ``row``."""
        labels, cols, rows, geoms = [], [], [], []
        c = self.cell_size
        for j in range(self.n_rows):
            for i in range(self.n_cols):
                letter = _column_label(i)
                labels.append(f"{letter}{j + 1}")
                cols.append(letter)
                rows.append(j + 1)
                x, y = self.x0 + i * c, self.y_top - j * c
                geoms.append(shapely.box(x, y - c, x + c, y))
        return gpd.GeoDataFrame(
            {"cell": labels, "col": cols, "row": rows}, geometry=geoms, crs=self.crs
        )

    def paper_to_map(self, u_mm: Any, v_mm: Any) -> tuple[np.ndarray, np.ndarray]:
        """EPSG:3844 coordinates of positions measured on the printed sheet.

        Parameters
        ----------
        u_mm, v_mm : array-like
            Millimetres right of and below the grid's top-left (A1) corner, as
            measured with a ruler on a sheet printed at 100%.
        """
        if not self.scale:
            raise InputError("this grid has no print scale; only grids from make_sheet have one")
        k = self.scale / 1000.0
        return (
            self.x0 + np.asarray(u_mm, dtype=float) * k,
            self.y_top - np.asarray(v_mm, dtype=float) * k,
        )

    # --- construction and serialisation ----------------------------------------
    @classmethod
    def from_extent(
        cls,
        extent: tuple[float, float, float, float],
        *,
        cell_size: float | None = None,
        columns: tuple[int, int] = COLUMNS_RANGE,
        **meta: Any,
    ) -> SheetGrid:
        """A grid covering `extent` (EPSG:3844), centred on it.

        Parameters
        ----------
        extent : tuple
            ``(minx, miny, maxx, maxy)`` the grid must cover.
        cell_size : float, optional
            Cell side (m); default the largest of :data:`CELL_SIZES` giving at
            least ``columns[0]`` columns.
        columns : (int, int)
            Least and most columns wanted.
        **meta
            ``sheet_id``, ``community``, ``session``, ... stored on the grid.
        """
        minx, miny, maxx, maxy = (float(v) for v in extent)
        w, h = maxx - minx, maxy - miny
        if not (w > 0 and h > 0):
            raise InputError(note("err.sheet.extent_empty", extent=str(extent)))
        if cell_size is None:
            fits = [c for c in CELL_SIZES if math.ceil(w / c) >= columns[0]]
            cell_size = float(max(fits)) if fits else float(min(CELL_SIZES))
        n_cols = max(1, math.ceil(w / cell_size - 1e-9))
        n_rows = max(1, math.ceil(h / cell_size - 1e-9))
        if n_cols > columns[1]:
            raise InputError(
                note(
                    "err.sheet.extent_wide",
                    width=f"{w:.0f}",
                    cols=str(n_cols),
                    cell=f"{cell_size:g}",
                    most=str(columns[1]),
                )
            )
        x0 = minx - (n_cols * cell_size - w) / 2
        y_top = maxy + (n_rows * cell_size - h) / 2
        return cls(
            x0=round(x0, 3),
            y_top=round(y_top, 3),
            cell_size=float(cell_size),
            n_cols=n_cols,
            n_rows=n_rows,
            **meta,
        )

    def to_code(self) -> str:
        """A one-line text holding the grid, printed on the sheet and in its QR code.

        ``"PATA1 DAL-20261125-01-F 399400 586700 50 13x11 2500"``: sheet id,
        west and north edges (m), cell size (m), columns x rows, scale. With it
        the sheet alone is enough to rebuild its grid (:meth:`from_code`).
        """
        if self.sheet_id is None:
            raise InputError("a grid without a sheet id has no sheet code; give it a sheet_id")
        return (
            f"PATA1 {self.sheet_id} {self.x0:.2f} {self.y_top:.2f} {self.cell_size:g} "
            f"{self.n_cols}x{self.n_rows} {self.scale or 0}"
        ).replace(".00 ", " ")

    @classmethod
    def from_code(cls, code: str) -> SheetGrid:
        """Rebuild a grid from :meth:`to_code` text (typed back or read from the QR code)."""
        parts = str(code).split()
        try:
            if len(parts) != 7 or parts[0] != "PATA1":
                raise ValueError
            n_cols, n_rows = (int(v) for v in parts[5].lower().split("x"))
            numbers = float(parts[2]), float(parts[3]), float(parts[4]), int(parts[6])
        except ValueError:
            raise InputError(note("err.sheet.code_shape", code=repr(code))) from None
        return cls(
            x0=numbers[0],
            y_top=numbers[1],
            cell_size=numbers[2],
            n_cols=n_cols,
            n_rows=n_rows,
            sheet_id=parts[1],
            scale=numbers[3] or None,
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable dict (see :meth:`from_dict`)."""
        d = asdict(self)
        d["version"] = 1
        d["bounds"] = list(self.bounds)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SheetGrid:
        """Rebuild a grid from :meth:`to_dict` output (e.g. read back from JSON)."""
        keys = {
            "x0",
            "y_top",
            "cell_size",
            "n_cols",
            "n_rows",
            "crs",
            "sheet_id",
            "community",
            "session",
            "date",
            "paper",
            "orientation",
            "scale",
        }
        missing = {"x0", "y_top", "cell_size", "n_cols", "n_rows"} - set(d)
        if missing:
            raise InputError(note("err.sheet.meta_lacks", keys=str(sorted(missing))))
        if d.get("crs", "EPSG:3844") != "EPSG:3844":
            raise InputError(note("err.sheet.meta_crs", crs=repr(d.get("crs"))))
        kw = {k: d[k] for k in keys if k in d}
        for k in ("n_cols", "n_rows"):
            kw[k] = int(kw[k])
        for k in ("x0", "y_top", "cell_size"):
            kw[k] = float(kw[k])
        if kw.get("scale") is not None:
            kw["scale"] = int(kw["scale"])
        return cls(**kw)


# --------------------------------------------------------------------------------------
# Marks entered by cell
# --------------------------------------------------------------------------------------


def _lookup(table: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, labels in table.items():
        out[_fold(code)] = code
        out[_fold(code.replace("_", " "))] = code
        for lang in ("ro", "en", "hu"):
            if lang in labels:
                out[_fold(labels[lang])] = code
    return out


_CATEGORY_LOOKUP = _lookup(CATEGORIES)
_CATEGORY_LOOKUP.update({"violenta": "conflict", "violence": "conflict", "caini": "dogs"})
_TIME_LOOKUP = _lookup(TIMES_OF_DAY)
_TIME_LOOKUP.update({"ziua": "day", "seara": "evening", "noaptea": "night", "oricand": "any"})
_YES = {"true", "1", "da", "yes", "y", "x", "✓", "d", "igen", "i"}
_NO = {"false", "0", "nu", "no", "n", "-", "✗", "nem"}


def _blank(v: Any) -> bool:
    if v is None:
        return True
    try:
        if pd.isna(v):
            return True
    except (TypeError, ValueError):
        return False
    return isinstance(v, str) and not v.strip()


def marks_from_cells(
    entries: pd.DataFrame,
    grid: SheetGrid,
    *,
    session_id: str | None = None,
) -> gpd.GeoDataFrame:
    """Place marks typed in from a paper sheet at the centres of their grid cells.

    Parameters
    ----------
    entries : DataFrame
        One row per mark: ``cell`` ("C4", or "C4-NE" for a quarter),
        ``category`` (a code of :data:`CATEGORIES`, or its Romanian or English
        label, with or without diacritics), ``severity`` (1–5), ``consent``
        (da/nu, yes/no, igen/nem, true/false), and optionally ``time_of_day`` (day,
        evening, night, any; zi, seară, noapte, oricând), ``note`` and
        ``sheet_id`` (checked, and must be this grid's sheet).
    grid : SheetGrid
        The grid of the sheet, e.g. ``SheetGrid.from_dict(sheet_meta)``.
    session_id : str, optional
        Workshop session; default the grid's session, else its sheet id.

    Returns
    -------
    GeoDataFrame
        In EPSG:3844, with the fields of the ``risk_marks`` spec (category,
        severity, time_of_day, note, session_id, consent, source, accuracy_m)
        plus ``cell`` and ``sheet_id``; ``source`` is "paper sheet <id>, cell C4"
        and ``accuracy_m`` half the diagonal of the cell or quarter. Rows whose
        consent is "no" are left out (residents' knowledge is used only with
        consent); ``attrs["dropped_without_consent"]`` counts them.
        ``attrs["sensitivity"]`` is ``"confidential"``; ``attrs["pata_capture"]``
        (``"paper_sheet"``) and ``attrs["pata_origin"]`` (the sheet id) tell
        :func:`pata_gis.workshop.add_marks` where the marks come from.

    Raises
    ------
    ValidationError
        Listing every row at fault: a cell outside the grid, an unknown
        category, a severity outside 1–5, a missing consent, a sheet id whose
        check character fails or which belongs to another sheet.
    """
    required = ["cell", "category", "severity", "consent"]
    missing = [c for c in required if c not in entries.columns]
    if missing:
        raise ValidationError(note("err.sheet.entries_lack", columns=str(missing)))

    def locate(rec: pd.Series, where: _Where, problems: list[str]) -> _Place | None:
        cell = rec["cell"]
        if _blank(cell):
            problems.append(where(note("err.sheet.cell_empty")))
            return None
        try:
            col, r, q = grid.parse_cell(str(cell))
        except InputError as exc:
            problems.append(where(_message(exc)))
            return None
        label = f"{_column_label(col)}{r + 1}" + (f"-{q}" if q else "")
        x, y = grid.cell_centre(label)
        return label, x, y, grid.cell_accuracy(label)

    return _place_marks(entries, grid, session_id, locate, "typed from")


_Place = tuple[str, float, float, float]  # cell label, x, y, accuracy (m)
_Where = Callable[[str], Note]  # a problem of one row, prefixed with the row


def _message(exc: BaseException) -> str:
    """The message of `exc`: its :class:`~pata_gis.messages.Note` when it has one."""
    msg = exc.args[0] if exc.args else str(exc)
    return msg if isinstance(msg, Note) else str(exc)


def _place_marks(
    entries: pd.DataFrame,
    grid: SheetGrid,
    session_id: str | None,
    locate: Any,
    what: str,
) -> gpd.GeoDataFrame:
    """Check every row of `entries` and place it where ``locate`` says (shared by the
    cell and the scan road)."""
    missing = [c for c in ("category", "severity", "consent") if c not in entries.columns]
    if missing:
        raise ValidationError(note("err.sheet.entries_lack_fields", columns=str(missing)))
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    geoms: list[shapely.Point] = []
    dropped = 0
    grid_id = grid.sheet_id
    session = session_id or grid.session or grid_id or ""
    for pos, (idx, rec) in enumerate(entries.iterrows(), start=1):

        def where(problem: str, pos: int = pos, idx: Any = idx) -> Note:
            return note("err.sheet.row", pos=str(pos), index=repr(idx), problem=problem)

        row_problems: list[str] = []
        sid = rec.get("sheet_id") if "sheet_id" in entries.columns else None
        if not _blank(sid):
            try:
                sid = check_sheet_id(str(sid))
            except InputError as exc:
                row_problems.append(where(_message(exc)))
                sid = None
            else:
                if grid_id is not None and sid != grid_id:
                    row_problems.append(where(note("err.sheet.other_sheet", id=sid, grid=grid_id)))
        else:
            sid = grid_id
        place = locate(rec, where, row_problems)
        cat_raw = rec["category"]
        category = None if _blank(cat_raw) else _CATEGORY_LOOKUP.get(_fold(str(cat_raw)))
        if category is None:
            choices = ", ".join(f"{k} ({v['ro']})" for k, v in CATEGORIES.items())
            row_problems.append(
                where(note("err.sheet.category", value=repr(cat_raw), choices=choices))
            )
        sev_raw = rec["severity"]
        severity = None
        try:
            sev = float(str(sev_raw).strip().replace(",", "."))
            if sev.is_integer() and 1 <= sev <= 5:
                severity = int(sev)
        except ValueError:
            pass
        if severity is None:
            row_problems.append(where(note("err.sheet.severity", value=repr(sev_raw))))
        consent_raw = rec["consent"]
        consent: bool | None = None
        if isinstance(consent_raw, bool | np.bool_):
            consent = bool(consent_raw)
        elif not _blank(consent_raw):
            folded = _fold(str(consent_raw))
            if folded in _YES:
                consent = True
            elif folded in _NO:
                consent = False
        if consent is None:
            row_problems.append(where(note("err.sheet.consent", value=repr(consent_raw))))
        tod = None
        if "time_of_day" in entries.columns and not _blank(rec["time_of_day"]):
            tod = _TIME_LOOKUP.get(_fold(str(rec["time_of_day"])))
            if tod is None:
                times = ", ".join(f"{k} ({v['ro']})" for k, v in TIMES_OF_DAY.items())
                row_problems.append(
                    where(
                        note("err.sheet.time_of_day", value=repr(rec["time_of_day"]), choices=times)
                    )
                )
        mark_note = None
        if "note" in entries.columns and not _blank(rec["note"]):
            mark_note = str(rec["note"]).strip()
        if row_problems:
            problems.extend(row_problems)
            continue
        assert place is not None
        label, x, y, accuracy = place
        if not consent:
            dropped += 1
            continue
        geoms.append(shapely.Point(x, y))
        rows.append(
            {
                "category": category,
                "severity": severity,
                "time_of_day": tod,
                "note": mark_note,
                "session_id": session,
                "consent": True,
                "source": f"paper sheet {sid}, cell {label}"
                if sid
                else f"paper sheet, cell {label}",
                "accuracy_m": accuracy,
                "cell": label,
                "sheet_id": sid,
            }
        )
    if problems:
        raise ValidationError(
            note(
                "err.sheet.problems_typed" if what == "typed from" else "err.sheet.problems_drawn",
                n=str(len(problems)),
                sheet=grid_id or note("err.sheet.no_id"),
            ),
            problems,
        )
    columns = [
        "category",
        "severity",
        "time_of_day",
        "note",
        "session_id",
        "consent",
        "source",
        "accuracy_m",
        "cell",
        "sheet_id",
    ]
    out = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=columns), geometry=geoms, crs=settings.metric_crs
    )
    out["severity"] = out["severity"].astype("int64")
    out["consent"] = out["consent"].astype(bool)
    out["accuracy_m"] = out["accuracy_m"].astype(float)
    out.attrs["sensitivity"] = "confidential"
    out.attrs["dropped_without_consent"] = dropped
    # how pata_gis.workshop.add_marks learns where the marks come from
    out.attrs["pata_capture"] = "paper_sheet"
    if grid_id:
        out.attrs["pata_origin"] = grid_id
    if dropped:
        log.warning("%d mark(s) without consent were left out", dropped)
    log.info("placed %d mark(s) from sheet %s", len(out), grid_id)
    return out


# --------------------------------------------------------------------------------------
# Marks drawn on the sheet, read from a photo or scan
# --------------------------------------------------------------------------------------

#: Largest misfit (m, root mean square) of the reference points of a scan
#: before :func:`scan_transform` refuses it as mislabelled, as a share of a cell.
SCAN_MAX_RMS_CELLS: float = 0.25


@dataclass(frozen=True)
class ScanTransform:
    """Pixel (column, row) of a photo or scan of a sheet -> EPSG:3844 metres.

    A projective transform (homography): it also undoes the perspective of a
    phone photo taken at an angle.

    Attributes
    ----------
    matrix : tuple of float
        The 3 x 3 homography, row by row.
    rms_m : float
        Root-mean-square misfit (m) of the reference points; 0 when there were
        exactly four (nothing to check against).
    n_points : int
        How many reference points were used.
    """

    matrix: tuple[float, ...]
    rms_m: float
    n_points: int

    def __call__(self, px: Any, py: Any) -> tuple[np.ndarray, np.ndarray]:
        """Map coordinates of pixel positions (arrays welcome)."""
        h = np.asarray(self.matrix, dtype=float).reshape(3, 3)
        u = np.asarray(px, dtype=float)
        v = np.asarray(py, dtype=float)
        w = h[2, 0] * u + h[2, 1] * v + h[2, 2]
        return (h[0, 0] * u + h[0, 1] * v + h[0, 2]) / w, (h[1, 0] * u + h[1, 1] * v + h[1, 2]) / w


def _corner_xy(grid: SheetGrid, name: str) -> tuple[float, float]:
    """Map position of a named corner: "NW", "SE"... of the grid, or "C4-NW" of a cell."""
    key = str(name).strip().upper()
    minx, miny, maxx, maxy = grid.bounds
    frame = {"NW": (minx, maxy), "NE": (maxx, maxy), "SW": (minx, miny), "SE": (maxx, miny)}
    frame.update({"NV": frame["NW"], "SV": frame["SW"]})
    if key in frame:
        return frame[key]
    m = re.match(r"^([A-Z]{1,2}\s*\d{1,3})\s*[-/ ]?\s*([NS][EWV])$", key)
    if not m or _QUARTER_ALIASES.get(m.group(2)) is None:
        raise InputError(note("err.sheet.ref_name", name=repr(name)))
    col, row, _ = grid.parse_cell(m.group(1))
    corner = _QUARTER_ALIASES[m.group(2)]
    x = grid.x0 + (col + (1 if corner[1] == "E" else 0)) * grid.cell_size
    y = grid.y_top - (row + (1 if corner[0] == "S" else 0)) * grid.cell_size
    return x, y


def scan_transform(grid: SheetGrid, points_px: Mapping[str, tuple[float, float]]) -> ScanTransform:
    """Fit pixel -> map from reference points picked on a photo or scan of the sheet.

    Parameters
    ----------
    grid : SheetGrid
        The sheet's grid.
    points_px : dict
        Name -> pixel ``(column, row)`` of at least four crisp points of the
        printed grid: its corners ``"NW"``, ``"NE"``, ``"SW"``, ``"SE"`` and
        any grid crossing named by a cell corner (``"C4-NW"``). Give five or
        more so the fit can be checked.

    Returns
    -------
    ScanTransform

    Raises
    ------
    InputError
        Fewer than four points, points on one line, or a misfit larger than
        :data:`SCAN_MAX_RMS_CELLS` of a cell (a point clicked in the wrong
        place or given the wrong name).
    """
    if len(points_px) < 4:
        raise InputError(note("err.sheet.ref_few", n=str(len(points_px))))
    names = list(points_px)
    xy = np.array([_corner_xy(grid, n) for n in names], dtype=float)
    uv = np.array([points_px[n] for n in names], dtype=float)

    # normalise both sides for a well-conditioned direct linear transform
    def norm(p: np.ndarray) -> np.ndarray:
        c = p.mean(axis=0)
        d = np.sqrt(((p - c) ** 2).sum(axis=1)).mean() or 1.0
        k = math.sqrt(2) / d
        return np.array([[k, 0, -k * c[0]], [0, k, -k * c[1]], [0, 0, 1]])

    tu, tx = norm(uv), norm(xy)
    uvh = (tu @ np.c_[uv, np.ones(len(uv))].T).T
    xyh = (tx @ np.c_[xy, np.ones(len(xy))].T).T
    rows = []
    for (u, v, _), (x, y, _) in zip(uvh, xyh, strict=True):
        rows.append([u, v, 1, 0, 0, 0, -x * u, -x * v, -x])
        rows.append([0, 0, 0, u, v, 1, -y * u, -y * v, -y])
    _, sing, vt = np.linalg.svd(np.asarray(rows))
    if sing[-2] < 1e-9 * sing[0]:
        raise InputError(note("err.sheet.ref_line"))
    hn = vt[-1].reshape(3, 3)
    h = np.linalg.inv(tx) @ hn @ tu
    h = h / h[2, 2]
    fit = ScanTransform(tuple(float(v) for v in h.ravel()), 0.0, len(names))
    fx, fy = fit(uv[:, 0], uv[:, 1])
    res = np.hypot(fx - xy[:, 0], fy - xy[:, 1])
    rms = float(np.sqrt(np.mean(res**2))) if len(names) > 4 else 0.0
    if rms > SCAN_MAX_RMS_CELLS * grid.cell_size:
        worst = names[int(np.argmax(res))]
        raise InputError(
            note(
                "err.sheet.ref_misfit", rms=f"{rms:.0f}", worst=repr(worst), off=f"{res.max():.0f}"
            )
        )
    if len(names) == 4:
        log.info("scan fitted on exactly four points: nothing to check the fit against")
    return ScanTransform(fit.matrix, rms, len(names))


def marks_from_scan(
    entries: pd.DataFrame,
    grid: SheetGrid,
    transform: ScanTransform,
    *,
    session_id: str | None = None,
    pen_mm: float = 2.0,
) -> gpd.GeoDataFrame:
    """Place marks drawn on a sheet at their positions on a photo or scan of it.

    Parameters
    ----------
    entries : DataFrame
        One row per mark: ``px``, ``py`` (pixel column and row of the mark on
        the image) and the columns of :func:`marks_from_cells` except ``cell``.
    grid : SheetGrid
        The sheet's grid.
    transform : ScanTransform
        From :func:`scan_transform` on the same image.
    session_id : str, optional
        As in :func:`marks_from_cells`.
    pen_mm : float
        How far (mm on paper) a drawn mark may be from the place meant.

    Returns
    -------
    GeoDataFrame
        As :func:`marks_from_cells`, with each mark where it was drawn;
        ``cell`` is the cell it falls in and ``accuracy_m`` combines the pen
        (``pen_mm`` at the sheet's scale) and the fit's misfit.
    """
    missing = [c for c in ("px", "py") if c not in entries.columns]
    if missing:
        raise ValidationError(note("err.sheet.entries_lack_pixel", columns=str(missing)))
    pen_m = pen_mm * (grid.scale or 0) / 1000.0 if grid.scale else grid.cell_size / 10
    accuracy = math.hypot(pen_m, transform.rms_m)

    def locate(rec: pd.Series, where: _Where, problems: list[str]) -> _Place | None:
        try:
            px, py = float(rec["px"]), float(rec["py"])
        except (TypeError, ValueError):
            problems.append(
                where(note("err.sheet.pixel_nan", px=repr(rec["px"]), py=repr(rec["py"])))
            )
            return None
        xs, ys = transform(px, py)
        x, y = float(xs), float(ys)
        label = grid.cells_of([x], [y])[0]
        if label is None:
            problems.append(where(note("err.sheet.pixel_outside", px=f"{px:g}", py=f"{py:g}")))
            return None
        return str(label), x, y, accuracy

    entries = entries.assign(cell="")
    return _place_marks(entries, grid, session_id, locate, "drawn on")


# --------------------------------------------------------------------------------------
# The printed sheet
# --------------------------------------------------------------------------------------


def _community_extent(
    community: str, layers: Mapping[str, gpd.GeoDataFrame], margin_m: float
) -> tuple[float, float, float, float]:
    settlements = layers.get("settlements")
    if settlements is None or "name" not in settlements.columns:
        raise InputError(note("err.sheet.need_settlements", community=repr(community)))
    names = settlements["name"].astype(str)
    hit = settlements[names.map(_fold) == _fold(community)]
    if hit.empty:
        raise InputError(
            note(
                "err.sheet.community_unknown",
                community=repr(community),
                known=", ".join(sorted(names)),
            )
        )
    minx, miny, maxx, maxy = crs.to_metric(hit, name="settlements").total_bounds
    return (minx - margin_m, miny - margin_m, maxx + margin_m, maxy + margin_m)


def _choose_grid(
    extent: tuple[float, float, float, float], frame_w: float, frame_h: float
) -> tuple[int, float, int, int]:
    """(scale, cell_m, n_cols, n_rows): the most detailed round scale at which a grid of
    8–20 writable cells across covers the extent."""
    w, h = extent[2] - extent[0], extent[3] - extent[1]
    lo, hi = CELL_MM_RANGE
    for scale in NICE_SCALES:
        options = []
        for cell in CELL_SIZES:
            cell_mm = cell * 1000.0 / scale
            if not lo <= cell_mm <= hi:
                continue
            n_cols = min(COLUMNS_RANGE[1], int(frame_w // cell_mm))
            n_rows = int(frame_h // cell_mm)
            if n_cols < COLUMNS_RANGE[0] or n_rows < 1:
                continue
            if n_cols * cell >= w and n_rows * cell >= h:
                options.append((abs(cell_mm - 20.0), scale, float(cell), n_cols, n_rows))
        if options:
            _, s, c, nc, nr = min(options)
            return s, c, nc, nr
    raise InputError(note("err.sheet.too_big", w=f"{w:.0f}", h=f"{h:.0f}"))


class _Panel:
    """Draws blocks in the sheet's panel in millimetres from its top-left corner."""

    def __init__(self, fig: Figure, panel: Axes, lang: str, *, compact: bool) -> None:
        self.ax = panel
        self.lang = lang
        self.lang = lang if lang in ("ro", "en", "hu") else "ro"
        self.other = _second(self.lang)
        bb = panel.get_position()
        self.w_mm = bb.width * fig.get_figwidth() * 25.4
        self.h_mm = bb.height * fig.get_figheight() * 25.4
        self.row = 4.4 if compact else 5.2
        self.fs = 7.5 if compact else 8.5
        self.tr = panel.transAxes

    def xy(self, x_mm: float, y_mm: float) -> tuple[float, float]:
        return x_mm / self.w_mm, 1.0 - y_mm / self.h_mm

    def label(self, entry: Mapping[str, str]) -> str:
        return f"{entry.get(self.lang, entry['en'])} / {entry[self.other]}"

    def head(self, x: float, y: float, key: str, width: float | None = None) -> float:
        words = _both(key, self.lang)
        room = width if width is not None else self.w_mm - x
        # bold DejaVu Sans: about 0.23 mm a character per point
        size = min(self.fs + 2, room / (0.23 * len(words)))
        self.ax.text(
            *self.xy(x, y),
            words,
            transform=self.tr,
            fontsize=size,
            fontweight="bold",
            va="top",
        )
        return y + (self.fs + 2) * 0.55 + 2.5

    def categories(self, x: float, y: float, width: float) -> float:
        y = self.head(x, y, "categories", width)
        for code, c in CATEGORIES.items():
            cx, cy = self.xy(x + 2.5, y + self.row / 2)
            self.ax.add_line(
                Line2D(
                    [cx],
                    [cy],
                    transform=self.tr,
                    marker=c["marker"],
                    markersize=self.fs,
                    markerfacecolor=c["color"],
                    markeredgecolor="black",
                    markeredgewidth=0.5,
                    linestyle="none",
                    gid=f"category-{code}",
                )
            )
            self.ax.text(
                *self.xy(x + 6.5, y + self.row / 2),
                self.label(c),
                transform=self.tr,
                fontsize=self.fs,
                va="center",
            )
            y += self.row
        return y + 2.0

    def severity(self, x: float, y: float, width: float) -> float:
        y = self.head(x, y, "severity", width)
        box_w = (width - 4 * 1.5) / 5
        box_h = self.row + 1.0
        for k, (value, sv) in enumerate(SEVERITY.items()):
            bx = x + k * (box_w + 1.5)
            x0, y1 = self.xy(bx, y + box_h)
            self.ax.add_patch(
                Rectangle(
                    (x0, y1),
                    box_w / self.w_mm,
                    box_h / self.h_mm,
                    transform=self.tr,
                    facecolor=sv["color"],
                    edgecolor="black",
                    linewidth=0.5,
                )
            )
            self.ax.text(
                *self.xy(bx + box_w / 2, y + box_h / 2),
                str(value),
                transform=self.tr,
                ha="center",
                va="center",
                fontsize=self.fs + 1.5,
                fontweight="bold",
                color="white" if value >= 4 else "black",
            )
            self.ax.text(
                *self.xy(bx + box_w / 2, y + box_h + 0.8),
                f"{sv.get(self.lang, sv['en'])}\n{sv[self.other]}",
                transform=self.tr,
                ha="center",
                va="top",
                fontsize=self.fs - 1.5,
                linespacing=1.05,
            )
        y += box_h + 0.8 + 2 * (self.fs - 1.5) * 0.42 + 2.5
        times = ", ".join(self.label(v) for v in TIMES_OF_DAY.values())
        lines = textwrap.wrap(
            f"{_both('time', self.lang)}: {times}", int(width / (0.2 * (self.fs - 0.5)))
        )
        self.ax.text(
            *self.xy(x, y),
            "\n".join(lines),
            transform=self.tr,
            fontsize=self.fs - 0.5,
            va="top",
            linespacing=1.15,
        )
        return y + len(lines) * (self.fs - 0.5) * 0.42 + 3.0

    def form(self, x: float, y: float, width: float, bottom: float) -> int:
        """The entry form: one row per mark; return how many rows fit."""
        row_h = 7.0
        if bottom - y < (self.fs + 2) * 0.55 + 2.5 + 4 * row_h:  # heading, header, 3 rows
            self.ax.text(
                *self.xy(x, y),
                textwrap.fill(
                    _w("back", self.lang),
                    int(width / (0.2 * self.fs)),
                ),
                transform=self.tr,
                fontsize=self.fs,
                va="top",
                style="italic",
            )
            return 0
        y = self.head(x, y, "marks", width)
        headers = [
            f"{_w(k, self.lang)}\n{_w(k, self.other)}"
            for k in (
                "col.cell",
                "col.category",
                "col.severity",
                "col.time",
                "col.consent",
                "col.note",
            )
        ]
        fractions = [0.0, 0.12, 0.38, 0.48, 0.62, 0.75, 1.0]
        xs = [x + f * width for f in fractions]
        n_rows = int((bottom - y - row_h) // row_h)
        x0, y1 = self.xy(x, y + row_h)
        self.ax.add_patch(
            Rectangle(
                (x0, y1),
                width / self.w_mm,
                row_h / self.h_mm,
                transform=self.tr,
                facecolor="#e8e8e8",
                edgecolor="none",
            )
        )
        for j, hd in enumerate(headers):
            self.ax.text(
                *self.xy((xs[j] + xs[j + 1]) / 2, y + row_h / 2),
                hd,
                transform=self.tr,
                ha="center",
                va="center",
                fontsize=self.fs - 2,
                linespacing=1.0,
            )
        y_end = y + row_h * (n_rows + 1)
        for k in range(n_rows + 2):
            yy = self.xy(0, y + k * row_h)[1]
            self.ax.add_line(
                Line2D(
                    [x / self.w_mm, (x + width) / self.w_mm],
                    [yy, yy],
                    transform=self.tr,
                    color="#555555",
                    linewidth=0.5,
                )
            )
        for xx in xs:
            top, bot = self.xy(xx, y)[1], self.xy(xx, y_end)[1]
            self.ax.add_line(
                Line2D(
                    [xx / self.w_mm] * 2,
                    [top, bot],
                    transform=self.tr,
                    color="#555555",
                    linewidth=0.5,
                )
            )
        return n_rows


def _draw_panel_extras(fig: Figure, sheet: Any, lang: str, *, portrait: bool) -> int:
    """Risk categories, severity scale and the entry form beside the layer legend.

    Landscape: one column below the legend. Portrait (a panel under the map):
    the legend, the categories and the severity scale side by side. Returns the
    number of rows of the entry form.
    """
    panel = sheet.panel
    p = _Panel(fig, panel, lang, compact=(sheet.paper == "A4"))
    if not portrait:
        y = (1.0 - sheet.panel_free) * p.h_mm + 1.0
        y = p.categories(0.0, y, p.w_mm - 1.0)
        y = p.severity(0.0, y, p.w_mm - 1.0)
        return p.form(0.0, y, p.w_mm - 1.0, p.h_mm - 1.0)
    x1 = sheet.legend_right * p.w_mm + 4.0
    col = (p.w_mm - x1) / 2
    p.categories(x1, 0.0, col - 2.0)
    y = p.severity(x1 + col + 2.0, 0.0, col - 2.0)
    return p.form(x1 + col + 2.0, y, col - 2.0, p.h_mm - 1.0)


def _draw_qr(fig: Figure, payload: str, rect: tuple[float, float, float, float]) -> bool:
    try:
        import qrcode
    except ImportError:
        log.info("qrcode is not installed: the sheet id is printed without a QR code")
        return False
    qr = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(payload)
    qr.make(fit=True)
    matrix = np.array(qr.get_matrix(), dtype=float)
    ax = fig.add_axes(rect, label="qr")
    ax.imshow(1 - matrix, cmap="gray", interpolation="nearest", vmin=0, vmax=1)
    ax.set_axis_off()
    ax.set_gid("sheet-qr")
    return True


def make_sheet(
    community: str,
    layers: Mapping[str, gpd.GeoDataFrame],
    specs: Mapping[str, LayerSpec],
    *,
    paper: str = "A3",
    orientation: str = "landscape",
    lang: str | None = None,
    session: str | None = None,
    date: dt.date | str | None = None,
    seq: int | None = None,
    extent: tuple[float, float, float, float] | None = None,
    margin_m: float = 150.0,
    privacy_level: str = "public",
    qr: bool = True,
) -> tuple[Figure, SheetGrid, dict[str, Any]]:
    """Print the workshop sheet of one community.

    Parameters
    ----------
    community : str
        A name of the settlements layer (``"Dallas"``, ``"Cantonului"``...).
    layers : dict of str to GeoDataFrame
        What to draw (settlements, landfill, roads, schools, transit_stops...).
    specs : dict of str to LayerSpec
        Their specs.
    paper, orientation : str
        ``"A3"`` (default) or ``"A4"``; ``"landscape"`` or ``"portrait"``.
    lang : str, optional
        First language of the sheet (``"ro"`` or ``"en"``); category and
        severity labels are printed in both.
    session : str, optional
        Workshop session id, printed on the sheet and stored in the metadata.
        A session id of :func:`pata_gis.workshop.session_id` has the shape of
        a sheet id: without `seq`, it becomes the sheet id (one sheet per
        session and group).
    date : date or str, optional
        Workshop date (default today); part of the sheet id.
    seq : int, optional
        Number of this sheet for the community that day (1–99); default the
        session's, else 1.
    extent : tuple, optional
        ``(minx, miny, maxx, maxy)`` EPSG:3844 to cover instead of the
        community's outline plus `margin_m`.
    margin_m : float
        Margin around the community's outline.
    privacy_level : str
        Level of what is drawn (layers are checked against it). The footer
        always says CONFIDENTIAL: once residents fill it in, it is.
    qr : bool
        Print the sheet id as a QR code too (needs the ``qrcode`` package).

    Returns
    -------
    (Figure, SheetGrid, dict)
        The page; its grid; the sheet metadata (JSON-serialisable, with the
        grid: ``SheetGrid.from_dict(meta)`` rebuilds it).
    """
    lang = lang or settings.language
    day = _as_date(date)
    sid = sheet_id(community, day, seq or 1)
    if seq is None and session:
        try:
            parsed = parse_sheet_id(session)
        except InputError:
            parsed = None
        if parsed is not None:
            if parsed.community != _community_code(community) or parsed.date != day:
                raise InputError(
                    note(
                        "err.sheet.wrong_session",
                        session=repr(session),
                        community=community,
                        day=day.isoformat(),
                    )
                )
            sid = parsed.text
    if extent is None:
        extent = _community_extent(community, layers, margin_m)
    a3 = paper == "A3"
    if orientation == "portrait":
        panel_mm: float | None = 80.0 if a3 else 62.0
    else:
        panel_mm = None if a3 else 74.0
    sid_pt = 22.0 if a3 else 16.0
    sid_w = 0.602 * sid_pt * 25.4 / 72 * len(sid)  # DejaVu Sans Mono advance: 0.602 em
    side = 18.0 if a3 else 14.0
    fw, fh = map_frame_mm(paper, orientation, grid=True, panel_mm=panel_mm)
    scale, cell, n_cols, n_rows = _choose_grid(extent, fw, fh)
    cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
    x0 = cx - n_cols * cell / 2
    y_top = cy + n_rows * cell / 2
    # round corners to whole cells when the grid still covers the area
    sx0 = math.floor(x0 / cell + 0.5) * cell
    sy_top = math.floor(y_top / cell + 0.5) * cell
    if (
        sx0 <= extent[0]
        and sx0 + n_cols * cell >= extent[2]
        and sy_top >= extent[3]
        and sy_top - n_rows * cell <= extent[1]
    ):
        x0, y_top = sx0, sy_top
    grid = SheetGrid(
        x0=round(x0, 2),
        y_top=round(y_top, 2),
        cell_size=cell,
        n_cols=n_cols,
        n_rows=n_rows,
        sheet_id=sid,
        community=community,
        session=session,
        date=day.isoformat(),
        paper=paper,
        orientation=orientation,
        scale=scale,
    )
    title = f"{community} — {_both('title', lang)}"
    sheet = render_sheet(
        layers,
        specs,
        paper=paper,
        orientation=orientation,
        title=title,
        subtitle=_w("subtitle", lang),
        lang=lang,
        privacy_level=privacy_level,
        grid=grid,
        scale=scale,
        date=day,
        footer_level="confidential",
        panel_mm=panel_mm,
        header_right_mm=sid_w + (side + 4.0 if qr else 0.0) + 4.0,
        legend_size=8.5 if a3 else 7.5,
    )
    fig = sheet.figure
    w_mm, h_mm = fig.get_figwidth() * 25.4, fig.get_figheight() * 25.4
    # the sheet id: large, top right, with the session and a QR code of the id
    fig.text(
        (w_mm - MARGIN_MM) / w_mm,
        (h_mm - MARGIN_MM - 7.5) / h_mm,
        sid,
        ha="right",
        va="center",
        fontsize=sid_pt,
        fontweight="bold",
        family="DejaVu Sans Mono",
        gid="sheet-id",
    )
    info = _both("sheet", lang)
    info += f" · 1:{scale:,}".replace(",", " ") + f" · {cell:g} m"
    if session:
        info += f" · {session}"
    fig.text(
        (w_mm - MARGIN_MM) / w_mm,
        (h_mm - MARGIN_MM - 15.5) / h_mm,
        info,
        ha="right",
        va="center",
        fontsize=8.5,
        color="#333333",
    )
    # the grid in one line: with it, the sheet alone rebuilds its grid (SheetGrid.from_code)
    fig.text(
        (w_mm - MARGIN_MM) / w_mm,
        (h_mm - MARGIN_MM - 19.5) / h_mm,
        grid.to_code(),
        ha="right",
        va="center",
        fontsize=6,
        color="#555555",
        family="DejaVu Sans Mono",
        gid="sheet-code",
    )
    has_qr = False
    if qr:
        has_qr = _draw_qr(
            fig,
            grid.to_code(),
            (
                (w_mm - MARGIN_MM - sid_w - side - 4.0) / w_mm,
                (h_mm - MARGIN_MM - side) / h_mm,
                side / w_mm,
                side / h_mm,
            ),
        )
    form_rows = 0
    if sheet.panel is not None:
        form_rows = _draw_panel_extras(fig, sheet, lang, portrait=orientation == "portrait")
    meta = grid.to_dict()
    meta.update(
        {
            "lang": lang,
            "layers": list(sheet.layers),
            "credits": list(sheet.credits),
            "qr": has_qr,
            "form_rows": form_rows,
            "code": grid.to_code(),
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    )
    log.info("sheet %s: %d x %d cells of %g m at 1:%d", sid, n_cols, n_rows, cell, scale)
    return fig, grid, meta


def grids_from_meta(metas: Sequence[Mapping[str, Any]]) -> dict[str, SheetGrid]:
    """Sheet id -> grid for many stored sheet metadata dicts (those without an id are skipped)."""
    out: dict[str, SheetGrid] = {}
    for m in metas:
        g = SheetGrid.from_dict(m)
        if g.sheet_id:
            out[g.sheet_id] = g
    return out
