"""GIFT in and out: Moodle's own examples, a GIFT grammar's test questions, and round trips."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backspasm_edu.content.loader import load_library
from backspasm_edu.content.model import Choice, Item, Pair, Question, Quiz
from backspasm_edu.errors import ContentError
from backspasm_edu.instructor.banks.gift import read_gift, write_gift
from backspasm_edu.instructor.banks.parsed import ParsedBank
from tests.builders import fields_quiz, fixture_quiz, short_text_quiz

BANKS = Path(__file__).parents[1] / "data" / "banks" / "gift"
MOODLE = BANKS / "moodle__moodle"
GRAMMAR = BANKS / "fuhrmanator__GIFT-grammar-PEG.js"
BLANK = r"\_\_\_\_\_"


def read(path: Path) -> ParsedBank:
    """A vendored GIFT file, read."""
    return read_gift(path.read_text(encoding="utf-8"), path.name)


def fields(bank: ParsedBank, number: int) -> dict[str, Any]:
    """The fields of the bank's question with this number (counted from 1, as in the bank)."""
    found = [question for question in bank.questions if question.number == number]
    assert found, f"question {number} was not imported: {[str(s) for s in bank.skipped]}"
    return found[0].fields


def notes(bank: ParsedBank, number: int) -> list[str]:
    """The notes on one question, as the instructor reads them."""
    return [str(note) for q in bank.questions if q.number == number for note in q.notes]


def choices(question: dict[str, Any]) -> list[tuple[str, bool]]:
    """Each answer's text and whether it is right."""
    return [(answer["text"], answer["correct"]) for answer in question["answers"]]


# --- Moodle's examples (question/format/gift/examples.txt, the documentation's examples) ------


@pytest.fixture(scope="module")
def examples() -> ParsedBank:
    """Moodle's examples.txt, read once."""
    return read(MOODLE / "examples.txt")


def test_moodle_examples_all_import(examples: ParsedBank) -> None:
    """Every one of the 43 questions of Moodle's examples imports, as Markdown, with no title."""
    assert [question.number for question in examples.questions] == list(range(1, 44))
    assert examples.skipped == []
    assert (examples.format, examples.title, examples.text_format) == ("GIFT", None, "markdown")
    assert examples.questions[0].where == "line 8"


def test_multiple_choice_with_one_right_answer(examples: ParsedBank) -> None:
    """{~Grant ~Jefferson =no one} is a single choice with "no one" right."""
    question = fields(examples, 1)
    assert question["type"] == "single_choice"
    assert question["prompt"] == "Who's buried in Grant's tomb?"
    assert choices(question) == [("Grant", False), ("Jefferson", False), ("no one", True)]
    assert "explanation" not in question


def test_missing_word_puts_a_blank_where_the_answers_were(examples: ParsedBank) -> None:
    """Text after the braces makes a missing-word prompt with a blank in the answers' place."""
    assert fields(examples, 2)["prompt"] == f"Grant is {BLANK} in Grant's tomb."
    assert fields(examples, 8)["prompt"] == (
        f"The American holiday of Thanksgiving is celebrated on the {BLANK} Thursday of November."
    )
    assert choices(fields(examples, 8))[2] == ("fourth", True)
    assert fields(examples, 11)["prompt"] == f"Two plus two equals {BLANK}."


def test_true_false_in_every_spelling(examples: ParsedBank) -> None:
    """{FALSE}, {F} and {T} give true/false questions with the right answer."""
    assert fields(examples, 3) == {
        "type": "true_false",
        "prompt": "Grant is buried in Grant's tomb.",
        "answer": False,
    }
    assert fields(examples, 12)["answer"] is False
    assert fields(examples, 13) == {
        "type": "true_false",
        "prompt": "The sun rises in the east.",
        "answer": True,
    }


def test_short_answers(examples: ParsedBank) -> None:
    """{=four =4} accepts both typed answers; per-answer feedback is kept."""
    assert fields(examples, 11)["answers"] == [
        {"text": "four", "correct": True},
        {"text": "4", "correct": True},
    ]
    assert fields(examples, 24)["answers"][0] == {
        "text": "no one",
        "correct": True,
        "explanation": "excellent answer!",
    }


def test_short_answer_partial_credit_counts_as_right_with_a_note(examples: ParsedBank) -> None:
    """=%75%Nazereth and =%25%Bethlehem become right answers, and a note names their credit."""
    assert choices(fields(examples, 42)) == [
        ("Nazareth", True),
        ("Nazereth", True),
        ("Bethlehem", True),
    ]
    assert notes(examples, 42) == [
        "answers: answers with partial credit (Nazereth 75%, Bethlehem 25%) count as fully right"
    ]


def test_numeric_answers_margins_and_ranges(examples: ParsedBank) -> None:
    """{#1822:1}, {#3.1415:0.0005} and {#3.141..3.142} give the right number and margin."""
    assert fields(examples, 5) == {
        "type": "numeric",
        "prompt": "When was Ulysses S. Grant born?",
        "answer": 1822,
        "tolerance": 1,
    }
    assert (fields(examples, 16)["answer"], fields(examples, 16)["tolerance"]) == (1822, 0)
    for number in (17, 18):
        assert (fields(examples, number)["answer"], fields(examples, number)["tolerance"]) == (
            3.1415,
            0.0005,
        )


