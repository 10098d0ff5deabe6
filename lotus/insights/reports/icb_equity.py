"""The integrated care board's view of its members' equity figures, side by side (issue 13).

For each current member that lets the ICB see its figures, the equity dashboard's figures
for the year are built for that member alone, with its own small-numbers threshold
(lotus.insights.equity.selectors.equity_figures), exactly as the member's own dashboard
shows them; the view then puts each member's comparison at every stage next to the
others'. Nothing is added up across members, so no member's hidden figure can be worked
out from an ICB total, and no practitioner is ever named: the figures are totals only.
"""

from __future__ import annotations

from dataclasses import dataclass

from lotus.accounts.membership_selectors import current_members
from lotus.accounts.models import Organisation, User
from lotus.audit.services import Actions, audit_append
from lotus.insights.equity.groups import characteristic
from lotus.insights.equity.presenters import characteristic_page
from lotus.insights.equity.selectors import equity_figures
from lotus.insights.reports.selectors import require

#: The summary table's columns the side-by-side view shows, by heading.
RATIO, INTERVAL, VERDICT, RECORDED = "Relative likelihood", "95% interval", "Against 0.80 to 1.25", "Recorded"


@dataclass(frozen=True)
class SideStage:
    stage: str
    #: One per member, in the members' order: (relative likelihood, interval, against the range, recorded).
    cells: tuple[tuple[str, str, str, str], ...]


@dataclass(frozen=True)
class SideEquity:
    label: str
    compared: str
    reference_note: str
    stages: tuple[SideStage, ...]


def _cells(header: tuple[str, ...], cells: tuple[str, ...]) -> tuple[str, str, str, str]:
    at = {heading: index for index, heading in enumerate(header)}
    if len(cells) < len(header) or not cells[at[RATIO]] and cells[0]:  # a stage not recorded yet
        return (cells[0], "", "", "")
    return tuple(cells[at[column]] for column in (RATIO, INTERVAL, VERDICT, RECORDED))


def members_equity(user: User, *, year: int, code: str, request
                   ) -> tuple[list[Organisation], SideEquity]:
    """The ICB's current members, and each one's comparison by `code` at every stage of `year`."""
    require(user, "insights.view_icb", request=request, what="members' equity figures")
    members = [m for m in current_members(user.organisation_id) if user.has_perm("insights.view_member_themes", m)]
    chosen = characteristic(code)
    summaries = []
    for member in members:
        figures = equity_figures(member.pk, year)
        summaries.append(characteristic_page(figures.dashboard, figures.fairness, code).summary)
    stages: dict[str, list] = {}
    for summary in summaries:
        for stage, _ in summary.rows:
            stages.setdefault(stage, [])
    for summary in summaries:
        found = dict(summary.rows)
        for stage, column in stages.items():
            column.append(_cells(summary.header, found[stage]) if stage in found else ("Not listed", "", "", ""))
    headline = chosen.compared[0]
    side = SideEquity(
        label=chosen.label,
        compared=f"{chosen.label_of(headline)} compared with {chosen.label_of(chosen.reference).lower()}",
        reference_note=chosen.reference_note,
        stages=tuple(SideStage(stage, tuple(cells)) for stage, cells in stages.items()),
    )
    audit_append(action=Actions.VIEW, actor=user, object_type="icb members' equity", object_id=user.organisation_id,
                 request=request, details={"year": year, "characteristic": code, "members": [m.pk for m in members]})
    return members, side
