"""The rules as data: one RuleSet per jurisdiction and period, edited by admins with history.

Everything a case is judged by hangs off a RuleSet, so a new version of a city's rules is a
new RuleSet with a later `effective_from`, and cases keep the rules of their own date.
The code that applies these rows is in policy/rules.py (pure) and policy/selectors.py.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.models import TimeStampedModel
from offices.constants import InstitutionLevel
from offices.models import Jurisdiction
from policy.constants import (
    CareScope,
    Catalogue,
    Category,
    Channel,
    ClaimKind,
    MaterialPurpose,
    Scheme,
    SettlementService,
    Situation,
    SpecialDisease,
    Treatment,
    ValidityRule,
)

SOURCE_REF_HELP = _("The sentence of the source document this row comes from.")


def _month_day_valid(month, day) -> bool:
    try:
        datetime.date(2000, month, day)  # a leap year: 29 February is a valid day
    except (TypeError, ValueError):
        return False
    return True


class RuleSet(TimeStampedModel):
    jurisdiction = models.ForeignKey(
        Jurisdiction, verbose_name=_("jurisdiction"), on_delete=models.PROTECT, related_name="rulesets"
    )
    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to (inclusive)"), null=True, blank=True)
    source = models.CharField(_("source document"), max_length=200)
    source_ref = models.CharField(_("source reference"), max_length=300, blank=True, help_text=SOURCE_REF_HELP)

    # Claim window: costs of a year are claimed by deadline (month/day of the expense year),
    # in special cases by the extension (month/day, `extension_year_offset` years later).
    # Empty when the source states no window.
    claim_deadline_month = models.PositiveSmallIntegerField(_("claim deadline month"), null=True, blank=True)
    claim_deadline_day = models.PositiveSmallIntegerField(_("claim deadline day"), null=True, blank=True)
    claim_extension_month = models.PositiveSmallIntegerField(_("extended deadline month"), null=True, blank=True)
    claim_extension_day = models.PositiveSmallIntegerField(_("extended deadline day"), null=True, blank=True)
    claim_extension_year_offset = models.PositiveSmallIntegerField(_("extended deadline: years after"), default=1)
    claim_window_source_ref = models.CharField(_("claim window source"), max_length=300, blank=True)
    # A new version is a draft until an admin publishes it: drafts judge no case and answer no
    # quote, but the admin can preview a quote under them (policy.admin).
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction__code", "-effective_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [
            models.UniqueConstraint(fields=["jurisdiction", "effective_from"], name="ruleset_unique_start"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="ruleset_end_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            errors["effective_to"] = _("The end date must not be before the start date.")
        if self.jurisdiction_id and self.effective_from:
            overlapping = self.overlapping().first()
            if overlapping:
                errors["effective_from"] = _(
                    "This period overlaps “%(other)s” (%(start)s – %(end)s): end that version first "
                    "(set its “effective to”) or start this one later."
                ) % {
                    "other": overlapping.name,
                    "start": overlapping.effective_from,
                    "end": overlapping.effective_to or _("open-ended"),
                }
        for prefix in ("claim_deadline", "claim_extension"):
            month, day = getattr(self, f"{prefix}_month"), getattr(self, f"{prefix}_day")
            if (month is None) != (day is None) or (month is not None and not _month_day_valid(month, day)):
                errors[f"{prefix}_day"] = _("Give a valid month and day, or leave both empty.")
        if self.claim_extension_month and not self.claim_deadline_month:
            errors["claim_extension_month"] = _("An extension needs a deadline to extend.")
        elif self.claim_extension_month and "claim_deadline_day" not in errors and "claim_extension_day" not in errors:
            # Compared in a leap year, the extension must come after the deadline.
            deadline = datetime.date(2000, self.claim_deadline_month, self.claim_deadline_day)
            extended = (
                datetime.date(
                    2000 + self.claim_extension_year_offset, self.claim_extension_month, self.claim_extension_day
                )
                if _month_day_valid(self.claim_extension_month, self.claim_extension_day)
                else None
            )
            if extended is not None and extended <= deadline:
                errors["claim_extension_month"] = _("The extended deadline must come after the deadline.")
        if errors:
            raise ValidationError(errors)

    def overlapping(self):
        """Versions whose periods collide with this one.

        An open end means "until the next version starts", so a new version with a later
        start never collides with an open-ended older one; explicit ends must not reach
        into the next version, and two versions never start on the same day.
        """
        others = RuleSet.objects.filter(jurisdiction_id=self.jurisdiction_id).exclude(pk=self.pk)
        collides = Q(effective_from=self.effective_from) | Q(
            effective_from__lt=self.effective_from, effective_to__gte=self.effective_from
        )
        if self.effective_to:
            collides |= Q(effective_from__gt=self.effective_from, effective_from__lte=self.effective_to)
        return others.filter(collides).order_by("effective_from")


class RegistrationType(models.Model):
    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="registration_types")
    code = models.SlugField(_("code"), max_length=40)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60)
    name_en = models.CharField(_("name (English)"), max_length=80)
    description_zh = models.TextField(_("who it is for (Chinese)"), blank=True)
    description_en = models.TextField(_("who it is for (English)"), blank=True)
    validity_rule = models.CharField(_("validity rule"), max_length=16, choices=ValidityRule.choices)
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    reduction_points = models.PositiveSmallIntegerField(
        _("benefit reduction (percentage points)"), validators=[MaxValueValidator(100)]
    )
    filing_required = models.BooleanField(
        _("must be filed"), default=True, help_text=_("Off when the case counts as registered (emergency).")
    )
    review_required = models.BooleanField(
        _("needs staff review"), default=True, help_text=_("Off when a complete filing takes effect at once.")
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    mail_forms = models.CharField(
        _("forms to mail"), max_length=200, blank=True, help_text=_("The paper forms a filing by mail needs.")
    )
    referrer_min_level = models.PositiveSmallIntegerField(
        _("referring hospital: minimum level"), choices=InstitutionLevel.choices, null=True, blank=True
    )
    referrer_needs_referral_rights = models.BooleanField(
        _("referring hospital must have referral rights"), default=False
    )
    # What the portal does with a type is said here, not by its code: a jurisdiction whose codes
    # differ from Nantong's is then served by rows alone.
    wizard_situation = models.CharField(
        _("wizard answer"),
        max_length=24,
        choices=Situation.choices,
        blank=True,
        help_text=_(
            "The answer to “Which describes you best?” in the wizard that recommends this type; empty: no "
            "answer does. One type per answer in a rule set. The type of the answer about a hospital referral "
            "is also the one the “treated without registering” guide files for a referred person, and the one "
            "other temporary types are compared with."
        ),
    )
    rescue_default = models.BooleanField(
        _("filed for care without registering"),
        default=False,
        help_text=_(
            "What the “treated without registering” guide files for someone neither referred nor treated in "
            "an emergency (其他临时外出就医). At most one type per rule set; with none, the guide asks the "
            "person to call the office."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    source_ref = models.CharField(_("source reference"), max_length=300, help_text=SOURCE_REF_HELP)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ruleset", "position", "code"]
        verbose_name = _("registration type")
        verbose_name_plural = _("registration types")
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "code"], name="registration_type_unique_code"),
            models.UniqueConstraint(
                fields=["ruleset", "wizard_situation"],
                condition=~Q(wizard_situation=""),
                name="registration_type_unique_situation",
                violation_error_message=_("Another type of this rule set already answers this wizard situation."),
            ),
            models.UniqueConstraint(
                fields=["ruleset"],
                condition=Q(rescue_default=True),
                name="registration_type_one_rescue_default",
                violation_error_message=_(
                    "Another type of this rule set is already filed for care without registering."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name_zh} ({self.code})"

    def clean(self):
        errors = {}
        if self.validity_rule == ValidityRule.FIXED_MONTHS and not self.validity_months:
            errors["validity_months"] = _("A fixed-months validity needs the number of months.")
        if self.validity_rule != ValidityRule.FIXED_MONTHS and self.validity_months:
            errors["validity_months"] = _("Only a fixed-months validity has a number of months.")
        if self.rescue_default and not self.filing_required:
            errors["rescue_default"] = _("The guide files this type, so it must be one that is filed.")
        unknown = sorted(set(self.channels or []) - set(Channel.values))
        if unknown:
            errors["channels"] = _("Unknown channels: %(codes)s. Use: %(known)s.") % {
                "codes": ", ".join(map(str, unknown)),
                "known": ", ".join(Channel.values),
            }
        if errors:
            raise ValidationError(errors)


class DocumentKind(models.Model):
    """A kind of document people upload (居住证, 转诊转院证明, invoice…), shared by all rule sets."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=120)
    accepted_in_portal = models.BooleanField(
        _("accepted in the portal"),
        default=False,
        help_text=_(
            "A letter the person reads and accepts on the registration's page instead of uploading it "
            "(个人承诺书): the portal prints its template and records when it was accepted."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")

    def __str__(self):
        return f"{self.name_zh} ({self.code})"


class MaterialGroup(models.Model):
    """One thing that must be brought; any one of its options satisfies it.

    All groups that apply to a case are required (all-of); each option lists the document
    kinds that together make it up, e.g. 户口簿首页 AND 常住人口登记卡.
    """

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="material_groups")
    purpose = models.CharField(_("purpose"), max_length=16, choices=MaterialPurpose.choices)
    registration_type = models.ForeignKey(
        RegistrationType,
        verbose_name=_("registration type"),
        on_delete=models.CASCADE,
        related_name="material_groups",
        null=True,
        blank=True,
    )
    claim_kind = models.CharField(_("claim kind"), max_length=16, choices=ClaimKind.choices, blank=True)
    treatments = models.JSONField(
        _("only for treatments"), default=list, blank=True, help_text=_("Empty: applies to every treatment.")
    )
    when_agent = models.BooleanField(_("only when filed by an agent"), default=False)
    sets_validity = models.BooleanField(
        _("the registration ends with this proof"),
        default=False,
        help_text=_(
            "For a type valid as long as its proof (南通: 与提交的证明材料有效期一致): the group of proofs whose "
            "expiry date the person gives when filing, and with which the registration ends. At most one group "
            "per registration type."
        ),
    )
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    source_ref = models.CharField(_("source reference"), max_length=300, help_text=SOURCE_REF_HELP)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ruleset", "purpose", "position", "id"]
        verbose_name = _("material group")
        verbose_name_plural = _("material groups")
        constraints = [
            models.UniqueConstraint(
                fields=["registration_type"],
                condition=Q(sets_validity=True),
                name="material_group_one_validity_proof",
                violation_error_message=_("Another group of this registration type already ends the registration."),
            )
        ]

    def __str__(self):
        return f"{self.name_zh} ({self.code})"

    def clean(self):
        errors = {}
        if self.purpose == MaterialPurpose.REGISTRATION:
            if not self.registration_type_id:
                errors["registration_type"] = _("A registration material belongs to a registration type.")
            elif self.registration_type.ruleset_id != self.ruleset_id:
                errors["registration_type"] = _("The registration type belongs to another rule set.")
            if self.claim_kind or self.treatments:
                errors["claim_kind"] = _("Claim kind and treatments are for claim materials only.")
            if (
                self.sets_validity
                and self.registration_type_id
                and self.registration_type.validity_rule != ValidityRule.PROOF_EXPIRY
            ):
                errors["sets_validity"] = _("Only a type valid as long as its proof ends with a proof's expiry.")
        if self.sets_validity and (self.purpose != MaterialPurpose.REGISTRATION or self.when_agent):
            errors["sets_validity"] = _("Only the person's own registration proof can end the registration.")
        if self.purpose == MaterialPurpose.CLAIM:
            if self.registration_type_id:
                errors["registration_type"] = _("A claim material has no registration type.")
            if not self.claim_kind:
                errors["claim_kind"] = _("A claim material needs its claim kind.")
        unknown = sorted(set(self.treatments or []) - set(Treatment.values))
        if unknown:
            errors["treatments"] = _("Unknown treatments: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
        if errors:
            raise ValidationError(errors)


class MaterialOption(models.Model):
    group = models.ForeignKey(MaterialGroup, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=120)
    document_kinds = models.ManyToManyField(DocumentKind, verbose_name=_("documents (all needed)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    history = HistoricalRecords(m2m_fields=[document_kinds])

    class Meta:
        ordering = ["group", "position", "id"]
        verbose_name = _("material option")
        verbose_name_plural = _("material options")

    def __str__(self):
        return f"{self.name_zh} ({self.code})"


class CatalogueRule(models.Model):
    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="catalogue_rules")
    care_scope = models.CharField(_("care scope"), max_length=16, choices=CareScope.choices)
    catalogue = models.CharField(_("catalogue"), max_length=20, choices=Catalogue.choices)
    institution_lookup_name = models.CharField(
        _("where to look up designated institutions"), max_length=100, blank=True
    )
    institution_lookup_url = models.URLField(_("look-up address"), blank=True)
    source_ref = models.CharField(_("source reference"), max_length=300, help_text=SOURCE_REF_HELP)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("catalogue rule")
        verbose_name_plural = _("catalogue rules")
        constraints = [models.UniqueConstraint(fields=["ruleset", "care_scope"], name="catalogue_rule_unique")]

    def __str__(self):
        return f"{self.care_scope} → {self.catalogue}"


class SettlementScope(models.Model):
    """A service settled directly with the card, for a care scope (and optionally one province)."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="settlement_scopes")
    care_scope = models.CharField(
        _("care scope"), max_length=16, choices=CareScope.choices, blank=True, help_text=_("Empty: both.")
    )
    care_province = models.CharField(
        _("only in province"), max_length=32, blank=True, help_text=_("e.g. 上海市; empty: every province.")
    )
    service = models.CharField(_("service"), max_length=32, choices=SettlementService.choices)
    source_ref = models.CharField(_("source reference"), max_length=300, help_text=SOURCE_REF_HELP)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ruleset", "id"]
        verbose_name = _("direct-settlement scope")
        verbose_name_plural = _("direct-settlement scopes")

    def __str__(self):
        return f"{self.care_scope or '*'} {self.care_province or ''} {self.service}".strip()


class SpecialDiseaseRule(models.Model):
    """Which single designated institution a special-disease patient may choose (南通 Q5)."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="special_disease_rules")
    disease = models.CharField(_("disease"), max_length=32, choices=SpecialDisease.choices)
    min_level = models.PositiveSmallIntegerField(
        _("minimum institution level"), choices=InstitutionLevel.choices, null=True, blank=True
    )
    requires_dialysis_qualification = models.BooleanField(_("institution must be qualified for dialysis"))
    source_ref = models.CharField(_("source reference"), max_length=300, help_text=SOURCE_REF_HELP)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("special-disease rule")
        verbose_name_plural = _("special-disease rules")
        constraints = [models.UniqueConstraint(fields=["ruleset", "disease"], name="special_disease_unique")]

    def __str__(self):
        return self.get_disease_display()


class BenefitRow(models.Model):
    """Deductible, base ratio and annual cap of the insured region. Admins fill these in from
    official figures; the seeds give none, so none ship."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="benefit_rows")
    scheme = models.CharField(_("scheme"), max_length=16, choices=Scheme.choices)
    institution_level = models.PositiveSmallIntegerField(_("institution level"), choices=InstitutionLevel.choices)
    deductible = models.DecimalField(
        _("deductible (yuan)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    base_ratio = models.DecimalField(
        _("base ratio (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    annual_cap = models.DecimalField(
        _("annual cap (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    source_ref = models.CharField(_("source reference"), max_length=300, help_text=SOURCE_REF_HELP)
    history = HistoricalRecords()

    class Meta:
        ordering = ["ruleset", "scheme", "institution_level"]
        verbose_name = _("benefit row")
        verbose_name_plural = _("benefit table")
        constraints = [
            models.UniqueConstraint(fields=["ruleset", "scheme", "institution_level"], name="benefit_row_unique")
        ]

    def __str__(self):
        return f"{self.get_scheme_display()} L{self.institution_level}"


class PolicyVersion(models.Model):
    """One row: the version of the rules as a whole, replaced in the same transaction as every change
    of a policy row (policy.signals). Each process keeps its rule-set snapshots and its public quote
    answers under it (policy.selectors), so a change reaches every process without a shared cache.

    A random token, not a counter: a change that is rolled back leaves behind a token that never
    becomes current, so whatever its own transaction built from the rolled-back rows is never used.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="policy_version_single_row")]

    def __str__(self):
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M})"
