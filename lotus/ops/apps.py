from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "lotus.ops"
    label = "ops"
    verbose_name = "Operations: backup, restore, background tasks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lotus.ops import checks  # noqa: F401 - registers the start-up checks
