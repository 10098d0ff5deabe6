"""Learning summaries and the library through the pages: written from the review page,
refused on approval with the place named while they identify the practitioner, approved
by a second person, then read and searched by every member of staff (analysts too), with
a monthly bulletin to print or download; anything not approved is 404 in the library."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lotus.learning.models import LearningSummary
from lotus.learning.services import sharing
from tests.conftest import signed_in_client
from tests.learning.action_fixtures import approve_review, make_review


@pytest.fixture
def approved(world):
    reviewed = make_review(world)
    approve_review(world, reviewed.review)
    return reviewed


def _url(review, name):
    return reverse(f"learning:{name}", kwargs={"case_id": review.case_id, "review_id": review.pk})


def _form(reviewed, **overrides):
    today = timezone.localdate()
    data = {
        "title": "Inducting locums to the results system", "month": str(today.month), "year": str(today.year),
        "profession": "medical",
        "what_happened": "Abnormal results waited a week while a locum covered a busy clinic.",
        "what_was_learnt": "Locums had no induction to the results system and worked in isolation.",
        "what_changed": "Every locum now has a structured induction on their first day.",
        "factors": [str(reviewed.problem_factor.factor_id)],
    }
    data.update(overrides)
    return data


def _written(world, reviewed, actor="case_manager", **overrides):
    data = _form(reviewed, **overrides)
    return sharing.summary_write(
        actor=world.users[actor], review=reviewed.review, title=data["title"],
        month=dt.date(int(data["year"]), int(data["month"]), 1), profession=data["profession"],
        what_happened=data["what_happened"], what_was_learnt=data["what_was_learnt"],
        what_changed=data["what_changed"], factor_ids=[int(pk) for pk in data["factors"]],
    )


def _shared(world, reviewed, **overrides):
    summary = _written(world, reviewed, **overrides)
    return sharing.summary_approve(actor=world.users["administrator"], summary=summary,
                                   expected_version=summary.version)


@pytest.mark.django_db
def test_written_from_the_review_page_and_approved_into_the_library(world, approved):
    manager = signed_in_client(world.users["case_manager"])
    review_page = manager.get(_url(approved.review, "show_review")).content.decode()
    write = _url(approved.review, "write_learning_summary")
    assert "Learning summary for the library" in review_page and write in review_page
    response = manager.post(write, _form(approved))
    assert response.status_code == 302 and response["Location"].endswith("#learning-summary")
    summary = LearningSummary.objects.get()
    assert summary.month == timezone.localdate().replace(day=1)
    # The writer is not offered approval; a second person approves it.
    assert _url(approved.review, "approve_learning_summary") not in manager.get(
        _url(approved.review, "show_review")).content.decode()
    admin = signed_in_client(world.users["administrator"])
    approve = _url(approved.review, "approve_learning_summary")
    refused = admin.post(approve, {"version": summary.version})
    assert "Confirm you have read the summary" in refused.content.decode()
    assert admin.post(approve, {"version": summary.version, "checked": ["yes"]}).status_code == 302
    summary.refresh_from_db()
    assert summary.status == "approved"
    library = signed_in_client(world.users["analyst"]).get(reverse("learning:library")).content.decode()
    assert "Inducting locums to the results system" in library


@pytest.mark.django_db
def test_approval_refused_on_the_page_with_the_place_named(world, approved):
    name = world.case.practitioner.full_name
    summary = _written(world, approved, what_happened=f"{name} did not see results on 3 March.",
                       title=f"Learning from {world.case.reference}")
    admin = signed_in_client(world.users["administrator"])
    approve = _url(approved.review, "approve_learning_summary")
    page = admin.get(approve).content.decode()
    assert "Still to take out" in page and name in page  # warned before trying
    html = admin.post(approve, {"version": summary.version, "checked": ["yes"]}).content.decode()
    assert "There is a problem" in html
    assert "What happened still has the practitioner&#39;s name" in html
    assert "a date closer than the month (&#34;3 March&#34;)" in html
    assert "The title still has the case reference or registration number" in html
    summary.refresh_from_db()
    assert summary.status == "draft"
    assert signed_in_client(world.users["analyst"]).get(
        reverse("learning:show_library_summary", args=[summary.pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title for the summary"),
        ({"month": ""}, "Select the month the learning belongs to"),
        ({"month": "13"}, "Select the month the learning belongs to from the options given"),
        ({"year": "twenty"}, "The year must be a number, for example 2026"),
        ({"what_happened": ""}, "Enter what happened, in general terms"),
        ({"what_was_learnt": ""}, "Enter what was learnt"),
        ({"factors": ["999999"]}, "Select the factors from those this review found"),
        ({"profession": "astronaut"}, "Select the profession (optional) from the options given"),
    ],
)
def test_bad_input_on_the_summary_page_names_the_field_and_saves_nothing(world, approved, overrides, message):
    response = signed_in_client(world.users["case_manager"]).post(
        _url(approved.review, "write_learning_summary"), _form(approved, **overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html, html[html.find("There is a problem"):][:600]
    assert "Abnormal results waited a week" in html or overrides.get("what_happened") == ""
    assert not LearningSummary.objects.exists()


@pytest.mark.django_db
def test_a_future_month_is_refused(world, approved):
    today = timezone.localdate()
    response = signed_in_client(world.users["case_manager"]).post(
        _url(approved.review, "write_learning_summary"), _form(approved, year=str(today.year + 1)))
    assert "The month must be this month or in the past" in response.content.decode()
    assert not LearningSummary.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["administrator", "case_manager", "professional_advisor", "panel_member",
                                  "pastoral_contact", "analyst", "off_team_case_manager"])
def test_every_member_of_staff_reads_and_searches_the_library(world, approved, role):
    summary = _shared(world, approved)
    client = signed_in_client(world.users[role])
    assert "Inducting locums" in client.get(reverse("learning:library") + "?q=induction").content.decode()
    assert "Inducting locums" not in client.get(reverse("learning:library") + "?q=dentistry").content.decode()
    page = client.get(reverse("learning:show_library_summary", args=[summary.pk])).content.decode()
    assert "Every locum now has a structured induction" in page
    assert world.case.reference not in page and world.case.practitioner.full_name not in page


@pytest.mark.django_db
def test_the_library_filters_by_category_profession_and_year(world, approved):
    _shared(world, approved)
    client = signed_in_client(world.users["analyst"])

    def found(query):
        return "Inducting locums" in client.get(reverse("learning:library") + query).content.decode()

    category = approved.problem_factor.factor.category.code
    assert found(f"?category={category}") and not found("?category=team")
    assert found("?profession=medical") and not found("?profession=dental")
    assert found(f"?year={timezone.localdate().year}")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["practitioner", "other_org_administrator", "anonymous"])
def test_the_library_is_not_for_practitioners_or_other_organisations(world, approved, role):
    from django.test import Client

    summary = _shared(world, approved)
    client = Client() if role == "anonymous" else signed_in_client(world.users[role])
    url = reverse("learning:show_library_summary", args=[summary.pk])
    assert client.get(url).status_code == (302 if role == "anonymous" else 404)
    library = client.get(reverse("learning:library"))
    if role == "practitioner":
        assert library.status_code == 404
    elif role == "other_org_administrator":  # their own organisation's library, without this summary
        assert library.status_code == 200 and summary.title not in library.content.decode()


@pytest.mark.django_db
def test_an_analyst_gets_404_for_the_review_the_case_and_a_summary_not_yet_approved(world, approved):
    summary = _written(world, approved)
    analyst = signed_in_client(world.users["analyst"])
    assert analyst.get(_url(approved.review, "show_review")).status_code == 404
    assert analyst.get(reverse("cases:show_case", args=[world.case.pk])).status_code == 404
    assert analyst.get(_url(approved.review, "write_learning_summary")).status_code == 404
    assert analyst.get(reverse("learning:show_library_summary", args=[summary.pk])).status_code == 404
    shared = sharing.summary_approve(actor=world.users["administrator"], summary=summary,
                                     expected_version=summary.version)
    assert analyst.get(reverse("learning:show_library_summary", args=[shared.pk])).status_code == 200
    withdrawn = sharing.summary_withdraw(actor=world.users["case_manager"], summary=shared,
                                         expected_version=shared.version, reason="Asked to")
    assert analyst.get(reverse("learning:show_library_summary", args=[withdrawn.pk])).status_code == 404


@pytest.mark.django_db
def test_the_monthly_bulletin_prints_and_downloads_as_pdf(world, approved):
    summary = _shared(world, approved)
    today = timezone.localdate()
    client = signed_in_client(world.users["pastoral_contact"])
    page = client.get(reverse("learning:print_bulletin", args=[today.year, today.month])).content.decode()
    assert f"Learning bulletin: {today:%B} {today.year}" in page
    assert summary.title in page and "Factors this month" in page
    assert approved.problem_factor.factor.title in page
    pdf = client.get(reverse("learning:bulletin_pdf", args=[today.year, today.month]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    empty = client.get(reverse("learning:print_bulletin", args=[2020, 1])).content.decode()
    assert "No learning summaries were shared this month" in empty
    assert client.get(reverse("learning:print_bulletin", args=[2026, 13])).status_code == 404


@pytest.mark.django_db
def test_withdrawn_from_the_library_with_a_reason_on_the_page(world, approved):
    summary = _shared(world, approved)
    manager = signed_in_client(world.users["case_manager"])
    withdraw = _url(approved.review, "withdraw_learning_summary")
    assert "Enter why the summary is being withdrawn" in manager.post(
        withdraw, {"version": summary.version, "reason": ""}).content.decode()
    assert manager.post(withdraw, {"version": summary.version, "reason": "The practice asked"}).status_code == 302
    summary.refresh_from_db()
    assert summary.status == "withdrawn"
    assert "Inducting locums" not in manager.get(reverse("learning:library")).content.decode()


@pytest.mark.django_db
def test_a_summary_written_by_someone_else_while_the_page_was_open_is_not_overwritten(world, approved):
    advisor = signed_in_client(world.users["professional_advisor"])
    write = _url(approved.review, "write_learning_summary")
    advisor.get(write)  # the page opens with no summary yet (no version in the form)
    _written(world, approved, title="Written first by the case manager")
    html = advisor.post(write, _form(approved, title="Written second")).content.decode()
    assert "Someone else changed this summary after you opened the page" in html
    assert LearningSummary.objects.get().title == "Written first by the case manager"


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_the_library_and_the_bulletin_make_the_same_number_of_queries_for_1_or_4_summaries(world, approved):
    from tests.factories import CaseFactory

    _shared(world, approved)
    analyst = signed_in_client(world.users["analyst"])
    today = timezone.localdate()
    pages = [reverse("learning:library"), reverse("learning:print_bulletin", args=[today.year, today.month])]
    few = [_queries(analyst, url) for url in pages]
    for _ in range(3):
        case = CaseFactory(organisation=world.organisation, owner=world.users["case_manager"],
                           team=[world.users["case_manager"]])
        more = make_review(world, case=case, reviewer="case_manager")
        approve_review(world, more.review, reviewer="case_manager")
        _shared(world, more, title="Another summary")
    assert [_queries(analyst, url) for url in pages] == few


@pytest.mark.django_db
def test_a_summary_written_between_reading_the_page_and_saving_is_not_overwritten(world, approved, monkeypatch):
    """The race: the view found no summary, then someone saved one before this save."""
    from lotus.learning import selectors_library

    real = selectors_library.summary_of_review
    calls = []

    def none_at_first(review):
        calls.append(review.pk)
        if len(calls) == 1:
            _written(world, approved, title="Written first by the case manager")
            return None
        return real(review)

    monkeypatch.setattr(selectors_library, "summary_of_review", none_at_first)
    html = signed_in_client(world.users["professional_advisor"]).post(
        _url(approved.review, "write_learning_summary"), _form(approved, title="Written second")).content.decode()
    assert "Someone else changed this summary after you opened the page" in html
    assert LearningSummary.objects.get().title == "Written first by the case manager"
