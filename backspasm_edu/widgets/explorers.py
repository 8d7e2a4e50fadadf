"""Explorer views: what might be behind a spasm, ice or heat by the hour, and build my plan."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from backspasm_edu.content.model import Fact
from backspasm_edu.engines.explore import (
    CareWarning,
    HeatColdAdvice,
    LikelyTrigger,
    Plan,
    TriggerReport,
    build_plan,
    heat_cold_guide,
    heat_or_cold,
    likely_triggers,
    plan_menu,
    trigger_table,
)
from backspasm_edu.errors import InputError
from backspasm_edu.render.pictures import picture_html, plan_item_svg, trigger_svg
from backspasm_edu.render.plan import plan_download_links, plan_html
from backspasm_edu.settings import MAX_NAME_LENGTH
from backspasm_edu.widgets._common import (
    LABEL_STYLE,
    LEVEL_SYMBOLS,
    LEVEL_TONES,
    button,
    escape,
    feedback_html,
    notice,
    source_links,
)

_HELP_STYLE = "font-size:85%;line-height:1.35"


def _fact_html(fact: Fact) -> str:
    """A fact as a paragraph followed by links to its sources."""
    return f"<p>{escape(fact.text)}<br><small>{source_links(fact.sources)}</small></p>"


def _columns(left: widgets.Widget, right: widgets.Widget) -> widgets.HBox:
    """Two columns side by side that wrap onto one column on a narrow screen."""
    for child, basis in ((left, "1 1 20em"), (right, "2 1 26em")):
        child.layout = widgets.Layout(flex=basis, min_width="16em")
    return widgets.HBox([left, right], layout=widgets.Layout(flex_flow="row wrap", grid_gap="1em"))


def _checkbox(description: str, tooltip: str = "") -> widgets.Checkbox:
    return widgets.Checkbox(
        value=False,
        description=description,
        tooltip=tooltip or description,
        indent=False,
        layout=widgets.Layout(width="auto"),
    )


# --- what might be behind this? -----------------------------------------------------------


def _warning_html(warning: CareWarning, notice_text: str) -> str:
    """A care warning in its level's tone and symbol: reason, what to do, sources, notice."""
    level = warning.reason.level
    body = (
        f"<p>{escape(warning.reason.reason)}</p>"
        f"<p><strong>What to do:</strong> {escape(warning.action)}</p>"
        f"<p><small>{source_links(warning.reason.sources)}</small></p>"
        f"<p>{escape(notice_text)}</p>"
    )
    headline = f"{warning.level_title}: {warning.habit}"
    return feedback_html(LEVEL_TONES[level], headline, body, symbol=LEVEL_SYMBOLS[level])


def _trigger_html(likely: LikelyTrigger) -> str:
    """A likely trigger: what it is, why it showed up, any caveat on evidence, how to prevent."""
    trigger = likely.trigger
    ticked = "; ".join(escape(label) for label in likely.because)
    evidence = (
        feedback_html("warning", "About the evidence", _fact_html(trigger.evidence))
        if trigger.evidence
        else ""
    )
    return (
        f'<div style="margin:0.8em 0"><h4 style="margin:0.3em 0">{escape(trigger.name)}</h4>'
        f"{picture_html(trigger_svg(trigger.id), 260)}"
        f"<p><em>You ticked:</em> {ticked}</p>{_fact_html(trigger.about)}{evidence}"
        f"{feedback_html('right', 'How to prevent it', _fact_html(trigger.prevent))}</div>"
    )


def report_html(report: TriggerReport) -> str:
    """Warnings first, then the caveat and each likely trigger; a hint when nothing is ticked."""
    warnings = "".join(_warning_html(warning, report.notice) for warning in report.warnings)
    if not report.triggers:
        return warnings + feedback_html(
            "info", "Tick anything that fits your days to see what might be behind a spasm."
        )
    caveat = feedback_html(
        "info", report.caveat.text, f"<small>{source_links(report.caveat.sources)}</small>"
    )
    return warnings + caveat + "".join(_trigger_html(likely) for likely in report.triggers)