def test_numeric_with_several_answers_gives_ranges(examples: ParsedBank) -> None:
    """{#=1822:0 =%50%1822:2} keeps 1822 exact and adds 1820..1824 as right, noted."""
    question = fields(examples, 19)
    assert (question["answer"], question["tolerance"]) == (1822, 0)
    assert question["ranges"] == [{"min": 1820, "max": 1824, "correct": True}]
    assert notes(examples, 19) == [
        "ranges: numbers with partial credit (1820 to 1824 50%) count as fully right"
    ]


def test_numeric_feedback_for_each_answer(examples: ParsedBank) -> None:
    """Feedback on numeric answers, over two lines, stays with its range."""
    question = fields(examples, 43)
    assert question["ranges"] == [
        {"min": 1822, "max": 1822, "correct": True, "explanation": "Correct! 100% credit"},
        {
            "min": 1820,
            "max": 1824,
            "correct": True,
            "explanation": "He was born in 1822.\\\nYou get 50% credit for being close.",
        },
    ]


def test_matching_pairs_and_targets(examples: ParsedBank) -> None:
    """{=Canada -> Ottawa ...} gives pairs matched to targets made from the right-hand side."""
    question = fields(examples, 15)
    assert question["type"] == "matching"
    assert question["targets"] == [
        {"id": "ottawa", "text": "Ottawa"},
        {"id": "rome", "text": "Rome"},
        {"id": "tokyo", "text": "Tokyo"},
        {"id": "new_delhi", "text": "New Delhi"},
    ]
    assert question["pairs"] == [
        {"text": "Canada", "match": "ottawa"},
        {"text": "Italy", "match": "rome"},
        {"text": "Japan", "match": "tokyo"},
        {"text": "India", "match": "new_delhi"},
    ]


def test_titles_and_comments_stay_out_of_the_text(examples: ParsedBank) -> None:
    """::Kanji Origins:: and // comment lines are not part of the prompt; line breaks show."""
    assert fields(examples, 20)["prompt"] == "What's 2 plus 2?"
    assert fields(examples, 21)["prompt"] == (
        "Japanese characters originally\\\ncame from what country?"
    )
    assert fields(examples, 21)["answers"] == [{"text": "China", "correct": True}]


def test_feedback_for_each_choice(examples: ParsedBank) -> None:
    """#feedback after a choice becomes that choice's explanation."""
    assert fields(examples, 23)["answers"] == [
        {
            "text": "wrong answer",
            "correct": False,
            "explanation": "feedback comment on the wrong answer",
        },
        {
            "text": "another wrong answer",
            "correct": False,
            "explanation": "feedback comment on this wrong answer",
        },
        {"text": "right answer", "correct": True, "explanation": "Very good!"},
    ]


def test_markdown_text_is_kept_as_written(examples: ParsedBank) -> None:
    """[markdown] text keeps its Markdown; its answers take the question's format."""
    assert fields(examples, 25)["prompt"] == "Who's buried in **Grant's tomb**?"


def test_true_false_with_feedback_becomes_a_choice_of_true_and_false(
    examples: ParsedBank,
) -> None:
    """{FALSE#feedback} keeps the feedback on the answer it belongs to, as a True/False choice."""
    assert fields(examples, 26)["answers"] == [
        {"text": "True", "correct": False, "explanation": "No one is buried in Grant's tomb."},
        {"text": "False", "correct": True},
    ]
    assert fields(examples, 26)["type"] == "single_choice"
    assert notes(examples, 26) == [
        "type: a true/false question with feedback for each answer became a single choice of "
        "True and False, so each keeps its feedback"
    ]


def test_partial_credit_becomes_tick_all_that_apply(examples: ParsedBank) -> None:
    """~%50% beside =right makes every answer with credit right, as multiple answers, noted."""
    question = fields(examples, 28)
    assert question["type"] == "multiple_answers"
    assert choices(question) == [
        ("Jerusalem", False),
        ("Bethlehem", True),
        ("Galilee", True),
        ("Nazareth", True),
    ]
    assert notes(examples, 28) == [
        "type: Moodle's single-answer question gave credit to several answers (Bethlehem 25%, "
        "Galilee 50%, Nazareth 100%); it became tick-all-that-apply, every answer with credit "
        "counted as right"
    ]


def test_multiple_answers_with_equal_weights_need_no_note(examples: ParsedBank) -> None:
    """~%50%Grant ~%50%Grant's wife (with 0 or -50 for the rest) is plainly multiple answers."""
    for number in (30, 31):
        question = fields(examples, number)
        assert question["type"] == "multiple_answers"
        assert choices(question) == [
            ("No one", False),
            ("Grant", True),
            ("Grant's wife", True),
            ("Grant's father", False),
        ]
        assert notes(examples, number) == []


