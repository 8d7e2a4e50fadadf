"""Numeric: a number, right within the question's margin."""

from __future__ import annotations

import math
from typing import Any

from backspasm_edu.content.model import Question
from backspasm_edu.engines.questions.base import OptionView, QuestionKind
from backspasm_edu.errors import InputError, show_value


class Numeric(QuestionKind):
    """A finite number; within the tolerance of the answer scores 1."""

    type = "numeric"
    rule = "An answer within the stated margin scores 1 point, anything else scores 0."

    def options(self, question: Question, order: tuple[str, ...]) -> tuple[OptionView, ...]:
        """None: the learner types a number."""
        return ()

    def normalise(self, question: Question, response: Any) -> float:
        """A finite int or float (not a bool)."""
        if isinstance(response, bool) or not isinstance(response, (int, float)):
            raise InputError("answer", "a number", show_value(response))
        if not math.isfinite(response):
            raise InputError("answer", "a finite number", show_value(response))
        return float(response)

    def score(self, question: Question, normal: float) -> float:
        """1 within the margin, else 0."""
        assert question.number is not None  # guaranteed by the schema for numeric questions
        return float(abs(normal - question.number) <= question.tolerance + 1e-9)

    def answer_key(self, question: Question) -> str:
        """The number with its unit and margin."""
        margin = f" (answers within {question.tolerance:g} count)" if question.tolerance else ""
        unit = f" {question.unit}" if question.unit else ""
        return f"{question.number:g}{unit}{margin}"

    def recorded_text(self, question: Question, answer: Any) -> str | None:
        """The number with its unit."""
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            return None
        return f"{answer:g} {question.unit}".strip()
