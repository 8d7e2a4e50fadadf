"""Resume from file: a learner's own answers from an export, every run replayed by the engines."""

from __future__ import annotations

import ast
import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from backspasm_edu.content.course import app_notebooks
from backspasm_edu.content.loader import load_library
from backspasm_edu.content.model import Quiz, Scenario
from backspasm_edu.engines.quiz import QuizSession, quick_check
from backspasm_edu.engines.recording import Action
from backspasm_edu.engines.scenario import ScenarioSession
from backspasm_edu.errors import BackspasmError, show_value
from backspasm_edu.progress.exports import read_export
from backspasm_edu.progress.identity import rekeyed
from backspasm_edu.progress.store import ProgressError, Record, content_version, record_time

__all__ = [
    "EARLIEST_TIME",
    "FUTURE_SLACK",
    "MAX_ANSWER_DEPTH",
    "MAX_ANSWER_NUMBER",
    "MAX_FILE_BYTES",
    "MAX_RECORDS",
    "MAX_SEED",
    "check_file_size",
    "restorable",
    "restore_file",
]

MAX_FILE_BYTES = 2 * 1024 * 1024
"""The largest progress file accepted (2 MB). An export takes about 570 bytes a record, so one go
at every quiz and case (some 80 records) is about 50 KB: 2 MB holds some 40 such goes."""
MAX_RECORDS = 5_000
"""The most records one file may hold, however tightly written, so a replay's work is bounded."""
MAX_SEED = 2**31
"""A quiz's order is a seed from 0 up to (not including) this, as the engine draws them."""
FUTURE_SLACK = timedelta(minutes=5)
"""How far ahead of this server's clock a record's time may be (another device's clock drift)."""
EARLIEST_TIME = datetime(2020, 1, 1, tzinfo=UTC)
"""No record is older than the course."""
MAX_ANSWER_DEPTH = 2
"""Lists or mappings in an answer may hold others this deep (a course's answers hold none)."""
MAX_ANSWER_NUMBER = 10**15
"""A whole number in an answer beyond this is out of range (no question asks for one)."""
_PLAIN_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
"""Record and run ids as the store makes them: hex digits; a little leeway, nothing else."""


def check_file_size(size: int, name: str) -> None:
    """Refuse a file over MAX_FILE_BYTES before a byte of it is read."""
    if size > MAX_FILE_BYTES:
        raise ProgressError(
            f"{name}: expected one learner's progress file, got {size / 2**20:.1f} MB: the "
            f"largest file accepted is {MAX_FILE_BYTES // 2**20} MB"
        )


def restore_file(
    data: bytes,
    name: str,
    learner: str,
    *,
    kept: Sequence[Record] = (),
    now: datetime | None = None,
) -> list[Record]:
    """An export file's records, fit to store as ``learner``'s own; see ``restorable``."""
    check_file_size(len(data), name)
    return restorable(read_export(data, name), name, learner, kept=kept, now=now)


def restorable(
    records: Sequence[Record],
    name: str,
    learner: str,
    *,
    kept: Sequence[Record] = (),
    now: datetime | None = None,
) -> list[Record]:
    """Records from the file ``name`` made ``learner``'s own, every run replayed by the engines.

    Only what the learner did is taken from the file: which quiz or case, the run, a quiz's
    order (seed), each question or point of the story, the answer or step back, and when
    (checked, and written as UTC). Correctness, score, attempt, topic, item count and whether
    the run reached its end are the engines' own. All or nothing: one record that does not
    fit (an unknown quiz or case, an answer that does not fit it as it is now, a number that
    is not finite or out of range, a time that cannot be read or lies ahead, an id that is not
    short plain text) refuses the whole file with ProgressError, so nothing half-restores.

    ``kept`` are the learner's records already in the store. A run of the file that goes on
    from one kept there is replayed after its kept steps, so it must follow on from them; a
    step kept there already (the same run, time, point and answer, under whatever id, as when
    progress went to another device and back) comes back with the id it is kept under, for the
    store to count as already there. Records come back oldest first, as the store reads them.
    """
    if len(records) > MAX_RECORDS:
        raise ProgressError(
            f"{name}: expected one learner's progress, got {len(records)} records: the most "
            f"a file may hold is {MAX_RECORDS:,}"
        )
    owners = {record.learner for record in records}
    if len(owners) > 1:
        raise ProgressError(
            f"{name}: expected one learner's progress (the file “Download my progress” "
            f"saves), got the answers of {len(owners)} learners"
        )
    latest = (now or datetime.now(UTC)) + FUTURE_SLACK
    times = [
        _checked_time(record, latest, f"{name}: records[{index}]")
        for index, record in enumerate(records)
    ]
    for index, record in enumerate(records):
        _check_fields(record, f"{name}: records[{index}]")
    mine = rekeyed(
        [replace(record, recorded_at=time) for record, time in zip(records, times, strict=True)],
        learner,
    )
    already = {_step_key(record): record for record in kept}
    run_ids = {record.run_id for record in mine}
    steps: list[tuple[str, int | None, Record]] = [
        (f"{name}: the answer kept here from {record.recorded_at}", None, record)
        for record in kept
        if record.run_id in run_ids
    ]
    for index, record in enumerate(mine):
        same = already.get(_step_key(record))
        if same is None:
            steps.append((f"{name}: records[{index}]", index, record))
        else:  # kept here already, perhaps under another id (to another device and back)
            mine[index] = same
    steps.sort(key=lambda step: step[2].recorded_at)  # stable: kept steps first, then the file's
    runs: dict[str, list[tuple[str, int | None, Record]]] = {}
    for step in steps:
        runs.setdefault(step[2].run_id, []).append(step)
    for run in runs.values():
        for index, record in _replayed_run(run):
            mine[index] = record
    return sorted(mine, key=lambda record: record.recorded_at)


