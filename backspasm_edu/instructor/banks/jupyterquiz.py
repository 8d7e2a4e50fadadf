"""Read jupyterquiz banks (JSON, JavaScript-style JSON, notebooks, .py and MyST pages), never run.

jupyterquiz (github.com/jmshea/jupyterquiz) shows a list of questions of the types
``multiple_choice``, ``many_choice``, ``numeric``, ``string``, ``match`` and ``drag_drop``.
It reads a bank file as JavaScript, so trailing commas work; in a notebook or a page the list is
a Python literal. :func:`read_jupyterquiz` finds every such list in a file by reading it as
JSON5 or as Python literals (``ast.literal_eval``: nothing is executed) and maps each question
the way jupyterquiz's own code treats it. One bad question is skipped with its reason.
"""

from __future__ import annotations

import ast
import base64
import binascii
import contextlib
import difflib
import html
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from backspasm_edu.content.schema import json_type, key_path
from backspasm_edu.errors import ContentError, Problem
from backspasm_edu.instructor.banks.parsed import (
    ImportNote,
    NoteKind,
    ParsedBank,
    ParsedQuestion,
    SkippedQuestion,
)

__all__ = ["FORMAT", "JUPYTERQUIZ_TYPES", "looks_like_jupyterquiz", "read_jupyterquiz"]

FORMAT = "jupyterquiz"

JUPYTERQUIZ_TYPES: dict[str, str] = {
    "multiple_choice": "single_choice, or multiple_answers when more than one answer is right",
    "many_choice": "multiple_answers, or single_choice when at most one answer is right",
    "numeric": "numeric (values, ranges, precision, fractions)",
    "string": "short_text (with fuzzy matching)",
    "match": "matching",
    "drag_drop": "matching",
}
"""Every jupyterquiz question type, and what it becomes here (for ``--help``)."""

_QUESTION_KEY = re.compile(r"""["']question["']\s*:""")
_ANSWERS_KEY = re.compile(r"""["'](?:answers|pairs)["']\s*:""")
_TYPE_KEY = re.compile(
    r"""["']type["']\s*:\s*["'](?:""" + "|".join(JUPYTERQUIZ_TYPES) + r""")["']""", re.IGNORECASE
)

# --- the keys jupyterquiz reads (helpers.js, multiple_choice.js, numeric.js, string.js,
# match.js, z_drag_drop.js); layout keys are read and have no counterpart, so are let go
_COMMON = {"question", "type", "code"}
_QUESTION_KEYS: dict[str, set[str]] = {
    "multiple_choice": {*_COMMON, "answers", "answer_cols"},
    "many_choice": {*_COMMON, "answers", "answer_cols"},
    "numeric": {*_COMMON, "answers", "precision"},
    "string": {*_COMMON, "answers", "input_width"},
    "match": {*_COMMON, "pairs", "options", "shuffle_pairs", "shuffle_options"},
    "drag_drop": {*_COMMON, "pairs", "options", "shuffle_pairs", "shuffle_options"},
}
_LAYOUT = {"answer_cols", "input_width", "shuffle_pairs", "shuffle_options"}
_CHOICE_KEYS = {"answer", "code", "correct", "feedback", "hide"}
_NUMERIC_KEYS = {"type", "value", "range", "correct", "feedback"}
_STRING_KEYS = {"type", "answer", "correct", "feedback", "match_case", "fuzzy_threshold"}
_PAIR_KEYS = {"label", "answer"}
_FEEDBACK = "feedback"
"""A question's own ``feedback``: jupyterquiz never shows it; it becomes the explanation."""

