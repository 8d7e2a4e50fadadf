"""Find and read content files: the packaged ones through importlib.resources, or paths."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from backspasm_edu.errors import ContentError, Problem

Kind = Literal[
    "sources",
    "glossary",
    "topic",
    "treatments",
    "findings",
    "rules",
    "quiz",
    "scenario",
    "triggers",
    "heat_cold",
    "plan",
]
KINDS: tuple[Kind, ...] = get_args(Kind)
"""Every kind of content file, in the order the loader assembles them."""
_KIND_BY_FILE_NAME: dict[str, Kind] = {
    "sources": "sources",
    "glossary": "glossary",
    "treatments": "treatments",
    "findings": "findings",
    "rules": "rules",
    "triggers": "triggers",
    "heat_cold": "heat_cold",
    "plan": "plan",
}
_KIND_BY_FOLDER: dict[str, Kind] = {"topics": "topic", "quizzes": "quiz", "scenarios": "scenario"}
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ContentFile:
    """The text of one content file, with the name used in messages and its kind."""

    name: str
    text: str
    kind: Kind


# --- reading files ------------------------------------------------------------------------


@functools.cache
def _yaml_loader() -> type:
    """A safe YAML loader that refuses repeated keys and keeps dates as plain text."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class UniqueKeyLoader(base):  # type: ignore[misc, valid-type]
        """Safe loader that rejects a key given twice in one mapping."""

    def construct_mapping(loader: Any, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        mapping: dict[Any, Any] = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
        return mapping

    def construct_text(loader: Any, node: Any) -> str:
        text: str = loader.construct_scalar(node)
        return text

    UniqueKeyLoader.add_constructor(
        yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping
    )
    UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", construct_text)
    return UniqueKeyLoader


def parse_yaml(text: str, name: str) -> Any:
    """Parse YAML text, raising ContentError naming the file, line and column on failure."""
    import yaml

    try:
        return yaml.load(text, Loader=_yaml_loader())  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "not valid YAML"
        raise ContentError([Problem(name, where, f"expected valid YAML: {problem}")]) from None
    except yaml.YAMLError as error:
        raise ContentError([Problem(name, "", f"expected valid YAML: {error}")]) from None


def _packaged_root() -> Any:
    return resources.files("backspasm_edu").joinpath("content")


def _kind_of(name: str, folder: str, data: object) -> Kind | None:
    stem = name.rsplit(".", 1)[0]
    if stem in _KIND_BY_FILE_NAME:
        return _KIND_BY_FILE_NAME[stem]
    if folder in _KIND_BY_FOLDER:
        return _KIND_BY_FOLDER[folder]
    if isinstance(data, Mapping):
        for key, kind in (("questions", "quiz"), ("nodes", "scenario"), ("sections", "topic")):
            if key in data:
                return kind  # type: ignore[return-value]
    return None


@functools.cache
def packaged_files() -> tuple[ContentFile, ...]:
    """Every content file shipped in the package, in dependency order."""
    found: list[ContentFile] = []

    def walk(folder: Any, prefix: str) -> None:
        for entry in sorted(folder.iterdir(), key=lambda item: item.name):
            if entry.is_dir():
                walk(entry, f"{prefix}{entry.name}/")
            elif entry.name.endswith(YAML_SUFFIXES):
                kind = _kind_of(entry.name, prefix.rstrip("/").rsplit("/", 1)[-1], None)
                if kind is not None:
                    text = entry.read_text(encoding="utf-8")
                    found.append(ContentFile(f"{prefix}{entry.name}", text, kind))

    walk(_packaged_root(), "")
    return tuple(sorted(found, key=lambda file: (KINDS.index(file.kind), file.name)))


def read_paths(paths: Sequence[str | Path]) -> tuple[list[ContentFile], list[Problem]]:
    """Read an instructor's content files and folders, working out each file's kind."""
    files: list[ContentFile] = []
    problems: list[Problem] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES)
            if not candidates:
                problems.append(
                    Problem(str(path), "", "expected a folder with .yaml files, found none")
                )
        elif path.is_file():
            candidates = [path]
        else:
            problems.append(
                Problem(str(path), "", "expected a file or folder, but it does not exist")
            )
            continue
        for candidate in candidates:
            name = str(candidate)
            try:
                text = candidate.read_text(encoding="utf-8")
                data = parse_yaml(text, name)
            except UnicodeDecodeError as error:
                problems.append(Problem(name, "", f"expected UTF-8 text, got {error.reason}"))
                continue
            except ContentError as error:
                problems.extend(error.problems)
                continue
            kind = _kind_of(candidate.name, candidate.parent.name, data)
            if kind is None:
                problems.append(
                    Problem(
                        name,
                        "",
                        "expected a quiz (with 'questions'), a scenario (with 'nodes'), a topic "
                        f"(with 'sections') or a file named {'/'.join(_KIND_BY_FILE_NAME)}.yaml; "
                        "cannot tell what this file is",
                    )
                )
                continue
            files.append(ContentFile(name, text, kind))
    return files, problems
