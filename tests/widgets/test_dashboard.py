"""The instructor dashboard, headless: loads stores and uploads, shows results, never a traceback."""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
import os
import re
import sqlite3
from datetime import UTC, datetime

import ipywidgets as widgets
import pandas as pd
import pytest

from backspasm_edu.instructor.report import TIDY_COLUMNS
from backspasm_edu.progress import ProgressStore, Recorder, default_store
from backspasm_edu.widgets import InstructorDashboard, dashboard
from tests.builders import CHOICE, NUMBER, QUIZ, answer, class_of_three
from tests.widgets.helpers import unlabelled, visible_text, walk

pytestmark = pytest.mark.usefixtures("callbacks_raise", "clock")


def uploaded(*files: tuple[str, bytes]) -> tuple[dict, ...]:
    """A FileUpload value as the browser sends it, for (name, bytes) pairs."""
    return tuple(
        {
            "name": name,
            "type": "",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.now(UTC),
        }
        for name, data in files
    )


def csv_download(view: InstructorDashboard) -> str:
    """The text of the dashboard's Export CSV link."""
    match = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', view.download.value)
    assert match, view.download.value
    return base64.b64decode(match.group(1)).decode("utf-8")


def exported_csv(view: InstructorDashboard) -> pd.DataFrame:
    """The table behind the dashboard's Export CSV link."""
    return pd.read_csv(io.StringIO(csv_download(view)))


def test_an_empty_class_says_no_answers_yet_and_creates_no_store(own_progress_store):
    """With no store yet the dashboard says "No answers recorded yet" and writes no file."""
    dashboard = InstructorDashboard()
    text = visible_text(dashboard)
    assert "ℹ No answers recorded yet" in text
    assert dashboard.download.value == ""
    assert dashboard.chart.value == ""
    assert not own_progress_store.exists()
    dashboard.load_button.click()
    assert "No answers recorded yet" in visible_text(dashboard)
    assert not own_progress_store.exists()


def test_load_shows_the_class_results_from_the_store():
    """Load reads the store: shares per question, wrong answers, completion and topic points."""
    dashboard = InstructorDashboard()
    assert "No answers recorded yet" in visible_text(dashboard)
    class_of_three(default_store())

    dashboard.load_button.click()

    assert "✓ Read 9 records from 1 file" in visible_text(dashboard)
    assert "3 learners, 9 records: 9 quiz answers and 0 case steps." in visible_text(
        dashboard.overview
    )
    difficulty = visible_text(dashboard.sections["difficulty"])
    assert re.search(rf"{CHOICE} .*? 3 33% 67%", difficulty), difficulty
    assert re.search(rf"{NUMBER} .*? 3 33% 33%", difficulty), difficulty
    wrong = visible_text(dashboard.sections["wrong"])
    assert "Rest at home, because his pain is only mild" in wrong
    assert "37 degrees Celsius" in wrong
    completion = visible_text(dashboard.sections["completion"])
    assert re.search(
        r"Ana quiz Back pain - when to get help 2 12 no 1 2025-03-01 09:02 UTC", completion
    )
    mastery = visible_text(dashboard.sections["mastery"])
    for learner, numbers in {"Ana": "2 2 100%", "Ben": "2 1 50%", "Cy": "1 0 0%"}.items():
        assert re.search(rf"{learner} \S.*? {numbers}", mastery), mastery
    assert dashboard.chart.value.startswith('<img src="data:image/png;base64,')
    assert 'alt="Bar chart of how many learners got each question right' in dashboard.chart.value


def test_export_csv_holds_every_record_once(tmp_path):
    """The Export CSV link is a data URL of the tidy table, one row per record."""
    class_of_three(default_store())
    dashboard = InstructorDashboard()

    table = exported_csv(dashboard)

    assert 'download="backspasm-class-results.csv"' in dashboard.download.value
    assert list(table.columns) == list(TIDY_COLUMNS)
    assert len(table) == 9


def test_uploaded_exports_and_stores_add_each_record_once(tmp_path):
    """Uploading an export and a store adds their records; records already shown count once."""
    store = default_store()
    class_of_three(store)
    dashboard = InstructorDashboard()
    other = ProgressStore(tmp_path / "home.sqlite")
    answer(Recorder(other, "Dee", "quiz", QUIZ, 12), CHOICE, "get_help_now", True, 1)
    other.close()

    dashboard.upload.value = uploaded(
        ("ana.json", store.export("Ana")), ("home.sqlite", (tmp_path / "home.sqlite").read_bytes())
    )

    assert dashboard.upload.value == ()
    assert "✓ Read 10 records from 3 files" in visible_text(dashboard)
    assert "3 already read were skipped" in visible_text(dashboard)
    assert "4 learners, 10 records" in visible_text(dashboard.overview)
    assert re.search(rf"{CHOICE} .*? 4 50% 75%", visible_text(dashboard.sections["difficulty"]))


