from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lotus.accounts"
    label = "accounts"

    def ready(self):
        # `checks` registers the deploy check that refuses a database holding demo data;
        # `sessions` connects the receivers that record each signed-in session.
        from lotus.accounts import checks, sessions  # noqa: F401
