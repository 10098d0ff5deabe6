"""Charts drawn on the server as SVG, for the themes and trends page. Pure: no Django import.

Each chart is an image with a title and a description (`role="img"`, labelled by both),
so a screen reader announces what it shows; the same figures are in a table beneath it
on the page. Colour is never the only cue: every series has its own pattern (stripes,
dots, hatching) and a dark outline, every line its own marker and dash, and the legend
shows the pattern or marker beside each name. A hidden figure is never drawn as if it
were a number: its bar is left out and labelled as hidden (by default "Not shown"; the
themes page names its threshold).

The markup is built with `xml.etree.ElementTree`, which escapes every label and value it
writes, and characters XML cannot hold are taken out first; the page includes the result
as it is (lotus.insights.presenters marks it safe).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET  # noqa: N817  # nosec B405  # builds markup; parses nothing
from collections.abc import Sequence
from dataclasses import dataclass

SVG_NS = "http://www.w3.org/2000/svg"
NOT_SHOWN = "Not shown"

INK = "#212b32"  # NHS.UK text colour: outlines, axes and labels
GRID = "#d8dde0"
HIDDEN_FILL = "#aeb7bd"
FONT = "Frutiger W01, Arial, sans-serif"
FONT_SIZE = 14
CHAR_WIDTH = 7.6  # a rough width of one character at FONT_SIZE, for laying out labels

#: Fill colour and overlay for each series, in order. Overlays are white or dark marks
#: drawn over the colour, so two series differ in texture as well as in colour.
PATTERNS: tuple[tuple[str, str], ...] = (
    ("#005eb8", "solid"),       # NHS blue
    ("#330072", "stripes"),     # purple, white diagonal stripes
    ("#007f3b", "dots"),        # green, white dots
    ("#ffb81c", "back-stripes"),  # warm yellow, dark stripes the other way
    ("#00a499", "rows"),        # aqua green, white horizontal lines
    ("#ae2573", "cross"),       # pink, white cross-hatching
    ("#425563", "columns"),     # dark grey, white vertical lines
    ("#ed8b00", "dark-dots"),   # orange, dark dots
)
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "down", "plus", "bar")
DASHES = ("", "8 4", "2 4", "10 4 2 4", "4 4", "12 3", "1 3", "6 2 2 2")

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ID_INVALID = re.compile(r"[^a-z0-9-]")


def clean(text: object) -> str:
    """Text that XML can hold, on one line: characters it cannot hold (control codes, lone
    surrogates) removed, and line breaks, tabs and runs of spaces made one space."""
    return " ".join(_XML_INVALID.sub("", str(text)).split())


def number_text(value: float | None, hidden: str = NOT_SHOWN) -> str:
    """A figure as written on a chart or in a table; `hidden` for one that is not shown."""
    if value is None:
        return hidden
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}"


def _safe_id(chart_id: str) -> str:
    safe = _ID_INVALID.sub("-", chart_id.lower()).strip("-")
    return safe or "chart"


@dataclass(frozen=True)
class Series:
    """One named series: a value (or None, hidden) for each label along the chart."""

    name: str
    values: tuple[float | None, ...]


def nice_ticks(highest: float, *, count: int = 5) -> list[float]:
    """Round steps from 0 to at least `highest` (1, 2 or 5 times a power of ten)."""
    if highest <= 0:
        return [0, 1]
    raw = highest / count
    if raw <= 1:
        step = 1
    else:
        power = 10 ** math.floor(math.log10(raw))
        step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    top = math.ceil(highest / step) * step
    return [round(step * i, 6) for i in range(int(round(top / step)) + 1)]


# --------------------------------------------------------------------------- building blocks


def _element(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {key.replace("_", "-"): clean(value) for key, value in attributes.items()})
    if text is not None:
        element.text = clean(text)
    return element


def _root(chart_id: str, title: str, description: str, width: float, height: float) -> tuple[ET.Element, str]:
    safe = _safe_id(chart_id)
    root = ET.Element("svg", {
        "xmlns": SVG_NS,
        "class": "app-trend-chart",
        "viewBox": f"0 0 {round(width)} {round(height)}",
        "width": str(round(width)),
        "height": str(round(height)),
        "role": "img",
        "aria-labelledby": f"{safe}-title {safe}-desc",
        "focusable": "false",
        "font-family": FONT,
        "font-size": str(FONT_SIZE),
    })
    _element(root, "title", title, id=f"{safe}-title")
    _element(root, "desc", description, id=f"{safe}-desc")
    return root, safe


def _patterns(root: ET.Element, safe: str, count: int) -> list[str]:
    """Define a fill for each of `count` series (and one for hidden parts); return the
    fill references in series order."""
    defs = _element(root, "defs")
    fills = []
    for index in range(count):
        colour, kind = PATTERNS[index % len(PATTERNS)]
        pattern_id = f"{safe}-pattern-{index}"
        pattern = _element(defs, "pattern", id=pattern_id, width="8", height="8", patternUnits="userSpaceOnUse")
        _element(pattern, "rect", width="8", height="8", fill=colour)
        mark = INK if kind.startswith(("back", "dark")) else "#ffffff"
        if kind in ("stripes", "back-stripes"):
            path = "M-2,10 L10,-2 M-2,2 L2,-2 M6,10 L10,6" if kind == "stripes" else "M-2,-2 L10,10 M6,-2 L10,2 M-2,6 L2,10"
            _element(pattern, "path", d=path, stroke=mark, stroke_width="2")
        elif kind in ("dots", "dark-dots"):
            _element(pattern, "circle", cx="4", cy="4", r="1.8", fill=mark)
        elif kind == "rows":
            _element(pattern, "path", d="M0,4 L8,4", stroke=mark, stroke_width="2")
        elif kind == "columns":
            _element(pattern, "path", d="M4,0 L4,8", stroke=mark, stroke_width="2")
        elif kind == "cross":
            _element(pattern, "path", d="M0,0 L8,8 M8,0 L0,8", stroke=mark, stroke_width="1.5")
        fills.append(f"url(#{pattern_id})")
    hidden = _element(defs, "pattern", id=f"{safe}-pattern-hidden", width="6", height="6", patternUnits="userSpaceOnUse")
    _element(hidden, "rect", width="6", height="6", fill="#ffffff")
    _element(hidden, "path", d="M-1,7 L7,-1", stroke=HIDDEN_FILL, stroke_width="1.5")
    return fills


def _marker(parent, kind: str, x: float, y: float, colour: str) -> None:
    size = 5
    common = {"fill": colour, "stroke": INK, "stroke_width": "1"}
    if kind == "circle":
        _element(parent, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=str(size), **common)
    elif kind == "square":
        _element(parent, "rect", x=f"{x - size:.1f}", y=f"{y - size:.1f}", width=str(2 * size), height=str(2 * size), **common)
    else:
        shapes = {
            "triangle": [(0, -6), (6, 5), (-6, 5)],
            "down": [(0, 6), (6, -5), (-6, -5)],
            "diamond": [(0, -6), (6, 0), (0, 6), (-6, 0)],
            "cross": [(-6, -2), (-2, -2), (-2, -6), (2, -6), (2, -2), (6, -2), (6, 2), (2, 2), (2, 6), (-2, 6), (-2, 2), (-6, 2)],
            "plus": [(-6, -1.5), (6, -1.5), (6, 1.5), (-6, 1.5)],
            "bar": [(-1.5, -6), (1.5, -6), (1.5, 6), (-1.5, 6)],
        }
        points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in shapes[kind])
        _element(parent, "polygon", points=points, **common)


def _legend(root, items: Sequence[tuple[str, str, str]], left: float, top: float, width: float) -> float:
    """Swatches and names, wrapped to `width`. `items` are (name, fill, kind) where kind is
    "box" (a patterned box) or "line:<index>" (a line sample with its marker and dash).
    Returns the height used."""
    x, y = left, top
    line_height = 24
    for name, fill, kind in items:
        needed = 34 + len(name) * CHAR_WIDTH + 20
        if x > left and x + needed > left + width:
            x, y = left, y + line_height
        if kind == "box":
            _element(root, "rect", x=f"{x:.1f}", y=f"{y:.1f}", width="22", height="16", fill=fill, stroke=INK)
        else:
            index = int(kind.split(":")[1])
            colour = PATTERNS[index % len(PATTERNS)][0]
            _element(root, "path", d=f"M{x:.1f},{y + 8:.1f} h26", stroke=colour, stroke_width="3",
                     stroke_dasharray=DASHES[index % len(DASHES)] or "none", fill="none")
            _marker(root, MARKERS[index % len(MARKERS)], x + 13, y + 8, colour)
        _element(root, "text", name, x=f"{x + 30:.1f}", y=f"{y + 13:.1f}", fill=INK)
        x += needed
    return y - top + line_height


def _y_axis(root, ticks: Sequence[float], left: float, right: float, top: float, bottom: float, unit: str) -> None:
    highest = ticks[-1] or 1
    for tick in ticks:
        y = bottom - (bottom - top) * tick / highest
        _element(root, "path", d=f"M{left},{y:.1f} H{right}", stroke=GRID if tick else INK, stroke_width="1")
        _element(root, "text", number_text(tick), x=f"{left - 6}", y=f"{y + 5:.1f}", text_anchor="end", fill=INK)
    _element(root, "text", unit, x="4", y="16", text_anchor="start", fill=INK)


def _to_string(root: ET.Element) -> str:
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


# --------------------------------------------------------------------------- the charts


def label_lines(text: str, width: int = 30) -> tuple[str, ...]:
    """A label on one line, or two split at a space near the middle when it is long; a
    second line still too long is cut with an ellipsis (the table has the full label)."""
    text = clean(text)
    if len(text) <= width or " " not in text:
        return (text,) if len(text) <= 2 * width else (text[: 2 * width - 1] + "…",)
    words = text.split(" ")
    best = min(range(1, len(words)), key=lambda n: abs(len(" ".join(words[:n])) - len(" ".join(words[n:]))))
    first, second = " ".join(words[:best]), " ".join(words[best:])
    if len(second) > width + 8:
        second = second[: width + 7] + "…"
    return first, second


def bar_chart(*, chart_id: str, title: str, description: str, labels: Sequence[str],
              values: Sequence[float | None], unit: str, hidden: str = NOT_SHOWN) -> str:
    """Horizontal bars, one per label, each with its value written at its end; a hidden
    figure is a short hatched box labelled `hidden`, whatever its size."""
    if len(labels) != len(values):
        raise ValueError("there must be one value per label")
    lines = [label_lines(label) for label in labels]
    label_width = max((len(line) for parts in lines for line in parts), default=10) * CHAR_WIDTH + 16
    plot = 360
    gap = 12
    heights = [22 if len(parts) == 1 else 36 for parts in lines]
    top = 36
    width = label_width + plot + 90 + max(0, len(hidden) - len(NOT_SHOWN)) * CHAR_WIDTH
    height = top + sum(heights) + gap * len(labels) + 30
    root, safe = _root(chart_id, title, description, width, height)
    fills = _patterns(root, safe, 1)
    shown = [v for v in values if v is not None]
    ticks = nice_ticks(max(shown, default=0))
    highest = ticks[-1] or 1
    left = label_width
    _element(root, "text", unit, x=f"{left}", y="20", fill=INK)
    for tick in ticks:
        x = left + plot * tick / highest
        _element(root, "path", d=f"M{x:.1f},{top - 6} V{height - 24}", stroke=GRID if tick else INK, stroke_width="1")
        _element(root, "text", number_text(tick), x=f"{x:.1f}", y=f"{height - 6}", text_anchor="middle", fill=INK)
    y = top
    for label, parts, value, bar in zip(labels, lines, values, heights, strict=True):
        middle = y + bar / 2
        text = _element(root, "text", None, x=f"{left - 8}", y=f"{middle + 5 - 8 * (len(parts) - 1):.1f}",
                        text_anchor="end", fill=INK)
        for number, part in enumerate(parts):
            _element(text, "tspan", part, x=f"{left - 8}", dy="0" if number == 0 else "16")
        group = _element(root, "g")
        _element(group, "title", f"{label}: {number_text(value, hidden)}")
        if value is None:
            _element(group, "rect", x=f"{left}", y=f"{y}", width="70", height=str(bar),
                     fill=f"url(#{safe}-pattern-hidden)", stroke=HIDDEN_FILL, stroke_dasharray="4 3")
            _element(group, "text", hidden, x=f"{left + 76}", y=f"{middle + 5:.1f}", fill=INK)
        else:
            length = plot * value / highest
            _element(group, "rect", x=f"{left}", y=f"{y}", width=f"{length:.1f}", height=str(bar), fill=fills[0],
                     stroke=INK)
            _element(group, "text", number_text(value), x=f"{left + length + 6:.1f}", y=f"{middle + 5:.1f}", fill=INK)
        y += bar + gap
    return _to_string(root)


def stacked_bar_chart(*, chart_id: str, title: str, description: str, labels: Sequence[str],
                      series: Sequence[Series], totals: Sequence[float | None], unit: str,
                      hidden: str = NOT_SHOWN) -> str:
    """A column per label, stacked by series, with its total above it. When a column's
    total is published, the part made of hidden figures is drawn hatched as "Not shown";
    it is the total less the figures shown, so it tells a reader nothing new."""
    if len(totals) != len(labels) or any(len(s.values) != len(labels) for s in series):
        raise ValueError("every series and the totals need one value per label")
    column, gap = 46, 26
    left, top, plot_height = 64, 48, 220
    plot_width = max(len(labels), 1) * (column + gap)
    width = max(left + plot_width + 20, 480)
    legend_items = [(s.name, "", "box") for s in series] + [(hidden, "", "box")]
    legend_rows = _legend_rows(legend_items, width - left)
    height = top + plot_height + 40 + legend_rows * 24 + 12
    root, safe = _root(chart_id, title, description, width, height)
    fills = _patterns(root, safe, len(series))
    hidden_fill = f"url(#{safe}-pattern-hidden)"
    heights = [t if t is not None else sum(s.values[i] or 0 for s in series) for i, t in enumerate(totals)]
    ticks = nice_ticks(max(heights, default=0))
    highest = ticks[-1] or 1
    bottom = top + plot_height
    _y_axis(root, ticks, left, left + plot_width, top, bottom, unit)
    for index, label in enumerate(labels):
        x = left + gap / 2 + index * (column + gap)
        y = bottom
        group = _element(root, "g")
        _element(group, "title", f"{label}: {number_text(totals[index], hidden)} in total")
        for number, one in enumerate(series):
            value = one.values[index]
            if not value:
                continue
            size = plot_height * value / highest
            y -= size
            segment = _element(group, "rect", x=f"{x:.1f}", y=f"{y:.1f}", width=str(column), height=f"{size:.1f}",
                               fill=fills[number], stroke=INK)
            _element(segment, "title", f"{one.name}, {label}: {number_text(value)}")
        total = totals[index]
        if total is not None:
            rest = total - sum(s.values[index] or 0 for s in series)
            if rest > 0 and any(s.values[index] is None for s in series):
                size = plot_height * rest / highest
                y -= size
                segment = _element(group, "rect", x=f"{x:.1f}", y=f"{y:.1f}", width=str(column), height=f"{size:.1f}",
                                   fill=hidden_fill, stroke=INK, stroke_dasharray="4 3")
                _element(segment, "title", f"{label}: {number_text(rest)} in figures not shown")
        _element(group, "text", number_text(total, hidden), x=f"{x + column / 2:.1f}", y=f"{y - 6:.1f}",
                 text_anchor="middle", fill=INK)
        _element(root, "text", label, x=f"{x + column / 2:.1f}", y=f"{bottom + 20}", text_anchor="middle", fill=INK)
    items = [(s.name, fills[i], "box") for i, s in enumerate(series)] + [(hidden, hidden_fill, "box")]
    _legend(root, items, left, bottom + 36, width - left)
    return _to_string(root)


def line_chart(*, chart_id: str, title: str, description: str, labels: Sequence[str],
               series: Sequence[Series], unit: str) -> str:
    """A line per series across the labels, each with its own marker and dash. A hidden
    figure leaves a gap in its line."""
    if any(len(s.values) != len(labels) for s in series):
        raise ValueError("every series needs one value per label")
    step = 72
    left, top, plot_height = 64, 36, 220
    plot_width = max(len(labels) - 1, 1) * step + 40
    width = max(left + plot_width + 20, 480)
    legend_items = [(s.name, "", "line:0") for s in series]
    height = top + plot_height + 40 + _legend_rows(legend_items, width - left) * 24 + 12
    root, _ = _root(chart_id, title, description, width, height)
    shown = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(max(shown, default=0))
    highest = ticks[-1] or 1
    bottom = top + plot_height
    _y_axis(root, ticks, left, left + plot_width, top, bottom, unit)

    def at(index: int, value: float) -> tuple[float, float]:
        return left + 20 + index * step, bottom - plot_height * value / highest

    for index, label in enumerate(labels):
        x, _ = at(index, 0)
        _element(root, "text", label, x=f"{x:.1f}", y=f"{bottom + 20}", text_anchor="middle", fill=INK)
    for number, one in enumerate(series):
        colour = PATTERNS[number % len(PATTERNS)][0]
        group = _element(root, "g")
        _element(group, "title", one.name)
        run: list[tuple[float, float]] = []
        runs = []
        for index, value in enumerate(one.values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(at(index, value))
        if run:
            runs.append(run)
        for points in runs:
            if len(points) > 1:
                _element(group, "polyline", points=" ".join(f"{x:.1f},{y:.1f}" for x, y in points), fill="none",
                         stroke=colour, stroke_width="3", stroke_dasharray=DASHES[number % len(DASHES)] or "none")
        for index, value in enumerate(one.values):
            if value is not None:
                x, y = at(index, value)
                point = _element(group, "g")
                _element(point, "title", f"{one.name}, {labels[index]}: {number_text(value)}")
                _marker(point, MARKERS[number % len(MARKERS)], x, y, colour)
    items = [(s.name, "", f"line:{i}") for i, s in enumerate(series)]
    _legend(root, items, left, bottom + 36, width - left)
    return _to_string(root)


def _legend_rows(items, width: float) -> int:
    rows, x = 1, 0.0
    for name, _, _ in items:
        needed = 34 + len(name) * CHAR_WIDTH + 20
        if x > 0 and x + needed > width:
            rows, x = rows + 1, 0.0
        x += needed
    return rows


__all__ = ["NOT_SHOWN", "Series", "bar_chart", "clean", "line_chart", "nice_ticks", "number_text", "stacked_bar_chart"]
