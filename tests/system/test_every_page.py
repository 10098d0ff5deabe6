"""Every other page, and every form's error state, checked with axe.

The journeys cover the main paths; this walk visits the remaining pages an
administrator can reach, so that no template escapes the accessibility check.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from lotus.accounts.roles import Role
from lotus.cases import services
from tests.factories import TaskFactory, UserFactory
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

    # And the accounts of their organisation: the list, one account, and disabling it
    # without a reason (an error), then with one
    target = world.users["panel_member"]
    journey.visit("/accounts/?q=panel")
    journey.visit(f"/accounts/{target.pk}/")
    journey.visit(f"/accounts/{target.pk}/disable/")
    journey.press("Disable account")
    expect(page).to_have_title(re.compile(r"^Error: "))
    page.get_by_label("Reason").fill("Left the trust")
    journey.press("Disable account")
    expect(page.get_by_text("account is disabled")).to_be_visible()
    journey.visit(f"/accounts/{target.pk}/enable/")
    # Triage pages an administrator reaches (tests/system/test_triage.py walks the others)
    journey.visit("/triage/")
    journey.visit(f"/cases/{case.pk}/triage/")
    journey.visit(f"/cases/{case.pk}/triage/second/request/")
    journey.visit("/insights/triage-agreement/")
    journey.visit("/insights/themes/?start=2025&end=2025+Q2")
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
    journey.follow(page.get_by_role("link", name="Panel outcome: several decisions"))
    journey.visit(f"/cases/{case.pk}/letters/new/")
    journey.press("Open draft")
    expect(page).to_have_title(re.compile(r"^Error: "))
    page.get_by_role("radio", name="Case closed", exact=True).check()
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


def test_every_support_page_and_form_error_passes_axe(journey, world):
    """The support and performance plan pages (issue 6) not walked by tests/system/test_support.py."""
    import datetime as dt

    from django.utils import timezone

    from lotus.support import services as support_services
    from lotus.support.models import SignpostResource

    admin = world.users["administrator"]
    manager = world.users["case_manager"]
    case = world.case
    # Given a case in triage with a support plan, an adjustment and a directory of resources
    services.case_transition(actor=manager, case=case, target="triage", reason="Checked")
    plan = case.support_plan
    adjustment = support_services.adjustment_add(
        actor=manager, plan=plan, kind="breaks", description="", status="requested",
        review_on=timezone.localdate() + dt.timedelta(days=7),
    )
    support_services.signposts_seed(world.organisation)
    resource = SignpostResource.objects.filter(organisation=world.organisation).first()
    page = signed_in_as(journey, admin).visit("/support/attention/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs attention")

    # When they visit each page and send the forms empty or half-filled
    journey.visit("/support/signposting/")
    journey.visit("/support/signposting/add/")
    journey.press("Save resource")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"/support/signposting/{resource.pk}/")
    journey.visit("/support/wellbeing/")
    journey.visit("/support/settings/")
    page.get_by_label("Working days to put the eight matters in place").fill("none")
    journey.press("Save service levels")
    expect(page).to_have_title(re.compile(r"^Error: "))
    base = f"/support/cases/{case.pk}"
    journey.visit(f"{base}/matters/guidance/")
    page.get_by_label("Not needed", exact=True).check()
    journey.press("Save")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"{base}/preferences/")
    journey.visit(f"{base}/occupational-health/add/")
    journey.press("Save")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"{base}/wellbeing/add/")
    journey.press("Save")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"{base}/adjustments/{adjustment.pk}/")
    journey.press("Save")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"{base}/pastoral-contact/")
    journey.press("Assign")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"/improvement/cases/{case.pk}/plans/start/")
    journey.press("Start the plan")
    expect(page).to_have_title(re.compile(r"^Error: "))

    # And the pastoral contact's own list
    page.context.clear_cookies()
    signed_in_as(journey, world.users["pastoral_contact"]).visit("/support/")
    expect(page.get_by_role("heading", level=1)).to_have_text("People you support")

    # And the named pastoral contact's list, with a contact overdue
    from lotus.support.models import SupportPlan

    named = UserFactory(organisation=world.organisation, full_name="Named Pastoral", roles=(Role.PASTORAL_CONTACT,))
    support_services.pastoral_contact_assign(actor=manager, plan=plan, person=named)
    SupportPlan.objects.filter(pk=plan.pk).update(opened_on=timezone.localdate() - dt.timedelta(days=30))
    page.context.clear_cookies()
    signed_in_as(journey, named).visit("/support/")
    expect(page.get_by_role("heading", name="Contacts due")).to_be_visible()
def test_every_toolkit_page_and_form_error_passes_axe(journey, world):
    from lotus.toolkit import services as toolkit
    from lotus.toolkit.content import EXERCISES, INSTRUMENTS, STEPS
    from tests.toolkit.helpers import all_answers, complete_attempt

    leader = world.users["pastoral_contact"]
    # Given a leader with a result for every self-assessment (two for one, to show history),
    # a reflection with an action, a routine, and a team session with enough answers
    attempts = {slug: complete_attempt(leader, slug, 3) for slug in INSTRUMENTS}
    complete_attempt(leader, "wellbeing-signs", 5)  # distress: support comes first
    attempts["flywheel-again"] = complete_attempt(leader, "flywheel", 4)
    draft = toolkit.assessment_save(actor=leader, instrument="four-elements", answers={"attending_1": 3}).attempt
    entry = toolkit.entry_save(
        actor=leader, exercise="1.3.i", responses={"strongest": "Listening"},
        actions=[toolkit.ActionRow(what="Ask one more question")],
    )
    toolkit.routines_choose(actor=leader, practices=["connect"], today=dt.date.today())
    session = toolkit.team_session_start(actor=leader, instrument="team-psychological-safety", title="Fictional team")
    for _ in range(5):
        member = UserFactory(organisation=world.organisation, roles=(Role.CASE_MANAGER,))
        toolkit.team_session_answer(actor=member, session=session, answers=all_answers("team-psychological-safety"),
                                    comment="A fictional comment")
    page = signed_in_as(journey, leader).visit("/toolkit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leadership toolkit")

    # When they visit every toolkit page, and send its forms empty or wrong
    for step in STEPS:
        journey.visit(f"/toolkit/learn/{step.slug}/")
    journey.visit("/toolkit/assessments/")
    for slug in INSTRUMENTS:
        journey.visit(f"/toolkit/assessments/take/{slug}/")
    journey.visit("/toolkit/assessments/take/radical-candour/")
    journey.press("Save and see my result")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"/toolkit/assessments/{draft.pk}/continue/")
    for attempt in attempts.values():
        journey.visit(f"/toolkit/assessments/{attempt.pk}/")
    journey.visit("/toolkit/reflections/")
    journey.visit("/toolkit/reflections/?q=listening")
    for exercise in EXERCISES:
        journey.visit(f"/toolkit/reflections/new/{exercise.slug}/")
    journey.press("Save reflection")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"/toolkit/reflections/{entry.pk}/")
    journey.visit(f"/toolkit/reflections/{entry.pk}/edit/")
    journey.visit("/toolkit/actions/")
    journey.visit(f"/toolkit/actions/{entry.actions.get().pk}/review/")
    journey.press("Save review")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit("/toolkit/routines/")
    journey.visit("/toolkit/routines/choose/")
    journey.visit("/toolkit/reminders/")
    journey.visit("/toolkit/team/")
    journey.visit("/toolkit/team/new/")
    journey.press("Start session")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"/toolkit/team/{session.pk}/")
    expect(page.get_by_text("5 people have answered.")).to_be_visible()
    journey.press("Invite")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit(f"/toolkit/team/join/{session.join_code}/")
    journey.press("Send my answers")
    expect(page).to_have_title(re.compile(r"^Error: "))
    journey.visit("/toolkit/your-data/")
    journey.visit("/toolkit/your-data/delete/")
    journey.press("Delete everything")
    expect(page).to_have_title(re.compile(r"^Error: "))

    expect(page.get_by_role("heading", level=1)).to_have_text("Delete everything in your toolkit")

    # And an administrator's page for the organisation's promise, with its error state
    page = signed_in_as(journey, world.users["administrator"]).visit("/toolkit/use/")
    journey.visit("/toolkit/promise/")
    page.get_by_label("Your organisation's promise").fill("")
    journey.press("Save promise")
    expect(page).to_have_title(re.compile(r"^Error: "))

    # Then every page passed axe (checked as each loaded)


def test_the_second_reviewers_pages_pass_axe(journey, world):
    """The second reviewer's way in: the queue's "Second reviews for you" and the case page."""
    from lotus.triage import services as triage_services

    manager = world.users["case_manager"]
    first_advisor = world.users["professional_advisor"]
    second_advisor = UserFactory(organisation=world.organisation, full_name="Second Advisor",
                                 roles=(Role.PROFESSIONAL_ADVISOR,))
    case = services.case_transition(actor=manager, case=world.case, target="triage", reason="Checked")
    case.team.create(user=second_advisor)
    # Given a first review under way and a second review asked of another advisor
    triage_services.review_start(actor=first_advisor, case=case, has_conflict=False)
    triage_services.second_review_request(actor=manager, case=type(case).objects.get(pk=case.pk), reviewer=second_advisor)
    # When the second advisor opens the triage queue, then their case page
    page = signed_in_as(journey, second_advisor).visit("/triage/")
    expect(page.get_by_role("heading", name="Second reviews for you")).to_be_visible()
    link = page.get_by_role("link", name=re.compile("second review"))
    expect(link).to_contain_text(re.compile(r"Blind [0-9A-Z]{4}-[0-9A-Z]{4}"))  # by its random code while blind
    expect(link).not_to_contain_text(case.reference)
    journey.follow(link)  # checked with axe like every page it loads (issue 19)
    expect(page.get_by_role("heading", level=1)).to_have_text("Conflicts of interest")
    journey.visit(f"/cases/{case.pk}/")
    expect(page.get_by_role("link", name=re.compile("Your independent second review"))).to_be_visible()
