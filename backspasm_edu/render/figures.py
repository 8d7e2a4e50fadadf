"""Figures drawn by our own code as SVG text: the back muscles, and the treatment evidence."""

from __future__ import annotations

import itertools
import os
from html import escape

from backspasm_edu.content.loader import load_library
from backspasm_edu.content.model import Treatment
from backspasm_edu.render.tables import EVIDENCE_WORDS, VERDICT_WORDS

__all__ = ["EVIDENCE_SCORES", "VERDICT_STYLES", "back_muscles_svg", "evidence_chart_svg"]

_WIDTH = 600
_CENTRE = 250
_TOP = 40
_DISC = 5
_REGIONS = (
    # label, vertebrae, bone width, bone height
    ("Neck", 7, 30, 13),
    ("Upper back", 12, 40, 17),
    ("Lower back", 5, 54, 24),
)
_HALF_HIGHLIGHT = 85
_LABEL_X = 352
_BONE, _BONE_LINE = "#f4efe4", "#6b5a3e"
_DISC_FILL, _DISC_LINE = "#9ecae1", "#2f5f7f"
_MUSCLE, _MUSCLE_LINE = "#d9746b", "#8c2f28"
_HIGHLIGHT, _HIGHLIGHT_LINE = "#ffe0b2", "#a34700"
_INK = "#222"

TITLE = "The spine and back muscles, seen from behind"
DESCRIPTION = (
    "A simple drawing of the spine from behind: a stack of small bones, the vertebrae, with a "
    "soft disc between each pair. It is split into the neck, the upper back and the lower back. "
    "Long back muscles run down both sides of the spine. The lower back is shaded, marked with a "
    "dashed line and labelled: where most spasms happen."
)


def _text(x: float, y: float, words: str, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.0f}" y="{y:.0f}" text-anchor="{anchor}" fill="{_INK}"{extra}>'
        f"{escape(words)}</text>"
    )


def _pointer(x1: float, y1: float, x2: float, y2: float) -> str:
    """A thin leader line from a label to what it names, ending in a dot."""
    return (
        f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" stroke="{_INK}" '
        f'stroke-width="1"/><circle cx="{x2:.0f}" cy="{y2:.0f}" r="2.5" fill="{_INK}"/>'
    )


def _smooth_path(points: list[tuple[float, float]]) -> str:
    """Path commands for a smooth curve through the points (Catmull-Rom as cubic Beziers)."""
    commands = [f"M{points[0][0]:.1f},{points[0][1]:.1f}"]
    padded = [points[0], *points, points[-1]]
    for i in range(len(points) - 1):
        before, start, end, after = padded[i : i + 4]
        c1 = (start[0] + (end[0] - before[0]) / 6, start[1] + (end[1] - before[1]) / 6)
        c2 = (end[0] - (after[0] - start[0]) / 6, end[1] - (after[1] - start[1]) / 6)
        commands.append(
            f"C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} {end[0]:.1f},{end[1]:.1f}"
        )
    return " ".join(commands)


