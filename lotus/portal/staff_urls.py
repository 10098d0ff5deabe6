"""The case team's pages about the practitioner's portal (namespace `consent`)."""

from django.urls import path

from lotus.portal import views

app_name = "consent"

urlpatterns = [
    path("cases/<int:case_id>/consent/ask/", views.ask_consent, name="ask_consent"),
]
