"""The picker both quiz and case apps use: who is learning, what to open, and reopening."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import ipywidgets as widgets

from backspasm_edu.progress import Activity, ProgressStore, latest_unfinished
from backspasm_edu.widgets._common import LABEL_STYLE, button, escape, feedback_html
from backspasm_edu.widgets.progress_panel import LearnerPanel


class ActivityPicker(widgets.VBox):
    """Who is learning, an activity chosen by title, what it is about, and the activity below.

    Progress is kept per learner: when the page opens (or the name changes, or progress is
    restored from a file) the learner's unfinished activity opens again where they left it.
    Subclasses say which activity they offer and which view shows one (``view_class``).
    """

    activity: Activity
    noun: str
    view_class: Callable[..., widgets.Widget]

    def __init__(
        self, titles: Mapping[str, str], abouts: Mapping[str, str], store: ProgressStore | None
    ) -> None:
        super().__init__()
        self._titles, self._abouts = dict(titles), dict(abouts)
        self.learner_panel = LearnerPanel(store)
        self.picker = widgets.Dropdown(
            options=[(title, activity_id) for activity_id, title in self._titles.items()],
            description=f"Choose a {self.noun}",
            style=LABEL_STYLE,
            layout=widgets.Layout(width="auto", max_width="44em"),
        )
        self.about = widgets.HTML()
        self.welcome = widgets.HTML()
        self.start_button = button(
            f"Start {self.noun}",
            f"Start the chosen {self.noun}, or carry on where you left off",
            "primary",
        )
        self.view: widgets.Widget | None = None
        self.picker.observe(self._describe, names="value")
        self.start_button.on_click(self._start)
        self.learner_panel.on_change(self._resume_unfinished)
        self._describe()
        self._resume_unfinished()

    def make_view(self, activity_id: str) -> widgets.Widget:
        """The view of one activity for the current learner, recording into the panel's store."""
        return self.view_class(
            activity_id,
            learner=self.learner_panel.learner,
            store=self.learner_panel.store,
            record=self.learner_panel.store is not None,
        )

    def _describe(self, _change: object = None) -> None:
        self.about.value = f"<p>{escape(self._abouts[self.picker.value])}</p>"

    def _layout(self) -> None:
        parts = [
            self.learner_panel,
            self.picker,
            self.about,
            widgets.HBox([self.start_button]),
            self.welcome,
        ]
        self.children = parts if self.view is None else [*parts, self.view]

    def _start(self, _button: widgets.Button) -> None:
        self.welcome.value = ""
        self.view = self.make_view(self.picker.value)
        self._layout()
        focus_start = getattr(self.view, "focus_start", None)
        if focus_start is not None:  # the Start button stays, but the learner's place moved
            focus_start()

    def _resume_unfinished(self) -> None:
        """Open the learner's latest activity again if it is unfinished; else close any open."""
        store = self.learner_panel.store
        unfinished = (
            latest_unfinished(store, self.learner_panel.learner, self.activity, self._titles)
            if store is not None
            else None
        )
        self.view = None
        self.welcome.value = ""
        if unfinished is not None:
            self.picker.value = unfinished
            self.view = self.make_view(unfinished)
            self.welcome.value = feedback_html(
                "info",
                "Welcome back: carrying on where you left off",
                f"<p>{escape(self._titles[unfinished])}</p>",
            )
        self._layout()
