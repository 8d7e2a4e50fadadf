"""Pictures drawn in code as accessible SVG: plan items, posture, care levels, pain map, causes."""

from __future__ import annotations

import itertools
import math
import os
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape

from backspasm_edu.content.loader import load_triage_table
from backspasm_edu.content.model import CareLevel, PlanItem, Trigger
from backspasm_edu.engines.explore import plan_menu, trigger_table
from backspasm_edu.errors import InputError, show_value
from backspasm_edu.render.figures import _smooth_path

__all__ = [
    "PAIN_REGIONS",
    "PICTURE_KINDS",
    "POSTURE_ITEMS",
    "care_level_icon_svg",
    "course_progress_svg",
    "pain_map_svg",
    "picture_sources",
    "plan_item_svg",
    "posture_svg",
    "trigger_svg",
]

Point = tuple[float, float]

# --- colours: dark lines and words on light fills ----------------------------------------
_INK = "#1b2430"  # outlines and every word: about 15:1 on white
_PAPER = "#ffffff"  # each picture's own background, so a dark page cannot hide the lines
_BODY = "#dbe8f4"  # near limbs, torso and head
_BODY_FAR = "#aec6dd"  # far limbs, a step darker to show depth
_WOOD, _WOOD_LINE = "#efe6d6", "#6b5a3e"  # chairs, desks, mats, boxes, beds
_WARM, _WARM_LINE = "#ffe0b2", "#8a3b00"  # heat, strain, marked places
_COOL, _COOL_LINE = "#dbeafe", "#1e4e8c"  # water, cold
_GREEN, _GREEN_LINE = "#dcf5e3", "#1f6b3a"
_RED, _RED_LINE = "#fde2df", "#9b1c1c"

# --- a person's proportions (at scale 1) ---------------------------------------------------
_TORSO, _TORSO_R = 78.0, 15.0
_NECK, _HEAD_R = 24.0, 14.0
_SHOULDER_DROP = 10.0
_UPPER_ARM, _FOREARM = 40.0, 38.0
_THIGH, _SHIN, _FOOT = 56.0, 54.0, 18.0
_ARM_RADII = (6.5, 5.5)
_LEG_RADII = (9.0, 7.5, 5.0)

_WIDTH, _HEIGHT = 400, 280
_FLOOR = 258.0
_FONT = 15
_PICTURES = itertools.count(1)
"""Numbers each picture drawn in this process, so two pictures on one page never share an id."""


# --- small drawing tools -----------------------------------------------------------------


def _xy(point: Point) -> str:
    return f"{point[0]:.1f},{point[1]:.1f}"


def _step(start: Point, length: float, angle: float) -> Point:
    """The point length away from start at angle degrees (0 is right, 90 is down)."""
    turn = math.radians(angle)
    return (start[0] + length * math.cos(turn), start[1] + length * math.sin(turn))


def _angle(start: Point, end: Point) -> float:
    return math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))


def _text(at: Point, words: str | Sequence[str], anchor: str = "start", size: int = _FONT) -> str:
    """Words in ink, one text element a line, the first line's baseline at the point."""
    lines = [words] if isinstance(words, str) else list(words)
    return "".join(
        f'<text x="{at[0]:.0f}" y="{at[1] + row * size * 1.25:.0f}" text-anchor="{anchor}" '
        f'font-size="{size}" fill="{_INK}">{escape(line)}</text>'
        for row, line in enumerate(lines)
    )


def _callout(words: str | Sequence[str], at: Point, to: Point, anchor: str = "start") -> str:
    """Words with a thin leader line to what they name, ending in a dot.

    anchor "start" puts the words right of what they name, "end" left of it.
    """
    start = (at[0] + (-5 if anchor == "start" else 5), at[1] - 5)
    return (
        _text(at, words, anchor)
        + f'<line x1="{start[0]:.1f}" y1="{start[1]:.1f}" x2="{to[0]:.1f}" y2="{to[1]:.1f}" '
        f'stroke="{_INK}" stroke-width="1.2"/>'
        f'<circle cx="{to[0]:.1f}" cy="{to[1]:.1f}" r="2.5" fill="{_INK}"/>'
    )


def _caption(words: str, top: float = 24) -> str:
    """A short line or two of words across a picture, centred, the first baseline at top."""
    return _text((_WIDTH / 2, top), textwrap.wrap(words, 48), "middle")


def _shape(tag: str, fill: str, stroke: str, weight: float = 2.0, /, **geometry: object) -> str:
    """One SVG shape element with a stroke weight, its geometry given as attributes (cx=...)."""
    attributes = " ".join(f'{name.replace("_", "-")}="{value}"' for name, value in geometry.items())
    return (
        f'<{tag} {attributes} fill="{fill}" stroke="{stroke}" stroke-width="{weight}" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
    )


def _lines(points: Sequence[Point], stroke: str = _INK, width: float = 2.0) -> str:
    """An open line through the points."""
    return _shape("polyline", "none", stroke, width, points=" ".join(_xy(p) for p in points))


def _arrow(start: Point, end: Point, bend: float = 0.0, both: bool = False) -> str:
    """A bold arrow from start to end, curved to one side by bend, with a head (or two)."""
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    control = _step(middle, bend, _angle(start, end) - 90)
    heads = [(control, end), (control, start)] if both else [(control, end)]
    head_paths = "".join(
        _shape(
            "polygon",
            _WARM_LINE,
            _WARM_LINE,
            1.0,
            points=" ".join(
                _xy(_step(tip, length, _angle(tip, back) + turn))
                for length, turn in ((0, 0), (13, -26), (13, 26))
            ),
        )
        for back, tip in heads
    )
    curve = f"M{_xy(start)} Q{_xy(control)} {_xy(end)}"
    return _shape("path", "none", _WARM_LINE, 4.0, d=curve) + head_paths


