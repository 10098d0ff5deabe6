"""A failed authorisation attempt (404 for a record outside the user's reach, or for no
record at all) writes one `access denied` event naming the actor, the target and the
route, for practitioners as for cases (tests/cases/test_forms_bad_input.py covers cases)."""

import pytest

from lotus.audit.models import AuditEvent
from lotus.audit.services import audit_verify
from tests.audit_details import without_request_id
from tests.factories import PractitionerFactory

MISSING_ID = 987654


def denials_since(sequence: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=sequence, action="access denied").order_by("sequence"))


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("case_manager", "other_org"),  # may see the register, but only their organisation's
        ("case_manager", "missing"),
        ("practitioner", "own_org"),  # no register at all
        ("analyst", "own_org"),
        ("other_org_administrator", "own_org"),
    ],
)
@pytest.mark.parametrize("page", ["", "equality/"])
@pytest.mark.django_db
def test_a_practitioner_out_of_reach_is_an_audited_404(world, client_for, role, target, page):
    practitioner_id = {
        "own_org": world.practitioner.pk,
        "other_org": PractitionerFactory(organisation=world.other_organisation).pk,
        "missing": MISSING_ID,
    }[target]
    user = world.users[role]
    since = last_sequence()

    response = client_for(role).get(f"/practitioners/{practitioner_id}/{page}")

    assert response.status_code == 404
    [event] = denials_since(since)
    assert (event.actor_id, event.actor_label) == (user.pk, user.email)
    assert (event.object_type, event.object_id) == ("practitioner", str(practitioner_id))
    assert without_request_id(event.details) == {"route": f"/practitioners/{practitioner_id}/{page}"}
    assert event.organisation_id == user.organisation_id
    assert audit_verify().ok


@pytest.mark.django_db
def test_an_equality_record_out_of_reach_is_an_audited_404(world, client_for):
    """A case manager may open the practitioner but not their equality record."""
    user = world.users["case_manager"]
    since = last_sequence()

    response = client_for("case_manager").post(f"/practitioners/{world.practitioner.pk}/equality/", {"sex": "male"})

    assert response.status_code == 404
    [event] = denials_since(since)
    assert (event.actor_id, event.object_type, event.object_id) == (
        user.pk, "equality_monitoring", str(world.practitioner.pk)
    )
    assert without_request_id(event.details) == {"route": f"/practitioners/{world.practitioner.pk}/equality/"}
