from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from accounts import selectors


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's `Authorization: Token …`, refused once the token is older than its holder may keep one."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if selectors.api_token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("The token has expired: ask for a new one at /api/v1/auth/token/."))
        return user, token
