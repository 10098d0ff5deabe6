"""Learning fixtures: a review of world.case led by the professional advisor, who has
declared no conflict, with a chronology event and a problem on it; a second case manager
to approve it; and an organisation's local factor."""

import datetime as dt

import pytest

from lotus.accounts.roles import Role
from lotus.learning import services
from lotus.learning.models import Factor
from tests.factories import TOTPDeviceFactory, UserFactory


@pytest.fixture
def review(world):
    return services.review_start(
        actor=world.users["case_manager"], case=world.case, reviewer=world.users["professional_advisor"]
    )


@pytest.fixture
def declared(world, review):
    services.conflict_declare(actor=world.users["professional_advisor"], review=review, has_conflict=False)
    review.refresh_from_db()
    return review


@pytest.fixture
def entry(world, declared):
    return services.chronology_add(
        actor=world.users["professional_advisor"], review=declared, occurred_on=dt.date(2026, 3, 2),
        what_happened="Blood results came back while the clinic was running two hours late",
        who_was_involved="Locum GP; practice nurse",
    )


@pytest.fixture
def problem(world, declared, entry):
    return services.problem_add(
        actor=world.users["professional_advisor"], review=declared, chronology_entry_id=entry.pk,
        description="Abnormal results were not seen for nine days",
    )


def standard(code: str) -> Factor:
    return Factor.objects.get(code=code, organisation__isnull=True)


def code(world, review, problem, factor_code="fair.induction", **extra):
    factor = standard(factor_code)
    values = {"category": factor.category.code, "factor_id": factor.pk,
              "evidence": "No induction to the practice's results system was recorded", "scope": "system"}
    values.update(extra)
    return services.factor_code(actor=world.users["professional_advisor"], review=review, problem_id=problem.pk,
                                **values)


@pytest.fixture
def ready(world, declared, problem):
    """A draft that may be submitted: coded, with a summary."""
    code(world, declared, problem)
    declared.refresh_from_db()
    services.review_save(
        actor=world.users["professional_advisor"], review=declared, expected_version=declared.version,
        summary="Results were missed while the practice had no routine for locums to see them.",
        recommendations="Give every locum an induction to the results system.",
    )
    return declared


@pytest.fixture
def second_manager(world):
    user = UserFactory(email="cm2@test.lotus.test", full_name="Second Manager", organisation=world.organisation,
                       roles=(Role.CASE_MANAGER,))
    TOTPDeviceFactory(user=user)
    from lotus.cases.models import CaseTeamMember

    CaseTeamMember.objects.create(case=world.case, user=user)
    return user


@pytest.fixture
def other_local_factor(world):
    return services.local_factor_add(
        actor=world.users["other_org_administrator"], category="team", title="Rota gaps at weekends"
    )
