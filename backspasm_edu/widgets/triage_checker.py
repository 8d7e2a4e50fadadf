"""The triage checker: asks first, one step at a time, then shows the engine's care level."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets

from backspasm_edu.content.loader import load_triage_table
from backspasm_edu.content.model import CareLevel, Finding, TriageTable
from backspasm_edu.engines.triage import MAX_AGE, MAX_DAYS, MIN_AGE, Assessment, assess, parse_case
from backspasm_edu.errors import InputError
from backspasm_edu.render.pictures import (
    PAIN_REGIONS,
    care_level_icon_svg,
    pain_map_svg,
    picture_html,
)
from backspasm_edu.render.tables import level_words
from backspasm_edu.widgets._common import (
    LABEL_STYLE,
    LEVEL_SYMBOLS,
    LEVEL_TONES,
    button,
    escape,
    feedback_html,
    focus_region,
    move_focus,
    notice,
    source_links,
)

EXAMPLES_PER_LEVEL = 3
"""How many signs "what would change this answer" names for a more urgent level."""


def _level_box(level: CareLevel, headline: str, body_html: str) -> str:
    """A feedback box in the level's tone, led by the level's own symbol (⚠ for emergency)."""
    return feedback_html(LEVEL_TONES[level], headline, body_html, symbol=LEVEL_SYMBOLS[level])


def result_html(assessment: Assessment) -> str:
    """The care level in words and symbol, the advice, and every rule that fired with sources."""
    table = load_triage_table()
    levels = table.levels
    labels = table.finding_labels
    rules = {rule.id: rule for rule in table.rules}
    headline = f"{assessment.level_title} ({level_words(assessment.level)})"
    if assessment.reasons:
        items = "".join(
            f'<h5 style="margin:0.6em 0 0.1em">'
            f"{escape(rules[reason.rule_id].when.sentence(labels))} "
            f"({escape(levels[reason.level].title.lower())})</h5>"
            f'<p style="margin:0">{escape(reason.reason)}'
            f"<br><small>{source_links(reason.sources)}</small></p>"
            for reason in assessment.reasons
        )
        reasons = f"<h4>Why</h4>{items}"
    else:
        reasons = "<h4>Why</h4><p>None of the warning signs in the rules applies.</p>"
    icon = picture_html(care_level_icon_svg(assessment.level.value), 110)
    body = f"{icon}<h4>What to do</h4><p>{escape(assessment.advice)}</p>{reasons}"
    return _level_box(assessment.level, headline, body)


def what_would_change_html(assessment: Assessment, table: TriageTable | None = None) -> str:
    """One line per other care level: which signs would move the answer there.

    A more urgent level names a few of its own signs; a less urgent one names the signs the
    learner ticked that keep the answer where it is.
    """
    table = table or load_triage_table()
    labels = table.finding_labels
    ticked = [
        labels[finding] for finding in sorted(assessment.case.findings, key=list(labels).index)
    ]
    lines = []
    for level in CareLevel:
        if level is assessment.level:
            continue
        title = escape(table.levels[level].title)
        symbol = f'<span aria-hidden="true">{LEVEL_SYMBOLS[level]}</span>'
        if level.urgency > assessment.level.urgency:
            examples = [
                labels[finding_id]
                for finding_id in table.findings
                if table.level_of(finding_id) is level
            ][:EXAMPLES_PER_LEVEL]
            words = ", ".join(f"“{escape(label.lower())}”" for label in examples)
            lines.append(
                f"<li>{symbol} <strong>{title}</strong> if you also had a sign such as "
                f"{words}.</li>"
            )
        elif ticked:
            words = ", ".join(f"“{escape(label.lower())}”" for label in ticked)
            lines.append(
                f"<li>{symbol} <strong>{title}</strong> only if none of these were true: "
                f"{words}, and nothing else raised it.</li>"
            )
    if not lines:
        return ""
    return f"<h4>What would change this answer</h4><ul>{''.join(lines)}</ul>"


_GROUP_PICTURES = {
    "legs": lambda: picture_html(pain_map_svg(list(PAIN_REGIONS)), 320),
}
"""A picture shown at the top of a group's step, by group id."""


@dataclass(frozen=True)
class _Step:
    """One page of the checker: a title, a line of help, and its controls."""

    title: str
    help: str
    controls: tuple[widgets.Widget, ...]