def _tube(points: Sequence[Point], radius: float, fill: str, stroke: str = _INK) -> str:
    """A rounded shape of even width along the points: a limb, a torso, a pillow, a leaf."""
    left: list[Point] = []
    right: list[Point] = []
    for index, (x, y) in enumerate(points):
        before, after = points[max(index - 1, 0)], points[min(index + 1, len(points) - 1)]
        length = math.dist(before, after) or 1.0
        nx, ny = (before[1] - after[1]) / length, (after[0] - before[0]) / length
        left.append((x + nx * radius, y + ny * radius))
        right.append((x - nx * radius, y - ny * radius))
    right.reverse()
    cap = f"A{radius:.1f},{radius:.1f} 0 0 0"
    # Each side is a smooth curve; the move that starts the second side is dropped to join them.
    outline = (
        f"{_smooth_path(left)} {cap} {_xy(right[0])} {_smooth_path(right).partition(' ')[2]} "
        f"{cap} {_xy(left[0])} Z"
    )
    return _shape("path", fill, stroke, 2.2, d=outline)


# --- a person, side on, facing right -------------------------------------------------------


@dataclass(frozen=True)
class _Pose:
    """Where a side-on person's joints are: hip to neck, the head, and each limb's joints."""

    spine: tuple[Point, ...]  # hip first, neck last
    head: Point
    arms: tuple[tuple[Point, ...], ...]  # far arm first: shoulder, elbow, hand
    legs: tuple[tuple[Point, ...], ...]  # far leg first: hip, knee, ankle, toes
    scale: float = 1.0
    eyes_closed: bool = False


def _limb(start: Point, end: Point, first: float, second: float, side: int) -> tuple[Point, Point]:
    """The middle joint (elbow or knee) and the end of a two-part limb reaching for end.

    side 1 bends the joint clockwise of the line from start to end, -1 anticlockwise. Out of
    reach, the limb points straight at end.
    """
    distance, direction = math.dist(start, end), _angle(start, end)
    if distance >= first + second:
        return _step(start, first, direction), _step(start, first + second, direction)
    cosine = (first**2 + distance**2 - second**2) / (2 * first * distance)
    turn = math.degrees(math.acos(max(-1.0, min(1.0, cosine))))
    return _step(start, first, direction + side * turn), end


def _each(value: float | Sequence[float], count: int) -> list[float]:
    return [float(value)] * count if isinstance(value, int | float) else [float(v) for v in value]


def _person(
    hip: Point,
    spine: Sequence[float],
    head: float,
    hands: Sequence[Point],
    ankles: Sequence[Point],
    toes: float | Sequence[float] = 0.0,
    elbows: float | Sequence[float] = 1,
    knees: float | Sequence[float] = -1,
    scale: float = 1.0,
    eyes_closed: bool = False,
) -> _Pose:
    """A person facing right, from the hip up and out to where the hands and ankles are.

    spine: the angle of each part of the back from the hip up (one angle for a straight back);
    head: the angle from neck to head; hands and ankles: far one first; toes: each foot's angle;
    elbows and knees: which way each bends (see _limb).
    """
    back = [hip]
    for angle in spine:
        back.append(_step(back[-1], _TORSO * scale / len(spine), angle))
    neck = back[-1]
    shoulder = _step(neck, _SHOULDER_DROP * scale, _angle(neck, back[-2]))
    arms = tuple(
        (shoulder, *_limb(shoulder, hand, _UPPER_ARM * scale, _FOREARM * scale, int(side)))
        for hand, side in zip(hands, _each(elbows, len(hands)), strict=True)
    )
    legs = []
    for ankle, side, toe in zip(
        ankles, _each(knees, len(ankles)), _each(toes, len(ankles)), strict=True
    ):
        knee, reached = _limb(hip, ankle, _THIGH * scale, _SHIN * scale, int(side))
        legs.append((hip, knee, reached, _step(reached, _FOOT * scale, toe)))
    return _Pose(
        tuple(back), _step(neck, _NECK * scale, head), arms, tuple(legs), scale, eyes_closed
    )


def _figure(pose: _Pose, belt: tuple[str, str] | None = None) -> str:
    """The person drawn with rounded limbs: far limbs behind the body, near limbs in front.

    belt: a fill and stroke for a band drawn around the middle of the back (the core).
    """
    scale = pose.scale

    def limb(chain: Sequence[Point], radii: Sequence[float], fill: str) -> str:
        return "".join(
            _tube(chain[i : i + 2], radius * scale, fill) for i, radius in enumerate(radii)
        )

    parts = [limb(arm, _ARM_RADII, _BODY_FAR) for arm in pose.arms[:-1]]
    parts += [limb(leg, _LEG_RADII, _BODY_FAR) for leg in pose.legs[:-1]]
    parts.append(_tube(pose.spine, _TORSO_R * scale, _BODY))
    if belt is not None:
        hip, neck = pose.spine[0], pose.spine[-1]
        band = [_step(hip, share * _TORSO * scale, _angle(hip, neck)) for share in (0.18, 0.5)]
        parts.append(_tube(band, _TORSO_R * scale + 2, belt[0], belt[1]))
    neck = pose.spine[-1]
    up = _angle(pose.spine[-2], neck)
    eye = _step(_step(pose.head, 7 * scale, up + 90), 2 * scale, up)
    x, y = pose.head
    parts.append(
        _shape("circle", _BODY, _INK, 2.2, cx=round(x, 1), cy=round(y, 1), r=_HEAD_R * scale)
    )
    if pose.eyes_closed:
        parts.append(_lines([_step(eye, 3, up + 90), _step(eye, 3, up - 90)], width=1.6))
    else:
        parts.append(f'<circle cx="{eye[0]:.1f}" cy="{eye[1]:.1f}" r="2" fill="{_INK}"/>')
    parts += [limb(leg, _LEG_RADII, _BODY) for leg in pose.legs[-1:]]
    parts += [limb(arm, _ARM_RADII, _BODY) for arm in pose.arms[-1:]]
    return "".join(parts)


# --- things around the person --------------------------------------------------------------


def _floor(left: float = 10, right: float = _WIDTH - 10, y: float = _FLOOR) -> str:
    return _lines([(left, y), (right, y)], _WOOD_LINE, 2.5)


