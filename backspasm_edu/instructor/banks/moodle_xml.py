r"""Moodle XML question banks in and out: read one into a ParsedBank, write a quiz as one.

Moodle XML (docs.moodle.org, "Moodle XML format") is Moodle's full question export, also
written by R/exams and many course tools. :func:`read_moodle_xml` parses it with defusedxml, so a
DOCTYPE (and with it every entity trick: "billion laughs", external files) is refused, and maps
the types with a counterpart here: ``multichoice``, ``truefalse``, ``shortanswer``,
``numerical``, ``matching`` and ``ordering`` (the Ordering question type). Any other type, and
any question that cannot be read, is skipped with a one-line reason naming it.

Decisions, each noted on the question where it applies:
- Partial credit (an option worth more than 0% and less than 100%, or several full-credit
  options of a one-answer question) becomes tick-all-that-apply with every option that earns
  credit right. A question with no option earning credit has no right answer.
- A true/false question with feedback on its answers becomes a single choice of True and
  False, which keeps that feedback.
- Short answers: ``*`` stands for any text in Moodle. An answer that is ``*`` alone is the
  feedback for "anything else", and a pattern with ``*`` inside cannot be matched here: both
  are dropped with a note; ``\*`` is a plain asterisk.
- Numbers: the first full-credit answer is ``answer`` with its ``tolerance``; every other
  answer becomes a ``range`` (value plus or minus its tolerance): right when it earns credit,
  else an expected wrong number.
- Text: HTML is kept as is (the renderer sanitises it), Markdown as is, plain text escaped,
  Moodle auto-format with its line breaks. Small embedded images (``@@PLUGINFILE@@``) go into
  the text as data: URIs; other embedded files cannot be shown and are noted.

:func:`write_moodle_xml` writes one of our quizzes for Moodle: a category named after the
quiz, every question with its text as escaped HTML (or as Markdown, for a Markdown quiz), the
explanation and sources as general feedback, numeric ranges as extra answers, and ordering
questions as the Ordering question type (core in Moodle 4.4 and later, a widely used plugin
before). It lists, one line each, what Moodle will not get the same way.

Why one long module: the reader's per-type mappings and the writer's mirror of them belong
together, so a change to one side is made next to the other.
"""

from __future__ import annotations

import base64
import binascii
import html
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree
from xml.parsers.expat import ErrorString

import defusedxml  # type: ignore[import-untyped]
from defusedxml.ElementTree import DefusedXMLParser  # type: ignore[import-untyped]

from backspasm_edu.content.model import Question, Quiz, Source
from backspasm_edu.errors import ContentError, Problem
from backspasm_edu.instructor.banks.parsed import (
    ImportNote,
    ParsedBank,
    ParsedQuestion,
    SkippedQuestion,
)

__all__ = [
    "FORMAT_NAME",
    "MOODLE_XML_TYPES",
    "MoodleXmlExport",
    "read_moodle_xml",
    "write_moodle_xml",
]

FORMAT_NAME = "Moodle XML"

MOODLE_XML_TYPES: dict[str, str] = {
    "multichoice": "single_choice, or multiple_answers when several answers earn credit",
    "truefalse": "true_false (single_choice when its answers have feedback)",
    "shortanswer": "short_text",
    "numerical": "numeric (other answers as ranges)",
    "matching": "matching",
    "ordering": "ordering",
}
"""The Moodle question types this reader maps, and the type each becomes here."""

_NO_COUNTERPART: dict[str, str] = {
    "essay": "an essay (free text marked by a teacher)",
    "description": "a description (text only, no question)",
    "calculated": "a calculated question (numbers drawn from a formula)",
    "calculatedsimple": "a simple calculated question (numbers drawn from a formula)",
    "calculatedmulti": "a calculated multiple choice (numbers drawn from a formula)",
    "cloze": "an embedded answers (Cloze) question",
    "multianswer": "an embedded answers (Cloze) question",
    "random": "a random question (Moodle picks one from a category)",
    "randomsamatch": "a random short-answer matching (Moodle draws it from a category)",
    "gapselect": "a select missing words question",
    "ddwtos": "a drag and drop into text question",
    "ddimageortext": "a drag and drop onto image question",
    "ddmarker": "a drag and drop markers question",
}

_DEFAULT_COMBINED_FEEDBACK = frozenset(
    {
        "Your answer is correct.",
        "Your answer is partially correct.",
        "Your answer is incorrect.",
    }
)
"""Moodle's own words for the combined feedback: not worth a note when dropped."""

