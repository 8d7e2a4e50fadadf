"""The instructor dashboard: who is stuck, on what, and what to teach again, from the class's work.

The view decides nothing: ``instructor.report`` reads the files (never writing to them) and
``instructor.figures`` and ``instructor.gradebook`` compute every number; the view shows them,
summary first, and offers the gradebook and the records as CSV downloads. Files named in the
box or uploaded are read only if regular files of at most ``MAX_FILE_BYTES``.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from backspasm_edu.instructor.access import may_see_class_results
from backspasm_edu.progress import NO_NAME, ProgressError, shown_location, store_location
from backspasm_edu.progress.identity import hub_user
from backspasm_edu.render.class_results import GridCell, GridRow, Status
from backspasm_edu.widgets._common import (
    LABEL_STYLE,
    button,
    escape,
    feedback_html,
    focus_region,
    move_focus,
)
from backspasm_edu.widgets._page import page_parameter

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

    from backspasm_edu.instructor.figures import ClassSummary, LearnerToCheck
    from backspasm_edu.instructor.gradebook import GradeItem
    from backspasm_edu.instructor.report import LoadedRecords
    from backspasm_edu.progress.course import CourseRecord

__all__ = [
    "CHART_BELOW",
    "CSV_FILE_NAME",
    "GRADEBOOK_FILE_NAMES",
    "MAX_FILE_BYTES",
    "InstructorDashboard",
    "instructor_allowed",
]

CSV_FILE_NAME = "backspasm-class-results.csv"
GRADEBOOK_FILE_NAMES = {
    "moodle": "backspasm-gradebook-moodle.csv",
    "canvas": "backspasm-gradebook-canvas.csv",
}
CHART_BELOW = 80
"""The chart shows the questions fewer than this % of learners got right first time."""
CHART_BARS = 10
"""The most questions the chart shows, hardest first; the item analysis lists every one."""
ALL_ACTIVITIES = "All activities"
MAX_FILE_BYTES = 20_000_000
"""The largest file the page reads, named in the box or uploaded (checked before reading)."""
_BUTTON_LINK_STYLE = (
    "display:inline-block;padding:0.3em 0.9em;border:1px solid #0d47a1;border-radius:4px;"
    "color:#0d47a1;text-decoration:none;font-weight:600"
)
_STATUS_ORDER: dict[Status, int] = {"not_started": 0, "in_progress": 1, "finished": 2}
"""How the grid sorts by an activity: not started, then in progress, then finished."""


_INSTRUCTORS_ONLY = feedback_html(
    "warning",
    "This page is for the instructor",
    "<p>It shows every learner's answers, so it opens only with the instructor link that "
    "<code>backspasm-edu serve</code> printed when it started. Running Voila yourself on your "
    "own computer? Start it with <code>BACKSPASM_EDU_SINGLE_USER=1</code> set, or set "
    "<code>BACKSPASM_EDU_INSTRUCTOR_KEY</code> and add <code>?key=</code> to the address.</p>",
)

_HUB_INSTRUCTORS_ONLY = feedback_html(
    "warning",
    "This page is for the instructor",
    "<p>It shows every learner's answers, so on this class hub it opens only for the hub's "
    "admins and the members of its instructors group. Ask the hub's admin if you teach this "
    "class.</p>",
)


def instructor_allowed() -> bool:
    """Whether this page may show class results, by the key in its address (instructor.access)."""
    return may_see_class_results(page_parameter("key"))


def _link(file_name: str, text: str, label: str) -> str:
    """A download link of ``text`` as a CSV data URL, styled as a button."""
    data = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a download="{file_name}" style="{_BUTTON_LINK_STYLE}" '
        f'href="data:text/csv;charset=utf-8;base64,{data}">'
        f'<span aria-hidden="true">⬇</span> {escape(label)}</a>'
    )


def _activity_label(item: GradeItem) -> str:
    return f"{item.activity.capitalize()}: {item.title}"


def _mark_words(item: GradeItem, mark: float) -> str:
    """A gradebook mark in words: points of a quiz, or a case's percentage, one decimal."""
    if item.activity == "quiz":
        return f"{mark:g} of {item.out_of} points"
    return f"{mark:g}%"


