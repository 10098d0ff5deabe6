"""The case services (lotus/cases/services.py): references, the status workflow, the
summary, documents and tasks. Every change lands on the case timeline and the audit trail;
a refused change leaves no trace but, where it says so, an audit event."""

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from lotus.cases import services
from lotus.cases.models import (
    Case,
    CaseReferenceCounter,
    CaseTeamMember,
    Document,
    Task,
    TimelineEvent,
)
from lotus.cases.workflow import (
    STATUS_LABELS,
    TRANSITIONS,
    Status,
    find_transition,
    transitions_from,
)
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PractitionerFactory,
    TaskFactory,
    UserFactory,
)
from tests.panel_fixtures import shared_triage

RECEIVED_ON = dt.date(2026, 3, 2)


@pytest.fixture
def office(db):
    """A fresh organisation: no factory-made references to meet the counter."""
    organisation = OrganisationFactory()
    return SimpleNamespace(
        organisation=organisation,
        manager=UserFactory(organisation=organisation, roles=(Role.CASE_MANAGER,)),
        administrator=UserFactory(organisation=organisation, roles=(Role.ADMINISTRATOR,)),
        practitioner=PractitionerFactory(organisation=organisation),
    )


def open_case(actor, practitioner, *, owner=None, received_on=RECEIVED_ON, **changes) -> Case:
    fields = {
        "source": "complaint",
        "categories": ["clinical"],
        "summary": "A fictional concern.",
        **changes,
    }
    return services.case_open(
        actor=actor, practitioner=practitioner, received_on=received_on, owner=owner or actor, **fields
    )


def audit_since(sequence: int):
    return list(AuditEvent.objects.filter(sequence__gt=sequence).order_by("sequence"))


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


# --------------------------------------------------------------------------------------
# Opening a case and its reference


@pytest.mark.django_db
def test_references_are_per_organisation_and_increase(office):
    references = [open_case(office.manager, office.practitioner).reference for _ in range(3)]
    assert references == ["LOT-2026-00001", "LOT-2026-00002", "LOT-2026-00003"]

    other = OrganisationFactory()
    other_manager = UserFactory(organisation=other, roles=(Role.CASE_MANAGER,))
    other_practitioner = PractitionerFactory(organisation=other)
    assert open_case(other_manager, other_practitioner).reference == "LOT-2026-00001"

    assert open_case(office.manager, office.practitioner).reference == "LOT-2026-00004"


@pytest.mark.django_db
def test_references_follow_the_year_received_and_the_organisation_prefix(office):
    assert open_case(office.manager, office.practitioner, received_on=dt.date(2025, 12, 31)).reference == "LOT-2025-00001"
    assert open_case(office.manager, office.practitioner).reference == "LOT-2026-00001"
    assert open_case(office.manager, office.practitioner, received_on=dt.date(2025, 1, 1)).reference == "LOT-2025-00002"

    north = OrganisationFactory(case_reference_prefix="NEY")
    manager = UserFactory(organisation=north, roles=(Role.CASE_MANAGER,))
    assert open_case(manager, PractitionerFactory(organisation=north)).reference == "NEY-2026-00001"


@pytest.mark.django_db
def test_the_database_refuses_a_repeated_reference_in_one_organisation(office):
    case = open_case(office.manager, office.practitioner)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(organisation=office.organisation, reference=case.reference)
    CaseFactory(organisation=OrganisationFactory(), reference=case.reference)  # another organisation may


