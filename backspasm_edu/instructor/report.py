"""Class results for instructors: records merged from stores and exports, as tidy tables.

Stores are opened read-only and export files are only read: nothing given here is written to.
pandas is imported when a table is made, so reading records needs none.

Why one long module: reading records, the tidy table and each summary table share the record
columns and their wording. The gradebook (``instructor.gradebook``) and the class figures in
words (``instructor.figures``) are modules of their own; ``run_report`` writes them all.
"""

from __future__ import annotations

import json
import math
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backspasm_edu.errors import InputError, show_value
from backspasm_edu.progress import (
    NO_NAME,
    SQLITE_MAGIC,
    ProgressError,
    Record,
    is_database_url,
    learner_labels,
    read_export_and_names,
    read_store_and_names,
    shown_location,
    store_location,
)
from backspasm_edu.progress.store import check_store_integrity, record_time

if TYPE_CHECKING:
    import pandas as pd


__all__ = [
    "FORMULA_STARTS",
    "NO_NAME",
    "PRINT",
    "SKIP_REASONS",
    "TIDY_COLUMNS",
    "FileRecords",
    "LoadedRecords",
    "csv_text",
    "load_records",
    "merge_records",
    "read_progress_bytes",
    "read_progress_file",
    "run_report",
    "skipped_line",
    "tidy_table",
]

TIDY_COLUMNS = (
    "learner",
    "activity",
    "activity_id",
    "run_id",
    "item_id",
    "topic",
    "action",
    "answer",
    "correct",
    "score",
    "attempt",
    "item_count",
    "finishes",
    "recorded_at",
    "content_version",
    "seed",
    "record_id",
    "source",
)
"""The tidy table's columns, one row per record."""

_DTYPES = {
    "learner": "string",
    "activity": "string",
    "activity_id": "string",
    "run_id": "string",
    "item_id": "string",
    "topic": "string",
    "action": "string",
    "answer": "string",
    "correct": "boolean",
    "score": "Float64",
    "attempt": "Int64",
    "item_count": "Int64",
    "finishes": "bool",
    "content_version": "string",
    "seed": "Int64",
    "record_id": "string",
    "source": "string",
}


class FileRecords(list[Record]):
    """The usable records of one file, and the names its learners gave (``names``, by key).

    ``skipped`` counts the records left out because they cannot be used, by reason (the
    wording of ``SKIP_REASONS``).
    """

    def __init__(
        self,
        records: Iterable[Record] = (),
        names: Mapping[str, str] | None = None,
        skipped: Mapping[str, int] | None = None,
    ):
        super().__init__(records)
        self.names: dict[str, str] = dict(names or {})
        self.skipped: Counter[str] = Counter(skipped or {})


class LoadedRecords(list[Record]):
    """Records merged from files, oldest first, each record id once.

    ``sources`` maps each record id to the file it was first read from, ``files`` names the
    files read, ``duplicates`` counts the records skipped because an earlier file had them,
    ``skipped`` the records left out because they cannot be used (by reason) and ``names``
    holds the names learners gave, by key.
    """

    def __init__(
        self,
        records: Iterable[Record] = (),
        sources: Mapping[str, str] | None = None,
        files: Sequence[str] = (),
        duplicates: int = 0,
        names: Mapping[str, str] | None = None,
        skipped: Mapping[str, int] | None = None,
    ) -> None:
        super().__init__(records)
        self.sources: dict[str, str] = dict(sources or {})
        self.files: tuple[str, ...] = tuple(files)
        self.duplicates = duplicates
        self.names: dict[str, str] = dict(names or {})
        self.skipped: Counter[str] = Counter(skipped or {})


# --- reading files ------------------------------------------------------------------------


SKIP_REASONS = (
    "with a time that is not a date and time",
    "with a date before 1970 or after 2199",
    "with a score that is not a finite number",
    "for an activity that is not a quiz or a case",
    "with a step that is not an answer or a step back",
    "with a field of the wrong kind or size",
)
"""Why a record is left out of class results, in the words of the line that counts them."""

