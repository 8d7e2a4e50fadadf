"""Cross-check content: ids that must exist or be unique, reachable cases, safe endings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from backspasm_edu.content.build import (
    build_condition,
    build_fact,
    build_habit,
    build_heat_cold,
    build_trigger,
    string_tuple,
)
from backspasm_edu.content.files import ContentFile
from backspasm_edu.content.library import Library
from backspasm_edu.content.model import (
    CareLevel,
    Case,
    Departure,
    Finding,
    FindingGroup,
    LevelInfo,
    Placement,
    PlanGroup,
    PlanItem,
    PlanMenu,
    Question,
    Quiz,
    Rule,
    Scenario,
    Topic,
    TriageTable,
    TriggerTable,
    most_urgent,
    typed_form,
)
from backspasm_edu.content.schema import key_path
from backspasm_edu.errors import Problem, show_value

# --- cross-checks -------------------------------------------------------------------------


class Checker:
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


def add_unique(
    check: Checker, target: dict[str, Any], items: Sequence[Any], path: str, what: str
) -> None:
    for index, item in enumerate(items):
        if item.id in target:
            check.add([path, index, "id"], f"expected each {what} id once, got {item.id!r} again")
        else:
            target[item.id] = item


def check_topic(check: Checker, topic: Topic) -> None:
    for s_index, section in enumerate(topic.sections):
        for f_index, fact in enumerate(section.facts):
            path: list[str | int] = ["sections", s_index, "facts", f_index]
            check.sources([*path, "sources"], fact.sources)
            for d_index, term in enumerate(fact.defines):
                check.known(
                    [*path, "defines", d_index], term, check.library.glossary, "a glossary term id"
                )


def build_triage(
    library: Library,
    findings_file: tuple[ContentFile, Any],
    rules_file: tuple[ContentFile, Any],
) -> None:
    (f_file, f_data), (r_file, r_data) = findings_file, rules_file
    fcheck, rcheck = Checker(library, f_file.name), Checker(library, r_file.name)
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
                Placement(p["source"], CareLevel(p["level"]), p.get("says", ""))
                for p in entry["placements"]
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
            sources=string_tuple(entry["sources"]),
            departure=(
                Departure(string_tuple(entry["departure"]["sources"]), entry["departure"]["why"])
                if "departure" in entry
                else None
            ),
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
        _check_placement(rcheck, *own[0], finding)
    library.triage = TriageTable(
        notice=r_data["notice"],
        safety_net=r_data["safety_net"],
        levels=levels,
        groups=groups,
        findings=findings,
        rules=tuple(rules),
    )


def _check_placement(check: Checker, index: int, rule: Rule, finding: Finding) -> None:
    """A finding's own rule follows the most urgent source, or departs from named ones, with why.

    A departure may only name sources that place the finding higher than the rule, and never a
    source that places it at ``emergency``: an emergency finding is never placed below emergency.
    """
    departed = set(rule.departure.sources) if rule.departure else set()
    placed = {p.source: p.level for p in finding.placements}
    for source in sorted(departed):
        if source not in placed:
            check.add(
                ["rules", index, "departure", "sources"],
                f"expected a source that places {finding.id!r}, got {source!r}",
            )
        elif placed[source] is CareLevel.EMERGENCY:
            check.add(
                ["rules", index, "departure", "sources"],
                f"expected no departure from an emergency placement, got {source!r} for "
                f"{finding.id!r}",
            )
        elif placed[source].urgency <= rule.level.urgency:
            check.add(
                ["rules", index, "departure", "sources"],
                f"expected only sources that place {finding.id!r} higher than "
                f"{rule.level.value!r}, got {source!r} ({placed[source].value})",
            )
    followed = [level for source, level in placed.items() if source not in departed]
    expected = most_urgent(tuple(followed)) if followed else finding.sources_level
    if rule.level != expected:
        check.add(
            ["rules", index, "level"],
            f"expected {expected.value!r}, the most urgent level the sources give "
            f"{finding.id!r}"
            + (" apart from the departures" if departed else "")
            + f", got {rule.level.value!r}",
        )
    missing = sorted(set(placed) - set(rule.sources))
    if missing:
        check.add(
            ["rules", index, "sources"],
            f"expected every source that places {finding.id!r}, missing {', '.join(missing)}",
        )


def check_quiz(check: Checker, quiz: Quiz) -> None:
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
        if question.type == "single_choice" and right > 1:
            check.add(
                [*path, "answers"],
                f"expected 1 correct answer (or none, for a question with no right answer), "
                f"got {right}",
            )
        if question.type == "short_text" and right < 1:
            check.add([*path, "answers"], "expected at least 1 correct answer, got 0")
        if question.type == "short_text":
            _check_typed_answers(check, path, question)
        if question.type == "numeric":
            _check_ranges(check, path, question)
        targets = [target.id for target in question.targets]
        for p_index, pair in enumerate(question.pairs):
            check.known([*path, "pairs", p_index, "match"], pair.match, targets, "a target id")


def _check_typed_answers(check: Checker, path: list[str | int], question: Question) -> None:
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


def _check_ranges(check: Checker, path: list[str | int], question: Question) -> None:
    """Each range must run from its min up to its max, and a wrong range leave out the answer."""
    for index, numbers in enumerate(question.ranges):
        if numbers.min > numbers.max:
            check.add(
                [*path, "ranges", index],
                f"expected min at most max, got min {numbers.min:g} and max {numbers.max:g}",
            )
        elif (
            not numbers.correct
            and question.number is not None
            and numbers.min <= question.number <= numbers.max
        ):
            check.add(
                [*path, "ranges", index],
                f"expected a wrong range to leave out the right answer {question.number:g}, "
                f"got {numbers.min:g} to {numbers.max:g}",
            )


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


def check_scenario(check: Checker, scenario: Scenario, data: Mapping[str, Any]) -> None:
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


def add_triggers(library: Library, file: ContentFile, data: Mapping[str, Any]) -> None:
    check = Checker(library, file.name)
    caveat = build_fact(data["caveat"])
    habits = [build_habit(habit) for habit in data["habits"]]
    triggers = [build_trigger(trigger) for trigger in data["triggers"]]
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


def add_heat_cold(library: Library, file: ContentFile, data: Mapping[str, Any]) -> None:
    check = Checker(library, file.name)
    guide = build_heat_cold(data)
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


def add_plan(library: Library, file: ContentFile, data: Mapping[str, Any]) -> None:
    check = Checker(library, file.name)
    groups = tuple(PlanGroup(g["id"], g["title"], g["help"]) for g in data["groups"])
    items = [
        PlanItem(
            i["id"],
            i["group"],
            i["label"],
            i["text"],
            string_tuple(i["sources"]),
            build_fact(i["dose"]) if "dose" in i else None,
        )
        for i in data["items"]
    ]
    reminder = build_fact(data["reminder"])
    check.unique(["groups"], [group.id for group in groups], "group")
    check.unique(["items"], [item.id for item in items], "item")
    check.sources(["reminder", "sources"], reminder.sources)
    for index, item in enumerate(items):
        check.known(["items", index, "group"], item.group, (g.id for g in groups), "a group id")
        check.sources(["items", index, "sources"], item.sources)
        if item.dose is not None:
            check.sources(["items", index, "dose", "sources"], item.dose.sources)
    for index, group in enumerate(groups):
        if not any(item.group == group.id for item in items):
            check.add(["groups", index], f"expected at least 1 item in group {group.id!r}, got 0")
    library.plan = PlanMenu(
        title=data["title"],
        reminder=reminder,
        groups=groups,
        items={item.id: item for item in items},
    )
