"""The triage checker view: age, duration and ticked signs in, the engine's care level out."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets

from backspasm_edu.content.loader import load_triage_table
from backspasm_edu.content.model import CareLevel, Finding, FindingGroup
from backspasm_edu.engines.triage import MAX_AGE, MAX_DAYS, MIN_AGE, Assessment, assess, parse_case
from backspasm_edu.errors import InputError
from backspasm_edu.render.tables import level_words
from backspasm_edu.widgets._common import (
    LABEL_STYLE,
    LEVEL_SYMBOLS,
    LEVEL_TONES,
    escape,
    feedback_html,
    notice,
    source_links,
)


def _level_box(level: CareLevel, headline: str, body_html: str) -> str:
    """A feedback box in the level's tone, led by the level's own symbol (⚠ for emergency)."""
    return feedback_html(LEVEL_TONES[level], headline, body_html, symbol=LEVEL_SYMBOLS[level])


def result_html(assessment: Assessment) -> str:
    """The care level in words and symbol, the advice, and every rule that fired with sources."""
    table = load_triage_table()
    levels = table.levels
    labels = {finding.id: finding.label for finding in table.findings.values()}
    rules = {rule.id: rule for rule in table.rules}
    headline = f"{assessment.level_title} ({level_words(assessment.level)})"
    if assessment.reasons:
        items = "".join(
            f"<li><strong>{escape(rules[reason.rule_id].when.sentence(labels))}</strong> "
            f"({escape(levels[reason.level].title.lower())}): {escape(reason.reason)}"
            f"<br><small>{source_links(reason.sources)}</small></li>"
            for reason in assessment.reasons
        )
        reasons = f"<p><strong>Why:</strong></p><ul>{items}</ul>"
    else:
        reasons = "<p><strong>Why:</strong> none of the warning signs in the rules applies.</p>"
    body = f"<p><strong>What to do:</strong> {escape(assessment.advice)}</p>{reasons}"
    return _level_box(assessment.level, headline, body)


class TriageChecker(widgets.VBox):
    """Ask for age, duration, history and signs; show the triage engine's answer as it changes.

    The view decides nothing: it builds the input of ``backspasm_edu.triage.assess`` from the
    controls and shows the result. ``assessment`` is the latest result, None after bad input.
    ``show_notice=False`` leaves the not-a-diagnosis notice to a page that shows it already.
    """

    def __init__(self, *, show_notice: bool = True, **kwargs: Any) -> None:
        table = load_triage_table()
        self.age = widgets.BoundedIntText(
            value=30, min=MIN_AGE, max=MAX_AGE, description="Age (years)", style=LABEL_STYLE
        )
        self.days = widgets.BoundedIntText(
            value=1, min=0, max=MAX_DAYS, description="Days since the pain began", style=LABEL_STYLE
        )
        self.first_episode = widgets.Checkbox(
            value=True, description="This is my first ever back pain", indent=False
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
        sections = [
            self._group_section(group, [f for f in table.findings.values() if f.group == group.id])
            for group in table.groups
        ]
        # On a wide screen the result sits at the top of its column, far above the last
        # signs; this line under the signs says where it stands without scrolling back.
        self.summary = widgets.HTML()
        self.summary.add_class("backspasm-triage-summary")
        self.result = widgets.HTML()
        self.result.add_class("backspasm-triage-result")  # a stable hook for styles and tests
        self.assessment: Assessment | None = None
        intro = widgets.HTML(
            "<p>Fill in your age and how long the pain has lasted, then tick every sign that "
            "applies. The answer changes as you go.</p>"
        )
        signs = widgets.VBox(
            [
                widgets.HTML("<h3>Signs to check</h3>"),
                # Part of the page, not a scroll box of its own: every sign is in reach of
                # the page's one scroll.
                widgets.VBox(sections, layout=widgets.Layout(padding="0 0.5em")),
                self.summary,
            ]
        )
        inputs = widgets.VBox(
            [self.age, self.days, self.first_episode, signs],
            layout=widgets.Layout(flex="1 1 26em", min_width="18em"),
        )
        answer = widgets.VBox(
            [widgets.HTML("<h3>Your result</h3>"), self.result],
            layout=widgets.Layout(flex="1 1 22em", min_width="18em"),
        )
        columns = widgets.HBox(
            [inputs, answer], layout=widgets.Layout(flex_flow="row wrap", grid_gap="1em")
        )
        super().__init__([*([notice()] if show_notice else []), intro, columns], **kwargs)
        for control in (self.age, self.days, self.first_episode, *self.finding_boxes.values()):
            control.observe(self._update, names="value")
        self._update()

    def _group_section(self, group: FindingGroup, findings: list[Finding]) -> widgets.VBox:
        """A headed section: the group title and help, then each sign with its help below."""
        rows = [
            widgets.VBox(
                [
                    self.finding_boxes[finding.id],
                    widgets.HTML(
                        f'<small style="line-height:1.3">{escape(finding.help)}</small>',
                        layout=widgets.Layout(margin="-6px 0 6px 26px", height="auto"),
                    ),
                ]
            )
            for finding in findings
        ]
        heading = widgets.HTML(
            f'<h4 style="margin:0.6em 0 0.1em">{escape(group.title)}</h4>'
            f'<small style="line-height:1.3">{escape(group.help)}</small>'
        )
        return widgets.VBox([heading, *rows], layout=widgets.Layout(flex="0 0 auto"))

    def _input(self) -> dict[str, Any]:
        """The engine's input, built from the controls: ticked findings in table order."""
        return {
            "age": self.age.value,
            "days_since_onset": self.days.value,
            "first_episode": self.first_episode.value,
            "findings": [fid for fid, box in self.finding_boxes.items() if box.value],
        }

    def _update(self, _change: object = None) -> None:
        """Ask the engine again and show its answer, or the input problem in plain words."""
        try:
            self.assessment = assess(self._input())
        except InputError as error:
            self.assessment = None
            self.result.value = feedback_html(
                "warning", "Please check your answers", escape(str(error))
            )
            self.summary.value = "<p><strong>Your result:</strong> please check your answers.</p>"
            return
        self.result.value = result_html(self.assessment)
        level = self.assessment.level
        self.summary.value = (
            f'<p><strong>Your result so far:</strong> <span aria-hidden="true">'
            f"{LEVEL_SYMBOLS[level]}</span> {escape(self.assessment.level_title)} "
            f"({escape(level_words(level))}). The reasons are under “Your result”.</p>"
        )

    def set_findings(self, ids: Iterable[str]) -> None:
        """Tick exactly the given findings; unknown ids raise InputError and change nothing."""
        wanted = list(ids)
        parse_case({**self._input(), "findings": wanted})
        for finding_id, box in self.finding_boxes.items():
            box.value = finding_id in wanted
