from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "lotus.triage"
    label = "triage"