@pytest.mark.django_db
def test_opening_records_the_team_the_timeline_and_the_audit(office):
    since = last_sequence()
    case = open_case(
        office.administrator, office.practitioner, owner=office.manager, categories=["probity", "clinical", "probity"]
    )
    assert case.status == Status.RECEIVED
    assert case.organisation == office.organisation
    assert case.categories == ["clinical", "probity"]  # in the list's order, once each
    assert set(CaseTeamMember.objects.filter(case=case).values_list("user_id", flat=True)) == {
        office.manager.pk,
        office.administrator.pk,
    }
    (event,) = TimelineEvent.objects.filter(case=case)
    assert (event.kind, event.title, event.detail, event.actor) == (
        "opened",
        "Case opened",
        f"Owner: {office.manager.full_name}",
        office.administrator,
    )
    (audit,) = audit_since(since)
    assert (audit.action, audit.object_type, audit.object_id, audit.actor_id, audit.organisation_id) == (
        "create",
        "case",
        str(case.pk),
        office.administrator.pk,
        office.organisation.pk,
    )
    assert audit.details == {"reference": case.reference}


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"received_on": "tomorrow"}, {"received_on": ["The date the concern was received must be today or in the past"]}),
        ({"categories": []}, {"categories": ["Select at least one category"]}),
        ({"categories": ["clinical", "gossip"]}, {"categories": ["Select at least one category"]}),
        ({"source": "rumour"}, "source"),
        ({"summary": ""}, "summary"),
    ],
    ids=["future-date", "no-category", "unknown-category", "unknown-source", "blank-summary"],
)
@pytest.mark.django_db
def test_a_refused_case_uses_no_reference_and_leaves_no_trace(office, changes, error):
    if changes.get("received_on") == "tomorrow":
        changes = {"received_on": timezone.localdate() + dt.timedelta(days=1)}
    since = last_sequence()
    with pytest.raises(ValidationError) as refused:
        open_case(office.manager, office.practitioner, **changes)
    if isinstance(error, dict):
        assert refused.value.message_dict == error
    else:
        assert error in refused.value.message_dict
    assert not Case.objects.filter(organisation=office.organisation).exists()
    assert not TimelineEvent.objects.filter(case__organisation=office.organisation).exists()
    assert audit_since(since) == []
    assert not CaseReferenceCounter.objects.filter(organisation=office.organisation, last_number__gt=0).exists()
    assert open_case(office.manager, office.practitioner).reference == "LOT-2026-00001"


@pytest.mark.django_db
def test_practitioner_and_owner_must_belong_to_the_organisation(office):
    outsider_practitioner = PractitionerFactory()
    outsider_manager = UserFactory(roles=(Role.CASE_MANAGER,))
    for kwargs in ({"practitioner": outsider_practitioner}, {"practitioner": office.practitioner, "owner": outsider_manager}):
        with pytest.raises(ValidationError, match="must belong to your organisation"):
            open_case(office.manager, **kwargs)
    assert not Case.objects.filter(organisation=office.organisation).exists()


@pytest.mark.parametrize("role", [Role.PROFESSIONAL_ADVISOR, Role.PANEL_MEMBER, Role.PASTORAL_CONTACT, Role.PRACTITIONER, Role.ANALYST])
@pytest.mark.django_db
def test_only_managers_and_administrators_open_cases(office, role):
    actor = UserFactory(organisation=office.organisation, roles=(role,))
    with pytest.raises(PermissionDenied):
        open_case(actor, office.practitioner, owner=office.manager)
    assert not Case.objects.filter(organisation=office.organisation).exists()


# --------------------------------------------------------------------------------------
# The status workflow

M, A, PA, PM = Role.CASE_MANAGER, Role.ADMINISTRATOR, Role.PROFESSIONAL_ADVISOR, Role.PANEL_MEMBER

#: The workflow as the issue describes it, written out independently of workflow.py.
EXPECTED_TABLE = {
    ("received", "triage"): {M, A},
    ("triage", "awaiting_panel"): {M, A, PA},
    ("awaiting_panel", "investigation"): {M, A, PM},
    ("awaiting_panel", "remediation"): {M, A, PM},
    ("awaiting_panel", "closed"): {M, A, PM},
    ("investigation", "awaiting_panel"): {M, A},
    ("investigation", "remediation"): {M, A},
    ("investigation", "closed"): {M, A},
    ("remediation", "awaiting_panel"): {M, A},
    ("remediation", "closed"): {M, A},
    **{(source, "withdrawn"): {M, A} for source in ("received", "triage", "awaiting_panel", "investigation", "remediation")},
}

ROLE_USERS = ["administrator", "case_manager", "professional_advisor", "panel_member", "pastoral_contact", "practitioner", "analyst"]
TEAM = ["case_manager", "professional_advisor", "panel_member", "pastoral_contact"]
#: Of those raw team rows only these count (docs/adr/0016): the panel member moves a case by
#: recording the panel's decision, not from the case page, and the pastoral contact never.
COUNTING_TEAM = {"administrator", "case_manager", "professional_advisor"}


