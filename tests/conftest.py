"""Shared test settings: hypothesis profiles, and the vignette report printed after the run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

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


def pytest_addoption(parser: pytest.Parser) -> None:
    """--skip-binder: leave out the tests that build the Binder environment from PyPI."""
    parser.addoption(
        "--skip-binder",
        action="store_true",
        help="skip the tests marked binder (they build binder/ into a fresh venv from PyPI); "
        "BACKSPASM_SKIP_BINDER=1 does the same",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the binder tests when --skip-binder or BACKSPASM_SKIP_BINDER=1 asks for it."""
    if config.getoption("--skip-binder") or os.environ.get("BACKSPASM_SKIP_BINDER") == "1":
        skip = pytest.mark.skip(reason="--skip-binder or BACKSPASM_SKIP_BINDER=1")
        for item in items:
            if "binder" in item.keywords:
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the triage vignette report: accuracy per level, under-triage, over-triage."""
    from tests.test_triage_vignettes import vignette_report

    terminalreporter.write_sep("-", "triage vignettes")
    for line in vignette_report():
        terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def own_progress_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test keeps learner progress in its own empty store, so no test resumes another's."""
    from backspasm_edu import progress

    folder = tmp_path / "progress"
    folder.mkdir()
    monkeypatch.setenv(progress.ENV_VAR, f"{folder}/")
    monkeypatch.setattr(progress, "_default_stores", {})
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
