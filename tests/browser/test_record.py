"""The course record page in the browser: the learner's own work, at phone and laptop size, printed."""

from __future__ import annotations

import pytest

from backspasm_edu.content.loader import load_scenario

from .support import READY, app_url
from .test_apps import NOTICE, choices_on_the_safe_path, region_has_focus, start_printing
from .test_layout import VIEWPORTS

CASE = "hidden_red_flag"


def finish_the_case_and_mark_a_page(app) -> None:
    """The learner walks the hidden red flag case on its safe path and marks app 02 as done."""
    case = load_scenario(CASE)
    page = app.page
    app.open("07_case_scenarios")
    page.get_by_label("Choose a case").select_option(label=case.title)
    page.get_by_role("button", name="Start case").click()
    for choice in choices_on_the_safe_path(case):
        page.get_by_role("button", name=choice.text, exact=True).click()
        page.get_by_text(f"You chose: {choice.text}").first.wait_for(state="visible")
    page.get_by_text("How it ended").first.wait_for(state="visible")
    app.open("02_causes")
    page.get_by_role("button", name="Mark this page as done").click()
    page.get_by_role("button", name="✓ Marked as done").wait_for(state="visible")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_record_shows_the_learners_own_work_and_fits_the_screen(app, size):
    """After a case and a marked page: the record counts 1 done, scores the case in full, and never scrolls sideways."""
    app.page.set_viewport_size(VIEWPORTS[size])
    finish_the_case_and_mark_a_page(app)
    app.open("08_course_record")
    page = app.page
    record = page.locator(".backspasm-record")
    assert "Your course record: 1 of 7 done" in record.inner_text()
    case = load_scenario(CASE)
    row = record.get_by_role("row", name=case.title)
    steps = len(choices_on_the_safe_path(case))
    assert f"{2 * steps} of {2 * steps} points" in row.inner_text()
    assert "No unhelpful first choices" in row.inner_text()
    parts = record.get_by_role("row", name="What causes back spasms?")
    assert "✓ Done" in parts.inner_text()
    picture = record.get_by_role("img", name="Your way through the course")
    assert picture.is_visible()
    assert "1 of 7 done" in picture.inner_html()
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    box = page.get_by_role("button", name="Print my record").bounding_box()
    assert box is not None and box["height"] >= 44
    assert NOTICE in app.text()
    assert [error for error in app.errors if "status of 403" not in error] == []  # voila 1458


def test_another_browser_opens_an_empty_record(app, browser, voila_url):
    """A second browser, as another learner, sees none of the first learner's work."""
    finish_the_case_and_mark_a_page(app)
    other = browser.new_context(viewport=VIEWPORTS["phone"])
    try:
        page = other.new_page()
        page.goto(app_url(voila_url, "08_course_record", "someone-else"), timeout=90_000)
        page.get_by_text(READY["08_course_record"]).first.wait_for(timeout=90_000)
        text = page.locator(".backspasm-record").inner_text()
        assert "Your course record: 0 of 7 done" in text
        assert "No unhelpful first choices" not in text
    finally:
        other.close()


def test_update_shows_work_from_another_tab_and_moves_focus(app):
    """With the record open, a case finished in another tab shows after "Update my record", focused."""
    app.open("08_course_record")
    record_page = app.page
    assert "0 of 7 done" in record_page.locator(".backspasm-record").inner_text()
    app.page = record_page.context.new_page()
    finish_the_case_and_mark_a_page(app)
    app.page = record_page
    record_page.bring_to_front()
    record_page.get_by_role("button", name="Update my record").click()
    region_has_focus(record_page, "Updated: this is your record as it is now.")
    assert (
        "Your course record: 1 of 7 done" in record_page.locator(".backspasm-record").inner_text()
    )


def test_printing_the_record_prints_only_the_record(app):
    """Printing the record page shows only the dated record, whole, and nothing of the app around it."""
    finish_the_case_and_mark_a_page(app)
    app.open("08_course_record")
    page = app.page
    text = start_printing(page)
    for words in (
        "Your course record",
        "made on",
        "Patient cases",
        "What to review",
        "Still to do",
    ):
        assert words in text
    assert "Update my record" not in text and "App 9 of 9" not in text
    pdf = page.pdf(format="A4")
    assert b"/Type /Page" in pdf or b"/Type/Page" in pdf
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("#backspasm-print-root").count() == 0
