"""Optional question fields in the engine: no explanation, no right answer, near misses, ranges."""

from __future__ import annotations

import dataclasses

import pytest

from backspasm_edu import InputError, QuizSession
from backspasm_edu.engines.questions.base import NOTED_RULE
from backspasm_edu.engines.questions.numeric import NONZERO_BELOW
from backspasm_edu.engines.quiz import max_points
from tests.builders import fields_quiz, fixture_quiz


def session_for(question_id: str, **question_changes) -> QuizSession:
    """A session of the fields quiz cut down to one question, with optional changes to it."""
    question = next(q for q in fields_quiz().questions if q.id == question_id)
    question = dataclasses.replace(question, **question_changes)
    return QuizSession(fields_quiz(questions=(question,)), seed=0, topic_titles={})


class Steps:
    """A recorder that keeps each step's keywords in memory."""

    def __init__(self) -> None:
        self.steps: list[dict] = []

    def new_run(self) -> None:
        """Nothing to do: one run only."""

    def record(self, **step) -> None:
        """Keep the step."""
        self.steps.append(step)


# --- no explanation -----------------------------------------------------------------------


def test_a_question_without_explanation_closes_with_none_and_nothing_made_up() -> None:
    """A question with no explanation closes with "" as its explanation, key and sources intact."""
    session = session_for("where")
    session.answer("upper")
    result = session.answer("neck")
    assert result.closed and not result.correct
    assert result.explanation == ""
    assert result.correct_answer == "The lower back"
    assert result.sources == ("cleveland_clinic",)


# --- no right answer ----------------------------------------------------------------------


@pytest.mark.parametrize("pick", ["tight", "sharp", "none_yet"])
def test_a_single_choice_with_no_right_answer_notes_any_pick(pick) -> None:
    """Any pick closes the question, neither right nor wrong, with 0 points and its own feedback."""
    result = session_for("how_it_feels").answer(pick)
    assert (result.scored, result.correct, result.score, result.points) == (False, False, 0.0, 0.0)
    assert (result.closed, result.attempts_left, result.correct_answer) == (True, 0, "")
    question = fields_quiz().questions[0]
    choice = next(c for c in question.answers if c.id == pick)
    assert [(f.id, f.chosen, f.correct, f.explanation) for f in result.feedback] == [
        (pick, True, None, choice.explanation)
    ]
    assert result.explanation == ""


def test_multiple_answers_with_no_right_answer_give_each_picks_feedback() -> None:
    """Each picked option's feedback is shown, none marked right or wrong; the explanation too."""
    result = session_for("what_helped").answer(["rest", "moving"])
    assert not result.scored and result.closed and result.points == 0.0
    assert [(f.id, f.correct, f.explanation) for f in result.feedback] == [
        ("moving", None, "Staying active helps most people."),
        ("rest", None, ""),
    ]
    assert result.explanation.startswith("People find different things help")


def test_a_question_with_no_right_answer_says_so_and_gets_one_try() -> None:
    """Its view states the noted rule and one try, though the quiz gives two."""
    view = session_for("how_it_feels").current
    assert (view.scoring, view.tries_rule, view.attempts_allowed) == (
        NOTED_RULE,
        "You have 1 try.",
        1,
    )


def test_a_question_with_no_right_answer_is_recorded_without_verdict() -> None:
    """The recorder keeps the pick with no correctness and no score, and the next as usual."""
    steps = Steps()
    session = QuizSession(fields_quiz(), seed=0, recorder=steps, topic_titles={})
    session.answer("sharp")
    session.next()
    session.answer(["heat"])
    session.next()
    session.answer("lower")
    assert [(s["item_id"], s["answer"], s["correct"], s["score"]) for s in steps.steps] == [
        ("how_it_feels", "sharp", None, None),
        ("what_helped", frozenset({"heat"}), None, None),
        ("where", "lower", True, 1.0),
    ]


def test_the_summary_counts_only_scored_questions() -> None:
    """Out of 4 points, not 6: unscored questions are in no topic, never to review, not in share."""
    session = QuizSession(fields_quiz(), seed=0, topic_titles={})
    for answer in ("tight", ["moving"], "lower", 38, "4/5", "spasm"):
        session.answer(answer)
        session.next()
    summary = session.summary()
    assert (summary.score, summary.max_score, summary.share) == (4.0, 4, 1.0)
    assert (summary.answered, summary.right_first_time, summary.unscored) == (6, 4, 2)
    assert {topic.topic for topic in summary.topics} == {
        "what_is_a_back_spasm",
        "when_to_get_help",
        "how_common",
    }
    assert summary.questions_to_review == () and summary.did_well
    assert [q.scored for q in summary.questions] == [False, False, True, True, True, True]
    assert max_points(fields_quiz()) == 4


