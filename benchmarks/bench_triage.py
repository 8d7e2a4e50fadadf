"""Throughput of backspasm_edu.triage.assess over random cases from the property tests' space.

The cases are drawn as tests/engines/test_triage.py's strategy draws them (age 16..120, days since
onset 0..4000, first episode or not, any subset of load_triage_table().findings) with a fixed
seed: the subset size is uniform over 0..all findings, so big combinations are as common as
small ones. Every workload runs over the same cases, in turn, round after round (interleaved),
and the median round is reported, with its ratio to a trivial baseline (copying each case
dict) measured in the same run. Timings are reported, never asserted.

    python benchmarks/bench_triage.py [--cases 2000] [--rounds 15]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from backspasm_edu.content.loader import load_triage_table
from backspasm_edu.engines.triage import assess, parse_case


def random_cases(count: int, seed: int = 5) -> list[dict[str, Any]]:
    """``count`` valid cases over the property tests' input space, the same for every seed."""
    findings = sorted(load_triage_table().findings)
    rng = random.Random(seed)
    cases = []
    for _ in range(count):
        chosen = rng.sample(findings, rng.randint(0, len(findings)))
        cases.append(
            {
                "age": rng.randint(16, 120),
                "days_since_onset": rng.randint(0, 4000),
                "first_episode": rng.random() < 0.5,
                "findings": chosen,
            }
        )
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    table = load_triage_table()
    cases = random_cases(args.cases)
    parsed = [parse_case(case, table) for case in cases]
    levels = {assess(case).level.value for case in cases}

    def dict_copy() -> None:
        for case in cases:
            case.copy()

    def assess_default_table() -> None:
        for case in cases:
            assess(case)

    def assess_given_table() -> None:
        for case in cases:
            assess(case, table)

    def assess_parsed_case() -> None:
        for case in parsed:
            assess(case, table)

    def parse_only() -> None:
        for case in cases:
            parse_case(case, table)

    def assess_to_json() -> None:
        for case in cases:
            json.dumps(assess(case).to_dict())

    workloads: dict[str, Callable[[], None]] = {
        "dict.copy() (baseline)": dict_copy,
        "parse_case(case, table)": parse_only,
        "assess(case)": assess_default_table,
        "assess(case, table)": assess_given_table,
        "assess(Case, table)": assess_parsed_case,
        "json.dumps(assess(case).to_dict())": assess_to_json,
    }
    for work in workloads.values():  # warm-up, not measured
        work()
    times: dict[str, list[float]] = {name: [] for name in workloads}
    order = list(workloads)
    rng = random.Random(5)
    for _ in range(args.rounds):
        rng.shuffle(order)
        for name in order:
            start = time.perf_counter()
            workloads[name]()
            times[name].append(time.perf_counter() - start)
    mean_findings = statistics.mean(len(case["findings"]) for case in cases)
    print(
        f"python {sys.version.split()[0]}; {args.cases} cases x {args.rounds} rounds, interleaved; "
        f"{len(table.findings)} findings, {len(table.rules)} rules; {mean_findings:.1f} findings "
        f"per case on average; levels reached: {', '.join(sorted(levels))}"
    )
    base = statistics.median(times["dict.copy() (baseline)"])
    print(f"{'workload':38} {'median/s':>12} {'us each':>9} {'x slower than dict.copy':>24}")
    for name in workloads:
        median = statistics.median(times[name])
        print(
            f"{name:38} {args.cases / median:12,.0f} {median / args.cases * 1e6:9.2f} "
            f"{median / base:24.1f}"
        )


if __name__ == "__main__":
    main()
