"""What the named pastoral contact can reach: the support side of their one case, never
its evidence, triage, letters, documents, performance plans or decisions.

The walk below takes every URL the project registers (so the triage, letters and panel
pages of the other issues are covered as soon as they exist) and proves each one that
names the case answers 404 to the pastoral contact and writes an "access denied" event,
except the support pages they are meant to use."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases import services as case_services
from lotus.cases.models import Case
from lotus.support import services
from tests.test_access_matrix import (
    equity_objects,
    get_status,
    learning_objects,
    panel_objects,
    registered_url_names,
    report_objects,
    support_objects,
    upload_txt,
)

pytestmark = pytest.mark.django_db

#: The support pages the named pastoral contact uses, and what they answer.
PASTORAL_PAGES = {
    "support:list_my_plans": 200,
    "support:list_signposts": 200,
    "support:show_plan": 200,
    "support:record_preferences": 200,
    "support:log_contact": 200,
    "cases:list_cases": 200,  # staff see the list, which holds only their team's cases (none)
    # Probes for load balancers answer everyone and show no data (ADR 0022); /metrics
    # needs its token, so it is 404 here as for everyone.
    "ops:liveness": 200,
    "ops:readiness": 200,
    # The learning library is open to every staff user (issue 12): anonymised summaries
    # only, with the factor vocabulary they are coded in. Nothing about a case.
    "learning:library": 200,
    "learning:show_library_summary": 200,
    "learning:print_bulletin": 200,
    "learning:bulletin_pdf": 200,
    "learning:list_factors": 200,
}
#: Pages about the person themselves, not a case.
OWN_ACCOUNT = ("core:", "accounts:", "api:list_tokens", "api:create_token", "toolkit:")


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


@pytest.fixture
def objects(world, helper):
    manager = world.users["case_manager"]
    # The annual report pages (docs/adr/0023): organisation A's issued report, sent to an
    # ICB, and its membership; a pastoral contact reaches none of them.
    found = {**support_objects(world), **panel_objects(world), **learning_objects(world), **report_objects(world),
             "table": "concerns-by-source", **equity_objects(world)}
    plan = Case.objects.get(pk=world.case.pk).support_plan
    services.pastoral_contact_assign(actor=manager, plan=plan, person=helper)
    document = upload_txt(manager, world.case, title="Fictional witness statement")
    task = case_services.task_create(actor=manager, case=world.case, title="Fictional task", owner=manager,
                                     due_on=timezone.localdate() + dt.timedelta(days=3))
    return {
        **found,
        "case_id": world.case.pk,
        "document_id": document.pk,
        "task_id": task.pk,
        "practitioner_id": world.practitioner.pk,
        "token_id": 1,
        "user_id": world.users["panel_member"].pk,
        "action": "disable",
        "fmt": "pdf",
    }


def test_the_named_pastoral_contact_reaches_the_support_side_only(world, helper, helper_client, objects):
    results, denied_without_audit = {}, []
    for name, params in sorted(registered_url_names().items()):
        if name.startswith(OWN_ACCOUNT) or name == "api:revoke_token":
            continue
        url = reverse(name, kwargs={p: objects[p] for p in params})
        since = last_sequence()
        status, _ = get_status(helper_client, url)
        results[name] = status
        audited = AuditEvent.objects.filter(sequence__gt=since, action="access denied", actor_id=helper.pk)
        if status == 404 and "case_id" in params and not audited.exists():
            denied_without_audit.append(name)
    expected = {name: PASTORAL_PAGES.get(name, 404) for name in results}
    # POST-only pages answer 405 to a GET before any check; they are checked by POST below.
    expected.update({name: 405 for name, status in results.items() if status == 405})
    assert results == expected
    assert denied_without_audit == []


def test_posting_to_a_case_page_is_refused_too(world, helper_client, objects):
    url = reverse("cases:complete_task", kwargs={"case_id": objects["case_id"], "task_id": objects["task_id"]})
    assert helper_client.post(url).status_code == 404


def test_the_plan_page_shows_no_evidence_or_health_details(world, helper, helper_client, objects):
    manager = world.users["case_manager"]
    plan = Case.objects.get(pk=world.case.pk).support_plan
    services.oh_referral_record(
        actor=manager, plan=plan, referred_on=timezone.localdate(), consent="given",
        consent_on=timezone.localdate(), report_received_on=timezone.localdate(),
        health_details="Fictional diagnosis that must stay private",
    )
    html = helper_client.get(reverse("support:show_plan", kwargs={"case_id": world.case.pk})).content.decode()
    assert "Support plan for" in html
    for secret in (world.case.summary, "Fictional witness statement", "Fictional diagnosis", "A fictional problem"):
        assert secret not in html
    assert f'href="{reverse("cases:show_case", args=[world.case.pk])}"' not in html
    # The case manager sees the health details, so their absence above is no accident.
    manager_html = signed_in(manager).get(reverse("support:show_plan", kwargs={"case_id": world.case.pk}))
    assert "Fictional diagnosis" in manager_html.content.decode()


def test_the_case_list_does_not_show_the_case_to_the_pastoral_contact(world, helper_client, objects):
    html = helper_client.get(reverse("cases:list_cases")).content.decode()
    assert world.case.reference not in html


def test_the_pastoral_contact_sees_their_people(world, helper_client, objects):
    html = helper_client.get(reverse("support:list_my_plans")).content.decode()
    assert world.case.practitioner.full_name in html


def test_another_cases_plan_is_out_of_reach(world, helper, helper_client, objects):
    services.plan_open(actor=world.users["off_team_case_manager"], case=world.other_team_case)
    since = last_sequence()
    url = reverse("support:show_plan", kwargs={"case_id": world.other_team_case.pk})
    assert helper_client.get(url).status_code == 404
    assert AuditEvent.objects.filter(sequence__gt=since, action="access denied", object_type="support_plan").exists()


def signed_in(user):
    from tests.conftest import signed_in_client

    return signed_in_client(user)
