"""The packaged content: valid, complete, plain language, terms explained, vocabulary stable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat

from backspasm_edu.content.course import app_teaching, learner_apps
from backspasm_edu.content.loader import load_library, validate_packaged

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
CONTENT = Path(__file__).parents[2] / "backspasm_edu" / "content"
NOTICE = "This is for learning, not a diagnosis. In an emergency call your local emergency number."
MAX_GRADE = 8.0

# The public finding vocabulary of SOURCES.md, written out so a rename cannot slip through.
SOURCES_MD_FINDINGS = {
    "new_bladder_problem", "new_bowel_problem", "saddle_numbness", "new_sexual_dysfunction",
    "both_legs_affected", "worsening_leg_weakness", "after_injury", "fever", "chest_pain",
    "abdominal_pain_or_throbbing", "cancer_history", "unexplained_weight_loss", "night_pain",
    "upper_back_pain", "back_lump_or_shape_change", "worse_when_coughing_or_sneezing",
    "weakened_immune_system", "injects_drugs", "pain_below_knee", "leg_numbness_or_weakness",
    "severe_not_eased_by_rest", "getting_worse", "stops_daily_activities", "osteoporosis",
    "long_term_steroids", "alcohol_or_drug_misuse",
    # added by the clinical safety review (SOURCES.md, "Additions after the content review")
    "sudden_onset_after_minor_strain", "sudden_severe_pain_with_faintness",
    "pain_or_burning_when_peeing", "blood_in_pee", "recent_infection_or_spine_procedure",
    "constant_pain_not_changed_by_position", "feeling_unwell_or_night_sweats", "one_leg_weakness",
    "morning_stiffness_over_30_min",
}  # fmt: skip
LIBRARY = load_library()


def test_packaged_content_has_no_problems() -> None:
    """Every packaged file passes its schema and every cross-check."""
    count, problems = validate_packaged()
    assert problems == []
    assert count == len(list(CONTENT.rglob("*.yaml")))


def test_topics_cover_the_outline_in_order() -> None:
    """The seven outline topics ship, in reading order, each with sourced facts."""
    assert list(LIBRARY.topics) == [
        "what_is_a_back_spasm", "how_common", "causes", "symptoms",
        "when_to_get_help", "treatments", "stop_and_prevent",
    ]  # fmt: skip
    for topic in LIBRARY.topics.values():
        assert all(fact.sources for section in topic.sections for fact in section.facts)


@pytest.mark.parametrize("topic_id", list(LIBRARY.topics))
def test_topic_text_is_at_most_grade_8(topic_id) -> None:
    """Each topic's learner text has a Flesch-Kincaid grade of 8 or below."""
    grade = textstat.flesch_kincaid_grade(LIBRARY.topics[topic_id].text)
    assert grade <= MAX_GRADE, f"{topic_id}: grade {grade:.1f}"


def test_rule_table_text_is_at_most_grade_8() -> None:
    """The rule reasons and level advice, which learners read too, are grade 8 or below."""
    table = LIBRARY.triage
    texts = [rule.reason for rule in table.rules]
    texts += [info.action for info in table.levels.values()] + [table.safety_net]
    grade = textstat.flesch_kincaid_grade(" ".join(texts))
    assert grade <= MAX_GRADE, f"grade {grade:.1f}"


def reading_order() -> list[tuple[str, tuple[str, ...]]]:
    """Every piece of topic text in reading order, with the glossary ids it defines."""
    pieces: list[tuple[str, tuple[str, ...]]] = []
    for topic in LIBRARY.topics.values():
        pieces += [(topic.title, ()), (topic.summary, ())]
        for section in topic.sections:
            pieces.append((section.heading, ()))
            pieces += [(fact.text, fact.defines) for fact in section.facts]
    return pieces


@pytest.mark.parametrize("term_id", list(LIBRARY.glossary))
def test_medical_term_is_explained_where_it_first_appears(term_id) -> None:
    """A glossary term's first appearance in reading order is a fact that defines it."""
    term = LIBRARY.glossary[term_id]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, term.forms)) + r")\b", re.IGNORECASE)
    first = next(
        ((text, defines) for text, defines in reading_order() if pattern.search(text)), None
    )
    assert first is not None, f"{term.term!r} is in the glossary but never used"
    assert term_id in first[1], f"{term.term!r} first appears in {first[0]!r} without being defined"


def test_care_advice_topics_carry_the_notice() -> None:
    """Every topic that gives care advice says it is not a diagnosis and to call for help."""
    for topic_id in ("when_to_get_help", "treatments", "stop_and_prevent"):
        assert NOTICE in LIBRARY.topics[topic_id].text, topic_id


def test_finding_vocabulary_is_exactly_the_public_one() -> None:
    """The finding ids are exactly those of SOURCES.md and the review, the vocabulary instructors use."""
    assert set(LIBRARY.triage.findings) == SOURCES_MD_FINDINGS


def test_readme_documents_every_finding_with_its_level() -> None:
    """The README's finding table lists every id with the level the rules give it."""
    for finding in LIBRARY.triage.findings.values():
        row = re.search(rf"^\| `{finding.id}` \| .+ \| `(\w+)` \|$", README, re.MULTILINE)
        assert row, finding.id
        assert row.group(1) == LIBRARY.triage.level_of(finding.id).value, finding.id


def test_three_quizzes_of_ten_plus_questions_use_every_type() -> None:
    """The three required quizzes ship with 10+ questions each and all six question types."""
    required = {"causes_and_symptoms", "when_to_seek_care", "treatments_and_prevention"}
    assert required <= set(LIBRARY.quizzes)
    for quiz in LIBRARY.quizzes.values():
        assert len(quiz.questions) >= 10, quiz.id
        assert {q.type for q in quiz.questions} == {
            "single_choice", "multiple_answers", "true_false", "ordering", "matching", "numeric",
        }, quiz.id  # fmt: skip


def test_every_quiz_topic_is_taught_by_an_app() -> None:
    """Each topic a quiz question belongs to is taught by a learner's app (its review link)."""
    quiz_topics = {q.topic for quiz in LIBRARY.quizzes.values() for q in quiz.questions}
    untaught = sorted(topic for topic in quiz_topics if app_teaching(topic) is None)
    assert untaught == []


def test_apps_teach_only_known_topics_and_every_topic_once() -> None:
    """Every topic id in the apps' teaches lists is a topic, and each topic has one app."""
    taught = [topic for app in learner_apps() for topic in app.teaches]
    assert sorted(taught) == sorted(LIBRARY.topics)


def test_treatments_state_their_evidence() -> None:
    """Every outline treatment ships with an evidence grade and a verdict."""
    treatments = LIBRARY.treatments.values()
    assert len(treatments) >= 10
    verdicts = {t.verdict for t in treatments}
    assert {"recommended", "not_recommended", "sources_disagree"} <= verdicts


def test_every_source_is_cited_somewhere() -> None:
    """No source sits in sources.yaml unused."""
    cited = set()
    for topic in LIBRARY.topics.values():
        cited |= {s for section in topic.sections for fact in section.facts for s in fact.sources}
    for group in (LIBRARY.treatments.values(), LIBRARY.glossary.values(), LIBRARY.triage.rules):
        cited |= {s for item in group for s in item.sources}
    for quiz in LIBRARY.quizzes.values():
        cited |= {s for q in quiz.questions for s in q.sources}
    assert LIBRARY.plan is not None
    for item in LIBRARY.plan.items.values():
        cited |= {*item.sources, *(item.dose.sources if item.dose is not None else ())}
    assert set(LIBRARY.sources) - cited == set()
