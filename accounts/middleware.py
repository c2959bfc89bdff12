"""Log out a session left idle: window staff after 15 minutes, everyone else after 30."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

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
