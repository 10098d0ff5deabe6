from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "lotus.accounts"
    label = "accounts"

    def ready(self):
        # `checks` registers the deploy check that refuses a database holding demo data;
        # `sessions` connects the receivers that record each signed-in session;
        # `rules_panels` and `rules_reports` add the panels', letters', portal's, annual reports'
        # and ICB's permissions to the policy.
        from lotus.accounts import checks, rules_panels, rules_reports, sessions  # noqa: F401
