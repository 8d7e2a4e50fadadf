"""The progress store: attempts recorded by the engines, resumed, exported, and never lost."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import subprocess
import sys

import pytest

from backspasm_edu.content.loader import load_quiz, load_scenario
from backspasm_edu.engines.quiz import QuizSession
from backspasm_edu.progress import (
    FILE_NAME,
    ProgressError,
    ProgressStore,
    Recorder,
    default_store,
    read_export,
    resume_quiz,
    resume_scenario,
    store_path,
)
from tests.builders import right_answer, wrong_answer
from tests.postgres_server import PASSWORD

WRITERS, ATTEMPTS_EACH = 8, 500


def first_option(session: QuizSession):
    """A well-formed answer built from the first shown options, right or wrong."""
    view = session.current
    assert view is not None
    options = [option.id for option in view.options]
    return {
        "single_choice": lambda: options[0],
        "true_false": lambda: options[0],
        "multiple_answers": lambda: options[:1],
        "ordering": lambda: options,
        "matching": lambda: {option: view.targets[0].id for option in options},
        "numeric": lambda: -1.0,
    }[view.type]()


def test_store_uses_wal_and_marks_the_file_as_ours(tmp_path):
    """A new store is a WAL-mode SQLite file carrying this package's application id."""
    store = ProgressStore(tmp_path / "course.sqlite")
    connection = sqlite3.connect(store.path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA application_id").fetchone()[0] == 0x42535045


def test_location_from_argument_environment_and_course_folder(tmp_path, monkeypatch):
    """The argument wins over the environment variable; a folder holds the standard file name."""
    monkeypatch.setenv("BACKSPASM_EDU_PROGRESS", str(tmp_path / "from-env.sqlite"))
    assert store_path() == tmp_path / "from-env.sqlite"
    assert store_path(tmp_path) == tmp_path / FILE_NAME
    assert store_path(str(tmp_path / "new-folder") + "/") == tmp_path / "new-folder" / FILE_NAME
    monkeypatch.delenv("BACKSPASM_EDU_PROGRESS")
    monkeypatch.chdir(tmp_path)
    assert store_path() == tmp_path / FILE_NAME


def test_quiz_answers_are_recorded_with_every_field(store_location):
    """Each answer is stored with learner, quiz, question, answer, correctness, attempt, version."""
    store = default_store()
    session = resume_quiz(load_quiz("when_to_seek_care"), store, "Ana")
    question_id = session.current.id
    session.answer(first_option(session))
    [record] = store.records("Ana")
    assert (record.learner, record.activity, record.activity_id) == (
        "Ana",
        "quiz",
        "when_to_seek_care",
    )
    assert record.item_id == question_id
    assert record.answer is not None
    assert isinstance(record.correct, bool)
    assert record.attempt == 1
    assert record.item_count == session.total
    assert record.content_version.startswith("0.")
    assert record.recorded_at.endswith("+00:00")


def test_quiz_resumes_after_a_kernel_restart(store_location):
    """A new process (a new store object on the same file) carries on at the same question and try."""
    quiz = load_quiz("when_to_seek_care")
    first = resume_quiz(quiz, ProgressStore(store_location), "Ben")
    for _ in range(3):
        first.answer(right_answer(first))
        first.next()
    while first.current.attempts_allowed == 1:  # stop at a question with a second try
        first.answer(right_answer(first))
        first.next()
    wrong = first.answer(wrong_answer(first))
    again = resume_quiz(quiz, ProgressStore(store_location), "Ben")
    assert again.seed == first.seed
    assert again.index == first.index >= 3
    assert again.current == first.current
    assert again.current.attempts_used == 1
    assert again.current_result == wrong
    assert again.summary() == first.summary()


def test_resume_replays_answers_through_the_engine_not_the_stored_verdict(store_location):
    """A stored record claiming a wrong answer was right is re-marked by the engine on resume."""
    quiz = load_quiz("when_to_seek_care")
    store = default_store()
    session = resume_quiz(quiz, store, "Ivy")
    while session.current.attempts_allowed == 1:
        session.answer(right_answer(session))
        session.next()
    session.answer(wrong_answer(session))
    honest = store.records("Ivy")
    forged = [
        dataclasses.replace(record, record_id=f"forged{n}", learner="Jo", run_id="jo")
        for n, record in enumerate(honest)
    ]
    forged[-1] = dataclasses.replace(forged[-1], correct=True, score=1.0)
    store.add(forged)
    resumed = resume_quiz(quiz, store, "Jo")
    assert resumed.current.id == session.current.id
    assert resumed.current_result == session.current_result
    assert resumed.current_result.correct is False
    assert resumed.current.attempts_used == 1 and not resumed.current_closed


def test_a_finished_quiz_resumes_at_its_summary_and_restart_begins_a_new_run(store_location):
    """After the last question the resumed session is finished; restarting starts a new run."""
    quiz = load_quiz("when_to_seek_care")
    store = default_store()
    session = resume_quiz(quiz, store, "")
    while not session.finished:
        while not session.current_closed:
            session.answer(first_option(session))
        session.next()
    assert resume_quiz(quiz, store, "").finished
    first_run = session.recorder.run_id
    session.restart()
    session.answer(first_option(session))
    resumed = resume_quiz(quiz, store, "")
    assert not resumed.finished
    assert resumed.recorder.run_id != first_run
    assert store.records("")[-1].finishes is False
    assert any(record.finishes for record in store.records("") if record.run_id == first_run)


def test_learners_do_not_resume_each_others_runs(store_location):
    """Progress is per learner name: another name starts at question 1."""
    quiz = load_quiz("when_to_seek_care")
    store = default_store()
    session = resume_quiz(quiz, store, "Cy")
    session.answer(right_answer(session))
    session.next()
    assert resume_quiz(quiz, store, "Dee").index == 0
    assert resume_quiz(quiz, store, "Cy").index == 1


def test_scenario_resumes_with_back_steps_replayed(store_location):
    """Choices and steps back are recorded, so the case resumes at the same node and path."""
    case = load_scenario("hidden_red_flag")
    store = default_store()
    session = resume_scenario(case, store, "Eve")
    session.choose(session.current.choices[1].id)
    session.back()
    session.choose(session.current.choices[0].id)
    again = resume_scenario(case, store, "Eve")
    assert again.current.id == session.current.id
    assert [step.choice_id for step in again.history] == [
        step.choice_id for step in session.history
    ]
    assert [record.action for record in store.records("Eve")] == ["answer", "back", "answer"]


def test_scenario_ending_is_recorded_as_finishing(store_location):
    """The choice that reaches an ending is the record that finishes the run."""
    case = load_scenario("hidden_red_flag")
    store = default_store()
    session = resume_scenario(case, store, "Flo")
    while not session.finished:
        session.choose(session.current.choices[0].id)
    records = store.records("Flo")
    assert [record.finishes for record in records] == [False] * (len(records) - 1) + [True]


def test_a_run_that_no_longer_fits_the_quiz_is_kept_and_a_new_run_begins(store_location):
    """If content changed so a recorded answer no longer replays, nothing is lost or replayed."""
    quiz = load_quiz("when_to_seek_care")
    store = default_store()
    recorder = Recorder(store, "Gus", "quiz", quiz.id, len(quiz.questions), seed=1)
    recorder.record(
        item_id="a_question_since_removed", answer="x", correct=False, score=0, attempt=1
    )
    session = resume_quiz(quiz, store, "Gus")
    assert session.index == 0 and session.recorder.run_id != recorder.run_id
    assert len(store.records("Gus")) == 1


# One writer: a separate Python that imports the installed package, as a kernel does.
WRITER = """
import sys
from backspasm_edu.progress import ProgressStore, Recorder
path, writer, attempts = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
store = ProgressStore(path)
recorder = Recorder(store, f"learner {writer}", "quiz", "when_to_seek_care", 12, seed=writer)
for attempt in range(attempts):
    recorder.record(
        item_id=f"q{attempt % 12}", answer="a", correct=True, score=1.0, attempt=attempt
    )
store.close()
"""


@pytest.mark.slow
def test_many_kernels_writing_at_once_lose_nothing(tmp_path):
    """8 processes writing 500 attempts each at the same time leave all 4000 in the store."""
    path = str(tmp_path / FILE_NAME)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, path, str(n), str(ATTEMPTS_EACH)])
        for n in range(WRITERS)
    ]
    assert [process.wait(timeout=300) for process in writers] == [0] * WRITERS
    store = ProgressStore(path)
    assert len(store.records()) == WRITERS * ATTEMPTS_EACH
    assert len(store.learners()) == WRITERS


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is a shopping list, not a database\n", "got a file starting with"),
        (b"\x00\x01\x02" * 100, "got a file starting with"),
    ],
)
def test_a_file_that_is_not_sqlite_is_refused_and_left_unchanged(tmp_path, content, message):
    """A corrupted or foreign file gives a clear error naming it and is never overwritten."""
    path = tmp_path / FILE_NAME
    path.write_bytes(content)
    with pytest.raises(ProgressError, match=message) as caught:
        ProgressStore(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content


def test_another_programs_database_is_refused_and_left_unchanged(tmp_path):
    """A SQLite file with someone else's tables is not taken over."""
    path = tmp_path / "grades.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE grades (student TEXT, mark INTEGER)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(ProgressError, match=r"other tables \(grades\)"):
        ProgressStore(path)
    assert path.read_bytes() == before


def test_a_truncated_store_gives_a_clear_error(tmp_path):
    """A store cut short (a broken copy) is reported by name, not as an sqlite3 traceback."""
    path = tmp_path / FILE_NAME
    store = ProgressStore(path)
    Recorder(store, "", "quiz", "q", 1).record(
        item_id="x", answer=1, correct=True, score=1, attempt=1
    )
    store.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xff" * 50)
    with pytest.raises(ProgressError, match=FILE_NAME):
        ProgressStore(path).records()


def test_the_integrity_check_finds_a_store_damaged_past_its_header(tmp_path):
    """A store with bytes overwritten mid-file still opens, but check_integrity names it and what to do."""
    path = tmp_path / FILE_NAME
    store = ProgressStore(path)
    first = Recorder(store, "Ana", "quiz", "q", 1).record(
        item_id="x", answer=1, correct=True, score=1, attempt=1
    )
    store.add(dataclasses.replace(first, record_id=f"copy{n}") for n in range(300))
    store.check_integrity()  # an intact store passes
    store.close()
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 1000] = b"\xa5" * 1000
    path.write_bytes(bytes(data))

    with ProgressStore(path) as damaged, pytest.raises(ProgressError) as raised:
        damaged.check_integrity()

    assert str(raised.value) == (
        f"{path}: expected an undamaged progress store, got one SQLite finds damaged; keep a "
        "copy of it, then put back a backup or move it aside so a new store is started"
    )


