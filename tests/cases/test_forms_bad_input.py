"""Bad input on every case form, through the real views (issue 2, "Bad input").

Each refused submission must give NHS-style messages (an error summary, page title starting
"Error: ", each summary link pointing at its field, the same message by the field), keep
what was typed, and save nothing. Also here: unknown or out-of-reach IDs, HTML and script
in text fields, and two people editing the same summary.

The page helpers at the top are shared with the upload and practitioner tests.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from lotus.accounts.roles import Role
from lotus.audit.models import AuditEvent
from lotus.cases import services
from lotus.cases.models import (
    Case,
    CaseReferenceCounter,
    CaseTeamMember,
    Document,
    Task,
    TimelineEvent,
)
from lotus.practitioners.models import EqualityMonitoring, Practitioner
from tests.conftest import signed_in_client
from tests.factories import CaseFactory, PractitionerFactory, TaskFactory, UserFactory

# --------------------------------------------------------------------------------------
# Reading pages


@dataclass
class Page:
    """What a test needs from a rendered page, read with the standard library's parser."""

    title: str = ""
    summary_title: str = ""
    summary: list = field(default_factory=list)  # (href, text) in the error summary
    errors: dict = field(default_factory=dict)  # field name -> message shown by the field
    ids: set = field(default_factory=set)
    inputs: dict = field(default_factory=dict)  # name -> value of text and hidden inputs
    checked: dict = field(default_factory=dict)  # name -> values of checked radios/checkboxes
    selected: dict = field(default_factory=dict)  # name -> values of selected options
    textareas: dict = field(default_factory=dict)  # name -> text
    scripts: list = field(default_factory=list)  # text and src of every <script>
    elements: list = field(default_factory=list)  # (tag, attributes) of every element
    h1: str = ""
    text: str = ""  # all visible text, whitespace collapsed


def _squash(text: str) -> str:
    return " ".join(text.split())


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._capture = None
        self._in_summary_list = False
        self._select = None
        self._in_script = False
        self._text = []

    def _start_capture(self, kind, tag, **extra):
        if self._capture is None:
            self._capture = {"kind": kind, "tag": tag, "parts": [], "depth": 1, **extra}

    def handle_starttag(self, tag, attrs):
        page = self.page
        attributes = dict(attrs)
        page.elements.append((tag, attributes))
        classes = (attributes.get("class") or "").split()
        if attributes.get("id"):
            page.ids.add(attributes["id"])
        capture = self._capture
        if capture is not None and capture["tag"] == tag:
            capture["depth"] += 1
        if tag == "title" and not page.title:
            self._start_capture("title", tag)
        elif tag == "h1" and not page.h1:
            self._start_capture("h1", tag)
        elif tag == "h2" and "nhsuk-error-summary__heading" in classes:
            self._start_capture("summary_title", tag)
        elif tag == "ul" and "nhsuk-error-summary__list" in classes:
            self._in_summary_list = True
        elif tag == "a" and self._in_summary_list:
            self._start_capture("summary_link", tag, href=attributes.get("href"))
        elif tag == "span" and "nhsuk-error-message" in classes:
            self._start_capture("error", tag, key=(attributes.get("id") or "").removesuffix("-error"))
        elif tag == "textarea":
            self._start_capture("textarea", tag, name=attributes.get("name"))
        elif tag == "script":
            self._in_script = True
            page.scripts.append(attributes.get("src") or "")
        elif tag == "select":
            self._select = attributes.get("name")
        elif tag == "option" and "selected" in attributes and self._select:
            page.selected.setdefault(self._select, []).append(attributes.get("value", ""))
        elif tag == "input":
            kind = (attributes.get("type") or "text").lower()
            name = attributes.get("name")
            if kind in ("radio", "checkbox"):
                if "checked" in attributes:
                    page.checked.setdefault(name, []).append(attributes.get("value", ""))
            elif kind not in ("submit", "button", "file") and name:
                page.inputs[name] = attributes.get("value", "")

    def handle_endtag(self, tag):
        page = self.page
        if tag == "ul":
            self._in_summary_list = False
        elif tag == "select":
            self._select = None
        elif tag == "script":
            self._in_script = False
        capture = self._capture
        if capture is None or capture["tag"] != tag:
            return
        capture["depth"] -= 1
        if capture["depth"]:
            return
        self._capture = None
        raw = "".join(capture["parts"])
        text = _squash(raw)
        match capture["kind"]:
            case "title":
                page.title = text
            case "h1":
                page.h1 = text
            case "summary_title":
                page.summary_title = text
            case "summary_link":
                page.summary.append((capture["href"], text))
            case "error":
                page.errors[capture["key"]] = text.removeprefix("Error:").strip()
            case "textarea":
                page.textareas[capture["name"]] = raw

    def handle_data(self, data):
        if self._capture is not None:
            self._capture["parts"].append(data)
        if self._in_script:
            self.page.scripts[-1] += data
        else:
            self._text.append(data)

    def close(self):
        super().close()
        self.page.text = _squash(" ".join(self._text))


