"""Data page: the layers, import with a validation report, export, history and restore.

What a person can do here, by role (:mod:`pata_gis.privacy`):

* **See the layers**: every layer, its features, sensitivity and what the
  current role gets of it (as stored, aggregated, or nothing).
* **Import** a file (GeoJSON, GeoPackage, zipped Shapefile, KML, CSV, GPX, OSM)
  uploaded or named by its path on this computer into a layer the role may see
  as stored, replacing or adding to its features. A progress bar follows the
  read, check and save steps (:meth:`pata_gis.workspace.Workspace.import_file`);
  the validation report lists every repair and warning, and a refused file every
  problem, with the workspace left unchanged. The public role imports nothing.
* **Export** a layer: public layers as they are; restricted and confidential
  ones only through :func:`pata_gis.privacy.export_view` at the role's level
  (aggregated by default, masked where the role may have it), recorded in the
  workspace's audit table ``pata_audit`` (mirrored in ``<workspace>.audit.jsonl``). Workshop marks
  are exported only as far as their session's consent scope allows
  (:func:`pata_gis.roles.consented`).
* **History and restore**: the saved versions of a layer; an earlier version
  becomes current again (as a new version: nothing is ever deleted) after an
  explicit confirmation.
"""

from __future__ import annotations

import getpass
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from pata_gis import io as _io
from pata_gis import privacy, roles
from pata_gis._errors import PataGisError, ValidationError
from pata_gis.i18n import STRINGS, t
from pata_gis.messages import error_text, translate
from pata_gis.ui import text_data  # noqa: F401  (registers the page's strings)
from pata_gis.ui.common import page_setup
from pata_gis.workspace import Workspace

logger = logging.getLogger(__name__)


#: Export formats offered: label -> file suffix (see :func:`pata_gis.io.write`).
FORMATS: dict[str, str] = {
    "GeoJSON": ".geojson",
    "GeoPackage": ".gpkg",
    "CSV": ".csv",
    "KML": ".kml",
    "Shapefile (.zip)": ".zip",
}
_MIME = {
    ".geojson": "application/geo+json",
    ".gpkg": "application/geopackage+sqlite3",
    ".csv": "text/csv",
    ".kml": "application/vnd.google-earth.kml+xml",
    ".zip": "application/zip",
}
_UPLOAD_TYPES = ["geojson", "json", "gpkg", "zip", "kml", "csv", "gpx", "osm", "txt"]
_EXPORT_KEY = "data_export_file"
_FLASH_KEY = "data_restore_done"
_IMPORT_DONE = "data_import_done"


def audit_path(ws: Workspace) -> Path:
    """The mirror of the export audit log: ``<workspace>.audit.jsonl`` (the record is ``pata_audit``)."""
    return Path(ws.path).with_suffix(".audit.jsonl")


