"""The gradebook: each learner's course record score per quiz and case, as CSV an LMS imports.

Why CSV in two flavours (the rules as found in each LMS's documentation and source):

- Moodle "Import grades from CSV" (grade/import/csv): UTF-8 text, a header row, one column
  that identifies the user and one column per grade item. On import the instructor maps our
  "Learner" column ("Map from") to one of Moodle's user fields ("Map to": user id, username,
  ID number or email address; load_data.php ``check_user_exists``) and each activity column to
  a grade item, or to a new one. Numbers use a dot for the decimal.
- Canvas "Import grades" (Gradebook, Import): the columns "Student", "ID", "SIS User ID",
  "SIS Login ID" and "Section" first, then one column per assignment; a column whose name
  does not end in a Canvas assignment id, as "Quiz: Causes (12345)", creates a new assignment;
  a student is found by one of Student, ID or SIS User ID (Ohio State's CarmenCanvas guide
  "Import a CSV file into Carmen grades"; Canvas's SIS CSV rules: UTF-8, a header row, RFC 4180
  quoting). We know learners only by the name they gave, so ID, SIS User ID, SIS Login ID and
  Section stay empty for the instructor to fill, or for Canvas to match the name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from backspasm_edu.engines.quiz import max_points
from backspasm_edu.errors import InputError, show_value
from backspasm_edu.instructor.report import csv_text
from backspasm_edu.progress import NO_NAME, Record, learner_labels
from backspasm_edu.progress.course import CourseRecord, course_record

if TYPE_CHECKING:
    import pandas as pd

    from backspasm_edu.content.library import Library

__all__ = [
    "CANVAS_COLUMNS",
    "GRADEBOOK_FORMATS",
    "GradeItem",
    "canvas_table",
    "class_records",
    "finished_marks",
    "grade_items",
    "gradebook",
    "gradebook_csv",
    "gradebook_lines",
    "moodle_table",
]

GradeFormat = Literal["moodle", "canvas"]
GRADEBOOK_FORMATS: tuple[GradeFormat, ...] = ("moodle", "canvas")
"""The LMS gradebook imports a gradebook CSV is written for."""

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
"""The columns Canvas's gradebook import reads before the assignments, in its order."""


@dataclass(frozen=True)
class GradeItem:
    """One gradebook column: a quiz or a case, its column name and what a full mark is.

    A quiz is marked in points (one a question, as the learner's course record counts them,
    none for a question with no right answer);
    a case as the percentage of the best possible points on the path the learner took, as the
    length of a path, and so its points, differ between learners.
    """

    activity: Literal["quiz", "case"]
    activity_id: str
    title: str
    column: str
    out_of: int


def grade_items(library: Library) -> tuple[GradeItem, ...]:
    """Each quiz, then each case, of the course. Quick checks are practice: never graded."""
    quizzes = [
        GradeItem("quiz", quiz.id, quiz.title, f"Quiz: {quiz.title}", max_points(quiz))
        for quiz in library.quizzes.values()
    ]
    cases = [
        GradeItem("case", case.id, case.title, f"Case: {case.title} (%)", 100)
        for case in library.scenarios.values()
    ]
    return (*quizzes, *cases)


def _learner_key(key: str) -> str:
    return key or NO_NAME


def class_records(records: Sequence[Record], library: Library) -> dict[str, CourseRecord]:
    """Each learner's course record (by key), every score replayed as their own record page does.

    Only quizzes and cases are read from it: pages marked as done are not part of a grade.
    """
    by_learner: dict[str, list[Record]] = {}
    for record in records:
        by_learner.setdefault(record.learner, []).append(record)
    return {
        key: course_record((), mine, (), library.quizzes.values(), library.scenarios.values())
        for key, mine in by_learner.items()
    }


def _scores(record: CourseRecord) -> dict[tuple[str, str], float]:
    """The record's mark for each finished quiz (points) and case (percentage), one decimal."""
    marks = {
        ("quiz", outcome.quiz_id): round(outcome.best.score, 1)
        for outcome in record.quizzes
        if outcome.best is not None
    }
    for case in record.cases:
        if case.finished:
            share = case.points / case.max_points if case.max_points else 1.0
            marks[("case", case.scenario_id)] = round(100 * share, 1)
    return marks


