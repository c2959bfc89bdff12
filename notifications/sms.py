"""Text messages go through a provider's backend; the default only writes them to the log.

A provider is plugged in by naming its class in settings.SMS_BACKEND: a class with
`send(phone: str, text: str) -> None` that raises on failure.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sms")


class LoggingSmsBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s****%s: %s", phone[:3], phone[-4:], text)


def sms_backend():
    return import_string(getattr(settings, "SMS_BACKEND", "notifications.sms.LoggingSmsBackend"))()
