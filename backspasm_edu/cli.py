"""The backspasm-edu command: triage a case from JSON, list findings, validate content files."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .errors import BackspasmError, InputError, Problem

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def _read_json(name: str, stdin: TextIO) -> object:
    try:
        if name == "-":
            text = stdin.read()
        else:
            with open(name, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as error:
        raise InputError(
            "FILE", "a readable JSON file or - for standard input", f"{name!r} ({error.strerror})"
        ) from None
    except UnicodeDecodeError:
        raise InputError("FILE", "UTF-8 text", f"bytes that are not UTF-8 in {name!r}") from None
    if not text.strip():
        raise InputError("FILE", "a JSON object", f"an empty input from {name!r}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            "FILE", "valid JSON", f"{error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        raise InputError(
            "FILE", "JSON nested a sane number of levels", "too deep nesting"
        ) from None


def _triage(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from .triage import assess

    data = _read_json(args.file, stdin)
    if not isinstance(data, dict):
        raise InputError(
            "input", 'a JSON object like {"age": 42, "days_since_onset": 3}', type(data).__name__
        )
    json.dump(assess(data).to_dict(), out, indent=2, ensure_ascii=False)
    out.write("\n")
    return EXIT_OK


def _findings(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from .loader import load_triage_table

    table = load_triage_table()
    width = max(map(len, table.findings))
    for finding in table.findings.values():
        out.write(f"{finding.id:<{width}}  {finding.level.value:<10}  {finding.meaning}\n")
    return EXIT_OK


def _validate(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from .loader import validate_packaged, validate_paths

    count, problems = validate_paths(args.paths) if args.paths else validate_packaged()
    what = "content file" if count == 1 else "content files"
    if problems:
        _print_problems(problems)
        print(f"{len(problems)} problem(s) in {count} {what}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    out.write(f"OK: {count} {what} valid.\n")
    return EXIT_OK


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="backspasm-edu",
        description="Teaching tools on back spasms. For learning, not a diagnosis.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    triage = commands.add_parser(
        "triage",
        help="triage one case from a JSON file and print the result as JSON",
        description=(
            'Triage a case such as {"age": 42, "days_since_onset": 3, "first_episode": true, '
            '"findings": ["pain_below_knee"]}. For learning, not a diagnosis.'
        ),
    )
    triage.add_argument("file", metavar="FILE", help="a JSON file, or - for standard input")
    triage.set_defaults(run=_triage)

    findings = commands.add_parser("findings", help="list the finding ids with their care level")
    findings.set_defaults(run=_findings)

    validate = commands.add_parser(
        "validate",
        help="validate the packaged content, or your own content files and folders",
    )
    validate.add_argument("paths", nargs="*", metavar="PATH", help="YAML files or folders")
    validate.set_defaults(run=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input or invalid content)."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.run(args, sys.stdout, sys.stdin)
    except BackspasmError as error:
        print(f"backspasm-edu {args.command}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return code
