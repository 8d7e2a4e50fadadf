"""Readable tables of rules, findings and treatments, and the evidence chart."""

from __future__ import annotations

import html
from collections import defaultdict

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from backspasm_edu.charts import ChartFigure, evidence_chart
from backspasm_edu.loader import load_library, load_triage_table
from backspasm_edu.model import CareLevel
from backspasm_edu.tables import (
    VERDICT_WORDS,
    finding_table,
    level_label,
    rule_table,
    styled,
    treatment_table,
)

LIBRARY = load_library()
TABLE = load_triage_table()
LEVEL_BY_LABEL = {level_label(level): level for level in CareLevel}


def assert_complete(frame: pd.DataFrame) -> None:
    """No cell is missing or blank."""
    assert not frame.isna().any().any()
    assert all(str(cell).strip() for cell in frame.to_numpy().ravel())


def test_rule_table_has_one_row_per_rule_most_urgent_first():
    """The rule table has one complete row per rule, in order of falling urgency."""
    frame = rule_table()
    assert list(frame.columns) == ["Rule", "When", "Care level", "Why", "Sources"]
    assert sorted(frame["Rule"]) == sorted(rule.id for rule in TABLE.rules)
    urgency = [LEVEL_BY_LABEL[label].urgency for label in frame["Care level"]]
    assert urgency == sorted(urgency, reverse=True)
    assert_complete(frame)


def test_rule_table_reads_in_plain_words():
    """Each row shows the condition in words, the level title and id, and source names."""
    rows = {row["Rule"]: row for row in rule_table().to_dict("records")}
    rule = next(rule for rule in TABLE.rules if rule.id == "first_pain_at_50_or_over")
    row = rows[rule.id]
    assert row["When"] == "age at least 50 and first episode"
    assert row["Care level"] == "Book a visit (see doctor)"
    assert row["Why"] == rule.reason
    assert row["Sources"] == ", ".join(LIBRARY.sources[s].name for s in rule.sources)
    assert rows["saddle_numbness"]["Care level"] == "Get help now (emergency)"


def test_finding_table_covers_every_finding_id():
    """The finding table has one complete row for each of the 26 finding ids, with its group."""
    frame = finding_table()
    assert list(frame["Finding"]) == list(TABLE.findings)
    assert len(frame) == 26
    groups = {group.id: group.title for group in TABLE.groups}
    for row in frame.to_dict("records"):
        finding = TABLE.findings[row["Finding"]]
        assert row["What it means"] == finding.meaning
        assert row["Group"] == groups[finding.group]
        assert LEVEL_BY_LABEL[row["Care level"]] is finding.level
    assert_complete(frame)


def test_finding_table_shows_where_each_source_places_a_finding():
    """The placements column names each source with the level it gives, in words."""
    rows = {row["Finding"]: row for row in finding_table().to_dict("records")}
    assert rows["new_bladder_problem"]["Where the sources place it"] == (
        "Mayo Clinic: emergency; NHS: emergency"
    )
    assert rows["pain_below_knee"]["Where the sources place it"] == "Mayo Clinic: see doctor"


def test_treatment_table_has_every_treatment_in_plain_words():
    """Every treatment is listed with plain evidence and verdict words, never a raw id."""
    frame = treatment_table()
    treatments = list(LIBRARY.treatments.values())
    assert list(frame["Treatment"]) == [t.name for t in treatments]
    assert set(frame["Verdict"]) <= {
        "Recommended",
        "An option",
        "Sources disagree",
        "Not recommended",
    }
    for row, treatment in zip(frame.to_dict("records"), treatments, strict=True):
        assert row["Verdict"] == VERDICT_WORDS[treatment.verdict]
        assert row["Prescription only"] == ("Yes" if treatment.prescription_only else "No")
        assert "_" not in row["Evidence"] + row["Verdict"]
    assert_complete(frame)


@pytest.mark.parametrize("make", [rule_table, finding_table, treatment_table])
def test_styled_table_has_no_index_and_left_aligned_text(make):
    """The notebook form of a table hides the index and left-aligns and wraps its text."""
    frame = make()
    page = styled(frame).to_html()
    assert "row_heading" not in page
    assert "text-align: left" in page and "white-space: normal" in page
    assert html.escape(str(frame.iloc[0, 0])) in page


def bars_by_name(figure: Figure) -> dict[str, Rectangle]:
    """The chart's bars, keyed by the treatment named on their row."""
    (ax,) = figure.axes
    names = [label.get_text() for label in ax.get_yticklabels()]
    bars = [patch for patch in ax.patches if isinstance(patch, Rectangle)]
    return {names[round(bar.get_y() + bar.get_height() / 2)]: bar for bar in bars}


def test_evidence_chart_has_one_bar_per_treatment():
    """The chart is a Figure with one bar per treatment, sized by the grade of its evidence."""
    figure = evidence_chart()
    assert isinstance(figure, Figure)
    (ax,) = figure.axes
    assert len(ax.patches) == len(LIBRARY.treatments)
    bars = bars_by_name(figure)
    assert set(bars) == {t.name for t in LIBRARY.treatments.values()}
    scores = {"moderate": 3, "low": 2, "insufficient": 1, "against": -1}
    for treatment in LIBRARY.treatments.values():
        assert bars[treatment.name].get_width() == scores[treatment.evidence]
    assert ax.get_title() and ax.get_xlabel()


def test_evidence_chart_tells_verdicts_apart_by_hatch_and_words():
    """Bars of one verdict share a hatch, each verdict has its own, and each is labelled."""
    figure = evidence_chart()
    bars = bars_by_name(figure)
    hatches = defaultdict(set)
    for treatment in LIBRARY.treatments.values():
        hatches[treatment.verdict].add(bars[treatment.name].get_hatch())
    assert all(len(found) == 1 for found in hatches.values())
    patterns = [next(iter(found)) for found in hatches.values()]
    assert len(set(patterns)) == len(patterns) == 4 and all(patterns)
    (ax,) = figure.axes
    labels = [text.get_text() for text in ax.texts]
    assert sorted(labels) == sorted(VERDICT_WORDS[t.verdict] for t in LIBRARY.treatments.values())
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == list(VERDICT_WORDS.values())


def test_evidence_chart_shows_in_a_notebook_with_alt_text():
    """The chart shows as a PNG image whose alt text names every treatment and its verdict."""
    figure = evidence_chart()
    assert isinstance(figure, ChartFigure)
    page = figure._repr_html_()
    assert page.startswith('<img src="data:image/png;base64,')
    alt = html.unescape(page.split('alt="', 1)[1].split('"', 1)[0])
    for treatment in LIBRARY.treatments.values():
        assert f"{treatment.name}: evidence" in alt


def test_evidence_chart_draws_on_given_axes():
    """Given axes, the chart draws there and returns their figure."""
    figure = Figure()
    ax = figure.add_subplot()
    assert evidence_chart(ax) is figure
    assert len(ax.patches) == len(LIBRARY.treatments)
