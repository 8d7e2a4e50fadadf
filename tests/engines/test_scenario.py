"""The scenario engine: walking a case, back, restart, score, and the load-time graph checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from backspasm_edu import InputError, ScenarioSession, SessionError
from backspasm_edu.content.loader import load_library
from backspasm_edu.content.model import CareLevel
from tests.builders import load_case, tiny

DATA = Path(__file__).parents[1] / "data"


def test_fixture_case_is_valid() -> None:
    """The fixture case passes every load-time check."""
    scenario, problems = load_case(tiny())
    assert problems == [] and scenario is not None


def test_walk_to_an_ending_with_history_and_score() -> None:
    """Choosing through the case records history, gives feedback and reaches the ending."""
    session = ScenarioSession(load_case(tiny())[0])
    assert session.current.id == "start" and not session.finished
    step = session.choose("ask")
    assert (step.feedback, step.rating, step.to_node) == ("Good habit.", "good", "numb")
    session.choose("think")
    session.choose("now")
    assert session.finished
    assert session.current.ending.care_level is CareLevel.EMERGENCY
    assert [s.choice_id for s in session.history] == ["ask", "think", "now"]
    assert (session.points, session.max_points) == (5, 6)
    assert session.score == pytest.approx(5 / 6)


def test_back_undoes_one_choice_and_restart_clears_all() -> None:
    """back() returns to the previous node and restart() to the start with no history."""
    session = ScenarioSession(load_case(tiny())[0])
    session.choose("ask")
    session.choose("wait")
    assert session.back().id == "numb"
    assert [s.choice_id for s in session.history] == ["ask"]
    assert session.restart().id == "start"
    assert session.history == () and session.score == 1.0
    with pytest.raises(SessionError):
        session.back()


def test_the_first_choice_at_each_point_is_the_one_scored() -> None:
    """Going back to try a better choice explores it but scores the first one made there."""
    session = ScenarioSession(load_case(tiny())[0])
    session.choose("ask")
    session.choose("wait")  # poor
    session.back()
    step = session.choose("now")  # good, but the second choice here
    assert not step.counts and step.scored_rating == "poor" and step.points == 0
    assert (session.points, session.max_points) == (2, 4)
    session.back()
    session.back()
    again = session.choose("ask")
    assert again.counts is False and again.points == 2  # the first choice here was good too


def test_probing_every_choice_with_back_never_beats_the_first_walk() -> None:
    """Trying each choice at every point and keeping the best scores no more than the first walk."""
    session = ScenarioSession(load_case(tiny())[0])
    session.choose("ask")
    first_points = session.points
    session.choose("wait")
    for choice in ("think", "now"):
        session.back()
        session.choose(choice)
    assert session.points == first_points + 0  # "wait" (poor) came first at this point
    session.restart()
    session.choose("ask")
    assert session.history[0].counts  # a new run scores afresh


def test_every_packaged_case_says_the_learners_role() -> None:
    """Each packaged case states who the learner is; a case without one gets a plain default."""
    for case in load_library().scenarios.values():
        assert case.role and case.learner_role == case.role
    assert load_case(tiny())[0].learner_role == "You are helping Alex decide what to do."


def test_unknown_choice_and_choosing_after_the_end_are_refused() -> None:
    """An unknown choice id raises InputError; choosing at an ending raises SessionError."""
    session = ScenarioSession(load_case(tiny())[0])
    with pytest.raises(InputError, match="choice: expected one of 'ask', 'rest'"):
        session.choose("run")
    session.choose("rest")
    session.choose("move")
    with pytest.raises(SessionError):
        session.choose("move")


def test_node_view_does_not_reveal_where_choices_lead() -> None:
    """The current view lists choices by id and text only, with no feedback or rating."""
    view = ScenarioSession(load_case(tiny())[0]).current
    assert "Staying active is better." not in repr(view)
    assert "poor" not in repr(view)


def break_case(change) -> list[str]:
    """Problems found in the fixture case after applying a change to it."""
    data = tiny()
    change(data)
    return load_case(data)[1]


def node(data: dict, node_id: str) -> dict:
    """The node with the given id in a scenario mapping."""
    return next(n for n in data["nodes"] if n["id"] == node_id)


def test_unreachable_node_is_reported() -> None:
    """A node no path reaches is reported by its index."""
    problems = break_case(lambda d: d["nodes"].append({**node(d, "home_end"), "id": "orphan"}))
    assert problems == [
        "case.yaml: nodes[7]: expected every node reachable from the start, 'orphan' is not"
    ]


def test_choice_to_a_missing_node_is_reported() -> None:
    """A choice leading to a node that does not exist is reported with a suggestion."""
    problems = break_case(lambda d: node(d, "home")["choices"][0].update(to="home_ned"))
    assert problems[0] == (
        "case.yaml: nodes[3].choices[0].to: expected a node id, got 'home_ned' (did you mean 'home_end' or 'home'?)"
    )


def test_dead_end_is_reported() -> None:
    """A node with neither choices nor an ending is a dead end."""
    problems = break_case(lambda d: node(d, "numb_more").pop("choices"))
    assert (
        "case.yaml: nodes[2]: expected choices or an ending, got neither (a dead end)" in problems
    )


def test_red_flag_path_to_a_too_mild_ending_is_refused() -> None:
    """An ending reached after a red flag must advise at least that finding's level."""
    problems = break_case(lambda d: node(d, "late_end")["ending"].update(care_level="urgent"))
    assert problems == [
        "case.yaml: nodes[5].ending.care_level: expected at least 'emergency': a path reaches "
        "this ending with findings saddle_numbness (age 30, day 1), got 'urgent'"
    ]


