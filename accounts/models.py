import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts import national_id
from accounts.constants import Role
from policy.constants import Scheme


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
    name = models.CharField(_("full name"), max_length=64, blank=True)
    # Unique when present: enrollees log in with it.
    phone = models.CharField(_("mobile phone"), max_length=20, unique=True, null=True, blank=True)
    # The identity number is never stored in the clear (accounts/national_id.py).
    national_id_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    national_id_encrypted = models.TextField(blank=True, editable=False)
    national_id_masked = models.CharField(_("identity number"), max_length=18, blank=True, editable=False)
    scheme = models.CharField(_("insurance scheme"), max_length=16, choices=Scheme.choices, blank=True)
    jurisdiction = models.ForeignKey(
        "offices.Jurisdiction",
        verbose_name=_("insured region"),
        on_delete=models.PROTECT,
        related_name="enrollees",
        null=True,
        blank=True,
    )
    office = models.ForeignKey(
        "offices.Office",
        verbose_name=_("insured office"),
        on_delete=models.PROTECT,
        related_name="enrollees",
        null=True,
        blank=True,
    )
    preferred_language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # 长辈模式: larger text, stronger contrast, bigger buttons, plain help and the office's phone.
    elder_mode = models.BooleanField(_("elderly-friendly mode"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self):
        return self.name or super().get_full_name()

    def set_national_id(self, number: str) -> None:
        self.national_id_hash = national_id.lookup_hash(number)
        self.national_id_encrypted = national_id.encrypt(number)
        self.national_id_masked = national_id.mask(number)

    def reveal_national_id(self) -> str:
        """The full number, for staff reviewing a case: callers must log the access."""
        return national_id.decrypt(self.national_id_encrypted) if self.national_id_encrypted else ""

    @property
    def is_enrollee(self) -> bool:
        return self.role == Role.ENROLLEE

    @property
    def is_window_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_portal_admin(self) -> bool:
        return self.role == Role.ADMIN
