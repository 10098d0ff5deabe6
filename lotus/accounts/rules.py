"""The one access policy. Every page, endpoint and selector asks these rules.

Staff see cases of their own organisation only where they are on the case team;
administrators see every case in their organisation. Practitioners see only their own
case (through their portal). Analysts see no named case. A pastoral contact supports
the person and never sees investigation evidence. Anything outside a user's reach is
answered with 404 by the selectors, never 403, so its existence is not revealed.
"""

import rules
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q

from lotus.accounts.roles import (
    CASE_TEAM_ROLES,
    EVIDENCE_ROLES,
    NEVER_ON_A_CASE_TEAM,
    Role,
    may_hold_team_place,
)


def _roles(user) -> frozenset:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return user.roles


def _same_organisation(user, case) -> bool:
    return case is not None and user.organisation_id == case.organisation_id


def _on_team(user, case) -> bool:
    """Whether `user` is on `case`'s team, asked of the database once per case object."""
    cache = case.__dict__.setdefault("_lotus_team_cache", {})
    if user.pk not in cache:
        annotated = getattr(case, "viewer_on_team", None)
        if annotated is not None and getattr(case, "viewer_id", None) == user.pk:
            cache[user.pk] = bool(annotated)
        else:
            # A declared conflict of interest (lotus.triage) takes the person off the case.
            cache[user.pk] = (
                case.team.filter(user_id=user.pk)
                .exclude(user__conflicts_of_interest__case_id=case.pk)
                .exists()
            )
    return cache[user.pk]


@rules.predicate
def is_administrator(user) -> bool:
    return Role.ADMINISTRATOR in _roles(user)


@rules.predicate
def is_case_manager(user) -> bool:
    return Role.CASE_MANAGER in _roles(user)


@rules.predicate
def is_analyst(user) -> bool:
    return Role.ANALYST in _roles(user)


@rules.predicate
def is_practitioner(user) -> bool:
    return Role.PRACTITIONER in _roles(user)


@rules.predicate
def is_case_staff(user) -> bool:
    return bool(_roles(user) & {r for r in Role if r not in (Role.PRACTITIONER, Role.ANALYST)})


@rules.predicate
def administers_case(user, case) -> bool:
    return Role.ADMINISTRATOR in _roles(user) and _same_organisation(user, case)


@rules.predicate
def on_case_team(user, case) -> bool:
    """On the team, and holding a role that may be on it. A membership row for anyone
    else (a pastoral contact or a panel member put there before ADR 0016) grants nothing."""
    return may_hold_team_place(_roles(user)) and _same_organisation(user, case) and _on_team(user, case)


@rules.predicate
def manages_case(user, case) -> bool:
    return Role.CASE_MANAGER in _roles(user) and on_case_team(user, case)


@rules.predicate
def may_see_evidence(user) -> bool:
    return bool(_roles(user) & EVIDENCE_ROLES)


@rules.predicate
def is_subject_of_case(user, case) -> bool:
    if case is None or Role.PRACTITIONER not in _roles(user):
        return False
    return case.practitioner.user_id == user.pk


can_view_case = administers_case | on_case_team


# --- Who may join a case team (docs/adr/0016-who-joins-a-case-team.md) --------------------
# The case team investigates and manages the concern, so it sees the evidence. Only
# administrators, case managers and professional advisors join it. A pastoral contact never
# does, whatever other roles they hold: they support the person, apart from every
# investigation. A panel member reaches a case through the agenda of a meeting they sit on,
# never through the team. Every route that adds someone to a team (the page, the API, the
# demo and benchmark data, opening a case) asks `case_team_refusal` through the service.


def team_place_q(prefix: str = "") -> Q:
    """The same rule as `may_hold_team_place`, as a filter on users (`prefix` leads to the
    user, for example "user__"), for lists such as the people who may own a task."""
    holds = Q(**{f"{prefix}role_grants__role__in": list(CASE_TEAM_ROLES)})
    barred = Q(**{f"{prefix}role_grants__role__in": list(NEVER_ON_A_CASE_TEAM)})
    return holds & ~barred


