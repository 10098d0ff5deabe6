"""The access matrix: every URL the service registers, for every kind of user.

The URL names come from the resolver, so a new page without a row here fails. The
expected statuses are written out by hand from the policy (lotus/accounts/rules.py) and
the workflow (lotus/cases/workflow.py), never computed from them, so a change to either
that moves who can reach what shows up as a failing row:

- 200: the page is served;
- 302: anonymous, sent to sign in (the redirect's target is checked too);
- 404: out of reach (never 403, so the page does not reveal that the record exists);
- 405: the view accepts POST only.
"""

import datetime as dt
import re
from unittest import mock

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp_webauthn.models import WebAuthnCredential

from lotus.api.services import api_token_create
from lotus.cases import services
from lotus.cases.models import Case, Document, Task
from lotus.improvement import services as improvement_services
from lotus.portal import services as portal_services
from lotus.support import services as support_services
from lotus.support.models import SignpostResource
from lotus.toolkit import services as toolkit_services
from tests.conftest import signed_in_client
from tests.factories import TaskFactory
from tests.toolkit.helpers import complete_attempt

ROLES = (
    "anonymous",
    "administrator",
    "case_manager",
    "professional_advisor",
    "panel_member",
    "pastoral_contact",
    "practitioner",
    "analyst",
    "off_team_case_manager",
    "other_org_administrator",
)

# The case-scoped rows are for world.case (status "received"), on whose team are the
# case manager and professional advisor; the practitioner is its subject. Practitioner
# rows use world.practitioner (organisation A).
# The panel member and the pastoral contact are on world.case's team too, by raw rows
# from before docs/adr/0016 (tests/conftest.py): such a row grants nothing, so their
# columns show what they reach without it. The panel member reaches world.case through
# the agenda of the meeting they sit on (panels:*), the pastoral contact nothing of it.
ALL = (200,) * 10
SIGNED_IN = (302,) + (200,) * 9

