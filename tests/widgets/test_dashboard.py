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
from html import unescape

import ipywidgets as widgets
import pandas as pd
import pytest

from backspasm_edu.content.loader import load_library
from backspasm_edu.instructor.report import TIDY_COLUMNS
from backspasm_edu.progress import ProgressStore, Recorder, default_store
from backspasm_edu.widgets import InstructorDashboard, dashboard
from backspasm_edu.widgets.dashboard import CSV_FILE_NAME
from tests.builders import CHOICE, QUIZ, answer, class_of_three
from tests.postgres_server import PASSWORD
from tests.widgets.helpers import markup_of, unlabelled, visible_text, walk

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


def csv_download(view: InstructorDashboard, file_name: str = CSV_FILE_NAME) -> str:
    """The text of the dashboard's download link for ``file_name`` (every answer's made first)."""
    if file_name == CSV_FILE_NAME:
        view.log_button.click()
    links = view.log_link.value if file_name == CSV_FILE_NAME else view.download.value
    match = re.search(
        rf'download="{re.escape(file_name)}" [^>]*href="data:text/csv;charset=utf-8;base64,([^"]+)"',
        links,
    )
    assert match, links
    return base64.b64decode(match.group(1)).decode("utf-8")


def question_text(question_id: str, quiz_id: str = QUIZ) -> str:
    """A question's prompt, as the content states it."""
    quiz = load_library().quizzes[quiz_id]
    return next(question.prompt for question in quiz.questions if question.id == question_id)


def exported_csv(view: InstructorDashboard) -> pd.DataFrame:
    """The table behind the dashboard's Export CSV link."""
    return pd.read_csv(io.StringIO(csv_download(view)))


def test_an_empty_class_says_no_answers_yet_and_creates_no_store(own_progress_store):
    """With no store yet the dashboard says "No answers recorded yet" and writes no file."""
    dashboard = InstructorDashboard()
    text = visible_text(dashboard)
    assert "ℹ No answers recorded yet" in text
    assert dashboard.download.value == ""
    assert dashboard.answer_log.layout.display == "none"
    assert dashboard.chart.value == ""
    assert not own_progress_store.exists()
    dashboard.load_button.click()
    assert "No answers recorded yet" in visible_text(dashboard)
    assert not own_progress_store.exists()


def test_load_shows_the_class_results_from_the_store(store_location):
    """Load reads the store: class size, the question most missed to teach again, answer counts."""
    store = default_store()  # as serve opens it before any page
    dashboard = InstructorDashboard()
    assert "No answers recorded yet" in visible_text(dashboard)
    class_of_three(store)
    choice = question_text(CHOICE)

    dashboard.load_button.click()

    assert "✓ Read 9 records from 1 file" in visible_text(dashboard)
    summary = visible_text(dashboard.summary)
    assert "3 learners ; 3 started a quiz or case." in summary
    assert "Quiz: Back pain - when to get help 3 0 none finished yet" in summary
    assert "67% of 3 learners wrong first time" in summary
    items = visible_text(dashboard.items)
    assert f"33% right first time : {choice}" in unescape(items)
    assert re.search(r"Rest at home, because his pain is only mild ✗ not right 2 67", items)
    assert "37 degrees Celsius ✗ not right 1 33" in items
    assert dashboard.chart.value.count("<title>") == 2  # both questions under 80%, one bar each
    assert "<img" not in dashboard.chart.value
    assert PASSWORD not in markup_of(dashboard)  # a database URL is shown without it


def test_export_csv_holds_every_record_once(tmp_path):
    """The Export CSV link is a data URL of the tidy table, one row per record."""
    class_of_three(default_store())
    dashboard = InstructorDashboard()

    table = exported_csv(dashboard)

    assert 'download="backspasm-class-results.csv"' in dashboard.log_link.value
    assert list(table.columns) == list(TIDY_COLUMNS)
    assert len(table) == 9


def test_every_answer_csv_is_made_when_asked_and_focus_moves_to_its_link():
    """Loading sends no record log; "Prepare every answer" makes the link, hides itself and focuses it."""
    class_of_three(default_store())
    dashboard = InstructorDashboard()
    assert dashboard.answer_log.layout.display == "flex"
    assert (
        dashboard.log_link.value == ""
        and "base64" not in dashboard.download.value.split("Gradebook for Canvas")[-1]
    )

    dashboard.log_button.click()

    assert dashboard.log_button.layout.display == "none"
    assert 'data-backspasm-focus="' in dashboard.log_link.value
    assert "Every answer (CSV)" in dashboard.log_link.value
    dashboard.load_button.click()
    assert dashboard.log_link.value == "" and dashboard.log_button.layout.display == ""


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
    assert "4 learners ; 4 started" in visible_text(dashboard.summary)
    assert f"50% right first time : {question_text(CHOICE)}" in unescape(
        visible_text(dashboard.items)
    )


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
    assert "4 learners ; 4 started" in visible_text(dashboard.summary)


