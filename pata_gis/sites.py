"""Social-housing site evaluation: hard constraints, criteria, weights and their sensitivity.

A multi-criteria evaluation (MCDA) of candidate sites in four steps:

1. **Hard constraints** (:func:`hard_constraints`): a site inside the landfill
   sanitary-protection zone (:func:`pata_gis.pollution.legal_zone`), a flood
   zone or any other polygon layer is *excluded*. A site that lies outside the
   area a constraint layer covers gets ``<NA>`` ("no data"), never ``False``:
   an empty or partial flood map does not prove that a site is dry.
2. **Standardisation** (:func:`standardise`): each criterion column (network
   minutes to a school, exposure index, distance from the existing settlements,
   neighbourhood mix...) becomes a score between 0 (worst) and 1 (best) through
   one of four transforms, see :class:`Criterion`. A missing value stays
   missing (``NaN``), it is never silently 0.
3. **Weights**, set directly or derived from Saaty's pairwise comparisons
   (:func:`ahp_weights`, with the consistency ratio).
4. **Scoring and ranking** (:func:`score`): the weighted sum (weighted linear
   combination) of the standardised scores; excluded sites and sites with
   missing data are listed after the ranked ones with the reason.

Then: how the rankings of several stakeholders (community, planners, police)
agree and differ (:func:`compare_stakeholders`), and how far each weight may
move before the best site changes (:func:`weight_sensitivity`,
:func:`rank_reversal_thresholds`, the latter exact, not sampled).

This module knows nothing about routing: the access engine
(:mod:`pata_gis.access`) computes the travel times and passes them in as plain
columns of a DataFrame indexed by site.

Examples
--------
>>> import pandas as pd
>>> df = pd.DataFrame(
...     {"time_school_min": [10.0, 25.0, 40.0], "exposure_mean": [0.0, 0.2, 0.1]},
...     index=pd.Index(["A", "B", "C"], name="site"),
... )
>>> crit = [Criterion("time_school_min"), Criterion("exposure_mean")]
>>> out = score(df, crit, {"time_school_min": 3, "exposure_mean": 1})
>>> out["score"].round(3).to_dict(), out["rank"].tolist()
({'A': 1.0, 'B': 0.375, 'C': 0.125}, [1, 2, 3])
"""

from __future__ import annotations

import itertools
import logging
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import stats

from pata_gis import crs as _crs
from pata_gis import messages as _msg
from pata_gis import pollution as _pollution
from pata_gis._errors import InputError

__all__ = [
    "ACCESS_NAMES",
    "NEIGHBOURHOOD_RADIUS_M",
    "RANDOM_INDEX",
    "RANDOM_INDEX_2005",
    "SENSITIVITY_STEPS",
    "TOP_K",
    "AHPResult",
    "Criterion",
    "StakeholderComparison",
    "access_times",
    "ahp_matrix",
    "ahp_weights",
    "compare_stakeholders",
    "default_criteria",
    "hard_constraints",
    "ideal_range",
    "inverse",
    "linear",
    "neighbourhood_share",
    "rank_reversal_thresholds",
    "score",
    "site_measures",
    "standardise",
    "threshold",
    "weight_sensitivity",
]

log = logging.getLogger(__name__)

Direction = Literal["benefit", "cost"]
Transform = Literal["linear", "threshold", "ideal_range", "inverse"]
Missing = Literal["unranked", "worst"]

#: Saaty's random consistency index RI for n = 1..15: the mean consistency index
#: of random reciprocal matrices. n = 1..10 from T. L. Saaty, *The Analytic
#: Hierarchy Process*, McGraw-Hill, 1980 (Table 1.3); n = 11..15 from T. L.
#: Saaty, *Fundamentals of Decision Making and Priority Theory*, RWS
#: Publications, 1994/2000 (the table most textbooks reprint; its dip at n = 12
#: is in the source).
RANDOM_INDEX: tuple[float, ...] = (
    0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
)  # fmt: skip

#: Saaty's later RI estimates from larger simulations, n = 1..15: T. L. Saaty,
#: *Theory and Applications of the Analytic Network Process*, RWS Publications,
#: 2005, p. 31 (also used by the AHPy package as ``random_index="saaty"``).
RANDOM_INDEX_2005: tuple[float, ...] = (
    0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59,
)  # fmt: skip

#: Consistency ratio above which Saaty asks the judgements to be revised.
CR_LIMIT: float = 0.10

#: Relative tolerance of the reciprocity check ``a_ji * a_ij == 1`` (judgements
#: typed as rounded decimals such as 0.33 for 1/3 pass; 0.3 does not).
RECIPROCAL_RTOL: float = 0.02

#: Radius (m) of the neighbourhood around a site in :func:`neighbourhood_share`.
NEIGHBOURHOOD_RADIUS_M: float = 500.0

#: Size of the shortlist in :func:`compare_stakeholders`.
TOP_K: int = 3

#: Default weight changes (absolute, in weight units) tried by
#: :func:`weight_sensitivity`: -0.5 .. +0.5 in steps of 0.05.
SENSITIVITY_STEPS: tuple[float, ...] = tuple(round(-0.5 + 0.05 * i, 2) for i in range(21))


# ------------------------------------------------------------------ transforms
def linear(x: Any, *, lower: float, upper: float, direction: Direction = "benefit") -> np.ndarray:
    """Min-max scaling to [0, 1] between `lower` and `upper` (values outside are clipped).

    ``benefit``: ``(x - lower) / (upper - lower)``; ``cost``: ``(upper - x) /
    (upper - lower)``. When ``upper == lower`` every finite value scores 1 (the
    criterion does not discriminate). ``NaN`` stays ``NaN``.
    """
    v = _float_array(x)
    lo, hi = float(lower), float(upper)
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi < lo:
        raise InputError(
            f"linear transform: bounds ({lo}, {hi}) must be finite with lower <= upper"
        )
    if hi == lo:
        return np.where(np.isnan(v), np.nan, 1.0)
    s = (v - lo) / (hi - lo)
    if direction == "cost":
        s = 1.0 - s
    return np.clip(s, 0.0, 1.0)


def threshold(
    x: Any, *, good: float, bad: float | None = None, direction: Direction = "cost"
) -> np.ndarray:
    """Threshold transform: a step at `good`, or linear from `good` (1) to `bad` (0).

    With ``bad=None`` it is a step: 1 where ``x`` is at least as good as `good`
    (``x <= good`` for a cost, ``x >= good`` for a benefit), else 0. With `bad`
    given: 1 at or beyond `good`, 0 at or beyond `bad`, linear between
    (``good < bad`` for a cost such as minutes, ``good > bad`` for a benefit).
    ``NaN`` stays ``NaN``.
    """
    v = _float_array(x)
    g = float(good)
    if bad is None:
        return _step(v, g, direction)
    b = float(bad)
    if g == b or not (math.isfinite(g) and math.isfinite(b)):
        raise InputError(f"threshold: good ({g}) and bad ({b}) must be finite and differ")
    if (g < b) != (direction == "cost"):
        raise InputError(
            f"threshold: good={g:g}, bad={b:g} contradicts direction={direction!r} "
            "(a cost needs good < bad, a benefit good > bad)"
        )
    return np.clip((v - b) / (g - b), 0.0, 1.0)


def _step(v: np.ndarray, good: float, direction: Direction) -> np.ndarray:
    ok = v <= good if direction == "cost" else v >= good
    return np.where(np.isnan(v), np.nan, ok.astype(float))


def ideal_range(
    x: Any, *, low: float, high: float, tolerance: float | tuple[float, float]
) -> np.ndarray:
    """1 inside ``[low, high]``, falling linearly to 0 at ``low - tol_below`` and ``high + tol_above``.

    `tolerance` is one number for both sides or ``(below, above)``; a tolerance
    of 0 on a side makes that side a hard step.
    """
    v = _float_array(x)
    a, b = float(low), float(high)
    if isinstance(tolerance, tuple | list):
        tb, ta = float(tolerance[0]), float(tolerance[1])
    else:
        tb = ta = float(tolerance)
    if not (a <= b) or tb < 0 or ta < 0:
        raise InputError(
            f"ideal_range: need low <= high and tolerances >= 0, got [{a}, {b}] and ({tb}, {ta})"
        )
    below = np.ones_like(v) if tb == 0 else 1.0 - (a - v) / tb
    above = np.ones_like(v) if ta == 0 else 1.0 - (v - b) / ta
    s = np.where(v < a, below if tb > 0 else 0.0, np.where(v > b, above if ta > 0 else 0.0, 1.0))
    s = np.clip(s, 0.0, 1.0)
    return np.where(np.isnan(v), np.nan, s)


