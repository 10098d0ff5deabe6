"""The learning library, the themes and trends figures and the review's Word and PDF
downloads (issue 12; ADR 0024): approved, anonymised summaries only; suppressed figures
from whatever sections the insights registry holds; a download with what a reader needs,
audited, for those who may read the review."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document as DocxDocument

from lotus.audit.models import AuditEvent
from lotus.insights import sections
from lotus.insights.periods import Quarter
from lotus.insights.themes import CountBlock, CountRecord, Wording
from lotus.learning import services
from lotus.learning.models import Factor
from lotus.learning.services import actions as action_services
from lotus.learning.services import sharing
from tests.api.conftest import API
from tests.conftest import signed_in_client
from tests.learning.action_fixtures import approve_review, make_review

pytestmark = pytest.mark.django_db
LIBRARY = f"{API}/learning/library/"


def _summary(world, review, *, title="Locums and results", approve=True):
    summary = sharing.summary_write(
        actor=world.users["professional_advisor"], review=review, title=title, month=timezone.localdate(),
        profession="medical", what_happened="Results waited while a locum covered a late clinic.",
        what_was_learnt="Locums need an induction to the results system.", what_changed="An induction pack.",
        factor_ids=[f.pk for f in sharing.summary_factor_choices(review)],
    )
    if approve:
        summary = sharing.summary_approve(actor=world.users["administrator"], summary=summary,
                                          expected_version=summary.version)
    return summary


@pytest.fixture
def shared(world):
    reviewed = make_review(world)
    approve_review(world, reviewed.review)
    return _summary(world, reviewed.review)


def test_the_library_lists_approved_summaries_without_names_cases_or_reviews(world, shared, api_for):
    body = api_for("analyst").get(LIBRARY).json()
    (item,) = body["results"]
    assert set(item) == {"id", "title", "month", "profession", "what_happened", "what_was_learnt", "what_changed",
                         "factors", "shared_on"}
    assert item["month"] == f"{timezone.localdate():%Y-%m}"
    assert {f["code"] for f in item["factors"]} == {"fair.induction", "fair.feedback", "fair.leadership"}
    text = str(item)
    for identifying in (world.case.reference, world.practitioner.full_name):
        assert identifying not in text
    assert api_for("analyst").get(f"{LIBRARY}{shared.pk}/").json()["title"] == "Locums and results"
    assert AuditEvent.objects.filter(object_type="learning_summary", action="view", object_id=str(shared.pk)).exists()


def test_the_library_is_searched_and_filtered(world, shared, api_for):
    client = api_for("case_manager")

    def titles(query):
        response = client.get(LIBRARY + query)
        assert response.status_code == 200, response.content
        return [item["title"] for item in response.json()["results"]]

    assert titles("?q=induction") == ["Locums and results"]
    assert titles("?q=nothing-like-this") == []
    assert titles("?category=fair_to_refer") == ["Locums and results"]
    assert titles("?profession=dental") == []
    assert titles(f"?year={timezone.localdate().year}") == ["Locums and results"]
    bad = client.get(LIBRARY + "?year=1066&profession=wizard")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"year", "profession"}


def test_a_summary_not_approved_for_sharing_is_404_for_an_analyst(world, api_for):
    reviewed = make_review(world)
    draft = _summary(world, reviewed.review, approve=False)
    analyst = api_for("analyst")
    assert analyst.get(f"{LIBRARY}{draft.pk}/").status_code == 404
    assert analyst.get(LIBRARY).json()["count"] == 0
    assert AuditEvent.objects.filter(action="access denied", object_type="learning_summary",
                                     object_id=str(draft.pk)).exists()
    assert api_for("practitioner").get(LIBRARY).status_code == 404


def test_a_withdrawn_summary_leaves_the_library(world, shared, api_for):
    sharing.summary_withdraw(actor=world.users["administrator"], summary=shared, expected_version=shared.version,
                             reason="A name was found in it")
    assert api_for("administrator").get(f"{LIBRARY}{shared.pk}/").status_code == 404


# --------------------------------------------------------------------------- themes

THEMES = f"{API}/insights/themes/"


def test_the_themes_figures_are_served_for_administrators_and_analysts(world, api_for):
    response = api_for("analyst").get(THEMES + "?start=2025 Q1&end=2025 Q2")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start"], body["end"], body["profession"], body["threshold"]) == ("2025 Q1", "2025 Q2", "", 8)
    slugs = [section["slug"] for section in body["sections"]]
    assert slugs[:3] == ["concerns", "stages", "panels"]
    block = body["sections"][0]["blocks"][0]
    assert block["columns"] == ["2025 Q1", "2025 Q2", "Whole period"]
    assert all(len(row["cells"]) == 3 for row in block["rows"])
    assert AuditEvent.objects.filter(action="view", object_type="themes and trends").exists()
    for role in ("case_manager", "practitioner", "pastoral_contact"):
        assert api_for(role).get(THEMES).status_code == 404


def test_a_section_added_to_the_registry_is_served_with_its_small_numbers_suppressed(world, api_for, monkeypatch):
    monkeypatch.setattr(sections, "_REGISTRY", dict(sections._REGISTRY))
    words = Wording(title="Reviews started", row_heading="Kind", unit="reviews")

    def load(user, period):
        return [CountBlock("reviews-started", words, (("review", "Lessons-learnt review"),),
                           (("medical", "Medical"),),
                           [CountRecord(Quarter(2025, 2), "review", "medical", n) for n in range(3)], additive=True)]

    sections.register(sections.Section("a-new-section", "A new section", "Added in a test.", 99, load))
    body = api_for("administrator").get(THEMES + "?start=2025 Q2&end=2025 Q2").json()
    (added,) = [section for section in body["sections"] if section["slug"] == "a-new-section"]
    row = added["blocks"][0]["rows"][0]
    assert row["label"] == "Lessons-learnt review"
    hidden = {"value": None, "text": "Fewer than 8 people or protected", "hidden": True}
    assert row["cells"] == [hidden, hidden]


@pytest.mark.parametrize(
    ("query", "field"),
    [("?start=2025 Q9", "start"), ("?start=2020 Q1&end=2025 Q4", "end"), ("?profession=wizard", "profession")],
)
def test_a_bad_period_names_the_field(world, api_for, query, field):
    response = api_for("administrator").get(THEMES + query)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


# --------------------------------------------------------------------------- downloads


@pytest.fixture
def full_review(world):
    """A review with a chronology, a problem and what went well coded, the practitioner's
    perspective, a summary, recommendations and an action."""
    reviewed = make_review(world)
    review = reviewed.review
    services.perspective_invite(actor=world.users["case_manager"], review=review, reply_by=None)
    services.perspective_give(actor=world.users["practitioner"], review=review,
                              text_given="A named supervisor on Fridays would have helped.")
    review.refresh_from_db()
    services.review_save(actor=world.users["professional_advisor"], review=review, expected_version=review.version,
                         summary="Results were missed while locums had no induction.",
                         recommendations="Induct every locum to the results system.")
    action_services.action_add(
        actor=world.users["professional_advisor"], review=review, description="Write a locum induction pack",
        factor_ids=[reviewed.problem_factor.pk], owner_user_id=world.users["case_manager"].pk, owner_name="",
        owner_outside=False, priority="high", due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    review.refresh_from_db()
    return review


def _docx_text(content: bytes) -> str:
    document = DocxDocument(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


WHAT_A_READER_NEEDS = (
    "Clinic ran two hours late",  # the chronology
    "Results were not seen for a week",  # a problem
    "The practice manager raised it quickly",  # what went well
    "A named supervisor on Fridays would have helped.",  # the perspective, as written
    "Results were missed while locums had no induction.",  # the summary
    "Induct every locum to the results system.",  # the recommendations
    "Write a locum induction pack",  # an action
)


def test_the_review_downloads_as_word_and_pdf_with_what_a_reader_needs(world, full_review, api_for):
    factor = Factor.objects.get(code="fair.induction", organisation__isnull=True)
    needed = (*WHAT_A_READER_NEEDS, f"{factor.category.title}: {factor.title}")  # the problem's factor
    url = f"{API}/cases/{world.case.pk}/reviews/{full_review.pk}/"
    client = api_for("case_manager")
    docx = client.get(url + "docx/")
    assert docx.status_code == 200
    assert docx["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert f"lessons-learnt-review-{world.case.reference}-1-revision-1.docx" in docx["Content-Disposition"]
    text = _docx_text(docx.content)
    missing = [words for words in needed if words not in text]
    assert missing == []
    pdf = client.get(url + "pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    exports = AuditEvent.objects.filter(action="export", object_type="learning_review", object_id=str(full_review.pk))
    assert sorted(e.details["format"] for e in exports) == ["docx", "pdf"]


def test_the_review_page_offers_the_downloads_and_they_follow_its_rules(world, full_review):
    url = f"/learning/cases/{world.case.pk}/reviews/{full_review.pk}/"
    manager = signed_in_client(world.users["case_manager"])
    page = manager.get(url).content.decode()
    assert f'{url}download.docx"' in page and f'{url}download.pdf"' in page
    docx = manager.get(url + "download.docx")
    assert docx.status_code == 200
    assert "A named supervisor on Fridays would have helped." in _docx_text(docx.content)
    assert manager.get(url + "download.pdf").content.startswith(b"%PDF")
    assert manager.get(url + "download.txt").status_code == 404
    for role in ("analyst", "pastoral_contact", "off_team_case_manager", "practitioner"):
        assert signed_in_client(world.users[role]).get(url + "download.pdf").status_code == 404, role
    assert AuditEvent.objects.filter(action="export", object_type="learning_review").count() == 2
