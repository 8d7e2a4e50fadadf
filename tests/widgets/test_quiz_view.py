"""The quiz views, headless: controls per type, feedback from the engine, summary, no key leaks."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from typing import Any

import ipywidgets as widgets
import pytest

from backspasm_edu import InputError
from backspasm_edu.content.course import app_teaching
from backspasm_edu.content.loader import load_library
from backspasm_edu.content.model import Quiz
from backspasm_edu.engines.quiz import SCORING_INTRO
from backspasm_edu.widgets.answer_controls import CONTROLS
from backspasm_edu.widgets.course import course_header
from backspasm_edu.widgets.quiz_view import QuizPicker, QuizView
from tests.builders import fixture_quiz, short_text_quiz
from tests.widgets.helpers import markup_of, state_json, unlabelled, visible_text, walk

RIGHT: dict[str, Any] = {
    "single": "lower",
    "multiple": ["lifting", "sitting", "stress"],
    "truth": "false",
    "order": ["acute", "subacute", "chronic"],
    "match": {"numb": "now", "knee": "visit", "fever": "now"},
    "number": 75.0,
}
WRONG: dict[str, Any] = {
    "single": "neck",
    "multiple": ["sunshine"],
    "truth": "true",
    "order": ["chronic", "acute", "subacute"],
    "match": {"numb": "visit", "knee": "now", "fever": "visit"},
    "number": 5.0,
}
WRONG_AGAIN: dict[str, Any] = {  # a second, different wrong answer (true/false has one try)
    "single": "upper",
    "multiple": ["sunshine", "lifting"],
    "order": ["subacute", "chronic", "acute"],
    "match": {"numb": "visit", "knee": "visit", "fever": "visit"},
}
EXPLANATIONS = {question.id: question.explanation for question in fixture_quiz().questions}


pytestmark = pytest.mark.usefixtures("callbacks_raise")


def one_question(question_id: str) -> QuizView:
    """A fresh view of the fixture quiz asking only the given question."""
    return QuizView(fixture_quiz(), seed=3, questions=[question_id])


def set_answer(view: QuizView, answer: Any) -> None:
    """Set the current question's controls the way a learner would, from ids and values."""
    question = view.session.current
    assert question is not None
    if question.type == "multiple_answers":
        for box, option in zip(view.controls, question.options, strict=True):
            box.value = option.id in answer
    elif question.type == "ordering":
        for dropdown, item_id in zip(view.controls, answer, strict=True):
            dropdown.value = item_id
    elif question.type == "matching":
        for dropdown, option in zip(view.controls, question.options, strict=True):
            dropdown.value = answer[option.id]
    elif question.type == "numeric":
        view.controls[0].value = str(answer)
    else:
        view.controls[0].value = answer


def answer(view: QuizView, response: Any) -> str:
    """Set the controls, click Check, and return the feedback as a learner reads it."""
    set_answer(view, response)
    view.check_button.click()
    return visible_text(view.feedback)


def closed_state(view: QuizView) -> tuple[bool, bool, bool]:
    """Whether the controls, Check and Next are disabled."""
    controls = all(control.disabled for control in view.controls)
    return controls, view.check_button.disabled, view.next_button.disabled


def packaged_quizzes() -> list[Quiz]:
    """Every packaged quiz."""
    return list(load_library().quizzes.values())


def explanations(quiz: Quiz) -> dict[str, list[str]]:
    """Every explanation of each question of a quiz, the question's and its options'."""
    return {
        question.id: [
            text
            for text in (question.explanation, *(c.explanation for c in question.answers))
            if text
        ]
        for question in quiz.questions
    }


def leaked(state: str, texts: list[str]) -> list[str]:
    """The texts found in widget state JSON, raw or as HTML-escaped text."""
    return [
        text
        for text in texts
        if any(json.dumps(form)[1:-1] in state for form in (text, html.escape(text)))
    ]


def close_with_any_answer(view: QuizView) -> None:
    """Answer the current question with a different answer per try, until it closes."""
    question = view.session.current
    assert question is not None
    for attempt in range(question.attempts_allowed):
        if question.type in ("single_choice", "true_false"):
            view.controls[0].index = attempt % len(view.controls[0].options)
        elif question.type == "multiple_answers":
            view.controls[attempt % len(view.controls)].value = True
        elif question.type == "ordering":
            for place, dropdown in enumerate(view.controls):
                dropdown.index = (place + attempt) % len(dropdown.options)
        elif question.type == "matching":
            for dropdown in view.controls:
                dropdown.index = attempt % len(dropdown.options)
        else:
            view.controls[0].value = str(attempt)
        view.check_button.click()
        if view.session.current_closed:
            return
    raise AssertionError("the answers set above were not accepted")