def test_escaped_control_characters(examples: ParsedBank) -> None:
    r"""\= \~ \# \{ \} and \\ are the characters themselves, shown as typed through Markdown."""
    assert choices(fields(examples, 32)) == [
        (r"\= 2 + 2", False),
        (r"\= 2 + 3", True),
        (r"\= 2 + 4", False),
    ]
    question = fields(examples, 33)
    assert [text for text, _ in choices(question)] == ["\\~", "\\=", "\\#", "{", "}", "\\\\"]
    assert question["answers"][5]["correct"] is True
    assert question["answers"][0]["explanation"] == "\\~ is a control character."
    assert question["answers"][5]["explanation"].startswith(
        "Correct! \\\\ (backslash) is not a control character. BUT,\\\nit is used"
    )


# --- Moodle's test fixtures -----------------------------------------------------------------


def test_moodle_fixture_skips_the_essay_and_keeps_the_rest() -> None:
    """The essay {} is skipped with its title, line and reason; the other eight import."""
    bank = read(MOODLE / "questions.gift.txt")
    assert [str(skipped) for skipped in bank.skipped] == [
        "question 1 (Q8) at line 2: an essay question (free text marked by hand): "
        "there is no counterpart here"
    ]
    assert [question.fields["type"] for question in bank.questions] == [
        "matching",
        "single_choice",
        "multiple_answers",
        "numeric",
        "short_text",
        "single_choice",
        "true_false",
        "true_false",
    ]


def test_moodle_fixture_formats_and_distractors() -> None:
    """[html] text stays HTML, a [plain] pair is escaped, and '= -> Chat' is an extra target."""
    question = fields(read(MOODLE / "questions.gift.txt"), 2)
    assert question["prompt"] == "Match the <b>activity</b> to the description."
    assert [target["text"] for target in question["targets"]] == [
        "Forum",
        "Choice",
        "Database",
        "Wiki",
        "Chat",
    ]
    assert question["pairs"][2] == {
        "text": "A bank of record entries which participants can add to.",
        "match": "database",
    }
    assert all(pair["match"] != "chat" for pair in question["pairs"])


def test_moodle_fixture_wildcards_and_any_other_number_are_noted() -> None:
    """=%0%* (any other answer) and ~#feedback (any other number) are dropped with a note."""
    bank = read(MOODLE / "questions.gift.txt")
    assert choices(fields(bank, 6)) == [("Frog", True), ("Cat", True)]
    assert notes(bank, 6)[0] == (
        "answers: the answer '*' uses Moodle's * wildcard, which typed answers here cannot: "
        "add the answers it stood for by hand"
    )
    assert (fields(bank, 5)["answer"], fields(bank, 5)["tolerance"]) == (3, 2)
    assert notes(bank, 5) == [
        "explanation: the feedback for any other number has no place here; put it in the "
        "explanation if every learner should read it"
    ]


