from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lotus.core"
    label = "core"

    def ready(self):
        from lotus.core.security import install_log_record_redaction

        install_log_record_redaction()
