"""The jupyterquiz reader: every container, every type, read as jupyterquiz reads it, never run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backspasm_edu import ContentError
from backspasm_edu.instructor.banks.jupyterquiz import read_jupyterquiz
from backspasm_edu.instructor.banks.parsed import ParsedBank

MC = {
    "question": "Where do spasms happen most?",
    "type": "multiple_choice",
    "answers": [
        {"answer": "Lower back", "correct": True, "feedback": "Correct."},
        {"answer": "Neck", "correct": False, "feedback": "Less often."},
    ],
}


def read(text: str, name: str = "bank.json") -> list[ParsedBank]:
    """The banks read from text given as a file's bytes."""
    return read_jupyterquiz(text.encode(), name)


def one(**question: Any) -> dict[str, Any]:
    """The fields of the only question of a one-question JSON bank (it must not be skipped)."""
    [bank] = read(json.dumps([question]))
    assert bank.skipped == [], bank.skipped
    fields: dict[str, Any] = bank.questions[0].fields
    return fields


def skipped(**question: Any) -> str:
    """The reason the only question of a one-question bank is skipped."""
    [bank] = read(json.dumps([question]))
    assert bank.questions == []
    return bank.skipped[0].reason


# --- containers -----------------------------------------------------------------------------


def test_javascript_style_json_with_trailing_commas_and_loose_backslashes() -> None:
    r"""Trailing commas are read; a loose backslash (LaTeX \alpha) is kept as typed and noted by line."""
    text = '[\n{"question": "Is $\\alpha$ small?", "type": "multiple_choice",\n "answers": [{"answer": "yes", "correct": true,}, {"answer": "no"},],},\n]'
    [bank] = read(text)
    assert bank.questions[0].fields["prompt"] == "Is $\\alpha$ small?"
    assert [str(note) for note in bank.notes] == [
        "line 2: a backslash before a letter JavaScript does not escape (LaTeX such as \\alpha) "
        "is kept as typed; jupyterquiz itself drops it"
    ]


def test_json_escapes_that_ate_latex_are_read_back_as_the_command() -> None:
    r"""JSON escapes in "\frac" and "\beta" make control characters: read back as LaTeX, with a note."""
    [bank] = read(
        '[{"question": "$\\frac{1}{2}$ or $\\beta$?", "type": "string", "answers": [{"answer": "x", "correct": true}]}]'
    )
    question = bank.questions[0]
    assert question.fields["prompt"] == "$\\frac{1}{2}$ or $\\beta$?"
    assert [note.path for note in question.notes] == ["question"]


def test_latex_that_json_cannot_read_or_turns_into_line_breaks_is_kept() -> None:
    r"""\xi and \underline (not valid JSON escapes) are kept; \nabla in math is not a line break."""
    text = r'[{"question": "Is $\xi + \underline{x} + \nabla f$ right?", "type": "string", "answers": [{"answer": "\u00e9", "correct": true}]}]'
    [bank] = read(text)
    fields = bank.questions[0].fields
    assert fields["prompt"] == r"Is $\xi + \underline{x} + \nabla f$ right?"
    assert fields["answers"] == [{"text": "é", "correct": True}]


def test_a_bank_kept_as_a_javascript_variable_is_read() -> None:
    """A .js file assigning the list to a variable (var questions = [...];) is one bank named after it."""
    [bank] = read(f"var questions = {json.dumps([MC])};\n", "quiz.js")
    assert bank.name == "quiz.js (questions)" and len(bank.questions) == 1


def test_a_single_question_object_is_a_bank_of_one() -> None:
    """A file holding one question object, not a list, imports that question."""
    [bank] = read(json.dumps(MC))
    assert [q.fields["prompt"] for q in bank.questions] == [MC["question"]]