@pytest.mark.parametrize("question_id", list(RIGHT))
def test_right_answer_of_each_type_closes_with_explanation(question_id: str) -> None:
    """A right answer of any type shows ✓ Right, full score, explanation and sources, and closes."""
    view = one_question(question_id)
    text = answer(view, RIGHT[question_id])
    assert "✓ Right" in text
    assert "Points for this question: 1 of 1." in text
    assert EXPLANATIONS[question_id] in html.unescape(text)
    assert "Sources:" in text
    assert closed_state(view) == (True, True, False)


@pytest.mark.parametrize("question_id", list(WRONG))
def test_wrong_answer_of_each_type_hides_then_reveals_the_explanation(question_id: str) -> None:
    """A wrong answer shows ✗ Not quite; the explanation and right answer come only at closing."""
    view = one_question(question_id)
    text = answer(view, WRONG[question_id])
    assert "✗ Not quite" in text and "Points for this question: 0 of 1." in text
    if question_id not in ("number", "truth"):  # these allow one try only
        assert "1 try left" in text
        assert EXPLANATIONS[question_id] not in html.unescape(text)
        assert closed_state(view) == (False, False, True)
        text = answer(view, WRONG_AGAIN[question_id])
        assert "try left" not in text
    assert EXPLANATIONS[question_id] in html.unescape(text)
    assert "The right answer:" in text
    assert closed_state(view) == (True, True, False)


def test_multiple_answers_partial_credit_reads_partly_right() -> None:
    """Two of three right picks show ◐ Partly right with 0.6 of the point (one decimal, never 0.67)."""
    view = one_question("multiple")
    text = answer(view, ["lifting", "sitting"])
    assert "◐ Partly right: 1 try left" in text
    assert "Points for this question: 0.6 of 1." in text


def test_wrong_pick_is_explained_before_closing_and_every_option_after() -> None:
    """Before closing only the wrong pick is explained; at closing every option is, in words."""
    view = one_question("single")
    text = answer(view, "upper")
    assert "✗ The upper back : not right, and you picked it. Less common." in text
    assert "Not the back." not in text
    text = answer(view, "neck")
    assert "✓ The lower back : a right answer. Yes, the low back." in text
    assert "✗ The neck : not right, and you picked it. Not the back." in text


def test_retry_after_a_wrong_answer_can_still_be_right() -> None:
    """A wrong first try leaves the controls open, and a right second try closes as right."""
    view = one_question("match")
    answer(view, WRONG["match"])
    assert not any(control.disabled for control in view.controls)
    text = answer(view, RIGHT["match"])
    assert "✓ Right" in text and EXPLANATIONS["match"] in text
    assert view.session.summary().right_first_time == 0


def test_next_is_disabled_until_the_question_closes() -> None:
    """Next is disabled on a fresh question, clicking it does nothing, and it works once closed."""
    view = QuizView(fixture_quiz(shuffle_questions=False), seed=0)
    assert view.next_button.disabled
    view.next_button.click()
    assert "Question 1 of 6" in visible_text(view.progress)
    answer(view, RIGHT["single"])
    assert not view.next_button.disabled
    view.next_button.click()
    assert "Question 2 of 6" in visible_text(view.progress)
    assert view.next_button.disabled and not view.check_button.disabled
    assert view.feedback.value == ""


def test_summary_by_topic_review_and_start_again() -> None:
    """The end shows points per topic, topics to review and right first time; Start again resets."""
    view = QuizView(fixture_quiz(shuffle_questions=False, attempts=1), seed=0)
    for question in fixture_quiz().questions:
        answer(view, RIGHT[question.id] if question.id == "single" else WRONG[question.id])
        view.next_button.click()
    text = visible_text(view)
    topics = load_library().topics
    assert "You scored 1 of 6 points" in text
    assert "Right first time: 1 of 6 questions" in text
    assert f"{topics['what_is_a_back_spasm'].title} 1 of 1" in text
    assert f"{topics['how_common'].title} 0 of 2" in text
    review = text.split("Topics to review")[1].split("Questions to look at again")[0]
    assert "(you earned less than 80% of their points)" in review
    for topic_id in ("causes", "treatments", "how_common", "when_to_get_help"):
        assert topics[topic_id].title in review
    assert topics["what_is_a_back_spasm"].title not in review
    assert "Well done" not in text
    assert view.restart_button in list(walk(view))
    view.restart_button.click()
    assert "Question 1 of 6" in visible_text(view.progress)
    assert view.session.summary().answered == 0
    assert not view.check_button.disabled and view.next_button.disabled


