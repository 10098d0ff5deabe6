"""The practitioner's own voice under /api/v1/: their reflections (text and documents) and
the requests for their consent to share an occupational health report. The same
selectors and services as the pages, so the same checks, refusals and audit events."""

from django.conf import settings
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from lotus.api.openapi import DOCUMENT_MEDIA_TYPES, file_responses
from lotus.api.parsers import RawNameMultiPartParserForApi, RedactableJSONParser
from lotus.api.serializers import PersonSerializer, PlainMessagesMixin
from lotus.api.views.v1 import ERRORS, READ_ERRORS, LotusApiView, _body, _service_errors
from lotus.cases import selectors as case_selectors
from lotus.cases.downloads import document_response
from lotus.core.uploads import sent_file_name
from lotus.portal import selectors as portal_selectors
from lotus.portal import services as portal_services

# ---------------------------------------------------------------- serializers


class ReflectionDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    media_type = serializers.CharField()
    size_bytes = serializers.IntegerField()


class ReflectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    documents = serializers.SerializerMethodField()

    def get_documents(self, reflection) -> list[dict]:
        return ReflectionDocumentSerializer(reflection.documents.all(), many=True).data


class ReflectionAddSerializer(PlainMessagesMixin, serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=portal_services.REFLECTION_LIMIT,
                                 default="", trim_whitespace=False)
    documents = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True, use_url=False), required=False, default=list,
        help_text=f"Up to {portal_services.REFLECTION_MAX_FILES} files, sent as multipart/form-data",
    )


class ConsentRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    requested_by = PersonSerializer()
    requested_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    history = serializers.ListField(child=serializers.DictField(), help_text="Every answer given, with when")


class ConsentAskSerializer(PlainMessagesMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=portal_services.CONSENT_REASON_LIMIT, allow_blank=True)


# ---------------------------------------------------------------- the practitioner


class OwnReflections(LotusApiView):
    parser_classes = [RedactableJSONParser, RawNameMultiPartParserForApi]

    @extend_schema(operation_id="list_own_reflections",
                   summary="For a practitioner: the reflections they sent on their own case",
                   responses={200: ReflectionSerializer(many=True), **READ_ERRORS}, tags=["portal"])
    def get(self, request, case_id: int):
        case = portal_selectors.own_case(request.user, case_id, request=request)
        view = portal_selectors.portal_case(request.user, case, request=request)
        return Response(ReflectionSerializer(view.reflections, many=True).data)

    @extend_schema(
        operation_id="add_own_reflection",
        summary="For a practitioner: send reflections for the panel, with any documents",
        description="Text, documents or both. Every file is checked by its content as on the portal page; "
        "one refused file refuses the whole request and nothing is saved.",
        request={"multipart/form-data": ReflectionAddSerializer, "application/json": ReflectionAddSerializer},
        responses={201: ReflectionSerializer, **ERRORS}, tags=["portal"],
    )
    def post(self, request, case_id: int):
        case = portal_selectors.own_case(request.user, case_id, request=request, perm="portal.add_reflection")
        data = _body(request, ReflectionAddSerializer)
        files = [
            # Read one byte past the limit at most: enough to refuse, never a whole huge file.
            (sent_file_name(request._request, uploaded), uploaded.read(settings.DOCUMENT_MAX_BYTES + 1))
            for uploaded in data["documents"][: portal_services.REFLECTION_MAX_FILES + 1]
        ]
        try:
            reflection = portal_services.reflection_add(actor=request.user, case=case, text=data["text"],
                                                        files=files, request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response(ReflectionSerializer(reflection).data, status=201)


class OwnDocumentDownload(LotusApiView):
    @extend_schema(operation_id="download_own_document",
                   summary="For a practitioner: a document they sent with their reflections",
                   responses={**file_responses(DOCUMENT_MEDIA_TYPES, "The document, with the media type of its kind"), **READ_ERRORS},
                   tags=["portal"])
    def get(self, request, case_id: int, document_id: int):
        case = portal_selectors.own_case(request.user, case_id, request=request)
        document = portal_selectors.own_reflection_document(request.user, case, document_id, request=request)
        return document_response(actor=request.user, document=document, request=request)


# ---------------------------------------------------------------- the case team


def _voice(request, case_id: int, perm: str = "portal.view_practitioner_voice"):
    case = case_selectors.case_for_user(request.user, case_id, request=request, perm=perm)
    voice = portal_selectors.practitioner_voice(request.user, case)
    case_selectors.case_viewed(request.user, case, request=request)
    return case, voice


class CaseReflections(LotusApiView):
    @extend_schema(operation_id="list_case_reflections",
                   summary="The practitioner's reflections on a case, with their documents",
                   description="Download a document with download_document.",
                   responses={200: ReflectionSerializer(many=True), **READ_ERRORS}, tags=["portal"])
    def get(self, request, case_id: int):
        _case, voice = _voice(request, case_id)
        return Response(ReflectionSerializer(voice.reflections, many=True).data)


class CaseConsentRequests(LotusApiView):
    @extend_schema(operation_id="list_consent_requests",
                   summary="Requests for the practitioner's consent to share an occupational health report",
                   responses={200: ConsentRequestSerializer(many=True), **READ_ERRORS}, tags=["portal"])
    def get(self, request, case_id: int):
        _case, voice = _voice(request, case_id)
        return Response(ConsentRequestSerializer(voice.consents, many=True).data)

    @extend_schema(operation_id="ask_consent",
                   summary="Ask the practitioner, in their portal, for consent to share an occupational health report",
                   description="One request at a time: while one waits for an answer, another is refused.",
                   request=ConsentAskSerializer, responses={201: ConsentRequestSerializer, **ERRORS}, tags=["portal"])
    def post(self, request, case_id: int):
        case = case_selectors.case_for_user(request.user, case_id, request=request, perm="portal.request_consent")
        data = _body(request, ConsentAskSerializer)
        try:
            consent = portal_services.consent_request_ask(actor=request.user, case=case, reason=data["reason"],
                                                          request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response(ConsentRequestSerializer(consent).data, status=201)
