"""Resettlement scenarios: who goes where, what it does to them, and the best allocation.

A **scenario** moves groups of households (by community and size) from the
Pata Rât settlements to housing sites with capacities, under dispersal rules
(at most N relocated families per site or per block) and mix quotas (the good
practice of 10 Roma / 10 non-Roma / 10 mixed families in one development).
This module holds the data model, the metrics of a scenario, a side-by-side
comparison with the status quo and an optimiser.

Data model (plain pandas tables, checked by :func:`households_table` and
:func:`sites_table`):

``households`` (DataFrame, one row per household group, index = group id)
    ``community`` (settlement of origin; empty for households of the receiving
    population placed in a mixed development), ``size`` (persons per
    household), ``n_households``, ``location`` (settlement name, or the site id
    where the group already lives), ``relocated_already`` (bool) and ``label``
    (the quota category: ``"roma"``, ``"non_roma"``, ``"mixed"``...).
``sites`` (GeoDataFrame, index = site id)
    ``capacity_units``, ``block`` (block, neighbourhood or village: the unit of
    dispersal rules and segregation indices), ``cost_per_unit`` (optional) and
    the geometry.
:class:`Scenario`
    ``allocation`` rows ``group -> site, n_households`` plus the :class:`Rules`.
    Households not allocated stay where they are: :func:`baseline` is the
    scenario with an empty allocation.

Metrics (:func:`metrics`, see :data:`METRICS` for each name and unit) are
computed per *location* (settlement or site) once and weighted by the
households placed there, so comparing many scenarios costs one routing pass
(:func:`compare`).

The optimiser (:func:`optimise`) is an integer programme solved with
:func:`scipy.optimize.milp` (HiGHS). Variables ``x[g, s]`` are the households of
group ``g`` placed at site ``s``. It minimises::

    sum_gs x[g,s] e_s / H  +  lambda * proxy

``e_s`` the landfill exposure index of site ``s``, ``H`` the households to
place, and the linear segregation proxy either

* ``"max_block"``: ``z / H`` with ``z >= load_b`` for every block ``b``, where
  ``load_b`` counts the Pata Rât households (already there plus placed) in
  block ``b``: the share of the programme in its most concentrated block;
* ``"excess"``: ``sum_b u_b / H`` with ``u_b >= load_b - target``,
  ``u_b >= 0``: the households above a dispersal target per block.

subject to capacity (existing occupants included), everyone placed (or a cap
on moves when staying is allowed), the dispersal caps per site and per block,
the per-site label quotas and a cap on the Pata Rât share of each block's
households (``pr_b <= share * (receiving_b + placed_b)``, linear). What bound
the answer is explained by the duals of the linear relaxation
(:func:`scipy.optimize.linprog`, HiGHS marginals) and by re-solving the integer
programme with each binding constraint loosened by one unit (the most
promising first, within a time budget).

The segregation indices of :func:`metrics` are computed over *blocks*: each
settlement is one unit, each distinct site ``block`` another. The group is the
Pata Rât households (``community`` set); the others are the households placed
without a community plus the receiving population of each block, an input
(``receiving_population``). Without it a documented placeholder
(:data:`DEFAULT_RECEIVING_HOUSEHOLDS` per block, none in the settlements) is
used and flagged in the assumptions.

Sensitivity: households tables describe identifiable families when groups are
small, and the candidate sites are a restricted layer. The outputs of
:func:`metrics` and :func:`compare` carry ``attrs["sensitivity"] =
"restricted"``; maps and printouts of allocations must aggregate or mask small
counts (see :mod:`pata_gis.privacy`).

Examples
--------
>>> import pandas as pd
>>> hh = households_table(pd.DataFrame({
...     "community": ["Dallas"], "size": [4.0], "n_households": [3],
...     "location": ["Dallas"], "relocated_already": [False], "label": ["roma"],
... }, index=["d1"]))
>>> s = Scenario("move two", allocation=pd.DataFrame(
...     {"group": ["d1"], "site": ["S1"], "n_households": [2]}))
>>> s.placements(hh)[["group", "location", "n_households", "moved"]].to_dict("records")
[{'group': 'd1', 'location': 'Dallas', 'n_households': 1, 'moved': False}, \
{'group': 'd1', 'location': 'S1', 'n_households': 2, 'moved': True}]
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from pata_gis import crs as _crs
from pata_gis import messages as _msg
from pata_gis import segregation as _segregation
from pata_gis import settings
from pata_gis._errors import InputError

__all__ = [
    "CITY_CENTRE_LONLAT",
    "CITY_CENTRE_SOURCE",
    "METRICS",
    "METRIC_TITLES",
    "UNIT_TITLES",
    "InfeasibleError",
    "OptimisationResult",
    "Rules",
    "Scenario",
    "baseline",
    "check",
    "compare",
    "households_from_settlements",
    "households_table",
    "location_table",
    "metrics",
    "optimise",
    "sites_table",
    "titled",
]

log = logging.getLogger(__name__)

# ----------------------------------------------------------------- module defaults
#: Centre of Cluj-Napoca, Piața Unirii, as (lon, lat). Source: ro.wikipedia
#: "Piața Unirii din Cluj-Napoca" (46°46′10″ N 23°35′24″ E), checked against the
#: OpenStreetMap node 2904816401 "Parcare de biciclete Piața Unirii" in the
#: shared data (cluj/osm_poi_center, 23.58984 E 46.76893 N, 55 m away;
#: © OpenStreetMap contributors). The same point as
#: ``pata_gis.segregation.CITY_CENTRE_LONLAT``.
CITY_CENTRE_LONLAT: tuple[float, float] = (23.5899, 46.7694)

#: Where :data:`CITY_CENTRE_LONLAT` comes from (quoted in the assumptions).
CITY_CENTRE_SOURCE: str = (
    "Piața Unirii, 46.7694 N 23.5899 E (ro.wikipedia 'Piața Unirii din Cluj-Napoca'; "
    "OSM node 2904816401 in the square)"
)

#: Households of the receiving population per block when none is given: a
#: documented placeholder (a few residential blocks of flats, or a small
#: village), to be replaced by census or cadastre counts. Flagged in the
#: assumptions of every segregation index that uses it.
DEFAULT_RECEIVING_HOUSEHOLDS: float = 400.0

#: Other households assumed to live in a Pata Rât settlement when no receiving
#: population is given for it: none (the settlements are segregated enclaves).
DEFAULT_SETTLEMENT_OTHERS: float = 0.0

#: Detour factor applied to straight-line distances when there is no street
#: network (a common urban circuity of 1.2-1.4).
STRAIGHT_LINE_DETOUR: float = 1.3

#: Walking speed (km/h) of the straight-line fallback (the network default).
FALLBACK_WALK_KMH: float = 4.5

#: Catchment (minutes of walking) of the 2SFCA ratios.
FCA_CATCHMENT_MIN: float = 30.0

#: Share of persons of school age (6-18) used as the demand for school places
#: when no better figure is given. The Pata Rât project documents target about
#: 150 children among about 1,500 people; Roma households are young, so 0.25
#: is a deliberately generous placeholder. Flagged.
SCHOOL_AGE_SHARE: float = 0.25

#: Persons per household of the receiving population when unknown (Romanian
#: 2021 census average, about 2.6). Flagged.
RECEIVING_HOUSEHOLD_SIZE: float = 2.6

#: Block centroids closer than this (m) are neighbours for the spatial
#: dissimilarity index.
NEIGHBOUR_M: float = 2000.0

#: Households of the four Pata Rât communities when the settlements layer
#: gives none: "roughly 300 families" (project documents, see DOMAIN notes).
DEFAULT_TOTAL_HOUSEHOLDS: int = 300

#: Persons per household when only households or only people are known
#: (about 1,500 people in 300 families).
DEFAULT_HOUSEHOLD_SIZE: float = 5.0

#: Every metric of :func:`metrics`: name -> (unit, description).
METRICS: dict[str, tuple[str, str]] = {
    "households": ("households", "households placed in the scenario (all groups)"),
    "people": ("persons", "persons placed (households x size)"),
    "households_in_sanitary_zone": (
        "households",
        "households living closer to the active landfill cells than the legal distance",
    ),
    "people_in_sanitary_zone": ("persons", "persons in the sanitary-protection zone"),
    "exposure_mean": ("index 0-1", "household-weighted mean of the landfill exposure index"),
    "exposure_max": ("index 0-1", "highest exposure index of any occupied location"),
    "school_time_mean_min": ("min", "household-weighted mean walk to the nearest school"),
    "school_time_max_min": ("min", "longest walk to the nearest school"),
    "doctor_time_mean_min": ("min", "household-weighted mean walk to the nearest family doctor"),
    "doctor_time_max_min": ("min", "longest walk to the nearest family doctor"),
    "school_fca": (
        "places per child",
        "household-weighted 2SFCA ratio of school places to school-age children",
    ),
    "doctor_fca": (
        "doctors per 1,000 persons",
        "household-weighted 2SFCA ratio of family doctors to residents",
    ),
    "jobs_time_mean_min": ("min", "household-weighted mean walk to the nearest job location"),
    "centre_time_mean_min": ("min", "household-weighted mean walk to the city centre"),
    "centre_distance_mean_m": ("m", "household-weighted straight-line distance to the centre"),
    "dissimilarity": ("index 0-1", "Duncan's D of Pata Rât households vs others over blocks"),
    "isolation": ("index 0-1", "xPx: Pata Rât share in the block of the average family"),
    "exposure_interaction": (
        "index 0-1",
        "xPy: share of other households in the block of the average Pata Rât family",
    ),
    "spatial_dissimilarity": ("index", "Morrill's D(adj) with neighbouring blocks"),
    "households_moved": ("households", "households moved by this scenario"),
    "households_relocated_total": (
        "households",
        "households living outside the settlements (moved before or now)",
    ),
    "distance_moved_total_km": ("km", "straight-line distance moved, summed over households"),
    "distance_moved_mean_m": ("m", "mean straight-line distance per moved household"),
    "cost_total": ("cost unit of cost_per_unit", "housing cost of the moved households"),
    "rule_violations": ("count", "capacity, dispersal and quota violations (see check)"),
}

#: Title of every metric in Romanian, English and Hungarian (for tables, the UI and printouts).
METRIC_TITLES: dict[str, dict[str, str]] = {
    "households": {"ro": "Gospodării", "en": "Households", "hu": "Háztartások"},
    "people": {"ro": "Persoane", "en": "People", "hu": "Személyek"},
    "households_in_sanitary_zone": {
        "ro": "Gospodării în zona de protecție sanitară",
        "en": "Households in the sanitary-protection zone",
        "hu": "Háztartások az egészségügyi védőövezetben",
    },
    "people_in_sanitary_zone": {
        "ro": "Persoane în zona de protecție sanitară",
        "en": "People in the sanitary-protection zone",
        "hu": "Személyek az egészségügyi védőövezetben",
    },
    "exposure_mean": {
        "ro": "Expunere medie (indice)",
        "en": "Mean exposure (index)",
        "hu": "Átlagos kitettség (index)",
    },
    "exposure_max": {
        "ro": "Expunere maximă (indice)",
        "en": "Highest exposure (index)",
        "hu": "Legnagyobb kitettség (index)",
    },
    "school_time_mean_min": {
        "ro": "Timp mediu de mers pe jos la școală (min)",
        "en": "Mean walk to school (min)",
        "hu": "Átlagos gyaloglás az iskoláig (perc)",
    },
    "school_time_max_min": {
        "ro": "Timp maxim de mers pe jos la școală (min)",
        "en": "Longest walk to school (min)",
        "hu": "Leghosszabb gyaloglás az iskoláig (perc)",
    },
    "doctor_time_mean_min": {
        "ro": "Timp mediu de mers pe jos la medicul de familie (min)",
        "en": "Mean walk to a family doctor (min)",
        "hu": "Átlagos gyaloglás a háziorvosig (perc)",
    },
    "doctor_time_max_min": {
        "ro": "Timp maxim de mers pe jos la medicul de familie (min)",
        "en": "Longest walk to a family doctor (min)",
        "hu": "Leghosszabb gyaloglás a háziorvosig (perc)",
    },
    "school_fca": {
        "ro": "Locuri în școală per copil (2SFCA)",
        "en": "School places per child (2SFCA)",
        "hu": "Iskolai férőhely gyermekenként (2SFCA)",
    },
    "doctor_fca": {
        "ro": "Medici de familie la 1.000 de persoane (2SFCA)",
        "en": "Family doctors per 1,000 people (2SFCA)",
        "hu": "Háziorvos 1000 főre (2SFCA)",
    },
    "jobs_time_mean_min": {
        "ro": "Timp mediu până la locuri de muncă (min)",
        "en": "Mean time to jobs (min)",
        "hu": "Átlagos idő a munkahelyekig (perc)",
    },
    "centre_time_mean_min": {
        "ro": "Timp mediu până în centru (min)",
        "en": "Mean time to the city centre (min)",
        "hu": "Átlagos idő a városközpontig (perc)",
    },
    "centre_distance_mean_m": {
        "ro": "Distanța medie până în centru (m)",
        "en": "Mean distance to the city centre (m)",
        "hu": "Átlagos távolság a városközponttól (m)",
    },
    "dissimilarity": {
        "ro": "Indice de disimilaritate D",
        "en": "Dissimilarity index D",
        "hu": "Eltérési index (D)",
    },
    "isolation": {"ro": "Indice de izolare", "en": "Isolation index", "hu": "Izolációs index"},
    "exposure_interaction": {
        "ro": "Indice de interacțiune (expunere la ceilalți)",
        "en": "Interaction index (exposure to others)",
        "hu": "Interakciós index (érintkezés másokkal)",
    },
    "spatial_dissimilarity": {
        "ro": "Disimilaritate spațială (Morrill)",
        "en": "Spatial dissimilarity (Morrill)",
        "hu": "Térbeli eltérési index (Morrill)",
    },
    "households_moved": {
        "ro": "Gospodării mutate",
        "en": "Households moved",
        "hu": "Áthelyezett háztartások",
    },
    "households_relocated_total": {
        "ro": "Gospodării relocate (total)",
        "en": "Households relocated (total)",
        "hu": "Áttelepített háztartások (összesen)",
    },
    "distance_moved_total_km": {
        "ro": "Distanța totală a mutărilor (km)",
        "en": "Total distance moved (km)",
        "hu": "Az áthelyezések teljes távolsága (km)",
    },
    "distance_moved_mean_m": {
        "ro": "Distanța medie a unei mutări (m)",
        "en": "Mean distance moved (m)",
        "hu": "Egy áthelyezés átlagos távolsága (m)",
    },
    "cost_total": {"ro": "Cost total", "en": "Total cost", "hu": "Teljes költség"},
    "rule_violations": {
        "ro": "Reguli încălcate",
        "en": "Rules broken",
        "hu": "Megszegett szabályok",
    },
}


#: The metrics' units (the first item of each :data:`METRICS` entry) in every language.
UNIT_TITLES: dict[str, dict[str, str]] = {
    "households": {"ro": "gospodării", "en": "households", "hu": "háztartás"},
    "persons": {"ro": "persoane", "en": "persons", "hu": "fő"},
    "count": {"ro": "număr", "en": "count", "hu": "darab"},
    "index": {"ro": "indice", "en": "index", "hu": "index"},
    "index 0-1": {"ro": "indice 0–1", "en": "index 0-1", "hu": "index 0–1"},
    "places per child": {
        "ro": "locuri per copil",
        "en": "places per child",
        "hu": "férőhely gyermekenként",
    },
    "doctors per 1,000 persons": {
        "ro": "medici la 1.000 de persoane",
        "en": "doctors per 1,000 persons",
        "hu": "orvos 1000 főre",
    },
    "cost unit of cost_per_unit": {
        "ro": "unități de cost (cost_per_unit)",
        "en": "cost unit of cost_per_unit",
        "hu": "költségegység (cost_per_unit)",
    },
    "min": {"ro": "min", "en": "min", "hu": "perc"},
    "km": {"ro": "km", "en": "km", "hu": "km"},
    "m": {"ro": "m", "en": "m", "hu": "m"},
}


def titled(table: pd.DataFrame, *, lang: str | None = None) -> pd.DataFrame:
    """`table` (from :func:`compare`) with a ``title`` column in `lang` first,
    and its ``unit`` column (when there is one) in `lang` too.

    Parameters
    ----------
    lang : {"ro", "en", "hu"}, optional
        Default ``settings.language``; other languages fall back to English.
    """
    code = settings.language if lang is None else lang
    out = table.copy()
    out.insert(
        0,
        "title",
        [
            METRIC_TITLES.get(str(k), {}).get(code, METRIC_TITLES.get(str(k), {}).get("en", str(k)))
            for k in out.index
        ],
    )
    if "unit" in out.columns:
        out["unit"] = [
            UNIT_TITLES.get(str(u), {}).get(code, str(u)) if isinstance(u, str) else u
            for u in out["unit"]
        ]
    return out


_HH_COLUMNS = ("community", "size", "n_households", "location", "relocated_already", "label")


class InfeasibleError(InputError):
    """The optimisation constraints cannot all be met; the message names the one that fails."""


# ----------------------------------------------------------------- data model
def households_table(households: pd.DataFrame, *, name: str = "households") -> pd.DataFrame:
    """Check and normalise a households table (see the module notes for the columns).

    Missing ``relocated_already`` means False, missing ``label`` means
    ``"roma"`` for groups with a community and ``"non_roma"`` otherwise.

    Returns
    -------
    DataFrame
        A copy with string index (the group ids), ``n_households`` int64,
        ``size`` float, ``relocated_already`` bool.

    Raises
    ------
    InputError
        Naming the row and column of a missing or invalid value.
    """
    if not isinstance(households, pd.DataFrame):
        raise InputError(f"{name} must be a DataFrame, got {type(households).__name__}.")
    df = households.copy()
    for col in ("n_households", "location", "size"):
        if col not in df.columns:
            raise InputError(
                f"{name} has no column {col!r} (columns: {list(df.columns)}); "
                f"every row needs {', '.join(_HH_COLUMNS)}."
            )
    if "community" not in df.columns:
        df["community"] = None
    if "relocated_already" not in df.columns:
        df["relocated_already"] = False
    df.index = pd.Index([str(i) for i in df.index], name="group")
    if df.index.has_duplicates:
        dup = df.index[df.index.duplicated()][0]
        raise InputError(f"{name}: group id {dup!r} appears twice; give each row its own id.")
    n = pd.to_numeric(df["n_households"], errors="coerce")
    bad = n.isna() | (n < 0) | (n != n.round())
    if bad.any():
        i = df.index[bad.to_numpy()][0]
        raise InputError(
            f"{name} row {i!r}: n_households {df.loc[i, 'n_households']!r} "
            "must be a whole number >= 0."
        )
    size = pd.to_numeric(df["size"], errors="coerce")
    bad = size.isna() | (size <= 0)
    if bad.any():
        i = df.index[bad.to_numpy()][0]
        raise InputError(
            f"{name} row {i!r}: size {df.loc[i, 'size']!r} must be the persons per household (> 0)."
        )
    loc = df["location"]
    bad = loc.isna() | (loc.astype(str).str.strip() == "")
    if bad.any():
        i = df.index[bad.to_numpy()][0]
        raise InputError(
            f"{name} row {i!r}: location is empty; give the settlement name or the site id."
        )
    df["n_households"] = n.astype("int64")
    df["size"] = size.astype(float)
    df["location"] = loc.astype(str)
    comm = df["community"].astype(object).where(df["community"].notna(), None)
    df["community"] = [None if c is None or str(c).strip() == "" else str(c) for c in comm]
    df["relocated_already"] = df["relocated_already"].fillna(False).astype(bool)
    if "label" not in df.columns:
        df["label"] = None
    df["label"] = [
        str(lab)
        if lab is not None and not (isinstance(lab, float) and math.isnan(lab))
        else ("roma" if c is not None else "non_roma")
        for lab, c in zip(df["label"].astype(object), df["community"], strict=True)
    ]
    return df


def households_from_settlements(
    settlements: gpd.GeoDataFrame,
    *,
    total_households: int | None = None,
    household_size: float | None = None,
    label: str = "roma",
) -> pd.DataFrame:
    """One household group per settlement, filling unknown counts by documented assumptions.

    A settlement with ``households`` keeps it; one with only ``people`` gets
    ``round(people / household_size)``; the households still missing from
    `total_households` are shared equally among the settlements with neither.

    Parameters
    ----------
    settlements : GeoDataFrame
        The settlements layer (``name``, optional ``households`` and ``people``).
    total_households : int, optional
        Default :data:`DEFAULT_TOTAL_HOUSEHOLDS` (about 300 families).
    household_size : float, optional
        Default :data:`DEFAULT_HOUSEHOLD_SIZE` (about 1,500 people / 300 families).
    label : str
        The quota label of every group.

    Returns
    -------
    DataFrame
        A households table (index = settlement name); ``attrs["assumptions"]``
        lists every filled-in figure.
    """
    if "name" not in settlements.columns:
        raise InputError("settlements has no column 'name'; it names each community.")
    total = int(DEFAULT_TOTAL_HOUSEHOLDS if total_households is None else total_households)
    size = float(DEFAULT_HOUSEHOLD_SIZE if household_size is None else household_size)
    notes: list[str] = []
    names = [str(v) for v in settlements["name"]]
    hh = (
        pd.to_numeric(settlements["households"], errors="coerce").to_numpy(dtype=float)
        if "households" in settlements.columns
        else np.full(len(names), np.nan)
    )
    people = (
        pd.to_numeric(settlements["people"], errors="coerce").to_numpy(dtype=float)
        if "people" in settlements.columns
        else np.full(len(names), np.nan)
    )
    n = np.full(len(names), np.nan)
    sizes = np.full(len(names), size)
    for i, nm in enumerate(names):
        if np.isfinite(hh[i]):
            n[i] = hh[i]
            if np.isfinite(people[i]) and hh[i] > 0:
                sizes[i] = people[i] / hh[i]
        elif np.isfinite(people[i]):
            n[i] = round(people[i] / size)
            notes.append(
                _msg.note(
                    "note.households_from_people",
                    name=nm,
                    n=f"{n[i]:.0f}",
                    people=f"{people[i]:.0f}",
                    size=f"{size:g}",
                )
            )
    unknown = ~np.isfinite(n)
    if unknown.any():
        rest = max(total - float(np.nansum(n)), 0.0)
        share = np.floor(rest / unknown.sum())
        n[unknown] = share
        extra = int(rest - share * unknown.sum())
        for j in np.flatnonzero(unknown)[:extra]:
            n[j] += 1
        notes.append(
            _msg.note(
                "note.households_unknown",
                names=", ".join(np.asarray(names)[unknown]),
                rest=f"{rest:.0f}",
                total=total,
            )
        )
    out = households_table(
        pd.DataFrame(
            {
                "community": names,
                "size": sizes,
                "n_households": n.astype(int),
                "location": names,
                "relocated_already": False,
                "label": label,
            },
            index=names,
        )
    )
    out.attrs["assumptions"] = notes
    return out


def sites_table(
    sites: gpd.GeoDataFrame,
    *,
    id_column: str | None = "name",
    capacity_column: str = "capacity_units",
    block_column: str | None = "district",
    cost_column: str | None = None,
) -> gpd.GeoDataFrame:
    """A sites table (index site id; ``capacity_units``, ``block``, ``cost_per_unit``) in EPSG:3844.

    Parameters
    ----------
    sites : GeoDataFrame
        E.g. the candidate_sites layer (restricted: keep results restricted).
    id_column : str, optional
        Column with the site ids; ``None`` uses the index.
    capacity_column, block_column, cost_column : str
        Columns read; ``block_column=None`` makes each site its own block;
        ``cost_column=None`` reads ``cost_per_unit`` when present.
    """
    if not isinstance(sites, gpd.GeoDataFrame):
        raise InputError(f"sites must be a GeoDataFrame, got {type(sites).__name__}.")
    g = _crs.to_metric(sites, name="sites")
    ids = g.index if id_column is None else g[id_column]
    if capacity_column not in g.columns:
        raise InputError(
            f"sites has no column {capacity_column!r}; give the housing units of each site "
            "(capacity_column=...)."
        )
    cap = pd.to_numeric(g[capacity_column], errors="coerce")
    if cap.isna().any() or (cap < 0).any():
        i = int(np.flatnonzero((cap.isna() | (cap < 0)).to_numpy())[0])
        raise InputError(
            f"sites row {ids.iloc[i] if hasattr(ids, 'iloc') else ids[i]!r}: "
            f"{capacity_column} must be a number of units >= 0."
        )
    block = (
        pd.Series([str(v) for v in ids], index=g.index)
        if block_column is None
        else g[block_column].astype(str)
    )
    cost_col = cost_column or ("cost_per_unit" if "cost_per_unit" in g.columns else None)
    cost = (
        pd.to_numeric(g[cost_col], errors="coerce")
        if cost_col is not None
        else pd.Series(np.nan, index=g.index)
    )
    out = gpd.GeoDataFrame(
        {
            "capacity_units": cap.to_numpy().astype("int64"),
            "block": block.to_numpy(dtype=object),
            "cost_per_unit": cost.to_numpy(dtype=float),
        },
        geometry=np.asarray(g.geometry.values),
        index=pd.Index([str(v) for v in ids], name="site"),
        crs=g.crs,
    )
    if out.index.has_duplicates:
        dup = out.index[out.index.duplicated()][0]
        raise InputError(f"sites: site id {dup!r} appears twice; ids must be unique.")
    return out


def _as_sites(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A sites table as is, or one made from a candidate-sites layer (ids from ``name``)."""
    if "block" in sites.columns:
        return sites
    return sites_table(
        sites,
        id_column="name" if "name" in sites.columns else None,
        block_column="district" if "district" in sites.columns else None,
    )


