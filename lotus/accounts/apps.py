from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lotus.accounts"
    label = "accounts"

    def ready(self):
        # Connects the receivers that record each signed-in session (see sessions.py).
        from lotus.accounts import sessions  # noqa: F401