_COMBINED_FEEDBACK = ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")
_MAX_IMAGE_BYTES = 100_000
_IMAGE_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
_PLUGINFILE = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>)]+)")
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>&$~|])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")
_CATEGORY_SEPARATOR = re.compile(r"(?<!/)/(?!/)")
_CONTEXTS = ("$course$", "$system$", "$module$", "$cat1$", "$coursecategory$", "top")
_SOURCES_CLASS = "backspasm-sources"
_SOURCES_PARAGRAPH = re.compile(
    rf'\s*<p class="{_SOURCES_CLASS}">(?P<sources>.*?)</p>\s*$', re.DOTALL
)
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ID_LIMIT = 40
_NAMED_LIMIT = 60


class _Skip(Exception):
    """A question that cannot be imported; the message is the reason, in the instructor's words."""


# --- parsing ------------------------------------------------------------------------------


class _LineRecorder(ElementTree.TreeBuilder):
    """A tree builder that remembers the line each <question> starts on, for messages."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: Any = None
        self.lines: dict[ElementTree.Element, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> ElementTree.Element:
        element = super().start(tag, attrs)
        if tag == "question" and self.expat is not None:
            self.lines[element] = int(self.expat.CurrentLineNumber)
        return element


def _parse(data: bytes, name: str) -> tuple[ElementTree.Element, dict[ElementTree.Element, int]]:
    recorder = _LineRecorder()
    parser = DefusedXMLParser(target=recorder, forbid_dtd=True)
    recorder.expat = parser.parser
    try:
        parser.feed(data)
        root: ElementTree.Element = parser.close()
    except defusedxml.DefusedXmlException:
        raise ContentError(
            [
                Problem(
                    name,
                    "",
                    "expected Moodle XML without a DOCTYPE, got a DTD or entity declaration "
                    "(refused: entities can expand without limit or read other files)",
                )
            ]
        ) from None
    except ElementTree.ParseError as error:
        line, column = error.position
        raise ContentError(
            [
                Problem(
                    name,
                    f"line {line}, column {column + 1}",
                    f"expected well-formed XML, got {ErrorString(error.code)}",
                )
            ]
        ) from None
    if root.tag != "quiz":
        raise ContentError(
            [
                Problem(
                    name,
                    "",
                    f"expected a Moodle XML quiz (a <quiz> element at the top), got <{root.tag}>",
                )
            ]
        )
    return root, recorder.lines


# --- reading ------------------------------------------------------------------------------


_QUIZ_ROOT = re.compile(rb"<quiz[\s>/]")


def looks_like_moodle_xml(data: bytes, name: str) -> bool:
    """Whether a file is Moodle XML: XML whose first part holds a ``<quiz>`` element."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") and bool(
        _QUIZ_ROOT.search(data[:8192])
    )


def read_moodle_xml_bank(data: bytes, name: str) -> list[ParsedBank]:
    """A Moodle XML file's bank, for ``import`` (see :func:`read_moodle_xml`)."""
    return [read_moodle_xml(data, name)]


def read_moodle_xml(data: bytes, name: str) -> ParsedBank:
    """Every question of a Moodle XML file that has a counterpart here, and why the others not.

    A file that is not well-formed XML, holds a DOCTYPE, or is not a Moodle quiz raises
    ContentError with one line; one bad question is skipped with its reason.
    """
    root, lines = _parse(data, name)
    bank = ParsedBank(name=name, format=FORMAT_NAME)
    categories: list[str] = []
    number = 0
    for element in root.findall("question"):
        kind = element.get("type", "")
        if kind == "category":
            category = _category(element)
            if category and category not in categories:
                categories.append(category)
            continue
        number += 1
        where = f"line {lines.get(element, 0)}"
        title = _plain(element.find("name/text"))
        try:
            parsed = _read_question(element, kind, number, where)
        except _Skip as skip:
            bank.skipped.append(SkippedQuestion(number, where, title, str(skip)))
            continue
        parsed.name = title
        bank.questions.append(parsed)
    if categories:
        bank.title = categories[0]
    if len(categories) > 1:
        bank.notes.append(
            ImportNote(
                "categories",
                "changed",
                f"the file has {len(categories)} categories ("
                + "; ".join(categories)
                + "): their questions become one quiz",
            )
        )
    return bank


def _read_question(
    element: ElementTree.Element, kind: str, number: int, where: str
) -> ParsedQuestion:
    if not kind:
        raise _Skip('it has no type (expected type="multichoice", "numerical" or another)')
    reader = _READERS.get(kind)
    if reader is None:
        described = _NO_COUNTERPART.get(kind, f"the Moodle question type {kind!r}")
        raise _Skip(f"{described} has no counterpart here")
    question = ParsedQuestion(fields={}, number=number, where=where)
    prompt = _rich(element.find("questiontext"), "prompt", question)
    if not prompt:
        raise _Skip("it has no question text")
    question.fields["prompt"] = prompt
    explanation = _rich(element.find("generalfeedback"), "explanation", question)
    explanation = _split_sources(explanation, question)
    question.fields.update(reader(element, question))
    if explanation:
        question.fields["explanation"] = explanation
    _note_combined_feedback(element, question)
    _note_hints(element, question)
    image = _plain(element.find("image"))
    if image:
        question.notes.append(
            ImportNote(
                "prompt",
                "dropped",
                f"the image {image!r} (Moodle 1.9's image field) is not carried over",
            )
        )
    return question


