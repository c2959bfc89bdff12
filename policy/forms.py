import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.widgets import DateInput
from offices import selectors as office_selectors
from policy.constants import CareScope, Situation

# Input sanity, not policy: dates the rule functions can add a year to and still print.
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)


class WizardForm(forms.Form):
    """“Which registration do I need?” — a GET form, so an answer is a shareable link."""

    jurisdiction = forms.ChoiceField(label=_("Where are you insured?"), widget=forms.RadioSelect)
    situation = forms.ChoiceField(
        label=_("Which describes you best?"), choices=Situation.choices, widget=forms.RadioSelect
    )
    care_scope = forms.ChoiceField(
        label=_("Where will you get care?"), choices=CareScope.choices, widget=forms.RadioSelect
    )
    on = forms.DateField(
        label=_("Date of care (optional)"),
        required=False,
        widget=DateInput,
        help_text=_("Leave it empty for today. The rules in force on this date apply."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.jurisdictions = {j.code: j for j in office_selectors.jurisdiction_list()}
        self.fields["jurisdiction"].choices = [(code, j.name) for code, j in self.jurisdictions.items()]

    def clean_jurisdiction(self):
        return self.jurisdictions[self.cleaned_data["jurisdiction"]]

    def clean_on(self):
        on = self.cleaned_data["on"] or timezone.localdate()
        if not EARLIEST <= on <= LATEST:
            raise forms.ValidationError(
                _("Give a date between %(earliest)s and %(latest)s."),
                code="out_of_range",
                params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            )
        return on


class ChangesForm(forms.Form):
    """Two versions of one jurisdiction's rules (the view fills in the two newest by default)."""

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(v.id, f"{v.name} ({v.effective_from.isoformat()})") for v in reversed(versions)]
        self.fields["from"] = forms.TypedChoiceField(label=_("From version"), choices=choices, coerce=int)
        self.fields["to"] = forms.TypedChoiceField(label=_("To version"), choices=choices, coerce=int)
