"""A review with coded factors to hang actions and summaries on, built through the review's
own services, for the tests of actions, sharing, the library and the reminders."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from lotus.learning import services
from lotus.learning.models import CodedFactor, Factor, Review
from lotus.learning.sync import vocabulary_ensure


@dataclass
class Reviewed:
    review: Review
    problem_factor: CodedFactor
    second_factor: CodedFactor
    went_well_factor: CodedFactor


def make_review(world, *, case=None, manager: str = "case_manager", reviewer: str = "professional_advisor",
                started_days_ago: int = 10) -> Reviewed:
    """A draft review of `case` (world.case by default), started `started_days_ago` days
    ago by `manager` and led by `reviewer`, who has declared no conflict; one problem
    coded with two factors and one thing that went well coded with a third."""
    case = case or world.case
    lead = world.users[reviewer]
    review = services.review_start(actor=world.users[manager], case=case, reviewer=lead)
    services.conflict_declare(actor=lead, review=review, has_conflict=False)
    Review.objects.filter(pk=review.pk).update(started_at=timezone.now() - dt.timedelta(days=started_days_ago))
    review.refresh_from_db()
    entry = services.chronology_add(
        actor=lead, review=review, occurred_on=timezone.localdate() - dt.timedelta(days=60),
        what_happened="Clinic ran two hours late", who_was_involved="Locum GP",
    )
    problem = services.problem_add(actor=lead, review=review, chronology_entry_id=entry.pk,
                                   description="Results were not seen for a week")
    positive = services.positive_add(actor=lead, review=review, chronology_entry_id=entry.pk,
                                     description="The practice manager raised it quickly")

    vocabulary_ensure()  # a flush (transaction=True tests) empties the standard list

    def code(factor_code, **where):
        factor = Factor.objects.get(code=factor_code, organisation__isnull=True)
        return services.factor_code(actor=lead, review=review, category=factor.category.code, factor_id=factor.pk,
                                    evidence="Fictional evidence", scope="system", **where)

    coded = Reviewed(
        review=review,
        problem_factor=code("fair.induction", problem_id=problem.pk),
        second_factor=code("fair.feedback", problem_id=problem.pk),
        went_well_factor=code("fair.leadership", positive_id=positive.pk),
    )
    review.refresh_from_db()
    return coded


def approve_review(world, review: Review, *, reviewer: str = "professional_advisor",
                   approver: str = "administrator") -> Review:
    """Submit the review as its lead and approve it as a second person, through the services."""
    review.refresh_from_db()
    lead = world.users[reviewer]
    services.review_save(actor=lead, review=review, expected_version=review.version,
                         summary="Results were missed while locums had no induction.",
                         recommendations="Induct every locum.")
    services.review_submit(actor=lead, review=review, expected_version=review.version)
    services.review_approve(actor=world.users[approver], review=review, expected_version=review.version)
    review.refresh_from_db()
    return review


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def matrix_objects(world, review_id: int) -> dict:
    """For the access matrix, on its review of world.case (a draft of revision 2 led by the
    professional advisor, the case manager an undeclared co-reviewer): an action owned by
    the panel member, who has marked it done with a document of evidence (not assured);
    a draft learning summary written by the advisor; and, on another case of organisation
    A, an approved review whose summary is in the library, shared this month."""
    from lotus.learning.models import CodedFactor
    from lotus.learning.services import actions as action_services
    from lotus.learning.services import sharing
    from tests.factories import CaseFactory

    advisor, owner = world.users["professional_advisor"], world.users["panel_member"]
    review = Review.objects.get(pk=review_id)
    coded = CodedFactor.objects.filter(review=review, removed_at__isnull=True).first()
    action = action_services.action_add(
        actor=advisor, review=review, description="Induct every locum to the results system",
        factor_ids=[coded.pk], owner_user_id=owner.pk, owner_name="", owner_outside=False, priority="high",
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    action = action_services.action_move(actor=owner, action=action, expected_version=action.version,
                                         to_status="done", evidence="Induction pack in use",
                                         files=[("pack.pdf", PDF)])
    review.refresh_from_db()
    sharing.summary_write(
        actor=advisor, review=review, title="Locums and results", month=timezone.localdate(), profession="",
        what_happened="Results waited while a locum covered a late clinic.", what_was_learnt="Induct locums.",
        what_changed="", factor_ids=[],
    )
    other_case = CaseFactory(organisation=world.organisation, owner=world.users["case_manager"],
                             team=[world.users["case_manager"]])
    other = make_review(world, case=other_case)
    approve_review(world, other.review)
    summary = sharing.summary_write(
        actor=world.users["case_manager"], review=other.review, title="Shared learning", month=timezone.localdate(),
        profession="", what_happened="In general terms.", what_was_learnt="Something learnt.", what_changed="",
        factor_ids=[],
    )
    sharing.summary_approve(actor=world.users["administrator"], summary=summary, expected_version=summary.version)
    today = timezone.localdate()
    return {
        "learning_action_id": action.pk, "to_status": "in_progress",
        "evidence_id": action.evidence_documents.get().pk, "summary_id": summary.pk,
        "year": today.year, "month": today.month,
    }
