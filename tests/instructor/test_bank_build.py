"""Building quizzes from parsed banks: ids, topic and sources, schema-checked questions, YAML, CLI."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from backspasm_edu import ContentError, InputError
from backspasm_edu.app import cli
from backspasm_edu.instructor.banks.build import build_quiz, read_banks, write_yaml
from backspasm_edu.instructor.banks.parsed import ImportNote, ParsedBank, ParsedQuestion

EXPLAINED = {
    "question": "Where do spasms happen most?",
    "type": "multiple_choice",
    "feedback": "Most back spasms are in the lower back.",
    "answers": [
        {"answer": "Lower back", "correct": True},
        {"answer": "Neck", "correct": False, "feedback": "Less often."},
    ],
}


def bank_of(*fields: dict[str, Any], notes: list[ImportNote] | None = None) -> ParsedBank:
    """A parsed bank named bank.json holding questions with the given fields."""
    questions = [
        ParsedQuestion(dict(f), i + 1, f"[{i}]", list(notes or [])) for i, f in enumerate(fields)
    ]
    return ParsedBank("bank.json", "jupyterquiz", questions=questions)


CHOICE = {
    "type": "single_choice",
    "prompt": "Where do spasms happen most?",
    "explanation": "Mostly low.",
    "answers": [{"text": "Lower back", "correct": True}, {"text": "Lower back!"}],
}


def test_ids_topic_and_sources_are_added_from_the_text_and_the_instructor() -> None:
    """Question ids come from prompts, choice ids from text (repeats numbered); topic and source added."""
    result = build_quiz(bank_of(CHOICE, CHOICE), source_id="nhs", topic="causes")
    first, second = result.quiz["questions"]
    assert first["id"] == "where_do_spasms_happen_most"
    assert second["id"] == "where_do_spasms_happen_most_2"
    assert [a["id"] for a in first["answers"]] == ["lower_back", "lower_back_2"]
    assert (first["topic"], first["sources"]) == ("causes", ["nhs"])
    assert result.quiz["text_format"] == "markdown" and result.quiz["id"] == "bank"


def test_a_question_our_schema_refuses_is_skipped_with_the_reason() -> None:
    """A question the quiz schema refuses is skipped with the schema's words; the others are kept."""
    short = {**CHOICE, "answers": [{"text": "Only one", "correct": True}]}
    result = build_quiz(bank_of(short, CHOICE), source_id="nhs", topic="causes")
    assert len(result.quiz["questions"]) == 1
    assert [str(s) for s in result.skipped] == [
        "question 1 (Where do spasms happen most?) at [0]: answers: expected at least 2 answers, got 1"
    ]


def test_matching_targets_get_ids_and_pairs_point_at_them() -> None:
    """Targets given without ids get them from their text, and pairs' match indexes become those ids."""
    matching = {
        "type": "matching",
        "prompt": "Match.",
        "explanation": "So.",
        "pairs": [{"text": "x", "match": 1}, {"text": "y", "match": 0}],
        "targets": [{"text": "One"}, {"text": "Two"}],
    }
    [question] = build_quiz(bank_of(matching), source_id="nhs", topic="causes").quiz["questions"]
    assert question["targets"] == [{"id": "one", "text": "One"}, {"id": "two", "text": "Two"}]
    assert [(p["id"], p["match"]) for p in question["pairs"]] == [("x", "two"), ("y", "one")]


def test_notes_are_grouped_in_the_yaml_header() -> None:
    """The same note on many questions is one header line naming every place, not one line each."""
    note = ImportNote(
        "answers[1].feedback", "dropped", "feedback for any other answer has no counterpart"
    )
    result = build_quiz(bank_of(*[CHOICE] * 5, notes=[note]), source_id="nhs", topic="causes")
    header = [line for line in result.to_yaml().splitlines() if line.startswith("#")]
    assert header[2:] == [
        "# To look at:",
        "#   [dropped] feedback for any other answer has no counterpart (at "
        "questions[0].answers[1].feedback, questions[1].answers[1].feedback, "
        "questions[2].answers[1].feedback, questions[3].answers[1].feedback, "
        "questions[4].answers[1].feedback)",
    ]
    assert yaml.safe_load(result.to_yaml()) == result.quiz


