"""A leader's toolkit data is theirs alone: 404 and an audit event for anyone else, no
content in the audit trail, export and delete everything."""

import pytest
from django.urls import reverse

from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from lotus.audit.services import Actions
from lotus.toolkit import services
from lotus.toolkit.models import (
    ActionItem,
    AssessmentAttempt,
    JournalEntry,
    Routine,
    RoutineCheck,
    TeamSession,
)
from tests.audit_details import without_request_id
from tests.factories import UserFactory
from tests.toolkit.helpers import complete_attempt, saved_entry

pytestmark = pytest.mark.django_db

SECRET = "A private fictional worry about the Thursday panel"


@pytest.fixture
def records(world):
    leader = world.users["case_manager"]
    entry = saved_entry(leader, text=SECRET, actions=[services.ActionRow(what=SECRET + " action")])
    attempt = complete_attempt(leader, "inclusion", subject=SECRET)
    session = services.team_session_start(actor=leader, instrument="team-equity", title="Fictional team")
    return {
        "toolkit:show_entry": {"entry_id": entry.pk},
        "toolkit:edit_entry": {"entry_id": entry.pk},
        "toolkit:download_entry": {"entry_id": entry.pk},
        "toolkit:show_assessment": {"attempt_id": attempt.pk},
        "toolkit:continue_assessment": {"attempt_id": attempt.pk},
        "toolkit:review_action": {"action_id": entry.actions.get().pk},
        "toolkit:show_team_session": {"session_id": session.pk},
    }


@pytest.mark.parametrize("role", ["administrator", "off_team_case_manager", "other_org_administrator", "analyst"])
def test_anyone_else_gets_404_and_the_attempt_is_audited(world, client_for, records, role):
    client = client_for(role)
    for name, kwargs in records.items():
        before = AuditEvent.objects.filter(action=Actions.ACCESS_DENIED).count()
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 404, name
        assert SECRET not in response.content.decode()
        denied = AuditEvent.objects.filter(action=Actions.ACCESS_DENIED).order_by("-sequence")
        assert denied.count() == before + 1, name
        assert denied.first().actor_id == world.users[role].pk


def test_nothing_a_leader_wrote_reaches_the_audit_trail(world, client_for, records):
    client = client_for("case_manager")
    for name, kwargs in records.items():
        client.get(reverse(name, kwargs=kwargs))
    client.get(reverse("toolkit:download_everything"))
    for event in AuditEvent.objects.all():
        assert "private fictional worry" not in str(event.details)
        assert "private fictional worry" not in event.object_id


def test_reading_a_record_is_audited_for_its_owner(world, client_for, records):
    client_for("case_manager").get(reverse("toolkit:show_entry", kwargs=records["toolkit:show_entry"]))
    event = AuditEvent.objects.filter(action=Actions.VIEW, object_type="toolkit entry").get()
    assert event.actor_id == world.users["case_manager"].pk


def test_export_has_everything_and_is_audited(world, client_for, records):
    response = client_for("case_manager").get(reverse("toolkit:download_everything"))
    text = response.content.decode()
    assert response["Content-Disposition"].startswith('attachment; filename="lotus-toolkit-')
    assert SECRET in text and "The inclusion scale, for one group" in text and "Fictional team" in text
    assert AuditEvent.objects.filter(action=Actions.EXPORT, object_type="toolkit").exists()
    # someone else's export does not include it
    assert SECRET not in client_for("administrator").get(reverse("toolkit:download_everything")).content.decode()


def test_delete_everything_needs_confirming_then_removes_only_their_records(world, client_for, records):
    other = saved_entry(world.users["administrator"], text="Someone else's reflection")
    client = client_for("case_manager")
    response = client.post(reverse("toolkit:delete_everything"), {})
    assert "Confirm that you understand this cannot be undone" in response.content.decode()
    assert JournalEntry.objects.filter(owner=world.users["case_manager"]).exists()
    client.post(reverse("toolkit:choose_routines"), {"practices": ["connect"]})
    response = client.post(reverse("toolkit:delete_everything"), {"confirm": "on"})
    assert response["Location"] == reverse("toolkit:home")
    leader = world.users["case_manager"]
    for model, field in ((JournalEntry, "owner"), (ActionItem, "owner"), (AssessmentAttempt, "owner"),
                         (Routine, "owner"), (TeamSession, "facilitator")):
        assert not model.objects.filter(**{field: leader}).exists(), model
    assert not RoutineCheck.objects.filter(routine__owner=leader).exists()
    assert JournalEntry.objects.filter(pk=other.pk).exists()
    event = AuditEvent.objects.filter(action="delete", object_type="toolkit").get()
    assert without_request_id(event.details) == {"assessments": 1, "entries": 1, "actions": 1, "routines": 1, "team_sessions": 1}


def test_organisation_usage_is_counts_only_with_small_numbers_suppressed(world, client_for, records):
    page = client_for("analyst").get(reverse("toolkit:show_usage")).content.decode()
    assert "fewer than 8" in page
    assert SECRET not in page and "Case Manager" not in page
    # Figures count people, not rows (tests/toolkit/test_usage_suppression.py): eight more
    # leaders, one reflection each.
    for n in range(7):
        saved_entry(UserFactory(organisation=world.organisation, roles=[Role.CASE_MANAGER]), text=f"Entry {n}")
    saved_entry(world.users["administrator"], text="Entry 7")
    page = client_for("administrator").get(reverse("toolkit:show_usage")).content.decode()
    assert "<td>9</td>" in page  # 8 new reflections and the case manager's, from 9 leaders
    assert "Entry 3" not in page
    # another organisation's use is not counted
    page = client_for("other_org_administrator").get(reverse("toolkit:show_usage")).content.decode()
    assert "fewer than 8" not in page and "<td>9</td>" not in page
    assert AuditEvent.objects.filter(object_type="toolkit usage").count() == 3


def test_everything_and_one_reflection_download_as_pdf_too(world, client_for, records):
    from lotus.core.documents import Line
    from lotus.toolkit.exports import markdown_lines

    client = client_for("case_manager")
    response = client.get(reverse("toolkit:download_everything"), {"format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    assert response.content.startswith(b"%PDF-") and b"/Type /Page" in response.content
    entry = client.get(reverse("toolkit:download_entry", kwargs=records["toolkit:show_entry"]), {"format": "pdf"})
    assert entry.status_code == 200 and entry.content.startswith(b"%PDF-")
    # What the leader wrote is body text, never a heading, however it starts.
    lines = markdown_lines("# Title\n\n## Part\n\n> # not a heading\n> second line\n\n- an action")
    assert lines == [Line("Title", "title"), Line("Part", "heading"), Line("# not a heading"),
                     Line("second line"), Line("- an action")]
    # Someone else's reflection is still a 404 as a PDF.
    other = client_for("administrator").get(reverse("toolkit:download_entry", kwargs=records["toolkit:show_entry"]),
                                            {"format": "pdf"})
    assert other.status_code == 404
