"""The demo has a panel meeting with decisions and letters, loaded once (the meeting of
last week about the caseload; the year's history has meetings of its own)."""

import pytest

from lotus.letters.models import Letter
from lotus.nonprod.demo import _demo_panel, load_demo
from lotus.panels.models import Decision, Meeting
from lotus.portal.models import ConsentRequest

pytestmark = pytest.mark.django_db

PRACTITIONER = "practitioner@demo.lotus.test"


def last_weeks_meeting():
    return Meeting.objects.filter(items__case__practitioner__user__email=PRACTITIONER).distinct()


def test_the_demo_panel_has_decisions_a_sent_letter_and_a_draft_and_is_loaded_once():
    load_demo()
    assert last_weeks_meeting().count() == 1
    decisions = Decision.objects.filter(item__meeting__in=last_weeks_meeting())
    assert decisions.count() == 2
    sent = Letter.objects.get(status="sent", case__practitioner__user__email=PRACTITIONER)
    assert sent.channel == "portal"
    assert Letter.objects.filter(status="draft", decision__in=decisions).count() == 1
    assert ConsentRequest.objects.filter(case=sent.case, answer="waiting").exists()
    meetings, all_decisions = Meeting.objects.count(), Decision.objects.count()
    _demo_panel()
    load_demo()
    assert last_weeks_meeting().count() == 1 and decisions.count() == 2
    assert (Meeting.objects.count(), Decision.objects.count()) == (meetings, all_decisions)
