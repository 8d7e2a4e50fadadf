"""Class figures at class scale: 300 learners x 50 records each against an empty store.

The store is filled by real engine sessions (seeded): each learner takes quizzes, answering
right or wrong at random and retrying while a try is left, and walks cases choosing at random,
until they have made 50 records (the last go may stay unfinished). Then, round after round in
a new order each round, each step of the class figures runs on the class store and on an empty
one: reading the store, every learner's course record (the engines replay every finished go),
the summary, the gradebook, the item analysis and the case analysis; and the class results page
itself (``InstructorDashboard``) is built whole on each store, as a kernel does when an
instructor opens it (its target: under 5 s at 300 x 50). Medians are reported side by side with
their ratio, and the slowest functions of one profiled page build on the class store.

Timings are reported, never asserted.

    python benchmarks/bench_class_results.py [--learners 300] [--records 50] [--rounds 5]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from backspasm_edu.content.loader import load_library
from backspasm_edu.engines.quiz import QuizSession
from backspasm_edu.engines.scenario import ScenarioSession
from backspasm_edu.instructor.figures import (
    answer_counts,
    case_analysis,
    class_summary,
    item_analysis,
)
from backspasm_edu.instructor.gradebook import class_records, gradebook
from backspasm_edu.instructor.report import load_records
from backspasm_edu.progress import ProgressStore, Recorder
from tests.builders import right_answer, wrong_answer

os.environ["BACKSPASM_EDU_SINGLE_USER"] = "1"  # the page shows class results to this process


def fill(store: ProgressStore, learner: str, records: int, rng: random.Random) -> None:
    """One learner's goes at quizzes and cases, recorded, until ``records`` steps are made."""
    library = load_library()
    quizzes, cases = list(library.quizzes.values()), list(library.scenarios.values())
    made = 0
    skill = rng.uniform(0.3, 0.95)
    while made < records:
        if rng.random() < 0.6:
            quiz = rng.choice(quizzes)
            session = QuizSession(quiz, seed=rng.randrange(2**31), topic_titles={})
            session.recorder = Recorder(
                store, learner, "quiz", quiz.id, len(quiz.questions), session.seed
            )
            while not session.finished and made < records:
                right = rng.random() < skill
                result = session.answer(right_answer(session) if right else wrong_answer(session))
                made += 1
                if result.closed:
                    session.next()
        else:
            case = rng.choice(cases)
            walk = ScenarioSession(case)
            walk.recorder = Recorder(store, learner, "scenario", case.id, len(case.nodes))
            while not walk.finished and made < records:
                walk.choose(rng.choice(walk.current.choices).id)
                made += 1


def build(path: Path, learners: int, records: int, seed: int) -> float:
    """Fill a store at ``path``; returns the seconds it took."""
    rng = random.Random(seed)
    started = time.perf_counter()
    with ProgressStore(path) as store:
        for number in range(learners):
            fill(store, f"Learner {number:03d}", records, rng)
    return time.perf_counter() - started


def steps(path: Path) -> dict[str, Callable[[], Any]]:
    """Each step of the class figures on one store, as a widget or `report` would run them."""
    library = load_library()
    state: dict[str, Any] = {}

    def read() -> None:
        state["records"] = load_records([path])

    def course() -> None:
        state["course"] = class_records(state["records"], library)

    return {
        "read the store": read,
        "course records (replayed)": course,
        "summary": lambda: class_summary(state["records"], library, state["course"]),
        "gradebook": lambda: gradebook(state["records"], library, course=state["course"]),
        "item analysis": lambda: (
            item_analysis(state["records"], library),
            answer_counts(state["records"], library),
        ),
        "case analysis": lambda: case_analysis(state["records"], library),
    }


def page(path: Path) -> Callable[[], Any]:
    """The class results page built whole on one store, figures, grid and downloads included."""
    from backspasm_edu.widgets.dashboard import InstructorDashboard

    def build_page() -> None:
        InstructorDashboard(path).close_all()

    return build_page


PAGE = "the class results page, built whole"


def timed(actions: dict[str, Callable[[], Any]]) -> dict[str, float]:
    """Seconds each step took, run in order (each needs the ones before it)."""
    seconds = {}
    for name, action in actions.items():
        started = time.perf_counter()
        action()
        seconds[name] = time.perf_counter() - started
    return seconds


def ratio(class_seconds: float, empty_seconds: float) -> str:
    """The class store's time as a multiple of the empty store's; "-" when that is under 0.1 ms."""
    if empty_seconds < 0.0001:
        return "- (nothing to do when empty)"
    return f"{class_seconds / empty_seconds:.0f}x"


def main() -> None:
    """Build the stores, time the figures round after round, print the table and a profile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=15)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-class-results-") as folder:
        empty, full = Path(folder) / "empty.sqlite", Path(folder) / "class.sqlite"
        ProgressStore(empty).close()
        built = build(full, options.learners, options.records, options.seed)
        count = len(load_records([full]))
        print(
            f"Class store: {options.learners} learners, {count} records, built by the engines "
            f"in {built:.1f} s"
        )
        load_records([full])  # content and modules loaded before timing
        results: dict[str, dict[str, list[float]]] = {"empty": {}, "class": {}}
        rng = random.Random(options.seed)
        for _ in range(options.rounds):
            order = [("empty", empty), ("class", full)]
            rng.shuffle(order)
            for label, path in order:
                for name, seconds in timed(steps(path)).items():
                    results[label].setdefault(name, []).append(seconds)
                page_seconds = timed({PAGE: page(path)})
                results[label].setdefault(PAGE, []).append(page_seconds[PAGE])
        print(f"\nMedian of {options.rounds} rounds, interleaved in a random order:\n")
        print(f"| Step | Empty store (ms) | {options.learners} x {options.records} (ms) | Ratio |")
        print("|---|---:|---:|---:|")
        totals = {"empty": 0.0, "class": 0.0}
        for name in steps(empty):
            medians = {label: statistics.median(results[label][name]) for label in totals}
            for label in totals:
                totals[label] += medians[label]
            print(
                f"| {name} | {1000 * medians['empty']:.2f} | {1000 * medians['class']:.0f} | "
                f"{ratio(medians['class'], medians['empty'])} |"
            )
        print(
            f"| all of them | {1000 * totals['empty']:.2f} | {1000 * totals['class']:.0f} | "
            f"{ratio(totals['class'], totals['empty'])} |"
        )
        medians = {label: statistics.median(results[label][PAGE]) for label in totals}
        print(
            f"| **{PAGE}** | {1000 * medians['empty']:.0f} | {1000 * medians['class']:.0f} | "
            f"{ratio(medians['class'], medians['empty'])} |"
        )
        worst = max(results["class"][PAGE])
        print(
            f"\nThe page on the class store: median {medians['class']:.2f} s, "
            f"slowest {worst:.2f} s."
        )
        profile = cProfile.Profile()
        profile.runcall(page(full))
        text = io.StringIO()
        pstats.Stats(profile, stream=text).sort_stats("cumulative").print_stats(18)
        print("\nWhere the time goes on the class store (one run, cProfile, cumulative):")
        print("\n".join(line for line in text.getvalue().splitlines() if line.strip()))


if __name__ == "__main__":
    main()