def _category(element: ElementTree.Element) -> str:
    path = _plain(element.find("category/text"))
    parts = [
        part.replace("//", "/").strip() for part in _CATEGORY_SEPARATOR.split(path) if part.strip()
    ]
    while parts and parts[0] in _CONTEXTS:
        parts.pop(0)
    return " / ".join(parts)


# --- text ---------------------------------------------------------------------------------


def _plain(element: ElementTree.Element | None) -> str:
    """The text of an element, trimmed (an absent element gives "")."""
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def _rich(element: ElementTree.Element | None, path: str, question: ParsedQuestion) -> str:
    """A Moodle text (its <text>, its format, its embedded files) as our Markdown."""
    if element is None:
        return ""
    text = _plain(element.find("text"))
    if not text:
        return ""
    text_format = element.get("format", "html")
    if text_format == "plain_text":
        text = _escaped(text)
    elif text_format == "moodle_auto_format":
        text = "<br>\n".join(line.rstrip() for line in text.splitlines())
    return _embed_files(text, element, path, question)


def _escaped(text: str) -> str:
    """Plain text as Markdown that shows exactly that text, line breaks kept."""
    lines = [
        _MARKDOWN_LINE_START.sub(_escape_line_start, _MARKDOWN_INLINE.sub(r"\\\1", line))
        for line in text.splitlines()
    ]
    return "\\\n".join(lines)


def _escape_line_start(match: re.Match[str]) -> str:
    """A line start Markdown would read as a heading, quote, list or rule, made plain text."""
    indent, marker = match.groups()
    return f"{indent}{marker[:-1]}\\{marker[-1]}"


def _embed_files(
    text: str, element: ElementTree.Element, path: str, question: ParsedQuestion
) -> str:
    if "@@PLUGINFILE@@" not in text:
        return text
    files = {file.get("name", ""): "".join(file.itertext()) for file in element.findall("file")}

    def replace(match: re.Match[str]) -> str:
        file_name = unquote(match.group(1))
        extension = file_name.rsplit(".", 1)[-1].lower()
        content = files.get(file_name)
        if content is None:
            question.notes.append(
                ImportNote(path, "dropped", f"the file {file_name!r} is not in the export")
            )
            return match.group(0)
        try:
            decoded = base64.b64decode(content, validate=False)
        except (binascii.Error, ValueError):
            decoded = b""
        media = _IMAGE_TYPES.get(extension)
        if media is None or not decoded or len(decoded) > _MAX_IMAGE_BYTES:
            what = "an image" if media else "a file"
            question.notes.append(
                ImportNote(
                    path,
                    "dropped",
                    f"{file_name!r} is {what} embedded in Moodle that cannot be shown here"
                    + (" (too large to keep in the text)" if media and decoded else ""),
                )
            )
            return match.group(0)
        question.notes.append(
            ImportNote(
                path,
                "changed",
                f"the image {file_name!r} is kept inside the text (as a data: URI)",
            )
        )
        return f"data:{media};base64,{base64.b64encode(decoded).decode('ascii')}"

    return _PLUGINFILE.sub(replace, text)


def _split_sources(explanation: str, question: ParsedQuestion) -> str:
    """The explanation without a sources paragraph this package wrote, noted for the instructor."""
    found = _SOURCES_PARAGRAPH.search(explanation)
    if found is None:
        return explanation
    sources = re.sub(r"<[^>]*>", "", found.group("sources")).strip()
    question.notes.append(
        ImportNote(
            "sources",
            "check",
            f"the feedback listed {html.unescape(sources)!r}: give these as the question's sources",
        )
    )
    return explanation[: found.start()].strip()


def _note_combined_feedback(element: ElementTree.Element, question: ParsedQuestion) -> None:
    said = [
        text
        for tag in _COMBINED_FEEDBACK
        if (text := _plain(element.find(f"{tag}/text"))) and text not in _DEFAULT_COMBINED_FEEDBACK
    ]
    if said:
        question.notes.append(
            ImportNote(
                "explanation",
                "dropped",
                "the feedback for a right, partly right or wrong response ("
                + "; ".join(repr(text) for text in said)
                + ") has no place here",
            )
        )


def _note_hints(element: ElementTree.Element, question: ParsedQuestion) -> None:
    hints = [text for hint in element.findall("hint") if (text := _plain(hint.find("text")))]
    if hints:
        question.notes.append(
            ImportNote(
                "explanation",
                "dropped",
                f"{len(hints)} hint(s) for later tries ({'; '.join(hints)}) have no place here",
            )
        )


# --- answers ------------------------------------------------------------------------------


