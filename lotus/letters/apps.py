from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "lotus.letters"
    label = "letters"
