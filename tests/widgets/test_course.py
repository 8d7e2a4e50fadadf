"""The course around each app: contents, where you are, previous / start / next, tab titles."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from backspasm_edu.content.course import COURSE_TITLE, course_apps, learner_apps
from backspasm_edu.widgets import course_contents, course_footer, course_header
from backspasm_edu.widgets.course import topic_link_html
from tests.widgets.helpers import markup_of

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"
LEARNER_IDS = [app.id for app in learner_apps()]


def links(markup: str) -> list[tuple[str, str]]:
    """Every link in the markup as (address, words), unescaped."""
    return [
        (html.unescape(href), html.unescape(re.sub(r"<[^>]+>", "", text)))
        for href, text in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', markup)
    ]


def test_learners_see_nine_apps_in_order_and_never_the_class_results() -> None:
    """The learner's course is 00-08 in file order; the class results page is not in it."""
    assert LEARNER_IDS == [
        "00_start_here", "01_what_is_a_back_spasm", "02_causes", "03_when_to_get_help",
        "04_treatments", "05_stop_and_prevent", "06_quiz", "07_case_scenarios",
        "08_course_record",
    ]  # fmt: skip
    assert "09_instructor_dashboard" not in LEARNER_IDS
    assert "09_instructor_dashboard" in [app.id for app in course_apps()]


@pytest.mark.parametrize("app_id", LEARNER_IDS)
def test_header_names_the_course_and_lists_every_app_marking_this_one(app_id) -> None:
    """The header says where you are ("App n of 9") and links every app, this one marked current."""
    markup = course_header(app_id).value
    index = LEARNER_IDS.index(app_id)
    assert f"App {index + 1} of 9" in markup
    assert links(markup)[0] == ("00_start_here.ipynb", COURSE_TITLE)
    contents = links(markup)[1:]
    assert contents == [(f"{app.id}.ipynb", app.title) for app in learner_apps()]
    assert markup.count('aria-current="page"') == 1
    assert re.search(rf'href="{app_id}\.ipynb" aria-current="page"', markup)


@pytest.mark.parametrize("app_id", LEARNER_IDS)
def test_footer_links_previous_start_and_next(app_id) -> None:
    """Every app but the first links back and to the start; every app but the last links on."""
    index = LEARNER_IDS.index(app_id)
    found = links(markup_of(course_footer(app_id)))
    expected = []
    if index > 0:
        before = learner_apps()[index - 1]
        expected += [(f"{before.id}.ipynb", f"← Previous: {before.title}")]
        expected += [("00_start_here.ipynb", "Back to the start")]
    if index < len(LEARNER_IDS) - 1:
        after = learner_apps()[index + 1]
        expected += [(f"{after.id}.ipynb", f"Next: {after.title} →")]
    assert found == expected
    if index == len(LEARNER_IDS) - 1:
        assert "last app of the course" in markup_of(course_footer(app_id))


def test_links_keep_the_learners_name_escaped(monkeypatch) -> None:
    """With ?learner= in the page address, every course link carries it, encoded and escaped."""
    name = 'Sam "O\'Neil" <b>&'
    monkeypatch.setenv("QUERY_STRING", "learner=" + re.sub(" ", "+", name).replace("&", "%26"))
    for widget in (
        course_header("03_when_to_get_help"),
        course_footer("03_when_to_get_help"),
        course_contents(),
    ):
        assert "<b>" not in markup_of(widget)
        for href, _ in links(markup_of(widget)):
            assert href.endswith("?learner=Sam+%22O%27Neil%22+%3Cb%3E%26"), href
    assert "Learning as <strong>Sam &quot;O&#x27;Neil&quot; &lt;b&gt;&amp;</strong>" in (
        course_header("03_when_to_get_help").value
    )


def test_an_unknown_app_is_refused_naming_the_known_ones() -> None:
    """A typo in a notebook's app id is a clear error, not a page without a way on."""
    with pytest.raises(
        ValueError, match=r"app_id: expected one of 00_start_here, .*, got '06_quizz'"
    ):
        course_header("06_quizz")


@pytest.mark.parametrize("app", course_apps(), ids=lambda app: app.id)
def test_an_app_teaches_exactly_the_topics_it_shows(app) -> None:
    """An app's metadata teaches the topics of its TopicCard cells, in order, and no others."""
    notebook = json.loads((NOTEBOOKS / app.filename).read_text(encoding="utf-8"))
    code = "".join("".join(cell["source"]) for cell in notebook["cells"])
    assert list(app.teaches) == re.findall(r'TopicCard\("([a-z_]+)"', code)


def test_a_topic_link_leads_to_the_app_that_teaches_it_keeping_the_learner(monkeypatch) -> None:
    """A quiz's review link for a topic opens the app teaching it, with ?learner= kept."""
    monkeypatch.setenv("QUERY_STRING", "learner=Sam")
    course_header("06_quiz")
    assert topic_link_html("symptoms").startswith("Read about it: ")
    assert links(topic_link_html("symptoms")) == [
        ("02_causes.ipynb?learner=Sam", "What causes back spasms?")
    ]
    assert topic_link_html("a_topic_no_app_teaches") == ""


def test_on_the_page_that_teaches_a_topic_its_review_points_above() -> None:
    """A quick check on app 01 sends the learner up the page for its own topics, not to a link."""
    course_header("01_what_is_a_back_spasm")
    assert topic_link_html("how_common") == "Read about it above, on this page."


@pytest.mark.parametrize("app", course_apps(), ids=lambda app: app.id)
def test_notebook_has_its_tab_title_header_and_footer(app) -> None:
    """Each app's tab reads "<title> - Back spasms"; a learner's app opens with its header and ends with its footer."""
    notebook = json.loads((NOTEBOOKS / app.filename).read_text(encoding="utf-8"))
    assert notebook["metadata"]["title"] == app.tab_title == f"{app.title} - {COURSE_TITLE}"
    code = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    if app.for_learners:
        assert code[0].endswith(f'course_header("{app.id}")')
        assert code[-1] == f'course_footer("{app.id}")'
    else:
        assert not any("course_" in source for source in code)
