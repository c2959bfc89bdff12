import datetime
import logging

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from notifications import reminders, services
from notifications.constants import DeliveryStatus
from notifications.models import Delivery

logger = logging.getLogger(__name__)


def _fan_out(delivery_ids: list[int]) -> None:
    services.send_now(delivery_ids)


@shared_task(name="notifications.tasks.sweep_reminders")
def sweep_reminders() -> dict:
    """Hourly: file the reminders due today (a no-op for those already filed) and fan out their sending."""
    return reminders.sweep(timezone.localdate(), send=_fan_out)


@shared_task(name="notifications.tasks.deliver")
def deliver(delivery_ids: list[int]) -> int:
    return services.deliver_many(delivery_ids)


@shared_task(name="notifications.tasks.deliver_pending")
def deliver_pending() -> int:
    """Every minute: what waited for the broker, a retry or a crashed worker goes out now, in chunks.

    Rows handed to the broker in the last ten minutes are left to that task, so a long queue is
    not queued again every minute.
    """
    now = timezone.now()
    services.release_stuck(older_than=now - datetime.timedelta(minutes=10))
    due = Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - datetime.timedelta(minutes=10)),
        status=DeliveryStatus.PENDING,
        created_at__lt=now - datetime.timedelta(seconds=30),
    )
    count = 0
    for chunk in reminders.chunks(due):
        ids = [row["pk"] for row in chunk]
        _fan_out(ids)
        count += len(ids)
    return count
