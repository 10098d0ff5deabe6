"""Triage pages through the test client: the journey, blind scoring, bad input kept as
typed, stale saves, 404s with audit events, and the practitioner's shared view."""

import pytest
from django.urls import reverse

from lotus.audit.models import AuditEvent
from lotus.cases.models import Case
from lotus.triage.models import TriageReview
from tests.triage.conftest import fresh, score, start

pytestmark = pytest.mark.django_db

RISK_POST = {
    "consequence_patient_safety": "3",
    "consequence_statutory": "0",
    "consequence_financial": "0",
    "consequence_management": "2",
    "consequence_professionalism": "4",
    "likelihood": "3",
    **{f"factor_{f}": "neutral" for f in ("insight", "health", "behaviours", "support", "work_context", "engagement")},
}
DETAILS_POST = {
    "summary_of_concerns": "Two late referrals were reported.",
    "safeguarding_concern": "no",
    "health_concern": "no",
    "rationale": "Moderate harm was possible; the practitioner has shown insight.",
    "recommendation": "local_action",
    "additional_recommendations": "Ask for reflections.",
}


def url(name, case):
    return reverse(f"triage:{name}", kwargs={"case_id": case.pk})


def test_an_advisor_completes_submits_amends_and_shares_a_review(world, in_triage, client_for):
    client = client_for("professional_advisor")
    page = client.get(url("show_review", in_triage))
    assert page.status_code == 200 and "Start the review" in page.content.decode()
    response = client.post(url("start_review", in_triage), {"has_conflict": "no"})
    assert response.status_code == 302 and response["Location"] == url("edit_risk", in_triage)
    review = TriageReview.objects.get(case=in_triage)
    response = client.post(url("edit_risk", in_triage), {**RISK_POST, "version": review.version})
    assert response.status_code == 302, response.content.decode()[:3000]
    review = fresh(review)
    assert (review.score, review.band) == (12, "high")
    response = client.post(url("edit_review", in_triage), {**DETAILS_POST, "version": review.version})
    assert response.status_code == 302
    html = client.get(url("show_review", in_triage)).content.decode()
    assert "Score 12: high (amber)" in html and "This case" in html and world.practitioner.full_name in html
    response = client.post(url("submit_review", in_triage), {"version": fresh(review).version})
    assert response.status_code == 302
    assert Case.objects.get(pk=in_triage.pk).status == "triage"  # waits until shared
    # Amend with a reason
    page = client.get(url("edit_review", in_triage))
    assert "Reason for this amendment" in page.content.decode()
    response = client.post(url("edit_review", in_triage), {**DETAILS_POST, "rationale": "Updated", "version": fresh(review).version})
    assert "Enter the reason for this amendment" in response.content.decode()
    response = client.post(
        url("edit_review", in_triage),
        {**DETAILS_POST, "rationale": "Updated", "amend_reason": "Letter from the practice", "version": fresh(review).version},
    )
    assert response.status_code == 302
    html = client.get(url("show_review", in_triage)).content.decode()
    assert "Version 2" in html and "Letter from the practice" in html
    # Share, with a preview that withholds health details
    preview = client.get(url("share_review", in_triage), {"preview": "1", "withheld": "health"}).content.decode()
    assert "Health concern" not in preview and "Rationale" in preview
    response = client.post(url("share_review", in_triage), {"version": fresh(review).version, "withheld": "health"})
    assert "Enter the reason for withholding these details" in response.content.decode()
    assert fresh(review).shared_at is None
    response = client.post(
        url("share_review", in_triage),
        {"version": fresh(review).version, "withheld": "health", "withheld_reason": "Waiting for advice"},
    )
    assert response.status_code == 302 and fresh(review).shared_at is not None
    # The practitioner finds it from their list, and sees what was shared
    listing = client_for("practitioner").get(reverse("triage:my_reviews")).content.decode()
    assert in_triage.reference in listing and url("shared_review", in_triage) in listing
    html = client_for("practitioner").get(url("shared_review", in_triage)).content.decode()
    assert "Your triage review" in html and "Updated" in html and "Health concern" not in html
    assert "Waiting for advice" in html and "Just culture" not in html