def back_muscles_svg() -> str:
    """The spine and back muscles from behind, the lower back marked as where most spasms happen.

    Bones are rounded rectangles with discs between them, grouped and labelled as neck, upper
    back and lower back; the muscles run alongside. The lower back is shaded, outlined with a
    dashed line and labelled in words, so nothing depends on colour alone. The SVG carries a
    title and a description for screen readers and scales to its container (viewBox).
    """
    bones: list[str] = []
    discs: list[str] = []
    spans: list[tuple[str, float, float]] = []  # (label, top, bottom)
    y = float(_TOP)
    for label, count, width, height in _REGIONS:
        top = y
        for _ in range(count):
            bones.append(
                f'<rect x="{_CENTRE - width / 2:.1f}" y="{y:.1f}" width="{width}" '
                f'height="{height}" rx="{height / 3:.1f}" fill="{_BONE}" stroke="{_BONE_LINE}"/>'
            )
            y += height
            discs.append(
                f'<rect x="{_CENTRE - width / 2 + 3:.1f}" y="{y:.1f}" width="{width - 6}" '
                f'height="{_DISC}" rx="2" fill="{_DISC_FILL}" stroke="{_DISC_LINE}" '
                f'stroke-width="0.8"/>'
            )
            y += _DISC
        spans.append((label, top, y - _DISC))
    sacrum_top = y
    sacrum = (
        f'<path d="M{_CENTRE - 30},{sacrum_top:.0f} L{_CENTRE + 30},{sacrum_top:.0f} '
        f"L{_CENTRE + 7},{sacrum_top + 62:.0f} Q{_CENTRE},{sacrum_top + 70:.0f} "
        f'{_CENTRE - 7},{sacrum_top + 62:.0f} Z" fill="{_BONE}" stroke="{_BONE_LINE}"/>'
    )

    (_, neck_top, _), (_, upper_top, upper_bottom), (_, lower_top, lower_bottom) = spans
    # The muscles' outer edge, as (height, distance from the middle): thin at the neck, widest
    # in the lower back, narrowing onto the bottom of the spine. The inner edge hides behind
    # the bones.
    edge = [
        (neck_top + 40, 8.0),
        (upper_top, 30.0),
        ((upper_top + upper_bottom) / 2, 40.0),
        (lower_top, 56.0),
        ((lower_top + lower_bottom) / 2, 64.0),
        (lower_bottom, 54.0),
        (sacrum_top + 30, 12.0),
    ]
    muscles = []
    for side in (-1, 1):
        outer = _smooth_path([(_CENTRE + side * off, yy) for yy, off in edge])
        muscles.append(
            f'<path d="{outer} L{_CENTRE},{edge[-1][0]:.0f} L{_CENTRE},{edge[0][0]:.0f} Z" '
            f'fill="{_MUSCLE}" fill-opacity="0.9" stroke="{_MUSCLE_LINE}" '
            'stroke-linejoin="round"/>'
        )
        for share in (0.55, 0.8):
            fibre = _smooth_path([(_CENTRE + side * off * share, yy) for yy, off in edge[1:-1]])
            muscles.append(
                f'<path d="{fibre}" fill="none" stroke="{_MUSCLE_LINE}" stroke-width="0.8" '
                'stroke-opacity="0.6"/>'
            )

    highlight = (
        f'<rect x="{_CENTRE - _HALF_HIGHLIGHT}" y="{lower_top - 8:.0f}" '
        f'width="{2 * _HALF_HIGHLIGHT}" '
        f'height="{lower_bottom - lower_top + 16:.0f}" rx="10" fill="{_HIGHLIGHT}" '
        f'stroke="{_HIGHLIGHT_LINE}" stroke-width="2" stroke-dasharray="7 4"/>'
    )

    region_labels = []
    for label, top, bottom in spans:
        middle = (top + bottom) / 2
        region_labels.append(
            f'<path d="M{_CENTRE - 96},{top:.0f} h-6 V{bottom:.0f} h6" fill="none" '
            f'stroke="{_INK}"/>'
            + _text(_CENTRE - 110, middle + 5, label, "end", ' font-weight="bold"')
        )

    step = _REGIONS[1][3] + _DISC  # one upper-back bone and its disc
    bone_y = upper_top + 2 * step + 8
    disc_y = upper_top + 9 * step - _DISC / 2
    muscle_y = upper_top + 5 * step
    lower_middle = (lower_top + lower_bottom) / 2
    callouts = [
        _text(_LABEL_X, bone_y + 5, "Vertebra (a back bone)"),
        _pointer(_LABEL_X - 4, bone_y, _CENTRE + 12, bone_y),
        _text(_LABEL_X, muscle_y + 5, "Back muscles"),
        _pointer(_LABEL_X - 4, muscle_y, _CENTRE + 30, muscle_y),
        _text(_LABEL_X, disc_y + 5, "Disc (a soft cushion)"),
        _pointer(_LABEL_X - 4, disc_y, _CENTRE + 10, disc_y),
        _text(_LABEL_X, lower_middle - 4, "Lower back:", extra=' font-weight="bold"'),
        _text(_LABEL_X, lower_middle + 14, "where most spasms happen", extra=' font-weight="bold"'),
        _pointer(_LABEL_X - 4, lower_middle, _CENTRE + _HALF_HIGHLIGHT, lower_middle),
    ]
    caption_y = sacrum_top + 100
    caption = [
        _text(_WIDTH / 2, caption_y, "Drawing not to scale.", "middle", ' font-size="12"'),
        _text(
            _WIDTH / 2,
            caption_y + 16,
            "Most spasms happen in the lower back (source: Cleveland Clinic).",
            "middle",
            ' font-size="12"',
        ),
    ]
    body = "".join([highlight, *muscles, *discs, *bones, sacrum, *region_labels, *callouts])
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {caption_y + 30:.0f}" '
        f'width="100%" style="max-width:34em;height:auto" role="img" '
        f'aria-labelledby="back-muscles-title back-muscles-desc" '
        f'font-family="system-ui, sans-serif" font-size="15">'
        f'<title id="back-muscles-title">{escape(TITLE)}</title>'
        f'<desc id="back-muscles-desc">{escape(DESCRIPTION)}</desc>'
        f"{body}{''.join(caption)}</svg>"
    )


