"""Time to interactive and kernel memory of every app, against a bare ipywidgets notebook.

Each load opens the app's page in a new Chromium context (empty cache). Two modes, one after
the other: "cold", where the page's kernel is started for it (serve's default), and "preheated"
(`serve --preheat-kernels 1`), where the page takes a kernel that has already run the notebook;
before each preheated load the script waits until every pool is full again and idle. Time to
interactive
is measured from navigation start (``performance.now()`` in the page) to the moment the app's
READY text (tests/browser/support.py) is visible: the text each app shows once its last
widget has rendered, which approximates "first control visible and enabled". The baseline is
a notebook with one ipywidgets RadioButtons and one Button (ready text: the button's label).

Fairness: the apps run under `backspasm-edu serve` (tests.browser.support.serve_process); the
baseline runs under the very same serve code and configuration, on its own free port, with
only the notebooks folder swapped for a temporary one holding the baseline notebook
(benchmarks/_serve_folder.py). Both servers run for the whole benchmark and the loads are
interleaved, round after round, in a new order each round, so load on this shared machine
falls on apps and baseline alike. Closed pages' kernels are culled after a few idle seconds and
the next load waits for that (up to a limit), so every load starts a kernel on a quiet server.

Kernel memory: after a page is ready, its kernel (the new ipykernel child of the server) is
read from /proc/PID/smaps_rollup: USS = Private_Clean + Private_Dirty, and PSS.

Timings are reported, never asserted.

    python benchmarks/bench_apps.py [--rounds 5] [--apps 03_when_to_get_help ...] [--modes cold]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser.support import (
    APPS,
    CHROMIUM,
    CHROMIUM_ARGS,
    EXTERNAL,
    READY,
    ROOT,
    app_url,
    serve_process,
)

SERVE_VARIANT = Path(__file__).with_name("_serve_folder.py")
"""`backspasm-edu serve` with one change (another notebooks folder, or no gzip)."""
BASELINE = "baseline_ipywidgets"
BASELINE_READY = "Baseline ready"
TARGET = 1.3
CULL = ["--cull-idle-timeout", "4", "--cull-interval", "1"]
LOAD_TIMEOUT_MS = 120_000
MODES = ["cold", "preheated"]
PREHEATED_APPS = [name for name in APPS if name != "09_instructor_dashboard"]
"""Apps that get a pool of preheated kernels (serve gives the instructor dashboard none)."""
Results = dict[str, list[dict[str, float]]]
"""Measured loads by app."""


def baseline_notebook(folder: Path) -> None:
    """Write the baseline notebook: one RadioButtons and one Button, nothing else."""
    source = json.loads((ROOT / "notebooks" / "06_quiz.ipynb").read_text())
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "baseline",
        "metadata": {},
        "outputs": [],
        "source": (
            "import ipywidgets as widgets\n\n"
            "widgets.VBox([\n"
            '    widgets.RadioButtons(options=["Yes", "No"], description="Choice"),\n'
            f'    widgets.Button(description="{BASELINE_READY}"),\n'
            "])"
        ),
    }
    metadata = {
        "kernelspec": source["metadata"]["kernelspec"],
        "language_info": source["metadata"].get("language_info", {"name": "python"}),
        "backspasm_edu": {"title": "Baseline", "description": "Bare ipywidgets."},
    }
    notebook = {"cells": [cell], "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}
    (folder / f"{BASELINE}.ipynb").write_text(json.dumps(notebook, indent=1))


def kernels(server_pid: int) -> dict[int, psutil.Process]:
    """The server's ipykernel processes."""
    found = {}
    for child in psutil.Process(server_pid).children(recursive=True):
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                found[child.pid] = child
        except psutil.NoSuchProcess:
            pass
    return found


