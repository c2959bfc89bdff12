"""The enrollee's inbox and the outbox of messages to send.

A Notification is written in the same transaction as what it is about, so nothing is lost when
the broker is down; its Deliveries (e-mail, SMS) are claimed by a conditional update before
sending, so a sweep run twice, concurrently or after a crash sends each at most once.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.constants import Channel, DeliveryStatus, Kind


class ReminderOffset(models.Model):
    """How many days before a deadline a reminder goes out (admin-edited data)."""

    kind = models.CharField(_("reminder"), max_length=32, choices=[c for c in Kind.choices if c[0] != Kind.STATUS])
    days_before = models.PositiveSmallIntegerField(
        _("days before"), validators=[MinValueValidator(0), MaxValueValidator(366)]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "-days_before"]
        verbose_name = _("reminder offset")
        verbose_name_plural = _("reminder offsets")
        constraints = [models.UniqueConstraint(fields=["kind", "days_before"], name="reminder_offset_unique")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.days_before}"


class Notification(models.Model):
    """One message to one person: a reminder of a deadline, or a status change."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # One row per subject, kind, due date and offset (or status event): the sweep's duplicates collide here.
    dedupe_key = models.CharField(max_length=120, unique=True)
    subject_number = models.CharField(_("about"), max_length=24, blank=True)
    due_date = models.DateField(_("deadline"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)  # handed to the broker: not re-queued for a while
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # after a failure: backing off
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")]
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_status_idx")]

    def __str__(self):
        return f"{self.notification} → {self.channel}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Preference(models.Model):
    """Channels the person wants besides the inbox, and the secret of their calendar feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by text message"), default=False)
    calendar_token = models.CharField(max_length=40, unique=True, default=new_calendar_token)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)
