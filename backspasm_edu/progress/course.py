"""How far a learner is through the course: each app done, started or not, from their progress."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from backspasm_edu.content.course import CourseApp
from backspasm_edu.progress.store import Record


@dataclass(frozen=True)
class AppState:
    """One app for one learner: done, started, and in words how far ("2 of 3 quizzes")."""

    app_id: str
    done: bool
    started: bool
    detail: str


_PLURALS = {"quiz": "quizzes", "case": "cases", "quick check": "quick checks"}


def _count(done: int, total: int, noun: str) -> str:
    return f"{done} of {total} {noun if total == 1 else _PLURALS[noun]} finished"


def app_states(
    apps: Iterable[CourseApp],
    records: Sequence[Record],
    pages_done: Collection[str],
    quiz_ids: Collection[str],
    case_ids: Collection[str],
) -> list[AppState]:
    """The state of each counted app (those with ``done_when``) for one learner's records.

    An activity counts as finished once any of its runs reached its end; ``quiz_ids`` and
    ``case_ids`` are those the course offers now.
    """
    finished = {(record.activity, record.activity_id) for record in records if record.finishes}
    touched = {(record.activity, record.activity_id) for record in records}
    states = []
    for app in apps:
        rule = app.done_when
        if not rule:
            continue
        if rule == "marked":
            done = app.id in pages_done
            states.append(AppState(app.id, done, done, ""))
            continue
        if rule.startswith("quiz:"):
            wanted = {("quiz", rule.removeprefix("quiz:"))}
            noun = "quick check"
        else:
            kind = "quiz" if rule == "quizzes" else "scenario"
            wanted = {(kind, item) for item in (quiz_ids if rule == "quizzes" else case_ids)}
            noun = "quiz" if rule == "quizzes" else "case"
        done_count = len(wanted & finished)
        detail = _count(done_count, len(wanted), noun) if len(wanted) > 1 else ""
        states.append(
            AppState(
                app.id,
                done=bool(wanted) and done_count == len(wanted),
                started=bool(wanted & touched),
                detail=detail,
            )
        )
    return states
