"""Pictures drawn in code: plan items, posture, care level icons, the pain map and the causes."""

from __future__ import annotations

import ast
import html
import re
import sys
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from xml.etree.ElementTree import Element

import pytest
import textstat
from defusedxml.ElementTree import fromstring
from hypothesis import given
from hypothesis import strategies as st

from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.content.model import CareLevel
from backspasm_edu.engines.explore import plan_menu, trigger_table
from backspasm_edu.render import pictures
from backspasm_edu.render.pictures import (
    PAIN_REGIONS,
    PICTURE_KINDS,
    POSTURE_ITEMS,
    care_level_icon_svg,
    pain_map_svg,
    picture_sources,
    plan_item_svg,
    posture_svg,
    trigger_svg,
)
from tests.shingles import digest, read_hashes, shingles

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
PLAN = plan_menu()
TRIGGERS = trigger_table().triggers
LEVELS = load_triage_table().levels
MAX_GRADE = 8.0

PICTURES: dict[str, Callable[[], str]] = {
    **{f"plan item {i}": partial(plan_item_svg, i) for i in PLAN.items},
    **{f"posture {kind}": partial(posture_svg, kind) for kind in POSTURE_ITEMS},
    **{f"trigger {t}": partial(trigger_svg, t) for t in TRIGGERS},
    **{f"care level {level.value}": partial(care_level_icon_svg, level.value) for level in LEVELS},
    "pain map, every region": partial(pain_map_svg, list(PAIN_REGIONS)),
    "pain map, no region": partial(pain_map_svg, []),
}
NAMES = list(PICTURES)


def parse(svg: str) -> Element:
    """The SVG parsed safely as XML, which fails unless it is well-formed."""
    root = fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def words(element: Element) -> list[str]:
    """The words of every text element inside, in document order."""
    return ["".join(text.itertext()) for text in element.iter(f"{SVG}text")]


def ids(root: Element) -> list[str]:
    """Every id the picture defines."""
    return [element.get("id", "") for element in root.iter() if element.get("id")]


