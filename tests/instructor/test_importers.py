"""Importing jupyterquiz banks: every type and field mapped or reported, output that validates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from backspasm_edu.instructor.importers import ImportResult, import_jupyterquiz, write_yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from backspasm_edu import ContentError, InputError, QuizSession
from backspasm_edu.content.loader import ContentFile, assemble, packaged_files, validate_paths

BANKS = Path(__file__).parents[1] / "data" / "jupyterquiz"
REVIEW = BANKS / "back_care_review.json"
MINIMAL = BANKS / "minimal.json"


def review(**changes: Any) -> ImportResult:
    """The every-field example bank imported with an instructor's own source id."""
    arguments: dict[str, Any] = {"source_id": "course_notes", "topic": "causes", **changes}
    return import_jupyterquiz(REVIEW, **arguments)


def question(result: ImportResult, index: int) -> dict[str, Any]:
    """One imported question, by its place in the bank."""
    found: dict[str, Any] = result.quiz["questions"][index]
    return found


def notes_at(result: ImportResult, prefix: str) -> list[str]:
    """The notes whose key path starts with prefix, as the instructor reads them."""
    return [str(note) for note in result.notes if note.path.startswith(prefix)]


def bank_problems(data: Any, **changes: Any) -> list[str]:
    """The problem lines ContentError gives for a bank passed as data named bank.json."""
    arguments: dict[str, Any] = {"source_id": "nhs", "topic": "causes", "name": "bank.json"}
    with pytest.raises(ContentError) as caught:
        import_jupyterquiz(data, **{**arguments, **changes})
    return [str(problem) for problem in caught.value.problems]


def one(**fields: Any) -> list[dict[str, Any]]:
    """A bank of one question with the given fields."""
    return [fields]


MC = {
    "question": "Where do spasms happen most?",
    "type": "multiple_choice",
    "answers": [
        {"answer": "Lower back", "correct": True},
        {"answer": "Neck", "correct": False},
    ],
}


def write_sources(folder: Path, source_id: str) -> Path:
    """An instructor's sources.yaml listing one source."""
    path = folder / "sources.yaml"
    entry = {
        "id": source_id,
        "name": "Course notes",
        "title": "Back care course notes",
        "url": "https://example.org/notes",
        "accessed": "2026-11-01",
    }
    path.write_text(yaml.safe_dump({"sources": [entry]}), encoding="utf-8")
    return path


def session_of(result: ImportResult) -> QuizSession:
    """A quiz session on an imported quiz cited to packaged sources, loaded like any file."""
    reference = [f for f in packaged_files() if f.kind in ("sources", "glossary", "topic")]
    library = assemble([*reference, ContentFile("imported.yaml", result.to_yaml(), "quiz")])
    assert library.problems == []
    return QuizSession(library.quizzes[result.quiz["id"]], seed=0)


# --- the output validates ------------------------------------------------------------------


def test_bank_of_every_type_validates_next_to_the_instructors_sources(tmp_path) -> None:
    """The every-field bank, written as YAML beside a sources.yaml with its source, validates clean."""
    write_yaml(review(), tmp_path / "quizzes" / "back_care.yaml")
    write_sources(tmp_path, "course_notes")
    assert validate_paths([tmp_path]) == (2, [])


def test_minimal_bank_validates_with_a_packaged_source(tmp_path) -> None:
    """A bank with only required fields, cited to a packaged source, validates on its own."""
    result = import_jupyterquiz(MINIMAL, source_id="nhs", topic="treatments")
    path = write_yaml(result, tmp_path / "minimal.yaml")
    assert validate_paths([path]) == (1, [])


def test_without_the_sources_file_validation_names_the_unknown_source(tmp_path) -> None:
    """The given source id is cited by every question: validating without its file says so."""
    path = write_yaml(review(), tmp_path / "back_care.yaml")
    count, problems = validate_paths([path])
    assert count == 1 and len(problems) == len(review().quiz["questions"])
    assert all(
        "sources[0]: expected a source id from sources.yaml, got 'course_notes'" in str(p)
        for p in problems
    )


