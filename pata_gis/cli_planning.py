"""``pata-gis network|access|sites``: thin commands over the analysis library.

Registered by :mod:`pata_gis.cli`; analysis modules are imported inside the
commands so that ``pata-gis --help`` stays fast.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path
from typing import Any

from pata_gis import settings
from pata_gis._errors import InputError, PataGisError

__all__ = ["load_network", "register"]

#: Where ``pata-gis network build`` saves the network when ``--out`` is not given.
DEFAULT_NETWORK = Path("data") / "network.npz"


def load_network(path: str | Path | None, ws: Any) -> Any:
    """The saved network at `path`, else one built from the workspace's roads."""
    from pata_gis.network import Network

    if path:
        return Network.load(path)
    if DEFAULT_NETWORK.exists():
        return Network.load(DEFAULT_NETWORK)
    return Network.from_lines(ws.read("roads"), source="workspace roads", name="roads")


def cmd_network_build(args: argparse.Namespace, open_ws: Any) -> int:
    from pata_gis import gtfs, network

    parts: list[Any] = []
    labels: list[str] = []
    if args.osm:
        parts.append(network.from_osm_file(args.osm))
        labels.append(f"OSM file {Path(args.osm).name}")
    if args.place:
        parts.append(network.from_place(args.place, cache_folder=args.cache))
        labels.append(f"OSM download '{args.place}'")
    if args.gtfs:
        shapes = gtfs.read_shapes(args.gtfs)
        parts.append(
            network.Network.from_lines(
                shapes, snap_tolerance_m=args.snap, kind="secondary", source="GTFS route shapes"
            )
        )
        labels.append(f"GTFS route shapes of {Path(args.gtfs).name} ({len(shapes)} shapes)")
    if not args.no_roads:
        ws = open_ws(args)
        roads = ws.read("roads")
        if len(roads):
            parts.append(
                network.Network.from_lines(
                    roads, snap_tolerance_m=args.snap, source="workspace roads"
                )
            )
            labels.append(f"workspace roads ({len(roads)} lines, community paths included)")
    if not parts:
        raise InputError(
            "nothing to build from: give --osm FILE, --place NAME, --gtfs FEED, or keep the "
            "workspace roads (drop --no-roads)"
        )
    net = parts[0]
    for extra in parts[1:]:
        net = net.merge(extra, snap_tolerance_m=args.snap)
    out = Path(args.out) if args.out else DEFAULT_NETWORK
    out.parent.mkdir(parents=True, exist_ok=True)
    saved = net.save(out)
    print(f"network of {net.n_nodes:,} nodes and {net.n_edges:,} edges -> {saved}")
    for label in labels:
        print(f"  from {label}")
    print(f"  largest connected part: {net.component_share():.0%} of the nodes")
    return 0


def cmd_access(args: argparse.Namespace, open_ws: Any) -> int:
    import geopandas as gpd
    import pandas as pd

    from pata_gis import access

    ws = open_ws(args)
    net = load_network(args.network, ws)
    origins = ws.read(args.origins)
    if len(origins) == 0:
        raise InputError(f"layer '{args.origins}' has no features to measure from")
    if ws.spec(args.origins).sensitivity == "confidential":
        raise PataGisError(
            f"layer '{args.origins}' is confidential; measure from settlements or candidate sites"
        )
    name_col = "name" if "name" in origins else None
    reps = gpd.GeoDataFrame(
        index=pd.Index(
            origins[name_col].astype(str) if name_col else range(1, len(origins) + 1),
            name="origin",
        ),
        geometry=origins.geometry.representative_point().to_numpy(),
        crs=origins.crs,
    )
    categories: dict[str, Any] = {}
    for layer in args.categories:
        gdf = ws.read(layer)
        if "kind" in gdf and layer in ("health", "emergency_services", "social_services"):
            for kind, sub in gdf.groupby("kind"):
                categories[f"{layer}:{kind}"] = sub.reset_index(drop=True)
        elif len(gdf):
            categories[layer] = gdf.reset_index(drop=True)
    table = access.nearest_facilities(
        net, reps, categories, mode=args.mode, within_minutes=(15, 30)
    )
    names = {
        cat: (gdf["name"].astype(str) if "name" in gdf else gdf.index.astype(str))
        for cat, gdf in categories.items()
    }
    table.insert(
        list(table.columns).index("facility") + 1,
        "facility_name",
        [
            names[c].iloc[int(f)] if pd.notna(f) else None
            for c, f in zip(table["category"], table["facility"], strict=True)
        ],
    )
    out = Path(args.out)
    if out.exists() and not args.force:
        raise PataGisError(f"{out} exists; pass --force to replace it")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        if out.suffix.lower() == ".gpkg":
            flat = table.reset_index(names="origin")
            geom = reps.geometry.reindex(flat["origin"]).to_numpy()
            geo = gpd.GeoDataFrame(flat, geometry=geom, crs=reps.crs)
            geo.to_file(tmp, driver="GPKG", layer="access")
        else:
            table.to_csv(tmp, encoding="utf-8-sig")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    print(f"{len(table)} rows ({len(reps)} origins x {len(categories)} categories) -> {out}")
    return 0


