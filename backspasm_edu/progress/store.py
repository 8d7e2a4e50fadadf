"""The progress store: every quiz and case attempt, in SQLite or PostgreSQL, written by a Recorder.

ProgressStore is the one interface: ``ProgressStore(location)`` opens a SQLite file (the embedded
default) or, for a ``postgresql://`` URL, the store in ``progress.postgres``. Why one long
module: the record, the shared methods and the SQLite schema, writes, reads and checks of what
it is given all depend on one layout, kept together so they change together.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import math
import os
import sqlite3
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Self
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from backspasm_edu import __version__
from backspasm_edu.engines.recording import Action, RecordingFailed
from backspasm_edu.errors import BackspasmError, show_value
from backspasm_edu.settings import PROGRESS_ENV

FILE_NAME = "backspasm-progress.sqlite"
EXPORT_FORMAT = "backspasm-edu-progress"
EXPORT_VERSION = 1
APPLICATION_ID = 0x42535045  # "BSPE": marks a SQLite file as ours
SCHEMA_VERSION = 2
"""1: attempts only; 2 adds the names learners give and the pages they marked as done."""
BUSY_TIMEOUT_MS = 30_000
SQLITE_MAGIC = b"SQLite format 3\x00"
DATABASE_SCHEMES = ("postgresql://", "postgres://")
"""How a PostgreSQL location begins (libpq's two URL schemes)."""
SQLITE_SCHEME = "sqlite:///"
"""A SQLite location may be given as a URL too: ``sqlite:///`` and the file's path."""
HIDDEN = "***"

Activity = Literal["quiz", "scenario"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    record_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    learner TEXT NOT NULL,
    activity TEXT NOT NULL CHECK (activity IN ('quiz', 'scenario')),
    activity_id TEXT NOT NULL,
    seed INTEGER,
    item_id TEXT NOT NULL,
    topic TEXT,
    action TEXT NOT NULL CHECK (action IN ('answer', 'back')),
    answer TEXT,
    correct INTEGER,
    score REAL,
    attempt INTEGER NOT NULL,
    item_count INTEGER NOT NULL,
    finishes INTEGER NOT NULL CHECK (finishes IN (0, 1)),
    recorded_at TEXT NOT NULL,
    content_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_learner
    ON attempts (learner, activity, activity_id, recorded_at);
"""
_SCHEMA_2 = """
CREATE TABLE IF NOT EXISTS learner_names (
    learner TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    named_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pages_done (
    learner TEXT NOT NULL,
    page TEXT NOT NULL,
    done_at TEXT NOT NULL,
    PRIMARY KEY (learner, page)
);
"""
_TABLES = {"attempts", "learner_names", "pages_done"}


class ProgressError(BackspasmError):
    """A progress store or export file that cannot be used; the file is left as it was."""


@dataclass(frozen=True)
class Record:
    """One recorded step: an answer to a question, a choice in a case, or a step back."""

    record_id: str
    run_id: str
    learner: str
    activity: Activity
    activity_id: str
    seed: int | None
    item_id: str
    topic: str | None
    action: Action
    answer: Any
    correct: bool | None
    score: float | None
    attempt: int
    item_count: int
    finishes: bool
    recorded_at: str
    content_version: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, as written in an export file."""
        return asdict(self)


RECORD_COLUMNS = tuple(column.name for column in fields(Record))


@dataclass(frozen=True)
class Run:
    """One go at a quiz or case by one learner: its seed and every record, oldest first."""

    run_id: str
    learner: str
    activity: Activity
    activity_id: str
    seed: int | None
    records: tuple[Record, ...]


@functools.cache
def content_version() -> str:
    """The package version and a short digest of the packaged content files."""
    digest = hashlib.sha256()
    folder = resources.files("backspasm_edu").joinpath("content")
    for path in sorted(_walk(folder), key=lambda item: item[0]):
        digest.update(path[0].encode())
        digest.update(path[1])
    return f"{__version__}+{digest.hexdigest()[:10]}"


def _walk(folder: Any, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    for entry in folder.iterdir():
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, f"{name}/")
        elif entry.name.endswith((".yaml", ".yml")):
            yield name, entry.read_bytes()


def is_database_url(location: str | os.PathLike[str]) -> bool:
    """Whether a location names a PostgreSQL database (``postgresql://...``) rather than a file."""
    return isinstance(location, str) and location.startswith(DATABASE_SCHEMES)


def shown_location(location: str | os.PathLike[str]) -> str:
    """A location as messages and pages show it: a database URL with its password hidden."""
    text = os.fspath(location)
    if not is_database_url(text):
        return text
    parts = urlsplit(text)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}:{HIDDEN}@{host}"
    query = urlencode(
        [(key, HIDDEN if key == "password" else value) for key, value in parse_qsl(parts.query)],
        safe="*",
    )
    return urlunsplit(parts._replace(netloc=netloc, query=query))


def store_location(location: str | os.PathLike[str] | None = None) -> Path | str:
    """Where the store lives: a ``postgresql://`` URL as given, else the file of store_path."""
    chosen = location if location is not None else os.environ.get(PROGRESS_ENV) or None
    if chosen is not None and is_database_url(chosen):
        return os.fspath(chosen)
    return store_path(location)


def store_path(location: str | os.PathLike[str] | None = None) -> Path:
    """Where a SQLite store lives: the argument, else $BACKSPASM_EDU_PROGRESS, else the folder here.

    A folder (existing, or given with a trailing slash) means ``backspasm-progress.sqlite``
    in it; ``sqlite:///`` before a path is left out. Without either, the current folder is the
    course folder; when it cannot be written (a package installed read-only),
    ``~/.backspasm-edu/`` is used instead.
    """
    chosen = location if location is not None else os.environ.get(PROGRESS_ENV) or None
    if isinstance(chosen, str) and chosen.startswith(SQLITE_SCHEME):
        chosen = chosen.removeprefix(SQLITE_SCHEME)
    if chosen is not None:
        path = Path(chosen).expanduser()
        if path.is_dir() or str(chosen).endswith(("/", os.sep)):
            return path / FILE_NAME
        return path
    here = Path.cwd()
    if os.access(here, os.W_OK):
        return here / FILE_NAME
    return Path.home() / ".backspasm-edu" / FILE_NAME


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def record_time(text: str) -> datetime | None:
    """A record's ISO 8601 time in UTC (one without a zone is taken as UTC); None if not one."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _json_ready(value: Any) -> Any:
    """An answer as JSON can hold it: sets and tuples become sorted or plain lists."""
    if isinstance(value, (set, frozenset)):
        return sorted(_json_ready(item) for item in value)
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


class ProgressStore(ABC):
    """Where attempts, learners' names and pages done are kept; one interface, two kinds.

    ``ProgressStore(location)`` opens the store at ``store_location(location)``: a SQLiteStore
    for a file, a PostgresStore (``progress.postgres``) for a ``postgresql://`` URL. Each kind
    keeps records by id (a record written twice is kept once) and refuses, in one line naming
    it, a store that is not one of ours or is of a newer schema, without writing to it.
    ``name`` is how messages show the store: its file, or its URL with the password hidden.
    """

    name: str

    def __new__(cls, location: str | os.PathLike[str] | None = None) -> ProgressStore:
        if cls is not ProgressStore:
            return super().__new__(cls)
        if is_database_url(store_location(location)):
            from backspasm_edu.progress.postgres import PostgresStore

            return super().__new__(PostgresStore)
        return super().__new__(SQLiteStore)

    def __init__(self, location: str | os.PathLike[str] | None = None) -> None:
        self._listeners: list[Callable[[Record], None]] = []

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def subscribe(self, listener: Callable[[Record], None]) -> None:
        """Call ``listener`` with every record this store object writes."""
        self._listeners.append(listener)

    def record(self, record: Record) -> None:
        """Write one record and tell the listeners."""
        self.add([record])
        for listener in self._listeners:
            listener(record)

    def latest_run(self, learner: str, activity: Activity, activity_id: str) -> Run | None:
        """The learner's most recent run of an activity, or None if they never started it."""
        records = self.records(learner, activity, activity_id)
        if not records:
            return None
        run_id = records[-1].run_id
        mine = tuple(record for record in records if record.run_id == run_id)
        return Run(run_id, learner, activity, activity_id, mine[0].seed, mine)

    def export(self, learner: str | None = None) -> bytes:
        """A JSON export file of one learner's records (or all), for "Resume from file"."""
        names = self.names()
        document = {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": _now(),
            "content_version": content_version(),
            "learner": learner,
            "names": {key: name for key, name in names.items() if learner in (None, key)},
            "records": [record.to_dict() for record in self.records(learner)],
        }
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")

    @abstractmethod
    def add(self, records: Iterable[Record]) -> int:
        """Write records in one transaction; records already kept (same id) are skipped.

        Returns how many were new.
        """

    @abstractmethod
    def records(
        self,
        learner: str | None = None,
        activity: Activity | None = None,
        activity_id: str | None = None,
    ) -> list[Record]:
        """Records in the order they were made, optionally for one learner and activity."""

    @abstractmethod
    def learners(self) -> list[str]:
        """Every learner name in the store, sorted ("" is a learner who gave no name)."""

    @abstractmethod
    def set_name(self, learner: str, name: str) -> None:
        """Keep the name a learner gave (their label for the instructor); "" forgets it."""

    @abstractmethod
    def names(self) -> dict[str, str]:
        """The name each learner gave, by key."""

    @abstractmethod
    def mark_page_done(self, learner: str, page: str) -> None:
        """Keep that the learner marked a course page as done (once; the first time counts)."""

    @abstractmethod
    def pages_done(self, learner: str) -> set[str]:
        """The course pages the learner marked as done."""

    @abstractmethod
    def check_integrity(self) -> None:
        """Raise ProgressError (one line naming the store and what to do) if it is damaged."""

    @abstractmethod
    def close(self) -> None:
        """Close the connection; what is stored stays as it is."""


class SQLiteStore(ProgressStore):
    """A SQLite file of attempts, safe for many kernels writing at once (WAL, busy timeout).

    Opening checks that an existing file is one of ours: anything else (another program's
    database, a file that is not SQLite, a store from a newer version) raises ProgressError and
    the file is never written to.
    """

    def __init__(self, location: str | os.PathLike[str] | None = None) -> None:
        super().__init__(location)
        self.path = store_path(location)
        self.name = os.fspath(self.path)
        self._check_existing_file()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            self._connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._prepare()
        except sqlite3.DatabaseError as error:
            raise ProgressError(
                f"{self.path}: expected a backspasm-edu progress store, got a file SQLite "
                f"cannot use ({error}); it was left unchanged"
            ) from None
        except OSError as error:
            raise ProgressError(
                f"{self.path}: expected a folder the progress store can be written in, got "
                f"{error.strerror}"
            ) from None

    def _check_existing_file(self) -> None:
        if not self.path.exists():
            return
        if self.path.is_dir():
            raise ProgressError(f"{self.path}: expected a progress store file, got a folder")
        with open(self.path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
        if head and head != SQLITE_MAGIC:
            raise ProgressError(
                f"{self.path}: expected a backspasm-edu progress store (SQLite), got a file "
                f"starting with {show_value(head[:12])}; it was left unchanged"
            )

    def _prepare(self) -> None:
        """Check the file is ours (or empty) without writing to it, then set it up once."""
        self._check_ours()
        self._connection.execute("PRAGMA journal_mode = WAL")
        self._connection.execute("PRAGMA synchronous = NORMAL")
        with self._transaction() as cursor:
            # Checked again under the write lock: another kernel may have set the file up.
            if cursor.execute("PRAGMA application_id").fetchone()[0] == 0:
                cursor.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                _run_script(cursor, _SCHEMA)
            if cursor.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                _run_script(cursor, _SCHEMA_2)  # a version 1 store gains the new tables
                cursor.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _check_ours(self) -> None:
        connection = self._connection
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        if application_id not in (0, APPLICATION_ID):
            raise ProgressError(
                f"{self.path}: expected a backspasm-edu progress store, got another "
                f"program's SQLite database (application id {application_id:#x}); "
                "it was left unchanged"
            )
        tables = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
        }
        # A store another kernel is setting up right now has our table and no id yet.
        if application_id == 0 and tables - _TABLES:
            raise ProgressError(
                f"{self.path}: expected a backspasm-edu progress store, got a SQLite "
                f"database with other tables ({', '.join(sorted(tables))}); "
                "it was left unchanged"
            )
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ProgressError(
                f"{self.path}: expected a progress store of version {SCHEMA_VERSION} or "
                f"older, got version {version}: update backspasm-edu to read it"
            )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Cursor]:
        """A write transaction that takes the lock at once, so writers queue, never deadlock."""
        cursor = self._connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        try:
            yield cursor
        except BaseException:
            cursor.execute("ROLLBACK")
            raise
        else:
            cursor.execute("COMMIT")

    def check_integrity(self) -> None:
        """Raise ProgressError (one line naming the file and what to do) if the file is damaged.

        Runs SQLite's ``PRAGMA quick_check``, which reads every page: a store damaged past its
        header opens, but fails here.
        """
        _check_integrity(self._connection, self.path)

    def close(self) -> None:
        """Close the connection; the file stays as it is."""
        self._connection.close()

    def add(self, records: Iterable[Record]) -> int:
        """Write records in one transaction; records already kept (same id) are skipped.

        Returns how many were new.
        """
        rows = [record_row(record) for record in records]
        try:
            with self._transaction() as cursor:
                before = self._connection.total_changes
                cursor.executemany(
                    f"INSERT OR IGNORE INTO attempts ({', '.join(RECORD_COLUMNS)}) "
                    f"VALUES ({', '.join('?' * len(RECORD_COLUMNS))})",
                    rows,
                )
                added = self._connection.total_changes - before
        except sqlite3.DatabaseError as error:
            raise ProgressError(f"{self.path}: could not save progress ({error})") from None
        return added

    def records(
        self,
        learner: str | None = None,
        activity: Activity | None = None,
        activity_id: str | None = None,
    ) -> list[Record]:
        """Records in the order they were made, optionally for one learner and activity."""
        where, values = records_filter("?", learner, activity, activity_id)
        query = (
            f"SELECT {', '.join(RECORD_COLUMNS)} FROM attempts{where} ORDER BY recorded_at, rowid"
        )
        try:
            rows = self._connection.execute(query, values).fetchall()
        except sqlite3.DatabaseError as error:
            raise ProgressError(f"{self.path}: could not read progress ({error})") from None
        return [record_from_row(row) for row in rows]

    def learners(self) -> list[str]:
        """Every learner name in the store, sorted ("" is a learner who gave no name)."""
        rows = self._connection.execute("SELECT DISTINCT learner FROM attempts").fetchall()
        return sorted(name for (name,) in rows)

    def set_name(self, learner: str, name: str) -> None:
        """Keep the name a learner gave (their label for the instructor); "" forgets it."""
        try:
            with self._transaction() as cursor:
                if name:
                    cursor.execute(
                        "INSERT INTO learner_names (learner, name, named_at) VALUES (?, ?, ?) "
                        "ON CONFLICT (learner) DO UPDATE SET name = excluded.name, "
                        "named_at = excluded.named_at",
                        (learner, name, _now()),
                    )
                else:
                    cursor.execute("DELETE FROM learner_names WHERE learner = ?", (learner,))
        except sqlite3.DatabaseError as error:
            raise ProgressError(f"{self.path}: could not save the name ({error})") from None

    def names(self) -> dict[str, str]:
        """The name each learner gave, by key."""
        return dict(self._read("SELECT learner, name FROM learner_names", ()))

    def mark_page_done(self, learner: str, page: str) -> None:
        """Keep that the learner marked a course page as done (once; the first time counts)."""
        try:
            with self._transaction() as cursor:
                cursor.execute(
                    "INSERT OR IGNORE INTO pages_done (learner, page, done_at) VALUES (?, ?, ?)",
                    (learner, page, _now()),
                )
        except sqlite3.DatabaseError as error:
            raise ProgressError(f"{self.path}: could not save progress ({error})") from None

    def pages_done(self, learner: str) -> set[str]:
        """The course pages the learner marked as done."""
        rows = self._read("SELECT page FROM pages_done WHERE learner = ?", (learner,))
        return {page for (page,) in rows}

    def _read(self, query: str, values: Sequence[Any]) -> list[Any]:
        try:
            return self._connection.execute(query, values).fetchall()
        except sqlite3.DatabaseError as error:
            raise ProgressError(f"{self.path}: could not read progress ({error})") from None


def _check_integrity(connection: sqlite3.Connection, name: str | os.PathLike[str]) -> None:
    try:
        verdicts = [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError:
        verdicts = ["unreadable"]
    if verdicts != ["ok"]:
        raise ProgressError(
            f"{os.fspath(name)}: expected an undamaged progress store, got one SQLite finds "
            "damaged; keep a copy of it, then put back a backup or move it aside so a new "
            "store is started"
        )


def _run_script(cursor: sqlite3.Cursor, script: str) -> None:
    for statement in script.split(";"):
        if statement.strip():
            cursor.execute(statement)


def record_row(record: Record) -> tuple[Any, ...]:
    """A record as a row of RECORD_COLUMNS: the answer as JSON text, yes/no as 0 or 1."""
    values = record.to_dict()
    values["answer"] = None if record.answer is None else json.dumps(_json_ready(record.answer))
    values["correct"] = None if record.correct is None else int(record.correct)
    values["finishes"] = int(record.finishes)
    return tuple(values[column] for column in RECORD_COLUMNS)


def records_filter(
    placeholder: str,
    learner: str | None,
    activity: Activity | None,
    activity_id: str | None,
) -> tuple[str, list[str]]:
    """The WHERE clause (or "") and its values that keep one learner's or activity's records.

    ``placeholder`` is the database driver's parameter mark (``?`` for SQLite, ``%s`` for
    psycopg); only the given filters are used.
    """
    conditions, values = [], []
    for column, value in (
        ("learner", learner),
        ("activity", activity),
        ("activity_id", activity_id),
    ):
        if value is not None:
            conditions.append(f"{column} = {placeholder}")
            values.append(value)
    return (f" WHERE {' AND '.join(conditions)}" if conditions else ""), values


def record_from_row(row: Sequence[Any]) -> Record:
    """The record a row of RECORD_COLUMNS holds (as record_row wrote it)."""
    values = dict(zip(RECORD_COLUMNS, row, strict=True))
    values["answer"] = None if values["answer"] is None else json.loads(values["answer"])
    values["correct"] = None if values["correct"] is None else bool(values["correct"])
    values["finishes"] = bool(values["finishes"])
    return Record(**values)


class Recorder:
    """What an engine writes through: one learner's run of one activity, into one store."""

    def __init__(
        self,
        store: ProgressStore,
        learner: str,
        activity: Activity,
        activity_id: str,
        item_count: int,
        seed: int | None = None,
        run_id: str | None = None,
    ) -> None:
        self.store = store
        self.learner = learner
        self.activity: Activity = activity
        self.activity_id = activity_id
        self.item_count = item_count
        self.seed = seed
        self.run_id = run_id or uuid.uuid4().hex

    def new_run(self) -> None:
        """Start a new run: later records belong to a fresh go at the activity."""
        self.run_id = uuid.uuid4().hex

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
    ) -> Record:
        """Keep one step of the run in the store and return it.

        RecordingFailed (for the engines) when the store cannot keep it.
        """
        record = Record(
            record_id=uuid.uuid4().hex,
            run_id=self.run_id,
            learner=self.learner,
            activity=self.activity,
            activity_id=self.activity_id,
            seed=self.seed,
            item_id=item_id,
            topic=topic,
            action=action,
            answer=_json_ready(answer),
            correct=correct,
            score=score,
            attempt=attempt,
            item_count=self.item_count,
            finishes=finishes,
            recorded_at=_now(),
            content_version=content_version(),
        )
        try:
            self.store.record(record)
        except ProgressError as error:
            raise RecordingFailed(str(error)) from None
        return record


def latest_unfinished(
    store: ProgressStore, learner: str, activity: Activity, known_ids: Iterable[str]
) -> str | None:
    """The id of the learner's most recent run of this kind if it has not reached its end.

    Only ids in ``known_ids`` count (content that is still offered); a run that went back from
    an ending is unfinished again.
    """
    known = set(known_ids)
    records = [r for r in store.records(learner, activity) if r.activity_id in known]
    if not records:
        return None
    latest = records[-1]
    return None if latest.finishes else latest.activity_id


_default_stores: dict[Path | str, ProgressStore] = {}


def default_store() -> ProgressStore:
    """The store this kernel uses: one per location, opened on first use."""
    location = store_location()
    if location not in _default_stores:
        # ProgressStore.__new__ opens the kind of store the location names.
        _default_stores[location] = ProgressStore(location)  # type: ignore[abstract]
    return _default_stores[location]


RECORD_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "record_id": (str,),
    "run_id": (str,),
    "learner": (str,),
    "activity_id": (str,),
    "item_id": (str,),
    "attempt": (int,),
    "item_count": (int,),
    "recorded_at": (str,),
    "content_version": (str,),
}