class CauseExplorer(widgets.VBox):
    """Tick daily habits and events; see the likely triggers and how to prevent each.

    The view decides nothing: ``engines.explore.likely_triggers`` picks the triggers and
    any care warning (a fall or accident means get help now). ``report`` is the latest answer.
    """

    def __init__(self, **kwargs: Any) -> None:
        table = trigger_table()
        self.habit_boxes: dict[str, widgets.Checkbox] = {
            habit.id: _checkbox(habit.label) for habit in table.habits.values()
        }
        self.result = widgets.HTML()
        picks = widgets.VBox(
            [widgets.HTML("<h3>What fits your days?</h3>"), *self.habit_boxes.values()]
        )
        answer = widgets.VBox([widgets.HTML("<h3>What might be behind it</h3>"), self.result])
        super().__init__([notice(), _columns(picks, answer)], **kwargs)
        for box in self.habit_boxes.values():
            box.observe(self._update, names="value")
        self._update()

    def _update(self, _change: object = None) -> None:
        """Ask for the triggers of the ticked habits, in content order, and show them."""
        picked = [habit_id for habit_id, box in self.habit_boxes.items() if box.value]
        self.report = likely_triggers(picked)
        self.result.value = report_html(self.report)


# --- ice or heat --------------------------------------------------------------------------


def advice_html(advice: HeatColdAdvice) -> str:
    """The tip for this hour, what studies show and do not show, the choice, and safety."""
    phase = advice.phase
    shown = "".join(_fact_html(fact) for fact in advice.shown)
    safety = "".join(_fact_html(fact) for fact in advice.safety)
    return (
        feedback_html("info", advice.headline, _fact_html(phase.tip))
        + f"<h3>What studies show</h3>{shown}"
        + f"<h3>What studies do not show</h3>{_fact_html(phase.not_shown)}"
        + feedback_html("right", "Use what helps you", _fact_html(advice.choice))
        + feedback_html("warning", "Stay safe", safety)
    )


class HeatColdExplorer(widgets.VBox):
    """A box for the hours since the spasm began; what is known about ice and heat at that hour.

    ``engines.explore.heat_or_cold`` gives the words; the view only shows them.
    """

    def __init__(self, **kwargs: Any) -> None:
        # A number box, not a slider: ipywidgets' slider handle has no accessible name, while
        # this is a native labelled input whose arrow keys step an hour at a time. Unbounded,
        # so a number out of range is named to the learner rather than quietly changed.
        self.max_hours = heat_cold_guide().max_hours
        self.hours = widgets.IntText(
            value=0,
            step=1,
            continuous_update=True,  # each arrow step updates the advice at once
            description="Hours since the spasm began",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto", max_width="24em"),
        )
        self.result = widgets.HTML()
        self.advice: HeatColdAdvice | None = None
        super().__init__([notice(), self.hours, self.result], **kwargs)
        self.hours.observe(self._update, names="value")
        self._update()

    def _update(self, _change: object = None) -> None:
        """Show what is known at the hour typed or stepped to, or what range is expected."""
        hours = self.hours.value
        if not 0 <= hours <= self.max_hours:
            self.advice = None
            self.result.value = feedback_html(
                "warning",
                f"Type a number from 0 to {self.max_hours}{_span_words(self.max_hours)}",
                f"<p>{hours} hours is {'less' if hours < 0 else 'more'} than this explorer "
                "covers. Nothing was changed: type another number.</p>",
            )
            return
        self.advice = heat_or_cold(hours)
        self.result.value = advice_html(self.advice)


def _span_words(hours: int) -> str:
    """The span in words for whole weeks or days, such as " - that's one week"; else ""."""
    for size, unit in ((168, "week"), (24, "day")):
        if hours % size == 0:
            count = hours // size
            amount = "one" if count == 1 else str(count)
            return f" - that's {amount} {unit}{'' if count == 1 else 's'}"
    return ""


# --- build my plan ------------------------------------------------------------------------


