"""The demo has a panel meeting with decisions and letters, loaded once."""

import pytest

from lotus.letters.models import Letter
from lotus.nonprod.demo import _demo_panel, load_demo
from lotus.panels.models import Decision, Meeting
from lotus.portal.models import ConsentRequest

pytestmark = pytest.mark.django_db


def test_the_demo_panel_has_decisions_a_sent_letter_and_a_draft_and_is_loaded_once():
    load_demo()
    assert Meeting.objects.count() == 1
    assert Decision.objects.count() == 2
    sent = Letter.objects.get(status="sent")
    assert sent.case.practitioner.user.email == "practitioner@demo.lotus.test"
    assert sent.channel == "portal"
    assert Letter.objects.filter(status="draft", decision__isnull=False).count() == 1
    assert ConsentRequest.objects.filter(case=sent.case, answer="waiting").exists()
    _demo_panel()
    load_demo()
    assert Meeting.objects.count() == 1 and Decision.objects.count() == 2