def test_general_feedback_and_both_true_false_feedbacks() -> None:
    """FALSE#wrong#right####general: each feedback on its answer, the general one explains."""
    question = fields(read(MOODLE / "questions.gift.txt"), 7)
    assert question["answers"] == [
        {"text": "True", "correct": False, "explanation": "42 is the Ultimate Answer."},
        {"text": "False", "correct": True, "explanation": "You gave the right answer."},
    ]
    assert question["explanation"] == (
        "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )


def test_category_names_the_bank_and_html_escapes_are_restored() -> None:
    r"""$CATEGORY: $course$/Default for New Features titles the bank; \= and \: are restored."""
    bank = read(MOODLE / "questions_in_category.gift.txt")
    assert bank.title == "Default for New Features"
    assert bank.notes == []
    assert [question.number for question in bank.questions] == [1, 2, 3, 4]
    assert fields(bank, 2)["prompt"] == (
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3">Listen to this greeting:'
        "</a><br /><br />What language is being spoken?"
    )
    assert fields(bank, 3)["answers"] == [{"text": "Moodler", "correct": True}]
    assert fields(bank, 4)["answer"] is True


# --- a GIFT grammar's test questions (GIFT-grammar-PEG.js) ---------------------------------


def test_grammar_true_false_feedback_on_the_right_answers() -> None:
    """{TRUE#feedback for true} puts it on True; {TRUE# #for false} puts the second on False."""
    bank = read(GRAMMAR / "TFTwoFeedback.gift")
    assert fields(bank, 1)["answers"] == [
        {"text": "True", "correct": False, "explanation": "feedback for true"},
        {"text": "False", "correct": True, "explanation": "feedback for false"},
    ]
    assert fields(bank, 3)["answers"] == [
        {"text": "True", "correct": True, "explanation": "feedback for false"},
        {"text": "False", "correct": False},
    ]


def test_grammar_comments_inside_the_answers_are_ignored() -> None:
    """// comments after the title and inside { } are dropped; {F} is still false."""
    bank = read(GRAMMAR / "comments.gift")
    assert len(bank.questions) == 1
    question = fields(bank, 1)
    assert (question["type"], question["answer"]) == ("true_false", False)
    assert question["prompt"].startswith("This statement is false.")


def test_grammar_description_is_skipped_by_its_escaped_title() -> None:
    r"""A description titled 'Description Title\:' is skipped by name; the next question imports."""
    bank = read(GRAMMAR / "descriptionTitleEscapedColon.gift")
    assert [str(skipped) for skipped in bank.skipped] == [
        "question 1 (Description Title:) at line 1: a description (text with no answers in "
        "{ }): there is no question to import"
    ]
    assert fields(bank, 2) == {"type": "true_false", "prompt": "True or false?", "answer": True}


def test_grammar_escapes_every_control_character() -> None:
    r"""\~ \= \# \{ \} \: are characters; a lone backslash is a backslash."""
    question = fields(read(GRAMMAR / "escapeAll.gift"), 1)
    assert [text for text, _ in choices(question)] == [
        "\\~",
        "\\=",
        "\\#",
        "{",
        "}",
        ":",
        "\\\\",
    ]
    assert [correct for _, correct in choices(question)] == [False] * 6 + [True]


def test_grammar_numeric_ranges_and_wrong_answers_with_feedback() -> None:
    """{#1..5} is 3 give or take 2; =%0% answers become expected wrong numbers with feedback."""
    bank = read(GRAMMAR / "numerical1.gift")
    assert (fields(bank, 4)["answer"], fields(bank, 4)["tolerance"]) == (3, 2)
    assert fields(bank, 4)["prompt"] == f"Give me a number from 1 to 5. {BLANK}."
    grasp = fields(bank, 6)
    assert (grasp["answer"], grasp["tolerance"]) == (9, 0)
    assert [(entry["min"], entry["max"], entry["correct"]) for entry in grasp["ranges"]] == [
        (5, 5, False),
        (9, 9, True),
        (23, 23, False),
    ]
    assert grasp["ranges"][0]["explanation"].startswith("<p>Incorrect. Bien que le livre")
    assert (
        'href="http://fr.wikipedia.org/wiki/Design_Patterns"' in grasp["ranges"][2]["explanation"]
    )


def test_grammar_answers_take_the_question_format() -> None:
    """Answers with no [format] of their own are HTML when the question is [html]."""
    question = fields(read(GRAMMAR / "formatExamples.gift"), 2)
    assert question["prompt"] == "<p>The sun rises in which direction?</p>"
    assert question["answers"] == [
        {"text": "<p>The east.</p>", "correct": True, "explanation": "<b>Awesome!</b>"},
        {
            "text": "<p>The west.</p>",
            "correct": False,
            "explanation": "What planet did <em>you</em> grow up on?",
        },
    ]


def test_grammar_multi_line_general_feedback() -> None:
    """####general feedback over two lines becomes the explanation, its line break shown."""
    question = fields(read(GRAMMAR / "multiLineFeedback1.gift"), 1)
    assert question["explanation"] == "Global feedback\\\non multiple lines"
    assert question["answers"][1]["explanation"] == (
        "feedback comment on this wrong answer\\\non multiple lines"
    )


def test_grammar_symbols_are_shown_as_typed() -> None:
    """Moodle text's symbols are escaped for Markdown, GIFT's escapes undone; {True} is true."""
    question = fields(read(GRAMMAR / "symbolsAll.gift"), 1)
    assert question["answer"] is True
    assert question["prompt"] == (
        "Here's a question that has symbols inside,\\\n"
        + r"such as \`-=\\\[\\\];',./\~!@#\$%^\&\*()\_+{}\|:"
        + '"'
        + r"\<\>?"
    )


def test_grammar_short_answer_without_equals_and_markdown_answers() -> None:
    """{One} is one typed answer; [markdown] answers keep their text."""
    bank = read(GRAMMAR / "shortAnswer2.gift")
    assert fields(bank, 2)["answers"] == [{"text": "One", "correct": True}]
    markdown = fields(read(GRAMMAR / "type_inferred_multiline_markdown.gift"), 1)
    assert markdown["prompt"] == "stem line1  \nstem line2"
    assert [text for text, _ in choices(markdown)] == [
        "answer1 line1  \nanswer1 line2",
        "answer2 line1  \nanswer2 line2",
    ]


def test_grammar_moodle_export_with_html_feedback() -> None:
    r"""A Moodle export's [html] feedback keeps its HTML; \# \: \= and \n are undone."""
    question = fields(read(GRAMMAR / "mcHTMLComment.gift"), 1)
    assert question["prompt"].startswith("<p>¿En qué supuestos podría el Fiscal")
    assert choices(question)[2] == ("Nunca.", True)
    assert question["explanation"].startswith(
        '<p><span style="color: #ff6600;"><strong>Artículo 5 Estatuto Orgánico del Ministerio '
        "Fiscal:</strong></span></p>\n<p><em><strong>Dos.</strong>"
    )
    assert (
        '<a href="http://www.formacioncnp.es/base_datos/Penal/lecr.html">'
        in (question["explanation"])
    )


def test_grammar_numeric_as_moodle_exports_it() -> None:
    """=3:2 with ~#feedback for any other number: 3 give or take 2, the feedback noted as lost."""
    bank = read(GRAMMAR / "totara_moodle_numerical.gift")
    assert [question.where for question in bank.questions] == ["line 12"]
    assert fields(bank, 1) == {
        "type": "numeric",
        "prompt": "What is a number from 1 to 5?",
        "answer": 3,
        "tolerance": 2,
    }
    assert [note.kind for q in bank.questions for note in q.notes] == ["dropped"]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("newlineAndLaTeX.gift", "Blah blah $ 1 \\neq 0 $"),
        ("totara_moodle_backslash.gift", "double backslash"),
    ],
)
def test_grammar_essays_are_skipped(name: str, title: str) -> None:
    """Essays ({}) are skipped with the start of their text or their title."""
    bank = read(GRAMMAR / name)
    assert bank.questions == []
    assert [(skipped.title, skipped.reason) for skipped in bank.skipped] == [
        (title, "an essay question (free text marked by hand): there is no counterpart here")
    ]