def inverse(x: Any, *, x0: float, direction: Direction = "cost") -> np.ndarray:
    """Inverse (hyperbolic) decay ``1 / (1 + x / x0)``; for a benefit ``x / (x + x0)``.

    ``x0`` is the value scoring 0.5. Values must be >= 0.
    """
    v = _float_array(x)
    x0 = float(x0)
    if not (x0 > 0 and math.isfinite(x0)):
        raise InputError(f"inverse transform: x0 must be a positive number, got {x0}")
    if np.any(v[~np.isnan(v)] < 0):
        raise InputError("inverse transform: values must be >= 0 (a time, a distance, a count)")
    s = 1.0 / (1.0 + v / x0)
    return s if direction == "cost" else 1.0 - s


def _float_array(x: Any) -> np.ndarray:
    s = pd.to_numeric(pd.Series(x), errors="coerce")
    return np.asarray(s.astype("float64").to_numpy(na_value=np.nan), dtype=float)


# ------------------------------------------------------------------ criteria
@dataclass(frozen=True)
class Criterion:
    """One evaluation criterion: a column of the criteria table and how to score it.

    Parameters
    ----------
    column : str
        Column of the criteria DataFrame (e.g. ``"time_school_min"``).
    direction : {"cost", "benefit"}
        ``cost``: smaller is better (minutes, exposure); ``benefit``: larger is
        better (distance from the landfill, mix). Ignored by ``ideal_range``.
    transform : {"linear", "threshold", "ideal_range", "inverse"}
        ``linear``: min-max over the candidate set (the eligible sites with
        data), or between fixed ``bounds``. ``threshold``: a step at ``good``
        (``bad=None``) or linear from ``good`` (1) to ``bad`` (0).
        ``ideal_range``: 1 inside ``ideal=(a, b)``, linearly to 0 at
        ``a - tolerance`` and ``b + tolerance``. ``inverse``: ``1 / (1 + x/x0)``.
    bounds : (float, float), optional
        Fixed ``(lower, upper)`` for ``linear``, so scores do not move when a
        site is added.
    good, bad : float, optional
        For ``threshold``.
    ideal : (float, float), optional
        For ``ideal_range``.
    tolerance : float or (float, float)
        For ``ideal_range``: below and above.
    x0 : float, optional
        For ``inverse``: the value scoring 0.5.
    label : str, optional
        A human label for reports; default the column name.

    Notes
    -----
    ``NaN`` (no data) stays ``NaN`` and :func:`score` flags it; ``inf`` (known
    unreachable, as :func:`pata_gis.access.nearest_facilities` reports) scores
    as the worst value of a cost and the best of a benefit, and is left out of
    the min-max of a ``linear`` criterion.

    Examples
    --------
    >>> Criterion("time_doctor_min", transform="threshold", good=15, bad=45).apply([10, 30, 60])
    array([1. , 0.5, 0. ])
    """

    column: str
    direction: Direction = "cost"
    transform: Transform = "linear"
    bounds: tuple[float, float] | None = None
    good: float | None = None
    bad: float | None = None
    ideal: tuple[float, float] | None = None
    tolerance: float | tuple[float, float] = 0.0
    x0: float | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        where = f"criterion {self.column!r}"
        if self.direction not in ("cost", "benefit"):
            raise InputError(f"{where}: direction {self.direction!r} must be 'cost' or 'benefit'")
        if self.transform == "threshold":
            if self.good is None:
                raise InputError(f"{where}: the threshold transform needs good=")
            if self.bad is not None:
                smaller_better = self.good < self.bad
                if smaller_better != (self.direction == "cost"):
                    raise InputError(
                        f"{where}: good={self.good}, bad={self.bad} contradicts "
                        f"direction={self.direction!r} (a cost needs good < bad, a benefit good > bad)"
                    )
        elif self.transform == "ideal_range":
            if self.ideal is None:
                raise InputError(f"{where}: the ideal_range transform needs ideal=(low, high)")
        elif self.transform == "inverse":
            if self.x0 is None:
                raise InputError(
                    f"{where}: the inverse transform needs x0= (the value scoring 0.5)"
                )
        elif self.transform == "linear":
            if self.bounds is not None and not self.bounds[0] <= self.bounds[1]:
                raise InputError(f"{where}: bounds {self.bounds} must be (lower, upper)")
        else:
            raise InputError(
                f"{where}: unknown transform {self.transform!r}; use linear, threshold, "
                "ideal_range or inverse"
            )

    @property
    def name(self) -> str:
        """The label, or the column name."""
        return self.label or self.column

    def apply(self, values: Any, *, reference: Any = None) -> np.ndarray:
        """Scores in [0, 1] for `values` (NaN where a value is missing).

        `reference` holds the values the min-max of a ``linear`` criterion
        without fixed bounds is taken over (default `values` itself).
        """
        v = _float_array(values)
        if self.transform == "linear":
            if self.bounds is not None:
                lo, hi = self.bounds
            else:
                ref = v if reference is None else _float_array(reference)
                ref = ref[np.isfinite(ref)]
                if ref.size == 0:
                    return np.full(v.shape, np.nan)
                lo, hi = float(ref.min()), float(ref.max())
            return linear(v, lower=lo, upper=hi, direction=self.direction)
        if self.transform == "threshold":
            assert self.good is not None
            return threshold(v, good=self.good, bad=self.bad, direction=self.direction)
        if self.transform == "ideal_range":
            assert self.ideal is not None
            return ideal_range(v, low=self.ideal[0], high=self.ideal[1], tolerance=self.tolerance)
        assert self.x0 is not None
        return inverse(v, x0=self.x0, direction=self.direction)


def default_criteria() -> list[Criterion]:
    """A starting set of criteria for Pata Rât resettlement sites, to be discussed, not adopted.

    Thresholds are walking/transit minutes ("good" = 1, "bad" = 0):
    school 15/45, kindergarten 10/30, family doctor 15/45, social services
    20/60, transit stop 5/15, jobs 30/60 (count reachable is better handled as a
    benefit column when available); landfill exposure index inverse with
    x0 = 0.14 (the index at the 1,000 m legal distance with the default decay);
    distance from the existing settlements linear 500 m (0) .. 3,000 m (1);
    neighbourhood mix ideal range 0.4..0.8 with tolerance 0.4 on the mix index
    of :func:`neighbourhood_share` (0 = one group only, 1 = half and half):
    0.4..0.8 is a relocated share of about 8 % to 24 % around the site, a
    minority that is neither isolated nor a new enclave.
    """
    return [
        Criterion("time_school_min", "cost", "threshold", good=15, bad=45, label="school"),
        Criterion(
            "time_kindergarten_min", "cost", "threshold", good=10, bad=30, label="kindergarten"
        ),
        Criterion("time_doctor_min", "cost", "threshold", good=15, bad=45, label="family doctor"),
        Criterion("time_social_min", "cost", "threshold", good=20, bad=60, label="social services"),
        Criterion("time_transit_min", "cost", "threshold", good=5, bad=15, label="transit"),
        Criterion("time_jobs_min", "cost", "threshold", good=30, bad=60, label="jobs"),
        Criterion("exposure_mean", "cost", "inverse", x0=0.14, label="landfill exposure"),
        Criterion(
            "dist_settlement_m",
            "benefit",
            "linear",
            bounds=(500.0, 3000.0),
            label="distance from the segregated settlements",
        ),
        Criterion(
            "mix_index", "benefit", "ideal_range", ideal=(0.4, 0.8), tolerance=0.4, label="mix"
        ),
    ]


def _check_criteria(df: pd.DataFrame, criteria: Sequence[Criterion]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"criteria table must be a DataFrame indexed by site, got {type(df).__name__}"
        )
    if not criteria:
        raise InputError("no criteria given: pass a list of Criterion")
    cols = [c.column for c in criteria]
    dup = sorted({c for c in cols if cols.count(c) > 1})
    if dup:
        raise InputError(f"criteria use the column(s) {dup} more than once; give each column once")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(
            f"criteria table lacks column(s) {missing}; it has {list(df.columns)}. "
            "Compute them first (e.g. with pata_gis.access) or drop those criteria."
        )
    if not df.index.is_unique:
        dups = df.index[df.index.duplicated()].unique().tolist()[:5]
        raise InputError(f"criteria table: site index must be unique, repeated: {dups}")
    for c in cols:
        s = df[c]
        if not (pd.api.types.is_numeric_dtype(s) or s.isna().all()):
            bad = pd.to_numeric(s, errors="coerce").isna() & s.notna()
            if bad.any():
                site = bad[bad].index[0]
                raise InputError(
                    f"criteria table: column {c!r} holds a non-number at site {site!r} "
                    f"({s.loc[site]!r}); use numbers, or leave the cell empty for 'no data'"
                )


