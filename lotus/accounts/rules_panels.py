"""Who may do what with panel meetings, letters and the practitioner's portal (docs/adr/0014,
0018), in the style of lotus/accounts/rules.py and built on its predicates; loaded by
lotus.accounts.apps.AccountsConfig.ready(). tests/accounts/test_rules.py has a row for each
permission.
"""

import rules
from django.core.exceptions import ObjectDoesNotExist

from lotus.accounts.roles import Role
from lotus.accounts.rules import (
    _roles,
    can_change_case,
    can_view_case,
    is_administrator,
    is_case_manager,
    is_practitioner,
    is_subject_of_case,
    may_see_evidence,
)

# --- Panels (lotus/panels; docs/adr/0014-panels-letters-portal.md) ------------------------
# Meetings belong to an organisation. Case managers and administrators of that
# organisation run them; panel members see the meetings they sit on. A member sees an
# item's papers only once they have declared for it (a conflict, or none), and never if
# they declared a conflict. The decision is recorded for the panel by whoever chaired
# the meeting (not another member), or by the case manager or administrator running it
# as the panel's secretary (docs/adr/0018).


@rules.predicate
def is_panel_member(user) -> bool:
    return Role.PANEL_MEMBER in _roles(user)


def _sits_on(user, meeting) -> bool:
    cache = meeting.__dict__.setdefault("_lotus_member_cache", {})
    if user.pk not in cache:
        cache[user.pk] = meeting.members.filter(user_id=user.pk).exists()
    return cache[user.pk]


@rules.predicate
def runs_meeting(user, meeting) -> bool:
    return (
        meeting is not None
        and bool(_roles(user) & {Role.ADMINISTRATOR, Role.CASE_MANAGER})
        and user.organisation_id == meeting.organisation_id
    )


@rules.predicate
def sits_on_meeting(user, meeting) -> bool:
    return (
        meeting is not None
        and Role.PANEL_MEMBER in _roles(user)
        and user.organisation_id == meeting.organisation_id
        and _sits_on(user, meeting)
    )


@rules.predicate
def chairs_meeting(user, meeting) -> bool:
    return sits_on_meeting(user, meeting) and meeting.chair_id == user.pk


def _declared_conflict(user, item) -> bool:
    """A conflict declared on this item, or on the case at any time (at triage, or on an
    earlier agenda item, which records one on the case)."""
    cache = item.__dict__.setdefault("_lotus_conflict_cache", {})
    if user.pk not in cache:
        cache[user.pk] = (
            item.declarations.filter(user_id=user.pk, has_conflict=True).exists()
            or item.case.conflicts_of_interest.filter(user_id=user.pk).exists()
        )
    return cache[user.pk]


def _declared(user, item) -> bool:
    cache = item.__dict__.setdefault("_lotus_declared_cache", {})
    if user.pk not in cache:
        cache[user.pk] = item.declarations.filter(user_id=user.pk).exists()
    return cache[user.pk]


@rules.predicate
def declared_on_item(user, item) -> bool:
    """The member has declared a conflict, or declared none, for this item."""
    return item is not None and _declared(user, item)


@rules.predicate
def runs_item_meeting(user, item) -> bool:
    """A case manager or administrator running the meeting, who may also see the case."""
    return item is not None and runs_meeting(user, item.meeting) and can_view_case(user, item.case)


@rules.predicate
def sits_on_item_meeting(user, item) -> bool:
    return item is not None and sits_on_meeting(user, item.meeting)


@rules.predicate
def conflicted_on_item(user, item) -> bool:
    return item is not None and _declared_conflict(user, item)


@rules.predicate
def chairs_item_meeting(user, item) -> bool:
    return item is not None and chairs_meeting(user, item.meeting)


rules.add_perm("panels.list_meetings", is_administrator | is_case_manager | is_panel_member)
rules.add_perm("panels.schedule_meeting", is_administrator | is_case_manager)
rules.add_perm("panels.view_meeting", runs_meeting | sits_on_meeting)
rules.add_perm("panels.manage_meeting", runs_meeting)
rules.add_perm("panels.view_item_papers",
               runs_item_meeting | (sits_on_item_meeting & declared_on_item & ~conflicted_on_item))
rules.add_perm("panels.open_item", runs_item_meeting | sits_on_item_meeting)
rules.add_perm("panels.record_attendance", runs_meeting | chairs_meeting)
rules.add_perm("panels.declare_conflict", sits_on_item_meeting)
rules.add_perm("panels.change_settings", is_administrator)
rules.add_perm("panels.record_decision", runs_item_meeting | (chairs_item_meeting & ~conflicted_on_item))


# --- Letters (lotus/letters) ---------------------------------------------------------------
# A letter belongs to a case: the people who may change the case write its letters.


@rules.predicate
def may_change_letter_case(user, letter) -> bool:
    return letter is not None and can_change_case(user, letter.case)


@rules.predicate
def may_view_letter_case(user, letter) -> bool:
    return letter is not None and can_view_case(user, letter.case) and may_see_evidence(user)


@rules.predicate
def receives_letter(user, letter) -> bool:
    return letter is not None and letter.status == "sent" and is_subject_of_case(user, letter.case)


def _second_person_approves(letter) -> bool:
    """The organisation's letter setting (on unless an administrator turned it off)."""
    try:
        return letter.case.organisation.letter_settings.second_person_approval
    except ObjectDoesNotExist:
        return True


@rules.predicate
def last_edited_letter_needing_second_person(user, letter) -> bool:
    """The last editor of a letter, where a second person must approve it."""
    return letter is not None and letter.edited_by_id == user.pk and _second_person_approves(letter)


rules.add_perm("letters.view_dashboard", is_administrator | is_case_manager)
rules.add_perm("letters.view_letter", may_view_letter_case)
rules.add_perm("letters.edit_letter", may_change_letter_case)
rules.add_perm("letters.approve_letter", may_change_letter_case & ~last_edited_letter_needing_second_person)
rules.add_perm("letters.send_letter", may_change_letter_case)
rules.add_perm("letters.draft_letter", can_change_case)
rules.add_perm("letters.manage_templates", is_administrator)
# Reading the library is for those who may draft a letter on some case (administrators and
# case managers); changing it is for administrators only.
rules.add_perm("letters.list_templates", is_administrator | is_case_manager)
rules.add_perm("letters.read_own_letter", receives_letter)


# --- The practitioner's portal (lotus/portal) ----------------------------------------------

rules.add_perm("portal.use_portal", is_practitioner)
rules.add_perm("portal.add_reflection", is_subject_of_case)
rules.add_perm("portal.answer_consent", is_subject_of_case)
# The case team's side: asking for consent by hand, and reading what the practitioner
# sent and answered (never the pastoral contact, who sees no evidence).
rules.add_perm("portal.request_consent", can_change_case)
rules.add_perm("portal.view_practitioner_voice", can_view_case & may_see_evidence)
