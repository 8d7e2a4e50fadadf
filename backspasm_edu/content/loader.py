"""Load content: assemble files into a checked Library, cache it, and look things up by id.

The jobs are split by module: files (find and read), schema (validate), build (model objects),
checks (cross-checks) and library (the container). This module assembles them and is the
public way in; it re-exports what callers outside the content layer use.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from backspasm_edu.content.build import (
    build_glossary,
    build_quiz,
    build_scenario,
    build_sources,
    build_topic,
    build_treatments,
)
from backspasm_edu.content.checks import (
    Checker,
    add_heat_cold,
    add_plan,
    add_triggers,
    add_unique,
    build_triage,
    check_quiz,
    check_scenario,
    check_topic,
)
from backspasm_edu.content.files import (
    KINDS,
    YAML_SUFFIXES,
    ContentFile,
    Kind,
    packaged_files,
    parse_yaml,
    read_paths,
)
from backspasm_edu.content.library import Library
from backspasm_edu.content.model import (
    Quiz,
    Scenario,
    TriageTable,
)
from backspasm_edu.content.schema import schema_problems
from backspasm_edu.errors import ContentError, InputError, Problem, show_value
from backspasm_edu.settings import CONTENT_ENV

__all__ = [
    "KINDS",
    "ContentFile",
    "Kind",
    "Library",
    "assemble",
    "instructor_files",
    "load_content_file",
    "load_library",
    "load_quiz",
    "load_scenario",
    "load_triage_table",
    "packaged_files",
    "parse_yaml",
    "read_paths",
    "schema_problems",
    "validate_packaged",
    "validate_paths",
]

# --- assembling ---------------------------------------------------------------------------


def assemble(files: Sequence[ContentFile]) -> Library:
    """Validate and build every file, in dependency order, collecting all problems."""
    library = Library()
    parsed: dict[Kind, list[tuple[ContentFile, Any]]] = {kind: [] for kind in KINDS}
    for file in files:
        try:
            data = parse_yaml(file.text, file.name)
        except ContentError as error:
            library.problems.extend(error.problems)
            continue
        problems = schema_problems(data, file.kind, file.name)
        if problems:
            library.problems.extend(problems)
        else:
            parsed[file.kind].append((file, data))

    for file, data in parsed["sources"]:
        add_unique(
            Checker(library, file.name), library.sources, build_sources(data), "sources", "source"
        )
    for file, data in parsed["glossary"]:
        check = Checker(library, file.name)
        terms = build_glossary(data)
        add_unique(check, library.glossary, terms, "terms", "term")
        for index, term in enumerate(terms):
            check.sources(["terms", index, "sources"], term.sources)
    for file, data in parsed["topic"]:
        check = Checker(library, file.name)
        topic = build_topic(data)
        if topic.id in library.topics:
            check.add(["id"], f"expected each topic id once, got {topic.id!r} again")
        library.topics[topic.id] = topic
        check_topic(check, topic)
    for file, data in parsed["treatments"]:
        check = Checker(library, file.name)
        treatments = build_treatments(data)
        add_unique(check, library.treatments, treatments, "treatments", "treatment")
        for index, treatment in enumerate(treatments):
            check.sources(["treatments", index, "sources"], treatment.sources)
    triage_files = parsed["findings"][-1:], parsed["rules"][-1:]
    if all(triage_files):
        build_triage(library, triage_files[0][0], triage_files[1][0])
    for file, data in parsed["quiz"]:
        check = Checker(library, file.name)
        quiz = build_quiz(data)
        if quiz.id in library.quizzes:
            check.add(["id"], f"expected each quiz id once, got {quiz.id!r} again")
        check_quiz(check, quiz)
        library.quizzes[quiz.id] = quiz
    for file, data in parsed["scenario"]:
        check = Checker(library, file.name)
        scenario = build_scenario(data)
        if scenario.id in library.scenarios:
            check.add(["id"], f"expected each scenario id once, got {scenario.id!r} again")
        check_scenario(check, scenario, data)
        library.scenarios[scenario.id] = scenario
    for file, data in parsed["triggers"]:
        add_triggers(library, file, data)
    for file, data in parsed["heat_cold"]:
        add_heat_cold(library, file, data)
    for file, data in parsed["plan"]:
        add_plan(library, file, data)
    library.topics = dict(sorted(library.topics.items(), key=lambda item: item[1].order))
    return library


def _packaged(kinds: Iterable[Kind]) -> Library:
    wanted = set(kinds)
    library = assemble([file for file in packaged_files() if file.kind in wanted])
    if library.problems:
        raise ContentError(library.problems)
    return library


_INSTRUCTOR_KINDS: tuple[Kind, ...] = ("sources", "glossary", "topic", "quiz", "scenario")


def instructor_files() -> list[ContentFile]:
    """The files in $BACKSPASM_EDU_CONTENT (none when unset); unreadable ones raise ContentError.

    The triage rules stay the packaged ones: a findings or rules file here is refused.
    """
    folder = os.environ.get(CONTENT_ENV, "").strip()
    if not folder:
        return []
    files, problems = read_paths([folder])
    problems += [
        Problem(
            file.name,
            "",
            f"expected {', '.join(_INSTRUCTOR_KINDS)} in {CONTENT_ENV}, got {file.kind}: "
            "the apps always use the packaged triage rules",
        )
        for file in files
        if file.kind not in _INSTRUCTOR_KINDS
    ]
    if problems:
        raise ContentError(problems)
    return files


@functools.cache
def load_library() -> Library:
    """All packaged content plus an instructor's own ($BACKSPASM_EDU_CONTENT), checked, cached."""
    extra = instructor_files()
    if not extra:
        return _packaged(KINDS)
    library = assemble([*packaged_files(), *extra])
    if library.problems:
        raise ContentError(library.problems)
    return library


