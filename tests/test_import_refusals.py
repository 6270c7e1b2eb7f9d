"""Every kind of broken input is refused with a clear error and leaves the workspace unchanged.

The corpus of broken files is the one io's tests use (``make_broken_inputs``), plus
files that read fine but break the layer's rules (``layers.validate``).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from geopandas.testing import assert_geodataframe_equal
from test_broken_inputs import make_broken_inputs

from pata_gis._errors import PataGisError
from pata_gis.workspace import Workspace


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "ws.gpkg"
    Workspace.create(path)
    return path


def snapshot(ws: Workspace) -> dict[str, object]:
    """Every layer's content and history: what an import refusal must not touch."""
    return {
        name: (ws.read(name), ws.history(name).drop(columns=["saved_at"], errors="ignore"))
        for name in ws.layer_names()
    }


def assert_unchanged(before: dict, after: dict) -> None:
    assert before.keys() == after.keys()
    for name, (layer, hist) in before.items():
        assert_geodataframe_equal(after[name][0], layer, check_like=True)
        assert after[name][1].equals(hist), f"history of {name} changed"


def feature(geom: dict, **props: object) -> dict:
    return {"type": "Feature", "geometry": geom, "properties": props}


def write_fc(path: Path, features: list[dict]) -> Path:
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


PT = {"type": "Point", "coordinates": [23.69, 46.78]}
SQ = {
    "type": "Polygon",
    "coordinates": [
        [[23.68, 46.77], [23.69, 46.77], [23.69, 46.78], [23.68, 46.78], [23.68, 46.77]]
    ],
}


def rule_breakers(tmp: Path) -> list[tuple[str, Path, str, str]]:
    """Files that read fine but cannot go into their layer: (id, path, layer, message part)."""
    ok = {"source": "test", "accuracy_m": 10}
    return [
        (
            "mixed_geometry_types",
            write_fc(
                tmp / "mixed.geojson", [feature(SQ, name="a", **ok), feature(PT, name="b", **ok)]
            ),
            "settlements",
            "feature 2 is Point but layer 'settlements' holds polygon features",
        ),
        (
            "missing_source_field",
            write_fc(tmp / "nosource.geojson", [feature(PT, name="x", accuracy_m=5)]),
            "schools",
            "field 'source' is missing",
        ),
        (
            "non_numeric_field",
            write_fc(tmp / "hh.geojson", [feature(SQ, name="a", households="many", **ok)]),
            "settlements",
            "field 'households': feature 1 cannot be read as int ('many')",
        ),
        (
            "value_not_in_choices",
            write_fc(tmp / "status.geojson", [feature(SQ, name="a", status="burning", **ok)]),
            "landfill",
            "field 'status': feature 1 has values that are not allowed",
        ),
        (
            "negative_accuracy",
            write_fc(tmp / "acc.geojson", [feature(PT, name="x", source="s", accuracy_m=-3)]),
            "schools",
            "field 'accuracy_m': feature 1 is outside the allowed range",
        ),
        (
            "unknown_layer",
            write_fc(tmp / "any.geojson", [feature(PT, name="x", **ok)]),
            "no_such_layer",
            "no_such_layer",
        ),
    ]


def cases(tmp: Path) -> list[tuple[str, Path, str, dict, str]]:
    out = []
    for cid, path, kwargs, fragment in make_broken_inputs(tmp):
        kw = dict(kwargs)
        if "layer" in kw:
            kw["source_layer"] = kw.pop("layer")
        out.append((cid, path, "schools", kw, fragment))
    for cid, path, layer, fragment in rule_breakers(tmp):
        out.append((cid, path, layer, {}, fragment))
    return out


def test_corpus_is_large_enough(tmp_path: Path) -> None:
    ids = [c[0] for c in cases(tmp_path)]
    assert len(set(ids)) == len(ids) >= 25


def test_every_broken_input_refused_and_workspace_unchanged(template: Path, tmp_path: Path) -> None:
    ws_path = tmp_path / "ws.gpkg"
    shutil.copy(template, ws_path)
    ws = Workspace(ws_path)
    before = snapshot(ws)
    n_log = len(ws.import_log())
    failures = []
    corpus = cases(tmp_path / "corpus")
    for cid, path, layer, kwargs, fragment in corpus:
        try:
            ws.import_file(path, layer=layer, **kwargs)
        except PataGisError as exc:
            msg = str(exc)
            if path.name not in msg and layer != "no_such_layer":
                failures.append(f"{cid}: message does not name the file: {msg}")
            if fragment not in msg:
                failures.append(f"{cid}: expected {fragment!r} in: {msg}")
        except Exception as exc:  # anything else is a crash, not a clear error
            failures.append(f"{cid}: {type(exc).__name__}: {exc}")
        else:
            failures.append(f"{cid}: was accepted")
    assert not failures, "\n".join(failures)
    ws = Workspace(ws_path)
    assert_unchanged(before, snapshot(ws))
    log = ws.import_log()
    # every refusal that reached a layer is in the import log
    assert len(log) >= n_log + len(corpus) - 1
    assert set(log["outcome"].iloc[n_log:]) == {"refused"}
    # the workspace is still a plain, readable GeoPackage
    assert len(gpd.read_file(ws_path, layer="settlements")) == 4
