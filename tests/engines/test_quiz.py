"""The quiz engine: every question type, partial credit, retries, seeded order, hidden key."""

from __future__ import annotations

import dataclasses
import json
import typing
from importlib import resources
from pathlib import Path

import pytest

from backspasm_edu import InputError, QuizSession, SessionError
from backspasm_edu.content.loader import ContentFile, assemble, load_library, packaged_files
from backspasm_edu.content.model import QuestionType
from backspasm_edu.engines.questions import KINDS
from backspasm_edu.engines.quiz import (
    LATER_TRY_SHARE,
    REVIEW_BELOW,
    SCORING_INTRO,
    SCORING_RULES,
    QuizSummary,
    TopicResult,
    quick_check,
    try_points,
)
from tests.builders import fixture_quiz, short_text_quiz

DATA = Path(__file__).parents[1] / "data"


def session_at(question_id: str, seed: int = 1, **changes) -> QuizSession:
    """A fresh session moved (by answering) to the question with the given id."""
    session = QuizSession(fixture_quiz(shuffle_questions=False, **changes), seed=seed)
    order = [q.id for q in fixture_quiz().questions]
    for _ in range(order.index(question_id)):
        answer_wrong_until_closed(session)
        session.next()
    return session


WRONG_ANSWERS = {
    "single_choice": "neck",
    "multiple_answers": ["sunshine"],
    "true_false": True,
    "ordering": ["chronic", "subacute", "acute"],
    "matching": {"numb": "visit", "knee": "now", "fever": "visit"},
    "numeric": 5,
}
"""A well-formed wrong answer to the fixture quiz's question of each type."""
RIGHT_ANSWERS = {
    "single": "lower",
    "multiple": ["lifting", "sitting", "stress"],
    "truth": False,
    "order": ["acute", "subacute", "chronic"],
    "match": {"numb": "now", "knee": "visit", "fever": "now"},
    "number": 80,
}
"""The right answer to each question of the fixture quiz, by question id."""


def answer_wrong_until_closed(session: QuizSession) -> None:
    """Use up the current question's attempts with a well-formed answer."""
    response = WRONG_ANSWERS[session.current.type]
    while not session.current_closed:
        session.answer(response)


def test_single_choice_right_answer_closes_with_explanation() -> None:
    """A right single-choice answer scores 1, closes the question and reveals the explanation."""
    session = session_at("single")
    result = session.answer("lower")
    assert (result.correct, result.score, result.closed) == (True, 1.0, True)
    assert result.explanation == "The lower back is the most common place."
    assert result.correct_answer == "The lower back"
    assert result.sources == ("cleveland_clinic",)


def test_wrong_answer_with_retry_left_hides_the_key() -> None:
    """A wrong first try says how many tries remain and explains only the wrong pick."""
    session = session_at("single")
    result = session.answer("upper")
    assert (result.correct, result.score, result.closed, result.attempts_left) == (
        False,
        0.0,
        False,
        1,
    )
    assert result.explanation == ""
    assert result.correct_answer == ""
    assert [(f.id, f.correct) for f in result.feedback] == [("upper", False)]
    assert result.can_retry


def test_out_of_attempts_closes_and_reveals_everything() -> None:
    """After the last wrong try the question closes and every option's feedback is shown."""
    session = session_at("single")
    session.answer("upper")
    result = session.answer("neck")
    assert result.closed and not result.correct
    assert result.correct_answer == "The lower back"
    assert {f.id for f in result.feedback} == {"lower", "upper", "neck"}


def test_answering_a_closed_question_raises_session_error() -> None:
    """Checking a closed question again raises SessionError and records nothing."""
    session = session_at("single")
    session.answer("lower")
    with pytest.raises(SessionError):
        session.answer("lower")
    assert session.summary().score == 1.0


@pytest.mark.parametrize(
    ("picks", "score", "correct"),
    [
        (["lifting", "sitting", "stress"], 1.0, True),
        (["lifting", "sitting"], 2 / 3, False),
        (["lifting", "sunshine"], 0.0, False),
        (["lifting", "sitting", "stress", "sunshine"], 2 / 3, False),
        (["sunshine"], 0.0, False),
    ],
)
def test_multiple_answers_partial_credit(picks, score, correct) -> None:
    """Each right pick adds a share, each wrong pick removes one, never below 0."""
    result = session_at("multiple").answer(picks)
    assert result.score == pytest.approx(score)
    assert result.correct is correct