def standardise(
    criteria_df: pd.DataFrame,
    criteria: Sequence[Criterion],
    *,
    eligible: pd.Series | None = None,
) -> pd.DataFrame:
    """Per-criterion scores in [0, 1] (1 best), one column per criterion, ``NaN`` = no data.

    Parameters
    ----------
    criteria_df : DataFrame
        One row per site; the columns named by `criteria`.
    criteria : list of Criterion
    eligible : boolean Series, optional
        The sites a ``linear`` criterion without fixed bounds takes its min and
        max over (default all): pass ``~excluded`` so that an excluded outlier
        does not stretch the scale.

    Returns
    -------
    DataFrame
        Indexed like `criteria_df`, columns named by ``Criterion.column``.
    """
    _check_criteria(criteria_df, criteria)
    mask = np.ones(len(criteria_df), bool)
    if eligible is not None:
        mask = eligible.reindex(criteria_df.index).fillna(False).astype(bool).to_numpy()
    out = {}
    for c in criteria:
        vals = _float_array(criteria_df[c.column])
        out[c.column] = c.apply(vals, reference=vals[mask])
    return pd.DataFrame(out, index=criteria_df.index)


def _weights_vector(weights: Mapping[str, float], criteria: Sequence[Criterion]) -> np.ndarray:
    if isinstance(weights, pd.Series):
        weights = weights.to_dict()
    if not isinstance(weights, Mapping):
        raise InputError(
            f"weights must be a mapping column -> weight, got {type(weights).__name__}"
        )
    cols = [c.column for c in criteria]
    unknown = [k for k in weights if k not in cols]
    lacking = [c for c in cols if c not in weights]
    if unknown or lacking:
        raise InputError(
            f"weights do not match the criteria: no criterion for {unknown}, no weight for "
            f"{lacking}. Give one weight per criterion column (0 to ignore one)."
        )
    w = np.array([float(weights[c]) for c in cols])
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        bad = [c for c, x in zip(cols, w, strict=True) if not (math.isfinite(x) and x >= 0)]
        raise InputError(f"weights must be finite and >= 0; check {bad}")
    if w.sum() <= 0:
        raise InputError("weights sum to 0: give at least one criterion a positive weight")
    return w / w.sum()


def _constraint_info(
    index: pd.Index, constraints: pd.DataFrame | pd.Series | None
) -> tuple[np.ndarray, list[str], list[str]]:
    """(excluded mask, reason text, unknown-constraint text) aligned on `index`."""
    n = len(index)
    if constraints is None:
        return np.zeros(n, bool), [""] * n, [""] * n
    if isinstance(constraints, pd.Series):
        exc = constraints.reindex(index)
        if exc.isna().any():
            raise InputError(
                f"constraints: no exclusion flag for site(s) {exc[exc.isna()].index.tolist()[:5]}"
            )
        mask = exc.astype(bool).to_numpy()
        return mask, ["excluded" if m else "" for m in mask], [""] * n
    if "excluded" not in constraints.columns:
        raise InputError(
            "constraints table lacks the 'excluded' column: pass hard_constraints(...)"
        )
    c = constraints.reindex(index)
    if c["excluded"].isna().any():
        missing = c.index[c["excluded"].isna()].tolist()[:5]
        raise InputError(f"constraints table has no row for site(s) {missing}")
    mask = c["excluded"].astype(bool).to_numpy()
    names = [k for k in c.columns if k not in ("excluded", "reason", "no_data")]
    reasons, unknown = [], []
    for i in range(n):
        row = c.iloc[i]
        ins = [k for k in names if pd.notna(row[k]) and bool(row[k])]
        nd = [k for k in names if pd.isna(row[k])]
        reasons.append(("inside: " + ", ".join(ins)) if ins else "")
        unknown.append(", ".join(nd))
    return mask, reasons, unknown


def score(
    criteria_df: pd.DataFrame,
    criteria: Sequence[Criterion],
    weights: Mapping[str, float],
    *,
    constraints: pd.DataFrame | pd.Series | None = None,
    missing: Missing = "unranked",
) -> pd.DataFrame:
    """Weighted-sum score and rank of every site.

    Parameters
    ----------
    criteria_df : DataFrame
        One row per site (the index names the site), one column per criterion.
    criteria : list of Criterion
    weights : mapping column -> weight
        One non-negative weight per criterion; normalised to sum to 1 (a
        ``pandas.Series`` from :func:`ahp_weights` works too).
    constraints : DataFrame or boolean Series, optional
        The output of :func:`hard_constraints` (or a plain "excluded" flag per
        site). Excluded sites are scored for information but not ranked.
    missing : {"unranked", "worst"}
        What a missing criterion value does. ``"unranked"`` (default): the
        site gets no total and is listed after the ranked sites as
        ``"no data"``, naming the columns. ``"worst"``: the missing
        standardised score counts as 0, the worst possible value, so a site
        never gains from a gap; the ``missing`` column still names the gaps.

    Returns
    -------
    DataFrame
        Indexed by site and sorted: ranked sites by rank, then "no data", then
        excluded sites. Columns: one standardised score per criterion
        (``s_<column>``, NaN = no data), ``score`` (weighted sum in [0, 1]),
        ``rank`` (Int64, 1 = best, ties share the best rank, ``<NA>`` when not
        ranked), ``status`` (``ranked``/``no data``/``excluded``), ``reason``,
        ``missing`` (columns without data), ``unknown_constraints`` (constraints
        with no data for the site) and ``order`` (1..n, the order of the table).
    """
    if missing not in ("unranked", "worst"):
        raise InputError(f"missing={missing!r}: use 'unranked' or 'worst'")
    w = _weights_vector(weights, criteria)
    excluded, reasons, unknown = _constraint_info(criteria_df.index, constraints)
    std = standardise(criteria_df, criteria, eligible=pd.Series(~excluded, criteria_df.index))
    vals = std.to_numpy(dtype=float)
    cols = [c.column for c in criteria]
    # A criterion with weight 0 does not need data.
    gaps = np.isnan(vals) & (w > 0)[None, :]
    filled = np.where(np.isnan(vals), 0.0, vals)
    total = filled @ w
    has_gap = gaps.any(axis=1)
    if missing == "unranked":
        total = np.where(has_gap, np.nan, total)
    status = np.where(
        excluded, "excluded", np.where(has_gap & (missing == "unranked"), "no data", "ranked")
    )
    out = std.add_prefix("s_")
    out["score"] = total
    ranked = status == "ranked"
    rank = pd.Series(pd.NA, index=out.index, dtype="Int64")
    if ranked.any():
        r = pd.Series(total[ranked]).rank(ascending=False, method="min").astype("int64")
        rank[ranked] = r.to_numpy()
    out["rank"] = rank
    out["status"] = pd.Series(status, index=out.index, dtype="str")
    miss_txt = [", ".join(c for c, g in zip(cols, row, strict=True) if g) for row in gaps]
    reason = []
    for i in range(len(out)):
        if status[i] == "excluded":
            reason.append(reasons[i] or "excluded")
        elif status[i] == "no data":
            reason.append("no data: " + miss_txt[i])
        else:
            reason.append("")
    out["reason"] = pd.Series(reason, index=out.index, dtype="str")
    out["missing"] = pd.Series(miss_txt, index=out.index, dtype="str")
    out["unknown_constraints"] = pd.Series(unknown, index=out.index, dtype="str")
    group = np.select([ranked, status == "no data"], [0, 1], 2)
    key = pd.DataFrame({"g": group, "s": -np.nan_to_num(total, nan=-np.inf)}, index=out.index)
    order = np.lexsort((key["s"].to_numpy(), key["g"].to_numpy()))
    out = out.iloc[order].copy()
    out["order"] = np.arange(1, len(out) + 1)
    if (~ranked).any():
        log.info(
            "sites: %d ranked, %d without data, %d excluded",
            int(ranked.sum()), int((status == "no data").sum()), int(excluded.sum()),
        )  # fmt: skip
    out.attrs["weights"] = dict(zip(cols, w.tolist(), strict=True))
    return out


