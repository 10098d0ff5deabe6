"""Self-assessments: scoring, drafts, refusals, results, history."""

import pytest
import time_machine
from django.urls import reverse

from lotus.toolkit import services
from lotus.toolkit.content import INSTRUMENTS
from lotus.toolkit.models import AssessmentAttempt
from tests.toolkit.helpers import all_answers, complete_attempt, post_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(world):
    return world.users["case_manager"]


@pytest.fixture
def client(client_for):
    return client_for("case_manager")


def take(client, slug, data):
    return client.post(reverse("toolkit:start_assessment", args=[slug]), data)


def test_complete_answers_are_scored_and_the_result_shown(client, leader):
    response = take(client, "four-elements", post_answers("four-elements", 4, attending_1="5"))
    attempt = AssessmentAttempt.objects.get(owner=leader)
    assert response["Location"] == reverse("toolkit:show_assessment", args=[attempt.pk])
    assert attempt.is_complete
    assert attempt.result["scores"]["attending"] == 4.3
    page = client.get(response["Location"]).content.decode()
    assert "Strongest: attending" in page
    assert "4.3" in page and "How this was worked out" in page
    assert 'role="img"' in page and "<table" in page  # chart and its text equivalent


def test_unanswered_items_save_a_draft_that_is_not_scored_and_names_what_is_missing(client, leader):
    data = post_answers("four-elements")
    del data["attending_2"], data["helping_3"]
    response = take(client, "four-elements", data)
    attempt = AssessmentAttempt.objects.get(owner=leader)
    assert attempt.status == "draft" and attempt.result == {}
    assert len(attempt.answers) == 10
    assert response["Location"] == reverse("toolkit:continue_assessment", args=[attempt.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Saved as a draft, not scored yet" in page
    assert "statements 2 and 12" in page
    # what was answered is kept on the form
    assert page.count("checked") >= 10
    # the result page of a draft sends the leader back to finish it
    assert client.get(reverse("toolkit:show_assessment", args=[attempt.pk]))["Location"] == response["Location"]


def test_finishing_a_draft_scores_it(client, leader):
    data = post_answers("flywheel")
    del data["presence_1"]
    take(client, "flywheel", data)
    attempt = AssessmentAttempt.objects.get(owner=leader)
    response = client.post(reverse("toolkit:continue_assessment", args=[attempt.pk]), post_answers("flywheel"))
    attempt.refresh_from_db()
    assert attempt.is_complete
    assert response["Location"] == reverse("toolkit:show_assessment", args=[attempt.pk])
    assert AssessmentAttempt.objects.filter(owner=leader).count() == 1


@pytest.mark.parametrize("bad", ["0", "6", "-1", "3.5", "three", "99999999999999999999"])
def test_out_of_range_answers_are_refused_and_nothing_is_saved(client, leader, bad):
    data = post_answers("wise-compassion", compassion_3=bad, wisdom_1="2")
    response = take(client, "wise-compassion", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose one of the answers given, from 1 to 5" in page
    assert "<title>Error: " in page
    assert not AssessmentAttempt.objects.exists()


def test_service_refusals(leader):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.assessment_save(actor=leader, instrument="four-elements", answers=all_answers("four-elements", 7))
    with pytest.raises(ValidationError):
        services.assessment_save(
            actor=leader, instrument="four-elements", answers={**all_answers("four-elements"), "extra": 3}
        )
    with pytest.raises(ValidationError):
        services.assessment_save(actor=leader, instrument="no-such-thing", answers={})
    assert not AssessmentAttempt.objects.exists()


def test_radical_candour_needs_the_conversation_and_keeps_what_was_typed(client):
    response = take(client, "radical-candour", post_answers("radical-candour", 3, care_1="5"))
    page = response.content.decode()
    assert "Enter a few words about the conversation you are thinking of" in page
    assert not AssessmentAttempt.objects.exists()
    assert 'id="care_1-5" name="care_1" type="radio" value="5" checked' in page


def test_a_subject_too_long_is_refused_and_kept(client):
    long_subject = "Group " + "x" * 200
    response = take(client, "inclusion", post_answers("inclusion", subject=long_subject))
    page = response.content.decode()
    assert "Use 200 characters or fewer" in page
    assert long_subject in page
    assert not AssessmentAttempt.objects.exists()


def test_history_shows_change_since_last_time(client, leader):
    with time_machine.travel("2026-09-01 10:00", tick=False):
        complete_attempt(leader, "flywheel", 2)
    with time_machine.travel("2026-11-01 10:00", tick=False):
        latest = complete_attempt(leader, "flywheel", 4)
    page = client.get(reverse("toolkit:show_assessment", args=[latest.pk])).content.decode()
    assert "Up 2.0" in page
    assert "1 September 2026" in page and "(this one)" in page
    assert "Compared with 1 September 2026" in page


def test_inclusion_history_is_kept_per_group(client, leader):
    complete_attempt(leader, "inclusion", 2, subject="Group A")
    other = complete_attempt(leader, "inclusion", 4, subject="Group B")
    page = client.get(reverse("toolkit:show_assessment", args=[other.pk])).content.decode()
    assert "This is the first time you have taken this assessment for this group" in page
    assert "Acceptance" in page


def test_wise_compassion_result_names_the_quadrant_and_the_routines(client, leader):
    answers = all_answers("wise-compassion", 5)
    answers.update({f"wisdom_{n}": 2 for n in range(1, 6)})
    attempt = services.assessment_save(actor=leader, instrument="wise-compassion", answers=answers).attempt
    page = client.get(reverse("toolkit:show_assessment", args=[attempt.pk])).content.decode()
    assert "Caring, but avoiding hard things" in page
    assert "One direct and candid interaction" in page  # a routine for more wisdom


def test_wellbeing_signs_signpost_support_and_never_diagnose(client, leader):
    answers = all_answers("wellbeing-signs", 1, fatigue_4=5)
    attempt = services.assessment_save(actor=leader, instrument="wellbeing-signs", answers=answers).attempt
    page = client.get(reverse("toolkit:show_assessment", args=[attempt.pk])).content.decode()
    assert "Please talk to someone" in page
    assert "116 123" in page and "999" in page
    assert "not a diagnosis" in page
    calm = complete_attempt(leader, "wellbeing-signs", 1)
    page = client.get(reverse("toolkit:show_assessment", args=[calm.pk])).content.decode()
    assert "Please talk to someone" not in page
    assert "116 123" in page  # support is always listed


def test_psychological_safety_shows_the_stage_and_the_weakest_need(client, leader):
    answers = all_answers("psychological-safety", 4, competence_1=1, competence_2=2)
    answers.update({f"contributor_{n}": 2 for n in range(1, 4)})
    attempt = services.assessment_save(actor=leader, instrument="psychological-safety", answers=answers).attempt
    assert attempt.result["headline"] == "learner"
    page = client.get(reverse("toolkit:show_assessment", args=[attempt.pk])).content.decode()
    assert "Learner safety" in page and "competence" in page


@pytest.mark.parametrize("slug", sorted(INSTRUMENTS))
def test_every_instrument_has_a_result_page_with_chart_and_table(client, leader, slug):
    attempt = complete_attempt(leader, slug, 3)
    page = client.get(reverse("toolkit:show_assessment", args=[attempt.pk])).content.decode()
    assert 'role="img"' in page and "<desc" in page and "nhsuk-table" in page
