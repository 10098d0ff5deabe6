"""The lessons-learnt review endpoints (issue 12; ADR 0024): a review walked from start
to approval and amendment by token, the practitioner's perspective shown as written,
and every bad input refused with its field named and nothing saved."""

import pytest

from lotus.audit.models import AuditEvent
from lotus.learning import services
from lotus.learning.models import (
    ChronologyEntry,
    CodedFactor,
    Factor,
    Problem,
    Review,
    ReviewStatus,
)
from lotus.learning.sync import vocabulary_ensure
from tests.api.conftest import API
from tests.factories import CaseFactory
from tests.learning.action_fixtures import make_review

pytestmark = pytest.mark.django_db
JSON = "application/json"


def review_url(review) -> str:
    return f"{API}/cases/{review.case_id}/reviews/{review.pk}/"


def standard(code: str) -> Factor:
    vocabulary_ensure()
    return Factor.objects.get(code=code, organisation__isnull=True)


@pytest.fixture
def reviewed(world):
    return make_review(world)


@pytest.fixture
def lead(api_for):
    return api_for("professional_advisor")


def _post(client, url, body):
    return client.post(url, body, content_type=JSON)


def test_a_review_is_started_written_submitted_approved_and_amended_by_token(world, api_for):
    case = CaseFactory(organisation=world.organisation, owner=world.users["case_manager"],
                       team=[world.users["case_manager"]])
    manager, lead, admin = api_for("case_manager"), api_for("professional_advisor"), api_for("administrator")
    started = _post(manager, f"{API}/cases/{case.pk}/reviews/", {"reviewer": world.users["professional_advisor"].pk})
    assert started.status_code == 201, started.content
    body = started.json()
    assert (body["status"], body["number"], body["team"][0]["has_conflict"]) == ("draft", 1, None)
    url = f"{API}/cases/{case.pk}/reviews/{body['id']}/"
    assert set(body["still_needed"]) >= {"declarations", "chronology", "problems", "summary"}

    assert _post(lead, url + "declaration/", {"has_conflict": False}).status_code == 200
    body = _post(lead, url + "chronology/", {
        "occurred_on": "2026-03-02", "occurred_at": "14:30", "what_happened": "Results arrived in a late clinic",
        "who_was_involved": "Locum GP",
    }).json()
    entry = body["chronology"][0]
    assert (entry["occurred_at"], entry["from_case_timeline"]) == ("14:30", False)
    body = _post(lead, url + "problems/", {"chronology_entry": entry["id"],
                                            "description": "Results were not seen for a week"}).json()
    problem = body["problems"][0]["id"]
    body = _post(lead, url + "went-well/", {"description": "The nurse escalated at once"}).json()
    assert body["went_well"][0]["chronology_entry"] is None
    factor = standard("fair.induction")
    response = _post(lead, url + "factors/", {"category": factor.category.code, "factor": factor.pk,
                                               "evidence": "No induction recorded", "scope": "system",
                                               "problem": problem})
    assert response.status_code == 201, response.content
    coded = response.json()["problems"][0]["factors"][0]
    assert (coded["factor"]["code"], coded["category"]["code"], coded["scope"]) == (
        "fair.induction", factor.category.code, "system")

    version = response.json()["version"]
    saved = lead.patch(url, {"summary": "The locum failed to check results.", "recommendations": "Induct locums.",
                             "version": version}, content_type=JSON)
    assert saved.status_code == 200
    check = {item["field"]: item for item in saved.json()["blame_check"]}
    assert check["summary"]["passed"] is False and "failed to" in check["summary"]["advice"]
    assert check["recommendations"]["passed"] is True
    assert saved.json()["still_needed"] == {}

    submitted = _post(lead, url + "submit/", {"version": saved.json()["version"]})
    assert submitted.json()["status"] == "submitted"
    approved = _post(admin, url + "approve/", {"version": submitted.json()["version"]})
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["approved_by"]["id"]) == (
        "approved", world.users["administrator"].pk)
    assert [v["number"] for v in approved.json()["versions"]] == [1]

    amended = _post(lead, url + "amend/", {"version": approved.json()["version"],
                                            "reason": "The practice sent its new rota policy"})
    assert (amended.json()["status"], amended.json()["revision"]) == ("draft", 2)
    assert amended.json()["versions"][0]["amend_reason"] == "The practice sent its new rota policy"


