"""Class figures in words: each question's and case decision's first tries, and the summary.

A learner's first try at a question (or first choice at a point of a case) is their earliest
record there, in any go; it is checked again by the engines' rules, never by its stored score.
Quick checks are practice and left out, as from the gradebook. So are questions with no right
answer: they are not scored, so there is no right first time to count.
"""

from __future__ import annotations

import math
import statistics
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backspasm_edu.content.model import CareLevel, Question, Scenario, TriageTable, typed_form
from backspasm_edu.engines.questions import KINDS
from backspasm_edu.errors import BackspasmError
from backspasm_edu.instructor.gradebook import (
    class_records,
    finished_marks,
    grade_items,
    gradebook,
)
from backspasm_edu.progress import Record, learner_labels

if TYPE_CHECKING:
    import pandas as pd

    from backspasm_edu.content.library import Library
    from backspasm_edu.progress.course import CourseRecord

__all__ = [
    "ANSWER_COLUMNS",
    "CASE_COLUMNS",
    "ITEM_COLUMNS",
    "UNSAFE",
    "ActivityFigures",
    "ClassSummary",
    "LearnerToCheck",
    "TeachAgain",
    "answer_counts",
    "case_analysis",
    "case_lines",
    "class_summary",
    "item_analysis",
    "item_lines",
    "learners_to_check",
    "red_flag_scenes",
    "shortened",
    "summary_lines",
    "to_check_lines",
]

UNSAFE = "⚠ unsafe: a poor choice at a red-flag scene"
"""How a case choice that puts a patient with a red flag at risk is marked, in words and symbol."""
TOP_TYPED = 5
"""How many of the most common typed answers (numbers, short text) are listed per question."""
CHECK_SHOWN = 8
"""How many learners who may need help the summary names; the rest are counted."""
LOW_MARK = 50
"""A finished quiz or case under this percentage of its points is named as a reason to check."""
NOT_FITTING = "an answer that does not fit the question as it is now"
_URGENT = (CareLevel.EMERGENCY, CareLevel.URGENT)


def shortened(text: str, width: int = 90) -> str:
    """Text on one line, cut at a word to at most ``width`` characters with "…" at the cut."""
    return textwrap.shorten(" ".join(text.split()), width, placeholder=" …")


def _percent(part: int, whole: int) -> int:
    """A share as a whole percentage, halves rounded up (0 when there is no whole)."""
    return math.floor(100 * part / whole + 0.5) if whole else 0


def _kind_words(question: Question) -> str:
    return question.type.replace("_", " ")


# --- first tries ------------------------------------------------------------------------


def _first_quiz_answers(
    records: Sequence[Record], library: Library
) -> dict[tuple[str, str], dict[str, Any]]:
    """Each quiz question's first answer by each learner, as recorded, in the order given."""
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        if (
            record.activity == "quiz"
            and record.action == "answer"
            and record.activity_id in library.quizzes
        ):
            first.setdefault((record.activity_id, record.item_id), {}).setdefault(
                record.learner, record.answer
            )
    return first


def _first_case_choices(
    records: Sequence[Record], library: Library
) -> dict[tuple[str, str], dict[str, Any]]:
    """Each case point's first choice by each learner, as recorded, in the order given."""
    first: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        if (
            record.activity == "scenario"
            and record.action == "answer"
            and record.activity_id in library.scenarios
        ):
            first.setdefault((record.activity_id, record.item_id), {}).setdefault(
                record.learner, record.answer
            )
    return first


def _normal(question: Question, answer: Any) -> Any:
    """The answer in its question type's form, or None when it does not fit the question now."""
    try:
        return KINDS[question.type].normalise(question, answer)
    except (BackspasmError, KeyError, TypeError, ValueError):
        return None


def _right(question: Question, normal: Any) -> bool:
    return normal is not None and math.isclose(KINDS[question.type].score(question, normal), 1.0)


# --- item analysis ----------------------------------------------------------------------

ITEM_COLUMNS = ("Quiz", "Question", "Kind", "Learners", "Right first time (%)")


def _question_rows(
    records: Sequence[Record], library: Library
) -> list[tuple[str, Question, list[Any]]]:
    """Each scored question some learner answered: its quiz's title, each learner's first answer."""
    first = _first_quiz_answers(records, library)
    rows = []
    for quiz in library.quizzes.values():
        for question in quiz.questions:
            answers = first.get((quiz.id, question.id))
            if answers and question.scored:
                normals = [_normal(question, answer) for answer in answers.values()]
                rows.append((quiz.title, question, normals))
    return rows


