"""The lessons-learnt section of the themes and trends page (lotus/insights/learning_sections.py,
lotus/learning/selectors_themes.py): what it counts, from which day, what it leaves out,
small numbers hidden, by quarter and by year, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotus.insights import selectors
from lotus.insights.periods import BY_YEAR, Period, Quarter
from lotus.learning.models import Factor
from tests.conftest import signed_in_client
from tests.insights.helpers import concern, reviewed
from tests.insights.test_themes_page import table

pytestmark = pytest.mark.django_db

HIDDEN = "Fewer than 8 people or protected"
TODAY = dt.date(2025, 12, 31)
YEAR = Period(Quarter(2025, 1), Quarter(2025, 4))


def blocks(user, period=YEAR, **kwargs) -> dict:
    found = selectors.themes(user, period=period, profession=kwargs.pop("profession", None), today=TODAY, **kwargs)
    (learning,) = [section for section in found if section.slug == "learning"]
    return {block.slug: {row.label: [cell.text for cell in row.cells] for row in block.rows}
            for block in learning.blocks}


def reviews(world, count, *, on=dt.date(2025, 5, 6), profession="medical", **kwargs):
    made = []
    for _ in range(count):
        case = concern(world.organisation, received_on=on - dt.timedelta(days=90), profession=profession)
        made.append(reviewed(case, approved_on=on, by=world.users["professional_advisor"],
                             approver=world.users["administrator"], **kwargs))
    return made


def title(code: str) -> str:
    return Factor.objects.get(code=code, organisation__isnull=True).title


def test_reviews_and_the_factors_they_name_are_counted_in_the_quarter_they_were_first_approved(world):
    reviews(world, 8, factors=["fair.induction", "fair.feedback", "team.handover"])
    figures = blocks(world.users["analyst"])
    assert figures["reviews-approved"]["Reviews approved"] == ["0", "8", "0", "0", "8"]
    assert figures["reviews-by-profession"]["Medical"] == ["0", "8", "0", "0", "8"]
    # Two factors of one category: the review counts once in the category.
    assert figures["factor-categories"]["Fair to refer? factors"] == ["0", "8", "0", "0", "8"]
    assert figures["factor-categories"]["Team factors"] == ["0", "8", "0", "0", "8"]
    assert figures["factor-categories"]["Patient factors"] == ["0", "0", "0", "0", "0"]
    assert figures["factor-categories-share"]["Fair to refer? factors"][1] == "100%"
    assert figures["factor-categories-share"]["Patient factors"][1] == "0%"
    assert figures["factor-categories-share"]["Patient factors"][0] == "None to share"
    assert figures["factors"][title("fair.induction")] == ["0", "8", "0", "0", "8"]
    assert figures["factors-share"][title("team.handover")][-1] == "100%"
    assert figures["recurring-factors"][title("fair.feedback")] == ["0", "8", "0", "0", "8"]


def test_too_few_reviews_are_hidden_in_every_table_of_the_section(world):
    reviews(world, 5, factors=["fair.induction"])
    figures = blocks(world.users["analyst"])
    assert figures["reviews-approved"]["Reviews approved"][1] == HIDDEN
    assert figures["factors"][title("fair.induction")][1] == HIDDEN
    assert figures["factors-share"][title("fair.induction")][1] == HIDDEN
    assert figures["recurring-factors"][title("fair.induction")][1] == HIDDEN


def test_a_share_is_hidden_when_its_factor_is_though_the_reviews_are_shown(world):
    reviews(world, 8, factors=["fair.induction"])
    reviews(world, 3, factors=["fair.induction", "fair.isolation"])
    figures = blocks(world.users["analyst"])
    assert figures["reviews-approved"]["Reviews approved"][1] == "11"
    assert figures["factors-share"][title("fair.induction")][1] == "100%"
    assert figures["factors"][title("fair.isolation")][1] == HIDDEN
    assert figures["factors-share"][title("fair.isolation")][1] == HIDDEN


def test_factors_taken_off_a_review_and_what_went_well_are_not_contributory_factors(world):
    reviews(world, 8, factors=["fair.induction"], removed=["team.handover"], went_well=["fair.leadership"])
    figures = blocks(world.users["analyst"])
    assert figures["factors"][title("team.handover")] == ["0"] * 5
    assert figures["factors"][title("fair.leadership")] == ["0"] * 5


def test_factors_are_listed_most_named_first_and_hidden_ones_in_their_own_order(world):
    reviews(world, 9, factors=["team.handover"])
    reviews(world, 8, factors=["fair.induction", "team.handover"])
    reviews(world, 2, factors=["patient.condition"])
    labels = list(blocks(world.users["analyst"])["factors"])
    assert labels[:2] == [title("team.handover"), title("fair.induction")]
    hidden_or_zero = labels[2:]
    standard = list(Factor.objects.filter(organisation__isnull=True)
                    .order_by("category__position", "position", "id").values_list("title", flat=True))
    assert hidden_or_zero == [t for t in standard if t in hidden_or_zero]


def test_a_case_reviewed_twice_is_one_case_in_the_quarter_of_its_first_review(world):
    first = reviews(world, 8, factors=["fair.induction"], on=dt.date(2025, 2, 3))
    for review in first:
        reviewed(review.case, approved_on=dt.date(2025, 8, 4), factors=["fair.induction"],
                 by=world.users["professional_advisor"], approver=world.users["administrator"])
    figures = blocks(world.users["analyst"])
    assert figures["factors"][title("fair.induction")] == ["8", "0", "8", "0", "16"]
    assert figures["recurring-factors"][title("fair.induction")] == ["8", "0", "0", "0", "8"]


def test_actions_are_counted_by_where_they_stand_today(world):
    past, future = dt.date(2025, 6, 1), dt.date(2026, 6, 1)
    for actions in ([("open", False, future)], [("in_progress", False, past)], [("done", False, past)],
                    [("done", True, past)], [("not_done", False, past)]):
        reviews(world, 8, actions=actions)
    figures = blocks(world.users["analyst"])["actions"]
    assert figures["Open, not yet due"][1] == "8"
    assert figures["Overdue"][1] == "8"
    assert figures["Done, waiting for assurance"][1] == "8"
    assert figures["Done and assured"][1] == "8"
    assert figures["Not done"][1] == "8"
    assert figures["Total"] == ["0", "40", "0", "0", "40"]


def test_figures_too_small_for_a_quarter_are_shown_for_the_year(world):
    for month in (2, 5, 8, 11):
        reviews(world, 2, on=dt.date(2025, month, 3), factors=["fair.induction"])
    analyst = world.users["analyst"]
    by_quarter = blocks(analyst)
    assert by_quarter["reviews-approved"]["Reviews approved"] == [HIDDEN] * 5
    by_year = blocks(analyst, by=BY_YEAR)
    assert by_year["reviews-approved"]["Reviews approved"] == ["8", "8"]
    assert by_year["factors"][title("fair.induction")] == ["8", "8"]
    assert by_year["factors-share"][title("fair.induction")] == ["100%", "100%"]


def test_choosing_a_profession_counts_only_its_reviews(world):
    reviews(world, 8, profession="dental", factors=["fair.isolation"])
    reviews(world, 9, profession="medical", factors=["fair.induction"])
    dental = blocks(world.users["analyst"], profession="dental")
    assert dental["reviews-approved"]["Reviews approved"][1] == "8"
    assert dental["factors"][title("fair.isolation")][1] == "8"
    assert dental["factors"][title("fair.induction")][1] == "0"
    assert "reviews-by-profession" not in dental


def test_another_organisations_reviews_and_local_factors_are_never_counted_or_listed(world):
    from lotus.learning.models import FactorCategory

    other = world.other_organisation
    for _ in range(8):
        case = concern(other, received_on=dt.date(2025, 2, 1))
        reviewed(case, approved_on=dt.date(2025, 5, 6), factors=["fair.induction"],
                 by=world.users["professional_advisor"], approver=world.users["administrator"])
    Factor.objects.create(category=FactorCategory.objects.get(code="team"), organisation=other, code="local.rota",
                          title="Weekend rota gaps elsewhere")
    figures = blocks(world.users["analyst"])
    assert figures["reviews-approved"]["Reviews approved"] == ["0"] * 5
    assert "Weekend rota gaps elsewhere" not in figures["factors"]


def test_an_organisations_own_local_factor_is_listed_and_counted(world):
    from lotus.learning.models import FactorCategory, Problem

    local = Factor.objects.create(category=FactorCategory.objects.get(code="team"), organisation=world.organisation,
                                  code="local.rota", title="Weekend rota gaps")
    for review in reviews(world, 8):
        review.coded_factors.create(kind="problem", problem=Problem.objects.get(review=review), factor=local,
                                    evidence="Fictional", scope="system", coded_by=review.started_by,
                                    coded_at=review.started_at)
    assert blocks(world.users["analyst"])["factors"]["Weekend rota gaps"][1] == "8"


def test_the_section_reads_in_a_fixed_number_of_queries(world, django_assert_num_queries):
    analyst = world.users["analyst"]
    reviews(world, 2, factors=["fair.induction"], actions=[("open", False, dt.date(2026, 1, 1))])
    selectors.themes(analyst, period=YEAR, profession=None, today=TODAY)
    with CaptureQueriesContext(connection) as small:
        selectors.themes(analyst, period=YEAR, profession=None, today=TODAY)
    for month in range(1, 13):
        reviews(world, 3, on=dt.date(2025, month, 10), factors=["fair.induction", "team.handover", "patient.condition"],
                actions=[("done", True, dt.date(2025, 12, 1)), ("open", False, dt.date(2025, 1, 1))])
    with django_assert_num_queries(len(small.captured_queries)):
        figures = selectors.themes(analyst, period=YEAR, profession=None, today=TODAY)
    (learning,) = [s for s in figures if s.slug == "learning"]
    assert learning.blocks[0].rows[0].cells[-1].text == "38"


def test_the_page_shows_the_section_with_its_downloads(world):
    reviews(world, 8, factors=["fair.induction"])
    html = signed_in_client(world.users["analyst"]).get(
        "/insights/themes/", {"start": "2025 Q1", "end": "2025 Q4"}).content.decode()
    assert "Learning from cases" in html
    assert table(html, "reviews-approved")["Reviews approved"] == ["0", "8", "0", "0", "8"]
    for slug in ("reviews-approved", "factor-categories", "factors-share", "recurring-factors", "actions"):
        assert f'href="/insights/themes/{slug}.csv?' in html