# ------------------------------------------------------------------ hard constraints
def _as_geometry(obj: Any, *, name: str) -> shapely.Geometry:
    if isinstance(obj, gpd.GeoDataFrame | gpd.GeoSeries):
        metric = _crs.to_metric(obj, name=name)
        geoms = np.asarray(
            metric.geometry.values if isinstance(metric, gpd.GeoDataFrame) else metric.values
        )
        geoms = geoms[~shapely.is_missing(geoms)]
        return shapely.union_all(shapely.make_valid(geoms)) if len(geoms) else shapely.Polygon()
    if isinstance(obj, shapely.Geometry):
        return shapely.make_valid(obj)
    raise InputError(
        f"{name}: expected a polygon GeoDataFrame, GeoSeries or a shapely geometry "
        f"(in EPSG:3844), got {type(obj).__name__}"
    )


def hard_constraints(
    sites: gpd.GeoDataFrame,
    constraints: Mapping[str, gpd.GeoDataFrame | gpd.GeoSeries | shapely.Geometry],
    *,
    data_extent: Mapping[str, gpd.GeoDataFrame | gpd.GeoSeries | shapely.Geometry] | None = None,
    how: Literal["overlap", "centroid"] = "overlap",
    tolerance_m: float = 0.0,
) -> pd.DataFrame:
    """Which sites each constraint layer excludes, keeping "no data" apart from "outside".

    Parameters
    ----------
    sites : GeoDataFrame
        Candidate sites (polygons or points), any CRS (projected to EPSG:3844).
    constraints : mapping name -> polygons
        E.g. ``{"legal_zone": pollution.legal_zone(landfill), "flood": flood}``.
        A GeoDataFrame or GeoSeries (with a CRS) or a shapely geometry in
        EPSG:3844.
    data_extent : mapping name -> polygon, optional
        The area each constraint layer covers (a flood map of one river
        valley, a survey area). A site not inside the constraint and not wholly
        within the extent gets ``<NA>``: the layer says nothing there. A
        constraint without an extent covers everywhere, unless the layer is
        empty: an empty layer without an extent proves nothing and gives
        ``<NA>`` everywhere.
    how : {"overlap", "centroid"}
        ``overlap`` (default): a site is inside when any part of its area
        overlaps the constraint (touching the edge is not inside; a point
        site on the edge is inside). ``centroid``: when its centroid is.
    tolerance_m : float
        Ignore overlaps shallower than this (the constraint polygons are
        shrunk by it first): slivers where two layers were digitised at
        different accuracies. Default 0: any overlap excludes.

    Returns
    -------
    DataFrame
        Indexed like `sites`: one nullable boolean column per constraint
        (``True`` inside, ``False`` outside, ``<NA>`` no data), ``excluded``
        (True only when some constraint says inside), ``no_data`` (True when
        some constraint has no data for the site) and ``reason``.
    """
    if not isinstance(sites, gpd.GeoDataFrame):
        raise InputError(f"sites must be a GeoDataFrame, got {type(sites).__name__}")
    if how not in ("overlap", "centroid"):
        raise InputError(f"how={how!r}: use 'overlap' or 'centroid'")
    if not (tolerance_m >= 0 and math.isfinite(tolerance_m)):
        raise InputError(f"tolerance_m must be >= 0 metres, got {tolerance_m}")
    if not constraints:
        raise InputError(
            "no constraint layers given: pass {'legal_zone': legal_zone(landfill), ...}"
        )
    extents = dict(data_extent or {})
    unknown = [k for k in extents if k not in constraints]
    if unknown:
        raise InputError(
            f"data_extent names {unknown} that are not constraints {list(constraints)}"
        )
    metric = _crs.to_metric(sites, name="sites")
    geoms = np.asarray(metric.geometry.values)
    if shapely.is_missing(geoms).any() or shapely.is_empty(geoms).any():
        bad = np.flatnonzero(shapely.is_missing(geoms) | shapely.is_empty(geoms))
        raise InputError(
            f"sites: row(s) {metric.index[bad].tolist()[:5]} have no geometry; draw or remove them"
        )
    geoms = shapely.make_valid(geoms)
    test_geoms = shapely.centroid(geoms) if how == "centroid" else geoms
    out = pd.DataFrame(index=sites.index)
    for name, layer in constraints.items():
        zone = _as_geometry(layer, name=f"constraint {name!r}")
        empty_layer = shapely.is_empty(zone)
        if tolerance_m > 0 and not empty_layer:
            zone = shapely.buffer(zone, -tolerance_m)
        shapely.prepare(zone)
        inside = np.asarray(shapely.intersects(zone, test_geoms), dtype=bool)
        area = shapely.area(test_geoms) > 0
        # Touching an edge is not being inside, for an area; for a point it is.
        touching = np.asarray(shapely.touches(zone, test_geoms), dtype=bool) & area
        inside &= ~touching
        col = pd.array(inside, dtype="boolean")
        if name in extents:
            ext = _as_geometry(extents[name], name=f"data_extent {name!r}")
            covered = np.asarray(shapely.covers(ext, test_geoms), dtype=bool)
            col[~inside & ~covered] = pd.NA
        elif empty_layer:
            log.warning(
                "constraint %r is empty and has no data_extent: treated as no data for every site",
                name,
            )
            col[:] = pd.NA
        out[name] = col
    flags = out[list(constraints)]
    out["excluded"] = flags.fillna(False).any(axis=1).astype(bool)
    out["no_data"] = flags.isna().any(axis=1).astype(bool)
    reasons = []
    for _, row in flags.iterrows():
        ins = [k for k in constraints if pd.notna(row[k]) and bool(row[k])]
        nd = [k for k in constraints if pd.isna(row[k])]
        parts = (["inside: " + ", ".join(ins)] if ins else []) + (
            ["no data: " + ", ".join(nd)] if nd else []
        )
        reasons.append("; ".join(parts))
    out["reason"] = pd.Series(reasons, index=out.index, dtype="str")
    log.info(
        "hard constraints: %d of %d sites excluded, %d with no data for some constraint",
        int(out["excluded"].sum()), len(out), int(out["no_data"].sum()),
    )  # fmt: skip
    return out


# ------------------------------------------------------------------ measures without routing
def site_measures(
    sites: gpd.GeoDataFrame,
    *,
    landfill: gpd.GeoDataFrame | None = None,
    settlements: gpd.GeoDataFrame | None = None,
    **exposure_options: Any,
) -> pd.DataFrame:
    """The criteria that need no street network: landfill distance and exposure, settlement distance.

    Parameters
    ----------
    sites : GeoDataFrame
        Candidate sites, any CRS.
    landfill : GeoDataFrame, optional
        The landfill layer; adds ``dist_landfill_m``, ``exposure_mean``,
        ``exposure_max`` and ``inside_legal_zone`` from
        :func:`pata_gis.pollution.landfill_exposure` (`exposure_options` are
        passed on: ``distance_m``, ``decay_m``, ``wind_rose``...).
    settlements : GeoDataFrame, optional
        The existing segregated settlements; adds ``dist_settlement_m`` (straight
        line to the nearest outline, 0 when overlapping) and
        ``nearest_settlement`` (its ``name`` when the layer has one).

    Returns
    -------
    DataFrame
        Indexed like `sites`.
    """
    if not isinstance(sites, gpd.GeoDataFrame):
        raise InputError(f"sites must be a GeoDataFrame, got {type(sites).__name__}")
    out = pd.DataFrame(index=sites.index)
    if landfill is not None:
        exp = _pollution.landfill_exposure(sites, landfill, name="sites", **exposure_options)
        out["dist_landfill_m"] = exp["distance_m"].astype(float)
        out["exposure_mean"] = exp["exposure_mean"].astype(float)
        out["exposure_max"] = exp["exposure_max"].astype(float)
        out["inside_legal_zone"] = exp["inside_legal_zone"]
    if settlements is not None:
        s_m = _crs.to_metric(sites, name="sites")
        st = _crs.to_metric(settlements, name="settlements")
        if len(st) == 0:
            raise InputError("settlements is empty: give the existing settlements' outlines")
        sg = np.asarray(s_m.geometry.values)
        tg = np.asarray(st.geometry.values)
        d = shapely.distance(sg[:, None], tg[None, :])
        nearest = np.nanargmin(np.where(np.isnan(d), np.inf, d), axis=1)
        out["dist_settlement_m"] = d[np.arange(len(sg)), nearest]
        names = st["name"].to_numpy() if "name" in st.columns else st.index.to_numpy()
        out["nearest_settlement"] = pd.Series(names[nearest], index=out.index, dtype="str")
    return out


