"""Support for the practitioners of the open demo cases (issue 6)."""

import datetime as dt

from django.utils import timezone

from lotus.cases.workflow import Status
from lotus.nonprod.demo.people import caseload_cases


def load_support(rng, organisations, users) -> None:
    """Support plans (opened when the demo cases entered triage) with a pastoral contact,
    contacts, adjustments, a heightened-support prompt and a five-step plan (issue 6)."""
    from lotus.improvement import services as improvement_services
    from lotus.support import services as support_services
    from lotus.support.models import SupportPlan

    today = timezone.localdate()
    for organisation in organisations:
        support_services.signposts_seed(organisation)
    pastoral = users["pastoral@demo.lotus.test"]
    # The caseload's plans: the history's cases had the support their stories gave them.
    plans = SupportPlan.objects.filter(case__organisation=organisations[0], case__in=caseload_cases()).select_related(
        "case", "case__owner")
    for index, plan in enumerate(plans.order_by("case__reference")):
        case = plan.case
        if case.status in (Status.CLOSED, Status.WITHDRAWN):
            continue
        manager = case.owner
        if support_services.pastoral_contact_refusal(case=case, person=pastoral) is None:
            support_services.pastoral_contact_assign(actor=manager, plan=plan, person=pastoral)
            support_services.preferences_record(
                actor=pastoral, plan=plan, person="Jo Pastoral", method="A phone call to their mobile",
                times="Weekday afternoons", stated_needs="Wants to know the timetable and who will read the papers.",
                expected_version=plan.version,
            )
        support_services.matter_record(
            actor=manager, plan=plan, matter="signposted", status="in_place", status_on=today,
            notes="Shared the employee assistance programme and the defence organisation's helpline.",
        )
        if index % 2 == 0:
            support_services.contact_log(
                actor=manager, plan=plan, contacted_on=today - dt.timedelta(days=rng.randint(0, 3)), method="phone",
                shared="Explained where the case is and what happens next.",
                next_steps="Call again after the panel meets.",
            )
        if index % 3 == 0:
            support_services.adjustment_add(
                actor=manager, plan=plan, kind="questions_in_advance", description="", status="agreed",
                review_on=today + dt.timedelta(days=14),
            )
        if index == 1:
            support_services.circumstances_record(
                actor=manager, plan=plan, suspended_or_excluded=False, referred_to_regulator=True,
                health_concern=False,
            )
        if case.status == Status.REMEDIATION and not case.performance_plans.exists():
            performance = improvement_services.plan_start(
                actor=manager, case=case, problem="Results from the practice's laboratory were not reviewed on time.",
                evidence="An audit of three months of results.",
            )
            improvement_services.plan_assess(actor=manager, plan=performance, factors=["workload", "unclear_goals"],
                                             factors_other="")
            improvement_services.goal_add(
                actor=manager, plan=performance, what="Review every result within 2 working days",
                measure="Monthly audit of the results log", target="95% or more",
                due_on=today + dt.timedelta(days=90), support_offered="Protected admin time each week",
            )
