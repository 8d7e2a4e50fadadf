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
from backspasm_edu.engines.recording import Recorder, keep_step
from backspasm_edu.errors import InputError, SessionError, show_value

__all__ = [
    "LATER_TRY_SHARE",
    "REVIEW_BELOW",
    "SCORING_INTRO",
    "SCORING_RULES",
    "UNSCORED_INTRO",
    "AnswerResult",
    "OptionFeedback",
    "OptionView",
    "QuestionResult",
    "QuestionView",
    "QuizSession",
    "QuizSummary",
    "TopicResult",
    "attempts_allowed",
    "max_points",
    "quick_check",
    "scoring_intro",
    "try_points",
]

SCORING_RULES: dict[QuestionType, str] = {kind_type: kind.rule for kind_type, kind in KINDS.items()}
"""How each type of question is scored, in the learner's words."""
LATER_TRY_SHARE = 0.5
"""What a try after the first earns, as a share of what the same answer earns first time."""
REVIEW_BELOW = 0.8
"""The mark for a topic: below this share of its points it is listed to review; the summary
praises only when every topic reaches it."""
SCORING_INTRO = (
    "How points work: each question is worth 1 point. Right on your first try earns all of "
    "it. A later try earns half as much. A part-right answer earns part of the point, and "
    "your best try counts. A question with only two answers to pick from gets one try."
)
"""The scoring rules for a whole quiz, in the learner's words, shown before the first question."""
UNSCORED_INTRO = (
    "Some questions ask for your own view. They have no right answer, so your pick is noted "
    "and earns no points."
)
"""Added to the rules of a quiz with such questions, which would otherwise seem worth 1 point."""


def scoring_intro(quiz: Quiz) -> str:
    """The scoring rules of this quiz: SCORING_INTRO, and UNSCORED_INTRO when it applies."""
    if all(question.scored for question in quiz.questions):
        return SCORING_INTRO
    return f"{SCORING_INTRO} {UNSCORED_INTRO}"


def attempts_allowed(quiz: Quiz, question: Question) -> int:
    """How many tries a question gets: its own setting, else the quiz's.

    A question with only two possible answers (true or false, a choice of two, two items to
    order) gets one try whatever the content says: with a second try it could not be missed.
    So does a question with no right answer: any pick closes it.
    """
    if not question.scored or KINDS[question.type].only_two_answers(question):
        return 1
    return question.attempts or quiz.attempts


def max_points(quiz: Quiz) -> int:
    """The points a quiz is out of: one a question, none for a question with no right answer."""
    return sum(question.scored for question in quiz.questions)


def try_points(score: float, attempt: int) -> float:
    """The points one try earns: its answer's score (0 to 1), halved after the first try.

    Rounded down to one decimal place: the points a learner is shown are the points that add
    up, and a part-right answer never shows as the whole point.
    """
    share = 1.0 if attempt == 1 else LATER_TRY_SHARE
    return math.floor(score * share * 10 + 1e-9) / 10


def _tries_rule(allowed: int, two_answers: bool, scored: bool) -> str:
    """How many tries a question gets and what a later one earns, in the learner's words."""
    if not scored:
        return "You have 1 try."
    if two_answers:
        return "You have 1 try, as there are only two answers to pick from."
    if allowed == 1:
        return "You have 1 try."
    return f"You have {allowed} tries. A later try earns half as much."


@dataclass(frozen=True)
class QuestionView:
    """What a view may show before an answer: the question without any answer key.

    ``attempts_used`` counts the tries already made at it (after a reload, some may be).
    """

    id: str
    type: QuestionType
    topic: str
    prompt: str
    number: int
    total: int
    attempts_allowed: int
    scoring: str
    tries_rule: str
    attempts_used: int = 0
    options: tuple[OptionView, ...] = ()
    targets: tuple[OptionView, ...] = ()
    unit: str = ""


@dataclass(frozen=True)
class AnswerResult:
    """The outcome of one attempt. The key and explanation appear only once a question closes.

    ``score`` says how right this answer is (0 to 1, by its type's rule); ``points`` is what
    the question has earned so far: its best try, a later try earning half. ``answer`` is the
    answer as the session read it, so a view can show it again. ``scored`` is False for a
    question with no right answer: the answer is noted, neither right nor wrong, closes the
    question and earns no points (``correct`` False, ``score`` and ``points`` 0); it has no
    key, and ``explanation`` is "" when the question has none.
    """

    question_id: str
    correct: bool
    score: float
    points: float
    attempt: int
    attempts_left: int
    closed: bool
    answer: Any = None
    feedback: tuple[OptionFeedback, ...] = ()
    explanation: str = ""
    correct_answer: str = ""
    sources: tuple[str, ...] = ()
    scored: bool = True

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
class QuestionResult:
    """One question at the end of a quiz: its prompt, its topic and the points it earned.

    ``right`` says its last try was right (on the first try or a later one). A question with
    no right answer (``scored`` False) is never right and is out of 0 points.
    """

    id: str
    prompt: str
    topic: str
    points: float
    answered: bool
    right: bool
    right_first_time: bool
    scored: bool = True

    @property
    def full_points(self) -> bool:
        """Whether it earned its whole point."""
        return self.points >= 1.0


