"""Issue 19 point 4: a decision is refused out of order (before the meeting, before
attendance), by someone who may not record it, and a member reads no papers before declaring."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lotus.cases.models import Case
from lotus.panels import services
from lotus.panels.models import AgendaItem, Decision, Meeting
from tests.panel_fixtures import attend_and_declare

GOOD = "The panel needs the facts found out fairly and carefully first."


def _fresh(item):
    return AgendaItem.objects.select_related("meeting", "case").get(pk=item.pk)


def test_the_issue_19_decision_is_refused_with_the_pair_named_and_nothing_saved(world, item):
    attend_and_declare(world, item)
    with pytest.raises(ValidationError) as caught:
        services.decision_record(actor=world.users["case_manager"], item=_fresh(item),
                                 outcomes=["no_further_action", "investigation", "close"], rationale="x")
    errors = caught.value.message_dict
    assert "No further action" in errors["outcomes"][0] and "Commission an investigation" in errors["outcomes"][0]
    assert "full sentence" in errors["rationale"][0]
    assert not Decision.objects.exists()
    assert Case.objects.get(pk=item.case_id).status == "awaiting_panel"


def test_no_decision_before_the_meeting_starts(world, item):
    attend_and_declare(world, item)
    Meeting.objects.filter(pk=item.meeting_id).update(held_on=timezone.localdate() + dt.timedelta(days=7))
    with pytest.raises(ValidationError) as caught:
        services.decision_record(actor=world.users["case_manager"], item=_fresh(item), outcomes=["investigation"],
                                 rationale=GOOD)
    assert "once the meeting has started" in caught.value.message_dict["outcomes"][0]
    assert not Decision.objects.exists()


def test_quorum_counts_who_attended_and_absent_members_do_not_take_part(world, item, panel_members):
    with pytest.raises(ValidationError) as caught:
        services.decision_record(actor=world.users["case_manager"], item=_fresh(item), outcomes=["investigation"],
                                 rationale=GOOD)
    assert "Record who attended" in caught.value.message_dict["outcomes"][0]
    attend_and_declare(world, item, members=panel_members[:2])
    with pytest.raises(ValidationError) as caught:
        services.decision_record(actor=world.users["case_manager"], item=_fresh(item), outcomes=["investigation"],
                                 rationale=GOOD)
    assert "not quorate" in caught.value.message_dict["outcomes"][0]
    Meeting.objects.filter(pk=item.meeting_id).update(quorum=2)
    decision = services.decision_record(actor=world.users["case_manager"], item=_fresh(item),
                                        outcomes=["investigation"], rationale=GOOD)
    assert sorted(decision.members_taking_part) == sorted(m.pk for m in panel_members[:2])


def test_only_the_chair_among_the_members_may_record_the_decision(world, item, panel_members, client_for):
    attend_and_declare(world, item)
    fresh = _fresh(item)
    assert panel_members[0].has_perm("panels.record_decision", fresh)
    assert not panel_members[1].has_perm("panels.record_decision", fresh)


def test_a_member_sees_only_the_declaration_form_until_they_declare(world, item, panel_members):
    from tests.conftest import signed_in_client

    client = signed_in_client(panel_members[1])
    url = reverse("panels:show_item", args=[item.meeting_id, item.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Declare any conflict of interest" in page.content.decode()
    assert "Triage review" not in page.content.decode()
    client.post(reverse("panels:declare_conflict", args=[item.meeting_id, item.pk]), {"has_conflict": "no"})
    assert "Triage review" in client.get(url).content.decode()


def test_the_api_refuses_the_same_decision_with_the_same_messages(world, item, api_for):
    attend_and_declare(world, item)
    response = api_for("case_manager").post(
        reverse("api:v1:record_decision", args=[item.meeting_id, item.pk]),
        {"outcomes": ["no_further_action", "investigation"], "rationale": "n/a"}, content_type="application/json")
    assert response.status_code == 400
    body = response.json()["errors"]
    assert "No further action" in body["outcomes"][0] and "full sentence" in body["rationale"][0]
    assert not Decision.objects.exists()
