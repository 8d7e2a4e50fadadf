"""What a person sees: every app served by Voila in Chromium, used with a mouse and a keyboard."""

from __future__ import annotations

import re

import pytest

from backspasm_edu.content.course import learner_apps
from backspasm_edu.content.loader import load_scenario, load_triage_table
from backspasm_edu.engines.triage import assess

from .support import APPS, READY, STUDENT_APPS
from .test_layout import VIEWPORTS

NOTICE = "call your local emergency number"
CODE_SELECTORS = (
    ".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-CodeMirrorEditor, .cm-editor, .CodeMirror"
)
ACTIVE_NAME = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "";
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return (label || el.getAttribute("aria-label") || el.innerText || "").trim();
}"""
"""The name a screen reader gives the focused control: its label, else its own text."""


SPASM = "A sudden tightening of back muscles that happens without you choosing it"
"""The right answer to app 01's first question."""
CRACK = "A small crack in one of the bones of the back"
"""A wrong answer to app 01's first question."""


def tab_to(page, name: str, limit: int = 400) -> None:
    """Press Tab until the focused control is called ``name``; fail if it never is."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        current = page.evaluate(ACTIVE_NAME)
        if current == name:
            return
        seen.append(current)
    raise AssertionError(f"Tab never reached {name!r}; focus went through {seen[:40]}")


FOCUSED_REGION = """() => {
  const el = document.activeElement;
  const region = el && el.closest(".backspasm-focus-region");
  return region && el !== document.body ? region.innerText : null;
}"""
"""The text of the focus region that holds keyboard focus, else null (focus on the page)."""


def region_has_focus(page, text: str, timeout: float = 15_000) -> None:
    """Wait until keyboard focus is inside a focus region (never ``<body>``) that reads ``text``.

    ``<body>`` holds every text on the page and has tabIndex -1 too, so the check names the
    region the focused element is in, not just what the focused element contains.
    """
    try:
        page.wait_for_function(
            f"text => {{ const t = ({FOCUSED_REGION})(); return t !== null && t.includes(text); }}",
            arg=text,
            timeout=timeout,
        )
    except Exception as error:  # name where focus really is
        where = page.evaluate(
            "() => [document.activeElement.tagName, document.activeElement.className,"
            " (document.activeElement.innerText || '').slice(0, 80)]"
        )
        raise AssertionError(
            f"focus is not on a region reading {text!r}: it is on {where}"
        ) from error


def answer_the_first_question_right(app):
    """Open app 01, pick the right answer to its first question and Check; returns the page."""
    app.open("01_what_is_a_back_spasm")
    app.page.get_by_label(SPASM).check()
    app.page.get_by_role("button", name="Check").click()
    wait_for_text(app, "✓ Right")
    return app.page


def wait_for_text(app, text: str) -> None:
    """Wait until the page shows ``text`` (feedback arrives from the kernel a moment later)."""
    app.page.get_by_text(text, exact=False).first.wait_for(state="visible")


def choices_on_the_safe_path(case):
    """The choices that catch the red flag in the hidden_red_flag case, in order."""
    path = [
        ("counter", "ask_safety_questions"),
        ("safety_questions", "send_now"),
        ("how_to_go", "go_now_not_driving"),
    ]
    return [
        next(choice for choice in case.nodes[node_id].choices if choice.id == choice_id)
        for node_id, choice_id in path
    ]


@pytest.mark.parametrize("name", APPS)
def test_app_loads_without_errors_code_or_author_cells(app, name):
    """Each app renders its widgets with no console error, traceback, code or author-only cell."""
    app.open(name)
    text = app.text()
    assert app.errors == []
    assert app.failed_responses == []
    assert "Traceback" not in text
    assert "Error displaying widget" not in text
    assert "Author check" not in text
    assert "import " not in text
    assert app.page.locator(CODE_SELECTORS).count() == 0


@pytest.mark.parametrize("name", STUDENT_APPS)
def test_every_app_shows_a_picture_with_a_name(app, name):
    """Each learner's app shows at least one picture on load, named for screen readers."""
    app.open(name)
    picture = app.page.locator("#rendered_cells svg[role=img]").first
    picture.wait_for(state="visible")
    box = picture.bounding_box()
    assert box is not None and box["width"] >= 60 and box["height"] >= 40
    labelled_by = picture.get_attribute("aria-labelledby") or ""
    names = [
        app.page.evaluate("id => (document.getElementById(id) || {}).textContent || ''", part)
        for part in labelled_by.split()
    ]
    assert names and all(name.strip() for name in names)


