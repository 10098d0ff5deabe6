"""The API access matrix: every /api/v1/ URL name, for every kind of user, by bearer token.

Like tests/test_access_matrix.py for the pages, the URL names come from the resolver (a
new endpoint without a row fails) and the expected statuses are written out by hand from
the policy, never computed from it. The page matrix leaves api:v1: names to this file.

- 401: no token;
- 404: out of reach (never 403), and audited by the selectors;
- 405: a GET on an endpoint that only takes POST (after the token is checked).
"""

import datetime as dt

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from lotus.audit.models import AuditEvent
from lotus.cases.models import Case
from lotus.letters.models import Letter
from lotus.panels.models import Meeting
from lotus.portal import services as portal_services
from lotus.toolkit import services as toolkit_services
from tests.api.conftest import bearer_client
from tests.factories import TaskFactory
from tests.panel_fixtures import shared_triage
from tests.test_access_matrix import (
    ROLES,
    equity_objects,
    get_status,
    learning_objects,
    missing_rows,
    panel_objects,
    report_objects,
    support_objects,
    upload_txt,
    url_for,
)
from tests.test_access_matrix import registered_url_names as _page_names
from tests.toolkit.helpers import complete_attempt, saved_entry

API_NAMESPACE = "api:v1:"
PUBLIC = (200,) * 10
TOKEN = (401,) + (200,) * 9
POST_ONLY = (401,) + (405,) * 9