@dataclass(frozen=True)
class Rules:
    """Dispersal and mix rules of a scenario.

    Attributes
    ----------
    max_per_site : int, optional
        Most Pata Rât households (``community`` set) at one site.
    max_per_block : int, optional
        Most Pata Rât households in one block.
    quotas : mapping of label -> int, optional
        Most households of each label at one site (``{"roma": 10,
        "non_roma": 10, "mixed": 10}``); labels not listed are not limited.
    max_share_per_block : float, optional
        Largest share (0-1) of Pata Rât households among all households of a
        block (the receiving population included): 1/3 mirrors the good
        practice of 10 Roma / 10 non-Roma / 10 mixed families.
    """

    max_per_site: int | None = None
    max_per_block: int | None = None
    quotas: Mapping[str, int] | None = None
    max_share_per_block: float | None = None


@dataclass
class Scenario:
    """A resettlement scenario.

    Attributes
    ----------
    name : str
    allocation : DataFrame
        Columns ``group`` (households table id), ``site`` and ``n_households``
        (households of that group moved to that site). Unallocated households
        stay where they are.
    description : str
    rules : Rules
    households : DataFrame, optional
        The households table this scenario was built on (set by
        :func:`baseline`); otherwise pass ``households=`` to :func:`metrics`.
    """

    name: str
    allocation: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"group": [], "site": [], "n_households": []})
    )
    description: str = ""
    rules: Rules = field(default_factory=Rules)
    households: pd.DataFrame | None = None

    def __post_init__(self) -> None:
        a = self.allocation
        if not isinstance(a, pd.DataFrame):
            raise InputError(f"scenario {self.name!r}: allocation must be a DataFrame.")
        for col in ("group", "site", "n_households"):
            if col not in a.columns:
                raise InputError(
                    f"scenario {self.name!r}: allocation has no column {col!r}; "
                    "rows are group -> site, n_households."
                )
        n = pd.to_numeric(a["n_households"], errors="coerce")
        if n.isna().any() or (n < 0).any() or (n != n.round()).any():
            i = int(np.flatnonzero((n.isna() | (n < 0) | (n != n.round())).to_numpy())[0])
            raise InputError(
                f"scenario {self.name!r}: allocation row {i}: n_households "
                f"{a['n_households'].iloc[i]!r} must be a whole number >= 0."
            )
        self.allocation = pd.DataFrame(
            {
                "group": a["group"].astype(str).to_numpy(dtype=object),
                "site": a["site"].astype(str).to_numpy(dtype=object),
                "n_households": n.astype("int64").to_numpy(),
            }
        )

    def placements(self, households: pd.DataFrame | None = None) -> pd.DataFrame:
        """Where every household lives in this scenario.

        Returns
        -------
        DataFrame
            Rows ``group``, ``location``, ``n_households``, ``moved`` (moved
            by this scenario), ``from_location``, ``size``, ``community``,
            ``label``, ``relocated_already``; groups in table order, the
            households that stay first.

        Raises
        ------
        InputError
            When the allocation names an unknown group or moves more
            households than a group has.
        """
        hh = self._households(households)
        alloc = self.allocation
        unknown = sorted(set(alloc["group"]) - set(hh.index))
        if unknown:
            raise InputError(
                f"scenario {self.name!r}: allocation names groups {unknown} that are not in "
                "the households table."
            )
        moved = alloc.groupby("group")["n_households"].sum()
        over = moved[moved > hh["n_households"].reindex(moved.index)]
        if len(over):
            g = over.index[0]
            raise InputError(
                f"scenario {self.name!r}: group {g!r} has {hh.loc[g, 'n_households']} households "
                f"but the allocation moves {over.iloc[0]}; lower the allocation."
            )
        rows: list[dict[str, Any]] = []
        for g, r in hh.iterrows():
            base = {
                "group": g,
                "from_location": r["location"],
                "size": r["size"],
                "community": r["community"],
                "label": r["label"],
                "relocated_already": bool(r["relocated_already"]),
            }
            stay = int(r["n_households"]) - int(moved.get(g, 0))
            if stay > 0:
                rows.append(
                    base | {"location": r["location"], "n_households": stay, "moved": False}
                )
            for _, a in alloc[alloc["group"] == g].iterrows():
                if a["n_households"] > 0:
                    rows.append(
                        base
                        | {
                            "location": a["site"],
                            "n_households": int(a["n_households"]),
                            "moved": a["site"] != r["location"],
                        }
                    )
        cols = ["group", "location", "n_households", "moved", "from_location", "size"]
        cols += ["community", "label", "relocated_already"]
        return pd.DataFrame(rows, columns=cols)

    def _households(self, households: pd.DataFrame | None) -> pd.DataFrame:
        hh = households if households is not None else self.households
        if hh is None:
            raise InputError(f"scenario {self.name!r} has no households table; pass households=...")
        return households_table(hh)


