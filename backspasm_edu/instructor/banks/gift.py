"""Moodle's GIFT text format: read a bank into a ParsedBank, and write one of our quizzes as GIFT.

GIFT (docs.moodle.org/en/GIFT_format) keeps one question per block of lines, blocks parted by a
blank line: ``::title::[format]text{answers}``. :func:`read_gift` follows Moodle's own importer
(question/format/gift/format.php) wherever Moodle decides something, and says so in a note
wherever our quiz cannot hold what the bank says. :func:`write_gift` writes what Moodle imports.

Why one long module: the reader and the writer of one format share its escapes, text formats and
answer weights, and read best side by side.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from backspasm_edu.content.loader import load_library
from backspasm_edu.content.model import Question, Quiz, Source
from backspasm_edu.errors import ContentError, Problem
from backspasm_edu.instructor.banks.parsed import (
    ImportNote,
    ParsedBank,
    ParsedQuestion,
    SkippedQuestion,
)

__all__ = ["GiftExport", "read_gift", "write_gift"]

TextFormat = Literal["moodle", "html", "plain", "markdown"]
_FORMATS: tuple[TextFormat, ...] = ("moodle", "html", "plain", "markdown")

# GIFT's escapes, each held as a private-use character while the question is taken apart, so an
# escaped ~ = # { } : never acts as syntax; \n is a line break (as Moodle reads it).
_ESCAPED = {
    "\\": "\ue000",
    ":": "\ue001",
    "#": "\ue002",
    "=": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    "~": "\ue006",
    "n": "\n",
}
_RESTORE = str.maketrans({held: char for char, held in _ESCAPED.items() if char != "n"})
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_BLANK = "\ue010"
"""Where a missing-word question's answers stood; becomes ``_____`` in the prompt."""

_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_INLINE_COMMENT = re.compile(r"(?:^|(?<=\s))//[^\n]*")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_CATEGORY = "$CATEGORY:"
_CONTEXTS = re.compile(r"^\$(?:course|system|module|cat\d*)\$$")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$&])")
_LINE_START_SPECIAL = re.compile(r"^([ \t]*)([#+\-=>]|\d+[.)])", re.MULTILINE)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_MATH = re.compile(r"(\$\$.+?\$\$|\\\(.+?\\\)|\\\[.+?\\\])", re.DOTALL)
_MARKDOWN_BLANK = r"\_\_\_\_\_"
_SLASH = "\ue011"
"""A / inside a category's name (written //) while the path is split at the other slashes."""
_MAX_TITLE = 60


class _Skip(Exception):
    """One question cannot be imported; the message says why, in the instructor's words."""


@dataclass(frozen=True)
class _Text:
    """A piece of a question's text in its GIFT format, turned into ours once the bank is read."""

    format: TextFormat
    text: str


# --- reading ------------------------------------------------------------------------------


_GIFT_ANSWERS = re.compile(r"\{[^{}]*(?:[=~#]|\bT(?:RUE)?\b|\bF(?:ALSE)?\b)[^{}]*\}")


def looks_like_gift(data: bytes, name: str) -> bool:
    """Whether a file is GIFT: named .gift, or text with a category or answers in braces."""
    if name.lower().endswith((".gift", ".gift.txt")):
        return True
    text = data.decode("utf-8", "replace")
    if text.lstrip("\ufeff \t\r\n").startswith(("<", "[{", '{"')):
        return False  # XML, HTML or JSON
    return _CATEGORY in text or _GIFT_ANSWERS.search(text) is not None


