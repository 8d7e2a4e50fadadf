"""Shared test settings: hypothesis profiles, and the vignette report printed after the run."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the triage vignette report: accuracy per level, under-triage, over-triage."""
    from tests.test_triage_vignettes import vignette_report

    terminalreporter.write_sep("-", "triage vignettes")
    for line in vignette_report():
        terminalreporter.write_line(line)