@pytest.mark.parametrize(
    ("question_id", "response", "message"),
    [
        ("single", None, "⚠ Pick an answer first."),
        ("truth", None, "⚠ Pick True or False first."),
        ("multiple", [], "⚠ Pick at least one answer first."),
        ("order", [None, None, None], "⚠ Put an item in every place first"),
        ("order", ["acute", "acute", "chronic"], "⚠ Put an item in every place first"),
        ("match", {"numb": "now", "knee": None, "fever": "now"}, "⚠ Pick a match for every item"),
    ],
)
def test_incomplete_answer_warns_in_words_and_uses_no_attempt(
    question_id: str, response: Any, message: str
) -> None:
    """An incomplete answer shows a plain ⚠ message, uses no try, and leaves the question open."""
    view = one_question(question_id)
    text = answer(view, response)
    assert message in text and "This did not use a try." in text
    assert "Traceback" not in text and "expected" not in text
    assert closed_state(view) == (False, False, True)
    answer(view, WRONG[question_id])
    assert view.session.current_result is not None
    assert view.session.current_result.attempt == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "⚠ Type a number first."),
        ("  ", "⚠ Type a number first."),
        ("eighty", "⚠ That is not a number: type one such as 12, 0.5 or 5/6."),
        ("nan", "⚠ That is not a number: type one such as 12, 0.5 or 5/6."),
    ],
)
def test_numeric_box_without_a_number_warns_and_uses_no_try(typed: str, message: str) -> None:
    """Check with an empty box or text that is not a number shows ⚠ and uses no try."""
    view = one_question("number")
    view.controls[0].value = typed
    view.check_button.click()
    assert message in visible_text(view.feedback)
    assert view.session.summary().answered == 0
    assert "✓ Right" in answer(view, "75.5")


def test_clicking_check_twice_records_one_attempt() -> None:
    """A second click on Check after the question closes records nothing and changes nothing."""
    view = one_question("single")
    answer(view, RIGHT["single"])
    before = view.feedback.value
    view.check_button.click()
    assert view.feedback.value == before
    assert view.session.summary().right_first_time == 1


def test_changing_the_answer_after_checking_keeps_the_recorded_result() -> None:
    """Setting another answer after closing and clicking Check leaves score and feedback as they were."""
    view = one_question("order")
    answer(view, RIGHT["order"])
    before = view.feedback.value
    answer(view, WRONG["order"])
    assert view.feedback.value == before
    assert view.session.summary().score == 1.0


def test_numeric_question_shows_its_unit() -> None:
    """A numeric question has an empty "Answer" box with its unit shown beside it."""
    view = one_question("number")
    assert isinstance(view.controls[0], widgets.Text) and view.controls[0].value == ""
    assert view.controls[0].description == "Answer"
    assert "percent" in visible_text(view)


def test_questions_keeps_only_those_ids_in_that_order() -> None:
    """The questions argument asks just those questions, in the order given."""
    view = QuizView(fixture_quiz(), seed=0, questions=["match", "single"])
    assert "Question 1 of 2" in visible_text(view.progress)
    assert view.session.current is not None and view.session.current.id == "match"
    with pytest.raises(InputError, match="questions"):
        QuizView(fixture_quiz(), questions=["single", "no_such_question"])


@pytest.mark.parametrize("quiz", [fixture_quiz(), *packaged_quizzes()], ids=lambda quiz: quiz.id)
def test_fresh_view_state_holds_no_key_and_no_explanation(quiz: Quiz) -> None:
    """A fresh view's widget state has no correct flag and no explanation of any question."""
    state = state_json(QuizView(quiz, seed=0))
    assert '"correct"' not in state
    assert leaked(state, [text for texts in explanations(quiz).values() for text in texts]) == []


