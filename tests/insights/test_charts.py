"""The themes page's SVG charts (lotus/insights/charts.py): well-formed, labelled for
assistive technology, never colour alone, hidden figures never drawn, every label escaped.
Pure: no database."""

import re
import xml.etree.ElementTree as ET  # noqa: N817  # nosec B405  # parses markup the module just built

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lotus.insights import charts
from lotus.insights.charts import (
    NOT_SHOWN,
    Series,
    bar_chart,
    line_chart,
    nice_ticks,
    stacked_bar_chart,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
QUARTERS = ["2025 Q1", "2025 Q2", "2025 Q3", "2025 Q4"]
HOSTILE = '</title><script>alert("x")</script> & <b onload=alert(1)>'


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314  # nosec B314  # our own output, under test


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter() if element.text]


def draw(kind: str, label: str = "Complaint", chart_id: str = "concerns-by-source"):
    if kind == "bar":
        return bar_chart(chart_id=chart_id, title=f"Outcomes: {label}", description=f"About {label}",
                         labels=[label, "Other"], values=[12, None], unit="decisions")
    series = [Series(label, (10, None, 12, 8)), Series("Incident", (9, 8, None, 0))]
    if kind == "stacked":
        return stacked_bar_chart(chart_id=chart_id, title=f"By source: {label}", description=f"About {label}",
                                 labels=QUARTERS, series=series, totals=[19, 20, None, 8], unit="concerns")
    return line_chart(chart_id=chart_id, title=f"Days: {label}", description=f"About {label}", labels=QUARTERS,
                      series=series, unit="working days")


@pytest.mark.parametrize("kind", ["bar", "stacked", "line"])
def test_each_chart_is_an_image_named_by_its_title_and_description(kind):
    root = parse(draw(kind))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title = root.find("svg:title", NS)
    desc = root.find("svg:desc", NS)
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.get("id") == "concerns-by-source-title"
    assert "Complaint" in title.text and desc.text == "About Complaint"
    assert root.get("viewBox").startswith("0 0 ")


@pytest.mark.parametrize("kind", ["bar", "stacked", "line"])
def test_hostile_labels_are_escaped_and_never_become_markup(kind):
    markup = draw(kind, label=HOSTILE, chart_id='x" onload="alert(1)')
    root = parse(markup)
    tags = {element.tag.split("}")[1] for element in root.iter()}
    assert "script" not in tags and "b" not in tags
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert any(HOSTILE in text for text in texts(root))
    # The id is cut down to safe characters, so it cannot break out of its attribute.
    assert re.fullmatch(r"[a-z0-9-]+-title", root.find("svg:title", NS).get("id"))
    assert not any(name.startswith("on") for element in root.iter() for name in element.attrib)


@settings(max_examples=200, deadline=None)
@given(label=st.text(min_size=1, max_size=40), kind=st.sampled_from(["bar", "stacked", "line"]))
def test_any_label_whatsoever_gives_well_formed_svg_that_says_it(label, kind):
    root = parse(draw(kind, label=label))
    assert any(charts.clean(label) in text for text in texts(root))


def test_characters_xml_cannot_hold_are_taken_out():
    assert charts.clean("a\x00b\x0bc\ud800d") == "abcd"
    assert charts.clean(" one\r\ntwo\tthree  ") == "one two three"
    parse(draw("bar", label="bad\x01label"))


def test_colour_is_never_the_only_cue_each_series_has_its_own_pattern_and_outline():
    root = parse(draw("stacked"))
    patterns = root.findall(".//svg:pattern", NS)
    # One per series and one for the hidden part, each drawn differently.
    assert len(patterns) == 3
    drawings = {tuple((child.tag, tuple(sorted(child.attrib.items()))) for child in pattern) for pattern in patterns}
    assert len(drawings) == 3
    segments = [rect for rect in root.iter("{http://www.w3.org/2000/svg}rect") if rect.get("fill", "").startswith("url(")]
    assert segments and all(rect.get("stroke") for rect in segments)


