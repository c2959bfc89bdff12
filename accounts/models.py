import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role


class User(AbstractUser):
    """Everyone who logs in. The role decides what the portal lets them do.

    Window staff are bound to one or more offices and see only those offices' cases.
    `is_staff` keeps Django's meaning (may open the admin site) and is set for admins only.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.ENROLLEE)
    offices = models.ManyToManyField(
        "offices.Office", verbose_name=_("offices"), related_name="staff_members", blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_enrollee(self) -> bool:
        return self.role == Role.ENROLLEE

    @property
    def is_window_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_portal_admin(self) -> bool:
        return self.role == Role.ADMIN
