"""Write the generated part of docs/clinical-review.md from the rule table, or check it is current.

Usage: python docs/clinical_review.py [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from backspasm_edu.content.loader import load_library
from backspasm_edu.content.model import Condition, Rule

DOC = Path(__file__).with_name("clinical-review.md")
BEGIN = "<!-- begin generated: python docs/clinical_review.py -->"
END = "<!-- end generated -->"


def _cell(text: str) -> str:
    """Text safe inside one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _when(condition: Condition) -> str:
    """A rule's condition with finding ids in code style."""
    return _cell(condition.describe())


def _rule_row(rule: Rule, names: dict[str, str]) -> str:
    cited = ", ".join(names[source] for source in rule.sources)
    departure = (
        f"Departs from {', '.join(names[s] for s in rule.departure.sources)}: {rule.departure.why}"
        if rule.departure
        else ""
    )
    cells = [f"`{rule.id}`", _when(rule.when), f"`{rule.level.value}`", cited, _cell(departure)]
    return "| " + " | ".join(cells) + " |"


def generated() -> str:
    """The rules, the findings' placements and the sources, as Markdown."""
    library = load_library()
    table = library.triage
    assert table is not None
    names = {source.id: source.name for source in library.sources.values()}
    lines = [
        BEGIN,
        "",
        "### Every rule",
        "",
        "Most urgent first, as `backspasm_edu/content/triage/rules.yaml` holds them.",
        "",
        "| rule | when | level | sources | where we depart from a source, and why |",
        "|---|---|---|---|---|",
    ]
    rules = sorted(table.rules, key=lambda rule: -rule.level.urgency)
    lines += [_rule_row(rule, names) for rule in rules]
    lines += [
        "",
        "### Where each source places each finding",
        "",
        "In the source's own words where recorded (`says` in `findings.yaml`).",
        "",
        "| finding | our level | source | source's level | the source says |",
        "|---|---|---|---|---|",
    ]
    for finding in table.findings.values():
        for placement in finding.placements:
            says = f'"{_cell(placement.says)}"' if placement.says else ""
            lines.append(
                f"| `{finding.id}` | `{table.level_of(finding.id).value}` | "
                f"{names[placement.source]} | `{placement.level.value}` | {says} |"
            )
    lines += [
        "",
        "### Sources and when each was last checked",
        "",
        "| source | title | checked |",
        "|---|---|---|",
    ]
    lines += [
        f"| {s.name} | [{_cell(s.title)}]({s.url}) | {s.accessed} |"
        for s in library.sources.values()
    ]
    lines += ["", END]
    return "\n".join(lines)


def render(document: str) -> str:
    """The document with its generated block replaced by the current one."""
    head, _, rest = document.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return head + generated() + tail


def main(argv: list[str] | None = None) -> int:
    """Rewrite the document, or with --check exit 1 naming it when it is out of date."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="only check; change nothing")
    args = parser.parse_args(argv)
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current)
    if args.check:
        if current != wanted:
            print(f"{DOC} is out of date: run python docs/clinical_review.py", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
