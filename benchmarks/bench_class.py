"""A class on one machine: simulated students load the quiz app and answer questions at once.

Each student is Voila's page driven over its own protocol (benchmarks/_class_client.py), not a
browser: the page's HTML as Voila streams it, the static files a fresh Chromium page fetched
(recorded once from a real page at the start), the kernel websocket with the v1 protocol
JupyterLab uses, widget states fetched over the ``jupyter.widget.control`` comm as Voila's
widget manager does, then clicks and control changes as comm messages. Why not 30 browsers:
the first table opens a few Chromium pages at once and compares their CPU time with the
protocol client's for the same pages, on this same 2-core machine.

Time to interactive (TTI): from the student's first request until the page's HTML is complete,
the static files are in, the kernel websocket answered kernel_info, and the widget states are
in hand with the "Start quiz" button among them (the moment a browser could draw and use the
app). Answer-to-feedback: from sending a Check click until the kernel's new value of the
feedback box arrives. Every student then waits until their ``?learner=`` name shows in the
name box (it may come later under preheated kernels; after a limit they type it), starts the
first quiz and answers questions, with a new answer each try, thinking a random while before
each click. Students arrive at random within a window (a class told "open the link now").

Memory: every 1 s, the USS (Private_Clean + Private_Dirty of /proc/PID/smaps_rollup) of the
server and each kernel; every 0.25 s, CPU seconds (user + system) of the server, the kernels,
this script (the load generator) and the whole machine (others share it). The script spends
as little as it can of the cores it shares with the server: static files stay compressed,
addresses are not looked up, memory is read less often. Each configuration (a list of
`backspasm-edu serve` options) gets a fresh server and progress store; nothing is culled
during a run, and every student keeps the page open until the last one is done.

Configurations, side by side in one run: a lone student (several visits one after another,
each alone on a fresh server's plain kernels), the class with plain kernels started as pages
arrive ("cold"), and the class with a class pool (``serve --class-size N --app 06_quiz``)
filled before the first student arrives; ``--preheat K`` adds Voila's K preheated kernels per
app. The target: the class pool's p95 time to interactive at most 2x the lone student's median
and under 3 s. The machine's load average is printed: other jobs skew the numbers.

Timings are reported, never asserted.

    python benchmarks/bench_class.py [--students 30] [--questions 5] [--browser-pages 4] ...
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil
from _class_client import (
    KERNEL_ID_PLACEHOLDER,
    Behaviour,
    Student,
    StudentResult,
    http_client,
)
from bench_apps import memory_mib

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXTERNAL,
    READY,
    STUDENT_APPS,
    app_url,
    serve_process,
)

APP = "06_quiz"
CORES = psutil.cpu_count() or 1
SAMPLE_SECONDS = 0.25
MEMORY_SAMPLE_SECONDS = 1.0
LONE_VISITS = 5
"""A lone student's visits, one after another: their median is the reference for the class."""
TARGET_SECONDS = 3.0
TARGET_RATIO = 2.0
"""The class pool's target: p95 TTI at most this many times a lone student's, under 3 s."""
TTI_LIMIT = 10.0
"""A p95 time to interactive above this many seconds: the class is more than the server holds."""
ROLES = ("server", "kernels", "client", "machine")
KERNEL_FILE = re.compile(r"ipykernel.* -f \S*kernel-([0-9a-f-]+)\.json")
"""A kernel's command line, with its id in the connection file's name."""


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return float(times.user + times.system)


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used (every core)."""
    times = psutil.cpu_times()
    return float(times.user + times.nice + times.system + times.irq + times.softirq + times.steal)


@dataclass(frozen=True)
class Sample:
    at: float
    cpu: dict[str, float]
    """Cumulative CPU seconds by role since the sampler started."""
    kernels: int
    """Kernel processes of the server."""
    memory: bool
    """Whether memory was read in this sample (every MEMORY_SAMPLE_SECONDS): else 0 and {}."""
    server_uss: float
    kernel_uss: dict[str, float]
    """Kernel id: USS."""


class ResourceSampler(threading.Thread):
    """Samples everyone's CPU time every 0.25 s, the server's and its kernels' memory every 1 s.

    Memory less often: reading /proc/PID/smaps_rollup of 30 kernels costs this script, on the
    machine the server shares, about 0.1 CPU s each time (a third of its CPU, read every 0.25 s).
    """

    def __init__(self, server_pid: int) -> None:
        super().__init__(daemon=True)
        self.server = psutil.Process(server_pid)
        self.me = psutil.Process()
        self.samples: list[Sample] = []
        self._stop_event = threading.Event()
        self._cpu_start = {"client": cpu_seconds(self.me), "machine": machine_busy_seconds()}
        self._process_cpu: dict[int, tuple[str, float, float]] = {}
        """pid: role, CPU seconds when first seen (0 for processes started since), last seen."""
        self._since_epoch = time.time()
        self._kernel_ids: dict[int, str | None] = {}
        """pid: kernel id, or None for a child that is not a kernel (read once per process)."""
        self._memory_read = float("-inf")

    def _kernel_id(self, process: psutil.Process) -> str | None:
        if process.pid not in self._kernel_ids:
            kernel = KERNEL_FILE.search(" ".join(process.cmdline()))
            self._kernel_ids[process.pid] = kernel.group(1) if kernel else None
        return self._kernel_ids[process.pid]

    def _sample(self, memory: bool) -> Sample:
        server_uss, kernel_uss, kernels = 0.0, {}, 0
        for process in [self.server, *self.server.children(recursive=True)]:
            try:
                with process.oneshot():
                    used = cpu_seconds(process)
                    if process.pid == self.server.pid:
                        role = "server"
                        server_uss = memory_mib(process.pid)[0] if memory else 0.0
                    elif kernel_id := self._kernel_id(process):
                        role = "kernels"
                        kernels += 1
                        if memory:
                            kernel_uss[kernel_id] = memory_mib(process.pid)[0]
                    else:
                        continue
                    new = process.create_time() >= self._since_epoch - 1
                    _, first, _ = self._process_cpu.get(
                        process.pid, (role, 0.0 if new else used, 0)
                    )
                    self._process_cpu[process.pid] = (role, first, used)
            except (psutil.NoSuchProcess, FileNotFoundError, ProcessLookupError):
                continue
        cpu = {"server": 0.0, "kernels": 0.0}
        for role, first, last in self._process_cpu.values():
            cpu[role] += last - first
        cpu["client"] = cpu_seconds(self.me) - self._cpu_start["client"]
        cpu["machine"] = machine_busy_seconds() - self._cpu_start["machine"]
        return Sample(time.monotonic(), cpu, kernels, memory, server_uss, kernel_uss)

    def run(self) -> None:
        while not self._stop_event.is_set():
            memory = time.monotonic() - self._memory_read >= MEMORY_SAMPLE_SECONDS
            if memory:
                self._memory_read = time.monotonic()
            self.samples.append(self._sample(memory))
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        self.samples.append(self._sample(memory=True))

    def memory_samples(self) -> list[Sample]:
        return [sample for sample in self.samples if sample.memory]

    def cpu_at(self, moment: float) -> dict[str, float]:
        """Cumulative CPU seconds by role at the last sample taken by ``moment``."""
        before = [sample for sample in self.samples if sample.at <= moment]
        return (before[-1] if before else self.samples[0]).cpu

    def cpu_between(self, start: float, end: float) -> dict[str, float]:
        first, last = self.cpu_at(start), self.cpu_at(end)
        return {role: last[role] - first[role] for role in ROLES}


def measured(values: Iterable[float]) -> list[float]:
    """The values but the nan of steps a student never reached."""
    return [value for value in values if not math.isnan(value)]


def percentile(values: Sequence[float], share: int) -> float:
    """The ``share``-th percentile (50: median), nan for no values."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


