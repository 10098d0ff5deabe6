"""The triage forms issue 19 added, fuzzed like the case forms (tests/security/test_forms_fuzz.py):
the override of a sampled case's second review and the reason for not sharing a review.
Whatever is posted, never a server error, and a refused form (200 with an error summary)
changes nothing in the case or triage tables."""

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import given

from lotus.triage.models import TriageSettings
from tests.conftest import signed_in_client
from tests.security.test_forms_fuzz import FUZZ, posts
from tests.triage.conftest import fill, fresh, score, start, submit

pytestmark = pytest.mark.django_db

TRIAGE_FORMS = {
    "second review override": ("/cases/{case}/triage/second/override/", ["reason"]),
    "not sharing": ("/cases/{case}/triage/not-shared/", ["reason", "version"]),
}


def snapshot():
    models = [m for m in apps.get_models() if m._meta.app_label in ("triage", "cases")]
    return {m._meta.label: tuple(m.objects.order_by("pk").values_list()) for m in models}


@pytest.mark.parametrize("form", sorted(TRIAGE_FORMS))
def test_fuzzed_triage_forms_never_fail_and_never_half_save(world, in_triage, advisor, form):
    manager = world.users["case_manager"]
    if form == "second review override":
        TriageSettings.objects.create(organisation=world.organisation, second_review_every=1)
    review = start(in_triage, advisor)
    score(review, advisor)
    fill(review, advisor)
    review = submit(review, advisor)
    if form == "second review override":
        from lotus.triage import services

        review = fresh(review)
        services.review_share(actor=manager, review=review, withheld=[], withheld_reason="",
                              expected_version=review.version)
    path, fields = TRIAGE_FORMS[form]
    url = path.format(case=in_triage.pk)
    client = signed_in_client(manager)
    client.raise_request_exception = True  # a server error fails the example with its traceback
    assert client.get(url).status_code == 200, "the form page itself must be reachable"

    @FUZZ
    @given(data=posts(fields))
    def run(data):
        with transaction.atomic():
            before = snapshot()
            response = client.post(url, data)
            assert response.status_code < 500
            if response.status_code == 200 and b"nhsuk-error-summary" in response.content:
                assert snapshot() == before, f"{form}: a refused form changed data"
            transaction.set_rollback(True)

    run()
