"""One answer control per question type: the native widgets a learner answers with, read back.

Each control builds keyboard-operable widgets for a question with nothing picked, lays them out,
reads the learner's answer from them as the engine takes it, shows an answer already given
again (after a reload), and says in a learner's words what to do when the engine refuses an
empty answer. CONTROLS maps every question type to its control.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as widgets

from backspasm_edu.content.model import QuestionType
from backspasm_edu.engines.questions.numeric import NONZERO_BELOW
from backspasm_edu.engines.questions.true_false import TRUTH_OPTION_IDS
from backspasm_edu.engines.quiz import QuestionView
from backspasm_edu.errors import InputError
from backspasm_edu.widgets._common import LABEL_STYLE

__all__ = ["CONTROLS", "AnswerControl"]


def _fit() -> widgets.Layout:
    """A layout as wide as its content, never wider than the page."""
    return widgets.Layout(width="fit-content", max_width="100%")


def _row(max_width: str = "44em") -> widgets.Layout:
    """A labelled dropdown's layout: wide enough for long texts, not the whole page."""
    return widgets.Layout(width="auto", max_width=max_width)


def _ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


class AnswerControl:
    """How one type of question is answered in the page; one subclass a type."""

    nothing_picked: ClassVar[str]
    """What to do first, when Check is pressed with no answer given."""

    def build(self, question: QuestionView) -> list[Any]:
        """The answer widgets for this question, with nothing picked."""
        raise NotImplementedError

    def layout(self, parts: Sequence[Any]) -> tuple[Any, ...]:
        """The widgets (and the unit label, if any) as the answer box shows them: stacked."""
        return tuple(parts)

    def read(self, question: QuestionView, controls: Sequence[Any]) -> Any:
        """The learner's answer as the engine takes it; the first widget's value by default."""
        return controls[0].value

    def show(self, question: QuestionView, controls: Sequence[Any], answer: Any) -> None:
        """Set the widgets to an answer the session read before (``AnswerResult.answer``).

        By default the answer is the first widget's value, as ``read`` gives it.
        """
        controls[0].value = answer

    def refusal(self, controls: Sequence[Any], error: InputError) -> str:
        """What to do when the engine refused the answer: by default, give one first."""
        return self.nothing_picked


class SingleChoiceControl(AnswerControl):
    """Radio buttons, none picked."""

    nothing_picked = "Pick an answer first."

    def build(self, question: QuestionView) -> list[Any]:
        """One radio group labelled Answer."""
        labels = [(option.text, option.id) for option in question.options]
        return [
            widgets.RadioButtons(
                options=labels, index=None, description="Answer", style=LABEL_STYLE, layout=_fit()
            )
        ]


class TrueFalseControl(SingleChoiceControl):
    """Radio buttons True and False, none picked."""

    nothing_picked = "Pick True or False first."

    def show(self, question: QuestionView, controls: Sequence[Any], answer: Any) -> None:
        """Pick the option (True or False) of the answer, which the session read as a bool."""
        controls[0].value = next(
            option_id for option_id, truth in TRUTH_OPTION_IDS.items() if truth is answer
        )


class MultipleAnswersControl(AnswerControl):
    """A checkbox per option, none ticked."""

    nothing_picked = "Pick at least one answer first."

    def build(self, question: QuestionView) -> list[Any]:
        """One checkbox per option, labelled with its text."""
        return [
            widgets.Checkbox(value=False, description=option.text, indent=False, layout=_fit())
            for option in question.options
        ]

    def read(self, question: QuestionView, controls: Sequence[Any]) -> list[str]:
        """The ids of the ticked options."""
        return [
            option.id for option, box in zip(question.options, controls, strict=True) if box.value
        ]

    def show(self, question: QuestionView, controls: Sequence[Any], answer: Any) -> None:
        """Tick the options the answer picked, and only those."""
        for option, box in zip(question.options, controls, strict=True):
            box.value = option.id in answer


