"""What every question type provides (QuestionKind), and the views of options it returns."""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, ClassVar

from backspasm_edu.content.model import Question, QuestionType


@dataclass(frozen=True)
class OptionView:
    """Something a learner can pick, order or match: an id and its text, nothing more."""

    id: str
    text: str


@dataclass(frozen=True)
class OptionFeedback:
    """Feedback on one option after an answer: whether it was picked, right, and why.

    ``correct`` is None on a question with no right answer: the option is neither.
    """

    id: str
    text: str
    chosen: bool
    correct: bool | None
    explanation: str


NOTED_RULE = (
    "There is no right or wrong answer here: your pick is noted, shows its feedback and earns "
    "no points."
)
"""The rule of a choice question with no right answer."""


class QuestionKind:
    """How one type of question is shown, checked, scored and explained; one subclass a type.

    A subclass names its ``type`` and ``rule`` and implements ``normalise``, ``score`` and
    ``answer_key``; the rest have defaults that fit most types.
    """

    type: ClassVar[QuestionType]
    rule: ClassVar[str]
    """How answers are scored, in the learner's words."""

    def scoring_rule(self, question: Question) -> str:
        """The rule shown with this question."""
        return self.rule

    def only_two_answers(self, question: Question) -> bool:
        """Whether the question has just two possible answers, so a second try could not miss.

        A session gives such a question one try, whatever the quiz or question says.
        """
        return False

    def order_options(self, option_ids: list[str], rng: random.Random, shuffle: bool) -> None:
        """Put the options in the order a session shows them, in place: by default shuffled."""
        if shuffle:
            rng.shuffle(option_ids)

    def options(self, question: Question, order: tuple[str, ...]) -> tuple[OptionView, ...]:
        """The options to show, in the session's order."""
        source = question.answers or question.items
        return tuple(OptionView(option_id, text_of(source, option_id)) for option_id in order)

    def normalise(self, question: Question, response: Any) -> Any:
        """The response in this type's one form, or InputError saying what was expected."""
        raise NotImplementedError

    def score(self, question: Question, normal: Any) -> float:
        """Points for a normalised response, from 0 to 1."""
        raise NotImplementedError

    def feedback(self, question: Question, normal: Any, reveal: bool) -> tuple[OptionFeedback, ...]:
        """Per-option feedback after an answer (every option once ``reveal``); none by default."""
        return ()

    def answer_key(self, question: Question) -> str:
        """The right answer in words, shown once the question closes."""
        raise NotImplementedError

    def recorded_text(self, question: Question, answer: Any) -> str | None:
        """A stored answer in the words the learner saw; None when not of this type's shape.

        A KeyError or TypeError also means the stored answer cannot be read as this type.
        """
        return None


def text_of(entries: Collection[Any], entry_id: str) -> str:
    """The text of the entry (answer, item, pair or target) with this id."""
    text: str = next(entry.text for entry in entries if entry.id == entry_id)
    return text


def ids_expected(question: Question) -> str:
    """The question's option ids, quoted, for an error saying what was expected."""
    options = question.answers or question.items or question.pairs
    return ", ".join(repr(option.id) for option in options)


def choice_feedback(
    question: Question, chosen: set[str], reveal: bool
) -> tuple[OptionFeedback, ...]:
    """Feedback on choices: every choice once revealed, otherwise only the wrong picks.

    A question with no right answer gives only the picks, each neither right nor wrong.
    """
    if not question.scored:
        return tuple(
            OptionFeedback(choice.id, choice.text, True, None, choice.explanation)
            for choice in question.answers
            if choice.id in chosen
        )
    return tuple(
        OptionFeedback(
            choice.id, choice.text, choice.id in chosen, choice.correct, choice.explanation
        )
        for choice in question.answers
        if reveal or (choice.id in chosen and not choice.correct)
    )


def right_choices(question: Question) -> str:
    """The texts of a choice question's right answers."""
    return "; ".join(choice.text for choice in question.answers if choice.correct)
