"""Adding a practitioner to the register through the real view: bad input is refused in
NHS style, keeps what was typed and saves nothing; registration numbers are checked
against each regulator's format, and the message names the format expected."""

import pytest

from lotus.audit.models import AuditEvent
from lotus.practitioners.models import Practitioner
from tests.cases.test_forms_bad_input import (
    assert_form_errors,
    assert_not_found,
    error_messages,
    read_page,
    snapshot,
)
from tests.factories import PractitionerFactory

URL = "/practitioners/add/"

#: What a browser sends when nothing is filled in: empty text boxes and the first option,
#: no radio buttons.
NOTHING_FILLED_IN = {
    "full_name": "",
    "registration_number": "",
    "contract_context": "",
    "place_of_work": "",
    "email": "",
    "phone": "",
    "postal_address": "",
}


def typed(**changes) -> dict:
    data = {
        "full_name": "Dr Ada Fictional-Example",
        "profession": "medical",
        "regulator": "GMC",
        "registration_number": "1234567",
        "contract_context": "locum",
        "place_of_work": "Fictional Street Surgery",
        "email": "ada@example.com",
        "phone": "01632 960 001",
        "postal_address": "1 Fictional Street\nTestville",
    }
    data.update(changes)
    return data


def assert_kept(page, data: dict) -> None:
    for name in ("full_name", "registration_number", "place_of_work", "email", "phone"):
        assert page.inputs[name] == data[name], name
    assert page.checked.get("profession") == [data["profession"]]
    assert page.checked.get("regulator") == [data["regulator"]]
    assert page.selected.get("contract_context") == [data["contract_context"]]
    assert page.textareas["postal_address"] == data["postal_address"]


@pytest.mark.django_db
def test_nothing_filled_in_names_every_required_field(world, client_for):
    before = snapshot()
    response = client_for("case_manager").post(URL, NOTHING_FILLED_IN)
    assert_form_errors(
        response,
        {
            "full_name": "Enter the practitioner's full name",
            "profession": "Select the practitioner's profession",
            "regulator": "Select the practitioner's regulator",
            "registration_number": "Enter the registration number",
            "contract_context": "Select the practitioner's contract",
            "place_of_work": "Enter the place of work",
        },
    )
    assert snapshot() == before


FORMATS = [
    ("GMC", "medical", "123456", "GMC registration number must be 7 digits, for example 1234567"),
    ("GMC", "medical", "12345678", "GMC registration number must be 7 digits, for example 1234567"),
    ("GMC", "medical", "A123456", "GMC registration number must be 7 digits, for example 1234567"),
    ("GMC", "medical", "123-4567", "GMC registration number must be 7 digits, for example 1234567"),
    ("GDC", "dental", "1234567", "GDC registration number must be up to 6 digits, for example 123456"),
    ("GDC", "dental", "12A45", "GDC registration number must be up to 6 digits, for example 123456"),
    (
        "GOC",
        "optometry",
        "0112345",
        "GOC registration number must be 2 digits, a hyphen, then 5 digits, for example 01-12345",
    ),
    (
        "GOC",
        "optometry",
        "1-12345",
        "GOC registration number must be 2 digits, a hyphen, then 5 digits, for example 01-12345",
    ),
    (
        "NMC",
        "other",
        "12A3456",
        "NMC registration number must be 2 digits, a letter, 4 digits, then a letter, for example 12A3456E",
    ),
    (
        "NMC",
        "other",
        "AB12345C",
        "NMC registration number must be 2 digits, a letter, 4 digits, then a letter, for example 12A3456E",
    ),
]


