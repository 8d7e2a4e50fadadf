"""Moodle XML in and out: real Moodle files read type by type, unsafe XML refused, our quizzes round-trip."""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from backspasm_edu import ContentError
from backspasm_edu.content.loader import load_content_file, load_library
from backspasm_edu.content.model import Choice, Question, Quiz
from backspasm_edu.instructor.banks.moodle_xml import read_moodle_xml, write_moodle_xml
from backspasm_edu.instructor.banks.parsed import ParsedBank, ParsedQuestion
from tests.builders import fields_quiz

BANKS = Path(__file__).parents[1] / "data" / "banks" / "moodle_xml"
MOODLE = BANKS / "moodle__moodle"
DIMA = BANKS / "TU-Berlin-DIMA__moodle-tools"
TEST_QUIZZES = Path(__file__).parents[1] / "data"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def read(path: Path) -> ParsedBank:
    """A real bank file read as the importer reads it."""
    return read_moodle_xml(path.read_bytes(), path.name)


def only(bank: ParsedBank) -> ParsedQuestion:
    """The one question a bank imported, with nothing skipped."""
    assert not bank.skipped
    assert len(bank.questions) == 1
    return bank.questions[0]


def notes(question: ParsedQuestion) -> list[str]:
    """A question's notes as the instructor reads them."""
    return [f"[{note.kind}] {note}" for note in question.notes]


def bank_of(*questions: str, declaration: str = "") -> bytes:
    """A Moodle XML file holding the given <question> elements."""
    body = "\n".join(questions)
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{declaration}\n<quiz>\n{body}\n</quiz>\n'.encode()
    )


def question_xml(kind: str, inner: str, name: str = "Q", text: str = "Pick one.") -> str:
    """One <question> element of a type, with a name, an HTML question text and inner XML."""
    return (
        f'<question type="{kind}"><name><text>{name}</text></name>'
        f'<questiontext format="html"><text>{text}</text></questiontext>{inner}</question>'
    )


def problems(data: bytes) -> list[str]:
    """The lines ContentError gives for a file named bank.xml."""
    with pytest.raises(ContentError) as caught:
        read_moodle_xml(data, "bank.xml")
    return [str(problem) for problem in caught.value.problems]


# --- real files: Moodle's own fixtures ------------------------------------------------------


def test_multichoice_with_several_weighted_answers_becomes_tick_all_that_apply() -> None:
    """Moodle's multi-answer fixture: London and Paris (50% each) right, hints noted as dropped."""
    bank = read(MOODLE / "multichoice_testquestion.moodle.xml")
    question = only(bank)
    assert bank.title == "Default for C1"
    assert bank.format == "Moodle XML"
    assert question.fields == {
        "type": "multiple_answers",
        "prompt": "Find the capital cities in Europe.",
        "explanation": "Berlin, Paris and London",
        "answers": [
            {"text": "Tokyo"},
            {"text": "Spain"},
            {"text": "London", "correct": True},
            {"text": "Barcelona"},
            {"text": "Paris", "correct": True},
        ],
    }
    assert notes(question) == [
        "[dropped] explanation: 2 hint(s) for later tries (First hint; Second hint) "
        "have no place here"
    ]
    assert question.where == "line 12"


def test_truefalse_with_answer_feedback_becomes_a_choice_of_true_and_false() -> None:
    """Moodle's true/false fixture keeps each answer's feedback as a True/False single choice."""
    question = only(read(MOODLE / "truefalse_testquestion.moodle.xml"))
    assert question.fields == {
        "type": "single_choice",
        "prompt": "The answer is true.",
        "explanation": "You should have selected true.",
        "answers": [
            {"text": "True", "correct": True, "explanation": "This is the right answer."},
            {"text": "False", "explanation": "This is the wrong answer."},
        ],
    }
    assert [note.kind for note in question.notes] == ["changed"]


def test_shortanswer_keeps_accepted_answers_and_notes_the_catch_all_and_credit() -> None:
    """frog and toad (80%) accepted with feedback; '*' is noted as dropped, never an answer."""
    question = only(read(MOODLE / "shortanswer_testquestion.moodle.xml"))
    assert question.fields == {
        "type": "short_text",
        "prompt": "Name an amphibian: __________",
        "explanation": "Generalfeedback: frog or toad would have been OK.",
        "answers": [
            {"text": "frog", "correct": True, "explanation": "Frog is a very good answer."},
            {"text": "toad", "correct": True, "explanation": "Toad is an OK good answer."},
        ],
    }
    assert notes(question) == [
        "[dropped] answers: the feedback for any other answer ('*'), 'That is a bad answer.', "
        "has no place here",
        "[changed] answers: Moodle gave partial credit ('frog' 100%, 'toad' 80%): "
        "here each counts as right",
    ]


