"""Helpers for headless widget tests: walk a view's widget tree, read its text and state."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import ipywidgets as widgets


def walk(root: widgets.Widget) -> Iterator[widgets.Widget]:
    """Every widget in the tree under root, root first."""
    yield root
    for child in getattr(root, "children", ()) or ():
        yield from walk(child)


def visible_text(root: widgets.Widget) -> str:
    """The text a learner can read: HTML and Label values without tags, plus control labels."""
    parts = []
    for widget in walk(root):
        if isinstance(widget, (widgets.HTML, widgets.HTMLMath, widgets.Label)):
            parts.append(re.sub(r"<[^>]+>", " ", widget.value))
        for name in ("description", "placeholder"):
            value = getattr(widget, name, "")
            if isinstance(value, str):
                parts.append(value)
        options = getattr(widget, "_options_labels", ())
        parts.extend(options)
    return re.sub(r"\s+", " ", " ".join(parts)).strip()


def markup_of(root: widgets.Widget) -> str:
    """The HTML of every HTML widget under root, in order, joined."""
    return "".join(
        widget.value
        for widget in walk(root)
        if isinstance(widget, (widgets.HTML, widgets.HTMLMath))
    )


def state_json(root: widgets.Widget) -> str:
    """All widget state under root, as the browser would receive it, as one JSON text."""
    states = []
    for widget in walk(root):
        state = widget.get_state()
        state.pop("children", None)
        states.append(state)
    return json.dumps(states, default=str)


def buttons(root: widgets.Widget) -> dict[str, widgets.Button]:
    """The buttons under root, by their visible description."""
    return {w.description: w for w in walk(root) if isinstance(w, widgets.Button)}


def unlabelled(root: widgets.Widget) -> list[widgets.Widget]:
    """Controls under root that a screen reader could not name."""
    missing = []
    for widget in walk(root):
        if isinstance(widget, (widgets.Box, widgets.HTML, widgets.HTMLMath, widgets.Label)):
            continue
        if isinstance(widget, widgets.Button):
            if not (widget.description and widget.tooltip):
                missing.append(widget)
        elif not widget.description:
            missing.append(widget)
    return missing