def _mat(left: float, right: float) -> str:
    """An exercise mat lying on the floor."""
    return _floor() + _shape(
        "rect", _WOOD, _WOOD_LINE, 2.0, x=left, y=_FLOOR - 8, width=right - left, height=8, rx=4
    )


def _box(x: float, y: float, width: float, height: float, words: str = "") -> str:
    """A cardboard box with its top-left corner at (x, y), any words written on it."""
    label = _text((x + width / 2, y + height / 2 + 5), words, "middle") if words else ""
    return _shape("rect", _WOOD, _WOOD_LINE, 2.5, x=x, y=y, width=width, height=height, rx=3) + (
        _lines([(x, y + 10), (x + width, y + 10)], _WOOD_LINE, 1.5) + label
    )


def _chair(back_x: float, seat_y: float, depth: float = 78) -> str:
    """A chair facing right: the back rest's front at back_x, the seat's top at seat_y."""
    legs = _lines([(back_x - 6, seat_y), (back_x - 6, _FLOOR)], _WOOD_LINE, 4) + _lines(
        [(back_x + depth - 6, seat_y), (back_x + depth - 6, _FLOOR)], _WOOD_LINE, 4
    )
    seat = _shape("rect", _WOOD, _WOOD_LINE, 2, x=back_x - 10, y=seat_y, width=depth, height=9)
    rest = _shape(
        "rect", _WOOD, _WOOD_LINE, 2, x=back_x - 10, y=seat_y - 92, width=10, height=92, rx=3
    )
    return legs + seat + rest


def _glass(x: float, bottom: float, fullness: float) -> str:
    """A drinking glass centred on x, wider at the top, water up to fullness (0 to 1) of it."""

    def side(y: float, inset: float) -> float:
        """Half the glass's width at height y, less inset."""
        return 18 + 6 * (bottom - y) / 70 - inset

    level = bottom - 4 - 60 * fullness
    water = " ".join(
        _xy(point)
        for point in [
            (x - side(level, 3), level),
            (x + side(level, 3), level),
            (x + side(bottom - 3, 3), bottom - 3),
            (x - side(bottom - 3, 3), bottom - 3),
        ]
    )
    top = bottom - 70
    cup = [(x - side(top, 0), top), (x - 18, bottom), (x + 18, bottom), (x + side(top, 0), top)]
    return _shape("polygon", _COOL, _COOL_LINE, 1.5, points=water) + _lines(cup, _INK, 2.5)


def _plate(x: float, y: float) -> str:
    """A plate seen from the side, with a mix of foods on it: fruit, bread and greens."""
    return (
        _shape("circle", _WARM, _WARM_LINE, 2, cx=x - 24, cy=y - 14, r=13)
        + _shape("rect", _WOOD, _WOOD_LINE, 2, x=x - 8, y=y - 24, width=30, height=22, rx=8)
        + _tube([(x + 26, y - 8), (x + 44, y - 16)], 6, _GREEN, _GREEN_LINE)
        + _shape("ellipse", _PAPER, _INK, 2.5, cx=x, cy=y, rx=60, ry=8)
    )


def _marks(centre: Point, radius: float, count: int = 3, start: float = -150) -> str:
    """Short jagged lines fanned around a point: strain, tension or a jolt."""
    lines = []
    for index in range(count):
        angle = start + index * 120 / max(count - 1, 1)
        near, far = _step(centre, radius, angle), _step(centre, radius + 16, angle)
        kink = _step(_step(near, 8, angle), 4, angle + 90)
        lines.append(_lines([near, kink, far], _WARM_LINE, 2.5))
    return "".join(lines)


# --- the plan's stretches, habits and tips ---------------------------------------------------

_NOT_PROVEN = "Sensible, but not proven to prevent back pain."
_MAT_HIP = (210.0, _FLOOR - 8 - _TORSO_R)
_FEET_FLAT = [(_MAT_HIP[0] + 76, _FLOOR - 13), (_MAT_HIP[0] + 70, _FLOOR - 13)]
_SEAT_Y = _FLOOR - 6 - _SHIN + 12  # a seat as high as the shin is long


def _lying(
    hands: Sequence[Point], ankles: Sequence[Point], toes: Sequence[float], elbows: int
) -> _Pose:
    """A person lying face up on a mat, head to the left, hands and feet where asked."""
    return _person(_MAT_HIP, [180], 182, hands, ankles, toes, elbows=elbows)


def _seated(back_x: float, spine: Sequence[float], head: float, **more: bool) -> tuple[_Pose, str]:
    """A person sitting on a chair facing right, hands on thighs, and the chair's drawing.

    back_x is the chair's back rest; more may say eyes_closed.
    """
    hip = (back_x + _TORSO_R + 2, _SEAT_Y - 12)
    hands = [(hip[0] + 46, hip[1] - 12), (hip[0] + 40, hip[1] - 10)]
    ankles = [(hip[0] + _THIGH + 6, _FLOOR - 6), (hip[0] + _THIGH, _FLOOR - 6)]
    return _person(hip, spine, head, hands, ankles, **more), _chair(back_x, _SEAT_Y) + _floor()


def _upright(x: float, hands: Sequence[Point] = (), elbows: int = 1, scale: float = 0.9) -> _Pose:
    """A person standing tall on the floor, hip above x; arms hang down unless hands are given."""
    hip = (x, _FLOOR - 5 - (_THIGH + _SHIN) * scale)
    hands = hands or [(x + 10, hip[1] + 6), (x + 2, hip[1] + 8)]
    ankles = [(x + 10, _FLOOR - 5), (x - 2, _FLOOR - 5)]
    return _person(hip, [-90], -86, hands, ankles, elbows=elbows, scale=scale)


def _knee_hug() -> str:
    hugging = _lying([(196, 174), (198, 176)], [_FEET_FLAT[0], (235, 169)], [0, -80], -1)
    return (
        _mat(40, 360)
        + _figure(hugging)
        + _arrow((232, 124), (178, 136), bend=16)
        + _caption("Gently pull one knee to your chest.")
        + _caption("Hold for a few slow breaths, then swap legs.", top=44)
    )


