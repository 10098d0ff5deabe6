from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "lotus.portal"
    label = "portal"

    def ready(self) -> None:
        from lotus.cases import hooks
        from lotus.portal import integration

        hooks.case_page_panels.append(integration.voice_panel)
