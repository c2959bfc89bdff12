"""Lockout after repeated failed log-ins on every login path, per account and client (django-axes)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

from tests.conftest import ENROLLEE_ID, PASSWORD

pytestmark = pytest.mark.django_db
LIMIT = 5


def web_login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def api_login(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        content_type="application/json",
    )


def admin_login(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


@pytest.mark.parametrize("login", [web_login, api_login])
def test_an_enrollee_is_locked_out_after_five_failures_but_not_everyone(client, enrollee, other_enrollee, login):
    for _attempt in range(LIMIT):
        assert login(client, ENROLLEE_ID, "wrong-password").status_code in (200, 400, 401, 429)
    locked = login(client, ENROLLEE_ID, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # the same account by its mobile number is the same account
    assert login(client, enrollee.phone, PASSWORD).status_code == 429
    # someone else, from the same address, is not affected
    assert login(client, other_enrollee.phone, PASSWORD).status_code in (200, 302)
    # and the owner, from their own address, still gets in: one attacker cannot lock them out everywhere
    assert login(client, ENROLLEE_ID, PASSWORD, ip="10.0.0.2").status_code in (200, 302)


def test_the_admin_login_is_locked_out_too(client, admin_user):
    for _attempt in range(LIMIT):
        admin_login(client, admin_user.username, "wrong-password")
    assert admin_login(client, admin_user.username, PASSWORD).status_code == 429


def test_the_api_lockout_answers_in_the_api_error_shape(client, enrollee):
    for _attempt in range(LIMIT):
        api_login(client, ENROLLEE_ID, "wrong-password")
    response = api_login(client, ENROLLEE_ID, PASSWORD)
    assert response.status_code == 429
    assert set(response.json()) == {"detail", "errors"}


def test_the_lockout_tables_never_hold_an_identity_number(client, enrollee):
    for _attempt in range(LIMIT + 1):
        web_login(client, ENROLLEE_ID, "wrong-password")
        web_login(client, "110101199003070000", "wrong-password")  # not an account
    stored = " ".join(
        [str(v) for v in AccessAttempt.objects.values_list("username", "get_data", "post_data")]
        + [str(v) for v in AccessFailureLog.objects.values_list("username")]
    )
    assert AccessAttempt.objects.exists()
    assert ENROLLEE_ID not in stored
    assert "110101199003070000" not in stored
