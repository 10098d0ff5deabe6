"""`lotus demo`: fictional demo data, loaded once, with an audit chain that verifies.

The demo takes a while to load (a year of history through the real services), so this
module loads it once and each test runs inside it in a savepoint of its own (the `db`
fixture), undone after the test: what one test adds (a second run, --scale) is gone before
the next. Tests that need an empty database are in test_demo_fresh.py."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from lotus.accounts.models import Organisation, RoleGrant, User
from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from lotus.cases.models import Case, TimelineEvent
from lotus.cases.workflow import Status
from lotus.core.models import demo_data_loaded
from lotus.nonprod.demo import DEMO_PASSWORD, DEMO_USERS, ORGANISATIONS
from lotus.practitioners.models import EqualityMonitoring, Practitioner


def run_demo(**options) -> str:
    stdout = io.StringIO()
    call_command("demo", stdout=stdout, stderr=io.StringIO(), **options)
    return stdout.getvalue()


def verify_audit() -> str:
    stdout = io.StringIO()
    call_command("audit", "verify", stdout=stdout, stderr=io.StringIO())  # raises on a broken chain
    return stdout.getvalue()


def lotus_counts() -> dict[str, int]:
    """Rows in every LOTUS table."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("lotus.")
    }


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield run_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_loaded, db):
    return demo_loaded


def test_demo_loads_practitioners_cases_and_organisations(demo):
    assert "Demo data loaded." in demo
    # the caseload's 30 practitioners, and the year's history's register
    assert Practitioner.objects.filter(email__endswith="@practice.example").count() == 30
    assert 100 <= Practitioner.objects.count() <= 400
    assert EqualityMonitoring.objects.count() == Practitioner.objects.count()
    assert Case.objects.count() >= 40
    demo_orgs = Organisation.objects.filter(code__in=[code for _, code, _, _ in ORGANISATIONS])
    assert demo_orgs.count() == 2
    assert set(Case.objects.values_list("organisation_id", flat=True)) == set(demo_orgs.values_list("pk", flat=True))


def test_demo_cases_cover_every_status(demo):
    assert set(Case.objects.values_list("status", flat=True)) == {status.value for status in Status}


def test_demo_cases_have_a_history_that_matches_their_status(demo):
    for case in Case.objects.exclude(status=Status.RECEIVED):
        assert case.timeline.filter(kind=TimelineEvent.Kind.STATUS).exists(), case.reference
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.OPENED).count() == Case.objects.count()


def test_demo_has_a_user_for_every_role_who_can_sign_in(demo):
    assert set(RoleGrant.objects.values_list("role", flat=True)) == {role.value for role in Role}
    for demo_user in DEMO_USERS:
        user = User.objects.get(email=demo_user.email)
        assert user.roles == frozenset(demo_user.roles)
        assert Client().login(username=demo_user.email, password=DEMO_PASSWORD), demo_user.email
    assert DEMO_PASSWORD in demo and DEMO_USERS[0].email in demo  # the sign-ins are printed


def test_demo_marks_the_installation_as_holding_demo_data(demo):
    assert demo_data_loaded()


def test_demo_is_idempotent(demo):
    before = lotus_counts()
    assert before["cases.Case"] >= 40
    output = run_demo()
    assert "already loaded; nothing changed" in output
    assert lotus_counts() == before


def test_the_audit_chain_verifies_after_the_demo(demo):
    events = AuditEvent.objects.count()
    assert events >= Case.objects.count()  # at least a "create" per case
    assert f"{events} events" in verify_audit()


def test_demo_scale_adds_cases_and_the_chain_still_verifies(demo):
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    output = run_demo(scale=50, quiet_sign_ins=True)
    assert "Added 50 cases." in output
    assert Case.objects.count() == cases + 50
    assert AuditEvent.objects.count() > events
    assert f"{AuditEvent.objects.count()} events" in verify_audit()
    # references stay unique per organisation and the seeded cases are not all one status
    references = list(Case.objects.values_list("organisation_id", "reference"))
    assert len(references) == len(set(references))
    assert Case.objects.values("status").distinct().count() > 1


