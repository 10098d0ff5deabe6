"""Every other page, and every form's error state, checked with axe.

The journeys cover the main paths; this walk visits the remaining pages an
administrator can reach, so that no template escapes the accessibility check.
"""

import re

import pytest
from playwright.sync_api import expect

from lotus.cases import services
from tests.factories import TaskFactory
from tests.system.journey import signed_in_as

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def test_every_page_and_form_error_passes_axe(journey, world):
    admin = world.users["administrator"]
    case = world.case
    practitioner = world.practitioner
    # Given a case with a task and a document, and an administrator who is signed in
    TaskFactory(case=case, title="Book the first meeting")
    document = services.document_upload(
        actor=admin,
        case=case,
        title="Referral letter",
        file_name="referral.txt",
        data=b"A fictional referral.\n",
    )
    page = signed_in_as(journey, admin).visit("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Administrator")

    # When they visit each page, and send the forms with the most kinds of field empty
    # (text, select, radios, checkboxes, date; the journeys cover textarea and file errors)
    journey.visit("/accessibility/")
    journey.visit("/privacy/")

    journey.visit("/practitioners/")
    journey.visit("/practitioners/add/")
    journey.press("Add practitioner")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"/practitioners/{practitioner.pk}/")
    journey.visit(f"/practitioners/{practitioner.pk}/equality/")

    journey.visit("/cases/open/")
    journey.press("Open case")
    expect(page).to_have_title(re.compile(r"^Error: "))

    journey.visit(f"/cases/{case.pk}/")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()

    journey.visit(f"/cases/{case.pk}/summary/")

    journey.visit(f"/cases/{case.pk}/tasks/add/")
    journey.press("Add task")
    expect(page).to_have_title(re.compile(r"^Error: "))

    journey.visit(f"/cases/{case.pk}/team/add/")

    journey.visit(f"/cases/{case.pk}/documents/{document.pk}/withdraw/")

    # Triage pages an administrator reaches (tests/system/test_triage.py walks the others)
    journey.visit("/triage/")
    journey.visit(f"/cases/{case.pk}/triage/")
    journey.visit(f"/cases/{case.pk}/triage/second/request/")
    journey.visit("/insights/triage-agreement/")
    journey.visit("/triage/settings/")
    page.get_by_label("Band 2 highest score").fill("6")
    journey.press("Save settings")
    expect(page).to_have_title(re.compile(r"^Error: "))

    # Panels and letters (tests/system/test_panels.py walks the journey through them)
    journey.visit("/panels/")
    journey.visit("/panels/schedule/")
    journey.visit("/letters/")
    journey.visit("/letters/settings/")
    page.get_by_label("Quorum").fill("0")
    journey.press("Save settings")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit("/letters/templates/")
    journey.visit("/letters/templates/add/")
    journey.press("Save template")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit("/letters/templates/")
    journey.follow(page.get_by_role("link", name="Panel outcome"))
    journey.visit(f"/cases/{case.pk}/letters/new/")
    journey.press("Open draft")
    expect(page).to_have_title(re.compile(r"^Error: "))
    page.get_by_role("radio", name="Case closed").check()
    journey.press("Open draft")
    expect(page.get_by_role("heading", name="Communication check")).to_be_visible()

    # And a page that is not there, or not theirs
    journey.visit(f"/cases/{world.other_org_case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

    # And then sign out
    journey.visit("/account/sign-out/")
    journey.press("Sign out")

    # Then they are signed out, and every page passed axe (each was checked as it loaded;
    # the fixture fails the test if any load went unchecked)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to LOTUS")
