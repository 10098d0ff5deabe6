"""The improvement action pages, driven through the client as their users would: add an
action from the review page, the owner marks it done with evidence and a document, a
second person assures it; bad input refused with the field named, what was typed kept
and nothing saved; the actions page with its filters and a constant query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lotus.accounts.roles import Role
from lotus.cases.models import Document
from lotus.learning.models import Action
from lotus.learning.services import actions as services
from tests.conftest import signed_in_client
from tests.factories import CaseFactory, TOTPDeviceFactory, UserFactory
from tests.learning.action_fixtures import make_review

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def reviewed(world):
    return make_review(world)


def _review_url(review, name="show_review"):
    return reverse(f"learning:{name}", kwargs={"case_id": review.case_id, "review_id": review.pk})


def _action_url(action, name="show_action", **kwargs):
    return reverse(f"learning:{name}", kwargs={"learning_action_id": action.pk, **kwargs})


def _form(reviewed, world, **overrides):
    due = timezone.localdate() + dt.timedelta(days=30)
    data = {
        "description": "Give every locum a structured induction to the results system",
        "factors": [str(reviewed.problem_factor.pk)], "owner_user": str(world.users["panel_member"].pk),
        "owner_name": "", "priority": "high",
        "due_on-day": str(due.day), "due_on-month": str(due.month), "due_on-year": str(due.year),
    }
    data.update(overrides)
    return data


def _add(world, reviewed, owner="panel_member", **overrides):
    values = {
        "actor": world.users["case_manager"], "review": reviewed.review, "description": "Induct every locum",
        "factor_ids": [reviewed.problem_factor.pk], "owner_user_id": world.users[owner].pk if owner else None,
        "owner_name": "" if owner else "Practice team", "owner_outside": False, "priority": "high",
        "due_on": timezone.localdate() + dt.timedelta(days=30),
    }
    values.update(overrides)
    return services.action_add(**values)


@pytest.mark.django_db
def test_the_review_team_adds_an_action_from_the_review_page(world, reviewed):
    advisor = signed_in_client(world.users["professional_advisor"])
    page = advisor.get(_review_url(reviewed.review)).content.decode()
    assert "Recommendations and improvement actions" in page
    add = _review_url(reviewed.review, "add_action")
    assert add in page
    form = advisor.get(add).content.decode()
    # The form offers the review's own coded factors, each with what it was coded against.
    assert f"{reviewed.problem_factor.factor.title} (Problem: Results were not seen for a week)" in form
    assert f"{reviewed.went_well_factor.factor.title} (Went well: " in form
    response = advisor.post(add, _form(reviewed, world))
    assert response.status_code == 302 and response["Location"] == _review_url(reviewed.review) + "#actions"
    action = Action.objects.get()
    assert (action.owner_user, action.priority) == (world.users["panel_member"], "high")
    page = advisor.get(_review_url(reviewed.review)).content.decode()
    assert "Give every locum a structured induction" in page


@pytest.mark.django_db
def test_a_due_date_before_the_review_started_is_refused_on_the_page(world, reviewed):
    advisor = signed_in_client(world.users["professional_advisor"])
    early = timezone.localdate(reviewed.review.started_at) - dt.timedelta(days=5)
    response = advisor.post(_review_url(reviewed.review, "add_action"), _form(
        reviewed, world, **{"due_on-day": str(early.day), "due_on-month": str(early.month),
                            "due_on-year": str(early.year)}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and 'href="#due_on-day"' in html
    assert "The due date must be on or after the day the review started" in html
    assert "Give every locum a structured induction" in html  # what was typed is kept
    assert not Action.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"factors": []}, "Select at least one factor this action answers"),
        ({"factors": ["999999"]}, "Select the factors from this review&#39;s list"),
        ({"owner_user": ""}, "Select who is accountable for this action, or name a team or person"),
        ({"owner_user": str(10**9)}, "Select the accountable person from the list"),
        ({"description": ""}, "Describe the action: what will change, and how"),
        ({"priority": ""}, "Select the priority of the action"),
        ({"due_on-day": "31", "due_on-month": "2"}, "must be a real date"),
    ],
)
def test_bad_input_on_the_add_page(world, reviewed, overrides, message):
    advisor = signed_in_client(world.users["professional_advisor"])
    response = advisor.post(_review_url(reviewed.review, "add_action"), _form(reviewed, world, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Action.objects.exists()


@pytest.mark.django_db
def test_the_owner_off_the_case_team_completes_with_evidence_and_a_second_person_assures(world, reviewed):
    action = _add(world, reviewed)
    owner = signed_in_client(world.users["panel_member"])  # owns the action, cannot open the case or review
    page = owner.get(_action_url(action)).content.decode()
    assert "Induct every locum" in page
    assert world.case.reference not in page and world.case.practitioner.full_name not in page
    assert owner.get(_review_url(reviewed.review)).status_code == 404
    done = _action_url(action, "move_action", to_status="done")
    refused = owner.post(done, {"version": action.version, "evidence": "  "})
    assert "Enter the evidence that the action was done" in refused.content.decode()
    action.refresh_from_db()
    assert action.status == "open"
    upload = owner.post(done, {
        "version": action.version, "evidence": "Induction pack in use; three locums inducted",
        "documents": [_file("pack.pdf", PDF)],
    })
    assert upload.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.completed_by) == ("done", world.users["panel_member"])
    document = action.evidence_documents.get()
    download = owner.get(_action_url(action, "download_evidence", evidence_id=document.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    # The case manager assures it; the page then shows who and why.
    manager = signed_in_client(world.users["case_manager"])
    assert manager.post(_action_url(action, "assure_action"),
                        {"version": action.version, "assurance_note": "Saw the induction records"}).status_code == 302
    page = manager.get(_action_url(action)).content.decode()
    assert "Assured by Case Manager" in page and "Saw the induction records" in page


def _file(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
def test_assurance_by_the_owner_is_refused_on_the_page_with_the_field_named(world, reviewed):
    action = _add(world, reviewed, owner="case_manager")
    action = services.action_move(actor=world.users["administrator"], action=action, expected_version=action.version,
                                  to_status="done", evidence="Done")
    manager = signed_in_client(world.users["case_manager"])
    page = manager.get(_action_url(action)).content.decode()
    assert "You own this action, so another case manager or an administrator must assure it" in page
    assert _action_url(action, "assure_action") not in page
    response = manager.post(_action_url(action, "assure_action"),
                            {"version": action.version, "assurance_note": "I checked my own work"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#assurance_note"' in html and "You are the owner of this action" in html
    assert "I checked my own work" in html
    action.refresh_from_db()
    assert action.assured_at is None


@pytest.mark.django_db
def test_evidence_of_one_action_is_not_reached_through_another(world, reviewed):
    first = _add(world, reviewed)
    second = _add(world, reviewed, owner="professional_advisor")
    services.action_add_evidence(actor=world.users["professional_advisor"], action=second,
                                 expected_version=second.version, evidence="Draft", files=[("a.pdf", PDF)])
    document = Document.objects.get()
    owner = signed_in_client(world.users["panel_member"])
    assert owner.get(_action_url(first, "download_evidence", evidence_id=document.pk)).status_code == 404
    assert owner.get(_action_url(second)).status_code == 404
    # Its own owner downloads it, until it is withdrawn from the case.
    advisor = signed_in_client(world.users["professional_advisor"])
    url = _action_url(second, "download_evidence", evidence_id=document.pk)
    response = advisor.get(url)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    from lotus.cases import services as case_services

    case_services.document_withdraw(actor=world.users["case_manager"], document=document, reason="Wrong file")
    assert advisor.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["analyst", "pastoral_contact", "off_team_case_manager", "other_org_administrator",
                                  "practitioner"])
def test_an_action_is_404_to_those_off_the_review_who_do_not_own_it(world, reviewed, role):
    action = _add(world, reviewed)
    assert signed_in_client(world.users[role]).get(_action_url(action)).status_code == 404


@pytest.mark.django_db
def test_the_actions_page_lists_what_each_person_may_see_with_filters(world, reviewed):
    mine = _add(world, reviewed, owner="panel_member")
    overdue = _add(world, reviewed, owner="case_manager", description="Review the rota", priority="low")
    Action.objects.filter(pk=overdue.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    other = make_review(world, case=world.other_team_case, manager="off_team_case_manager",
                        reviewer="off_team_case_manager")
    elsewhere = services.action_add(
        actor=world.users["off_team_case_manager"], review=other.review, description="Audit results handling",
        factor_ids=[other.problem_factor.pk], owner_user_id=None, owner_name="Practice team", owner_outside=False,
        priority="medium", due_on=timezone.localdate() + dt.timedelta(days=9),
    )

    def listed(role, query=""):
        html = signed_in_client(world.users[role]).get(reverse("learning:list_actions") + query).content.decode()
        return {a.description for a in (mine, overdue, elsewhere) if a.description in html}

    assert listed("administrator") == {"Induct every locum", "Review the rota", "Audit results handling"}
    assert listed("case_manager") == {"Induct every locum", "Review the rota"}
    assert listed("off_team_case_manager") == {"Audit results handling"}
    assert listed("panel_member") == {"Induct every locum"}  # their own only
    assert listed("administrator", "?overdue=on") == {"Review the rota"}
    assert listed("administrator", "?priority=medium") == {"Audit results handling"}
    assert listed("administrator", f"?owner={world.users['panel_member'].pk}") == {"Induct every locum"}
    assert listed("case_manager", "?mine=on") == {"Review the rota"}
    assert listed("administrator", "?status=done") == set()
    html = signed_in_client(world.users["case_manager"]).get(reverse("learning:list_actions")).content.decode()
    assert "Overdue" in html and world.case.reference in html
    # The panel member owns an action on a case they cannot open: its reference is not shown.
    html = signed_in_client(world.users["panel_member"]).get(reverse("learning:list_actions")).content.decode()
    assert world.case.reference not in html
    for role in ("analyst", "pastoral_contact", "practitioner"):
        assert signed_in_client(world.users[role]).get(reverse("learning:list_actions")).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_actions_page_makes_the_same_number_of_queries_for_3_or_20_actions(world, reviewed):
    admin = signed_in_client(world.users["administrator"])
    url = reverse("learning:list_actions")
    for _ in range(3):
        _add(world, reviewed)
    few = _queries(admin, url)
    for n in range(17):
        case = CaseFactory(organisation=world.organisation, owner=world.users["case_manager"],
                           team=[world.users["case_manager"]])
        other = make_review(world, case=case, reviewer="case_manager")
        _add(world, other, owner="professional_advisor", description=f"Action {n}")
    assert _queries(admin, url) == few


@pytest.mark.django_db
def test_an_analyst_with_another_role_still_reaches_only_what_the_other_role_allows(world, reviewed):
    person = UserFactory(organisation=world.organisation, full_name="Data Lead",
                         roles=(Role.ANALYST, Role.PROFESSIONAL_ADVISOR))
    TOTPDeviceFactory(user=person)
    action = _add(world, reviewed, owner=None)
    client = signed_in_client(person)
    assert client.get(_action_url(action)).status_code == 404
    assert "Induct every locum" not in client.get(reverse("learning:list_actions")).content.decode()