def test_multi_line_text_is_written_as_a_yaml_block() -> None:
    """A prompt with a code block is written in YAML's | style and reads back the same."""
    code = {**CHOICE, "prompt": "What prints?\n\n```\nfor i in x:\n    print(i)\n```"}
    result = build_quiz(bank_of(code), source_id="nhs", topic="causes")
    text = result.to_yaml()
    assert "prompt: |-\n" in text
    assert yaml.safe_load(text)["questions"][0]["prompt"] == code["prompt"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"quiz_id": "Week 3"}, "quiz_id: expected an id of lowercase letters"),
        ({"source_id": ""}, "source_id: expected an id of lowercase letters"),
        ({"topic": None}, "topic: expected an id of lowercase letters"),
        ({"title": "  "}, "title: expected some text, got '  '"),
    ],
)
def test_bad_arguments_raise_input_error(arguments, message) -> None:
    """A bad id or title raises InputError naming the argument."""
    given = {"source_id": "nhs", "topic": "causes", **arguments}
    with pytest.raises(InputError) as caught:
        build_quiz(bank_of(CHOICE), **given)
    assert str(caught.value).startswith(message)


def test_read_banks_names_a_file_no_format_recognises(tmp_path) -> None:
    """A file that is no known bank, a missing file and a folder are each one ContentError."""
    (tmp_path / "notes.txt").write_text("Just notes.")
    for path, message in (
        (
            tmp_path / "notes.txt",
            "expected a question bank (jupyterquiz, Moodle XML, GIFT), found none of these in it",
        ),
        (tmp_path / "missing.json", "expected a question bank file, but it does not exist"),
        (tmp_path, "expected a question bank file, got a folder"),
    ):
        with pytest.raises(ContentError) as caught:
            read_banks(path)
        assert str(caught.value) == f"{path}: {message}"


def test_write_yaml_refuses_to_overwrite_without_force(tmp_path) -> None:
    """An existing file is kept unless force is given; with force it is replaced whole."""
    result = build_quiz(bank_of(CHOICE), source_id="nhs", topic="causes")
    path = tmp_path / "quiz.yaml"
    path.write_text("mine\n")
    with pytest.raises(InputError, match="which exists"):
        write_yaml(result, path)
    assert path.read_text() == "mine\n"
    write_yaml(result, path, force=True)
    assert yaml.safe_load(path.read_text())["id"] == "bank"
    assert [p.name for p in tmp_path.glob("*quiz.yaml*")] == ["quiz.yaml"]


# --- the import command ---------------------------------------------------------------------


