"""Table-driven patient vignettes across all four care levels, checked against SOURCES.md."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from backspasm_edu.engines.triage import CareLevel, assess

E, U, D, S = CareLevel.EMERGENCY, CareLevel.URGENT, CareLevel.SEE_DOCTOR, CareLevel.SELF_CARE


@dataclass(frozen=True)
class Vignette:
    """A short story, its triage input, and the level SOURCES.md gives it."""

    story: str
    age: int
    days: int
    expected: CareLevel
    findings: tuple[str, ...] = ()
    first_episode: bool = True

    def run(self) -> CareLevel:
        return assess(
            {
                "age": self.age,
                "days_since_onset": self.days,
                "first_episode": self.first_episode,
                "findings": list(self.findings),
            }
        ).level


VIGNETTES = [
    # self care: no red flags, aged 20-49 or not the first episode, under four weeks
    Vignette("Back seized lifting a box yesterday, no other signs", 34, 1, S),
    Vignette("Twinge after gardening, moving slowly", 28, 2, S),
    Vignette("Known recurring spasms, ten days in", 45, 10, S, first_episode=False),
    Vignette("Older adult with the usual recurring spasm", 55, 3, S, first_episode=False),
    Vignette("Twenty-year-old after a gym session", 20, 0, S),
    Vignette(
        "Seized up suddenly lifting a suitcase", 37, 1, S, ("sudden_onset_after_minor_strain",)
    ),
    Vignette("Day 27 of a first episode at 49", 49, 27, S),
    Vignette("Seventy, familiar spasm after hoovering", 70, 5, S, first_episode=False),
    Vignette("Desk worker, two weeks of stiffness", 38, 14, S),
    # see a doctor in the next few days
    Vignette("Pain shoots below the knee", 42, 3, D, ("pain_below_knee",)),
    Vignette("First ever back pain at exactly 50", 50, 2, D),
    Vignette("Nineteen-year-old with back pain", 19, 2, D),
    Vignette("Sixteen-year-old after sport", 16, 1, D),
    Vignette("First episode lasting four weeks", 35, 28, D),
    Vignette("Recurring pain, now two months", 35, 60, D, first_episode=False),
    Vignette("Tingling in one leg, steady", 40, 4, D, ("leg_numbness_or_weakness",)),
    Vignette("Worse despite heat and walking", 44, 12, D, ("getting_worse",)),
    Vignette("Cannot work or shop", 31, 5, D, ("stops_daily_activities",)),
    Vignette("Osteoporosis, recurring ache, no fall", 66, 6, D, ("osteoporosis",), False),
    Vignette("On prednisolone for a year", 45, 3, D, ("long_term_steroids",)),
    Vignette("Drinks heavily, new back pain", 39, 2, D, ("alcohol_or_drug_misuse",)),
    Vignette(
        "Stiff every morning for a year, eases with walking",
        29,
        400,
        D,
        ("morning_stiffness_over_30_min",),
        False,
    ),
    # urgent: see a doctor within 24 hours
    Vignette("Had breast cancer ten years ago", 60, 5, U, ("cancer_history",)),
    Vignette("Lost weight without trying", 47, 9, U, ("unexplained_weight_loss",)),
    Vignette("Pain wakes them at night", 36, 7, U, ("night_pain",)),
    Vignette("Pain between the shoulder blades", 41, 2, U, ("upper_back_pain",)),
    Vignette("A new lump on the back", 30, 3, U, ("back_lump_or_shape_change",)),
    Vignette(
        "Sneezing makes the leg pain worse",
        33,
        4,
        U,
        ("worse_when_coughing_or_sneezing", "pain_below_knee"),
    ),
    Vignette("Severe and rest does not help", 52, 2, U, ("severe_not_eased_by_rest",), False),
    Vignette("Injects drugs, new back pain", 29, 3, U, ("injects_drugs",)),
    Vignette("On chemotherapy", 58, 4, U, ("weakened_immune_system",), False),
    Vignette("One leg feels weak on the stairs, not worse", 43, 5, U, ("one_leg_weakness",)),
    Vignette("Burning when peeing with side pain", 31, 2, U, ("pain_or_burning_when_peeing",)),
    Vignette("Pink pee and back pain", 48, 1, U, ("blood_in_pee",)),
    Vignette(
        "Back pain after a spinal injection", 62, 6, U, ("recent_infection_or_spine_procedure",)
    ),
    Vignette(
        "Constant pain, no position helps", 54, 10, U, ("constant_pain_not_changed_by_position",)
    ),
    Vignette("Night sweats and feels unwell", 44, 8, U, ("feeling_unwell_or_night_sweats",)),
    Vignette(
        "Osteoporosis, pain came on with a sneeze",
        74,
        1,
        U,
        ("osteoporosis", "sudden_onset_after_minor_strain"),
        False,
    ),
    # emergency: get help now
    Vignette("Mild pain but numb when wiping", 46, 2, E, ("saddle_numbness",)),
    Vignette("Cannot pee, pain down the leg", 38, 3, E, ("new_bladder_problem", "pain_below_knee")),
    Vignette("New loss of bowel control", 51, 1, E, ("new_bowel_problem",)),
    Vignette("New erection problems with the pain", 40, 2, E, ("new_sexual_dysfunction",)),
    Vignette("Both legs tingle", 27, 1, E, ("both_legs_affected",)),
    Vignette("Foot starts to drag, getting worse", 44, 6, E, ("worsening_leg_weakness",)),
    Vignette("Thin bones, slipped on ice", 72, 0, E, ("osteoporosis", "after_injury"), False),
    Vignette("Pain began in a car crash", 25, 0, E, ("after_injury",)),
    Vignette("Back pain with a fever", 33, 3, E, ("fever",)),
    Vignette("Chest pain with the back pain", 57, 0, E, ("chest_pain",), False),
    Vignette("Throbbing in the belly", 68, 1, E, ("abdominal_pain_or_throbbing",), False),
    Vignette(
        "Sudden tearing back pain, then fainted", 71, 0, E, ("sudden_severe_pain_with_faintness",)
    ),
    Vignette(
        "Past prostate cancer, now pain below the knee",
        66,
        3,
        E,
        ("cancer_history", "pain_below_knee"),
    ),
    Vignette(
        "Past breast cancer, one leg weak", 58, 2, E, ("cancer_history", "one_leg_weakness"), False
    ),
    Vignette(
        "Injects drugs, tingling down one leg",
        34,
        4,
        E,
        ("injects_drugs", "leg_numbness_or_weakness"),
    ),
    Vignette(
        "On steroids, pain below the knee",
        61,
        3,
        E,
        ("long_term_steroids", "pain_below_knee"),
        False,
    ),
    Vignette(
        "Spine operation last month, leg weak",
        55,
        5,
        E,
        ("recent_infection_or_spine_procedure", "one_leg_weakness"),
    ),
]


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.story for v in VIGNETTES])
def test_vignette_gets_the_level_the_sources_give(vignette: Vignette) -> None:
    """Each vignette is placed at exactly the care level SOURCES.md gives it."""
    assert vignette.run() is vignette.expected


def test_vignettes_span_every_level_with_enough_cases() -> None:
    """The vignette table has at least 30 cases and at least five at every level."""
    assert len(VIGNETTES) >= 30
    for level in CareLevel:
        assert sum(v.expected is level for v in VIGNETTES) >= 5, level


def vignette_report() -> list[str]:
    """Accuracy per level, every under-triaged emergency, and the self-care over-triage rate."""
    lines = []
    results = [(v, v.run()) for v in VIGNETTES]
    for level in CareLevel:
        cases = [(v, got) for v, got in results if v.expected is level]
        right = sum(got is level for _, got in cases)
        lines.append(f"{level.value:<11} {right}/{len(cases)} correct ({right / len(cases):.0%})")
    missed = [v.story for v, got in results if v.expected is E and got is not E]
    lines.append(f"under-triaged emergencies: {len(missed)} {missed if missed else ''}".rstrip())
    self_care = [got for v, got in results if v.expected is S]
    over = sum(got is not S for got in self_care)
    lines.append(f"self-care cases over-triaged: {over}/{len(self_care)}")
    return lines


def test_vignette_report_shows_no_under_triaged_emergency() -> None:
    """The report lists no under-triaged emergency and full accuracy at each level."""
    report = vignette_report()
    assert "under-triaged emergencies: 0" in report
    assert all("(100%)" in line for line in report[:4])