def read_page(response) -> Page:
    parser = _PageParser()
    parser.feed(response.content.decode())
    parser.close()
    return parser.page


DATE_FIELDS = {"received_on", "due_on"}


def anchor(name: str) -> str:
    return f"#{name}-day" if name in DATE_FIELDS else f"#{name}"


def assert_form_errors(response, expected: dict[str, str]) -> Page:
    """The page is the form again, with exactly these errors, in the NHS.UK pattern."""
    assert response.status_code == 200, response.status_code
    page = read_page(response)
    assert page.title.startswith("Error: "), page.title
    assert page.summary_title == "There is a problem"
    assert page.summary == [(anchor(name), message) for name, message in expected.items()]
    for href, _ in page.summary:
        assert href.removeprefix("#") in page.ids, f"the summary link {href} points at nothing"
    assert page.errors == expected
    return page


def error_messages(response) -> dict[str, str]:
    """The messages shown by each field, for tests that check their wording loosely."""
    page = read_page(response)
    assert response.status_code == 200
    assert page.title.startswith("Error: ")
    return page.errors


def assert_not_found(response) -> None:
    """The NHS-style 404 page: our layout, our words, nothing about the record."""
    assert response.status_code == 404
    page = read_page(response)
    assert page.title == "Page not found – LOTUS"
    assert page.h1 == "Page not found"
    assert any("nhsuk-header" in (attrs.get("class") or "").split() for _, attrs in page.elements)


