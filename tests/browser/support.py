"""Start Voila on a free loopback port and Debian's Chromium for browser tests and screenshots."""

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
from collections.abc import Iterator
from pathlib import Path

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
}
"""Text each app shows once its last widget has rendered: the page is ready to use."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def voila_server(timeout: float = 90.0) -> Iterator[str]:
    """Run Voila over notebooks/ with the repository's voila.json; yield its base URL."""
    port = free_port()
    log = open(ROOT / ".voila-test.log", "w")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [sys.executable, "-m", "voila", "--no-browser", f"--port={port}",
         "--Voila.ip=127.0.0.1", "notebooks/"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Voila exited with {process.returncode}; see .voila-test.log")
            try:
                with urllib.request.urlopen(base, timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("Voila did not start in time; see .voila-test.log") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def chromium_available() -> bool:
    """Whether Debian's Chromium is installed where the tests expect it."""
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


def is_local(url: str) -> bool:
    """Whether a request goes to this machine's loopback or is inline data."""
    return url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:"))
