"""The ground floor's pages. The home page (`core:home`, at `/`) is added to this
namespace by lotus/config/urls.py from lotus.accounts.home, because it knows roles."""

from django.urls import path

from lotus.core import views

app_name = "core"

urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