def _pelvic_tilt() -> str:
    lying = _lying([(214, 234), (218, 236)], _FEET_FLAT, [0, 0], -1)
    belly = (_MAT_HIP[0] - 20, _MAT_HIP[1] - _TORSO_R - 4)
    return (
        _mat(40, 360)
        + _figure(lying)
        + _arrow((belly[0], 90), belly)
        + _text(
            (belly[0] - 14, 100),
            ["Tighten your belly", "so your back presses", "down into the floor"],
            "end",
        )
        + _caption("Hold for a few seconds, then relax.")
    )


def _cat_stretch() -> str:
    knee_y = _FLOOR - 8 - _LEG_RADII[1]
    rounded = _person(
        (140, knee_y - _THIGH),
        [-40, -8, 28],
        35,
        hands=[(232, _FLOOR - 14), (238, _FLOOR - 13)],
        ankles=[(84, knee_y + 2), (90, knee_y + 2)],
        toes=180,
    )
    return (
        _mat(40, 360)
        + _figure(rounded)
        + _arrow((174, 112), (174, 52), both=True)
        + _text((190, 64), "Round your back up")
        + _text((190, 110), "then let it sink down")
        + _caption("Slowly, only as far as feels easy.", top=_HEIGHT - 8)
    )


def _sitting() -> str:
    sitter, chair = _seated(166, [-90], -84)
    return (
        chair
        + _figure(sitter)
        + _callout(["Back straight", "and supported"], (140, 130), (162, 128), "end")
        + _caption("Stand up and move around often.", top=28)
        + _caption(_NOT_PROVEN, top=_HEIGHT - 6)
    )


def _standing() -> str:
    tall = _upright(200)
    head_top = tall.head[1] - _HEAD_R * tall.scale
    return (
        _floor()
        + _figure(tall)
        + _arrow((200, head_top - 6), (200, head_top - 44))
        + _callout("Stand tall", (240, head_top - 20), (212, head_top - 26))
        + _callout(["Back straight,", "not slouched"], (250, 120), (216, 120))
        + _caption(_NOT_PROVEN, top=_HEIGHT - 6)
    )


def _lifting() -> str:
    squat = _person(
        (176.0, 196.0),
        [-66],
        -60,
        hands=[(248, 204), (250, 208)],
        ankles=[(212, _FLOOR - 5), (206, _FLOOR - 5)],
    )
    knee = squat.legs[-1][1]
    return (
        _floor()
        + _box(240, 190, 54, 46)
        + _figure(squat)
        + _callout(["Bend your", "knees"], (300, 140), (knee[0], knee[1] - 8))
        + _callout(["Back straight,", "no twist"], (140, 100), (182, 136), "end")
        + _callout(["Load held", "close"], (304, 214), (294, 210))
        + _caption(_NOT_PROVEN, top=_HEIGHT - 6)
    )


def _walking(hip: Point, scale: float = 0.8, carrying: bool = False) -> _Pose:
    """A person mid-stride, arms swinging, or both hands held out in front to carry something."""
    s = scale
    if carrying:
        hands = [(hip[0] + 44 * s, hip[1] - 14 * s), (hip[0] + 40 * s, hip[1] - 10 * s)]
    else:
        hands = [(hip[0] + 30 * s, hip[1] + 22 * s), (hip[0] - 30 * s, hip[1] + 24 * s)]
    return _person(
        hip,
        [-86],
        -84,
        hands,
        ankles=[(hip[0] - 36 * s, _FLOOR - 14), (hip[0] + 40 * s, _FLOOR - 5)],
        toes=[30, 0],
        scale=s,
    )


def _walk_or_swim() -> str:
    walker = _walking((100, _FLOOR - 5 - 0.8 * 104))
    swimmer = _person(
        (250, 196),
        [0],
        0,
        hands=[(296, 226), (372, 190)],
        ankles=[(160, 196), (162, 190)],
        toes=180,
        scale=0.8,
    )
    waves = [(x, 186 + 5 * math.sin(x / 9)) for x in range(140, 398, 6)]
    return (
        _floor(10, 180)
        + _figure(walker)
        + _figure(swimmer)
        + _lines(waves, _COOL_LINE, 2.5)
        + _text((100, 62), "Walk", "middle")
        + _text((280, 150), "or swim", "middle")
        + _caption("Most days", top=28)
    )


def _core_strength() -> str:
    standing = _upright(200, hands=[(270, 112), (272, 116)])
    return (
        _floor()
        + _figure(standing, belt=(_WARM, _WARM_LINE))
        + _callout(["Belly", "muscles"], (268, 140), (218, 146))
        + _callout(["Back", "muscles"], (130, 140), (182, 146), "end")
        + _caption("Strong core muscles help support your back.", top=24)
    )


def _bed(x: float, y: float) -> str:
    """A bed seen from the side, the top-left corner of its mattress at (x, y)."""
    return (
        _lines([(x, y - 30), (x, _FLOOR)], _WOOD_LINE, 5)
        + _lines([(x + 120, y + 10), (x + 120, _FLOOR)], _WOOD_LINE, 5)
        + _shape("rect", _WOOD, _WOOD_LINE, 2, x=x, y=y, width=120, height=18, rx=4)
        + _tube([(x + 14, y - 5), (x + 30, y - 5)], 7, _PAPER)
    )


def _stay_active() -> str:
    walker = _walking((120, _FLOOR - 5 - 104), scale=1.0, carrying=True)
    hand = walker.arms[-1][-1]
    return (
        _floor()
        + _figure(walker)
        + _box(hand[0] - 12, hand[1] - 26, 44, 40)
        + _caption("Keep moving gently and do your daily tasks.", top=24)
        + _bed(260, 222)
        + _text((320, 150), ["Moving helps more", "than rest in bed"], "middle")
    )