def test_python_file_lists_are_read_as_literals_one_bank_each_never_run(tmp_path) -> None:
    """Each list in a .py file is a bank named after its variable; code is never executed."""
    marker = tmp_path / "ran"
    source = (
        "true, false = True, False\n"
        f"open({str(marker)!r}, 'w').write('x')\n"
        f"first = [{MC!r}]\n"
        'bank["Q2.json"] = [{"question": "Q?", "type": "many_choice", "answers": '
        '[{"answer": "a", "correct": true}, {"answer": "b", "correct": false}]}]\n'
        "n = 3\n"
        'display_quiz([{"question": f"Q{n}?", "type": "many_choice", "answers": []}])\n'
    )
    banks = read(source, "quiz.py")
    assert [bank.name for bank in banks] == [
        "quiz.py (first)",
        "quiz.py (bank['Q2.json'])",
        "quiz.py (line 6)",
    ]
    assert [len(bank.questions) for bank in banks] == [1, 1, 0]
    assert banks[2].skipped[0].reason == (
        "line 6: written with names or expressions (it would have to be run); only literal "
        "values are read"
    )
    assert not marker.exists()


def test_notebook_code_cells_and_hidden_json_in_markdown_are_banks() -> None:
    """A notebook gives a bank per question list in its code cells and per hidden JSON element."""
    hidden = json.dumps([MC]).replace('"', "&quot;")
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Quiz\n"]},
            {"cell_type": "code", "source": ["%matplotlib inline\n", f"questions = [{MC!r}]\n"]},
            {"cell_type": "code", "source": ["display_quiz(questions)\n"], "outputs": []},
            {"cell_type": "markdown", "source": [f'<span style="display:none">{hidden}</span>']},
        ],
        "nbformat": 4,
    }
    banks = read(json.dumps(notebook), "week1.ipynb")
    assert [(bank.name, len(bank.questions)) for bank in banks] == [
        ("week1.ipynb (cell 2, questions)", 1),
        ("week1.ipynb (cell 4)", 1),
    ]


def test_myst_page_code_cells_are_read_with_their_page_line() -> None:
    """A MyST page's {code-cell} blocks (options skipped) are read; the bank names its line."""
    page = (
        "# Page\n\n````{code-cell} python\n:tags: remove-input\n\n"
        f"display_quiz([{MC!r}], colors='fdsp')\n````\n"
    )
    [bank] = read(page, "page.md")
    assert bank.name == "page.md (line 6)" and len(bank.questions) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "expected jupyterquiz questions"),
        ('[{"question": ', "bank.json: line 1, column 15: expected JSON: unexpected end of input"),
    ],
)
def test_a_file_without_questions_raises_content_error(text, message) -> None:
    """A file with no question list at all is one ContentError naming the file."""
    with pytest.raises(ContentError) as caught:
        read(text)
    assert message in str(caught.value)


# --- choice questions -----------------------------------------------------------------------


def test_single_or_multiple_is_decided_by_the_count_of_right_answers_as_jupyterquiz_does() -> None:
    """many_choice with one right answer is single_choice; multiple_choice with two is multiple_answers."""
    many_one = one(**{**MC, "type": "many_choice"})
    assert many_one["type"] == "single_choice"
    two = [{"answer": "a", "correct": True}, {"answer": "b", "correct": True}, {"answer": "c"}]
    assert one(question="Q?", type="multiple_choice", answers=two)["type"] == "multiple_answers"


def test_choice_with_no_right_answer_is_kept() -> None:
    """A choice question with no right answer imports, none marked correct, as jupyterquiz allows."""
    fields = one(
        question="Your view?", type="multiple_choice", answers=[{"answer": "a"}, {"answer": "b"}]
    )
    assert fields == {
        "type": "single_choice",
        "prompt": "Your view?",
        "answers": [{"text": "a"}, {"text": "b"}],
    }


def test_feedback_stays_on_its_option_and_no_explanation_is_invented() -> None:
    """Each option keeps its own feedback; the right one's "Correct." is not made the explanation."""
    fields = one(**MC)
    assert fields["answers"] == [
        {"text": "Lower back", "correct": True, "explanation": "Correct."},
        {"text": "Neck", "explanation": "Less often."},
    ]
    assert "explanation" not in fields


