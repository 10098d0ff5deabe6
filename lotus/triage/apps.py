from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "lotus.triage"
    label = "triage"

    def ready(self):
        from lotus.cases import hooks
        from lotus.triage import selectors

        hooks.panel_checks.append(selectors.panel_refusal)
        hooks.blind_labels.append(selectors.blind_labels)
