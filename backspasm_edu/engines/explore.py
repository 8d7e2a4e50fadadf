"""Explorer logic: likely triggers of picked habits, ice or heat by the hour, a printable plan."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from backspasm_edu.content.loader import Library, load_library, load_triage_table
from backspasm_edu.content.model import (
    Fact,
    HeatColdGuide,
    HeatColdPhase,
    PlanGroup,
    PlanItem,
    PlanMenu,
    Source,
    TriageTable,
    Trigger,
    TriggerTable,
)
from backspasm_edu.engines.triage import Reason
from backspasm_edu.errors import ContentError, InputError, Problem, show_value
from backspasm_edu.settings import MAX_NAME_LENGTH

__all__ = [
    "CareWarning",
    "HeatColdAdvice",
    "LikelyTrigger",
    "Plan",
    "TriggerReport",
    "build_plan",
    "heat_cold_guide",
    "heat_or_cold",
    "likely_triggers",
    "plan_menu",
    "trigger_table",
]


_Content = TypeVar("_Content")


def _packaged(content: _Content | None, file_name: str) -> _Content:
    """The loaded explorer content, or ContentError when its file did not ship."""
    if content is None:
        raise ContentError([Problem(file_name, "", "expected this file in the package")])
    return content


def trigger_table(library: Library | None = None) -> TriggerTable:
    """The causes explorer's content: habits to pick and the triggers they point to."""
    return _packaged((library or load_library()).triggers, "explorers/triggers.yaml")


def heat_cold_guide(library: Library | None = None) -> HeatColdGuide:
    """The ice-or-heat explorer's content: phases over the hours, evidence, choice, safety."""
    return _packaged((library or load_library()).heat_cold, "explorers/heat_cold.yaml")


def plan_menu(library: Library | None = None) -> PlanMenu:
    """The plan builder's content: groups of items a learner can choose."""
    return _packaged((library or load_library()).plan, "explorers/plan.yaml")


