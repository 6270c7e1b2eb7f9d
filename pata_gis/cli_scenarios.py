"""``pata-gis scenario new|compare|optimise|report|save|list|export|delete``: resettlement scenarios.

A scenario is an allocation CSV (columns ``group`` = community of origin,
``site`` = candidate site name, ``n_households``) or a scenario saved in the
workspace (by the app's Scenarios page or ``scenario save``; every version is
kept, see :meth:`pata_gis.workspace.Workspace.save_scenario`). ``compare`` and
``report`` take CSV files and, with ``--saved NAME ...``, saved scenarios.
Families already relocated are an optional CSV (``community``, ``size``,
``n_households``, ``location``) that the baseline keeps where they are.
Commands are thin layers over :mod:`pata_gis.scenarios`, :mod:`pata_gis.sites`,
:mod:`pata_gis.printing` and :class:`pata_gis.workspace.Workspace`.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from pata_gis._errors import InputError, PataGisError

__all__ = ["register"]


def _atomic_csv(df: Any, path: Path, *, force: bool, index: bool = True) -> None:
    if path.exists() and not force:
        raise PataGisError(f"{path} exists; pass --force to replace it")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        df.to_csv(tmp, index=index, encoding="utf-8-sig")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def _read_csv(path: str | Path, required: tuple[str, ...], what: str) -> Any:
    import pandas as pd

    p = Path(path)
    try:
        df = pd.read_csv(p, sep=None, engine="python", encoding="utf-8-sig")
    except (OSError, ValueError) as exc:
        raise InputError(f"{p}: cannot read the {what} CSV ({exc})") from exc
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(
            f"{p}: the {what} CSV lacks the column(s) {', '.join(missing)}; "
            f"it needs {', '.join(required)} (found: {', '.join(map(str, df.columns))})"
        )
    return df


def _inputs(args: argparse.Namespace, open_ws: Any) -> dict[str, Any]:
    """Everything the scenario metrics need, read once from the workspace."""
    from pata_gis import scenarios as sc

    ws = open_ws(args)
    L = {n: ws.read(n) for n in ws.layer_names() if ws.spec(n).sensitivity != "confidential"}
    hh = sc.households_from_settlements(
        L["settlements"], total_households=args.households, household_size=args.household_size
    )
    rel = None
    if getattr(args, "relocated", None):
        rel = _read_csv(args.relocated, ("community", "n_households", "location"), "relocated")
        if "size" not in rel:
            rel["size"] = args.household_size or 5.0
        rel.index = [f"relocated_{i + 1}" for i in range(len(rel))]
    base = sc.baseline(hh, L["settlements"], already_relocated=rel)
    return {"ws": ws, "layers": L, "households": base.households, "baseline": base}


def _scenarios(
    files: list[str],
    base: Any,
    max_per_site: int | None,
    saved: list[str] | None = None,
    ws: Any = None,
) -> list[Any]:
    """The baseline, then a scenario per CSV file, then one per saved name.

    `saved` is None when ``--saved`` was not given, an empty list for every
    saved scenario of `ws`.
    """
    from pata_gis import scenarios as sc

    tables: list[tuple[str, Any]] = []
    for f in files:
        alloc = _read_csv(f, ("group", "site", "n_households"), "allocation")
        tables.append((Path(f).stem, alloc))
    if saved is not None:
        names = saved or [str(n) for n in ws.scenarios()["name"]]
        if not names:
            raise PataGisError(
                f"{ws.path}: holds no saved scenario; save one with "
                "`pata-gis scenario save NAME --file allocation.csv` or from the app"
            )
        tables.extend((name, ws.read_scenario(name)) for name in names)
    seen: set[str] = set()
    out = [base]
    for name, alloc in tables:
        if name in seen or name == base.name:
            raise PataGisError(
                f"two scenarios are named {name!r} (a CSV file is named after its file name, "
                "a saved scenario by its name); rename the file or compare them separately"
            )
        seen.add(name)
        alloc = alloc.loc[alloc["site"].notna() & (alloc["n_households"] > 0)]
        out.append(
            sc.Scenario(
                name,
                allocation=alloc[["group", "site", "n_households"]],
                rules=sc.Rules(max_per_site=max_per_site),
                households=base.households,
            )
        )
    return out


def _compare(args: argparse.Namespace, open_ws: Any) -> tuple[Any, dict[str, Any], list[Any]]:
    from pata_gis import scenarios as sc
    from pata_gis.cli_planning import load_network

    inp = _inputs(args, open_ws)
    L = inp["layers"]
    scen = _scenarios(args.allocations, inp["baseline"], args.max_per_site, args.saved, inp["ws"])
    net = load_network(args.network, inp["ws"]) if not args.no_network else None
    health = L.get("health")
    facilities = {"school": L["schools"]}
    if health is not None and "kind" in health:
        facilities["family_doctor"] = health[health["kind"] == "family_doctor"]
    table = sc.compare(
        scen,
        sites=sc.sites_table(L["candidate_sites"]),
        settlements=L["settlements"],
        landfill=L["landfill"],
        network=net,
        facilities=facilities,
        jobs=L.get("jobs"),
    )
    return sc.titled(table, lang=args.lang), inp, scen


def cmd_new(args: argparse.Namespace, open_ws: Any) -> int:
    import pandas as pd

    inp = _inputs(args, open_ws)
    hh = inp["households"]
    movable = hh.loc[~hh.get("relocated_already", False)] if "relocated_already" in hh else hh
    sites = inp["layers"]["candidate_sites"]
    template = pd.DataFrame({"group": movable.index.astype(str), "site": "", "n_households": 0})
    _atomic_csv(template, Path(args.out), force=args.force, index=False)
    print(f"allocation template for {len(template)} groups -> {args.out}")
    print("fill in 'site' with one of: " + "; ".join(map(str, sites["name"])))
    print("one row per group and site; a group may be split over several rows")
    return 0


def cmd_compare(args: argparse.Namespace, open_ws: Any) -> int:
    import pandas as pd

    table, _, scen = _compare(args, open_ws)
    with pd.option_context("display.width", 200, "display.max_columns", 12):
        shown = [c for c in table.columns if c != "assumptions"]
        print(table[shown].to_string(float_format=lambda v: f"{v:,.3g}"))
    if args.out:
        _atomic_csv(table, Path(args.out), force=args.force)
        print(f"metrics of {len(scen)} scenarios -> {args.out}")
    return 0


def cmd_optimise(args: argparse.Namespace, open_ws: Any) -> int:
    import pandas as pd

    from pata_gis import pollution
    from pata_gis import scenarios as sc

    inp = _inputs(args, open_ws)
    L = inp["layers"]
    sites = sc.sites_table(L["candidate_sites"])
    if not args.allow_zone:
        from pata_gis import sites as _sites

        cons = _sites.hard_constraints(sites, {"legal_zone": pollution.legal_zone(L["landfill"])})
        inside = cons.index[cons["excluded"].fillna(False).astype(bool)]
        if len(inside):
            print(
                "left out (inside the sanitary-protection zone; --allow-zone keeps them): "
                + ", ".join(map(str, inside))
            )
            sites = sites.drop(index=inside)
    st = L["settlements"].set_index("name")
    ex = pd.concat(
        [
            pollution.landfill_exposure(sites, L["landfill"])["exposure_mean"],
            pollution.landfill_exposure(st, L["landfill"])["exposure_mean"],
        ]
    )
    res = sc.optimise(
        inp["households"],
        sites,
        exposure=ex,
        segregation_weight=args.segregation_weight,
        max_per_site=args.max_per_site,
        max_per_block=args.max_per_block,
        groups=args.groups,
        place_all=args.max_moves is None,
        max_moves=args.max_moves,
    )
    print(f"status: {res.status}; mean exposure {res.mean_exposure:.3f}")
    print(res.allocation.to_string(index=False))
    print("what bound it:")
    for line in res.explanation:
        print(f"  {line}")
    if args.out:
        _atomic_csv(res.allocation, Path(args.out), force=args.force, index=False)
        print(
            f"proposed allocation -> {args.out} (compare it: pata-gis scenario compare {args.out})"
        )
    return 0


def cmd_report(args: argparse.Namespace, open_ws: Any) -> int:
    from pata_gis import reports, sites
    from pata_gis.cli_planning import load_network

    table, inp, scen = _compare(args, open_ws)
    ws, L = inp["ws"], inp["layers"]
    net = load_network(args.network, ws) if not args.no_network else None
    rep = reports.scenario_report(
        table, scen, L, ws.specs(), evaluation=sites.evaluate(L, network=net), lang=args.lang
    )
    out = rep.save(Path(args.out))
    print(f"report ({len(rep.pages())} pages) -> {out}")
    return 0


def cmd_save(args: argparse.Namespace, open_ws: Any) -> int:
    """Save an allocation CSV as the next version of a workspace scenario."""
    import pandas as pd

    from pata_gis.workspace import SCENARIO_COLUMNS, check_scenario_name

    name = check_scenario_name(args.name)  # before the CSV is read: a clear error first
    alloc = _read_csv(args.file, SCENARIO_COLUMNS, "allocation")
    extra = [str(c) for c in alloc.columns if c not in SCENARIO_COLUMNS]
    # rows of a `scenario new` template left unfilled (no site, no households)
    n = pd.to_numeric(alloc["n_households"], errors="coerce")
    blank_site = alloc["site"].isna() | (alloc["site"].astype(str).str.strip() == "")
    unfilled = blank_site & (n.isna() | (n == 0))
    alloc = alloc.loc[~unfilled, list(SCENARIO_COLUMNS)]
    ws = open_ws(args)
    try:
        version = ws.save_scenario(name, alloc, note=args.note, author=args.author)
    except InputError as exc:
        raise InputError(f"{args.file}: {exc} (row 1 = the first line after the header)") from exc
    total = int(pd.to_numeric(alloc["n_households"]).sum()) if len(alloc) else 0
    print(
        f"scenario {name!r} saved as version {version} in {ws.path.name}: "
        f"{len(alloc)} rows, {total} households moved"
    )
    if int(unfilled.sum()):
        print(f"left out {int(unfilled.sum())} unfilled row(s) (no site and no households)")
    if extra:
        print(f"not stored (not part of an allocation): column(s) {', '.join(extra)}")
    return 0


def cmd_list(args: argparse.Namespace, open_ws: Any) -> int:
    """List the saved scenarios, or the versions of one."""
    import pandas as pd

    ws = open_ws(args)
    if args.history:
        table = ws.scenario_history(args.history)
        title = f"versions of scenario {args.history!r}"
    else:
        table = ws.scenarios()
        title = f"saved scenarios in {ws.path.name}"
        if table.empty:
            print(
                f"no saved scenario in {ws.path.name}; save one with "
                "`pata-gis scenario save NAME --file allocation.csv` or from the app"
            )
            return 0
    table = table.assign(
        saved_at=table["saved_at"].dt.strftime("%Y-%m-%d %H:%M"), note=table["note"].fillna("")
    )
    table = table[[c for c in table.columns if c != "note"] + ["note"]]  # free text last
    print(f"{title} (times in UTC):")
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(table.to_string(index=False))
    return 0


def cmd_export(args: argparse.Namespace, open_ws: Any) -> int:
    """Write a saved scenario (a version of it) to an allocation CSV."""
    ws = open_ws(args)
    alloc = ws.read_scenario(args.name, version=args.version)
    _atomic_csv(alloc, Path(args.out), force=args.force, index=False)
    which = f"version {args.version}" if args.version is not None else "latest version"
    print(f"scenario {args.name!r} ({which}, {len(alloc)} rows) -> {args.out}")
    return 0


def cmd_delete(args: argparse.Namespace, open_ws: Any) -> int:
    """Mark a saved scenario deleted (its versions stay in the history)."""
    ws = open_ws(args)
    version = ws.delete_scenario(args.name, note=args.note, author=args.author)
    print(
        f"scenario {args.name!r} deleted (version {version}); its earlier versions stay: "
        f"pata-gis scenario list --history {args.name!r}"
    )
    return 0


def register(sub: Any, common: argparse.ArgumentParser, open_ws: Any) -> None:
    """Add ``pata-gis scenario ...`` to the parser."""

    def bind(func: Any) -> Any:
        return lambda args: func(args, open_ws)

    p = sub.add_parser("scenario", parents=[common], help="resettlement scenarios")
    ssub = p.add_subparsers(dest="scenario_command", required=True, metavar="ACTION")

    def shared(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--relocated", help="CSV of families already relocated (kept in place)")
        sp.add_argument("--households", type=int, help="total families (default 300)")
        sp.add_argument("--household-size", type=float, help="persons per family (default 5)")
        sp.add_argument("--force", action="store_true")

    def comparing(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "allocations", nargs="*", help="allocation CSVs (group, site, n_households)"
        )
        sp.add_argument(
            "--saved",
            nargs="*",
            metavar="NAME",
            help="scenarios saved in the workspace (after the CSVs); with no name, all of them",
        )
        sp.add_argument("--max-per-site", type=int, help="dispersal rule to check")
        sp.add_argument("--network", help="a saved network (default data/network.npz or the roads)")
        sp.add_argument("--no-network", action="store_true")
        sp.add_argument("--lang", choices=["ro", "en"])

    s = ssub.add_parser("new", parents=[common], help="write an allocation template CSV to fill in")
    s.add_argument("--out", required=True)
    shared(s)
    s.set_defaults(func=bind(cmd_new))

    s = ssub.add_parser("compare", parents=[common], help="metrics of scenarios side by side")
    comparing(s)
    s.add_argument("--out", help="CSV of the comparison")
    shared(s)
    s.set_defaults(func=bind(cmd_compare))

    s = ssub.add_parser(
        "optimise", parents=[common], help="propose an allocation (integer programme)"
    )
    s.add_argument("--groups", nargs="+", help="communities to move (default: all)")
    s.add_argument("--max-moves", type=int, help="move at most this many families")
    s.add_argument("--max-per-site", type=int)
    s.add_argument("--max-per-block", type=int)
    s.add_argument("--segregation-weight", type=float, default=1.0)
    s.add_argument(
        "--allow-zone",
        action="store_true",
        help="also place families on sites inside the landfill's sanitary-protection zone",
    )
    s.add_argument("--out", help="the proposed allocation CSV")
    shared(s)
    s.set_defaults(func=bind(cmd_optimise))

    s = ssub.add_parser("report", parents=[common], help="a bilingual PDF for a council meeting")
    comparing(s)
    s.add_argument("--out", required=True, help="the .pdf")
    shared(s)
    s.set_defaults(func=bind(cmd_report))

    s = ssub.add_parser(
        "save", parents=[common], help="save an allocation CSV in the workspace (a new version)"
    )
    s.add_argument("name", help="the scenario's name (as the app shows it)")
    s.add_argument("--file", required=True, help="allocation CSV (group, site, n_households)")
    s.add_argument("--note", help="what this version is, for the history")
    s.add_argument("--author", help="who saves it (kept in the history; default: user name)")
    s.set_defaults(func=bind(cmd_save))

    s = ssub.add_parser("list", parents=[common], help="the scenarios saved in the workspace")
    s.add_argument("--history", metavar="NAME", help="every version of one scenario instead")
    s.set_defaults(func=bind(cmd_list))

    s = ssub.add_parser("export", parents=[common], help="write a saved scenario to a CSV")
    s.add_argument("name")
    s.add_argument("--version", type=int, help="an earlier version (see list --history)")
    s.add_argument("--out", required=True, help="the allocation CSV")
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=bind(cmd_export))

    s = ssub.add_parser(
        "delete", parents=[common], help="mark a saved scenario deleted (history kept)"
    )
    s.add_argument("name")
    s.add_argument("--note", help="why, for the history")
    s.add_argument("--author", help="who deletes it (kept in the history; default: user name)")
    s.set_defaults(func=bind(cmd_delete))