def test_true_false() -> None:
    """True/false accepts a bool or the shown option id and scores it against the key."""
    assert [o.id for o in session_at("truth").current.options] == ["true", "false"]
    assert session_at("truth").answer(False).correct
    assert session_at("truth").answer("false").correct
    assert not session_at("truth").answer(True).correct
    assert not session_at("truth").answer("true").correct


def test_ordering_scores_share_in_place_and_never_starts_in_order() -> None:
    """Ordering earns a share per item in place; the shown order is never already right."""
    for seed in range(30):
        session = session_at("order", seed=seed)
        assert [o.id for o in session.current.options] != ["acute", "subacute", "chronic"]
    session = session_at("order")
    assert session.answer(["acute", "chronic", "subacute"]).score == pytest.approx(1 / 3)
    assert session.answer(["acute", "subacute", "chronic"]).correct


def test_matching_scores_share_of_pairs() -> None:
    """Matching earns a share per right pair and is correct only when all match."""
    session = session_at("match")
    partial = session.answer({"numb": "now", "knee": "now", "fever": "now"})
    assert partial.score == pytest.approx(2 / 3) and not partial.correct
    assert session.answer({"numb": "now", "knee": "visit", "fever": "now"}).correct


@pytest.mark.parametrize(
    ("value", "correct"), [(80, True), (70, True), (90.0, True), (69.5, False), (91, False)]
)
def test_numeric_tolerance(value, correct) -> None:
    """A numeric answer within the tolerance is right; outside it is wrong."""
    assert session_at("number").answer(value).correct is correct


def test_question_attempts_override_the_quiz_setting() -> None:
    """A question's own attempts (1 here) beat the quiz's (2): one wrong answer closes it."""
    result = session_at("number").answer(5)
    assert result.closed and result.attempts_left == 0


@pytest.mark.parametrize(
    ("question_id", "response", "message"),
    [
        ("single", "nope", "answer: expected one option id"),
        ("single", None, "answer: expected one option id"),
        ("multiple", [], "answer: expected at least one option picked, got none"),
        ("multiple", "lifting", "answer: expected a list of option ids"),
        ("multiple", ["lifting", "x"], "answer: expected option ids from"),
        ("truth", "no", "answer: expected True, False, 'true' or 'false', got 'no'"),
        ("order", ["acute", "subacute"], "answer: expected each of"),
        ("match", {"numb": "now"}, "answer: expected a match for each of"),
        (
            "match",
            {"numb": "now", "knee": "x", "fever": "now"},
            "answer['knee']: expected a target id",
        ),
        ("number", "eighty", "answer: expected a number, such as 12, 0.5 or 5/6, got 'eighty'"),
        ("number", True, "answer: expected a number, got True"),
        ("number", float("nan"), "answer: expected a finite number"),
    ],
)
def test_malformed_answer_raises_input_error_and_uses_no_attempt(
    question_id, response, message
) -> None:
    """A malformed response raises InputError naming the answer and costs no attempt."""
    session = session_at(question_id)
    with pytest.raises(InputError) as caught:
        session.answer(response)
    assert str(caught.value).startswith(message)
    assert not session.current_closed
    assert session.summary().answered == 0 or question_id != "single"


def test_same_seed_same_order_and_different_seeds_differ() -> None:
    """Shuffling is reproducible by seed and varies between seeds."""

    def order(seed: int) -> list[tuple[str, tuple[str, ...]]]:
        session = QuizSession(fixture_quiz(), seed=seed)
        seen = []
        while not session.finished:
            seen.append((session.current.id, tuple(o.id for o in session.current.options)))
            answer_wrong_until_closed(session)
            session.next()
        return seen

    assert order(3) == order(3)
    assert len({tuple(order(seed)) for seed in range(6)}) > 1


def test_question_view_holds_no_answer_key() -> None:
    """The view of every question carries no correctness flag, explanation or match."""
    session = QuizSession(fixture_quiz(), seed=0)
    while not session.finished:
        view = session.current
        text = repr(view)
        quiz_question = next(q for q in fixture_quiz().questions if q.id == view.id)
        assert quiz_question.explanation not in text
        assert "correct=" not in text and "explanation=" not in text
        assert "match=" not in text
        for choice in quiz_question.answers:
            if choice.explanation:
                assert choice.explanation not in text
        answer_wrong_until_closed(session)
        session.next()


