"""Branching patient cases: walk the story graph, choose, go back, restart, and keep score."""

from __future__ import annotations

from dataclasses import dataclass

from backspasm_edu.content.loader import load_scenario
from backspasm_edu.content.model import Ending, Node, Rating, Scenario
from backspasm_edu.engines.recording import Recorder, keep_step
from backspasm_edu.errors import InputError, SessionError, show_value

__all__ = ["POINTS", "ChoiceView", "NodeView", "ScenarioSession", "Step"]

POINTS: dict[Rating, int] = {"good": 2, "acceptable": 1, "poor": 0}
"""Points per choice by its rating; the score is the share of the best possible points."""


@dataclass(frozen=True)
class ChoiceView:
    """A choice a learner can make: its id and text, nothing about where it leads."""

    id: str
    text: str


@dataclass(frozen=True)
class NodeView:
    """What a view shows at a point in the story."""

    id: str
    text: str
    choices: tuple[ChoiceView, ...]
    ending: Ending | None

    @property
    def is_ending(self) -> bool:
        """Whether the story ends here."""
        return self.ending is not None


@dataclass(frozen=True)
class Step:
    """One choice made: where from, what was chosen, its feedback and rating, and where to."""

    from_node: str
    choice_id: str
    choice_text: str
    feedback: str
    rating: Rating
    to_node: str
    scored_rating: Rating | None = None
    """The rating that counts here when this was not the first choice at this point in the run."""

    @property
    def counts(self) -> bool:
        """Whether this choice is the one scored at its point (the first made there in this run)."""
        return self.scored_rating is None

    @property
    def points(self) -> int:
        """The points this point of the story earns: those of the first choice made here."""
        return POINTS[self.scored_rating or self.rating]


class ScenarioSession:
    """One learner's walk through a case, with history, back, restart and score.

    The first choice made at each point of the story in a run is the one scored: a learner may
    go back to explore the others, but trying every choice and keeping the best earns nothing.
    """

    def __init__(self, scenario: Scenario | str, *, recorder: Recorder | None = None) -> None:
        self._scenario = load_scenario(scenario) if isinstance(scenario, str) else scenario
        self._history: list[Step] = []
        self._first_choices: dict[str, Step] = {}
        self.recorder = recorder
        self.save_problem = ""
        """Why the last step could not be kept ("" when it was): it still counts here."""

    @property
    def scenario_id(self) -> str:
        """The case's id."""
        return self._scenario.id

    @property
    def title(self) -> str:
        """The case's title."""
        return self._scenario.title

    @property
    def summary(self) -> str:
        """The case's one-paragraph summary."""
        return self._scenario.summary

    @property
    def role(self) -> str:
        """Who the learner is in the story."""
        return self._scenario.learner_role

    @property
    def patient_name(self) -> str:
        """The name of the person in the case."""
        return self._scenario.patient.name

    def _node(self) -> Node:
        node_id = self._history[-1].to_node if self._history else self._scenario.start
        return self._scenario.nodes[node_id]

    @property
    def current(self) -> NodeView:
        """The current point in the story."""
        node = self._node()
        return NodeView(
            id=node.id,
            text=node.text,
            choices=tuple(ChoiceView(choice.id, choice.text) for choice in node.choices),
            ending=node.ending,
        )

    @property
    def finished(self) -> bool:
        """Whether the story has reached an ending."""
        return self._node().ending is not None

    @property
    def history(self) -> tuple[Step, ...]:
        """Every choice made on the current path, in order."""
        return tuple(self._history)

    def choose(self, choice_id: str) -> Step:
        """Make a choice at the current node; an unknown id raises InputError."""
        node = self._node()
        if node.ending is not None:
            raise SessionError("the story has ended: use back() or restart()")
        choice = next((c for c in node.choices if c.id == choice_id), None)
        if choice is None:
            raise InputError(
                "choice",
                f"one of {', '.join(repr(c.id) for c in node.choices)}",
                show_value(choice_id),
            )
        first = self._first_choices.get(node.id)
        step = Step(
            node.id,
            choice.id,
            choice.text,
            choice.feedback,
            choice.rating,
            choice.to,
            scored_rating=None if first is None else first.rating,
        )
        self._first_choices.setdefault(node.id, step)
        self._history.append(step)
        self.save_problem = keep_step(
            self.recorder,
            item_id=node.id,
            answer=choice.id,
            correct=choice.rating == "good",
            score=step.points,
            attempt=len(self._history),
            finishes=self._scenario.nodes[choice.to].ending is not None,
        )
        return step

    def back(self) -> NodeView:
        """Undo the last choice; at the start this raises SessionError."""
        if not self._history:
            raise SessionError("already at the start: there is no choice to undo")
        step = self._history.pop()
        self.save_problem = keep_step(
            self.recorder,
            item_id=step.from_node,
            answer=None,
            correct=None,
            score=None,
            attempt=len(self._history),
            action="back",
        )
        return self.current

    def restart(self) -> NodeView:
        """Go back to the start and forget every choice."""
        self._history.clear()
        self._first_choices.clear()
        if self.recorder is not None:
            self.recorder.new_run()
        return self.current

    @property
    def scored_steps(self) -> tuple[Step, ...]:
        """The choice scored at each point of the current path: the first one made there."""
        return tuple(self._first_choices[step.from_node] for step in self._history)

    @property
    def points(self) -> int:
        """Points earned on the current path, each point of the story by its first choice."""
        return sum(step.points for step in self._history)

    @property
    def max_points(self) -> int:
        """Points the same number of choices would earn if every one were good."""
        return POINTS["good"] * len(self._history)

    @property
    def score(self) -> float:
        """Share of the best possible points on the current path, from 0 to 1 (1 at the start)."""
        return self.points / self.max_points if self.max_points else 1.0
