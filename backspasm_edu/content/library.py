"""The Library: all content that loaded, keyed by id, with the problems found on the way."""

from __future__ import annotations

from dataclasses import dataclass, field

from backspasm_edu.content.model import (
    GlossaryTerm,
    HeatColdGuide,
    PlanMenu,
    Quiz,
    Scenario,
    Source,
    Topic,
    Treatment,
    TriageTable,
    TriggerTable,
)
from backspasm_edu.errors import Problem


@dataclass
class Library:
    """All content that loaded, keyed by id, plus the problems found on the way."""

    sources: dict[str, Source] = field(default_factory=dict)
    glossary: dict[str, GlossaryTerm] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    treatments: dict[str, Treatment] = field(default_factory=dict)
    triage: TriageTable | None = None
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    triggers: TriggerTable | None = None
    heat_cold: HeatColdGuide | None = None
    plan: PlanMenu | None = None
    problems: list[Problem] = field(default_factory=list)
