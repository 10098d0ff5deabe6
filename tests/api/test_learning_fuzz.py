"""Fuzzed bodies on the learning API's writes (issue 12; ADR 0024): Unicode, control
characters, 1 MB strings and wrong types never cause a 5xx, and a refused request leaves
nothing half-saved (the same strategy as tests/api/test_bad_input.py)."""

import json

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from lotus.learning.models import (
    Action,
    ActionStatusChange,
    ChronologyEntry,
    CodedFactor,
    PositiveLearning,
    Problem,
    Review,
)
from lotus.learning.services import actions as action_services
from tests.api.conftest import API
from tests.api.test_bad_input import bodies
from tests.learning.action_fixtures import make_review

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=25, deadline=None, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REVIEW = "/cases/{case}/reviews/{review}/"
ENDPOINTS = {
    # name: (method, path, keys, role)
    "save": ("PATCH", REVIEW, ["summary", "recommendations", "version"], "professional_advisor"),
    "chronology": ("POST", REVIEW + "chronology/", ["occurred_on", "occurred_at", "what_happened",
                                                    "who_was_involved"], "professional_advisor"),
    "problems": ("POST", REVIEW + "problems/", ["chronology_entry", "description"], "professional_advisor"),
    "factors": ("POST", REVIEW + "factors/", ["category", "factor", "evidence", "scope", "problem", "positive"],
                "professional_advisor"),
    "actions": ("POST", REVIEW + "actions/", ["description", "factors", "owner_user", "owner_name",
                                              "owner_outside", "priority", "due_on"], "professional_advisor"),
    "move": ("POST", "/learning/actions/{action}/status/", ["to_status", "version", "note", "evidence"],
             "case_manager"),
    "assure": ("POST", "/learning/actions/{action}/assurance/", ["version", "assurance_note"], "administrator"),
    "local factor": ("POST", "/learning/factors/", ["category", "title", "description"], "administrator"),
}


def counts() -> tuple:
    return (
        CodedFactor.objects.count(), ChronologyEntry.objects.count(), Problem.objects.count(),
        PositiveLearning.objects.count(), Action.objects.count(), ActionStatusChange.objects.count(),
        tuple(Review.objects.values_list("version", "summary")), tuple(Action.objects.values_list("version", "status")),
    )


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_fuzzed_learning_bodies_never_fail_and_never_half_save(world, api_for, endpoint):
    reviewed = make_review(world)
    action = action_services.action_add(
        actor=world.users["professional_advisor"], review=reviewed.review, description="Induct every locum",
        factor_ids=[reviewed.problem_factor.pk], owner_user_id=world.users["case_manager"].pk, owner_name="",
        owner_outside=False, priority="high", due_on=reviewed.review.due_on,
    )
    method, path, keys, role = ENDPOINTS[endpoint]
    url = API + path.format(case=world.case.pk, review=reviewed.review.pk, action=action.pk)
    api = api_for(role)

    @FUZZ
    @given(body=bodies(keys))
    def run(body):
        before = counts()
        encoded = json.dumps(body, ensure_ascii=True)
        response = api.generic(method, url, encoded, content_type="application/json")
        assert response.status_code < 500, (body, response.content[:500])
        if response.status_code >= 400:
            assert set(response.json()) == {"errors"}
            assert counts() == before, f"{endpoint}: a refused request changed data"

    run()
