"""Learner-facing words: every piece plain (grade 8 or below) and none copied from a protected text."""

from __future__ import annotations

import pytest
import textstat

from backspasm_edu.content.library import Library
from backspasm_edu.content.loader import load_library
from backspasm_edu.engines.quiz import SCORING_INTRO, UNSCORED_INTRO, QuizSession, quick_check
from tests.shingles import digest, read_hashes, shingles

MAX_GRADE = 8.0
LIBRARY = load_library()


def learner_units(library: Library) -> list[tuple[str, str]]:
    """Every piece of text a learner reads, as (where, text), one unit per thing shown together."""
    units: list[tuple[str, str]] = []
    triage = library.triage
    assert triage is not None
    for finding in triage.findings.values():
        units.append(
            (f"finding {finding.id}", f"{finding.label}. {finding.meaning} {finding.help}")
        )
    for group in triage.groups:
        units.append((f"finding group {group.id}", f"{group.title}. {group.help}"))
    units += [(f"rule {rule.id}", rule.reason) for rule in triage.rules]
    units += [
        (f"level {info.id.value}", f"{info.title}. {info.action}")
        for info in triage.levels.values()
    ]
    # The notice is not here: its wording is fixed by SOURCES.md and must not be rephrased.
    units.append(("safety net", triage.safety_net))
    for quiz in library.quizzes.values():
        units.append((f"quiz {quiz.id}", f"{quiz.title}. {quiz.description}"))
        for question in quiz.questions:
            parts = [question.prompt, question.explanation]
            parts += [f"{choice.text}. {choice.explanation}" for choice in question.answers]
            parts += [entry.text for entry in (*question.items, *question.pairs, *question.targets)]
            units.append((f"quiz {quiz.id}.{question.id}", " ".join(parts)))
    for scenario in library.scenarios.values():
        units.append((f"case {scenario.id}", f"{scenario.summary} {scenario.role}"))
        for node in scenario.nodes.values():
            parts = [node.text]
            parts += [f"{choice.text}. {choice.feedback}" for choice in node.choices]
            if node.ending is not None:
                parts += [node.ending.outcome, *node.ending.teaching_points]
            units.append((f"case {scenario.id}.{node.id}", " ".join(parts)))
    for treatment in library.treatments.values():
        parts = [treatment.what_it_is, treatment.summary, treatment.cautions]
        units.append((f"treatment {treatment.id}", " ".join(parts)))
    units += [(f"glossary {term.id}", term.meaning) for term in library.glossary.values()]
    return units


def every_text(library: Library) -> list[tuple[str, str]]:
    """The learner units plus every topic fact and explorer text, for the copy check."""
    texts = learner_units(library)
    for topic in library.topics.values():
        texts.append((f"topic {topic.id}", f"{topic.title}. {topic.summary}"))
        for section in topic.sections:
            texts += [(f"topic {topic.id}: {section.heading}", f.text) for f in section.facts]
    if library.triggers is not None:
        facts = [library.triggers.caveat]
        for trigger in library.triggers.triggers.values():
            facts += [trigger.about, trigger.prevent] + (
                [trigger.evidence] if trigger.evidence else []
            )
        texts += [("trigger explorer", fact.text) for fact in facts]
        texts += [("trigger explorer", habit.label) for habit in library.triggers.habits.values()]
    if library.heat_cold is not None:
        guide = library.heat_cold
        facts = [*guide.shown, guide.choice, *guide.safety]
        for phase in guide.phases:
            facts += [phase.tip, phase.not_shown]
        texts += [("ice or heat explorer", fact.text) for fact in facts]
    if library.plan is not None:
        texts.append(("plan", library.plan.reminder.text))
        texts += [
            (f"plan {item.id}", f"{item.label}. {item.text}")
            for item in library.plan.items.values()
        ]
    return texts


UNITS = learner_units(LIBRARY)


@pytest.mark.parametrize(("where", "text"), UNITS, ids=[where for where, _ in UNITS])
def test_learner_text_is_at_most_grade_8(where, text) -> None:
    """Each finding, rule, level, safety net, question, case scene, treatment and term reads at grade 8 or below."""
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{where}: grade {grade:.1f}: {text}"


def scoring_units(library: Library) -> list[tuple[str, str]]:
    """How quizzes are scored, in a learner's words: the rules above a quiz and each question's."""
    units = [
        ("scoring rules of a quiz", SCORING_INTRO),
        ("rule for noted questions", UNSCORED_INTRO),
    ]
    for quiz in library.quizzes.values():
        for question in quiz.questions:
            view = QuizSession(quick_check(quiz, [question.id]), seed=0).current
            assert view is not None
            units.append((f"scoring {quiz.id}.{question.id}", f"{view.scoring} {view.tries_rule}"))
    return units


SCORING_UNITS = scoring_units(LIBRARY)


@pytest.mark.parametrize(
    ("where", "text"), SCORING_UNITS, ids=[where for where, _ in SCORING_UNITS]
)
def test_scoring_words_are_at_most_grade_8(where, text) -> None:
    """The quiz's scoring rules and each question's rule and tries read at grade 8 or below."""
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{where}: grade {grade:.1f}: {text}"


def test_no_eight_word_run_is_copied_from_a_protected_text() -> None:
    """No 8 words in a row of learner-facing text match a protected text (stored as hashes only)."""
    protected = read_hashes()
    assert len(protected) > 100, "the protected shingle list is missing or nearly empty"
    copied = [
        f"{where}: {shingle!r}"
        for where, text in every_text(LIBRARY)
        for shingle in shingles(text)
        if digest(shingle) in protected
    ]
    assert copied == []


def test_the_copy_check_catches_a_copied_run() -> None:
    """A known protected run, planted in otherwise own words, is caught (the check can fail)."""
    planted = (
        "Our words here, then Bending, twisting, lifting, standing or walking can make it worse."
    )
    assert any(digest(shingle) in read_hashes() for shingle in shingles(planted))