def test_blind_first_scoring_hides_identity_until_scores_are_saved(world, in_triage, advisor, client_for):
    world.practitioner.full_name = "Dr Fictional Okonkwo"
    world.practitioner.place_of_work = "Fictional Lane Surgery"
    world.practitioner.save()
    Case.objects.filter(pk=in_triage.pk).update(summary="Dr Okonkwo was late twice.")
    review = start(in_triage, advisor)
    client = client_for("professional_advisor")
    for name in ("show_review", "edit_risk"):
        html = client.get(url(name, in_triage)).content.decode()
        assert "Okonkwo" not in html and "Fictional Lane Surgery" not in html, name
        assert review.blind_code in html and in_triage.reference not in html
    assert "[the practitioner] was late twice" in client.get(url("edit_risk", in_triage)).content.decode()
    # The rest of the review waits until the scores are saved
    assert client.get(url("edit_review", in_triage))["Location"] == url("edit_risk", in_triage)
    score(review, advisor)
    html = client.get(url("show_review", in_triage)).content.decode()
    assert "Okonkwo" in html


def test_summary_naming_the_practitioner_warns(world, in_triage, advisor, client_for):
    review = score(start(in_triage, advisor), advisor)
    surname = world.practitioner.full_name.split()[-1]
    response = client_for("professional_advisor").post(
        url("edit_review", in_triage), {**DETAILS_POST, "summary_of_concerns": f"Dr Practitioner {surname} was late", "version": "999"}
    )
    assert "The summary names the practitioner" in response.content.decode()
    assert fresh(review).summary_of_concerns == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"consequence_patient_safety": "6"}, "Choose a level from 1 to 5, or not relevant, for patient and public safety"),
        ({"likelihood": ""}, "Choose the likelihood of recurrence"),
        ({f"consequence_{d}": "0" for d in ("patient_safety", "statutory", "financial", "management", "professionalism")},
         "all five are marked not relevant"),
        ({"factor_insight_notes": "x" * 2001}, "Notes on insight must be 2000 characters or fewer"),
    ],
)
def test_bad_risk_input_names_the_field_keeps_the_text_and_saves_nothing(in_triage, advisor, client_for, change, message):
    review = start(in_triage, advisor)
    posted = {**RISK_POST, "factor_health_notes": "Typed notes that must be kept", "version": review.version, **change}
    response = client_for("professional_advisor").post(url("edit_risk", in_triage), posted)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "Typed notes that must be kept" in html
    assert html.count("There is a problem") == 1
    assert fresh(review).score is None


def test_submit_with_rationale_left_empty_is_refused(in_triage, advisor, client_for):
    review = score(start(in_triage, advisor), advisor)
    client = client_for("professional_advisor")
    client.post(url("edit_review", in_triage), {**DETAILS_POST, "rationale": "", "version": fresh(review).version})
    response = client.post(url("submit_review", in_triage), {"version": fresh(review).version})
    html = response.content.decode()
    assert "Enter the rationale for the risk score and recommendation" in html
    assert fresh(review).status == "draft" and Case.objects.get(pk=in_triage.pk).status == "triage"


def test_two_tabs_the_stale_one_is_told_and_keeps_its_text(in_triage, advisor, client_for):
    review = score(start(in_triage, advisor), advisor)
    client = client_for("professional_advisor")
    version = fresh(review).version
    assert client.post(url("edit_review", in_triage), {**DETAILS_POST, "version": version}).status_code == 302
    response = client.post(url("edit_review", in_triage), {**DETAILS_POST, "rationale": "Second tab's careful words", "version": version})
    html = response.content.decode()
    assert "Someone else saved this review after you opened it" in html
    assert "Second tab&#39;s careful words" in html
    assert fresh(review).rationale == DETAILS_POST["rationale"]
    # Submitting from a stale tab is refused too, and says so
    stale = client.post(url("submit_review", in_triage), {"version": version}, follow=True)
    assert "was not submitted again" in stale.content.decode() or "changed or submitted in another tab" in stale.content.decode()
    assert fresh(review).status == "draft"


def test_conflicted_reviewer_opening_the_case_afterwards_gets_404_and_an_audit_event(in_triage, client_for):
    client = client_for("professional_advisor")
    response = client.post(url("start_review", in_triage), {"has_conflict": "yes", "conflict_details": "I trained them"})
    assert response.status_code == 302
    before = AuditEvent.objects.filter(action="access denied").count()
    assert client.get(reverse("cases:show_case", args=[in_triage.pk])).status_code == 404
    assert client.get(url("show_review", in_triage)).status_code == 404
    assert AuditEvent.objects.filter(action="access denied").count() == before + 2


def test_conflict_yes_without_details_is_refused(in_triage, client_for):
    response = client_for("professional_advisor").post(url("start_review", in_triage), {"has_conflict": "yes"})
    assert "Describe the conflict of interest" in response.content.decode()


