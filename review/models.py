from django.db import models
from django.utils.translation import gettext_lazy as _


class ReasonTemplate(models.Model):
    """Standard reasons staff pick when returning or rejecting; admins keep the texts."""

    class AppliesTo(models.TextChoices):
        REGISTRATION = "registration", _("Registrations")
        CLAIM = "claim", _("Claims")
        BOTH = "both", _("Registrations and claims")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    text_zh = models.CharField(_("text (Chinese)"), max_length=200)
    text_en = models.CharField(_("text (English)"), max_length=200)
    applies_to = models.CharField(_("applies to"), max_length=16, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("standard reason")
        verbose_name_plural = _("standard reasons")

    def __str__(self):
        return self.text_zh