def _grid_cell(item: GradeItem, status: Status, mark: float | None) -> GridCell:
    return GridCell(status, "" if mark is None else _mark_words(item, mark))


def _learners(count: int) -> str:
    return f"{count} learner{'' if count == 1 else 's'}"


def _to_check_html(to_check: Sequence[LearnerToCheck]) -> str:
    """The learners who may need help, each with the reasons, unsafe case choices first."""
    from backspasm_edu.instructor.figures import CHECK_SHOWN, LOW_MARK

    if not to_check:
        return "<p>Nobody yet: no unsafe case choice, low mark or unfinished work.</p>"
    items = "".join(
        f"<li><strong>{escape(item.learner)}</strong>: "
        + "; ".join(escape(reason) for reason in item.reasons)
        + "</li>"
        for item in to_check[:CHECK_SHOWN]
    )
    more = len(to_check) - CHECK_SHOWN
    rest = (
        f"<p>And {_learners(more)} more: sort the grid below by an activity to see them.</p>"
        if more > 0
        else ""
    )
    return (
        f"<p><small>Unsafe choices at a case's warning signs first; then marks under "
        f"{LOW_MARK}% and work started but not finished.</small></p><ul>{items}</ul>{rest}"
    )


def _summary_html(summary: ClassSummary) -> str:
    """The class at a glance: size, each activity's figures and the things to teach again."""
    from backspasm_edu.render.tables import html_table

    rows = [
        {
            "Activity": f"{activity.kind.capitalize()}: {activity.title}",
            "Started": str(activity.started),
            "Finished": str(activity.finished),
            "Median mark of those finished": (
                "none finished yet"
                if activity.median is None
                else f"{activity.median:g} of {activity.out_of} points"
                if activity.kind == "quiz"
                else f"{activity.median:g}% of the best possible points"
            ),
        }
        for activity in summary.activities
    ]
    if summary.teach_again:
        items = "".join(
            f"<li><strong>{escape(item.kind.capitalize())}</strong> in "
            f"\u201c{escape(item.activity)}\u201d: {escape(item.text)} "
            f"<em>({item.wrong_first_time}% of {_learners(item.learners)} "
            f"{'wrong first time' if item.kind == 'question' else 'chose a poor option first'})"
            "</em></li>"
            for item in summary.teach_again
        )
        teach = f"<ol>{items}</ol>"
    else:
        teach = "<p>Nothing yet: no question or case decision was missed first time.</p>"
    return (
        "<h2>The class at a glance</h2>"
        f"<p><strong>{_learners(summary.learners)}</strong>; <strong>{summary.started}</strong> "
        "started a quiz or case.</p>"
        f"<h3>Who may need help</h3>{_to_check_html(summary.to_check)}"
        f"<h3>To teach again</h3>{teach}"
        + html_table(rows, "Each quiz and case: learners who started and finished it")
    )


def _item_html(items: pd.DataFrame, answers: pd.DataFrame) -> str:
    """Each question, hardest first, as a disclosure: its figures, then each answer's count."""
    from backspasm_edu.render.tables import html_table

    parts = []
    for item in items.to_dict("records"):
        mine = answers[
            (answers["Quiz"] == item["Quiz"]) & (answers["Question"] == item["Question"])
        ]
        with_parts = bool(mine["Part"].astype(bool).any())
        rows = [
            {
                **({"Part": str(row["Part"])} if with_parts else {}),
                "Answer": str(row["Answer"]),
                "Right": "✓ right" if row["Right"] == "yes" else "✗ not right",
                "Learners": str(row["Learners"]),
                "Share (%)": str(row["Share (%)"]),
            }
            for row in mine.to_dict("records")
        ]
        parts.append(
            "<details><summary>"
            f"<strong>{item['Right first time (%)']}% right first time</strong>: "
            f"{escape(str(item['Question']))} <small>({escape(str(item['Quiz']))}, "
            f"{escape(str(item['Kind']))}, {_learners(int(item['Learners']))})</small>"
            "</summary>" + html_table(rows, f"First answers to: {item['Question']}") + "</details>"
        )
    return "".join(parts)


