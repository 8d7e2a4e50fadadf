"""Quiz sessions: questions in a seeded order, answers checked and scored, a summary by topic."""

from __future__ import annotations

import dataclasses
import math
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backspasm_edu.content.loader import load_library, load_quiz
from backspasm_edu.content.model import Choice, Question, QuestionType, Quiz, typed_form
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

SCORING_RULES: dict[QuestionType, str] = {
    "single_choice": "One answer is right. Right scores 1 point, wrong scores 0.",
    "multiple_answers": (
        "One or more answers are right. Each right pick earns a share of the point and each "
        "wrong pick takes a share away, never below 0. Only the exact set counts as correct."
    ),
    "true_false": "Right scores 1 point, wrong scores 0.",
    "ordering": (
        "Each item in its right place earns a share of the point. Only the full order counts "
        "as correct."
    ),
    "matching": (
        "Each right match earns a share of the point. Only all matches right counts as correct."
    ),
    "numeric": "An answer within the stated margin scores 1 point, anything else scores 0.",
    "short_text": (
        "Type a short answer. One that matches an accepted answer scores 1 point, anything else "
        "scores 0. Extra spaces do not count; capital letters do not count either."
    ),
}
_MATCH_CASE_RULE = (
    "Type a short answer. One that matches an accepted answer scores 1 point, anything else "
    "scores 0. Extra spaces do not count, but capital letters do."
)
"""The short-text rule for a question whose answers must match in capital letters too."""
REVIEW_BELOW = 0.8
"""A topic whose share of points is below this is listed for review in the summary."""


@dataclass(frozen=True)
class OptionView:
    """Something a learner can pick, order or match: an id and its text, nothing more."""

    id: str
    text: str


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
class OptionFeedback:
    """Feedback on one option after an answer: whether it was picked, right, and why."""

    id: str
    text: str
    chosen: bool
    correct: bool
    explanation: str


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
        self, quiz: Quiz | str, seed: int | None = None, *, recorder: Recorder | None = None
    ) -> None:
        self._quiz = load_quiz(quiz) if isinstance(quiz, str) else quiz
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
            if question.type == "ordering":
                options = _shuffle_out_of_order(options, rng)
            elif self._quiz.shuffle_answers:
                rng.shuffle(options)
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
            scoring=_scoring(question),
            options=_option_views(question, state.option_order),
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
        normal = _normalise(question, response)
        score = _score(question, normal)
        correct = math.isclose(score, 1.0)
        state.attempts.append(_Attempt(score, correct))
        attempts_left = self._allowed(question) - len(state.attempts)
        state.closed = correct or attempts_left <= 0
        feedback = _feedback(question, normal, reveal=state.closed)
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
            correct_answer=_correct_answer(question),
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


def _shuffle_out_of_order(ids: list[str], rng: random.Random) -> list[str]:
    """Shuffle, making sure the items never start in their right order."""
    shuffled = list(ids)
    rng.shuffle(shuffled)
    if shuffled == ids and len(ids) > 1:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


def _text(entries: Collection[Any], entry_id: str) -> str:
    text: str = next(entry.text for entry in entries if entry.id == entry_id)
    return text


def _scoring(question: Question) -> str:
    if question.type == "short_text" and question.match_case:
        return _MATCH_CASE_RULE
    return SCORING_RULES[question.type]


def _option_views(question: Question, order: tuple[str, ...]) -> tuple[OptionView, ...]:
    if question.type == "short_text":
        return ()  # its answers are the key: a typed question shows no options
    if question.type == "true_false":
        return tuple(
            OptionView(option_id, option_id.capitalize()) for option_id in _TRUTH_OPTION_IDS
        )
    if question.type == "matching":
        return tuple(OptionView(pair.id, pair.text) for pair in question.pairs)
    source = question.answers or question.items
    return tuple(OptionView(option_id, _text(source, option_id)) for option_id in order)


def _ids_expected(question: Question) -> str:
    options = question.answers or question.items or question.pairs
    return ", ".join(repr(option.id) for option in options)


_TRUTH_OPTION_IDS = {"true": True, "false": False}
"""The option ids a true/false question shows; answering with one of them is the same as a bool."""


