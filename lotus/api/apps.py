from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lotus.api"
    label = "api"
    verbose_name = "REST API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registers the bearer-token scheme with drf-spectacular, so the schema declares it.
        from lotus.api import authentication  # noqa: F401
