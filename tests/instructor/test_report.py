"""Class results: stores and exports merged, four summaries, the report command, files untouched."""

from __future__ import annotations

import csv
import dataclasses
import json
import os
import re
import sqlite3
import uuid
from pathlib import Path

import pandas as pd
import pytest

from backspasm_edu.app.cli import main
from backspasm_edu.errors import show_value
from backspasm_edu.instructor.report import (
    NO_NAME,
    TIDY_COLUMNS,
    load_records,
    read_progress_bytes,
    run_report,
    skipped_line,
    tidy_table,
)
from backspasm_edu.progress import ProgressError, ProgressStore, Recorder
from backspasm_edu.progress.store import RECORD_COLUMNS
from tests.builders import CHOICE, CLOCK_START, QUIZ, answer, class_of_three
from tests.postgres_server import PASSWORD


def row(frame: pd.DataFrame, **where) -> dict:
    """The one row of a summary whose columns have the given values, as a dict."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    rows = frame[mask]
    assert len(rows) == 1, rows
    return rows.iloc[0].to_dict()


def export_of(path: Path, learner: str | None = None) -> bytes:
    """An export file of a store, opened and closed again."""
    with ProgressStore(path) as store:
        return store.export(learner)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder with its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


# --- reading and merging ------------------------------------------------------------------


def test_a_store_and_exports_merge_with_each_record_once(tmp_path, clock):
    """A store and exports that repeat some of its records give each record id once, oldest first."""
    store = ProgressStore(tmp_path / "class.sqlite")
    class_of_three(store)
    (tmp_path / "ana.json").write_bytes(store.export("Ana"))
    (tmp_path / "everyone.json").write_bytes(store.export())
    other = ProgressStore(tmp_path / "home.sqlite")
    answer(Recorder(other, "Dee", "quiz", QUIZ, 12), CHOICE, "get_help_now", True, 1)
    (tmp_path / "dee.json").write_bytes(other.export("Dee"))
    store.close()
    other.close()

    records = load_records(
        [
            tmp_path / "ana.json",
            tmp_path / "class.sqlite",
            tmp_path / "everyone.json",
            tmp_path / "dee.json",
        ]
    )

    assert len(records) == 10
    assert len({record.record_id for record in records}) == 10
    assert records.duplicates == 3 + 9
    assert [record.recorded_at for record in records] == sorted(r.recorded_at for r in records)
    sources = {Path(records.sources[record.record_id]).name for record in records}
    assert sources == {"ana.json", "class.sqlite", "dee.json"}
    assert {Path(name).name for name in records.files} == {
        "ana.json",
        "class.sqlite",
        "everyone.json",
        "dee.json",
    }


def test_tidy_table_has_one_typed_row_per_record(tmp_path, clock):
    """The tidy table has a row per record, typed columns, answers as JSON and UTC times."""
    store = ProgressStore(tmp_path / "class.sqlite")
    class_of_three(store)
    matching = {"slip_and_fall": "get_help_now", "belly_throbbing": "get_help_now"}
    answer(Recorder(store, "", "quiz", QUIZ, 12), "match_more_signs", matching, False, 1)
    store.close()

    table = tidy_table(load_records([tmp_path / "class.sqlite"]))

    assert list(table.columns) == list(TIDY_COLUMNS)
    assert len(table) == 10
    assert str(table["recorded_at"].dtype) == "datetime64[ns, UTC]"
    assert table["recorded_at"].iloc[0] == pd.Timestamp(CLOCK_START)
    assert str(table["correct"].dtype) == "boolean"
    assert str(table["score"].dtype) == "Float64"
    assert str(table["attempt"].dtype) == "Int64"
    assert table["finishes"].dtype == bool
    assert json.loads(table["answer"].iloc[0]) == "rest_at_home"
    assert json.loads(table["answer"].iloc[-1]) == matching
    assert set(table["source"]) == {str(tmp_path / "class.sqlite")}
    assert table["learner"].iloc[-1] == NO_NAME  # shown by name, never by key


def test_an_uploaded_store_is_read_from_its_bytes(tmp_path, clock):
    """A store given as bytes (an upload) reads like the file, and its name is the upload's."""
    store = ProgressStore(tmp_path / "class.sqlite")
    class_of_three(store)
    store.close()

    records = read_progress_bytes((tmp_path / "class.sqlite").read_bytes(), "class.sqlite")

    assert len(records) == 9
    with pytest.raises(ProgressError, match=r"^notes\.sqlite: "):
        read_progress_bytes(b"SQLite format 3\x00" + b"\x00" * 50, "notes.sqlite")


# --- the four summaries -------------------------------------------------------------------


def other_programs_database(path: Path) -> None:
    """A SQLite database of another program."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.execute("INSERT INTO notes VALUES ('hello')")
    connection.commit()
    connection.close()


BAD_FILES = [
    ("empty.json", b"", "expected a progress store or a JSON export file, got an empty file"),
    ("broken.json", b'{"format": ', "expected a JSON progress file, got invalid JSON"),
    ("list.json", b"[1, 2]", "format: expected 'backspasm-edu-progress', got 'list'"),
    (
        "notes.txt",
        b"hello there",
        "expected a progress store (SQLite) or a JSON export file, got a file of another kind",
    ),
    (
        "cut.sqlite",
        b"SQLite format 3\x00" + b"\x07" * 100,
        "expected a backspasm-edu progress store, got a file SQLite cannot read",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_bad_files_raise_one_line_naming_the_file_and_stay_unchanged(tmp_path, name, data, message):
    """Empty, corrupt or foreign files raise ProgressError naming the file; nothing is written."""
    path = tmp_path / name
    path.write_bytes(data)
    before = snapshot(tmp_path)

    with pytest.raises(ProgressError) as raised:
        load_records([path])

    text = str(raised.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text
    assert "hello" not in text  # never the file's own bytes
    assert snapshot(tmp_path) == before


def test_missing_files_folders_and_other_databases_raise_naming_them(tmp_path):
    """A missing file, a folder and another program's database each give a one-line error."""
    other_programs_database(tmp_path / "notes.sqlite")
    before = snapshot(tmp_path)
    cases = {
        tmp_path / "gone.sqlite": "expected a progress store or export file, got no such file",
        tmp_path: "expected a progress store or export file, got a folder",
        tmp_path
        / "notes.sqlite": "expected a backspasm-edu progress store, got a SQLite database without a table of attempts",
    }
    for path, message in cases.items():
        with pytest.raises(ProgressError, match="^" + re.escape(f"{path}: ")) as raised:
            load_records([path])
        assert message in str(raised.value)
    assert snapshot(tmp_path) == before
    assert not (tmp_path / "gone.sqlite").exists()


def test_a_closed_store_is_read_without_writing_or_creating_any_file(tmp_path, clock):
    """Reading a store no kernel has open changes no byte and adds no -wal or -shm file."""
    store = ProgressStore(tmp_path / "class.sqlite")
    class_of_three(store)
    store.close()
    (tmp_path / "ana.json").write_bytes(export_of(tmp_path / "class.sqlite", "Ana"))
    before = snapshot(tmp_path)
    assert set(before) == {"class.sqlite", "ana.json"}

    assert len(load_records([tmp_path / "class.sqlite", tmp_path / "ana.json"])) == 9

    assert snapshot(tmp_path) == before


def test_a_store_in_use_is_read_with_its_newest_answers_and_left_unchanged(tmp_path, clock):
    """With a kernel writing, the reader sees answers still in the log and changes neither file."""
    store = ProgressStore(tmp_path / "class.sqlite")
    class_of_three(store)
    wal = tmp_path / "class.sqlite-wal"
    assert wal.exists() and wal.stat().st_size > 0
    before = {name: data for name, data in snapshot(tmp_path).items() if not name.endswith("-shm")}

    assert len(load_records([tmp_path / "class.sqlite"])) == 9

    after = {name: data for name, data in snapshot(tmp_path).items() if not name.endswith("-shm")}
    assert after == before
    answer(Recorder(store, "Dee", "quiz", QUIZ, 12), CHOICE, "get_help_now", True, 1)
    assert len(store.records()) == 10  # the writer carries on


# --- the report command -------------------------------------------------------------------


def test_report_writes_the_csv_and_prints_a_summary(tmp_path, clock, capsys, store_location):
    """`report STORE EXPORT --csv OUT` exits 0, prints learners, records and files, writes each record once."""
    store = ProgressStore(store_location)
    class_of_three(store)
    (tmp_path / "ana.json").write_bytes(store.export("Ana"))
    out = tmp_path / "results.csv"

    code = main(["report", str(store_location), str(tmp_path / "ana.json"), "--csv", str(out)])

    printed = capsys.readouterr()
    assert code == 0
    assert printed.err == ""
    assert printed.out.splitlines() == [
        "3 learners, 9 records from 2 files read (3 duplicate records skipped).",
        f"Wrote 9 rows to {out}.",
    ]
    table = pd.read_csv(out)
    assert list(table.columns) == list(TIDY_COLUMNS)
    assert len(table) == 9
    assert sorted(table["learner"].unique()) == ["Ana", "Ben", "Cy"]
    assert PASSWORD not in out.read_text() + printed.out  # a database is named without it


def test_report_without_files_reads_the_default_store(store_location, clock, capsys):
    """With no files the command reads the default store ($BACKSPASM_EDU_PROGRESS)."""
    store = ProgressStore(store_location)
    class_of_three(store)

    assert main(["report"]) == 0

    assert capsys.readouterr().out == "3 learners, 9 records from 1 file read.\n"


def test_report_with_no_default_store_says_so(own_progress_store, capsys):
    """With no files and no default store yet the command exits 2 naming where it looked."""
    assert main(["report"]) == 2
    printed = capsys.readouterr()
    assert printed.err == (
        f"backspasm-edu report: error: {own_progress_store}: expected the default progress store, "
        "got no such file: no answers were recorded here yet; name the store or export files to read\n"
    )
    assert not own_progress_store.exists()


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES[:3])
def test_report_bad_input_exits_2_with_one_line(tmp_path, capsys, name, data, message):
    """A bad file makes the command exit 2 with one line naming it and no traceback or CSV."""
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "results.csv"

    assert main(["report", str(path), "--csv", str(out)]) == 2

    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.startswith(f"backspasm-edu report: error: {path}: ")
    assert message in printed.err
    assert printed.err.count("\n") == 1
    assert "Traceback" not in printed.err
    assert not out.exists()
    assert path.read_bytes() == data


def test_report_refuses_to_write_over_a_file_it_reads(tmp_path, clock, capsys, monkeypatch):
    """--csv naming one of the inputs (or its log) exits 2 and leaves every file as it was."""
    store = ProgressStore(tmp_path / "class.sqlite")
    class_of_three(store)
    store.close()
    (tmp_path / "ana.json").write_bytes(export_of(tmp_path / "class.sqlite", "Ana"))
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)

    for target in ("ana.json", "class.sqlite", "class.sqlite-wal"):
        code = main(
            ["report", "class.sqlite", str(tmp_path / "ana.json"), "--csv", str(tmp_path / target)]
        )
        assert code == 2
        assert capsys.readouterr().err == (
            "backspasm-edu report: error: --csv: expected a file that is not one of the files "
            f"read, got {show_value(str(tmp_path / target))}\n"
        )
    assert snapshot(tmp_path) == before