def snapshot() -> dict:
    """Every row a form could write, so a test can prove nothing was saved."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (
                Case,
                CaseReferenceCounter,
                CaseTeamMember,
                TimelineEvent,
                Document,
                Task,
                Practitioner,
                EqualityMonitoring,
                AuditEvent,
            )
        },
        "cases": list(Case.objects.order_by("pk").values_list("pk", "summary", "status", "version")),
        "counters": list(CaseReferenceCounter.objects.order_by("pk").values_list("pk", "last_number")),
        "tasks": list(Task.objects.order_by("pk").values_list("pk", "title", "done_at")),
        "documents": list(Document.objects.order_by("pk").values_list("pk", "withdrawn_at", "withdrawn_reason")),
        "equality": list(
            EqualityMonitoring.objects.order_by("pk").values_list(
                "pk", "ethnic_category", "sex", "qualification_country", "disability"
            )
        ),
    }


def date_parts(prefix: str, day, month, year) -> dict[str, str]:
    return {f"{prefix}-day": str(day), f"{prefix}-month": str(month), f"{prefix}-year": str(year)}


# --------------------------------------------------------------------------------------
# Open a case

OPEN_URL = "/cases/open/"
EMPTY_OPEN = {"practitioner": "", **date_parts("received_on", "", "", ""), "summary": "", "owner": ""}


def open_data(world, **changes) -> dict:
    data = {
        "practitioner": str(world.practitioner.pk),
        **date_parts("received_on", 3, 6, 2025),
        "source": "incident",
        "categories": ["conduct", "probity"],
        "summary": "Typed by the case manager: <kept> & not lost",
        "owner": str(world.users["case_manager"].pk),
    }
    data.update(changes)
    return data


def assert_open_form_kept(page: Page, data: dict) -> None:
    assert page.selected.get("practitioner") == [data["practitioner"]]
    for part in ("day", "month", "year"):
        assert page.inputs[f"received_on-{part}"] == data[f"received_on-{part}"]
    assert page.checked.get("source") == [data["source"]]
    assert page.checked.get("categories") == data["categories"]
    assert page.textareas["summary"] == data["summary"]
    assert page.selected.get("owner") == [data["owner"]]


@pytest.mark.django_db
def test_open_case_with_nothing_filled_in_names_every_field(world, client_for):
    before = snapshot()
    response = client_for("case_manager").post(OPEN_URL, EMPTY_OPEN)
    assert_form_errors(
        response,
        {
            "practitioner": "Select the practitioner the concern is about",
            "received_on": "Enter the date the concern was received",
            "source": "Select where the concern came from",
            "categories": "Select what the concern is about",
            "summary": "Enter a summary of the concern",
            "owner": "Select the case manager who owns the case",
        },
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "3", "2025", "The date the concern was received must include a day"),
        ("1", "", "2025", "The date the concern was received must include a month"),
        ("1", "3", "", "The date the concern was received must include a year"),
        ("31", "2", "2025", "The date the concern was received must be a real date, for example 27 3 2026"),
        ("1", "13", "2025", "The date the concern was received must be a real date, for example 27 3 2026"),
        ("one", "3", "2025", "The date the concern was received must be a real date, for example 27 3 2026"),
        ("1", "3", "25", "The date the concern was received must be a real date, for example 27 3 2026"),
        # Too big for the C date type underneath: refused like any other impossible date.
        ("2147483648", "1", "2025", "The date the concern was received must be a real date, for example 27 3 2026"),
        ("1", "99999999999999999999", "2025",
         "The date the concern was received must be a real date, for example 27 3 2026"),
    ],
)
@pytest.mark.django_db
def test_open_case_with_a_malformed_date_keeps_everything_typed(world, client_for, day, month, year, message):
    data = open_data(world, **date_parts("received_on", day, month, year))
    before = snapshot()
    response = client_for("case_manager").post(OPEN_URL, data)
    page = assert_form_errors(response, {"received_on": message})
    assert_open_form_kept(page, data)
    assert snapshot() == before


@pytest.mark.django_db
def test_open_case_refuses_a_received_date_in_the_future(world, client_for):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = open_data(world, **date_parts("received_on", tomorrow.day, tomorrow.month, tomorrow.year))
    before = snapshot()
    response = client_for("case_manager").post(OPEN_URL, data)
    page = assert_form_errors(
        response, {"received_on": "The date the concern was received must be today or in the past"}
    )
    assert_open_form_kept(page, data)
    assert snapshot() == before


@pytest.mark.django_db
def test_open_case_accepts_today_as_the_received_date(world, client_for):
    """The boundary of the future-date rule: today is allowed."""
    # A fresh organisation, so the reference counter cannot meet the factory's references.
    case_manager = UserFactory(roles=(Role.CASE_MANAGER,))
    practitioner = PractitionerFactory(organisation=case_manager.organisation)
    today = timezone.localdate()
    data = open_data(
        world,
        practitioner=str(practitioner.pk),
        owner=str(case_manager.pk),
        **date_parts("received_on", today.day, today.month, today.year),
    )
    response = signed_in_client(case_manager).post(OPEN_URL, data)
    assert response.status_code == 302
    case = Case.objects.get(organisation=case_manager.organisation)
    assert case.received_on == today


@pytest.mark.django_db
def test_open_case_refuses_choices_from_outside_the_lists(world, client_for):
    """A tampered form: a practitioner of another organisation, an owner who is no case manager."""
    outsider = PractitionerFactory(organisation=world.other_organisation)
    data = open_data(world, practitioner=str(outsider.pk), owner=str(world.users["panel_member"].pk))
    before = snapshot()
    response = client_for("case_manager").post(OPEN_URL, data)
    page = assert_form_errors(
        response,
        {"practitioner": "Select an option from the list", "owner": "Select an option from the list"},
    )
    assert page.textareas["summary"] == data["summary"]
    assert page.checked.get("categories") == data["categories"]
    assert snapshot() == before


@pytest.mark.django_db
def test_open_case_with_a_blank_summary_is_refused(world, client_for):
    data = open_data(world, summary="   \r\n  ")
    before = snapshot()
    response = client_for("case_manager").post(OPEN_URL, data)
    page = assert_form_errors(response, {"summary": "Enter a summary of the concern"})
    assert page.checked.get("source") == ["incident"]
    assert snapshot() == before


# --------------------------------------------------------------------------------------
# Edit the summary


def summary_url(case) -> str:
    return f"/cases/{case.pk}/summary/"


@pytest.mark.parametrize("typed", ["", "   \n\t  "])
@pytest.mark.django_db
def test_edit_summary_refuses_an_empty_summary(world, client_for, typed):
    before = snapshot()
    response = client_for("case_manager").post(summary_url(world.case), {"summary": typed, "version": "1"})
    page = assert_form_errors(response, {"summary": "Enter a summary of the concern"})
    assert page.inputs["version"] == "1"
    assert snapshot() == before


@pytest.mark.django_db
def test_edit_summary_without_its_version_saves_nothing(world, client_for):
    """A tampered form that drops the hidden version is refused, not saved blind."""
    before = snapshot()
    response = client_for("case_manager").post(summary_url(world.case), {"summary": "A blind overwrite"})
    assert response.status_code == 200
    page = read_page(response)
    assert page.title.startswith("Error: ")
    assert page.textareas["summary"] == "A blind overwrite"
    assert snapshot() == before


# --------------------------------------------------------------------------------------
# Change the status


def status_url(case) -> str:
    return f"/cases/{case.pk}/status/"


@pytest.mark.django_db
def test_change_status_with_nothing_chosen(world, client_for):
    before = snapshot()
    response = client_for("case_manager").post(status_url(world.case), {"from_status": "received", "reason": ""})
    assert_form_errors(
        response, {"target": "Select what happens now", "reason": "Enter the reason for this change"}
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_change_status_to_a_move_not_offered_is_refused_and_keeps_the_reason(world, client_for):
    before = snapshot()
    reason = "Typed reason <kept> after a refused move"
    response = client_for("case_manager").post(
        status_url(world.case), {"from_status": "received", "target": "closed", "reason": reason}
    )
    page = assert_form_errors(response, {"target": "Select one of the options"})
    assert page.textareas["reason"] == reason
    assert snapshot() == before


@pytest.mark.django_db
def test_change_status_with_a_blank_reason_keeps_the_choice(world, client_for):
    before = snapshot()
    response = client_for("case_manager").post(
        status_url(world.case), {"from_status": "received", "target": "triage", "reason": "  \n "}
    )
    page = assert_form_errors(response, {"reason": "Enter the reason for this change"})
    assert page.checked.get("target") == ["triage"]
    assert snapshot() == before


@pytest.mark.django_db
def test_second_status_change_from_an_old_page_is_told_the_status_changed(world, client_for):
    first, second = client_for("case_manager"), client_for("administrator")
    url = status_url(world.case)
    assert read_page(second.get(url)).inputs["from_status"] == "received"
    response = first.post(url, {"from_status": "received", "target": "triage", "reason": "Clear enough to triage"})
    assert response.status_code == 302
    before = snapshot()
    reason = "Withdrawn by the person who raised it"
    response = second.post(url, {"from_status": "received", "target": "withdrawn", "reason": reason})
    assert response.status_code == 200
    page = read_page(response)
    assert page.title.startswith("Error: ")
    assert page.summary == [
        (
            "#maincontent",
            "Someone else changed the status of this case while you were on this page. "
            "Go back to the case to see its current status, then try again",
        )
    ]
    assert "maincontent" in page.ids
    assert page.textareas["reason"] == reason
    assert snapshot() == before
    world.case.refresh_from_db()
    assert world.case.status == "triage"


# --------------------------------------------------------------------------------------
# Withdraw a document


@pytest.fixture
def document(world, settings, tmp_path):
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    return services.document_upload(
        actor=world.users["case_manager"],
        case=world.case,
        title="Statement from the practice manager",
        file_name="statement.txt",
        data=b"A fictional statement.\n",
    )


def withdraw_url(document) -> str:
    return f"/cases/{document.case_id}/documents/{document.pk}/withdraw/"


@pytest.mark.parametrize("typed", ["", "  \r\n "])
@pytest.mark.django_db
def test_withdraw_document_needs_a_reason(world, client_for, document, typed):
    before = snapshot()
    response = client_for("case_manager").post(withdraw_url(document), {"reason": typed})
    assert_form_errors(response, {"reason": "Enter the reason for withdrawing the document"})
    assert snapshot() == before
    document.refresh_from_db()
    assert not document.is_withdrawn


@pytest.mark.django_db
def test_a_withdrawn_document_cannot_be_withdrawn_again(world, client_for, document):
    services.document_withdraw(actor=world.users["case_manager"], document=document, reason="Sent in error")
    before = snapshot()
    response = client_for("case_manager").post(withdraw_url(document), {"reason": "A second reason"})
    assert_not_found(response)
    after = snapshot()
    assert after["counts"].pop("AuditEvent") == before["counts"].pop("AuditEvent") + 1
    assert after == before
    assert AuditEvent.objects.last().action == "access denied"
    document.refresh_from_db()
    assert document.withdrawn_reason == "Sent in error"


# --------------------------------------------------------------------------------------
# Add a task


def task_url(case) -> str:
    return f"/cases/{case.pk}/tasks/add/"


@pytest.mark.django_db
def test_add_task_with_nothing_filled_in(world, client_for):
    before = snapshot()
    response = client_for("case_manager").post(
        task_url(world.case), {"title": "", "owner": "", **date_parts("due_on", "", "", "")}
    )
    assert_form_errors(
        response,
        {"title": "Enter the task", "owner": "Select who will do the task", "due_on": "Enter the due date"},
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_add_task_with_malformed_fields_keeps_what_was_typed(world, client_for):
    data = {
        "title": "Ask for the rota <for March>",
        "owner": str(world.users["off_team_case_manager"].pk),  # not on this case's team
        **date_parts("due_on", "30", "2", "2027"),
    }
    before = snapshot()
    response = client_for("case_manager").post(task_url(world.case), data)
    page = assert_form_errors(
        response,
        {
            "owner": "Select a person from the list",
            "due_on": "The due date must be a real date, for example 27 3 2026",
        },
    )
    assert page.inputs["title"] == data["title"]
    assert page.inputs["due_on-day"] == "30"
    assert page.inputs["due_on-month"] == "2"
    assert page.inputs["due_on-year"] == "2027"
    assert snapshot() == before


@pytest.mark.django_db
def test_add_task_with_a_blank_title_keeps_the_owner_and_date(world, client_for):
    owner = world.users["professional_advisor"]
    before = snapshot()
    response = client_for("case_manager").post(
        task_url(world.case), {"title": "   ", "owner": str(owner.pk), **date_parts("due_on", 1, 12, 2027)}
    )
    page = assert_form_errors(response, {"title": "Enter the task"})
    assert page.selected.get("owner") == [str(owner.pk)]
    assert (page.inputs["due_on-day"], page.inputs["due_on-month"], page.inputs["due_on-year"]) == ("1", "12", "2027")
    assert snapshot() == before


@pytest.mark.django_db
def test_add_task_missing_part_of_the_due_date(world, client_for):
    before = snapshot()
    response = client_for("case_manager").post(
        task_url(world.case),
        {"title": "Book the panel room", "owner": str(world.users["case_manager"].pk), **date_parts("due_on", 4, "", 2027)},
    )
    page = assert_form_errors(response, {"due_on": "The due date must include a month"})
    assert page.inputs["title"] == "Book the panel room"
    assert snapshot() == before


# --------------------------------------------------------------------------------------
# Add a team member


def team_url(case) -> str:
    return f"/cases/{case.pk}/team/add/"


@pytest.mark.django_db
def test_add_team_member_with_no_one_chosen(world, client_for):
    before = snapshot()
    response = client_for("case_manager").post(team_url(world.case), {"member": ""})
    assert_form_errors(response, {"member": "Select the person to add"})
    assert snapshot() == before


@pytest.mark.parametrize(
    "who", ["panel_member", "other_org_administrator", "analyst", "practitioner", "not-a-number"]
)
@pytest.mark.django_db
def test_add_team_member_refuses_people_not_offered(world, client_for, who):
    """Already on the team, another organisation, no case role, or a made-up value."""
    value = str(world.users[who].pk) if who in world.users else who
    before = snapshot()
    response = client_for("case_manager").post(team_url(world.case), {"member": value})
    assert_form_errors(response, {"member": "Select a person from the list"})
    assert snapshot() == before


# --------------------------------------------------------------------------------------
# Messages that are not yet in NHS style


def _long_text_cases():
    """(role, url builder, data builder, field): one field over its limit on every form."""
    return [
        ("open summary", "case_manager", lambda w: OPEN_URL, lambda w: open_data(w, summary="x" * 10001), "summary"),
        ("edit summary", "case_manager", lambda w: summary_url(w.case), lambda w: {"summary": "x" * 10001, "version": "1"}, "summary"),
        ("status reason", "case_manager", lambda w: status_url(w.case), lambda w: {"from_status": "received", "target": "triage", "reason": "x" * 4001}, "reason"),
        ("task title", "case_manager", lambda w: task_url(w.case),
         lambda w: {"title": "x" * 201, "owner": str(w.users["case_manager"].pk), **date_parts("due_on", 1, 12, 2027)}, "title"),
    ]


@pytest.mark.parametrize(("what", "role", "url", "data", "name"), _long_text_cases(), ids=[c[0] for c in _long_text_cases()])
@pytest.mark.django_db
def test_over_long_text_gets_an_nhs_style_message(world, client_for, what, role, url, data, name):
    sent = data(world)
    before = snapshot()
    response = client_for(role).post(url(world), sent)
    message = error_messages(response)[name]
    assert snapshot() == before
    assert not message.startswith("Ensure this value")
    assert re.search(r"must be [\d,]+ characters or fewer", message), message


@pytest.mark.parametrize(
    ("name", "value"), [("source", "rumour"), ("categories", ["clinical", "gossip"])], ids=["source", "categories"]
)
@pytest.mark.django_db
def test_open_case_choice_not_offered_gets_an_nhs_style_message(world, client_for, name, value):
    before = snapshot()
    response = client_for("case_manager").post(OPEN_URL, open_data(world, **{name: value}))
    message = error_messages(response)[name]
    assert snapshot() == before
    assert message.startswith("Select ")
    assert "valid choice" not in message
    assert "gossip" not in message and "rumour" not in message


@pytest.mark.django_db
def test_the_longest_allowed_task_title_is_accepted(world, client_for):
    title = "T" * 200
    response = client_for("case_manager").post(
        task_url(world.case),
        {"title": title, "owner": str(world.users["case_manager"].pk), **date_parts("due_on", 1, 12, 2027)},
    )
    assert response.status_code == 302
    assert Task.objects.get(case=world.case, title=title)
    longest = TimelineEvent._meta.get_field("title").max_length
    assert all(len(t) <= longest for t in TimelineEvent.objects.values_list("title", flat=True))


# --------------------------------------------------------------------------------------
# Unknown and out-of-reach IDs

CASE_PAGES = ["", "summary/", "status/", "team/add/", "documents/upload/", "tasks/add/"]
MISSING_ID = 987654


def denials(object_type: str, object_id) -> int:
    return AuditEvent.objects.filter(action="access denied", object_type=object_type, object_id=str(object_id)).count()


@pytest.mark.parametrize("page", CASE_PAGES, ids=[p or "case" for p in CASE_PAGES])
@pytest.mark.parametrize("which", ["unknown", "other_team_case", "other_org_case"])
@pytest.mark.django_db
def test_unknown_or_out_of_reach_case_is_an_audited_404(world, client_for, page, which):
    case_id = MISSING_ID if which == "unknown" else getattr(world, which).pk
    user = world.users["case_manager"]
    response = client_for("case_manager").get(f"/cases/{case_id}/{page}")
    assert_not_found(response)
    event = AuditEvent.objects.filter(action="access denied").last()
    assert (event.object_type, event.object_id, event.actor_id) == ("case", str(case_id), user.pk)
    assert event.details["route"] == f"/cases/{case_id}/{page}"
    if which != "unknown":
        assert getattr(world, which).reference not in response.content.decode()


@pytest.mark.parametrize("page", CASE_PAGES[1:])
@pytest.mark.django_db
def test_posting_to_an_out_of_reach_case_is_an_audited_404_and_changes_nothing(world, client_for, page):
    before = snapshot()
    response = client_for("off_team_case_manager").post(
        f"/cases/{world.case.pk}/{page}", {"summary": "Overwritten", "version": "1", "reason": "x", "target": "triage"}
    )
    assert_not_found(response)
    after = snapshot()
    assert after["counts"].pop("AuditEvent") == before["counts"].pop("AuditEvent") + 1
    assert after == before
    assert denials("case", world.case.pk) == 1


@pytest.mark.django_db
def test_unknown_task_is_an_audited_404(world, client_for):
    before = Task.objects.count()
    response = client_for("case_manager").post(f"/cases/{world.case.pk}/tasks/{MISSING_ID}/done/")
    assert_not_found(response)
    assert denials("task", MISSING_ID) == 1
    assert Task.objects.count() == before


@pytest.mark.django_db
def test_task_of_another_case_cannot_be_reached_through_this_case(world, client_for):
    """The off-team manager's task, asked for through a case the asker can see."""
    foreign = TaskFactory(case=world.other_team_case)
    response = client_for("case_manager").post(f"/cases/{world.case.pk}/tasks/{foreign.pk}/done/")
    assert_not_found(response)
    assert denials("task", foreign.pk) == 1
    foreign.refresh_from_db()
    assert foreign.done_at is None