def _pack(x: float, y: float, warm: bool) -> str:
    """A pack wrapped in a thin cloth, centred on x with its top at y: heat lines or a flake."""
    fill, line = (_WARM, _WARM_LINE) if warm else (_COOL, _COOL_LINE)
    cloth = _shape(
        "rect",
        _PAPER,
        _WOOD_LINE,
        2,
        x=x - 62,
        y=y - 8,
        width=124,
        height=86,
        rx=12,
        stroke_dasharray="6 4",
    )
    pack = _shape("rect", fill, line, 2.5, x=x - 50, y=y, width=100, height=70, rx=10)
    centre = (x, y + 35)
    if warm:
        sign = "".join(
            _lines([(x + dx + 5 * math.sin(t / 3), y + 58 - t) for t in range(0, 44, 4)], line, 2.5)
            for dx in (-18, 0, 18)
        )
    else:
        sign = "".join(
            _lines([_step(centre, 24, a), _step(centre, 24, a + 180)], line, 3)
            for a in (0, 60, 120)
        )
    return cloth + pack + sign


def _heat_or_cold() -> str:
    return (
        _pack(105, 90, warm=True)
        + _pack(295, 90, warm=False)
        + _text((200, 140), "or", "middle", 18)
        + _text((105, 200), "Warm pack", "middle")
        + _text((295, 200), "Cold pack", "middle")
        + _caption("Use what helps you more.", top=40)
        + _caption("Wrap it in a thin cloth. Keep each time short.", top=_HEIGHT - 24)
    )


def _calm_stress() -> str:
    calm, chair = _seated(166, [-92], -90, eyes_closed=True)
    return (
        chair
        + _figure(calm)
        + _callout(["Take a calm,", "quiet break"], (250, 84), (196, 92))
        + _caption("Find ways to calm stress that work for you.", top=24)
    )


def _water_and_food(fullness: float, words: Sequence[str]) -> str:
    """A glass of water beside a plate with a mix of foods, each labelled."""
    return (
        _glass(110, 200, fullness)
        + _plate(270, 200)
        + _floor(20, 380, 210)
        + _text((110, 240), words[0], "middle")
        + _text((270, 240), words[1], "middle")
    )


def _drink_water() -> str:
    return _water_and_food(0.85, ["Enough water", "A mix of foods"]) + _caption(
        "Good for you, but not shown to stop spasms.", top=40
    )


# --- the causes ---------------------------------------------------------------------------


def _too_little_use() -> str:
    seat_y = 190.0
    hip = (168.0, seat_y - _TORSO_R)
    slouched = _person(
        hip,
        [-100, -72, -44],
        -18,
        hands=[(268, 168), (276, 170)],
        ankles=[(236, _FLOOR - 6), (228, _FLOOR - 6)],
    )
    desk = _shape("rect", _WOOD, _WOOD_LINE, 2, x=250, y=170, width=140, height=10) + _lines(
        [(380, 180), (380, _FLOOR)], _WOOD_LINE, 4
    )
    screen = _shape("rect", _PAPER, _INK, 2.5, x=320, y=104, width=62, height=48, rx=3) + _lines(
        [(351, 152), (351, 170)], _INK, 4
    )
    return (
        _chair(128, seat_y)
        + _floor()
        + desk
        + screen
        + _figure(slouched)
        + _callout("Slouched back", (130, 112), (160, 132), "end")
        + _caption("Sitting still for hours", top=28)
    )


def _overuse() -> str:
    hip = (150.0, _FLOOR - 5 - _THIGH - _SHIN + 4)
    bent = _person(
        hip,
        [-14],
        -4,
        hands=[(250, 188), (256, 190)],
        ankles=[(162, _FLOOR - 5), (156, _FLOOR - 5)],
    )
    return (
        _floor()
        + _box(232, 172, 110, 82, "Heavy")
        + _figure(bent)
        + _marks((170, 126), 18)
        + _callout(["Strained", "back muscles"], (130, 76), (160, 116), "end")
        + _caption("Lifting too much, or hard sport", top=28)
    )


def _diet() -> str:
    return _water_and_food(0.12, ["Too little water?", "Minerals from food"]) + _caption(
        "The proof that these cause spasms is weak.", top=40
    )


def _stress() -> str:
    worried = _upright(200, hands=[(204, 80), (210, 82)])
    return (
        _floor()
        + _figure(worried)
        + _marks(worried.head, 30, count=5, start=-170)
        + _callout(["Tense", "muscles"], (300, 130), (214, 130))
        + _text((80, 130), ["Stress", "and worry"], "middle")
    )


def _trauma() -> str:
    falling = _person(
        (200.0, _FLOOR - 36),
        [-128],
        -128,
        hands=[(106, 112), (160, 96)],
        ankles=[(296, 150), (284, _FLOOR - 8)],
        toes=[-60, 0],
    )
    star = " ".join(
        _xy(_step((206, _FLOOR - 8), 22 if i % 2 == 0 else 9, i * 36 - 90)) for i in range(10)
    )
    return (
        _floor()
        + _shape("polygon", _WARM, _WARM_LINE, 2.5, points=star)
        + _figure(falling)
        + _marks(falling.head, 24, count=3, start=-230)
        + _caption("A fall, a hard hit or a crash", top=28)
    )


@dataclass(frozen=True)
class _Drawing:
    """How to draw one picture, and what it shows in words for screen readers."""

    desc: str
    draw: Callable[[], str]


_SITTING = _Drawing(
    "A person sits on a chair with a straight back against the chair's back rest. Words say to "
    "stand up and move around often.",
    _sitting,
)
_STANDING = _Drawing(
    "A person stands tall and straight, not slouched. An arrow above the head points up.",
    _standing,
)
_LIFTING = _Drawing(
    "A person bends their knees to lift a box. Their back is straight and the box is close to "
    "their body. They do not twist.",
    _lifting,
)

