"""Writes of notifications: the inbox row and its outbox deliveries, then sending them once each."""

import datetime
import logging
from typing import NamedTuple

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.constants import Channel, DeliveryStatus, Kind
from notifications.models import Delivery, Notification, Preference
from notifications.sms import sms_backend

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8  # with the backoff below: retried for about four hours
BACKOFF_MINUTES_CAP = 120


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=min(2**attempts, BACKOFF_MINUTES_CAP))


def language_of(user) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


class Recipient(NamedTuple):
    """What channels_for reads of a user, when the sweep has only these two columns."""

    email: str
    phone: str | None


def default_channels(user) -> dict[str, bool]:
    """Until the person chooses: e-mail if they gave an address, else text messages to their mobile."""
    return {"email": bool(user.email), "sms": not user.email and bool(user.phone)}


def channels_for(user, preference: Preference | None) -> list[str]:
    """E-mail and SMS where the person has an address and has not turned them off (the inbox always)."""
    chosen = {"email": preference.email, "sms": preference.sms} if preference else default_channels(user)
    email, sms = chosen["email"], chosen["sms"]
    channels = []
    if email and user.email:
        channels.append(Channel.EMAIL)
    if sms and user.phone:
        channels.append(Channel.SMS)
    return channels


def preferences_of(user_ids) -> dict[int, Preference]:
    return {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}


def notify(*, recipient, kind: str, dedupe_key: str, title: str, body: str, link: str = "", **fields):
    """File one notification (once per dedupe key) and its deliveries; sending starts after commit."""
    notification, created = Notification.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={"recipient": recipient, "kind": kind, "title": title, "body": body, "link": link, **fields},
    )
    if not created:
        return notification
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(notification=notification, channel=channel)
            for channel in channels_for(recipient, preferences_of([recipient.pk]).get(recipient.pk))
        ]
    )
    enqueue_after_commit([d.pk for d in deliveries])
    return notification


def file_many(notifications: list[Notification]) -> list[int]:
    """The sweep's bulk path: rows that already exist are skipped; returns the new deliveries' ids."""
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    fresh = list(
        Notification.objects.filter(
            dedupe_key__in=[n.dedupe_key for n in notifications], deliveries__isnull=True
        ).values_list("pk", "recipient_id", "recipient__email", "recipient__phone")
    )
    preferences = preferences_of({recipient_id for _pk, recipient_id, _email, _phone in fresh})
    wanted = [
        Delivery(notification_id=pk, channel=channel)
        for pk, recipient_id, email, phone in fresh
        for channel in channels_for(Recipient(email, phone), preferences.get(recipient_id))
    ]
    Delivery.objects.bulk_create(wanted, ignore_conflicts=True)
    return list(
        Delivery.objects.filter(
            notification_id__in=[pk for pk, *_rest in fresh], status=DeliveryStatus.PENDING
        ).values_list("pk", flat=True)
    )


# Looked up by name, not imported: tasks call these services, so an import here would be a cycle.
DELIVER_TASK = "notifications.tasks.deliver"


def enqueue_after_commit(delivery_ids: list[int]) -> None:
    """Ask a worker to send them once the rows are committed; if the broker is down they wait for the sweep."""
    if delivery_ids:
        transaction.on_commit(lambda: send_now(delivery_ids))


def send_now(delivery_ids: list[int]) -> bool:
    """Hand the deliveries to the broker; if it is down they stay pending for deliver_pending."""
    try:
        current_app.tasks[DELIVER_TASK].apply_async(args=[delivery_ids], retry=False)
    except Exception:  # any broker error: nothing is lost, the rows wait in the database
        logger.warning("broker unreachable: %s deliveries wait for deliver_pending", len(delivery_ids))
        return False
    Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.PENDING).update(queued_at=timezone.now())
    return True


