from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "lotus.insights"
    label = "insights"
