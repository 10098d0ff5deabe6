"""The demo loads toolkit records for the demo case manager, once."""

import io

from django.core.management import call_command

from lotus.toolkit.models import AssessmentAttempt, JournalEntry, Routine, TeamResponse


def run_demo():
    call_command("demo", stdout=io.StringIO(), stderr=io.StringIO())


def counts():
    return [m.objects.count() for m in (AssessmentAttempt, JournalEntry, Routine, TeamResponse)]


def test_demo_has_toolkit_records_and_a_second_run_adds_none(db, client):
    run_demo()
    first = counts()
    assert first[0] >= 5 and first[1] >= 1 and first[2] == 2 and first[3] >= 5
    assert AssessmentAttempt.objects.filter(owner__email="case.manager@demo.lotus.test", instrument="wise-compassion").count() == 3
    run_demo()
    assert counts() == first
