"""Triage services: conflicts, scores computed by the server, submit and lock, amendments
with versions, optimistic locking, sharing, second reviews and settings."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lotus.audit.models import AuditEvent
from lotus.cases.models import Case, Task
from lotus.cases.selectors import visible_cases
from lotus.cases.services import StaleEdit
from lotus.triage import services
from lotus.triage.models import (
    ConflictOfInterest,
    TriageHealthDetail,
    TriageReview,
    TriageReviewVersion,
    TriageSettings,
)
from tests.factories import UserFactory
from tests.triage.conftest import DETAILS, FACTORS, LEVELS, fill, fresh, score, start, submit

pytestmark = pytest.mark.django_db


def test_declaring_a_conflict_records_it_asks_the_owner_to_reassign_and_removes_access(world, in_triage, advisor):
    assert services.review_start(actor=advisor, case=in_triage, has_conflict=True, conflict_details="My sister") is None
    assert ConflictOfInterest.objects.filter(case=in_triage, user=advisor).exists()
    assert not TriageReview.objects.filter(case=in_triage).exists()
    task = Task.objects.get(case=in_triage)
    assert task.owner == world.case.owner and "conflict of interest" in task.title
    fresh_case = Case.objects.get(pk=in_triage.pk)
    assert not advisor.has_perm("cases.view_case", fresh_case)
    assert not visible_cases(advisor).filter(pk=in_triage.pk).exists()


def test_a_conflict_needs_details(in_triage, advisor):
    with pytest.raises(ValidationError) as error:
        services.review_start(actor=advisor, case=in_triage, has_conflict=True, conflict_details="  ")
    assert error.value.message_dict == {"conflict_details": ["Describe the conflict of interest"]}
    assert not ConflictOfInterest.objects.exists()


def test_only_an_advisor_on_the_team_may_start(world, in_triage):
    with pytest.raises(PermissionDenied):
        services.review_start(actor=world.users["case_manager"], case=in_triage, has_conflict=False)


def test_the_server_computes_score_band_and_colour(in_triage, advisor):
    review = score(start(in_triage, advisor), advisor)
    assert (review.consequence, review.likelihood, review.score, review.band, review.colour) == (4, 3, 12, "high", "amber")
    assert review.scores_saved


@pytest.mark.parametrize(
    ("levels", "likelihood", "field", "message"),
    [
        ({**LEVELS, "patient_safety": 6}, 3, "consequence_patient_safety", "Choose a level from 1 to 5"),
        ({**LEVELS, "financial": None}, 3, "consequence_financial", "Choose a level, or not relevant, for financial"),
        (dict.fromkeys(LEVELS, 0), 3, "consequence_patient_safety", "all five are marked not relevant"),
        (LEVELS, None, "likelihood", "Choose the likelihood of recurrence"),
        (LEVELS, 7, "likelihood", "Likelihood of recurrence must be from 1 to 5"),
    ],
)
def test_bad_risk_input_is_refused_naming_the_field_and_nothing_is_saved(in_triage, advisor, levels, likelihood, field, message):
    review = start(in_triage, advisor)
    with pytest.raises(ValidationError) as error:
        score(review, advisor, levels=levels, likelihood=likelihood)
    assert field in error.value.message_dict
    assert message in error.value.message_dict[field][0]
    assert fresh(review).score is None and fresh(review).version == review.version


def test_changing_saved_scores_needs_a_reason(in_triage, advisor):
    review = score(start(in_triage, advisor), advisor)
    with pytest.raises(ValidationError) as error:
        score(review, advisor, likelihood=5)
    assert "change_reason" in error.value.message_dict
    assert score(review, advisor, likelihood=5, reason="New information from the practice").score == 20


def test_submit_refuses_an_incomplete_review_naming_each_field(in_triage, advisor):
    review = start(in_triage, advisor)
    fill(review, advisor, rationale="", summary_of_concerns="")
    with pytest.raises(ValidationError) as error:
        submit(review, advisor)
    assert set(error.value.message_dict) >= {"likelihood", "rationale", "summary_of_concerns"}
    assert error.value.message_dict["rationale"] == ["Enter the rationale for the risk score and recommendation"]
    assert fresh(review).status == "draft"
    assert Case.objects.get(pk=in_triage.pk).status == "triage"


def test_recommending_investigation_needs_the_just_culture_check(in_triage, advisor):
    review = score(start(in_triage, advisor), advisor)
    fill(review, advisor, recommendation="investigation")
    with pytest.raises(ValidationError) as error:
        submit(review, advisor)
    assert "just_culture_substitution" in error.value.message_dict
    answers = dict.fromkeys(("deliberate_harm", "health", "foresight", "substitution", "mitigating"), "no")
    fill(review, advisor, recommendation="investigation", just_culture=answers)
    assert submit(review, advisor).is_submitted


def test_submit_locks_and_the_case_goes_to_the_panel_once_shared(submitted_review, advisor):
    case = Case.objects.get(pk=submitted_review.case_id)
    assert submitted_review.status == "submitted" and submitted_review.submitted_at
    assert case.status == "triage"
    assert TriageReviewVersion.objects.filter(review=submitted_review, number=1).exists()
    assert AuditEvent.objects.filter(object_type="triage_review", action="transition").exists()
    review = fresh(submitted_review)
    services.review_share(actor=advisor, review=review, withheld=[], withheld_reason="", expected_version=review.version)
    case = Case.objects.get(pk=submitted_review.case_id)
    assert case.status == "awaiting_panel"
    assert case.timeline.filter(kind="status", title="Triage to Awaiting panel").exists()


def test_an_amendment_needs_a_reason_and_creates_a_version(submitted_review, advisor):
    with pytest.raises(ValidationError) as error:
        fill(submitted_review, advisor, rationale="Changed")
    assert error.value.message_dict == {"amend_reason": ["Enter the reason for this amendment"]}
    fill(submitted_review, advisor, rationale="Changed after the practice replied", amend_reason="New letter")
    versions = list(fresh(submitted_review).versions.order_by("number"))
    assert [(v.number, v.reason) for v in versions] == [(1, ""), (2, "New letter")]
    assert versions[0].snapshot["rationale"] == DETAILS["rationale"]
    assert versions[1].snapshot["rationale"] == "Changed after the practice replied"


def test_two_tabs_saving_the_same_version_one_wins_the_other_is_told(in_triage, advisor):
    review = start(in_triage, advisor)
    tab_one = fresh(review)
    tab_two = fresh(review)
    services.review_save_details(actor=advisor, review=tab_one, data=DETAILS, documents=[], health_details="",
                                 expected_version=tab_one.version)
    with pytest.raises(StaleEdit):
        services.review_save_details(actor=advisor, review=tab_two, data={**DETAILS, "rationale": "Other tab"},
                                     documents=[], health_details="", expected_version=tab_two.version)
    assert fresh(review).rationale == DETAILS["rationale"]


def test_two_tabs_submitting_one_wins(in_triage, advisor):
    review = start(in_triage, advisor)
    score(review, advisor)
    fill(review, advisor)
    tab_one, tab_two = fresh(review), fresh(review)
    services.review_submit(actor=advisor, review=tab_one, expected_version=tab_one.version)
    with pytest.raises(StaleEdit):
        services.review_submit(actor=advisor, review=tab_two, expected_version=tab_two.version)
    assert fresh(review).versions.count() == 1


def test_health_details_are_stored_in_the_restricted_model(in_triage, advisor):
    review = score(start(in_triage, advisor), advisor)
    fill(review, advisor, health_concern="yes", health="Fictional: recent bereavement")
    assert TriageHealthDetail.objects.get(review=review).details == "Fictional: recent bereavement"
    assert "bereavement" not in str(TriageReview.objects.filter(pk=review.pk).values().first())


def test_sharing_needs_a_reason_to_withhold(submitted_review, advisor):
    review = fresh(submitted_review)
    with pytest.raises(ValidationError) as error:
        services.review_share(actor=advisor, review=review, withheld=["health"], withheld_reason="",
                              expected_version=review.version)
    assert error.value.message_dict == {"withheld_reason": ["Enter the reason for withholding these details"]}
    shared = services.review_share(actor=advisor, review=review, withheld=["health"],
                                   withheld_reason="Awaiting occupational health advice", expected_version=review.version)
    assert shared.shared_at and shared.shared_by == advisor and shared.withheld == ["health"] and shared.shared_version == 1


def test_second_review_is_independent_and_agreement_is_recorded(world, submitted_review):
    second_advisor = UserFactory(organisation=world.organisation, roles=("professional_advisor",))
    from lotus.cases.models import CaseTeamMember

    CaseTeamMember.objects.create(case=submitted_review.case, user=second_advisor)
    case = Case.objects.get(pk=submitted_review.case_id)
    second = services.second_review_request(actor=world.users["case_manager"], case=case, reviewer=second_advisor)
    case = Case.objects.get(pk=case.pk)
    assert not second_advisor.has_perm("triage.view_review", case)
    assert second_advisor.has_perm("triage.write_second_review", case)
    with pytest.raises(ValidationError) as error:
        score(second, second_advisor, likelihood=5)
    assert error.value.message_dict == {"likelihood": ["Declare any conflict of interest before you score"]}
    services.second_review_declare(actor=second_advisor, review=fresh(second), has_conflict=False)
    score(second, second_advisor, likelihood=5)
    submit(second, second_advisor)
    case = Case.objects.get(pk=case.pk)
    assert second_advisor.has_perm("triage.view_review", case)
    assert Case.objects.get(pk=case.pk).status == "triage"  # the review is not shared yet
    agreed = services.agreed_score_record(actor=world.users["case_manager"], case=case, consequence=4, likelihood=4, notes="")
    assert (agreed.score, agreed.band, agreed.colour) == (16, "extreme", "red")


def test_every_fifth_submitted_first_review_is_sampled(world, advisor):
    from tests.factories import CaseFactory

    reasons = []
    for _ in range(5):
        case = CaseFactory(organisation=world.organisation, status="triage", owner=world.users["case_manager"],
                           team=[advisor, world.users["case_manager"]])
        review = start(case, advisor)
        score(review, advisor)
        fill(review, advisor)
        reasons.append(submit(review, advisor).second_review_reason)
    assert reasons == ["", "", "", "", "sample"]


def test_band_settings_with_a_gap_are_refused_with_the_range(world):
    bands = [{"name": "low", "low": 1, "high": 5, "colour": "green"}, {"name": "high", "low": 7, "high": 25, "colour": "red"}]
    with pytest.raises(ValidationError) as error:
        services.settings_update(actor=world.users["administrator"], bands=bands, blind_first_scoring=True,
                                 second_review_every=5, service_level_working_days=10)
    assert error.value.message_dict == {"bands": ["Scores 6 to 6 are not in any band"]}
    assert not TriageSettings.objects.exists()


def test_custom_bands_are_used_for_the_score(world, in_triage, advisor):
    bands = [{"name": "routine", "low": 1, "high": 11, "colour": "green"}, {"name": "urgent", "low": 12, "high": 25, "colour": "red"}]
    services.settings_update(actor=world.users["administrator"], bands=bands, blind_first_scoring=True,
                             second_review_every=5, service_level_working_days=10)
    review = score(start(in_triage, advisor), advisor)
    assert (review.score, review.band, review.colour) == (12, "urgent", "red")


def test_factors_must_each_have_a_judgement(in_triage, advisor):
    review = fresh(start(in_triage, advisor))
    with pytest.raises(ValidationError) as error:
        services.review_save_risk(actor=advisor, review=review, consequences=LEVELS, likelihood=3,
                                  factors={**FACTORS, "insight": {"judgement": ""}}, expected_version=review.version)
    assert error.value.message_dict == {"factor_insight": ["Choose a judgement for insight"]}


def test_a_just_culture_answer_outside_the_options_is_refused_on_its_field(in_triage, advisor):
    review = start(in_triage, advisor)
    with pytest.raises(ValidationError) as error:
        fill(review, advisor, just_culture={"foresight": "maybe"})
    assert error.value.message_dict == {"just_culture_foresight": ["Answer yes, no or not sure from the options given"]}


def test_a_second_reviewer_with_a_conflict_is_replaced(world, submitted_review):
    from lotus.cases.models import CaseTeamMember

    advisors = [UserFactory(organisation=world.organisation, roles=("professional_advisor",)) for _ in range(2)]
    for person in advisors:
        CaseTeamMember.objects.create(case=submitted_review.case, user=person)
    case = Case.objects.get(pk=submitted_review.case_id)
    second = services.second_review_request(actor=world.users["case_manager"], case=case, reviewer=advisors[0])
    assert services.second_review_declare(
        actor=advisors[0], review=fresh(second), has_conflict=True, conflict_details="Trained together"
    ) is None
    assert fresh(second).status == "withdrawn"
    case = Case.objects.get(pk=case.pk)
    assert not advisors[0].has_perm("cases.view_case", case)
    assert Task.objects.filter(case=case, title__contains="second review").exists()
    replacement = services.second_review_request(actor=world.users["case_manager"], case=case, reviewer=advisors[1])
    assert replacement.status == "draft" and TriageReview.objects.filter(case=case, kind="second").count() == 2
