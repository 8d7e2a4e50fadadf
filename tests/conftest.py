"""Shared test settings: the installed-wheel check, hypothesis profiles, the vignette report."""

from __future__ import annotations

import filecmp
import importlib.util
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from tests.postgres_server import PostgresServer

# Every Python a test starts (Voila servers, kernels, commands) leaves its working folder off
# sys.path, so from the checkout it too imports the installed wheel, not the source tree.
os.environ["PYTHONSAFEPATH"] = "1"

# Notebook kernels (nbval) and Voila servers started by tests inherit this: they keep progress
# in a throwaway folder, never in the repository or a course folder.
os.environ["BACKSPASM_EDU_PROGRESS"] = tempfile.mkdtemp(prefix="backspasm-progress-") + "/"

settings.register_profile(
    "default", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=500,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "default")


CHECKOUT = Path(__file__).resolve().parents[1]


def package_files(package: Path, notebooks: Path) -> dict[str, Path]:
    """A package's files by path inside it (the app notebooks under notebooks/), caches left out."""
    files = {
        path.relative_to(package).as_posix(): path
        for path in package.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    files.update({f"notebooks/{path.name}": path for path in notebooks.glob("*.ipynb")})
    return files


def differences_from_checkout(installed: Path) -> list[str]:
    """Paths inside the package that the installed copy and the checkout do not hold alike."""
    source = package_files(CHECKOUT / "backspasm_edu", CHECKOUT / "notebooks")
    built = package_files(installed, installed / "notebooks")
    return sorted(
        name
        for name in source.keys() | built.keys()
        if name not in source
        or name not in built
        or not filecmp.cmp(source[name], built[name], shallow=False)
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """Stop at once unless backspasm_edu comes from the installed wheel, built from this checkout."""
    spec = importlib.util.find_spec("backspasm_edu")
    if spec is None or spec.origin is None:
        pytest.exit("backspasm_edu is not installed: run the tests with make test", returncode=2)
    installed = Path(spec.origin).resolve().parent
    if installed == CHECKOUT / "backspasm_edu":
        pytest.exit(
            f"the tests would import backspasm_edu from the checkout ({installed}), not the "
            "installed wheel: run them with make test (make test TESTS=tests/engines/test_quiz.py for one)",
            returncode=2,
        )
    differing = differences_from_checkout(installed)
    if differing:
        pytest.exit(
            f"the installed backspasm_edu differs from the checkout in {len(differing)} file(s), "
            f"such as {differing[0]}: run make test, which rebuilds and installs the wheel",
            returncode=2,
        )


# Tests that reach PyPI, and how to leave them out: marker -> (option, environment variable).
ONLINE_MARKERS = {
    "binder": ("--skip-binder", "BACKSPASM_SKIP_BINDER"),
    "network": ("--skip-network", "BACKSPASM_SKIP_NETWORK"),
}
"""The network marker also marks the PostgreSQL tests: their server comes from apt when missing."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """--skip-binder and --skip-network: leave out the tests that reach PyPI."""
    parser.addoption(
        "--skip-binder",
        action="store_true",
        help="skip the tests marked binder (they build binder/ into a fresh venv from PyPI); "
        "BACKSPASM_SKIP_BINDER=1 does the same",
    )
    parser.addoption(
        "--skip-network",
        action="store_true",
        help="skip the tests marked network (they resolve the locks against PyPI, or need "
        "PostgreSQL, which they install with apt when missing); "
        "BACKSPASM_SKIP_NETWORK=1 does the same",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the binder or network tests when their option or environment variable asks for it."""
    for marker, (option, variable) in ONLINE_MARKERS.items():
        if config.getoption(option) or os.environ.get(variable) == "1":
            skip = pytest.mark.skip(reason=f"{option} or {variable}=1")
            for item in items:
                if marker in item.keywords:
                    item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the triage vignette report: accuracy per level, under-triage, over-triage."""
    from tests.engines.test_triage_vignettes import vignette_report

    terminalreporter.write_sep("-", "triage vignettes")
    for line in vignette_report():
        terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def own_progress_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test keeps learner progress in its own empty store, so no test resumes another's."""
    from backspasm_edu import progress
    from backspasm_edu.progress import store
    from backspasm_edu.settings import PROGRESS_ENV

    folder = tmp_path / "progress"
    folder.mkdir()
    monkeypatch.setenv(PROGRESS_ENV, f"{folder}/")
    monkeypatch.setattr(store, "_default_stores", {})
    from backspasm_edu.widgets import course

    monkeypatch.setattr(course, "this_page", course._ThisPage())  # one page per test
    monkeypatch.setattr(course.callback_guard, "show_problem", None)
    # serve() sets these for its kernels in its own process: never let one test's leak out.
    for name in ("BACKSPASM_EDU_INSTRUCTOR_KEY", "BACKSPASM_EDU_CONTENT"):
        monkeypatch.delenv(name, raising=False)
    return folder / progress.FILE_NAME


@pytest.fixture
def callbacks_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let an error in a widget callback fail the test: ipywidgets would only log it."""
    import ipywidgets as widgets

    def dispatch(self: widgets.CallbackDispatcher, *args: object, **kwargs: object) -> None:
        for callback in self.callbacks:
            callback(*args, **kwargs)

    monkeypatch.setattr(widgets.CallbackDispatcher, "__call__", dispatch)
    from backspasm_edu.widgets._common import callback_guard

    monkeypatch.setattr(callback_guard, "raise_errors", True)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    """Records get times one minute apart from 09:00 UTC, so their order is certain."""
    from backspasm_edu.progress import store
    from tests.builders import CLOCK_START

    times: list[datetime] = []

    def tick() -> str:
        moment = CLOCK_START + timedelta(minutes=len(times))
        times.append(moment)
        return moment.isoformat(timespec="milliseconds")

    monkeypatch.setattr(store, "_now", tick)
    return times


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL server on 127.0.0.1 for the whole run (installed with apt if missing)."""
    from tests.postgres_server import running_server

    with running_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL (with its password) of an empty database of the test's own."""
    return postgres_server.new_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.network)])
def store_location(
    request: pytest.FixtureRequest, own_progress_store: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path | str]:
    """The test's own empty store, once as a SQLite file and once as a PostgreSQL database.

    $BACKSPASM_EDU_PROGRESS names it, so default_store() opens it too.
    """
    if request.param == "sqlite":
        yield own_progress_store
        return
    from backspasm_edu.progress import store
    from backspasm_edu.settings import PROGRESS_ENV

    url = request.getfixturevalue("postgres_url")
    monkeypatch.setenv(PROGRESS_ENV, url)
    yield url
    for opened in store._default_stores.values():
        opened.close()
