"""A Markdown quiz in the quiz view: sanitised HTML with math in HTMLMath; plain quizzes unchanged."""

from __future__ import annotations

import dataclasses
import html

import ipywidgets as widgets
import pytest

from backspasm_edu.content.loader import ContentFile, assemble
from backspasm_edu.content.model import Quiz
from backspasm_edu.widgets.answer_controls import CONTROLS, RICH_CONTROLS, control_for
from backspasm_edu.widgets.quiz_view import QuizView
from tests.builders import DATA, fixture_quiz, reference_files
from tests.widgets.helpers import state_json, unlabelled

pytestmark = pytest.mark.usefixtures("callbacks_raise")


def markdown_quiz() -> Quiz:
    """The Markdown fixture quiz, validated like any instructor file."""
    text = (DATA / "markdown_quiz.yaml").read_text()
    reference = reference_files("sources", "glossary", "topic")
    library = assemble([*reference, ContentFile("markdown_quiz.yaml", text, "quiz")])
    assert library.problems == []
    return library.quizzes["markdown_math"]


def view_of(question_id: str) -> QuizView:
    """A view of the Markdown quiz asking only this question, keeping nothing."""
    return QuizView(markdown_quiz(), seed=0, questions=[question_id], record=False)


def test_the_loader_reads_text_format_and_keeps_plain_the_default():
    """text_format: markdown is read; a quiz that does not say it is plain."""
    assert markdown_quiz().text_format == "markdown"
    assert fixture_quiz().text_format == "plain"


def test_a_bad_text_format_is_refused_in_words():
    """A text_format other than plain or markdown is one problem naming the field."""
    text = (
        (DATA / "markdown_quiz.yaml")
        .read_text()
        .replace("text_format: markdown", "text_format: html")
    )
    reference = reference_files("sources", "glossary", "topic")
    problems = assemble([*reference, ContentFile("bad.yaml", text, "quiz")]).problems
    assert len(problems) == 1
    assert "text_format" in str(problems[0])


def test_markdown_prompt_is_sanitised_html_with_math_and_code_in_htmlmath():
    """The prompt is HTMLMath holding the rendered Markdown: math as written, code lines, no script."""
    view = view_of("square")
    assert isinstance(view.prompt, widgets.HTMLMath)
    markup = view.prompt.value
    assert markup.startswith(
        "<p>Which is $x_1^2$ when $x_1 = 3$? Mind \\(a_i\\) and $b_i$ too.</p>"
    )
    assert "<p>$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$</p>" in markup
    assert "<code>x_1 = 3\nprint(x_1 ** 2)\n</code></pre>" in markup
    assert ">$n$</th>" in markup
    assert (
        '<a href="https://example.org/squares" target="_blank" rel="noopener noreferrer">More</a>'
        in markup
    )
    assert "__pwned" not in state_json(view)
    for banned in ("<script", "onerror"):
        assert banned not in markup


def test_markdown_options_with_markup_are_html_labelled_tick_boxes_of_which_one_stays():
    """Rich single-choice options are tick boxes labelled with their HTML; ticking one unticks."""
    view = view_of("square")
    boxes = view.controls
    assert [type(box) for box in boxes] == [widgets.Checkbox] * 3
    assert all(box.description_allow_html for box in boxes)
    assert [box.description for box in boxes] == [
        "$9$",
        "<strong>six</strong> ($6$)",
        "<code>x_1 * 2</code>",
    ]
    assert unlabelled(view) == []
    boxes[0].value = True
    boxes[1].value = True
    assert [box.value for box in boxes] == [False, True, False]
    assert RICH_CONTROLS["single_choice"].read(view.session.current, boxes) == "six"


def test_rich_single_choice_with_nothing_ticked_uses_no_try():
    """Check with no box ticked asks for an answer and leaves both tries."""
    view = view_of("square")
    view.check_button.click()
    assert "Pick an answer first." in view.feedback.value
    assert view.session.current.attempts_used == 0


