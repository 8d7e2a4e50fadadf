"""Resume from file: only the learner's own answers come back, every run replayed by the engines."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from backspasm_edu.content.loader import load_quiz
from backspasm_edu.content.model import Quiz
from backspasm_edu.engines.quiz import QuizSession, quick_check
from backspasm_edu.progress import (
    MAX_FILE_BYTES,
    MAX_RECORDS,
    ProgressError,
    ProgressStore,
    Recorder,
    read_export,
    restorable,
    restore_file,
    resume_quiz,
)
from backspasm_edu.progress.restore import quick_checks
from tests.builders import right_answer, wrong_answer
from tests.progress.test_course_record import QUIZ, take_quiz, walk_case

CHECK = "causes_and_symptoms:check"
CHECK_QUESTIONS = ["what_is_a_spasm", "where_spasms_happen", "words_and_meanings"]
"""The quick check notebook 01 asks, written out here to catch a change in how it is found."""


@pytest.fixture
def home(tmp_path) -> ProgressStore:
    """The store the learner's file was downloaded from."""
    return ProgressStore(tmp_path / "home.sqlite")


@pytest.fixture
def fresh(tmp_path) -> ProgressStore:
    """The store the file is restored into."""
    return ProgressStore(tmp_path / "fresh.sqlite")


def document(store: ProgressStore, learner: str) -> dict:
    """The learner's export file as JSON, to tamper with."""
    return json.loads(store.export(learner))


def encoded(doc: dict) -> bytes:
    """An export document as the bytes of a file (NaN and Infinity written as JSON allows)."""
    return json.dumps(doc).encode("utf-8")


def scores(records) -> list:
    """What a record says about each step: its verdict, score, try and whether it ended a run."""
    return [(r.item_id, r.correct, r.score, r.attempt, r.finishes) for r in records]


def refused(doc_or_bytes) -> str:
    """The one line a file is refused with."""
    data = doc_or_bytes if isinstance(doc_or_bytes, bytes) else encoded(doc_or_bytes)
    with pytest.raises(ProgressError) as caught:
        restore_file(data, "sam.json", "sam")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("sam.json: ")
    return message


def test_a_genuine_export_comes_back_exactly(home, fresh):
    """Finished and unfinished quiz goes and a case walk restore into a new store record for record."""
    take_quiz(home, "sam", wrong_every=3)
    take_quiz(home, "sam", wrong_every=2, stop_after=4)
    walk_case(home, "sam", lambda choices: choices[-1])
    restored = restore_file(home.export("sam"), "sam.json", "sam")
    assert fresh.add(restored) == len(home.records("sam")) > 20
    assert fresh.records("sam") == home.records("sam")


def test_another_devices_export_keeps_the_engines_scores_under_this_learners_key(home, fresh):
    """Restored as another key, every verdict, score, try and ending is the one first recorded."""
    take_quiz(home, "sam", wrong_every=2)
    fresh.add(restore_file(home.export("sam"), "sam.json", "#" + "a" * 32))
    assert fresh.learners() == ["#" + "a" * 32]
    assert scores(fresh.records()) == scores(home.records("sam"))


def test_a_file_claiming_full_marks_for_wrong_answers_stores_the_real_score(home):
    """Every answer wrong but marked right, score 1 and finished: the engine's zeros come back."""
    take_quiz(home, "sam", wrong_every=1)
    honest = scores(home.records("sam"))
    doc = document(home, "sam")
    for record in doc["records"]:
        record.update(correct=True, score=1.0, attempt=1, finishes=True, topic="anything")
    restored = restore_file(encoded(doc), "sam.json", "sam")
    assert scores(restored) == honest
    assert not any(record.correct for record in restored)
    assert sum(record.finishes for record in restored) == 1  # only the answer that closed it all


