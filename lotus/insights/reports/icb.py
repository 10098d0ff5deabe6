"""The integrated care board's view of its members' themes and trends, side by side
(docs/adr/0023). For each member, every registered section is loaded for that member alone
and protected with its own threshold, exactly as the member's own themes page would show
it; the view then sets the members' whole-period figures next to each other. Nothing is
added up across members, so no member's hidden figure can be worked out from an ICB total.
"""

from __future__ import annotations

from dataclasses import dataclass

from lotus.accounts.membership_selectors import current_members
from lotus.accounts.models import Organisation, User
from lotus.audit.services import Actions, audit_append
from lotus.insights.periods import Period
from lotus.insights.reports.figures import section_figures
from lotus.insights.reports.selectors import require
from lotus.insights.sections import registered
from lotus.insights.selectors import threshold_for

#: Shown where a member's table has no such row (a local factor of another member).
NOT_LISTED = "Not listed"


@dataclass(frozen=True)
class SideRow:
    label: str
    cells: tuple[str, ...]
    is_total: bool


@dataclass(frozen=True)
class SideBlock:
    slug: str
    title: str
    row_heading: str
    note: str
    rows: tuple[SideRow, ...]


@dataclass(frozen=True)
class SideSection:
    slug: str
    title: str
    summary: str
    blocks: tuple[SideBlock, ...]


def _member_tables(member: Organisation, period: Period, profession: str | None) -> dict[str, dict]:
    """{block slug: {"words": …, "rows": {label: (whole-period text, is_total)}}} for one member."""
    tables: dict[str, dict] = {}
    for section, figures in section_figures(member.pk, period, threshold=threshold_for(member.pk),
                                            profession=profession):
        for figure in figures:
            view = figure.view
            tables[view.slug] = {
                "section": section.slug, "words": view.words,
                "rows": {row.label: (row.cells[-1].text, row.is_total) for row in view.rows},
            }
    return tables


def members_side_by_side(user: User, *, period: Period, profession: str | None = None, request
                         ) -> tuple[list[Organisation], list[SideSection]]:
    """The ICB's current members, and every section with one column per member."""
    require(user, "insights.view_icb", request=request, what="members' themes")
    members = [m for m in current_members(user.organisation_id) if user.has_perm("insights.view_member_themes", m)]
    tables = [_member_tables(member, period, profession) for member in members]
    sections = []
    for section in registered():
        slugs: dict[str, None] = {}
        for table in tables:
            slugs.update(dict.fromkeys(slug for slug, kept in table.items() if kept["section"] == section.slug))
        blocks = []
        for slug in slugs:
            present = [table[slug] for table in tables if slug in table]
            labels: dict[str, bool] = {}
            for kept in present:
                for label, (_, is_total) in kept["rows"].items():
                    labels.setdefault(label, is_total)
            rows = tuple(
                SideRow(label, tuple(
                    table[slug]["rows"].get(label, (NOT_LISTED, is_total))[0] if slug in table else NOT_LISTED
                    for table in tables
                ), is_total)
                for label, is_total in labels.items()
            )
            words = present[0]["words"]
            blocks.append(SideBlock(slug, words.title, words.row_heading, words.note, rows))
        sections.append(SideSection(section.slug, section.title, section.summary, tuple(blocks)))
    audit_append(action=Actions.VIEW, actor=user, object_type="icb members' themes", object_id=user.organisation_id,
                 request=request, details={"start": period.first.label, "end": period.last.label,
                                           "profession": profession or "", "members": [m.pk for m in members]})
    return members, sections