def test_markdown_feedback_shows_option_html_and_explanations_with_math():
    """Per-option feedback and the explanation carry the sanitised HTML and the math as written."""
    view = view_of("square")
    assert isinstance(view.feedback, widgets.HTMLMath)
    view.controls[2].value = True
    view.check_button.click()
    first = view.feedback.value
    assert "<strong><code>x_1 * 2</code></strong>: not right, and you picked it." in first
    assert '<p>Code <a target="_blank" rel="noopener noreferrer">doubles</a> it.</p>' in first
    view.controls[1].value = True
    view.check_button.click()
    closed = view.feedback.value
    assert "The right answer: $9$" in closed
    assert "<strong><strong>six</strong> ($6$)</strong>: not right, and you picked it." in closed
    assert "<p>That is $3 \\times 2$, not <em>squared</em>.</p>" in closed
    assert "<p>Right: $3 \\cdot 3 = 9$.</p>" in closed
    assert "<p>Squaring: $3^2 = 9$, <strong>not</strong> $3 \\times 2$.</p>" in closed
    assert "javascript" not in closed
    assert "__pwned" not in state_json(view)


def test_rich_single_choice_shows_a_reloaded_answer_again():
    """show() ticks the answer the session read, and read() gives it back."""
    view = view_of("square")
    control = control_for(view.session.current, "markdown")
    fresh = control.build(view.session.current, "markdown")
    control.show(view.session.current, fresh, "code")
    assert [box.value for box in fresh] == [False, False, True]
    assert control.read(view.session.current, fresh) == "code"


def test_markdown_options_without_markup_keep_radio_buttons_with_their_text():
    """Options of plain words keep the radio group, labelled with the text as written."""
    view = view_of("words")
    assert isinstance(view.controls[0], widgets.RadioButtons)
    assert view.controls[0].options == (("One", "one"), ("Two & three", "two"), ("Cat", "cat"))
    assert view.prompt.value == "<p>Pick the <em>odd</em> word out.</p>"


def test_markdown_multiple_answers_with_math_are_html_labelled_tick_boxes():
    """Tick boxes of a multiple-answers question show their HTML, math for MathJax to typeset."""
    view = view_of("pick_math")
    assert [box.description for box in view.controls] == [
        "$2^2$",
        "$\\sqrt{16}$",
        "<strong>five</strong>",
    ]
    assert all(box.description_allow_html for box in view.controls)
    view.controls[0].value = True
    view.controls[1].value = True
    assert [box.value for box in view.controls] == [True, True, False]


def test_markdown_matching_labels_items_with_html_and_targets_with_text():
    """A matching item with math is an HTML label; dropdown entries show text without markup."""
    view = view_of("match_math")
    cube, square = view.controls
    assert (cube.description, cube.description_allow_html) == ("$2^3$", True)
    assert (square.description, square.description_allow_html) == ("three squared", False)
    assert cube.options == (("eight", "eight"), ("nine", "nine"))


def test_a_plain_quiz_is_shown_exactly_as_before():
    """A plain quiz keeps HTML widgets, escaped text and radio buttons, Markdown signs and all."""
    quiz = fixture_quiz()
    single = next(question for question in quiz.questions if question.id == "single")
    marked = dataclasses.replace(single, prompt="Is *this* <b>bold</b>, $x_1$?")
    view = QuizView(
        dataclasses.replace(quiz, questions=(marked,)), seed=0, questions=["single"], record=False
    )
    assert type(view.prompt) is widgets.HTML
    assert type(view.feedback) is widgets.HTML
    assert view.prompt.value == f"<p>{html.escape(marked.prompt)}</p>"
    assert isinstance(view.controls[0], widgets.RadioButtons)
    assert control_for(view.session.current, "plain") is CONTROLS["single_choice"]
    view.controls[0].value = "neck"
    view.check_button.click()
    assert "<strong>The neck</strong>: not right, and you picked it. Not the back.</li>" in (
        view.feedback.value
    )


def test_markdown_summary_lists_a_missed_prompt_as_html():
    """The results list a missed Markdown question by its prompt's HTML, in an HTMLMath widget."""
    view = view_of("words")
    for wrong in ("one", "two"):
        view.controls[0].value = wrong
        view.check_button.click()
    view.next_button.click()
    assert isinstance(view.summary, widgets.HTMLMath)
    assert "Pick the <em>odd</em> word out." in view.summary.value
