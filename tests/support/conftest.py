"""Fixtures for the support and performance plan tests: world.case in triage with its
support plan open, and a named pastoral contact who is not on the case team."""

import pytest

from lotus.accounts.roles import Role
from lotus.cases import services as case_services
from lotus.cases.models import Case
from tests.api.conftest import _fresh_rate_limits, api_for, token_for  # noqa: F401 - API fixtures
from tests.conftest import signed_in_client
from tests.factories import TOTPDeviceFactory, UserFactory


@pytest.fixture
def plan(world):
    """world.case moved into triage by its case manager, which opens the support plan."""
    case = case_services.case_transition(
        actor=world.users["case_manager"], case=world.case, target="triage", reason="Checked; triage can start"
    )
    return Case.objects.get(pk=case.pk).support_plan


@pytest.fixture
def helper(world):
    """A pastoral contact of the organisation who is not on any case team."""
    user = UserFactory(
        email="named.pastoral@test.lotus.test",
        full_name="Named Pastoral",
        organisation=world.organisation,
        roles=(Role.PASTORAL_CONTACT,),
    )
    TOTPDeviceFactory(user=user)
    return user


@pytest.fixture
def assigned(world, plan, helper):
    from lotus.support.services import pastoral_contact_assign

    pastoral_contact_assign(actor=world.users["case_manager"], plan=plan, person=helper)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def helper_client(helper):
    return signed_in_client(helper)