def test_run_report_with_empty_files_says_no_answers_yet(tmp_path):
    """A store with no records is reported as no answers yet, and the CSV has only its header."""
    ProgressStore(tmp_path / "class.sqlite").close()
    out = tmp_path / "results.csv"

    lines = run_report([str(tmp_path / "class.sqlite")], str(out))

    assert lines[0] == "No answers recorded yet: 0 records in 1 file read."
    assert out.read_text().strip() == ",".join(TIDY_COLUMNS)


# --- records that cannot be used ------------------------------------------------------------


def plant(path: Path, **changes) -> str:
    """Write a copy of the store's first record, with a new id and fields changed, straight into
    the SQLite file with its checks off (as a forged or hand-edited store holds it); its id."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA ignore_check_constraints = ON")
    first = connection.execute(f"SELECT {', '.join(RECORD_COLUMNS)} FROM attempts").fetchone()
    row = dict(zip(RECORD_COLUMNS, first, strict=True)) | changes
    row["record_id"] = "planted" + uuid.uuid4().hex
    connection.execute(
        f"INSERT INTO attempts ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        tuple(row.values()),
    )
    connection.commit()
    connection.close()
    return row["record_id"]


def class_with_bad_records(path: Path) -> list[str]:
    """A class of three's store with three records report cannot use; their ids."""
    store = ProgressStore(path)
    class_of_three(store)
    first = store.records()[0]
    store.add([dataclasses.replace(first, record_id="badtime1", recorded_at="not a time")])
    store.close()
    return [
        "badtime1",
        plant(path, recorded_at="last Tuesday"),
        plant(path, score=float("inf")),
    ]


def test_records_that_cannot_be_used_are_skipped_and_counted_by_reason(tmp_path, clock):
    """Bad times, dates, scores, activities, steps and fields are left out and counted; the rest is read."""
    path = tmp_path / "class.sqlite"
    class_with_bad_records(path)
    plant(path, recorded_at="2500-01-01T00:00:00+00:00")
    plant(path, activity="poll")
    plant(path, action="skip")
    plant(path, attempt="two")
    plant(path, score="high")

    records = load_records([path])

    assert len(records) == 9
    assert not any(record.record_id.startswith("planted") for record in records)
    assert skipped_line(records.skipped) == (
        "8 records skipped: 2 with a time that is not a date and time, 2 with a score that "
        "is not a finite number, 1 with a date before 1970 or after 2199, 1 for an activity "
        "that is not a quiz or a case, 1 with a step that is not an answer or a step back, "
        "1 with a field of the wrong kind or size"
    )
    assert len(tidy_table(records)) == 9


def test_an_export_with_bad_records_keeps_its_good_ones(tmp_path, clock):
    """An export holding a NaN score, an unreadable time and a huge seed loses only those records."""
    store = ProgressStore(tmp_path / "class.sqlite")
    class_of_three(store)
    document = json.loads(store.export("Ana"))
    document["records"][0]["score"] = float("nan")
    document["records"][1]["recorded_at"] = "yesterday"
    document["records"][2]["seed"] = 10**30
    export = tmp_path / "ana.json"
    export.write_text(json.dumps(document))  # NaN as JSON writes it: NaN

    records = load_records([export, tmp_path / "class.sqlite"])

    assert len(records) == 9  # the store still has Ana's three
    assert records.duplicates == 0
    assert records.skipped == {
        "with a score that is not a finite number": 1,
        "with a time that is not a date and time": 1,
        "with a field of the wrong kind or size": 1,
    }


def test_report_skips_bad_records_says_how_many_and_exits_0(tmp_path, clock, capsys):
    """`report` on a store with 3 bad records exits 0, prints one line counting them (no ids), writes the rest."""
    path = tmp_path / "class.sqlite"
    ids = class_with_bad_records(path)
    out = tmp_path / "results.csv"

    code = main(["report", str(path), "--csv", str(out)])

    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.err == ""
    assert printed.out.splitlines() == [
        "3 learners, 9 records from 1 file read.",
        "3 records skipped: 2 with a time that is not a date and time, 1 with a score that "
        "is not a finite number.",
        f"Wrote 9 rows to {out}.",
    ]
    assert not any(record_id in printed.out for record_id in ids)
    assert len(pd.read_csv(out)) == 9


