"""Rule-based triage: check every rule of the table, report each that fires; most urgent wins."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backspasm_edu.content.loader import load_triage_table
from backspasm_edu.content.model import CareLevel, Case, Rule, TriageTable, most_urgent
from backspasm_edu.errors import InputError, show_value

__all__ = ["Assessment", "CareLevel", "Case", "Reason", "assess", "parse_case"]

FIELDS = ("age", "days_since_onset", "first_episode", "findings")
MIN_AGE, MAX_AGE = 16, 120
MAX_DAYS = MAX_AGE * 366


@dataclass(frozen=True)
class Reason:
    """A rule that fired: its id, the finding it is about, why it matters, and its sources."""

    rule_id: str
    finding: str | None
    condition: str
    level: CareLevel
    reason: str
    sources: tuple[str, ...]

    @classmethod
    def from_rule(cls, rule: Rule) -> Reason:
        """The reason reported when a rule fires."""
        return cls(
            rule.id, rule.finding, rule.when.describe(), rule.level, rule.reason, rule.sources
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "rule_id": self.rule_id,
            "finding": self.finding,
            "condition": self.condition,
            "level": self.level.value,
            "reason": self.reason,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class Assessment:
    """The result of a triage: level, every reason, plain advice and the not-a-diagnosis notice."""

    case: Case
    level: CareLevel
    level_title: str
    reasons: tuple[Reason, ...]
    advice: str
    notice: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as printed by ``backspasm-edu triage``."""
        return {
            "level": self.level.value,
            "level_title": self.level_title,
            "reasons": [reason.to_dict() for reason in self.reasons],
            "advice": self.advice,
            "notice": self.notice,
            "input": {
                "age": self.case.age,
                "days_since_onset": self.case.days_since_onset,
                "first_episode": self.case.first_episode,
                "findings": sorted(self.case.findings),
            },
        }


def _whole_number(data: Mapping[str, Any], name: str, low: int, high: int, words: str) -> int:
    expected = f"a whole number from {low} to {high} ({words})"
    if name not in data:
        raise InputError(name, expected, "nothing (the key is missing)")
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(name, expected, show_value(value))
    if not low <= value <= high:
        raise InputError(name, expected, show_value(value))
    return value


def parse_case(data: object, table: TriageTable | None = None) -> Case:
    """Check raw input and turn it into a Case; anything unexpected raises InputError."""
    table = table or load_triage_table()
    if not isinstance(data, Mapping):
        raise InputError("input", f"an object with the keys {', '.join(FIELDS)}", show_value(data))
    for key in data:
        if key not in FIELDS:
            raise InputError(
                key if isinstance(key, str) and key.strip() and key.isprintable() else "input",
                f"one of the keys {', '.join(FIELDS)}",
                f"the unknown key {show_value(key)}",
                difflib.get_close_matches(str(key), FIELDS, n=1, cutoff=0.6),
            )
    age = _whole_number(data, "age", MIN_AGE, MAX_AGE, "years")
    days = _whole_number(data, "days_since_onset", 0, MAX_DAYS, "days since the pain began")
    first_episode = data.get("first_episode", True)
    if not isinstance(first_episode, bool):
        raise InputError("first_episode", "true or false", show_value(first_episode))
    findings = data.get("findings", [])
    if not isinstance(findings, (list, tuple)):
        raise InputError("findings", "a list of finding ids", show_value(findings))
    for index, finding in enumerate(findings):
        if not isinstance(finding, str) or finding not in table.findings:
            raise InputError(
                f"findings[{index}]",
                "a finding id from the list in the README",
                show_value(finding),
                difflib.get_close_matches(str(finding), list(table.findings), n=3, cutoff=0.6),
            )
    return Case(age, days, first_episode, frozenset(findings))


def evaluate(case: Case, table: TriageTable) -> tuple[CareLevel, tuple[Rule, ...]]:
    """Every rule that fires for a valid case, and the most urgent of their levels."""
    fired = tuple(rule for rule in table.rules if rule.when.holds(case))
    return most_urgent(tuple(rule.level for rule in fired)), fired


def assess(data: Mapping[str, Any] | Case, table: TriageTable | None = None) -> Assessment:
    """Triage one case given as a mapping (checked strictly) or an already valid Case.

    Every rule is checked and every rule that fires is reported, most urgent first; the most
    urgent level among them is the result, and self care when none fires.
    """
    table = table or load_triage_table()
    case = data if isinstance(data, Case) else parse_case(data, table)
    level, fired = evaluate(case, table)
    ordered = sorted(fired, key=lambda rule: -rule.level.urgency)
    info = table.levels[level]
    advice = info.action if level is CareLevel.EMERGENCY else f"{info.action} {table.safety_net}"
    return Assessment(
        case=case,
        level=level,
        level_title=info.title,
        reasons=tuple(Reason.from_rule(rule) for rule in ordered),
        advice=advice,
        notice=table.notice,
    )
