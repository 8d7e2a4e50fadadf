"""One answer control per question type: the native widgets a learner answers with, read back.

Each control builds keyboard-operable widgets for a question with nothing picked, lays them out,
reads the learner's answer from them as the engine takes it, shows an answer already given
again (after a reload), and says in a learner's words what to do when the engine refuses an
empty answer. CONTROLS maps every question type to its control; ``control_for`` picks the one a
question is shown with (a Markdown quiz's choices with markup or math get rich choices).

Choice texts go where each control can show them: a rich choice is a tick box whose label is
the option's sanitised HTML (ipywidgets typesets its math), so the whole row stays the option's
label and target; a radio label or a dropdown entry can hold text only, so a Markdown text
shows there without markup and with any math as its LaTeX source.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import ipywidgets as widgets

from backspasm_edu.content.model import QuestionType, TextFormat
from backspasm_edu.engines.questions.numeric import NONZERO_BELOW
from backspasm_edu.engines.questions.true_false import TRUTH_OPTION_IDS
from backspasm_edu.engines.quiz import QuestionView
from backspasm_edu.errors import InputError
from backspasm_edu.render.rich_text import has_markup, inline_html, label_text
from backspasm_edu.widgets._common import LABEL_STYLE

__all__ = ["CONTROLS", "AnswerControl", "control_for"]


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

    def build(self, question: QuestionView, text_format: TextFormat = "plain") -> list[Any]:
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

    def build(self, question: QuestionView, text_format: TextFormat = "plain") -> list[Any]:
        """One radio group labelled Answer."""
        labels = [(label_text(option.text, text_format), option.id) for option in question.options]
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

    def build(self, question: QuestionView, text_format: TextFormat = "plain") -> list[Any]:
        """One checkbox per option, labelled with its text."""
        return [
            widgets.Checkbox(
                value=False,
                description=label_text(option.text, text_format),
                indent=False,
                layout=_fit(),
            )
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

    def build(self, question: QuestionView, text_format: TextFormat = "plain") -> list[Any]:
        """One dropdown per place, labelled with its ordinal."""
        labels = [(label_text(option.text, text_format), option.id) for option in question.options]
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

    def build(self, question: QuestionView, text_format: TextFormat = "plain") -> list[Any]:
        """One dropdown per item; the label shows the whole item text, so it takes the width.

        An item with Markdown markup or math is labelled with its HTML (math typeset).
        """
        targets = [(label_text(target.text, text_format), target.id) for target in question.targets]
        return [
            widgets.Dropdown(
                options=targets,
                value=None,
                description=inline_html(option.text, text_format)
                if has_markup(option.text, text_format)
                else label_text(option.text, text_format),
                description_allow_html=has_markup(option.text, text_format),
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

    def build(self, question: QuestionView, text_format: TextFormat = "plain") -> list[Any]:
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

    def build(self, question: QuestionView, text_format: TextFormat = "plain") -> list[Any]:
        """One empty text box labelled Answer."""
        return [
            widgets.Text(
                value="", description="Answer", placeholder="Type your answer", style=LABEL_STYLE
            )
        ]


def _rich_boxes(question: QuestionView, text_format: TextFormat) -> list[Any]:
    """One tick box per option, labelled with the option's HTML (math typeset), none ticked."""
    return [
        widgets.Checkbox(
            value=False,
            description=inline_html(option.text, text_format),
            description_allow_html=True,
            indent=False,
            layout=_fit(),
        )
        for option in question.options
    ]


class RichMultipleAnswersControl(MultipleAnswersControl):
    """A tick box per option, each labelled with its option's HTML, none ticked."""

    def build(self, question: QuestionView, text_format: TextFormat = "plain") -> list[Any]:
        """One tick box per option, labelled with its HTML."""
        return _rich_boxes(question, text_format)


class RichSingleChoiceControl(AnswerControl):
    """A tick box per option, each labelled with its option's HTML; ticking one unticks the rest.

    Radio buttons can hold text labels only, and ipywidgets has no single radio button to
    label with HTML; these boxes keep each option's whole row its label and target.
    """

    nothing_picked = "Pick an answer first."

    def build(self, question: QuestionView, text_format: TextFormat = "plain") -> list[Any]:
        """One tick box per option, labelled with its HTML, of which at most one stays ticked."""
        boxes = _rich_boxes(question, text_format)

        def untick_the_others(change: dict[str, Any]) -> None:
            if change["new"]:
                for box in boxes:
                    if box is not change["owner"]:
                        box.value = False

        for box in boxes:
            box.observe(untick_the_others, names="value")
        return boxes

    def layout(self, parts: Sequence[Any]) -> tuple[Any, ...]:
        """The boxes under a line saying that one answer is picked."""
        return (widgets.HTML("<small>Pick one answer.</small>"), *parts)

    def read(self, question: QuestionView, controls: Sequence[Any]) -> str | None:
        """The id of the ticked option, or None when none is."""
        return next(
            (
                option.id
                for option, box in zip(question.options, controls, strict=True)
                if box.value
            ),
            None,
        )

    def show(self, question: QuestionView, controls: Sequence[Any], answer: Any) -> None:
        """Tick the option the answer picked."""
        for option, box in zip(question.options, controls, strict=True):
            box.value = option.id == answer


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

RICH_CONTROLS: dict[QuestionType, AnswerControl] = {
    "single_choice": RichSingleChoiceControl(),
    "multiple_answers": RichMultipleAnswersControl(),
}
"""The choice controls whose option labels show HTML, for Markdown options with markup or math."""


def control_for(question: QuestionView, text_format: TextFormat) -> AnswerControl:
    """The control a question is shown with: rich choices when an option needs HTML to show."""
    rich = RICH_CONTROLS.get(question.type)
    if rich is not None and any(has_markup(o.text, text_format) for o in question.options):
        return rich
    return CONTROLS[question.type]
