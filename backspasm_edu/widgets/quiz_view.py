"""Quiz views: one question at a time with native controls, engine feedback, a summary by topic."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from backspasm_edu.content.loader import load_library, load_quiz
from backspasm_edu.content.model import Quiz, TextFormat
from backspasm_edu.engines.quiz import (
    REVIEW_BELOW,
    AnswerResult,
    OptionFeedback,
    QuestionResult,
    QuestionView,
    QuizSession,
    QuizSummary,
    quick_check,
    scoring_intro,
)
from backspasm_edu.errors import InputError
from backspasm_edu.progress import ProgressStore, resume_quiz
from backspasm_edu.render.record import points_text
from backspasm_edu.render.rich_text import block_html, inline_html
from backspasm_edu.widgets._common import (
    SYMBOLS,
    Tone,
    button,
    escape,
    feedback_html,
    focus_region,
    move_focus,
    not_saved_html,
    source_links,
)
from backspasm_edu.widgets._picker import ActivityPicker
from backspasm_edu.widgets.answer_controls import control_for
from backspasm_edu.widgets.course import next_step_html, topic_link_html
from backspasm_edu.widgets.progress_panel import learner_from_page, open_store

__all__ = ["QuizPicker", "QuizView"]


_NOT_CHECKED = object()
"""The last checked answer of a question nobody has checked yet."""


def _tries_used(used: int, allowed: int) -> str:
    """How many of a question's tries are used: "1 of 2 tries used"."""
    tries = "try" if allowed == 1 else "tries"
    return f"<small>{used} of {allowed} {tries} used.</small>"


def _option_line(option: OptionFeedback, text_format: TextFormat) -> str:
    """One option's feedback as a list item, in words and a symbol."""
    if option.correct is None:
        verdict, symbol = "you picked it", SYMBOLS["info"]
    elif option.correct:
        verdict = "a right answer, and you picked it" if option.chosen else "a right answer"
        symbol = SYMBOLS["right"]
    else:
        verdict = "not right, and you picked it" if option.chosen else "not right"
        symbol = SYMBOLS["wrong"]
    explanation = ""
    if option.explanation:
        explanation = (
            f" {escape(option.explanation)}"
            if text_format == "plain"
            else block_html(option.explanation, text_format)
        )
    return (
        f'<li><span aria-hidden="true">{symbol}</span> '
        f"<strong>{inline_html(option.text, text_format)}</strong>: {verdict}.{explanation}</li>"
    )


def _result_html(result: AnswerResult, text_format: TextFormat) -> str:
    """The engine's verdict on one attempt, in words and a symbol."""
    if not result.scored:
        return _noted_html(result, text_format)
    tone: Tone
    if result.correct:
        tone = "right"
        headline = "Right" if result.attempt == 1 else f"Right on try {result.attempt}"
    elif result.score > 0:
        tone, headline = "partly", "Partly right"
    else:
        tone, headline = "wrong", "Not quite"
    if not result.closed:
        tries = "try" if result.attempts_left == 1 else "tries"
        headline += f": {result.attempts_left} {tries} left"
    later = " A later try earns half as much; your best try counts." if result.attempt > 1 else ""
    parts = [f"<p>Points for this question: {points_text(result.points)} of 1.{later}</p>"]
    if not result.closed:
        parts.append("<p>Change your answer, then press Check again.</p>")
    if result.closed and not result.correct and result.correct_answer:
        parts.append(f"<p>The right answer: {inline_html(result.correct_answer, text_format)}</p>")
    parts.append(_explained_html(result, text_format))
    return feedback_html(tone, headline, "".join(parts))


def _noted_html(result: AnswerResult, text_format: TextFormat) -> str:
    """An answer to a question with no right answer: noted, its feedback, and no points."""
    parts = ["<p>This question has no right or wrong answer, so it earns no points.</p>"]
    parts.append(_explained_html(result, text_format))
    return feedback_html("info", "Noted", "".join(parts))


def _explained_html(result: AnswerResult, text_format: TextFormat) -> str:
    """The options' feedback, then the explanation and sources, when the result has them."""
    parts = []
    if result.feedback:
        lines = "".join(_option_line(option, text_format) for option in result.feedback)
        parts.append(f'<ul style="margin:0.3em 0;padding-left:1.2em">{lines}</ul>')
    if result.explanation:
        parts.append(block_html(result.explanation, text_format))
    if result.sources:
        parts.append(f"<p>{source_links(result.sources)}</p>")
    return "".join(parts)


