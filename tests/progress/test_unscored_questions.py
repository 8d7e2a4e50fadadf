"""Questions with no right answer in a learner's progress: resumed, replayed, out of 0 points."""

from __future__ import annotations

import pytest

from backspasm_edu.progress import ProgressStore, resume_quiz
from backspasm_edu.progress.course import course_record
from tests.builders import fields_quiz

RIGHT = ("tight", ["moving"], "lower", "4/5 ", "4/5", "spasm")
"""An answer to each question of the fields quiz, in order; the scored ones (3 to 6) right.

The fever question takes "4/5 " (0.8 degrees): wrong, a later try is given 38.
"""


@pytest.fixture
def store(tmp_path) -> ProgressStore:
    """An empty store of its own."""
    return ProgressStore(tmp_path / "progress.sqlite")


def take(store: ProgressStore, learner: str, answers, fever_retry: bool = True) -> None:
    """One recorded go at the fields quiz with the given answers, in the quiz's order."""
    quiz = fields_quiz()
    session = resume_quiz(quiz, store, learner, seed=0)
    for given in answers:
        result = session.answer(given)
        if not result.closed and fever_retry:
            result = session.answer(38)
        if result.closed:
            session.next()


def test_the_course_record_scores_only_questions_with_a_right_answer(store):
    """3.5 of 4 points (one right on a later try), not of 6: the two noted topics are not weak."""
    take(store, "sam", RIGHT)
    record = course_record((), store.records("sam"), (), [fields_quiz()], [])
    best = record.quizzes[0].best
    assert best is not None and record.quizzes[0].finished_goes == 1
    assert (best.score, best.max_score, best.unscored) == (3.5, 4, 2)
    assert best.share == pytest.approx(3.5 / 4)
    assert [q.id for q in best.questions_to_review] == ["fever_number"]
    assert [topic.topic for topic in record.to_review] == ["when_to_get_help"]


def test_a_resumed_quiz_keeps_the_noted_answers_as_noted(store):
    """After a reload the two noted answers replay as noted, with 0 points, at question 3."""
    take(store, "sam", RIGHT[:2])
    session = resume_quiz(fields_quiz(), store, "sam")
    assert session.index == 2 and session.current.id == "where"
    summary = session.summary()
    assert [(q.id, q.answered, q.scored, q.points) for q in summary.questions[:2]] == [
        ("how_it_feels", True, False, 0.0),
        ("what_helped", True, False, 0.0),
    ]
    assert (summary.score, summary.max_score) == (0.0, 4)


def test_noted_answers_are_stored_without_a_verdict(store):
    """The store keeps a noted answer with no correctness and no score."""
    take(store, "sam", RIGHT[:1])
    (kept,) = store.records("sam")
    assert (kept.item_id, kept.answer, kept.correct, kept.score) == (
        "how_it_feels",
        "tight",
        None,
        None,
    )
