"""One finding vocabulary everywhere: rule table, README, triage checker groups and `findings` agree."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import ipywidgets as widgets

from backspasm_edu.app import cli
from backspasm_edu.content.loader import load_triage_table
from backspasm_edu.content.model import CareLevel
from backspasm_edu.widgets.triage_checker import TriageChecker
from tests.widgets.helpers import walk

TABLE = load_triage_table()
README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
EXPECTED = [(f.id, TABLE.level_of(f.id).value) for f in TABLE.findings.values()]


def test_every_finding_has_its_own_rule_and_group() -> None:
    """Each finding id has exactly one rule about it alone, and a group learners see it under."""
    groups = {group.id for group in TABLE.groups}
    for finding in TABLE.findings.values():
        assert [rule.id for rule in TABLE.rules if rule.finding == finding.id], finding.id
        assert len([rule for rule in TABLE.rules if rule.finding == finding.id]) == 1, finding.id
        assert finding.group in groups, finding.id


def test_readme_table_lists_every_finding_in_order_with_meaning_and_level() -> None:
    """The README's finding table is the rule table's findings, in order, with meaning and level."""
    rows = re.findall(r"^\| `(\w+)` \| (.+) \| `(\w+)` \|$", README, re.MULTILINE)
    readme = [(fid, level) for fid, _, level in rows if fid in TABLE.findings]
    assert readme == EXPECTED
    meanings = {fid: meaning for fid, meaning, _ in rows}
    for finding in TABLE.findings.values():
        assert meanings[finding.id] == " ".join(finding.meaning.split()), finding.id


def test_findings_command_prints_the_same_ids_and_levels(monkeypatch, capsys) -> None:
    """`backspasm-edu findings` prints every id with the level its rule gives, in table order."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert cli.main(["findings"]) == 0
    printed = [tuple(line.split()[:2]) for line in capsys.readouterr().out.splitlines()]
    assert printed == EXPECTED


def test_checker_steps_hold_the_emergency_signs_then_each_groups_others_in_order() -> None:
    """The checker's steps: every emergency finding first, then each group's other findings, in table order."""
    checker = TriageChecker()
    box_ids = {id(box): fid for fid, box in checker.finding_boxes.items()}
    shown = {
        step.title: [
            box_ids[id(w)]
            for row in step.controls
            for w in walk(row)
            if isinstance(w, widgets.Checkbox) and id(w) in box_ids
        ]
        for step in checker.steps[1:]
    }
    emergency = [fid for fid in TABLE.findings if TABLE.level_of(fid) is CareLevel.EMERGENCY]
    expected = {"Signs that need help at once": emergency}
    for group in TABLE.groups:
        others = [
            f.id for f in TABLE.findings.values() if f.group == group.id and f.id not in emergency
        ]
        if others:
            expected[group.title] = others
    assert shown == expected