def _case_html(cases: pd.DataFrame) -> str:
    """Each point of a case learners reached, as a disclosure of its choices' shares."""
    from backspasm_edu.render.tables import html_table

    parts = []
    for (case, scene), rows in cases.groupby(["Case", "Scene"], sort=False):
        taken_unsafe = bool(((rows["Safety"] != "") & (rows["Learners"] > 0)).any())
        warning = " <strong>⚠ an unsafe choice was taken here</strong>" if taken_unsafe else ""
        table = [
            {
                "Choice": str(row["Choice"]),
                "Rating": str(row["Rating"]),
                "Learners": str(row["Learners"]),
                "Share (%)": str(row["Share (%)"]),
                "Safety": str(row["Safety"]) or "-",
            }
            for row in rows.to_dict("records")
        ]
        parts.append(
            f"<details><summary>{escape(str(case))}: {escape(str(scene))}{warning}</summary>"
            + html_table(table, f"First choices at: {scene}")
            + "</details>"
        )
    return "".join(parts)


def _status(record: CourseRecord, item: GradeItem) -> Status:
    """Whether the learner finished, started or has not started the grade item's activity."""
    if item.activity == "quiz":
        outcome = next(line for line in record.quizzes if line.quiz_id == item.activity_id)
        done, started = outcome.best is not None, outcome.started
    else:
        case = next(line for line in record.cases if line.scenario_id == item.activity_id)
        done, started = case.finished, case.started
    return "finished" if done else "in_progress" if started else "not_started"


