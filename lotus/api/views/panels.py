"""Panels, letters and the practitioner's portal under /api/v1/: the same selectors and
services as the pages, so the access policy, the audit trail, conflicts, quorum, second-
person approval and send-once apply unchanged."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from lotus.api.exceptions import Conflict
from lotus.api.openapi import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE, file_responses
from lotus.api.pagination import page_response, paginate
from lotus.api.panel_serializers import (
    AgendaItemRequestSerializer,
    AgendaItemSerializer,
    ApproveSerializer,
    AttendanceSerializer,
    ConflictSerializer,
    ConsentAnswerSerializer,
    DecisionRequestSerializer,
    DecisionSerializer,
    DeclarationSerializer,
    DraftRequestSerializer,
    FindingSerializer,
    LetterDetailSerializer,
    LetterEditSerializer,
    LetterPage,
    LetterSerializer,
    MeetingDetailSerializer,
    MeetingPage,
    MeetingSerializer,
    PortalCasePage,
    PortalCaseSerializer,
    PortalConsentSerializer,
    PortalLetterSerializer,
    ScheduleSerializer,
    SendSerializer,
    TemplatePage,
    TemplateSerializer,
)
from lotus.api.serializers import (
    ErrorsSerializer,
    PersonSerializer,
)
from lotus.api.views.v1 import ERRORS, PAGE, READ_ERRORS, LotusApiView, _body, _service_errors
from lotus.cases import selectors as case_selectors
from lotus.letters import merge, rendering
from lotus.letters import selectors as letter_selectors
from lotus.letters import services as letter_services
from lotus.panels import selectors as panel_selectors
from lotus.panels import services as panel_services
from lotus.panels.models import DEFAULT_START
from lotus.portal import selectors as portal_selectors
from lotus.portal import services as portal_services

STALE = {"version": ["Someone else changed this letter after you read it. Read it again, then retry"]}
LETTER_CONFLICT = {409: OpenApiResponse(ErrorsSerializer, description="The letter changed since you read it")}
NOT_ON_AGENDA_LIST = ("Choose a case from your organisation that is awaiting the panel or coming back for review, "
                      "and is not already on this agenda")
NOT_A_PANEL_MEMBER = "Choose members from your organisation's panel members"
UNKNOWN_TEMPLATE = "Choose one of your organisation's letter templates. GET /api/v1/letters/templates/ lists them"


# ---------------------------------------------------------------- helpers


def _item_row(row) -> dict:
    return {
        "id": row.item.pk, "position": row.item.position, "case": row.item.case_id,
        "case_reference": row.item.case.reference, "decisions_sought": row.item.decisions_sought,
        "taking_part": row.taking_part, "quorate": row.quorate, "conflicted_members": row.conflicted_names,
        "papers_visible": row.can_see_papers, "decided": row.decision is not None,
        "outcomes": row.decision.outcomes if row.decision else [],
    }


def _meeting_detail(request, meeting) -> dict:
    page = panel_selectors.meeting_page(request.user, meeting)
    data = dict(MeetingSerializer(meeting).data)
    data["members"] = PersonSerializer(page.members, many=True).data
    data["attended"] = PersonSerializer(page.attended, many=True).data
    data["items"] = [_item_row(row) for row in page.rows]
    return data


def _letter_detail(letter) -> dict:
    check, merge_error = letter_services.letter_check(letter)
    data = dict(LetterSerializer(letter).data)
    data["check"] = FindingSerializer(check.findings if check else [], many=True).data
    data["merge_error"] = merge_error
    return data


def _portal_case(request, case) -> dict:
    view = portal_selectors.portal_case(request.user, case, request=request)
    return {
        "id": case.pk, "reference": case.reference, "status": case.status,
        "status_in_plain_english": view.status_title, "what_happens_next": view.next_steps,
        "triage_shared": view.triage_shared, "case_manager": PersonSerializer(case.owner).data,
        "letters": PortalLetterSerializer(view.letters, many=True).data,
        "consent_requests": PortalConsentSerializer(view.consents, many=True).data,
    }


# ---------------------------------------------------------------- endpoints


class MeetingList(LotusApiView):
    @extend_schema(operation_id="list_meetings", summary="Panel meetings you run or sit on", parameters=[PAGE],
                   responses={200: MeetingPage, **READ_ERRORS}, tags=["panels"])
    def get(self, request):
        if not request.user.has_perm("panels.list_meetings"):
            raise NotFound
        page = paginate(panel_selectors.meetings_for(request.user), request.query_params.get("page"))
        return page_response(request, page, MeetingSerializer)

    @extend_schema(operation_id="schedule_meeting", summary="Schedule a panel meeting",
                   description="The panel's name and quorum are copied from your organisation's settings. "
                   "The chair must be one of the members, and the meeting needs a place or a video link.",
                   request=ScheduleSerializer, responses={201: MeetingDetailSerializer, **ERRORS}, tags=["panels"])
    def post(self, request):
        if not request.user.has_perm("panels.schedule_meeting"):
            raise NotFound
        data = _body(request, ScheduleSerializer)
        # As on the page, members come from the organisation's panel: anyone else is refused, not dropped.
        panel = {member.pk for member in panel_selectors.panel_member_choices(request.user)}
        if any(member_id not in panel for member_id in data["members"]):
            raise ApiValidationError({"members": [NOT_A_PANEL_MEMBER]})
        try:
            meeting = panel_services.meeting_schedule(
                actor=request.user, held_on=data["held_on"], chair_id=data["chair"], member_ids=data["members"],
                starts_at=data["starts_at"] or DEFAULT_START,
                location=data["location"], video_link=data["video_link"], request=request,
            )
        except ValidationError as error:
            return _service_errors(error)
        return Response(_meeting_detail(request, meeting), status=201)


class MeetingItems(LotusApiView):
    @extend_schema(operation_id="add_agenda_item", summary="Add a case to a meeting's agenda",
                   description="The case must be one the agenda page offers: from your organisation, awaiting "
                   "the panel or under investigation or remediation, and not already on this agenda. Any other "
                   "case, including one you cannot see, gets the same answer: 400 under `case`.",
                   request=AgendaItemRequestSerializer, responses={201: AgendaItemSerializer, **ERRORS},
                   tags=["panels"])
    def post(self, request, meeting_id: int):
        meeting = panel_selectors.meeting_for_user(request.user, meeting_id, request=request,
                                                   perm="panels.manage_meeting")
        data = _body(request, AgendaItemRequestSerializer)
        case = next((c for c in panel_selectors.cases_for_agenda(request.user, meeting) if c.pk == data["case"]),
                    None)
        if case is None:
            raise ApiValidationError({"case": [NOT_ON_AGENDA_LIST]})
        try:
            item = panel_services.item_add(actor=request.user, meeting=meeting, case=case,
                                           decisions_sought=data["decisions_sought"], request=request)
        except ValidationError as error:
            return _service_errors(error)
        page = panel_selectors.meeting_page(request.user, meeting)
        return Response(next(_item_row(row) for row in page.rows if row.item.pk == item.pk), status=201)


class MeetingDetail(LotusApiView):
    @extend_schema(operation_id="show_meeting", summary="A meeting with its agenda, quorum and conflicts per item",
                   responses={200: MeetingDetailSerializer, **READ_ERRORS}, tags=["panels"])
    def get(self, request, meeting_id: int):
        meeting = panel_selectors.meeting_for_user(request.user, meeting_id, request=request)
        panel_selectors.meeting_viewed(request.user, meeting, request=request)
        return Response(_meeting_detail(request, meeting))


class MeetingAttendance(LotusApiView):
    @extend_schema(operation_id="record_attendance", summary="Record who attended a meeting and who chaired it",
                   description="Quorum for each item counts the members who attended and declared no conflict. "
                   "Refused before the meeting starts and after its first decision.",
                   request=AttendanceSerializer, responses={200: MeetingDetailSerializer, **ERRORS}, tags=["panels"])
    def post(self, request, meeting_id: int):
        meeting = panel_selectors.meeting_for_user(request.user, meeting_id, request=request,
                                                   perm="panels.record_attendance")
        data = _body(request, AttendanceSerializer)
        try:
            meeting = panel_services.attendance_record(actor=request.user, meeting=meeting,
                                                       attended_ids=data["attended"],
                                                       chaired_by_id=data["chaired_by"], request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response(_meeting_detail(request, meeting))


class ItemConflict(LotusApiView):
    @extend_schema(operation_id="declare_conflict", summary="Declare your conflict of interest, or none, for an item",
                   request=ConflictSerializer, responses={200: DeclarationSerializer, **ERRORS}, tags=["panels"])
    def post(self, request, meeting_id: int, item_id: int):
        meeting = panel_selectors.meeting_for_user(request.user, meeting_id, request=request)
        item = panel_selectors.item_for_user(request.user, meeting, item_id, request=request,
                                             perm="panels.declare_conflict")
        data = _body(request, ConflictSerializer)
        try:
            declaration = panel_services.conflict_declare(actor=request.user, item=item,
                                                          has_conflict=data["has_conflict"],
                                                          details=data["details"], request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response({"item": item.pk, "has_conflict": declaration.has_conflict,
                         "declared_at": declaration.declared_at})


class ItemDecision(LotusApiView):
    @extend_schema(operation_id="record_decision",
                   summary="Record the panel's decision; the case moves on and the outcome letter is drafted",
                   request=DecisionRequestSerializer, responses={201: DecisionSerializer, **ERRORS}, tags=["panels"])
    def post(self, request, meeting_id: int, item_id: int):
        meeting = panel_selectors.meeting_for_user(request.user, meeting_id, request=request)
        item = panel_selectors.item_for_user(request.user, meeting, item_id, request=request,
                                             perm="panels.record_decision")
        data = _body(request, DecisionRequestSerializer)
        try:
            decision = panel_services.decision_record(
                actor=request.user, item=item, outcomes=data["outcomes"], rationale=data["rationale"],
                next_review_on=data.get("next_review_on"), actions=[dict(a) for a in data.get("actions", [])],
                request=request,
            )
        except ValidationError as error:
            return _service_errors(error)
        return Response(DecisionSerializer(decision).data, status=201)


class LetterDetail(LotusApiView):
    @extend_schema(operation_id="show_letter", summary="A letter with its communication check",
                   responses={200: LetterDetailSerializer, **READ_ERRORS}, tags=["letters"])
    def get(self, request, letter_id: int):
        letter = letter_selectors.letter_for_user(request.user, letter_id, request=request)
        letter_selectors.letter_viewed(request.user, letter, request=request)
        return Response(_letter_detail(letter))

    @extend_schema(
        operation_id="edit_letter", summary="Change a draft or approved letter's subject and text",
        description="Send the `version` you read. If the letter has changed since, nothing is saved and the answer "
        "is 409: read it again and retry. An approved letter that is changed needs approving again. A sent letter "
        "cannot be changed. A merge field LOTUS does not know is saved as typed and named in `merge_error`: "
        "fix it before the letter is approved.",
        request=LetterEditSerializer, responses={200: LetterDetailSerializer, **ERRORS, **LETTER_CONFLICT},
        tags=["letters"],
    )
    def patch(self, request, letter_id: int):
        letter = letter_selectors.letter_for_user(request.user, letter_id, request=request, perm="letters.edit_letter")
        data = _body(request, LetterEditSerializer)
        try:
            letter = letter_services.letter_edit(actor=request.user, letter=letter, subject=data["subject"],
                                                 body=data["body"], expected_version=data["version"],
                                                 request=request)
        except letter_services.StaleEdit as stale:
            raise Conflict(STALE) from stale
        except ValidationError as error:
            return _service_errors(error)
        return Response(_letter_detail(letter))


class LetterApprove(LotusApiView):
    @extend_schema(
        operation_id="approve_letter", summary="Approve a draft letter so it can be sent",
        description="Where your organisation asks for a second person, someone other than the last person to "
        "edit the letter must approve it. A letter whose facts contradict the case record (the meeting date, the "
        "review date, a consent request without an assessment) is refused with each fact named. Send the `version` "
        "you read; a newer one gives 409.",
        request=ApproveSerializer, responses={200: LetterSerializer, **ERRORS, **LETTER_CONFLICT}, tags=["letters"],
    )
    def post(self, request, letter_id: int):
        letter = letter_selectors.letter_for_user(request.user, letter_id, request=request,
                                                  perm="letters.edit_letter")
        data = _body(request, ApproveSerializer)
        try:
            letter = letter_services.letter_approve(actor=request.user, letter=letter,
                                                    expected_version=data["version"], request=request)
        except letter_services.StaleEdit as stale:
            raise Conflict(STALE) from stale
        except ValidationError as error:
            return _service_errors(error)
        return Response(LetterSerializer(letter).data)


class CaseLetters(LotusApiView):
    @extend_schema(operation_id="list_case_letters", summary="A case's letters, newest first", parameters=[PAGE],
                   responses={200: LetterPage, **READ_ERRORS}, tags=["letters"])
    def get(self, request, case_id: int):
        # Whoever may read the case's letters (letters.view_letter) may see its evidence.
        case = case_selectors.case_for_user(request.user, case_id, request=request, perm="cases.view_evidence")
        page = paginate(letter_selectors.letters_of_case(request.user, case), request.query_params.get("page"))
        return page_response(request, page, LetterSerializer)

    @extend_schema(operation_id="draft_letter", summary="Open a draft letter on a case from a template",
                   description="Every merge field LOTUS knows is filled in; the draft then needs checking, "
                   "approving and sending.",
                   request=DraftRequestSerializer, responses={201: LetterDetailSerializer, **ERRORS},
                   tags=["letters"])
    def post(self, request, case_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request, perm="letters.draft_letter")
        data = _body(request, DraftRequestSerializer)
        template = next((t for t in letter_selectors.templates_for(request.user) if t.pk == data["template"]), None)
        if template is None:
            raise ApiValidationError({"template": [UNKNOWN_TEMPLATE]})
        try:
            letter = letter_services.letter_draft(actor=request.user, case=case, template=template, request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response(_letter_detail(letter), status=201)


class LetterTemplates(LotusApiView):
    @extend_schema(operation_id="list_letter_templates",
                   summary="Your organisation's letter templates, to draft letters from", parameters=[PAGE],
                   responses={200: TemplatePage, **READ_ERRORS}, tags=["letters"])
    def get(self, request):
        if not request.user.has_perm("letters.list_templates"):
            raise NotFound
        page = paginate(letter_selectors.templates_for(request.user), request.query_params.get("page"))
        return page_response(request, page, TemplateSerializer)


class LetterRender(LotusApiView):
    kind = "pdf"

    @extend_schema(operation_id="render_letter", summary="The letter as PDF",
                   responses={**file_responses([PDF_MEDIA_TYPE], "The merged letter as a PDF"), **ERRORS},
                   tags=["letters"])
    def get(self, request, letter_id: int):
        letter = letter_selectors.letter_for_user(request.user, letter_id, request=request)
        try:
            subject, body = letter_services.merged_subject(letter), letter_services.merged_text(letter)
        except merge.MergeError as error:
            return Response({"errors": {"body": [str(error)]}}, status=400)
        if self.kind == "pdf":
            data, media = rendering.letter_pdf(subject, body), PDF_MEDIA_TYPE
        else:
            data, media = rendering.letter_docx(subject, body), DOCX_MEDIA_TYPE
        letter_services.letter_rendered(actor=request.user, letter=letter, kind=self.kind, request=request)
        response = HttpResponse(data, content_type=media)
        response["Content-Disposition"] = f'attachment; filename="letter-{letter.pk}.{self.kind}"'
        return response


class LetterRenderDocx(LetterRender):
    kind = "docx"

    @extend_schema(operation_id="render_letter_docx", summary="The letter as a Word document",
                   responses={**file_responses([DOCX_MEDIA_TYPE], "The merged letter as a Word document (DOCX)"),
                              **ERRORS},
                   tags=["letters"])
    def get(self, request, letter_id: int):
        return super().get(request, letter_id)


class LetterSend(LotusApiView):
    @extend_schema(operation_id="send_letter",
                   summary="Mark an approved letter as sent (a repeat changes nothing and answers the same)",
                   description="`channel` is how the letter reached the practitioner. `portal` is refused (400, with "
                   "what to do instead) when the practitioner has no LOTUS account, and `email` when there is no "
                   "email address for them; a practitioner sent a letter through LOTUS is emailed that something "
                   "is waiting, with no case content. A letter whose facts contradict the record is refused.",
                   request=SendSerializer, responses={200: LetterSerializer, **ERRORS}, tags=["letters"])
    def post(self, request, letter_id: int):
        letter = letter_selectors.letter_for_user(request.user, letter_id, request=request, perm="letters.send_letter")
        data = _body(request, SendSerializer)
        try:
            letter, _first = letter_services.letter_send(actor=request.user, letter=letter, channel=data["channel"],
                                                         sent_on=data["sent_on"], request=request)
        except letter_services.StaleEdit as stale:
            raise Conflict(STALE) from stale
        except ValidationError as error:
            return _service_errors(error)
        return Response(LetterSerializer(letter).data)


class PortalCases(LotusApiView):
    @extend_schema(operation_id="list_own_cases",
                   summary="For a practitioner: their own cases, with only what was shared with them",
                   parameters=[PAGE], responses={200: PortalCasePage, **READ_ERRORS}, tags=["portal"])
    def get(self, request):
        if not request.user.has_perm("portal.use_portal"):
            raise NotFound
        page = paginate(portal_selectors.own_cases(request.user), request.query_params.get("page"))
        page.object_list = [_portal_case(request, case) for case in page.object_list]
        return page_response(request, page, PortalCaseSerializer)


class PortalConsent(LotusApiView):
    @extend_schema(operation_id="answer_consent",
                   summary="For a practitioner: give, decline or withdraw consent to share an occupational health report",
                   request=ConsentAnswerSerializer, responses={200: PortalConsentSerializer, **ERRORS}, tags=["portal"])
    def post(self, request, case_id: int, consent_id: int):
        case = portal_selectors.own_case(request.user, case_id, request=request, perm="portal.answer_consent")
        consent = portal_selectors.own_consent(request.user, case, consent_id, request=request)
        data = _body(request, ConsentAnswerSerializer)
        try:
            consent = portal_services.consent_answer(actor=request.user, consent=consent, answer=data["answer"],
                                                     request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response(PortalConsentSerializer(consent).data)

