"""Each learner keeps their own progress: browsers on a shared server, class links, names."""

from __future__ import annotations

import pytest

from backspasm_edu.progress import browser_key, default_store, new_browser_id
from backspasm_edu.widgets import (
    LearnerPanel,
    QuizPicker,
    QuizView,
    ScenarioView,
    course_footer,
    course_header,
)
from backspasm_edu.widgets._page import page_learner
from tests.widgets.helpers import buttons, markup_of, visible_text
from tests.widgets.test_progress_panel import answer_once, close_current

pytestmark = pytest.mark.usefixtures("callbacks_raise")


@pytest.fixture
def browser(monkeypatch):
    """Open the page as serve hands it to a kernel: from a browser with this private id."""

    def open_from(browser_id: str, query: str = "", signed: bool = False) -> None:
        monkeypatch.setenv("HTTP_X_BACKSPASM_BROWSER", browser_id)
        monkeypatch.setenv("QUERY_STRING", query)
        if signed:
            monkeypatch.setenv("HTTP_X_BACKSPASM_SIGNED_LEARNER", "yes")
        else:
            monkeypatch.delenv("HTTP_X_BACKSPASM_SIGNED_LEARNER", raising=False)

    return open_from


def start_a_quiz(picker: QuizPicker) -> None:
    """Start the chosen quiz and close its first question."""
    picker.start_button.click()
    close_current(picker.view)
    picker.view.next_button.click()


def test_a_second_browser_sees_nothing_of_the_firsts_progress(browser):
    """On a shared server, a second anonymous browser gets no 'Welcome back' and no answers."""
    first, second = new_browser_id(), new_browser_id()
    browser(first)
    start_a_quiz(QuizPicker())
    assert "Welcome back" in visible_text(QuizPicker())
    browser(second)
    again = QuizPicker()
    assert again.view is None and "Welcome back" not in visible_text(again)
    assert default_store().records(again.learner_panel.learner) == []
    assert again.learner_panel.learner == browser_key(second)


def test_typing_a_classmates_name_opens_none_of_their_answers(browser):
    """A name is only a label on a shared server: typing another's name shows nothing of theirs."""
    sam, other = new_browser_id(), new_browser_id()
    browser(sam)
    picker = QuizPicker()
    picker.learner_panel.name.value = "Sam"
    start_a_quiz(picker)
    assert "Your teacher sees your answers as “Sam”" in visible_text(picker.learner_panel)
    browser(other)
    intruder = QuizPicker()
    intruder.learner_panel.name.value = "Sam"
    assert intruder.view is None and "Welcome back" not in visible_text(intruder)
    assert default_store().records(intruder.learner_panel.learner) == []
    assert default_store().names() == {browser_key(sam): "Sam", browser_key(other): "Sam"}


def test_renaming_keeps_the_learners_own_progress(browser):
    """On a shared server a new name relabels the same learner: their quiz stays open."""
    browser(new_browser_id())
    picker = QuizPicker()
    start_a_quiz(picker)
    picker.learner_panel.name.value = "Jo"
    assert picker.view is not None and picker.view.session.index == 1
    again = QuizPicker()
    assert again.learner_panel.name.value == "Jo"  # the label comes back on a reload
    assert "Welcome back" in visible_text(again)


def test_the_name_box_says_a_name_is_not_a_password_and_what_is_kept(browser):
    """Where the name is typed, the page says names are not passwords and who sees what."""
    browser(new_browser_id())
    text = visible_text(LearnerPanel())
    assert "a name is not a password" in text
    assert "typing a name never opens anyone else's answers" in text
    assert "What is kept and who sees it" in markup_of(LearnerPanel())


def test_a_class_link_is_the_same_learner_on_any_browser(browser):
    """A signed class link keeps one learner's progress across browsers; its name cannot be edited."""
    browser(new_browser_id(), "learner=Sam+Lee&code=ok", signed=True)
    first = QuizPicker()
    assert first.learner_panel.name.disabled and first.learner_panel.name.value == "Sam Lee"
    assert "This is your own course link" in visible_text(first.learner_panel)
    start_a_quiz(first)
    browser(new_browser_id(), "learner=Sam+Lee&code=ok", signed=True)
    assert "Welcome back" in visible_text(QuizPicker())
    browser(new_browser_id(), "learner=Sam+Lee&code=forged")  # the server did not vouch for it
    stranger = QuizPicker()
    assert stranger.view is None and not stranger.learner_panel.name.disabled


