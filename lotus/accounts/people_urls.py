from django.urls import path

from lotus.accounts import people_views as views

app_name = "people"

urlpatterns = [
    path("", views.list_accounts, name="list_accounts"),
    path("<int:user_id>/", views.show_account, name="show_account"),
    path("<int:user_id>/<slug:action>/", views.change_account, name="change_account"),
]
