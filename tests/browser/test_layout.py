"""Phone and laptop layout of every app: nothing to scroll sideways, no overlapping targets, big enough to tap."""

from __future__ import annotations

import pytest

from .support import STUDENT_APPS

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}

TARGETS = """() => {
  const visible = el => {
    const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const controls = [...document.querySelectorAll(
    '#rendered_cells button, #rendered_cells select, #rendered_cells textarea,'
    + ' #rendered_cells input:not([type=radio]):not([type=checkbox]):not([type=hidden]),'
    + ' #rendered_cells label'
  )].filter(el => el.tagName !== 'LABEL' || el.querySelector('input[type=radio], input[type=checkbox]'));
  return controls.filter(visible).map(el => {
    const r = el.getBoundingClientRect();
    const name = (el.innerText || el.getAttribute('aria-label') || el.title || el.tagName).trim();
    return {name: name.slice(0, 60), tag: el.tagName, x: r.left + scrollX, y: r.top + scrollY,
            w: r.width, h: r.height};
  });
}"""
"""Every visible tap target in the app: buttons, lists, text boxes, and the labels of choices."""


def overlaps(a, b) -> bool:
    """Whether two boxes share more than a one-pixel sliver."""
    width = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return width > 1 and height > 1


def open_with_choices(app, name: str) -> None:
    """Open an app; in the quiz app start a quiz, so its choices show too."""
    app.open(name)
    if name == "06_quiz":
        app.page.get_by_role("button", name="Start quiz").click()
        app.page.get_by_text("Question 1 of").first.wait_for(state="visible")
    # Let the last widgets settle into their boxes: the ready text can show a moment before
    # its control is laid out, so wait until the page has tap targets, then a little more.
    app.page.wait_for_function(f"() => ({TARGETS})().length > 0", timeout=30_000)
    app.page.wait_for_timeout(500)


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
@pytest.mark.parametrize("name", STUDENT_APPS)
def test_no_sideways_scroll_no_overlap_and_big_enough_targets(app, name, size) -> None:
    """At phone and laptop size: the page fits its width, no two tap targets overlap, each is big enough, no extra label rows."""
    app.page.set_viewport_size(VIEWPORTS[size])
    open_with_choices(app, name)
    page = app.page
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, innerWidth]"
    )
    assert scroll_width <= inner_width, f"the page scrolls sideways: {scroll_width} > {inner_width}"
    widest = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('.jp-OutputArea-output')]"
        ".map(e => e.clientWidth))"
    )
    assert widest >= min(0.6 * inner_width, 600), f"the content is squeezed to {widest} px"
    squeezed = page.evaluate(
        "() => [...document.querySelectorAll('.jp-OutputArea-output, .widget-box')]"
        ".filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)"
        ".map(e => (e.innerText || e.className).slice(0, 50))"
    )
    assert squeezed == [], "content wider than its box, so the box scrolls or spills"
    targets = page.evaluate(TARGETS)
    assert targets, "no tap targets found"
    clashes = [
        f"{a['name']!r} and {b['name']!r}"
        for index, a in enumerate(targets)
        for b in targets[index + 1 :]
        if overlaps(a, b)
    ]
    assert clashes == []
    smallest = 44 if size == "phone" else 24
    small = [
        f"{t['name']!r} ({t['w']:.0f}x{t['h']:.0f})"
        for t in targets
        if t["w"] < smallest or t["h"] < smallest
    ]
    assert small == []
    doubled = page.evaluate(
        "() => [...document.querySelectorAll('.widget-checkbox > label.widget-label')]"
        ".filter(l => l.getBoundingClientRect().height > 0).map(l => l.innerText)"
    )
    assert doubled == [], "tick boxes show ipywidgets' hidden indent label as an extra row"
    assert app.errors == []


TEXT_CENTRE = """label => {
  const range = document.createRange();
  range.selectNodeContents(label);
  const r = range.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
}"""
"""The centre of an answer's text as drawn, which may spill out of its label's box."""


def test_a_wrapped_choice_is_tapped_where_it_is_drawn(app) -> None:
    """On a phone, tapping the middle of each answer's text picks that answer, not its neighbour."""
    app.page.set_viewport_size(PHONE)
    app.open("01_what_is_a_back_spasm")
    labels = app.page.locator(".widget-radio-box label")
    assert labels.count() >= 3
    for index in range(labels.count()):
        label = labels.nth(index)
        label.scroll_into_view_if_needed()
        x, y = label.evaluate(TEXT_CENTRE)
        app.page.mouse.click(x, y)
        assert label.locator("input").is_checked(), label.inner_text()