def read_gift_bank(data: bytes, name: str) -> list[ParsedBank]:
    """A GIFT file's bank, for ``import``: its text read as UTF-8, then :func:`read_gift`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(
            [Problem(name, "", f"expected UTF-8 text, got {error.reason}")]
        ) from None
    return [read_gift(text, name)]


def read_gift(text: str, name: str) -> ParsedBank:
    """Read a GIFT bank: every question it can, each one it cannot with the reason and its line.

    Descriptions (text with no answers) and essays (``{}``) are skipped: nothing here asks
    for free text marked by hand. ``$CATEGORY:`` lines give the bank's title (see
    :func:`_title_from_categories`). Text in ``[plain]`` format stays plain when the whole bank
    is plain; otherwise every text becomes Markdown, plain text escaped so it shows as typed.
    Text with no GIFT in it at all (no answers in braces, no title, no category) raises
    ContentError.
    """
    bank = ParsedBank(name=name, format="GIFT")
    categories: list[tuple[str, int]] = []
    blocks = _blocks(text.lstrip("\ufeff"))
    if not any(
        "{" in line or line.lstrip().startswith(("::", _CATEGORY))
        for block in blocks
        for _, line in block
    ):
        raise ContentError(
            [Problem(name, "", "expected GIFT questions (text with answers in { }), found none")]
        )
    number = 0
    for block in blocks:
        if block[0][1].lstrip().startswith(_CATEGORY):
            category = block.pop(0)[1].lstrip()[len(_CATEGORY) :]
            categories.append((category.translate(_RESTORE).strip(), number + 1))
            if not block:
                continue
        number += 1
        where = f"line {block[0][0]}"
        title, body = _title_and_body("\n".join(line for _, line in block).strip())
        try:
            fields, notes = _question(body)
        except _Skip as skip:
            bank.skipped.append(SkippedQuestion(number, where, title or _start(body), str(skip)))
            continue
        bank.questions.append(ParsedQuestion(fields, number, where, notes, name=title))
    _finish_texts(bank)
    bank.title, bank.notes = _title_from_categories(categories, number)
    return bank


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Each question's lines with their numbers, escapes held and comment lines left out.

    Blank lines part questions, as in Moodle; a block whose ``{`` is still open at a blank
    line takes in the next blocks up to the one that closes it, unless one of them opens a
    ``{`` of its own (a new question): Moodle would refuse the block.
    """
    parted: list[list[tuple[int, str]]] = [[]]
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if not raw.strip():
            parted.append([])
        elif not raw.strip().startswith("//"):
            parted[-1].append((number, _hold_escapes(raw)))
    parted = [block for block in parted if block]
    blocks: list[list[tuple[int, str]]] = []
    index = 0
    while index < len(parted):
        depth, later = _open_braces(parted[index]), index + 1
        while depth > 0 and later < len(parted) and not _opens(parted[later]):
            depth += _open_braces(parted[later])
            later += 1
        taken = later if depth <= 0 else index + 1
        blocks.append([line for block in parted[index:taken] for line in block])
        index = taken
    return blocks


def _hold_escapes(text: str) -> str:
    return _ESCAPE.sub(lambda match: _ESCAPED[match.group(1)], text)


def _open_braces(block: list[tuple[int, str]]) -> int:
    return sum(line.count("{") - line.count("}") for _, line in block)


def _opens(block: list[tuple[int, str]]) -> bool:
    return any("{" in line for _, line in block)


def _title_and_body(block: str) -> tuple[str, str]:
    """The ``::title::`` (escapes restored) and the rest; a comment after the title is dropped."""
    if not block.startswith("::"):
        return "", block
    end = block.find("::", 2)
    if end < 0:
        return "", block[2:].strip()
    body = block[end + 2 :].lstrip(" \t")
    if body.startswith("//"):
        body = body.partition("\n")[2]
    return " ".join(block[2:end].translate(_RESTORE).split()), body.strip()


def _start(body: str) -> str:
    """The start of a question's text, to name a skipped question that has no title."""
    before = body.split("{", 1)[0]
    text = " ".join(_split_format(before, "moodle")[1].translate(_RESTORE).split())
    return text if len(text) <= _MAX_TITLE else text[: _MAX_TITLE - 3].rstrip() + "..."


def _split_format(text: str, default: TextFormat) -> tuple[TextFormat, str]:
    """A ``[format]`` at the start of text, and the text after it (Moodle's four names)."""
    text = text.strip()
    for name in _FORMATS:
        if text.startswith(f"[{name}]"):
            return name, text[len(name) + 2 :].strip()
    return default, text