_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(2200, 1, 1, tzinfo=UTC)
_TEXT_FIELDS = ("record_id", "run_id", "learner", "activity_id", "item_id", "content_version")
_WHOLE_NUMBER_FIELDS = ("attempt", "item_count")
_LARGEST_WHOLE_NUMBER = 2**63 - 1  # what SQLite and the table's whole-number columns hold


def _recorded_time(record: Record) -> datetime:
    """When a record was made, for records read here (only usable ones are kept)."""
    moment = record_time(record.recorded_at)
    if moment is None:
        raise ProgressError(
            f"records: recorded_at: expected an ISO 8601 time, got {show_value(record.recorded_at)}"
        )
    return moment


def _is_text(value: object) -> bool:
    """Text that can be written out as UTF-8 (JSON may hold halves of a character pair)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_whole_number(value: object) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and abs(value) <= _LARGEST_WHOLE_NUMBER
    )


def _unusable(record: Record) -> str | None:
    """Why class results cannot use the record (one of SKIP_REASONS), or None if they can."""
    moment = record_time(record.recorded_at) if isinstance(record.recorded_at, str) else None
    score = record.score
    answer = _answer_json(record.answer)
    fields_fit = (
        all(_is_text(getattr(record, field)) for field in _TEXT_FIELDS)
        and all(_is_whole_number(getattr(record, field)) for field in _WHOLE_NUMBER_FIELDS)
        and (record.seed is None or _is_whole_number(record.seed))
        and (record.topic is None or _is_text(record.topic))
        and record.correct in (None, True, False)
        and isinstance(record.finishes, bool)
        and (answer is None or _is_text(answer))
    )
    checks = (
        moment is not None,
        moment is None or _EARLIEST <= moment < _LATEST,
        score is None
        or (
            isinstance(score, (int, float)) and not isinstance(score, bool) and math.isfinite(score)
        ),
        record.activity in ("quiz", "scenario"),
        record.action in ("answer", "back"),
        fields_fit,
    )
    return next((reason for reason, ok in zip(SKIP_REASONS, checks, strict=True) if not ok), None)


def _usable(found: tuple[list[Record], dict[str, str]]) -> FileRecords:
    """The records class results can use, the others counted by reason, and the names given."""
    records, names = found
    kept, skipped = [], Counter[str]()
    for record in records:
        reason = _unusable(record)
        if reason is None:
            kept.append(record)
        else:
            skipped[reason] += 1
    shown_names = {
        key: name.encode("utf-8", "replace").decode("utf-8")
        for key, name in names.items()
        if isinstance(key, str) and isinstance(name, str)
    }
    return FileRecords(kept, shown_names, skipped)


def skipped_line(skipped: Mapping[str, int]) -> str:
    """One line counting the records left out, by reason, most first; "" when there are none.

    For example "3 records skipped: 2 with a time that is not a date and time, 1 with a score
    that is not a finite number".
    """
    total = sum(skipped.values())
    if not total:
        return ""
    order = sorted(
        (reason for reason in SKIP_REASONS if skipped.get(reason)),
        key=lambda reason: -skipped[reason],
    )
    reasons = ", ".join(f"{skipped[reason]} {reason}" for reason in order)
    return f"{total} record{'s' if total != 1 else ''} skipped: {reasons}"


def _read_store(path: Path, name: str) -> FileRecords:
    check_store_integrity(path, name)
    return _usable(read_store_and_names(path, name))


def _size_text(size: int) -> str:
    return f"{size / 1_000_000:.3g} MB"


def _read_data(data: bytes, name: str, path: Path | None) -> FileRecords:
    if not data:
        raise ProgressError(
            f"{name}: expected a progress store or a JSON export file, got an empty file"
        )
    if data.startswith(SQLITE_MAGIC):
        if path is not None:
            return _read_store(path, name)
        with tempfile.TemporaryDirectory(prefix="backspasm-report-") as folder:
            copy = Path(folder) / "uploaded.sqlite"
            copy.write_bytes(data)
            return _read_store(copy, name)
    if data.lstrip()[:1] in (b"{", b"[") or name.lower().endswith(".json"):
        return _usable(read_export_and_names(data, name))
    # Never the file's first bytes: the box may name any file the server can read.
    raise ProgressError(
        f"{name}: expected a progress store (SQLite) or a JSON export file, got a file of "
        "another kind"
    )


def _special_file(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _too_large(name: str, size: int, max_bytes: int) -> ProgressError:
    return ProgressError(
        f"{name}: expected a file of at most {_size_text(max_bytes)}, got one of "
        f"{_size_text(size)}; `backspasm-edu report` reads larger files"
    )


def _read_regular_file(descriptor: int, name: str, max_bytes: int | None) -> bytes:
    """A store's first bytes or an export's whole text, from an open file checked first."""
    details = os.fstat(descriptor)
    special = _special_file(details.st_mode)
    if special is not None:
        raise ProgressError(f"{name}: expected a progress store or export file, got {special}")
    if max_bytes is not None and details.st_size > max_bytes:
        raise _too_large(name, details.st_size, max_bytes)
    with open(descriptor, "rb", closefd=False) as handle:
        head = handle.read(len(SQLITE_MAGIC))
        if head == SQLITE_MAGIC:
            return head
        data = head + handle.read(-1 if max_bytes is None else max_bytes + 1 - len(head))
    if max_bytes is not None and len(data) > max_bytes:  # it grew since it was checked
        raise _too_large(name, len(data), max_bytes)
    return data


def read_progress_file(path: str | os.PathLike[str], max_bytes: int | None = None) -> FileRecords:
    """The usable records of one store or export file; anything else raises ProgressError.

    Only a regular file is read: a folder, named pipe or device is refused before reading, as
    is, given ``max_bytes``, a larger file. No error message holds any of the file's bytes.
    A ``postgresql://`` URL is read from that database in one read-only transaction.
    """
    name = os.fspath(path)
    if is_database_url(name):
        from backspasm_edu.progress.postgres import read_database

        return _usable(read_database(name))
    try:
        # Non-blocking, so opening a named pipe returns at once (and is then refused).
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ProgressError(
            f"{name}: expected a progress store or export file, got no such file"
        ) from None
    except OSError as error:
        raise ProgressError(f"{name}: expected a readable file, got {error.strerror}") from None
    try:
        data = _read_regular_file(descriptor, name, max_bytes)
    except OSError as error:
        raise ProgressError(f"{name}: expected a readable file, got {error.strerror}") from None
    finally:
        os.close(descriptor)
    return _read_data(data, name, Path(path))


def read_progress_bytes(
    data: bytes | memoryview, name: str, max_bytes: int | None = None
) -> FileRecords:
    """The usable records of an uploaded store or export file, given as bytes, named ``name``.

    Given ``max_bytes``, larger data is refused before it is read.
    """
    if max_bytes is not None and len(data) > max_bytes:
        raise _too_large(name, len(data), max_bytes)
    return _read_data(bytes(data), name, None)


def merge_records(
    batches: Iterable[tuple[str, Sequence[Record]]], into: LoadedRecords | None = None
) -> LoadedRecords:
    """Records of each (file name, records) batch added to ``into``: each record id once.

    The first file read keeps a record; the result is sorted by the time each was recorded.
    """
    base = into if into is not None else LoadedRecords()
    kept = {record.record_id: record for record in base}
    sources = dict(base.sources)
    files = list(base.files)
    duplicates = base.duplicates
    names = dict(base.names)
    skipped = Counter(base.skipped)
    for name, records in batches:
        files.append(name)
        names.update(getattr(records, "names", {}))
        skipped.update(getattr(records, "skipped", {}))
        for record in records:
            if record.record_id in kept:
                duplicates += 1
                continue
            kept[record.record_id] = record
            sources[record.record_id] = name
    ordered = sorted(kept.values(), key=_recorded_time)
    return LoadedRecords(ordered, sources, files, duplicates, names, skipped)


def load_records(
    paths: Iterable[str | os.PathLike[str]], max_bytes: int | None = None
) -> LoadedRecords:
    """Every usable record in the stores and export files, each record id once, oldest first.

    A missing, empty, damaged or unreadable file (or, given ``max_bytes``, a larger one) raises
    ProgressError naming it; no file is written to. Records that cannot be used are counted.
    Each is named as ``shown_location`` shows it: a database URL without its password.
    """
    return merge_records(
        (shown_location(path), read_progress_file(path, max_bytes)) for path in paths
    )


# --- the tidy table -----------------------------------------------------------------------


def _answer_json(answer: Any) -> str | None:
    if answer is None:
        return None
    return json.dumps(answer, ensure_ascii=False, sort_keys=True)


def tidy_table(records: Sequence[Record], sources: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per record, typed: answers as JSON text, times as UTC datetimes.

    ``sources`` maps record ids to the file each came from; by default that of LoadedRecords.
    Learners are shown by name (LoadedRecords' ``names`` for those known by a browser key).
    """
    import pandas as pd

    if sources is None:
        sources = getattr(records, "sources", {})
    labels = learner_labels({record.learner for record in records}, getattr(records, "names", {}))
    data: dict[str, pd.Series[Any]] = {}
    for column in TIDY_COLUMNS:
        if column == "recorded_at":
            times = [_recorded_time(record) for record in records]
            data[column] = pd.Series(pd.to_datetime(times, utc=True), dtype="datetime64[ns, UTC]")
            continue
        if column == "answer":
            values: list[Any] = [_answer_json(record.answer) for record in records]
        elif column == "source":
            values = [sources.get(record.record_id, "") for record in records]
        elif column == "learner":
            values = [labels[record.learner] for record in records]
        else:
            values = [getattr(record, column) for record in records]
        data[column] = pd.Series(values, dtype=_DTYPES[column])
    frame: pd.DataFrame = pd.DataFrame(data, columns=list(TIDY_COLUMNS))
    return frame


