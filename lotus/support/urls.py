from django.urls import path

from lotus.support import views

app_name = "support"

urlpatterns = [
    path("", views.list_my_plans, name="list_my_plans"),
    path("attention/", views.needs_attention, name="needs_attention"),
    path("signposting/", views.list_signposts, name="list_signposts"),
    path("signposting/add/", views.edit_signpost, name="add_signpost"),
    path("signposting/<int:resource_id>/", views.edit_signpost, name="edit_signpost"),
    path("wellbeing/", views.wellbeing_aggregate, name="wellbeing_aggregate"),
    path("settings/", views.edit_settings, name="edit_settings"),
    path("cases/<int:case_id>/", views.show_plan, name="show_plan"),
    path("cases/<int:case_id>/matters/<slug:matter>/", views.record_matter, name="record_matter"),
    path("cases/<int:case_id>/pastoral-contact/", views.assign_pastoral_contact, name="assign_pastoral_contact"),
    path("cases/<int:case_id>/preferences/", views.record_preferences, name="record_preferences"),
    path("cases/<int:case_id>/circumstances/", views.record_circumstances, name="record_circumstances"),
    path("cases/<int:case_id>/contacts/add/", views.log_contact, name="log_contact"),
    path("cases/<int:case_id>/prompts/<int:prompt_id>/", views.clear_prompt, name="clear_prompt"),
    path("cases/<int:case_id>/adjustments/add/", views.add_adjustment, name="add_adjustment"),
    path("cases/<int:case_id>/adjustments/<int:adjustment_id>/", views.review_adjustment, name="review_adjustment"),
    path("cases/<int:case_id>/occupational-health/add/", views.add_oh_referral, name="add_oh_referral"),
    path("cases/<int:case_id>/wellbeing/add/", views.record_wellbeing, name="record_wellbeing"),
]
