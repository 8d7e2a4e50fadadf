"""Content loading: YAML and schema errors name the file, key path and expectation; ids cross-check."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from backspasm_edu import ContentError
from backspasm_edu.content.loader import (
    ContentFile,
    assemble,
    packaged_files,
    parse_yaml,
    validate_paths,
)

DATA = Path(__file__).parents[1] / "data"
REFERENCE = [
    f for f in packaged_files() if f.kind in ("sources", "glossary", "topic", "findings", "rules")
]


def problems_for(kind: str, data: object, name: str = "quizzes/basics.yaml") -> list[str]:
    """Problem lines for one file of the given kind checked against the packaged reference."""
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    return [str(p) for p in assemble([*REFERENCE, ContentFile(name, text, kind)]).problems]


def quiz() -> dict:
    """The all-types fixture quiz as a fresh mapping."""
    return yaml.safe_load((DATA / "all_types.yaml").read_text())


def test_yaml_syntax_error_names_file_line_and_column() -> None:
    """Broken YAML raises ContentError naming the file, line and column."""
    with pytest.raises(ContentError) as caught:
        parse_yaml("id: a\nquestions: [1, 2\n", "quizzes/broken.yaml")
    assert str(caught.value).startswith(
        "quizzes/broken.yaml: line 3, column 1: expected valid YAML"
    )


def test_repeated_key_is_refused() -> None:
    """A key given twice in one mapping is an error, not a silent overwrite."""
    with pytest.raises(
        ContentError, match=r"line 2, column 1: expected valid YAML: the key 'id' is given twice"
    ):
        parse_yaml("id: a\nid: b\n", "x.yaml")


def test_dates_stay_text() -> None:
    """An unquoted date is read as text, as the schema expects, not as a date object."""
    assert parse_yaml("accessed: 2026-11-24", "x.yaml") == {"accessed": "2026-11-24"}


def test_the_issue_example_message() -> None:
    """A choice question with one answer gives the exact message from the issue."""
    data = quiz()
    data["questions"][3] = {**data["questions"][0], "id": "q4"}
    data["questions"][3]["answers"] = data["questions"][3]["answers"][:1]
    assert problems_for("quiz", data) == [
        "quizzes/basics.yaml: questions[3].answers: expected at least 2 answers, got 1"
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("title"), "title: expected this key, but it is missing"),
        (
            lambda d: d.update(colour="red"),
            "colour: expected one of the keys attempts, description, id, questions, shuffle_answers, shuffle_questions, text_format, title; got unknown key 'colour'",
        ),
        (
            lambda d: d.update(attempts="two"),
            "attempts: expected a whole number, got the text 'two'",
        ),
        (lambda d: d.update(attempts=9), "attempts: expected a number at most 5, got 9"),
        (
            lambda d: d.update(id="Basics Quiz"),
            "id: expected an id of lowercase letters, digits and _, starting with a letter, got the text 'Basics Quiz'",
        ),
        (
            lambda d: d["questions"][0].update(type="essay"),
            'questions[0].type: expected one of "single_choice", "multiple_answers", "true_false", "ordering", "matching", "numeric", "short_text", got the text \'essay\'',
        ),
        (
            lambda d: d["questions"][2].update(answer="no"),
            "questions[2].answer: expected true or false, got the text 'no'",
        ),
        (
            lambda d: d["questions"][2].update(unit="cm"),
            "questions[2].unit: expected no 'unit' key in a true_false question",
        ),
        (
            lambda d: d["questions"][0].update(prompt=""),
            "questions[0].prompt: expected text, got the text ''",
        ),
        (
            lambda d: d["questions"][0].update(sources=["nhs", "nhs"]),
            'questions[0].sources: expected no repeats, got "nhs" twice',
        ),
        (lambda d: d.update(questions=[]), "questions: expected at least 1 question, got 0"),
    ],
)
def test_schema_errors_name_key_path_expected_and_actual(change, message) -> None:
    """Each kind of schema error becomes one message with the key path, expected and actual."""
    data = quiz()
    change(data)
    assert problems_for("quiz", data) == [f"quizzes/basics.yaml: {message}"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["questions"][0].update(sources=["nhs_uk"]),
            "questions[0].sources[0]: expected a source id from sources.yaml, got 'nhs_uk' (did you mean 'nhs'?)",
        ),
        (
            lambda d: d["questions"][0].update(topic="cause"),
            "questions[0].topic: expected a topic id, got 'cause' (did you mean 'causes'?)",
        ),
        (
            lambda d: d["questions"][1].update(id="single"),
            "questions[1].id: expected each question id once, got 'single' 2 times",
        ),
        (
            lambda d: d["questions"][0]["answers"][1].update(correct=True),
            "questions[0].answers: expected 1 correct answer (or none, for a question with no "
            "right answer), got 2",
        ),
        (
            lambda d: d["questions"][4]["pairs"][0].update(match="later"),
            "questions[4].pairs[0].match: expected a target id, got 'later'",
        ),
        (
            lambda d: d["questions"][3]["items"][1].update(id="acute"),
            "questions[3].items[1].id: expected each item id once, got 'acute' 2 times",
        ),
    ],
)
def test_cross_checks_name_the_bad_reference(change, message) -> None:
    """Ids that point nowhere or repeat are reported with their key path and a suggestion."""
    data = quiz()
    change(data)
    assert problems_for("quiz", data) == [f"quizzes/basics.yaml: {message}"]


def rules_data() -> dict:
    """The packaged rule table as a fresh mapping."""
    text = next(f.text for f in packaged_files() if f.kind == "rules")
    return yaml.safe_load(text)


def triage_problems(data: dict) -> list[str]:
    """Problems for a changed rule table checked with the packaged findings."""
    files = [f for f in packaged_files() if f.kind in ("sources", "findings")]
    text = yaml.safe_dump(data, sort_keys=False)
    return [
        str(p) for p in assemble([*files, ContentFile("triage/rules.yaml", text, "rules")]).problems
    ]


def rule_index(data: dict, rule_id: str) -> int:
    """Position of a rule in the table."""
    return next(i for i, r in enumerate(data["rules"]) if r["id"] == rule_id)


def test_rule_below_the_most_urgent_source_is_refused() -> None:
    """Lowering fever to urgent (NHS) is refused: Mayo says immediately, so emergency."""
    data = rules_data()
    index = rule_index(data, "fever")
    data["rules"][index]["level"] = "urgent"
    assert triage_problems(data) == [
        f"triage/rules.yaml: rules[{index}].level: expected 'emergency', the most urgent level "
        "the sources give 'fever', got 'urgent'"
    ]


def test_rule_must_cite_every_source_that_places_its_finding() -> None:
    """A single-finding rule that drops one of its finding's sources is refused."""
    data = rules_data()
    index = rule_index(data, "fever")
    data["rules"][index]["sources"] = ["mayo_clinic", "mayo_connected_care"]
    assert triage_problems(data) == [
        f"triage/rules.yaml: rules[{index}].sources: expected every source that places 'fever', missing nhs"
    ]


