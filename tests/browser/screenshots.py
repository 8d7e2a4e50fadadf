"""Regenerate docs/screenshots/: each app as Chromium shows it, and the apps in use, two sizes.

Per app, one laptop-size picture of its interactive part. In use, at laptop and phone size: a
quick check question with its feedback, a patient case at its ending, the learner's course
record, and the class results page with the answers just given (the results of this run only:
a throwaway store).
"""

from __future__ import annotations

import os
import tempfile

from playwright.sync_api import Page, sync_playwright

from backspasm_edu.content.loader import load_scenario

from .support import APPS, CHROMIUM, CHROMIUM_ARGS, EXTERNAL, READY, ROOT, app_url, voila_server
from .test_apps import SPASM, choices_on_the_safe_path
from .test_layout import LAPTOP, PHONE

OUT = ROOT / "docs" / "screenshots"
LOAD_MS = 90_000


def show(page: Page, text: str) -> None:
    """Wait for ``text`` and scroll it near the top of the window."""
    target = page.get_by_text(text, exact=False).first
    target.wait_for(state="visible", timeout=LOAD_MS)
    target.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.evaluate("window.scrollBy(0, -80)")
    page.wait_for_timeout(500)


def save(page: Page, name: str) -> None:
    """Write the window as it is now to docs/screenshots/NAME.png."""
    page.screenshot(path=str(OUT / f"{name}.png"))
    print(f"wrote {OUT / name}.png")


def each_app(page: Page, base: str) -> None:
    """One picture per app, fresh, with its interactive part in view."""
    for name in APPS:
        page.goto(app_url(base, name), timeout=LOAD_MS)
        show(page, READY[name])
        save(page, name)


def quiz_feedback(page: Page, base: str, size: str) -> None:
    """The quick check's first question answered right, with its feedback."""
    page.goto(app_url(base, "01_what_is_a_back_spasm", "Sam"), timeout=LOAD_MS)
    page.get_by_label(SPASM).check(timeout=LOAD_MS)
    page.get_by_role("button", name="Check").click()
    show(page, "Question 1 of 3")
    page.get_by_text("✓ Right").first.wait_for(state="visible")
    page.wait_for_timeout(500)
    save(page, f"in-use-quiz-feedback-{size}")


def case_ending(page: Page, base: str, size: str) -> None:
    """The hidden red flag case walked to its ending, which sends the patient for help."""
    case = load_scenario("hidden_red_flag")
    page.goto(app_url(base, "07_case_scenarios", "Sam"), timeout=LOAD_MS)
    page.get_by_label("Choose a case").select_option(label=case.title, timeout=LOAD_MS)
    page.get_by_role("button", name="Start case").click()
    for choice in choices_on_the_safe_path(case):
        page.get_by_role("button", name=choice.text, exact=True).click()
        page.get_by_text(f"You chose: {choice.text}").first.wait_for(state="visible")
    show(page, "How it ended")
    save(page, f"in-use-case-ending-{size}")


def course_record(page: Page, base: str, size: str) -> None:
    """Sam's course record after the case above."""
    page.goto(app_url(base, "08_course_record", "Sam"), timeout=LOAD_MS)
    show(page, "course record for Sam")
    save(page, f"in-use-course-record-{size}")


def dashboard(page: Page, base: str, size: str) -> None:
    """The class results page, holding the answers this run gave."""
    page.goto(app_url(base, "09_instructor_dashboard"), timeout=LOAD_MS)
    show(page, "The class at a glance")
    save(page, f"in-use-class-results-{size}")


def main() -> None:
    """Serve the notebooks, then take every picture with Debian's Chromium."""
    OUT.mkdir(parents=True, exist_ok=True)
    # Pictures of this run only: progress goes to a throwaway store, not the repository.
    os.environ["BACKSPASM_EDU_PROGRESS"] = tempfile.mkdtemp(prefix="screenshots-") + "/"
    with voila_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
            context = browser.new_context(viewport=viewport)
            context.route(EXTERNAL, lambda route: route.fulfill(body=""))
            page = context.new_page()
            if size == "laptop":
                each_app(page, base)
            quiz_feedback(page, base, size)
            case_ending(page, base, size)
            course_record(page, base, size)
            dashboard(page, base, size)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
