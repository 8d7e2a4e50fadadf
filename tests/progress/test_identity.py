"""Learner identity: browser keys, class link codes, the course secret, labels and restores."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from backspasm_edu.content.course import learner_apps
from backspasm_edu.instructor.report import read_progress_file
from backspasm_edu.progress import (
    NO_NAME,
    ProgressError,
    ProgressStore,
    Recorder,
    browser_key,
    code_matches,
    course_secret,
    is_browser_key,
    learner_code,
    learner_labels,
    new_browser_id,
    read_export_and_names,
    rekeyed,
)
from backspasm_edu.progress.course import app_states
from backspasm_edu.progress.identity import hub_user, secret_path
from backspasm_edu.settings import MAX_NAME_LENGTH

SECRET = bytes(range(32))


def test_a_class_link_code_fits_only_its_own_name_and_secret():
    """A code opens the name it was made for, with the course's secret: no other name or course."""
    code = learner_code(SECRET, "Sam Lee")
    assert code_matches(SECRET, "Sam Lee", code)
    assert code_matches(SECRET, "  Sam   Lee ", code)  # spaces as typed do not matter
    assert not code_matches(SECRET, "Sam", code)
    assert not code_matches(bytes(32), "Sam Lee", code)
    assert not code_matches(SECRET, "Sam Lee", code[:-1] + ("A" if code[-1] != "A" else "B"))
    assert not code_matches(SECRET, "", learner_code(SECRET, ""))
    assert not code_matches(SECRET, "Sam Lee", "ünïcode")


def test_the_course_secret_is_made_once_private_and_kept(tmp_path):
    """The secret is made beside the store, readable by its owner only, and the same next time."""
    store = tmp_path / "class.sqlite"
    first = course_secret(store)
    assert len(first) == 32
    assert secret_path(store) == tmp_path / "class.sqlite.secret"
    assert stat.S_IMODE(os.stat(secret_path(store)).st_mode) == 0o600
    assert course_secret(store) == first


def test_a_damaged_secret_is_a_clear_error_and_is_kept(tmp_path):
    """A secret file that is not 64 hex digits is named, with what to do; it is left as it is."""
    store = tmp_path / "class.sqlite"
    secret_path(store).write_text("not hex\n")
    with pytest.raises(ProgressError, match=r"expected the course secret \(64 hex digits\)"):
        course_secret(store)
    assert secret_path(store).read_text() == "not hex\n"


def test_browser_keys_are_private_ids_and_nothing_else():
    """A browser key is # and 32 hex digits; names, even ones starting with #, are not."""
    browser = new_browser_id()
    assert is_browser_key(browser_key(browser))
    assert browser != new_browser_id()
    for name in ("Sam", "#Sam", "", "#" + "g" * 32):
        assert not is_browser_key(name)
    with pytest.raises(ProgressError, match="expected a private browser id of 32 hex digits"):
        browser_key("../../etc")


def test_labels_show_names_and_tell_apart_learners_who_share_one():
    """The instructor sees names, never keys alone; two browsers named Sam are told apart."""
    one, two, three = (browser_key(new_browser_id()) for _ in range(3))
    labels = learner_labels([one, two, three, "Ali", ""], {one: "Sam", two: "Sam"})
    assert labels["Ali"] == "Ali"
    assert labels[""] == NO_NAME
    assert labels[three] == NO_NAME + f" ({three[1:7]})"
    assert labels[one] == f"Sam ({one[1:7]})" and labels[two] == f"Sam ({two[1:7]})"
    assert len(set(labels.values())) == 5  # every learner shown apart


def test_restored_records_become_the_restorers_and_a_second_restore_adds_nothing(tmp_path):
    """Re-keyed records belong to the learner restoring them, with ids stable across restores."""
    store = ProgressStore(tmp_path / "a.sqlite")
    Recorder(store, "Sam", "quiz", "when_to_seek_care", 3).record(
        item_id="q1", answer="a", correct=True, score=1.0, attempt=1
    )
    mine = rekeyed(store.records("Sam"), "#" + "a" * 32)
    assert [record.learner for record in mine] == ["#" + "a" * 32]
    assert mine == rekeyed(store.records("Sam"), "#" + "a" * 32)
    assert store.add(mine) == 1 and store.add(mine) == 0
    assert len(store.records("Sam")) == 1  # Sam's own record is untouched


