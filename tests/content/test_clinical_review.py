"""docs/clinical-review.md: current with the rule table, dated, and naming every rule and departure."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from backspasm_edu.content.loader import load_triage_table

ROOT = Path(__file__).parents[2]
REVIEW = (ROOT / "docs" / "clinical-review.md").read_text(encoding="utf-8")


def test_generated_tables_match_the_packaged_rules() -> None:
    """The review's generated tables are exactly what the packaged rule table gives now."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "docs" / "clinical_review.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_review_is_dated_and_lists_every_rule_with_its_departures() -> None:
    """The review has a review date, a row for every rule, and every departure's reason."""
    assert re.search(r"\*\*Last reviewed: \d{4}-\d{2}-\d{2}\*\*", REVIEW)
    table = load_triage_table()
    for rule in table.rules:
        assert f"| `{rule.id}` |" in REVIEW, rule.id
        if rule.departure:
            assert " ".join(rule.departure.why.split()) in REVIEW, rule.id