def luminance(colour: str) -> float:
    """The relative luminance of a #rgb or #rrggbb colour (WCAG 2)."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour(value: str | None) -> str | None:
    """The value when it is a plain hex colour (not none, not a pattern)."""
    return value if value and re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", value) else None


@pytest.mark.parametrize("name", NAMES)
def test_every_picture_is_an_accessible_scalable_svg(name: str) -> None:
    """Each picture parses, has role img, a viewBox, 100% width with a px max-width, and a non-empty title and desc named by aria-labelledby."""
    root = parse(PICTURES[name]())
    assert root.get("role") == "img"
    assert re.fullmatch(r"0 0 \d+ \d+", root.get("viewBox", ""))
    assert root.get("width") == "100%"
    assert re.search(r"max-width:\d+px", root.get("style", ""))
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and (title.text or "").strip()
    assert desc is not None and (desc.text or "").strip()
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert len(ids(root)) == len(set(ids(root)))


@pytest.mark.parametrize("name", NAMES)
def test_two_calls_never_share_an_id(name: str) -> None:
    """Drawing the same picture twice gives two sets of ids with nothing in common."""
    first, second = parse(PICTURES[name]()), parse(PICTURES[name]())
    assert ids(first) and not set(ids(first)) & set(ids(second))


@pytest.mark.parametrize("name", NAMES)
def test_pictures_refer_to_nothing_outside_themselves(name: str) -> None:
    """No href of any kind, no image, use, script or foreign object, and every url(#id) is an id inside the picture."""
    root = parse(PICTURES[name]())
    for element in root.iter():
        assert "href" not in element.attrib and XLINK_HREF not in element.attrib
        assert element.tag.removeprefix(SVG) not in {"image", "use", "script", "foreignObject"}
    references = [
        reference
        for element in root.iter()
        for value in element.attrib.values()
        for reference in re.findall(r"url\(([^)]*)\)", value)
    ]
    assert all(reference.startswith("#") for reference in references)
    assert {reference[1:] for reference in references} <= set(ids(root))


@pytest.mark.parametrize("name", NAMES)
def test_lines_and_words_stand_out_from_what_is_behind_them(name: str) -> None:
    """Lines reach 3:1 against white and their own fill, solid marks 3:1, and words 4.5:1 against white and every light fill."""
    root = parse(PICTURES[name]())
    defs = {id(element) for d in root.iter(f"{SVG}defs") for element in d.iter()}
    background, *drawn = [
        e
        for e in root.iter()
        if id(e) not in defs
        and e.tag != f"{SVG}text"
        and (colour(e.get("fill")) or colour(e.get("stroke")))
    ]
    assert background.tag == f"{SVG}rect" and background.get("fill") == "#ffffff"
    for element in drawn:
        fill, stroke = colour(element.get("fill")), colour(element.get("stroke"))
        if stroke:
            assert contrast(stroke, "#ffffff") >= 3, element.attrib
            if fill and fill != stroke:
                assert contrast(stroke, fill) >= 3, element.attrib
        elif fill:
            assert contrast(fill, "#ffffff") >= 3, element.attrib
    surfaces = {"#ffffff"} | {
        fill for e in drawn if (fill := colour(e.get("fill"))) and luminance(fill) > 0.4
    }
    for text in root.iter(f"{SVG}text"):
        ink = colour(text.get("fill"))
        assert ink and min(contrast(ink, surface) for surface in surfaces) >= 4.5


@pytest.mark.parametrize("name", NAMES)
def test_title_and_description_are_plain_and_our_own_words(name: str) -> None:
    """Each picture's title and description read at grade 8 or below and copy no 8-word run from a protected text."""
    root = parse(PICTURES[name]())
    text = f"{root.findtext(f'{SVG}title')}. {root.findtext(f'{SVG}desc')}"
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text
    assert not [s for s in shingles(text) if digest(s) in read_hashes()]


@pytest.mark.parametrize("item_id", list(PLAN.items))
def test_every_plan_item_has_a_picture_titled_with_its_label(item_id: str) -> None:
    """Every item in plan.yaml has a picture whose title is the label the plan builder shows."""
    root = parse(plan_item_svg(item_id))
    assert root.findtext(f"{SVG}title") == PLAN.items[item_id].label
    assert words(root)


@pytest.mark.parametrize("trigger_id", list(TRIGGERS))
def test_every_trigger_has_a_picture_titled_with_its_name(trigger_id: str) -> None:
    """Every trigger in triggers.yaml has a picture whose title is its name in the explorer."""
    root = parse(trigger_svg(trigger_id))
    assert root.findtext(f"{SVG}title") == TRIGGERS[trigger_id].name
    assert words(root)


@pytest.mark.parametrize(
    ("kind", "phrases"),
    [
        ("sitting", ["Back straight and supported", "Stand up and move around often."]),
        ("standing", ["Stand tall", "Back straight, not slouched"]),
        ("lifting", ["Bend your knees", "Back straight, no twist", "Load held close"]),
    ],
)
def test_posture_pictures_say_in_words_what_is_done_well(kind: str, phrases: list[str]) -> None:
    """Sitting, standing and lifting each label what the person does well, and say it is not proven to prevent back pain."""
    shown = " ".join(words(parse(posture_svg(kind))))
    for phrase in [*phrases, "not proven to prevent back pain"]:
        assert phrase in shown


@pytest.mark.parametrize("level", list(CareLevel))
def test_each_care_level_icon_shows_its_title_from_the_triage_table(level: CareLevel) -> None:
    """An icon's title and visible words are the level's title in the triage table."""
    root = parse(care_level_icon_svg(level.value))
    title = LEVELS[level].title
    assert root.findtext(f"{SVG}title") == title
    assert title in " ".join(words(root))


def test_the_four_care_level_icons_differ_in_shape() -> None:
    """The icons are told apart by their shape elements, not colour alone: no two draw the same set of shapes."""
    shapes = set()
    for level in CareLevel:
        (icon,) = parse(care_level_icon_svg(level.value)).findall(f"{SVG}g")
        drawn = Counter(
            element.tag.removeprefix(SVG) for element in icon.iter() if element is not icon
        )
        assert "text" not in drawn and drawn
        shapes.add(tuple(sorted(drawn.items())))
    assert len(shapes) == len(CareLevel)


def region_groups(root: Element) -> dict[str, Element]:
    """The pain map's marked regions, by region id."""
    return {g.get("data-region", ""): g for g in root.iter(f"{SVG}g") if g.get("data-region")}


@given(st.sets(st.sampled_from(list(PAIN_REGIONS))))
def test_pain_map_marks_exactly_the_chosen_regions_with_pattern_and_label(chosen: set[str]) -> None:
    """Each chosen region is filled with the hatch pattern and labelled in words; the others have neither."""
    root = parse(pain_map_svg(sorted(chosen)))
    patterns = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    groups = region_groups(root)
    assert set(groups) == chosen
    for region, group in groups.items():
        fills = [e.get("fill", "") for e in group.iter() if e.get("fill", "").startswith("url(")]
        assert fills and all(fill[5:-1] in patterns for fill in fills)
        assert PAIN_REGIONS[region] in words(group)
    shown = words(root)
    assert [
        PAIN_REGIONS[r] for r in PAIN_REGIONS if r not in chosen and PAIN_REGIONS[r] in shown
    ] == []
    in_groups = {id(e) for group in groups.values() for e in group.iter()}
    hatched = [
        e for e in root.iter() if e.get("fill", "").startswith("url(") and id(e) not in in_groups
    ]
    assert len(hatched) == (1 if chosen else 0)  # the key's swatch, beside "Where it hurts"
    assert ("Where it hurts" in shown) is bool(chosen)
    desc = root.findtext(f"{SVG}desc") or ""
    assert all(PAIN_REGIONS[region].lower() in desc for region in chosen)


def test_pain_map_with_nothing_chosen_says_so() -> None:
    """With no region chosen the body is plain, and the picture says no place is marked."""
    root = parse(pain_map_svg(()))
    assert region_groups(root) == {}
    assert "No place marked" in words(root)
    assert "No place is marked" in (root.findtext(f"{SVG}desc") or "")


@pytest.mark.parametrize(
    ("draw", "known"),
    [
        (plan_item_svg, list(PLAN.items)),
        (trigger_svg, list(TRIGGERS)),
        (posture_svg, list(POSTURE_ITEMS)),
        (care_level_icon_svg, [level.value for level in CareLevel]),
        (lambda region: pain_map_svg(["lower_back", region]), list(PAIN_REGIONS)),
        (partial(picture_sources, "plan_item"), list(PLAN.items)),
        (partial(picture_sources, "care_level"), [level.value for level in CareLevel]),
        (lambda kind: picture_sources(kind, "knee_hug"), list(PICTURE_KINDS)),
    ],
)
def test_an_unknown_id_raises_value_error_naming_the_known_ones(
    draw: Callable[[str], object], known: list[str]
) -> None:
    """An id that has no picture raises ValueError, and the message names every known id."""
    with pytest.raises(ValueError, match="not_a_picture") as raised:
        draw("not_a_picture")
    assert all(name in str(raised.value) for name in known)


def test_pain_map_takes_a_list_of_regions_not_one_string() -> None:
    """A lone region id (a string, not a list) raises ValueError instead of being read letter by letter."""
    with pytest.raises(ValueError, match="a list of region ids"):
        pain_map_svg("thigh")


def test_picture_sources_are_the_contents_own_and_known() -> None:
    """Plan item and posture pictures cite their item's sources, triggers what they are about; icons and regions cite none."""
    sources = load_library().sources
    for item in PLAN.items.values():
        assert picture_sources("plan_item", item.id) == item.sources
    for kind, item_id in POSTURE_ITEMS.items():
        assert picture_sources("posture", kind) == PLAN.items[item_id].sources
    for trigger in TRIGGERS.values():
        assert picture_sources("trigger", trigger.id) == trigger.about.sources
    assert picture_sources("plan_item", "knee_hug") == ("ahs",)
    assert picture_sources("posture", "lifting")[:2] == ("mayo_clinic", "ahs")
    cited = [s for i in PLAN.items for s in picture_sources("plan_item", i)]
    cited += [s for t in TRIGGERS for s in picture_sources("trigger", t)]
    assert set(cited) <= set(sources)
    assert picture_sources("care_level", "urgent") == ()
    assert picture_sources("pain_region", "thigh") == ()


def test_pictures_import_only_the_standard_library_and_the_package() -> None:
    """The pictures module imports nothing but standard library modules and backspasm_edu's own (no widgets, no network clients)."""
    tree = ast.parse(Path(pictures.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    tops = {name.split(".")[0] for name in imported}
    assert tops - {"__future__", "backspasm_edu"} <= sys.stdlib_module_names
    assert {"ipywidgets", "IPython", "urllib", "http", "socket"}.isdisjoint(tops)


def test_the_care_level_legend_shows_each_level_most_urgent_first_with_what_to_do():
    """The legend holds the four icons, most urgent first, each with its level's action in words."""
    legend = pictures.care_levels_html()
    table = load_triage_table()
    titles = [table.levels[level].title for level in CareLevel]
    positions = [legend.index(f">{html.escape(title)}</title>") for title in titles]
    assert positions == sorted(positions)
    for level in CareLevel:
        assert html.escape(table.levels[level].action) in legend
    assert legend.count('role="img"') == 4


def test_the_posture_row_shows_sitting_standing_and_lifting():
    """The posture row holds the three posture pictures, each once."""
    row = pictures.postures_html()
    assert row.count('role="img"') == 3
    for kind in pictures.POSTURE_ITEMS:
        label = html.escape(plan_menu().items[pictures.POSTURE_ITEMS[kind]].label)
        assert f">{label}</title>" in row