def cmd_isochrones(args: argparse.Namespace, open_ws: Any) -> int:
    import geopandas as gpd

    from pata_gis import access

    ws = open_ws(args)
    if ws.spec(args.origins).sensitivity == "confidential":
        raise PataGisError(f"layer '{args.origins}' is confidential; use another layer")
    origins = ws.read(args.origins)
    if len(origins) == 0:
        raise InputError(f"layer '{args.origins}' has no features")
    net = load_network(args.network, ws)
    labels = origins["name"].astype(str) if "name" in origins else range(1, len(origins) + 1)
    pts = gpd.GeoDataFrame(
        index=list(labels),
        geometry=origins.geometry.representative_point().to_numpy(),
        crs=origins.crs,
    )
    iso = access.isochrones(net, pts, args.minutes, mode=args.mode)
    out = Path(args.out)
    if out.exists() and not args.force:
        raise PataGisError(f"{out} exists; pass --force to replace it")
    from pata_gis import io

    io.write(iso.to_crs(settings.display_crs), out, overwrite=args.force)
    print(f"{len(iso)} areas ({len(pts)} places x {len(args.minutes)} times, {args.mode}) -> {out}")
    return 0


def _weight_sets(path: str | None) -> dict[str, dict[str, float]]:
    if not path:
        return {}
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(
            f"{p}: cannot read the weights ({exc}); write one [table] per stakeholder, e.g.\n"
            "[community]\nschool = 3\nfamily doctor = 2"
        ) from exc
    sets = {k: v for k, v in raw.items() if isinstance(v, dict)}
    if not sets:
        raise InputError(f"{p}: no [stakeholder] table of weights found")
    return {k: {c: float(w) for c, w in v.items()} for k, v in sets.items()}


