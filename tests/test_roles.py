"""Roles: passphrase hashing, storage in the workspace, and what each role sees."""

from __future__ import annotations

import json
import logging
import math
import shutil
import sqlite3
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from pata_gis import crs as _crs
from pata_gis import roles
from pata_gis import workshop as w
from pata_gis._errors import InputError, SensitivityError
from pata_gis.workspace import Workspace

PHRASE = "piatra craiului 2026"
FAST = {"n": 2**4, "r": 1, "p": 1}  # cheap parameters for the pure hashing tests


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roles") / "template.gpkg"
    Workspace.create(path, author="test")
    return path


@pytest.fixture()
def ws(template: Path, tmp_path: Path) -> Workspace:
    path = tmp_path / "ws.gpkg"
    shutil.copy(template, path)
    return Workspace(path)


# --------------------------------------------------------------------------- hashing
def test_hash_is_not_the_passphrase_and_salt_differs() -> None:
    a = json.loads(roles.hash_passphrase(PHRASE, **FAST))
    b = json.loads(roles.hash_passphrase(PHRASE, **FAST))
    assert PHRASE not in json.dumps(a)
    assert a["salt"] != b["salt"] and a["hash"] != b["hash"]
    assert len(bytes.fromhex(a["salt"])) == 16 and len(bytes.fromhex(a["hash"])) == 32


def test_hash_matches_hashlib_scrypt_by_hand() -> None:
    import hashlib

    salt = bytes(range(16))
    rec = json.loads(roles.hash_passphrase(PHRASE, salt=salt, **FAST))
    want = hashlib.scrypt(PHRASE.encode(), salt=salt, n=16, r=1, p=1, dklen=32)
    assert rec["hash"] == want.hex()
    assert rec["kdf"] == "scrypt" and (rec["n"], rec["r"], rec["p"]) == (16, 1, 1)


def test_default_parameters_are_the_documented_ones() -> None:
    rec = json.loads(roles.hash_passphrase(PHRASE))
    assert (rec["n"], rec["r"], rec["p"]) == (2**14, 8, 1)
    assert roles.check_passphrase(PHRASE, json.dumps(rec))


def test_check_passphrase_right_wrong_and_damaged() -> None:
    rec = roles.hash_passphrase(PHRASE, **FAST)
    assert roles.check_passphrase(PHRASE, rec)
    assert not roles.check_passphrase(PHRASE + " ", rec)
    assert not roles.check_passphrase("piatra craiului 2025", rec)
    assert not roles.check_passphrase(PHRASE, "{not json")
    assert not roles.check_passphrase(PHRASE, json.dumps({"kdf": "md5", "hash": "00"}))


def test_short_passphrase_refused() -> None:
    with pytest.raises(InputError, match="at least 8"):
        roles.hash_passphrase("short", **FAST)


