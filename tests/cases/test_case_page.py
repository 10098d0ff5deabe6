import pytest

from lotus.audit.models import AuditEvent


@pytest.mark.django_db
def test_case_manager_on_team_sees_case_and_the_view_is_audited(world, client_for):
    response = client_for("case_manager").get(f"/cases/{world.case.pk}/")
    assert response.status_code == 200
    assert world.case.reference.encode() in response.content
    event = AuditEvent.objects.filter(action="view", object_type="case").last()
    assert event.object_id == str(world.case.pk)
    assert event.actor_id == world.users["case_manager"].pk


@pytest.mark.django_db
def test_out_of_reach_case_is_404_and_audited(world, client_for):
    response = client_for("off_team_case_manager").get(f"/cases/{world.case.pk}/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert AuditEvent.objects.filter(action="access denied", object_id=str(world.case.pk)).exists()