def cmd_sites_rank(args: argparse.Namespace, open_ws: Any) -> int:
    import pandas as pd

    from pata_gis import sites

    ws = open_ws(args)
    layers = {n: ws.read(n) for n in ws.layer_names() if ws.spec(n).sensitivity != "confidential"}
    net = load_network(args.network, ws) if not args.no_network else None
    sets = _weight_sets(args.weights)
    chosen = sets.get(args.set) if args.set else (next(iter(sets.values())) if sets else None)
    if args.set and chosen is None:
        raise InputError(f"no weight set '{args.set}' in {args.weights}: {', '.join(sets)}")
    ev = sites.evaluate(layers, network=net, weights=chosen, legal_distance_m=args.distance)
    cols = ["rank", "status", "score", "reason"]
    table = ev.ranking[[c for c in cols if c in ev.ranking]].join(ev.criteria.round(2))
    with pd.option_context("display.width", 160, "display.max_columns", 8):
        print(ev.ranking[[c for c in cols if c in ev.ranking]].to_string())
    print("weights: " + ", ".join(f"{k} {v:.2f}" for k, v in ev.weights.items()))
    for note in ev.notes:
        print(f"note: {note}")
    if len(sets) > 1:
        cmp = sites.compare_stakeholders(ev.criteria, ev.used, sets, constraints=ev.constraints)
        print("\nstakeholders: where their rankings agree and disagree")
        print(cmp.sites.to_string())
        print(cmp.pairs.to_string())
    if args.out:
        out = Path(args.out)
        if out.exists() and not args.force:
            raise PataGisError(f"{out} exists; pass --force to replace it")
        tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        try:
            table.to_csv(tmp, encoding="utf-8-sig")
            tmp.replace(out)
        finally:
            tmp.unlink(missing_ok=True)
        print(f"ranking and criteria -> {out}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser, open_ws: Any) -> None:
    """Add the network, access and sites commands to the ``pata-gis`` parser."""

    def bind(func: Any) -> Any:
        return lambda args: func(args, open_ws)

    n = sub.add_parser("network", parents=[common], help="street networks for distances")
    nsub = n.add_subparsers(dest="network_command", required=True, metavar="ACTION")
    s = nsub.add_parser(
        "build",
        parents=[common],
        help="build and save a network from the roads layer, an OSM file/download, GTFS shapes",
    )
    s.add_argument("--out", help=f"where to save it (default {DEFAULT_NETWORK})")
    s.add_argument("--osm", metavar="FILE", help="an OSM XML file (.osm, .osm.bz2) to build from")
    s.add_argument("--place", help="download from OpenStreetMap (needs internet; cached)")
    s.add_argument("--cache", default=str(Path("data") / "osm_cache"), help="OSM download cache")
    s.add_argument("--gtfs", metavar="FEED", help="add the route shapes of a GTFS feed (.zip)")
    s.add_argument("--no-roads", action="store_true", help="leave out the workspace roads layer")
    s.add_argument("--snap", type=float, help="join line ends closer than this (m)")
    s.set_defaults(func=bind(cmd_network_build))

    s = sub.add_parser(
        "access",
        parents=[common],
        help="distance and time to the nearest facility of each kind (CSV or GeoPackage)",
    )
    s.add_argument("--origins", default="settlements", help="layer to measure from")
    s.add_argument(
        "--categories",
        nargs="+",
        default=["schools", "kindergartens", "health", "social_services", "transit_stops"],
        help="facility layers (health, emergency and social services split by kind)",
    )
    s.add_argument("--mode", choices=["walk", "drive"], default="walk")
    s.add_argument("--network", help=f"a saved network (default {DEFAULT_NETWORK} or the roads)")
    s.add_argument("--out", required=True, help=".csv or .gpkg")
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=bind(cmd_access))

    s = sub.add_parser(
        "isochrones", parents=[common], help="areas reached within given minutes from each place"
    )
    s.add_argument("--origins", default="settlements")
    s.add_argument("--minutes", type=float, nargs="+", default=[10.0, 20.0, 30.0])
    s.add_argument("--mode", choices=["walk", "drive"], default="walk")
    s.add_argument("--network", help=f"a saved network (default {DEFAULT_NETWORK} or the roads)")
    s.add_argument("--out", required=True, help=".gpkg, .geojson, .kml ...")
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=bind(cmd_isochrones))

    st = sub.add_parser("sites", parents=[common], help="social-housing site evaluation")
    ssub = st.add_subparsers(dest="sites_command", required=True, metavar="ACTION")
    s = ssub.add_parser(
        "rank", parents=[common], help="measure, constrain and rank candidate sites"
    )
    s.add_argument("--weights", help="TOML: one [table] of weights per stakeholder")
    s.add_argument("--set", help="which weight set ranks (default: the first)")
    s.add_argument("--network", help=f"a saved network (default {DEFAULT_NETWORK} or the roads)")
    s.add_argument("--no-network", action="store_true", help="leave out walking times")
    s.add_argument(
        "--distance",
        type=float,
        help=f"sanitary-protection distance in m (default {settings.landfill_protection_m:g})",
    )
    s.add_argument("--out", help="CSV of the ranking and every criterion")
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=bind(cmd_sites_rank))