def test_the_transition_table_is_the_one_in_the_issue():
    assert {(t.source.value, t.target.value): set(t.roles) for t in TRANSITIONS} == EXPECTED_TABLE
    assert len(TRANSITIONS) == len(EXPECTED_TABLE)  # no pair twice


def case_in(world, status: str) -> Case:
    case = CaseFactory(
        organisation=world.organisation,
        practitioner=world.practitioner,
        owner=world.users["case_manager"],
        status=status,
        team=[world.users[name] for name in TEAM],
    )
    if status == "triage":  # a case goes to the panel only once its triage is shared (issue 19)
        shared_triage(case, world.users["professional_advisor"])
    return case


@pytest.mark.parametrize("pair", sorted(EXPECTED_TABLE), ids=lambda p: f"{p[0]}-to-{p[1]}")
@pytest.mark.django_db
def test_each_transition_is_allowed_to_its_roles_only_and_is_recorded(world, pair):
    source, target = pair
    for name in ROLE_USERS:
        user = world.users[name]
        case = case_in(world, source)
        version = case.version
        since = last_sequence()
        reason = f"  Reason given by the {name.replace('_', ' ')}  "
        if user.roles & EXPECTED_TABLE[pair] and name in COUNTING_TEAM:
            moved = services.case_transition(actor=user, case=case, target=target, reason=reason)
            assert moved.status == target
            case.refresh_from_db()
            assert (case.status, case.version) == (target, version + 1)
            # Entering triage also opens the support plan, with its own entries (tests/support).
            (event,) = TimelineEvent.objects.filter(case=case, kind="status")
            assert (event.kind, event.actor, event.detail) == ("status", user, reason.strip())
            assert event.title == f"{STATUS_LABELS[Status(source)]} to {STATUS_LABELS[Status(target)]}"
            (audit,) = [event for event in audit_since(since) if event.object_type == "case"]
            assert (audit.action, audit.object_type, audit.object_id, audit.actor_id) == (
                "transition",
                "case",
                str(case.pk),
                user.pk,
            )
            assert audit.details == {"source": source, "target": target}
        else:
            with pytest.raises(PermissionDenied):
                services.case_transition(actor=user, case=case, target=target, reason=reason)
            case.refresh_from_db()
            assert (case.status, case.version) == (source, version)
            assert not TimelineEvent.objects.filter(case=case).exists()
            assert audit_since(since) == []


@pytest.mark.parametrize("pair", sorted(EXPECTED_TABLE), ids=lambda p: f"{p[0]}-to-{p[1]}")
@pytest.mark.django_db
def test_staff_off_the_case_cannot_move_it(world, pair):
    source, target = pair
    for name in ("off_team_case_manager", "other_org_administrator"):
        case = case_in(world, source)
        with pytest.raises(PermissionDenied):
            services.case_transition(actor=world.users[name], case=case, target=target, reason="Not my case")
        case.refresh_from_db()
        assert case.status == source


NOT_IN_TABLE = [
    (source.value, target.value)
    for source, target in itertools.product(Status, Status)
    if (source.value, target.value) not in EXPECTED_TABLE
]


@pytest.mark.parametrize("pair", NOT_IN_TABLE, ids=lambda p: f"{p[0]}-to-{p[1]}")
@pytest.mark.django_db
def test_moves_outside_the_table_are_refused(world, pair):
    source, target = pair
    case = case_in(world, source)
    since = last_sequence()
    with pytest.raises(ValidationError) as refused:
        services.case_transition(actor=world.users["administrator"], case=case, target=target, reason="Because")
    assert refused.value.message_dict == {
        "target": [f"A case that is {STATUS_LABELS[Status(source)].lower()} cannot move to that status"]
    }
    case.refresh_from_db()
    assert case.status == source
    assert not TimelineEvent.objects.filter(case=case).exists()
    assert audit_since(since) == []


