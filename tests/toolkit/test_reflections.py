"""Reflections (journal entries) and their actions: saving, drafts, bad input, search."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from lotus.toolkit.models import ActionItem, JournalEntry
from tests.toolkit.helpers import saved_entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(world):
    return world.users["case_manager"]


@pytest.fixture
def client(client_for):
    return client_for("case_manager")


def new_entry_url(exercise="1-3-i"):
    return reverse("toolkit:start_entry", args=[exercise])


def test_a_reflection_with_actions_is_saved_and_the_actions_listed(client, leader):
    response = client.post(new_entry_url(), {
        "strongest": "Attending: I make time to listen.",
        "weakest": "Helping",
        "action_1_what": "Book weekly one-to-ones",
        "action_1_due_on-day": "1", "action_1_due_on-month": "2", "action_1_due_on-year": "2027",
        "action_1_helper": "My manager",
        "action_2_what": "Ask the team what help they want",
    })
    entry = JournalEntry.objects.get(owner=leader)
    assert response["Location"] == reverse("toolkit:show_entry", args=[entry.pk])
    assert entry.status == "saved"
    actions = list(ActionItem.objects.filter(entry=entry).order_by("position"))
    assert [(a.what, a.due_on, a.helper) for a in actions] == [
        ("Book weekly one-to-ones", dt.date(2027, 2, 1), "My manager"),
        ("Ask the team what help they want", None, ""),
    ]
    page = client.get(reverse("toolkit:list_actions")).content.decode()
    assert "Book weekly one-to-ones" in page and "1 February 2027" in page


def test_a_draft_can_be_empty_and_is_marked_as_a_draft(client, leader):
    response = client.post(new_entry_url(), {"weakest": "Still thinking", "draft": "1"})
    entry = JournalEntry.objects.get(owner=leader)
    assert entry.status == "draft"
    assert response["Location"] == reverse("toolkit:edit_entry", args=[entry.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Draft saved" in page and "Still thinking" in page


def test_finishing_with_nothing_written_is_refused(client):
    response = client.post(new_entry_url(), {})
    assert "Write an answer to at least one question, or save it as a draft" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_three_actions_exercise_asks_for_three_and_keeps_the_text(client):
    response = client.post(new_entry_url("2-5"), {"living": "Kinder letters", "action_1_what": "Rewrite the first letter"})
    page = response.content.decode()
    assert "This exercise asks for 3 actions" in page
    assert "Kinder letters" in page and "Rewrite the first letter" in page
    assert not JournalEntry.objects.exists() and not ActionItem.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action_1_due_on-day": "31", "action_1_due_on-month": "2", "action_1_due_on-year": "2027"},
         "The date for action 1 must be a real date"),
        ({"action_1_helper": "Sam"}, "Enter what you will do for action 1"),
        ({"action_1_what": "x" * 501}, "Action 1 must be 500 characters or fewer"),
        ({"action_1_what": "Do it", "action_1_helper": "y" * 201}, "Who can help with action 1 must be 200 characters or fewer"),
        ({"weakest": "z" * 100_001}, "Your answer must be 100,000 characters or fewer"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_keeping_what_was_typed(client, data, message):
    sent = {"strongest": "Typed text that must come back", **data}
    response = client.post(new_entry_url(), sent)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Typed text that must come back" in page
    assert not JournalEntry.objects.exists() and not ActionItem.objects.exists()


def test_very_long_entries_emoji_and_right_to_left_text_are_kept_exactly(client, leader):
    long_text = ("Listening first. " * 6000)[:99_990] + " 🌱💙"
    rtl = "أستمع أولاً ثم أساعد — שלום"
    client.post(new_entry_url(), {"strongest": long_text, "weakest": rtl})
    entry = JournalEntry.objects.get(owner=leader)
    assert entry.responses["strongest"] == long_text
    assert entry.responses["weakest"] == rtl
    page = client.get(reverse("toolkit:show_entry", args=[entry.pk])).content.decode()
    assert "🌱💙" in page and rtl in page
    assert 'dir="auto"' in page
    download = client.get(reverse("toolkit:download_entry", args=[entry.pk]))
    assert rtl in download.content.decode("utf-8")
    pdf = client.get(reverse("toolkit:download_entry", args=[entry.pk]), {"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_search_finds_entries_by_their_words_only_for_their_owner(client, leader, world, client_for):
    saved_entry(leader, text="We talked about the rota and kindness")
    saved_entry(leader, text="Nothing to see")
    saved_entry(world.users["administrator"], text="Admin wrote about kindness too")
    page = client.get(reverse("toolkit:list_entries"), {"q": "KINDNESS rota"}).content.decode()
    assert "1 result for" in page
    page = client_for("administrator").get(reverse("toolkit:list_entries"), {"q": "kindness"}).content.decode()
    assert "1 result for" in page


def test_editing_keeps_reviewed_actions_and_replaces_open_ones(client, leader):
    client.post(new_entry_url(), {"strongest": "First", "action_1_what": "Keep me", "action_2_what": "Replace me"})
    entry = JournalEntry.objects.get()
    kept = ActionItem.objects.get(what="Keep me")
    client.post(reverse("toolkit:review_action", args=[kept.pk]), {"status": "done", "note": "Went well"})
    client.post(reverse("toolkit:edit_entry", args=[entry.pk]), {"strongest": "Second", "action_1_what": "New one"})
    assert sorted(ActionItem.objects.filter(entry=entry).values_list("what", "status")) == [
        ("Keep me", "done"), ("New one", "open"),
    ]


def test_earlier_answers_to_the_same_exercise_are_shown_for_comparison(client, leader):
    with time_machine.travel("2026-06-01 09:00", tick=False):
        saved_entry(leader, text="My answer in June")
    later = saved_entry(leader, text="My answer now")
    page = client.get(reverse("toolkit:show_entry", args=[later.pk])).content.decode()
    assert "Earlier reflections on this exercise" in page
    assert "My answer in June" in page and "1 June 2026" in page


def test_reviewing_an_action_needs_an_answer(client, leader):
    client.post(new_entry_url(), {"strongest": "x", "action_1_what": "Act"})
    action = ActionItem.objects.get()
    response = client.post(reverse("toolkit:review_action", args=[action.pk]), {"note": "kept text"})
    page = response.content.decode()
    assert "Select whether you did it" in page and "kept text" in page
    action.refresh_from_db()
    assert action.status == "open"
    client.post(reverse("toolkit:review_action", args=[action.pk]), {"status": "not_done", "note": "No time"})
    action.refresh_from_db()
    assert (action.status, action.review_note) == ("not_done", "No time")
    assert action.reviewed_at is not None


def test_reviewed_actions_count_towards_a_three_action_exercise(client, leader):
    client.post(new_entry_url("2-5"), {
        "living": "Kinder letters", "action_1_what": "One", "action_2_what": "Two", "action_3_what": "Three",
    })
    entry = JournalEntry.objects.get()
    done = ActionItem.objects.get(what="One")
    client.post(reverse("toolkit:review_action", args=[done.pk]), {"status": "done"})
    # the edit form shows the two open actions, and lists the reviewed one as kept
    page = client.get(reverse("toolkit:edit_entry", args=[entry.pk])).content.decode()
    assert "Actions you have already reviewed are kept" in page and "One (done)" in page
    response = client.post(reverse("toolkit:edit_entry", args=[entry.pk]), {
        "living": "Kinder letters, and calls", "action_1_what": "Two", "action_2_what": "Three",
    })
    assert response.status_code == 302
    assert sorted(ActionItem.objects.filter(entry=entry).values_list("what", flat=True)) == ["One", "Three", "Two"]