def test_a_bad_file_to_load_shows_a_warning_and_keeps_the_results(tmp_path):
    """Loading a missing or foreign file shows ⚠ naming it; the results shown stay as they were."""
    class_of_three(default_store())
    dashboard = InstructorDashboard()
    shown = dashboard.items.value
    (tmp_path / "notes.txt").write_text("not progress")

    for path in (tmp_path / "missing.sqlite", tmp_path / "notes.txt"):
        dashboard.path.value = str(path)
        dashboard.load_button.click()
        text = visible_text(dashboard.message)
        assert text.startswith("⚠ That file could not be read")
        assert f"{path}: expected a progress store" in text
        assert "The results below are unchanged." in text
        assert dashboard.items.value == shown
    assert not (tmp_path / "missing.sqlite").exists()


def test_names_and_answers_are_shown_as_text_never_as_html():
    """A learner name with HTML in it is escaped in every table, so it cannot change the page."""
    recorder = Recorder(default_store(), "<b>Sam</b>", "quiz", "my_quiz", 1)
    recorder.record(item_id="q1", answer="<i>x</i>", correct=False, score=0.0, attempt=1, topic="t")

    dashboard = InstructorDashboard()

    page = markup_of(dashboard)
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


def test_under_a_hub_a_student_is_told_the_page_is_for_the_hubs_instructors(monkeypatch):
    """On a student's hub server, even with the right key in the address, the page refuses and says who it is for."""
    monkeypatch.setenv("JUPYTERHUB_USER", "alice")
    monkeypatch.delenv("JUPYTERHUB_API_URL", raising=False)
    monkeypatch.setenv("BACKSPASM_EDU_INSTRUCTOR_KEY", "s3cret")
    monkeypatch.setenv("QUERY_STRING", "key=s3cret")
    locked = InstructorDashboard()
    text = visible_text(locked)
    assert "This page is for the instructor" in text
    assert "members of its instructors group" in text and "instructor link" not in text
    assert not any(isinstance(widget, widgets.FileUpload) for widget in walk(locked))


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
    assert "3 learners ; 3 started" in visible_text(view.summary)
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
    shown = view.items.value
    pipe = tmp_path / "class.sqlite"
    os.mkfifo(pipe)

    text = load_path(view, pipe)

    assert text.startswith("⚠ That file could not be read")
    assert f"{pipe}: expected a progress store or export file, got a named pipe" in text
    assert view.items.value == shown


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


# --- the class results from real quiz and case sessions -------------------------------------


@pytest.fixture
def class_store():
    """Ana finishes the quiz all right; Ben finishes it (every 3rd wrong) and takes the case's
    last choices; Cy stops the quiz after two questions and takes the case's first choices."""
    from tests.progress.test_course_record import take_quiz, walk_case

    store = default_store()
    take_quiz(store, "Ana")
    take_quiz(store, "Ben", wrong_every=3)
    walk_case(store, "Ben", lambda choices: choices[-1])
    take_quiz(store, "Cy", stop_after=2)
    walk_case(store, "Cy", lambda choices: choices[0])
    return store


def class_figures(store: ProgressStore):
    """The instructor layer's figures for the store, computed apart from the dashboard."""
    from backspasm_edu.instructor import figures
    from backspasm_edu.instructor.gradebook import class_records, gradebook
    from backspasm_edu.instructor.report import load_records

    records = load_records([str(store.path)])
    library = load_library()
    course = class_records(records, library)
    return {
        "summary": figures.class_summary(records, library, course),
        "gradebook": gradebook(records, library, course=course),
        "items": figures.item_analysis(records, library),
        "answers": figures.answer_counts(records, library),
        "cases": figures.case_analysis(records, library),
    }


def grid_rows(view: InstructorDashboard) -> list[str]:
    """The learner names heading the grid's rows, top to bottom."""
    return [
        unescape(name) for name in re.findall(r'<th scope="row"[^>]*>([^<]*)</th>', view.grid.value)
    ]


