"""Session rules: idle sessions end (staff 15 min, others 30); staff need their second factor."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.constants import Role

SEEN = "last_seen"
TOUCH_EVERY = 60  # seconds: the session is written at most once a minute, not on every page


def idle_limit(user) -> int:
    if user.role in (Role.STAFF, Role.ADMIN):
        return settings.STAFF_IDLE_TIMEOUT_SECONDS
    return settings.ENROLLEE_IDLE_TIMEOUT_SECONDS


@receiver(user_logged_in)
def _start_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now, seen = int(time.time()), request.session.get(SEEN)
            if seen is not None and now - seen > idle_limit(user):
                minutes = idle_limit(user) // 60
                logout(request)
                messages.info(
                    request,
                    _("You were logged out after %(minutes)s minutes without activity. Please log in again.")
                    % {"minutes": minutes},
                )
            elif seen is None or now - seen >= TOUCH_EVERY:
                request.session[SEEN] = now
        return self.get_response(request)


# What a staff member who has given a password but no code yet may still open.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:second_factor",
    "accounts:logout",
    "accounts:elder_mode",
    "set_language",
    "healthz",
}


class SecondFactorMiddleware:
    """Staff and admins open no page, admin or API call on their session before the second step.

    Placed after django-otp's OTPMiddleware, which tells whether this session's user has entered a
    code (`user.is_verified()`). API calls with a token are checked when the token is issued.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not selectors.needs_second_factor(user) or user.is_verified():
            return None
        if request.resolver_match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        if request.path_info.startswith("/api/"):
            message = _("Staff accounts enter the code from their authenticator app before using the API.")
            return JsonResponse({"detail": message, "errors": {}}, status=403)
        return redirect_to_login(request.get_full_path(), login_url=reverse("accounts:second_factor"))