def test_lines_differ_by_marker_and_dash_as_well_as_colour():
    root = parse(draw("line"))
    lines = root.findall(".//svg:polyline", NS)
    assert len({line.get("stroke-dasharray") for line in lines}) == len(lines) == 2
    groups = [g for g in root.findall("svg:g", NS) if g.find("svg:polyline", NS) is not None]
    first_marks = {child.tag for g in groups[0].findall("svg:g", NS) for child in g if not child.tag.endswith("title")}
    second_marks = {child.tag for g in groups[1].findall("svg:g", NS) for child in g if not child.tag.endswith("title")}
    assert first_marks != second_marks


def test_a_hidden_figure_is_never_drawn_as_a_number():
    root = parse(draw("bar"))
    assert NOT_SHOWN in texts(root)
    # The hidden bar is a fixed hatched box, whatever the figure: it has no length of its own.
    hidden = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if "hidden" in r.get("fill", "")]
    assert len(hidden) == 1 and hidden[0].get("width") == "70"


def test_a_hidden_line_point_leaves_a_gap():
    root = parse(line_chart(chart_id="days", title="t", description="d", labels=QUARTERS,
                            series=[Series("Triage", (10, None, 12, 14))], unit="days"))
    lines = root.findall(".//svg:polyline", NS)
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2  # Q3 to Q4 only
    markers = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title") if t.text.startswith("Triage, ")]
    assert markers == ["Triage, 2025 Q1: 10", "Triage, 2025 Q3: 12", "Triage, 2025 Q4: 14"]


def test_a_stacked_column_draws_the_hidden_remainder_only_from_a_published_total():
    root = parse(stacked_bar_chart(chart_id="c", title="t", description="d", labels=["Q1", "Q2"],
                                   series=[Series("A", (10, 10)), Series("B", (None, None))],
                                   totals=[25, None], unit="concerns"))
    remainders = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title") if "not shown" in t.text]
    assert remainders == ["Q1: 15 in figures not shown"]


def test_a_column_with_no_concerns_is_labelled_zero():
    root = parse(stacked_bar_chart(chart_id="c", title="t", description="d", labels=["Q1"],
                                   series=[Series("A", (0,))], totals=[0], unit="concerns"))
    assert "0" in texts(root)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="one value per label"):
        bar_chart(chart_id="c", title="t", description="d", labels=["a"], values=[1, 2], unit="u")
    with pytest.raises(ValueError, match="one value per label"):
        line_chart(chart_id="c", title="t", description="d", labels=["a"], series=[Series("s", (1, 2))], unit="u")


@given(highest=st.floats(min_value=0, max_value=10**7, allow_nan=False))
def test_the_axis_always_reaches_the_highest_value_in_round_steps(highest):
    ticks = nice_ticks(highest)
    assert ticks[0] == 0 and ticks[-1] >= highest
    steps = {round(b - a, 6) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    assert len(ticks) <= 12


def test_the_module_has_no_django_import():
    source = open(charts.__file__, encoding="utf-8").read()  # noqa: PTH123, SIM115
    assert "django" not in source.lower().replace("no django import", "")


def test_a_long_bar_label_wraps_onto_two_lines_and_its_bar_keeps_the_whole_label():
    label = "Refer to the decision panel for conditions, suspension or removal"
    root = parse(bar_chart(chart_id="c", title="t", description="d", labels=[label, "Close the case"],
                           values=[8, 9], unit="decisions"))
    spans = [t.text for t in root.iter("{http://www.w3.org/2000/svg}tspan")]
    assert spans[:2] == ["Refer to the decision panel for", "conditions, suspension or removal"]
    assert spans[2:] == ["Close the case"]
    assert f"{label}: 8" in [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    # The labels fit: the plot starts to the right of the longest line.
    first_bar = next(r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("fill", "").startswith("url("))
    assert float(first_bar.get("x")) >= len(spans[1]) * charts.CHAR_WIDTH
