from django.apps import AppConfig


class NonprodConfig(AppConfig):
    name = "lotus.nonprod"
    label = "nonprod"
