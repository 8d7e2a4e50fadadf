"""`backspasm-edu serve` in Chromium: the landing page, and kernels of closed pages shut down."""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backspasm_edu.app import serve

from .support import EXTERNAL, READY, ROOT, STUDENT_APPS, app_url, serve_process

CULL_IDLE_TIMEOUT = 6
"""Seconds, short for the test; a class gets 300. Long enough for a page to connect its kernel."""
KERNEL_ID = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
"""The id of the kernel Voila started for a page, from the page's own configuration."""


def kernel_state(base: str, kernel_id: str) -> dict | None:
    """The kernel as Voila's REST endpoint /api/kernels/ID reports it, or None once it is gone."""
    try:
        with urllib.request.urlopen(f"{base}/api/kernels/{kernel_id}", timeout=5) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise


def kernel_processes(server_pid: int) -> list[int]:
    """The ipykernel processes the server started (its children), read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # the process ended while we looked
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == server_pid and b"ipykernel_launcher" in command:
            found.append(int(entry.name))
    return found


def test_landing_page_lists_every_app_with_its_title_and_description(app):
    """The start page links each learner's notebook by title, with its one-line description.

    The class results page is for instructors: it is not listed (serve prints its address).
    """
    page = app.page
    page.goto(f"{app.base_url}/")
    assert page.title() == "Back spasms: the apps"
    assert "not a diagnosis" in app.text()
    notebooks = [
        path
        for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        if serve.app_info(path).for_learners
    ]
    assert [path.stem for path in notebooks] == STUDENT_APPS
    assert "Class results" not in app.text()
    items = page.locator("ol.backspasm-apps > li")
    assert items.count() == len(notebooks)
    for item, notebook in zip(items.all(), notebooks, strict=True):
        info = serve.app_info(notebook)
        link = item.get_by_role("link", name=info.title, exact=True)
        assert link.get_attribute("href") == f"/voila/render/{notebook.name}"
        assert item.locator("p").inner_text() == info.description
    assert [link.inner_text() for link in items.get_by_role("link").all()][:8] == [
        "Start here",
        "What is a back spasm?",
        "What causes back spasms?",
        "When to get help",
        "Treatments and the evidence",
        "Stop and prevent spasms",
        "Knowledge check",
        "Patient cases",
    ]
    page.get_by_role("link", name="Knowledge check").click()
    page.get_by_text(READY["06_quiz"]).first.wait_for(state="visible", timeout=90_000)
    assert app.errors == []
    assert app.failed_responses == []


def test_landing_page_links_keep_the_learner_in_the_address(voila_url):
    """Opened as /?learner=Sam, the start page links each app with ?learner=Sam kept."""
    with urllib.request.urlopen(f"{voila_url}/?learner=Sam", timeout=30) as response:
        html = response.read().decode()
    assert 'href="/voila/render/06_quiz.ipynb?learner=Sam"' in html
    assert '<html lang="en">' in html


@pytest.mark.slow
def test_kernels_of_closed_pages_are_shut_down(browser, tmp_path):
    """Open pages keep their kernels past the idle timeout; closed, every kernel is culled."""
    options = ["--cull-idle-timeout", str(CULL_IDLE_TIMEOUT), "--cull-interval", "1"]
    with serve_process(*options, log_path=tmp_path / "serve.log") as (base, process):
        context = browser.new_context()
        context.route(EXTERNAL, lambda route: route.fulfill(status=200, body=""))
        names = ["01_what_is_a_back_spasm", "03_when_to_get_help", "06_quiz"]
        pages = []
        for name in names:
            page = context.new_page()
            page.goto(f"{base}/voila/render/{name}.ipynb", timeout=90_000)
            page.get_by_text(READY[name]).first.wait_for(state="visible", timeout=90_000)
            pages.append(page)
        kernels = sorted({page.evaluate(KERNEL_ID) for page in pages})
        assert len(kernels) == len(names)
        assert len(kernel_processes(process.pid)) == len(names)

        # Idle for longer than the timeout, but with their pages open: nothing is culled.
        time.sleep(CULL_IDLE_TIMEOUT + 2)
        states = [kernel_state(base, kernel) for kernel in kernels]
        assert all(state and state["connections"] >= 1 for state in states), states
        pages[2].get_by_role("button", name="Start quiz").click()
        pages[2].get_by_text("Question 1 of").first.wait_for(state="visible")

        context.close()
        closed = time.monotonic()
        while True:
            alive = [kernel for kernel in kernels if kernel_state(base, kernel) is not None]
            processes = kernel_processes(process.pid)
            if not alive and not processes:
                break
            assert time.monotonic() - closed < CULL_IDLE_TIMEOUT + 30, (alive, processes)
            time.sleep(0.5)
        took = time.monotonic() - closed
    print(f"{len(kernels)} kernels shut down {took:.1f} s after their pages closed")
    assert "Culling 'idle' kernel" in (tmp_path / "serve.log").read_text()


@pytest.mark.slow
def test_preheated_kernels_open_each_learners_own_page(browser, tmp_path):
    """With --preheat-kernels each page takes a kernel that ran ahead, filled in from its own link.

    The kernels wait in the pool for longer than the cull timeout, and none is culled on the way
    to its page.
    """
    options = ["--preheat-kernels", "1", "--progress", str(tmp_path)]
    options += ["--cull-idle-timeout", str(CULL_IDLE_TIMEOUT), "--cull-interval", "1"]
    with serve_process(*options, log_path=tmp_path / "serve.log") as (base, process):
        deadline = time.monotonic() + 90
        while len(kernel_processes(process.pid)) < 8:  # one per app, the dashboard excepted
            assert time.monotonic() < deadline, "the pool of preheated kernels did not fill"
            time.sleep(0.5)
        time.sleep(CULL_IDLE_TIMEOUT + 2)  # every pooled kernel is now idle for longer
        context = browser.new_context()
        context.route(EXTERNAL, lambda route: route.fulfill(status=200, body=""))
        idle_app = context.new_page()  # 02 ends idle: its kernel is not busy waiting for a page
        idle_app.goto(app_url(base, "02_causes"), timeout=90_000)
        idle_app.get_by_text(READY["02_causes"]).first.wait_for(timeout=90_000)
        time.sleep(2)  # more than a cull interval with the page open
        assert kernel_state(base, idle_app.evaluate(KERNEL_ID)) is not None
        for learner in ("Ravi", "Noor"):  # the second takes the kernel started to refill the pool
            own = browser.new_context()  # each learner in their own browser, as in a class
            own.route(EXTERNAL, lambda route: route.fulfill(status=200, body=""))
            page = own.new_page()
            page.goto(app_url(base, "06_quiz", learner), timeout=90_000)
            page.get_by_role("button", name="Start quiz").wait_for(timeout=90_000)
            expect(page.get_by_label("Your name")).to_have_value(learner)
            # built before the page arrived, filled in for this learner after
            expect(page.locator(".backspasm-course")).to_contain_text(f"Learning as {learner}")
            next_app = page.get_by_role("link", name=re.compile(r"^Next: "))
            expect(next_app).to_have_attribute("href", re.compile(rf"\?learner={learner}$"))
            page.get_by_role("button", name="Start quiz").click()
            page.get_by_text("Question 1 of").first.wait_for(state="visible")
            own.close()
        context.close()
        assert "Traceback" not in (tmp_path / "serve.log").read_text()
