"""The course record view: the page's own learner, updated on request, problems in words."""

from __future__ import annotations

import pytest

from backspasm_edu.progress import ProgressError, default_store
from backspasm_edu.widgets import CourseRecordView
from tests.progress.test_course_record import take_quiz
from tests.widgets.helpers import buttons, markup_of, visible_text

pytestmark = pytest.mark.usefixtures("callbacks_raise")


def test_the_record_shows_the_pages_learner_with_links_that_keep_their_link(monkeypatch):
    """Opened with ?learner=Sam: Sam's finished quiz, named, and app links carry ?learner=Sam."""
    monkeypatch.setenv("QUERY_STRING", "learner=Sam")
    take_quiz(default_store(), "Sam", wrong_every=2)
    view = CourseRecordView()
    text = visible_text(view)
    assert "course record for Sam" in text
    assert "1 go finished" in text
    assert 'href="03_when_to_get_help.ipynb?learner=Sam"' in markup_of(view)
    assert "Print my record" in markup_of(view) and "Download my course record" in markup_of(view)


def test_another_learners_work_is_not_in_the_record(monkeypatch):
    """Ali's finished quiz does not appear on Sam's page."""
    take_quiz(default_store(), "Ali")
    monkeypatch.setenv("QUERY_STRING", "learner=Sam")
    assert "1 go finished" not in visible_text(CourseRecordView())


def test_update_reads_work_done_since_and_moves_focus_to_the_record(monkeypatch):
    """Work finished in another tab shows after "Update my record", with focus on the record."""
    monkeypatch.setenv("QUERY_STRING", "learner=Sam")
    view = CourseRecordView()
    assert "1 go finished" not in visible_text(view)
    take_quiz(default_store(), "Sam")
    buttons(view)["Update my record"].click()
    assert "1 go finished" in visible_text(view) and "Updated: this is your record" in visible_text(
        view
    )
    assert view.content.value.startswith('<div class="backspasm-focus-target" tabindex="-1"')


def test_a_store_that_cannot_be_read_is_said_in_words(monkeypatch):
    """Reading fails: a warning in words, no record and no download of a wrong one."""
    view = CourseRecordView()

    def fail(*_args, **_kwargs):
        raise ProgressError("progress.sqlite: could not read progress (disk I/O error)")

    monkeypatch.setattr(view.store, "records", fail)
    buttons(view)["Update my record"].click()
    text = visible_text(view)
    assert "Your record cannot be read just now" in text and "disk I/O error" in text
    assert view.actions.value == "" and view.record is None
