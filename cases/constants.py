from django.db import models
from django.utils.translation import gettext_lazy as _


class Decision(models.TextChoices):
    """What staff decide on a submitted case, registration or claim (API.md: `decision`)."""

    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for correction")
    REJECT = "reject", _("Reject")
