"""The patient case views, headless: choices, feedback in words, back, restart and endings."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest

from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.content.model import CareLevel, Scenario
from backspasm_edu.widgets._common import LEVEL_SYMBOLS
from backspasm_edu.widgets.scenario_view import ScenarioPicker, ScenarioView
from tests.builders import load_case, tiny
from tests.widgets.helpers import unlabelled, visible_text

CASES = list(load_library().scenarios)


pytestmark = pytest.mark.usefixtures("callbacks_raise")


def text_of(widget: widgets.Widget) -> str:
    """What a learner reads, with HTML entities turned back into characters."""
    return html.unescape(visible_text(widget))


def tiny_case() -> Scenario:
    """The small fixture case, validated like an instructor file."""
    scenario, problems = load_case(tiny())
    assert problems == [] and scenario is not None
    return scenario


def choose(view: ScenarioView, choice_text: str) -> None:
    """Click the button that says the given choice text."""
    matches = [b for b in view.choice_buttons if b.description == choice_text]
    assert len(matches) == 1, choice_text
    matches[0].click()


def walk_first_choices(view: ScenarioView) -> int:
    """Click the first choice until the story ends; return how many choices were made."""
    made = 0
    while view.choice_buttons:
        view.choice_buttons[0].click()
        made += 1
        assert made < 30, "the first choices loop"
    return made


@pytest.mark.parametrize("scenario_id", CASES)
def test_first_choices_reach_an_ending_with_care_level_and_teaching_points(
    scenario_id: str,
) -> None:
    """Each case ends in its outcome, care level in words with its symbol, points and notice."""
    view = ScenarioView(scenario_id)
    made = walk_first_choices(view)
    assert view.session.finished and len(view.session.history) == made
    ending = view.session.current.ending
    assert ending is not None
    level = load_triage_table().levels[ending.care_level]
    text = text_of(view)
    assert f"{LEVEL_SYMBOLS[ending.care_level]} Care level: {level.title}." in text
    assert ending.outcome.strip() in text
    for point in ending.teaching_points:
        assert point.strip() in text
    assert "Sources:" in text_of(view.ending)
    assert load_triage_table().notice in text
    assert f"Score: {view.session.points} of {view.session.max_points} points" in text


def test_hidden_red_flag_first_choices_reach_an_emergency_ending() -> None:
    """Asking the safety questions and acting on them ends at "Get help now" with ⚠."""
    view = ScenarioView("hidden_red_flag")
    walk_first_choices(view)
    assert view.session.current.ending is not None
    assert view.session.current.ending.care_level is CareLevel.EMERGENCY
    assert "⚠ Care level: Get help now." in text_of(view.ending)
    assert "Score: 6 of 6 points" in text_of(view)


def test_poor_choice_feedback_says_so_in_words() -> None:
    """A poor choice reads ✗ Poor choice with the engine's feedback, and the path records it."""
    view = ScenarioView("hidden_red_flag")
    choose(
        view,
        "Sam has had this before, so hand over the heat patch and ibuprofen and take payment.",
    )
    feedback = text_of(view.feedback)
    assert "✗ Poor choice: risky" in feedback
    assert "Having had spasms before does not mean this one is the same." in feedback
    assert "✗ Poor choice" in text_of(view.path)
    assert "Score: 0 of 2 points" in text_of(view)


def test_good_and_acceptable_choices_read_in_words() -> None:
    """A good choice reads ✓ Good choice and an acceptable one ◐ Acceptable, with scores."""
    view = ScenarioView(tiny_case())
    choose(view, "Ask about warning signs")
    assert "✓ Good choice" in text_of(view.feedback)
    assert "Good habit." in text_of(view.feedback)
    choose(view, "Ask a little more")
    assert "◐ Acceptable" in text_of(view.feedback)
    assert "Score: 3 of 4 points" in text_of(view)


def test_each_choice_is_its_own_button_in_its_own_words() -> None:
    """Each choice's full text is the words on its button; no "Choose 1" stands apart from it."""
    view = ScenarioView("hidden_red_flag")
    choices = view.session.current.choices
    assert [b.description for b in view.choice_buttons] == [c.text for c in choices]
    assert all("backspasm-choice" in b._dom_classes for b in view.choice_buttons)
    assert "Choose 1" not in text_of(view)