@pytest.mark.django_db
def test_task_on_an_out_of_reach_case_is_an_audited_404(world, client_for):
    task = TaskFactory(case=world.case)
    response = client_for("off_team_case_manager").post(f"/cases/{world.case.pk}/tasks/{task.pk}/done/")
    assert_not_found(response)
    assert denials("case", world.case.pk) == 1
    task.refresh_from_db()
    assert task.done_at is None


# --------------------------------------------------------------------------------------
# HTML and script typed into text fields

def payload(where: str) -> str:
    return f'<script>alert("lotus-xss-{where}")</script><img src=x onerror="alert(\'lotus-xss-{where}\')">'


def assert_shown_as_text(response, *payloads: str) -> None:
    assert response.status_code == 200
    page = read_page(response)
    for source in page.scripts:
        assert "lotus-xss" not in source, "a typed script became part of the page"
    for tag, attributes in page.elements:
        assert not any(name.startswith("on") for name in attributes), f"<{tag}> carries an event handler"
        assert not (tag == "img" and attributes.get("src") == "x"), "a typed image tag became an element"
    raw = response.content.decode()
    for typed in payloads:
        assert typed in page.text, f"{typed!r} is not shown as text"
        assert typed not in raw
    assert "&lt;script&gt;alert(" in raw