@pytest.mark.parametrize("final", ["closed", "withdrawn"])
@pytest.mark.django_db
def test_closed_and_withdrawn_cases_are_final(world, final):
    assert transitions_from(final, frozenset(Role)) == []
    case = case_in(world, final)
    for target in [*Status, "archived"]:
        with pytest.raises(ValidationError):
            services.case_transition(actor=world.users["administrator"], case=case, target=target, reason="Reopen")
    case.refresh_from_db()
    assert case.status == final
    assert find_transition(final, "received") is None


@pytest.mark.parametrize("reason", ["", "   ", "\r\n\t"])
@pytest.mark.django_db
def test_a_transition_needs_a_reason(world, reason):
    case = case_in(world, "received")
    since = last_sequence()
    with pytest.raises(ValidationError) as refused:
        services.case_transition(actor=world.users["case_manager"], case=case, target="triage", reason=reason)
    assert refused.value.message_dict == {"reason": ["Enter the reason for this change"]}
    case.refresh_from_db()
    assert (case.status, case.version) == ("received", 1)
    assert not TimelineEvent.objects.filter(case=case).exists()
    assert audit_since(since) == []


@pytest.mark.django_db
def test_a_transition_from_a_status_that_has_moved_on_is_stale(world):
    case = case_in(world, "received")
    seen_by_second = Case.objects.get(pk=case.pk)
    services.case_transition(actor=world.users["case_manager"], case=case, target="triage", reason="First")
    with pytest.raises(services.StaleEdit):
        services.case_transition(
            actor=world.users["administrator"], case=seen_by_second, target="withdrawn", reason="Second"
        )
    fresh = Case.objects.get(pk=case.pk)
    with pytest.raises(services.StaleEdit):
        services.case_transition(
            actor=world.users["administrator"], case=fresh, target="withdrawn", reason="Second",
            expected_status="received",
        )
    case.refresh_from_db()
    assert case.status == "triage"
    assert TimelineEvent.objects.filter(case=case, kind="status").count() == 1


@pytest.mark.django_db
def test_the_whole_journey_is_on_the_timeline_newest_first(world):
    case = case_in(world, "received")
    journey = ["triage", "awaiting_panel", "investigation", "remediation", "closed"]
    for target in journey:
        if target == "awaiting_panel":  # the panel needs shared triage (issue 19)
            shared_triage(case, world.users["professional_advisor"])
        services.case_transition(actor=world.users["case_manager"], case=case, target=target, reason=f"Now {target}")
    titles = list(TimelineEvent.objects.filter(case=case).values_list("title", flat=True))
    assert titles == [
        "Remediation and monitoring to Closed",
        "Investigation to Remediation and monitoring",
        "Awaiting panel to Investigation",
        "Triage to Awaiting panel",
        "Support plan opened",  # entering triage opens the support plan (lotus.support)
        "Received to Triage",
    ]
    assert [e.details["target"] for e in AuditEvent.objects.filter(action="transition", object_id=str(case.pk))] == journey


# --------------------------------------------------------------------------------------
# The summary


@pytest.mark.django_db
def test_summary_change_raises_the_version_and_is_recorded(world):
    since = last_sequence()
    case = services.case_update_summary(
        actor=world.users["case_manager"], case=world.case, summary="  A clearer summary.  ", expected_version=1
    )
    assert (case.summary, case.version) == ("A clearer summary.", 2)
    (event,) = TimelineEvent.objects.filter(case=world.case)
    assert (event.kind, event.title) == ("summary", "Summary changed")
    (audit,) = audit_since(since)
    assert (audit.action, audit.details) == ("change", {"field": "summary", "version": 2})


@pytest.mark.django_db
def test_summary_change_from_an_old_version_is_stale_and_saves_nothing(world):
    services.case_update_summary(actor=world.users["case_manager"], case=world.case, summary="First", expected_version=1)
    since = last_sequence()
    with pytest.raises(services.StaleEdit):
        services.case_update_summary(
            actor=world.users["administrator"], case=world.case, summary="Second", expected_version=1
        )
    world.case.refresh_from_db()
    assert (world.case.summary, world.case.version) == ("First", 2)
    assert audit_since(since) == []


