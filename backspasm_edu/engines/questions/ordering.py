"""Ordering: put every item in its right place."""

from __future__ import annotations

import random
from collections.abc import Collection
from typing import Any

from backspasm_edu.content.model import Question
from backspasm_edu.engines.questions.base import QuestionKind, ids_expected
from backspasm_edu.errors import InputError, show_value


class Ordering(QuestionKind):
    """Every item id once, in order; each item in its place earns a share."""

    type = "ordering"
    rule = (
        "Each item in its right place earns a share of the point. Only the full order counts "
        "as correct."
    )

    def only_two_answers(self, question: Question) -> bool:
        """When it has only two items: shown out of order, the one other order is right."""
        return len(question.items) == 2

    def order_options(self, option_ids: list[str], rng: random.Random, shuffle: bool) -> None:
        """Always shuffled, and never left in the right order (that would give it away)."""
        option_ids[:] = shuffle_out_of_order(option_ids, rng)

    def normalise(self, question: Question, response: Any) -> tuple[str, ...]:
        """Each of the question's item ids exactly once."""
        item_ids = sorted(item.id for item in question.items)
        if isinstance(response, (str, bytes)) or not isinstance(response, Collection):
            raise InputError("answer", "a list of every item id in order", show_value(response))
        if sorted(map(str, response)) != item_ids:
            raise InputError(
                "answer",
                f"each of {ids_expected(question)} exactly once",
                show_value(list(response)),
            )
        return tuple(response)

    def score(self, question: Question, normal: tuple[str, ...]) -> float:
        """The share of items in their right place."""
        placed = sum(given == item.id for given, item in zip(normal, question.items, strict=True))
        return float(placed / len(question.items))

    def answer_key(self, question: Question) -> str:
        """The items, numbered, in the right order."""
        return " → ".join(f"{n}. {item.text}" for n, item in enumerate(question.items, 1))

    def recorded_text(self, question: Question, answer: Any) -> str | None:
        """The items in the order given."""
        if not isinstance(answer, list):
            return None
        items = {item.id: item.text for item in question.items}
        return " → ".join(items[item_id] for item_id in answer)


def shuffle_out_of_order(ids: list[str], rng: random.Random) -> list[str]:
    """Shuffle, making sure the items never start in their right order."""
    shuffled = list(ids)
    rng.shuffle(shuffled)
    if shuffled == ids and len(ids) > 1:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled
