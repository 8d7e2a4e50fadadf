"""The explorer views, headless: controls labelled, results from the core, plan and download."""

from __future__ import annotations

import base64
import html
import re

import ipywidgets as widgets
import pytest

from backspasm_edu.content.loader import load_triage_table
from backspasm_edu.engines.explore import build_plan, heat_or_cold, plan_menu, trigger_table
from backspasm_edu.render.plan import plan_html
from backspasm_edu.widgets.explorers import CauseExplorer, HeatColdExplorer, PlanBuilder
from tests.builders import without_picture_ids
from tests.widgets.helpers import state_json, visible_text, walk

TABLE = load_triage_table()
VIEWS = [CauseExplorer, HeatColdExplorer, PlanBuilder]
CONTROLS = (widgets.Checkbox, widgets.BoundedIntText, widgets.IntText, widgets.Text, widgets.Button)


def text_of(widget: widgets.Widget) -> str:
    """What a learner reads in a widget, entities decoded."""
    return html.unescape(visible_text(widget))


@pytest.mark.parametrize("view", VIEWS)
def test_every_control_has_a_description(view):
    """Each checkbox, number box, text box and button of the view has visible describing text."""
    controls = [w for w in walk(view()) if isinstance(w, CONTROLS)]
    assert controls
    assert all(control.description.strip() for control in controls)


@pytest.mark.parametrize("view", VIEWS)
def test_view_shows_the_notice_and_uses_no_output_or_script(view):
    """The view shows the not-a-diagnosis notice, and has no Output widget and no script."""
    built = view()
    assert TABLE.notice in text_of(built)
    assert not any(isinstance(w, widgets.Output) for w in walk(built))
    assert "<script" not in state_json(built).lower()


# --- causes -------------------------------------------------------------------------------


def test_cause_explorer_offers_every_habit_and_starts_with_a_hint():
    """One labelled box per habit, none ticked, and an ℹ hint to tick what fits."""
    explorer = CauseExplorer()
    habits = trigger_table().habits
    assert {k: b.description for k, b in explorer.habit_boxes.items()} == {
        h.id: h.label for h in habits.values()
    }
    assert "ℹ Tick anything that fits your days" in text_of(explorer.result)
    assert explorer.report.triggers == ()


def test_ticking_habits_shows_their_trigger_once_with_prevention_and_sources():
    """Sitting and slouching show one trigger, both reasons, its prevention and source names."""
    explorer = CauseExplorer()
    explorer.habit_boxes["sit_most_of_the_day"].value = True
    explorer.habit_boxes["slouch_at_a_screen"].value = True
    text = text_of(explorer.result)
    assert explorer.result.value.count(">Using your muscles too little</h4>") == 1
    assert explorer.result.value.count(">Using your muscles too little</title>") == 1  # picture
    assert "You ticked: I sit for most of the day; I slouch at a screen" in text
    assert "✓ How to prevent it" in text
    assert "Cleveland Clinic" in text and "Mayo Clinic" in text and "AHS" in text


def test_diet_shows_the_weak_evidence_note():
    """Drinking little water shows the trigger with a ⚠ note that the evidence is weak."""
    explorer = CauseExplorer()
    explorer.habit_boxes["drink_little_water"].value = True
    text = text_of(explorer.result)
    assert "⚠ About the evidence" in text and "evidence for these food causes is weak" in text


def test_fall_shows_get_help_now_with_reason_action_and_notice():
    """A fall or accident shows ⚠ Get help now first, checked at once, what to do and the notice."""
    explorer = CauseExplorer()
    explorer.habit_boxes["feel_stressed"].value = True
    explorer.habit_boxes["had_a_fall_or_accident"].value = True
    text = text_of(explorer.result)
    assert text.startswith("⚠ Get help now: I had a fall or accident")
    assert "checked at once" in text
    assert "Call your local emergency number" in text
    assert TABLE.notice in text
    explorer.habit_boxes["had_a_fall_or_accident"].value = False
    assert "Get help now" not in text_of(explorer.result)


# --- ice or heat --------------------------------------------------------------------------


def test_heat_cold_hours_span_a_week():
    """The hours box starts at hour 0, steps a whole hour, and the explorer covers a week."""
    explorer = HeatColdExplorer()
    assert (explorer.hours.step, explorer.hours.value, explorer.max_hours) == (1, 0, 168)


@pytest.mark.parametrize(("hours", "words"), [(500, "more"), (-3, "less")])
def test_heat_cold_names_hours_out_of_range_and_changes_nothing(hours, words):
    """500 or -3 hours is named with the range in words ("0 to 168 - that's one week"), not clamped."""
    explorer = HeatColdExplorer()
    explorer.hours.value = hours
    text = text_of(explorer.result)
    assert "⚠ Type a number from 0 to 168 - that's one week" in text
    assert f"{hours} hours is {words} than this explorer covers" in text
    assert explorer.hours.value == hours and explorer.advice is None
    explorer.hours.value = 168
    assert explorer.advice == heat_or_cold(168)


