"""layers.validate: repairs are reported, what cannot be repaired is refused."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from pata_gis._errors import CRSError, ValidationError
from pata_gis.layers import empty_frame, normalise_text, validate
from pata_gis.specs import COMMON_FIELDS, FieldSpec, LayerSpec

SETTLEMENTS = LayerSpec(
    name="settlements",
    geometry="polygon",
    fields=(
        FieldSpec("name", "str", required=True),
        FieldSpec("households", "int", min=0),
        FieldSpec("status", "str", choices=("active", "closed")),
        FieldSpec("lit", "bool"),
        FieldSpec("surveyed", "date"),
        *COMMON_FIELDS,
    ),
)
X0, Y0 = 23.684, 46.769  # Pata Rât (ro.wikipedia)


def square(dx=0.0, size=0.001):
    x, y = X0 + dx, Y0
    return Polygon([(x, y), (x + size, y), (x + size, y + size), (x, y + size)])


def frame(**cols):
    geometry = cols.pop("geometry")
    n = len(geometry)
    base = {"name": [f"n{i}" for i in range(n)], "source": ["test"] * n, "accuracy_m": [10.0] * n}
    base.update(cols)
    return gpd.GeoDataFrame(base, geometry=geometry, crs="EPSG:4326")


def test_clean_frame_passes_without_changes():
    g = frame(geometry=[square(), square(0.01)])
    out, rep = validate(g, SETTLEMENTS)
    assert rep.ok, str(rep)
    assert list(out.columns) == [*SETTLEMENTS.field_names, "geometry"]
    assert len(out) == 2 and out.crs.to_epsg() == 4326
    assert str(out["households"].dtype) == "Int64"


def test_types_converted_and_reported():
    g = frame(
        geometry=[square(), square(0.01), square(0.02)],
        households=["12", "3,0", None],
        lit=["da", "nu", "yes"],
        surveyed=["2024-05-01", "1 June 2024", None],
        accuracy_m=["50", 25, 10.5],
    )
    out, rep = validate(g, SETTLEMENTS)
    assert out["households"].tolist()[:2] == [12, 3] and out["households"].isna().iloc[2]
    assert out["lit"].tolist() == [True, False, True]
    assert out["surveyed"].tolist()[:2] == ["2024-05-01", "2024-06-01"]
    assert out["accuracy_m"].tolist() == [50.0, 25.0, 10.5]
    joined = "\n".join(rep.changes)
    assert "field 'households': 2 values converted to int" in joined
    assert "field 'lit': 3 values converted to bool" in joined


def test_cedilla_normalised_in_fields_and_extra_columns():
    g = frame(geometry=[square()], name=["Strada Ţiglarilor, Şomcuta"], extra=["Piaţa"])
    out, rep = validate(g, SETTLEMENTS)
    assert out["name"].iloc[0] == "Strada Țiglarilor, Șomcuta"
    assert out["extra"].iloc[0] == "Piața"
    assert normalise_text("ş ţ Ş Ţ") == "ș ț Ș Ț"
    assert any("extra" in w for w in rep.warnings)  # extra columns are kept and named


def test_field_names_matched_ignoring_case():
    g = frame(geometry=[square()]).rename(columns={"name": "Name", "source": "SOURCE"})
    out, rep = validate(g, SETTLEMENTS)
    assert out["name"].iloc[0] == "n0" and out["source"].iloc[0] == "test"
    assert "'Name' -> 'name'" in rep.changes[0]


def test_choices_matched_ignoring_case_else_refused():
    out, _ = validate(frame(geometry=[square()], status=["Active"]), SETTLEMENTS)
    assert out["status"].iloc[0] == "active"
    with pytest.raises(
        ValidationError,
        match=r"field 'status': feature 1 has values that are not allowed \('open'\); use one of: active, closed",
    ):
        validate(frame(geometry=[square()], status=["open"]), SETTLEMENTS)


def test_every_problem_listed_at_once_and_input_untouched():
    g = frame(
        geometry=[square(), Point(X0, Y0), square(0.02)],
        households=["lots", "2", "-4"],
        name=["a", None, "c"],
    )
    before = g.copy()
    with pytest.raises(ValidationError) as err:
        validate(g, SETTLEMENTS, name="marks.geojson")
    msg = str(err.value)
    assert msg.startswith("marks.geojson: 4 problem(s)")
    assert "field 'households': feature 1 cannot be read as int ('lots')" in msg
    assert "field 'households': feature 3 is outside the allowed range 0 to inf" in msg
    assert "field 'name': feature 2 has no value; it is required" in msg
    assert "feature 2 is Point but layer 'settlements' holds polygon features" in msg
    assert len(err.value.problems) == 4
    assert_geodataframe_equal(g, before)


def test_missing_required_field_refused_unless_defaults_given():
    g = frame(geometry=[square()]).drop(columns=["source"])
    with pytest.raises(ValidationError, match="field 'source' is missing; add a column 'source'"):
        validate(g, SETTLEMENTS)
    out, rep = validate(g, SETTLEMENTS, defaults={"source": "workshop Dallas 2026-11-25"})
    assert out["source"].iloc[0] == "workshop Dallas 2026-11-25"
    assert "field 'source' added" in rep.changes[0]


def test_self_intersecting_polygon_repaired_with_make_valid_not_buffer0():
    # bow-tie: buffer(0) keeps only one of the two triangles; make_valid keeps both
    d = 0.001
    bowtie = Polygon([(X0, Y0), (X0 + d, Y0 + d), (X0 + d, Y0), (X0, Y0 + d)])
    assert bowtie.buffer(0).area == pytest.approx(d * d / 4)  # what we must not do
    out, rep = validate(frame(geometry=[bowtie]), SETTLEMENTS)
    g = out.geometry.iloc[0]
    assert g.is_valid and isinstance(g, MultiPolygon) and len(g.geoms) == 2
    assert g.area == pytest.approx(d * d / 2, rel=1e-9)
    assert "feature 1: invalid geometry (Self-intersection" in rep.changes[0]
    assert "make_valid" in rep.changes[0]


def test_polygon_collapsed_to_a_line_is_refused():
    flat = Polygon([(X0, Y0), (X0 + 0.001, Y0), (X0 + 0.002, Y0), (X0, Y0)])
    with pytest.raises(ValidationError, match="cannot be repaired without losing it; redraw it"):
        validate(frame(geometry=[flat]), SETTLEMENTS)


def test_empty_and_duplicate_geometries():
    g = frame(
        geometry=[square(), square(), None, Polygon(), square(0.01)],
        name=["a", "a", "b", "c", "a"],
    )
    out, rep = validate(g, SETTLEMENTS)
    assert out["name"].tolist() == ["a", "a"] and len(out) == 2
    joined = "\n".join(rep.changes)
    assert "features 3, 4 without geometry removed" in joined
    assert "feature 2 removed: exact duplicates" in joined
    # same geometry, other attributes: kept with a warning
    g2 = frame(geometry=[square(), square()], name=["a", "b"])
    out2, rep2 = validate(g2, SETTLEMENTS)
    assert len(out2) == 2 and "share the same geometry" in rep2.warnings[0]


def test_nan_coordinates_refused():
    pts = LayerSpec(name="schools", geometry="point", fields=COMMON_FIELDS)
    g = gpd.GeoDataFrame(
        {"source": ["s", "s"], "accuracy_m": [1, 1]},
        geometry=[Point(X0, Y0), Point(np.nan, np.nan)],
        crs="EPSG:4326",
    )
    with pytest.raises(
        ValidationError, match=r"feature 2 has missing \(NaN\) or infinite coordinates"
    ):
        validate(g, pts)


def test_crs_refusals_propagate():
    g = frame(geometry=[square()]).set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="no coordinate reference system"):
        validate(g, SETTLEMENTS, name="s.shp")


def test_reprojects_to_display_crs():
    g = frame(geometry=[square()]).to_crs("EPSG:3844")
    out, _ = validate(g, SETTLEMENTS)
    assert out.crs.to_epsg() == 4326
    assert out.geometry.iloc[0].equals_exact(square(), tolerance=1e-7)


def test_empty_layer_refused_unless_allowed():
    g = frame(geometry=[])
    with pytest.raises(ValidationError, match="the layer is empty"):
        validate(g, SETTLEMENTS, name="e.geojson")
    out, _ = validate(g, SETTLEMENTS, allow_empty=True)
    assert len(out) == 0


def test_line_layer_accepts_multi_and_flattens_collections():
    roads = LayerSpec(name="roads", geometry="line", fields=COMMON_FIELDS)
    line = LineString([(X0, Y0), (X0 + 0.01, Y0)])
    coll = shapely.GeometryCollection([line, LineString([(X0, Y0 + 0.01), (X0, Y0 + 0.02)])])
    g = gpd.GeoDataFrame(
        {"source": ["s", "s"], "accuracy_m": [5, 5]}, geometry=[line, coll], crs=4326
    )
    out, rep = validate(g, roads)
    assert out.geometry.iloc[1].geom_type == "MultiLineString"
    assert "geometry collection turned into a multi-line" in rep.changes[-1]


def test_empty_frame_has_typed_fields():
    e = empty_frame(SETTLEMENTS)
    assert list(e.columns) == [*SETTLEMENTS.field_names, "geometry"]
    assert str(e["households"].dtype) == "Int64" and e.crs.to_epsg() == 4326


def test_bool_read_back_as_float_with_gaps():
    # geopandas reads a true/false/empty column from GeoJSON as 1.0/0.0/NaN
    g = frame(geometry=[square(), square(0.01), square(0.02)], lit=[1.0, 0.0, np.nan])
    out, _ = validate(g, SETTLEMENTS)
    assert out["lit"].tolist()[:2] == [True, False] and out["lit"].isna().iloc[2]
    with pytest.raises(ValidationError, match="field 'lit': feature 1 cannot be read as bool"):
        validate(frame(geometry=[square()], lit=[2.0]), SETTLEMENTS)
