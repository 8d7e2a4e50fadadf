"""What an engine needs to keep a learner's steps: the Recorder protocol the store meets."""

from __future__ import annotations

from typing import Any, Literal, Protocol

from backspasm_edu.errors import BackspasmError

Action = Literal["answer", "back"]
"""A step's kind: an answer (a quiz check or a case choice), or going back one case choice."""


class RecordingFailed(BackspasmError):
    """A step could not be kept (disk full, store locked or damaged); the message says why.

    The engines catch it: the step still counts in the session, marked as not saved.
    """


class Recorder(Protocol):
    """Keeps one learner's run of one activity; backspasm_edu.progress.Recorder is the real one."""

    def new_run(self) -> None:
        """Start a new run: later records belong to a fresh go at the activity."""

    def record(
        self,
        *,
        item_id: str,
        answer: Any,
        correct: bool | None,
        score: float | None,
        attempt: int,
        topic: str | None = None,
        action: Action = "answer",
        finishes: bool = False,
    ) -> object:
        """Keep one step of the run; RecordingFailed when it cannot be kept."""


def keep_step(recorder: Recorder | None, **step: Any) -> str:
    """Record one step through the recorder, if any: "" when kept, else why it was not."""
    if recorder is None:
        return ""
    try:
        recorder.record(**step)
    except RecordingFailed as error:
        return str(error)
    return ""