def wait_until_quiet(server_pid: int, kernels_expected: int, limit: float = 240.0) -> float:
    """Wait for the expected preheated kernels, then for server and kernels to go idle.

    Quiet: under a tenth of a core for 2 s. Returns the seconds waited.
    """
    start = time.monotonic()
    sampler = ResourceSampler(server_pid)
    sampler.start()
    try:
        while time.monotonic() - start < limit:
            time.sleep(1)
            recent = [sample for sample in sampler.samples if sample.at >= time.monotonic() - 2]
            if len(recent) < 2 or recent[-1].kernels < kernels_expected:
                continue
            busy = sum(recent[-1].cpu[r] - recent[0].cpu[r] for r in ("server", "kernels"))
            if busy / (recent[-1].at - recent[0].at) < 0.1:
                break
    finally:
        sampler.stop()
    return time.monotonic() - start


async def chromium_loads(
    base: str, pages: int, run_id: str
) -> tuple[list[str], dict[str, float] | None]:
    """A warm-up page (whose requests give the static files list), then pages opened at once.

    Returns the warm-up page's static file paths and the measures of the pages opened at once
    (None for no pages).
    """
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        async def open_page(learner: str, requests: list[tuple[str, str, str]]) -> float:
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            await context.route(
                EXTERNAL, lambda route: route.fulfill(status=200, body="", content_type="text/css")
            )
            page = await context.new_page()
            page.on("request", lambda r: requests.append((r.method, r.resource_type, r.url)))
            started = time.monotonic()
            await page.goto(app_url(base, APP, learner), wait_until="commit", timeout=300_000)
            button = page.get_by_role("button", name=READY[APP])
            await button.wait_for(state="visible", timeout=300_000)
            return time.monotonic() - started

        warm_up: list[tuple[str, str, str]] = []
        await open_page(f"{run_id}-chromium-warm-up", warm_up)
        static = static_paths(base, warm_up)
        if not pages:
            await browser.close()
            return static, None
        await asyncio.sleep(2)
        browsers = [p for p in psutil.Process().children(recursive=True) if "chrom" in p.name()]
        before = {p.pid: cpu_seconds(p) for p in browsers}
        ttis = await asyncio.gather(
            *(open_page(f"{run_id}-chromium-{n}", []) for n in range(pages))
        )
        used = 0.0
        for process in psutil.Process().children(recursive=True):
            if "chrom" in process.name():
                used += cpu_seconds(process) - before.get(process.pid, 0.0)
        await browser.close()
    return static, {"p50": statistics.median(ttis), "max": max(ttis), "cpu": used}


