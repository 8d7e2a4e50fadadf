"""The backspasm-edu command line: triage, findings and validate, with exit codes and messages."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from backspasm_edu.app import cli
from backspasm_edu.content.loader import load_triage_table


def run(args, stdin_text="", monkeypatch=None, capsys=None):
    """Run the CLI in-process with the given stdin; return (code, out, err)."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin_text))
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_triage_reads_stdin_and_prints_json(monkeypatch, capsys) -> None:
    """`triage -` reads JSON from stdin, prints to_dict() as JSON and exits 0."""
    case = {"age": 42, "days_since_onset": 3, "findings": ["pain_below_knee"]}
    code, out, err = run(["triage", "-"], json.dumps(case), monkeypatch, capsys)
    assert code == 0, err
    assert json.loads(out)["level"] == "see_doctor"


def test_triage_reads_a_file(tmp_path, monkeypatch, capsys) -> None:
    """`triage FILE` reads the case from a JSON file."""
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"age": 30, "days_since_onset": 1, "findings": ["fever"]}))
    code, out, _ = run(["triage", str(path)], "", monkeypatch, capsys)
    assert code == 0
    assert json.loads(out)["level"] == "emergency"


@pytest.mark.parametrize(
    ("stdin_text", "message"),
    [
        ('{"age": 42, "days_since_onset": 3, "findings": ["feverr"]}', 'did you mean "fever"?'),
        ('{"age": 4', "FILE: expected valid JSON, got Expecting"),
        ("", "FILE: expected a JSON object, got an empty input"),
        ("[1, 2]", "input: expected a JSON object"),
        ("[" * 100_000, "FILE: expected JSON nested a sane number of levels"),
        ('{"age": NaN, "days_since_onset": 1}', "age: expected a whole number"),
    ],
)
def test_triage_bad_input_exits_2_with_one_line(stdin_text, message, monkeypatch, capsys) -> None:
    """Bad triage input prints one error line naming the problem to stderr and exits 2."""
    code, out, err = run(["triage", "-"], stdin_text, monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_triage_missing_file_exits_2(tmp_path, monkeypatch, capsys) -> None:
    """A missing input file is reported by name with exit 2."""
    code, _, err = run(["triage", str(tmp_path / "nope.json")], "", monkeypatch, capsys)
    assert code == 2
    assert "nope.json" in err and "No such file" in err


def test_findings_lists_every_id_with_its_level(monkeypatch, capsys) -> None:
    """`findings` prints one line per finding id with its care level."""
    code, out, _ = run(["findings"], "", monkeypatch, capsys)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(load_triage_table().findings)
    assert any(line.split()[:2] == ["saddle_numbness", "emergency"] for line in lines)


def test_validate_packaged_content_exits_0(monkeypatch, capsys) -> None:
    """`validate` with no paths checks the packaged content and reports it valid."""
    code, out, err = run(["validate"], "", monkeypatch, capsys)
    assert code == 0, err
    assert out.startswith("OK: ")


def test_validate_broken_file_exits_2_with_messages(tmp_path, monkeypatch, capsys) -> None:
    """`validate PATH` on a broken quiz prints file, key path and expectation, and exits 2."""
    quiz = tmp_path / "basics.yaml"
    quiz.write_text(
        "id: basics\ntitle: Basics\ndescription: A check.\nquestions:\n"
        "  - id: q1\n    type: single_choice\n    topic: causes\n    prompt: Which?\n"
        "    explanation: Because.\n    sources: [nhs]\n    answers:\n"
        "      - {id: a, text: Only one, correct: true}\n"
    )
    code, _, err = run(["validate", str(quiz)], "", monkeypatch, capsys)
    assert code == 2
    assert f"{quiz}: questions[0].answers: expected at least 2 answers, got 1" in err
    assert "1 problem(s) in 1 content file." in err


def test_console_script_runs_as_a_module() -> None:
    """`python -m backspasm_edu --version` works in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-m", "backspasm_edu", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.startswith("backspasm-edu ")


def test_unknown_command_exits_2_without_traceback() -> None:
    """An unknown sub-command prints usage and exits 2, with no traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "backspasm_edu", "diagnose"], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


