"""Charts for the apps, drawn with matplotlib's object API so they work without a display."""

from __future__ import annotations

import base64
import html
import io
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .loader import load_library
from .tables import EVIDENCE_WORDS, VERDICT_WORDS

EVIDENCE_SCORES = {"moderate": 3, "low": 2, "insufficient": 1, "against": -1}
"""Bar length for each grade of evidence: negative means evidence that it does not help."""

VERDICT_STYLES = {
    "recommended": ("//", "#009e73"),
    "option": ("..", "#56b4e9"),
    "sources_disagree": ("xx", "#e69f00"),
    "not_recommended": ("--", "#d55e00"),
}
"""Hatch pattern and colour-blind-safe fill for each verdict: the pattern alone tells them apart."""


class ChartFigure(Figure):
    """A figure that shows itself in a notebook as a PNG image, its description as alt text.

    A bare Figure shows only as text in a kernel where pyplot was never imported, as in Voila.
    The description tells the chart's content in words, for screen readers.
    """

    def __init__(self, description: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.description = description

    def _repr_html_(self) -> str:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100)
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        return (
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(self.description)}" '
            'style="max-width:100%;height:auto">'
        )


def evidence_chart(ax: Axes | None = None) -> Figure:
    """Treatments as horizontal bars by evidence quality, each labelled with its verdict in words.

    The strongest evidence is at the top, recommended first within a grade. Draws on ``ax``
    when given, else on a new figure; returns the (top-level) figure drawn on.
    """
    verdicts = list(VERDICT_STYLES)
    treatments = sorted(
        load_library().treatments.values(),
        key=lambda t: (EVIDENCE_SCORES[t.evidence], -verdicts.index(t.verdict)),
    )
    if ax is None:
        description = "Bar chart of the evidence for each treatment, strongest first. " + " ".join(
            f"{t.name}: evidence {EVIDENCE_WORDS[t.evidence]}; {VERDICT_WORDS[t.verdict]}."
            for t in reversed(treatments)
        )
        size = (9, 1.2 + 0.45 * len(treatments))
        figure: Figure = ChartFigure(description, figsize=size, layout="constrained")
        ax = figure.add_subplot()
    else:
        parent = ax.figure
        figure = parent if isinstance(parent, Figure) else parent.figure
    for row, treatment in enumerate(treatments):
        hatch, colour = VERDICT_STYLES[treatment.verdict]
        score = EVIDENCE_SCORES[treatment.evidence]
        ax.barh(row, score, color=colour, hatch=hatch, edgecolor="black", linewidth=0.8)
        ax.text(
            max(score, 0) + 0.08,
            row,
            VERDICT_WORDS[treatment.verdict],
            va="center",
            fontsize=9,
        )
    ax.axvline(0, color="black", linewidth=1)
    ax.set_yticks(range(len(treatments)), [treatment.name for treatment in treatments])
    grades = sorted(EVIDENCE_SCORES, key=EVIDENCE_SCORES.__getitem__)
    ax.set_xticks([EVIDENCE_SCORES[g] for g in grades], [EVIDENCE_WORDS[g] for g in grades])
    ax.set_xlim(-1.3, 4.4)
    ax.set_xlabel("Quality of the evidence that it helps")
    ax.set_title("How strong is the evidence for each treatment?")
    ax.legend(
        handles=[
            Patch(facecolor=colour, hatch=hatch, edgecolor="black", label=VERDICT_WORDS[verdict])
            for verdict, (hatch, colour) in VERDICT_STYLES.items()
        ],
        title="What guidelines advise",
        loc="lower right",
        fontsize=9,
    )
    return figure
