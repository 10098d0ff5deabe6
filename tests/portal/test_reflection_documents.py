"""Documents the practitioner sends with their reflections (issue 5): checked like any
upload, stored as documents on the case, all or nothing, and read by the case team and
the panel (never by a conflicted member or the pastoral contact) with every read audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lotus.audit.models import AuditEvent
from lotus.cases import services as case_services
from lotus.cases.models import Case, Document, TimelineEvent
from lotus.panels import rendering
from lotus.panels import selectors as panel_selectors
from lotus.panels import services as panel_services
from lotus.portal import services
from lotus.portal.models import Reflection
from tests.factories import PractitionerFactory, TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db

STATEMENT = b"A fictional statement about the handover.\n"
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00"


def stored_files(settings) -> set[str]:
    return {path.name for path in settings.DOCUMENT_ROOT.rglob("*") if path.is_file()}


def counts() -> tuple[int, ...]:
    return (Reflection.objects.count(), Document.objects.count(), TimelineEvent.objects.count(),
            AuditEvent.objects.exclude(action__in=["upload refused", "view"]).count())


def post(client, case, text="", files=()):
    data = {"text": text}
    if files:
        data["documents"] = [SimpleUploadedFile(name, content) for name, content in files]
    return client.post(reverse("portal:add_reflection", args=[case.pk]), data)


def test_text_and_documents_are_sent_together(world, client_for, settings):
    client = client_for("practitioner")
    response = post(client, world.case, "I have changed how I hand over.",
                    [("statement.txt", STATEMENT), ("certificate.pdf", PDF)])
    assert response.status_code == 302
    reflection = Reflection.objects.get()
    assert reflection.text == "I have changed how I hand over."
    documents = sorted(reflection.documents.all(), key=lambda d: d.original_name)
    assert [d.original_name for d in documents] == ["certificate.pdf", "statement.txt"]
    assert [d.media_type for d in documents] == ["application/pdf", "text/plain"]
    assert all(d.case_id == world.case.pk and d.uploaded_by_id == world.users["practitioner"].pk for d in documents)
    assert {d.stored_name for d in documents} <= stored_files(settings)
    uploads = AuditEvent.objects.filter(action="upload", object_type="document")
    assert {int(e.object_id) for e in uploads} == {d.pk for d in documents}
    created = AuditEvent.objects.get(action="create", object_type="reflection")
    assert sorted(created.details["documents"]) == sorted(d.pk for d in documents)
    titles = list(TimelineEvent.objects.filter(case=world.case).values_list("title", flat=True))
    assert titles.count("The practitioner sent a document with their reflections") == 2
    # The practitioner sees them on their case and can download their own.
    html = client.get(reverse("portal:show_case", args=[world.case.pk])).content.decode()
    assert "certificate.pdf" in html and "statement.txt" in html
    statement = next(d for d in documents if d.original_name == "statement.txt")
    download = client.get(reverse("portal:download_document", args=[world.case.pk, statement.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == STATEMENT
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="download", object_type="document", object_id=str(statement.pk),
                                     actor_id=world.users["practitioner"].pk).exists()


def test_documents_alone_are_enough(world, client_for):
    assert post(client_for("practitioner"), world.case, "", [("statement.txt", STATEMENT)]).status_code == 302
    assert Reflection.objects.get().text == ""


def test_nothing_at_all_is_refused(world, client_for):
    before = counts()
    response = post(client_for("practitioner"), world.case, "   ")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter your reflections or response, or add a document" in html
    assert counts() == before


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("statement.txt", STATEMENT), ("photo.pdf", EXECUTABLE)], "photo.pdf:"),
        ([("empty.txt", b"")], "The selected file is empty"),
        ([("..\\..\\settings.txt", STATEMENT)], "settings.txt"),
        ([(f"note{n}.txt", STATEMENT) for n in range(6)], "Add 5 documents or fewer at a time"),
    ],
    ids=["executable among good files", "empty file", "path in the name", "too many files"],
)
def test_a_bad_document_refuses_the_whole_reflection_and_keeps_the_text(world, client_for, settings, files, message):
    before, on_disk = counts(), stored_files(settings)
    response = post(client_for("practitioner"), world.case, "My own words, kept", files)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert "My own words, kept" in html
    assert counts() == before
    assert stored_files(settings) == on_disk


def test_a_too_large_document_is_refused(world, client_for, settings):
    before = counts()
    response = post(client_for("practitioner"), world.case, "Words",
                    [("big.txt", b"x" * (settings.DOCUMENT_MAX_BYTES + 1))])
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert counts() == before
    assert AuditEvent.objects.filter(action="upload refused").exists()


def test_a_failure_after_storing_removes_the_stored_files(world, settings, monkeypatch):
    on_disk = stored_files(settings)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_timeline", broken)
    with pytest.raises(RuntimeError):
        services.reflection_add(actor=world.users["practitioner"], case=world.case, text="Words",
                                files=[("a.txt", STATEMENT), ("b.txt", STATEMENT)])
    assert stored_files(settings) == on_disk
    assert not Reflection.objects.exists() and not Document.objects.exists()


def test_a_closed_case_takes_nothing_more(world, client_for):
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    before = counts()
    response = post(client_for("practitioner"), world.case, "Words", [("statement.txt", STATEMENT)])
    assert response.status_code == 200
    assert "Your case is closed, so nothing more can be added" in response.content.decode()
    assert counts() == before


def test_only_the_author_downloads_from_the_portal(world, client_for):
    reflection = services.reflection_add(actor=world.users["practitioner"], case=world.case, text="",
                                         files=[("statement.txt", STATEMENT)])
    document = reflection.documents.get()
    staff_document = case_services.document_upload(actor=world.users["case_manager"], case=world.case,
                                                   title="Staff note", file_name="staff.txt", data=b"Staff only\n")
    client = client_for("practitioner")
    before = AuditEvent.objects.filter(action="access denied").count()
    # A document the case team added is not the practitioner's to download.
    assert client.get(reverse("portal:download_document", args=[world.case.pk, staff_document.pk])).status_code == 404
    # Another practitioner cannot reach this one's document.
    other = UserFactory(email="other.prac@test.lotus.test", organisation=world.organisation, roles=("practitioner",))
    TOTPDeviceFactory(user=other)
    PractitionerFactory(organisation=world.organisation, user=other)
    from tests.conftest import signed_in_client

    response = signed_in_client(other).get(reverse("portal:download_document", args=[world.case.pk, document.pk]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="access denied").count() == before + 2


def test_the_case_team_reads_them_and_the_pastoral_contact_does_not(world, client_for):
    reflection = services.reflection_add(actor=world.users["practitioner"], case=world.case,
                                         text="FICTIONAL own words", files=[("statement.txt", STATEMENT)])
    document = reflection.documents.get()
    for role in ("case_manager", "professional_advisor", "administrator"):
        html = client_for(role).get(reverse("cases:show_case", args=[world.case.pk])).content.decode()
        assert "From the practitioner" in html and "FICTIONAL own words" in html, role
        assert reverse("cases:download_document", args=[world.case.pk, document.pk]) in html, role
    html = client_for("pastoral_contact").get(reverse("cases:show_case", args=[world.case.pk])).content.decode()
    assert "FICTIONAL own words" not in html and "statement.txt" not in html


def test_the_panel_reads_them_unless_conflicted(world, client_for, item, panel_members):
    reflection = services.reflection_add(actor=world.users["practitioner"], case=world.case,
                                         text="FICTIONAL own words", files=[("statement.txt", STATEMENT)])
    document = reflection.documents.get()
    url = reverse("panels:download_reflection_document", args=[item.meeting_id, item.pk, document.pk])
    chair = client_for("panel_member")
    # Papers open to a member once they have declared (issue 19).
    panel_services.conflict_declare(actor=world.users["panel_member"], item=item, has_conflict=False)
    papers = chair.get(reverse("panels:show_item", args=[item.meeting_id, item.pk])).content.decode()
    assert "FICTIONAL own words" in papers and url in papers
    response = chair.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == STATEMENT
    assert AuditEvent.objects.filter(action="download", object_id=str(document.pk),
                                     actor_id=world.users["panel_member"].pk).exists()
    # A document that is not from a reflection is not reachable through the item.
    staff_document = case_services.document_upload(actor=world.users["case_manager"], case=world.case,
                                                   title="Staff note", file_name="staff.txt", data=b"Staff only\n")
    other_url = reverse("panels:download_reflection_document", args=[item.meeting_id, item.pk, staff_document.pk])
    assert chair.get(other_url).status_code == 404
    second = services.reflection_add(actor=world.users["practitioner"], case=world.case, text="",
                                     files=[("second.txt", STATEMENT)]).documents.get()
    second_url = reverse("panels:download_reflection_document", args=[item.meeting_id, item.pk, second.pk])
    # A document the case team withdrew stays named but is no longer handed out.
    case_services.document_withdraw(actor=world.users["case_manager"], document=document,
                                    reason="Sent by mistake, the practitioner asked")
    papers = chair.get(reverse("panels:show_item", args=[item.meeting_id, item.pk])).content.decode()
    assert "statement.txt (withdrawn by the case team)" in papers and url not in papers
    assert chair.get(url).status_code == 404
    assert chair.get(second_url).status_code == 200
    # Once the chair declares a conflict, the papers are closed to them.
    panel_services.conflict_declare(actor=world.users["panel_member"], item=item, has_conflict=True,
                                    details="A fictional friendship")
    assert chair.get(second_url).status_code == 404


def test_the_meeting_pack_names_the_documents(world, item):
    services.reflection_add(actor=world.users["practitioner"], case=world.case, text="FICTIONAL own words",
                            files=[("statement.txt", STATEMENT)])
    pack = panel_selectors.meeting_pack(world.users["case_manager"], item.meeting, request=None)
    (entry,) = pack.items
    (reflection,) = entry.papers.reflections
    assert reflection.text == "FICTIONAL own words"
    assert [document.name for document in reflection.documents] == ["statement.txt"]
    text = "\n".join(line.text for line in rendering.pack_lines(pack))
    assert "The practitioner's own words" in text and "statement.txt" in text
    assert rendering.pack_pdf(pack).startswith(b"%PDF")