def test_rule_may_depart_from_a_named_source_only_with_why() -> None:
    """Without its departure, the leg-pain rule is refused: Mayo Connected Care places it higher."""
    data = rules_data()
    index = rule_index(data, "pain_below_knee")
    assert triage_problems(data) == []
    del data["rules"][index]["departure"]
    assert triage_problems(data) == [
        f"triage/rules.yaml: rules[{index}].level: expected 'urgent', the most urgent level the "
        "sources give 'pain_below_knee', got 'see_doctor'"
    ]


def test_departure_from_an_emergency_placement_is_refused() -> None:
    """No rule may lower a finding that a source places at emergency, whatever the reason given."""
    data = rules_data()
    index = rule_index(data, "fever")
    data["rules"][index]["level"] = "urgent"
    data["rules"][index]["departure"] = {
        "sources": ["mayo_clinic"],
        "why": "We think NHS is right.",
    }
    assert triage_problems(data) == [
        f"triage/rules.yaml: rules[{index}].departure.sources: expected no departure from an "
        "emergency placement, got 'mayo_clinic' for 'fever'"
    ]


def test_departure_must_name_a_source_that_places_the_finding_higher() -> None:
    """A departure naming a source that agrees with the rule, or does not place it, is refused."""
    data = rules_data()
    index = rule_index(data, "pain_below_knee")
    data["rules"][index]["departure"]["sources"] = ["mayo_connected_care", "mayo_clinic", "nhs"]
    assert triage_problems(data) == [
        f"triage/rules.yaml: rules[{index}].departure.sources: expected only sources that place "
        "'pain_below_knee' higher than 'see_doctor', got 'mayo_clinic' (see_doctor)",
        f"triage/rules.yaml: rules[{index}].departure.sources: expected a source that places "
        "'pain_below_knee', got 'nhs'",
    ]


