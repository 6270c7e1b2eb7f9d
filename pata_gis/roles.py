"""Roles with passphrases, and what each role may see of a workspace's layers.

The app asks who is using it: ``community`` (a workshop: residents and their
facilitator), ``planner``, ``police`` or ``public`` (:data:`pata_gis.privacy.ROLES`).
The roles that may see more than the public (:data:`PROTECTED_ROLES`) can only be
entered with a passphrase set beforehand on the workspace's computer::

    pata-gis role set-passphrase planner

Passphrases
-----------
Only a salted hash is stored, never the passphrase: ``hashlib.scrypt`` with a
fresh 16-byte random salt per :func:`set_passphrase`, ``n = 2**14``, ``r = 8``,
``p = 1`` (:data:`SCRYPT_N`, :data:`SCRYPT_R`, :data:`SCRYPT_P`; about 16 MB
of memory and 30-80 ms per try, which makes guessing slow) and a 32-byte key.
The record is a small JSON text in the workspace's ``pata_meta`` table under
the key ``role_passphrase:<role>`` (with the parameters, so they can be raised
later without breaking the stored ones), written atomically under the
workspace's writer lock. :func:`verify` compares in constant time
(``hmac.compare_digest``). Nothing here logs a passphrase or a hash.

Wrong passphrases lock the role
-------------------------------
Failed tries are counted per role in the workspace itself (``pata_meta`` key
``role_attempts:<role>``), so every browser session, process and script that
opens the workspace shares the count. After :data:`MAX_FAILED_ATTEMPTS` (5)
wrong passphrases within :data:`LOCKOUT_WINDOW` (15 minutes) the role is
locked for :data:`LOCKOUT_WINDOW`: :func:`verify` and :func:`enter` refuse
even the right passphrase, without checking it, until then
(:class:`LockedOutError` names the wait). A right passphrase resets the
count. The facilitator can lift a lock at once on the workspace's computer
with ``pata-gis role unlock ROLE`` (:func:`unlock`) or by setting a new
passphrase. Each try is checked and counted under the workspace's writer lock,
one at a time, so parallel sessions get no more tries than one. That makes
about 5 guesses per 15 minutes (some 500 a day) instead of one per second.
The price: anyone who can reach the app can lock a role by typing wrong
passphrases; the facilitator then unlocks it. Empty passphrases are refused
without counting. Tries are timed with :func:`utcnow`, which tests replace.

Why ``community`` needs a passphrase too: the privacy matrix gives the
workshop role the residents' marks *raw*; a role anyone can pick would hand
them to anyone who opens the app. Set :data:`PROTECTED_ROLES` to
``("planner", "police")`` to leave the community role open on a laptop that
never leaves the workshop.

What a role sees
----------------
:func:`role_views` turns the layers of a workspace into what a role may see:
layers the role may see raw are passed through; restricted and confidential
layers become the aggregated view of :func:`pata_gis.privacy.view_for` (counts
on a 250 m grid, cells under *k* removed), never raw, never masked (a masked
view drawn afresh on every page view could be averaged back to the true
places; masked files are exported on purpose, audited, from the Data page).
Marks of a workshop session are used only as far as the session's consent
scope allows (:func:`pata_gis.workshop.consent_allows`: ``aggregate`` for an
aggregated view).

Examples
--------
>>> from pata_gis import roles
>>> roles.set_passphrase(ws, "planner", "long enough phrase")  # doctest: +SKIP
>>> roles.verify(ws, "planner", "wrong")  # doctest: +SKIP
False
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import hashlib
import hmac
import json
import logging
import os
import secrets
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from pata_gis import privacy
from pata_gis._errors import InputError, SensitivityError, WorkspaceError
from pata_gis.specs import FieldSpec, LayerSpec

__all__ = [
    "LOCKOUT_WINDOW",
    "MAX_FAILED_ATTEMPTS",
    "MIN_PASSPHRASE_LENGTH",
    "PROTECTED_ROLES",
    "SCRYPT_N",
    "SCRYPT_P",
    "SCRYPT_R",
    "LockedOutError",
    "Lockout",
    "RoleViews",
    "check_passphrase",
    "clear_passphrase",
    "consented",
    "enter",
    "has_passphrase",
    "hash_passphrase",
    "lockout",
    "needs_passphrase",
    "passphrase_stamp",
    "role_views",
    "set_passphrase",
    "unlock",
    "utcnow",
    "verify",
]

log = logging.getLogger(__name__)

#: Roles that can only be entered with a passphrase (every role that may see
#: more than the public: see the module docstring).
PROTECTED_ROLES: tuple[str, ...] = ("community", "planner", "police")

#: scrypt cost parameters of new hashes (CPU/memory cost, block size, parallelism).
SCRYPT_N: int = 2**14
SCRYPT_R: int = 8
SCRYPT_P: int = 1

#: Length of the derived key and of the salt (bytes).
_KEY_BYTES = 32
_SALT_BYTES = 16

#: Shortest passphrase accepted (characters).
MIN_PASSPHRASE_LENGTH: int = 8

#: Wrong passphrases of a role within :data:`LOCKOUT_WINDOW` that lock it.
MAX_FAILED_ATTEMPTS: int = 5
#: How long wrong passphrases are counted, and how long a locked role stays locked.
LOCKOUT_WINDOW: _dt.timedelta = _dt.timedelta(minutes=15)

_META = "pata_meta"
_KEY_PREFIX = "role_passphrase:"
_ATTEMPTS_PREFIX = "role_attempts:"
_SCRYPT_MAXMEM = 64 * 1024 * 1024


def _role(role: str) -> str:
    if role not in privacy.ROLES:
        raise InputError(f"role {role!r} is not known; use one of {', '.join(privacy.ROLES)}.")
    return role


def needs_passphrase(role: str) -> bool:
    """Whether `role` can only be entered with a passphrase (:data:`PROTECTED_ROLES`)."""
    return _role(role) in PROTECTED_ROLES


# --------------------------------------------------------------------------- hashing
def hash_passphrase(
    passphrase: str,
    *,
    salt: bytes | None = None,
    n: int | None = None,
    r: int | None = None,
    p: int | None = None,
) -> str:
    """A salted scrypt hash of `passphrase`, as the JSON text stored in a workspace.

    Parameters
    ----------
    passphrase : str
        At least :data:`MIN_PASSPHRASE_LENGTH` characters.
    salt : bytes, optional
        Default: 16 fresh random bytes (pass one only in tests).
    n, r, p : int, optional
        scrypt parameters; default :data:`SCRYPT_N`, :data:`SCRYPT_R`, :data:`SCRYPT_P`.

    Returns
    -------
    str
        ``{"kdf": "scrypt", "n": ..., "r": ..., "p": ..., "salt": <hex>,
        "hash": <hex>}``.

    Raises
    ------
    InputError
        The passphrase is shorter than :data:`MIN_PASSPHRASE_LENGTH`.
    """
    if not isinstance(passphrase, str) or len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise InputError(
            f"the passphrase is too short: use at least {MIN_PASSPHRASE_LENGTH} characters "
            "(a few words are easy to remember and hard to guess)."
        )
    salt = secrets.token_bytes(_SALT_BYTES) if salt is None else bytes(salt)
    n = SCRYPT_N if n is None else int(n)
    r = SCRYPT_R if r is None else int(r)
    p = SCRYPT_P if p is None else int(p)
    key = hashlib.scrypt(
        passphrase.encode("utf-8"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=_SCRYPT_MAXMEM,
        dklen=_KEY_BYTES,
    )
    return json.dumps(
        {"kdf": "scrypt", "n": n, "r": r, "p": p, "salt": salt.hex(), "hash": key.hex()},
        sort_keys=True,
    )


def check_passphrase(passphrase: str, record: str) -> bool:
    """Whether `passphrase` matches a stored `record` (constant-time compare).

    A damaged or unknown record never matches.
    """
    try:
        rec = json.loads(record)
        if rec.get("kdf") != "scrypt":
            return False
        salt = bytes.fromhex(rec["salt"])
        want = bytes.fromhex(rec["hash"])
        got = hashlib.scrypt(
            str(passphrase).encode("utf-8"),
            salt=salt,
            n=int(rec["n"]),
            r=int(rec["r"]),
            p=int(rec["p"]),
            maxmem=_SCRYPT_MAXMEM,
            dklen=len(want),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        log.warning("a stored role passphrase record is damaged; set the passphrase again")
        return False
    return hmac.compare_digest(got, want)


# --------------------------------------------------------------------------- storage
def _workspace(ws_or_path: Any) -> Any:
    from pata_gis.workspace import Workspace

    if isinstance(ws_or_path, Workspace):
        return ws_or_path
    if isinstance(ws_or_path, str | os.PathLike):
        return Workspace(Path(ws_or_path))
    raise InputError(f"expected a Workspace or the path of one, got {type(ws_or_path).__name__}")


def _write_meta(ws: Any, key: str, value: str | None, *, locked: bool = False) -> None:
    """Set (or delete, with None) one ``pata_meta`` row atomically under the writer lock."""
    _write_metas(ws, {key: value}, locked=locked)


def _write_metas(ws: Any, items: Mapping[str, str | None], *, locked: bool = False) -> None:
    """Set or delete (None) ``pata_meta`` rows in one atomic write.

    With ``locked=True`` the caller already holds the workspace's writer lock.
    """
    with (
        ws._transaction(locked=locked) as tmp,
        contextlib.closing(sqlite3.connect(tmp)) as con,
    ):
        con.execute(
            f"CREATE TABLE IF NOT EXISTS {_META} (fid INTEGER PRIMARY KEY AUTOINCREMENT "
            "NOT NULL, key TEXT NOT NULL UNIQUE, value TEXT)"
        )
        for key, value in items.items():
            if value is None:
                con.execute(f"DELETE FROM {_META} WHERE key = ?", (key,))
            else:
                con.execute(
                    f"INSERT OR REPLACE INTO {_META} (key, value) VALUES (?, ?)", (key, value)
                )
        con.commit()


def _read_meta(ws: Any, key: str) -> str | None:
    from pata_gis.workspace import _connect_ro

    try:
        with contextlib.closing(_connect_ro(Path(ws.path))) as con:
            row = con.execute(f"SELECT value FROM {_META} WHERE key = ?", (key,)).fetchone()
    except sqlite3.OperationalError:  # no pata_meta table (a foreign GeoPackage)
        return None
    except sqlite3.Error as exc:
        raise WorkspaceError(f"{ws.path}: cannot be read ({exc})") from exc
    return None if row is None else str(row[0])


def set_passphrase(ws_or_path: Any, role: str, passphrase: str) -> None:
    """Store a salted hash of `passphrase` for `role` in the workspace.

    Setting it again replaces the old one (a new salt each time).

    Parameters
    ----------
    ws_or_path : Workspace or path
        The workspace.
    role : {"community", "planner", "police"}
        A role of :data:`PROTECTED_ROLES`.
    passphrase : str
        At least :data:`MIN_PASSPHRASE_LENGTH` characters; never stored or logged.

    Raises
    ------
    InputError
        An unknown or unprotected role, or a passphrase too short.
    """
    if not needs_passphrase(role):
        raise InputError(
            f"role {role!r} needs no passphrase; passphrases are for {', '.join(PROTECTED_ROLES)}."
        )
    ws = _workspace(ws_or_path)
    record = json.loads(hash_passphrase(passphrase))
    record["set_at"] = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    _write_metas(
        ws, {_KEY_PREFIX + role: json.dumps(record, sort_keys=True), _ATTEMPTS_PREFIX + role: None}
    )
    log.info("%s: passphrase of role %s set (wrong tries forgotten)", Path(ws.path).name, role)


def clear_passphrase(ws_or_path: Any, role: str) -> None:
    """Remove the passphrase of `role`: nobody can enter the role until one is set."""
    _role(role)
    ws = _workspace(ws_or_path)
    _write_metas(ws, {_KEY_PREFIX + role: None, _ATTEMPTS_PREFIX + role: None})
    log.info("%s: passphrase of role %s removed", Path(ws.path).name, role)


def has_passphrase(ws_or_path: Any, role: str) -> bool:
    """Whether a passphrase is set for `role` in the workspace."""
    _role(role)
    return _read_meta(_workspace(ws_or_path), _KEY_PREFIX + role) is not None


def passphrase_stamp(ws_or_path: Any, role: str) -> str | None:
    """A short fingerprint of the stored passphrase record of `role` (None when unset).

    It changes whenever the passphrase is set again or removed, so an app
    session that entered the role can check, cheaply and without keeping the
    passphrase, that it still holds: a changed stamp sends it back to public.
    It reveals nothing about the passphrase (a hash of the salted hash).
    """
    _role(role)
    record = _read_meta(_workspace(ws_or_path), _KEY_PREFIX + role)
    if record is None:
        return None
    return hashlib.sha256(record.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- lockout
def utcnow() -> _dt.datetime:
    """The time wrong tries are counted with (aware, UTC); tests replace it."""
    return _dt.datetime.now(_dt.UTC)


@dataclasses.dataclass(frozen=True)
class Lockout:
    """The wrong-passphrase state of a role.

    Attributes
    ----------
    role : str
    failures : int
        Wrong passphrases counted in the current window (0 while locked).
    locked_until : datetime or None
        When the lock ends (UTC); None when the role is not locked.
    tries_left : int
        Wrong passphrases still allowed before the role is locked.
    """

    role: str
    failures: int
    locked_until: _dt.datetime | None

    @property
    def tries_left(self) -> int:
        return 0 if self.locked_until else max(MAX_FAILED_ATTEMPTS - self.failures, 0)

    def wait_minutes(self, now: _dt.datetime | None = None) -> int:
        """Whole minutes (rounded up, at least 1) until the lock ends; 0 when not locked."""
        if self.locked_until is None:
            return 0
        left = (self.locked_until - (now or utcnow())).total_seconds()
        return max(1, -(-int(left) // 60))


class LockedOutError(SensitivityError):
    """A role is locked after too many wrong passphrases (see :class:`Lockout`)."""

    def __init__(self, message: str, lock: Lockout) -> None:
        super().__init__(message)
        self.lock = lock


def _iso(t: _dt.datetime | None) -> str | None:
    return None if t is None else t.astimezone(_dt.UTC).isoformat(timespec="seconds")


def _parse_time(v: Any) -> _dt.datetime | None:
    try:
        t = _dt.datetime.fromisoformat(str(v)) if v else None
    except ValueError:
        return None
    return t if t is None or t.tzinfo else t.replace(tzinfo=_dt.UTC)


def _lockout_state(role: str, text: str | None, now: _dt.datetime) -> tuple[Lockout, Any]:
    """The role's :class:`Lockout` at `now` and the window start, from the stored JSON."""
    try:
        rec = json.loads(text) if text else {}
    except json.JSONDecodeError:
        rec = {}
    if not isinstance(rec, dict):
        rec = {}
    until = _parse_time(rec.get("locked_until"))
    if until is not None and until > now:
        return Lockout(role, 0, until), None
    first = _parse_time(rec.get("first_at"))
    try:
        failures = int(rec.get("failures") or 0)
    except (TypeError, ValueError):
        failures = 0
    if until is not None or first is None or now - first > LOCKOUT_WINDOW:
        return Lockout(role, 0, None), None  # the lock or the window has passed
    return Lockout(role, failures, None), first


