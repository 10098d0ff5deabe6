from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "lotus.audit"
    label = "audit"
