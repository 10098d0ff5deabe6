from django.urls import path

from lotus.panels import views

app_name = "panels"

urlpatterns = [
    path("", views.list_meetings, name="list_meetings"),
    path("schedule/", views.schedule_meeting, name="schedule_meeting"),
    path("<int:meeting_id>/", views.show_meeting, name="show_meeting"),
    path("<int:meeting_id>/pack.pdf", views.meeting_pack, {"kind": "pdf"}, name="meeting_pack_pdf"),
    path("<int:meeting_id>/pack.docx", views.meeting_pack, {"kind": "docx"}, name="meeting_pack_docx"),
    path("<int:meeting_id>/attendance/", views.record_attendance, name="record_attendance"),
    path("<int:meeting_id>/agenda/add/", views.add_item, name="add_item"),
    path("<int:meeting_id>/items/<int:item_id>/", views.show_item, name="show_item"),
    path("<int:meeting_id>/items/<int:item_id>/declare/", views.declare_conflict, name="declare_conflict"),
    path("<int:meeting_id>/items/<int:item_id>/decision/", views.record_decision, name="record_decision"),
    path("<int:meeting_id>/items/<int:item_id>/documents/<int:document_id>/", views.download_reflection_document,
         name="download_reflection_document"),
]
