from django.apps import AppConfig


class ToolkitConfig(AppConfig):
    name = "lotus.toolkit"
    label = "toolkit"
    verbose_name = "Leadership toolkit"