class QuizView(widgets.VBox):
    """A quiz, one question at a time: controls, Check, feedback, Next, and a final summary.

    ``questions`` keeps only those question ids, asked in that order, for a short check in a
    notebook. Every verdict, score and explanation comes from the QuizSession. The session
    records each answer in the progress store (``store``, else the default one) for
    ``learner`` (else the name in the page address) and resumes their latest run; pass
    ``record=False`` for a quiz that keeps nothing.
    """

    def __init__(
        self,
        quiz: str | Quiz,
        *,
        seed: int | None = None,
        questions: Sequence[str] | None = None,
        learner: str | None = None,
        store: ProgressStore | None = None,
        record: bool = True,
    ) -> None:
        super().__init__()
        chosen = load_quiz(quiz) if isinstance(quiz, str) else quiz
        if questions is not None:
            chosen = quick_check(chosen, questions)
        self.learner = learner_from_page() if learner is None else learner
        progress_store, warning = open_store(store) if record else (None, "")
        self.store_warning = widgets.HTML(warning)
        self.text_format = chosen.text_format
        # A Markdown quiz's texts are sanitised HTML (render.rich_text) whose LaTeX HTMLMath
        # typesets with the MathJax that Voila serves itself.
        text_widget = widgets.HTMLMath if self.text_format == "markdown" else widgets.HTML
        self.session = (
            resume_quiz(chosen, progress_store, self.learner, seed=seed)
            if progress_store is not None
            else QuizSession(chosen, seed=seed)
        )
        self.heading = widgets.HTML(f"<h3>{escape(self.session.title)}</h3>")
        self.scoring_intro = widgets.HTML(f"<p>{escape(scoring_intro(chosen))}</p>")
        self.progress = widgets.HTML()
        self.question_region = focus_region(self.progress)
        self.prompt = text_widget()
        self.scoring = widgets.HTML()
        self.tries_used = widgets.HTML()
        self.controls: list[Any] = []
        self.answer_box = widgets.VBox()
        self.check_button = button("Check", "Check your answer", "primary")
        self.next_button = button("Next question", "Go on to the next question")
        self.feedback = text_widget()
        self.feedback_region = focus_region(self.feedback)
        self.summary = text_widget()
        self.restart_button = button("Start again", "Start the quiz again from question 1")
        self._last_checked: object = _NOT_CHECKED
        self.check_button.on_click(self._check)
        self.next_button.on_click(self._next)
        self.restart_button.on_click(self._restart)
        self._show_question()

    def _show_question(self) -> None:
        """The current question; after a reload, with the answer, tries and verdict it had."""
        question = self.session.current
        if question is None:
            self._show_summary()
            return
        self.progress.value = f"<strong>Question {question.number} of {question.total}</strong>"
        self.prompt.value = block_html(question.prompt, self.text_format)
        self.scoring.value = (
            f"<small>How it is scored: {escape(question.scoring)} "
            f"{escape(question.tries_rule)}</small>"
        )
        self.tries_used.value = _tries_used(question.attempts_used, question.attempts_allowed)
        control = control_for(question, self.text_format)
        self.controls = control.build(question, self.text_format)
        answer_parts = list(self.controls)
        if question.unit:
            answer_parts.append(widgets.Label(question.unit))
        self.answer_box.children = control.layout(answer_parts)
        self.check_button.disabled = False
        last = question.number == question.total
        self.next_button.description = "See your results" if last else "Next question"
        self.next_button.tooltip = "Check your answer first"
        self.next_button.disabled = True
        self.feedback.value = ""
        self._last_checked = _NOT_CHECKED
        earlier = self.session.current_result
        if earlier is not None:  # tried before a reload: carry on from that try
            control.show(question, self.controls, earlier.answer)
            self._last_checked = control.read(question, self.controls)
            self._show_result(question, earlier)
        self.children = [
            self.heading,
            self.scoring_intro,
            self.store_warning,
            self.question_region,
            self.prompt,
            self.answer_box,
            self.tries_used,
            self.scoring,
            self.feedback_region,
            widgets.HBox([self.check_button, self.next_button]),
        ]

    def _check(self, _button: widgets.Button) -> None:
        question = self.session.current
        if question is None or self.session.current_closed:
            return
        control = control_for(question, self.text_format)
        response = control.read(question, self.controls)
        if response == self._last_checked:
            # A double click, or Check again on the answer just marked: keep the verdict
            # shown and the tries left, rather than spend a try on the same answer.
            return
        try:
            result = self.session.answer(response)
        except InputError as error:
            self.feedback.value = feedback_html(
                "warning", control.refusal(self.controls, error), "This did not use a try."
            )
            move_focus(self.feedback_region)
            return
        self._last_checked = response
        self._show_result(question, result)
        if self.session.save_problem:
            self.feedback.value += not_saved_html(self.session.save_problem)
        move_focus(self.feedback_region)

    def _show_result(self, question: QuestionView, result: AnswerResult) -> None:
        """A try's verdict and the tries it leaves; a closed question is locked first."""
        if result.closed:  # lock the question before the verdict shows, so none can change it
            for control in self.controls:
                control.disabled = True
            self.check_button.disabled = True
            self.next_button.disabled = False
            self.next_button.tooltip = (
                "See your results by topic"
                if question.number == question.total
                else "Go on to the next question"
            )
        self.tries_used.value = _tries_used(result.attempt, question.attempts_allowed)
        self.feedback.value = _result_html(result, self.text_format)

    def focus_start(self) -> None:
        """Put keyboard focus on the question line ("Question 1 of 10") or the results."""
        move_focus(self.question_region)

    def _next(self, _button: widgets.Button) -> None:
        if not self.session.current_closed:
            return
        self.session.next()
        self._show_question()
        self.focus_start()

    def _restart(self, _button: widgets.Button) -> None:
        self.session.restart()
        self._show_question()
        self.focus_start()

    def _show_summary(self) -> None:
        summary = self.session.summary()
        self.controls = []
        self.progress.value = (
            f"<strong>Finished: {summary.answered} of {self.session.total} questions "
            f"answered</strong>"
        )
        rows = "".join(
            f'<tr><td style="padding-right:1.5em">{escape(topic.title)}</td>'
            f"<td>{points_text(topic.score)} of {topic.max_score}</td></tr>"
            for topic in summary.topics
        )
        body = (
            f"<p>Right first time: {summary.right_first_time} of {summary.max_score} "
            f"questions.</p>{_unscored_html(summary)}"
            f'<table style="border-collapse:collapse"><caption style="text-align:left">'
            f"Points by topic</caption>"
            f'<tr><th scope="col" style="text-align:left;padding-right:1.5em">Topic</th>'
            f'<th scope="col" style="text-align:left">Points</th></tr>{rows}</table>'
            f"{_topics_verdict_html(summary)}"
            f"{_questions_to_review_html(summary, self.text_format)}"
            f"{next_step_html()}"
        )
        self.summary.value = feedback_html(
            "info",
            f"You scored {points_text(summary.score)} of {summary.max_score} points",
            body,
        )
        self.children = [
            self.heading,
            self.store_warning,
            self.question_region,
            self.summary,
            widgets.HBox([self.restart_button]),
        ]