_PLAN_DRAWINGS: dict[str, _Drawing] = {
    "knee_hug": _Drawing(
        "A person lies face up on a mat with both knees bent. Their hands gently pull one knee "
        "toward their chest. An arrow shows the knee moving in.",
        _knee_hug,
    ),
    "pelvic_tilt": _Drawing(
        "A person lies face up on a mat with both knees bent and feet flat. An arrow points down "
        "at the small of the back, which presses into the floor.",
        _pelvic_tilt,
    ),
    "cat_stretch": _Drawing(
        "A person is on hands and knees on a mat. Their back is rounded up toward the ceiling. "
        "An arrow up and down shows the back rounding up, then sinking down.",
        _cat_stretch,
    ),
    "sit_well": _SITTING,
    "stand_well": _STANDING,
    "lift_well": _LIFTING,
    "walk_or_swim": _Drawing(
        "A person walks. Next to them a person swims in the water.", _walk_or_swim
    ),
    "core_strength": _Drawing(
        "A person stands tall. A band around the middle of their body marks the belly and back "
        "muscles, which are called the core.",
        _core_strength,
    ),
    "stay_active": _Drawing(
        "A person walks and carries a light box, doing their daily tasks. Next to them is a bed. "
        "Words say that moving helps more than bed rest.",
        _stay_active,
    ),
    "heat_or_cold": _Drawing(
        "A warm pack with wavy heat lines and a cold pack with a snowflake. Each is wrapped in a "
        "thin cloth, drawn as a dashed line.",
        _heat_or_cold,
    ),
    "calm_stress": _Drawing(
        "A person sits on a chair with eyes closed, calm and still, taking a quiet break.",
        _calm_stress,
    ),
    "drink_water": _Drawing(
        "A full glass of water next to a plate with a mix of foods on it.", _drink_water
    ),
}

_TRIGGER_DRAWINGS: dict[str, _Drawing] = {
    "too_little_use": _Drawing(
        "A person sits slumped on a chair at a desk with a screen. Their back is rounded. They "
        "sit still for hours, so their muscles get little use.",
        _too_little_use,
    ),
    "overuse": _Drawing(
        "A person bends over to lift a big box that says heavy. Jagged lines at the lower back "
        "show the back muscles being strained.",
        _overuse,
    ),
    "diet": _Drawing(
        "A glass with only a little water in it, next to a plate of food. Too little water, or "
        "too few minerals from food, might play a part. The proof for this is weak.",
        _diet,
    ),
    "stress": _Drawing(
        "A worried person holds their head in their hands. Jagged lines around the head show "
        "stress. Their muscles are tense.",
        _stress,
    ),
    "trauma": _Drawing(
        "A person slips and falls back toward the floor. A star shows where they hit the ground.",
        _trauma,
    ),
}

POSTURE_ITEMS = {"sitting": "sit_well", "standing": "stand_well", "lifting": "lift_well"}
"""Each posture picture's kind, and the plan item whose words and sources it shows."""


# --- the care level icons --------------------------------------------------------------------

_ICON_WIDTH, _ICON_HEIGHT = 220, 190


def _warning(fill: str, line: str) -> str:
    """A warning triangle with an exclamation mark."""
    return (
        _shape("polygon", fill, line, 5, points="110,14 184,124 36,124")
        + _shape("rect", line, line, 1, x=104, y=50, width=12, height=44, rx=5)
        + _shape("circle", line, line, 1, cx=110, cy=108, r=7)
    )


def _clock(fill: str, line: str) -> str:
    """A clock face with hour marks and hands."""
    centre = (110.0, 70.0)
    marks = "".join(
        _lines([_step(centre, 44, a), _step(centre, 52, a)], line, 4) for a in range(0, 360, 90)
    )
    hands = _lines([_step(centre, 30, -90), centre, _step(centre, 38, 20)], line, 6)
    return (
        _shape("circle", fill, line, 5, cx=centre[0], cy=centre[1], r=58)
        + marks
        + hands
        + _shape("circle", line, line, 1, cx=centre[0], cy=centre[1], r=5)
    )


def _calendar(fill: str, line: str) -> str:
    """A calendar page with rings on top and a tick on one day."""
    return (
        _shape("rect", fill, line, 5, x=48, y=22, width=124, height=104, rx=10)
        + _lines([(48, 50), (172, 50)], line, 5)
        + _lines([(82, 10), (82, 32)], line, 7)
        + _lines([(138, 10), (138, 32)], line, 7)
        + _lines([(84, 88), (104, 108), (140, 66)], line, 8)
    )


def _house(fill: str, line: str) -> str:
    """A house with a roof, a door and a window."""
    return (
        _shape("path", fill, line, 5, d="M110,14 L186,76 H166 V126 H54 V76 H34 Z")
        + _shape("rect", _PAPER, line, 4, x=96, y=88, width=28, height=38, rx=2)
        + _lines([(70, 90), (86, 90)], line, 4)
    )


_ICONS: dict[CareLevel, tuple[str, str, Callable[[str, str], str], str]] = {
    CareLevel.EMERGENCY: (_RED, _RED_LINE, _warning, "a warning triangle with an exclamation mark"),
    CareLevel.URGENT: (_WARM, _WARM_LINE, _clock, "a clock"),
    CareLevel.SEE_DOCTOR: (_COOL, _COOL_LINE, _calendar, "a calendar page with a tick"),
    CareLevel.SELF_CARE: (_GREEN, _GREEN_LINE, _house, "a house"),
}


# --- the pain map ---------------------------------------------------------------------------

PAIN_REGIONS = {
    "lower_back": "Lower back",
    "buttock": "Buttock",
    "thigh": "Thigh",
    "below_knee": "Below the knee",
}
"""The places a pain map can mark, and the words that label each."""

_MAP_WIDTH, _MAP_HEIGHT = 400, 470
_MID = 130.0  # the body's middle, left to right
_LABEL_X = 262.0
_BODY_TOP = 44.0
_DASHED = {"stroke_dasharray": "6 3"}


