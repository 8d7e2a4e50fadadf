"""The course record page: dated, named, every part in words and symbols, links only in the app."""

from __future__ import annotations

import base64
import re
from datetime import date

import pytest

from backspasm_edu.errors import InputError
from backspasm_edu.progress import ProgressStore
from backspasm_edu.render.pictures import course_progress_svg
from backspasm_edu.render.record import points_text, record_download_link, record_html
from tests.progress.test_course_record import record_of, take_quiz, walk_case

DAY = date(2026, 11, 29)


@pytest.fixture
def store(tmp_path) -> ProgressStore:
    """An empty store of its own."""
    return ProgressStore(tmp_path / "progress.sqlite")


def test_the_record_is_dated_and_named_with_the_name_escaped(store):
    """The page says whose record it is and the day it was made; a name cannot inject markup."""
    page = record_html(record_of(store, "sam"), "Sam <b>&", made_on=DAY)
    assert "made on 29 November 2026" in page
    assert "for <strong>Sam &lt;b&gt;&amp;</strong>" in page
    assert (
        page.startswith("<!DOCTYPE html>") and "<title>Course record - Back spasms</title>" in page
    )


def test_an_empty_record_says_what_to_do_and_lists_every_app_still_to_do(store):
    """Nothing done: 0 of 7, every quiz and case not started, and finish a quiz to see the review."""
    record = record_of(store, "sam")
    page = record_html(record, standalone=False, made_on=DAY)
    assert f"Your course record: 0 of {len(record.apps)} done" in page
    assert "Finish a quiz to see which topics to read again." in page
    assert page.count("Not started") == len(record.apps) + len(record.quizzes) + len(record.cases)
    still = re.search(r"<h3>Still to do</h3><ul>(.*?)</ul>", page).group(1)
    assert still.count("<li>") == len(record.apps)


def test_scores_show_points_share_and_goes_in_words(store):
    """A finished quiz shows its best points to one decimal, the share and how many goes."""
    summary = take_quiz(store, "sam", wrong_every=2).summary()
    page = record_html(record_of(store, "sam"), standalone=False, made_on=DAY)
    expected = f"{points_text(summary.score)} of {summary.max_score} points ({summary.share:.0%})"
    assert expected in page
    assert (
        f"{summary.right_first_time} of {summary.max_score} right first time; 1 go finished" in page
    )


def test_the_review_links_each_weak_topic_to_the_app_that_teaches_it_only_when_asked(store):
    """In the app a weak topic links to its app; the saved page names it without a link."""
    take_quiz(store, "sam", wrong_every=2)
    record = record_of(store, "sam")
    in_app = record_html(record, standalone=False, href=lambda app: f"{app.filename}?learner=Sam")
    assert re.search(r'<li>[^<]+: read <a href="03_when_to_get_help\.ipynb\?learner=Sam">', in_app)
    saved = record_html(record)
    review = saved[saved.index("<h3>What to review</h3>") :]
    assert "<a " not in review.split("<h3>Still to do</h3>")[0]


def test_praise_only_when_every_finished_quiz_topic_reached_the_mark(store):
    """All right: the review says nothing to review, with a tick in a symbol and the mark in words."""
    take_quiz(store, "sam")
    page = record_html(record_of(store, "sam"), standalone=False)
    assert '<span aria-hidden="true">✓</span> Nothing: you earned at least 80%' in page


def test_a_case_names_the_first_choices_to_think_about_again(store):
    """The worst path through a case lists its unhelpful first choices in the case's own words."""
    walk = walk_case(store, "sam", lambda choices: choices[-1])
    page = record_html(record_of(store, "sam"), standalone=False)
    assert f"{walk.points} of {walk.max_points} points" in page
    for step in walk.scored_steps:
        if step.rating == "poor":
            assert step.choice_text.replace("'", "&#x27;") in page


def test_the_download_link_saves_the_whole_dated_page(store):
    """The link's data URL decodes to the standalone record, under a plain file name."""
    record = record_of(store, "sam")
    link = record_download_link(record, "Sam")
    assert 'download="my_course_record.html"' in link
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", link).group(1)
    saved = base64.b64decode(encoded).decode("utf-8")
    assert saved.startswith("<!DOCTYPE html>") and "for <strong>Sam</strong>" in saved


def test_the_progress_picture_ticks_each_done_app_and_says_how_many():
    """Stones with ticks for done apps, numbers for the rest, a label and the count in words."""
    svg = course_progress_svg([True, True, False])
    assert 'role="img"' in svg and "2 of 3 done" in svg
    assert ">3</text>" in svg and ">1</text>" not in svg
    assert "3 stepping stones" in svg


def test_the_progress_picture_refuses_an_empty_course():
    """No apps to show: a clear error instead of an empty picture."""
    with pytest.raises(InputError, match="at least one app"):
        course_progress_svg([])
