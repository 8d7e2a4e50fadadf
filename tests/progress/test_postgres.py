"""The PostgreSQL store against a real server: its schema, many writers, killed writers, passwords."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import psycopg
import pytest

from backspasm_edu.app.serve import progress_location
from backspasm_edu.progress import (
    ProgressError,
    ProgressStore,
    Recorder,
    course_secret,
    shown_location,
)
from backspasm_edu.progress.postgres import SCHEMA_VERSION, PostgresStore, read_database
from backspasm_edu.progress.store import SQLiteStore
from tests.postgres_server import PASSWORD
from tests.progress.test_progress import ATTEMPTS_EACH, WRITER, WRITERS

network = pytest.mark.network


def one_record(store: ProgressStore, learner: str = "Ana"):
    """One recorded answer in the store."""
    return Recorder(store, learner, "quiz", "when_to_seek_care", 3).record(
        item_id="q1", answer=["a", "b"], correct=True, score=1.0, attempt=1
    )


def test_a_location_picks_its_kind_of_store(tmp_path):
    """A path or a sqlite:/// URL opens a SQLite file; ProgressStore is the one interface."""
    by_path = ProgressStore(tmp_path / "a.sqlite")
    by_url = ProgressStore(f"sqlite:///{tmp_path}/b.sqlite")
    assert isinstance(by_path, SQLiteStore) and isinstance(by_url, SQLiteStore)
    assert by_url.path == tmp_path / "b.sqlite" and by_url.path.exists()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://ana:pa%40ss@db.example:5432/class",
            "postgresql://ana:***@db.example:5432/class",
        ),
        ("postgres://db/class?user=ana&password=pw", "postgres://db/class?user=ana&password=***"),
        ("postgresql://ana@db/class", "postgresql://ana@db/class"),
        ("/home/ana/backspasm-progress.sqlite", "/home/ana/backspasm-progress.sqlite"),
    ],
)
def test_a_database_url_is_shown_without_its_password(url, shown):
    """Messages and pages show a URL's password (in the user part or the query) as ***."""
    assert shown_location(url) == shown


def test_a_server_that_cannot_be_reached_gives_one_line_without_the_password(unused_port):
    """No server at the URL: ProgressError in one line naming the URL with the password hidden."""
    url = f"postgresql://ana:{PASSWORD}@127.0.0.1:{unused_port}/class"
    with pytest.raises(ProgressError) as raised:
        ProgressStore(url)
    message = str(raised.value)
    assert message.startswith(
        f"postgresql://ana:***@127.0.0.1:{unused_port}/class: expected a PostgreSQL server "
        "that takes this login, got "
    )
    assert "\n" not in message and PASSWORD not in message


@pytest.fixture
def unused_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@network
def test_a_new_database_gets_the_schema_once_at_the_current_version(postgres_url):
    """The first store makes the schema and its version row; a second open changes nothing."""
    first = ProgressStore(postgres_url)
    assert isinstance(first, PostgresStore)
    one_record(first)
    second = ProgressStore(postgres_url)
    with psycopg.connect(postgres_url) as connection:
        versions = connection.execute("SELECT version FROM backspasm_edu.schema_version").fetchall()
        tables = connection.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'backspasm_edu' ORDER BY table_name"
        ).fetchall()
    assert versions == [(SCHEMA_VERSION,)]
    assert [name for (name,) in tables] == [
        "attempts",
        "course_secret",
        "learner_names",
        "pages_done",
        "schema_version",
    ]
    assert [record.answer for record in second.records("Ana")] == [["a", "b"]]
    second.check_integrity()


@network
def test_a_store_of_a_newer_version_is_refused_in_one_line_and_left_unchanged(postgres_url):
    """A database set up by a later backspasm-edu asks for an update; nothing is written."""
    one_record(ProgressStore(postgres_url))
    with psycopg.connect(postgres_url) as connection:
        connection.execute("UPDATE backspasm_edu.schema_version SET version = 99")
    with pytest.raises(ProgressError) as raised:
        ProgressStore(postgres_url)
    assert str(raised.value) == (
        f"{shown_location(postgres_url)}: expected a progress store of version {SCHEMA_VERSION} "
        "or older, got version 99: update backspasm-edu to read it"
    )
    with pytest.raises(ProgressError, match="got version 99"):
        read_database(postgres_url)
    with psycopg.connect(postgres_url) as connection:
        assert connection.execute("SELECT count(*) FROM backspasm_edu.attempts").fetchone() == (1,)


