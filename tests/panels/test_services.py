import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases.models import Case, Task
from lotus.letters.models import Letter
from lotus.panels import services
from lotus.panels.models import AgendaItem, Decision, Meeting
from lotus.portal.models import ConsentRequest
from tests.panel_fixtures import attend_and_declare

pytestmark = pytest.mark.django_db


def test_a_meeting_takes_its_name_and_quorum_from_the_setting(world, meeting):
    assert meeting.panel_name == "PAG"
    assert meeting.quorum == 3
    assert meeting.members.count() == 3
    assert AuditEvent.objects.filter(object_type="panel_meeting", object_id=str(meeting.pk)).exists()


def test_a_meeting_with_no_members_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        services.meeting_schedule(actor=world.users["case_manager"], held_on=timezone.localdate(), chair_id=None,
                                  member_ids=[], location="Room 1")
    assert caught.value.message_dict["members"] == ["Select at least one panel member"]
    assert not Meeting.objects.exists()


def test_a_meeting_needs_a_date_and_a_place(world, panel_members):
    with pytest.raises(ValidationError) as caught:
        services.meeting_schedule(actor=world.users["case_manager"], held_on=None, chair_id=panel_members[0].pk,
                                  member_ids=[panel_members[0].pk], location="", video_link="")
    assert set(caught.value.message_dict) == {"held_on", "location"}


def test_only_managers_schedule(world, panel_members):
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(actor=world.users["panel_member"], held_on=timezone.localdate(),
                                  chair_id=panel_members[0].pk, member_ids=[panel_members[0].pk], location="x")


def test_a_case_goes_on_the_agenda_once(world, item):
    assert item.position == 1 and not item.is_review
    with pytest.raises(ValidationError) as caught:
        services.item_add(actor=world.users["case_manager"], meeting=item.meeting, case=item.case)
    assert "already on this agenda" in caught.value.message_dict["case"][0]
    assert AgendaItem.objects.count() == 1


def test_a_conflicted_member_cannot_see_the_papers_and_does_not_take_part(world, item, panel_members):
    member = panel_members[1]
    services.attendance_record(actor=world.users["case_manager"], meeting=item.meeting,
                               attended_ids=[m.pk for m in panel_members], chaired_by_id=panel_members[0].pk)
    for other in (panel_members[0], panel_members[2]):
        services.conflict_declare(actor=other, item=item, has_conflict=False)
    assert not member.has_perm("panels.view_item_papers", AgendaItem.objects.get(pk=item.pk))  # not declared yet
    services.conflict_declare(actor=member, item=item, has_conflict=True, details="I trained with them")
    item = AgendaItem.objects.get(pk=item.pk)
    assert not member.has_perm("panels.view_item_papers", item)
    assert member not in services.members_taking_part(item)
    assert not services.item_is_quorate(item)


def test_a_conflict_needs_details_and_cannot_be_taken_back(world, item, panel_members):
    member = panel_members[1]
    with pytest.raises(ValidationError) as caught:
        services.conflict_declare(actor=member, item=item, has_conflict=True, details=" ")
    assert caught.value.message_dict == {"details": ["Describe the conflict of interest"]}
    services.conflict_declare(actor=member, item=item, has_conflict=True, details="Friends")
    with pytest.raises(ValidationError):
        services.conflict_declare(actor=member, item=AgendaItem.objects.get(pk=item.pk), has_conflict=False)


def test_a_decision_without_rationale_is_refused_and_nothing_is_saved(world, item):
    attend_and_declare(world, AgendaItem.objects.get(pk=item.pk))
    with pytest.raises(ValidationError) as caught:
        services.decision_record(actor=world.users["case_manager"], item=item, outcomes=["investigation"],
                                 rationale="  ")
    assert caught.value.message_dict["rationale"] == ["Enter the reasons for the decision"]
    assert not Decision.objects.exists()
    assert Case.objects.get(pk=item.case_id).status == "awaiting_panel"


