"""What happens to an account when its holder logs in."""

from django.contrib.auth.signals import user_logged_in

from accounts import services
from accounts.constants import ELDER_COOKIE


def _remember_elder_mode(sender, request, user, **kwargs):
    """Someone switched the elderly-friendly mode on before logging in (often with a helper, on
    their own phone): their account keeps it from now on."""
    if request is not None and request.COOKIES.get(ELDER_COOKIE) == "1" and not user.elder_mode:
        services.user_elder_mode_set(user=user, on=True)


def connect():
    user_logged_in.connect(_remember_elder_mode, dispatch_uid="accounts-elder-mode")
