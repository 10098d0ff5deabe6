"""Equity endpoints under /api/v1/insights/ (issue 13): workforce figures (read, write,
CSV) and the equity dashboard's figures. The same selectors and services as the pages, so
access, checks, suppression and the audit trail are the same."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from lotus.api.exceptions import PayloadTooLarge
from lotus.api.openapi import file_responses
from lotus.api.parsers import RawNameMultiPartParserForApi
from lotus.api.views.v1 import ERRORS, READ_ERRORS, LotusApiView, _body, _query
from lotus.core.exports import csv_response
from lotus.insights.equity import selectors, services
from lotus.insights.equity.groups import characteristics
from lotus.insights.equity.presenters import characteristic_page
from lotus.insights.equity.workforce_csv import MAX_BYTES, template_header, template_rows

TOO_LARGE = {413: OpenApiResponse(description="The file is larger than the limit")}


class WorkforceFigureSerializer(serializers.Serializer):
    profession = serializers.CharField(help_text="medical, dental, optometry or other")
    characteristic = serializers.CharField(help_text="ethnicity, qualification, sex, age or disability")
    group = serializers.CharField(help_text="A group of the characteristic, as in the CSV template")
    headcount = serializers.IntegerField(min_value=0)


class WorkforcePeriodSummarySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(help_text="0 for the whole year, otherwise 1 to 4")
    label = serializers.CharField()
    source = serializers.CharField()
    how = serializers.CharField()
    entered_by = serializers.CharField()
    entered_at = serializers.DateTimeField()
    headcounts = serializers.DictField(child=serializers.IntegerField(), help_text="Headcount by profession")


class WorkforceListSerializer(serializers.Serializer):
    results = WorkforcePeriodSummarySerializer(many=True)


class WorkforcePeriodSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    label = serializers.CharField()
    figures = WorkforceFigureSerializer(many=True)


class WorkforceWriteSerializer(serializers.Serializer):
    source = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    figures = serializers.ListField(child=serializers.JSONField(), max_length=2000,
                                    help_text="Every figure of the period: {profession, characteristic, group, "
                                              "headcount}. They replace the period's figures whole.")


class WorkforceUploadSerializer(serializers.Serializer):
    source = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    file = serializers.FileField(help_text="The CSV template with the headcounts filled in")


class EquityQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    characteristic = serializers.ChoiceField(choices=[one.code for one in characteristics()], required=False)


class TableRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    cells = serializers.ListField(child=serializers.CharField())


class TableSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    row_heading = serializers.CharField()
    header = serializers.ListField(child=serializers.CharField())
    rows = TableRowSerializer(many=True)
    note = serializers.CharField()


class EquitySerializer(serializers.Serializer):
    year = serializers.IntegerField()
    pooled_years = serializers.CharField()
    threshold = serializers.IntegerField(help_text="Figures about fewer people than this are not shown")
    has_workforce = serializers.BooleanField()
    characteristic = serializers.CharField()
    characteristic_label = serializers.CharField()
    reference_note = serializers.CharField()
    tables = TableSerializer(many=True)


def _period(year: int, quarter: int) -> None:
    problems = services.period_problems(year, quarter, today=timezone.localdate())
    if problems:
        raise NotFound


def _figures_body(year: int, quarter: int, figures: dict) -> dict:
    return {
        "year": year, "quarter": quarter, "label": services.period_label(year, quarter),
        "figures": [{"profession": p, "characteristic": c, "group": g, "headcount": n}
                    for (p, c, g), n in sorted(figures.items())],
    }


def _rejected(rejected: services.WorkforceRejected, field: str) -> ApiValidationError:
    return ApiValidationError({field: [problem.text for problem in rejected.problems]})


class WorkforceList(LotusApiView):
    @extend_schema(operation_id="list_workforce_figures", summary="Workforce figures entered, one set per period",
                   responses={200: WorkforceListSerializer, **READ_ERRORS}, tags=["equity"])
    def get(self, request):
        sets = selectors.workforce_sets(request.user, request=request)
        return Response(WorkforceListSerializer({"results": [vars(one) for one in sets]}).data)


class WorkforcePeriod(LotusApiView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="show_workforce_figures", summary="One period's workforce figures",
                   responses={200: WorkforcePeriodSerializer, **READ_ERRORS}, tags=["equity"])
    def get(self, request, year: int, quarter: int):
        _period(year, quarter)
        figures = selectors.workforce_period(request.user, year=year, quarter=quarter, request=request)
        if not figures:
            raise NotFound
        return Response(WorkforcePeriodSerializer(_figures_body(year, quarter, figures)).data)

    @extend_schema(
        operation_id="replace_workforce_figures", summary="Replace one period's workforce figures",
        description="Checked as an uploaded file is; nothing is saved unless every figure is right. Each "
                    "problem names the entry (from 1) and the field.",
        request=WorkforceWriteSerializer, responses={200: WorkforcePeriodSerializer, **ERRORS}, tags=["equity"],
    )
    def put(self, request, year: int, quarter: int):
        selectors.require_workforce(request.user, request=request)
        if not request.user.has_perm(services.CHANGE_PERM):
            raise NotFound
        _period(year, quarter)
        data = _body(request, WorkforceWriteSerializer)
        try:
            services.workforce_replace(actor=request.user, year=year, quarter=quarter, entries=data["figures"],
                                       source=data["source"], request=request)
        except services.WorkforceRejected as rejected:
            raise _rejected(rejected, "figures") from rejected
        figures = services.current_figures(request.user.organisation_id, year, quarter)
        return Response(WorkforcePeriodSerializer(_figures_body(year, quarter, figures)).data)


class WorkforceCsv(LotusApiView):
    parser_classes = [RawNameMultiPartParserForApi]

    @extend_schema(operation_id="download_workforce_figures", summary="One period's workforce figures as CSV",
                   description="In the shape of the template, so it can be edited and sent back.",
                   responses={**file_responses(["text/csv"], "The figures, one row per group"), **READ_ERRORS},
                   tags=["equity"])
    def get(self, request, year: int, quarter: int):
        _period(year, quarter)
        figures = selectors.workforce_period(request.user, year=year, quarter=quarter, request=request, export=True)
        if not figures:
            raise NotFound
        return csv_response(f"workforce-figures-{services.period_label(year, quarter).replace(' ', '-')}.csv",
                            template_header(), [row for row in template_rows(figures) if row[3] != ""])

    @extend_schema(
        operation_id="upload_workforce_figures", summary="Replace one period's workforce figures from a CSV file",
        description="The file in the template's shape. Nothing is saved unless every row is right; each problem "
                    "names its row and column.",
        request={"multipart/form-data": WorkforceUploadSerializer},
        responses={200: WorkforcePeriodSerializer, **ERRORS, **TOO_LARGE}, tags=["equity"],
    )
    def post(self, request, year: int, quarter: int):
        selectors.require_workforce(request.user, request=request)
        if not request.user.has_perm(services.CHANGE_PERM):
            raise NotFound
        _period(year, quarter)
        data = _body(request, WorkforceUploadSerializer)
        content = data["file"].read(MAX_BYTES + 1)
        if len(content) > MAX_BYTES:
            raise PayloadTooLarge({"file": [f"The file is larger than {MAX_BYTES // 1024} KB"]})
        try:
            services.workforce_upload(actor=request.user, year=year, quarter=quarter, data=content,
                                      source=data["source"], how="api", request=request)
        except services.WorkforceRejected as rejected:
            raise _rejected(rejected, "file") from rejected
        figures = services.current_figures(request.user.organisation_id, year, quarter)
        return Response(WorkforcePeriodSerializer(_figures_body(year, quarter, figures)).data)


class EquityFigures(LotusApiView):
    @extend_schema(
        operation_id="equity_figures", summary="The equity dashboard's figures for a year and characteristic",
        description="The same tables as the dashboard and its CSV downloads, small numbers shown as "
                    "\"Not shown\". Default: the latest year with a concern, compared by ethnic group.",
        parameters=[EquityQuerySerializer], responses={200: EquitySerializer, **ERRORS}, tags=["equity"],
    )
    def get(self, request):
        selectors.require_dashboard(request.user, request=request)
        query = _query(request, EquityQuerySerializer)
        year = query.get("year") or selectors.default_year(request.user)
        if year > timezone.localdate().year:
            raise ApiValidationError({"year": [f"Choose a year up to {timezone.localdate().year}"]})
        code = query.get("characteristic") or characteristics()[0].code
        figures = selectors.equity_dashboard(request.user, year=year, request=request)
        page = characteristic_page(figures.dashboard, figures.fairness, code)
        return Response(EquitySerializer({
            "year": year, "pooled_years": figures.dashboard.pooled_label, "threshold": figures.dashboard.threshold,
            "has_workforce": figures.dashboard.has_workforce, "characteristic": code,
            "characteristic_label": page.label, "reference_note": page.reference_note,
            "tables": [{"slug": t.slug, "title": t.title, "row_heading": t.row_heading, "header": list(t.header),
                        "rows": [{"label": label, "cells": list(cells)} for label, cells in t.rows], "note": t.note}
                       for t in page.tables()],
        }).data, status=status.HTTP_200_OK)
