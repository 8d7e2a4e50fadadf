"""The explorers' core: content checks, likely triggers, ice or heat by the hour, plans, figure."""

from __future__ import annotations

import base64
import dataclasses
import html
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date

import pytest
import textstat
import yaml
from hypothesis import given
from hypothesis import strategies as st

from backspasm_edu import InputError
from backspasm_edu.content.loader import (
    ContentFile,
    assemble,
    load_library,
    load_triage_table,
    packaged_files,
    validate_packaged,
    validate_paths,
)
from backspasm_edu.content.model import CareLevel, Fact
from backspasm_edu.engines.explore import (
    build_plan,
    heat_cold_guide,
    heat_or_cold,
    likely_triggers,
    plan_menu,
    trigger_table,
)
from backspasm_edu.render.figures import back_muscles_svg
from backspasm_edu.render.plan import plan_download_links, plan_html, plan_markdown
from tests.builders import without_picture_ids

LIBRARY = load_library()
TRIAGE = LIBRARY.triage
TRIGGERS = trigger_table()
GUIDE = heat_cold_guide()
MENU = plan_menu()
MAX_GRADE = 8.0
REFERENCE = [f for f in packaged_files() if f.kind in ("sources", "findings", "rules")]
SVG = "{http://www.w3.org/2000/svg}"


def explorer_file(kind: str) -> dict:
    """The packaged explorer file of a kind, as a fresh mapping to break in a test."""
    text = next(f.text for f in packaged_files() if f.kind == kind)
    return yaml.safe_load(text)


def problems_for(kind: str, data: dict) -> list[str]:
    """Problem lines for one explorer file checked against packaged sources and triage."""
    name = f"explorers/{kind}.yaml"
    text = yaml.safe_dump(data, sort_keys=False)
    return [str(p) for p in assemble([*REFERENCE, ContentFile(name, text, kind)]).problems]


def learner_texts() -> dict[str, list[str]]:
    """Every piece of learner text in each explorer file."""
    triggers = [TRIGGERS.caveat.text, *(h.label for h in TRIGGERS.habits.values())]
    for trigger in TRIGGERS.triggers.values():
        triggers += [trigger.name, trigger.about.text, trigger.prevent.text]
        triggers += [trigger.evidence.text] if trigger.evidence else []
    heat_cold = [fact.text for fact in (*GUIDE.shown, GUIDE.choice, *GUIDE.safety)]
    for phase in GUIDE.phases:
        heat_cold += [phase.title, phase.tip.text, phase.not_shown.text]
    plan = [MENU.title, MENU.reminder.text]
    plan += [text for group in MENU.groups for text in (group.title, group.help)]
    plan += [text for item in MENU.items.values() for text in (item.label, item.text)]
    return {"triggers": triggers, "heat_cold": heat_cold, "plan": plan}


def all_facts() -> list[Fact]:
    """Every sourced statement of the three explorer files."""
    facts = [TRIGGERS.caveat, MENU.reminder, GUIDE.choice, *GUIDE.shown, *GUIDE.safety]
    for trigger in TRIGGERS.triggers.values():
        facts += [trigger.about, trigger.prevent] + ([trigger.evidence] if trigger.evidence else [])
    facts += [fact for phase in GUIDE.phases for fact in (phase.tip, phase.not_shown)]
    facts += [Fact(item.text, item.sources) for item in MENU.items.values()]
    return facts


# --- content ------------------------------------------------------------------------------


def test_explorer_files_load_with_no_problems() -> None:
    """The three explorer files ship, load into the library and validate cleanly."""
    kinds = {f.name: f.kind for f in packaged_files()}
    assert kinds["explorers/triggers.yaml"] == "triggers"
    assert kinds["explorers/heat_cold.yaml"] == "heat_cold"
    assert kinds["explorers/plan.yaml"] == "plan"
    assert validate_packaged()[1] == []
    assert LIBRARY.triggers is not None and LIBRARY.heat_cold is not None
    assert LIBRARY.plan is not None


def test_every_explorer_fact_cites_packaged_sources() -> None:
    """Every statement in the explorers cites at least one source listed in sources.yaml."""
    for fact in all_facts():
        assert fact.sources, fact.text
        assert set(fact.sources) <= set(LIBRARY.sources), fact.text