def lockout(ws_or_path: Any, role: str, *, now: _dt.datetime | None = None) -> Lockout:
    """The wrong-passphrase state of `role`: failures counted, and the lock's end if locked."""
    _role(role)
    stored = _read_meta(_workspace(ws_or_path), _ATTEMPTS_PREFIX + role)
    return _lockout_state(role, stored, now or utcnow())[0]


def unlock(ws_or_path: Any, role: str) -> bool:
    """Lift the lock of `role` and forget its wrong tries; whether there was anything to lift."""
    _role(role)
    ws = _workspace(ws_or_path)
    if _read_meta(ws, _ATTEMPTS_PREFIX + role) is None:
        return False
    _write_meta(ws, _ATTEMPTS_PREFIX + role, None)
    log.info("%s: role %s unlocked", Path(ws.path).name, role)
    return True


def _lock_message(ws: Any, lock: Lockout, now: _dt.datetime) -> str:
    until = lock.locked_until or now
    return (
        f"role {lock.role!r} is locked after {MAX_FAILED_ATTEMPTS} wrong passphrases within "
        f"{LOCKOUT_WINDOW.total_seconds() / 60:g} minutes: try again in "
        f"{lock.wait_minutes(now)} min (after {until:%H:%M} UTC); until then even the right "
        "passphrase is refused. The facilitator can unlock it now on the workspace's computer: "
        f"`pata-gis --workspace {ws.path} role unlock {lock.role}` (or set a new passphrase "
        f"with `role set-passphrase {lock.role}`)."
    )