@pytest.mark.parametrize("score", [-1e300, 10**400])
def test_a_huge_score_is_replaced_by_the_engines(home, score):
    """A score of -1e300 or a whole number of 401 digits is not kept: the engine's own score is."""
    take_quiz(home, "sam", stop_after=3)
    doc = document(home, "sam")
    doc["records"][0]["score"] = score
    restored = restore_file(encoded(doc), "sam.json", "sam")
    assert [record.score for record in restored] == [r.score for r in home.records("sam")]


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_a_score_that_is_not_finite_is_refused(home, value):
    """Infinity, -Infinity or NaN anywhere in a record refuses the file, naming the field."""
    take_quiz(home, "sam", stop_after=2)
    doc = document(home, "sam")
    doc["records"][1]["score"] = value
    assert "records[1].score: expected a finite number" in refused(doc)


def test_an_answer_holding_infinity_is_refused(home):
    """A numeric answer of Infinity is refused before any replay."""
    take_quiz(home, "sam", stop_after=1)
    doc = document(home, "sam")
    doc["records"][0]["answer"] = [float("inf")]
    assert "records[0].answer: expected text, a number" in refused(doc)


@pytest.mark.parametrize("text", ["2099-01-01T00:00:00+00:00", "not a time", "1999-12-31"])
def test_a_time_ahead_or_unreadable_or_before_the_course_is_refused(home, text):
    """A date in 2099, "not a time" or a date before 2020 refuses the file."""
    take_quiz(home, "sam", stop_after=1)
    doc = document(home, "sam")
    doc["records"][0]["recorded_at"] = text
    message = refused(doc)
    assert "records[0].recorded_at: expected a time from 2020 to now" in message
    assert repr(text) in message


def test_a_time_a_minute_ahead_is_accepted_and_written_in_utc(home):
    """Another device's clock a little ahead, in its own zone, is kept as the same instant in UTC."""
    take_quiz(home, "sam", stop_after=1)
    doc = document(home, "sam")
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    doc["records"][0]["recorded_at"] = "2026-03-01T14:01:00+02:00"
    (record,) = restorable(read_export(encoded(doc)), "sam.json", "sam", now=now)
    assert record.recorded_at == "2026-03-01T12:01:00.000+00:00"
    doc["records"][0]["recorded_at"] = "2026-03-01T14:06:00+02:00"
    with pytest.raises(ProgressError, match="recorded_at"):
        restorable(read_export(encoded(doc)), "sam.json", "sam", now=now)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (
            "activity_id",
            "no_such_quiz",
            "records[0].activity_id: expected one of the course's quizzes",
        ),
        (
            "activity_id",
            f"{QUIZ}:check",
            "records[0].activity_id: expected one of the course's quizzes",
        ),
        ("item_id", "no_such_question", "it is not the question the quiz asks next"),
        ("answer", "no_such_choice", "records[0]: expected an answer that fits the quiz"),
        ("seed", 2**31, "records[0].seed: expected a whole number from 0 to 2147483647"),
        ("seed", -1, "records[0].seed: expected a whole number from 0 to 2147483647"),
        ("seed", None, "records[0].seed: expected the quiz's order"),
        ("record_id", "<b>x</b>", "records[0].record_id: expected an id of at most 64"),
        ("run_id", "r" * 65, "records[0].run_id: expected an id of at most 64"),
    ],
)
def test_a_quiz_record_that_does_not_fit_is_refused(home, field, value, expected):
    """Unknown quiz or question ids, a choice the question lacks, bad seeds and ids: refused."""
    quiz = load_quiz(QUIZ)
    seed = next(n for n in range(100) if QuizSession(quiz, n).current.type == "single_choice")
    session = QuizSession(quiz, seed=seed)
    session.recorder = Recorder(home, "sam", "quiz", QUIZ, len(quiz.questions), seed)
    session.answer(wrong_answer(session))
    doc = document(home, "sam")
    doc["records"][0][field] = value
    assert expected in refused(doc)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"activity_id": "no_such_case"},
            "records[0].activity_id: expected one of the course's cases",
        ),
        ({"answer": "no_such_choice"}, "records[0]: expected an answer that fits the case"),
        ({"answer": ["a list"]}, "it is not a choice at the point the case has reached"),
        ({"item_id": "no_such_node"}, "it is not a choice at the point the case has reached"),
        ({"action": "back"}, "already at the start"),
    ],
)
def test_a_case_record_that_does_not_fit_is_refused(home, change, expected):
    """An unknown case, a choice the point lacks, the wrong point, or a step back at the start."""
    walk_case(home, "sam", lambda choices: choices[0])
    doc = document(home, "sam")
    doc["records"][0].update(change)
    if "activity_id" in change:  # a run is one case: every record of it names the same
        for record in doc["records"]:
            record.update(change)
    assert expected in refused(doc)


