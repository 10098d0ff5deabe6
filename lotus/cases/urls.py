from django.urls import path

from lotus.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.list_cases, name="list_cases"),
    path("open/", views.open_case, name="open_case"),
    path("<int:case_id>/", views.show_case, name="show_case"),
    path("<int:case_id>/summary/", views.edit_summary, name="edit_summary"),
    path("<int:case_id>/status/", views.change_status, name="change_status"),
    path("<int:case_id>/team/add/", views.add_team_member, name="add_team_member"),
    path("<int:case_id>/documents/upload/", views.upload_document, name="upload_document"),
    path("<int:case_id>/documents/<int:document_id>/download/", views.download_document, name="download_document"),
    path("<int:case_id>/documents/<int:document_id>/withdraw/", views.withdraw_document, name="withdraw_document"),
    path("<int:case_id>/tasks/add/", views.add_task, name="add_task"),
    path("<int:case_id>/tasks/<int:task_id>/done/", views.complete_task, name="complete_task"),
]
