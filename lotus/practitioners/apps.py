from django.apps import AppConfig


class PractitionersConfig(AppConfig):
    name = "lotus.practitioners"
    label = "practitioners"
