"""Issue 19 point 8: why a support matter is not needed belongs to "not needed". When the
matter is put in place (or back to not started), the reason is cleared, what it said is
kept as a cleared answer (lotus.cases.services.answers_clear), an audit event names the
field (never the text), and no page or API response shows it any more."""

import pytest
from django.urls import reverse
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases.models import ClearedAnswer, TimelineEvent
from lotus.support import services
from tests.support.test_pages import date_parts

pytestmark = pytest.mark.django_db

REASON = "Fictional: the practitioner has a mentor already through the deanery."


def _shown(world, client_for, api_for):
    case = world.case.pk
    manager = client_for("case_manager")
    return {
        "support plan page": manager.get(reverse("support:show_plan", args=[case])),
        "matter form": manager.get(reverse("support:record_matter", args=[case, "guidance"])),
        "case page": manager.get(reverse("cases:show_case", args=[case])),
        "api support plan": api_for("case_manager").get(f"/api/v1/cases/{case}/support-plan/"),
        "api timeline": api_for("case_manager").get(f"/api/v1/cases/{case}/timeline/"),
    }


@pytest.mark.parametrize("status", ["in_place", "not_started"])
def test_a_matter_needed_after_all_clears_the_reason_and_keeps_it(world, plan, client_for, api_for, status):
    manager = world.users["case_manager"]
    row = services.matter_record(actor=manager, plan=plan, matter="guidance", status="not_needed",
                                 status_on=timezone.localdate(), reason_not_needed=REASON)
    assert REASON in _shown(world, client_for, api_for)["support plan page"].content.decode()  # the control

    fields = {"status": status, "notes": ""}
    if status == "in_place":
        fields.update(date_parts("status_on", timezone.localdate()))
    response = client_for("case_manager").post(reverse("support:record_matter", args=[world.case.pk, "guidance"]),
                                               {**fields, "reason_not_needed": REASON})
    assert response.status_code == 302

    row.refresh_from_db()
    assert row.status == status and row.reason_not_needed == ""
    kept = ClearedAnswer.objects.get(object_type="support_matter", object_id=row.pk)
    assert (kept.field, kept.text, kept.case_id, kept.cleared_by) == ("reason_not_needed", REASON, world.case.pk, manager)
    event = AuditEvent.objects.filter(object_type="support_matter", details__cleared__isnull=False).get()
    assert event.details["cleared"] == ["reason_not_needed"]
    assert REASON not in str(list(AuditEvent.objects.values_list("details", flat=True)))
    entry = TimelineEvent.objects.filter(case=world.case, kind=TimelineEvent.Kind.SUPPORT).first()
    assert "no longer recorded as not needed" in entry.title and REASON not in entry.detail
    for name, response in _shown(world, client_for, api_for).items():
        assert response.status_code == 200, name
        assert REASON not in response.content.decode(), name


def test_a_new_reason_for_not_needed_is_an_edit_not_a_cleared_answer(world, plan):
    manager = world.users["case_manager"]
    for reason in (REASON, "Fictional: guidance was shared at the first meeting."):
        services.matter_record(actor=manager, plan=plan, matter="guidance", status="not_needed",
                               status_on=timezone.localdate(), reason_not_needed=reason)
    assert not ClearedAnswer.objects.exists()
