"""Printable reports assembled from analysis results (no file I/O: the caller saves them).

:func:`scenario_report` builds the bilingual council report of resettlement
scenarios that ``pata-gis scenario report`` prints and the Scenarios page
offers as a download: one map per scenario, the metrics side by side, the
ranking of the candidate sites and the assumptions with their sources.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import pandas as pd

from pata_gis import printing
from pata_gis._errors import InputError
from pata_gis.messages import translate
from pata_gis.specs import LayerSpec

__all__ = ["SCENARIO_BASE_LAYERS", "scenario_report"]

logger = logging.getLogger(__name__)

#: Layers drawn under the sites of every scenario map.
SCENARIO_BASE_LAYERS: tuple[str, ...] = ("settlements", "landfill", "roads")

#: The legal reference printed with the sanitary-protection distance.
_LEGAL_NOTE = "Distanța de protecție sanitară: Ordinul MS 119/2014 art. 11(1), mod. 994/2018"
_CREDITS = "© OpenStreetMap contributors (ODbL); © CTP Cluj-Napoca (GTFS)"


def scenario_report(
    table: pd.DataFrame,
    scenarios: Sequence[Any],
    layers: Mapping[str, gpd.GeoDataFrame],
    specs: Mapping[str, LayerSpec],
    *,
    evaluation: Any | None = None,
    lang: str | None = None,
) -> printing.Report:
    """The council report comparing resettlement scenarios (A4, for the planner level).

    Parameters
    ----------
    table : DataFrame
        :func:`pata_gis.scenarios.compare` output, optionally passed through
        :func:`pata_gis.scenarios.titled` (the ``title`` column is kept).
    scenarios : sequence of Scenario
        The scenarios of `table`, the baseline first (one map each).
    layers : mapping name -> GeoDataFrame
        Workspace layers: ``candidate_sites`` (required) and the base layers
        :data:`SCENARIO_BASE_LAYERS` when present. Never pass confidential layers.
    specs : mapping name -> LayerSpec
        The spec of every layer drawn.
    evaluation : pata_gis.sites.Evaluation, optional
        When given, the ranking of the sites and its weights are added.
    lang : {"ro", "en"}, optional
        Default Romanian.

    Returns
    -------
    pata_gis.printing.Report
        Call ``.save(path)`` to write the PDF.

    Raises
    ------
    InputError
        When `layers` has no ``candidate_sites`` or a drawn layer has no spec.
    """
    if "candidate_sites" not in layers:
        raise InputError("scenario_report: layers has no 'candidate_sites'; pass the workspace's")
    lang = lang or "ro"
    ro = lang == "ro"
    rep = printing.Report(
        lang=lang,
        title="Scenarii de relocare – Pata Rât" if ro else "Resettlement scenarios – Pata Rât",
        subtitle="Comparație pentru consiliul local" if ro else "Comparison for the council",
        privacy_level="planner",
    )
    rep.add_bilingual(
        heading={"ro": "Despre acest raport", "en": "About this report"},
        paragraphs={
            "ro": [
                f"{len(scenarios)} scenarii comparate cu situația actuală (baseline).",
                "Straturile de pornire sunt digitizate din surse publice, nu măsurate; "
                "amplasamentele candidate sunt ilustrative.",
            ],
            "en": [
                f"{len(scenarios)} scenarios compared with the status quo (baseline).",
                "The starter layers are digitised from public sources, not surveyed; "
                "the candidate sites are illustrative.",
            ],
        },
    )
    base_layers = {n: layers[n] for n in SCENARIO_BASE_LAYERS if n in layers}
    cand = layers["candidate_sites"]
    for name in [*base_layers, "candidate_sites"]:
        if name not in specs:
            raise InputError(f"scenario_report: no spec for layer {name!r}; pass specs[{name!r}]")
    for s in scenarios:
        used = s.allocation.groupby("site")["n_households"].sum()
        sel = cand.loc[cand["name"].astype(str).isin(used.index)]
        drawn = dict(base_layers)
        if len(sel):
            drawn["candidate_sites"] = gpd.GeoDataFrame(sel, crs=cand.crs)
        rep.add_map(
            layers=drawn,
            specs={n: specs[n] for n in drawn},
            title=s.name,
            subtitle=s.description or ", ".join(f"{k}: {v}" for k, v in used.items()),
        )
    cols = [c for c in table.columns if c != "assumptions"]
    metrics = table[cols].copy()
    metrics.attrs["sensitivity"] = "restricted"
    rep.add_table(
        metrics.reset_index(names="metric"),
        "Indicatori pe scenariu" if ro else "Metrics per scenario",
        sensitivity="restricted",
    )
    notes: list[str] = []
    if "assumptions" in table.columns:
        notes = [
            f"{m}: {translate(a, 'ro' if ro else 'en')}"
            for m, a in table["assumptions"].items()
            if isinstance(a, str) and a
        ]
    if evaluation is not None:
        ranking = evaluation.ranking
        shown = ranking[[c for c in ("rank", "status", "score", "reason") if c in ranking]]
        rep.add_table(
            shown.reset_index(),
            "Clasamentul amplasamentelor" if ro else "Ranking of the sites",
            sensitivity="restricted",
            note=("ponderi: " if ro else "weights: ")
            + ", ".join(f"{k} {v:.2f}" for k, v in evaluation.weights.items()),
        )
        notes += list(evaluation.notes)
    rep.add_text(
        "Ipoteze și surse" if ro else "Assumptions and sources",
        [*notes, _CREDITS, _LEGAL_NOTE],
    )
    logger.info("scenario report: %d scenarios, lang %s", len(scenarios), lang)
    return rep