# JavaScript drops the backslash of an escape it does not know ("\alpha" is "alpha"); an
# instructor who typed LaTeX meant the backslash, so it is kept as text.
_JSON5_ESCAPES = set("\"'\\/bfnrtuvx0\n\r\u2028\u2029")
_BACKSLASH = re.compile(r"\\(?:(?P<hex>u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2})|(?P<char>.))", re.DOTALL)
"""A backslash and what follows: a \\u or \\x escape with its hex digits, or one character."""
# Escapes that turn LaTeX into control characters (\alpha, \beta, \frac, \vec; \theta, \rho
# before a letter): read back as the LaTeX the instructor typed.
_CONTROL_LATEX = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}
_CONTROL_BEFORE_LETTER = re.compile(r"[\t\r](?=[A-Za-z])")
_MATH = re.compile(r"(?<!\\)\$[^$]+\$|\\\(.+?\\\)", re.DOTALL)
"""Inline math, where a line break before a letter can only be LaTeX (\\nabla, \\nu)."""
_LATEX_NOTE = (
    "a backslash escape turned LaTeX into a control character (\\b, \\f, \\t ...): read as the "
    "LaTeX command typed"
)
_LOOSE_NOTE = (
    "a backslash before a letter JavaScript does not escape (LaTeX such as \\alpha) is kept as "
    "typed; jupyterquiz itself drops it"
)


# --- the file's parts -----------------------------------------------------------------------


@dataclass
class _Part:
    """One question list (or single question) found in a file, before its questions are read."""

    label: str
    """Where in the file, for the bank's name: '' for the whole file, else ``cell 3`` ..."""
    questions: list[tuple[str, Any]]
    """Each question's place (``[2]``) and value; a _NotLiteral when it is not a literal."""
    notes: list[ImportNote] = field(default_factory=list)


class _NotLiteral:
    """A question written with names or expressions: it would have to be run, so is skipped."""

    def __init__(self, line: int) -> None:
        self.line = line


def looks_like_jupyterquiz(data: bytes, name: str) -> bool:
    """Whether the file holds jupyterquiz questions: a jupyterquiz type, or question and answers."""
    text = data.decode("utf-8", "replace")
    return _TYPE_KEY.search(text) is not None or (
        _QUESTION_KEY.search(text) is not None and _ANSWERS_KEY.search(text) is not None
    )