def load_content_file(path: str | Path, kind: Literal["quiz", "scenario"]) -> Any:
    """One quiz or scenario from an instructor's YAML file, validated like packaged content."""
    files, problems = read_paths([path])
    reference = [
        file
        for file in packaged_files()
        if file.kind in ("sources", "glossary", "topic", "findings", "rules")
    ]
    library = assemble(reference + files)
    problems += library.problems
    found = library.quizzes if kind == "quiz" else library.scenarios
    if not problems and len(found) != 1:
        problems.append(Problem(str(path), "", f"expected one {kind} in the file"))
    if problems:
        raise ContentError(problems)
    return next(iter(found.values()))


@functools.cache
def load_triage_table() -> TriageTable:
    """The packaged triage table (sources, findings, rules), cached; the whole library's if loaded.

    Instructor content never replaces the triage rules, so a loaded library has the same table,
    and reading it again would validate the same files twice (0.2 s in every app's kernel).
    """
    loaded = load_library.cache_info().currsize > 0
    table = (load_library() if loaded else _packaged(("sources", "findings", "rules"))).triage
    if table is None:
        raise ContentError([Problem("triage/", "", "expected findings.yaml and rules.yaml")])
    return table


def _pick(items: Mapping[str, Any], item_id: str, what: str) -> Any:
    if not isinstance(item_id, str) or item_id not in items:
        raise InputError(
            f"{what} id",
            f"one of {', '.join(items)}",
            show_value(item_id),
            _suggest_list(item_id, items),
        )
    return items[item_id]


def _suggest_list(value: object, known: Iterable[str]) -> list[str]:
    import difflib

    if not isinstance(value, str):
        return []
    return difflib.get_close_matches(value, list(known), n=2, cutoff=0.6)


def load_quiz(quiz_id: str) -> Quiz:
    """A quiz by id, or from a .yaml file path; an unknown id raises InputError listing the ids."""
    if quiz_id.endswith(YAML_SUFFIXES):
        from_file: Quiz = load_content_file(quiz_id, "quiz")
        return from_file
    quiz: Quiz = _pick(load_library().quizzes, quiz_id, "quiz")
    return quiz


def load_scenario(scenario_id: str) -> Scenario:
    """A scenario by id, or from a .yaml file path; an unknown id raises InputError."""
    if scenario_id.endswith(YAML_SUFFIXES):
        from_file: Scenario = load_content_file(scenario_id, "scenario")
        return from_file
    scenario: Scenario = _pick(load_library().scenarios, scenario_id, "scenario")
    return scenario


def validate_paths(paths: Sequence[str | Path]) -> tuple[int, list[Problem]]:
    """Validate an instructor's files against packaged sources, topics and triage vocabulary.

    Quizzes and scenarios are checked on their own; sources, glossary and topics given are
    added to the packaged ones; a findings.yaml or rules.yaml given replaces the packaged one.
    Returns the number of files read and every problem found.
    """
    files, problems = read_paths(paths)
    given_kinds = {file.kind for file in files}
    reference: list[ContentFile] = [
        file
        for file in packaged_files()
        if file.kind in ("sources", "glossary", "topic")
        or (file.kind in ("findings", "rules") and file.kind not in given_kinds)
    ]
    problems.extend(assemble(reference + files).problems)
    return len(files), problems


def validate_packaged() -> tuple[int, list[Problem]]:
    """Validate every packaged content file; returns the file count and the problems."""
    files = packaged_files()
    return len(files), assemble(files).problems