def _fraction(answer: ElementTree.Element) -> float:
    raw = answer.get("fraction", "0")
    try:
        return float(raw)
    except ValueError:
        raise _Skip(f"an answer's credit is {raw!r}, not a number") from None


def _answers(element: ElementTree.Element) -> list[ElementTree.Element]:
    answers = element.findall("answer")
    if not answers:
        raise _Skip("it has no answers")
    return answers


def _weights(answers: list[tuple[str, float]]) -> str:
    return ", ".join(f"{text!r} {fraction:g}%" for text, fraction in answers)


def _note_partial_credit(
    question: ParsedQuestion, path: str, weights: list[tuple[str, float]]
) -> None:
    """Say that answers Moodle gave part of the marks for each count as right here."""
    question.notes.append(
        ImportNote(
            path,
            "changed",
            f"Moodle gave partial credit ({_weights(weights)}): here each counts as right",
        )
    )


def _read_multichoice(element: ElementTree.Element, question: ParsedQuestion) -> dict[str, Any]:
    single = _plain(element.find("single")).lower() not in ("false", "0")
    choices: list[dict[str, Any]] = []
    weights: list[tuple[str, float]] = []
    for index, answer in enumerate(_answers(element)):
        text = _rich(answer, f"answers[{index}].text", question)
        if not text:
            raise _Skip(f"answer {index + 1} has no text")
        fraction = _fraction(answer)
        choice: dict[str, Any] = {"text": text}
        if fraction > 0:
            choice["correct"] = True
        feedback = _rich(answer.find("feedback"), f"answers[{index}].explanation", question)
        if feedback:
            choice["explanation"] = feedback
        choices.append(choice)
        weights.append((_plain(answer.find("text")), fraction))
    if len(choices) < 2:
        raise _Skip("it has fewer than 2 answers to choose from")
    credited = [fraction for _, fraction in weights if fraction > 0]
    full = [fraction for fraction in credited if fraction >= 100]
    if not credited:
        question.notes.append(
            ImportNote(
                "answers",
                "check",
                "no answer earns credit: a question with no right answer (any pick shows "
                "its feedback and is not scored)",
            )
        )
        return {"type": "single_choice" if single else "multiple_answers", "answers": choices}
    if single and len(credited) == 1 and full:
        return {"type": "single_choice", "answers": choices}
    if single:
        question.notes.append(
            ImportNote(
                "answers",
                "changed",
                "Moodle gave credit to several answers of this one-answer question ("
                + _weights(weights)
                + "): here it is tick-all-that-apply with each of them right",
            )
        )
    elif len(set(credited)) > 1:
        question.notes.append(
            ImportNote(
                "answers",
                "changed",
                "Moodle's weights (" + _weights(weights) + ") are not used: here every "
                "answer with credit must be ticked and no other",
            )
        )
    return {"type": "multiple_answers", "answers": choices}


def _read_truefalse(element: ElementTree.Element, question: ParsedQuestion) -> dict[str, Any]:
    truth: bool | None = None
    feedback: dict[bool, str] = {}
    for index, answer in enumerate(_answers(element)):
        value = _plain(answer.find("text")).lower()
        if value not in ("true", "false"):
            raise _Skip(f"a true/false answer is {value!r}, expected true or false")
        said = _rich(answer.find("feedback"), f"answers[{index}].explanation", question)
        if said:
            feedback[value == "true"] = said
        if _fraction(answer) > 0:
            truth = value == "true"
    if truth is None:
        raise _Skip("neither true nor false earns credit")
    if not feedback:
        return {"type": "true_false", "answer": truth}
    question.notes.append(
        ImportNote(
            "answers",
            "changed",
            "a true/false question with feedback on its answers: a single choice of True "
            "and False here, to keep that feedback",
        )
    )
    choices: list[dict[str, Any]] = []
    for side in (True, False):
        choice: dict[str, Any] = {"text": "True" if side else "False"}
        if side == truth:
            choice["correct"] = True
        if side in feedback:
            choice["explanation"] = feedback[side]
        choices.append(choice)
    return {"type": "single_choice", "answers": choices}


