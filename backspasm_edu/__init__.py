"""Interactive, cited teaching material on back spasms: content, triage, quizzes and cases."""

from backspasm_edu.content.model import CareLevel
from backspasm_edu.engines.quiz import QuizSession
from backspasm_edu.engines.scenario import ScenarioSession
from backspasm_edu.engines.triage import assess
from backspasm_edu.errors import BackspasmError, ContentError, InputError, SessionError

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