def test_grammar_category_alone_titles_an_empty_bank() -> None:
    """$CATEGORY: $course$/top/Default for LING-373-2194-B titles the bank by its last name."""
    bank = read(GRAMMAR / "category0.gift")
    assert (bank.title, bank.questions, bank.skipped) == ("Default for LING-373-2194-B", [], [])


# --- our own choices, on small banks -------------------------------------------------------


def test_several_categories_share_a_title_and_are_noted() -> None:
    """Two categories under one parent title the bank by the parent; a note maps questions."""
    bank = read_gift(
        "$CATEGORY: $course$/top/Physics/Forces\n\nA?{T}\n\nB?{F}\n\n"
        "$CATEGORY: $course$/top/Physics/Heat\n\nC?{T}\n",
        "physics.gift",
    )
    assert bank.title == "Physics"
    assert [question.where for question in bank.questions] == ["line 3", "line 5", "line 9"]
    assert [str(note) for note in bank.notes] == [
        "title: the bank has 2 categories, kept in one quiz named after the category they "
        "share (Physics): questions 1-2 from Physics/Forces; question 3 from Physics/Heat. "
        "Split the quiz if they should be separate"
    ]


def test_categories_with_nothing_in_common_leave_the_title_to_the_file_name() -> None:
    """Unrelated categories give no title (the file's name is used) and one note."""
    bank = read_gift("$CATEGORY: Maths\n\nA?{T}\n\n$CATEGORY: History\n\nB?{T}\n", "mixed.gift")
    assert bank.title is None
    assert bank.notes[0].message.endswith(
        "categories, kept in one quiz: question 1 from Maths; question 2 from History. "
        "Split the quiz if they should be separate"
    )


def test_an_all_plain_bank_stays_plain_text() -> None:
    """When every question is [plain], the bank is plain and its text is kept exactly."""
    bank = read_gift("[plain]Is 2*3 = 6 {T}\n\n[plain]<b> means {~bold =a tag}.\n", "plain.gift")
    assert bank.text_format == "plain"
    assert fields(bank, 1)["prompt"] == "Is 2*3 = 6"
    assert fields(bank, 2)["prompt"] == "<b> means _____."


def test_plain_text_in_a_markdown_bank_is_escaped() -> None:
    """A [plain] question beside a Moodle one is escaped so Markdown shows it as typed."""
    bank = read_gift("[plain]Is 2*3 = 6 <b>?{T}\n\n[markdown]Is *this* bold?{T}\n", "mixed.gift")
    assert bank.text_format == "markdown"
    assert fields(bank, 1)["prompt"] == r"Is 2\*3 = 6 \<b\>?"
    assert fields(bank, 2)["prompt"] == "Is *this* bold?"


def test_latex_in_moodle_text_is_kept_for_the_page_to_typeset() -> None:
    r"""$$...$$ and \(...\) stay as written (escaped braces restored); a lone $ is escaped."""
    bank = read_gift(r"What is $$\frac\{1\}\{2\}$$ of \(x_1\) in $? {#2}", "maths.gift")
    assert fields(bank, 1)["prompt"] == r"What is $$\frac{1}{2}$$ of \(x_1\) in \$?"


def test_bad_questions_are_skipped_one_line_each_and_the_rest_kept() -> None:
    """Each broken question is skipped with its line and what was wrong; good ones import."""
    bank = read_gift(
        "Good?{T}\n\n"
        "::Unclosed:: Where is the end? {=here\n\n"
        "How much?{#lots}\n\n"
        "Pick one {~only}\n\n"
        "Match {=a -> 1 =b 2}\n\n"
        "Which?{~%50%a ~%50%b}\n",
        "broken.gift",
    )
    assert [str(skipped) for skipped in bank.skipped] == [
        "question 2 (Unclosed) at line 3: expected the answers between { and }, got a { that "
        "is never closed",
        "question 3 (How much?) at line 5: expected a number in answer 1, got 'lots'",
        "question 4 (Pick one) at line 7: expected at least two answers in a multiple choice, "
        "got 1",
        "question 5 (Match) at line 9: expected 'left -> right' in matching pair 2, got 'b 2'",
    ]
    assert [question.number for question in bank.questions] == [1, 6]
    assert choices(fields(bank, 6)) == [("a", True), ("b", True)]