def test_matching_pairs_subquestions_and_keeps_the_extra_answer_as_a_target() -> None:
    """frog/newt -> amphibian, cat -> mammal; the empty sub-question adds 'insect' as a target."""
    question = only(read(MOODLE / "match_testquestion.moodle.xml"))
    fields = question.fields
    assert fields["type"] == "matching"
    assert fields["prompt"] == "Classify the animals."
    assert fields["explanation"] == "General feedback."
    targets = {target["id"]: target["text"] for target in fields["targets"]}
    assert sorted(targets.values()) == ["amphibian", "insect", "mammal"]
    assert [(pair["text"], targets[pair["match"]]) for pair in fields["pairs"]] == [
        ("frog", "amphibian"),
        ("cat", "mammal"),
        ("newt", "amphibian"),
    ]
    assert notes(question) == [
        "[dropped] explanation: the feedback for a right, partly right or wrong response "
        "('Well done!'; 'Parts, but only parts, of your response are correct.'; "
        "'That is not right at all.') has no place here"
    ]


def test_ordering_items_come_in_the_right_order_with_the_html_feedback_kept() -> None:
    """The Ordering fixture's six words in order; its HTML general feedback is kept as is."""
    question = only(read(MOODLE / "ordering_testquestion.moodle.xml"))
    assert question.fields == {
        "type": "ordering",
        "prompt": "Put these words in order.",
        "explanation": '<p>The correct answer is "Modular Object Oriented Dynamic Learning '
        'Environment".</p>',
        "items": [
            {"text": word}
            for word in ["Modular", "Object", "Oriented", "Dynamic", "Learning", "Environment"]
        ],
    }
    assert question.notes == []


def test_an_essay_is_skipped_with_its_name_and_a_reason() -> None:
    """Moodle's essay fixture: nothing imported, one skipped question naming essay-001."""
    bank = read(MOODLE / "essay_testquestion.moodle.xml")
    assert bank.questions == []
    assert [str(skipped) for skipped in bank.skipped] == [
        "question 1 (essay-001) at line 12: an essay (free text marked by a teacher) "
        "has no counterpart here"
    ]


def test_nested_categories_give_the_title_and_one_note_and_the_essay_is_skipped() -> None:
    """Moodle's nested-categories fixture: 4 true/false imported, the essay skipped, title Iota."""
    bank = read(MOODLE / "nested_categories_with_questions.xml")
    assert bank.title == "Iota"
    assert [question.fields for question in bank.questions] == [
        {"type": "true_false", "prompt": f"<p>Testing {name} Question</p>", "answer": True}
        for name in ("Iota", "Kappa", "Lambda", "Mu")
    ]
    assert [question.number for question in bank.questions] == [1, 3, 4, 5]
    assert [(skipped.number, skipped.title) for skipped in bank.skipped] == [
        (2, "Kappa Essay Question")
    ]
    assert [str(note) for note in bank.notes] == [
        "categories: the file has 4 categories (Iota; Iota / Kappa; Iota / Kappa / Lambda; "
        "Iota / Mu): their questions become one quiz"
    ]


# --- real files: a course tool's reference output ----------------------------------------------


def test_numerical_answers_become_answer_and_ranges_with_their_feedback() -> None:
    """4 is right (with its feedback); 5 +/- 0.1 at 50% a right range, noted; 5 at 0% wrong."""
    bank = read(DIMA / "numericalRef.xml")
    assert not bank.skipped
    first, second = bank.questions
    assert first.fields == {
        "type": "numeric",
        "prompt": "What is 2 + 2?",
        "explanation": "General feedback",
        "answer": 4.0,
        "ranges": [
            {"min": 4.0, "max": 4.0, "correct": True, "explanation": "Feedback for first answer"},
            {
                "min": 4.9,
                "max": 5.1,
                "correct": True,
                "explanation": "2 + 2 = 5 for some values of 2",
            },
        ],
    }
    assert notes(first) == [
        "[changed] ranges: Moodle gave partial credit ('5' 50%): here each counts as right"
    ]
    assert second.fields == {
        "type": "numeric",
        "prompt": "What is 2 + 2?",
        "answer": 4.0,
        "ranges": [{"min": 5.0, "max": 5.0}],
    }