@pytest.mark.parametrize("kind", ["triggers", "heat_cold", "plan"])
def test_explorer_text_is_at_most_grade_8(kind) -> None:
    """Each explorer file's learner text has a Flesch-Kincaid grade of 8 or below."""
    grade = textstat.flesch_kincaid_grade(" ".join(learner_texts()[kind]))
    assert grade <= MAX_GRADE, f"{kind}: grade {grade:.1f}"


def test_brief_habits_and_plan_groups_are_offered() -> None:
    """The habits and the four plan groups the apps promise are in the content."""
    labels = {habit.label for habit in TRIGGERS.habits.values()}
    assert {
        "I sit for most of the day", "I lifted something heavy", "I started a new sport",
        "I feel stressed", "I drink little water", "I had a fall or accident",
        "I rarely exercise", "I slouch at a screen",
    } <= labels  # fmt: skip
    assert [group.id for group in MENU.groups] == ["stretches", "posture", "activity", "easing"]
    posture = {item.label for item in MENU.items.values() if item.group == "posture"}
    assert posture == {"Sitting", "Standing", "Lifting"}


def test_trigger_cross_checks_report_unknown_ids() -> None:
    """A habit naming an unknown trigger or finding, or a fact citing an unknown source, is reported."""
    data = explorer_file("triggers")
    data["habits"][0]["triggers"] = ["too_litle_use"]
    data["habits"][7]["finding"] = "after_injuri"
    data["triggers"][0]["prevent"]["sources"] = ["mayo"]
    problems = problems_for("triggers", data)
    assert problems == [
        "explorers/triggers.yaml: habits[0].triggers[0]: expected a trigger id, got 'too_litle_use' (did you mean 'too_little_use'?)",
        "explorers/triggers.yaml: habits[7].finding: expected a finding id from findings.yaml, got 'after_injuri' (did you mean 'after_injury'?)",
        "explorers/triggers.yaml: triggers[0].prevent.sources[0]: expected a source id from sources.yaml, got 'mayo'",
    ]


def test_trigger_named_by_no_habit_is_reported() -> None:
    """A trigger that no habit points to could never be shown, so it is a problem."""
    data = explorer_file("triggers")
    data["habits"] = [h for h in data["habits"] if "stress" not in h["triggers"]]
    assert problems_for("triggers", data) == [
        "explorers/triggers.yaml: triggers[3].id: expected every trigger to be named by a habit, 'stress' is not"
    ]


def test_heat_cold_phases_must_start_at_zero_and_rise() -> None:
    """Phases must start at hour 0, rise, and stay within max_hours."""
    data = explorer_file("heat_cold")
    data["phases"][0]["from_hour"] = 5
    assert problems_for("heat_cold", data) == [
        "explorers/heat_cold.yaml: phases[0].from_hour: expected 0 for the first phase, got 5"
    ]
    data = explorer_file("heat_cold")
    data["phases"][1]["from_hour"] = 200
    assert problems_for("heat_cold", data) == [
        "explorers/heat_cold.yaml: phases[1].from_hour: expected at most max_hours (168), got 200"
    ]
    data["phases"][1]["from_hour"] = 0
    assert problems_for("heat_cold", data) == [
        "explorers/heat_cold.yaml: phases[1].from_hour: expected an hour after the last phase's 0, got 0"
    ]


def test_plan_cross_checks_report_groups() -> None:
    """A plan item in an unknown group, and a group left with no items, are both reported."""
    data = explorer_file("plan")
    for item in data["items"]:
        if item["group"] == "easing":
            item["group"] = "easeing"
    assert problems_for("plan", data) == [
        "explorers/plan.yaml: items[9].group: expected a group id, got 'easeing' (did you mean 'easing'?)",
        "explorers/plan.yaml: items[10].group: expected a group id, got 'easeing' (did you mean 'easing'?)",
        "explorers/plan.yaml: items[11].group: expected a group id, got 'easeing' (did you mean 'easing'?)",
        "explorers/plan.yaml: groups[3]: expected at least 1 item in group 'easing', got 0",
    ]


def test_instructor_explorer_file_is_recognised_by_name(tmp_path) -> None:
    """validate_paths knows a plan.yaml by its name and reports each missing key once."""
    path = tmp_path / "plan.yaml"
    path.write_text("title: My plan\n", encoding="utf-8")
    count, problems = validate_paths([path])
    assert count == 1
    assert [str(p) for p in problems] == [
        f"{path}: {key}: expected this key, but it is missing"
        for key in ("reminder", "groups", "items")
    ]


