from django.contrib.auth.backends import ModelBackend

from accounts import selectors


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