def item_analysis(records: Sequence[Record], library: Library) -> pd.DataFrame:
    """Per question learners answered: its text, kind, learners and % right first time.

    The hardest (fewest right first time) come first; then in the quizzes' order.
    """
    import pandas as pd

    rows = [
        {
            "Quiz": quiz,
            "Question": question.prompt,
            "Kind": _kind_words(question),
            "Learners": len(normals),
            "Right first time (%)": _percent(
                sum(_right(question, normal) for normal in normals), len(normals)
            ),
        }
        for quiz, question, normals in _question_rows(records, library)
    ]
    frame = pd.DataFrame(rows, columns=list(ITEM_COLUMNS)).astype(
        {"Learners": "int64", "Right first time (%)": "int64"}
    )
    ordered: pd.DataFrame = frame.sort_values("Right first time (%)", kind="stable").reset_index(
        drop=True
    )
    return ordered


ANSWER_COLUMNS = ("Quiz", "Question", "Part", "Answer", "Right", "Learners", "Share (%)")


def _choice_counts(question: Question, normals: list[Any]) -> list[tuple[str, str, bool, int]]:
    """(part, answer, right, learners) for every option of a question with options to pick."""
    given = [normal for normal in normals if normal is not None]
    if question.type == "single_choice":
        return [
            ("", choice.text, choice.correct, sum(normal == choice.id for normal in given))
            for choice in question.answers
        ]
    if question.type == "multiple_answers":
        return [
            ("", choice.text, choice.correct, sum(choice.id in normal for normal in given))
            for choice in question.answers
        ]
    if question.type == "true_false":
        return [
            ("", str(value), value == question.truth, sum(normal is value for normal in given))
            for value in (True, False)
        ]
    if question.type == "matching":
        return [
            (
                pair.text,
                target.text,
                target.id == pair.match,
                sum(normal.get(pair.id) == target.id for normal in given),
            )
            for pair in question.pairs
            for target in question.targets
        ]
    rows = []  # ordering: per position, the items learners put there and the right one
    for position, right_item in enumerate(question.items):
        for item in question.items:
            placed = sum(normal[position] == item.id for normal in given)
            if placed or item.id == right_item.id:
                rows.append((f"Position {position + 1}", item.text, item == right_item, placed))
    return rows


def _typed_counts(question: Question, normals: list[Any]) -> list[tuple[str, str, bool, int]]:
    """The most common typed answers (numbers or text), each with how many learners gave it."""
    shown: dict[Any, Any] = {}
    counts: Counter[Any] = Counter()
    for normal in normals:
        if normal is None:
            continue
        if question.type == "short_text":
            form: Any = typed_form(normal, question.match_case)
        else:
            form = float(normal)
        shown.setdefault(form, normal)
        counts[form] += 1
    rows = []
    for form, count in counts.most_common(TOP_TYPED):
        normal = shown[form]
        if question.type == "short_text":
            text = f"“{normal}”"
        else:
            text = f"{normal:g} {question.unit}".strip()
        rows.append(("", text, _right(question, normal), count))
    return rows


def answer_counts(records: Sequence[Record], library: Library) -> pd.DataFrame:
    """Per question, how many learners gave each answer on their first try, in words.

    Single choice and multiple answers: each option's text; true or false: True and False;
    matching: per pair ("Part"), how many matched it to each target; ordering: per position,
    the items learners put there (and the right one); numbers and typed text: the most common
    answers. "Share (%)" is of the learners who answered the question; an answer that no longer
    fits the question (the content changed) is counted on a line of its own.
    """
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for quiz, question, normals in _question_rows(records, library):
        if question.type in ("numeric", "short_text"):
            counted = _typed_counts(question, normals)
        else:
            counted = _choice_counts(question, normals)
        unfit = sum(normal is None for normal in normals)
        if unfit:
            counted.append(("", NOT_FITTING, False, unfit))
        rows.extend(
            {
                "Quiz": quiz,
                "Question": question.prompt,
                "Part": part,
                "Answer": answer,
                "Right": "yes" if right else "no",
                "Learners": learners,
                "Share (%)": _percent(learners, len(normals)),
            }
            for part, answer, right, learners in counted
        )
    frame: pd.DataFrame = pd.DataFrame(rows, columns=list(ANSWER_COLUMNS)).astype(
        {"Learners": "int64", "Share (%)": "int64"}
    )
    return frame


