"""Panel fixtures shared by tests/panels, tests/letters and tests/portal: world.case
awaiting the panel, a meeting of three panel members with the world's panel member in the
chair, world.case on its agenda, a decision, its letter and a second case manager."""

import datetime as dt

import pytest
from django.utils import timezone

from lotus.accounts.roles import Role
from lotus.cases.models import Case
from lotus.panels import services
from tests.factories import TOTPDeviceFactory, UserFactory


def shared_triage(case, advisor):
    """A submitted first review, shared with the practitioner: what a case needs before it
    may go on a panel agenda (issue 19)."""
    from lotus.triage.models import TriageReview

    now = timezone.now()
    TriageReview.objects.get_or_create(
        case=case, kind="first",
        defaults={"reviewer": advisor, "status": "submitted", "started_at": now, "updated_at": now,
                  "submitted_at": now, "shared_at": now, "shared_by": advisor, "score": 6, "band": "moderate",
                  "colour": "amber"},
    )


@pytest.fixture
def awaiting(world):
    Case.objects.filter(pk=world.case.pk).update(status="awaiting_panel")
    world.case.refresh_from_db()
    shared_triage(world.case, world.users["professional_advisor"])
    return world.case


@pytest.fixture
def panel_members(world):
    members = [world.users["panel_member"]]
    for n in (2, 3):
        user = UserFactory(email=f"panel{n}@test.lotus.test", full_name=f"Panel Member {n}",
                           organisation=world.organisation, roles=(Role.PANEL_MEMBER,))
        TOTPDeviceFactory(user=user)
        members.append(user)
    return members


@pytest.fixture
def meeting(world, panel_members):
    return services.meeting_schedule(
        actor=world.users["case_manager"],
        held_on=timezone.localdate() - dt.timedelta(days=1),
        chair_id=panel_members[0].pk,
        member_ids=[m.pk for m in panel_members],
        location="Room 4, fictional house",
    )


@pytest.fixture
def item(world, meeting, awaiting):
    return services.item_add(actor=world.users["case_manager"], meeting=meeting, case=awaiting,
                             decisions_sought="Decide whether to investigate")


def attend_and_declare(world, item, members=None):
    """Everyone attended (the chair chairing) and declared no conflict on the item."""
    meeting = item.meeting
    seats = [seat.user for seat in meeting.members.select_related("user")]
    members = seats if members is None else members
    services.attendance_record(actor=world.users["case_manager"], meeting=meeting,
                               attended_ids=[m.pk for m in members], chaired_by_id=meeting.chair_id)
    declared = set(item.declarations.values_list("user_id", flat=True))
    for member in members:
        if member.pk not in declared:
            services.conflict_declare(actor=member, item=item, has_conflict=False)
    item.meeting.refresh_from_db()


@pytest.fixture
def decision(world, item):
    attend_and_declare(world, item)
    return services.decision_record(
        actor=world.users["case_manager"], item=item, outcomes=["request_reflections"],
        rationale="the panel wants to hear your side before it decides anything more.",
        next_review_on=timezone.localdate() + dt.timedelta(days=60),
    )


@pytest.fixture
def letter(decision):
    return decision.letters.get()


@pytest.fixture
def second_manager(world):
    user = UserFactory(email="cm2@test.lotus.test", full_name="Second Manager", organisation=world.organisation,
                       roles=(Role.CASE_MANAGER,))
    TOTPDeviceFactory(user=user)
    from lotus.cases.models import CaseTeamMember

    CaseTeamMember.objects.create(case=world.case, user=user)
    return user
