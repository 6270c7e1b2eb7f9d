"""The layer catalogue: one TOML spec per layer.

A spec says what a layer is (titles in Romanian, English and Hungarian), its
geometry type, its fields and their types, how sensitive it is, how it is drawn
and where its data comes from. Every feature of every layer also carries the
fields ``source`` (text: where this feature comes from) and ``accuracy_m``
(number: how far, in metres, the drawn position may be from the real one).

Examples
--------
>>> from pata_gis.specs import load_catalogue
>>> cat = load_catalogue()
>>> cat["settlements"].geometry
'polygon'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pata_gis import settings
from pata_gis._errors import InputError

__all__ = [
    "COMMON_FIELDS",
    "SENSITIVITY_LEVELS",
    "FieldSpec",
    "LayerSpec",
    "Sensitivity",
    "load_catalogue",
    "load_spec",
]

Sensitivity = Literal["public", "restricted", "confidential"]
#: Sensitivity levels from the least to the most protected.
SENSITIVITY_LEVELS: tuple[str, ...] = ("public", "restricted", "confidential")
GEOMETRIES = ("point", "line", "polygon")
FIELD_TYPES = ("str", "int", "float", "bool", "date")


@dataclass(frozen=True)
class FieldSpec:
    """One attribute field of a layer.

    Attributes
    ----------
    name : str
        Column name.
    type : {"str", "int", "float", "bool", "date"}
        The value type.
    required : bool
        Whether every feature must have a value.
    choices : tuple of str, optional
        The allowed values (for text fields).
    min, max : float, optional
        Allowed range (for numbers).
    title : dict
        Label by language code.
    """

    name: str
    type: str = "str"
    required: bool = False
    choices: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None
    title: dict[str, str] = field(default_factory=dict)


#: Fields every feature of every layer carries.
COMMON_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "source",
        "str",
        required=True,
        title={"ro": "Sursă", "en": "Source", "hu": "Forrás"},
    ),
    FieldSpec(
        "accuracy_m",
        "float",
        required=True,
        min=0.0,
        title={"ro": "Precizie (m)", "en": "Accuracy (m)", "hu": "Pontosság (m)"},
    ),
)


@dataclass(frozen=True)
class LayerSpec:
    """What a layer is and what its features must carry.

    Attributes
    ----------
    name : str
        Layer name (also the table name in a workspace).
    geometry : {"point", "line", "polygon"}
        Geometry family; single and multi parts are both accepted.
    sensitivity : {"public", "restricted", "confidential"}
        Who may see the features unmasked.
    title, description : dict
        Text by language code (``ro``, ``en``, ``hu``).
    fields : tuple of FieldSpec
        The layer's own fields followed by :data:`COMMON_FIELDS`.
    style : dict
        Map style (``color``, ``fill_color``, ``fill_opacity``, ``weight``,
        ``radius``, ``icon``, ``dash_array``).
    source : dict
        Layer-level provenance (``name``, ``url``, ``license``, ``attribution``,
        ``accuracy``).
    bundled : Path or None
        The starter data file beside the spec, if any.
    path : Path or None
        The spec file.
    """

    name: str
    geometry: str
    sensitivity: str = "public"
    title: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    fields: tuple[FieldSpec, ...] = COMMON_FIELDS
    style: dict[str, Any] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    bundled: Path | None = None
    path: Path | None = None

    def field(self, name: str) -> FieldSpec:
        """Return the spec of field `name` (KeyError if the layer has none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"layer {self.name!r} has no field {name!r}")

    @property
    def field_names(self) -> list[str]:
        """Names of every field, in spec order."""
        return [f.name for f in self.fields]

    def label(self, lang: str | None = None) -> str:
        """The layer title in `lang` (falls back to Romanian, then the name)."""
        lang = lang or settings.language
        return self.title.get(lang) or self.title.get("ro") or self.name

    @property
    def is_public(self) -> bool:
        """True when anyone may see the features unmasked."""
        return self.sensitivity == "public"


def _fail(path: Path, msg: str) -> InputError:
    return InputError(f"{path}: {msg}")


def load_spec(path: str | Path) -> LayerSpec:
    """Read one layer spec from a TOML file.

    Parameters
    ----------
    path : str or Path
        The ``.toml`` spec.

    Returns
    -------
    LayerSpec

    Raises
    ------
    InputError
        When the file is not valid TOML or a key has a wrong value; the
        message names the file and the key.
    """
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, f"not a valid TOML spec ({exc}); fix the syntax") from exc
    name = raw.get("name", path.stem)
    geometry = raw.get("geometry")
    if geometry not in GEOMETRIES:
        raise _fail(path, f"'geometry' must be one of {GEOMETRIES}, got {geometry!r}")
    sensitivity = raw.get("sensitivity", "public")
    if sensitivity not in SENSITIVITY_LEVELS:
        raise _fail(path, f"'sensitivity' must be one of {SENSITIVITY_LEVELS}, got {sensitivity!r}")
    own: list[FieldSpec] = []
    for fname, fdef in raw.get("fields", {}).items():
        ftype = fdef.get("type", "str")
        if ftype not in FIELD_TYPES:
            raise _fail(path, f"field {fname!r}: 'type' must be one of {FIELD_TYPES}")
        choices = fdef.get("choices")
        own.append(
            FieldSpec(
                name=fname,
                type=ftype,
                required=bool(fdef.get("required", False)),
                choices=tuple(choices) if choices is not None else None,
                min=fdef.get("min"),
                max=fdef.get("max"),
                title=dict(fdef.get("title", {})),
            )
        )
    common = {f.name for f in COMMON_FIELDS}
    own = [f for f in own if f.name not in common]
    bundled = raw.get("bundled")
    bundled_path = (path.parent / bundled) if bundled else None
    return LayerSpec(
        name=name,
        geometry=geometry,
        sensitivity=sensitivity,
        title=dict(raw.get("title", {})),
        description=dict(raw.get("description", {})),
        fields=tuple(own) + COMMON_FIELDS,
        style=dict(raw.get("style", {})),
        source=dict(raw.get("source", {})),
        bundled=bundled_path,
        path=path,
    )


def load_catalogue(directory: str | Path | None = None) -> dict[str, LayerSpec]:
    """Read every ``*.toml`` spec of a catalogue folder.

    Parameters
    ----------
    directory : str or Path, optional
        The folder; default :data:`pata_gis.settings.catalogue_dir`.

    Returns
    -------
    dict
        Layer name -> :class:`LayerSpec`, in file-name order.
    """
    directory = Path(directory) if directory is not None else settings.catalogue_dir
    if not directory.is_dir():
        raise InputError(
            f"{directory}: the layer catalogue folder does not exist; "
            "pass the folder holding the *.toml specs"
        )
    specs = [load_spec(p) for p in sorted(directory.glob("*.toml"))]
    return {s.name: s for s in specs}
