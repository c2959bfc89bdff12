from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from accounts import selectors
from common import versions


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token …`, refused once the token is older than its holder may keep one.

    A known token and its user are kept in this process until either changes (accounts.signals: a
    deleted token, a changed or deactivated user), so a repeated call needs no query to say who
    is calling. An unknown token is never kept, and leaves nothing in Redis: it is looked up, and
    refused, every time.
    """

    def authenticate_credentials(self, key):
        load = super().authenticate_credentials
        user, token = versions.kept_once_known(selectors.api_token_version(key), ("api-token",), lambda: load(key))
        if selectors.api_token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("The token has expired: ask for a new one at /api/v1/auth/token/."))
        return user, token

    @classmethod
    def key_of(cls, request) -> str | None:
        """The token a request carries, as authenticate() will read it (None when it carries none)."""
        parts = get_authorization_header(request).split()
        if len(parts) == 2 and parts[0].lower() == cls.keyword.lower().encode():
            try:
                return parts[1].decode()
            except UnicodeError:
                return None
        return None