@pytest.mark.django_db
def test_html_and_script_in_text_fields_are_shown_as_text(world, client_for, settings, tmp_path):
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    manager = client_for("case_manager")

    response = manager.post(
        "/practitioners/add/",
        {
            "full_name": payload("name"),
            "profession": "medical",
            "regulator": "GMC",
            "registration_number": "7654321",
            "contract_context": "locum",
            "place_of_work": payload("place"),
        },
        follow=True,
    )
    assert_shown_as_text(response, payload("name"), payload("place"))
    practitioner = Practitioner.objects.get(registration_number="7654321")
    assert practitioner.full_name == payload("name")

    response = manager.post(
        OPEN_URL,
        open_data(world, practitioner=str(practitioner.pk), summary=payload("summary")),
    )
    assert response.status_code == 302
    case = Case.objects.get(practitioner=practitioner)

    response = manager.post(
        task_url(case),
        {"title": payload("task"), "owner": str(world.users["case_manager"].pk), **date_parts("due_on", 1, 12, 2027)},
    )
    assert response.status_code == 302
    task = Task.objects.get(case=case)

    response = manager.post(
        f"/cases/{case.pk}/documents/upload/",
        {"title": payload("document"), "file": _named_file("notes.txt", b"Fictional notes\n")},
    )
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    response = manager.post(withdraw_url(document), {"reason": payload("reason")})
    assert response.status_code == 302

    response = manager.post(f"/cases/{case.pk}/tasks/{task.pk}/done/", follow=True)
    typed = [payload(w) for w in ("name", "place", "summary", "task", "document", "reason")]
    assert_shown_as_text(response, *typed)  # the case page, with "Task marked as done: …"
    assert_shown_as_text(client_for("administrator").get(f"/cases/{case.pk}/"), *typed)
    assert_shown_as_text(manager.get(f"/cases/{case.pk}/summary/"), payload("summary"))
    assert_shown_as_text(manager.get("/practitioners/"), payload("name"), payload("place"))


