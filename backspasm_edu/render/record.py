"""A learner's course record as a dated page to print or save: apps, quizzes, cases, review."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from backspasm_edu.content.course import COURSE_TITLE, CourseApp, app_teaching
from backspasm_edu.engines.quiz import REVIEW_BELOW
from backspasm_edu.progress.course import AppState, CaseOutcome, CourseRecord, QuizOutcome
from backspasm_edu.render.pictures import course_progress_svg
from backspasm_edu.render.plan import made_on_text

__all__ = ["RECORD_FILE_STEM", "points_text", "record_download_link", "record_html"]

RECORD_FILE_STEM = "my_course_record"
"""The downloaded record's file name, before .html."""
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em;"
    "line-height:1.5;color:#111}"
    "table{border-collapse:collapse;margin:0 0 1em}th,td{border:1px solid #555;"
    "padding:0.3em 0.6em;text-align:left;vertical-align:top}"
    "svg{max-width:26em}"
    "@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}"
)

Href = Callable[[CourseApp], str]
"""Where a link to an app goes (in the app, one that keeps the learner's own link)."""


def points_text(score: float) -> str:
    """Points as a whole number or to one decimal place: 1, 0.5, 7.2."""
    return f"{round(score, 1):g}"


def _app_name(app: CourseApp, href: Href | None) -> str:
    title = html.escape(app.title)
    return f'<a href="{html.escape(href(app))}">{title}</a>' if href else title


def _state_text(state: AppState) -> str:
    detail = f" ({html.escape(state.detail)})" if state.detail else ""
    if state.done:
        return f'<span aria-hidden="true">✓</span> Done{detail}'
    if state.started:
        return f'<span aria-hidden="true">◐</span> Started{detail}'
    return '<span aria-hidden="true">○</span> Not started'