def static_paths(base: str, requests: list[tuple[str, str, str]]) -> list[str]:
    """The page's own requests after its HTML: local GETs but websockets and the page."""
    paths = []
    for method, kind, url in requests:
        if method == "GET" and url.startswith(base) and kind not in ("document", "websocket"):
            paths.append(url.removeprefix(base))
    return paths


def with_kernel_placeholder(paths: list[str]) -> list[str]:
    """Paths naming the warm-up page's kernel, with the kernel id left for each student."""
    return [
        "/api/kernels/" + KERNEL_ID_PLACEHOLDER + "?" + path.partition("?")[2]
        if path.startswith("/api/kernels/")
        else path
        for path in paths
    ]


async def protocol_loads(base: str, pages: int, run_id: str, static: list[str]) -> dict[str, float]:
    """The same pages opened at once by the protocol client; its own CPU time."""
    client = http_client()
    before = time.process_time()
    results = [StudentResult(f"{run_id}-protocol-{n}") for n in range(pages)]
    students = [
        Student(base, app_url(base, APP, r.learner), r.learner, static, random.Random(n))
        for n, r in enumerate(results)
    ]
    behaviour = Behaviour(questions=0, think=(0, 0))
    await asyncio.gather(
        *(s.run(client, behaviour, r) for s, r in zip(students, results, strict=True))
    )
    used = time.process_time() - before
    await asyncio.gather(*(student.leave() for student in students))
    failed = [r.error for r in results if r.error]
    if failed:
        raise RuntimeError(f"protocol client failed: {failed[0]}")
    ttis = [r.interactive for r in results]
    return {"p50": statistics.median(ttis), "max": max(ttis), "cpu": used}


def browser_or_protocol(pages: int, run_id: str) -> tuple[list[str], list[tuple[str, dict]]]:
    """Measure Chromium and the protocol client opening the same number of pages at once.

    With no pages, only the static files list (from one Chromium page) and no rows.
    """
    with (
        tempfile.TemporaryDirectory(prefix="bench-class-") as progress,
        serve_process("--progress", progress, log_path=Path(progress) / "serve.log") as served,
    ):
        base, process = served
        wait_until_quiet(process.pid, 0)
        paths, chromium = asyncio.run(chromium_loads(base, pages, run_id))
        static = with_kernel_placeholder(paths)
        if chromium is None:
            return static, []
        wait_until_quiet(process.pid, 0)
        protocol = asyncio.run(protocol_loads(base, pages, run_id, static))
    return static, [("Chromium headless", chromium), ("protocol client", protocol)]


