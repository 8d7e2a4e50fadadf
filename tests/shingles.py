"""Eight-word shingles of text: the copy check's normal form, and a tool to add a text's hashes.

Run ``python -m tests.shingles add FILE...`` to add the hashes of a protected text (a copyrighted
page or the seed article) to ``tests/data/protected_shingles.txt``; only hashes are kept.
"""

from __future__ import annotations

import argparse
import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

SHINGLE_WORDS = 8
HASH_FILE = Path(__file__).parent / "data" / "protected_shingles.txt"
WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The text's words, case-folded, with punctuation and apostrophes dropped."""
    return WORD.findall(text.replace("'", "").replace("\u2019", "").casefold())


def shingles(text: str, size: int = SHINGLE_WORDS) -> Iterator[str]:
    """Every run of ``size`` consecutive words in the text, joined by single spaces."""
    tokens = words(text)
    for start in range(len(tokens) - size + 1):
        yield " ".join(tokens[start : start + size])


def digest(shingle: str) -> str:
    """The stored form of one shingle: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(shingle.encode("utf-8")).hexdigest()[:16]


def read_hashes(path: Path = HASH_FILE) -> set[str]:
    """The stored hashes, skipping comment lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def add(texts: Iterable[str], path: Path = HASH_FILE) -> int:
    """Add the hashes of every shingle of the texts to the file; return how many were new."""
    known = read_hashes(path)
    new = sorted({digest(s) for text in texts for s in shingles(text)} - known)
    with path.open("a", encoding="utf-8") as handle:
        handle.writelines(f"{value}\n" for value in new)
    return len(new)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``add FILE...``."""
    parser = argparse.ArgumentParser(prog="python -m tests.shingles", description=__doc__)
    parser.add_argument("command", choices=["add"])
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args(argv)
    count = add(file.read_text(encoding="utf-8") for file in args.files)
    print(f"added {count} new shingle hashes to {HASH_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
