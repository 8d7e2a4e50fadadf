"""The backspasm-edu command: triage a case, list findings, validate content, serve the apps."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from backspasm_edu import __version__
from backspasm_edu.errors import BackspasmError, ContentError, InputError, Problem
from backspasm_edu.settings import (
    CULL_IDLE_TIMEOUT,
    CULL_INTERVAL,
    CULL_UNCONNECTED_TIMEOUT,
    DEFAULT_HOST,
    DEFAULT_PORT,
    INSTRUCTOR_KEY_ENV,
    KERNEL_MEMORY_ESTIMATE_MIB,
    KERNEL_MEMORY_LIMIT_MIB,
    MIN_MAX_KERNELS,
    PAGES_PER_MINUTE,
    SERVER_MEMORY_RESERVE_MIB,
    SINGLE_USER_ENV,
)

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
    from backspasm_edu.engines.triage import assess

    data = _read_json(args.file, stdin)
    if not isinstance(data, dict):
        raise InputError(
            "input", 'a JSON object like {"age": 42, "days_since_onset": 3}', type(data).__name__
        )
    json.dump(assess(data).to_dict(), out, indent=2, ensure_ascii=False)
    out.write("\n")
    return EXIT_OK


def _findings(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from backspasm_edu.content.loader import load_triage_table

    table = load_triage_table()
    width = max(map(len, table.findings))
    for finding in table.findings.values():
        level = table.level_of(finding.id).value
        out.write(f"{finding.id:<{width}}  {level:<10}  {' '.join(finding.meaning.split())}\n")
    return EXIT_OK


def _validate(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from backspasm_edu.content.loader import validate_packaged, validate_paths

    count, problems = validate_paths(args.paths) if args.paths else validate_packaged()
    what = "content file" if count == 1 else "content files"
    if problems:
        _print_problems(problems)
        print(f"{len(problems)} problem(s) in {count} {what}.", file=sys.stderr)
        return EXIT_BAD_INPUT
    out.write(f"OK: {count} {what} valid.\n")
    return EXIT_OK


def _serve(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from backspasm_edu.app.serve import ServeOptions, run

    options = ServeOptions(
        host=args.host,
        port=args.port,
        open_browser=args.open,
        content=args.content,
        cull_idle_timeout=args.cull_idle_timeout,
        cull_interval=args.cull_interval,
        cull_unconnected_timeout=args.cull_unconnected_timeout,
        verbose=args.verbose,
        progress=args.progress,
        instructor_key=args.instructor_key,
        instructor_key_file=_path_or_none(args.instructor_key_file),
        preheat_kernels=args.preheat_kernels,
        max_kernels=args.max_kernels,
        pages_per_minute=args.pages_per_minute,
        kernel_memory_limit=args.kernel_memory_limit,
        certfile=_path_or_none(args.certfile),
        keyfile=_path_or_none(args.keyfile),
        class_list=_path_or_none(args.class_list),
        class_size=args.class_size,
        class_apps=tuple(args.app),
    )
    return run(options, out, sys.stderr)


def _path_or_none(value: str | None) -> Path | None:
    return None if value is None else Path(value)


def _links(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from backspasm_edu.app.learner_pages import check_class_names, class_links, read_class_list
    from backspasm_edu.app.serve import progress_location

    names = list(args.names)
    if args.class_list is not None:
        names += read_class_list(Path(args.class_list))
    names = check_class_names(names, "NAME or --class-list")
    for name, link in class_links(args.url, names, progress_location(args.progress)):
        out.write(f"{name}\t{link}\n")
    return EXIT_OK


def _notebooks(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from backspasm_edu.app.serve import copy_notebooks

    written = copy_notebooks(args.dest, force=args.force)
    out.write(f"Copied {len(written)} notebooks to {args.dest}; open them with: jupyter lab\n")
    return EXIT_OK


def _report(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from backspasm_edu.instructor.report import run_report

    lines = run_report(
        args.files,
        args.csv,
        gradebook_path=args.gradebook,
        grade_format=args.format,
        items_path=args.items,
        cases_path=args.cases,
        summary=args.summary,
    )
    for line in lines:
        out.write(line + "\n")
    return EXIT_OK


def _import(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from backspasm_edu.instructor.banks.build import (
        build_quiz,
        quiz_id_for,
        read_banks,
        write_yaml,
    )

    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise InputError("--out", "a folder to write the quizzes into", f"{args.out!r}, a file")
    results, failed = [], []
    taken: set[str] = set()
    for name in args.banks:
        try:
            banks = read_banks(name)
        except ContentError as error:
            failed.append(str(error))
            continue
        for bank in banks:
            quiz_id = _unique_quiz_id(quiz_id_for(bank), taken)
            results.append(
                build_quiz(bank, source_id=args.source, topic=args.topic, quiz_id=quiz_id)
            )
    for line in failed:
        print(f"not imported: {line}", file=sys.stderr)
    for result in results:
        for question in result.skipped:
            print(f"skipped: {result.bank}: {question}", file=sys.stderr)
    written = [result for result in results if result.quiz["questions"]]
    skipped = sum(len(result.skipped) for result in results)
    if args.strict and (failed or skipped):
        print(
            f"--strict: nothing written ({len(failed)} file(s) not read, {skipped} question(s) "
            "skipped)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    destinations = [folder / f"{result.quiz['id']}.yaml" for result in written]
    existing = [str(path) for path in destinations if path.exists()]
    if existing and not args.force:
        raise InputError(
            "--out",
            "a folder without these quiz files yet (--force replaces them)",
            ", ".join(existing),
        )
    for result, path in zip(written, destinations, strict=True):
        write_yaml(result, path, force=args.force)
        for line in result.note_groups():
            print(f"note: {path.name}: {line}", file=sys.stderr)
        count = len(result.quiz["questions"])
        out.write(
            f"Wrote {path}: {count} question{'' if count == 1 else 's'} from {result.bank}"
            + (f", {len(result.skipped)} skipped" if result.skipped else "")
            + ".\n"
        )
    if not written:
        if results:  # the files were read, but every question in them was skipped
            print("Nothing imported: no question could be read.", file=sys.stderr)
        return EXIT_BAD_INPUT
    out.write(f"Check them with: backspasm-edu validate {folder} YOUR_sources.yaml\n")
    return EXIT_OK


def _unique_quiz_id(quiz_id: str, taken: set[str]) -> str:
    candidate, number = quiz_id, 2
    while candidate in taken:
        candidate = f"{quiz_id[:60]}_{number}"
        number += 1
    taken.add(candidate)
    return candidate


def _export_moodle(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from backspasm_edu.instructor.banks.export import export_quiz, format_for
    from backspasm_edu.instructor.banks.files import write_new_file

    exported = export_quiz(args.quiz, args.files, format_for(args.out, args.format))
    path = write_new_file("--out", args.out, exported.data, force=args.force)
    for line in exported.left_out:
        print(f"note: {line}", file=sys.stderr)
    count = len(exported.quiz.questions)
    noun = "question" if count == 1 else "questions"
    notes = len(exported.left_out)
    said = f", {notes} note{'' if notes == 1 else 's'} above" if notes else ""
    out.write(
        f"Wrote {path}: \u201c{exported.quiz.title}\u201d ({count} {noun}) as "
        f"{exported.format_name}{said}. In Moodle: Question bank > Import > "
        f"{exported.format_name} format.\n"
    )
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

    serve = commands.add_parser(
        "serve",
        help="serve the apps to a browser with Voila (this computer only, unless --host)",
        description=(
            "Serve the apps with Voila: no code shown, no tracebacks, author cells removed. "
            "By default only this computer can open them (127.0.0.1). To serve a class, use "
            "--host 0.0.0.0: every device that can reach this machine on the network can then "
            "open the apps, with no password; add --certfile/--keyfile for HTTPS. The kernel of "
            "a closed page is stopped once idle. Class results open only with the instructor "
            f"key in their link (bare Voila with no key: only with {SINGLE_USER_ENV}=1, or in "
            "JupyterLab or on Binder)."
        ),
    )
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on: {DEFAULT_HOST} (default) for this computer only, "
        "0.0.0.0 for every network this machine is on",
    )
    serve.add_argument("--open", action="store_true", help="open the apps in a web browser")
    serve.add_argument(
        "--content",
        metavar="DIR",
        help="a folder of your own content files, checked first and passed to the apps "
        "(as $BACKSPASM_EDU_CONTENT)",
    )
    serve.add_argument(
        "--cull-idle-timeout",
        type=int,
        default=CULL_IDLE_TIMEOUT,
        metavar="SECONDS",
        help="stop a kernel whose page is closed after this long idle "
        f"(default {CULL_IDLE_TIMEOUT}; 0 never)",
    )
    serve.add_argument(
        "--cull-interval",
        type=int,
        default=CULL_INTERVAL,
        metavar="SECONDS",
        help=f"how often to look for idle kernels (default {CULL_INTERVAL})",
    )
    serve.add_argument(
        "--cull-unconnected-timeout",
        type=int,
        default=CULL_UNCONNECTED_TIMEOUT,
        metavar="SECONDS",
        help="stop a kernel whose page never connected (a plain download, no browser) after "
        f"this long idle (default {CULL_UNCONNECTED_TIMEOUT})",
    )
    serve.add_argument(
        "--max-kernels",
        type=int,
        metavar="N",
        help="live kernels at most (one per open page, preheated ones included); past it a new "
        "page gets 'The class is full' (HTTP 503) (default: from the memory available at "
        f"start, (MemAvailable - {SERVER_MEMORY_RESERVE_MIB} MiB) / "
        f"{KERNEL_MEMORY_ESTIMATE_MIB} MiB, at least {MIN_MAX_KERNELS})",
    )
    serve.add_argument(
        "--pages-per-minute",
        type=int,
        default=PAGES_PER_MINUTE,
        metavar="N",
        help="new app pages one device (client address) may open per minute; more get "
        f"HTTP 429 (default {PAGES_PER_MINUTE}; 0 no limit)",
    )
    serve.add_argument(
        "--kernel-memory-limit",
        type=int,
        default=KERNEL_MEMORY_LIMIT_MIB,
        metavar="MIB",
        help="memory (address space) each kernel may take before it gets a MemoryError "
        f"(default {KERNEL_MEMORY_LIMIT_MIB}; 0 no limit)",
    )
    serve.add_argument(
        "--progress",
        metavar="PATH",
        help="the progress store: a file, a course folder to keep backspasm-progress.sqlite "
        "in, or a postgresql://USER:PASSWORD@HOST:PORT/DATABASE URL for a class served by many "
        "servers (default: $BACKSPASM_EDU_PROGRESS, else the folder you start serve from)",
    )
    key = serve.add_mutually_exclusive_group()
    key.add_argument(
        "--instructor-key",
        metavar="KEY",
        help="the key in the class results link (default: $"
        f"{INSTRUCTOR_KEY_ENV}, else a new random key at every start); other users of this "
        "computer can read it in the process list: prefer the variable or --instructor-key-file",
    )
    key.add_argument(
        "--instructor-key-file",
        metavar="FILE",
        help="a file whose first line is the key in the class results link",
    )
    serve.add_argument(
        "--certfile",
        metavar="PEM",
        help="serve over HTTPS with this certificate (with --keyfile, unless it holds the key)",
    )
    serve.add_argument("--keyfile", metavar="PEM", help="the private key of --certfile")
    serve.add_argument(
        "--preheat-kernels",
        type=int,
        default=0,
        metavar="N",
        help="keep N kernels per app started and run, so pages open faster when a class "
        "arrives at once (default 0: off; each idle kernel holds about 45 MiB)",
    )
    serve.add_argument(
        "--class-size",
        type=int,
        default=0,
        metavar="N",
        help="a class pool: keep N kernels ready (one per student) for the apps the lesson "
        "opens, filled at the start ('class pool ready: N/N'), each replaced once pages stop "
        "arriving (default 0: off; each kernel holds about 45 MiB)",
    )
    serve.add_argument(
        "--app",
        action="append",
        default=[],
        metavar="NAME",
        help="an app the class opens, such as 06_quiz, for --class-size (repeat it for more; "
        "default: every app)",
    )
    serve.add_argument(
        "--class-list",
        metavar="FILE",
        help="a text file of learners' names, one per line: print each learner's own private "
        "link at the start (see also backspasm-edu links)",
    )
    serve.add_argument("--verbose", action="store_true", help="show Voila's own log")
    serve.set_defaults(run=_serve)

    links = commands.add_parser(
        "links",
        help="print each learner's own private course link, for a class list",
        description=(
            "Print a link per learner: their name and a code only this course can make, so "
            "their progress follows them to any device and nobody else can open it by typing "
            "their name. Links stay valid while the secret beside the progress store is kept "
            "(PATH.secret). Without a link, a learner's progress stays in their browser."
        ),
    )
    links.add_argument("names", nargs="*", metavar="NAME", help="learners' names")
    links.add_argument(
        "--class-list", metavar="FILE", help="a text file of names, one per line (# comments)"
    )
    links.add_argument(
        "--progress",
        metavar="PATH",
        help="the progress store serve uses (default: as serve chooses it)",
    )
    links.add_argument(
        "--url",
        default=f"http://{DEFAULT_HOST}:{DEFAULT_PORT}/",
        help="the address learners open the apps at "
        f"(default http://{DEFAULT_HOST}:{DEFAULT_PORT}/)",
    )
    links.set_defaults(run=_links)

    notebooks = commands.add_parser(
        "notebooks",
        help="copy the app notebooks into a folder, to open and edit them in JupyterLab",
    )
    notebooks.add_argument("dest", metavar="DEST", help="the folder to copy them into")
    notebooks.add_argument(
        "--force", action="store_true", help="overwrite files already there (never through a link)"
    )
    notebooks.set_defaults(run=_notebooks)

    report = commands.add_parser(
        "report",
        help="class results: read progress stores and exports, print or write class figures",
        description=(
            "Read learners' progress stores (.sqlite) and exported progress files (.json), each "
            "record once, without changing them, and print how many learners and records were "
            "read. Records that cannot be used are left out and counted; a damaged store is "
            "refused. With no files, read the default store. --gradebook, --items and --cases "
            "each print a readable table, or, given OUT, write it as CSV (UTF-8; text that a "
            "spreadsheet would run as a formula starts with '). Scores are each learner's best "
            "finished go, replayed as their own course record scores it; quick checks are "
            "practice and left out."
        ),
    )
    report.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="progress stores, export files or postgresql:// store URLs to read",
    )
    report.add_argument(
        "--csv", metavar="OUT", help="write the table of records, one row each, to this CSV file"
    )
    report.add_argument(
        "--summary",
        action="store_true",
        help="print the class summary: class size, who started and finished each quiz and "
        "case, median scores and the three things to teach again",
    )
    report.add_argument(
        "--gradebook",
        nargs="?",
        const="-",
        metavar="OUT",
        help="the gradebook: one row per learner, one column per quiz (points) and case "
        "(percent); printed, or written to OUT as CSV for --format",
    )
    report.add_argument(
        "--format",
        choices=("moodle", "canvas"),
        default="moodle",
        help="the gradebook CSV's LMS import: moodle (map the Learner column to a user field) "
        "or canvas (Student, ID, SIS User ID, SIS Login ID, Section, then assignments); "
        "default moodle",
    )
    report.add_argument(
        "--items",
        nargs="?",
        const="-",
        metavar="OUT",
        help="per question: learners, %% right first time and how many chose each answer "
        "first time; printed, or written to OUT as CSV",
    )
    report.add_argument(
        "--cases",
        nargs="?",
        const="-",
        metavar="OUT",
        help="per case scene: the share of learners whose first choice was each choice, its "
        "rating, and unsafe choices at red-flag scenes marked \u26a0; printed, or written to "
        "OUT as CSV",
    )
    report.set_defaults(run=_report)

    from backspasm_edu.instructor.banks.jupyterquiz import JUPYTERQUIZ_TYPES

    types = "; ".join(f"{name} becomes {ours}" for name, ours in JUPYTERQUIZ_TYPES.items())
    bank = commands.add_parser(
        "import",
        aliases=["import-jupyterquiz"],
        help="turn question banks (jupyterquiz, Moodle XML, GIFT) into quiz YAML files",
        description=(
            "Read question banks and write one quiz YAML file per bank into --out. The format "
            "is recognised from each file's content: jupyterquiz as JSON or JavaScript-style "
            "JSON, or question lists in a notebook, a .py file or a MyST/Markdown page (read as "
            f"literals, never run); jupyterquiz types: {types}. Moodle XML (multichoice, "
            "truefalse, shortanswer, numerical, matching, ordering), read safely (no DTDs or "
            "entities). GIFT (multiple choice, true/false, short answer, numeric, matching, "
            "missing word). Every question that can be imported is; each one skipped is listed "
            "with the reason. Exit 0 when anything was imported, 2 when nothing could be."
        ),
    )
    bank.add_argument("banks", nargs="+", metavar="BANK", help="question bank files")
    bank.add_argument("--out", required=True, metavar="DIR", help="the folder to write into")
    bank.add_argument(
        "--source",
        required=True,
        metavar="ID",
        help="the source every question cites (an id from your sources.yaml)",
    )
    bank.add_argument(
        "--topic", required=True, metavar="ID", help="the topic id to file the questions under"
    )
    bank.add_argument(
        "--strict",
        action="store_true",
        help="all or nothing: write nothing when any file or question cannot be imported",
    )
    bank.add_argument("--force", action="store_true", help="replace quiz files already there")
    bank.set_defaults(run=_import)

    export = commands.add_parser(
        "export-moodle",
        help="write a quiz as Moodle XML or GIFT, for an LMS's question bank import",
        description=(
            "Write one quiz (a packaged quiz's id, or your quiz YAML file) as Moodle XML or "
            "GIFT, with its sources cited in each question's feedback. What the format cannot "
            "carry is listed as a note on standard error. In Moodle: Question bank > Import."
        ),
    )
    export.add_argument(
        "quiz",
        metavar="QUIZ",
        help="a quiz YAML file, or a packaged quiz id (e.g. when_to_seek_care)",
    )
    export.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="your sources.yaml or topic files that the quiz YAML uses, to check it with",
    )
    export.add_argument(
        "--out", required=True, metavar="OUT", help="the file to write: .xml, .gift or .txt"
    )
    export.add_argument(
        "--format",
        choices=("xml", "gift"),
        help="xml (Moodle XML) or gift (Moodle GIFT); by default from OUT's ending",
    )
    export.add_argument("--force", action="store_true", help="replace an existing OUT file")
    export.set_defaults(run=_export_moodle)
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