def test_a_store_from_a_newer_version_is_refused(tmp_path):
    """A store written by a later schema version asks for an update instead of guessing."""
    path = tmp_path / FILE_NAME
    ProgressStore(path).close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    with pytest.raises(ProgressError, match="got version 99"):
        ProgressStore(path)


def test_export_restores_into_another_store_without_duplicates(tmp_path, store_location):
    """Download then "resume from file" brings back every record, and twice adds nothing."""
    quiz = load_quiz("when_to_seek_care")
    home = ProgressStore(store_location)
    session = resume_quiz(quiz, home, "Hal")
    session.answer(wrong_answer(session))
    exported = home.export("Hal")
    binder = ProgressStore(tmp_path / "binder.sqlite")
    records = read_export(exported)
    assert binder.add(records) == 1
    assert binder.add(records) == 0
    if session.current_closed:  # a one-try question: a reload opens the next one
        session.next()
    assert resume_quiz(quiz, binder, "Hal").current.id == session.current.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe", "got bytes that are not text"),
        (b"{not json", "got invalid JSON"),
        (b"[]", "format: expected 'backspasm-edu-progress', got 'list'"),
        (json.dumps({"format": "backspasm-edu-progress", "version": 7}).encode(), "version"),
        (
            json.dumps({"format": "backspasm-edu-progress", "version": 1, "records": {}}).encode(),
            "records: expected a list",
        ),
    ],
)
def test_bad_export_files_are_named_clearly(data, message):
    """A file that is not an export gives a one-line error saying what was expected."""
    with pytest.raises(ProgressError, match=message):
        read_export(data, "upload.json")


def test_a_bad_field_in_an_export_names_its_record_and_field(tmp_path):
    """A record with a wrong value names records[i].field, the expected and the actual value."""
    store = ProgressStore(tmp_path / "s.sqlite")
    Recorder(store, "", "quiz", "q", 1).record(
        item_id="x", answer=1, correct=True, score=1, attempt=1
    )
    document = json.loads(store.export())
    document["records"][0]["correct"] = "yes"
    with pytest.raises(
        ProgressError, match=r"records\[0\]\.correct: expected true, false or null, got 'yes'"
    ):
        read_export(json.dumps(document).encode(), "upload.json")


def test_progress_store_is_part_of_the_light_core(tmp_path):
    """Recording progress needs neither ipywidgets nor pandas."""
    import subprocess
    import sys

    code = (
        "import sys, backspasm_edu.progress as p; "
        "print('ipywidgets' in sys.modules or 'pandas' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_stores_are_opened_once_per_location(store_location):
    """default_store() hands back the same open store on every call in one kernel."""
    assert default_store() is default_store()
    assert default_store().name == str(store_location).replace(PASSWORD, "***")
