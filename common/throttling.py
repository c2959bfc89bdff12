"""API rate limits (REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]); kept apart from common.api, which DRF's
views import: the settings load this module while DRF is still loading."""

from rest_framework.throttling import UserRateThrottle


class AuthenticatedRateThrottle(UserRateThrottle):
    """The per-user limit, for logged-in callers only: anonymous ones have their own, lower,
    per-client limit (AnonRateThrottle), so counting them twice would only cost a cache round trip."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
