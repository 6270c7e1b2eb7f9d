"""Erase a workshop group's marks on request: everywhere in the workspace, for real.

At every workshop the facilitator reads (:data:`pata_gis.workshop.CONSENT_TEXT`)
"you can ask for them back, or for them to be deleted, at any time".
:func:`pata_gis.workshop.withdraw_consent` only flags the marks; this module
deletes them:

* every mark of the session in ``risk_marks``, ``risk_paths`` and
  ``risk_areas`` and every community-mapped path the session added to
  ``roads`` (recognised by its ``source``, ``"workshop <id>, ..."``) leaves
  the current layers **and every earlier version** kept in the workspace
  history (:meth:`pata_gis.workspace.Workspace.purge_rows`);
* the session record stays (so the erasure itself is known), with consent
  scope ``none`` and the note ``"marks erased on <date>: <reason>"``, in the
  same atomic save;
* the file is rebuilt (SQLite ``VACUUM``) before it replaces the workspace,
  so the erased coordinates are not left in free pages of the file;
* one audit record per touched layer (who, which session, how many rows,
  why; no coordinates) goes to the workspace's audit log.

What cannot be erased from here: files already exported, printed or copied
(and backups of the workspace). :attr:`Erasure.exports` lists the audited
exports made since the session's date that may hold its marks, so the
facilitator can follow them up.

Examples
--------
>>> from pata_gis import erasure
>>> done = erasure.erase_session_marks(  # doctest: +SKIP
...     ws, "DAL-20261125-01-F", author="A. Pop", reason="asked by the group"
... )
>>> print(done.summary("en"))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pata_gis import workshop
from pata_gis._errors import InputError
from pata_gis.i18n import number, register, t
from pata_gis.workspace import Purged, Workspace

__all__ = ["STRINGS", "Erasure", "erase_marks", "erase_session_marks", "exports_since"]

#: The layer that holds the paths a session mapped (see :func:`pata_gis.workshop.add_paths`).
PATHS_LAYER = "roads"

#: Texts of the erasure (CLI and app), Romanian first.
STRINGS: dict[str, dict[str, str]] = {
    "erase.confirm": {
        "ro": "Se șterg definitiv toate marcajele sesiunii {sid} ({label}), și din istoric. "
        "Nu se mai pot recupera. Scrieți „da” pentru a continua: ",
        "en": "Erase for good every mark of session {sid} ({label}), also from the history? "
        "They cannot be recovered. Type 'yes' to go on: ",
        "hu": "Véglegesen töröljük a(z) {sid} ({label}) foglalkozás minden jelölését, az "
        "előzményekből is? Nem állíthatók vissza. Írja be: „igen”: ",
    },
    "erase.cancelled": {
        "ro": "Nimic nu a fost șters.",
        "en": "Nothing was erased.",
        "hu": "Semmi sem lett törölve.",
    },
    "erase.done": {
        "ro": "Sesiunea {sid}: {n} marcaje șterse din straturile curente ({details}) și {h} "
        "copii din {k} versiuni anterioare; fișierul a fost reconstruit, fără datele șterse.",
        "en": "Session {sid}: {n} marks erased from the current layers ({details}) and {h} "
        "copies from {k} earlier versions; the file was rebuilt without the erased data.",
        "hu": "{sid} foglalkozás: {n} jelölés törölve a jelenlegi rétegekből ({details}) és {h} "
        "másolat {k} korábbi változatból; a fájl újraépült a törölt adatok nélkül.",
    },
    "erase.session_note": {
        "ro": "Înregistrarea sesiunii rămâne, cu acordul „none” și nota „{note}”.",
        "en": "The session record stays, with consent 'none' and the note '{note}'.",
        "hu": "A foglalkozás rekordja megmarad, „none” hozzájárulással és a(z) „{note}” "
        "megjegyzéssel.",
    },
    "erase.exports_header": {
        "ro": "Exporturi făcute din {date} care pot conține aceste marcaje (nu pot fi "
        "retrase; luați legătura cu cine le-a făcut):",
        "en": "Exports made since {date} that may contain these marks (they cannot be "
        "recalled; follow up with who made them):",
        "hu": "{date} óta készült exportok, amelyek tartalmazhatják ezeket a jelöléseket (nem "
        "vonhatók vissza; keresse meg, aki készítette őket):",
    },
    "erase.export_line": {
        "ro": "  {when}  {who} ({role}): {layer}, nivel {level}, {n} obiecte -> {destination}",
        "en": "  {when}  {who} ({role}): {layer}, level {level}, {n} features -> {destination}",
        "hu": "  {when}  {who} ({role}): {layer}, {level} szint, {n} objektum -> {destination}",
    },
    "erase.no_exports": {
        "ro": "Niciun export înregistrat din {date} nu poate conține aceste marcaje.",
        "en": "No audited export since {date} can contain these marks.",
        "hu": "{date} óta egyetlen naplózott export sem tartalmazhatja ezeket a jelöléseket.",
    },
    "erase.public_paths": {
        "ro": "Traseele din stratul public de drumuri pot apărea pe hărți publice, care nu "
        "sunt înregistrate; verificați hărțile tipărite sau trimise.",
        "en": "Paths in the public roads layer may be on public maps, which are not logged; "
        "check the maps printed or sent.",
        "hu": "A nyilvános útrétegben lévő ösvények nyilvános térképeken is szerepelhetnek, "
        "ezeket nem naplózzuk; ellenőrizze a kinyomtatott vagy elküldött térképeket.",
    },
    "erase.no_reason": {
        "ro": "Spuneți motivul ștergerii (de exemplu „cerut de grup”).",
        "en": "Give the reason of the erasure (e.g. 'asked by the group').",
        "hu": "Adja meg a törlés okát (pl. „a csoport kérte”).",
    },
}
register(STRINGS)

#: Layer names of exports that are made from the marks (besides the mark layers).
_DERIVED = ("hotspot", "risk", "safety", "workshop", "consensus")


class Erasure(dict[str, int]):
    """What :func:`erase_session_marks` erased: layer -> rows erased from the current content.

    Attributes
    ----------
    session_id : str
        The session, in its canonical form.
    session_date : datetime.date
        The day of the workshop.
    erased_on : datetime.date
        The day of the erasure (UTC).
    note : str
        The note added to the session record.
    history_rows : dict of str to int
        Layer -> copies of the marks erased from earlier versions.
    versions_rewritten : dict of str to list of int
        Layer -> earlier versions whose content was rewritten.
    versions : dict of str to int
        Layer -> its new ``"erase"`` version (also ``workshop_sessions``).
    exports : list of dict
        Audited exports since the session's date that may hold its marks
        (``when_utc``, ``who``, ``role``, ``layer``, ``level``,
        ``n_features``, ``destination``, ``sha256``, ``source``), oldest first.
    """

    def __init__(
        self,
        purged: Purged,
        *,
        session_id: str,
        session_date: _dt.date,
        erased_on: _dt.date,
        note: str,
        exports: list[dict[str, Any]],
    ) -> None:
        super().__init__(purged)
        self.session_id = session_id
        self.session_date = session_date
        self.erased_on = erased_on
        self.note = note
        self.history_rows = dict(purged.history_rows)
        self.versions_rewritten = dict(purged.versions_rewritten)
        self.versions = dict(purged.versions)
        self.exports = exports

    @property
    def total(self) -> int:
        """Rows erased from the current layers."""
        return int(sum(self.values()))

    def summary(self, lang: str | None = None) -> str:
        """The result in words, in `lang` (``ro``, ``en``, ``hu``; default the settings' language).

        Several lines: the counts, the session note, and the exports to follow up.
        """
        details = ", ".join(f"{layer} {number(n, lang, 0)}" for layer, n in self.items())
        k = len({(layer, v) for layer, vs in self.versions_rewritten.items() for v in vs})
        lines = [
            t(
                "erase.done",
                lang,
                sid=self.session_id,
                n=number(self.total, lang, 0),
                details=details,
                h=number(sum(self.history_rows.values()), lang, 0),
                k=number(k, lang, 0),
            ),
            t("erase.session_note", lang, note=self.note),
        ]
        day = self.session_date.isoformat()
        if self.exports:
            lines.append(t("erase.exports_header", lang, date=day))
            for e in self.exports:
                lines.append(
                    t(
                        "erase.export_line",
                        lang,
                        when=e.get("when_utc") or "?",
                        who=e.get("who") or "?",
                        role=e.get("role") or "?",
                        layer=e.get("layer") or "?",
                        level=e.get("level") or "?",
                        n=e.get("n_features") if e.get("n_features") is not None else "?",
                        destination=e.get("destination") or "?",
                    )
                )
        else:
            lines.append(t("erase.no_exports", lang, date=day))
        if self.get(PATHS_LAYER) or self.history_rows.get(PATHS_LAYER):
            lines.append(t("erase.public_paths", lang))
        return "\n".join(lines)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """Column `name` as text ("" where missing, or everywhere when there is no such column)."""
    if name not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    col = frame[name]
    return col.astype(object).where(col.notna(), "").astype(str)


def _of_session(sid: str) -> Callable[[gpd.GeoDataFrame], np.ndarray]:
    """Rows whose ``session_id`` is `sid`, or whose ``source`` names the session."""
    prefix = f"workshop {sid},"

    def pick(frame: gpd.GeoDataFrame) -> np.ndarray:
        by_id = _column(frame, "session_id").str.strip() == sid
        by_source = _column(frame, "source").str.startswith(prefix)
        return (by_id | by_source).to_numpy(bool)

    return pick


def _paths_of_session(sid: str) -> Callable[[gpd.GeoDataFrame], np.ndarray]:
    """Community-mapped paths added by :func:`pata_gis.workshop.add_paths` for `sid`."""
    prefix = f"workshop {sid},"

    def pick(frame: gpd.GeoDataFrame) -> np.ndarray:
        return _column(frame, "source").str.startswith(prefix).to_numpy(bool)

    return pick


def erase_session_marks(
    ws: Workspace,
    session_id: str,
    *,
    author: str,
    reason: str,
    role: str = "community",
) -> Erasure:
    """Erase every mark of a workshop session, from the layers, their history and the file.

    The session's marks in the three mark layers (:data:`pata_gis.workshop.MARK_LAYERS`)
    and the paths it added to ``roads`` are removed from the current content
    and from every stored version; the session record's consent scope becomes
    ``none`` and its notes say ``"marks erased on <date>: <reason>"`` (in the
    same atomic save, see :meth:`~pata_gis.workspace.Workspace.purge_rows`);
    the file is rebuilt so no freed page keeps the erased bytes; one audit
    record per touched layer says who erased which session and how many rows.

    Parameters
    ----------
    ws : Workspace
        The workspace.
    session_id : str
        The session (as :func:`pata_gis.workshop.get_session` accepts it:
        typed back from paper, lower case, without the dashes...).
    author : str
        Who erases (for the history and the audit log).
    reason : str
        Why, e.g. ``"asked by the group on 2026-12-02"``; not empty.
    role : str
        The role of who erases, for the audit log (default ``community``).

    Returns
    -------
    Erasure
        Layer -> rows erased from its current content (the three mark layers
        and ``roads``), with ``history_rows``, ``versions``, ``note``,
        ``exports`` (audited exports since the session's date to follow up)
        and :meth:`Erasure.summary`.

    Raises
    ------
    InputError
        An unknown session (the message names the latest ones), an empty
        author or reason; nothing is changed.
    WorkspaceError
        The workspace cannot be written; nothing is changed.
    """
    if not isinstance(reason, str) or not reason.strip():
        raise InputError(t("erase.no_reason", "en"))
    if not isinstance(author, str) or not author.strip():
        raise InputError("author is empty; say who erases the marks (name of the facilitator)")
    session = workshop.get_session(ws, session_id)
    sid = session.session_id
    have = set(ws.layer_names())
    layers = [n for n in workshop.MARK_LAYERS.values() if n in have]
    predicates: dict[str, Callable[[gpd.GeoDataFrame], np.ndarray]] = {
        n: _of_session(sid) for n in layers
    }
    if PATHS_LAYER in have:
        predicates[PATHS_LAYER] = _paths_of_session(sid)
    today = _dt.datetime.now(_dt.UTC).date()
    note = f"marks erased on {today.isoformat()}: {reason.strip()}"

    def note_on_session(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        frame = frame.copy()
        hit = (_column(frame, "session_id") == sid).to_numpy(bool)
        frame.loc[hit, "consent_scope"] = "none"
        old = frame.loc[hit, "notes"].astype("object") if "notes" in frame else [None] * hit.sum()
        frame.loc[hit, "notes"] = [
            f"{o}; {note}" if isinstance(o, str) and o else note for o in old
        ]
        return frame

    purged = ws.purge_rows(
        predicates,
        author=author.strip(),
        reason=f"session {sid}: {reason.strip()}",
        updates={workshop.SESSIONS_LAYER: note_on_session},
        role=role,
        audit_params={"session_id": sid, "session_date": session.date.isoformat()},
    )
    touched = [*layers, *([PATHS_LAYER] if PATHS_LAYER in predicates else [])]
    exports = exports_since(ws, session.date, touched)
    return Erasure(
        purged,
        session_id=sid,
        session_date=session.date,
        erased_on=today,
        note=note,
        exports=exports,
    )


def erase_marks(
    ws: Workspace,
    layer: str,
    rows: Sequence[int],
    *,
    author: str,
    reason: str,
    role: str = "community",
) -> Purged:
    """Erase single marks (rows of ``ws.read(layer)``) from the layer, its history and the file.

    A mark is recognised in the earlier versions by its session and its exact
    geometry, so copies of it in every version go too (two marks of one
    session at exactly the same place go together).

    Parameters
    ----------
    ws : Workspace
        The workspace.
    layer : str
        One of :data:`pata_gis.workshop.MARK_LAYERS` values.
    rows : sequence of int
        Positions (0-based) in the current ``ws.read(layer)``.
    author, reason, role
        As in :func:`erase_session_marks`.

    Returns
    -------
    Purged
        ``{layer: rows erased from the current content}``, with
        ``history_rows``, ``versions_rewritten`` and ``versions``.

    Raises
    ------
    InputError
        Not a mark layer, a row that does not exist, an empty reason.
    """
    if layer not in workshop.MARK_LAYERS.values():
        raise InputError(
            f"layer {layer!r} is not a mark layer; use one of "
            f"{', '.join(workshop.MARK_LAYERS.values())}"
        )
    if not isinstance(reason, str) or not reason.strip():
        raise InputError(t("erase.no_reason", "en"))
    frame = ws.read(layer)
    picked = sorted({int(r) for r in rows})
    bad = [r for r in picked if not 0 <= r < len(frame)]
    if bad or not picked:
        raise InputError(
            f"layer {layer!r} has rows 0..{len(frame) - 1}; rows {bad or '(none)'} cannot be "
            "erased. Pass positions of ws.read(layer)"
        )
    keys = set(_keys(frame.iloc[picked]))
    sessions = sorted({k[0] for k in keys})

    def pick(version: gpd.GeoDataFrame) -> np.ndarray:
        return np.fromiter((k in keys for k in _keys(version)), bool, count=len(version))

    return ws.purge_rows(
        {layer: pick},
        author=author,
        reason=f"{len(picked)} single marks: {reason.strip()}",
        role=role,
        audit_params={"session_id": ", ".join(sessions), "single_marks": len(picked)},
    )


def _keys(frame: gpd.GeoDataFrame) -> Iterable[tuple[str, bytes | None]]:
    """(session id, WKB of the geometry) of every row."""
    sids = _column(frame, "session_id").str.strip().tolist()
    wkb = shapely.to_wkb(np.asarray(frame.geometry.values), byte_order=1, include_srid=False)
    return zip(sids, wkb.tolist(), strict=True)


def exports_since(
    ws: Workspace, since: _dt.date | str, layers: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Audited exports made on or after `since` that may hold marks of `layers`.

    Exports (and printouts) of `layers` and of what is made from marks
    (hotspots, safety plans: layer names with ``hotspot``, ``risk``,
    ``safety``...) recorded in the workspace's audit log (and in the
    ``<workspace>.audit.jsonl`` beside it, imported first). Erasure records
    are left out.

    Returns
    -------
    list of dict
        ``when_utc``, ``who``, ``role``, ``layer``, ``level``,
        ``n_features``, ``destination``, ``sha256``, ``source``; oldest first.
    """
    day = _dt.date.fromisoformat(since) if isinstance(since, str) else since
    start = pd.Timestamp(day.isoformat(), tz="UTC")
    ws.import_audit_jsonl()
    log = ws.audit_log()
    if log.empty:
        return []
    names = set(layers)
    layer = log["layer"].astype(object).where(log["layer"].notna(), "").astype(str)
    relevant = layer.isin(names) | layer.str.lower().str.contains("|".join(_DERIVED))
    when = pd.to_datetime(log["when_utc"], utc=True, errors="coerce")
    keep = relevant & (when >= start) & ~log["source"].astype(str).eq("erase")
    cols = ["when_utc", "who", "role", "layer", "level", "n_features", "destination", "sha256"]
    out = []
    for _, row in log[keep].iterrows():
        rec = {c: _plain(row.get(c)) for c in cols}
        rec["source"] = _plain(row.get("source"))
        out.append(rec)
    return out


def _plain(v: Any) -> Any:
    """A JSON-ready value (timestamps as ISO text, missing as None)."""
    if v is None or (not isinstance(v, str | dict | list) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.isoformat()
    if isinstance(v, np.generic):
        return v.item()
    return v