@pytest.mark.django_db
def test_summary_rules(world):
    with pytest.raises(ValidationError, match="Enter a summary of the concern"):
        services.case_update_summary(actor=world.users["case_manager"], case=world.case, summary=" ", expected_version=1)
    for name in ("professional_advisor", "panel_member", "pastoral_contact", "off_team_case_manager"):
        with pytest.raises(PermissionDenied):
            services.case_update_summary(actor=world.users[name], case=world.case, summary="Mine", expected_version=1)
    closed = case_in(world, "closed")
    with pytest.raises(ValidationError, match="This case is closed"):
        services.case_update_summary(actor=world.users["case_manager"], case=closed, summary="Late", expected_version=1)
    world.case.refresh_from_db()
    assert world.case.version == 1


# --------------------------------------------------------------------------------------
# Documents


@pytest.fixture
def document(world, settings, tmp_path):
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    return services.document_upload(
        actor=world.users["professional_advisor"],
        case=world.case,
        title="Practice statement",
        file_name="statement.txt",
        data=b"A fictional statement.\n",
    )


@pytest.mark.django_db
def test_withdrawing_a_document_keeps_it_and_records_why(world, document):
    since = last_sequence()
    services.document_withdraw(
        actor=world.users["case_manager"], document=document, reason="  Sent to us in error  "
    )
    document.refresh_from_db()
    assert document.is_withdrawn
    assert (document.withdrawn_by, document.withdrawn_reason) == (world.users["case_manager"], "Sent to us in error")
    assert Document.objects.filter(pk=document.pk).exists()
    assert services.document_path(document).read_bytes() == b"A fictional statement.\n"
    event = TimelineEvent.objects.filter(case=world.case).first()
    assert (event.kind, event.title, event.detail) == ("document", "Document withdrawn: Practice statement", "Sent to us in error")
    (audit,) = audit_since(since)
    assert (audit.action, audit.object_type, audit.object_id, audit.details) == (
        "withdraw",
        "document",
        str(document.pk),
        {"case": world.case.pk},
    )
    # The upload stays in the audit trail beside the withdrawal.
    assert list(
        AuditEvent.objects.filter(object_type="document", object_id=str(document.pk)).values_list("action", flat=True)
    ) == ["upload", "withdraw"]


@pytest.mark.django_db
def test_withdrawing_needs_a_reason_a_manager_and_happens_once(world, document):
    manager = world.users["case_manager"]
    with pytest.raises(ValidationError, match="Enter the reason for withdrawing the document"):
        services.document_withdraw(actor=manager, document=document, reason="  ")
    for name in ("professional_advisor", "panel_member", "pastoral_contact", "off_team_case_manager"):
        with pytest.raises(PermissionDenied):
            services.document_withdraw(actor=world.users[name], document=document, reason="Mine to withdraw")
    document.refresh_from_db()
    assert not document.is_withdrawn
    services.document_withdraw(actor=manager, document=document, reason="First reason")
    since = last_sequence()
    with pytest.raises(ValidationError, match="This document has already been withdrawn"):
        services.document_withdraw(actor=manager, document=document, reason="Second reason")
    document.refresh_from_db()
    assert document.withdrawn_reason == "First reason"
    assert audit_since(since) == []


@pytest.mark.django_db
def test_documents_of_a_closed_case_cannot_be_withdrawn(world, document):
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    world.case.refresh_from_db()
    document.refresh_from_db()
    with pytest.raises((ValidationError, PermissionDenied)):
        services.document_withdraw(actor=world.users["case_manager"], document=document, reason="After closing")
    document.refresh_from_db()
    assert not document.is_withdrawn


# --------------------------------------------------------------------------------------
# Tasks


@pytest.mark.django_db
def test_adding_a_task_is_recorded(world):
    since = last_sequence()
    task = services.task_create(
        actor=world.users["case_manager"],
        case=world.case,
        title="  Ask for the rota  ",
        owner=world.users["professional_advisor"],
        due_on=dt.date(2027, 1, 15),
    )
    assert (task.title, task.owner, task.done_at) == ("Ask for the rota", world.users["professional_advisor"], None)
    (event,) = TimelineEvent.objects.filter(case=world.case)
    assert (event.kind, event.title, event.detail) == ("task", "Task added: Ask for the rota", "Due 15/01/2027")
    (audit,) = audit_since(since)
    assert (audit.action, audit.object_type, audit.object_id, audit.details) == (
        "create",
        "task",
        str(task.pk),
        {"case": world.case.pk},
    )


