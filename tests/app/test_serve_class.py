"""A real `backspasm-edu serve --class-size`: the pool fills before it says ready, serves and refills."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from backspasm_edu.app import serve
from tests.app.test_limits import KERNEL_ID, get, kernel_processes
from tests.browser.support import serve_process

READY_LINE = re.compile(r"^class pool ready: (\d+)/(\d+), [\d.]+ GiB in use$", re.MULTILINE)


def ready_counts(log: Path) -> list[tuple[int, int]]:
    """Every "class pool ready: N/M" line serve printed so far, as (N, M)."""
    return [(int(ready), int(wanted)) for ready, wanted in READY_LINE.findall(log.read_text())]


def wait_for(condition, seconds: float, what: str) -> float:
    """Poll ``condition`` every 0.1 s until it holds; the moment it did (monotonic)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)
    return time.monotonic()


def compressed_files() -> list[tuple[str, Path]]:
    """A Voila script and a widget library's chunk no page has asked for yet: (URL path, file)."""
    share = Path(sys.prefix, "share", "jupyter")
    widgets = share / "labextensions" / "@jupyter-widgets" / "jupyterlab-manager" / "static"
    chunk = sorted(widgets.glob("[0-9]*.js"))[0]
    return [
        ("/voila/static/voila.js", share / "voila" / "templates" / "base" / "static" / "voila.js"),
        (f"/voila/labextensions/{chunk.relative_to(share / 'labextensions').as_posix()}", chunk),
    ]


def assert_sent_from_the_gzip_cache(base: str, path: str, file: Path) -> None:
    """The first GET of ``path`` comes compressed whole, with its length: compressed earlier."""
    request = urllib.request.Request(base + path, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        headers, body = response.headers, response.read()
    assert headers["Content-Encoding"] == "gzip", path
    assert headers["Content-Length"] == str(len(body)), f"{path} was compressed as it was sent"
    assert gzip.decompress(body) == file.read_bytes()


@pytest.mark.slow
def test_the_class_pool_fills_before_ready_serves_a_page_and_refills_once_calm(tmp_path):
    """--class-size 2: the pages' files compressed and two kernels run before "2/2"; a page takes one; the refill waits for calm."""
    log = tmp_path / "serve.log"
    options = ["--progress", str(tmp_path), "--class-size", "2", "--app", "06_quiz"]
    with serve_process(*options, log_path=log) as (base, process):
        wait_for(lambda: (2, 2) in ready_counts(log), 90, "the class pool never got ready")
        counts = ready_counts(log)
        assert counts[-1] == (2, 2) and all(wanted == 2 for _, wanted in counts), counts
        assert [ready for ready, _ in counts] == sorted(ready for ready, _ in counts)
        pooled = set(kernel_processes(process))
        assert len(pooled) == 2
        for path in compressed_files():
            assert_sent_from_the_gzip_cache(base, *path)
        assert "Using pre-heated kernel" not in log.read_text()

        appeared: list[float] = []

        def watch_for_a_refill(server: subprocess.Popen) -> None:
            moment = wait_for(lambda: set(kernel_processes(server)) - pooled, 60, "no refill")
            appeared.append(moment)

        watcher = threading.Thread(target=watch_for_a_refill, args=(process,), daemon=True)
        watcher.start()
        arrived = time.monotonic()
        status, _, page = get(f"{base}/voila/render/06_quiz.ipynb?learner=Ann")
        served = time.monotonic() - arrived
        assert status == 200
        assert re.search(
            r"Using pre-heated kernel: ([0-9a-f-]{36}) for 06_quiz\.ipynb", log.read_text()
        )
        assert KERNEL_ID.search(page)
        watcher.join(70)
        assert appeared, "the pool was not refilled"
        assert appeared[0] - arrived >= serve.REFILL_CALM_SECONDS
        wait_for(lambda: ready_counts(log).count((2, 2)) == 2, 60, "the refill never got ready")
    print(f"page from the pool in {served:.2f} s; refill began {appeared[0] - arrived:.1f} s after")
    assert "Traceback" not in log.read_text()
