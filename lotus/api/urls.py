"""The API (/api/v1/…, namespace api:v1) and the account pages for API tokens
(/account/api-tokens/…, namespace api)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny

from lotus.api.views import (
    annual,
    docs,
    equity,
    learning,
    learning_actions,
    panels,
    support,
    tokens,
    toolkit,
    triage,
    v1,
    voice,
)
from lotus.core.middleware import public

app_name = "api"


def endpoint(view_class, **initkwargs):
    """A DRF endpoint. Sign-in by session does not apply: DRF checks the bearer token."""
    return public(view_class.as_view(**initkwargs))


_REVIEW = "cases/<int:case_id>/reviews/<int:review_id>/"
_ACTION = "learning/actions/<int:learning_action_id>/"
learning_patterns = [
    path("learning/reviews/", endpoint(learning.ReviewList), name="list_learning_reviews"),
    path("cases/<int:case_id>/reviews/", endpoint(learning.CaseReviews), name="case_reviews"),
    path(_REVIEW, endpoint(learning.ReviewDetail), name="show_review"),
    path(_REVIEW + "declaration/", endpoint(learning.ReviewDeclaration), name="declare_review_conflict"),
    path(_REVIEW + "chronology/", endpoint(learning.ReviewChronology), name="add_chronology_event"),
    path(_REVIEW + "problems/", endpoint(learning.ReviewProblems), name="add_problem"),
    path(_REVIEW + "went-well/", endpoint(learning.ReviewWentWell), name="add_went_well"),
    path(_REVIEW + "factors/", endpoint(learning.ReviewFactors), name="code_factor"),
    path(_REVIEW + "submit/", endpoint(learning.ReviewSubmit), name="submit_review"),
    path(_REVIEW + "approve/", endpoint(learning.ReviewApprove), name="approve_review"),
    path(_REVIEW + "return/", endpoint(learning.ReviewReturn), name="return_review"),
    path(_REVIEW + "amend/", endpoint(learning.ReviewAmend), name="amend_review"),
    path(_REVIEW + "pdf/", endpoint(learning.ReviewDownload), name="download_review_pdf"),
    path(_REVIEW + "docx/", endpoint(learning.ReviewDownloadDocx), name="download_review_docx"),
    path(_REVIEW + "actions/", endpoint(learning.ReviewActions), name="review_actions"),
    path("learning/factors/", endpoint(learning.FactorList), name="list_factors"),
    path("learning/factors/<int:factor_id>/", endpoint(learning.FactorDetail), name="show_factor"),
    path("learning/factors/<int:factor_id>/retire/", endpoint(learning.FactorRetire), name="retire_factor"),
    path("learning/actions/", endpoint(learning_actions.ActionList), name="list_actions"),
    path(_ACTION, endpoint(learning_actions.ActionDetail), name="show_action"),
    path(_ACTION + "status/", endpoint(learning_actions.ActionMove), name="move_action"),
    path(_ACTION + "evidence/", endpoint(learning_actions.ActionEvidence), name="add_action_evidence"),
    path(_ACTION + "evidence/<int:evidence_id>/download/", endpoint(learning_actions.ActionEvidenceDownload),
         name="download_action_evidence"),
    path(_ACTION + "assurance/", endpoint(learning_actions.ActionAssure), name="assure_action"),
    path("learning/library/", endpoint(learning_actions.LibraryList), name="list_library"),
    path("learning/library/<int:summary_id>/", endpoint(learning_actions.LibraryDetail),
         name="show_library_summary"),
    path("insights/themes/", endpoint(learning_actions.Themes), name="themes"),
]

v1_patterns = [
    path(
        "openapi.json",
        endpoint(SpectacularJSONAPIView, permission_classes=[AllowAny], authentication_classes=[]),
        name="openapi",
    ),
    path("docs/", docs.api_docs, name="docs"),
    path("organisations/", endpoint(v1.OrganisationList), name="list_organisations"),
    path("organisations/<int:organisation_id>/", endpoint(v1.OrganisationDetail), name="show_organisation"),
    path("practitioners/", endpoint(v1.PractitionerList), name="list_practitioners"),
    path("practitioners/<int:practitioner_id>/", endpoint(v1.PractitionerDetail), name="show_practitioner"),
    path("cases/", endpoint(v1.CaseList), name="list_cases"),
    path("cases/<int:case_id>/", endpoint(v1.CaseDetail), name="show_case"),
    path("cases/<int:case_id>/transitions/", endpoint(v1.CaseTransition), name="transition_case"),
    path("cases/<int:case_id>/timeline/", endpoint(v1.CaseTimeline), name="case_timeline"),
    path("cases/<int:case_id>/documents/", endpoint(v1.CaseDocuments), name="list_documents"),
    path(
        "cases/<int:case_id>/documents/<int:document_id>/download/",
        endpoint(v1.DocumentDownload),
        name="download_document",
    ),
    path("cases/<int:case_id>/tasks/", endpoint(v1.CaseTasks), name="list_tasks"),
    path("cases/<int:case_id>/letters/", endpoint(panels.CaseLetters), name="list_case_letters"),
    path("cases/<int:case_id>/tasks/<int:task_id>/complete/", endpoint(v1.TaskComplete), name="complete_task"),
    path("cases/<int:case_id>/triage/", endpoint(triage.TriageReviewEndpoint), name="triage_review"),
    path("cases/<int:case_id>/triage/submit/", endpoint(triage.TriageSubmit), name="submit_triage_review"),
    path("cases/<int:case_id>/triage/share/", endpoint(triage.TriageShare), name="share_triage_review"),
    path("cases/<int:case_id>/triage/not-shared/", endpoint(triage.TriageNotShare), name="not_share_triage_review"),
    path("cases/<int:case_id>/triage/second-review/", endpoint(triage.TriageSecondReview), name="second_review"),
    path("cases/<int:case_id>/triage/agreed-score/", endpoint(triage.TriageAgreedScore), name="agreed_score"),
    path("insights/triage-agreement/", endpoint(triage.TriageAgreement), name="triage_agreement"),
    # Equity (issue 13): workforce figures and the dashboard's figures.
    path("insights/equity/", endpoint(equity.EquityFigures), name="equity_figures"),
    path("insights/workforce/", endpoint(equity.WorkforceList), name="list_workforce_figures"),
    path("insights/workforce/<int:year>/<int:quarter>/", endpoint(equity.WorkforcePeriod), name="workforce_figures"),
    path("insights/workforce/<int:year>/<int:quarter>/csv/", endpoint(equity.WorkforceCsv),
         name="workforce_figures_csv"),
    # Support and performance plans (issue 6)
    path("cases/<int:case_id>/support-plan/", endpoint(support.SupportPlanDetail), name="show_support_plan"),
    path("cases/<int:case_id>/support-plan/contacts/", endpoint(support.SupportContacts), name="support_contacts"),
    path(
        "cases/<int:case_id>/support-plan/adjustments/", endpoint(support.SupportAdjustments), name="adjustments"
    ),
    path(
        "cases/<int:case_id>/support-plan/occupational-health/",
        endpoint(support.SupportReferrals),
        name="oh_referrals",
    ),
    path("cases/<int:case_id>/performance-plans/", endpoint(support.PerformancePlans), name="performance_plans"),
    path(
        "cases/<int:case_id>/performance-plans/<int:plan_id>/",
        endpoint(support.PerformancePlanDetail),
        name="show_performance_plan",
    ),
    path(
        "cases/<int:case_id>/performance-plans/<int:plan_id>/goals/",
        endpoint(support.PerformanceGoals),
        name="performance_goals",
    ),
    path("toolkit/assessments/", endpoint(toolkit.AssessmentList), name="list_toolkit_assessments"),
    path("toolkit/assessments/<int:attempt_id>/", endpoint(toolkit.AssessmentDetail), name="show_toolkit_assessment"),
    path("toolkit/entries/", endpoint(toolkit.EntryList), name="list_toolkit_entries"),
    path("toolkit/entries/<int:entry_id>/", endpoint(toolkit.EntryDetail), name="show_toolkit_entry"),
    path("toolkit/actions/", endpoint(toolkit.ActionList), name="list_toolkit_actions"),
    path("toolkit/actions/<int:action_id>/review/", endpoint(toolkit.ActionReview), name="review_toolkit_action"),
    path(
        "toolkit/team-sessions/<int:session_id>/results/",
        endpoint(toolkit.TeamSessionResults),
        name="toolkit_team_results",
    ),
    path("panels/meetings/", endpoint(panels.MeetingList), name="list_meetings"),
    path("panels/meetings/<int:meeting_id>/", endpoint(panels.MeetingDetail), name="show_meeting"),
    path("panels/meetings/<int:meeting_id>/items/", endpoint(panels.MeetingItems), name="add_agenda_item"),
    path("panels/meetings/<int:meeting_id>/attendance/", endpoint(panels.MeetingAttendance),
         name="record_attendance"),
    path("panels/meetings/<int:meeting_id>/items/<int:item_id>/conflict/", endpoint(panels.ItemConflict),
         name="declare_conflict"),
    path("panels/meetings/<int:meeting_id>/items/<int:item_id>/decision/", endpoint(panels.ItemDecision),
         name="record_decision"),
    path("letters/templates/", endpoint(panels.LetterTemplates), name="list_letter_templates"),
    path("letters/<int:letter_id>/", endpoint(panels.LetterDetail), name="show_letter"),
    path("letters/<int:letter_id>/approve/", endpoint(panels.LetterApprove), name="approve_letter"),
    path("letters/<int:letter_id>/pdf/", endpoint(panels.LetterRender), name="render_letter_pdf"),
    path("letters/<int:letter_id>/docx/", endpoint(panels.LetterRenderDocx), name="render_letter_docx"),
    path("letters/<int:letter_id>/send/", endpoint(panels.LetterSend), name="send_letter"),
    path("portal/cases/", endpoint(panels.PortalCases), name="list_own_cases"),
    path("portal/cases/<int:case_id>/consent/<int:consent_id>/", endpoint(panels.PortalConsent),
         name="answer_consent"),
    # The practitioner's own voice: reflections with documents, and consent requests.
    path("portal/cases/<int:case_id>/reflections/", endpoint(voice.OwnReflections), name="own_reflections"),
    path("portal/cases/<int:case_id>/documents/<int:document_id>/download/", endpoint(voice.OwnDocumentDownload),
         name="download_own_document"),
    path("cases/<int:case_id>/reflections/", endpoint(voice.CaseReflections), name="case_reflections"),
    path("cases/<int:case_id>/consent-requests/", endpoint(voice.CaseConsentRequests), name="consent_requests"),
    # Lessons-learnt reviews, factors, actions, the library and themes (issue 12; ADR 0024).
    *learning_patterns,
    # Annual reports (docs/adr/0023): an organisation's own, and those sent to an ICB.
    path("annual-reports/", endpoint(annual.ReportList), name="list_annual_reports"),
    path("annual-reports/<int:report_id>/", endpoint(annual.ReportDetail), name="show_annual_report"),
    path("annual-reports/<int:report_id>/pdf/", endpoint(annual.ReportPdf), name="annual_report_pdf"),
    path("annual-reports/<int:report_id>/docx/", endpoint(annual.ReportDocx), name="annual_report_docx"),
    path("icb/annual-reports/", endpoint(annual.SentReportList), name="list_sent_annual_reports"),
    path("icb/annual-reports/<int:report_id>/", endpoint(annual.SentReportDetail), name="show_sent_annual_report"),
    path("icb/annual-reports/<int:report_id>/pdf/", endpoint(annual.SentReportPdf), name="sent_annual_report_pdf"),
    path("icb/annual-reports/<int:report_id>/docx/", endpoint(annual.SentReportDocx),
         name="sent_annual_report_docx"),
    # [\s\S] matches a line break too, so a path with %0A in it gets the JSON 404 as well.
    # (Not the (?s) flag: Django cannot reverse a pattern that uses it, so every reverse()
    # in the project would fail.)
    re_path(r"^[\s\S]*$", endpoint(v1.NotFoundView), name="not_found"),
]

urlpatterns = [
    path("api/v1/", include((v1_patterns, "v1"))),
    path("account/api-tokens/", tokens.list_tokens, name="list_tokens"),
    path("account/api-tokens/new/", tokens.create_token, name="create_token"),
    path("account/api-tokens/<int:token_id>/revoke/", tokens.revoke_token, name="revoke_token"),
]