# --- likely triggers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("habit_id", "trigger_id"),
    [
        ("sit_most_of_the_day", "too_little_use"),
        ("slouch_at_a_screen", "too_little_use"),
        ("rarely_exercise", "too_little_use"),
        ("lifted_something_heavy", "overuse"),
        ("started_a_new_sport", "overuse"),
        ("feel_stressed", "stress"),
        ("drink_little_water", "diet"),
        ("had_a_fall_or_accident", "trauma"),
    ],
)
def test_each_habit_points_to_its_trigger(habit_id, trigger_id) -> None:
    """Each habit alone gives exactly its trigger, naming the habit as the reason."""
    report = likely_triggers([habit_id])
    assert [likely.trigger.id for likely in report.triggers] == [trigger_id]
    assert report.triggers[0].because == (TRIGGERS.habits[habit_id].label,)


def test_triggers_come_in_content_order_with_every_matching_habit() -> None:
    """Triggers follow the content order whatever the pick order, repeats count once."""
    report = likely_triggers(
        ["feel_stressed", "slouch_at_a_screen", "sit_most_of_the_day", "feel_stressed"]
    )
    assert [likely.trigger.id for likely in report.triggers] == ["too_little_use", "stress"]
    assert report.triggers[0].because == ("I sit for most of the day", "I slouch at a screen")


def test_nothing_picked_gives_no_triggers_but_the_notice() -> None:
    """No habit picked: no triggers, no warnings, and still the caveat and the notice."""
    report = likely_triggers([])
    assert report.triggers == () and report.warnings == ()
    assert report.notice == TRIAGE.notice
    assert "not a diagnosis" in report.caveat.text


def test_fall_or_accident_means_get_help_at_once() -> None:
    """A fall or accident carries the after_injury rule: emergency, checked at once, cited."""
    report = likely_triggers(["lifted_something_heavy", "had_a_fall_or_accident"])
    (warning,) = report.warnings
    assert warning.reason.finding == "after_injury"
    assert warning.reason.level is CareLevel.EMERGENCY
    assert warning.reason.level is TRIAGE.level_of("after_injury")
    assert "checked at once" in warning.reason.reason
    assert warning.level_title == TRIAGE.levels[CareLevel.EMERGENCY].title
    assert warning.action == TRIAGE.levels[CareLevel.EMERGENCY].action
    assert set(warning.reason.sources) == {"mayo_clinic", "nhs", "mayo_connected_care"}
    assert report.notice == TRIAGE.notice


def test_diet_trigger_says_the_evidence_is_weak() -> None:
    """The food-and-drink trigger carries a sourced caveat that its evidence is weak."""
    (likely,) = likely_triggers(["drink_little_water"]).triggers
    assert likely.trigger.evidence is not None
    assert "weak" in likely.trigger.evidence.text
    assert likely.trigger.evidence.sources == ("cleveland_clinic",)


@given(st.sets(st.sampled_from(list(TRIGGERS.habits))))
def test_any_habits_give_sourced_triggers_and_a_warning_only_for_a_fall(habit_ids) -> None:
    """For any habits: each trigger has a reason and sourced prevention; a fall alone warns."""
    report = likely_triggers(sorted(habit_ids))
    for likely in report.triggers:
        assert likely.because and likely.trigger.prevent.sources and likely.trigger.about.sources
    expected = ["after_injury"] if "had_a_fall_or_accident" in habit_ids else []
    assert [warning.reason.finding for warning in report.warnings] == expected


@pytest.mark.parametrize(
    ("habit_ids", "field", "expected", "actual"),
    [
        ("sit_most_of_the_day", "habit_ids", "a list of habit ids", "'sit_most_of_the_day'"),
        (
            ["feel_stressed", "sitt"],
            "habit_ids[1]",
            "a habit id, one of sit_most_of_the_day",
            "'sitt'",
        ),
        ([3], "habit_ids[0]", "a habit id, one of", "3"),
        (None, "habit_ids", "a list of habit ids", "None"),
    ],
)
def test_bad_habit_ids_raise_input_error(habit_ids, field, expected, actual) -> None:
    """A non-list or an unknown habit id raises InputError naming field, expected and actual."""
    with pytest.raises(InputError) as caught:
        likely_triggers(habit_ids)
    assert caught.value.field == field
    assert caught.value.expected.startswith(expected)
    assert caught.value.actual == actual