def read_jupyterquiz(data: bytes, name: str) -> list[ParsedBank]:
    """Every jupyterquiz bank in a file, one per question list, each with its skipped questions.

    ``data`` is the file's bytes; ``name`` names it in messages. A JSON or JavaScript-style
    JSON file is one bank; a notebook, a ``.py`` file or a Markdown/MyST page gives a bank for
    each question list in it (assigned to a name, passed to ``display_quiz``, or JSON). Raises
    ContentError when the file holds no jupyterquiz question at all.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError(
            [Problem(name, "", f"expected UTF-8 text, got {error.reason}")]
        ) from None
    parts = list(_parts(text, name))
    if not parts:
        raise ContentError(
            [
                Problem(
                    name,
                    "",
                    "expected jupyterquiz questions (a JSON list, or a Python list of question "
                    "dicts in a notebook, .py or MyST file), found none",
                )
            ]
        )
    banks = []
    for part in parts:
        label = f"{name} ({part.label})" if part.label else name
        bank = ParsedBank(name=label, format=FORMAT, notes=list(part.notes))
        for number, (where, value) in enumerate(part.questions, start=1):
            _read_question(bank, number, where, value)
        banks.append(bank)
    return banks


def _parts(text: str, name: str) -> Iterator[_Part]:
    """The question lists of a file, found by its content (the suffix only breaks ties)."""
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        value, notes, error = _json5(stripped)
        if error is None:
            if isinstance(value, Mapping) and "cells" in value:
                yield from _notebook(value)
                return
            part = _value_part(value, "", notes)
            if part is not None:
                yield part
            return
        if not name.endswith((".py", ".md", ".ipynb")):
            raise ContentError([Problem(name, error[0], f"expected JSON: {error[1]}")])
    script = _JS_ASSIGNMENT.match(text)
    if script:
        value, notes, error = _json5(script["value"])
        part = _value_part(value, script["name"], notes) if error is None else None
        if part is not None:
            yield part
            return
    tree = _python(text)
    if tree is not None:
        yield from _python_parts(tree, "")
        return
    yield from _markdown_parts(text, "")


_JS_ASSIGNMENT = re.compile(
    r"\A\s*(?:var|let|const)\s+(?P<name>[\w$]+)\s*=\s*(?P<value>.*?)\s*;?\s*\Z", re.DOTALL
)
"""A bank kept as JavaScript, as jupyterquiz loads it: ``var questions = [...];``."""


def _value_part(value: Any, label: str, notes: list[ImportNote]) -> _Part | None:
    """A part from a parsed JSON value: a list of questions, or one question object."""
    if isinstance(value, list) and any(_question_like(item) for item in value):
        return _Part(label, [(f"[{i}]", item) for i, item in enumerate(value)], notes)
    if _question_like(value):
        return _Part(label, [("", value)], notes)
    return None


def _question_like(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and ("type" in value or "question" in value)
        and ("answers" in value or "pairs" in value)
    )


# --- JSON as JavaScript reads it -------------------------------------------------------------


def _json5(text: str) -> tuple[Any, list[ImportNote], tuple[str, str] | None]:
    """Parse JSON5 with loose backslashes kept; the value, notes, and (where, what) on failure."""
    import json5

    loose: list[int] = []

    def keep(match: re.Match[str]) -> str:
        if match["hex"] or (match["char"] in _JSON5_ESCAPES and match["char"] not in "ux"):
            return match.group(0)
        loose.append(text.count("\n", 0, match.start()) + 1)
        return "\\\\" + match["char"]

    kept = _BACKSLASH.sub(keep, text)
    try:
        value = json5.loads(kept)
    except ValueError as error:
        return None, [], _json5_error(str(error))
    except RecursionError:
        return None, [], ("", "nested too deeply")
    notes = [ImportNote(f"line {line}", "check", _LOOSE_NOTE) for line in dict.fromkeys(loose)]
    return value, notes, None


def _json5_error(message: str) -> tuple[str, str]:
    """json5's message as (line and column, what went wrong)."""
    found = re.search(r"<string>:(\d+) Unexpected (.*) at column (\d+)", message)
    if found:
        return f"line {found[1]}, column {found[3]}", f"unexpected {found[2]}"
    return "", message.split("\n")[0]


# --- Python and notebooks, read as literals --------------------------------------------------


_MAGIC = re.compile(r"^\s*[%!].*$", re.MULTILINE)
_JS_NAMES = {"true": True, "false": False, "null": None}


def _python(source: str) -> ast.Module | None:
    """The module's syntax tree (IPython ``%`` and ``!`` lines blanked), or None if not Python."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "\alpha" is an invalid escape: kept as typed
            return ast.parse(_MAGIC.sub("", source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


class _JavaScriptNames(ast.NodeTransformer):
    """``true``, ``false`` and ``null`` written in Python, as many banks do, become constants."""

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in _JS_NAMES:
            return ast.copy_location(ast.Constant(_JS_NAMES[node.id]), node)
        return node


def _literal(node: ast.expr, offset: int) -> Any:
    """The node's value by ``ast.literal_eval`` (never run), or _NotLiteral."""
    try:
        fixed = _JavaScriptNames().visit(ast.fix_missing_locations(node))
        return ast.literal_eval(fixed)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        return _NotLiteral(getattr(node, "lineno", 1) + offset)


def _question_node(node: ast.AST) -> bool:
    if not isinstance(node, ast.Dict):
        return False
    keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
    return bool(keys & {"type", "question"}) and bool(keys & {"answers", "pairs"})


def _python_parts(tree: ast.AST, where: str, offset: int = 0) -> Iterator[_Part]:
    """Each list literal of question dicts (or lone question dict) in the tree, outermost only.

    ``offset`` is the number of lines before the code in its file (a block in a page).
    """
    names: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names[id(node.value)] = ast.unparse(targets[0])
    found: list[tuple[int, str, list[tuple[str, Any]]]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.List, ast.Tuple)) and any(map(_question_node, node.elts)):
            questions = [(f"[{i}]", _literal(item, offset)) for i, item in enumerate(node.elts)]
            found.append((node.lineno, names.get(id(node), ""), questions))
            return
        if _question_node(node):
            assert isinstance(node, ast.Dict)
            found.append((node.lineno, names.get(id(node), ""), [("", _literal(node, offset))]))
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    for line, name, questions in found:
        label = ", ".join(part for part in (where, name or f"line {line + offset}") if part)
        yield _Part(label, questions)


