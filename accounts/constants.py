from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENROLLEE = "enrollee", _("Enrollee")
    STAFF = "staff", _("Window staff")
    ADMIN = "admin", _("Administrator")


# The elderly-friendly mode (长辈模式) of this browser, as chosen with the switch in the header.
ELDER_COOKIE = "elder_mode"