def test_an_action_without_owner_or_date_is_refused(world, item):
    attend_and_declare(world, AgendaItem.objects.get(pk=item.pk))
    with pytest.raises(ValidationError) as caught:
        services.decision_record(
            actor=world.users["case_manager"], item=item, outcomes=["investigation"], rationale="The panel needs the facts found out fairly first.",
            actions=[{"description": "Appoint an investigator", "owner": None, "due_on": None}],
        )
    assert caught.value.message_dict == {
        "action_1_owner": ["Select who owns action 1"],
        "action_1_due_on": ["Enter the date action 1 is due"],
    }
    assert not Decision.objects.exists() and not Task.objects.exists()


def test_a_decision_is_refused_when_the_item_is_not_quorate(world, item, panel_members):
    services.conflict_declare(actor=panel_members[2], item=item, has_conflict=True, details="Colleague")
    attend_and_declare(world, AgendaItem.objects.get(pk=item.pk))
    with pytest.raises(ValidationError) as caught:
        services.decision_record(actor=world.users["case_manager"], item=AgendaItem.objects.get(pk=item.pk),
                                 outcomes=["investigation"], rationale="The panel needs the facts found out fairly first.")
    assert "not quorate" in caught.value.message_dict["outcomes"][0]


def test_recording_a_decision_moves_the_case_adds_tasks_and_opens_the_letter(world, item):
    due = timezone.localdate() + dt.timedelta(days=14)
    attend_and_declare(world, AgendaItem.objects.get(pk=item.pk))
    decision = services.decision_record(
        actor=world.users["case_manager"], item=item, outcomes=["investigation", "occupational_health"],
        rationale="A pattern of late referrals needs looking at closely.",
        next_review_on=timezone.localdate() + dt.timedelta(days=60),
        actions=[{"description": "Appoint an investigator", "owner": world.users["case_manager"].pk, "due_on": due}],
    )
    case = Case.objects.get(pk=item.case_id)
    assert case.status == "investigation"
    assert decision.status_before == "awaiting_panel" and decision.status_after == "investigation"
    assert decision.members_taking_part and decision.was_quorate
    assert Task.objects.get(case=case).title == "Appoint an investigator"
    letter = Letter.objects.get(decision=decision)
    assert letter.status == "draft"
    assert "ask for an occupational health assessment and ask for an investigation" in letter.body
    assert letter.due_on > item.meeting.held_on
    assert ConsentRequest.objects.filter(case=case, answer="waiting").exists()
    assert case.timeline.filter(kind="status").exists()


def test_a_decision_that_implies_no_move_keeps_the_status(world, item):
    attend_and_declare(world, AgendaItem.objects.get(pk=item.pk))
    services.decision_record(actor=world.users["case_manager"], item=item, outcomes=["request_reflections"],
                             rationale="We want to hear from the practitioner first.")
    assert Case.objects.get(pk=item.case_id).status == "awaiting_panel"


def test_the_chair_may_record_but_not_when_conflicted(world, item, panel_members):
    chair = panel_members[0]
    assert chair.has_perm("panels.record_decision", item)
    assert not panel_members[1].has_perm("panels.record_decision", item)
    services.conflict_declare(actor=chair, item=item, has_conflict=True, details="Former colleague")
    assert not chair.has_perm("panels.record_decision", AgendaItem.objects.get(pk=item.pk))


def test_a_decision_is_recorded_once(world, item):
    attend_and_declare(world, AgendaItem.objects.get(pk=item.pk))
    services.decision_record(actor=world.users["case_manager"], item=item, outcomes=["request_reflections"],
                             rationale="The panel needs the facts found out fairly first.")
    with pytest.raises(ValidationError):
        services.decision_record(actor=world.users["case_manager"], item=AgendaItem.objects.get(pk=item.pk),
                                 outcomes=["request_reflections"], rationale="The panel needs the facts found out fairly first.")
    assert Decision.objects.count() == 1
