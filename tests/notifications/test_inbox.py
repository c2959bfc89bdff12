"""Status messages as cases move on, the inbox, settings and the calendar feed."""

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from claims import services as claims
from notifications.models import Delivery, Notification
from tests.claims.test_submit import make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel("2026-06-02 10:00:00+08:00", tick=False):
        yield


@pytest.fixture
def with_email(enrollee):
    enrollee.email = "li@example.com"
    enrollee.save(update_fields=["email"])
    return enrollee


def test_status_changes_reach_the_inbox_and_email_after_commit(
    with_email, window_staff, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        claim = make_claim(with_email, emergency=True)
        with django_capture_on_commit_callbacks(execute=True):
            claim = claims.claim_submit(actor=with_email, claim=claim)
        with django_capture_on_commit_callbacks(execute=True):
            claims.claim_decide(actor=window_staff, claim=claim, decision="return", reasons=["明细清单缺页"])
    finally:
        app.conf.task_always_eager = False
    titles = list(
        Notification.objects.filter(recipient=with_email, kind="status").order_by("id").values_list("title", "body")
    )
    assert len(titles) == 2
    assert claim.number in titles[0][0]
    assert "明细清单缺页" in titles[1][1]
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(status="sent").count() == 2


def test_inbox_counts_unread_opens_and_marks_read(client, with_email, other_enrollee):
    claim = make_claim(with_email, emergency=True)
    claims.claim_submit(actor=with_email, claim=claim)
    notification = Notification.objects.get(recipient=with_email)
    client.force_login(with_email)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert notification.title in page
    assert 'class="badge"' in page
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == f"/claims/{claim.uuid}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'class="badge"' not in client.get(reverse("notifications:inbox")).content.decode()

    client.force_login(other_enrollee)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert notification.title not in client.get(reverse("notifications:inbox")).content.decode()


def test_turning_off_every_channel_is_said_out_loud(client, with_email):
    client.force_login(with_email)
    response = client.post(reverse("notifications:preferences"), {}, follow=True)  # both boxes unticked
    page = response.content.decode()
    assert 'class="message warning"' in page  # deadline reminders still come to the inbox: said, not silent
    claim = make_claim(with_email, emergency=True)
    claims.claim_submit(actor=with_email, claim=claim)
    assert Notification.objects.filter(recipient=with_email).exists()  # still in the inbox
    assert not Delivery.objects.exists()  # but not mailed


def test_calendar_feed_lists_the_deadlines_behind_a_secret_address(client, with_email):
    claim = make_claim(with_email, emergency=True)
    client.force_login(with_email)
    page = client.get(reverse("notifications:preferences")).content.decode()
    token = page.split("/inbox/calendar/")[1].split(".ics")[0]
    client.logout()
    response = client.get(reverse("notifications:calendar", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert claim.number in str(event["SUMMARY"])
    assert event.decoded("DTSTART").isoformat() == "2026-12-31"
    assert client.get(reverse("notifications:calendar", args=["not-the-token"])).status_code == 404


class BrokenSms:
    def send(self, phone, text):
        raise ConnectionError("provider down")


def test_sms_goes_through_the_configured_backend_and_failures_are_retried_then_marked(with_email, settings, caplog):
    from notifications import services
    from notifications.models import Preference

    Preference.objects.create(user=with_email, email=False, sms=True)
    claim = make_claim(with_email, emergency=True)
    claims.claim_submit(actor=with_email, claim=claim)
    delivery = Delivery.objects.get()
    assert delivery.channel == "sms"

    settings.SMS_BACKEND = "tests.notifications.test_inbox.BrokenSms"
    for _attempt in range(services.MAX_ATTEMPTS):
        assert services.deliver(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert "provider down" in delivery.last_error

    settings.SMS_BACKEND = "notifications.sms.LoggingSmsBackend"
    assert services.retry([delivery.pk]) == 1
    with caplog.at_level("INFO", logger="notifications.sms"):
        assert services.deliver(delivery.pk) is True
    assert claim.number in caplog.text
    assert "13800000001" not in caplog.text  # the number is masked in the log


def test_an_enrollee_with_only_a_mobile_is_texted_by_default_and_told_when_unreachable(client, enrollee):
    claim = make_claim(enrollee, emergency=True)
    claims.claim_submit(actor=enrollee, claim=claim)
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["sms"]
    client.force_login(enrollee)
    response = client.post(reverse("notifications:preferences"), {"email": "on"}, follow=True)  # no address
    assert 'class="message warning"' in response.content.decode()


def test_deliver_pending_backs_off_and_does_not_queue_twice(with_email, settings):
    import datetime

    from django.utils import timezone

    from notifications import services, tasks

    claim = make_claim(with_email, emergency=True)
    claims.claim_submit(actor=with_email, claim=claim)
    delivery = Delivery.objects.get()
    queued = []
    original = services.send_now

    def record(ids):
        queued.extend(ids)
        return original(ids)

    settings.CELERY_TASK_ALWAYS_EAGER = True
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        services.send_now = record
        Delivery.objects.filter(pk=delivery.pk).update(
            queued_at=timezone.now(), created_at=timezone.now() - datetime.timedelta(minutes=5)
        )
        assert tasks.deliver_pending() == 0  # handed to the broker a moment ago: left to that task
        Delivery.objects.filter(pk=delivery.pk).update(
            queued_at=None, next_attempt_at=timezone.now() + datetime.timedelta(minutes=4)
        )
        assert tasks.deliver_pending() == 0  # backing off after a failure
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert tasks.deliver_pending() == 1
    finally:
        services.send_now = original
        app.conf.task_always_eager = False
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert queued == [delivery.pk]


@pytest.mark.parametrize("link", ["https://evil.example/claims/", "//evil.example/x", "javascript:alert(1)"])
def test_opening_a_message_never_leaves_the_site(client, enrollee, link):
    from notifications import services

    notification = services.notify(
        recipient=enrollee, kind="status", dedupe_key=f"probe:{link}", title="t", body="b", link=link
    )
    client.force_login(enrollee)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == reverse("notifications:inbox")


def _feed_events(client, person):
    from notifications.selectors import preference_of

    response = client.get(reverse("notifications:calendar", args=[preference_of(person).calendar_token]))
    return [
        (str(event["summary"]), event.decoded("dtstart"))
        for event in Calendar.from_ical(response.content).walk("VEVENT")
    ]


def test_after_31_december_the_calendar_shows_the_late_claim_day_then_nothing(client, with_email):
    import datetime

    claim = make_claim(with_email)  # an invoice of 10 May 2026, not submitted
    with time_machine.travel("2026-12-31 12:00:00+08:00", tick=False):
        [(summary, day)] = _feed_events(client, with_email)
    assert (claim.number in summary, day) == (True, datetime.date(2026, 12, 31))
    with time_machine.travel("2027-01-15 09:00:00+08:00", tick=False):
        [(summary, day)] = _feed_events(client, with_email)
    assert day == datetime.date(2027, 3, 31)
    assert "late" in summary or "逾期" in summary or "特殊" in summary
    with time_machine.travel("2027-04-01 09:00:00+08:00", tick=False):
        assert _feed_events(client, with_email) == []