def test_patient_facts_count_on_every_path() -> None:
    """A first episode at 50 makes a self-care ending too mild even with no findings."""
    problems = break_case(lambda d: d["patient"].update(age=50))
    assert any("home_end" not in p and "expected at least 'see_doctor'" in p for p in problems)


def test_unknown_finding_and_duplicate_node_are_reported() -> None:
    """Unknown finding ids and repeated node ids are both reported."""

    def change(data: dict) -> None:
        node(data, "numb")["findings"] = ["saddle_numbnes"]
        data["nodes"].append(dict(node(data, "home_end")))

    problems = break_case(change)
    assert any(
        "nodes[1].findings[0]: expected a finding id, got 'saddle_numbnes'" in p for p in problems
    )
    assert any(
        "nodes[7].id: expected each node id once, got 'home_end' 2 times" in p for p in problems
    )


def test_packaged_cases_cover_the_four_required_stories() -> None:
    """At least four packaged cases ship, including the four the curriculum asks for."""
    scenarios = load_library().scenarios
    assert {"lifting_spasm", "desk_worker", "pain_below_knee", "hidden_red_flag"} <= set(scenarios)


@pytest.mark.parametrize(
    "scenario_id", ["lifting_spasm", "desk_worker", "pain_below_knee", "hidden_red_flag"]
)
def test_every_packaged_case_can_be_walked_to_an_ending(scenario_id) -> None:
    """Always taking the first choice reaches an ending in every packaged case."""
    session = ScenarioSession(scenario_id)
    for _ in range(50):
        if session.finished:
            break
        session.choose(session.current.choices[0].id)
    assert session.finished and session.current.ending.teaching_points


def test_hidden_red_flag_case_reveals_saddle_numbness_and_ends_in_emergency() -> None:
    """The hidden-red-flag case reveals saddle numbness and all its endings are emergencies."""
    scenario = load_library().scenarios["hidden_red_flag"]
    assert any("saddle_numbness" in n.findings for n in scenario.nodes.values())
    endings = [n.ending for n in scenario.nodes.values() if n.ending]
    assert endings and all(e.care_level is CareLevel.EMERGENCY for e in endings)