@pytest.fixture
def class_store(tmp_path):
    """A store where Ana and Ben took the when_to_seek_care quiz and Ben walked a case poorly."""
    from backspasm_edu.progress import ProgressStore
    from tests.progress.test_course_record import take_quiz, walk_case

    path = tmp_path / "class.sqlite"
    with ProgressStore(path) as store:
        take_quiz(store, "Ana", wrong_every=2)
        take_quiz(store, "Ben", wrong_every=3)
        walk_case(store, "Ben", lambda choices: choices[-1])
    return path


def test_report_writes_a_canvas_gradebook(class_store, tmp_path, monkeypatch, capsys) -> None:
    """`report FILE --gradebook OUT --format canvas` writes Canvas's columns and says so."""
    import csv

    out = tmp_path / "grades.csv"
    args = ["report", str(class_store), "--gradebook", str(out), "--format", "canvas"]
    code, stdout, err = run(args, "", monkeypatch, capsys)
    assert code == 0, err
    assert f"Wrote the gradebook of 2 learners for Canvas to {out}." in stdout
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert [row[0] for row in rows[1:]] == ["Ana", "Ben"]


def test_report_prints_the_same_figures_as_the_functions(class_store, monkeypatch, capsys) -> None:
    """--summary, --gradebook, --items and --cases without OUT print the functions' figures."""
    from backspasm_edu.content.loader import load_library
    from backspasm_edu.instructor.figures import (
        answer_counts,
        case_analysis,
        case_lines,
        class_summary,
        item_analysis,
        item_lines,
        summary_lines,
    )
    from backspasm_edu.instructor.gradebook import grade_items, gradebook, gradebook_lines
    from backspasm_edu.instructor.report import load_records

    records, library = load_records([class_store]), load_library()
    args = ["report", str(class_store), "--summary", "--gradebook", "--items", "--cases"]
    code, stdout, err = run(args, "", monkeypatch, capsys)
    assert code == 0, err
    expected = [
        "2 learners, " + stdout.split("2 learners, ", 1)[1].splitlines()[0],
        *summary_lines(class_summary(records, library)),
        *gradebook_lines(gradebook(records, library), grade_items(library)),
        *item_lines(item_analysis(records, library), answer_counts(records, library)),
        *case_lines(case_analysis(records, library)),
    ]
    assert stdout.splitlines() == expected
    assert "% right first time" in stdout and "\u26a0 unsafe" in stdout


def test_report_refuses_to_write_a_figure_over_a_file_it_reads(
    class_store, monkeypatch, capsys
) -> None:
    """`--cases FILE` naming the store read exits 2 with one line and leaves the store as it was."""
    before = class_store.read_bytes()
    code, _, err = run(
        ["report", str(class_store), "--cases", str(class_store)], "", monkeypatch, capsys
    )
    assert code == 2
    assert "--cases: expected a file that is not one of the files read" in err
    assert len(err.strip().splitlines()) == 1
    assert class_store.read_bytes() == before


def test_report_refuses_two_figures_to_one_file(class_store, tmp_path, monkeypatch, capsys) -> None:
    """--gradebook and --items naming one file exit 2 before writing anything."""
    out = tmp_path / "both.csv"
    args = ["report", str(class_store), "--gradebook", str(out), "--items", str(out)]
    code, _, err = run(args, "", monkeypatch, capsys)
    assert code == 2
    assert "--items: expected a file other than --gradebook's" in err
    assert not out.exists()


def test_report_help_names_the_figures_and_formats(capsys) -> None:
    """`report --help` documents --gradebook, --format moodle|canvas, --items and --cases."""
    with pytest.raises(SystemExit):
        cli.main(["report", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for words in ("--gradebook [OUT]", "{moodle,canvas}", "--items [OUT]", "--cases [OUT]"):
        assert words in out
