"""The only ipywidgets layer: views that show engine state and forward clicks, deciding nothing."""

from .dashboard import InstructorDashboard
from .explorers import CauseExplorer, HeatColdExplorer, PlanBuilder
from .progress_panel import LearnerPanel
from .quiz_view import QuizPicker, QuizView
from .scenario_view import ScenarioPicker, ScenarioView
from .topics import TopicBrowser, TopicCard
from .triage_checker import TriageChecker

__all__ = [
    "CauseExplorer",
    "HeatColdExplorer",
    "InstructorDashboard",
    "LearnerPanel",
    "PlanBuilder",
    "QuizPicker",
    "QuizView",
    "ScenarioPicker",
    "ScenarioView",
    "TopicBrowser",
    "TopicCard",
    "TriageChecker",
]
