"""The workspace: one GeoPackage holding every layer, its history and its catalogue.

A workspace is a single standard GeoPackage file (it opens in QGIS or with
``geopandas.read_file``) holding

* every layer of the catalogue as an ordinary GeoPackage feature table named
  after the layer, in EPSG:4326;
* ``pata_specs``: the TOML text of every layer spec and its sensitivity, so the
  file is self-contained and remembers its catalogue;
* ``pata_history``: one row per saved version of a layer (who, when, what, how
  many features) with the *full* content of that version as GeoParquet bytes
  (or a zlib-compressed one-layer GeoPackage when ``pyarrow`` is missing);
* ``pata_import_log``: every file import, accepted or refused, with its
  validation report;
* ``pata_meta``: the format version of the workspace;
* ``pata_scenarios``: the saved resettlement scenarios (allocations
  ``group -> site, n_households``), every version kept; created on the first
  :meth:`Workspace.save_scenario`, so older workspaces open unchanged;
* ``pata_audit``: the audit log of exports of sensitive layers (who, when,
  which layer, at which privacy level, to which file, how many features, the
  file's SHA-256), append-only (:meth:`Workspace.record_audit`,
  :meth:`Workspace.audit_log`); created on the first record. It travels with
  the file, so a copy of the workspace keeps its audit trail. An older
  ``<workspace>.audit.jsonl`` found beside the file is imported when the
  workspace is opened (see :meth:`Workspace.import_audit_jsonl`).

The ``pata_*`` tables are registered as GeoPackage *attribute* tables, so they
also open in QGIS as plain tables.

Saving is atomic and safe against concurrent writers
----------------------------------------------------
GDAL replaces a layer in several SQL statements (drop table, create table,
insert batches, rebuild the spatial index), so a process killed half-way would
leave a broken or missing layer. Every change is therefore made on a copy:

1. an exclusive ``fcntl.flock`` on the sidecar file ``<workspace>.lock``
   serialises writers (the kernel drops the lock when a process dies, so a lock
   is never stale);
2. under the lock the current file is copied to a hidden temporary file in the
   same folder with the SQLite online-backup API (a consistent snapshot, even
   of a file in WAL mode left by QGIS);
3. the change is applied to the copy (``pyogrio`` writes the layer, ``sqlite3``
   the ``pata_*`` rows, all of one change together), the copy is ``fsync``-ed,
   then ``os.replace``-d over the workspace and the folder is ``fsync``-ed.

Readers never take the lock: ``os.replace`` is atomic, so a reader opens either
the old or the new complete file. Because every writer re-reads the current
file under the lock, two processes appending at the same time both keep their
features. Temporary files left by killed writers are removed when the
workspace is opened or written. The cost is a copy of the file per save, which
is small next to the GDAL write itself: on a 2-core test machine a save of
1,000 features took about 0.04 s, of 20,000 features 0.2-0.5 s (of which the
copy of a 10 MB workspace 0.03 s). Writing the layer in place instead was
measured to leave an unreadable file or an empty layer in 10 of 12 kills.

Limits: a program that keeps the file open for editing (QGIS) goes on editing
the replaced copy, so close the layers there before saving from pata-gis (and
reopen them after). ``flock`` is unreliable on some network shares; keep a
workspace on a local disk. Without ``fcntl`` (Windows) saves are not locked.

History stores the full content of each version, never a diff: any version
reads back on its own, and a damaged row cannot spoil the versions after it.
GeoParquet keeps the column types exactly, so ``read(name, version=v)`` of the
latest version equals ``read(name)``.

Examples
--------
>>> from pata_gis.workspace import Workspace
>>> ws = Workspace.create("data/workspace.gpkg")  # doctest: +SKIP
>>> ws.info()[["name", "n_features", "version"]]  # doctest: +SKIP
>>> v = ws.append("risk_marks", drawn, author="workshop Dallas")  # doctest: +SKIP
>>> ws.restore("risk_marks", v - 1)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import getpass
import io
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import time
import unicodedata
import uuid
import warnings
import zlib
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from pata_gis import __version__, settings
from pata_gis import io as _io
from pata_gis import layers as _layers
from pata_gis._errors import InputError, WorkspaceError
from pata_gis.layers import ValidationReport
from pata_gis.messages import note
from pata_gis.specs import LayerSpec, load_catalogue, load_spec

try:  # fcntl is POSIX only; see _lock()
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "AUDIT_COLUMNS",
    "AUDIT_IMPORTS_KEY",
    "FORMAT_VERSION",
    "MAX_SCENARIO_NAME",
    "SCENARIO_COLUMNS",
    "Purged",
    "Workspace",
    "check_scenario_name",
    "open_or_create",
]

log = logging.getLogger(__name__)

#: Version of the workspace layout written into ``pata_meta``.
FORMAT_VERSION = 1

Progress = Callable[[str, int, int], None]

_SPECS = "pata_specs"
_HISTORY = "pata_history"
_IMPORTS = "pata_import_log"
_META = "pata_meta"
_SCENARIOS = "pata_scenarios"
_AUDIT = "pata_audit"
#: ``pata_meta`` key listing the imports of ``<workspace>.audit.jsonl`` (JSON list).
AUDIT_IMPORTS_KEY = "audit_jsonl_imports"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_GEOMETRY_TYPES = {"point": "Point", "line": "LineString", "polygon": "Polygon"}

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_META} (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    value TEXT
);
CREATE TABLE IF NOT EXISTS {_SPECS} (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    sensitivity TEXT NOT NULL,
    spec_file TEXT,
    toml TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS {_HISTORY} (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    layer TEXT NOT NULL,
    version INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    author TEXT,
    action TEXT NOT NULL,
    message TEXT,
    n_features INTEGER NOT NULL,
    format TEXT NOT NULL,
    content BLOB NOT NULL,
    UNIQUE (layer, version)
);
CREATE TABLE IF NOT EXISTS {_IMPORTS} (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    logged_at TEXT NOT NULL,
    file TEXT NOT NULL,
    layer TEXT NOT NULL,
    mode TEXT NOT NULL,
    n_features INTEGER,
    outcome TEXT NOT NULL,
    author TEXT,
    report TEXT
);
"""

_HISTORY_COLUMNS = ["version", "saved_at", "author", "action", "message", "n_features"]
_IMPORT_COLUMNS = [
    "logged_at",
    "file",
    "layer",
    "mode",
    "n_features",
    "outcome",
    "author",
    "report",
]
_SCENARIO_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_SCENARIOS} (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    saved_at TEXT NOT NULL,
    author TEXT,
    action TEXT NOT NULL,
    note TEXT,
    n_rows INTEGER NOT NULL,
    n_households INTEGER NOT NULL,
    allocation TEXT NOT NULL,
    UNIQUE (name, version)
);
"""
_AUDIT_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {_AUDIT} (
    fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    recorded_at TEXT NOT NULL,
    when_utc TEXT,
    who TEXT,
    role TEXT,
    layer TEXT,
    sensitivity TEXT,
    level TEXT,
    n_features INTEGER,
    destination TEXT,
    sha256 TEXT,
    params TEXT,
    record TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS {_AUDIT}_no_update BEFORE UPDATE ON {_AUDIT}
BEGIN SELECT RAISE(ABORT, '{_AUDIT} is append-only: audit records are never changed'); END;
CREATE TRIGGER IF NOT EXISTS {_AUDIT}_no_delete BEFORE DELETE ON {_AUDIT}
BEGIN SELECT RAISE(ABORT, '{_AUDIT} is append-only: audit records are never deleted'); END;
"""
#: Columns of :meth:`Workspace.audit_log`.
AUDIT_COLUMNS: tuple[str, ...] = (
    "when_utc",
    "who",
    "role",
    "layer",
    "sensitivity",
    "level",
    "n_features",
    "destination",
    "sha256",
    "params",
    "source",
    "recorded_at",
)
#: Columns of a scenario allocation, as :class:`pata_gis.scenarios.Scenario` takes them.
SCENARIO_COLUMNS: tuple[str, ...] = ("group", "site", "n_households")
#: Longest scenario name accepted (characters).
MAX_SCENARIO_NAME = 80
#: Longest scenario note accepted (characters).
MAX_SCENARIO_NOTE = 2000
_SCENARIO_LIST_COLUMNS = [
    "name",
    "version",
    "saved_at",
    "author",
    "note",
    "n_rows",
    "n_households",
]
_SCENARIO_HISTORY_COLUMNS = [
    "version",
    "saved_at",
    "author",
    "action",
    "note",
    "n_rows",
    "n_households",
]
_INFO_COLUMNS = [
    "name",
    "title_ro",
    "title_en",
    "n_features",
    "sensitivity",
    "source",
    "version",
    "updated_at",
]


