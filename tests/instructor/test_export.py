"""`backspasm-edu export-moodle`: a packaged or instructor's quiz as Moodle XML or GIFT, re-read."""

from __future__ import annotations

from pathlib import Path

import pytest

from backspasm_edu.app import cli
from backspasm_edu.content.loader import load_library
from backspasm_edu.instructor.banks.gift import read_gift
from backspasm_edu.instructor.banks.moodle_xml import read_moodle_xml

DATA = Path(__file__).resolve().parents[1] / "data"
QUIZ = "when_to_seek_care"
OWN_SOURCES = """\
sources:
  - id: my_lecture_notes
    name: My lecture notes
    title: Lecture notes on back pain, week 3
    publisher: Our course
    url: https://example.org/week3
    accessed: 2026-11-01
"""


def run(args: list[str], capsys) -> tuple[int, str, str]:
    """Run the command line in-process; (exit code, standard output, standard error)."""
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_packaged_quiz_goes_out_as_moodle_xml_with_every_question(tmp_path, capsys):
    """The quiz id and an .xml name write Moodle XML that reads back with every prompt."""
    out = tmp_path / "quiz.xml"
    code, said, notes = run(["export-moodle", QUIZ, "--out", str(out)], capsys)
    quiz = load_library().quizzes[QUIZ]
    assert code == 0, notes
    assert said.startswith(f"Wrote {out}: \u201c{quiz.title}\u201d ({len(quiz.questions)} ")
    assert "as Moodle XML" in said and "Import > Moodle XML format" in said
    bank = read_moodle_xml(out.read_bytes(), out.name)
    assert bank.skipped == []
    assert len(bank.questions) == len(quiz.questions)
    assert bank.title == quiz.title


def test_gift_is_chosen_by_the_file_name_and_ordering_is_noted(tmp_path, capsys):
    """A .gift name writes GIFT; the ordering question GIFT cannot hold is named on stderr."""
    out = tmp_path / "quiz.gift"
    code, said, notes = run(["export-moodle", QUIZ, "--out", str(out)], capsys)
    quiz = load_library().quizzes[QUIZ]
    ordering = [question for question in quiz.questions if question.type == "ordering"]
    assert code == 0 and ordering
    assert "as GIFT" in said and "note" in said
    assert notes.count("note: ") >= len(ordering)
    bank = read_gift(out.read_text(encoding="utf-8"), out.name)
    assert len(bank.questions) == len(quiz.questions) - len(ordering)


def test_an_instructors_quiz_yaml_goes_out_with_their_own_sources(tmp_path, capsys):
    """A quiz YAML citing the instructor's own source is checked with their sources.yaml and cites it."""
    quiz_text = (DATA / "all_types.yaml").read_text(encoding="utf-8")
    quiz_file = tmp_path / "my_quiz.yaml"
    quiz_file.write_text(
        quiz_text.replace("sources: [cleveland_clinic]", "sources: [my_lecture_notes]"),
        encoding="utf-8",
    )
    sources = tmp_path / "sources.yaml"
    sources.write_text(OWN_SOURCES, encoding="utf-8")
    out = tmp_path / "out" / "my_quiz.xml"

    code, said, notes = run(
        ["export-moodle", str(quiz_file), str(sources), "--out", str(out)], capsys
    )

    assert code == 0, notes
    assert "\u201cEvery question type\u201d" in said
    written = out.read_text(encoding="utf-8")
    assert "https://example.org/week3" in written and "My lecture notes" in written


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["when_to_seek_cair", "--out", "q.xml"], 'did you mean "when_to_seek_care"'),
        ([QUIZ, "--out", "q.docx"], "expected a file name ending in .xml (Moodle XML)"),
        (["my_quiz.yaml", "--out", "q.xml"], "my_quiz.yaml"),
    ],
    ids=["unknown quiz id", "unknown ending", "missing quiz file"],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, args, expected):
    """An unknown quiz, an output ending that names no format or a missing file: one line, exit 2."""
    args = [
        str(tmp_path / arg) if arg.endswith((".xml", ".docx", ".yaml")) else arg for arg in args
    ]
    code, said, notes = run(["export-moodle", *args], capsys)
    assert code == 2 and said == ""
    assert expected in notes
    assert "Traceback" not in notes
    assert not [path for path in tmp_path.iterdir() if path.suffix in (".xml", ".docx")]


def test_an_existing_file_is_kept_unless_forced(tmp_path, capsys):
    """Without --force an existing output stays as it was; with it the quiz replaces it."""
    out = tmp_path / "quiz.xml"
    out.write_text("mine", encoding="utf-8")
    code, _, notes = run(["export-moodle", QUIZ, "--out", str(out)], capsys)
    assert code == 2 and "which exists" in notes and "--force" in notes
    assert out.read_text(encoding="utf-8") == "mine"
    code, _, _ = run(["export-moodle", QUIZ, "--out", str(out), "--force"], capsys)
    assert code == 0 and out.read_bytes().startswith(b"<?xml")


def test_a_quiz_yaml_that_does_not_validate_lists_its_problems(tmp_path, capsys):
    """A quiz YAML citing a source nobody defined is refused with the file and key path named."""
    quiz_file = tmp_path / "my_quiz.yaml"
    quiz_file.write_text(
        (DATA / "all_types.yaml")
        .read_text(encoding="utf-8")
        .replace("sources: [cleveland_clinic]", "sources: [nobody_wrote_this]", 1),
        encoding="utf-8",
    )
    code, said, notes = run(
        ["export-moodle", str(quiz_file), "--out", str(tmp_path / "q.xml")], capsys
    )
    assert code == 2 and said == ""
    assert "my_quiz.yaml" in notes and "nobody_wrote_this" in notes
    assert not (tmp_path / "q.xml").exists()