@pytest.mark.parametrize("name", APPS)
def test_every_app_says_it_is_not_a_diagnosis(app, name):
    """Each app tells the reader it is for learning and to call the emergency number."""
    app.open(name)
    text = app.text()
    assert "not a diagnosis" in text
    assert NOTICE in text


def test_quiz_gives_right_and_wrong_feedback_in_words(app):
    """A right answer reads "Right" with its point; a wrong true/false "Not quite", its one try used and the answer."""
    page = answer_the_first_question_right(app)
    assert "How points work: each question is worth 1 point." in app.text()
    assert "Points for this question: 1 of 1." in app.text()
    page.get_by_role("button", name="Next question").click()
    wait_for_text(app, "Question 2 of 3")
    assert "You have 1 try, as there are only two answers to pick from." in app.text()
    page.get_by_label("True", exact=True).check()
    page.get_by_role("button", name="Check").click()
    wait_for_text(app, "✗ Not quite")
    text = app.text()
    assert "Points for this question: 0 of 1." in text
    assert "1 of 1 try used." in text and "try left" not in text
    assert "The right answer: False" in text
    assert app.errors == []


def test_scenario_walks_to_an_ending_that_sends_for_help(app):
    """Catching the hidden red flag ends at "Get help now" with teaching points and the path."""
    case = load_scenario("hidden_red_flag")
    app.open("07_case_scenarios")
    page = app.page
    page.get_by_label("Choose a case").select_option(label=case.title)
    page.get_by_role("button", name="Start case").click()
    for choice in choices_on_the_safe_path(case):
        page.get_by_role("button", name=choice.text, exact=True).click()
        wait_for_text(app, f"You chose: {choice.text}")
    wait_for_text(app, "Care level: Get help now.")
    text = app.text()
    assert "What to take away" in text
    assert "The path so far" in text
    assert "✓ Good choice" in text
    assert app.errors == []


@pytest.mark.parametrize("size", VIEWPORTS)
def test_triage_checker_asks_first_then_shows_emergency_for_saddle_numbness(app, size):
    """At phone and laptop size: no answer until asked; Back keeps step 1; saddle numbness then "See my result" focuses Get help now."""
    finding = load_triage_table().findings["saddle_numbness"]
    app.page.set_viewport_size(VIEWPORTS[size])
    app.open("03_when_to_get_help")
    page = app.page
    result = page.locator(".backspasm-triage-result")
    page.get_by_role("button", name="See my result").wait_for(state="visible")
    assert "Look after it at home" not in result.inner_text()
    assert "Get help now" not in result.inner_text()
    page.get_by_label("Age (years)").fill("30")
    page.get_by_label("Days since the pain began").fill("1")
    page.get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Next").click()
    region_has_focus(page, "Step 2 of")
    page.get_by_role("button", name="Back").click()
    region_has_focus(page, "Step 1 of")
    assert page.get_by_label("Age (years)").input_value() == "30"
    assert page.get_by_role("radio", name="Yes").is_checked()
    page.get_by_role("button", name="Next").click()
    region_has_focus(page, "Step 2 of")
    page.get_by_label(finding.label, exact=True).check()
    page.get_by_role("button", name="See my result").click()
    result.get_by_text("Get help now").first.wait_for(state="visible")
    region_has_focus(page, "Get help now")
    expected = assess({"age": 30, "days_since_onset": 1, "findings": [finding.id]})
    shown = result.inner_text()
    assert [reason.reason for reason in expected.reasons if reason.reason not in shown] == []
    assert "saddle_numbness" not in shown  # the reason is headed by the sign's label, not its id
    assert f"\u201c{finding.label}\u201d" in shown
    assert NOTICE in app.text()
    assert app.errors == []