def test_a_review_can_be_sent_back_to_its_team_with_a_reason(world, reviewed, lead, api_for):
    review = reviewed.review
    services.review_save(actor=world.users["professional_advisor"], review=review, expected_version=review.version,
                         summary="A summary.", recommendations="")
    version = _post(lead, review_url(review) + "submit/", {"version": review.version}).json()["version"]
    refused = _post(api_for("administrator"), review_url(review) + "return/", {"version": version, "reason": "No"})
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["reason"]
    returned = _post(api_for("administrator"), review_url(review) + "return/",
                     {"version": version, "reason": "Please add the rota to the chronology"})
    assert returned.json()["status"] == "draft"


def test_the_practitioners_perspective_is_shown_as_written_and_cannot_be_changed_here(world, reviewed, lead):
    review = reviewed.review
    services.perspective_invite(actor=world.users["case_manager"], review=review, reply_by=None)
    words = "A named supervisor on Fridays would have helped.\n\nAnd an induction."
    services.perspective_give(actor=world.users["practitioner"], review=review, text_given=words)
    review.refresh_from_db()
    shown = lead.get(review_url(review)).json()["perspective"]
    assert (shown["text"], shown["answered"]) == (words, True)
    # No endpoint writes it: a `perspective` key in a write is ignored.
    lead.patch(review_url(review), {"summary": "S", "version": review.version, "perspective": {"text": "Staff"}},
               content_type=JSON)
    review.perspective.refresh_from_db()
    assert review.perspective.text == words


def test_a_review_read_is_audited(world, reviewed, lead):
    assert lead.get(review_url(reviewed.review)).status_code == 200
    event = AuditEvent.objects.filter(action="view", object_type="learning_review",
                                      object_id=str(reviewed.review.pk)).latest("id")
    assert event.details["page"] == "api"


def _factor_body(review, chosen, **overrides):
    body = {"category": chosen.category.code, "factor": chosen.pk, "evidence": "Fictional evidence",
            "scope": "system", "problem": review.problems.get().pk}
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"category": "no-such-category"}, "category"),
        ({"category": "team"}, "factor"),  # a factor from another category
        ({"factor": 10**12}, "factor"),
        ({"evidence": "   "}, "evidence"),
        ({"scope": "everywhere"}, "scope"),
        ({"problem": None}, "factor"),  # neither a problem nor something that went well
    ],
)
def test_coding_a_bad_factor_names_the_field_and_saves_nothing(world, reviewed, lead, overrides, field):
    review = reviewed.review
    before = (CodedFactor.objects.count(), Review.objects.get(pk=review.pk).version)
    response = _post(lead, review_url(review) + "factors/", _factor_body(review, standard("fair.isolation"),
                                                                         **overrides))
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert (CodedFactor.objects.count(), Review.objects.get(pk=review.pk).version) == before


def test_a_factor_from_another_organisations_local_list_is_refused(world, reviewed, lead):
    foreign = services.local_factor_add(actor=world.users["other_org_administrator"], category="team",
                                        title="Rota gaps at weekends")
    before = CodedFactor.objects.count()
    response = _post(lead, review_url(reviewed.review) + "factors/",
                     _factor_body(reviewed.review, foreign, category="team"))
    assert response.status_code == 400
    assert response.json() == {"errors": {"factor": ["Select a factor from your organisation's list"]}}
    assert CodedFactor.objects.count() == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("chronology/", {"occurred_on": "2999-01-01", "what_happened": "Later"}, "occurred_on"),
        ("chronology/", {"occurred_on": "2026-01-05", "what_happened": "  "}, "what_happened"),
        ("chronology/", {"occurred_on": "2026-01-05", "what_happened": "x", "occurred_at": "25:00"}, "occurred_at"),
        ("problems/", {"chronology_entry": 10**12, "description": "A problem"}, "chronology_entry"),
        ("problems/", {"description": "A problem"}, "chronology_entry"),
        ("went-well/", {"description": ""}, "description"),
    ],
)
def test_bad_entries_name_the_field_and_save_nothing(world, reviewed, lead, path, body, field):
    before = (ChronologyEntry.objects.count(), Problem.objects.count())
    response = _post(lead, review_url(reviewed.review) + path, body)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert (ChronologyEntry.objects.count(), Problem.objects.count()) == before


def test_a_stale_summary_is_409_and_saves_nothing(world, reviewed, lead):
    review = reviewed.review
    stale = review.version
    assert lead.patch(review_url(review), {"summary": "First", "version": stale}, content_type=JSON).status_code == 200
    response = lead.patch(review_url(review), {"summary": "Second", "version": stale}, content_type=JSON)
    assert response.status_code == 409 and list(response.json()["errors"]) == ["version"]
    assert Review.objects.get(pk=review.pk).summary == "First"


