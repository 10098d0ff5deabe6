from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "lotus.letters"
    label = "letters"

    def ready(self) -> None:
        from lotus.letters import integration
        from lotus.panels import hooks

        hooks.decision_recorded.append(integration.draft_outcome_letter)
