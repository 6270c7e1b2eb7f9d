"""Check a layer against its spec, repair what is safe to repair, report the rest.

:func:`validate` is the one gate every layer passes on its way into a
workspace, whether it comes from a file, a download or a drawing in the app.
It returns the repaired frame and a :class:`ValidationReport` listing every
change; what it cannot repair safely raises :class:`~pata_gis._errors.ValidationError`
listing every problem, each naming the feature or field and the fix.

Repairs made (and reported): field names matched case-insensitively; values
converted to the field type ("12" -> 12, "da" -> True); choices matched
case-insensitively; Romanian ş/ţ with cedilla replaced by ș/ț with comma;
invalid geometries repaired with :func:`shapely.make_valid` (never
``buffer(0)``, which silently drops parts of self-intersecting polygons);
parts of the wrong dimension left over by a repair removed; empty geometries
and exact duplicate features removed; missing ``source``/``accuracy_m`` filled
from `defaults` when the caller gives them.

Refused: no geometry column, features of another geometry family, missing
required fields or values, values that cannot be converted, values outside
their choices or range, NaN or infinite coordinates, a geometry that a repair
would empty, a CRS that :func:`pata_gis.crs.check` refuses.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pata_gis import crs as _crs
from pata_gis import settings
from pata_gis._errors import ValidationError
from pata_gis.messages import Note, features_phrase, note
from pata_gis.specs import FieldSpec, LayerSpec

__all__ = ["ValidationReport", "empty_frame", "geometry_family", "normalise_text", "validate"]

log = logging.getLogger(__name__)

_CEDILLA = str.maketrans({"ş": "ș", "ţ": "ț", "Ş": "Ș", "Ţ": "Ț"})
_TRUE = {"true", "t", "yes", "y", "1", "da", "d", "igen", "i", "x"}
_FALSE = {"false", "f", "no", "n", "0", "nu", "nem", ""}
_FAMILY = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "LinearRing": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}
_FAMILY_DIM = {"point": 0, "line": 1, "polygon": 2}


def normalise_text(value: str) -> str:
    """Replace Romanian ş/ţ with cedilla by ș/ț with comma below."""
    return value.translate(_CEDILLA)


def geometry_family(geom_type: str) -> str | None:
    """Map a shapely geometry type name to ``point``, ``line`` or ``polygon``."""
    return _FAMILY.get(geom_type)


@dataclass
class ValidationReport:
    """What :func:`validate` changed and what it noticed.

    Attributes
    ----------
    layer : str
        The layer the data was checked against.
    name : str
        The data set (usually the file name).
    n_in, n_out : int
        Features before and after.
    changes : list of str
        Every repair made, each naming the feature or field.
    warnings : list of str
        Things worth knowing that were not changed.
    """

    layer: str
    name: str
    n_in: int = 0
    n_out: int = 0
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing had to be changed and nothing was noticed."""
        return not self.changes and not self.warnings

    def __str__(self) -> str:
        head = (
            f"{self.name} -> layer '{self.layer}': {self.n_out} of {self.n_in} features kept, "
            f"{len(self.changes)} repairs, {len(self.warnings)} warnings"
        )
        lines = [head]
        lines += [f"  repaired: {c}" for c in self.changes]
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _metric_area(geom: Any) -> float:
    """Area in m² of a lon/lat geometry (projected to EPSG:3844)."""
    t = _crs.transformer(settings.display_crs, settings.metric_crs)

    def proj(xy: np.ndarray) -> np.ndarray:
        x, y = t.transform(xy[:, 0], xy[:, 1])
        return np.c_[x, y]

    return float(abs(shapely.area(shapely.transform(geom, proj))))


def _feat(pos: int | np.integer) -> Note:
    return note("err.feature", n=str(int(pos) + 1))


def _list_rows(
    positions: np.ndarray | list[int], limit: int = 5, verb: tuple[str, str] | None = None
) -> Note:
    """Name 1-based features, e.g. "features 2, 5 have" with ``verb=('has', 'have')``."""
    return features_phrase(
        [int(p) + 1 for p in positions], limit=limit, verb=verb[0] if verb else None
    )


