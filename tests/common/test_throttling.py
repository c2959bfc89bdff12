"""Rate limits (common.throttling): every call counted in the shared cache at once, so however many
processes serve a client they let at most the limit through; a cache that cannot count lets the
call through and says so in the log."""

import logging
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from common.throttling import ClientRateThrottle

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
QUOTE = "/api/v1/policy/quote/"
QUESTION = {"jurisdiction": "nantong", "registration_type": "referral", "care_scope": "in_province"}


class FivePerDay(ClientRateThrottle):
    rate = "5/day"  # a window no test run crosses


def call(throttle_class, address="10.0.0.1") -> bool:
    """One API call as a fresh process would judge it: a new throttle, nothing but the cache shared."""
    request = RequestFactory().get("/api/v1/policy/quote/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return throttle_class().allow_request(request, view=None)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_two_processes_together_never_let_more_than_the_limit_through(tmp_path):
    """Two web processes, one after the other, sharing only the cache (a folder here, Redis in
    production): the second knows every call the first let through."""
    script = (
        "import django; django.setup()\n"
        "from tests.common.test_throttling import FivePerDay, call\n"
        "print(' '.join(str(call(FivePerDay)) for _ in range(4)))\n"
    )
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env |= {"DEBUG": "true", "DJANGO_SETTINGS_MODULE": "config.settings", "CACHE_URL": f"filecache://{tmp_path}"}
    answers = []
    for _process in range(2):
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 0, result.stderr
        answers += result.stdout.split()
    assert answers == ["True"] * 5 + ["False"] * 3


def test_calls_at_the_same_moment_never_pass_more_than_the_limit():
    allowed = []

    def client_calls():
        allowed.extend(call(FivePerDay) for _ in range(20))

    threads = [threading.Thread(target=client_calls) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 5
    assert call(FivePerDay, address="10.0.0.2")  # another client has its own count


def test_a_refused_call_says_when_to_come_back_in_the_api_error_shape(api_client, monkeypatch):
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "5/minute"})
    codes = [api_client.post(QUOTE, QUESTION, format="json").status_code for _ in range(3)]
    refused = api_client.post(QUOTE, QUESTION, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert codes == [200, 200, 429]
    assert refused.status_code == 429
    assert set(refused.json()) == {"detail", "errors"}
    assert 1 <= int(refused["Retry-After"]) <= 60


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.redis.RedisCache",  # raises
        "django_redis.cache.RedisCache",  # misses (IGNORE_EXCEPTIONS, as in production)
    ],
)
def test_a_cache_that_cannot_count_lets_the_call_through_and_logs(settings, caplog, backend):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": backend,
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True} if backend.startswith("django_redis") else {},
        },
    }
    with caplog.at_level(logging.WARNING, logger="common.throttling"):
        assert all(call(FivePerDay) for _ in range(7))  # over the limit, but nothing could count them
    assert len([r for r in caplog.records if "not counted" in r.getMessage()]) == 7