def test_under_a_hub_the_hub_user_is_the_learner_whatever_the_page_says(browser, monkeypatch):
    """On a JupyterHub server the hub user is the learner: no typed name, and no address or header changes who it is."""
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    browser(new_browser_id(), "learner=mallory&code=forged", signed=True)
    page = page_learner()
    assert (page.key(), page.key("mallory"), page.query()) == ("alice", "alice", "")
    first = QuizPicker()
    assert first.learner_panel.name.disabled and first.learner_panel.name.value == "alice"
    assert "You are signed in to the class hub under this name" in visible_text(first.learner_panel)
    start_a_quiz(first)
    browser(new_browser_id())  # alice on another device
    assert "Welcome back" in visible_text(QuizPicker())
    assert "learner=" not in course_header("03_when_to_get_help").value


def test_links_carry_the_class_link_through_the_course(browser):
    """Every course link keeps the learner's name and code, so the next app knows them too."""
    browser(new_browser_id(), "learner=Sam&code=abc%2B1", signed=True)
    href = "00_start_here.ipynb?learner=Sam&amp;code=abc%2B1"  # as escaped in the page
    assert href in course_header("03_when_to_get_help").value
    assert href in markup_of(course_footer("03_when_to_get_help"))
    assert page_learner().query() == "?learner=Sam&code=abc%2B1"


def test_the_header_ticks_finished_apps_and_counts_them(browser):
    """Finishing the quick check ticks its app in the contents and counts it in "n of 7 done"."""
    browser(new_browser_id())
    header = course_header("01_what_is_a_back_spasm")
    assert "0 of 7 done" in header.value and "✓" not in header.value
    view = QuizView(
        "causes_and_symptoms",
        questions=["what_is_a_spasm", "where_spasms_happen", "words_and_meanings"],
    )
    while view.session.current is not None:
        close_current(view)
        view.next_button.click()
    assert "1 of 7 done" in header.value  # redrawn as the answers were saved
    assert (
        'What is a back spasm?</a> <span class="backspasm-state"><span aria-hidden="true">✓</span> Done'
        in header.value
    )


def test_a_reading_page_is_ticked_when_the_learner_marks_it_done(browser):
    """ "Mark this page as done" ticks the page in the contents, once, and stays ticked."""
    browser(new_browser_id())
    header = course_header("02_causes")
    footer = course_footer("02_causes")
    buttons(footer)["Mark this page as done"].click()
    assert "✓ Marked as done" in buttons(footer)
    assert "1 of 7 done" in header.value
    assert buttons(course_footer("02_causes"))["✓ Marked as done"].disabled


def test_a_quick_check_and_a_case_end_with_the_next_step(browser):
    """An ending offers the next app of the course, not only "Start again"."""
    browser(new_browser_id())
    course_header("07_case_scenarios")
    view = ScenarioView("hidden_red_flag")
    while not view.session.finished:
        view.choice_buttons[0].click()
    assert "What next?" in view.ending.value
    assert '<a rel="next" href="08_course_record.ipynb">Next: Your course record →</a>' in (
        view.ending.value
    )
    course_header("01_what_is_a_back_spasm")
    quiz = QuizView("causes_and_symptoms", questions=["what_is_a_spasm"])
    answer_once(quiz)
    while quiz.session.current is not None:
        close_current(quiz)
        quiz.next_button.click()
    assert "Next: What causes back spasms? →" in quiz.summary.value


def test_a_link_name_labels_a_new_browser_once(browser):
    """A shared ?learner=Sam link shows the teacher "Sam" for a new browser; a typed name wins."""
    first = new_browser_id()
    browser(first, "learner=Sam")
    assert "Learning as <strong>Sam</strong>" in course_header("06_quiz").value
    assert default_store().names() == {browser_key(first): "Sam"}
    panel = LearnerPanel()
    panel.name.value = "Samira"
    course_header("06_quiz")
    assert default_store().names() == {browser_key(first): "Samira"}