# The panel member and the pastoral contact are on world.case's team only by raw rows from
# before docs/adr/0016, which grant nothing: the panel member reaches world.case through
# its meeting's agenda (panels endpoints), the pastoral contact nothing of it.
# fmt: off
EXPECTED_GET: dict[str, tuple[int, ...]] = {
    #                             anon admin  cm   pa   pm   pc  prac anal offcm oorg
    "api:v1:openapi":             PUBLIC,
    "api:v1:docs":                PUBLIC,
    "api:v1:list_organisations":  TOKEN,
    "api:v1:show_organisation":   (401, 200, 200, 200, 200, 200, 200, 200, 200, 404),
    "api:v1:list_practitioners":  (401, 200, 200, 404, 404, 404, 404, 404, 200, 200),
    "api:v1:show_practitioner":   (401, 200, 200, 404, 404, 404, 404, 404, 200, 404),
    "api:v1:list_cases":          (401, 200, 200, 200, 200, 200, 404, 404, 200, 200),
    "api:v1:show_case":           (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:case_timeline":       (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:list_tasks":          (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    # Evidence: never the pastoral contact.
    "api:v1:list_documents":      (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:download_document":   (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:transition_case":     POST_ONLY,
    "api:v1:complete_task":       POST_ONLY,
    "api:v1:not_found":           (404,) * 10,
    # Triage: world.case has no review yet (tests/triage/test_api.py covers reviews in each state).
    "api:v1:triage_review":       (401,) + (404,) * 9,
    "api:v1:submit_triage_review": POST_ONLY,
    "api:v1:share_triage_review": POST_ONLY,
    "api:v1:not_share_triage_review": POST_ONLY,
    "api:v1:second_review":       (401,) + (404,) * 9,
    "api:v1:agreed_score":        POST_ONLY,
    "api:v1:triage_agreement":    (401, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    # Equity (issue 13): as the pages. api_objects' workforce figures are the organisation's.
    "api:v1:equity_figures":      (401, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "api:v1:list_workforce_figures": (401, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "api:v1:workforce_figures":   (401, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    "api:v1:workforce_figures_csv": (401, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    # Support (issue 6): world.case has a support plan (tests.test_access_matrix.support_objects).
    "api:v1:show_support_plan":   (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:support_contacts":    (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:adjustments":         (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:oh_referrals":        (401, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # Performance plans: the team who may see evidence, never the pastoral contact.
    "api:v1:performance_plans":   (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:show_performance_plan": (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:performance_goals":   POST_ONLY,
    # The leadership toolkit: everyone has their own; the records in `api_objects` are
    # the case manager's and nobody else's, administrators included.
    "api:v1:list_toolkit_assessments": TOKEN,
    "api:v1:show_toolkit_assessment":  (401, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    "api:v1:list_toolkit_entries":     TOKEN,
    "api:v1:show_toolkit_entry":       (401, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    "api:v1:list_toolkit_actions":     TOKEN,
    "api:v1:review_toolkit_action":    POST_ONLY,
    "api:v1:toolkit_team_results":     (401, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    # Panels, letters and the portal: the meeting, item, draft letter and consent request
    # of tests/test_access_matrix.py's panel_objects (world.case on the agenda).
    "api:v1:list_meetings":       (401, 200, 200, 404, 200, 404, 404, 404, 200, 200),
    "api:v1:show_meeting":        (401, 200, 200, 404, 200, 404, 404, 404, 200, 404),
    "api:v1:add_agenda_item":     POST_ONLY,
    "api:v1:record_attendance":   POST_ONLY,
    "api:v1:declare_conflict":    POST_ONLY,
    "api:v1:record_decision":     POST_ONLY,
    "api:v1:show_letter":         (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:render_letter_pdf":   (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:render_letter_docx":  (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:send_letter":         POST_ONLY,
    "api:v1:approve_letter":      POST_ONLY,
    # A case's letters: whoever may read its letters, as show_letter.
    "api:v1:list_case_letters":   (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    # Templates: those who may draft a letter on some case (administrators, case managers).
    "api:v1:list_letter_templates": (401, 200, 200, 404, 404, 404, 404, 404, 200, 200),
    "api:v1:list_own_cases":      (401, 404, 404, 404, 404, 404, 200, 404, 404, 404),
    "api:v1:answer_consent":      POST_ONLY,
    # The practitioner's voice. api_objects' document is one the practitioner sent with
    # their reflections, so it is theirs to download, and a case document to the team.
    "api:v1:own_reflections":     (401, 404, 404, 404, 404, 404, 200, 404, 404, 404),
    "api:v1:download_own_document": (401, 404, 404, 404, 404, 404, 200, 404, 404, 404),
    "api:v1:case_reflections":    (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:consent_requests":    (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    # Lessons-learnt reviews (issue 12; docs/adr/0024): the objects of the page matrix's
    # learning_objects (tests/test_access_matrix.py says what state each is in). The review
    # list is for case staff, each seeing the reviews of the cases they may read; a review
    # and its downloads for those who may see world.case's evidence.
    "api:v1:list_learning_reviews": (401, 200, 200, 200, 200, 200, 404, 404, 200, 200),
    "api:v1:case_reviews":        (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:show_review":         (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:declare_review_conflict": POST_ONLY,
    "api:v1:add_chronology_event": POST_ONLY,
    "api:v1:add_problem":         POST_ONLY,
    "api:v1:add_went_well":       POST_ONLY,
    "api:v1:code_factor":         POST_ONLY,
    "api:v1:submit_review":       POST_ONLY,
    "api:v1:approve_review":      POST_ONLY,
    "api:v1:return_review":       POST_ONLY,
    "api:v1:amend_review":        POST_ONLY,
    "api:v1:download_review_pdf": (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:download_review_docx": (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "api:v1:review_actions":      (401, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    # The vocabulary: every member of staff reads it; the local factor is organisation A's.
    "api:v1:list_factors":        (401, 200, 200, 200, 200, 200, 404, 404, 200, 200),
    "api:v1:show_factor":         (401, 200, 200, 200, 200, 200, 404, 404, 200, 404),
    "api:v1:retire_factor":       POST_ONLY,
    # Actions: the action is owned by the panel member, who reaches it without the review.
    "api:v1:list_actions":        (401, 200, 200, 200, 200, 404, 404, 404, 200, 200),
    "api:v1:show_action":         (401, 200, 200, 200, 200, 404, 404, 404, 404, 404),
    "api:v1:move_action":         POST_ONLY,
    "api:v1:add_action_evidence": POST_ONLY,
    "api:v1:download_action_evidence": (401, 200, 200, 200, 200, 404, 404, 404, 404, 404),
    "api:v1:assure_action":       POST_ONLY,
    # The library: every member of staff, analysts included; never a practitioner. The
    # summary is organisation A's, so the other organisation's administrator is answered 404.
    "api:v1:list_library":        (401, 200, 200, 200, 200, 200, 404, 200, 200, 200),
    "api:v1:show_library_summary": (401, 200, 200, 200, 200, 200, 404, 200, 200, 404),
    # Themes and trends: administrators and analysts, their own organisation's figures.
    "api:v1:themes":              (401, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    # Annual reports (docs/adr/0023): organisation A's issued report of
    # tests.test_access_matrix.report_objects, sent to a test ICB nobody here sits in; the
    # ICB's own users are walked in tests/api/test_annual_endpoints.py.
    "api:v1:list_annual_reports": (401, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "api:v1:show_annual_report":  (401, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    "api:v1:annual_report_pdf":   (401, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    "api:v1:annual_report_docx":  (401, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    "api:v1:list_sent_annual_reports": (401,) + (404,) * 9,
    "api:v1:show_sent_annual_report":  (401,) + (404,) * 9,
    "api:v1:sent_annual_report_pdf":   (401,) + (404,) * 9,
    "api:v1:sent_annual_report_docx":  (401,) + (404,) * 9,
}

# Writes with a valid body (test_api_write_matrix), each from a fresh `world` (world.case is "received"; its task is the owner's).
EXPECTED_FULL_WRITE: dict[str, tuple[int, ...]] = {
    "create_practitioner":        (401, 201, 201, 404, 404, 404, 404, 404, 201, 201),
    # The other organisation's administrator may open cases, but not about our practitioner.
    "create_case":                (401, 201, 201, 404, 404, 404, 404, 404, 201, 400),
    "update_case_summary":        (401, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # From "received" only managers may move a case.
    "transition_case":            (401, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "upload_document":            (401, 201, 201, 201, 404, 404, 404, 404, 404, 404),
    "create_task":                (401, 201, 201, 404, 404, 404, 404, 404, 404, 404),
    "complete_task":              (401, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "log_support_contact":        (401, 201, 201, 404, 404, 404, 404, 404, 404, 404),
    "add_adjustment":             (401, 201, 201, 404, 404, 404, 404, 404, 404, 404),
    "add_oh_referral":            (401, 201, 201, 404, 404, 404, 404, 404, 404, 404),
    "start_performance_plan":     (401, 201, 201, 404, 404, 404, 404, 404, 404, 404),
    "add_performance_goal":       (401, 201, 201, 404, 404, 404, 404, 404, 404, 404),
    "add_own_reflection":         (401, 404, 404, 404, 404, 404, 201, 404, 404, 404),
    # panel_objects left a consent request waiting, so those who may ask are told to wait
    # (400); everyone else is refused before that (404).
    "ask_consent":                (401, 400, 400, 404, 404, 404, 404, 404, 404, 404),
    # Panels: anyone running meetings in the organisation schedules them; the other
    # organisation's administrator may too, but not with our panel member (400).
    "schedule_meeting":           (401, 201, 201, 404, 404, 404, 404, 404, 201, 400),
    # The agenda takes any case of the organisation awaiting the panel, as the page does,
    # so the case manager off world.other_team_case's team may add it too.
    "add_agenda_item":            (401, 201, 201, 404, 404, 404, 404, 404, 201, 404),
    # Who attended: those who run the meeting, and the chair (the panel member) among its members.
    "record_attendance":          (401, 200, 200, 404, 200, 404, 404, 404, 200, 404),
    "draft_letter":               (401, 201, 201, 404, 404, 404, 404, 404, 404, 404),
    # The letter of panel_objects was drafted by the case manager: a second person approves.
    "approve_letter":             (401, 200, 400, 404, 404, 404, 404, 404, 404, 404),
    "edit_letter":                (401, 200, 200, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on

# Every write the API takes, "METHOD url-name", sent with an empty JSON body as each role
# on world.case and panel_objects' records. The keys come from the resolver and each view's
# handlers (`write_endpoints`), so a new write endpoint without a row fails the test.
# An empty body is invalid everywhere here, so 400 means the permission check passed and
# the request reached validation; 404 is out of reach (the policy never answers 403).
NOT_FOUND = (404,) * 10
EMPTY_WRITE = (401,) + (400,) * 9  # anyone with a token: their own record (toolkit)
NOT_FOUND_WITH_TOKEN = (401,) + (404,) * 9
MANAGERS = (401, 400, 400, 404, 404, 404, 404, 404, 404, 404)  # world.case's administrator and case manager
REVIEW_LEAD = (401, 404, 404, 400, 404, 404, 404, 404, 404, 404)  # the professional advisor leads the review
SECOND_PERSON = (401, 400, 404, 404, 404, 404, 404, 404, 404, 404)  # the administrator, off the review team
# fmt: off
EXPECTED_WRITE: dict[str, tuple[int, ...]] = {
    #                                      anon admin  cm   pa   pm   pc  prac anal offcm oorg
    "POST api:v1:list_practitioners":       (401, 400, 400, 404, 404, 404, 404, 404, 400, 400),
    "POST api:v1:list_cases":               (401, 400, 400, 404, 404, 404, 404, 404, 400, 400),
    "PATCH api:v1:show_case":               MANAGERS,
    "POST api:v1:transition_case":          MANAGERS,
    # Uploads read a multipart body, so a JSON one is refused (415) once the upload is allowed.
    "POST api:v1:list_documents":           (401, 415, 415, 415, 404, 404, 404, 404, 404, 404),
    "POST api:v1:list_tasks":               MANAGERS,
    # Completing takes no body, so the empty one succeeds (rolled back).
    "POST api:v1:complete_task":            (401, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # Triage: world.case has no review, so those on a review are 404; starting one is the
    # adviser's, asking for a second review the managers', agreeing a score all three's.
    "POST api:v1:triage_review":            (401, 404, 404, 400, 404, 404, 404, 404, 404, 404),
    "PATCH api:v1:triage_review":           NOT_FOUND_WITH_TOKEN,
    "POST api:v1:submit_triage_review":     NOT_FOUND_WITH_TOKEN,
    "POST api:v1:share_triage_review":      NOT_FOUND_WITH_TOKEN,
    "POST api:v1:not_share_triage_review":  NOT_FOUND_WITH_TOKEN,
    "POST api:v1:second_review":            MANAGERS,
    "POST api:v1:agreed_score":             (401, 400, 400, 400, 404, 404, 404, 404, 404, 404),
    "POST api:v1:support_contacts":         MANAGERS,
    "POST api:v1:adjustments":              MANAGERS,
    "POST api:v1:oh_referrals":             MANAGERS,
    "POST api:v1:performance_plans":        MANAGERS,
    "POST api:v1:performance_goals":        MANAGERS,
    # The toolkit: everyone starts their own; api_objects' entry and action are the case manager's.
    "POST api:v1:list_toolkit_assessments": EMPTY_WRITE,
    "POST api:v1:list_toolkit_entries":     EMPTY_WRITE,
    "PUT api:v1:show_toolkit_entry":        (401, 404, 400, 404, 404, 404, 404, 404, 404, 404),
    "POST api:v1:review_toolkit_action":    (401, 404, 400, 404, 404, 404, 404, 404, 404, 404),
    # Panels: meetings and agenda as in EXPECTED_FULL_WRITE; the panel member chairs the meeting,
    # so declares conflicts and records decisions (nobody else declares for them).
    "POST api:v1:list_meetings":            (401, 400, 400, 404, 404, 404, 404, 404, 400, 400),
    "POST api:v1:add_agenda_item":          (401, 400, 400, 404, 404, 404, 404, 404, 400, 404),
    "POST api:v1:record_attendance":        (401, 400, 400, 404, 400, 404, 404, 404, 400, 404),
    "POST api:v1:declare_conflict":         (401, 404, 404, 404, 400, 404, 404, 404, 404, 404),
    "POST api:v1:record_decision":          (401, 400, 400, 404, 400, 404, 404, 404, 404, 404),
    # Letters: those who may draft them. The approval's version is checked before who approves.
    "POST api:v1:list_case_letters":        MANAGERS,
    "PATCH api:v1:show_letter":             MANAGERS,
    "POST api:v1:approve_letter":           MANAGERS,
    "POST api:v1:send_letter":              MANAGERS,
    # The practitioner's own: their consent answer and their reflections.
    "POST api:v1:answer_consent":           (401, 404, 404, 404, 404, 404, 400, 404, 404, 404),
    "POST api:v1:own_reflections":          (401, 404, 404, 404, 404, 404, 400, 404, 404, 404),
    "POST api:v1:consent_requests":         MANAGERS,
    # Lessons-learnt reviews (learning_objects): the advisor leads the draft and has
    # declared; the case manager is on its team and has not, so takes no part until they
    # do; the administrator, off the team, approves, amends and adds actions as a manager.
    "POST api:v1:case_reviews":             MANAGERS,
    "PATCH api:v1:show_review":             REVIEW_LEAD,
    "POST api:v1:declare_review_conflict":  (401, 404, 400, 404, 404, 404, 404, 404, 404, 404),
    "POST api:v1:add_chronology_event":     REVIEW_LEAD,
    "POST api:v1:add_problem":              REVIEW_LEAD,
    "POST api:v1:add_went_well":            REVIEW_LEAD,
    "POST api:v1:code_factor":              REVIEW_LEAD,
    "POST api:v1:submit_review":            REVIEW_LEAD,
    "POST api:v1:approve_review":           SECOND_PERSON,
    "POST api:v1:return_review":            SECOND_PERSON,
    "POST api:v1:amend_review":             (401, 400, 400, 400, 404, 404, 404, 404, 404, 404),
    "POST api:v1:review_actions":           (401, 400, 404, 400, 404, 404, 404, 404, 404, 404),
    # The vocabulary: each organisation's administrators. The local factor is organisation
    # A's and no review has coded it, so its administrator may delete it (rolled back).
    "POST api:v1:list_factors":             (401, 400, 404, 404, 404, 404, 404, 404, 404, 400),
    "DELETE api:v1:show_factor":            (401, 204, 404, 404, 404, 404, 404, 404, 404, 404),
    "POST api:v1:retire_factor":            SECOND_PERSON,
    # The action: its owner (the panel member) and the administrator move it on and add
    # evidence; the case manager has not declared on its review, so takes no part.
    "POST api:v1:move_action":              (401, 400, 404, 404, 400, 404, 404, 404, 404, 404),
    "POST api:v1:add_action_evidence":      (401, 400, 404, 404, 400, 404, 404, 404, 404, 404),
    "POST api:v1:assure_action":            SECOND_PERSON,
    # Workforce figures: administrators write them; an empty body is refused (400).
    "PUT api:v1:workforce_figures":         (401, 400, 404, 404, 404, 404, 404, 404, 404, 400),
    "POST api:v1:workforce_figures_csv":    (401, 415, 404, 404, 404, 404, 404, 404, 404, 415),
    "POST api:v1:not_found":                NOT_FOUND,
    "PUT api:v1:not_found":                 NOT_FOUND,
    "PATCH api:v1:not_found":               NOT_FOUND,
    "DELETE api:v1:not_found":              NOT_FOUND,
}
# fmt: on


def api_url_names() -> dict[str, frozenset[str]]:
    """The api:v1: names and their kwargs, found by the page matrix's resolver walk."""
    import tests.test_access_matrix as page_matrix

    original = page_matrix.API_NAMESPACE
    page_matrix.API_NAMESPACE = "\0"  # walk everything this once
    try:
        return {name: params for name, params in _page_names().items() if name.startswith(API_NAMESPACE)}
    finally:
        page_matrix.API_NAMESPACE = original


@pytest.fixture
def api_objects(world):
    document = portal_services.reflection_add(
        actor=world.users["practitioner"], case=world.case, text="", files=[("statement.txt", b"A statement.\n")]
    ).documents.get()
    task = TaskFactory(case=world.case)
    leader = world.users["case_manager"]
    entry = saved_entry(leader, actions=[toolkit_services.ActionRow(what="A fictional action")])
    session = toolkit_services.team_session_start(actor=leader, instrument="team-equity", title="Matrix team")
    return {
        **support_objects(world),
        **panel_objects(world),
        **learning_objects(world),
        **report_objects(world),
        "case_id": world.case.pk,
        "document_id": document.pk,
        "task_id": task.pk,
        "practitioner_id": world.practitioner.pk,
        "organisation_id": world.organisation.pk,
        "attempt_id": complete_attempt(leader).pk,
        "entry_id": entry.pk,
        "action_id": entry.actions.get().pk,
        "session_id": session.pk,
        **equity_objects(world),
    }


def client_as(role: str, token_for):
    return bearer_client(None if role == "anonymous" else token_for(role))


def test_every_api_url_has_a_row_and_every_row_a_url():
    names = set(api_url_names())
    assert names, "no API URL names found"
    no_row, no_url = missing_rows(names, EXPECTED_GET)
    assert no_row == set(), "API URLs (named or not) with no row in the matrix"
    assert no_url == set(), "rows for API URLs that no longer exist"
    assert all(len(row) == len(ROLES) for row in [*EXPECTED_GET.values(), *EXPECTED_FULL_WRITE.values()])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_read_matrix(world, api_objects, token_for, role):
    client = client_as(role, token_for)
    column = ROLES.index(role)
    actual, expected = {}, {}
    names = api_url_names()
    for name in sorted(names):
        url = url_for(name, api_objects, names) if name != "api:v1:not_found" else "/api/v1/nothing/here/"
        actual[name] = get_status(client, url)[0]
        expected[name] = EXPECTED_GET[name][column]
    mismatches = {n: (expected[n], actual[n]) for n in expected if expected[n] != actual[n]}
    assert not mismatches, f"{role}, url name -> (expected, actual): {mismatches}"


def _write(name: str, client, world, objects):
    case_url = f"/api/v1/cases/{objects['case_id']}"
    today = timezone.localdate()
    if name == "create_practitioner":
        return client.post("/api/v1/practitioners/", {
            "full_name": "Dr Matrix", "profession": "medical", "regulator": "GMC",
            "registration_number": "7000001", "contract_context": "locum", "place_of_work": "Matrix Surgery",
        }, content_type="application/json")
    if name == "create_case":
        return client.post("/api/v1/cases/", {
            "practitioner": world.practitioner.pk, "received_on": today.isoformat(), "source": "complaint",
            "categories": ["clinical"], "summary": "Matrix concern", "owner": world.users["case_manager"].pk,
        }, content_type="application/json")
    if name == "update_case_summary":
        return client.patch(f"{case_url}/", {"summary": "Matrix summary", "version": 1},
                            content_type="application/json")
    if name == "transition_case":
        return client.post(f"{case_url}/transitions/", {"target": "triage", "reason": "Matrix"},
                           content_type="application/json")
    if name == "upload_document":
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(f"{case_url}/documents/", {"file": SimpleUploadedFile("m.txt", b"Matrix\n")})
    if name == "create_task":
        return client.post(f"{case_url}/tasks/", {
            "title": "Matrix task", "owner": world.users["case_manager"].pk,
            "due_on": (today + dt.timedelta(days=3)).isoformat(),
        }, content_type="application/json")
    if name == "complete_task":
        return client.post(f"{case_url}/tasks/{objects['task_id']}/complete/")
    if name == "log_support_contact":
        return client.post(f"{case_url}/support-plan/contacts/", {
            "contacted_on": today.isoformat(), "method": "phone", "shared": "Matrix news",
        }, content_type="application/json")
    if name == "add_adjustment":
        return client.post(f"{case_url}/support-plan/adjustments/", {
            "kind": "breaks", "status": "agreed", "review_on": (today + dt.timedelta(days=7)).isoformat(),
        }, content_type="application/json")
    if name == "add_oh_referral":
        return client.post(f"{case_url}/support-plan/occupational-health/", {
            "referred_on": today.isoformat(), "consent": "not_asked",
        }, content_type="application/json")
    if name == "start_performance_plan":
        return client.post(f"{case_url}/performance-plans/", {"problem": "Matrix problem"},
                           content_type="application/json")
    if name == "add_performance_goal":
        return client.post(f"{case_url}/performance-plans/{objects['plan_id']}/goals/", {
            "what": "Matrix goal", "measure": "Matrix measure", "due_on": (today + dt.timedelta(days=7)).isoformat(),
        }, content_type="application/json")
    if name == "add_own_reflection":
        return client.post(f"/api/v1/portal/cases/{objects['case_id']}/reflections/", {"text": "Matrix words"},
                           content_type="application/json")
    if name == "ask_consent":
        return client.post(f"{case_url}/consent-requests/", {"reason": "Matrix reason"},
                           content_type="application/json")
    if name == "schedule_meeting":
        member = world.users["panel_member"].pk
        return client.post("/api/v1/panels/meetings/", {
            "held_on": today.isoformat(), "chair": member, "members": [member], "location": "Matrix room",
        }, content_type="application/json")
    if name == "add_agenda_item":
        Case.objects.filter(pk=world.other_team_case.pk).update(status="awaiting_panel")
        shared_triage(world.other_team_case, world.users["professional_advisor"])  # the panel needs it (issue 19)
        return client.post(f"/api/v1/panels/meetings/{objects['meeting_id']}/items/",
                           {"case": world.other_team_case.pk}, content_type="application/json")
    if name == "record_attendance":
        # Held yesterday, so the meeting has started whatever the time of day.
        Meeting.objects.filter(pk=objects["meeting_id"]).update(held_on=today - dt.timedelta(days=1))
        member = world.users["panel_member"].pk
        return client.post(f"/api/v1/panels/meetings/{objects['meeting_id']}/attendance/",
                           {"attended": [member], "chaired_by": member}, content_type="application/json")
    if name == "draft_letter":
        return client.post(f"{case_url}/letters/", {"template": objects["template_id"]},
                           content_type="application/json")
    if name == "approve_letter":
        return client.post(f"/api/v1/letters/{objects['letter_id']}/approve/", {"version": 1},
                           content_type="application/json")
    if name == "edit_letter":
        version = Letter.objects.get(pk=objects["letter_id"]).version  # 2 where the approval went through
        return client.patch(f"/api/v1/letters/{objects['letter_id']}/", {
            "subject": "Matrix subject", "body": "Dear {{ practitioner_name }},\n\nMatrix text.", "version": version,
        }, content_type="application/json")
    raise AssertionError(name)


#: The writes run in this order on one world per role: the status change comes last,
#: since the others need the case to be open (and the summary edit its version 1).
WRITE_ORDER = ("create_practitioner", "create_case", "update_case_summary", "upload_document",
               "create_task", "complete_task", "log_support_contact", "add_adjustment", "add_oh_referral",
               "start_performance_plan", "add_performance_goal", "add_own_reflection", "ask_consent",
               "schedule_meeting", "add_agenda_item", "record_attendance", "draft_letter", "approve_letter", "edit_letter",
               "transition_case")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_write_matrix(world, api_objects, token_for, role):
    assert set(WRITE_ORDER) == set(EXPECTED_FULL_WRITE)
    client = client_as(role, token_for)
    actual, expected = {}, {}
    for name in WRITE_ORDER:
        response = _write(name, client, world, api_objects)
        actual[name] = response.status_code
        expected[name] = EXPECTED_FULL_WRITE[name][ROLES.index(role)]
        if response.status_code >= 400:
            assert set(response.json()) == {"errors"}, (name, response.content[:300])
    mismatches = {n: (expected[n], actual[n]) for n in expected if expected[n] != actual[n]}
    assert not mismatches, f"{role}, write -> (expected, actual): {mismatches}"


@pytest.mark.django_db
def test_a_practitioners_token_on_another_practitioners_case_is_404_and_audited(world, token_for):
    other_case = world.other_team_case  # about someone else
    client = client_as("practitioner", token_for)
    for url in (f"/api/v1/cases/{other_case.pk}/", f"/api/v1/cases/{other_case.pk}/timeline/",
                f"/api/v1/cases/{world.case.pk}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert list(response.json()["errors"]) == ["detail"]
    assert AuditEvent.objects.filter(
        action="access denied", actor_id=world.users["practitioner"].pk, object_id=str(other_case.pk)
    ).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "which", "expected"),
    [
        ("case_manager", "other_team_case", 404),
        ("off_team_case_manager", "other_team_case", 200),
        ("administrator", "other_org_case", 404),
        ("other_org_administrator", "other_org_case", 200),
        ("other_org_administrator", "case", 404),
    ],
)
def test_other_team_and_other_organisation_cases(world, token_for, role, which, expected):
    case = getattr(world, which)
    assert client_as(role, token_for).get(f"/api/v1/cases/{case.pk}/").status_code == expected


@pytest.mark.django_db
def test_a_document_of_one_case_under_another_cases_url_is_404(world, token_for):
    foreign = upload_txt(world.users["off_team_case_manager"], world.other_team_case)
    url = f"/api/v1/cases/{world.case.pk}/documents/{foreign.pk}/download/"
    assert client_as("case_manager", token_for).get(url).status_code == 404


@pytest.mark.django_db
def test_ids_too_large_for_the_database_are_not_found(world, token_for):
    client = client_as("case_manager", token_for)
    huge = 10**30
    for url in (f"/api/v1/cases/{huge}/", f"/api/v1/practitioners/{huge}/", f"/api/v1/cases/{huge}/tasks/"):
        assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/cases/?owner={huge}").status_code == 400


@pytest.mark.urls("tests.api.unnamed_urls")
def test_an_unnamed_api_url_is_caught_by_this_matrix_and_not_the_page_matrix():
    """An /api/v1/ pattern without a name (issue 19) has no row, so the completeness test fails."""
    from tests.test_access_matrix import EXPECTED

    hidden = "api:v1:<unnamed: api/v1/hidden/<int:case_id>/>"
    assert hidden in api_url_names()
    no_row, _ = missing_rows(api_url_names(), EXPECTED_GET)
    assert no_row == {hidden}
    assert missing_rows(_page_names(), EXPECTED)[0] == {"<unnamed: visible-nowhere/>"}
    assert url_for(hidden, {"case_id": 7}, api_url_names()) == "/api/v1/hidden/7/"


# --- Stale team rows (issue 19, point 1; docs/adr/0016) --------------------------------
# world.case has raw team rows for a pastoral-only and a panel-only user: the case, its
# timeline and its tasks answer them 404, each refusal audited.


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["pastoral_contact", "panel_member"])
def test_a_stale_team_row_opens_no_case_timeline_or_tasks(world, api_objects, token_for, role):
    user = world.users[role]
    assert world.case.team.filter(user=user).exists()
    urls = [f"/api/v1/cases/{world.case.pk}/{tail}" for tail in ("", "timeline/", "tasks/")]
    assert [client_as(role, token_for).get(url).status_code for url in urls] == [404, 404, 404]
    assert [client_as("case_manager", token_for).get(url).status_code for url in urls] == [200, 200, 200]
    assert AuditEvent.objects.filter(action="access denied", actor_id=user.pk, object_id=str(world.case.pk)).count() == 3


# --- Writes with an empty body, one row per write endpoint (issue 19, point 10) ---------

WRITE_METHODS = ("post", "put", "patch", "delete")
#: Function views under /api/v1/ (require_GET); test_get_only_api_functions_refuse_writes checks them.
GET_ONLY_FUNCTIONS = frozenset({"api:v1:docs"})


def write_endpoints() -> dict[str, str]:
    """ "METHOD api:v1:name" -> name, for every write method a view under /api/v1/ handles.

    Names are spelt as registered_url_names() spells them (unnamed patterns included), and the
    methods come from the DRF view's http_method_names and handlers, not from a list."""
    found: dict[str, str] = {}

    def walk(patterns, namespace: str, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace, route)
                continue
            name = namespace + pattern.name if pattern.name else f"{namespace}<unnamed: {route}>"
            if not name.startswith(API_NAMESPACE):
                continue
            view = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
            if view is None:  # a plain function, whose methods cannot be read: it must be GET-only
                assert name in GET_ONLY_FUNCTIONS, f"{name}: not a DRF view; add a write row by hand"
                continue
            for method in WRITE_METHODS:
                if method in view.http_method_names and hasattr(view, method):
                    found[f"{method.upper()} {name}"] = name

    walk(get_resolver().url_patterns, "", "")
    return found


def test_every_write_endpoint_has_a_row_and_every_row_an_endpoint():
    endpoints = set(write_endpoints())
    assert "POST api:v1:send_letter" in endpoints and "PATCH api:v1:show_case" in endpoints
    no_row, no_url = missing_rows(endpoints, EXPECTED_WRITE)
    assert no_row == set(), "API write endpoints with no row in EXPECTED_WRITE"
    assert no_url == set(), "EXPECTED_WRITE rows for write endpoints that no longer exist"
    assert all(len(row) == len(ROLES) for row in EXPECTED_WRITE.values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_empty_write_matrix(world, api_objects, token_for, role):
    client = APIClient()
    if role != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(role)}")
    column = ROLES.index(role)
    names = api_url_names()
    actual, expected = {}, {}
    for key, name in sorted(write_endpoints().items()):
        method = key.split(" ", 1)[0].lower()
        url = url_for(name, api_objects, names) if name != "api:v1:not_found" else "/api/v1/nothing/here/"
        # Each write in a savepoint rolled back, so one cannot change the next one's answer.
        with transaction.atomic():
            actual[key] = getattr(client, method)(url, {}, format="json").status_code
            transaction.set_rollback(True)
        expected[key] = EXPECTED_WRITE.get(key, (None,) * len(ROLES))[column]
    mismatches = {k: (expected[k], actual[k]) for k in expected if expected[k] != actual[k]}
    assert not mismatches, f"{role}, write -> (expected, actual): {mismatches}"


@pytest.mark.django_db
def test_get_only_api_functions_refuse_writes(world, api_objects, token_for):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for('administrator')}")
    for name in GET_ONLY_FUNCTIONS:
        url = url_for(name, api_objects, api_url_names())
        assert [getattr(client, m)(url, {}, format="json").status_code for m in WRITE_METHODS] == [405] * 4
