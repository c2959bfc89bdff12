"""Fixtures every test module can use: the standard people of the portal.

enrollee / other_enrollee: two insured people, so "cannot see another's data" is tested
everywhere; window_staff works at 南通 市区, other_office_staff at 射阳县; admin_user runs
the admin site.
"""

import logging
import os
import re

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from rest_framework.test import APIClient

from accounts.constants import Role
from accounts.services import enrollee_register, user_create
from offices.models import Office
from policy import selectors as policy_selectors

PASSWORD = "correct-horse-battery-staple"
POLICY_VERSION_MEMO_SECONDS = policy_selectors.VERSION_MEMO_SECONDS  # before the tests change it


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def office(db):
    return Office.objects.get(code="nantong-urban")


@pytest.fixture
def other_office(db):
    return Office.objects.get(code="sheyang")


# Valid identity numbers (GB 11643 check digits) of made-up people in 南通 and 射阳.
ENROLLEE_ID = "32060219900101123X"
OTHER_ENROLLEE_ID = "320623195803170041"


def make_enrollee(national_id_value, *, name, phone, office_code="nantong-urban", scheme="employee"):
    from offices.models import Office

    office = Office.objects.select_related("jurisdiction").get(code=office_code)
    return enrollee_register(
        national_id_value=national_id_value,
        name=name,
        phone=phone,
        password=PASSWORD,
        scheme=scheme,
        jurisdiction_code=office.jurisdiction.code,
        office_code=office.code,
    )


@pytest.fixture
def enrollee(db):
    return make_enrollee(ENROLLEE_ID, name="张三", phone="13800000001")


@pytest.fixture
def other_enrollee(db):
    return make_enrollee(OTHER_ENROLLEE_ID, name="李四", phone="13800000002")


@pytest.fixture
def window_staff(office):
    return user_create(username="staff", password=PASSWORD, role=Role.STAFF, offices=[office])


@pytest.fixture
def other_office_staff(other_office):
    return user_create(username="other-staff", password=PASSWORD, role=Role.STAFF, offices=[other_office])


@pytest.fixture
def admin_user(db):
    return user_create(username="portal-admin", password=PASSWORD, role=Role.ADMIN)


class SecondStepDone:
    """`force_login` stands for a completed log-in, so for staff and admins it includes the second
    step (the authenticator code). Tests of logging in itself go through the login pages."""

    def force_login(self, user, backend=None):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.selectors import authenticator_for, needs_second_factor

        super().force_login(user, backend)
        if needs_second_factor(user):
            device = authenticator_for(user) or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()


class PortalClient(SecondStepDone, Client):
    pass


class PortalAPIClient(SecondStepDone, APIClient):
    pass


@pytest.fixture
def client():
    return PortalClient()


@pytest.fixture
def admin_client(admin_user):
    client = PortalClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def api_client():
    return PortalAPIClient()


def require(condition: bool, reason: str) -> None:
    """Skip when a service or tool is missing, except in CI, where a skip would hide a gap."""
    if condition:
        return
    if os.environ.get("CI_REQUIRE_SERVICES"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_caches(monkeypatch):
    """Every test starts with an empty cache (rate limits, throttles), the rules' version read
    again and no quote answer kept from another test: each test's changes roll back.

    A process re-reads the rules' version once a second (policy.selectors): one query that would
    fall into a measured request now and then, so query counts would not be exact. In the tests
    it is re-read once a day instead, unless a test asks for the real interval (`policy_memo`).
    """
    from django.core.cache import caches

    from policy import selectors
    from policy.api import views as policy_views

    monkeypatch.setattr(selectors, "VERSION_MEMO_SECONDS", 24 * 3600.0)

    def fresh():
        for alias in ("default", "process"):
            caches[alias].clear()
        selectors.forget()
        policy_views._quote_body.cache_clear()
        policy_views._kept_keys.clear()

    fresh()
    yield
    fresh()


@pytest.fixture
def policy_memo(monkeypatch) -> float:
    """The real interval at which a process re-reads the rules' version (see _fresh_caches)."""
    from policy import selectors

    monkeypatch.setattr(selectors, "VERSION_MEMO_SECONDS", POLICY_VERSION_MEMO_SECONDS)
    return POLICY_VERSION_MEMO_SECONDS


# --- Personal data in logs: every record of the whole run is scanned for identity numbers -------

ID_IN_TEXT = re.compile(r"(?<!\d)[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])")


class _IdNumberLogScan(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records, self.hits = 0, []

    def emit(self, record):
        self.records += 1
        try:
            text = record.getMessage() + (self.formatException(record.exc_info) if record.exc_info else "")
        except Exception:  # a malformed record is not this scan's business
            return
        match = ID_IN_TEXT.search(text)
        if match:
            self.hits.append(f"{record.name}: …{match.group()[-4:]}")


_log_scan = _IdNumberLogScan()


def pytest_configure(config):
    logging.getLogger().addHandler(_log_scan)


@pytest.fixture(autouse=True)
def _scan_logs():
    """Re-attach the scan before every test: anything that runs logging's dictConfig again (a Celery
    worker, django.setup()) replaces the root logger's handlers and would blind it for the rest."""
    root = logging.getLogger()
    if _log_scan not in root.handlers:
        root.addHandler(_log_scan)


def pytest_sessionfinish(session, exitstatus):
    if _log_scan.hits:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    from tests.security.figures import FIGURES

    for name, text in FIGURES.items():
        terminalreporter.write_line(f"security: {name}: {text}")
    terminalreporter.write_line(
        f"security: {_log_scan.records} log records scanned, {len(_log_scan.hits)} identity numbers in logs"
    )
    for hit in _log_scan.hits[:20]:
        terminalreporter.write_line(f"  identity number logged by {hit}")


def pytest_collection_modifyitems(items):
    """Tests that commit (transactional_db) are marked `transactional`, so a run that keeps its
    test database between sessions (make mutants) can leave them out: they empty the tables."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction"):
            item.add_marker(pytest.mark.transactional)