@pytest.mark.parametrize("quiz", [fixture_quiz(), *packaged_quizzes()], ids=lambda quiz: quiz.id)
def test_after_one_answer_only_that_questions_explanations_appear(quiz: Quiz) -> None:
    """Once one question closes, its explanation shows and no other question's does."""
    view = QuizView(quiz, seed=0)
    question = view.session.current
    assert question is not None
    close_with_any_answer(view)
    state = state_json(view)
    texts = explanations(quiz)
    assert leaked(state, [texts[question.id][0]]) == texts[question.id][:1]
    others = [text for other, found in texts.items() if other != question.id for text in found]
    assert leaked(state, others) == []
    assert '"correct"' not in state


def test_controls_match_each_question_type() -> None:
    """Each type gets its native controls, none of them with an answer picked."""
    kinds = {
        "single": (widgets.RadioButtons, 1),
        "truth": (widgets.RadioButtons, 1),
        "multiple": (widgets.Checkbox, 4),
        "order": (widgets.Dropdown, 3),
        "match": (widgets.Dropdown, 3),
        "number": (widgets.Text, 1),
    }
    for question_id, (kind, count) in kinds.items():
        controls = one_question(question_id).controls
        assert len(controls) == count and all(isinstance(c, kind) for c in controls)
        assert all(c.value in (None, False, "") for c in controls)
    truth = one_question("truth").controls[0]
    assert truth.options == (("True", "true"), ("False", "false"))
    order = one_question("order").controls
    assert [dropdown.description for dropdown in order] == ["1st", "2nd", "3rd"]
    match = one_question("match").controls
    assert [dropdown.description for dropdown in match] == [
        "Numb when wiping",
        "Pain below the knee",
        "Fever",
    ]


@pytest.mark.parametrize("question_id", list(RIGHT))
def test_every_control_has_a_readable_name(question_id: str) -> None:
    """Every control of every question type, the summary and the picker has a name or label."""
    view = one_question(question_id)
    assert unlabelled(view) == []
    close_with_any_answer(view)
    view.next_button.click()
    assert view.session.finished and unlabelled(view) == []
    assert unlabelled(QuizPicker()) == []


def test_quiz_picker_starts_each_packaged_quiz() -> None:
    """The picker lists every packaged quiz by title, describes it, and starts one view at a time."""
    picker = QuizPicker()
    quizzes = load_library().quizzes
    assert picker.picker.description == "Choose a quiz"
    assert [label for label, _ in picker.picker.options] == [q.title for q in quizzes.values()]
    assert picker.view is None
    for quiz in quizzes.values():
        picker.picker.value = quiz.id
        assert quiz.description in html.unescape(visible_text(picker))
        picker.start_button.click()
        assert isinstance(picker.view, QuizView)
        assert picker.view.session.quiz_id == quiz.id
        assert f"Question 1 of {len(quiz.questions)}" in visible_text(picker.view.progress)
        assert sum(isinstance(child, QuizView) for child in picker.children) == 1


def test_all_right_summary_has_nothing_to_review() -> None:
    """When every answer is right first time the summary praises, saying the 80% mark, and lists nothing."""
    view = QuizView(fixture_quiz(shuffle_questions=False), seed=0)
    for question in fixture_quiz().questions:
        answer(view, RIGHT[question.id])
        view.next_button.click()
    text = visible_text(view)
    assert "You scored 6 of 6 points" in text and "Right first time: 6 of 6" in text
    assert "✓ Well done: you earned at least 80% of the points on every topic." in text
    assert "Topics to review" not in text and "Questions to look at again" not in text


def test_short_text_box_is_labelled_and_a_typed_right_answer_closes() -> None:
    """A short-text question shows an empty labelled text box; a right answer in any case closes."""
    view = QuizView(short_text_quiz(), seed=0)
    assert len(view.controls) == 1 and isinstance(view.controls[0], widgets.Text)
    assert (view.controls[0].value, view.controls[0].description) == ("", "Answer")
    assert unlabelled(view) == []
    view.controls[0].value = "  Muscle Spasm "
    view.check_button.click()
    text = html.unescape(visible_text(view.feedback))
    assert "✓ Right" in text and "A spasm is a sudden squeeze" in text and "Sources:" in text
    assert closed_state(view) == (True, True, False)