def _attempt(ws: Any, role: str, passphrase: str, now: _dt.datetime) -> tuple[bool, Lockout]:
    """Check `passphrase` and count the try, as one step under the workspace's writer lock."""
    key = _ATTEMPTS_PREFIX + role
    with ws._lock():
        stored = _read_meta(ws, key)
        lock, first = _lockout_state(role, stored, now)
        if lock.locked_until is not None:
            return False, lock
        record = _read_meta(ws, _KEY_PREFIX + role)
        ok = record is not None and check_passphrase(passphrase, record)
        new: str | None
        if ok:
            new, after = None, Lockout(role, 0, None)
        else:
            failures = lock.failures + 1
            first = first or now
            if failures >= MAX_FAILED_ATTEMPTS:
                after = Lockout(role, 0, now + LOCKOUT_WINDOW)
                state = {"failures": failures, "locked_until": _iso(after.locked_until)}
                log.warning(
                    "%s: role %s locked for %s after %d wrong passphrases",
                    Path(ws.path).name,
                    role,
                    LOCKOUT_WINDOW,
                    failures,
                )
            else:
                after = Lockout(role, failures, None)
                state = {"failures": failures, "first_at": _iso(first)}
            new = json.dumps(state, sort_keys=True)
        if new != stored:
            _write_meta(ws, key, new, locked=True)
    return ok, after


