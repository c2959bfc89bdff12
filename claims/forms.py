"""Forms of the claim pages. They shape and check input; the rules are the services' answer."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import money_field
from common.widgets import DateInput
from offices.constants import InstitutionLevel
from policy.constants import PROVINCES, ClaimKind, Treatment

# How the claim's care was covered: a chosen registration (its uuid), found from the dates, or emergency.
FIND_REGISTRATION, EMERGENCY = "find", "emergency"


def _yes_no(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )


def _treatment_field():
    return forms.ChoiceField(
        label=_("Treatment"),
        choices=[("", _("None of these"))] + list(Treatment.choices),
        required=False,
        help_text=_("Some treatments need more documents, e.g. radiotherapy needs its record sheet."),
    )


class ClaimStartForm(forms.Form):
    claim_kind = forms.ChoiceField(label=_("Kind of care"), choices=ClaimKind.choices, widget=forms.RadioSelect)
    treatment = _treatment_field()
    coverage = forms.ChoiceField(label=_("Registration"), widget=forms.RadioSelect)

    def __init__(self, *args, registrations=(), registration_label=str, **kwargs):
        super().__init__(*args, **kwargs)
        self.registrations = {str(r.uuid): r for r in registrations}
        self.fields["coverage"].choices = [
            (FIND_REGISTRATION, _("Find the registration in force on the invoice dates")),
            *[(key, registration_label(r)) for key, r in self.registrations.items()],
            (EMERGENCY, _("Emergency care (counts as registered)")),
        ]
        self.fields["coverage"].initial = FIND_REGISTRATION

    def registration(self):
        return self.registrations.get(self.cleaned_data["coverage"])

    def emergency(self) -> bool:
        return self.cleaned_data["coverage"] == EMERGENCY


class ExpenseForm(forms.Form):
    invoice_no = forms.CharField(label=_("Invoice number"), max_length=40)
    date = forms.DateField(
        label=_("Date on the invoice"),
        widget=DateInput(attrs={"data-deadline-url": ""}),
        help_text=_("The deadline for claiming it is shown as soon as you enter the date."),
    )
    institution = forms.CharField(label=_("Hospital or pharmacy"), max_length=100)
    institution_level = forms.TypedChoiceField(
        label=_("Its level"), choices=InstitutionLevel.choices, coerce=int, widget=forms.RadioSelect
    )
    province = forms.ChoiceField(label=_("Province"))
    city = forms.CharField(label=_("City"), max_length=32, required=False)
    total_amount = money_field(_("Total paid (yuan)"))
    policy_amount = money_field(
        _("Within the policy scope (yuan)"),
        _("The part of the total the invoice or itemised list shows as within the medical-insurance scope."),
    )

    def __init__(self, *args, deadline_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("Choose a province"))] + [(p, p) for p in PROVINCES]
        self.fields["date"].widget.attrs.update({"data-deadline-url": deadline_url, "max": timezone.localdate()})


class SubmitForm(forms.Form):
    special_case_reason = forms.CharField(
        label=_("Reason for claiming late (special cases only)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
        help_text=_("Only needed after 31 December: the office decides whether it accepts the reason."),
    )


class RescueForm(forms.Form):
    """The rescue path's questions: what happened, not which rule applies (the portal works that out)."""

    treated_on = forms.DateField(label=_("When did the treatment start?"), widget=DateInput)
    claim_kind = forms.ChoiceField(label=_("Kind of care"), choices=ClaimKind.choices, widget=forms.RadioSelect)
    emergency = _yes_no(_("Was it an emergency?"), _("Emergency or rescue care, e.g. after an accident."))
    referred = _yes_no(
        _("Did a hospital of your insured region refer you there?"), _("With a referral certificate (转诊转院).")
    )
    discharged = _yes_no(_("Is the treatment over (for a hospital stay: have you been discharged)?"))
    care_province = forms.ChoiceField(label=_("Province where you were treated"))
    care_city = forms.CharField(label=_("City"), max_length=32, required=False)
    referral_hospital = forms.CharField(label=_("Referring hospital"), max_length=100, required=False)
    referral_hospital_level = forms.TypedChoiceField(
        label=_("Its level"),
        choices=[("", "—"), *InstitutionLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["care_province"].choices = [("", _("Choose a province"))] + [(p, p) for p in PROVINCES]

    def clean_treated_on(self):
        day = self.cleaned_data["treated_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date is in the future."))
        return day

    def clean(self):
        data = super().clean()
        if data.get("referred") and not data.get("emergency") and not data.get("referral_hospital"):
            self.add_error("referral_hospital", _("Name the hospital that referred you."))
        return data