def case_team_refusal(person, case) -> str | None:
    """Why `person` cannot be on `case`'s team, in words for the person adding them, or None."""
    if person is None or not person.is_active or not _same_organisation(person, case):
        return "Select a member of staff from your organisation"
    roles = _roles(person)
    name = person.full_name
    if roles & NEVER_ON_A_CASE_TEAM:
        return (
            f"{name} is a pastoral contact, so cannot join a case team. Pastoral contacts support "
            "the practitioner and have no part in any investigation"
        )
    plan = _support_plan(case)
    if plan is not None and plan.pastoral_contact_id == person.pk:
        return (
            f"{name} is the pastoral contact for this case, so cannot join its team. Choose someone "
            "who has no part in supporting the practitioner"
        )
    if not roles & CASE_TEAM_ROLES:
        if Role.PANEL_MEMBER in roles:
            return (
                f"{name} is a panel member, so cannot join a case team. Panel members see a case "
                "when it is on the agenda of a meeting they sit on"
            )
        return "Only administrators, case managers and professional advisors can join a case team"
    if case.practitioner.user_id is not None and case.practitioner.user_id == person.pk:
        return f"{name} is the practitioner this case is about, so cannot join its team"
    return None


@rules.predicate
def may_join_case_team(user, case) -> bool:
    return case is not None and case_team_refusal(user, case) is None

can_change_case = administers_case | manages_case

rules.add_perm("cases.join_case_team", may_join_case_team)
rules.add_perm("cases.view_case_list", is_case_staff)
rules.add_perm("cases.open_case", is_administrator | is_case_manager)
rules.add_perm("cases.view_case", can_view_case)
rules.add_perm("cases.change_case", can_change_case)
rules.add_perm("cases.view_documents", can_view_case & may_see_evidence)
rules.add_perm("cases.upload_document", can_view_case & may_see_evidence)
rules.add_perm("cases.withdraw_document", can_change_case)
rules.add_perm("cases.manage_tasks", can_change_case)
rules.add_perm("cases.view_evidence", can_view_case & may_see_evidence)


@rules.predicate
def owns_task(user, task) -> bool:
    return task is not None and task.owner_id == user.pk and can_view_case(user, task.case)


@rules.predicate
def manages_task_case(user, task) -> bool:
    return task is not None and can_change_case(user, task.case)


rules.add_perm("cases.complete_task", manages_task_case | owns_task)
# Tasks (docs/adr/0016): the whole list is for those who may see the evidence the tasks
# are about; anyone else who may open the case sees only the tasks they own.
rules.add_perm("cases.view_all_tasks", can_view_case & may_see_evidence)


@rules.predicate
def sees_all_tasks_of_case(user, task) -> bool:
    return task is not None and can_view_case(user, task.case) and may_see_evidence(user)


rules.add_perm("cases.view_task", owns_task | sees_all_tasks_of_case)
rules.add_perm("cases.view_audit_trail", administers_case)


# --- What each reader sees of a case's timeline (docs/adr/0016) --------------------------
# Being allowed to open a case is not enough to read every entry on its timeline: each kind
# of entry is shown only to those who hold the permission (on the case) for that side of
# the case. An entry's detail (the reasons for a change, a decision's rationale) is shown
# only to those who may see the evidence. A kind not listed here is shown to nobody.
TIMELINE_VISIBILITY = {
    "opened": "cases.view_case",
    "status": "cases.view_case",
    "team": "cases.view_case",
    "task": "cases.view_all_tasks",
    "summary": "cases.view_evidence",
    "document": "cases.view_documents",
    "note": "cases.view_evidence",  # older entries of no particular side: the careful choice
    "triage": "triage.view_review",  # so also hidden from a second reviewer who has not scored
    "panel": "cases.view_evidence",
    "letter": "cases.view_evidence",
    "support": "support.view_plan",
    "improvement": "improvement.view_plans",
    "voice": "portal.view_practitioner_voice",
    "learning": "learning.view_reviews",
}
TIMELINE_DETAIL_PERMISSION = "cases.view_evidence"


