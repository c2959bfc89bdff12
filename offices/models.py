from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from offices.constants import InstitutionLevel


class BilingualNameMixin:
    @property
    def name(self) -> str:
        """The name in the active language, falling back to Chinese."""
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class Jurisdiction(BilingualNameMixin, TimeStampedModel):
    """An insured region (参保地) whose office publishes its own rules, e.g. 南通市, 射阳县."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=64)
    province = models.CharField(
        _("province"), max_length=32, default="江苏省", help_text=_("Care in this province is in-province care.")
    )
    hotlines = models.JSONField(_("hotlines"), default=list, blank=True)
    source = models.CharField(_("source document"), max_length=200)
    effective_from = models.DateField(_("source date"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from", "code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self):
        return self.name_zh


class Office(BilingualNameMixin, TimeStampedModel):
    """A service window (经办机构) where registrations and claims are handled."""

    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="offices"
    )
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("area (Chinese)"), max_length=64)
    name_en = models.CharField(_("area (English)"), max_length=64)
    mailing_address = models.CharField(_("mailing address"), max_length=200, blank=True)
    office_address = models.CharField(_("office address"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-jurisdiction__effective_from", "jurisdiction__code", "position", "code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self):
        return f"{self.jurisdiction.name_zh} · {self.name_zh}"


class OfficePhone(models.Model):
    """One consultation number; a label tells numbers apart (如东县: 职工 / 居民)."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("number"), max_length=32)
    label_zh = models.CharField(_("label (Chinese)"), max_length=32, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=32, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        constraints = [
            models.UniqueConstraint(fields=["office", "number"], name="office_phone_unique_number"),
        ]

    def __str__(self):
        return f"{self.number} ({self.label_zh})" if self.label_zh else self.number

    @property
    def label(self) -> str:
        if (get_language() or "").startswith("en") and self.label_en:
            return self.label_en
        return self.label_zh


class Institution(TimeStampedModel):
    """A medical institution the rules care about: referral hospitals, dialysis centres…

    The level is unknown (blank) unless a source says it: the seeds never do.
    """

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="institutions",
        null=True,
        blank=True,
    )
    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=32, blank=True)
    city = models.CharField(_("city"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=InstitutionLevel.choices, null=True, blank=True)
    can_refer = models.BooleanField(_("may issue referrals (转诊资格)"), default=False)
    dialysis_qualified = models.BooleanField(_("qualified for dialysis"), default=False)
    source_ref = models.CharField(_("source"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction__code", "name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="institution_unique_name"),
        ]

    def __str__(self):
        return self.name
