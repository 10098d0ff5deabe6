"""Extension points for the case apps that depend on `cases` (support, improvement, …).

Dependencies flow one way (DESIGN.md): `cases` never imports the apps built on it.
Instead those apps register plain functions here from their AppConfig.ready(), and the
case services and pages call them. Each hook runs inside the caller's transaction, so a
hook that fails undoes the whole change.

- after_transition(actor, case, previous, target, request): a case changed status.
- team_add_checks(case, member) -> str | None: a reason to refuse someone joining the
  case team, or None.
- case_page_panels(user, case) -> dict | None: an extra panel for the case page, as
  {"template": "...jinja", **context}, or None when the user should not see one.
- health_concern_found(actor, case, request): another app (triage) found a health
  concern on the case, so the people supporting the practitioner can act on it.
- consent_answered(actor, consent, request): the practitioner gave, declined or withdrew
  consent to share an occupational health report (lotus.portal), so records that rest
  on that consent (the support plan's referral) follow it.
"""

after_transition: list = []
team_add_checks: list = []
case_page_panels: list = []
health_concern_found: list = []
consent_answered: list = []


def run_consent_answered(*, actor, consent, request=None) -> None:
    for hook in consent_answered:
        hook(actor=actor, consent=consent, request=request)


def run_health_concern_found(*, actor, case, request=None) -> None:
    for hook in health_concern_found:
        hook(actor=actor, case=case, request=request)


def run_after_transition(*, actor, case, previous: str, target: str, request=None) -> None:
    for hook in after_transition:
        hook(actor=actor, case=case, previous=previous, target=target, request=request)


def team_add_refusal(*, case, member) -> str | None:
    for check in team_add_checks:
        reason = check(case=case, member=member)
        if reason:
            return reason
    return None


def panels_for(user, case) -> list[dict]:
    panels = []
    for make in case_page_panels:
        panel = make(user=user, case=case)
        if panel:
            panels.append(panel)
    return panels


# --- Added for issue 19 (points 6 and 7) ---------------------------------------------------
# - panel_checks(case) -> str | None: a reason the case may not go to the panel yet (sent
#   to it, or put on an agenda), saying what to do first; None when it may. lotus.triage
#   registers the triage gate (shared, or not sharing recorded; a sampled case's second
#   review done or overridden).
# - blind_labels(user, cases) -> dict[case_id, str]: for cases the user is scoring blind,
#   the code to show in place of the practitioner (case list, case page, timeline, API).
panel_checks: list = []
blind_labels: list = []


def panel_refusal(*, case) -> str | None:
    for check in panel_checks:
        reason = check(case=case)
        if reason:
            return reason
    return None


def blind_codes(*, user, cases) -> dict[int, str]:
    """Codes for the cases (of `cases`) that `user` may see only blind; empty for the rest."""
    codes: dict[int, str] = {}
    for label in blind_labels:
        codes.update(label(user=user, cases=cases))
    return codes