def next_tab_reaches(page, name: str) -> None:
    """From the feedback, Tab reaches ``name`` after at most the feedback's own source links."""
    tab_to(page, name, limit=6)


def test_quiz_can_be_finished_with_the_keyboard_alone(app):
    """Tab, Space, type-ahead and Enter answer all three questions and reach the results.

    After each Check, focus moves into the feedback's region (not the page), which is a polite
    live region (so it is announced), and the next Tab reaches Next; after Next, focus moves to
    the new question's line.
    """
    app.open("01_what_is_a_back_spasm")
    page = app.page
    tab_to(page, SPASM)
    page.keyboard.press("Space")
    tab_to(page, "Check")
    page.keyboard.press("Enter")
    region_has_focus(page, "✓ Right")
    status = page.get_by_role("status").filter(has_text="Right")
    assert status.count() == 1
    assert status.get_attribute("aria-live") == "polite"
    assert "✓ Right" in status.inner_text()
    assert "Points for this question: 1 of 1." in page.inner_text("body")
    next_tab_reaches(page, "Next question")
    page.keyboard.press("Enter")
    region_has_focus(page, "Question 2 of 3")
    tab_to(page, "False")
    page.keyboard.press("Space")
    tab_to(page, "Check")
    page.keyboard.press("Enter")
    region_has_focus(page, "✓ Right")
    next_tab_reaches(page, "Next question")
    page.keyboard.press("Enter")
    region_has_focus(page, "Question 3 of 3")
    # A focused native <select> picks the option whose text starts with the typed letter.
    for word, first_letter in [
        ("Involuntary", "H"),
        ("Inflammation", "S"),
        ("Sciatica", "P"),
        ("Core muscles", "M"),
    ]:
        tab_to(page, word)
        page.keyboard.type(first_letter)
    tab_to(page, "Check")
    page.keyboard.press("Enter")
    region_has_focus(page, "✓ Right")
    next_tab_reaches(page, "See your results")
    page.keyboard.press("Enter")
    wait_for_text(app, "You scored 3 of 3 points")
    assert "Right first time: 3 of 3 questions." in app.text()
    assert "Well done: you earned at least 80% of the points on every topic." in app.text()
    assert app.errors == []


def test_scenario_can_be_finished_with_the_keyboard_alone(app):
    """Tab, arrow keys and Enter pick a case, make each choice and reach an ending.

    After Start, focus moves to the case's heading; after each choice, into its feedback's
    region (not the page), just above the next choices.
    """
    case = load_scenario("hidden_red_flag")
    app.open("07_case_scenarios")
    page = app.page
    tab_to(page, "Choose a case")
    # ipywidgets shows option texts with no-break spaces; compare them as words.
    selected = "() => document.activeElement.selectedOptions[0].text.replace(/\\u00a0/g, ' ')"
    for _ in range(len(page.get_by_label("Choose a case").locator("option").all())):
        if page.evaluate(selected) == case.title:
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate(selected) == case.title
    wait_for_text(app, case.summary)  # the kernel has the choice: it shows the case's summary
    tab_to(page, "Start case")
    page.keyboard.press("Enter")
    wait_for_text(app, "No choices yet.")
    region_has_focus(page, case.title)
    for choice in choices_on_the_safe_path(case):
        tab_to(page, choice.text)
        page.keyboard.press("Enter")
        region_has_focus(page, f"You chose: {choice.text}")
    wait_for_text(app, "Care level: Get help now.")
    assert app.errors == []


