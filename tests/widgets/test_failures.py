"""Failures in the learner's words: a step that cannot be saved, and an action that breaks."""

from __future__ import annotations

import logging

import pytest

from backspasm_edu.progress import ProgressError, ProgressStore
from backspasm_edu.widgets import QuizView, ScenarioView, course_header
from backspasm_edu.widgets._common import NOT_SAVED, SOMETHING_WENT_WRONG, button
from tests.widgets.helpers import visible_text
from tests.widgets.test_progress_panel import answer_once

SECRET_PATH = "/srv/class/backspasm-progress.sqlite"


@pytest.fixture
def full_disk(tmp_path, monkeypatch) -> ProgressStore:
    """A store that opens and reads, but every write fails as on a full disk."""
    store = ProgressStore(tmp_path / "progress.sqlite")

    def refuse(_records):
        raise ProgressError(f"{SECRET_PATH}: could not save progress (database or disk is full)")

    monkeypatch.setattr(store, "add", refuse)
    return store


@pytest.fixture
def server_log(caplog):
    """What the widgets log on the server (their logger writes to the server's terminal)."""
    logger = logging.getLogger("backspasm_edu.widgets")
    logger.addHandler(caplog.handler)
    yield caplog
    logger.removeHandler(caplog.handler)


@pytest.mark.usefixtures("callbacks_raise")
def test_a_check_that_cannot_be_saved_shows_the_verdict_and_says_not_saved(full_disk, server_log):
    """Disk full: Check still shows the verdict and the try, adds the not-saved line, and Next works."""
    view = QuizView("when_to_seek_care", learner="Sam", store=full_disk, seed=1)
    allowed = view.session.current.attempts_allowed
    answer_once(view)
    text = visible_text(view)
    assert view.session.current_result is not None  # the try counts in this page
    assert f"1 of {allowed} tr" in text and ("Right" in text or "Not quite" in text)
    assert NOT_SAVED in text
    assert SECRET_PATH not in text  # the reason goes to the server's log, not the page
    assert SECRET_PATH in server_log.text
    while not view.session.current_closed:
        answer_once(view, attempt=1)
    view.next_button.click()
    assert "Question 2 of" in visible_text(view)


@pytest.mark.usefixtures("callbacks_raise")
def test_a_case_choice_and_back_that_cannot_be_saved_still_move_the_story(full_disk):
    """Disk full: a choice shows its feedback with the not-saved line; Back still goes back."""
    view = ScenarioView("hidden_red_flag", learner="Sam", store=full_disk)
    view.choice_buttons[0].click()
    assert len(view.session.history) == 1
    assert "You chose:" in visible_text(view) and NOT_SAVED in visible_text(view)
    view.back_button.click()
    assert view.session.history == () and NOT_SAVED in visible_text(view)


def test_an_action_that_breaks_is_said_in_words_and_logged_not_sent(server_log):
    """A failing button action: no exception escapes, the page says what to do, the server logs the traceback."""
    header = course_header("06_quiz")
    broken = button("Check", "Check your answer")

    def fail(_button):
        raise RuntimeError(f"{SECRET_PATH} is locked")

    broken.on_click(fail)
    broken.click()
    assert SOMETHING_WENT_WRONG in header.value and 'role="alert"' in header.value
    assert SECRET_PATH not in header.value
    assert "Traceback" in server_log.text and SECRET_PATH in server_log.text


def test_the_guard_lets_tests_see_errors(callbacks_raise):
    """With callbacks_raise (as in the widget tests), a failing action raises for the test to see."""
    broken = button("Check", "Check your answer")
    broken.on_click(lambda _button: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        broken.click()
