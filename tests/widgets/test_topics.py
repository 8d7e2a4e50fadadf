"""Topic views: cards render every sourced fact, the browser switches topics, the glossary."""

from __future__ import annotations

import html
import re

import pytest

from backspasm_edu import InputError
from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.widgets.topics import (
    Glossary,
    TopicBrowser,
    TopicCard,
    fact_html,
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


def card_text(card: TopicCard) -> str:
    """A card's text with tags removed in place, so bold words stay inside their sentence."""
    return words(re.sub(r"<[^>]+>", "", card_html(card)))


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


@pytest.mark.parametrize("topic_id", list(LIBRARY.topics))
def test_card_lists_sources_right_after_each_fact(topic_id):
    """Each fact is one paragraph on the card that ends with links to exactly its own sources."""
    page = card_html(TopicCard(topic_id))
    for section in LIBRARY.topics[topic_id].sections:
        for fact in section.facts:
            if words(fact.text) == NOTICE:
                continue
            paragraph = fact_html(fact)
            assert paragraph in page
            links = re.findall(r'<a href="([^"]+)"[^>]*>([^<>]+)</a>', paragraph)
            expected = [LIBRARY.sources[s] for s in fact.sources]
            assert [(html.unescape(u), html.unescape(n)) for u, n in links] == [
                (source.url, source.name) for source in expected
            ]


@pytest.mark.parametrize("topic_id", list(LIBRARY.topics))
def test_notice_shown_once_on_care_topics_only(topic_id):
    """Care-advice topics show the not-a-diagnosis notice exactly once; the others do not."""
    text = card_text(TopicCard(topic_id))
    assert text.count(NOTICE) == (1 if topic_id in CARE_TOPICS else 0)


def test_the_care_advice_topics_are_marked_so_in_their_content():
    """The three topics that advise on care, and only they, say so in their YAML (gives_care_advice)."""
    marked = {topic.id for topic in LIBRARY.topics.values() if topic.gives_care_advice}
    assert marked == CARE_TOPICS


def test_defined_terms_are_bold():
    """Each glossary term a fact defines is shown in bold within that fact."""
    checked = 0
    for topic in LIBRARY.topics.values():
        page = card_html(TopicCard(topic.id)).lower()
        for fact in (fact for section in topic.sections for fact in section.facts):
            for term_id in fact.defines:
                forms = LIBRARY.glossary[term_id].forms
                assert any(f"<strong>{html.escape(f.lower())}</strong>" in page for f in forms)
                checked += 1
    assert checked > 0


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