def test_next_requires_a_closed_question_and_stops_at_the_end() -> None:
    """next() refuses to skip an open question and reports the end of the quiz."""
    session = QuizSession(fixture_quiz(), seed=0)
    with pytest.raises(SessionError):
        session.next()
    for _ in range(session.total):
        answer_wrong_until_closed(session)
        session.next()
    assert session.finished and session.current is None
    with pytest.raises(SessionError):
        session.answer("lower")
    with pytest.raises(SessionError):
        session.next()


def test_summary_by_topic_lists_weak_topics_to_review() -> None:
    """The summary totals points per topic and lists topics under 80 % for review."""
    session = QuizSession(fixture_quiz(shuffle_questions=False), seed=0)
    session.answer("lower")
    session.next()
    session.answer(["lifting", "sitting"])
    session.answer(["lifting", "sitting"])
    session.next()
    summary = session.summary()
    assert summary.answered == 2 and summary.right_first_time == 1
    topics = {t.topic: t for t in summary.topics}
    assert topics["what_is_a_back_spasm"].share == 1.0
    assert topics["causes"].score == 0.6  # 2 of 3 picks, rounded down to one decimal
    assert topics["causes"].title == load_library().topics["causes"].title
    review = [t.topic for t in summary.to_review]
    assert "causes" in review and "what_is_a_back_spasm" not in review
    assert summary.max_score == 6


def test_restart_clears_attempts_and_keeps_order() -> None:
    """restart() goes back to question 1 with no attempts and the same order."""
    session = QuizSession(fixture_quiz(), seed=5)
    first = session.current
    answer_wrong_until_closed(session)
    session.next()
    assert session.restart() == first
    assert session.summary().answered == 0


def test_packaged_quiz_loads_by_id_and_unknown_id_suggests() -> None:
    """A packaged quiz loads by id; a mistyped id raises InputError with a suggestion."""
    session = QuizSession("when_to_seek_care", seed=1)
    assert session.total >= 10
    with pytest.raises(InputError, match="did you mean"):
        QuizSession("when_to_seek_cares")


# --- short text ---------------------------------------------------------------------------


def short_text_problems(text: str) -> list[str]:
    """Problem lines for a short-text quiz file validated against the packaged references."""
    reference = [f for f in packaged_files() if f.kind in ("sources", "glossary", "topic")]
    library = assemble([*reference, ContentFile("short_text.yaml", text, "quiz")])
    return [str(problem) for problem in library.problems]


@pytest.mark.parametrize("typed", ["spasm", "Spasm", "  SPASM ", "muscle   spasm", "Muscle Spasm"])
def test_short_text_accepts_each_answer_ignoring_case_and_spaces(typed) -> None:
    """Any accepted answer counts, whatever its capitals and extra spaces, and closes with the key."""
    result = QuizSession(short_text_quiz(), seed=0).answer(typed)
    assert (result.correct, result.score, result.closed) == (True, 1.0, True)
    assert result.correct_answer == "spasm (also accepted: muscle spasm)"
    assert result.explanation.startswith("A spasm is")
    assert result.sources == ("cleveland_clinic",)


def test_short_text_feedback_belongs_to_the_matched_answer() -> None:
    """A typed answer gets the feedback written for it; an unforeseen one gets none and no key."""
    session = QuizSession(short_text_quiz(), seed=0)
    unforeseen = session.answer("cramp")
    assert (unforeseen.correct, unforeseen.closed, unforeseen.feedback) == (False, False, ())
    assert unforeseen.correct_answer == "" and unforeseen.explanation == ""
    session.restart()
    foreseen = session.answer(" Sprain")
    assert not foreseen.correct and not foreseen.closed
    assert [(f.id, f.chosen, f.correct, f.explanation) for f in foreseen.feedback] == [
        ("sprain", True, False, "A sprain hurts a ligament, not a muscle.")
    ]
    assert foreseen.correct_answer == ""
    right = session.answer("spasm")
    assert [(f.id, f.correct, f.explanation) for f in right.feedback] == [
        ("spasm", True, "Yes: a spasm.")
    ]


def test_short_text_match_case_makes_capitals_count() -> None:
    """With match_case the capitals must match, and the shown scoring rule says so."""
    session = QuizSession(short_text_quiz(), seed=0)
    session.answer("spasm")
    view = session.next()
    assert view.id == "short_name" and "capital letters do." in view.scoring
    result = session.answer("nhs")
    assert (result.correct, result.closed, result.correct_answer) == (False, True, "NHS")
    session.restart()
    session.answer("spasm")
    session.next()
    assert session.answer(" NHS ").correct


