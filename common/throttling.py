"""API rate limits (REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]); kept apart from common.api, which DRF's
views import: the settings load this module while DRF is still loading.

DRF's own throttles keep a list of every call's time in the cache, read and written back whole on
each call: two round trips to Redis per API call. At the December peak that round trip cost the
quote 40% of its throughput on the benchmark machine (bench/README.md). These throttles count
calls in fixed windows of the clock instead (as django-ratelimit does), and each process adds its
counts to the shared ones in Redis in one batch every FLUSH_SECONDS, not once per call.

What that costs in exactness, on purpose:
- a client may make up to twice the rate across the boundary of two windows;
- calls that reach several processes within one flush interval are each judged on the shared
  count from the last flush plus the calls this process has seen since. One process alone counts
  exactly; across P processes a burst can pass at most P times the rate, within one interval,
  before every process sees the total.
Both are what a limit against scraping and guessing needs; passwords and codes have their own,
exact, lockouts (django-axes, django-otp).
"""

import threading
import time
from collections import defaultdict

from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from common.cache import add_to_counters

FLUSH_SECONDS = 0.25
MAX_PENDING = 1_000  # keys; a flood of new clients is flushed sooner


class WindowCounter:
    """This process's view of the shared call counts: the totals at the last flush plus its own
    calls since. Thread-safe (gunicorn's threaded workers, Celery)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: dict[str, list] = defaultdict(lambda: [0, 0, 0.0])  # key: [calls, seconds, window end]
        self._shared: dict[str, tuple[int, float]] = {}  # key: (total at the last flush, window end)
        self._flushed_at = time.monotonic()

    def hit(self, key: str, seconds: int) -> tuple[int, float]:
        """Count one call: (calls in this window so far, seconds until the window ends)."""
        now = time.time()
        window = int(now // seconds)
        key, ends = f"{key}:{window}", (window + 1) * seconds
        with self._lock:
            pending = self._pending[key]
            pending[0] += 1
            pending[1:] = seconds, ends
            calls = self._shared.get(key, (0, ends))[0] + pending[0]
            due = time.monotonic() - self._flushed_at >= FLUSH_SECONDS or len(self._pending) >= MAX_PENDING
        if due:
            self.flush()
        return calls, ends - now

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, defaultdict(lambda: [0, 0, 0.0])
            self._flushed_at = time.monotonic()
            # Counted in the shared totals at once, so the process's other threads still see
            # these calls while Redis answers.
            for key, (n, _seconds, ends) in pending.items():
                self._shared[key] = (self._shared.get(key, (0, ends))[0] + n, ends)
        if not pending:
            return
        totals = add_to_counters(cache, {key: (n, seconds) for key, (n, seconds, _ends) in pending.items()})
        now = time.time()
        with self._lock:
            for key, total in totals.items():
                self._shared[key] = (max(total, self._shared.get(key, (0, 0.0))[0]), pending[key][2])
            self._shared = {key: shared for key, shared in self._shared.items() if shared[1] > now}

    def reset(self) -> None:
        """Forget everything (the tests' fresh start; the shared counts are in the cache)."""
        with self._lock:
            self._pending.clear()
            self._shared.clear()


counter = WindowCounter()


class WindowMixin:
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.calls, self.seconds_left = counter.hit(self.key, self.duration)
        return self.calls <= self.num_requests

    def wait(self):
        return self.seconds_left


class ClientRateThrottle(WindowMixin, AnonRateThrottle):
    """The per-client limit of anonymous callers (the `anon` rate)."""


class AuthenticatedRateThrottle(WindowMixin, UserRateThrottle):
    """The per-user limit, for logged-in callers only: anonymous ones have their own, lower,
    per-client limit (ClientRateThrottle), so counting them twice would only cost a cache round trip."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