def test_a_bad_upload_shows_a_warning_naming_it_and_keeps_the_rest(tmp_path):
    """A corrupt upload gives a ⚠ message naming the file; good files beside it still load."""
    class_of_three(default_store())
    dashboard = InstructorDashboard()
    other = ProgressStore(tmp_path / "home.sqlite")
    answer(Recorder(other, "Dee", "quiz", QUIZ, 12), CHOICE, "get_help_now", True, 1)

    dashboard.upload.value = uploaded(
        ("broken.json", b'{"format": '), ("dee.json", other.export("Dee"))
    )

    text = visible_text(dashboard.message)
    assert "⚠ 1 file could not be read" in text
    assert "broken.json: expected a JSON progress file, got invalid JSON" in text
    assert "Traceback" not in text
    assert "4 learners, 10 records" in visible_text(dashboard.overview)


def test_a_bad_file_to_load_shows_a_warning_and_keeps_the_results(tmp_path):
    """Loading a missing or foreign file shows ⚠ naming it; the results shown stay as they were."""
    class_of_three(default_store())
    dashboard = InstructorDashboard()
    shown = dashboard.sections["difficulty"].value
    (tmp_path / "notes.txt").write_text("not progress")

    for path in (tmp_path / "missing.sqlite", tmp_path / "notes.txt"):
        dashboard.path.value = str(path)
        dashboard.load_button.click()
        text = visible_text(dashboard.message)
        assert text.startswith("⚠ That file could not be read")
        assert f"{path}: expected a progress store" in text
        assert "The results below are unchanged." in text
        assert dashboard.sections["difficulty"].value == shown
    assert not (tmp_path / "missing.sqlite").exists()


def test_names_and_answers_are_shown_as_text_never_as_html():
    """A learner name with HTML in it is escaped in every table, so it cannot change the page."""
    recorder = Recorder(default_store(), "<b>Sam</b>", "quiz", "my_quiz", 1)
    recorder.record(item_id="q1", answer="<i>x</i>", correct=False, score=0.0, attempt=1, topic="t")

    dashboard = InstructorDashboard()

    page = "".join(html.value for html in dashboard.sections.values())
    assert "<b>Sam</b>" not in page
    assert "&lt;b&gt;Sam&lt;/b&gt;" in page
    assert "<i>x</i>" not in page


def test_every_control_has_a_label():
    """The path box, Load button and upload all have names a screen reader reads."""
    dashboard = InstructorDashboard()
    assert unlabelled(dashboard) == []
    assert dashboard.path.description == "Progress store or export file"
    assert dashboard.upload.description == "Add exports or stores"
    assert dashboard.upload.multiple
    assert dashboard.upload.accept == ".json,.sqlite,.db"


def test_dashboard_needs_the_instructor_key_when_one_is_set(monkeypatch):
    """Served with an instructor key, the dashboard shows results only for the matching ?key=."""
    monkeypatch.setenv("BACKSPASM_EDU_INSTRUCTOR_KEY", "s3cret")
    monkeypatch.setenv("QUERY_STRING", "key=wrong")
    locked = InstructorDashboard()
    assert "This page is for the instructor" in visible_text(locked)
    assert not any(isinstance(widget, widgets.FileUpload) for widget in walk(locked))
    monkeypatch.setenv("QUERY_STRING", "key=s3cret")
    assert "Add exports or stores" in visible_text(InstructorDashboard())


# --- bad records, spreadsheet-safe CSV and the file box -------------------------------------


def test_bad_records_are_counted_in_one_line_and_the_rest_is_shown(own_progress_store):
    """Two records with a time that is no time and one with an infinite score are skipped and counted; the class shows."""
    store = default_store()
    class_of_three(store)
    first = store.records()[0]
    store.add(
        [
            dataclasses.replace(first, record_id="forged1", recorded_at="not a time"),
            dataclasses.replace(first, record_id="forged2", recorded_at="2025-13-45"),
            dataclasses.replace(first, record_id="forged3", score=float("inf")),
        ]
    )

    view = InstructorDashboard()

    text = visible_text(view.message)
    assert (
        "⚠ 3 records skipped: 2 with a time that is not a date and time, 1 with a score that "
        "is not a finite number" in text
    )
    assert "✓ Read 9 records from 1 file" in text
    assert "forged" not in text
    assert "3 learners, 9 records" in visible_text(view.overview)
    assert len(exported_csv(view)) == 9


