"""Locked environments: the locks match pyproject.toml, pin everything, and are what runs here;
make stops at once on a Python it cannot use."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
LOCKS = ("binder/requirements.txt", "requirements/build.txt", "requirements/test.txt",
         "requirements/dev.txt")  # fmt: skip
PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==[^\s;]+( ; .+)?$")


def load_locker() -> ModuleType:
    """requirements/lock.py, the script behind make lock."""
    spec = importlib.util.spec_from_file_location("lock", ROOT / "requirements" / "lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def locked_pins(path: Path, python_full_version: str | None = None) -> dict[str, str]:
    """The version a lock file pins for each package whose marker holds for this interpreter
    (or for the Python version given), by normalized name; the closing "." left out."""
    environment = {}
    if python_full_version is not None:
        environment = {
            "python_full_version": python_full_version,
            "python_version": ".".join(python_full_version.split(".")[:2]),
        }
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line == ".":
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            (version,) = (spec.version for spec in requirement.specifier)
            found[canonicalize_name(requirement.name)] = version
    return found


def requires_python() -> SpecifierSet:
    """pyproject.toml's requires-python."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return SpecifierSet(project["requires-python"])


def test_every_lock_matches_pyproject_toml() -> None:
    """uv.lock satisfies pyproject.toml and each exported lock is exactly what make lock writes (offline)."""
    assert load_locker().stale_files() == [], "a lock is stale: run make lock"


@pytest.mark.parametrize("lock", LOCKS)
def test_every_lock_line_is_an_exact_pin(lock: str) -> None:
    """Every requirement line is name==version, with an environment marker at most: pip has nothing to choose."""
    lines = [
        line
        for line in (ROOT / lock).read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    if lock.startswith("binder/"):
        assert lines.pop() == ".", "Binder's lock ends by installing the package itself"
    assert lines, f"{lock} pins nothing"
    assert [line for line in lines if not PIN.match(line)] == []
    names = [canonicalize_name(Requirement(line).name) for line in lines]
    assert len(names) == len(set(names)), f"{lock} pins a package twice"


def test_the_build_lock_pins_pip_itself() -> None:
    """make replaces the venv's own pip with the locked release before installing anything."""
    assert "pip" in locked_pins(ROOT / "requirements" / "build.txt")


def test_this_environment_runs_exactly_the_test_lock() -> None:
    """Every package the test lock pins for this Python is installed here at that very version."""
    drifted = {}
    for name, version in locked_pins(ROOT / "requirements" / "test.txt").items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = "missing"
        if installed != version:
            drifted[name] = (version, installed)
    assert drifted == {}, "the environment differs from requirements/test.txt: run make test"


def test_the_locks_agree_on_every_shared_package() -> None:
    """A package in two locks has one version in both, so Binder, serve and the tests run the same."""
    versions: dict[str, set[str]] = {}
    for lock in LOCKS:
        for name, version in locked_pins(ROOT / lock).items():
            versions.setdefault(name, set()).add(version)
    assert {name: found for name, found in versions.items() if len(found) > 1} == {}


def test_supported_pythons_include_debian_12_and_binder() -> None:
    """requires-python admits Debian 12's 3.11.2 and binder/runtime.txt's Python, and uv.lock was made for it."""
    supported = requires_python()
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    assert "3.11.2" in supported
    assert f"{runtime.removeprefix('python-')}.99" in supported
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    assert SpecifierSet(lock["requires-python"]) == supported


def test_the_interpreter_check_accepts_the_python_running_the_tests() -> None:
    """requirements/check_python.py passes silently on a supported Python with venv."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "requirements" / "check_python.py")],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def pretend_python(folder: Path, version: tuple[int, int, int], venv: bool = True) -> Path:
    """An executable that runs scripts on this Python while reporting another version (and,
    with venv=False, lacking ensurepip as Debian's python3 does without python3-venv)."""
    hide = "sys.modules['ensurepip'] = None; " if not venv else ""
    code = (
        f"import runpy, sys; sys.version_info = {(*version, 'final', 0)!r}; {hide}"
        "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    path = folder / f"python{version[0]}.{version[1]}"
    path.write_text(f'#!/bin/sh\nexec {sys.executable} -c "{code}" "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def make_test_with(
    python: Path | str, tmp_path: Path
) -> tuple[subprocess.CompletedProcess[str], float]:
    """`make test PYTHON=python` in a copy of the project's set-up files, and how long it took."""
    project = tmp_path / "project"
    for name in ("Makefile", "pyproject.toml", "requirements/check_python.py",
                 "backspasm_edu/__init__.py"):  # fmt: skip
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, project / name)
    environment = {key: value for key, value in os.environ.items() if not key.startswith("MAKE")}
    started = time.monotonic()
    done = subprocess.run(
        ["make", "test", f"PYTHON={python}"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done, time.monotonic() - started


@pytest.mark.parametrize(
    ("version", "venv", "expected"),
    [
        ((3, 10, 13), True, "is Python 3.10.13; backspasm-edu supports Python 3.11 to 3.13"),
        ((3, 14, 0), True, "is Python 3.14.0; backspasm-edu supports Python 3.11 to 3.13"),
        ((3, 11, 2), False, "(Python 3.11.2) cannot create a virtual environment"),
    ],
)
def test_make_stops_at_once_on_a_python_it_cannot_use(
    version: tuple[int, int, int], venv: bool, expected: str, tmp_path: Path
) -> None:
    """An unsupported Python, or one without venv, stops make in seconds with one line and exit 2, before .venv exists."""
    done, seconds = make_test_with(pretend_python(tmp_path, version, venv), tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert expected in line
    assert "apt-get install" in line
    assert seconds < 5
    assert not (tmp_path / "project" / ".venv").exists()


def test_make_names_a_python_that_is_not_there(tmp_path: Path) -> None:
    """PYTHON naming no program stops make with one line that says so and how to get one."""
    done, _ = make_test_with(tmp_path / "python3.99", tmp_path)
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert "python3.99 was not found: install Python 3" in line


@pytest.mark.slow
@pytest.mark.network
def test_a_fresh_resolution_reproduces_the_committed_lock(tmp_path: Path) -> None:
    """Resolving pyproject.toml from nothing (PyPI, as of [tool.uv] exclude-newer) gives uv.lock byte for byte."""
    for name in ("pyproject.toml", "README.md", "backspasm_edu/__init__.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    locker = load_locker()
    done = subprocess.run(
        [locker.find_uv_bin(), "lock"],
        cwd=tmp_path,
        env={**os.environ, **locker.UV_ENVIRONMENT},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "uv.lock").read_text(encoding="utf-8") == (ROOT / "uv.lock").read_text(
        encoding="utf-8"
    )