# --- case analysis ----------------------------------------------------------------------


def red_flag_scenes(scenario: Scenario, triage: TriageTable | None) -> frozenset[str]:
    """The points of a case where the patient needs urgent or emergency care: red-flag scenes.

    A point is one when it reveals a finding the triage rules send to emergency or urgent
    care, or when every ending that can follow it advises emergency or urgent care.
    """
    nodes = scenario.nodes
    endings: dict[str, frozenset[CareLevel]] = {}

    def levels(node_id: str, seen: frozenset[str]) -> frozenset[CareLevel]:
        if node_id in endings:
            return endings[node_id]
        node = nodes[node_id]
        if node.ending is not None:
            found = frozenset({node.ending.care_level})
        else:
            found = frozenset().union(
                *(
                    levels(choice.to, seen | {node_id})
                    for choice in node.choices
                    if choice.to not in seen
                )
            )
        endings[node_id] = found
        return found

    scenes = set()
    for node_id, node in nodes.items():
        urgent_finding = triage is not None and any(
            finding in triage.findings and triage.level_of(finding) in _URGENT
            for finding in node.findings
        )
        reachable = levels(node_id, frozenset())
        if urgent_finding or (reachable and reachable <= set(_URGENT)):
            scenes.add(node_id)
    return frozenset(scenes)


CASE_COLUMNS = ("Case", "Scene", "Choice", "Rating", "Learners", "Share (%)", "Safety")


def _case_rows(records: Sequence[Record], library: Library) -> list[dict[str, Any]]:
    first = _first_case_choices(records, library)
    rows = []
    for scenario in library.scenarios.values():
        scenes = red_flag_scenes(scenario, library.triage)
        for node in scenario.nodes.values():
            choices = first.get((scenario.id, node.id))
            if not choices or not node.choices:
                continue
            counts = Counter(choices.values())
            for choice in node.choices:
                unsafe = choice.rating == "poor" and node.id in scenes
                rows.append(
                    {
                        "Case": scenario.title,
                        "Scene": shortened(node.text),
                        "Choice": choice.text,
                        "Rating": choice.rating,
                        "Learners": counts[choice.id],
                        "Share (%)": _percent(counts[choice.id], len(choices)),
                        "Safety": UNSAFE if unsafe else "",
                        "_scene": node.text,
                        "_reached": len(choices),
                    }
                )
    return rows


def case_analysis(records: Sequence[Record], library: Library) -> pd.DataFrame:
    """Per point of a case learners reached: the share whose first choice there was each choice.

    Each choice comes with its rating in words (good, acceptable, poor); a poor choice at a
    red-flag scene (see ``red_flag_scenes``) is marked ``UNSAFE``. "Share (%)" is of the learners
    who chose at that point; points no learner reached are left out.
    """
    import pandas as pd

    rows = [
        {column: row[column] for column in CASE_COLUMNS} for row in _case_rows(records, library)
    ]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=list(CASE_COLUMNS)).astype(
        {"Learners": "int64", "Share (%)": "int64"}
    )
    return frame


# --- the summary ------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityFigures:
    """One quiz or case: how many learners started and finished it, and their median mark.

    ``median`` is of the finished learners' gradebook marks (points of ``out_of`` for a quiz,
    a percentage for a case), to one decimal; None when nobody finished.
    """

    kind: str
    title: str
    started: int
    finished: int
    median: float | None
    out_of: int


@dataclass(frozen=True)
class TeachAgain:
    """A question or case decision often wrong first time: its text and how often."""

    kind: str
    activity: str
    text: str
    wrong_first_time: int
    learners: int


@dataclass(frozen=True)
class ClassSummary:
    """The class at a glance: its size, each activity's figures and what to teach again."""

    learners: int
    started: int
    activities: tuple[ActivityFigures, ...]
    teach_again: tuple[TeachAgain, ...]
    to_check: tuple[LearnerToCheck, ...] = ()
    """The learners who may need help, those with an unsafe case choice first."""


@dataclass(frozen=True)
class LearnerToCheck:
    """A learner who may need help, and why, in words: unsafe choices, low marks, unfinished.

    ``unsafe`` counts the poor choices they made at red-flag scenes of cases (in their best
    finished go), which come first in the reasons.
    """

    learner: str
    reasons: tuple[str, ...]
    unsafe: int


