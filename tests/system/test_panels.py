"""Journey: schedule a panel, add a case, declare a conflict, record the decision, edit
the generated letter and see the check, approve, send; then the practitioner reads the
letter, the shared triage and what happens next, and gives consent. Axe on every page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lotus.accounts.roles import Role
from lotus.cases.models import Case, CaseTeamMember
from lotus.letters.models import Letter
from lotus.panels import services as panel_services
from lotus.panels.models import AgendaItem, Decision
from lotus.triage import services as triage_services
from tests.factories import TOTPDeviceFactory, UserFactory
from tests.system.journey import signed_in_as
from tests.triage.conftest import fill, score, start, submit

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def shared_triage(world):
    advisor = world.users["professional_advisor"]
    Case.objects.filter(pk=world.case.pk).update(status="triage")
    case = Case.objects.get(pk=world.case.pk)
    review = start(case, advisor)
    score(review, advisor)
    fill(review, advisor)
    review = submit(review, advisor)
    triage_services.review_share(actor=advisor, review=review, withheld=[], withheld_reason="",
                                 expected_version=review.version)
    Case.objects.filter(pk=world.case.pk).update(status="awaiting_panel")


def test_panel_to_letter_to_the_practitioners_own_view(journey, world):
    manager = world.users["case_manager"]
    others = []
    for n, name in ((2, "Dr Lee Second"), (3, "Dr Kim Third"), (4, "Dr Jo Fourth")):
        user = UserFactory(email=f"panel{n}@test.lotus.test", full_name=name, organisation=world.organisation,
                           roles=(Role.PANEL_MEMBER,))
        TOTPDeviceFactory(user=user)
        others.append(user)
    approver = UserFactory(email="approver@test.lotus.test", full_name="Second Manager",
                           organisation=world.organisation, roles=(Role.CASE_MANAGER,))
    TOTPDeviceFactory(user=approver)
    CaseTeamMember.objects.create(case=world.case, user=approver)
    shared_triage(world)
    today = timezone.localdate()

    # Given a case manager at the panel meetings page
    page = signed_in_as(journey, manager).visit("/panels/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Panel meetings")

    # When they schedule a meeting without members, they are told, and the place is kept
    journey.follow(page.get_by_role("link", name="Schedule a meeting").or_(page.get_by_role("button", name="Schedule a meeting")))
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Time the meeting starts").fill("00:00")  # earlier today: decisions may be recorded
    page.get_by_label("Where the meeting is").fill("Room 4")
    journey.press("Schedule meeting")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select at least one panel member")
    expect(page.get_by_label("Where the meeting is")).to_have_value("Room 4")
    for name in ("Panel Member", "Dr Lee Second", "Dr Kim Third", "Dr Jo Fourth"):
        page.get_by_role("checkbox", name=name).check()
    page.get_by_label("Chair").select_option(label="Panel Member")
    journey.press("Schedule meeting")

    # And add the case to the agenda
    expect(page.get_by_role("heading", level=1)).to_contain_text("PAG meeting on")
    journey.follow(page.get_by_role("link", name="Add a case to the agenda").or_(page.get_by_role("button", name="Add a case to the agenda")))
    page.get_by_label("Case").select_option(index=1)
    journey.press("Add to agenda")
    meeting_url = page.url

    # And record who attended: quorum counts only those who came (issue 19)
    journey.follow(page.get_by_role("link", name="Record who attended").or_(page.get_by_role("button", name="Record who attended")))
    for name in ("Panel Member", "Dr Lee Second", "Dr Kim Third", "Dr Jo Fourth"):
        page.get_by_role("checkbox", name=name).check()
    page.get_by_label("Who chaired the meeting").select_option(label="Panel Member")
    journey.press("Save attendance")
    for member in others[1:]:
        panel_services.conflict_declare(actor=member, item=AgendaItem.objects.get(), has_conflict=False)

    # When the chair opens the item, they declare before the papers open to them
    signed_in_as(journey, world.users["panel_member"]).visit(meeting_url)
    journey.follow(page.get_by_role("link", name=re.compile("Declare")))
    expect(page.locator("main")).not_to_contain_text("Evidence")
    page.check("input[name=has_conflict][value='no']")
    journey.press("Save declaration")

    # When a member declares a conflict, they lose the item's papers; three remain, still quorate
    signed_in_as(journey, others[0]).visit(meeting_url)
    journey.follow(page.get_by_role("link", name=re.compile("Declare")))
    page.check("input[name=has_conflict][value='yes']")
    journey.press("Save declaration")
    expect(page).to_have_title(re.compile(r"^Error: "))
    page.get_by_label("If yes, describe the conflict").fill("We trained together.")
    journey.press("Save declaration")
    expect(page.locator("main")).to_contain_text("papers hidden: you declared a conflict of interest")
    expect(page.locator("main")).to_contain_text("3 of 3 needed")

    # When the case manager records the decision, missing the reasons first
    signed_in_as(journey, manager).visit(meeting_url)
    journey.follow(page.get_by_role("link", name=re.compile(r"papers")))
    journey.follow(page.get_by_role("link", name="Record the decision").or_(page.get_by_role("button", name="Record the decision")))
    page.get_by_role("checkbox", name="No further action").check()
    page.get_by_role("checkbox", name="Commission an investigation").check()
    journey.press("Record decision")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter the reasons for the decision")
    page.get_by_label("Reasons for the decision").fill("the panel wants to hear your side before it decides anything more.")
    journey.press("Record decision")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("cannot be decided together")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("No further action")
    page.get_by_role("checkbox", name="No further action").uncheck()
    page.get_by_role("checkbox", name="Commission an investigation").uncheck()
    page.get_by_role("checkbox", name="Occupational health assessment").check()
    page.get_by_role("checkbox", name="Ask the practitioner for their reflections").check()
    page.get_by_label("Reasons for the decision").fill("x")
    journey.press("Record decision")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("at least one full sentence")
    assert not Decision.objects.exists()
    page.get_by_label("Reasons for the decision").fill("the panel wants to hear your side before it decides anything more.")
    journey.press("Record decision")

    # Then the outcome letter is open, with the communication check beside it
    expect(page.get_by_role("heading", name="Communication check")).to_be_visible()
    expect(page.locator("main")).to_contain_text("ask you for your reflections")
    body = page.get_by_label("Letter", exact=True)
    body.fill(body.input_value() + "\n\nThank you for your patience.")
    journey.press("Save letter")
    expect(page.locator("main")).to_contain_text("Every check passes")
    letter_url = page.url

    # When a second case manager approves it, and the first marks it sent (twice)
    signed_in_as(journey, approver).visit(letter_url)
    journey.press("Approve letter")
    expect(page.locator("main")).to_contain_text("Letter approved")
    signed_in_as(journey, manager).visit(letter_url)
    journey.follow(page.get_by_role("link", name="Mark as sent").or_(page.get_by_role("button", name="Mark as sent")))
    page.check("input[name=channel][value='portal']")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    journey.press("Mark as sent")
    expect(page.locator("main")).to_contain_text("Letter marked as sent")
    assert Letter.objects.get().status == "sent"

    # Then the practitioner sees the letter, the shared triage and what happens next
    signed_in_as(journey, world.users["practitioner"]).visit("/")
    journey.follow(page.get_by_role("link", name="Your case").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case")
    expect(page.locator("main")).to_contain_text("What happens next")
    journey.follow(page.get_by_role("link", name=re.compile("What the PAG decided")))
    expect(page.locator("main")).to_contain_text("Thank you for your patience.")
    journey.follow(page.get_by_role("link", name="Back to your case"))
    journey.follow(page.get_by_role("link", name="Read your triage review"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your triage review")
    journey.visit(f"/portal/cases/{world.case.pk}/")

    # And gives consent to share an occupational health report
    journey.follow(page.get_by_role("link", name=re.compile("^Answer")))
    journey.press("Save your answer")
    expect(page).to_have_title(re.compile(r"^Error: "))
    page.get_by_role("radio", name="Yes, I give consent").check()
    journey.press("Save your answer")
    expect(page.locator("main")).to_contain_text("Consent given")

    # And adds reflections for the next panel
    journey.follow(page.get_by_role("link", name="Add your reflections").or_(page.get_by_role("button", name="Add your reflections")))
    page.get_by_label("Your reflections or response").fill("I have changed how I hand over referrals.")
    journey.press("Send to the panel")
    expect(page.locator("main")).to_contain_text("I have changed how I hand over referrals.")


def test_consent_asked_by_hand_and_reflections_sent_with_a_document(journey, world, tmp_path):
    """A case manager asks for consent from the case page; the practitioner sends their
    reflections with a document (a refused file first); the case team reads both."""
    manager = world.users["case_manager"]
    Case.objects.filter(pk=world.case.pk).update(status="awaiting_panel")

    # Given a case manager on the case page
    page = signed_in_as(journey, manager).visit(f"/cases/{world.case.pk}/")
    expect(page.locator("main")).to_contain_text("Nobody has asked for consent yet.")

    # When they ask for consent without a reason, they are told; then they send it
    journey.follow(page.get_by_role("link", name="Ask the practitioner for consent"))
    page.get_by_label("Why you are asking for the report").fill("")
    journey.press("Send the request")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter why you are asking for the report")
    page.get_by_label("Why you are asking for the report").fill("We would like to understand what would help you.")
    journey.press("Send the request")
    expect(page.locator("main")).to_contain_text("waiting for their answer")

    # Then the practitioner reads why, and sends reflections; a program file is refused
    signed_in_as(journey, world.users["practitioner"]).visit(f"/portal/cases/{world.case.pk}/")
    expect(page.locator("main")).to_contain_text("We would like to understand what would help you.")
    journey.follow(page.get_by_role("link", name="Add your reflections").or_(page.get_by_role("button", name="Add your reflections")))
    bad = tmp_path / "certificate.pdf"
    bad.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00")
    good = tmp_path / "statement.txt"
    good.write_bytes(b"A fictional statement about the handover.\n")
    page.get_by_label("Your reflections or response").fill("I have changed how I hand over referrals.")
    page.locator("input[type=file][name=documents]").set_input_files([str(good), str(bad)])
    journey.press("Send to the panel")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("certificate.pdf")
    expect(page.get_by_label("Your reflections or response")).to_have_value("I have changed how I hand over referrals.")
    page.locator("input[type=file][name=documents]").set_input_files([str(good)])
    journey.press("Send to the panel")
    expect(page.locator("main")).to_contain_text("I have changed how I hand over referrals.")
    expect(page.get_by_role("link", name="statement.txt")).to_be_visible()

    # And the case manager reads them, marked as the practitioner's own
    signed_in_as(journey, manager).visit(f"/cases/{world.case.pk}/")
    expect(page.locator("main")).to_contain_text("From the practitioner")
    expect(page.locator("main")).to_contain_text("I have changed how I hand over referrals.")
    expect(page.get_by_role("link", name="statement.txt", exact=True)).to_be_visible()