# --------------------------------------------------------------------------- storage
def test_set_and_verify_in_workspace(ws: Workspace, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    assert not roles.has_passphrase(ws, "planner")
    assert not roles.verify(ws, "planner", PHRASE)  # nothing set: cannot be entered
    roles.set_passphrase(ws, "planner", PHRASE)
    assert roles.has_passphrase(ws, "planner")
    assert roles.verify(ws, "planner", PHRASE)
    assert roles.verify(str(ws.path), "planner", PHRASE)  # a path works too
    assert not roles.verify(ws, "planner", "wrong passphrase")
    assert not roles.verify(ws, "planner", None)
    assert not roles.verify(ws, "police", PHRASE)  # per role
    assert roles.verify(ws, "public", None)  # the public role is open
    # the passphrase is neither in the file nor in the log
    assert PHRASE.encode() not in ws.path.read_bytes()
    assert PHRASE not in caplog.text
    # stored under pata_meta with a fresh salt each time
    with sqlite3.connect(ws.path) as con:
        (first,) = con.execute(
            "SELECT value FROM pata_meta WHERE key = 'role_passphrase:planner'"
        ).fetchone()
    roles.set_passphrase(ws, "planner", PHRASE)
    with sqlite3.connect(ws.path) as con:
        (second,) = con.execute(
            "SELECT value FROM pata_meta WHERE key = 'role_passphrase:planner'"
        ).fetchone()
    assert json.loads(first)["salt"] != json.loads(second)["salt"]
    assert roles.verify(ws, "planner", PHRASE)
    # layers untouched, still a workspace
    assert Workspace(ws.path).layer_names() == ws.layer_names()


def test_enter_says_how_to_set_a_passphrase(ws: Workspace) -> None:
    with pytest.raises(SensitivityError, match="role set-passphrase police"):
        roles.enter(ws, "police", PHRASE)
    roles.set_passphrase(ws, "police", PHRASE)
    assert roles.enter(ws, "police", PHRASE) == "police"
    with pytest.raises(SensitivityError, match="wrong passphrase"):
        roles.enter(ws, "police", "not the one")
    assert roles.enter(ws, "public") == "public"
    roles.clear_passphrase(ws, "police")
    assert not roles.verify(ws, "police", PHRASE)


def test_passphrase_stamp_changes_when_set_again(ws: Workspace) -> None:
    assert roles.passphrase_stamp(ws, "planner") is None
    roles.set_passphrase(ws, "planner", PHRASE)
    first = roles.passphrase_stamp(ws, "planner")
    assert first is not None and len(first) == 16
    assert roles.passphrase_stamp(ws, "planner") == first  # stable while unchanged
    roles.set_passphrase(ws, "planner", PHRASE)  # same phrase, new salt
    assert roles.passphrase_stamp(ws, "planner") not in (None, first)
    roles.clear_passphrase(ws, "planner")
    assert roles.passphrase_stamp(ws, "planner") is None


def test_unknown_and_open_roles_refused(ws: Workspace) -> None:
    with pytest.raises(InputError, match="not known"):
        roles.set_passphrase(ws, "mayor", PHRASE)
    with pytest.raises(InputError, match="needs no passphrase"):
        roles.set_passphrase(ws, "public", PHRASE)


# --------------------------------------------------------------------------- views
def _cell_centre() -> tuple[float, float]:
    """Centre of the 250 m cell holding the GTFS stop 'Pata Rat' (EPSG:3844)."""
    x, y = _crs.lonlat_to_metric(23.6853, 46.7714)
    return (math.floor(x / 250) * 250 + 125, math.floor(y / 250) * 250 + 125)


def seed_marks(ws: Workspace) -> dict[str, str]:
    """7 marks of an aggregate-only session and 2 of a community-only one, one cell.

    Returns the session ids by scope.
    """
    cx, cy = _cell_centre()
    ids = {}
    for scope, n in (("aggregate_only", 7), ("community_only", 2)):
        s = w.new_session(
            ws,
            community="Dallas",
            date="2026-11-25",
            facilitator="A. Pop",
            group="women",
            consent_scope=scope,
            author="test",
        )
        pts = [
            Point(cx - 60 + 15 * i, cy + (10 if scope == "community_only" else -10))
            for i in range(n)
        ]
        marks = gpd.GeoDataFrame(
            {"category": ["dogs"] * n, "severity": [3] * n, "note": ["lângă pod"] * n},
            geometry=pts,
            crs="EPSG:3844",
        )
        w.add_marks(ws, s.session_id, marks, author="test")
        ids[scope] = s.session_id
    return ids


def test_role_views_by_hand(ws: Workspace) -> None:
    seed_marks(ws)
    names = ["risk_marks", "settlements", "candidate_sites", "workshop_sessions"]
    layers = {n: ws.read(n) for n in names}
    specs = ws.specs()
    sessions = layers["workshop_sessions"]

    pub = roles.role_views(layers, specs, "public", sessions=sessions)
    # settlements raw; marks only aggregated: the 7 aggregate-only marks in one cell
    # (the community-only session's 2 are not used outside the community)
    assert pub.levels["settlements"] == "raw"
    assert pub.levels["risk_marks"] == "aggregated"
    view = pub.layers["risk_marks"]
    assert list(view["n"]) == [7]
    assert list(view.columns) == ["n", "geometry"]
    cell = view.to_crs("EPSG:3844").geometry.iloc[0]
    cx, cy = _cell_centre()
    assert cell.bounds == (cx - 125, cy - 125, cx + 125, cy + 125)
    assert pub.specs["risk_marks"].sensitivity == "public"
    # restricted candidate sites: fewer than k per cell, so nothing of them is shown
    assert "candidate_sites" in pub.hidden

    # planner: raw restricted layers, aggregated marks (never raw)
    plan = roles.role_views(layers, specs, "planner", sessions=sessions)
    assert plan.levels["candidate_sites"] == "raw"
    assert plan.levels["risk_marks"] == "aggregated"
    assert list(plan.layers["risk_marks"]["n"]) == [7]
    assert plan.specs["risk_marks"].sensitivity == "restricted"

    # community: its own marks raw, all 9
    com = roles.role_views(layers, specs, "community", sessions=sessions)
    assert com.levels["risk_marks"] == "raw" and len(com.layers["risk_marks"]) == 9

    # with k = 8 the one cell of 7 is suppressed: nothing to show
    strict = roles.role_views(layers, specs, "public", sessions=sessions, k=8)
    assert "risk_marks" in strict.hidden and "risk_marks" not in strict.layers
    # without the sessions nothing of the marks is aggregated
    blind = roles.role_views(layers, specs, "public")
    assert "risk_marks" in blind.hidden


def test_aggregated_views_draw_on_a_public_map(ws: Workspace) -> None:
    from pata_gis.maps import layer_map

    seed_marks(ws)
    layers = {n: ws.read(n) for n in ("risk_marks", "workshop_sessions")}
    v = roles.role_views(layers, ws.specs(), "public", sessions=layers["workshop_sessions"])
    html = layer_map(v.layers, v.specs, lang="en", role="public").get_root().render()
    assert "Count in the 250 m cell (cells under 5 are not shown)" in html
    assert "(aggregated)" in html
    assert "lângă pod" not in html  # no note, no session id


# --------------------------------------------------------------------------- CLI
def _cli(ws: Workspace):
    import argparse

    from pata_gis import cli_roles

    common = argparse.ArgumentParser(add_help=False)
    parser = argparse.ArgumentParser(prog="pata-gis", parents=[common])
    sub = parser.add_subparsers(dest="command", required=True)
    cli_roles.register(sub, common, lambda _args: ws)
    return parser


def test_cli_set_check_list_clear(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from pata_gis import cli_roles

    parser = _cli(ws)
    answers = iter([PHRASE, PHRASE])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(answers))
    args = parser.parse_args(["role", "set-passphrase", "planner"])
    assert args.func(args) == 0
    assert roles.verify(ws, "planner", PHRASE)
    out = capsys.readouterr().out
    assert "passphrase of role planner set" in out and PHRASE not in out

    # two different entries change nothing
    answers = iter(["another passphrase", "another passphrasf"])
    args = parser.parse_args(["role", "set-passphrase", "planner"])
    with pytest.raises(InputError, match="differ"):
        args.func(args)
    assert roles.verify(ws, "planner", PHRASE)

    monkeypatch.setattr("sys.stdin", io.StringIO("wrong guess here\n"))
    args = parser.parse_args(["role", "check", "planner", "--stdin"])
    assert args.func(args) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO(PHRASE + "\n"))
    assert args.func(args) == 0

    args = parser.parse_args(["role", "list"])
    assert args.func(args) == 0
    listing = capsys.readouterr().out
    assert "planner    passphrase set" in listing
    assert "police     locked: no passphrase yet" in listing
    assert "public     open (no passphrase)" in listing

    args = parser.parse_args(["role", "clear", "planner"])
    assert cli_roles.cmd_role(args, lambda _a: ws) == 0  # the dispatcher runs the same
    assert not roles.has_passphrase(ws, "planner")
    with pytest.raises(SystemExit):  # the public role has no passphrase to set
        parser.parse_args(["role", "set-passphrase", "public"])