def verify(
    ws_or_path: Any, role: str, passphrase: str | None, *, now: _dt.datetime | None = None
) -> bool:
    """Whether `passphrase` lets one enter `role` now.

    Roles outside :data:`PROTECTED_ROLES` (``public``) are always open. A
    protected role without a stored passphrase can never be entered. A wrong
    passphrase is counted; while the role is locked (:func:`lockout`) every
    passphrase, the right one too, gives False without being checked. Use
    :func:`enter` for the reason.

    Parameters
    ----------
    ws_or_path : Workspace or path
    role : str
    passphrase : str or None
        None or empty: False, not counted.
    now : datetime, optional
        The time of the try (default :func:`utcnow`).
    """
    if not needs_passphrase(role):
        return True
    ws = _workspace(ws_or_path)
    if not passphrase or _read_meta(ws, _KEY_PREFIX + role) is None:
        return False
    return _attempt(ws, role, passphrase, now or utcnow())[0]


def enter(
    ws_or_path: Any, role: str, passphrase: str | None = None, *, now: _dt.datetime | None = None
) -> str:
    """Check that `role` may be entered with `passphrase`; return the role.

    Raises
    ------
    LockedOutError
        The role is locked after :data:`MAX_FAILED_ATTEMPTS` wrong passphrases
        (this try may have been the last): the message names the wait and how
        the facilitator unlocks it. The passphrase was not accepted, even if right.
    SensitivityError
        No passphrase is set for the role (the message says how to set one),
        or the passphrase is wrong (the message says how many tries are left).
    """
    ws = _workspace(ws_or_path)
    if not needs_passphrase(role):
        return role
    if not has_passphrase(ws, role):
        raise SensitivityError(
            f"role {role!r} has no passphrase yet, so it cannot be entered; on this computer run "
            f"`pata-gis --workspace {ws.path} role set-passphrase {role}`."
        )
    now = now or utcnow()
    if not passphrase:
        lock = lockout(ws, role, now=now)
        if lock.locked_until is not None:
            raise LockedOutError(_lock_message(ws, lock, now), lock)
        raise SensitivityError(f"no passphrase given for role {role!r}; nothing is shown.")
    ok, lock = _attempt(ws, role, passphrase, now)
    if lock.locked_until is not None:
        raise LockedOutError(_lock_message(ws, lock, now), lock)
    if not ok:
        raise SensitivityError(
            f"wrong passphrase for role {role!r}; nothing is shown. {lock.tries_left} more "
            f"wrong {'try locks' if lock.tries_left == 1 else 'tries lock'} the role for "
            f"{LOCKOUT_WINDOW.total_seconds() / 60:g} minutes."
        )
    log.info("%s: role %s entered", Path(ws.path).name, role)
    return role


