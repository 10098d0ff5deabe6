from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lotus.cases"
    label = "cases"
