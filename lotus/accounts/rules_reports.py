"""Who may do what with annual reports, the integrated care board's view and ICB
memberships (docs/adr/0023), in the style of lotus/accounts/rules.py and built on its
predicates; loaded by lotus.accounts.apps.AccountsConfig.ready(). tests/accounts/test_rules.py
has a row for each permission.

An organisation's administrators and analysts draft its annual reports; an administrator
who did not write the words last approves (the service refuses the last writer, with the
reason), and an administrator issues, sends and makes a new version. An ICB's analysts see
its members' themes (small numbers hidden) and the reports members sent it: never a case,
a review, an unshared summary or a name. Memberships are asked for by the ICB's
administrator and answered by the provider's (IcbMembership).
"""

import rules

from lotus.accounts.rules import _roles, is_administrator, is_analyst


def _organisation_kind(user) -> str:
    return user.organisation.kind if bool(_roles(user)) else ""


@rules.predicate
def in_icb(user) -> bool:
    return _organisation_kind(user) == "icb"


@rules.predicate
def of_own_organisation(user, record) -> bool:
    return record is not None and bool(_roles(user)) and record.organisation_id == user.organisation_id


@rules.predicate
def sent_to_users_icb(user, report) -> bool:
    return report is not None and report.sent_at is not None and report.sent_to_id == user.organisation_id


@rules.predicate
def member_of_users_icb(user, organisation) -> bool:
    """`organisation` is a member of the user's ICB now (invited and accepted, not ended)."""
    if organisation is None or not bool(_roles(user)):
        return False
    cache = organisation.__dict__.setdefault("_lotus_icb_cache", {})
    if user.organisation_id not in cache:
        cache[user.organisation_id] = organisation.icb_memberships.filter(
            icb_id=user.organisation_id, status="accepted"
        ).exists()
    return cache[user.organisation_id]


@rules.predicate
def invited_organisation(user, membership) -> bool:
    return membership is not None and membership.member_id == user.organisation_id


@rules.predicate
def inviting_icb(user, membership) -> bool:
    return membership is not None and membership.icb_id == user.organisation_id


writes_reports = is_administrator | is_analyst
rules.add_perm("insights.view_reports", writes_reports)
rules.add_perm("insights.start_report", writes_reports)
rules.add_perm("insights.view_report", writes_reports & of_own_organisation)
rules.add_perm("insights.edit_report", writes_reports & of_own_organisation)
# Whoever wrote the words last may open the approval page; the service refuses them, with
# the reason, so they learn why rather than meet a missing page (as actions' assurance).
rules.add_perm("insights.approve_report", is_administrator & of_own_organisation)
rules.add_perm("insights.issue_report", is_administrator & of_own_organisation)
rules.add_perm("insights.send_report", is_administrator & of_own_organisation)
rules.add_perm("insights.reply_to_question", writes_reports & of_own_organisation)
rules.add_perm("insights.view_icb", is_analyst & in_icb)
rules.add_perm("insights.read_sent_report", is_analyst & in_icb & sent_to_users_icb)
rules.add_perm("insights.view_member_themes", is_analyst & in_icb & member_of_users_icb)
rules.add_perm("accounts.manage_icb_members", is_administrator & in_icb)
rules.add_perm("accounts.choose_icb", is_administrator & ~in_icb)
rules.add_perm("accounts.answer_icb_invitation", is_administrator & ~in_icb & invited_organisation)
rules.add_perm("accounts.end_icb_membership",
               is_administrator & ((in_icb & inviting_icb) | (~in_icb & invited_organisation)))