def test_names_and_pages_done_are_kept_and_exported(store_location):
    """A learner's name and the pages they marked done are kept; an export carries the name."""
    store = ProgressStore(store_location)
    key = browser_key(new_browser_id())
    store.set_name(key, "Sam")
    store.set_name(key, "Sam Lee")
    store.mark_page_done(key, "02_causes")
    store.mark_page_done(key, "02_causes")
    assert store.names() == {key: "Sam Lee"}
    assert store.pages_done(key) == {"02_causes"} and store.pages_done("Ali") == set()
    _records, names = read_export_and_names(store.export(key))
    assert names == {key: "Sam Lee"}
    assert read_progress_file(store_location).names == {key: "Sam Lee"}
    store.set_name(key, "")
    assert store.names() == {}


def test_a_version_1_store_gains_the_new_tables_and_keeps_its_records(tmp_path):
    """A store made before names and pages (version 1) opens, keeps its answers and is upgraded."""
    path = tmp_path / "old.sqlite"
    store = ProgressStore(path)
    Recorder(store, "Sam", "quiz", "when_to_seek_care", 3).record(
        item_id="q1", answer="a", correct=True, score=1.0, attempt=1
    )
    store.close()
    with sqlite3.connect(path) as connection:
        connection.execute("DROP TABLE learner_names")
        connection.execute("DROP TABLE pages_done")
        connection.execute("PRAGMA user_version = 1")
    upgraded = ProgressStore(path)
    assert len(upgraded.records("Sam")) == 1
    upgraded.set_name("Sam", "Sam")
    assert upgraded.names() == {"Sam": "Sam"}
    assert upgraded._connection.execute("PRAGMA user_version").fetchone()[0] == 2


def test_an_export_with_bad_names_is_refused(tmp_path):
    """An export whose names are not text for text is refused with the field named."""
    data = b'{"format": "backspasm-edu-progress", "version": 1, "records": [], "names": [1]}'
    with pytest.raises(ProgressError, match="names: expected a mapping of learner keys to names"):
        read_export_and_names(data, "x.json")


def test_course_states_count_finished_activities_and_marked_pages(store_location):
    """Apps are done when their activities are finished (or the page marked), started when begun."""
    store = ProgressStore(store_location)
    recorder = Recorder(store, "Sam", "quiz", "causes_and_symptoms:check", 3)
    recorder.record(item_id="q3", answer="a", correct=True, score=1.0, attempt=1, finishes=True)
    Recorder(store, "Sam", "quiz", "when_to_seek_care", 10).record(
        item_id="q1", answer="a", correct=True, score=1.0, attempt=1, finishes=True
    )
    Recorder(store, "Sam", "scenario", "desk_worker", 5).record(
        item_id="start", answer="rest", correct=None, score=1.0, attempt=1
    )
    store.mark_page_done("Sam", "02_causes")
    states = {
        state.app_id: state
        for state in app_states(
            learner_apps(),
            store.records("Sam"),
            store.pages_done("Sam"),
            ["causes_and_symptoms", "when_to_seek_care", "treatments_and_prevention"],
            ["desk_worker", "lifting_spasm"],
        )
    }
    assert "00_start_here" not in states  # the start page is not counted
    assert len(states) == 7
    assert states["01_what_is_a_back_spasm"].done
    assert states["02_causes"].done and not states["03_when_to_get_help"].started
    quiz = states["06_quiz"]
    assert not quiz.done and quiz.started and quiz.detail == "1 of 3 quizzes finished"
    cases = states["07_case_scenarios"]
    assert not cases.done and cases.started and cases.detail == "0 of 2 cases finished"


def test_the_hub_user_is_read_from_jupyterhub_and_kept_as_a_name(monkeypatch):
    """$JUPYTERHUB_USER gives the learner, trimmed like any name; with none set there is no hub user."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    assert hub_user() == ""
    monkeypatch.setenv("JUPYTERHUB_USER", "  alice  ")
    assert hub_user() == "alice"
    monkeypatch.setenv("JUPYTERHUB_USER", "a" * 100)
    assert hub_user() == "a" * MAX_NAME_LENGTH
