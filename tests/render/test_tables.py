"""Readable tables of rules, findings and treatments, and the evidence chart."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pandas as pd
import pytest

from backspasm_edu.content.loader import load_library, load_triage_table
from backspasm_edu.content.model import CareLevel
from backspasm_edu.render.figures import EVIDENCE_SCORES, evidence_chart_svg
from backspasm_edu.render.tables import (
    EVIDENCE_WORDS,
    VERDICT_WORDS,
    finding_rows,
    finding_table,
    html_table,
    level_label,
    rule_rows,
    rule_table,
    styled,
    treatment_rows,
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
    assert list(frame.columns) == ["When", "Care level", "Why", "Sources"]
    assert len(frame) == len(TABLE.rules)
    urgency = [LEVEL_BY_LABEL[label].urgency for label in frame["Care level"]]
    assert urgency == sorted(urgency, reverse=True)
    assert_complete(frame)


def rows_by_rule() -> dict[str, dict[str, str]]:
    """The rule table's rows keyed by rule id (the table itself shows no ids)."""
    ordered = sorted(TABLE.rules, key=lambda rule: -rule.level.urgency)
    records = rule_table().to_dict("records")
    return {rule.id: row for rule, row in zip(ordered, records, strict=True)}


def test_rule_table_reads_in_plain_words():
    """Each row shows the condition in words, the level title and id, and source names."""
    rows = rows_by_rule()
    rule = next(rule for rule in TABLE.rules if rule.id == "first_pain_at_50_or_over")
    row = rows[rule.id]
    assert row["When"] == "Aged 50 or over and The first back pain ever"
    assert row["Care level"] == "Book a visit (see doctor)"
    assert row["Why"] == rule.reason
    assert row["Sources"] == ", ".join(LIBRARY.sources[s].name for s in rule.sources)
    assert rows["saddle_numbness"]["Care level"] == "Get help now (emergency)"


def test_finding_table_covers_every_finding_id():
    """The finding table has one complete row for each finding id, with its group."""
    frame = finding_table()
    assert list(frame["Finding"]) == list(TABLE.findings)
    assert len(frame) == len(TABLE.findings) >= 35
    groups = {group.id: group.title for group in TABLE.groups}
    for row in frame.to_dict("records"):
        finding = TABLE.findings[row["Finding"]]
        assert row["What it means"] == finding.meaning
        assert row["Group"] == groups[finding.group]
        assert LEVEL_BY_LABEL[row["Care level"]] is TABLE.level_of(finding.id)
    assert_complete(frame)


def test_finding_table_shows_where_each_source_places_a_finding():
    """The placements column names each source with the level it gives, in words."""
    rows = {row["Finding"]: row for row in finding_table().to_dict("records")}
    assert rows["new_bladder_problem"]["Where the sources place it"] == (
        "Mayo Clinic: emergency; NHS: emergency"
    )
    assert rows["pain_below_knee"]["Where the sources place it"] == (
        "Mayo Clinic: see doctor; NICE NG59: see doctor; Mayo Connected Care: urgent"
    )


def test_rule_table_states_each_departure_from_a_source() -> None:
    """A rule below where a source places its finding says, in its Why, which source and why."""
    rows = rows_by_rule()
    assert "Where we differ from Mayo Connected Care: " in rows["pain_below_knee"]["Why"]
    assert "Where we differ" not in rows["saddle_numbness"]["Why"]


def test_rule_table_names_signs_by_their_labels_never_their_ids() -> None:
    """A combined rule reads with the checker's labels; no finding or rule id appears anywhere."""
    rows = rows_by_rule()
    assert rows["fragile_bones_and_injury"]["When"] == (
        "\u201cBegan after a fall or accident\u201d and (any of "
        "\u201cOsteoporosis (thin bones)\u201d, \u201cSteroid tablets for a long time\u201d)"
    )
    text = " ".join(value for row in rows.values() for value in row.values())
    ids = set(TABLE.findings) | {rule.id for rule in TABLE.rules}
    assert [i for i in ids if re.search(rf"\b{i}\b", text) and "_" in i] == []


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