def test_single_multichoice_stays_single_and_partial_credit_becomes_tick_all() -> None:
    """One 100% answer: single choice; 100% and 50%: tick-all-that-apply with both right."""
    simple, extended = read(DIMA / "multiple-choiceRef.xml").questions
    assert simple.fields == {
        "type": "single_choice",
        "prompt": "Simple format",
        "answers": [
            {"text": "Correct answer 1", "correct": True},
            {"text": "Wrong answer 1"},
            {"text": "Wrong answer 2"},
        ],
    }
    assert simple.notes == []
    assert extended.fields["type"] == "multiple_answers"
    assert extended.fields["answers"] == [
        {"text": "Correct answer", "correct": True, "explanation": "Feedback for option 1"},
        {"text": "Partial answer", "correct": True, "explanation": "Feedback for option 2"},
        {"text": "Wrong answer", "explanation": "Feedback for option 3"},
    ]
    assert "'Partial answer' 50%" in str(extended.notes[0])


# --- unsafe or broken files ------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="truefalse"><name><text>&lol4;</text></name></question></quiz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="truefalse"><name><text>&secret;</text></name></question></quiz>
"""

REFUSED = (
    "bank.xml: expected Moodle XML without a DOCTYPE, got a DTD or entity declaration "
    "(refused: entities can expand without limit or read other files)"
)


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "external"])
def test_entity_tricks_are_refused_with_one_line(data: bytes) -> None:
    """A billion-laughs file and an external-entity file are refused before any expansion."""
    assert problems(data) == [REFUSED]


def test_broken_xml_and_other_roots_are_refused_with_where_and_what() -> None:
    """Not well-formed: line and column; another root element: named, <quiz> expected."""
    assert problems(b"<quiz>\n<question></quiz>") == [
        "bank.xml: line 2, column 13: expected well-formed XML, got mismatched tag"
    ]
    assert problems(b"<html><body/></html>") == [
        "bank.xml: expected a Moodle XML quiz (a <quiz> element at the top), got <html>"
    ]


def test_a_bad_question_is_skipped_by_name_and_the_others_still_import() -> None:
    """A number that is not a number and a multichoice without answers skip; the good one stays."""
    data = bank_of(
        question_xml(
            "numerical", '<answer fraction="100"><text>four</text></answer>', name="Broken sum"
        ),
        question_xml("multichoice", "<single>true</single>", name="No options"),
        question_xml(
            "truefalse",
            '<answer fraction="0"><text>true</text></answer>'
            '<answer fraction="100"><text>false</text></answer>',
            name="Fine",
            text="Rest is best.",
        ),
        question_xml("calculated", "", name="Formula"),
        "<question><name><text>Untyped</text></name></question>",
    )
    bank = read_moodle_xml(data, "bank.xml")
    assert [question.fields for question in bank.questions] == [
        {"type": "true_false", "prompt": "Rest is best.", "answer": False}
    ]
    assert [str(skipped) for skipped in bank.skipped] == [
        "question 1 (Broken sum) at line 3: the answer 'four' is not a number",
        "question 2 (No options) at line 4: it has no answers",
        "question 4 (Formula) at line 6: a calculated question (numbers drawn from a formula) "
        "has no counterpart here",
        'question 5 (Untyped) at line 7: it has no type (expected type="multichoice", '
        '"numerical" or another)',
    ]


# --- text formats, images, options -------------------------------------------------------------


def test_text_formats_become_markdown_that_shows_the_same_text() -> None:
    """Plain text is escaped, Markdown kept, auto-format keeps its line breaks, HTML kept as is."""
    texts = {
        "plain_text": "2 * 3 < 7 & [not] a link\n# not a heading",
        "markdown": "**Bold** and $x^2$",
        "moodle_auto_format": "First line\nSecond line",
        "html": "<p>Keep <b>this</b></p>",
    }
    data = bank_of(
        *(
            f'<question type="truefalse"><name><text>{text_format}</text></name>'
            f'<questiontext format="{text_format}"><text>{html.escape(text)}</text></questiontext>'
            '<answer fraction="100"><text>true</text></answer>'
            '<answer fraction="0"><text>false</text></answer></question>'
            for text_format, text in texts.items()
        )
    )
    prompts = [question.fields["prompt"] for question in read_moodle_xml(data, "b.xml").questions]
    assert prompts == [
        "2 \\* 3 \\< 7 \\& \\[not\\] a link\\\n\\# not a heading",
        "**Bold** and $x^2$",
        "First line<br>\nSecond line",
        "<p>Keep <b>this</b></p>",
    ]


def test_a_small_embedded_image_is_kept_as_a_data_uri_and_a_missing_one_noted() -> None:
    """@@PLUGINFILE@@ images: a small PNG becomes a data: URI (noted); a missing file is noted."""
    encoded = base64.b64encode(PNG).decode()
    text = '<p><img src="@@PLUGINFILE@@/dot%20one.png"> and <img src="@@PLUGINFILE@@/gone.png"></p>'
    data = bank_of(
        '<question type="truefalse"><name><text>Pictures</text></name>'
        f'<questiontext format="html"><text><![CDATA[{text}]]></text>'
        f'<file name="dot one.png" encoding="base64">{encoded}</file></questiontext>'
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question>'
    )
    question = only(read_moodle_xml(data, "b.xml"))
    assert question.fields["prompt"] == (
        f'<p><img src="data:image/png;base64,{encoded}"> and '
        '<img src="@@PLUGINFILE@@/gone.png"></p>'
    )
    assert notes(question) == [
        "[changed] prompt: the image 'dot one.png' is kept inside the text (as a data: URI)",
        "[dropped] prompt: the file 'gone.png' is not in the export",
    ]


def test_shortanswer_case_patterns_and_escaped_asterisks() -> None:
    r"""usecase 1 keeps capitals; a * pattern is dropped with a note; \* is a plain asterisk."""
    data = bank_of(
        question_xml(
            "shortanswer",
            "<usecase>1</usecase>"
            '<answer fraction="100"><text>NaCl</text></answer>'
            '<answer fraction="100"><text>Na*Cl</text></answer>'
            '<answer fraction="0"><text>a\\*b</text>'
            "<feedback><text>Not a product.</text></feedback></answer>",
        )
    )
    question = only(read_moodle_xml(data, "b.xml"))
    assert question.fields["match_case"] is True
    assert question.fields["answers"] == [
        {"text": "NaCl", "correct": True},
        {"text": "a*b", "explanation": "Not a product."},
    ]
    assert "'Na*Cl'" in str(question.notes[0])


def test_a_multichoice_with_no_credited_answer_has_no_right_answer() -> None:
    """Every fraction 0: the options keep their feedback, none is right, and a note says so."""
    data = bank_of(
        question_xml(
            "multichoice",
            "<single>true</single>"
            '<answer fraction="0"><text>Often</text><feedback><text>Many do.</text></feedback>'
            '</answer><answer fraction="0"><text>Never</text></answer>',
            text="How often do you stretch?",
        )
    )
    question = only(read_moodle_xml(data, "b.xml"))
    assert question.fields["answers"] == [
        {"text": "Often", "explanation": "Many do."},
        {"text": "Never"},
    ]
    assert question.fields["type"] == "single_choice"
    assert question.notes[0].kind == "check"


def test_numerical_units_give_the_base_unit_and_note_the_others() -> None:
    """Units: the multiplier-1 unit is kept as the unit; the others are noted as dropped."""
    data = bank_of(
        question_xml(
            "numerical",
            '<answer fraction="100"><text>1.5</text><tolerance>0.05</tolerance></answer>'
            "<units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit>"
            "<unit><multiplier>100</multiplier><unit_name>cm</unit_name></unit></units>",
        )
    )
    question = only(read_moodle_xml(data, "b.xml"))
    assert question.fields["answer"] == 1.5
    assert question.fields["tolerance"] == 0.05
    assert question.fields["unit"] == "m"
    assert "cm (x100)" in str(question.notes[0])


# --- writing ---------------------------------------------------------------------------------


def quiz(name: str) -> Quiz:
    """A packaged quiz by id."""
    return load_library().quizzes[name]


def every_type() -> Quiz:
    """The test quizzes of every type and of typed answers, as one quiz of all seven types."""
    all_types: Quiz = load_content_file(TEST_QUIZZES / "all_types.yaml", "quiz")
    typed: Quiz = load_content_file(TEST_QUIZZES / "short_text.yaml", "quiz")
    found = replace(all_types, questions=all_types.questions + typed.questions)
    assert len({question.type for question in found.questions}) == 7
    return found


def test_the_export_is_well_formed_utf8_with_a_category_and_every_type() -> None:
    """A quiz of all seven types: UTF-8 XML, the quiz title as category, Moodle's type names."""
    mixed = replace(every_type(), title="Back care / basics")
    data = write_moodle_xml(mixed).data
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ElementTree.fromstring(data)
    questions = root.findall("question")
    assert questions[0].get("type") == "category"
    assert questions[0].findtext("category/text") == "$course$/Back care // basics"
    assert [question.get("type") for question in questions[1:]] == [
        "multichoice",
        "multichoice",
        "truefalse",
        "ordering",
        "matching",
        "numerical",
        "shortanswer",
        "shortanswer",
    ]
    assert b"needs the Ordering question type (qtype_ordering)" in data
    ordering = next(question for question in mixed.questions if question.type == "ordering")
    assert (
        f'The question "{ordering.prompt}" needs the Ordering question type, core in Moodle '
        "4.4 and later and a plugin before, so an older Moodle without the plugin will not "
        "import it."
    ) in write_moodle_xml(mixed).left_out


