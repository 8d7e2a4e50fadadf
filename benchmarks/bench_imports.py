"""Import time of the package in fresh interpreters, against `pass` and common dependencies.

Each statement runs as `python -c STATEMENT` in a new process; the statements are run in
turn, round after round (interleaved), so that a burst of load on a shared machine falls on
all of them alike. Prints the median wall time of each and its ratio to `pass` and to
`import ipywidgets`. Timings are reported, never asserted.

    python benchmarks/bench_imports.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time

STATEMENTS = {
    "pass": "pass",
    "import ipywidgets": "import ipywidgets",
    "import pandas": "import pandas",
    "import matplotlib.pyplot": "import matplotlib.pyplot",
    "import backspasm_edu": "import backspasm_edu",
    "import backspasm_edu.engines.triage": "import backspasm_edu.engines.triage",
    "import backspasm_edu.widgets": "import backspasm_edu.widgets",
    "import ipykernel.kernelapp": "import ipykernel.kernelapp",
    "03's imports": "from backspasm_edu.render.tables import html_table, rule_rows\n"
    "from backspasm_edu.widgets import TopicCard, TriageChecker",
    "04's imports": "from backspasm_edu.render.figures import evidence_chart_svg\n"
    "from backspasm_edu.render.tables import html_table, treatment_rows\n"
    "from backspasm_edu.widgets import HeatColdExplorer, TopicCard",
}


def run_once(statement: str) -> float:
    """Seconds of wall time for one fresh interpreter running ``statement``."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True, env=ENV)
    return time.perf_counter() - start


ENV = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
"""Bytecode caches already written are read, none are written: every run sees the same disk."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    for statement in STATEMENTS.values():  # warm the disk cache and .pyc files; not measured
        subprocess.run([sys.executable, "-c", statement], check=True)
    times: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    order = list(STATEMENTS)
    rng = random.Random(5)
    for _ in range(args.rounds):
        rng.shuffle(order)  # interleaved, in a new order each round
        for name in order:
            times[name].append(run_once(STATEMENTS[name]))
    base = statistics.median(times["pass"])
    widgets = statistics.median(times["import ipywidgets"])
    print(f"python {sys.version.split()[0]} ({sys.executable}), {args.rounds} rounds, interleaved")
    print(f"{'python -c ...':32} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'x pass':>8} "
          f"{'x ipywidgets':>13} {'minus pass ms':>14}")  # fmt: skip
    for name in STATEMENTS:
        median = statistics.median(times[name])
        print(
            f"{name:32} {median * 1000:10.1f} {min(times[name]) * 1000:8.1f} "
            f"{max(times[name]) * 1000:8.1f} {median / base:8.2f} {median / widgets:13.2f} "
            f"{(median - base) * 1000:14.1f}"
        )


if __name__ == "__main__":
    main()