def baseline(
    households: pd.DataFrame,
    settlements: gpd.GeoDataFrame | None = None,
    *,
    already_relocated: pd.DataFrame | None = None,
    name: str = "baseline",
    description: str = "Status quo: everyone stays; families already relocated stay where they are.",
) -> Scenario:
    """The status-quo scenario.

    Parameters
    ----------
    households : DataFrame
        Households table.
    settlements : GeoDataFrame, optional
        When given, every household not yet relocated must live in one of its
        ``name`` values.
    already_relocated : DataFrame, optional
        Groups moved before (e.g. the more than 100 families relocated since
        2024): households-table rows whose ``location`` is their site id. They
        are added with ``relocated_already=True``; give them ids distinct from
        the other groups.
    name, description : str

    Returns
    -------
    Scenario
        Empty allocation; ``households`` holds the combined table.
    """
    hh = households_table(households)
    if already_relocated is not None and len(already_relocated):
        rel = already_relocated.copy()
        rel["relocated_already"] = True
        rel = households_table(rel, name="already_relocated")
        clash = sorted(set(rel.index) & set(hh.index))
        if clash:
            raise InputError(
                f"already_relocated uses group ids {clash} that the households table uses too; "
                "rename them."
            )
        hh = pd.concat([hh, rel])
    if settlements is not None:
        names = set(settlements["name"].astype(str))
        bad = hh[~hh["relocated_already"] & ~hh["location"].isin(names)]
        if len(bad):
            raise InputError(
                f"households row {bad.index[0]!r}: location {bad['location'].iloc[0]!r} is not a "
                f"settlement ({sorted(names)}); mark it relocated_already=True if it is a site."
            )
    return Scenario(name=name, description=description, households=hh)