def test_an_incomplete_review_is_not_submitted_and_each_gap_is_named(world, reviewed, lead):
    review = reviewed.review
    response = _post(lead, review_url(review) + "submit/", {"version": review.version})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["summary"]
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.DRAFT


def test_amending_needs_a_reason_and_an_approved_review(world, reviewed, lead):
    review = reviewed.review
    response = _post(lead, review_url(review) + "amend/", {"version": review.version, "reason": "Because it is"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["reason"]


def test_starting_a_second_review_needs_a_reason_and_a_reviewer_who_may_review(world, reviewed, api_for):
    url = f"{API}/cases/{world.case.pk}/reviews/"
    manager = api_for("case_manager")
    response = _post(manager, url, {"reviewer": world.users["pastoral_contact"].pk})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"another_reason", "reviewer"}
    assert Review.objects.filter(case=world.case).count() == 1
    response = _post(manager, url, {"reviewer": world.users["case_manager"].pk,
                                    "another_reason": "The first review missed the rota"})
    assert response.status_code == 201 and response.json()["number"] == 2


def test_the_team_writes_and_a_second_person_approves(world, reviewed, api_for):
    """Someone who may read the review but is not its declared team cannot write it (404), and
    the lead who submitted it cannot approve it."""
    review = reviewed.review
    body = {"occurred_on": "2026-01-05", "what_happened": "Something"}
    assert _post(api_for("case_manager"), review_url(review) + "chronology/", body).status_code == 404
    assert _post(api_for("professional_advisor"), review_url(review) + "approve/",
                 {"version": review.version}).status_code == 404


def test_the_review_list_shows_the_reviews_of_cases_the_user_may_read(world, reviewed, api_for):
    other = CaseFactory(organisation=world.organisation, owner=world.users["off_team_case_manager"],
                        team=[world.users["off_team_case_manager"]])
    elsewhere = make_review(world, case=other, manager="off_team_case_manager", reviewer="off_team_case_manager")
    ids = {role: [r["id"] for r in api_for(role).get(f"{API}/learning/reviews/").json()["results"]]
           for role in ("administrator", "case_manager", "pastoral_contact", "off_team_case_manager")}
    assert set(ids["administrator"]) == {reviewed.review.pk, elsewhere.review.pk}
    assert ids["case_manager"] == [reviewed.review.pk]
    assert ids["pastoral_contact"] == []
    assert ids["off_team_case_manager"] == [elsewhere.review.pk]
    admin = api_for("administrator")
    assert [r["id"] for r in admin.get(f"{API}/learning/reviews/?case={other.pk}").json()["results"]] == [
        elsewhere.review.pk]
    assert admin.get(f"{API}/learning/reviews/?status=approved").json()["count"] == 0
    bad = admin.get(f"{API}/learning/reviews/?status=finished")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["status"]
    assert AuditEvent.objects.filter(action="list", object_type="learning_review").exists()


def test_an_analyst_never_reaches_a_review_or_its_case(world, reviewed, api_for):
    analyst = api_for("analyst")
    review = reviewed.review
    for url in (f"{API}/learning/reviews/", review_url(review), review_url(review) + "pdf/",
                review_url(review) + "actions/", f"{API}/cases/{review.case_id}/",
                f"{API}/cases/{review.case_id}/reviews/"):
        assert analyst.get(url).status_code == 404, url
    denied = AuditEvent.objects.filter(action="access denied", actor_id=world.users["analyst"].pk)
    assert denied.filter(object_type="learning_review", object_id=str(review.pk)).exists()


def test_a_review_under_another_cases_url_is_404(world, reviewed, api_for):
    other = CaseFactory(organisation=world.organisation, owner=world.users["case_manager"],
                        team=[world.users["case_manager"]])
    url = f"{API}/cases/{other.pk}/reviews/{reviewed.review.pk}/"
    assert api_for("administrator").get(url).status_code == 404


def test_a_declared_conflict_takes_the_member_off_the_review(world, reviewed, api_for):
    review = reviewed.review
    services.team_member_add(actor=world.users["administrator"], review=review, member=world.users["case_manager"],
                             role="co_reviewer")
    manager = api_for("case_manager")
    refused = _post(manager, review_url(review) + "declaration/", {"has_conflict": True})
    assert refused.status_code == 400 and list(refused.json()["errors"]) == ["conflict_details"]
    declared = _post(manager, review_url(review) + "declaration/",
                     {"has_conflict": True, "conflict_details": "I trained with the practitioner"})
    assert declared.status_code == 200 and declared.json()["has_conflict"] is True
    assert manager.get(review_url(review)).status_code == 404
