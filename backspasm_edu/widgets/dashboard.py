"""The instructor dashboard: class results from progress stores and exports, as tables and a chart.

The view decides nothing: ``instructor.report`` reads the files (never writing to them) and
computes every number; the view shows them and offers the records as a CSV download. Files
named in the box or uploaded are read only if regular files of at most ``MAX_FILE_BYTES``.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from backspasm_edu.instructor.access import may_see_class_results
from backspasm_edu.progress import ProgressError, store_path
from backspasm_edu.widgets._common import LABEL_STYLE, button, escape, feedback_html
from backspasm_edu.widgets._page import page_parameter

if TYPE_CHECKING:
    import pandas as pd

    from backspasm_edu.instructor.report import LoadedRecords

__all__ = ["CSV_FILE_NAME", "MAX_FILE_BYTES", "InstructorDashboard", "instructor_allowed"]

CSV_FILE_NAME = "backspasm-class-results.csv"
MAX_FILE_BYTES = 20_000_000
"""The largest file the page reads, named in the box or uploaded (checked before reading)."""
_BUTTON_LINK_STYLE = (
    "display:inline-block;padding:0.3em 0.9em;border:1px solid #0d47a1;border-radius:4px;"
    "color:#0d47a1;text-decoration:none;font-weight:600"
)
_SECTIONS = (
    ("difficulty", "How hard is each question?"),
    ("wrong", "Wrong answers chosen most"),
    ("completion", "How far each learner got"),
    ("mastery", "Points by topic"),
)


_INSTRUCTORS_ONLY = feedback_html(
    "warning",
    "This page is for the instructor",
    "<p>It shows every learner's answers, so it opens only with the instructor link that "
    "<code>backspasm-edu serve</code> printed when it started. Running Voila yourself on your "
    "own computer? Start it with <code>BACKSPASM_EDU_SINGLE_USER=1</code> set, or set "
    "<code>BACKSPASM_EDU_INSTRUCTOR_KEY</code> and add <code>?key=</code> to the address.</p>",
)


def instructor_allowed() -> bool:
    """Whether this page may show class results, by the key in its address (instructor.access)."""
    return may_see_class_results(page_parameter("key"))


def _percent(value: float) -> str:
    return f"{value:.0%}"


def _time(value: Any) -> str:
    return str(value.strftime("%Y-%m-%d %H:%M UTC"))


def _table_html(frame: pd.DataFrame, caption: str, hidden: tuple[str, ...] = ()) -> str:
    """A results table as HTML: named for screen readers, no index, shares as percentages."""
    from backspasm_edu.render.tables import styled

    shown = frame.drop(columns=[column for column in hidden if column in frame.columns])
    formats: dict[str, Any] = {}
    for column in shown.columns:
        if column in ("Right first time", "Right in the end", "Share"):
            formats[column] = _percent
        elif column == "Points":
            formats[column] = "{:g}"
        elif column == "Last activity":
            formats[column] = _time
    # Learners' names and typed answers are data: escaped, never read as HTML.
    html: str = (
        styled(shown)
        .format(formats, escape="html")
        .set_table_attributes(f'aria-label="{escape(caption)}"')
        .to_html()
    )
    return html


class InstructorDashboard(widgets.VBox):
    """Class results: per question, per wrong answer, per learner and per topic.

    Opens the default progress store (or ``path``); **Load** reads the store or export file
    named in the box instead, and uploading exports or stores adds them to what is shown
    (each record once). Files are only read. Bad files give a ⚠ message naming the file.
    ``records`` holds what is shown and ``tables`` the summaries, by name.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, **kwargs: Any) -> None:
        from backspasm_edu.instructor.report import LoadedRecords

        if not instructor_allowed():
            super().__init__([widgets.HTML(_INSTRUCTORS_ONLY)], **kwargs)
            return
        self.records: LoadedRecords = LoadedRecords()
        self.tables: dict[str, pd.DataFrame] = {}
        self.path = widgets.Text(
            value=os.fspath(store_path(path)),
            description="Progress store or export file",
            placeholder="backspasm-progress.sqlite or an exported .json file",
            continuous_update=False,
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto", min_width="20em", flex="1 1 34em"),
        )
        self.load_button = button(
            "Load", "Read the progress store or export file named in the box", style="primary"
        )
        self.upload = widgets.FileUpload(
            accept=".json,.sqlite,.db",
            multiple=True,
            description="Add exports or stores",
            icon="",
            layout=widgets.Layout(width="auto"),
        )
        self.upload.tooltip = "Add learners' exported .json files or .sqlite stores to the results"
        self.message = widgets.HTML()
        self.overview = widgets.HTML()
        self.download = widgets.HTML()
        self.chart = widgets.HTML()
        self.sections = {key: widgets.HTML() for key, _title in _SECTIONS}
        help_text = widgets.HTML(
            "<small><strong>Load</strong> shows the store or export file named in the box "
            "(the class store by default). <strong>Add exports or stores</strong> adds "
            "learners' downloaded progress files to what is shown; each answer counts once. "
            f"Files are only read, never changed, and each may be up to "
            f"{MAX_FILE_BYTES / 1_000_000:g} MB.</small>"
        )
        controls = widgets.HBox(
            [self.path, self.load_button, self.upload],
            layout=widgets.Layout(flex_flow="row wrap", grid_gap="0.6em", align_items="center"),
        )
        self.results = widgets.VBox(
            [self.overview, self.download, self.chart, *self.sections.values()]
        )
        super().__init__(
            [
                controls,
                help_text,
                self.message,
                self.results,
            ],
            **kwargs,
        )
        self._default = Path(self.path.value)
        self.load_button.on_click(self._load)
        self.upload.observe(self._add_uploads, names="value")
        self._load()

    # --- reading ----------------------------------------------------------------------

    def _load(self, _button: object = None) -> None:
        """Show the store or export file named in the box, in place of what was shown."""
        from backspasm_edu.instructor.report import LoadedRecords, load_records

        name = str(self.path.value).strip() or os.fspath(self._default)
        if Path(name) == self._default and not self._default.exists():
            self._show(LoadedRecords(), [])
            return
        try:
            records = load_records([name], MAX_FILE_BYTES)
        except ProgressError as error:
            self.message.value = feedback_html(
                "warning",
                "That file could not be read",
                f"<p>{escape(str(error))}</p><p>The results below are unchanged.</p>",
            )
            return
        self._show(records, [])

    def _add_uploads(self, change: dict[str, Any]) -> None:
        """Add the records of each uploaded file; name each file that could not be read."""
        from backspasm_edu.instructor.report import merge_records, read_progress_bytes

        uploads = change["new"]
        if not uploads:
            return
        batches, problems = [], []
        for upload in uploads:
            name = str(upload["name"])
            try:
                content = upload["content"]
                batches.append((name, read_progress_bytes(content, name, MAX_FILE_BYTES)))
            except ProgressError as error:
                problems.append(str(error))
        self.upload.value = ()
        self._show(merge_records(batches, into=self.records), problems)

    # --- showing ----------------------------------------------------------------------

    def _show(self, records: LoadedRecords, problems: list[str]) -> None:
        """Show the records: the messages, counts, chart, tables and the CSV download."""
        from backspasm_edu.instructor.report import skipped_line

        warning = ""
        unusable = skipped_line(records.skipped)
        if unusable:
            warning += feedback_html(
                "warning",
                unusable,
                "<p>They cannot be used, so they are left out of the results; the files are "
                "unchanged.</p>",
            )
        if problems:
            items = "".join(f"<li>{escape(problem)}</li>" for problem in problems)
            count = len(problems)
            warning += feedback_html(
                "warning",
                f"{count} file{'s' if count > 1 else ''} could not be read",
                f"<ul style='margin:0.2em 0'>{items}</ul>",
            )
        self.records = records
        if not records:
            self.tables = {}
            for output in (self.overview, self.download, self.chart, *self.sections.values()):
                output.value = ""
            where = ", ".join(records.files) or os.fspath(self._default)
            self.message.value = warning + feedback_html(
                "info",
                "No answers recorded yet",
                f"<p>Nothing to show from {escape(where)}. Results appear here once learners "
                "answer quizzes or work through cases: press <strong>Load</strong> to look "
                "again, or add learners' exported files.</p>",
            )
            return
        self._show_results(records)
        files = len(records.files)
        skipped = f" ({records.duplicates} already read were skipped)" if records.duplicates else ""
        self.message.value = warning + feedback_html(
            "right",
            f"Read {len(records)} records from {files} file{'s' if files > 1 else ''}",
            escape(f"Files: {', '.join(records.files)}{skipped}."),
        )

    def _show_results(self, records: LoadedRecords) -> None:
        from backspasm_edu.instructor.report import (
            csv_text,
            difficulty_chart,
            item_difficulty,
            learner_completion,
            tidy_table,
            topic_mastery,
            wrong_answers,
        )

        table = tidy_table(records)
        self.tables = {
            "records": table,
            "difficulty": item_difficulty(table),
            "wrong": wrong_answers(table),
            "completion": learner_completion(table),
            "mastery": topic_mastery(table),
        }
        learners = int(table["learner"].nunique())
        quizzes = int((table["activity"] == "quiz").sum())
        steps = len(records) - quizzes
        self.overview.value = (
            f"<p><strong>{learners}</strong> learner{'s' if learners != 1 else ''}, "
            f"<strong>{len(records)}</strong> records: {quizzes} quiz "
            f"answer{'s' if quizzes != 1 else ''} and {steps} case step{'s' if steps != 1 else ''}"
            ".</p>"
        )
        data = csv_text(table).encode("utf-8")
        self.download.value = (
            f'<a download="{CSV_FILE_NAME}" style="{_BUTTON_LINK_STYLE}" '
            f'href="data:text/csv;charset=utf-8;base64,{base64.b64encode(data).decode("ascii")}">'
            '<span aria-hidden="true">⬇</span> Export CSV</a> '
            "<small>one row per record, for a spreadsheet</small>"
        )
        difficulty = self.tables["difficulty"]
        self.chart.value = (
            difficulty_chart(difficulty)._repr_html_() if not difficulty.empty else ""
        )
        hidden = ("Quiz id", "Topic id", "Activity id", "Recorded as")
        empty_words = {
            "difficulty": "No quiz answers yet.",
            "wrong": "No wrong quiz answers yet.",
            "completion": "No quizzes or cases started yet.",
            "mastery": "No quiz questions finished yet.",
        }
        for key, title in _SECTIONS:
            frame = self.tables[key]
            body = (
                feedback_html("info", empty_words[key])
                if frame.empty
                else _table_html(frame, title, hidden)
            )
            self.sections[key].value = f"<h2>{escape(title)}</h2>{body}"
