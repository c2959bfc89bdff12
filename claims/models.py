"""Manual reimbursement claims (零星报销): what was paid in full, and what the fund pays back.

Money is Decimal with two places (yuan) everywhere; rules (windows, materials, benefits)
come from the policy app by the expense dates.
"""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.constants import ClaimEventAction, ClaimStatus, SpecialCase
from common.models import OPTIONAL, AppendOnlyModel, PublicIdModel
from common.storage import PrivateUploadTo, get_private_storage
from offices.constants import InstitutionLevel
from policy.constants import ClaimKind, Treatment

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}


def new_claim_number() -> str:
    return f"BX{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


class Claim(PublicIdModel):
    number = models.CharField(_("claim number"), max_length=20, unique=True, default=new_claim_number)
    enrollee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims_filed")
    agent_name = models.CharField(_("agent's name"), max_length=64, blank=True)
    agent_id_masked = models.CharField(_("agent's identity number"), max_length=18, blank=True)
    jurisdiction = models.ForeignKey("offices.Jurisdiction", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("offices.Office", on_delete=models.PROTECT, related_name="claims")
    claim_kind = models.CharField(_("claim kind"), max_length=16, choices=ClaimKind.choices)
    treatment = models.CharField(_("treatment"), max_length=32, choices=Treatment.choices, blank=True)
    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="claims",
        **OPTIONAL,
    )
    registration_found = models.BooleanField(
        _("registration found from the invoice dates"),
        default=False,
        help_text=_("Linked by the portal, not chosen: it follows the earliest invoice."),
    )
    emergency = models.BooleanField(_("emergency (counts as registered)"), default=False)
    special_case_reason = models.TextField(_("reason for claiming late"), blank=True)
    special_case = models.CharField(
        _("special case"), max_length=16, choices=SpecialCase.choices, default=SpecialCase.NONE, blank=True
    )
    status = models.CharField(_("status"), max_length=24, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # A claim filed in time stays in time when it comes back for correction.
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    approved_amount = models.DecimalField(_("approved fund payment"), null=True, blank=True, **MONEY)
    first_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    return_reasons = models.JSONField(_("what to fix"), default=list, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        indexes = [
            models.Index(fields=["enrollee", "-created_at"], name="claim_enrollee_idx"),
            models.Index(fields=["office", "status", "submitted_at", "id"], name="claim_queue_idx"),  # keyset queue
        ]

    def __str__(self):
        return self.number


class ReviewThreshold(models.Model):
    """Above this fund payment a second staff member must confirm an approval (four eyes)."""

    jurisdiction = models.OneToOneField(
        "offices.Jurisdiction", verbose_name=_("jurisdiction"), on_delete=models.CASCADE, related_name="+"
    )
    four_eyes_above = models.DecimalField(_("second reviewer above (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("review threshold")
        verbose_name_plural = _("review thresholds")

    def __str__(self):
        return f"{self.jurisdiction} > {self.four_eyes_above}"


class Expense(models.Model):
    """One invoice: where and when, the total paid and the part within the policy scope."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="expenses")
    invoice_no = models.CharField(_("invoice number"), max_length=40)
    date = models.DateField(_("date"))
    institution = models.CharField(_("institution"), max_length=100)
    institution_level = models.PositiveSmallIntegerField(_("institution level"), choices=InstitutionLevel.choices)
    province = models.CharField(_("province"), max_length=32)
    city = models.CharField(_("city"), max_length=32, blank=True)
    total_amount = models.DecimalField(_("total paid (yuan)"), **MONEY)
    policy_amount = models.DecimalField(_("within policy scope (yuan)"), **MONEY)
    approved_policy_amount = models.DecimalField(_("approved policy amount"), null=True, blank=True, **MONEY)
    adjust_reason = models.CharField(_("why adjusted"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(fields=["claim", "invoice_no"], name="expense_unique_invoice_per_claim"),
            models.CheckConstraint(
                condition=models.Q(policy_amount__lte=models.F("total_amount")), name="expense_policy_within_total"
            ),
        ]

    def __str__(self):
        return f"{self.invoice_no} {self.date}"


class ClaimDocument(PublicIdModel):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document kind"), max_length=40)
    file = models.FileField(_("file"), storage=get_private_storage, upload_to=PrivateUploadTo("claims"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "created_at"]


class ClaimEvent(AppendOnlyModel):
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=32, choices=ClaimEventAction.choices)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