# --------------------------------------------------------------------------- lockout
class Clock:
    """An injectable clock: roles.utcnow replaced, moved by hand (no sleeping)."""

    def __init__(self) -> None:
        import datetime as dt

        self.t = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)

    def __call__(self):
        return self.t

    def advance(self, **kw: float) -> None:
        import datetime as dt

        self.t += dt.timedelta(**kw)


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(roles, "utcnow", c)
    return c


def test_lockout_after_five_wrong_tries_refuses_even_the_right_one(
    ws: Workspace, clock: Clock
) -> None:
    roles.set_passphrase(ws, "planner", PHRASE)
    assert roles.MAX_FAILED_ATTEMPTS == 5 and roles.LOCKOUT_WINDOW.total_seconds() == 900
    for i in range(4):
        with pytest.raises(SensitivityError, match=f"{4 - i} more wrong tr"):
            roles.enter(ws, "planner", f"guess number {i}")
        clock.advance(seconds=30)
    assert roles.lockout(ws, "planner").failures == 4
    assert roles.lockout(ws, "planner").tries_left == 1
    # the fifth wrong try locks the role, and says so
    with pytest.raises(roles.LockedOutError, match="try again in 15 min") as exc:
        roles.enter(ws, "planner", "guess number 4")
    msg = str(exc.value)
    assert "role unlock planner" in msg and "set-passphrase planner" in msg
    assert "09:17 UTC" in msg  # 5th try at 09:02, locked for 15 minutes
    # the right passphrase is refused while locked, by verify and by enter
    clock.advance(minutes=10)
    assert not roles.verify(ws, "planner", PHRASE)
    with pytest.raises(roles.LockedOutError, match="try again in 5 min"):
        roles.enter(ws, "planner", PHRASE)
    # another session (a new Workspace object, a path) sees the same lock
    assert not roles.verify(str(ws.path), "planner", PHRASE)
    assert roles.lockout(Workspace(ws.path), "planner").wait_minutes(clock.t) == 5
    # other roles are not locked
    roles.set_passphrase(ws, "police", PHRASE)
    assert roles.verify(ws, "police", PHRASE)
    # after the window the right passphrase opens the role again, and resets the count
    clock.advance(minutes=5, seconds=1)
    assert roles.lockout(ws, "planner").locked_until is None
    assert roles.enter(ws, "planner", PHRASE) == "planner"
    assert roles.lockout(ws, "planner") == roles.Lockout("planner", 0, None)
    with sqlite3.connect(ws.path) as con:
        keys = [r[0] for r in con.execute("SELECT key FROM pata_meta WHERE key LIKE 'role_%'")]
    assert sorted(keys) == ["role_passphrase:planner", "role_passphrase:police"]


