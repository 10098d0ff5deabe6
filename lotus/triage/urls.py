from django.urls import path

from lotus.triage import views

app_name = "triage"

urlpatterns = [
    path("triage/", views.triage_queue, name="triage_queue"),
    path("triage/settings/", views.edit_settings, name="edit_settings"),
    path("triage/yours/", views.my_reviews, name="my_reviews"),
    path("cases/<int:case_id>/triage/", views.show_review, name="show_review"),
    path("cases/<int:case_id>/triage/start/", views.start_review, name="start_review"),
    path("cases/<int:case_id>/triage/risk/", views.edit_risk, name="edit_risk"),
    path("cases/<int:case_id>/triage/details/", views.edit_review, name="edit_review"),
    path("cases/<int:case_id>/triage/submit/", views.submit_review, name="submit_review"),
    path("cases/<int:case_id>/triage/share/", views.share_review, name="share_review"),
    path("cases/<int:case_id>/triage/shared/", views.shared_review, name="shared_review"),
    path("cases/<int:case_id>/triage/not-shared/", views.not_share_review, name="not_share_review"),
    path("cases/<int:case_id>/triage/second/override/", views.override_second_review, name="override_second_review"),
    path("cases/<int:case_id>/triage/download.<slug:fmt>", views.export_review, name="export_review"),
    path("cases/<int:case_id>/triage/shared/download.<slug:fmt>", views.export_shared_review,
         name="export_shared_review"),
    path("cases/<int:case_id>/triage/second/request/", views.request_second_review, name="request_second_review"),
    path("cases/<int:case_id>/triage/second/", views.second_review, name="second_review"),
    path("cases/<int:case_id>/triage/compare/", views.compare_reviews, name="compare_reviews"),
]