class TriageChecker(widgets.VBox):
    """Ask first, then answer: age and history, then the signs one group at a time.

    The signs that need help at once come first, then each group of the others. Nothing is
    filled in for the learner, and no answer shows until they press "See my result"; then the
    answer sits at the top, gets keyboard focus, and follows every later change. The view
    decides nothing: it builds the input of ``backspasm_edu.triage.assess`` from the controls
    and shows the result. ``assessment`` is the latest result, None before one is asked for or
    while the input has a problem. ``show_notice=False`` leaves the not-a-diagnosis notice to a
    page that shows it already.
    """

    def __init__(self, *, show_notice: bool = True, **kwargs: Any) -> None:
        table = load_triage_table()
        self.age = widgets.Text(
            description="Age (years)",
            placeholder=f"{MIN_AGE} to {MAX_AGE}",
            style=LABEL_STYLE,
        )
        self.days = widgets.Text(
            description="Days since the pain began",
            placeholder="0 if it began today",
            style=LABEL_STYLE,
        )
        self.first_episode = widgets.RadioButtons(
            options=[("Yes", True), ("No", False)],
            value=None,
            description="Is this your first ever back pain?",
            style=LABEL_STYLE,
        )
        self.finding_boxes: dict[str, widgets.Checkbox] = {
            finding.id: widgets.Checkbox(
                value=False,
                description=finding.label,
                tooltip=finding.help,
                indent=False,
                layout=widgets.Layout(width="auto"),
            )
            for finding in table.findings.values()
        }
        self.steps = self._steps(table)
        self.step = 0
        self.asked = False
        self.assessment: Assessment | None = None
        self.result = widgets.HTML(
            "<p>Your result shows here when you press “See my result”. You can press it at "
            "any step.</p>"
        )
        self.result.add_class("backspasm-triage-result")  # a stable hook for styles and tests
        self.result_region = focus_region(self.result)
        self.changes = widgets.HTML()
        self.step_line = widgets.HTML()
        self.step_region = focus_region(self.step_line)
        self.step_body = widgets.VBox()
        self.back_button = button("Back", "Go to the step before")
        self.next_button = button("Next", "Go to the next step")
        self.result_button = button(
            "See my result", "Show what to do, from what you have entered so far", "primary"
        )
        self.back_button.on_click(lambda _button: self.go_to(self.step - 1))
        self.next_button.on_click(lambda _button: self.go_to(self.step + 1))
        self.result_button.on_click(lambda _button: self.ask())
        intro = widgets.HTML(
            "<p>Answer a few questions, one step at a time, then press “See my result”. The "
            "signs that need help at once come first.</p>"
        )
        super().__init__(
            [
                *([notice()] if show_notice else []),
                intro,
                widgets.HTML("<h3>Your result</h3>"),
                self.result_region,
                self.changes,
                self.step_region,
                self.step_body,
                widgets.HBox(
                    [self.back_button, self.next_button, self.result_button],
                    layout=widgets.Layout(flex_flow="row wrap", grid_gap="0.5em"),
                ),
            ],
            **kwargs,
        )
        for control in (self.age, self.days, self.first_episode, *self.finding_boxes.values()):
            control.observe(self._changed, names="value")
        self._show_step()

    def _steps(self, table: TriageTable) -> list[_Step]:
        """About you; the signs to get help now; then each group's other signs, in table order."""
        at_once = [
            f for f in table.findings.values() if table.level_of(f.id) is CareLevel.EMERGENCY
        ]
        steps = [
            _Step(
                "About you",
                "Your age, how long the pain has lasted, and whether you have had it before.",
                (self.age, self.days, self.first_episode),
            ),
            _Step(
                "Signs that need help at once",
                f"Any one of these means: {table.levels[CareLevel.EMERGENCY].title.lower()}. "
                "Tick every one you have now.",
                tuple(self._sign_row(finding) for finding in at_once),
            ),
        ]
        for group in table.groups:
            others = [
                finding
                for finding in table.findings.values()
                if finding.group == group.id and finding not in at_once
            ]
            if others:
                rows = tuple(self._sign_row(finding) for finding in others)
                picture = _GROUP_PICTURES.get(group.id)
                if picture is not None:
                    rows = (widgets.HTML(picture()), *rows)
                steps.append(_Step(group.title, group.help, rows))
        return steps

    def _sign_row(self, finding: Finding) -> widgets.VBox:
        """A sign's checkbox with its help below it."""
        return widgets.VBox(
            [
                self.finding_boxes[finding.id],
                widgets.HTML(
                    f'<small style="line-height:1.3">{escape(finding.help)}</small>',
                    layout=widgets.Layout(margin="-6px 0 6px 26px", height="auto"),
                ),
            ]
        )

    def go_to(self, step: int) -> None:
        """Show another step (kept within the steps) and put focus on its heading."""
        self.step = max(0, min(step, len(self.steps) - 1))
        self._show_step()
        move_focus(self.step_region)

    def _show_step(self) -> None:
        current = self.steps[self.step]
        self.step_line.value = (
            f'<h4 style="margin:0.8em 0 0.2em">Step {self.step + 1} of {len(self.steps)}: '
            f"{escape(current.title)}</h4><p>{escape(current.help)}</p>"
        )
        self.step_body.children = current.controls
        self.back_button.disabled = self.step == 0
        self.next_button.disabled = self.step == len(self.steps) - 1

    def ask(self) -> None:
        """Show the result for what is entered (or what is missing), with focus on it."""
        self.asked = True
        self._update()
        move_focus(self.result_region)

    def _changed(self, _change: object) -> None:
        if self.asked:
            self._update()

    def _problems(self) -> list[str]:
        """What the learner still has to fill in or put right, in their words."""
        problems = []
        age = _whole_number(self.age.value)
        if age is None:
            problems.append(
                "Type your age in years as a whole number, such as 42 (step 1)."
                if not self.age.value.strip()
                else f"Age: type a whole number of years, such as 42, not "
                f"“{escape(self.age.value.strip()[:20])}”."
            )
        elif age < MIN_AGE:
            problems.append(
                f"This checker is made for people aged {MIN_AGE} and over, so it cannot answer "
                "for a younger person. Ask a doctor, nurse or pharmacist."
            )
        elif age > MAX_AGE:
            problems.append(f"Age: type a number from {MIN_AGE} to {MAX_AGE}.")
        days = _whole_number(self.days.value)
        if days is None:
            problems.append(
                "Type how many days ago the pain began, as a whole number: 0 if it began today "
                "(step 1)."
            )
        elif not 0 <= days <= MAX_DAYS:
            problems.append(f"Days: type a number from 0 to {MAX_DAYS}.")
        if self.first_episode.value is None:
            problems.append("Say whether this is your first ever back pain (step 1).")
        return problems

    def _input(self) -> dict[str, Any]:
        """The engine's input, built from the controls: ticked findings in table order."""
        return {
            "age": _whole_number(self.age.value),
            "days_since_onset": _whole_number(self.days.value),
            "first_episode": self.first_episode.value,
            "findings": [fid for fid, box in self.finding_boxes.items() if box.value],
        }

    def _update(self) -> None:
        """Ask the engine again and show its answer, or what is missing in plain words."""
        problems = self._problems()
        if problems:
            self.assessment = None
            items = "".join(f"<li>{problem}</li>" for problem in problems)
            self.result.value = feedback_html(
                "warning", "A little more is needed first", f"<ul>{items}</ul>"
            )
            self.changes.value = ""
            return
        try:
            self.assessment = assess(self._input())
        except InputError as error:
            self.assessment = None
            self.result.value = feedback_html(
                "warning", "Please check your answers", escape(str(error))
            )
            self.changes.value = ""
            return
        self.result.value = result_html(self.assessment)
        self.changes.value = what_would_change_html(self.assessment)

    def set_findings(self, ids: Iterable[str]) -> None:
        """Tick exactly the given findings; unknown ids raise InputError and change nothing."""
        wanted = list(ids)
        parse_case({"age": MIN_AGE, "days_since_onset": 0, "findings": wanted})
        for finding_id, box in self.finding_boxes.items():
            box.value = finding_id in wanted


def _whole_number(text: str) -> int | None:
    """A whole number typed in a box, or None for anything else."""
    cleaned = text.strip()
    return int(cleaned) if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 7 else None
