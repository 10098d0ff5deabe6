"""`Authorization: Bearer <token>`: the only way into /api/v1/.

The API does not accept the session cookie, so a page's signed-in session (and its
second factor) is never a way round the token, and no request needs a CSRF token.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from lotus.api.services import TokenRefused, api_token_authenticate

REFUSED = "The API token is missing, unknown, revoked or expired. Create a new token on your account page"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request)
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != b"bearer":
            raise exceptions.AuthenticationFailed(REFUSED)
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(REFUSED) from error
        try:
            token = api_token_authenticate(raw, request=request)
        except TokenRefused as refusal:
            raise exceptions.AuthenticationFailed(REFUSED) from refusal
        return token.user, token

    def authenticate_header(self, request):
        # Sent with every 401, so clients know which scheme to use (and DRF answers 401, not 403).
        return 'Bearer realm="lotus"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "lotus.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from the account page, or from `lotus token create`.",
        }