def test_numbers_out_of_range_and_partial_credit_for_the_only_answer() -> None:
    """A number too big for the page is refused; a lone 50% answer is the answer, noted."""
    bank = read_gift("Big?{#1e999}\n\nHalf?{#=%50%5:1}\n", "numbers.gift")
    assert [skipped.reason for skipped in bank.skipped] == [
        "expected a number in answer 1, got '1e999'"
    ]
    assert (fields(bank, 2)["answer"], fields(bank, 2)["tolerance"]) == (5, 1)
    assert notes(bank, 2) == [
        "ranges: numbers with partial credit (4 to 6 50%) count as fully right"
    ]


def test_a_blank_line_inside_the_braces_does_not_split_the_question() -> None:
    """Answers parted by a blank line still belong to their question (Moodle would refuse)."""
    bank = read_gift("Colour?{\n=red\n\n~blue\n}\n\nNext?{T}\n", "spaced.gift")
    assert choices(fields(bank, 1)) == [("red", True), ("blue", False)]
    assert fields(bank, 2)["answer"] is True


def test_an_unclosed_brace_does_not_swallow_the_next_question() -> None:
    """An answer list never closed is skipped alone; the question after it still imports."""
    bank = read_gift("One?{=a\n\nTwo?{T}\n\nstray }\n", "unclosed.gift")
    assert [(skipped.number, skipped.where, skipped.reason) for skipped in bank.skipped] == [
        (1, "line 1", "expected the answers between { and }, got a { that is never closed"),
        (3, "line 5", "expected the answers between { and }, got a } with no { before it"),
    ]
    assert fields(bank, 2)["answer"] is True


@given(st.text(alphabet="{}~=#:%->\\/\n [plain]T.1e9abc$*", max_size=80))
def test_reading_never_raises_for_one_bad_question(text: str) -> None:
    """Any text after a good question reads: each question imported or skipped, none lost."""
    bank = read_gift("First?{T}\n\n" + text, "any.gift")
    numbers = [q.number for q in bank.questions] + [s.number for s in bank.skipped]
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    assert fields(bank, 1)["answer"] is True


@pytest.mark.parametrize("text", ["", "Some notes.\n\nNo questions here.\n", "// only a comment"])
def test_text_with_no_gift_at_all_is_refused_in_one_line(text: str) -> None:
    """A file with no answers in braces, no title and no category is not a GIFT bank."""
    with pytest.raises(ContentError) as caught:
        read_gift(text, "notes.txt")
    assert [str(problem) for problem in caught.value.problems] == [
        "notes.txt: expected GIFT questions (text with answers in { }), found none"
    ]


# --- writing -------------------------------------------------------------------------------


def test_writing_escapes_special_characters_and_reads_back_the_same() -> None:
    r"""Prompts and answers with ~ = # { } : \ and line breaks come back unchanged."""
    tricky = "Is a {b} = c: ~d #e \\f?\nSecond line"
    quiz = fixture_quiz()
    question = next(q for q in quiz.questions if q.type == "single_choice")
    changed = dataclasses.replace(
        question,
        prompt=tricky,
        answers=(
            Choice("one", "x = {y}", True, "because: #1"),
            Choice("two", "~z\\", False, ""),
        ),
    )
    exported = write_gift(dataclasses.replace(quiz, questions=(changed,)), {})
    assert "Is a \\{b\\} \\= c\\: \\~d \\#e \\\\f?\\nSecond line{" in exported.text
    bank = read_gift(exported.text, "tricky.gift")
    assert bank.text_format == "plain"
    assert fields(bank, 1)["prompt"] == tricky
    assert fields(bank, 1)["answers"] == [
        {"text": "x = {y}", "correct": True, "explanation": "because: #1"},
        {"text": "~z\\", "correct": False},
    ]


def test_writing_leaves_out_ordering_and_says_what_else_is_lost() -> None:
    """Ordering is left out with a comment; case, unit and typed fractions are listed."""
    quiz = dataclasses.replace(
        short_text_quiz(),
        questions=(
            *short_text_quiz().questions,
            *[q for q in fixture_quiz().questions if q.type in ("ordering", "numeric")],
        ),
    )
    exported = write_gift(quiz, {})
    ordering = next(q for q in quiz.questions if q.type == "ordering")
    assert f"// question {ordering.id} left out: GIFT has no ordering questions" in exported.text
    assert f"::{ordering.id}::" not in exported.text
    assert exported.left_out == (
        'The question "Give the short name of the National Health Service, in..." has '
        "case-sensitive answers, which GIFT cannot say, so Moodle will ignore capitals.",
        'The question "Put these from shortest to longest." is left out: GIFT has no ordering '
        "questions.",
        'The question "About what percent of adults get low back pain at some..." loses '
        "its unit 'percent': GIFT numbers have no units.",
        'The question "About what percent of adults get low back pain at some..." accepts '
        "a fraction such as 4/5 here, but Moodle takes only decimal numbers.",
    )


