"""Redis down is no outage: with the cache and the broker gone, gunicorn in production mode still
logs people in, lists and shows their registrations, takes a new filing and answers the quote.

Redis is this test's own redis-server on a free port (never the machine's shared one), stopped
half-way; the database is the test run's PostgreSQL, whose committed rows the server reads.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts.services import api_token_issue
from notifications.constants import DeliveryStatus
from notifications.models import Delivery
from registrations.constants import RegistrationStatus
from registrations.models import Registration
from tests.conftest import ENROLLEE_ID, PASSWORD, make_enrollee, require
from tests.files import pdf_bytes

ROOT = Path(__file__).resolve().parents[2]
QUESTION = {"jurisdiction": "nantong", "registration_type": "referral", "care_scope": "in_province"}
FILING = {
    "registration_type": "other_temporary",
    "care_scope": "in_province",
    "care_province": "江苏省",
    "care_city": "苏州市",
}
SLOWEST_ANSWER_SECONDS = 5  # whatever Redis's absence costs an answer, never a hang


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(ready, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} did not come up within {seconds} s")


class Browser:
    """Plain HTTP against the server, keeping its cookies by hand: production mode marks them
    Secure, and this is loopback without TLS."""

    def __init__(self, port: int):
        self.port, self.cookies, self.token = port, {}, None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        started = time.monotonic()
        server = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            server.request(method, path, body=body, headers=headers)
            response = server.getresponse()
            content = response.read()
        finally:
            server.close()
        assert time.monotonic() - started < SLOWEST_ANSWER_SECONDS, f"{method} {path} took too long"
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, content

    def json(self, method: str, path: str, data=None) -> tuple[int, dict]:
        body = json.dumps(data).encode() if data is not None else None
        status, content = self.request(method, path, body, {"Content-Type": "application/json"})
        return status, json.loads(content) if content else {}

    def post_form(self, path: str, fields: dict) -> tuple[int, bytes]:
        """GET the page for its CSRF token, then POST the form as a browser would."""
        _status, page = self.request("GET", path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return self.request("POST", path, form, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path: str, kind: str, filename: str, content: bytes) -> int:
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\n{kind}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        status, _content = self.request(
            "POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        return status


def staff_session(user) -> str:
    """A session key of `user` after both steps of the log-in, as the log-in pages leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.NationalIdOrPhoneBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.create(user=user, name="phone", confirmed=True).persistent_id
    session.create()
    return session.session_key


def database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own; stop() ends it (the machine's Redis is never touched)."""
    require(shutil.which("redis-server") is not None, "redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip

    def answers() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def stop() -> None:
        server.terminate()
        server.wait(timeout=10)

    wait_until(answers, "redis-server")
    server.url, server.stop = f"redis://127.0.0.1:{port}/0", stop
    yield server
    if server.poll() is None:
        stop()


@pytest.fixture
def gunicorn(private_redis, tmp_path):
    """The portal in production mode on the test database, its cache and broker on private_redis."""
    port = free_port()
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    env |= {
        "DEBUG": "false",
        # The test's own keys: identity numbers are looked up by a hash keyed with them.
        "SECRET_KEY": settings.SECRET_KEY,
        "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(),
        "CONN_MAX_AGE": "0",
        "REDIS_URL": private_redis.url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning"],
        cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip

    def answers() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True

    wait_until(answers, "gunicorn")
    yield port
    server.send_signal(signal.SIGTERM)
    _out, errors = server.communicate(timeout=30)
    assert "Traceback" not in errors.replace("redis.exceptions.ConnectionError", ""), errors[-3000:]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_redis_stopped_enrollees_still_read_file_and_get_quotes(request, window_staff):
    require(connection.vendor == "postgresql", "PostgreSQL is not set (DATABASE_URL)")
    redis, port = request.getfixturevalue("private_redis"), request.getfixturevalue("gunicorn")
    enrollee = make_enrollee(ENROLLEE_ID, name="张三", phone="13800000001")
    browser, api = Browser(port), Browser(port)
    api.token = api_token_issue(user=enrollee).key
    status, created = api.json("POST", "/api/v1/registrations/", {**FILING, "start_date": "2026-12-28"})
    assert status == 201, created  # with Redis up: the case the pages will show

    redis.stop()

    assert browser.post_form("/accounts/login/", {"username": ENROLLEE_ID, "password": PASSWORD})[0] == 302
    status, page = browser.request("GET", "/registrations/")
    assert status == 200
    assert created["number"] in page.decode()
    assert browser.request("GET", f"/registrations/{created['id']}/")[0] == 200
    status, mine = api.json("GET", "/api/v1/registrations/")
    assert status == 200
    assert [case["id"] for case in mine] == [created["id"]]
    assert api.json("GET", f"/api/v1/registrations/{created['id']}/")[0] == 200

    # A new filing from start to end: a draft, its document, the submission.
    status, draft = api.json("POST", "/api/v1/registrations/", {**FILING, "start_date": "2027-01-04"})
    assert status == 201, draft
    documents = f"/api/v1/registrations/{draft['id']}/documents/"
    assert api.upload(documents, "social_security_card", "card.pdf", pdf_bytes()) == 201
    started = time.monotonic()
    status, submitted = api.json("POST", f"/api/v1/registrations/{draft['id']}/submit/")
    assert status == 200, submitted
    assert time.monotonic() - started < 1  # the broker's refusal is not waited out
    filed = Registration.objects.get(uuid=draft["id"])
    assert filed.status != RegistrationStatus.DRAFT
    waiting = Delivery.objects.filter(notification__recipient=enrollee)
    assert waiting.exists()
    assert set(waiting.values_list("status", flat=True)) == {DeliveryStatus.PENDING}  # for deliver_pending
    assert not waiting.filter(queued_at__isnull=False).exists()  # never handed to the broker

    status, answer = Browser(port).json("POST", "/api/v1/policy/quote/", QUESTION)
    assert status == 200, answer
    assert answer["reduction_points"] == 10
    # The status check's rate limits cannot count: it answers (not found) instead of failing.
    status, page = Browser(port).post_form("/registrations/status/", {"number": created["number"], "id_last4": "0000"})
    assert status == 200
    # The dashboard's figures are not kept for 5 minutes now: they are counted for each visit.
    staff = Browser(port)
    staff.cookies[settings.SESSION_COOKIE_NAME] = staff_session(window_staff)
    assert staff.request("GET", "/review/dashboard/")[0] == 200
