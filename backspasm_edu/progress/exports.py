"""Progress export files: read a learner's downloaded JSON back into checked records."""

from __future__ import annotations

import json

from backspasm_edu.errors import show_value
from backspasm_edu.progress.identity import clean_name
from backspasm_edu.progress.store import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    RECORD_COLUMNS,
    RECORD_FIELD_TYPES,
    ProgressError,
    Record,
)


def read_export(data: bytes, name: str = "progress file") -> list[Record]:
    """The records of an export file; anything else raises ProgressError naming what is wrong."""
    return read_export_and_names(data, name)[0]


def read_export_and_names(
    data: bytes, name: str = "progress file"
) -> tuple[list[Record], dict[str, str]]:
    """The records of an export file and the names its learners gave (older files have none)."""
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProgressError(
            f"{name}: expected a JSON progress file, got bytes that are not text"
        ) from None
    except json.JSONDecodeError as error:
        raise ProgressError(
            f"{name}: expected a JSON progress file, got invalid JSON ({error.msg} at line "
            f"{error.lineno})"
        ) from None
    except (ValueError, RecursionError):  # a number of thousands of digits, lists nested deep
        raise ProgressError(
            f"{name}: expected a JSON progress file, got JSON with numbers too long or lists "
            "nested too deep to be progress"
        ) from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        got = document.get("format") if isinstance(document, dict) else type(document).__name__
        raise ProgressError(f"{name}: format: expected {EXPORT_FORMAT!r}, got {show_value(got)}")
    if document.get("version") != EXPORT_VERSION:
        raise ProgressError(
            f"{name}: version: expected {EXPORT_VERSION}, got {show_value(document.get('version'))}"
        )
    entries = document.get("records")
    if not isinstance(entries, list):
        raise ProgressError(f"{name}: records: expected a list, got {show_value(entries)}")
    names = document.get("names", {})
    if not isinstance(names, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in names.items()
    ):
        raise ProgressError(
            f"{name}: names: expected a mapping of learner keys to names, got {show_value(names)}"
        )
    records = [
        _record_from(entry, f"{name}: records[{index}]") for index, entry in enumerate(entries)
    ]
    return records, {key: clean_name(value) for key, value in names.items()}


def _record_from(entry: object, where: str) -> Record:
    if not isinstance(entry, dict):
        raise ProgressError(f"{where}: expected an object, got {show_value(entry)}")
    missing = [column for column in RECORD_COLUMNS if column not in entry]
    if missing:
        raise ProgressError(f"{where}: expected the field {missing[0]!r}, got none")
    unknown = sorted(set(entry) - set(RECORD_COLUMNS))
    if unknown:
        raise ProgressError(f"{where}.{unknown[0]}: expected no such field, got one")
    for column, kinds in RECORD_FIELD_TYPES.items():
        value = entry[column]
        if not isinstance(value, kinds) or isinstance(value, bool):
            raise ProgressError(
                f"{where}.{column}: expected {kinds[0].__name__}, got {show_value(value)}"
            )
    checks: list[tuple[str, bool, str]] = [
        ("activity", entry["activity"] in ("quiz", "scenario"), "'quiz' or 'scenario'"),
        ("action", entry["action"] in ("answer", "back"), "'answer' or 'back'"),
        ("correct", entry["correct"] in (None, True, False), "true, false or null"),
        ("finishes", isinstance(entry["finishes"], bool), "true or false"),
        (
            "score",
            entry["score"] is None
            or (isinstance(entry["score"], (int, float)) and not isinstance(entry["score"], bool)),
            "a number or null",
        ),
        (
            "seed",
            entry["seed"] is None
            or (isinstance(entry["seed"], int) and not isinstance(entry["seed"], bool)),
            "a whole number or null",
        ),
        ("topic", entry["topic"] is None or isinstance(entry["topic"], str), "text or null"),
    ]
    for column, ok, expected in checks:
        if not ok:
            raise ProgressError(
                f"{where}.{column}: expected {expected}, got {show_value(entry[column])}"
            )
    return Record(**entry)
