"""What a page load sends over the network, with and without gzip, cold and with a warm cache.

Two servers run side by side: `backspasm-edu serve` as shipped (responses gzipped) and the same
serve with gzip off (benchmarks/_serve_folder.py --uncompressed). For each, round after round in
alternating order, a new Chromium context (empty cache) opens 06_quiz ("first visit"), then, in
the same context, 01_what_is_a_back_spasm ("second app": the browser's cache is warm). Chromium's
own network log (DevTools protocol) gives each request's bytes on the wire (headers and body as
sent, i.e. compressed when gzipped), whether it was answered from the cache, and 304s.
Requests to other hosts fail at once (--host-resolver-rules), as in a class without internet;
Playwright's request routing is not used because it turns the browser's cache off.

"Class of N on one link" is arithmetic on the measured bytes: N first visits at once through a
shared link of the given speed (default 30 students, 20 Mbit/s), ignoring latency and overhead.
Server CPU is the serve process's user+system time during the load (gzip costs CPU).

    python benchmarks/bench_transfer.py [--rounds 3] [--students 30] [--link-mbit 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench_apps import SERVE_VARIANT

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    READY,
    app_url,
    serve_process,
)

FIRST, SECOND = "06_quiz", "01_what_is_a_back_spasm"
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
CULL = ["--cull-idle-timeout", "4", "--cull-interval", "1"]

Results = dict[tuple[str, str], list[dict[str, float]]]
"""Measured loads by (server, visit)."""


def load(context: Any, url: str, ready: str, server: psutil.Process) -> dict[str, float]:
    """Open one page in the context; its requests, bytes on the wire, cache hits and timing."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    responses: dict[str, dict[str, Any]] = {}
    wire: dict[str, int] = {}
    served_from_cache: set[str] = set()
    cdp.on("Network.responseReceived", lambda e: responses.__setitem__(e["requestId"], e))
    cdp.on(
        "Network.loadingFinished",
        lambda e: wire.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    cdp.on("Network.requestServedFromCache", lambda e: served_from_cache.add(e["requestId"]))
    cpu_before = sum(server.cpu_times()[:2])
    page.goto(url, wait_until="commit", timeout=120_000)
    page.get_by_text(ready).first.wait_for(state="visible", timeout=120_000)
    ready_s = page.evaluate("performance.now()") / 1000
    page.wait_for_timeout(500)  # late requests (fonts, widget state) are part of the load
    cpu = sum(server.cpu_times()[:2]) - cpu_before
    cached = served_from_cache | {
        rid
        for rid, e in responses.items()
        if e["response"].get("fromDiskCache") or e["response"].get("fromMemoryCache")
    }
    page.close()
    return {
        "requests": len(responses),
        "from_cache": len(cached),
        "not_modified": sum(e["response"]["status"] == 304 for e in responses.values()),
        "mb": sum(wire.values()) / 1e6,
        "ready": ready_s,
        "cpu_ms": cpu * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--link-mbit", type=float, default=20.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: Results = {}
    with tempfile.TemporaryDirectory(prefix="bench-transfer-") as tmp:
        uncompressed = [sys.executable, str(SERVE_VARIANT), "--uncompressed"]
        with (
            serve_process(
                "--progress", tmp, *CULL, log_path=Path(tmp) / "plain.log", command=uncompressed
            ) as (plain_base, plain_server),
            serve_process("--progress", tmp, *CULL, log_path=Path(tmp) / "gzip.log") as (
                gzip_base,
                gzip_server,
            ),
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, OFFLINE]
            )
            servers = {
                "gzip (serve)": (gzip_base, psutil.Process(gzip_server.pid)),
                "no gzip": (plain_base, psutil.Process(plain_server.pid)),
            }
            order = list(servers)
            for round_number in range(args.rounds + 1):  # round 0 warms disk caches
                for name in order if round_number % 2 else reversed(order):
                    base, process = servers[name]
                    context = browser.new_context()
                    for visit, app in (("first visit", FIRST), ("second app", SECOND)):
                        measured = load(context, app_url(base, app), READY[app], process)
                        if round_number:
                            results.setdefault((name, visit), []).append(measured)
                    context.close()
                    time.sleep(1)
            browser.close()
    report(results, args)


def report(
    results: dict[tuple[str, str], list[dict[str, float]]], args: argparse.Namespace
) -> None:
    def med(key: tuple[str, str], field: str) -> float:
        return statistics.median(r[field] for r in results[key])

    print(
        f"{args.rounds} rounds, servers alternating; Chromium headless, one context per round "
        f"({FIRST} first, then {SECOND} with the cache warm); medians"
    )
    print(
        f"{'server':14} {'load':12} {'requests':>8} {'cached':>7} {'304':>5} {'MB wire':>8} "
        f"{'x gzip':>7} {'TTI s':>6} {'server CPU ms':>14}"
    )
    for visit in ("first visit", "second app"):
        gzip_mb = med(("gzip (serve)", visit), "mb")
        for name in ("gzip (serve)", "no gzip"):
            key = (name, visit)
            print(
                f"{name:14} {visit:12} {med(key, 'requests'):8.0f} {med(key, 'from_cache'):7.0f} "
                f"{med(key, 'not_modified'):5.0f} {med(key, 'mb'):8.2f} "
                f"{med(key, 'mb') / gzip_mb:7.2f} {med(key, 'ready'):6.2f} "
                f"{med(key, 'cpu_ms'):14.0f}"
            )
    link_mb_per_s = args.link_mbit / 8
    print(
        f"\nA class of {args.students} opening {FIRST} at once through one "
        f"{args.link_mbit:g} Mbit/s link (bytes only):"
    )
    for name in ("gzip (serve)", "no gzip"):
        total = med((name, "first visit"), "mb") * args.students
        print(f"{name:14} {total:7.1f} MB  {total / link_mb_per_s:6.1f} s")


if __name__ == "__main__":
    main()
