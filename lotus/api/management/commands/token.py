"""`lotus token create EMAIL --name NAME [--expires-days N]` and `lotus token revoke PREFIX_OR_ID`.

The new token is printed once, on its own line, so a script can capture it; it is
never stored or printed again.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from lotus.accounts.models import User
from lotus.api import selectors, services


class Command(BaseCommand):
    help = "Create or revoke personal API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token for the user with this email address")
        create.add_argument("email")
        create.add_argument("--name", required=True, help="What the token is for")
        create.add_argument("--expires-days", type=int, default=90, help="Days until it expires (default 90)")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix (from the account page) or id")
        revoke.add_argument("token")

    def handle(self, *args, action, **options):
        if action == "create":
            self._create(options["email"], options["name"], options["expires_days"])
        else:
            self._revoke(options["token"])

    def _create(self, email: str, name: str, expires_days: int) -> None:
        user = User.objects.filter(email=email.strip().lower()).first()
        if user is None:
            raise CommandError(f"No user has the email address {email}")
        try:
            new = services.api_token_create(actor=None, user=user, name=name, expires_days=expires_days)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(
            f"Token {new.token.prefix}… for {user.email} created; it expires on "
            f"{new.token.expires_at:%d %B %Y}. It is shown once, below: store it now."
        )
        self.stdout.write(new.raw)

    def _revoke(self, text: str) -> None:
        matches = selectors.tokens_matching(text)
        if not matches:
            raise CommandError(f"No token has the id or prefix {text}")
        if len(matches) > 1:
            raise CommandError(f"{len(matches)} tokens match {text}: give more of the prefix, or the id")
        token = services.api_token_revoke(actor=None, token=matches[0])
        self.stdout.write(f"Token {token.prefix}… ({token.name}) of {token.user.email} is revoked.")
