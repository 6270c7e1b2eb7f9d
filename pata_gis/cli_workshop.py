"""``pata-gis workshop ...`` and ``pata-gis hotspots``: thin commands over the library.

Registered by :mod:`pata_gis.cli`; every import of an analysis module is done
inside the command so that ``pata-gis --help`` stays fast.
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from pata_gis._errors import PataGisError

__all__ = ["register"]


def _audit_path(ws: Any) -> Path:
    """The audit log of a workspace's exports: a JSON-lines file beside it."""
    return Path(ws.path).with_suffix(".audit.jsonl")


def _who(args: argparse.Namespace) -> str:
    return getattr(args, "who", None) or getpass.getuser()


def cmd_workshop_new(args: argparse.Namespace, open_ws: Any) -> int:
    from pata_gis import workshop

    ws = open_ws(args)
    ws.add_missing_layers()
    s = workshop.new_session(
        ws,
        community=args.community,
        date=args.date,
        facilitator=args.facilitator,
        group=args.group,
        consent_scope=args.consent,
        participants=args.participants,
        notes=args.notes,
        author=args.author,
    )
    print(f"session {s.session_id}: {s.label}")
    print(workshop.consent_text(args.consent, args.lang or "ro"))
    return 0


def cmd_workshop_list(args: argparse.Namespace, open_ws: Any) -> int:
    from pata_gis import workshop

    ws = open_ws(args)
    sessions = workshop.list_sessions(ws, community=args.community)
    if not sessions:
        print("no workshop sessions yet (pata-gis workshop new ...)")
        return 0
    for s in sessions:
        print(f"{s.session_id}  {s.label}  consent: {s.consent_scope}")
    return 0


def cmd_workshop_import(args: argparse.Namespace, open_ws: Any) -> int:
    from pata_gis import workshop

    ws = open_ws(args)
    ws.add_missing_layers()
    added, report = workshop.import_marks(
        ws, args.session, Path(args.file), form=args.form, author=args.author
    )
    print(report)
    saved = ", ".join(f"{n} {layer}" for layer, n in added.items() if n) or "nothing"
    print(f"saved: {saved}")
    for line in getattr(added, "skipped", []):
        print(f"skipped: {line}")
    return 0


