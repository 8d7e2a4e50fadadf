"""Quiz sessions: questions in a seeded order, answers checked and scored, a summary by topic."""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backspasm_edu.content.loader import load_library, load_quiz
from backspasm_edu.content.model import Question, QuestionType, Quiz
from backspasm_edu.engines.questions import KINDS, OptionFeedback, OptionView
from backspasm_edu.engines.recording import Recorder
from backspasm_edu.errors import InputError, SessionError, show_value

__all__ = [
    "SCORING_RULES",
    "AnswerResult",
    "OptionFeedback",
    "OptionView",
    "QuestionView",
    "QuizSession",
    "QuizSummary",
    "TopicResult",
    "quick_check",
]

SCORING_RULES: dict[QuestionType, str] = {kind_type: kind.rule for kind_type, kind in KINDS.items()}
"""How each type of question is scored, in the learner's words."""
REVIEW_BELOW = 0.8
"""A topic whose share of points is below this is listed for review in the summary."""


@dataclass(frozen=True)
class QuestionView:
    """What a view may show before an answer: the question without any answer key."""

    id: str
    type: QuestionType
    topic: str
    prompt: str
    number: int
    total: int
    attempts_allowed: int
    scoring: str
    options: tuple[OptionView, ...] = ()
    targets: tuple[OptionView, ...] = ()
    unit: str = ""


@dataclass(frozen=True)
class AnswerResult:
    """The outcome of one attempt. The key and explanation appear only once a question closes."""

    question_id: str
    correct: bool
    score: float
    attempt: int
    attempts_left: int
    closed: bool
    feedback: tuple[OptionFeedback, ...] = ()
    explanation: str = ""
    correct_answer: str = ""
    sources: tuple[str, ...] = ()

    @property
    def can_retry(self) -> bool:
        """Whether the learner may try this question again."""
        return not self.closed


@dataclass(frozen=True)
class TopicResult:
    """Points earned on one topic's questions."""

    topic: str
    title: str
    score: float
    max_score: int

    @property
    def share(self) -> float:
        """Points earned as a share of the points available, from 0 to 1."""
        return self.score / self.max_score if self.max_score else 0.0


@dataclass(frozen=True)
class QuizSummary:
    """The end of a quiz: total, right first time, per topic, and what to review."""

    quiz_id: str
    title: str
    score: float
    max_score: int
    answered: int
    right_first_time: int
    topics: tuple[TopicResult, ...]

    @property
    def share(self) -> float:
        """Points earned as a share of all points, from 0 to 1."""
        return self.score / self.max_score if self.max_score else 0.0

    @property
    def to_review(self) -> tuple[TopicResult, ...]:
        """Topics under the review mark, weakest first."""
        weak = [topic for topic in self.topics if topic.share < REVIEW_BELOW]
        return tuple(sorted(weak, key=lambda topic: topic.share))


@dataclass
class _Attempt:
    score: float
    correct: bool


@dataclass
class _QuestionState:
    question: Question
    option_order: tuple[str, ...]
    target_order: tuple[str, ...]
    attempts: list[_Attempt] = field(default_factory=list)
    closed: bool = False


