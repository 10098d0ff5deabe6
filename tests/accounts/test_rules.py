"""Unit tests of the access policy in lotus/accounts/rules.py.

Who holds what is written out by hand per fixture user (tests/conftest.py), so a change
to the policy shows up here as a named user gaining or losing a permission.
"""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser

from lotus.accounts import rules as policy
from lotus.accounts.models import RoleGrant, User
from lotus.accounts.roles import Role
from lotus.cases.models import Case, CaseTeamMember
from tests.factories import CaseFactory, PractitionerFactory, TaskFactory, UserFactory
from tests.panel_fixtures import shared_triage

pytestmark = pytest.mark.django_db

USERS = (
    "administrator",
    "case_manager",
    "professional_advisor",
    "panel_member",
    "pastoral_contact",
    "practitioner",
    "analyst",
    "off_team_case_manager",
    "other_org_administrator",
)
STAFF = {
    "administrator",
    "case_manager",
    "professional_advisor",
    "panel_member",
    "pastoral_contact",
    "off_team_case_manager",
    "other_org_administrator",
}

# Predicates of the user alone: which fixture users they hold for.
USER_PREDICATES = {
    "is_administrator": {"administrator", "other_org_administrator"},
    "is_case_manager": {"case_manager", "off_team_case_manager"},
    "is_analyst": {"analyst"},
    "is_practitioner": {"practitioner"},
    "is_case_staff": STAFF,
    "may_see_evidence": STAFF - {"pastoral_contact"},
    "is_pastoral_contact": {"pastoral_contact"},
}

# Predicates of (user, world.case).
CASE_PREDICATES = {
    "administers_case": {"administrator"},
    # The world puts the panel member and pastoral contact on the team by raw rows, which
    # count for nothing (docs/adr/0016).
    "on_case_team": {"case_manager", "professional_advisor"},
    "manages_case": {"case_manager"},
    "is_subject_of_case": {"practitioner"},
    # world.case has not reached triage, so it has no support plan yet (see below).
    "has_support_plan": set(),
    "is_pastoral_contact_for": set(),
}

# Permissions without an object.
GLOBAL_PERMS = {
    "cases.view_case_list": STAFF,
    "cases.open_case": {"administrator", "case_manager", "off_team_case_manager", "other_org_administrator"},
    "practitioners.view_register": {
        "administrator",
        "case_manager",
        "off_team_case_manager",
        "other_org_administrator",
    },
    "practitioners.register": {"administrator", "case_manager", "off_team_case_manager", "other_org_administrator"},
    "practitioners.view_equality_record": {"administrator", "other_org_administrator"},
    "practitioners.change_equality_record": {"administrator", "other_org_administrator"},
    "insights.read_equality_aggregates": {"administrator", "other_org_administrator", "analyst"},
    # Workforce figures (issue 13): analysts read them, administrators enter them.
    "insights.view_workforce": {"administrator", "other_org_administrator", "analyst"},
    "insights.change_workforce": {"administrator", "other_org_administrator"},
    "accounts.manage_users": {"administrator", "other_org_administrator"},
    "triage.view_queue": {
        "administrator",
        "case_manager",
        "professional_advisor",
        "off_team_case_manager",
        "other_org_administrator",
    },
    "triage.change_settings": {"administrator", "other_org_administrator"},
    "triage.list_own_shared_reviews": {"practitioner"},
    "insights.view_triage_agreement": {"administrator", "other_org_administrator"},
    "insights.view_themes": {"administrator", "other_org_administrator", "analyst"},
    "insights.change_settings": {"administrator", "other_org_administrator"},
    "support.view_pastoral_cases": {"pastoral_contact"},
    "support.view_needs_attention": {
        "administrator",
        "case_manager",
        "off_team_case_manager",
        "other_org_administrator",
    },
    "support.view_signposting": STAFF | {"practitioner"},
    "support.manage_signposting": {"administrator", "other_org_administrator"},
    "support.manage_settings": {"administrator", "other_org_administrator"},
    "support.view_wellbeing_aggregate": {"administrator", "other_org_administrator"},
    # The leadership toolkit: everyone with a role, practitioners included (ADR 0011).
    "toolkit.use": set(USERS),
    "toolkit.change_promise": {"administrator", "other_org_administrator"},
    "toolkit.view_usage": {"administrator", "other_org_administrator", "analyst"},
    # Panels, letters and the portal.
    "panels.list_meetings": {"administrator", "case_manager", "panel_member", "off_team_case_manager",
                             "other_org_administrator"},
    "panels.schedule_meeting": {"administrator", "case_manager", "off_team_case_manager", "other_org_administrator"},
    "panels.change_settings": {"administrator", "other_org_administrator"},
    "letters.view_dashboard": {"administrator", "case_manager", "off_team_case_manager", "other_org_administrator"},
    "letters.manage_templates": {"administrator", "other_org_administrator"},
    "letters.list_templates": {"administrator", "case_manager", "off_team_case_manager", "other_org_administrator"},
    "portal.use_portal": {"practitioner"},
    # Lessons-learnt reviews (issue 12): the vocabulary is read by all staff, changed by
    # administrators; the reviews-due page is for those who manage cases.
    "learning.view_factors": STAFF,
    "learning.manage_factors": {"administrator", "other_org_administrator"},
    "learning.change_settings": {"administrator", "other_org_administrator"},
    "learning.view_due_reviews": {"administrator", "case_manager", "off_team_case_manager",
                                  "other_org_administrator"},
}

