"""The annual reports' and ICB's pages as the ICB's own users meet them (docs/adr/0023),
beside the page matrix (tests/test_access_matrix.py), whose users sit in no ICB.

The users: the ICB's analyst and administrator (organisation A is a member), an analyst of
another ICB, and organisation A's administrator as the control. The objects: organisation
A's issued report for last year, sent to the ICB, with a question; its draft for the year
before, never sent; and A's membership of the ICB. Every report and ICB URL has a row, so a
new one without a row fails."""

import pytest
from django.urls import reverse

from lotus.accounts.models import IcbMembership
from lotus.insights.reports import services
from tests.conftest import signed_in_client
from tests.insights.report_fixtures import draft_report, issued_report, last_year, make_icb
from tests.test_access_matrix import get_status, registered_url_names

pytestmark = pytest.mark.django_db

USERS = ("icb_analyst", "icb_administrator", "other_icb_analyst", "member_administrator")

# fmt: off
EXPECTED = {
    #                                     icb analyst, icb admin, other icb, member admin
    # An ICB may have cases and reports of its own: its analyst and administrator see their
    # own organisation's list, never a member's report through it.
    "insights:list_reports":              (200, 200, 200, 200),
    "insights:start_report":              (200, 200, 200, 200),
    "insights:show_report":               (404, 404, 404, 200),
    "insights:edit_report":               (404, 404, 404, 302),
    "insights:approve_report":            (404, 404, 404, 302),
    "insights:issue_report":              (404, 404, 404, 302),
    "insights:send_report":               (404, 404, 404, 302),
    "insights:new_report_version":        (404, 404, 404, 200),
    "insights:download_report":           (404, 404, 404, 200),
    "insights:reply_to_question":         (404, 404, 404, 200),
    # The ICB's view is for its analysts; an ICB the report was not sent to sees none of it.
    "insights:icb_themes":                (200, 404, 200, 404),
    "insights:icb_equity":                (200, 404, 200, 404),
    "insights:icb_reports":               (200, 404, 200, 404),
    "insights:icb_show_report":           (200, 404, 404, 404),
    "insights:icb_download_report":       (200, 404, 404, 404),
    "insights:icb_mark_received":         (405, 405, 405, 405),
    "insights:icb_ask_question":          (200, 404, 404, 404),
    "insights:icb_members":               (404, 200, 404, 404),
    "insights:your_icb":                  (404, 404, 404, 200),
    "insights:answer_invitation":         (404, 404, 404, 302),
    "insights:end_membership":            (404, 200, 404, 200),
}
# The draft of the year before, asked for through every page that takes a report.
DRAFT_EXPECTED = {
    "insights:show_report":               (404, 404, 404, 200),
    "insights:icb_show_report":           (404, 404, 404, 404),
    "insights:icb_download_report":       (404, 404, 404, 404),
    "insights:icb_ask_question":          (404, 404, 404, 404),
    # The draft is not issued: its own organisation is sent back to it.
    "insights:download_report":           (404, 404, 404, 302),
}
# fmt: on

REPORT_URLS = {name for name in registered_url_names() if name.startswith("insights:") and
               ("report" in name or "icb" in name or "membership" in name or "invitation" in name
                or "question" in name)}


@pytest.fixture
def setting(world):
    icb = make_icb(world)
    report = issued_report(world)
    draft = draft_report(world, year=last_year() - 1)
    question = services.question_ask(actor=icb.users["icb_analyst"], report=report, question="What changed?")
    users = {**icb.users, "member_administrator": world.users["administrator"]}
    objects = {"report_id": report.pk, "question_id": question.pk, "fmt": "pdf",
               "membership_id": IcbMembership.objects.get(member=world.organisation).pk}
    return users, objects, draft


def test_every_report_and_icb_url_has_a_row():
    assert set(EXPECTED) == REPORT_URLS


@pytest.mark.parametrize("user", USERS)
def test_report_and_icb_pages_for_icb_users(setting, user):
    users, objects, _ = setting
    client = signed_in_client(users[user])
    column = USERS.index(user)
    actual, expected = {}, {}
    for name, row in EXPECTED.items():
        params = registered_url_names()[name]
        actual[name] = get_status(client, reverse(name, kwargs={p: objects[p] for p in params}))[0]
        expected[name] = row[column]
    assert actual == expected


@pytest.mark.parametrize("user", USERS)
def test_a_draft_reaches_nobody_outside_its_organisation(setting, user):
    users, objects, draft = setting
    client = signed_in_client(users[user])
    column = USERS.index(user)
    kwargs = {**objects, "report_id": draft.pk}
    actual = {
        name: get_status(client, reverse(name, kwargs={p: kwargs[p] for p in registered_url_names()[name]}))[0]
        for name in DRAFT_EXPECTED
    }
    assert actual == {name: row[column] for name, row in DRAFT_EXPECTED.items()}


def test_marking_received_by_post(setting):
    users, objects, _ = setting
    url = reverse("insights:icb_mark_received", kwargs={"report_id": objects["report_id"]})
    assert signed_in_client(users["other_icb_analyst"]).post(url).status_code == 404
    assert signed_in_client(users["icb_administrator"]).post(url).status_code == 404
    response = signed_in_client(users["icb_analyst"]).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:icb_show_report", kwargs={"report_id": objects["report_id"]})