def gradebook(
    records: Sequence[Record],
    library: Library,
    names: Mapping[str, str] | None = None,
    course: Mapping[str, CourseRecord] | None = None,
) -> pd.DataFrame:
    """One row per learner ("Learner", "Learner key"), one column per quiz and case.

    Each cell is the learner's best finished go as their course record scores it, to one
    decimal (see GradeItem); empty while they have not finished it. Learners are sorted by
    name; ``names`` are the names learners gave (by default those of LoadedRecords);
    ``course`` is ``class_records``' answer when it is already at hand.
    """
    import pandas as pd

    if names is None:
        names = getattr(records, "names", {})
    course = class_records(records, library) if course is None else course
    labels = learner_labels(course, names)
    items = grade_items(library)
    rows = []
    for key, record in course.items():
        marks = _scores(record)
        row: dict[str, object] = {"Learner": labels[key], "Learner key": _learner_key(key)}
        for item in items:
            row[item.column] = marks.get((item.activity, item.activity_id))
        rows.append(row)
    columns = ["Learner", "Learner key", *(item.column for item in items)]
    frame = pd.DataFrame(rows, columns=columns)
    frame = frame.astype(
        {"Learner": "string", "Learner key": "string"} | {item.column: "Float64" for item in items}
    )
    ordered: pd.DataFrame = frame.sort_values(
        ["Learner", "Learner key"], kind="stable"
    ).reset_index(drop=True)
    return ordered


def _grade_columns(table: pd.DataFrame) -> list[str]:
    return [column for column in table.columns if column not in ("Learner", "Learner key")]


def moodle_table(table: pd.DataFrame) -> pd.DataFrame:
    """The gradebook for Moodle: "Learner" to map to a user field, then one column an item."""
    moodle: pd.DataFrame = table[["Learner", *_grade_columns(table)]].copy()
    return moodle


def canvas_table(table: pd.DataFrame) -> pd.DataFrame:
    """The gradebook for Canvas: its five student columns, then one column an assignment.

    "Student" holds the learner's name; the others stay empty (see the module's notes).
    """
    import pandas as pd

    canvas = pd.DataFrame({"Student": table["Learner"]})
    for column in CANVAS_COLUMNS[1:]:
        canvas[column] = pd.Series([""] * len(table), dtype="string", index=table.index)
    for column in _grade_columns(table):
        canvas[column] = table[column]
    return canvas


def gradebook_csv(table: pd.DataFrame, grade_format: str = "moodle") -> str:
    """The gradebook as CSV for ``grade_format`` ("moodle" or "canvas"), spreadsheet-safe."""
    if grade_format == "moodle":
        return csv_text(moodle_table(table))
    if grade_format == "canvas":
        return csv_text(canvas_table(table))
    raise InputError("--format", " or ".join(GRADEBOOK_FORMATS), show_value(grade_format))


def finished_marks(table: pd.DataFrame, items: Iterable[GradeItem]) -> dict[str, list[float]]:
    """Each grade item's marks of the learners who finished it, by column name."""
    return {item.column: [float(mark) for mark in table[item.column].dropna()] for item in items}


def gradebook_lines(table: pd.DataFrame, items: Sequence[GradeItem]) -> list[str]:
    """The gradebook as lines: each learner's marks (points of a quiz, percent of a case)."""
    import pandas as pd

    lines = []
    for row in table.to_dict("records"):
        marks = []
        for item in items:
            mark = row[item.column]
            if pd.isna(mark):
                continue
            unit = f" of {item.out_of} points" if item.activity == "quiz" else "%"
            marks.append(f"{item.title} {float(mark):g}{unit}")
        lines.append(f"{row['Learner']}: {'; '.join(marks) or 'nothing finished yet'}")
    return lines or ["No learners in the gradebook yet."]