@pytest.mark.parametrize("typed", ["", "   "])
def test_short_text_empty_box_warns_and_uses_no_try(typed: str) -> None:
    """Check on an empty short-text box shows ⚠ Type your answer first and uses no try."""
    view = QuizView(short_text_quiz(), seed=0)
    view.controls[0].value = typed
    view.check_button.click()
    text = visible_text(view.feedback)
    assert "⚠ Type your answer first." in text and "This did not use a try." in text
    assert view.session.summary().answered == 0
    view.controls[0].value = "sprain"
    view.check_button.click()
    text = html.unescape(visible_text(view.feedback))
    assert "1 try left" in text and "A sprain hurts a ligament" in text
    assert "A spasm is a sudden squeeze" not in text and "The right answer" not in text


def test_short_text_widget_state_holds_no_accepted_answer() -> None:
    """Before and after a wrong try, widget state has no accepted answer or its explanation."""
    view = QuizView(short_text_quiz(), seed=0)
    secrets = ["muscle spasm", "Yes: a spasm.", "A spasm is a sudden squeeze", '"spasm"']
    assert [secret for secret in secrets if secret in state_json(view)] == []
    view.controls[0].value = "cramp"
    view.check_button.click()
    assert [secret for secret in secrets if secret in state_json(view)] == []


def test_checking_the_same_wrong_answer_twice_uses_one_try() -> None:
    """A double click on Check (or Check again unchanged) spends one try; a new answer spends another."""
    view = one_question("single")
    first = answer(view, WRONG["single"])
    view.check_button.click()
    assert visible_text(view.feedback) == first
    assert view.session.current_closed is False
    answer(view, RIGHT["single"])
    assert view.session.current_closed is True


def with_tries(quiz: Quiz, tries: int) -> Quiz:
    """The quiz with every question set to this many tries (two-answer questions keep one)."""
    questions = tuple(dataclasses.replace(q, attempts=tries) for q in quiz.questions)
    return dataclasses.replace(quiz, attempts=tries, questions=questions)


def finish_quiz(view: QuizView, first_try_right: set[str], responses: dict[str, Any]) -> str:
    """Answer every question (right first time if in the set, else wrong, then the response)."""
    while not view.session.finished:
        question_id = view.session.current.id
        if question_id not in first_try_right:
            answer(view, WRONG[question_id])
        if not view.session.current_closed:
            answer(view, responses[question_id])
        view.next_button.click()
    return visible_text(view)


def test_the_scoring_rules_show_under_the_title_before_question_1() -> None:
    """A line under the quiz title says how points work before the first question."""
    text = html.unescape(visible_text(QuizView(fixture_quiz(), seed=0)))
    assert text.index("Every question type") < text.index(SCORING_INTRO)
    assert text.index(SCORING_INTRO) < text.index("Question 1 of 6")
    assert "A later try earns half as much." in SCORING_INTRO


def test_each_question_says_its_tries_and_how_many_are_used() -> None:
    """A question with two tries says so, what a later try earns, and "0 of 2 tries used"."""
    view = one_question("single")
    text = visible_text(view)
    assert "You have 2 tries. A later try earns half as much." in text
    assert "0 of 2 tries used." in text
    answer(view, WRONG["single"])
    assert "1 of 2 tries used." in visible_text(view)


@pytest.mark.parametrize("question_id", ["single", "multiple", "order", "match"])
def test_right_on_the_second_try_shows_half_a_point(question_id: str) -> None:
    """Of each type with two tries, right after a wrong try reads ✓ Right on try 2 with 0.5 of 1."""
    view = one_question(question_id)
    answer(view, WRONG[question_id])
    text = answer(view, RIGHT[question_id])
    assert "✓ Right on try 2" in text
    assert "Points for this question: 0.5 of 1. A later try earns half as much" in text
    assert "2 of 2 tries used." in visible_text(view)
    assert view.session.summary().score == 0.5


def test_a_typed_answer_right_on_the_second_try_shows_half_a_point() -> None:
    """A short-text answer right after a wrong try earns 0.5 of 1."""
    view = QuizView(short_text_quiz(), seed=0)
    view.controls[0].value = "sprain"
    view.check_button.click()
    view.controls[0].value = "spasm"
    view.check_button.click()
    assert "Points for this question: 0.5 of 1." in visible_text(view.feedback)