def _step_key(record: Record) -> tuple[str, str, str, str, str]:
    """What makes a step the same one wherever it is kept: its run, time, point, action, answer."""
    answer = json.dumps(record.answer, sort_keys=True)
    return record.run_id, record.recorded_at, record.item_id, record.action, answer


def _checked_time(record: Record, latest: datetime, where: str) -> str:
    """The record's time as the store writes it (UTC, milliseconds), or ProgressError."""
    text = record.recorded_at
    expected = f"a time from {EARLIEST_TIME:%Y} to now (ISO 8601, as exports write it)"
    moment = record_time(text)
    if moment is None or not EARLIEST_TIME <= moment <= latest:
        raise ProgressError(f"{where}.recorded_at: expected {expected}, got {show_value(text)}")
    return moment.isoformat(timespec="milliseconds")


def _check_fields(record: Record, where: str) -> None:
    """Ids that are short plain text, a seed in range, and no number that is not finite."""
    for column in ("record_id", "run_id"):
        value = getattr(record, column)
        if not _PLAIN_ID.fullmatch(value):
            raise ProgressError(
                f"{where}.{column}: expected an id of at most 64 letters, digits, '-' or '_', "
                f"got {show_value(value)}"
            )
    if isinstance(record.score, float) and not math.isfinite(record.score):
        raise ProgressError(f"{where}.score: expected a finite number, got {record.score!r}")
    problem = _answer_problem(record.answer)
    if problem:
        raise ProgressError(
            f"{where}.answer: expected text, a number, true or false, or a short list or "
            f"mapping of them, got {problem}"
        )
    if record.seed is not None and not 0 <= record.seed < MAX_SEED:
        raise ProgressError(
            f"{where}.seed: expected a whole number from 0 to {MAX_SEED - 1}, "
            f"got {show_value(record.seed)}"
        )


def _answer_problem(answer: object) -> str:
    """What is wrong with an answer's shape ("" for nothing), looked at without recursion."""
    pending = [(answer, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, float) and not math.isfinite(value):
            return f"a number that is not finite ({value!r})"
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and abs(value) > MAX_ANSWER_NUMBER
        ):
            return "a number out of range"
        if isinstance(value, (dict, list)):
            if depth >= MAX_ANSWER_DEPTH:
                return "lists or mappings nested too deeply"
            items = value.values() if isinstance(value, dict) else value
            pending.extend((item, depth + 1) for item in items)
    return ""


@dataclass
class _Step:
    """What the engine recorded for one replayed step."""

    item_id: str
    correct: bool | None
    score: float | None
    attempt: int
    topic: str | None
    action: Action
    finishes: bool


class _Collector:
    """An engine's recorder that keeps each step in memory, so a replay writes nothing."""

    def __init__(self) -> None:
        self.steps: list[_Step] = []

    def new_run(self) -> None:
        """A replay never starts again; each run of a file is replayed on its own."""

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
    ) -> _Step:
        """Keep the engine's account of one step."""
        step = _Step(item_id, correct, score, attempt, topic, action, finishes)
        self.steps.append(step)
        return step


def _replayed_run(steps: list[tuple[str, int | None, Record]]) -> list[tuple[int, Record]]:
    """Each step of one run from the file, by its place there, with the engine's own verdicts.

    ``steps`` are the run's steps in time order: those from the file (with their place in it)
    and any kept here before (place None), which the run must follow on from.
    """
    first_where, _index, first = steps[0]
    for where, _index, record in steps:
        for column in ("activity", "activity_id", "seed"):
            if getattr(record, column) != getattr(first, column):
                raise ProgressError(
                    f"{where}.{column}: expected {show_value(getattr(first, column))} like the "
                    f"rest of run {first.run_id}, got {show_value(getattr(record, column))}"
                )
    collector = _Collector()
    if first.activity == "quiz":
        quiz = _quiz(first.activity_id, first_where)
        if first.seed is None:
            raise ProgressError(
                f"{first_where}.seed: expected the quiz's order, a whole number from 0 to "
                f"{MAX_SEED - 1}, got None"
            )
        item_count = len(quiz.questions)
        session = QuizSession(quiz, seed=first.seed, recorder=collector)
        for where, _index, record in steps:
            _replay_answer(session, record, where)
    else:
        scenario = _scenario(first.activity_id, first_where)
        item_count = len(scenario.nodes)
        walk = ScenarioSession(scenario, recorder=collector)
        for where, _index, record in steps:
            _replay_choice(walk, record, where)
    version = content_version()
    replayed = []
    for (where, index, record), step in zip(steps, collector.steps, strict=True):
        if step.item_id != record.item_id:
            raise _unfit(record, where, "it was made at another point")
        if index is None:
            continue
        replayed.append(
            (
                index,
                replace(
                    record,
                    seed=first.seed if first.activity == "quiz" else None,
                    topic=step.topic,
                    correct=step.correct,
                    score=step.score,
                    attempt=step.attempt,
                    item_count=item_count,
                    finishes=step.finishes,
                    content_version=version,
                ),
            )
        )
    return replayed