@pytest.mark.django_db
def test_task_rules(world):
    manager = world.users["case_manager"]
    with pytest.raises(ValidationError):
        services.task_create(actor=manager, case=world.case, title="Elsewhere", owner=world.users["other_org_administrator"], due_on=dt.date(2027, 1, 1))
    with pytest.raises(PermissionDenied):
        services.task_create(actor=world.users["panel_member"], case=world.case, title="Mine", owner=manager, due_on=dt.date(2027, 1, 1))
    with pytest.raises(ValidationError):
        services.task_create(actor=manager, case=case_in(world, "closed"), title="Late", owner=manager, due_on=dt.date(2027, 1, 1))
    assert not Task.objects.exists()


@pytest.mark.django_db
def test_completing_a_task_is_recorded_once(world):
    task = TaskFactory(case=world.case, title="Book the panel room", owner=world.users["case_manager"])
    since = last_sequence()
    services.task_complete(actor=world.users["case_manager"], task=task)
    task.refresh_from_db()
    done_at = task.done_at
    assert done_at is not None
    (event,) = TimelineEvent.objects.filter(case=world.case)
    assert (event.kind, event.title, event.actor) == ("task", "Task done: Book the panel room", world.users["case_manager"])
    (audit,) = audit_since(since)
    assert (audit.action, audit.object_type, audit.object_id, audit.details) == (
        "change",
        "task",
        str(task.pk),
        {"case": world.case.pk, "done": True},
    )
    services.task_complete(actor=world.users["case_manager"], task=task)  # again: nothing more happens
    task.refresh_from_db()
    assert task.done_at == done_at
    assert TimelineEvent.objects.filter(case=world.case).count() == 1
    assert len(audit_since(since)) == 1


@pytest.mark.django_db
def test_who_may_complete_a_task(world):
    task = TaskFactory(case=world.case, owner=world.users["professional_advisor"])
    for name in ("panel_member", "pastoral_contact", "off_team_case_manager", "other_org_administrator", "analyst"):
        with pytest.raises(PermissionDenied):
            services.task_complete(actor=world.users[name], task=task)
    task.refresh_from_db()
    assert task.done_at is None
    services.task_complete(actor=world.users["professional_advisor"], task=task)  # the task's owner may
    task.refresh_from_db()
    assert task.done_at is not None


@pytest.mark.django_db
def test_tasks_of_a_closed_case_cannot_be_completed(world):
    closed = case_in(world, "closed")
    task = TaskFactory(case=closed, owner=world.users["case_manager"])
    with pytest.raises((ValidationError, PermissionDenied)):
        services.task_complete(actor=world.users["case_manager"], task=task)
    task.refresh_from_db()
    assert task.done_at is None
    assert not TimelineEvent.objects.filter(case=closed).exists()


# --------------------------------------------------------------------------------------
# The case team


@pytest.mark.django_db
def test_team_rules(world):
    manager = world.users["case_manager"]
    since = last_sequence()
    services.case_team_add(actor=manager, case=world.case, member=world.users["off_team_case_manager"])
    assert CaseTeamMember.objects.filter(case=world.case, user=world.users["off_team_case_manager"]).exists()
    event = TimelineEvent.objects.filter(case=world.case).first()
    assert event.title == "Off Team Case Manager joined the case team"
    assert [a.action for a in audit_since(since)] == ["change"]
    with pytest.raises(ValidationError, match="is already on the case team"):
        services.case_team_add(actor=manager, case=world.case, member=world.users["professional_advisor"])
    for name in ("analyst", "practitioner"):  # docs/adr/0016
        with pytest.raises(ValidationError, match="Only administrators, case managers and professional advisors"):
            services.case_team_add(actor=manager, case=world.case, member=world.users[name])
    with pytest.raises(ValidationError, match="Select a member of staff from your organisation"):
        services.case_team_add(actor=manager, case=world.case, member=world.users["other_org_administrator"])
    with pytest.raises(PermissionDenied):
        services.case_team_add(actor=world.users["panel_member"], case=world.case, member=world.users["administrator"])