def test_triage_checker_reaches_emergency_with_the_keyboard_alone(app):
    """Typing age and days, answering Yes, Next, ticking a red flag and asking, all by Tab, shows Get help now."""
    finding = load_triage_table().findings["saddle_numbness"]
    app.open("03_when_to_get_help")
    page = app.page
    page.get_by_role("button", name="See my result").wait_for(state="visible")
    tab_to(page, "Age (years)")
    page.keyboard.type("52")
    tab_to(page, "Days since the pain began")
    page.keyboard.type("2")
    tab_to(page, "Yes")
    page.keyboard.press("Space")
    tab_to(page, "Next")
    page.keyboard.press("Enter")
    region_has_focus(page, "Step 2 of")
    tab_to(page, finding.label)
    page.keyboard.press("Space")
    tab_to(page, "See my result")
    page.keyboard.press("Enter")
    result = page.locator(".backspasm-triage-result")
    result.get_by_role("status").get_by_text("Get help now").first.wait_for(state="visible")
    region_has_focus(page, "Get help now")
    expected = assess({"age": 52, "days_since_onset": 2, "findings": [finding.id]})
    assert [r.reason for r in expected.reasons if r.reason not in result.inner_text()] == []
    assert app.errors == []


def test_start_page_links_open_every_app(app):
    """Each app link on the start page opens that app's page in Voila, keeping the learner's name."""
    app.open("00_start_here")
    hrefs = app.page.eval_on_selector_all(
        ".backspasm-contents a", "links => links.map(link => link.href)"
    )
    assert [href.rsplit("/", 1)[1] for href in hrefs] == [
        f"{name}.ipynb?learner={app.learner}" for name in STUDENT_APPS[1:]
    ]
    assert all(href.startswith(f"{app.base_url}/voila/render/") for href in hrefs)
    app.page.locator(".backspasm-contents a[href^='06_quiz.ipynb']").click()
    app.page.wait_for_url(f"**/06_quiz.ipynb?learner={app.learner}")
    app.page.get_by_text(READY["06_quiz"]).first.wait_for(state="visible", timeout=90_000)
    # Leaving a page, Voila 0.5 asks to shut its kernel down without the _xsrf argument and is
    # refused (voila issue 1458): that one 403 is Voila's own and is tolerated here, nothing else.
    refused_shutdowns = [
        failure
        for failure in app.failed_responses
        if re.fullmatch(
            rf"403 POST {re.escape(app.base_url)}/voila/api/shutdown/[-0-9a-f]+", failure
        )
    ]
    assert app.failed_responses == refused_shutdowns
    assert [error for error in app.errors if "status of 403" not in error] == []
    assert len(app.errors) == len(refused_shutdowns)


def test_a_reloaded_quiz_page_carries_on_where_the_learner_was(app):
    """After a right answer, reloading the page (a new kernel) opens the next question."""
    page = answer_the_first_question_right(app)
    page.reload()
    wait_for_text(app, "Question 2 of 3")
    assert "Question 1 of 3" not in app.text()
    # Voila 0.5 refuses the old page's kernel shutdown (voila issue 1458): a 403, nothing else.
    assert [error for error in app.errors if "status of 403" not in error] == []


@pytest.mark.parametrize("size", VIEWPORTS)
def test_a_reload_mid_question_keeps_the_answer_the_try_used_and_the_feedback(app, size):
    """At phone and laptop size, after one wrong try a reload shows that answer picked, "1 of 2 tries used" and the verdict; the next Check is try 2."""
    app.page.set_viewport_size(VIEWPORTS[size])
    app.open("01_what_is_a_back_spasm")
    page = app.page
    page.get_by_label(CRACK).check()
    page.get_by_role("button", name="Check").click()
    wait_for_text(app, "✗ Not quite: 1 try left")
    page.reload()
    wait_for_text(app, "✗ Not quite: 1 try left")
    assert "1 of 2 tries used." in app.text()
    assert page.get_by_label(CRACK).is_checked()
    page.get_by_label(SPASM).check()
    page.get_by_role("button", name="Check").click()
    wait_for_text(app, "✓ Right on try 2")
    assert "Points for this question: 0.5 of 1." in app.text()
    assert [error for error in app.errors if "status of 403" not in error] == []


