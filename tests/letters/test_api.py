"""Letters through /api/v1/: edit with a version, approve by a second person, draft from a
template, list a case's letters and the template library; the same rules as the pages."""

import pytest

from lotus.api.services import api_token_create
from lotus.audit.models import AuditEvent
from lotus.cases.models import TimelineEvent
from lotus.letters import services
from lotus.letters.models import Letter, LetterTemplate
from tests.api.conftest import bearer_client
from tests.audit_details import without_request_id

pytestmark = pytest.mark.django_db


def _patch(client, letter, **body):
    return client.patch(f"/api/v1/letters/{letter.pk}/", body, content_type="application/json")


def _approve(client, letter, version):
    return client.post(f"/api/v1/letters/{letter.pk}/approve/", {"version": version},
                       content_type="application/json")


def _as(user):
    return bearer_client(api_token_create(actor=None, user=user, name="letters test", expires_days=1).raw)


def _unchanged(letter) -> bool:
    current = Letter.objects.get(pk=letter.pk)
    return (current.subject, current.body, current.version, current.status) == (
        letter.subject, letter.body, letter.version, letter.status)


# ---------------------------------------------------------------- editing


def test_a_case_manager_edits_a_draft(world, letter, api_for):
    response = _patch(api_for("case_manager"), letter, subject="Your case: what the panel decided",
                      body="Dear {{ practitioner_name }},\n\nThe panel met and decided to ask for your reflections.",
                      version=letter.version)
    assert response.status_code == 200, response.content
    body = response.json()
    saved = Letter.objects.get(pk=letter.pk)
    assert (saved.subject, saved.version, saved.edited_by_id) == (
        "Your case: what the panel decided", letter.version + 1, world.users["case_manager"].pk)
    assert saved.body.startswith("Dear {{ practitioner_name }},")
    assert (body["version"], body["status"], body["merge_error"]) == (letter.version + 1, "draft", "")
    assert len(body["check"]) == 11  # eight for every letter, three more for one about a decision
    event = AuditEvent.objects.get(action="change", object_type="letter", object_id=str(letter.pk))
    assert event.actor_id == world.users["case_manager"].pk
    assert without_request_id(event.details) == {"case": world.case.pk, "version": letter.version + 1}


def test_a_stale_version_is_409_and_saves_nothing(world, letter, api_for):
    client = api_for("case_manager")
    assert _patch(client, letter, subject="First", body="First text.", version=letter.version).status_code == 200
    letter.refresh_from_db()
    response = _patch(client, letter, subject="Second", body="Second text.", version=letter.version - 1)
    assert response.status_code == 409
    assert response.json() == {"errors": {"version": [
        "Someone else changed this letter after you read it. Read it again, then retry"]}}
    assert _unchanged(letter)


def test_a_sent_letter_cannot_be_edited(world, letter, api_for):
    Letter.objects.filter(pk=letter.pk).update(status="sent")
    letter.refresh_from_db()
    response = _patch(api_for("case_manager"), letter, subject="Changed", body="Changed.", version=letter.version)
    assert response.status_code == 400
    assert response.json()["errors"] == {"body": ["This letter has been sent, so it cannot be changed"]}
    assert _unchanged(letter)