@pytest.mark.parametrize(
    ("response", "message"),
    [
        ("", "answer: expected some typed text, got nothing"),
        ("  \t ", "answer: expected some typed text, got nothing"),
        (5, "answer: expected typed text, got 5"),
        (None, "answer: expected typed text, got None"),
    ],
)
def test_short_text_empty_or_non_text_raises_input_error_and_uses_no_attempt(
    response, message
) -> None:
    """An empty box or a value that is not text raises InputError and costs no attempt."""
    session = QuizSession(short_text_quiz(), seed=0)
    with pytest.raises(InputError) as caught:
        session.answer(response)
    assert str(caught.value) == message
    assert not session.current_closed
    assert session.answer("wrong").attempts_left == 1


def test_short_text_view_holds_no_accepted_answer() -> None:
    """The question view of a short-text question shows no options, answers or feedback."""
    quiz = short_text_quiz()
    view = QuizSession(quiz, seed=0).current
    assert view.type == "short_text" and view.options == () and view.targets == ()
    text = repr(dataclasses.replace(view, topic="")).lower()  # the topic id says "spasm"
    question = quiz.questions[0]
    assert question.explanation.lower() not in text
    for answer in question.answers:
        assert answer.text not in text
        assert not answer.explanation or answer.explanation.lower() not in text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "muscle_spasm, text: muscle spasm,",
            "muscle_spasm, text: Spasm,",
            "questions[0].answers[1].text: expected each answer text once (spaces and capital letters ignored), got 'Spasm' after 'spasm'",
        ),
        (
            "{id: nhs, text: NHS, correct: true}",
            "{id: nhs, text: NHS}",
            "questions[1].answers: expected at least 1 correct answer, got 0",
        ),
        (
            "match_case: true",
            "match_case: yes please",
            "questions[1].match_case: expected true or false, got the text 'yes please'",
        ),
        (
            "{id: sprain, text: sprain,",
            "{id: sprain, text: ' ',",
            "questions[0].answers[2].text: expected text a learner can type, got ' '",
        ),
    ],
)
def test_short_text_content_is_checked_when_loaded(old, new, message) -> None:
    """Repeated or untypeable answers, no accepted answer, or a bad match_case are refused."""
    text = (DATA / "short_text.yaml").read_text()
    assert text.count(old) == 1
    assert short_text_problems(text.replace(old, new)) == [f"short_text.yaml: {message}"]


def test_short_text_one_answer_is_enough_and_match_case_belongs_to_it() -> None:
    """A short-text question may list one answer; match_case on another type is refused."""
    assert short_text_quiz().questions[1].answers[0].text == "NHS"
    text = (DATA / "all_types.yaml").read_text().replace("unit: percent", "match_case: true")
    reference = [f for f in packaged_files() if f.kind in ("sources", "glossary", "topic")]
    problems = assemble([*reference, ContentFile("all_types.yaml", text, "quiz")]).problems
    assert [str(p) for p in problems] == [
        "all_types.yaml: questions[5].match_case: expected no 'match_case' key in a numeric question"
    ]


def test_every_question_type_has_one_kind_in_the_registry() -> None:
    """Each question type the model and the quiz schema know has one QuestionKind, with a rule."""
    schema = json.loads(
        resources.files("backspasm_edu").joinpath("content", "schemas", "quiz.json").read_text()
    )
    found = []
    for value in _walk(schema):
        if isinstance(value, dict) and value.get("enum", [None])[0] == "single_choice":
            found.append(set(value["enum"]))
    assert set(typing.get_args(QuestionType)) == set(KINDS) == max(found, key=len)
    for kind_type, kind in KINDS.items():
        assert kind.type == kind_type
        assert kind.rule == SCORING_RULES[kind_type]


def _walk(value: object) -> list[object]:
    """Every dict and list inside a JSON value, the value itself first."""
    found = [value]
    children = (
        value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    )
    for child in children:
        found.extend(_walk(child))
    return found


def test_a_quick_check_is_titled_as_one_not_as_the_whole_quiz() -> None:
    """A quiz cut to some questions says so in its title, and keeps its progress apart."""
    quiz = fixture_quiz()
    picked = [question.id for question in quiz.questions[:3]]
    check = quick_check(quiz, picked)
    assert check.title == f"Quick check: 3 questions from \u201c{quiz.title}\u201d"
    assert check.id == f"{quiz.id}:check"
    assert quick_check(quiz, picked[:1]).title.startswith("Quick check: 1 question from")


