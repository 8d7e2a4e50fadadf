"""The triage engine's public contract: results, strict input checking and safety properties."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backspasm_edu import InputError
from backspasm_edu.content.loader import load_triage_table
from backspasm_edu.engines.triage import CareLevel, assess
from tests.builders import EMERGENCY_FINDINGS

NOTICE = "This is for learning, not a diagnosis. In an emergency call your local emergency number."

ALL_FINDINGS = sorted(load_triage_table().findings)

cases = st.fixed_dictionaries(
    {
        "age": st.integers(16, 120),
        "days_since_onset": st.integers(0, 4000),
        "first_episode": st.booleans(),
        "findings": st.lists(st.sampled_from(ALL_FINDINGS), unique=True),
    }
)


def test_issue_example_gives_see_doctor_with_its_reason() -> None:
    """The README example gives see_doctor, reports the firing rule and carries the notice."""
    result = assess(
        {"age": 42, "days_since_onset": 3, "first_episode": True, "findings": ["pain_below_knee"]}
    )
    assert result.level is CareLevel.SEE_DOCTOR
    assert [reason.rule_id for reason in result.reasons] == ["pain_below_knee"]
    reason = result.reasons[0]
    assert reason.finding == "pain_below_knee"
    assert "sciatica" in reason.reason
    assert reason.sources == ("mayo_clinic", "nice_ng59", "mayo_connected_care")
    assert result.advice.startswith("Book a visit")
    assert result.notice == NOTICE


def test_to_dict_is_json_ready_and_complete() -> None:
    """to_dict() survives a JSON round trip with level, reasons, advice, notice and input."""
    data = assess({"age": 60, "days_since_onset": 1, "findings": ["fever", "night_pain"]}).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["level"] == "emergency"
    assert [r["rule_id"] for r in data["reasons"]] == [
        "fever",
        "night_pain",
        "first_pain_at_50_or_over",
    ]
    assert data["input"] == {
        "age": 60,
        "days_since_onset": 1,
        "first_episode": True,
        "findings": ["fever", "night_pain"],
    }
    assert set(data) == {"level", "level_title", "reasons", "advice", "notice", "input"}


def test_defaults_are_first_episode_and_no_findings() -> None:
    """Missing first_episode is read as the cautious True and missing findings as none."""
    result = assess({"age": 55, "days_since_onset": 0})
    assert result.case.first_episode is True
    assert result.case.findings == frozenset()
    assert result.level is CareLevel.SEE_DOCTOR


def test_no_rule_fired_means_self_care_with_safety_net() -> None:
    """With nothing firing, the level is self care, no reasons, and advice has the safety net."""
    result = assess({"age": 30, "days_since_onset": 2})
    assert result.level is CareLevel.SELF_CARE
    assert result.reasons == ()
    assert "Get help at once if" in result.advice


def test_emergency_advice_says_call_now() -> None:
    """Emergency advice tells the person to call the emergency number now."""
    result = assess({"age": 30, "days_since_onset": 2, "findings": ["saddle_numbness"]})
    assert "emergency number" in result.advice


def test_more_urgent_source_wins_where_sources_disagree() -> None:
    """Fever (Mayo: immediately, NHS: urgent) is emergency and the rule cites both sources."""
    result = assess({"age": 30, "days_since_onset": 2, "findings": ["fever"]})
    assert result.level is CareLevel.EMERGENCY
    assert set(result.reasons[0].sources) >= {"mayo_clinic", "nhs"}


BAD_INPUTS = [
    ({"days_since_onset": 3}, "age: expected a whole number from 16 to 120 (years), got nothing"),
    (
        {"age": "42", "days_since_onset": 3},
        "age: expected a whole number from 16 to 120 (years), got '42'",
    ),
    (
        {"age": 42.0, "days_since_onset": 3},
        "age: expected a whole number from 16 to 120 (years), got 42.0",
    ),
    (
        {"age": True, "days_since_onset": 3},
        "age: expected a whole number from 16 to 120 (years), got True",
    ),
    (
        {"age": 15, "days_since_onset": 3},
        "age: expected a whole number from 16 to 120 (years), got 15",
    ),
    (
        {"age": 121, "days_since_onset": 3},
        "age: expected a whole number from 16 to 120 (years), got 121",
    ),
    ({"age": 42}, "days_since_onset: expected a whole number from 0 to"),
    (
        {"age": 42, "days_since_onset": -1},
        "days_since_onset: expected a whole number from 0 to 43920 (days since the pain began), got -1",
    ),
    (
        {"age": 42, "days_since_onset": 3, "first_episode": "yes"},
        "first_episode: expected true or false, got 'yes'",
    ),
    (
        {"age": 42, "days_since_onset": 3, "findings": "fever"},
        "findings: expected a list of finding ids, got 'fever'",
    ),
    (
        {"age": 42, "days_since_onset": 3, "findings": ["feverr"]},
        "findings[0]: expected a finding id from the list in the README, got 'feverr' (did you mean \"fever\"?)",
    ),
    (
        {"age": 42, "days_since_onset": 3, "findings": ["fever", 7]},
        "findings[1]: expected a finding id from the list in the README, got 7",
    ),
    (
        {"age": 42, "days_since_onset": 3, "finding": []},
        "finding: expected one of the keys age, days_since_onset, first_episode, findings, got the unknown key 'finding' (did you mean \"findings\"?)",
    ),
    (
        {"age": 42, "days_since_onset": 3, "": 1},
        "input: expected one of the keys age, days_since_onset, first_episode, findings, got the unknown key ''",
    ),
    (
        [42, 3],
        "input: expected an object with the keys age, days_since_onset, first_episode, findings, got [42, 3]",
    ),
    (None, "input: expected an object"),
]


@pytest.mark.parametrize(("data", "message"), BAD_INPUTS)
def test_bad_input_raises_input_error_naming_field_expected_and_actual(data, message) -> None:
    """Each kind of bad input raises InputError whose message names field, expected and actual."""
    with pytest.raises(InputError) as caught:
        assess(data)
    assert str(caught.value).startswith(message)


def test_input_error_carries_its_parts() -> None:
    """InputError exposes field, expected, actual and suggestions for programs to use."""
    with pytest.raises(InputError) as caught:
        assess({"age": 42, "days_since_onset": 3, "findings": ["saddle_numbnes"]})
    error = caught.value
    assert (error.field, error.actual, error.suggestions) == (
        "findings[0]",
        "'saddle_numbnes'",
        ("saddle_numbness",),
    )


def test_huge_value_is_shortened_in_the_message() -> None:
    """A huge bad value is cut short in the message rather than flooding the screen."""
    with pytest.raises(InputError) as caught:
        assess({"age": "x" * 10_000, "days_since_onset": 1})
    assert len(str(caught.value)) < 200


@given(cases, st.sampled_from(sorted(EMERGENCY_FINDINGS)))
def test_any_emergency_finding_gives_emergency(case, finding) -> None:
    """Whatever else is true, one emergency finding makes the level emergency."""
    case = {**case, "findings": sorted({*case["findings"], finding})}
    assert assess(case).level is CareLevel.EMERGENCY


# Written out from SOURCES.md and issue 11, not read from the rule table, so the table is checked.
NERVE_SIGNS = [
    "pain_below_knee", "leg_numbness_or_weakness", "one_leg_weakness", "worsening_leg_weakness",
    "both_legs_affected", "saddle_numbness", "new_bladder_problem", "new_bowel_problem",
    "new_sexual_dysfunction",
]  # fmt: skip
INFECTION_RISKS = [
    "injects_drugs", "weakened_immune_system", "long_term_steroids",
    "recent_infection_or_spine_procedure",
]  # fmt: skip


@given(cases, st.sampled_from(NERVE_SIGNS))
def test_cancer_history_with_any_nerve_sign_gives_emergency(case, nerve_sign) -> None:
    """A past cancer plus any nerve sign is emergency (possible spinal cord compression)."""
    findings = sorted({*case["findings"], "cancer_history", nerve_sign})
    result = assess({**case, "findings": findings})
    assert result.level is CareLevel.EMERGENCY
    assert "cancer_and_nerve_sign" in [reason.rule_id for reason in result.reasons]


@given(cases, st.sampled_from(INFECTION_RISKS), st.sampled_from(NERVE_SIGNS))
def test_infection_risk_with_any_nerve_sign_gives_emergency(case, risk, nerve_sign) -> None:
    """Any infection risk plus any nerve sign is emergency (possible spinal abscess)."""
    result = assess({**case, "findings": sorted({*case["findings"], risk, nerve_sign})})
    assert result.level is CareLevel.EMERGENCY
    assert "infection_risk_and_nerve_sign" in [reason.rule_id for reason in result.reasons]


@given(cases, st.sampled_from(["osteoporosis", "long_term_steroids"]))
def test_fragile_bones_with_sudden_pain_after_a_small_strain_is_at_least_urgent(
    case, bones
) -> None:
    """Thin bones or long-term steroids with pain that began on a small strain is urgent or higher."""
    findings = sorted({*case["findings"], bones, "sudden_onset_after_minor_strain"})
    result = assess({**case, "findings": findings})
    assert result.level.urgency >= CareLevel.URGENT.urgency
    assert "fragile_bones_and_sudden_pain" in [reason.rule_id for reason in result.reasons]


def test_nerve_sign_without_cancer_or_infection_risk_stays_below_emergency() -> None:
    """The combined rules need both parts: one-leg pain alone is see_doctor, a past cancer urgent."""
    base = {"age": 40, "days_since_onset": 3}
    assert assess({**base, "findings": ["pain_below_knee"]}).level is CareLevel.SEE_DOCTOR
    assert assess({**base, "findings": ["cancer_history"]}).level is CareLevel.URGENT
    assert assess({**base, "findings": ["injects_drugs"]}).level is CareLevel.URGENT
    assert assess({**base, "findings": ["sudden_onset_after_minor_strain"]}).level is (
        CareLevel.SELF_CARE
    )


@given(cases, st.sampled_from(ALL_FINDINGS))
def test_adding_a_finding_never_lowers_the_level(case, extra) -> None:
    """Adding any finding to any case keeps or raises the urgency."""
    before = assess(case).level
    after = assess({**case, "findings": sorted({*case["findings"], extra})}).level
    assert after.urgency >= before.urgency


@given(cases)
def test_every_result_carries_notice_and_consistent_reasons(case) -> None:
    """Every result has the notice, advice, and a level equal to its most urgent reason."""
    result = assess(case)
    assert result.notice == NOTICE
    assert result.to_dict()["notice"] == NOTICE
    assert result.advice
    expected = max((r.level.urgency for r in result.reasons), default=0)
    assert result.level.urgency == expected
    table = load_triage_table()
    for finding in case["findings"]:
        assert result.level.urgency >= table.level_of(finding).urgency


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner, max_size=5)
        ),
        max_leaves=12,
    )
)
def test_arbitrary_json_values_raise_only_input_error(data) -> None:
    """Any JSON-like value either assesses cleanly or raises InputError, never anything else."""
    try:
        result = assess(data)
    except InputError as error:
        assert error.field and error.expected
    else:
        assert result.notice == NOTICE
