"""The project's URLs plus two unnamed patterns, one in api:v1, for the access matrices' own test."""

from django.http import HttpResponse
from django.urls import include, path

from lotus.config.urls import urlpatterns as project_urlpatterns


def hidden(request, case_id):  # pragma: no cover - never requested
    return HttpResponse("")


urlpatterns = [
    path("", include(([path("api/v1/", include(([path("hidden/<int:case_id>/", hidden)], "v1")))], "api"))),
    path("visible-nowhere/", hidden),
    *project_urlpatterns,
]