class OrderingControl(AnswerControl):
    """A dropdown per place (1st, 2nd, ...), each offering every item."""

    nothing_picked = "Put an item in every place first, using each item once."

    def build(self, question: QuestionView) -> list[Any]:
        """One dropdown per place, labelled with its ordinal."""
        labels = [(option.text, option.id) for option in question.options]
        return [
            widgets.Dropdown(
                options=labels,
                value=None,
                description=_ordinal(place),
                style=LABEL_STYLE,
                layout=_row(),
            )
            for place in range(1, len(labels) + 1)
        ]

    def read(self, question: QuestionView, controls: Sequence[Any]) -> list[Any]:
        """The item id in each place, in order."""
        return [dropdown.value for dropdown in controls]

    def show(self, question: QuestionView, controls: Sequence[Any], answer: Any) -> None:
        """Put each item of the answer back in its place."""
        for dropdown, item_id in zip(controls, answer, strict=True):
            dropdown.value = item_id


class MatchingControl(AnswerControl):
    """A dropdown of targets per item, labelled with the item."""

    nothing_picked = "Pick a match for every item first."

    def build(self, question: QuestionView) -> list[Any]:
        """One dropdown per item; the label shows the whole item text, so it takes the width."""
        targets = [(target.text, target.id) for target in question.targets]
        return [
            widgets.Dropdown(
                options=targets,
                value=None,
                description=option.text,
                style=LABEL_STYLE,
                layout=_row("100%"),
            )
            for option in question.options
        ]

    def read(self, question: QuestionView, controls: Sequence[Any]) -> dict[str, Any]:
        """Each item id with the target id picked for it."""
        return {
            option.id: dropdown.value
            for option, dropdown in zip(question.options, controls, strict=True)
        }

    def show(self, question: QuestionView, controls: Sequence[Any], answer: Any) -> None:
        """Pick the target the answer gave each item."""
        for option, dropdown in zip(question.options, controls, strict=True):
            dropdown.value = answer[option.id]


class NumericControl(AnswerControl):
    """A text box for a number, with the unit beside it.

    A text box, not FloatText: FloatText starts at 0, so Check on an untouched box would submit
    0 and use a try. The typed text goes to the engine, which refuses non-numbers.
    """

    nothing_picked = "Type a number first."

    def build(self, question: QuestionView) -> list[Any]:
        """One empty text box labelled Answer."""
        return [
            widgets.Text(
                value="",
                description="Answer",
                placeholder="Type a number, such as 0.5 or 5/6",
                style=LABEL_STYLE,
            )
        ]

    def refusal(self, controls: Sequence[Any], error: InputError) -> str:
        """Type a number first; a fraction over 0 or text that is not a number says what to fix."""
        if not controls[0].value.strip():
            return self.nothing_picked
        if error.expected == NONZERO_BELOW:
            return "A fraction cannot have 0 below the line: type a number such as 5/6 or 0.5."
        return "That is not a number: type one such as 12, 0.5 or 5/6."

    def layout(self, parts: Sequence[Any]) -> tuple[Any, ...]:
        """The box and its unit on one line."""
        return (widgets.HBox(list(parts)),)

    def read(self, question: QuestionView, controls: Sequence[Any]) -> Any:
        """The typed number, or the typed text when it is not one (a fraction such as 5/6).

        The engine reads a fraction and refuses any other text.
        """
        typed = controls[0].value.strip()
        try:
            return float(typed)
        except ValueError:
            return typed

    def show(self, question: QuestionView, controls: Sequence[Any], answer: Any) -> None:
        """Type the number back in, without a needless ".0" and with every digit kept."""
        controls[0].value = f"{answer:.15g}"


class ShortTextControl(AnswerControl):
    """A text box; the engine trims spaces and refuses an empty box (answers stay in the kernel)."""

    nothing_picked = "Type your answer first."

    def build(self, question: QuestionView) -> list[Any]:
        """One empty text box labelled Answer."""
        return [
            widgets.Text(
                value="", description="Answer", placeholder="Type your answer", style=LABEL_STYLE
            )
        ]


CONTROLS: dict[QuestionType, AnswerControl] = {
    "single_choice": SingleChoiceControl(),
    "multiple_answers": MultipleAnswersControl(),
    "true_false": TrueFalseControl(),
    "ordering": OrderingControl(),
    "matching": MatchingControl(),
    "numeric": NumericControl(),
    "short_text": ShortTextControl(),
}
"""Every question type's answer control, by type."""
