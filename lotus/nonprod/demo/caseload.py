"""The current caseload: 40 cases at every status, worked the way the services work them
(triage by the advisor, shared with the practitioner), with tasks still to do."""

import datetime as dt
import random

from lotus.cases import services as case_services
from lotus.cases.models import Category, Source
from lotus.cases.workflow import Status
from lotus.nonprod.demo.clock import at, later

SUMMARIES = [
    "A patient complained that test results were not followed up for several weeks.",
    "A colleague raised concerns about remarks made to a trainee during a busy clinic.",
    "An audit found prescribing of a controlled drug outside local guidance.",
    "The practitioner told us they are struggling with their health and asked for support.",
    "An incident report describes a missed referral for a patient with worsening symptoms.",
    "A practice manager reported repeated late arrivals and cancelled sessions.",
    "A claim for sessions not worked was identified during a payments review.",
    "The regulator has told us it has opened an inquiry and asked for local information.",
]

#: How many of the 40 demo cases sit at each status.
STATUS_PLAN = (
    [Status.RECEIVED] * 7
    + [Status.TRIAGE] * 8
    + [Status.AWAITING_PANEL] * 7
    + [Status.INVESTIGATION] * 6
    + [Status.REMEDIATION] * 5
    + [Status.CLOSED] * 5
    + [Status.WITHDRAWN] * 2
)

PATHS = {
    Status.RECEIVED: [],
    Status.TRIAGE: [Status.TRIAGE],
    Status.AWAITING_PANEL: [Status.TRIAGE, Status.AWAITING_PANEL],
    Status.INVESTIGATION: [Status.TRIAGE, Status.AWAITING_PANEL, Status.INVESTIGATION],
    Status.REMEDIATION: [Status.TRIAGE, Status.AWAITING_PANEL, Status.REMEDIATION],
    Status.CLOSED: [Status.TRIAGE, Status.AWAITING_PANEL, Status.CLOSED],
    Status.WITHDRAWN: [Status.WITHDRAWN],
}

#: How long ago (in days) a caseload case at each status was received.
RECEIVED_DAYS_AGO = {
    Status.RECEIVED: (1, 12),
    Status.TRIAGE: (8, 30),
    Status.AWAITING_PANEL: (20, 60),
    Status.INVESTIGATION: (70, 250),
    Status.REMEDIATION: (70, 250),
    Status.CLOSED: (40, 300),
    Status.WITHDRAWN: (10, 80),
}
TASK_TITLES = ["Ask the practitioner for their reflections", "Request the practice's records",
               "Arrange a meeting with the practitioner", "Check in about support"]


def load_caseload(rng, organisations, users, practitioners, clock) -> None:
    """Put each caseload case's story on the demo clock (lotus/nonprod/demo/clock.py), so
    it was received, triaged and moved on at believable dates before today."""
    today = clock.today
    managers = [users["case.manager@demo.lotus.test"], users["case.manager2@demo.lotus.test"]]
    advisor = users["advisor@demo.lotus.test"]
    home_practitioners = [p for p in practitioners if p.organisation_id == organisations[0].pk]
    for index, final_status in enumerate(STATUS_PLAN):
        low, high = RECEIVED_DAYS_AGO[final_status]
        plan = {
            "owner": managers[index % 2],
            "practitioner": home_practitioners[index % len(home_practitioners)],
            "received": later(today - dt.timedelta(days=rng.randint(low, high)), 0),
            "source": rng.choice(Source.values),
            "categories": rng.sample(Category.values, k=rng.choice([1, 1, 2])),
            "summary": rng.choice(SUMMARIES),
            "draft": final_status == Status.TRIAGE and index % 2 == 0,
            "task_due": today + dt.timedelta(days=rng.randint(-10, 20)),
            "task_title": rng.choice(TASK_TITLES),
        }
        clock.start(_caseload_story(random.Random(f"caseload:{index}"), clock, plan, final_status, advisor))
    # One case in the second organisation, to show that organisations never see each other's work.
    clock.start(_eastbrook_story(users["case.manager@eastbrook.lotus.test"],
                                 next(p for p in practitioners if p.organisation_id == organisations[1].pk),
                                 later(today - dt.timedelta(days=6), 0)))