def test_text_is_escaped_html_and_sources_are_linked_in_the_general_feedback() -> None:
    """Angle brackets and ampersands are escaped; the sources are named and linked."""
    question = Question(
        id="sums",
        type="numeric",
        topic="causes",
        prompt="Is 1 < 2 & 3 > 2?\nSay how many.",
        explanation="Yes & no.",
        sources=("nhs", "unknown_source"),
        number=2.0,
        tolerance=0.5,
        unit="items",
    )
    root = ElementTree.fromstring(
        write_moodle_xml(Quiz(id="q", title="T", description="D", questions=(question,))).data
    )
    element = root.findall("question")[1]
    assert element.findtext("questiontext/text") == "Is 1 &lt; 2 &amp; 3 &gt; 2?<br>\nSay how many."
    feedback = element.findtext("generalfeedback/text") or ""
    assert feedback.startswith('Yes &amp; no.\n<p class="backspasm-sources">Sources: <a href=')
    assert ">NHS</a>; unknown_source</p>" in feedback
    assert element.findtext("answer/text") == "2"
    assert element.findtext("answer/tolerance") == "0.5"
    assert element.findtext("units/unit/unit_name") == "items"


def test_multiple_answers_split_the_credit_and_wrong_ticks_cost_everything() -> None:
    """Three right options get 33.33333% each, a wrong one -100%, so any wrong tick scores 0."""
    multiple = next(
        q for q in quiz("causes_and_symptoms").questions if q.type == "multiple_answers"
    )
    root = ElementTree.fromstring(
        write_moodle_xml(Quiz(id="q", title="T", description="D", questions=(multiple,))).data
    )
    element = root.findall("question")[1]
    right = sum(choice.correct for choice in multiple.answers)
    expected = [f"{100 / right:.7g}" if c.correct else "-100" for c in multiple.answers]
    assert [answer.get("fraction") for answer in element.findall("answer")] == expected
    assert element.findtext("single") == "false"


