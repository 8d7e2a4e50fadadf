"""Topic views: one topic as a card of sourced facts, a topic picker, and the glossary."""

from __future__ import annotations

import itertools
import re
from typing import Any

import ipywidgets as widgets

from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.content.model import Fact, GlossaryTerm, Section
from backspasm_edu.errors import InputError, show_value
from backspasm_edu.widgets import course
from backspasm_edu.widgets._common import LABEL_STYLE, escape, feedback_html, source_links


def _same_text(one: str, other: str) -> bool:
    return " ".join(one.split()) == " ".join(other.split())


def _term_pattern(terms: list[GlossaryTerm]) -> re.Pattern[str] | None:
    """One pattern for every form of the given terms, longest first, as whole words."""
    forms = sorted({escape(form) for term in terms for form in term.forms}, key=len, reverse=True)
    if not forms:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(form) for form in forms) + r")\b", re.IGNORECASE)


def _explained_inline(term: GlossaryTerm, shown: str) -> str:
    """A word that opens its plain meaning in place (a details element styled to sit inline)."""
    return (
        f'<details class="backspasm-term"><summary>{shown}</summary>'
        f'<span class="backspasm-term-meaning">{escape(term.meaning)}</span></details>'
    )


def _with_terms(text_html: str, defines: tuple[str, ...]) -> str:
    """Words of the glossary made plain, each at its first use on this page.

    A term this fact defines is bold where it first appears; any other glossary term not yet
    explained on the page opens its meaning in place. A term counts as explained once either
    has happened, so each is explained once per app.
    """
    glossary = load_library().glossary
    explained = course.this_page.explained_terms  # the module's: one page per kernel
    waiting = [term for term in glossary.values() if term.id not in explained]
    pattern = _term_pattern(waiting)
    if pattern is None:
        return text_html
    by_form = {escape(form).lower(): term for term in waiting for form in term.forms}

    def mark(match: re.Match[str]) -> str:
        term = by_form[match.group(1).lower()]
        if term.id in explained:
            return match.group(1)
        explained.add(term.id)
        if term.id in defines:
            return f"<strong>{match.group(1)}</strong>"
        return _explained_inline(term, match.group(1))

    return pattern.sub(mark, text_html)


class _Footnotes:
    """A section's sources, numbered in the order its facts first cite them."""

    def __init__(self, anchor: str) -> None:
        self.anchor = anchor
        self.numbers: dict[str, int] = {}

    def cite(self, source_ids: tuple[str, ...]) -> str:
        """Superscript numbers linking to the section's source list."""
        sources = load_library().sources
        marks = []
        for source_id in source_ids:
            if source_id not in sources:
                continue
            number = self.numbers.setdefault(source_id, len(self.numbers) + 1)
            name = escape(sources[source_id].name)
            marks.append(
                f'<a href="#{self.anchor}-{number}" title="Source {number}: {name}">{number}</a>'
            )
        return f"<sup>[{', '.join(marks)}]</sup>" if marks else ""

    def list_html(self) -> str:
        """The numbered list of the section's sources, each linked to its page."""
        sources = load_library().sources
        items = "".join(
            f'<li id="{self.anchor}-{number}">{source_links([source_id]).removeprefix("Sources: ")}'
            f" <small>{escape(sources[source_id].title)}</small></li>"
            for source_id, number in self.numbers.items()
        )
        return (
            f'<div class="backspasm-footnotes"><small>Sources</small><ol>{items}</ol></div>'
            if items
            else ""
        )


def fact_html(fact: Fact, footnotes: _Footnotes | None = None) -> str:
    """One fact as a paragraph: its glossary words made plain, then its sources.

    With ``footnotes`` the sources are numbers into the section's list; without, links. The
    paragraph is a div: a word's meaning opens in a details element, which a p cannot hold.
    """
    text = _with_terms(escape(fact.text), fact.defines)
    note = (
        f"<br><em>{_with_terms(escape(fact.evidence_note), ())}</em>" if fact.evidence_note else ""
    )
    sources = (
        footnotes.cite(fact.sources)
        if footnotes is not None
        else f"<br><small>{source_links(fact.sources)}</small>"
    )
    return f'<div class="backspasm-fact">{text}{note}{sources}</div>'


_sections = itertools.count(1)


def _section_html(section: Section, notice: str) -> str:
    """A section: its heading and first fact, the rest behind "Read more", then its sources."""
    facts = [fact for fact in section.facts if not _same_text(fact.text, notice)]
    if not facts:
        return ""
    footnotes = _Footnotes(f"backspasm-source-{next(_sections)}")
    first, *rest = (fact_html(fact, footnotes) for fact in facts)
    more = (
        f'<details class="backspasm-more"><summary>Read more: {escape(section.heading)}'
        f"</summary>{''.join(rest)}</details>"
        if rest
        else ""
    )
    return f"<h3>{escape(section.heading)}</h3>{first}{more}{footnotes.list_html()}"


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
    return (
        f'<h2>Words and what they mean</h2><details class="backspasm-more"><summary>Show all '
        f"{len(terms)} words</summary><dl>{entries}</dl></details>"
    )


class Glossary(widgets.HTML):
    """The glossary as a widget, for the apps."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(glossary_html(), **kwargs)
