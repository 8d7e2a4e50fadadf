"""What every bank reader returns: questions in our quiz YAML's shape, the ones skipped, notes.

A reader (one module per format) turns a bank's text into a :class:`ParsedBank` and never
raises for one bad question: it skips that question with a :class:`SkippedQuestion` naming why,
and goes on. Only a file that is not a bank of that format at all raises ContentError. Ids,
topic and sources are added later, by the code that builds the quiz, the same for every format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

NoteKind = Literal["dropped", "changed", "check"]
"""``dropped``: not carried over; ``changed``: carried over in another form; ``check``: for the
instructor to look at (a source, a topic, a question a human must read again)."""


@dataclass(frozen=True)
class ImportNote:
    """One thing the instructor should know about an import, at a key path of the quiz."""

    path: str
    kind: NoteKind
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class SkippedQuestion:
    """A question of the bank that could not be imported, and why, in the instructor's words.

    ``number`` counts the bank's questions from 1, in the bank's order; ``where`` is where the
    bank holds it (``line 12``, ``questions[3]``, ``cell 4, questions[0]``); ``title`` is its
    name or the start of its text, when there is one.
    """

    number: int
    where: str
    title: str
    reason: str

    def __str__(self) -> str:
        name = f" ({self.title})" if self.title else ""
        return f"question {self.number}{name} at {self.where}: {self.reason}"


@dataclass
class ParsedQuestion:
    """One imported question in our YAML shape, without ``id``, ``topic`` and ``sources``.

    ``fields`` holds ``type``, ``prompt`` and the type's own keys (``answers`` with ``text``,
    ``correct`` and ``explanation``; ``answer``; ``tolerance``; ``items``; ``pairs`` and
    ``targets``); choice, item and pair ids may be left out and are then made from the text.
    ``notes`` are on this question, with paths relative to it (``answers[1].explanation``).
    """

    fields: dict[str, Any]
    number: int
    where: str
    notes: list[ImportNote] = field(default_factory=list)
    name: str = ""
    """The question's own name in the bank (a GIFT ``::title::``, a Moodle XML ``<name>``), if
    any: its id is made from it, so the id stays when the prompt is edited, and a quiz exported
    by ``export-moodle`` (which names each question by its id) comes back with the same ids."""


@dataclass
class ParsedBank:
    """A bank read from one file (or one part of a file), in the bank's order."""

    name: str
    """The file name, or ``file.ipynb (cell 3)`` for one part of a file, for messages."""
    format: str
    """The format's name as said to the instructor: ``jupyterquiz``, ``GIFT``, ``Moodle XML``."""
    questions: list[ParsedQuestion] = field(default_factory=list)
    skipped: list[SkippedQuestion] = field(default_factory=list)
    notes: list[ImportNote] = field(default_factory=list)
    """Notes on the whole bank (not on one question)."""
    title: str | None = None
    """A title the bank itself gives (a GIFT or Moodle category, a quiz name), if any."""
    text_format: Literal["plain", "markdown"] = "markdown"
    """How the questions' text is written: ``markdown`` (CommonMark, inline HTML and LaTeX
    allowed; shown sanitised) or ``plain`` (shown exactly as typed)."""