# --- the optional question fields ------------------------------------------------------------


@dataclass(frozen=True)
class MarkdownQuiz(Quiz):
    """A quiz whose text is Markdown (the model's Quiz gains ``text_format`` on another branch)."""

    text_format: str = "markdown"


def only_question(quiz: Quiz, question_id: str) -> ElementTree.Element:
    """The written <question> element of one question of a quiz, exported alone."""
    question = next(q for q in quiz.questions if q.id == question_id)
    root = ElementTree.fromstring(write_moodle_xml(replace(quiz, questions=(question,))).data)
    return root.findall("question")[1]


def answers_of(element: ElementTree.Element) -> list[tuple[str | None, ...]]:
    """Each answer's text, credit, tolerance and feedback as written."""
    return [
        (
            answer.findtext("text"),
            answer.get("fraction"),
            answer.findtext("tolerance"),
            answer.findtext("feedback/text"),
        )
        for answer in element.findall("answer")
    ]


def test_numeric_ranges_become_answers_at_their_midpoints_with_half_width_tolerances() -> None:
    """Right ranges earn 100%, expected wrong ones 0%, each with its feedback, after the answer."""
    element = only_question(fields_quiz(), "fever_number")
    assert answers_of(element) == [
        ("38", "100", "0.5", ""),
        ("102.2", "100", "1.8", "That is a fever in Fahrenheit, 38 in Celsius."),
        ("36.7", "0", "0.7", "That is a normal body temperature."),
        ("5", "0", "5", ""),
    ]
    assert element.findtext("units/unit/unit_name") == "degrees"


