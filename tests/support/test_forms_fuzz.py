"""Every support and performance plan form, fuzzed like the case forms
(tests/security/test_forms_fuzz.py): never a server error, and a refused form (200)
changes nothing in the support or improvement tables."""

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import given

from lotus.improvement import services as improvement_services
from lotus.support import services
from tests.conftest import signed_in_client
from tests.security.test_forms_fuzz import DATE, FUZZ, posts

pytestmark = pytest.mark.django_db

SUPPORT_FORMS = {
    "matter": ("/support/cases/{case}/matters/guidance/", ["status", *(f"status_on{p}" for p in DATE),
                                                            "reason_not_needed", "notes"]),
    "pastoral contact": ("/support/cases/{case}/pastoral-contact/", ["person"]),
    "preferences": ("/support/cases/{case}/preferences/", ["person", "method", "times", "stated_needs", "version"]),
    "circumstances": ("/support/cases/{case}/circumstances/", ["circumstances"]),
    "contact": ("/support/cases/{case}/contacts/add/", [*(f"contacted_on{p}" for p in DATE), "method", "shared",
                                                         "next_steps", "delay_explained", "wellbeing"]),
    "clear prompt": ("/support/cases/{case}/prompts/{prompt}/", ["contact", "reshared"]),
    "adjustment": ("/support/cases/{case}/adjustments/add/", ["kind", "description", "status",
                                                               *(f"review_on{p}" for p in DATE)]),
    "review adjustment": ("/support/cases/{case}/adjustments/{adjustment}/", ["status",
                                                                              *(f"review_on{p}" for p in DATE)]),
    "occupational health": ("/support/cases/{case}/occupational-health/add/", [
        *(f"referred_on{p}" for p in DATE), "consent", *(f"consent_on{p}" for p in DATE), "health_details"]),
    "wellbeing": ("/support/cases/{case}/wellbeing/add/", ["consent", "stage", "rating", "note",
                                                           *(f"checked_on{p}" for p in DATE)]),
    "signpost": ("/support/signposting/add/", ["category", "title", "description", "address", "shown"]),
    "start plan": ("/improvement/cases/{case}/plans/start/", ["problem", "evidence"]),
    "assess": ("/improvement/cases/{case}/plans/{plan}/assess/", ["factors", "factors_other"]),
    "meet": ("/improvement/cases/{case}/plans/{plan}/meet/", [*(f"met_on{p}" for p in DATE), "met_with",
                                                             "person_perspective"]),
    "goal": ("/improvement/cases/{case}/plans/{plan}/goals/add/", ["what", "measure", "target",
                                                                  *(f"due_on{p}" for p in DATE)]),
    "agreement": ("/improvement/cases/{case}/plans/{plan}/agreement/", ["agreement", "disagreement_reason",
                                                                       *(f"recorded_on{p}" for p in DATE)]),
}


def snapshot():
    models = [m for m in apps.get_models() if m._meta.app_label in ("support", "improvement")]
    return {m._meta.label: tuple(m.objects.order_by("pk").values_list()) for m in models}


@pytest.mark.parametrize("form", sorted(SUPPORT_FORMS))
def test_fuzzed_support_forms_never_fail_and_never_half_save(world, plan, form):
    manager = world.users["case_manager"]
    (prompt,) = services.circumstances_record(actor=manager, plan=plan, suspended_or_excluded=True,
                                              referred_to_regulator=False, health_concern=False)
    services.contact_log(actor=manager, plan=plan, contacted_on=prompt.raised_on, method="phone", shared="News")
    import datetime as dt

    adjustment = services.adjustment_add(actor=manager, plan=plan, kind="breaks", description="", status="agreed",
                                         review_on=prompt.raised_on + dt.timedelta(days=7))
    performance = improvement_services.plan_start(actor=manager, case=plan.case, problem="A fictional problem")
    path, fields = SUPPORT_FORMS[form]
    url = path.format(case=plan.case_id, prompt=prompt.pk, adjustment=adjustment.pk, plan=performance.pk)
    client = signed_in_client(world.users["administrator"] if form == "signpost" else manager)
    client.raise_request_exception = True
    assert client.get(url).status_code == 200

    @FUZZ
    @given(data=posts(fields))
    def run(data):
        with transaction.atomic():
            before = snapshot()
            response = client.post(url, data)
            assert response.status_code < 500
            if response.status_code == 200:
                assert snapshot() == before, f"{form}: a refused form changed data"
            transaction.set_rollback(True)

    run()