def test_the_summary_comes_first_with_each_activity_and_what_to_teach_again(class_store):
    """The summary is the first result: class size, started, finished, medians and three things to teach again."""
    from tests.progress.test_course_record import CASE, outcome, record_of

    view = InstructorDashboard()
    summary = unescape(visible_text(view.summary))
    expected = class_figures(class_store)["summary"]

    assert view.results.children[0] is view.summary
    assert "3 learners ; 3 started a quiz or case." in summary
    ana, ben = (outcome(record_of(class_store, name)).best.score for name in ("Ana", "Ben"))
    quiz_median = round((ana + ben) / 2, 1)
    assert f"Quiz: Back pain - when to get help 3 2 {quiz_median:g} of 12 points" in summary
    cases = [
        next(line for line in record_of(class_store, name).cases if line.scenario_id == CASE)
        for name in ("Ben", "Cy")
    ]
    shares = sorted(100 * case.points / case.max_points for case in cases)
    case_median = round(sum(shares) / 2, 1)
    assert (
        f"Case: The warning sign hidden in small talk 2 2 {case_median:g}% of the best "
        "possible points" in summary
    )
    assert "Case: A spasm after lifting a heavy box 0 0 none finished yet" in summary
    assert len(expected.teach_again) == 3
    positions = [summary.index(unescape(item.text)) for item in expected.teach_again]
    assert positions == sorted(positions)
    for item in expected.teach_again:
        assert f"{item.wrong_first_time}% of {item.learners} learner" in summary
    assert summary.index("To teach again") < summary.index("Each quiz and case")


def test_the_summary_names_who_may_need_help_before_what_to_teach_again(class_store):
    """Under the class size, the learners to check are named with their reasons, unsafe first."""
    view = InstructorDashboard()
    summary = unescape(visible_text(view.summary))
    expected = class_figures(class_store)["summary"].to_check

    assert [item.learner for item in expected][:1] == ["Ben"] and expected[0].unsafe > 0
    assert "Cy" in [item.learner for item in expected]
    assert "Ana" not in [item.learner for item in expected]
    start = summary.index("Who may need help")
    assert start < summary.index("To teach again")
    for item in expected:
        line = f"{item.learner} : " + "; ".join(item.reasons)
        assert line in summary[start:], line
    assert "\u26a0 unsafe choice in" in summary


def test_the_skipped_records_line_stays_above_the_summary(class_store):
    """A record with a time that is no time is counted in a ⚠ line shown before the summary."""
    first = class_store.records()[0]
    class_store.add([dataclasses.replace(first, record_id="forged", recorded_at="never")])

    view = InstructorDashboard()

    children = list(view.children)
    assert children.index(view.message) < children.index(view.results)
    assert "⚠ 1 record skipped: 1 with a time that is not a date and time" in visible_text(
        view.message
    )
    assert "3 learners" in visible_text(view.summary)


def test_the_grid_shows_each_learners_state_and_mark_in_words(class_store):
    """Each learner's row says finished with the mark, in progress or not started, with a symbol."""
    from tests.progress.test_course_record import CASE, outcome, record_of

    view = InstructorDashboard()
    view.activity_filter.value = "Quiz: Back pain - when to get help"
    grid = unescape(visible_text(view.grid))
    ben = outcome(record_of(class_store, "Ben")).best.score

    assert "Ana ✓ Finished 12 of 12 points" in grid
    assert f"Ben ✓ Finished {round(ben, 1):g} of 12 points" in grid
    assert ben < 12
    assert "Cy ◐ In progress" in grid
    view.activity_filter.value = "Case: The warning sign hidden in small talk (%)"
    grid = unescape(visible_text(view.grid))
    for name in ("Ben", "Cy"):
        case = next(c for c in record_of(class_store, name).cases if c.scenario_id == CASE)
        assert f"{name} ✓ Finished {round(100 * case.points / case.max_points, 1):g}%" in grid
    assert "Ana ○ Not started" in grid


def test_the_grid_sorts_by_an_activity_and_filters_by_name_and_activity(class_store):
    """Sorting by the quiz puts the learner in progress first and the best last; the name box and activity list narrow the grid."""
    view = InstructorDashboard()
    assert grid_rows(view) == ["Ana", "Ben", "Cy"]
    quiz = "Quiz: Back pain - when to get help"

    view.sort_by.value = quiz
    assert grid_rows(view) == ["Cy", "Ben", "Ana"]
    view.learner_filter.value = "  bE "
    assert grid_rows(view) == ["Ben"]
    view.learner_filter.value = "nobody"
    assert grid_rows(view) == []
    assert "No learner's name contains that" in unescape(visible_text(view.grid))
    view.learner_filter.value = ""
    view.activity_filter.value = quiz
    heads = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', view.grid.value)
    assert heads == ["Learner", quiz]
    view.sort_by.value = ""
    assert grid_rows(view) == ["Ana", "Ben", "Cy"]


