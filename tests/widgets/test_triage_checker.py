"""The triage checker view: its controls, live results from the engine, and the notice."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget_description import DescriptionWidget

from backspasm_edu import InputError
from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.engines.triage import CareLevel, assess
from backspasm_edu.widgets import triage_checker
from backspasm_edu.widgets._common import LEVEL_SYMBOLS
from backspasm_edu.widgets.triage_checker import TriageChecker
from tests.widgets.helpers import visible_text, walk

TABLE = load_triage_table()


def result_text(checker: TriageChecker) -> str:
    """The result box as a learner reads it."""
    return html.unescape(visible_text(checker.result))


def test_default_is_self_care_and_shows_notice():
    """A new checker (age 30, 1 day, first episode, no signs) shows self care and the notice."""
    checker = TriageChecker()
    assert (checker.age.value, checker.days.value, checker.first_episode.value) == (30, 1, True)
    assert checker.assessment is not None
    assert checker.assessment.level is CareLevel.SELF_CARE
    assert "✓ Look after it at home (self care)" in result_text(checker)
    assert TABLE.notice in visible_text(checker)


def test_saddle_numbness_shows_emergency_in_words_with_symbol():
    """Ticking saddle numbness shows "⚠ Get help now (emergency)", the reason and its sources."""
    checker = TriageChecker()
    checker.finding_boxes["saddle_numbness"].value = True
    text = result_text(checker)
    assert checker.assessment is not None
    assert checker.assessment.level is CareLevel.EMERGENCY
    assert "⚠ Get help now (emergency)" in text
    assert "Call your local emergency number" in text
    rule = next(rule for rule in TABLE.rules if rule.id == "saddle_numbness")
    assert rule.reason in text
    assert "NHS" in text and "Finucane 2020" in text


def test_unticking_returns_to_the_lower_level():
    """Unticking the only emergency sign brings the result back to self care."""
    checker = TriageChecker()
    box = checker.finding_boxes["saddle_numbness"]
    box.value = True
    box.value = False
    assert checker.assessment is not None
    assert checker.assessment.level is CareLevel.SELF_CARE
    text = result_text(checker)
    assert "Look after it at home (self care)" in text and "Get help now" not in text


def test_first_back_pain_at_55_means_see_a_doctor_with_the_reason():
    """Age 55 with a first episode shows "Book a visit" and the first-pain-at-50 rule's reason."""
    checker = TriageChecker()
    checker.age.value = 55
    text = result_text(checker)
    rule = next(rule for rule in TABLE.rules if rule.id == "first_pain_at_50_or_over")
    assert checker.assessment is not None
    assert checker.assessment.level is CareLevel.SEE_DOCTOR
    assert f"{LEVEL_SYMBOLS[CareLevel.SEE_DOCTOR]} Book a visit (see doctor)" in text
    assert "Aged 50 or over and The first back pain ever" in text and rule.reason in text
    assert "first_pain_at_50_or_over" not in text


def test_first_episode_and_days_are_passed_to_the_engine():
    """Unticking first episode at 55 gives self care; 28 days of pain gives see a doctor."""
    checker = TriageChecker()
    checker.age.value = 55
    checker.first_episode.value = False
    assert checker.assessment is not None
    assert checker.assessment.level is CareLevel.SELF_CARE
    checker.days.value = 28
    assert checker.assessment.level is CareLevel.SEE_DOCTOR
    assert "Pain for 28 days or more" in result_text(checker)


@pytest.mark.parametrize("finding_id", list(TABLE.findings))
def test_each_finding_gives_the_engines_answer(finding_id):
    """For each finding ticked alone, the view shows exactly the engine's level and reasons."""
    checker = TriageChecker()
    checker.finding_boxes[finding_id].value = True
    expected = assess({"age": 30, "days_since_onset": 1, "findings": [finding_id]})
    assert checker.assessment == expected
    text = result_text(checker)
    assert f"{expected.level_title} ({expected.level.value.replace('_', ' ')})" in text
    for reason in expected.reasons:
        assert reason.reason in text
        assert "_" not in reason.rule_id or reason.rule_id not in text  # ids never shown


def test_every_reason_is_listed_with_its_sources():
    """With several signs ticked, every fired rule appears with each of its sources by name."""
    checker = TriageChecker()
    checker.set_findings(["fever", "night_pain", "pain_below_knee", "osteoporosis"])
    assert checker.assessment is not None
    assert len(checker.assessment.reasons) == 4
    text = result_text(checker)
    sources = load_library().sources
    for reason in checker.assessment.reasons:
        assert reason.reason in text
        assert "_" not in reason.rule_id or reason.rule_id not in text  # ids never shown
        for source_id in reason.sources:
            assert f">{html.escape(sources[source_id].name)}</a>" in checker.result.value