@pytest.mark.django_db
def test_html_typed_into_a_refused_form_is_shown_back_as_text(world, client_for):
    typed = payload("refused")
    response = client_for("case_manager").post(OPEN_URL, open_data(world, summary=typed, practitioner=""))
    assert_shown_as_text(response, typed)
    assert read_page(response).textareas["summary"] == typed


def _named_file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


# --------------------------------------------------------------------------------------
# Two people editing the same summary


@pytest.mark.django_db
def test_second_save_of_the_same_summary_is_told_the_record_changed(world, client_for):
    first, second = client_for("case_manager"), client_for("administrator")
    url = summary_url(world.case)
    assert read_page(first.get(url)).inputs["version"] == "1"
    assert read_page(second.get(url)).inputs["version"] == "1"

    assert first.post(url, {"summary": "The first person's summary", "version": "1"}).status_code == 302
    before = snapshot()

    theirs = "The second person's summary, typed\nover two lines <with care>"
    response = second.post(url, {"summary": theirs, "version": "1"})
    page = assert_form_errors(
        response,
        {
            "summary": "Someone else changed this summary after you opened it. Your text is below: "
            "compare it with the current summary, then save again"
        },
    )
    assert page.textareas["summary"] == theirs  # kept for re-applying
    assert "The first person's summary" in page.text  # the summary as it is now, to compare
    assert page.inputs["version"] == "2"  # saving again now means "I have seen the change"
    assert snapshot() == before  # nothing overwritten, nothing recorded
    world.case.refresh_from_db()
    assert world.case.summary == "The first person's summary"
    assert TimelineEvent.objects.filter(case=world.case, kind="summary").count() == 1

    assert second.post(url, {"summary": theirs, "version": page.inputs["version"]}).status_code == 302
    world.case.refresh_from_db()
    assert world.case.summary == theirs
    assert world.case.version == 3


@pytest.mark.django_db
def test_a_stale_save_after_two_other_saves_is_still_caught(world, client_for):
    url = summary_url(world.case)
    for n, version in ((1, 1), (2, 2)):
        assert client_for("case_manager").post(url, {"summary": f"Save {n}", "version": str(version)}).status_code == 302
    before = snapshot()
    response = client_for("administrator").post(url, {"summary": "Out of date", "version": "2"})
    page = read_page(response)
    assert page.errors["summary"].startswith("Someone else changed this summary")
    assert page.inputs["version"] == "3"
    assert snapshot() == before


@pytest.mark.django_db
def test_closed_case_summary_cannot_be_changed(world, client_for):
    closed = CaseFactory(organisation=world.organisation, closed=True, owner=world.users["case_manager"],
                         practitioner=world.practitioner, team=[world.users["case_manager"]])
    before = snapshot()
    client = client_for("case_manager")
    response = client.post(summary_url(closed), {"summary": "A change after closing", "version": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{closed.pk}/"
    assert snapshot() == before
    page = read_page(client.get(response["Location"]))
    assert f"Case {closed.reference} is closed, so it cannot be changed" in page.text
