"""The package's own exceptions: broken content, bad input and actions a session cannot take now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_MAX_SHOWN = 80


def show_value(value: object) -> str:
    """Return a short, readable rendering of a value for an error message."""
    text = repr(value)
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return text


class BackspasmError(Exception):
    """Base class of every error this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one content file: where it is and what was expected."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}" if self.path else self.file
        return f"{where}: {self.message}"


class ContentError(BackspasmError):
    """Content files that do not load: every problem found, each naming file and key path."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("ContentError needs at least one problem")
        self.problems = tuple(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class InputError(BackspasmError, ValueError):
    """Input that is not what an entry point accepts, naming the field, the expected and actual."""

    def __init__(
        self,
        field: str,
        expected: str,
        actual: str,
        suggestions: Sequence[str] = (),
    ) -> None:
        self.field = field
        self.expected = expected
        self.actual = actual
        self.suggestions = tuple(suggestions)
        message = f"{field}: expected {expected}, got {actual}"
        if self.suggestions:
            options = " or ".join(f'"{option}"' for option in self.suggestions)
            message += f" (did you mean {options}?)"
        super().__init__(message)


class SessionError(BackspasmError):
    """An action a quiz or scenario session cannot take in its current state."""
