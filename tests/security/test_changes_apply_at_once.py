"""Who may read what is decided by a scoped query on every request, so a change takes effect on
the very next one, however it was made: through a service, the admin's save, or a bulk `.update()`
that sends no signal. Nothing about a person is kept between requests (docs/scaling.md)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import User
from notifications import services as notification_services
from notifications.models import Notification
from registrations import services
from tests.review.views.test_registrations import file_case

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    """A token as the API issues it; staff's is made directly (theirs asks for a code)."""
    token = Token.objects.create(user=user) if not user.is_enrollee else account_services.api_token_issue(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def sent_to_log_in(response) -> bool:
    return response.status_code == 302 and reverse("accounts:login") in response.url


def test_a_deactivated_enrollee_is_logged_out_on_the_next_page(client, enrollee):
    client.force_login(enrollee)
    page = reverse("registrations:list")
    assert client.get(page).status_code == 200
    enrollee.is_active = False
    enrollee.save()
    assert sent_to_log_in(client.get(page))


def test_a_bulk_deactivation_takes_effect_on_the_very_next_request(client, enrollee, other_enrollee):
    """`.update()` sends no signal: only a read of the row on every request can see it."""
    client.force_login(enrollee)
    api = token_client(enrollee)
    page = reverse("registrations:list")
    assert client.get(page).status_code == api.get("/api/v1/me/").status_code == 200
    User.objects.filter(pk=enrollee.pk).update(is_active=False)
    assert sent_to_log_in(client.get(page))
    assert api.get("/api/v1/me/").status_code == 401
    assert token_client(other_enrollee).get("/api/v1/me/").status_code == 200  # only the one deactivated


def test_a_new_password_ends_the_other_sessions(client, enrollee):
    client.force_login(enrollee)
    page = reverse("registrations:list")
    assert client.get(page).status_code == 200
    enrollee.set_password("another-long-password-2026")
    enrollee.save()
    assert sent_to_log_in(client.get(page))


def test_a_deleted_api_token_is_refused_at_once(enrollee):
    client = token_client(enrollee)
    assert client.get("/api/v1/me/").status_code == 200
    Token.objects.filter(user=enrollee).delete()
    assert client.get("/api/v1/me/").status_code == 401


def test_an_api_token_expires(enrollee, time_machine):
    time_machine.move_to("2026-12-01 09:00:00+08:00", tick=False)
    client = token_client(enrollee)
    assert client.get("/api/v1/me/").status_code == 200
    time_machine.shift(31 * 24 * 3600)
    assert client.get("/api/v1/me/").status_code == 401


def test_staff_moved_to_another_office_no_longer_see_the_first_ones_cases(client, window_staff, other_office, enrollee):
    case = file_case(enrollee)
    client.force_login(window_staff)
    api = token_client(window_staff)
    detail = f"/api/v1/registrations/{case.uuid}/"
    assert case.number in client.get(reverse("review:queue")).content.decode()
    assert client.get(detail).status_code == api.get(detail).status_code == 200
    User.offices.through.objects.filter(user=window_staff).update(office=other_office)
    assert case.number not in client.get(reverse("review:queue")).content.decode()
    assert client.get(detail).status_code == api.get(detail).status_code == 404
    assert client.get(reverse("review:detail", args=[case.uuid])).status_code == 404


def test_a_deleted_authenticator_asks_for_the_second_step_again(client, window_staff):
    client.force_login(window_staff)
    assert client.get(reverse("review:queue")).status_code == 200
    TOTPDevice.objects.filter(user=window_staff).delete()
    response = client.get(reverse("review:queue"))
    assert response.status_code == 302
    assert reverse("accounts:second_factor") in response.url


def test_an_unconfirmed_authenticator_asks_for_the_second_step_again(client, window_staff):
    client.force_login(window_staff)
    assert client.get(reverse("review:queue")).status_code == 200
    TOTPDevice.objects.filter(user=window_staff).update(confirmed=False)
    assert reverse("accounts:second_factor") in client.get(reverse("review:queue")).url


def test_the_queue_follows_every_decision_and_office_change(client, window_staff, office, enrollee):
    case = file_case(enrollee)
    client.force_login(window_staff)

    def queue() -> str:
        return client.get(reverse("review:queue")).content.decode()

    assert case.number in queue()
    office.name_zh = "南通市区医保中心（新址）"
    office.save()
    assert "南通市区医保中心（新址）" in queue()
    User.objects.filter(pk=enrollee.pk).update(name="张三丰")
    assert "张三丰" in queue()
    services.registration_decide(actor=window_staff, registration=case, decision="approve")
    assert case.number not in queue()  # the submitted tab no longer lists it
    assert case.number in client.get(reverse("review:queue") + "?status=approved").content.decode()


def test_the_unread_badge_follows_a_bulk_update(client, enrollee):
    notification_services.notify(
        recipient=enrollee, kind="status", dedupe_key="badge-test", title="备案已受理", body="您的备案已受理。"
    )
    client.force_login(enrollee)

    def badge() -> bool:
        return 'class="badge"' in client.get(reverse("registrations:list")).content.decode()

    assert badge()
    Notification.objects.filter(recipient=enrollee).update(read_at="2026-12-01T09:00:00+08:00")
    assert not badge()


def test_sessions_deleted_in_bulk_end_at_once(client, enrollee):
    """Sessions live in the database alone (no copy in the cache to outlive the row)."""
    from django.contrib.sessions.models import Session

    client.force_login(enrollee)
    page = reverse("registrations:list")
    assert client.get(page).status_code == 200
    Session.objects.all().delete()
    assert sent_to_log_in(client.get(page))


def test_the_help_line_follows_a_bulk_change_of_the_offices_phones(client, enrollee):
    from offices.models import OfficePhone

    User.objects.filter(pk=enrollee.pk).update(elder_mode=True)
    client.force_login(enrollee)
    page = reverse("registrations:list")
    assert 'class="help-line"' in client.get(page).content.decode()
    first = OfficePhone.objects.filter(office=enrollee.office).order_by("position", "id")[:1]
    OfficePhone.objects.filter(pk__in=first).update(number="0513-88886666")
    assert "0513-88886666" in client.get(page).content.decode()
