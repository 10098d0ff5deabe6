"""The support pages through the real views: the case page panel, and bad input on every
support form (a clear message naming the field, what was typed kept, nothing saved)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotus.support.models import (
    Adjustment,
    HeightenedSupportPrompt,
    SignpostResource,
    SupportContact,
    SupportPlan,
)
from tests.cases.test_forms_bad_input import read_page

pytestmark = pytest.mark.django_db


def url(name, plan, **kwargs):
    return reverse(f"support:{name}", kwargs={"case_id": plan.case_id, **kwargs})


def refused(response) -> dict:
    """The form came back: title starts "Error: ", the error summary lists each message,
    and each message also stands by its field. Returns {field: message}."""
    assert response.status_code == 200
    page = read_page(response)
    assert page.title.startswith("Error: "), page.title
    assert page.summary_title == "There is a problem"
    assert [text for href, text in page.summary if href != "#maincontent"] == list(page.errors.values())
    for href, _ in page.summary:
        assert href.removeprefix("#") in page.ids, href
    return page.errors


def date_parts(prefix, day: dt.date) -> dict:
    return {f"{prefix}-day": day.day, f"{prefix}-month": day.month, f"{prefix}-year": day.year}


def test_the_case_page_shows_the_plans_progress_after_triage(world, client_for):
    manager = client_for("case_manager")
    case_url = reverse("cases:show_case", args=[world.case.pk])
    assert "Support for the practitioner" not in manager.get(case_url).content.decode()
    response = manager.post(reverse("cases:change_status", args=[world.case.pk]),
                            {"target": "triage", "reason": "Checked", "from_status": "received"})
    assert response.status_code == 302
    html = manager.get(case_url).content.decode()
    assert "Support for the practitioner" in html
    assert "0 of 8 matters in place or decided" in html
    assert "No pastoral contact yet" in html


def test_late_matters_are_flagged_on_the_case_page(world, plan, client_for):
    SupportPlan.objects.filter(pk=plan.pk).update(opened_on=timezone.localdate() - dt.timedelta(days=14))
    html = client_for("case_manager").get(reverse("cases:show_case", args=[world.case.pk])).content.decode()
    assert "Some matters are not in place and the service level has passed" in html


def test_choosing_a_team_member_as_pastoral_contact_is_refused_with_the_reason(world, plan, helper, client_for):
    response = client_for("case_manager").post(url("assign_pastoral_contact", plan),
                                               {"person": world.users["pastoral_contact"].pk})
    errors = refused(response)
    assert errors["person"].startswith("Pastoral Contact is on the case team, so cannot be the pastoral contact")
    assert read_page(response).selected.get("person") == [str(world.users["pastoral_contact"].pk)]
    plan.refresh_from_db()
    assert plan.pastoral_contact is None


def test_assigning_a_pastoral_contact_through_the_page(world, plan, helper, client_for):
    response = client_for("case_manager").post(url("assign_pastoral_contact", plan), {"person": helper.pk})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.pastoral_contact == helper


def test_a_contact_dated_in_the_future_is_refused_on_the_page(world, plan, client_for):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for("case_manager").post(
        url("log_contact", plan),
        {**date_parts("contacted_on", tomorrow), "method": "phone", "shared": "Typed <b>text</b> to keep"},
    )
    errors = refused(response)
    assert errors == {"contacted_on": "The date of the contact must be today or in the past"}
    page = read_page(response)
    assert page.textareas["shared"] == "Typed <b>text</b> to keep"
    assert page.inputs["contacted_on-day"] == str(tomorrow.day)
    assert not SupportContact.objects.exists()


def test_an_empty_contact_form_names_each_field(world, plan, client_for):
    errors = refused(client_for("case_manager").post(url("log_contact", plan), {"shared": "  "}))
    assert errors == {
        "contacted_on": "Enter the date of the contact",
        "method": "Select how you were in touch",
        "shared": "Enter what was shared with the practitioner",
    }


def test_an_adjustment_without_a_review_date_is_refused_on_the_page(world, plan, client_for):
    response = client_for("case_manager").post(
        url("add_adjustment", plan), {"kind": "other", "description": "A quiet room", "status": "requested"}
    )
    assert refused(response) == {"review_on": "Enter the date to review this adjustment"}
    assert read_page(response).textareas["description"] == "A quiet room"
    assert not Adjustment.objects.exists()


def test_not_needed_without_a_reason_is_refused_on_the_page(world, plan, client_for):
    response = client_for("case_manager").post(
        url("record_matter", plan, matter="guidance"),
        {"status": "not_needed", **date_parts("status_on", timezone.localdate()), "notes": "Kept note"},
    )
    assert refused(response) == {"reason_not_needed": "Enter why this is not needed for this case"}
    assert read_page(response).textareas["notes"] == "Kept note"
    assert plan.matters.get(matter="guidance").status == "not_started"


def test_an_unknown_matter_is_an_audited_404(world, plan, client_for):
    assert client_for("case_manager").get(url("record_matter", plan, matter="evidence")).status_code == 404


def test_a_prompt_is_raised_and_cleared_through_the_pages(world, plan, client_for):
    manager = client_for("case_manager")
    response = manager.post(url("record_circumstances", plan), {"circumstances": ["referred_to_regulator"]})
    assert response.status_code == 302
    prompt = HeightenedSupportPrompt.objects.get()
    html = manager.get(url("show_plan", plan)).content.decode()
    assert "Heightened support needed" in html
    # Without a contact since it was raised, the prompt cannot be cleared.
    response = manager.post(url("clear_prompt", plan, prompt_id=prompt.pk), {"reshared": ["yes"]})
    refused(response)
    assert "Log the wellbeing contact first" in read_page(response).text
    manager.post(url("log_contact", plan), {**date_parts("contacted_on", timezone.localdate()), "method": "phone",
                                              "shared": "Checked how they are", "wellbeing": ["yes"]})
    contact = SupportContact.objects.get()
    assert contact.is_wellbeing_check
    errors = refused(manager.post(url("clear_prompt", plan, prompt_id=prompt.pk), {"contact": contact.pk}))
    assert errors == {"reshared": "Confirm that you shared the sources of support again"}
    response = manager.post(url("clear_prompt", plan, prompt_id=prompt.pk), {"contact": contact.pk, "reshared": ["yes"]})
    assert response.status_code == 302
    assert "Heightened support needed" not in manager.get(url("show_plan", plan)).content.decode()


def test_preferences_by_the_pastoral_contact(world, assigned, helper_client):
    response = helper_client.post(url("record_preferences", assigned), {
        "person": "Named Pastoral", "method": "Text first", "times": "After 5pm", "stated_needs": "Time to talk",
        "version": assigned.version,
    })
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.preferred_contact_times == "After 5pm"


def test_a_stale_preferences_form_keeps_the_text(world, assigned, helper_client):
    response = helper_client.post(url("record_preferences", assigned), {
        "person": "", "method": "Mine", "times": "", "stated_needs": "", "version": assigned.version + 5,
    })
    assert response.status_code == 200
    assert read_page(response).inputs["method"] == "Mine"


def test_the_signposting_directory_is_edited_by_administrators(world, client_for):
    admin = client_for("administrator")
    errors = refused(admin.post(reverse("support:add_signpost"), {"category": "videos", "title": "Talks",
                                                                  "description": "Short talks", "address": "not a url"}))
    assert errors == {"address": "Enter a full web address, starting with https://"}
    assert not SignpostResource.objects.exists()
    response = admin.post(reverse("support:add_signpost"), {"category": "videos", "title": "Talks",
                                                            "description": "Short talks", "address": "https://example.org",
                                                            "shown": ["yes"]})
    assert response.status_code == 302
    html = client_for("practitioner").get(reverse("support:list_signposts")).content.decode()
    assert "Short talks" in html


def test_the_wellbeing_aggregate_suppresses_small_counts(world, plan, client_for):
    from lotus.support.services import wellbeing_record

    wellbeing_record(actor=world.users["case_manager"], plan=plan, stage="start", rating=1, note="", consent=True,
                     checked_on=timezone.localdate())
    html = client_for("administrator").get(reverse("support:wellbeing_aggregate")).content.decode()
    assert "Not shown (fewer than 8 people)" in html
    assert ">1<" not in html


def test_an_administrator_sets_the_service_levels(world, plan, client_for):
    from lotus.support.models import SupportSettings

    admin = client_for("administrator")
    errors = refused(admin.post(reverse("support:edit_settings"), {
        "service_level_days": "0", "contact_every_days": "ten", "contact_every_days_heightened": "5"}))
    assert errors == {
        "service_level_days": "Enter a whole number of working days from 1 to 60",
        "contact_every_days": "Enter a whole number of working days from 1 to 60",
    }
    errors = refused(admin.post(reverse("support:edit_settings"), {
        "service_level_days": "3", "contact_every_days": "5", "contact_every_days_heightened": "8"}))
    assert set(errors) == {"contact_every_days_heightened"}
    assert not SupportSettings.objects.exists()
    response = admin.post(reverse("support:edit_settings"), {
        "service_level_days": "3", "contact_every_days": "7", "contact_every_days_heightened": "2"})
    assert response.status_code == 302
    html = client_for("case_manager").get(url("show_plan", plan)).content.decode()
    assert "every 7 working days" in html