def test_misspelt_habit_id_suggests_the_nearest() -> None:
    """A near miss suggests the id that was probably meant."""
    with pytest.raises(InputError, match=r'did you mean "feel_stressed"\?'):
        likely_triggers(["feel_stresed"])


# --- ice or heat --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "phase_id"),
    [(0, "first_two_days"), (1, "first_two_days"), (47, "first_two_days"),
     (48, "after_two_days"), (100, "after_two_days"), (168, "after_two_days")],
)  # fmt: skip
def test_phase_switches_at_the_48_hour_convention(hours, phase_id) -> None:
    """Hours 0-47 are the first 2 days of the common tip; from hour 48 on, after them."""
    assert heat_or_cold(hours).phase.id == phase_id


def test_tip_text_changes_across_the_48_hour_boundary() -> None:
    """What the tip and the studies say at hour 47 differs from hour 48, and names cold or heat."""
    before, after = heat_or_cold(47), heat_or_cold(48)
    assert before.phase.tip.text != after.phase.tip.text
    assert before.phase.not_shown.text != after.phase.not_shown.text
    assert "cold now" in before.phase.tip.text
    assert "switch to heat" in after.phase.tip.text
    assert before.headline.startswith("The first 2 days")
    assert after.headline.startswith("After the first 2 days")


@pytest.mark.parametrize("hours", range(0, 169))
def test_convention_is_never_called_proven(hours) -> None:
    """At every hour, any sentence that says "proven" also says "not", and the tip cites NINDS."""
    advice = heat_or_cold(hours)
    facts = [advice.phase.tip, advice.phase.not_shown, *advice.shown, advice.choice]
    for fact in facts:
        for sentence in re.split(r"(?<=\.)\s+", fact.text):
            if "proven" in sentence:
                assert re.search(r"\bnot\b", sentence), sentence
    assert "not a rule that studies have proven" in advice.phase.tip.text
    assert "ninds" in advice.phase.tip.sources


def test_evidence_choice_and_safety_hold_at_every_hour() -> None:
    """Heat moderate, cold too little evidence, use whichever helps, wrap it and keep it short."""
    for hours in (0, 48, 168):
        advice = heat_or_cold(hours)
        heat, cold = advice.shown
        assert "moderate evidence" in heat.text and "short time" in heat.text
        assert set(heat.sources) == {"acp_2017", "cochrane_heat_cold"}
        assert "too little evidence" in cold.text and "cochrane_heat_cold" in cold.sources
        assert "whichever helps" in advice.choice.text and advice.choice.sources == ("ahs",)
        safety = " ".join(fact.text for fact in advice.safety)
        assert "cloth" in safety and "short" in safety
        assert advice.notice == TRIAGE.notice


def test_headline_counts_hours_in_words() -> None:
    """The headline names the phase and the hour, with "hour" for one and "hours" otherwise."""
    assert heat_or_cold(1).headline == "The first 2 days (1 hour since the spasm began)"
    assert heat_or_cold(72).headline == "After the first 2 days (72 hours since the spasm began)"


@pytest.mark.parametrize("hours", [-1, 169, 2.5, True, "3", None])
def test_bad_hours_raise_input_error(hours) -> None:
    """Anything but a whole number from 0 to 168 raises InputError naming hours."""
    with pytest.raises(InputError) as caught:
        heat_or_cold(hours)
    assert caught.value.field == "hours"
    assert caught.value.expected == "a whole number of hours from 0 to 168"
    assert caught.value.actual == repr(hours)


# --- my plan ------------------------------------------------------------------------------


def test_plan_groups_items_in_menu_order() -> None:
    """Chosen items come grouped in the menu's order, whatever the pick order; repeats once."""
    plan = build_plan(["drink_water", "lift_well", "knee_hug", "sit_well", "knee_hug"])
    assert [(group.id, [i.id for i in items]) for group, items in plan.sections] == [
        ("stretches", ["knee_hug"]),
        ("posture", ["sit_well", "lift_well"]),
        ("easing", ["drink_water"]),
    ]