def _replay_answer(session: QuizSession, record: Record, where: str) -> None:
    """Answer the record's question, moving on from a closed one first, as the learner did."""
    if record.action != "answer":
        raise _unfit(record, where, "a quiz has no steps back")
    current = session.current
    if current is not None and current.id != record.item_id and session.current_closed:
        current = session.next()
    if current is None or current.id != record.item_id:
        raise _unfit(record, where, "it is not the question the quiz asks next")
    try:
        session.answer(record.answer)
    except (BackspasmError, ValueError, TypeError, ArithmeticError) as error:
        raise _unfit(record, where, str(error)) from None


def _replay_choice(walk: ScenarioSession, record: Record, where: str) -> None:
    """Make the record's choice, or step back, at the point of the story the walk has reached."""
    if record.action == "answer" and (
        not isinstance(record.answer, str) or record.item_id != walk.current.id
    ):
        raise _unfit(record, where, "it is not a choice at the point the case has reached")
    try:
        if record.action == "back":
            walk.back()
        else:
            walk.choose(record.answer)
    except (BackspasmError, ValueError) as error:
        raise _unfit(record, where, str(error)) from None


def _unfit(record: Record, where: str, why: str) -> ProgressError:
    what = "quiz" if record.activity == "quiz" else "case"
    return ProgressError(
        f"{where}: expected an answer that fits the {what} {record.activity_id!r} as it is now, "
        f"got {show_value(record.answer)} at {show_value(record.item_id)} ({why})"
    )


def _quiz(quiz_id: str, where: str) -> Quiz:
    quiz = load_library().quizzes.get(quiz_id) or quick_checks().get(quiz_id)
    if quiz is None:
        known = sorted(load_library().quizzes) + sorted(quick_checks())
        raise ProgressError(
            f"{where}.activity_id: expected one of the course's quizzes ({', '.join(known)}), "
            f"got {show_value(quiz_id)}"
        )
    return quiz


def _scenario(scenario_id: str, where: str) -> Scenario:
    scenario = load_library().scenarios.get(scenario_id)
    if scenario is None:
        known = ", ".join(sorted(load_library().scenarios))
        raise ProgressError(
            f"{where}.activity_id: expected one of the course's cases ({known}), got "
            f"{show_value(scenario_id)}"
        )
    return scenario


@functools.cache
def quick_checks() -> dict[str, Quiz]:
    """The quick checks the app notebooks ask, by id, read from their ``QuizView`` cells.

    A quick check is ``QuizView(quiz_id, questions=[...])`` in a notebook's code; it is made
    again here with ``quick_check`` exactly as the view makes it. An id two notebooks define
    differently is left out, so runs of it are refused rather than replayed against the wrong one.
    """
    found: dict[str, Quiz | None] = {}
    quizzes = load_library().quizzes
    for notebook in app_notebooks():
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            for quiz_id, question_ids in _quiz_view_calls("".join(cell["source"])):
                if quiz_id not in quizzes:
                    continue
                try:
                    check = quick_check(quizzes[quiz_id], question_ids)
                except BackspasmError:
                    continue  # asks a question the quiz no longer has: it cannot be replayed
                if found.setdefault(check.id, check) != check:
                    found[check.id] = None
    return {check_id: check for check_id, check in found.items() if check is not None}


def _quiz_view_calls(source: str) -> list[tuple[str, list[str]]]:
    """Each ``QuizView("quiz", questions=[...])`` in a cell's code, as the quiz and questions."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # a cell of IPython magic: no quick check there
    calls = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        called = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
        questions = next((kw.value for kw in node.keywords if kw.arg == "questions"), None)
        if called != "QuizView" or questions is None:
            continue
        try:
            quiz_id, question_ids = ast.literal_eval(node.args[0]), ast.literal_eval(questions)
        except ValueError:
            continue  # worked out at run time: not a quick check that can be made again here
        if isinstance(quiz_id, str) and isinstance(question_ids, (list, tuple)):
            calls.append((quiz_id, [str(question) for question in question_ids]))
    return calls