def run(args: list[str], monkeypatch, capsys) -> tuple[int, str, str]:
    """Run the CLI in-process; return (code, out, err)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def banks(folder: Path) -> list[str]:
    """Two bank files: one good question and one skipped in the first, a good one in the second."""
    first, second = folder / "week1.json", folder / "week2.py"
    first.write_text(json.dumps([EXPLAINED, {**EXPLAINED, "type": "essay"}]))
    second.write_text(f"quiz = [{EXPLAINED!r}]\n")
    return [str(first), str(second)]


def test_import_writes_one_quiz_per_bank_and_lists_skipped_questions(
    tmp_path, monkeypatch, capsys
) -> None:
    """import writes a YAML per bank into --out, names each skipped question on stderr, exits 0."""
    out = tmp_path / "quizzes"
    code, stdout, err = run(
        ["import", *banks(tmp_path), "--out", str(out), "--source", "nhs", "--topic", "causes"],
        monkeypatch,
        capsys,
    )
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["week1.yaml", "week2_quiz.yaml"]
    assert (
        "skipped: " in err
        and "question 2 (Where do spasms happen most?) at [1]: type: expected one of" in err
    )
    assert (
        f"Wrote {out / 'week1.yaml'}: 1 question from {tmp_path / 'week1.json'}, 1 skipped."
        in stdout
    )
    quiz = yaml.safe_load((out / "week1.yaml").read_text())
    assert quiz["questions"][0]["explanation"] == EXPLAINED["feedback"]


def test_strict_writes_nothing_when_a_question_is_skipped(tmp_path, monkeypatch, capsys) -> None:
    """--strict is all or nothing: one skipped question means no file and exit 2."""
    out = tmp_path / "quizzes"
    code, _, err = run(
        [
            "import",
            *banks(tmp_path),
            "--out",
            str(out),
            "--source",
            "nhs",
            "--topic",
            "causes",
            "--strict",
        ],
        monkeypatch,
        capsys,
    )
    assert code == 2 and "--strict: nothing written" in err
    assert not out.exists()


def test_nothing_importable_exits_2_and_the_alias_still_works(
    tmp_path, monkeypatch, capsys
) -> None:
    """import-jupyterquiz runs the same command; a bank with no importable question exits 2."""
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{**EXPLAINED, "type": "essay"}]))
    code, _, err = run(
        [
            "import-jupyterquiz",
            str(path),
            "--out",
            str(tmp_path / "q"),
            "--source",
            "nhs",
            "--topic",
            "causes",
        ],
        monkeypatch,
        capsys,
    )
    assert code == 2
    assert err.splitlines()[-1] == "Nothing imported: no question could be read."


def test_an_existing_quiz_file_is_kept_without_force(tmp_path, monkeypatch, capsys) -> None:
    """A quiz file already in --out stops the import (nothing written) unless --force."""
    out = tmp_path / "quizzes"
    out.mkdir()
    (out / "week1.yaml").write_text("mine\n")
    args = ["import", *banks(tmp_path), "--out", str(out), "--source", "nhs", "--topic", "causes"]
    code, _, err = run(args, monkeypatch, capsys)
    assert code == 2 and "--force replaces them" in err
    assert [p.name for p in out.iterdir()] == ["week1.yaml"]
    assert (out / "week1.yaml").read_text() == "mine\n"
    assert run([*args, "--force"], monkeypatch, capsys)[0] == 0


def test_help_lists_every_jupyterquiz_type(capsys) -> None:
    """import --help names all six jupyterquiz types."""
    with pytest.raises(SystemExit):
        cli.main(["import", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for kind in ("multiple_choice", "many_choice", "numeric", "string", "match", "drag_drop"):
        assert f"{kind} becomes" in text


@pytest.mark.parametrize("quiz_id", ["causes_and_symptoms", "when_to_seek_care"])
def test_a_quiz_exported_then_imported_keeps_its_question_ids(quiz_id: str) -> None:
    """GIFT titles and Moodle XML names (our ids on export) become the ids again on import."""
    from backspasm_edu.content.loader import load_library
    from backspasm_edu.instructor.banks.gift import read_gift, write_gift
    from backspasm_edu.instructor.banks.moodle_xml import read_moodle_xml, write_moodle_xml

    library = load_library()
    quiz = library.quizzes[quiz_id]
    banks = [
        read_gift(write_gift(quiz, library.sources).text, f"{quiz_id}.gift"),
        read_moodle_xml(write_moodle_xml(quiz).data, f"{quiz_id}.xml"),
    ]
    for bank in banks:
        built = build_quiz(bank, source_id="nhs", topic="causes")
        ids = [
            question.id
            for question in quiz.questions
            if bank.format != "GIFT" or question.type != "ordering"
        ]
        assert [question["id"] for question in built.quiz["questions"]] == ids, bank.format


def test_a_question_named_in_its_bank_takes_its_id_from_the_name() -> None:
    """A named question's id comes from its name; a name with no letters or digits falls back to the prompt."""
    named = ParsedQuestion(dict(CHOICE), 1, "line 1", name="Spasm site (v2)")
    unnamed = ParsedQuestion(dict(CHOICE), 2, "line 5", name="???")
    bank = ParsedBank("bank.gift", "GIFT", questions=[named, unnamed])
    built = build_quiz(bank, source_id="nhs", topic="causes")
    assert [question["id"] for question in built.quiz["questions"]] == [
        "spasm_site_v2",
        "where_do_spasms_happen_most",
    ]
