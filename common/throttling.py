"""Rate limits, counted in the shared cache (Redis in production) on every call.

django-ratelimit counts in fixed windows with one atomic `add`, then `incr`, per call, so however
many processes serve a client, together they let at most the limit through in a window (a client
may still make up to twice the rate across the boundary of two windows). The API's throttles
(REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]) and the status check's limits share `count`. This
module is kept apart from common.api, which DRF's views import: the settings load it while DRF is
still loading.

A limit that cannot be counted, because the cache is down, lets the call through and logs a
warning: these limits slow down scraping and guessing, which is not worth an outage of the portal
(RATELIMIT_FAIL_OPEN). Passwords and codes have their own lockouts in the database (django-axes,
django-otp).
"""

import logging

from django_ratelimit.core import get_usage
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


def count(request, *, group: str, key, rate) -> dict | None:
    """Count this call; django-ratelimit's usage (`should_limit`, `time_left`…), or None when the
    cache could not count it. `key` and `rate` as django-ratelimit takes them ("ip" or a callable
    of (group, request); "20/10m" or (calls, seconds))."""
    try:
        usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    except Exception as error:  # a cache backend that raises instead of missing (Django's own RedisCache)
        usage, reason = None, f"{type(error).__name__}: {error}"
    else:
        reason = "the cache did not answer"  # django-redis with IGNORE_EXCEPTIONS
    if usage is None:
        logger.warning("Rate limit %s not counted (%s): the call goes through", group, reason)
    return usage


class CountedThrottle:
    """DRF's rates, scopes and client identification, counted by `count`."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        usage = count(request, group="api", key=lambda _group, _request: key, rate=(self.num_requests, self.duration))
        if usage is None:
            return True
        self.seconds_left = max(usage["time_left"], 1)
        return not usage["should_limit"]

    def wait(self):
        return self.seconds_left


class ClientRateThrottle(CountedThrottle, AnonRateThrottle):
    """The per-client limit of anonymous callers (the `anon` rate)."""


class AuthenticatedRateThrottle(CountedThrottle, UserRateThrottle):
    """The per-user limit, for logged-in callers only: anonymous ones have their own, lower,
    per-client limit (ClientRateThrottle), so counting them twice would only cost a cache round trip."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