def test_a_questions_own_feedback_becomes_its_explanation_with_a_note() -> None:
    """A question-level feedback (jupyterquiz never shows it) is the explanation, noted as changed."""
    [bank] = read(json.dumps([{**MC, "feedback": "Most spasms are low."}]))
    question = bank.questions[0]
    assert question.fields["explanation"] == "Most spasms are low."
    assert [(n.path, n.kind) for n in question.notes] == [("feedback", "changed")]


def test_code_keeps_its_line_breaks_as_a_fenced_block() -> None:
    """Question code with line breaks becomes a fenced block; one-line answer code inline code."""
    fields = one(
        question="What prints?",
        type="multiple_choice",
        code="for i in range(2):\n    print(i &lt; 1)",
        answers=[{"code": "print(1)", "correct": True}, {"answer": "Nothing"}],
    )
    assert fields["prompt"] == "What prints?\n\n```\nfor i in range(2):\n    print(i < 1)\n```"
    assert fields["answers"][0]["text"] == "`print(1)`"


def test_html_markdown_and_latex_are_kept_for_the_renderer() -> None:
    """HTML, Markdown links and LaTeX reach the quiz as typed (the bank is text_format markdown)."""
    prompt = "Is <b>$x^2$</b> in [the notes](https://example.org) \\(y\\)?"
    [bank] = read(json.dumps([{**MC, "question": prompt}]))
    assert bank.text_format == "markdown"
    assert bank.questions[0].fields["prompt"] == prompt


def test_a_typo_key_gets_a_did_you_mean() -> None:
    """An unknown key is noted as dropped, with the key jupyterquiz reads that it is closest to."""
    [bank] = read(
        json.dumps([{**MC, "answers": [{**MC["answers"][0], "feedfback": "x"}, MC["answers"][1]]}])
    )
    assert [str(note) for note in bank.questions[0].notes] == [
        "answers[0].feedfback: not a key jupyterquiz reads (did you mean 'feedback'?): ignored"
    ]


def test_one_bad_question_is_skipped_and_the_rest_kept() -> None:
    """A question of an unknown type is skipped with a did-you-mean; the others still import."""
    [bank] = read(json.dumps([{**MC, "type": "multiple choice"}, MC, {"type": "string"}]))
    assert [q.number for q in bank.questions] == [2]
    assert [(s.number, s.where, s.reason) for s in bank.skipped] == [
        (
            1,
            "[0]",
            "type: expected one of multiple_choice, many_choice, numeric, string, match, "
            "drag_drop, got the text 'multiple choice' (did you mean 'multiple_choice'?)",
        ),
        (3, "[2]", "has no question text (jupyterquiz shows none): nothing to ask"),
    ]


# --- numeric --------------------------------------------------------------------------------


def test_precision_zero_means_a_whole_number() -> None:
    """precision 0 (decimal places, the older meaning) accepts what rounds to the whole value."""
    fields = one(
        question="How many?", type="numeric", precision=0, answers=[{"value": 7, "correct": True}]
    )
    assert (fields["answer"], fields["tolerance"]) == (7, 0.5)


@pytest.mark.parametrize(
    ("value", "precision", "answer", "tolerance"),
    [
        (3.14159, 3, 3.14, 0.005),
        (3.14, 2, 3.14, 0.005),
        (9.996, 3, 9.996, 0.0005),
        (0.8, 1, 0.8, 0.05),
    ],
)
def test_precision_reads_as_the_values_fit(value, precision, answer, tolerance) -> None:
    """Significant digits where the value needs rounding; decimal places where it already fits them."""
    fields = one(
        question="Q?",
        type="numeric",
        precision=precision,
        answers=[{"value": value, "correct": True}],
    )
    assert fields["answer"] == pytest.approx(answer)
    assert fields["tolerance"] == pytest.approx(tolerance)


def test_numbers_written_as_text_and_fractions_are_numbers() -> None:
    """ "0.125" and "5/6" are read as numbers, not refused."""
    fields = one(
        question="Q?",
        type="numeric",
        answers=[{"value": "5/6", "correct": True}, {"value": "0.125", "feedback": "Too small."}],
    )
    assert fields["answer"] == pytest.approx(5 / 6)
    assert fields["ranges"] == [{"min": 0.125, "max": 0.125, "explanation": "Too small."}]