def test_demo_scale_twice_keeps_the_chain_and_references_sound(demo):
    run_demo(scale=30, quiet_sign_ins=True)
    run_demo(scale=30, quiet_sign_ins=True)
    assert f"{AuditEvent.objects.count()} events" in verify_audit()
    references = list(Case.objects.values_list("organisation_id", "reference"))
    assert len(references) == len(set(references))


# --- A year of history (lotus/nonprod/demo/history.py, learning.py) -------------------------


def history_cases():
    from lotus.nonprod.demo.people import caseload_cases

    home = Organisation.objects.get(code=ORGANISATIONS[0][1])
    return Case.objects.filter(organisation=home).exclude(pk__in=caseload_cases().values("pk"))


def quarter(day) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def test_the_history_spreads_concerns_over_fifteen_months_with_themes_each_quarter(demo):
    from collections import Counter

    from django.utils import timezone

    today = timezone.localdate()
    rows = list(history_cases().values_list("received_on", "source", "categories"))
    assert 120 <= len(rows) <= 300
    oldest = min(day for day, _, _ in rows)
    assert 14 <= (today.year - oldest.year) * 12 + today.month - oldest.month <= 16
    full_quarters = sorted({quarter(day) for day, _, _ in rows})[1:-1]
    assert len(full_quarters) >= 4
    for each in full_quarters:
        sources = Counter(source for day, source, _ in rows if quarter(day) == each)
        categories = Counter(c for day, _, cats in rows if quarter(day) == each for c in cats)
        # at least one row of each table stays above the small-number threshold every quarter
        assert sources.most_common(1)[0][1] >= 8 and categories.most_common(1)[0][1] >= 8, each
        assert len(sources) >= 4 and len(categories) >= 3, each


def test_the_history_was_worked_at_the_time_it_happened(demo):
    """Status changes, panel decisions and letters are dated through the year, and each
    case's timeline starts on or after the day its concern arrived."""
    from lotus.letters.models import Letter
    from lotus.panels.models import Decision

    cases = history_cases()
    moves = TimelineEvent.objects.filter(case__in=cases, kind=TimelineEvent.Kind.STATUS)
    assert len({quarter(m.date()) for m in moves.values_list("occurred_at", flat=True)}) >= 5
    assert len({quarter(d.date()) for d in Decision.objects.filter(item__case__in=cases)
                .values_list("recorded_at", flat=True)}) >= 5
    assert len({quarter(d) for d in Letter.objects.filter(case__in=cases, status="sent")
                .values_list("sent_on", flat=True)}) >= 5
    for case in cases.order_by("?")[:40]:
        first = case.timeline.order_by("occurred_at").first()
        assert first.occurred_at.date() >= case.received_on, case.reference
    assert set(cases.values_list("status", flat=True)) >= {"closed", "investigation", "remediation", "withdrawn"}


def test_the_audit_trail_is_in_time_order(demo):
    """The clock plays every story in time order, so the chain is appended in time order."""
    times = list(AuditEvent.objects.order_by("sequence").values_list("occurred_at", flat=True))
    assert times == sorted(times)
    assert times[0].date() < times[-1].date()


def test_reviews_factors_and_actions_span_at_least_four_quarters(demo):
    from lotus.learning.models import Action, CodedFactor, Review

    approved = Review.objects.exclude(first_approved_at=None)
    assert approved.count() >= 40
    assert len({quarter(d.date()) for d in approved.values_list("first_approved_at", flat=True)}) >= 4
    coded = CodedFactor.objects.filter(removed_at=None)
    assert len({quarter(d.date()) for d in coded.values_list("coded_at", flat=True)}) >= 4
    assert len({quarter(d.date()) for d in Action.objects.values_list("created_at", flat=True)}) >= 4
    # problems and what went well, each coded
    assert coded.filter(kind="problem").count() > coded.filter(kind="went_well").count() > 0
    assert coded.filter(scope="system").exists() and coded.filter(scope="case_specific").exists()