def two_option_quiz(**changes):
    """The fixture quiz with its single choice cut to two options and its ordering to two items."""
    quiz = fixture_quiz(shuffle_questions=False, **changes)
    cut = {
        "single": lambda q: dataclasses.replace(q, answers=q.answers[:2]),
        "order": lambda q: dataclasses.replace(q, items=q.items[:2]),
    }
    return dataclasses.replace(
        quiz, questions=tuple(cut.get(q.id, lambda q: q)(q) for q in quiz.questions)
    )


def session_on(quiz, question_id: str) -> QuizSession:
    """A session of the quiz, in written order, moved (by right answers) to the given question."""
    session = QuizSession(quiz, seed=1)
    while session.current.id != question_id:
        session.answer(RIGHT_ANSWERS[session.current.id])
        session.next()
    return session


@pytest.mark.parametrize(
    ("score", "attempt", "points"),
    [
        (1.0, 1, 1.0),
        (1.0, 2, 0.5),
        (1.0, 3, 0.5),
        (2 / 3, 1, 0.6),
        (2 / 3, 2, 0.3),
        (1 / 3, 1, 0.3),
        (0.7, 1, 0.7),
        (0.96, 1, 0.9),
        (0.0, 1, 0.0),
    ],
)
def test_try_points_halve_a_later_try_and_round_down_to_one_decimal(score, attempt, points):
    """A try earns its score, half after the first try, rounded down to one decimal place."""
    assert try_points(score, attempt) == points
    assert LATER_TRY_SHARE == 0.5


@pytest.mark.parametrize(
    ("question_id", "wrong", "right"),
    [
        ("single", "neck", "lower"),
        ("multiple", ["sunshine"], ["lifting", "sitting", "stress"]),
        ("order", ["chronic", "acute", "subacute"], ["acute", "subacute", "chronic"]),
        (
            "match",
            {"numb": "visit", "knee": "now", "fever": "visit"},
            {"numb": "now", "knee": "visit", "fever": "now"},
        ),
    ],
)
def test_right_on_the_second_try_earns_half_a_point(question_id, wrong, right) -> None:
    """Of every type with two tries, a right second answer is correct but earns 0.5, not 1."""
    session = session_at(question_id)
    assert session.answer(wrong).points == 0.0
    result = session.answer(right)
    assert (result.correct, result.score, result.points, result.closed) == (True, 1.0, 0.5, True)
    session.next()
    summary = session.summary()
    [question] = [q for q in summary.questions if q.id == question_id]
    assert (question.points, question.right, question.right_first_time) == (0.5, True, False)
    assert summary.right_first_time == 0


def test_right_on_the_second_try_of_a_typed_answer_earns_half_a_point() -> None:
    """A short-text answer right on its second try earns 0.5."""
    session = QuizSession(short_text_quiz(), seed=0)
    session.answer("sprain")
    assert session.answer("spasm").points == 0.5


def test_the_best_try_counts_so_trying_again_never_loses_points() -> None:
    """2 of 3 right first (0.6), then all right (0.5 on a later try): the question keeps 0.6."""
    session = session_at("multiple")
    assert session.answer(["lifting", "sitting"]).points == 0.6
    assert session.answer(["lifting", "sitting", "stress"]).points == 0.6


def test_a_part_right_later_try_earns_half_its_share() -> None:
    """Matching 2 of 3 on the second try (after 0) earns half of 2/3, rounded down: 0.3."""
    session = session_at("match")
    session.answer({"numb": "visit", "knee": "now", "fever": "visit"})
    result = session.answer({"numb": "now", "knee": "now", "fever": "now"})
    assert (result.score, result.points, result.closed) == (pytest.approx(2 / 3), 0.3, True)


@pytest.mark.parametrize("question_id", ["truth", "single", "order"])
def test_a_question_with_two_possible_answers_gets_one_try(question_id) -> None:
    """True/false, a choice of two and two items to order get 1 try, whatever the content says."""
    quiz = two_option_quiz(attempts=3)
    quiz = dataclasses.replace(
        quiz,
        questions=tuple(dataclasses.replace(q, attempts=4) for q in quiz.questions),
    )
    session = session_on(quiz, question_id)
    view = session.current
    assert view.attempts_allowed == 1
    assert view.tries_rule == "You have 1 try, as there are only two answers to pick from."
    wrong = {"truth": True, "single": "upper", "order": [o.id for o in view.options]}
    result = session.answer(wrong[question_id])
    assert (result.correct, result.closed, result.attempts_left, result.points) == (
        False,
        True,
        0,
        0.0,
    )
    assert result.correct_answer