def test_yaml_text_round_trips_and_lists_every_note_as_a_comment() -> None:
    """The YAML text parses back to the quiz mapping and its header lists each note."""
    result = review()
    text = result.to_yaml()
    assert yaml.safe_load(text) == result.quiz
    header = [line for line in text.splitlines() if line.startswith("#")]
    for note in result.notes:
        assert f"#   [{note.kind}] {note}" in header


# --- each type and field -------------------------------------------------------------------


def test_question_types_map_to_ours_in_the_banks_order() -> None:
    """Each jupyterquiz type becomes its counterpart, question by question, none lost."""
    assert [q["type"] for q in review().quiz["questions"]] == [
        "single_choice",
        "multiple_answers",
        "multiple_answers",
        "numeric",
        "numeric",
        "numeric",
        "short_text",
        "short_text",
        "single_choice",
        "matching",
        "multiple_answers",
    ]


def test_multiple_choice_feedback_becomes_option_explanations() -> None:
    """Each answer's feedback explains its option; the right answer's feedback explains the question."""
    first = question(review(), 0)
    assert [(a["text"], a.get("correct", False)) for a in first["answers"]] == [
        ("The lower back", True),
        ("The upper back", False),
        ("The neck", False),
    ]
    assert first["answers"][1]["explanation"].startswith("Spasms can happen there")
    assert first["explanation"] == first["answers"][0]["explanation"]
    assert first["sources"] == ["course_notes"] and first["topic"] == "causes"


def test_multiple_choice_with_two_right_answers_becomes_multiple_answers_with_a_note() -> None:
    """A multiple_choice question with several right answers is multiple_answers, and a note says so."""
    result = review()
    assert [a["text"] for a in question(result, 2)["answers"] if a.get("correct")] == [
        "Keep moving gently",
        "Use heat or cold on the sore spot",
    ]
    assert (
        "questions[2].type: a multiple_choice question with 2 right answers becomes "
        "multiple_answers, as jupyterquiz itself treats it"
    ) in notes_at(result, "questions[2]")


def test_missing_right_feedback_gives_a_plain_explanation_and_a_note() -> None:
    """With no feedback on the right answers the explanation names them, and a note asks for a better one."""
    result = review()
    assert question(result, 2)["explanation"] == (
        "The right answer: Keep moving gently; Use heat or cold on the sore spot."
    )
    assert any("write one that says why" in n for n in notes_at(result, "questions[2].expl"))
    assert notes_at(result, "questions[1].explanation") == [
        "questions[1].explanation: taken from the right answer's feedback 'Correct.': write one "
        "that says why"
    ]


def test_numeric_value_without_precision_is_exact_and_lost_feedback_is_reported() -> None:
    """A value answer with no precision needs the exact number; wrong and default feedback are reported."""
    result = review()
    program = question(result, 3)
    assert (program["answer"], program["tolerance"]) == (150, 0)
    assert program["explanation"].startswith("Yes: 150 minutes")
    assert notes_at(result, "questions[3].answers") == [
        "questions[3].answers[1].feedback: feedback for the wrong answer 0 to 100 is not "
        "supported: our numeric questions give no feedback on particular wrong answers",
        "questions[3].answers[2].feedback: feedback for any other answer is not supported: our "
        "numeric questions give the explanation once the question closes",
    ]


@pytest.mark.parametrize(
    ("value", "precision", "answer", "tolerance"),
    [
        (3.14159, 3, 3.14, 0.005),
        (0.8, 1, 0.8, 0.05),
        (9.996, 3, 10, 0.05),
        (150, 2, 150, 5),
        (-2.5, 2, -2.5, 0.05),
        (0, 2, 0, 0),
    ],
)
def test_numeric_precision_becomes_half_a_unit_of_the_last_significant_digit(
    value, precision, answer, tolerance
) -> None:
    """precision (significant digits) becomes the rounded value with a margin of half its last digit."""
    bank = one(
        question="How many?",
        type="numeric",
        precision=precision,
        answers=[{"type": "value", "value": value, "correct": True, "feedback": "That many."}],
    )
    result = import_jupyterquiz(bank, source_id="nhs", topic="causes", quiz_id="q", title="Q")
    imported = question(result, 0)
    assert imported["answer"] == pytest.approx(answer)
    assert imported["tolerance"] == pytest.approx(tolerance)
    if tolerance:
        assert any("significant digits" in note for note in notes_at(result, "questions[0]"))


