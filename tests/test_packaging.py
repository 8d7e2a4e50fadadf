"""Packaging: the core imports no UI or pandas; the built wheel works zipped and installed."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def test_core_does_not_import_widgets_ipython_or_pandas() -> None:
    """Importing and using the core in a fresh interpreter loads no ipywidgets, IPython or pandas."""
    code = (
        "import sys, backspasm_edu, backspasm_edu.engines.triage, backspasm_edu.engines.quiz, backspasm_edu.engines.scenario\n"
        "backspasm_edu.assess({'age': 40, 'days_since_onset': 1})\n"
        "backspasm_edu.QuizSession('when_to_seek_care', seed=1)\n"
        "print(sorted(m for m in ('ipywidgets', 'IPython', 'pandas') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def wheel() -> Path:
    """The wheel make built from this checkout and installed for these tests."""
    from backspasm_edu import __version__

    built = ROOT / "dist" / f"backspasm_edu-{__version__}-py3-none-any.whl"
    assert built.is_file(), f"{built.relative_to(ROOT)} is missing: run the tests with make test"
    return built


def test_a_python_started_in_the_checkout_imports_the_installed_wheel() -> None:
    """A command the tests start from the repository root runs the installed package, not the source tree."""
    code = "import backspasm_edu; print(backspasm_edu.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    where = Path(done.stdout.strip())
    assert not where.is_relative_to(ROOT / "backspasm_edu"), where
    assert "site-packages" in where.parts


def test_wheel_ships_content_and_schemas_and_no_tests(wheel) -> None:
    """The wheel holds every content YAML and schema, and no tests."""
    names = zipfile.ZipFile(wheel).namelist()
    source_yaml = {p.relative_to(ROOT).as_posix() for p in (ROOT / "backspasm_edu").rglob("*.yaml")}
    assert source_yaml <= set(names)
    assert "backspasm_edu/content/schemas/quiz.json" in names
    assert not any(name.startswith("tests/") for name in names)


def test_content_loads_from_the_zipped_wheel(wheel, tmp_path) -> None:
    """Run from the wheel as a zip, away from the source tree, all content loads and validates."""
    code = (
        "import backspasm_edu\n"
        "from backspasm_edu.content.loader import validate_packaged\n"
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


def test_readme_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every Python example in the README runs as written (in an empty folder)."""
    monkeypatch.chdir(tmp_path)
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


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed by pip into a folder of its own, away from the source tree."""
    target = tmp_path_factory.mktemp("installed")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return target


def installed_env(installed: Path) -> dict[str, str]:
    """The environment of a process that imports backspasm_edu from the installed wheel."""
    return {**os.environ, "PYTHONPATH": str(installed)}


def test_wheel_ships_every_notebook_and_nothing_else_from_notebooks(wheel) -> None:
    """The wheel holds each app notebook as package data, and no progress store or README."""
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {name for name in names if name.startswith("backspasm_edu/notebooks/")}
    expected = {f"backspasm_edu/notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert shipped == expected
    assert len(expected) >= 8
    assert "backspasm_edu/app/voila_templates/tree.html" in names


def test_notebooks_command_copies_the_apps_from_the_installed_wheel(installed, tmp_path) -> None:
    """From the installed wheel, `backspasm-edu notebooks DEST` copies every app notebook."""
    done = subprocess.run(
        [sys.executable, "-m", "backspasm_edu", "notebooks", "apps"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=installed_env(installed),
    )
    assert done.returncode == 0, done.stderr
    packaged = installed / "backspasm_edu" / "notebooks"
    copied = sorted(path.name for path in (tmp_path / "apps").iterdir())
    assert copied == sorted(path.name for path in packaged.glob("*.ipynb"))
    for name in copied:
        assert (tmp_path / "apps" / name).read_bytes() == (packaged / name).read_bytes()


@pytest.mark.slow
def test_serve_runs_from_the_installed_wheel(installed, tmp_path) -> None:
    """From the installed wheel, serve lists every learner's app and renders one without author cells."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "backspasm_edu", "serve", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
            env=installed_env(installed),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(base, timeout=5) as response:
                    landing = response.read().decode()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        with urllib.request.urlopen(f"{base}/voila/render/00_start_here.ipynb", timeout=60) as page:
            start_here = page.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=15)
    packaged = installed / "backspasm_edu" / "notebooks"
    assert f"Serving {len(list(packaged.glob('*.ipynb')))} apps from {packaged}" in log.read_text()
    for notebook in sorted(packaged.glob("[0-9][0-9]_*.ipynb")):
        listed = f'href="/voila/render/{notebook.name}"' in landing
        assert listed is (notebook.stem != "09_instructor_dashboard"), notebook.name
    assert ">Knowledge check</a>" in landing
    assert "Back spasms: start here" in start_here
    assert "content files, 0 problems" not in start_here  # the remove-cell author check
    assert "validate_packaged" not in start_here  # no source code
