"""The triage review on paper: Word and PDF downloads for staff who may read the review,
and the practitioner's own copy of exactly what was shared with them."""

import io

import pytest
from django.urls import reverse
from docx import Document

from lotus.audit.models import AuditEvent
from lotus.triage import services
from tests.audit_details import without_request_id
from tests.triage.conftest import fill, fresh, score, start, submit

pytestmark = pytest.mark.django_db

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(client, name, case, fmt):
    return client.get(reverse(f"triage:{name}", kwargs={"case_id": case.pk, "fmt": fmt}))


def docx_text(response) -> str:
    document = Document(io.BytesIO(response.content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture
def shared(world, in_triage, advisor):
    review = start(in_triage, advisor)
    score(review, advisor)
    fill(review, advisor, health="A fictional health detail only managers may read", health_concern="yes",
         safeguarding_concern="yes", safeguarding_details="A fictional detail about another person")
    review = fresh(submit(review, advisor))
    return services.review_share(actor=world.users["case_manager"], review=review, withheld=["third_party"],
                                 withheld_reason="It names another person", expected_version=review.version)


def test_staff_download_the_review_as_word_with_everything_they_may_see(world, shared, client_for):
    response = download(client_for("case_manager"), "export_review", world.case, "docx")
    assert response.status_code == 200 and response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="triage-review-{world.case.reference}.docx"'
    text = docx_text(response)
    for expected in (world.case.reference, world.practitioner.full_name, "A fictional rationale that explains the score.",
                     "A fictional health detail only managers may read", "A fictional detail about another person",
                     "Just culture check", "this case", "Where this case sits on the risk grid"):
        assert expected in text, expected
    event = AuditEvent.objects.get(action="export", object_type="triage_review")
    assert without_request_id(event.details) == {"case": world.case.pk, "format": "docx", "shared copy": False}


def test_the_pdf_opens_as_a_pdf(world, shared, client_for):
    response = download(client_for("professional_advisor"), "export_review", world.case, "pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in response.content


def test_a_panel_member_gets_no_health_details(world, shared, client_for):
    # Not even the download: a panel member reads triage in the agenda item's papers (docs/adr/0016).
    # Everyone else who may download it may also read the health details.
    assert download(client_for("panel_member"), "export_review", world.case, "docx").status_code == 404


def test_the_practitioners_copy_is_what_was_shared_and_nothing_more(world, shared, client_for):
    response = download(client_for("practitioner"), "export_shared_review", world.case, "docx")
    assert response.status_code == 200
    text = docx_text(response)
    assert "This is the review of the concern about you, as it was shared with you." in text
    assert "A fictional detail about another person" not in text  # withheld
    assert "Not included: details about other people." in text
    assert "Just culture check" not in text  # staff only
    assert AuditEvent.objects.get(action="export", actor_id=world.users["practitioner"].pk).details["shared copy"] is True
    assert download(client_for("practitioner"), "export_shared_review", world.case, "pdf").status_code == 200


@pytest.mark.parametrize("role", ["pastoral_contact", "analyst", "off_team_case_manager", "other_org_administrator",
                                  "practitioner"])
def test_people_who_may_not_read_the_review_get_404_and_an_audit_event(world, shared, client_for, role):
    assert download(client_for(role), "export_review", world.case, "pdf").status_code == 404
    assert AuditEvent.objects.filter(action="access denied", actor_id=world.users[role].pk).exists()
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("role", ["case_manager", "professional_advisor", "administrator"])
def test_only_the_practitioner_downloads_the_shared_copy(world, shared, client_for, role):
    assert download(client_for(role), "export_shared_review", world.case, "docx").status_code == 404


def test_an_unknown_format_or_no_review_yet_is_handled(world, in_triage, client_for):
    client = client_for("case_manager")
    assert download(client, "export_review", world.case, "exe").status_code == 404
    response = download(client, "export_review", world.case, "pdf")
    assert response.status_code == 302 and response["Location"] == reverse("triage:show_review", args=[world.case.pk])


def test_while_scoring_blind_the_reviewer_cannot_download(world, in_triage, advisor, client_for):
    start(in_triage, advisor)
    response = download(client_for("professional_advisor"), "export_review", world.case, "docx")
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="export").exists()


def test_markup_and_other_scripts_are_written_as_text(world, in_triage, advisor, client_for):
    review = start(in_triage, advisor)
    score(review, advisor)
    summary = "<script>alert(1)</script> Łukasz said: مرحبا 👋"
    fill(review, advisor, summary_of_concerns=summary)
    submit(review, advisor)
    client = client_for("case_manager")
    assert summary in docx_text(download(client, "export_review", world.case, "docx"))
    pdf = download(client, "export_review", world.case, "pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
