"""Every page form, fuzzed (issue 3, "Bad input"): Unicode, control characters, 1 MB
strings, wrong types and extra fields (`status`, `organisation`, `case_team`).

Whatever is posted, the answer is never a server error, and a form that comes back
with errors (an error summary) has changed nothing. Each example runs inside a savepoint that is
rolled back, so an accepted post (302) does not leak into the next example. The API's
bodies are fuzzed the same way in tests/api/test_bad_input.py.
"""

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lotus.accounts.models import User
from lotus.api.models import ApiToken
from lotus.cases import services
from lotus.cases.models import Case, CaseTeamMember, Document, Task, TimelineEvent
from lotus.portal.models import ConsentRequest, Reflection
from lotus.practitioners.models import EqualityMonitoring, Practitioner
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

MEGABYTE_STRING = "x" * (1024 * 1024)
# What a browser can send: any text that encodes as UTF-8 (a lone surrogate cannot).
nasty_text = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.text(alphabet=st.characters(codec="utf-8", categories=["Cc", "Cf", "Zl", "Zp", "So", "Mn"]), max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", " ", "\x00", "\u202e", "\ufeff", "☃" * 300, MEGABYTE_STRING, "<script>alert(1)</script>",
                     "' OR 1=1 --", "30", "2", "2026", "0", "-1", "1e9", "received", "closed", "true", "on"]),
)

DATE = ["-day", "-month", "-year"]
PAGE_FORMS = {
    "register practitioner": ("administrator", "/practitioners/add/", [
        "full_name", "profession", "regulator", "registration_number", "contract_context", "place_of_work",
        "email", "phone", "postal_address"]),
    "equality": ("administrator", "/practitioners/{practitioner}/equality/", [
        "ethnic_category", "sex", "qualification_country", "disability"]),
    "open case": ("case_manager", "/cases/open/", [
        "practitioner", *(f"received_on{part}" for part in DATE), "source", "categories", "summary", "owner"]),
    "summary": ("case_manager", "/cases/{case}/summary/", ["summary", "version"]),
    "status": ("case_manager", "/cases/{case}/status/", ["from_status", "target", "reason"]),
    "task": ("case_manager", "/cases/{case}/tasks/add/", ["title", "owner", *(f"due_on{part}" for part in DATE)]),
    "team": ("case_manager", "/cases/{case}/team/add/", ["member"]),
    "withdraw document": ("case_manager", "/cases/{case}/documents/{document}/withdraw/", ["reason"]),
    "upload document": ("case_manager", "/cases/{case}/documents/upload/", ["title"]),
    "change password": ("case_manager", "/account/password/", ["current_password", "new_password", "repeat_password"]),
    "confirm password": ("case_manager", "/account/confirm-password/", ["password"]),
    "API token": ("case_manager", "/account/api-tokens/new/", ["name", "expires_days"]),
    "disable account": ("administrator", "/accounts/{panel_member}/disable/", ["reason"]),
    "sign in": ("anonymous", "/account/sign-in/", ["email", "password"]),
    "reflections": ("practitioner", "/portal/cases/{case}/reflections/add/", ["text", "documents"]),
    "ask for consent": ("case_manager", "/cases/{case}/consent/ask/", ["reason"]),
}
EXTRA_FIELDS = ["status", "organisation", "case_team", "is_active", "csrfmiddlewaretoken"]


def posts(fields: list[str]):
    """Form data over the form's real fields and some it must ignore; a value may repeat."""
    values = st.one_of(nasty_text, st.lists(nasty_text, min_size=2, max_size=3))
    return st.dictionaries(st.sampled_from([*fields, *EXTRA_FIELDS]), values, max_size=10)


def snapshot():
    return (
        tuple(Case.objects.order_by("pk").values_list("summary", "status", "version", "owner_id", "organisation_id")),
        Practitioner.objects.count(),
        tuple(EqualityMonitoring.objects.order_by("pk").values_list("ethnic_category", "sex", "qualification_country")),
        Task.objects.count(),
        tuple(Document.objects.order_by("pk").values_list("withdrawn_at", "withdrawn_reason")),
        TimelineEvent.objects.count(),
        CaseTeamMember.objects.count(),
        ApiToken.objects.count(),
        tuple(User.objects.order_by("pk").values_list("is_active", "password")),
        Reflection.objects.count(),
        ConsentRequest.objects.count(),
    )


FUZZ = hypothesis_settings(
    max_examples=25, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.large_base_example],
)


@pytest.mark.parametrize("form", sorted(PAGE_FORMS))
def test_fuzzed_page_forms_never_fail_and_never_half_save(world, form):
    role, path, fields = PAGE_FORMS[form]
    document = services.document_upload(
        actor=world.users["case_manager"], case=world.case, title="Statement", file_name="statement.txt",
        data=b"A fictional statement.\n",
    )
    url = path.format(case=world.case.pk, practitioner=world.practitioner.pk, document=document.pk,
                      panel_member=world.users["panel_member"].pk)
    client = Client() if role == "anonymous" else signed_in_client(world.users[role])
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


def test_extra_fields_on_the_open_case_form_are_ignored(world, client_for):
    """`status`, `organisation` and `case_team` posted with a good case are not used."""
    manager = world.users["case_manager"]
    response = client_for("case_manager").post("/cases/open/", {
        "practitioner": world.practitioner.pk, "received_on-day": "3", "received_on-month": "6",
        "received_on-year": "2025", "source": "complaint", "categories": ["conduct"], "summary": "A fictional concern.", "owner": manager.pk,
        "status": "closed", "organisation": world.other_organisation.pk, "case_team": [world.users["analyst"].pk],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.order_by("-pk").first()
    assert case.status == "received"
    assert case.organisation_id == world.organisation.pk
    assert not CaseTeamMember.objects.filter(case=case, user=world.users["analyst"]).exists()