def check(
    scenario: Scenario,
    sites: gpd.GeoDataFrame,
    *,
    households: pd.DataFrame | None = None,
    receiving_population: Mapping[str, float] | pd.Series | None = None,
) -> list[str]:
    """Every capacity, dispersal and quota violation of a scenario, named.

    `receiving_population` (other households per block) is used by the
    ``max_share_per_block`` rule; blocks without a figure get
    :data:`DEFAULT_RECEIVING_HOUSEHOLDS`, said in the message.

    Households already living at a site (relocated before) count towards its
    capacity and rules.

    Returns
    -------
    list of str
        Empty when the scenario keeps every rule.
    """
    hh = scenario._households(households)
    pl = scenario.placements(hh)
    problems: list[str] = []
    sites = _as_sites(sites)
    ids = set(map(str, sites.index))
    at_site = pl[pl["location"].isin(ids)]
    unknown = sorted(set(scenario.allocation["site"]) - ids)
    for s in unknown:
        problems.append(f"site {s!r} of the allocation is not in the sites table")
    occ = at_site.groupby("location")["n_households"].sum()
    for s, n in occ.items():
        cap = int(sites.loc[s, "capacity_units"])
        if n > cap:
            problems.append(f"capacity at site {s!r}: {n} households for {cap} units")
    pr = at_site[at_site["community"].notna()]
    rules = scenario.rules
    if rules.max_per_site is not None:
        for s, n in pr.groupby("location")["n_households"].sum().items():
            if n > rules.max_per_site:
                problems.append(
                    f"dispersal at site {s!r}: {n} Pata Rât households, at most "
                    f"{rules.max_per_site} allowed"
                )
    if rules.max_per_block is not None:
        blocks = pr["location"].map(sites["block"].astype(str))
        for b, n in pr.groupby(blocks)["n_households"].sum().items():
            if n > rules.max_per_block:
                problems.append(
                    f"dispersal in block {b!r}: {n} Pata Rât households, at most "
                    f"{rules.max_per_block} allowed"
                )
    if rules.max_share_per_block is not None:
        given = {} if receiving_population is None else dict(receiving_population)
        blk = at_site["location"].map(sites["block"].astype(str))
        pr_b = at_site[at_site["community"].notna()].groupby(blk)["n_households"].sum()
        all_b = at_site.groupby(blk)["n_households"].sum().to_dict()
        for b, x in pr_b.items():
            recv = float(given.get(str(b), DEFAULT_RECEIVING_HOUSEHOLDS))
            share = x / (all_b[b] + recv)
            if share > rules.max_share_per_block + 1e-12:
                assumed = "" if str(b) in given else " (assumed)"
                problems.append(
                    f"concentration in block {b!r}: Pata Rât households are {share:.0%} of "
                    f"{all_b[b] + recv:.0f} households ({recv:.0f} receiving{assumed}), at most "
                    f"{rules.max_share_per_block:.0%} allowed"
                )
    if rules.quotas:
        counts = at_site.groupby(["location", "label"])["n_households"].sum()
        for key, n in counts.items():
            s, lab = str(key[0]), str(key[1])  # type: ignore[index]
            q = rules.quotas.get(lab)
            if q is not None and n > q:
                problems.append(f"quota at site {s!r}: {n} '{lab}' households, quota {q}")
    return problems


# ----------------------------------------------------------------- locations
def location_table(
    households: pd.DataFrame,
    sites: gpd.GeoDataFrame,
    settlements: gpd.GeoDataFrame,
    landfill: gpd.GeoDataFrame,
    *,
    network: Any = None,
    facilities: Mapping[str, gpd.GeoDataFrame] | None = None,
    jobs: gpd.GeoDataFrame | None = None,
    centre: tuple[float, float] | None = None,
    walk_speed_kmh: float | None = None,
    exposure_options: Mapping[str, Any] | None = None,
) -> tuple[gpd.GeoDataFrame, dict[str, list[str]]]:
    """Per-location facts that do not depend on the scenario (computed once).

    Locations are the settlements (by ``name``; block = the settlement) and
    the sites (by id; block = ``sites.block``). The arguments are those of
    :func:`metrics`; `exposure_options` goes to
    :func:`pata_gis.pollution.landfill_exposure` (``distance_m``, ``decay_m``,
    ``wind_rose``...).

    Returns
    -------
    (GeoDataFrame, dict)
        Index location id; ``kind``, ``block``, ``inside_zone``,
        ``exposure_mean``, ``exposure_max``, ``<category>_time_min`` for each
        facility category, ``jobs_time_min``, ``centre_time_min``,
        ``centre_distance_m``; and the assumptions per metric. The frame's
        ``attrs["costs"]`` holds the location x facility cost tables used by
        the 2SFCA ratios.
    """
    from pata_gis import pollution

    notes: dict[str, list[str]] = {}
    st = _crs.to_metric(settlements, name="settlements")
    si = _as_sites(sites)
    si = _crs.to_metric(si, name="sites")
    sett_ids = [str(v) for v in st["name"]]
    clash = sorted(set(sett_ids) & set(map(str, si.index)))
    if clash:
        raise InputError(f"site ids {clash} are also settlement names; rename the sites.")
    loc = gpd.GeoDataFrame(
        {
            "kind": ["settlement"] * len(st) + ["site"] * len(si),
            "block": sett_ids + [str(b) for b in si["block"]],
            "cost_per_unit": [np.nan] * len(st) + list(si["cost_per_unit"].astype(float)),
        },
        geometry=list(st.geometry.values) + list(si.geometry.values),
        index=pd.Index(sett_ids + [str(v) for v in si.index], name="location"),
        crs=settings.metric_crs,
    )
    hh = households_table(households)
    missing = sorted(set(hh["location"]) - set(loc.index))
    if missing:
        raise InputError(
            f"households live at {missing}, which is neither a settlement nor a site; "
            "add the site to the sites table (already-relocated families need their site)."
        )
    ex = pollution.landfill_exposure(
        loc, landfill, name="locations", **dict(exposure_options or {})
    )
    loc["inside_zone"] = ex["inside_legal_zone"].fillna(False).astype(bool).to_numpy()
    loc["exposure_mean"] = ex["exposure_mean"].to_numpy()
    loc["exposure_max"] = ex["exposure_max"].to_numpy()
    d_legal = float(ex.attrs.get("legal_distance_m", settings.landfill_protection_m))
    notes["households_in_sanitary_zone"] = [
        _msg.note(
            "note.legal_distance",
            distance=f"{d_legal:g}",
            reference=ex.attrs.get("legal_reference", settings.landfill_protection_reference),
        )
    ]
    opts = dict(exposure_options or {})
    notes["exposure_mean"] = [
        _msg.note(
            "note.exposure_wind" if opts.get("wind_rose") is not None else "note.exposure",
            decay=f"{opts.get('decay_m') or settings.exposure_decay_m:g}",
        )
    ]
    notes["exposure_max"] = list(notes["exposure_mean"])
    lon, lat = CITY_CENTRE_LONLAT if centre is None else centre
    cx, cy = _crs.lonlat_to_metric(np.array([lon]), np.array([lat]))
    centre_pt = gpd.GeoSeries([shapely.Point(cx[0], cy[0])], crs=settings.metric_crs)
    rep = shapely.point_on_surface(np.asarray(loc.geometry.values))
    loc["centre_distance_m"] = shapely.distance(rep, centre_pt.iloc[0])
    notes["centre_distance_mean_m"] = [_msg.note("note.centre", source=CITY_CENTRE_SOURCE)]
    cats: dict[str, gpd.GeoDataFrame | gpd.GeoSeries] = {}
    for k, v in (facilities or {}).items():
        cats[str(k)] = v
    for key in ("school", "family_doctor"):
        if key not in cats or len(cats[key]) == 0:
            notes.setdefault(
                f"{'school' if key == 'school' else 'doctor'}_time_mean_min", []
            ).append(_msg.note("note.no_facilities_given", kind=_msg.note(f"note.kind.{key}")))
    if jobs is not None and len(jobs):
        cats["jobs"] = jobs
    else:
        notes["jobs_time_mean_min"] = [_msg.note("note.no_jobs")]
    cats["centre"] = centre_pt
    walk = float(FALLBACK_WALK_KMH if walk_speed_kmh is None else walk_speed_kmh)
    costs: dict[str, pd.DataFrame] = {}
    usable = {k: v for k, v in cats.items() if len(v)}
    if network is not None:
        from pata_gis import access

        table = access.nearest_facilities(
            network, loc, usable, within_minutes=(), walk_speed_kmh=walk_speed_kmh
        )
        for k in usable:
            part = table[table["category"] == k]
            loc[f"{k}_time_min"] = part["time_min"].reindex(loc.index).to_numpy(dtype=float)
            far = part.index[part["snap_origin_m"].to_numpy(dtype=float) > 500.0]
            if len(far):
                notes.setdefault(_time_metric(k), []).append(
                    _msg.note(
                        "note.far_from_network",
                        n=len(far),
                        names=", ".join(map(str, far[:5])),
                    )
                )
            if k in ("school", "family_doctor") and "capacity" in getattr(usable[k], "columns", []):
                costs[k] = access.cost_table(
                    network,
                    loc,
                    usable[k],
                    max_minutes=FCA_CATCHMENT_MIN,
                    walk_speed_kmh=walk_speed_kmh,
                )
        for k in usable:
            notes.setdefault(_time_metric(k), []).append(
                _msg.note(
                    "note.network_walk",
                    source=getattr(network, "source", "") or _msg.note("note.given_network"),
                )
            )
    else:
        for k, layer in usable.items():
            fxy = shapely.get_coordinates(_rep_points(layer))
            lxy = shapely.get_coordinates(rep)
            d = np.hypot(lxy[:, None, 0] - fxy[None, :, 0], lxy[:, None, 1] - fxy[None, :, 1])
            loc[f"{k}_time_min"] = d.min(axis=1) * STRAIGHT_LINE_DETOUR / (walk * 1000 / 60)
            notes.setdefault(_time_metric(k), []).append(
                _msg.note(
                    "note.no_network_straight",
                    detour=f"{STRAIGHT_LINE_DETOUR:g}",
                    speed=f"{walk:g}",
                )
            )
            if k in ("school", "family_doctor") and "capacity" in getattr(layer, "columns", []):
                t = d * STRAIGHT_LINE_DETOUR / (walk * 1000 / 60)
                oi, di = np.nonzero(t <= FCA_CATCHMENT_MIN)
                costs[k] = pd.DataFrame(
                    {
                        "origin": np.asarray(loc.index, dtype=object)[oi],
                        "destination": np.asarray(layer.index, dtype=object)[di],
                        "time_min": t[oi, di],
                    }
                )
    for k in dict.fromkeys([*cats, "school", "family_doctor", "jobs"]):
        if f"{k}_time_min" not in loc.columns:
            loc[f"{k}_time_min"] = np.nan
            if k not in ("school", "family_doctor", "jobs"):
                notes.setdefault(_time_metric(k), []).append(_msg.note("note.layer_empty", layer=k))
    loc.attrs["costs"] = costs
    loc.attrs["extra_categories"] = [
        k for k in cats if k not in ("school", "family_doctor", "jobs", "centre")
    ]
    loc.attrs["capacities"] = {
        k: pd.to_numeric(usable[k]["capacity"], errors="coerce") for k in costs
    }
    return loc, notes


