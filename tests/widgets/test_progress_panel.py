"""Progress in the apps, headless: answers saved as they go, resumed, downloaded and restored."""

from __future__ import annotations

import base64
import html
import json
import re
import socket
import threading
from datetime import UTC, datetime

import pytest

from backspasm_edu.progress import ProgressStore, default_store
from backspasm_edu.widgets import LearnerPanel, QuizPicker, QuizView, ScenarioPicker, ScenarioView
from tests.widgets.helpers import unlabelled, visible_text

pytestmark = pytest.mark.usefixtures("callbacks_raise")


def answer_once(view: QuizView, attempt: int = 0) -> None:
    """Pick or fill an answer to the current question (a different one per attempt), then Check."""
    question = view.session.current
    control = view.controls[0]
    if question.type in ("single_choice", "true_false"):
        control.value = question.options[attempt % len(question.options)].id
    elif question.type == "multiple_answers":
        view.controls[attempt % len(view.controls)].value = True
    elif question.type in ("numeric", "short_text"):
        control.value = str(attempt + 1)
    elif question.type == "ordering":  # each item once, rotated by the attempt number
        for place, dropdown in enumerate(view.controls):
            dropdown.value = dropdown.options[(place + attempt) % len(dropdown.options)][1]
    else:  # matching: every pair gets the same target, a different one per attempt
        for dropdown in view.controls:
            dropdown.value = dropdown.options[attempt % len(dropdown.options)][1]
    view.check_button.click()


def close_current(view: QuizView) -> None:
    """Answer the current question with a new answer each time until it closes."""
    for attempt in range(10):
        if view.session.current_closed:
            return
        answer_once(view, attempt)
    raise AssertionError(f"question {view.session.current.id} still open after 10 answers")


def uploaded(data: bytes, name: str = "progress.json") -> tuple[dict, ...]:
    """A FileUpload value as the browser sends it."""
    return (
        {
            "name": name,
            "type": "application/json",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime.now(UTC),
        },
    )


def downloaded(panel: LearnerPanel) -> dict:
    """The export file behind the panel's download link."""
    match = re.search(r'href="data:application/json;base64,([^"]+)"', panel.download.value)
    assert match, panel.download.value
    return json.loads(base64.b64decode(match.group(1)))


def test_a_reloaded_quiz_view_carries_on_at_the_same_question():
    """A new QuizView for the same learner (a page reload) opens at the question they were on."""
    view = QuizView("when_to_seek_care", learner="Ana")
    close_current(view)
    view.next_button.click()
    reloaded = QuizView("when_to_seek_care", learner="Ana")
    assert reloaded.session.index == 1
    assert "Question 2 of 12" in visible_text(reloaded)


def test_record_false_keeps_nothing():
    """A quiz built with record=False writes no progress."""
    view = QuizView("when_to_seek_care", record=False)
    close_current(view)
    assert default_store().records() == []


def test_learner_name_comes_from_the_page_address(monkeypatch):
    """?learner=Sam in the app's address fills the name box and names the records."""
    monkeypatch.setenv("QUERY_STRING", "learner=Sam&other=1")
    picker = QuizPicker()
    assert picker.learner_panel.learner == "Sam"
    picker.start_button.click()
    answer_once(picker.view)
    assert {record.learner for record in default_store().records()} == {"Sam"}


