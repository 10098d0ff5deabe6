"""Improvement actions, the learning library and the themes and trends figures under
/api/v1/ (issue 12; ADR 0024). The same selectors and services as the pages: an action is
read by those who may read its review and by its accountable owner; the owner and the
case's managers move it on; a second person assures it. The library holds approved,
anonymised summaries only. The themes figures come from the insights registry with small
numbers suppressed, so a section added there appears here with no change."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from lotus.api import learning_action_serializers as las
from lotus.api.exceptions import Conflict, StoreUnavailable
from lotus.api.openapi import DOCUMENT_MEDIA_TYPES, file_responses
from lotus.api.pagination import page_response
from lotus.api.parsers import RawNameMultiPartParserForApi, RedactableJSONParser
from lotus.api.serializers import ErrorsSerializer
from lotus.api.views.v1 import (
    ERRORS,
    READ_ERRORS,
    TOO_LARGE,
    LotusApiView,
    _body,
    _query,
    _service_errors,
)
from lotus.cases.downloads import document_response
from lotus.cases.services import StaleEdit
from lotus.cases.storage import DocumentStoreUnavailable
from lotus.core.uploads import sent_file_name
from lotus.insights import selectors as insight_selectors
from lotus.insights.forms import ThemesFilterForm
from lotus.learning import selectors_actions as action_selectors
from lotus.learning import selectors_library as library_selectors
from lotus.learning.services import actions as services

TAGS = ["improvement actions"]
STALE = {"version": ["Someone else changed this action after you read it. Read it again, then retry"]}
ACTION_CONFLICT = {409: OpenApiResponse(ErrorsSerializer, description="The action changed since you read it")}


def _action(request, action_id: int, perm: str = "learning.view_action"):
    return action_selectors.action_for_user(request.user, action_id, request=request, perm=perm)


def _detail(request, action) -> dict:
    return las.ActionDetailSerializer(action_selectors.action_page(request.user, action)).data


def _files(request, documents) -> list[tuple[str, bytes]]:
    """(name as sent, content) for each file; one byte past the limit at most, and one
    file past the most the service takes, so it can refuse too many."""
    return [
        (sent_file_name(request._request, uploaded), uploaded.read(settings.DOCUMENT_MAX_BYTES + 1))
        for uploaded in documents[: services.MAX_FILES + 1]
    ]


def _change(request, work) -> Response:
    try:
        action = work()
    except StaleEdit as stale:
        raise Conflict(STALE) from stale
    except DocumentStoreUnavailable as refusal:
        raise StoreUnavailable({"documents": [str(refusal)]}) from refusal
    except ValidationError as error:
        return _service_errors(error)
    return Response(_detail(request, _action(request, action.pk)))


class ActionList(LotusApiView):
    @extend_schema(
        operation_id="list_actions", summary="Improvement actions across cases, due soonest first",
        description="An administrator sees every action of the organisation; a case manager those on the cases "
        "they may open and those they own; other staff who may see evidence the ones they own. `status` is "
        "still_open by default. An owner off the case team sees the action but not its review or case.",
        parameters=[las.ActionQuerySerializer], responses={200: las.ActionPage, **ERRORS}, tags=TAGS,
    )
    def get(self, request):
        if not request.user.has_perm("learning.view_actions_page"):
            raise NotFound
        query = _query(request, las.ActionQuerySerializer)
        filters = action_selectors.ActionFilters(
            status=query.get("status") or "still_open", owner=query.get("owner"), mine=query["mine"],
            overdue=query["overdue"], priority=query.get("priority", ""), case=query.get("case"),
        )
        page = action_selectors.actions_list(request.user, filters, query.get("page"))
        action_selectors.actions_listed(request.user, request=request, filters=filters, count=page.paginator.count)
        return page_response(request, page, las.ActionListItemSerializer)


class ActionDetail(LotusApiView):
    @extend_schema(operation_id="show_action", summary="An improvement action with its evidence and assurance",
                   responses={200: las.ActionDetailSerializer, **READ_ERRORS}, tags=TAGS)
    def get(self, request, learning_action_id: int):
        action = _action(request, learning_action_id)
        action_selectors.action_viewed(request.user, action, request=request)
        return Response(_detail(request, action))


class ActionMove(LotusApiView):
    parser_classes = [RedactableJSONParser, RawNameMultiPartParserForApi]

    @extend_schema(
        operation_id="move_action", summary="Move an action on: in progress, done, not done, or reopened",
        description="Done needs evidence: refused under `evidence` without it. Documents may be sent with it as "
        "multipart/form-data. Not done needs a reason (`note`), and so does reopening. An assured action moves "
        "no further. Send the `version` you read; a newer one gives 409.",
        request={"application/json": las.ActionMoveSerializer, "multipart/form-data": las.ActionMoveSerializer},
        responses={200: las.ActionDetailSerializer, **ERRORS, **ACTION_CONFLICT, **TOO_LARGE}, tags=TAGS,
    )
    def post(self, request, learning_action_id: int):
        action = _action(request, learning_action_id, "learning.update_action")
        data = _body(request, las.ActionMoveSerializer)
        return _change(request, lambda: services.action_move(
            actor=request.user, action=action, expected_version=data["version"], to_status=data["to_status"],
            note=data["note"], evidence=data["evidence"], files=_files(request, data["documents"]),
            request=request))


class ActionEvidence(LotusApiView):
    parser_classes = [RedactableJSONParser, RawNameMultiPartParserForApi]

    @extend_schema(
        operation_id="add_action_evidence", summary="Record evidence for an action as the work goes on",
        description="The text replaces what was there; documents (multipart/form-data) are added to the case's "
        "documents and linked to the action. The status does not change. Send the `version` you read.",
        request={"application/json": las.EvidenceAddSerializer, "multipart/form-data": las.EvidenceAddSerializer},
        responses={200: las.ActionDetailSerializer, **ERRORS, **ACTION_CONFLICT, **TOO_LARGE}, tags=TAGS,
    )
    def post(self, request, learning_action_id: int):
        action = _action(request, learning_action_id, "learning.update_action")
        data = _body(request, las.EvidenceAddSerializer)
        return _change(request, lambda: services.action_add_evidence(
            actor=request.user, action=action, expected_version=data["version"], evidence=data["evidence"],
            files=_files(request, data["documents"]), request=request))


class ActionEvidenceDownload(LotusApiView):
    @extend_schema(operation_id="download_action_evidence", summary="Download a document of an action's evidence",
                   description="For anyone who may see the action, its owner included; the route reaches only "
                   "the action's own evidence, never the case's other documents.",
                   responses={**file_responses(DOCUMENT_MEDIA_TYPES, "The document, with the media type of its kind"),
                              **READ_ERRORS}, tags=TAGS)
    def get(self, request, learning_action_id: int, evidence_id: int):
        action = _action(request, learning_action_id)
        document = action_selectors.evidence_document_for(request.user, action, evidence_id, request=request)
        try:
            return document_response(actor=request.user, document=document, request=request)
        except Http404 as missing:
            raise NotFound from missing


class ActionAssure(LotusApiView):
    @extend_schema(
        operation_id="assure_action", summary="Assure a done action, as a second person",
        description="One of the case's managers who neither owns the action nor marked it done checks the "
        "evidence and signs it off. The owner or the person who marked it done is refused under "
        "`assurance_note`. Send the `version` you read.",
        request=las.AssureSerializer, responses={200: las.ActionDetailSerializer, **ERRORS, **ACTION_CONFLICT},
        tags=TAGS,
    )
    def post(self, request, learning_action_id: int):
        action = _action(request, learning_action_id, "learning.assure_action")
        data = _body(request, las.AssureSerializer)
        return _change(request, lambda: services.action_assure(
            actor=request.user, action=action, expected_version=data["version"],
            assurance_note=data["assurance_note"], request=request))


# ---------------------------------------------------------------- the learning library


def _require_library(request) -> None:
    if not request.user.has_perm("learning.view_library"):
        raise NotFound


class LibraryList(LotusApiView):
    @extend_schema(
        operation_id="list_library",
        summary="The learning library: anonymised summaries approved for sharing, newest first",
        description="For every member of staff, analysts included. Words in `q` are searched for in the title, "
        "the text and the factor names. A summary holds no name, case or review, and no date closer than the "
        "month.",
        parameters=[las.LibraryQuerySerializer], responses={200: las.LibraryPage, **ERRORS}, tags=["library"],
    )
    def get(self, request):
        _require_library(request)
        query = _query(request, las.LibraryQuerySerializer)
        filters = library_selectors.LibraryFilters(
            query=query.get("q", "").strip(), category=query.get("category", ""),
            profession=query.get("profession", ""), year=query.get("year"),
        )
        page = library_selectors.library_page(request.user, filters, query.get("page"))
        library_selectors.library_read(request.user, request=request, what="api library",
                                       searched=bool(filters.query), count=page.paginator.count)
        return page_response(request, page, las.LibrarySummarySerializer)


class LibraryDetail(LotusApiView):
    @extend_schema(operation_id="show_library_summary", summary="A learning summary in the library",
                   description="A summary not approved for sharing, or withdrawn, is 404 for everyone.",
                   responses={200: las.LibrarySummarySerializer, **READ_ERRORS}, tags=["library"])
    def get(self, request, summary_id: int):
        _require_library(request)
        summary = library_selectors.library_summary_for(request.user, summary_id, request=request)
        library_selectors.library_read(request.user, request=request, what="api summary", summary=summary)
        return Response(las.LibrarySummarySerializer(summary).data)


# ---------------------------------------------------------------- themes and trends


class Themes(LotusApiView):
    @extend_schema(
        operation_id="show_themes",
        summary="For administrators and analysts: the themes and trends figures, small numbers suppressed",
        description="Every section and table of the themes and trends page, as figures: the same tables, the "
        "same protection (a figure about fewer people than `threshold`, or one that could be worked out from "
        "the totals, is null with the text Fewer than `threshold` people or protected, and `hidden` is true). The "
        "filters are the page's: a period of more than 12 quarters, or one in the future, is refused under "
        "`start` or `end`; `by` gives one column per quarter (the default) or per calendar year.",
        parameters=[las.ThemesQuerySerializer], responses={200: las.ThemesSerializer, **ERRORS},
        tags=["themes and trends"],
    )
    def get(self, request):
        insight_selectors.require_themes(request.user, request=request)
        form = ThemesFilterForm(request.query_params or None, today=timezone.localdate(),
                                organisations=insight_selectors.organisations_for(request.user))
        filters = form.filters()
        if filters is None:
            errors = {("non_field_errors" if k == "__all__" else k): [str(m) for m in v]
                      for k, v in form.errors.items()}
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        period, profession = filters.period, filters.profession
        sections = insight_selectors.themes(request.user, period=period, profession=profession, by=filters.by,
                                            today=timezone.localdate(), organisation_id=filters.organisation_id,
                                            request=request)
        return Response(las.ThemesSerializer({
            "start": period.first.label, "end": period.last.label, "profession": profession or "",
            "by": filters.by, "threshold": insight_selectors.threshold_for(filters.organisation_id), "sections": sections,
        }).data)
