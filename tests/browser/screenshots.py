"""Regenerate docs/screenshots/: one PNG per app, as Chromium shows it through Voila."""

from __future__ import annotations

import os
import tempfile

from playwright.sync_api import sync_playwright

from .support import APPS, CHROMIUM, CHROMIUM_ARGS, EXTERNAL, READY, ROOT, app_url, voila_server

OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    """Serve the notebooks, open each app, scroll to its controls and save a screenshot."""
    OUT.mkdir(parents=True, exist_ok=True)
    # Pictures of fresh apps: progress goes to a throwaway store, not the repository.
    os.environ["BACKSPASM_EDU_PROGRESS"] = tempfile.mkdtemp(prefix="screenshots-") + "/"
    with voila_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 1000})
        context.route(EXTERNAL, lambda route: route.fulfill(body=""))
        page = context.new_page()
        for name in APPS:
            page.goto(app_url(base, name), timeout=90_000)
            ready = page.get_by_text(READY[name]).first
            ready.wait_for(state="visible", timeout=90_000)
            # Show the interactive part: scroll its ready text near the top of the window.
            ready.evaluate("element => element.scrollIntoView({block: 'start'})")
            page.evaluate("window.scrollBy(0, -160)")
            page.wait_for_timeout(500)
            page.screenshot(path=str(OUT / f"{name}.png"))
            print(f"wrote {OUT / name}.png")
        browser.close()


if __name__ == "__main__":
    main()
