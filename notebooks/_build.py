"""Build the worked-example notebooks from the cell lists in ``_cells_*.py``.

Run ``python notebooks/_build.py`` after editing a cell list; the ``.ipynb``
files are written without outputs (the tests execute them).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
NOTEBOOKS = {
    "01_workshop.ipynb": "_cells_workshop.py",
    "02_planner.ipynb": "_cells_planner.py",
    "03_safety_meeting.ipynb": "_cells_safety.py",
}


def build(name: str, source: str) -> Path:
    spec = importlib.util.spec_from_file_location(source[:-3], HERE / source)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for kind, text in mod.CELLS:
        text = text.strip("\n")
        cell = nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        nb.cells.append(cell)
    for i, cell in enumerate(nb.cells):  # stable ids: the files do not churn on rebuild
        cell["id"] = f"{Path(name).stem[:2]}-{i:02d}"
    out = HERE / name
    nbformat.write(nb, out)
    return out


if __name__ == "__main__":
    for nb_name, src in NOTEBOOKS.items():
        if (HERE / src).exists():
            print(build(nb_name, src))
