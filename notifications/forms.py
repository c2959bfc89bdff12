from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email", "sms"]
        help_texts = {
            "email": _("To the e-mail address of your account."),
            "sms": _("To your mobile number."),
        }