def test_a_success_resets_the_count_and_old_failures_expire(ws: Workspace, clock: Clock) -> None:
    roles.set_passphrase(ws, "community", PHRASE)
    for _ in range(4):
        assert not roles.verify(ws, "community", "wrong wrong wrong")
    assert roles.verify(ws, "community", PHRASE)  # resets: four more wrong tries are allowed
    for _ in range(4):
        assert not roles.verify(ws, "community", "wrong wrong wrong")
    assert roles.lockout(ws, "community").failures == 4
    assert roles.verify(ws, "community", PHRASE)
    # four wrong tries, then the fifth more than 15 minutes after the first: not locked
    for _ in range(4):
        assert not roles.verify(ws, "community", "wrong wrong wrong")
    clock.advance(minutes=15, seconds=1)
    assert not roles.verify(ws, "community", "wrong wrong wrong")
    assert roles.lockout(ws, "community").failures == 1
    assert roles.verify(ws, "community", PHRASE)
    # empty and missing passphrases are refused without counting
    for _ in range(10):
        assert not roles.verify(ws, "community", "")
        assert not roles.verify(ws, "community", None)
    assert roles.lockout(ws, "community").failures == 0


def test_unlock_and_set_passphrase_lift_the_lock(ws: Workspace, clock: Clock) -> None:
    roles.set_passphrase(ws, "police", PHRASE)
    for _ in range(5):
        roles.verify(ws, "police", "wrong wrong wrong")
    assert roles.lockout(ws, "police").locked_until is not None
    assert roles.unlock(ws, "police") is True
    assert roles.unlock(ws, "police") is False  # nothing left to lift
    assert roles.enter(ws, "police", PHRASE) == "police"
    for _ in range(5):
        roles.verify(ws, "police", "wrong wrong wrong")
    assert not roles.verify(ws, "police", PHRASE)
    roles.set_passphrase(ws, "police", "a new long phrase")
    assert roles.verify(ws, "police", "a new long phrase")


def test_parallel_sessions_get_no_more_tries_than_one(
    ws: Workspace, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    roles.set_passphrase(ws, "planner", PHRASE)
    checked: list[str] = []
    real_check = roles.check_passphrase

    def counting(phrase: str, record: str) -> bool:
        checked.append(phrase)
        return real_check(phrase, record)

    monkeypatch.setattr(roles, "check_passphrase", counting)

    def guess(i: int) -> bool:
        return roles.verify(Workspace(ws.path), "planner", f"parallel guess {i}")

    with ThreadPoolExecutor(4) as pool:
        assert not any(pool.map(guess, range(12)))
    assert len(checked) == 5  # 5 of the 12 were checked, the other 7 refused unchecked
    assert roles.lockout(ws, "planner").locked_until is not None
    assert not roles.verify(ws, "planner", PHRASE)
    assert len(checked) == 5


def test_cli_unlock_check_and_list_show_the_lock(
    ws: Workspace,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io

    parser = _cli(ws)
    roles.set_passphrase(ws, "planner", PHRASE)
    for _ in range(5):
        roles.verify(ws, "planner", "wrong wrong wrong")
    args = parser.parse_args(["role", "list"])
    assert args.func(args) == 0
    assert "planner    passphrase set; LOCKED" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(PHRASE + "\n"))
    args = parser.parse_args(["role", "check", "planner", "--stdin"])
    assert args.func(args) == 1
    assert "try again in 15 min" in capsys.readouterr().out
    args = parser.parse_args(["role", "unlock", "planner"])
    assert args.func(args) == 0
    assert "role planner unlocked (it was locked until 09:15 UTC)" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(PHRASE + "\n"))
    args = parser.parse_args(["role", "check", "planner", "--stdin"])
    assert args.func(args) == 0
    assert "the passphrase is right" in capsys.readouterr().out


