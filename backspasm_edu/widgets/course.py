"""The course around every app: its name, contents with ticks, where you are, previous / next.

A Voila page has a kernel of its own, so the app that ``course_header`` names is this page's
app: the views ask ``next_step_html`` for the way on when an activity ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import ipywidgets as widgets

from backspasm_edu.content.course import COURSE_TITLE, CourseApp, app_teaching, learner_apps
from backspasm_edu.content.loader import load_library
from backspasm_edu.progress import ProgressError, ProgressStore
from backspasm_edu.progress.course import AppState, app_states
from backspasm_edu.widgets._common import button, callback_guard, escape, feedback_html
from backspasm_edu.widgets._page import PageLearner, page_learner, when_page_is_known
from backspasm_edu.widgets.progress_panel import open_store

__all__ = [
    "app_address",
    "course_contents",
    "course_footer",
    "course_header",
    "next_step_html",
    "topic_link_html",
]


@dataclass
class _ThisPage:
    """The app this kernel's page shows, how to redraw its header, and the words it explained."""

    app_id: str | None = None
    refresh_header: Callable[[], None] | None = None
    explained_terms: set[str] = field(default_factory=set)
    """Glossary terms already explained on this page (each is explained at its first use)."""
    problem: str = ""
    """A failure to tell the learner at the top of the page, in words ("" when none)."""


this_page = _ThisPage()


def _place(app_id: str) -> tuple[tuple[CourseApp, ...], int]:
    """The learner's apps and where this one is among them."""
    apps = learner_apps()
    ids = [app.id for app in apps]
    if app_id not in ids:
        raise ValueError(f"app_id: expected one of {', '.join(ids)}, got {app_id!r}")
    return apps, ids.index(app_id)


def app_address(app: CourseApp, page: PageLearner) -> str:
    """The address of another app, next to this one, that keeps the learner's own link."""
    return f"{app.filename}{page.query()}"


def _href(app: CourseApp, page: PageLearner) -> str:
    return escape(app_address(app, page))


def _states(
    store: ProgressStore | None, page: PageLearner, apps: tuple[CourseApp, ...]
) -> dict[str, AppState]:
    """How far this learner is with each counted app; nothing when progress cannot be read."""
    if store is None:
        return {}
    library = load_library()
    learner = page.key()
    try:
        records = store.records(learner)
        pages = store.pages_done(learner)
    except ProgressError:
        return {}
    states = app_states(apps, records, pages, library.quizzes, library.scenarios)
    return {state.app_id: state for state in states}


def _state_words(state: AppState | None) -> str:
    if state is None:
        return ""
    if state.done:
        words = '<span aria-hidden="true">✓</span> Done'
    elif state.started:
        words = '<span aria-hidden="true">◐</span> Started'
    else:
        return ""
    detail = f" ({escape(state.detail)})" if state.detail else ""
    return f' <span class="backspasm-state">{words}{detail}</span>'


def _label_from_link(page: PageLearner, store: ProgressStore | None) -> None:
    """On a shared server, a browser opened with ``?learner=Sam`` is shown to the teacher as Sam.

    Only a browser with no label yet takes the link's name; a name typed later replaces it.
    """
    if not (page.shared_server and page.name and not page.signed and store is not None):
        return
    try:
        if page.key() not in store.names():
            store.set_name(page.key(), page.name)
    except ProgressError:
        return  # the app's own views say that progress cannot be saved


def _header_html(
    apps: tuple[CourseApp, ...], index: int, page: PageLearner, store: ProgressStore | None
) -> str:
    states = _states(store, page, apps)
    name = page.shown_name(store)
    who = f" · Learning as <strong>{escape(name)}</strong>" if name else ""
    counted = list(states.values())
    done = f" · {sum(state.done for state in counted)} of {len(counted)} done" if counted else ""
    items = "".join(
        f'<li><a href="{_href(app, page)}"'
        + (' aria-current="page"' if number == index else "")
        + f">{escape(app.title)}</a>{_state_words(states.get(app.id))}</li>"
        for number, app in enumerate(apps)
    )
    problem = (
        f'<div role="alert">{feedback_html("warning", escape(this_page.problem))}</div>'
        if this_page.problem
        else ""
    )
    return (
        f'{problem}<nav class="backspasm-course" aria-label="Course">'
        f'<p><a href="{_href(apps[0], page)}">{escape(COURSE_TITLE)}</a>'
        f" · App {index + 1} of {len(apps)}{done}{who}</p>"
        f"<details><summary>Contents</summary><ol>{items}</ol></details></nav>"
    )


