"""Who may join a case team (docs/adr/0016-who-joins-a-case-team.md): the one rule in
lotus/accounts/rules.py, asked by the service, the team page, task owners and the case
list; a stale team row for someone who may not be on a team grants nothing; and the
migration that takes such people off teams, on the record."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from lotus.accounts.models import RoleGrant
from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from lotus.audit.services import audit_check
from lotus.cases import selectors, services
from lotus.cases.models import CaseTeamMember, TimelineEvent
from lotus.support import services as support_services
from tests.conftest import signed_in_client
from tests.factories import CaseFactory, UserFactory

PASTORAL_MESSAGE = "Pastoral Contact is a pastoral contact, so cannot join a case team"
PANEL_MESSAGE = "Panel Member is a panel member, so cannot join a case team"


@pytest.fixture
def case(world):
    """A case of organisation A whose team is only its case manager (no stale rows)."""
    return CaseFactory(organisation=world.organisation, owner=world.users["case_manager"],
                       team=[world.users["case_manager"]])


def named_contact(world, case, *roles):
    """A user named as the case's pastoral contact, then given `roles` instead."""
    person = UserFactory(organisation=world.organisation, full_name="Named Contact", roles=(Role.PASTORAL_CONTACT,))
    plan = support_services.plan_open(actor=world.users["case_manager"], case=case)
    support_services.pastoral_contact_assign(actor=world.users["case_manager"], plan=plan, person=person)
    RoleGrant.objects.filter(user=person).delete()
    for role in roles:
        RoleGrant.objects.create(user=person, role=role)
    return type(person).objects.get(pk=person.pk)


def add(world, case, member):
    return services.case_team_add(actor=world.users["case_manager"], case=type(case).objects.get(pk=case.pk),
                                  member=member)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [("pastoral_contact", PASTORAL_MESSAGE), ("panel_member", PANEL_MESSAGE)],
)
def test_the_service_refuses_a_pastoral_contact_and_a_panel_member_with_the_reason(world, case, name, message):
    with pytest.raises(ValidationError) as refused:
        add(world, case, world.users[name])
    assert message in refused.value.message_dict["member"][0]
    assert not CaseTeamMember.objects.filter(case=case, user=world.users[name]).exists()
    assert not TimelineEvent.objects.filter(case=case, kind="team").exists()


@pytest.mark.django_db
def test_the_service_refuses_the_named_pastoral_contact_whatever_roles_they_now_hold(world, case):
    person = named_contact(world, case, Role.CASE_MANAGER)
    with pytest.raises(ValidationError, match="is the pastoral contact for this case, so cannot join its team"):
        add(world, case, person)
    assert not CaseTeamMember.objects.filter(case=case, user=person).exists()


@pytest.mark.django_db
def test_a_pastoral_contact_never_joins_even_with_a_team_role_too(world, case):
    both = UserFactory(organisation=world.organisation, full_name="Both Roles",
                       roles=(Role.CASE_MANAGER, Role.PASTORAL_CONTACT))
    with pytest.raises(ValidationError, match="Both Roles is a pastoral contact"):
        add(world, case, both)


@pytest.mark.django_db
def test_the_practitioner_the_case_is_about_never_joins_its_team(world, case):
    case.practitioner.user = UserFactory(organisation=world.organisation, full_name="Staff Subject",
                                         roles=(Role.CASE_MANAGER,))
    case.practitioner.save()
    with pytest.raises(ValidationError, match="Staff Subject is the practitioner this case is about"):
        add(world, case, case.practitioner.user)


@pytest.mark.django_db
def test_a_panel_member_who_is_also_a_case_manager_may_join(world, case):
    person = UserFactory(organisation=world.organisation, roles=(Role.PANEL_MEMBER, Role.CASE_MANAGER))
    add(world, case, person)
    assert CaseTeamMember.objects.filter(case=case, user=person).exists()
    assert person.has_perm("cases.view_case", case)


@pytest.mark.django_db
def test_the_team_page_offers_only_people_who_may_join_and_refuses_anyone_else(world, case):
    client = signed_in_client(world.users["case_manager"])
    url = reverse("cases:add_team_member", kwargs={"case_id": case.pk})
    html = client.get(url).content.decode()
    assert "Professional Advisor" in html and "Off Team Case Manager" in html  # the controls
    assert "Pastoral Contact</option>" not in html and "Panel Member</option>" not in html
    for name in ("pastoral_contact", "panel_member"):
        response = client.post(url, {"member": world.users[name].pk})
        assert response.status_code == 200
        assert "Select a person from the list" in response.content.decode()
        assert not CaseTeamMember.objects.filter(case=case, user=world.users[name]).exists()
    assert [u.pk for u in selectors.team_candidates(case)] == sorted(
        [world.users["off_team_case_manager"].pk, world.users["professional_advisor"].pk],
        key=lambda pk: type(world.users["case_manager"]).objects.get(pk=pk).full_name,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["pastoral_contact", "panel_member"])
def test_a_stale_team_row_grants_nothing(world, name):
    """world.case has raw team rows for the panel member and the pastoral contact."""
    user = world.users[name]
    assert CaseTeamMember.objects.filter(case=world.case, user=user).exists()
    assert not user.has_perm("cases.view_case", world.case)
    assert not selectors.visible_cases(user).exists()
    assert user not in selectors.task_owner_choices(world.case)
    assert world.users["professional_advisor"] in selectors.task_owner_choices(world.case)


# ---------------------------------------------------------------- the migration

migration = importlib.import_module("lotus.cases.migrations.0003_take_ineligible_members_off_teams")


@pytest.mark.django_db
def test_the_migration_takes_ineligible_members_off_teams_on_the_record(world, case):
    both = UserFactory(organisation=world.organisation, full_name="Both Roles",
                       roles=(Role.PROFESSIONAL_ADVISOR, Role.PASTORAL_CONTACT))
    CaseTeamMember.objects.create(case=case, user=both)
    person = named_contact(world, case, Role.CASE_MANAGER)
    CaseTeamMember.objects.create(case=case, user=person)
    before = AuditEvent.objects.count()

    removed = migration.take_ineligible_members_off_teams(apps)

    assert removed == {"pastoral_contact": 2, "panel_member": 1, "named_pastoral_contact": 1}
    left = set(CaseTeamMember.objects.values_list("case_id", "user__email"))
    assert left == {
        (world.case.pk, "case_manager@test.lotus.test"),
        (world.case.pk, "professional_advisor@test.lotus.test"),
        (world.other_team_case.pk, "off_team_case_manager@test.lotus.test"),
        (case.pk, "case_manager@test.lotus.test"),
    }
    entries = TimelineEvent.objects.filter(kind="team", title__endswith="taken off the case team")
    assert sorted(e.title for e in entries) == [
        "Both Roles taken off the case team", "Named Contact taken off the case team",
        "Panel Member taken off the case team", "Pastoral Contact taken off the case team",
    ]
    events = AuditEvent.objects.order_by("sequence")[before:]
    assert [(e.object_id, e.details["team_removed"], e.details["reason"]) for e in events] == [
        (str(world.case.pk), world.users["panel_member"].pk, "panel_member"),
        (str(world.case.pk), world.users["pastoral_contact"].pk, "pastoral_contact"),
        (str(case.pk), both.pk, "pastoral_contact"),
        (str(case.pk), person.pk, "named_pastoral_contact"),
    ]
    assert all(e.actor_id is None and e.actor_label.startswith("LOTUS update") for e in events)
    assert audit_check().ok  # the chain still verifies
    assert migration.take_ineligible_members_off_teams(apps) == {}  # a second run changes nothing