def _unit(metric: str) -> str:
    if metric in METRICS:
        return METRICS[metric][0]
    return "min" if metric.endswith("_min") else ""


def _time_metric(category: str) -> str:
    short = {"family_doctor": "doctor"}.get(category, category)
    return f"{short}_time_mean_min"


def _rep_points(layer: gpd.GeoDataFrame | gpd.GeoSeries) -> np.ndarray:
    metric = _crs.to_metric(layer, name="facilities")
    geo = metric.geometry if isinstance(metric, gpd.GeoDataFrame) else metric
    return shapely.point_on_surface(np.asarray(geo.values))


# ----------------------------------------------------------------- segregation
def _seg_indices(x: np.ndarray, t: np.ndarray, w: np.ndarray) -> dict[str, float]:
    """Dissimilarity, isolation, exposure and spatial dissimilarity of counts.

    The kernels of :mod:`pata_gis.segregation` (checked there against PySAL
    ``segregation``). When there is no Pata Rât household, or no other
    household at all, D is undefined (NaN) and isolation is 1.
    """
    X, T = x.sum(), t.sum()
    if X <= 0 or T <= X:
        nan = math.nan
        return {
            "dissimilarity": nan,
            "isolation": 1.0 if X > 0 else nan,
            "exposure_interaction": 0.0 if X > 0 else nan,
            "spatial_dissimilarity": nan,
        }
    out = {
        "dissimilarity": float(_segregation.dissimilarity(x, t)),
        "isolation": float(_segregation.isolation(x, t)),
        "exposure_interaction": float(_segregation.exposure(x, t)),
        "spatial_dissimilarity": math.nan,
    }
    if w.sum() > 0:
        out["spatial_dissimilarity"] = float(
            _segregation.spatial_dissimilarity(x, t, sp.csr_matrix(w))
        )
    return out


# ----------------------------------------------------------------- metrics
def _wmean(values: np.ndarray, weights: np.ndarray) -> float:
    ok = np.isfinite(values) & (weights > 0)
    if not ok.any():
        return math.nan
    return float(np.sum(values[ok] * weights[ok]) / np.sum(weights[ok]))


def _wmax(values: np.ndarray, weights: np.ndarray) -> float:
    ok = np.isfinite(values) & (weights > 0)
    return float(values[ok].max()) if ok.any() else math.nan


def metrics(
    scenario: Scenario,
    *,
    households: pd.DataFrame | None = None,
    sites: gpd.GeoDataFrame,
    settlements: gpd.GeoDataFrame,
    landfill: gpd.GeoDataFrame,
    network: Any = None,
    facilities: Mapping[str, gpd.GeoDataFrame] | None = None,
    receiving_population: Mapping[str, float] | pd.Series | None = None,
    centre: tuple[float, float] | None = None,
    jobs: gpd.GeoDataFrame | None = None,
    walk_speed_kmh: float | None = None,
    exposure_options: Mapping[str, Any] | None = None,
    locations: tuple[gpd.GeoDataFrame, dict[str, list[str]]] | None = None,
) -> pd.Series:
    """Every metric of a scenario (names and units in :data:`METRICS`).

    Parameters
    ----------
    scenario : Scenario
    households : DataFrame, optional
        Default ``scenario.households``.
    sites : GeoDataFrame
        A sites table (:func:`sites_table`) or a layer with ``capacity_units``.
    settlements, landfill : GeoDataFrame
        The settlements (``name``) and landfill layers.
    network : pata_gis.network.Network, optional
        Street network for walking times; without it straight lines are used
        (x :data:`STRAIGHT_LINE_DETOUR`) and flagged.
    facilities : mapping, optional
        ``{"school": ..., "family_doctor": ...}``; a ``capacity`` column
        (school places, doctors) enables the 2SFCA ratios. Any other category
        (``"kindergarten"``, ``"social_services"``, ``"transit_stop"``...) adds
        the rows ``<category>_time_mean_min`` and ``<category>_time_max_min``.
    receiving_population : mapping block -> households, optional
        Other households per block (and per settlement name). Missing blocks
        get :data:`DEFAULT_RECEIVING_HOUSEHOLDS` (settlements
        :data:`DEFAULT_SETTLEMENT_OTHERS`), flagged.
    centre : (lon, lat), optional
        Default :data:`CITY_CENTRE_LONLAT` (Piața Unirii).
    jobs : GeoDataFrame, optional
        Job locations; empty or missing gives NaN with a note.
    walk_speed_kmh : float, optional
        Walking speed; default the network's (4.5 km/h).
    exposure_options : mapping, optional
        Keywords of :func:`pata_gis.pollution.landfill_exposure` (legal
        ``distance_m``, ``decay_m``, ``wind_rose``...); default its settings.
    locations : tuple, optional
        The output of :func:`location_table`, to reuse across scenarios.

    Returns
    -------
    Series
        Metric name -> value, named after the scenario. ``attrs["units"]``
        maps each metric to its unit and ``attrs["assumptions"]`` to the list
        of assumptions and caveats behind it (empty when none).
    """
    hh = scenario._households(households)
    si = _as_sites(sites)
    if locations is None:
        locations = location_table(
            hh,
            si,
            settlements,
            landfill,
            network=network,
            facilities=facilities,
            jobs=jobs,
            centre=centre,
            walk_speed_kmh=walk_speed_kmh,
            exposure_options=exposure_options,
        )
    loc, base_notes = locations
    notes: dict[str, list[str]] = {k: list(v) for k, v in base_notes.items()}
    pl = scenario.placements(hh)
    unknown = sorted(set(pl["location"]) - set(loc.index))
    if unknown:
        raise InputError(
            f"scenario {scenario.name!r} places households at {unknown}, not in the sites table."
        )
    n = pl["n_households"].to_numpy(dtype=float)
    persons = n * pl["size"].to_numpy(dtype=float)
    L = loc.reindex(pl["location"])
    out: dict[str, float] = {}
    out["households"] = float(n.sum())
    out["people"] = float(persons.sum())
    inside = L["inside_zone"].to_numpy(dtype=bool)
    out["households_in_sanitary_zone"] = float(n[inside].sum())
    out["people_in_sanitary_zone"] = float(persons[inside].sum())
    out["exposure_mean"] = _wmean(L["exposure_mean"].to_numpy(float), n)
    out["exposure_max"] = _wmax(L["exposure_max"].to_numpy(float), n)
    for key, short in (("school", "school"), ("family_doctor", "doctor")):
        t = L[f"{key}_time_min"].to_numpy(float)
        out[f"{short}_time_mean_min"] = _wmean(t, n)
        out[f"{short}_time_max_min"] = _wmax(t, n)
        if np.isinf(t[n > 0]).any():
            notes.setdefault(f"{short}_time_mean_min", []).append(
                "some locations reach no facility on the network (infinite time)"
            )
        notes[f"{short}_time_max_min"] = notes.get(f"{short}_time_mean_min", [])
    out["jobs_time_mean_min"] = _wmean(L["jobs_time_min"].to_numpy(float), n)
    out["centre_time_mean_min"] = _wmean(L["centre_time_min"].to_numpy(float), n)
    notes.setdefault("centre_time_mean_min", []).insert(0, f"centre: {CITY_CENTRE_SOURCE}")
    out["centre_distance_mean_m"] = _wmean(L["centre_distance_m"].to_numpy(float), n)
    for cat in loc.attrs.get("extra_categories", []):
        t = L[f"{cat}_time_min"].to_numpy(float)
        out[f"{cat}_time_mean_min"] = _wmean(t, n)
        out[f"{cat}_time_max_min"] = _wmax(t, n)
        notes[f"{cat}_time_max_min"] = notes.get(f"{cat}_time_mean_min", [])
    # 2SFCA: demand per location from this scenario's people plus the receiving population
    recv, recv_notes = _receiving(loc, receiving_population)
    pop_loc = pd.Series(persons, index=pl["location"].to_numpy()).groupby(level=0).sum()
    pop_loc = pop_loc.reindex(loc.index).fillna(0.0)
    # a block's receiving population is shared among its locations (not counted twice)
    per_block = loc.groupby("block")["kind"].transform("size").to_numpy(dtype=float)
    others_people = recv / per_block * RECEIVING_HOUSEHOLD_SIZE
    costs: dict[str, pd.DataFrame] = loc.attrs.get("costs", {})
    caps: dict[str, pd.Series] = loc.attrs.get("capacities", {})
    for key, short, factor, unit_note in (
        ("school", "school_fca", SCHOOL_AGE_SHARE, f"children = {SCHOOL_AGE_SHARE:g} x persons"),
        ("family_doctor", "doctor_fca", 1.0 / 1000.0, "per 1,000 persons"),
    ):
        if key in costs and caps[key].notna().any():
            from pata_gis.access import two_step_fca

            demand = (pop_loc + others_people) * (factor if key == "school" else 1.0)
            ratio = two_step_fca(
                costs[key], demand, caps[key].fillna(0.0), max_cost=FCA_CATCHMENT_MIN
            )
            if key == "family_doctor":
                ratio = ratio * 1000.0
            out[short] = _wmean(ratio.reindex(pl["location"]).to_numpy(float), n)
            notes[short] = [
                f"2SFCA, {FCA_CATCHMENT_MIN:g} min walking catchment, {unit_note}; demand "
                f"includes the receiving population ({RECEIVING_HOUSEHOLD_SIZE:g} persons per "
                "household)",
                *recv_notes,
            ]
        else:
            out[short] = math.nan
            notes[short] = [f"no {key} capacities given (column 'capacity'): 2SFCA not computed"]
    # segregation over blocks
    blocks = loc["block"].astype(str)
    target = pl["community"].notna().to_numpy()
    pl_block = blocks.reindex(pl["location"]).to_numpy()
    ub = pd.Index(pd.unique(blocks.to_numpy()))
    x = pd.Series(n[target], index=pl_block[target]).groupby(level=0).sum().reindex(ub)
    y = pd.Series(n[~target], index=pl_block[~target]).groupby(level=0).sum().reindex(ub)
    recv_b = recv.groupby(blocks).max().reindex(ub)
    xa = x.fillna(0.0).to_numpy()
    ta = xa + y.fillna(0.0).to_numpy() + recv_b.fillna(0.0).to_numpy()
    rep = shapely.point_on_surface(np.asarray(loc.geometry.values))
    bx = pd.Series(shapely.get_x(rep), index=loc.index).groupby(blocks).mean().reindex(ub)
    by = pd.Series(shapely.get_y(rep), index=loc.index).groupby(blocks).mean().reindex(ub)
    d = np.hypot(
        bx.to_numpy()[:, None] - bx.to_numpy()[None, :],
        by.to_numpy()[:, None] - by.to_numpy()[None, :],
    )
    w = ((d <= NEIGHBOUR_M) & (d > 0) | ((d == 0) & ~np.eye(len(ub), dtype=bool))).astype(float)
    seg = _seg_indices(xa, ta, w)
    out.update(seg)
    seg_note = [
        f"units: {len(ub)} blocks (each settlement and each site block); group: households "
        "from Pata Rât (community set) vs all other households",
        *recv_notes,
    ]
    for k in seg:
        notes[k] = list(seg_note)
    notes["spatial_dissimilarity"].append(f"neighbours: block centres within {NEIGHBOUR_M:g} m")
    # moves
    moved = pl["moved"].to_numpy(bool)
    out["households_moved"] = float(n[moved].sum())
    at_site = pl["location"].map(loc["kind"]).eq("site").to_numpy()
    out["households_relocated_total"] = float(n[at_site].sum())
    src = shapely.point_on_surface(np.asarray(loc.geometry.reindex(pl["from_location"]).values))
    dst = shapely.point_on_surface(np.asarray(L.geometry.values))
    dist = np.where(moved, shapely.distance(src, dst), 0.0)
    out["distance_moved_total_km"] = float(np.sum(dist * n) / 1000.0)
    out["distance_moved_mean_m"] = (
        float(np.sum(dist * n) / n[moved].sum()) if n[moved].sum() > 0 else 0.0
    )
    notes["distance_moved_total_km"] = ["straight line between representative points"]
    notes["distance_moved_mean_m"] = notes["distance_moved_total_km"]
    cost = L["cost_per_unit"].to_numpy(float)
    if moved.any() and np.isfinite(cost[moved]).all():
        out["cost_total"] = float(np.sum(cost[moved] * n[moved]))
    elif not moved.any():
        out["cost_total"] = 0.0
    else:
        out["cost_total"] = math.nan
        notes["cost_total"] = ["cost_per_unit missing for a destination site: cost unknown"]
    problems = check(scenario, si, households=hh, receiving_population=receiving_population)
    out["rule_violations"] = float(len(problems))
    notes["rule_violations"] = problems
    series = pd.Series(out, name=scenario.name, dtype=float)
    series.attrs["units"] = {k: _unit(k) for k in out}
    series.attrs["assumptions"] = {k: notes.get(k, []) for k in out}
    series.attrs["sensitivity"] = "restricted"
    return series


