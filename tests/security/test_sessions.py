"""Sessions: a new id at log-in, idle time-outs by role, deactivation ends sessions, password rules by role."""

import pytest
import time_machine
from django.urls import reverse

from accounts.constants import Role
from accounts.services import user_create
from common.errors import ServiceError
from tests.conftest import ENROLLEE_ID, PASSWORD

pytestmark = pytest.mark.django_db


def test_log_in_gives_a_new_session_id(client, enrollee):
    client.get(reverse("accounts:login"))
    client.session["probe"] = 1
    before = client.session.session_key or client.cookies.get("sessionid").value
    client.post(reverse("accounts:login"), {"username": ENROLLEE_ID, "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(enrollee.pk)
    assert client.session.session_key != before


@pytest.mark.parametrize(("who", "minutes"), [("window_staff", 15), ("enrollee", 30)])
def test_idle_sessions_end_by_role(client, request, who, minutes):
    user = request.getfixturevalue(who)
    page = reverse("review:queue") if who == "window_staff" else reverse("registrations:list")
    with time_machine.travel("2026-06-01 09:00:00+08:00", tick=False) as clock:
        client.force_login(user)
        assert client.get(page).status_code == 200
        clock.shift(minutes * 60 - 30)
        assert client.get(page).status_code == 200  # still within the limit; the clock restarts
        clock.shift(minutes * 60 + 1)
        response = client.get(page)
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_deactivating_a_staff_member_ends_their_session_at_once(client, window_staff):
    client.force_login(window_staff)
    assert client.get(reverse("review:queue")).status_code == 200
    window_staff.is_active = False
    window_staff.save(update_fields=["is_active"])
    response = client.get(reverse("review:queue"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


@pytest.mark.parametrize(
    ("role", "password", "accepted"),
    [
        (Role.STAFF, "Tr0ub4dor&3x", True),  # 12
        (Role.STAFF, "Tr0ub4dor&3", False),  # 11
        (Role.ADMIN, "Tr0ub4dor&3", False),
        (Role.STAFF, "password1234", False),  # common
    ],
)
def test_staff_passwords_are_12_characters_and_not_common(role, password, accepted):
    from django.core.exceptions import ValidationError

    if accepted:
        user_create(username="someone", password=password, role=role, name="某人")
    else:
        with pytest.raises(ValidationError):
            user_create(username="someone", password=password, role=role, name="某人")


@pytest.mark.parametrize(("password", "accepted"), [("gr33n-t3a", True), ("gr33n-t", False), ("12345678", False)])
def test_enrollee_passwords_are_8_characters_and_not_common(password, accepted):
    from accounts.services import enrollee_register

    def register():
        return enrollee_register(
            national_id_value="110101199003074514",
            name="张三",
            phone="13900000009",
            password=password,
            scheme="employee",
            jurisdiction_code="nantong",
            office_code="nantong-urban",
        )

    if accepted:
        register()
    else:
        with pytest.raises(ServiceError) as error:
            register()
        assert "password" in error.value.errors