def course_header(app_id: str, store: ProgressStore | None = None) -> widgets.HTML:
    """The course's name, "App 3 of 9", "2 of 7 done", the learner's name, and the contents.

    The contents tick each app the learner has done and update as they finish activities.
    Everything here is the learner's own, so a preheated kernel fills it in once its page
    arrives; the course content, the slowest part, is checked before.
    """
    apps, index = _place(app_id)
    this_page.app_id = app_id
    load_library()
    header = widgets.HTML()

    def fill(page: PageLearner) -> None:
        progress_store, _problem = open_store(store)  # the app's own views show any problem
        _label_from_link(page, progress_store)

        def refresh(_record: object = None) -> None:
            header.value = _header_html(apps, index, page, progress_store)

        def show_problem(words: str) -> None:
            this_page.problem = words
            refresh()

        refresh()
        if progress_store is not None:
            progress_store.subscribe(refresh)
        this_page.refresh_header = refresh
        callback_guard.show_problem = show_problem

    when_page_is_known(fill)
    return header


def _pager_html(apps: tuple[CourseApp, ...], index: int, page: PageLearner) -> str:
    links = []
    if index > 0:
        before = apps[index - 1]
        links.append(
            f'<a rel="prev" href="{_href(before, page)}">← Previous: {escape(before.title)}</a>'
        )
        links.append(f'<a href="{_href(apps[0], page)}">Back to the start</a>')
    if index < len(apps) - 1:
        after = apps[index + 1]
        links.append(f'<a rel="next" href="{_href(after, page)}">Next: {escape(after.title)} →</a>')
    else:
        links.append("<span>You have reached the last app of the course.</span>")
    return f'<nav class="backspasm-pager" aria-label="Previous and next">{"".join(links)}</nav>'


class _MarkDone(widgets.VBox):
    """The "Mark this page as done" button: ticks a page without an activity in the contents."""

    def __init__(self, app_id: str, page: PageLearner, store: ProgressStore) -> None:
        super().__init__()
        self.app_id, self.page, self.store = app_id, page, store
        self.button = button("Mark this page as done", "Tick this page in the course contents")
        self.message = widgets.HTML()
        self.button.on_click(self._mark)
        try:
            already = app_id in store.pages_done(page.key())
        except ProgressError:
            already = False
        self._show(already)
        self.children = [self.button, self.message]

    def _show(self, done: bool) -> None:
        self.button.disabled = done
        self.button.description = "✓ Marked as done" if done else "Mark this page as done"

    def _mark(self, _button: widgets.Button) -> None:
        try:
            self.store.mark_page_done(self.page.key(), self.app_id)
        except ProgressError as error:
            self.message.value = feedback_html(
                "warning", "This could not be saved", escape(str(error))
            )
            return
        self._show(True)
        self.message.value = feedback_html(
            "right", "Marked as done", "This page is ticked in the course contents."
        )
        if this_page.refresh_header is not None:
            this_page.refresh_header()


def course_footer(app_id: str, store: ProgressStore | None = None) -> widgets.VBox:
    """Links to the previous app, the start and the next app, each with its title.

    An app that is done when marked gets a "Mark this page as done" button above them.
    """
    apps, index = _place(app_id)
    page = page_learner()
    parts: list[widgets.Widget] = []
    progress_store, _problem = open_store(store)
    if apps[index].done_when == "marked" and progress_store is not None:
        parts.append(_MarkDone(app_id, page, progress_store))
    parts.append(widgets.HTML(_pager_html(apps, index, page)))
    return widgets.VBox(parts)


def next_step_html() -> str:
    """Where to go when an activity ends: the next app of the course, or back to the start."""
    if this_page.app_id is None:
        return ""
    apps, index = _place(this_page.app_id)
    page = page_learner()
    if index < len(apps) - 1:
        after = apps[index + 1]
        link = f'<a rel="next" href="{_href(after, page)}">Next: {escape(after.title)} →</a>'
    else:
        link = f'<a href="{_href(apps[0], page)}">Back to the start of the course</a>'
    return f'<p class="backspasm-next"><strong>What next?</strong> {link}</p>'


def topic_link_html(topic: str) -> str:
    """Where to read about a topic: "Read about it: " and a link to the app that teaches it.

    The link keeps the learner's own; on that app's own page it says "above" instead, and it
    is "" when no app teaches the topic.
    """
    app = app_teaching(topic)
    if app is None:
        return ""
    if app.id == this_page.app_id:
        return "Read about it above, on this page."
    return f'Read about it: <a href="{_href(app, page_learner())}">{escape(app.title)}</a>'


def course_contents() -> widgets.HTML:
    """Every app after the start page, linked (keeping the learner's link), with what it does.

    The links carry the learner's own, so a preheated kernel fills them in once its page arrives.
    """
    contents = widgets.HTML()

    def fill(page: PageLearner) -> None:
        items = "".join(
            f'<li><a href="{_href(app, page)}">{escape(app.title)}</a>'
            f"<p>{escape(app.description)}</p></li>"
            for app in learner_apps()[1:]
        )
        contents.value = f'<ol class="backspasm-contents">{items}</ol>'

    when_page_is_known(fill)
    return contents
