"""Start `backspasm-edu serve` on a free loopback port, and Chromium, for browser tests."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EXTERNAL = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")
"""Requests to other hosts (CDNs); tests answer them locally, as in a class without internet."""
APPS = sorted(path.stem for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
READY = {
    "00_start_here": "Choose a topic",
    "01_what_is_a_back_spasm": "Question 1 of 3",
    "02_causes": "What fits your days?",
    "03_when_to_get_help": "Age (years)",
    "04_treatments": "Hours since the spasm began",
    "05_stop_and_prevent": "Pick what to try",
    "06_quiz": "Start quiz",
    "07_case_scenarios": "Start case",
    "08_course_record": "Update my record",
    "09_instructor_dashboard": "Add exports or stores",
}
"""Text each app shows once its last widget has rendered: the page is ready to use."""
INSTRUCTOR_KEY = "browser-tests"
"""The key the test server's class results page opens with."""
STUDENT_APPS = [name for name in APPS if name != "09_instructor_dashboard"]


def app_url(base: str, name: str, learner: str = "") -> str:
    """The address of one app, for a learner, with the instructor key for the class results."""
    query = {"learner": learner} if learner else {}
    if name not in STUDENT_APPS:
        query["key"] = INSTRUCTOR_KEY
    return f"{base}/voila/render/{name}.ipynb" + (f"?{urlencode(query)}" if query else "")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serve_process(
    *options: str,
    log_path: Path | None = None,
    timeout: float = 90.0,
    command: Sequence[str] = (sys.executable, "-m", "backspasm_edu", "serve"),
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Run `backspasm-edu serve` on a free 127.0.0.1 port; yield its base URL and process.

    Every page comes from this one address, so the per-device page rate is off.

    ``command`` replaces the serve command itself, e.g. with benchmarks/_serve_folder.py.
    """
    port = free_port()
    log_path = log_path or ROOT / ".voila-test.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1",
         "--port", str(port), "--verbose", "--instructor-key", INSTRUCTOR_KEY,
         "--pages-per-minute", "0", *options],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited with {process.returncode}; see {log_path}")
            try:
                with urllib.request.urlopen(base, timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"serve did not start in time; see {log_path}") from None
                time.sleep(0.3)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextlib.contextmanager
def voila_server(timeout: float = 90.0) -> Iterator[str]:
    """Serve the apps as `backspasm-edu serve` does for a class; yield the base URL."""
    with serve_process(timeout=timeout) as (base, _):
        yield base


def chromium_available() -> bool:
    """Whether Debian's Chromium is installed where the tests expect it."""
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


def is_local(url: str) -> bool:
    """Whether a request goes to this machine's loopback or is inline data."""
    return url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:"))
