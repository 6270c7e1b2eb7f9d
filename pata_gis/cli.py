"""The ``pata-gis`` command: a thin layer over the library.

Every command takes ``--workspace PATH`` (default ``data/workspace.gpkg`` in
the current folder). Errors print one clear line, ``error: ...`` (followed by
the list of problems for a refused layer), and exit with status 1; usage
mistakes exit with status 2.

Examples
--------
::

    pata-gis init /tmp/ws.gpkg
    pata-gis --workspace /tmp/ws.gpkg layers
    pata-gis import ../shared/data/cluj/gtfs_ctp_cluj/stops.txt --layer transit_stops
    pata-gis export settlements settlements.geojson
    pata-gis history settlements
    pata-gis restore settlements 1
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pata_gis import settings
from pata_gis._errors import PataGisError, SensitivityError, ValidationError

__all__ = ["main"]

log = logging.getLogger(__name__)


def _progress(label: str, done: int, total: int) -> None:
    """Draw `done`/`total` progress on standard error when it is a terminal.

    Nothing is drawn when standard error is a pipe or a file, so logs and
    scripts see only the one-line result or error.
    """
    if not sys.stderr.isatty():
        return
    width = 24
    filled = int(width * done / total) if total else width
    bar = "#" * filled + "-" * (width - filled)
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\r[{bar}] {done}/{total} {label:<40.40}{end}")
    sys.stderr.flush()


def _end_progress() -> None:
    """End a progress bar left mid-line, so an error starts on its own line."""
    if sys.stderr.isatty():
        sys.stderr.write("\n")


def _workspace_path(args: argparse.Namespace) -> Path:
    return Path(args.workspace) if args.workspace else settings.default_workspace


def _open(args: argparse.Namespace) -> Any:
    from pata_gis.workspace import Workspace

    return Workspace(_workspace_path(args))


def _print_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    widths = {
        c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) if rows else len(c) for c in columns
    }
    print("  ".join(c.ljust(widths[c]) for c in columns))
    print("  ".join("-" * widths[c] for c in columns))
    for r in rows:
        print("  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns))


def cmd_init(args: argparse.Namespace) -> int:
    from pata_gis.workspace import Workspace

    path = Path(args.path) if args.path else _workspace_path(args)
    path.parent.mkdir(parents=True, exist_ok=True)
    ws = Workspace.create(
        path,
        catalogue_dir=args.catalogue,
        starter=not args.empty,
        overwrite=args.force,
        progress=_progress,
    )
    n = len(ws.layer_names())
    print(f"created workspace {path} with {n} layers")
    return 0


def cmd_layers(args: argparse.Namespace) -> int:
    ws = _open(args)
    info = ws.info()
    lang = args.lang or settings.language
    rows = []
    for rec in info.to_dict("records"):
        rows.append(
            {
                "layer": rec["name"],
                "title": rec.get(f"title_{lang}") or rec.get("title_ro") or "",
                "features": rec["n_features"],
                "sensitivity": rec["sensitivity"],
                "version": rec.get("version", ""),
                "source": rec.get("source", ""),
            }
        )
    _print_table(rows, ["layer", "title", "features", "sensitivity", "version", "source"])
    return 0


def _read_kwargs(args: argparse.Namespace) -> dict[str, Any]:
    kw: dict[str, Any] = {}
    for key in ("crs", "encoding"):
        val = getattr(args, key, None)
        if val:
            kw[key] = val
    if getattr(args, "source_layer", None):
        kw["source_layer"] = args.source_layer
    return kw


def _defaults(args: argparse.Namespace) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if getattr(args, "source", None):
        d["source"] = args.source
    if getattr(args, "accuracy", None) is not None:
        d["accuracy_m"] = args.accuracy
    return d


def _show_warnings(caught: list[warnings.WarningMessage]) -> None:
    for w in caught:
        sys.stderr.write(f"warning: {w.message}\n")


def cmd_import(args: argparse.Namespace) -> int:
    ws = _open(args)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = ws.import_file(
            Path(args.file),
            layer=args.layer,
            mode=args.mode,
            author=args.author,
            defaults=_defaults(args) or None,
            progress=_progress,
            **_read_kwargs(args),
        )
    _show_warnings(caught)
    print(report)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from pata_gis import io
    from pata_gis.layers import validate
    from pata_gis.specs import load_catalogue

    path = _workspace_path(args)
    if path.exists():
        specs = _open(args).specs()
    else:
        specs = load_catalogue(args.catalogue)
    if args.layer not in specs:
        raise PataGisError(f"no layer '{args.layer}'; the layers are: {', '.join(sorted(specs))}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        kw = _read_kwargs(args)
        if "source_layer" in kw:
            kw["layer"] = kw.pop("source_layer")
        gdf = io.read(Path(args.file), **kw)
        _, report = validate(
            gdf, specs[args.layer], name=Path(args.file).name, defaults=_defaults(args) or None
        )
    _show_warnings(caught)
    print(report)
    print("valid: nothing was written (use 'pata-gis import' to load it)")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import getpass

    from pata_gis import io, privacy

    ws = _open(args)
    spec = ws.spec(args.name)
    gdf = ws.read(args.name)
    if spec.sensitivity == "public" and args.role in (None, "public"):
        out = io.write(gdf, Path(args.file), overwrite=args.force)
        print(f"exported {len(gdf)} features of '{args.name}' to {out}")
        return 0
    if args.role is None:
        raise SensitivityError(
            f"layer '{args.name}' is {spec.sensitivity}: say who the export is for with "
            "--role community|planner|police|public (and --who); it is then aggregated or "
            "masked as that role may see it, and logged"
        )
    audit = privacy.WorkspaceAuditLog(ws)
    out = privacy.export_view(
        gdf,
        spec,
        Path(args.file),
        role=args.role,
        who=args.who or getpass.getuser(),
        audit=audit,
        level=args.level,
        k=args.k,
        cell_m=args.cell,
        overwrite=args.force,
    )
    rec = audit.records()[-1]
    print(
        f"exported '{args.name}' for role {args.role} at level {rec.get('level')}: "
        f"{rec.get('n_features')} features -> {out} (logged in {ws.path.name}, table "
        "pata_audit; see `pata-gis audit`)"
    )
    return 0


def cmd_map(args: argparse.Namespace) -> int:
    from pata_gis import maps

    ws = _open(args)
    specs = ws.specs()
    shown = [n for n, sp in specs.items() if sp.sensitivity == "public"]
    layers = {n: ws.read(n) for n in shown}
    overlays = None
    if args.pollution and "landfill" in layers:
        overlays = maps.pollution_overlays(layers["landfill"], lang=args.lang, show_exposure=True)
    m = maps.layer_map(
        layers,
        {n: specs[n] for n in shown},
        lang=args.lang,
        extra_overlays=overlays,
        hidden=len(specs) - len(shown),
    )
    out = Path(args.out)
    if out.exists() and not args.force:
        raise PataGisError(f"{out} exists; pass --force to replace it")
    maps.save_html(m, out)
    print(
        f"map of {len(shown)} public layers -> {out} (one file, works offline; "
        f"{len(specs) - len(shown)} restricted/confidential layers left out)"
    )
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    ws = _open(args)
    hist = ws.history(args.name)
    _print_table(
        hist.to_dict("records"),
        [
            c
            for c in ["version", "saved_at", "action", "n_features", "author", "message"]
            if c in hist
        ],
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    ws = _open(args)
    new = ws.restore(args.name, args.version, author=args.author)
    print(f"restored '{args.name}' to version {args.version}; saved as version {new}")
    return 0


def cmd_pollution(args: argparse.Namespace) -> int:
    import pandas as pd

    from pata_gis import pollution, surface

    ws = _open(args)
    landfill = ws.read("landfill")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    gpkg = out / "pollution.gpkg"
    tif = out / "exposure.tif"
    csv = out / "settlements_exposure.csv"
    existing = [p for p in (gpkg, tif, csv) if p.exists()]
    if existing and not args.force:
        raise PataGisError(f"{existing[0]} exists; pass --force to replace the outputs in {out}")
    steps = 4
    _progress("legal zone and bands", 0, steps)
    zone = pollution.legal_zone(
        landfill, distance_m=args.distance, include_closed=args.include_closed
    )
    bands = pollution.distance_bands(landfill, include_closed=args.include_closed)
    _progress("exposure surface", 1, steps)
    arr, grid = pollution.exposure_surface(
        landfill,
        resolution_m=args.resolution,
        decay_m=args.decay,
        include_closed=args.include_closed,
    )
    _progress("settlements", 2, steps)
    settlements = ws.read("settlements")
    exp = pollution.landfill_exposure(
        settlements,
        landfill,
        distance_m=args.distance,
        resolution_m=args.resolution,
        decay_m=args.decay,
        include_closed=args.include_closed,
        name="settlements",
    )
    table = pd.concat([settlements[["name"]], exp], axis=1)
    _progress("writing", 3, steps)
    settlements_out = settlements[["name", "geometry"]].join(exp)
    _write_gpkg(
        gpkg,
        {"legal_zone": zone, "distance_bands": bands, "settlements_exposure": settlements_out},
    )
    surface.write_geotiff(arr, grid, tif, nodata=None)
    tmp_csv = csv.with_name(f".{csv.name}.{os.getpid()}.tmp")
    try:
        table.to_csv(tmp_csv, index=False, encoding="utf-8-sig")
        tmp_csv.replace(csv)
    finally:
        tmp_csv.unlink(missing_ok=True)
    _progress("done", steps, steps)
    d = float(zone["distance_m"].iloc[0]) if "distance_m" in zone else args.distance
    print(f"legal zone ({d:,.0f} m; {zone['reference'].iloc[0]}) and bands -> {gpkg}")
    print(
        f"exposure surface {grid.shape[1]} x {grid.shape[0]} cells at {grid.resolution:g} m -> {tif}"
    )
    print(f"settlements: band, distance and exposure -> {csv}")
    for rec in table.to_dict("records"):
        print(
            f"  {rec['name']:<14} band {rec['band']:<9} {rec['distance_m']:>7,.0f} m  "
            f"inside legal zone: {'yes' if rec['inside_legal_zone'] else 'no'}"
        )
    return 0


def _write_gpkg(path: Path, layers: dict[str, Any]) -> None:
    """Write several layers into a new GeoPackage atomically (temp file + rename)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.gpkg")
    try:
        for name, gdf in layers.items():
            gdf.to_file(tmp, layer=name, driver="GPKG")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``pata-gis`` command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--workspace",
        "-w",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=f"workspace GeoPackage (default: {settings.default_workspace})",
    )
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS)
    p = argparse.ArgumentParser(
        prog="pata-gis",
        description="Risk mapping and desegregation planning for Pata Rât, Cluj-Napoca.",
        parents=[common],
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("init", parents=[common], help="create a workspace from the layer catalogue")
    s.add_argument("path", nargs="?", help="where to create it (default: --workspace)")
    s.add_argument("--force", action="store_true", help="replace an existing workspace")
    s.add_argument("--empty", action="store_true", help="do not load the bundled starter layers")
    s.add_argument("--catalogue", metavar="DIR", help="layer catalogue folder (default: bundled)")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser(
        "layers", parents=[common], help="list the layers with counts and sensitivity"
    )
    s.add_argument("--lang", choices=["ro", "en", "hu"])
    s.set_defaults(func=cmd_layers)

    def file_options(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "file", help="GeoJSON, GeoPackage, Shapefile (.shp/.zip), KML, CSV, GPX, OSM, GTFS"
        )
        sp.add_argument("--layer", required=True, help="the workspace layer it is meant for")
        sp.add_argument("--source-layer", help="the layer inside a GeoPackage/KML/GPX/OSM file")
        sp.add_argument("--crs", help="CRS of CSV x/y columns or of a shapefile without .prj")
        sp.add_argument("--encoding", help="attribute encoding, e.g. cp1250")
        sp.add_argument("--source", help="fill the 'source' field where the data has none")
        sp.add_argument("--accuracy", type=float, help="fill 'accuracy_m' (metres) where missing")

    s = sub.add_parser("import", parents=[common], help="validate a file and load it into a layer")
    file_options(s)
    s.add_argument("--mode", choices=["replace", "append"], default="replace")
    s.add_argument("--author", help="who imports it (kept in the history)")
    s.set_defaults(func=cmd_import)

    s = sub.add_parser(
        "validate", parents=[common], help="check a file against a layer spec; writes nothing"
    )
    file_options(s)
    s.add_argument("--catalogue", metavar="DIR", help="layer catalogue folder (default: bundled)")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser(
        "export", parents=[common], help="write a layer to a file (.gpkg .geojson .zip .kml .csv)"
    )
    s.add_argument("name")
    s.add_argument("file")
    s.add_argument("--force", action="store_true", help="overwrite an existing file")
    s.add_argument(
        "--role",
        choices=["community", "planner", "police", "public"],
        help="who the export is for; required for restricted and confidential layers",
    )
    s.add_argument("--who", help="who exports (audit log; default: user name)")
    s.add_argument("--level", choices=["aggregated", "masked", "raw"], help="default: the safest")
    s.add_argument("--k", type=int, help="smallest count per published cell (default 5)")
    s.add_argument("--cell", type=float, help="aggregation cell size in m (default 250)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser(
        "pollution",
        parents=[common],
        help="landfill sanitary zone, distance bands and exposure surface (GeoPackage + GeoTIFF)",
    )
    s.add_argument("--out", required=True, metavar="DIR", help="folder for the outputs")
    s.add_argument("--distance", type=float, help="legal distance in m (default: settings)")
    s.add_argument("--decay", type=float, help="exposure decay length in m (default: settings)")
    s.add_argument("--resolution", type=float, help="surface cell size in m (default: settings)")
    s.add_argument("--include-closed", action="store_true", help="measure from closed cells too")
    s.add_argument("--force", action="store_true", help="replace existing outputs")
    s.set_defaults(func=cmd_pollution)

    s = sub.add_parser(
        "map",
        parents=[common],
        help="an interactive map of the public layers as one offline HTML file",
    )
    s.add_argument("--out", required=True, help="the .html file")
    s.add_argument("--lang", choices=["ro", "en", "hu"])
    s.add_argument(
        "--pollution", action="store_true", help="add the landfill zone, bands, exposure"
    )
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=cmd_map)

    from pata_gis import cli_workshop

    cli_workshop.register(sub, common, _open)

    from pata_gis import cli_planning

    cli_planning.register(sub, common, _open)

    from pata_gis import cli_scenarios

    cli_scenarios.register(sub, common, _open)

    from pata_gis import cli_roles

    cli_roles.register(sub, common, _open)

    s = sub.add_parser("history", parents=[common], help="list the saved versions of a layer")
    s.add_argument("name")
    s.set_defaults(func=cmd_history)

    s = sub.add_parser("restore", parents=[common], help="bring back an earlier version of a layer")
    s.add_argument("name")
    s.add_argument("version", type=int)
    s.add_argument("--author")
    s.set_defaults(func=cmd_restore)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``pata-gis`` command; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    for key in ("workspace", "verbose"):
        if not hasattr(args, key):
            setattr(args, key, None)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except ValidationError as exc:
        _end_progress()
        head, *rest = str(exc).splitlines()
        sys.stderr.write(f"error: {head}\n")
        for line in rest:
            sys.stderr.write(f"{line}\n")
        return 1
    except (PataGisError, FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        _end_progress()
        sys.stderr.write(f"error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing half-written was kept\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
