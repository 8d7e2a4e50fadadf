"""Frozen data objects from content files: sources, topics, triage, quizzes, cases, explorers.

Why one long module: every content object, each a small frozen dataclass, in one place to read
the whole model at once; it holds no logic beyond small properties.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Literal, Protocol


class CareLevel(str, Enum):  # noqa: UP042  (StrEnum would change str() of the public levels)
    """How soon to get care, most urgent first; compare urgency with ``.urgency``."""

    EMERGENCY = "emergency"
    URGENT = "urgent"
    SEE_DOCTOR = "see_doctor"
    SELF_CARE = "self_care"

    @property
    def urgency(self) -> int:
        """Rank for comparison: 3 for emergency down to 0 for self care."""
        return _URGENCY[self]

    def __str__(self) -> str:
        return self.value


_URGENCY = {
    CareLevel.EMERGENCY: 3,
    CareLevel.URGENT: 2,
    CareLevel.SEE_DOCTOR: 1,
    CareLevel.SELF_CARE: 0,
}


def most_urgent(levels: list[CareLevel] | tuple[CareLevel, ...]) -> CareLevel:
    """Return the most urgent of the levels, or self care when there are none."""
    return max(levels, key=lambda level: level.urgency, default=CareLevel.SELF_CARE)


@dataclass(frozen=True)
class Source:
    """A reputable source that facts cite by id."""

    id: str
    name: str
    title: str
    url: str
    accessed: str
    publisher: str = ""


@dataclass(frozen=True)
class Fact:
    """One sourced statement in plain words."""

    text: str
    sources: tuple[str, ...]
    defines: tuple[str, ...] = ()
    evidence_note: str = ""


@dataclass(frozen=True)
class Section:
    """A headed group of facts within a topic."""

    heading: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Topic:
    """A teaching topic, in reading order."""

    id: str
    order: int
    title: str
    summary: str
    sections: tuple[Section, ...]
    gives_care_advice: bool = False
    """It advises on care, so it shows the not-a-diagnosis notice near its top."""

    @property
    def text(self) -> str:
        """All learner-facing text of the topic, joined for readability checks."""
        parts = [self.title, self.summary]
        for section in self.sections:
            parts.append(section.heading)
            parts.extend(fact.text for fact in section.facts)
        return " ".join(parts)


@dataclass(frozen=True)
class GlossaryTerm:
    """A medical term with its plain meaning and the other forms it takes in text."""

    id: str
    term: str
    meaning: str
    sources: tuple[str, ...]
    also: tuple[str, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """The term and every other spelling it appears under."""
        return (self.term, *self.also)


@dataclass(frozen=True)
class Treatment:
    """A treatment with the quality of its evidence and the guidelines' verdict."""

    id: str
    name: str
    what_it_is: str
    evidence: str
    verdict: str
    summary: str
    sources: tuple[str, ...]
    cautions: str = ""
    prescription_only: bool = False


# --- triage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A validated triage input: the person's age, how long it has lasted, and findings."""

    age: int
    days_since_onset: int
    first_episode: bool = True
    findings: frozenset[str] = frozenset()


class Condition(Protocol):
    """A rule's condition: whether it holds for a case, and how to say it in words."""

    def holds(self, case: Case) -> bool:
        """Whether the condition is true for the case."""

    def describe(self) -> str:
        """The condition in plain words."""

    def sentence(self, labels: Mapping[str, str]) -> str:
        """The condition as a learner reads it, each finding by its label (never its id)."""

    def finding_ids(self) -> frozenset[str]:
        """Every finding id the condition mentions."""


@dataclass(frozen=True)
class HasFinding:
    """True when the case includes one finding."""

    finding: str

    def holds(self, case: Case) -> bool:
        """Whether the finding is present."""
        return self.finding in case.findings

    def describe(self) -> str:
        """The condition in plain words."""
        return f"finding {self.finding}"

    def sentence(self, labels: Mapping[str, str]) -> str:
        """The finding's label in quotes: "Fever"."""
        return f"\u201c{labels[self.finding]}\u201d"

    def finding_ids(self) -> frozenset[str]:
        """The one finding this condition names."""
        return frozenset({self.finding})


