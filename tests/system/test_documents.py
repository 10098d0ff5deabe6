"""Journey 4: uploading a document, downloading it, and a refused upload."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lotus.cases.models import Document
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

NOTES = b"Call with the practitioner, 3 March.\nAgreed to meet next week.\n"
#: The start of a Windows executable ("MZ" header), given a PDF's name.
EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 240
    + b"This program cannot be run in DOS mode."
)


def file_input(page):
    # With JavaScript, NHS.UK's file upload puts a drop-zone button (id "file") in front
    # of the real input; the input itself is what receives the file.
    return page.locator('input[type="file"][name="file"]')


def test_upload_a_text_file_download_it_and_be_told_why_an_executable_is_refused(journey, world):
    manager = world.users["case_manager"]
    case = world.case

    # Given the case manager is signed in and looking at the case
    page = signed_in_as(journey, manager).visit(f"/cases/{case.pk}/")
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.get_by_text("No documents have been added.")).to_be_visible()

    # When they upload a small text file with a title
    journey.follow(page.get_by_role("link", name="Upload a document"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a document")
    page.get_by_label("Document title", exact=True).fill("Notes from the first call")
    file_input(page).set_input_files(
        files=[{"name": "call-notes.txt", "mimeType": "text/plain", "buffer": NOTES}]
    )
    journey.press("Upload document")

    # Then they are back on the case, with the document listed and on the timeline
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Document uploaded")
    download_link = page.get_by_role("link", name="Notes from the first call", exact=True)
    document = Document.objects.get(case=case)
    expect(download_link).to_have_attribute(
        "href", f"/cases/{case.pk}/documents/{document.pk}/download/"
    )
    expect(page.get_by_text("call-notes.txt")).to_be_visible()
    expect(page.locator(".app-timeline > li").first).to_contain_text(
        "Document added: Notes from the first call"
    )

    # When they follow the download link
    with page.expect_download() as download_info:
        download_link.click()

    # Then they get the same file back, under its own name
    download = download_info.value
    assert download.suggested_filename == "call-notes.txt"
    assert Path(download.path()).read_bytes() == NOTES

    # When they upload an executable renamed to look like a PDF
    journey.follow(page.get_by_role("link", name="Upload a document"))
    file_input(page).set_input_files(
        files=[
            {"name": "discharge-letter.pdf", "mimeType": "application/pdf", "buffer": EXECUTABLE}
        ]
    )
    journey.press("Upload document")

    # Then the page says why, in an error summary linked to the file field
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    link = summary.locator('a[href="#file"]')
    expect(link).to_have_count(1)
    message = link.inner_text().strip()
    assert message, "the error summary link has no text"
    field_error = page.locator("#file-error")
    expect(field_error).to_contain_text(message)
    expect(page.locator("#file")).to_have_attribute(
        "aria-describedby", re.compile(r"\bfile-error\b")
    )
    link.click()
    expect(page.locator("#file")).to_be_focused()

    # And nothing was stored
    assert Document.objects.filter(case=case).count() == 1
    journey.follow(page.get_by_role("link", name="Cancel and go back to the case"))
    expect(page.get_by_text("discharge-letter.pdf")).to_have_count(0)
    expect(page.locator(".app-timeline")).not_to_contain_text("discharge-letter.pdf")
