"""Our quizzes out to an LMS: a packaged quiz or an instructor's YAML as Moodle XML or GIFT."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from backspasm_edu.content.model import Quiz, Source
from backspasm_edu.errors import ContentError, InputError, Problem, show_value

__all__ = ["EXPORT_FORMATS", "ExportedQuiz", "export_quiz", "format_for"]

EXPORT_FORMATS: dict[str, tuple[str, tuple[str, ...]]] = {
    "xml": ("Moodle XML", (".xml",)),
    "gift": ("GIFT", (".gift", ".txt")),
}
"""Each export format: its name for the instructor and the file name endings that choose it."""


@dataclass(frozen=True)
class ExportedQuiz:
    """A quiz written for an LMS: the file's bytes and what the format could not carry."""

    quiz: Quiz
    format_name: str
    data: bytes
    left_out: tuple[str, ...]


def format_for(out: str, given: str | None) -> str:
    """The export format: ``given``, else the one the output's ending names (.xml, .gift, .txt)."""
    if given is not None:
        if given not in EXPORT_FORMATS:
            raise InputError("--format", " or ".join(EXPORT_FORMATS), show_value(given))
        return given
    suffix = Path(out).suffix.lower()
    for key, (_name, suffixes) in EXPORT_FORMATS.items():
        if suffix in suffixes:
            return key
    raise InputError(
        "--out",
        "a file name ending in .xml (Moodle XML) or .gift or .txt (GIFT), or --format",
        show_value(out),
    )


def _quiz_and_sources(quiz: str, files: Sequence[str]) -> tuple[Quiz, dict[str, Source]]:
    """The quiz named by a YAML path (checked with ``files`` and the packaged content) or id."""
    from backspasm_edu.content.files import packaged_files, read_paths
    from backspasm_edu.content.loader import assemble, load_library

    if Path(quiz).suffix.lower() in (".yaml", ".yml") or Path(quiz).exists():
        found, problems = read_paths([quiz, *files])
        reference = [
            file
            for file in packaged_files()
            if file.kind in ("sources", "glossary", "topic", "findings", "rules")
        ]
        library = assemble(reference + found)
        problems += library.problems
        own = [file for file in found if file.kind == "quiz"]
        if not problems and len(own) != 1:
            problems.append(
                Problem(quiz, "", f"expected one quiz among the files given, got {len(own)}")
            )
        if problems:
            raise ContentError(problems)
        return next(iter(library.quizzes.values())), dict(library.sources)
    library = load_library()
    if quiz not in library.quizzes:
        raise InputError(
            "QUIZ",
            "a quiz YAML file or the id of a quiz here: " + ", ".join(sorted(library.quizzes)),
            show_value(quiz),
            difflib.get_close_matches(quiz, list(library.quizzes), n=1),
        )
    return library.quizzes[quiz], dict(library.sources)


def export_quiz(quiz: str, files: Sequence[str], export_format: str) -> ExportedQuiz:
    """The quiz as ``export_format`` ("xml" or "gift"), its sources cited in the feedback.

    ``quiz`` is a quiz YAML file (validated with ``files``: the instructor's sources or topics
    it uses, and the packaged content) or the id of a packaged quiz. Raises ContentError for a
    quiz that does not validate and InputError for a quiz or format that is not there.
    """
    chosen, sources = _quiz_and_sources(quiz, files)
    if export_format == "gift":
        from backspasm_edu.instructor.banks.gift import write_gift

        gift = write_gift(chosen, sources)
        return ExportedQuiz(chosen, "GIFT", gift.text.encode("utf-8"), gift.left_out)
    if export_format == "xml":
        from backspasm_edu.instructor.banks.moodle_xml import write_moodle_xml

        xml = write_moodle_xml(chosen, sources)
        return ExportedQuiz(chosen, "Moodle XML", xml.data, xml.left_out)
    raise InputError("--format", " or ".join(EXPORT_FORMATS), show_value(export_format))
