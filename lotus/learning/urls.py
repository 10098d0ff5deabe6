from django.urls import path

from lotus.learning.views import actions, library, records, reviews, vocabulary

app_name = "learning"

_REVIEW = "cases/<int:case_id>/reviews/<int:review_id>/"
_ACTION = "actions/<int:learning_action_id>/"

urlpatterns = [
    path("due/", reviews.due_reviews, name="due_reviews"),
    path("factors/", vocabulary.list_factors, name="list_factors"),
    path("factors/add/", vocabulary.add_factor, name="add_factor"),
    path("factors/<int:factor_id>/retire/", vocabulary.retire_factor, name="retire_factor"),
    path("factors/<int:factor_id>/restore/", vocabulary.restore_factor, name="restore_factor"),
    path("factors/<int:factor_id>/delete/", vocabulary.delete_factor, name="delete_factor"),
    path("settings/", vocabulary.edit_settings, name="edit_settings"),
    path("cases/<int:case_id>/reviews/", reviews.list_reviews, name="list_reviews"),
    path("cases/<int:case_id>/reviews/start/", reviews.start_review, name="start_review"),
    path(_REVIEW, reviews.show_review, name="show_review"),
    path(_REVIEW + "download.<slug:fmt>", reviews.download_review, name="download_review"),
    path(_REVIEW + "team/add/", reviews.add_team_member, name="add_team_member"),
    path(_REVIEW + "team/<int:place_id>/leave/", reviews.leave_team, name="leave_team"),
    path(_REVIEW + "declare/", reviews.declare_conflict, name="declare_conflict"),
    path(_REVIEW + "summary/", reviews.edit_summary, name="edit_summary"),
    path(_REVIEW + "submit/", reviews.submit_review, name="submit_review"),
    path(_REVIEW + "approve/", reviews.approve_review, name="approve_review"),
    path(_REVIEW + "amend/", reviews.amend_review, name="amend_review"),
    path(_REVIEW + "revisions/<int:number>/", reviews.show_version, name="show_version"),
    path(_REVIEW + "perspective/invite/", reviews.invite_perspective, name="invite_perspective"),
    path(_REVIEW + "chronology/pick/", records.pick_chronology, name="pick_chronology"),
    path(_REVIEW + "chronology/add/", records.add_chronology, name="add_chronology"),
    path(_REVIEW + "chronology/<int:chronology_id>/", records.edit_chronology, name="edit_chronology"),
    path(_REVIEW + "chronology/<int:chronology_id>/remove/", records.remove_chronology, name="remove_chronology"),
    path(_REVIEW + "problems/add/", records.add_problem, name="add_problem"),
    path(_REVIEW + "problems/<int:problem_id>/remove/", records.remove_problem, name="remove_problem"),
    path(_REVIEW + "went-well/add/", records.add_went_well, name="add_went_well"),
    path(_REVIEW + "went-well/<int:positive_id>/remove/", records.remove_went_well, name="remove_went_well"),
    path(_REVIEW + "<str:on>/<int:finding_id>/factors/", records.choose_category, name="choose_category"),
    path(_REVIEW + "<str:on>/<int:finding_id>/factors/add/", records.code_factor, name="code_factor"),
    path(_REVIEW + "factors/<int:coded_id>/remove/", records.remove_factor, name="remove_factor"),
]

# --- Improvement actions, learning summaries and the library (docs/adr/0019) ---
urlpatterns += [
    path("actions/", actions.list_actions, name="list_actions"),
    path(_REVIEW + "actions/add/", actions.add_action, name="add_action"),
    path(_ACTION, actions.show_action, name="show_action"),
    path(_ACTION + "change/", actions.edit_action, name="edit_action"),
    path(_ACTION + "move/<str:to_status>/", actions.move_action, name="move_action"),
    path(_ACTION + "evidence/", actions.add_evidence, name="add_evidence"),
    path(_ACTION + "evidence/<int:evidence_id>/", actions.download_evidence, name="download_evidence"),
    path(_ACTION + "assure/", actions.assure_action, name="assure_action"),
    path(_REVIEW + "learning-summary/", library.write_learning_summary, name="write_learning_summary"),
    path(_REVIEW + "learning-summary/approve/", library.approve_learning_summary, name="approve_learning_summary"),
    path(_REVIEW + "learning-summary/withdraw/", library.withdraw_learning_summary,
         name="withdraw_learning_summary"),
    path("library/", library.library, name="library"),
    path("library/<int:summary_id>/", library.show_library_summary, name="show_library_summary"),
    path("library/bulletin/<int:year>/<int:month>/", library.print_bulletin, name="print_bulletin"),
    path("library/bulletin/<int:year>/<int:month>/pdf/", library.bulletin_pdf, name="bulletin_pdf"),
]