# Permissions on world.case.
CASE_PERMS = {
    "cases.view_case": {"administrator", "case_manager", "professional_advisor"},
    "cases.change_case": {"administrator", "case_manager"},
    "cases.view_documents": {"administrator", "case_manager", "professional_advisor"},
    "cases.upload_document": {"administrator", "case_manager", "professional_advisor"},
    "cases.withdraw_document": {"administrator", "case_manager"},
    "cases.manage_tasks": {"administrator", "case_manager"},
    "cases.view_evidence": {"administrator", "case_manager", "professional_advisor"},
    "cases.view_audit_trail": {"administrator"},
    "cases.view_all_tasks": {"administrator", "case_manager", "professional_advisor"},
    # Who may be given a place on world.case's team (docs/adr/0016): staff of its organisation
    # who investigate or manage; never the panel member, pastoral contact or practitioner.
    "cases.join_case_team": {"administrator", "case_manager", "professional_advisor", "off_team_case_manager"},
    "portal.view_own_case": {"practitioner"},
    # Triage (no second review is owed on world.case, so nobody is held back by one).
    "triage.view_review": {"administrator", "case_manager", "professional_advisor"},
    "triage.write_review": {"professional_advisor"},
    "triage.write_second_review": set(),
    "triage.view_health_details": {"administrator", "case_manager", "professional_advisor"},
    "triage.share_review": {"administrator", "case_manager", "professional_advisor"},
    "triage.request_second_review": {"administrator", "case_manager"},
    "triage.override_second_review": {"administrator", "case_manager"},
    "triage.agree_score": {"administrator", "case_manager", "professional_advisor"},
    "triage.view_shared_review": {"practitioner"},
    "improvement.view_plans": {"administrator", "case_manager", "professional_advisor"},
    "improvement.change_plans": {"administrator", "case_manager"},
    "letters.draft_letter": {"administrator", "case_manager"},
    "portal.add_reflection": {"practitioner"},
    "portal.answer_consent": {"practitioner"},
    "portal.request_consent": {"administrator", "case_manager"},
    "portal.view_practitioner_voice": {"administrator", "case_manager", "professional_advisor"},
    "learning.view_reviews": {"administrator", "case_manager", "professional_advisor"},
    "learning.start_review": {"administrator", "case_manager"},
}

# Permissions on a lessons-learnt review of world.case (tests/learning/helpers.amended_review):
# led by the professional advisor, who declared no conflict; approved by the administrator
# and amended, so a draft again; the case manager joined as co-reviewer and has not declared.
REVIEW_PERMS = {
    "learning.view_review": {"administrator", "case_manager", "professional_advisor"},
    "learning.manage_review_team": {"administrator", "case_manager"},
    "learning.declare_conflict": {"case_manager"},
    "learning.edit_review": {"professional_advisor"},
    "learning.submit_review": {"professional_advisor"},
    # The second person: neither the one who submitted it nor anyone on its team.
    "learning.approve_review": {"administrator"},
    "learning.amend_review": {"administrator", "case_manager", "professional_advisor"},
    "learning.invite_perspective": {"administrator", "case_manager"},
    "learning.give_perspective": {"practitioner"},
}

# Improvement actions, summaries and the library (issue 12), in the access matrix's state
# (tests/learning/action_fixtures.matrix_objects on the review above): the action is owned
# by the panel member, who marked it done; the case manager has still to declare, so takes
# no part yet. Review-level ones are checked on the review, action-level on the action.
ACTION_REVIEW_PERMS = {
    "learning.add_action": {"administrator", "professional_advisor"},
    "learning.write_summary": {"administrator", "professional_advisor"},
    "learning.approve_summary": {"administrator"},
    "learning.withdraw_summary": {"administrator"},
}
ACTION_PERMS = {
    # Those who may read the review, and the action's owner (who reaches only the action).
    "learning.view_action": {"administrator", "case_manager", "professional_advisor", "panel_member"},
    "learning.edit_action": {"administrator", "professional_advisor"},
    # The owner moves it on; so may a manager of the case who has declared.
    "learning.update_action": {"administrator", "panel_member"},
    # A second person: never the owner or whoever marked it done.
    "learning.assure_action": {"administrator"},
}
ACTION_GLOBAL_PERMS = {
    "learning.view_actions_page": {"administrator", "case_manager", "off_team_case_manager",
                                   "other_org_administrator", "panel_member", "professional_advisor"},
    "learning.see_all_actions": {"administrator", "case_manager", "off_team_case_manager", "other_org_administrator"},
    # Every staff user, analysts included; never a practitioner.
    "learning.view_library": {"administrator", "analyst", "case_manager", "off_team_case_manager",
                              "other_org_administrator", "panel_member", "pastoral_contact", "professional_advisor"},
}

