"""The learner panel: an optional name, "Download my progress" and "Resume from file"."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable

import ipywidgets as widgets

from backspasm_edu.progress import ProgressError, ProgressStore, default_store, read_export
from backspasm_edu.settings import MAX_NAME_LENGTH
from backspasm_edu.widgets._common import LABEL_STYLE, escape, feedback_html
from backspasm_edu.widgets._page import page_parameter

__all__ = ["LearnerPanel", "learner_from_page", "open_store"]

_BUTTON_LINK_STYLE = (
    "display:inline-block;padding:0.3em 0.9em;border:1px solid #0d47a1;border-radius:4px;"
    "color:#0d47a1;text-decoration:none;font-weight:600"
)


def learner_from_page() -> str:
    """The learner name given in the app's address (``?learner=Sam``), else "".

    An instructor can share one link per student.
    """
    return page_parameter("learner").strip()[:MAX_NAME_LENGTH]


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


class LearnerPanel(widgets.VBox):
    """Who is learning, a link that saves their progress, and an upload that restores it.

    Listeners registered with ``on_change`` run when the name changes or a file is restored, so
    the views above can resume that learner's runs.
    """

    def __init__(self, store: ProgressStore | None = None) -> None:
        super().__init__()
        self.store, problem = open_store(store)
        self.name = widgets.Text(
            value=learner_from_page(),
            description="Your name (optional)",
            placeholder="Keeps your progress yours",
            continuous_update=False,
            style=LABEL_STYLE,
        )
        self.download = widgets.HTML()
        self.upload = widgets.FileUpload(
            accept=".json", multiple=False, description="Resume from file", icon=""
        )
        self.upload.tooltip = "Load a progress file you downloaded before"
        self.message = widgets.HTML(problem)
        self._listeners: list[Callable[[], None]] = []
        self.name.observe(self._name_changed, names="value")
        self.upload.observe(self._restore, names="value")
        help_text = widgets.HTML(
            "<small>Your answers are saved as you go, so a reload carries on where you were. "
            "On Binder, download your progress before you leave and load it next time.</small>"
        )
        if self.store is not None:
            self.store.subscribe(lambda _record: self._refresh_download())
            self._refresh_download()
            tools = widgets.HBox(
                [self.download, self.upload],
                layout=widgets.Layout(flex_flow="row wrap", grid_gap="0.8em", align_items="center"),
            )
            self.children = [self.name, tools, help_text, self.message]
        else:
            self.children = [self.message]

    @property
    def learner(self) -> str:
        """The name typed in, trimmed ("" for a learner who gave none)."""
        return str(self.name.value).strip()[:MAX_NAME_LENGTH]

    def on_change(self, listener: Callable[[], None]) -> None:
        """Run ``listener`` after the learner changes or progress is restored from a file."""
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in self._listeners:
            listener()

    def _name_changed(self, _change: object) -> None:
        self.message.value = ""
        self._refresh_download()
        self._notify()

    def _refresh_download(self) -> None:
        """Point the download link at everything this learner has done so far."""
        if self.store is None:
            return
        data = self.store.export(self.learner)
        encoded = base64.b64encode(data).decode("ascii")
        self.download.value = (
            f'<a download="{_file_stem(self.learner)}.json" style="{_BUTTON_LINK_STYLE}" '
            f'href="data:application/json;base64,{encoded}">'
            f'<span aria-hidden="true">⬇</span> Download my progress</a>'
        )

    def _restore(self, change: dict[str, object]) -> None:
        uploads = change["new"]
        if not uploads or self.store is None:
            return
        upload = uploads[0]  # type: ignore[index]
        name = str(upload["name"])
        try:
            records = read_export(bytes(upload["content"]), name)
            added = self.store.add(records)
        except ProgressError as error:
            self.message.value = feedback_html(
                "warning", "That file could not be loaded", escape(str(error))
            )
            return
        finally:
            self.upload.value = ()
        learners = sorted({record.learner for record in records})
        already = len(records) - added
        if len(learners) == 1 and learners[0] != self.learner:
            self.name.unobserve(self._name_changed, names="value")
            self.name.value = learners[0]
            self.name.observe(self._name_changed, names="value")
        who = f" for {escape(learners[0])}" if len(learners) == 1 and learners[0] else ""
        self.message.value = feedback_html(
            "right",
            f"Progress restored{who}",
            f"{added} answer(s) added from {escape(name)}"
            + (f"; {already} were already here." if already else "."),
        )
        self._refresh_download()
        self._notify()
