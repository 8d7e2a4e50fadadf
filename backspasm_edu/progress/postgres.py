"""The progress store in PostgreSQL (psycopg 3): one database a class's servers all write to."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

from backspasm_edu.progress import store  # store._now, looked up when called: the tests' clock
from backspasm_edu.progress.store import (
    APPLICATION_ID,
    HIDDEN,
    RECORD_COLUMNS,
    Activity,
    ProgressError,
    ProgressStore,
    Record,
    record_from_row,
    record_row,
    records_filter,
    shown_location,
    store_location,
)

if TYPE_CHECKING:
    import psycopg

SCHEMA = "backspasm_edu"
"""The PostgreSQL schema that holds the store's tables, apart from anything else in the database."""

MIGRATIONS = (
    """
    CREATE TABLE attempts (
        position BIGINT GENERATED ALWAYS AS IDENTITY,
        record_id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        learner TEXT NOT NULL,
        activity TEXT NOT NULL CHECK (activity IN ('quiz', 'scenario')),
        activity_id TEXT NOT NULL,
        seed BIGINT,
        item_id TEXT NOT NULL,
        topic TEXT,
        action TEXT NOT NULL CHECK (action IN ('answer', 'back')),
        answer TEXT,
        correct SMALLINT CHECK (correct IN (0, 1)),
        score DOUBLE PRECISION,
        attempt BIGINT NOT NULL,
        item_count BIGINT NOT NULL,
        finishes SMALLINT NOT NULL CHECK (finishes IN (0, 1)),
        recorded_at TEXT NOT NULL,
        content_version TEXT NOT NULL
    );
    CREATE INDEX attempts_by_learner
        ON attempts (learner, activity, activity_id, recorded_at, position)
    """,
    """
    CREATE TABLE learner_names (
        learner TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        named_at TEXT NOT NULL
    );
    CREATE TABLE pages_done (
        learner TEXT NOT NULL,
        page TEXT NOT NULL,
        done_at TEXT NOT NULL,
        PRIMARY KEY (learner, page)
    );
    CREATE TABLE course_secret (
        only_one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_one),
        secret BYTEA NOT NULL
    )
    """,
)
"""Each step of the schema, in order: step n takes a store from version n - 1 to n."""
SCHEMA_VERSION = len(MIGRATIONS)
"""1: attempts only; 2 adds learners' names, the pages they marked as done and the course secret."""
_TABLES = ("attempts", "learner_names", "pages_done", "course_secret")
_SELECT_RECORDS = f"SELECT {', '.join(RECORD_COLUMNS)} FROM attempts"
_ORDER = " ORDER BY recorded_at, position"
_INSERT_RECORD = (
    f"INSERT INTO attempts ({', '.join(RECORD_COLUMNS)}) "
    f"VALUES ({', '.join(['%s'] * len(RECORD_COLUMNS))}) ON CONFLICT (record_id) DO NOTHING"
)
_CONNECT_SECONDS = 10

Result = TypeVar("Result")


def _driver() -> Any:
    """psycopg, or ProgressError saying how to install it."""
    try:
        import psycopg
    except ImportError:
        raise ProgressError(
            "a postgresql:// progress store needs psycopg: install it with "
            "pip install 'backspasm-edu[postgres]'"
        ) from None
    return psycopg


def _one_line(error: Exception, url: str) -> str:
    """The driver's message in one line, without the password should libpq repeat it."""
    text = " ".join(str(error).split()) or type(error).__name__
    for secret in {_password(url)} - {""}:
        text = text.replace(secret, HIDDEN)
    return text


def _password(url: str) -> str:
    parts = urlsplit(url)
    given = dict(parse_qsl(parts.query)).get("password", "")
    return unquote(parts.password or "") or given