def test_numeric_range_becomes_its_middle_with_half_its_width() -> None:
    """A right range [a, b) becomes its midpoint with a margin of half its width, and a note says b counts."""
    result = review()
    weeks = question(result, 5)
    assert (weeks["answer"], weeks["tolerance"]) == (12.5, 0.5)
    assert (
        "questions[5].answers[0].range: the range [12, 13) becomes 12.5 ± 0.5: 13 itself now "
        "counts too"
    ) in notes_at(result, "questions[5]")


def test_numeric_second_right_answer_and_wrong_feedback_are_reported_as_dropped() -> None:
    """Our numeric type takes one right answer: the others, and wrong-answer feedback, are reported."""
    result = review()
    share = question(result, 4)
    assert (share["answer"], share["tolerance"]) == (0.8, 0.05)
    dropped = [str(n) for n in result.notes_of("dropped") if n.path.startswith("questions[4]")]
    assert dropped == [
        "questions[4].answers[1]: another right answer (0.75 to 0.85) is not supported: our "
        "numeric questions take one right value with a margin, here 0.8 ± 0.05",
        "questions[4].answers[2].feedback: feedback for the wrong answer 0.1 is not supported: "
        "our numeric questions give no feedback on particular wrong answers",
    ]


def test_string_becomes_short_text_with_accepted_and_expected_wrong_answers() -> None:
    """string answers carry over with feedback; fuzzy, default, width and repeats are reported."""
    result = review()
    word = question(result, 6)
    assert [(a["id"], a["text"], a.get("correct", False)) for a in word["answers"]] == [
        ("spasm", "spasm", True),
        ("cramp", "cramp", True),
        ("sprain", "sprain", False),
    ]
    assert word["answers"][2]["explanation"].startswith("A sprain is an injury")
    assert "match_case" not in word
    notes = notes_at(result, "questions[6]")
    assert [note.split(":")[0] for note in notes] == [
        "questions[6].input_width",
        "questions[6].answers[0].fuzzy_threshold",
        "questions[6].answers[1]",
        "questions[6].answers[4].feedback",
    ]
    assert "add likely misspellings as more accepted answers" in notes[1]


def test_string_match_case_carries_over() -> None:
    """A string question whose answers all match case becomes a short_text with match_case."""
    assert question(review(), 7)["match_case"] is True


def test_mixed_match_case_ignores_capitals_and_says_so() -> None:
    """When answers disagree on match_case the question ignores capitals, with a note."""
    bank = one(
        question="Name it.",
        type="string",
        answers=[
            {"answer": "Spasm", "correct": True, "match_case": True},
            {"answer": "cramp", "correct": True},
        ],
    )
    result = import_jupyterquiz(bank, source_id="nhs", topic="causes", quiz_id="q", title="Q")
    assert "match_case" not in question(result, 0)
    assert any("capital letters now never count" in n for n in notes_at(result, "questions[0]"))


def test_imported_short_text_is_scored_by_the_quiz_engine() -> None:
    """An imported string question plays in a session: any case and spacing of an accepted answer is right."""
    string_question = json.loads(REVIEW.read_text())[6]
    result = import_jupyterquiz([string_question], source_id="nhs", topic="causes", quiz_id="q")
    session = session_of(result)
    assert session.current.type == "short_text" and session.current.options == ()
    wrong = session.answer("Sprain")
    assert not wrong.correct and wrong.feedback[0].explanation.startswith("A sprain is")
    assert session.answer("  CRAMP ").correct


