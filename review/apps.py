from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    """The window staff's side of both kinds of case: queues, review, decisions, walk-in filing,
    the dashboard, exports and the standard reasons."""

    name = "review"
    verbose_name = _("Review")
