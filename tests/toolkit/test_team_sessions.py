"""Team sessions: anonymous answers, the minimum before results, replacing a second answer."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from lotus.accounts.roles import Role
from lotus.toolkit import selectors, services
from lotus.toolkit.models import TeamResponse, TeamSession
from tests.conftest import signed_in_client
from tests.factories import UserFactory
from tests.toolkit.helpers import all_answers, post_answers

pytestmark = pytest.mark.django_db

SLUG = "team-four-elements"


@pytest.fixture
def facilitator(world):
    return world.users["case_manager"]


@pytest.fixture
def session(facilitator):
    return services.team_session_start(actor=facilitator, instrument=SLUG, title="Fictional standards team")


def members(world, n):
    return [
        UserFactory(organisation=world.organisation, roles=(Role.PROFESSIONAL_ADVISOR,), full_name=f"Member {i}")
        for i in range(n)
    ]


def answer(user, session, value=4, comment=""):
    return signed_in_client(user).post(
        reverse("toolkit:answer_team_session", args=[session.join_code]), post_answers(SLUG, value, comment=comment)
    )


def results_page(world, session):
    return signed_in_client(world.users["case_manager"]).get(
        reverse("toolkit:show_team_session", args=[session.pk])
    ).content.decode()


def test_with_four_answers_no_results_are_shown_and_the_page_says_how_many_more(world, session):
    for member in members(world, 4):
        assert answer(member, session, comment=f"Comment from {member.full_name}").status_code == 302
    page = results_page(world, session)
    assert "4 people have answered" in page
    assert "Results appear when at least 5 people have answered" in page
    assert "1 more answer is needed" in page
    assert "Comment from" not in page and "Team average" not in page


def test_with_five_answers_the_averages_and_comments_appear_without_names(world, session):
    for index, member in enumerate(members(world, 5)):
        answer(member, session, value=2 + index % 3, comment=f"Idea {index}")
    page = results_page(world, session)
    assert "5 people have answered" in page and "Team average" in page
    assert all(f"Idea {i}" in page for i in range(5))
    assert "Member 0" not in page and "Member 4" not in page
    assert 'role="img"' in page
    assert not TeamResponse.objects.filter(respondent_key__contains="Member").exists()


def test_answering_twice_replaces_the_first_answer(world, session):
    member = members(world, 1)[0]
    answer(member, session, value=1, comment="First")
    response = answer(member, session, value=5, comment="Second")
    assert response.status_code == 302
    assert TeamResponse.objects.count() == 1
    only = TeamResponse.objects.get()
    assert only.comment == "Second" and set(only.answers.values()) == {5}
    assert selectors.session_results(session).count == 1


def test_an_incomplete_or_out_of_range_answer_is_refused_and_not_counted(world, session):
    member = members(world, 1)[0]
    client = signed_in_client(member)
    data = post_answers(SLUG, comment="Kept comment")
    data["attending_1"] = "9"
    del data["helping_2"]
    response = client.post(reverse("toolkit:answer_team_session", args=[session.join_code]), data)
    page = response.content.decode()
    assert "Choose one of the answers given, from 1 to 5" in page
    assert "Choose an answer for this statement" in page
    assert "Kept comment" in page
    assert not TeamResponse.objects.exists()


def test_the_minimum_is_a_setting_but_never_below_three(world, facilitator):
    with override_settings(LOTUS_TOOLKIT_TEAM_MIN_RESPONSES=1):
        session = services.team_session_start(actor=facilitator, instrument=SLUG, title="Small team")
    assert session.minimum_responses == 3
    for member in members(world, 2):
        answer(member, session)
    assert not selectors.session_results(session).shown
    TeamSession.objects.filter(pk=session.pk).update(minimum_responses=0)  # even if the row is tampered with
    session.refresh_from_db()
    assert not selectors.session_results(session).shown
    answer(members(world, 1)[0], session)
    assert selectors.session_results(session).shown


def test_a_closed_session_takes_no_more_answers(world, session, facilitator):
    services.team_session_record(actor=facilitator, session=session, consensus="We agreed", team_actions="", close=True)
    with pytest.raises(ValidationError):
        services.team_session_answer(actor=members(world, 1)[0], session=session, answers=all_answers(SLUG))


def test_the_facilitator_records_the_consensus(world, session, client_for):
    client = client_for("case_manager")
    response = client.post(
        reverse("toolkit:show_team_session", args=[session.pk]),
        {"consensus": "We will check in weekly", "team_actions": "Sam books the room", "close": "on"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.consensus, session.status) == ("We will check in weekly", "closed")


def test_a_session_in_another_organisation_cannot_be_joined(world, session):
    response = signed_in_client(world.users["other_org_administrator"]).get(
        reverse("toolkit:answer_team_session", args=[session.join_code])
    )
    assert response.status_code == 404


def test_start_session_bad_input(client_for):
    response = client_for("case_manager").post(reverse("toolkit:start_team_session"), {"title": "  ", "instrument": "x"})
    page = response.content.decode()
    assert "Select a team exercise from the list" in page
    assert not TeamSession.objects.exists()


def test_a_consensus_too_long_is_refused_and_kept(world, session, client_for):
    text = "We agreed " + "x" * 100_000
    response = client_for("case_manager").post(
        reverse("toolkit:show_team_session", args=[session.pk]), {"consensus": text, "team_actions": "Kept actions"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Kept actions" in page and text in page
    assert "100000 characters or fewer" in page or "100,000 characters or fewer" in page
    session.refresh_from_db()
    assert session.consensus == ""


def test_inviting_colleagues_by_email_shows_the_session_on_their_toolkit_page(world, session, client_for):
    client = client_for("case_manager")
    advisor, panel = world.users["professional_advisor"], world.users["panel_member"]
    url = reverse("toolkit:show_team_session", args=[session.pk])
    response = client.post(url, {"invite-emails": f"{advisor.email}, {panel.email.upper()}", "invite": "1"})
    assert response.status_code == 302
    assert "2 people invited" in client.get(url).content.decode()
    home = client_for("professional_advisor").get(reverse("toolkit:home")).content.decode()
    assert "Team sessions waiting for your answers" in home and session.title in home
    # inviting again adds no one twice
    client.post(url, {"invite-emails": advisor.email, "invite": "1"})
    assert session.invitations.count() == 2


@pytest.mark.parametrize("emails", ["", "nobody@example.test", "other_org_administrator@test.lotus.test"])
def test_inviting_someone_outside_the_organisation_is_refused_and_the_text_kept(world, session, client_for, emails):
    url = reverse("toolkit:show_team_session", args=[session.pk])
    response = client_for("case_manager").post(url, {"invite-emails": emails, "invite": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and "<title>Error: " in page
    assert emails in page
    assert not session.invitations.exists()