def _text(raw: str, default: TextFormat) -> _Text:
    """A piece of text in its format, escapes restored; HTML and Moodle text lose indentation."""
    text_format, text = _split_format(raw, default)
    text = text.translate(_RESTORE).strip()
    if text_format in ("moodle", "html"):
        text = "\n".join(line.strip() for line in text.split("\n"))
    return _Text(text_format, text)


def _question(body: str) -> tuple[dict[str, Any], list[ImportNote]]:
    """One question's fields in our shape, and its notes; raises _Skip when it cannot be had."""
    start, finish = body.find("{"), body.find("}")
    if start < 0 and finish < 0:
        raise _Skip("a description (text with no answers in { }): there is no question to import")
    if finish < 0:
        raise _Skip("expected the answers between { and }, got a { that is never closed")
    if start < 0 or finish < start:
        raise _Skip("expected the answers between { and }, got a } with no { before it")
    answers = _INLINE_COMMENT.sub("", body[start + 1 : finish]).strip()
    after = body[finish + 1 :].strip()
    prompt_text = body[:start] + (_BLANK if after else "") + body[finish + 1 :]
    question_format, _ = _split_format(prompt_text, "moodle")
    prompt = _text(prompt_text, "moodle")
    if not prompt.text.replace(_BLANK, "").strip():
        raise _Skip("expected question text before the answers, got none")
    general = ""
    if "####" in answers:
        answers, _, general = answers.rpartition("####")
        answers = answers.strip()
    fields: dict[str, Any] = {"prompt": prompt}
    notes: list[ImportNote] = []
    if not answers:
        raise _Skip("an essay question (free text marked by hand): there is no counterpart here")
    if answers.startswith("#"):
        fields.update(_numeric(answers[1:], question_format, notes))
    elif "~" in answers:
        fields.update(_choice(answers, question_format, notes))
    elif "=" in answers and "->" in answers:
        fields.update(_matching(answers, question_format))
    elif answers.split("#", 1)[0].strip().upper() in _TRUE_FALSE:
        fields.update(_true_false(answers, question_format, notes))
    else:
        fields.update(_short_answer(answers, question_format, notes))
    explanation = _text(general, question_format)
    if explanation.text:
        fields["explanation"] = explanation
    return {"type": fields.pop("type"), **fields}, notes


def _parts(answers: str, markers: str) -> list[tuple[str, str]]:
    """The answers, each with the marker before it (one of markers) and its text."""
    pieces = re.split(f"([{re.escape(markers)}])", answers)
    parts = [
        (marker, text.strip()) for marker, text in zip(pieces[1::2], pieces[2::2], strict=True)
    ]
    if pieces[0].strip():
        parts.insert(0, ("", pieces[0].strip()))
    return parts


def _weight(text: str, default: Decimal) -> tuple[Decimal, str]:
    """A ``%weight%`` at the start of an answer, in percent, and the rest of the answer."""
    found = _WEIGHT.match(text)
    if not found:
        return default, text
    return Decimal(found.group(1)), text[found.end() :].strip()


def _with_feedback(text: str, default: TextFormat) -> tuple[_Text, _Text]:
    answer, _, feedback = text.partition("#")
    return _text(answer, default), _text(feedback, default)


def _choice_answer(text: _Text, correct: bool, feedback: _Text) -> dict[str, Any]:
    answer: dict[str, Any] = {"text": text, "correct": correct}
    if feedback.text:
        answer["explanation"] = feedback
    return answer


def _shown(weight: Decimal) -> str:
    return f"{weight.normalize():f}%"