def _receiving(
    loc: gpd.GeoDataFrame, receiving: Mapping[str, float] | pd.Series | None
) -> tuple[pd.Series, list[str]]:
    """Other households per location (by its block), with the notes on defaults."""
    given = {} if receiving is None else {str(k): float(v) for k, v in dict(receiving).items()}
    vals = []
    defaulted_sites: set[str] = set()
    defaulted_sett: set[str] = set()
    for lid, r in loc.iterrows():
        b = str(r["block"])
        if b in given:
            vals.append(given[b])
        elif str(lid) in given:
            vals.append(given[str(lid)])
        elif r["kind"] == "settlement":
            vals.append(DEFAULT_SETTLEMENT_OTHERS)
            defaulted_sett.add(b)
        else:
            vals.append(DEFAULT_RECEIVING_HOUSEHOLDS)
            defaulted_sites.add(b)
    notes = []
    if defaulted_sites:
        notes.append(
            f"ASSUMED receiving population of {DEFAULT_RECEIVING_HOUSEHOLDS:g} households in "
            f"{len(defaulted_sites)} block(s) without a figure ({', '.join(sorted(defaulted_sites)[:5])}"
            f"{'...' if len(defaulted_sites) > 5 else ''}); pass receiving_population="
        )
    if defaulted_sett:
        notes.append(
            f"ASSUMED no other households in the settlements ({', '.join(sorted(defaulted_sett))})"
        )
    return pd.Series(vals, index=loc.index, dtype=float), notes


def compare(
    scenarios: Sequence[Scenario],
    *,
    baseline_name: str | None = None,
    **inputs: Any,
) -> pd.DataFrame:
    """Metrics of several scenarios side by side, with the difference from the baseline.

    Parameters
    ----------
    scenarios : sequence of Scenario
        The first one is the baseline unless `baseline_name` names another.
    baseline_name : str, optional
    **inputs
        The keyword arguments of :func:`metrics` (``sites``, ``settlements``,
        ``landfill``, ``network``, ``facilities``, ``households``...). The
        per-location facts are computed once for all scenarios.

    Returns
    -------
    DataFrame
        Index metric; columns ``unit``, one column per scenario, one column
        ``<name> - <baseline>`` per other scenario, and ``assumptions`` (the
        assumptions of every scenario, joined with " | ").
    """
    if not scenarios:
        raise InputError("compare needs at least one scenario (the baseline first).")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise InputError(f"scenario names must be distinct, got {names}.")
    base = baseline_name or names[0]
    if base not in names:
        raise InputError(f"baseline {base!r} is not among the scenarios {names}.")
    hh_all = [s._households(inputs.get("households")) for s in scenarios]
    combined = pd.concat(hh_all)
    combined = combined[~combined.index.duplicated()]
    sites = inputs["sites"]
    si = _as_sites(sites)
    locations = inputs.pop("locations", None) or location_table(
        combined,
        si,
        inputs["settlements"],
        inputs["landfill"],
        network=inputs.get("network"),
        facilities=inputs.get("facilities"),
        jobs=inputs.get("jobs"),
        centre=inputs.get("centre"),
        walk_speed_kmh=inputs.get("walk_speed_kmh"),
        exposure_options=inputs.get("exposure_options"),
    )
    inputs = {k: v for k, v in inputs.items() if k != "sites"}
    cols: dict[str, pd.Series] = {}
    notes: dict[str, list[str]] = {}
    for s, hh in zip(scenarios, hh_all, strict=True):
        kw = dict(inputs)
        kw["households"] = hh
        m = metrics(s, sites=si, locations=locations, **kw)
        cols[s.name] = m
        for k, v in m.attrs["assumptions"].items():
            for note in v:
                tagged = note if note not in notes.get(k, []) else None
                if tagged:
                    notes.setdefault(k, []).append(note)
    table = pd.DataFrame(cols)
    table.insert(0, "unit", [_unit(str(k)) for k in table.index])
    for nm in names:
        if nm != base:
            table[f"{nm} - {base}"] = table[nm] - table[base]
    table["assumptions"] = [" | ".join(notes.get(k, [])) for k in table.index]
    table.index.name = "metric"
    table.attrs["sensitivity"] = "restricted"
    log.info("scenario comparison:\n%s", table.drop(columns="assumptions").to_string())
    return table


# ----------------------------------------------------------------- optimiser
@dataclass
class OptimisationResult:
    """What :func:`optimise` found.

    Attributes
    ----------
    allocation : DataFrame
        ``group``, ``site``, ``n_households`` (rows with n > 0).
    objective : float
        Mean exposure + lambda x segregation proxy.
    mean_exposure : float
        Household-weighted mean exposure of the households of the optimised
        groups (placed, or staying when ``place_all=False``); :func:`metrics`
        averages over everyone.
    segregation_proxy : float
        The proxy value (see :func:`optimise`).
    status : str
        The solver's message.
    binding : DataFrame
        One row per binding constraint: ``constraint``, ``kind``, ``slack``,
        ``lp_dual`` (change of the LP-relaxation objective per unit of the
        right-hand side), ``delta_objective`` and ``delta_exposure`` (change
        of the integer optimum when the constraint is loosened by one unit;
        NaN when not re-solved) and ``text``.
    explanation : list of str
        The same, phrased for a planner.
    rules : Rules
    households : DataFrame
        The households table the allocation refers to.
    """

    allocation: pd.DataFrame
    objective: float
    mean_exposure: float
    segregation_proxy: float
    status: str
    binding: pd.DataFrame
    explanation: list[str]
    rules: Rules
    households: pd.DataFrame | None = None

    def scenario(self, name: str = "optimised", description: str = "") -> Scenario:
        """The allocation as a :class:`Scenario` with the same rules and households."""
        return Scenario(
            name=name,
            allocation=self.allocation,
            description=description or "Allocation proposed by the optimiser.",
            rules=self.rules,
            households=self.households,
        )


_KIND_TITLES = {
    "capacity": "site capacities",
    "max_per_site": "dispersal caps per site",
    "max_per_block": "dispersal caps per block",
    "max_share": "share caps per block",
    "quota": "quotas",
    "moves": "cap on moves",
}


@dataclass
class _Row:
    name: str
    kind: str
    coef: dict[int, float]
    upper: float
    lower: float = -np.inf
    text_unit: str = ""