class PlanBuilder(widgets.VBox):
    """Choose stretches, posture tips, goals and easing tips; make a plan to print or save.

    ``engines.explore.build_plan`` makes the plan, with sources, the safety net and the
    notice. The download links are data URLs, so saving works in Voila without JavaScript.
    Changing a choice after making a plan clears it until the button is pressed again.
    ``show_notice=False`` leaves the notice above the choices to a page that shows it already.
    """

    def __init__(self, *, show_notice: bool = True, **kwargs: Any) -> None:
        menu = plan_menu()
        self.item_boxes: dict[str, widgets.Checkbox] = {
            item.id: _checkbox(item.label, item.text) for item in menu.items.values()
        }
        groups = []
        for group in menu.groups:
            rows = [
                widgets.VBox(
                    [
                        self.item_boxes[item.id],
                        widgets.HTML(
                            f'<div style="{_HELP_STYLE}">{escape(item.text)}</div>'
                            f"{picture_html(plan_item_svg(item.id), 240)}",
                            layout=widgets.Layout(margin="-6px 0 6px 26px"),
                        ),
                    ]
                )
                for item in menu.items.values()
                if item.group == group.id
            ]
            heading = widgets.HTML(
                f'<h4 style="margin:0.6em 0 0.1em">{escape(group.title)}</h4>'
                f'<div style="{_HELP_STYLE}">{escape(group.help)}</div>'
            )
            groups.append(widgets.VBox([heading, *rows]))
        self.name = widgets.Text(
            value="",
            description="Your name (optional)",
            placeholder="Leave empty if you like",
            style=LABEL_STYLE,
        )
        self.make_button = button(
            "Make my plan", "Make a plan from the items you ticked", style="primary"
        )
        self.plan = widgets.HTML()
        self.download = widgets.HTML()
        self.current: Plan | None = None
        reminder = widgets.HTML(
            feedback_html(
                "info", menu.reminder.text, f"<small>{source_links(menu.reminder.sources)}</small>"
            )
        )
        choices = widgets.VBox([widgets.HTML("<h3>Pick what to try</h3>"), reminder, *groups])
        output = widgets.VBox(
            [
                widgets.HTML("<h3>My plan</h3>"),
                self.name,
                self.make_button,
                self.download,
                self.plan,
            ]
        )
        shown = [notice()] if show_notice else []
        super().__init__([*shown, _columns(choices, output)], **kwargs)
        self.make_button.on_click(self._make)
        for control in (*self.item_boxes.values(), self.name):
            control.observe(self._changed, names="value")

    def _make(self, _button: object = None) -> None:
        """Make the plan from the ticked items and name; show it and its download links."""
        picked = [item_id for item_id, box in self.item_boxes.items() if box.value]
        try:
            self.current = build_plan(picked, self.name.value)
        except InputError as error:
            self.current = None
            self.plan.value = ""
            self.download.value = feedback_html(
                "warning", "Please check your choices", f"<p>{escape(_plan_problem(error))}</p>"
            )
            return
        self.plan.value = plan_html(self.current, standalone=False)
        self.download.value = feedback_html(
            "right",
            "Your plan is ready",
            f"<p>{plan_download_links(self.current)}</p>"
            '<p><button type="button" class="backspasm-print jupyter-button">Print my plan'
            "</button> <small>Printing this page prints only your plan.</small></p>",
        )

    def _changed(self, _change: object = None) -> None:
        """Clear a plan that no longer matches the choices, and say how to update it."""
        if self.current is None:
            return
        self.current = None
        self.plan.value = ""
        self.download.value = feedback_html(
            "info", 'Your choices changed. Press "Make my plan" to make a new plan.'
        )


def _plan_problem(error: InputError) -> str:
    """What to change, in a learner's words, when a plan cannot be made from the choices."""
    if error.field == "name":
        return f"The name on the plan is too long ({error.actual}): use at most {MAX_NAME_LENGTH}."
    return "Tick at least one thing to try, then press the button again."