def test_question_code_joins_the_prompt_and_code_answers_become_text() -> None:
    """A question's code is added to its prompt, and a code-only answer shows its code, both noted."""
    result = review()
    assert question(result, 3)["prompt"].endswith(
        "What does it print?\n\nminutes = [20, 30, 0, 25, 30, 0, 45]\nprint(sum(minutes))"
    )
    assert question(result, 8)["answers"][2]["text"] == "lift(back='straight', knees='bent')"
    assert notes_at(result, "questions[3].code")[0].startswith(
        "questions[3].code: our quizzes show no code blocks"
    )
    assert notes_at(result, "questions[8].answers[2].code") == [
        "questions[8].answers[2].code: code is shown as plain text in the answer"
    ]


def test_layout_hide_and_unknown_fields_are_reported_as_dropped() -> None:
    """answer_cols, hide, shuffle_pairs and an unknown key are each reported once as dropped."""
    dropped = [str(note) for note in review().notes_of("dropped")]
    assert "questions[1].answer_cols: answers in columns are not supported" in dropped
    assert (
        "questions[8].answers[1].hide: our quizzes always tell whether a pick is right: hide is "
        "not supported"
    ) in dropped
    assert any(note.startswith("questions[9].shuffle_pairs:") for note in dropped)
    assert (
        "questions[10].points: not a jupyterquiz many_choice field this importer knows: ignored"
    ) in dropped


def test_html_links_math_and_images_are_kept_as_typed_and_reported() -> None:
    """Markup that our plain-text quizzes cannot show is kept as typed, with one note per field."""
    result = review()
    assert "<b>trigger</b>" in question(result, 1)["prompt"]
    checks = {note.path: note.message for note in result.notes_of("check")}
    assert checks["questions[1].question"].startswith("contains HTML tags:")
    assert checks["questions[2].question"].startswith("contains a Markdown link:")
    assert checks["questions[5].question"].startswith("contains LaTeX math ($...$):")
    assert checks["questions[8].question"].startswith("contains an image:")


def test_match_becomes_matching_with_targets_from_the_options() -> None:
    """A match question's pairs and options become matching pairs and targets."""
    matched = question(review(), 9)
    assert [(p["text"], p["match"]) for p in matched["pairs"]] == [
        ("Numbness around the bottom", "get_help_now"),
        ("Pain below the knee", "book_a_visit"),
        ("A fever with back pain", "get_help_now"),
    ]
    assert [t["id"] for t in matched["targets"]] == [
        "get_help_now",
        "book_a_visit",
        "look_after_it_at_home",
    ]


def test_ids_are_stable_slugs_made_unique() -> None:
    """Ids come from the text, repeat only with _2, begin with a letter and are the same every run."""
    first, again = review(), review()
    assert first.quiz == again.quiz
    ids = [q["id"] for q in first.quiz["questions"]]
    assert ids[0] == "where_do_back_spasms_happen_most_often"
    assert ids[10] == "where_do_back_spasms_happen_most_often_2"
    assert len(set(ids)) == len(ids)
    bank = one(
        question="2 + 2 = ?",
        type="multiple_choice",
        answers=[
            {"answer": "4", "correct": True},
            {"answer": "4!", "correct": False},
            {"answer": "$\\pi$", "correct": False},
        ],
    )
    result = import_jupyterquiz(bank, source_id="nhs", topic="causes", quiz_id="q", title="Q")
    assert question(result, 0)["id"] == "question_2_2"
    assert [a["id"] for a in question(result, 0)["answers"]] == ["answer_4", "answer_4_2", "pi"]


def test_source_topic_and_quiz_settings_are_reported_for_the_whole_quiz() -> None:
    """Notes on the whole quiz name the source and topic given, the order kept and the tries."""
    result = review()
    assert result.quiz["shuffle_questions"] is False
    whole = [str(note) for note in result.notes if not note.path.startswith("questions[")]
    assert whole[0] == (
        "questions: every question cites the source 'course_notes' and belongs to the topic "
        "'causes', as given on import (jupyterquiz banks name neither): check each question"
    )
    assert any(note.startswith("attempts: jupyterquiz lets learners try again") for note in whole)
    assert any("'course_notes' is not a packaged source" in note for note in whole)