def _normalise(question: Question, response: Any) -> Any:
    kind = question.type
    if kind == "single_choice":
        ids = {choice.id for choice in question.answers}
        if not isinstance(response, str) or response not in ids:
            raise InputError(
                "answer", f"one option id ({_ids_expected(question)})", show_value(response)
            )
        return response
    if kind == "multiple_answers":
        ids = {choice.id for choice in question.answers}
        if isinstance(response, (str, bytes)) or not isinstance(response, Collection):
            raise InputError("answer", "a list of option ids", show_value(response))
        if not response:
            raise InputError("answer", "at least one option picked", "none")
        unknown = [item for item in response if item not in ids]
        if unknown:
            raise InputError(
                "answer", f"option ids from {_ids_expected(question)}", show_value(unknown[0])
            )
        return frozenset(response)
    if kind == "true_false":
        if response in _TRUTH_OPTION_IDS and isinstance(response, str):
            return _TRUTH_OPTION_IDS[response]
        if not isinstance(response, bool):
            raise InputError("answer", "True, False, 'true' or 'false'", show_value(response))
        return response
    if kind == "ordering":
        item_ids = sorted(item.id for item in question.items)
        if isinstance(response, (str, bytes)) or not isinstance(response, Collection):
            raise InputError("answer", "a list of every item id in order", show_value(response))
        if sorted(map(str, response)) != item_ids:
            raise InputError(
                "answer",
                f"each of {_ids_expected(question)} exactly once",
                show_value(list(response)),
            )
        return tuple(response)
    if kind == "matching":
        pair_ids = {pair.id for pair in question.pairs}
        target_ids = {target.id for target in question.targets}
        if not isinstance(response, Mapping):
            raise InputError(
                "answer", "a mapping of each item id to a target id", show_value(response)
            )
        if set(response) != pair_ids:
            raise InputError(
                "answer",
                f"a match for each of {_ids_expected(question)}",
                show_value(sorted(map(str, response))),
            )
        for pair_id, target in response.items():
            if target not in target_ids:
                raise InputError(f"answer[{pair_id!r}]", "a target id", show_value(target))
        return dict(response)
    if kind == "short_text":
        if not isinstance(response, str):
            raise InputError("answer", "typed text", show_value(response))
        typed = " ".join(response.split())
        if not typed:
            raise InputError("answer", "some typed text", "nothing")
        return typed
    if isinstance(response, bool) or not isinstance(response, (int, float)):
        raise InputError("answer", "a number", show_value(response))
    if not math.isfinite(response):
        raise InputError("answer", "a finite number", show_value(response))
    return float(response)


def _score(question: Question, response: Any) -> float:
    kind = question.type
    if kind == "single_choice":
        return float(any(c.id == response and c.correct for c in question.answers))
    if kind == "multiple_answers":
        right = {choice.id for choice in question.answers if choice.correct}
        earned = len(response & right) - len(response - right)
        return max(0.0, earned / len(right))
    if kind == "true_false":
        return float(response is question.truth)
    if kind == "ordering":
        placed = sum(given == item.id for given, item in zip(response, question.items, strict=True))
        return float(placed / len(question.items))
    if kind == "matching":
        matched = sum(response[pair.id] == pair.match for pair in question.pairs)
        return float(matched / len(question.pairs))
    if kind == "short_text":
        typed = _typed_match(question, response)
        return float(typed is not None and typed.correct)
    assert question.number is not None  # guaranteed by the schema for numeric questions
    return float(abs(response - question.number) <= question.tolerance + 1e-9)


def _feedback(question: Question, response: Any, reveal: bool) -> tuple[OptionFeedback, ...]:
    """Per-option feedback: every option once closed, otherwise only the wrong picks.

    A short-text answer gets the feedback written for the answer it matched, if any.
    """
    if question.type == "short_text":
        typed = _typed_match(question, response)
        if typed is None or not typed.explanation:
            return ()
        return (OptionFeedback(typed.id, typed.text, True, typed.correct, typed.explanation),)
    if question.type not in ("single_choice", "multiple_answers"):
        return ()
    chosen = {response} if isinstance(response, str) else set(response)
    return tuple(
        OptionFeedback(
            choice.id, choice.text, choice.id in chosen, choice.correct, choice.explanation
        )
        for choice in question.answers
        if reveal or (choice.id in chosen and not choice.correct)
    )


def _typed_match(question: Question, typed: str) -> Choice | None:
    """The short-text answer (accepted or expected wrong) that the typed text matches, if any."""
    form = typed_form(typed, question.match_case)
    return next(
        (a for a in question.answers if typed_form(a.text, question.match_case) == form), None
    )


def _correct_answer(question: Question) -> str:
    kind = question.type
    if kind in ("single_choice", "multiple_answers"):
        return "; ".join(choice.text for choice in question.answers if choice.correct)
    if kind == "short_text":
        first, *others = (choice.text for choice in question.answers if choice.correct)
        return f"{first} (also accepted: {', '.join(others)})" if others else first
    if kind == "true_false":
        return "True" if question.truth else "False"
    if kind == "ordering":
        return " → ".join(f"{n}. {item.text}" for n, item in enumerate(question.items, 1))
    if kind == "matching":
        targets = {target.id: target.text for target in question.targets}
        return "; ".join(f"{pair.text} → {targets[pair.match]}" for pair in question.pairs)
    margin = f" (answers within {question.tolerance:g} count)" if question.tolerance else ""
    unit = f" {question.unit}" if question.unit else ""
    return f"{question.number:g}{unit}{margin}"


def quick_check(quiz: Quiz, question_ids: Sequence[str]) -> Quiz:
    """The quiz cut down to the given questions, asked in that order, as a quick check.

    Its id is the quiz's with ``:check`` added, so its progress is kept apart from the whole
    quiz's runs.
    """
    by_id = {question.id: question for question in quiz.questions}
    for question_id in question_ids:
        if question_id not in by_id:
            raise InputError(
                "questions", f"question ids of quiz {quiz.id!r}", show_value(question_id)
            )
    return dataclasses.replace(
        quiz,
        id=f"{quiz.id}:check",
        questions=tuple(by_id[question_id] for question_id in question_ids),
        shuffle_questions=False,
    )
