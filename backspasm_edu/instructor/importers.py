"""Import question banks from other tools: jupyterquiz JSON becomes a quiz in our own YAML.

jupyterquiz (github.com/jmshea/jupyterquiz) keeps a bank as a JSON list of questions of the
types ``multiple_choice``, ``many_choice``, ``numeric`` and ``string``, and in later versions
``match`` and ``drag_drop``. :func:`import_jupyterquiz` maps every field that has a counterpart
here and reports each one that has none, or that changes meaning, as an :class:`ImportNote`;
:func:`write_yaml` saves the result. A bank names no source and no topic, so the instructor gives
one of each for every question. Bad input raises ContentError naming the file, the key path,
the expected and the actual value; bad arguments raise InputError.

Why one long module: every jupyterquiz field and its note to the instructor sit together, so
the mapping reads in one place; it splits by format when other formats (GIFT, Moodle XML) come.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

from backspasm_edu.content.model import typed_form
from backspasm_edu.content.schema import json_type, key_path, schema_problems
from backspasm_edu.errors import ContentError, InputError, Problem, show_value

__all__ = [
    "JUPYTERQUIZ_TYPES",
    "ImportNote",
    "ImportResult",
    "import_jupyterquiz",
    "write_yaml",
]

JUPYTERQUIZ_TYPES: dict[str, str] = {
    "multiple_choice": "single_choice (multiple_answers when several answers are right)",
    "many_choice": "multiple_answers",
    "numeric": "numeric (one right value with a margin)",
    "string": "short_text",
    "match": "matching",
    "drag_drop": "matching",
}
"""The jupyterquiz question types this importer reads, and the type each becomes here."""

NoteKind = Literal["dropped", "changed", "check"]
"""``dropped``: not carried over; ``changed``: carried over in another form; ``check``: written
for the instructor to review (a source, a topic, an explanation made up from other fields)."""

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ID_WORDS = "an id of lowercase letters, digits and _, starting with a letter"
_MAX_ID = 64
_DEFAULT_ATTEMPTS = 2

_MARKUP: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an image", re.compile(r"<img\b|!\[[^\]]*\]\(", re.IGNORECASE)),
    ("LaTeX math ($...$)", re.compile(r"(?<!\\)\$")),
    ("HTML tags", re.compile(r"<(?!img\b)/?[a-zA-Z][^>]*>", re.IGNORECASE)),
    ("a Markdown link", re.compile(r"(?<!!)\[[^\]]+\]\([^)]+\)|<https?:[^>]+>")),
)


@dataclass(frozen=True)
class ImportNote:
    """One thing the instructor should know about an import, at a key path of the quiz.

    ``questions[2]`` is the bank's third question and the quiz's third question alike: the
    importer keeps the bank's order and every question.
    """

    path: str
    kind: NoteKind
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class ImportResult:
    """An imported quiz as a plain mapping, ready to dump as YAML, with the notes on it."""

    quiz: dict[str, Any]
    notes: tuple[ImportNote, ...]
    bank: str
    """The bank's file name (or the name given for data), for the YAML header."""

    def notes_of(self, kind: NoteKind) -> tuple[ImportNote, ...]:
        """The notes of one kind, in order."""
        return tuple(note for note in self.notes if note.kind == kind)

    def to_yaml(self) -> str:
        """The quiz as YAML text, headed by comments that list every note."""
        import yaml

        lines = [
            f"# Imported from the jupyterquiz bank {self.bank} by backspasm-edu.",
            "# Check it with: backspasm-edu validate THIS_FILE YOUR_sources.yaml",
        ]
        if self.notes:
            lines.append("# Import notes (dropped, changed, or to check):")
            lines.extend(f"#   [{note.kind}] {note}" for note in self.notes)
        body = yaml.dump(
            self.quiz,
            Dumper=_dumper(),
            sort_keys=False,
            allow_unicode=True,
            width=96,
            default_flow_style=False,
        )
        return "\n".join(lines) + "\n" + body


def _dumper() -> type:
    """A safe YAML dumper that writes multi-line text as a readable block."""
    import yaml

    class BlockDumper(yaml.SafeDumper):
        """SafeDumper that writes text containing line breaks in the ``|`` style."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    BlockDumper.add_representer(str, text)
    return BlockDumper


# --- reading the bank ---------------------------------------------------------------------


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys given more than once (the last one wins)."""

    repeated: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    keys = [key for key, _ in pairs]
    result.repeated = tuple(sorted({key for key in keys if keys.count(key) > 1}))
    return result


def _read_bank(path: Path) -> Any:
    name = str(path)
    if "\0" in name:
        raise ContentError([Problem(repr(name), "", "expected a file name, got a NUL character")])
    if path.is_dir():
        raise ContentError([Problem(name, "", "expected a JSON file, got a folder")])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ContentError(
            [Problem(name, "", "expected a JSON file, but it does not exist")]
        ) from None
    except OSError as error:
        raise ContentError(
            [Problem(name, "", f"expected a readable file, got {error.strerror}")]
        ) from None
    except UnicodeDecodeError as error:
        raise ContentError(
            [Problem(name, "", f"expected UTF-8 text, got {error.reason}")]
        ) from None
    try:
        return json.loads(text, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ContentError([Problem(name, where, f"expected valid JSON: {error.msg}")]) from None
    except RecursionError:
        raise ContentError(
            [Problem(name, "", "expected JSON nested a sane number of levels, got too many")]
        ) from None


# --- ids ----------------------------------------------------------------------------------


def _slug(text: str, limit: int, prefix: str) -> str:
    """A readable id from text: lowercase ASCII words joined by _, cut at a word, a letter first."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"<[^>]*>", " ", plain)
    words = re.findall(r"[a-z0-9]+", plain.lower())
    slug = ""
    for word in words:
        longer = f"{slug}_{word}" if slug else word
        if len(longer) > limit:
            break
        slug = longer
    if not slug and words:
        slug = words[0][:limit]
    if not slug:
        return prefix
    return slug if slug[0].isalpha() else f"{prefix}_{slug}"[:_MAX_ID]


def _unique(slug: str, taken: set[str]) -> str:
    """The slug, or the slug with _2, _3, ... when already taken; remembered as taken."""
    candidate, number = slug, 2
    while candidate in taken:
        suffix = f"_{number}"
        candidate = slug[: _MAX_ID - len(suffix)] + suffix
        number += 1
    taken.add(candidate)
    return candidate


# --- numbers ------------------------------------------------------------------------------


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _plain(value: Decimal) -> int | float:
    """A number for YAML: whole numbers without a decimal point."""
    return int(value) if value == value.to_integral_value() else float(value)


def _significant(value: Decimal, digits: int) -> tuple[Decimal, Decimal]:
    """The value rounded to some significant digits, and half a unit of the last digit kept.

    jupyterquiz (2.7 and later) rounds both the learner's number and the answer with
    JavaScript's ``toPrecision(digits)``: a number counts when it rounds to the same value.
    """
    if value == 0:
        return value, Decimal(0)
    place = value.adjusted() - digits + 1
    rounded = value.quantize(Decimal(1).scaleb(place), rounding=ROUND_HALF_UP)
    place = rounded.adjusted() - digits + 1  # 9.996 to 3 digits is 10.0: one place up
    return rounded, Decimal(5).scaleb(place - 1)


# --- the importer -------------------------------------------------------------------------


class _Importer:
    """Walks one bank, building the quiz and collecting problems and notes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.notes: list[ImportNote] = []

    # where things are: a bank path for problems, a quiz path for notes
    def problem(self, where: Sequence[str | int], message: str) -> None:
        self.problems.append(Problem(self.name, key_path(where), message))

    def note(self, where: Sequence[str | int], kind: NoteKind, message: str) -> None:
        self.notes.append(ImportNote(key_path(["questions", *where]), kind, message))

    # typed field access: None (and a problem) when a field is missing or of the wrong type
    def text(
        self, data: Mapping[str, Any], key: str, where: Sequence[str | int], required: bool = True
    ) -> str | None:
        """Text at a key; optional text that is empty counts as absent."""
        if key not in data:
            if required:
                self.problem([*where, key], "expected this key, but it is missing")
            return None
        value = data[key]
        if isinstance(value, str) and (value.strip() or not required):
            return value if value.strip() else None
        self.problem([*where, key], f"expected text, got {json_type(value)}")
        return None

    def flag(
        self, data: Mapping[str, Any], key: str, where: Sequence[str | int], required: bool = True
    ) -> bool | None:
        if key not in data:
            if required:
                self.problem([*where, key], "expected this key, but it is missing")
            return None
        value = data[key]
        if not isinstance(value, bool):
            self.problem([*where, key], f"expected true or false, got {json_type(value)}")
            return None
        return value

    def number(self, value: Any, where: Sequence[str | int]) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(where, f"expected a number, got {json_type(value)}")
            return None
        if not math.isfinite(value):
            self.problem(where, f"expected a finite number, got {value}")
            return None
        return _decimal(value)

    def mapping(
        self, value: Any, where: Sequence[str | int], what: str
    ) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.problem(where, f"expected {what} (a JSON object), got {json_type(value)}")
            return None
        for key in getattr(value, "repeated", ()):
            self.note(
                where,
                "check",
                f"the key {key!r} is given more than once: the last one is used, as in jupyterquiz",
            )
        return value

    def entries(
        self, data: Mapping[str, Any], key: str, where: Sequence[str | int], least: int
    ) -> list[Any]:
        if key not in data:
            self.problem([*where, key], "expected this key, but it is missing")
            return []
        value = data[key]
        if not isinstance(value, list):
            self.problem([*where, key], f"expected a list, got {json_type(value)}")
            return []
        if len(value) < least:
            noun = key[:-1] if least == 1 and key.endswith("s") else key
            self.problem([*where, key], f"expected at least {least} {noun}, got {len(value)}")
            return []
        return value

    def markup(self, text: str | None, where: Sequence[str | int]) -> None:
        if not text:
            return
        found = [words for words, pattern in _MARKUP if pattern.search(text)]
        if found:
            self.note(
                where,
                "check",
                f"contains {_and(found)}: our quizzes show text exactly as typed, so reword it",
            )

    def unknown(
        self, data: Mapping[str, Any], known: Iterable[str], where: Sequence[str | int], kind: str
    ) -> None:
        for key in data:
            if key not in known:
                self.note(
                    [*where, key],
                    "dropped",
                    f"not a jupyterquiz {kind} field this importer knows: ignored",
                )


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


_QUESTION_KEYS = {"question", "type", "code"}


def _prompt(job: _Importer, data: Mapping[str, Any], index: int) -> str | None:
    prompt = job.text(data, "question", [index])
    job.markup(prompt, [index, "question"])
    code = job.text(data, "code", [index], required=False)
    if prompt is not None and code is not None:
        job.note(
            [index, "code"],
            "changed",
            "our quizzes show no code blocks: the code is added to the end of the prompt as "
            "plain text; check that it reads well",
        )
        return f"{prompt}\n\n{code}"
    return prompt


def _explanation(job: _Importer, index: int, feedback: Iterable[str | None], right: str) -> str:
    """The question's explanation: the right answers' feedback, else the right answer itself."""
    unique = list(dict.fromkeys(text.strip() for text in feedback if text and text.strip()))
    if unique:
        explanation = " ".join(unique)
        if len(explanation.split()) < 4:
            job.note(
                [index, "explanation"],
                "check",
                f"taken from the right answer's feedback {explanation!r}: write one that says why",
            )
        return explanation
    explanation = f"The right answer: {right}."
    job.note(
        [index, "explanation"],
        "check",
        f"jupyterquiz has no explanation and no feedback on the right answer here: wrote "
        f"{explanation!r}; write one that says why",
    )
    return explanation


def _choice(job: _Importer, data: Mapping[str, Any], index: int, kind: str) -> dict[str, Any]:
    start = len(job.problems)
    job.unknown(data, {*_QUESTION_KEYS, "answers", "answer_cols"}, [index], kind)
    prompt = _prompt(job, data, index)
    if "answer_cols" in data:
        job.note([index, "answer_cols"], "dropped", "answers in columns are not supported")
    raw = job.entries(data, "answers", [index], least=2)
    answers: list[dict[str, Any]] = []
    right_feedback: list[str | None] = []
    taken: set[str] = set()
    for a_index, entry in enumerate(raw):
        where: list[str | int] = [index, "answers", a_index]
        answer = job.mapping(entry, where, "an answer")
        if answer is None:
            continue
        job.unknown(
            answer, {"answer", "code", "correct", "feedback", "hide", "answer_cols"}, where, kind
        )
        words = job.text(answer, "answer", where, required=False)
        code = job.text(answer, "code", where, required=False)
        correct = job.flag(answer, "correct", where)
        feedback = job.text(answer, "feedback", where, required=False)
        job.markup(words, [*where, "answer"])
        job.markup(feedback, [*where, "feedback"])
        if code is not None:
            job.note([*where, "code"], "changed", "code is shown as plain text in the answer")
        if "hide" in answer:
            job.note(
                [*where, "hide"],
                "dropped",
                "our quizzes always tell whether a pick is right: hide is not supported",
            )
        if "answer_cols" in answer:
            job.note([*where, "answer_cols"], "dropped", "answers in columns are not supported")
        text = " ".join(part for part in (words, code) if part)
        if not text and "answer" not in answer and "code" not in answer:
            job.problem(where, "expected an 'answer' or 'code' key, got neither")
        elif not text:
            blank = "answer" if "answer" in answer else "code"
            job.problem([*where, blank], f"expected text, got {json_type(answer[blank])}")
        if not text or correct is None:
            continue
        choice: dict[str, Any] = {"id": _unique(_slug(text, 32, "answer"), taken), "text": text}
        if correct:
            choice["correct"] = True
            right_feedback.append(feedback)
        if feedback:
            choice["explanation"] = feedback
        answers.append(choice)
    if len(job.problems) > start or prompt is None:
        return {}
    right = [choice for choice in answers if choice.get("correct")]
    if not right:
        job.problem([index, "answers"], "expected at least 1 answer with correct: true, got 0")
        return {}
    our_type = "multiple_answers" if kind == "many_choice" or len(right) > 1 else "single_choice"
    if kind == "multiple_choice" and len(right) > 1:
        job.note(
            [index, "type"],
            "changed",
            f"a multiple_choice question with {len(right)} right answers becomes "
            "multiple_answers, as jupyterquiz itself treats it",
        )
    return {
        "type": our_type,
        "prompt": prompt,
        "answers": answers,
        "explanation": _explanation(
            job, index, right_feedback, "; ".join(choice["text"] for choice in right)
        ),
    }


def _numeric(job: _Importer, data: Mapping[str, Any], index: int, kind: str) -> dict[str, Any]:
    start = len(job.problems)
    job.unknown(data, {*_QUESTION_KEYS, "answers", "precision"}, [index], kind)
    prompt = _prompt(job, data, index)
    precision = data.get("precision")
    digits: int | None = None
    if "precision" in data:
        if isinstance(precision, bool) or not isinstance(precision, int) or precision < 1:
            job.problem(
                [index, "precision"],
                f"expected a whole number of significant digits, 1 or more, got "
                f"{json_type(precision)}",
            )
        else:
            digits = precision
    raw = job.entries(data, "answers", [index], least=1)
    # value, margin, the answer in words, its feedback, its index in the bank
    right: list[tuple[Decimal, Decimal, str, str | None, int]] = []
    wrong: list[tuple[Decimal, Decimal, str, str | None, int]] = []
    ranges: dict[int, tuple[Decimal, Decimal]] = {}  # the ends of each range, by answer index
    for a_index, entry in enumerate(raw):
        where: list[str | int] = [index, "answers", a_index]
        answer = job.mapping(entry, where, "an answer")
        if answer is None:
            continue
        job.unknown(answer, {"type", "value", "range", "correct", "feedback"}, where, kind)
        feedback = job.text(answer, "feedback", where, required=False)
        job.markup(feedback, [*where, "feedback"])
        if "value" in answer:
            value = job.number(answer["value"], [*where, "value"])
            correct = job.flag(answer, "correct", where)
            if value is None or correct is None:
                continue
            words = f"{_plain(value)}"
            margin = Decimal(0)
            if digits is not None:
                value, margin = _significant(value, digits)
            (right if correct else wrong).append((value, margin, words, feedback, a_index))
        elif "range" in answer:
            ends = answer["range"]
            correct = job.flag(answer, "correct", where)
            if not isinstance(ends, list) or len(ends) != 2:
                job.problem(
                    [*where, "range"], f"expected a list of 2 numbers, got {json_type(ends)}"
                )
                continue
            low = job.number(ends[0], [*where, "range", 0])
            high = job.number(ends[1], [*where, "range", 1])
            if low is None or high is None or correct is None:
                continue
            if not low < high:
                job.problem(
                    [*where, "range"],
                    f"expected the low end below the high end, got [{_plain(low)}, {_plain(high)}]",
                )
                continue
            middle, margin = (low + high) / 2, (high - low) / 2
            words = f"{_plain(low)} to {_plain(high)}"
            (right if correct else wrong).append((middle, margin, words, feedback, a_index))
            ranges[a_index] = (low, high)
        elif answer.get("type") == "default":
            if feedback:
                job.note(
                    [*where, "feedback"],
                    "dropped",
                    "feedback for any other answer is not supported: our numeric questions "
                    "give the explanation once the question closes",
                )
        elif answer:
            job.problem(
                where,
                "expected an answer with a 'value', a 'range' or \"type\": \"default\", got "
                f"the keys {', '.join(sorted(answer))}",
            )
        else:
            job.problem(where, "expected an answer with a 'value', a 'range' or a type, got {}")
    if len(job.problems) > start or prompt is None:
        return {}
    if not right:
        job.problem(
            [index, "answers"], "expected at least 1 value or range with correct: true, got 0"
        )
        return {}
    number, margin, _, feedback, chosen = right[0]
    words = f"{_plain(number)} ± {_plain(margin)}" if margin else f"{_plain(number)}"
    if chosen in ranges:
        low, high = ranges[chosen]
        job.note(
            [index, "answers", chosen, "range"],
            "changed",
            f"the range [{_plain(low)}, {_plain(high)}) becomes {words}: {_plain(high)} itself "
            "now counts too",
        )
        if digits is not None:
            job.note(
                [index, "precision"],
                "dropped",
                "precision does not round answers compared with a range here",
            )
    elif digits is not None and margin:
        job.note(
            [index, "precision"],
            "changed",
            f"precision {digits} (significant digits, as jupyterquiz 2.7 and later reads it) "
            f"becomes a margin of ±{_plain(margin)} around {_plain(number)}; older jupyterquiz "
            "read it as decimal places: check the margin",
        )
    for _, _, other_words, _, other_index in right[1:]:
        job.note(
            [index, "answers", other_index],
            "dropped",
            f"another right answer ({other_words}) is not supported: our numeric questions "
            f"take one right value with a margin, here {words}",
        )
    for value, width, other_words, other_feedback, other_index in wrong:
        if other_feedback:
            job.note(
                [index, "answers", other_index, "feedback"],
                "dropped",
                f"feedback for the wrong answer {other_words} is not supported: our numeric "
                "questions give no feedback on particular wrong answers",
            )
        if value - width <= number + margin and number - margin <= value + width:
            job.note(
                [index, "answers", other_index],
                "check",
                f"the wrong answer {other_words} overlaps the right answer {words}, which "
                "now counts there",
            )
    question: dict[str, Any] = {
        "type": "numeric",
        "prompt": prompt,
        "answer": _plain(number),
        "tolerance": _plain(margin),
        "explanation": _explanation(job, index, [feedback], f"{_plain(number)}"),
    }
    return question


def _string(job: _Importer, data: Mapping[str, Any], index: int, kind: str) -> dict[str, Any]:
    start = len(job.problems)
    job.unknown(data, {*_QUESTION_KEYS, "answers", "input_width"}, [index], kind)
    prompt = _prompt(job, data, index)
    if "input_width" in data:
        job.note([index, "input_width"], "dropped", "the width of the answer box is not set")
    raw = job.entries(data, "answers", [index], least=1)
    typed: list[tuple[int, str, bool, str | None, bool]] = []
    for a_index, entry in enumerate(raw):
        where: list[str | int] = [index, "answers", a_index]
        answer = job.mapping(entry, where, "an answer")
        if answer is None:
            continue
        keys = {"type", "answer", "correct", "feedback", "match_case", "fuzzy_threshold"}
        job.unknown(answer, keys, where, kind)
        feedback = job.text(answer, "feedback", where, required=False)
        job.markup(feedback, [*where, "feedback"])
        if answer.get("type") == "default" and "answer" not in answer:
            if feedback:
                job.note(
                    [*where, "feedback"],
                    "dropped",
                    "feedback for any other answer is not supported: our short-text questions "
                    "give the explanation once the question closes",
                )
            continue
        text = job.text(answer, "answer", where)
        correct = job.flag(answer, "correct", where)
        match_case = job.flag(answer, "match_case", where, required=False)
        job.markup(text, [*where, "answer"])
        if "fuzzy_threshold" in answer:
            job.note(
                [*where, "fuzzy_threshold"],
                "dropped",
                f"fuzzy matching (threshold {show_value(answer['fuzzy_threshold'])}) is not "
                "supported: only exact answers count, spaces and capitals aside; add likely "
                "misspellings as more accepted answers",
            )
        if text is None or correct is None:
            continue
        typed.append((a_index, text.strip(), correct, feedback, bool(match_case)))
    if len(job.problems) > start or prompt is None:
        return {}
    cases = {entry[4] for entry in typed}
    match_case = cases == {True}
    if len(cases) > 1:
        job.note(
            [index, "answers"],
            "changed",
            "the answers disagree on match_case; ours is one setting per question: capital "
            "letters now never count",
        )
    answers: list[dict[str, Any]] = []
    right_feedback: list[str | None] = []
    forms: dict[str, int] = {}
    taken: set[str] = set()
    for a_index, text, correct, feedback, _ in typed:
        form = typed_form(text, match_case)
        if form in forms:
            job.note(
                [index, "answers", a_index],
                "dropped",
                f"{text!r} is the same answer as answers[{forms[form]}] once spaces and "
                "capitals are set aside: jupyterquiz used the first, and so do we",
            )
            continue
        forms[form] = a_index
        choice: dict[str, Any] = {"id": _unique(_slug(text, 32, "answer"), taken), "text": text}
        if correct:
            choice["correct"] = True
            right_feedback.append(feedback)
        if feedback:
            choice["explanation"] = feedback
        answers.append(choice)
    accepted = [choice["text"] for choice in answers if choice.get("correct")]
    if not accepted:
        job.problem([index, "answers"], "expected at least 1 answer with correct: true, got 0")
        return {}
    question: dict[str, Any] = {"type": "short_text", "prompt": prompt, "answers": answers}
    if match_case:
        question["match_case"] = True
    question["explanation"] = _explanation(job, index, right_feedback, " or ".join(accepted))
    return question


def _matching(job: _Importer, data: Mapping[str, Any], index: int, kind: str) -> dict[str, Any]:
    start = len(job.problems)
    keys = {*_QUESTION_KEYS, "pairs", "options", "shuffle_pairs", "shuffle_options"}
    job.unknown(data, keys, [index], kind)
    prompt = _prompt(job, data, index)
    for key in ("shuffle_pairs", "shuffle_options"):
        if key in data:
            job.note(
                [index, key],
                "dropped",
                "the quiz's shuffle_answers setting decides whether targets are shuffled",
            )
    if kind == "drag_drop":
        job.note(
            [index, "type"],
            "changed",
            "drag and drop becomes matching: learners pick each item's match from a list",
        )
    options = job.entries(data, "options", [index], least=2)
    targets: list[dict[str, Any]] = []
    target_ids: dict[str, str] = {}
    taken: set[str] = set()
    for o_index, option in enumerate(options):
        where: list[str | int] = [index, "options", o_index]
        if not isinstance(option, str) or not option.strip():
            job.problem(where, f"expected text, got {json_type(option)}")
        elif option in target_ids:
            job.problem(where, f"expected each option once, got {option!r} again")
        else:
            job.markup(option, where)
            target_ids[option] = _unique(_slug(option, 32, "target"), taken)
            targets.append({"id": target_ids[option], "text": option})
    pairs: list[dict[str, Any]] = []
    labels: set[str] = set()
    pair_taken: set[str] = set()
    for p_index, entry in enumerate(job.entries(data, "pairs", [index], least=2)):
        where = [index, "pairs", p_index]
        pair = job.mapping(entry, where, "a pair")
        if pair is None:
            continue
        job.unknown(pair, {"label", "answer"}, where, kind)
        label = job.text(pair, "label", where)
        answer = job.text(pair, "answer", where)
        job.markup(label, [*where, "label"])
        if label is None or answer is None:
            continue
        if label in labels:
            job.problem([*where, "label"], f"expected each label once, got {label!r} again")
            continue
        labels.add(label)
        if answer not in target_ids:
            job.problem(
                [*where, "answer"], f"expected one of the options, got {show_value(answer)}"
            )
            continue
        pair_id = _unique(_slug(label, 32, "item"), pair_taken)
        pairs.append({"id": pair_id, "text": label, "match": target_ids[answer]})
    if len(job.problems) > start or prompt is None:
        return {}
    right = "; ".join(
        f"{pair['text']} → {next(t['text'] for t in targets if t['id'] == pair['match'])}"
        for pair in pairs
    )
    return {
        "type": "matching",
        "prompt": prompt,
        "pairs": pairs,
        "targets": targets,
        "explanation": _explanation(job, index, [], right),
    }


_BUILDERS = {
    "multiple_choice": _choice,
    "many_choice": _choice,
    "numeric": _numeric,
    "string": _string,
    "match": _matching,
    "drag_drop": _matching,
}


def _check_id(argument: str, value: object) -> str:
    if not isinstance(value, str) or not _ID.match(value) or len(value) > _MAX_ID:
        raise InputError(argument, f"{_ID_WORDS}, at most {_MAX_ID} long", show_value(value))
    return value


def _check_text(argument: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(argument, "some text", show_value(value))
    return value.strip()


def import_jupyterquiz(
    bank: str | os.PathLike[str] | Sequence[Mapping[str, Any]],
    *,
    source_id: str,
    topic: str,
    quiz_id: str | None = None,
    title: str | None = None,
    description: str | None = None,
    name: str | None = None,
) -> ImportResult:
    """Read a jupyterquiz question bank and return it as one of our quizzes, with notes.

    ``bank`` is the path of a JSON file, or the already-parsed list of questions (then ``name``
    names it in messages). Every question cites ``source_id`` (an id from the instructor's
    sources.yaml, or a packaged source) and belongs to ``topic``. ``quiz_id`` and ``title``
    default to ones made from the file name (data without a name needs ``quiz_id``, and the
    title is then made from it). Ids of questions and answers are made from their text, the
    same for the same bank, with _2, _3 added to repeats.

    The quiz keeps the bank's order (``shuffle_questions: false``) and every question;
    ``ImportResult.notes`` reports each field dropped, each one carried over in another form,
    and what the instructor should check.

    Raises ContentError listing every problem in the bank (file, key path, expected, actual)
    and InputError for a bad argument. Nothing is written: see :func:`write_yaml`.
    """
    source_id = _check_id("source_id", source_id)
    topic = _check_id("topic", topic)
    if isinstance(bank, (str, os.PathLike)):
        path = Path(bank)
        label = name or str(path)
        data = _read_bank(path)
        stem = path.stem
    elif isinstance(bank, Sequence) and not isinstance(bank, (str, bytes)):
        label = name or "<questions>"
        data, stem = list(bank), Path(name).stem if name else ""
    else:
        raise InputError(
            "bank", "the path of a JSON file or a list of question objects", show_value(bank)
        )
    if quiz_id is None and stem:
        quiz_id = _slug(stem, 48, "imported")
    quiz_id = _check_id("quiz_id", quiz_id)
    if title is None:
        made = " ".join((stem or quiz_id).replace("_", " ").replace("-", " ").split())
        title = made[:1].upper() + made[1:]
    title = _check_text("title", title)
    job = _Importer(label)
    if not isinstance(data, list):
        kind = "a mapping" if isinstance(data, Mapping) else json_type(data)
        raise ContentError(
            [Problem(label, "", f"expected a list of questions (a JSON array), got {kind}")]
        )
    if not data:
        raise ContentError([Problem(label, "", "expected at least 1 question, got 0")])
    questions: list[dict[str, Any]] = []
    taken: set[str] = set()
    for index, entry in enumerate(data):
        before = len(job.problems)
        item = job.mapping(entry, [index], "a question")
        if item is None:
            continue
        if "type" not in item:
            job.problem([index, "type"], "expected this key, but it is missing")
            continue
        kind_value = item["type"]
        if not isinstance(kind_value, str) or kind_value not in _BUILDERS:
            words = ", ".join(f'"{known}"' for known in _BUILDERS)
            job.problem([index, "type"], f"expected one of {words}, got {json_type(kind_value)}")
            continue
        built = _BUILDERS[kind_value](job, item, index, kind_value)
        if len(job.problems) > before or not built:
            continue
        question_id = _unique(_slug(built["prompt"], 40, "question"), taken)
        questions.append(
            {
                "id": question_id,
                "type": built.pop("type"),
                "topic": topic,
                "prompt": built.pop("prompt"),
                **built,
                "sources": [source_id],
            }
        )
    if job.problems:
        raise ContentError(job.problems)
    quiz: dict[str, Any] = {
        "id": quiz_id,
        "title": title,
        "description": _check_text(
            "description",
            description
            if description is not None
            else f"Questions imported from the jupyterquiz bank {Path(label).name}.",
        ),
        "shuffle_questions": False,
        "questions": questions,
    }
    notes = _quiz_notes(source_id, topic, description is None) + sorted(job.notes, key=_place)
    schema = schema_problems(quiz, "quiz", label)
    if schema:  # a mapping this module made is invalid: say so rather than write it
        raise ContentError(schema)
    return ImportResult(quiz=quiz, notes=tuple(notes), bank=Path(label).name)


def _place(note: ImportNote) -> tuple[int, ...]:
    """A note's place: by question, then question-wide before each answer in order."""
    return tuple(int(number) for number in re.findall(r"\[(\d+)\]", note.path))


def _quiz_notes(source_id: str, topic: str, made_description: bool) -> list[ImportNote]:
    """Notes on choices made for the whole quiz."""
    from backspasm_edu.content.loader import load_library

    library = load_library()
    notes = [
        ImportNote(
            "questions",
            "check",
            f"every question cites the source {source_id!r} and belongs to the topic {topic!r}, "
            "as given on import (jupyterquiz banks name neither): check each question",
        ),
        ImportNote(
            "shuffle_questions",
            "changed",
            "false: jupyterquiz keeps the bank's order unless told to shuffle",
        ),
        ImportNote(
            "attempts",
            "changed",
            f"jupyterquiz lets learners try again without limit; this quiz allows "
            f"{_DEFAULT_ATTEMPTS} tries per question (set attempts, up to 5, to change it); "
            "a question with only two answers, such as true/false, always gets one",
        ),
    ]
    if made_description:
        notes.append(
            ImportNote("description", "check", "written for you: describe the quiz in a sentence")
        )
    if source_id not in library.sources:
        notes.append(
            ImportNote(
                "questions",
                "check",
                f"{source_id!r} is not a packaged source: list it in your sources.yaml and "
                "validate the quiz together with that file",
            )
        )
    if topic not in library.topics:
        notes.append(
            ImportNote(
                "questions",
                "check",
                f"{topic!r} is not a packaged topic: give your topic file when you validate, "
                f"or use one of {', '.join(library.topics)}",
            )
        )
    return notes


def write_yaml(result: ImportResult, dest: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write an imported quiz as YAML to ``dest`` and return its path.

    Refuses (InputError) a name not ending in .yaml or .yml, a folder, or an existing file unless
    ``force``. Missing parent folders are made; the file appears whole or not at all.
    """
    path = Path(dest)
    if path.suffix not in (".yaml", ".yml"):
        raise InputError("dest", "a file name ending in .yaml or .yml", show_value(str(path)))
    if path.is_dir():
        raise InputError("dest", "a file name, not a folder", show_value(str(path)))
    if path.exists() and not force:
        raise InputError(
            "dest",
            "a file that does not exist yet (force=True, or --force, replaces it)",
            f"{show_value(str(path))}, which exists",
        )
    text = result.to_yaml()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", text=True)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        raise InputError(
            "dest", "a file that can be written", f"{show_value(str(path))} ({error.strerror})"
        ) from None
    return path