def test_heat_cold_text_changes_at_hour_48_and_stays_honest():
    """Hour 47 and hour 48 show different phases; both say the tip is not proven, with evidence."""
    explorer = HeatColdExplorer()
    explorer.hours.value = 47
    before = text_of(explorer.result)
    explorer.hours.value = 48
    after = text_of(explorer.result)
    assert before.startswith("ℹ The first 2 days (47 hours since the spasm began)")
    assert after.startswith("ℹ After the first 2 days (48 hours since the spasm began)")
    assert before != after
    for text in (before, after):
        assert "not a rule that studies have proven" in text
        assert "moderate evidence" in text and "too little evidence" in text
        assert "✓ Use what helps you" in text and "whichever helps you more" in text
        assert "⚠ Stay safe" in text and "cloth" in text
        assert "NINDS" in text and "Cochrane heat/cold" in text and "ACP 2017" in text


def test_heat_cold_view_shows_the_core_advice():
    """The view's advice is exactly the core's for the slider's hour."""
    explorer = HeatColdExplorer()
    explorer.hours.value = 100
    assert explorer.advice == heat_or_cold(100)


# --- build my plan ------------------------------------------------------------------------


def test_plan_builder_offers_every_item_by_group():
    """One labelled box per plan item, each under its group heading, plus name and button."""
    builder = PlanBuilder()
    menu = plan_menu()
    assert {k: b.description for k, b in builder.item_boxes.items()} == {
        i.id: i.label for i in menu.items.values()
    }
    text = text_of(builder)
    assert all(group.title in text for group in menu.groups)
    assert builder.name.description == "Your name (optional)"
    assert builder.make_button.description == "Make my plan"


def test_making_a_plan_with_nothing_ticked_asks_to_check():
    """Pressing the button with nothing ticked shows a ⚠ message and no plan or link."""
    builder = PlanBuilder()
    builder.make_button.click()
    assert text_of(builder.download).startswith("⚠ Please check your choices")
    assert "Tick at least one thing to try" in text_of(builder.download)
    assert "item_ids" not in builder.download.value and "expected" not in builder.download.value
    assert builder.plan.value == "" and builder.current is None
    assert "data:" not in builder.download.value


def test_making_a_plan_shows_it_with_safety_net_notice_and_download():
    """Ticked items and a name make a plan with sources, safety net, notice and data links."""
    builder = PlanBuilder()
    builder.item_boxes["knee_hug"].value = True
    builder.item_boxes["lift_well"].value = True
    builder.name.value = "Sam"
    builder.make_button.click()
    plan = text_of(builder.plan)
    assert "Made for Sam on " in plan and "Knee hug." in plan and "Lifting." in plan
    assert "Sources" in plan and "AHS" in plan and "Mayo Clinic" in plan
    assert "Print my plan" in text_of(builder.download)
    assert TABLE.safety_net in plan and TABLE.notice in plan
    assert text_of(builder.download).startswith("✓ Your plan is ready")
    link = re.search(
        r'<a download="my_back_plan\.html" href="data:text/html;charset=utf-8;base64,([^"]+)">',
        builder.download.value,
    )
    assert link is not None
    expected = plan_html(build_plan(["knee_hug", "lift_well"], "Sam"))
    saved = base64.b64decode(link.group(1)).decode("utf-8")
    assert without_picture_ids(saved) == without_picture_ids(expected)
    assert 'download="my_back_plan.md"' in builder.download.value


def test_changing_a_choice_clears_the_old_plan():
    """After a plan is made, ticking another item clears it and says to press the button again."""
    builder = PlanBuilder()
    builder.item_boxes["stand_well"].value = True
    builder.make_button.click()
    builder.item_boxes["calm_stress"].value = True
    assert builder.current is None and builder.plan.value == ""
    assert text_of(builder.download).startswith(
        'ℹ Your choices changed. Press "Make my plan" to make a new plan.'
    )
    builder.make_button.click()
    assert "Calm my stress." in text_of(builder.plan)


def test_name_too_long_is_reported_in_words():
    """A name over 60 characters is explained in a learner's words, with no download link."""
    builder = PlanBuilder()
    builder.item_boxes["stand_well"].value = True
    builder.name.value = "x" * 61
    builder.make_button.click()
    message = text_of(builder.download)
    assert "The name on the plan is too long (61 characters): use at most 60." in message
    assert "expected" not in message
    assert "data:" not in builder.download.value
