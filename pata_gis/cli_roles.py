"""``pata-gis role ...`` and ``pata-gis audit``: role passphrases, locks, and the export log.

Registered by :mod:`pata_gis.cli` (``cli_roles.register(sub, common, _open)``).
``role unlock ROLE`` lifts the lock put on a role after too many wrong
passphrases (:func:`pata_gis.roles.unlock`); ``audit`` prints the workspace's
audit log of exports (:meth:`pata_gis.workspace.Workspace.audit_log`).
A passphrase is never taken as a command-line argument (it would stay in the
shell history and the process list): it is asked twice without echo, or read
from the first line of standard input with ``--stdin``. Only its salted scrypt
hash is stored (:mod:`pata_gis.roles`).

Examples
--------
::

    pata-gis role set-passphrase planner
    pata-gis role list
    pata-gis role check planner
    pata-gis role clear police
    pata-gis role unlock planner
    pata-gis audit
    pata-gis audit --layer risk_marks --csv > audit.csv
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

__all__ = [
    "cmd_audit",
    "cmd_role",
    "cmd_role_check",
    "cmd_role_clear",
    "cmd_role_list",
    "cmd_role_set",
    "cmd_role_unlock",
    "register",
]


def _read_passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    from pata_gis._errors import InputError

    if getattr(args, "stdin", False):
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InputError("no passphrase on standard input; give it on the first line")
        return line
    first = getpass.getpass(f"passphrase for role {args.role}: ")
    if confirm:
        again = getpass.getpass("the same passphrase again: ")
        if again != first:
            raise InputError("the two passphrases differ; nothing was changed, try again")
    return first


def cmd_role_set(args: argparse.Namespace, open_ws: Any) -> int:
    """Ask a passphrase (twice) and store its hash for the role."""
    from pata_gis import roles

    ws = open_ws(args)
    phrase = _read_passphrase(args, confirm=True)
    replaced = roles.has_passphrase(ws, args.role)
    roles.set_passphrase(ws, args.role, phrase)
    print(
        f"passphrase of role {args.role} {'replaced' if replaced else 'set'} "
        f"(stored hashed in {ws.path.name}); give it only to the people of that role"
    )
    return 0


def cmd_role_check(args: argparse.Namespace, open_ws: Any) -> int:
    """Ask a passphrase and say whether it opens the role (exit 1 when not)."""
    from pata_gis import roles

    ws = open_ws(args)
    if not roles.has_passphrase(ws, args.role):
        print(f"role {args.role} has no passphrase: set one with `pata-gis role set-passphrase`")
        return 1
    from pata_gis._errors import SensitivityError

    try:
        roles.enter(ws, args.role, _read_passphrase(args, confirm=False))
    except SensitivityError as exc:  # wrong, or locked (roles.LockedOutError)
        print(exc)
        return 1
    print("the passphrase is right")
    return 0


def cmd_role_unlock(args: argparse.Namespace, open_ws: Any) -> int:
    """Lift a role's lock after wrong passphrases (and forget its wrong tries)."""
    from pata_gis import roles

    ws = open_ws(args)
    lock = roles.lockout(ws, args.role)
    roles.unlock(ws, args.role)
    if lock.locked_until is not None:
        print(f"role {args.role} unlocked (it was locked until {lock.locked_until:%H:%M} UTC)")
    elif lock.failures:
        print(f"role {args.role} was not locked; its {lock.failures} wrong tries are forgotten")
    else:
        print(f"role {args.role} was not locked")
    return 0


def cmd_role_clear(args: argparse.Namespace, open_ws: Any) -> int:
    """Remove the role's passphrase: nobody can enter the role until one is set."""
    from pata_gis import roles

    ws = open_ws(args)
    roles.clear_passphrase(ws, args.role)
    print(f"passphrase of role {args.role} removed; the role cannot be entered until one is set")
    return 0


def cmd_role_list(args: argparse.Namespace, open_ws: Any) -> int:
    """List the roles, whether each needs a passphrase and whether one is set."""
    from pata_gis import privacy, roles

    ws = open_ws(args)
    for role in privacy.ROLES:
        if not roles.needs_passphrase(role):
            state = "open (no passphrase)"
        elif roles.has_passphrase(ws, role):
            state = "passphrase set"
            lock = roles.lockout(ws, role)
            if lock.locked_until is not None:
                state += (
                    f"; LOCKED after wrong passphrases until {lock.locked_until:%H:%M} UTC "
                    f"(`pata-gis role unlock {role}`)"
                )
            elif lock.failures:
                state += f"; {lock.failures} wrong tries in the last minutes"
        else:
            state = "locked: no passphrase yet"
        print(f"{role:<10} {state}")
    return 0


