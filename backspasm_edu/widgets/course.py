"""The course around every app: its name, contents, where you are, and previous / start / next."""

from __future__ import annotations

from urllib.parse import urlencode

import ipywidgets as widgets

from backspasm_edu.content.course import COURSE_TITLE, CourseApp, learner_apps
from backspasm_edu.widgets._common import escape
from backspasm_edu.widgets._page import page_parameter

__all__ = ["course_contents", "course_footer", "course_header"]


def _place(app_id: str) -> tuple[tuple[CourseApp, ...], int]:
    """The learner's apps and where this one is among them."""
    apps = learner_apps()
    ids = [app.id for app in apps]
    if app_id not in ids:
        raise ValueError(f"app_id: expected one of {', '.join(ids)}, got {app_id!r}")
    return apps, ids.index(app_id)


def _href(app: CourseApp, learner: str) -> str:
    """A link to another app, next to this one, that keeps the learner's name."""
    query = f"?{urlencode({'learner': learner})}" if learner else ""
    return escape(f"{app.filename}{query}")


def course_header(app_id: str) -> widgets.HTML:
    """The course's name, "App 3 of 8", the learner's name, and the contents, linked."""
    apps, index = _place(app_id)
    learner = page_parameter("learner")
    start = apps[0]
    who = f" · Learning as <strong>{escape(learner)}</strong>" if learner else ""
    items = "".join(
        f'<li><a href="{_href(app, learner)}"'
        + (' aria-current="page"' if number == index else "")
        + f">{escape(app.title)}</a></li>"
        for number, app in enumerate(apps)
    )
    return widgets.HTML(
        f'<nav class="backspasm-course" aria-label="Course">'
        f'<p><a href="{_href(start, learner)}">{escape(COURSE_TITLE)}</a>'
        f" · App {index + 1} of {len(apps)}{who}</p>"
        f"<details><summary>Contents</summary><ol>{items}</ol></details></nav>"
    )


def course_footer(app_id: str) -> widgets.HTML:
    """Links to the previous app, the start and the next app, each with its title."""
    apps, index = _place(app_id)
    learner = page_parameter("learner")
    links = []
    if index > 0:
        before = apps[index - 1]
        links.append(
            f'<a rel="prev" href="{_href(before, learner)}">← Previous: {escape(before.title)}</a>'
        )
    if index > 0:
        links.append(f'<a href="{_href(apps[0], learner)}">Back to the start</a>')
    if index < len(apps) - 1:
        after = apps[index + 1]
        links.append(
            f'<a rel="next" href="{_href(after, learner)}">Next: {escape(after.title)} →</a>'
        )
    else:
        links.append("<span>You have reached the last app of the course.</span>")
    return widgets.HTML(
        f'<nav class="backspasm-pager" aria-label="Previous and next">{"".join(links)}</nav>'
    )


def course_contents() -> widgets.HTML:
    """Every app after the start page, linked (keeping the learner's name), with what it does."""
    learner = page_parameter("learner")
    items = "".join(
        f'<li><a href="{_href(app, learner)}">{escape(app.title)}</a>'
        f"<p>{escape(app.description)}</p></li>"
        for app in learner_apps()[1:]
    )
    return widgets.HTML(f'<ol class="backspasm-contents">{items}</ol>')