def _default_who() -> str:
    try:
        return os.environ.get("PATA_GIS_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):
        return ""


def _levels_allowed(role: str, sensitivity: str) -> list[str]:
    """Levels `role` may export of a layer, the safest first."""
    return [
        lv
        for lv in ("aggregated", "masked", "raw")
        if privacy.can_see(role, sensitivity, level=lv)
        and not (lv == "aggregated" and sensitivity == "public")
    ]


ctx = page_setup()
lang, ws, role = ctx.lang, ctx.workspace, ctx.role
specs = ws.specs()
raw_layers = [n for n, s in specs.items() if privacy.max_level(role, s.sensitivity) == "raw"]

st.title(t("data.heading", lang))
st.caption(t("data.intro", lang))
who = st.text_input(t("data.who", lang), value=_default_who(), key="data_who").strip()

tab_layers, tab_import, tab_export, tab_history = st.tabs(
    [
        t("data.tab_layers", lang),
        t("data.tab_import", lang),
        t("data.tab_export", lang),
        t("data.tab_history", lang),
    ]
)


def _label(name: str) -> str:
    return f"{specs[name].label(lang)} ({name})"


def _coded(prefix: str, code: object) -> str:
    """A stored code (an action, a mode, an outcome) in the page language, when known."""
    key = f"{prefix}.{code}"
    return t(key, lang) if key in STRINGS else str(code)


# ------------------------------------------------------------------ layers
with tab_layers:
    info = ws.info().set_index("name")
    st.dataframe(
        pd.DataFrame(
            {
                t("data.col_layer", lang): [specs[n].label(lang) for n in specs],
                t("data.col_name", lang): list(specs),
                t("data.col_features", lang): [info.loc[n, "n_features"] for n in specs],
                t("data.col_sensitivity", lang): [
                    t(f"data.sens.{specs[n].sensitivity}", lang) for n in specs
                ],
                t("data.col_you_see", lang): [
                    t(f"data.level.{privacy.max_level(role, specs[n].sensitivity)}", lang)
                    for n in specs
                ],
                t("data.col_version", lang): [info.loc[n, "version"] for n in specs],
            }
        ),
        hide_index=True,
        width="stretch",
        height=36 * (len(specs) + 1) + 4,  # every layer visible, no inner scrolling
        key="data_layers_table",
    )


# ------------------------------------------------------------------ import
def _error_text(exc: BaseException) -> str:
    """An error's message in the page language (:func:`pata_gis.messages.error_text`)."""
    return error_text(exc, lang)


def _show_report(done: dict[str, Any]) -> None:
    """The last import's outcome: the summary, every repair and every warning."""
    st.success(done["message"])
    changes, warnings = done["changes"], done["warnings"]
    if changes:
        with st.expander(t("data.repairs", lang, n=len(changes)), expanded=True):
            st.markdown("\n".join(f"- {translate(c, lang)}" for c in changes))
    if warnings:
        with st.expander(t("data.warnings", lang, n=len(warnings)), expanded=True):
            st.markdown("\n".join(f"- {translate(w, lang)}" for w in warnings))
    if not changes and not warnings:
        st.caption(t("data.clean", lang))


def _run_import(src: Path, layer: str, mode: str, defaults: dict[str, Any]) -> None:
    bar = st.progress(0.0, text=t("data.step", lang, i=0, n=3, msg=src.name))

    def progress(msg: str, i: int, n: int) -> None:
        bar.progress(min(i / n, 1.0), text=t("data.step", lang, i=i, n=n, msg=translate(msg, lang)))

    try:
        report = ws.import_file(
            src,
            layer=layer,
            mode=mode,  # type: ignore[arg-type]
            author=who or None,
            defaults=defaults or None,
            progress=progress,
        )
    except ValidationError as exc:
        bar.empty()
        summary = getattr(exc, "message", None) or str(exc).splitlines()[0]
        st.error(t("data.refused", lang) + "\n\n" + translate(summary, lang))
        if exc.problems:
            with st.expander(t("data.problems", lang, n=len(exc.problems)), expanded=True):
                st.markdown("\n".join(f"- {translate(p, lang)}" for p in exc.problems))
        return
    except (PataGisError, ValueError, OSError) as exc:
        bar.empty()
        st.error(t("data.refused", lang) + "\n\n" + _error_text(exc))
        return
    bar.progress(1.0, text=t("data.step", lang, i=3, n=3, msg=src.name))
    hist = ws.history(layer)
    # shown after a rerun, so the layer table and the history show the new version
    st.session_state[_IMPORT_DONE] = {
        "message": t(
            "data.import_ok",
            lang,
            layer=specs[layer].label(lang),
            n_out=report.n_out,
            n_in=report.n_in,
            total=int(hist["n_features"].iloc[-1]),
            version=int(hist["version"].iloc[-1]),
        ),
        "changes": list(report.changes),
        "warnings": list(report.warnings),
    }
    st.rerun()


with tab_import:
    if role == "public" or not raw_layers:
        st.info(t("data.public_readonly", lang))
    else:
        done = st.session_state.pop(_IMPORT_DONE, None)
        if done:
            _show_report(done)
        layer = st.selectbox(
            t("data.import_layer", lang),
            raw_layers,
            format_func=_label,
            key="data_import_layer",
        )
        upload = st.file_uploader(t("data.upload", lang), type=_UPLOAD_TYPES, key="data_upload")
        typed = st.text_input(t("data.path", lang), key="data_import_path").strip()
        mode = st.radio(
            t("data.mode", lang),
            ["append", "replace"],
            format_func=lambda m: t(f"data.mode.{m}", lang),
            horizontal=True,
            key="data_import_mode",
        )
        c1, c2 = st.columns(2)
        source = c1.text_input(t("data.default_source", lang), key="data_default_source").strip()
        accuracy = c2.number_input(
            t("data.default_accuracy", lang),
            min_value=0.0,
            value=0.0,
            step=5.0,
            key="data_default_accuracy",
        )
        if st.button(t("data.import_go", lang), type="primary", key="data_import_go"):
            defaults: dict[str, Any] = {}
            if source:
                defaults["source"] = source
            if accuracy > 0:
                defaults["accuracy_m"] = float(accuracy)
            if upload is not None:
                with tempfile.TemporaryDirectory(prefix="pata-upload-") as tmp:
                    src = Path(tmp) / Path(upload.name).name
                    src.write_bytes(upload.getvalue())
                    _run_import(src, layer, mode, defaults)
            elif typed:
                src = Path(typed).expanduser()
                if not src.is_file():
                    st.error(t("data.no_such_file", lang, path=src))
                else:
                    _run_import(src, layer, mode, defaults)
            else:
                st.warning(t("data.no_file", lang))


# ------------------------------------------------------------------ export
def _export(name: str, suffix: str, level: str | None) -> None:
    spec = specs[name]
    gdf = ws.read(name)
    with tempfile.TemporaryDirectory(prefix="pata-export-") as tmp:
        out = Path(tmp) / f"{name}{suffix}"
        if spec.sensitivity == "public" and level in (None, "raw"):
            _io.write(gdf, out)
            n, got, audited = len(gdf), "raw", False
        else:
            if not who:
                st.warning(t("data.who_required", lang))
                return
            sessions = ws.read("workshop_sessions") if "workshop_sessions" in specs else None
            data = roles.consented(gdf, spec, role, level or "aggregated", sessions=sessions)
            audit = privacy.WorkspaceAuditLog(ws)  # pata_audit, mirrored beside the file
            out = privacy.export_view(data, spec, out, role=role, who=who, audit=audit, level=level)
            rec = audit.records()[-1]
            n, got, audited = int(rec["n_features"]), str(rec["level"]), True
        st.session_state[_EXPORT_KEY] = {
            "name": out.name,
            "data": out.read_bytes(),
            "mime": _MIME.get(suffix, "application/octet-stream"),
            "n": n,
            "level": got,
            "audited": audited,
        }


with tab_export:
    exportable = [n for n, s in specs.items() if privacy.max_level(role, s.sensitivity) != "none"]
    if not exportable:
        st.info(t("data.nothing_to_export", lang))
    else:
        name = st.selectbox(
            t("data.export_layer", lang), exportable, format_func=_label, key="data_export_layer"
        )
        fmt = st.selectbox(t("data.format", lang), list(FORMATS), key="data_export_format")
        sens = specs[name].sensitivity
        level: str | None = None
        if sens != "public":
            st.caption(t("data.export_sensitive", lang, sens=t(f"data.sens.{sens}", lang)))
            level = st.radio(
                t("data.level", lang),
                _levels_allowed(role, sens),
                format_func=lambda lv: t(f"data.level.{lv}", lang),
                key="data_export_level",
            )
        if st.button(t("data.export_go", lang), key="data_export_go"):
            st.session_state.pop(_EXPORT_KEY, None)
            try:
                _export(name, FORMATS[fmt], level)
            except (PataGisError, ValueError, OSError) as exc:
                st.error(t("data.error", lang, error=_error_text(exc)))
        ready = st.session_state.get(_EXPORT_KEY)
        if ready and Path(ready["name"]).stem == name:
            st.caption(
                t(
                    "data.export_ok",
                    lang,
                    n=ready["n"],
                    level=t(f"data.level.{ready['level']}", lang),
                )
            )
            if ready["audited"]:
                st.caption(t("data.export_audited", lang, log=f"{ws.path.name}: pata_audit"))
            st.download_button(
                t("data.download", lang, file=ready["name"]),
                data=ready["data"],
                file_name=ready["name"],
                mime=ready["mime"],
                key="data_download",
            )


# ------------------------------------------------------------------ history
with tab_history:
    if not raw_layers:
        st.info(t("data.public_readonly", lang))
    else:
        hname = st.selectbox(
            t("data.history_layer", lang), raw_layers, format_func=_label, key="data_history_layer"
        )
        flash = st.session_state.pop(_FLASH_KEY, None)
        if flash:
            st.success(flash)
        hist = ws.history(hname)
        shown = (
            hist.assign(action=[_coded("data.action", a) for a in hist["action"]])
            .rename(
                columns={
                    "version": t("data.col_version", lang),
                    "saved_at": t("data.col_saved", lang),
                    "author": t("data.col_author", lang),
                    "action": t("data.col_action", lang),
                    "message": t("data.col_message", lang),
                    "n_features": t("data.col_features", lang),
                }
            )
            .iloc[::-1]
        )
        st.dataframe(shown, hide_index=True, width="stretch", key="data_history_table")
        imports = ws.import_log()
        imports = imports[imports["layer"] == hname].iloc[::-1]
        with st.expander(t("data.import_log", lang) + f" ({len(imports)})"):
            st.dataframe(
                pd.DataFrame(
                    {
                        t("data.col_saved", lang): imports["logged_at"],
                        t("data.col_file", lang): [Path(f).name for f in imports["file"]],
                        t("data.mode", lang): [_coded("data.mode", m) for m in imports["mode"]],
                        t("data.col_features", lang): imports["n_features"],
                        t("data.col_outcome", lang): [
                            _coded("data.outcome", o) for o in imports["outcome"]
                        ],
                        t("data.col_author", lang): imports["author"],
                        t("data.col_report", lang): imports["report"],
                    }
                ),
                hide_index=True,
                width="stretch",
            )
        earlier = [int(v) for v in hist["version"].iloc[:-1][::-1]]
        if role == "public":
            st.info(t("data.public_readonly", lang))
        elif not earlier:
            st.caption(t("data.restore_one", lang))
        else:
            version = st.selectbox(
                t("data.restore_version", lang), earlier, key="data_restore_version"
            )
            n_old = int(hist.loc[hist["version"] == version, "n_features"].iloc[0])
            sure = st.checkbox(
                t("data.restore_confirm", lang, version=version, n=n_old),
                key="data_restore_confirm",
            )
            if st.button(t("data.restore_go", lang), disabled=not sure, key="data_restore_go"):
                try:
                    new = ws.restore(hname, version, author=who or None)
                except PataGisError as exc:
                    st.error(t("data.error", lang, error=_error_text(exc)))
                else:
                    st.session_state[_FLASH_KEY] = t(
                        "data.restore_ok",
                        lang,
                        old=version,
                        layer=specs[hname].label(lang),
                        new=new,
                    )
                    del st.session_state["data_restore_confirm"]
                    st.rerun()
