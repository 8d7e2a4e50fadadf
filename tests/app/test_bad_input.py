"""Every public entry point answers bad input with a clear error, exit 2, and no file changed."""

from __future__ import annotations

import io
import json
import socket
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from unittest.mock import patch

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from backspasm_edu.app import cli
from backspasm_edu.content.loader import (
    KINDS,
    ContentFile,
    assemble,
    load_triage_table,
    packaged_files,
    parse_yaml,
)
from backspasm_edu.content.model import CareLevel
from backspasm_edu.engines.triage import FIELDS, assess
from backspasm_edu.errors import ContentError, InputError
from tests.builders import EMERGENCY_FINDINGS

DATA = Path(__file__).parents[1] / "data"
QUIZ = (DATA / "all_types.yaml").read_text()
CASE = (DATA / "tiny_case.yaml").read_text()
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=15,
)


def write(folder: Path, name: str, content: str | bytes) -> str:
    """Write a file into the case's folder and return its path as text."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return str(path)


def foreign_sqlite(folder: Path) -> str:
    """Another program's SQLite database."""
    path = folder / "grades.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE grades (student TEXT)")
    connection.commit()
    connection.close()
    return str(path)


Setup = Callable[[Path], tuple[list[str], str]]
"""Builds a case in a folder: returns the command line arguments and the standard input."""

CASES: dict[str, tuple[Setup, str]] = {
    # triage: the function's input through the command line
    "triage wrong type": (lambda d: (["triage", "-"], '{"age": "forty", "days_since_onset": 1}'), "age: expected"),
    "triage age too low": (lambda d: (["triage", "-"], '{"age": 15, "days_since_onset": 1}'), "age: expected"),
    "triage age too high": (lambda d: (["triage", "-"], '{"age": 121, "days_since_onset": 1}'), "age: expected"),
    "triage negative days": (lambda d: (["triage", "-"], '{"age": 40, "days_since_onset": -1}'), "days_since_onset"),
    "triage unknown key": (lambda d: (["triage", "-"], '{"age": 40, "days_since_onset": 1, "sex": "f"}'), "sex"),
    "triage unknown key with a line break": (lambda d: (["triage", "-"], '{"a\\r\\nb": 1}'), "unknown key"),
    "triage unknown finding": (lambda d: (["triage", "-"], '{"age": 40, "days_since_onset": 1, "findings": ["feverr"]}'), 'did you mean "fever"'),
    "triage findings not a list": (lambda d: (["triage", "-"], '{"age": 40, "days_since_onset": 1, "findings": "fever"}'), "findings"),
    "triage empty input": (lambda d: (["triage", "-"], ""), "an empty input"),
    "triage malformed JSON": (lambda d: (["triage", "-"], '{"age": 40,'), "valid JSON"),
    "triage a list": (lambda d: (["triage", "-"], "[1, 2]"), "a JSON object"),
    "triage huge input": (lambda d: (["triage", "-"], json.dumps({"age": "9" * 5_000_000, "days_since_onset": 1})), "age: expected"),
    "triage deep nesting": (lambda d: (["triage", "-"], "[" * 100_000 + "]" * 100_000), "nest"),
    "triage missing file": (lambda d: (["triage", str(d / "nope.json")], ""), "nope.json"),
    "triage not UTF-8": (lambda d: (["triage", write(d, "case.json", b"\xff\xfe{")], ""), "UTF-8"),
    # validate: instructors' content files
    "validate broken YAML": (lambda d: (["validate", write(d, "quiz.yaml", "id: [unclosed")], ""), "expected valid YAML"),
    "validate missing fields": (lambda d: (["validate", write(d, "quiz.yaml", "id: q\nquestions: []\n")], ""), "quiz.yaml"),
    "validate duplicate ids": (lambda d: (["validate", write(d, "a.yaml", QUIZ), write(d, "b.yaml", QUIZ)], ""), "again"),
    "validate unreachable node": (
        lambda d: (["validate", write(d, "case.yaml", CASE + "  - id: island\n    text: Nobody comes here.\n    ending: {outcome: x, care_level: self_care, teaching_points: [x], sources: [nhs]}\n")], ""),
        "island",
    ),
    "validate missing path": (lambda d: (["validate", str(d / "missing")], ""), "does not exist"),
    # report: progress files
    "report missing file": (lambda d: (["report", str(d / "class.sqlite")], ""), "class.sqlite"),
    "report empty file": (lambda d: (["report", write(d, "empty.json", "")], ""), "empty.json"),
    "report corrupt file": (lambda d: (["report", write(d, "broken.json", "{not json")], ""), "broken.json"),
    "report foreign database": (lambda d: (["report", foreign_sqlite(d)], ""), "grades.sqlite"),
    # import-jupyterquiz: question banks
    "import not JSON": (
        lambda d: (["import-jupyterquiz", write(d, "bank.json", "nope"), "--out", str(d / "quizzes"), "--source", "nhs", "--topic", "causes"], ""),
        "bank.json",
    ),
    # serve: refused before anything starts
    "serve missing content dir": (lambda d: (["serve", "--port", "1", "--content", str(d / "nowhere")], ""), "nowhere"),
    "serve progress not a store": (lambda d: (["serve", "--progress", write(d, "notes.txt", "my notes"), "--port", str(free_port())], ""), "notes.txt"),
}  # fmt: skip


