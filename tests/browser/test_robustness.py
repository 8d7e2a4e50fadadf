"""Clumsy use in the page: empty checks, double clicks, changed answers, restarts mid-case."""

from __future__ import annotations

from playwright.sync_api import expect

from backspasm_edu.content.loader import load_scenario

from .test_apps import CRACK, SPASM, wait_for_text


def no_page_errors(app) -> None:
    """No console error, page error or traceback reached the student's page."""
    assert app.errors == []
    assert "Traceback" not in app.text()


def test_empty_check_warns_and_uses_no_try(app):
    """Check with nothing picked asks for an answer in words and keeps both tries."""
    app.open("01_what_is_a_back_spasm")
    app.page.get_by_role("button", name="Check").click()
    wait_for_text(app, "⚠ Pick an answer first.")
    assert "This did not use a try." in app.text()
    app.page.get_by_label(CRACK).check()
    app.page.get_by_role("button", name="Check").click()
    wait_for_text(app, "✗ Not quite: 1 try left")
    no_page_errors(app)


def test_double_click_on_check_counts_one_try(app):
    """A double click on Check with a wrong answer uses one try, not both."""
    app.open("01_what_is_a_back_spasm")
    app.page.get_by_label(CRACK).check()
    app.page.get_by_role("button", name="Check").dblclick()
    wait_for_text(app, "✗ Not quite: 1 try left")
    app.page.wait_for_timeout(500)
    text = app.text()
    assert "1 try left" in text
    assert "The right answer" not in text
    no_page_errors(app)


def test_changing_the_answer_after_a_right_check_changes_nothing(app):
    """Once a question closes its options are disabled, so the verdict cannot be changed."""
    app.open("01_what_is_a_back_spasm")
    app.page.get_by_label(SPASM).check()
    app.page.get_by_role("button", name="Check").click()
    wait_for_text(app, "✓ Right")
    expect(app.page.get_by_label(CRACK)).to_be_disabled()
    expect(app.page.get_by_role("button", name="Check")).to_be_disabled()
    expect(app.page.get_by_role("button", name="Next question")).to_be_enabled()
    no_page_errors(app)


def test_restarting_mid_case_goes_back_to_the_start_cleanly(app):
    """Start again halfway through a case shows the first step and an empty path."""
    case = load_scenario("hidden_red_flag")
    app.open("07_case_scenarios")
    page = app.page
    page.get_by_label("Choose a case").select_option(label=case.title)
    wait_for_text(app, case.summary)
    page.get_by_role("button", name="Start case").click()
    wait_for_text(app, "No choices yet.")
    first = case.nodes[case.start].choices[0]
    page.get_by_role("button", name=first.text, exact=True).click()
    wait_for_text(app, f"You chose: {first.text}")
    page.get_by_role("button", name="Start again").click()
    wait_for_text(app, "No choices yet.")
    assert "You chose:" not in app.text()
    expect(page.get_by_role("button", name="Back")).to_be_disabled()
    page.get_by_role("button", name=first.text, exact=True).dblclick()
    wait_for_text(app, f"You chose: {first.text}")
    page.wait_for_timeout(500)
    assert app.text().count(f"{first.text} (") <= 1, "a double click made one choice only"
    no_page_errors(app)