def cmd_role(args: argparse.Namespace, open_ws: Any) -> int:
    """Run ``pata-gis role <action>`` (``args.role_command``)."""
    commands = {
        "set-passphrase": cmd_role_set,
        "check": cmd_role_check,
        "clear": cmd_role_clear,
        "list": cmd_role_list,
        "unlock": cmd_role_unlock,
    }
    return commands[args.role_command](args, open_ws)


_AUDIT_SHOWN = ["when_utc", "who", "role", "layer", "level", "n_features", "destination"]


def cmd_audit(args: argparse.Namespace, open_ws: Any) -> int:
    """Print the workspace's audit log of exports (oldest first)."""
    import json

    ws = open_ws(args)
    log = ws.audit_log()
    if args.layer:
        log = log[log["layer"] == args.layer]
    if args.csv:
        out = log.copy()
        out["params"] = [
            json.dumps(p, ensure_ascii=False, sort_keys=True) if p else "" for p in out["params"]
        ]
        out.to_csv(sys.stdout, index=False)
        return 0
    if log.empty:
        print(
            f"no export recorded in {ws.path.name}" + (f" for {args.layer}" if args.layer else "")
        )
        return 0
    shown = log[_AUDIT_SHOWN].copy()
    shown["when_utc"] = shown["when_utc"].dt.strftime("%Y-%m-%d %H:%M")
    shown["destination"] = [
        Path(d).name if isinstance(d, str) else "" for d in shown["destination"]
    ]
    shown = shown.rename(
        columns={"when_utc": "when (UTC)", "n_features": "rows", "destination": "file"}
    )
    print(shown.astype(object).fillna("").to_string(index=False))
    imported = int(log["source"].str.startswith("imported").sum())
    print(
        f"{len(log)} export(s) recorded in {ws.path.name} (table pata_audit)"
        + (f", {imported} imported from an older .audit.jsonl" if imported else "")
        + "; --csv for every column (full paths, SHA-256, parameters)"
    )
    return 0


def register(sub: Any, common: argparse.ArgumentParser, open_ws: Any) -> None:
    """Add ``pata-gis role set-passphrase|check|clear|list|unlock`` and ``audit``."""
    from pata_gis.roles import PROTECTED_ROLES

    def bind(func: Any) -> Any:
        return lambda args: func(args, open_ws)

    r = sub.add_parser("role", parents=[common], help="passphrases of the app's roles")
    rsub = r.add_subparsers(dest="role_command", required=True, metavar="ACTION")

    s = rsub.add_parser(
        "set-passphrase", parents=[common], help="set (or replace) a role's passphrase"
    )
    s.add_argument("role", choices=list(PROTECTED_ROLES))
    s.add_argument("--stdin", action="store_true", help="read it from standard input")
    s.set_defaults(func=bind(cmd_role_set))

    s = rsub.add_parser("check", parents=[common], help="check a passphrase")
    s.add_argument("role", choices=list(PROTECTED_ROLES))
    s.add_argument("--stdin", action="store_true", help="read it from standard input")
    s.set_defaults(func=bind(cmd_role_check))

    s = rsub.add_parser("clear", parents=[common], help="remove a role's passphrase")
    s.add_argument("role", choices=list(PROTECTED_ROLES))
    s.set_defaults(func=bind(cmd_role_clear))

    s = rsub.add_parser("list", parents=[common], help="which roles have a passphrase")
    s.set_defaults(func=bind(cmd_role_list))

    s = rsub.add_parser(
        "unlock", parents=[common], help="lift a role's lock after wrong passphrases"
    )
    s.add_argument("role", choices=list(PROTECTED_ROLES))
    s.set_defaults(func=bind(cmd_role_unlock))

    a = sub.add_parser(
        "audit", parents=[common], help="the audit log of exports (who, when, layer, level)"
    )
    a.add_argument("--layer", help="only the exports of this layer")
    a.add_argument("--csv", action="store_true", help="every column as CSV on standard output")
    a.set_defaults(func=bind(cmd_audit))