@dataclass(frozen=True)
class QuizSummary:
    """The end of a quiz: total, right first time, per topic and per question, what to review.

    ``max_score`` counts the scored questions, a point each; questions with no right answer
    are listed in ``questions`` but in no topic, and never to review.
    """

    quiz_id: str
    title: str
    score: float
    max_score: int
    answered: int
    right_first_time: int
    topics: tuple[TopicResult, ...]
    questions: tuple[QuestionResult, ...] = ()

    @property
    def share(self) -> float:
        """Points earned as a share of all points, from 0 to 1."""
        return self.score / self.max_score if self.max_score else 0.0

    @property
    def to_review(self) -> tuple[TopicResult, ...]:
        """Topics under the review mark, weakest first."""
        weak = [topic for topic in self.topics if topic.share < REVIEW_BELOW]
        return tuple(sorted(weak, key=lambda topic: topic.share))

    @property
    def did_well(self) -> bool:
        """Whether every topic reached the review mark: the only time the summary praises."""
        return bool(self.topics) and not self.to_review

    @property
    def questions_to_review(self) -> tuple[QuestionResult, ...]:
        """The questions missed or only part right (less than their whole point), as asked."""
        return tuple(
            question for question in self.questions if question.scored and not question.full_points
        )

    @property
    def unscored(self) -> int:
        """How many questions had no right answer, so earned no points."""
        return sum(not question.scored for question in self.questions)


@dataclass
class _QuestionState:
    question: Question
    option_order: tuple[str, ...]
    target_order: tuple[str, ...]
    results: list[AnswerResult] = field(default_factory=list)
    closed: bool = False

    @property
    def points(self) -> float:
        """The points earned so far: those of the latest try, which carry the best."""
        return self.results[-1].points if self.results else 0.0


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
        self.save_problem = ""
        """Why the last answer could not be kept ("" when it was): it still counts here."""

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
        kind = KINDS[question.type]
        allowed = attempts_allowed(self._quiz, question)
        return QuestionView(
            id=question.id,
            type=question.type,
            topic=question.topic,
            prompt=question.prompt,
            number=self._index + 1,
            total=self.total,
            attempts_allowed=allowed,
            scoring=kind.scoring_rule(question),
            tries_rule=_tries_rule(allowed, kind.only_two_answers(question), question.scored),
            attempts_used=len(state.results),
            options=kind.options(question, state.option_order),
            targets=tuple(OptionView(t, _text(question.targets, t)) for t in state.target_order),
            unit=question.unit,
        )

    @property
    def current_question_id(self) -> str | None:
        """The current question's id, or None when finished: ``current.id`` without the view."""
        return None if self.finished else self._states[self._index].question.id

    @property
    def current_closed(self) -> bool:
        """Whether the current question is done: answered right or out of attempts."""
        return not self.finished and self._states[self._index].closed

    @property
    def current_result(self) -> AnswerResult | None:
        """The outcome of the latest try at the current question; None before its first try."""
        if self.finished or not self._states[self._index].results:
            return None
        return self._states[self._index].results[-1]

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
        score = kind.score(question, normal) if question.scored else 0.0
        correct = question.scored and math.isclose(score, 1.0)
        attempt = len(state.results) + 1
        points = max(state.points, try_points(score, attempt))
        attempts_left = attempts_allowed(self._quiz, question) - attempt
        closed = correct or attempts_left <= 0
        result = AnswerResult(
            question_id=question.id,
            correct=correct,
            score=score,
            points=points,
            attempt=attempt,
            attempts_left=max(attempts_left, 0),
            closed=closed,
            answer=normal,
            feedback=kind.feedback(question, normal, reveal=closed),
            scored=question.scored,
        )
        if closed:
            result = dataclasses.replace(
                result,
                explanation=question.explanation,
                correct_answer=kind.answer_key(question),
                sources=question.sources,
            )
        state.results.append(result)
        state.closed = closed
        self.save_problem = keep_step(
            self.recorder,
            item_id=question.id,
            answer=normal,
            correct=correct if question.scored else None,
            score=score if question.scored else None,
            attempt=attempt,
            topic=question.topic,
            finishes=all(other.closed for other in self._states),
        )
        return result

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
            state.results.clear()
            state.closed = False
        self._index = 0
        if self.recorder is not None:
            self.recorder.new_run()
        return self.current

    def summary(self) -> QuizSummary:
        """Points per topic and per question so far; an open question has earned nothing yet.

        A question's points are its best try's, a later try earning half (see ``try_points``).
        """
        titles = self._topic_titles
        if titles is None:
            titles = {topic.id: topic.title for topic in load_library().topics.values()}
        questions = tuple(
            QuestionResult(
                id=state.question.id,
                prompt=state.question.prompt,
                topic=state.question.topic,
                points=state.points if state.closed else 0.0,
                answered=state.closed,
                right=bool(state.results) and state.results[-1].correct,
                right_first_time=bool(state.results) and state.results[0].correct,
                scored=state.question.scored,
            )
            for state in self._states
        )
        per_topic: dict[str, list[float]] = {}
        for question in questions:
            if question.scored:
                per_topic.setdefault(question.topic, []).append(question.points)
        topics = tuple(
            TopicResult(
                topic=topic,
                title=titles.get(topic, topic.replace("_", " ").capitalize()),
                score=round(sum(points), 1),
                max_score=len(points),
            )
            for topic, points in per_topic.items()
        )
        return QuizSummary(
            quiz_id=self._quiz.id,
            title=self._quiz.title,
            score=round(sum(question.points for question in questions), 1),
            max_score=max_points(self._quiz),
            answered=sum(question.answered for question in questions),
            right_first_time=sum(question.right_first_time for question in questions),
            topics=topics,
            questions=questions,
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
