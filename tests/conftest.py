"""Shared fixtures: one organisation with a user per role, a case they work on, and an
outsider organisation, so every test can check every level of access."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from lotus.accounts.roles import Role
from tests.factories import (
    PASSWORD,
    CaseFactory,
    OrganisationFactory,
    PractitionerFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from tests.system import axe_tally

# Redis, S3 and other real services for the production-shape tests (issue 17).
pytest_plugins = ["tests.backing_services"]

@dataclass
class World:
    organisation: object
    other_organisation: object
    users: dict
    case: object
    other_team_case: object
    other_org_case: object
    practitioner: object


ROLE_USERS = {
    "administrator": (Role.ADMINISTRATOR,),
    "case_manager": (Role.CASE_MANAGER,),
    "professional_advisor": (Role.PROFESSIONAL_ADVISOR,),
    "panel_member": (Role.PANEL_MEMBER,),
    "pastoral_contact": (Role.PASTORAL_CONTACT,),
    "practitioner": (Role.PRACTITIONER,),
    "analyst": (Role.ANALYST,),
    "off_team_case_manager": (Role.CASE_MANAGER,),
    "other_org_administrator": (Role.ADMINISTRATOR,),
}


@pytest.fixture
def world(db) -> World:
    organisation = OrganisationFactory(name="Test Region (fictional)")
    other = OrganisationFactory(name="Other Trust (fictional)")
    users = {}
    for name, roles in ROLE_USERS.items():
        org = other if name.startswith("other_org") else organisation
        users[name] = UserFactory(email=f"{name}@test.lotus.test", full_name=name.replace("_", " ").title(),
                                  organisation=org, roles=roles)
        TOTPDeviceFactory(user=users[name])  # two-step verification is set up for everyone
    practitioner = PractitionerFactory(organisation=organisation, user=users["practitioner"])
    # The panel member and the pastoral contact are put on the team by raw rows, as before
    # docs/adr/0016 let nobody add them: the tests show such a row grants them nothing.
    team = [users[n] for n in ("case_manager", "professional_advisor", "panel_member", "pastoral_contact")]
    case = CaseFactory(organisation=organisation, practitioner=practitioner, owner=users["case_manager"], team=team)
    other_team_case = CaseFactory(organisation=organisation, owner=users["off_team_case_manager"],
                                  team=[users["off_team_case_manager"]])
    other_org_case = CaseFactory(organisation=other, team=[])
    return World(organisation, other, users, case, other_team_case, other_org_case, practitioner)


def signed_in_client(user) -> Client:
    """A client signed in as `user` with both steps done (password and security code)."""
    client = Client()
    assert client.login(username=user.email, password=PASSWORD)
    mark_session_verified(client, user)
    return client


def mark_session_verified(client: Client, user) -> None:
    """Record in the client's session that `user` passed two-step verification.

    This is what django_otp.login() stores after a correct code; tests that are not
    about the code step use it to skip typing one. The user's confirmed authenticator
    app is used, or one is made for them.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDeviceFactory(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client_for(world):
    def make(role_name: str) -> Client:
        return signed_in_client(world.users[role_name])

    return make


# The axe summary at the end of the run (tests/system/axe_tally.py). These hooks live here,
# not in tests/system/conftest.py, because under pytest-xdist the controller writes the
# summary and loads only this conftest (it collects nothing below tests/).


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand this worker's tally to the controller
        workeroutput[axe_tally.WORKEROUTPUT_KEY] = axe_tally.export()


@pytest.hookimpl(optionalhook=True)  # an xdist hook: unknown when xdist is not installed
def pytest_testnodedown(node, error):
    axe_tally.absorb(getattr(node, "workeroutput", {}).get(axe_tally.WORKEROUTPUT_KEY, {}))


def pytest_terminal_summary(terminalreporter):
    axe_tally.write_summary(terminalreporter)