def _choice(answers: str, default: TextFormat, notes: list[ImportNote]) -> dict[str, Any]:
    """Multiple choice: one ``=`` right answer (single choice), or ``~%weight%`` answers."""
    single = "=" in answers
    found: list[tuple[Decimal, _Text, _Text]] = []
    for position, (marker, raw) in enumerate(_parts(answers, "~="), start=1):
        weight, rest = _weight(raw, Decimal(100) if marker == "=" else Decimal(0))
        text, feedback = _with_feedback(rest, default)
        if not text.text:
            raise _Skip(f"expected text for every answer, got none for answer {position}")
        found.append((weight, text, feedback))
    if len(found) < 2:
        raise _Skip(f"expected at least two answers in a multiple choice, got {len(found)}")
    right = [weight for weight, _, _ in found if weight > 0]
    full_marks = single and right == [Decimal(100)]
    question_type = "single_choice" if full_marks else "multiple_answers"
    credited = ", ".join(f"{text.text} {_shown(weight)}" for weight, text, _ in found if weight)
    if single and not full_marks:
        notes.append(
            ImportNote(
                "type",
                "changed",
                f"Moodle's single-answer question gave credit to several answers ({credited}); "
                "it became tick-all-that-apply, every answer with credit counted as right",
            )
        )
    elif len(set(right)) > 1:
        notes.append(
            ImportNote(
                "answers",
                "changed",
                f"Moodle's unequal weights ({credited}) are gone: each answer with credit "
                "counts as right, the rest as wrong",
            )
        )
    return {
        "type": question_type,
        "answers": [_choice_answer(text, weight > 0, fb) for weight, text, fb in found],
    }


def _true_false(answers: str, default: TextFormat, notes: list[ImportNote]) -> dict[str, Any]:
    """``{T}`` or ``{FALSE#feedback when wrong#feedback when right}``."""
    truth_text, wrong, right = (*answers.split("#", 2), "", "")[:3]
    truth = _TRUE_FALSE[truth_text.strip().upper()]
    when_wrong, when_right = _text(wrong, default), _text(right, default)
    if not (when_wrong.text or when_right.text):
        return {"type": "true_false", "answer": truth}
    notes.append(
        ImportNote(
            "type",
            "changed",
            "a true/false question with feedback for each answer became a single choice of "
            "True and False, so each keeps its feedback",
        )
    )
    on_true, on_false = (when_right, when_wrong) if truth else (when_wrong, when_right)
    return {
        "type": "single_choice",
        "answers": [
            _choice_answer(_Text("plain", "True"), truth, on_true),
            _choice_answer(_Text("plain", "False"), not truth, on_false),
        ],
    }


def _short_answer(answers: str, default: TextFormat, notes: list[ImportNote]) -> dict[str, Any]:
    """``{=answer#feedback =%50%other}``: typed answers; a single answer needs no ``=``."""
    found: list[dict[str, Any]] = []
    partial: list[str] = []
    for _, raw in _parts(answers, "="):
        weight, rest = _weight(raw, Decimal(100))
        text, feedback = _with_feedback(rest, default)
        typed = text.text
        if not typed:
            continue
        if "*" in typed.replace("\\*", ""):
            notes.append(
                ImportNote(
                    "answers",
                    "dropped",
                    f"the answer {typed!r} uses Moodle's * wildcard, which typed answers here "
                    "cannot: add the answers it stood for by hand",
                )
            )
            continue
        if 0 < weight < 100:
            partial.append(f"{typed} {_shown(weight)}")
        answer = {"text": typed.replace("\\*", "*"), "correct": weight > 0}
        if feedback.text:
            answer["explanation"] = feedback
        found.append(answer)
    if not any(answer["correct"] for answer in found):
        raise _Skip("expected at least one right answer to type, got none")
    if partial:
        notes.append(
            ImportNote(
                "answers",
                "changed",
                f"answers with partial credit ({', '.join(partial)}) count as fully right",
            )
        )
    return {"type": "short_text", "answers": found}


def _number(text: str, position: int) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise _Skip(f"expected a number in answer {position}, got {text.strip()!r}") from None
    if not math.isfinite(float(value)):
        raise _Skip(f"expected a number in answer {position}, got {text.strip()!r}")
    return value


