"""A review in a known state, for the access matrices and the page walk."""

import datetime as dt

from lotus.learning import services
from lotus.learning.models import Factor
from lotus.learning.sync import vocabulary_ensure


def amended_review(world) -> dict:
    """world.case's review, led by the professional advisor (declared, no conflict), with an
    event, a problem coded with a factor and something that went well; approved by the
    administrator, then amended (a draft of revision 2); the case manager joined afterwards
    as a co-reviewer and has not declared; the practitioner has been invited to give their
    perspective and has not answered. Returns the URL kwargs for its pages."""
    manager, advisor, admin = (world.users[n] for n in ("case_manager", "professional_advisor", "administrator"))
    review = services.review_start(actor=manager, case=world.case, reviewer=advisor)
    services.conflict_declare(actor=advisor, review=review, has_conflict=False)
    entry = services.chronology_add(actor=advisor, review=review, occurred_on=dt.date(2026, 3, 2),
                                    what_happened="Results arrived during a late clinic", who_was_involved="Locum GP")
    problem = services.problem_add(actor=advisor, review=review, chronology_entry_id=entry.pk,
                                   description="Results were not seen for nine days")
    vocabulary_ensure()  # a flush (transaction=True tests) empties the standard list
    factor = Factor.objects.get(code="fair.induction", organisation__isnull=True)
    coded = services.factor_code(actor=advisor, review=review, problem_id=problem.pk, category="fair_to_refer",
                                 factor_id=factor.pk, evidence="No induction recorded", scope="system")
    positive = services.positive_add(actor=advisor, review=review, description="The nurse escalated at once")
    review.refresh_from_db()
    services.review_save(actor=advisor, review=review, expected_version=review.version,
                         summary="Results were missed while locums had no induction.", recommendations="")
    services.review_submit(actor=advisor, review=review, expected_version=review.version)
    services.review_approve(actor=admin, review=review, expected_version=review.version)
    services.review_amend(actor=advisor, review=review, reason="The practice sent its new rota policy",
                          expected_version=review.version)
    place = review.team.get(user=advisor)
    services.team_member_add(actor=manager, review=review, member=manager, role="co_reviewer")
    services.perspective_invite(actor=manager, review=review, reply_by=None)
    local = services.local_factor_add(actor=admin, category="team", title="Rota gaps at weekends")
    return {
        "review_id": review.pk, "place_id": place.pk, "chronology_id": entry.pk, "problem_id": problem.pk,
        "positive_id": positive.pk, "coded_id": coded.pk, "on": "problem", "finding_id": problem.pk,
        "number": 1, "factor_id": local.pk,
    }