# --------------------------------------------------------------------------- views
@dataclasses.dataclass(frozen=True)
class RoleViews:
    """What a role may see of a set of layers.

    Attributes
    ----------
    layers : dict of str to GeoDataFrame
        Layer name -> the frame to show (raw, or an aggregated view).
    specs : dict of str to LayerSpec
        The spec to draw each with. An aggregated view has its own spec: the
        cell squares (``polygon``), one field ``n`` and a sensitivity no higher
        than the role's clearance, so :func:`pata_gis.maps.layer_map` accepts it.
    levels : dict of str to str
        Layer name -> ``"raw"`` or ``"aggregated"``.
    hidden : list of str
        Layers left out (the role may see nothing of them, or no cell reaches k).
    """

    layers: dict[str, gpd.GeoDataFrame]
    specs: dict[str, LayerSpec]
    levels: dict[str, str]
    hidden: list[str]


_AGG_TITLE = {"ro": "{title} (agregat)", "en": "{title} (aggregated)", "hu": "{title} (összesítve)"}
_N_TITLE = {
    "ro": "Număr în celula de {cell} m (celulele sub {k} nu se arată)",
    "en": "Count in the {cell} m cell (cells under {k} are not shown)",
    "hu": "Darab a {cell} m-es cellában ({k} alatt nem látszik)",
}


