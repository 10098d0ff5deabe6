"""The learning services: starting a review at any stage, its team and their conflicts,
the chronology, problems, coding factors with every bad input the issue names, submit,
approve by a second person, send back, amend to a new revision, and the prompt when a
case closes needing a review."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases.models import Case, CaseTeamMember, TimelineEvent
from lotus.core.workdays import add_working_days
from lotus.learning import services
from lotus.learning.models import (
    ChronologyEntry,
    CodedFactor,
    Factor,
    Review,
    ReviewPrompt,
    ReviewVersion,
)
from lotus.triage.models import ConflictOfInterest
from tests.learning.conftest import code, standard


def _errors(excinfo) -> dict:
    return {key: messages[0] for key, messages in excinfo.value.message_dict.items()}


# --- Starting ------------------------------------------------------------------------------------


def test_a_case_manager_starts_a_review_at_any_stage_due_in_20_working_days(world, review):
    assert world.case.status == "received"
    assert review.number == 1 and review.status == "draft"
    assert review.due_on == add_working_days(timezone.localdate(), 20)
    assert review.team.get().user == world.users["professional_advisor"]
    assert TimelineEvent.objects.filter(case=world.case, kind="learning", title="Lessons-learnt review started").exists()
    assert AuditEvent.objects.filter(object_type="learning_review", object_id=str(review.pk), action="create").exists()


def test_another_review_needs_a_reason_and_nothing_is_saved_without_one(world, review):
    with pytest.raises(ValidationError) as excinfo:
        services.review_start(actor=world.users["case_manager"], case=world.case,
                              reviewer=world.users["case_manager"], another_reason="")
    assert "another_reason" in _errors(excinfo)
    assert Review.objects.filter(case=world.case).count() == 1
    second = services.review_start(
        actor=world.users["case_manager"], case=world.case, reviewer=world.users["case_manager"],
        another_reason="A second incident in the same clinic came to light",
    )
    assert second.number == 2


@pytest.mark.parametrize("who", ["pastoral_contact", "panel_member", "practitioner", "other_org_administrator"])
def test_only_people_who_may_join_the_case_team_can_review_it(world, who):
    with pytest.raises(ValidationError) as excinfo:
        services.review_start(actor=world.users["case_manager"], case=world.case, reviewer=world.users[who])
    assert "reviewer" in _errors(excinfo)
    assert not Review.objects.exists()


@pytest.mark.parametrize("who", ["professional_advisor", "panel_member", "analyst", "off_team_case_manager",
                                 "other_org_administrator", "practitioner"])
def test_only_those_who_manage_the_case_start_a_review(world, who):
    with pytest.raises(PermissionDenied):
        services.review_start(actor=world.users[who], case=world.case, reviewer=world.users["case_manager"])


def test_a_reviewer_off_the_case_team_joins_it_even_when_the_case_is_closed(world):
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    world.case.refresh_from_db()
    admin = world.users["administrator"]
    assert not CaseTeamMember.objects.filter(case=world.case, user=admin).exists()
    services.review_start(actor=world.users["case_manager"], case=world.case, reviewer=admin)
    assert CaseTeamMember.objects.filter(case=world.case, user=admin).exists()
    assert TimelineEvent.objects.filter(case=world.case, title__contains="for the lessons-learnt review").exists()


# --- The team and conflicts ---------------------------------------------------------------------


def test_nobody_writes_the_review_before_declaring(world, review):
    with pytest.raises(PermissionDenied):
        services.chronology_add(actor=world.users["professional_advisor"], review=review,
                                occurred_on=dt.date(2026, 3, 2), what_happened="Something")


def test_a_declared_conflict_takes_the_member_off_the_review_and_the_case(world, review):
    advisor = world.users["professional_advisor"]
    with pytest.raises(ValidationError) as excinfo:
        services.conflict_declare(actor=advisor, review=review, has_conflict=True, details="  ")
    assert "conflict_details" in _errors(excinfo)
    assert review.team.get().has_conflict is None
    services.conflict_declare(actor=advisor, review=review, has_conflict=True, details="I trained with them")
    place = review.team.get()
    assert place.has_conflict is True and place.left_at is not None
    assert ConflictOfInterest.objects.filter(case=world.case, user=advisor).exists()
    world.case.__dict__.pop("_lotus_team_cache", None)
    assert not advisor.has_perm("learning.view_review", review)
    # and they cannot be put back on it
    with pytest.raises(ValidationError) as excinfo:
        services.team_member_add(actor=world.users["case_manager"], review=review, member=advisor, role="reviewer")
    assert "conflict of interest" in _errors(excinfo)["member"]


def test_a_second_reviewer_is_refused_and_a_co_reviewer_added(world, review):
    manager = world.users["case_manager"]
    with pytest.raises(ValidationError) as excinfo:
        services.team_member_add(actor=manager, review=review, member=manager, role="reviewer")
    assert "co-reviewer" in _errors(excinfo)["role"]
    place = services.team_member_add(actor=manager, review=review, member=manager, role="co_reviewer")
    assert place.role == "co_reviewer"
    with pytest.raises(ValidationError) as excinfo:
        services.team_member_leave(actor=manager, review=review, place_id=place.pk, reason="no")
    assert "reason" in _errors(excinfo)
    services.team_member_leave(actor=manager, review=review, place_id=place.pk, reason="Needed on another case")
    assert review.team.filter(left_at__isnull=True).count() == 1


# --- Chronology and problems --------------------------------------------------------------------


def test_picking_from_the_timeline_copies_events_once_and_refuses_another_cases(world, declared):
    advisor = world.users["professional_advisor"]
    opened = TimelineEvent.objects.create(case=world.case, occurred_at=timezone.now(), actor=advisor,
                                          kind="status", title="Received to Triage", detail="Ready")
    elsewhere = TimelineEvent.objects.create(case=world.other_team_case, occurred_at=timezone.now(),
                                             kind="status", title="Elsewhere")
    with pytest.raises(ValidationError) as excinfo:
        services.chronology_pick(actor=advisor, review=declared, event_ids=[opened.pk, elsewhere.pk])
    assert "event_ids" in _errors(excinfo)
    assert not ChronologyEntry.objects.exists()
    (entry,) = services.chronology_pick(actor=advisor, review=declared, event_ids=[opened.pk])
    assert entry.timeline_event == opened and entry.what_happened == "Received to Triage: Ready"
    with pytest.raises(ValidationError):
        services.chronology_pick(actor=advisor, review=declared, event_ids=[opened.pk])


def test_the_reviews_own_timeline_entries_cannot_be_picked(world, declared):
    own = TimelineEvent.objects.filter(case=world.case, kind="learning").first()
    with pytest.raises(ValidationError):
        services.chronology_pick(actor=world.users["professional_advisor"], review=declared, event_ids=[own.pk])


def test_a_chronology_event_needs_a_past_date_and_what_happened(world, declared):
    with pytest.raises(ValidationError) as excinfo:
        services.chronology_add(actor=world.users["professional_advisor"], review=declared,
                                occurred_on=timezone.localdate() + dt.timedelta(days=1), what_happened=" ")
    assert set(_errors(excinfo)) == {"occurred_on", "what_happened"}
    assert not ChronologyEntry.objects.exists()


def test_a_problem_sits_on_this_reviews_chronology(world, declared, entry, review):
    other = services.review_start(actor=world.users["case_manager"], case=world.case,
                                  reviewer=world.users["case_manager"], another_reason="A second look at the clinic")
    services.conflict_declare(actor=world.users["case_manager"], review=other, has_conflict=False)
    other_entry = services.chronology_add(actor=world.users["case_manager"], review=other,
                                          occurred_on=dt.date(2026, 1, 5), what_happened="Elsewhere")
    with pytest.raises(ValidationError) as excinfo:
        services.problem_add(actor=world.users["professional_advisor"], review=declared,
                             chronology_entry_id=other_entry.pk, description="A problem")
    assert "chronology_entry" in _errors(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.problem_add(actor=world.users["professional_advisor"], review=declared,
                             chronology_entry_id="", description="")
    assert set(_errors(excinfo)) == {"chronology_entry", "description"}


def test_an_event_with_a_problem_on_it_cannot_be_taken_off(world, declared, entry, problem):
    with pytest.raises(ValidationError) as excinfo:
        services.chronology_remove(actor=world.users["professional_advisor"], entry=entry)
    assert "entry" in _errors(excinfo)
    services.problem_remove(actor=world.users["professional_advisor"], problem=problem)
    services.chronology_remove(actor=world.users["professional_advisor"], entry=entry)
    entry.refresh_from_db()
    assert entry.is_removed and ChronologyEntry.objects.filter(pk=entry.pk).exists()


# --- Coding factors: the bad input the issue names -------------------------------------------------


def test_a_factor_from_another_organisations_local_list_is_refused_and_nothing_saved(
    world, declared, problem, other_local_factor
):
    with pytest.raises(ValidationError) as excinfo:
        services.factor_code(actor=world.users["professional_advisor"], review=declared, problem_id=problem.pk,
                             category="team", factor_id=other_local_factor.pk, evidence="Evidence", scope="system")
    assert _errors(excinfo) == {"factor": "Select a factor from your organisation's list"}
    assert not CodedFactor.objects.exists()


def test_a_category_that_does_not_exist_is_refused_and_nothing_saved(world, declared, problem):
    with pytest.raises(ValidationError) as excinfo:
        code(world, declared, problem, category="weather")
    assert _errors(excinfo) == {"category": "Select a category of contributory factor from the list"}
    assert not CodedFactor.objects.exists()


def test_a_factor_outside_the_category_chosen_is_refused(world, declared, problem):
    with pytest.raises(ValidationError) as excinfo:
        code(world, declared, problem, category="patient")
    assert "Patient factors" in _errors(excinfo)["factor"]
    assert not CodedFactor.objects.exists()


def test_evidence_and_scope_are_needed_each_named(world, declared, problem):
    with pytest.raises(ValidationError) as excinfo:
        code(world, declared, problem, evidence=" ", scope="sometimes")
    assert set(_errors(excinfo)) == {"evidence", "scope"}
    assert not CodedFactor.objects.exists()


def test_a_retired_local_factor_is_not_offered_but_stays_on_reviews_that_coded_it(world, declared, problem):
    admin = world.users["administrator"]
    local = services.local_factor_add(actor=admin, category="work_environment", title="No quiet room for results")
    coded = services.factor_code(actor=world.users["professional_advisor"], review=declared, problem_id=problem.pk,
                                 category="work_environment", factor_id=local.pk, evidence="Seen on the visit",
                                 scope="system")
    with pytest.raises(ValidationError) as excinfo:
        services.local_factor_delete(actor=admin, factor=local)
    assert "Retire it instead" in _errors(excinfo)["factor"]
    assert Factor.objects.filter(pk=local.pk).exists()
    services.local_factor_retire(actor=admin, factor=local, reason="Now part of the standard list")
    coded.refresh_from_db()
    assert coded.factor_id == local.pk
    services.factor_uncode(actor=world.users["professional_advisor"], coded=coded)
    with pytest.raises(ValidationError) as excinfo:
        services.factor_code(actor=world.users["professional_advisor"], review=declared, problem_id=problem.pk,
                             category="work_environment", factor_id=local.pk, evidence="Again", scope="system")
    assert "retired" in _errors(excinfo)["factor"]


def test_an_unused_local_factor_can_be_deleted_by_its_own_organisation_only(world, other_local_factor):
    with pytest.raises(PermissionDenied):
        services.local_factor_delete(actor=world.users["administrator"], factor=other_local_factor)
    services.local_factor_delete(actor=world.users["other_org_administrator"], factor=other_local_factor)
    assert not Factor.objects.filter(pk=other_local_factor.pk).exists()
    assert AuditEvent.objects.filter(object_type="learning_factor", details__deleted=True).exists()


def test_a_local_factor_needs_a_category_and_a_name_not_already_used(world):
    admin = world.users["administrator"]
    with pytest.raises(ValidationError) as excinfo:
        services.local_factor_add(actor=admin, category="nowhere", title="")
    assert set(_errors(excinfo)) == {"category", "title"}
    with pytest.raises(ValidationError) as excinfo:
        services.local_factor_add(actor=admin, category="fair_to_refer", title="working in ISOLATION")
    assert "already" in _errors(excinfo)["title"]
    with pytest.raises(PermissionDenied):
        services.local_factor_add(actor=world.users["case_manager"], category="team", title="Rota gaps")


def test_the_same_factor_twice_on_one_problem_is_refused(world, declared, problem):
    code(world, declared, problem)
    with pytest.raises(ValidationError) as excinfo:
        code(world, declared, problem)
    assert "already coded" in _errors(excinfo)["factor"]


def test_what_went_well_is_coded_the_same_way(world, declared, entry):
    advisor = world.users["professional_advisor"]
    positive = services.positive_add(actor=advisor, review=declared, description="The nurse escalated at once",
                                     chronology_entry_id=entry.pk)
    factor = standard("team.supervision")
    coded = services.factor_code(actor=advisor, review=declared, positive_id=positive.pk, category="team",
                                 factor_id=factor.pk, evidence="She asked the duty doctor", scope="case_specific")
    assert coded.kind == "went_well" and coded.positive == positive


# --- Submit, approve, send back, amend ------------------------------------------------------------


def test_submitting_says_what_is_missing_by_field(world, declared):
    with pytest.raises(ValidationError) as excinfo:
        services.review_submit(actor=world.users["professional_advisor"], review=declared,
                               expected_version=declared.version)
    assert set(_errors(excinfo)) == {"chronology", "problems", "summary"}
    declared.refresh_from_db()
    assert declared.status == "draft"


def test_an_uncoded_problem_stops_submission(world, declared, problem):
    services.review_save(actor=world.users["professional_advisor"], review=declared,
                         expected_version=Review.objects.get(pk=declared.pk).version,
                         summary="A summary", recommendations="")
    with pytest.raises(ValidationError) as excinfo:
        services.review_submit(actor=world.users["professional_advisor"], review=declared,
                               expected_version=declared.version)
    assert set(_errors(excinfo)) == {"factors"}


def test_a_stale_save_is_caught(world, ready):
    from lotus.cases.services import StaleEdit

    with pytest.raises(StaleEdit):
        services.review_save(actor=world.users["professional_advisor"], review=ready,
                             expected_version=ready.version - 1, summary="Old", recommendations="")


def test_approval_is_by_a_second_person_not_the_submitter_nor_the_team(world, ready, second_manager):
    advisor, manager = world.users["professional_advisor"], world.users["case_manager"]
    services.team_member_add(actor=manager, review=ready, member=manager, role="co_reviewer")
    services.conflict_declare(actor=manager, review=ready, has_conflict=False)
    ready.refresh_from_db()
    services.review_submit(actor=advisor, review=ready, expected_version=ready.version)
    for person in (advisor, manager):
        with pytest.raises(PermissionDenied):
            services.review_approve(actor=person, review=ready, expected_version=ready.version)
    services.review_approve(actor=second_manager, review=ready, expected_version=ready.version)
    ready.refresh_from_db()
    assert ready.status == "approved" and ready.approved_by == second_manager
    version = ReviewVersion.objects.get(review=ready)
    assert version.number == 1 and version.snapshot["factors"][0]["factor"] == "fair.induction"


def test_the_approver_sends_it_back_with_a_reason(world, ready, second_manager):
    services.review_submit(actor=world.users["professional_advisor"], review=ready, expected_version=ready.version)
    with pytest.raises(ValidationError) as excinfo:
        services.review_return(actor=second_manager, review=ready, reason="", expected_version=ready.version)
    assert "reason" in _errors(excinfo)
    services.review_return(actor=second_manager, review=ready, reason="Say more about the locum rota",
                           expected_version=ready.version)
    assert ready.status == "draft" and ready.submitted_by is None


def test_amending_opens_a_new_revision_and_keeps_the_approved_one(world, ready, second_manager):
    advisor = world.users["professional_advisor"]
    services.review_submit(actor=advisor, review=ready, expected_version=ready.version)
    services.review_approve(actor=second_manager, review=ready, expected_version=ready.version)
    first_approved = ready.first_approved_at
    with pytest.raises(ValidationError) as excinfo:
        services.review_amend(actor=advisor, review=ready, reason="", expected_version=ready.version)
    assert "reason" in _errors(excinfo)
    services.review_amend(actor=advisor, review=ready, reason="The practice sent its new rota policy",
                          expected_version=ready.version)
    assert ready.revision == 2 and ready.status == "draft" and ready.approved_at is None
    assert ready.first_approved_at == first_approved
    version = ReviewVersion.objects.get(review=ready, number=1)
    assert version.amend_reason == "The practice sent its new rota policy"
    assert version.snapshot["summary"].startswith("Results were missed")
    with pytest.raises(ValidationError):
        services.review_approve(actor=second_manager, review=ready, expected_version=ready.version)


def test_a_submitted_review_cannot_change(world, ready):
    advisor = world.users["professional_advisor"]
    services.review_submit(actor=advisor, review=ready, expected_version=ready.version)
    with pytest.raises(ValidationError) as excinfo:
        services.chronology_add(actor=advisor, review=ready, occurred_on=dt.date(2026, 1, 1), what_happened="Late")
    assert "what_happened" in _errors(excinfo)


# --- The prompt when a case closes -----------------------------------------------------------------


def _decide(world, outcomes):
    from lotus.panels.models import AgendaItem, Decision, Meeting

    manager = world.users["case_manager"]
    now = timezone.now()
    meeting = Meeting.objects.create(
        organisation=world.organisation, panel_name="PAG", panel_full_name="Performance Advisory Group", quorum=1,
        held_on=timezone.localdate(), chair=world.users["panel_member"], created_by=manager, created_at=now,
    )
    item = AgendaItem.objects.create(meeting=meeting, case=world.case, position=1, added_by=manager, added_at=now)
    Decision.objects.create(item=item, outcomes=outcomes, rationale="Fictional", was_quorate=True,
                            recorded_by=manager, recorded_at=now, status_before="awaiting_panel",
                            status_after="investigation")


def _close(world):
    from lotus.cases.services import case_transition

    Case.objects.filter(pk=world.case.pk).update(status="investigation")
    world.case.refresh_from_db()
    return case_transition(actor=world.users["case_manager"], case=world.case, target="closed",
                           reason="Investigation finished")


def test_closing_a_case_that_was_investigated_prompts_for_a_review_due_in_working_days(world):
    _decide(world, ["investigation"])
    _close(world)
    prompt = ReviewPrompt.objects.get(case=world.case)
    assert prompt.due_on == add_working_days(timezone.localdate(), 20)
    assert prompt.outcomes == ["investigation"]
    review = services.review_start(actor=world.users["case_manager"], case=world.case,
                                   reviewer=world.users["case_manager"])
    prompt.refresh_from_db()
    assert prompt.review == review and review.due_on == prompt.due_on


def test_closing_a_case_the_setting_does_not_cover_prompts_nothing(world):
    _decide(world, ["request_reflections"])
    _close(world)
    assert not ReviewPrompt.objects.exists()


def test_the_setting_chooses_the_outcomes_and_the_working_days(world):
    services.settings_update(actor=world.users["administrator"], outcomes_requiring_review=["request_reflections"],
                             due_working_days=30)
    _decide(world, ["request_reflections"])
    _close(world)
    assert ReviewPrompt.objects.get().due_on == add_working_days(timezone.localdate(), 30)


def test_bad_settings_are_refused_by_field(world):
    with pytest.raises(ValidationError) as excinfo:
        services.settings_update(actor=world.users["administrator"], outcomes_requiring_review=["tea"],
                                 due_working_days=0)
    assert set(_errors(excinfo)) == {"outcomes_requiring_review", "due_working_days"}


# --- The practitioner's perspective ----------------------------------------------------------------


def test_the_practitioner_gives_their_perspective_once_in_their_own_words(world, review):
    manager, practitioner = world.users["case_manager"], world.users["practitioner"]
    with pytest.raises(ValidationError):
        services.perspective_give(actor=practitioner, review=review, text_given="Too early")
    services.perspective_invite(actor=manager, review=review, reply_by=None)
    with pytest.raises(ValidationError) as excinfo:
        services.perspective_invite(actor=manager, review=review, reply_by=None)
    assert "reply_by" in _errors(excinfo)
    for staff in ("case_manager", "administrator", "professional_advisor"):
        with pytest.raises(PermissionDenied):
            services.perspective_give(actor=world.users[staff], review=review, text_given="Staff words")
    with pytest.raises(ValidationError) as excinfo:
        services.perspective_give(actor=practitioner, review=review, text_given="   ")
    assert "text" in _errors(excinfo)
    words = "  A named supervisor on Fridays would have helped.\n\nAnd an induction.  "
    services.perspective_give(actor=practitioner, review=review, text_given=words)
    review.perspective.refresh_from_db()
    assert review.perspective.text == words.strip()
    with pytest.raises(ValidationError):
        services.perspective_give(actor=practitioner, review=review, text_given="Something else")