# --- the evidence chart -------------------------------------------------------------------

EVIDENCE_SCORES = {"moderate": 3, "low": 2, "insufficient": 1, "against": -1}
"""Bar length for each grade of evidence: negative means evidence that it does not help."""

VERDICT_STYLES = {
    "recommended": ("//", "#009e73"),
    "option": ("..", "#56b4e9"),
    "sources_disagree": ("xx", "#e69f00"),
    "not_recommended": ("--", "#d55e00"),
}
"""Hatch pattern and colour-blind-safe fill for each verdict: the pattern alone tells them apart."""

_HATCHES = {
    # hatch: the black marks on one 8 x 8 tile of the pattern
    "//": '<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6" stroke="#000" stroke-width="1.2"/>',
    "..": '<circle cx="2" cy="2" r="1.4" fill="#000"/><circle cx="6" cy="6" r="1.4" fill="#000"/>',
    "xx": (
        '<path d="M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6 M0,0 L8,8 M-2,6 L2,10 M6,-2 L10,2" '
        'stroke="#000" stroke-width="1"/>'
    ),
    "--": '<path d="M0,4 H8" stroke="#000" stroke-width="1.5"/>',
}
_TILE = 8
_CHART_WIDTH = 820
_PLOT_LEFT, _PLOT_RIGHT = 310, 800
_PLOT_TOP = 44
_X_MIN, _X_MAX = -1.3, 4.5
_ROW, _BAR = 34, 24
_SWATCH_W, _SWATCH_H = 30, 18
_CHAR_WIDTH = 8.2
"""A generous average width of one 13px character, to space out the legend's entries."""
_CHART_TITLE = "How strong is the evidence for each treatment?"
_X_LABEL = "Quality of the evidence that it helps"
_LEGEND_TITLE = "What guidelines advise"
_CHARTS = itertools.count(1)
"""Numbers each chart drawn in this process, so the ids of two charts on one page differ."""


def _ranked_treatments() -> list[Treatment]:
    """Every treatment, top row first: strongest evidence first, recommended first in a grade."""
    verdicts = list(VERDICT_STYLES)
    ranked = sorted(
        load_library().treatments.values(),
        key=lambda t: (EVIDENCE_SCORES[t.evidence], -verdicts.index(t.verdict)),
    )
    return ranked[::-1]


def _x(score: float) -> float:
    """The horizontal position of an evidence score."""
    return _PLOT_LEFT + (score - _X_MIN) * (_PLOT_RIGHT - _PLOT_LEFT) / (_X_MAX - _X_MIN)


def evidence_chart_description() -> str:
    """The chart's content in words, top row first, for screen readers."""
    return "Bar chart of the evidence for each treatment, strongest first. " + " ".join(
        f"{t.name}: evidence {EVIDENCE_WORDS[t.evidence]}; {VERDICT_WORDS[t.verdict]}."
        for t in _ranked_treatments()
    )


