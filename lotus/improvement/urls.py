from django.urls import path

from lotus.improvement import views

app_name = "improvement"

urlpatterns = [
    path("cases/<int:case_id>/plans/", views.list_plans, name="list_plans"),
    path("cases/<int:case_id>/plans/start/", views.start_plan, name="start_plan"),
    path("cases/<int:case_id>/plans/<int:plan_id>/", views.show_plan, name="show_plan"),
    path("cases/<int:case_id>/plans/<int:plan_id>/print/", views.print_plan, name="print_plan"),
    path("cases/<int:case_id>/plans/<int:plan_id>/assess/", views.assess, name="assess"),
    path("cases/<int:case_id>/plans/<int:plan_id>/meet/", views.meet, name="meet"),
    path("cases/<int:case_id>/plans/<int:plan_id>/goals/add/", views.add_goal, name="add_goal"),
    path("cases/<int:case_id>/plans/<int:plan_id>/agreement/", views.record_agreement, name="record_agreement"),
    path("cases/<int:case_id>/plans/<int:plan_id>/reviews/add/", views.add_review, name="add_review"),
]
