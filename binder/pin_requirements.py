"""Write binder/requirements.txt: the package's runtime closure, pinned to the test environment.

Run it with the test environment's Python, from anywhere:

    make binder-requirements              # or: .venv/bin/python binder/pin_requirements.py
    .venv/bin/python binder/pin_requirements.py --check   # exit 1 if the file is out of date

It reads the direct runtime dependencies from pyproject.toml (plus the few packages Binder's own
image carries that must agree with them, see BINDER_IMAGE_PACKAGES), follows their dependencies
through the installed packages' metadata, evaluating environment markers and extras for this
interpreter, and pins every package reached to the version installed here. Nothing is
downloaded. The Python running it must be the one in binder/runtime.txt, so that the markers
evaluate as they will on Binder.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

import tomllib
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = ROOT / "binder" / "requirements.txt"
RUNTIME = ROOT / "binder" / "runtime.txt"

# Binder's base image already holds Notebook 7, whose releases each accept only one JupyterLab
# minor version: pinning JupyterLab alone would leave the image's Notebook broken, so it is pinned
# to the release that matches the tested JupyterLab (the test extras install it for that reason).
BINDER_IMAGE_PACKAGES = ("notebook",)

HEADER = """\
# Binder's environment: backspasm-edu's runtime dependencies and everything they pull in, pinned
# to exactly the versions the tests use, then the package itself (the "." at the end: Binder
# ignores the root pyproject.toml because binder/ exists).
# Generated from the test environment; do not edit by hand. To regenerate after changing
# dependencies in pyproject.toml:
#     make binder-requirements    (runs .venv/bin/python binder/pin_requirements.py)
# tests/test_binder.py checks that every pin matches the test environment.
"""


class PinError(Exception):
    """The test environment cannot produce a complete, consistent set of pins."""


def runtime_python() -> str:
    """The Python version named in binder/runtime.txt, such as "3.11"."""
    text = RUNTIME.read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+\.\d+)", text)
    if not match:
        raise PinError(f"{RUNTIME}: expected 'python-X.Y', got {text!r}")
    return match.group(1)


def direct_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    """The runtime dependencies in pyproject.toml, then the Binder image packages."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return [Requirement(text) for text in (*project["dependencies"], *BINDER_IMAGE_PACKAGES)]


def _applies(requirement: Requirement, extras: Iterable[str]) -> bool:
    """Whether a requirement's marker holds here for any of the extras asked for (or none)."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in ("", *extras))


def closure(requirements: Iterable[Requirement]) -> dict[NormalizedName, str]:
    """Every package the requirements reach, by normalized name, with its installed version."""
    pins: dict[NormalizedName, str] = {}
    seen: set[tuple[NormalizedName, frozenset[str]]] = set()
    todo = [(requirement, "pyproject.toml") for requirement in requirements]
    while todo:
        requirement, wanted_by = todo.pop()
        name = canonicalize_name(requirement.name)
        extras = frozenset(canonicalize_name(extra) for extra in requirement.extras)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise PinError(
                f"{requirement.name} (wanted by {wanted_by}) is not installed here: "
                "install the test environment first (make test, or pip install -e '.[test,dev]')"
            ) from None
        version = distribution.version
        if not requirement.specifier.contains(version, prereleases=True):
            raise PinError(
                f"{wanted_by} wants {requirement}, but {requirement.name} {version} is installed"
            )
        pins[name] = version
        for text in distribution.requires or []:
            dependency = Requirement(text)
            if _applies(dependency, extras):
                todo.append((dependency, f"{name} {version}"))
    return pins


def render(pins: dict[NormalizedName, str]) -> str:
    """The requirements file: the header, one sorted pin a line, and "." last."""
    lines = [f"{name}=={pins[name]}" for name in sorted(pins)]
    return HEADER + "\n".join(lines) + "\n.\n"


def expected_text() -> str:
    """What binder/requirements.txt should hold for the environment running this."""
    wanted = runtime_python()
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if running != wanted:
        raise PinError(f"run this with Python {wanted} (binder/runtime.txt), not {running}")
    pins = closure(direct_requirements())
    pins.pop(canonicalize_name("backspasm-edu"), None)
    return render(pins)


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) binder/requirements.txt; 0 on success."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    options = parser.parse_args(argv)
    try:
        text = expected_text()
    except PinError as error:
        print(f"pin_requirements: {error}", file=sys.stderr)
        return 2
    if options.check:
        current = REQUIREMENTS.read_text(encoding="utf-8") if REQUIREMENTS.exists() else ""
        if current != text:
            print(f"{REQUIREMENTS} is out of date: run make binder-requirements", file=sys.stderr)
            return 1
        return 0
    REQUIREMENTS.write_text(text, encoding="utf-8")
    print(f"wrote {text.count('==')} pins to {REQUIREMENTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