def test_a_choice_with_no_right_answer_is_worth_nothing_and_said_so() -> None:
    """Every option 0% and a mark of 0, kept a one-answer question, with one line about it."""
    quiz = fields_quiz()
    element = only_question(quiz, "how_it_feels")
    assert [answer.get("fraction") for answer in element.findall("answer")] == ["0", "0", "0"]
    assert (element.findtext("defaultgrade"), element.findtext("single")) == ("0", "true")
    assert only_question(quiz, "where").findtext("defaultgrade") == "1"
    assert (
        'The question "Which word fits your last back spasm best?" has no right answer, which '
        "Moodle cannot mark: it gets every choice at 0% and a mark of 0, and Moodle's editor "
        "asks for a 100% choice if it is edited."
    ) in write_moodle_xml(quiz).left_out


def test_no_explanation_means_the_feedback_only_cites_the_sources() -> None:
    """No invented text: the general feedback is the sources paragraph, or empty with none."""
    quiz = fields_quiz()
    cited = only_question(quiz, "how_it_feels").findtext("generalfeedback/text")
    assert cited == (
        '<p class="backspasm-sources">Sources: <a href="https://my.clevelandclinic.org/health/'
        'diseases/22881-back-spasms">Cleveland Clinic</a></p>'
    )
    silent = replace(quiz, questions=(replace(quiz.questions[0], sources=()),))
    assert only_question(silent, "how_it_feels").findtext("generalfeedback/text") == ""


def test_what_moodle_does_not_get_is_listed_one_sentence_per_thing() -> None:
    """Fuzzy matching, typed fractions and no right answer: one line each, naming the question."""
    assert write_moodle_xml(fields_quiz()).left_out == (
        'The question "Which word fits your last back spasm best?" has no right answer, which '
        "Moodle cannot mark: it gets every choice at 0% and a mark of 0, and Moodle's editor "
        "asks for a 100% choice if it is edited.",
        'The question "What helped you most the last time your back hurt?" has no right '
        "answer, which Moodle cannot mark: it gets every choice at 0% and a mark of 0, and "
        "Moodle's editor asks for a 100% choice if it is edited.",
        'The question "From what temperature, in degrees Celsius, is it a fever?" accepts a '
        "fraction such as 4/5 here, but Moodle takes only decimal numbers.",
        'The question "What share of adults get low back pain at some point?..." '
        "accepts a fraction such as 4/5 here, but Moodle takes only decimal numbers.",
        'The question "What do we call a sudden, tight squeeze of a muscle that..." accepts '
        "near misses (similarity 0.8 or more), but Moodle has no fuzzy matching, so only the "
        "exact answers count there.",
    )


def test_a_markdown_quiz_keeps_its_markdown_and_reads_back_the_same() -> None:
    """Markdown text goes in as written, format="markdown"; the sources follow as HTML."""
    question = replace(
        fields_quiz().questions[1],
        prompt="Which of these **helped** you? Say it in $x < 2$ words & <em>honestly</em>.",
        explanation="Most people do best when they *keep moving*.",
        answers=(
            Choice("moving", "Keeping `moving`", False, "Helps **most** people."),
            Choice("rest", "Resting in bed"),
        ),
    )
    quiz = MarkdownQuiz("md", "Markdown", "", (question,))
    element = ElementTree.fromstring(write_moodle_xml(quiz).data).findall("question")[1]
    assert element.find("questiontext").get("format") == "markdown"
    assert element.findtext("questiontext/text") == question.prompt
    assert element.find("answer").get("format") == "markdown"
    assert element.findtext("answer/feedback/text") == "Helps **most** people."
    assert element.findtext("generalfeedback/text") == (
        'Most people do best when they *keep moving*.\n\n<p class="backspasm-sources">Sources: '
        '<a href="https://www.nhs.uk/conditions/back-pain/">NHS</a></p>'
    )
    fields = read_moodle_xml(write_moodle_xml(quiz).data, "md.xml").questions[0].fields
    assert fields["prompt"] == question.prompt
    assert fields["explanation"] == question.explanation
    assert fields["answers"][0] == {
        "text": "Keeping `moving`",
        "explanation": "Helps **most** people.",
    }


