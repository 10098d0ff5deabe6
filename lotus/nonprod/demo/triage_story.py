"""Triage of a history case on the demo clock: the advisor's blind scores (changed for a
few after the practitioner's details were revealed, with the reason), the written review,
submission, sharing with the practitioner, and the independent second review when the
organisation's sample picks the case (by the demo's second advisor)."""

from __future__ import annotations

from lotus.cases import services as case_services
from lotus.cases.models import Case
from lotus.cases.workflow import Status
from lotus.nonprod.demo.clock import at, later
from lotus.nonprod.demo.stories import words
from lotus.triage import services as triage_services
from lotus.triage.just_culture import QUESTION_KEYS
from lotus.triage.models import TriageReview
from lotus.triage.risk import FACTOR_JUDGEMENTS, LIKELIHOOD_FACTORS

DOMAINS = ("patient_safety", "statutory", "financial", "management", "professionalism")
RECOMMENDATION = {"red": ["investigation"], "amber": ["remediation", "local_action", "local_action"],
                  "green": ["no_further_action", "local_action"]}


def _levels(rng, plan, consequence: int) -> dict[str, int]:
    from lotus.nonprod.demo.history import DOMAIN_FOR

    main = DOMAIN_FOR.get(plan.categories[0], "patient_safety")
    levels = {domain: rng.choice([0, 0, 0, 1, 2]) for domain in DOMAINS}
    levels = {domain: min(level, consequence) for domain, level in levels.items()}
    levels[main] = consequence
    return levels


def _factors(rng) -> dict:
    return {factor: {"judgement": rng.choice(list(FACTOR_JUDGEMENTS)), "notes": ""} for factor in LIKELIHOOD_FACTORS}


def triage(world, plan, case: Case, owner, day):
    """Yields the clock's moments; returns the day the case reached the panel's list, or
    None if it was withdrawn during triage."""
    from lotus.nonprod.demo.history import SCORES

    rng = plan.rng
    text = words()
    advisor = world.advisor
    day = later(day, rng.randint(1, 4))
    yield at(day, 11, rng.randint(0, 50))
    review = triage_services.review_start(actor=advisor, case=case, has_conflict=False)
    consequence, likelihood = rng.choice(SCORES[plan.colour])
    levels = _levels(rng, plan, consequence)
    review = triage_services.review_save_risk(
        actor=advisor, review=review, consequences=levels, likelihood=likelihood, factors=_factors(rng),
        expected_version=review.version,
    )
    if plan.score_changed:
        # The advisor scored blind, then saw who the practitioner is and changed the likelihood.
        changed = max(1, min(5, likelihood + rng.choice([-1, 1])))
        if changed != likelihood:
            review = triage_services.review_save_risk(
                actor=advisor, review=review, consequences=levels, likelihood=changed,
                factors=review.likelihood_factors, expected_version=review.version,
                change_reason="Having read the practitioner's record, I weighed their insight and support differently.",
            )
    if plan.withdrawn:
        day = later(day, rng.randint(2, 6))
        yield at(day, 14, rng.randint(0, 50))
        case_services.case_transition(actor=owner, case=case, target=Status.WITHDRAWN,
                                      reason=text.reasons["withdrawn"])
        return None
    day = later(day, rng.randint(0, 3))
    yield at(day, 15, rng.randint(0, 50))
    recommendation = rng.choice(RECOMMENDATION[plan.colour])
    review = triage_services.review_save_details(
        actor=advisor, review=review,
        data={
            "summary_of_concerns": case.summary,
            "safeguarding_concern": "no",
            "health_concern": "yes" if "health" in plan.categories else "no",
            "rationale": text.triage_rationales[recommendation],
            "recommendation": recommendation,
            "additional_recommendations": "Ask the practitioner for their reflections to share with the panel.",
            "just_culture": {key: _just_culture(rng, key, plan) for key in QUESTION_KEYS},
        },
        documents=[], health_details="Occupational health advice is being sought with the practitioner's consent."
        if "health" in plan.categories else "",
        expected_version=review.version,
    )
    review = triage_services.review_submit(actor=advisor, review=review, expected_version=review.version)
    day = later(day, rng.randint(0, 2))
    yield at(day, 16, rng.randint(0, 50))
    review = triage_services.review_share(
        actor=owner, review=review, withheld=[], withheld_reason="", expected_version=review.version
    )
    if review.second_review_reason:
        day = yield from _second_review(world, plan, case, owner, review, day)
    return day


def _just_culture(rng, key: str, plan) -> str:
    if key == "deliberate_harm":
        return "no"
    if key == "health":
        return "yes" if "health" in plan.categories else rng.choice(["no", "no", "not_sure"])
    if key == "foresight":
        return rng.choice(["no", "no", "not_sure", "yes"])
    return rng.choice(["yes", "yes", "not_sure", "no"])


def _second_review(world, plan, case: Case, owner, first: TriageReview, day):
    """The independent second review the sample asked for, scored close to the first."""
    from lotus.nonprod.demo.history import SCORES

    rng = plan.rng
    day = later(day, 1)
    yield at(day, 9, rng.randint(0, 50))
    second = triage_services.second_review_request(actor=owner, case=case, reviewer=world.second_advisor)
    day = later(day, rng.randint(2, 4))
    yield at(day, 14, rng.randint(0, 50))
    reviewer = world.second_advisor
    second = triage_services.second_review_declare(actor=reviewer, review=second, has_conflict=False)
    if rng.random() < 0.7:
        consequence, likelihood = first.consequence, first.likelihood
    else:
        consequence, likelihood = rng.choice(SCORES[rng.choice(["green", "amber", "red"])])
    second = triage_services.review_save_risk(
        actor=reviewer, review=second, consequences=_levels(rng, plan, consequence), likelihood=likelihood,
        factors=_factors(rng), expected_version=second.version,
    )
    triage_services.review_submit(actor=reviewer, review=second, expected_version=second.version)
    return day