# --- near misses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "correct"),
    [
        ("spasn", True),  # one letter of five wrong: 1 - 1/5 = 0.8, at the threshold
        ("SPAZM", True),  # capitals do not count, as in jupyterquiz
        ("spasmm", True),  # one extra letter of six: 0.83
        ("spsm", True),  # one letter missing, of five: 0.8
        ("spaan", False),  # two of five wrong: 0.6
        ("spaasmm", False),  # two extra of seven: 0.71
    ],
)
def test_a_near_miss_counts_at_the_fuzzy_threshold(typed, correct) -> None:
    """With fuzzy_threshold 0.8, an answer 80% alike (Levenshtein) counts; a farther one does not."""
    assert session_for("spasm_word").answer(typed).correct is correct


def test_a_higher_threshold_refuses_the_same_near_miss() -> None:
    """At 0.9 the one-letter slip of five (0.8 alike) no longer counts."""
    assert not session_for("spasm_word", fuzzy_threshold=0.9).answer("spasn").correct


def test_a_near_miss_of_an_expected_wrong_answer_gets_its_feedback() -> None:
    """A typed answer nearest an expected wrong answer matches it, wrong, with its feedback."""
    result = session_for("spasm_word").answer("sprainn")
    assert not result.correct
    assert [(f.id, f.correct, f.explanation) for f in result.feedback] == [
        ("sprain", False, "A sprain hurts a ligament, not a muscle.")
    ]


def test_match_case_also_counts_in_the_similarity() -> None:
    """With match_case, capitals are letters that differ: "Spasn" is 0.6 alike, so refused."""
    session = session_for("spasm_word", match_case=True)
    assert not session.answer("Spasn").correct
    assert session.answer("spasn").correct


def test_the_scoring_rule_states_the_threshold() -> None:
    """The shown rule tells the learner how near a near miss must be."""
    assert session_for("spasm_word").current.scoring.endswith(
        "An answer spelt a little differently also counts when at least 80% of it matches, "
        "letter by letter."
    )


# --- fractions and ranges -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "number", "correct"),
    [
        ("4/5", 0.8, True),
        (" 4 / 5 ", 0.8, True),
        ("8/10", 0.8, True),
        ("0.8", 0.8, True),
        (0.8, 0.8, True),
        ("-1/3", -1 / 3, False),
        ("5/6", 5 / 6, False),
    ],
)
def test_a_typed_fraction_counts_as_its_number(typed, number, correct) -> None:
    """A fraction is read as the number it stands for and scored like it."""
    result = session_for("share_of_adults").answer(typed)
    assert result.answer == pytest.approx(number)
    assert result.correct is correct


def test_fractions_count_in_every_numeric_question() -> None:
    """The all-types quiz's numeric question (80 percent, no ranges) takes 160/2 as right."""
    quiz = fixture_quiz(questions=(fixture_quiz().questions[5],))
    assert QuizSession(quiz, seed=0).answer("160/2").correct


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1/0", NONZERO_BELOW),
        (" 3 / 0.0 ", NONZERO_BELOW),
        ("4/5/6", "a number, such as 12, 0.5 or 5/6"),
        ("four fifths", "a number, such as 12, 0.5 or 5/6"),
        ("1/", "a number, such as 12, 0.5 or 5/6"),
        ("inf", "a finite number"),
        ("1e308/1e-308", "a finite number"),
    ],
)
def test_a_fraction_over_zero_or_not_a_number_is_refused_without_using_a_try(
    typed, expected
) -> None:
    """Division by zero and text that is not a number raise InputError and use no try."""
    session = session_for("share_of_adults")
    with pytest.raises(InputError) as caught:
        session.answer(typed)
    assert caught.value.expected == expected
    assert not session.current_closed and session.current.attempts_used == 0


@pytest.mark.parametrize(
    ("value", "correct", "feedback"),
    [
        (38.5, True, []),
        (101, True, [("range0", "100.4 to 104 degrees", True)]),
        (100.4, True, [("range0", "100.4 to 104 degrees", True)]),
        (104, True, [("range0", "100.4 to 104 degrees", True)]),
        (104.01, False, []),
        (37, False, [("range1", "36 to 37.4 degrees", False)]),
        (37.4, False, [("range1", "36 to 37.4 degrees", False)]),
        (37.45, False, []),
        (5, False, []),
    ],
)
def test_ranges_add_right_numbers_and_expected_wrong_ones_ends_included(
    value, correct, feedback
) -> None:
    """A number in a right range counts; one in a wrong range gets that range's feedback."""
    result = session_for("fever_number").answer(value)
    assert result.correct is correct
    assert [(f.id, f.text, f.correct) for f in result.feedback] == feedback


def test_a_numeric_key_names_the_right_ranges() -> None:
    """Once closed, the key gives the answer, its margin and the other right numbers."""
    session = session_for("fever_number")
    session.answer(5)
    result = session.answer(5)
    assert (
        result.correct_answer
        == "38 degrees (answers within 0.5 count); also right: 100.4 to 104 degrees"
    )