def test_a_numeric_answer_right_on_the_second_try_shows_half_a_point() -> None:
    """A numeric answer right after a wrong try (two tries set) earns 0.5 of 1."""
    view = QuizView(with_tries(fixture_quiz(), 2), seed=0, questions=["number"])
    answer(view, WRONG["number"])
    assert "Points for this question: 0.5 of 1." in answer(view, RIGHT["number"])


def test_true_or_false_gets_one_try_even_when_the_quiz_gives_three() -> None:
    """A true/false question says it has one try because of its two answers; one wrong try closes it."""
    view = QuizView(with_tries(fixture_quiz(), 3), seed=0, questions=["truth"])
    text = visible_text(view)
    assert "You have 1 try, as there are only two answers to pick from." in text
    assert "0 of 1 try used." in text
    result = answer(view, WRONG["truth"])
    assert "✗ Not quite" in result and "try left" not in result
    assert "The right answer: False" in result
    assert closed_state(view) == (True, True, False)


def test_a_choice_of_two_gets_one_try_even_when_the_quiz_gives_three() -> None:
    """A single choice cut to two options gets one try: a wrong pick closes it with the key."""
    quiz = with_tries(fixture_quiz(), 3)
    single = dataclasses.replace(quiz.questions[0], answers=quiz.questions[0].answers[:2])
    view = QuizView(dataclasses.replace(quiz, questions=(single,)), seed=0)
    assert "You have 1 try, as there are only two answers to pick from." in visible_text(view)
    assert "The right answer: The lower back" in answer(view, "upper")
    assert closed_state(view) == (True, True, False)


def test_no_point_a_learner_sees_has_more_than_one_decimal() -> None:
    """Part-right answers (2/3, 1/3) show as 0.6 and 0.3; topics and total add them up: 4.5 of 6."""
    part_right = {
        "multiple": ["lifting", "sitting"],
        "order": ["acute", "chronic", "subacute"],
        "match": {"numb": "now", "knee": "now", "fever": "now"},
    }
    view = QuizView(fixture_quiz(shuffle_questions=False, attempts=1), seed=0)
    shown = []
    for question in fixture_quiz().questions:
        shown.append(answer(view, part_right.get(question.id, RIGHT[question.id])))
        view.next_button.click()
    text = visible_text(view)
    assert "You scored 4.5 of 6 points" in text
    assert f"{load_library().topics['how_common'].title} 1.3 of 2" in text
    assert "Points for this question: 0.6 of 1." in shown[1]
    assert re.findall(r"\d\.\d\d", " ".join([*shown, text])) == []


def test_the_summary_never_praises_when_nothing_was_right_first_time() -> None:
    """Right only on second tries: "Right first time: 0 of 6", topics to review, and no "Well done"."""
    view = QuizView(with_tries(fixture_quiz(shuffle_questions=False), 2), seed=0)
    text = finish_quiz(view, set(), RIGHT)
    assert "Right first time: 0 of 6 questions" in text
    assert "Well done" not in text
    assert "Topics to review (you earned less than 80% of their points)" in text
    assert "You scored 2.5 of 6 points" in text  # five at half a point; true/false had one try


def test_review_lists_each_missed_or_part_right_question_with_a_link_to_its_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each question not right first time is listed by prompt, marked, and linked to its topic's app."""
    monkeypatch.setenv("QUERY_STRING", "learner=Sam&code=k3y")
    course_header("06_quiz")  # the quiz page, as its first cell draws it
    view = QuizView(with_tries(fixture_quiz(shuffle_questions=False), 2), seed=0)
    partly = dict(RIGHT, multiple=["lifting", "sitting"])
    finish_quiz(view, {"single", "order"}, partly)
    markup = markup_of(view.summary)
    items = re.findall(r"<li>(.*?)</li>", markup.split("Questions to look at again")[1])
    questions = {question.id: question for question in fixture_quiz().questions}
    expected = {
        "multiple": "◐ Part right (0.3 of 1)",
        "truth": "✗ Missed (0 of 1)",
        "match": "◐ Right on a later try (0.5 of 1)",
        "number": "◐ Right on a later try (0.5 of 1)",
    }
    assert len(items) == len(expected)
    for item, (question_id, verdict) in zip(items, expected.items(), strict=True):
        question = questions[question_id]
        app = app_teaching(question.topic)
        assert app is not None
        assert verdict in re.sub(r"<[^>]+>", "", item)
        assert html.escape(question.prompt) in item
        link = f'<a href="{app.id}.ipynb?learner=Sam&amp;code=k3y">{html.escape(app.title)}</a>'
        assert f"Read about it: {link}" in item


