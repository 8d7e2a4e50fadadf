"""The course record: each learner's apps, best quiz and case goes, replayed from their answers."""

from __future__ import annotations

import dataclasses

import pytest

from backspasm_edu.content.course import learner_apps
from backspasm_edu.content.loader import load_library
from backspasm_edu.engines.quiz import QuizSession
from backspasm_edu.engines.scenario import ScenarioSession
from backspasm_edu.progress import ProgressStore, Recorder
from backspasm_edu.progress.course import CourseRecord, course_record
from tests.builders import right_answer, wrong_answer

QUIZ, CASE = "when_to_seek_care", "hidden_red_flag"


@pytest.fixture
def store(tmp_path) -> ProgressStore:
    """An empty store of its own."""
    return ProgressStore(tmp_path / "progress.sqlite")


def take_quiz(store: ProgressStore, learner: str, wrong_every: int = 0, stop_after: int = 0):
    """One go at the quiz, recorded: every wrong_every-th question answered wrong until closed.

    stop_after > 0 leaves the go unfinished after that many questions.
    """
    quiz = load_library().quizzes[QUIZ]
    session = QuizSession(quiz, seed=3)
    session.recorder = Recorder(store, learner, "quiz", QUIZ, len(quiz.questions), session.seed)
    number = 0
    while not session.finished and not (stop_after and number == stop_after):
        number += 1
        miss = wrong_every and number % wrong_every == 0
        result = session.answer(wrong_answer(session) if miss else right_answer(session))
        if result.closed:
            session.next()
    return session


def walk_case(store: ProgressStore, learner: str, pick) -> ScenarioSession:
    """One walk through the case to its ending, recorded, choosing pick(choices) at each step."""
    scenario = load_library().scenarios[CASE]
    walk = ScenarioSession(scenario)
    walk.recorder = Recorder(store, learner, "scenario", CASE, len(scenario.nodes))
    while not walk.finished:
        walk.choose(pick(walk.current.choices).id)
    return walk


def record_of(store: ProgressStore, learner: str) -> CourseRecord:
    """The learner's course record from the store, as the record page reads it."""
    library = load_library()
    return course_record(
        learner_apps(),
        store.records(learner),
        store.pages_done(learner),
        library.quizzes.values(),
        library.scenarios.values(),
    )


def outcome(record: CourseRecord, quiz_id: str = QUIZ):
    """The record's line for one quiz."""
    return next(line for line in record.quizzes if line.quiz_id == quiz_id)


def test_a_finished_quiz_shows_the_engines_score_of_the_best_go(store):
    """Two finished goes: the record shows the higher score, replayed, and counts both goes."""
    weaker = take_quiz(store, "sam", wrong_every=2).summary()
    stronger = take_quiz(store, "sam", wrong_every=5).summary()
    assert weaker.score < stronger.score
    line = outcome(record_of(store, "sam"))
    assert line.best is not None and line.best.score == stronger.score
    assert line.finished_goes == 2 and line.started


def test_stored_scores_are_never_read_only_the_answers(store):
    """Records claiming full marks for wrong answers change nothing: scores come from answers."""
    take_quiz(store, "sam", wrong_every=2)
    honest = outcome(record_of(store, "sam")).best
    forged = [dataclasses.replace(r, correct=True, score=1.0) for r in store.records("sam")]
    other = ProgressStore(store.path.with_name("forged.sqlite"))
    other.add(forged)
    assert outcome(record_of(other, "sam")).best == honest
    assert honest is not None and honest.score < honest.max_score


def test_an_unfinished_go_is_started_but_has_no_score(store):
    """Three answers into a quiz: the record says started, with no best score and no goes."""
    take_quiz(store, "sam", stop_after=3)
    line = outcome(record_of(store, "sam"))
    assert (line.started, line.best, line.finished_goes) == (True, None, 0)
    untouched = outcome(record_of(store, "sam"), "causes_and_symptoms")
    assert (untouched.started, untouched.best) == (False, None)


def test_each_learner_gets_only_their_own_record(store):
    """Sam's finished quiz is not in Ali's record."""
    take_quiz(store, "sam")
    assert outcome(record_of(store, "sam")).best is not None
    assert outcome(record_of(store, "ali")).best is None


def test_a_go_that_no_longer_fits_the_quiz_is_left_out(store):
    """A finished go whose answers name a question the quiz no longer has is not counted."""
    take_quiz(store, "sam")
    changed = [dataclasses.replace(r, item_id=f"old_{r.item_id}") for r in store.records("sam")]
    other = ProgressStore(store.path.with_name("old.sqlite"))
    other.add(changed)
    line = outcome(record_of(other, "sam"))
    assert (line.started, line.best, line.finished_goes) == (True, None, 0)


def test_topics_under_the_mark_are_listed_once_to_review(store):
    """Half the answers wrong: the weak topic is to review; all right: nothing to review."""
    take_quiz(store, "sam", wrong_every=2)
    review = record_of(store, "sam").to_review
    assert [topic.topic for topic in review] == ["when_to_get_help"]
    assert review[0].title
    take_quiz(store, "ali")
    assert record_of(store, "ali").to_review == ()


def test_a_case_scores_its_first_choices_and_names_the_unhelpful_ones(store):
    """Worst choices to the ending: points on that path, each choice that earned nothing named."""
    walk = walk_case(store, "sam", lambda choices: choices[-1])
    case = next(line for line in record_of(store, "sam").cases if line.scenario_id == CASE)
    assert case.finished and (case.points, case.max_points) == (walk.points, walk.max_points)
    assert case.poor_choices and all(step.rating == "poor" for step in case.poor_choices)
    assert [s.choice_text for s in case.poor_choices] == [
        s.choice_text for s in walk.scored_steps if s.rating == "poor"
    ]


def test_going_back_after_the_ending_keeps_the_path_that_first_reached_it(store):
    """Reaching the ending, then going back to explore: the first path to the ending counts."""
    walk = walk_case(store, "sam", lambda choices: choices[-1])
    reached = (walk.points, walk.max_points)
    walk.back()
    case = next(line for line in record_of(store, "sam").cases if line.scenario_id == CASE)
    assert case.finished and (case.points, case.max_points) == reached


def test_the_course_is_complete_only_when_every_counted_app_is_done(store):
    """Marking the reading pages is not enough: every quiz and case must be finished too."""
    for app in learner_apps():
        if app.done_when == "marked":
            store.mark_page_done("sam", app.id)
    record = record_of(store, "sam")
    assert 0 < record.done_count < len(record.apps) and not record.complete
    for app, state in record.apps:
        assert state.done == (app.done_when == "marked"), app.id
    assert all(app.done_when for app, _state in record.apps)  # only counted apps are listed