def test_an_unknown_merge_field_keeps_the_edit_and_names_the_field(world, letter, api_for):
    text = "Dear {{ practitioner_name }},\n\nYour favourite colour is {{ favourite_colour }}."
    response = _patch(api_for("case_manager"), letter, subject="Subject", body=text, version=letter.version)
    assert response.status_code == 200
    assert "favourite_colour" in response.json()["merge_error"]
    assert response.json()["check"] == []
    assert Letter.objects.get(pk=letter.pk).body == text
    # It cannot be approved until the field is fixed, and says which one.
    refused = _approve(api_for("administrator"), letter, letter.version + 1)
    assert refused.status_code == 400
    assert "favourite_colour" in refused.json()["errors"]["version"][0]
    assert Letter.objects.get(pk=letter.pk).status == "draft"


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"subject": ["Enter the subject"], "body": ["Enter the text of the letter"],
              "version": ["Enter the version"]}),
        ({"subject": "", "body": " ", "version": 1}, {"subject": ["Enter the subject"],
                                                      "body": ["Enter the text of the letter"]}),
        ({"subject": "S", "body": "B", "version": "two"}, {"version": ["Enter the version as a whole number"]}),
        ({"subject": "S" * 201, "body": "B", "version": 1}, {"subject": ["The subject must be 200 characters or fewer"]}),
        ({"subject": ["S"], "body": {"text": "B"}, "version": 1}, {"subject": ["Enter the subject as text"],
                                                                   "body": ["Enter the text of the letter as text"]}),
    ],
)
def test_an_edit_with_bad_details_is_refused_and_nothing_saved(world, letter, api_for, body, errors):
    response = api_for("case_manager").patch(f"/api/v1/letters/{letter.pk}/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert _unchanged(letter)


def test_those_who_may_only_read_a_letter_cannot_edit_it(world, letter, api_for):
    for role in ("professional_advisor", "panel_member", "off_team_case_manager", "other_org_administrator"):
        response = _patch(api_for(role), letter, subject="Changed", body="Changed.", version=letter.version)
        assert response.status_code == 404, role
        assert AuditEvent.objects.filter(action="access denied", actor_id=world.users[role].pk,
                                         object_type="letter", object_id=str(letter.pk)).exists()
    assert _unchanged(letter)


# ---------------------------------------------------------------- approving


def test_a_second_person_approves_and_a_second_approval_changes_nothing(world, letter, second_manager, api_for):
    own = _approve(api_for("case_manager"), letter, letter.version)
    assert own.status_code == 400
    assert own.json()["errors"] == {
        "version": ["Someone other than the last person to edit the letter must approve it"]}
    assert _unchanged(letter)

    client = _as(second_manager)
    response = _approve(client, letter, letter.version)
    assert response.status_code == 200, response.content
    saved = Letter.objects.get(pk=letter.pk)
    assert (saved.status, saved.approved_by_id, saved.version) == ("approved", second_manager.pk, letter.version + 1)
    assert response.json()["status"] == "approved"
    assert TimelineEvent.objects.filter(case=world.case, title__startswith="Letter approved").count() == 1
    assert AuditEvent.objects.filter(action="change", object_type="letter", object_id=str(letter.pk),
                                     actor_id=second_manager.pk, details__approved=True).count() == 1

    again = _approve(client, letter, saved.version)
    assert again.status_code == 400
    assert again.json()["errors"] == {"version": ["This letter is already approved"]}
    assert Letter.objects.get(pk=letter.pk).version == saved.version
    assert TimelineEvent.objects.filter(case=world.case, title__startswith="Letter approved").count() == 1


def test_editing_an_approved_letter_returns_it_to_draft(world, letter, second_manager, api_for):
    _approve(_as(second_manager), letter, letter.version)
    response = _patch(api_for("case_manager"), letter, subject="New", body="New text.", version=letter.version + 1)
    assert response.status_code == 200
    saved = Letter.objects.get(pk=letter.pk)
    assert (saved.status, saved.approved_by_id, saved.approved_at) == ("draft", None, None)


def test_approving_a_stale_version_is_409(world, letter, second_manager):
    services.letter_edit(actor=world.users["case_manager"], letter=letter, subject="Edited", body="Edited text.",
                         expected_version=letter.version)
    letter.refresh_from_db()
    response = _approve(_as(second_manager), letter, letter.version - 1)
    assert response.status_code == 409
    assert list(response.json()["errors"]) == ["version"]
    assert Letter.objects.get(pk=letter.pk).status == "draft"


@pytest.mark.parametrize(("body", "errors"), [
    ({}, {"version": ["Enter the version"]}),
    ({"version": "latest"}, {"version": ["Enter the version as a whole number"]}),
    ({"version": 0}, {"version": ["Enter a valid version"]}),
])
def test_an_approval_without_a_good_version_is_refused(world, letter, second_manager, body, errors):
    response = _as(second_manager).post(f"/api/v1/letters/{letter.pk}/approve/", body,
                                        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == errors
    assert _unchanged(letter)


def test_readers_cannot_approve(world, letter, api_for):
    for role in ("professional_advisor", "panel_member", "practitioner", "off_team_case_manager"):
        assert _approve(api_for(role), letter, letter.version).status_code == 404, role
    assert _unchanged(letter)


# ---------------------------------------------------------------- drafting and listing


def _template(organisation, key="concern_notification") -> LetterTemplate:
    services.templates_ensure(organisation.pk)
    return LetterTemplate.objects.get(organisation=organisation, key=key)


def test_a_case_manager_drafts_a_letter_and_lists_the_cases_letters(world, api_for):
    template = _template(world.organisation)
    client = api_for("case_manager")
    response = client.post(f"/api/v1/cases/{world.case.pk}/letters/", {"template": template.pk},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    letter = Letter.objects.get(pk=body["id"])
    assert (letter.case_id, letter.template_id, letter.status, letter.created_by_id) == (
        world.case.pk, template.pk, "draft", world.users["case_manager"].pk)
    assert world.practitioner.full_name in letter.body  # merge fields filled in
    assert body["merge_error"] == "" and len(body["check"]) == 8
    assert TimelineEvent.objects.filter(case=world.case, title=f"Letter drafted: {letter.subject}").exists()
    event = AuditEvent.objects.get(action="create", object_type="letter", object_id=str(letter.pk))
    assert without_request_id(event.details) == {"case": world.case.pk, "template": "concern_notification"}

    listed = client.get(f"/api/v1/cases/{world.case.pk}/letters/").json()
    assert (listed["count"], [row["id"] for row in listed["results"]]) == (1, [letter.pk])
    assert api_for("professional_advisor").get(f"/api/v1/cases/{world.case.pk}/letters/").json()["count"] == 1


def test_a_template_that_is_not_ours_is_refused_in_the_same_words_as_an_unknown_one(world, api_for):
    foreign = _template(world.other_organisation)
    client = api_for("case_manager")
    url = f"/api/v1/cases/{world.case.pk}/letters/"
    answers = set()
    for template_id in (foreign.pk, 10**9):
        response = client.post(url, {"template": template_id}, content_type="application/json")
        assert response.status_code == 400
        answers.add(response.content)
    assert len(answers) == 1
    assert "letter templates" in response.json()["errors"]["template"][0]
    missing = client.post(url, {}, content_type="application/json")
    assert missing.json()["errors"] == {"template": ["Enter the template"]}
    wrong = client.post(url, {"template": "panel outcome"}, content_type="application/json")
    assert wrong.json()["errors"] == {"template": ["Enter the template as a whole number"]}
    assert not Letter.objects.exists()


def test_letters_of_a_case_out_of_reach_are_404_and_audited(world, api_for):
    template = _template(world.organisation)
    cases = {"other_org_case": world.other_org_case, "other_team_case": world.other_team_case}
    client = api_for("case_manager")
    for case in cases.values():
        assert client.get(f"/api/v1/cases/{case.pk}/letters/").status_code == 404
        response = client.post(f"/api/v1/cases/{case.pk}/letters/", {"template": template.pk},
                               content_type="application/json")
        assert response.status_code == 404
        assert AuditEvent.objects.filter(action="access denied", actor_id=world.users["case_manager"].pk,
                                         object_id=str(case.pk)).exists()
    # Those on the team who may not draft, and the practitioner, are refused too.
    for role in ("professional_advisor", "panel_member", "pastoral_contact", "practitioner"):
        response = api_for(role).post(f"/api/v1/cases/{world.case.pk}/letters/", {"template": template.pk},
                                      content_type="application/json")
        assert response.status_code == 404, role
    assert api_for("practitioner").get(f"/api/v1/cases/{world.case.pk}/letters/").status_code == 404
    assert not Letter.objects.exists()


def test_the_template_library_is_for_those_who_draft_letters(world, api_for):
    body = api_for("case_manager").get("/api/v1/letters/templates/").json()
    keys = {row["key"] for row in body["results"]}
    assert {"concern_notification", "panel_outcome", "case_closed"} <= keys
    assert all(LetterTemplate.objects.get(pk=row["id"]).organisation_id == world.organisation.pk
               for row in body["results"])
    theirs = api_for("other_org_administrator").get("/api/v1/letters/templates/").json()
    assert not {row["id"] for row in theirs["results"]} & {row["id"] for row in body["results"]}
    for role in ("professional_advisor", "panel_member", "pastoral_contact", "practitioner", "analyst"):
        assert api_for(role).get("/api/v1/letters/templates/").status_code == 404, role
