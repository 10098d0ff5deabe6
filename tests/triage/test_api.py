"""Triage through /api/v1/: the server computes the score, bad input names the field,
stale writes get 409, and the same access rules as the pages."""

import pytest

from lotus.cases.models import Case, CaseTeamMember
from lotus.triage import services
from lotus.triage.models import TriageReview
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RISK = {
    "consequences": {"patient_safety": 3, "statutory": 0, "financial": 0, "management": 2, "professionalism": 4},
    "likelihood": 3,
    "factors": {f: {"judgement": "neutral"} for f in ("insight", "health", "behaviours", "support", "work_context", "engagement")},
}
DETAILS = {
    "summary_of_concerns": "Two late referrals.",
    "safeguarding_concern": "no",
    "health_concern": "yes",
    "health_details": "Fictional: recovering from an operation.",
    "rationale": "Moderate harm possible; good insight.",
    "recommendation": "local_action",
}


def base(case):
    return f"/api/v1/cases/{case.pk}/triage/"


def test_the_whole_review_by_api(world, in_triage, api_for):
    advisor = api_for("professional_advisor")
    created = advisor.post(base(in_triage), {"has_conflict": False}, content_type="application/json")
    assert created.status_code == 201, created.content
    version = created.json()["version"]
    # A client cannot set the score, band or colour: they are ignored and computed.
    body = {"version": version, "risk": RISK, "details": DETAILS, "score": 25, "band": "low", "colour": "green"}
    updated = advisor.patch(base(in_triage), body, content_type="application/json")
    assert updated.status_code == 200, updated.content
    data = updated.json()
    assert (data["consequence"], data["score"], data["band"], data["colour"]) == (4, 12, "high", "amber")
    assert data["health_details"] == "Fictional: recovering from an operation."
    submitted = advisor.post(base(in_triage) + "submit/", {"version": data["version"]}, content_type="application/json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    # Not to the panel yet: the review is not shared (nor not sharing recorded).
    assert Case.objects.get(pk=in_triage.pk).status == "triage"
    # Amending needs a reason
    amend = {"version": submitted.json()["version"], "details": {**DETAILS, "rationale": "Changed"}}
    refused = advisor.patch(base(in_triage), amend, content_type="application/json")
    assert refused.status_code == 400 and "amend_reason" in refused.json()["errors"]
    amend["details"]["amend_reason"] = "New letter"
    amended = advisor.patch(base(in_triage), amend, content_type="application/json")
    assert [v["number"] for v in amended.json()["versions"]] == [2, 1]
    shared = api_for("case_manager").post(base(in_triage) + "share/", {"version": amended.json()["version"]},
                                          content_type="application/json")
    assert shared.status_code == 200 and shared.json()["shared_at"]
    assert Case.objects.get(pk=in_triage.pk).status == "awaiting_panel"
    # A panel member reads triage through the agenda item's papers, never through the case
    # (docs/adr/0016): their raw team row opens nothing here
    assert api_for("panel_member").get(base(in_triage)).status_code == 404


@pytest.mark.parametrize(
    ("risk", "field"),
    [
        ({**RISK, "consequences": {**RISK["consequences"], "patient_safety": 6}}, "risk"),
        ({**RISK, "likelihood": None}, "likelihood"),
        ({**RISK, "consequences": dict.fromkeys(RISK["consequences"], 0)}, "consequence_patient_safety"),
    ],
)
def test_bad_risk_input_is_refused_naming_the_field(in_triage, api_for, risk, field):
    advisor = api_for("professional_advisor")
    version = advisor.post(base(in_triage), {"has_conflict": False}, content_type="application/json").json()["version"]
    response = advisor.patch(base(in_triage), {"version": version, "risk": risk}, content_type="application/json")
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    assert TriageReview.objects.get(case=in_triage).score is None


def test_a_stale_version_is_409_and_nothing_saved(in_triage, api_for):
    advisor = api_for("professional_advisor")
    version = advisor.post(base(in_triage), {"has_conflict": False}, content_type="application/json").json()["version"]
    assert advisor.patch(base(in_triage), {"version": version, "details": DETAILS}, content_type="application/json").status_code == 200
    stale = advisor.patch(base(in_triage), {"version": version, "details": {**DETAILS, "rationale": "Other"}},
                          content_type="application/json")
    assert stale.status_code == 409
    assert TriageReview.objects.get(case=in_triage).rationale == DETAILS["rationale"]


def test_second_reviewer_gets_404_for_the_first_review_until_they_submit(world, submitted_review, token_for):
    from lotus.api.services import api_token_create
    from tests.api.conftest import bearer_client

    second = UserFactory(organisation=world.organisation, roles=("professional_advisor",))
    CaseTeamMember.objects.create(case=submitted_review.case, user=second)
    case = Case.objects.get(pk=submitted_review.case_id)
    services.second_review_request(actor=world.users["case_manager"], case=case, reviewer=second)
    client = bearer_client(api_token_create(actor=None, user=second, name="t", expires_days=5).raw)
    assert client.get(base(case)).status_code == 404
    own = client.get(base(case) + "second-review/")
    assert own.status_code == 200
    declared = client.post(base(case), {"has_conflict": False}, content_type="application/json")
    assert declared.status_code == 200 and declared.json()["kind"] == "second"
    own = client.get(base(case) + "second-review/")
    patched = client.patch(base(case), {"version": own.json()["version"], "risk": RISK}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["kind"] == "second"
    client.post(base(case) + "submit/", {"version": patched.json()["version"]}, content_type="application/json")
    assert client.get(base(case)).status_code == 200


def test_a_conflicted_reviewer_loses_access(in_triage, api_for):
    advisor = api_for("professional_advisor")
    response = advisor.post(base(in_triage), {"has_conflict": True, "conflict_details": "Family"}, content_type="application/json")
    assert response.status_code == 200
    assert advisor.get(f"/api/v1/cases/{in_triage.pk}/").status_code == 404


def test_agreement_figures_by_api(world, api_for):
    from tests.triage.test_agreement_and_queue import make_pairs

    make_pairs(world, 10)
    data = api_for("administrator").get("/api/v1/insights/triage-agreement/").json()
    assert data["overall"]["pairs"] == 10 and data["overall"]["enough"]
    assert [k["name"] for k in data["overall"]["kappas"]] == ["Risk score", "Consequence", "Likelihood"]
