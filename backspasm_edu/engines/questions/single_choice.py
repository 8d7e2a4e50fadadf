"""Single choice: pick the one right answer."""

from __future__ import annotations

from typing import Any

from backspasm_edu.content.model import Question
from backspasm_edu.engines.questions.base import (
    NOTED_RULE,
    OptionFeedback,
    QuestionKind,
    choice_feedback,
    ids_expected,
    right_choices,
)
from backspasm_edu.errors import InputError, show_value


class SingleChoice(QuestionKind):
    """One option id is the answer; right scores 1."""

    type = "single_choice"
    rule = "One answer is right. Right scores 1 point, wrong scores 0."

    def scoring_rule(self, question: Question) -> str:
        """The rule, or that any pick is noted when no answer is right."""
        return self.rule if question.scored else NOTED_RULE

    def only_two_answers(self, question: Question) -> bool:
        """When it offers only two options."""
        return len(question.answers) == 2

    def normalise(self, question: Question, response: Any) -> str:
        """One of the question's option ids."""
        if not isinstance(response, str) or response not in {c.id for c in question.answers}:
            raise InputError(
                "answer", f"one option id ({ids_expected(question)})", show_value(response)
            )
        return response

    def score(self, question: Question, normal: str) -> float:
        """1 for the right option, else 0."""
        return float(any(c.id == normal and c.correct for c in question.answers))

    def feedback(self, question: Question, normal: str, reveal: bool) -> tuple[OptionFeedback, ...]:
        """The pick's feedback if wrong, all once revealed; the pick's if no answer is right."""
        return choice_feedback(question, {normal}, reveal)

    def answer_key(self, question: Question) -> str:
        """The right option's text."""
        return right_choices(question)

    def recorded_text(self, question: Question, answer: Any) -> str | None:
        """The picked option's text."""
        return {choice.id: choice.text for choice in question.answers}[answer]
