from django.urls import include, path

from lotus.accounts.home import home
from lotus.core import urls as core_urls

# The `core` namespace keeps the home page's name (core:home) while the view lives in
# accounts: the ground floor knows no roles (docs/adr/0018).
core_pages = ([path("", home, name="home"), *core_urls.urlpatterns], core_urls.app_name)

urlpatterns = [
    path("", include(core_pages)),
    path("account/", include("lotus.accounts.urls")),
    path("accounts/", include("lotus.accounts.people_urls")),
    path("practitioners/", include("lotus.practitioners.urls")),
    path("cases/", include("lotus.cases.urls")),
    path("", include("lotus.triage.urls")),  # /triage/ and /cases/<id>/triage/…
    path("insights/", include("lotus.insights.urls")),
    path("support/", include("lotus.support.urls")),
    path("improvement/", include("lotus.improvement.urls")),
    path("learning/", include("lotus.learning.urls")),
    path("toolkit/", include("lotus.toolkit.urls")),
    path("panels/", include("lotus.panels.urls")),
    path("", include("lotus.letters.urls")),  # /letters/… and /cases/<id>/letters/new/
    path("portal/", include("lotus.portal.urls")),
    path("", include("lotus.portal.staff_urls")),  # /cases/<id>/consent/ask/
    path("", include("lotus.api.urls")),  # /api/v1/… and /account/api-tokens/…
    path("", include("lotus.ops.urls")),  # /health/live, /health/ready, /metrics
]

handler404 = "lotus.core.views.page_not_found"
handler500 = "lotus.core.views.server_error"
handler403 = "lotus.core.views.page_not_found"
