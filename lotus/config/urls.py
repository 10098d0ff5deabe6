from django.urls import include, path

urlpatterns = [
    path("", include("lotus.core.urls")),
    path("account/", include("lotus.accounts.urls")),
    path("practitioners/", include("lotus.practitioners.urls")),
    path("cases/", include("lotus.cases.urls")),
    path("toolkit/", include("lotus.toolkit.urls")),
    path("", include("lotus.api.urls")),  # /api/v1/… and /account/api-tokens/…
]

handler404 = "lotus.core.views.page_not_found"
handler500 = "lotus.core.views.server_error"
handler403 = "lotus.core.views.page_not_found"
