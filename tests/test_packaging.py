"""Packaging: the core imports no UI or pandas, and the built wheel works from a zip file."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def test_core_does_not_import_widgets_ipython_or_pandas() -> None:
    """Importing and using the core in a fresh interpreter loads no ipywidgets, IPython or pandas."""
    code = (
        "import sys, backspasm_edu, backspasm_edu.triage, backspasm_edu.quiz, backspasm_edu.scenario\n"
        "backspasm_edu.assess({'age': 40, 'days_since_onset': 1})\n"
        "backspasm_edu.QuizSession('when_to_seek_care', seed=1)\n"
        "print(sorted(m for m in ('ipywidgets', 'IPython', 'pandas') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from the source tree."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return next(out.glob("backspasm_edu-*.whl"))


def test_wheel_ships_content_and_schemas_and_no_tests(wheel) -> None:
    """The wheel holds every content YAML and schema, and no tests."""
    names = zipfile.ZipFile(wheel).namelist()
    source_yaml = {p.relative_to(ROOT).as_posix() for p in (ROOT / "backspasm_edu").rglob("*.yaml")}
    assert source_yaml <= set(names)
    assert "backspasm_edu/schemas/quiz.json" in names
    assert not any(name.startswith("tests/") for name in names)


def test_content_loads_from_the_zipped_wheel(wheel, tmp_path) -> None:
    """Run from the wheel as a zip, away from the source tree, all content loads and validates."""
    code = (
        "import backspasm_edu\n"
        "from backspasm_edu.loader import validate_packaged\n"
        "count, problems = validate_packaged()\n"
        "print(backspasm_edu.__file__.split('/')[-3], count, len(problems))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(wheel), "PATH": "/usr/bin:/bin"},
    )
    where, count, problems = done.stdout.split()
    assert where == wheel.name
    assert int(count) >= 19 and problems == "0"


def test_readme_python_examples_run() -> None:
    """Every Python example in the README runs as written."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.DOTALL)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_first_content_load_skips_the_slow_iri_grammar_and_leaves_it_importable() -> None:
    """Loading content does not import rfc3987_syntax, and leaves it importable for others."""
    code = (
        "import importlib, importlib.util, sys\n"
        "from backspasm_edu import assess\n"
        "assess({'age': 40, 'days_since_onset': 1})\n"
        "print('rfc3987_syntax' in sys.modules)\n"
        "if importlib.util.find_spec('rfc3987_syntax'):\n"
        "    importlib.import_module('rfc3987_syntax')\n"
        "print('jsonschema' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]