def test_second_reviewer_cannot_read_the_first_review_before_submitting(world, submitted_review, client_for):
    from lotus.cases.models import CaseTeamMember
    from lotus.triage import services
    from tests.conftest import signed_in_client
    from tests.factories import TOTPDeviceFactory, UserFactory

    second_advisor = UserFactory(organisation=world.organisation, roles=("professional_advisor",))
    TOTPDeviceFactory(user=second_advisor)
    CaseTeamMember.objects.create(case=submitted_review.case, user=second_advisor)
    case = Case.objects.get(pk=submitted_review.case_id)
    services.second_review_request(actor=world.users["case_manager"], case=case, reviewer=second_advisor)
    client = signed_in_client(second_advisor)
    assert client.get(url("show_review", case)).status_code == 404
    assert client.get(url("compare_reviews", case)).status_code == 404
    assert AuditEvent.objects.filter(action="access denied", actor_id=second_advisor.pk).exists()
    page = client.get(url("second_review", case))
    assert page.status_code == 200 and "Conflicts of interest" in page.content.decode()
    assert client.get(url("edit_risk", case))["Location"] == url("second_review", case)
    response = client.post(url("second_review", case), {"has_conflict": "no"})
    assert response["Location"] == url("edit_risk", case)
    second = TriageReview.objects.get(case=case, kind="second")
    response = client.post(url("edit_risk", case), {**RISK_POST, "likelihood": "5", "version": second.version})
    assert response.status_code == 302
    second = TriageReview.objects.get(case=case, kind="second")
    assert client.post(url("submit_review", case), {"version": second.version}).status_code == 302
    assert client.get(url("show_review", case)).status_code == 200
    compare = client.get(url("compare_reviews", case)).content.decode()
    assert "The reviews disagree on the colour" in compare
    response = client.post(url("compare_reviews", case), {"consequence": "4", "likelihood": "4", "notes": "Discussed"})
    assert response.status_code == 302


def test_triage_queue_lists_oldest_first_with_working_days(world, in_triage, client_for):
    html = client_for("case_manager").get(reverse("triage:triage_queue")).content.decode()
    assert in_triage.reference in html and "of 10" in html
    # The advisor sees codes, not names, while blind first scoring is on
    html = client_for("professional_advisor").get(reverse("triage:triage_queue")).content.decode()
    assert world.practitioner.full_name not in html and "Waiting case 1" in html


def settings_post(**changes):
    data = {"blind_first_scoring": "yes", "second_review_every": "5", "service_level_working_days": "10",
            "calibration_gap": "0"}
    bands = [("low", 1, 3, "green"), ("moderate", 4, 7, "amber"), ("high", 8, 14, "amber"), ("extreme", 15, 25, "red")]
    for row, (name, low, high, colour) in enumerate(bands, start=1):
        data.update({f"band_{row}_name": name, f"band_{row}_low": str(low), f"band_{row}_high": str(high),
                     f"band_{row}_colour": colour})
    data.update(changes)
    return data


def test_settings_with_a_gap_are_refused_naming_the_range_and_typed_values_kept(world, client_for):
    from lotus.triage.models import TriageSettings

    client = client_for("administrator")
    response = client.post(reverse("triage:edit_settings"), settings_post(band_2_high="6", band_1_name="routine"))
    html = response.content.decode()
    assert "Scores 7 to 7 are not in any band" in html and 'value="routine"' in html
    assert not TriageSettings.objects.exists()
    response = client.post(reverse("triage:edit_settings"), settings_post(band_2_high="9"))
    assert "overlap on scores 8 to 9" in response.content.decode()
    response = client.post(reverse("triage:edit_settings"), settings_post(band_3_colour=""))
    assert "Fill in every part of band 3" in response.content.decode()
    response = client.post(reverse("triage:edit_settings"), settings_post(second_review_every="many"))
    assert "Enter a whole number, for example 5" in response.content.decode()
    assert not TriageSettings.objects.exists()


def test_settings_are_saved_and_used(world, client_for, in_triage, advisor):
    client = client_for("administrator")
    data = settings_post(band_3_high="11", band_4_low="12", blind_first_scoring="no")
    assert client.post(reverse("triage:edit_settings"), data).status_code == 302
    review = score(start(in_triage, advisor), advisor)
    assert (review.score, review.band, review.colour) == (12, "extreme", "red")