def test_one_run_that_does_not_fit_refuses_the_whole_file(home):
    """All or nothing: a good case walk beside a forged quiz run is refused with it."""
    walk_case(home, "sam", lambda choices: choices[0])
    take_quiz(home, "sam", stop_after=2)
    doc = document(home, "sam")
    doc["records"][-1]["answer"] = "no_such_choice"
    assert f"records[{len(doc['records']) - 1}]" in refused(doc)


def test_a_run_mixing_two_activities_is_refused(home):
    """Records of one run id must be one quiz or case: a case step planted in a quiz run is refused."""
    take_quiz(home, "sam", stop_after=1)
    walk_case(home, "sam", lambda choices: choices[0])
    doc = document(home, "sam")
    quiz_run = doc["records"][0]["run_id"]
    doc["records"][-1]["run_id"] = quiz_run
    assert f"expected 'quiz' like the rest of run {quiz_run}" in refused(doc)


def test_a_run_that_never_finished_is_not_marked_finished(home):
    """A quiz stopped after two questions and a case walked one step, all claiming to end: not."""
    take_quiz(home, "sam", stop_after=2)
    walk_case(home, "sam", lambda choices: choices[0])
    doc = document(home, "sam")
    doc["records"] = [r for r in doc["records"] if r["activity"] == "quiz"] + [
        next(r for r in doc["records"] if r["activity"] == "scenario")
    ]
    for record in doc["records"]:
        record["finishes"] = True
    restored = restore_file(encoded(doc), "sam.json", "sam")
    assert len(restored) == 3 and not any(record.finishes for record in restored)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    """2 MB and one byte of anything is refused by its size alone, with the limit stated."""
    message = refused(b"\xff" * (MAX_FILE_BYTES + 1))
    assert "the largest file accepted is 2 MB" in message
    assert "not text" not in message


def test_a_file_over_the_record_limit_is_refused_before_any_replay(home):
    """5,001 records (here not even answers that fit) are refused by their count, limit stated."""
    take_quiz(home, "sam", stop_after=1)
    doc = document(home, "sam")
    template = doc["records"][0]
    doc["records"] = [dict(template, record_id=f"r{n}") for n in range(MAX_RECORDS + 1)]
    data = json.dumps(doc, separators=(",", ":")).encode()
    assert len(data) <= MAX_FILE_BYTES
    assert "got 5001 records: the most a file may hold is 5,000" in refused(data)


