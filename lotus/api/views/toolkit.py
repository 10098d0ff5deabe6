"""Toolkit endpoints under /api/v1/toolkit/: the leader's own records only, through the
same selectors and services as the pages (404 and an audit event for anyone else's)."""

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from lotus.api import toolkit_serializers as t
from lotus.api.pagination import page_response, paginate
from lotus.api.views.v1 import ERRORS, PAGE, READ_ERRORS, LotusApiView, _body, _service_errors
from lotus.toolkit import selectors, services

TAGS = ["toolkit"]
SEARCH = OpenApiParameter("q", OpenApiTypes.STR, description="Words that every entry returned contains")


def _page_number(request):
    return request.query_params.get("page") or None


class AssessmentList(LotusApiView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="list_toolkit_assessments", summary="Your self-assessments, newest first",
                   parameters=[PAGE], responses={200: t.AssessmentPage, **ERRORS}, tags=TAGS)
    def get(self, request):
        selectors.require_toolkit(request.user)
        return page_response(request, paginate(selectors.attempts_for(request.user), _page_number(request)),
                             t.AssessmentSerializer)

    @extend_schema(
        operation_id="create_toolkit_assessment", summary="Take a self-assessment",
        description="Every item answered: scored, status `complete`. Items left out: saved as a `draft`, not "
        "scored, and listed in `missing`. An answer outside 1–5 or an unknown item: 400, nothing saved.",
        request=t.AssessmentCreateSerializer, responses={201: t.AssessmentSavedSerializer, **ERRORS}, tags=TAGS,
    )
    def post(self, request):
        selectors.require_toolkit(request.user)
        data = _body(request, t.AssessmentCreateSerializer)
        answers = {key: value for key, value in data["answers"].items() if value is not None}
        try:
            outcome = services.assessment_save(
                actor=request.user, instrument=data["instrument"], answers=answers,
                subject=data.get("subject", ""), request=request,
            )
        except ValidationError as error:
            return _service_errors(error)
        body = t.AssessmentSerializer(outcome.attempt).data | {"missing": list(outcome.missing)}
        return Response(body, status=status.HTTP_201_CREATED)


class AssessmentDetail(LotusApiView):
    @extend_schema(operation_id="show_toolkit_assessment", summary="One of your self-assessments",
                   responses={200: t.AssessmentSerializer, **READ_ERRORS}, tags=TAGS)
    def get(self, request, attempt_id: int):
        attempt = selectors.attempt_for_user(request.user, attempt_id, request=request)
        return Response(t.AssessmentSerializer(attempt).data)


class EntryList(LotusApiView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="list_toolkit_entries", summary="Your reflections, newest first",
                   parameters=[PAGE, SEARCH], responses={200: t.EntryPage, **ERRORS}, tags=TAGS)
    def get(self, request):
        selectors.require_toolkit(request.user)
        entries = selectors.entries_for(request.user, request.query_params.get("q", "")[:200])
        return page_response(request, paginate(entries, _page_number(request)), t.EntryListSerializer)

    @extend_schema(operation_id="create_toolkit_entry", summary="Write a reflection, with its actions",
                   request=t.EntryWriteSerializer, responses={201: t.EntrySerializer, **ERRORS}, tags=TAGS)
    def post(self, request):
        selectors.require_toolkit(request.user)
        data = _body(request, t.EntryWriteSerializer)
        if not data.get("exercise"):
            return Response({"errors": {"exercise": ["Enter the exercise"]}}, status=status.HTTP_400_BAD_REQUEST)
        return self._save(request, data, None, status.HTTP_201_CREATED)

    @staticmethod
    def _save(request, data, entry, code):
        try:
            entry = services.entry_save(
                actor=request.user,
                exercise=data.get("exercise") or entry.exercise,
                responses=data["responses"],
                actions=[services.ActionRow(**row) for row in data.get("actions", [])],
                entry=entry,
                finish=not data.get("draft", False),
                request=request,
            )
        except ValidationError as error:
            return _service_errors(error)
        entry = selectors.entry_for_user(request.user, entry.pk)
        return Response(t.EntrySerializer(entry).data, status=code)


class EntryDetail(LotusApiView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="show_toolkit_entry", summary="One of your reflections, with its actions",
                   responses={200: t.EntrySerializer, **READ_ERRORS}, tags=TAGS)
    def get(self, request, entry_id: int):
        entry = selectors.entry_for_user(request.user, entry_id, request=request)
        return Response(t.EntrySerializer(entry).data)

    @extend_schema(operation_id="update_toolkit_entry", summary="Change one of your reflections",
                   description="Sends the whole entry again: its responses and its unreviewed actions are replaced.",
                   request=t.EntryWriteSerializer, responses={200: t.EntrySerializer, **ERRORS}, tags=TAGS)
    def put(self, request, entry_id: int):
        entry = selectors.entry_for_user(request.user, entry_id, request=request)
        data = _body(request, t.EntryWriteSerializer)
        return EntryList._save(request, data, entry, status.HTTP_200_OK)


class ActionList(LotusApiView):
    @extend_schema(operation_id="list_toolkit_actions", summary="Your actions, soonest first",
                   parameters=[PAGE], responses={200: t.ActionPage, **ERRORS}, tags=TAGS)
    def get(self, request):
        selectors.require_toolkit(request.user)
        actions = selectors.actions_for(request.user)
        return page_response(request, paginate(actions["open"] + actions["reviewed"], _page_number(request)),
                             t.ActionSerializer)


class ActionReview(LotusApiView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="review_toolkit_action", summary="Review one of your actions: done or not done",
                   request=t.ActionReviewSerializer, responses={200: t.ActionSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, action_id: int):
        action = selectors.action_for_user(request.user, action_id, request=request)
        data = _body(request, t.ActionReviewSerializer)
        try:
            action = services.action_review(
                actor=request.user, action=action, status=data["status"], note=data["note"], request=request
            )
        except ValidationError as error:
            return _service_errors(error)
        return Response(t.ActionSerializer(action).data)


class TeamSessionResults(LotusApiView):
    @extend_schema(operation_id="toolkit_team_results", summary="Results of a team session you facilitate",
                   description="Scores and comments stay empty until enough people have answered.",
                   responses={200: t.TeamResultsSerializer, **READ_ERRORS}, tags=TAGS)
    def get(self, request, session_id: int):
        session = selectors.session_for_facilitator(request.user, session_id, request=request)
        results = selectors.session_results(session)
        return Response({
            "session": session.pk, "instrument": session.instrument, "title": session.title,
            "status": session.status, "responses": results.count, "minimum": results.minimum,
            "shown": results.shown, "scores": results.scores, "comments": results.comments,
            "consensus": session.consensus, "team_actions": session.team_actions,
        })
