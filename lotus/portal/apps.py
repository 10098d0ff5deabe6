from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "lotus.portal"
    label = "portal"
