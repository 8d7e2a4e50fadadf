"""Build model objects from content data that already matches its schema."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from backspasm_edu.content.model import (
    AllOf,
    AnyOf,
    CareLevel,
    Choice,
    Compare,
    Condition,
    Ending,
    Fact,
    FirstEpisode,
    GlossaryTerm,
    Habit,
    HasFinding,
    HeatColdGuide,
    HeatColdPhase,
    Item,
    Node,
    NumericRange,
    Pair,
    Patient,
    Question,
    Quiz,
    Scenario,
    ScenarioChoice,
    Section,
    Source,
    Topic,
    Treatment,
    Trigger,
)

# --- building model objects (data already matches its schema) -----------------------------


def string_tuple(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(value) for value in values)


def build_sources(data: Mapping[str, Any]) -> list[Source]:
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


def build_glossary(data: Mapping[str, Any]) -> list[GlossaryTerm]:
    return [
        GlossaryTerm(
            id=entry["id"],
            term=entry["term"],
            meaning=entry["meaning"],
            sources=string_tuple(entry["sources"]),
            also=string_tuple(entry.get("also", ())),
        )
        for entry in data["terms"]
    ]


def build_topic(data: Mapping[str, Any]) -> Topic:
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
                        sources=string_tuple(fact["sources"]),
                        defines=string_tuple(fact.get("defines", ())),
                        evidence_note=fact.get("evidence_note", ""),
                    )
                    for fact in section["facts"]
                ),
            )
            for section in data["sections"]
        ),
    )


def build_treatments(data: Mapping[str, Any]) -> list[Treatment]:
    return [
        Treatment(
            id=entry["id"],
            name=entry["name"],
            what_it_is=entry["what_it_is"],
            evidence=entry["evidence"],
            verdict=entry["verdict"],
            summary=entry["summary"],
            sources=string_tuple(entry["sources"]),
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
        explanation=data.get("explanation", ""),
        sources=string_tuple(data["sources"]),
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
        fuzzy_threshold=float(data.get("fuzzy_threshold", 0)),
        ranges=tuple(
            NumericRange(
                float(r["min"]), float(r["max"]), r.get("correct", False), r.get("explanation", "")
            )
            for r in data.get("ranges", ())
        ),
    )


def build_quiz(data: Mapping[str, Any]) -> Quiz:
    return Quiz(
        id=data["id"],
        title=data["title"],
        description=data["description"],
        questions=tuple(_build_question(question) for question in data["questions"]),
        attempts=data.get("attempts", 2),
        shuffle_questions=data.get("shuffle_questions", True),
        shuffle_answers=data.get("shuffle_answers", True),
        text_format=data.get("text_format", "plain"),
    )


def build_scenario(data: Mapping[str, Any]) -> Scenario:
    patient = data["patient"]
    nodes: dict[str, Node] = {}
    for node in data["nodes"]:
        ending = node.get("ending")
        nodes.setdefault(
            node["id"],
            Node(
                id=node["id"],
                text=node["text"],
                findings=string_tuple(node.get("findings", ())),
                days_since_onset=node.get("days_since_onset"),
                choices=tuple(
                    ScenarioChoice(c["id"], c["text"], c["to"], c["feedback"], c["rating"])
                    for c in node.get("choices", ())
                ),
                ending=Ending(
                    outcome=ending["outcome"],
                    care_level=CareLevel(ending["care_level"]),
                    teaching_points=string_tuple(ending["teaching_points"]),
                    sources=string_tuple(ending["sources"]),
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
        role=data.get("role", ""),
    )


def build_fact(data: Mapping[str, Any]) -> Fact:
    return Fact(text=data["text"], sources=string_tuple(data["sources"]))


def build_habit(data: Mapping[str, Any]) -> Habit:
    return Habit(data["id"], data["label"], string_tuple(data["triggers"]), data.get("finding", ""))


def build_trigger(data: Mapping[str, Any]) -> Trigger:
    evidence = data.get("evidence")
    return Trigger(
        id=data["id"],
        name=data["name"],
        about=build_fact(data["about"]),
        prevent=build_fact(data["prevent"]),
        evidence=build_fact(evidence) if evidence else None,
    )


def _build_phase(data: Mapping[str, Any]) -> HeatColdPhase:
    return HeatColdPhase(
        id=data["id"],
        from_hour=data["from_hour"],
        title=data["title"],
        tip=build_fact(data["tip"]),
        not_shown=build_fact(data["not_shown"]),
    )


def build_heat_cold(data: Mapping[str, Any]) -> HeatColdGuide:
    return HeatColdGuide(
        max_hours=data["max_hours"],
        phases=tuple(_build_phase(phase) for phase in data["phases"]),
        shown=tuple(build_fact(fact) for fact in data["shown"]),
        choice=build_fact(data["choice"]),
        safety=tuple(build_fact(fact) for fact in data["safety"]),
    )