@dataclass(frozen=True)
class Compare:
    """True when a number in the case is at least, or below, a limit."""

    field: Literal["age", "days_since_onset"]
    operator: Literal["at_least", "below"]
    limit: int

    def holds(self, case: Case) -> bool:
        """Whether the number meets the limit."""
        value: int = getattr(case, self.field)
        return value >= self.limit if self.operator == "at_least" else value < self.limit

    def describe(self) -> str:
        """The condition in plain words."""
        words = "at least" if self.operator == "at_least" else "below"
        name = "age" if self.field == "age" else "days since onset"
        return f"{name} {words} {self.limit}"

    def sentence(self, labels: Mapping[str, str]) -> str:
        """In words such as: Aged 50 or over, Aged under 20, Pain for 28 days or more."""
        if self.field == "age":
            return (
                f"Aged {self.limit} or over"
                if self.operator == "at_least"
                else (f"Aged under {self.limit}")
            )
        if self.operator == "at_least":
            return f"Pain for {self.limit} days or more"
        return f"Pain for less than {self.limit} days"

    def finding_ids(self) -> frozenset[str]:
        """No finding: this condition is about a number."""
        return frozenset()


@dataclass(frozen=True)
class FirstEpisode:
    """True when the case's first-episode flag has the given value."""

    value: bool

    def holds(self, case: Case) -> bool:
        """Whether the flag matches."""
        return case.first_episode is self.value

    def describe(self) -> str:
        """The condition in plain words."""
        return "first episode" if self.value else "not the first episode"

    def sentence(self, labels: Mapping[str, str]) -> str:
        """Whether this is the first back pain ever."""
        return "The first back pain ever" if self.value else "Back pain has happened before"

    def finding_ids(self) -> frozenset[str]:
        """No finding: this condition is about the history flag."""
        return frozenset()


@dataclass(frozen=True)
class AllOf:
    """True when every part holds."""

    parts: tuple[Condition, ...]

    def holds(self, case: Case) -> bool:
        """Whether every part holds."""
        return all(part.holds(case) for part in self.parts)

    def describe(self) -> str:
        """The parts joined with "and"."""
        return " and ".join(_grouped(part) for part in self.parts)

    def sentence(self, labels: Mapping[str, str]) -> str:
        """The parts joined with "and", a choice of several in brackets."""
        return " and ".join(_grouped_sentence(part, labels) for part in self.parts)

    def finding_ids(self) -> frozenset[str]:
        """Findings named by any part."""
        return frozenset().union(*(part.finding_ids() for part in self.parts))


@dataclass(frozen=True)
class AnyOf:
    """True when at least one part holds."""

    parts: tuple[Condition, ...]

    def holds(self, case: Case) -> bool:
        """Whether any part holds."""
        return any(part.holds(case) for part in self.parts)

    def describe(self) -> str:
        """The parts joined with "or"."""
        return " or ".join(_grouped(part) for part in self.parts)

    def sentence(self, labels: Mapping[str, str]) -> str:
        """One part, or "any of" the parts."""
        if len(self.parts) == 1:
            return self.parts[0].sentence(labels)
        return "any of " + ", ".join(part.sentence(labels) for part in self.parts)

    def finding_ids(self) -> frozenset[str]:
        """Findings named by any part."""
        return frozenset().union(*(part.finding_ids() for part in self.parts))


def _grouped(condition: Condition) -> str:
    text = condition.describe()
    return f"({text})" if isinstance(condition, (AllOf, AnyOf)) else text


def _grouped_sentence(condition: Condition, labels: Mapping[str, str]) -> str:
    text = condition.sentence(labels)
    return f"({text})" if isinstance(condition, AnyOf) and len(condition.parts) > 1 else text


@dataclass(frozen=True)
class Placement:
    """Where one source puts a finding, with a few of the source's own words when recorded."""

    source: str
    level: CareLevel
    says: str = ""


@dataclass(frozen=True)
class FindingGroup:
    """A heading under which findings are shown to learners."""

    id: str
    title: str
    help: str


