"""Accessibility: axe-core finds no violation of any impact in any app, before or after use.

axe-core comes from the installed axe-playwright-python wheel (see axe_support), so the tests need
no network. Each app's results are written to ``<pytest basetemp>/axe/<app>-<size>.json`` for a
report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from backspasm_edu.content.loader import load_triage_table

from .axe_support import describe, run_axe
from .support import APPS
from .test_apps import SPASM
from .test_layout import VIEWPORTS


def _check(page, name: str, role: str = "checkbox") -> None:
    """Tick one box (or pick one radio button) by its label; pictures named alike are passed by."""
    page.get_by_role(role, name=name, exact=True).check()


def _interact_00(page) -> None:
    page.get_by_label("Choose a topic").select_option(index=1)


def _interact_01(page) -> None:
    _check(page, SPASM, role="radio")
    page.get_by_role("button", name="Check").click()
    page.get_by_text("✓ Right").first.wait_for(state="visible")


def _interact_02(page) -> None:
    _check(page, "I sit for most of the day")


def _interact_03(page) -> None:
    page.get_by_label("Age (years)").fill("40")
    page.get_by_label("Days since the pain began").fill("2")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Next").click()
    _check(page, load_triage_table().findings["saddle_numbness"].label)
    page.get_by_role("button", name="See my result").click()
    page.locator(".backspasm-triage-result").get_by_text("Get help now").first.wait_for()


def _interact_04(page) -> None:
    hours = page.get_by_label("Hours since the spasm began")
    hours.focus()
    page.keyboard.press("ArrowUp")
    assert hours.input_value() == "1"


def _interact_05(page) -> None:
    _check(page, "Knee hug")
    page.get_by_role("button", name="Make my plan").click()


def _interact_06(page) -> None:
    page.get_by_role("button", name="Start quiz").click()
    page.get_by_text("Question 1 of").first.wait_for(state="visible")


def _interact_07(page) -> None:
    page.get_by_role("button", name="Start case").click()
    page.get_by_text("No choices yet.").first.wait_for(state="visible")


def _interact_08(page) -> None:
    page.get_by_role("button", name="Update my record").click()
    page.get_by_text("Updated: this is your record as it is now.").wait_for(state="visible")


def _interact_09(page) -> None:
    page.get_by_label("Progress store or export file").fill("no-such-file.json")
    page.get_by_role("button", name="Load").click()
    page.get_by_text("That file could not be read").first.wait_for(state="visible")


STEPS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], None]]] = {
    # app: (its last widget's control, which shows once every cell has rendered; one use of it)
    "00_start_here": (lambda page: page.get_by_label("Choose a topic"), _interact_00),
    "01_what_is_a_back_spasm": (
        lambda page: page.get_by_role("button", name="Check"),
        _interact_01,
    ),
    "02_causes": (lambda page: page.get_by_label("I sit for most of the day"), _interact_02),
    "03_when_to_get_help": (
        lambda page: page.get_by_role("button", name="See my result"),
        _interact_03,
    ),
    "04_treatments": (
        lambda page: page.get_by_label("Hours since the spasm began"),
        _interact_04,
    ),
    "05_stop_and_prevent": (
        lambda page: page.get_by_role("button", name="Make my plan"),
        _interact_05,
    ),
    "06_quiz": (lambda page: page.get_by_role("button", name="Start quiz"), _interact_06),
    "07_case_scenarios": (lambda page: page.get_by_role("button", name="Start case"), _interact_07),
    "08_course_record": (
        lambda page: page.get_by_role("button", name="Update my record"),
        _interact_08,
    ),
    "09_instructor_dashboard": (lambda page: page.get_by_role("button", name="Load"), _interact_09),
}
"""The markdown of 04 and 07 contains their READY text, so app.open alone can return too soon."""

TEXT_CHANGED = "before => document.body.innerText !== before"


@pytest.fixture(scope="session")
def axe_dir(tmp_path_factory):
    """Where each app's axe findings are written as JSON for the report."""
    return tmp_path_factory.mktemp("axe", numbered=False)


def test_every_app_is_covered():
    """Every app has a ready control and an interaction for the axe scan."""
    assert sorted(STEPS) == APPS


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
@pytest.mark.parametrize("name", APPS)
def test_app_has_no_axe_violations_before_and_after_use(app, name, size, axe_dir):
    """At phone and laptop size, axe-core finds no violation, minor to critical, on load or after one use."""
    page = app.page
    page.set_viewport_size(VIEWPORTS[size])
    ready, interact = STEPS[name]
    app.open(name)
    ready(page).first.wait_for(state="visible")
    loaded = run_axe(page)
    before = page.inner_text("body")
    interact(page)
    page.wait_for_function(TEXT_CHANGED, arg=before)
    used = run_axe(page)

    record = {"axe": loaded["version"], "loaded": loaded["violations"], "used": used["violations"]}
    (axe_dir / f"{name}-{size}.json").write_text(json.dumps(record, indent=1, ensure_ascii=False))
    found = [
        f"[{stage}] {describe(violation, node)}"
        for stage, results in (("loaded", loaded), ("used", used))
        for violation in results["violations"]
        for node in violation["nodes"]
    ]
    assert found == [], "\n".join(found)
    assert app.errors == []