def _connect(url: str, name: str, *, read_only: bool = False) -> psycopg.Connection[Any]:
    driver = _driver()
    try:
        connection: psycopg.Connection[Any] = driver.connect(
            url, autocommit=True, connect_timeout=_CONNECT_SECONDS
        )
        connection.execute(f"SET search_path TO {SCHEMA}")
    except driver.Error as error:
        raise ProgressError(
            f"{name}: expected a PostgreSQL server that takes this login, got "
            f"{_one_line(error, url)}"
        ) from None
    if read_only:
        connection.read_only = True
        connection.isolation_level = driver.IsolationLevel.REPEATABLE_READ
    return connection


def _version(cursor: psycopg.Cursor[Any]) -> int | None:
    """The store's schema version; None when the database holds no store yet."""
    [(table,)] = cursor.execute("SELECT to_regclass(%s)", (f"{SCHEMA}.schema_version",)).fetchall()
    if table is None:
        return None
    row = cursor.execute("SELECT max(version) FROM schema_version").fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _refuse_newer(version: int | None, name: str) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise ProgressError(
            f"{name}: expected a progress store of version {SCHEMA_VERSION} or older, got "
            f"version {version}: update backspasm-edu to read it"
        )


class PostgresStore(ProgressStore):
    """Attempts in a PostgreSQL database, for many servers writing at once.

    Every write is one transaction and records are kept by id, so a write retried after a lost
    connection (the store reconnects once) is never kept twice. The tables live in the schema
    ``backspasm_edu``, made on first use and moved forward by MIGRATIONS under a lock; a store
    of a newer version is refused and left unchanged.
    """

    def __init__(self, location: str | os.PathLike[str] | None = None) -> None:
        super().__init__(location)
        self.url = os.fspath(store_location(location))
        self.name = shown_location(self.url)
        self._psycopg = _driver()
        self._connection = _connect(self.url, self.name)
        try:
            self._prepare()
        except ProgressError:
            self._connection.close()
            raise

    def _prepare(self) -> None:
        """Check the schema version; make or move the schema forward under an advisory lock."""
        with self._connection.cursor() as cursor:
            version = _version(cursor)
        _refuse_newer(version, self.name)
        if version == SCHEMA_VERSION:
            return

        def migrate(cursor: psycopg.Cursor[Any]) -> None:
            # Checked again under the lock: another server may have moved it on meanwhile.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", (APPLICATION_ID,))
            cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            cursor.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            current = _version(cursor) or 0
            _refuse_newer(current, self.name)
            for step in MIGRATIONS[current:]:
                cursor.execute(step)
            cursor.execute("DELETE FROM schema_version")
            cursor.execute("INSERT INTO schema_version VALUES (%s)", (SCHEMA_VERSION,))

        self._run(migrate, "could not set up the progress store")

    def _run(self, work: Callable[[psycopg.Cursor[Any]], Result], failed: str) -> Result:
        """Do ``work`` in one transaction; once more on a new connection if the old one was lost.

        Records are kept by id, so a write done again after a lost connection is kept once.
        """
        try:
            try:
                return self._transaction(work)
            except self._psycopg.OperationalError:
                if not self._connection.closed:
                    raise
                self._connection = _connect(self.url, self.name)
                return self._transaction(work)
        except self._psycopg.Error as error:
            raise ProgressError(f"{self.name}: {failed} ({_one_line(error, self.url)})") from None

    def _transaction(self, work: Callable[[psycopg.Cursor[Any]], Result]) -> Result:
        with self._connection.transaction(), self._connection.cursor() as cursor:
            return work(cursor)

    def check_integrity(self) -> None:
        """Raise ProgressError if a table of the store is missing or cannot be read."""

        def read_each(cursor: psycopg.Cursor[Any]) -> None:
            for table in _TABLES:
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")

        self._run(read_each, "expected every table of a progress store, got an error")

    def close(self) -> None:
        """Close the connection; the database stays as it is."""
        self._connection.close()

    def add(self, records: Iterable[Record]) -> int:
        """Write records in one transaction; records already kept (same id) are skipped.

        Returns how many were new.
        """
        rows = [record_row(record) for record in records]

        def insert(cursor: psycopg.Cursor[Any]) -> int:
            cursor.executemany(_INSERT_RECORD, rows)
            return max(cursor.rowcount, 0)

        return self._run(insert, "could not save progress")

    def records(
        self,
        learner: str | None = None,
        activity: Activity | None = None,
        activity_id: str | None = None,
    ) -> list[Record]:
        """Records in the order they were made, optionally for one learner and activity."""
        where, values = records_filter("%s", learner, activity, activity_id)
        rows = self._read(_SELECT_RECORDS + where + _ORDER, values)
        return [record_from_row(row) for row in rows]

    def learners(self) -> list[str]:
        """Every learner name in the store, sorted ("" is a learner who gave no name)."""
        return sorted(name for (name,) in self._read("SELECT DISTINCT learner FROM attempts", ()))

    def set_name(self, learner: str, name: str) -> None:
        """Keep the name a learner gave (their label for the instructor); "" forgets it."""

        def save(cursor: psycopg.Cursor[Any]) -> None:
            if name:
                cursor.execute(
                    "INSERT INTO learner_names (learner, name, named_at) VALUES (%s, %s, %s) "
                    "ON CONFLICT (learner) DO UPDATE SET name = excluded.name, "
                    "named_at = excluded.named_at",
                    (learner, name, store._now()),
                )
            else:
                cursor.execute("DELETE FROM learner_names WHERE learner = %s", (learner,))

        self._run(save, "could not save the name")

    def names(self) -> dict[str, str]:
        """The name each learner gave, by key."""
        return dict(self._read("SELECT learner, name FROM learner_names", ()))

    def mark_page_done(self, learner: str, page: str) -> None:
        """Keep that the learner marked a course page as done (once; the first time counts)."""

        def mark(cursor: psycopg.Cursor[Any]) -> None:
            cursor.execute(
                "INSERT INTO pages_done (learner, page, done_at) VALUES (%s, %s, %s) "
                "ON CONFLICT (learner, page) DO NOTHING",
                (learner, page, store._now()),
            )

        self._run(mark, "could not save progress")

    def pages_done(self, learner: str) -> set[str]:
        """The course pages the learner marked as done."""
        rows = self._read("SELECT page FROM pages_done WHERE learner = %s", (learner,))
        return {page for (page,) in rows}

    def course_secret(self) -> bytes:
        """The course's secret that signs class links, made once and shared by every server."""

        def secret(cursor: psycopg.Cursor[Any]) -> bytes:
            cursor.execute(
                "INSERT INTO course_secret (secret) VALUES (%s) ON CONFLICT DO NOTHING",
                (secrets.token_bytes(32),),
            )
            [(kept,)] = cursor.execute("SELECT secret FROM course_secret").fetchall()
            return bytes(kept)

        return self._run(secret, "could not keep the course secret")

    def _read(self, query: str, values: Sequence[Any]) -> list[Any]:
        return self._run(
            lambda cursor: cursor.execute(query, values).fetchall(), "could not read progress"
        )


def read_database(url: str) -> tuple[list[Record], dict[str, str]]:
    """The records of a PostgreSQL store and the names its learners gave; writes nothing.

    Read in one read-only transaction, so records and names are one consistent snapshot.
    """
    name = shown_location(url)
    connection = _connect(url, name, read_only=True)
    driver = _driver()
    try:
        with connection.transaction(), connection.cursor() as cursor:
            version = _version(cursor)
            if version is None:
                raise ProgressError(
                    f"{name}: expected a backspasm-edu progress store, got a database without one"
                )
            _refuse_newer(version, name)
            rows = cursor.execute(_SELECT_RECORDS + _ORDER).fetchall()
            names = dict(cursor.execute("SELECT learner, name FROM learner_names").fetchall())
        return [record_from_row(row) for row in rows], names
    except driver.Error as error:
        raise ProgressError(f"{name}: could not read progress ({_one_line(error, url)})") from None
    finally:
        connection.close()
