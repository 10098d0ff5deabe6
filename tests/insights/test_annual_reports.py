"""The annual report's services (lotus/insights/reports/services.py; docs/adr/0023): its
life from draft to issued, the figures frozen at approval, new versions, sending to the
ICB and the questions back, and every refusal with the field it names."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.insights.reports import selectors, services
from lotus.insights.reports import snapshot as snapshots
from lotus.insights.reports.models import AnnualReport, ReportQuestion
from lotus.learning.models import LearningSummary
from lotus.learning.services import sharing
from tests.insights.helpers import concern
from tests.insights.report_fixtures import (
    INTRODUCTION,
    SIGN_OFF,
    approved_report,
    draft_report,
    issued_report,
    last_year,
    learning_last_year,
    make_icb,
)

pytestmark = pytest.mark.django_db


def refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as raised:
        call()
    assert field in raised.value.message_dict, raised.value.message_dict
    return raised.value.message_dict[field][0]


def concerns_last_year(world, count: int, *, source: str = "complaint"):
    for index in range(count):
        concern(world.organisation, received_on=dt.date(last_year(), 2, 1 + index % 27), source=source)


def figure(view, block_slug: str, row_label: str) -> str:
    for part in view.parts:
        if part.slug == "themes":
            for section in part.view["sections"]:
                for block in section["views"]:
                    if block.slug == block_slug:
                        return next(row for row in block.rows if row.label == row_label).cells[0].text
    raise LookupError(block_slug)


# --------------------------------------------------------------------------- the life of a report


def test_a_report_goes_from_draft_to_approved_to_issued(world):
    concerns_last_year(world, 9)
    report = draft_report(world)
    assert report.status == "draft" and report.snapshot is None
    assert report.edited_by == world.users["analyst"]
    report = services.report_approve(actor=world.users["administrator"], report=report,
                                     expected_version=report.version)
    assert report.status == "approved"
    assert report.snapshot["year"] == last_year()
    assert report.snapshot["introduction"] == INTRODUCTION
    assert [part["slug"] for part in report.snapshot["parts"]] == ["themes", "learning", "actions"]
    assert report.snapshot_sha256 == snapshots.digest(report.snapshot)
    report = services.report_issue(actor=world.users["administrator"], report=report,
                                   expected_version=report.version)
    assert report.status == "issued" and report.issued_at is not None
    view = snapshots.present(report.snapshot)
    assert figure(view, "concerns-by-source", "Complaint") == "9"


def test_the_issued_report_keeps_its_figures_when_the_cases_change(world):
    concerns_last_year(world, 9)
    report = issued_report(world, send=False)
    kept = report.snapshot
    concerns_last_year(world, 5)  # a late concern changes last year's figures
    again = AnnualReport.objects.get(pk=report.pk)
    assert selectors.kept_or_fresh(again) == kept
    assert figure(snapshots.present(again.snapshot), "concerns-by-source", "Complaint") == "9"
    pdf, _, _ = selectors.report_file(world.users["administrator"], again, "pdf", request=None)
    assert pdf.startswith(b"%PDF")


def test_a_draft_shows_the_figures_as_they_are_now(world):
    concerns_last_year(world, 8)
    report = draft_report(world)
    assert figure(snapshots.present(selectors.kept_or_fresh(report)), "concerns-by-source", "Complaint") == "8"
    concerns_last_year(world, 2)
    assert figure(snapshots.present(selectors.kept_or_fresh(report)), "concerns-by-source", "Complaint") == "10"


def test_the_issued_report_downloads_as_pdf_and_docx_from_its_snapshot(world):
    report = issued_report(world, send=False)
    admin = world.users["administrator"]
    pdf, media, name = selectors.report_file(admin, report, "pdf", request=None)
    assert pdf.startswith(b"%PDF") and media == "application/pdf"
    assert name == f"lessons-learnt-report-{last_year()}-v1-{world.organisation.code.lower()}.pdf"
    docx, media, _ = selectors.report_file(admin, report, "docx", request=None)
    text = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert "We are proud of how quickly teams raised concerns." in text
    assert "Sign-off" in text and SIGN_OFF.split(",")[0] in text
    assert AuditEvent.objects.filter(object_type="annual_report", action="download").count() == 2


def test_a_draft_has_no_download(world):
    report = draft_report(world)
    with pytest.raises(Exception) as raised:
        selectors.report_file(world.users["administrator"], report, "pdf", request=None)
    assert raised.type.__name__ == "Http404"


def test_every_write_and_read_is_audited(world):
    before = AuditEvent.objects.filter(object_type="annual_report").count()
    report = issued_report(world, send=False)
    selectors.report_read(world.users["analyst"], report, request=None)
    selectors.reports_of_organisation(world.users["analyst"], request=None)
    events = list(AuditEvent.objects.filter(object_type="annual_report").order_by("sequence")[before:])
    assert [event.action for event in events] == ["create", "change", "change", "change", "view", "list"]
    assert events[2].details["approved"] is True and events[2].details["sha256"] == report.snapshot_sha256


# --------------------------------------------------------------------------- the learning parts


def test_the_report_holds_last_years_shared_summaries_and_actions_with_nothing_identifying(world):
    review, summary, _ = learning_last_year(world)
    report = approved_report(world)
    parts = {part["slug"]: part["data"] for part in report.snapshot["parts"]}
    (kept,) = parts["learning"]["summaries"]
    assert kept["title"] == summary.title and kept["month"] == f"{last_year()}-06"
    assert kept["profession"] == "Medical"
    assert parts["learning"]["factor_counts"] == [[summary.factors.get().title, 1]]
    actions = parts["actions"]
    counts = dict(actions["counts"])
    assert counts["All actions"] == 2 and counts["Open"] == 1 and counts["Done and assured"] == 1
    descriptions = [action["description"] for action in actions["actions"]]
    practitioner = review.case.practitioner
    text = repr(report.snapshot)
    for secret in (practitioner.full_name, review.case.reference, "3 March", "Practice manager",
                   world.users["panel_member"].full_name, world.users["administrator"].full_name):
        assert secret not in text
    assert "Talk to [name taken out] about case [reference taken out] on [date taken out]" in descriptions
    assert actions["taken_out"] == 1
    assert {action["owner"] for action in actions["actions"]} == {"inside", "outside"}


def test_only_summaries_still_shared_and_of_the_year_and_organisation_are_in_it(world):
    _, summary, _ = learning_last_year(world)
    LearningSummary.objects.filter(pk=summary.pk).update(status="withdrawn")
    _, this_year, _ = learning_last_year(world, title="Shared this year")
    LearningSummary.objects.filter(pk=this_year.pk).update(approved_at=timezone.now())
    report = approved_report(world)
    learning = next(part["data"] for part in report.snapshot["parts"] if part["slug"] == "learning")
    assert learning["summaries"] == []
    other = draft_report(world, year=last_year() - 1)
    assert other.organisation_id == world.organisation.pk


def test_issuing_is_refused_when_a_summary_in_it_left_the_library_since_approval(world):
    _, summary, _ = learning_last_year(world)
    report = approved_report(world)
    summary.refresh_from_db()
    sharing.summary_withdraw(actor=world.users["administrator"], summary=summary, reason="A name slipped in",
                             expected_version=summary.version)
    message = refused(lambda: services.report_issue(actor=world.users["administrator"], report=report,
                                                    expected_version=report.version), "checked")
    assert "withdrawn from the library" in message
    assert AnnualReport.objects.get(pk=report.pk).status == "approved"


def test_issuing_is_refused_when_the_kept_figures_were_changed(world):
    report = approved_report(world)
    tampered = {**report.snapshot, "introduction": "Something else"}
    AnnualReport.objects.filter(pk=report.pk).update(snapshot=tampered)
    report.refresh_from_db()
    message = refused(lambda: services.report_issue(actor=world.users["administrator"], report=report,
                                                    expected_version=report.version), "checked")
    assert "changed since" in message


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("year", "words"), [
    (None, "Enter the year the report is for"),
    (1999, "Enter a year from 2000"),
    ("2020", "Enter the year the report is for"),
])
def test_a_year_that_is_not_a_year_is_refused(world, year, words):
    message = refused(lambda: services.report_start(actor=world.users["analyst"], year=year), "year")
    assert words in message
    assert not AnnualReport.objects.exists()


def test_a_year_in_the_future_or_not_yet_over_is_refused(world):
    this_year = timezone.localdate().year
    assert "is in the future" in refused(
        lambda: services.report_start(actor=world.users["analyst"], year=this_year + 3), "year")
    assert "has not ended yet" in refused(
        lambda: services.report_start(actor=world.users["analyst"], year=this_year), "year")
    assert not AnnualReport.objects.exists()


def test_a_second_report_for_the_same_year_is_refused(world):
    report = draft_report(world)
    assert "being prepared" in refused(
        lambda: services.report_start(actor=world.users["administrator"], year=report.year), "year")
    services.report_approve(actor=world.users["administrator"], report=report, expected_version=report.version)
    report.refresh_from_db()
    services.report_issue(actor=world.users["administrator"], report=report, expected_version=report.version)
    assert "make a new version" in refused(
        lambda: services.report_start(actor=world.users["administrator"], year=report.year), "year")
    assert AnnualReport.objects.count() == 1


def test_an_unknown_kind_is_refused(world):
    refused(lambda: services.report_start(actor=world.users["analyst"], year=last_year(), kind="wellbeing"), "kind")


def test_approving_without_an_introduction_or_sign_off_is_refused(world):
    report = services.report_start(actor=world.users["analyst"], year=last_year())
    with pytest.raises(ValidationError) as raised:
        services.report_approve(actor=world.users["administrator"], report=report, expected_version=report.version)
    assert raised.value.message_dict == {
        "introduction": ["Write the introduction before the report is approved"],
        "sign_off": ["Write the sign-off before the report is approved"],
    }
    report.refresh_from_db()
    assert report.status == "draft" and report.snapshot is None


def test_issuing_a_draft_is_refused(world):
    report = draft_report(world)
    assert "Approve the report" in refused(
        lambda: services.report_issue(actor=world.users["administrator"], report=report,
                                      expected_version=report.version), "checked")


def test_the_administrator_who_wrote_the_words_last_cannot_approve_them(world):
    report = draft_report(world, writer="administrator")
    message = refused(lambda: services.report_approve(actor=world.users["administrator"], report=report,
                                                      expected_version=report.version), "checked")
    assert "another administrator must approve" in message
    assert AnnualReport.objects.get(pk=report.pk).status == "draft"


def test_the_database_refuses_an_approval_by_the_last_writer(world):
    report = draft_report(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.filter(pk=report.pk).update(status="approved", approved_by=world.users["analyst"],
                                                         snapshot={"parts": []})


def test_an_analyst_cannot_approve_issue_or_send(world):
    report = draft_report(world, writer="administrator")
    analyst = world.users["analyst"]
    with pytest.raises(PermissionDenied):
        services.report_approve(actor=analyst, report=report, expected_version=report.version)
    with pytest.raises(PermissionDenied):
        services.report_issue(actor=analyst, report=report, expected_version=report.version)
    with pytest.raises(PermissionDenied):
        services.report_send(actor=analyst, report=report, expected_version=report.version)


def test_saving_the_words_after_approval_takes_the_approval_away(world):
    report = approved_report(world)
    report = services.report_edit(actor=world.users["analyst"], report=report, introduction="Shorter.",
                                  sign_off=SIGN_OFF, expected_version=report.version)
    assert report.status == "draft" and report.snapshot is None and report.approved_by is None


def test_an_issued_report_cannot_be_changed(world):
    report = issued_report(world, send=False)
    message = refused(lambda: services.report_edit(actor=world.users["analyst"], report=report, introduction="New",
                                                   sign_off="New", expected_version=report.version), "introduction")
    assert "Make a new version" in message
    assert AnnualReport.objects.get(pk=report.pk).introduction == INTRODUCTION


def test_words_that_are_too_long_are_refused_and_nothing_is_saved(world):
    report = draft_report(world)
    with pytest.raises(ValidationError) as raised:
        services.report_edit(actor=world.users["analyst"], report=report, introduction="x" * 10001,
                             sign_off="y" * 10001, expected_version=report.version)
    assert set(raised.value.message_dict) == {"introduction", "sign_off"}
    assert AnnualReport.objects.get(pk=report.pk).introduction == INTRODUCTION


def test_a_stale_page_saves_nothing(world):
    report = draft_report(world)
    stale = report.version
    services.report_edit(actor=world.users["analyst"], report=report, introduction="First",
                         sign_off="Sign", expected_version=stale)
    with pytest.raises(services.StaleReport):
        services.report_edit(actor=world.users["analyst"], report=report, introduction="Second", sign_off="Sign",
                             expected_version=stale)
    with pytest.raises(services.StaleReport):
        services.report_approve(actor=world.users["administrator"], report=report, expected_version=stale)
    assert AnnualReport.objects.get(pk=report.pk).introduction == "First"


def test_another_organisation_cannot_touch_the_report(world):
    report = draft_report(world)
    outsider = world.users["other_org_administrator"]
    for call in (
        lambda: services.report_edit(actor=outsider, report=report, introduction="x", sign_off="y",
                                     expected_version=report.version),
        lambda: services.report_approve(actor=outsider, report=report, expected_version=report.version),
    ):
        with pytest.raises(PermissionDenied):
            call()


# --------------------------------------------------------------------------- new versions


def test_a_new_version_needs_a_reason_and_replaces_the_old_once_issued(world):
    first = issued_report(world, send=False)
    admin = world.users["administrator"]
    assert "Enter why" in refused(lambda: services.report_new_version(actor=admin, report=first, reason="  "),
                                  "reason")
    second = services.report_new_version(actor=admin, report=first, reason="A summary was missed")
    assert (second.number, second.status, second.replaces_id) == (2, "draft", first.pk)
    assert second.introduction == first.introduction
    assert "already being prepared" in refused(
        lambda: services.report_new_version(actor=admin, report=first, reason="Again"), "reason")
    # Its words were copied by the administrator, so another person approves it.
    assert "another administrator" in refused(
        lambda: services.report_approve(actor=admin, report=second, expected_version=second.version), "checked")
    second = services.report_edit(actor=world.users["analyst"], report=second, introduction="Corrected.",
                                  sign_off=SIGN_OFF, expected_version=second.version)
    second = services.report_approve(actor=admin, report=second, expected_version=second.version)
    assert second.snapshot["replaces"] == {"number": 1, "reason": "A summary was missed"}
    second = services.report_issue(actor=admin, report=second, expected_version=second.version)
    first.refresh_from_db()
    assert first.status == "superseded" and first.superseded_at is not None
    assert first.snapshot["introduction"] == INTRODUCTION  # kept as it was issued
    assert "Only the current issued version" in refused(
        lambda: services.report_new_version(actor=admin, report=first, reason="Old one"), "reason")


# --------------------------------------------------------------------------- sending and questions


def test_sending_needs_an_icb_and_happens_once(world):
    report = issued_report(world, send=False)
    admin = world.users["administrator"]
    assert "not a member of an integrated care board" in refused(
        lambda: services.report_send(actor=admin, report=report, expected_version=report.version), "send")
    icb = make_icb(world)
    report = services.report_send(actor=admin, report=report, expected_version=report.version)
    assert report.sent_to == icb.icb and report.sent_at is not None
    assert AuditEvent.objects.filter(object_type="annual_report", organisation_id=icb.icb.pk).exists()
    assert "already" in refused(
        lambda: services.report_send(actor=admin, report=report, expected_version=report.version), "send")


def test_issuing_and_sending_at_once_without_an_icb_is_refused(world):
    report = approved_report(world)
    assert "not a member" in refused(lambda: services.report_issue(
        actor=world.users["administrator"], report=report, expected_version=report.version, send=True), "send")
    assert AnnualReport.objects.get(pk=report.pk).status == "approved"


def test_the_icb_marks_received_asks_and_the_provider_replies(world):
    icb = make_icb(world)
    report = issued_report(world)
    analyst = icb.users["icb_analyst"]
    report = services.report_mark_received(actor=analyst, report=report)
    assert report.received_by == analyst
    assert "already" in refused(lambda: services.report_mark_received(actor=analyst, report=report), "received")
    assert "Enter your question" in refused(
        lambda: services.question_ask(actor=analyst, report=report, question="  "), "question")
    assert "5,000 characters" in refused(
        lambda: services.question_ask(actor=analyst, report=report, question="x" * 5001), "question")
    question = services.question_ask(actor=analyst, report=report, question="Why did referrals fall?")
    assert "Enter your reply" in refused(lambda: services.question_reply(
        actor=world.users["analyst"], question=question, reply="", expected_version=question.version), "reply")
    question = services.question_reply(actor=world.users["analyst"], question=question,
                                       reply="Fewer locums were used.", expected_version=question.version)
    assert question.replied_at is not None
    assert "answered already" in refused(lambda: services.question_reply(
        actor=world.users["administrator"], question=question, reply="Again", expected_version=question.version),
        "reply")
    assert ReportQuestion.objects.get(pk=question.pk).reply == "Fewer locums were used."


def test_an_icb_the_report_was_not_sent_to_can_do_nothing_with_it(world):
    icb = make_icb(world)
    report = issued_report(world)
    outsider = icb.users["other_icb_analyst"]
    with pytest.raises(PermissionDenied):
        services.report_mark_received(actor=outsider, report=report)
    with pytest.raises(PermissionDenied):
        services.question_ask(actor=outsider, report=report, question="May I see it?")
    draft = draft_report(world, year=last_year() - 1)
    with pytest.raises(PermissionDenied):
        services.question_ask(actor=icb.users["icb_analyst"], report=draft, question="And this one?")
