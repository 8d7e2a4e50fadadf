"""A matplotlib figure that shows in a notebook as a PNG with alt text, without pyplot."""

from __future__ import annotations

import base64
import html
import io
from typing import Any

from matplotlib.figure import Figure


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