@dataclass
class ClassRun:
    """One configuration with one class size: the students' results and the resource samples."""

    configuration: str
    students: int
    results: list[StudentResult]
    sampler: ResourceSampler
    warm_up_seconds: float
    idle_kernels: int
    idle_uss: float
    started: float


async def run_class(
    base: str, students: int, behaviour: Behaviour, window: float, static: list[str], label: str
) -> list[StudentResult]:
    """Students arriving at random within ``window`` seconds; all leave once the last is done."""
    rng = random.Random(label)
    client = http_client()
    results = [StudentResult(f"{label}-s{n:02d}") for n in range(students)]
    visitors = [
        Student(base, app_url(base, APP, r.learner), r.learner, static, random.Random(rng.random()))
        for r in results
    ]

    async def visit(student: Student, result: StudentResult, delay: float) -> None:
        await asyncio.sleep(delay)
        await student.run(client, behaviour, result)

    delays = [rng.uniform(0, window) for _ in visitors]
    await asyncio.gather(
        *(visit(s, r, d) for s, r, d in zip(visitors, results, delays, strict=True))
    )
    await asyncio.gather(*(student.leave() for student in visitors))
    return results


def run_configuration(
    name: str,
    options: list[str],
    pooled: int,
    students: int,
    behaviour: Behaviour,
    window: float,
    static: list[str],
    label: str,
    visits: int = 1,
) -> ClassRun:
    """A fresh server with these options, warmed up (``pooled`` kernels waiting), then the class.

    ``visits`` > 1: that many classes one after another (a lone student: classes of one).
    """
    with tempfile.TemporaryDirectory(prefix="bench-class-") as progress:
        log = Path(progress) / "serve.log"
        with serve_process("--progress", progress, *options, log_path=log) as (base, process):
            waited = wait_until_quiet(process.pid, pooled)
            sampler = ResourceSampler(process.pid)
            sampler.start()
            time.sleep(SAMPLE_SECONDS * 2)
            idle = sampler.memory_samples()[-1]
            started = time.monotonic()
            results = []
            for visit in range(visits):
                results += asyncio.run(
                    run_class(base, students, behaviour, window, static, f"{label}-v{visit}")
                )
            sampler.stop()
    idle_uss = idle.server_uss + sum(idle.kernel_uss.values())
    return ClassRun(
        name, students * visits, results, sampler, waited, len(idle.kernel_uss), idle_uss, started
    )


def print_browser_table(pages: int, rows: list[tuple[str, dict]], students: list[int]) -> None:
    if not rows:
        return
    print(f"\n{pages} pages of {APP} opened at once (cold kernels), CPU seconds on the client side")
    print(f"{'client':18} {'TTI p50':>8} {'TTI max':>8} {'CPU s':>7} {'CPU s/page':>10}")
    for name, row in rows:
        print(
            f"{name:18} {row['p50']:8.2f} {row['max']:8.2f} {row['cpu']:7.2f} "
            f"{row['cpu'] / pages:10.2f}"
        )
    browser, protocol = rows[0][1]["cpu"] / pages, rows[1][1]["cpu"] / pages
    for count in students:
        print(
            f"{count} students: Chromium would need about {browser * count:.0f} CPU s "
            f"({browser * count / CORES:.0f} s of all {CORES} cores) just to load the page; "
            f"the protocol client {protocol * count:.1f} CPU s ({browser / protocol:.0f}x less)"
        )


def finished(run: ClassRun, behaviour: Behaviour) -> list[StudentResult]:
    return [r for r in run.results if not r.error and r.questions_done == behaviour.questions]


