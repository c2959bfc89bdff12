from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CLAIM_WINDOW = "claim_window", _("Claim window closing (31 December)")
    CLAIM_WINDOW_EXTENDED = "claim_window_extended", _("Late-claim window closing (31 March)")
    TEMPORARY_EXPIRY = "temporary_expiry", _("Temporary registration ending")
    LONG_TERM_EXPIRY = "long_term_expiry", _("Proof of a long-term registration expiring")
    STATUS = "status", _("Status change")


# Reminders of a deadline: the enrollee may choose the channels, never switch them off altogether.
DEADLINE_KINDS = (Kind.CLAIM_WINDOW, Kind.CLAIM_WINDOW_EXTENDED, Kind.TEMPORARY_EXPIRY, Kind.LONG_TERM_EXPIRY)


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