@dataclass(frozen=True)
class Finding:
    """A finding id of the public vocabulary, worded for learners."""

    id: str
    group: str
    label: str
    meaning: str
    help: str
    placements: tuple[Placement, ...]

    @property
    def sources_level(self) -> CareLevel:
        """The most urgent level any source gives this finding."""
        return most_urgent(tuple(placement.level for placement in self.placements))


@dataclass(frozen=True)
class Departure:
    """Why a rule places its finding below where some sources put it, and which sources."""

    sources: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Rule:
    """One row of the triage table."""

    id: str
    when: Condition
    level: CareLevel
    reason: str
    sources: tuple[str, ...]
    departure: Departure | None = None

    @property
    def finding(self) -> str | None:
        """The finding id when the rule is about one finding alone, else None."""
        return self.when.finding if isinstance(self.when, HasFinding) else None


@dataclass(frozen=True)
class LevelInfo:
    """How a care level is named and what to do at it."""

    id: CareLevel
    title: str
    action: str


@dataclass(frozen=True)
class TriageTable:
    """Everything the triage engine needs: vocabulary, rules, wording of levels and notice."""

    notice: str
    safety_net: str
    levels: Mapping[CareLevel, LevelInfo]
    groups: tuple[FindingGroup, ...]
    findings: Mapping[str, Finding]
    rules: tuple[Rule, ...]

    def rule_for(self, finding_id: str) -> Rule:
        """The rule about this finding alone (the loader checks every finding has one)."""
        return next(rule for rule in self.rules if rule.finding == finding_id)

    def level_of(self, finding_id: str) -> CareLevel:
        """The care level this finding alone leads to."""
        return self.rule_for(finding_id).level

    @property
    def finding_labels(self) -> dict[str, str]:
        """Each finding's id and the label learners tick, in the table's order."""
        return {finding_id: finding.label for finding_id, finding in self.findings.items()}


# --- quizzes ------------------------------------------------------------------------------

QuestionType = Literal[
    "single_choice",
    "multiple_answers",
    "true_false",
    "ordering",
    "matching",
    "numeric",
    "short_text",
]


TextFormat = Literal["plain", "markdown"]
"""How a quiz's texts are written: plain text, or Markdown with LaTeX math."""


def typed_form(text: str, match_case: bool = False) -> str:
    """Text as short-text answers compare: spaces trimmed and collapsed, case folded unless kept."""
    joined = " ".join(text.split())
    return joined if match_case else joined.casefold()


@dataclass(frozen=True)
class Choice:
    """An answer option of a choice question, with whether it is right and why (optional)."""

    id: str
    text: str
    correct: bool = False
    explanation: str = ""


@dataclass(frozen=True)
class Item:
    """An item to order, or a target to match."""

    id: str
    text: str


@dataclass(frozen=True)
class Pair:
    """A left-hand item to match, with the id of its right target."""

    id: str
    text: str
    match: str


@dataclass(frozen=True)
class NumericRange:
    """Numbers from ``min`` to ``max`` (both included): also right, or an expected wrong answer."""

    min: float
    max: float
    correct: bool = False
    explanation: str = ""


@dataclass(frozen=True)
class Question:
    """A quiz question; the fields used depend on its type.

    ``explanation`` is "" when the question has none. A choice question (single choice,
    multiple answers) with no answer marked correct has no right answer: any pick is noted,
    never scored (see ``scored``). A short-text question keeps its accepted answers
    (``correct``) and any expected wrong ones, each with optional feedback, in ``answers``;
    ``match_case`` makes capital letters count and ``fuzzy_threshold`` (0 to 1, 0 for exact
    only) also accepts a near miss as similar as that. A numeric question's ``ranges`` add
    right ranges and expected wrong ones, each with optional feedback.
    """

    id: str
    type: QuestionType
    topic: str
    prompt: str
    explanation: str
    sources: tuple[str, ...]
    attempts: int | None = None
    answers: tuple[Choice, ...] = ()
    truth: bool | None = None
    number: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    match_case: bool = False
    items: tuple[Item, ...] = ()
    pairs: tuple[Pair, ...] = ()
    targets: tuple[Item, ...] = ()
    fuzzy_threshold: float = 0.0
    ranges: tuple[NumericRange, ...] = ()

    @property
    def scored(self) -> bool:
        """False for a choice question with no answer marked correct: it earns no points."""
        if self.type in ("single_choice", "multiple_answers"):
            return any(choice.correct for choice in self.answers)
        return True


