"""``pata-gis role ...``: set, check and remove the passphrases of the app's roles.

Registered by :mod:`pata_gis.cli` (``cli_roles.register(sub, common, _open)``).
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
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

__all__ = [
    "cmd_role",
    "cmd_role_check",
    "cmd_role_clear",
    "cmd_role_list",
    "cmd_role_set",
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
    ok = roles.verify(ws, args.role, _read_passphrase(args, confirm=False))
    print("the passphrase is right" if ok else "wrong passphrase")
    return 0 if ok else 1


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
    }
    return commands[args.role_command](args, open_ws)


def register(sub: Any, common: argparse.ArgumentParser, open_ws: Any) -> None:
    """Add ``pata-gis role set-passphrase|check|clear|list`` to the parser."""
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