def test_the_grid_is_a_table_a_screen_reader_reads(class_store):
    """The grid has a caption, column and row heads with scope, and each cell names its column for phone cards."""
    view = InstructorDashboard()
    grid = view.grid.value
    columns = len(class_figures(class_store)["gradebook"].columns) - 2

    assert grid.startswith('<table class="backspasm-cards"')
    assert "<caption" in grid and "Each learner&#x27;s work: 3 learners of 3" in grid
    assert grid.count('<th scope="col"') == columns + 1
    assert grid.count('<th scope="row"') == 3
    assert grid.count("data-label=") == 3 * columns
    assert unlabelled(view) == []
    assert view.learner_filter.description == "Learner name contains"
    assert view.activity_filter.description == "Activity"
    assert view.sort_by.description == "Sort by"


def test_item_analysis_shows_every_question_with_its_answer_counts(class_store):
    """Each question answered is listed hardest first with its % right first time and every answer's count."""
    view = InstructorDashboard()
    text = unescape(visible_text(view.items))
    figures = class_figures(class_store)
    items, answers = figures["items"], figures["answers"]

    assert len(items) > 3
    assert text.count("% right first time") == len(items)
    positions = []
    for item in items.to_dict("records"):
        line = f"{item['Right first time (%)']}% right first time : {item['Question']}"
        assert line in text
        positions.append(text.index(line))
    assert positions == sorted(positions)
    assert items["Right first time (%)"].is_monotonic_increasing
    for row in answers.to_dict("records"):
        right = "✓ right" if row["Right"] == "yes" else "✗ not right"
        assert f"{row['Answer']} {right} {row['Learners']} {row['Share (%)']}" in text
    assert "when_to_seek_care" not in text


def test_case_analysis_shares_each_choice_and_marks_the_unsafe_ones(class_store):
    """Each case point reached lists each choice's share; a poor choice at a red-flag scene says ⚠ unsafe."""
    from backspasm_edu.instructor.figures import UNSAFE

    view = InstructorDashboard()
    text = unescape(visible_text(view.cases))
    cases = class_figures(class_store)["cases"]
    unsafe_taken = cases[(cases["Safety"] == UNSAFE) & (cases["Learners"] > 0)]

    assert not unsafe_taken.empty
    assert "⚠ an unsafe choice was taken here" in text
    for row in cases.to_dict("records"):
        safety = row["Safety"] or "-"
        assert (
            f"{row['Choice']} {row['Rating']} {row['Learners']} {row['Share (%)']} {safety}" in text
        )


def test_the_chart_is_an_svg_of_the_hard_questions_labelled_with_their_text(class_store):
    """The chart is an SVG image with a title and description, one bar per question under 80% right first time, hardest first."""
    view = InstructorDashboard()
    chart = unescape(view.chart.value)
    items = class_figures(class_store)["items"]
    hard = items[items["Right first time (%)"] < 80]

    assert '<svg xmlns="http://www.w3.org/2000/svg"' in chart
    assert 'role="img"' in chart and "<desc" in chart
    assert "<img" not in chart
    bar_titles = re.findall(r"<g><title>([^<]*)</title>", chart)
    assert len(bar_titles) == min(len(hard), 10) > 0
    for title, row in zip(bar_titles, hard.to_dict("records"), strict=False):
        assert title.startswith(f"{' '.join(row['Question'].split())} (")
        assert f": {row['Right first time (%)']}% of {row['Learners']} learner" in title
    longest = max(hard["Question"], key=len)
    assert len(longest) > 44
    assert " …</text>" in chart
    assert f">{longest}</text>" not in chart


def test_the_gradebook_downloads_are_the_moodle_and_canvas_csv(class_store):
    """The Moodle and Canvas links hold the instructor layer's gradebook CSV, beside the raw log."""
    from backspasm_edu.instructor.gradebook import CANVAS_COLUMNS, gradebook_csv
    from backspasm_edu.widgets.dashboard import GRADEBOOK_FILE_NAMES

    view = InstructorDashboard()
    table = class_figures(class_store)["gradebook"]

    moodle = csv_download(view, GRADEBOOK_FILE_NAMES["moodle"])
    canvas = csv_download(view, GRADEBOOK_FILE_NAMES["canvas"])
    assert moodle == gradebook_csv(table, "moodle")
    assert canvas == gradebook_csv(table, "canvas")
    rows = list(csv.DictReader(io.StringIO(moodle, newline="")))
    assert [row["Learner"] for row in rows] == ["Ana", "Ben", "Cy"]
    assert rows[0]["Quiz: Back pain - when to get help"] == "12.0"
    assert rows[2]["Quiz: Back pain - when to get help"] == ""
    assert next(csv.reader(io.StringIO(canvas)))[:5] == list(CANVAS_COLUMNS)
    assert len(exported_csv(view)) == len(class_store.records())
