"""`lotus demo --scale` on an empty database loads the demo first."""

from lotus.audit.models import AuditEvent
from tests.nonprod.test_demo import run_demo, verify_audit


def test_demo_scale_on_a_fresh_database_loads_the_demo_first(db):
    output = run_demo(scale=10, quiet_sign_ins=True)
    assert "Demo data loaded." in output and "Added 10 cases." in output
    assert f"{AuditEvent.objects.count()} events" in verify_audit()