def _reasons(record: CourseRecord, library: Library) -> tuple[tuple[str, ...], int]:
    """Why a learner's record needs a look: unsafe case choices, low marks, unfinished work."""
    unsafe: list[str] = []
    low: list[str] = []
    unfinished: list[str] = []
    for case in record.cases:
        title = f"\u201c{case.title}\u201d"
        if case.finished:
            scenes = red_flag_scenes(library.scenarios[case.scenario_id], library.triage)
            unsafe.extend(
                f"\u26a0 unsafe choice in {title}: \u201c{shortened(step.choice_text, 70)}\u201d"
                for step in case.poor_choices
                if step.from_node in scenes
            )
            share = 100 * case.points / case.max_points if case.max_points else 100.0
            if share < LOW_MARK:
                low.append(f"{share:.0f}% of the points in {title}")
        elif case.started:
            unfinished.append(title)
    for quiz in record.quizzes:
        title = f"\u201c{quiz.title}\u201d"
        if quiz.best is not None:
            if quiz.best.max_score and 100 * quiz.best.share < LOW_MARK:
                low.append(f"{quiz.best.score:.1f} of {quiz.best.max_score} points in {title}")
        elif quiz.started:
            unfinished.append(title)
    reasons = [*unsafe, *low]
    if unfinished:
        reasons.append(f"started, not finished: {', '.join(unfinished)}")
    return tuple(reasons), len(unsafe)


def learners_to_check(
    course: Mapping[str, CourseRecord], labels: Mapping[str, str], library: Library
) -> tuple[LearnerToCheck, ...]:
    """The learners who may be stuck, those with unsafe case choices first, then most reasons.

    A reason is a poor choice at a red-flag scene of a case, a mark under LOW_MARK % of the
    points, or a quiz or case started and not finished. ``labels`` are the names the
    instructor sees, by learner key.
    """
    found = []
    for key, record in course.items():
        reasons, unsafe = _reasons(record, library)
        if reasons:
            found.append(LearnerToCheck(labels.get(key, key), reasons, unsafe))
    return tuple(
        sorted(found, key=lambda item: (-item.unsafe, -len(item.reasons), item.learner.casefold()))
    )


def _teach_again(records: Sequence[Record], library: Library, count: int) -> tuple[TeachAgain, ...]:
    """The questions (wrong first time) and case decisions (a poor first choice) most missed."""
    missed = []
    for quiz, question, normals in _question_rows(records, library):
        wrong = sum(not _right(question, normal) for normal in normals)
        missed.append(
            TeachAgain(
                "question", quiz, question.prompt, _percent(wrong, len(normals)), len(normals)
            )
        )
    poor: dict[tuple[str, str], int] = {}
    reached: dict[tuple[str, str], int] = {}
    for row in _case_rows(records, library):
        place = (str(row["Case"]), str(row["_scene"]))
        reached[place] = int(row["_reached"])
        poor[place] = poor.get(place, 0) + (int(row["Learners"]) if row["Rating"] == "poor" else 0)
    missed.extend(
        TeachAgain("case decision", case, text, _percent(poor[case, text], learners), learners)
        for (case, text), learners in reached.items()
    )
    ranked = sorted(
        (item for item in missed if item.wrong_first_time > 0),
        key=lambda item: (-item.wrong_first_time, -item.learners),
    )
    return tuple(ranked[:count])


def class_summary(
    records: Sequence[Record],
    library: Library,
    course: dict[str, CourseRecord] | None = None,
    teach: int = 3,
    table: pd.DataFrame | None = None,
) -> ClassSummary:
    """Class size, who started, each activity's figures, and the ``teach`` things to teach again.

    Marks are the gradebook's (each learner's course record); ``course`` (``class_records``'
    answer) and ``table`` (``gradebook``'s for that course) are used when already at hand.
    """
    course = class_records(records, library) if course is None else course
    table = gradebook(records, library, course=course) if table is None else table
    items = grade_items(library)
    marks = finished_marks(table, items)
    started: Counter[tuple[str, str]] = Counter()
    for record in course.values():
        started.update(("quiz", outcome.quiz_id) for outcome in record.quizzes if outcome.started)
        started.update(("case", case.scenario_id) for case in record.cases if case.started)
    figures = tuple(
        ActivityFigures(
            kind=item.activity,
            title=item.title,
            started=started[item.activity, item.activity_id],
            finished=len(marks[item.column]),
            median=round(statistics.median(marks[item.column]), 1) if marks[item.column] else None,
            out_of=item.out_of,
        )
        for item in items
    )
    return ClassSummary(
        learners=len(course),
        started=sum(_started_any(record) for record in course.values()),
        activities=figures,
        teach_again=_teach_again(records, library, teach),
        to_check=learners_to_check(
            course, learner_labels(course, getattr(records, "names", {})), library
        ),
    )


