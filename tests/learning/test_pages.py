"""The learning pages, driven through the client as their users would: start a review
from the case page, declare, build the chronology, add and code a problem, write the
summary (the blame check warns), submit, approve as a second person, amend; and bad input
on every form, refused with the field named and what was typed kept."""

import datetime as dt

import pytest
from django.urls import reverse

from lotus.learning.models import ChronologyEntry, CodedFactor, Factor, Problem, Review
from tests.conftest import signed_in_client
from tests.learning.conftest import standard


def _url(name, review, **kwargs):
    return reverse(f"learning:{name}", kwargs={"case_id": review.case_id, "review_id": review.pk, **kwargs})


@pytest.fixture
def manager(world):
    return signed_in_client(world.users["case_manager"])


@pytest.fixture
def advisor(world):
    return signed_in_client(world.users["professional_advisor"])


def test_the_case_page_offers_to_start_a_review_and_starting_one_asks_the_team_to_declare(world, manager):
    page = manager.get(reverse("cases:show_case", args=[world.case.pk]))
    start = reverse("learning:start_review", kwargs={"case_id": world.case.pk})
    assert start in page.content.decode()
    response = manager.post(start, {"reviewer": world.users["professional_advisor"].pk})
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("show_review", review)
    page = signed_in_client(world.users["professional_advisor"]).get(_url("show_review", review)).content.decode()
    assert "Declare any conflict of interest" in page


def test_starting_with_no_reviewer_names_the_field(world, manager):
    response = manager.post(reverse("learning:start_review", kwargs={"case_id": world.case.pk}), {"reviewer": ""})
    assert response.status_code == 200
    assert "Select who will lead the review" in response.content.decode()
    assert not Review.objects.exists()


def test_a_whole_review_through_the_pages(world, review, advisor, manager):
    second = world.users["administrator"]
    assert advisor.post(_url("declare_conflict", review), {"has_conflict": "no"}).status_code == 302
    response = advisor.post(_url("add_chronology", review), {
        "occurred_on-day": "2", "occurred_on-month": "3", "occurred_on-year": "2026", "occurred_at_time": "14:30",
        "what_happened": "Results arrived during a late clinic", "who_was_involved": "Locum GP",
    })
    assert response.status_code == 302
    entry = ChronologyEntry.objects.get()
    assert entry.occurred_at_time == dt.time(14, 30)
    response = advisor.post(_url("add_problem", review), {"description": "Results not seen for nine days",
                                                          "chronology_entry": entry.pk})
    problem = Problem.objects.get()
    assert response["Location"] == _url("choose_category", review, on="problem", finding_id=problem.pk)
    response = advisor.post(response["Location"], {"category": "fair_to_refer"})
    assert response["Location"].endswith("?category=fair_to_refer")
    page = advisor.get(response["Location"]).content.decode()
    assert "Working in isolation" in page and "Spoken communication" not in page
    factor = standard("fair.isolation")
    response = advisor.post(_url("code_factor", review, on="problem", finding_id=problem.pk), {
        "category": "fair_to_refer", "factor": factor.pk, "evidence": "Single-handed on Fridays", "scope": "system",
    })
    assert response.status_code == 302 and CodedFactor.objects.get().factor == factor
    review.refresh_from_db()
    response = advisor.post(_url("edit_summary", review), {
        "summary": "The locum failed to check results because nobody showed them the system.",
        "recommendations": "Induct every locum.", "version": review.version,
    })
    assert response.status_code == 302
    page = advisor.get(_url("show_review", review)).content.decode()
    assert "Blame check" in page and "failed to" in page and "did not" in page
    review.refresh_from_db()
    assert advisor.post(_url("submit_review", review), {"version": review.version}).status_code == 302
    review.refresh_from_db()
    assert review.status == "submitted"
    # the case manager is not on the review team and did not submit it, so may approve; here the administrator does
    response = signed_in_client(second).post(_url("approve_review", review),
                                             {"decision": "approve", "version": review.version, "reason": ""})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "approved" and review.approved_by == second
    response = advisor.post(_url("amend_review", review), {"reason": "New rota policy arrived", "version": review.version})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.revision == 2
    assert advisor.get(_url("show_version", review, number=1)).status_code == 200


def test_the_submitter_is_not_offered_approval(world, ready, advisor):
    advisor.post(_url("submit_review", ready), {"version": ready.version})
    assert advisor.get(_url("approve_review", ready)).status_code == 404


@pytest.mark.parametrize(("data", "field_message"), [
    ({"category": "weather", "factor": "1", "evidence": "x", "scope": "system"},
     "Select a category of contributory factor from the list"),
    ({"category": "fair_to_refer", "factor": "", "evidence": "", "scope": ""},
     "Select a contributory factor from the list"),
])
def test_coding_bad_input_is_refused_with_the_field_named_and_nothing_saved(world, declared, problem, advisor,
                                                                             data, field_message):
    response = advisor.post(_url("code_factor", declared, on="problem", finding_id=problem.pk), data)
    assert response.status_code == 200
    assert field_message in response.content.decode()
    assert not CodedFactor.objects.exists()


def test_a_factor_from_another_organisations_list_is_refused_on_the_page_too(world, declared, problem, advisor,
                                                                            other_local_factor):
    response = advisor.post(_url("code_factor", declared, on="problem", finding_id=problem.pk), {
        "category": "team", "factor": other_local_factor.pk, "evidence": "Typed evidence stays", "scope": "system",
    })
    page = response.content.decode()
    assert "Select a factor from your organisation&#39;s list" in page
    assert "Typed evidence stays" in page
    assert not CodedFactor.objects.exists()