# --------------------------------------------------------------------------- helpers


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _default_author() -> str:
    try:
        return os.environ.get("PATA_GIS_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):  # no user name in containers without passwd entry
        return "unknown"


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


def _connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only SQLite connection (never creates or modifies the file)."""
    uri = path.resolve().as_uri() + "?mode=ro"  # percent-encodes spaces, %, ?, #
    return sqlite3.connect(uri, uri=True, timeout=30)


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _encode(frame: gpd.GeoDataFrame) -> tuple[str, bytes]:
    """Serialise a layer version for ``pata_history``.

    GeoParquet keeps every column type exactly (nullable integers, booleans,
    text, missing values) and is 3x faster and smaller than a GeoPackage blob;
    ``pyarrow`` comes with the app (streamlit needs it). Without it a
    zlib-compressed one-layer GeoPackage is used; the row records which.
    """
    buf = io.BytesIO()
    if _has_pyarrow():
        frame.to_parquet(buf, compression="zstd", index=False)
        return "geoparquet", buf.getvalue()
    pyogrio.write_dataframe(frame, buf, layer="version", driver="GPKG")
    return "gpkg+zlib", zlib.compress(buf.getvalue(), 6)


def _decode(fmt: str, content: bytes) -> gpd.GeoDataFrame:
    if fmt == "geoparquet":
        return gpd.read_parquet(io.BytesIO(content))
    if fmt == "gpkg+zlib":
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*non conformant file extension.*")
            return pyogrio.read_dataframe(io.BytesIO(zlib.decompress(content)))
    raise WorkspaceError(
        f"a history version is stored as {fmt!r}, which this pata-gis cannot read; update pata-gis"
    )


def _conform(frame: gpd.GeoDataFrame, spec: LayerSpec) -> gpd.GeoDataFrame:
    """Give the spec's fields their types after a read.

    GDAL returns an integer column with missing values as float and a boolean
    one as float (1.0/NaN), and an empty text column as ``object``; this puts
    them back to ``Int64``, ``boolean`` and ``str`` so a layer reads the same
    whatever it holds. Columns that do not convert are left as stored.
    """
    frame = frame.copy()
    for fs in spec.fields:
        if fs.name not in frame.columns:
            continue
        col = frame[fs.name]
        try:
            if fs.type == "int":
                frame[fs.name] = col.astype("Int64")
            elif fs.type == "bool":
                frame[fs.name] = col.astype("boolean")
            elif fs.type == "float":
                frame[fs.name] = col.astype("float64")
            elif fs.type == "date" and pd.api.types.is_datetime64_any_dtype(col):
                frame[fs.name] = col.dt.strftime("%Y-%m-%d").astype("str")
            elif fs.type in ("str", "date") and col.dtype == object:
                frame[fs.name] = col.astype("str")
        except (TypeError, ValueError):
            log.debug("column %r of layer %r left as stored", fs.name, spec.name)
    for c in frame.columns:
        if c != frame.geometry.name and frame[c].dtype == object and len(frame) == 0:
            frame[c] = frame[c].astype("str")
    return frame


def _read_file(path: Path, **kwargs: Any) -> gpd.GeoDataFrame:
    """Read a data file with :func:`pata_gis.io.read`."""
    return _io.read(path, **kwargs)


def _spec_from_toml(name: str, text: str) -> LayerSpec:
    with tempfile.TemporaryDirectory(prefix="pata-spec-") as tmp:
        p = Path(tmp) / f"{name}.toml"
        p.write_text(text, encoding="utf-8")
        spec = load_spec(p)
    return dataclasses.replace(spec, name=name, path=None, bundled=None)


def _check_gpkg(path: Path) -> None:
    """Raise WorkspaceError unless `path` is an existing GeoPackage file."""
    if not path.exists():
        raise WorkspaceError(
            f"{path}: no such workspace file; create one with "
            f"Workspace.create({str(path)!r}) or check the path"
        )
    if not path.is_file():
        raise WorkspaceError(f"{path}: is a folder, not a workspace file; give the .gpkg file")
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot be read ({exc}); check its permissions") from exc
    if head != _SQLITE_MAGIC:
        raise WorkspaceError(
            f"{path}: is not a GeoPackage (not an SQLite database); "
            "open a .gpkg workspace made by pata-gis or create a new one with Workspace.create"
        )


def check_scenario_name(name: object) -> str:
    """Check a scenario name; return it without surrounding spaces.

    Parameters
    ----------
    name : str
        The name a planner gave the scenario.

    Returns
    -------
    str
        The name, stripped.

    Raises
    ------
    InputError
        When the name is empty, ``baseline`` (the status quo has that name),
        ends in `` - baseline`` (the comparison's difference columns), is longer
        than :data:`MAX_SCENARIO_NAME` characters or holds a line break or
        another control character; the message says how to fix it.
    """
    if not isinstance(name, str):
        raise InputError(f"scenario name {name!r}: must be text, e.g. 'Dallas to Marasti'")
    clean = name.strip()
    if not clean:
        raise InputError("scenario name: is empty; give the scenario a name, e.g. 'Dallas spread'")
    if clean.casefold() == "baseline" or clean.casefold().endswith(" - baseline"):
        raise InputError(
            f"scenario name {clean!r}: is reserved for the status quo and the comparison "
            "with it; choose another name"
        )
    if len(clean) > MAX_SCENARIO_NAME:
        raise InputError(
            f"scenario name {clean[:30]!r}...: has {len(clean)} characters, at most "
            f"{MAX_SCENARIO_NAME} are allowed; shorten it (put details in the note)"
        )
    bad = [c for c in clean if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]
    if bad:
        raise InputError(
            f"scenario name {clean!r}: holds a line break or control character "
            f"({bad[0]!r}); use a single line of ordinary text"
        )
    return clean


def _check_allocation(allocation: object, name: str) -> pd.DataFrame:
    """Check an allocation table and return it as stored (group, site, n_households)."""
    what = f"scenario {name!r}: allocation"
    if not isinstance(allocation, pd.DataFrame):
        raise InputError(
            f"{what}: must be a table (DataFrame) with columns "
            f"{', '.join(SCENARIO_COLUMNS)}, got {type(allocation).__name__}"
        )
    missing = [c for c in SCENARIO_COLUMNS if c not in allocation.columns]
    if missing:
        raise InputError(
            f"{what}: lacks the column(s) {', '.join(missing)}; it needs "
            f"{', '.join(SCENARIO_COLUMNS)} (found: {', '.join(map(str, allocation.columns))})"
        )
    problems: list[str] = []
    groups: list[str] = []
    sites: list[str] = []
    counts: list[int] = []
    # rows are numbered from 1: by an integer index (the data row of a CSV read with
    # pandas, also after rows were dropped), else by position
    index = allocation.index
    numbers = (
        [int(v) + 1 for v in index]
        if pd.api.types.is_integer_dtype(index.dtype)
        else list(range(1, len(allocation) + 1))
    )
    for i, g, s_, n in zip(
        numbers,
        allocation["group"].tolist(),
        allocation["site"].tolist(),
        allocation["n_households"].tolist(),
        strict=True,
    ):
        for field, value, out in (("group", g, groups), ("site", s_, sites)):
            if pd.isna(value) or not str(value).strip():
                problems.append(f"row {i}: {field} is empty; fill it in or remove the row")
            else:
                out.append(str(value))
        try:
            f = float(n)
        except (TypeError, ValueError):
            f = float("nan")
        if f != f or f < 0 or f != round(f) or f > 1e9:
            problems.append(f"row {i}: n_households {n!r} must be a whole number >= 0; correct it")
        else:
            counts.append(int(f))
    if problems:
        shown = problems[:10]
        more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise InputError(f"{what} cannot be saved:\n  - " + "\n  - ".join(shown) + more)
    return pd.DataFrame(
        {
            "group": pd.Series(groups, dtype="str"),
            "site": pd.Series(sites, dtype="str"),
            "n_households": pd.Series(counts, dtype="int64"),
        }
    )


def _allocation_json(frame: pd.DataFrame) -> str:
    rows = [
        [g, s_, int(n)]
        for g, s_, n in zip(frame["group"], frame["site"], frame["n_households"], strict=True)
    ]
    return json.dumps({"columns": list(SCENARIO_COLUMNS), "rows": rows}, ensure_ascii=False)


def _allocation_from_json(text: str, where: str) -> pd.DataFrame:
    try:
        data = json.loads(text)
        rows = data["rows"]
        if data["columns"] != list(SCENARIO_COLUMNS):
            raise ValueError(f"columns {data['columns']}")
    except (ValueError, KeyError, TypeError) as exc:
        raise WorkspaceError(
            f"{where}: the stored allocation cannot be read ({exc}); read another version "
            "or update pata-gis"
        ) from exc
    return pd.DataFrame(
        {
            "group": pd.Series([str(r[0]) for r in rows], dtype="str"),
            "site": pd.Series([str(r[1]) for r in rows], dtype="str"),
            "n_households": pd.Series([int(r[2]) for r in rows], dtype="int64"),
        }
    )


# --------------------------------------------------------------------------- workspace


class Workspace:
    """A pata-gis workspace: layers, their history and catalogue in one GeoPackage.

    Parameters
    ----------
    path : str or Path
        An existing workspace file. Use :meth:`create` (or
        :func:`open_or_create`) to make a new one.
    lock_timeout : float
        Seconds a save waits for another process's save to finish before
        giving up with :class:`WorkspaceError`.

    Attributes
    ----------
    path : Path
        The GeoPackage file.

    Raises
    ------
    WorkspaceError
        When the file is missing, is not a GeoPackage, or is a GeoPackage
        without the pata-gis tables; the message says what to do.
    """

    path: Path

    def __init__(self, path: str | Path, *, lock_timeout: float = 120.0) -> None:
        # resolved, so that saving through a symbolic link replaces its target
        self.path = Path(path).expanduser().resolve()
        self.lock_timeout = float(lock_timeout)
        _check_gpkg(self.path)
        self._cleanup_temps()
        self._specs = self._load_specs()
        self.import_audit_jsonl()

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r}, {len(self._specs)} layers)"

    # ---------------------------------------------------------------- creation

    @classmethod
    def create(
        cls,
        path: str | Path,
        *,
        catalogue_dir: str | Path | None = None,
        starter: bool = True,
        overwrite: bool = False,
        author: str | None = None,
        progress: Progress | None = None,
    ) -> Workspace:
        """Make a new workspace holding every layer of the catalogue.

        Each bundled starter layer is read with :func:`pata_gis.io.read`,
        checked with :func:`pata_gis.layers.validate` and saved as version 1
        (action ``"init"``; the load is also written to the import log).
        Layers without bundled data are created empty, with their fields and
        geometry type, also as version 1.

        Parameters
        ----------
        path : str or Path
            The new ``.gpkg`` file; its folder is created if needed.
        catalogue_dir : str or Path, optional
            Folder of ``*.toml`` specs; default
            :data:`pata_gis.settings.catalogue_dir`.
        starter : bool
            Load the bundled starter data (default). ``False`` makes every
            layer empty.
        overwrite : bool
            Replace an existing file at `path` (atomically). Default: refuse.
        author : str, optional
            Recorded in the history; default the user name.
        progress : callable, optional
            Called as ``progress(message, step, total)`` once per layer.

        Returns
        -------
        Workspace

        Raises
        ------
        WorkspaceError
            When `path` exists and `overwrite` is false, or the catalogue is
            empty or uses a reserved name.
        InputError, ValidationError
            When a spec or a bundled layer is broken (naming the file); nothing
            is written then.
        """
        path = Path(path).expanduser().resolve()
        catalogue = load_catalogue(catalogue_dir)
        if not catalogue:
            where = catalogue_dir if catalogue_dir is not None else settings.catalogue_dir
            raise WorkspaceError(
                f"{where}: the catalogue holds no *.toml layer spec; "
                "pass the folder holding the specs as catalogue_dir"
            )
        for name in catalogue:
            if name.lower().startswith("pata_") or name.lower().startswith("gpkg_"):
                raise WorkspaceError(
                    f"layer name {name!r} is reserved (pata_* and gpkg_* are internal tables); "
                    "rename the layer in its spec"
                )
        if path.exists() and not overwrite:
            raise WorkspaceError(
                f"{path}: already exists; open it with Workspace({str(path)!r}) "
                "or pass overwrite=True to replace it"
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        who = author or _default_author()
        # Read and check everything before taking the lock or touching the disk.
        frames: dict[str, gpd.GeoDataFrame] = {}
        loads: dict[str, tuple[Path, ValidationReport]] = {}
        total = len(catalogue)
        for step, (name, spec) in enumerate(catalogue.items(), start=1):
            if progress is not None:
                progress(f"layer {name}", step, total)
            if starter and spec.bundled is not None:
                raw = _read_file(spec.bundled)
                frame, report = _layers.validate(
                    raw, spec, name=spec.bundled.name, allow_empty=True
                )
                loads[name] = (spec.bundled, report)
            else:
                frame = _layers.empty_frame(spec)
            frames[name] = _free_reserved_names(frame, name)

        ws = cls.__new__(cls)
        ws.path = path
        ws.lock_timeout = 120.0
        with ws._lock():
            ws._cleanup_temps(locked=True)
            if path.exists() and not overwrite:  # created meanwhile by another process
                raise WorkspaceError(
                    f"{path}: already exists; open it with Workspace({str(path)!r}) "
                    "or pass overwrite=True to replace it"
                )
            tmp = ws._temp_path()
            try:
                stored: dict[str, gpd.GeoDataFrame] = {}
                for name, spec in catalogue.items():
                    stored[name] = ws._write_layer(tmp, name, frames[name], spec)
                with contextlib.closing(sqlite3.connect(tmp)) as con:
                    ws._init_tables(con)
                    now = _now()
                    for pos, (name, spec) in enumerate(catalogue.items()):
                        text = spec.path.read_text(encoding="utf-8") if spec.path else ""
                        con.execute(
                            f"INSERT INTO {_SPECS} (name, position, sensitivity, spec_file, toml) "
                            "VALUES (?, ?, ?, ?, ?)",
                            (
                                name,
                                pos,
                                spec.sensitivity,
                                spec.path.name if spec.path else None,
                                text,
                            ),
                        )
                        if name in loads:
                            src, report = loads[name]
                            message = f"starter data from {src.name}"
                            con.execute(
                                f"INSERT INTO {_IMPORTS} (logged_at, file, layer, mode, n_features, "
                                "outcome, author, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                (
                                    now,
                                    str(src),
                                    name,
                                    "replace",
                                    len(stored[name]),
                                    "ok",
                                    who,
                                    str(report),
                                ),
                            )
                        else:
                            message = "empty layer"
                        ws._insert_version(con, name, 1, stored[name], "init", who, message, now)
                    con.commit()
                if not ws.path.exists():
                    # residents' knowledge and confidential layers: owner only
                    tmp.chmod(0o600)
                ws._finish(tmp)
            except BaseException:
                ws._remove_temp(tmp)
                raise
        log.info("created workspace %s with %d layers", path, len(catalogue))
        return cls(path)

    @staticmethod
    def _init_tables(con: sqlite3.Connection) -> None:
        con.executescript(_SCHEMA)
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        for table, desc in (
            (_META, "pata-gis workspace metadata"),
            (_SPECS, "pata-gis layer catalogue (spec TOML per layer)"),
            (_HISTORY, "pata-gis layer history (full content of every version)"),
            (_IMPORTS, "pata-gis import log"),
        ):
            con.execute(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
                "description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
                (table, table, desc, now),
            )
        meta = {
            "format_version": str(FORMAT_VERSION),
            "created_at": _now(),
            "created_with": f"pata-gis {__version__}",
        }
        con.executemany(
            f"INSERT OR REPLACE INTO {_META} (key, value) VALUES (?, ?)", list(meta.items())
        )

    # ---------------------------------------------------------------- opening

    def _load_specs(self) -> dict[str, LayerSpec]:
        try:
            with contextlib.closing(_connect_ro(self.path)) as con:
                tables = {
                    r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                if "gpkg_contents" not in tables:
                    raise WorkspaceError(
                        f"{self.path}: is an SQLite database but not a GeoPackage "
                        "(no gpkg_contents table); open a .gpkg workspace made by pata-gis"
                    )
                missing = [t for t in (_SPECS, _HISTORY, _IMPORTS) if t not in tables]
                if missing:
                    raise WorkspaceError(
                        f"{self.path}: is a GeoPackage but not a pata-gis workspace "
                        f"(missing tables {', '.join(missing)}); create a workspace with "
                        "Workspace.create(...) and load its layers with import_file(...)"
                    )
                rows = con.execute(
                    f"SELECT name, toml FROM {_SPECS} ORDER BY position, name"
                ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(
                f"{self.path}: cannot be read as a GeoPackage ({exc}); the file is damaged "
                "or not a workspace; restore it from a copy or create a new one"
            ) from exc
        try:
            return {name: _spec_from_toml(name, text) for name, text in rows}
        except InputError as exc:
            raise WorkspaceError(
                f"{self.path}: a layer spec stored in the workspace is broken ({exc})"
            ) from exc

    # ---------------------------------------------------------------- catalogue

    def layer_names(self) -> list[str]:
        """Names of the layers, in catalogue order."""
        return list(self._specs)

    def spec(self, name: str) -> LayerSpec:
        """The spec of layer `name` as stored in the workspace.

        Raises
        ------
        WorkspaceError
            When the workspace has no such layer (the message lists them).
        """
        try:
            return self._specs[name]
        except KeyError:
            raise WorkspaceError(
                f"{self.path}: no layer {name!r}; the layers are: "
                f"{', '.join(self._specs) or '(none)'}"
            ) from None

    def specs(self) -> dict[str, LayerSpec]:
        """Every layer spec by name, in catalogue order."""
        return dict(self._specs)

    # ---------------------------------------------------------------- reading

    def read(self, name: str, *, version: int | None = None) -> gpd.GeoDataFrame:
        """Read a layer.

        Parameters
        ----------
        name : str
            The layer.
        version : int, optional
            A version from :meth:`history`; default the current one.

        Returns
        -------
        GeoDataFrame
            In EPSG:4326, the columns as stored (the spec's fields typed as
            the spec says), index 0..n-1.

        Raises
        ------
        WorkspaceError
            When the layer or the version does not exist.
        """
        spec = self.spec(name)
        if version is None:
            return self._read_layer(self.path, name, spec)
        with contextlib.closing(self._connect()) as con:
            row = con.execute(
                f"SELECT format, content FROM {_HISTORY} WHERE layer = ? AND version = ?",
                (name, int(version)),
            ).fetchone()
            if row is None:
                have = [
                    r[0]
                    for r in con.execute(
                        f"SELECT version FROM {_HISTORY} WHERE layer = ? ORDER BY version", (name,)
                    )
                ]
                raise WorkspaceError(
                    f"{self.path}: layer {name!r} has no version {version}; "
                    f"its versions are {_ranges(have)}"
                )
        return _conform(_decode(row[0], row[1]), spec)

    def info(self) -> pd.DataFrame:
        """One row per layer: what it is and its current state.

        Returns
        -------
        DataFrame
            Columns ``name``, ``title_ro``, ``title_en``, ``n_features``,
            ``sensitivity``, ``source`` (the spec's source name), ``version``
            and ``updated_at`` (UTC).
        """
        with contextlib.closing(self._connect()) as con:
            latest = {
                r[0]: (r[1], r[2], r[3])
                for r in con.execute(
                    f"SELECT h.layer, h.version, h.n_features, h.saved_at FROM {_HISTORY} h "
                    f"JOIN (SELECT layer, MAX(version) AS v FROM {_HISTORY} GROUP BY layer) m "
                    "ON h.layer = m.layer AND h.version = m.v"
                )
            }
        rows = []
        for name, spec in self._specs.items():
            version, n, at = latest.get(name, (None, None, None))
            rows.append(
                {
                    "name": name,
                    "title_ro": spec.title.get("ro", name),
                    "title_en": spec.title.get("en", spec.title.get("ro", name)),
                    "n_features": n,
                    "sensitivity": spec.sensitivity,
                    "source": spec.source.get("name"),
                    "version": version,
                    "updated_at": at,
                }
            )
        out = pd.DataFrame(rows, columns=_INFO_COLUMNS)
        out["n_features"] = out["n_features"].astype("Int64")
        out["version"] = out["version"].astype("Int64")
        out["updated_at"] = pd.to_datetime(out["updated_at"], utc=True, format="ISO8601")
        return out

    def history(self, name: str) -> pd.DataFrame:
        """The saved versions of a layer, oldest first.

        Returns
        -------
        DataFrame
            Columns ``version``, ``saved_at`` (UTC), ``author``, ``action``
            (``init``, ``import``, ``edit``, ``append``, ``restore``),
            ``message`` and ``n_features``.
        """
        self.spec(name)
        with contextlib.closing(self._connect()) as con:
            rows = con.execute(
                f"SELECT {', '.join(_HISTORY_COLUMNS)} FROM {_HISTORY} WHERE layer = ? "
                "ORDER BY version",
                (name,),
            ).fetchall()
        out = pd.DataFrame(rows, columns=_HISTORY_COLUMNS)
        out["version"] = out["version"].astype("int64")
        out["n_features"] = out["n_features"].astype("int64")
        out["saved_at"] = pd.to_datetime(out["saved_at"], utc=True, format="ISO8601")
        return out

    def import_log(self) -> pd.DataFrame:
        """Every import into the workspace, accepted or refused, oldest first.

        Returns
        -------
        DataFrame
            Columns ``logged_at`` (UTC), ``file``, ``layer``, ``mode``,
            ``n_features`` (saved features; missing when refused), ``outcome``
            (``ok`` or ``refused``), ``author`` and ``report`` (the validation
            report or the reason of the refusal).
        """
        with contextlib.closing(self._connect()) as con:
            rows = con.execute(
                f"SELECT {', '.join(_IMPORT_COLUMNS)} FROM {_IMPORTS} ORDER BY fid"
            ).fetchall()
        out = pd.DataFrame(rows, columns=_IMPORT_COLUMNS)
        out["n_features"] = out["n_features"].astype("Int64")
        out["logged_at"] = pd.to_datetime(out["logged_at"], utc=True, format="ISO8601")
        return out

    # ---------------------------------------------------------------- writing

    def write(
        self,
        name: str,
        gdf: gpd.GeoDataFrame,
        *,
        action: str = "edit",
        author: str | None = None,
        message: str | None = None,
        validate: bool = True,
    ) -> int:
        """Replace the content of a layer and record it as a new version.

        Parameters
        ----------
        name : str
            The layer.
        gdf : GeoDataFrame
            Its new content, in any plausible CRS.
        action : str
            What the change is, for the history (``edit``, ``import``, ...).
        author, message : str, optional
            Who made the change and why; `author` defaults to the user name.
        validate : bool
            Check and repair `gdf` with :func:`pata_gis.layers.validate`
            (default). With ``False`` it is only reprojected to EPSG:4326.

        Returns
        -------
        int
            The new version number.

        Raises
        ------
        ValidationError
            When `gdf` breaks the spec; nothing is saved.
        WorkspaceError
            When the layer does not exist or the file cannot be written.
        """
        spec = self.spec(name)
        frame = self._prepare(gdf, spec, validate=validate, allow_empty=True)
        return self._save(name, lambda _tmp: frame, action=action, author=author, message=message)

    def append(
        self,
        name: str,
        gdf: gpd.GeoDataFrame,
        *,
        action: str = "append",
        author: str | None = None,
        message: str | None = None,
        validate: bool = True,
    ) -> int:
        """Add features to a layer (a workshop drawing) as a new version.

        The current content is re-read under the write lock, so appends from
        several processes at once all survive. Parameters and errors as in
        :meth:`write`; the new features are validated on their own.

        Returns
        -------
        int
            The new version number.
        """
        spec = self.spec(name)
        new = self._prepare(gdf, spec, validate=validate, allow_empty=False)

        def combine(tmp: Path) -> gpd.GeoDataFrame:
            return _concat(self._read_layer(tmp, name, spec), new)

        return self._save(name, combine, action=action, author=author, message=message)

    def restore(
        self, name: str, version: int, *, author: str | None = None, message: str | None = None
    ) -> int:
        """Make an old version current again, as a new version.

        History is never deleted: the content of `version` is saved as a new
        version with action ``"restore"``.

        Returns
        -------
        int
            The new version number.
        """
        old = self.read(name, version=version)
        return self._save(
            name,
            lambda _tmp: old,
            action="restore",
            author=author,
            message=message or f"restored version {version}",
        )

    def import_file(
        self,
        path: str | Path,
        *,
        layer: str,
        author: str | None = None,
        mode: Literal["replace", "append"] = "replace",
        message: str | None = None,
        source_layer: str | None = None,
        defaults: Mapping[str, Any] | None = None,
        progress: Progress | None = None,
        **read_kwargs: Any,
    ) -> ValidationReport:
        """Read a file, check it against a layer's spec and save it.

        Parameters
        ----------
        path : str or Path
            GeoJSON, GeoPackage, Shapefile, KML, CSV, GPX... (see
            :func:`pata_gis.io.read`).
        layer : str
            The workspace layer to load it into.
        author, message : str, optional
            For the history and the import log.
        mode : {"replace", "append"}
            Replace the layer's features (default) or add to them.
        source_layer : str, optional
            The layer inside a multi-layer file (``layer`` of
            :func:`pata_gis.io.read`).
        defaults : mapping, optional
            Values for fields the file lacks, e.g. ``{"source": "survey 2026",
            "accuracy_m": 10}`` (see :func:`pata_gis.layers.validate`).
        progress : callable, optional
            Called as ``progress(message, step, total)`` for read, check, save.
        **read_kwargs
            Passed to :func:`pata_gis.io.read` (``crs``, ``encoding``).

        Returns
        -------
        ValidationReport
            What was repaired and noticed.

        Raises
        ------
        InputError, CRSError, ValidationError
            When the file cannot be read or breaks the spec. The refusal is
            written to the import log; the layers and their history are left
            unchanged.
        """
        spec = self.spec(layer)
        if mode not in ("replace", "append"):
            raise ValueError(f"mode must be 'replace' or 'append', got {mode!r}")
        src = Path(path)
        who = author or _default_author()

        def step(msg: str, i: int) -> None:
            if progress is not None:
                progress(msg, i, 3)

        try:
            step(note("step.reading", file=src.name), 1)
            raw = _read_file(src, layer=source_layer, **read_kwargs)
            step(note("step.checking", file=src.name, layer=layer), 2)
            frame, report = _layers.validate(raw, spec, name=src.name, defaults=defaults)
        except Exception as exc:
            log.info("import of %s into %s refused: %s", src, layer, exc)
            try:
                self._log_refusal(src, layer, mode, who, exc)
            except Exception as log_exc:  # pragma: no cover - read-only folder, full disk
                log.error("could not log the refused import: %s", log_exc)
            raise
        step(note("step.saving", layer=layer), 3)

        def build(tmp: Path) -> gpd.GeoDataFrame:
            if mode == "append":
                return _concat(self._read_layer(tmp, layer, spec), frame)
            return frame

        def log_ok(con: sqlite3.Connection, stored: gpd.GeoDataFrame) -> None:
            con.execute(
                f"INSERT INTO {_IMPORTS} (logged_at, file, layer, mode, n_features, outcome, "
                "author, report) VALUES (?, ?, ?, ?, ?, 'ok', ?, ?)",
                (_now(), str(src), layer, mode, len(frame), who, str(report)),
            )

        self._save(
            layer,
            build,
            action="import",
            author=who,
            message=message or f"{mode} from {src.name}",
            extra=log_ok,
        )
        log.info("imported %s into %s: %s", src, layer, report)
        return report

    # ---------------------------------------------------------------- scenarios

    def _scenario_rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of ``pata_scenarios`` (none when the table does not exist yet)."""
        with contextlib.closing(self._connect()) as con:
            exists = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_SCENARIOS,)
            ).fetchone()
            if exists is None:
                return []
            return con.execute(sql, params).fetchall()

    def scenarios(self) -> pd.DataFrame:
        """The saved scenarios (deleted ones left out), in the order first saved.

        Returns
        -------
        DataFrame
            One row per scenario, its latest version: ``name``, ``version``,
            ``saved_at`` (UTC), ``author``, ``note``, ``n_rows`` (allocation
            rows) and ``n_households`` (households moved). Empty when no
            scenario was ever saved.
        """
        rows = self._scenario_rows(
            f"SELECT s.name, s.version, s.saved_at, s.author, s.note, s.n_rows, s.n_households "
            f"FROM {_SCENARIOS} s "
            f"JOIN (SELECT name, MAX(version) AS v, MIN(fid) AS first FROM {_SCENARIOS} "
            "GROUP BY name) m ON s.name = m.name AND s.version = m.v "
            "WHERE s.action = 'save' ORDER BY m.first"
        )
        out = pd.DataFrame(rows, columns=_SCENARIO_LIST_COLUMNS)
        for col in ("version", "n_rows", "n_households"):
            out[col] = out[col].astype("int64")
        out["saved_at"] = pd.to_datetime(out["saved_at"], utc=True, format="ISO8601")
        return out

    def scenario_history(self, name: str) -> pd.DataFrame:
        """Every version of a scenario, oldest first, deletions included.

        Returns
        -------
        DataFrame
            Columns ``version``, ``saved_at`` (UTC), ``author``, ``action``
            (``save`` or ``delete``), ``note``, ``n_rows`` and ``n_households``.

        Raises
        ------
        WorkspaceError
            When no scenario of that name was ever saved.
        """
        rows = self._scenario_rows(
            f"SELECT {', '.join(_SCENARIO_HISTORY_COLUMNS)} FROM {_SCENARIOS} "
            "WHERE name = ? ORDER BY version",
            (name,),
        )
        if not rows:
            raise self._no_scenario(name)
        out = pd.DataFrame(rows, columns=_SCENARIO_HISTORY_COLUMNS)
        for col in ("version", "n_rows", "n_households"):
            out[col] = out[col].astype("int64")
        out["saved_at"] = pd.to_datetime(out["saved_at"], utc=True, format="ISO8601")
        return out

    def _no_scenario(self, name: str) -> WorkspaceError:
        live = self.scenarios()["name"].tolist()
        return WorkspaceError(
            f"{self.path}: no saved scenario {name!r}; the saved scenarios are: "
            f"{', '.join(map(repr, live)) or '(none)'}"
        )

    def read_scenario(self, name: str, *, version: int | None = None) -> pd.DataFrame:
        """The allocation of a saved scenario.

        Parameters
        ----------
        name : str
            The scenario.
        version : int, optional
            A version from :meth:`scenario_history`; default the latest. Old
            versions of a deleted scenario can still be read.

        Returns
        -------
        DataFrame
            Columns ``group``, ``site`` (pandas' text dtype ``str``) and
            ``n_households`` (int64), index 0..n-1, exactly as saved.

        Raises
        ------
        WorkspaceError
            When there is no such scenario or version, or the scenario was
            deleted (the message says which versions can be read).
        """
        rows = self._scenario_rows(
            f"SELECT version, action, allocation, saved_at, author FROM {_SCENARIOS} "
            "WHERE name = ? ORDER BY version",
            (name,),
        )
        if not rows:
            raise self._no_scenario(name)
        saved = [int(r[0]) for r in rows if r[1] == "save"]
        if version is None:
            row = rows[-1]
            if row[1] != "save":
                raise WorkspaceError(
                    f"{self.path}: scenario {name!r} was deleted (version {row[0]}, "
                    f"{row[3]}, by {row[4]}); read an earlier version with version=... "
                    f"(versions {_ranges(saved)}) or save it again"
                )
        else:
            match = [r for r in rows if int(r[0]) == int(version) and r[1] == "save"]
            if not match:
                raise WorkspaceError(
                    f"{self.path}: scenario {name!r} has no saved version {version}; "
                    f"its saved versions are {_ranges(saved)}"
                )
            row = match[0]
        return _allocation_from_json(row[2], f"{self.path}: scenario {name!r} v{row[0]}")

    def save_scenario(
        self,
        name: str,
        allocation: pd.DataFrame,
        *,
        note: str | None = None,
        author: str | None = None,
    ) -> int:
        """Save a scenario's allocation as its next version.

        Every save is kept (:meth:`scenario_history`); saving under the name
        of a deleted scenario brings it back with the next version number. The
        save is atomic like a layer's: under the writer lock, on a copy that
        replaces the file only when complete. A workspace made before
        scenarios were saved gains the ``pata_scenarios`` table here.

        Parameters
        ----------
        name : str
            The scenario's name (see :func:`check_scenario_name`); surrounding
            spaces are removed.
        allocation : DataFrame
            Columns ``group``, ``site`` and ``n_households`` (whole number
            >= 0); other columns are not stored. May be empty. Errors name a
            row by the frame's integer index + 1 (the data row of a CSV read
            with pandas), else by its position from 1.
        note : str, optional
            What this version is, for the history.
        author : str, optional
            Who saved it; default the user name.

        Returns
        -------
        int
            The new version number (1 for a new scenario).

        Raises
        ------
        InputError
            When the name, a row of the allocation or the note is unusable
            (naming the row and field); nothing is saved.
        WorkspaceError
            When the file cannot be written; the workspace is unchanged.
        """
        name = check_scenario_name(name)
        frame = _check_allocation(allocation, name)
        note = self._scenario_note(note)
        text = _allocation_json(frame)
        return self._scenario_write(
            name, "save", note, author, text, len(frame), int(frame["n_households"].sum())
        )

    def delete_scenario(
        self, name: str, *, author: str | None = None, note: str | None = None
    ) -> int:
        """Mark a saved scenario deleted (its versions stay in the history).

        Returns
        -------
        int
            The version number of the deletion.

        Raises
        ------
        WorkspaceError
            When there is no such saved scenario (or it is deleted already).
        """
        note = self._scenario_note(note)
        empty = json.dumps({"columns": list(SCENARIO_COLUMNS), "rows": []})
        return self._scenario_write(name, "delete", note, author, empty, 0, 0)

    @staticmethod
    def _scenario_note(note: str | None) -> str | None:
        if note is None:
            return None
        note = str(note).strip()
        if len(note) > MAX_SCENARIO_NOTE:
            raise InputError(
                f"scenario note: has {len(note)} characters, at most {MAX_SCENARIO_NOTE} "
                "are allowed; shorten it"
            )
        return note or None

    def _scenario_write(
        self,
        name: str,
        action: str,
        note: str | None,
        author: str | None,
        text: str,
        n_rows: int,
        n_households: int,
    ) -> int:
        """The one atomic write of ``pata_scenarios`` (creates the table when missing)."""
        who = author or _default_author()
        with self._transaction() as tmp, contextlib.closing(sqlite3.connect(tmp)) as con:
            con.executescript(_SCENARIO_SCHEMA)
            con.execute(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
                "description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
                (
                    _SCENARIOS,
                    _SCENARIOS,
                    "pata-gis resettlement scenarios (every saved version)",
                    datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
                ),
            )
            last = con.execute(
                f"SELECT version, action FROM {_SCENARIOS} WHERE name = ? "
                "ORDER BY version DESC LIMIT 1",
                (name,),
            ).fetchone()
            if action == "delete" and (last is None or last[1] != "save"):
                live = [
                    r[0]
                    for r in con.execute(
                        f"SELECT s.name FROM {_SCENARIOS} s JOIN (SELECT name, "
                        f"MAX(version) AS v FROM {_SCENARIOS} GROUP BY name) m "
                        "ON s.name = m.name AND s.version = m.v WHERE s.action = 'save'"
                    )
                ]
                raise WorkspaceError(
                    f"{self.path}: no saved scenario {name!r} to delete"
                    + (" (it is deleted already)" if last is not None else "")
                    + f"; the saved scenarios are: {', '.join(map(repr, live)) or '(none)'}"
                )
            version = 1 if last is None else int(last[0]) + 1
            con.execute(
                f"INSERT INTO {_SCENARIOS} (name, version, saved_at, author, action, note, "
                "n_rows, n_households, allocation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (name, version, _now(), who, action, note, n_rows, n_households, text),
            )
            con.commit()
        log.info("%s: scenario %r %s as version %d", self.path.name, name, action, version)
        return version

    # ---------------------------------------------------------------- audit log

    @property
    def audit_jsonl_path(self) -> Path:
        """``<workspace>.audit.jsonl`` beside the file: the older audit log, now a mirror."""
        return self.path.with_suffix(".audit.jsonl")

    def record_audit(self, record: Mapping[str, Any], *, source: str = "export") -> None:
        """Append one audit record to ``pata_audit`` (its own atomic, locked write).

        There is no method to change or delete a record; the table refuses
        ``UPDATE`` and ``DELETE`` (triggers), also from other programs.

        Parameters
        ----------
        record : mapping
            An entry of :func:`pata_gis.privacy.audit_record` (``when_utc``,
            ``who``, ``role``, ``layer``, ``sensitivity``, ``level``,
            ``n_features``, ``destination``, ``sha256``, ``params``).
        source : str
            Where the record comes from (``export``, ``print``...).

        Raises
        ------
        InputError
            The record has no ``when_utc`` or no ``who``; nothing is written.
        WorkspaceError
            The file cannot be written; the workspace is unchanged.
        """
        rec = dict(record)
        for key in ("when_utc", "who"):
            if not str(rec.get(key) or "").strip():
                raise InputError(
                    f"audit record: {key!r} is missing or empty; build records with "
                    "pata_gis.privacy.audit_record(...)"
                )
        with self._transaction() as tmp, contextlib.closing(sqlite3.connect(tmp)) as con:
            self._audit_insert(con, rec, source)
            con.commit()
        log.info("%s: audit record of %s (%s) added", self.path.name, rec.get("layer"), source)

    def audit_records(self) -> list[dict[str, Any]]:
        """Every audit record as the dict it was recorded as, oldest first.

        Records imported from a damaged JSON line come back as
        ``{"unreadable_line": <text>}``.
        """
        rows = self._audit_rows(f"SELECT record FROM {_AUDIT} ORDER BY fid")
        out: list[dict[str, Any]] = []
        for (text,) in rows:
            try:
                rec = json.loads(text)
            except json.JSONDecodeError:
                rec = None
            out.append(rec if isinstance(rec, dict) else {"unreadable_line": text})
        return out

    def audit_log(self) -> pd.DataFrame:
        """The audit log of exports, oldest first (empty when nothing was exported).

        Returns
        -------
        DataFrame
            Columns :data:`AUDIT_COLUMNS`: ``when_utc`` (UTC), ``who``,
            ``role``, ``layer``, ``sensitivity``, ``level``, ``n_features``,
            ``destination`` (the file written), ``sha256`` (of that file),
            ``params`` (dict of the options used), ``source`` (``export``, or
            ``imported from <file> line <n>``) and ``recorded_at`` (UTC, when
            the row was added to the workspace).
        """
        cols = [c for c in AUDIT_COLUMNS if c != "params"]
        rows = self._audit_rows(f"SELECT {', '.join(cols)}, params FROM {_AUDIT} ORDER BY fid")
        out = pd.DataFrame(rows, columns=[*cols, "params"])
        out["params"] = pd.Series([_json_dict(v) for v in out["params"]], index=out.index)
        out = out[list(AUDIT_COLUMNS)]
        out["n_features"] = out["n_features"].astype("Int64")
        for c in ("when_utc", "recorded_at"):
            out[c] = pd.to_datetime(out[c], utc=True, format="ISO8601", errors="coerce")
        return out

    def import_audit_jsonl(self, path: str | Path | None = None) -> int:
        """Import the records of a JSON-lines audit log not yet in ``pata_audit``.

        Called on every open with ``<workspace>.audit.jsonl`` (the log kept
        beside the file before the table existed, and its mirror since). Each
        line is compared with the records already in the table, counting
        repeats, so a line is imported exactly once however often the
        workspace is opened, and lines the table lacks (a workspace restored
        from an older copy, an older pata-gis writing the file) are added. The
        file is never changed. Imported rows say so in ``source`` (``imported
        from <file> line <n>``) and each import is noted in ``pata_meta``
        (:data:`AUDIT_IMPORTS_KEY`). A line that is not valid JSON is kept as
        its text. When the workspace cannot be written (read-only folder,
        another writer busy) the import is left for the next open, with a
        warning.

        Parameters
        ----------
        path : path-like, optional
            Default :attr:`audit_jsonl_path`.

        Returns
        -------
        int
            The number of records imported.
        """
        src = self.audit_jsonl_path if path is None else Path(path)
        if not src.is_file():
            return 0
        try:
            lines = _jsonl_records(src)
            if not _missing_records(lines, self._audit_rows(f"SELECT record FROM {_AUDIT}")):
                return 0
            with self._transaction() as tmp, contextlib.closing(sqlite3.connect(tmp)) as con:
                self._audit_create(con)
                have = con.execute(f"SELECT record FROM {_AUDIT}").fetchall()
                todo = _missing_records(lines, have)
                for lineno, canon, rec in todo:
                    where = f"imported from {src.name} line {lineno}"
                    if rec is None:
                        where += " (not valid JSON; kept as text)"
                    self._audit_insert(con, rec or {}, where, canonical=canon, create=False)
                if todo:
                    row = con.execute(
                        f"SELECT value FROM {_META} WHERE key = ?", (AUDIT_IMPORTS_KEY,)
                    ).fetchone()
                    notes = _json_list(row[0] if row else None)
                    notes.append({"file": str(src), "imported_at": _now(), "records": len(todo)})
                    con.execute(
                        f"INSERT OR REPLACE INTO {_META} (key, value) VALUES (?, ?)",
                        (AUDIT_IMPORTS_KEY, json.dumps(notes, ensure_ascii=False)),
                    )
                con.commit()
        except (OSError, sqlite3.Error, WorkspaceError) as exc:
            log.warning(
                "%s: the audit log %s could not be imported into the workspace (%s); "
                "it is kept and tried again when the workspace is next opened",
                self.path.name,
                src,
                exc,
            )
            return 0
        if todo:
            log.warning(
                "%s: imported %d audit record(s) from %s into the table %s (the file is kept)",
                self.path.name,
                len(todo),
                src.name,
                _AUDIT,
            )
        return len(todo)

    def audit_imports(self) -> list[dict[str, Any]]:
        """The imports of JSON-lines audit logs (file, imported_at, records), oldest first."""
        with contextlib.closing(self._connect()) as con:
            row = con.execute(
                f"SELECT value FROM {_META} WHERE key = ?", (AUDIT_IMPORTS_KEY,)
            ).fetchone()
        return _json_list(row[0] if row else None)

    def _audit_rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of ``pata_audit`` (none when the table does not exist yet)."""
        with contextlib.closing(self._connect()) as con:
            exists = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_AUDIT,)
            ).fetchone()
            if exists is None:
                return []
            return con.execute(sql).fetchall()

    @staticmethod
    def _audit_create(con: sqlite3.Connection) -> None:
        """Create ``pata_audit`` (and register it in ``gpkg_contents``) when missing."""
        con.executescript(_AUDIT_SCHEMA)
        con.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, "
            "description, last_change) VALUES (?, 'attributes', ?, ?, ?)",
            (
                _AUDIT,
                _AUDIT,
                "pata-gis audit log of exports (append-only)",
                datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            ),
        )

    @staticmethod
    def _audit_insert(
        con: sqlite3.Connection,
        rec: Mapping[str, Any],
        source: str,
        *,
        canonical: str | None = None,
        create: bool = True,
    ) -> None:
        """Insert one record in ``pata_audit`` within the caller's transaction.

        Creates the table when missing (unless ``create=False``: the caller
        did). An export that also writes the workspace records itself with
        this inside its own transaction, so both land together or neither does.
        """
        if create:
            Workspace._audit_create(con)
        text = canonical if canonical is not None else _canonical(rec)
        n = rec.get("n_features")
        params = rec.get("params")
        con.execute(
            f"INSERT INTO {_AUDIT} (recorded_at, when_utc, who, role, layer, sensitivity, "
            "level, n_features, destination, sha256, params, record, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _now(),
                _text(rec.get("when_utc")),
                _text(rec.get("who")),
                _text(rec.get("role")),
                _text(rec.get("layer")),
                _text(rec.get("sensitivity")),
                _text(rec.get("level")),
                int(n) if isinstance(n, int | float) and not isinstance(n, bool) else None,
                _text(rec.get("destination")),
                _text(rec.get("sha256")),
                None if params is None else json.dumps(params, ensure_ascii=False, sort_keys=True),
                text,
                source,
            ),
        )

    # ---------------------------------------------------------------- internals

    def _connect(self) -> sqlite3.Connection:
        try:
            return _connect_ro(self.path)
        except sqlite3.Error as exc:
            raise WorkspaceError(f"{self.path}: cannot be opened ({exc})") from exc

    def _read_layer(self, path: Path, name: str, spec: LayerSpec) -> gpd.GeoDataFrame:
        try:
            frame = pyogrio.read_dataframe(path, layer=name)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise WorkspaceError(
                f"{path}: layer {name!r} cannot be read ({exc}); restore it with "
                f"Workspace.restore({name!r}, <version>) or recreate the workspace"
            ) from exc
        if frame.crs is None:
            frame = frame.set_crs(settings.display_crs)
        return _conform(frame, spec)

    def _prepare(
        self, gdf: gpd.GeoDataFrame, spec: LayerSpec, *, validate: bool, allow_empty: bool
    ) -> gpd.GeoDataFrame:
        if validate:
            frame, report = _layers.validate(gdf, spec, name=spec.name, allow_empty=allow_empty)
            for w in report.warnings:
                log.info("%s: %s", spec.name, w)
            return _free_reserved_names(frame, spec.name)
        if not isinstance(gdf, gpd.GeoDataFrame):
            raise InputError(f"layer {spec.name!r}: expected a GeoDataFrame, got {type(gdf)}")
        if gdf.crs is None:
            raise InputError(
                f"layer {spec.name!r}: the features have no CRS; set it "
                "(gdf.set_crs(...)) or save with validate=True"
            )
        frame = gdf.to_crs(settings.display_crs).reset_index(drop=True)
        if frame.geometry.name != "geometry":
            frame = frame.rename_geometry("geometry")
        return _free_reserved_names(frame, spec.name)

    def _write_layer(
        self, target: Path, name: str, frame: gpd.GeoDataFrame, spec: LayerSpec
    ) -> gpd.GeoDataFrame:
        """Write `frame` as layer `name` of `target`; return it as read back."""
        frame = _free_reserved_names(frame, name)  # a no-op after _prepare
        kwargs: dict[str, Any] = {}
        geoms = frame.geometry.values
        if len(frame) == 0:
            kwargs["geometry_type"] = _GEOMETRY_TYPES[spec.geometry]
        else:
            kinds = set(shapely.get_type_id(geoms).tolist())
            if kinds & {0, 1, 3} and kinds & {4, 5, 6}:  # single and multi parts mixed
                kwargs["promote_to_multi"] = True
        try:
            pyogrio.write_dataframe(frame, target, layer=name, driver="GPKG", **kwargs)
        except Exception as exc:
            raise WorkspaceError(
                f"{self.path}: layer {name!r} could not be written ({exc})"
            ) from exc
        return self._read_layer(target, name, spec)

    def _insert_version(
        self,
        con: sqlite3.Connection,
        name: str,
        version: int,
        stored: gpd.GeoDataFrame,
        action: str,
        author: str,
        message: str | None,
        saved_at: str | None = None,
    ) -> None:
        fmt, content = _encode(stored)
        con.execute(
            f"INSERT INTO {_HISTORY} (layer, version, saved_at, author, action, message, "
            "n_features, format, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                name,
                version,
                saved_at or _now(),
                author,
                action,
                message,
                len(stored),
                fmt,
                sqlite3.Binary(content),
            ),
        )

    def _save(
        self,
        name: str,
        build: Callable[[Path], gpd.GeoDataFrame],
        *,
        action: str,
        author: str | None,
        message: str | None,
        extra: Callable[[sqlite3.Connection, gpd.GeoDataFrame], None] | None = None,
    ) -> int:
        """The one atomic write path for one layer (see :meth:`_save_many`)."""
        extras = None
        if extra is not None:
            extras = {name: extra}
        return self._save_many(
            {name: build}, action=action, author=author, message=message, extras=extras
        )[name]

    def _save_many(
        self,
        builds: Mapping[str, Callable[[Path], gpd.GeoDataFrame]],
        *,
        action: str,
        author: str | None,
        message: str | None,
        extras: Mapping[str, Callable[[sqlite3.Connection, gpd.GeoDataFrame], None]] | None = None,
    ) -> dict[str, int]:
        """The one atomic write path: lock, copy, change the copy, replace.

        Every layer in `builds` is changed in the same copy, so either all of
        them are saved (each as a new version) or none is.
        """
        specs = {name: self.spec(name) for name in builds}
        who = author or _default_author()
        t0 = time.perf_counter()
        versions: dict[str, int] = {}
        sizes: dict[str, int] = {}
        with self._transaction() as tmp:
            stored_frames = {}
            for name, build in builds.items():
                frame = build(tmp)
                stored_frames[name] = self._write_layer(tmp, name, frame, specs[name])
            with contextlib.closing(sqlite3.connect(tmp)) as con:
                for name, stored in stored_frames.items():
                    (last,) = con.execute(
                        f"SELECT COALESCE(MAX(version), 0) FROM {_HISTORY} WHERE layer = ?",
                        (name,),
                    ).fetchone()
                    versions[name] = int(last) + 1
                    sizes[name] = len(stored)
                    self._insert_version(con, name, versions[name], stored, action, who, message)
                    if extras is not None and name in extras:
                        extras[name](con, stored)
                con.commit()
        for name, version in versions.items():
            log.info(
                "%s: layer %s saved as version %d (%s, %d features, %.2f s)",
                self.path.name,
                name,
                version,
                action,
                sizes[name],
                time.perf_counter() - t0,
            )
        return versions

    def append_many(
        self,
        frames: Mapping[str, gpd.GeoDataFrame],
        *,
        action: str = "append",
        author: str | None = None,
        message: str | None = None,
        validate: bool = True,
    ) -> dict[str, int]:
        """Add features to several layers in one atomic save.

        A workshop's points, paths and areas go into three layers; either all
        of them are saved or, if anything fails (a refused feature, a killed
        process), none is. Empty frames are skipped.

        Parameters
        ----------
        frames : mapping
            Layer name -> the features to add to it.
        action, author, message, validate
            As in :meth:`append`.

        Returns
        -------
        dict
            Layer name -> its new version number.

        Raises
        ------
        ValidationError
            When any frame breaks its layer's spec; nothing is saved.
        """
        prepared: dict[str, gpd.GeoDataFrame] = {}
        for name, gdf in frames.items():
            if len(gdf) == 0:
                continue
            prepared[name] = self._prepare(
                gdf, self.spec(name), validate=validate, allow_empty=False
            )
        if not prepared:
            return {}

        def combiner(name: str, new: gpd.GeoDataFrame) -> Callable[[Path], gpd.GeoDataFrame]:
            def combine(tmp: Path) -> gpd.GeoDataFrame:
                return _concat(self._read_layer(tmp, name, self.spec(name)), new)

            return combine

        builds = {name: combiner(name, new) for name, new in prepared.items()}
        return self._save_many(builds, action=action, author=author, message=message)

    def purge_rows(
        self,
        layer_predicates: Mapping[str, Callable[[gpd.GeoDataFrame], Any]],
        *,
        author: str | None,
        reason: str,
        updates: Mapping[str, Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]] | None = None,
        role: str | None = None,
        audit_params: Mapping[str, Any] | None = None,
    ) -> Purged:
        """Erase rows for good: from the current layers, every stored version and the file.

        Unlike :meth:`write` (which keeps every earlier version), this removes
        the rows a predicate picks from the current content of each layer *and*
        from every version of it kept in ``pata_history`` (each version's
        content is decoded, the rows dropped and the rest encoded again; its
        number, date, author, action and message stay, ``n_features`` is
        updated). Each touched layer then gets a new version with action
        ``"erase"`` whose message gives the reason and the counts, never the
        erased content, and one record per touched layer goes to the audit
        log (``pata_audit``, source ``"erase"``; no coordinates). Finally the
        copy is ``VACUUM``-ed before it replaces the workspace, so no freed
        page of the file keeps the old bytes.

        All of it is one atomic save under the writer lock: when anything
        fails (a predicate, a kill) the workspace is left byte for byte as it
        was.

        Copies made outside the file (exports, backups, a copy of the
        workspace, the file system's own free blocks) are not reached.

        Parameters
        ----------
        layer_predicates : mapping
            Layer name -> ``predicate(frame)`` returning a boolean array (one
            value per row of `frame`, True = erase). It is called on the
            current content and on every stored version (as
            :meth:`read` returns them, so a version may lack a column the
            current layer has).
        author : str or None
            Who erases (default the user name).
        reason : str
            Why (recorded in the history and the audit log); must not be empty.
        updates : mapping, optional
            Layer name -> ``function(frame) -> frame`` applied to the current
            content (after the erasure, in the same save), e.g. to note the
            erasure on a session record. Saved as a new ``"erase"`` version;
            earlier versions are kept.
        role : str, optional
            The role of who erases, for the audit records.
        audit_params : mapping, optional
            Extra JSON-ready values for the audit records' ``params`` (e.g.
            the session id). Never put coordinates here.

        Returns
        -------
        Purged
            Layer name -> rows erased from the current content, for every
            layer of `layer_predicates`; ``.history_rows`` (rows erased from
            earlier versions), ``.versions_rewritten`` and ``.versions`` (the
            new version of each touched or updated layer).

        Raises
        ------
        InputError
            An empty reason, or a predicate that does not return one boolean
            per row; nothing is changed.
        WorkspaceError
            An unknown layer, or the file cannot be written; nothing is changed.
        """
        if not isinstance(reason, str) or not reason.strip():
            raise InputError("purge_rows: give the reason of the erasure (reason='...')")
        reason = reason.strip()
        updates = dict(updates or {})
        specs = {name: self.spec(name) for name in [*layer_predicates, *updates]}
        who = author or _default_author()
        t0 = time.perf_counter()

        def pick(name: str, frame: gpd.GeoDataFrame, where: str) -> Any:
            try:
                mask = np.asarray(layer_predicates[name](frame))
            except Exception as exc:
                raise InputError(
                    f"purge_rows: the predicate of layer {name!r} failed on {where} ({exc})"
                ) from exc
            if mask.shape != (len(frame),) or (len(frame) and mask.dtype != bool):
                raise InputError(
                    f"purge_rows: the predicate of layer {name!r} must return one True/False per "
                    f"row; on {where} ({len(frame)} rows) it returned shape {mask.shape} of "
                    f"{mask.dtype} (use .fillna(False).to_numpy(bool))"
                )
            return mask.astype(bool)

        current: dict[str, int] = {}
        history_rows: dict[str, int] = {}
        rewritten: dict[str, list[int]] = {}
        versions: dict[str, int] = {}
        with self._transaction() as tmp:
            new_frames: dict[str, gpd.GeoDataFrame] = {}
            for name in layer_predicates:
                frame = self._read_layer(tmp, name, specs[name])
                mask = pick(name, frame, "the current content")
                current[name] = int(mask.sum())
                if mask.any():
                    new_frames[name] = frame.loc[~mask].reset_index(drop=True)
            with contextlib.closing(sqlite3.connect(tmp)) as con:
                con.execute("PRAGMA secure_delete = ON")
                for name in layer_predicates:
                    history_rows[name], rewritten[name] = 0, []
                    rows = con.execute(
                        f"SELECT fid, version, format, content FROM {_HISTORY} WHERE layer = ? "
                        "ORDER BY version",
                        (name,),
                    ).fetchall()
                    for fid, version, fmt, content in rows:
                        raw = _decode(fmt, content)
                        mask = pick(name, _conform(raw, specs[name]), f"version {version}")
                        if not mask.any():
                            continue
                        kept = raw.loc[~mask].reset_index(drop=True)
                        new_fmt, new_content = _encode(kept)
                        con.execute(
                            f"UPDATE {_HISTORY} SET format = ?, content = ?, n_features = ? "
                            "WHERE fid = ?",
                            (new_fmt, sqlite3.Binary(new_content), len(kept), fid),
                        )
                        history_rows[name] += int(mask.sum())
                        rewritten[name].append(int(version))
                con.commit()
            touched = [n for n in layer_predicates if current[n] or rewritten[n]]
            for name, update in updates.items():
                base = new_frames.get(name)
                if base is None:
                    base = self._read_layer(tmp, name, specs[name])
                new_frames[name] = self._prepare(
                    update(base), specs[name], validate=True, allow_empty=True
                )
            stored: dict[str, gpd.GeoDataFrame | None] = {
                n: self._write_layer(tmp, n, new_frames[n], specs[n]) if n in new_frames else None
                for n in dict.fromkeys([*touched, *updates])
            }
            with contextlib.closing(sqlite3.connect(tmp)) as con:
                con.execute("PRAGMA secure_delete = ON")
                when = datetime.now(UTC).isoformat(timespec="seconds")
                for name, frame in stored.items():
                    if frame is None:  # erased from the history only: content unchanged
                        frame = self._read_layer(tmp, name, specs[name])
                    (last,) = con.execute(
                        f"SELECT COALESCE(MAX(version), 0) FROM {_HISTORY} WHERE layer = ?",
                        (name,),
                    ).fetchone()
                    versions[name] = int(last) + 1
                    if name in layer_predicates:
                        message = (
                            f"erased {current[name]} rows from the current content and "
                            f"{history_rows[name]} from {len(rewritten[name])} earlier versions; "
                            f"reason: {reason}"
                        )
                    else:
                        message = f"updated with an erasure; reason: {reason}"
                    self._insert_version(con, name, versions[name], frame, "erase", who, message)
                for name in touched:
                    params = {
                        "action": "erase",
                        "reason": reason,
                        "rows_current": current[name],
                        "rows_history": history_rows[name],
                        "versions_rewritten": _ranges(rewritten[name]),
                        "new_version": versions[name],
                        **{str(k): v for k, v in (audit_params or {}).items()},
                    }
                    record = {
                        "when_utc": when,
                        "who": who,
                        "role": role,
                        "layer": name,
                        "sensitivity": specs[name].sensitivity,
                        "level": "none",
                        "n_features": current[name],
                        "destination": None,
                        "sha256": None,
                        "params": params,
                    }
                    self._audit_insert(con, record, "erase")
                con.commit()
                # rebuild the file: the pages freed by the dropped tables and the
                # rewritten versions would otherwise keep the erased bytes
                con.execute("VACUUM")
        log.info(
            "%s: erased rows %s (and %s from earlier versions) in %.2f s; reason: %s",
            self.path.name,
            current,
            history_rows,
            time.perf_counter() - t0,
            reason,
        )
        return Purged(current, history_rows, rewritten, versions)

    def add_missing_layers(
        self,
        *,
        catalogue_dir: str | Path | None = None,
        starter: bool = True,
        author: str | None = None,
    ) -> list[str]:
        """Add the catalogue's layers that this workspace does not have yet.

        A workspace made with an older catalogue lacks the layers added since
        (for example the workshop layers). They are added empty, or with their
        bundled starter data when `starter` is true, as version 1; existing
        layers and their history are not touched.

        Returns
        -------
        list of str
            The layers added (empty when the workspace is up to date).
        """
        catalogue = load_catalogue(catalogue_dir)
        missing = {n: s for n, s in catalogue.items() if n not in self._specs}
        if not missing:
            return []
        frames: dict[str, gpd.GeoDataFrame] = {}
        for name, spec in missing.items():
            if starter and spec.bundled is not None:
                raw = _read_file(spec.bundled)
                frame, _ = _layers.validate(raw, spec, name=spec.bundled.name, allow_empty=True)
            else:
                frame = _layers.empty_frame(spec)
            frames[name] = _free_reserved_names(frame, name)
        who = author or _default_author()
        with self._transaction() as tmp:
            stored = {n: self._write_layer(tmp, n, frames[n], s) for n, s in missing.items()}
            with contextlib.closing(sqlite3.connect(tmp)) as con:
                (pos,) = con.execute(f"SELECT COALESCE(MAX(position), -1) FROM {_SPECS}").fetchone()
                for i, (name, spec) in enumerate(missing.items(), start=int(pos) + 1):
                    text = spec.path.read_text(encoding="utf-8") if spec.path else ""
                    con.execute(
                        f"INSERT INTO {_SPECS} (name, position, sensitivity, spec_file, toml) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (name, i, spec.sensitivity, spec.path.name if spec.path else None, text),
                    )
                    self._insert_version(
                        con, name, 1, stored[name], "init", who, "layer added from the catalogue"
                    )
                con.commit()
        self._specs = self._load_specs()
        log.info("%s: added layers %s", self.path.name, ", ".join(missing))
        return list(missing)

    def _log_refusal(self, src: Path, layer: str, mode: str, who: str, exc: Exception) -> None:
        with self._transaction() as tmp, contextlib.closing(sqlite3.connect(tmp)) as con:
            con.execute(
                f"INSERT INTO {_IMPORTS} (logged_at, file, layer, mode, n_features, outcome, "
                "author, report) VALUES (?, ?, ?, ?, NULL, 'refused', ?, ?)",
                (_now(), str(src), layer, mode, who, f"{type(exc).__name__}: {exc}"),
            )
            con.commit()

    @contextlib.contextmanager
    def _transaction(self, *, locked: bool = False) -> Iterator[Path]:
        """Yield a private copy of the workspace; on success it replaces the file.

        With ``locked=True`` the caller already holds :meth:`_lock` (to read,
        decide and write as one step).
        """
        with contextlib.nullcontext() if locked else self._lock():
            self._cleanup_temps(locked=True)
            _check_gpkg(self.path)
            tmp = self._temp_path()
            try:
                self._snapshot(tmp)
                yield tmp
                self._finish(tmp)
            except BaseException:
                self._remove_temp(tmp)
                raise

    def _snapshot(self, tmp: Path) -> None:
        """Copy the workspace to `tmp` with SQLite's online backup (consistent)."""
        try:
            with (
                contextlib.closing(sqlite3.connect(self.path, timeout=30)) as src,
                contextlib.closing(sqlite3.connect(tmp)) as dst,
            ):
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            raise WorkspaceError(f"{self.path}: cannot be copied for saving ({exc})") from exc

    def _finish(self, tmp: Path) -> None:
        for suffix in ("-journal", "-wal", "-shm"):
            side = tmp.with_name(tmp.name + suffix)
            if side.exists():  # pragma: no cover - every connection is closed by now
                raise WorkspaceError(f"{tmp}: left {side.name}; the save was not completed")
        if self.path.exists():  # keep the permissions (e.g. 0600 for confidential data)
            shutil.copymode(self.path, tmp)
        _fsync_file(tmp)
        tmp.replace(self.path)  # atomic rename (os.replace)
        _fsync_dir(self.path.parent)

    def _temp_path(self) -> Path:
        return self.path.with_name(
            f".{self.path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp.gpkg"
        )

    def _temps(self) -> list[Path]:
        return sorted(self.path.parent.glob(f".{self.path.name}.*.tmp.gpkg*"))

    @staticmethod
    def _remove_temp(tmp: Path) -> None:
        for p in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-journal", "-wal", "-shm"))):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()

    def _cleanup_temps(self, *, locked: bool = False) -> None:
        """Remove temporary files of writers that were killed.

        Temporary files only exist while a writer holds the lock, so any one
        found while holding the lock is stale. Without the lock (a reader
        opening the file) this only tries the lock and skips when it is busy
        or cannot be taken (read-only folder).
        """
        if not self._temps():
            return
        if not locked:
            try:
                with self._lock(blocking=False):
                    self._cleanup_temps(locked=True)
            except (_Busy, OSError, WorkspaceError):
                pass
            return
        stale = self._temps()
        for p in stale:
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
        if stale:
            log.warning(
                "%s: removed %d temporary file(s) left by an interrupted save",
                self.path.name,
                len(stale),
            )

    @contextlib.contextmanager
    def _lock(self, *, blocking: bool = True) -> Iterator[None]:
        """Hold the exclusive writer lock on ``<path>.lock``."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise WorkspaceError(
                f"{lock_path}: cannot create the lock file ({exc}); the folder must be writable "
                "to save"
            ) from exc
        try:
            if fcntl is None:  # pragma: no cover - Windows
                log.warning(
                    "no file locking on this platform: do not save to %s from two "
                    "processes at once",
                    self.path.name,
                )
            else:
                deadline = time.monotonic() + self.lock_timeout
                delay = 0.005
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except OSError as exc:
                        if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                            raise
                        if not blocking:
                            raise _Busy from None
                        if time.monotonic() > deadline:
                            raise WorkspaceError(
                                f"{self.path}: another process has been saving for more than "
                                f"{self.lock_timeout:.0f} s; wait and try again"
                            ) from None
                        time.sleep(delay)
                        delay = min(delay * 2, 0.05)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the flock


class _Busy(Exception):
    """The lock is held by another writer (non-blocking attempt)."""


class Purged(dict[str, int]):
    """What :meth:`Workspace.purge_rows` erased: layer -> rows erased from the current content.

    Attributes
    ----------
    history_rows : dict of str to int
        Layer -> rows erased from its earlier versions (a row kept in five
        versions counts five times).
    versions_rewritten : dict of str to list of int
        Layer -> the earlier versions whose content was rewritten.
    versions : dict of str to int
        The new ``"erase"`` version of every touched or updated layer.
    """

    def __init__(
        self,
        current: Mapping[str, int],
        history_rows: Mapping[str, int],
        versions_rewritten: Mapping[str, list[int]],
        versions: Mapping[str, int],
    ) -> None:
        super().__init__(current)
        self.history_rows = dict(history_rows)
        self.versions_rewritten = {k: list(v) for k, v in versions_rewritten.items()}
        self.versions = dict(versions)

    @property
    def touched(self) -> list[str]:
        """The layers where anything was erased (now or in an earlier version)."""
        return [n for n in self if self[n] or self.history_rows.get(n)]


def _free_reserved_names(frame: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    """Rename attribute columns that clash with the GeoPackage ``fid``/``geom`` columns.

    GDAL would take a column ``FID`` of a shapefile as the feature id (and
    fail on repeated values) and refuses a text column named ``geom``.
    """
    geom = frame.geometry.name
    clash = [c for c in frame.columns if c != geom and str(c).lower() in ("fid", "geom")]
    if not clash:
        return frame
    taken = {str(c).lower() for c in frame.columns}
    rename: dict[str, str] = {}
    for c in clash:
        new = f"{c}_orig"
        while new.lower() in taken:
            new += "_"
        taken.add(new.lower())
        rename[c] = new
    log.warning(
        "layer %s: columns renamed because GeoPackage reserves their names: %s",
        name,
        ", ".join(f"{a} -> {b}" for a, b in rename.items()),
    )
    return frame.rename(columns=rename)


def _concat(current: gpd.GeoDataFrame, new: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if len(current) == 0:
        return new
    cols = list(current.columns) + [c for c in new.columns if c not in current.columns]
    out = pd.concat([current, new], ignore_index=True)
    return gpd.GeoDataFrame(out[cols], geometry="geometry", crs=settings.display_crs)


def _ranges(values: list[int]) -> str:
    if not values:
        return "(none)"
    return (
        f"{values[0]}..{values[-1]}"
        if values == list(range(values[0], values[-1] + 1))
        else (", ".join(map(str, values)))
    )


def _canonical(rec: Mapping[str, Any]) -> str:
    """A record as the one JSON line :class:`pata_gis.privacy.AuditLog` writes."""
    return json.dumps(dict(rec), ensure_ascii=False, sort_keys=True)


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def _json_dict(text: Any) -> dict[str, Any]:
    try:
        v = json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError:
        return {"unreadable": text}
    return v if isinstance(v, dict) else {}


def _json_list(text: Any) -> list[Any]:
    try:
        v = json.loads(text) if isinstance(text, str) else None
    except json.JSONDecodeError:
        return []
    return v if isinstance(v, list) else []


def _jsonl_records(src: Path) -> list[tuple[int, str, dict[str, Any] | None]]:
    """(line number, canonical text, record or None when not valid JSON) of each line."""
    out: list[tuple[int, str, dict[str, Any] | None]] = []
    for i, line in enumerate(src.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            rec = None
        if isinstance(rec, dict):
            out.append((i, _canonical(rec), rec))
        else:
            out.append((i, line.strip(), None))
    return out


def _missing_records(
    lines: list[tuple[int, str, dict[str, Any] | None]], have: list[tuple[Any, ...]]
) -> list[tuple[int, str, dict[str, Any] | None]]:
    """The lines whose record the table lacks, counting repeats (a multiset difference)."""
    count: dict[str, int] = {}
    for (text,) in have:
        count[text] = count.get(text, 0) + 1
    out = []
    for item in lines:
        if count.get(item[1], 0) > 0:
            count[item[1]] -= 1
        else:
            out.append(item)
    return out


def open_or_create(path: str | Path, **kw: Any) -> Workspace:
    """Open the workspace at `path`, creating it from the catalogue if missing.

    Parameters
    ----------
    path : str or Path
        The ``.gpkg`` file.
    **kw
        Passed to :meth:`Workspace.create` when the file does not exist
        (``catalogue_dir``, ``starter``, ``author``, ``progress``).

    Returns
    -------
    Workspace
    """
    path = Path(path)
    if path.exists():
        return Workspace(path)
    try:
        return Workspace.create(path, **kw)
    except WorkspaceError:
        if path.exists():  # another process created it meanwhile
            return Workspace(path)
        raise
