"""The kindness and compassion promise: written by administrators, pledged by leaders,
revisited every three months."""

import pytest
import time_machine
from django.urls import reverse

from lotus.toolkit import services
from lotus.toolkit.content import DEFAULT_PROMISE
from lotus.toolkit.models import OrganisationPromise

pytestmark = pytest.mark.django_db
OURS = "We promise to listen first, explain clearly and support people from day one."


def test_an_administrator_writes_the_promise_and_leaders_see_it(client_for, world):
    response = client_for("administrator").post(reverse("toolkit:edit_promise"), {"text": OURS})
    assert response["Location"] == reverse("toolkit:show_step", args=["optimise"])
    leader = client_for("case_manager")
    assert OURS in leader.get(reverse("toolkit:show_step", args=["optimise"])).content.decode()
    assert OURS in leader.get(reverse("toolkit:start_entry", args=["2-5"])).content.decode()
    # another organisation still sees the default wording
    page = client_for("other_org_administrator").get(reverse("toolkit:show_step", args=["optimise"])).content.decode()
    assert OURS not in page and DEFAULT_PROMISE in page


@pytest.mark.parametrize(("text", "message"), [
    ("   ", "Enter your organisation"),
    ("x" * 5001, "The promise must be 5,000 characters or fewer"),
])
def test_bad_promise_is_refused_and_kept(client_for, text, message):
    response = client_for("administrator").post(reverse("toolkit:edit_promise"), {"text": text})
    page = response.content.decode()
    assert message in page
    if text.strip():
        assert text in page
    assert not OrganisationPromise.objects.exists()


def test_leaders_are_asked_to_look_at_their_pledge_again_after_three_months(client_for, world):
    with time_machine.travel("2026-06-01 10:00", tick=False):
        services.entry_save(
            actor=world.users["case_manager"], exercise="2.5", responses={"living": "Kinder letters"},
            actions=[services.ActionRow(what=f"Action {n}") for n in range(3)],
        )
    client = client_for("case_manager")
    with time_machine.travel("2026-08-01 10:00", tick=False):
        assert "Look at it again" not in client.get(reverse("toolkit:home")).content.decode()
    with time_machine.travel("2026-09-01 10:00", tick=False):
        assert "Look at it again" in signed_home(world)


def signed_home(world):
    from tests.conftest import signed_in_client

    return signed_in_client(world.users["case_manager"]).get(reverse("toolkit:home")).content.decode()
