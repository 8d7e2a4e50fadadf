"""Matching: match each item to its target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backspasm_edu.content.model import Question
from backspasm_edu.engines.questions.base import OptionView, QuestionKind, ids_expected
from backspasm_edu.errors import InputError, show_value


class Matching(QuestionKind):
    """A mapping of every pair id to a target id; each right match earns a share."""

    type = "matching"
    rule = "Each right match earns a share of the point. Only all matches right counts as correct."

    def options(self, question: Question, order: tuple[str, ...]) -> tuple[OptionView, ...]:
        """The items to match, in the order written (the targets are shuffled instead)."""
        return tuple(OptionView(pair.id, pair.text) for pair in question.pairs)

    def normalise(self, question: Question, response: Any) -> dict[str, Any]:
        """A target id for each of the question's pair ids."""
        pair_ids = {pair.id for pair in question.pairs}
        target_ids = {target.id for target in question.targets}
        if not isinstance(response, Mapping):
            raise InputError(
                "answer", "a mapping of each item id to a target id", show_value(response)
            )
        if set(response) != pair_ids:
            raise InputError(
                "answer",
                f"a match for each of {ids_expected(question)}",
                show_value(sorted(map(str, response))),
            )
        for pair_id, target in response.items():
            if target not in target_ids:
                raise InputError(f"answer[{pair_id!r}]", "a target id", show_value(target))
        return dict(response)

    def score(self, question: Question, normal: dict[str, Any]) -> float:
        """The share of pairs matched right."""
        matched = sum(normal[pair.id] == pair.match for pair in question.pairs)
        return float(matched / len(question.pairs))

    def answer_key(self, question: Question) -> str:
        """Each item with its target."""
        targets = {target.id: target.text for target in question.targets}
        return "; ".join(f"{pair.text} → {targets[pair.match]}" for pair in question.pairs)

    def recorded_text(self, question: Question, answer: Any) -> str | None:
        """Each item with the target given for it."""
        if not isinstance(answer, dict):
            return None
        targets = {target.id: target.text for target in question.targets}
        return "; ".join(f"{pair.text} → {targets[answer[pair.id]]}" for pair in question.pairs)
