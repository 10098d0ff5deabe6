from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "lotus.support"
    label = "support"

    def ready(self) -> None:
        from lotus.cases import hooks
        from lotus.support import integration

        hooks.after_transition.append(integration.open_plan_when_triage_starts)
        hooks.team_add_checks.append(integration.refuse_pastoral_contact_on_team)
        hooks.case_page_panels.append(integration.support_panel)
        hooks.health_concern_found.append(integration.prompt_on_health_concern)
        hooks.consent_answered.append(integration.referral_follows_consent)