def _aggregated_spec(spec: LayerSpec, clearance: str, cell_m: float, k: int) -> LayerSpec:
    """The spec an aggregated view is drawn with (short title: it goes in the legend)."""
    titles = {lang: text.format(title=spec.label(lang)) for lang, text in _AGG_TITLE.items()}
    n_titles = {lang: text.format(cell=f"{cell_m:g}", k=k) for lang, text in _N_TITLE.items()}
    color = spec.style.get("color", "#e31a1c")
    return dataclasses.replace(
        spec,
        geometry="polygon",
        sensitivity=clearance,
        title=titles,
        fields=(FieldSpec("n", "int", required=True, title=n_titles),),
        style={"color": color, "fill_color": color, "fill_opacity": 0.35, "weight": 1},
        bundled=None,
    )


def _consented_sessions(
    sessions: gpd.GeoDataFrame | pd.DataFrame | None, audience: str
) -> set[str]:
    from pata_gis.workshop import consent_allows

    if sessions is None or "session_id" not in sessions.columns:
        return set()
    keep: set[str] = set()
    for sid, scope in zip(sessions["session_id"], sessions.get("consent_scope", []), strict=False):
        try:
            if isinstance(scope, str) and consent_allows(scope, audience):
                keep.add(str(sid))
        except InputError:
            continue
    return keep


_MASKED_AUDIENCE = {"planner": "planners", "police": "police"}