def test_a_preheated_kernel_waits_once_for_the_page_then_reads_its_address(monkeypatch):
    """Under Voila's preheating the page's request is read from Voila's socket once, when asked for, and fills the name in."""
    from websockets.sync.server import serve

    from backspasm_edu.widgets import _page

    paths = []

    def voila_sends_the_request(connection) -> None:
        paths.append(connection.request.path)
        connection.send(json.dumps({"QUERY_STRING": "learner=Kim", "SCRIPT_NAME": "/x"}))

    with serve(voila_sends_the_request, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        for name, value in {
            "VOILA_PREHEAT": "True",
            "VOILA_APP_IP": "127.0.0.1",
            "VOILA_APP_PORT": str(port),
            "VOILA_SERVER_URL": "/",
            "VOILA_KERNEL_ID": "k-1",
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("QUERY_STRING", "")  # restored after: the page sets it
        monkeypatch.setenv("SCRIPT_NAME", "")
        _page._wait_for_the_page.cache_clear()
        try:
            panel = LearnerPanel()
            assert panel.learner == "" and paths == []  # built before the page arrives
            assert _page.page_learner().name == "Kim"  # as the app's footer asks, in its last cell
            assert panel.learner == "Kim"
            assert QuizPicker().learner_panel.learner == "Kim"
        finally:
            _page._wait_for_the_page.cache_clear()
            server.shutdown()
    assert paths == ["/voila/query/k-1"]


def test_a_preheated_app_is_built_before_its_page_arrives_and_filled_in_after(monkeypatch):
    """A preheated quiz app checks its content and builds its widgets first; the footer waits for the page, then the learner shows."""
    from websockets.sync.server import serve

    from backspasm_edu.content.course import learner_apps
    from backspasm_edu.content.loader import load_library
    from backspasm_edu.widgets import _page, course_contents, course_footer, course_header
    from backspasm_edu.widgets.course_record import CourseRecordView

    asked = []

    def voila_sends_the_request(connection) -> None:
        asked.append(load_library.cache_info().currsize)
        connection.send(json.dumps({"QUERY_STRING": "learner=Kim"}))

    with serve(voila_sends_the_request, "127.0.0.1", 0) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        monkeypatch.setenv("VOILA_PREHEAT", "True")
        monkeypatch.setenv("VOILA_APP_PORT", str(server.socket.getsockname()[1]))
        monkeypatch.setenv("QUERY_STRING", "")  # restored after: the page sets it
        load_library.cache_clear()
        _page._wait_for_the_page.cache_clear()
        try:
            header, picker, contents = course_header("06_quiz"), QuizPicker(), course_contents()
            record = CourseRecordView()
            assert asked == [] and not _page.page_is_known()
            assert header.value == contents.value == "" and picker.learner_panel.learner == ""
            assert record.page is None and record.children == ()
            footer = course_footer("06_quiz")
        finally:
            _page._wait_for_the_page.cache_clear()
            server.shutdown()
    assert asked == [1]
    assert "Learning as <strong>Kim</strong>" in header.value
    assert picker.learner_panel.name.value == "Kim" and picker.learner_panel.learner == "Kim"
    assert "Next: " in visible_text(footer) and "learner=Kim" in footer.children[-1].value
    assert contents.value.count("?learner=Kim") == len(learner_apps()) - 1
    assert "Kim" in record.content.value and len(record.children) == 3


def test_a_preheated_kernel_that_cannot_reach_voila_leaves_the_name_empty(monkeypatch):
    """If Voila's request socket is unreachable, the app opens with an empty name box."""
    from backspasm_edu.widgets import _page

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    monkeypatch.delenv("QUERY_STRING", raising=False)
    _page._wait_for_the_page.cache_clear()
    try:
        panel = LearnerPanel()
        _page.page_learner()  # gives up on the socket at once
        assert panel.page is not None and panel.learner == "" and panel.name.value == ""
    finally:
        _page._wait_for_the_page.cache_clear()


def test_quiz_picker_reopens_an_unfinished_quiz_with_a_welcome_back():
    """Opening the app again shows the learner's unfinished quiz where they left it."""
    first = QuizPicker()
    first.learner_panel.name.value = "Bo"
    first.picker.value = "treatments_and_prevention"
    first.start_button.click()
    close_current(first.view)
    first.view.next_button.click()
    again = QuizPicker()
    again.learner_panel.name.value = "Bo"
    assert again.picker.value == "treatments_and_prevention"
    assert again.view is not None and again.view.session.index == 1
    assert "Welcome back" in visible_text(again)


def test_changing_the_name_closes_another_learners_quiz():
    """A different learner does not see the previous learner's open quiz."""
    picker = QuizPicker()
    picker.learner_panel.name.value = "Cy"
    picker.start_button.click()
    answer_once(picker.view)
    picker.learner_panel.name.value = "Dee"
    assert picker.view is None
    assert "Welcome back" not in visible_text(picker)


def test_scenario_picker_reopens_an_unfinished_case():
    """A case left halfway opens again at the same node for the same learner."""
    picker = ScenarioPicker()
    picker.picker.value = "hidden_red_flag"
    picker.start_button.click()
    picker.view.choice_buttons[0].click()
    node = picker.view.session.current.id
    again = ScenarioPicker()
    assert again.view is not None
    assert again.view.session.current.id == node
    assert "Welcome back" in visible_text(again)


def test_a_finished_case_is_not_reopened():
    """After an ending the picker waits for the learner to choose a case again."""
    view = ScenarioView("hidden_red_flag", learner="")
    while not view.session.finished:
        view.choice_buttons[0].click()
    assert ScenarioPicker().view is None


def test_download_link_holds_this_learners_progress():
    """The download link is refreshed after each answer and carries only this learner's records."""
    picker = QuizPicker()
    picker.learner_panel.name.value = "Eve"
    assert downloaded(picker.learner_panel)["records"] == []
    picker.start_button.click()
    answer_once(picker.view)
    document = downloaded(picker.learner_panel)
    assert [record["learner"] for record in document["records"]] == ["Eve"]
    assert 'download="backspasm-progress-eve.json"' in picker.learner_panel.download.value


def test_resume_from_file_restores_progress_into_a_new_session(tmp_path):
    """Uploading a downloaded file in a fresh store brings the learner back to their question."""
    home = ProgressStore(tmp_path / "home.sqlite")
    view = QuizView("when_to_seek_care", learner="Flo", store=home)
    close_current(view)
    view.next_button.click()
    data = home.export("Flo")
    picker = QuizPicker()
    picker.learner_panel.upload.value = uploaded(data)
    text = visible_text(picker)
    assert "✓ Progress restored" in text
    assert re.search(r"[1-9]\d* answer\(s\) from progress.json added to your progress", text)
    assert picker.view is not None and picker.view.session.index == 1
    picker.learner_panel.upload.value = uploaded(data)
    assert "0 answer(s) from progress.json added" in visible_text(picker)


def test_a_restored_file_becomes_the_restoring_learners_own(tmp_path):
    """A file made for another learner adds answers to this learner's progress, never to theirs."""
    home = ProgressStore(tmp_path / "home.sqlite")
    answer_once(QuizView("when_to_seek_care", learner="Sam", store=home))
    panel = LearnerPanel()
    panel.name.value = "Ali"
    panel.upload.value = uploaded(home.export("Sam"))
    assert "✓ Progress restored" in visible_text(panel)
    assert {record.learner for record in default_store().records()} == {"Ali"}


def test_a_file_of_several_learners_is_refused(tmp_path):
    """A class's export (many learners) is not one learner's progress: refused, nothing added."""
    home = ProgressStore(tmp_path / "home.sqlite")
    for name in ("Sam", "Ali"):
        answer_once(QuizView("when_to_seek_care", learner=name, store=home))
    panel = LearnerPanel()
    panel.upload.value = uploaded(home.export(), "class.json")
    text = visible_text(panel)
    assert "⚠ That file could not be loaded" in text
    assert "expected one learner" in text and "got the answers of 2 learners" in text
    assert default_store().records() == []


@pytest.mark.parametrize(
    "data", [b"not json at all", b'{"format": "something else"}', b"\x89PNG\r\n"]
)
def test_a_bad_progress_file_gives_a_warning_and_changes_nothing(data):
    """A file that is not a progress export shows ⚠ with the reason and adds nothing."""
    panel = LearnerPanel()
    panel.upload.value = uploaded(data, "holiday.json")
    text = visible_text(panel)
    assert "⚠ That file could not be loaded" in text
    assert "holiday.json" in text
    assert default_store().records() == []


def test_an_unusable_store_warns_and_the_quiz_still_works(tmp_path, monkeypatch):
    """A corrupt store file shows a warning in words, and the quiz runs without saving."""
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"garbage, not a database")
    monkeypatch.setenv("BACKSPASM_EDU_PROGRESS", str(broken))
    view = QuizView("when_to_seek_care")
    assert "Your progress cannot be saved in this session" in visible_text(view)
    answer_once(view)
    assert broken.read_bytes() == b"garbage, not a database"


def test_learner_panel_controls_are_labelled():
    """The name box, download link and upload all have names a screen reader reads."""
    panel = LearnerPanel()
    assert unlabelled(panel) == []
    assert "Download my progress" in panel.download.value


def shown(panel: LearnerPanel) -> str:
    """The panel's text as a learner reads it, quotes and all."""
    return html.unescape(visible_text(panel))


def forged(data: bytes, **changes) -> bytes:
    """An export file with every record's fields overwritten, as a crafted upload would be."""
    document = json.loads(data)
    for record in document["records"]:
        record.update(changes)
    return json.dumps(document).encode()


def test_a_file_claiming_right_answers_stores_the_engines_verdicts(tmp_path):
    """Wrong answers claimed right with score 12 and finished are stored as the engine scored them."""
    home = ProgressStore(tmp_path / "home.sqlite")
    view = QuizView("when_to_seek_care", learner="Sam", store=home)
    for _question in range(3):
        close_current(view)
        view.next_button.click()
    honest = [(r.item_id, r.correct, r.score, r.finishes) for r in home.records("Sam")]
    panel = LearnerPanel()
    panel.upload.value = uploaded(forged(home.export("Sam"), correct=True, score=12, finishes=True))
    assert "✓ Progress restored" in visible_text(panel)
    stored = [(r.item_id, r.correct, r.score, r.finishes) for r in default_store().records()]
    assert stored == honest
    assert not any(finishes for *_rest, finishes in stored)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"recorded_at": "not a time"}, "records[0].recorded_at: expected a time from 2020 to now"),
        (
            {"recorded_at": "2099-01-01T00:00:00+00:00"},
            "records[0].recorded_at: expected a time from 2020 to now (ISO 8601, as exports write it), "
            "got '2099-01-01T00:00:00+00:00'",
        ),
        ({"score": float("inf")}, "records[0].score: expected a finite number, got inf"),
        (
            {"activity_id": "planted"},
            "records[0].activity_id: expected one of the course's quizzes",
        ),
    ],
)
def test_a_file_with_a_bad_time_number_or_id_is_refused_and_adds_nothing(
    tmp_path, changes, expected
):
    """A forged time, an infinite score or an unknown quiz gives ⚠ with the field; nothing stored."""
    home = ProgressStore(tmp_path / "home.sqlite")
    answer_once(QuizView("when_to_seek_care", learner="Sam", store=home))
    panel = LearnerPanel()
    panel.upload.value = uploaded(forged(home.export("Sam"), **changes), "sam.json")
    text = shown(panel)
    assert "⚠ That file could not be loaded" in text
    assert f"sam.json: {expected}" in text
    assert default_store().records() == []
    assert panel.upload.value == ()


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read():
    """Bytes over 2 MB sent as the upload's value are refused by their size alone, value cleared."""
    panel = LearnerPanel()
    panel.upload.value = uploaded(b"{" * (2 * 1024 * 1024 + 1), "big.json")
    text = shown(panel)
    assert "⚠ That file could not be loaded" in text
    assert "big.json: expected one learner's progress file, got 2.0 MB" in text
    assert "the largest file accepted is 2 MB" in text and "invalid JSON" not in text
    assert panel.upload.value == ()
    assert default_store().records() == []


