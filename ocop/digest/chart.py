"""The digest's one chart: new certifications per province, stacked by star level, as inline SVG drawn by matplotlib."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

STACK_COLOURS = {None: "#b0b0b0", 3: "#f2c14e", 4: "#f78154", 5: "#4d9078"}  # level not stated, then 3★ 4★ 5★
BAR_HEIGHT_INCHES = 0.32  # per province: enough for one line of label at the font size below
BASE_HEIGHT_INCHES = 1.2  # axis, legend and margins
WIDTH_INCHES = 7.5
FONT_SIZE = 9


def new_certifications_svg(rows: Sequence[tuple[str, dict[int | None, int]]], legend: dict[int | None, str],
                           axis_label: str, number: Callable[[int], str] = str) -> str:
    """A horizontal stacked bar per (province label, {stars or None: count}) row, first row on top; returns <svg>…</svg>."""
    import matplotlib
    matplotlib.use("svg")
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "ocop-digest", "font.size": FONT_SIZE}):
        figure, axes = pyplot.subplots(figsize=(WIDTH_INCHES, BASE_HEIGHT_INCHES + BAR_HEIGHT_INCHES * len(rows)))
        labels = [label for label, _ in rows][::-1]
        left = [0] * len(rows)
        for stars, colour in STACK_COLOURS.items():
            widths = [counts.get(stars, 0) for _, counts in rows][::-1]
            if any(widths):
                axes.barh(labels, widths, left=left, color=colour, label=legend[stars])
                left = [start + width for start, width in zip(left, widths)]
        for position, total in enumerate(left):
            axes.annotate(number(total), (total, position), xytext=(3, 0), textcoords="offset points", va="center")
        axes.set_xlabel(axis_label)
        axes.spines[["top", "right"]].set_visible(False)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
        axes.legend(loc="lower left", bbox_to_anchor=(0, 1), ncols=len(STACK_COLOURS), frameon=False)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
        pyplot.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]