def test_every_finding_has_exactly_one_checkbox():
    """Each finding id has one checkbox, labelled and placed once in the view."""
    checker = TriageChecker()
    assert list(checker.finding_boxes) == list(TABLE.findings)
    boxes = [w for w in walk(checker) if isinstance(w, widgets.Checkbox)]
    assert len(boxes) == len(TABLE.findings) + 1  # and "This is my first ever back pain"
    for finding_id, box in checker.finding_boxes.items():
        assert sum(1 for w in boxes if w is box) == 1
        assert box.description == TABLE.findings[finding_id].label


def test_every_group_title_and_finding_help_is_shown():
    """Every group title and help text, and each finding's help (as text and tooltip), is shown."""
    checker = TriageChecker()
    text = html.unescape(visible_text(checker))
    for group in TABLE.groups:
        assert group.title in text and group.help in text
    for finding_id, finding in TABLE.findings.items():
        assert finding.help in text
        assert checker.finding_boxes[finding_id].tooltip == finding.help


def test_groups_are_shown_in_table_order():
    """The group titles appear in the order of the triage table."""
    text = html.unescape(visible_text(TriageChecker()))
    positions = [text.index(group.title) for group in TABLE.groups]
    assert positions == sorted(positions)


def test_every_control_has_a_description():
    """Every input control has a visible description, so it has an accessible name."""
    controls = [
        w
        for w in walk(TriageChecker())
        if isinstance(w, DescriptionWidget)
        and not isinstance(w, (widgets.HTML, widgets.HTMLMath, widgets.Label))
    ]
    assert len(controls) == len(TABLE.findings) + 3  # age, days, first episode
    assert all(control.description.strip() for control in controls)


def test_numbers_out_of_range_are_clamped():
    """Typed ages and durations outside the allowed range are clamped, never sent as they are."""
    checker = TriageChecker()
    checker.age.value = 200
    checker.days.value = -5
    assert (checker.age.value, checker.days.value) == (120, 0)
    checker.age.value = 3
    assert checker.age.value == 16
    assert checker.assessment is not None
    assert checker.assessment.case.age == 16


def test_input_error_is_shown_in_plain_words(monkeypatch):
    """When the engine refuses the input, the result box shows ⚠ and its message, no traceback."""

    def refuse(data):
        raise InputError("age", "a whole number from 16 to 120 (years)", "None")

    checker = TriageChecker()
    monkeypatch.setattr(triage_checker, "assess", refuse)
    checker.age.value = 40
    text = result_text(checker)
    assert checker.assessment is None
    assert "⚠ Please check your answers" in text
    assert "age: expected a whole number from 16 to 120 (years), got None" in text
    assert "Traceback" not in text
    assert TABLE.notice in visible_text(checker)


def test_set_findings_ticks_exactly_those():
    """set_findings ticks the given ids and unticks every other box."""
    checker = TriageChecker()
    checker.set_findings(["fever", "chest_pain"])
    checker.set_findings(["night_pain"])
    ticked = [fid for fid, box in checker.finding_boxes.items() if box.value]
    assert ticked == ["night_pain"]
    assert checker.assessment is not None
    assert checker.assessment.level is CareLevel.URGENT


def test_set_findings_refuses_unknown_ids_and_changes_nothing():
    """An unknown id raises InputError with a suggestion, and no box changes."""
    checker = TriageChecker()
    checker.set_findings(["fever"])
    with pytest.raises(InputError, match='did you mean "fever"'):
        checker.set_findings(["night_pain", "feverr"])
    assert [fid for fid, box in checker.finding_boxes.items() if box.value] == ["fever"]


def test_notice_stays_visible_at_every_level():
    """The not-a-diagnosis notice is in the view's text whatever the result."""
    checker = TriageChecker()
    for ids in ([], ["pain_below_knee"], ["night_pain"], ["fever"]):
        checker.set_findings(ids)
        assert TABLE.notice in visible_text(checker)


def test_the_notice_can_be_left_to_the_page():
    """With show_notice=False the checker shows no notice of its own; by default it shows one."""
    notice = TABLE.notice
    assert html.unescape(visible_text(TriageChecker())).count(notice) == 1
    assert notice not in html.unescape(visible_text(TriageChecker(show_notice=False)))


def test_a_line_under_the_signs_gives_the_result_so_far():
    """Under the last sign the checker says the care level in words and symbol as it changes."""
    checker = TriageChecker()
    assert "Your result so far:" in checker.summary.value
    checker.set_findings(["saddle_numbness"])
    assert "⚠</span> Get help now" in checker.summary.value
    checker.age.value = checker.age.max
    checker.set_findings([])
    assert "Get help now" not in checker.summary.value
