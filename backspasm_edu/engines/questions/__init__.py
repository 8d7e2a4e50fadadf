"""Question types, one module each; KINDS maps a type to how it is shown, checked and scored.

To add a type: a module here with a QuestionKind subclass, an entry in KINDS, the type in
content.model.QuestionType and the quiz schema, and a control in widgets (see CONTRIBUTING.md).
"""

from __future__ import annotations

from backspasm_edu.content.model import QuestionType
from backspasm_edu.engines.questions.base import OptionFeedback, OptionView, QuestionKind
from backspasm_edu.engines.questions.matching import Matching
from backspasm_edu.engines.questions.multiple_answers import MultipleAnswers
from backspasm_edu.engines.questions.numeric import Numeric
from backspasm_edu.engines.questions.ordering import Ordering
from backspasm_edu.engines.questions.short_text import ShortText
from backspasm_edu.engines.questions.single_choice import SingleChoice
from backspasm_edu.engines.questions.true_false import TrueFalse

__all__ = ["KINDS", "OptionFeedback", "OptionView", "QuestionKind"]

KINDS: dict[QuestionType, QuestionKind] = {
    kind.type: kind
    for kind in (
        SingleChoice(),
        MultipleAnswers(),
        TrueFalse(),
        Ordering(),
        Matching(),
        Numeric(),
        ShortText(),
    )
}
"""Every question type's kind, by type."""
