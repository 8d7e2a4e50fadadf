"""Topic views: cards render every sourced fact, the browser switches topics, the glossary."""

from __future__ import annotations

import html
import re

import pytest

from backspasm_edu import InputError
from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.widgets import course
from backspasm_edu.widgets.topics import (
    Glossary,
    TopicBrowser,
    TopicCard,
)
from tests.widgets.helpers import visible_text

LIBRARY = load_library()
NOTICE = load_triage_table().notice
CARE_TOPICS = {"when_to_get_help", "treatments", "stop_and_prevent"}


def words(text: str) -> str:
    """Text with entities decoded and whitespace collapsed, for comparing with content."""
    return " ".join(html.unescape(text).split())


def card_html(card: TopicCard) -> str:
    """All HTML of a card's children, joined."""
    return "".join(child.value for child in card.children)


MEANING = re.compile(r'<span class="backspasm-term-meaning">.*?</span>', re.DOTALL)
"""A word's meaning, folded inside its sentence until opened."""


def readable(markup: str) -> str:
    """Text as read with every folded meaning closed: tags removed in place, spaces tidied."""
    return words(re.sub(r"<[^>]+>", "", MEANING.sub("", markup)))


def card_text(card: TopicCard) -> str:
    """A card's text with tags removed in place, so bold words stay inside their sentence."""
    return readable(card_html(card))


@pytest.mark.parametrize("topic_id", list(LIBRARY.topics))
def test_card_renders_every_fact_and_its_sources(topic_id):
    """A card shows the title, summary, every heading, every fact and each fact's source names."""
    topic = LIBRARY.topics[topic_id]
    text = card_text(TopicCard(topic_id))
    assert topic.title in text and words(topic.summary) in text
    for section in topic.sections:
        if any(words(fact.text) != NOTICE for fact in section.facts):
            assert section.heading in text
        for fact in section.facts:
            assert words(fact.text) in text
            for source_id in fact.sources:
                assert LIBRARY.sources[source_id].name in text


FACT = re.compile(r'<div class="backspasm-fact">(.*?)</div>', re.DOTALL)
CITED = re.compile(r'<a href="#([^"]+)" title="Source (\d+): ([^"]+)">\d+</a>')


@pytest.mark.parametrize("topic_id", list(LIBRARY.topics))
def test_each_fact_cites_its_own_sources_by_number_into_its_sections_list(topic_id):
    """Each fact ends with numbers for exactly its sources; each number leads to that source's link."""
    page = card_html(TopicCard(topic_id))
    facts = {
        readable(fact.text + (f"<br>{fact.evidence_note}" if fact.evidence_note else "")): fact
        for section in LIBRARY.topics[topic_id].sections
        for fact in section.facts
    }
    shown = FACT.findall(page)
    assert len(shown) == sum(1 for text in facts if text != NOTICE)
    for block in shown:
        text = readable(re.sub(r"<sup>.*?</sup>", "", block))
        fact = facts[text]
        cited = CITED.findall(block)
        assert [html.unescape(name) for _, _, name in cited] == [
            LIBRARY.sources[source_id].name for source_id in fact.sources
        ]
        for anchor, _number, name in cited:
            item = re.search(rf'<li id="{anchor}">(.*?)</li>', page, re.DOTALL)
            assert item is not None and f">{name}</a>" in item.group(1)


@pytest.mark.parametrize("topic_id", list(LIBRARY.topics))
def test_a_section_shows_its_first_fact_and_keeps_the_rest_behind_read_more(topic_id):
    """Sections with more than one fact show the first and fold the rest under "Read more"."""
    page = card_html(TopicCard(topic_id))
    for section in LIBRARY.topics[topic_id].sections:
        shown = [fact for fact in section.facts if words(fact.text) != NOTICE]
        summary = f"<summary>Read more: {html.escape(section.heading)}</summary>"
        assert (summary in page) == (len(shown) > 1), section.heading


@pytest.mark.parametrize("topic_id", list(LIBRARY.topics))
def test_notice_shown_once_on_care_topics_only(topic_id):
    """Care-advice topics show the not-a-diagnosis notice exactly once; the others do not."""
    text = card_text(TopicCard(topic_id))
    assert text.count(NOTICE) == (1 if topic_id in CARE_TOPICS else 0)


def test_the_care_advice_topics_are_marked_so_in_their_content():
    """The three topics that advise on care, and only they, say so in their YAML (gives_care_advice)."""
    marked = {topic.id for topic in LIBRARY.topics.values() if topic.gives_care_advice}
    assert marked == CARE_TOPICS


def test_every_glossary_word_is_explained_once_per_page_at_its_first_use():
    """On a fresh page each glossary word a card uses is explained once: bold where defined, else opened in place."""
    checked = 0
    for topic in LIBRARY.topics.values():
        course.this_page.explained_terms.clear()  # a new app page
        page = "".join(FACT.findall(card_html(TopicCard(topic.id))))
        plain = readable(page).lower()
        for term in LIBRARY.glossary.values():
            if not any(re.search(rf"\b{re.escape(form.lower())}\b", plain) for form in term.forms):
                continue
            marks = sum(
                len(
                    re.findall(
                        rf"<(strong|summary)>{re.escape(html.escape(form))}</\1>", page, re.I
                    )
                )
                for form in term.forms
            )
            assert marks == 1, (topic.id, term.id)
            checked += 1
    assert checked > 5


def test_a_word_explained_on_a_page_is_not_explained_again_there():
    """A second card on the same page leaves words the first explained as plain text."""
    first = card_html(TopicCard("what_is_a_back_spasm"))
    assert "involuntary" in course.this_page.explained_terms
    again = card_html(TopicCard("what_is_a_back_spasm"))
    assert "<strong>involuntary</strong>" in first
    assert "<strong>involuntary</strong>" not in again
    assert "<summary>involuntary</summary>" not in again


def test_unknown_topic_is_refused():
    """An unknown topic id raises InputError naming the known ids."""
    with pytest.raises(InputError, match="what_is_a_back_spasm"):
        TopicCard("what_is_a_spasm")


def test_browser_lists_topics_in_order_and_shows_the_first():
    """The "Choose a topic" menu lists every topic in reading order and shows the first card."""
    browser = TopicBrowser()
    topics = list(LIBRARY.topics.values())
    assert browser.picker.description == "Choose a topic"
    assert list(browser.picker.options) == [(topic.title, topic.id) for topic in topics]
    assert [topic.order for topic in topics] == sorted(topic.order for topic in topics)
    assert browser.card.topic.id == topics[0].id
    assert topics[0].title in visible_text(browser)


def test_browser_switches_topics():
    """Choosing another topic replaces the card below the menu with that topic's card."""
    browser = TopicBrowser()
    first_title = browser.card.topic.title
    browser.picker.value = "treatments"
    assert browser.card.topic.id == "treatments"
    assert browser.children == (browser.picker, browser.card)
    text = visible_text(browser.card)
    assert LIBRARY.topics["treatments"].title in text and first_title not in text


def test_glossary_lists_every_term_and_meaning():
    """The glossary shows every term with its meaning, in alphabetical order."""
    glossary = Glossary()
    text = words(visible_text(glossary))
    terms = list(LIBRARY.glossary.values())
    for term in terms:
        assert words(term.meaning) in text
    shown = [html.unescape(t) for t in re.findall(r"<dt><strong>([^<]+)</strong>", glossary.value)]
    assert shown == sorted((term.term for term in terms), key=str.lower)