def test_writing_each_type_in_moodles_own_syntax() -> None:
    """Weights, wrong typed answers, numbers, matching distractors and sources as Moodle reads."""
    sources = load_library().sources
    question = Question(
        id="q",
        type="multiple_answers",
        topic="causes",
        prompt="Pick",
        explanation="Because.",
        sources=("nhs", "not_known"),
        answers=(Choice("a", "A", True), Choice("b", "B", True), Choice("c", "C", False)),
    )
    matching = dataclasses.replace(
        question,
        id="m",
        type="matching",
        answers=(),
        pairs=(Pair("p1", "one", "t1"), Pair("p2", "two", "t1")),
        targets=(Item("t1", "First"), Item("t2", "Spare")),
    )
    numeric = dataclasses.replace(question, id="n", type="numeric", answers=(), number=2.5)
    typed = dataclasses.replace(
        question,
        id="s",
        type="short_text",
        answers=(Choice("r", "spasm", True), Choice("w", "sprain", False, "A ligament.")),
    )
    quiz = Quiz("mine", "Mine/Yours", "", (question, matching, numeric, typed))
    text = write_gift(quiz, sources).text
    nhs = sources["nhs"]
    assert "$CATEGORY: Mine//Yours\n" in text
    assert "\t~%50%A\n\t~%50%B\n\t~%-100%C\n" in text
    assert (
        f"\t####Because.\\n\\nSources\\: {nhs.name}, {nhs.title} ("
        + nhs.url.replace(":", "\\:")
        + "); not_known\n"
    ) in text
    assert "\t=one -> First\n\t=two -> First\n\t= -> Spare\n" in text
    assert "::n::[plain]Pick{#\n\t=2.5:0\n" in text
    assert "\t=spasm\n\t=%0%sprain#A ligament.\n" in text
    bank = read_gift(text, "mine.gift")
    assert bank.title == "Mine/Yours"
    assert [target["text"] for target in fields(bank, 2)["targets"]] == ["First", "Spare"]
    assert choices(fields(bank, 4)) == [("spasm", True), ("sprain", False)]


# --- the optional question fields ------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MarkdownQuiz(Quiz):
    """A quiz whose text is Markdown (the model's Quiz gains ``text_format`` on another branch)."""

    text_format: str = "markdown"


def written(quiz: Quiz, question_id: str) -> str:
    """The GIFT of one question of a quiz, exported alone with the packaged sources."""
    question = next(q for q in quiz.questions if q.id == question_id)
    text = write_gift(dataclasses.replace(quiz, questions=(question,))).text
    return text[text.index("::") :]


def test_numeric_ranges_are_written_as_moodle_reads_them() -> None:
    """Right ranges =min..max, expected wrong ones =%0%min..max, each with its feedback."""
    assert written(fields_quiz(), "fever_number").startswith(
        "::fever_number::[plain]From what temperature, in degrees Celsius, is it a fever?{#\n"
        "\t=38:0.5\n"
        "\t=100.4..104#That is a fever in Fahrenheit, 38 in Celsius.\n"
        "\t=%0%36..37.4#That is a normal body temperature.\n"
        "\t=%0%0..10\n"
        "\t####A temperature of 38 degrees Celsius or more is a fever."
    )


def test_a_choice_with_no_right_answer_is_written_with_no_credit_and_said_so() -> None:
    """Every option a plain ~ (0%), as Moodle exports it; one line on what Moodle makes of it."""
    quiz = fields_quiz()
    assert "{\n\t~Tight#Many people feel a spasm as a tight knot.\n" in written(
        quiz, "how_it_feels"
    )
    assert "{\n\t~Keeping moving#Staying active helps most people.\n" in written(
        quiz, "what_helped"
    )
    assert write_gift(quiz).left_out[:2] == (
        'The question "Which word fits your last back spasm best?" has no right answer, which '
        "GIFT cannot say: Moodle makes it tick-all-that-apply with every answer at 0%, so give "
        "it a mark of 0 there.",
        'The question "What helped you most the last time your back hurt?" has no right '
        "answer, which GIFT cannot say: Moodle gives every answer 0%, so give it a mark of 0 "
        "there.",
    )


def test_no_explanation_means_the_feedback_only_cites_the_sources() -> None:
    """No invented text: the general feedback is the sources alone, or absent with none."""
    quiz = fields_quiz()
    cited = written(quiz, "how_it_feels")
    assert "\t####Sources\\: Cleveland Clinic, Back Spasms (https\\://my.clevelandclinic" in cited
    silent = dataclasses.replace(quiz.questions[0], sources=())
    assert "####" not in write_gift(dataclasses.replace(quiz, questions=(silent,)), {}).text