def test_a_choice_of_three_keeps_the_quizs_tries() -> None:
    """A single choice with three options keeps the quiz's tries and says what a later try earns."""
    view = session_on(fixture_quiz(shuffle_questions=False, attempts=3), "single").current
    assert view.attempts_allowed == 3
    assert view.tries_rule == "You have 3 tries. A later try earns half as much."


def test_the_scoring_rules_state_the_numbers_the_engine_uses() -> None:
    """The quiz-wide rules name a full point first time, half later, part credit, best try, one try for two answers."""
    assert LATER_TRY_SHARE == 0.5 and "A later try earns half as much." in SCORING_INTRO
    for words in ("worth 1 point", "first try", "part of the point", "best try counts"):
        assert words in SCORING_INTRO
    assert "only two answers to pick from gets one try" in SCORING_INTRO


def finish(session: QuizSession, right_first_time: set[str]):
    """Answer every question: right first time if in the set, else wrong, then right if it can."""
    while not session.finished:
        question = session.current
        if question.id not in right_first_time:
            session.answer(WRONG_ANSWERS[question.type])
        if not session.current_closed:
            session.answer(RIGHT_ANSWERS[question.id])
        session.next()
    return session.summary()


def test_a_summary_praises_only_when_every_topic_reaches_the_mark() -> None:
    """All right first time: every topic at 100 %, praise, nothing to look at again."""
    summary = finish(QuizSession(fixture_quiz(), seed=2), set(RIGHT_ANSWERS))
    assert (summary.score, summary.right_first_time) == (6.0, 6)
    assert summary.did_well and summary.to_review == ()
    assert summary.questions_to_review == ()


def test_a_summary_never_praises_when_nothing_was_right_first_time() -> None:
    """Right only on second tries (the issue's case): 0 right first time, no praise, all listed."""
    quiz = fixture_quiz(shuffle_questions=False)
    quiz = dataclasses.replace(
        quiz, questions=tuple(dataclasses.replace(q, attempts=2) for q in quiz.questions)
    )
    summary = finish(QuizSession(quiz, seed=2), set())
    assert summary.right_first_time == 0
    assert not summary.did_well
    assert {topic.topic for topic in summary.to_review} == {q.topic for q in quiz.questions}
    assert [q.id for q in summary.questions_to_review] == [q.id for q in quiz.questions]
    assert summary.score == 2.5  # five right second tries at 0.5; true/false had one try


def test_the_mark_is_reached_at_exactly_80_percent() -> None:
    """A topic at 80 % of its points needs no review; at 70 % it does."""
    assert REVIEW_BELOW == 0.8
    at_mark = QuizSummary("q", "Q", 4.0, 5, 5, 3, (TopicResult("t", "T", 4.0, 5),))
    below = QuizSummary("q", "Q", 3.5, 5, 5, 3, (TopicResult("t", "T", 3.5, 5),))
    assert at_mark.did_well and not below.did_well
    assert [topic.topic for topic in below.to_review] == ["t"]


def test_summary_points_are_tenths_that_add_up() -> None:
    """Part-right answers give points to one decimal; topics and total are their sums."""
    session = QuizSession(fixture_quiz(shuffle_questions=False, attempts=1), seed=0)
    session.answer("lower")  # 1
    session.next()
    session.answer(["lifting", "sitting"])  # 2/3 -> 0.6
    session.next()
    session.answer(False)  # 1
    session.next()
    session.answer(["acute", "chronic", "subacute"])  # 1/3 -> 0.3
    session.next()
    session.answer({"numb": "now", "knee": "now", "fever": "now"})  # 2/3 -> 0.6
    session.next()
    session.answer(80)  # 1
    session.next()
    summary = session.summary()
    assert [q.points for q in summary.questions] == [1.0, 0.6, 1.0, 0.3, 0.6, 1.0]
    assert summary.score == 4.5
    assert sum(topic.score for topic in summary.topics) == pytest.approx(summary.score)
    assert {topic.topic: topic.score for topic in summary.topics}["how_common"] == 1.3
    assert [q.id for q in summary.questions_to_review] == ["multiple", "order", "match"]
