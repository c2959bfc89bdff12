"""What the web process keeps between requests (common.versions) never outlives the change that
ends it: the session's user, an API token, a staff member's offices and authenticator, and the
pages kept ready (review queue, "my registrations", the registration API answer)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts import services as account_services
from registrations import services
from tests.review.views.test_registrations import file_case

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {account_services.api_token_issue(user=user).key}")
    return client


def test_a_deactivated_enrollee_is_logged_out_on_the_next_page(client, enrollee):
    client.force_login(enrollee)
    page = reverse("registrations:list")
    assert client.get(page).status_code == client.get(page).status_code == 200  # the second from memory
    enrollee.is_active = False
    enrollee.save()
    response = client.get(page)
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_a_new_password_ends_the_other_sessions(client, enrollee):
    client.force_login(enrollee)
    page = reverse("registrations:list")
    assert client.get(page).status_code == client.get(page).status_code == 200
    enrollee.set_password("another-long-password-2026")
    enrollee.save()
    assert client.get(page).status_code == 302


def test_a_deleted_api_token_is_refused_at_once(enrollee):
    client = token_client(enrollee)
    assert client.get("/api/v1/me/").status_code == client.get("/api/v1/me/").status_code == 200
    enrollee.auth_token.delete()
    assert client.get("/api/v1/me/").status_code == 401


def test_a_token_kept_in_memory_still_expires(enrollee, time_machine):
    time_machine.move_to("2026-12-01 09:00:00+08:00", tick=False)
    client = token_client(enrollee)
    assert client.get("/api/v1/me/").status_code == client.get("/api/v1/me/").status_code == 200
    time_machine.shift(31 * 24 * 3600)
    assert client.get("/api/v1/me/").status_code == 401


def test_a_token_stops_at_once_when_its_holder_is_deactivated(enrollee):
    client = token_client(enrollee)
    assert client.get("/api/v1/me/").status_code == client.get("/api/v1/me/").status_code == 200
    enrollee.is_active = False
    enrollee.save()
    assert client.get("/api/v1/me/").status_code == 401


def test_staff_moved_to_another_office_no_longer_see_the_first_ones_cases(client, window_staff, other_office, enrollee):
    case = file_case(enrollee)
    client.force_login(window_staff)
    assert case.number in client.get(reverse("review:queue")).content.decode()
    detail = f"/api/v1/registrations/{case.uuid}/"
    assert client.get(detail).status_code == 200
    window_staff.offices.set([other_office])
    assert case.number not in client.get(reverse("review:queue")).content.decode()
    assert client.get(detail).status_code == 404
    assert client.get(reverse("review:detail", args=[case.uuid])).status_code == 404


def test_a_deleted_authenticator_asks_for_the_second_step_again(client, window_staff):
    client.force_login(window_staff)
    assert client.get(reverse("review:queue")).status_code == client.get(reverse("review:queue")).status_code == 200
    TOTPDevice.objects.filter(user=window_staff).delete()
    response = client.get(reverse("review:queue"))
    assert response.status_code == 302
    assert reverse("accounts:second_factor") in response.url


def test_the_kept_queue_follows_every_decision_and_office_change(client, window_staff, office, enrollee):
    case = file_case(enrollee)
    client.force_login(window_staff)

    def queue() -> str:
        return client.get(reverse("review:queue")).content.decode()

    assert case.number in queue()
    assert case.number in queue()  # from memory
    office.name_zh = "南通市区医保中心（新址）"
    office.save()
    assert "南通市区医保中心（新址）" in queue()
    enrollee.name = "张三丰"
    enrollee.save()
    assert "张三丰" in queue()
    services.registration_decide(actor=window_staff, registration=case, decision="approve")
    assert case.number not in queue()  # the submitted tab no longer lists it
    assert case.number in client.get(reverse("review:queue") + "?status=approved").content.decode()


def test_made_up_ids_and_tokens_leave_nothing_in_the_shared_cache(enrollee):
    """Version tokens are made only for rows that exist: a flood of made-up names must not fill Redis."""
    import uuid

    from django.core.cache import cache

    from accounts.selectors import api_token_version
    from common.versions import PREFIX
    from registrations.selectors import registration_version_name

    made_up_case, made_up_token = uuid.uuid4(), "0" * 40
    anonymous, stranger = APIClient(), APIClient()
    stranger.credentials(HTTP_AUTHORIZATION=f"Token {made_up_token}")
    assert anonymous.get(f"/api/v1/registrations/{made_up_case}/").status_code == 401
    assert stranger.get(f"/api/v1/registrations/{made_up_case}/").status_code == 401
    assert stranger.get("/api/v1/me/").status_code == 401
    assert token_client(enrollee).get(f"/api/v1/registrations/{made_up_case}/").status_code == 404
    assert cache.get(PREFIX + registration_version_name(made_up_case)) is None
    assert cache.get(PREFIX + api_token_version(made_up_token)) is None