def test_fuzzy_matching_is_listed_as_left_off() -> None:
    """A short-text question's near-miss threshold is named in one line; the answers are kept."""
    exported = write_gift(fields_quiz())
    assert exported.left_out[-1] == (
        'The question "What do we call a sudden, tight squeeze of a muscle that..." accepts '
        "near misses (similarity 0.8 or more), but GIFT has no fuzzy matching, so only the exact "
        "answers count in Moodle."
    )
    assert "\t=spasm\n\t=%0%sprain#A sprain hurts a ligament, not a muscle.\n" in exported.text


def test_a_markdown_quiz_is_written_as_markdown_and_reads_back_the_same() -> None:
    """[markdown] text keeps its Markdown (GIFT escapes only); sources become Markdown too."""
    question = dataclasses.replace(
        fields_quiz().questions[1],
        prompt="Which of these **helped** you? Say it in $x < 2$ words: <em>honestly</em>.",
        explanation="Most people do best when they *keep moving*.",
        answers=(
            Choice("moving", "Keeping `moving`", True, "Helps **most** people."),
            Choice("rest", "Resting in_bed"),
        ),
    )
    quiz = MarkdownQuiz("md", "Markdown", "", (question,))
    text = write_gift(quiz).text
    assert (
        "::what_helped::[markdown]Which of these **helped** you? Say it in $x < 2$ words\\: "
        "<em>honestly</em>.{\n" in text
    )
    bank = read_gift(text, "md.gift")
    assert bank.text_format == "markdown"
    assert fields(bank, 1) == {
        "type": "multiple_answers",
        "prompt": question.prompt,
        "answers": [
            {"text": "Keeping `moving`", "correct": True, "explanation": "Helps **most** people."},
            {"text": "Resting in_bed", "correct": False},
        ],
        "explanation": "Most people do best when they *keep moving*.\n\nSources: NHS, Back pain; "
        "Cauda equina syndrome (<https://www.nhs.uk/conditions/back-pain/>)",
    }


# --- round trip ------------------------------------------------------------------------------


def expected(question: Question, sources: dict[str, Any]) -> dict[str, Any]:
    """What reading our own GIFT back should give for one of our questions.

    A one-answer question with no right answer comes back tick-all-that-apply: GIFT marks a
    one-answer question only by its right answer (the export lists it).
    """
    cited = "; ".join(
        f"{sources[s].name}, {sources[s].title} ({sources[s].url})" for s in question.sources
    )
    kind = "multiple_answers" if not question.scored else question.type
    result: dict[str, Any] = {"type": kind, "prompt": question.prompt}
    if question.type in ("single_choice", "multiple_answers", "short_text"):
        result["answers"] = [
            {
                "text": c.text,
                "correct": c.correct,
                **({"explanation": c.explanation} if c.explanation else {}),
            }
            for c in question.answers
        ]
    elif question.type == "true_false":
        result["answer"] = question.truth
    elif question.type == "numeric":
        result["answer"] = question.number
        result["tolerance"] = question.tolerance
        if question.ranges:
            result["ranges"] = [
                {
                    "min": numbers.min,
                    "max": numbers.max,
                    "correct": numbers.correct,
                    **({"explanation": numbers.explanation} if numbers.explanation else {}),
                }
                for numbers in question.ranges
            ]
    else:
        targets = {target.id: target.text for target in question.targets}
        result["pairs"] = [(pair.text, targets[pair.match]) for pair in question.pairs]
        result["targets"] = sorted(target.text for target in question.targets)
    feedback = [question.explanation] if question.explanation else []
    result["explanation"] = "\n\n".join([*feedback, f"Sources: {cited}"])
    return result


def comparable(parsed: dict[str, Any]) -> dict[str, Any]:
    """Read-back fields in the shape of :func:`expected` (matching by texts, not ids)."""
    if parsed["type"] != "matching":
        return parsed
    targets = {target["id"]: target["text"] for target in parsed["targets"]}
    return {
        **parsed,
        "pairs": [(pair["text"], targets[pair["match"]]) for pair in parsed["pairs"]],
        "targets": sorted(targets.values()),
    }


ROUND_TRIPS = [*sorted(load_library().quizzes), "question_fields"]


@pytest.mark.parametrize("quiz_id", ROUND_TRIPS)
def test_every_packaged_quiz_round_trips(quiz_id: str) -> None:
    """Our quiz -> GIFT -> read back: same questions, answers, ranges, feedback (bar left_out)."""
    library = load_library()
    quiz = fields_quiz() if quiz_id == "question_fields" else library.quizzes[quiz_id]
    bank = read_gift(write_gift(quiz, library.sources).text, f"{quiz_id}.gift")
    kept = [question for question in quiz.questions if question.type != "ordering"]
    assert (bank.title, bank.text_format, bank.skipped) == (quiz.title, "plain", [])
    assert [comparable(question.fields) for question in bank.questions] == [
        expected(question, dict(library.sources)) for question in kept
    ]
    assert all(question.notes == [] for question in bank.questions)