def test_quiz_id_and_title_come_from_the_file_name_unless_given() -> None:
    """Without arguments the id and title come from the file name; given ones are used as they are."""
    made = review()
    assert (made.quiz["id"], made.quiz["title"]) == ("back_care_review", "Back care review")
    given_ = review(quiz_id="week_3", title="week 3 check", description="A short check.")
    assert (given_.quiz["id"], given_.quiz["title"]) == ("week_3", "week 3 check")
    assert given_.quiz["description"] == "A short check."
    assert not any(note.path == "description" for note in given_.notes)


def test_a_repeated_json_key_is_reported_for_checking(tmp_path) -> None:
    """A key given twice in one JSON object is reported: the last one is used, as jupyterquiz does."""
    path = tmp_path / "bank.json"
    path.write_text(
        '[{"question": "Q?", "type": "multiple_choice", "type": "many_choice", "answers": '
        '[{"answer": "a", "correct": true}, {"answer": "b", "correct": false}]}]'
    )
    result = import_jupyterquiz(path, source_id="nhs", topic="causes")
    assert question(result, 0)["type"] == "multiple_answers"
    assert notes_at(result, "questions[0]") == [
        "questions[0]: the key 'type' is given more than once: the last one is used, as in "
        "jupyterquiz",
        "questions[0].explanation: jupyterquiz has no explanation and no feedback on the right "
        "answer here: wrote 'The right answer: a.'; write one that says why",
    ]


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"question": ', "line 1, column 15: expected valid JSON: Expecting value"),
        ('{"question": "Q?"}', "expected a list of questions (a JSON array), got a mapping"),
        ('"questions"', "expected a list of questions (a JSON array), got the text 'questions'"),
        ("[]", "expected at least 1 question, got 0"),
    ],
)
def test_a_file_that_is_not_a_bank_names_the_file_and_what_was_expected(
    tmp_path, text, message
) -> None:
    """Text that is not JSON, or JSON that is not a list of questions, raises ContentError."""
    path = tmp_path / "bank.json"
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        import_jupyterquiz(path, source_id="nhs", topic="causes")
    assert str(caught.value) == f"{path}: {message}"