def _plain_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _numeric(answers: str, default: TextFormat, notes: list[ImportNote]) -> dict[str, Any]:
    """``{#3.14:0.01}``, ``{#1..5}`` or ``{#=1:0 =%50%2:0#feedback ~#any other}``."""
    answers, _, otherwise = answers.partition("~")
    if _text(otherwise.partition("#")[2], default).text:
        notes.append(
            ImportNote(
                "explanation",
                "dropped",
                "the feedback for any other number has no place here; put it in the "
                "explanation if every learner should read it",
            )
        )
    found: list[tuple[Decimal, Decimal, Decimal, _Text]] = []
    for position, (_, raw) in enumerate(_parts(answers, "="), start=1):
        weight, rest = _weight(raw, Decimal(100))
        value, feedback = _with_feedback(rest, default)
        if value.text == "*":
            raise _Skip(f"answer {position} accepts any number (*), which has no counterpart here")
        if ".." in value.text[1:]:
            low_text, high_text = value.text.split("..", 1)
            low, high = sorted((_number(low_text, position), _number(high_text, position)))
        elif ":" in value.text[1:]:
            centre_text, margin_text = value.text.split(":", 1)
            centre, margin = _number(centre_text, position), abs(_number(margin_text, position))
            low, high = centre - margin, centre + margin
        else:
            low = high = _number(value.text, position)
        found.append((weight, low, high, feedback))
    if not found:
        raise _Skip("expected at least one number after {#, got none")
    full = [entry for entry in found if entry[0] == 100]
    main = full[0] if full else max(found, key=lambda entry: entry[0])
    if main[0] <= 0:
        raise _Skip("expected at least one number with credit, got none")
    centre, margin = (main[1] + main[2]) / 2, (main[2] - main[1]) / 2
    fields: dict[str, Any] = {
        "type": "numeric",
        "answer": _plain_number(centre),
        "tolerance": _plain_number(margin),
    }
    ranges: list[dict[str, Any]] = []
    for weight, low, high, feedback in found:
        if (weight, low, high) == main[:3] and not feedback.text:
            continue
        entry: dict[str, Any] = {
            "min": _plain_number(low),
            "max": _plain_number(high),
            "correct": weight > 0,
        }
        if feedback.text:
            entry["explanation"] = feedback
        ranges.append(entry)
    partial = [
        f"{_shown_range(low, high)} {_shown(weight)}"
        for weight, low, high, _ in found
        if 0 < weight < 100
    ]
    if ranges:
        fields["ranges"] = ranges
    if partial:
        notes.append(
            ImportNote(
                "ranges",
                "changed",
                f"numbers with partial credit ({', '.join(partial)}) count as fully right",
            )
        )
    return fields


def _shown_range(low: Decimal, high: Decimal) -> str:
    return f"{low.normalize():f}" if low == high else f"{low.normalize():f} to {high.normalize():f}"


def _matching(answers: str, default: TextFormat) -> dict[str, Any]:
    """``{=left -> right ...}``; ``= -> right`` adds a right-hand choice that matches nothing."""
    pairs: list[dict[str, Any]] = []
    targets: dict[str, str] = {}
    for position, (_, raw) in enumerate(_parts(answers, "="), start=1):
        if "->" not in raw:
            raise _Skip(f"expected 'left -> right' in matching pair {position}, got {raw!r}")
        left_raw, right_raw = raw.split("->", 1)
        right = " ".join(right_raw.translate(_RESTORE).split())
        if not right:
            raise _Skip(f"expected text after -> in matching pair {position}, got none")
        if right not in targets:
            targets[right] = _unique_id(right, set(targets.values()))
        left = _text(left_raw, default)
        if left.text:
            pairs.append({"text": left, "match": targets[right]})
    if len(pairs) < 2:
        raise _Skip(f"expected at least two pairs to match, got {len(pairs)}")
    return {
        "type": "matching",
        "pairs": pairs,
        "targets": [
            {"id": target_id, "text": _Text("plain", text)} for text, target_id in targets.items()
        ],
    }


