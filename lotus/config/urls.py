from django.urls import include, path

urlpatterns = [
    path("", include("lotus.core.urls")),
    path("account/", include("lotus.accounts.urls")),
    path("practitioners/", include("lotus.practitioners.urls")),
    path("cases/", include("lotus.cases.urls")),
]

handler404 = "lotus.core.views.page_not_found"
handler500 = "lotus.core.views.server_error"
handler403 = "lotus.core.views.page_not_found"