def test_unreadable_paths_raise_content_error(tmp_path) -> None:
    """A missing file, a folder and bytes that are not UTF-8 each raise ContentError naming the path."""
    missing, binary = tmp_path / "missing.json", tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe[\x00")
    cases = {
        missing: "expected a JSON file, but it does not exist",
        tmp_path: "expected a JSON file, got a folder",
        binary: "expected UTF-8 text, got invalid start byte",
    }
    for path, message in cases.items():
        with pytest.raises(ContentError) as caught:
            import_jupyterquiz(path, source_id="nhs", topic="causes")
        assert str(caught.value) == f"{path}: {message}"


ANSWERS_2 = [{"answer": "a", "correct": True}, {"answer": "b", "correct": False}]


@pytest.mark.parametrize(
    ("bank", "message"),
    [
        ([3], "[0]: expected a question (a JSON object), got the number 3"),
        (
            one(question="Q?", type="essay"),
            '[0].type: expected one of "multiple_choice", "many_choice", "numeric", "string", '
            '"match", "drag_drop", got the text \'essay\'',
        ),
        (one(question="Q?", type=["string"]), "[0].type: expected one of"),
        (one(question="Q?", answers=ANSWERS_2), "[0].type: expected this key, but it is missing"),
        (
            one(type="many_choice", answers=ANSWERS_2),
            "[0].question: expected this key, but it is missing",
        ),
        (
            one(question=" ", type="many_choice", answers=ANSWERS_2),
            "[0].question: expected text, got the text ' '",
        ),
        (
            one(question="Q?", type="multiple_choice"),
            "[0].answers: expected this key, but it is missing",
        ),
        (
            one(question="Q?", type="multiple_choice", answers={"a": 1}),
            "[0].answers: expected a list, got a mapping",
        ),
        (
            one(question="Q?", type="multiple_choice", answers=ANSWERS_2[:1]),
            "[0].answers: expected at least 2 answers, got 1",
        ),
        (
            one(question="Q?", type="multiple_choice", answers=[{"answer": "a"}, ANSWERS_2[1]]),
            "[0].answers[0].correct: expected this key, but it is missing",
        ),
        (
            one(
                question="Q?",
                type="multiple_choice",
                answers=[{"answer": "a", "correct": "yes"}, ANSWERS_2[1]],
            ),
            "[0].answers[0].correct: expected true or false, got the text 'yes'",
        ),
        (
            one(question="Q?", type="many_choice", answers=[ANSWERS_2[1], ANSWERS_2[1]]),
            "[0].answers: expected at least 1 answer with correct: true, got 0",
        ),
        (
            one(question="Q?", type="many_choice", answers=[{"correct": True}, ANSWERS_2[1]]),
            "[0].answers[0]: expected an 'answer' or 'code' key, got neither",
        ),
        (
            one(question="Q?", type="numeric", answers=[{"value": "3", "correct": True}]),
            "[0].answers[0].value: expected a number, got the text '3'",
        ),
        (
            one(question="Q?", type="numeric", answers=[{"value": float("nan"), "correct": True}]),
            "[0].answers[0].value: expected a finite number, got nan",
        ),
        (
            one(question="Q?", type="numeric", answers=[{"range": [5, 1], "correct": True}]),
            "[0].answers[0].range: expected the low end below the high end, got [5, 1]",
        ),
        (
            one(question="Q?", type="numeric", answers=[{"range": [5], "correct": True}]),
            "[0].answers[0].range: expected a list of 2 numbers, got a list of 1",
        ),
        (
            one(question="Q?", type="numeric", answers=[{"feedback": "x"}]),
            "[0].answers[0]: expected an answer with a 'value', a 'range' or \"type\": "
            '"default", got the keys feedback',
        ),
        (
            one(question="Q?", type="numeric", answers=[{"type": "default", "feedback": "x"}]),
            "[0].answers: expected at least 1 value or range with correct: true, got 0",
        ),
        (
            one(
                question="Q?",
                type="numeric",
                precision=0,
                answers=[{"value": 1, "correct": True}],
            ),
            "[0].precision: expected a whole number of significant digits, 1 or more, got the "
            "number 0",
        ),
        (
            one(question="Q?", type="string", answers=[{"correct": True}]),
            "[0].answers[0].answer: expected this key, but it is missing",
        ),
        (
            one(question="Q?", type="string", answers=[{"answer": "a", "correct": False}]),
            "[0].answers: expected at least 1 answer with correct: true, got 0",
        ),
        (
            one(
                question="Q?",
                type="match",
                pairs=[{"label": "x", "answer": "1"}, {"label": "y", "answer": "3"}],
                options=["1", "2"],
            ),
            "[0].pairs[1].answer: expected one of the options, got '3'",
        ),
    ],
)
def test_bad_questions_raise_content_error_with_key_path_expected_and_actual(bank, message) -> None:
    """Each kind of broken question is one message naming the file, key path, expected and actual."""
    problems = bank_problems(bank)
    assert len(problems) == 1
    assert problems[0].startswith(f"bank.json: {message}")


def test_every_problem_in_a_bank_is_reported_at_once() -> None:
    """Problems in several questions are all reported together, in the bank's order."""
    bank = [
        {"question": "Q?", "type": "essay"},
        MC,
        {"question": "Q?", "type": "string", "answers": []},
    ]
    assert bank_problems(bank) == [
        'bank.json: [0].type: expected one of "multiple_choice", "many_choice", "numeric", '
        '"string", "match", "drag_drop", got the text \'essay\'',
        "bank.json: [2].answers: expected at least 1 answer, got 0",
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"quiz_id": "Week 3"}, "quiz_id: expected an id of lowercase letters"),
        ({"source_id": ""}, "source_id: expected an id of lowercase letters"),
        ({"topic": None}, "topic: expected an id of lowercase letters"),
        ({"title": "  "}, "title: expected some text, got '  '"),
        ({"description": ""}, "description: expected some text, got ''"),
        ({"bank": 42}, "bank: expected the path of a JSON file or a list of question objects"),
    ],
)
def test_bad_arguments_raise_input_error(arguments, message) -> None:
    """A bad id, title, description or bank argument raises InputError naming the argument."""
    given_ = {"bank": [MC], "source_id": "nhs", "topic": "causes", "quiz_id": "q", **arguments}
    with pytest.raises(InputError) as caught:
        import_jupyterquiz(given_.pop("bank"), **given_)
    assert str(caught.value).startswith(message)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["question", "type", "answers", "answer", "correct", "value", "range", "feedback"]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(["question", "type", "answers", "precision", "code", "pairs"])


