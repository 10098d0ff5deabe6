"""A chart of relative likelihoods with their intervals, one row per stage, drawn on the
server as SVG. Pure: no Django import.

Built like the themes charts (lotus.insights.charts): an image named by its title and
description, every label escaped by ElementTree, nothing told by colour alone. The
non-adverse range 0.80 to 1.25 is a shaded band with its edges labelled; 1.00 is a solid
line; each likelihood is a diamond with its value written beside it, and its interval a
line with end caps. A figure not shown is written as "Not shown" and not drawn. The axis
is logarithmic, so 0.5 and 2 are the same distance from 1.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from lotus.insights.charts import CHAR_WIDTH, GRID, INK, _element, _root, _to_string, label_lines

BAND_FILL = "#e8edee"
POINT = "#005eb8"
TICKS = (0.25, 0.5, 0.8, 1.0, 1.25, 2.0, 4.0)


@dataclass(frozen=True)
class IntervalRow:
    label: str
    ratio: float | None
    low: float | None
    high: float | None
    #: What to write beside the row when nothing is drawn ("Not shown", "Not computable").
    note: str = ""


def _value_text(ratio: float) -> str:
    return f"{ratio:.2f}"


def interval_chart(*, chart_id: str, title: str, description: str, rows: Sequence[IntervalRow]) -> str:
    drawn = [row for row in rows if row.ratio is not None and row.ratio > 0]
    values = [v for row in drawn for v in (row.ratio, row.low, row.high) if v]
    lowest = min([0.5, *values])
    highest = max([2.0, *values])
    ticks = [t for t in TICKS if lowest / 1.2 <= t <= highest * 1.2]
    lowest, highest = min(lowest, ticks[0]) / 1.1, max(highest, ticks[-1]) * 1.1
    lines = [label_lines(row.label, 28) for row in rows]
    label_width = max((len(part) for parts in lines for part in parts), default=10) * CHAR_WIDTH + 16
    plot = 420
    row_height = 40
    top = 40
    width = label_width + plot + 130
    height = top + row_height * max(len(rows), 1) + 40
    root, _ = _root(chart_id, title, description, width, height)
    left = label_width

    def x_of(value: float) -> float:
        return left + plot * (math.log(value) - math.log(lowest)) / (math.log(highest) - math.log(lowest))

    bottom = top + row_height * len(rows)
    band = _element(root, "g")
    _element(band, "title", "The non-adverse range, 0.80 to 1.25")
    _element(band, "rect", x=f"{x_of(0.8):.1f}", y=f"{top - 6}", width=f"{x_of(1.25) - x_of(0.8):.1f}",
             height=f"{bottom - top + 12}", fill=BAND_FILL, stroke=GRID)
    for tick in ticks:
        x = x_of(tick)
        _element(root, "path", d=f"M{x:.1f},{top - 6} V{bottom + 6}", stroke=INK if tick == 1.0 else GRID,
                 stroke_width="2" if tick == 1.0 else "1")
        _element(root, "text", f"{tick:.2f}", x=f"{x:.1f}", y=f"{bottom + 24}", text_anchor="middle", fill=INK)
    _element(root, "text", "Relative likelihood (log scale); shaded: 0.80 to 1.25", x=f"{left}", y="20", fill=INK)
    for index, (row, parts) in enumerate(zip(rows, lines, strict=True)):
        middle = top + row_height * index + row_height / 2
        text = _element(root, "text", None, x=f"{left - 8}", y=f"{middle + 5 - 8 * (len(parts) - 1):.1f}",
                        text_anchor="end", fill=INK)
        for number, part in enumerate(parts):
            _element(text, "tspan", part, x=f"{left - 8}", dy="0" if number == 0 else "16")
        group = _element(root, "g")
        if row.ratio is None or row.ratio <= 0:
            note = row.note or ("0.00" if row.ratio == 0 else "Not shown")
            _element(group, "title", f"{row.label}: {note}")
            _element(group, "text", note, x=f"{left + 8}", y=f"{middle + 5:.1f}", fill=INK, font_style="italic")
            continue
        words = f"{row.label}: {_value_text(row.ratio)}"
        if row.low is not None:
            words += f", 95% interval {row.low:.2f} to {row.high:.2f}"
            x1, x2 = x_of(max(row.low, lowest)), x_of(min(row.high, highest))
            _element(group, "path", d=f"M{x1:.1f},{middle:.1f} H{x2:.1f} M{x1:.1f},{middle - 7:.1f} V{middle + 7:.1f} "
                                      f"M{x2:.1f},{middle - 7:.1f} V{middle + 7:.1f}", stroke=INK, stroke_width="2")
        _element(group, "title", words)
        x = x_of(row.ratio)
        _element(group, "polygon", points=f"{x:.1f},{middle - 8:.1f} {x + 8:.1f},{middle:.1f} {x:.1f},{middle + 8:.1f} "
                                          f"{x - 8:.1f},{middle:.1f}", fill=POINT, stroke=INK, stroke_width="1")
        _element(group, "text", _value_text(row.ratio), x=f"{left + plot + 12}", y=f"{middle + 5:.1f}", fill=INK)
    return _to_string(root)