def optimise(
    households: pd.DataFrame,
    sites: gpd.GeoDataFrame | pd.DataFrame,
    *,
    exposure: Mapping[str, float] | pd.Series,
    segregation_weight: float = 1.0,
    max_per_site: int | None = None,
    max_per_block: int | None = None,
    quotas: Mapping[str, int] | None = None,
    max_share_per_block: float | None = None,
    receiving_population: Mapping[str, float] | pd.Series | None = None,
    groups: Sequence[str] | None = None,
    place_all: bool = True,
    max_moves: int | None = None,
    segregation: Literal["max_block", "excess"] = "max_block",
    dispersal_target: float = 0.0,
    explain: bool = True,
    explain_limit: int = 15,
    explain_time_s: float = 10.0,
    time_limit_s: float = 60.0,
) -> OptimisationResult:
    """The allocation of households to sites minimising exposure and concentration.

    Parameters
    ----------
    households : DataFrame
        Households table. Groups already relocated stay where they are and
        count towards the capacity, caps and quotas of their site.
    sites : DataFrame or GeoDataFrame
        Index site id; ``capacity_units`` and ``block``
        (see :func:`sites_table`).
    exposure : mapping or Series
        Exposure index per site id (e.g. ``landfill_exposure(sites,
        landfill)["exposure_mean"]``); with ``place_all=False`` also per
        settlement name (the cost of staying). ``location_table(...)[0]
        ["exposure_mean"]`` covers both.
    segregation_weight : float
        lambda, the weight of the segregation proxy (0 = exposure only).
    max_per_site, max_per_block : int, optional
        Most Pata Rât households per site / per block.
    quotas : mapping label -> int, optional
        Most households of each label per site.
    max_share_per_block : float, optional
        Largest share of Pata Rât households among all households of a block:
        ``pr_b <= share * (receiving_b + placed_b)``, linear in ``x``.
    receiving_population : mapping block -> households, optional
        Other households per block for `max_share_per_block`; missing blocks
        get :data:`DEFAULT_RECEIVING_HOUSEHOLDS` (said in the explanation).
    groups : sequence of str, optional
        The groups to place; default every group not relocated already.
    place_all : bool
        True: every household of `groups` gets a site. False: households may
        stay (at the exposure of their settlement), with at most `max_moves`
        moves.
    max_moves : int, optional
        Cap on households moved (only with ``place_all=False``).
    segregation : {"max_block", "excess"}
        The linear proxy: ``"max_block"`` = the most Pata Rât households in any
        block / H; ``"excess"`` = households above `dispersal_target` per
        block, summed / H. H = households to place.
    dispersal_target : float
        The target per block of ``"excess"``.
    explain : bool
        Solve the LP relaxation for duals and re-solve the integer programme
        with each binding constraint loosened by one unit.
    explain_limit : int
        Most re-solves (the binding constraints with the most negative LP
        duals first); the others are explained by their LP dual alone.
    explain_time_s : float
        Time budget (s) of all re-solves together; what is left unexplained
        by then gets its LP dual.
    time_limit_s : float
        Solver time limit per solve.

    Returns
    -------
    OptimisationResult

    Raises
    ------
    InfeasibleError
        Naming the constraint that cannot be met (total capacity, a quota, a
        dispersal cap...).
    InputError
        For a missing exposure value or column.
    """
    hh = households_table(households)
    if isinstance(sites, gpd.GeoDataFrame):
        sites = _as_sites(sites)
    if "capacity_units" not in sites.columns or "block" not in sites.columns:
        raise InputError(
            "sites needs 'capacity_units' and 'block' columns; build it with sites_table()."
        )
    site_ids = [str(s) for s in sites.index]
    cap = pd.to_numeric(sites["capacity_units"], errors="coerce").to_numpy(float)
    block = [str(b) for b in sites["block"]]
    ex = pd.Series({str(k): float(v) for k, v in dict(exposure).items()}, dtype=float)
    miss = [s for s in site_ids if s not in ex.index or not np.isfinite(ex[s])]
    if miss:
        raise InputError(f"exposure has no value for sites {miss[:5]}; give one per site id.")
    lam = float(segregation_weight)
    if not (lam >= 0 and math.isfinite(lam)):
        raise InputError(f"segregation_weight must be >= 0, got {segregation_weight!r}.")
    if place_all and max_moves is not None:
        raise InputError(
            "max_moves needs place_all=False (households may stay); with place_all=True "
            "everyone of the groups moves."
        )
    movers = (
        [g for g in hh.index if not hh.loc[g, "relocated_already"]]
        if groups is None
        else [str(g) for g in groups]
    )
    bad = [g for g in movers if g not in hh.index]
    if bad:
        raise InputError(f"groups {bad} are not in the households table.")
    n_of = hh["n_households"].astype(int).to_dict()
    movers = [g for g in movers if n_of[g] > 0]
    if not movers:
        raise InputError("there are no households to place (every group is empty or relocated).")
    fixed = hh[~hh.index.isin(movers) & hh["location"].isin(site_ids)]
    fixed_at = fixed.groupby("location")["n_households"].sum()
    fixed_pr = fixed[fixed["community"].notna()].groupby("location")["n_households"].sum()
    fixed_lab = fixed.groupby(["location", "label"])["n_households"].sum()
    G, S = len(movers), len(site_ids)
    nvec = hh.loc[movers, "n_households"].to_numpy(float)
    is_pr = hh.loc[movers, "community"].notna().to_numpy()
    labels = hh.loc[movers, "label"].astype(str).to_numpy()
    H = float(nvec.sum())
    ublocks = list(dict.fromkeys(block))
    B = len(ublocks)
    site_block = np.array([ublocks.index(b) for b in block])
    fixed_block = np.zeros(B)
    for s, v in fixed_pr.items():
        fixed_block[site_block[site_ids.index(str(s))]] += v

    # variable layout: x[g, s] (G*S), stay[g] (G, if not place_all), aux (z or u_b)
    def xi(g: int, s: int) -> int:
        return g * S + s

    nx_ = G * S
    n_stay = 0 if place_all else G
    stay0 = nx_
    aux0 = nx_ + n_stay
    n_aux = 1 if segregation == "max_block" else B
    if segregation not in ("max_block", "excess"):
        raise InputError(f"segregation must be 'max_block' or 'excess', got {segregation!r}.")
    nv = aux0 + (n_aux if lam > 0 else 0)
    c = np.zeros(nv)
    for g in range(G):
        for s in range(S):
            c[xi(g, s)] = ex[site_ids[s]] / H
    if not place_all:
        for g, gid in enumerate(movers):
            here = str(hh.loc[gid, "location"])
            if here not in ex.index:
                raise InputError(
                    f"exposure has no value for {here!r}, where group {gid!r} lives; staying "
                    "needs it (place_all=False)."
                )
            c[stay0 + g] = ex[here] / H
    if lam > 0:
        c[aux0:] = lam / H
    rows: list[_Row] = []
    # pre-checks with named messages
    pre_notes: list[str] = []

    def room(limit: float, already: float, what: str) -> float:
        if already > limit:
            pre_notes.append(
                f"{what} is already exceeded by the {already:.0f} families living there "
                f"(limit {limit:.0f}): nobody more is placed there"
            )
        return float(max(limit - already, 0.0))

    free = np.array(
        [
            room(cap[i], float(fixed_at.get(s, 0)), f"capacity at site {s!r}")
            for i, s in enumerate(site_ids)
        ]
    )
    if place_all and H > free.sum():
        raise InfeasibleError(
            f"total capacity: {H:.0f} households to place but only {free.sum():.0f} free units "
            f"in {S} sites; add sites, raise capacities or set place_all=False with max_moves."
        )
    for g in range(G):
        coef = {xi(g, s): 1.0 for s in range(S)}
        if place_all:
            rows.append(
                _Row(f"everyone of group {movers[g]!r} placed", "place", coef, nvec[g], nvec[g])
            )
        else:
            coef[stay0 + g] = 1.0
            rows.append(_Row(f"group {movers[g]!r} accounted for", "place", coef, nvec[g], nvec[g]))
    if not place_all and max_moves is not None:
        rows.append(
            _Row(
                "cap on moves",
                "moves",
                {xi(g, s): 1.0 for g in range(G) for s in range(S)},
                float(max_moves),
                text_unit="household moved",
            )
        )
    for s in range(S):
        rows.append(
            _Row(
                f"capacity at site {site_ids[s]!r}",
                "capacity",
                {xi(g, s): 1.0 for g in range(G)},
                float(free[s]),
                text_unit="unit there",
            )
        )
    if max_per_site is not None:
        tot = float(nvec[is_pr].sum())
        rooms = [
            room(max_per_site, float(fixed_pr.get(sid, 0)), f"dispersal cap at site {sid!r}")
            for sid in site_ids
        ]
        if place_all and tot > sum(rooms):
            raise InfeasibleError(
                f"dispersal cap per site: {tot:.0f} Pata Rât households to place but at most "
                f"{max_per_site} per site leaves room for {sum(rooms):.0f} in {S} sites; "
                "raise max_per_site or add sites."
            )
        for s in range(S):
            rows.append(
                _Row(
                    f"dispersal cap at site {site_ids[s]!r}",
                    "max_per_site",
                    {xi(g, s): 1.0 for g in range(G) if is_pr[g]},
                    rooms[s],
                    text_unit="relocated family allowed there",
                )
            )
    if max_per_block is not None:
        tot = float(nvec[is_pr].sum())
        rooms = [
            room(max_per_block, float(fixed_block[b]), f"dispersal cap in block {ublocks[b]!r}")
            for b in range(B)
        ]
        if place_all and tot > sum(rooms):
            raise InfeasibleError(
                f"dispersal cap per block: {tot:.0f} Pata Rât households to place but at most "
                f"{max_per_block} per block leaves room for {sum(rooms):.0f} in {B} blocks; "
                "raise max_per_block or add sites in other blocks."
            )
        for b in range(B):
            rows.append(
                _Row(
                    f"dispersal cap in block {ublocks[b]!r}",
                    "max_per_block",
                    {
                        xi(g, s): 1.0
                        for g in range(G)
                        if is_pr[g]
                        for s in range(S)
                        if site_block[s] == b
                    },
                    rooms[b],
                    text_unit="relocated family allowed in that block",
                )
            )
    if max_share_per_block is not None:
        alpha = float(max_share_per_block)
        if not 0 < alpha <= 1:
            raise InputError(f"max_share_per_block must be in (0, 1], got {max_share_per_block!r}.")
        given = {} if receiving_population is None else dict(receiving_population)
        fixed_all = np.zeros(B)
        for sid, v in fixed_at.items():
            fixed_all[site_block[site_ids.index(str(sid))]] += v
        assumed = [b for b in ublocks if b not in given]
        if assumed:
            pre_notes.append(
                f"ASSUMED {DEFAULT_RECEIVING_HOUSEHOLDS:g} receiving households in "
                f"{len(assumed)} block(s) without a figure ({', '.join(assumed[:5])})"
            )
        for b in range(B):
            recv = float(given.get(ublocks[b], DEFAULT_RECEIVING_HOUSEHOLDS))
            rows.append(
                _Row(
                    f"share cap in block {ublocks[b]!r}",
                    "max_share",
                    {
                        xi(g, s): (1.0 if is_pr[g] else 0.0) - alpha
                        for g in range(G)
                        for s in range(S)
                        if site_block[s] == b
                    },
                    alpha * (recv + fixed_all[b]) - fixed_block[b],
                    text_unit=f"unit of room ({1 / alpha:.3g} more receiving households)",
                )
            )
    if quotas:
        for lab, q in quotas.items():
            members = [g for g in range(G) if labels[g] == str(lab)]
            if not members:
                continue
            tot = float(nvec[members].sum())
            rooms = [
                room(q, float(fixed_lab.get((sid, lab), 0)), f"quota '{lab}' at site {sid!r}")
                for sid in site_ids
            ]
            if place_all and tot > sum(rooms):
                raise InfeasibleError(
                    f"quota '{lab}': {tot:.0f} households labelled '{lab}' to place but a quota "
                    f"of {q} per site leaves room for {sum(rooms):.0f}; raise the quota or add "
                    "sites."
                )
            for s in range(S):
                rows.append(
                    _Row(
                        f"quota '{lab}' at site {site_ids[s]!r}",
                        "quota",
                        {xi(g, s): 1.0 for g in members},
                        rooms[s],
                        text_unit=f"'{lab}' place there",
                    )
                )
    if lam > 0:
        for b in range(B):
            coef = {
                xi(g, s): 1.0 for g in range(G) if is_pr[g] for s in range(S) if site_block[s] == b
            }
            if segregation == "max_block":
                coef[aux0] = -1.0
                rows.append(
                    _Row(
                        f"concentration in block {ublocks[b]!r}",
                        "proxy",
                        coef,
                        float(-fixed_block[b]),
                    )
                )
            else:
                coef[aux0 + b] = -1.0
                rows.append(
                    _Row(
                        f"excess in block {ublocks[b]!r}",
                        "proxy",
                        coef,
                        float(dispersal_target - fixed_block[b]),
                    )
                )
    lb = np.zeros(nv)
    ub = np.full(nv, np.inf)
    integrality = np.ones(nv)
    if lam > 0:
        integrality[aux0:] = 0

    def matrix(rs: list[_Row]) -> sp.csr_matrix:
        r, cidx, v = [], [], []
        for i, row in enumerate(rs):
            for j, val in row.coef.items():
                r.append(i)
                cidx.append(j)
                v.append(val)
        return sp.csr_matrix((v, (r, cidx)), shape=(len(rs), nv))

    A = matrix(rows)
    lo = np.array([r.lower for r in rows])
    hi = np.array([r.upper for r in rows])

    def solve(hi_: np.ndarray, lo_: np.ndarray, seconds: float | None = None) -> Any:
        return milp(
            c,
            constraints=LinearConstraint(A, lo_, hi_),
            integrality=integrality,
            bounds=Bounds(lb, ub),
            options={"time_limit": time_limit_s if seconds is None else seconds},
        )

    res = solve(hi, lo)
    if res.status == 2 or res.x is None:
        raise InfeasibleError(_diagnose(rows, c, A, lo, hi, integrality, lb, ub, res.message))
    x = np.round(res.x)
    alloc = [
        {"group": movers[g], "site": site_ids[s], "n_households": int(x[xi(g, s)])}
        for g in range(G)
        for s in range(S)
        if x[xi(g, s)] > 0
    ]
    allocation = pd.DataFrame(alloc, columns=["group", "site", "n_households"])
    exp_part = float(c[:aux0] @ x[:aux0])
    proxy = (
        float(res.x[aux0:].sum() / H)
        if lam > 0
        else _proxy(
            x, movers, is_pr, site_block, B, fixed_block, S, H, segregation, dispersal_target
        )
    )
    objective = float(res.fun)
    binding = pd.DataFrame(
        columns=[
            "constraint",
            "kind",
            "slack",
            "lp_dual",
            "delta_objective",
            "delta_exposure",
            "text",
        ]
    )
    explanation: list[str] = []
    if explain:
        binding, explanation = _explain(
            rows,
            A,
            lo,
            hi,
            c,
            res,
            x,
            solve,
            aux0,
            explain_limit,
            explain_time_s,
            integrality,
            lb,
            ub,
            objective,
        )
    explanation = list(dict.fromkeys(pre_notes)) + explanation
    status = str(res.message)
    log.info(
        "optimise: %d households in %d groups over %d sites: objective %.4f (mean exposure "
        "%.4f, proxy %.4f); %s",
        H,
        G,
        S,
        objective,
        exp_part,
        proxy,
        status,
    )
    return OptimisationResult(
        allocation=allocation,
        objective=objective,
        mean_exposure=exp_part,
        segregation_proxy=proxy,
        status=status,
        binding=binding,
        explanation=explanation,
        rules=Rules(
            max_per_site=max_per_site,
            max_per_block=max_per_block,
            quotas=dict(quotas) if quotas else None,
            max_share_per_block=max_share_per_block,
        ),
        households=hh,
    )