def _unique_id(text: str, taken: set[str]) -> str:
    """A readable id from text (lowercase ASCII words joined by _), not one already taken."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", plain.lower())
    base = "_".join(words)[:40].rstrip("_") or "choice"
    base = base if base[0].isalpha() else f"choice_{base}"
    candidate, count = base, 1
    while candidate in taken:
        count += 1
        candidate = f"{base}_{count}"
    return candidate


# --- our text from GIFT's formats ---------------------------------------------------------


def _finish_texts(bank: ParsedBank) -> None:
    """Turn every piece of text into the bank's text: plain when all of it is, else Markdown."""
    formats = {piece.format for question in bank.questions for piece in _pieces(question.fields)}
    bank.text_format = "plain" if formats == {"plain"} else "markdown"
    for question in bank.questions:
        question.fields = _converted(question.fields, bank.text_format)


def _pieces(value: Any) -> list[_Text]:
    if isinstance(value, _Text):
        return [value]
    if isinstance(value, dict):
        return [piece for item in value.values() for piece in _pieces(item)]
    if isinstance(value, list):
        return [piece for item in value for piece in _pieces(item)]
    return []


def _converted(value: Any, bank_format: Literal["plain", "markdown"]) -> Any:
    if isinstance(value, _Text):
        return _as_bank_text(value, bank_format)
    if isinstance(value, dict):
        return {key: _converted(item, bank_format) for key, item in value.items()}
    if isinstance(value, list):
        return [_converted(item, bank_format) for item in value]
    return value


def _as_bank_text(piece: _Text, bank_format: Literal["plain", "markdown"]) -> str:
    r"""The text as the bank holds it: plain in a plain bank, else Markdown showing the same.

    Plain text, and Moodle's own format without HTML tags (text whose line breaks show), are
    escaped so Markdown changes nothing, LaTeX (``$$...$$``, ``\(...\)``, ``\[...\]``)
    kept for the page to typeset, as Moodle's filters do. HTML and Markdown stay as they are.
    """
    if bank_format == "plain":
        return piece.text.replace(_BLANK, "_____")
    if piece.format == "plain":
        return _plain_to_markdown(piece.text).replace(_BLANK, _MARKDOWN_BLANK)
    if piece.format == "moodle" and not _HTML_TAG.search(piece.text):
        parts = _MATH.split(piece.text)
        parts[::2] = [_plain_to_markdown(part) for part in parts[::2]]
        return "".join(parts).replace(_BLANK, _MARKDOWN_BLANK)
    return piece.text.replace(_BLANK, _MARKDOWN_BLANK if piece.format == "markdown" else "_____")