def test_the_role_and_how_it_is_scored_are_said_at_the_start() -> None:
    """Before any choice the case says who the learner is and that the first choice counts."""
    view = ScenarioView("hidden_red_flag")
    text = text_of(view)
    assert "Your role: You work at the counter of a local pharmacy" in text
    assert "your first choice at each step counts" in text


def test_a_choice_made_after_going_back_is_marked_as_explored() -> None:
    """The path says a choice after Back was explored and the first choice there still counts."""
    view = ScenarioView(tiny_case(), learner="")
    choose(view, "Ask about warning signs")
    choose(view, "Suggest waiting a day")
    view.back_button.click()
    choose(view, "Ask a little more")
    path = text_of(view.path)
    assert "explored after going back: your first choice here counts" in path
    assert "Score: 2 of 4 points" in text_of(view)


def test_back_undoes_one_choice_and_restart_goes_to_the_start() -> None:
    """Back returns to the previous point with a shorter path; Start again clears the path."""
    view = ScenarioView("hidden_red_flag")
    start = text_of(view.story)
    assert view.back_button.disabled and "No choices yet." in text_of(view.path)
    view.choice_buttons[0].click()
    second = text_of(view.story)
    view.choice_buttons[0].click()
    assert len(view.session.history) == 2
    view.back_button.click()
    assert text_of(view.story) == second and len(view.session.history) == 1
    assert "You went back one step." in text_of(view.feedback)
    view.restart_button.click()
    assert text_of(view.story) == start
    assert "No choices yet." in text_of(view.path) and view.feedback.value == ""
    assert view.back_button.disabled and view.restart_button.disabled


def test_back_from_an_ending_shows_the_choices_again() -> None:
    """Going back from an ending hides the ending and the notice and offers the choices again."""
    view = ScenarioView("hidden_red_flag")
    walk_first_choices(view)
    assert view.notice in view.children
    view.back_button.click()
    assert view.ending.value == "" and view.notice not in view.children
    assert len(view.choice_buttons) == 2


def test_back_at_the_start_changes_nothing() -> None:
    """Clicking Back at the start raises nothing and stays at the start."""
    view = ScenarioView("lifting_spasm")
    before = view.story.value
    view.back_button.click()
    assert view.story.value == before and view.session.history == ()


def test_self_care_ending_still_shows_the_notice() -> None:
    """A self-care ending shows ✓ with its level in words and the not-a-diagnosis notice."""
    view = ScenarioView(tiny_case())
    choose(view, "Suggest bed rest")
    choose(view, "Get moving again")
    title = load_triage_table().levels[CareLevel.SELF_CARE].title
    assert f"✓ Care level: {title}." in text_of(view.ending)
    assert load_triage_table().notice in text_of(view)


@pytest.mark.parametrize("scenario_id", CASES)
def test_every_control_has_a_readable_name(scenario_id: str) -> None:
    """Every control at the start and at the ending of a case, and in the picker, is named."""
    view = ScenarioView(scenario_id)
    assert unlabelled(view) == []
    walk_first_choices(view)
    assert unlabelled(view) == []
    assert unlabelled(ScenarioPicker()) == []


def test_scenario_picker_starts_each_packaged_case() -> None:
    """The picker lists every case by title with its summary and starts one view at a time."""
    picker = ScenarioPicker()
    scenarios = load_library().scenarios
    assert picker.picker.description == "Choose a case"
    assert [label for label, _ in picker.picker.options] == [s.title for s in scenarios.values()]
    assert picker.view is None
    for scenario in scenarios.values():
        picker.picker.value = scenario.id
        assert scenario.summary.strip() in text_of(picker)
        picker.start_button.click()
        assert isinstance(picker.view, ScenarioView)
        assert picker.view.session.scenario_id == scenario.id
        assert sum(isinstance(child, ScenarioView) for child in picker.children) == 1
