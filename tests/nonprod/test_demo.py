"""`lotus demo`: fictional demo data, loaded once, with an audit chain that verifies."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from lotus.accounts.models import Organisation, RoleGrant, User
from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from lotus.cases.models import Case, TimelineEvent
from lotus.cases.workflow import Status
from lotus.core.models import demo_data_loaded
from lotus.nonprod.demo import DEMO_PASSWORD, DEMO_USERS, ORGANISATIONS
from lotus.practitioners.models import EqualityMonitoring, Practitioner


def run_demo(**options) -> str:
    stdout = io.StringIO()
    call_command("demo", stdout=stdout, stderr=io.StringIO(), **options)
    return stdout.getvalue()


def verify_audit() -> str:
    stdout = io.StringIO()
    call_command("audit", "verify", stdout=stdout, stderr=io.StringIO())  # raises on a broken chain
    return stdout.getvalue()


def lotus_counts() -> dict[str, int]:
    """Rows in every LOTUS table."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("lotus.")
    }


@pytest.fixture
def demo(db):
    output = run_demo()
    return output


def test_demo_loads_practitioners_cases_and_organisations(demo):
    assert "Demo data loaded." in demo
    assert 25 <= Practitioner.objects.count() <= 40
    assert EqualityMonitoring.objects.count() == Practitioner.objects.count()
    assert Case.objects.count() >= 40
    demo_orgs = Organisation.objects.filter(code__in=[code for _, code, _, _ in ORGANISATIONS])
    assert demo_orgs.count() == 2
    assert set(Case.objects.values_list("organisation_id", flat=True)) == set(demo_orgs.values_list("pk", flat=True))


def test_demo_cases_cover_every_status(demo):
    assert set(Case.objects.values_list("status", flat=True)) == {status.value for status in Status}


def test_demo_cases_have_a_history_that_matches_their_status(demo):
    for case in Case.objects.exclude(status=Status.RECEIVED):
        assert case.timeline.filter(kind=TimelineEvent.Kind.STATUS).exists(), case.reference
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.OPENED).count() == Case.objects.count()


def test_demo_has_a_user_for_every_role_who_can_sign_in(demo):
    assert set(RoleGrant.objects.values_list("role", flat=True)) == {role.value for role in Role}
    for demo_user in DEMO_USERS:
        user = User.objects.get(email=demo_user.email)
        assert user.roles == frozenset(demo_user.roles)
        assert Client().login(username=demo_user.email, password=DEMO_PASSWORD), demo_user.email
    assert DEMO_PASSWORD in demo and DEMO_USERS[0].email in demo  # the sign-ins are printed


def test_demo_marks_the_installation_as_holding_demo_data(demo):
    assert demo_data_loaded()


def test_demo_is_idempotent(demo):
    before = lotus_counts()
    assert before["cases.Case"] >= 40
    output = run_demo()
    assert "already loaded; nothing changed" in output
    assert lotus_counts() == before


def test_the_audit_chain_verifies_after_the_demo(demo):
    events = AuditEvent.objects.count()
    assert events >= Case.objects.count()  # at least a "create" per case
    assert f"{events} events" in verify_audit()


def test_demo_scale_adds_cases_and_the_chain_still_verifies(demo):
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    output = run_demo(scale=50, quiet_sign_ins=True)
    assert "Added 50 cases." in output
    assert Case.objects.count() == cases + 50
    assert AuditEvent.objects.count() > events
    assert f"{AuditEvent.objects.count()} events" in verify_audit()
    # references stay unique per organisation and the seeded cases are not all one status
    references = list(Case.objects.values_list("organisation_id", "reference"))
    assert len(references) == len(set(references))
    assert Case.objects.values("status").distinct().count() > 1


def test_demo_scale_twice_keeps_the_chain_and_references_sound(demo):
    run_demo(scale=30, quiet_sign_ins=True)
    run_demo(scale=30, quiet_sign_ins=True)
    assert f"{AuditEvent.objects.count()} events" in verify_audit()
    references = list(Case.objects.values_list("organisation_id", "reference"))
    assert len(references) == len(set(references))


def test_demo_scale_on_a_fresh_database_loads_the_demo_first(db):
    output = run_demo(scale=10, quiet_sign_ins=True)
    assert "Demo data loaded." in output and "Added 10 cases." in output
    assert f"{AuditEvent.objects.count()} events" in verify_audit()