def test_adjacent_right_ranges_merge_and_wrong_ones_keep_their_feedback() -> None:
    """[1, 2) and [2, 3) right become 1..3; a wrong range keeps its feedback; default is noted."""
    [bank] = read(
        json.dumps(
            [
                {
                    "question": "Q?",
                    "type": "numeric",
                    "answers": [
                        {"range": [1, 2], "correct": True},
                        {"range": [2, 3], "correct": True},
                        {"range": [-100, 0], "correct": False, "feedback": "Positive, please."},
                        {"type": "default", "feedback": "Try again."},
                    ],
                }
            ]
        )
    )
    question = bank.questions[0]
    assert {k: question.fields[k] for k in ("answer", "tolerance", "ranges")} == {
        "answer": 2,
        "tolerance": 1,
        "ranges": [{"min": -100, "max": 0, "explanation": "Positive, please."}],
    }
    assert [(n.path, n.kind) for n in question.notes] == [("answers[3].feedback", "dropped")]


def test_right_value_feedback_is_kept_as_a_range_explanation() -> None:
    """A right value's own feedback is kept on a range of that value, not made the explanation."""
    fields = one(
        question="Q?",
        type="numeric",
        answers=[{"value": 930, "correct": True, "feedback": "Yes, 0 to 930."}],
    )
    assert fields == {
        "type": "numeric",
        "prompt": "Q?",
        "answer": 930,
        "tolerance": 0,
        "ranges": [{"min": 930, "max": 930, "correct": True, "explanation": "Yes, 0 to 930."}],
    }


# --- string and matching --------------------------------------------------------------------


def test_string_keeps_fuzzy_threshold_match_case_and_wrong_answer_feedback() -> None:
    """fuzzy_threshold and match_case carry over; expected wrong answers keep their feedback."""
    fields = one(
        question="Name it.",
        type="string",
        answers=[
            {"answer": " Spasm ", "correct": True, "match_case": True, "fuzzy_threshold": 0.8},
            {"answer": "Sprain", "correct": False, "match_case": True, "feedback": "An injury."},
        ],
    )
    assert fields == {
        "type": "short_text",
        "prompt": "Name it.",
        "answers": [
            {"text": "Spasm", "correct": True},
            {"text": "Sprain", "explanation": "An injury."},
        ],
        "match_case": True,
        "fuzzy_threshold": 0.8,
    }


@pytest.mark.parametrize("kind", ["match", "drag_drop"])
def test_match_and_drag_drop_become_matching_with_targets_by_index(kind) -> None:
    """Pairs match options by position in targets; an answer not among the options skips it."""
    question = {
        "question": "Match.",
        "type": kind,
        "pairs": [{"label": "x", "answer": "1"}, {"label": "y", "answer": "2"}],
        "options": ["1", "2", "3"],
    }
    assert one(**question)["pairs"] == [{"text": "x", "match": 0}, {"text": "y", "match": 1}]
    question["pairs"][1]["answer"] = "4"
    assert skipped(**question) == "pairs[1].answer: expected one of the options, got the text '4'"


def test_a_bank_of_every_type_reads_whole_with_a_note_only_where_a_human_must_look() -> None:
    """The every-type example bank reads with none skipped, each type mapped, and five notes for eleven questions."""
    path = Path(__file__).parents[1] / "data" / "jupyterquiz" / "back_care_review.json"
    [bank] = read_jupyterquiz(path.read_bytes(), path.name)
    assert bank.skipped == []
    assert [q.fields["type"] for q in bank.questions] == [
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
        "single_choice",
    ]
    notes = [(q.where, note.path, note.kind) for q in bank.questions for note in q.notes]
    assert notes == [
        ("[3]", "answers[2].feedback", "dropped"),
        ("[4]", "precision", "check"),
        ("[6]", "answers[4].feedback", "dropped"),
        ("[8]", "answers[1].hide", "dropped"),
        ("[10]", "points", "dropped"),
    ]