def consented(
    gdf: gpd.GeoDataFrame,
    spec: LayerSpec,
    role: str,
    level: str,
    *,
    sessions: gpd.GeoDataFrame | pd.DataFrame | None,
) -> gpd.GeoDataFrame:
    """The features of a workshop layer whose session's consent covers this use.

    Layers without a ``session_id`` field, and raw views (the community's own,
    kept whole so the group can see and correct its marks), come back as they
    are. Otherwise a mark is kept only when its session's ``consent_scope``
    allows the audience of `level` (:func:`pata_gis.workshop.consent_allows`):
    ``aggregate`` for an aggregated view, ``planners`` or ``police`` for a
    masked one. Without `sessions` no such mark is kept. The marks' own
    ``consent`` is applied later by :func:`pata_gis.privacy.view_for`.

    Parameters
    ----------
    gdf : GeoDataFrame
    spec : LayerSpec
    role : str
    level : {"raw", "masked", "aggregated"}
    sessions : DataFrame or None
        The ``workshop_sessions`` layer (``session_id``, ``consent_scope``).
    """
    _role(role)
    if level == "raw" or "session_id" not in spec.field_names or "session_id" not in gdf.columns:
        return gdf
    audience = _MASKED_AUDIENCE.get(role, "aggregate") if level == "masked" else "aggregate"
    ok = _consented_sessions(sessions, audience)
    keep = gdf["session_id"].astype(str).isin(ok).to_numpy(dtype=bool)
    if (~keep).any():
        log.info(
            "%s: %d of %d features left out: their session's consent does not cover %s use",
            spec.name,
            int((~keep).sum()),
            len(gdf),
            audience,
        )
    return gdf[keep]


def role_views(
    layers: Mapping[str, gpd.GeoDataFrame],
    specs: Mapping[str, LayerSpec],
    role: str,
    *,
    sessions: gpd.GeoDataFrame | pd.DataFrame | None = None,
    k: int | None = None,
    cell_m: float | None = None,
) -> RoleViews:
    """What `role` may see of `layers`: raw when allowed, else aggregated, else nothing.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        The layers as stored.
    specs : mapping of str to LayerSpec
        Their specs (the sensitivity decides).
    role : {"community", "planner", "police", "public"}
    sessions : DataFrame, optional
        The ``workshop_sessions`` layer. Layers with a ``session_id`` field
        keep only the marks of sessions whose consent scope allows the use
        (``aggregate``) in an aggregated view; without `sessions` nothing of
        such layers is aggregated. A raw view (the community's own) keeps
        every mark, consented or not, so the group can see and correct them.
    k, cell_m : optional
        Suppression threshold and cell size of the aggregated views; default
        :data:`pata_gis.privacy.DEFAULT_K` and :data:`pata_gis.privacy.DEFAULT_CELL_M`.

    Returns
    -------
    RoleViews
    """
    clearance = privacy.clearance(role)
    k = privacy.DEFAULT_K if k is None else int(k)
    cell_m = privacy.DEFAULT_CELL_M if cell_m is None else float(cell_m)
    out = RoleViews({}, {}, {}, [])
    for name, gdf in layers.items():
        spec = specs[name]
        allowed = privacy.max_level(role, spec.sensitivity)
        if allowed == "raw":
            level = "raw"
        elif allowed in ("masked", "aggregated"):
            level = "aggregated"
        else:
            out.hidden.append(name)
            continue
        if level == "raw":  # the community sees its own marks, consented or not
            out.layers[name] = gdf
            out.specs[name] = spec
            out.levels[name] = "raw"
            continue
        data = consented(gdf, spec, role, "aggregated", sessions=sessions)
        view, got = privacy.view_for(role, data, spec, level="aggregated", k=k, cell_m=cell_m)
        if got != "aggregated" or len(view) == 0:
            out.hidden.append(name)
            continue
        out.layers[name] = view[["n", view.geometry.name]]
        out.specs[name] = _aggregated_spec(spec, clearance, cell_m, k)
        out.levels[name] = "aggregated"
    return out