@pytest.mark.parametrize(
    "data",
    [
        b'{"format": "backspasm-edu-progress", "version": 1, "records": [' + b"1" * 5000 + b"]}",
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_json_too_long_or_deep_for_progress_is_refused_in_one_line(data):
    """A number of 5,000 digits or lists nested 100,000 deep give the usual line, no traceback."""
    assert "numbers too long or lists nested too deep" in refused(data)


def test_the_quick_check_of_notebook_01_is_made_again_as_the_notebook_makes_it():
    """The quick check is found in notebook 01's own code, with its questions in its order."""
    quiz = load_quiz("causes_and_symptoms")
    assert quick_checks()[CHECK] == quick_check(quiz, CHECK_QUESTIONS)


def test_a_quick_check_restores_and_is_replayed(home, fresh):
    """A finished quick check (one wrong try first) comes back record for record, its end included."""
    check = quick_checks()[CHECK]
    session = QuizSession(check, seed=5)
    session.recorder = Recorder(home, "sam", "quiz", CHECK, len(check.questions), session.seed)
    right = right_answer_of(check, session)
    session.answer(next(option.id for option in session.current.options if option.id != right))
    while not session.finished:
        if not session.current_closed:
            session.answer(right_answer_of(check, session))
        session.next()
    fresh.add(restore_file(home.export("sam"), "sam.json", "sam"))
    assert fresh.records("sam") == home.records("sam")
    assert [record.correct for record in fresh.records("sam")] == [False, True, True, True]
    assert fresh.records("sam")[-1].finishes


def right_answer_of(check: Quiz, session: QuizSession):
    """The right answer to the quick check's current question: a choice, true or false, or pairs."""
    question = next(q for q in check.questions if q.id == session.current.id)
    if question.type == "single_choice":
        return next(choice.id for choice in question.answers if choice.correct)
    if question.type == "true_false":
        return question.truth
    return {pair.id: pair.match for pair in question.pairs}


def test_a_second_restore_of_the_same_file_adds_nothing(home, fresh):
    """Restored ids are the same each time, so the store counts the second go as already here."""
    take_quiz(home, "sam", stop_after=2)
    data = home.export("sam")
    assert fresh.add(restore_file(data, "sam.json", "ali")) == 2
    assert fresh.add(restore_file(data, "sam.json", "ali")) == 0


def test_a_case_walk_with_steps_back_keeps_the_engines_points(home, fresh):
    """Choices, a step back and another choice: each restored score is the first choice's points."""
    walk = walk_case(home, "sam", lambda choices: choices[-1])
    doc = document(home, "sam")
    first = doc["records"][0]
    back = dict(first, record_id="b1", action="back", answer=None, correct=None, score=None)
    again = dict(first, record_id="c1", answer=walk.history[0].choice_id, score=99)
    doc["records"] = [first, back, again]
    restored = restore_file(encoded(doc), "sam.json", "sam")
    assert [record.action for record in restored] == ["answer", "back", "answer"]
    assert restored[2].score == restored[0].score != 99
    assert restored[1].attempt == 0 and restored[2].attempt == 1


def test_progress_carried_to_another_device_and_back_adds_only_the_new_answers(home, fresh):
    """Restored elsewhere, carried on there and brought back: only the new answers are added."""
    quiz = load_quiz(QUIZ)
    take_quiz(home, "sam", stop_after=2)
    fresh.add(restore_file(home.export("sam"), "sam.json", "#" + "b" * 32))
    away = resume_quiz(quiz, fresh, "#" + "b" * 32)
    for _answer in range(2):
        away.answer(wrong_answer(away))
        if away.current_closed:
            away.next()
    back = restore_file(fresh.export("#" + "b" * 32), "b.json", "sam", kept=home.records("sam"))
    assert home.add(back) == 2
    assert len(home.records("sam")) == 4
    carried_on = resume_quiz(quiz, home, "sam")
    assert carried_on.index == away.index
    assert carried_on.summary() == away.summary()


def test_answers_added_to_a_run_kept_here_must_follow_on_from_it(home):
    """A closed question of a kept run answered again in the file is refused, naming the record."""
    quiz = load_quiz(QUIZ)
    session = resume_quiz(quiz, home, "sam")
    while not session.current_closed:
        session.answer(wrong_answer(session))
    doc = document(home, "sam")
    retry = dict(doc["records"][-1], record_id="again", answer=right_answer(session))
    retry["recorded_at"] = datetime.now(UTC).isoformat()
    doc["records"] = [retry]
    with pytest.raises(ProgressError, match=r"records\[0\]: expected an answer that fits the quiz"):
        restore_file(encoded(doc), "sam.json", "sam", kept=home.records("sam"))
    assert len(restore_file(encoded(doc), "sam.json", "sam")) == 1  # alone, it would fit
