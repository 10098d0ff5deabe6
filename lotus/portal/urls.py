from django.urls import path

from lotus.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<int:case_id>/", views.show_case, name="show_case"),
    path("cases/<int:case_id>/letters/<int:letter_id>/", views.show_letter, name="show_letter"),
    path("cases/<int:case_id>/letters/<int:letter_id>/letter.pdf", views.download_letter, name="download_letter"),
    path("cases/<int:case_id>/reflections/add/", views.add_reflection, name="add_reflection"),
    path("cases/<int:case_id>/consent/<int:consent_id>/", views.answer_consent, name="answer_consent"),
    path("cases/<int:case_id>/documents/<int:document_id>/", views.download_document, name="download_document"),
    path("cases/<int:case_id>/reviews/<int:review_id>/perspective/", views.give_perspective, name="give_perspective"),
]