def test_every_finding_needs_its_own_rule_and_rules_use_known_findings() -> None:
    """A finding without a rule, and a rule naming an unknown finding, are both reported."""
    data = rules_data()
    index = rule_index(data, "chest_pain")
    data["rules"][index]["when"] = {"finding": "chest_pains"}
    assert triage_problems(data) == [
        f"triage/rules.yaml: rules[{index}].when: expected a finding id from findings.yaml, got 'chest_pains' (did you mean 'chest_pain' or 'night_pain'?)",
        "triage/rules.yaml: rules: expected a rule for finding 'chest_pain' alone, found none",
    ]


def test_condition_must_have_exactly_one_key() -> None:
    """A condition mixing two keys is refused by the schema."""
    data = rules_data()
    data["rules"][0]["when"] = {"finding": "fever", "age_at_least": 50}
    assert triage_problems(data) == [
        "triage/rules.yaml: rules[0].when: expected exactly one key, got 2"
    ]


def test_validate_paths_reports_missing_paths_and_unknown_kinds(tmp_path) -> None:
    """Missing paths, empty folders and files of unknown kind each get a clear problem."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.yaml").write_text("hello: world\n")
    count, problems = validate_paths(
        [tmp_path / "nope", tmp_path / "empty", tmp_path / "notes.yaml"]
    )
    lines = [str(p) for p in problems]
    assert count == 0
    assert lines[0] == f"{tmp_path / 'nope'}: expected a file or folder, but it does not exist"
    assert lines[1] == f"{tmp_path / 'empty'}: expected a folder with .yaml files, found none"
    assert lines[2].startswith(f"{tmp_path / 'notes.yaml'}: expected a quiz (with 'questions')")


def test_validate_paths_accepts_an_instructor_folder_with_its_own_sources(tmp_path) -> None:
    """An instructor's folder may add sources that its own quiz cites."""
    data = quiz()
    data["questions"][0]["sources"] = ["my_textbook"]
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "mine.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "sources.yaml").write_text(
        yaml.safe_dump(
            {
                "sources": [
                    {
                        "id": "my_textbook",
                        "name": "Textbook",
                        "title": "Back care",
                        "url": "https://example.org/book",
                        "accessed": "2026-11-01",
                    }
                ]
            }
        )
    )
    assert validate_paths([tmp_path]) == (2, [])


def test_validate_never_modifies_files(tmp_path) -> None:
    """Validating broken files leaves every byte of them as it was."""
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nquestions:\n  - id: [unclosed\n")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    _, problems = validate_paths([path])
    assert problems
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_non_utf8_file_is_reported(tmp_path) -> None:
    """A file that is not UTF-8 is reported rather than crashing the reader."""
    path = tmp_path / "latin.yaml"
    path.write_bytes("id: caf\xe9\n".encode("latin-1"))
    _, problems = validate_paths([path])
    assert str(problems[0]).startswith(f"{path}: expected UTF-8 text")