def test_a_chronology_date_in_the_future_is_refused_and_what_was_typed_kept(world, declared, advisor):
    response = advisor.post(_url("add_chronology", declared), {
        "occurred_on-day": "1", "occurred_on-month": "1", "occurred_on-year": "2999",
        "what_happened": "Something typed", "occurred_at_time": "25:99",
    })
    page = response.content.decode()
    assert "The date it happened must be today or in the past" in page
    assert "Enter the time on the 24-hour clock" in page
    assert "Something typed" in page
    assert not ChronologyEntry.objects.exists()


def test_the_administrator_adds_retires_and_cannot_delete_a_used_local_factor(world, declared, problem):
    admin = signed_in_client(world.users["administrator"])
    response = admin.post(reverse("learning:add_factor"), {"category": "nowhere", "title": ""})
    page = response.content.decode()
    assert "Select a category from the list" in page and "Enter the name of the factor" in page
    admin.post(reverse("learning:add_factor"), {"category": "team", "title": "Rota gaps at weekends"})
    local = Factor.objects.get(organisation=world.organisation)
    CodedFactor.objects.create(review=declared, kind="problem", problem=problem, factor=local, evidence="E",
                               scope="system", coded_by=world.users["professional_advisor"], coded_at=problem.added_at)
    response = admin.post(reverse("learning:delete_factor", kwargs={"factor_id": local.pk}), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Factor.objects.filter(pk=local.pk).exists()
    admin.post(reverse("learning:retire_factor", kwargs={"factor_id": local.pk}), {"reason": "Merged into staffing"})
    local.refresh_from_db()
    assert local.is_retired


def test_settings_bad_input_names_each_field(world):
    admin = signed_in_client(world.users["administrator"])
    response = admin.post(reverse("learning:edit_settings"), {"outcomes_requiring_review": ["tea"],
                                                              "due_working_days": "3"})
    page = response.content.decode()
    assert "Select the panel outcomes that need a lessons-learnt review from the options given" in page
    assert "between 5 and 120" in page


def test_the_practitioner_answers_the_invitation_in_their_portal_and_it_shows_as_written(world, review):
    from lotus.learning import services

    services.perspective_invite(actor=world.users["case_manager"], review=review, reply_by=None)
    practitioner = signed_in_client(world.users["practitioner"])
    case_page = practitioner.get(reverse("portal:show_case", kwargs={"case_id": world.case.pk})).content.decode()
    url = reverse("portal:give_perspective", kwargs={"case_id": world.case.pk, "review_id": review.pk})
    assert url in case_page
    response = practitioner.post(url, {"text": ""})
    assert "Enter what would have helped, in your own words" in response.content.decode()
    practitioner.post(url, {"text": "Someone to ask on Fridays <would> have helped"})
    page = signed_in_client(world.users["case_manager"]).get(_url("show_review", review)).content.decode()
    assert "Someone to ask on Fridays &lt;would&gt; have helped" in page
    # nobody else reaches the practitioner's page
    assert signed_in_client(world.users["case_manager"]).get(url).status_code == 404


def _refused(client, url, data, message):
    response = client.post(url, data)
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert message in page and "There is a problem" in page
    return page


def test_every_other_review_form_refuses_bad_input_with_the_field_named(world, declared, entry, manager, advisor):
    from lotus.learning.models import PositiveLearning, ReviewTeamMember

    _refused(manager, _url("add_team_member", declared), {"member": "", "role": "co_reviewer"},
             "Select who is joining the review team")
    _refused(manager, _url("add_team_member", declared), {"member": world.users["pastoral_contact"].pk,
                                                           "role": "co_reviewer"}, "pastoral contact")
    place = declared.team.get()
    _refused(manager, _url("leave_team", declared, place_id=place.pk), {"reason": ""},
             "Enter why they are leaving the review team")
    assert ReviewTeamMember.objects.filter(left_at__isnull=True).count() == 1
    _refused(manager, _url("invite_perspective", declared),
             {"reply_by-day": "1", "reply_by-month": "1", "reply_by-year": "2020"},
             "The date to reply by must be in the future")
    page = _refused(advisor, _url("add_went_well", declared), {"description": "", "chronology_entry": "999999"},
                    "Describe what went well")
    assert "Select an event from this review&#39;s chronology" in page
    assert not PositiveLearning.objects.exists()
    declared.refresh_from_db()
    _refused(advisor, _url("edit_summary", declared), {"summary": "Kept text", "recommendations": "",
                                                        "version": declared.version - 1},
             "Someone else changed this review")


def test_approving_and_amending_refuse_a_missing_reason(world, ready, advisor):
    from lotus.learning import services

    services.review_submit(actor=world.users["professional_advisor"], review=ready, expected_version=ready.version)
    admin = signed_in_client(world.users["administrator"])
    _refused(admin, _url("approve_review", ready), {"decision": "return", "reason": "", "version": ready.version},
             "Enter what the review team should change, in a sentence")
    ready.refresh_from_db()
    assert ready.status == "submitted"
    services.review_approve(actor=world.users["administrator"], review=ready, expected_version=ready.version)
    _refused(advisor, _url("amend_review", ready), {"reason": "", "version": ready.version},
             "Enter why the review needs amending, in a sentence")
    ready.refresh_from_db()
    assert ready.status == "approved" and ready.revision == 1


def test_a_category_step_with_nothing_chosen_names_the_field(world, declared, problem, advisor):
    _refused(advisor, _url("choose_category", declared, on="problem", finding_id=problem.pk), {},
             "Select a category of contributory factor from the list")


def test_a_problem_with_nothing_filled_in_names_both_fields(world, declared, entry, advisor):
    page = _refused(advisor, _url("add_problem", declared), {"description": "", "chronology_entry": ""},
                    "Describe the problem in care or its management")
    assert "Select where this sits in the chronology" in page
    assert not Problem.objects.exists()
