"""The apps that show tables and the evidence chart paint without pandas."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"

RUN_CELLS = """
import json, sys
from IPython.core.interactiveshell import InteractiveShell

heavy = ("pandas",)
assert not [name for name in heavy if name in sys.modules], "imported before any cell ran"
shell = InteractiveShell.instance()  # shows each cell's result in every format, as a kernel does
for source in json.loads(sys.argv[1]):
    shell.run_cell(source, store_history=False).raise_error()
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in heavy)))
"""
"""Run each cell in IPython, as a kernel would, and print which heavy modules got imported."""


def code_cells(path: Path) -> list[str]:
    """The sources of a notebook's code cells, leaving out cells tagged remove-cell."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [
        "".join(cell["source"])
        for cell in cells
        if cell["cell_type"] == "code" and "remove-cell" not in cell["metadata"].get("tags", [])
    ]


@pytest.mark.parametrize("name", ["03_when_to_get_help", "04_treatments"])
def test_app_paints_without_pandas(name):
    """Running every code cell of the app in a fresh interpreter imports neither library."""
    cells = code_cells(NOTEBOOKS / f"{name}.ipynb")
    assert cells
    done = subprocess.run(
        [sys.executable, "-c", RUN_CELLS, json.dumps(cells)],
        cwd=NOTEBOOKS,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
