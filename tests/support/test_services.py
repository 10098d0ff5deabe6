"""The support services: opening the plan on triage, the pastoral contact, keeping in
touch, adjustments, heightened support, occupational health and wellbeing checks."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.cases import services as case_services
from lotus.cases.models import Case, TimelineEvent
from lotus.support import selectors, services
from lotus.support.models import (
    Adjustment,
    HeightenedSupportPrompt,
    Matter,
    OccupationalHealthDetail,
    OccupationalHealthReferral,
    SupportContact,
    SupportPlan,
    WellbeingCheck,
)
from tests.panel_fixtures import shared_triage

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def messages_of(error: ValidationError) -> dict:
    return error.value.message_dict


# --- Opening the plan -----------------------------------------------------------------


def test_entering_triage_opens_the_plan_with_the_eight_matters(world):
    assert not SupportPlan.objects.exists()
    case_services.case_transition(actor=world.users["case_manager"], case=world.case, target="triage", reason="Go")
    plan = SupportPlan.objects.get(case=world.case)
    assert plan.opened_on == today()
    assert [m.matter for m in sorted(plan.matters.all(), key=lambda m: m.order)] == Matter.values
    assert {m.status for m in plan.matters.all()} == {"not_started"}
    assert TimelineEvent.objects.filter(case=world.case, title="Support plan opened").count() == 1
    assert AuditEvent.objects.filter(action="create", object_type="support_plan", object_id=str(plan.pk)).count() == 1


def test_leaving_and_re_entering_triage_keeps_the_one_plan(world, plan):
    manager = world.users["case_manager"]
    case = Case.objects.get(pk=world.case.pk)
    shared_triage(case, world.users["professional_advisor"])  # the panel needs shared triage (issue 19)
    case = case_services.case_transition(actor=manager, case=case, target="awaiting_panel", reason="Done")
    assert SupportPlan.objects.filter(case=case).count() == 1
    assert services.plan_open(actor=manager, case=case) == plan
    assert SupportPlan.objects.filter(case=case).count() == 1


def test_other_moves_open_no_plan(world):
    case_services.case_transition(actor=world.users["case_manager"], case=world.case, target="withdrawn", reason="Go")
    assert not SupportPlan.objects.exists()


def test_a_failing_plan_undoes_the_move_to_triage(world, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "plan_open", broken)
    with pytest.raises(RuntimeError):
        case_services.case_transition(actor=world.users["case_manager"], case=world.case, target="triage", reason="Go")
    assert Case.objects.get(pk=world.case.pk).status == "received"


# --- The matters ----------------------------------------------------------------------


def test_a_matter_is_recorded_with_who_and_when(world, plan):
    row = services.matter_record(
        actor=world.users["case_manager"], plan=plan, matter="signposted", status="in_place",
        status_on=today(), notes="Gave the leaflet and the helpline number",
    )
    assert (row.status, row.recorded_by, row.status_on) == ("in_place", world.users["case_manager"], today())


def test_not_needed_without_a_reason_is_refused(world, plan):
    with pytest.raises(ValidationError) as error:
        services.matter_record(actor=world.users["case_manager"], plan=plan, matter="guidance",
                               status="not_needed", status_on=today(), reason_not_needed="  ")
    assert messages_of(error) == {"reason_not_needed": ["Enter why this is not needed for this case"]}
    assert plan.matters.get(matter="guidance").status == "not_started"


def test_a_matter_dated_in_the_future_is_refused(world, plan):
    with pytest.raises(ValidationError) as error:
        services.matter_record(actor=world.users["case_manager"], plan=plan, matter="guidance",
                               status="in_place", status_on=today() + dt.timedelta(days=1))
    assert "status_on" in messages_of(error)


@pytest.mark.parametrize("role", ["professional_advisor", "panel_member", "pastoral_contact", "off_team_case_manager"])
def test_only_the_cases_managers_record_matters(world, plan, role):
    with pytest.raises(PermissionDenied):
        services.matter_record(actor=world.users[role], plan=plan, matter="guidance", status="in_place",
                               status_on=today())


# --- The pastoral contact -------------------------------------------------------------


def test_assigning_a_case_team_member_is_refused_with_the_reason(world, plan):
    with pytest.raises(ValidationError) as error:
        services.pastoral_contact_assign(actor=world.users["case_manager"], plan=plan,
                                         person=world.users["pastoral_contact"])
    (message,) = messages_of(error)["person"]
    assert message.startswith("Pastoral Contact is on the case team, so cannot be the pastoral contact")
    assert "no part in the investigation" in message
    plan.refresh_from_db()
    assert plan.pastoral_contact is None


def test_someone_without_the_pastoral_role_is_refused(world, plan):
    with pytest.raises(ValidationError) as error:
        services.pastoral_contact_assign(actor=world.users["case_manager"], plan=plan,
                                         person=world.users["off_team_case_manager"])
    assert "is not set up as a pastoral contact" in messages_of(error)["person"][0]


def test_someone_from_another_organisation_is_refused(world, plan, helper):
    helper.organisation = world.other_organisation
    helper.save()
    with pytest.raises(ValidationError):
        services.pastoral_contact_assign(actor=world.users["case_manager"], plan=plan, person=helper)


def test_assigning_puts_the_matter_in_place(world, assigned, helper):
    assert assigned.pastoral_contact == helper
    matter = assigned.matters.get(matter="pastoral_contact")
    assert (matter.status, matter.notes) == ("in_place", "Named Pastoral assigned")


def test_the_named_pastoral_contact_cannot_then_join_the_case_team(world, assigned, helper):
    with pytest.raises(ValidationError) as error:
        case_services.case_team_add(actor=world.users["case_manager"], case=Case.objects.get(pk=world.case.pk),
                                    member=helper)
    # Holding the pastoral contact role keeps them off every team (docs/adr/0016).
    assert "Named Pastoral is a pastoral contact, so cannot join a case team" in messages_of(error)["member"][0]


def test_the_pastoral_contact_records_preferences(world, assigned, helper):
    services.preferences_record(actor=helper, plan=assigned, person="Named Pastoral", method="Mobile phone",
                                times="Mornings", stated_needs="Time off for appointments",
                                expected_version=assigned.version)
    assigned.refresh_from_db()
    assert (assigned.preferred_contact_method, assigned.version) == ("Mobile phone", 2)


def test_a_stale_preferences_edit_is_caught(world, assigned, helper):
    with pytest.raises(services.StaleEdit):
        services.preferences_record(actor=helper, plan=assigned, person="", method="", times="", stated_needs="",
                                    expected_version=assigned.version + 1)


# --- Keeping in touch -----------------------------------------------------------------


def log(actor, plan, **changes):
    values = {"contacted_on": today(), "method": "phone", "shared": "Explained the timetable for triage"}
    values.update(changes)
    return services.contact_log(actor=actor, plan=plan, **values)


def test_a_contact_is_logged_by_the_pastoral_contact(world, assigned, helper):
    contact = log(helper, assigned, next_steps="Call again next week")
    assert contact.made_by == helper
    assert assigned.matters.get(matter="keeping_in_touch").status == "in_place"


def test_a_contact_dated_in_the_future_is_refused_and_nothing_saved(world, plan):
    with pytest.raises(ValidationError) as error:
        log(world.users["case_manager"], plan, contacted_on=today() + dt.timedelta(days=1))
    assert messages_of(error) == {"contacted_on": ["The date of the contact must be today or in the past"]}
    assert not SupportContact.objects.exists()
    assert plan.matters.get(matter="keeping_in_touch").status == "not_started"


def test_a_contact_with_nothing_shared_is_refused(world, plan):
    with pytest.raises(ValidationError) as error:
        log(world.users["case_manager"], plan, shared="   ")
    assert messages_of(error) == {"shared": ["Enter what was shared with the practitioner"]}


def test_the_team_pastoral_contact_cannot_log_contacts(world, plan):
    with pytest.raises(PermissionDenied):
        log(world.users["pastoral_contact"], plan)


def test_cadence_is_10_working_days_then_5_while_suspended(world, plan):
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)):  # a Monday
        SupportPlan.objects.filter(pk=plan.pk).update(opened_on=dt.date(2026, 11, 23))
        plan.refresh_from_db()
        assert selectors.plan_summary(plan.case, plan).next_contact_due == dt.date(2026, 12, 7)
        services.circumstances_record(actor=world.users["case_manager"], plan=plan, suspended_or_excluded=True,
                                      referred_to_regulator=False, health_concern=False)
        plan.refresh_from_db()
        assert selectors.plan_summary(plan.case, plan).next_contact_due == dt.date(2026, 11, 30)


def test_a_contact_becomes_overdue_after_the_interval(world, plan):
    SupportPlan.objects.filter(pk=plan.pk).update(opened_on=today() - dt.timedelta(days=30))
    plan.refresh_from_db()
    assert selectors.plan_summary(plan.case, plan).contact_overdue
    log(world.users["case_manager"], plan)
    assert not selectors.plan_summary(plan.case, plan).contact_overdue


# --- Heightened support ---------------------------------------------------------------


def circumstances(world, plan, **flags):
    values = {"suspended_or_excluded": False, "referred_to_regulator": False, "health_concern": False, **flags}
    return services.circumstances_record(actor=world.users["case_manager"], plan=plan, **values)


@pytest.mark.parametrize(
    ("flag", "trigger"),
    [("suspended_or_excluded", "suspension"), ("referred_to_regulator", "regulator_referral"),
     ("health_concern", "health_concern")],
)
def test_each_circumstance_raises_a_prompt_due_in_one_working_day(world, plan, flag, trigger):
    (prompt,) = circumstances(world, plan, **{flag: True})
    assert prompt.trigger == trigger
    assert prompt.due_on > prompt.raised_on
    # Saving again with the same circumstances raises nothing new.
    assert circumstances(world, plan, **{flag: True}) == []


def test_a_prompt_stays_until_a_wellbeing_contact_and_signposting(world, plan):
    manager = world.users["case_manager"]
    (prompt,) = circumstances(world, plan, health_concern=True)
    with pytest.raises(ValidationError) as error:
        services.prompt_clear(actor=manager, prompt=prompt, contact=None, signposting_reshared=True)
    assert "contact" in messages_of(error)
    contact = log(manager, plan, is_wellbeing_check=True)
    with pytest.raises(ValidationError) as error:
        services.prompt_clear(actor=manager, prompt=prompt, contact=contact, signposting_reshared=False)
    assert messages_of(error) == {"signposting_reshared": ["Confirm that you shared the sources of support again"]}
    assert HeightenedSupportPrompt.objects.get(pk=prompt.pk).is_open
    services.prompt_clear(actor=manager, prompt=prompt, contact=contact, signposting_reshared=True)
    assert not HeightenedSupportPrompt.objects.get(pk=prompt.pk).is_open
    assert selectors.plan_summary(plan.case, plan).open_prompts == []


def test_a_contact_from_before_the_prompt_does_not_clear_it(world, plan):
    manager = world.users["case_manager"]
    earlier = log(manager, plan, contacted_on=today() - dt.timedelta(days=3))
    (prompt,) = circumstances(world, plan, referred_to_regulator=True)
    with pytest.raises(ValidationError):
        services.prompt_clear(actor=manager, prompt=prompt, contact=earlier, signposting_reshared=True)


# --- Adjustments ----------------------------------------------------------------------


def adjust(world, plan, **changes):
    values = {"kind": "breaks", "description": "", "status": "agreed", "review_on": today() + dt.timedelta(days=14)}
    values.update(changes)
    return services.adjustment_add(actor=world.users["case_manager"], plan=plan, **values)


def test_an_adjustment_without_a_review_date_is_refused(world, plan):
    with pytest.raises(ValidationError) as error:
        adjust(world, plan, review_on=None)
    assert messages_of(error) == {"review_on": ["Enter the date to review this adjustment"]}
    assert not Adjustment.objects.exists()


def test_other_needs_a_description(world, plan):
    with pytest.raises(ValidationError) as error:
        adjust(world, plan, kind="other")
    assert messages_of(error) == {"description": ["Describe the adjustment"]}


def test_an_adjustment_comes_up_for_review(world, plan):
    adjustment = adjust(world, plan)
    Adjustment.objects.filter(pk=adjustment.pk).update(review_on=today())
    assert selectors.plan_summary(plan.case, plan).adjustments_to_review == 1
    services.adjustment_review(actor=world.users["case_manager"], adjustment=adjustment, status="ended",
                               review_on=None)
    assert selectors.plan_summary(plan.case, plan).adjustments_to_review == 0


# --- Occupational health and wellbeing -------------------------------------------------


def test_health_details_are_kept_in_the_restricted_model(world, plan):
    referral = services.oh_referral_record(
        actor=world.users["case_manager"], plan=plan, referred_on=today(), consent="given", consent_on=today(),
        report_received_on=today(), health_details="Fictional: recovering from an operation",
    )
    assert OccupationalHealthDetail.objects.get(referral=referral).health_details.startswith("Fictional")
    assert not hasattr(OccupationalHealthReferral, "health_details")


def test_a_report_without_consent_is_refused(world, plan):
    with pytest.raises(ValidationError) as error:
        services.oh_referral_record(actor=world.users["case_manager"], plan=plan, referred_on=today(),
                                    consent="declined", consent_on=today(), report_received_on=today())
    assert "consent" in messages_of(error)
    assert not OccupationalHealthReferral.objects.exists()


def test_a_wellbeing_rating_needs_consent(world, plan):
    with pytest.raises(ValidationError) as error:
        services.wellbeing_record(actor=world.users["case_manager"], plan=plan, stage="start", rating=2, note="",
                                  consent=False, checked_on=today())
    assert "consent" in messages_of(error)
    assert not WellbeingCheck.objects.exists()


def test_closed_cases_refuse_support_changes(world, plan):
    Case.objects.filter(pk=world.case.pk).update(status="closed")
    plan = SupportPlan.objects.select_related("case").get(pk=plan.pk)
    with pytest.raises(ValidationError):
        log(world.users["case_manager"], plan)
