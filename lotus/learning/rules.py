"""Who may do what with lessons-learnt reviews, in the style of lotus/accounts/rules.py
(the one access policy; these rules build on its predicates and are loaded by
rules.apps.AutodiscoverRulesConfig). docs/adr/0019-learning-reviews-and-actions.md.

A review belongs to its case: it is read by those who may see the case's evidence (the
case team, minus anyone with a declared conflict, and the organisation's
administrators). Its review team are on the case team, so the same rule lets them in.
The team writes the review once each member has declared no conflict; a second person,
who neither submitted it nor sits on its team, approves it. Analysts and practitioners
never read a review (the practitioner answers the invitation to give their perspective
through the portal, and sees only that).
"""

import rules

from lotus.accounts.rules import (
    administers_case,
    can_change_case,
    can_view_case,
    is_administrator,
    is_analyst,
    is_case_manager,
    is_case_staff,
    is_subject_of_case,
    may_see_evidence,
)

can_view_reviews = can_view_case & may_see_evidence


def _current_member(user, review):
    """The user's current place on the review team, asked of the database once."""
    cache = review.__dict__.setdefault("_lotus_review_team_cache", {})
    if user.pk not in cache:
        cache[user.pk] = review.team.filter(user_id=user.pk, left_at__isnull=True).first()
    return cache[user.pk]


@rules.predicate
def may_view_review_case(user, review) -> bool:
    return review is not None and can_view_reviews(user, review.case)


@rules.predicate
def may_change_review_case(user, review) -> bool:
    return review is not None and can_change_case(user, review.case)


@rules.predicate
def on_review_team(user, review) -> bool:
    return review is not None and getattr(user, "pk", None) is not None and _current_member(user, review) is not None


@rules.predicate
def declared_no_conflict(user, review) -> bool:
    member = review is not None and getattr(user, "pk", None) is not None and _current_member(user, review)
    return bool(member) and member.has_conflict is False


@rules.predicate
def yet_to_declare(user, review) -> bool:
    member = review is not None and getattr(user, "pk", None) is not None and _current_member(user, review)
    return bool(member) and member.has_conflict is None


@rules.predicate
def submitted_review(user, review) -> bool:
    return review is not None and review.submitted_by_id == user.pk


@rules.predicate
def is_review_subject(user, review) -> bool:
    return review is not None and is_subject_of_case(user, review.case)


# On the case (the case page's panel, starting a review, the case's reviews).
rules.add_perm("learning.view_reviews", can_view_reviews)
rules.add_perm("learning.start_review", can_view_reviews & can_change_case)

# On a review.
rules.add_perm("learning.view_review", may_view_review_case)
rules.add_perm("learning.manage_review_team", may_view_review_case & may_change_review_case)
rules.add_perm("learning.declare_conflict", may_view_review_case & yet_to_declare)
rules.add_perm("learning.edit_review", may_view_review_case & declared_no_conflict)
rules.add_perm("learning.submit_review", may_view_review_case & declared_no_conflict)
rules.add_perm(
    "learning.approve_review",
    may_view_review_case & may_change_review_case & ~submitted_review & ~on_review_team,
)
rules.add_perm("learning.amend_review", may_view_review_case & (may_change_review_case | declared_no_conflict))
rules.add_perm("learning.invite_perspective", may_view_review_case & may_change_review_case)
rules.add_perm("learning.give_perspective", is_review_subject)

# The vocabulary and the organisation's settings.
rules.add_perm("learning.view_factors", is_case_staff)
rules.add_perm("learning.manage_factors", is_administrator)
rules.add_perm("learning.change_settings", is_administrator)
rules.add_perm("learning.view_due_reviews", is_administrator | is_case_manager)


# --- Improvement actions, learning summaries and the library (docs/adr/0019, "Actions,
# sharing and the library") ---
# An action belongs to its review: those who may read the review read its actions, and
# its accountable owner (a member of staff who may see evidence) reads and updates their
# own action without seeing the rest of the review. The review team adds and edits
# actions; the case's managers and the owner move them on; one of the case's managers
# who neither owns the action nor completed it assures it (the service names the field
# when the wrong person tries). A summary is written by the review team or the case's
# managers and approved for sharing by another of them; the library is read by every
# member of staff of the organisation, analysts included, and holds approved summaries only.


@rules.predicate
def may_view_action_review(user, action) -> bool:
    return action is not None and may_view_review_case(user, action.review)


@rules.predicate
def owns_action(user, action) -> bool:
    return (
        action is not None
        and getattr(user, "pk", None) is not None
        and action.owner_user_id == user.pk
        and user.organisation_id == action.organisation_id
        and may_see_evidence(user)
    )


@rules.predicate
def may_change_action_case(user, action) -> bool:
    return action is not None and can_change_case(user, action.review.case)


@rules.predicate
def cleared_on_action_review(user, action) -> bool:
    return action is not None and declared_no_conflict(user, action.review)


@rules.predicate
def yet_to_declare_on_action_review(user, action) -> bool:
    return action is not None and yet_to_declare(user, action.review)


# Someone on the review team who has not declared yet takes no part, whatever their role,
# until they declare; then a declared conflict takes them off the case altogether.
may_write_on_review = may_view_review_case & (declared_no_conflict | (may_change_review_case & ~yet_to_declare))
may_manage_action = may_change_action_case & ~yet_to_declare_on_action_review

rules.add_perm("learning.add_action", may_write_on_review)
rules.add_perm("learning.view_action", may_view_action_review | owns_action)
rules.add_perm("learning.edit_action", may_view_action_review & (cleared_on_action_review | may_manage_action))
rules.add_perm("learning.update_action", owns_action | may_manage_action)
rules.add_perm("learning.assure_action", may_manage_action)
rules.add_perm("learning.view_actions_page", is_case_staff & may_see_evidence)
rules.add_perm("learning.see_all_actions", is_administrator | is_case_manager)
rules.add_perm("learning.write_summary", may_write_on_review)
rules.add_perm("learning.approve_summary", may_view_review_case & may_change_review_case & ~yet_to_declare)
rules.add_perm("learning.withdraw_summary", may_view_review_case & may_change_review_case & ~yet_to_declare)
rules.add_perm("learning.view_library", is_case_staff | is_analyst)

__all__ = ["administers_case"]
