"""Staff and admins confirm every log-in with a code from an authenticator app (TOTP, django-otp).

These tests log in through the pages, as people do; `force_login` elsewhere in the suite stands for
a log-in already completed, second step included (tests/conftest.py).
"""

import re
import uuid
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from common.models import AccessLog
from tests.conftest import ENROLLEE_ID, PASSWORD
from tests.security.figures import report

pytestmark = pytest.mark.django_db

NOW = "2026-06-01 09:00:00+08:00"
# The header's two switches (language, 长辈模式) work on the code page too; they show nothing.
OPEN_BEFORE_THE_CODE = {"accounts:second_factor", "accounts:logout", "set_language", "accounts:elder_mode", "healthz"}


def code_of(device: TOTPDevice, *, steps_later: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_later):06d}"


def log_in_with_password(client, username: str, then: str):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD, "next": then})


@pytest.fixture(autouse=True)
def _in_english(client, api_client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    api_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def enrolled_staff(window_staff):
    TOTPDevice.objects.create(user=window_staff, name="phone", confirmed=True)
    return window_staff


def test_first_log_in_sets_up_the_app_then_opens_the_page(client, window_staff):
    with time_machine.travel(NOW, tick=False):
        response = log_in_with_password(client, "staff", reverse("review:queue"))
        assert response.status_code == 302
        response = client.get(response.url)
        assert response.status_code == 302  # the password alone opens nothing
        assert response.url.startswith(reverse("accounts:second_factor") + "?next=")

        page = client.get(response.url)
        assert page.status_code == 200
        assert "<svg" in page.content.decode()
        device = TOTPDevice.objects.get(user=window_staff)
        assert not device.confirmed
        secret = page.context["secret"].replace(" ", "")
        assert len(secret) == 32  # 160-bit key, typed by hand when the QR code cannot be scanned

        wrong = client.post(response.url, {"otp": "000000" if code_of(device) != "000000" else "111111"})
        assert wrong.status_code == 200
        assert "The code is wrong or has expired" in wrong.content.decode()
        assert client.get(reverse("review:queue")).status_code == 302

    with time_machine.travel(NOW, tick=False) as clock:
        clock.shift(5)  # past django-otp's one-second wait after a wrong code
        done = client.post(response.url, {"otp": code_of(device), "next": reverse("home")})
        assert done.status_code == 302
        assert done.url == reverse("review:queue")  # staff start at their work, not the public home page
        assert client.get(reverse("review:queue")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AccessLog.objects.filter(actor=window_staff, action="second_factor_set_up").count() == 1


def test_staff_without_an_office_yet_land_on_the_home_page_not_a_404(client, enrolled_staff):
    enrolled_staff.offices.clear()
    device = TOTPDevice.objects.get(user=enrolled_staff)
    with time_machine.travel(NOW, tick=False):
        log_in_with_password(client, "staff", "/")
        done = client.post(reverse("accounts:second_factor"), {"otp": code_of(device)})
    assert done.status_code == 302
    assert done.url == reverse("home")


def test_the_same_code_cannot_be_used_twice(client, enrolled_staff):
    device = TOTPDevice.objects.get(user=enrolled_staff)
    with time_machine.travel(NOW, tick=False):
        log_in_with_password(client, "staff", "/review/")
        code = code_of(device)
        assert client.post(reverse("accounts:second_factor"), {"otp": code}).status_code == 302
        client.post(reverse("accounts:logout"))

        log_in_with_password(client, "staff", "/review/")
        replay = client.post(reverse("accounts:second_factor"), {"otp": code})
    assert replay.status_code == 200
    assert client.get(reverse("review:queue")).status_code == 302


def test_wrong_codes_make_the_next_try_wait(client, enrolled_staff):
    device = TOTPDevice.objects.get(user=enrolled_staff)
    with time_machine.travel(NOW, tick=False) as clock:
        log_in_with_password(client, "staff", "/review/")
        for wait in (1, 2, 0):
            wrong = client.post(reverse("accounts:second_factor"), {"otp": "12345x"})
            assert "The code is wrong" in wrong.content.decode()
            clock.shift(wait)
        # Even the right code is refused until the wait (1, 2, 4, 8 … seconds) is over.
        response = client.post(reverse("accounts:second_factor"), {"otp": code_of(device)})
    assert "Too many wrong codes. Wait 4 seconds," in response.content.decode()
    assert client.get(reverse("review:queue")).status_code == 302


def test_a_confirmed_app_cannot_be_replaced_with_only_the_password(client, enrolled_staff):
    log_in_with_password(client, "staff", "/review/")
    page = client.get(reverse("accounts:second_factor"))
    assert "secret" not in page.context
    assert "<svg" not in page.content.decode()
    assert TOTPDevice.objects.filter(user=enrolled_staff).count() == 1


def test_enrollees_are_not_asked_for_a_code(client, enrollee):
    log_in_with_password(client, ENROLLEE_ID, "/registrations/")
    assert client.get(reverse("registrations:list")).status_code == 200
    assert client.get(reverse("accounts:second_factor")).status_code == 302


def routes():
    """Every URL pattern of the portal with its arguments filled by type."""
    samples = {"uuid": str(uuid.uuid4()), "int": "1", "str": "x", "slug": "x", "path": "x"}

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)

    for name, route in walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "^", "static/")) or name in OPEN_BEFORE_THE_CODE:
            continue
        yield name, "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: samples[m.group(1) or "str"], route)


