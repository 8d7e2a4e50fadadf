"""Readable tables of the triage rules, the finding ids and the treatments: HTML or pandas."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING

from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.content.model import CareLevel, Rule

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

EVIDENCE_WORDS = {
    "moderate": "Moderate",
    "low": "Low",
    "insufficient": "Too little to know",
    "against": "Against (it does not help)",
}
"""The quality of the evidence that a treatment helps, in plain words."""

VERDICT_WORDS = {
    "recommended": "Recommended",
    "option": "An option",
    "sources_disagree": "Sources disagree",
    "not_recommended": "Not recommended",
}
"""What the guidelines advise about a treatment, in plain words."""


def level_words(level: CareLevel) -> str:
    """A level id as words: ``see_doctor`` becomes "see doctor"."""
    return level.value.replace("_", " ")


def level_label(level: CareLevel) -> str:
    """A level's title with its id in words, such as "Get help now (emergency)"."""
    return f"{load_triage_table().levels[level].title} ({level_words(level)})"


def source_names(source_ids: Iterable[str]) -> str:
    """The short names of the sources, joined with commas."""
    sources = load_library().sources
    return ", ".join(sources[i].name for i in source_ids)


def _frame(rows: list[dict[str, str]]) -> pd.DataFrame:
    import pandas as pd

    frame: pd.DataFrame = pd.DataFrame(rows)
    return frame


def _departure_words(rule: Rule) -> str:
    """Where a rule departs from a source, the sentence that says so and why; else nothing."""
    if rule.departure is None:
        return ""
    return f" Where we differ from {source_names(rule.departure.sources)}: {rule.departure.why}"


def rule_rows() -> list[dict[str, str]]:
    """Every triage rule, most urgent first: when it applies, its care level, reason, sources.

    "When" names each sign by the label learners tick in the checker, never by its id.
    """
    table = load_triage_table()
    labels = table.finding_labels
    rules = sorted(table.rules, key=lambda rule: -rule.level.urgency)
    return [
        {
            "When": rule.when.sentence(labels),
            "Care level": level_label(rule.level),
            "Why": rule.reason + _departure_words(rule),
            "Sources": source_names(rule.sources),
        }
        for rule in rules
    ]


def finding_rows() -> list[dict[str, str]]:
    """Every finding id with its meaning, group, care level and where each source places it."""
    table = load_triage_table()
    groups = {group.id: group.title for group in table.groups}
    names = load_library().sources
    return [
        {
            "Finding": finding.id,
            "What it means": finding.meaning,
            "Group": groups[finding.group],
            "Care level": level_label(table.level_of(finding.id)),
            "Where the sources place it": "; ".join(
                f"{names[p.source].name}: {level_words(p.level)}" for p in finding.placements
            ),
        }
        for finding in table.findings.values()
    ]


def treatment_rows() -> list[dict[str, str]]:
    """Every treatment: what it is, its evidence and the guidelines' verdict in plain words."""
    return [
        {
            "Treatment": treatment.name,
            "What it is": treatment.what_it_is,
            "Evidence": EVIDENCE_WORDS[treatment.evidence],
            "Verdict": VERDICT_WORDS[treatment.verdict],
            "Prescription only": "Yes" if treatment.prescription_only else "No",
            "Sources": source_names(treatment.sources),
        }
        for treatment in load_library().treatments.values()
    ]


def rule_table() -> pd.DataFrame:
    """Every triage rule as a DataFrame, most urgent first: the rows of ``rule_rows``."""
    return _frame(rule_rows())


def finding_table() -> pd.DataFrame:
    """Every finding id as a DataFrame: the rows of ``finding_rows``."""
    return _frame(finding_rows())


def treatment_table() -> pd.DataFrame:
    """Every treatment as a DataFrame: the rows of ``treatment_rows``."""
    return _frame(treatment_rows())


_CELL = "text-align:left;vertical-align:top;white-space:normal"
"""The style of every cell, as ``styled`` gives: left- and top-aligned, wrapped."""
_CAPTION = "text-align:left;font-weight:bold;padding:0 0.5em 0.4em"


def html_table(rows: Sequence[Mapping[str, str]], caption: str) -> str:
    """The rows as an HTML table for a notebook, without pandas: the keys are the column heads.

    The caption names the table; column heads are ``<th scope="col">``; every cell is escaped.
    There is no index column, and the text is left- and top-aligned and wrapped. Each cell
    carries its column head (``data-label``), so on a narrow screen the page style shows each
    row as a card of labelled lines (class ``backspasm-cards``) instead of a table to scroll.
    """
    columns = list(rows[0]) if rows else []
    head = "".join(f'<th scope="col" style="{_CELL}">{escape(column)}</th>' for column in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td style="{_CELL}" data-label="{escape(column)}">{escape(row[column])}</td>'
            for column in columns
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="backspasm-cards"><caption style="{_CAPTION}">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def styled(frame: pd.DataFrame) -> Styler:
    """The table for a notebook: no index, text left-aligned, top-aligned and wrapped."""
    cells = "text-align: left; vertical-align: top; white-space: normal"
    return frame.style.hide(axis="index").set_table_styles([{"selector": "th, td", "props": cells}])
