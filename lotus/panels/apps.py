from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "lotus.panels"
    label = "panels"
