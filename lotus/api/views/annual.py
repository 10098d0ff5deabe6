"""The annual reports API (docs/adr/0023): an organisation's own reports, and the reports
members sent to an integrated care board, with the same rules as the pages (the same
selectors, so the same access checks and audit events). Read only: reports are drafted,
approved, issued and sent on the pages."""

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from lotus.api import annual_serializers as s
from lotus.api.openapi import DOCX_MEDIA_TYPE, PDF_MEDIA_TYPE, file_responses
from lotus.api.pagination import page_response, paginate
from lotus.api.serializers import PageQuerySerializer
from lotus.api.views.v1 import ERRORS, PAGE, READ_ERRORS, LotusApiView, _query
from lotus.insights.reports import selectors as reports

TAGS = ["annual reports"]


def _detail(report) -> dict:
    report.question_list = reports.questions_of(report)
    report.lines = reports.report_lines(report)
    return s.AnnualReportDetailSerializer(report).data


def _file(request, report, fmt: str, side: str) -> HttpResponse:
    if not report.is_issued:
        raise NotFound("A report can be downloaded once it is issued")
    content, media_type, name = reports.report_file(request.user, report, fmt, request=request, side=side)
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ReportList(LotusApiView):
    @extend_schema(operation_id="list_annual_reports", summary="Your organisation's annual reports, every version",
                   parameters=[PAGE], responses={200: s.AnnualReportPage, **ERRORS}, tags=TAGS)
    def get(self, request):
        query = _query(request, PageQuerySerializer)
        found = reports.reports_of_organisation(request.user, request=request)
        return page_response(request, paginate(found, query.get("page")), s.AnnualReportSerializer)


class ReportDetail(LotusApiView):
    @extend_schema(operation_id="show_annual_report", summary="One of your organisation's annual reports",
                   responses={200: s.AnnualReportDetailSerializer, **READ_ERRORS}, tags=TAGS)
    def get(self, request, report_id: int):
        report = reports.report_for_user(request.user, report_id, request=request)
        reports.report_viewed(request.user, report, request=request)
        return Response(_detail(report))


class ReportPdf(LotusApiView):
    fmt = "pdf"

    @extend_schema(operation_id="annual_report_pdf", summary="An issued annual report as a PDF",
                   responses={**file_responses([PDF_MEDIA_TYPE], "The report as issued, as a PDF"), **READ_ERRORS},
                   tags=TAGS)
    def get(self, request, report_id: int):
        report = reports.report_for_user(request.user, report_id, request=request)
        return _file(request, report, self.fmt, "organisation")


class ReportDocx(ReportPdf):
    fmt = "docx"

    @extend_schema(operation_id="annual_report_docx", summary="An issued annual report as a Word document",
                   responses={**file_responses([DOCX_MEDIA_TYPE], "The report as issued, as a Word document (DOCX)"),
                              **READ_ERRORS}, tags=TAGS)
    def get(self, request, report_id: int):
        return super().get(request, report_id)


class SentReportList(LotusApiView):
    @extend_schema(operation_id="list_sent_annual_reports",
                   summary="The annual reports your integrated care board's members sent it",
                   parameters=[PAGE], responses={200: s.AnnualReportPage, **ERRORS}, tags=TAGS)
    def get(self, request):
        query = _query(request, PageQuerySerializer)
        found = reports.sent_reports(request.user, request=request)
        return page_response(request, paginate(found, query.get("page")), s.AnnualReportSerializer)


class SentReportDetail(LotusApiView):
    @extend_schema(operation_id="show_sent_annual_report", summary="An annual report a member sent your ICB",
                   responses={200: s.AnnualReportDetailSerializer, **READ_ERRORS}, tags=TAGS)
    def get(self, request, report_id: int):
        report = reports.sent_report_for(request.user, report_id, request=request)
        reports.report_viewed(request.user, report, request=request, side="icb")
        return Response(_detail(report))


class SentReportPdf(LotusApiView):
    fmt = "pdf"

    @extend_schema(operation_id="sent_annual_report_pdf", summary="An annual report a member sent your ICB, as a PDF",
                   responses={**file_responses([PDF_MEDIA_TYPE], "The report as issued, as a PDF"), **READ_ERRORS},
                   tags=TAGS)
    def get(self, request, report_id: int):
        report = reports.sent_report_for(request.user, report_id, request=request)
        return _file(request, report, self.fmt, "icb")


class SentReportDocx(SentReportPdf):
    fmt = "docx"

    @extend_schema(operation_id="sent_annual_report_docx",
                   summary="An annual report a member sent your ICB, as a Word document",
                   responses={**file_responses([DOCX_MEDIA_TYPE], "The report as issued, as a Word document (DOCX)"),
                              **READ_ERRORS}, tags=TAGS)
    def get(self, request, report_id: int):
        return super().get(request, report_id)
