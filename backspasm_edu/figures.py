"""Figures drawn by our own code as SVG text: the spine and back muscles, seen from behind."""

from __future__ import annotations

from html import escape

__all__ = ["back_muscles_svg"]

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
