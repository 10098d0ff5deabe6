from django.urls import path

from lotus.insights import views

app_name = "insights"

urlpatterns = [
    path("triage-agreement/", views.triage_agreement, name="triage_agreement"),
]