def _read_shortanswer(element: ElementTree.Element, question: ParsedQuestion) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    weights: list[tuple[str, float]] = []
    for index, answer in enumerate(_answers(element)):
        raw = _plain(answer.find("text"))
        fraction = _fraction(answer)
        feedback = _rich(answer.find("feedback"), f"answers[{index}].explanation", question)
        if raw == "*":
            question.notes.append(
                ImportNote(
                    "answers",
                    "dropped",
                    "the feedback for any other answer ('*')"
                    + (f", {feedback!r}," if feedback else "")
                    + " has no place here",
                )
            )
            continue
        if re.search(r"(?<!\\)\*", raw):
            question.notes.append(
                ImportNote(
                    "answers",
                    "dropped",
                    f"the pattern {raw!r} (* stands for any text) cannot be matched here: "
                    "add each spelling you accept",
                )
            )
            continue
        text = raw.replace("\\*", "*")
        if not text:
            continue
        entry: dict[str, Any] = {"text": text}
        if fraction > 0:
            entry["correct"] = True
            weights.append((text, fraction))
        if feedback:
            entry["explanation"] = feedback
        answers.append(entry)
    if not any(entry.get("correct") for entry in answers):
        raise _Skip("no answer it accepts can be matched here (only patterns with *)")
    if any(fraction < 100 for _, fraction in weights):
        _note_partial_credit(question, "answers", weights)
    fields: dict[str, Any] = {"type": "short_text", "answers": answers}
    if _plain(element.find("usecase")) in ("1", "true"):
        fields["match_case"] = True
    return fields


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _Skip(f"the answer {text!r} is not a number") from None
    if not math.isfinite(value):
        raise _Skip(f"the answer {text!r} is not a finite number")
    return value


def _between(value: str, tolerance: str) -> tuple[float, float]:
    """The numbers from value minus tolerance to value plus it, worked out in decimal.

    Decimal, so the ends written as a midpoint and a half width (as Moodle keeps a range)
    come back exactly: 36.7 +/- 0.7 is 36 to 37.4, not 36 to 37.400000000000006.
    """
    centre, margin = Decimal(value), abs(Decimal(tolerance))
    return float(centre - margin), float(centre + margin)


def _read_numerical(element: ElementTree.Element, question: ParsedQuestion) -> dict[str, Any]:
    main: tuple[str, str, str] | None = None
    ranges: list[dict[str, Any]] = []
    weights: list[tuple[str, float]] = []
    for index, answer in enumerate(_answers(element)):
        raw = _plain(answer.find("text"))
        fraction = _fraction(answer)
        feedback = _rich(answer.find("feedback"), f"answers[{index}].explanation", question)
        if raw == "*":
            if feedback:
                question.notes.append(
                    ImportNote(
                        "ranges",
                        "dropped",
                        f"the feedback for any other number ('*'), {feedback!r}, has no place here",
                    )
                )
            continue
        tolerance_text = _plain(answer.find("tolerance")) or "0"
        for number in (raw, tolerance_text):
            _number(number)  # skips the question unless both are finite numbers
        if main is None and fraction >= 100:
            main = (raw, tolerance_text, feedback)
            continue
        if 0 < fraction < 100:
            weights.append((raw, fraction))
        low, high = _between(raw, tolerance_text)
        entry: dict[str, Any] = {"min": low, "max": high}
        if fraction > 0:
            entry["correct"] = True
        if feedback:
            entry["explanation"] = feedback
        ranges.append(entry)
    if main is None:
        raise _Skip("no answer earns full credit, so there is no right number")
    raw, tolerance_text, feedback = main
    value, tolerance = _number(raw), abs(_number(tolerance_text))
    if feedback:
        low, high = _between(raw, tolerance_text)
        ranges.insert(
            0,
            {
                "min": low,
                "max": high,
                "correct": True,
                "explanation": feedback,
            },
        )
    if weights:
        _note_partial_credit(question, "ranges", weights)
    fields: dict[str, Any] = {"type": "numeric", "answer": value}
    if tolerance:
        fields["tolerance"] = tolerance
    if ranges:
        fields["ranges"] = ranges
    fields.update(_units(element, question))
    return fields


def _units(element: ElementTree.Element, question: ParsedQuestion) -> dict[str, Any]:
    units = [
        (_plain(unit.find("unit_name")), _plain(unit.find("multiplier")) or "1")
        for unit in element.findall("units/unit")
    ]
    units = [(unit_name, multiplier) for unit_name, multiplier in units if unit_name]
    if not units:
        return {}
    base = next((name for name, multiplier in units if _is_one(multiplier)), units[0][0])
    others = [f"{name} (x{multiplier})" for name, multiplier in units if name != base]
    if others:
        question.notes.append(
            ImportNote(
                "unit",
                "dropped",
                f"only the unit {base!r} is shown; the other units ({', '.join(others)}) "
                "are not accepted here",
            )
        )
    return {"unit": base}


def _is_one(multiplier: str) -> bool:
    try:
        return float(multiplier) == 1
    except ValueError:
        return False


def _read_matching(element: ElementTree.Element, question: ParsedQuestion) -> dict[str, Any]:
    targets: dict[str, str] = {}
    pairs: list[dict[str, Any]] = []
    taken: set[str] = set()
    for index, sub in enumerate(element.findall("subquestion")):
        target_text = _plain(sub.find("answer/text"))
        if not target_text:
            raise _Skip(f"sub-question {index + 1} has no answer to match")
        target_text = _escaped(target_text)
        if target_text not in targets:
            targets[target_text] = _unique_id(target_text, "target", taken)
        text = _rich(sub, f"pairs[{len(pairs)}].text", question)
        if text:
            pair_id = _unique_id(text, "item", taken)
            pairs.append({"id": pair_id, "text": text, "match": targets[target_text]})
    if len(pairs) < 2:
        raise _Skip("it has fewer than 2 sub-questions to match")
    if len(targets) < 2:
        raise _Skip("it has fewer than 2 different answers to match to")
    return {
        "type": "matching",
        "pairs": pairs,
        "targets": [{"id": target_id, "text": text} for text, target_id in targets.items()],
    }


