from django.apps import AppConfig
from django.core.signals import request_finished, request_started
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Access records and standard reasons")

    def ready(self):
        from common import versions

        request_started.connect(versions.request_started, dispatch_uid="versions-request-started")
        request_finished.connect(versions.request_finished, dispatch_uid="versions-request-finished")
