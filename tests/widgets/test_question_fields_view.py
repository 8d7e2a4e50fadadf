"""What a learner sees of the optional question fields: Noted, no explanation, fractions, ranges."""

from __future__ import annotations

import pytest

from backspasm_edu.content.loader import load_library
from backspasm_edu.engines.questions.base import NOTED_RULE
from backspasm_edu.widgets.quiz_view import QuizView
from tests.builders import fields_quiz
from tests.widgets.helpers import visible_text

pytestmark = pytest.mark.usefixtures("callbacks_raise")


def one_question(question_id: str) -> QuizView:
    """A fresh view of the fields quiz asking only the given question."""
    return QuizView(fields_quiz(), seed=0, questions=[question_id], record=False)


def check(view: QuizView, value) -> str:
    """Set the first control as a learner would, click Check, return the feedback's text."""
    view.controls[0].value = value
    view.check_button.click()
    return text_of(view.feedback)


def text_of(widget) -> str:
    """The text a learner reads, without the zero-width space a live region ends with."""
    return visible_text(widget).replace("\u200b", "").strip()


def test_a_pick_with_no_right_answer_reads_noted_with_its_feedback() -> None:
    """ℹ Noted in words and symbol, no points, the pick's feedback; never right, wrong or a key."""
    view = one_question("how_it_feels")
    text = check(view, "sharp")
    assert text == (
        "ℹ Noted This question has no right or wrong answer, so it earns no points. "
        "ℹ Sharp : you picked it. A spasm can grab with a sudden, sharp pain. Sources: "
        "Cleveland Clinic"
    )
    assert view.check_button.disabled and not view.next_button.disabled


def test_a_question_with_no_right_answer_states_its_rule_and_one_try() -> None:
    """Before any pick, the scoring line says there is no right answer and gives one try."""
    view = one_question("how_it_feels")
    assert text_of(view.scoring) == f"How it is scored: {NOTED_RULE} You have 1 try."
    assert text_of(view.tries_used) == "0 of 1 try used."


def test_the_quiz_rules_say_a_question_with_no_right_answer_earns_no_points() -> None:
    """A quiz with noted questions adds the rule for them; a quiz without keeps the rules as they were."""
    from backspasm_edu.engines.quiz import SCORING_INTRO, UNSCORED_INTRO

    assert (
        text_of(one_question("how_it_feels").scoring_intro) == f"{SCORING_INTRO} {UNSCORED_INTRO}"
    )
    packaged = QuizView("when_to_seek_care", seed=0, record=False)
    assert text_of(packaged.scoring_intro) == SCORING_INTRO


def test_a_closed_question_without_explanation_adds_no_made_up_text() -> None:
    """A right answer to a question with no explanation shows verdict, options and sources only."""
    text = check(one_question("where"), "lower")
    assert text == (
        "✓ Right Points for this question: 1 of 1. ✓ The lower back : a right answer, and you "
        "picked it. ✗ The upper back : not right. ✗ The neck : not right. Sources: Cleveland Clinic"
    )


def test_the_summary_counts_noted_questions_apart() -> None:
    """Scored out of 4 of the 6 questions, saying 2 were noted; noted topics are not listed."""
    view = QuizView(fields_quiz(), seed=0, record=False)
    for value in ("tight", None, "lower", "38", "4/5", "spasm"):
        if value is None:  # what_helped: tick the first box
            view.controls[0].value = True
        else:
            view.controls[0].value = value
        view.check_button.click()
        view.next_button.click()
    text = visible_text(view)
    topics = load_library().topics
    assert "You scored 4 of 4 points" in text and "Right first time: 4 of 4 questions." in text
    assert "2 questions had no right answer: your answers were noted, not scored." in text
    assert "✓ Well done" in text
    assert topics["symptoms"].title not in text and topics["treatments"].title not in text


@pytest.mark.parametrize("typed", ["4/5", " 4 / 5 ", "8/10"])
def test_a_typed_fraction_is_checked_as_its_number(typed) -> None:
    """A fraction typed in the box is right when its number is."""
    assert check(one_question("share_of_adults"), typed).startswith("✓ Right")


def test_a_fraction_over_zero_says_what_to_fix_and_uses_no_try() -> None:
    """1/0 gets a plain ⚠ line about the 0 below the line, uses no try, and leaves it open."""
    view = one_question("share_of_adults")
    text = check(view, "1/0")
    assert text == (
        "⚠ A fraction cannot have 0 below the line: type a number such as 5/6 or 0.5. "
        "This did not use a try."
    )
    assert view.session.current.attempts_used == 0 and not view.check_button.disabled


def test_a_number_in_a_range_shows_that_ranges_feedback() -> None:
    """101 (a right range) is right with its feedback; 37 (a wrong range) gets its own."""
    right = check(one_question("fever_number"), "101")
    assert right.startswith("✓ Right")
    assert "100.4 to 104 degrees : a right answer, and you picked it. That is a fever" in right
    wrong = check(one_question("fever_number"), "37")
    assert wrong.startswith("✗ Not quite: 1 try left")
    assert "36 to 37.4 degrees : not right, and you picked it. That is a normal body" in wrong


def test_a_near_miss_within_the_threshold_is_right() -> None:
    """A one-letter slip in a short answer with fuzzy_threshold 0.8 reads right."""
    assert check(one_question("spasm_word"), "spasn").startswith("✓ Right")
