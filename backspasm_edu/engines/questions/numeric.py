"""Numeric: a number (or a fraction such as 5/6), right within the margin or a right range."""

from __future__ import annotations

import math
from typing import Any

from backspasm_edu.content.model import NumericRange, Question
from backspasm_edu.engines.questions.base import OptionFeedback, OptionView, QuestionKind
from backspasm_edu.errors import InputError, show_value

NUMBER_EXPECTED = "a number, such as 12, 0.5 or 5/6"
"""What a typed answer that is not a number is told to be."""
NONZERO_BELOW = "a fraction with a number other than 0 below the line"
"""What a typed fraction that divides by zero is told to be."""
_SLACK = 1e-9
"""How far outside a margin or range an answer may lie and still count: float rounding."""


def typed_number(response: Any) -> float:
    """A finite number from an int, a float or typed text: "12", "-0.5", "5/6" or " 1 / 4 ".

    Text is read as a decimal number or as one number over another; nothing is evaluated.
    InputError says what was expected, a fraction over 0 with NONZERO_BELOW.
    """
    if isinstance(response, str):
        parts = response.split("/")
        if len(parts) > 2:
            raise InputError("answer", NUMBER_EXPECTED, show_value(response))
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            raise InputError("answer", NUMBER_EXPECTED, show_value(response)) from None
        if not all(math.isfinite(number) for number in numbers):
            raise InputError("answer", "a finite number", show_value(response))
        if len(numbers) == 2 and numbers[1] == 0:
            raise InputError("answer", NONZERO_BELOW, show_value(response))
        value = numbers[0] / numbers[1] if len(numbers) == 2 else numbers[0]
    elif isinstance(response, bool) or not isinstance(response, (int, float)):
        raise InputError("answer", "a number", show_value(response))
    else:
        value = float(response)
    if not math.isfinite(value):
        raise InputError("answer", "a finite number", show_value(response))
    return value


def _holds(numbers: NumericRange, value: float) -> bool:
    return numbers.min - _SLACK <= value <= numbers.max + _SLACK


def _range_words(numbers: NumericRange, unit: str) -> str:
    """A range as a learner reads it: "5 percent" or "2 to 3 percent"."""
    span = (
        f"{numbers.min:g}" if numbers.min == numbers.max else f"{numbers.min:g} to {numbers.max:g}"
    )
    return f"{span} {unit}".strip()


class Numeric(QuestionKind):
    """A finite number; within the tolerance of the answer, or in a right range, scores 1."""

    type = "numeric"
    rule = "An answer within the stated margin scores 1 point, anything else scores 0."

    def options(self, question: Question, order: tuple[str, ...]) -> tuple[OptionView, ...]:
        """None: the learner types a number."""
        return ()

    def normalise(self, question: Question, response: Any) -> float:
        """A finite number: an int or float (not a bool), or text of one or of a fraction."""
        return typed_number(response)

    def score(self, question: Question, normal: float) -> float:
        """1 within the margin or in a right range, else 0."""
        assert question.number is not None  # guaranteed by the schema for numeric questions
        near = abs(normal - question.number) <= question.tolerance + _SLACK
        in_right_range = any(r.correct and _holds(r, normal) for r in question.ranges)
        return float(near or in_right_range)

    def feedback(
        self, question: Question, normal: float, reveal: bool
    ) -> tuple[OptionFeedback, ...]:
        """The feedback of the first range with feedback that holds the number and agrees."""
        right = self.score(question, normal) == 1.0
        for index, numbers in enumerate(question.ranges):
            if numbers.explanation and numbers.correct == right and _holds(numbers, normal):
                words = _range_words(numbers, question.unit)
                return (OptionFeedback(f"range{index}", words, True, right, numbers.explanation),)
        return ()

    def answer_key(self, question: Question) -> str:
        """The number with its unit and margin, and any other right numbers."""
        margin = f" (answers within {question.tolerance:g} count)" if question.tolerance else ""
        unit = f" {question.unit}" if question.unit else ""
        others = [_range_words(r, question.unit) for r in question.ranges if r.correct]
        also = f"; also right: {', '.join(others)}" if others else ""
        return f"{question.number:g}{unit}{margin}{also}"

    def recorded_text(self, question: Question, answer: Any) -> str | None:
        """The number with its unit."""
        if isinstance(answer, bool) or not isinstance(answer, (int, float)):
            return None
        return f"{answer:g} {question.unit}".strip()