# Support permissions on world.case once its support plan is open (issue 6). Before the
# plan opens nobody holds them. The named pastoral contact (not one of the fixture users
# above) is checked separately.
SUPPORT_CASE_PERMS = {
    "support.view_plan": {"administrator", "case_manager", "professional_advisor"},
    "support.manage_plan": {"administrator", "case_manager"},
    "support.log_contact": {"administrator", "case_manager"},
    "support.record_preferences": {"administrator", "case_manager"},
    "support.view_health_details": {"administrator", "case_manager"},
    "support.record_wellbeing": {"administrator", "case_manager"},
}
NAMED_PASTORAL_CONTACT_PERMS = {
    "support.view_plan": True,
    "support.log_contact": True,
    "support.record_preferences": True,
    "support.manage_plan": False,
    "support.view_health_details": False,
    "support.record_wellbeing": False,
    "cases.view_case": False,
    "cases.view_documents": False,
    "cases.view_evidence": False,
    "improvement.view_plans": False,
}

# Permissions on a panel meeting of organisation A, chaired by the panel member (its only
# member), and on the agenda item for world.case.
MEETING_PERMS = {
    "panels.view_meeting": {"administrator", "case_manager", "panel_member", "off_team_case_manager"},
    "panels.manage_meeting": {"administrator", "case_manager", "off_team_case_manager"},
    # Those who run the meeting, and its chair (issue 19).
    "panels.record_attendance": {"administrator", "case_manager", "off_team_case_manager", "panel_member"},
}
ITEM_PERMS = {
    # A case manager running the meeting sees papers only of cases they may see.
    # The panel member has not declared on the item yet, so its papers are shut to them
    # (issue 19); they may open the item, which then asks them to declare.
    "panels.view_item_papers": {"administrator", "case_manager"},
    "panels.open_item": {"administrator", "case_manager", "panel_member"},
    "panels.declare_conflict": {"panel_member"},
    "panels.record_decision": {"administrator", "case_manager", "panel_member"},
}
# Permissions on a letter of world.case, while a draft and once sent.
LETTER_PERMS_DRAFT = {
    "letters.view_letter": {"administrator", "case_manager", "professional_advisor"},
    "letters.edit_letter": {"administrator", "case_manager"},
    # The case manager drafted it, so a second person must approve (issue 19).
    "letters.approve_letter": {"administrator"},
    "letters.send_letter": {"administrator", "case_manager"},
    "letters.read_own_letter": set(),
}
LETTER_PERMS_SENT = {**LETTER_PERMS_DRAFT, "letters.read_own_letter": {"practitioner"}}

# Permissions on a task of world.case, by who owns the task: the case's managers always,
# and the owner too if they can see the case.
TASK_PERMS = {"cases.complete_task", "cases.view_task"}
COMPLETE_TASK_BY_OWNER = {
    "case_manager": {"administrator", "case_manager"},
    "professional_advisor": {"administrator", "case_manager", "professional_advisor"},
    # Owners who cannot see the case (a team row counts only for roles that may hold a
    # place, docs/adr/0016) cannot complete its tasks.
    "panel_member": {"administrator", "case_manager"},
    "pastoral_contact": {"administrator", "case_manager"},
    "off_team_case_manager": {"administrator", "case_manager"},
    "practitioner": {"administrator", "case_manager"},
    "analyst": {"administrator", "case_manager"},
}

# Permissions on another user's account (here the case manager's): only an administrator
# of the same organisation, and never on their own account.
USER_PERMS = {
    "accounts.disable_user": {"administrator"},
    "accounts.enable_user": {"administrator"},
    "accounts.reset_mfa": {"administrator"},
    "accounts.view_user": {"administrator"},
}

# Permissions on the case manager's own toolkit records and team session: theirs alone,
# administrators included; a session's link works for anyone in its organisation.
TOOLKIT_PERMS = {
    "toolkit.view_record": {"case_manager"},
    "toolkit.change_record": {"case_manager"},
    "toolkit.facilitate_session": {"case_manager"},
    "toolkit.answer_session": set(USERS) - {"other_org_administrator"},
}

