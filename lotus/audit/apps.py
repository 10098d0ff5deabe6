from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lotus.audit"
    label = "audit"

    def ready(self) -> None:
        from lotus.audit import checks  # noqa: F401 - registers the deploy check
