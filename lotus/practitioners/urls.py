from django.urls import path

from lotus.practitioners import views

app_name = "practitioners"

urlpatterns = [
    path("", views.list_practitioners, name="list_practitioners"),
    path("add/", views.register_practitioner, name="register_practitioner"),
    path("<int:practitioner_id>/", views.show_practitioner, name="show_practitioner"),
    path("<int:practitioner_id>/equality/", views.edit_equality, name="edit_equality"),
]