def _read_ordering(element: ElementTree.Element, question: ParsedQuestion) -> dict[str, Any]:
    ordered = sorted(enumerate(_answers(element)), key=lambda pair: (_fraction(pair[1]), pair[0]))
    items: list[dict[str, Any]] = []
    for position, (index, answer) in enumerate(ordered):
        text = _rich(answer, f"items[{position}].text", question)
        if not text:
            raise _Skip(f"item {index + 1} has no text")
        items.append({"text": text})
        if _plain(answer.find("feedback/text")):
            question.notes.append(
                ImportNote(
                    f"items[{position}]",
                    "dropped",
                    "feedback on a single item has no place here",
                )
            )
    if len(items) < 2:
        raise _Skip("it has fewer than 2 items to order")
    select = _plain(element.find("selecttype")).upper()
    if select not in ("", "ALL", "0"):
        question.notes.append(
            ImportNote(
                "items",
                "changed",
                "Moodle showed only some of the items each time; here all are shown",
            )
        )
    return {"type": "ordering", "items": items}


_READERS: dict[str, Callable[[ElementTree.Element, ParsedQuestion], dict[str, Any]]] = {
    "multichoice": _read_multichoice,
    "truefalse": _read_truefalse,
    "shortanswer": _read_shortanswer,
    "numerical": _read_numerical,
    "matching": _read_matching,
    "match": _read_matching,
    "ordering": _read_ordering,
}


