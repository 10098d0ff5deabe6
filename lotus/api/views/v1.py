"""REST endpoints under /api/v1/. Thin, like the pages: parse, call one selector or
service (the same ones the pages call, so the access policy and the audit apply
unchanged), serialise. Nothing here queries a model directly."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import AuthenticationFailed, NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from lotus.api import serializers as s
from lotus.api.exceptions import Conflict, PayloadTooLarge, StoreUnavailable, validation_error_body
from lotus.api.models import ApiToken
from lotus.api.openapi import DOCUMENT_MEDIA_TYPES, file_responses
from lotus.api.pagination import page_response, paginate
from lotus.api.parsers import RawNameMultiPartParserForApi
from lotus.api.services import api_request_audited
from lotus.cases import selectors as case_selectors
from lotus.cases import services as case_services
from lotus.cases.downloads import document_response
from lotus.cases.filetypes import UploadRefused
from lotus.cases.storage import DocumentStoreUnavailable
from lotus.cases.workflow import transitions_from
from lotus.core.uploads import sent_file_name
from lotus.practitioners import selectors as practitioner_selectors
from lotus.practitioners import services as practitioner_services

ERRORS = {
    400: OpenApiResponse(s.ErrorsSerializer, description="The body or query is not valid: messages by field"),
    401: OpenApiResponse(s.ErrorsSerializer, description="No token, or a token that is unknown, revoked or expired"),
    404: OpenApiResponse(s.ErrorsSerializer, description="Not found, or outside your reach"),
    429: OpenApiResponse(s.ErrorsSerializer, description="Too many requests: wait for Retry-After seconds"),
}
READ_ERRORS = {k: ERRORS[k] for k in (401, 404, 429)}
CONFLICT = {409: OpenApiResponse(s.ErrorsSerializer, description="The case changed since you read it")}
TOO_LARGE = {413: OpenApiResponse(s.ErrorsSerializer, description="The file is larger than the limit")}
PAGE = OpenApiParameter("page", OpenApiTypes.INT, description="Page number, from 1")


def _query(request, serializer_class):
    """Validated query parameters; empty ones are treated as absent, as on the pages."""
    data = {key: value for key, value in request.query_params.items() if value != ""}
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _body(request, serializer_class):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _service_errors(error: ValidationError) -> Response:
    return Response(validation_error_body(error), status=status.HTTP_400_BAD_REQUEST)


class LotusApiView(APIView):
    """Every endpoint: ids too large for the database are simply not found, and every
    request made with a token is written to the audit trail with its outcome."""

    def initial(self, request, *args, **kwargs):
        # DRF's own order, except that the rate limit comes before the permission check
        # and also applies to a refused token: guessing tokens is throttled per address.
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(request)
        request.version, request.versioning_scheme = self.determine_version(request, *args, **kwargs)
        try:
            self.perform_authentication(request)
        except AuthenticationFailed:
            self.check_throttles(request)
            raise
        self.check_throttles(request)
        self.check_permissions(request)
        if any(isinstance(v, int) and v > s.MAX_ID for v in kwargs.values()):
            raise NotFound
        # Refuse an oversized body before reading it. Non-file data has Django's limit;
        # an upload may add one document's worth (its own limit is checked by the service).
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request.content_type.startswith("multipart/"):
            limit += settings.DOCUMENT_MAX_BYTES
        if length > limit:
            raise PayloadTooLarge("The request body is too large")

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = getattr(request, "_auth", None)
        if isinstance(token, ApiToken):
            api_request_audited(token=token, request=request, status_code=response.status_code)
        response["Cache-Control"] = "no-store"
        return response


# ------------------------------------------------------------------ organisations


class OrganisationList(LotusApiView):
    @extend_schema(operation_id="list_organisations", summary="Your organisation", responses={200: s.OrganisationPage, **READ_ERRORS}, tags=["organisations"])
    def get(self, request):
        page = paginate([request.user.organisation], 1)
        return page_response(request, page, s.OrganisationSerializer)


class OrganisationDetail(LotusApiView):
    @extend_schema(operation_id="show_organisation", summary="An organisation (only your own)", responses={200: s.OrganisationSerializer, **READ_ERRORS},
                   tags=["organisations"])
    def get(self, request, organisation_id: int):
        if organisation_id != request.user.organisation_id:
            raise NotFound
        return Response(s.OrganisationSerializer(request.user.organisation).data)


# ------------------------------------------------------------------ practitioners


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise NotFound


class PractitionerList(LotusApiView):
    @extend_schema(
        operation_id="list_practitioners", summary="The practitioner register",
        parameters=[s.PractitionerQuerySerializer],
        responses={200: s.PractitionerPage, **ERRORS},
        tags=["practitioners"],
    )
    def get(self, request):
        _require(request.user, "practitioners.view_register")
        query = _query(request, s.PractitionerQuerySerializer)
        register = practitioner_selectors.practitioner_register(request.user, query=query.get("q", "").strip())
        return page_response(request, paginate(register, query.get("page")), s.PractitionerSerializer)

    @extend_schema(
        operation_id="create_practitioner", summary="Add a practitioner to the register",
        request=s.PractitionerCreateSerializer,
        responses={201: s.PractitionerSerializer, **ERRORS},
        tags=["practitioners"],
    )
    def post(self, request):
        _require(request.user, "practitioners.register")
        data = _body(request, s.PractitionerCreateSerializer)
        try:
            practitioner = practitioner_services.practitioner_register(actor=request.user, request=request, **data)
        except ValidationError as error:
            return _service_errors(error)
        return Response(s.PractitionerSerializer(practitioner).data, status=status.HTTP_201_CREATED)


class PractitionerDetail(LotusApiView):
    @extend_schema(operation_id="show_practitioner", summary="A practitioner", responses={200: s.PractitionerSerializer, **READ_ERRORS},
                   tags=["practitioners"])
    def get(self, request, practitioner_id: int):
        practitioner = practitioner_selectors.practitioner_for_user(request.user, practitioner_id, request=request)
        return Response(s.PractitionerSerializer(practitioner).data)


# ------------------------------------------------------------------ cases


class CaseList(LotusApiView):
    @extend_schema(
        operation_id="list_cases", summary="Cases you work on, with the case list's filters",
        parameters=[s.CaseFilterSerializer],
        responses={200: s.CasePage, **ERRORS},
        tags=["cases"],
    )
    def get(self, request):
        _require(request.user, "cases.view_case_list")
        query = _query(request, s.CaseFilterSerializer)
        filters = case_selectors.CaseFilters(
            status=query.get("status", ""),
            profession=query.get("profession", ""),
            owner=query.get("owner"),
            overdue=query.get("overdue", False),
            sort=query.get("sort", "received_newest"),
        )
        page = case_selectors.case_list(request.user, filters, query.get("page"))
        return page_response(request, page, s.CaseListItemSerializer)

    @extend_schema(
        operation_id="create_case", summary="Open a case",
        description="Its status, organisation and team are set by LOTUS: such keys in the body are ignored.",
        request=s.CaseCreateSerializer,
        responses={201: s.CaseSerializer, **ERRORS},
        tags=["cases"],
    )
    def post(self, request):
        _require(request.user, "cases.open_case")
        data = _body(request, s.CaseCreateSerializer)
        practitioner = (
            practitioner_selectors.practitioner_register(request.user).filter(pk=data["practitioner"]).first()
        )
        owner = case_selectors.case_owner_choices(request.user).filter(pk=data["owner"]).first()
        problems = {}
        if practitioner is None:
            problems["practitioner"] = ["Choose a practitioner from your organisation's register"]
        if owner is None:
            problems["owner"] = ["Choose a case manager from your organisation as the owner"]
        if problems:
            raise ApiValidationError(problems)
        try:
            case = case_services.case_open(
                actor=request.user,
                practitioner=practitioner,
                received_on=data["received_on"],
                source=data["source"],
                categories=data["categories"],
                summary=data["summary"],
                owner=owner,
                request=request,
            )
        except ValidationError as error:
            return _service_errors(error)
        return Response(s.CaseSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED)


class CaseDetail(LotusApiView):
    @extend_schema(operation_id="show_case", summary="A case", responses={200: s.CaseSerializer, **READ_ERRORS}, tags=["cases"])
    def get(self, request, case_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request)
        case_selectors.case_viewed(request.user, case, request=request)
        data = case_selectors.case_page_data(request.user, case, timeline_limit=0)
        case.is_overdue = data.is_overdue
        return Response(s.CaseSerializer(case, context={"request": request}).data)

    @extend_schema(
        operation_id="update_case_summary", summary="Change a case's summary",
        description="Send the `version` you read. If the case has changed since, nothing is saved and the "
        "answer is 409: read the case again and retry.",
        request=s.CaseSummaryUpdateSerializer,
        responses={200: s.CaseSerializer, **ERRORS, **CONFLICT},
        tags=["cases"],
    )
    def patch(self, request, case_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request, perm="cases.change_case")
        data = _body(request, s.CaseSummaryUpdateSerializer)
        try:
            case = case_services.case_update_summary(
                actor=request.user, case=case, summary=data["summary"], expected_version=data["version"],
                request=request,
            )
        except case_services.StaleEdit as stale:
            raise Conflict(
                {"version": ["Someone else changed this case after you read it. Read it again, then retry"]}
            ) from stale
        except ValidationError as error:
            return _service_errors(error)
        return Response(s.CaseSerializer(case, context={"request": request}).data)


class CaseTransition(LotusApiView):
    @extend_schema(
        operation_id="transition_case", summary="Move a case to another status",
        request=s.TransitionSerializer,
        responses={200: s.CaseSerializer, **ERRORS, **CONFLICT},
        tags=["cases"],
    )
    def post(self, request, case_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request)
        allowed = transitions_from(case.status, request.user.roles)
        if not allowed:
            raise case_selectors.deny(request.user, request, "case", case.pk)
        data = _body(request, s.TransitionSerializer)
        if data["target"] not in {t.target.value for t in allowed}:
            raise ApiValidationError(
                {"target": ["Choose one of: " + ", ".join(t.target.value for t in allowed)]}
            )
        try:
            case = case_services.case_transition(
                actor=request.user,
                case=case,
                target=data["target"],
                reason=data["reason"],
                expected_status=data.get("expected_status"),
                request=request,
            )
        except case_services.StaleEdit as stale:
            raise Conflict(
                {"expected_status": ["The case's status changed after you read it. Read it again, then retry"]}
            ) from stale
        except ValidationError as error:
            return _service_errors(error)
        return Response(s.CaseSerializer(case, context={"request": request}).data)


class CaseTimeline(LotusApiView):
    @extend_schema(operation_id="case_timeline", summary="A case's timeline, newest first", parameters=[PAGE],
                   responses={200: s.TimelinePage, **ERRORS}, tags=["cases"])
    def get(self, request, case_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request)
        query = _query(request, s.PageQuerySerializer)
        data = case_selectors.case_page_data(
            request.user, case, timeline_limit=settings.LOTUS_API_TIMELINE_LIMIT
        )
        case_selectors.case_viewed(request.user, case, request=request)
        return page_response(
            request, paginate(data.timeline, query.get("page")), s.TimelineEventSerializer, s.blind_context(request, case)
        )


# ------------------------------------------------------------------ documents


class CaseDocuments(LotusApiView):
    parser_classes = [RawNameMultiPartParserForApi]

    @extend_schema(operation_id="list_documents", summary="Documents on a case (details only)", parameters=[PAGE],
                   responses={200: s.DocumentPage, **ERRORS}, tags=["documents"])
    def get(self, request, case_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request, perm="cases.view_documents")
        query = _query(request, s.PageQuerySerializer)
        data = case_selectors.case_page_data(request.user, case, timeline_limit=0)
        return page_response(request, paginate(data.documents, query.get("page")), s.DocumentSerializer)

    @extend_schema(
        operation_id="upload_document", summary="Upload a document",
        description="The file is checked by its content, as on the upload page. Too large: 413. "
        "Refused for any other reason: 400 with the reason under `file`.",
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={201: s.DocumentSerializer, **ERRORS, **TOO_LARGE},
        tags=["documents"],
    )
    def post(self, request, case_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request, perm="cases.upload_document")
        data = _body(request, s.DocumentUploadSerializer)
        uploaded = data["file"]
        # Read one byte past the limit at most: enough to refuse, never a whole huge file.
        content = uploaded.read(settings.DOCUMENT_MAX_BYTES + 1)
        try:
            document = case_services.document_upload(
                actor=request.user,
                case=case,
                title=data.get("title", ""),
                file_name=sent_file_name(request._request, uploaded),
                data=content,
                request=request,
            )
        except DocumentStoreUnavailable as refusal:
            raise StoreUnavailable({"file": [str(refusal)]}) from refusal
        except UploadRefused as refusal:
            if len(content) > settings.DOCUMENT_MAX_BYTES:
                raise PayloadTooLarge({"file": [str(refusal)]}) from refusal
            raise ApiValidationError({"file": [str(refusal)]}) from refusal
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownload(LotusApiView):
    @extend_schema(
        operation_id="download_document", summary="Download a document",
        responses={**file_responses(DOCUMENT_MEDIA_TYPES, "The document, with the media type of its kind"), **READ_ERRORS},
        tags=["documents"],
    )
    def get(self, request, case_id: int, document_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request, perm="cases.view_documents")
        document = case_selectors.document_for_user(
            request.user, case, document_id, request=request, perm="cases.view_documents"
        )
        try:
            return document_response(actor=request.user, document=document, request=request)
        except Http404 as missing:
            raise NotFound from missing


# ------------------------------------------------------------------ tasks


class CaseTasks(LotusApiView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="list_tasks", summary="Tasks on a case", parameters=[PAGE], responses={200: s.TaskPage, **ERRORS},
                   tags=["tasks"])
    def get(self, request, case_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request)
        query = _query(request, s.PageQuerySerializer)
        data = case_selectors.case_page_data(request.user, case, timeline_limit=0)
        return page_response(
            request, paginate(data.tasks, query.get("page")), s.TaskSerializer, s.blind_context(request, case)
        )

    @extend_schema(operation_id="create_task", summary="Add a task", request=s.TaskCreateSerializer, responses={201: s.TaskSerializer, **ERRORS},
                   tags=["tasks"])
    def post(self, request, case_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request, perm="cases.manage_tasks")
        data = _body(request, s.TaskCreateSerializer)
        owner = case_selectors.task_owner_choices(case).filter(pk=data["owner"]).first()
        if owner is None:
            raise ApiValidationError({"owner": ["Choose someone on the case team"]})
        try:
            task = case_services.task_create(
                actor=request.user, case=case, title=data["title"], owner=owner, due_on=data["due_on"],
                request=request,
            )
        except ValidationError as error:
            return _service_errors(error)
        return Response(s.TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskComplete(LotusApiView):
    @extend_schema(operation_id="complete_task", summary="Mark a task as done", request=None, responses={200: s.TaskSerializer, **ERRORS},
                   tags=["tasks"])
    def post(self, request, case_id: int, task_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request)
        task = case_selectors.task_for_user(request.user, case, task_id, request=request)
        try:
            task = case_services.task_complete(actor=request.user, task=task, request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response(s.TaskSerializer(task).data)


# ------------------------------------------------------------------ anything else


@extend_schema(exclude=True)
class NotFoundView(LotusApiView):
    """Any other address under /api/v1/: a JSON 404, never the HTML page."""

    permission_classes = [AllowAny]

    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request)

    def http_method_not_allowed(self, request, *args, **kwargs):
        raise NotFound

    get = post = put = patch = delete = head = options = http_method_not_allowed