def _plain_to_markdown(text: str) -> str:
    """Plain text as Markdown that shows exactly that text: specials escaped, line breaks kept."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    escaped = _LINE_START_SPECIAL.sub(_escape_line_start, escaped)
    return re.sub(r"(?<!\n)\n(?!\n)", "\\\\\n", escaped)


def _escape_line_start(found: re.Match[str]) -> str:
    indent, mark = found.group(1), found.group(2)
    return f"{indent}{mark[:-1]}\\{mark[-1]}" if mark[0].isdigit() else f"{indent}\\{mark}"


# --- categories ---------------------------------------------------------------------------


def _category_path(category: str) -> list[str]:
    """A category's names, Moodle's context and ``top`` left out (``//`` is a / in a name)."""
    held = category.replace("//", _SLASH)
    names = [name.replace(_SLASH, "/").strip() for name in held.split("/")]
    names = [name for name in names if name]
    if names and _CONTEXTS.match(names[0]):
        names = names[1:]
    if names and names[0] == "top":
        names = names[1:]
    return names


def _title_from_categories(
    categories: list[tuple[str, int]], count: int
) -> tuple[str | None, list[ImportNote]]:
    """The bank's title from its categories, and a note when there are several.

    One category: its last name (``Default for LING-373`` from
    ``$course$/top/Default for LING-373``). Several: the last name of the category they all
    share, or none (the file name is used), and a note saying which questions came from which
    category, since a quiz keeps them in one list.
    """
    paths = [(_category_path(category), first) for category, first in categories]
    paths = [(path, first) for path, first in paths if path]
    distinct = list(dict.fromkeys(tuple(path) for path, _ in paths))
    if not distinct:
        return None, []
    if len(distinct) == 1:
        return distinct[0][-1], []
    shared: list[str] = []
    for names in zip(*distinct, strict=False):
        if len(set(names)) > 1:
            break
        shared.append(names[0])
    spans = []
    for index, (path, first) in enumerate(paths):
        last = paths[index + 1][1] - 1 if index + 1 < len(paths) else count
        if first <= last:
            shown = f"question {first}" if first == last else f"questions {first}-{last}"
            spans.append(f"{shown} from {'/'.join(path)}")
    note = ImportNote(
        "title",
        "check",
        f"the bank has {len(distinct)} categories, kept in one quiz"
        + (f" named after the category they share ({shared[-1]})" if shared else "")
        + ": "
        + "; ".join(spans)
        + ". Split the quiz if they should be separate",
    )
    return (shared[-1] if shared else None), [note]


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GiftExport:
    """A quiz as GIFT text, and each thing GIFT could not carry, one line each for the instructor.

    A question GIFT has no type for (ordering) is left out of ``text`` (a comment line marks
    its place); a setting GIFT cannot hold (a unit, case-sensitive answers, fuzzy matching)
    is left off its question. ``left_out`` says which, naming each question by the start of
    its prompt, so the command can tell the instructor.
    """

    text: str
    left_out: tuple[str, ...] = ()


def write_gift(quiz: Quiz, sources: Mapping[str, Source] | None = None) -> GiftExport:
    """Write a quiz as GIFT that Moodle imports, each question's sources cited in its feedback.

    ``sources`` names each source id (the packaged sources when not given); an id that is not
    there is cited as it is. A question with no explanation gets only its sources as
    feedback, or none.
    """
    if sources is None:
        sources = load_library().sources
    # Quiz.text_format comes with Markdown quizzes; until then every quiz is plain text.
    text_format = getattr(quiz, "text_format", "plain")
    lines = [
        f"// {_comment(quiz.title)}: a quiz exported from backspasm-edu ({quiz.id})",
        f"{_CATEGORY} {quiz.title.replace('/', '//')}",
        "",
    ]
    left_out: list[str] = []
    for question in quiz.questions:
        if question.type == "ordering":
            lines += [f"// question {question.id} left out: GIFT has no ordering questions", ""]
            left_out.append(f"{_named(question)} is left out: GIFT has no ordering questions.")
            continue
        left_out += _settings_left_out(question)
        body = [f"\t{line}" for line in _answer_lines(question)]
        feedback = _general_feedback(question, sources, text_format == "markdown")
        if feedback:
            body.append(f"\t####{_escape(feedback)}")
        lines += [
            f"// question: {question.id} ({question.type.replace('_', ' ')})",
            f"::{_escape(question.id)}::[{text_format}]{_escape(question.prompt)}"
            + ("{#" if question.type == "numeric" else "{"),
            *body,
            "}",
            "",
        ]
    return GiftExport("\n".join(lines), tuple(left_out))


def _comment(text: str) -> str:
    return " ".join(text.split())


def _named(question: Question) -> str:
    """The question as the instructor knows it: the start of its prompt, in quotes."""
    words = " ".join(question.prompt.split())
    if len(words) > _MAX_TITLE:
        words = words[: _MAX_TITLE - 3].rsplit(" ", 1)[0] + "..."
    return f'The question "{words}"'


def _escape(text: str) -> str:
    r"""Text with GIFT's special characters escaped and line breaks as ``\n``."""
    escaped = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        escaped = escaped.replace(char, f"\\{char}")
    return escaped.replace("\r\n", "\n").replace("\n", "\\n")


def _feedback(text: str) -> str:
    return f"#{_escape(text)}" if text else ""


def _percent(value: float) -> str:
    """A weight as Moodle lists them (33.33333, 50, -100)."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _number_text(value: float) -> str:
    """A number in plain digits as written (80, 0.125, 0.00005), never with an exponent."""
    text = f"{Decimal(repr(float(value))).normalize():f}"
    return "0" if text == "-0" else text


def _range_text(low: float, high: float) -> str:
    """``min..max`` as Moodle's importer reads it, or the one number when both are the same."""
    return _number_text(low) if low == high else f"{_number_text(low)}..{_number_text(high)}"


def _answer_lines(question: Question) -> list[str]:
    """The lines between the braces, for every type GIFT holds."""
    if question.type == "true_false":
        return ["TRUE" if question.truth else "FALSE"]
    right = sum(choice.correct for choice in question.answers)
    if question.type == "single_choice" or (question.type == "multiple_answers" and not right):
        # With no right answer every option is a plain ~ (0%), as Moodle writes it.
        return [
            f"{'=' if choice.correct else '~'}{_escape(choice.text)}{_feedback(choice.explanation)}"
            for choice in question.answers
        ]
    if question.type == "multiple_answers":
        return [
            f"~%{_percent(100 / right) if choice.correct else '-100'}%"
            f"{_escape(choice.text)}{_feedback(choice.explanation)}"
            for choice in question.answers
        ]
    if question.type == "short_text":
        return [
            f"={'' if choice.correct else '%0%'}{_escape(choice.text)}"
            f"{_feedback(choice.explanation)}"
            for choice in question.answers
        ]
    if question.type == "numeric":
        number = question.number if question.number is not None else 0.0
        return [f"={_number_text(number)}:{_number_text(question.tolerance)}"] + [
            f"={'' if numbers.correct else '%0%'}{_range_text(numbers.min, numbers.max)}"
            f"{_feedback(numbers.explanation)}"
            for numbers in question.ranges
        ]
    targets = {target.id: target.text for target in question.targets}
    used = {pair.match for pair in question.pairs}
    return [
        f"={_escape(pair.text)} -> {_escape(targets[pair.match])}" for pair in question.pairs
    ] + [f"= -> {_escape(target.text)}" for target in question.targets if target.id not in used]


def _general_feedback(question: Question, sources: Mapping[str, Source], markdown: bool) -> str:
    """The question's explanation (if any), then its sources with name, title and address."""
    cited = [_citation(source_id, sources, markdown) for source_id in question.sources]
    parts = [question.explanation.strip()] if question.explanation.strip() else []
    if cited:
        parts.append("Sources: " + "; ".join(cited))
    return "\n\n".join(parts)


def _citation(source_id: str, sources: Mapping[str, Source], markdown: bool) -> str:
    """A source as plain text, or in a Markdown quiz as Markdown showing the same words."""
    source = sources.get(source_id)
    if source is None:
        return _plain_to_markdown(source_id) if markdown else source_id
    if markdown:
        return f"{_plain_to_markdown(f'{source.name}, {source.title}')} (<{source.url}>)"
    return f"{source.name}, {source.title} ({source.url})"


def _settings_left_out(question: Question) -> list[str]:
    """One sentence for each thing of the question that GIFT cannot carry the same way."""
    named = _named(question)
    found = []
    if question.unit:
        found.append(f"{named} loses its unit {question.unit!r}: GIFT numbers have no units.")
    if question.type == "numeric":
        found.append(
            f"{named} accepts a fraction such as 4/5 here, but Moodle takes only decimal numbers."
        )
    if question.match_case:
        found.append(
            f"{named} has case-sensitive answers, which GIFT cannot say, so Moodle will "
            "ignore capitals."
        )
    if question.fuzzy_threshold:
        found.append(
            f"{named} accepts near misses (similarity {question.fuzzy_threshold:g} or more), "
            "but GIFT has no fuzzy matching, so only the exact answers count in Moodle."
        )
    if not question.scored:
        made = (
            "makes it tick-all-that-apply with every answer at 0%"
            if question.type == "single_choice"
            else "gives every answer 0%"
        )
        found.append(
            f"{named} has no right answer, which GIFT cannot say: Moodle {made}, so give it "
            "a mark of 0 there."
        )
    return found