def _geom_word(family: str) -> Note | str:
    """ "point", "line" or "polygon" in any language (other text as it is)."""
    key = f"err.geom.{family}"
    return note(key) if family in ("point", "line", "polygon") else family


def empty_frame(spec: LayerSpec) -> gpd.GeoDataFrame:
    """A layer with no features but every field of `spec`, typed, in EPSG:4326."""
    dtypes = {"str": "object", "int": "Int64", "float": "float64", "bool": "boolean"}
    cols = {f.name: pd.Series([], dtype=dtypes.get(f.type, "object")) for f in spec.fields}
    return gpd.GeoDataFrame(cols, geometry=gpd.GeoSeries([], crs=settings.display_crs))


def _coerce(
    values: pd.Series, fs: FieldSpec, problems: list[str], changes: list[str], layer: str
) -> pd.Series:
    """Convert one column to its spec type; report failures by feature."""
    n = len(values)
    raw = list(values)
    isnull = pd.isna(values).to_numpy() if n else np.zeros(0, bool)
    out: list[Any] = [None] * n
    bad: list[int] = []
    converted = 0
    for i, v in enumerate(raw):
        if isnull[i]:
            continue
        if fs.type == "str":
            s = normalise_text(str(v)) if not isinstance(v, str) else normalise_text(v)
            if isinstance(v, float) and v.is_integer():
                s = str(int(v))
            out[i] = s
            if s != v:
                converted += 1
        elif fs.type in ("int", "float"):
            if isinstance(v, bool):
                bad.append(i)
                continue
            try:
                num = float(str(v).strip().replace(",", ".")) if isinstance(v, str) else float(v)
            except (TypeError, ValueError):
                bad.append(i)
                continue
            if not math.isfinite(num):
                bad.append(i)
                continue
            if fs.type == "int":
                if not num.is_integer():
                    bad.append(i)
                    continue
                out[i] = int(num)
            else:
                out[i] = num
            if isinstance(v, str):
                converted += 1
        elif fs.type == "bool":
            if isinstance(v, bool | np.bool_):
                out[i] = bool(v)
                continue
            if isinstance(v, int | float | np.integer | np.floating) and float(v) in (0.0, 1.0):
                # GDAL reads a boolean column with gaps as 0.0/1.0/NaN
                out[i] = bool(v)
                continue
            key = str(v).strip().lower()
            if key in _TRUE:
                out[i] = True
            elif key in _FALSE:
                out[i] = False
            else:
                bad.append(i)
                continue
            converted += 1
        elif fs.type == "date":
            try:
                ts = pd.Timestamp(v)
            except (TypeError, ValueError):
                bad.append(i)
                continue
            if pd.isna(ts):
                bad.append(i)
                continue
            out[i] = ts.date().isoformat()
            if out[i] != v:
                converted += 1
    if bad:
        examples = ", ".join(repr(raw[i]) for i in bad[:3])
        problems.append(
            note(
                "err.layer.bad_type",
                field=fs.name,
                rows=_list_rows(bad),
                type=fs.type,
                examples=examples,
            )
        )
    if converted and fs.type != "str":
        changes.append(note("fix.layer.converted", field=fs.name, n=str(converted), type=fs.type))
    elif converted:
        changes.append(note("fix.layer.normalised", field=fs.name, n=str(converted)))
    if fs.type == "int":
        return pd.Series(out, index=values.index, dtype="Int64")
    if fs.type == "float":
        return pd.Series(out, index=values.index, dtype="float64")
    if fs.type == "bool":
        return pd.Series(out, index=values.index, dtype="boolean")
    return pd.Series(out, index=values.index, dtype="object")