def test_plan_html_is_a_printable_page_with_sources_safety_net_and_notice() -> None:
    """The web page lists each chosen item with its picture and sources, the safety net and notice."""
    plan = build_plan(["knee_hug", "walk_or_swim"], name="Sam")
    page = plan_html(plan, made_on=date(2026, 11, 29))
    assert page.startswith("<!DOCTYPE html>") and "<title>My back plan</title>" in page
    assert "@media print" in page and "<script" not in page
    assert "Made for <strong>Sam</strong> on 29 November 2026." in page
    for item_id in ("knee_hug", "walk_or_swim"):
        item = MENU.items[item_id]
        assert item.label in page and item.text in page
        assert f">{item.label}</title>" in page  # its picture
        for source_id in item.sources:
            assert LIBRARY.sources[source_id].name in page
            assert LIBRARY.sources[source_id].url in page
    assert "When to get help" in page and TRIAGE.safety_net in page
    assert TRIAGE.notice in page
    assert MENU.items["core_strength"].text not in page


def test_plan_says_how_much_and_numbers_each_source_once() -> None:
    """An item with a dose says how much; sources are numbers into one list, each URL once."""
    plan = build_plan(["knee_hug", "pelvic_tilt", "sit_well"])
    page = plan_html(plan, standalone=False)
    dose = MENU.items["knee_hug"].dose
    assert dose is not None and f"<strong>How much:</strong> {dose.text}" in page
    listed = re.findall(r"<li><small><a href=\"([^\"]+)\"", page)
    assert len(listed) == len(set(listed)) and len(listed) >= 3
    cited = {int(n) for marks in re.findall(r"<sup>\[([\d, ]+)\]</sup>", page)
             for n in marks.split(", ")}  # fmt: skip
    assert cited == set(range(1, len(listed) + 1))
    for url in listed:
        assert page.count(html.escape(url)) == 2  # the link and the printed address, once


def test_plan_has_a_week_of_tick_boxes_for_each_item() -> None:
    """The plan ends with a 7-day table: a row per chosen item, a column per day, all empty."""
    plan = build_plan(["knee_hug", "drink_water"])
    page = plan_html(plan, standalone=False)
    table = re.search(r'<table class="ticks[^"]*">(.*?)</table>', page).group(1)
    assert [f"Day {day}" for day in range(1, 8)] == re.findall(r">(Day \d)</th>", table)
    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == ["Knee hug", "Drink enough water"]
    assert table.count('<td class="tick"></td>') == 14
    markdown = plan_markdown(plan)
    assert "| Knee hug | [ ] | [ ] | [ ] | [ ] | [ ] | [ ] | [ ] |" in markdown


def test_plan_fragment_is_the_article_alone() -> None:
    """Not standalone, the plan is one article with the same content and no page wrapper."""
    plan = build_plan(["stand_well"])
    day = date(2026, 1, 5)
    fragment = plan_html(plan, standalone=False, made_on=day)
    assert fragment.startswith("<article") and fragment.endswith("</article>")
    assert without_picture_ids(fragment) in without_picture_ids(plan_html(plan, made_on=day))
    assert "Made on 5 January 2026." in fragment


def test_plan_name_is_escaped_and_tidied() -> None:
    """A name is trimmed, its spaces collapsed, and never read as HTML."""
    plan = build_plan(["stand_well"], name="  <b>Sam</b>\n  Lee ")
    assert plan.name == "<b>Sam</b> Lee"
    assert "&lt;b&gt;Sam&lt;/b&gt; Lee" in plan_html(plan)
    assert "<b>Sam</b>" not in plan_html(plan)


def test_plan_markdown_has_items_sources_safety_net_and_notice() -> None:
    """The Markdown plan has its date, a heading per group, numbered sources, the safety net and notice."""
    markdown = plan_markdown(build_plan(["lift_well"], name="Sam"), made_on=date(2026, 11, 29))
    assert markdown.startswith("# My back plan\n\nMade for Sam on 29 November 2026.\n")
    assert "## Sit, stand and lift with care" in markdown
    assert f"- **Lifting.** {MENU.items['lift_well'].text} [" in markdown
    assert re.search(
        r"\n\d\. Mayo Clinic: .*" + re.escape(LIBRARY.sources["mayo_clinic"].url), markdown
    )
    assert f"## When to get help\n\n{TRIAGE.safety_net}" in markdown
    assert f"**{TRIAGE.notice}**" in markdown


