"""Shared pieces of every view: feedback in words and a symbol, source links, the notice."""

from __future__ import annotations

import functools
import html
import itertools
import logging
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import ipywidgets as widgets

from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.content.model import CareLevel

Tone = Literal["right", "wrong", "partly", "warning", "info"]

SYMBOLS: dict[Tone, str] = {"right": "✓", "wrong": "✗", "partly": "◐", "warning": "⚠", "info": "ℹ"}
"""Plain characters, not icon fonts: Voila's default template loads Font Awesome from a CDN."""

_TONE_COLOURS: dict[Tone, tuple[str, str]] = {
    "right": ("#e8f5e9", "#1b5e20"),
    "wrong": ("#fdecea", "#b71c1c"),
    "partly": ("#fff8e1", "#7a4f01"),
    "warning": ("#fff3e0", "#8a3c00"),
    "info": ("#e3f2fd", "#0d47a1"),
}
LEVEL_TONES: dict[CareLevel, Tone] = {
    CareLevel.EMERGENCY: "wrong",
    CareLevel.URGENT: "warning",
    CareLevel.SEE_DOCTOR: "partly",
    CareLevel.SELF_CARE: "right",
}
LEVEL_SYMBOLS: dict[CareLevel, str] = {
    CareLevel.EMERGENCY: "⚠",
    CareLevel.URGENT: "⚠",
    CareLevel.SEE_DOCTOR: "ℹ",
    CareLevel.SELF_CARE: "✓",
}

escape = html.escape
LABEL_STYLE = {"description_width": "initial"}
"""A control's style that shows its whole label, however long."""


def feedback_html(tone: Tone, headline: str, body_html: str = "", symbol: str = "") -> str:
    """A feedback box: symbol and headline in words (never colour alone), in a live region.

    The symbol is the tone's own unless one is given (a care level uses its level's symbol).
    """
    background, foreground = _TONE_COLOURS[tone]
    symbol = symbol or SYMBOLS[tone]
    body = f'<div style="margin-top:0.4em">{body_html}</div>' if body_html else ""
    return (
        f'<div role="status" aria-live="polite" style="background:{background};'
        f"color:{foreground};border-left:0.35em solid {foreground};padding:0.6em 0.9em;"
        f'border-radius:4px;line-height:1.45">'
        f'<strong><span aria-hidden="true">{symbol}</span> {escape(headline)}</strong>'
        f"{body}</div>"
    )


def focus_region(content: widgets.HTML) -> widgets.Box:
    """A box around an HTML widget that the app can move keyboard focus into (``move_focus``).

    Tab passes the region by; after Check, Start or a choice the app moves focus into it, so a
    screen reader reads it and the next Tab goes on from there.
    """
    region = widgets.Box([content], layout=widgets.Layout(display="block"))
    region.add_class("backspasm-focus-region")
    return region


_FOCUS_TARGET = re.compile(
    r'^<div class="backspasm-focus-target" tabindex="-1" data-backspasm-focus="\d+">(.*)'
    r"</div><!--/focus-target-->$",
    re.DOTALL,
)
_focus_requests = itertools.count(1)


def move_focus(region: widgets.Box) -> None:
    """Move keyboard focus into the region's content, in every page that shows it.

    The content is wrapped in a focusable ``<div>`` carrying a new number, and the page script
    of ``backspasm-edu serve`` focuses each newly numbered target it sees. ipywidgets cannot do
    this itself: a Box's ``tabbable`` never reaches its element and an HTML widget focuses an
    inner element that cannot take focus, so ``focus()`` left focus on the page.
    """
    content = region.children[0]
    match = _FOCUS_TARGET.match(content.value)
    inner = match.group(1) if match else content.value
    content.value = (
        f'<div class="backspasm-focus-target" tabindex="-1" '
        f'data-backspasm-focus="{next(_focus_requests)}">{inner}</div><!--/focus-target-->'
    )


def source_links(source_ids: Iterable[str]) -> str:
    """HTML links to the cited sources, by their short names, opening in a new tab."""
    sources = load_library().sources
    links = [
        f'<a href="{escape(sources[i].url)}" target="_blank" rel="noopener noreferrer" '
        f'title="{escape(sources[i].title)}">{escape(sources[i].name)}</a>'
        for i in source_ids
        if i in sources
    ]
    return "Sources: " + ", ".join(links) if links else ""


def notice_html() -> str:
    """The not-a-diagnosis notice every page with care advice shows."""
    return feedback_html("info", load_triage_table().notice)


def notice() -> widgets.HTML:
    """The notice as a widget."""
    return widgets.HTML(notice_html())


NOT_SAVED = "Not saved - your answer still counts here; tell your teacher"
"""What a learner sees when a step could not be kept; why goes to the server's log."""
SOMETHING_WENT_WRONG = (
    "Something went wrong with that step. Reload the page to carry on: your saved answers are "
    "kept. If it happens again, tell your teacher."
)

_server_log = logging.getLogger("backspasm_edu.widgets")
_server_log.addHandler(logging.StreamHandler(sys.__stderr__))  # the server's terminal
_server_log.propagate = False  # a kernel's own stderr goes to the browser


def not_saved_html(problem: str) -> str:
    """The warning that a step was not kept, in the learner's words; the reason is logged."""
    _server_log.warning("progress not saved: %s", problem)
    return feedback_html("warning", NOT_SAVED)


@dataclass
class CallbackGuard:
    """What happens when a control's action fails: logged on the server, words on the page.

    ipywidgets would send the traceback (paths, versions) to the browser. ``show_problem`` is
    set by the course header of the page; ``raise_errors`` lets tests see the error itself.
    """

    show_problem: Callable[[str], None] | None = None
    raise_errors: bool = False


callback_guard = CallbackGuard()


def _guarded(callback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(callback)
    def run(*args: Any) -> Any:
        try:
            return callback(*args)
        except Exception:
            if callback_guard.raise_errors:
                raise
            _server_log.exception("a control's action failed")
            if callback_guard.show_problem is not None:
                callback_guard.show_problem(SOMETHING_WENT_WRONG)
            return None

    return run


class _GuardedButton(widgets.Button):
    """A button whose actions never send a traceback to the browser (see CallbackGuard)."""

    def on_click(self, callback: Callable[[widgets.Button], Any], remove: bool = False) -> None:
        """Run ``callback`` on a click, guarded; ``remove`` is not supported."""
        if remove:
            raise ValueError("remove: guarded buttons keep their actions")
        super().on_click(_guarded(callback))


def button(description: str, tooltip: str, style: str = "") -> widgets.Button:
    """A button with visible text and a tooltip (read by screen readers as its title).

    An action that fails is logged on the server and said in words on the page.
    """
    return _GuardedButton(
        description=description,
        tooltip=tooltip,
        button_style=style,
        layout=widgets.Layout(width="auto", min_width="8em"),
    )
