"""Class results as HTML and SVG: the learner by activity grid and a bar chart of hard questions."""

from __future__ import annotations

import itertools
import os
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Literal

__all__ = [
    "STATUS_WORDS",
    "BarRow",
    "GridCell",
    "GridRow",
    "Status",
    "hard_questions_svg",
    "learner_grid_html",
]

Status = Literal["finished", "in_progress", "not_started"]
STATUS_WORDS: dict[Status, str] = {
    "finished": "✓ Finished",
    "in_progress": "◐ In progress",
    "not_started": "○ Not started",
}
"""Each state of a learner's work on an activity in words with a symbol, never colour alone."""

_CELL = "text-align:left;vertical-align:top;white-space:normal;padding:0.25em 0.6em"
_CAPTION = "text-align:left;font-weight:bold;padding:0 0.5em 0.4em"
_STATUS_STYLE: dict[Status, str] = {
    "finished": "color:#1b5e20",
    "in_progress": "color:#7a4100",
    "not_started": "color:#444",
}


@dataclass(frozen=True)
class GridCell:
    """One learner's work on one activity: its state and, once finished, its mark in words."""

    status: Status
    mark: str = ""


@dataclass(frozen=True)
class GridRow:
    """One learner's row of the grid: the name shown and one cell per activity column."""

    learner: str
    cells: tuple[GridCell, ...]


def _cell_html(column: str, cell: GridCell) -> str:
    mark = f"<br>{escape(cell.mark)}" if cell.mark else ""
    return (
        f'<td style="{_CELL}" data-label="{escape(column)}">'
        f'<span style="{_STATUS_STYLE[cell.status]}">{escape(STATUS_WORDS[cell.status])}</span>'
        f"{mark}</td>"
    )


def learner_grid_html(caption: str, columns: Sequence[str], rows: Sequence[GridRow]) -> str:
    """The grid as a table: a row per learner (``<th scope="row">``), a column per activity.

    Each cell says finished, in progress or not started in words with a symbol, and the mark
    once finished. Cells carry their column head (``data-label``), so on a narrow screen the
    page style shows each learner as a card (class ``backspasm-cards``), never a table to
    scroll sideways. Every name and text is escaped.
    """
    head = "".join(
        f'<th scope="col" style="{_CELL}">{escape(column)}</th>' for column in ("Learner", *columns)
    )
    body = "".join(
        f'<tr><th scope="row" style="{_CELL}">{escape(row.learner)}</th>'
        + "".join(_cell_html(column, cell) for column, cell in zip(columns, row.cells, strict=True))
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="backspasm-cards" style="border-collapse:collapse">'
        f'<caption style="{_CAPTION}">{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


@dataclass(frozen=True)
class BarRow:
    """One question of the chart: its full text, where it is asked, and % right first time."""

    question: str
    quiz: str
    right_first_time: int
    learners: int


_CHART_WIDTH = 640
_LABEL_WIDTH = 300
_PLOT_LEFT, _PLOT_RIGHT = _LABEL_WIDTH + 10, _CHART_WIDTH - 60
_PLOT_TOP = 44
_ROW, _BAR = 40, 22
_LABEL_CHARACTERS = 44
"""How many characters of a question's text fit on its axis label (the rest is in its title)."""
_INK, _BAR_FILL = "#222", "#5c7cab"
_CHARTS = itertools.count(1)
"""Numbers each chart drawn in this process, so the ids of two charts on one page differ."""


def _x(percent: float) -> float:
    return _PLOT_LEFT + percent * (_PLOT_RIGHT - _PLOT_LEFT) / 100


def _short(text: str) -> str:
    return textwrap.shorten(" ".join(text.split()), _LABEL_CHARACTERS, placeholder=" …")


def hard_questions_svg(title: str, rows: Sequence[BarRow]) -> str:
    """Horizontal bars of % right first time, one a question, in the order given (hardest first).

    Each bar is labelled on the axis with its question's text, shortened; the full text, its
    quiz and its figures are in the bar's ``<title>`` (shown on hover) and in the chart's
    description for screen readers. The SVG has role="img" and scales to its container.
    """
    prefix = f"class-chart-{os.getpid()}-{next(_CHARTS)}"
    plot_bottom = _PLOT_TOP + _ROW * len(rows)
    bars = []
    for number, row in enumerate(rows):
        top = _PLOT_TOP + _ROW * number + (_ROW - _BAR) / 2
        middle = top + _BAR / 2 + 5
        words = (
            f"{row.question} ({row.quiz}): {row.right_first_time}% of {row.learners} "
            f"learner{'' if row.learners == 1 else 's'} right first time"
        )
        width = _x(row.right_first_time) - _PLOT_LEFT
        bars.append(
            f"<g><title>{escape(words)}</title>"
            f'<text x="{_PLOT_LEFT - 8}" y="{middle:.0f}" text-anchor="end" fill="{_INK}">'
            f"{escape(_short(row.question))}</text>"
            f'<rect x="{_PLOT_LEFT}" y="{top:.0f}" width="{width:.1f}" height="{_BAR}" '
            f'fill="{_BAR_FILL}" stroke="#000"/>'
            f'<text x="{_x(row.right_first_time) + 6:.1f}" y="{middle:.0f}" fill="{_INK}">'
            f"{row.right_first_time}%</text></g>"
        )
    ticks = "".join(
        f'<line x1="{_x(percent):.1f}" y1="{_PLOT_TOP}" x2="{_x(percent):.1f}" '
        f'y2="{plot_bottom + 5}" stroke="#bbb"/>'
        f'<text x="{_x(percent):.1f}" y="{plot_bottom + 21}" text-anchor="middle" '
        f'fill="{_INK}" font-size="12">{percent}%</text>'
        for percent in (0, 20, 40, 60, 80, 100)
    )
    axis_label = (
        f'<text x="{(_PLOT_LEFT + _PLOT_RIGHT) / 2:.0f}" y="{plot_bottom + 42}" '
        f'text-anchor="middle" fill="{_INK}">Learners right first time</text>'
    )
    heading = (
        f'<text x="0" y="{_PLOT_TOP - 18}" fill="{_INK}" font-size="16" font-weight="bold">'
        f"{escape(title)}</text>"
    )
    description = "Bar chart, hardest first. " + " ".join(
        f"{row.question}: {row.right_first_time}% right first time." for row in rows
    )
    height = plot_bottom + 52
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_CHART_WIDTH} {height}" '
        f'width="100%" style="max-width:{_CHART_WIDTH}px;height:auto" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        f'font-family="system-ui, sans-serif" font-size="13">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(description)}</desc>'
        f"{heading}{ticks}{''.join(bars)}{axis_label}</svg>"
    )
