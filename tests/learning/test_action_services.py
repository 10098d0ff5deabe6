"""Improvement actions through their services: what is saved, what is refused (the field
named, nothing saved), the timeline entries and the audit events."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases.models import Document, TimelineEvent
from lotus.learning.models import Action, ActionStatus, ActionStatusChange, ReviewStatus
from lotus.learning.services import actions as services
from tests.learning.action_fixtures import make_review

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def reviewed(world):
    return make_review(world)


def _add(world, reviewed, **overrides):
    values = {
        "actor": world.users["case_manager"], "review": reviewed.review,
        "description": "Give every locum a structured induction to the practice",
        "factor_ids": [reviewed.problem_factor.pk], "owner_user_id": world.users["professional_advisor"].pk,
        "owner_name": "", "owner_outside": False, "priority": "high",
        "due_on": timezone.localdate() + dt.timedelta(days=30),
    }
    values.update(overrides)
    return services.action_add(**values)


def _refused(call, field):
    with pytest.raises(ValidationError) as raised:
        call()
    assert field in raised.value.message_dict, raised.value.message_dict
    return raised.value.message_dict[field][0]


def _counts():
    return (Action.objects.count(), ActionStatusChange.objects.count(), Document.objects.count(),
            TimelineEvent.objects.filter(kind="learning").count(), AuditEvent.objects.count())


@pytest.mark.django_db
def test_an_action_is_added_with_its_factors_owner_timeline_and_audit(world, reviewed):
    action = _add(world, reviewed, factor_ids=[reviewed.problem_factor.pk, reviewed.went_well_factor.pk])
    assert action.status == ActionStatus.OPEN
    assert set(action.factors.all()) == {reviewed.problem_factor, reviewed.went_well_factor}
    assert action.owner_user == world.users["professional_advisor"]
    assert action.organisation_id == world.organisation.pk
    entry = TimelineEvent.objects.filter(case=world.case, kind="learning").latest("occurred_at")
    assert entry.title.startswith("Improvement action added: Give every locum")
    event = AuditEvent.objects.filter(object_type="learning_action", object_id=str(action.pk)).get()
    assert event.action == "create"
    assert event.details["case"] == world.case.pk


@pytest.mark.django_db
def test_an_owner_named_in_words_outside_the_organisation(world, reviewed):
    action = _add(world, reviewed, owner_user_id=None, owner_name="Local Medical Committee", owner_outside=True)
    assert (action.owner_user, action.owner_label, action.owner_outside) == (None, "Local Medical Committee", True)


@pytest.mark.django_db
def test_a_due_date_before_the_review_started_is_refused_and_nothing_saved(world, reviewed):
    before = _counts()
    started = timezone.localdate(reviewed.review.started_at)
    message = _refused(lambda: _add(world, reviewed, due_on=started - dt.timedelta(days=1)), "due_on")
    assert "on or after the day the review started" in message
    assert _counts() == before
    # The day the review started is allowed: the boundary is not off by one.
    assert _add(world, reviewed, due_on=started).due_on == started


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": "   "}, "description"),
        ({"priority": "urgent"}, "priority"),
        ({"due_on": None}, "due_on"),
        ({"factor_ids": []}, "factors"),
        ({"owner_user_id": None, "owner_name": ""}, "owner_user"),
        ({"owner_name": "Practice team"}, "owner_name"),  # both a person and a name
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, reviewed, overrides, field):
    before = _counts()
    _refused(lambda: _add(world, reviewed, **overrides), field)
    assert _counts() == before


@pytest.mark.django_db
def test_a_factor_from_another_review_or_removed_is_refused(world, reviewed):
    other = make_review(world, case=world.other_team_case, manager="off_team_case_manager",
                        reviewer="off_team_case_manager")
    _refused(lambda: _add(world, reviewed, factor_ids=[other.problem_factor.pk]), "factors")
    reviewed.second_factor.removed_at = timezone.now()
    reviewed.second_factor.save()
    _refused(lambda: _add(world, reviewed, factor_ids=[reviewed.second_factor.pk]), "factors")
    assert not Action.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("owner", ["pastoral_contact", "practitioner", "analyst", "other_org_administrator"])
def test_an_owner_who_may_not_see_evidence_or_is_elsewhere_is_refused(world, reviewed, owner):
    _refused(lambda: _add(world, reviewed, owner_user_id=world.users[owner].pk), "owner_user")
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_actions_are_added_only_while_the_review_is_a_draft(world, reviewed):
    reviewed.review.status = ReviewStatus.SUBMITTED
    reviewed.review.save()
    assert "Amend the review" in _refused(lambda: _add(world, reviewed), "description")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["panel_member", "pastoral_contact", "analyst", "off_team_case_manager",
                                  "other_org_administrator"])
def test_someone_outside_the_review_cannot_add_an_action(world, reviewed, role):
    with pytest.raises(PermissionDenied):
        _add(world, reviewed, actor=world.users[role])


@pytest.mark.django_db
def test_marked_done_without_evidence_is_refused_and_nothing_saved(world, reviewed):
    action = _add(world, reviewed)
    before = _counts()
    owner = world.users["professional_advisor"]
    message = _refused(lambda: services.action_move(
        actor=owner, action=action, expected_version=action.version, to_status="done", evidence="  ",
        files=[("minutes.pdf", PDF)],
    ), "evidence")
    assert message == "Enter the evidence that the action was done"
    assert _counts() == before
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.django_db
def test_done_with_evidence_and_a_document_in_the_case_store(world, reviewed):
    action = _add(world, reviewed)
    owner = world.users["professional_advisor"]
    done = services.action_move(
        actor=owner, action=action, expected_version=action.version, to_status="done",
        evidence="Induction pack in use since March; three locums inducted", files=[("pack.pdf", PDF)],
    )
    assert (done.status, done.completed_by, done.version) == ("done", owner, action.version + 1)
    (document,) = done.evidence_documents.all()
    assert (document.case, document.original_name, document.media_type) == (world.case, "pack.pdf", "application/pdf")
    change = done.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("open", "done", owner)
    assert AuditEvent.objects.filter(object_type="document", object_id=str(document.pk), action="upload").exists()


@pytest.mark.django_db
def test_a_refused_document_saves_nothing_and_leaves_no_file(world, reviewed, settings, tmp_path):
    settings.DOCUMENT_ROOT = tmp_path
    action = _add(world, reviewed)
    before = _counts()
    message = _refused(lambda: services.action_move(
        actor=world.users["professional_advisor"], action=action, expected_version=action.version,
        to_status="done", evidence="Done", files=[("fine.pdf", PDF), ("script.exe", b"MZ\x90\x00")],
    ), "documents")
    assert message.startswith("script.exe:")
    assert _counts()[:4] == before[:4]
    assert not any(tmp_path.rglob("*"))


@pytest.mark.django_db
def test_a_failure_after_storing_removes_the_file_again(world, reviewed, settings, tmp_path, monkeypatch):
    settings.DOCUMENT_ROOT = tmp_path
    action = _add(world, reviewed)

    def broken(**kwargs):
        raise RuntimeError("the status change could not be saved")

    monkeypatch.setattr(services.ActionStatusChange.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.action_move(
            actor=world.users["professional_advisor"], action=action, expected_version=action.version,
            to_status="done", evidence="Done", files=[("pack.pdf", PDF)],
        )
    assert not Document.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


@pytest.mark.django_db
def test_not_done_needs_a_reason(world, reviewed):
    action = _add(world, reviewed)
    manager = world.users["case_manager"]
    _refused(lambda: services.action_move(actor=manager, action=action, expected_version=action.version,
                                          to_status="not_done"), "not_done_reason")
    moved = services.action_move(actor=manager, action=action, expected_version=action.version,
                                 to_status="not_done", note="The practice merged and the rota changed")
    assert (moved.status, moved.not_done_reason) == ("not_done", "The practice merged and the rota changed")


@pytest.mark.django_db
def test_a_move_the_table_does_not_allow_is_refused(world, reviewed):
    action = _add(world, reviewed)
    _refused(lambda: services.action_move(actor=world.users["case_manager"], action=action,
                                          expected_version=action.version, to_status="open"), "to_status")


@pytest.mark.django_db
def test_a_stale_version_changes_nothing(world, reviewed):
    action = _add(world, reviewed)
    services.action_move(actor=world.users["case_manager"], action=action, expected_version=action.version,
                         to_status="in_progress")
    with pytest.raises(services.StaleEdit):
        services.action_move(actor=world.users["case_manager"], action=action, expected_version=action.version,
                             to_status="done", evidence="Done")
    action.refresh_from_db()
    assert action.status == "in_progress"


def _done(world, reviewed, *, by="professional_advisor", **overrides):
    action = _add(world, reviewed, **overrides)
    return services.action_move(actor=world.users[by], action=action, expected_version=action.version,
                                to_status="done", evidence="Done and seen")


@pytest.mark.django_db
def test_assurance_signed_by_the_owner_is_refused_and_nothing_saved(world, reviewed):
    action = _done(world, reviewed, by="administrator", owner_user_id=world.users["case_manager"].pk)
    before = _counts()
    message = _refused(lambda: services.action_assure(
        actor=world.users["case_manager"], action=action, expected_version=action.version,
        assurance_note="I checked it myself",
    ), "assurance_note")
    assert message.startswith("You are the owner of this action")
    assert _counts() == before
    action.refresh_from_db()
    assert action.assured_at is None


@pytest.mark.django_db
def test_assurance_by_whoever_marked_it_done_is_refused(world, reviewed):
    action = _done(world, reviewed, by="case_manager")
    message = _refused(lambda: services.action_assure(
        actor=world.users["case_manager"], action=action, expected_version=action.version, assurance_note="Fine",
    ), "assurance_note")
    assert message.startswith("You marked this action done")


@pytest.mark.django_db
def test_a_second_person_assures_a_done_action_and_it_moves_no_further(world, reviewed):
    action = _done(world, reviewed)
    assured = services.action_assure(actor=world.users["case_manager"], action=action,
                                     expected_version=action.version, assurance_note="Saw the induction records")
    assert (assured.assured_by, assured.is_assured) == (world.users["case_manager"], True)
    assert TimelineEvent.objects.filter(case=world.case, title__startswith="Improvement action assured").exists()
    _refused(lambda: services.action_move(actor=world.users["case_manager"], action=assured,
                                          expected_version=assured.version, to_status="in_progress",
                                          note="Reopen"), "to_status")
    _refused(lambda: services.action_add_evidence(actor=world.users["professional_advisor"], action=assured,
                                                  expected_version=assured.version, evidence="More"), "evidence")


@pytest.mark.django_db
def test_only_a_done_action_is_assured(world, reviewed):
    action = _add(world, reviewed)
    assert "Only an action that is done" in _refused(lambda: services.action_assure(
        actor=world.users["case_manager"], action=action, expected_version=action.version, assurance_note="Fine",
    ), "assurance_note")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["professional_advisor", "panel_member", "off_team_case_manager", "analyst"])
def test_only_the_cases_managers_assure(world, reviewed, role):
    action = _done(world, reviewed, by="administrator", owner_user_id=None, owner_name="Practice team")
    with pytest.raises(PermissionDenied):
        services.action_assure(actor=world.users[role], action=action, expected_version=action.version,
                               assurance_note="Fine")


@pytest.mark.django_db
def test_a_done_action_reopened_clears_who_completed_it(world, reviewed):
    action = _done(world, reviewed)
    _refused(lambda: services.action_move(actor=world.users["case_manager"], action=action,
                                          expected_version=action.version, to_status="in_progress"), "note")
    reopened = services.action_move(actor=world.users["case_manager"], action=action,
                                    expected_version=action.version, to_status="in_progress",
                                    note="The evidence does not show the locums were inducted")
    assert (reopened.status, reopened.completed_by, reopened.evidence) == ("in_progress", None, "Done and seen")


@pytest.mark.django_db
def test_the_owner_updates_their_action_but_another_member_of_staff_cannot(world, reviewed):
    action = _add(world, reviewed, owner_user_id=world.users["panel_member"].pk)
    # The panel member is not on the review, but owns the action.
    moved = services.action_move(actor=world.users["panel_member"], action=action,
                                 expected_version=action.version, to_status="in_progress")
    assert moved.status == "in_progress"
    with pytest.raises(PermissionDenied):
        services.action_move(actor=world.users["off_team_case_manager"], action=moved,
                             expected_version=moved.version, to_status="open")


@pytest.mark.django_db
def test_evidence_recorded_along_the_way(world, reviewed):
    action = _add(world, reviewed)
    owner = world.users["professional_advisor"]
    _refused(lambda: services.action_add_evidence(actor=owner, action=action, expected_version=action.version,
                                                  evidence=""), "evidence")
    updated = services.action_add_evidence(actor=owner, action=action, expected_version=action.version,
                                           evidence="Draft induction pack written", files=[("draft.pdf", PDF)])
    assert (updated.status, updated.evidence, updated.evidence_documents.count()) == (
        "open", "Draft induction pack written", 1)
    # Done can now rest on the evidence already recorded.
    done = services.action_move(actor=owner, action=updated, expected_version=updated.version, to_status="done")
    assert done.evidence == "Draft induction pack written"


@pytest.mark.django_db
def test_an_open_action_is_edited_and_the_old_values_kept_in_the_audit(world, reviewed):
    action = _add(world, reviewed)
    new_due = timezone.localdate() + dt.timedelta(days=60)
    edited = services.action_edit(
        actor=world.users["case_manager"], action=action, expected_version=action.version,
        description=action.description, factor_ids=[reviewed.second_factor.pk], owner_user_id=None,
        owner_name="Practice management team", owner_outside=False, priority="medium", due_on=new_due,
    )
    assert (edited.owner_user, edited.owner_name, edited.due_on, edited.version) == (
        None, "Practice management team", new_due, action.version + 1)
    assert list(edited.factors.all()) == [reviewed.second_factor]
    event = AuditEvent.objects.filter(object_type="learning_action", action="change").latest("sequence")
    assert event.details["changed"] == ["due_on", "factors", "owner_name", "owner_user", "priority"]
    assert event.details["before"]["owner_user"] == world.users["professional_advisor"].pk
    started = timezone.localdate(reviewed.review.started_at)
    _refused(lambda: services.action_edit(
        actor=world.users["case_manager"], action=edited, expected_version=edited.version,
        description="x", factor_ids=[reviewed.second_factor.pk], owner_user_id=None, owner_name="Team",
        owner_outside=False, priority="low", due_on=started - dt.timedelta(days=3),
    ), "due_on")