ADMIN_PAGES = [
    "/admin/",
    "/admin/accounts/user/",
    "/admin/otp_totp/totpdevice/",
    "/admin/policy/ruleset/",
    "/admin/registrations/registration/",
]


@pytest.mark.parametrize("who", ["window_staff", "admin_user"])
def test_no_page_opens_before_the_code(client, request, who):
    user = request.getfixturevalue(who)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    log_in_with_password(client, user.username, "/")
    checked, opened = 0, []
    for name, url in [*routes(), *((None, page) for page in ADMIN_PAGES)]:
        for method in (client.get, client.post):
            response = method(url)
            checked += 1
            if url.startswith("/api/"):
                refused = response.status_code in (401, 403)
            else:
                refused = response.status_code == 302 and response.url.startswith(reverse("accounts:second_factor"))
            if not refused:
                opened.append(f"{method.__name__.upper()} {url} ({name}) → {response.status_code}")
    report(f"second step ({who})", f"{checked} requests before the code, {len(opened)} answered")
    assert not opened
    assert checked > 100


def test_session_api_calls_wait_for_the_code(client, enrolled_staff):
    log_in_with_password(client, "staff", "/")
    response = client.get(reverse("api-me"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "authenticator app" in response.json()["detail"]


def test_admin_login_also_asks_for_the_code(client, admin_user):
    TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    client.post(reverse("admin:login"), {"username": admin_user.username, "password": PASSWORD, "next": "/admin/"})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:second_factor"))


# --- API tokens -------------------------------------------------------------------------------


def test_staff_tokens_need_the_code(api_client, enrolled_staff):
    device = TOTPDevice.objects.get(user=enrolled_staff)
    url = reverse("api-token")
    with time_machine.travel(NOW, tick=False):
        missing = api_client.post(url, {"username": "staff", "password": PASSWORD}, format="json")
        assert missing.status_code == 400
        assert "otp" in missing.json()["errors"]
        given = api_client.post(url, {"username": "staff", "password": PASSWORD, "otp": code_of(device)}, format="json")
    assert given.status_code == 200
    expires_at = datetime.fromisoformat(given.json()["expires_at"])
    assert expires_at == datetime.fromisoformat(NOW) + timedelta(hours=9)


def test_staff_without_an_app_get_no_token(api_client, window_staff):
    response = api_client.post(reverse("api-token"), {"username": "staff", "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert "authenticator app" in response.json()["detail"]


@pytest.mark.parametrize(("who", "hours"), [("enrollee", 30 * 24), ("window_staff", 9)])
def test_tokens_expire(api_client, request, who, hours):
    from rest_framework.authtoken.models import Token

    user = request.getfixturevalue(who)
    with time_machine.travel(NOW, tick=False) as clock:
        token = Token.objects.create(user=user)
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        clock.shift(hours * 3600 - 60)
        assert api_client.get(reverse("api-me")).status_code == 200
        clock.shift(61)
        expired = api_client.get(reverse("api-me"))
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]
    assert not Token.objects.filter(pk=token.pk).exists()


def test_an_expired_token_is_replaced_on_the_next_log_in(api_client, enrollee):
    from rest_framework.authtoken.models import Token

    with time_machine.travel(NOW, tick=False) as clock:
        old = Token.objects.create(user=enrollee)
        clock.shift(31 * 24 * 3600)
        response = api_client.post(reverse("api-token"), {"username": ENROLLEE_ID, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    assert response.json()["token"] != old.key


def test_an_admin_resets_a_lost_phone_and_the_person_sets_up_again(client, admin_client, enrolled_staff):
    device = TOTPDevice.objects.get(user=enrolled_staff)
    listed = admin_client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert listed.status_code == 200
    assert device.key not in listed.content.decode()  # OTP_ADMIN_HIDE_SENSITIVE_DATA
    deleted = admin_client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert deleted.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()

    log_in_with_password(client, "staff", "/review/")
    page = client.get(reverse("accounts:second_factor"))
    assert "secret" in page.context  # a new key to scan
