"""A learner's plan as a printable web page, as Markdown, and as links that download both.

The plan has its date, the learner's name if given, each item with its picture and how much
to do, a 7-day tick table, the safety net, and sources as numbers into one list at the end.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable
from datetime import date

from backspasm_edu.content.model import PlanItem
from backspasm_edu.engines.explore import Plan
from backspasm_edu.render.pictures import plan_item_svg

__all__ = [
    "PLAN_FILE_STEM",
    "SAFETY_HEADING",
    "TICK_DAYS",
    "made_on_text",
    "plan_download_links",
    "plan_html",
    "plan_markdown",
]

PLAN_FILE_STEM = "my_back_plan"
"""The downloaded plan's file name, before .html or .md."""
SAFETY_HEADING = "When to get help"
TICK_DAYS = 7
"""Days in the tick table: one week to start with."""
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;"
    "line-height:1.5;color:#111}small{color:#333}"
    ".plan-item{display:flex;gap:1em;align-items:flex-start;break-inside:avoid;margin:0 0 1em}"
    ".plan-item svg{width:170px;flex:0 0 170px}"
    "table.ticks{border-collapse:collapse;break-inside:avoid}"
    "table.ticks th,table.ticks td{border:1px solid #555;padding:0.3em 0.5em;text-align:left}"
    "table.ticks td.tick{width:2.4em;height:1.8em}"
    "@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}"
)