# --- CSV for spreadsheets ---------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a cell a spreadsheet would run as a formula begins."""


def _guarded(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def csv_text(table: pd.DataFrame) -> str:
    """The table as CSV that no spreadsheet runs: text cells are never formulas.

    A text cell beginning with ``= + - @``, a tab or a carriage return gets a leading ``'``
    (OWASP's advice against CSV injection), so a learner named ``=HYPERLINK(...)`` stays text.
    Numeric, yes/no and time columns are written as they are: negative numbers stay numbers.
    Lines end in CRLF (RFC 4180), so a cell holding a carriage return is quoted whole.
    """
    import pandas as pd

    guarded = table.copy()
    for column in guarded.columns:
        cells = guarded[column]
        if cells.dtype == object or isinstance(cells.dtype, pd.StringDtype):
            guarded[column] = cells.map(_guarded, na_action="ignore")
    text: str = guarded.to_csv(index=False, lineterminator="\r\n")
    return text


# --- the command --------------------------------------------------------------------------


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve() or (
            first.exists() and second.exists() and os.path.samefile(first, second)
        )
    except OSError:
        return False


def _check_outputs(inputs: Sequence[str], outputs: Mapping[str, str | None]) -> None:
    """Refuse, before reading, an output that is a file read, a folder or another output."""
    written: dict[Path, str] = {}
    for option, path in outputs.items():
        if path is None or path == PRINT:
            continue
        out = Path(path)
        for name in inputs:
            given = Path(name)
            sidecars = [given.with_name(given.name + end) for end in ("-wal", "-shm", "-journal")]
            if any(_same_file(out, candidate) for candidate in (given, *sidecars)):
                raise InputError(
                    option, "a file that is not one of the files read", show_value(path)
                )
        if out.is_dir():
            raise InputError(option, "a file name, not a folder", show_value(path))
        earlier = next((other for seen, other in written.items() if _same_file(out, seen)), None)
        if earlier is not None:
            raise InputError(option, f"a file other than {earlier}'s", show_value(path))
        written[out] = option


def _write(option: str, path: str, text: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise InputError(
            option, "a file that can be written", f"{path!r} ({error.strerror})"
        ) from None


PRINT = "-"
"""The output name that prints a table (gradebook, items, cases) instead of writing its CSV."""


def _figure_lines(
    records: LoadedRecords,
    gradebook_path: str | None,
    grade_format: str,
    items_path: str | None,
    cases_path: str | None,
    summary: bool,
) -> list[str]:
    """The class figures asked for: printed as lines, or written as CSV with a line saying so."""
    from backspasm_edu.content.loader import load_library
    from backspasm_edu.instructor import figures
    from backspasm_edu.instructor.gradebook import (
        class_records,
        grade_items,
        gradebook,
        gradebook_csv,
        gradebook_lines,
    )

    library = load_library()
    course = class_records(records, library)
    lines = []
    if summary:
        lines += figures.summary_lines(figures.class_summary(records, library, course))
    if gradebook_path is not None:
        table = gradebook(records, library, course=course)
        if gradebook_path == PRINT:
            lines += gradebook_lines(table, grade_items(library))
        else:
            _write("--gradebook", gradebook_path, gradebook_csv(table, grade_format))
            lines.append(
                f"Wrote the gradebook of {len(table)} learners for {grade_format.capitalize()} "
                f"to {gradebook_path}."
            )
    if items_path is not None:
        items = figures.item_analysis(records, library)
        answers = figures.answer_counts(records, library)
        if items_path == PRINT:
            lines += figures.item_lines(items, answers)
        else:
            joined = items.rename(columns={"Learners": "Learners answered"}).merge(
                answers, on=["Quiz", "Question"], how="left", sort=False
            )
            _write("--items", items_path, csv_text(joined))
            lines.append(f"Wrote {len(joined)} rows about {len(items)} questions to {items_path}.")
    if cases_path is not None:
        cases = figures.case_analysis(records, library)
        if cases_path == PRINT:
            lines += figures.case_lines(cases)
        else:
            _write("--cases", cases_path, csv_text(cases))
            lines.append(f"Wrote {len(cases)} rows about case choices to {cases_path}.")
    return lines


def run_report(
    paths: Sequence[str],
    csv_path: str | None,
    *,
    gradebook_path: str | None = None,
    grade_format: str = "moodle",
    items_path: str | None = None,
    cases_path: str | None = None,
    summary: bool = False,
) -> list[str]:
    """Read the files (the default store when none), write what is asked, return lines to print.

    ``csv_path`` gets the tidy table of records; ``gradebook_path`` the gradebook for
    ``grade_format`` (see ``instructor.gradebook``), ``items_path`` the item analysis and
    ``cases_path`` the case analysis as CSV, or each printed as lines when given as ``PRINT``.
    ``summary`` adds the class summary. Refuses, before reading anything, to write over one
    of the files it reads, or two outputs to one file.
    """
    inputs = list(paths) or [os.fspath(store_location())]
    if not paths and not is_database_url(inputs[0]) and not Path(inputs[0]).exists():
        raise ProgressError(
            f"{inputs[0]}: expected the default progress store, got no such file: no answers "
            "were recorded here yet; name the store or export files to read"
        )
    _check_outputs(
        inputs,
        {
            "--csv": csv_path,
            "--gradebook": gradebook_path,
            "--items": items_path,
            "--cases": cases_path,
        },
    )
    records = load_records(inputs)
    unusable = skipped_line(records.skipped)
    if not records and unusable:
        raise ProgressError(
            f"{', '.join(records.files)}: expected records class results can use, got none "
            f"({unusable})"
        )
    table = tidy_table(records)
    lines = []
    files = len(records.files)
    noun = "file" if files == 1 else "files"
    if records:
        learners = table["learner"].nunique()
        who = "learner" if learners == 1 else "learners"
        skipped = f" ({records.duplicates} duplicate records skipped)" if records.duplicates else ""
        lines.append(f"{learners} {who}, {len(records)} records from {files} {noun} read{skipped}.")
    else:
        lines.append(f"No answers recorded yet: 0 records in {files} {noun} read.")
    if unusable:
        lines.append(f"{unusable}.")
    if csv_path is not None:
        _write("--csv", csv_path, csv_text(table))
        lines.append(f"Wrote {len(table)} rows to {csv_path}.")
    if summary or any(path is not None for path in (gradebook_path, items_path, cases_path)):
        lines += _figure_lines(
            records, gradebook_path, grade_format, items_path, cases_path, summary
        )
    return lines
