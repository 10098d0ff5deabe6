"""An integrated care board with organisation A (tests/conftest.py's world) as its member,
its analyst and administrator, another ICB that organisation A does not belong to, and
annual reports in known states, all made through the services."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from lotus.accounts import membership_services
from lotus.accounts.models import Organisation
from lotus.accounts.roles import Role
from lotus.insights.reports import services
from lotus.insights.reports.models import AnnualReport
from tests.factories import OrganisationFactory, TOTPDeviceFactory, UserFactory

INTRODUCTION = "Our first year of lessons-learnt reviews.\n\nWe are proud of how quickly teams raised concerns."
SIGN_OFF = "Approved by the board, as responsible officer's report to the ICB."


@dataclass
class Icb:
    icb: Organisation
    other_icb: Organisation
    users: dict


def make_icb(world, *, join: bool = True) -> Icb:
    icb = OrganisationFactory(name="Test Integrated Care Board (fictional)", kind=Organisation.Kind.ICB)
    other = OrganisationFactory(name="Other Integrated Care Board (fictional)", kind=Organisation.Kind.ICB)
    users = {
        "icb_analyst": UserFactory(email="icb.analyst@test.lotus.test", full_name="Icb Analyst", organisation=icb,
                                   roles=(Role.ANALYST,)),
        "icb_administrator": UserFactory(email="icb.admin@test.lotus.test", full_name="Icb Administrator",
                                         organisation=icb, roles=(Role.ADMINISTRATOR,)),
        "other_icb_analyst": UserFactory(email="other.icb@test.lotus.test", full_name="Other Icb Analyst",
                                         organisation=other, roles=(Role.ANALYST,)),
    }
    for user in users.values():
        TOTPDeviceFactory(user=user)
    if join:
        membership = membership_services.membership_invite(actor=users["icb_administrator"],
                                                           code=world.organisation.code)
        membership_services.membership_answer(actor=world.users["administrator"], membership=membership,
                                              accept=True, expected_version=membership.version)
    return Icb(icb, other, users)


def last_year() -> int:
    return timezone.localdate().year - 1


def draft_report(world, *, year: int | None = None, writer: str = "analyst", kind: str = "lessons_learnt"
                 ) -> AnnualReport:
    """A draft of organisation A's report of `kind` with its words written by `writer`."""
    author = world.users[writer]
    report = services.report_start(actor=author, year=year or last_year(), kind=kind)
    return services.report_edit(actor=author, report=report, introduction=INTRODUCTION, sign_off=SIGN_OFF,
                                expected_version=report.version)


def approved_report(world, **kwargs) -> AnnualReport:
    report = draft_report(world, **kwargs)
    return services.report_approve(actor=world.users["administrator"], report=report,
                                   expected_version=report.version)


def issued_report(world, *, send: bool = True, **kwargs) -> AnnualReport:
    report = approved_report(world, **kwargs)
    return services.report_issue(actor=world.users["administrator"], report=report,
                                 expected_version=report.version, send=send)


def learning_last_year(world, *, case=None, title: str = "Locums and the results system"):
    """A lessons-learnt review of `case` (a new case of organisation A by default), first
    approved in the middle of last year, with two actions (one naming the practitioner and
    the case reference, which the report must take out; one done and assured) and a
    learning summary approved for sharing then too. Returns (review, summary, actions)."""
    import datetime as dt

    from lotus.learning.models import LearningSummary, Review
    from lotus.learning.services import actions as action_services
    from lotus.learning.services import sharing
    from tests.factories import CaseFactory
    from tests.learning.action_fixtures import approve_review, make_review

    case = case or CaseFactory(organisation=world.organisation, owner=world.users["case_manager"],
                               team=[world.users["case_manager"]])
    reviewed = make_review(world, case=case)
    review = reviewed.review
    advisor, owner = world.users["professional_advisor"], world.users["panel_member"]
    name = case.practitioner.full_name
    due = timezone.localdate() + dt.timedelta(days=40)
    first = action_services.action_add(
        actor=advisor, review=review, description=f"Talk to {name} about case {case.reference} on 3 March",
        factor_ids=[reviewed.problem_factor.pk], owner_user_id=None, owner_name="Practice manager",
        owner_outside=True, priority="medium", due_on=due,
    )
    second = action_services.action_add(
        actor=advisor, review=review, description="Induct every locum to the results system",
        factor_ids=[reviewed.problem_factor.pk, reviewed.second_factor.pk], owner_user_id=owner.pk, owner_name="",
        owner_outside=False, priority="high", due_on=due,
    )
    second = action_services.action_move(actor=owner, action=second, expected_version=second.version,
                                         to_status="done", evidence="Induction pack in use")
    action_services.action_assure(actor=world.users["administrator"], action=second,
                                  expected_version=second.version, assurance_note="Checked the pack")
    approve_review(world, review)
    summary = sharing.summary_write(
        actor=advisor, review=review, title=title, month=timezone.localdate(), profession="medical",
        what_happened="Results waited while a locum covered a late clinic.",
        what_was_learnt="Locums need an induction to the results system.",
        what_changed="Every locum now has one.", factor_ids=[reviewed.problem_factor.factor_id],
    )
    sharing.summary_approve(actor=world.users["administrator"], summary=summary, expected_version=summary.version)
    middle = timezone.make_aware(dt.datetime(last_year(), 6, 15, 12))
    Review.objects.filter(pk=review.pk).update(first_approved_at=middle)
    LearningSummary.objects.filter(pk=summary.pk).update(approved_at=middle, month=middle.date().replace(day=1))
    return review, LearningSummary.objects.get(pk=summary.pk), [first, second]
