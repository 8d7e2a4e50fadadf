"""Each learner's own progress in a real browser: private cookies, class links, lost connections."""

from __future__ import annotations

import base64
import json
import re

import pytest

from backspasm_edu.progress import ProgressStore
from tests.progress.test_course_record import take_quiz

from .support import READY, app_url, serve_process
from .test_apps import answer_the_first_question_right, wait_for_text
from .test_layout import VIEWPORTS

KERNEL_SOCKET = re.compile(r"/api/kernels/[^/]+/channels")


def browser_id(context) -> str:
    """The private id inside a context's signed ``backspasm_browser`` cookie."""
    cookie = next(c for c in context.cookies() if c["name"] == "backspasm_browser")
    # Tornado's signed value: 2|1:0|<len>:<time>|<len>:<name>|<len>:<base64 value>|<signature>
    encoded = cookie["value"].strip('"').split("|")[4].split(":", 1)[1]
    return base64.b64decode(encoded).decode("ascii")


def test_a_second_browser_sees_none_of_the_firsts_progress(app, browser):
    """Another browser with the same name, even sending the first's id as a header, starts afresh."""
    page = answer_the_first_question_right(app)
    page.reload()
    wait_for_text(app, "Question 2 of 3")  # the first browser carries on
    first_id = browser_id(page.context)
    assert re.fullmatch(r"[0-9a-f]{32}", first_id)
    cookie = next(c for c in page.context.cookies() if c["name"] == "backspasm_browser")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    forged = {"X-Backspasm-Browser": first_id, "X-Backspasm-Signed-Learner": "yes"}
    for headers in ({}, forged):
        other = browser.new_context(extra_http_headers=headers)
        try:
            second = other.new_page()
            second.goto(app_url(app.base_url, "01_what_is_a_back_spasm", app.learner))
            second.get_by_text("Question 1 of 3").first.wait_for(state="visible")
            assert "Question 2 of 3" not in second.inner_text("body")
            assert browser_id(other) != first_id
        finally:
            other.close()


def test_a_class_link_follows_its_learner_and_a_wrong_code_does_not(browser, tmp_path):
    """The link serve prints for a learner opens their progress in any browser; a forged code does not."""
    (tmp_path / "class.txt").write_text("Sam Lee\nAli\n", encoding="utf-8")
    options = ("--progress", str(tmp_path), "--class-list", str(tmp_path / "class.txt"))
    log = tmp_path / "serve.log"
    with serve_process(*options, log_path=log) as (_base, _process):
        links = dict(re.findall(r"^  (Sam Lee|Ali)\t(\S+)$", log.read_text(), re.M))
        assert set(links) == {"Sam Lee", "Ali"}
        sams_quick_check = links["Sam Lee"].replace("00_start_here", "01_what_is_a_back_spasm")
        contexts = [browser.new_context() for _ in range(3)]
        try:
            first, second, forger = (context.new_page() for context in contexts)
            first.goto(sams_quick_check)
            first.get_by_text("Question 1 of 3").first.wait_for(state="visible")
            assert "Learning as Sam Lee" in first.inner_text("body")
            first.get_by_label(
                "A sudden tightening of back muscles that happens without you choosing it"
            ).check()
            first.get_by_role("button", name="Check").click()
            first.get_by_text("✓ Right").first.wait_for(state="visible")
            second.goto(sams_quick_check)  # Sam on another device
            second.get_by_text("Question 2 of 3").first.wait_for(state="visible")
            forger.goto(re.sub(r"code=[^&]+", "code=AAAAAAAAAAAAAAAAAAAA", sams_quick_check))
            forger.get_by_text("Question 1 of 3").first.wait_for(state="visible")
        finally:
            for context in contexts:
                context.close()


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
def test_a_lost_connection_shows_a_banner_and_disables_controls_until_it_is_back(app, size):
    """Cutting the page's kernel socket shows "Connection lost" and disables Start; reconnecting restores both."""
    page = app.page
    page.set_viewport_size(VIEWPORTS[size])
    network = {"down": False, "sockets": []}

    def kernel_socket(socket) -> None:
        if network["down"]:
            socket.close()  # the network is down: every reconnection attempt fails
            return
        socket.connect_to_server()
        network["sockets"].append(socket)

    page.route_web_socket(KERNEL_SOCKET, kernel_socket)
    app.open("06_quiz")
    start = page.get_by_role("button", name="Start quiz")
    start.wait_for(state="visible")  # the widgets are drawn: the kernel socket is open
    banner = page.locator(".backspasm-connection")
    assert banner.get_attribute("role") == "status" and banner.is_hidden()
    assert network["sockets"], "the page's kernel socket went through the route"
    network["down"] = True
    for socket in network["sockets"]:
        socket.close()
    banner.wait_for(state="visible")
    assert "⚠ Connection lost - trying again" in banner.inner_text()
    box = banner.bounding_box()
    assert box is not None and box["y"] == 0 and box["width"] >= VIEWPORTS[size]["width"] - 1
    assert start.is_disabled()
    network["down"] = False
    page.get_by_text("✓ Connected again").wait_for(state="visible")
    assert start.is_enabled()
    start.click()
    page.get_by_text("Question 1 of").first.wait_for(state="visible")  # the kernel answers again
    banner.wait_for(state="hidden")


def upload_file(page, name: str, data: bytes) -> None:
    """Choose a file with "Resume from file" as a learner does (its input is never in the page)."""
    with page.expect_file_chooser() as chooser:
        page.locator(".backspasm-upload").click()
    chooser.value.set_files({"name": name, "mimeType": "application/json", "buffer": data})


def test_a_forged_progress_file_uploaded_through_the_page_stores_only_the_engines_verdicts(
    browser, tmp_path
):
    """Through the page's socket: wrong answers claimed right come back wrong; a bad time is refused."""
    home = ProgressStore(tmp_path / "home.sqlite")
    take_quiz(home, "sam", wrong_every=1, stop_after=4)
    honest = [(r.item_id, r.correct, r.score) for r in home.records("sam")]
    document = json.loads(home.export("sam"))
    for record in document["records"]:
        record.update(correct=True, score=1e300, finishes=True)
    served = tmp_path / "served"
    with serve_process("--progress", str(served), log_path=tmp_path / "serve.log") as (base, _):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(app_url(base, "06_quiz"))
            page.get_by_text(READY["06_quiz"]).first.wait_for(state="visible")
            upload_file(page, "sam.json", json.dumps(document).encode())
            page.get_by_text("✓ Progress restored").wait_for(state="visible")
            with ProgressStore(served) as store:
                stored = store.records("#" + browser_id(context))
            assert [(r.item_id, r.correct, r.score) for r in stored] == honest
            assert not any(record.correct or record.finishes for record in stored)
            document["records"][0]["recorded_at"] = "not a time"
            upload_file(page, "late.json", json.dumps(document).encode())
            page.get_by_text("⚠ That file could not be loaded").wait_for(state="visible")
            expected = "late.json: records[0].recorded_at: expected a time from 2020 to now"
            assert expected in page.inner_text("body")
        finally:
            context.close()
