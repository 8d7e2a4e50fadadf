"""Questions with no right answer in the gradebook and class figures: out of 0, left out of firsts."""

from __future__ import annotations

import pytest

from backspasm_edu.content.library import Library
from backspasm_edu.content.loader import load_library
from backspasm_edu.instructor.figures import answer_counts, class_summary, item_analysis
from backspasm_edu.instructor.gradebook import grade_items, gradebook, gradebook_lines
from backspasm_edu.instructor.report import load_records
from backspasm_edu.progress import ProgressStore, resume_quiz
from tests.builders import fields_quiz

NOTED = {"how_it_feels", "what_helped"}
"""The fields quiz's questions with no right answer."""
GOES = {
    "Ana": ("tight", ["moving"], "lower", 38, "4/5", "spasm"),
    "Ben": ("sharp", ["rest"], "upper", 38, "1/2", "spasm"),
}
"""Each learner's first answer to each question, in the quiz's order: Ana right on all four
scored questions, Ben wrong on two of them (each then answered right on a second try)."""
SECOND = {"where": "lower", "share_of_adults": "4/5"}


@pytest.fixture
def library() -> Library:
    """The packaged cases with the optional-fields quiz as the only quiz."""
    packaged = load_library()
    quiz = fields_quiz()
    return Library(quizzes={quiz.id: quiz}, scenarios=packaged.scenarios, triage=packaged.triage)


@pytest.fixture
def records(tmp_path):
    """Ana's and Ben's finished goes at the fields quiz, as the report reads them."""
    with ProgressStore(tmp_path / "class.sqlite") as store:
        for learner, answers in GOES.items():
            session = resume_quiz(fields_quiz(), store, learner, seed=0)
            for given in answers:
                question_id = session.current.id
                if not session.answer(given).closed:
                    session.answer(SECOND[question_id])
                session.next()
    return load_records([tmp_path / "class.sqlite"])


def test_the_gradebook_marks_the_quiz_out_of_its_scored_questions(records, library):
    """The quiz is out of 4 (6 questions, 2 noted): Ana 4, Ben 3 (two halves on a second try)."""
    (item,) = [item for item in grade_items(library) if item.activity == "quiz"]
    assert item.out_of == 4
    table = gradebook(records, library).set_index("Learner")
    assert table.loc["Ana", item.column] == 4.0 and table.loc["Ben", item.column] == 3.0
    lines = gradebook_lines(table.reset_index(), [item])
    assert lines == [
        "Ana: Optional question fields 4 of 4 points",
        "Ben: Optional question fields 3 of 4 points",
    ]


def test_item_analysis_and_answer_counts_leave_out_questions_with_no_right_answer(records, library):
    """Only the four scored questions have first-try figures; the noted two have no rows."""
    items = item_analysis(records, library)
    prompts = {q.prompt: q.id for q in fields_quiz().questions}
    assert sorted(prompts[p] for p in items["Question"]) == sorted(
        ["where", "fever_number", "share_of_adults", "spasm_word"]
    )
    by_id = {prompts[row["Question"]]: row["Right first time (%)"] for _, row in items.iterrows()}
    assert by_id == {"where": 50, "share_of_adults": 50, "fever_number": 100, "spasm_word": 100}
    counted = {prompts[p] for p in answer_counts(records, library)["Question"]}
    assert counted.isdisjoint(NOTED) and counted == set(by_id)


def test_the_class_summary_neither_teaches_again_nor_counts_noted_questions(records, library):
    """Teach again lists only missed scored questions; the quiz's median is out of 4."""
    summary = class_summary(records, library)
    quiz = next(item for item in summary.activities if item.kind == "quiz")
    assert (quiz.finished, quiz.median, quiz.out_of) == (2, 3.5, 4)
    noted_prompts = {q.prompt for q in fields_quiz().questions if q.id in NOTED}
    taught = [(item.text, item.wrong_first_time) for item in summary.teach_again]
    assert [text for text, _ in taught if text in noted_prompts] == []
    assert sorted(share for _, share in taught) == [50, 50]
