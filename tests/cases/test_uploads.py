"""Uploading and downloading case documents through the real views (issue 2, "Documents"
and "Bad input"): refused uploads say why and store nothing; accepted ones are stored
under a random name outside the static and media roots and come back as attachments."""

import hashlib
import io
import re
import secrets
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from lotus.audit.models import AuditEvent
from lotus.cases import services
from lotus.cases.filetypes import UploadRefused
from lotus.cases.models import Document, TimelineEvent
from tests.cases.test_forms_bad_input import (
    assert_form_errors,
    assert_not_found,
    read_page,
    snapshot,
)
from tests.factories import CaseFactory

# --------------------------------------------------------------------------------------
# Files to upload, built here so the suite needs no fixtures on disk


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def docx_bytes() -> bytes:
    """The smallest Word document LOTUS should recognise: an OOXML zip with a body."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>A fictional statement.</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A valid 1 × 1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def exe_bytes() -> bytes:
    """The start of a Windows executable: 'MZ', a DOS header with zero bytes, a PE stub."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00" + bytes(range(256))


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.bat", "echo fictional\r\n")
    return buffer.getvalue()


# --------------------------------------------------------------------------------------
# Sending them


def multipart(fields: dict[str, str], file_name: str, data: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name exactly as given.

    Django's test client sends only the base name of a file, so a name with `../` or
    control characters has to be written by hand, as a hostile client would.
    """
    boundary = f"lotus-test-{secrets.token_hex(8)}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload_url(case) -> str:
    return f"/cases/{case.pk}/documents/upload/"


def upload(client, case, file_name: str, data: bytes, title: str = ""):
    body, content_type = multipart({"title": title}, file_name, data)
    return client.post(upload_url(case), data=body, content_type=content_type)


@pytest.fixture
def document_root(settings, tmp_path) -> Path:
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    return settings.DOCUMENT_ROOT


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def new_audit_actions(since: int) -> list[str]:
    return list(AuditEvent.objects.filter(sequence__gt=since).order_by("sequence").values_list("action", flat=True))


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


# --------------------------------------------------------------------------------------
# Refused uploads

MB = 1024 * 1024

REFUSALS = [
    pytest.param(
        "Large scan.pdf",
        lambda: b"%PDF-1.7\n" + b"0" * MB,
        "The selected file must be smaller than 1 MB",
        id="too-big",
    ),
    pytest.param(
        "Referral letter.pdf",
        exe_bytes,
        "The selected file must be a PDF, DOCX, XLSX, ODT, TXT, PNG or JPEG",
        id="executable-renamed-pdf",
    ),
    pytest.param(
        "Statement.docx",
        plain_zip_bytes,
        "The selected file must be a PDF, DOCX, XLSX, ODT, TXT, PNG or JPEG",
        id="zip-renamed-docx",
    ),
    pytest.param(
        "Empty.pdf",
        lambda: b"",
        "The selected file is empty. Choose a file that has something in it",
        id="empty",
    ),
    pytest.param(
        "Rota.docx",
        png_bytes,
        "The file's content is a PNG image, but its name does not end in .png. Check you chose the right file",
        id="png-named-docx",
    ),
    pytest.param(
        "Statement.pdf",
        docx_bytes,
        "The file's content is a Word document (DOCX), but its name does not end in .docx. "
        "Check you chose the right file",
        id="docx-named-pdf",
    ),
    pytest.param(
        "N" * 197 + ".pdf",
        pdf_bytes,
        "The file name must be 200 characters or fewer",
        id="name-too-long",
    ),
]


@pytest.mark.parametrize(("file_name", "data", "message"), REFUSALS)
@pytest.mark.django_db
def test_refused_upload_says_why_and_stores_nothing(world, client_for, document_root, file_name, data, message):
    before, since = snapshot(), last_sequence()
    title = "Typed title <kept>"
    response = upload(client_for("case_manager"), world.case, file_name, data(), title=title)
    page = assert_form_errors(response, {"file": message})
    assert page.inputs["title"] == title
    assert stored_files(document_root) == []
    # Only the refusal itself is recorded.
    assert new_audit_actions(since) == ["upload refused"]
    refusal = AuditEvent.objects.get(sequence=since + 1)
    assert refusal.details["reason"] == message
    assert (refusal.object_type, refusal.object_id) == ("case", str(world.case.pk))
    after = snapshot()
    after["counts"].pop("AuditEvent"), before["counts"].pop("AuditEvent")
    assert after == before


@pytest.mark.django_db
def test_upload_with_no_file_chosen(world, client_for, document_root):
    before = snapshot()
    response = client_for("case_manager").post(upload_url(world.case), {"title": "Typed title"})
    page = assert_form_errors(response, {"file": "Select a file to upload"})
    assert page.inputs["title"] == "Typed title"
    assert snapshot() == before
    assert stored_files(document_root) == []


DANGEROUS_NAMES = [
    pytest.param(
        "../../lotus/config/settings.pdf",
        "The file name must not contain slashes or start with a full stop. Rename the file and upload it again",
        id="dot-dot-slash",
    ),
    pytest.param(
        "..\\..\\Windows\\report.pdf",
        "The file name must not contain slashes or start with a full stop. Rename the file and upload it again",
        id="dot-dot-backslash",
    ),
    pytest.param(
        "report\x1b[2J.pdf",
        "The file name contains hidden control characters. Rename the file and upload it again",
        id="escape-character",
    ),
    pytest.param(
        "invoice\u202efdp.exe.pdf",
        "The file name contains hidden control characters. Rename the file and upload it again",
        id="right-to-left-override",
    ),
]


@pytest.mark.parametrize(("file_name", "message"), DANGEROUS_NAMES)
@pytest.mark.django_db
def test_upload_with_a_dangerous_name_is_refused_through_the_view(
    world, client_for, document_root, file_name, message
):
    before = snapshot()
    response = upload(client_for("case_manager"), world.case, file_name, pdf_bytes(), title="Typed title")
    page = assert_form_errors(response, {"file": message})
    assert page.inputs["title"] == "Typed title"
    assert stored_files(document_root) == []
    after = snapshot()
    after["counts"].pop("AuditEvent"), before["counts"].pop("AuditEvent")
    assert after == before


@pytest.mark.parametrize(("file_name", "message"), DANGEROUS_NAMES)
@pytest.mark.django_db
def test_upload_service_refuses_a_dangerous_name(world, document_root, file_name, message):
    before = snapshot()
    with pytest.raises(UploadRefused) as refusal:
        services.document_upload(
            actor=world.users["case_manager"], case=world.case, title="", file_name=file_name, data=pdf_bytes()
        )
    assert str(refusal.value) == message
    assert stored_files(document_root) == []
    after = snapshot()
    assert after["counts"].pop("AuditEvent") == before["counts"].pop("AuditEvent") + 1
    assert after == before


@pytest.mark.django_db
def test_upload_to_a_closed_case_is_refused(world, client_for, document_root):
    closed = CaseFactory(organisation=world.organisation, closed=True, practitioner=world.practitioner,
                         owner=world.users["case_manager"], team=[world.users["case_manager"]])
    before = snapshot()
    response = upload(client_for("case_manager"), closed, "Late.pdf", pdf_bytes())
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{closed.pk}/"
    assert stored_files(document_root) == []
    assert snapshot() == before
    with pytest.raises(UploadRefused, match="This case is closed, so documents cannot be added"):
        services.document_upload(
            actor=world.users["case_manager"], case=closed, title="", file_name="Late.pdf", data=pdf_bytes()
        )
    assert stored_files(document_root) == []


@pytest.mark.parametrize("role", ["pastoral_contact", "off_team_case_manager", "analyst", "practitioner"])
@pytest.mark.django_db
def test_people_who_may_not_add_evidence_get_a_404(world, client_for, document_root, role):
    response = upload(client_for(role), world.case, "Notes.txt", b"Fictional notes\n")
    assert_not_found(response)
    assert stored_files(document_root) == []
    assert not Document.objects.exists()
    assert AuditEvent.objects.filter(action="access denied", object_type="case", object_id=str(world.case.pk)).exists()


# --------------------------------------------------------------------------------------
# Accepted uploads

ACCEPTED = [
    pytest.param("Referral letter.pdf", pdf_bytes, "application/pdf", id="pdf"),
    pytest.param(
        "Statement.docx",
        docx_bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        id="docx",
    ),
    pytest.param("Rota screenshot.png", png_bytes, "image/png", id="png"),
    pytest.param("Photo.JPG", jpeg_bytes, "image/jpeg", id="jpeg"),
    pytest.param("Notes from the call.txt", lambda: "Fictional notes – with a dash\n".encode(), "text/plain", id="txt"),
]


def _inside(path: Path, root) -> bool:
    if not root:
        return False
    return path.resolve().is_relative_to(Path(root).resolve())


@pytest.mark.parametrize(("file_name", "data", "media_type"), ACCEPTED)
@pytest.mark.django_db
def test_accepted_upload_is_stored_under_a_random_name_and_downloads_as_an_attachment(
    world, client_for, document_root, file_name, data, media_type
):
    content = data()
    client = client_for("case_manager")
    since = last_sequence()
    response = upload(client, world.case, file_name, content, title="Evidence from the practice")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{world.case.pk}/"

    document = Document.objects.get(case=world.case)
    assert document.title == "Evidence from the practice"
    assert document.original_name == file_name
    assert document.media_type == media_type
    assert document.size_bytes == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.uploaded_by == world.users["case_manager"]
    assert re.fullmatch(r"[0-9a-f]{48}", document.stored_name)

    files = stored_files(document_root)
    assert files == [services.document_path(document)]
    stored = files[0]
    assert stored.name == document.stored_name
    assert stored.read_bytes() == content
    assert Path(file_name).stem not in str(stored)
    for root in (django_settings.STATIC_ROOT, django_settings.MEDIA_ROOT, *[d[1] for d in django_settings.STATICFILES_DIRS]):
        assert not _inside(stored, root)

    assert TimelineEvent.objects.filter(case=world.case, title="Document added: Evidence from the practice").exists()
    assert new_audit_actions(since) == ["upload"]
    assert AuditEvent.objects.get(sequence=since + 1).details["sha256"] == document.sha256

    page = read_page(client.get(response["Location"]))
    assert "Document uploaded" in page.text
    download_url = f"/cases/{world.case.pk}/documents/{document.pk}/download/"
    assert any(attrs.get("href") == download_url for tag, attrs in page.elements if tag == "a")

    since = last_sequence()
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{file_name}"'
    assert download["Content-Type"].startswith(media_type)
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == content
    assert new_audit_actions(since) == ["download"]
    event = AuditEvent.objects.get(sequence=since + 1)
    assert (event.object_type, event.object_id, event.actor_id) == (
        "document",
        str(document.pk),
        world.users["case_manager"].pk,
    )


@pytest.mark.django_db
def test_blank_title_uses_the_file_name_and_a_non_ascii_name_survives_download(world, client_for, document_root):
    name = "Témoignage – résumé.pdf"
    client = client_for("professional_advisor")
    response = upload(client, world.case, name, pdf_bytes())
    assert response.status_code == 302
    document = Document.objects.get(case=world.case)
    assert (document.title, document.original_name) == (name, name)
    download = client.get(f"/cases/{world.case.pk}/documents/{document.pk}/download/")
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''T%C3%A9moignage%20%E2%80%93%20r%C3%A9sum%C3%A9.pdf" in disposition
    assert b"".join(download.streaming_content) == pdf_bytes()


@pytest.mark.django_db
def test_exactly_the_size_limit_is_accepted(world, client_for, document_root):
    content = b"%PDF-1.7\n" + b"0" * (MB - 9)
    assert len(content) == django_settings.DOCUMENT_MAX_BYTES
    response = upload(client_for("case_manager"), world.case, "Exactly one megabyte.pdf", content)
    assert response.status_code == 302
    assert Document.objects.get(case=world.case).size_bytes == MB


def test_default_document_root_is_outside_the_static_and_media_roots():
    from lotus.config.settings import base

    assert not base.DOCUMENT_ROOT.resolve().is_relative_to(Path(base.STATIC_ROOT).resolve())
    assert not Path(base.STATIC_ROOT).resolve().is_relative_to(base.DOCUMENT_ROOT.resolve())
    media_root = getattr(base, "MEDIA_ROOT", "")
    if media_root:
        assert not base.DOCUMENT_ROOT.resolve().is_relative_to(Path(media_root).resolve())
    assert base.DOCUMENT_MAX_BYTES == 20 * MB


# --------------------------------------------------------------------------------------
# Downloads out of reach


@pytest.fixture
def document(world, document_root):
    return services.document_upload(
        actor=world.users["case_manager"],
        case=world.case,
        title="Statement",
        file_name="Statement.txt",
        data=b"A fictional statement.\n",
    )


def download_url(case_id, document_id) -> str:
    return f"/cases/{case_id}/documents/{document_id}/download/"


@pytest.mark.parametrize(
    ("role", "object_type"),
    [
        ("pastoral_contact", "case"),  # on the team, but kept apart from the evidence
        ("off_team_case_manager", "case"),
        ("other_org_administrator", "case"),
        ("analyst", "case"),
        ("practitioner", "case"),
    ],
)
@pytest.mark.django_db
def test_download_out_of_reach_is_an_audited_404(world, client_for, document, role, object_type):
    since = last_sequence()
    response = client_for(role).get(download_url(world.case.pk, document.pk))
    assert_not_found(response)
    assert new_audit_actions(since) == ["access denied"]
    event = AuditEvent.objects.get(sequence=since + 1)
    assert event.actor_id == world.users[role].pk
    assert event.object_type == object_type
    assert b"A fictional statement" not in response.content


@pytest.mark.django_db
def test_unknown_document_is_an_audited_404(world, client_for, document):
    since = last_sequence()
    response = client_for("case_manager").get(download_url(world.case.pk, 987654))
    assert_not_found(response)
    assert new_audit_actions(since) == ["access denied"]
    event = AuditEvent.objects.get(sequence=since + 1)
    assert (event.object_type, event.object_id) == ("document", "987654")


@pytest.mark.django_db
def test_document_of_another_case_cannot_be_reached_through_this_case(world, client_for, document_root):
    """The off-team manager's document, asked for through a case the asker can see."""
    foreign = services.document_upload(
        actor=world.users["off_team_case_manager"],
        case=world.other_team_case,
        title="Elsewhere",
        file_name="Elsewhere.txt",
        data=b"Another case's evidence\n",
    )
    for url in (download_url(world.case.pk, foreign.pk), f"/cases/{world.case.pk}/documents/{foreign.pk}/withdraw/"):
        since = last_sequence()
        response = client_for("case_manager").get(url)
        assert_not_found(response)
        assert b"Another case" not in response.content
        assert new_audit_actions(since) == ["access denied"]
        event = AuditEvent.objects.get(sequence=since + 1)
        assert (event.object_type, event.object_id) == ("document", str(foreign.pk))


@pytest.mark.django_db
def test_a_withdrawn_document_is_no_longer_downloaded(world, client_for, document):
    """The withdraw page promises it: 'A withdrawn document can no longer be downloaded.'"""
    client = client_for("case_manager")
    assert client.post(f"/cases/{world.case.pk}/documents/{document.pk}/withdraw/", {"reason": "Sent in error"}).status_code == 302
    since = last_sequence()
    response = client.get(download_url(world.case.pk, document.pk))
    assert_not_found(response)
    assert new_audit_actions(since) == ["access denied"]
    assert Document.objects.filter(pk=document.pk).exists()
    assert services.document_path(document).exists()  # kept on record, just not offered