def _notebook(notebook: Mapping[str, Any]) -> Iterator[_Part]:
    """Parts from a notebook's cells: code cells as Python (or JSON), Markdown's hidden JSON."""
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        return
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, Mapping):
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        where = f"cell {number}"
        if cell.get("cell_type") == "code":
            yield from _code_parts(text, where)
        elif cell.get("cell_type") == "markdown":
            yield from _markdown_parts(text, where, code_blocks=False)


def _code_parts(text: str, where: str, offset: int = 0) -> Iterator[_Part]:
    """Parts from a piece of code: Python literals, else the whole text as JSON."""
    tree = _python(text)
    if tree is not None:
        yield from _python_parts(tree, where, offset)
        return
    if text.lstrip().startswith(("[", "{")):
        value, notes, error = _json5(text)
        part = _value_part(value, where, notes) if error is None else None
        if part is not None:
            yield part


_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,})[^\n]*\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL
)
_DIRECTIVE_OPTION = re.compile(r"\A(?:[ \t]*:[\w-]+:.*\n)+")
_DIRECTIVE_YAML = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_HIDDEN = re.compile(
    r"<(?P<tag>span|div|p)\b[^>]*display\s*:\s*none[^>]*>(?P<body>.*?)</(?P=tag)>",
    re.IGNORECASE | re.DOTALL,
)


def _markdown_parts(text: str, where: str, *, code_blocks: bool = True) -> Iterator[_Part]:
    """Parts from a Markdown or MyST page: its code blocks, and JSON hidden in HTML elements.

    A notebook's Markdown cell gives only hidden JSON (what ``display_quiz("#id")`` reads):
    a code block there is an example to read, not a quiz.
    """
    for block in _FENCE.finditer(text) if code_blocks else ():
        options = _DIRECTIVE_OPTION.match(block["body"]) or _DIRECTIVE_YAML.match(block["body"])
        body = block["body"][options.end() :] if options else block["body"]
        offset = text.count("\n", 0, block.start("body"))
        offset += block["body"].count("\n", 0, options.end()) if options else 0
        yield from _code_parts(body, where, offset)
    for hidden in _HIDDEN.finditer(text):
        body = html.unescape(hidden["body"]).strip()
        with contextlib.suppress(binascii.Error, ValueError):  # base64, else as it is
            body = base64.b64decode(body, validate=True).decode("utf-8")
        value, notes, error = _json5(body)
        part = _value_part(value, where or "hidden", notes) if error is None else None
        if part is not None:
            yield part


# --- questions ------------------------------------------------------------------------------


class _Skip(Exception):
    """A question that cannot be imported, with the reason in the instructor's words."""


@dataclass
class _Question:
    """Reading one question: its notes, at key paths relative to it."""

    notes: list[ImportNote] = field(default_factory=list)

    def note(self, path: Sequence[str | int], kind: NoteKind, message: str) -> None:
        self.notes.append(ImportNote(key_path(path), kind, message))

    def unknown_keys(
        self, data: Mapping[str, Any], known: set[str], where: list[str | int]
    ) -> None:
        """Note each key jupyterquiz does not read, with a guess at the key meant."""
        for key in data:
            if key in known or not isinstance(key, str):
                continue
            guess = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
            if guess:
                self.note(
                    [*where, key],
                    "dropped",
                    f"not a key jupyterquiz reads (did you mean {guess[0]!r}?): ignored",
                )
            else:
                self.note([*where, key], "dropped", "not a key jupyterquiz reads: ignored")

    def text(self, value: Any, path: list[str | int]) -> str:
        """Text as jupyterquiz shows it, with LaTeX that escapes made control characters mended."""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise _Skip(f"{_at(path)}expected text, got {json_type(value)}")
        text = str(value)
        mended = _MATH.sub(lambda m: re.sub(r"\n(?=[A-Za-z])", lambda _: "\\n", m[0]), text)
        mended = _CONTROL_BEFORE_LETTER.sub(lambda m: "\\t" if m[0] == "\t" else "\\r", mended)
        for control, latex in _CONTROL_LATEX.items():
            mended = mended.replace(control, latex)
        if mended != text:
            self.note(path, "check", _LATEX_NOTE)
        return mended


