"""The panel's attendance form (issue 19 point 4), fuzzed like the case forms
(tests/security/test_forms_fuzz.py): whatever is posted, never a server error, and a
refused form (200 with an error summary) changes nothing in the panel or case tables."""

import pytest
from django.apps import apps
from django.db import transaction
from hypothesis import example, given
from hypothesis import strategies as st

from tests.conftest import signed_in_client
from tests.security.test_forms_fuzz import EXTRA_FIELDS, FUZZ, nasty_text

pytestmark = pytest.mark.django_db


def snapshot():
    models = [m for m in apps.get_models() if m._meta.app_label in ("panels", "cases")]
    return {m._meta.label: tuple(m.objects.order_by("pk").values_list()) for m in models}


@pytest.mark.parametrize("role", ["case_manager", "panel_member"])  # who runs the meeting, and its chair
def test_the_fuzzed_attendance_form_never_fails_and_never_half_saves(world, item, panel_members, role):
    url = f"/panels/{item.meeting_id}/attendance/"
    client = signed_in_client(world.users[role])
    client.raise_request_exception = True  # a server error fails the example with its traceback
    assert client.get(url).status_code == 200, "the form page itself must be reachable"
    # Real member ids mixed with nonsense, so some posts get past the form to the service.
    ids = [str(m.pk) for m in panel_members]
    real = st.sampled_from([*ids, str(world.users["analyst"].pk)])
    values = st.one_of(nasty_text, real, st.lists(st.one_of(real, nasty_text), min_size=1, max_size=4))
    posts = st.dictionaries(st.sampled_from(["attended", "chaired_by", *EXTRA_FIELDS]), values, max_size=6)

    @FUZZ
    @given(data=posts)
    @example(data={"attended": ids, "chaired_by": ids[0]})  # accepted
    @example(data={"attended": ids[:2], "chaired_by": ids[2]})  # a chair who did not attend: refused
    def run(data):
        with transaction.atomic():
            before = snapshot()
            response = client.post(url, data)
            assert response.status_code < 500
            if response.status_code == 200 and b"nhsuk-error-summary" in response.content:
                assert snapshot() == before, "attendance: a refused form changed data"
            transaction.set_rollback(True)

    run()
