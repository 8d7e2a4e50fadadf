"""The only ipywidgets layer: views that show engine state and forward clicks, deciding nothing."""

from backspasm_edu.widgets.course import course_contents, course_footer, course_header
from backspasm_edu.widgets.course_record import CourseRecordView
from backspasm_edu.widgets.dashboard import InstructorDashboard
from backspasm_edu.widgets.explorers import CauseExplorer, HeatColdExplorer, PlanBuilder
from backspasm_edu.widgets.progress_panel import LearnerPanel
from backspasm_edu.widgets.quiz_view import QuizPicker, QuizView
from backspasm_edu.widgets.scenario_view import ScenarioPicker, ScenarioView
from backspasm_edu.widgets.topics import Glossary, TopicBrowser, TopicCard
from backspasm_edu.widgets.triage_checker import TriageChecker

__all__ = [
    "CauseExplorer",
    "CourseRecordView",
    "Glossary",
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
    "course_contents",
    "course_footer",
    "course_header",
]
