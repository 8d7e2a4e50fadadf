"""Validate content against its JSON Schema, with problems in a reader's words and key paths."""

from __future__ import annotations

import functools
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from backspasm_edu.content.files import Kind
from backspasm_edu.errors import Problem, show_value

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError


# --- schema validation --------------------------------------------------------------------


_SLOW_OPTIONAL_MODULE = "rfc3987_syntax"


def _import_jsonschema() -> None:
    """Import jsonschema without its optional IRI format checker, unless already imported.

    jsonschema imports rfc3987_syntax when it is installed (Jupyter's jsonschema extras bring
    it), and that module builds Lark grammars at import: about 0.7 s, most of the first content
    load. Our schemas are checked without a FormatChecker, so that checker is never used. The
    block lasts for this import only, and nothing is blocked where jsonschema is already loaded.
    """
    if "jsonschema" in sys.modules or _SLOW_OPTIONAL_MODULE in sys.modules:
        return
    sys.modules[_SLOW_OPTIONAL_MODULE] = None  # type: ignore[assignment]
    try:
        import jsonschema  # noqa: F401
    finally:
        del sys.modules[_SLOW_OPTIONAL_MODULE]


@functools.cache
def _validators() -> dict[str, Draft202012Validator]:
    _import_jsonschema()
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    folder = resources.files("backspasm_edu").joinpath("content").joinpath("schemas")
    schemas = {
        entry.name.removesuffix(".json"): json.loads(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas.values()
    )
    return {
        name: Draft202012Validator(schema, registry=registry)
        for name, schema in schemas.items()
        if name != "common"
    }


def key_path(parts: Iterable[str | int]) -> str:
    """Render a key path like ``questions[3].answers``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_JSON_TYPE_WORDS = {
    "object": "a mapping (key: value lines)",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "nothing",
}
_PATTERN_WORDS = {
    "^[a-z][a-z0-9_]*$": "an id of lowercase letters, digits and _, starting with a letter",
    "^https://": "a web address starting with https://",
    "^\\d{4}-\\d{2}-\\d{2}$": "a date written YYYY-MM-DD",
}


def json_type(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {show_value(value)}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _noun(path: Sequence[str | int], count: int) -> str:
    name = next((part for part in reversed(path) if isinstance(part, str)), "items")
    if count == 1 and name.endswith("s"):
        name = name[:-1]
    return name


def _at(data: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        data = data[part]
    return data


def _schema_problem(error: ValidationError, data: Any, name: str) -> Problem:
    path = list(error.absolute_path)
    value: Any = error.instance
    expected: Any = error.validator_value
    schema: Any = error.schema
    validator: Any = error.validator
    match validator:
        case "required":
            # jsonschema reports each missing key on its own, in a message led by the key.
            missing = [key for key in expected if key not in value]
            key = next((k for k in missing if error.message.startswith(repr(k))), missing[0])
            return Problem(name, key_path([*path, key]), "expected this key, but it is missing")
        case "additionalProperties":
            allowed = sorted(schema.get("properties", {}))
            extra = sorted(key for key in value if key not in allowed)
            message = f"expected one of the keys {', '.join(allowed)}; got unknown key"
            return Problem(name, key_path([*path, str(extra[0])]), f"{message} {extra[0]!r}")
        case "type":
            kinds = expected if isinstance(expected, list) else [expected]
            words = " or ".join(_JSON_TYPE_WORDS.get(kind, str(kind)) for kind in kinds)
            return Problem(name, key_path(path), f"expected {words}, got {json_type(value)}")
        case "minItems" | "maxItems":
            bound = "at least" if validator == "minItems" else "at most"
            noun = _noun(path, expected)
            return Problem(
                name, key_path(path), f"expected {bound} {expected} {noun}, got {len(value)}"
            )
        case "enum" | "const":
            options = expected if validator == "enum" else [expected]
            words = ", ".join(json.dumps(option) for option in options)
            return Problem(name, key_path(path), f"expected one of {words}, got {json_type(value)}")
        case "pattern":
            words = _PATTERN_WORDS.get(expected, f"text matching {expected}")
            return Problem(name, key_path(path), f"expected {words}, got {json_type(value)}")
        case "minimum" | "maximum":
            bound = "at least" if validator == "minimum" else "at most"
            return Problem(
                name, key_path(path), f"expected a number {bound} {expected}, got {value}"
            )
        case "exclusiveMinimum" | "exclusiveMaximum":
            bound = "above" if validator == "exclusiveMinimum" else "below"
            return Problem(
                name, key_path(path), f"expected a number {bound} {expected}, got {value}"
            )
        case "minLength":
            return Problem(name, key_path(path), f"expected text, got {json_type(value)}")
        case "uniqueItems":
            repeated = next(item for item, n in Counter(map(json.dumps, value)).items() if n > 1)
            return Problem(name, key_path(path), f"expected no repeats, got {repeated} twice")
        case "minProperties" | "maxProperties":
            return Problem(name, key_path(path), f"expected exactly one key, got {len(value)}")
        case None if schema is False:
            # jsonschema leaves the key off the path here: find it in the owning mapping.
            owner = _at(data, path)
            key = next(k for k, v in owner.items() if v is value)
            kind = owner.get("type")
            what = f"a {kind} question" if kind else "this place"
            return Problem(name, key_path([*path, key]), f"expected no {key!r} key in {what}")
    return Problem(name, key_path(path), error.message)


def schema_problems(data: Any, kind: Kind, name: str) -> list[Problem]:
    """Check data against the schema of its kind; an empty list means it is valid."""
    validator = _validators()[kind]
    errors = sorted(validator.iter_errors(data), key=lambda error: list(map(str, error.path)))
    return [_schema_problem(error, data, name) for error in errors]
