from django.urls import path

from lotus.insights import views
from lotus.insights.equity import views as equity
from lotus.insights.reports import views as reports
from lotus.insights.reports import views_icb as icb

app_name = "insights"

urlpatterns = [
    path("triage-agreement/", views.triage_agreement, name="triage_agreement"),
    path("themes/", views.themes, name="themes"),
    path("themes/<slug:table>.csv", views.themes_csv, name="themes_csv"),
    # Annual reports (docs/adr/0023): the organisation's own.
    path("reports/", reports.list_reports, name="list_reports"),
    path("reports/new/", reports.start_report, name="start_report"),
    path("reports/<int:report_id>/", reports.show_report, name="show_report"),
    path("reports/<int:report_id>/words/", reports.edit_report, name="edit_report"),
    path("reports/<int:report_id>/approve/", reports.approve_report, name="approve_report"),
    path("reports/<int:report_id>/issue/", reports.issue_report, name="issue_report"),
    path("reports/<int:report_id>/send/", reports.send_report, name="send_report"),
    path("reports/<int:report_id>/new-version/", reports.new_report_version, name="new_report_version"),
    path("reports/<int:report_id>/report.<str:fmt>", reports.download_report, name="download_report"),
    path("reports/<int:report_id>/questions/<int:question_id>/reply/", reports.reply_to_question,
         name="reply_to_question"),
    # The integrated care board's view.
    path("icb/", icb.icb_themes, name="icb_themes"),
    path("icb/equity/", icb.icb_equity, name="icb_equity"),
    path("icb/reports/", icb.icb_reports, name="icb_reports"),
    path("icb/reports/<int:report_id>/", icb.icb_show_report, name="icb_show_report"),
    path("icb/reports/<int:report_id>/report.<str:fmt>", icb.icb_download_report, name="icb_download_report"),
    path("icb/reports/<int:report_id>/received/", icb.icb_mark_received, name="icb_mark_received"),
    path("icb/reports/<int:report_id>/ask/", icb.icb_ask_question, name="icb_ask_question"),
    path("icb/members/", icb.icb_members, name="icb_members"),
    path("your-icb/", icb.your_icb, name="your_icb"),
    path("memberships/<int:membership_id>/answer/", icb.answer_invitation, name="answer_invitation"),
    path("memberships/<int:membership_id>/end/", icb.end_membership, name="end_membership"),
    path("equity/", equity.equity_dashboard, name="equity_dashboard"),
    path("equity/<slug:equity_table>.csv", equity.equity_csv, name="equity_csv"),
    path("workforce/", equity.list_workforce, name="list_workforce"),
    path("workforce/enter/", equity.enter_workforce, name="enter_workforce"),
    path("workforce/upload/", equity.upload_workforce, name="upload_workforce"),
    path("workforce/template.csv", equity.workforce_template, name="workforce_template"),
    path("workforce/<int:year>-<int:quarter>.csv", equity.workforce_csv, name="workforce_csv"),
    path("settings/", views.edit_settings, name="edit_settings"),
]
