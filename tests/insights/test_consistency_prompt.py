"""Like cases alike: the consistency prompt on the panel's decision form. It counts how
decisions on other cases of the same risk band and concern category turned out in the
last three years, hides small numbers, names nobody, says when the just culture check was
not completed, and is kept with the decision exactly as shown."""

import datetime as dt
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from lotus.audit.models import AuditEvent
from lotus.insights.equity.consistency import SimilarDecision, outcome_counts
from lotus.panels import selectors
from lotus.panels.models import Decision
from lotus.panels.outcomes import OUTCOME_CHOICES
from lotus.triage.models import TriageReview
from tests.insights.equity_helpers import case, practitioner
from tests.panel_fixtures import attend_and_declare

pytestmark = pytest.mark.django_db

ANSWERS = dict.fromkeys(("deliberate_harm", "health", "foresight", "substitution", "mitigating"), "no")


def similar(world, count, outcomes, *, band="moderate", categories=("clinical",), days_ago=200):
    today = timezone.localdate()
    made = []
    for index in range(count):
        person = practitioner(world.organisation, ethnic="A" if index % 2 else "H")
        made.append(case(world.organisation, person, received_on=today - dt.timedelta(days=days_ago + 30),
                         colour="amber", band=band, categories=categories, outcomes=outcomes,
                         held_on=today - dt.timedelta(days=days_ago)))
    return made


def form_page(client, item) -> str:
    response = client.get(reverse("panels:record_decision", args=[item.meeting_id, item.pk]))
    assert response.status_code == 200
    return response.content.decode()


def prompt_table(html: str) -> dict[str, str]:
    found = re.search(r"<caption[^>]*>Decisions on similar cases: clinical performance</caption>.*?</table>", html, re.S)
    assert found, "no prompt table"
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(0), re.S)[1:]:
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1]
    return rows


def test_the_form_counts_similar_decisions_hides_small_numbers_and_names_nobody(world, client_for, item):
    others = similar(world, 12, ["advice_or_local_action"])
    others += similar(world, 3, ["investigation"])
    similar(world, 9, ["no_further_action", "close"], band="high")  # another band: not counted
    similar(world, 9, ["no_further_action", "close"], categories=("probity",))  # another category
    similar(world, 9, ["no_further_action", "close"], days_ago=4 * 365)  # too long ago
    html = form_page(client_for("case_manager"), item)
    assert "How similar cases were decided" in html
    table = prompt_table(html)
    # 3 investigations are about 3 people: hidden, and so is one more figure (here an
    # outcome nobody chose), so the total less the others does not give it away.
    assert table["Commission an investigation"] == "Not shown"
    assert table["All outcomes"] == "15"
    assert list(table.values()).count("Not shown") == 2
    assert set(table) <= {label for _, label in OUTCOME_CHOICES} | {"All outcomes"}
    for other in others:
        assert other.reference not in html
        assert other.practitioner.full_name not in html


def test_enough_similar_decisions_are_shown(world, client_for, item):
    similar(world, 12, ["advice_or_local_action"])
    similar(world, 9, ["investigation"])
    table = prompt_table(form_page(client_for("case_manager"), item))
    assert table == {"Advice or local action": "12", "Commission an investigation": "9", "All outcomes": "21"}


def test_one_similar_case_is_hidden_not_an_error(world, client_for, item):
    similar(world, 1, ["refer_to_regulator"])
    table = prompt_table(form_page(client_for("case_manager"), item))
    assert table == {"Refer to the regulator": "Not shown", "All outcomes": "Not shown"}


def test_the_form_says_when_the_just_culture_check_was_not_completed(world, client_for, item):
    assert "Just culture check not completed" in form_page(client_for("case_manager"), item)
    TriageReview.objects.filter(case=item.case, kind="first").update(just_culture=ANSWERS)
    assert "Just culture check not completed" not in form_page(client_for("case_manager"), item)


def test_a_case_with_no_band_says_what_to_do(world, client_for, item):
    TriageReview.objects.filter(case=item.case).update(band="", status="draft")
    html = form_page(client_for("case_manager"), item)
    assert "Submit the triage first to see how similar cases were decided" in html


def test_the_decision_keeps_the_prompt_exactly_as_shown(world, client_for, item):
    similar(world, 12, ["advice_or_local_action"])
    attend_and_declare(world, item)
    client = client_for("case_manager")
    html = form_page(client, item)
    token = re.search(r'name="prompts_token" value="([^"]+)"', html).group(1)
    # More similar decisions are recorded after the form was opened: the decision keeps
    # what the member saw, not what the figures are when they press the button.
    similar(world, 9, ["investigation"])
    response = client.post(reverse("panels:record_decision", args=[item.meeting_id, item.pk]), {
        "outcomes": ["advice_or_local_action"], "rationale": "Advice will help you put things right.",
        "prompts_token": token,
    })
    assert response.status_code == 302
    shown = Decision.objects.get(item=item).prompts_shown
    assert shown[0]["kind"] == "consistency"
    assert shown[0]["tables"][0]["rows"] == [["Advice or local action", "12"]]
    assert shown[0]["tables"][0]["total"] == "12"
    created = AuditEvent.objects.filter(object_type="panel_decision").get()
    assert created.details["prompts_shown"] == ["consistency"]
    # The item page shows what the form showed.
    page = client.get(reverse("panels:show_item", args=[item.meeting_id, item.pk])).content.decode()
    assert "What the decision form showed" in page


@pytest.mark.parametrize("token", ["tampered", "for-another-item"])
def test_a_tampered_or_foreign_prompt_is_refused_and_nothing_is_saved(world, client_for, item, token):
    attend_and_declare(world, item)
    if token == "for-another-item":
        token = signing.dumps({"item": item.pk + 1000, "prompts": []}, salt="lotus.panels.decision_prompts",
                              compress=True)
    else:
        token = selectors.prompts_token(item, [{"kind": "consistency"}])[:-3] + "abc"
    response = client_for("case_manager").post(reverse("panels:record_decision", args=[item.meeting_id, item.pk]), {
        "outcomes": ["advice_or_local_action"], "rationale": "Typed reasons kept", "prompts_token": token,
    })
    html = response.content.decode()
    assert response.status_code == 200
    assert "The summary of similar cases on this page is out of date" in html
    assert "Typed reasons kept" in html
    assert not Decision.objects.exists()


def test_counts_add_up_and_are_protected():
    decisions = [SimilarDecision(n, n, ("advice_or_local_action",)) for n in range(10)]
    decisions += [SimilarDecision(100 + n, 100 + n, ("investigation", "records_review")) for n in range(2)]
    rows, total = outcome_counts(decisions, OUTCOME_CHOICES)
    # Each decision's outcomes count once each (10 + 2 + 2 = 14); the two small ones hide
    # each other, so the total less what is shown (4) does not tell either apart.
    assert dict(rows) == {"Advice or local action": "10", "Review records": "Not shown",
                          "Commission an investigation": "Not shown"}
    assert [label for label, _ in rows] == ["Advice or local action", "Review records", "Commission an investigation"]
    assert total == "14"