def _proxy(
    x: np.ndarray,
    movers: list[str],
    is_pr: np.ndarray,
    site_block: np.ndarray,
    B: int,
    fixed_block: np.ndarray,
    S: int,
    H: float,
    segregation: str,
    target: float,
) -> float:
    load = fixed_block.copy()
    for g in range(len(movers)):
        if is_pr[g]:
            for s in range(S):
                load[site_block[s]] += x[g * S + s]
    if segregation == "max_block":
        return float(load.max() / H)
    return float(np.maximum(load - target, 0).sum() / H)


def _diagnose(
    rows: list[_Row],
    c: np.ndarray,
    A: sp.csr_matrix,
    lo: np.ndarray,
    hi: np.ndarray,
    integrality: np.ndarray,
    lb: np.ndarray,
    ub: np.ndarray,
    message: str,
) -> str:
    """Name the family of constraints whose removal makes the problem feasible."""
    kinds = list(dict.fromkeys(r.kind for r in rows if r.kind not in ("place", "proxy")))
    for kind in kinds:
        keep = np.array([r.kind != kind for r in rows])
        res = milp(
            c,
            constraints=LinearConstraint(A[keep], lo[keep], hi[keep]),
            integrality=integrality,
            bounds=Bounds(lb, ub),
        )
        if res.status == 0:
            names = [r.name for r in rows if r.kind == kind][:3]
            return (
                f"the {kind.replace('_', ' ')} constraints cannot all be met together with the "
                f"others (e.g. {'; '.join(names)}); loosen them or add sites. Solver: {message}"
            )
    return (
        f"the constraints cannot all be met together; loosen them or add sites. Solver: {message}"
    )


def _explain(
    rows: list[_Row],
    A: sp.csr_matrix,
    lo: np.ndarray,
    hi: np.ndarray,
    c: np.ndarray,
    res: Any,
    x: np.ndarray,
    solve: Any,
    aux0: int,
    limit: int,
    budget_s: float,
    integrality: np.ndarray,
    lb: np.ndarray,
    ub: np.ndarray,
    objective: float,
) -> tuple[pd.DataFrame, list[str]]:
    ax = A @ res.x
    slack_hi = hi - ax
    # LP relaxation for duals: equality rows and <= rows
    eq = np.isclose(lo, hi)
    ineq = ~eq
    lp = linprog(
        c,
        A_ub=A[ineq] if ineq.any() else None,
        b_ub=hi[ineq] if ineq.any() else None,
        A_eq=A[eq] if eq.any() else None,
        b_eq=hi[eq] if eq.any() else None,
        bounds=list(zip(lb, [None if not np.isfinite(u) else u for u in ub], strict=True)),
        method="highs",
    )
    duals = np.full(len(rows), np.nan)
    if lp.status == 0:
        if ineq.any():
            duals[ineq] = lp.ineqlin.marginals
        if eq.any():
            duals[eq] = lp.eqlin.marginals
    binding = [
        i
        for i, r in enumerate(rows)
        if r.kind not in ("place", "proxy") and not eq[i] and slack_hi[i] <= 1e-6
    ]
    # re-solve the most promising first: the most negative LP duals
    order = sorted(binding, key=lambda i: (np.isnan(duals[i]), duals[i]))
    resolve = set(order[: max(int(limit), 0)])
    t0 = time.perf_counter()
    out = []
    texts: list[str] = []
    for i in order:
        r = rows[i]
        unit = r.text_unit or "unit"
        delta = math.nan
        dexp = math.nan
        left = budget_s - (time.perf_counter() - t0)
        if i in resolve and left > 0.05:
            hi2 = hi.copy()
            hi2[i] += 1.0
            r2 = solve(hi2, lo, left)
            if r2.x is not None and r2.status == 0:
                delta = float(r2.fun) - objective
                dexp = float(c[:aux0] @ np.round(r2.x[:aux0])) - float(c[:aux0] @ x[:aux0])
        if not math.isnan(delta) and delta < -1e-12:
            text = (
                f"{r.name} binds: one more {unit} would lower the objective by "
                f"{-delta:.4g} (mean exposure {'-' if dexp <= 0 else '+'}{abs(dexp):.4g})"
            )
        elif not math.isnan(delta):
            text = f"{r.name} is at its limit, but one more {unit} would not help"
        elif np.isfinite(duals[i]) and duals[i] < -1e-12:
            text = (
                f"{r.name} binds: by the linear relaxation, one more {unit} would lower the "
                f"objective by about {-duals[i]:.4g} (not re-solved)"
            )
        else:
            text = f"{r.name} is at its limit (slack 0)"
        out.append(
            {
                "constraint": r.name,
                "kind": r.kind,
                "slack": float(slack_hi[i]),
                "lp_dual": float(duals[i]),
                "delta_objective": delta,
                "delta_exposure": dexp,
                "text": text,
            }
        )
    table = pd.DataFrame(
        out,
        columns=[
            "constraint",
            "kind",
            "slack",
            "lp_dual",
            "delta_objective",
            "delta_exposure",
            "text",
        ],
    )
    if len(table):
        gain = table["delta_objective"].fillna(table["lp_dual"]).fillna(0.0)
        table = table.iloc[np.argsort(gain.to_numpy(), kind="stable")]
        helps = gain.reindex(table.index).to_numpy() < -1e-12
        texts = table.loc[helps, "text"].tolist()
        idle = table.loc[~helps]
        for kind, part in idle.groupby("kind", sort=False):
            names = ", ".join(part["constraint"].head(3))
            more = f" and {len(part) - 3} more" if len(part) > 3 else ""
            texts.append(
                f"{len(part)} {_KIND_TITLES.get(str(kind), str(kind))} at the limit, where one "
                f"more unit alone would not help: {names}{more}"
            )
    else:
        texts = ["no capacity, dispersal or quota constraint binds: the best sites have room"]
    return table.reset_index(drop=True), texts