def _check_values(
    col: pd.Series, fs: FieldSpec, problems: list[str], changes: list[str]
) -> pd.Series:
    present = col.notna().to_numpy()
    if fs.choices is not None:
        lower = {c.lower(): c for c in fs.choices}
        fixed = 0
        bad: list[int] = []
        vals = list(col)
        for i, v in enumerate(vals):
            if not present[i] or v in fs.choices:
                continue
            key = str(v).strip().lower()
            if key in lower:
                vals[i] = lower[key]
                fixed += 1
            else:
                bad.append(i)
        if fixed:
            changes.append(note("fix.layer.choice_case", field=fs.name, n=str(fixed)))
            col = pd.Series(vals, index=col.index, dtype=col.dtype)
        if bad:
            examples = ", ".join(sorted({repr(vals[i]) for i in bad})[:3])
            problems.append(
                note(
                    "err.layer.not_allowed",
                    field=fs.name,
                    rows=_list_rows(bad, verb=("has", "have")),
                    examples=examples,
                    choices=", ".join(fs.choices),
                )
            )
    if fs.type in ("int", "float") and (fs.min is not None or fs.max is not None):
        num = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        low = (num < fs.min) if fs.min is not None else np.zeros(len(num), bool)
        high = (num > fs.max) if fs.max is not None else np.zeros(len(num), bool)
        bad_pos = np.flatnonzero(np.nan_to_num(low | high, nan=0).astype(bool))
        if len(bad_pos):
            problems.append(
                note(
                    "err.layer.out_of_range",
                    field=fs.name,
                    rows=_list_rows(bad_pos, verb=("is", "are")),
                    low=str(fs.min if fs.min is not None else "-inf"),
                    high=str(fs.max if fs.max is not None else "inf"),
                )
            )
    return col


