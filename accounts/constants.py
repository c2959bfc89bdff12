from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ENROLLEE = "enrollee", _("Enrollee")
    STAFF = "staff", _("Window staff")
    ADMIN = "admin", _("Administrator")