def test_some_factors_recur_across_cases(demo):
    from lotus.learning.models import CodedFactor

    for code in ("fair.induction", "fair.isolation"):
        reviews = CodedFactor.objects.filter(factor__code=code, removed_at=None).values("review").distinct()
        assert reviews.count() >= 5, code
    locums = CodedFactor.objects.filter(factor__code="fair.induction", review__case__practitioner__contract_context="locum")
    assert locums.exists()


def test_actions_are_in_every_state(demo):
    from django.utils import timezone

    from lotus.learning.models import Action

    today = timezone.localdate()
    actions = Action.objects.all()
    still_open = actions.filter(status__in=["open", "in_progress"])
    assert still_open.filter(status="open", due_on__gte=today).exists()
    assert still_open.filter(status="in_progress", due_on__gte=today).exists()
    assert still_open.filter(due_on__lt=today).exists()  # overdue
    done = actions.filter(status="done")
    assert done.filter(assured_at=None).exclude(evidence="").exists()
    assured = done.exclude(assured_at=None)
    assert assured.count() >= 10
    for action in assured:
        assert action.evidence and action.assurance_note
        assert action.assured_by_id not in (action.owner_user_id, action.completed_by_id)
    assert actions.filter(status="not_done").exclude(not_done_reason="").exists()
    assert actions.exclude(owner_name="").exists() and actions.filter(owner_outside=True).exists()


def test_learning_summaries_fill_the_library_month_by_month(demo):
    from lotus.learning.models import LearningSummary

    shared = LearningSummary.objects.filter(status="approved")
    assert shared.count() >= 25
    assert len({(d.year, d.month) for d in shared.values_list("approved_at", flat=True)}) >= 8
    for summary in shared.select_related("review__case__practitioner"):
        practitioner = summary.review.case.practitioner
        text = " ".join([summary.title, summary.what_happened, summary.what_was_learnt, summary.what_changed])
        assert practitioner.full_name not in text and summary.review.case.reference not in text
        assert summary.month.day == 1 and summary.approved_by_id != summary.written_by_id


def test_the_planted_gap_is_at_the_investigation_stage_only(demo):
    """equality.PLANTED_GAP: international graduates' cases go to investigation more often
    after the panel; referral, triage colour and reaching the panel do not differ."""
    import math

    from lotus.panels.models import Decision
    from lotus.triage.models import TriageReview

    routes = dict(EqualityMonitoring.objects.values_list("practitioner_id", "graduate_route"))
    cases = list(history_cases().values_list("pk", "practitioner_id"))
    route_of = {pk: routes[person] for pk, person in cases}
    first = {}
    for case_id, outcomes in Decision.objects.filter(item__case_id__in=route_of).order_by(
            "recorded_at", "id").values_list("item__case_id", "outcomes"):
        first.setdefault(case_id, outcomes)
    red = set(TriageReview.objects.filter(case_id__in=route_of, kind="first", colour="red").values_list(
        "case_id", flat=True))

    def counts(route):
        mine = [pk for pk, r in route_of.items() if r == route]
        decided = [pk for pk in mine if pk in first]
        investigated = [pk for pk in decided if "investigation" in first[pk]]
        return len(mine), len(decided), len(investigated), len([pk for pk in mine if pk in red])

    abroad, uk = counts("international"), counts("uk")
    ratio = (abroad[2] / abroad[1]) / (uk[2] / uk[1])
    error = math.sqrt(1 / abroad[2] - 1 / abroad[1] + 1 / uk[2] - 1 / uk[1])
    assert ratio >= 2 and ratio * math.exp(-1.96 * error) > 1.25
    assert 0.8 <= (abroad[1] / abroad[0]) / (uk[1] / uk[0]) <= 1.25  # reaching the panel
    assert 0.8 <= (abroad[3] / abroad[0]) / (uk[3] / uk[0]) <= 1.25  # triaged red
