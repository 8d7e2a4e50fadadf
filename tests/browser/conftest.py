"""Browser fixtures: one Voila server and one Chromium per session, a fresh context per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from .support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXTERNAL,
    READY,
    app_url,
    chromium_available,
    voila_server,
)

LOAD_TIMEOUT_MS = 90_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test in this folder as a browser test."""
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def voila_url() -> Iterator[str]:
    """The base URL of `backspasm-edu serve` over the apps, stopped after the session."""
    with voila_server() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; required in CI, skipped with a reason elsewhere."""
    if not chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: 'make test' installs it with apt-get")
        pytest.skip(f"{CHROMIUM} is missing: run 'make test' (as root it installs Chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class App:
    """A page of one app, with the errors and outside requests seen while it ran."""

    page: object
    base_url: str
    errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)
    learner: str = field(default_factory=lambda: f"tester-{uuid.uuid4().hex[:8]}")
    """Each test is its own learner, so no test resumes another's saved quiz."""

    def open(self, name: str) -> None:
        """Load an app and wait until its ready text shows in a rendered widget."""
        page = self.page
        page.goto(app_url(self.base_url, name, self.learner), timeout=LOAD_TIMEOUT_MS)
        page.get_by_text(READY[name], exact=False).first.wait_for(
            state="visible", timeout=LOAD_TIMEOUT_MS
        )

    def text(self) -> str:
        """All text the page shows."""
        return self.page.inner_text("body")


@pytest.fixture
def app(browser, voila_url) -> Iterator[App]:
    """A fresh browser context; outside hosts (CDNs) get an empty answer, as in an offline class."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    result = App(page, voila_url)

    def offline(route) -> None:
        result.external_requests.append(route.request.url)
        route.fulfill(status=200, body="", content_type="text/css")

    context.route(EXTERNAL, offline)
    page.on(
        "console", lambda message: message.type == "error" and result.errors.append(message.text)
    )
    page.on("pageerror", lambda error: result.errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and result.failed_responses.append(
                f"{response.status} {response.request.method} {response.url}"
            )
        ),
    )
    yield result
    context.close()
