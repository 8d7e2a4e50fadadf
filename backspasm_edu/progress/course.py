"""How far a learner is through the course: each app done or started, and their course record."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from backspasm_edu.content.course import CourseApp
from backspasm_edu.content.model import Quiz, Scenario
from backspasm_edu.engines.quiz import QuizSummary
from backspasm_edu.engines.scenario import POINTS, Step
from backspasm_edu.errors import BackspasmError
from backspasm_edu.progress.resume import replay_quiz, replay_scenario
from backspasm_edu.progress.store import Record, Run


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


@dataclass(frozen=True)
class QuizOutcome:
    """One quiz in a learner's course record: their best finished go, if any, and how many."""

    quiz_id: str
    title: str
    best: QuizSummary | None
    finished_goes: int
    started: bool


@dataclass(frozen=True)
class CaseOutcome:
    """One case in a learner's course record: the path of their best finished go.

    ``points`` and ``max_points`` are those of the path they took to the ending the first time
    in that go (each point of the story scored by its first choice); ``poor_choices`` are the
    choices scored there that earned nothing, to think about again.
    """

    scenario_id: str
    title: str
    finished: bool
    started: bool
    points: int = 0
    max_points: int = 0
    poor_choices: tuple[Step, ...] = ()


@dataclass(frozen=True)
class ReviewTopic:
    """A topic to read again: under the review mark in the best go at a quiz that asks it."""

    topic: str
    title: str


@dataclass(frozen=True)
class CourseRecord:
    """What one learner has done in the course: each app, each quiz and case, what to review."""

    apps: tuple[tuple[CourseApp, AppState], ...]
    quizzes: tuple[QuizOutcome, ...]
    cases: tuple[CaseOutcome, ...]

    @property
    def done_count(self) -> int:
        """How many of the counted apps are done."""
        return sum(state.done for _app, state in self.apps)

    @property
    def complete(self) -> bool:
        """Whether every counted app is done."""
        return bool(self.apps) and self.done_count == len(self.apps)

    @property
    def to_review(self) -> tuple[ReviewTopic, ...]:
        """Topics under the review mark in any quiz's best go, each once, weakest quiz first."""
        seen: dict[str, ReviewTopic] = {}
        for outcome in self.quizzes:
            if outcome.best is not None:
                for topic in outcome.best.to_review:
                    seen.setdefault(topic.topic, ReviewTopic(topic.topic, topic.title))
        return tuple(seen.values())


def _runs(records: Iterable[Record]) -> dict[tuple[str, str], list[Run]]:
    """Each activity's runs, oldest first, each with its records in order."""
    by_run: dict[str, list[Record]] = {}
    for record in records:
        by_run.setdefault(record.run_id, []).append(record)
    runs: dict[tuple[str, str], list[Run]] = {}
    for run_id, mine in by_run.items():
        first = mine[0]
        runs.setdefault((first.activity, first.activity_id), []).append(
            Run(run_id, first.learner, first.activity, first.activity_id, first.seed, tuple(mine))
        )
    return runs


def _to_first_finish(run: Run) -> Run | None:
    """The run up to the record that first reached the end, or None if it never did."""
    for index, record in enumerate(run.records):
        if record.finishes:
            return Run(
                run.run_id,
                run.learner,
                run.activity,
                run.activity_id,
                run.seed,
                run.records[: index + 1],
            )
    return None


def _quiz_outcome(quiz: Quiz, runs: Sequence[Run]) -> QuizOutcome:
    summaries = []
    for run in runs:
        finished = _to_first_finish(run)
        if finished is None:
            continue
        try:
            session = replay_quiz(quiz, finished)
        except (BackspasmError, ValueError):
            continue  # a go at the quiz as it was before it changed
        if session.finished:
            summaries.append(session.summary())
    best = max(reversed(summaries), key=lambda summary: summary.score, default=None)
    return QuizOutcome(quiz.id, quiz.title, best, len(summaries), bool(runs))


def _case_outcome(scenario: Scenario, runs: Sequence[Run]) -> CaseOutcome:
    walks = []
    for run in runs:
        finished = _to_first_finish(run)
        if finished is None:
            continue
        try:
            walks.append(replay_scenario(scenario, finished))
        except (BackspasmError, ValueError):
            continue  # a go at the case as it was before it changed
    best = max(reversed(walks), key=lambda walk: walk.score, default=None)
    if best is None:
        return CaseOutcome(scenario.id, scenario.title, finished=False, started=bool(runs))
    poor = tuple(step for step in best.scored_steps if POINTS[step.rating] == 0)
    return CaseOutcome(
        scenario.id,
        scenario.title,
        finished=True,
        started=True,
        points=best.points,
        max_points=best.max_points,
        poor_choices=poor,
    )


def course_record(
    apps: Iterable[CourseApp],
    records: Sequence[Record],
    pages_done: Collection[str],
    quizzes: Iterable[Quiz],
    scenarios: Iterable[Scenario],
) -> CourseRecord:
    """One learner's course record from their own records, every score replayed by the engines.

    A quiz or case counts its best finished go (the latest of equals), scored as the engine
    scores it now; stored scores are never read. Goes that no longer fit the content are left out.
    """
    quizzes, scenarios, counted = list(quizzes), list(scenarios), list(apps)
    states = app_states(
        counted,
        records,
        pages_done,
        [quiz.id for quiz in quizzes],
        [scenario.id for scenario in scenarios],
    )
    by_id = {app.id: app for app in counted}
    runs = _runs(records)
    return CourseRecord(
        apps=tuple((by_id[state.app_id], state) for state in states),
        quizzes=tuple(_quiz_outcome(quiz, runs.get(("quiz", quiz.id), [])) for quiz in quizzes),
        cases=tuple(
            _case_outcome(scenario, runs.get(("scenario", scenario.id), []))
            for scenario in scenarios
        ),
    )