def free_port() -> int:
    """A port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under the folder with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_gets_a_clear_error_exit_2_and_changes_nothing(
    name, tmp_path, monkeypatch, capsys
):
    """Each bad input prints a short error naming the problem, exits 2, and leaves files as they were."""
    setup, fragment = CASES[name]
    args, stdin_text = setup(tmp_path)
    before = snapshot(tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin_text))
    monkeypatch.chdir(tmp_path)
    code = cli.main(args)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert fragment in captured.err
    assert "Traceback" not in captured.err
    lines = captured.err.splitlines()
    assert all(len(line) <= 400 for line in lines)
    if args[0] != "validate" and "--content" not in args:  # those list one line per problem
        assert len(lines) == 1, lines
    assert snapshot(tmp_path) == before


def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path, monkeypatch, capsys):
    """serve on a busy port exits 2 with one line naming the port, before starting anything."""
    monkeypatch.chdir(tmp_path)
    before = snapshot(tmp_path)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        code = cli.main(["serve", "--port", str(port)])
    err = capsys.readouterr().err
    assert code == 2
    assert str(port) in err and len(err.splitlines()) == 1
    assert snapshot(tmp_path) == before


@given(JSON_VALUES, st.sampled_from(KINDS))
def test_arbitrary_yaml_content_gives_only_content_problems(data, kind):
    """Any YAML value as any kind of content file yields problems or ContentError, nothing else."""
    reference = [f for f in packaged_files() if f.kind in ("sources", "glossary", "topic")]
    text = yaml.safe_dump(data)
    try:
        parse_yaml(text, "fuzz.yaml")
        library = assemble([*reference, ContentFile("fuzz.yaml", text, kind)])
    except ContentError as error:
        assert error.problems
    else:
        assert all(problem.file for problem in library.problems)


@given(st.binary(max_size=200))
def test_arbitrary_bytes_as_yaml_give_only_content_error(raw):
    """Random text that is not YAML raises ContentError naming the file, never another error."""
    text = raw.decode("utf-8", errors="replace")
    try:
        parse_yaml(text, "fuzz.yaml")
    except ContentError as error:
        assert error.problems[0].file == "fuzz.yaml"


FINDING_IDS = sorted(load_triage_table().findings)
TRIAGE_SHAPED = st.dictionaries(
    st.sampled_from([*FIELDS, "findings ", "Age", ""]),
    JSON_VALUES
    | st.integers(min_value=-5, max_value=200)
    | st.lists(st.sampled_from(FINDING_IDS) | st.text(max_size=8), max_size=6),
    max_size=5,
)


@given(JSON_VALUES | TRIAGE_SHAPED)
def test_arbitrary_triage_input_gives_a_result_or_input_error(data):
    """Any JSON value given to assess yields an assessment or InputError, never another error."""
    try:
        result = assess(data)
    except InputError as error:
        assert error.field and error.expected
    else:
        if EMERGENCY_FINDINGS & set(data.get("findings", ())):
            assert result.level is CareLevel.EMERGENCY


@given(st.text(max_size=200) | JSON_VALUES.map(json.dumps) | TRIAGE_SHAPED.map(json.dumps))
def test_arbitrary_text_to_the_triage_command_exits_0_or_2_in_one_line(text):
    """Any text on the triage command's standard input gives JSON (exit 0) or one error line (exit 2)."""
    out, err = io.StringIO(), io.StringIO()
    with (
        patch.object(sys, "stdin", io.StringIO(text)),
        patch.object(sys, "stdout", out),
        patch.object(sys, "stderr", err),
    ):
        code = cli.main(["triage", "-"])
    if code == 0:
        assert json.loads(out.getvalue())["level"] and err.getvalue() == ""
    else:
        assert code == 2 and out.getvalue() == ""
        assert len(err.getvalue().splitlines()) == 1 and "Traceback" not in err.getvalue()