def _table(columns: Sequence[str], rows: Iterable[tuple[str, str]]) -> str:
    """A table of named rows (each its heading's markup and its cells' markup), as cards on a phone.

    Every cell carries its column's name (``data-label``) for the card layout.
    """
    head = "".join(f'<th scope="col">{html.escape(column)}</th>' for column in columns)
    body = "".join(f'<tr><th scope="row">{name}</th>{cells}</tr>' for name, cells in rows)
    return (
        f'<table class="backspasm-record-table backspasm-cards"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def _cells(columns: Sequence[str], values: Sequence[str]) -> str:
    """Cells of markup, each labelled with its column's name."""
    return "".join(
        f'<td data-label="{html.escape(column)}">{value}</td>'
        for column, value in zip(columns, values, strict=True)
    )


def _apps_html(record: CourseRecord, href: Href | None) -> str:
    rows = (
        (_app_name(app, href), _cells(["How far"], [_state_text(state)]))
        for app, state in record.apps
    )
    return f"<h3>Your way through the course</h3>{_table(['Part', 'How far'], rows)}"


_QUIZ_COLUMNS = ("Best score", "How it went")
_CASE_COLUMNS = ("Points", "Your first choices")


def _not_finished(started: bool) -> list[str]:
    return ["Started, not finished" if started else "Not started", "-"]


def _quiz_cells(outcome: QuizOutcome) -> str:
    best = outcome.best
    if best is None:
        return _cells(_QUIZ_COLUMNS, _not_finished(outcome.started))
    goes = "1 go" if outcome.finished_goes == 1 else f"{outcome.finished_goes} goes"
    return _cells(
        _QUIZ_COLUMNS,
        [
            f"{points_text(best.score)} of {best.max_score} points ({best.share:.0%})",
            f"{best.right_first_time} of {best.max_score} right first time; {goes} finished",
        ],
    )


def _quizzes_html(record: CourseRecord) -> str:
    rows = ((html.escape(outcome.title), _quiz_cells(outcome)) for outcome in record.quizzes)
    return (
        "<h3>Quizzes</h3><p>Each quiz shows your best finished go.</p>"
        f"{_table(['Quiz', *_QUIZ_COLUMNS], rows)}"
    )


def _case_cells(outcome: CaseOutcome) -> str:
    if not outcome.finished:
        return _cells(_CASE_COLUMNS, _not_finished(outcome.started))
    if outcome.poor_choices:
        choices = "".join(
            f"<li>{html.escape(step.choice_text)}</li>" for step in outcome.poor_choices
        )
        rethink = f"Think again about:<ul>{choices}</ul>"
    else:
        rethink = '<span aria-hidden="true">✓</span> No unhelpful first choices'
    return _cells(_CASE_COLUMNS, [f"{outcome.points} of {outcome.max_points} points", rethink])


def _cases_html(record: CourseRecord) -> str:
    rows = ((html.escape(outcome.title), _case_cells(outcome)) for outcome in record.cases)
    return (
        "<h3>Patient cases</h3><p>Each case shows your best finished go; your first choice at "
        f"each step is the one that counts.</p>{_table(['Case', *_CASE_COLUMNS], rows)}"
    )


def _review_html(record: CourseRecord, href: Href | None) -> str:
    mark = f"{REVIEW_BELOW:.0%}"
    finished = [outcome for outcome in record.quizzes if outcome.best is not None]
    if not finished:
        return "<h3>What to review</h3><p>Finish a quiz to see which topics to read again.</p>"
    topics = record.to_review
    if not topics:
        return (
            f'<h3>What to review</h3><p><span aria-hidden="true">✓</span> Nothing: you earned '
            f"at least {mark} of the points on every topic of the quizzes you finished.</p>"
        )
    items = []
    for topic in topics:
        app = app_teaching(topic.topic)
        where = f": read {_app_name(app, href)}" if app is not None else ""
        items.append(f"<li>{html.escape(topic.title)}{where}</li>")
    return (
        f"<h3>What to review</h3><p>Topics where you earned less than {mark} of the points in "
        f"your best go:</p><ul>{''.join(items)}</ul>"
    )


def _still_to_do_html(record: CourseRecord, href: Href | None) -> str:
    left = [app for app, state in record.apps if not state.done]
    if not left:
        return ""
    items = "".join(f"<li>{_app_name(app, href)}</li>" for app in left)
    return f"<h3>Still to do</h3><ul>{items}</ul>"


def record_html(
    record: CourseRecord,
    name: str = "",
    *,
    standalone: bool = True,
    made_on: date | None = None,
    href: Href | None = None,
) -> str:
    """The record as a printable web page, or as a fragment for an app when not standalone.

    ``href`` links each app named (in the app, to keep the learner's own link); without it the
    apps are named in plain words, as in a downloaded or printed record.
    """
    total = len(record.apps)
    heading = (
        "You finished the course"
        if record.complete
        else f"Your course record: {record.done_count} of {total} done"
    )
    who = f" for <strong>{html.escape(name)}</strong>" if name else ""
    picture = (
        course_progress_svg([state.done for _app, state in record.apps]) if record.apps else ""
    )
    parts = [
        f"<h2>{html.escape(heading)}</h2>",
        f"<p>{html.escape(COURSE_TITLE)}: course record{who}, made on {made_on_text(made_on)}.</p>",
        f'<div class="backspasm-picture" style="max-width:420px">{picture}</div>',
        _apps_html(record, href),
        _quizzes_html(record),
        _cases_html(record),
        _review_html(record, href),
        _still_to_do_html(record, href),
        "<p><small>This record shows what you did in these apps. It is for learning, not a "
        "qualification.</small></p>",
    ]
    article = (
        '<article class="backspasm-record backspasm-printable" aria-label="Your course record">'
        f"{''.join(parts)}</article>"
    )
    if not standalone:
        return article
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Course record - {html.escape(COURSE_TITLE)}</title><style>{_STYLE}</style>"
        f"</head><body>{article}</body></html>\n"
    )


def record_download_link(record: CourseRecord, name: str = "") -> str:
    """A link that saves the record as a web page to print or keep: a data URL, no JavaScript."""
    page = base64.b64encode(record_html(record, name).encode("utf-8")).decode("ascii")
    return (
        f'<a download="{RECORD_FILE_STEM}.html" href="data:text/html;charset=utf-8;base64,'
        f'{page}">Download my course record (web page)</a>'
    )