def print_class_tables(runs: list[ClassRun], behaviour: Behaviour) -> None:
    print(
        f"\nStudents: answer {behaviour.questions} questions, thinking "
        f"{behaviour.think[0]:g}-{behaviour.think[1]:g} s before each click; times in s; "
        "1st byte, HTML (complete), static (files after the HTML): medians; name p95: wait for "
        "?learner= in the name box after TTI (typed: gave up and typed it)"
    )
    print(
        f"{'configuration':14} {'class':>5} {'done':>5} {'TTI min':>6} {'p50':>6} {'p95':>6} "
        f"{'max':>6} {'1st byte':>8} {'HTML':>8} {'static':>6} {'name p95':>8} {'typed':>5} "
        f"{'checks':>6} "
        f"{'feedback p50':>12} {'p95':>6} {'max':>6} {'p95 TTI<=10':>11}"
    )
    for run in runs:
        results = run.results
        tti = measured(r.interactive for r in results)
        feedback = [seconds for r in results for seconds in r.feedback]
        ok = "yes" if percentile(tti, 95) <= TTI_LIMIT else "no"
        print(
            f"{run.configuration:14} {run.students:5} {len(finished(run, behaviour)):5} "
            f"{min(tti, default=0):6.2f} {percentile(tti, 50):6.2f} {percentile(tti, 95):6.2f} "
            f"{max(tti, default=0):6.2f} "
            f"{percentile(measured(r.first_byte for r in results), 50):8.2f} "
            f"{percentile(measured(r.html_done for r in results), 50):8.2f} "
            f"{percentile(measured(r.static_done - r.html_done for r in results), 50):6.2f} "
            f"{percentile(measured(r.name_delay for r in results), 95):8.2f} "
            f"{sum(r.name_typed for r in results):5} "
            f"{len(feedback):6} {percentile(feedback, 50):12.3f} {percentile(feedback, 95):6.3f} "
            f"{max(feedback, default=0):6.3f} {ok:>11}"
        )
    print(
        "\nMemory (USS, MiB): idle = server and kernels before the first student arrived; "
        "peak = the most they held at once, with the kernels then; student kernel = the peak "
        "of each student's own kernel (median, max)"
    )
    print(
        f"{'configuration':14} {'class':>5} {'warm-up s':>9} {'idle kernels':>12} {'idle':>7} "
        f"{'peak':>7} {'kernels':>7} {'server':>7} {'student kernel':>14} {'max':>6}"
    )
    for run in runs:
        samples = run.sampler.memory_samples()
        peak = max(samples, key=lambda s: s.server_uss + sum(s.kernel_uss.values()))
        students = {r.kernel_id for r in run.results}
        per_kernel: dict[str, float] = {}
        for sample in samples:
            for kernel_id, uss in sample.kernel_uss.items():
                if kernel_id in students:
                    per_kernel[kernel_id] = max(per_kernel.get(kernel_id, 0.0), uss)
        print(
            f"{run.configuration:14} {run.students:5} {run.warm_up_seconds:9.0f} "
            f"{run.idle_kernels:12} {run.idle_uss:7.0f} "
            f"{peak.server_uss + sum(peak.kernel_uss.values()):7.0f} {len(peak.kernel_uss):7} "
            f"{max(s.server_uss for s in samples):7.0f} "
            f"{statistics.median(per_kernel.values()):14.1f} {max(per_kernel.values()):6.1f}"
        )
    print(
        f"\nCPU seconds by phase ({CORES} cores); arriving: first arrival to the last student "
        "interactive; answering: from then to the last one done; others: the rest of this "
        "shared machine"
    )
    print(
        f"{'configuration':14} {'class':>5} {'phase':10} {'wall':>6} {'server':>7} "
        f"{'kernels':>7} {'client':>7} {'others':>7} {'busy %':>6}"
    )
    for run in runs:
        interactive = max(
            measured(r.arrival + r.interactive for r in run.results), default=run.started
        )
        done = max(measured(r.arrival + r.finished_at for r in run.results), default=interactive)
        for phase, start, end in (
            ("arriving", run.started, interactive),
            ("answering", interactive, done),
        ):
            used = run.sampler.cpu_between(start, end)
            wall = max(end - start, 1e-9)
            others = used["machine"] - used["server"] - used["kernels"] - used["client"]
            print(
                f"{run.configuration:14} {run.students:5} {phase:10} {wall:6.1f} "
                f"{used['server']:7.1f} {used['kernels']:7.1f} {used['client']:7.1f} "
                f"{others:7.1f} {100 * used['machine'] / (wall * CORES):6.0f}"
            )
    for run in runs:
        errors = Counter(r.error for r in run.results if r.error)
        verdicts = Counter(v for r in run.results for v in r.verdicts)
        static = statistics.median(r.static_bytes for r in run.results) / 1e6
        print(
            f"{run.configuration} x{run.students}: verdicts "
            + " ".join(f"{symbol} {count}" for symbol, count in verdicts.most_common())
            + f"; static files per page {static:.1f} MB sent (gzip)"
            + "".join(f"; {count} failed: {error}" for error, count in errors.items())
        )


