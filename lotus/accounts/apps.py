from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lotus.accounts"
    label = "accounts"