class _Numbers:
    """Sources numbered in the order the plan first cites them."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.order: dict[str, int] = {}

    def cite(self, source_ids: Iterable[str]) -> list[int]:
        """The numbers of these sources, numbering any new one."""
        return [self.order.setdefault(s, len(self.order) + 1) for s in source_ids]

    def html_marks(self, source_ids: Iterable[str]) -> str:
        numbers = self.cite(source_ids)
        return f"<sup>[{', '.join(str(n) for n in numbers)}]</sup>" if numbers else ""

    def markdown_marks(self, source_ids: Iterable[str]) -> str:
        numbers = self.cite(source_ids)
        return f" [{', '.join(str(n) for n in numbers)}]" if numbers else ""


def made_on_text(made_on: date | None = None) -> str:
    """A date in words, as a printed page shows it: "29 November 2026" (today by default)."""
    day = made_on or date.today()
    return f"{day.day} {day:%B %Y}"


def _items(plan: Plan) -> list[PlanItem]:
    return [item for _group, items in plan.sections for item in items]


def plan_html(plan: Plan, standalone: bool = True, made_on: date | None = None) -> str:
    """The plan as a printable web page, or as an HTML fragment when not standalone."""
    numbers = _Numbers(plan)
    parts = [f"<h2>{html.escape(plan.title)}</h2>"]
    who = f" for <strong>{html.escape(plan.name)}</strong>" if plan.name else ""
    parts.append(f"<p>Made{who} on {made_on_text(made_on)}.</p>")
    parts.append(
        f"<p><em>{html.escape(plan.reminder.text)}</em>"
        f"{numbers.html_marks(plan.reminder.sources)}</p>"
    )
    for group, items in plan.sections:
        entries = []
        for item in items:
            dose = (
                f"<br><strong>How much:</strong> {html.escape(item.dose.text)}"
                f"{numbers.html_marks(item.dose.sources)}"
                if item.dose is not None
                else ""
            )
            entries.append(
                f'<div class="plan-item">{plan_item_svg(item.id)}<div><strong>'
                f"{html.escape(item.label)}.</strong> {html.escape(item.text)}"
                f"{numbers.html_marks(item.sources)}{dose}</div></div>"
            )
        parts.append(f"<h3>{html.escape(group.title)}</h3>{''.join(entries)}")
    parts.append(_ticks_html(plan))
    parts.append(f"<h3>{SAFETY_HEADING}</h3><p>{html.escape(plan.safety_net)}</p>")
    parts.append(f"<p><strong>{html.escape(plan.notice)}</strong></p>")
    parts.append(_sources_html(plan, numbers))
    article = (
        '<article class="backspasm-plan backspasm-printable" '
        f'aria-label="{html.escape(plan.title)}">{"".join(parts)}</article>'
    )
    if not standalone:
        return article
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(plan.title)}</title><style>{_STYLE}</style></head>"
        f"<body>{article}</body></html>\n"
    )


def _ticks_html(plan: Plan) -> str:
    """A table to tick each day the learner did each item, for one week."""
    days = "".join(f'<th scope="col">Day {day}</th>' for day in range(1, TICK_DAYS + 1))
    rows = "".join(
        f'<tr><th scope="row">{html.escape(item.label)}</th>'
        + "".join('<td class="tick"></td>' for _day in range(TICK_DAYS))
        + "</tr>"
        for item in _items(plan)
    )
    return (
        '<h3>My week</h3><table class="ticks backspasm-ticks"><caption>Tick each day you do '
        f'it</caption><thead><tr><th scope="col">What</th>{days}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _sources_html(plan: Plan, numbers: _Numbers) -> str:
    items = "".join(
        f'<li><small><a href="{html.escape(plan.sources[s].url)}" target="_blank" '
        f'rel="noopener noreferrer">{html.escape(plan.sources[s].name)}</a>: '
        f"{html.escape(plan.sources[s].title)}<br>{html.escape(plan.sources[s].url)}"
        "</small></li>"
        for s in numbers.order
    )
    return f"<h3>Sources</h3><ol>{items}</ol>" if items else ""


def plan_markdown(plan: Plan, made_on: date | None = None) -> str:
    """The plan as Markdown text: numbered sources listed once at the end."""
    numbers = _Numbers(plan)
    lines = [f"# {plan.title}", ""]
    who = f" for {plan.name}" if plan.name else ""
    lines += [f"Made{who} on {made_on_text(made_on)}.", ""]
    lines += [f"_{plan.reminder.text}_{numbers.markdown_marks(plan.reminder.sources)}", ""]
    for group, items in plan.sections:
        lines += [f"## {group.title}", ""]
        for item in items:
            line = f"- **{item.label}.** {item.text}{numbers.markdown_marks(item.sources)}"
            if item.dose is not None:
                line += f" How much: {item.dose.text}{numbers.markdown_marks(item.dose.sources)}"
            lines.append(line)
        lines.append("")
    header = "| What | " + " | ".join(f"Day {d}" for d in range(1, TICK_DAYS + 1)) + " |"
    lines += ["## My week", "", "Tick each day you do it.", "", header]
    lines.append("|" + " --- |" * (TICK_DAYS + 1))
    lines += [f"| {item.label} |" + " [ ] |" * TICK_DAYS for item in _items(plan)]
    lines += ["", f"## {SAFETY_HEADING}", "", plan.safety_net, "", f"**{plan.notice}**", ""]
    lines += ["## Sources", ""]
    lines += [
        f"{number}. {plan.sources[s].name}: {plan.sources[s].title}. {plan.sources[s].url}"
        for s, number in numbers.order.items()
    ]
    lines.append("")
    return "\n".join(lines)


def plan_download_links(plan: Plan) -> str:
    """Links that save the plan as a web page and as Markdown: data URLs, no JavaScript."""
    files = (
        ("html", "text/html", plan_html(plan), "Download my plan (web page, to print)"),
        ("md", "text/markdown", plan_markdown(plan), "Download my plan as a text file"),
    )
    links = [
        f'<a download="{PLAN_FILE_STEM}.{suffix}" '
        f'href="data:{mime};charset=utf-8;base64,'
        f'{base64.b64encode(text.encode("utf-8")).decode("ascii")}">{label}</a>'
        for suffix, mime, text, label in files
    ]
    return " · ".join(links)
