"""Read content through importlib.resources, validate it against schemas, cross-check ids, cache."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from backspasm_edu.content.model import (
    AllOf,
    AnyOf,
    CareLevel,
    Case,
    Choice,
    Compare,
    Condition,
    Ending,
    Fact,
    Finding,
    FindingGroup,
    FirstEpisode,
    GlossaryTerm,
    Habit,
    HasFinding,
    HeatColdGuide,
    HeatColdPhase,
    Item,
    LevelInfo,
    Node,
    Pair,
    Patient,
    Placement,
    PlanGroup,
    PlanItem,
    PlanMenu,
    Question,
    Quiz,
    Rule,
    Scenario,
    ScenarioChoice,
    Section,
    Source,
    Topic,
    Treatment,
    TriageTable,
    Trigger,
    TriggerTable,
    most_urgent,
    typed_form,
)
from backspasm_edu.errors import ContentError, InputError, Problem, show_value
from backspasm_edu.settings import CONTENT_ENV

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError

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
KINDS: tuple[Kind, ...] = (
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
)
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
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class ContentFile:
    """The text of one content file, with the name used in messages and its kind."""

    name: str
    text: str
    kind: Kind


@dataclass
class Library:
    """All content that loaded, keyed by id, plus the problems found on the way."""

    sources: dict[str, Source] = field(default_factory=dict)
    glossary: dict[str, GlossaryTerm] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    treatments: dict[str, Treatment] = field(default_factory=dict)
    triage: TriageTable | None = None
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    triggers: TriggerTable | None = None
    heat_cold: HeatColdGuide | None = None
    plan: PlanMenu | None = None
    problems: list[Problem] = field(default_factory=list)


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
            elif entry.name.endswith(_YAML_SUFFIXES):
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
            candidates = sorted(p for p in path.rglob("*") if p.suffix in _YAML_SUFFIXES)
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


def _json_type(value: object) -> str:
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
            return Problem(name, key_path(path), f"expected {words}, got {_json_type(value)}")
        case "minItems" | "maxItems":
            bound = "at least" if validator == "minItems" else "at most"
            noun = _noun(path, expected)
            return Problem(
                name, key_path(path), f"expected {bound} {expected} {noun}, got {len(value)}"
            )
        case "enum" | "const":
            options = expected if validator == "enum" else [expected]
            words = ", ".join(json.dumps(option) for option in options)
            return Problem(
                name, key_path(path), f"expected one of {words}, got {_json_type(value)}"
            )
        case "pattern":
            words = _PATTERN_WORDS.get(expected, f"text matching {expected}")
            return Problem(name, key_path(path), f"expected {words}, got {_json_type(value)}")
        case "minimum" | "maximum":
            bound = "at least" if validator == "minimum" else "at most"
            return Problem(
                name, key_path(path), f"expected a number {bound} {expected}, got {value}"
            )
        case "minLength":
            return Problem(name, key_path(path), f"expected text, got {_json_type(value)}")
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


# --- building model objects (data already matches its schema) -----------------------------


def _strings(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(value) for value in values)


def _build_sources(data: Mapping[str, Any]) -> list[Source]:
    return [
        Source(
            id=entry["id"],
            name=entry["name"],
            title=entry["title"],
            url=entry["url"],
            accessed=str(entry["accessed"]),
            publisher=entry.get("publisher", ""),
        )
        for entry in data["sources"]
    ]


def _build_glossary(data: Mapping[str, Any]) -> list[GlossaryTerm]:
    return [
        GlossaryTerm(
            id=entry["id"],
            term=entry["term"],
            meaning=entry["meaning"],
            sources=_strings(entry["sources"]),
            also=_strings(entry.get("also", ())),
        )
        for entry in data["terms"]
    ]


def _build_topic(data: Mapping[str, Any]) -> Topic:
    return Topic(
        id=data["id"],
        order=data["order"],
        title=data["title"],
        summary=data["summary"],
        gives_care_advice=data.get("gives_care_advice", False),
        sections=tuple(
            Section(
                heading=section["heading"],
                facts=tuple(
                    Fact(
                        text=fact["text"],
                        sources=_strings(fact["sources"]),
                        defines=_strings(fact.get("defines", ())),
                        evidence_note=fact.get("evidence_note", ""),
                    )
                    for fact in section["facts"]
                ),
            )
            for section in data["sections"]
        ),
    )


def _build_treatments(data: Mapping[str, Any]) -> list[Treatment]:
    return [
        Treatment(
            id=entry["id"],
            name=entry["name"],
            what_it_is=entry["what_it_is"],
            evidence=entry["evidence"],
            verdict=entry["verdict"],
            summary=entry["summary"],
            sources=_strings(entry["sources"]),
            cautions=entry.get("cautions", ""),
            prescription_only=entry.get("prescription_only", False),
        )
        for entry in data["treatments"]
    ]


def build_condition(data: Mapping[str, Any]) -> Condition:
    """Turn a condition mapping from the rule table into a Condition object."""
    ((key, value),) = data.items()
    if key == "finding":
        return HasFinding(value)
    if key == "age_at_least":
        return Compare("age", "at_least", value)
    if key == "age_below":
        return Compare("age", "below", value)
    if key == "days_since_onset_at_least":
        return Compare("days_since_onset", "at_least", value)
    if key == "first_episode":
        return FirstEpisode(value)
    parts = tuple(build_condition(part) for part in value)
    return AllOf(parts) if key == "all" else AnyOf(parts)


def _build_question(data: Mapping[str, Any]) -> Question:
    kind = data["type"]
    return Question(
        id=data["id"],
        type=kind,
        topic=data["topic"],
        prompt=data["prompt"],
        explanation=data["explanation"],
        sources=_strings(data["sources"]),
        attempts=data.get("attempts"),
        answers=tuple(
            Choice(a["id"], a["text"], a.get("correct", False), a.get("explanation", ""))
            for a in data.get("answers", ())
        ),
        truth=data["answer"] if kind == "true_false" else None,
        number=float(data["answer"]) if kind == "numeric" else None,
        tolerance=float(data.get("tolerance", 0)),
        unit=data.get("unit", ""),
        match_case=data.get("match_case", False),
        items=tuple(Item(i["id"], i["text"]) for i in data.get("items", ())),
        pairs=tuple(Pair(p["id"], p["text"], p["match"]) for p in data.get("pairs", ())),
        targets=tuple(Item(t["id"], t["text"]) for t in data.get("targets", ())),
    )


def _build_quiz(data: Mapping[str, Any]) -> Quiz:
    return Quiz(
        id=data["id"],
        title=data["title"],
        description=data["description"],
        questions=tuple(_build_question(question) for question in data["questions"]),
        attempts=data.get("attempts", 2),
        shuffle_questions=data.get("shuffle_questions", True),
        shuffle_answers=data.get("shuffle_answers", True),
    )


def _build_scenario(data: Mapping[str, Any]) -> Scenario:
    patient = data["patient"]
    nodes: dict[str, Node] = {}
    for node in data["nodes"]:
        ending = node.get("ending")
        nodes.setdefault(
            node["id"],
            Node(
                id=node["id"],
                text=node["text"],
                findings=_strings(node.get("findings", ())),
                days_since_onset=node.get("days_since_onset"),
                choices=tuple(
                    ScenarioChoice(c["id"], c["text"], c["to"], c["feedback"], c["rating"])
                    for c in node.get("choices", ())
                ),
                ending=Ending(
                    outcome=ending["outcome"],
                    care_level=CareLevel(ending["care_level"]),
                    teaching_points=_strings(ending["teaching_points"]),
                    sources=_strings(ending["sources"]),
                )
                if ending
                else None,
            ),
        )
    return Scenario(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        patient=Patient(
            name=patient["name"],
            age=patient["age"],
            days_since_onset=patient["days_since_onset"],
            first_episode=patient.get("first_episode", True),
        ),
        start=data["start"],
        nodes=nodes,
    )


def _build_fact(data: Mapping[str, Any]) -> Fact:
    return Fact(text=data["text"], sources=_strings(data["sources"]))


def _build_habit(data: Mapping[str, Any]) -> Habit:
    return Habit(data["id"], data["label"], _strings(data["triggers"]), data.get("finding", ""))


def _build_trigger(data: Mapping[str, Any]) -> Trigger:
    evidence = data.get("evidence")
    return Trigger(
        id=data["id"],
        name=data["name"],
        about=_build_fact(data["about"]),
        prevent=_build_fact(data["prevent"]),
        evidence=_build_fact(evidence) if evidence else None,
    )


def _build_phase(data: Mapping[str, Any]) -> HeatColdPhase:
    return HeatColdPhase(
        id=data["id"],
        from_hour=data["from_hour"],
        title=data["title"],
        tip=_build_fact(data["tip"]),
        not_shown=_build_fact(data["not_shown"]),
    )


def _build_heat_cold(data: Mapping[str, Any]) -> HeatColdGuide:
    return HeatColdGuide(
        max_hours=data["max_hours"],
        phases=tuple(_build_phase(phase) for phase in data["phases"]),
        shown=tuple(_build_fact(fact) for fact in data["shown"]),
        choice=_build_fact(data["choice"]),
        safety=tuple(_build_fact(fact) for fact in data["safety"]),
    )


# --- cross-checks -------------------------------------------------------------------------


class _Checker:
    """Collects problems for one file against the ids known so far."""

    def __init__(self, library: Library, name: str) -> None:
        self.library = library
        self.name = name

    def add(self, path: Sequence[str | int], message: str) -> None:
        self.library.problems.append(Problem(self.name, key_path(path), message))

    def unique(self, path: Sequence[str | int], ids: Sequence[str], what: str) -> None:
        """Report each id that appears more than once, at its second place."""
        for value, count in Counter(ids).items():
            if count > 1:
                second = [i for i, other in enumerate(ids) if other == value][1]
                self.add(
                    [*path, second, "id"],
                    f"expected each {what} id once, got {value!r} {count} times",
                )

    def sources(self, path: Sequence[str | int], ids: Iterable[str]) -> None:
        for index, source in enumerate(ids):
            if source not in self.library.sources:
                self.add(
                    [*path, index],
                    f"expected a source id from sources.yaml, got {source!r}"
                    + _suggest(source, self.library.sources),
                )

    def known(self, path: Sequence[str | int], value: str, known: Iterable[str], what: str) -> None:
        known = list(known)
        if value not in known:
            self.add(path, f"expected {what}, got {value!r}" + _suggest(value, known))


def _suggest(value: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, list(known), n=2, cutoff=0.6)
    return f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""


def _add_unique(
    check: _Checker, target: dict[str, Any], items: Sequence[Any], path: str, what: str
) -> None:
    for index, item in enumerate(items):
        if item.id in target:
            check.add([path, index, "id"], f"expected each {what} id once, got {item.id!r} again")
        else:
            target[item.id] = item


def _check_topic(check: _Checker, topic: Topic) -> None:
    for s_index, section in enumerate(topic.sections):
        for f_index, fact in enumerate(section.facts):
            path: list[str | int] = ["sections", s_index, "facts", f_index]
            check.sources([*path, "sources"], fact.sources)
            for d_index, term in enumerate(fact.defines):
                check.known(
                    [*path, "defines", d_index], term, check.library.glossary, "a glossary term id"
                )


def _build_triage(
    library: Library,
    findings_file: tuple[ContentFile, Any],
    rules_file: tuple[ContentFile, Any],
) -> None:
    (f_file, f_data), (r_file, r_data) = findings_file, rules_file
    fcheck, rcheck = _Checker(library, f_file.name), _Checker(library, r_file.name)
    groups = tuple(FindingGroup(g["id"], g["title"], g["help"]) for g in f_data["groups"])
    findings: dict[str, Finding] = {}
    for index, entry in enumerate(f_data["findings"]):
        finding = Finding(
            id=entry["id"],
            group=entry["group"],
            label=entry["label"],
            meaning=entry["meaning"],
            help=entry["help"],
            placements=tuple(
                Placement(p["source"], CareLevel(p["level"])) for p in entry["placements"]
            ),
        )
        if finding.id in findings:
            fcheck.add(
                ["findings", index, "id"],
                f"expected each finding id once, got {finding.id!r} again",
            )
        findings[finding.id] = finding
        fcheck.known(
            ["findings", index, "group"], finding.group, (g.id for g in groups), "a group id"
        )
        fcheck.sources(["findings", index, "placements"], (p.source for p in finding.placements))
    fcheck.unique(["groups"], [g.id for g in groups], "group")

    levels = {}
    for index, entry in enumerate(r_data["levels"]):
        level = CareLevel(entry["id"])
        if level in levels:
            rcheck.add(
                ["levels", index, "id"], f"expected each care level once, got {level.value!r} again"
            )
        levels[level] = LevelInfo(level, entry["title"], entry["action"])
    rules: list[Rule] = []
    for index, entry in enumerate(r_data["rules"]):
        rule = Rule(
            id=entry["id"],
            when=build_condition(entry["when"]),
            level=CareLevel(entry["level"]),
            reason=entry["reason"],
            sources=_strings(entry["sources"]),
        )
        rules.append(rule)
        rcheck.sources(["rules", index, "sources"], rule.sources)
        for finding_id in sorted(rule.when.finding_ids()):
            rcheck.known(
                ["rules", index, "when"], finding_id, findings, "a finding id from findings.yaml"
            )
    rcheck.unique(["rules"], [rule.id for rule in rules], "rule")

    for finding in findings.values():
        own = [(i, rule) for i, rule in enumerate(rules) if rule.finding == finding.id]
        if not own:
            rcheck.add(["rules"], f"expected a rule for finding {finding.id!r} alone, found none")
            continue
        index, rule = own[0]
        if rule.level != finding.level:
            rcheck.add(
                ["rules", index, "level"],
                f"expected {finding.level.value!r}, the most urgent level the sources give "
                f"{finding.id!r}, got {rule.level.value!r}",
            )
        missing = sorted({p.source for p in finding.placements} - set(rule.sources))
        if missing:
            rcheck.add(
                ["rules", index, "sources"],
                f"expected every source that places {finding.id!r}, missing {', '.join(missing)}",
            )
    library.triage = TriageTable(
        notice=r_data["notice"],
        safety_net=r_data["safety_net"],
        levels=levels,
        groups=groups,
        findings=findings,
        rules=tuple(rules),
    )


def _check_quiz(check: _Checker, quiz: Quiz) -> None:
    check.unique(["questions"], [q.id for q in quiz.questions], "question")
    for index, question in enumerate(quiz.questions):
        path: list[str | int] = ["questions", index]
        check.sources([*path, "sources"], question.sources)
        check.known([*path, "topic"], question.topic, check.library.topics, "a topic id")
        for field_name, entries in (
            ("answers", question.answers),
            ("items", question.items),
            ("pairs", question.pairs),
            ("targets", question.targets),
        ):
            check.unique([*path, field_name], [entry.id for entry in entries], field_name[:-1])
        right = sum(choice.correct for choice in question.answers)
        if question.type == "single_choice" and right != 1:
            check.add([*path, "answers"], f"expected exactly 1 correct answer, got {right}")
        if question.type in ("multiple_answers", "short_text") and right < 1:
            check.add([*path, "answers"], "expected at least 1 correct answer, got 0")
        if question.type == "short_text":
            _check_typed_answers(check, path, question)
        targets = [target.id for target in question.targets]
        for p_index, pair in enumerate(question.pairs):
            check.known([*path, "pairs", p_index, "match"], pair.match, targets, "a target id")


def _check_typed_answers(check: _Checker, path: list[str | int], question: Question) -> None:
    """Each short-text answer must be typeable and differ from the others as learners type it."""
    seen: dict[str, str] = {}
    ignored = "spaces ignored" if question.match_case else "spaces and capital letters ignored"
    for index, answer in enumerate(question.answers):
        form = typed_form(answer.text, question.match_case)
        if not form:
            check.add(
                [*path, "answers", index, "text"],
                f"expected text a learner can type, got {show_value(answer.text)}",
            )
        elif form in seen:
            check.add(
                [*path, "answers", index, "text"],
                f"expected each answer text once ({ignored}), got {answer.text!r} "
                f"after {seen[form]!r}",
            )
        else:
            seen[form] = answer.text


def _reachable(scenario: Scenario) -> set[str]:
    seen: set[str] = set()
    todo = [scenario.start]
    while todo:
        node_id = todo.pop()
        if node_id in seen or node_id not in scenario.nodes:
            continue
        seen.add(node_id)
        todo.extend(choice.to for choice in scenario.nodes[node_id].choices)
    return seen


def _check_scenario(check: _Checker, scenario: Scenario, data: Mapping[str, Any]) -> None:
    node_ids = [node["id"] for node in data["nodes"]]
    check.unique(["nodes"], node_ids, "node")
    check.known(["start"], scenario.start, scenario.nodes, "a node id")
    triage = check.library.triage
    structure_ok = True
    for index, node_id in enumerate(node_ids):
        node = scenario.nodes[node_id]
        path: list[str | int] = ["nodes", index]
        if node.choices and node.ending:
            check.add(path, "expected choices or an ending, got both")
            structure_ok = False
        if not node.choices and not node.ending:
            check.add(path, "expected choices or an ending, got neither (a dead end)")
            structure_ok = False
        check.unique([*path, "choices"], [c.id for c in node.choices], "choice")
        for c_index, choice in enumerate(node.choices):
            if choice.to not in scenario.nodes:
                check.known(
                    [*path, "choices", c_index, "to"], choice.to, scenario.nodes, "a node id"
                )
                structure_ok = False
        if node.ending:
            check.sources([*path, "ending", "sources"], node.ending.sources)
        if triage is not None:
            for f_index, finding in enumerate(node.findings):
                check.known([*path, "findings", f_index], finding, triage.findings, "a finding id")
    reachable = _reachable(scenario)
    for index, node_id in enumerate(node_ids):
        if node_id not in reachable:
            check.add(
                ["nodes", index],
                f"expected every node reachable from the start, {node_id!r} is not",
            )
    if structure_ok and triage is not None and scenario.start in scenario.nodes:
        for ending_id, case, level in _unsafe_endings(scenario, triage):
            index = node_ids.index(ending_id)
            check.add(
                ["nodes", index, "ending", "care_level"],
                f"expected at least {level.value!r}: a path reaches this ending with findings "
                f"{', '.join(sorted(case.findings)) or 'none'} (age {case.age}, "
                f"day {case.days_since_onset}), got "
                f"{scenario.nodes[ending_id].ending.care_level.value!r}",  # type: ignore[union-attr]
            )


def _unsafe_endings(scenario: Scenario, triage: TriageTable) -> list[tuple[str, Case, CareLevel]]:
    """Every (ending, case, level) where a path's triage level beats the ending's care level."""
    patient = scenario.patient
    start = Case(patient.age, patient.days_since_onset, patient.first_episode)
    unsafe: dict[str, tuple[str, Case, CareLevel]] = {}
    seen: set[tuple[str, Case]] = set()
    todo: list[tuple[str, Case]] = [(scenario.start, start)]
    while todo:
        node_id, case = todo.pop()
        node = scenario.nodes[node_id]
        case = Case(
            case.age,
            node.days_since_onset if node.days_since_onset is not None else case.days_since_onset,
            case.first_episode,
            case.findings | frozenset(node.findings),
        )
        if (node_id, case) in seen:
            continue
        seen.add((node_id, case))
        if node.ending is not None:
            level = most_urgent(tuple(r.level for r in triage.rules if r.when.holds(case)))
            if level.urgency > node.ending.care_level.urgency:
                unsafe.setdefault(node_id, (node_id, case, level))
        todo.extend((choice.to, case) for choice in node.choices)
    return list(unsafe.values())


def _add_triggers(library: Library, file: ContentFile, data: Mapping[str, Any]) -> None:
    check = _Checker(library, file.name)
    caveat = _build_fact(data["caveat"])
    habits = [_build_habit(habit) for habit in data["habits"]]
    triggers = [_build_trigger(trigger) for trigger in data["triggers"]]
    check.unique(["habits"], [habit.id for habit in habits], "habit")
    check.unique(["triggers"], [trigger.id for trigger in triggers], "trigger")
    check.sources(["caveat", "sources"], caveat.sources)
    findings = library.triage.findings if library.triage else {}
    for index, habit in enumerate(habits):
        for t_index, trigger_id in enumerate(habit.triggers):
            check.known(
                ["habits", index, "triggers", t_index],
                trigger_id,
                (trigger.id for trigger in triggers),
                "a trigger id",
            )
        if habit.finding:
            check.known(
                ["habits", index, "finding"],
                habit.finding,
                findings,
                "a finding id from findings.yaml",
            )
    picked = {trigger_id for habit in habits for trigger_id in habit.triggers}
    for index, trigger in enumerate(triggers):
        for part in ("about", "prevent", "evidence"):
            fact = getattr(trigger, part)
            if fact is not None:
                check.sources(["triggers", index, part, "sources"], fact.sources)
        if trigger.id not in picked:
            check.add(
                ["triggers", index, "id"],
                f"expected every trigger to be named by a habit, {trigger.id!r} is not",
            )
    library.triggers = TriggerTable(
        caveat=caveat,
        habits={habit.id: habit for habit in habits},
        triggers={trigger.id: trigger for trigger in triggers},
    )


def _add_heat_cold(library: Library, file: ContentFile, data: Mapping[str, Any]) -> None:
    check = _Checker(library, file.name)
    guide = _build_heat_cold(data)
    check.unique(["phases"], [phase.id for phase in guide.phases], "phase")
    previous = -1
    for index, phase in enumerate(guide.phases):
        path: list[str | int] = ["phases", index]
        if index == 0 and phase.from_hour != 0:
            check.add(
                [*path, "from_hour"], f"expected 0 for the first phase, got {phase.from_hour}"
            )
        elif phase.from_hour <= previous:
            check.add(
                [*path, "from_hour"],
                f"expected an hour after the last phase's {previous}, got {phase.from_hour}",
            )
        if phase.from_hour > guide.max_hours:
            check.add(
                [*path, "from_hour"],
                f"expected at most max_hours ({guide.max_hours}), got {phase.from_hour}",
            )
        previous = phase.from_hour
        check.sources([*path, "tip", "sources"], phase.tip.sources)
        check.sources([*path, "not_shown", "sources"], phase.not_shown.sources)
    for field_name in ("shown", "safety"):
        for index, fact in enumerate(getattr(guide, field_name)):
            check.sources([field_name, index, "sources"], fact.sources)
    check.sources(["choice", "sources"], guide.choice.sources)
    library.heat_cold = guide


def _add_plan(library: Library, file: ContentFile, data: Mapping[str, Any]) -> None:
    check = _Checker(library, file.name)
    groups = tuple(PlanGroup(g["id"], g["title"], g["help"]) for g in data["groups"])
    items = [
        PlanItem(i["id"], i["group"], i["label"], i["text"], _strings(i["sources"]))
        for i in data["items"]
    ]
    reminder = _build_fact(data["reminder"])
    check.unique(["groups"], [group.id for group in groups], "group")
    check.unique(["items"], [item.id for item in items], "item")
    check.sources(["reminder", "sources"], reminder.sources)
    for index, item in enumerate(items):
        check.known(["items", index, "group"], item.group, (g.id for g in groups), "a group id")
        check.sources(["items", index, "sources"], item.sources)
    for index, group in enumerate(groups):
        if not any(item.group == group.id for item in items):
            check.add(["groups", index], f"expected at least 1 item in group {group.id!r}, got 0")
    library.plan = PlanMenu(
        title=data["title"],
        reminder=reminder,
        groups=groups,
        items={item.id: item for item in items},
    )


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
        _add_unique(
            _Checker(library, file.name), library.sources, _build_sources(data), "sources", "source"
        )
    for file, data in parsed["glossary"]:
        check = _Checker(library, file.name)
        terms = _build_glossary(data)
        _add_unique(check, library.glossary, terms, "terms", "term")
        for index, term in enumerate(terms):
            check.sources(["terms", index, "sources"], term.sources)
    for file, data in parsed["topic"]:
        check = _Checker(library, file.name)
        topic = _build_topic(data)
        if topic.id in library.topics:
            check.add(["id"], f"expected each topic id once, got {topic.id!r} again")
        library.topics[topic.id] = topic
        _check_topic(check, topic)
    for file, data in parsed["treatments"]:
        check = _Checker(library, file.name)
        treatments = _build_treatments(data)
        _add_unique(check, library.treatments, treatments, "treatments", "treatment")
        for index, treatment in enumerate(treatments):
            check.sources(["treatments", index, "sources"], treatment.sources)
    triage_files = parsed["findings"][-1:], parsed["rules"][-1:]
    if all(triage_files):
        _build_triage(library, triage_files[0][0], triage_files[1][0])
    for file, data in parsed["quiz"]:
        check = _Checker(library, file.name)
        quiz = _build_quiz(data)
        if quiz.id in library.quizzes:
            check.add(["id"], f"expected each quiz id once, got {quiz.id!r} again")
        _check_quiz(check, quiz)
        library.quizzes[quiz.id] = quiz
    for file, data in parsed["scenario"]:
        check = _Checker(library, file.name)
        scenario = _build_scenario(data)
        if scenario.id in library.scenarios:
            check.add(["id"], f"expected each scenario id once, got {scenario.id!r} again")
        _check_scenario(check, scenario, data)
        library.scenarios[scenario.id] = scenario
    for file, data in parsed["triggers"]:
        _add_triggers(library, file, data)
    for file, data in parsed["heat_cold"]:
        _add_heat_cold(library, file, data)
    for file, data in parsed["plan"]:
        _add_plan(library, file, data)
    library.topics = dict(sorted(library.topics.items(), key=lambda item: item[1].order))
    return library


def _packaged(kinds: Iterable[Kind]) -> Library:
    wanted = set(kinds)
    library = assemble([file for file in packaged_files() if file.kind in wanted])
    if library.problems:
        raise ContentError(library.problems)
    return library


"""A folder of an instructor's own quizzes, scenarios, sources, topics and glossary terms."""
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
    """The packaged triage table alone (sources, findings, rules), cached."""
    table = _packaged(("sources", "findings", "rules")).triage
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
    if quiz_id.endswith(_YAML_SUFFIXES):
        from_file: Quiz = load_content_file(quiz_id, "quiz")
        return from_file
    quiz: Quiz = _pick(load_library().quizzes, quiz_id, "quiz")
    return quiz


def load_scenario(scenario_id: str) -> Scenario:
    """A scenario by id, or from a .yaml file path; an unknown id raises InputError."""
    if scenario_id.endswith(_YAML_SUFFIXES):
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