# Annual reports and the integrated care board's view (docs/adr/0023). Nobody in the world
# sits in an ICB, so ICB_USER_PERMS checks the ICB's own users (tests/insights/report_fixtures):
# the ICB's analyst, its administrator, and an analyst of another ICB.
REPORT_GLOBAL_PERMS = {
    "insights.view_reports": {"administrator", "analyst", "other_org_administrator"},
    "insights.start_report": {"administrator", "analyst", "other_org_administrator"},
    "insights.view_icb": set(),
    "accounts.manage_icb_members": set(),
    "accounts.choose_icb": {"administrator", "other_org_administrator"},
}
# On organisation A's report for last year, issued and sent to the ICB; its words were
# written by the analyst. The approval rule lets every administrator of the organisation
# open the page; the service refuses whoever wrote the words last (tests/insights).
REPORT_PERMS = {
    "insights.view_report": {"administrator", "analyst"},
    "insights.edit_report": {"administrator", "analyst"},
    "insights.approve_report": {"administrator"},
    "insights.issue_report": {"administrator"},
    "insights.send_report": {"administrator"},
    "insights.reply_to_question": {"administrator", "analyst"},
    "insights.read_sent_report": set(),
}
# On organisation A (a member of the ICB), and on its membership of the ICB.
MEMBER_PERMS = {"insights.view_member_themes": set()}
MEMBERSHIP_PERMS = {
    "accounts.answer_icb_invitation": {"administrator"},
    "accounts.end_icb_membership": {"administrator"},
}
# ICB users: (permission, object) -> which of them hold it.
ICB_USER_PERMS = {
    ("insights.view_reports", None): {"icb_analyst", "icb_administrator", "other_icb_analyst"},
    ("insights.view_icb", None): {"icb_analyst", "other_icb_analyst"},
    ("accounts.manage_icb_members", None): {"icb_administrator"},
    ("accounts.choose_icb", None): set(),
    ("insights.read_sent_report", "report"): {"icb_analyst"},
    ("insights.view_report", "report"): set(),
    ("insights.reply_to_question", "report"): set(),
    ("insights.view_member_themes", "member"): {"icb_analyst"},
    ("insights.view_member_themes", "stranger"): set(),
    ("accounts.answer_icb_invitation", "membership"): set(),
    ("accounts.end_icb_membership", "membership"): {"icb_administrator"},
}

ALL_PERMS = {
    **GLOBAL_PERMS, **CASE_PERMS, **SUPPORT_CASE_PERMS, **dict.fromkeys(TASK_PERMS), **USER_PERMS, **TOOLKIT_PERMS,
    **MEETING_PERMS, **ITEM_PERMS, **LETTER_PERMS_DRAFT, **REVIEW_PERMS, **ACTION_REVIEW_PERMS, **ACTION_PERMS,
    **ACTION_GLOBAL_PERMS, **REPORT_GLOBAL_PERMS, **REPORT_PERMS, **MEMBER_PERMS, **MEMBERSHIP_PERMS,
}


def fresh(model_instance):
    """A new copy from the database: no cached roles, no cached team answers."""
    return type(model_instance).objects.get(pk=model_instance.pk)


def holders(world, check) -> set[str]:
    return {name for name in USERS if check(fresh(world.users[name]))}


def test_every_registered_permission_has_a_row():
    """A permission added to the policy without a row here fails."""
    assert set(rules.permissions.permissions) == set(ALL_PERMS)


@pytest.mark.parametrize(("perm", "expected"), sorted(TOOLKIT_PERMS.items()))
def test_toolkit_permissions_on_the_case_managers_records(world, perm, expected):
    from lotus.toolkit import services as toolkit

    leader = world.users["case_manager"]
    record = toolkit.entry_save(actor=leader, exercise="5.1", responses={"past": "A fictional memory"})
    if perm.endswith("session"):
        record = toolkit.team_session_start(actor=leader, instrument="team-equity", title="Team")
    assert holders(world, lambda user: user.has_perm(perm, record)) == expected


@pytest.mark.parametrize(("predicate", "expected"), sorted(USER_PREDICATES.items()))
def test_user_predicates(world, predicate, expected):
    check = getattr(policy, predicate)
    assert holders(world, check) == expected


@pytest.mark.parametrize(("predicate", "expected"), sorted(CASE_PREDICATES.items()))
def test_case_predicates(world, predicate, expected):
    check = getattr(policy, predicate)
    assert holders(world, lambda user: check(user, fresh(world.case))) == expected


@pytest.mark.parametrize(("perm", "expected"), sorted(GLOBAL_PERMS.items()))
def test_global_permissions(world, perm, expected):
    assert holders(world, lambda user: user.has_perm(perm)) == expected


@pytest.mark.parametrize(("perm", "expected"), sorted(CASE_PERMS.items()))
def test_case_permissions_on_the_teams_case(world, perm, expected):
    assert holders(world, lambda user: user.has_perm(perm, fresh(world.case))) == expected


@pytest.mark.parametrize(
    ("perm", "expected"),
    [
        # Only the organisation's administrator and the case's own team.
        ("cases.view_case", {"administrator", "off_team_case_manager"}),
        ("cases.change_case", {"administrator", "off_team_case_manager"}),
        ("cases.view_documents", {"administrator", "off_team_case_manager"}),
        ("cases.view_audit_trail", {"administrator"}),
        ("portal.view_own_case", set()),
    ],
)
def test_case_permissions_on_another_teams_case(world, perm, expected):
    assert holders(world, lambda user: user.has_perm(perm, fresh(world.other_team_case))) == expected