class QuizSession:
    """One learner's run through a quiz. The answer key never leaves the session before an answer.

    ``seed`` makes the order of questions and options reproducible.
    """

    def __init__(
        self,
        quiz: Quiz | str,
        seed: int | None = None,
        *,
        recorder: Recorder | None = None,
        topic_titles: Mapping[str, str] | None = None,
    ) -> None:
        self._quiz = load_quiz(quiz) if isinstance(quiz, str) else quiz
        self._topic_titles = topic_titles
        self._seed = random.SystemRandom().randrange(2**31) if seed is None else seed
        self._states = self._shuffled(random.Random(self._seed))
        self._index = 0
        self.recorder = recorder

    @property
    def seed(self) -> int:
        """The seed of this session's order (drawn at random when none was given)."""
        return self._seed

    def _shuffled(self, rng: random.Random) -> list[_QuestionState]:
        questions = list(self._quiz.questions)
        if self._quiz.shuffle_questions:
            rng.shuffle(questions)
        states = []
        for question in questions:
            options = [choice.id for choice in question.answers] or [i.id for i in question.items]
            targets = [target.id for target in question.targets]
            KINDS[question.type].order_options(options, rng, self._quiz.shuffle_answers)
            if self._quiz.shuffle_answers:
                rng.shuffle(targets)
            states.append(_QuestionState(question, tuple(options), tuple(targets)))
        return states

    @property
    def quiz_id(self) -> str:
        """The quiz's id."""
        return self._quiz.id

    @property
    def title(self) -> str:
        """The quiz's title."""
        return self._quiz.title

    @property
    def description(self) -> str:
        """The quiz's one-sentence description."""
        return self._quiz.description

    @property
    def total(self) -> int:
        """How many questions the quiz has."""
        return len(self._states)

    @property
    def index(self) -> int:
        """Zero-based position of the current question; equals ``total`` when finished."""
        return self._index

    @property
    def finished(self) -> bool:
        """Whether every question has been answered and the learner moved past the last."""
        return self._index >= len(self._states)

    @property
    def current(self) -> QuestionView | None:
        """The current question without its answer key, or None when finished."""
        if self.finished:
            return None
        state = self._states[self._index]
        question = state.question
        return QuestionView(
            id=question.id,
            type=question.type,
            topic=question.topic,
            prompt=question.prompt,
            number=self._index + 1,
            total=self.total,
            attempts_allowed=self._allowed(question),
            scoring=KINDS[question.type].scoring_rule(question),
            options=KINDS[question.type].options(question, state.option_order),
            targets=tuple(OptionView(t, _text(question.targets, t)) for t in state.target_order),
            unit=question.unit,
        )

    @property
    def current_closed(self) -> bool:
        """Whether the current question is done: answered right or out of attempts."""
        return not self.finished and self._states[self._index].closed

    def _allowed(self, question: Question) -> int:
        return question.attempts or self._quiz.attempts

    def answer(self, response: Any) -> AnswerResult:
        """Check an answer to the current question.

        The response depends on the type: an option id (single choice), a collection of option
        ids (multiple answers), True/False or the option id "true"/"false" (true/false), a
        sequence of every item id (ordering), a mapping of every pair id to a target id
        (matching), a number (numeric) or typed text (short text). A malformed response raises
        InputError and uses no attempt; answering a closed question raises SessionError.
        """
        if self.finished:
            raise SessionError("the quiz is finished: there is no question to answer")
        state = self._states[self._index]
        if state.closed:
            raise SessionError(
                f"question {state.question.id!r} is already closed: move on with next()"
            )
        question = state.question
        kind = KINDS[question.type]
        normal = kind.normalise(question, response)
        score = kind.score(question, normal)
        correct = math.isclose(score, 1.0)
        state.attempts.append(_Attempt(score, correct))
        attempts_left = self._allowed(question) - len(state.attempts)
        state.closed = correct or attempts_left <= 0
        feedback = kind.feedback(question, normal, reveal=state.closed)
        if self.recorder is not None:
            self.recorder.record(
                item_id=question.id,
                answer=normal,
                correct=correct,
                score=score,
                attempt=len(state.attempts),
                topic=question.topic,
                finishes=all(other.closed for other in self._states),
            )
        if not state.closed:
            return AnswerResult(
                question.id, correct, score, len(state.attempts), attempts_left, False, feedback
            )
        return AnswerResult(
            question_id=question.id,
            correct=correct,
            score=score,
            attempt=len(state.attempts),
            attempts_left=max(attempts_left, 0),
            closed=True,
            feedback=feedback,
            explanation=question.explanation,
            correct_answer=kind.answer_key(question),
            sources=question.sources,
        )

    def next(self) -> QuestionView | None:
        """Move to the next question once the current one is closed; None when finished."""
        if self.finished:
            raise SessionError("the quiz is finished: there is no next question")
        if not self._states[self._index].closed:
            raise SessionError("answer the current question before moving on")
        self._index += 1
        return self.current

    def restart(self) -> QuestionView | None:
        """Start again from the first question, with the same order and no attempts."""
        for state in self._states:
            state.attempts.clear()
            state.closed = False
        self._index = 0
        if self.recorder is not None:
            self.recorder.new_run()
        return self.current

    def summary(self) -> QuizSummary:
        """Points per topic so far; a question's points are those of its last attempt."""
        titles = self._topic_titles
        if titles is None:
            titles = {topic.id: topic.title for topic in load_library().topics.values()}
        per_topic: dict[str, list[float]] = {}
        for state in self._states:
            scores = per_topic.setdefault(state.question.topic, [])
            scores.append(state.attempts[-1].score if state.closed else 0.0)
        topics = tuple(
            TopicResult(
                topic=topic,
                title=titles.get(topic, topic.replace("_", " ").capitalize()),
                score=sum(scores),
                max_score=len(scores),
            )
            for topic, scores in per_topic.items()
        )
        return QuizSummary(
            quiz_id=self._quiz.id,
            title=self._quiz.title,
            score=sum(topic.score for topic in topics),
            max_score=self.total,
            answered=sum(state.closed for state in self._states),
            right_first_time=sum(
                bool(state.attempts) and state.attempts[0].correct for state in self._states
            ),
            topics=topics,
        )


def _text(entries: Collection[Any], entry_id: str) -> str:
    text: str = next(entry.text for entry in entries if entry.id == entry_id)
    return text


def quick_check(quiz: Quiz, question_ids: Sequence[str]) -> Quiz:
    """The quiz cut down to the given questions, asked in that order, as a quick check.

    Its id is the quiz's with ``:check`` added, so its progress is kept apart from the whole
    quiz's runs, and its title says it is a quick check, not the whole quiz.
    """
    by_id = {question.id: question for question in quiz.questions}
    for question_id in question_ids:
        if question_id not in by_id:
            raise InputError(
                "questions", f"question ids of quiz {quiz.id!r}", show_value(question_id)
            )
    count = len(question_ids)
    questions = "1 question" if count == 1 else f"{count} questions"
    return dataclasses.replace(
        quiz,
        id=f"{quiz.id}:check",
        title=f"Quick check: {questions} from \u201c{quiz.title}\u201d",
        questions=tuple(by_id[question_id] for question_id in question_ids),
        shuffle_questions=False,
    )