def test_download_links_are_data_urls_of_the_plan() -> None:
    """The download links carry the page and the Markdown as base64 data URLs, no script."""
    plan = build_plan(["heat_or_cold", "calm_stress"])
    links = plan_download_links(plan)
    found = dict(
        re.findall(
            r'<a download="my_back_plan\.(\w+)" href="data:[\w/]+;charset=utf-8;base64,([^"]+)"',
            links,
        )
    )
    saved = base64.b64decode(found["html"]).decode("utf-8")
    assert without_picture_ids(saved) == without_picture_ids(plan_html(plan))
    assert base64.b64decode(found["md"]).decode("utf-8") == plan_markdown(plan)
    assert 'href="data:text/html;' in links and "<script" not in links


@pytest.mark.parametrize(
    ("item_ids", "name", "field", "expected", "actual"),
    [
        ([], "", "item_ids", "at least one plan item id", "an empty list"),
        (["knee_hugg"], "", "item_ids[0]", "a plan item id, one of knee_hug, ", "'knee_hugg'"),
        ("knee_hug", "", "item_ids", "a list of plan item ids", "'knee_hug'"),
        (["knee_hug"], 7, "name", "text", "7"),
        (["knee_hug"], "x" * 61, "name", "a name of at most 60 characters", "61 characters"),
    ],
)
def test_bad_plan_input_raises_input_error(item_ids, name, field, expected, actual) -> None:
    """No items, unknown ids, a non-list, or a bad name raise InputError naming the field."""
    with pytest.raises(InputError) as caught:
        build_plan(item_ids, name=name)
    assert caught.value.field == field
    assert caught.value.expected.startswith(expected)
    assert caught.value.actual == actual


# --- the figure ---------------------------------------------------------------------------


def test_back_figure_is_valid_svg_with_title_desc_and_labels() -> None:
    """The SVG parses as XML, names itself for screen readers, and labels every region in words."""
    root = ET.fromstring(back_muscles_svg())
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox", "").startswith("0 0 ") and root.get("width") == "100%"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    labels = {text.text for text in root.iter(f"{SVG}text")}
    assert {"Neck", "Upper back", "Lower back", "where most spasms happen"} <= labels
    assert {"Back muscles", "Disc (a soft cushion)", "Vertebra (a back bone)"} <= labels


def test_back_figure_draws_the_spine_and_marks_the_lower_back_without_colour_alone() -> None:
    """24 rounded vertebrae with discs between, and a dashed outline around the lower back."""
    root = ET.fromstring(back_muscles_svg())
    rects = list(root.iter(f"{SVG}rect"))
    bones = [r for r in rects if r.get("fill") == "#f4efe4"]
    discs = [r for r in rects if r.get("fill") == "#9ecae1"]
    assert len(bones) == 24 and all(float(r.get("rx", 0)) > 0 for r in bones)
    assert len(discs) == 24
    assert any(r.get("stroke-dasharray") for r in rects)


def test_explorer_core_imports_no_widgets_or_pandas() -> None:
    """Using the explorers' core and the figure in a fresh interpreter loads no UI or pandas."""
    code = (
        "import sys\n"
        "from backspasm_edu.engines import explore\n"
        "from backspasm_edu.render import figures, plan\n"
        "explore.likely_triggers(['feel_stressed']); explore.heat_or_cold(3)\n"
        "plan.plan_download_links(explore.build_plan(['knee_hug'])); figures.back_muscles_svg()\n"
        "print(sorted(m for m in ('ipywidgets', 'IPython', 'pandas') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_explorers_run_on_the_content_they_are_given() -> None:
    """Given another library and triage table, the explorers use those, not the packaged content."""
    library, table = load_library(), load_triage_table()
    assert library.plan is not None
    own_plan = dataclasses.replace(library.plan, title="Our class plan")
    own_library = dataclasses.replace(library, plan=own_plan)
    own_table = dataclasses.replace(table, notice="Ask your class teacher first.")
    first_item = next(iter(library.plan.items))
    plan = build_plan([first_item], library=own_library, triage=own_table)
    assert (plan.title, plan.notice) == ("Our class plan", "Ask your class teacher first.")
    assert heat_or_cold(3, triage=own_table).notice == "Ask your class teacher first."
    assert likely_triggers([], triage=own_table).notice == "Ask your class teacher first."
    assert build_plan([first_item]).title != "Our class plan"