@pytest.mark.parametrize("perm", sorted(CASE_PERMS))
def test_case_of_another_organisation_only_for_its_administrator(world, perm):
    # Subject-only permissions, and writing a review (advisors on the team only), go to nobody.
    nobody = {"portal.view_own_case", "triage.view_shared_review", "triage.write_review", "triage.write_second_review",
              "portal.add_reflection", "portal.answer_consent"}
    expected = set() if perm in nobody else {"other_org_administrator"}
    assert holders(world, lambda user: user.has_perm(perm, fresh(world.other_org_case))) == expected


@pytest.mark.parametrize(("owner", "expected"), sorted(COMPLETE_TASK_BY_OWNER.items()))
def test_complete_task_by_task_owner(world, owner, expected):
    task = TaskFactory(case=world.case, owner=world.users[owner])
    assert holders(world, lambda user: user.has_perm("cases.complete_task", fresh(task))) == expected


@pytest.mark.parametrize("owner", sorted(COMPLETE_TASK_BY_OWNER))
def test_view_task_by_task_owner(world, owner):
    """Those who see all of world.case's tasks; the owner only if they may open the case (docs/adr/0016)."""
    task = TaskFactory(case=world.case, owner=world.users[owner])
    expected = {"administrator", "case_manager", "professional_advisor"}  # an owner who cannot open the case gets nothing
    assert holders(world, lambda user: user.has_perm("cases.view_task", fresh(task))) == expected


def test_complete_task_on_other_cases(world):
    other_team = TaskFactory(case=world.other_team_case)  # owned by the off-team case manager
    other_org = TaskFactory(case=world.other_org_case)
    assert holders(world, lambda user: user.has_perm("cases.complete_task", fresh(other_team))) == {
        "administrator",
        "off_team_case_manager",
    }
    assert holders(world, lambda user: user.has_perm("cases.complete_task", fresh(other_org))) == {
        "other_org_administrator"
    }


def test_a_declared_conflict_of_interest_takes_the_person_off_the_case(world):
    from django.utils import timezone

    from lotus.triage.models import ConflictOfInterest

    ConflictOfInterest.objects.create(
        case=world.case, user=world.users["professional_advisor"], details="Fictional", declared_at=timezone.now()
    )
    advisor = fresh(world.users["professional_advisor"])
    assert not advisor.has_perm("cases.view_case", fresh(world.case))
    assert not advisor.has_perm("triage.view_review", fresh(world.case))
    assert fresh(world.users["case_manager"]).has_perm("cases.view_case", fresh(world.case))


def test_task_owner_who_leaves_the_team_can_no_longer_complete_it(world):
    task = TaskFactory(case=world.case, owner=world.users["professional_advisor"])
    CaseTeamMember.objects.filter(case=world.case, user=world.users["professional_advisor"]).delete()
    assert not fresh(world.users["professional_advisor"]).has_perm("cases.complete_task", fresh(task))


# -- portal.view_own_case: a practitioner sees their own case and nobody else's -------


def test_practitioner_sees_only_their_own_case(world):
    practitioner = fresh(world.users["practitioner"])
    assert practitioner.has_perm("portal.view_own_case", fresh(world.case))
    assert not practitioner.has_perm("portal.view_own_case", fresh(world.other_team_case))
    assert not practitioner.has_perm("portal.view_own_case", fresh(world.other_org_case))
    assert not practitioner.has_perm("portal.view_own_case")  # no case at all


def test_each_practitioner_sees_their_own_case_and_not_the_others(world):
    other = UserFactory(organisation=world.organisation, roles=[Role.PRACTITIONER])
    subject = PractitionerFactory(organisation=world.organisation, user=other)
    their_case = CaseFactory(organisation=world.organisation, practitioner=subject)
    other = fresh(other)
    assert other.has_perm("portal.view_own_case", fresh(their_case))
    assert not other.has_perm("portal.view_own_case", fresh(world.case))
    assert not fresh(world.users["practitioner"]).has_perm("portal.view_own_case", fresh(their_case))


def test_a_later_case_about_the_same_practitioner_is_also_theirs(world):
    second = CaseFactory(organisation=world.organisation, practitioner=world.practitioner)
    assert fresh(world.users["practitioner"]).has_perm("portal.view_own_case", fresh(second))


def test_linked_user_without_the_practitioner_role_gets_no_portal(world):
    RoleGrant.objects.filter(user=world.users["practitioner"]).delete()
    assert not fresh(world.users["practitioner"]).has_perm("portal.view_own_case", fresh(world.case))


def test_practitioner_record_with_no_user_is_nobodys(world):
    unlinked = CaseFactory(organisation=world.organisation)
    assert unlinked.practitioner.user_id is None
    assert holders(world, lambda user: user.has_perm("portal.view_own_case", fresh(unlinked))) == set()


def test_the_subject_gets_no_staff_permission_on_their_own_case(world):
    practitioner = fresh(world.users["practitioner"])
    case = fresh(world.case)
    subject_perms = {"portal.view_own_case", "triage.view_shared_review", "portal.add_reflection",
                     "portal.answer_consent"}
    granted = {perm for perm in CASE_PERMS if perm not in subject_perms and practitioner.has_perm(perm, case)}
    assert granted == set()