def test_start_quiz_moves_focus_to_the_first_question(app):
    """After Start quiz, keyboard focus is on the "Question 1 of" line, not left on the page."""
    app.open("06_quiz")
    app.page.get_by_role("button", name="Start quiz").click()
    region_has_focus(app.page, "Question 1 of")
    assert app.errors == []


@pytest.mark.parametrize("name", STUDENT_APPS)
def test_app_has_its_tab_title_and_leads_on_through_the_course(app, name):
    """The tab reads "<title> - Back spasms"; the page links to the start and its neighbours, keeping the learner."""
    index = STUDENT_APPS.index(name)
    app.open(name)
    page = app.page
    titles = {course_app.id: course_app.title for course_app in learner_apps()}
    assert page.title() == f"{titles[name]} - Back spasms"
    pager = page.get_by_role("navigation", name="Previous and next")
    course = page.get_by_role("navigation", name="Course")
    assert course.get_by_role("link", name="Back spasms", exact=True).get_attribute("href") == (
        f"00_start_here.ipynb?learner={app.learner}"
    )
    expected = []
    if index > 0:
        expected += [f"← Previous: {titles[STUDENT_APPS[index - 1]]}", "Back to the start"]
    if index < len(STUDENT_APPS) - 1:
        expected.append(f"Next: {titles[STUDENT_APPS[index + 1]]} →")
    assert [link.inner_text() for link in pager.get_by_role("link").all()] == expected
    if index < len(STUDENT_APPS) - 1:
        pager.get_by_role("link", name="Next:").click()
        following = STUDENT_APPS[index + 1]
        page.wait_for_url(f"**/{following}.ipynb?learner={app.learner}")
        page.get_by_text(READY[following]).first.wait_for(state="visible", timeout=90_000)
        assert page.title() == f"{titles[following]} - Back spasms"
    # Leaving a page, Voila's own shutdown beacon for its kernel is refused for want of an XSRF
    # token (voila issue 1458); serve's culler shuts that kernel down. Nothing else may fail.
    shutdowns = [r for r in app.failed_responses if "POST" in r and "/voila/api/shutdown/" in r]
    assert len(shutdowns) == len(app.failed_responses) <= 1
    refused = "Failed to load resource: the server responded with a status of 403 (Forbidden)"
    assert app.errors == [refused] * len(shutdowns)


@pytest.mark.parametrize("name", STUDENT_APPS)
def test_app_shows_the_notice_exactly_once(app, name):
    """Every learner's app says "call your local emergency number" once: not missing, not repeated."""
    app.open(name)
    assert app.text().count(NOTICE) == 1


def start_printing(page) -> str:
    """Start printing as the browser does; check only the print copy shows; return its text."""
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.emulate_media(media="print")
    shown = page.evaluate(
        "() => [...document.body.children].filter(el => getComputedStyle(el).display !== 'none')"
        ".map(el => el.id)"
    )
    assert shown == ["backspasm-print-root"]
    return page.locator("#backspasm-print-root").inner_text()


def test_printing_a_plan_prints_the_whole_plan_and_nothing_else(app):
    """With a plan made, printing shows only the plan, unclipped: every item, the week's ticks and the safety net."""
    app.open("05_stop_and_prevent")
    page = app.page
    for label in (
        "Knee hug",
        "Back flattening",
        "Round and sink",
        "Walk or swim most days",
        "Lifting",
    ):
        page.get_by_role("checkbox", name=label, exact=True).check()
    page.get_by_role("button", name="Make my plan").click()
    page.get_by_role("button", name="Print my plan").wait_for(state="visible")
    text = start_printing(page)
    for words in ("Knee hug", "Lifting", "My week", "Day 7", "When to get help", "Sources"):
        assert words in text
    height = page.evaluate("() => document.getElementById('backspasm-print-root').scrollHeight")
    pdf = page.pdf(format="A4")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") >= (
        2 if height > 1200 else 1
    )
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    assert page.locator("#backspasm-print-root").count() == 0
