from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    """What staff decide on a submitted case, registration or claim (API.md: `decision`)."""

    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for correction")
    REJECT = "reject", _("Reject")


def queue_statuses(statuses) -> list[tuple[str, str]]:
    """The (value, label) choices a staff queue offers: every status of `statuses` but the draft,
    which is the filer's own business until it is submitted."""
    return [(value, label) for value, label in statuses.choices if value != statuses.DRAFT]