# -- annual reports and the ICB's view (docs/adr/0023) ----------------------------------


@pytest.fixture
def icb_objects(world):
    from lotus.accounts.models import IcbMembership
    from tests.insights.report_fixtures import issued_report, make_icb

    icb = make_icb(world)
    report = issued_report(world)
    membership = IcbMembership.objects.get(member=world.organisation)
    return {"icb": icb, "report": report, "membership": membership, "member": world.organisation,
            "stranger": world.other_organisation}


@pytest.mark.parametrize(("perm", "expected"), sorted(REPORT_GLOBAL_PERMS.items()))
def test_report_global_permissions(world, perm, expected):
    assert holders(world, lambda user: user.has_perm(perm)) == expected


@pytest.mark.parametrize(("perm", "expected"), sorted(REPORT_PERMS.items()))
def test_permissions_on_organisation_as_issued_report(world, icb_objects, perm, expected):
    assert holders(world, lambda user: user.has_perm(perm, fresh(icb_objects["report"]))) == expected


@pytest.mark.parametrize(("perm", "expected"), sorted({**MEMBER_PERMS, **MEMBERSHIP_PERMS}.items()))
def test_permissions_on_the_member_and_its_membership(world, icb_objects, perm, expected):
    target = icb_objects["member"] if perm in MEMBER_PERMS else icb_objects["membership"]
    assert holders(world, lambda user: user.has_perm(perm, fresh(target))) == expected


@pytest.mark.parametrize(("perm", "target", "expected"),
                         sorted((perm, target, expected) for (perm, target), expected in ICB_USER_PERMS.items()),
                         # a set's order changes from one process to the next: xdist's workers
                         # must collect the same ids, so a set is named in sorted order
                         ids=lambda value: str(sorted(value)) if isinstance(value, (set, frozenset)) else str(value))
def test_icb_users_permissions(world, icb_objects, perm, target, expected):
    users = icb_objects["icb"].users
    obj = fresh(icb_objects[target]) if target else None
    assert {name for name, user in users.items() if fresh(user).has_perm(perm, obj)} == expected


def test_a_membership_only_invited_gives_the_icb_no_view_of_the_member(world):
    from lotus.accounts import membership_services
    from tests.insights.report_fixtures import make_icb

    icb = make_icb(world, join=False)
    membership = membership_services.membership_invite(actor=icb.users["icb_administrator"],
                                                       code=world.organisation.code)
    analyst = fresh(icb.users["icb_analyst"])
    assert not analyst.has_perm("insights.view_member_themes", fresh(world.organisation))
    # While invited, the provider answers and either side may withdraw.
    assert holders(world, lambda user: user.has_perm("accounts.answer_icb_invitation", fresh(membership))) == {
        "administrator"}
    assert fresh(icb.users["icb_administrator"]).has_perm("accounts.end_icb_membership", fresh(membership))


# -- inactive and anonymous users get nothing -----------------------------------------


@pytest.mark.parametrize("name", USERS)
def test_inactive_user_gets_nothing(world, name):
    User.objects.filter(pk=world.users[name].pk).update(is_active=False)
    user = fresh(world.users[name])
    assert user.roles  # the grants are still there; being inactive is what removes access
    for perm in GLOBAL_PERMS:
        assert not user.has_perm(perm), perm
    for case in (world.case, world.other_team_case, world.other_org_case):
        for perm in CASE_PERMS:
            assert not user.has_perm(perm, fresh(case)), (perm, case.reference)
    task = TaskFactory(case=world.case, owner=user)
    assert not user.has_perm("cases.complete_task", fresh(task))
    for predicate in USER_PREDICATES:
        assert not getattr(policy, predicate)(user), predicate
    for predicate in CASE_PREDICATES:
        assert not getattr(policy, predicate)(user, fresh(world.case)), predicate


def test_anonymous_user_gets_nothing(world):
    anonymous = AnonymousUser()
    for perm in GLOBAL_PERMS:
        assert not anonymous.has_perm(perm)
    for perm in CASE_PERMS:
        assert not anonymous.has_perm(perm, fresh(world.case))


# -- other organisations ----------------------------------------------------------------


def test_cross_organisation_administrator_gets_nothing_on_our_cases(world):
    outsider = fresh(world.users["other_org_administrator"])
    for case in (world.case, world.other_team_case):
        for perm in CASE_PERMS:
            assert not outsider.has_perm(perm, fresh(case)), (perm, case.reference)


def test_cross_organisation_administrator_gets_nothing_even_when_put_on_the_team(world):
    outsider = world.users["other_org_administrator"]
    outside_manager = UserFactory(organisation=world.other_organisation, roles=[Role.CASE_MANAGER])
    for user in (outsider, outside_manager):
        CaseTeamMember.objects.create(case=world.case, user=user)
    for user in (outsider, outside_manager):
        user = fresh(user)
        assert not policy.on_case_team(user, fresh(world.case))
        for perm in CASE_PERMS:
            assert not user.has_perm(perm, fresh(world.case)), (user.email, perm)
        task = TaskFactory(case=world.case, owner=user)
        assert not user.has_perm("cases.complete_task", fresh(task))


