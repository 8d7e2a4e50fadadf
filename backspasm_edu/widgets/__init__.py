"""The only ipywidgets layer: views that show engine state and forward clicks, deciding nothing."""

from .explorers import CauseExplorer, HeatColdExplorer, PlanBuilder
from .quiz_view import QuizPicker, QuizView
from .scenario_view import ScenarioPicker, ScenarioView
from .topics import TopicBrowser, TopicCard
from .triage_checker import TriageChecker

__all__ = [
    "CauseExplorer",
    "HeatColdExplorer",
    "PlanBuilder",
    "QuizPicker",
    "QuizView",
    "ScenarioPicker",
    "ScenarioView",
    "TopicBrowser",
    "TopicCard",
    "TriageChecker",
]
