from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from common.validators import no_control_characters
from offices.models import Jurisdiction, Office
from policy.constants import Scheme


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's says the user name may be case-sensitive: here it is an ID or mobile number.
        "invalid_login": _(
            "The identity number or mobile number, or the password, is not right. Check them and try again."
        ),
    }
    username = forms.CharField(
        label=_("Identity number or mobile number"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class JurisdictionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, jurisdiction):
        return jurisdiction.name  # in the active language


class OfficeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, office):
        return f"{office.jurisdiction.name} · {office.name}"


class SignupForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=64,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    national_id = forms.CharField(
        label=_("Identity number (18 characters)"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    scheme = forms.ChoiceField(label=_("Insurance scheme"), choices=Scheme.choices, widget=forms.RadioSelect)
    jurisdiction = JurisdictionChoiceField(
        label=_("Insured region"), queryset=Jurisdiction.objects.all(), to_field_name="code", empty_label=None
    )
    office = OfficeChoiceField(
        label=_("Insured office (district)"),
        queryset=Office.objects.select_related("jurisdiction"),
        to_field_name="code",
        help_text=_("The office of the district where you pay your premiums."),
    )
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )


class SecondFactorForm(forms.Form):
    otp = forms.CharField(
        label=_("6-digit code from the authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )
