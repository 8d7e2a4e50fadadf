"""Turn a ParsedBank from any reader into one of our quizzes: ids, topic, sources, checks, YAML.

The same for every format: question ids are made from prompts, choice, item, pair and target
ids from their text when a reader leaves them out; every question gets the instructor's topic
and source; each question is checked against our quiz schema on its own, so one our schema
refuses is skipped with the reason and the rest are kept. :func:`write_yaml` saves the quiz,
headed by the notes grouped so that an instructor reads a few lines.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backspasm_edu.content.schema import schema_problems
from backspasm_edu.errors import ContentError, InputError, Problem, show_value
from backspasm_edu.instructor.banks.files import write_new_file
from backspasm_edu.instructor.banks.gift import looks_like_gift, read_gift_bank
from backspasm_edu.instructor.banks.jupyterquiz import looks_like_jupyterquiz, read_jupyterquiz
from backspasm_edu.instructor.banks.moodle_xml import looks_like_moodle_xml, read_moodle_xml_bank
from backspasm_edu.instructor.banks.parsed import (
    ImportNote,
    NoteKind,
    ParsedBank,
    SkippedQuestion,
)

__all__ = [
    "BANK_FORMATS",
    "BankFormat",
    "ImportResult",
    "build_quiz",
    "read_banks",
    "write_yaml",
]

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ID_WORDS = "an id of lowercase letters, digits and _, starting with a letter"
_MAX_ID = 64
_KIND_ORDER: tuple[NoteKind, ...] = ("check", "changed", "dropped")


@dataclass(frozen=True)
class BankFormat:
    """One format ``import`` reads: its name, a test of a file's content, and its reader."""

    name: str
    recognises: Callable[[bytes, str], bool]
    """Whether a file's bytes (and name) are a bank of this format."""
    read: Callable[[bytes, str], list[ParsedBank]]
    """Every bank in the file; raises ContentError when the file is not such a bank at all."""


BANK_FORMATS: tuple[BankFormat, ...] = (
    BankFormat("jupyterquiz", looks_like_jupyterquiz, read_jupyterquiz),
    BankFormat("Moodle XML", looks_like_moodle_xml, read_moodle_xml_bank),
    BankFormat("GIFT", looks_like_gift, read_gift_bank),
)
"""The formats tried in order, by content; a new format's reader adds one line here."""


def read_banks(path: str | os.PathLike[str]) -> list[ParsedBank]:
    """Every bank in a file, read by the first format that recognises its content.

    Raises ContentError naming the file when it cannot be read or no format recognises it.
    """
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise ContentError(
            [Problem(name, "", "expected a question bank file, got a folder")]
        ) from None
    except FileNotFoundError:
        raise ContentError(
            [Problem(name, "", "expected a question bank file, but it does not exist")]
        ) from None
    except OSError as error:
        raise ContentError(
            [Problem(name, "", f"expected a readable file, got {error.strerror}")]
        ) from None
    for bank_format in BANK_FORMATS:
        if bank_format.recognises(data, name):
            return bank_format.read(data, name)
    known = ", ".join(bank_format.name for bank_format in BANK_FORMATS)
    raise ContentError(
        [Problem(name, "", f"expected a question bank ({known}), found none of these in it")]
    )


@dataclass(frozen=True)
class ImportResult:
    """An imported quiz as a plain mapping, ready to dump as YAML, with notes and skipped ones."""

    quiz: dict[str, Any]
    notes: tuple[ImportNote, ...]
    skipped: tuple[SkippedQuestion, ...]
    bank: str
    """The bank's name (its file, or the part of it), for the YAML header."""
    format: str

    def notes_of(self, kind: NoteKind) -> tuple[ImportNote, ...]:
        """The notes of one kind, in order."""
        return tuple(note for note in self.notes if note.kind == kind)

    def note_groups(self) -> list[str]:
        """The notes as a few lines: one per kind and message, naming every place it applies."""
        groups: dict[tuple[NoteKind, str], list[str]] = {}
        for note in self.notes:
            groups.setdefault((note.kind, note.message), []).append(note.path)
        ordered = sorted(groups.items(), key=lambda item: _KIND_ORDER.index(item[0][0]))
        return [
            f"[{kind}] {message} (at {_places(paths)})" if paths != [""] else f"[{kind}] {message}"
            for (kind, message), paths in ordered
        ]

    def to_yaml(self) -> str:
        """The quiz as YAML, headed by comments: the grouped notes and the skipped questions."""
        import yaml

        lines = [
            f"# Imported from the {self.format} bank {self.bank} by backspasm-edu.",
            "# Check it with: backspasm-edu validate THIS_FILE YOUR_sources.yaml",
        ]
        if self.notes:
            lines.append("# To look at:")
            lines.extend(f"#   {line}" for line in self.note_groups())
        if self.skipped:
            lines.append(f"# Not imported ({len(self.skipped)}):")
            lines.extend(f"#   {skipped}" for skipped in self.skipped)
        body = yaml.dump(
            self.quiz,
            Dumper=_dumper(),
            sort_keys=False,
            allow_unicode=True,
            width=96,
            default_flow_style=False,
        )
        return "\n".join(line.replace("\n", " ") for line in lines) + "\n" + body


def _places(paths: Sequence[str]) -> str:
    """Key paths, with ``questions[3].answers[1].feedback`` and the like listed in order."""
    unique = list(dict.fromkeys(paths))
    return ", ".join(unique)


def _dumper() -> type:
    """A safe YAML dumper that writes multi-line text as a readable block."""
    import yaml

    class BlockDumper(yaml.SafeDumper):
        """SafeDumper that writes text containing line breaks in the ``|`` style."""

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        block = "\n" in value and not re.search(r"[ \t]\n|\n[ \t]*\Z|^\s", value)
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if block else None)

    BlockDumper.add_representer(str, text)
    return BlockDumper


# --- ids ------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    """The lowercase ASCII words of a text, without its markup, maths and code."""
    plain = re.sub(r"<[^>]*>|\$[^$]*\$|\\[()\[\]]|```.*?```", " ", text, flags=re.DOTALL)
    plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", plain.lower())


def _slug(text: str, limit: int, prefix: str) -> str:
    """A readable id from text: lowercase ASCII words joined by _, cut at a word, a letter first."""
    words = _words(text)
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


def _with_ids(entries: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    """Entries each with an id: its own when valid, else one made from its text."""
    taken = {entry["id"] for entry in entries if isinstance(entry.get("id"), str)}
    result = []
    for entry in entries:
        if not isinstance(entry.get("id"), str):
            entry = {"id": _unique(_slug(str(entry.get("text", "")), 32, prefix), taken), **entry}
        result.append(entry)
    return result


def _question_with_ids(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The question's fields with ids on answers, items, targets and pairs.

    A pair's ``match`` may be a target's id, or its index in ``targets`` (readers that leave
    target ids out): it becomes the id.
    """
    question = dict(fields)
    for key, prefix in (("answers", "answer"), ("items", "item"), ("targets", "target")):
        if isinstance(question.get(key), list):
            question[key] = _with_ids([dict(entry) for entry in question[key]], prefix)
    if isinstance(question.get("pairs"), list):
        targets = question.get("targets", [])
        pairs = []
        for pair in _with_ids([dict(entry) for entry in question["pairs"]], "item"):
            match = pair.get("match")
            if isinstance(match, int) and not isinstance(match, bool) and 0 <= match < len(targets):
                pair["match"] = targets[match]["id"]
            pairs.append(pair)
        question["pairs"] = pairs
    return question


# --- building the quiz ----------------------------------------------------------------------


def _check_id(argument: str, value: object) -> str:
    if not isinstance(value, str) or not _ID.match(value) or len(value) > _MAX_ID:
        raise InputError(argument, f"{_ID_WORDS}, at most {_MAX_ID} long", show_value(value))
    return value


def _check_text(argument: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(argument, "some text", show_value(value))
    return value.strip()


def quiz_id_for(bank: ParsedBank) -> str:
    """A quiz id made from the bank's file name and, for one part of a file, the part."""
    path, _, part = bank.name.partition(" (")
    return _slug(f"{Path(path).stem} {part.rstrip(')')}", 48, "imported")


def build_quiz(
    bank: ParsedBank,
    *,
    source_id: str,
    topic: str,
    quiz_id: str | None = None,
    title: str | None = None,
    description: str | None = None,
) -> ImportResult:
    """Our quiz from a parsed bank: every question the schema accepts, the others skipped.

    Every question cites ``source_id`` and belongs to ``topic``. ``quiz_id`` and ``title``
    default to ones made from the bank's name (and title, if it has one). The quiz keeps the
    bank's order. Raises InputError for a bad argument; nothing is written (see write_yaml).
    """
    source_id = _check_id("source_id", source_id)
    topic = _check_id("topic", topic)
    quiz_id = _check_id("quiz_id", quiz_id if quiz_id is not None else quiz_id_for(bank))
    if title is None:
        made = bank.title or " ".join(re.sub(r"[_\-]", " ", Path(bank.name).stem).split())
        title = made[:1].upper() + made[1:] if made else quiz_id
    title = _check_text("title", title)
    description = _check_text(
        "description",
        description
        if description is not None
        else f"Questions imported from the {bank.format} bank {Path(bank.name).name}.",
    )
    questions: list[dict[str, Any]] = []
    notes = list(bank.notes)
    skipped = list(bank.skipped)
    taken: set[str] = set()
    for parsed in bank.questions:
        built = _question_with_ids(parsed.fields)
        kind, prompt = built.pop("type", None), built.pop("prompt", "")
        named = parsed.name if _words(parsed.name) else str(prompt)
        slug = _slug(named, 40, "question")
        question = {
            "id": _unique(slug, set(taken)),
            "type": kind,
            "topic": topic,
            "prompt": prompt,
            **built,
            "sources": [source_id],
        }
        problem = _schema_problem(question, bank.name)
        if problem:
            skipped.append(SkippedQuestion(parsed.number, parsed.where, _short(prompt), problem))
            continue
        taken.add(question["id"])
        place = f"questions[{len(questions)}]"
        notes.extend(_moved(note, place) for note in parsed.notes)
        questions.append(question)
    skipped.sort(key=lambda item: item.number)
    quiz: dict[str, Any] = {"id": quiz_id, "title": title, "description": description}
    if bank.text_format != "plain":
        quiz["text_format"] = bank.text_format
    quiz["shuffle_questions"] = False
    quiz["questions"] = questions
    return ImportResult(quiz, tuple(notes), tuple(skipped), bank.name, bank.format)


def _moved(note: ImportNote, place: str) -> ImportNote:
    """A question's note, its path made a path in the quiz."""
    path = (
        f"{place}.{note.path}" if note.path and not note.path.startswith("[") else place + note.path
    )
    return ImportNote(path, note.kind, note.message)


def _short(text: Any) -> str:
    words = " ".join(re.sub(r"<[^>]+>", " ", str(text)).split())
    return words if len(words) <= 60 else words[:57].rstrip() + "..."


def _schema_problem(question: dict[str, Any], name: str) -> str:
    """Why our schema refuses the question, in one line, or '' when it accepts it."""
    quiz = {"id": "check", "title": "Check", "description": "Check.", "questions": [question]}
    problems = schema_problems(quiz, "quiz", name)
    if not problems:
        return ""
    first = problems[0]
    path = first.path.removeprefix("questions[0]").lstrip(".")
    return f"{path}: {first.message}" if path else first.message


def write_yaml(result: ImportResult, dest: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write an imported quiz as YAML to ``dest`` and return its path.

    Refuses (InputError) a name not ending in .yaml or .yml, a folder, or an existing file unless
    ``force``. Missing parent folders are made; the file appears whole or not at all.
    """
    path = Path(dest)
    if path.suffix not in (".yaml", ".yml"):
        raise InputError("dest", "a file name ending in .yaml or .yml", show_value(str(path)))
    return write_new_file("dest", path, result.to_yaml().encode("utf-8"), force=force)
