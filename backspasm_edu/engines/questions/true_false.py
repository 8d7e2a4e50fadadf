"""True or false: one statement, true or false."""

from __future__ import annotations

from typing import Any

from backspasm_edu.content.model import Question
from backspasm_edu.engines.questions.base import OptionView, QuestionKind
from backspasm_edu.errors import InputError, show_value

TRUTH_OPTION_IDS = {"true": True, "false": False}
"""The option ids a true/false question shows; answering with one of them is the same as a bool."""


class TrueFalse(QuestionKind):
    """A bool, or the option id "true" or "false"; right scores 1."""

    type = "true_false"
    rule = "Right scores 1 point, wrong scores 0."

    def only_two_answers(self, question: Question) -> bool:
        """Always: true or false."""
        return True

    def options(self, question: Question, order: tuple[str, ...]) -> tuple[OptionView, ...]:
        """True, then False."""
        return tuple(
            OptionView(option_id, option_id.capitalize()) for option_id in TRUTH_OPTION_IDS
        )

    def normalise(self, question: Question, response: Any) -> bool:
        """True or False."""
        if response in TRUTH_OPTION_IDS and isinstance(response, str):
            return TRUTH_OPTION_IDS[response]
        if not isinstance(response, bool):
            raise InputError("answer", "True, False, 'true' or 'false'", show_value(response))
        return response

    def score(self, question: Question, normal: bool) -> float:
        """1 when it agrees with the statement's truth."""
        return float(normal is question.truth)

    def answer_key(self, question: Question) -> str:
        """True or False."""
        return "True" if question.truth else "False"

    def recorded_text(self, question: Question, answer: Any) -> str | None:
        """True or False."""
        if not isinstance(answer, bool):
            return None
        return "True" if answer else "False"
