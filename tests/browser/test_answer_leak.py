"""Answers stay on the server: the page and the widget state it receives hold no key early."""

from __future__ import annotations

import re
from collections.abc import Iterable

from backspasm_edu.content.loader import load_library, load_quiz, load_scenario
from backspasm_edu.content.model import Question

from .test_apps import SPASM

CHECK_QUESTIONS = ["what_is_a_spasm", "where_spasms_happen", "words_and_meanings"]
CORRECTNESS_FLAGS = re.compile(r'"(correct|is_correct|answer_key|right_answer)"\s*:\s*(true|"|\[)')


def fragment(text: str) -> str:
    """The longest run of plain words in a text: it reads the same in HTML and in JSON."""
    runs = [" ".join(run.split()) for run in re.split(r"[^A-Za-z ]+", text)]
    return max(runs, key=len)


def explanations(question: Question) -> list[str]:
    """The question's explanation and every option's explanation, as searchable fragments."""
    texts = [question.explanation, *(answer.explanation for answer in question.answers)]
    return [fragment(text) for text in texts if len(fragment(text).split()) >= 4]


class Received:
    """Everything the page received over its kernel websockets, and its DOM, as one text."""

    def __init__(self, page) -> None:
        self.page = page
        self.frames: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, websocket) -> None:
        websocket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if isinstance(payload, bytes):
            payload = payload.decode("utf-8", errors="ignore")
        self.frames.append(payload.replace("\\n", " "))

    def text(self) -> str:
        """The frames so far and the page's HTML."""
        return "\n".join([*self.frames, self.page.content()])

    def leaked(self, fragments: Iterable[str]) -> list[str]:
        """The fragments that can be found in what the page has received."""
        everything = re.sub(r"\s+", " ", self.text())
        return [item for item in fragments if item in everything]


def test_check_quiz_sends_no_explanation_or_key_before_an_answer(app):
    """Before any answer no explanation or correctness flag reaches the browser; after one, only its own."""
    quiz = load_quiz("causes_and_symptoms")
    questions = {q.id: q for q in quiz.questions}
    received = Received(app.page)
    app.open("01_what_is_a_back_spasm")
    every = [text for qid in CHECK_QUESTIONS for text in explanations(questions[qid])]
    assert every, "the quiz has explanations to look for"
    assert received.leaked(every) == []
    assert CORRECTNESS_FLAGS.search(received.text()) is None
    app.page.get_by_label(SPASM).check()
    app.page.get_by_role("button", name="Check").click()
    app.page.get_by_text("✓ Right").first.wait_for(state="visible")
    assert received.leaked(explanations(questions["what_is_a_spasm"]))
    later = [text for qid in CHECK_QUESTIONS[1:] for text in explanations(questions[qid])]
    assert received.leaked(later) == []


def test_quiz_app_sends_no_explanation_when_a_quiz_starts(app):
    """Starting a quiz in the quiz app shows questions, never an explanation of any of them."""
    received = Received(app.page)
    app.open("06_quiz")
    app.page.get_by_role("button", name="Start quiz").click()
    app.page.get_by_text("Question 1 of").first.wait_for(state="visible")
    title = app.page.get_by_label("Choose a quiz").evaluate("el => el.selectedOptions[0].text")
    quiz = next(q for q in load_library().quizzes.values() if q.title == title.replace("\xa0", " "))
    assert received.leaked(text for q in quiz.questions for text in explanations(q)) == []
    assert CORRECTNESS_FLAGS.search(received.text()) is None


def test_case_sends_no_choice_feedback_or_ending_before_the_choice(app):
    """A case sends each choice's feedback only once it is chosen, and no ending before it."""
    case = load_scenario("hidden_red_flag")
    received = Received(app.page)
    app.open("07_case_scenarios")
    app.page.get_by_label("Choose a case").select_option(label=case.title)
    app.page.get_by_text(case.summary).first.wait_for(state="visible")
    app.page.get_by_role("button", name="Start case").click()
    app.page.get_by_text("No choices yet.").first.wait_for(state="visible")
    feedback = {
        choice.id: fragment(choice.feedback)
        for node in case.nodes.values()
        for choice in node.choices
    }
    endings = [fragment(n.ending.outcome) for n in case.nodes.values() if n.ending is not None]
    assert received.leaked([*feedback.values(), *endings]) == []
    first = case.nodes[case.start].choices[0]
    app.page.get_by_role("button", name=first.text, exact=True).click()
    app.page.get_by_text(f"You chose: {first.text}").first.wait_for(state="visible")
    assert received.leaked([feedback[first.id]]) == [feedback[first.id]]
    others = [text for choice_id, text in feedback.items() if choice_id != first.id]
    assert received.leaked([*others, *endings]) == []