def memory_mib(pid: int) -> tuple[float, float]:
    """USS and PSS of a process in MiB, from /proc/PID/smaps_rollup."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value)
    uss = fields["Private_Clean"] + fields["Private_Dirty"]
    return uss / 1024, fields["Pss"] / 1024


def wait_for_no_kernels(server_pids: list[int], limit: float = 30.0) -> float:
    """Wait until the servers have culled every kernel; returns the seconds waited."""
    start = time.monotonic()
    while any(kernels(pid) for pid in server_pids) and time.monotonic() - start < limit:
        time.sleep(0.25)
    return time.monotonic() - start


def load(
    browser, url: str, ready: str, server_pid: int, new_kernel: bool = True
) -> dict[str, float]:
    """One load in a new context: seconds from navigation start to ready, and kernel memory.

    Memory is that of the one kernel started for the page; with preheated kernels the page
    takes a kernel from the pool, so there is none (NaN) and the table leaves memory out.
    """
    before = set(kernels(server_pid))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        EXTERNAL, lambda route: route.fulfill(status=200, body="", content_type="text/css")
    )
    page = context.new_page()
    try:
        page.goto(url, timeout=LOAD_TIMEOUT_MS, wait_until="commit")
        page.get_by_text(ready, exact=False).first.wait_for(
            state="visible", timeout=LOAD_TIMEOUT_MS
        )
        timing = page.evaluate(
            """() => { const n = performance.getEntriesByType('navigation')[0];
            return {ready: performance.now(), first_byte: n.responseStart,
                    html_done: n.responseEnd, dom_loaded: n.domContentLoadedEventEnd}; }"""
        )
        time.sleep(0.5)  # let the kernel settle after the last widget message
        new = [pid for pid in kernels(server_pid) if pid not in before]
        measurable = new_kernel and len(new) == 1
        uss, pss = memory_mib(new[0]) if measurable else (float("nan"), float("nan"))
    finally:
        context.close()
    return {**{k: v / 1000 for k, v in timing.items()}, "uss": uss, "pss": pss}


def wait_for_pools(expected: dict[int, int], limit: float = 60.0) -> float:
    """Wait until each server holds exactly its pool of preheated kernels, all idle.

    ``expected`` maps a server's pid to its pool size (one kernel per notebook); a used kernel
    must have been culled and its replacement must have finished running the notebook.
    """
    start = time.monotonic()
    while time.monotonic() - start < limit:
        found = {pid: kernels(pid) for pid in expected}
        if all(len(found[pid]) == count for pid, count in expected.items()):
            processes = [process for by_pid in found.values() for process in by_pid.values()]
            try:
                before = [sum(process.cpu_times()[:2]) for process in processes]
                time.sleep(0.3)
                after = [sum(process.cpu_times()[:2]) for process in processes]
            except psutil.NoSuchProcess:
                continue
            if max(b - a for a, b in zip(before, after, strict=True)) < 0.01:
                break
        time.sleep(0.25)
    return time.monotonic() - start


def measure(mode: str, args: argparse.Namespace, tmp_path: Path) -> tuple[Results, list[float]]:
    """Every target loaded ``args.rounds`` times, interleaved; cold or with preheated kernels."""
    from playwright.sync_api import sync_playwright

    options = [*CULL, *(["--preheat-kernels", "1"] if mode == "preheated" else [])]
    baseline_command = [sys.executable, str(SERVE_VARIANT), str(tmp_path / "baseline")]
    with (
        serve_process(
            *options, log_path=tmp_path / f"baseline-{mode}.log", command=baseline_command
        ) as (baseline_base, baseline_server),
        serve_process(*options, log_path=tmp_path / f"apps-{mode}.log") as (apps_base, apps_server),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        targets = {
            name: (app_url(apps_base, name), READY[name], apps_server.pid) for name in args.apps
        }
        targets[BASELINE] = (
            f"{baseline_base}/voila/render/{BASELINE}.ipynb",
            BASELINE_READY,
            baseline_server.pid,
        )
        pools = {apps_server.pid: len(PREHEATED_APPS), baseline_server.pid: 1}

        def settle() -> float:
            if mode == "preheated":
                return wait_for_pools(pools)
            return wait_for_no_kernels(list(pools))

        # Warm-up, not measured: the first load of each server, with disk caches cold.
        for name in (args.apps[0], BASELINE):
            settle()
            load(browser, *targets[name], new_kernel=mode == "cold")
        results: Results = {name: [] for name in targets}
        order = list(targets)
        rng = random.Random(5)
        waited = []
        started = time.monotonic()
        for round_number in range(args.rounds):
            rng.shuffle(order)
            for name in order:
                waited.append(settle())
                results[name].append(load(browser, *targets[name], new_kernel=mode == "cold"))
            took = time.monotonic() - started
            print(f"# {mode}: round {round_number + 1} done, {took:.0f} s", file=sys.stderr)
        browser.close()
    return results, waited


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--apps", nargs="*", default=APPS)
    parser.add_argument("--modes", nargs="*", choices=MODES, default=MODES)
    args = parser.parse_args()
    measured = {}
    with tempfile.TemporaryDirectory(prefix="bench-apps-") as tmp:
        tmp_path = Path(tmp)
        os.environ["BACKSPASM_EDU_PROGRESS"] = str(tmp_path / "progress")
        (tmp_path / "progress").mkdir()
        (tmp_path / "baseline").mkdir()
        baseline_notebook(tmp_path / "baseline")
        for mode in args.modes:
            measured[mode] = measure(mode, args, tmp_path)
    for mode, (results, waited) in measured.items():
        report(mode, results, args.rounds, waited)
    if len(measured) == len(MODES):
        compare({mode: results for mode, (results, _) in measured.items()})


def report(mode: str, results: Results, rounds: int, waited: list[float]) -> None:
    """One mode's table: time to interactive, navigation timings and kernel memory."""

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    base_tti = med(BASELINE, "ready")
    base_uss = med(BASELINE, "uss")
    with_memory = mode == "cold"
    settled = "pools to refill and idle" if mode == "preheated" else "kernels to be culled"
    print(
        f"\n{mode}: {rounds} loads each, interleaved (new order each round), Chromium headless; "
        f"waited {statistics.median(waited):.1f} s (median) for {settled} before a load"
    )
    print(
        f"{'app':26} {'TTI s':>6} {'min':>6} {'max':>6} {'x base':>7} {'<=1.3x':>7} "
        f"{'1st byte':>8} {'HTML end':>8} {'DOM':>6}"
        + (f" {'USS MiB':>8} {'x base':>7} {'PSS MiB':>8}" if with_memory else "")
    )
    for name in results:
        tti = [r["ready"] for r in results[name]]
        ratio = med(name, "ready") / base_tti
        ok = "-" if name == BASELINE else ("yes" if ratio <= TARGET else "NO")
        print(
            f"{name:26} {med(name, 'ready'):6.2f} {min(tti):6.2f} {max(tti):6.2f} {ratio:7.2f} "
            f"{ok:>7} {med(name, 'first_byte'):8.2f} {med(name, 'html_done'):8.2f} "
            f"{med(name, 'dom_loaded'):6.2f}"
            + (
                f" {med(name, 'uss'):8.1f} {med(name, 'uss') / base_uss:7.2f} "
                f"{med(name, 'pss'):8.1f}"
                if with_memory
                else ""
            )
        )


def compare(by_mode: dict[str, Results]) -> None:
    """Cold against preheated time to interactive, per app, medians in seconds."""
    print(f"\n{'app':26} {'cold s':>7} {'preheated s':>12} {'preheated/cold':>15}")
    for name in by_mode["cold"]:
        cold, warm = (statistics.median(r["ready"] for r in by_mode[m][name]) for m in MODES)
        print(f"{name:26} {cold:7.2f} {warm:12.2f} {warm / cold:15.2f}")


if __name__ == "__main__":
    main()