RESUMABLE: dict[str, tuple[str, Any, Any]] = {
    "single": ("all_types", WRONG["single"], RIGHT["single"]),
    "multiple": ("all_types", WRONG["multiple"], RIGHT["multiple"]),
    "order": ("all_types", WRONG["order"], RIGHT["order"]),
    "match": ("all_types", WRONG["match"], RIGHT["match"]),
    "number": ("all_types", WRONG["number"], RIGHT["number"]),
    "tight_muscle": ("short_text", "sprain", "spasm"),
}
"""A question of each type with two tries: its quiz, a wrong answer and the right one."""


def reload_view(quiz_name: str, question_id: str) -> QuizView:
    """A new view of one question for the learner Ana, as a page reload makes it."""
    quiz = with_tries(fixture_quiz() if quiz_name == "all_types" else short_text_quiz(), 2)
    return QuizView(quiz, seed=3, questions=[question_id], learner="Ana")


def set_any_answer(view: QuizView, response: Any) -> None:
    """Set the controls to a response, typed or picked, whatever the question's type."""
    if view.session.current.type == "short_text":
        view.controls[0].value = response
    else:
        set_answer(view, response)


def wrong_try_then_reload(question_id: str) -> tuple[QuizView, QuizView]:
    """One wrong try at the question, then a reload: the view before it and the one after."""
    quiz_name, wrong, _right = RESUMABLE[question_id]
    view = reload_view(quiz_name, question_id)
    set_any_answer(view, wrong)
    view.check_button.click()
    return view, reload_view(quiz_name, question_id)


@pytest.mark.parametrize("question_id", list(RESUMABLE))
def test_a_reload_mid_question_shows_the_answer_tries_used_and_feedback(question_id: str) -> None:
    """After one wrong try and a reload: the answer picked, "1 of 2 tries used", the same feedback."""
    view, reloaded = wrong_try_then_reload(question_id)
    question = view.session.current
    given = CONTROLS[question.type].read(question, view.controls)
    assert CONTROLS[question.type].read(question, reloaded.controls) == given
    assert "1 of 2 tries used." in visible_text(reloaded)
    assert visible_text(reloaded.feedback) == visible_text(view.feedback)
    assert "Not quite: 1 try left" in visible_text(reloaded.feedback)
    assert closed_state(reloaded) == (False, False, True)


@pytest.mark.parametrize("question_id", list(RESUMABLE))
def test_after_a_reload_the_next_check_is_the_second_try(question_id: str) -> None:
    """After a reload, Check unchanged spends nothing; a right answer then is try 2, worth 0.5."""
    _view, reloaded = wrong_try_then_reload(question_id)
    reloaded.check_button.click()
    assert reloaded.session.current_result.attempt == 1
    set_any_answer(reloaded, RESUMABLE[question_id][2])
    reloaded.check_button.click()
    text = visible_text(reloaded.feedback)
    assert "✓ Right on try 2" in text and "0.5 of 1" in text
    assert closed_state(reloaded) == (True, True, False)


def test_after_a_reload_a_second_wrong_try_closes_with_the_right_answer() -> None:
    """The issue's case: wrong, reload, wrong again closes the question, as its 2 of 2 tries."""
    _view, reloaded = wrong_try_then_reload("single")
    text = answer(reloaded, WRONG_AGAIN["single"])
    assert "The right answer: The lower back" in text
    assert "2 of 2 tries used." in visible_text(reloaded)


def test_every_control_shows_back_an_answer_the_session_read() -> None:
    """For every type in CONTROLS, show() sets fresh controls so that read() gives the answer again."""
    cases = [(fixture_quiz(), question_id, RIGHT[question_id]) for question_id in RIGHT]
    cases.append((short_text_quiz(), "tight_muscle", "muscle spasm"))
    covered = set()
    for quiz, question_id, response in cases:
        view = QuizView(quiz, seed=0, questions=[question_id], record=False)
        set_any_answer(view, response)
        question = view.session.current
        control = CONTROLS[question.type]
        given = control.read(question, view.controls)
        view.check_button.click()
        fresh = control.build(question)
        control.show(question, fresh, view.session.current_result.answer)
        assert control.read(question, fresh) == given
        covered.add(question.type)
    assert covered == set(CONTROLS)
