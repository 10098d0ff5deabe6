"""The lessons-learnt section of the themes and trends page: reviews approved, the
contributory factor categories and factors they name (with the share of reviews naming
each), the factors that recur across cases, and where improvement actions stand.

The counting is done by lotus.learning.selectors_themes, in the database, one query per
table whatever the number of reviews; this module turns its rows into blocks for
lotus.insights.themes to protect and draw, as lotus/insights/sections.py describes.
"""

from __future__ import annotations

from lotus.insights.loaders import content, edges_of, professions, words
from lotus.insights.periods import Period
from lotus.insights.sections import Section, register
from lotus.insights.themes import CountBlock, CountRecord
from lotus.learning import selectors_themes as learning

REVIEWED = "reviewed"


def _records(rows, quarters) -> list[CountRecord]:
    return [CountRecord(quarters[row.period], str(row.row), row.profession, row.person, row.count) for row in rows]


def load(scope, period: Period) -> list[CountBlock]:
    """Every block of the section for the scope's organisation and the whole years of
    `period`: seven queries."""
    quarters = period.quarters
    edges = edges_of(quarters)
    organisation = scope.organisation_id
    groups = professions()
    categories, factors = learning.factor_vocabulary(organisation)
    category_titles = dict(categories)
    factor_rows = tuple((str(pk), title) for pk, title, _ in factors)
    # A factor's title can repeat across categories (a local factor named like another):
    # the table names the category as well when it does.
    titles = [title for _, title in factor_rows]
    factor_rows = tuple(
        (key, f"{title} ({category_titles.get(category, category)})" if titles.count(title) > 1 else title)
        for (key, title), (_, _, category) in zip(factor_rows, factors, strict=True)
    )
    reviews = CountBlock(
        "reviews-approved", words("reviews-approved"), ((REVIEWED, content()["rows"]["reviewed"]),), groups,
        [r._replace(row=REVIEWED) for r in _records(learning.reviews_approved(organisation, edges), quarters)],
        additive=True, chart="stacked", by_group=("reviews-by-profession", words("reviews-by-profession")),
    )
    by_category = CountBlock(
        "factor-categories", words("factor-categories"), tuple(categories), groups,
        _records(learning.reviews_naming_categories(organisation, edges), quarters), additive=False, chart="line",
        share=("factor-categories-share", words("factor-categories-share"), reviews),
    )
    by_factor = CountBlock(
        "factors", words("factors"), factor_rows, groups,
        _records(learning.reviews_naming_factors(organisation, edges), quarters), additive=False, chart="bar",
        share=("factors-share", words("factors-share"), reviews), sort_rows=True,
    )
    recurring = CountBlock(
        "recurring-factors", words("recurring-factors"), factor_rows, groups,
        _records(learning.cases_naming_factors(organisation, edges), quarters), additive=False, chart="bar",
        sort_rows=True,
    )
    standing_labels = content()["rows"]["actions"]
    actions = CountBlock(
        "actions", words("actions"), tuple((key, standing_labels[key]) for key in learning.ACTION_STANDINGS), groups,
        _records(learning.actions_by_standing(organisation, edges, scope.today), quarters), additive=True,
        chart="stacked",
    )
    return [reviews, by_category, by_factor, recurring, actions]


def _section() -> Section:
    text = content()["sections"]["learning"]
    return register(Section(slug="learning", title=text["title"], summary=" ".join(text["summary"].split()),
                            order=40, load=load))


_section()