def parse_table(page: str) -> tuple[str, list[str], list[dict[str, str]]]:
    """An HTML table's caption, column heads and rows, checked to be well-formed XML."""
    table = ET.fromstring(page)
    caption = table.find("caption")
    assert caption is not None
    heads = table.findall("thead/tr/th")
    columns = [th.text or "" for th in heads]
    rows = [
        dict(zip(columns, [td.text or "" for td in tr.findall("td")], strict=True))
        for tr in table.findall("tbody/tr")
    ]
    return caption.text or "", columns, rows


@pytest.mark.parametrize(
    ("rows", "make"),
    [(rule_rows, rule_table), (finding_rows, finding_table), (treatment_rows, treatment_table)],
)
def test_html_table_has_the_same_rows_as_the_dataframe(rows, make):
    """The HTML table shows the DataFrame version's columns and rows, in order, no index."""
    caption, columns, found = parse_table(html_table(rows(), "A caption"))
    frame = make()
    assert caption == "A caption"
    assert columns == list(frame.columns)
    assert found == frame.to_dict("records")


def test_html_table_heads_are_column_headers_and_cells_are_left_aligned_and_wrapped():
    """Every column head is a th with scope col; every cell is left-, top-aligned and wrapped."""
    table = ET.fromstring(html_table(treatment_rows(), "Treatments"))
    heads = table.findall("thead/tr/th")
    assert heads and all(th.get("scope") == "col" for th in heads)
    assert not table.findall("tbody/tr/th")  # no index column
    for cell in [*heads, *table.findall("tbody/tr/td")]:
        style = cell.get("style", "")
        assert "text-align:left" in style and "vertical-align:top" in style
        assert "white-space:normal" in style


def test_html_table_escapes_markup_in_caption_heads_and_cells():
    """A < or & in the caption, a column head or a cell shows as text, never as markup."""
    rows = [{"A <b> & c": "x < y & <script>z</script>"}]
    page = html_table(rows, "Caption <i> & more")
    assert "<script>" not in page and "<b>" not in page and "<i>" not in page
    caption, columns, found = parse_table(page)
    assert caption == "Caption <i> & more"
    assert columns == ["A <b> & c"]
    assert found == rows


def test_html_table_of_no_rows_is_still_a_captioned_table():
    """With no rows the table is empty but well-formed and keeps its caption."""
    assert parse_table(html_table([], "Nothing yet")) == ("Nothing yet", [], [])


SVG = "{http://www.w3.org/2000/svg}"
BY_NAME = {treatment.name: treatment for treatment in LIBRARY.treatments.values()}


def chart() -> ET.Element:
    """A new evidence chart, parsed as XML (which fails if the SVG is not well-formed)."""
    return ET.fromstring(evidence_chart_svg())


def texts(svg: ET.Element) -> list[ET.Element]:
    """Every text element of the chart, in document order."""
    return list(svg.iter(f"{SVG}text"))


def chart_rows(svg: ET.Element) -> list[tuple[ET.Element, str, str]]:
    """Each bar, top to bottom, with the name at the start of its row and the words after it.

    Bars are the pattern-filled rectangles drawn straight on the chart; the legend's swatches
    sit in a group and the patterns' tiles in defs. Row labels end at the plot (anchor end).
    """
    bars = [rect for rect in svg.findall(f"{SVG}rect") if rect.get("fill", "").startswith("url(")]
    rows = []
    for bar in sorted(bars, key=lambda rect: float(rect.get("y", "0"))):
        middle = float(bar.get("y", "0")) + float(bar.get("height", "0")) / 2
        on_row = [text for text in texts(svg) if abs(float(text.get("y", "0")) - 5 - middle) < 1]
        (name,) = [text.text for text in on_row if text.get("text-anchor") == "end"]
        (words,) = [text.text for text in on_row if text.get("text-anchor") == "start"]
        rows.append((bar, name or "", words or ""))
    return rows


def test_evidence_chart_is_an_accessible_scalable_svg():
    """The chart is well-formed SVG with role img, a title and a description it is labelled by."""
    svg = chart()
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.get("width") == "100%" and "max-width" in svg.get("style", "")
    assert svg.get("viewBox", "").startswith("0 0 ")
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.text == "How strong is the evidence for each treatment?"
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_evidence_chart_has_one_bar_per_treatment_strongest_first():
    """One bar per treatment, strongest evidence at the top, recommended first within a grade."""
    rows = chart_rows(chart())
    names = [name for _, name, _ in rows]
    assert sorted(names) == sorted(BY_NAME)
    verdicts = list(VERDICT_WORDS)
    keys = [
        (-EVIDENCE_SCORES[BY_NAME[name].evidence], verdicts.index(BY_NAME[name].verdict))
        for name in names
    ]
    assert keys == sorted(keys)