def _caseload_story(rng, clock, plan, final_status, advisor):
    owner = plan["owner"]
    received = min(plan["received"], clock.today - dt.timedelta(days=1))
    yield at(received, 9, rng.randint(0, 50))
    case = case_services.case_open(
        actor=owner, practitioner=plan["practitioner"], received_on=received, source=plan["source"],
        categories=plan["categories"], summary=plan["summary"], owner=owner,
    )
    # The advisor joins every team. The panel member and the pastoral contact never do
    # (docs/adr/0016): the panel sees a case through its meeting's agenda, and the
    # pastoral contact supports the practitioner through the support plan.
    case_services.case_team_add(actor=owner, case=case, member=advisor)
    # The steps after opening share out the time between the day received and today.
    path = PATHS[final_status] + (["draft"] if plan["draft"] else [])
    span = max((clock.today - received).days - 1, len(path))
    moments = sorted(received + dt.timedelta(days=1 + (span * (n + 1)) // (len(path) + 1)) for n in range(len(path)))
    yesterday = clock.today - dt.timedelta(days=1)
    for step, (target, day) in enumerate(zip(path, moments, strict=True)):
        yield at(max(min(later(day, 0), yesterday), received), 10 + step, rng.randint(0, 50))
        if target == "draft":
            demo_triage_review(rng, case, advisor, owner, submit=False)
        elif target == Status.AWAITING_PANEL:
            # Triage is done the way an advisor does it: the review's submission moves the case.
            demo_triage_review(rng, case, advisor, owner, submit=True)
            case.refresh_from_db()
        else:
            case_services.case_transition(actor=owner, case=case, target=target, reason=reason_for(target))
    if final_status not in (Status.CLOSED, Status.WITHDRAWN):
        case_services.task_create(actor=owner, case=case, title=plan["task_title"], owner=owner,
                                  due_on=plan["task_due"])


def _eastbrook_story(manager, practitioner, received):
    yield at(received, 11)
    case_services.case_open(
        actor=manager, practitioner=practitioner, received_on=received, source=Source.COMPLAINT,
        categories=[Category.CLINICAL], summary="A patient complained about the outcome of a procedure.",
        owner=manager,
    )


DEMO_RATIONALES = [
    "The harm that could follow is moderate, but the practitioner has already reflected and changed how they work.",
    "A pattern is emerging across several reports, so a repeat is likely without support and clear expectations.",
    "The concern is serious but isolated, and the practitioner has engaged fully with every request.",
]


def demo_triage_review(rng, case, advisor, owner, *, submit: bool) -> None:
    """A fictional triage review by the demo advisor: scored, completed, submitted and shared."""
    from lotus.cases.models import Case
    from lotus.triage import services as triage_services
    from lotus.triage.risk import FACTOR_JUDGEMENTS, LIKELIHOOD_FACTORS

    case = Case.objects.get(pk=case.pk)
    review = triage_services.review_start(actor=advisor, case=case, has_conflict=False)
    if review.scores_saved:  # a demo draft finished later (the demo practitioner's own case)
        review.refresh_from_db()
    levels = {domain: rng.choice([0, 0, 1, 2, 3, 4]) for domain in ("statutory", "financial", "management", "professionalism")}
    levels["patient_safety"] = rng.randint(1, 5)
    review = triage_services.review_save_risk(
        actor=advisor,
        review=review,
        consequences=levels,
        likelihood=rng.randint(1, 5),
        factors={f: {"judgement": rng.choice(list(FACTOR_JUDGEMENTS)), "notes": ""} for f in LIKELIHOOD_FACTORS},
        expected_version=review.version,
        change_reason="The demo advisor checked the scores again" if review.scores_saved else "",
    )
    if not submit:
        return
    review = triage_services.review_save_details(
        actor=advisor,
        review=review,
        data={
            "summary_of_concerns": case.summary,
            "safeguarding_concern": "no",
            "health_concern": "no",
            "rationale": rng.choice(DEMO_RATIONALES),
            "recommendation": rng.choice(["local_action", "remediation", "no_further_action"]),
            "additional_recommendations": "Ask the practitioner for their reflections to share with the panel.",
            "just_culture": {},
        },
        documents=[],
        health_details="",
        expected_version=review.version,
    )
    review = triage_services.review_submit(actor=advisor, review=review, expected_version=review.version)
    triage_services.review_share(
        actor=owner, review=review, withheld=[], withheld_reason="", expected_version=review.version
    )
    # Issue 19: a case picked for a second review waits for it. The demo has one advisor per
    # organisation, so the case manager records why it goes to the panel without one.
    if Case.objects.get(pk=case.pk).status == Status.TRIAGE:
        triage_services.second_review_override(
            actor=owner, case=Case.objects.get(pk=case.pk),
            reason="Demo data: the case goes to the panel without a second review so the demo panel has cases to decide.",
        )


def reason_for(target: Status) -> str:
    return {
        Status.TRIAGE: "Concern logged and checked; passed to the professional advisor.",
        Status.AWAITING_PANEL: "Triage complete and shared with the practitioner.",
        Status.INVESTIGATION: "The panel asked for an investigation to establish the facts.",
        Status.REMEDIATION: "The panel agreed a supportive plan with the practitioner.",
        Status.CLOSED: "The panel found no further action was needed.",
        Status.WITHDRAWN: "The person who raised the concern withdrew it after discussion.",
    }[target]
