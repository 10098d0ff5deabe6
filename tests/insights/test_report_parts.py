"""The annual report's parts (lotus/insights/reports/parts.py, lessons.py, figures.py,
snapshot.py): every themes section works for an organisation named by a scope alone, the
kept figures read back as they were shown, and building a report takes the same number of
queries however many cases there are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotus.insights.periods import Period, Quarter
from lotus.insights.reports import parts as registry
from lotus.insights.reports import snapshot as snapshots
from lotus.insights.reports.figures import OrganisationScope as Scope
from lotus.insights.reports.figures import block_data, block_from_data, table_rows
from lotus.insights.sections import registered
from lotus.insights.themes import Options, block_views
from tests.factories import UserFactory
from tests.insights.helpers import busy_quarters
from tests.insights.report_fixtures import draft_report, last_year, learning_last_year

pytestmark = pytest.mark.django_db


def test_every_registered_section_loads_for_an_organisation_named_by_a_scope(world):
    """The report and the ICB's view call each loader with a scope, which is nobody's
    account (lotus/insights/reports/figures.py): a loader that asks more of its argument
    than organisation_id fails here."""
    chair = UserFactory(organisation=world.organisation)
    busy_quarters(world.organisation, chair, first=dt.date(last_year(), 1, 1), per_quarter=10)
    loaded = {}
    for section in registered():
        blocks = section.load(Scope(world.organisation.pk), Period.year(last_year(), Quarter.of(dt.date.today())))
        loaded[section.slug] = blocks
        assert blocks, section.slug
    assert {"concerns", "stages", "panels"} <= set(loaded)
    source = next(b for b in loaded["concerns"] if b.slug == "concerns-by-source")
    assert len(source.records) == 40


def test_the_lessons_learnt_report_has_its_three_parts_in_order():
    assert [part.slug for part in registry.parts_for("lessons_learnt")] == ["themes", "learning", "actions"]
    assert registry.parts_for("no-such-kind") == []


def test_a_part_registered_twice_under_one_slug_is_refused():
    themes = registry.part("themes")
    assert registry.register(themes) is themes  # the same part again is harmless
    with pytest.raises(ValueError, match="already registered"):
        registry.register(registry.Part(slug="themes", title="Other", order=1, kinds=frozenset({"x"}),
                                        build=dict, lines=list, template="x.jinja"))


def test_a_kept_table_reads_back_as_it_was_shown(world):
    chair = UserFactory(organisation=world.organisation)
    busy_quarters(world.organisation, chair, first=dt.date(last_year(), 1, 1), per_quarter=12)
    period = Period(Quarter(last_year(), 1), Quarter(last_year(), 4))
    section = next(s for s in registered() if s.slug == "concerns")
    block = next(b for b in section.load(Scope(world.organisation.pk), Period.year(last_year(), Quarter.of(dt.date.today())))
                 if b.slug == "concerns-by-source")
    options = Options(period=period, current=Quarter.of(dt.date.today()), threshold=8)
    (view, *_) = block_views(block, options)
    back = block_from_data(block_data(view, block.chart), period, threshold=8)
    assert back.rows == view.rows and back.columns == view.columns and back.words == view.words
    assert back.hidden_count == view.hidden_count
    assert back.chart_svg == view.chart_svg  # drawn again from the kept figures, identically
    rows = table_rows(block_data(view, block.chart))
    assert rows[0] == ("Source", *view.columns)
    assert any("Fewer than 8 people or protected" in row for row in rows[1:]) or view.hidden_count == 0


def test_a_snapshot_is_laid_out_for_paper_from_itself(world):
    learning_last_year(world)
    report = draft_report(world)
    kept = snapshots.build(report, as_at=timezone.now())
    lines = snapshots.lines(kept, issued_at=None)
    headings = [line.text for line in lines if line.style == "heading"]
    assert headings == ["Introduction", "Themes and trends", "What we learnt", "Improvement actions and assurance",
                        "Sign-off"]
    assert lines[0].text == f"Annual lessons-learnt report {last_year()}"
    assert any(line.style == "table" for line in lines)
    assert snapshots.digest(kept) == snapshots.digest(dict(reversed(list(kept.items()))))


def _queries_to_build(report) -> int:
    with CaptureQueriesContext(connection) as queries:
        snapshots.build(report, as_at=timezone.now())
    return len(queries)


def test_building_a_report_takes_the_same_queries_for_more_cases(world):
    chair = UserFactory(organisation=world.organisation)
    learning_last_year(world)
    report = draft_report(world)
    _queries_to_build(report)  # the report's organisation is read once and kept on it
    busy_quarters(world.organisation, chair, first=dt.date(last_year(), 1, 1), per_quarter=5, seed=1)
    few = _queries_to_build(report)
    busy_quarters(world.organisation, chair, first=dt.date(last_year(), 1, 1), per_quarter=8, seed=2)
    learning_last_year(world, title="A second summary")
    many = _queries_to_build(report)
    assert few == many <= 15  # one per themes loader (the lessons-learnt section has seven), the threshold, the parts
