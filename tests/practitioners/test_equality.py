"""Equality monitoring: a separate, restricted record. Bad input is refused in NHS style
and saves nothing; only administrators read or change it; it never shows on a case page."""

import pytest

from lotus.audit.models import AuditEvent
from lotus.practitioners.models import EqualityMonitoring
from tests.audit_details import without_request_id
from tests.cases.test_forms_bad_input import (
    assert_form_errors,
    assert_not_found,
    error_messages,
    read_page,
    snapshot,
)
from tests.factories import EqualityMonitoringFactory


def url(practitioner) -> str:
    return f"/practitioners/{practitioner.pk}/equality/"


def without_view_events(state: dict, views: int = 1) -> dict:
    """Opening the record is itself audited: take those events out of the comparison."""
    state = {**state, "counts": dict(state["counts"])}
    state["counts"]["AuditEvent"] -= views
    return state


def new_actions(since: int) -> list[str]:
    return list(AuditEvent.objects.filter(sequence__gt=since).values_list("action", flat=True))


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


@pytest.mark.django_db
def test_nothing_chosen_names_every_required_answer(world, client_for):
    before, since = snapshot(), last_sequence()
    response = client_for("administrator").post(
        url(world.practitioner), {"ethnic_category": "", "qualification_country": ""}
    )
    assert_form_errors(
        response,
        {
            "ethnic_category": "Select an ethnic group, or ‘Not stated’",
            "sex": "Select the practitioner's sex, or ‘Prefer not to say’",
            "disability": "Select whether the practitioner considers themselves disabled",
        },
    )
    assert without_view_events(snapshot()) == before
    assert new_actions(since) == ["view"]


@pytest.mark.django_db
def test_a_missing_answer_keeps_the_others(world, client_for):
    data = {"ethnic_category": "H", "sex": "female", "qualification_country": "Fictionland <typed>"}
    before = snapshot()
    response = client_for("administrator").post(url(world.practitioner), data)
    page = assert_form_errors(
        response, {"disability": "Select whether the practitioner considers themselves disabled"}
    )
    assert page.selected.get("ethnic_category") == ["H"]
    assert page.checked.get("sex") == ["female"]
    assert page.inputs["qualification_country"] == "Fictionland <typed>"
    assert without_view_events(snapshot()) == before


@pytest.mark.django_db
def test_bad_input_leaves_an_existing_record_alone(world, client_for):
    EqualityMonitoringFactory(practitioner=world.practitioner, ethnic_category="A", sex="male", disability="no",
                              qualification_country="Wales", graduate_route="uk")
    before = snapshot()
    response = client_for("administrator").post(
        url(world.practitioner), {"ethnic_category": "", "sex": "female", "disability": "yes", "qualification_country": "France"}
    )
    page = assert_form_errors(response, {"ethnic_category": "Select an ethnic group, or ‘Not stated’"})
    assert page.checked.get("disability") == ["yes"]
    assert page.inputs["qualification_country"] == "France"
    assert without_view_events(snapshot()) == before
    record = EqualityMonitoring.objects.get(practitioner=world.practitioner)
    assert (record.ethnic_category, record.sex, record.qualification_country) == ("A", "male", "Wales")


@pytest.mark.parametrize(
    ("country", "route"),
    [("India", "international"), ("United Kingdom", "uk"), (" scotland ", "uk"), ("", "not_known"),
     ("France", "eea"), ("  republic of  IRELAND ", "eea"), ("Switzerland", "eea")],
)
@pytest.mark.django_db
def test_saving_works_out_the_graduate_route_and_audits_no_values(world, client_for, country, route):
    since = last_sequence()
    response = client_for("administrator").post(
        url(world.practitioner),
        {"ethnic_category": "H", "sex": "not_stated", "disability": "not_stated", "qualification_country": country},
    )
    assert response.status_code == 302
    record = EqualityMonitoring.objects.get(practitioner=world.practitioner)
    assert record.graduate_route == route
    assert new_actions(since) == ["view", "create"]
    created = AuditEvent.objects.get(sequence=since + 2)
    assert created.object_type == "equality_monitoring"
    assert without_request_id(created.details) == {"fields": ["disability", "ethnic_category", "graduate_route", "qualification_country", "sex", "year_of_birth"]}
    details = str(created.details)
    assert "not_stated" not in details and "'H'" not in details


