"""The inbox's own pages (notifications.views): all read at once, the settings, a new calendar
address, and only the person's own messages."""

import pytest
from django.urls import reverse

from notifications import services
from notifications.models import Notification
from notifications.selectors import preference_of

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def message(person, key, **fields):
    return services.notify(recipient=person, kind="status", dedupe_key=key, title=f"t-{key}", body="b", **fields)


def test_marking_all_read_touches_the_persons_messages_only(client, enrollee, other_enrollee):
    message(enrollee, "a")
    message(enrollee, "b")
    theirs = message(other_enrollee, "c")
    client.force_login(enrollee)
    response = client.post(reverse("notifications:read_all"), follow=True, **EN)
    assert "All messages are marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=enrollee, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_is_a_post(client, enrollee):
    message(enrollee, "a")
    client.force_login(enrollee)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_inbox_pages_thirty_at_a_time_newest_first(client, enrollee):
    for number in range(35):
        message(enrollee, f"m{number:02d}")
    client.force_login(enrollee)
    first = client.get(reverse("notifications:inbox"), **EN).content.decode()
    assert "t-m34" in first
    assert "t-m04" not in first
    second = client.get(reverse("notifications:inbox"), {"page": 2}, **EN).content.decode()
    assert "t-m04" in second
    assert "t-m34" not in second


def test_settings_are_saved_and_said(client, enrollee):
    enrollee.email = "zhang@example.com"
    enrollee.save(update_fields=["email"])
    client.force_login(enrollee)
    response = client.post(reverse("notifications:preferences"), {"email": "on"}, follow=True, **EN)
    assert "Your notification settings are saved." in response.content.decode()
    preference = preference_of(enrollee)
    assert (preference.email, preference.sms) == (True, False)


def test_a_new_calendar_address_ends_the_old_one(client, enrollee):
    old = preference_of(enrollee).calendar_token
    client.force_login(enrollee)
    response = client.post(reverse("notifications:calendar_reset"), follow=True, **EN)
    assert "the old one no longer works" in response.content.decode()
    new = preference_of(enrollee).calendar_token
    assert new != old
    assert client.get(reverse("notifications:calendar", args=[old])).status_code == 404
    assert client.get(reverse("notifications:calendar", args=[new])).status_code == 200


def test_the_calendar_of_a_deactivated_account_is_gone(client, enrollee):
    token = preference_of(enrollee).calendar_token
    enrollee.is_active = False
    enrollee.save(update_fields=["is_active"])
    assert client.get(reverse("notifications:calendar", args=[token])).status_code == 404


def test_the_calendar_answers_a_head_and_is_never_stored(client, enrollee):
    token = preference_of(enrollee).calendar_token
    response = client.head(reverse("notifications:calendar", args=[token]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_message_without_a_link_opens_the_inbox(client, enrollee):
    notification = message(enrollee, "plain")
    client.force_login(enrollee)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.url == reverse("notifications:inbox")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_message_is_filed_once_per_key(enrollee):
    first = message(enrollee, "same")
    again = message(enrollee, "same")
    assert first.pk == again.pk
    assert Notification.objects.count() == 1