def test_our_administrator_gets_nothing_on_another_organisations_case(world):
    administrator = fresh(world.users["administrator"])
    for perm in CASE_PERMS:
        assert not administrator.has_perm(perm, fresh(world.other_org_case)), perm


# -- the team and the roles together ---------------------------------------------------


def test_joining_the_team_grants_the_roles_access(world):
    manager = world.users["off_team_case_manager"]
    assert not fresh(manager).has_perm("cases.change_case", fresh(world.case))
    CaseTeamMember.objects.create(case=world.case, user=manager)
    assert fresh(manager).has_perm("cases.change_case", fresh(world.case))


def test_team_member_who_loses_every_staff_role_loses_the_case(world):
    advisor = world.users["professional_advisor"]
    RoleGrant.objects.filter(user=advisor).delete()
    RoleGrant.objects.create(user=advisor, role=Role.ANALYST)
    assert not fresh(advisor).has_perm("cases.view_case", fresh(world.case))


def test_administrator_sees_every_case_of_the_organisation_without_being_on_the_team(world):
    administrator = fresh(world.users["administrator"])
    assert not policy.on_case_team(administrator, fresh(world.case))
    assert administrator.has_perm("cases.view_case", fresh(world.case))
    assert administrator.has_perm("cases.view_case", fresh(world.other_team_case))


def test_team_answer_is_cached_per_user_not_shared_between_users(world):
    case = fresh(world.case)
    assert policy.on_case_team(fresh(world.users["case_manager"]), case)
    assert not policy.on_case_team(fresh(world.users["off_team_case_manager"]), case)
    assert policy.on_case_team(fresh(world.users["professional_advisor"]), case)


def test_team_annotation_for_the_viewer_is_used(world, django_assert_num_queries):
    user = fresh(world.users["case_manager"])
    user.roles  # noqa: B018 - load the roles before counting
    case = Case.objects.get(pk=world.case.pk)
    case.viewer_on_team = True
    case.viewer_id = user.pk
    with django_assert_num_queries(0):
        assert policy.on_case_team(user, case)
    other = Case.objects.get(pk=world.case.pk)
    other.viewer_on_team = False
    other.viewer_id = user.pk
    assert not policy.on_case_team(user, other)


def test_annotation_for_a_different_viewer_is_not_trusted(world):
    advisor = fresh(world.users["off_team_case_manager"])
    case = Case.objects.get(pk=world.case.pk)
    case.viewer_on_team = True
    case.viewer_id = world.users["case_manager"].pk  # annotated for someone else
    assert not policy.on_case_team(advisor, case)


def test_superuser_flag_does_not_bypass_the_policy(world):
    User.objects.filter(pk=world.users["other_org_administrator"].pk).update(is_superuser=True)
    outsider = fresh(world.users["other_org_administrator"])
    assert not outsider.has_perm("cases.view_case", fresh(world.case))


@pytest.mark.parametrize(("perm", "expected"), sorted(USER_PERMS.items()))
def test_user_permissions(world, perm, expected):
    target = fresh(world.users["case_manager"])
    assert holders(world, lambda user: user.has_perm(perm, target)) == expected
    admin = fresh(world.users["administrator"])
    assert not admin.has_perm(perm, admin)  # nobody disables their own account


# -- support: the plan and the named pastoral contact ----------------------------------


@pytest.fixture
def named_pastoral_contact(world):
    from lotus.support.services import pastoral_contact_assign, plan_open

    person = UserFactory(organisation=world.organisation, roles=(Role.PASTORAL_CONTACT,), full_name="Named Contact")
    plan = plan_open(actor=world.users["case_manager"], case=world.case)
    pastoral_contact_assign(actor=world.users["case_manager"], plan=plan, person=person)
    return person


@pytest.mark.parametrize(("perm", "expected"), sorted(SUPPORT_CASE_PERMS.items()))
def test_support_permissions_need_an_open_plan(world, perm, expected):
    assert holders(world, lambda user: user.has_perm(perm, fresh(world.case))) == set()
    from lotus.support.services import plan_open

    plan_open(actor=world.users["case_manager"], case=world.case)
    assert holders(world, lambda user: user.has_perm(perm, fresh(world.case))) == expected


@pytest.mark.parametrize(("perm", "expected"), sorted(NAMED_PASTORAL_CONTACT_PERMS.items()))
def test_named_pastoral_contact_reaches_the_support_side_only(world, named_pastoral_contact, perm, expected):
    assert fresh(named_pastoral_contact).has_perm(perm, fresh(world.case)) is expected


def test_named_pastoral_contact_predicates(world, named_pastoral_contact):
    case = fresh(world.case)
    assert policy.is_pastoral_contact_for(fresh(named_pastoral_contact), case)
    assert not policy.is_pastoral_contact_for(fresh(world.users["pastoral_contact"]), case)
    assert policy.has_support_plan(fresh(named_pastoral_contact), case)