def _at(path: Sequence[str | int]) -> str:
    return f"{key_path(path)}: " if path else ""


def _title(value: Any) -> str:
    if isinstance(value, Mapping) and isinstance(value.get("question"), str):
        words = " ".join(re.sub(r"<[^>]+>", " ", value["question"]).split())
        return words if len(words) <= 60 else words[:57].rstrip() + "..."
    return ""


def _read_question(bank: ParsedBank, number: int, where: str, value: Any) -> None:
    """Add the question to the bank, or a SkippedQuestion saying why it cannot be imported."""
    place = where or "the question"
    if isinstance(value, _NotLiteral):
        bank.skipped.append(
            SkippedQuestion(
                number,
                place,
                "",
                f"line {value.line}: written with names or expressions (it would have to be "
                "run); only literal values are read",
            )
        )
        return
    job = _Question()
    try:
        fields = _question(job, value)
    except _Skip as skip:
        bank.skipped.append(SkippedQuestion(number, place, _title(value), str(skip)))
        return
    bank.questions.append(ParsedQuestion(fields, number, place, job.notes))


def _question(job: _Question, data: Any) -> dict[str, Any]:
    if not isinstance(data, Mapping):
        raise _Skip(f"expected a question (a mapping), got {json_type(data)}")
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in _READERS:
        known = ", ".join(JUPYTERQUIZ_TYPES)
        if kind is None:
            raise _Skip(f"has no 'type': expected one of {known}")
        guess = difflib.get_close_matches(str(kind).lower().replace(" ", "_"), _READERS, 1, 0.6)
        hint = f" (did you mean {guess[0]!r}?)" if guess else ""
        raise _Skip(f"type: expected one of {known}, got {json_type(kind)}{hint}")
    job.unknown_keys(data, _QUESTION_KEYS[kind] | {_FEEDBACK}, [])
    question = data.get("question")
    if question is None or (isinstance(question, str) and not question.strip()):
        raise _Skip("has no question text (jupyterquiz shows none): nothing to ask")
    prompt = job.text(question, ["question"])
    if data.get("code") not in (None, ""):
        prompt = f"{prompt}\n\n{_code_block(job.text(data['code'], ['code']))}"
    fields: dict[str, Any] = {"type": "", "prompt": prompt}
    fields.update(_READERS[kind](job, data))
    own = data.get(_FEEDBACK)
    if own not in (None, ""):
        fields["explanation"] = job.text(own, [_FEEDBACK])
        job.note(
            [_FEEDBACK],
            "changed",
            "the question's own feedback, which jupyterquiz never shows, is the explanation "
            "shown once the question closes",
        )
    return fields


def _code_block(code: str) -> str:
    """Code as Markdown: a fenced block when it has line breaks, else inline code.

    jupyterquiz puts code in the page as HTML, so ``&lt;`` in a bank shows as ``<``.
    """
    code = html.unescape(code).strip("\n")
    ticks = max((len(run) for run in re.findall(r"`+", code)), default=0) + 1
    if "\n" in code:
        fence = "`" * max(3, ticks)
        return f"{fence}\n{code}\n{fence}"
    fence = "`" * ticks
    return (
        f"{fence} {code} {fence}"
        if code.startswith("`") or code.endswith("`")
        else (f"{fence}{code}{fence}")
    )


def _entries(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        raise _Skip(f"has no '{key}'")
    if not isinstance(value, list):
        raise _Skip(f"{key}: expected a list, got {json_type(value)}")
    if not value:
        raise _Skip(f"{key}: expected at least 1 entry, got none")
    return value


def _entry(value: Any, path: list[str | int]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _Skip(f"{key_path(path)}: expected a mapping, got {json_type(value)}")
    return value


def _truthy(value: Any) -> bool:
    """A ``correct`` flag as jupyterquiz's JavaScript reads it; "false" text counts as false."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "false", "0", "no")
    return bool(value)


def _choice(job: _Question, data: Mapping[str, Any]) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    for index, entry in enumerate(_entries(data, "answers")):
        path: list[str | int] = ["answers", index]
        answer = _entry(entry, path)
        job.unknown_keys(answer, _CHOICE_KEYS, path)
        parts = []
        if answer.get("answer") not in (None, ""):
            parts.append(job.text(answer["answer"], [*path, "answer"]))
        if answer.get("code") not in (None, ""):
            parts.append(_code_block(job.text(answer["code"], [*path, "code"])))
        if not parts:
            raise _Skip(f"{key_path(path)}: has no 'answer' or 'code' text")
        choice: dict[str, Any] = {"text": "\n\n".join(parts)}
        if _truthy(answer.get("correct")):
            choice["correct"] = True
        if answer.get("feedback") not in (None, ""):
            choice["explanation"] = job.text(answer["feedback"], [*path, "feedback"])
        if _truthy(answer.get("hide")):
            job.note(
                [*path, "hide"],
                "dropped",
                "hide (pick without being told right or wrong) has no counterpart: learners "
                "are told",
            )
        answers.append(choice)
    right = sum(1 for choice in answers if choice.get("correct"))
    # jupyterquiz decides by the count of right answers, whatever the type says
    kind = "multiple_answers" if right > 1 else "single_choice"
    return {"type": kind, "answers": answers}


# --- numbers --------------------------------------------------------------------------------


def _number(value: Any, path: list[str | int]) -> Decimal:
    """A number, also one written as text (``"0.125"``, ``"5/6"``), as a Decimal."""
    if isinstance(value, bool):
        raise _Skip(f"{key_path(path)}: expected a number, got {json_type(value)}")
    try:
        if isinstance(value, str) and "/" in value:
            fraction = Fraction(value.strip())
            number = Decimal(fraction.numerator) / Decimal(fraction.denominator)
        elif isinstance(value, (int, float, str)):
            number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        else:
            raise _Skip(f"{key_path(path)}: expected a number, got {json_type(value)}")
    except (InvalidOperation, ValueError, ZeroDivisionError):
        raise _Skip(f"{key_path(path)}: expected a number, got {json_type(value)}") from None
    if not number.is_finite():
        raise _Skip(f"{key_path(path)}: expected a finite number, got {json_type(value)}")
    return number


def _plain(value: Decimal) -> int | float:
    """A number for YAML: whole numbers without a decimal point."""
    return int(value) if value == value.to_integral_value() else float(value)


def _significant(value: Decimal, digits: int) -> tuple[Decimal, Decimal]:
    """The value to some significant digits, and half a unit of its last digit (2.7 and later)."""
    if value == 0:
        return value, Decimal(0)
    place = value.adjusted() - digits + 1
    rounded = value.quantize(Decimal(1).scaleb(place), rounding=ROUND_HALF_UP)
    place = rounded.adjusted() - digits + 1  # 9.996 to 3 digits is 10.0: one place up
    return rounded, Decimal(5).scaleb(place - 1)


def _decimal_places(value: Decimal, places: int) -> tuple[Decimal, Decimal]:
    """The value as jupyterquiz before 2.7 compared it: learners' numbers rounded to places."""
    return value, Decimal(5).scaleb(-places - 1)


def _precision(
    job: _Question, raw: Any, values: list[Decimal]
) -> Callable[[Decimal], tuple[Decimal, Decimal]]:
    """How precision widens a value: the meaning the bank's own values fit.

    jupyterquiz read ``precision`` as decimal places before 2.7 and as significant digits
    since. ``0`` can only mean decimal places (a whole number). Otherwise the meaning under
    which the right values are already rounded is used; when both fit and differ, the newer.
    """
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise _Skip(f"precision: expected a whole number, 0 or more, got {json_type(raw)}")
    if raw == 0:
        return lambda value: _decimal_places(value, 0)
    fits_places = all(value == round(value, raw) for value in values)
    fits_digits = all(_significant(value, raw)[0] == value for value in values)
    if fits_places and not fits_digits:
        return lambda value: _decimal_places(value, raw)
    if fits_places and fits_digits and values:
        job.note(
            ["precision"],
            "check",
            f"precision {raw} is read as significant digits (jupyterquiz 2.7 and later); "
            "before 2.7 it meant decimal places: check the tolerance",
        )
    return lambda value: _significant(value, raw)


@dataclass
class _Span:
    low: Decimal
    high: Decimal
    correct: bool
    feedback: str | None


def _numeric(job: _Question, data: Mapping[str, Any]) -> dict[str, Any]:
    read: list[tuple[Decimal | None, _Span]] = []  # each answer's value (None for a range)
    for index, entry in enumerate(_entries(data, "answers")):
        path: list[str | int] = ["answers", index]
        answer = _entry(entry, path)
        job.unknown_keys(answer, _NUMERIC_KEYS, path)
        feedback = (
            job.text(answer["feedback"], [*path, "feedback"])
            if answer.get("feedback") not in (None, "")
            else None
        )
        correct = _truthy(answer.get("correct"))
        if "value" in answer:
            number = _number(answer["value"], [*path, "value"])
            read.append((number, _Span(number, number, correct, feedback)))
        elif "range" in answer:
            ends = answer["range"]
            if not isinstance(ends, (list, tuple)) or len(ends) != 2:
                raise _Skip(
                    f"{key_path([*path, 'range'])}: expected [low, high], got {json_type(ends)}"
                )
            low, high = (_number(end, [*path, "range", i]) for i, end in enumerate(ends))
            if low > high:
                raise _Skip(
                    f"{key_path([*path, 'range'])}: expected the low end first, got "
                    f"[{_plain(low)}, {_plain(high)}]"
                )
            read.append((None, _Span(low, high, correct, feedback)))
        elif answer.get("type") == "default":
            if feedback:
                job.note(
                    [*path, "feedback"],
                    "dropped",
                    "feedback for any other answer has no counterpart here: learners see the "
                    "question's explanation",
                )
        else:
            raise _Skip(f"{key_path(path)}: expected a 'value', a 'range' or type 'default'")
    if "precision" in data:
        right = [number for number, span in read if number is not None and span.correct]
        widen = _precision(job, data["precision"], right)
        for value, span in read:
            if value is not None:
                centre, margin = widen(value)
                span.low, span.high = centre - margin, centre + margin
    return _numeric_fields(_merged([span for _, span in read]))


def _merged(spans: list[_Span]) -> list[_Span]:
    """Right spans that touch or overlap and carry the same feedback, made one ([0, 1) + [1, 2))."""
    merged: list[_Span] = []
    for span in spans:
        for other in merged:
            if (
                span.correct
                and other.correct
                and span.feedback == other.feedback
                and span.low <= other.high
                and other.low <= span.high
            ):
                other.low, other.high = min(other.low, span.low), max(other.high, span.high)
                break
        else:
            merged.append(_Span(span.low, span.high, span.correct, span.feedback))
    return merged


def _numeric_fields(spans: list[_Span]) -> dict[str, Any]:
    """Answer and tolerance from the first right span; the others as ranges, in bank order."""
    right = next((span for span in spans if span.correct), None)
    if right is None:
        raise _Skip("answers: expected at least 1 value or range with correct: true, got none")
    centre = (right.low + right.high) / 2
    fields: dict[str, Any] = {
        "type": "numeric",
        "answer": _plain(centre),
        "tolerance": _plain((right.high - right.low) / 2),
    }
    ranges = []
    for span in spans:
        if span is right and span.feedback is None:
            continue
        entry: dict[str, Any] = {"min": _plain(span.low), "max": _plain(span.high)}
        if span.correct:
            entry["correct"] = True
        if span.feedback is not None:
            entry["explanation"] = span.feedback
        ranges.append(entry)
    if ranges:
        fields["ranges"] = ranges
    return fields


def _string(job: _Question, data: Mapping[str, Any]) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    cases: set[bool] = set()
    thresholds: set[float] = set()
    for index, entry in enumerate(_entries(data, "answers")):
        path: list[str | int] = ["answers", index]
        answer = _entry(entry, path)
        job.unknown_keys(answer, _STRING_KEYS, path)
        if answer.get("type") == "default":
            if answer.get("feedback") not in (None, ""):
                job.note(
                    [*path, "feedback"],
                    "dropped",
                    "feedback for any other answer has no counterpart here: learners see the "
                    "question's explanation",
                )
            continue
        if answer.get("answer") in (None, ""):
            raise _Skip(f"{key_path(path)}: has no 'answer' text")
        choice: dict[str, Any] = {"text": job.text(answer["answer"], [*path, "answer"]).strip()}
        if _truthy(answer.get("correct")):
            choice["correct"] = True
        if answer.get("feedback") not in (None, ""):
            choice["explanation"] = job.text(answer["feedback"], [*path, "feedback"])
        cases.add(_truthy(answer.get("match_case")))
        if answer.get("fuzzy_threshold") not in (None, 0, False):
            threshold = _number(answer["fuzzy_threshold"], [*path, "fuzzy_threshold"])
            if not 0 < threshold <= 1:
                raise _Skip(
                    f"{key_path([*path, 'fuzzy_threshold'])}: expected a number above 0 and at "
                    f"most 1, got {_plain(threshold)}"
                )
            thresholds.add(float(threshold))
        answers.append(choice)
    if not any(choice.get("correct") for choice in answers):
        raise _Skip("answers: expected at least 1 answer with correct: true, got none")
    fields: dict[str, Any] = {"type": "short_text", "answers": answers}
    if cases == {True}:
        fields["match_case"] = True
    elif len(cases) > 1:
        job.note(
            ["answers"],
            "changed",
            "the answers disagree on match_case; here it is one setting per question: capital "
            "letters never count",
        )
    if thresholds:
        fields["fuzzy_threshold"] = min(thresholds)
        if len(thresholds) > 1:
            job.note(
                ["answers"],
                "changed",
                "the answers have different fuzzy_threshold values; here it is one per "
                "question: the most lenient is used",
            )
    return fields


def _matching(job: _Question, data: Mapping[str, Any]) -> dict[str, Any]:
    options = _entries(data, "options")
    targets: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index, option in enumerate(options):
        text = job.text(option, ["options", index])
        if text in seen:
            raise _Skip(f"options[{index}]: {text!r} is given again (options[{seen[text]}])")
        seen[text] = index
        targets.append({"text": text})
    pairs: list[dict[str, Any]] = []
    for index, entry in enumerate(_entries(data, "pairs")):
        path: list[str | int] = ["pairs", index]
        pair = _entry(entry, path)
        job.unknown_keys(pair, _PAIR_KEYS, path)
        label = job.text(pair.get("label", ""), [*path, "label"])
        if not label.strip():
            raise _Skip(f"{key_path(path)}: has no 'label' text")
        answer = pair.get("answer")
        if not isinstance(answer, (str, int, float)) or str(answer) not in seen:
            raise _Skip(
                f"{key_path([*path, 'answer'])}: expected one of the options, got "
                f"{json_type(answer)}"
            )
        pairs.append({"text": label, "match": seen[str(answer)]})
    return {"type": "matching", "pairs": pairs, "targets": targets}


_READERS: dict[str, Callable[[_Question, Mapping[str, Any]], dict[str, Any]]] = {
    "multiple_choice": _choice,
    "many_choice": _choice,
    "numeric": _numeric,
    "string": _string,
    "match": _matching,
    "drag_drop": _matching,
}