# --- round trip ------------------------------------------------------------------------------


def shown(text: str) -> str:
    """Text as a reader sees it: HTML line breaks, HTML escapes and Markdown escapes undone."""
    text = html.unescape(text.replace("<br>\n", "\n"))
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def expected_fields(question: Question) -> dict[str, Any]:
    """What reading our own export should give back for a question (texts as shown)."""
    fields: dict[str, Any] = {"type": question.type, "prompt": question.prompt}
    if question.explanation:
        fields["explanation"] = question.explanation
    if question.type in ("single_choice", "multiple_answers", "short_text"):
        fields["answers"] = [
            {"text": c.text, "correct": c.correct, "explanation": c.explanation}
            for c in question.answers
        ]
    if question.type == "short_text" and question.match_case:
        fields["match_case"] = True
    if question.type == "true_false":
        fields["answer"] = question.truth
    if question.type == "numeric":
        fields.update(
            answer=question.number,
            tolerance=question.tolerance,
            unit=question.unit,
            ranges=[
                {
                    "min": numbers.min,
                    "max": numbers.max,
                    "correct": numbers.correct,
                    "explanation": numbers.explanation,
                }
                for numbers in question.ranges
            ],
        )
    if question.type == "ordering":
        fields["items"] = [item.text for item in question.items]
    if question.type == "matching":
        targets = {target.id: target.text for target in question.targets}
        fields["pairs"] = [(pair.text, targets[pair.match]) for pair in question.pairs]
        fields["targets"] = sorted(targets.values())
    return fields


def read_back(fields: dict[str, Any]) -> dict[str, Any]:
    """An imported question in the same comparable shape as expected_fields."""
    result: dict[str, Any] = {"type": fields["type"], "prompt": shown(fields["prompt"])}
    if "explanation" in fields:
        result["explanation"] = shown(fields["explanation"])
    if "answers" in fields:
        result["answers"] = [
            {
                "text": shown(a["text"]),
                "correct": a.get("correct", False),
                "explanation": shown(a.get("explanation", "")),
            }
            for a in fields["answers"]
        ]
    if fields.get("match_case"):
        result["match_case"] = True
    if fields["type"] == "true_false":
        result["answer"] = fields["answer"]
    if fields["type"] == "numeric":
        result.update(
            answer=fields["answer"],
            tolerance=fields.get("tolerance", 0.0),
            unit=fields.get("unit", ""),
            ranges=[
                {
                    "min": numbers["min"],
                    "max": numbers["max"],
                    "correct": numbers.get("correct", False),
                    "explanation": shown(numbers.get("explanation", "")),
                }
                for numbers in fields.get("ranges", [])
            ],
        )
    if "items" in fields:
        result["items"] = [shown(item["text"]) for item in fields["items"]]
    if "pairs" in fields:
        targets = {target["id"]: shown(target["text"]) for target in fields["targets"]}
        result["pairs"] = [
            (shown(pair["text"]), targets[pair["match"]]) for pair in fields["pairs"]
        ]
        result["targets"] = sorted(targets.values())
    return result


ROUND_TRIPS = [*sorted(load_library().quizzes), "every_type", "question_fields"]


def round_trip_quiz(quiz_id: str) -> Quiz:
    """A packaged quiz, the quiz of every type, or the quiz of the optional fields."""
    if quiz_id == "every_type":
        return every_type()
    return fields_quiz() if quiz_id == "question_fields" else quiz(quiz_id)


@pytest.mark.parametrize("quiz_id", ROUND_TRIPS)
def test_every_packaged_quiz_round_trips_with_the_same_questions_answers_and_feedback(
    quiz_id: str,
) -> None:
    """Export then import: type, text, answers, right ones, ranges and feedback come back."""
    original = round_trip_quiz(quiz_id)
    bank = read_moodle_xml(write_moodle_xml(original).data, f"{quiz_id}.xml")
    assert bank.skipped == []
    assert bank.title == original.title
    assert [read_back(question.fields) for question in bank.questions] == [
        expected_fields(question) for question in original.questions
    ]
    assert {note.kind for question in bank.questions for note in question.notes} == {"check"}