@network
def test_the_integrity_check_names_a_missing_table(postgres_url):
    """A store whose table was dropped still opens, but check_integrity names the table in one line."""
    store = ProgressStore(postgres_url)
    with psycopg.connect(postgres_url) as connection:
        connection.execute("DROP TABLE backspasm_edu.pages_done")
    with pytest.raises(ProgressError) as raised:
        store.check_integrity()
    message = str(raised.value)
    assert message.startswith(
        f"{shown_location(postgres_url)}: expected every table of a progress store, got an error"
    )
    assert "pages_done" in message and "\n" not in message


@network
def test_reading_a_database_without_a_store_writes_nothing(postgres_url):
    """report on an empty database says it holds no store and makes no schema there."""
    with pytest.raises(ProgressError, match="got a database without one"):
        read_database(postgres_url)
    with psycopg.connect(postgres_url) as connection:
        schemas = connection.execute(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'backspasm_edu'"
        ).fetchone()
    assert schemas == (0,)


@network
def test_a_write_after_the_server_dropped_the_connection_is_kept_once(postgres_url):
    """The store reconnects once when its connection is cut; a retried write is not doubled."""
    store = ProgressStore(postgres_url)
    first = one_record(store)
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    second = dataclasses.replace(first, record_id="second")
    assert store.add([first, second]) == 1  # the first was kept before: only the second is new
    assert store.add([first, second]) == 0
    assert [record.record_id for record in store.records("Ana")] == [first.record_id, "second"]


@network
def test_the_course_secret_is_kept_in_the_database_for_every_server(
    postgres_url, tmp_path, monkeypatch
):
    """Class links signed on one server check on another: the secret lives in the database."""
    monkeypatch.chdir(tmp_path)
    assert progress_location(postgres_url) == postgres_url
    first = course_secret(postgres_url)
    assert len(first) == 32 and course_secret(postgres_url) == first
    with psycopg.connect(postgres_url) as connection:
        kept = connection.execute("SELECT secret FROM backspasm_edu.course_secret").fetchall()
    assert kept == [(first,)]
    assert [path.name for path in tmp_path.iterdir()] == ["progress"]  # no file beside a URL


@network
@pytest.mark.slow
def test_many_kernels_writing_at_once_lose_nothing_in_postgres(postgres_url):
    """8 processes that set up a new database at once, then write 500 attempts each, leave all 4000 once."""
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, postgres_url, str(n), str(ATTEMPTS_EACH)])
        for n in range(WRITERS)
    ]
    assert [process.wait(timeout=300) for process in writers] == [0] * WRITERS
    store = ProgressStore(postgres_url)
    records = store.records()
    assert len(records) == len({record.record_id for record in records}) == WRITERS * ATTEMPTS_EACH
    assert Counter(record.learner for record in records) == {
        f"learner {n}": ATTEMPTS_EACH for n in range(WRITERS)
    }


# A writer that adds batches of 50 records in one transaction each, until it is killed.
BATCH_WRITER = """
import dataclasses, sys
from backspasm_edu.progress import ProgressStore, Recorder
url, writer = sys.argv[1], int(sys.argv[2])
store = ProgressStore(url)
template = Recorder(store, f"writer {writer}", "quiz", "q", 50).record(
    item_id="first", answer="a", correct=True, score=1.0, attempt=1
)
print("writing", flush=True)
batch = 0
while True:
    batch += 1
    store.add(
        dataclasses.replace(template, record_id=f"{writer}-{batch}-{n}", item_id=f"b{batch}")
        for n in range(50)
    )
"""


@network
@pytest.mark.slow
def test_writers_killed_mid_write_leave_no_partial_batch(postgres_url):
    """Writers killed with SIGKILL while writing leave whole batches only; the store still works."""
    ProgressStore(postgres_url).close()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", BATCH_WRITER, postgres_url, str(n)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for process in writers:
        assert process.stdout.readline() == "writing\n"
    time.sleep(1.5)
    for process in writers:
        os.kill(process.pid, signal.SIGKILL)
    assert [process.wait(timeout=30) for process in writers] == [-signal.SIGKILL] * 4

    store = ProgressStore(postgres_url)
    store.check_integrity()
    per_batch = Counter(
        (record.learner, record.item_id) for record in store.records() if record.item_id != "first"
    )
    assert per_batch, "the writers wrote no batch before they were killed"
    assert set(per_batch.values()) == {50}
    for writer in range(4):  # every writer wrote batches 1..n, each whole
        batches = sorted(
            int(item[1:]) for learner, item in per_batch if learner == f"writer {writer}"
        )
        assert batches == list(range(1, len(batches) + 1))
    one_record(store, "after")
    assert len(store.records("after")) == 1
