"""What a user reads on a Streamlit page run by AppTest: every label, text and heading."""

from __future__ import annotations

import json
from typing import Any

from pandas.api.types import is_object_dtype, is_string_dtype

#: Element types whose ``value`` is text the user reads.
_TEXT_VALUE = {
    "title", "header", "subheader", "caption", "markdown", "text", "latex",
    "info", "warning", "success", "error", "toast",
}  # fmt: skip
#: Widgets whose ``options`` are shown (already through ``format_func``).
_WITH_OPTIONS = {"radio", "selectbox", "multiselect", "select_slider", "segmented_control", "pills"}


def _walk(node: Any) -> Any:
    yield node
    children = getattr(node, "children", None)
    if children:
        for child in children.values():
            yield from _walk(child)


def _table_texts(node: Any) -> list[str]:
    """Column headers as shown (``column_config`` labels, hidden columns left out)
    and the distinct text cells of a dataframe/table element."""
    frame = node.value
    config: dict[str, Any] = {}
    raw = getattr(node.proto, "columns", "")
    if raw:
        config = json.loads(raw)
    order = list(getattr(node.proto, "column_order", []) or [])
    texts: list[str] = []
    for col in frame.columns:
        conf = config.get(str(col), {})
        if conf.get("hidden") or (order and str(col) not in order):
            continue
        texts.append(str(conf.get("label") or col))
        if is_object_dtype(frame[col]) or is_string_dtype(frame[col]):
            texts.extend(sorted({v for v in frame[col] if isinstance(v, str)}))
    if frame.index.name and not config.get("_index", {}).get("hidden"):
        texts.append(str(frame.index.name))
    return texts


def visible_texts(at: Any) -> list[str]:
    """Every text the page shows, in order: headings, text, labels, options, help,
    tab and expander titles and the column names of tables.

    Parameters
    ----------
    at : streamlit.testing.v1.AppTest
        An app that has run.
    """
    out: list[str] = []

    def add(value: Any) -> None:
        if isinstance(value, str) and value.strip():
            out.append(value.strip())

    for node in _walk(at._tree):
        kind = getattr(node, "type", "")
        if kind in _TEXT_VALUE:
            add(getattr(node, "value", None))
        label = getattr(node, "label", None)
        add(label)
        if kind in _WITH_OPTIONS:
            for option in getattr(node, "options", []) or []:
                add(option)
        add(getattr(getattr(node, "proto", None), "help", None))
        add(getattr(getattr(node, "proto", None), "placeholder", None))
        if kind in ("dataframe", "table"):
            for text in _table_texts(node):
                add(text)
        if kind == "metric":
            add(getattr(node, "value", None))
    return out