def _unscored_html(summary: QuizSummary) -> str:
    """How many questions had no right answer and so were not scored; "" when none."""
    if not summary.unscored:
        return ""
    count = "1 question" if summary.unscored == 1 else f"{summary.unscored} questions"
    return f"<p>{count} had no right answer: your answers were noted, not scored.</p>"


def _topics_verdict_html(summary: QuizSummary) -> str:
    """Praise when every topic reached the mark (and the mark said); else the topics to review.

    Nothing when no question was scored.
    """
    if not summary.topics:
        return ""
    mark = f"{REVIEW_BELOW:.0%}"
    if summary.did_well:
        return (
            f'<p><span aria-hidden="true">{SYMBOLS["right"]}</span> Well done: you earned at '
            f"least {mark} of the points on every topic.</p>"
        )
    titles = "".join(f"<li>{escape(topic.title)}</li>" for topic in summary.to_review)
    return (
        f'<p><span aria-hidden="true">{SYMBOLS["partly"]}</span> <strong>Topics to review'
        f"</strong> (you earned less than {mark} of their points):</p>"
        f'<ul style="margin:0">{titles}</ul>'
    )


def _question_to_review_html(question: QuestionResult, text_format: TextFormat) -> str:
    """One question not right first time: how it went in words and a symbol, prompt and link."""
    if question.right:
        symbol, verdict = SYMBOLS["partly"], "Right on a later try"
    elif question.points > 0:
        symbol, verdict = SYMBOLS["partly"], "Part right"
    else:
        symbol, verdict = SYMBOLS["wrong"], "Missed"
    read = topic_link_html(question.topic)
    return (
        f'<li><span aria-hidden="true">{symbol}</span> {verdict} '
        f"({points_text(question.points)} of 1): {inline_html(question.prompt, text_format)} "
        f"{read}</li>"
    )


def _questions_to_review_html(summary: QuizSummary, text_format: TextFormat) -> str:
    """Every question that earned less than its whole point, as asked, each with its link."""
    missed = summary.questions_to_review
    if not missed:
        return ""
    items = "".join(_question_to_review_html(question, text_format) for question in missed)
    return (
        f"<p><strong>Questions to look at again</strong> (not right first time):</p>"
        f'<ul style="margin:0">{items}</ul>'
    )


class QuizPicker(ActivityPicker):
    """Who is learning, a quiz chosen by title, its description, and the quiz below.

    An unfinished quiz of the learner opens again where they left it (see ActivityPicker).
    """

    activity = "quiz"
    noun = "quiz"
    view_class = QuizView

    def __init__(self, store: ProgressStore | None = None) -> None:
        quizzes = load_library().quizzes.values()
        super().__init__(
            {quiz.id: quiz.title for quiz in quizzes},
            {quiz.id: quiz.description for quiz in quizzes},
            store,
        )