def timeline_kinds_for(user, case) -> list[str]:
    """The kinds of timeline entry on `case` that `user` may read."""
    return [kind for kind, perm in TIMELINE_VISIBILITY.items() if user.has_perm(perm, case)]
rules.add_perm("portal.view_own_case", is_subject_of_case)

rules.add_perm("practitioners.view_register", is_administrator | is_case_manager)
rules.add_perm("practitioners.register", is_administrator | is_case_manager)
rules.add_perm("practitioners.view_equality_record", is_administrator)
rules.add_perm("practitioners.change_equality_record", is_administrator)
rules.add_perm("insights.read_equality_aggregates", is_administrator | is_analyst)
# Workforce figures (issue 13): headcounts by group, the equity dashboard's denominators.
# Analysts read them; administrators enter them.
rules.add_perm("insights.view_workforce", is_administrator | is_analyst)
rules.add_perm("insights.change_workforce", is_administrator)


@rules.predicate
def administers_user(user, target) -> bool:
    """An administrator, for another account in their own organisation."""
    return (
        target is not None
        and Role.ADMINISTRATOR in _roles(user)
        and user.organisation_id == target.organisation_id
        and user.pk != target.pk
    )


rules.add_perm("accounts.disable_user", administers_user)
# Managing accounts: an administrator sees the accounts of their own organisation and may
# disable or re-enable them, or reset their two-step verification; never their own (that
# would let one person lock themselves out or skip their own second factor).
rules.add_perm("accounts.manage_users", is_administrator)
rules.add_perm("accounts.view_user", administers_user)
rules.add_perm("accounts.enable_user", administers_user)
rules.add_perm("accounts.reset_mfa", administers_user)


# --- Triage (lotus/triage; docs/adr/0012-risk-scoring-and-fair-triage.md) ---------------
# Triage permissions take the case as their object: a case has one first review and at
# most one independent second review.


@rules.predicate
def is_professional_advisor(user) -> bool:
    return Role.PROFESSIONAL_ADVISOR in _roles(user)


def _pending_second_review(user, case) -> bool:
    """Whether `user` owes this case an independent second review they have not submitted."""
    cache = case.__dict__.setdefault("_lotus_second_cache", {})
    if user.pk not in cache:
        cache[user.pk] = case.triage_reviews.filter(kind="second", reviewer_id=user.pk, status="draft").exists()
    return cache[user.pk]


@rules.predicate
def owes_second_review(user, case) -> bool:
    return case is not None and getattr(user, "pk", None) is not None and _pending_second_review(user, case)


@rules.predicate
def advises_case(user, case) -> bool:
    return Role.PROFESSIONAL_ADVISOR in _roles(user) and on_case_team(user, case)


can_view_triage = can_view_case & may_see_evidence & ~owes_second_review

rules.add_perm("triage.view_queue", is_administrator | is_case_manager | is_professional_advisor)
rules.add_perm("triage.view_review", can_view_triage)
rules.add_perm("triage.write_review", advises_case & ~owes_second_review)
rules.add_perm("triage.write_second_review", advises_case & owes_second_review)
rules.add_perm("triage.view_health_details", can_view_triage & (administers_case | manages_case | advises_case))
rules.add_perm("triage.share_review", can_view_triage & (can_change_case | advises_case))
rules.add_perm("triage.request_second_review", can_change_case)
# Sending a sampled case to the panel without its second review: a case manager on the case
# or an administrator, with a reason (issue 19).
rules.add_perm("triage.override_second_review", can_change_case)
rules.add_perm("triage.agree_score", can_view_triage & (can_change_case | advises_case))
rules.add_perm("triage.view_shared_review", is_subject_of_case)
rules.add_perm("triage.list_own_shared_reviews", is_practitioner)
rules.add_perm("triage.change_settings", is_administrator)
rules.add_perm("insights.view_triage_agreement", is_administrator)
rules.add_perm("insights.view_themes", is_administrator | is_analyst)
# The small-numbers threshold of the figures analysts see (docs/adr/0025).
rules.add_perm("insights.change_settings", is_administrator)
# --- Support for the person under investigation, and performance plans (issue 6;
# docs/adr/0013-support-and-pastoral-contact.md) ---


