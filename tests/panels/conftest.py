"""Panel fixtures: world.case awaiting the panel, a meeting of three panel members with
the world's panel member in the chair, and world.case on its agenda."""

import datetime as dt

import pytest
from django.utils import timezone

from lotus.accounts.roles import Role
from lotus.cases.models import Case
from lotus.panels import services
from tests.factories import TOTPDeviceFactory, UserFactory


@pytest.fixture
def awaiting(world):
    Case.objects.filter(pk=world.case.pk).update(status="awaiting_panel")
    world.case.refresh_from_db()
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


from tests.api.conftest import _fresh_rate_limits, api_for, token_for  # noqa: E402, F401 - API fixtures
