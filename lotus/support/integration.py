"""The support app's hooks into the case services and the case page (lotus.cases.hooks)."""

from lotus.cases.workflow import Status


def open_plan_when_triage_starts(*, actor, case, previous, target, request=None) -> None:
    """A case that enters triage gets its support plan at once."""
    if target == Status.TRIAGE:
        from lotus.support.services import plan_open

        plan_open(actor=actor, case=case, request=request)


def refuse_pastoral_contact_on_team(*, case, member) -> str | None:
    """The named pastoral contact stays outside the investigation, so cannot join its team."""
    from lotus.support.models import SupportPlan

    if SupportPlan.objects.filter(case=case, pastoral_contact=member).exists():
        return (
            f"{member.full_name} is the practitioner's pastoral contact, so cannot join the case team. "
            "The pastoral contact must have no part in the investigation"
        )
    return None


def support_panel(*, user, case) -> dict | None:
    """The support plan's progress, for the case page."""
    if not user.has_perm("support.view_plan", case):
        return None
    from lotus.support.presenters import SupportPanelPresenter
    from lotus.support.selectors import plan_summary

    return {"template": "support/_case_panel.jinja", "support": SupportPanelPresenter(plan_summary(case))}


def prompt_on_health_concern(*, actor, case, request=None) -> None:
    """A triage review that finds a health concern raises the heightened-support prompt,
    as recording it on the support plan would."""
    from lotus.support.services import health_concern_noted

    health_concern_noted(actor=actor, case=case, request=request)


def referral_follows_consent(*, actor, consent, request=None) -> None:
    """An occupational health referral asked through the portal takes the practitioner's answer."""
    from lotus.support.services import referral_consent_follow

    referral_consent_follow(actor=actor, consent_request=consent, request=request)