def _started_any(record: CourseRecord) -> bool:
    """Whether the learner started any quiz or case of the course."""
    return any(outcome.started for outcome in record.quizzes) or any(
        case.started for case in record.cases
    )


# --- the same figures as lines of text ----------------------------------------------------


def _learners(count: int) -> str:
    return f"{count} learner{'' if count == 1 else 's'}"


def _mark(activity: ActivityFigures) -> str:
    if activity.median is None:
        return "no median yet"
    if activity.kind == "quiz":
        return f"median {activity.median:g} of {activity.out_of} points"
    return f"median {activity.median:g}% of the best possible points"


def summary_lines(summary: ClassSummary) -> list[str]:
    """The summary in plain lines: class size, each activity, then what to teach again."""
    lines = [
        f"Class: {_learners(summary.learners)}, {summary.started} started a quiz or case.",
        *(
            f"{activity.kind.capitalize()}: {activity.title}: {activity.started} started, "
            f"{activity.finished} finished, {_mark(activity)}."
            for activity in summary.activities
        ),
    ]
    lines.extend(to_check_lines(summary.to_check))
    if summary.teach_again:
        lines.append("To teach again:")
        lines.extend(
            f"{number}. {item.kind.capitalize()} in \u201c{item.activity}\u201d: "
            f"{shortened(item.text)} ({item.wrong_first_time}% of {_learners(item.learners)} "
            f"{'wrong first time' if item.kind == 'question' else 'chose a poor option first'})"
            for number, item in enumerate(summary.teach_again, start=1)
        )
    else:
        lines.append("To teach again: nothing yet (no question or decision missed first time).")
    return lines


def to_check_lines(to_check: Sequence[LearnerToCheck]) -> list[str]:
    """The learners who may need help, CHECK_SHOWN of them named with their reasons."""
    if not to_check:
        return ["Who may need help: nobody yet (no unsafe case choice, low mark or unfinished)."]
    lines = ["Who may need help:"]
    lines.extend(f"- {item.learner}: {'; '.join(item.reasons)}" for item in to_check[:CHECK_SHOWN])
    if len(to_check) > CHECK_SHOWN:
        lines.append(f"- and {_learners(len(to_check) - CHECK_SHOWN)} more.")
    return lines


def item_lines(items: pd.DataFrame, answers: pd.DataFrame) -> list[str]:
    """Each question (hardest first) with its first-try figures, then each answer's count."""
    lines = []
    for item in items.to_dict("records"):
        lines.append(
            f"{item['Quiz']}: {shortened(str(item['Question']))} [{item['Kind']}]: "
            f"{_learners(int(item['Learners']))}, {item['Right first time (%)']}% right first time"
        )
        mine = answers[
            (answers["Quiz"] == item["Quiz"]) & (answers["Question"] == item["Question"])
        ]
        for answer in mine.to_dict("records"):
            part = f"{answer['Part']} \u2192 " if answer["Part"] else ""
            right = " (right)" if answer["Right"] == "yes" else ""
            lines.append(
                f"    {part}{shortened(str(answer['Answer']), 70)}{right}: "
                f"{_learners(int(answer['Learners']))} ({answer['Share (%)']}%)"
            )
    return lines or ["No quiz answers recorded yet."]


def case_lines(cases: pd.DataFrame) -> list[str]:
    """Each case point learners reached, then each choice's rating, share and any warning."""
    lines = []
    scene = None
    for row in cases.to_dict("records"):
        if (row["Case"], row["Scene"]) != scene:
            scene = (row["Case"], row["Scene"])
            lines.append(f"{row['Case']}: {row['Scene']}")
        warning = f" {row['Safety']}" if row["Safety"] else ""
        lines.append(
            f"    {shortened(str(row['Choice']), 70)} [{row['Rating']}]: "
            f"{_learners(int(row['Learners']))} ({row['Share (%)']}%){warning}"
        )
    return lines or ["No case choices recorded yet."]
