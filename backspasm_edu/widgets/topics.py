"""Topic views: one topic as a card of sourced facts, a topic picker, and the glossary."""

from __future__ import annotations

import re
from typing import Any

import ipywidgets as widgets

from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.content.model import Fact, GlossaryTerm, Section
from backspasm_edu.errors import InputError, show_value
from backspasm_edu.widgets._common import LABEL_STYLE, escape, feedback_html, source_links


def _same_text(one: str, other: str) -> bool:
    return " ".join(one.split()) == " ".join(other.split())


def _bold_first(text_html: str, term: GlossaryTerm) -> str:
    """Bold the first place the term, in any of its forms, appears in escaped text."""
    forms = sorted(term.forms, key=len, reverse=True)
    pattern = r"\b(" + "|".join(re.escape(escape(form)) for form in forms) + r")\b"
    return re.sub(pattern, r"<strong>\1</strong>", text_html, count=1, flags=re.IGNORECASE)


def fact_html(fact: Fact) -> str:
    """One fact as a paragraph, the terms it defines in bold, followed by its source links."""
    glossary = load_library().glossary
    text = escape(fact.text)
    for term_id in fact.defines:
        text = _bold_first(text, glossary[term_id])
    note = f"<br><em>{escape(fact.evidence_note)}</em>" if fact.evidence_note else ""
    return f"<p>{text}{note}<br><small>{source_links(fact.sources)}</small></p>"


def _section_html(section: Section, notice: str) -> str:
    facts = [fact for fact in section.facts if not _same_text(fact.text, notice)]
    if not facts:
        return ""
    return f"<h3>{escape(section.heading)}</h3>" + "".join(fact_html(fact) for fact in facts)


class TopicCard(widgets.VBox):
    """A topic: title, summary, and each section's facts with their sources.

    Topics about care advice show the not-a-diagnosis notice once, as a box under the summary,
    in place of the fact that repeats it; ``show_notice=False`` leaves it to the page when the
    page shows it already (one notice per page).
    """

    def __init__(self, topic_id: str, *, show_notice: bool = True, **kwargs: Any) -> None:
        topics = load_library().topics
        if topic_id not in topics:
            raise InputError("topic id", f"one of {', '.join(topics)}", show_value(topic_id))
        topic = topics[topic_id]
        notice = load_triage_table().notice
        notice_facts = [
            fact
            for section in topic.sections
            for fact in section.facts
            if _same_text(fact.text, notice)
        ]
        children = [widgets.HTML(f"<h2>{escape(topic.title)}</h2><p>{escape(topic.summary)}</p>")]
        if show_notice and (topic.gives_care_advice or notice_facts):
            cited = tuple(s for fact in notice_facts for s in fact.sources)
            children.append(widgets.HTML(feedback_html("info", notice, source_links(cited))))
        children.extend(
            widgets.HTML(html)
            for html in (_section_html(section, notice) for section in topic.sections)
            if html
        )
        self.topic = topic
        super().__init__(children, **kwargs)


class TopicBrowser(widgets.VBox):
    """A "Choose a topic" menu over every topic, in reading order, with the chosen card below."""

    def __init__(self, **kwargs: Any) -> None:
        topics = load_library().topics
        self.picker = widgets.Dropdown(
            options=[(topic.title, topic.id) for topic in topics.values()],
            description="Choose a topic",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.card = TopicCard(self.picker.value)
        super().__init__([self.picker, self.card], **kwargs)
        self.picker.observe(self._show, names="value")

    def _show(self, change: dict[str, Any]) -> None:
        """Replace the card with the chosen topic's."""
        self.card = TopicCard(change["new"])
        self.children = (self.picker, self.card)


def glossary_html() -> str:
    """Every glossary term in alphabetical order, with its plain meaning and sources."""
    terms = sorted(load_library().glossary.values(), key=lambda term: term.term.lower())
    entries = "".join(
        f"<dt><strong>{escape(term.term)}</strong></dt>"
        f'<dd style="margin:0 0 0.6em 1.2em">{escape(term.meaning)}'
        f"<br><small>{source_links(term.sources)}</small></dd>"
        for term in terms
    )
    return f"<h2>Words and what they mean</h2><dl>{entries}</dl>"


class Glossary(widgets.HTML):
    """The glossary as a widget, for the apps."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(glossary_html(), **kwargs)