def _store_uri(path: Path) -> str:
    """A read-only SQLite URI for the file.

    With no ``-wal`` file beside it no kernel has the store open, so it is opened immutable:
    SQLite then creates no ``-wal`` or ``-shm`` file next to it. A store in use is opened
    read-only, which reads the answers still in the write-ahead log and writes none.
    """
    uri = path.resolve().as_uri()
    wal = path.with_name(path.name + "-wal")
    return f"{uri}?immutable=1" if not wal.exists() else f"{uri}?mode=ro"


def check_store_integrity(path: Path, name: str) -> None:
    """Raise ProgressError if SQLite's quick check finds the store file damaged; reads only."""
    connection: sqlite3.Connection | None = None
    try:
        connection = sqlite3.connect(_store_uri(path), uri=True, timeout=30)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a SQLite file?
        _check_integrity(connection, name)
    except sqlite3.DatabaseError as error:
        raise ProgressError(
            f"{name}: expected a backspasm-edu progress store, got a file SQLite cannot read "
            f"({error})"
        ) from None
    finally:
        if connection is not None:
            connection.close()


def read_store(path: Path, name: str) -> list[Record]:
    """The records of a store file, read without writing anything.

    ProgressError names a file that is not a backspasm-edu store, or one newer than this version.
    """
    return read_store_and_names(path, name)[0]


