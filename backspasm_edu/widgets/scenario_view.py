"""Patient case views: the story, numbered choices, feedback, the path so far, and the ending."""

from __future__ import annotations

import ipywidgets as widgets

from backspasm_edu.content.loader import load_library, load_scenario, load_triage_table
from backspasm_edu.content.model import Ending, Rating, Scenario
from backspasm_edu.engines.scenario import ScenarioSession, Step
from backspasm_edu.progress import ProgressStore, resume_scenario
from backspasm_edu.render.pictures import care_level_icon_svg, picture_html
from backspasm_edu.widgets._common import (
    LEVEL_SYMBOLS,
    SYMBOLS,
    Tone,
    button,
    escape,
    feedback_html,
    focus_region,
    move_focus,
    not_saved_html,
    notice,
    source_links,
)
from backspasm_edu.widgets._picker import ActivityPicker
from backspasm_edu.widgets.course import next_step_html
from backspasm_edu.widgets.progress_panel import learner_from_page, open_store

__all__ = ["ScenarioPicker", "ScenarioView"]

_RATINGS: dict[Rating, tuple[Tone, str]] = {
    "good": ("right", "Good choice"),
    "acceptable": ("partly", "Acceptable"),
    "poor": ("wrong", "Poor choice: risky"),
}
"""How the engine's rating of a choice reads: a tone (its symbol) and words."""


def _step_line(step: Step) -> str:
    """One choice on the path, with its rating in words and a symbol, and whether it counts."""
    tone, words = _RATINGS[step.rating]
    explored = "" if step.counts else "; explored after going back: your first choice here counts"
    return (
        f'<li>{escape(step.choice_text)} <em>(<span aria-hidden="true">{SYMBOLS[tone]}</span> '
        f"{words}{explored})</em></li>"
    )


def _ending_html(ending: Ending) -> str:
    """The outcome, the care level in words and its symbol, teaching points and sources."""
    level = load_triage_table().levels[ending.care_level]
    points = "".join(f"<li>{escape(point)}</li>" for point in ending.teaching_points)
    return (
        f"<h4>How it ended</h4><p>{escape(ending.outcome)}</p>"
        f"{picture_html(care_level_icon_svg(ending.care_level.value), 110)}"
        f'<p><strong><span aria-hidden="true">{LEVEL_SYMBOLS[ending.care_level]}</span> '
        f"Care level: {escape(level.title)}.</strong> {escape(level.action)}</p>"
        f"<h4>What to take away</h4><ul>{points}</ul>"
        f"<p>{source_links(ending.sources)}</p>"
    )