class InstructorDashboard(widgets.VBox):
    """Class results: the summary first, then each learner's work, then each question and case.

    Opens the default progress store (or ``path``: a file, or a ``postgresql://`` URL, shown
    in the box without its password); **Load** reads the store or export file named in the box
    instead, and uploading exports or stores adds them to what is shown
    (each record once). Files are only read. Bad files give a ⚠ message naming the file.
    ``records`` holds what is shown and ``tables`` the figures, by name.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, **kwargs: Any) -> None:
        from backspasm_edu.instructor.report import LoadedRecords

        if not instructor_allowed():
            refusal = _HUB_INSTRUCTORS_ONLY if hub_user() else _INSTRUCTORS_ONLY
            super().__init__([widgets.HTML(refusal)], **kwargs)
            return
        self.records: LoadedRecords = LoadedRecords()
        self.tables: dict[str, pd.DataFrame] = {}
        self._default = store_location(path)
        self.path = widgets.Text(
            value=shown_location(self._default),
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
        self.summary = widgets.HTML()
        self.download = widgets.HTML()
        self.log_button = button(
            "Prepare every answer (CSV)",
            "Make a CSV of every record shown, one row per record, to download",
        )
        self.log_link = widgets.HTML()
        self.log_region = focus_region(self.log_link)
        self.answer_log = widgets.HBox(
            [self.log_button, self.log_region],
            layout=widgets.Layout(display="none", align_items="center"),
        )
        self.grid_heading = widgets.HTML()
        self.learner_filter = widgets.Text(
            description="Learner name contains",
            placeholder="part of a name",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.activity_filter = widgets.Dropdown(
            description="Activity",
            options=[ALL_ACTIVITIES],
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.sort_by = widgets.Dropdown(
            description="Sort by",
            options=[("Learner name", "")],
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto"),
        )
        self.grid_controls = widgets.HBox(
            [self.learner_filter, self.activity_filter, self.sort_by],
            layout=widgets.Layout(
                flex_flow="row wrap", grid_gap="0.6em", align_items="center", display="none"
            ),
        )
        self.grid = widgets.HTML()
        self.chart = widgets.HTML()
        self.items = widgets.HTML()
        self.cases = widgets.HTML()
        self._grid_items: tuple[GradeItem, ...] = ()
        self._grid_rows: list[tuple[str, dict[str, tuple[Status, float | None]]]] = []
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
            [
                self.summary,
                self.download,
                self.answer_log,
                self.grid_heading,
                self.grid_controls,
                self.grid,
                self.chart,
                self.items,
                self.cases,
            ]
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
        self.load_button.on_click(self._load)
        self.log_button.on_click(self._prepare_log)
        self.upload.observe(self._add_uploads, names="value")
        for control in (self.learner_filter, self.activity_filter, self.sort_by):
            control.observe(self._show_grid, names="value")
        self._load()

    # --- reading ----------------------------------------------------------------------

    def _load(self, _button: object = None) -> None:
        """Show the store or export file named in the box, in place of what was shown."""
        from backspasm_edu.instructor.report import LoadedRecords, load_records

        name = str(self.path.value).strip()
        default = self._default
        # The box shows a database URL without its password: that text means the default.
        chosen = default if name in ("", shown_location(default)) else name
        if chosen == default and isinstance(default, Path) and not default.exists():
            self._show(LoadedRecords(), [])
            return
        try:
            records = load_records([chosen], MAX_FILE_BYTES)
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
        """Show the records: the messages, the summary, the grid, the figures and downloads."""
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
            self._grid_items, self._grid_rows = (), []
            for output in (
                self.summary,
                self.download,
                self.grid_heading,
                self.grid,
                self.chart,
                self.items,
                self.cases,
            ):
                output.value = ""
            self.grid_controls.layout.display = "none"
            self.answer_log.layout.display = "none"
            where = ", ".join(records.files) or shown_location(self._default)
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
        from backspasm_edu.content.loader import load_library
        from backspasm_edu.instructor import figures
        from backspasm_edu.instructor.gradebook import (
            class_records,
            grade_items,
            gradebook,
            gradebook_csv,
        )

        library = load_library()
        course = class_records(records, library)
        table = gradebook(records, library, course=course)
        self.tables = {
            "gradebook": table,
            "items": figures.item_analysis(records, library),
            "answers": figures.answer_counts(records, library),
            "cases": figures.case_analysis(records, library),
        }
        self.summary.value = _summary_html(
            figures.class_summary(records, library, course, table=table)
        )
        self.download.value = (
            "<p>"
            + _link(
                GRADEBOOK_FILE_NAMES["moodle"],
                gradebook_csv(table, "moodle"),
                "Gradebook for Moodle",
            )
            + " "
            + _link(
                GRADEBOOK_FILE_NAMES["canvas"],
                gradebook_csv(table, "canvas"),
                "Gradebook for Canvas",
            )
            + "</p><p><small>The gradebooks have one row per learner and one column per quiz "
            "(points) and case (percent); <strong>Every answer</strong> has one row per record, "
            "for a spreadsheet (it is made when asked for, as it can be large).</small></p>"
        )
        self.log_link.value = ""
        self.log_button.layout.display = ""
        self.answer_log.layout.display = "flex"
        self._show_learners(course, table, grade_items(library))
        self._show_figures()

    def _prepare_log(self, _button: object = None) -> None:
        """Make the CSV of every record shown and put its download link where focus goes."""
        from backspasm_edu.instructor.report import csv_text, tidy_table

        self.log_link.value = _link(
            CSV_FILE_NAME, csv_text(tidy_table(self.records)), "Every answer (CSV)"
        )
        self.log_button.layout.display = "none"
        move_focus(self.log_region)

    def _show_learners(
        self,
        course: dict[str, CourseRecord],
        table: pd.DataFrame,
        items: tuple[GradeItem, ...],
    ) -> None:
        """Keep each learner's state and mark per activity, then show the grid and its controls."""
        import pandas as pd

        by_key = {key or NO_NAME: record for key, record in course.items()}
        rows = []
        for row in table.to_dict("records"):
            record = by_key[str(row["Learner key"])]
            rows.append(
                (
                    str(row["Learner"]),
                    {
                        item.column: (
                            _status(record, item),
                            None if pd.isna(row[item.column]) else float(row[item.column]),
                        )
                        for item in items
                    },
                )
            )
        self._grid_items, self._grid_rows = items, rows
        labels = [(_activity_label(item), item.column) for item in items]
        with self.hold_trait_notifications():
            self.activity_filter.options = [(ALL_ACTIVITIES, ""), *labels]
            self.sort_by.options = [
                ("Learner name", ""),
                *((f"{label} (least done first)", column) for label, column in labels),
            ]
        self.grid_heading.value = "<h2>Each learner's work</h2>"
        self.grid_controls.layout.display = "flex"
        self._show_grid()

    def _show_grid(self, _change: object = None) -> None:
        """The grid, filtered by the name and activity chosen and sorted as chosen."""
        from backspasm_edu.render.class_results import learner_grid_html

        wanted = str(self.learner_filter.value).strip().casefold()
        shown = [row for row in self._grid_rows if wanted in row[0].casefold()]
        sort_column = self.sort_by.value
        if sort_column:
            shown.sort(
                key=lambda row: (
                    _STATUS_ORDER[row[1][sort_column][0]],
                    row[1][sort_column][1] or 0.0,
                    row[0].casefold(),
                )
            )
        items = [
            item
            for item in self._grid_items
            if not self.activity_filter.value or item.column == self.activity_filter.value
        ]
        if not shown:
            self.grid.value = feedback_html(
                "info", "No learner's name contains that", "<p>Clear the name box to see all.</p>"
            )
            return
        self.grid.value = learner_grid_html(
            f"Each learner's work: {_learners(len(shown))} of {len(self._grid_rows)}",
            [_activity_label(item) for item in items],
            [
                GridRow(
                    learner,
                    tuple(_grid_cell(item, *marks[item.column]) for item in items),
                )
                for learner, marks in shown
            ],
        )

    def _show_figures(self) -> None:
        """The chart of the hardest questions, every question's answers and every case choice."""
        from backspasm_edu.render.class_results import BarRow, hard_questions_svg

        items, answers, cases = self.tables["items"], self.tables["answers"], self.tables["cases"]
        hard = items[items["Right first time (%)"] < CHART_BELOW].head(CHART_BARS)
        if items.empty:
            chart = feedback_html("info", "No quiz answers yet.")
        elif hard.empty:
            chart = feedback_html(
                "right",
                f"Every question was right first time for at least {CHART_BELOW}% of learners",
            )
        else:
            chart = hard_questions_svg(
                f"Questions under {CHART_BELOW}% right first time, hardest first",
                [
                    BarRow(
                        str(row["Question"]),
                        str(row["Quiz"]),
                        int(row["Right first time (%)"]),
                        int(row["Learners"]),
                    )
                    for row in hard.to_dict("records")
                ],
            )
        self.chart.value = f"<h2>The hardest questions</h2>{chart}"
        self.items.value = (
            "<h2>Every question, hardest first</h2>"
            "<p><small>Open a question to see how many learners gave each answer on their "
            "first try.</small></p>" + _item_html(items, answers)
            if not items.empty
            else ""
        )
        self.cases.value = (
            "<h2>Case decisions</h2><p><small>Open a point of a case to see the share of "
            "learners whose first choice there was each option.</small></p>" + _case_html(cases)
            if not cases.empty
            else "<h2>Case decisions</h2>" + feedback_html("info", "No case choices yet.")
        )