#: How :func:`access_times` names the categories of the access engine.
ACCESS_NAMES: dict[str, str] = {
    "schools": "school",
    "kindergartens": "kindergarten",
    "family_doctor": "doctor",
    "social_services": "social",
    "transit_stops": "transit",
    "emergency_services": "emergency",
}


def access_times(table: pd.DataFrame, *, names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Criteria columns ``time_<name>_min`` from the access engine's nearest-facility table.

    Parameters
    ----------
    table : DataFrame
        :func:`pata_gis.access.nearest_facilities` output, long (``category``
        and ``time_min`` columns, one row per site and category) or wide
        (``<category>_time_min`` columns).
    names : mapping category -> short name, optional
        Default :data:`ACCESS_NAMES` (``family_doctor`` -> ``doctor``...);
        other categories keep their name.

    Returns
    -------
    DataFrame
        One row per site, one ``time_<name>_min`` column per category
        (``inf`` = unreachable).
    """
    ren = dict(ACCESS_NAMES if names is None else names)
    if "category" in table.columns and "time_min" in table.columns:
        idx_name = table.index.name or "site"
        long = table.reset_index(names=idx_name)
        wide = long.pivot_table(
            index=idx_name, columns="category", values="time_min", aggfunc="first", sort=False
        )
        wide = wide.reindex(pd.unique(long[idx_name]))
        cats = list(wide.columns)
    else:
        cols = [c for c in table.columns if str(c).endswith("_time_min")]
        if not cols:
            raise InputError(
                "access table has neither 'category'/'time_min' (long) nor '<category>_time_min' "
                "(wide) columns: pass pata_gis.access.nearest_facilities(...) output"
            )
        wide = table[cols]
        wide.columns = [str(c)[: -len("_time_min")] for c in cols]
        cats = list(wide.columns)
    out = pd.DataFrame(
        {f"time_{ren.get(str(c), str(c))}_min": wide[c].astype(float).to_numpy() for c in cats},
        index=wide.index,
    )
    out.columns.name = None
    return out


def _entropy2(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -(p * np.log(p) + (1 - p) * np.log(1 - p)) / math.log(2)
    return np.where((p <= 0) | (p >= 1), 0.0, h)


def neighbourhood_share(
    sites: gpd.GeoDataFrame,
    units: gpd.GeoDataFrame,
    *,
    group: str,
    total: str,
    radius_m: float | None = None,
    added: str | float | None = None,
) -> pd.DataFrame:
    """Who lives around each site, before and after the relocated households move in.

    Counts of `units` (blocks, neighbourhoods, grid cells) are apportioned to
    the disc of `radius_m` around each site by the share of each unit's area
    inside it (areal weighting: people assumed spread evenly within a unit).

    Parameters
    ----------
    sites : GeoDataFrame
        Candidate sites, any CRS.
    units : GeoDataFrame
        Polygons with counts of the `group` (e.g. relocated or Roma
        households) and of everyone (`total`, the group included).
    group, total : str
        Column names in `units`.
    radius_m : float, optional
        Radius of the neighbourhood around the site outline; default
        :data:`NEIGHBOURHOOD_RADIUS_M` (500 m).
    added : str or float, optional
        Relocated households the site would receive: a column of `sites`
        (e.g. ``"capacity_units"``) or one number for all; default 0.

    Returns
    -------
    DataFrame
        Indexed like `sites`: ``group_nearby``, ``total_nearby``, ``added``,
        ``share_before``, ``share_after`` (NaN when nobody lives around) and
        ``mix_index``: the binary entropy of ``share_after`` in bits, 0 when
        one group only, 1 at half and half (0.47 at 10 %, 0.81 at 25 %).
    """
    radius_m = NEIGHBOURHOOD_RADIUS_M if radius_m is None else float(radius_m)
    if not (radius_m >= 0 and math.isfinite(radius_m)):
        raise InputError(f"radius_m must be >= 0 metres, got {radius_m}")
    for c in (group, total):
        if c not in units.columns:
            raise InputError(f"units has no column {c!r}; it has {list(units.columns)}")
    s_m = _crs.to_metric(sites, name="sites")
    u_m = _crs.to_metric(units, name="units")
    g = pd.to_numeric(u_m[group], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    t = pd.to_numeric(u_m[total], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(g) | ~np.isfinite(t) | (g < 0) | (g > t)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"units row {u_m.index[i]!r}: {group!r} = {g[i]} and {total!r} = {t[i]} must be "
            f"counts with {group} <= {total}"
        )
    if added is None:
        add = np.zeros(len(s_m))
    elif isinstance(added, str):
        if added not in s_m.columns:
            raise InputError(f"sites has no column {added!r}; it has {list(s_m.columns)}")
        add = pd.to_numeric(s_m[added], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        add = np.full(len(s_m), float(added))
    ugeo = np.asarray(u_m.geometry.values)
    uarea = shapely.area(ugeo)
    discs = shapely.buffer(np.asarray(s_m.geometry.values), radius_m, quad_segs=32)
    tree = shapely.STRtree(ugeo)
    si, ui = tree.query(discs, predicate="intersects")
    frac = np.zeros(si.size)
    if si.size:
        inter = shapely.area(shapely.intersection(discs[si], ugeo[ui]))
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(uarea[ui] > 0, inter / uarea[ui], 0.0)
    gn = np.bincount(si, weights=frac * g[ui], minlength=len(s_m))
    tn = np.bincount(si, weights=frac * t[ui], minlength=len(s_m))
    with np.errstate(divide="ignore", invalid="ignore"):
        before = np.where(tn > 0, gn / tn, np.nan)
        after = np.where(tn + add > 0, (gn + add) / (tn + add), np.nan)
    return pd.DataFrame(
        {
            "group_nearby": gn,
            "total_nearby": tn,
            "added": add,
            "share_before": before,
            "share_after": after,
            "mix_index": np.where(np.isnan(after), np.nan, _entropy2(np.nan_to_num(after))),
        },
        index=sites.index,
    )


# ------------------------------------------------------------------ AHP
class AHPResult(NamedTuple):
    """Weights from Saaty's pairwise comparisons, with their consistency.

    Unpacks as ``weights, lambda_max, ci, cr = ahp_weights(m)``.
    """

    #: Principal right eigenvector, normalised to sum to 1, indexed by label.
    weights: pd.Series
    #: Principal eigenvalue (>= n; n when perfectly consistent).
    lambda_max: float
    #: Consistency index ``(lambda_max - n) / (n - 1)``.
    ci: float
    #: Consistency ratio ``CI / RI(n)`` (0 for n <= 2).
    cr: float


def ahp_matrix(
    comparisons: Mapping[tuple[str, str], float], labels: Sequence[str] | None = None
) -> pd.DataFrame:
    """Build the full reciprocal matrix from the upper-triangle judgements.

    ``{("school", "jobs"): 3}`` reads "school is moderately more important than
    jobs" (Saaty's 1-9 scale); the reciprocal ``1/3`` fills the other cell.

    Raises
    ------
    InputError
        When a pair is missing, given twice or a value is not positive.
    """
    names = (
        list(labels) if labels is not None else list(dict.fromkeys(itertools.chain(*comparisons)))
    )
    n = len(names)
    pos = {k: i for i, k in enumerate(names)}
    m = np.eye(n)
    seen: set[frozenset[str]] = set()
    for (a, b), v in comparisons.items():
        if a not in pos or b not in pos:
            raise InputError(f"AHP judgement ({a!r}, {b!r}) names a criterion not in {names}")
        if a == b:
            raise InputError(f"AHP judgement ({a!r}, {b!r}) compares a criterion with itself")
        key = frozenset((a, b))
        if key in seen:
            raise InputError(
                f"AHP judgement for {a!r} vs {b!r} is given twice; give each pair once"
            )
        seen.add(key)
        v = float(v)
        if not (v > 0 and math.isfinite(v)):
            raise InputError(
                f"AHP judgement ({a!r}, {b!r}) = {v}: must be a positive number (1/9..9)"
            )
        m[pos[a], pos[b]] = v
        m[pos[b], pos[a]] = 1.0 / v
    lacking = [(a, b) for a, b in itertools.combinations(names, 2) if frozenset((a, b)) not in seen]
    if lacking:
        raise InputError(f"AHP: no judgement for the pair(s) {lacking[:5]}; compare every pair")
    return pd.DataFrame(m, index=names, columns=names)


def ahp_weights(
    matrix: Any,
    *,
    labels: Sequence[str] | None = None,
    random_index: Sequence[float] | None = None,
) -> AHPResult:
    """Weights, principal eigenvalue, CI and CR of a pairwise comparison matrix.

    Parameters
    ----------
    matrix : (n, n) array-like or DataFrame
        Positive reciprocal matrix: ``a_ij`` says how much more important
        criterion i is than j, ``a_ji = 1 / a_ij`` and ``a_ii = 1``. A
        DataFrame's index gives the labels.
    labels : list of str, optional
        Names of the criteria (the weight Series' index); default the
        DataFrame index or 0..n-1.
    random_index : sequence of float, optional
        RI for n = 1, 2, ...; default :data:`RANDOM_INDEX` (Saaty 1980; pass
        :data:`RANDOM_INDEX_2005` for Saaty's later estimates).

    Returns
    -------
    AHPResult
        ``(weights, lambda_max, ci, cr)``.

    Raises
    ------
    InputError
        When the matrix is not square, not positive, has a diagonal other than
        1 or is not reciprocal (naming the first cell at fault), or n exceeds
        the RI table.

    Warns
    -----
    UserWarning
        When CR > 0.10: Saaty's advice is to revise the judgements.

    Notes
    -----
    The weights are the principal right eigenvector (Perron vector) of the
    matrix, as in Saaty (1980), not the column-normalised row means some
    tutorials use as an approximation.

    Examples
    --------
    >>> w, lam, ci, cr = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    >>> [round(float(x), 3) for x in w], round(lam, 3), round(cr, 3)
    ([0.637, 0.258, 0.105], 3.039, 0.033)
    """
    if isinstance(matrix, pd.DataFrame):
        if labels is None:
            labels = [str(x) for x in matrix.index]
        if list(matrix.index) != list(matrix.columns):
            raise InputError(
                "AHP matrix: rows and columns must name the same criteria in the same order"
            )
        m = matrix.to_numpy(dtype=float)
    else:
        try:
            m = np.asarray(matrix, dtype=float)
        except (TypeError, ValueError) as exc:
            raise InputError(f"AHP matrix must hold numbers: {exc}") from exc
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise InputError(f"AHP matrix must be square (n x n), got shape {m.shape}")
    n = m.shape[0]
    names = list(labels) if labels is not None else list(range(n))
    if len(names) != n:
        raise InputError(f"AHP: {len(names)} labels for a {n} x {n} matrix")
    ri = tuple(RANDOM_INDEX if random_index is None else random_index)
    if n > len(ri):
        raise InputError(f"AHP: the RI table covers n <= {len(ri)}, the matrix has n = {n}")

    def cell(i: int, j: int) -> str:
        return f"row {names[i]!r}, column {names[j]!r}"

    if not np.all(np.isfinite(m)) or np.any(m <= 0):
        i, j = np.argwhere(~(np.isfinite(m) & (m > 0)))[0]
        raise InputError(
            f"AHP matrix must be positive: {cell(i, j)} is {m[i, j]}. Use Saaty's scale 1/9..9."
        )
    if not np.allclose(np.diag(m), 1.0):
        i = int(np.flatnonzero(~np.isclose(np.diag(m), 1.0))[0])
        raise InputError(f"AHP matrix diagonal must be 1: {cell(i, i)} is {m[i, i]}")
    prod = m * m.T
    bad = ~np.isclose(prod, 1.0, rtol=RECIPROCAL_RTOL, atol=0.0)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InputError(
            f"AHP matrix is not reciprocal: {cell(i, j)} is {m[i, j]:g} but {cell(j, i)} is "
            f"{m[j, i]:g} (should be {1 / m[i, j]:g}). Fill one triangle and let the other be "
            "its reciprocal (ahp_matrix does it for you)."
        )
    vals, vecs = np.linalg.eig(m)
    k = int(np.argmax(vals.real))
    lam = float(vals[k].real)
    vec = np.abs(vecs[:, k].real)
    w = vec / vec.sum()
    lam = max(lam, float(n))  # rounding: lambda_max >= n for a positive reciprocal matrix
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    r = ri[n - 1]
    cr = ci / r if r > 0 else 0.0
    if cr > CR_LIMIT:
        warnings.warn(
            f"AHP consistency ratio {cr:.3f} exceeds {CR_LIMIT:.2f}: the judgements contradict "
            "each other; revisit the pairs with the largest a_ij * w_j / w_i",
            UserWarning,
            stacklevel=2,
        )
    return AHPResult(pd.Series(w, index=pd.Index(names), name="weight"), lam, ci, cr)


# ------------------------------------------------------------------ stakeholders
@dataclass
class StakeholderComparison:
    """How the rankings of several weight sets agree.

    Attributes
    ----------
    sites : DataFrame
        Per site: ``score_<set>`` and ``rank_<set>`` for each weight set,
        ``top_k_count`` (in how many sets the site is in the top k),
        ``agreement`` (``"all top"`` when every set puts it in the top k,
        ``"contested"`` when some do and some do not, ``"none top"``),
        ``max_rank_diff`` (largest difference between two sets' ranks),
        ``ranked_best_by`` / ``ranked_worst_by`` (the sets behind that
        difference), ``driver`` (the criterion whose weight difference between
        those two sets moves the site most: the largest term of
        ``sum_j (w_best,j - w_worst,j) (s_j - mean s_j)``) and ``status`` (as
        in :func:`score`; unranked sites have NA ranks).
        Sorted by mean rank.
    pairs : DataFrame
        One row per pair of sets: ``kendall_tau``, ``kendall_p``,
        ``spearman_rho``, ``spearman_p`` (scipy.stats, over the sites ranked
        by both), ``top_k_shared`` (sites in both top k) and ``same_top``.
    top_k : int
    """

    sites: pd.DataFrame
    pairs: pd.DataFrame
    top_k: int = 3
    scores: dict[str, pd.DataFrame] = field(default_factory=dict)


def compare_stakeholders(
    criteria_df: pd.DataFrame,
    criteria: Sequence[Criterion],
    weight_sets: Mapping[str, Mapping[str, float]],
    *,
    top_k: int | None = None,
    constraints: pd.DataFrame | pd.Series | None = None,
    missing: Missing = "unranked",
) -> StakeholderComparison:
    """Rank the sites once per stakeholder weight set and show where the rankings meet.

    Parameters
    ----------
    criteria_df, criteria, constraints, missing
        As in :func:`score`.
    weight_sets : mapping name -> weights
        E.g. ``{"community": {...}, "planners": {...}, "police": {...}}``;
        at least two.
    top_k : int, optional
        The size of the shortlist for agreement; default :data:`TOP_K` (3).

    Returns
    -------
    StakeholderComparison
        Per-site ranks and agreement, and pairwise rank correlations.
    """
    if len(weight_sets) < 2:
        raise InputError("compare_stakeholders needs at least two weight sets")
    top_k = TOP_K if top_k is None else int(top_k)
    if top_k < 1:
        raise InputError(f"top_k must be >= 1, got {top_k}")
    results = {}
    for name, w in weight_sets.items():
        try:
            results[name] = score(
                criteria_df, criteria, w, constraints=constraints, missing=missing
            )
        except InputError as exc:
            raise InputError(f"weight set {name!r}: {exc}") from exc
    idx = criteria_df.index
    sites = pd.DataFrame(index=idx)
    first = next(iter(results.values()))
    for name, res in results.items():
        sites[f"score_{name}"] = res["score"].reindex(idx)
        sites[f"rank_{name}"] = res["rank"].reindex(idx)
    ranks = sites[[f"rank_{n}" for n in weight_sets]].astype("float64")
    in_top = ranks.le(top_k)
    sites["top_k_count"] = in_top.sum(axis=1).astype("int64")
    m = len(weight_sets)
    ranked_all = ranks.notna().all(axis=1)
    agreement = np.where(
        sites["top_k_count"] == m,
        "all top",
        np.where(sites["top_k_count"] == 0, "none top", "contested"),
    )
    sites["agreement"] = pd.Series(agreement, index=idx, dtype="str").where(
        ranked_all, "not ranked"
    )
    sites["max_rank_diff"] = (ranks.max(axis=1) - ranks.min(axis=1)).astype("Int64")
    sites["status"] = first["status"].reindex(idx)
    best_set, worst_set, driver = _drivers(results, criteria, weight_sets, ranks, idx)
    sites["ranked_best_by"] = best_set
    sites["ranked_worst_by"] = worst_set
    sites["driver"] = driver
    sites = sites.iloc[np.argsort(ranks.mean(axis=1).fillna(np.inf).to_numpy(), kind="stable")]
    rows = []
    for a, b in itertools.combinations(weight_sets, 2):
        ra, rb = ranks[f"rank_{a}"], ranks[f"rank_{b}"]
        both = ra.notna() & rb.notna()
        x, y = results[a]["score"].reindex(idx)[both], results[b]["score"].reindex(idx)[both]
        if both.sum() >= 2 and x.nunique() > 1 and y.nunique() > 1:
            kt = stats.kendalltau(x, y)
            sp = stats.spearmanr(x, y)
            tau, tp, rho, rp = (
                float(kt.statistic),
                float(kt.pvalue),
                float(sp.statistic),
                float(sp.pvalue),
            )
        else:
            tau = tp = rho = rp = float("nan")
        top_a = set(ra[ra <= top_k].index)
        top_b = set(rb[rb <= top_k].index)
        best_a = set(ra[ra == 1].index)
        best_b = set(rb[rb == 1].index)
        rows.append(
            {
                "a": a,
                "b": b,
                "n_sites": int(both.sum()),
                "kendall_tau": tau,
                "kendall_p": tp,
                "spearman_rho": rho,
                "spearman_p": rp,
                "top_k_shared": len(top_a & top_b),
                "same_top": bool(best_a) and best_a == best_b,
            }
        )
    pairs = pd.DataFrame(rows)
    return StakeholderComparison(sites=sites, pairs=pairs, top_k=top_k, scores=results)


def _drivers(
    results: Mapping[str, pd.DataFrame],
    criteria: Sequence[Criterion],
    weight_sets: Mapping[str, Mapping[str, float]],
    ranks: pd.DataFrame,
    idx: pd.Index,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per site: the set ranking it best, the one ranking it worst, and the criterion behind it."""
    names = list(weight_sets)
    cols = [c.column for c in criteria]
    w = {n: _weights_vector(weight_sets[n], criteria) for n in names}
    first = results[names[0]].reindex(idx)
    s = first[[f"s_{c}" for c in cols]].to_numpy(dtype=float)
    ranked = ranks.notna().all(axis=1).to_numpy()
    mean = np.nanmean(np.where(ranked[:, None], s, np.nan), axis=0) if ranked.any() else None
    best, worst, drv = [""] * len(idx), [""] * len(idx), [""] * len(idx)
    r = ranks.to_numpy(dtype=float)
    for k in (int(i) for i in np.flatnonzero(ranked)):
        a, b = int(np.argmin(r[k])), int(np.argmax(r[k]))
        if r[k, a] == r[k, b] or mean is None:
            continue
        best[k], worst[k] = names[a], names[b]
        # (S_a(k) - mean S_a) - (S_b(k) - mean S_b) = sum_j (w_aj - w_bj)(s_kj - mean_j)
        contrib = (w[names[a]] - w[names[b]]) * (np.nan_to_num(s[k]) - mean)
        drv[k] = cols[int(np.argmax(contrib))]

    def col(v: list[str]) -> pd.Series:
        return pd.Series(v, index=idx, dtype="str")

    return col(best), col(worst), col(drv)


# ------------------------------------------------------------------ sensitivity
def _perturbed(w: np.ndarray, i: int, new_wi: float) -> np.ndarray:
    """Set weight i to `new_wi`, scale the others proportionally so the sum stays 1."""
    out = w.copy()
    rest = 1.0 - w[i]
    out[i] = new_wi
    others = np.arange(len(w)) != i
    if rest > 1e-12:
        out[others] = w[others] * (1.0 - new_wi) / rest
    else:  # every other weight was 0: share the remainder equally
        out[others] = (1.0 - new_wi) / max(int(others.sum()), 1)
    return out


def _ranked_scores(
    criteria_df: pd.DataFrame,
    criteria: Sequence[Criterion],
    weights: Mapping[str, float],
    constraints: pd.DataFrame | pd.Series | None,
    missing: Missing,
) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    """Standardised scores (gaps as 0) of the rankable sites, normalised weights, their index."""
    base = score(criteria_df, criteria, weights, constraints=constraints, missing=missing)
    ranked = base[base["status"] == "ranked"]
    cols = [f"s_{c.column}" for c in criteria]
    s = ranked[cols].to_numpy(dtype=float)
    s = np.where(np.isnan(s), 0.0, s)
    w = _weights_vector(weights, criteria)
    return s, w, ranked.index


def weight_sensitivity(
    criteria_df: pd.DataFrame,
    criteria: Sequence[Criterion],
    weights: Mapping[str, float],
    *,
    steps: Iterable[float] | None = None,
    constraints: pd.DataFrame | pd.Series | None = None,
    missing: Missing = "unranked",
) -> pd.DataFrame:
    """Ranks of every site as each weight moves up and down (one at a time).

    For each criterion i and each step d, the (normalised) weight becomes
    ``w_i + d`` (steps leaving [0, 1] are skipped) and the other weights are
    rescaled proportionally so that they keep their ratios and all sum to 1.

    Parameters
    ----------
    criteria_df, criteria, weights, constraints, missing
        As in :func:`score`.
    steps : iterable of float, optional
        Absolute weight changes; default :data:`SENSITIVITY_STEPS`
        (-0.5 .. +0.5 by 0.05).

    Returns
    -------
    DataFrame
        Long table: ``criterion``, ``delta``, ``weight`` (the criterion's new
        weight), ``site``, ``score``, ``rank`` and ``top_changed`` (the best
        site differs from the unperturbed one). Only ranked sites appear.
        ``attrs["thresholds"]`` holds :func:`rank_reversal_thresholds`.
    """
    deltas = np.array(list(SENSITIVITY_STEPS if steps is None else steps), dtype=float)
    if deltas.size == 0 or not np.all(np.isfinite(deltas)):
        raise InputError("steps must be a non-empty list of finite weight changes")
    s, w, sites = _ranked_scores(criteria_df, criteria, weights, constraints, missing)
    if len(sites) == 0:
        raise InputError("no site can be ranked (all excluded or without data)")
    base_top = int(np.argmax(s @ w))
    frames = []
    for i, c in enumerate(criteria):
        for d in deltas:
            nw = w[i] + d
            if nw < -1e-12 or nw > 1 + 1e-12:
                continue
            nw = min(max(nw, 0.0), 1.0)
            wp = _perturbed(w, i, nw)
            sc = s @ wp
            rk = pd.Series(sc).rank(ascending=False, method="min").astype("int64").to_numpy()
            top = int(np.argmax(sc))
            changed = (
                not math.isclose(sc[top], sc[base_top], rel_tol=0, abs_tol=1e-12)
                and top != base_top
            )
            frames.append(
                pd.DataFrame(
                    {
                        "criterion": c.column,
                        "delta": float(d),
                        "weight": nw,
                        "site": sites,
                        "score": sc,
                        "rank": rk,
                        "top_changed": changed,
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
    out["criterion"] = out["criterion"].astype("str")
    out.attrs["thresholds"] = rank_reversal_thresholds(
        criteria_df, criteria, weights, constraints=constraints, missing=missing
    )
    return out


def rank_reversal_thresholds(
    criteria_df: pd.DataFrame,
    criteria: Sequence[Criterion],
    weights: Mapping[str, float],
    *,
    constraints: pd.DataFrame | pd.Series | None = None,
    missing: Missing = "unranked",
) -> pd.DataFrame:
    """The exact weight of each criterion at which the best site stops being best.

    With the proportional rescaling of :func:`weight_sensitivity`, every
    site's score is linear in the change ``d`` of one weight:
    ``S_k(d) = S_k + d * (s_ki - R_k / (1 - w_i))`` with ``R_k`` the weighted
    score of the other criteria, so the change at which another site catches
    up with the best one is solved exactly, not sampled.

    Returns
    -------
    DataFrame
        Indexed by criterion column: ``weight`` (current, normalised),
        ``top_site``, ``delta_down`` (the negative change at which another site
        ties with the best; NaN when none does down to weight 0),
        ``weight_down``, ``new_top_down``, and the same ``*_up`` going to 1.
    """
    s, w, sites = _ranked_scores(criteria_df, criteria, weights, constraints, missing)
    if len(sites) == 0:
        raise InputError("no site can be ranked (all excluded or without data)")
    base = s @ w
    top = int(np.argmax(base))
    rows = []
    for i, c in enumerate(criteria):
        rest = 1.0 - w[i]
        if rest > 1e-12:
            slope = s[:, i] - (base - w[i] * s[:, i]) / rest
        else:  # the others get equal shares when the weight drops below 1
            slope = s[:, i] - s[:, np.arange(len(w)) != i].mean(axis=1)
        row: dict[str, Any] = {"criterion": c.column, "weight": w[i], "top_site": sites[top]}
        for side, lim in (("down", -w[i]), ("up", rest)):
            best_d, best_k = math.nan, None
            for k in range(len(sites)):
                if k == top:
                    continue
                ds = slope[k] - slope[top]
                gap = base[top] - base[k]
                if abs(ds) < 1e-15:
                    continue
                d = gap / ds
                if (side == "down" and lim - 1e-12 <= d <= 0) or (
                    side == "up" and 0 <= d <= lim + 1e-12
                ):
                    if best_k is None or abs(d) < abs(best_d):
                        best_d, best_k = d, k
            row[f"delta_{side}"] = best_d
            row[f"weight_{side}"] = w[i] + best_d if best_k is not None else math.nan
            row[f"new_top_{side}"] = sites[best_k] if best_k is not None else None
        rows.append(row)
    return pd.DataFrame(rows).set_index("criterion")


#: Workspace layers the site evaluation measures access to, by criterion name
#: (the health layer is filtered to family doctors).
EVALUATION_FACILITIES: dict[str, str] = {
    "schools": "schools",
    "kindergartens": "kindergartens",
    "family_doctor": "health",
    "social_services": "social_services",
    "transit_stops": "transit_stops",
    "jobs": "jobs",
}


#: The interface word for each kind of facility in :data:`EVALUATION_FACILITIES`.
_FACILITY_WORDS = {
    "schools": "place.cat.school",
    "kindergartens": "place.cat.kindergarten",
    "family_doctor": "place.cat.family_doctor",
    "social_services": "place.cat.social_service",
    "transit_stops": "place.cat.transit_stop",
}


def _facility_word(cat: str) -> _msg.Note | str:
    key = _FACILITY_WORDS.get(cat)
    return _msg.note(key) if key else cat.replace("_", " ")


@dataclass
class Evaluation:
    """The outcome of :func:`evaluate`.

    Attributes
    ----------
    criteria : DataFrame
        Every measured criterion per site (``time_<name>_min``, ``exposure_mean``,
        ``dist_settlement_m``...), indexed like the sites.
    constraints : DataFrame
        :func:`hard_constraints` output.
    ranking : DataFrame
        :func:`score` output: scores, rank, status and reason per site.
    used : list of Criterion
        The criteria scored.
    weights : dict
        The weights used (summing to 1).
    notes : list of str
        What was left out and why (criteria without data, missing layers).
    """

    criteria: pd.DataFrame
    constraints: pd.DataFrame
    ranking: pd.DataFrame
    used: list[Criterion]
    weights: dict[str, float]
    notes: list[str]


def evaluate(
    layers: Mapping[str, gpd.GeoDataFrame],
    *,
    network: Any | None = None,
    criteria: Sequence[Criterion] | None = None,
    weights: Mapping[str, float] | None = None,
    sites_layer: str = "candidate_sites",
    name_column: str = "name",
    legal_distance_m: float | None = None,
    walk_speed_kmh: float | None = None,
) -> Evaluation:
    """Measure, constrain and rank candidate sites from the workspace layers.

    The pipeline a planner runs: landfill distance and exposure and distance
    from the segregated settlements (:func:`site_measures`); walking time to the
    nearest school, kindergarten, family doctor, social service, transit stop
    and job location over `network` (:func:`pata_gis.access.nearest_facilities`,
    one search per category); the landfill's sanitary-protection zone as a hard
    constraint (:func:`hard_constraints`); then :func:`score`.

    A criterion with no data for any site (no network, an empty layer such as
    ``jobs``, no population for the neighbourhood mix) is left out and named in
    :attr:`Evaluation.notes`; it is never scored as 0.

    Parameters
    ----------
    layers : mapping
        Workspace layers by name (``candidate_sites``, ``landfill``,
        ``settlements``, ``schools``, ``kindergartens``, ``health``,
        ``social_services``, ``transit_stops``, ``jobs``); missing ones are noted.
    network : pata_gis.network.Network, optional
        Street network for the walking times; without it the access criteria
        are left out.
    criteria : sequence of Criterion, optional
        Default :func:`default_criteria`.
    weights : mapping, optional
        Criterion column (or label) -> weight; default equal weights over the
        criteria that have data. Renormalised to sum to 1 over those.
    sites_layer, name_column : str
        Where the sites are and which column names them (the index of the output).
    legal_distance_m : float, optional
        Sanitary-protection distance; default :data:`pata_gis.settings.landfill_protection_m`.
    walk_speed_kmh : float, optional
        Walking speed; default the network's.

    Returns
    -------
    Evaluation
    """
    if sites_layer not in layers or len(layers[sites_layer]) == 0:
        raise InputError(f"no sites to evaluate: layer '{sites_layer}' is missing or empty")
    sites = layers[sites_layer].reset_index(drop=True)
    if name_column in sites:
        sites.index = pd.Index(sites[name_column].astype(str), name="site")
    else:
        sites.index = pd.Index([f"site {i + 1}" for i in range(len(sites))], name="site")
    notes: list[str] = []
    landfill = layers.get("landfill")
    settlements = layers.get("settlements")
    measures = site_measures(sites, landfill=landfill, settlements=settlements)
    frames = [measures]
    if network is not None:
        from pata_gis import access as _access

        facilities: dict[str, gpd.GeoDataFrame] = {}
        for cat, layer in EVALUATION_FACILITIES.items():
            gdf = layers.get(layer)
            if gdf is not None and cat == "family_doctor" and "kind" in gdf:
                gdf = gdf.loc[gdf["kind"] == "family_doctor"]
            if gdf is None or len(gdf) == 0:
                notes.append(_msg.note("note.no_facility", what=_facility_word(cat), layer=layer))
                continue
            facilities[cat] = gdf
        if facilities:
            reps = gpd.GeoDataFrame(
                index=sites.index, geometry=sites.geometry.representative_point(), crs=sites.crs
            )
            table = _access.nearest_facilities(
                network, reps, facilities, mode="walk", walk_speed_kmh=walk_speed_kmh
            )
            frames.append(access_times(table).set_axis(sites.index))
    else:
        notes.append(_msg.note("note.no_network"))
    crit_df = pd.concat(frames, axis=1)
    constraints: dict[str, Any] = {}
    if landfill is not None and len(landfill):
        constraints["legal_zone"] = _pollution.legal_zone(landfill, distance_m=legal_distance_m)
    else:
        notes.append(_msg.note("note.no_landfill"))
    cons = hard_constraints(sites, constraints) if constraints else pd.DataFrame(index=sites.index)
    pool = list(default_criteria() if criteria is None else criteria)
    used = []
    for c in pool:
        if c.column in crit_df and crit_df[c.column].notna().any():
            used.append(c)
        else:
            notes.append(_msg.note("note.criterion_no_data", criterion=c.label or c.column))
    if not used:
        raise InputError("no criterion has data for these sites; add layers or a network")
    if weights is None:
        w = {c.column: 1.0 / len(used) for c in used}
    else:
        by_label = {c.label: c.column for c in used if c.label}
        w = {}
        for key, val in weights.items():
            col = by_label.get(key, key)
            if any(c.column == col for c in used):
                w[col] = float(val)
        missing_w = [c.column for c in used if c.column not in w]
        for col in missing_w:
            notes.append(f"no weight given for '{col}': weight 0")
            w[col] = 0.0
        total = sum(w.values())
        if total <= 0:
            raise InputError("the weights of the criteria with data sum to 0; give some a weight")
        w = {k: v / total for k, v in w.items()}
    ranking = score(crit_df, used, w, constraints=cons if len(cons.columns) else None)
    return Evaluation(crit_df, cons, ranking, used, w, notes)
