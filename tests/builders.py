"""Shared test data: fixture quizzes and cases checked as instructor files are, the red flags
that must be emergencies, and a class of three learners' records."""

from __future__ import annotations

import dataclasses
import functools
import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

from backspasm_edu.content.loader import ContentFile, assemble, load_quiz, packaged_files
from backspasm_edu.content.model import Question, Quiz, Scenario
from backspasm_edu.engines.quiz import QuizSession
from backspasm_edu.progress import ProgressStore, Recorder

DATA = Path(__file__).parent / "data"
CLOCK_START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
"""When the clock fixture's first record is made; each later one is a minute after."""


@functools.cache
def reference_files(*kinds: str) -> tuple[ContentFile, ...]:
    """The packaged files of these kinds, read once, for checking a fixture against."""
    return tuple(file for file in packaged_files() if file.kind in kinds)


# Written out from SOURCES.md (not derived from the rule table) so that a slip in rules.yaml
# cannot hide: every finding any primary source places at "immediately" or "emergency".
EMERGENCY_FINDINGS = {
    "sudden_severe_pain_with_faintness",
    "new_bladder_problem",
    "new_bowel_problem",
    "saddle_numbness",
    "new_sexual_dysfunction",
    "both_legs_affected",
    "worsening_leg_weakness",
    "after_injury",
    "fever",
    "chest_pain",
    "abdominal_pain_or_throbbing",
}


def fixture_quiz(**changes) -> Quiz:
    """The all-types fixture quiz, validated like any instructor file, with optional changes."""
    text = (DATA / "all_types.yaml").read_text()
    reference = reference_files("sources", "glossary", "topic")
    library = assemble([*reference, ContentFile("all_types.yaml", text, "quiz")])
    assert library.problems == []
    return dataclasses.replace(library.quizzes["all_types"], **changes)


def short_text_quiz(**changes) -> Quiz:
    """The short-text fixture quiz, validated like any instructor file, with optional changes."""
    text = (DATA / "short_text.yaml").read_text()
    reference = reference_files("sources", "glossary", "topic")
    library = assemble([*reference, ContentFile("short_text.yaml", text, "quiz")])
    assert library.problems == []
    return dataclasses.replace(library.quizzes["short_text"], **changes)


def fields_quiz(**changes) -> Quiz:
    """The optional-fields fixture quiz, validated like any instructor file, with changes."""
    text = (DATA / "question_fields.yaml").read_text()
    reference = reference_files("sources", "glossary", "topic")
    library = assemble([*reference, ContentFile("question_fields.yaml", text, "quiz")])
    assert library.problems == []
    return dataclasses.replace(library.quizzes["question_fields"], **changes)


def load_case(data: dict) -> tuple[Scenario | None, list[str]]:
    """Validate a scenario mapping like an instructor file; return it and the problem lines."""
    library = assemble(
        [
            *reference_files("sources", "findings", "rules"),
            ContentFile("case.yaml", yaml.safe_dump(data), "scenario"),
        ]
    )
    return library.scenarios.get(data.get("id")), [str(p) for p in library.problems]


def tiny() -> dict:
    """The tiny fixture case as a fresh mapping."""
    return yaml.safe_load((DATA / "tiny_case.yaml").read_text())


QUIZ = "when_to_seek_care"
CHOICE = "numb_when_wiping"  # single choice; the right answer is get_help_now
NUMBER = "fever_temperature"  # numeric; the right answer is 38


def answer(recorder: Recorder, item: str, given, correct: bool, attempt: int) -> None:
    """Record one answer to a question of the when_to_seek_care quiz (topic when_to_get_help)."""
    recorder.record(
        item_id=item,
        answer=given,
        correct=correct,
        score=float(correct),
        attempt=attempt,
        topic="when_to_get_help",
    )


def class_of_three(store: ProgressStore) -> None:
    """Ana, Ben and Cy answer two questions of when_to_seek_care (12 questions, 2 tries each).

    Ana: choice wrong (rest_at_home) then right; number right.
    Ben: choice right; number 37 twice (closed, both tries used).
    Cy: choice rest_at_home then book_a_visit (closed); number 40 once (still open).
    """
    ana, ben, cy = (
        Recorder(store, name, "quiz", QUIZ, 12, seed=1) for name in ("Ana", "Ben", "Cy")
    )
    answer(ana, CHOICE, "rest_at_home", False, 1)
    answer(ana, CHOICE, "get_help_now", True, 2)
    answer(ana, NUMBER, 38.0, True, 1)
    answer(ben, CHOICE, "get_help_now", True, 1)
    answer(ben, NUMBER, 37.0, False, 1)
    answer(ben, NUMBER, 37.0, False, 2)
    answer(cy, CHOICE, "rest_at_home", False, 1)
    answer(cy, CHOICE, "book_a_visit", False, 2)
    answer(cy, NUMBER, 40.0, False, 1)


PICTURE_ID = re.compile(r"picture-[\w-]+?-\d+-\d+")
"""A picture's id prefix: unique per drawing, so two renderings of one plan differ only there."""


def without_picture_ids(markup: str) -> str:
    """Markup with every picture's unique id replaced by one word, for comparing renderings."""
    return PICTURE_ID.sub("id", markup)


def right_for(question: Question):
    """The right answer to a question, read from its content, for any question kind."""
    return {
        "single_choice": lambda: next(choice.id for choice in question.answers if choice.correct),
        "multiple_answers": lambda: [choice.id for choice in question.answers if choice.correct],
        "true_false": lambda: question.truth,
        "ordering": lambda: [item.id for item in question.items],
        "matching": lambda: {pair.id: pair.match for pair in question.pairs},
        "numeric": lambda: question.number,
        "short_text": lambda: next(choice.text for choice in question.answers if choice.correct),
    }[question.type]()


def right_answer(session: QuizSession):
    """The right answer to the current question, read from the quiz content (test helper)."""
    view = session.current
    assert view is not None
    return right_for(next(q for q in load_quiz(session.quiz_id).questions if q.id == view.id))


def wrong_answer(session: QuizSession):
    """A well-formed answer that is not right, so the question stays open for a retry."""
    right = right_answer(session)
    options = [option.id for option in session.current.options]
    kind = session.current.type
    if kind == "true_false":
        return not right
    if kind == "numeric":
        return right + 1000
    if kind == "ordering":
        return list(reversed(right))
    if kind == "matching":
        targets = sorted(set(right.values()))
        return {
            pair: targets[(targets.index(target) + 1) % len(targets)]
            for pair, target in right.items()
        }
    wrong = next(option for option in options if option not in right)
    return wrong if kind == "single_choice" else [wrong]