@pytest.mark.parametrize(
    ("regulator", "profession", "number", "message"), FORMATS, ids=[f"{r}-{n}" for r, _, n, _ in FORMATS]
)
@pytest.mark.django_db
def test_registration_number_in_the_wrong_format_names_the_format(
    world, client_for, regulator, profession, number, message
):
    data = typed(regulator=regulator, profession=profession, registration_number=number)
    before = snapshot()
    response = client_for("case_manager").post(URL, data)
    page = assert_form_errors(response, {"registration_number": message})
    assert_kept(page, data)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("regulator", "profession", "number", "stored"),
    [
        ("GMC", "medical", " 1234 567 ", "1234567"),
        ("GDC", "dental", "123", "123"),
        ("GDC", "dental", "123456", "123456"),
        ("GOC", "optometry", "01-12345", "01-12345"),
        ("NMC", "other", "12a3456e", "12A3456E"),
        ("OTHER", "other", "pa 12345", "PA12345"),
    ],
)
@pytest.mark.django_db
def test_registration_numbers_in_the_right_format_are_accepted_tidied(
    world, client_for, regulator, profession, number, stored
):
    response = client_for("case_manager").post(
        URL, typed(regulator=regulator, profession=profession, registration_number=number)
    )
    assert response.status_code == 302
    practitioner = Practitioner.objects.get(organisation=world.organisation, regulator=regulator, registration_number=stored)
    assert response["Location"] == f"/practitioners/{practitioner.pk}/"
    assert practitioner.full_name == "Dr Ada Fictional-Example"
    event = AuditEvent.objects.last()
    assert (event.action, event.object_type, event.object_id) == ("create", "practitioner", str(practitioner.pk))


@pytest.mark.django_db
def test_a_registration_number_already_on_the_register_is_refused(world, client_for):
    PractitionerFactory(organisation=world.organisation, regulator="GMC", registration_number="7654321")
    data = typed(registration_number="765 4321")
    before = snapshot()
    response = client_for("administrator").post(URL, data)
    page = assert_form_errors(
        response, {"registration_number": "A practitioner with this registration number is already registered"}
    )
    assert_kept(page, data)
    assert snapshot() == before


@pytest.mark.django_db
def test_the_same_number_in_another_organisation_is_not_a_duplicate(world, client_for):
    PractitionerFactory(organisation=world.other_organisation, regulator="GMC", registration_number="7654321")
    response = client_for("case_manager").post(URL, typed(registration_number="7654321"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_malformed_contact_details_are_refused_and_kept(world, client_for):
    data = typed(email="ada-at-example", phone="call me maybe")
    before = snapshot()
    response = client_for("case_manager").post(URL, data)
    page = assert_form_errors(
        response,
        {
            "email": "Enter an email address in the correct format, like name@example.com",
            "phone": "Enter a phone number, like 01632 960 001 or +44 808 157 0192",
        },
    )
    assert_kept(page, data)
    assert snapshot() == before


@pytest.mark.django_db
def test_blank_names_made_of_spaces_are_refused(world, client_for):
    data = typed(full_name="   ", place_of_work="  ")
    before = snapshot()
    response = client_for("case_manager").post(URL, data)
    assert_form_errors(response, {"full_name": "Enter the practitioner's full name", "place_of_work": "Enter the place of work"})
    assert snapshot() == before


@pytest.mark.parametrize("role", ["professional_advisor", "panel_member", "pastoral_contact", "analyst", "practitioner"])
@pytest.mark.django_db
def test_only_administrators_and_case_managers_register(world, client_for, role):
    before = snapshot()
    client = client_for(role)
    assert_not_found(client.get(URL))
    assert_not_found(client.post(URL, typed(registration_number="7654321")))
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "name"),
    [
        ({"full_name": "N" * 201}, "full_name"),
        ({"place_of_work": "P" * 201}, "place_of_work"),
        ({"registration_number": "1" * 21}, "registration_number"),
        ({"regulator": "XYZ"}, "regulator"),
        ({"profession": "surgeon"}, "profession"),
        ({"contract_context": "zero_hours"}, "contract_context"),
    ],
    ids=["long-name", "long-place", "long-number", "bad-regulator", "bad-profession", "bad-contract"],
)
@pytest.mark.django_db
def test_over_long_and_unknown_values_get_nhs_style_messages(world, client_for, changes, name):
    before = snapshot()
    message = error_messages(client_for("case_manager").post(URL, typed(**changes)))[name]
    assert snapshot() == before
    assert not message.startswith(("Ensure this value", "Select a valid choice"))
    for value in changes.values():
        assert value not in message


@pytest.mark.django_db
def test_html_in_a_refused_registration_is_shown_as_text(world, client_for):
    data = typed(full_name='<script>alert("lotus-xss")</script>', registration_number="12")
    response = client_for("case_manager").post(URL, data)
    page = read_page(response)
    assert page.inputs["full_name"] == data["full_name"]
    assert all("lotus-xss" not in script for script in page.scripts)
    assert data["full_name"] not in response.content.decode()