def _unique_id(text: str, prefix: str, taken: set[str]) -> str:
    """A readable id from text (lowercase ASCII words joined by _), unique among taken."""
    plain = unicodedata.normalize("NFKD", re.sub(r"<[^>]*>", " ", text))
    words = re.findall(r"[a-z0-9]+", plain.encode("ascii", "ignore").decode("ascii").lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > _ID_LIMIT:
            break
        slug = f"{slug}_{word}" if slug else word
    if not slug or not slug[0].isalpha():
        slug = f"{prefix}_{slug}" if slug else prefix
    candidate, count = slug, 2
    while candidate in taken:
        candidate, count = f"{slug}_{count}", count + 1
    taken.add(candidate)
    return candidate


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MoodleXmlExport:
    """A quiz as a Moodle XML file, and each thing Moodle will not get the same way, one line each.

    ``data`` is the file (UTF-8). ``left_out`` names each question, by the start of its
    prompt, that Moodle cannot hold as it is here (fuzzy matching, fractions typed by
    learners, a question with no right answer, an ordering question for an older Moodle),
    so the command can tell the instructor.
    """

    data: bytes
    left_out: tuple[str, ...] = ()


def write_moodle_xml(quiz: Quiz, sources: Mapping[str, Source] | None = None) -> MoodleXmlExport:
    """The quiz as a Moodle XML file that Moodle's question import reads, and what it loses.

    ``sources`` names and links the questions' source ids in their general feedback; by
    default the sources of the loaded content (packaged plus the instructor's own). A quiz
    in Markdown keeps its text as Markdown (``format="markdown"``); plain text is written as
    escaped HTML.
    """
    if sources is None:
        from backspasm_edu.content.loader import load_library

        sources = load_library().sources
    # Quiz.text_format comes with Markdown quizzes; until then every quiz is plain text.
    markdown = getattr(quiz, "text_format", "plain") == "markdown"
    root = ElementTree.Element("quiz")
    category = ElementTree.SubElement(root, "question", type="category")
    _text(ElementTree.SubElement(category, "category"), "$course$/" + _category_path(quiz.title))
    info = ElementTree.SubElement(category, "info", format="html")
    _text(info, _html(quiz.description))
    left_out: list[str] = []
    for question in quiz.questions:
        if question.type == "ordering":
            root.append(
                ElementTree.Comment(
                    f" {question.id}: needs the Ordering question type (qtype_ordering), "
                    "core in Moodle 4.4 and later, a plugin before "
                )
            )
        root.append(_question(question, sources, markdown))
        left_out += _not_carried(question)
    ElementTree.indent(root)
    data: bytes = ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
    return MoodleXmlExport(data + b"\n", tuple(left_out))


def _named(question: Question) -> str:
    """The question as the instructor knows it: the start of its prompt, in quotes."""
    words = " ".join(question.prompt.split())
    if len(words) > _NAMED_LIMIT:
        words = words[: _NAMED_LIMIT - 3].rsplit(" ", 1)[0] + "..."
    return f'The question "{words}"'


def _not_carried(question: Question) -> list[str]:
    """One sentence for each thing of the question that Moodle will not get the same way."""
    named = _named(question)
    found = []
    if question.type == "ordering":
        found.append(
            f"{named} needs the Ordering question type, core in Moodle 4.4 and later and a "
            "plugin before, so an older Moodle without the plugin will not import it."
        )
    if not question.scored:
        found.append(
            f"{named} has no right answer, which Moodle cannot mark: it gets every choice at "
            "0% and a mark of 0, and Moodle's editor asks for a 100% choice if it is edited."
        )
    if question.fuzzy_threshold:
        found.append(
            f"{named} accepts near misses (similarity {question.fuzzy_threshold:g} or more), "
            "but Moodle has no fuzzy matching, so only the exact answers count there."
        )
    if question.type == "numeric":
        found.append(
            f"{named} accepts a fraction such as 4/5 here, but Moodle takes only decimal numbers."
        )
    return found


def _category_path(title: str) -> str:
    """A quiz title as one Moodle category name (a / in it is doubled, as Moodle writes it)."""
    return _xml_safe(title).replace("/", "//")


def _xml_safe(text: str) -> str:
    return _XML_UNSAFE.sub("", text)


def _html(text: str) -> str:
    """Plain text as HTML that shows exactly that text, line breaks kept."""
    return "<br>\n".join(html.escape(line, quote=False) for line in text.split("\n"))


def _text(parent: ElementTree.Element, value: str) -> None:
    ElementTree.SubElement(parent, "text").text = _xml_safe(value)


def _formatted(
    parent: ElementTree.Element, tag: str, value: str, markdown: bool, **attributes: str
) -> ElementTree.Element:
    """A Moodle text: Markdown as written, plain text as escaped HTML."""
    element = ElementTree.SubElement(
        parent, tag, attributes, format="markdown" if markdown else "html"
    )
    _text(element, value if markdown else _html(value))
    return element


def _fraction_text(value: float) -> str:
    return f"{value:.7g}"


def _answer(
    parent: ElementTree.Element,
    text: str,
    fraction: float,
    feedback: str,
    markdown: bool,
) -> ElementTree.Element:
    """A choice: its text and feedback as Moodle texts, and its credit."""
    answer = _formatted(parent, "answer", text, markdown, fraction=_fraction_text(fraction))
    _formatted(answer, "feedback", feedback, markdown)
    return answer


def _typed_answer(
    parent: ElementTree.Element, text: str, fraction: float, feedback: str, markdown: bool
) -> ElementTree.Element:
    """A typed answer (a number or words): its text as typed, its feedback a Moodle text."""
    answer = ElementTree.SubElement(
        parent, "answer", fraction=_fraction_text(fraction), format="plain_text"
    )
    _text(answer, text)
    _formatted(answer, "feedback", feedback, markdown)
    return answer


def _general_feedback(question: Question, sources: Mapping[str, Source], markdown: bool) -> str:
    """The explanation (if any), then a paragraph naming and linking the sources."""
    explanation = question.explanation.strip()
    parts = [explanation if markdown else _html(explanation)] if explanation else []
    if question.sources:
        cited = []
        for source_id in question.sources:
            source = sources.get(source_id)
            if source is None:
                cited.append(html.escape(source_id, quote=False))
            else:
                name = html.escape(source.name, quote=False)
                cited.append(f'<a href="{html.escape(source.url)}">{name}</a>')
        parts.append(f'<p class="{_SOURCES_CLASS}">Sources: ' + "; ".join(cited) + "</p>")
    return ("\n\n" if markdown else "\n").join(parts)


_MOODLE_TYPES = {
    "single_choice": "multichoice",
    "multiple_answers": "multichoice",
    "true_false": "truefalse",
    "ordering": "ordering",
    "matching": "matching",
    "numeric": "numerical",
    "short_text": "shortanswer",
}


def _question(
    question: Question, sources: Mapping[str, Source], markdown: bool
) -> ElementTree.Element:
    element = ElementTree.Element("question", type=_MOODLE_TYPES[question.type])
    _text(ElementTree.SubElement(element, "name"), question.id)
    _formatted(element, "questiontext", question.prompt, markdown)
    feedback = ElementTree.SubElement(
        element, "generalfeedback", format="markdown" if markdown else "html"
    )
    _text(feedback, _general_feedback(question, sources, markdown))
    ElementTree.SubElement(element, "defaultgrade").text = "1" if question.scored else "0"
    ElementTree.SubElement(element, "hidden").text = "0"
    ElementTree.SubElement(element, "idnumber").text = question.id
    _WRITERS[question.type](element, question, markdown)
    return element


def _write_choices(element: ElementTree.Element, question: Question, markdown: bool) -> None:
    """Single choice: the right one 100%; multiple answers: the credit split, wrong ticks -100%.

    With no right answer every choice is 0% (the question's mark is 0).
    """
    single = question.type == "single_choice"
    ElementTree.SubElement(element, "single").text = "true" if single else "false"
    ElementTree.SubElement(element, "shuffleanswers").text = "true"
    ElementTree.SubElement(element, "answernumbering").text = "abc"
    right = sum(choice.correct for choice in question.answers)
    for choice in question.answers:
        if choice.correct:
            fraction = 100 / right
        elif single or not right:
            fraction = 0.0
        else:
            fraction = -100.0
        _answer(element, choice.text, fraction, choice.explanation, markdown)


def _write_truefalse(element: ElementTree.Element, question: Question, markdown: bool) -> None:
    for value in (True, False):
        fraction = 100 if question.truth is value else 0
        _typed_answer(element, "true" if value else "false", fraction, "", markdown)


def _write_ordering(element: ElementTree.Element, question: Question, markdown: bool) -> None:
    ElementTree.SubElement(element, "layouttype").text = "VERTICAL"
    ElementTree.SubElement(element, "selecttype").text = "ALL"
    ElementTree.SubElement(element, "selectcount").text = "0"
    ElementTree.SubElement(element, "gradingtype").text = "ABSOLUTE_POSITION"
    ElementTree.SubElement(element, "showgrading").text = "SHOW"
    ElementTree.SubElement(element, "numberingstyle").text = "none"
    for position, item in enumerate(question.items, start=1):
        _formatted(element, "answer", item.text, markdown, fraction=f"{position}.0000000")


def _write_matching(element: ElementTree.Element, question: Question, markdown: bool) -> None:
    ElementTree.SubElement(element, "shuffleanswers").text = "true"
    targets = {target.id: target.text for target in question.targets}
    for pair in question.pairs:
        sub = _formatted(element, "subquestion", pair.text, markdown)
        _text(ElementTree.SubElement(sub, "answer"), targets[pair.match])
    used = {pair.match for pair in question.pairs}
    for target in question.targets:
        if target.id not in used:
            sub = _formatted(element, "subquestion", "", markdown)
            _text(ElementTree.SubElement(sub, "answer"), target.text)


def _write_numerical(element: ElementTree.Element, question: Question, markdown: bool) -> None:
    """The right number with its tolerance, then each range as its midpoint and half width.

    A right range earns 100%, an expected wrong one 0%, each with its feedback.
    """
    number = question.number if question.number is not None else 0.0
    answer = _typed_answer(element, _number_text(number), 100, "", markdown)
    ElementTree.SubElement(answer, "tolerance").text = _number_text(question.tolerance)
    for numbers in question.ranges:
        low, high = _exact(numbers.min), _exact(numbers.max)
        fraction = 100 if numbers.correct else 0
        centre = _typed_answer(
            element, _decimal_text((low + high) / 2), fraction, numbers.explanation, markdown
        )
        ElementTree.SubElement(centre, "tolerance").text = _decimal_text((high - low) / 2)
    if question.unit:
        units = ElementTree.SubElement(element, "units")
        unit = ElementTree.SubElement(units, "unit")
        ElementTree.SubElement(unit, "multiplier").text = "1"
        ElementTree.SubElement(unit, "unit_name").text = _xml_safe(question.unit)
    ElementTree.SubElement(element, "unitgradingtype").text = "0"
    ElementTree.SubElement(element, "unitpenalty").text = "0.1000000"
    ElementTree.SubElement(element, "showunits").text = "0" if question.unit else "3"
    ElementTree.SubElement(element, "unitsleft").text = "0"


def _number_text(value: float) -> str:
    """A number as Moodle reads it, exactly: 80 rather than 80.0, 0.125 as 0.125."""
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _exact(value: float) -> Decimal:
    """A number as the decimal it is written as (100.4, not 100.400000000000005684...)."""
    return Decimal(repr(float(value)))


def _decimal_text(value: Decimal) -> str:
    """A decimal in plain digits (102.2, 100, 0.00005), never with an exponent."""
    text = f"{value.normalize():f}"
    return "0" if text == "-0" else text


def _write_shortanswer(element: ElementTree.Element, question: Question, markdown: bool) -> None:
    ElementTree.SubElement(element, "usecase").text = "1" if question.match_case else "0"
    for choice in question.answers:
        _typed_answer(
            element,
            choice.text.replace("*", "\\*"),
            100 if choice.correct else 0,
            choice.explanation,
            markdown,
        )


_WRITERS: dict[str, Callable[[ElementTree.Element, Question, bool], None]] = {
    "single_choice": _write_choices,
    "multiple_answers": _write_choices,
    "true_false": _write_truefalse,
    "ordering": _write_ordering,
    "matching": _write_matching,
    "numeric": _write_numerical,
    "short_text": _write_shortanswer,
}
