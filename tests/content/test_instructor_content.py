"""Instructors' own quizzes and cases: a content folder for the apps, or a file for one view."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backspasm_edu.content.loader import load_library, load_quiz, load_scenario
from backspasm_edu.errors import ContentError
from backspasm_edu.settings import CONTENT_ENV
from backspasm_edu.widgets import QuizPicker, QuizView, ScenarioPicker, ScenarioView
from tests.widgets.helpers import visible_text

DATA = Path(__file__).parents[1] / "data"


@pytest.fixture
def content_folder(tmp_path, monkeypatch):
    """An empty instructor content folder named by $BACKSPASM_EDU_CONTENT, cache cleared."""
    folder = tmp_path / "my_course"
    folder.mkdir()
    monkeypatch.setenv(CONTENT_ENV, str(folder))
    load_library.cache_clear()
    yield folder
    load_library.cache_clear()


def test_quizzes_and_cases_in_the_content_folder_join_the_packaged_ones(content_folder):
    """The pickers offer an instructor's quiz and case beside the packaged ones."""
    shutil.copy(DATA / "all_types.yaml", content_folder / "all_types.yaml")
    shutil.copy(DATA / "tiny_case.yaml", content_folder / "tiny_case.yaml")
    library = load_library()
    assert "all_types" in library.quizzes and "when_to_seek_care" in library.quizzes
    assert "tiny_case" in library.scenarios and "hidden_red_flag" in library.scenarios
    assert "Every question type" in visible_text(QuizPicker())
    assert "A tiny case" in visible_text(ScenarioPicker())


def test_a_broken_file_in_the_content_folder_is_named_with_its_key_path(content_folder):
    """A quiz with a missing answer key stops loading with the file and key path named."""
    text = (DATA / "all_types.yaml").read_text().replace("id: all_types", "id: broken", 1)
    (content_folder / "broken.yaml").write_text(text.replace("questions:", "questionz:", 1))
    with pytest.raises(ContentError, match=r"broken\.yaml"):
        load_library()


def test_the_triage_rules_cannot_be_replaced_through_the_content_folder(content_folder):
    """A rules.yaml in the folder is refused: the apps always use the packaged triage rules."""
    (content_folder / "rules.yaml").write_text("notice: x\nrules: []\n")
    with pytest.raises(ContentError, match="always use the packaged triage rules"):
        load_library()


def test_without_the_variable_only_packaged_content_loads(monkeypatch):
    """Unset, the library holds exactly the packaged quizzes."""
    monkeypatch.delenv(CONTENT_ENV, raising=False)
    load_library.cache_clear()
    assert set(load_library().quizzes) == {
        "causes_and_symptoms",
        "when_to_seek_care",
        "treatments_and_prevention",
    }


def test_the_triage_table_is_the_loaded_librarys_own(monkeypatch):
    """Once the whole library is loaded, the triage table is its table, not a second reading."""
    from backspasm_edu.content.loader import load_triage_table

    monkeypatch.delenv(CONTENT_ENV, raising=False)
    load_library.cache_clear()
    load_triage_table.cache_clear()
    try:
        alone = load_triage_table()
        load_triage_table.cache_clear()
        library = load_library()
        assert load_triage_table() is library.triage
        assert library.triage == alone
    finally:
        load_triage_table.cache_clear()


def test_a_view_can_open_a_quiz_or_case_file_directly():
    """QuizView and ScenarioView accept a path to an instructor's YAML file."""
    quiz_view = QuizView(str(DATA / "all_types.yaml"), record=False)
    assert "Every question type" in visible_text(quiz_view)
    case_view = ScenarioView(str(DATA / "tiny_case.yaml"), record=False)
    assert "A tiny case" in visible_text(case_view)
    assert load_scenario(str(DATA / "tiny_case.yaml")).id == "tiny_case"


def test_a_broken_quiz_file_gives_the_same_clear_error(tmp_path):
    """Opening a broken quiz file raises ContentError naming the file, like validate does."""
    broken = tmp_path / "one_answer.yaml"
    text = (DATA / "all_types.yaml").read_text()
    broken.write_text(text.replace("attempts: 2", "attempts: zero", 1))
    with pytest.raises(ContentError, match=r"one_answer\.yaml: attempts"):
        load_quiz(str(broken))