def _support_plan(case):
    """The case's support plan, or None. Read through the relation so the policy needs no
    import from the support app (which depends on this one)."""
    if case is None:
        return None
    try:
        return case.support_plan
    except ObjectDoesNotExist:  # no plan yet: the case has not reached triage
        return None


@rules.predicate
def is_pastoral_contact(user) -> bool:
    return Role.PASTORAL_CONTACT in _roles(user)


@rules.predicate
def is_pastoral_contact_for(user, case) -> bool:
    """The named pastoral contact on the case's support plan. They reach the support side
    of that one case and nothing else of it: never evidence, triage, letters or papers."""
    if Role.PASTORAL_CONTACT not in _roles(user) or not _same_organisation(user, case):
        return False
    plan = _support_plan(case)
    return plan is not None and plan.pastoral_contact_id == user.pk


@rules.predicate
def has_support_plan(user, case) -> bool:
    return _support_plan(case) is not None


can_view_support = has_support_plan & (can_view_case | is_pastoral_contact_for)
can_manage_support = has_support_plan & can_change_case
can_keep_in_touch = has_support_plan & (can_change_case | is_pastoral_contact_for)

rules.add_perm("support.view_plan", can_view_support)
rules.add_perm("support.manage_plan", can_manage_support)
rules.add_perm("support.log_contact", can_keep_in_touch)
rules.add_perm("support.record_preferences", can_keep_in_touch)
# Health details from occupational health reports: special-category data, for the
# people who manage the case only (never the pastoral contact or the wider team).
rules.add_perm("support.view_health_details", has_support_plan & can_change_case)
rules.add_perm("support.view_pastoral_cases", is_pastoral_contact)
rules.add_perm("support.view_needs_attention", is_administrator | is_case_manager)
rules.add_perm("support.view_signposting", is_case_staff | is_practitioner)
rules.add_perm("support.manage_signposting", is_administrator)
rules.add_perm("support.manage_settings", is_administrator)
rules.add_perm("support.view_wellbeing_aggregate", is_administrator)
rules.add_perm("support.record_wellbeing", can_manage_support)
# Performance plans are part of managing the concern: the case team who may see evidence,
# changed by its managers. Never the pastoral contact.
rules.add_perm("improvement.view_plans", can_view_case & may_see_evidence)
rules.add_perm("improvement.change_plans", can_change_case)


# --- The leadership toolkit (docs/adr/0011-toolkit-privacy.md) ---
# Every signed-in user with a role may use the toolkit for themselves, practitioners
# included. What they write there is theirs alone: no role, administrators included,
# may read another person's toolkit records.


@rules.predicate
def may_use_toolkit(user) -> bool:
    return bool(_roles(user))


@rules.predicate
def owns_toolkit_record(user, record) -> bool:
    return record is not None and bool(_roles(user)) and getattr(record, "owner_id", None) == user.pk


@rules.predicate
def facilitates_session(user, session) -> bool:
    return session is not None and bool(_roles(user)) and session.facilitator_id == user.pk


@rules.predicate
def may_join_session(user, session) -> bool:
    """Anyone with a role in the session's organisation who has its link."""
    return session is not None and bool(_roles(user)) and session.organisation_id == user.organisation_id


rules.add_perm("toolkit.use", may_use_toolkit)
rules.add_perm("toolkit.view_record", owns_toolkit_record)
rules.add_perm("toolkit.change_record", owns_toolkit_record)
rules.add_perm("toolkit.facilitate_session", facilitates_session)
rules.add_perm("toolkit.answer_session", may_join_session)
rules.add_perm("toolkit.change_promise", is_administrator)
rules.add_perm("toolkit.view_usage", is_administrator | is_analyst)


# --- Panels, letters and the practitioner's portal: in lotus/accounts/rules_panels.py, on
# these predicates, loaded by AccountsConfig.ready().


# --- Annual reports and the integrated care board's view (docs/adr/0023): in
# lotus/accounts/rules_reports.py, on these predicates, loaded by AccountsConfig.ready().
