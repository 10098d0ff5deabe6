"""The annual report's pages and the membership pages with bad input: each refusal names its
field in the error summary, keeps what was typed and saves nothing (docs/adr/0023)."""

import re

import pytest
from django.urls import reverse

from lotus.accounts.models import IcbMembership
from lotus.insights.reports.models import AnnualReport
from tests.conftest import signed_in_client
from tests.insights.report_fixtures import (
    INTRODUCTION,
    approved_report,
    draft_report,
    issued_report,
    last_year,
    make_icb,
)

pytestmark = pytest.mark.django_db


def errors(response) -> list[str]:
    """The error summary's messages."""
    html = response.content.decode()
    summary = re.search(r'nhsuk-error-summary__list.*?</ul>', html, re.S)
    return [" ".join(text.split()) for text in re.findall(r"<a [^>]*>([^<]+)</a>", summary.group(0))] if summary else []


def test_starting_a_report_with_a_bad_year_keeps_what_was_typed(world, client_for):
    client = client_for("analyst")
    url = reverse("insights:start_report")
    response = client.post(url, {"year": "twenty"})
    assert errors(response) == ["Enter the year as a number, like 2025", "Select the kind of report"]
    assert 'value="twenty"' in response.content.decode()
    response = client.post(url, {"year": str(last_year()), "kind": "wellbeing"})
    assert errors(response) == ["Select the kind of report from the list"]
    future = str(last_year() + 5)
    response = client.post(url, {"year": future, "kind": "lessons_learnt"})
    assert errors(response) == [f"{future} is in the future. Choose a year that has ended, {last_year()} or earlier"]
    assert f'value="{future}"' in response.content.decode()
    assert response.content.decode().count("Error:") >= 1  # the page title says there is an error
    assert not AnnualReport.objects.exists()
    response = client.post(url, {"year": str(last_year()), "kind": "equity"})
    report = AnnualReport.objects.get()
    assert report.kind == "equity"
    assert response["Location"] == reverse("insights:show_report", kwargs={"report_id": report.pk})


def test_words_that_are_too_long_or_stale_are_refused_on_the_page(world, client_for):
    report = draft_report(world)
    url = reverse("insights:edit_report", kwargs={"report_id": report.pk})
    client = client_for("analyst")
    response = client.post(url, {"introduction": "x" * 10001, "sign_off": "Signed", "version": report.version})
    assert errors(response) == ["Introduction must be 10000 characters or fewer"]
    response = client.post(url, {"introduction": "Newer words", "sign_off": "Signed", "version": report.version - 1})
    assert "Someone else changed this report" in " ".join(errors(response))
    assert "Newer words" in response.content.decode()
    assert AnnualReport.objects.get(pk=report.pk).introduction == INTRODUCTION


def test_the_last_writer_is_told_someone_else_approves(world, client_for):
    report = draft_report(world, writer="administrator")
    client = client_for("administrator")
    page = client.get(reverse("insights:show_report", kwargs={"report_id": report.pk})).content.decode()
    assert "another administrator must approve the report" in page
    assert reverse("insights:approve_report", kwargs={"report_id": report.pk}) not in page
    url = reverse("insights:approve_report", kwargs={"report_id": report.pk})
    response = client.post(url, {"checked": "yes", "version": report.version})
    assert errors(response) == [
        "You wrote the introduction or sign-off last, so another administrator must approve the report"
    ]
    assert AnnualReport.objects.get(pk=report.pk).status == "draft"


def test_approving_needs_the_check_and_the_words(world, client_for):
    report = draft_report(world)
    client = client_for("administrator")
    url = reverse("insights:approve_report", kwargs={"report_id": report.pk})
    assert errors(client.post(url, {"version": report.version})) == [
        "Confirm you have read the whole report and it names no one"
    ]
    AnnualReport.objects.filter(pk=report.pk).update(introduction="", sign_off="")
    response = client.post(url, {"checked": "yes", "version": report.version})
    assert errors(response) == ["Write the introduction before the report is approved",
                                "Write the sign-off before the report is approved"]
    assert AnnualReport.objects.get(pk=report.pk).status == "draft"
    AnnualReport.objects.filter(pk=report.pk).update(introduction=INTRODUCTION, sign_off="Signed")
    response = client.post(url, {"checked": "yes", "version": report.version})
    assert response.status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).status == "approved"


