"""The class results page in Chromium: summary first, a grid that sorts and filters, labelled, no sideways scroll."""

from __future__ import annotations

import pytest

from backspasm_edu.progress import ProgressStore
from tests.progress.test_course_record import take_quiz, walk_case

from .axe_support import describe, run_axe
from .test_layout import LAPTOP, PHONE

DASHBOARD = "09_instructor_dashboard"
QUIZ_COLUMN = "Quiz: Back pain - when to get help"
ROW_HEADS = "() => [...document.querySelectorAll('th[scope=row]')].map(th => th.innerText.trim())"


@pytest.fixture
def class_file(tmp_path) -> str:
    """A store of three learners: Ana and Ben finish the quiz (Ben with misses), Cy stops early; Ben and Cy walk the case."""
    store = ProgressStore(tmp_path / "class.sqlite")
    take_quiz(store, "Ana")
    take_quiz(store, "Ben", wrong_every=3)
    walk_case(store, "Ben", lambda choices: choices[-1])
    take_quiz(store, "Cy", stop_after=2)
    walk_case(store, "Cy", lambda choices: choices[0])
    store.close()
    return str(tmp_path / "class.sqlite")


def load_class(app, path: str) -> None:
    """Open the class results, load the class file, and wait until its own learners show.

    The page first shows the server's own store (earlier tests fill it), so waiting for any
    heading or row would measure that page, not the loaded class.
    """
    app.open(DASHBOARD)
    page = app.page
    page.get_by_label("Progress store or export file").fill(path)
    page.get_by_role("button", name="Load").click()
    page.get_by_role("heading", name="The class at a glance").wait_for(state="visible")
    rows_become(page, ["Ana", "Ben", "Cy"])


def rows_become(page, names: list[str]) -> None:
    """Wait until the grid's rows are headed by exactly these learners, in this order."""
    page.wait_for_function(
        f"names => JSON.stringify(({ROW_HEADS})()) === JSON.stringify(names)", arg=names
    )


def heading_top(page, text: str) -> float:
    """How far down the page a heading starts, in CSS pixels."""
    box = page.get_by_role("heading", name=text, exact=True).bounding_box()
    assert box is not None, text
    top: float = box["y"]
    return top


def test_the_summary_shows_first_and_the_grid_sorts_and_filters(app, class_file):
    """At laptop size who may need help and what to teach again are on the first screen; sorting and filtering change the grid's rows."""
    page = app.page
    page.set_viewport_size(LAPTOP)
    load_class(app, class_file)

    assert heading_top(page, "Who may need help") < heading_top(page, "To teach again")
    assert heading_top(page, "To teach again") < LAPTOP["height"]
    to_check = page.get_by_role("heading", name="Who may need help").locator(
        "xpath=following-sibling::ul[1]/li"
    )
    assert to_check.first.inner_text().startswith("Ben: \u26a0 unsafe choice in")
    assert to_check.first.bounding_box()["y"] < LAPTOP["height"]
    assert (
        heading_top(page, "The class at a glance")
        < heading_top(page, "Each learner's work")
        < heading_top(page, "The hardest questions")
        < heading_top(page, "Every question, hardest first")
    )
    assert page.evaluate(ROW_HEADS) == ["Ana", "Ben", "Cy"]

    page.get_by_label("Sort by").select_option(label=f"{QUIZ_COLUMN} (least done first)")
    rows_become(page, ["Cy", "Ben", "Ana"])
    page.get_by_label("Learner name contains").fill("an")
    rows_become(page, ["Ana"])
    page.get_by_label("Learner name contains").fill("")
    rows_become(page, ["Cy", "Ben", "Ana"])
    page.get_by_label("Activity", exact=True).select_option(label=QUIZ_COLUMN)
    page.wait_for_function("() => document.querySelectorAll('th[scope=col]').length > 0")
    page.wait_for_function(
        "() => [...document.querySelectorAll('table')].some(t => t.querySelectorAll("
        "'thead th[scope=col]').length === 2 && t.querySelector('th[scope=row]'))"
    )
    assert (
        "◐ In progress" in page.locator("th[scope=row]", has_text="Cy").locator("..").inner_text()
    )
    assert app.errors == []


def test_the_grid_controls_are_labelled_and_reached_in_order_by_keyboard(app, class_file):
    """The name box, activity list and sort list carry their labels, and Tab moves from one to the next."""
    page = app.page
    page.set_viewport_size(LAPTOP)
    load_class(app, class_file)

    name_box = page.get_by_label("Learner name contains")
    name_box.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") == "SELECT"
    assert page.get_by_label("Activity", exact=True).evaluate("el => el === document.activeElement")
    page.keyboard.press("Tab")
    assert page.get_by_label("Sort by").evaluate("el => el === document.activeElement")
    chart = page.locator("svg[role=img]")
    assert chart.count() == 1
    assert "hardest first" in chart.evaluate("svg => svg.querySelector('title').textContent")
    found = [
        describe(violation, node)
        for violation in run_axe(page)["violations"]
        for node in violation["nodes"]
    ]
    assert found == [], "\n".join(found)


def test_on_a_phone_the_loaded_results_do_not_scroll_sideways(app, class_file):
    """At 390x844 the grid shows as cards and the chart scales, so the page fits its width; axe finds nothing."""
    page = app.page
    page.set_viewport_size(PHONE)
    load_class(app, class_file)
    page.wait_for_timeout(500)

    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, innerWidth]"
    )
    assert scroll_width <= inner_width, f"the page scrolls sideways: {scroll_width} > {inner_width}"
    grid = page.locator("table:has(th[scope=row])")
    assert grid.locator("thead").evaluate("el => getComputedStyle(el).position") == "absolute"
    assert grid.locator("tr").nth(1).evaluate("el => getComputedStyle(el).display") == "block"
    cell = grid.locator("td[data-label]").first
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") != "none"
    found = [
        describe(violation, node)
        for violation in run_axe(page)["violations"]
        for node in violation["nodes"]
    ]
    assert found == [], "\n".join(found)