def print_target(runs: list[ClassRun]) -> None:
    """The class pool's p95 TTI against a lone student's median: the target met or missed."""
    lone = next((run for run in runs if run.configuration == "lone student"), None)
    if lone is None:
        return
    reference = percentile(measured(r.interactive for r in lone.results), 50)
    print(
        f"\nTarget: p95 TTI at most {TARGET_RATIO:g}x a lone student's ({reference:.2f} s) and "
        f"under {TARGET_SECONDS:g} s"
    )
    for run in runs:
        if run is lone:
            continue
        p95 = percentile(measured(r.interactive for r in run.results), 95)
        met = p95 <= TARGET_RATIO * reference and p95 < TARGET_SECONDS
        print(
            f"{run.configuration:14} x{run.students}: p95 {p95:.2f} s = "
            f"{p95 / reference:.1f}x the lone student's: {'met' if met else 'missed'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[30], help="class sizes")
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument(
        "--preheat", type=int, default=0, help="also a run with --preheat-kernels N (0: none)"
    )
    parser.add_argument("--window", type=float, default=5.0, help="arrival window, seconds")
    parser.add_argument("--think", type=float, nargs=2, default=[1.0, 4.0], metavar=("MIN", "MAX"))
    parser.add_argument(
        "--browser-pages", type=int, default=4, help="Chromium pages to compare (0: none)"
    )
    args = parser.parse_args()
    if args.browser_pages < 0:
        parser.error(f"--browser-pages: expected 0 or more pages, got {args.browser_pages}")
    run_id = uuid.uuid4().hex[:6]
    behaviour = Behaviour(args.questions, (args.think[0], args.think[1]))
    load_before = os.getloadavg()
    started = time.monotonic()
    static, browser_rows = browser_or_protocol(args.browser_pages, run_id)
    print(f"# browser comparison done, {time.monotonic() - started:.0f} s", file=sys.stderr)
    runs = [
        run_configuration(
            "lone student", [], 0, 1, behaviour, 0.0, static, f"{run_id}-lone", LONE_VISITS
        )
    ]
    print(f"# lone student done, {time.monotonic() - started:.0f} s", file=sys.stderr)
    for size_number, students in enumerate(args.students):
        configurations: dict[str, tuple[list[str], int]] = {
            "cold": ([], 0),
            "class pool": (["--class-size", str(students), "--app", APP], students),
        }
        if args.preheat:
            preheat = ["--preheat-kernels", str(args.preheat)]
            configurations[f"preheat {args.preheat}"] = (preheat, args.preheat * len(STUDENT_APPS))
        order = list(configurations.items())
        for name, (options, pooled) in order if size_number % 2 == 0 else order[::-1]:
            label = f"{run_id}-{name.replace(' ', '')}-{students}"
            runs.append(
                run_configuration(
                    name, options, pooled, students, behaviour, args.window, static, label
                )
            )
            print(
                f"# {name} x{students} done, {time.monotonic() - started:.0f} s",
                file=sys.stderr,
                flush=True,
            )
    load_after = os.getloadavg()
    print(
        f"Class on one machine: {CORES} cores, students arrive at random within "
        f"{args.window:g} s, each keeps the page open until the last is done; "
        f"{len(static)} static files per page; load average before {load_before[0]:.2f} "
        f"(5 min {load_before[1]:.2f}), after {load_after[0]:.2f} (others share this machine)"
    )
    print_browser_table(args.browser_pages, browser_rows, args.students)
    print_class_tables(runs, behaviour)
    print_target(runs)


if __name__ == "__main__":
    main()
