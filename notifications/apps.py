from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # The tasks register with Celery on import: services hand work to them by name, so a web
        # process must have imported them (Celery's own discovery runs in the worker only).
        from notifications import receivers, tasks  # noqa: F401

        receivers.connect()
