"""Panel pages: the forms with bad input, quorum on the meeting page, conflicts hiding
papers, and the meeting pack."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from docx import Document as DocxDocument

from lotus.audit.models import AuditEvent
from lotus.cases.models import Task
from lotus.panels import selectors, services
from lotus.panels.models import AgendaItem, Decision, Meeting
from lotus.portal.models import Reflection
from tests.conftest import signed_in_client
from tests.panel_fixtures import attend_and_declare

pytestmark = pytest.mark.django_db


def test_scheduling_with_no_members_names_the_field_and_keeps_what_was_typed(world, client_for, panel_members):
    response = client_for("case_manager").post(reverse("panels:schedule_meeting"), {
        "held_on-day": "15", "held_on-month": "1", "held_on-year": "2027", "location": "Room 9 typed", "chair": "",
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select at least one panel member" in html
    assert "Room 9 typed" in html
    assert not Meeting.objects.exists()


def test_scheduling_a_meeting(world, client_for, panel_members):
    response = client_for("case_manager").post(reverse("panels:schedule_meeting"), {
        "held_on-day": "15", "held_on-month": "1", "held_on-year": "2027", "starts_at": "2pm", "location": "Room 9",
        "members": [m.pk for m in panel_members], "chair": panel_members[0].pk,
    })
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("panels:show_meeting", args=[meeting.pk])
    assert meeting.members.count() == 3


def test_the_meeting_page_shows_quorum_and_conflicts_per_item(world, client_for, item, panel_members):
    services.conflict_declare(actor=panel_members[1], item=item, has_conflict=True, details="Trained together")
    attend_and_declare(world, AgendaItem.objects.get(pk=item.pk))
    html = client_for("case_manager").get(reverse("panels:show_meeting", args=[item.meeting_id])).content.decode()
    assert "Not quorate" in html
    assert "2 of 3 needed" in html
    assert "Panel Member 2" in html


def test_a_conflicted_member_gets_404_for_the_papers_and_an_audit_event(world, item, panel_members):
    member = panel_members[1]
    client = signed_in_client(member)
    url = reverse("panels:show_item", args=[item.meeting_id, item.pk])
    assert client.get(url).status_code == 200
    response = client.post(reverse("panels:declare_conflict", args=[item.meeting_id, item.pk]),
                           {"has_conflict": "yes", "details": "We trained together"})
    assert response.status_code == 302
    assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="access denied", object_type="agenda_item",
                                     object_id=str(item.pk)).exists()
    html = client.get(reverse("panels:show_meeting", args=[item.meeting_id])).content.decode()
    assert "papers hidden: you declared a conflict of interest" in html


def test_a_conflict_without_details_keeps_the_answer(world, item, panel_members):
    client = signed_in_client(panel_members[1])
    response = client.post(reverse("panels:declare_conflict", args=[item.meeting_id, item.pk]),
                           {"has_conflict": "yes", "details": ""})
    assert "Describe the conflict of interest" in response.content.decode()
    assert not item.declarations.exists()


def test_a_decision_without_rationale_names_the_field_and_saves_nothing(world, client_for, item):
    url = reverse("panels:record_decision", args=[item.meeting_id, item.pk])
    response = client_for("case_manager").post(url, {
        "outcomes": ["investigation"], "rationale": "", "action_1_description": "Appoint an investigator typed",
    })
    html = response.content.decode()
    assert "Enter the reasons for the decision" in html
    assert "Select who owns action 1" in html
    assert "Enter the date action 1 is due" in html
    assert "Appoint an investigator typed" in html
    assert not Decision.objects.exists()


def test_recording_a_decision_opens_the_letter(world, client_for, item):
    attend_and_declare(world, item)
    url = reverse("panels:record_decision", args=[item.meeting_id, item.pk])
    due = timezone.localdate()
    response = client_for("case_manager").post(url, {
        "outcomes": ["support_or_remediation"], "rationale": "A plan will help you put things right.",
        "action_1_description": "Agree the plan", "action_1_owner": world.users["case_manager"].pk,
        "action_1_due_on-day": due.day, "action_1_due_on-month": due.month, "action_1_due_on-year": due.year,
    })
    decision = Decision.objects.get()
    letter = decision.letters.get()
    assert response["Location"] == reverse("letters:show_letter", args=[letter.pk])
    assert decision.item.case.__class__.objects.get(pk=item.case_id).status == "remediation"


def test_the_meeting_pack_has_the_papers_and_the_practitioners_own_words(world, client_for, item, panel_members):
    Reflection.objects.create(case=item.case, author=world.users["practitioner"],
                              text="In my own words: I have changed my practice.", created_at=timezone.now())
    response = client_for("case_manager").get(reverse("panels:meeting_pack_docx", args=[item.meeting_id]))
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(response.content)).paragraphs)
    assert "The practitioner's own words" in text
    assert "In my own words: I have changed my practice." in text
    pdf = client_for("case_manager").get(reverse("panels:meeting_pack_pdf", args=[item.meeting_id]))
    assert pdf.content.startswith(b"%PDF")
    # A member with a conflict gets the pack without that item's papers.
    services.conflict_declare(actor=panel_members[1], item=AgendaItem.objects.get(pk=item.pk), has_conflict=True,
                              details="Friends")
    response = signed_in_client(panel_members[1]).get(reverse("panels:meeting_pack_docx", args=[item.meeting_id]))
    text = "\n".join(p.text for p in DocxDocument(io.BytesIO(response.content)).paragraphs)
    assert "In my own words" not in text
    assert "its papers are not included" in text


def test_a_case_manager_off_the_team_is_told_why_papers_are_hidden(world, item):
    off_team = world.users["off_team_case_manager"]
    html = signed_in_client(off_team).get(reverse("panels:show_meeting", args=[item.meeting_id])).content.decode()
    assert "papers hidden: you are not on this case&#39;s team" in html
    assert "conflict of interest)" not in html
    from lotus.panels import rendering

    pack = selectors.meeting_pack(off_team, item.meeting, request=None)
    text = "\n".join(line.text for line in rendering.pack_lines(pack))
    assert "You are not on this case's team, so its papers are not included." in text
    assert "You declared a conflict" not in text


def test_action_owners_must_be_able_to_see_the_case(world, item, panel_members):
    outsider = panel_members[1]  # sits on the meeting, not on the case team
    assert outsider not in selectors.action_owner_choices(item)
    assert world.users["case_manager"] in selectors.action_owner_choices(item)
    before = (Decision.objects.count(), Task.objects.count())
    attend_and_declare(world, AgendaItem.objects.get(pk=item.pk))
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            actor=world.users["case_manager"], item=item, outcomes=["advice_or_local_action"], rationale="Fictional rationale.",
            actions=[{"description": "Write to the practice", "owner": outsider.pk,
                      "due_on": timezone.localdate() + dt.timedelta(days=7)}],
        )
    assert "is not on the case team" in str(refused.value)
    assert (Decision.objects.count(), Task.objects.count()) == before


def test_a_conflict_on_an_item_takes_the_member_off_the_case_and_later_items(world, item, panel_members):
    member = world.users["panel_member"]  # the meeting's chair; reaches world.case through the item
    client = signed_in_client(member)
    papers = reverse("panels:show_item", args=[item.meeting_id, item.pk])
    assert client.get(papers).status_code == 200
    services.conflict_declare(actor=member, item=item, has_conflict=True, details="A fictional friendship")
    assert client.get(papers).status_code == 404
    # The case comes back to a later meeting: the member's papers stay hidden and they do
    # not count towards its quorum, without declaring again.
    later = services.meeting_schedule(
        actor=world.users["case_manager"], held_on=timezone.localdate() - dt.timedelta(days=1),
        chair_id=panel_members[1].pk, member_ids=[m.pk for m in panel_members], location="Room 5",
    )
    again = services.item_add(actor=world.users["case_manager"], meeting=later, case=world.case,
                              decisions_sought="Review progress")
    services.attendance_record(actor=world.users["case_manager"], meeting=later,
                               attended_ids=[m.pk for m in panel_members], chaired_by_id=panel_members[1].pk)
    for other in panel_members[1:]:
        services.conflict_declare(actor=other, item=again, has_conflict=False)
    assert client.get(reverse("panels:show_item", args=[later.pk, again.pk])).status_code == 404
    assert member not in services.members_taking_part(again)
    later.refresh_from_db()
    page = selectors.meeting_page(world.users["case_manager"], later)
    (row,) = page.rows
    assert row.taking_part == len(panel_members) - 1
    assert row.conflicted_names == [member.full_name]
    html = client.get(reverse("panels:show_meeting", args=[later.pk])).content.decode()
    assert "papers hidden: you declared a conflict of interest" in html