def _checked_ids(values: object, field: str, known: Mapping[str, object], what: str) -> set[str]:
    """The set of ids given; InputError for a non-list or an unknown id, naming its place."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise InputError(field, f"a list of {what} ids", show_value(values))
    ids: set[str] = set()
    for index, value in enumerate(values):
        if not isinstance(value, str) or value not in known:
            close = (
                difflib.get_close_matches(value, list(known), n=2, cutoff=0.6)
                if isinstance(value, str)
                else []
            )
            raise InputError(
                f"{field}[{index}]",
                f"a {what} id, one of {', '.join(known)}",
                show_value(value),
                close,
            )
        ids.add(value)
    return ids


# --- causes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LikelyTrigger:
    """A trigger that the picked habits point to, with the labels of those habits."""

    trigger: Trigger
    because: tuple[str, ...]


@dataclass(frozen=True)
class CareWarning:
    """Care a picked habit calls for: the triage rule of the finding it reveals, and what to do."""

    habit: str
    level_title: str
    action: str
    reason: Reason


@dataclass(frozen=True)
class TriggerReport:
    """The likely triggers of the picked habits, any care warnings, the caveat and the notice."""

    triggers: tuple[LikelyTrigger, ...]
    warnings: tuple[CareWarning, ...]
    caveat: Fact
    notice: str


def likely_triggers(
    habit_ids: Iterable[str], library: Library | None = None, triage: TriageTable | None = None
) -> TriggerReport:
    """The triggers the picked habits point to, each with its habits, all in content order.

    A habit that reveals a triage finding (a fall or accident: ``after_injury``) adds a warning
    carrying that finding's own rule, so the care level is always the triage table's. Warnings
    come most urgent first. An unknown habit id raises InputError naming the place in the list.
    The content is the packaged library and triage table unless others are given.
    """
    table = trigger_table(library)
    triage = triage or load_triage_table()
    ids = _checked_ids(habit_ids, "habit_ids", table.habits, "habit")
    picked = [habit for habit in table.habits.values() if habit.id in ids]
    triggers = tuple(
        LikelyTrigger(trigger, tuple(h.label for h in picked if trigger.id in h.triggers))
        for trigger in table.triggers.values()
        if any(trigger.id in habit.triggers for habit in picked)
    )
    warnings = []
    for habit in picked:
        rule = next((r for r in triage.rules if habit.finding and r.finding == habit.finding), None)
        if rule is not None:
            info = triage.levels[rule.level]
            warnings.append(
                CareWarning(habit.label, info.title, info.action, Reason.from_rule(rule))
            )
    warnings.sort(key=lambda warning: -warning.reason.level.urgency)
    return TriggerReport(triggers, tuple(warnings), table.caveat, triage.notice)


# --- ice or heat --------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatColdAdvice:
    """What the common tip says at this hour, what studies show and do not, choice and safety."""

    hours: int
    phase: HeatColdPhase
    shown: tuple[Fact, ...]
    choice: Fact
    safety: tuple[Fact, ...]
    notice: str

    @property
    def headline(self) -> str:
        """The phase and the hour in words, e.g. "The first 2 days (30 hours since it began)"."""
        unit = "hour" if self.hours == 1 else "hours"
        return f"{self.phase.title} ({self.hours} {unit} since the spasm began)"


def heat_or_cold(
    hours: int, library: Library | None = None, triage: TriageTable | None = None
) -> HeatColdAdvice:
    """What to know about ice and heat a number of hours after a spasm began (0 to max_hours).

    The phase is the last one starting at or before the hour; its words (content, checked by
    the tests) call the "cold first, heat later" switch a common tip, never a proven rule.
    Anything but a whole number in range raises InputError.
    """
    guide = heat_cold_guide(library)
    expected = f"a whole number of hours from 0 to {guide.max_hours}"
    if isinstance(hours, bool) or not isinstance(hours, int) or not 0 <= hours <= guide.max_hours:
        raise InputError("hours", expected, show_value(hours))
    phase = [p for p in guide.phases if p.from_hour <= hours][-1]
    return HeatColdAdvice(
        hours,
        phase,
        guide.shown,
        guide.choice,
        guide.safety,
        (triage or load_triage_table()).notice,
    )


# --- my plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A learner's plan: the chosen items by group, each with sources, the safety net and notice."""

    title: str
    name: str
    reminder: Fact
    sections: tuple[tuple[PlanGroup, tuple[PlanItem, ...]], ...]
    safety_net: str
    notice: str
    sources: Mapping[str, Source]


def build_plan(
    item_ids: Iterable[str],
    name: str = "",
    library: Library | None = None,
    triage: TriageTable | None = None,
) -> Plan:
    """A plan of the chosen items, in the menu's group and item order, for an optional name.

    Repeated ids count once. No items, an unknown item id, or a name that is not text of at
    most MAX_NAME_LENGTH characters raises InputError naming the field.
    """
    library = library or load_library()
    menu = plan_menu(library)
    chosen = _checked_ids(item_ids, "item_ids", menu.items, "plan item")
    if not chosen:
        raise InputError("item_ids", "at least one plan item id", "an empty list")
    if not isinstance(name, str):
        raise InputError("name", "text", show_value(name))
    name = " ".join(name.split())
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(
            "name", f"a name of at most {MAX_NAME_LENGTH} characters", f"{len(name)} characters"
        )
    picked = [item for item in menu.items.values() if item.id in chosen]
    sections = tuple(
        (group, tuple(item for item in picked if item.group == group.id))
        for group in menu.groups
        if any(item.group == group.id for item in picked)
    )
    cited = [
        *menu.reminder.sources,
        *(s for item in picked for s in item.sources),
        *(s for item in picked if item.dose is not None for s in item.dose.sources),
    ]
    triage = triage or load_triage_table()
    return Plan(
        title=menu.title,
        name=name,
        reminder=menu.reminder,
        sections=sections,
        safety_net=triage.safety_net,
        notice=triage.notice,
        sources={s: library.sources[s] for s in cited},
    )
