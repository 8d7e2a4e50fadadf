"""Multiple answers: tick every right option; right picks earn, wrong picks cost."""

from __future__ import annotations

from collections.abc import Collection
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


class MultipleAnswers(QuestionKind):
    """A set of option ids; each right pick earns a share, each wrong one takes a share away."""

    type = "multiple_answers"
    rule = (
        "One or more answers are right. Each right pick earns a share of the point and each "
        "wrong pick takes a share away, never below 0. Only the exact set counts as correct."
    )

    def scoring_rule(self, question: Question) -> str:
        """The rule, or that any picks are noted when no answer is right."""
        return self.rule if question.scored else NOTED_RULE

    def normalise(self, question: Question, response: Any) -> frozenset[str]:
        """A non-empty set of the question's option ids."""
        ids = {choice.id for choice in question.answers}
        if isinstance(response, (str, bytes)) or not isinstance(response, Collection):
            raise InputError("answer", "a list of option ids", show_value(response))
        if not response:
            raise InputError("answer", "at least one option picked", "none")
        unknown = [item for item in response if item not in ids]
        if unknown:
            raise InputError(
                "answer", f"option ids from {ids_expected(question)}", show_value(unknown[0])
            )
        return frozenset(response)

    def score(self, question: Question, normal: frozenset[str]) -> float:
        """Right picks less wrong picks, as a share of the right ones, never below 0.

        0 when no answer is right: such a question is not scored.
        """
        right = {choice.id for choice in question.answers if choice.correct}
        if not right:
            return 0.0
        earned = len(normal & right) - len(normal - right)
        return max(0.0, earned / len(right))

    def feedback(
        self, question: Question, normal: frozenset[str], reveal: bool
    ) -> tuple[OptionFeedback, ...]:
        """The wrong picks' feedback; every option's once revealed; the picks' if none is right."""
        return choice_feedback(question, set(normal), reveal)

    def answer_key(self, question: Question) -> str:
        """The right options' texts."""
        return right_choices(question)

    def recorded_text(self, question: Question, answer: Any) -> str | None:
        """The picked options' texts, in the question's order."""
        choices = {choice.id: choice.text for choice in question.answers}
        picked = set(answer)
        if picked - set(choices):
            raise KeyError(sorted(picked - set(choices)))
        return "; ".join(text for choice_id, text in choices.items() if choice_id in picked)