def _body_from_behind() -> str:
    """An outline of a body seen from behind: head, torso, arms, legs and the line of the spine."""
    half = [(18, 78), (56, 92), (60, 150), (50, 210), (56, 254), (0, 268)]
    outline = [(_MID - x, y) for x, y in half[:-1]] + [(_MID + x, y) for x, y in half[::-1]]
    torso = _shape("path", _BODY, _INK, 2.2, d=_smooth_path([*outline[-1:], *outline]) + " Z")
    limbs = ""
    for side in (-1, 1):
        limbs += _tube([(_MID + side * 62, 100), (_MID + side * 72, 180)], 10, _BODY)
        limbs += _tube([(_MID + side * 72, 180), (_MID + side * 76, 250)], 9, _BODY)
        limbs += _tube([(_MID + side * 25, 258), (_MID + side * 28, 350)], 19, _BODY)
        limbs += _tube([(_MID + side * 28, 350), (_MID + side * 28, 446)], 14, _BODY)
    head = _shape("circle", _BODY, _INK, 2.2, cx=_MID, cy=_BODY_TOP, r=24)
    spine = _shape("path", "none", _INK, 1.5, d=f"M{_MID},82 V236", stroke_dasharray="4 4")
    return limbs + torso + head + spine


def _region_shapes(region: str, fill: str) -> tuple[str, Point]:
    """The marked shape(s) of one region, and the point its label's leader line ends at."""
    if region == "lower_back":
        shape = _shape(
            "rect", fill, _INK, 2, x=_MID - 46, y=186, width=92, height=44, rx=16, **_DASHED
        )
        return shape, (_MID + 46, 208)
    if region == "buttock":
        shape = "".join(
            _shape("ellipse", fill, _INK, 2, cx=_MID + side * 25, cy=252, rx=25, ry=17, **_DASHED)
            for side in (-1, 1)
        )
        return shape, (_MID + 50, 252)
    top, bottom, radius = (284, 340, 15) if region == "thigh" else (366, 440, 11)
    shape = "".join(
        _tube([(_MID + side * 27, top), (_MID + side * 28, bottom)], radius, fill)
        for side in (-1, 1)
    )
    return shape, (_MID + 28 + radius, (top + bottom) / 2)


# --- the public pictures ---------------------------------------------------------------------

PICTURE_KINDS = ("plan_item", "posture", "care_level", "pain_region", "trigger")
"""What picture_sources can be asked about, one kind for each picture function."""


def _choose(value: object, known: Iterable[str], what: str) -> str:
    """The value when it is one of the known ids; else InputError (a ValueError) naming them."""
    names = list(known)
    if not isinstance(value, str) or value not in names:
        raise InputError(what, f"one of {', '.join(names)}", show_value(value))
    return value


def _plan_item(item_id: object, what: str) -> PlanItem:
    """The plan item with a picture that has this id; InputError naming them otherwise."""
    items = plan_menu().items
    return items[_choose(item_id, [i for i in items if i in _PLAN_DRAWINGS], what)]


def _trigger(trigger_id: object, what: str) -> Trigger:
    """The trigger with a picture that has this id; InputError naming them otherwise."""
    triggers = trigger_table().triggers
    return triggers[_choose(trigger_id, [t for t in triggers if t in _TRIGGER_DRAWINGS], what)]


def _svg(
    kind: str, size: tuple[int, int], title: str, desc: str, body: str | Callable[[str], str]
) -> str:
    """The whole picture: labelled for screen readers, scaled to fit, on its own white ground.

    body is the drawing, or a function that draws it given the picture's id prefix (for
    patterns it defines and refers to).
    """
    prefix = f"picture-{kind}-{os.getpid()}-{next(_PICTURES)}"
    drawing = body(prefix) if callable(body) else body
    width, height = size
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px;height:auto" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{_FONT}">'
        f'<title id="{prefix}-title">{escape(title)}</title>'
        f'<desc id="{prefix}-desc">{escape(desc)}</desc>'
        f'<rect width="{width}" height="{height}" rx="8" fill="{_PAPER}"/>'
        f"{drawing}</svg>"
    )


def plan_item_svg(item_id: str) -> str:
    """A picture of one plan item: a stretch, a way to sit, stand or lift, a goal or a tip.

    Its title is the item's label, as the plan builder shows it; its description says what the
    picture shows. InputError (a ValueError) for an id that is not a plan item, naming them.
    """
    item = _plan_item(item_id, "plan item id")
    drawing = _PLAN_DRAWINGS[item.id]
    return _svg("plan", (_WIDTH, _HEIGHT), item.label, drawing.desc, drawing.draw())


def posture_svg(kind: str) -> str:
    """A person sitting, standing or lifting well, with words naming what they do well.

    The same picture as the matching plan item (POSTURE_ITEMS). InputError (a ValueError) for
    another kind, naming the three.
    """
    return plan_item_svg(POSTURE_ITEMS[_choose(kind, POSTURE_ITEMS, "posture kind")])


def trigger_svg(trigger_id: str) -> str:
    """A small picture of one likely trigger of spasms, titled with its name in the explorer.

    InputError (a ValueError) for an id that is not a trigger, naming them.
    """
    trigger = _trigger(trigger_id, "trigger id")
    drawing = _TRIGGER_DRAWINGS[trigger.id]
    return _svg("trigger", (_WIDTH, _HEIGHT), trigger.name, drawing.desc, drawing.draw())


def care_level_icon_svg(level: str) -> str:
    """An icon for a care level: its own shape, and the level's title in words beneath it.

    A warning triangle for emergency, a clock for urgent, a calendar for see_doctor and a house
    for self_care, so shape and words, not colour alone, tell them apart. The titles are the
    triage table's. InputError (a ValueError) for another level, naming the four.
    """
    care = CareLevel(_choose(level, [c.value for c in CareLevel], "care level"))
    title = load_triage_table().levels[care].title
    fill, line, draw, shape = _ICONS[care]
    words = _text((_ICON_WIDTH / 2, 156), textwrap.wrap(title, 22), "middle", 18)
    return _svg(
        "care-level",
        (_ICON_WIDTH, _ICON_HEIGHT),
        title,
        f"Icon: {shape}, with the words {title}.",
        f"<g>{draw(fill, line)}</g>{words}",
    )


