from django.contrib.auth.backends import ModelBackend

from accounts import selectors
from common import versions


class NationalIdOrPhoneBackend(ModelBackend):
    """Log in with the identity number or the mobile number (or, for staff, the username)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = selectors.user_for_login(username)
        if user is None:
            # Hash anyway so that unknown accounts take as long as wrong passwords.
            self.user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    @staticmethod
    def user_model():
        from accounts.models import User

        return User

    def get_user(self, user_id):
        """The session's user, kept in this process until the row changes (accounts.signals): most
        pages then need no query for who is asking. A changed password, role or `is_active`
        replaces the token, so the next request reads the row again."""
        load = super().get_user
        return versions.kept(
            ("auth-user", str(user_id), versions.current(selectors.person_version(user_id))), lambda: load(user_id)
        )
