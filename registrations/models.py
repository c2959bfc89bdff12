"""Registrations (异地就医备案), their documents and their history.

The rules a registration is judged by come from the policy app (its rule set is recorded
in `ruleset_id`); this app keeps what people filed and what happened to it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import OPTIONAL, AppendOnlyModel, PublicIdModel
from common.storage import PrivateUploadTo, get_private_storage
from offices.constants import InstitutionLevel
from policy.constants import CareScope, Category, Channel, SpecialDisease
from registrations.constants import DocumentStatus, EventAction, RegistrationStatus


def new_registration_number() -> str:
    """BA + date + 6 random digits: short enough to read out on the phone, not guessable."""
    return f"BA{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


class Registration(PublicIdModel):
    number = models.CharField(_("registration number"), max_length=20, unique=True, default=new_registration_number)
    enrollee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("enrollee"), on_delete=models.PROTECT, related_name="registrations"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        related_name="registrations_filed",
    )
    agent_name = models.CharField(_("agent's name"), max_length=64, blank=True)
    agent_id_masked = models.CharField(_("agent's identity number"), max_length=18, blank=True)
    agent_relationship = models.CharField(_("relationship to the enrollee"), max_length=32, blank=True)

    jurisdiction = models.ForeignKey("offices.Jurisdiction", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey(
        "offices.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="registrations"
    )
    ruleset_id = models.PositiveIntegerField(_("rule set"))
    registration_type = models.CharField(_("registration type"), max_length=40)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)

    care_scope = models.CharField(_("care scope"), max_length=16, choices=CareScope.choices)
    care_province = models.CharField(_("province of care"), max_length=32)
    care_city = models.CharField(_("city of care"), max_length=32, blank=True)
    start_date = models.DateField(_("start date"))
    proof_valid_until = models.DateField(_("proof valid until"), null=True, blank=True)
    referral_hospital = models.CharField(_("referring hospital"), max_length=100, blank=True)
    referral_hospital_level = models.PositiveSmallIntegerField(
        _("referring hospital level"), choices=InstitutionLevel.choices, null=True, blank=True
    )
    special_disease = models.CharField(_("special disease"), max_length=32, choices=SpecialDisease.choices, blank=True)
    designated_institution = models.CharField(_("designated institution"), max_length=100, blank=True)
    designated_institution_level = models.PositiveSmallIntegerField(
        _("designated institution level"), choices=InstitutionLevel.choices, null=True, blank=True
    )
    designated_institution_dialysis = models.BooleanField(
        _("designated institution qualified for dialysis"), null=True, blank=True
    )
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_address = models.CharField(_("address there"), max_length=200, blank=True)
    commitment_accepted_at = models.DateTimeField(_("commitment letter accepted at"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )
    reduction_points = models.PositiveSmallIntegerField(_("benefit reduction (points)"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    return_reasons = models.JSONField(_("what to fix"), default=list, blank=True)
    supersedes = models.ForeignKey(
        "self", verbose_name=_("changes registration"), on_delete=models.PROTECT, related_name="successors", **OPTIONAL
    )
    cancel_effective_date = models.DateField(_("cancelled from"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live change per registration; cancelled or rejected ones stay in the history.
            models.UniqueConstraint(
                fields=["supersedes"],
                condition=~models.Q(status__in=["cancelled", "rejected"]),
                name="registration_one_live_change",
            ),
        ]
        indexes = [
            models.Index(fields=["enrollee", "-created_at"], name="registration_enrollee_idx"),
            # The review queue: one office's cases of a status in (submitted_at, id) order, read
            # page by page from the index (keyset, no sort, no OFFSET).
            models.Index(fields=["office", "status", "submitted_at", "id"], name="registration_queue_idx"),
            models.Index(fields=["status", "valid_until"], name="registration_expiry_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_editable(self) -> bool:
        from registrations.constants import EDITABLE_STATUSES

        return self.status in EDITABLE_STATUSES

    @property
    def filed_on_behalf(self) -> bool:
        return self.filed_by_id != self.enrollee_id or bool(self.agent_name)


class RegistrationDocument(PublicIdModel):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document kind"), max_length=40)
    file = models.FileField(
        _("file"), storage=get_private_storage, upload_to=PrivateUploadTo("registrations"), max_length=200
    )
    original_name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        _("review"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    review_reason = models.CharField(_("reason"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["kind", "created_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")


class RegistrationEvent(AppendOnlyModel):
    """One step of a registration's history: who, when, what, why. Never edited."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=24, choices=EventAction.choices)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("history")

    def __str__(self):
        return f"{self.registration_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
