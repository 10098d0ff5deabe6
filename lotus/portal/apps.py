from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "lotus.portal"
    label = "portal"

    def ready(self) -> None:
        from lotus.cases import hooks
        from lotus.panels import hooks as panel_hooks
        from lotus.portal import integration

        hooks.case_page_panels.append(integration.voice_panel)
        panel_hooks.decision_recorded.append(integration.ask_consent_after_decision)
        panel_hooks.item_reflections.append(integration.reflections_for_panel)