@settings(max_examples=150)
@given(
    index=st.integers(0, 10),
    field=FIELDS,
    value=JSON_VALUES | st.sampled_from(["many_choice", "numeric", "string", "match"]),
)
def test_any_change_to_a_valid_bank_gives_a_quiz_or_our_own_error(index, field, value) -> None:
    """Setting any field of any question to any JSON value yields a loadable quiz or ContentError."""
    bank = json.loads(REVIEW.read_text())
    bank[index][field] = value
    try:
        result = import_jupyterquiz(bank, source_id="nhs", topic="causes", quiz_id="q", title="Q")
    except ContentError as error:
        assert all(str(problem).startswith("<questions>: [") for problem in error.problems)
    else:
        assert session_of(result).total == len(bank)


@settings(max_examples=100)
@given(bank=JSON_VALUES)
def test_any_json_value_gives_a_quiz_or_our_own_error(bank) -> None:
    """Any JSON value as a bank gives a quiz, ContentError (a list, or text as a path) or InputError."""
    try:
        result = import_jupyterquiz(bank, source_id="nhs", topic="causes", quiz_id="q", title="Q")
    except ContentError:
        assert isinstance(bank, (list, str))
    except InputError as error:
        assert not isinstance(bank, (list, str)) and error.field == "bank"
    else:
        assert yaml.safe_load(result.to_yaml()) == result.quiz


# --- writing -------------------------------------------------------------------------------


def test_write_yaml_refuses_to_overwrite_without_force(tmp_path) -> None:
    """An existing file is kept unless force is given; with force it is replaced."""
    (tmp_path / "out").mkdir()
    path = tmp_path / "out" / "quiz.yaml"
    path.write_text("mine\n")
    with pytest.raises(InputError) as caught:
        write_yaml(review(), path)
    assert str(caught.value) == (
        f"dest: expected a file that does not exist yet (force=True, or --force, replaces it), "
        f"got {str(path)!r}, which exists"
    )
    assert path.read_text() == "mine\n"
    assert write_yaml(review(), path, force=True) == path
    assert yaml.safe_load(path.read_text())["id"] == "back_care_review"
    assert [p.name for p in path.parent.iterdir()] == ["quiz.yaml"]


def test_write_yaml_refuses_other_names_and_folders_and_makes_parents(tmp_path) -> None:
    """A name not ending in .yaml/.yml or a folder is refused; missing parent folders are made."""
    with pytest.raises(InputError, match=r"dest: expected a file name ending in \.yaml or \.yml"):
        write_yaml(review(), tmp_path / "quiz.json")
    (tmp_path / "taken.yaml").mkdir()
    with pytest.raises(InputError, match="dest: expected a file name, not a folder"):
        write_yaml(review(), tmp_path / "taken.yaml", force=True)
    path = write_yaml(review(), tmp_path / "course" / "quizzes" / "week.yml")
    assert path.is_file()


def test_the_importer_loads_no_widgets_ipython_or_pandas() -> None:
    """Importing a bank in a fresh interpreter loads no ipywidgets, IPython or pandas."""
    code = (
        "import sys\n"
        "from backspasm_edu.instructor.importers import import_jupyterquiz\n"
        f"import_jupyterquiz({str(REVIEW)!r}, source_id='nhs', topic='causes').to_yaml()\n"
        "print(sorted(m for m in ('ipywidgets', 'IPython', 'pandas') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
