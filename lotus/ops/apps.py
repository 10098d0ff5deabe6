from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "lotus.ops"
    label = "ops"
    verbose_name = "Operations: backup, restore, background tasks"
    default_auto_field = "django.db.models.BigAutoField"