@dataclass(frozen=True)
class Quiz:
    """A set of questions with its attempt and shuffle settings."""

    id: str
    title: str
    description: str
    questions: tuple[Question, ...]
    attempts: int = 2
    shuffle_questions: bool = True
    shuffle_answers: bool = True
    text_format: TextFormat = "plain"
    """How its texts are shown: as written, or as Markdown with LaTeX math (render.rich_text)."""


# --- scenarios ----------------------------------------------------------------------------

Rating = Literal["good", "acceptable", "poor"]


@dataclass(frozen=True)
class Patient:
    """The person in a case, with the facts the triage engine needs."""

    name: str
    age: int
    days_since_onset: int
    first_episode: bool = True


@dataclass(frozen=True)
class ScenarioChoice:
    """A choice at a story node, where it leads, and feedback on it."""

    id: str
    text: str
    to: str
    feedback: str
    rating: Rating


@dataclass(frozen=True)
class Ending:
    """How a case ends, the care it advises and what to learn from it."""

    outcome: str
    care_level: CareLevel
    teaching_points: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Node:
    """A point in the story: text, findings it reveals, and choices or an ending."""

    id: str
    text: str
    findings: tuple[str, ...] = ()
    days_since_onset: int | None = None
    choices: tuple[ScenarioChoice, ...] = ()
    ending: Ending | None = None


@dataclass(frozen=True)
class Scenario:
    """A branching patient case, and who the learner is in it (``role``)."""

    id: str
    title: str
    summary: str
    patient: Patient
    start: str
    nodes: Mapping[str, Node] = field(default_factory=dict)
    role: str = ""

    @property
    def learner_role(self) -> str:
        """The learner's part in the story, said at its start."""
        return self.role or f"You are helping {self.patient.name} decide what to do."


# --- explorers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Habit:
    """A daily habit or event a learner can pick, the triggers it points to, and any finding."""

    id: str
    label: str
    triggers: tuple[str, ...]
    finding: str = ""


@dataclass(frozen=True)
class Trigger:
    """A likely trigger of spasms: what it is, how to prevent it, and any caveat on its evidence."""

    id: str
    name: str
    about: Fact
    prevent: Fact
    evidence: Fact | None = None


@dataclass(frozen=True)
class TriggerTable:
    """The causes explorer: habits to pick, the triggers they point to, and a caveat."""

    caveat: Fact
    habits: Mapping[str, Habit]
    triggers: Mapping[str, Trigger]


@dataclass(frozen=True)
class HeatColdPhase:
    """From one hour on: what the "cold first, heat later" tip says, and what studies do not."""

    id: str
    from_hour: int
    title: str
    tip: Fact
    not_shown: Fact


@dataclass(frozen=True)
class HeatColdGuide:
    """The ice-or-heat explorer: phases over the hours, what studies show, choice and safety."""

    max_hours: int
    phases: tuple[HeatColdPhase, ...]
    shown: tuple[Fact, ...]
    choice: Fact
    safety: tuple[Fact, ...]


@dataclass(frozen=True)
class PlanGroup:
    """A heading under which plan items are offered and printed."""

    id: str
    title: str
    help: str


@dataclass(frozen=True)
class PlanItem:
    """One thing a learner can put in a plan: a stretch, a posture tip, a goal or an easing tip."""

    id: str
    group: str
    label: str
    text: str
    sources: tuple[str, ...]
    dose: Fact | None = None
    """How long to hold it, how many times and how often, with its own sources (if known)."""


@dataclass(frozen=True)
class PlanMenu:
    """Everything a learner can choose from to build a plan, in groups, with a reminder."""

    title: str
    reminder: Fact
    groups: tuple[PlanGroup, ...]
    items: Mapping[str, PlanItem]
