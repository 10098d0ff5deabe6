"""Migration triage/0003: cleared answers kept by triage before there was one mechanism move
to lotus.cases.ClearedAnswer unchanged (who, when, field, text), and move back on reverse."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from lotus.cases.models import Case, ClearedAnswer
from tests.factories import CaseFactory, OrganisationFactory, PractitionerFactory, UserFactory

BEFORE = [("triage", "0002_blind_codes_not_sharing_overrides_cleared_answers")]
AFTER = [("triage", "0003_cleared_answers_move_to_cases")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before_the_move(transactional_db):
    apps = migrate(BEFORE)
    try:
        yield apps
    finally:
        # Every app's latest migration, not only triage's: going back unapplied the cases and
        # learning migrations that depend on it, and the tests after this one need their tables.
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_triage_cleared_answers_move_to_cases_and_back(before_the_move):
    organisation = OrganisationFactory()
    advisor = UserFactory(organisation=organisation, roles=("professional_advisor",))
    case = CaseFactory(organisation=organisation, practitioner=PractitionerFactory(organisation=organisation),
                       owner=UserFactory(organisation=organisation, roles=("case_manager",)))
    now = timezone.now()
    # The review as the schema had it then (later migrations add columns to it).
    OldReview = before_the_move.get_model("triage", "TriageReview")
    review = OldReview.objects.create(case_id=case.pk, reviewer_id=advisor.pk, started_at=now, updated_at=now)
    when = now - dt.timedelta(days=3)
    Old = before_the_move.get_model("triage", "ClearedAnswer")
    Old.objects.create(review_id=review.pk, field="safeguarding_details", text="Fictional: an old detail.",
                       cleared_by_id=advisor.pk, cleared_at=when)

    migrate(AFTER)

    moved = ClearedAnswer.objects.get()
    assert (moved.case_id, moved.object_type, moved.object_id, moved.field, moved.text, moved.cleared_by_id,
            moved.cleared_at) == (case.pk, "triage_review", review.pk, "safeguarding_details",
                                  "Fictional: an old detail.", advisor.pk, when)

    back = migrate(BEFORE).get_model("triage", "ClearedAnswer")
    assert list(back.objects.values_list("review_id", "field", "text")) == [
        (review.pk, "safeguarding_details", "Fictional: an old detail.")]
    assert not ClearedAnswer.objects.exists()
    assert Case.objects.filter(pk=case.pk).exists()