def test_csv_download_keeps_a_formula_name_as_text():
    """A learner named =HYPERLINK(...) is '=HYPERLINK(...) in the CSV download; a negative score stays a number."""
    recorder = Recorder(default_store(), '=HYPERLINK("http://x","y")', "quiz", QUIZ, 12)
    recorder.record(item_id="@q1", answer=-3, correct=False, score=-0.5, attempt=1, topic="t")

    rows = list(csv.DictReader(io.StringIO(csv_download(InstructorDashboard()), newline="")))

    assert len(rows) == 1
    assert rows[0]["learner"] == '\'=HYPERLINK("http://x","y")'
    assert rows[0]["item_id"] == "'@q1"
    assert rows[0]["answer"] == "'-3"  # JSON text: guarded like any text
    assert rows[0]["score"] == "-0.5"


def load_path(view: InstructorDashboard, path: object) -> str:
    """Type a path into the box and press Load, as the page does; the message shown."""
    view.path.value = str(path)
    view.load_button.click()
    return visible_text(view.message)


@pytest.mark.timeout(20)
def test_a_named_pipe_is_refused_at_once(tmp_path):
    """A FIFO named in the box is refused without waiting for a writer; the results stay."""
    class_of_three(default_store())
    view = InstructorDashboard()
    shown = view.sections["difficulty"].value
    pipe = tmp_path / "class.sqlite"
    os.mkfifo(pipe)

    text = load_path(view, pipe)

    assert text.startswith("⚠ That file could not be read")
    assert f"{pipe}: expected a progress store or export file, got a named pipe" in text
    assert view.sections["difficulty"].value == shown


@pytest.mark.timeout(20)
def test_devices_and_folders_are_refused_without_reading_them(tmp_path):
    """/dev/zero and a folder named in the box are refused at once, in one line each."""
    view = InstructorDashboard()

    assert "/dev/zero: expected a progress store or export file, got a device" in load_path(
        view, "/dev/zero"
    )
    assert f"{tmp_path}: expected a progress store or export file, got a folder" in load_path(
        view, tmp_path
    )


def test_a_file_that_is_not_progress_is_refused_without_showing_its_bytes(tmp_path):
    """A file of secrets named in the box is refused; no byte of it reaches the page."""
    secret = tmp_path / "shadow"
    secret.write_bytes(b"zq:$6$S3CRETHASH:19000:0:99999:7:::\n")
    view = InstructorDashboard()

    text = load_path(view, secret)

    assert (
        f"{secret}: expected a progress store (SQLite) or a JSON export file, got a file "
        "of another kind" in text
    )
    assert "zq:" not in view.message.value
    assert "S3CRET" not in view.message.value


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    """With the limit at 1000 bytes a larger export is refused, naming the limit, and never opened for reading."""
    from backspasm_edu.instructor import report

    store = ProgressStore(tmp_path / "home.sqlite")
    class_of_three(store)
    export = tmp_path / "class.json"
    export.write_bytes(store.export().ljust(5000))  # trailing spaces: still a valid export
    monkeypatch.setattr(dashboard, "MAX_FILE_BYTES", 1000)
    view = InstructorDashboard()
    opened: list[object] = []
    monkeypatch.setattr(report, "open", lambda *args, **kwargs: opened.append(args), raising=False)

    text = load_path(view, export)

    assert (
        f"{export}: expected a file of at most 0.001 MB, got one of 0.005 MB; "
        "`backspasm-edu report` reads larger files"
    ) in text
    assert opened == []
    assert "No answers recorded yet" not in text


def test_an_upload_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    """An uploaded export larger than the limit is named as too large; what was shown stays."""
    answer(Recorder(default_store(), "Dee", "quiz", QUIZ, 12), CHOICE, "get_help_now", True, 1)
    store = ProgressStore(tmp_path / "home.sqlite")
    class_of_three(store)
    data = store.export().ljust(5000)
    view = InstructorDashboard()
    monkeypatch.setattr(dashboard, "MAX_FILE_BYTES", 1000)

    view.upload.value = uploaded(("class.json", data))

    text = visible_text(view.message)
    assert "⚠ 1 file could not be read" in text
    assert "class.json: expected a file of at most 0.001 MB, got one of 0.005 MB" in text
    assert [record.learner for record in view.records] == ["Dee"]


def test_a_damaged_class_store_says_what_to_do(own_progress_store):
    """A store overwritten mid-file is refused with the integrity check's advice, not shown in part."""
    store = default_store()
    class_of_three(store)
    first = store.records()[0]
    store.add(dataclasses.replace(first, record_id=f"copy{n}") for n in range(300))
    connection = sqlite3.connect(own_progress_store)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(own_progress_store.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 1000] = b"\xa5" * 1000
    own_progress_store.write_bytes(bytes(data))

    view = InstructorDashboard()

    assert (
        f"{own_progress_store}: expected an undamaged progress store, got one SQLite finds "
        "damaged; keep a copy of it, then put back a backup or move it aside" in visible_text(view)
    )
