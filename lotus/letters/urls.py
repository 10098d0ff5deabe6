from django.urls import path

from lotus.letters import views

app_name = "letters"

urlpatterns = [
    path("letters/", views.dashboard, name="dashboard"),
    path("letters/settings/", views.edit_settings, name="edit_settings"),
    path("letters/templates/", views.list_templates, name="list_templates"),
    path("letters/templates/add/", views.edit_template, name="add_template"),
    path("letters/templates/<int:template_id>/", views.edit_template, name="edit_template"),
    path("letters/<int:letter_id>/", views.show_letter, name="show_letter"),
    path("letters/<int:letter_id>/approve/", views.approve_letter, name="approve_letter"),
    path("letters/<int:letter_id>/send/", views.send_letter, name="send_letter"),
    path("letters/<int:letter_id>/letter.pdf", views.download_letter, {"kind": "pdf"}, name="download_pdf"),
    path("letters/<int:letter_id>/letter.docx", views.download_letter, {"kind": "docx"}, name="download_docx"),
    path("cases/<int:case_id>/letters/new/", views.draft_letter, name="draft_letter"),
]