def test_issuing_asks_whether_to_send_when_there_is_an_icb(world, client_for):
    icb = make_icb(world)
    report = approved_report(world)
    client = client_for("administrator")
    url = reverse("insights:issue_report", kwargs={"report_id": report.pk})
    assert errors(client.post(url, {"version": report.version})) == [
        f"Select whether to send the report to {icb.icb.name} now"
    ]
    assert AnnualReport.objects.get(pk=report.pk).status == "approved"
    client.post(url, {"version": report.version, "send": "yes"})
    report.refresh_from_db()
    assert report.status == "issued" and report.sent_to == icb.icb


def test_issuing_without_an_icb_asks_nothing_and_sending_later_is_offered_once_joined(world, client_for):
    report = approved_report(world)
    client = client_for("administrator")
    page = client.get(reverse("insights:issue_report", kwargs={"report_id": report.pk})).content.decode()
    assert "Send the report to" not in page
    client.post(reverse("insights:issue_report", kwargs={"report_id": report.pk}), {"version": report.version})
    report.refresh_from_db()
    assert report.status == "issued" and report.sent_at is None
    show = reverse("insights:show_report", kwargs={"report_id": report.pk})
    assert "not a member of an integrated care board" in client.get(show).content.decode()
    icb = make_icb(world)
    assert f"Send to {icb.icb.name}" in client.get(show).content.decode()
    response = client.post(reverse("insights:send_report", kwargs={"report_id": report.pk}),
                           {"version": report.version})
    assert response.status_code == 302
    assert AnnualReport.objects.get(pk=report.pk).sent_to == icb.icb


def test_a_new_version_needs_a_reason_on_the_page(world, client_for):
    report = issued_report(world, send=False)
    url = reverse("insights:new_report_version", kwargs={"report_id": report.pk})
    response = client_for("administrator").post(url, {"reason": "   "})
    assert errors(response) == ["Enter why the report needs a new version"]
    assert AnnualReport.objects.count() == 1


def test_an_invitation_with_a_bad_code_keeps_what_was_typed(world):
    icb = make_icb(world, join=False)
    client = signed_in_client(icb.users["icb_administrator"])
    url = reverse("insights:icb_members")
    response = client.post(url, {"code": "ZZZ99"})
    assert errors(response) == [
        "No organisation using LOTUS has that ODS code. Check the code, or ask the organisation whether it uses LOTUS"
    ]
    assert 'value="ZZZ99"' in response.content.decode()
    assert errors(client.post(url, {"code": ""})) == ["Enter the ODS code of the organisation to invite, like RXA"]
    assert not IcbMembership.objects.exists()
    response = client.post(url, {"code": world.organisation.code})
    assert response.status_code == 302
    assert IcbMembership.objects.get().status == "invited"


def test_answering_and_ending_need_a_choice_and_a_reason(world, client_for):
    icb = make_icb(world, join=False)
    client = signed_in_client(icb.users["icb_administrator"])
    client.post(reverse("insights:icb_members"), {"code": world.organisation.code})
    membership = IcbMembership.objects.get()
    provider = client_for("administrator")
    answer = reverse("insights:answer_invitation", kwargs={"membership_id": membership.pk})
    assert errors(provider.post(answer, {"version": membership.version})) == [
        f"Select whether {icb.icb.name} may have your organisation as a member"
    ]
    assert IcbMembership.objects.get().status == "invited"
    provider.post(answer, {"version": membership.version, "answer": "accept"})
    membership.refresh_from_db()
    assert membership.status == "accepted"
    end = reverse("insights:end_membership", kwargs={"membership_id": membership.pk})
    assert errors(provider.post(end, {"reason": "", "version": membership.version})) == [
        "Enter why the membership is ending"
    ]
    provider.post(end, {"reason": "We are joining another ICB", "version": membership.version})
    membership.refresh_from_db()
    assert membership.status == "ended" and membership.end_reason == "We are joining another ICB"
    assert "We are joining another ICB" in client.get(reverse("insights:icb_members")).content.decode()


def test_a_report_for_the_year_is_listed_with_its_status(world, client_for):
    report = issued_report(world, send=False)
    html = client_for("analyst").get(reverse("insights:list_reports")).content.decode()
    assert reverse("insights:show_report", kwargs={"report_id": report.pk}) in html
    assert "Issued" in html and "Not sent" in html
