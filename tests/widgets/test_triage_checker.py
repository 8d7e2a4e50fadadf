"""The triage checker view: it asks first, step by step, then shows the engine's answer."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget_description import DescriptionWidget

from backspasm_edu import InputError
from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.engines.triage import MAX_AGE, CareLevel, assess
from backspasm_edu.widgets import triage_checker
from backspasm_edu.widgets._common import LEVEL_SYMBOLS
from backspasm_edu.widgets.triage_checker import TriageChecker
from tests.widgets.helpers import buttons, visible_text, walk

pytestmark = pytest.mark.usefixtures("callbacks_raise")

TABLE = load_triage_table()


def result_text(checker: TriageChecker) -> str:
    """The result box as a learner reads it."""
    return html.unescape(visible_text(checker.result))


def filled(age: str = "30", days: str = "1", first: bool = True) -> TriageChecker:
    """A checker with step 1 answered (age 30, 1 day, first episode unless told otherwise)."""
    checker = TriageChecker()
    checker.age.value, checker.days.value, checker.first_episode.value = age, days, first
    return checker


def asked(checker: TriageChecker, findings: list[str] | None = None) -> str:
    """Tick the findings, press "See my result" and return the result as read."""
    if findings is not None:
        checker.set_findings(findings)
    buttons(checker)["See my result"].click()
    return result_text(checker)


def test_nothing_is_filled_in_and_no_answer_shows_before_it_is_asked_for():
    """A new checker has empty age and days, no history answer, and no care level shown."""
    checker = TriageChecker()
    assert (checker.age.value, checker.days.value, checker.first_episode.value) == ("", "", None)
    assert checker.assessment is None
    assert not any(level.title in result_text(checker) for level in TABLE.levels.values())
    assert "press “See my result”" in result_text(checker)
    assert TABLE.notice in visible_text(checker)


def test_asking_with_step_1_empty_says_what_is_missing_in_words():
    """ "See my result" before step 1 is filled names each missing answer; no level is guessed."""
    checker = TriageChecker()
    text = asked(checker, ["saddle_numbness"])
    assert checker.assessment is None
    assert "⚠ A little more is needed first" in text
    assert "Type your age in years" in text and "how many days ago the pain began" in text
    assert "first ever back pain" in text
    assert 'data-backspasm-focus="' in checker.result.value  # focus moved to the result


@pytest.mark.parametrize(
    ("age", "days", "words"),
    [
        ("forty", "1", "Age: type a whole number of years, such as 42, not “forty”"),
        ("12", "1", "made for people aged 16 and over"),
        (str(MAX_AGE + 1), "1", f"Age: type a number from 16 to {MAX_AGE}"),
        ("30", "-3", "how many days ago the pain began"),
        ("30", "²", "how many days ago the pain began"),
    ],
)
def test_out_of_range_or_odd_input_is_named_never_clamped(age, days, words):
    """An age or duration the checker cannot use is named in words; nothing is quietly changed."""
    checker = filled(age, days)
    assert words in asked(checker)
    assert checker.assessment is None
    assert checker.age.value == age


def test_the_signs_that_need_help_at_once_come_first_then_each_group():
    """Step 2 holds every emergency sign; later steps hold each group's other signs, in order."""
    checker = TriageChecker()
    titles = [step.title for step in checker.steps]
    assert titles[:2] == ["About you", "Signs that need help at once"]
    emergency = {fid for fid in TABLE.findings if TABLE.level_of(fid) is CareLevel.EMERGENCY}
    in_step_2 = {
        fid
        for fid, box in checker.finding_boxes.items()
        if any(box in walk(row) for row in checker.steps[1].controls)
    }
    assert in_step_2 == emergency
    group_titles = [group.title for group in TABLE.groups]
    assert titles[2:] == [title for title in group_titles if title in titles[2:]]


def test_every_finding_is_in_exactly_one_step_with_its_help():
    """Each finding's checkbox appears in one step, labelled, with its help below it."""
    checker = TriageChecker()
    for finding_id, box in checker.finding_boxes.items():
        steps = [s for s in checker.steps if any(box in walk(row) for row in s.controls)]
        assert len(steps) == 1, finding_id
        assert box.description == TABLE.findings[finding_id].label
        assert box.tooltip == TABLE.findings[finding_id].help


def test_next_and_back_move_one_step_say_where_you_are_and_move_focus():
    """Next and Back change the step, say "Step n of N", focus its heading and stop at the ends."""
    checker = TriageChecker()
    total = len(checker.steps)
    assert f"Step 1 of {total}: About you" in visible_text(checker)
    assert buttons(checker)["Back"].disabled
    buttons(checker)["Next"].click()
    assert f"Step 2 of {total}: Signs that need help at once" in visible_text(checker)
    assert 'data-backspasm-focus="' in checker.step_line.value
    for _ in range(total):
        buttons(checker)["Next"].click()
    assert checker.step == total - 1 and buttons(checker)["Next"].disabled
    buttons(checker)["Back"].click()
    assert checker.step == total - 2


def test_saddle_numbness_shows_emergency_with_plain_headings_and_sources():
    """Saddle numbness shows "⚠ Get help now (emergency)", what to do and why, with sources."""
    checker = filled()
    text = asked(checker, ["saddle_numbness"])
    assert checker.assessment is not None and checker.assessment.level is CareLevel.EMERGENCY
    assert "⚠ Get help now (emergency)" in text
    assert "What to do" in text and "Why" in text
    assert "Call your local emergency number" in text
    rule = next(rule for rule in TABLE.rules if rule.id == "saddle_numbness")
    assert rule.reason in text
    assert "NHS" in text and "Finucane 2020" in text


