"""The integrated care board's view (docs/adr/0023): memberships asked for by the ICB and
answered by the provider, the members' themes side by side, and the reports members sent.
An ICB user never reaches a case, a review, a summary not shared, a draft report or a name."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lotus.accounts import membership_selectors, membership_services
from lotus.accounts.models import IcbMembership, Organisation
from lotus.audit.models import AuditEvent
from lotus.insights.periods import Period, Quarter
from lotus.insights.reports import services
from lotus.insights.reports.icb import NOT_LISTED, members_side_by_side
from tests.conftest import signed_in_client
from tests.factories import OrganisationFactory, UserFactory
from tests.insights.helpers import busy_quarters, concern
from tests.insights.report_fixtures import (
    draft_report,
    issued_report,
    last_year,
    learning_last_year,
    make_icb,
)

pytestmark = pytest.mark.django_db


def give_names(world) -> None:
    """Names found nowhere else on a page (the fixture's are words like "Analyst")."""
    for role, name in (("administrator", "Wilhelmina Quartermaine"), ("analyst", "Bartholomew Finchley"),
                       ("panel_member", "Ottoline Marchbanks")):
        world.users[role].full_name = name
        world.users[role].save(update_fields=["full_name"])


def refused(call, field: str) -> str:
    with pytest.raises(ValidationError) as raised:
        call()
    assert field in raised.value.message_dict, raised.value.message_dict
    return raised.value.message_dict[field][0]


# --------------------------------------------------------------------------- memberships


def test_a_provider_becomes_a_member_only_when_its_administrator_accepts(world):
    icb = make_icb(world, join=False)
    membership = membership_services.membership_invite(actor=icb.users["icb_administrator"],
                                                       code=f"  {world.organisation.code.lower()} ")
    assert membership.status == "invited"
    assert membership_selectors.current_members(icb.icb.pk) == []
    assert not icb.users["icb_analyst"].has_perm("insights.view_member_themes", world.organisation)
    membership_services.membership_answer(actor=world.users["administrator"], membership=membership, accept=True,
                                          expected_version=membership.version)
    assert membership_selectors.current_members(icb.icb.pk) == [world.organisation]
    assert membership_selectors.current_icb(world.organisation.pk) == icb.icb
    analyst = type(icb.users["icb_analyst"]).objects.get(pk=icb.users["icb_analyst"].pk)
    assert analyst.has_perm("insights.view_member_themes", Organisation.objects.get(pk=world.organisation.pk))
    # Both organisations' audit trails have the invitation and the answer.
    for organisation in (icb.icb, world.organisation):
        assert AuditEvent.objects.filter(object_type="icb_membership", organisation_id=organisation.pk).count() == 2


def test_a_declined_invitation_gives_the_icb_nothing(world):
    icb = make_icb(world, join=False)
    membership = membership_services.membership_invite(actor=icb.users["icb_administrator"], code=world.organisation.code)
    membership_services.membership_answer(actor=world.users["administrator"], membership=membership, accept=False,
                                          expected_version=membership.version)
    assert membership_selectors.current_icb(world.organisation.pk) is None
    # Declined, the organisation may be invited again.
    again = membership_services.membership_invite(actor=icb.users["icb_administrator"], code=world.organisation.code)
    assert again.status == "invited"


@pytest.mark.parametrize(("code", "words"), [
    ("", "Enter the ODS code"),
    ("NOSUCH", "No organisation using LOTUS has that ODS code"),
    ("X" * 11, "10 characters or fewer"),
])
def test_an_invitation_with_a_bad_code_is_refused(world, code, words):
    icb = make_icb(world, join=False)
    assert words in refused(lambda: membership_services.membership_invite(
        actor=icb.users["icb_administrator"], code=code), "code")
    assert not IcbMembership.objects.exists()


def test_an_icb_its_own_organisation_and_a_provider_taken_are_refused(world):
    icb = make_icb(world)
    admin = icb.users["icb_administrator"]
    assert "your own organisation" in refused(
        lambda: membership_services.membership_invite(actor=admin, code=icb.icb.code), "code")
    assert "is an integrated care board" in refused(
        lambda: membership_services.membership_invite(actor=admin, code=icb.other_icb.code), "code")
    other_admin = UserFactory(organisation=icb.other_icb, roles=("administrator",))
    assert "one ICB at a time" in refused(
        lambda: membership_services.membership_invite(actor=other_admin, code=world.organisation.code), "code")
    assert IcbMembership.objects.count() == 1


def test_only_an_icb_administrator_invites_and_only_the_providers_answers(world):
    icb = make_icb(world, join=False)
    with pytest.raises(PermissionDenied):
        membership_services.membership_invite(actor=world.users["administrator"], code=icb.icb.code)
    with pytest.raises(PermissionDenied):
        membership_services.membership_invite(actor=icb.users["icb_analyst"], code=world.organisation.code)
    membership = membership_services.membership_invite(actor=icb.users["icb_administrator"],
                                                       code=world.organisation.code)
    for outsider in (icb.users["icb_administrator"], world.users["other_org_administrator"], world.users["analyst"]):
        with pytest.raises(PermissionDenied):
            membership_services.membership_answer(actor=outsider, membership=membership, accept=True,
                                                  expected_version=membership.version)


def test_an_answer_must_be_chosen_and_a_stale_answer_saves_nothing(world):
    icb = make_icb(world, join=False)
    membership = membership_services.membership_invite(actor=icb.users["icb_administrator"],
                                                       code=world.organisation.code)
    admin = world.users["administrator"]
    assert "Select whether" in refused(lambda: membership_services.membership_answer(
        actor=admin, membership=membership, accept=None, expected_version=membership.version), "answer")
    with pytest.raises(membership_services.StaleMembership):
        membership_services.membership_answer(actor=admin, membership=membership, accept=True,
                                              expected_version=membership.version + 1)
    assert IcbMembership.objects.get(pk=membership.pk).status == "invited"


def test_either_side_ends_a_membership_with_a_reason(world):
    icb = make_icb(world)
    membership = IcbMembership.objects.get(member=world.organisation)
    admin = world.users["administrator"]
    assert "Enter why" in refused(lambda: membership_services.membership_end(
        actor=admin, membership=membership, reason="", expected_version=membership.version), "reason")
    with pytest.raises(PermissionDenied):
        membership_services.membership_end(actor=world.users["other_org_administrator"], membership=membership,
                                           reason="Not ours", expected_version=membership.version)
    ended = membership_services.membership_end(actor=icb.users["icb_administrator"], membership=membership,
                                               reason="The ICBs merged", expected_version=membership.version)
    assert ended.status == "ended" and ended.end_reason == "The ICBs merged"
    assert membership_selectors.current_icb(world.organisation.pk) is None
    assert "already ended" in refused(lambda: membership_services.membership_end(
        actor=admin, membership=ended, reason="Again", expected_version=ended.version), "reason")


def test_the_icb_keeps_the_reports_it_was_sent_after_the_membership_ends(world, client_for):
    icb = make_icb(world)
    report = issued_report(world)
    membership = IcbMembership.objects.get(member=world.organisation)
    membership_services.membership_end(actor=world.users["administrator"], membership=membership,
                                       reason="We moved ICB", expected_version=membership.version)
    client = signed_in_client(icb.users["icb_analyst"])
    assert client.get(reverse("insights:icb_show_report", kwargs={"report_id": report.pk})).status_code == 200
    html = client.get(reverse("insights:icb_themes")).content.decode()
    assert world.organisation.name not in html


# --------------------------------------------------------------------------- the side-by-side view


def test_members_themes_are_protected_each_on_its_own_and_never_added_up(world):
    icb = make_icb(world)
    second = OrganisationFactory(name="Second Trust (fictional)")
    second_admin = UserFactory(organisation=second, roles=("administrator",))
    membership = membership_services.membership_invite(actor=icb.users["icb_administrator"], code=second.code)
    membership_services.membership_answer(actor=second_admin, membership=membership, accept=True,
                                          expected_version=membership.version)
    chair = UserFactory(organisation=world.organisation)
    busy_quarters(world.organisation, chair, first=dt.date(last_year(), 1, 1), quarters=1, per_quarter=20)
    for day in range(3):  # three concerns: fewer than 8 people, so hidden
        concern(second, received_on=dt.date(last_year(), 2, 1 + day), source="police")
    period = Period(Quarter(last_year(), 1), Quarter(last_year(), 1))
    members, sections = members_side_by_side(icb.users["icb_analyst"], period=period, request=None)
    assert [m.name for m in members] == ["Second Trust (fictional)", world.organisation.name]
    concerns = next(s for s in sections if s.slug == "concerns")
    by_source = next(b for b in concerns.blocks if b.slug == "concerns-by-source")
    total = next(row for row in by_source.rows if row.is_total)
    assert total.cells == ("Fewer than 8 people or protected", "20")
    police = next(row for row in by_source.rows if row.label == "Police")
    assert police.cells[0] == "Fewer than 8 people or protected"
    assert all(len(row.cells) == 2 for block in concerns.blocks for row in block.rows)
    assert AuditEvent.objects.filter(object_type="icb members' themes", actor_id=icb.users["icb_analyst"].pk).exists()


def test_a_row_only_one_member_has_says_not_listed_for_the_others(world):
    icb = make_icb(world)
    second = OrganisationFactory(name="Second Trust (fictional)")
    membership = membership_services.membership_invite(actor=icb.users["icb_administrator"], code=second.code)
    membership_services.membership_answer(actor=UserFactory(organisation=second, roles=("administrator",)),
                                          membership=membership, accept=True, expected_version=membership.version)
    from lotus.insights import sections as registry
    from lotus.insights.themes import CountBlock, CountRecord, Wording

    def local_rows(user, period):
        rows = (("local", "A local factor"),) if user.organisation_id == world.organisation.pk else ()
        records = [CountRecord(period.first, "local", "medical", n) for n in range(9)] if rows else []
        return [CountBlock("local-rows", Wording("Local rows", "Row", "things"), rows, (("medical", "Medical"),),
                           records, additive=False, chart="line")]

    section = registry.Section(slug="zz-local", title="Local", summary="", order=999, load=local_rows)
    registry._REGISTRY[section.slug] = section
    try:
        _, sections = members_side_by_side(icb.users["icb_analyst"], request=None,
                                           period=Period(Quarter(last_year(), 1), Quarter(last_year(), 1)))
    finally:
        del registry._REGISTRY[section.slug]
    block = next(s for s in sections if s.slug == "zz-local").blocks[0]
    assert block.rows[0].cells == (NOT_LISTED, "9")


def test_an_analyst_outside_an_icb_or_of_another_icb_sees_no_member(world):
    make_icb(world)
    period = Period(Quarter(last_year(), 1), Quarter(last_year(), 4))
    for user in (world.users["analyst"], world.users["administrator"]):
        with pytest.raises(Exception) as raised:
            members_side_by_side(user, period=period, request=None)
        assert raised.type.__name__ == "Http404"
    other = UserFactory(organisation=Organisation.objects.get(name="Other Integrated Care Board (fictional)"),
                        roles=("analyst",))
    members, _ = members_side_by_side(other, period=period, request=None)
    assert members == []


# --------------------------------------------------------------------------- what an ICB user never sees


def test_the_icb_never_sees_a_draft_a_case_a_review_an_unshared_summary_or_a_name(world):
    give_names(world)
    icb = make_icb(world)
    review, summary, _ = learning_last_year(world)
    report = issued_report(world)
    draft = draft_report(world, year=last_year() - 1)
    client = signed_in_client(icb.users["icb_analyst"])
    show = reverse("insights:icb_show_report", kwargs={"report_id": report.pk})
    html = client.get(show).content.decode()
    assert summary.title in html  # the shared summary is there
    practitioner = review.case.practitioner
    for secret in (practitioner.full_name, review.case.reference, world.users["administrator"].full_name,
                   world.users["analyst"].full_name, world.users["panel_member"].full_name):
        assert secret not in html, secret
    for name, kwargs in (
        ("insights:icb_show_report", {"report_id": draft.pk}),
        ("insights:icb_download_report", {"report_id": draft.pk, "fmt": "pdf"}),
        ("insights:show_report", {"report_id": report.pk}),
        ("insights:show_report", {"report_id": draft.pk}),
        ("cases:show_case", {"case_id": review.case_id}),
        ("learning:show_review", {"case_id": review.case_id, "review_id": review.pk}),
        ("learning:show_library_summary", {"summary_id": summary.pk}),
    ):
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name


def test_an_icb_the_report_was_not_sent_to_gets_404(world):
    icb = make_icb(world)
    report = issued_report(world)
    client = signed_in_client(icb.users["other_icb_analyst"])
    for name in ("insights:icb_show_report", "insights:icb_ask_question"):
        assert client.get(reverse(name, kwargs={"report_id": report.pk})).status_code == 404
    response = client.post(reverse("insights:icb_mark_received", kwargs={"report_id": report.pk}))
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.received_at is None


def test_the_question_and_reply_travel_between_the_pages(world):
    give_names(world)
    icb = make_icb(world)
    report = issued_report(world)
    icb_client = signed_in_client(icb.users["icb_analyst"])
    ask = reverse("insights:icb_ask_question", kwargs={"report_id": report.pk})
    response = icb_client.post(ask, {"question": ""})
    assert response.status_code == 200 and "Enter your question about the report" in response.content.decode()
    icb_client.post(ask, {"question": "Why did complaints fall?"})
    icb_client.post(reverse("insights:icb_mark_received", kwargs={"report_id": report.pk}))
    provider = signed_in_client(world.users["analyst"])
    page = provider.get(reverse("insights:show_report", kwargs={"report_id": report.pk})).content.decode()
    assert "Why did complaints fall?" in page and icb.users["icb_analyst"].full_name not in page
    question = report.questions.get()
    reply = reverse("insights:reply_to_question", kwargs={"report_id": report.pk, "question_id": question.pk})
    response = provider.post(reply, {"reply": "", "version": question.version})
    assert "Enter your reply to the question" in response.content.decode()
    provider.post(reply, {"reply": "Fewer locums were used.", "version": question.version})
    seen = icb_client.get(reverse("insights:icb_show_report", kwargs={"report_id": report.pk})).content.decode()
    assert "Fewer locums were used." in seen and world.users["analyst"].full_name not in seen
    assert "Not marked as received" not in seen


def test_services_refuse_what_the_pages_do_not_offer(world):
    icb = make_icb(world)
    report = issued_report(world)
    with pytest.raises(PermissionDenied):
        services.question_ask(actor=world.users["analyst"], report=report, question="To ourselves?")
    with pytest.raises(PermissionDenied):
        services.report_mark_received(actor=icb.users["icb_administrator"], report=report)
