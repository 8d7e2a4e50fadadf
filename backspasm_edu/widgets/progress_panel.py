"""The learner panel: an optional name, "Download my progress" and "Resume from file"."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

import ipywidgets as widgets

from backspasm_edu.progress import (
    ProgressError,
    ProgressStore,
    check_file_size,
    clean_name,
    default_store,
    restore_file,
)
from backspasm_edu.widgets._common import LABEL_STYLE, escape, feedback_html
from backspasm_edu.widgets._page import PageLearner, page_learner, when_page_is_known

__all__ = ["LearnerPanel", "learner_from_page", "open_store"]

_MAX_SHOWN_NAME = 100
"""An uploaded file's name (the browser's word) is shown to at most this many characters."""
_BUTTON_LINK_STYLE = (
    "display:inline-block;padding:0.3em 0.9em;border:1px solid #0d47a1;border-radius:4px;"
    "color:#0d47a1;text-decoration:none;font-weight:600"
)


def learner_from_page() -> str:
    """The key this page's learner's records are kept under, before any name is typed.

    Their class link's name; on a shared server their browser's private key; else the name
    in the address (``?learner=Sam``), or "".
    """
    return page_learner().key()


def open_store(store: ProgressStore | None = None) -> tuple[ProgressStore | None, str]:
    """The given or default store, or None and a warning to show when it cannot be opened."""
    if store is not None:
        return store, ""
    try:
        return default_store(), ""
    except ProgressError as error:
        return None, feedback_html(
            "warning", "Your progress cannot be saved in this session", escape(str(error))
        )


def _file_stem(learner: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", learner.lower()).strip("-")
    return f"backspasm-progress-{slug}" if slug else "backspasm-progress"


_NAME_HELP = {
    "hub": (
        "You are signed in to the class hub under this name: your answers are kept under it, "
        "on any device you sign in from."
    ),
    "signed": (
        "This is your own course link: it opens your answers on any device. Keep it to "
        "yourself, as anyone with it can see your answers."
    ),
    "shared": (
        "Your name only tells your teacher whose answers these are. Your answers stay with "
        "this browser: a name is not a password, and typing a name never opens anyone "
        "else's answers. To carry on on another device, download your progress and load it "
        "there."
    ),
    "own": (
        "Your name keeps your answers apart from others who use this computer. It is not a "
        "password: anyone here who types the same name sees those answers."
    ),
}
_PRIVACY = (
    "<details><summary>What is kept and who sees it</summary><p>Kept: each answer you give, "
    "when you gave it, and the name you type, if any. Where: in the course's progress file on "
    "the computer that runs these apps{where}. Who sees it: you, and your teacher on the class "
    "results page. Nothing is sent anywhere else.</p></details>"
)


def _uploaded_file(uploads: object) -> tuple[str, bytes]:
    """The name and bytes of the one file in a FileUpload's value, as far as the browser says.

    The size is checked on the bytes that arrived, before they are copied or read.
    """
    try:
        upload = uploads[0]  # type: ignore[index]
        name = str(upload["name"])[:_MAX_SHOWN_NAME] or "progress file"
        content = upload["content"]
    except (KeyError, TypeError, IndexError):
        raise ProgressError(
            "expected a file chosen with “Resume from file”, got something else"
        ) from None
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise ProgressError(f"{name}: expected the bytes of a file, got none")
    check_file_size(memoryview(content).nbytes, name)
    return name, bytes(content)


class LearnerPanel(widgets.VBox):
    """Who is learning, a link that saves their progress, and an upload that restores it.

    Listeners registered with ``on_change`` run when the learner changes (a typed name on a
    computer of one's own) or a file is restored, so the views above can resume their runs.
    On a shared server the typed name is only a label: the learner stays the same. In a
    preheated kernel the panel is built before its page arrives and shows the learner then.
    """

    def __init__(self, store: ProgressStore | None = None, page: PageLearner | None = None) -> None:
        super().__init__()
        self.page: PageLearner | None = None
        """This page's learner; None in a preheated kernel until its page arrives."""
        self.store: ProgressStore | None = None
        self.name = widgets.Text(
            description="Your name (optional)",
            placeholder="Shown to your teacher",
            continuous_update=False,
            style=LABEL_STYLE,
        )
        self.download = widgets.HTML()
        self.upload = widgets.FileUpload(
            accept=".json", multiple=False, description="Resume from file", icon=""
        )
        self.upload.add_class("backspasm-upload")
        self.upload.tooltip = "Load a progress file you downloaded before"
        self.message = widgets.HTML()
        self._help = widgets.HTML()
        self._listeners: list[Callable[[], None]] = []
        self.upload.observe(self._restore, names="value")
        if page is None:
            when_page_is_known(lambda known: self._show_learner(known, store))
        else:
            self._show_learner(page, store)

    def _show_learner(self, page: PageLearner, store: ProgressStore | None) -> None:
        """The learner's own parts: their name, what it means here, their progress file link."""
        self.page = page
        self.store, problem = open_store(store)
        kind = (
            "hub" if page.hub else "signed" if page.signed else "shared" if page.shared_server
            else "own"
        )  # fmt: skip
        self.name.value = page.shown_name(self.store)
        self.name.disabled = page.signed
        self.name.observe(self._name_changed, names="value")  # from now on, the learner's typing
        self.message.value = problem
        where = " (on Binder, only until you close it)" if kind == "own" else ""
        self._help.value = (
            f"<small>{_NAME_HELP[kind]} Your answers are saved as you go, so a reload carries "
            "on where you were.</small>" + _PRIVACY.format(where=where)
        )
        if self.store is not None:
            self.store.subscribe(lambda _record: self._refresh_download())
            self._refresh_download()
            tools = widgets.HBox(
                [self.download, self.upload],
                layout=widgets.Layout(flex_flow="row wrap", grid_gap="0.8em", align_items="center"),
            )
            self.children = [self.name, self._help, tools, self.message]
        else:
            self.children = [self.message]
        self._notify()  # the views above open this learner's unfinished run

    @property
    def learner(self) -> str:
        """The key this learner's records are kept under ("" until the page is known)."""
        return "" if self.page is None else self.page.key(self.name.value)

    @property
    def shown_name(self) -> str:
        """The name as typed, trimmed ("" for a learner who gave none)."""
        return clean_name(self.name.value)

    def on_change(self, listener: Callable[[], None]) -> None:
        """Run ``listener`` after the learner changes or progress is restored from a file."""
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in self._listeners:
            listener()

    def _name_changed(self, _change: object) -> None:
        self.message.value = ""
        if self.page is not None and self.page.shared_server:
            self._save_label()
            return
        self._refresh_download()
        self._notify()

    def _save_label(self) -> None:
        """On a shared server: keep the typed name as this learner's label for the teacher."""
        if self.store is None:
            return
        try:
            self.store.set_name(self.learner, self.shown_name)
        except ProgressError as error:
            self.message.value = feedback_html(
                "warning", "Your name could not be saved", escape(str(error))
            )
            return
        if self.shown_name:
            seen_as = f"Your teacher sees your answers as “{escape(self.shown_name)}”."
            self.message.value = feedback_html("right", "Name saved", seen_as)
        else:
            self.message.value = feedback_html(
                "right", "Name removed", "Your answers are kept without a name."
            )

    def _refresh_download(self) -> None:
        """Point the download link at everything this learner has done so far."""
        if self.store is None:
            return
        data = self.store.export(self.learner)
        encoded = base64.b64encode(data).decode("ascii")
        self.download.value = (
            f'<a download="{_file_stem(self.shown_name)}.json" style="{_BUTTON_LINK_STYLE}" '
            f'href="data:application/json;base64,{encoded}">'
            f'<span aria-hidden="true">⬇</span> Download my progress</a>'
        )

    def _restore(self, change: dict[str, object]) -> None:
        """Add a downloaded progress file's answers to this learner's own progress.

        Everything about the upload is the browser's word: its size is checked on the bytes
        that arrived, before they are read, and every run is replayed by the engines.
        """
        uploads = change["new"]
        if not uploads or self.store is None:
            return
        try:
            name, content = _uploaded_file(uploads)
            kept = self.store.records(self.learner)
            records = restore_file(content, name, self.learner, kept=kept)
            added = self.store.add(records)
        except ProgressError as error:
            self.message.value = feedback_html(
                "warning", "That file could not be loaded", escape(str(error))
            )
            return
        finally:
            self.upload.value = ()
        already = len(records) - added
        self.message.value = feedback_html(
            "right",
            "Progress restored",
            f"{added} answer(s) from {escape(name)} added to your progress"
            + (f"; {already} were already here." if already else "."),
        )
        self._refresh_download()
        self._notify()