def test_named_pastoral_contact_reaches_nothing_of_other_cases(world, named_pastoral_contact):
    from lotus.support.services import plan_open

    plan_open(actor=world.users["off_team_case_manager"], case=world.other_team_case)
    for perm in SUPPORT_CASE_PERMS:
        assert not fresh(named_pastoral_contact).has_perm(perm, fresh(world.other_team_case))


def test_a_disabled_or_demoted_pastoral_contact_loses_the_plan(world, named_pastoral_contact):
    RoleGrant.objects.filter(user=named_pastoral_contact).delete()
    assert not fresh(named_pastoral_contact).has_perm("support.view_plan", fresh(world.case))
# -- panels and letters -----------------------------------------------------------------


@pytest.fixture
def meeting_and_item(world):
    from django.utils import timezone

    from lotus.panels import services as panel_services

    meeting = panel_services.meeting_schedule(
        actor=world.users["case_manager"], held_on=timezone.localdate(),
        chair_id=world.users["panel_member"].pk, member_ids=[world.users["panel_member"].pk], location="Room 1",
    )
    shared_triage(world.case, world.users["professional_advisor"])  # the panel needs shared triage (issue 19)
    item = panel_services.item_add(actor=world.users["case_manager"], meeting=meeting, case=world.case)
    return meeting, item


@pytest.mark.parametrize(("perm", "expected"), sorted(MEETING_PERMS.items()))
def test_meeting_permissions(world, meeting_and_item, perm, expected):
    meeting = meeting_and_item[0]
    assert holders(world, lambda user: user.has_perm(perm, fresh(meeting))) == expected


@pytest.mark.parametrize(("perm", "expected"), sorted(ITEM_PERMS.items()))
def test_agenda_item_permissions(world, meeting_and_item, perm, expected):
    item = meeting_and_item[1]
    assert holders(world, lambda user: user.has_perm(perm, fresh(item))) == expected


def test_a_conflicted_member_loses_the_items_papers_and_decision(world, meeting_and_item):
    from lotus.panels import services as panel_services

    item = meeting_and_item[1]
    panel_services.conflict_declare(actor=world.users["panel_member"], item=item, has_conflict=True, details="Friend")
    member = fresh(world.users["panel_member"])
    assert not member.has_perm("panels.view_item_papers", fresh(item))
    assert not member.has_perm("panels.record_decision", fresh(item))
    assert member.has_perm("panels.view_meeting", fresh(item.meeting))


@pytest.mark.parametrize("sent", [False, True])
def test_letter_permissions(world, sent):
    from django.utils import timezone

    from lotus.letters import services as letter_services
    from lotus.letters.models import Letter, LetterTemplate

    letter_services.templates_ensure(world.organisation.pk)
    template = LetterTemplate.objects.get(organisation=world.organisation, key="case_closed")
    letter = letter_services.letter_draft(actor=world.users["case_manager"], case=world.case, template=template)
    if sent:
        Letter.objects.filter(pk=letter.pk).update(status="sent", sent_on=timezone.localdate())
    expected = LETTER_PERMS_SENT if sent else LETTER_PERMS_DRAFT
    for perm, holders_expected in expected.items():
        assert holders(world, lambda user, perm=perm: user.has_perm(perm, fresh(letter))) == holders_expected, perm


@pytest.mark.parametrize(("perm", "expected"), sorted(REVIEW_PERMS.items()))
def test_review_permissions(world, perm, expected):
    from lotus.learning.models import Review
    from tests.learning.helpers import amended_review

    review_id = amended_review(world)["review_id"]
    assert holders(world, lambda user: user.has_perm(perm, Review.objects.get(pk=review_id))) == expected


def test_action_summary_and_library_permissions(world):
    from lotus.learning.models import Action, Review
    from tests.learning.action_fixtures import matrix_objects
    from tests.learning.helpers import amended_review

    review_id = amended_review(world)["review_id"]
    action_id = matrix_objects(world, review_id)["learning_action_id"]
    for perm, expected in ACTION_REVIEW_PERMS.items():
        assert holders(world, lambda user, perm=perm: user.has_perm(perm, Review.objects.get(pk=review_id))) == expected, perm
    for perm, expected in ACTION_PERMS.items():
        assert holders(world, lambda user, perm=perm: user.has_perm(perm, Action.objects.get(pk=action_id))) == expected, perm
    for perm, expected in ACTION_GLOBAL_PERMS.items():
        assert holders(world, lambda user, perm=perm: user.has_perm(perm)) == expected, perm


def test_a_review_of_another_organisations_case_is_nobodys_here(world):
    from lotus.learning import services as learning

    other_admin = world.users["other_org_administrator"]
    review = learning.review_start(actor=other_admin, case=world.other_org_case, reviewer=other_admin)
    here = USERS[:-1]
    assert not any(fresh(world.users[name]).has_perm("learning.view_review", review) for name in here)