class ScenarioView(widgets.VBox):
    """A branching patient case: read, choose, get feedback, go back or start again.

    The learner's role is said at the start, with how it is scored: the first choice at each
    point counts, and Back is for exploring. Each choice's own words are its button (the page
    style lets them wrap). Choices are recorded in the progress store for ``learner`` and the
    latest walk resumes, as in QuizView.
    """

    def __init__(
        self,
        scenario: str | Scenario,
        *,
        learner: str | None = None,
        store: ProgressStore | None = None,
        record: bool = True,
    ) -> None:
        super().__init__()
        case = load_scenario(scenario) if isinstance(scenario, str) else scenario
        self.learner = learner_from_page() if learner is None else learner
        progress_store, warning = open_store(store) if record else (None, "")
        self.store_warning = widgets.HTML(warning)
        self.session = (
            resume_scenario(case, progress_store, self.learner)
            if progress_store is not None
            else ScenarioSession(case)
        )
        self.heading = widgets.HTML(f"<h3>{escape(case.title)}</h3>")
        self.heading_region = focus_region(self.heading)
        self.patient = widgets.HTML(
            f"<p><strong>Patient:</strong> {escape(case.patient.name)}, age {case.patient.age}. "
            f"{escape(case.summary)}</p>"
            f"<p><strong>Your role:</strong> {escape(case.learner_role)}</p>"
            "<p><small>How it is scored: your first choice at each step counts. You can go "
            "back to explore the other choices, but they do not change your score.</small></p>"
        )
        self.story = widgets.HTML()
        self.choice_buttons: list[widgets.Button] = []
        self.choice_box = widgets.VBox(layout=widgets.Layout(grid_gap="0.5em"))
        self.feedback = widgets.HTML()
        self.feedback_region = focus_region(self.feedback)
        self.ending = widgets.HTML()
        self.notice = notice()
        self.score = widgets.HTML()
        self.path = widgets.HTML()
        self.back_button = button("Back", "Undo your last choice")
        self.restart_button = button("Start again", "Go back to the start of the case")
        self.back_button.on_click(self._back)
        self.restart_button.on_click(self._restart)
        self._show()

    def _show(self) -> None:
        node = self.session.current
        history = self.session.history
        text = f"<p>{escape(node.text)}</p>"
        if node.choices:
            text += "<p><strong>What do you do? Choose one:</strong></p>"
        self.story.value = text
        self.choice_buttons = []
        for choice in node.choices:
            choice_button = button(choice.text, "Choose this")
            choice_button.layout.width = "100%"
            choice_button.add_class("backspasm-choice")
            choice_button.on_click(lambda _button, choice_id=choice.id: self._choose(choice_id))
            self.choice_buttons.append(choice_button)
        self.choice_box.children = tuple(self.choice_buttons)
        self.ending.value = (
            "" if node.ending is None else _ending_html(node.ending) + next_step_html()
        )
        if history:
            self.score.value = (
                f"<p><strong>Score: {self.session.points} of {self.session.max_points} "
                f"points</strong> (your first choice at each step)</p>"
            )
            steps = "".join(_step_line(step) for step in history)
            self.path.value = f"<h4>The path so far</h4><ol>{steps}</ol>"
        else:
            self.score.value = ""
            self.path.value = "<h4>The path so far</h4><p>No choices yet.</p>"
        self.back_button.disabled = not history
        self.restart_button.disabled = not history
        middle = (self.ending, self.notice) if node.is_ending else (self.choice_box,)
        self.children = [
            self.heading_region,
            self.store_warning,
            self.patient,
            self.feedback_region,
            self.story,
            *middle,
            self.score,
            self.path,
            widgets.HBox([self.back_button, self.restart_button]),
        ]

    def _choose(self, choice_id: str) -> None:
        if self.session.finished:
            return
        step = self.session.choose(choice_id)
        tone, words = _RATINGS[step.rating]
        self.feedback.value = feedback_html(
            tone,
            words,
            f"<p>You chose: {escape(step.choice_text)}</p><p>{escape(step.feedback)}</p>",
        )
        if self.session.save_problem:
            self.feedback.value += not_saved_html(self.session.save_problem)
        self._show()
        move_focus(self.feedback_region)

    def _back(self, _button: widgets.Button) -> None:
        if not self.session.history:
            return
        self.session.back()
        self.feedback.value = feedback_html("info", "You went back one step. Choose again.")
        if self.session.save_problem:
            self.feedback.value += not_saved_html(self.session.save_problem)
        self._show()
        move_focus(self.feedback_region)

    def focus_start(self) -> None:
        """Put keyboard focus on the case's heading, as when it starts."""
        move_focus(self.heading_region)

    def _restart(self, _button: widgets.Button) -> None:
        self.session.restart()
        self.feedback.value = ""
        self._show()
        self.focus_start()


class ScenarioPicker(ActivityPicker):
    """Who is learning, a case chosen by title, its summary, and the case below.

    A case the learner left before an ending opens again where they left it.
    """

    activity = "scenario"
    noun = "case"
    view_class = ScenarioView

    def __init__(self, store: ProgressStore | None = None) -> None:
        cases = load_library().scenarios.values()
        super().__init__(
            {case.id: case.title for case in cases},
            {case.id: case.summary for case in cases},
            store,
        )