def test_evidence_chart_bar_lengths_follow_the_evidence_left_of_zero_when_against():
    """Bar length is proportional to the evidence score; evidence against is left of zero."""
    rows = chart_rows(chart())
    widths = [float(bar.get("width", "0")) for bar, _, _ in rows]
    scores = [EVIDENCE_SCORES[BY_NAME[name].evidence] for _, name, _ in rows]
    units = [width / abs(score) for width, score in zip(widths, scores, strict=True)]
    assert max(units) - min(units) < 0.5
    zero = max(float(bar.get("x", "0")) for bar, _, _ in rows)
    for (bar, _, _), width, score in zip(rows, widths, scores, strict=True):
        left = float(bar.get("x", "0"))
        assert (left + width if score < 0 else left) == pytest.approx(zero, abs=0.2)


def test_evidence_chart_tells_verdicts_apart_by_pattern_and_words():
    """Each verdict has its own hatch pattern, shared by its bars, and its words on each bar."""
    svg = chart()
    patterns = {pattern.get("id"): pattern for pattern in svg.iter(f"{SVG}pattern")}
    fills = defaultdict(set)
    for bar, name, words in chart_rows(svg):
        verdict = BY_NAME[name].verdict
        fills[verdict].add(bar.get("fill"))
        assert words == VERDICT_WORDS[verdict]
    assert all(len(found) == 1 for found in fills.values())
    ids = [re.fullmatch(r"url\(#(.+)\)", next(iter(found))) for found in fills.values()]
    marks = [  # the pattern's drawing without its colour tile: the hatch alone
        "".join(ET.tostring(child, encoding="unicode") for child in patterns[match[1]][1:])
        for match in ids
        if match
    ]
    assert len(marks) == len(fills) == len(VERDICT_WORDS) and all(marks)
    assert len(set(marks)) == len(marks)


def test_evidence_chart_has_axis_words_and_a_legend_of_every_verdict():
    """Ticks read in evidence words, the axis and legend are titled, every verdict is named."""
    svg = chart()
    words = [text.text for text in texts(svg)]
    for grade in EVIDENCE_WORDS.values():
        assert grade in words
    assert "Quality of the evidence that it helps" in words
    assert words[words.index("What guidelines advise") + 1 :] == list(VERDICT_WORDS.values())
    swatches = [rect for rect in svg.iter(f"{SVG}rect") if rect not in svg.findall(f"{SVG}rect")]
    legend_fills = [rect.get("fill") for rect in swatches if rect.get("fill", "").startswith("url")]
    assert len(set(legend_fills)) == len(VERDICT_WORDS)


def test_evidence_chart_text_is_at_least_12px():
    """No text is set below 12 units, and the chart is never drawn wider than 1 unit a pixel."""
    svg = chart()
    sizes = [float(text.get("font-size", svg.get("font-size", "0"))) for text in texts(svg)]
    assert min(sizes) >= 12
    assert f"max-width:{svg.get('viewBox', '').split()[2]}px" in svg.get("style", "")


def test_evidence_chart_description_names_every_treatment_with_its_verdict():
    """The description tells each treatment's evidence and verdict in words, top row first."""
    svg = chart()
    desc = svg.find(f"{SVG}desc")
    assert desc is not None
    facts = " ".join(
        f"{name}: evidence {EVIDENCE_WORDS[BY_NAME[name].evidence]}; {words}."
        for _, name, words in chart_rows(svg)
    )
    assert desc.text == f"Bar chart of the evidence for each treatment, strongest first. {facts}"


def test_two_evidence_charts_share_no_ids():
    """Two charts on one page have different pattern and label ids, so neither hides the other."""
    ids = [{e.get("id") for e in svg.iter() if e.get("id")} for svg in (chart(), chart())]
    assert ids[0] and ids[1] and not ids[0] & ids[1]
