"""A Markdown quiz in the browser: math typeset by Voila's own MathJax, code lines kept, no script."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.builders import DATA

from .conftest import App
from .support import EXTERNAL, serve_process

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}
QUIZ_TITLE = "Rich text check"

PRE_LINES = """pre => {
  const style = getComputedStyle(pre);
  const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
  return pre.getBoundingClientRect().height / line;
}"""
"""How many lines of text a <pre> is high."""


@pytest.fixture(scope="module")
def rich_server(tmp_path_factory) -> Iterator[str]:
    """`backspasm-edu serve --content` over a folder holding the Markdown fixture quiz."""
    folder = tmp_path_factory.mktemp("rich_content")
    shutil.copy(DATA / "markdown_quiz.yaml", folder / "markdown_quiz.yaml")
    log = folder / "serve.log"
    with serve_process("--content", str(folder), "--progress", str(folder), log_path=log) as (
        base,
        _,
    ):
        yield base


@pytest.mark.parametrize("size", VIEWPORTS, ids=list(VIEWPORTS))
def test_markdown_quiz_typesets_math_keeps_code_lines_runs_no_script(browser, rich_server, size):
    """Math is typeset with no raw $, code keeps its lines, no injected script ran, options click."""
    context = browser.new_context(viewport=VIEWPORTS[size])
    context.set_default_timeout(30_000)
    outside: list[str] = []

    def offline(route) -> None:
        outside.append(route.request.url)
        route.fulfill(status=200, body="", content_type="text/css")

    context.route(EXTERNAL, offline)
    page = context.new_page()
    app = App(page, rich_server)
    try:
        app.open("06_quiz")
        page.get_by_label("Choose a quiz").select_option(label=QUIZ_TITLE)
        page.get_by_role("button", name="Start quiz").click()
        prompt = page.locator(".widget-htmlmath", has_text="Which is").first
        prompt.locator("mjx-container").first.wait_for(state="attached")
        page.wait_for_function(
            "el => el.querySelectorAll('mjx-container').length >= 6", arg=prompt.element_handle()
        )
        shown = prompt.inner_text()
        assert "$" not in shown
        assert "\\(" not in shown
        assert "More" in shown

        code = prompt.locator("pre")
        assert "x_1 = 3\nprint(x_1 ** 2)" in code.inner_text()
        assert code.evaluate(PRE_LINES) >= 1.8

        labels = page.locator(".widget-checkbox label.widget-label-basic")
        boxes = page.locator(".widget-checkbox input[type=checkbox]")
        nine, six = labels.nth(0), labels.nth(1)
        nine.locator("mjx-container").wait_for(state="attached")
        assert "six" in six.inner_text()
        for index in range(labels.count()):
            box = labels.nth(index).bounding_box()
            assert box is not None
            assert box["height"] >= 44
        six.click()
        page.wait_for_function(
            "() => document.querySelectorAll('.widget-checkbox input')[1].checked"
        )
        nine.click()
        page.wait_for_function(
            "() => { const boxes = document.querySelectorAll('.widget-checkbox input');"
            " return boxes[0].checked && !boxes[1].checked; }"
        )
        assert [boxes.nth(index).is_checked() for index in range(3)] == [True, False, False]

        page.get_by_role("button", name="Check").click()
        feedback = page.locator(".widget-htmlmath", has_text="Points for this question")
        feedback.locator("mjx-container").first.wait_for(state="attached")
        assert "$" not in feedback.inner_text()

        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert [url for url in outside if "fontawesome" not in url] == []
        scroll_width, inner_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, innerWidth]"
        )
        assert scroll_width <= inner_width
    finally:
        context.close()
