"""Resume a learner's unfinished quiz or case from the store, replaying their answers."""

from __future__ import annotations

from backspasm_edu.content.model import Quiz, Scenario
from backspasm_edu.engines.quiz import QuizSession
from backspasm_edu.engines.scenario import ScenarioSession
from backspasm_edu.errors import BackspasmError
from backspasm_edu.progress.store import ProgressError, ProgressStore, Record, Recorder, Run


def resume_quiz(
    quiz: Quiz, store: ProgressStore, learner: str = "", *, seed: int | None = None
) -> QuizSession:
    """The learner's latest run of the quiz, replayed, and recording on; else a fresh run.

    ``seed`` orders a fresh run. Answers are replayed through the engine in order, so scores
    and attempts are the engine's own. A run that no longer replays (the quiz changed since)
    is kept in the store and a new run begins.
    """
    run = store.latest_run(learner, "quiz", quiz.id)
    if run is not None:
        try:
            session = replay_quiz(quiz, run)
        except (BackspasmError, ValueError):
            run = None
        else:
            session.recorder = Recorder(
                store, learner, "quiz", quiz.id, len(quiz.questions), run.seed, run.run_id
            )
            return session
    session = QuizSession(quiz, seed=seed)
    session.recorder = Recorder(store, learner, "quiz", quiz.id, len(quiz.questions), session.seed)
    return session


def replay_quiz(quiz: Quiz, run: Run) -> QuizSession:
    """A session that has been through the run's answers, scored by the engine, not recording.

    It stands at the question after the last one closed, or at the open one. ProgressError
    (or the engine's own error) when the run does not fit the quiz as it is now.
    """
    session = QuizSession(quiz, seed=run.seed)
    for record in run.records:
        _replay_answer(session, record)
    if session.current_closed:
        session.next()
    return session


def _replay_answer(session: QuizSession, record: Record) -> None:
    current = session.current_question_id
    if current is not None and current != record.item_id and session.current_closed:
        session.next()
        current = session.current_question_id
    if current != record.item_id:
        raise ProgressError(f"record {record.record_id} does not fit the quiz as it is now")
    session.answer(record.answer)


def resume_scenario(scenario: Scenario, store: ProgressStore, learner: str = "") -> ScenarioSession:
    """The learner's latest walk through the case, replayed, and recording on; else a new one."""
    run = store.latest_run(learner, "scenario", scenario.id)
    item_count = len(scenario.nodes)
    if run is not None:
        try:
            session = replay_scenario(scenario, run)
        except (BackspasmError, ValueError):
            run = None
        else:
            session.recorder = Recorder(
                store, learner, "scenario", scenario.id, item_count, None, run.run_id
            )
            return session
    session = ScenarioSession(scenario)
    session.recorder = Recorder(store, learner, "scenario", scenario.id, item_count)
    return session


def replay_scenario(scenario: Scenario, run: Run) -> ScenarioSession:
    """A walk that has made the run's choices and steps back, scored by the engine, not recording.

    The engine's own error when the run does not fit the case as it is now.
    """
    session = ScenarioSession(scenario)
    for record in run.records:
        if record.action == "back":
            session.back()
        else:
            session.choose(str(record.answer))
    return session