def evidence_chart_svg() -> str:
    """Treatments as horizontal bars by evidence quality, each labelled with its verdict in words.

    The strongest evidence is at the top, recommended first within a grade; evidence that a
    treatment does not help is drawn left of the zero line. Each verdict has its own fill and
    hatch pattern, so the pattern alone tells them apart, and a legend names them. The SVG
    carries a title and a description for screen readers and scales to its container. Its
    ids are new on each call, so two charts on one page do not share patterns.
    """
    treatments = _ranked_treatments()
    prefix = f"evidence-chart-{os.getpid()}-{next(_CHARTS)}"
    patterns = "".join(
        f'<pattern id="{prefix}-{verdict}" patternUnits="userSpaceOnUse" width="{_TILE}" '
        f'height="{_TILE}"><rect width="{_TILE}" height="{_TILE}" fill="{colour}"/>'
        f"{_HATCHES[hatch]}</pattern>"
        for verdict, (hatch, colour) in VERDICT_STYLES.items()
    )

    plot_bottom = _PLOT_TOP + _ROW * len(treatments) + 8
    zero = _x(0)
    rows: list[str] = []
    for row, treatment in enumerate(treatments):
        middle = _PLOT_TOP + 4 + _ROW * row + _ROW / 2
        score = EVIDENCE_SCORES[treatment.evidence]
        left, right = sorted((zero, _x(score)))
        rows.append(
            f'<rect x="{left:.1f}" y="{middle - _BAR / 2:.1f}" width="{right - left:.1f}" '
            f'height="{_BAR}" fill="url(#{prefix}-{treatment.verdict})" stroke="#000"/>'
            + _text(_PLOT_LEFT - 10, middle + 5, treatment.name, "end")
            + _text(
                _x(max(score, 0) + 0.08),
                middle + 5,
                VERDICT_WORDS[treatment.verdict],
                extra=' font-size="13"',
            )
        )

    ticks: list[str] = []
    for grade in sorted(EVIDENCE_SCORES, key=EVIDENCE_SCORES.__getitem__):
        x = _x(EVIDENCE_SCORES[grade])
        ticks.append(
            f'<line x1="{x:.1f}" y1="{plot_bottom}" x2="{x:.1f}" y2="{plot_bottom + 5}" '
            f'stroke="{_INK}"/>'
            + _text(x, plot_bottom + 21, EVIDENCE_WORDS[grade], "middle", ' font-size="13"')
        )
    plot_middle = (_PLOT_LEFT + _PLOT_RIGHT) / 2
    axes = (
        f'<rect x="{_PLOT_LEFT}" y="{_PLOT_TOP}" width="{_PLOT_RIGHT - _PLOT_LEFT}" '
        f'height="{plot_bottom - _PLOT_TOP}" fill="none" stroke="{_INK}"/>'
        f'<line x1="{zero:.1f}" y1="{_PLOT_TOP}" x2="{zero:.1f}" y2="{plot_bottom}" '
        f'stroke="#000" stroke-width="1.5"/>'
        + _text(plot_middle, plot_bottom + 44, _X_LABEL, "middle")
        + _text(plot_middle, _PLOT_TOP - 14, _CHART_TITLE, "middle", ' font-size="17"')
    )

    legend_top = plot_bottom + 66
    entries: list[str] = []
    x = 0.0
    for verdict, words in VERDICT_WORDS.items():
        entries.append(
            f'<rect x="{x:.0f}" y="{legend_top + 30}" width="{_SWATCH_W}" height="{_SWATCH_H}" '
            f'fill="url(#{prefix}-{verdict})" stroke="#000"/>'
            + _text(x + _SWATCH_W + 8, legend_top + 44, words, extra=' font-size="13"')
        )
        x += _SWATCH_W + 8 + len(words) * _CHAR_WIDTH + 24
    legend_left = (_CHART_WIDTH - (x - 24)) / 2
    legend = (
        f'<g transform="translate({legend_left:.0f} 0)">'
        + _text(0, legend_top + 16, _LEGEND_TITLE, extra=' font-weight="bold"')
        + "".join(entries)
        + "</g>"
    )

    height = legend_top + 30 + _SWATCH_H + 12
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_CHART_WIDTH} {height}" '
        f'width="100%" style="max-width:{_CHART_WIDTH}px;height:auto" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        f'font-family="system-ui, sans-serif" font-size="14">'
        f'<title id="{prefix}-title">{escape(_CHART_TITLE)}</title>'
        f'<desc id="{prefix}-desc">{escape(evidence_chart_description())}</desc>'
        f"<defs>{patterns}</defs>{axes}{''.join(ticks)}{''.join(rows)}{legend}</svg>"
    )