def test_after_asking_the_answer_follows_every_change():
    """Once asked for, the result updates as signs are ticked and unticked."""
    checker = filled()
    asked(checker)
    assert checker.assessment is not None and checker.assessment.level is CareLevel.SELF_CARE
    checker.finding_boxes["saddle_numbness"].value = True
    assert checker.assessment.level is CareLevel.EMERGENCY
    checker.finding_boxes["saddle_numbness"].value = False
    assert checker.assessment.level is CareLevel.SELF_CARE
    assert "Get help now (" not in result_text(checker)


def test_first_back_pain_at_55_means_see_a_doctor_with_the_reason():
    """Age 55 with a first episode shows "Book a visit" and the first-pain-at-50 rule's reason."""
    checker = filled(age="55")
    text = asked(checker)
    rule = next(rule for rule in TABLE.rules if rule.id == "first_pain_at_50_or_over")
    assert checker.assessment is not None
    assert checker.assessment.level is CareLevel.SEE_DOCTOR
    assert f"{LEVEL_SYMBOLS[CareLevel.SEE_DOCTOR]} Book a visit (see doctor)" in text
    assert "Aged 50 or over and The first back pain ever" in text and rule.reason in text
    assert "first_pain_at_50_or_over" not in text


def test_first_episode_and_days_are_passed_to_the_engine():
    """Not a first episode at 55 gives self care; 28 days of pain gives see a doctor."""
    checker = filled(age="55", first=False)
    asked(checker)
    assert checker.assessment is not None
    assert checker.assessment.level is CareLevel.SELF_CARE
    checker.days.value = "28"
    assert checker.assessment.level is CareLevel.SEE_DOCTOR
    assert "Pain for 28 days or more" in result_text(checker)


@pytest.mark.parametrize("finding_id", list(TABLE.findings))
def test_each_finding_gives_the_engines_answer(finding_id):
    """For each finding ticked alone, the view shows exactly the engine's level and reasons."""
    checker = filled()
    text = asked(checker, [finding_id])
    expected = assess({"age": 30, "days_since_onset": 1, "findings": [finding_id]})
    assert checker.assessment == expected
    assert f"{expected.level_title} ({expected.level.value.replace('_', ' ')})" in text
    for reason in expected.reasons:
        assert reason.reason in text
        assert "_" not in reason.rule_id or reason.rule_id not in text  # ids never shown


def test_every_reason_is_listed_with_its_sources():
    """With several signs ticked, every fired rule appears with each of its sources by name."""
    checker = filled()
    asked(checker, ["fever", "night_pain", "pain_below_knee", "osteoporosis"])
    assert checker.assessment is not None
    assert len(checker.assessment.reasons) == 4
    text = result_text(checker)
    sources = load_library().sources
    for reason in checker.assessment.reasons:
        assert reason.reason in text
        for source_id in reason.sources:
            assert f">{html.escape(sources[source_id].name)}</a>" in checker.result.value


def test_what_would_change_the_answer_names_each_other_level():
    """Below the result, a line per other level: signs that would raise it, or the ones keeping it."""
    checker = filled()
    asked(checker, ["night_pain"])
    changes = html.unescape(checker.changes.value)
    assert "What would change this answer" in changes
    emergency_title = TABLE.levels[CareLevel.EMERGENCY].title
    assert f"{emergency_title}</strong> if you also had a sign such as" in changes
    for level in (CareLevel.SEE_DOCTOR, CareLevel.SELF_CARE):
        assert f"{TABLE.levels[level].title}</strong> only if none of these were true" in changes
    assert TABLE.findings["night_pain"].label.lower() in changes
    assert TABLE.levels[CareLevel.URGENT].title + "</strong>" not in changes  # the answer itself


def test_every_control_has_a_description():
    """Every input control has a visible description, so it has an accessible name."""
    checker = TriageChecker()
    controls = [
        w
        for step in checker.steps
        for row in step.controls
        for w in walk(row)
        if isinstance(w, DescriptionWidget)
        and not isinstance(w, (widgets.HTML, widgets.HTMLMath, widgets.Label))
    ]
    assert len(controls) == len(TABLE.findings) + 3  # age, days, first episode
    assert all(control.description.strip() for control in controls)


def test_input_error_from_the_engine_is_shown_in_plain_words(monkeypatch):
    """When the engine refuses the input, the result box shows ⚠ and its message, no traceback."""

    def refuse(data):
        raise InputError("age", "a whole number from 16 to 120 (years)", "None")

    checker = filled()
    monkeypatch.setattr(triage_checker, "assess", refuse)
    text = asked(checker)
    assert checker.assessment is None
    assert "⚠ Please check your answers" in text
    assert "Traceback" not in text


def test_set_findings_ticks_exactly_those():
    """set_findings ticks the given ids and unticks every other box."""
    checker = filled()
    checker.set_findings(["fever", "chest_pain"])
    checker.set_findings(["night_pain"])
    ticked = [fid for fid, box in checker.finding_boxes.items() if box.value]
    assert ticked == ["night_pain"]
    asked(checker)
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
    checker = filled()
    for ids in ([], ["pain_below_knee"], ["night_pain"], ["fever"]):
        asked(checker, ids)
        assert TABLE.notice in visible_text(checker)


def test_the_notice_can_be_left_to_the_page():
    """With show_notice=False the checker shows no notice of its own; by default it shows one."""
    notice = TABLE.notice
    assert html.unescape(visible_text(TriageChecker())).count(notice) == 1
    assert notice not in html.unescape(visible_text(TriageChecker(show_notice=False)))
