"""Lessons-learnt reviews and the factor vocabulary under /api/v1/ (issue 12; ADR 0024).

The same selectors and services as the review pages, so the same rules: a review is read
by those who may see its case's evidence, written by its team once they have declared no
conflict, and approved by a second person; anything out of reach is 404 and audited. A
refused write names its field and saves nothing. docs/adr/0024-learning-api.md says what
is writable here and what is left to the pages."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from lotus.api import learning_action_serializers as las
from lotus.api import learning_serializers as ls
from lotus.api.exceptions import Conflict
from lotus.api.openapi import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE, file_responses
from lotus.api.pagination import page_response, paginate
from lotus.api.serializers import ErrorsSerializer
from lotus.api.views.v1 import ERRORS, READ_ERRORS, LotusApiView, _body, _query, _service_errors
from lotus.cases.services import StaleEdit
from lotus.learning import export, selectors, services
from lotus.learning import selectors_actions as action_selectors
from lotus.learning import selectors_reviews as review_selectors
from lotus.learning.selectors_actions import review_actions_panel
from lotus.learning.services import actions as action_services

TAGS = ["lessons-learnt reviews"]
FACTOR_TAGS = ["contributory factors"]
STALE = {"version": ["Someone else changed this review after you read it. Read it again, then retry"]}
REVIEW_CONFLICT = {409: OpenApiResponse(ErrorsSerializer, description="The review changed since you read it")}
WRITE_NOTE = ("Only a draft changes, and only its team once each has declared no conflict of interest. "
              "The answer is the whole review, with its new `version`.")


def _review(request, case_id: int, review_id: int, perm: str = "learning.view_review"):
    return selectors.review_for_user(request.user, case_id, review_id, request=request, perm=perm)


def _page(request, review):
    """The review as its page shows it, with its actions (each told its review, so the
    rows need no query of their own)."""
    page = selectors.review_page(request.user, review)
    rows = review_actions_panel(request.user, review)["rows"]
    for row in rows:
        row.action.review = review
    page.action_rows = rows
    return page


def _answer(request, review, *, code: int = status.HTTP_200_OK) -> Response:
    return Response(ls.ReviewDetailSerializer(_page(request, review)).data, status=code)


def _write(request, review, work, *, code: int = status.HTTP_200_OK) -> Response:
    """Run one service call; its refusals become 400 by field, a stale version 409."""
    try:
        work()
    except StaleEdit as stale:
        raise Conflict(STALE) from stale
    except ValidationError as error:
        return _service_errors(error)
    review.refresh_from_db()
    return _answer(request, review, code=code)


# ---------------------------------------------------------------- reviews


class ReviewList(LotusApiView):
    @extend_schema(operation_id="list_learning_reviews",
                   summary="The lessons-learnt reviews of the cases you may read, newest first",
                   description="Reviews of every case whose evidence you may see: your case teams, minus any "
                   "case where you declared a conflict of interest, or every case of your organisation for an "
                   "administrator. Analysts and practitioners are answered 404: they never read a review.",
                   parameters=[ls.ReviewQuerySerializer], responses={200: ls.ReviewPage, **ERRORS}, tags=TAGS)
    def get(self, request):
        if not request.user.has_perm("cases.view_case_list"):
            raise NotFound
        query = _query(request, ls.ReviewQuerySerializer)
        reviews = review_selectors.reviews_for_user(request.user, status=query.get("status", ""),
                                                    case_id=query.get("case"))
        page = paginate(reviews, query.get("page"))
        review_selectors.reviews_listed(request.user, request=request, count=page.paginator.count,
                                        status=query.get("status", ""), case=query.get("case"))
        return page_response(request, page, ls.ReviewListItemSerializer)


class CaseReviews(LotusApiView):
    @extend_schema(operation_id="list_case_reviews", summary="A case's lessons-learnt reviews",
                   responses={200: ls.ReviewPage, **ERRORS}, parameters=[ls.PageQuerySerializer], tags=TAGS)
    def get(self, request, case_id: int):
        case = selectors.case_for_reviews(request.user, case_id, request=request)
        query = _query(request, ls.PageQuerySerializer)
        return page_response(request, paginate(selectors.reviews_for_case(case), query.get("page")),
                             ls.ReviewListItemSerializer)

    @extend_schema(operation_id="start_review", summary="Start a lessons-learnt review of a case, at any stage",
                   description="The reviewer leads it and joins the case team if not on it. A case has one "
                   "review; another needs `another_reason`. The review is due in your organisation's working "
                   "days. Each member of the review team declares any conflict of interest before taking part.",
                   request=ls.ReviewStartSerializer, responses={201: ls.ReviewDetailSerializer, **ERRORS},
                   tags=TAGS)
    def post(self, request, case_id: int):
        case = selectors.case_for_reviews(request.user, case_id, request=request, perm="learning.start_review")
        data = _body(request, ls.ReviewStartSerializer)
        try:
            review = services.review_start(actor=request.user, case=case,
                                           reviewer=selectors.user_choice(case, data["reviewer"]),
                                           another_reason=data["another_reason"], request=request)
        except ValidationError as error:
            return _service_errors(error)
        return _answer(request, review, code=status.HTTP_201_CREATED)


class ReviewDetail(LotusApiView):
    @extend_schema(operation_id="show_review",
                   summary="A review: chronology, problems and what went well with their coded factors, the "
                   "practitioner's perspective, summary, recommendations and actions",
                   description="The practitioner's perspective is shown exactly as they wrote it; nobody can "
                   "change it here. `blame_check` names blaming words in the summary and recommendations, with "
                   "kinder ones: a warning, never a refusal. Each read is recorded in the audit trail.",
                   responses={200: ls.ReviewDetailSerializer, **READ_ERRORS}, tags=TAGS)
    def get(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id)
        selectors.review_viewed(request.user, review, request=request, what="api")
        return _answer(request, review)

    @extend_schema(operation_id="save_review", summary="Save a draft review's summary and recommendations",
                   description="Send the `version` you read: if the review changed since, nothing is saved and "
                   "the answer is 409. " + WRITE_NOTE,
                   request=ls.ReviewSaveSerializer,
                   responses={200: ls.ReviewDetailSerializer, **ERRORS, **REVIEW_CONFLICT}, tags=TAGS)
    def patch(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.edit_review")
        data = _body(request, ls.ReviewSaveSerializer)
        return _write(request, review, lambda: services.review_save(
            actor=request.user, review=review, summary=data["summary"], recommendations=data["recommendations"],
            expected_version=data["version"], request=request))


class ReviewDeclaration(LotusApiView):
    @extend_schema(operation_id="declare_review_conflict",
                   summary="Declare your conflict of interest with the case, or none, before taking part",
                   description="With a conflict you leave the review and the case, as at triage: the case "
                   "manager finds someone else.",
                   request=ls.DeclarationSerializer, responses={200: ls.TeamPlaceSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.declare_conflict")
        data = _body(request, ls.DeclarationSerializer)
        try:
            place = services.conflict_declare(actor=request.user, review=review, has_conflict=data["has_conflict"],
                                              details=data["conflict_details"], request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response(ls.TeamPlaceSerializer(place).data)


class ReviewChronology(LotusApiView):
    @extend_schema(operation_id="add_chronology_event", summary="Add an event to a draft review's chronology",
                   description="Name people by their role, not by name. " + WRITE_NOTE,
                   request=ls.ChronologyCreateSerializer, responses={201: ls.ReviewDetailSerializer, **ERRORS},
                   tags=TAGS)
    def post(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.edit_review")
        data = _body(request, ls.ChronologyCreateSerializer)
        return _write(request, review, lambda: services.chronology_add(
            actor=request.user, review=review, occurred_on=data["occurred_on"], what_happened=data["what_happened"],
            who_was_involved=data["who_was_involved"], occurred_at_time=data["occurred_at"], request=request),
            code=status.HTTP_201_CREATED)


class ReviewProblems(LotusApiView):
    @extend_schema(operation_id="add_problem", summary="Add a problem in care or its management, on the chronology",
                   description=WRITE_NOTE, request=ls.ProblemCreateSerializer,
                   responses={201: ls.ReviewDetailSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.edit_review")
        data = _body(request, ls.ProblemCreateSerializer)
        return _write(request, review, lambda: services.problem_add(
            actor=request.user, review=review, chronology_entry_id=data["chronology_entry"],
            description=data["description"], request=request), code=status.HTTP_201_CREATED)


class ReviewWentWell(LotusApiView):
    @extend_schema(operation_id="add_went_well", summary="Add something that went well",
                   description="Coded with factors the same way as a problem. " + WRITE_NOTE,
                   request=ls.PositiveCreateSerializer, responses={201: ls.ReviewDetailSerializer, **ERRORS},
                   tags=TAGS)
    def post(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.edit_review")
        data = _body(request, ls.PositiveCreateSerializer)
        return _write(request, review, lambda: services.positive_add(
            actor=request.user, review=review, chronology_entry_id=data["chronology_entry"],
            description=data["description"], request=request), code=status.HTTP_201_CREATED)


class ReviewFactors(LotusApiView):
    @extend_schema(
        operation_id="code_factor",
        summary="Code a contributory factor against a problem, or against something that went well",
        description="`category` is a category code and `factor` a factor in it, from the standard list or your "
        "organisation's own (GET /api/v1/learning/factors/). Refused with the field named, and nothing saved, "
        "for a category that does not exist, a factor from another category or another organisation's list, "
        "a retired factor, no evidence, or a factor coded there already. " + WRITE_NOTE,
        request=ls.FactorCodeSerializer, responses={201: ls.ReviewDetailSerializer, **ERRORS}, tags=TAGS,
    )
    def post(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.edit_review")
        data = _body(request, ls.FactorCodeSerializer)
        return _write(request, review, lambda: services.factor_code(
            actor=request.user, review=review, category=data["category"], factor_id=data["factor"],
            evidence=data["evidence"], scope=data["scope"], problem_id=data["problem"],
            positive_id=data["positive"], request=request), code=status.HTTP_201_CREATED)


class ReviewSubmit(LotusApiView):
    @extend_schema(operation_id="submit_review", summary="Submit a draft review for approval",
                   description="Refused, with each thing still needed named by field (as in `still_needed`), "
                   "until the review is complete. Send the `version` you read; a newer one gives 409.",
                   request=ls.ReviewVersionSerializer,
                   responses={200: ls.ReviewDetailSerializer, **ERRORS, **REVIEW_CONFLICT}, tags=TAGS)
    def post(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.submit_review")
        data = _body(request, ls.ReviewVersionSerializer)
        return _write(request, review, lambda: services.review_submit(
            actor=request.user, review=review, expected_version=data["version"], request=request))


class ReviewApprove(LotusApiView):
    @extend_schema(operation_id="approve_review", summary="Approve a submitted review, as a second person",
                   description="Only someone who neither submitted the review nor sits on its team may approve "
                   "it. The approved revision is kept exactly as approved. Send the `version` you read.",
                   request=ls.ReviewVersionSerializer,
                   responses={200: ls.ReviewDetailSerializer, **ERRORS, **REVIEW_CONFLICT}, tags=TAGS)
    def post(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.approve_review")
        data = _body(request, ls.ReviewVersionSerializer)
        return _write(request, review, lambda: services.review_approve(
            actor=request.user, review=review, expected_version=data["version"], request=request))


class ReviewReturn(LotusApiView):
    @extend_schema(operation_id="return_review", summary="Send a submitted review back to its team, saying why",
                   request=ls.ReviewReasonSerializer,
                   responses={200: ls.ReviewDetailSerializer, **ERRORS, **REVIEW_CONFLICT}, tags=TAGS)
    def post(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.approve_review")
        data = _body(request, ls.ReviewReasonSerializer)
        return _write(request, review, lambda: services.review_return(
            actor=request.user, review=review, reason=data["reason"], expected_version=data["version"],
            request=request))


class ReviewAmend(LotusApiView):
    @extend_schema(operation_id="amend_review", summary="Amend an approved review: a new revision opens as a draft",
                   description="The approved revision is kept as it was, with your reason (a sentence). The new "
                   "revision is submitted and approved again.",
                   request=ls.ReviewReasonSerializer,
                   responses={200: ls.ReviewDetailSerializer, **ERRORS, **REVIEW_CONFLICT}, tags=TAGS)
    def post(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.amend_review")
        data = _body(request, ls.ReviewReasonSerializer)
        return _write(request, review, lambda: services.review_amend(
            actor=request.user, review=review, reason=data["reason"], expected_version=data["version"],
            request=request))


class ReviewDownload(LotusApiView):
    kind = "pdf"

    @extend_schema(operation_id="download_review_pdf", summary="The review as a PDF",
                   description="As the review page's download: recorded in the audit trail as an export.",
                   responses={**file_responses([PDF_MEDIA_TYPE], "The review as a PDF"), **READ_ERRORS}, tags=TAGS)
    def get(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id)
        page = _page(request, review)
        content = export.render(page, page.action_rows, self.kind, organisation=review.case.organisation.name)
        review_selectors.review_exported(request.user, review, request=request, fmt=self.kind)
        response = HttpResponse(content, content_type=export.FORMATS[self.kind])
        response["Content-Disposition"] = f'attachment; filename="{export.file_name(review, self.kind)}"'
        return response


class ReviewDownloadDocx(ReviewDownload):
    kind = "docx"

    @extend_schema(operation_id="download_review_docx", summary="The review as a Word document",
                   description="As the review page's download: recorded in the audit trail as an export.",
                   responses={**file_responses([DOCX_MEDIA_TYPE], "The review as a Word document (DOCX)"),
                              **READ_ERRORS}, tags=TAGS)
    def get(self, request, case_id: int, review_id: int):
        return super().get(request, case_id, review_id)


class ReviewActions(LotusApiView):
    @extend_schema(operation_id="list_review_actions", summary="A review's improvement actions, due soonest first",
                   parameters=[ls.PageQuerySerializer], responses={200: las.ActionPage, **ERRORS},
                   tags=["improvement actions"])
    def get(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id)
        query = _query(request, ls.PageQuerySerializer)
        return page_response(request, paginate(_page(request, review).action_rows, query.get("page")),
                             las.ActionListItemSerializer)

    @extend_schema(
        operation_id="add_action", summary="Add an improvement action to a draft review",
        description="Tied to one or more of the review's coded factors, with one accountable owner: a member of "
        "staff who may see evidence (`owner_user`) or a team or person named in words (`owner_name`), not both. "
        "A due date before the day the review started is refused under `due_on`.",
        request=las.ActionCreateSerializer, responses={201: las.ActionDetailSerializer, **ERRORS},
        tags=["improvement actions"],
    )
    def post(self, request, case_id: int, review_id: int):
        review = _review(request, case_id, review_id, "learning.add_action")
        data = _body(request, las.ActionCreateSerializer)
        try:
            action = action_services.action_add(
                actor=request.user, review=review, description=data["description"], factor_ids=data["factors"],
                owner_user_id=data["owner_user"], owner_name=data["owner_name"],
                owner_outside=data["owner_outside"], priority=data["priority"], due_on=data["due_on"],
                request=request,
            )
        except ValidationError as error:
            return _service_errors(error)
        action = action_selectors.action_for_user(request.user, action.pk, request=request)
        return Response(las.ActionDetailSerializer(action_selectors.action_page(request.user, action)).data,
                        status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------- the vocabulary


class FactorList(LotusApiView):
    @extend_schema(operation_id="list_factors",
                   summary="The contributory factors your organisation codes: the standard list and your own",
                   description="Retired factors are included and flagged (`retired`): they are no longer offered, "
                   "and the reviews that coded them keep them. Filter with `retired` and `local`.",
                   parameters=[ls.FactorQuerySerializer], responses={200: ls.FactorPage, **ERRORS},
                   tags=FACTOR_TAGS)
    def get(self, request):
        query = _query(request, ls.FactorQuerySerializer)
        factors = review_selectors.factor_list(request.user, category=query.get("category", ""),
                                               retired=query.get("retired"), local=query.get("local"),
                                               request=request)
        return page_response(request, paginate(factors, query.get("page")), ls.FactorSerializer)

    @extend_schema(operation_id="add_local_factor", summary="For an administrator: add a local factor under a category",
                   description="Only your organisation sees and codes it. Once a review codes it, it can be "
                   "retired but not deleted.",
                   request=ls.LocalFactorCreateSerializer, responses={201: ls.FactorSerializer, **ERRORS},
                   tags=FACTOR_TAGS)
    def post(self, request):
        selectors.require_perm(request.user, "learning.manage_factors", request=request)
        data = _body(request, ls.LocalFactorCreateSerializer)
        try:
            factor = services.local_factor_add(actor=request.user, category=data["category"], title=data["title"],
                                               description=data["description"], request=request)
        except ValidationError as error:
            return _service_errors(error)
        factor = review_selectors.factor_for(request.user, factor.pk, request=request)
        return Response(ls.FactorSerializer(factor).data, status=status.HTTP_201_CREATED)


class FactorDetail(LotusApiView):
    @extend_schema(operation_id="show_factor", summary="A factor: standard, or one of your organisation's own",
                   responses={200: ls.FactorSerializer, **READ_ERRORS}, tags=FACTOR_TAGS)
    def get(self, request, factor_id: int):
        return Response(ls.FactorSerializer(review_selectors.factor_for(request.user, factor_id,
                                                                        request=request)).data)

    @extend_schema(operation_id="delete_local_factor",
                   summary="For an administrator: delete a local factor added by mistake",
                   description="Only while no review has ever coded it, even if the coding was later taken off. "
                   "One in use is refused under `factor`: retire it instead. The deletion is in the audit trail.",
                   request=None, responses={204: OpenApiResponse(description="Deleted"), **ERRORS},
                   tags=FACTOR_TAGS)
    def delete(self, request, factor_id: int):
        factor = selectors.local_factor_for(request.user, factor_id, request=request)
        try:
            services.local_factor_delete(actor=request.user, factor=factor, request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FactorRetire(LotusApiView):
    @extend_schema(operation_id="retire_local_factor", summary="For an administrator: retire a local factor",
                   description="It is no longer offered; reviews that coded it keep it, and it still counts in "
                   "themes.",
                   request=ls.ReasonSerializer, responses={200: ls.FactorSerializer, **ERRORS}, tags=FACTOR_TAGS)
    def post(self, request, factor_id: int):
        factor = selectors.local_factor_for(request.user, factor_id, request=request)
        data = _body(request, ls.ReasonSerializer)
        try:
            services.local_factor_retire(actor=request.user, factor=factor, reason=data["reason"], request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response(ls.FactorSerializer(review_selectors.factor_for(request.user, factor.pk,
                                                                        request=request)).data)