def pain_map_svg(regions: Iterable[str]) -> str:
    """A body seen from behind, each chosen region striped and labelled in words.

    regions: any of PAIN_REGIONS, in any order (none gives a plain body). The stripes are a
    pattern and every marked region has a label, so no colour is needed to read the map.
    InputError (a ValueError) for a region not in PAIN_REGIONS, naming them.
    """
    if isinstance(regions, str) or not isinstance(regions, Iterable):
        raise InputError("regions", "a list of region ids", show_value(regions))
    chosen = {_choose(region, PAIN_REGIONS, "pain region") for region in regions}
    picked = [region for region in PAIN_REGIONS if region in chosen]
    words = [PAIN_REGIONS[region].lower() for region in picked]
    if words:
        marked = f"Striped and labelled as painful: {', '.join(words)}. The rest is not marked."
    else:
        marked = "No place is marked as painful."
    desc = f"An outline of a body seen from behind, with a dashed line down the spine. {marked}"

    def draw(prefix: str) -> str:
        hatch = f"{prefix}-hatch"
        pattern = (
            f'<defs><pattern id="{hatch}" patternUnits="userSpaceOnUse" width="9" height="9">'
            f'<rect width="9" height="9" fill="{_WARM}"/>'
            f'<path d="M0,9 L9,0 M-2,2 L2,-2 M7,11 L11,7" stroke="{_WARM_LINE}" '
            'stroke-width="2"/></pattern></defs>'
        )
        marks = []
        for region in picked:
            shape, to = _region_shapes(region, f"url(#{hatch})")
            label = _callout(PAIN_REGIONS[region], (_LABEL_X, to[1] + 5), to)
            marks.append(f'<g data-region="{region}">{shape}{label}</g>')
        key = (
            _shape("rect", f"url(#{hatch})", _INK, 2, x=_LABEL_X - 22, y=40, width=30, height=22)
            + _text((_LABEL_X + 16, 57), "Where it hurts")
            if picked
            else _text((_LABEL_X - 22, 57), "No place marked")
        )
        return (
            pattern
            + _body_from_behind()
            + "".join(marks)
            + key
            + _text((_LABEL_X - 22, 96), "Seen from behind")
        )

    return _svg("pain-map", (_MAP_WIDTH, _MAP_HEIGHT), "Where it hurts", desc, draw)


def course_progress_svg(done: Sequence[bool]) -> str:
    """A path of stepping stones, one per counted app in order: a tick on each one done.

    Done stones are filled and ticked, the others are numbered circles, so the tick, not the
    colour, says which are done; the words beneath say how many.
    """
    count = len(done)
    if count == 0:
        raise InputError("done", "at least one app", "none")
    gap = (_WIDTH - 60) / max(count - 1, 1)
    centres = [(30 + gap * index if count > 1 else _WIDTH / 2, 64.0) for index in range(count)]
    stones = []
    for number, (centre, finished) in enumerate(zip(centres, done, strict=True), start=1):
        fill, line = (_GREEN, _GREEN_LINE) if finished else (_PAPER, _INK)
        stones.append(_shape("circle", fill, line, 3, cx=f"{centre[0]:.1f}", cy=centre[1], r=19))
        if finished:
            tick = [(centre[0] - 9, centre[1]), (centre[0] - 2, centre[1] + 8)]
            stones.append(_lines([*tick, (centre[0] + 10, centre[1] - 8)], _GREEN_LINE, 5))
        else:
            stones.append(_text((centre[0], centre[1] + 6), str(number), "middle", 17))
    path = _lines(centres, _INK, 2) if count > 1 else ""
    done_count = sum(done)
    words = f"{done_count} of {count} done"
    return _svg(
        "course-progress",
        (_WIDTH, 130),
        "Your way through the course",
        f"A path of {count} stepping stones, one for each part of the course; "
        f"{done_count} of them are ticked as done.",
        f"{path}{''.join(stones)}{_text((_WIDTH / 2, 116), words, 'middle', 18)}",
    )


def picture_html(svg: str, max_width: int, css_class: str = "backspasm-picture") -> str:
    """A picture in a block of at most ``max_width`` px, for placing beside words."""
    return f'<div class="{css_class}" style="max-width:{max_width}px">{svg}</div>'


def care_levels_html() -> str:
    """The four care levels side by side, most urgent first: each icon and what to do."""
    table = load_triage_table()
    items = "".join(
        f'<li style="flex:1 1 9em;max-width:14em;list-style:none">'
        f"{picture_html(care_level_icon_svg(level.value), 120)}"
        f'<small style="display:block;line-height:1.35">{escape(table.levels[level].action)}'
        f"</small></li>"
        for level in CareLevel
    )
    return (
        '<section aria-label="The four care levels"><h3>The four care levels</h3>'
        f'<ul style="display:flex;flex-wrap:wrap;gap:1em;padding:0;margin:0">{items}</ul>'
        "</section>"
    )


def postures_html() -> str:
    """Sitting, standing and lifting well, side by side."""
    items = "".join(
        f'<li style="flex:1 1 14em;max-width:20em;list-style:none">'
        f"{picture_html(posture_svg(kind), 300)}</li>"
        for kind in POSTURE_ITEMS
    )
    return (
        '<section aria-label="Sitting, standing and lifting"><h3>Sit, stand and lift with care'
        f'</h3><ul style="display:flex;flex-wrap:wrap;gap:1em;padding:0;margin:0">{items}</ul>'
        "</section>"
    )


def picture_sources(kind: str, picture_id: str) -> tuple[str, ...]:
    """The source ids behind a picture's idea, for a caller to cite beside it.

    kind is one of PICTURE_KINDS. A plan item or posture picture has its plan item's sources, a
    trigger picture those of what the trigger is about; a care level icon or a pain region has
    none of its own (empty). InputError (a ValueError) for an unknown kind or id.
    """
    kind = _choose(kind, PICTURE_KINDS, "picture kind")
    if kind == "posture":
        return picture_sources("plan_item", POSTURE_ITEMS[_choose(picture_id, POSTURE_ITEMS, kind)])
    if kind == "plan_item":
        return _plan_item(picture_id, kind).sources
    if kind == "trigger":
        return _trigger(picture_id, kind).about.sources
    known = [c.value for c in CareLevel] if kind == "care_level" else list(PAIN_REGIONS)
    _choose(picture_id, known, kind)
    return ()
