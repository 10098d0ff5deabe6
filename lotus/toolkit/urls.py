from django.urls import path

from lotus.toolkit import views

app_name = "toolkit"

urlpatterns = [
    path("", views.home, name="home"),
    path("learn/<slug:step>/", views.show_step, name="show_step"),
    path("learn/<slug:step>/read/", views.mark_step_read, name="mark_step_read"),
    path("promise/", views.edit_promise, name="edit_promise"),
    path("use/", views.show_usage, name="show_usage"),
    path("assessments/", views.list_assessments, name="list_assessments"),
    path("assessments/take/<slug:instrument>/", views.start_assessment, name="start_assessment"),
    path("assessments/<int:attempt_id>/", views.show_assessment, name="show_assessment"),
    path("assessments/<int:attempt_id>/continue/", views.continue_assessment, name="continue_assessment"),
    path("reflections/", views.list_entries, name="list_entries"),
    path("reflections/new/<slug:exercise>/", views.start_entry, name="start_entry"),
    path("reflections/<int:entry_id>/", views.show_entry, name="show_entry"),
    path("reflections/<int:entry_id>/edit/", views.edit_entry, name="edit_entry"),
    path("reflections/<int:entry_id>/download/", views.download_entry, name="download_entry"),
    path("actions/", views.list_actions, name="list_actions"),
    path("actions/<int:action_id>/review/", views.review_action, name="review_action"),
    path("routines/", views.list_routines, name="list_routines"),
    path("routines/choose/", views.choose_routines, name="choose_routines"),
    path("reminders/", views.choose_reminders, name="choose_reminders"),
    path("routines/<int:routine_id>/tick/", views.check_routine, name="check_routine"),
    path("team/", views.list_team_sessions, name="list_team_sessions"),
    path("team/new/", views.start_team_session, name="start_team_session"),
    path("team/<int:session_id>/", views.show_team_session, name="show_team_session"),
    path("team/join/<str:join_code>/", views.answer_team_session, name="answer_team_session"),
    path("your-data/", views.your_data, name="your_data"),
    path("your-data/download/", views.download_everything, name="download_everything"),
    path("your-data/delete/", views.delete_everything, name="delete_everything"),
]
