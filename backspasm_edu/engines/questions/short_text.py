"""Short text: type a short answer that matches an accepted one."""

from __future__ import annotations

from typing import Any

from rapidfuzz.distance import Levenshtein

from backspasm_edu.content.model import Choice, Question, typed_form
from backspasm_edu.engines.questions.base import OptionFeedback, OptionView, QuestionKind
from backspasm_edu.errors import InputError, show_value

MATCH_CASE_RULE = (
    "Type a short answer. One that matches an accepted answer scores 1 point, anything else "
    "scores 0. Extra spaces do not count, but capital letters do."
)
"""The rule for a question whose answers must match in capital letters too."""


class ShortText(QuestionKind):
    """Typed text; matching an accepted answer (spaces aside, and case unless asked) scores 1."""

    type = "short_text"
    rule = (
        "Type a short answer. One that matches an accepted answer scores 1 point, anything else "
        "scores 0. Extra spaces do not count; capital letters do not count either."
    )

    def scoring_rule(self, question: Question) -> str:
        """The rule, saying whether capital letters count and how near a near miss must be."""
        rule = MATCH_CASE_RULE if question.match_case else self.rule
        if question.fuzzy_threshold:
            rule += (
                f" An answer spelt a little differently also counts when at least "
                f"{question.fuzzy_threshold:.0%} of it matches, letter by letter."
            )
        return rule

    def options(self, question: Question, order: tuple[str, ...]) -> tuple[OptionView, ...]:
        """None: its answers are the key, so a typed question shows no options."""
        return ()

    def normalise(self, question: Question, response: Any) -> str:
        """Non-empty text with its runs of spaces made single."""
        if not isinstance(response, str):
            raise InputError("answer", "typed text", show_value(response))
        typed = " ".join(response.split())
        if not typed:
            raise InputError("answer", "some typed text", "nothing")
        return typed

    def score(self, question: Question, normal: str) -> float:
        """1 when it matches an accepted answer."""
        typed = typed_match(question, normal)
        return float(typed is not None and typed.correct)

    def feedback(self, question: Question, normal: str, reveal: bool) -> tuple[OptionFeedback, ...]:
        """The feedback written for the answer it matched, if any."""
        typed = typed_match(question, normal)
        if typed is None or not typed.explanation:
            return ()
        return (OptionFeedback(typed.id, typed.text, True, typed.correct, typed.explanation),)

    def answer_key(self, question: Question) -> str:
        """The first accepted answer, and the others also accepted."""
        first, *others = (choice.text for choice in question.answers if choice.correct)
        return f"{first} (also accepted: {', '.join(others)})" if others else first

    def recorded_text(self, question: Question, answer: Any) -> str | None:
        """The typed text, in quotation marks."""
        if not isinstance(answer, str):
            return None
        return f"“{answer}”"


def typed_match(question: Question, typed: str) -> Choice | None:
    """The short-text answer (accepted or expected wrong) that the typed text matches, if any.

    An answer typed exactly (spaces, and case unless it counts, aside) matches first. Else,
    with a ``fuzzy_threshold``, the answer most like it matches when its similarity reaches the
    threshold, the earlier on a tie. Similarity is jupyterquiz's: 1 less the Levenshtein
    distance over the longer text's length.
    """
    form = typed_form(typed, question.match_case)
    forms = [(typed_form(answer.text, question.match_case), answer) for answer in question.answers]
    exact = next((answer for text, answer in forms if text == form), None)
    if exact is not None or not question.fuzzy_threshold:
        return exact
    similarity, nearest = max(
        ((Levenshtein.normalized_similarity(form, text), answer) for text, answer in forms),
        key=lambda pair: pair[0],
    )
    return nearest if similarity >= question.fuzzy_threshold else None