@pytest.mark.parametrize("content", ["text, not bytes", [1, 2, 3], None])
def test_an_upload_without_file_bytes_is_refused_in_words(content):
    """A value set over the comm with no file's bytes as its content gets one line, no traceback."""
    panel = LearnerPanel()
    panel.upload.value = ({**uploaded(b"")[0], "name": "x.json", "content": content},)
    text = shown(panel)
    assert "⚠ That file could not be loaded" in text
    assert "x.json: expected the bytes of a file, got none" in text
    assert default_store().records() == []


def test_a_file_with_one_forged_run_adds_none_of_its_runs(tmp_path):
    """All or nothing: a genuine case walk beside a quiz answer that does not fit is not restored."""
    home = ProgressStore(tmp_path / "home.sqlite")
    walk = ScenarioView("hidden_red_flag", learner="Sam", store=home)
    walk.choice_buttons[0].click()
    answer_once(QuizView("when_to_seek_care", learner="Sam", store=home))
    document = json.loads(home.export("Sam"))
    document["records"][-1]["item_id"] = "no_such_question"
    panel = LearnerPanel()
    panel.upload.value = uploaded(json.dumps(document).encode(), "sam.json")
    text = shown(panel)
    assert "⚠ That file could not be loaded" in text
    assert "records[1]: expected an answer that fits the quiz 'when_to_seek_care'" in text
    assert default_store().records() == []