@pytest.mark.parametrize(
    ("role", "denied_object"),
    [
        ("case_manager", "equality_monitoring"),  # may see the register, not this record
        ("professional_advisor", "practitioner"),
        ("panel_member", "practitioner"),
        ("pastoral_contact", "practitioner"),
        ("analyst", "practitioner"),  # aggregates only, never by name
        ("practitioner", "practitioner"),
        ("other_org_administrator", "practitioner"),
    ],
)
@pytest.mark.django_db
def test_only_administrators_of_the_organisation_read_or_change_it(world, client_for, role, denied_object):
    EqualityMonitoringFactory(practitioner=world.practitioner, qualification_country="Atlantis (fictional)")
    client = client_for(role)
    before, since = snapshot(), last_sequence()
    response = client.get(url(world.practitioner))
    assert_not_found(response)
    assert b"Atlantis" not in response.content
    response = client.post(
        url(world.practitioner), {"ethnic_category": "Z", "sex": "male", "disability": "yes", "qualification_country": "UK"}
    )
    assert_not_found(response)
    assert without_view_events(snapshot(), views=2) == before  # two audited denials, nothing else
    assert new_actions(since) == ["access denied", "access denied"]
    assert set(AuditEvent.objects.filter(sequence__gt=since).values_list("object_type", flat=True)) == {denied_object}


@pytest.mark.django_db
def test_it_never_appears_on_a_case_page(world, client_for):
    EqualityMonitoringFactory(practitioner=world.practitioner, ethnic_category="R", qualification_country="Atlantis (fictional)",
                              graduate_route="international", disability="yes")
    for role in ("panel_member", "pastoral_contact"):  # their raw team rows open nothing (docs/adr/0016)
        assert client_for(role).get(f"/cases/{world.case.pk}/").status_code == 404
    for role in ("administrator", "case_manager", "professional_advisor"):
        response = client_for(role).get(f"/cases/{world.case.pk}/")
        assert response.status_code == 200
        text = read_page(response).text
        assert "Atlantis" not in text
        assert "Chinese" not in text
        assert "International graduate" not in text
        assert "equality" not in text.lower()


@pytest.mark.django_db
def test_only_administrators_are_offered_it_on_the_practitioner_page(world, client_for):
    link = url(world.practitioner)
    for role, offered in (("administrator", True), ("case_manager", False)):
        page = read_page(client_for(role).get(f"/practitioners/{world.practitioner.pk}/"))
        assert any(attrs.get("href") == link for tag, attrs in page.elements if tag == "a") is offered


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"ethnic_category": "Q"}, "ethnic_category"),
        ({"sex": "unknown"}, "sex"),
        ({"disability": "maybe"}, "disability"),
        ({"qualification_country": "C" * 101}, "qualification_country"),
    ],
    ids=["bad-ethnic-code", "bad-sex", "bad-disability", "long-country"],
)
@pytest.mark.django_db
def test_unknown_and_over_long_values_get_nhs_style_messages(world, client_for, changes, name):
    data = {"ethnic_category": "H", "sex": "female", "disability": "no", "qualification_country": "India", **changes}
    before = snapshot()
    message = error_messages(client_for("administrator").post(url(world.practitioner), data))[name]
    assert without_view_events(snapshot()) == before
    assert not message.startswith(("Ensure this value", "Select a valid choice"))
    for value in changes.values():
        assert value not in message


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("78", "Enter the year of birth as 4 digits, like 1978, or leave it blank"),
        ("nineteen", "Enter the year of birth as 4 digits, like 1978, or leave it blank"),
        ("1919", "Enter a year of birth from 1920 to"),
        ("2099", "Enter a year of birth from 1920 to"),
        ("١٩٧٨", "Enter the year of birth as 4 digits, like 1978, or leave it blank"),
    ],
)
@pytest.mark.django_db
def test_a_bad_year_of_birth_is_refused_naming_the_field_and_keeping_what_was_typed(world, client_for, typed, message):
    data = {"ethnic_category": "H", "sex": "female", "disability": "no", "qualification_country": "India",
            "year_of_birth": typed}
    before = snapshot()
    response = client_for("administrator").post(url(world.practitioner), data)
    assert error_messages(response)["year_of_birth"].startswith(message)
    assert f'value="{typed}"' in response.content.decode()
    assert without_view_events(snapshot()) == before


@pytest.mark.django_db
def test_a_year_of_birth_is_saved_and_can_be_cleared(world, client_for):
    data = {"ethnic_category": "H", "sex": "female", "disability": "no", "qualification_country": "India"}
    client = client_for("administrator")
    assert client.post(url(world.practitioner), {**data, "year_of_birth": " 1978 "}).status_code == 302
    assert EqualityMonitoring.objects.get(practitioner=world.practitioner).year_of_birth == 1978
    assert client.post(url(world.practitioner), {**data, "year_of_birth": ""}).status_code == 302
    assert EqualityMonitoring.objects.get(practitioner=world.practitioner).year_of_birth is None
