"""Journeys through the leadership toolkit: read a step, take an assessment and see its
history, reflect and get actions, tick routines over several days, and run a team
session to its results with five members. Every page is checked with axe."""

import datetime as dt
import re

import pytest
import time_machine
from playwright.sync_api import expect

from lotus.accounts.roles import Role
from lotus.toolkit import services
from lotus.toolkit.content import INSTRUMENTS, TEAM_INSTRUMENTS
from lotus.toolkit.models import JournalEntry, TeamSession
from tests.factories import UserFactory
from tests.system.journey import signed_in_as
from tests.toolkit.helpers import all_answers

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]


def answer_all(page, slug, value, skip=()):
    instrument = INSTRUMENTS[slug]
    for item in instrument.items:
        if item.key in skip:
            continue
        page.locator(f'input[name="{item.key}"][value="{value}"]').check()


def test_read_a_step_and_take_an_assessment_twice_to_see_the_change(journey, world):
    leader = world.users["case_manager"]
    # Given a case manager signed in, on the toolkit's home page
    page = signed_in_as(journey, leader).visit("/")
    journey.follow(page.get_by_role("link", name="Leadership toolkit").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Leadership toolkit")
    expect(page.get_by_text("You have read 0 of 5 steps.")).to_be_visible()

    # When they read step 1 and mark it as read
    journey.follow(page.get_by_role("link", name="Step 1: Learn"))
    expect(page.get_by_role("img", name="The four elements of compassion")).to_be_visible()
    journey.press("Mark this step as read")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Step 1 marked as read")

    # And start the four elements assessment but leave one statement out
    journey.follow(page.get_by_role("link", name="Take the self-assessment: the four elements of compassion"))
    answer_all(page, "four-elements", 2, skip={"helping_3"})
    journey.press("Save and see my result")

    # Then it is saved as a draft, not scored, and says what is missing
    expect(page.get_by_text("Saved as a draft, not scored yet")).to_be_visible()
    expect(page.get_by_text("Still to answer: statement 12.")).to_be_visible()

    # When they answer it and save
    page.locator('input[name="helping_3"][value="2"]').check()
    journey.press("Save and see my result")

    # Then they see the result with a chart, its figures as text, and how it was worked out
    expect(page.get_by_role("img", name="Your scores")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("Attending")
    expect(page.get_by_text("This is the first time you have taken this assessment")).to_be_visible()

    # When they take it again later with higher answers
    journey.follow(page.get_by_role("link", name="Take this assessment again"))
    answer_all(page, "four-elements", 4)
    journey.press("Save and see my result")

    # Then the change since last time and the history are shown
    expect(page.locator("table").first).to_contain_text("Up 2.0")
    expect(page.get_by_role("heading", name="Your history")).to_be_visible()
    expect(page.get_by_text("(this one)")).to_be_visible()


def test_write_a_reflection_get_actions_and_review_one(journey, world):
    leader = world.users["professional_advisor"]
    page = signed_in_as(journey, leader).visit("/toolkit/reflections/")
    # When they start exercise 1.3.i and send it empty
    journey.follow(page.get_by_role("link", name="Exercise 1.3.i: Your four elements"))
    journey.press("Save reflection")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Write an answer to at least one question")

    # When they write, add two actions and save
    page.get_by_label("Which of the four elements comes most easily to you?").fill("Attending. مرحبا 🌱")
    page.get_by_label("Action 1: what will you do?").fill("Ask each person how they are, and wait")
    page.locator("#action_1_due_on-day").fill("1")
    page.locator("#action_1_due_on-month").fill("3")
    page.locator("#action_1_due_on-year").fill("2027")
    page.get_by_label("Action 2: what will you do?").fill("Book time with the pastoral lead")
    journey.press("Save reflection")

    # Then the reflection is shown, right-to-left text and emoji intact, with its actions
    expect(page.get_by_text("Attending. مرحبا 🌱")).to_be_visible()
    expect(page.get_by_role("link", name="Ask each person how they are, and wait")).to_be_visible()

    # When they review an action from the actions page
    journey.visit("/toolkit/actions/")
    journey.follow(page.get_by_role("link", name="Book time with the pastoral lead"))
    page.get_by_label("Yes, I did it").check()
    journey.press("Save review")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Action reviewed")
    expect(page.get_by_text("Book time with the pastoral lead: done")).to_be_visible()


def test_tick_routines_over_several_days_without_javascript(no_js_journey, world):
    journey = no_js_journey
    leader = world.users["panel_member"]
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        page = signed_in_as(journey, leader).visit("/toolkit/routines/choose/")
        page.get_by_label("Time to connect").check()
        journey.press("Save routines")
        expect(page.get_by_role("heading", level=1)).to_have_text("Your routines")
    for day in (2, 3, 5):
        with time_machine.travel(dt.datetime(2026, 11, day, 17, 0, tzinfo=dt.UTC), tick=False):
            # (a new sign-in each day: sessions end after 30 idle minutes)
            page = signed_in_as(journey, leader).visit("/toolkit/")
            journey.follow(page.get_by_role("button", name="Tick off Time to connect for today"))
            expect(page.get_by_text("Time to connect – done today")).to_be_visible()
    with time_machine.travel(dt.datetime(2026, 11, 5, 17, 10, tzinfo=dt.UTC), tick=False):
        page = journey.visit("/toolkit/routines/")
        expect(page.get_by_text("1 day in a row")).to_be_visible()
        expect(page.get_by_text("Longest run: 2 days")).to_be_visible()
        # the missed 4th is a gap, and can still be ticked for a few days
        journey.follow(page.get_by_role("button", name="Tick off Time to connect for 4 November 2026"))
        expect(page.get_by_text("4 days in a row")).to_be_visible()


def test_run_a_team_session_to_its_results_with_five_members(journey, world):
    facilitator = world.users["case_manager"]
    page = signed_in_as(journey, facilitator).visit("/toolkit/team/new/")
    journey.press("Start session")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Select a team exercise")
    page.get_by_label("The four elements, as a team").check()
    page.get_by_label("Name of the session").fill("Fictional standards team")
    journey.press("Start session")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fictional standards team")
    session = TeamSession.objects.get()
    # Given four members who answered already
    members = [UserFactory(organisation=world.organisation, roles=(Role.PANEL_MEMBER,)) for _ in range(5)]
    for index, member in enumerate(members[:4]):
        services.team_session_answer(actor=member, session=session, answers=all_answers("team-four-elements", 2 + index % 3),
                                     comment=f"Fictional idea {index}")
    journey.visit(f"/toolkit/team/{session.pk}/")
    expect(page.get_by_text("1 more answer is needed")).to_be_visible()

    # When the fifth member answers through the link
    journey.page.context.clear_cookies()
    signed_in_as(journey, members[4]).visit(f"/toolkit/team/join/{session.join_code}/")
    for item in TEAM_INSTRUMENTS["team-four-elements"].items:
        page.locator(f'input[name="{item.key}"][value="4"]').check()
    page.get_by_label("What is one thing our team could do better? (optional)").fill("Fictional idea 4")
    journey.press("Send my answers")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("Your answers are in")

    # Then the facilitator sees the results together, without names
    journey.page.context.clear_cookies()
    signed_in_as(journey, facilitator).visit(f"/toolkit/team/{session.pk}/")
    expect(page.get_by_text("5 people have answered.")).to_be_visible()
    expect(page.get_by_role("img", name="Your team's average scores")).to_be_visible()
    expect(page.get_by_text("Fictional idea 4")).to_be_visible()
    page.get_by_label("What the team agreed").fill("Weekly check-ins")
    journey.press("Save")
    expect(page.locator(".nhsuk-notification-banner--success")).to_contain_text("conclusions are saved")


def test_a_new_reflection_is_kept_as_a_draft_while_typing(journey, world):
    leader = world.users["analyst"]
    page = signed_in_as(journey, leader).visit("/toolkit/reflections/new/5-1/")
    # When they type and pause
    page.get_by_label("What would you do differently now?").fill("Step back before replying")
    # Then a draft is saved without leaving the page, and the address becomes the draft's
    expect(page.get_by_role("status")).to_contain_text("Draft saved automatically", timeout=10_000)
    entry = JournalEntry.objects.get(owner=leader)
    assert entry.status == "draft" and entry.responses == {"differently": "Step back before replying"}
    expect(page).to_have_url(re.compile(rf"/toolkit/reflections/{entry.pk}/edit/$"))
    # And typing more updates the same draft rather than making another
    page.get_by_label("What would you do differently now?").fill("Step back, then ask what they need")
    expect(page.get_by_role("status")).to_contain_text("Draft saved automatically", timeout=10_000)
    page.wait_for_timeout(500)
    assert JournalEntry.objects.filter(owner=leader).count() == 1
    # And saving it properly finishes it
    journey.press("Save reflection")
    expect(page.get_by_role("heading", level=1)).to_have_text("The empathy trap")
    entry.refresh_from_db()
    assert entry.status == "saved" and entry.responses["differently"] == "Step back, then ask what they need"
