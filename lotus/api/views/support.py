"""REST endpoints for support plans and five-step performance plans (issue 6), under
/api/v1/cases/<id>/. The same selectors and services as the pages, so the same rules."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from lotus.api import serializers as s
from lotus.api import support_serializers as ss
from lotus.api.pagination import page_response, paginate
from lotus.api.views.v1 import (
    ERRORS,
    PAGE,
    READ_ERRORS,
    LotusApiView,
    _body,
    _query,
    _service_errors,
)
from lotus.improvement import selectors as plan_selectors
from lotus.improvement import services as plan_services
from lotus.support import selectors, services


def _plan(request, case_id: int, perm: str = "support.view_plan"):
    return selectors.plan_for_user(request.user, case_id, request=request, perm=perm)


class SupportPlanDetail(LotusApiView):
    @extend_schema(operation_id="show_support_plan", summary="A case's support plan and its due dates",
                   responses={200: ss.SupportPlanSerializer, **READ_ERRORS}, tags=["support"])
    def get(self, request, case_id: int):
        plan = _plan(request, case_id)
        selectors.plan_viewed(request.user, plan, request=request)
        return Response(ss.SupportPlanSerializer(selectors.plan_summary(plan.case, plan)).data)


class SupportContacts(LotusApiView):
    @extend_schema(operation_id="list_support_contacts", summary="Keeping-in-touch contacts, newest first",
                   parameters=[PAGE], responses={200: ss.ContactPage, **ERRORS}, tags=["support"])
    def get(self, request, case_id: int):
        plan = _plan(request, case_id)
        query = _query(request, s.PageQuerySerializer)
        data = selectors.plan_page_data(request.user, plan)
        return page_response(request, paginate(data.contacts, query.get("page")), ss.ContactSerializer)

    @extend_schema(operation_id="log_support_contact", summary="Log a contact with the practitioner",
                   description="A contact dated in the future is refused.",
                   request=ss.ContactCreateSerializer, responses={201: ss.ContactSerializer, **ERRORS}, tags=["support"])
    def post(self, request, case_id: int):
        plan = _plan(request, case_id, "support.log_contact")
        data = _body(request, ss.ContactCreateSerializer)
        try:
            contact = services.contact_log(actor=request.user, plan=plan, request=request, **data)
        except ValidationError as error:
            return _service_errors(error)
        return Response(ss.ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class SupportAdjustments(LotusApiView):
    @extend_schema(operation_id="list_adjustments", summary="Reasonable adjustments", parameters=[PAGE],
                   responses={200: ss.AdjustmentPage, **ERRORS}, tags=["support"])
    def get(self, request, case_id: int):
        plan = _plan(request, case_id)
        query = _query(request, s.PageQuerySerializer)
        data = selectors.plan_page_data(request.user, plan)
        return page_response(request, paginate(data.adjustments, query.get("page")), ss.AdjustmentSerializer)

    @extend_schema(operation_id="add_adjustment", summary="Add a reasonable adjustment (a review date is required)",
                   request=ss.AdjustmentCreateSerializer, responses={201: ss.AdjustmentSerializer, **ERRORS},
                   tags=["support"])
    def post(self, request, case_id: int):
        plan = _plan(request, case_id, "support.manage_plan")
        data = _body(request, ss.AdjustmentCreateSerializer)
        try:
            adjustment = services.adjustment_add(
                actor=request.user, plan=plan, kind=data["kind"], description=data.get("description", ""),
                status=data["status"], review_on=data["review_on"], request=request,
            )
        except ValidationError as error:
            return _service_errors(error)
        return Response(ss.AdjustmentSerializer(adjustment).data, status=status.HTTP_201_CREATED)


class SupportReferrals(LotusApiView):
    @extend_schema(operation_id="list_oh_referrals", summary="Occupational health referrals (no health details)",
                   parameters=[PAGE], responses={200: ss.ReferralPage, **ERRORS}, tags=["support"])
    def get(self, request, case_id: int):
        plan = _plan(request, case_id, "support.manage_plan")
        query = _query(request, s.PageQuerySerializer)
        data = selectors.plan_page_data(request.user, plan)
        return page_response(request, paginate(data.oh_referrals, query.get("page")), ss.ReferralSerializer)

    @extend_schema(operation_id="add_oh_referral", summary="Record an occupational health referral",
                   request=ss.ReferralCreateSerializer, responses={201: ss.ReferralSerializer, **ERRORS},
                   tags=["support"])
    def post(self, request, case_id: int):
        plan = _plan(request, case_id, "support.manage_plan")
        data = _body(request, ss.ReferralCreateSerializer)
        try:
            referral = services.oh_referral_record(
                actor=request.user, plan=plan, referred_on=data["referred_on"], consent=data["consent"],
                consent_on=data.get("consent_on"), report_received_on=data.get("report_received_on"),
                request=request,
            )
        except ValidationError as error:
            return _service_errors(error)
        return Response(ss.ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class PerformancePlans(LotusApiView):
    @extend_schema(operation_id="list_performance_plans", summary="Five-step performance plans on a case",
                   parameters=[PAGE], responses={200: ss.PerformancePlanPage, **ERRORS}, tags=["performance plans"])
    def get(self, request, case_id: int):
        case = plan_selectors.case_for_plans(request.user, case_id, request=request)
        query = _query(request, s.PageQuerySerializer)
        plans = [plan_selectors.plan_detail(p) for p in plan_selectors.plans_for_case(case)]
        return page_response(request, paginate(plans, query.get("page")), ss.PerformancePlanSerializer)

    @extend_schema(operation_id="start_performance_plan", summary="Start a plan (step 1: identify the problem)",
                   request=ss.PerformancePlanCreateSerializer, responses={201: ss.PerformancePlanSerializer, **ERRORS},
                   tags=["performance plans"])
    def post(self, request, case_id: int):
        case = plan_selectors.case_for_plans(request.user, case_id, request=request, perm="improvement.change_plans")
        data = _body(request, ss.PerformancePlanCreateSerializer)
        try:
            plan = plan_services.plan_start(actor=request.user, case=case, problem=data["problem"],
                                            evidence=data.get("evidence", ""), request=request)
        except ValidationError as error:
            return _service_errors(error)
        return Response(ss.PerformancePlanSerializer(plan_selectors.plan_detail(plan)).data,
                        status=status.HTTP_201_CREATED)


class PerformancePlanDetail(LotusApiView):
    @extend_schema(operation_id="show_performance_plan", summary="A performance plan with its goals and reviews",
                   responses={200: ss.PerformancePlanSerializer, **READ_ERRORS}, tags=["performance plans"])
    def get(self, request, case_id: int, plan_id: int):
        plan = plan_selectors.plan_for_user(request.user, case_id, plan_id, request=request)
        plan_selectors.plan_viewed(request.user, plan, request=request)
        return Response(ss.PerformancePlanSerializer(plan_selectors.plan_detail(plan)).data)


class PerformanceGoals(LotusApiView):
    @extend_schema(operation_id="add_performance_goal", summary="Add a goal (a measure and a date are required)",
                   request=ss.GoalCreateSerializer, responses={201: ss.GoalSerializer, **ERRORS},
                   tags=["performance plans"])
    def post(self, request, case_id: int, plan_id: int):
        plan = plan_selectors.plan_for_user(request.user, case_id, plan_id, request=request,
                                            perm="improvement.change_plans")
        data = _body(request, ss.GoalCreateSerializer)
        try:
            goal = plan_services.goal_add(
                actor=request.user, plan=plan, what=data["what"], measure=data["measure"],
                target=data.get("target", ""), due_on=data["due_on"], support_offered=data.get("support_offered", ""),
                request=request,
            )
        except ValidationError as error:
            return _service_errors(error)
        return Response(ss.GoalSerializer(goal).data, status=status.HTTP_201_CREATED)
