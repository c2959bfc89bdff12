"""Forms of the staff side: the review queue's filters, the review and the walk-in filing.

They check input shapes only; the rules (what a type needs, who may decide) stay in
registrations.services, whose ServiceError the views map back onto these fields.
"""

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import national_id
from cases.constants import Decision, queue_statuses
from cases.forms import money_field
from common.translations import localized
from common.validators import no_control_characters
from common.widgets import DateInput
from offices.constants import InstitutionLevel
from policy.constants import PROVINCES, Channel, Scheme, SpecialDisease
from registrations.constants import DETAIL_FIELDS, SERVICE_ERRORS_ON_FORMS, RegistrationStatus
from review.models import ReasonTemplate

# Ways staff take a filing in on paper (DOMAIN.md “Channels”); online ones are the enrollee's.
STAFF_CHANNELS = (Channel.WINDOW, Channel.MAIL, Channel.HOSPITAL, Channel.SERVICE_STATION)


def _any(label=None):
    return [("", label or _("Any"))]


class QueueFilterForm(forms.Form):
    """GET filters of /review/; every field optional so a bad one never hides the queue."""

    status = forms.ChoiceField(label=_("Status"), choices=queue_statuses(RegistrationStatus), required=False)
    type = forms.ChoiceField(label=_("Registration type"), required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=_any() + list(Channel.choices), required=False)
    office = forms.ChoiceField(label=_("Office"), required=False)
    age = forms.IntegerField(
        label=_("Waiting at least (working days)"),
        min_value=0,
        max_value=260,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, offices, type_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = _any() + [(office.code, office.name) for office in offices]
        self.fields["type"].choices = _any() + list(type_choices)

    def clean_after(self):
        """The keyset cursor `<submitted_at ISO 8601>,<id>` of the last row of the previous page."""
        value = self.cleaned_data["after"]
        if not value:
            return None
        stamp, _sep, pk = value.rpartition(",")
        try:
            submitted_at = datetime.datetime.fromisoformat(stamp)
            pk = int(pk)
        except ValueError:
            raise forms.ValidationError(_("This page link is broken: start again from the first page.")) from None
        if timezone.is_naive(submitted_at):
            raise forms.ValidationError(_("This page link is broken: start again from the first page."))
        return submitted_at, pk


def reason_text(template, language: str) -> str:
    """Standard reasons are stored in the words the enrollee reads (their preferred language)."""
    return template.text_en if language == "en" and template.text_en else template.text_zh


def reason_choices(templates) -> list[tuple[str, str]]:
    return [(template.code, localized(template, "text")) for template in templates]


class DocumentReviewForm(forms.Form):
    """One uploaded document: accepted, or needs replacing and why (a standard text or free text)."""

    ACCEPT, REPLACE = "accept", "replace"

    verdict = forms.ChoiceField(
        label=_("This document"),
        choices=[(ACCEPT, _("Accept")), (REPLACE, _("Needs replacing"))],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.ChoiceField(label=_("Why it needs replacing"), required=False)
    reason_text = forms.CharField(label=_("Or in your own words"), max_length=200, required=False)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {template.code: template for template in templates}
        self.fields["reason"].choices = _any(_("— choose a standard reason —")) + reason_choices(templates)

    def clean(self):
        data = super().clean()
        if data.get("verdict") == self.REPLACE and not (data.get("reason") or data.get("reason_text", "").strip()):
            self.add_error("reason", _("Say why this document needs replacing."))
        return data


class ReasonsForm(forms.Form):
    """Standard reasons (admin-kept), free-text reasons and a note: what a returning or rejecting decision says."""

    reasons = forms.MultipleChoiceField(
        label=_("Standard reasons"), widget=forms.CheckboxSelectMultiple, required=False
    )
    other_reasons = forms.CharField(
        label=_("Other reasons, one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("The enrollee sees the reasons: say what to bring or fix."),
    )
    note = forms.CharField(
        label=_("Note for the file"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500, required=False
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = {template.code: template for template in templates}
        self.fields["reasons"].choices = reason_choices(templates)

    def reason_texts(self, language: str) -> list[str]:
        """The chosen standard reasons in the enrollee's language, then the free-text ones."""
        texts = [reason_text(self.templates[code], language) for code in self.cleaned_data["reasons"]]
        return texts + [line.strip() for line in self.cleaned_data["other_reasons"].splitlines() if line.strip()]


class DecisionForm(ReasonsForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)


class FindEnrolleeForm(forms.Form):
    national_id = forms.CharField(
        label=_("The enrollee's identity number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autofocus": True}),
    )

    def clean_national_id(self):
        return national_id.validate(self.cleaned_data["national_id"])


class NewEnrolleeForm(forms.Form):
    """An account for a walk-in enrollee: no password, they may claim it later by signing up."""

    service_fields = {"jurisdiction": "office"}  # the office chosen decides the insured region

    national_id = forms.CharField(label=_("Identity number"), max_length=18, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Full name, as on the identity card"), max_length=64, validators=[no_control_characters]
    )
    phone = forms.CharField(label=_("Mobile number"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    scheme = forms.ChoiceField(label=_("Insurance scheme"), choices=Scheme.choices, widget=forms.RadioSelect)
    office = forms.ChoiceField(label=_("Insured office"))

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.offices = {office.code: office for office in offices}
        self.fields["office"].choices = [(office.code, str(office)) for office in offices]
        if len(offices) == 1:
            self.fields["office"].initial = offices[0].code

    def clean_office(self):
        return self.offices[self.cleaned_data["office"]]


class WalkInForm(forms.Form):
    """The details of a filing taken at the window or by mail, as an enrollee would give them online."""

    registration_type = forms.ChoiceField(label=_("Registration type"), widget=forms.RadioSelect)
    channel = forms.ChoiceField(
        label=_("How it was filed"),
        choices=[(channel.value, channel.label) for channel in STAFF_CHANNELS],
        initial=Channel.WINDOW,
        widget=forms.RadioSelect,
    )
    care_province = forms.ChoiceField(
        label=_("Province of care"), choices=_any(_("— choose —")) + [(p, p) for p in PROVINCES]
    )
    care_city = forms.CharField(label=_("City of care"), max_length=32, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    proof_valid_until = forms.DateField(
        label=_("Proof valid until"),
        widget=DateInput,
        required=False,
        help_text=_("Long-term types only: the expiry of the residence or work proof, if it has one."),
    )
    referral_hospital = forms.CharField(label=_("Referring hospital"), max_length=100, required=False)
    referral_hospital_level = forms.TypedChoiceField(
        label=_("Referring hospital level"),
        choices=_any("—") + list(InstitutionLevel.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    special_disease = forms.ChoiceField(
        label=_("Special disease"), choices=_any(_("None")) + list(SpecialDisease.choices), required=False
    )
    designated_institution = forms.CharField(
        label=_("Designated institution for the special disease"), max_length=100, required=False
    )
    designated_institution_level = forms.TypedChoiceField(
        label=_("Designated institution level"),
        choices=_any("—") + list(InstitutionLevel.choices),
        coerce=int,
        empty_value=None,
        required=False,
    )
    designated_institution_dialysis = forms.NullBooleanField(
        label=_("Designated institution qualified for dialysis"), required=False
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    contact_address = forms.CharField(label=_("Address there"), max_length=200, required=False)
    agent_name = forms.CharField(
        label=_("Agent's name"), max_length=64, required=False, validators=[no_control_characters]
    )
    agent_national_id = forms.CharField(
        label=_("Agent's identity number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    agent_relationship = forms.CharField(label=_("Agent's relationship to the enrollee"), max_length=32, required=False)

    AGENT_FIELDS = ("agent_name", "agent_national_id", "agent_relationship")
    service_fields = SERVICE_ERRORS_ON_FORMS

    def __init__(self, *args, type_rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_rules = {rule.code: rule for rule in type_rules}
        self.fields["registration_type"].choices = [(rule.code, localized(rule)) for rule in type_rules]

    def clean(self):
        data = super().clean()
        rule = self.type_rules.get(data.get("registration_type"))
        channel = data.get("channel")
        # The rules list the ways each type may be filed (南通 Q9): e.g. no service station for a referral.
        if rule and channel and rule.channels and channel not in rule.channels:
            self.add_error(
                "channel",
                _("The rules do not offer filing “%(type)s” this way.") % {"type": localized(rule)},
            )
        if any(data.get(name) for name in self.AGENT_FIELDS):
            if not data.get("agent_name"):
                self.add_error("agent_name", _("Give the agent's name, or leave all agent fields empty."))
            if not data.get("agent_national_id"):
                self.add_error("agent_national_id", _("The agent must show their own identity card."))
        return data

    def agent(self) -> dict | None:
        if not self.cleaned_data.get("agent_name"):
            return None
        return {
            "name": self.cleaned_data["agent_name"],
            "national_id": self.cleaned_data["agent_national_id"],
            "relationship": self.cleaned_data["agent_relationship"],
        }

    def details(self) -> dict:
        """Keyword arguments of services.registration_create, less actor, enrollee and care scope."""
        data = self.cleaned_data
        return {
            "registration_type": data["registration_type"],
            "channel": data["channel"],
            **{name: data[name] for name in DETAIL_FIELDS},
        }


class PaperDocumentForm(forms.Form):
    """One scanned paper document, uploaded by staff (one file per request: the size limit)."""

    kind = forms.ChoiceField(label=_("Document"))
    file = forms.FileField(
        label=_("Scan or photo (PDF, JPEG or PNG, up to 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(kinds)


# --- Claims ------------------------------------------------------------------------------


class ExpenseReviewForm(forms.Form):
    """One invoice under review: the approved policy-scope amount, and why if it differs."""

    approved_policy_amount = money_field(_("Approved policy amount (yuan)"))
    adjust_reason = forms.CharField(label=_("Why adjusted"), max_length=200, required=False)

    def __init__(self, *args, expense, **kwargs):
        kwargs.setdefault("prefix", f"expense-{expense.pk}")
        kwargs.setdefault("initial", {"approved_policy_amount": expense.policy_amount})
        super().__init__(*args, **kwargs)
        self.expense = expense
        # Each invoice's fields say which invoice they are for (screen readers, the error summary).
        self.fields["approved_policy_amount"].label = _("Approved policy amount of invoice %(invoice)s (yuan)") % {
            "invoice": expense.invoice_no
        }
        self.fields["adjust_reason"].label = _("Why invoice %(invoice)s was adjusted") % {"invoice": expense.invoice_no}

    def clean(self):
        data = super().clean()
        amount = data.get("approved_policy_amount")
        if amount is not None and amount > self.expense.policy_amount:
            self.add_error("approved_policy_amount", _("It cannot be more than the policy-scope amount claimed."))
        elif amount is not None and amount != self.expense.policy_amount and not data.get("adjust_reason"):
            self.add_error("adjust_reason", _("Say why the amount was adjusted."))
        return data


class ClaimDecisionForm(DecisionForm):
    """The registration decision, plus the late-claim reason's verdict and the fund payment."""

    service_fields = {"special_case_accept": "special_case"}

    special_case = forms.ChoiceField(
        label=_("Late-claim reason"),
        choices=[("accept", _("Accept the reason")), ("refuse", _("Refuse the reason"))],
        widget=forms.RadioSelect,
        required=False,
    )
    approved_amount = forms.DecimalField(
        label=_("Fund payment (yuan)"),
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to pay what the benefit table gives; required where there is no table."),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )

    def __init__(self, *args, templates, special_case_pending: bool = False, **kwargs):
        super().__init__(*args, templates=templates, **kwargs)
        if not special_case_pending:
            del self.fields["special_case"]


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the file"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500, required=False
    )


def active_reason_templates(applies_to=ReasonTemplate.AppliesTo.REGISTRATION):
    """Standard reasons for registrations (or claims), in the admins' order."""
    return list(
        ReasonTemplate.objects.filter(active=True, applies_to__in=[applies_to, ReasonTemplate.AppliesTo.BOTH]).order_by(
            "position", "code"
        )
    )