def cmd_workshop_sheet(args: argparse.Namespace, open_ws: Any) -> int:
    import json

    from pata_gis import printing, sheets

    ws = open_ws(args)
    specs = ws.specs()
    public = [n for n, s in specs.items() if s.sensitivity == "public"]
    layers = {n: ws.read(n) for n in public}
    fig, _grid, meta = sheets.make_sheet(
        args.community,
        layers,
        {n: specs[n] for n in public},
        paper=args.paper,
        lang=args.lang,
        session=args.session,
        date=args.date,
    )
    out = Path(args.out)
    printing.save_figure(fig, out)
    meta_path = out.with_suffix(".sheet.json")
    tmp = meta_path.with_name(f".{meta_path.name}.tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    tmp.replace(meta_path)
    print(f"sheet {meta.get('sheet_id', '')} ({args.paper}) -> {out}")
    print(f"grid and sheet id -> {meta_path} (keep it to type the marks back by cell)")
    return 0


def cmd_workshop_enter(args: argparse.Namespace, open_ws: Any) -> int:
    import json

    import pandas as pd

    from pata_gis import sheets, workshop

    meta_path = Path(args.sheet)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PataGisError(
            f"{meta_path}: cannot read the sheet file ({exc}); pass the .sheet.json written "
            "by 'pata-gis workshop sheet'"
        ) from exc
    grid = sheets.SheetGrid.from_dict(meta)
    entries = pd.read_csv(args.entries, dtype=str, keep_default_na=False, sep=None, engine="python")
    if "sheet_id" not in entries and meta.get("sheet_id"):
        entries["sheet_id"] = meta["sheet_id"]
    marks = sheets.marks_from_cells(entries, grid, session_id=args.session)
    ws = open_ws(args)
    ws.add_missing_layers()
    added = workshop.add_marks(ws, args.session, marks, author=args.author)
    saved = ", ".join(f"{n} {layer}" for layer, n in added.items() if n) or "nothing"
    print(f"{len(entries)} rows typed in from sheet {meta.get('sheet_id', '')}: saved {saved}")
    left = len(entries) - len(marks)
    if left:
        print(f"{left} rows without consent were left out (not stored)")
    return 0


def cmd_workshop_erase(args: argparse.Namespace, open_ws: Any) -> int:
    import sys

    from pata_gis import erasure, workshop
    from pata_gis.i18n import t

    lang = args.lang
    ws = open_ws(args)
    session = workshop.get_session(ws, args.session)  # an unknown id stops here
    if not args.reason.strip():
        raise PataGisError(t("erase.no_reason", lang))
    if not args.yes:
        prompt = t("erase.confirm", lang, sid=session.session_id, label=session.label)
        try:
            answer = input(prompt)
        except EOFError:
            answer = ""
        if answer.strip().lower() not in {"yes", "y", "da", "d", "igen", "i"}:
            print(t("erase.cancelled", lang), file=sys.stderr)
            return 1
    done = erasure.erase_session_marks(
        ws, session.session_id, author=_who(args), reason=args.reason
    )
    print(done.summary(lang))
    return 0


def cmd_hotspots(args: argparse.Namespace, open_ws: Any) -> int:
    import geopandas as gpd
    import pandas as pd

    from pata_gis import io, privacy, risk, workshop

    ws = open_ws(args)
    ws.add_missing_layers()
    if args.community:
        marks = workshop.merge_groups(ws, args.community, audience="aggregate")
    else:
        frames = [ws.read(layer) for layer in workshop.MARK_LAYERS.values()]
        frames = [f for f in frames if len(f)]
        marks = (
            gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
            if frames
            else ws.read("risk_marks")
        )
    spots = risk.hotspots(marks, cell_m=args.cell, alpha=args.alpha)
    status = spots.attrs.get("status", "")
    reason = spots.attrs.get("reason", "")
    # what leaves the workspace: cells with fewer than k marks are dropped
    count_col = "n_marks" if "n_marks" in spots else "count"
    public = privacy.suppress(spots, count_col=count_col, k=args.k)
    if args.out:
        keep = [c for c in public.columns if c not in ("row", "col")]
        out = io.write(public[keep], Path(args.out), overwrite=args.force)
        log = privacy.AuditLog(_audit_path(ws))
        log.append(
            privacy.audit_record(
                who=_who(args),
                role=args.role,
                layer="hotspots(risk marks)",
                level="aggregated",
                n_features=len(public),
                destination=str(out),
                sha256=privacy.file_sha256(out),
            )
        )
        print(f"{len(public)} cells (k >= {args.k}) -> {out}; export logged in {log.path}")
    classes = public["class"].value_counts().to_dict() if "class" in public else {}
    print(f"hotspots: {status} {reason}".strip())
    for cls, n in classes.items():
        print(f"  {cls}: {n} cells")
    return 0


def cmd_safety_plan(args: argparse.Namespace, open_ws: Any) -> int:
    from pata_gis import safety
    from pata_gis.cli_planning import load_network

    ws = open_ws(args)
    ws.add_missing_layers()
    out = Path(args.out)
    if out.exists() and not args.force:
        raise PataGisError(f"{out} exists; pass --force to replace it")
    net = load_network(args.network, ws)
    path = safety.safety_plan_pdf(
        out,
        who=_who(args),
        workspace=ws,
        network=net,
        lang=args.lang or "ro",
        privacy_level=args.level,
        audit=_audit_path(ws),
        target_min=args.target,
    )
    print(f"safety plan at privacy level {args.level} -> {path} (logged in {_audit_path(ws)})")
    return 0


def register(sub: Any, common: argparse.ArgumentParser, open_ws: Any) -> None:
    """Add the workshop and hotspot commands to the ``pata-gis`` parser."""

    def bind(func: Any) -> Any:
        return lambda args: func(args, open_ws)

    w = sub.add_parser("workshop", parents=[common], help="community mapping workshops")
    wsub = w.add_subparsers(dest="workshop_command", required=True, metavar="ACTION")

    s = wsub.add_parser("new", parents=[common], help="start a session (community, group, consent)")
    s.add_argument("--community", required=True, help="Cantonului, Colectorului, Dallas, Rampa")
    s.add_argument("--date", required=True, help="YYYY-MM-DD")
    s.add_argument("--facilitator", required=True)
    s.add_argument("--group", help="e.g. women, young people, elders")
    s.add_argument(
        "--consent",
        required=True,
        choices=[
            "none",
            "community_only",
            "aggregate_only",
            "share_with_planners",
            "share_with_police",
        ],
        help="what the group agreed its marks may be used for",
    )
    s.add_argument("--participants", type=int)
    s.add_argument("--notes")
    s.add_argument("--author")
    s.add_argument("--lang", choices=["ro", "en", "hu"])
    s.set_defaults(func=bind(cmd_workshop_new))

    s = wsub.add_parser("list", parents=[common], help="list the sessions")
    s.add_argument("--community")
    s.set_defaults(func=bind(cmd_workshop_list))

    s = wsub.add_parser(
        "import", parents=[common], help="add marks from a Kobo/ODK/Mapeo/GeoJSON export"
    )
    s.add_argument("file")
    s.add_argument("--session", required=True, help="session id, e.g. DAL-20261125-01-F")
    s.add_argument("--form", choices=["kobo", "odk", "mapeo", "geojson"], help="default: detected")
    s.add_argument("--author")
    s.set_defaults(func=bind(cmd_workshop_import))

    s = wsub.add_parser(
        "sheet", parents=[common], help="print the paper map of a community (PDF/PNG)"
    )
    s.add_argument("--community", required=True)
    s.add_argument("--out", required=True, help="the sheet: .pdf or .png")
    s.add_argument("--paper", choices=["A4", "A3"], default="A3")
    s.add_argument("--session", help="session id printed on the sheet")
    s.add_argument("--date", help="YYYY-MM-DD (default: today)")
    s.add_argument("--lang", choices=["ro", "en", "hu"])
    s.set_defaults(func=bind(cmd_workshop_sheet))

    s = wsub.add_parser(
        "enter", parents=[common], help="type marks back from a paper sheet (cell, category...)"
    )
    s.add_argument("entries", help="CSV: cell, category, severity, time_of_day, note, consent")
    s.add_argument("--sheet", required=True, help="the .sheet.json printed with the sheet")
    s.add_argument("--session", required=True)
    s.add_argument("--author")
    s.set_defaults(func=bind(cmd_workshop_enter))

    s = wsub.add_parser(
        "erase",
        parents=[common],
        help="erase a session's marks for good (layers, history, file), on the group's request",
    )
    s.add_argument("session", help="session id, e.g. DAL-20261125-01-F")
    s.add_argument("--who", required=True, help="who erases (for the history and audit log)")
    s.add_argument("--reason", required=True, help="why, e.g. 'asked by the group'")
    s.add_argument("--yes", action="store_true", help="do not ask to confirm")
    s.add_argument("--lang", choices=["ro", "en", "hu"])
    s.set_defaults(func=bind(cmd_workshop_erase))

    s = sub.add_parser(
        "hotspots",
        parents=[common],
        help="Getis-Ord Gi* hotspots of risk marks (consented only; cells under k withheld)",
    )
    s.add_argument("--community", help="one community's sessions (default: every mark)")
    s.add_argument("--cell", type=float, help="grid cell size in m (default: 100)")
    s.add_argument("--alpha", type=float, default=0.05, help="false-discovery rate")
    s.add_argument("--k", type=int, default=5, help="smallest count a published cell may show")
    s.add_argument("--out", help="write the (suppressed) cells: .gpkg .geojson .csv ...")
    s.add_argument("--role", default="public", choices=["community", "planner", "police", "public"])
    s.add_argument("--who", help="who exports (for the audit log; default: user name)")
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=bind(cmd_hotspots))

    s = sub.add_parser(
        "safety-plan",
        parents=[common],
        help="bilingual safety-plan PDF: response times, routes, coverage, meeting points",
    )
    s.add_argument("--out", required=True, help="the .pdf")
    s.add_argument(
        "--level", default="police", choices=["public", "police", "planner", "community"]
    )
    s.add_argument("--lang", choices=["ro", "en"])
    s.add_argument("--target", type=float, help="target response time in minutes (all services)")
    s.add_argument("--network", help="a saved network (default data/network.npz or the roads)")
    s.add_argument("--who", help="who prepares it (default: user name)")
    s.add_argument("--force", action="store_true")
    s.set_defaults(func=bind(cmd_safety_plan))