def test_report_exits_2_when_no_record_can_be_used(tmp_path, clock, capsys):
    """A store whose every record is bad makes `report` exit 2 with one line and no CSV."""
    path = tmp_path / "class.sqlite"
    store = ProgressStore(path)
    Recorder(store, "Ana", "quiz", QUIZ, 12).record(
        item_id=CHOICE, answer="x", correct=False, score=0.0, attempt=1
    )
    store.close()
    connection = sqlite3.connect(path)
    connection.execute("UPDATE attempts SET recorded_at = 'not a time'")
    connection.commit()
    connection.close()
    out = tmp_path / "results.csv"

    assert main(["report", str(path), "--csv", str(out)]) == 2

    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == (
        f"backspasm-edu report: error: {path}: expected records class results can use, got "
        "none (1 record skipped: 1 with a time that is not a date and time)\n"
    )
    assert not out.exists()


# --- damaged stores and files that are not files ------------------------------------------


def damage(path: Path) -> None:
    """Overwrite 1000 bytes in the middle of a store file, well past its header."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 1000] = b"\xa5" * 1000
    path.write_bytes(bytes(data))


def test_report_refuses_a_store_damaged_past_its_header(tmp_path, clock, capsys):
    """A store whose middle is overwritten is refused (exit 2) with what to do, not read in part."""
    path = tmp_path / "class.sqlite"
    store = ProgressStore(path)
    class_of_three(store)
    first = store.records()[0]
    store.add(dataclasses.replace(first, record_id=f"copy{n}") for n in range(300))
    store.close()
    damage(path)
    before = path.read_bytes()

    assert main(["report", str(path)]) == 2

    assert capsys.readouterr().err == (
        f"backspasm-edu report: error: {path}: expected an undamaged progress store, got one "
        "SQLite finds damaged; keep a copy of it, then put back a backup or move it aside so a "
        "new store is started\n"
    )
    assert path.read_bytes() == before


@pytest.mark.timeout(20)
def test_report_refuses_a_named_pipe_at_once(tmp_path, capsys):
    """`report` given a named pipe (FIFO) exits 2 at once, without waiting for a writer."""
    pipe = tmp_path / "class.sqlite"
    os.mkfifo(pipe)

    assert main(["report", str(pipe)]) == 2

    assert capsys.readouterr().err == (
        f"backspasm-edu report: error: {pipe}: expected a progress store or export file, "
        "got a named pipe\n"
    )


# --- spreadsheet-safe CSV -----------------------------------------------------------------

FORMULAS = ('=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tlabel", "\rlabel")


def test_report_csv_keeps_formulas_as_text_and_numbers_as_numbers(tmp_path, clock):
    """Names, ids and answers starting = + - @ tab or CR get a leading ' in the CSV; a negative score stays a number."""
    store = ProgressStore(tmp_path / "class.sqlite")
    for formula in FORMULAS:
        recorder = Recorder(store, formula, "quiz", QUIZ, 12)
        recorder.record(
            item_id=formula, answer=formula, correct=False, score=-0.5, attempt=1, topic="-t"
        )
    store.close()
    out = tmp_path / "results.csv"

    run_report([str(tmp_path / "class.sqlite")], str(out))

    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["learner"] for row in rows] == [f"'{formula}" for formula in FORMULAS]
    assert [row["item_id"] for row in rows] == [f"'{formula}" for formula in FORMULAS]
    assert [json.loads(row["answer"]) for row in rows] == list(FORMULAS)  # JSON text: a quote first
    assert {row["topic"] for row in rows} == {"'-t"}
    assert {row["score"] for row in rows} == {"-0.5"}
    assert {row["activity"] for row in rows} == {"quiz"}