def validate(
    gdf: gpd.GeoDataFrame,
    spec: LayerSpec,
    *,
    name: str | None = None,
    defaults: Mapping[str, Any] | None = None,
    allow_empty: bool = False,
    region: _crs.Region | None = "romania",
) -> tuple[gpd.GeoDataFrame, ValidationReport]:
    """Check `gdf` against `spec`; repair what is safe; report every change.

    Parameters
    ----------
    gdf : GeoDataFrame
        The features, in any plausible CRS.
    spec : LayerSpec
        The layer they are meant for.
    name : str, optional
        How to name the data in messages (the file name); default the layer name.
    defaults : mapping, optional
        Values for fields the data lacks or leaves empty, e.g.
        ``{"source": "workshop 2026-11-25, Dallas", "accuracy_m": 25}``.
        Filling is reported as a change.
    allow_empty : bool
        Accept a layer with no features (default: refuse, since an empty import
        is almost always a mistake).
    region : {"romania", "cluj"} or None
        Where the features must lie (see :func:`pata_gis.crs.check`).

    Returns
    -------
    GeoDataFrame
        The repaired features in EPSG:4326: the spec's fields in spec order,
        typed, then any extra columns of the input (kept, never dropped), then
        ``geometry``; index 0..n-1.
    ValidationReport
        Every repair and warning.

    Raises
    ------
    ValidationError
        Listing every problem that cannot be repaired safely.
    """
    label = name or spec.name
    report = ValidationReport(layer=spec.name, name=label, n_in=len(gdf))
    problems: list[str] = []
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise ValidationError(
            note(
                "err.layer.no_geometry",
                name=label,
                layer=spec.name,
                geom=_geom_word(spec.geometry),
            )
        )
    if len(gdf) == 0 and not allow_empty:
        raise ValidationError(note("err.layer.empty", name=label))
    _crs.check(gdf, name=label, region=region)
    df = (
        gdf.to_crs(settings.display_crs)
        if len(gdf)
        else gdf.set_crs(settings.display_crs, allow_override=True)
    )
    df = df.reset_index(drop=True).copy()
    geom_col = df.geometry.name
    if geom_col != "geometry":
        df = df.rename_geometry("geometry")

    # --- field names: case-insensitive, cedilla-insensitive match
    rename: dict[str, str] = {}
    existing = {normalise_text(str(c)).strip().lower(): c for c in df.columns if c != "geometry"}
    for fs in spec.fields:
        if fs.name in df.columns:
            continue
        hit = existing.get(fs.name.lower())
        if hit is not None and hit not in spec.field_names:
            rename[hit] = fs.name
    if rename:
        df = df.rename(columns=rename)
        report.changes.append(
            note(
                "fix.layer.renamed",
                renames=", ".join(f"'{a}' -> '{b}'" for a, b in rename.items()),
            )
        )

    # --- defaults for missing fields / values
    for key, value in (defaults or {}).items():
        if key not in df.columns:
            df[key] = value
            report.changes.append(note("fix.layer.field_added", field=key, value=repr(value)))
        else:
            missing = df[key].isna() | (df[key].astype("string").str.strip() == "")
            if missing.any():
                df.loc[missing, key] = value
                report.changes.append(
                    note(
                        "fix.layer.filled",
                        field=key,
                        n=str(int(missing.sum())),
                        value=repr(value),
                    )
                )

    # --- fields: presence, type, required, choices, range
    for fs in spec.fields:
        if fs.name not in df.columns:
            if fs.required:
                if fs.name in ("source", "accuracy_m"):
                    problems.append(
                        note(
                            "err.layer.field_missing_hint",
                            field=fs.name,
                            type=fs.type,
                            hint=note(f"err.layer.hint.{fs.name}"),
                        )
                    )
                else:
                    problems.append(note("err.layer.field_missing", field=fs.name, type=fs.type))
                continue
            df[fs.name] = pd.Series([None] * len(df), index=df.index, dtype="object")
        col = _coerce(df[fs.name], fs, problems, report.changes, spec.name)
        if fs.type == "str":
            blank = col.notna() & (col.astype("string").str.strip() == "")
            col = col.mask(blank, None)
        col = _check_values(col, fs, problems, report.changes)
        df[fs.name] = col
        if fs.required:
            nulls = np.flatnonzero(col.isna().to_numpy())
            if len(nulls):
                problems.append(
                    note(
                        "err.layer.required",
                        field=fs.name,
                        rows=_list_rows(nulls, verb=("has", "have")),
                    )
                )

    # --- text in extra columns and column names
    for c in df.columns:
        if c == "geometry" or c in spec.field_names:
            continue
        if df[c].dtype == object or str(df[c].dtype) in ("string", "str"):
            df[c] = df[c].map(lambda v: normalise_text(v) if isinstance(v, str) else v)
    extra = [c for c in df.columns if c != "geometry" and c not in spec.field_names]
    if extra:
        report.warnings.append(note("warn.layer.extra_columns", columns=", ".join(map(str, extra))))

    # --- geometries
    geoms = np.asarray(df.geometry.values, dtype=object)
    missing_g = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if missing_g.any():
        report.changes.append(
            note("fix.layer.no_geometry_removed", rows=_list_rows(np.flatnonzero(missing_g)))
        )
    want = spec.geometry
    types = shapely.get_type_id(geoms)
    fam = np.array(
        [
            None
            if missing_g[i]
            else _FAMILY.get(shapely.get_geometry(g, 0).geom_type if types[i] == 7 else g.geom_type)
            for i, g in enumerate(geoms)
        ],
        dtype=object,
    )
    wrong = ~missing_g & (fam != want)
    if wrong.any():
        kinds = sorted({geoms[i].geom_type for i in np.flatnonzero(wrong)})
        families = sorted({str(f) for f in fam[wrong] if f})
        problems.append(
            note(
                "err.layer.wrong_family",
                rows=_list_rows(np.flatnonzero(wrong), verb=("is", "are")),
                kinds="/".join(kinds),
                layer=spec.name,
                want=_geom_word(want),
                other=(
                    _geom_word(families[0])
                    if len(families) == 1
                    else "/".join(families) or note("err.geom.other")
                ),
                wants=note(f"err.geom.{want}s"),
            )
        )
    coords_ok = np.ones(len(geoms), bool)
    for i in np.flatnonzero(~missing_g):
        c = shapely.get_coordinates(geoms[i])
        if not np.isfinite(c).all():
            coords_ok[i] = False
    if (~coords_ok).any():
        problems.append(
            note(
                "err.layer.nan_coords",
                rows=_list_rows(np.flatnonzero(~coords_ok), verb=("has", "have")),
            )
        )
    check = ~missing_g & ~wrong & coords_ok
    to_check = geoms.copy()
    to_check[~check] = None
    invalid = check & ~shapely.is_valid(to_check)
    repaired = 0
    for i in np.flatnonzero(invalid):
        reason = shapely.is_valid_reason(geoms[i])
        fixed = (
            shapely.make_valid(geoms[i], method="structure", keep_collapsed=False)
            if want == "polygon"
            else shapely.make_valid(geoms[i])
        )
        parts = [
            p
            for p in shapely.get_parts(fixed)
            if _FAMILY.get(p.geom_type) == want and not p.is_empty
        ]
        if not parts:
            problems.append(note("err.layer.unrepairable", feature=_feat(i), reason=reason))
            continue
        if want == "polygon":
            new = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
            a0, a1 = _metric_area(geoms[i]), _metric_area(new)
            detail = note("fix.layer.area", before=f"{a0:,.0f}", after=f"{a1:,.0f}")
        elif want == "line":
            new = shapely.MultiLineString(parts) if len(parts) > 1 else parts[0]
            detail = note("fix.layer.parts", n=str(len(parts)))
        else:
            new = shapely.MultiPoint(parts) if len(parts) > 1 else parts[0]
            detail = note("fix.layer.parts", n=str(len(parts)))
        geoms[i] = new
        repaired += 1
        report.changes.append(
            note("fix.layer.repaired", feature=_feat(i), reason=reason, detail=detail)
        )
    del repaired
    # geometry collections of the right family (e.g. from GPX/KML) flattened
    for i in np.flatnonzero(check & (types == 7)):
        parts = [p for p in shapely.get_parts(geoms[i]) if _FAMILY.get(p.geom_type) == want]
        geoms[i] = {
            "point": shapely.MultiPoint,
            "line": shapely.MultiLineString,
            "polygon": shapely.MultiPolygon,
        }[want](parts)
        report.changes.append(note("fix.layer.collection", feature=_feat(i), want=_geom_word(want)))

    if problems:
        raise ValidationError(
            note("err.layer.refused", name=label, n=str(len(problems)), layer=spec.name),
            problems,
        )
    df = df.set_geometry(gpd.GeoSeries(geoms, index=df.index, crs=settings.display_crs))
    df = df.loc[~missing_g]

    # --- duplicates
    if len(df):
        key_cols = [c for c in df.columns if c != "geometry"]
        wkb = shapely.to_wkb(np.asarray(df.geometry.values), hex=True)
        keyframe = df[key_cols].astype("string").fillna("<NA>")
        keyframe["__wkb"] = wkb
        dup_all = keyframe.duplicated(keep="first").to_numpy()
        if dup_all.any():
            report.changes.append(
                note("fix.layer.duplicates", rows=_list_rows(np.flatnonzero(dup_all)))
            )
            df = df.loc[~dup_all]
            wkb = wkb[~dup_all]
        same_geom = pd.Series(wkb).duplicated(keep=False).to_numpy()
        if same_geom.any():
            report.warnings.append(
                note("warn.layer.same_geometry", rows=_list_rows(np.flatnonzero(same_geom)))
            )

    order = [f.name for f in spec.fields] + [
        c for c in df.columns if c not in spec.field_names and c != "geometry"
    ]
    df = gpd.GeoDataFrame(df[order], geometry=df.geometry, crs=settings.display_crs).reset_index(
        drop=True
    )
    report.n_out = len(df)
    for c in report.changes:
        log.info("%s: %s", label, c)
    return df, report
