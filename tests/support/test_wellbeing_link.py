"""The wellbeing report is reached from the home page and the needs-attention page, by
administrators (the only people allowed it) and nobody else."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def wellbeing_link() -> str:
    return f'href="{reverse("support:wellbeing_aggregate")}"'


@pytest.mark.parametrize("page", ["/", "/support/attention/"])
def test_administrators_find_the_wellbeing_report(client_for, page):
    html = client_for("administrator").get(page).content.decode()
    assert wellbeing_link() in html
    assert client_for("administrator").get(reverse("support:wellbeing_aggregate")).status_code == 200


@pytest.mark.parametrize("role", ["case_manager", "professional_advisor", "pastoral_contact", "analyst", "practitioner"])
def test_others_are_not_offered_the_wellbeing_report(client_for, role):
    client = client_for(role)
    for page in ("/", "/support/attention/"):
        response = client.get(page)
        assert wellbeing_link() not in response.content.decode(), (role, page)
    assert client.get(reverse("support:wellbeing_aggregate")).status_code == 404
