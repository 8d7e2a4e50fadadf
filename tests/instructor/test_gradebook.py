"""The gradebook: each learner's course record score per quiz and case, as Moodle and Canvas CSV."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest

from backspasm_edu.content.loader import load_library
from backspasm_edu.engines.quiz import QuizSession, quick_check
from backspasm_edu.instructor.gradebook import (
    CANVAS_COLUMNS,
    class_records,
    grade_items,
    gradebook,
    gradebook_csv,
)
from backspasm_edu.instructor.report import load_records
from backspasm_edu.progress import ProgressStore, Recorder
from tests.progress.test_course_record import CASE, QUIZ, outcome, record_of, take_quiz, walk_case

BROWSER = "#" + "ab" * 16


@pytest.fixture
def store(tmp_path) -> ProgressStore:
    """A store where Ana and Ben finished the quiz, Cy stopped half way, Ana and Ben walked the case.

    Ana took the quiz twice (the better go counts); a browser learner named Dee finished it.
    """
    with ProgressStore(tmp_path / "class.sqlite") as class_store:
        take_quiz(class_store, "Ana", wrong_every=2)
        take_quiz(class_store, "Ana", wrong_every=4)
        take_quiz(class_store, "Ben", wrong_every=3)
        take_quiz(class_store, "Cy", wrong_every=2, stop_after=4)
        take_quiz(class_store, BROWSER, wrong_every=5)
        class_store.set_name(BROWSER, "Dee")
        walk_case(class_store, "Ana", lambda choices: choices[0])
        walk_case(class_store, "Ben", lambda choices: choices[-1])
        yield class_store


def quiz_column() -> str:
    """The gradebook column of the quiz the sessions take."""
    return next(item.column for item in grade_items(load_library()) if item.activity_id == QUIZ)


def case_column() -> str:
    """The gradebook column of the case the walks take."""
    return next(item.column for item in grade_items(load_library()) if item.activity_id == CASE)


def expected_marks(store: ProgressStore, learner: str) -> tuple[float | None, float | None]:
    """The learner's quiz points and case percentage, read from their own course record."""
    record = record_of(store, learner)
    best = outcome(record).best
    case = next(line for line in record.cases if line.scenario_id == CASE)
    share = round(100 * case.points / case.max_points, 1) if case.finished else None
    return (round(best.score, 1) if best else None), share


def table_of(store: ProgressStore):
    """The gradebook of the store's records."""
    return gradebook(load_records([store.path]), load_library())


def read_csv(text: str) -> list[dict[str, str]]:
    """CSV text read back as a spreadsheet or an LMS would, one dict a row."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_each_cell_is_the_learners_course_record_score(store):
    """Quiz points and case percentages equal each learner's own course record, unfinished empty."""
    table = table_of(store).set_index("Learner key")
    for learner in ("Ana", "Ben", "Cy", BROWSER):
        quiz, case = expected_marks(store, learner)
        marks = [table.loc[learner, column] for column in (quiz_column(), case_column())]
        assert [None if pd.isna(mark) else float(mark) for mark in marks] == [quiz, case]
    assert expected_marks(store, "Cy") == (None, None)
    assert expected_marks(store, "Ana")[1] != expected_marks(store, "Ben")[1]


def test_learners_show_by_name_one_row_each(store):
    """One row per learner, sorted, each shown by the name they gave (a browser's, not its key)."""
    table = table_of(store)
    assert list(table["Learner"]) == ["Ana", "Ben", "Cy", "Dee"]
    assert list(table["Learner key"]) == ["Ana", "Ben", "Cy", BROWSER]


def test_the_best_go_counts_as_on_the_record_page(store):
    """Ana's two finished goes: the gradebook shows the better, as her course record does."""
    with ProgressStore(store.path.with_name("alone.sqlite")) as alone:
        first = take_quiz(alone, "x", wrong_every=2)
    table = table_of(store).set_index("Learner key")
    assert float(table.loc["Ana", quiz_column()]) > round(first.summary().score, 1)


def test_quick_checks_are_not_graded(store):
    """A finished quick check adds no column and leaves the quiz's mark as it was."""
    before = table_of(store)
    check = quick_check(load_library().quizzes[QUIZ], ["numb_when_wiping"])
    session = QuizSession(check, seed=1)
    session.recorder = Recorder(store, "Cy", "quiz", check.id, 1, session.seed)
    session.answer(right_answer_of_check(session))
    after = table_of(store)
    assert list(after.columns) == list(before.columns)
    assert after.equals(before)


def right_answer_of_check(session: QuizSession):
    """The right answer to a quick check's question (its quiz's question)."""
    return next(
        choice.id
        for question in load_library().quizzes[QUIZ].questions
        if question.id == session.current.id
        for choice in question.answers
        if choice.correct
    )


def test_moodle_csv_has_a_learner_column_and_one_number_column_per_item(store):
    """Moodle's import: a header, "Learner" to map to a user field, dot-decimal numbers, no keys."""
    table = table_of(store)
    text = gradebook_csv(table, "moodle")
    rows = read_csv(text)
    items = grade_items(load_library())
    assert list(rows[0]) == ["Learner", *(item.column for item in items)]
    assert BROWSER not in text
    for row, (_, line) in zip(rows, table.iterrows(), strict=True):
        assert row["Learner"] == line["Learner"]
        for item in items:
            cell = row[item.column]
            assert re.fullmatch(r"(\d+\.\d)?", cell), cell
            expected = line[item.column]
            assert (cell == "") if pd.isna(expected) else float(cell) == float(expected)
    text.encode("utf-8")


def test_canvas_csv_starts_with_its_five_student_columns(store):
    """Canvas's import: Student, ID, SIS User ID, SIS Login ID, Section, then new assignments."""
    table = table_of(store)
    rows = read_csv(gradebook_csv(table, "canvas"))
    header = list(rows[0])
    assert tuple(header[:5]) == CANVAS_COLUMNS
    assert header[5:] == [item.column for item in grade_items(load_library())]
    assert not any(re.search(r"\(\d+\)$", column) for column in header[5:])  # no Canvas ids
    assert [row["Student"] for row in rows] == list(table["Learner"])
    ana = next(row for row in rows if row["Student"] == "Ana")
    assert float(ana[quiz_column()]) == expected_marks(store, "Ana")[0]
    assert {ana[column] for column in CANVAS_COLUMNS[1:]} == {""}


def test_a_name_like_a_formula_stays_text(store):
    """A learner named like a spreadsheet formula gets a leading ' in both CSV flavours."""
    take_quiz(store, "=HYPERLINK(1)", wrong_every=3)
    table = table_of(store)
    for grade_format, column in (("moodle", "Learner"), ("canvas", "Student")):
        names = [row[column] for row in read_csv(gradebook_csv(table, grade_format))]
        assert "'=HYPERLINK(1)" in names


def test_class_records_replays_each_learner_once(store):
    """class_records gives each learner's course record, as the record page reads it."""
    course = class_records(load_records([store.path]), load_library())
    assert set(course) == {"Ana", "Ben", "Cy", BROWSER}
    assert course["Ben"].quizzes == record_of(store, "Ben").quizzes
