"""Optional question fields in content files: what the schema and loader accept and refuse."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backspasm_edu.content.loader import ContentFile, assemble, load_library, packaged_files
from backspasm_edu.content.model import NumericRange

DATA = Path(__file__).parents[1] / "data"
REFERENCE = [f for f in packaged_files() if f.kind in ("sources", "glossary", "topic")]


def fields() -> dict:
    """The optional-fields fixture quiz as a fresh mapping."""
    return yaml.safe_load((DATA / "question_fields.yaml").read_text())


def problems_for(data: dict) -> list[str]:
    """Problem lines for the quiz checked like an instructor's file."""
    text = yaml.safe_dump(data, sort_keys=False)
    library = assemble([*REFERENCE, ContentFile("fields.yaml", text, "quiz")])
    return [str(problem) for problem in library.problems]


def test_the_fixture_with_every_optional_field_loads_as_written() -> None:
    """No explanation, no right answer, a fuzzy threshold and ranges load into the model."""
    assert problems_for(fields()) == []
    text = (DATA / "question_fields.yaml").read_text()
    library = assemble([*REFERENCE, ContentFile("fields.yaml", text, "quiz")])
    questions = {q.id: q for q in library.quizzes["question_fields"].questions}
    assert questions["how_it_feels"].explanation == ""
    assert [q.scored for q in questions.values()] == [False, False, True, True, True, True]
    assert questions["spasm_word"].fuzzy_threshold == 0.8
    assert questions["fever_number"].ranges == (
        NumericRange(100.4, 104.0, True, "That is a fever in Fahrenheit, 38 in Celsius."),
        NumericRange(36.0, 37.4, False, "That is a normal body temperature."),
        NumericRange(0.0, 10.0, False, ""),
    )
    assert questions["share_of_adults"].ranges == () and questions["where"].fuzzy_threshold == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["questions"][3]["ranges"][1].update(min=37.4, max=36),
            "questions[3].ranges[1]: expected min at most max, got min 37.4 and max 36",
        ),
        (
            lambda d: d["questions"][3]["ranges"][1].update(max=38),
            "questions[3].ranges[1]: expected a wrong range to leave out the right answer 38, "
            "got 36 to 38",
        ),
        (
            lambda d: d["questions"][3]["ranges"][2].pop("max"),
            "questions[3].ranges[2].max: expected this key, but it is missing",
        ),
        (
            lambda d: d["questions"][3]["ranges"][2].update(max="ten"),
            "questions[3].ranges[2].max: expected a number, got the text 'ten'",
        ),
        (
            lambda d: d["questions"][3].update(ranges=[]),
            "questions[3].ranges: expected at least 1 range, got 0",
        ),
        (
            lambda d: d["questions"][5].update(fuzzy_threshold=0),
            "questions[5].fuzzy_threshold: expected a number above 0, got 0",
        ),
        (
            lambda d: d["questions"][5].update(fuzzy_threshold=1.5),
            "questions[5].fuzzy_threshold: expected a number at most 1, got 1.5",
        ),
        (
            lambda d: d["questions"][3].update(fuzzy_threshold=0.8),
            "questions[3].fuzzy_threshold: expected no 'fuzzy_threshold' key in a numeric question",
        ),
        (
            lambda d: d["questions"][2].update(ranges=[{"min": 1, "max": 2}]),
            "questions[2].ranges: expected no 'ranges' key in a single_choice question",
        ),
        (
            lambda d: d["questions"][2]["answers"][1].update(correct=True),
            "questions[2].answers: expected 1 correct answer (or none, for a question with no "
            "right answer), got 2",
        ),
        (
            lambda d: d["questions"][5]["answers"][0].update(correct=False),
            "questions[5].answers: expected at least 1 correct answer, got 0",
        ),
    ],
)
def test_bad_optional_fields_are_refused_with_their_key_path(change, message) -> None:
    """Each bad range, threshold or misplaced field is one message naming where and what."""
    data = fields()
    change(data)
    assert problems_for(data) == [f"fields.yaml: {message}"]


def test_a_range_of_one_number_is_allowed() -> None:
    """min equal to max is a range of one number (both ends are included)."""
    data = fields()
    data["questions"][3]["ranges"][1].update(min=37, max=37)
    assert problems_for(data) == []


def test_every_packaged_quiz_question_has_an_explanation() -> None:
    """Clinical content must say why: the field is optional for instructors, not for our quizzes."""
    missing = [
        f"{quiz.id}.{question.id}"
        for quiz in load_library().quizzes.values()
        for question in quiz.questions
        if not question.explanation.strip()
    ]
    assert load_library().quizzes and missing == []


def test_every_packaged_quiz_question_has_a_right_answer() -> None:
    """Our own quizzes are scored throughout: none of their questions lacks a right answer."""
    unscored = [
        question.id
        for quiz in load_library().quizzes.values()
        for question in quiz.questions
        if not question.scored
    ]
    assert unscored == []