def read_store_and_names(path: Path, name: str) -> tuple[list[Record], dict[str, str]]:
    """The records of a store file and the names its learners gave, read without writing."""
    connection: sqlite3.Connection | None = None
    try:
        connection = sqlite3.connect(_store_uri(path), uri=True, timeout=30)
        application_id = connection.execute("PRAGMA application_id").fetchone()[0]
        tables = {
            table
            for (table,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
        }
        if application_id not in (0, APPLICATION_ID) or "attempts" not in tables:
            what = (
                f"another program's SQLite database (application id {application_id:#x})"
                if application_id not in (0, APPLICATION_ID)
                else "a SQLite database without a table of attempts"
            )
            raise ProgressError(f"{name}: expected a backspasm-edu progress store, got {what}")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ProgressError(
                f"{name}: expected a progress store of version {SCHEMA_VERSION} or older, got "
                f"version {version}: update backspasm-edu to read it"
            )
        rows = connection.execute(
            f"SELECT {', '.join(RECORD_COLUMNS)} FROM attempts ORDER BY recorded_at, rowid"
        ).fetchall()
        records = [record_from_row(row) for row in rows]
        names: dict[str, str] = {}
        if "learner_names" in tables:
            names = dict(connection.execute("SELECT learner, name FROM learner_names"))
    except sqlite3.DatabaseError as error:
        raise ProgressError(
            f"{name}: expected a backspasm-edu progress store, got a file SQLite cannot read "
            f"({error})"
        ) from None
    except (ValueError, TypeError) as error:
        raise ProgressError(
            f"{name}: expected well-formed records, got one that is not ({error})"
        ) from None
    finally:
        if connection is not None:
            connection.close()
    return records, names
