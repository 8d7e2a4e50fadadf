"""The course: its title and its apps in order, from the app notebooks' own metadata."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from backspasm_edu.errors import BackspasmError

if TYPE_CHECKING:
    from importlib.abc import Traversable  # importlib.resources.abc from Python 3.11 on

COURSE_TITLE = "Back spasms"
"""The course's name, shown on every app and at the end of each tab title."""
METADATA_KEY = "backspasm_edu"
"""Notebook metadata key holding the app's ``title``, ``description``, ``for_learners``,
``done_when`` and ``teaches``."""
DONE_WHEN = ("marked", "quizzes", "cases", "quiz:")
"""When a learner has done an app: they marked the page as done, finished every quiz, finished
every case, or finished the one quiz named after ``quiz:``. An app without it is not counted."""
_REPO_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


class CourseError(BackspasmError):
    """The app notebooks cannot be found in this installation."""


@dataclass(frozen=True)
class CourseApp:
    """One app of the course: its notebook's name without ``.ipynb``, title and description.

    ``teaches`` lists the ids of the topics the app teaches (content/topics/), so a quiz can
    send a learner to the page that teaches a question's topic.
    """

    id: str
    title: str
    description: str
    for_learners: bool = True
    done_when: str = ""
    teaches: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        """The notebook's file name."""
        return f"{self.id}.ipynb"

    @property
    def tab_title(self) -> str:
        """The browser tab's title: "Knowledge check - Back spasms"."""
        return f"{self.title} - {COURSE_TITLE}"


def app_notebooks() -> list[Traversable]:
    """The packaged app notebooks in course order, read through importlib.resources."""
    packaged = resources.files("backspasm_edu") / "notebooks"
    folder: Traversable = packaged if packaged.is_dir() else _REPO_NOTEBOOKS
    if not folder.is_dir():
        raise CourseError("the app notebooks are missing from this installation; reinstall it")
    return sorted(
        (item for item in folder.iterdir() if item.is_file() and item.name.endswith(".ipynb")),
        key=lambda item: item.name,
    )


@functools.cache
def course_apps() -> tuple[CourseApp, ...]:
    """Every app of the course, in order, with the title and description its notebook gives."""
    apps = []
    for item in app_notebooks():
        metadata = json.loads(item.read_text(encoding="utf-8"))["metadata"][METADATA_KEY]
        apps.append(
            CourseApp(
                id=item.name.removesuffix(".ipynb"),
                title=metadata["title"],
                description=metadata["description"],
                for_learners=metadata.get("for_learners", True),
                done_when=_done_when(item.name, metadata.get("done_when", "")),
                teaches=_teaches(item.name, metadata.get("teaches", [])),
            )
        )
    return tuple(apps)


def _done_when(notebook: str, value: object) -> str:
    text = str(value)
    if text and text not in DONE_WHEN[:3] and not (text.startswith("quiz:") and len(text) > 5):
        raise CourseError(
            f"{notebook}: metadata {METADATA_KEY}.done_when: expected 'marked', 'quizzes', "
            f"'cases' or 'quiz:' and a quiz id, got {value!r}"
        )
    return text


def _teaches(notebook: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(topic, str) for topic in value):
        raise CourseError(
            f"{notebook}: metadata {METADATA_KEY}.teaches: expected a list of topic ids, "
            f"got {value!r}"
        )
    return tuple(value)


def learner_apps() -> tuple[CourseApp, ...]:
    """The apps a learner works through, in order (the class results page is not one)."""
    return tuple(app for app in course_apps() if app.for_learners)


def app_teaching(topic: str) -> CourseApp | None:
    """The first learner's app that teaches the topic, or None when no app does."""
    return next((app for app in learner_apps() if topic in app.teaches), None)