def claim(delivery_ids) -> tuple[list[int], datetime.datetime]:
    """Take pending deliveries for sending, all in one go; returns the ids won and the claim's mark.

    The rows are locked in id order while they are claimed. A second worker given the same ids
    waits, then finds them no longer pending (PostgreSQL re-reads a locked row), so each row goes
    to exactly one. Not SKIP LOCKED: a row briefly locked by anything else (the sweep marking it
    queued) would be skipped and wait ten minutes for deliver_pending. `claimed_at` is the claim's
    mark: an outcome is written only where it still holds.
    """
    mark = timezone.now()
    with transaction.atomic():
        pending = (
            Delivery.objects.select_for_update()
            .filter(pk__in=list(delivery_ids), status=DeliveryStatus.PENDING)
            .order_by("pk")
        )
        won = list(pending.values_list("pk", flat=True))
        Delivery.objects.filter(pk__in=won).update(
            status=DeliveryStatus.SENDING, claimed_at=mark, attempts=F("attempts") + 1
        )
    return won, mark


def _send(delivery: Delivery) -> None:
    notification, person = delivery.notification, delivery.notification.recipient
    with translation.override(language_of(person)):
        context = {"notification": notification, "url": f"{settings.PORTAL_URL}{notification.link}"}
        if delivery.channel == Channel.EMAIL:
            text = render_to_string("notifications/email.txt", context)
            send_mail(notification.title, text, None, [person.email])
        else:
            sms_backend().send(person.phone, render_to_string("notifications/sms.txt", context).strip())


def deliver_many(delivery_ids) -> int:
    """Send the deliveries this caller wins; returns how many went out.

    Three queries for a whole chunk (claim, load, mark sent) instead of three per message. A
    failure backs off and is retried up to MAX_ATTEMPTS. Outcomes are written only while the claim
    is still this caller's (still sending, same mark): a worker that was presumed dead and released
    cannot overwrite a later attempt.
    """
    won, mark = claim(delivery_ids)
    if not won:
        return 0
    sent = []
    for delivery in Delivery.objects.select_related("notification__recipient").filter(pk__in=won).order_by("pk"):
        mine = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING, claimed_at=mark)
        try:
            _send(delivery)
        except Exception as error:  # any provider error: recorded, retried later
            if delivery.attempts < MAX_ATTEMPTS:
                mine.update(
                    status=DeliveryStatus.PENDING,
                    next_attempt_at=timezone.now() + backoff(delivery.attempts),
                    last_error=str(error)[:300],
                )
            else:
                mine.update(status=DeliveryStatus.FAILED, last_error=str(error)[:300])
            logger.warning("delivery %s failed (attempt %s): %s", delivery.pk, delivery.attempts, error)
        else:
            sent.append(delivery.pk)
    Delivery.objects.filter(pk__in=sent, status=DeliveryStatus.SENDING, claimed_at=mark).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return len(sent)


def deliver(delivery_id: int) -> bool:
    """Send one delivery if this caller wins its claim (see deliver_many)."""
    return deliver_many([delivery_id]) == 1


def retry(delivery_ids) -> int:
    """Staff put failed deliveries back in the queue."""
    count = Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, last_error="", next_attempt_at=None, queued_at=None
    )
    enqueue_after_commit(list(delivery_ids))
    return count


def release_stuck(*, older_than) -> int:
    """Deliveries claimed by a worker that died before finishing go back to pending (or fail, when spent).

    Sending has timeouts far below `older_than` (EMAIL_TIMEOUT), so a claim this old is a dead worker's.
    """
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=older_than)
    spent = stuck.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=DeliveryStatus.FAILED, last_error="the worker stopped while sending"
    )
    return spent + stuck.update(status=DeliveryStatus.PENDING, next_attempt_at=None, queued_at=None)


def mark_read(notification) -> None:
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(user) -> None:
    Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def status_changed(*, recipient, case, number: str, status, lines, link: str, event_key: str) -> None:
    """Tell the enrollee their case moved on (in their language); once per history event.

    `case` and `status` may be lazy translations and `lines` a callable: both are rendered in
    the recipient's language, not the actor's.
    """
    with translation.override(language_of(recipient)):
        title = _("%(case)s %(number)s: %(status)s") % {"case": case, "number": number, "status": status}
        body = "\n".join(str(line) for line in lines()) or title
    notify(
        recipient=recipient,
        kind=Kind.STATUS,
        dedupe_key=f"status:{event_key}",
        title=title,
        body=body,
        link=link,
        subject_number=number,
    )