def test_cli_audit_prints_the_log(
    ws: Workspace, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import csv
    import io

    from pata_gis import privacy

    parser = _cli(ws)
    args = parser.parse_args(["audit"])
    assert args.func(args) == 0
    assert "no export recorded in ws.gpkg" in capsys.readouterr().out
    rec = privacy.audit_record(
        who="Ana Pop",
        role="police",
        layer="risk_marks",
        level="aggregated",
        n_features=7,
        destination=tmp_path / "marks_police.geojson",
        sensitivity="confidential",
        sha256="cd" * 32,
        params={"k": 5, "cell_m": 250.0},
    )
    privacy.WorkspaceAuditLog(ws).append(rec)
    args = parser.parse_args(["audit"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    head, row = out.splitlines()[:2]
    assert head.split() == ["when", "(UTC)", "who", "role", "layer", "level", "rows", "file"]
    assert row.split()[2:] == ["Ana", "Pop", "police", "risk_marks", "aggregated", "7",
                               "marks_police.geojson"]  # fmt: skip
    assert "1 export(s) recorded in ws.gpkg (table pata_audit)" in out
    args = parser.parse_args(["audit", "--csv", "--layer", "risk_marks"])
    assert args.func(args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 1 and rows[0]["sha256"] == "cd" * 32
    assert json.loads(rows[0]["params"]) == {"cell_m": 250.0, "k": 5}
    assert rows[0]["destination"] == str(tmp_path / "marks_police.geojson")
    args = parser.parse_args(["audit", "--layer", "schools"])
    assert args.func(args) == 0
    assert "no export recorded in ws.gpkg for schools" in capsys.readouterr().out


def _selector_app(lang: str = "en"):
    from streamlit.testing.v1 import AppTest

    def app() -> None:
        import streamlit as st

        from pata_gis.ui.common import page_setup

        st.write(f"ROLE={page_setup().role}")

    at = AppTest.from_function(app, default_timeout=60)
    at.session_state["lang"] = lang
    return at.run()


def _try(at, phrase: str):
    at.text_input(key="_role_passphrase").input(phrase)
    next(b for b in at.button if b.label == "Enter the role").click().run()
    assert not at.exception, at.exception
    return at


def test_the_role_selector_shows_tries_left_and_the_lock(
    ws: Workspace, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pata_gis.i18n import t
    from pata_gis.ui import common

    monkeypatch.setenv("PATA_GIS_WORKSPACE", str(ws.path))
    monkeypatch.setattr(common, "WRONG_PASSPHRASE_DELAY_S", 0.0)
    roles.set_passphrase(ws, "planner", PHRASE)
    at = _selector_app("en")
    at.selectbox(key="_role_select").select("planner").run()
    for left in (4, 3, 2, 1):
        _try(at, "not the passphrase")
        errors = [e.value for e in at.sidebar.error]
        assert errors == [
            t("role.wrong", "en", role="Planner")
            + " "
            + t("role.tries_left", "en", n=left, minutes="15")
        ]
    _try(at, "not the passphrase")  # the fifth: locked
    locked = t(
        "role.locked", "en", role="Planner", n=5, minutes=15, until="09:15",
        path=ws.path, code="planner",
    )  # fmt: skip
    assert [e.value for e in at.sidebar.error] == [locked]
    assert "role unlock planner" in locked
    # a fresh browser session (a script with many sessions) meets the same lock, no form
    other = _selector_app("ro")
    other.selectbox(key="_role_select").select("planner").run()
    assert not any(b.key == "_role_passphrase" for b in other.text_input)
    assert [e.value for e in other.sidebar.error] == [
        t(
            "role.locked", "ro", role=t("role.planner", "ro"), n=5, minutes=15, until="09:15",
            path=ws.path, code="planner",
        )
    ]  # fmt: skip
    assert any(m.value == "ROLE=public" for m in other.markdown)
    # after the window the right passphrase enters
    clock.advance(minutes=15, seconds=1)
    other = _selector_app("en")
    other.selectbox(key="_role_select").select("planner").run()
    _try(other, PHRASE)
    assert other.session_state["role"] == "planner"
    assert any(m.value == "ROLE=planner" for m in other.markdown)
