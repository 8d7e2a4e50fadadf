"""Interactive, cited teaching material on back spasms: content, triage, quizzes and cases."""

from .errors import BackspasmError, ContentError, InputError, SessionError
from .model import CareLevel
from .quiz import QuizSession
from .scenario import ScenarioSession
from .triage import assess

__version__ = "0.1.0"

__all__ = [
    "BackspasmError",
    "CareLevel",
    "ContentError",
    "InputError",
    "QuizSession",
    "ScenarioSession",
    "SessionError",
    "__version__",
    "assess",
]