# fmt: off
EXPECTED: dict[str, tuple[int, ...]] = {
    #                                   anon admin  cm   pa   pm   pc  prac anal offcm oorg
    "core:home":                        SIGNED_IN,
    "core:accessibility":               ALL,
    "core:privacy":                     ALL,
    "accounts:sign_in":                 ALL,
    "accounts:sign_out":                SIGNED_IN,   # GET asks to confirm
    "accounts:show_account":            SIGNED_IN,
    "accounts:change_password":         SIGNED_IN,
    "accounts:confirm_password":        SIGNED_IN,
    # Everyone here has already entered their code, so the code page sends them on.
    "accounts:verify_code":             (302,) * 10,
    # Changing two-step verification asks for the password first (re-authentication).
    "accounts:set_up_mfa":              (302,) * 10,
    # Recovery codes are shown once, straight after set-up; otherwise back to the account.
    "accounts:show_recovery_codes":     (302,) * 10,
    "practitioners:list_practitioners": (302, 200, 200, 404, 404, 404, 404, 404, 200, 200),
    "practitioners:register_practitioner": (302, 200, 200, 404, 404, 404, 404, 404, 200, 200),
    "practitioners:show_practitioner":  (302, 200, 200, 404, 404, 404, 404, 404, 200, 404),
    "practitioners:edit_equality":      (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    "cases:list_cases":                 (302, 200, 200, 200, 200, 200, 404, 404, 200, 200),
    "cases:open_case":                  (302, 200, 200, 404, 404, 404, 404, 404, 200, 200),
    "cases:show_case":                  (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "cases:edit_summary":               (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # From "received" only managers may move a case (start triage, withdraw).
    "cases:change_status":              (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "cases:add_team_member":            (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # Evidence: never the pastoral contact.
    "cases:upload_document":            (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "cases:download_document":          (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "cases:withdraw_document":          (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "cases:add_task":                   (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "cases:complete_task":              (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # API tokens: everyone signed in has their own; the token in `objects` is the case manager's.
    "api:list_tokens":                  SIGNED_IN,
    "api:create_token":                 SIGNED_IN,
    "api:revoke_token":                 (302, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    # Passkeys: everyone signed in has an authenticator app here, so the passkey pages ask
    # for the password first; the passkey in `objects` is the case manager's. The
    # ceremonies are JSON endpoints that take POST only.
    "accounts:manage_passkeys":         (302,) * 10,
    "accounts:remove_passkey":          (302, 404, 302, 404, 404, 404, 404, 404, 404, 404),
    "accounts:passkey_registration_begin":    (302,) + (405,) * 9,
    "accounts:passkey_registration_complete": (302,) + (405,) * 9,
    "accounts:passkey_authentication_begin":  (302,) + (405,) * 9,
    "accounts:passkey_authentication_complete": (302,) + (405,) * 9,
    # Managing accounts: administrators, for their own organisation's accounts (here the
    # panel member's), never their own.
    "people:list_accounts":             (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "people:show_account":              (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    "people:change_account":            (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    # Triage (world.case is "received" and has no review yet; tests/triage/test_access.py
    # walks the same pages with a review in each state).
    "triage:triage_queue":              (302, 200, 200, 200, 404, 404, 404, 404, 200, 200),
    "triage:edit_settings":             (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "triage:my_reviews":                (302, 404, 404, 404, 404, 404, 200, 404, 404, 404),
    "triage:show_review":               (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    # The advisor is sent back: a review starts once triage has started.
    "triage:start_review":              (302, 404, 404, 302, 404, 404, 404, 404, 404, 404),
    "triage:edit_risk":                 (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "triage:edit_review":               (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "triage:submit_review":             (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Nothing to share or compare yet: those who may are sent back to the review page.
    "triage:share_review":              (302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    "triage:shared_review":             (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "triage:not_share_review":          (302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    # Not picked for a second review: case managers and administrators are sent back.
    "triage:override_second_review":    (302, 302, 302, 404, 404, 404, 404, 404, 404, 404),
    # Downloads: no review yet, so those who may read one are sent back to the review page.
    "triage:export_review":             (302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    "triage:export_shared_review":      (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "triage:request_second_review":     (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "triage:second_review":             (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "triage:compare_reviews":           (302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    "insights:triage_agreement":        (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    # Themes and trends: counts only, small numbers hidden, for administrators and analysts
    # of each organisation (their own organisation's figures; docs/adr/0020).
    "insights:themes":                  (302, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "insights:themes_csv":              (302, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    # Equity (issue 13): the dashboard and its downloads for administrators and analysts;
    # workforce figures read by both, entered by administrators. The figures in `objects`
    # are the organisation's, so the other organisation's administrator has none (404).
    "insights:equity_dashboard":        (302, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "insights:equity_csv":              (302, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "insights:list_workforce":          (302, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "insights:enter_workforce":         (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "insights:upload_workforce":        (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "insights:workforce_template":      (302, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "insights:workforce_csv":           (302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    # The small-numbers threshold of those figures: administrators only (docs/adr/0025).
    "insights:edit_settings":           (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    # Support (issue 6). world.case has a support plan (objects below) and no named
    # pastoral contact: the pastoral contact column is the spine's team member, who sees
    # the plan as part of the team. The named pastoral contact's own matrix, and proof
    # that they never reach evidence, is in tests/support/test_access.py.
    "support:list_my_plans":            (302, 404, 404, 404, 404, 200, 404, 404, 404, 404),
    "support:needs_attention":          (302, 200, 200, 404, 404, 404, 404, 404, 200, 200),
    "support:list_signposts":           (302, 200, 200, 200, 200, 200, 200, 404, 200, 200),
    "support:add_signpost":             (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "support:edit_signpost":            (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    "support:wellbeing_aggregate":      (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "support:edit_settings":            (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "support:show_plan":                (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "support:record_matter":            (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "support:assign_pastoral_contact":  (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "support:record_preferences":       (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "support:record_circumstances":     (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "support:log_contact":              (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "support:clear_prompt":             (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "support:add_adjustment":           (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "support:review_adjustment":        (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "support:add_oh_referral":          (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "support:record_wellbeing":         (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # Five-step performance plans: the team who may see evidence; never the pastoral contact.
    "improvement:list_plans":           (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "improvement:show_plan":            (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "improvement:print_plan":           (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "improvement:start_plan":           (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "improvement:assess":               (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "improvement:meet":                 (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "improvement:add_goal":             (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "improvement:record_agreement":     (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "improvement:add_review":           (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # The leadership toolkit: every signed-in user with a role has their own. Records in
    # `objects` belong to the case manager, and no one else reaches them, administrators
    # included (docs/adr/0011-toolkit-privacy.md).
    "toolkit:home":                     SIGNED_IN,
    "toolkit:show_step":                SIGNED_IN,
    "toolkit:mark_step_read":           (302,) + (405,) * 9,
    # The organisation's promise: its administrators write it.
    "toolkit:edit_promise":             (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    # How much the toolkit is used: counts only, for administrators and analysts.
    "toolkit:show_usage":               (302, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "toolkit:list_assessments":         SIGNED_IN,
    "toolkit:start_assessment":         SIGNED_IN,
    "toolkit:show_assessment":          (302, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    # A completed attempt cannot be continued: its owner is sent to the result.
    "toolkit:continue_assessment":      (302, 404, 302, 404, 404, 404, 404, 404, 404, 404),
    "toolkit:list_entries":             SIGNED_IN,
    "toolkit:start_entry":              SIGNED_IN,
    "toolkit:show_entry":               (302, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    "toolkit:edit_entry":               (302, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    "toolkit:download_entry":           (302, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    "toolkit:list_actions":             SIGNED_IN,
    "toolkit:review_action":            (302, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    "toolkit:list_routines":            SIGNED_IN,
    "toolkit:choose_routines":          SIGNED_IN,
    "toolkit:check_routine":            (302,) + (405,) * 9,
    "toolkit:choose_reminders":         SIGNED_IN,
    "toolkit:list_team_sessions":       SIGNED_IN,
    "toolkit:start_team_session":       SIGNED_IN,
    "toolkit:show_team_session":        (302, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    # Anyone in the facilitator's organisation with the link may answer.
    "toolkit:answer_team_session":      (302, 200, 200, 200, 200, 200, 200, 200, 200, 404),
    "toolkit:your_data":                SIGNED_IN,
    "toolkit:download_everything":      SIGNED_IN,
    "toolkit:delete_everything":        SIGNED_IN,
    # Panels: a meeting of organisation A, chaired by the panel member, with world.case on
    # its agenda. Case managers run meetings but see an item's papers only for cases they
    # may see; members see papers unless they declared a conflict.
    "panels:list_meetings":             (302, 200, 200, 404, 200, 404, 404, 404, 200, 200),
    "panels:schedule_meeting":          (302, 200, 200, 404, 404, 404, 404, 404, 200, 200),
    "panels:show_meeting":              (302, 200, 200, 404, 200, 404, 404, 404, 200, 404),
    "panels:meeting_pack_pdf":          (302, 200, 200, 404, 200, 404, 404, 404, 200, 404),
    "panels:meeting_pack_docx":         (302, 200, 200, 404, 200, 404, 404, 404, 200, 404),
    "panels:add_item":                  (302, 200, 200, 404, 404, 404, 404, 404, 200, 404),
    # Who attended: those who run the meeting, and its chair (the panel member) among the members.
    "panels:record_attendance":         (302, 200, 200, 404, 200, 404, 404, 404, 200, 404),
    "panels:show_item":                 (302, 200, 200, 404, 200, 404, 404, 404, 404, 404),
    "panels:declare_conflict":          (302, 404, 404, 404, 200, 404, 404, 404, 404, 404),
    "panels:record_decision":           (302, 200, 200, 404, 200, 404, 404, 404, 404, 404),
    # The panel member has not declared on the item yet: the item page is the declaration
    # form, and no paper downloads until they declare (issue 19 point 4).
    "panels:download_reflection_document": (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # Letters: a draft on world.case. Never the pastoral contact; the practitioner reads
    # only sent letters, on their own pages.
    "letters:dashboard":                (302, 200, 200, 404, 404, 404, 404, 404, 200, 200),
    "letters:list_templates":           (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "letters:edit_settings":            (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "letters:add_template":             (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "letters:edit_template":            (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    "letters:show_letter":              (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "letters:approve_letter":           (302, 405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Not approved yet: those who may send are sent back to the letter.
    "letters:send_letter":              (302, 302, 302, 404, 404, 404, 404, 404, 404, 404),
    "letters:download_pdf":             (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "letters:download_docx":            (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "letters:draft_letter":             (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # The practitioner's portal: their own case only; one case, so home goes straight to it.
    "portal:home":                      (302, 404, 404, 404, 404, 404, 302, 404, 404, 404),
    "portal:show_case":                 (302, 404, 404, 404, 404, 404, 200, 404, 404, 404),
    # The letter in `objects` is a draft: it never reaches the portal.
    "portal:show_letter":               (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "portal:download_letter":           (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "portal:add_reflection":            (302, 404, 404, 404, 404, 404, 200, 404, 404, 404),
    "portal:answer_consent":            (302, 404, 404, 404, 404, 404, 200, 404, 404, 404),
    # A document the practitioner sent with their reflections: back to them only.
    "portal:download_document":         (302, 404, 404, 404, 404, 404, 200, 404, 404, 404),
    # The practitioner was invited to give their perspective on the review (learning).
    "portal:give_perspective":          (302, 404, 404, 404, 404, 404, 200, 404, 404, 404),
    # Asking for consent by hand: the people who may change the case.
    "consent:ask_consent":              (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # Lessons-learnt reviews (issue 12; docs/adr/0019). The review in `objects` is on
    # world.case, led by the professional advisor (declared, no conflict); it was approved
    # by the administrator and amended, so it is a draft of revision 2 with revision 1
    # kept; the case manager has joined as a co-reviewer and not declared yet; the
    # practitioner has been invited to give their perspective. Reading it
    # is for those who may see the case's evidence; writing it for the declared team; the
    # administrator (neither submitter nor on the team) is the second person.
    "learning:due_reviews":             (302, 200, 200, 404, 404, 404, 404, 404, 200, 200),
    "learning:list_factors":            (302, 200, 200, 200, 200, 200, 404, 404, 200, 200),
    "learning:add_factor":              (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    # The local factor in `objects` is organisation A's.
    "learning:retire_factor":           (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    "learning:restore_factor":          (302,) + (405,) * 9,
    "learning:delete_factor":           (302,) + (405,) * 9,
    "learning:edit_settings":           (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "learning:list_reviews":            (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "learning:start_review":            (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "learning:show_review":             (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    # The review as a Word or PDF file (`fmt` is pdf here): whoever may read the review.
    "learning:download_review":         (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "learning:show_version":            (302, 200, 200, 200, 404, 404, 404, 404, 404, 404),
    "learning:add_team_member":         (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    "learning:leave_team":              (302, 200, 200, 404, 404, 404, 404, 404, 404, 404),
    # The practitioner has been invited already: those who may invite are sent back.
    "learning:invite_perspective":      (302, 302, 302, 404, 404, 404, 404, 404, 404, 404),
    # Only the case manager (on the team) has still to declare.
    "learning:declare_conflict":        (302, 404, 200, 404, 404, 404, 404, 404, 404, 404),
    "learning:edit_summary":            (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    "learning:submit_review":           (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    # A draft is not waiting for approval, and is not approved to amend: those who may are
    # sent back to the review.
    "learning:approve_review":          (302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    "learning:amend_review":            (302, 302, 302, 302, 404, 404, 404, 404, 404, 404),
    "learning:pick_chronology":         (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    "learning:add_chronology":          (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    "learning:edit_chronology":         (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    "learning:remove_chronology":       (302,) + (405,) * 9,
    "learning:add_problem":             (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    "learning:remove_problem":          (302,) + (405,) * 9,
    "learning:add_went_well":           (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    "learning:remove_went_well":        (302,) + (405,) * 9,
    "learning:choose_category":         (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    "learning:code_factor":             (302, 404, 404, 200, 404, 404, 404, 404, 404, 404),
    "learning:remove_factor":           (302,) + (405,) * 9,
    # Improvement actions, learning summaries and the library (docs/adr/0019). The action
    # in `objects` is on the review above, owned by the panel member (who is not on the
    # review and reaches only the action), who marked it done with a document of
    # evidence; not yet assured. Someone on the review team who has not declared (the case
    # manager here) takes no part in its actions or summary until they do. The case's
    # managers and the owner move an action on; the administrator, neither owner nor the
    # one who marked it done, assures it. The actions page is for staff who may see evidence.
    "learning:list_actions":            (302, 200, 200, 200, 200, 404, 404, 404, 200, 200),
    "learning:add_action":              (302, 200, 404, 200, 404, 404, 404, 404, 404, 404),
    "learning:show_action":             (302, 200, 200, 200, 200, 404, 404, 404, 404, 404),
    # Done, so not changed until reopened: those who may are sent back to the action.
    "learning:edit_action":             (302, 302, 404, 302, 404, 404, 404, 404, 404, 404),
    # Reopening a done action (to_status in_progress).
    "learning:move_action":             (302, 200, 404, 404, 200, 404, 404, 404, 404, 404),
    "learning:add_evidence":            (302, 200, 404, 404, 200, 404, 404, 404, 404, 404),
    "learning:download_evidence":       (302, 200, 200, 200, 200, 404, 404, 404, 404, 404),
    "learning:assure_action":           (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    # The review's draft learning summary, written by the advisor: a second person approves
    # it; a draft is not in the library, so withdrawing it sends those who may back.
    "learning:write_learning_summary":  (302, 200, 404, 200, 404, 404, 404, 404, 404, 404),
    "learning:approve_learning_summary": (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    "learning:withdraw_learning_summary": (302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    # The library: every member of staff, analysts included; never a practitioner. The
    # summary in `objects` is organisation A's, approved this month; the other
    # organisation's administrator reads their own (empty) library and bulletin.
    "learning:library":                 (302, 200, 200, 200, 200, 200, 404, 200, 200, 200),
    "learning:show_library_summary":    (302, 200, 200, 200, 200, 200, 404, 200, 200, 404),
    "learning:print_bulletin":          (302, 200, 200, 200, 200, 200, 404, 200, 200, 200),
    "learning:bulletin_pdf":            (302, 200, 200, 200, 200, 200, 404, 200, 200, 200),
    # Annual reports (docs/adr/0023). The report in `objects` is organisation A's for last
    # year, its words written by the analyst, approved and issued by the administrator and
    # sent to a test ICB that organisation A has joined; the ICB has asked a question, not
    # yet answered. Administrators and analysts of the organisation read and write its
    # reports; only administrators approve, issue, send and make new versions. Issued, it
    # cannot change: those who may are sent back to it. Nobody here sits in an ICB, so the
    # ICB's pages are 404 for everyone (tests/insights/test_icb_access.py walks them as the
    # ICB's own users).
    "insights:list_reports":            (302, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "insights:start_report":            (302, 200, 404, 404, 404, 404, 404, 200, 404, 200),
    "insights:show_report":             (302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    "insights:edit_report":             (302, 302, 404, 404, 404, 404, 404, 302, 404, 404),
    "insights:approve_report":          (302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:issue_report":            (302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:send_report":             (302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:new_report_version":      (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:download_report":         (302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    "insights:reply_to_question":       (302, 200, 404, 404, 404, 404, 404, 200, 404, 404),
    "insights:icb_themes":              (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:icb_equity":              (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:icb_reports":             (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:icb_show_report":         (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:icb_download_report":     (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:icb_mark_received":       (302,) + (405,) * 9,
    "insights:icb_ask_question":        (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:icb_members":             (302, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    # A provider's administrators answer the ICB's invitation and may end the membership;
    # it is accepted already, so the answer page sends them back.
    "insights:your_icb":                (302, 200, 404, 404, 404, 404, 404, 404, 404, 200),
    "insights:answer_invitation":       (302, 302, 404, 404, 404, 404, 404, 404, 404, 404),
    "insights:end_membership":          (302, 200, 404, 404, 404, 404, 404, 404, 404, 404),
    # Probes for load balancers: open to everyone, and they show no data (ADR 0022).
    "ops:liveness":                     ALL,
    "ops:readiness":                    ALL,
    # Metrics answer only a scraper with LOTUS_METRICS_TOKEN, unset here: 404 for all.
    "ops:metrics":                      (404,) * 10,
}
# fmt: on

#: The REST API authenticates by bearer token, not by session, and answers in JSON; its
#: URLs have their own roles × endpoints matrix in tests/api/test_access_matrix.py.
API_NAMESPACE = "api:v1:"


def registered_url_names() -> dict[str, frozenset[str]]:
    """Every URL name in the project (with its namespace) and the kwargs it takes.

    An unnamed pattern is reported under "<namespace><unnamed: route>" so it cannot hide:
    one in api:v1 lands in the API matrix (tests/api/test_access_matrix.py), any other in
    this one, and either fails its matrix until it has a row (issue 19). url_for() builds
    its URL from the route, so a row for it is checked like any other.
    """
    found: dict[str, frozenset[str]] = {}

    def walk(patterns, namespace: str, params: frozenset[str], prefix: str) -> None:
        for pattern in patterns:
            here = params | frozenset(pattern.pattern.regex.groupindex)
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, here, route)
            elif (namespace + (pattern.name or "")).startswith(API_NAMESPACE):
                continue
            elif pattern.name:
                found[namespace + pattern.name] = here
            else:
                found[f"{namespace}<unnamed: {route}>"] = here

    walk(get_resolver().url_patterns, "", frozenset(), "")
    return found


def url_for(name: str, objects: dict, names: dict | None = None) -> str:
    """The URL of a named or unnamed pattern (from `names`, by default the page matrix's),
    its parameters filled from `objects`."""
    if "<unnamed: " not in name:
        params = (names if names is not None else registered_url_names())[name]
        return reverse(name, kwargs={param: objects[param] for param in params})
    route = name.split("<unnamed: ", 1)[1][:-1]
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(objects[match.group(1)]), route)


def missing_rows(names, expected) -> tuple[set[str], set[str]]:
    """(URLs with no row, rows with no URL)."""
    return set(names) - set(expected), set(expected) - set(names)


def upload_txt(actor, case, title="Fictional statement") -> Document:
    return services.document_upload(
        actor=actor, case=case, title=title, file_name="statement.txt", data=b"A fictional statement.\n"
    )


def client_as(world, role: str) -> Client:
    return Client() if role == "anonymous" else signed_in_client(world.users[role])


def get_status(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    if response.streaming:
        # Read the download to the end: the test client then closes the file for us.
        # (Calling response.close() ourselves would fire request_finished, which closes
        # the database connection in the middle of the test's transaction on PostgreSQL.)
        b"".join(response.streaming_content)
    return response.status_code, response.get("Location", "")


def panel_objects(world) -> dict:
    """A meeting with world.case on its agenda, a draft letter and a consent request."""
    from django.utils import timezone

    from lotus.letters import services as letter_services
    from lotus.letters.models import LetterTemplate
    from lotus.panels import services as panel_services
    from lotus.portal import services as portal_services

    manager = world.users["case_manager"]
    meeting = panel_services.meeting_schedule(
        actor=manager, held_on=timezone.localdate(), chair_id=world.users["panel_member"].pk,
        member_ids=[world.users["panel_member"].pk], location="Room 1",
    )
    # world.case has no triage review (the triage rows above depend on that), so the triage
    # gate would keep it off the agenda; the gate itself is tested in
    # tests/triage/test_issue19_order_and_answers.py. Here only access is under test.
    with mock.patch("lotus.cases.hooks.panel_refusal", return_value=""):
        item = panel_services.item_add(actor=manager, meeting=meeting, case=world.case)
    letter_services.templates_ensure(world.organisation.pk)
    template = LetterTemplate.objects.get(organisation=world.organisation, key="concern_notification")
    letter = letter_services.letter_draft(actor=manager, case=world.case, template=template)
    consent = portal_services.consent_request_open(case=world.case, actor=manager)
    return {"meeting_id": meeting.pk, "item_id": item.pk, "letter_id": letter.pk, "template_id": template.pk,
            "consent_id": consent.pk}


def assert_sign_in_redirect(location: str, url: str) -> None:
    assert location.startswith(reverse("accounts:sign_in") + "?next="), (url, location)


@pytest.fixture
def objects(world):
    """URL kwargs for world.case, plus a document and a task on it. The document is one the
    practitioner sent with their reflections, so the portal's and the panel's download pages
    have something to give; to the case team it is a case document like any other."""
    reflection = portal_services.reflection_add(
        actor=world.users["practitioner"], case=world.case, text="",
        files=[("statement.txt", b"A fictional statement.\n")],
    )
    document = reflection.documents.get()
    task = TaskFactory(case=world.case)
    token = api_token_create(actor=None, user=world.users["case_manager"], name="Matrix", expires_days=5).token
    support = support_objects(world)
    leader = world.users["case_manager"]
    entry = toolkit_services.entry_save(
        actor=leader, exercise="1.3.i", responses={"strongest": "Fictional reflection"},
        actions=[toolkit_services.ActionRow(what="A fictional action")],
    )
    session = toolkit_services.team_session_start(actor=leader, instrument="team-four-elements", title="Matrix team")
    panel = panel_objects(world)
    learning = learning_objects(world)
    reports = report_objects(world)
    return {
        **support,
        **panel,
        **learning,
        **reports,
        "case_id": world.case.pk,
        "document_id": document.pk,
        "task_id": task.pk,
        "practitioner_id": world.practitioner.pk,
        "token_id": token.pk,
        "user_id": world.users["panel_member"].pk,
        "passkey_id": WebAuthnCredential.objects.create(
            user=world.users["case_manager"], credential_id=b"matrix-passkey", public_key=b"not-a-real-key",
            sign_count=0, aaguid="00000000-0000-0000-0000-000000000000", confirmed=True,
        ).pk,
        "action": "disable",
        "fmt": "pdf",
        "step": "learn",
        "instrument": "four-elements",
        "exercise": "1-3-i",
        "attempt_id": complete_attempt(leader).pk,
        "entry_id": entry.pk,
        "action_id": entry.actions.get().pk,
        "routine_id": toolkit_services.routines_choose(
            actor=leader, practices=["connect"], today=timezone.localdate()
        )[0].pk,
        "session_id": session.pk,
        "join_code": session.join_code,
        "table": "concerns-by-source",
        **equity_objects(world),
    }


def equity_objects(world) -> dict:
    """Workforce figures for world's organisation last year, and one equity table (issue 13)."""
    from tests.insights.equity_helpers import ethnicity_workforce, workforce

    year = timezone.localdate().year - 1
    workforce(world.organisation, year, ethnicity_workforce(), user=world.users["administrator"])
    return {"year": year, "quarter": 0, "equity_table": "summary-ethnicity"}


def learning_objects(world) -> dict:
    """A lessons-learnt review of world.case in the state the matrix's comment describes."""
    from tests.learning.action_fixtures import matrix_objects
    from tests.learning.helpers import amended_review

    review = amended_review(world)
    return {**review, **matrix_objects(world, review["review_id"])}


def report_objects(world) -> dict:
    """Organisation A's issued report for last year, sent to a test ICB it has joined, with a
    question from the ICB (docs/adr/0023; the state the matrix's comment describes)."""
    from lotus.accounts.models import IcbMembership
    from lotus.insights.reports import services as report_services
    from tests.insights.report_fixtures import issued_report, make_icb

    icb = make_icb(world)
    report = issued_report(world)
    question = report_services.question_ask(actor=icb.users["icb_analyst"], report=report,
                                            question="What changed for locums?")
    return {"report_id": report.pk, "question_id": question.pk,
            "membership_id": IcbMembership.objects.get(member=world.organisation).pk}


def support_objects(world) -> dict:
    """A support plan on world.case with a heightened-support prompt and an adjustment, the
    organisation's signposting directory, and a performance plan (issue 6)."""
    manager = world.users["case_manager"]
    plan = support_services.plan_open(actor=manager, case=world.case)
    (prompt,) = support_services.circumstances_record(
        actor=manager, plan=plan, suspended_or_excluded=True, referred_to_regulator=False, health_concern=False
    )
    adjustment = support_services.adjustment_add(
        actor=manager, plan=plan, kind="breaks", description="", status="agreed",
        review_on=timezone.localdate() + dt.timedelta(days=7),
    )
    support_services.signposts_seed(world.organisation)
    performance_plan = improvement_services.plan_start(actor=manager, case=world.case, problem="A fictional problem")
    return {
        "matter": "signposted",
        "prompt_id": prompt.pk,
        "adjustment_id": adjustment.pk,
        "resource_id": SignpostResource.objects.filter(organisation=world.organisation).first().pk,
        "plan_id": performance_plan.pk,
    }


def test_every_registered_url_has_a_row_and_every_row_a_url():
    no_row, no_url = missing_rows(registered_url_names(), EXPECTED)
    assert no_row == set(), "URLs with no row in the access matrix"
    assert no_url == set(), "rows for URLs that no longer exist"
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(world, objects, role):
    client = client_as(world, role)
    column = ROLES.index(role)
    expected, actual = {}, {}
    for name in sorted(registered_url_names()):
        row = EXPECTED.get(name)
        expected[name] = row[column] if row else "no row in EXPECTED"
        url = url_for(name, objects)
        status, location = get_status(client, url)
        actual[name] = status
        if status == 302 and role == "anonymous":
            assert_sign_in_redirect(location, url)
    mismatches = {name: (expected[name], actual[name]) for name in expected if expected[name] != actual[name]}
    assert not mismatches, f"{role}, url name -> (expected, actual): {mismatches}"


# Which roles may change the status of world.case, from each status, written out from
# the TRANSITIONS table. Roles not listed get 404.
CHANGE_STATUS_BY_STATUS = {
    "received": {"administrator", "case_manager"},
    "triage": {"administrator", "case_manager", "professional_advisor"},
    # The workflow lets a panel member move a case awaiting the panel, but they never reach
    # the case page (docs/adr/0016): the panel moves it by recording a decision on its item.
    "awaiting_panel": {"administrator", "case_manager"},
    "investigation": {"administrator", "case_manager"},
    "remediation": {"administrator", "case_manager"},
    "closed": set(),
    "withdrawn": set(),
}
TEAM_AND_ADMIN = ("administrator", "case_manager", "professional_advisor", "panel_member", "pastoral_contact")


@pytest.mark.django_db
@pytest.mark.parametrize("status", sorted(CHANGE_STATUS_BY_STATUS))
def test_change_status_page_per_status_and_role(world, status):
    Case.objects.filter(pk=world.case.pk).update(status=status)
    url = reverse("cases:change_status", kwargs={"case_id": world.case.pk})
    results = {role: get_status(client_as(world, role), url)[0] for role in TEAM_AND_ADMIN}
    expected = {role: 200 if role in CHANGE_STATUS_BY_STATUS[status] else 404 for role in TEAM_AND_ADMIN}
    assert results == expected


@pytest.fixture
def other_objects(world, objects):
    """A document and a task on the other-team case and on the other-organisation case."""
    return {
        "other_team_case": {
            "case_id": world.other_team_case.pk,
            "document_id": upload_txt(world.users["off_team_case_manager"], world.other_team_case).pk,
            "task_id": TaskFactory(case=world.other_team_case).pk,
        },
        "other_org_case": {
            "case_id": world.other_org_case.pk,
            "document_id": upload_txt(world.users["other_org_administrator"], world.other_org_case).pk,
            "task_id": TaskFactory(case=world.other_org_case).pk,
        },
        "case": objects,
    }


# (role, which case, url name, expected). The 200 rows are controls: they show the
# record exists and is reachable by the right person, so the 404s are not vacuous.
OTHER_CASE_ROWS = [
    ("case_manager", "other_team_case", "cases:show_case", 404),
    ("case_manager", "other_team_case", "cases:edit_summary", 404),
    ("case_manager", "other_team_case", "cases:download_document", 404),
    ("case_manager", "other_team_case", "cases:add_task", 404),
    ("professional_advisor", "other_team_case", "cases:show_case", 404),
    ("professional_advisor", "other_team_case", "cases:download_document", 404),
    ("panel_member", "other_team_case", "cases:show_case", 404),
    ("pastoral_contact", "other_team_case", "cases:show_case", 404),
    ("practitioner", "other_team_case", "cases:show_case", 404),
    ("analyst", "other_team_case", "cases:show_case", 404),
    ("off_team_case_manager", "other_team_case", "cases:show_case", 200),
    ("off_team_case_manager", "other_team_case", "cases:download_document", 200),
    ("administrator", "other_team_case", "cases:show_case", 200),
    ("administrator", "other_org_case", "cases:show_case", 404),
    ("administrator", "other_org_case", "cases:edit_summary", 404),
    ("administrator", "other_org_case", "cases:change_status", 404),
    ("administrator", "other_org_case", "cases:download_document", 404),
    ("administrator", "other_org_case", "cases:withdraw_document", 404),
    ("administrator", "other_org_case", "cases:add_team_member", 404),
    ("case_manager", "other_org_case", "cases:show_case", 404),
    ("off_team_case_manager", "other_org_case", "cases:show_case", 404),
    ("other_org_administrator", "other_org_case", "cases:show_case", 200),
    ("other_org_administrator", "other_org_case", "cases:download_document", 200),
    ("other_org_administrator", "case", "cases:show_case", 404),
    ("other_org_administrator", "case", "cases:download_document", 404),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "which", "name", "expected"), OTHER_CASE_ROWS)
def test_other_team_and_other_organisation_cases(world, other_objects, role, which, name, expected):
    params = registered_url_names()[name]
    url = reverse(name, kwargs={param: other_objects[which][param] for param in params})
    assert get_status(client_as(world, role), url)[0] == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "case_from", "object_from", "name"),
    [
        # A document or task of one case asked for under the URL of a case the user
        # can reach is still out of reach.
        ("off_team_case_manager", "other_team_case", "case", "cases:download_document"),
        ("off_team_case_manager", "other_team_case", "case", "cases:withdraw_document"),
        ("case_manager", "case", "other_team_case", "cases:download_document"),
        ("administrator", "case", "other_org_case", "cases:download_document"),
        ("administrator", "case", "other_org_case", "cases:withdraw_document"),
    ],
)
def test_a_record_under_another_cases_url_is_404(world, other_objects, role, case_from, object_from, name):
    kwargs = {"case_id": other_objects[case_from]["case_id"], "document_id": other_objects[object_from]["document_id"]}
    assert get_status(client_as(world, role), reverse(name, kwargs=kwargs))[0] == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("administrator", 404),
        ("case_manager", 404),
        ("off_team_case_manager", 404),
        ("other_org_administrator", 200),
    ],
)
def test_practitioner_of_another_organisation(world, role, expected):
    url = reverse("practitioners:show_practitioner", kwargs={"practitioner_id": world.other_org_case.practitioner_id})
    assert get_status(client_as(world, role), url)[0] == expected


# Marking a task done is POST-only, so the GET matrix only sees 405; this is its POST row.
# fmt: off
COMPLETE_TASK_POST = dict(zip(ROLES, (302, 302, 302, 404, 404, 404, 404, 404, 404, 404), strict=True))
# fmt: on


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_complete_task_by_post(world, objects, role):
    url = reverse("cases:complete_task", kwargs={"case_id": objects["case_id"], "task_id": objects["task_id"]})
    response = client_as(world, role).post(url)
    assert response.status_code == COMPLETE_TASK_POST[role]
    done = Task.objects.get(pk=objects["task_id"]).done_at is not None
    if role == "anonymous":
        assert_sign_in_redirect(response["Location"], url)
        assert not done
    elif response.status_code == 302:
        assert response["Location"] == reverse("cases:show_case", kwargs={"case_id": objects["case_id"]})
        assert done
    else:
        assert not done


# A task can also be marked done by its owner, if they can see the case.
COMPLETE_OWN_TASK_POST = {
    "professional_advisor": {"professional_advisor": 302, "panel_member": 404, "pastoral_contact": 404},
    # A pastoral contact cannot see the case (docs/adr/0016), so not even their own task on it.
    "pastoral_contact": {"professional_advisor": 404, "panel_member": 404, "pastoral_contact": 404},
    "off_team_case_manager": {"off_team_case_manager": 404, "case_manager": 302},
}


@pytest.mark.django_db
@pytest.mark.parametrize("owner", sorted(COMPLETE_OWN_TASK_POST))
def test_complete_task_by_post_as_its_owner(world, owner):
    for role, expected in COMPLETE_OWN_TASK_POST[owner].items():
        task = TaskFactory(case=world.case, owner=world.users[owner])
        url = reverse("cases:complete_task", kwargs={"case_id": world.case.pk, "task_id": task.pk})
        response = client_as(world, role).post(url)
        assert (role, response.status_code) == (role, expected)
        assert (Task.objects.get(pk=task.pk).done_at is not None) == (expected == 302)


@pytest.mark.django_db
def test_pastoral_contact_on_a_team_never_sees_a_document_title_or_the_summary(world, client_for):
    """Before docs/adr/0016 a pastoral contact on the team saw the case without its
    evidence; now the stale team row gives them nothing at all."""
    upload_txt(world.users["case_manager"], world.case, title="Fictional witness statement")
    response = client_for("pastoral_contact").get(reverse("cases:show_case", args=[world.case.pk]))
    assert response.status_code == 404
    assert b"Fictional witness statement" not in response.content
    assert world.case.summary.encode() not in response.content
    # The team does see them, so the absence above is not an accident of the page.
    html = client_for("professional_advisor").get(reverse("cases:show_case", args=[world.case.pk])).content.decode()
    assert "Fictional witness statement" in html
    assert world.case.summary in html


@pytest.mark.django_db
def test_pastoral_contact_never_sees_the_reason_for_a_panel_decision(world, client_for):
    Case.objects.filter(pk=world.case.pk).update(status="awaiting_panel")
    services.case_transition(
        actor=world.users["administrator"],
        case=Case.objects.get(pk=world.case.pk),
        target="investigation",
        reason="Fictional panel reasoning: the pattern of late referrals needs investigating",
    )
    url = reverse("cases:show_case", args=[world.case.pk])
    response = client_for("pastoral_contact").get(url)
    assert response.status_code == 404
    assert "Fictional panel reasoning" not in response.content.decode()
    assert "Fictional panel reasoning" in client_for("case_manager").get(url).content.decode()


# Closed and withdrawn cases are read-only: the pages that change them send the case
# manager back to the case page; there is no status to move to, so that page is 404.
CLOSED_CASE_PAGES = {
    "cases:edit_summary": 302,
    "cases:upload_document": 302,
    "cases:add_task": 302,
    "cases:add_team_member": 302,
    "cases:change_status": 404,
    "cases:show_case": 200,
    "cases:download_document": 200,
}


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["closed", "withdrawn"])
@pytest.mark.parametrize("role", ["administrator", "case_manager"])
def test_final_case_pages_for_its_managers(world, objects, status, role):
    Case.objects.filter(pk=world.case.pk).update(status=status)
    client = client_as(world, role)
    results, locations = {}, {}
    for name in CLOSED_CASE_PAGES:
        params = registered_url_names()[name]
        results[name], locations[name] = get_status(client, reverse(name, kwargs={p: objects[p] for p in params}))
    assert results == CLOSED_CASE_PAGES
    case_page = reverse("cases:show_case", kwargs={"case_id": world.case.pk})
    assert {locations[name] for name, code in results.items() if code == 302} == {case_page}


# --- Stale team rows (issue 19, point 1; docs/adr/0016) --------------------------------
# world.case has raw team rows for a pastoral-only and a panel-only user. Each page of
# the case answers them 404; the case manager's 200 shows the pages exist.
STALE_TEAM_PAGES = ("cases:show_case", "cases:upload_document", "support:show_plan", "improvement:list_plans")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["pastoral_contact", "panel_member", "case_manager"])
def test_a_stale_team_row_opens_no_page_of_the_case(world, objects, role):
    assert world.case.team.filter(user=world.users[role]).exists()
    client = client_as(world, role)
    results = {name: get_status(client, reverse(name, kwargs={"case_id": world.case.pk}))[0] for name in STALE_TEAM_PAGES}
    expected = 200 if role == "case_manager" else 404
    assert results == dict.fromkeys(STALE_TEAM_PAGES, expected)


# Every table of the themes and trends page has its own CSV under insights:themes_csv: the
# row above is for one of them; this walks them all, learning section included (ADR 0025).
THEMES_TABLES = (
    "concerns-by-source", "concerns-by-profession", "concerns-by-category", "days-at-each-stage", "panel-outcomes",
    "reviews-approved", "reviews-by-profession", "factor-categories", "factor-categories-share", "factors",
    "factors-share", "recurring-factors", "actions",
)


def test_the_themes_tables_listed_are_every_table_the_page_has(world):
    from lotus.insights import selectors
    from lotus.insights.periods import default_period

    today = timezone.localdate()
    found = selectors.figures(world.organisation.pk, period=default_period(today), today=today)
    assert tuple(block.slug for section in found for block in section.blocks) == THEMES_TABLES


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_themes_table_download(world, role):
    client = client_as(world, role)
    expected = EXPECTED["insights:themes_csv"][ROLES.index(role)]
    for by in ("quarter", "year"):
        for table in THEMES_TABLES:
            url = reverse("insights:themes_csv", kwargs={"table": table}) + f"?by={by}"
            status, location = get_status(client, url)
            assert status == expected, (table, by, status)
            if status == 302:
                assert_sign_in_redirect(location, url)
