"""A learner's plan as a printable web page, as Markdown, and as links that download both."""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable

from backspasm_edu.engines.explore import Plan

__all__ = ["PLAN_FILE_STEM", "SAFETY_HEADING", "plan_download_links", "plan_html", "plan_markdown"]

PLAN_FILE_STEM = "my_back_plan"
"""The downloaded plan's file name, before .html or .md."""
SAFETY_HEADING = "When to get help"
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:42em;margin:2em auto;padding:0 1em;"
    "line-height:1.5;color:#111}small{color:#333}"
    "@media print{body{margin:0}a{color:inherit}"
    'a[href]::after{content:" (" attr(href) ")";font-size:80%}}'
)


def _links_html(plan: Plan, source_ids: Iterable[str]) -> str:
    links = ", ".join(
        f'<a href="{html.escape(plan.sources[s].url)}" target="_blank" '
        f'rel="noopener noreferrer">{html.escape(plan.sources[s].name)}</a>'
        for s in source_ids
    )
    return f"<small>Sources: {links}</small>"


def _links_markdown(plan: Plan, source_ids: Iterable[str]) -> str:
    links = ", ".join(f"[{plan.sources[s].name}]({plan.sources[s].url})" for s in source_ids)
    return f"(Sources: {links})"


def plan_html(plan: Plan, standalone: bool = True) -> str:
    """The plan as a printable web page, or as an HTML fragment when not standalone."""
    parts = [f"<h2>{html.escape(plan.title)}</h2>"]
    if plan.name:
        parts.append(f"<p><strong>Made for:</strong> {html.escape(plan.name)}</p>")
    parts.append(
        f"<p><em>{html.escape(plan.reminder.text)}</em><br>"
        f"{_links_html(plan, plan.reminder.sources)}</p>"
    )
    for group, items in plan.sections:
        entries = "".join(
            f"<li><strong>{html.escape(item.label)}.</strong> {html.escape(item.text)}<br>"
            f"{_links_html(plan, item.sources)}</li>"
            for item in items
        )
        parts.append(f"<h3>{html.escape(group.title)}</h3><ul>{entries}</ul>")
    parts.append(f"<h3>{SAFETY_HEADING}</h3><p>{html.escape(plan.safety_net)}</p>")
    parts.append(f"<p><strong>{html.escape(plan.notice)}</strong></p>")
    article = f'<article aria-label="{html.escape(plan.title)}">{"".join(parts)}</article>'
    if not standalone:
        return article
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(plan.title)}</title><style>{_STYLE}</style></head>"
        f"<body>{article}</body></html>\n"
    )


def plan_markdown(plan: Plan) -> str:
    """The plan as Markdown text, with source links after each item."""
    lines = [f"# {plan.title}", ""]
    if plan.name:
        lines += [f"Made for: {plan.name}", ""]
    lines += [f"_{plan.reminder.text}_ {_links_markdown(plan, plan.reminder.sources)}", ""]
    for group, items in plan.sections:
        lines += [f"## {group.title}", ""]
        lines += [
            f"- **{item.label}.** {item.text} {_links_markdown(plan, item.sources)}"
            for item in items
        ]
        lines.append("")
    lines += [f"## {SAFETY_HEADING}", "", plan.safety_net, "", f"**{plan.notice}**", ""]
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
