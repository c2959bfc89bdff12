"""Forms of the enrollee's registration pages.

They only shape and check input; whether the rules allow it is the services' answer
(registrations.services), whose field errors cases.forms.add_service_error puts back on the fields.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts import national_id
from common.translations import localized
from common.validators import no_control_characters
from common.widgets import DateInput
from offices.constants import InstitutionLevel
from policy import rules
from policy.constants import PROVINCES, CareScope, SpecialDisease, ValidityRule
from registrations.constants import DETAIL_FIELDS, SERVICE_ERRORS_ON_FORMS


def proof_group(groups) -> rules.MaterialGroupRule | None:
    """The group of proofs a proof-expiry type's validity follows (居住证, 户口簿, 派出凭证…), as the
    rule data marks it (MaterialGroup.sets_validity); None when it marks none."""
    return next((group for group in groups if group.sets_validity), None)


class RegistrationDetailsForm(forms.Form):
    """The details of a filing, for one registration type and its rule set.

    mode "create": a new draft; "edit": a draft or returned filing (the agent's identity
    number may be left empty to keep the one on file); "change": the new care region of an
    approved registration (no agent, no choice of proof: the successor asks for documents).
    """

    care_province = forms.ChoiceField(label=_("Province where you live or will be treated"))
    care_city = forms.CharField(
        label=_("City"),
        max_length=32,
        required=False,
        help_text=_("The city or county, if you know it."),
    )
    start_date = forms.DateField(
        label=_("Start date"),
        widget=DateInput,
        help_text=_("From when you need care there; at most a year before or after today."),
    )
    proof_option = forms.ChoiceField(label=_("The proof you will provide"), widget=forms.RadioSelect)
    proof_valid_until = forms.DateField(
        label=_("The proof is valid until"),
        required=False,
        widget=DateInput,
        help_text=_(
            "The expiry date printed on the proof, e.g. on a residence permit (居住证). Your registration ends "
            "with it. Leave empty if the proof does not expire (household register, commitment letter)."
        ),
    )
    referral_hospital = forms.CharField(
        label=_("Referring hospital"),
        max_length=100,
        help_text=_("The local designated hospital that issues your referral certificate (转诊转院证明)."),
    )
    referral_hospital_level = forms.TypedChoiceField(
        label=_("Level of the referring hospital"), coerce=int, empty_value=None
    )
    special_disease = forms.ChoiceField(
        label=_("Special disease treated there"),
        required=False,
        help_text=_(
            "Only for outpatient treatment of these diseases: you must name one designated institution, and "
            "costs before this registration or at other institutions get no special-disease benefit."
        ),
    )
    designated_institution = forms.CharField(label=_("The one designated institution"), max_length=100, required=False)
    designated_institution_level = forms.TypedChoiceField(
        label=_("Level of the designated institution"), coerce=int, empty_value=None, required=False
    )
    designated_institution_dialysis = forms.TypedChoiceField(
        label=_("Qualified for dialysis"),
        choices=[("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_address = forms.CharField(
        label=_("Your address there"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    on_behalf = forms.BooleanField(
        label=_("I am filing for someone else (代办)"),
        required=False,
        help_text=_(
            "Tick this if you use the insured person's account on their behalf. Give your own name and identity "
            "number below: the office will also ask for a copy of your identity card."
        ),
    )
    agent_name = forms.CharField(
        label=_("Your name (the agent)"),
        max_length=64,
        validators=[no_control_characters],
        required=False,
        help_text=_("Needed when you file for someone else."),
    )
    agent_national_id = forms.CharField(
        label=_("Your identity number (the agent)"),
        max_length=18,
        required=False,
        help_text=_("Needed when you file for someone else."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    agent_relationship = forms.CharField(
        label=_("Your relationship to the insured person"),
        max_length=32,
        required=False,
        help_text=_("For example: son, daughter, spouse."),
    )

    AGENT_FIELDS = ("on_behalf", "agent_name", "agent_national_id", "agent_relationship")
    service_fields = SERVICE_ERRORS_ON_FORMS

    def __init__(
        self, *args, type_rule, ruleset, home_province: str, mode: str = "create", registration=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.type_rule, self.ruleset, self.home_province = type_rule, ruleset, home_province
        self.mode, self.registration = mode, registration

        self.fields["care_province"].choices = [("", _("Choose a province"))] + [(p, p) for p in PROVINCES]
        self.fields["care_province"].help_text = _(
            "In %(province)s: in-province care, Jiangsu's unified drug and treatment lists apply. Any other "
            "province: cross-province care, the lists of the place of care apply."
        ) % {"province": home_province}
        self.fields["care_province"].widget.attrs.update(
            {
                "data-home-province": home_province,
                "data-in-province-label": format_lazy("{}: {}", _("Care scope"), CareScope.IN_PROVINCE.label),
                "data-cross-province-label": format_lazy("{}: {}", _("Care scope"), CareScope.CROSS_PROVINCE.label),
            }
        )

        self.proof_group = None
        if type_rule.validity_rule == ValidityRule.PROOF_EXPIRY:
            self.proof_group = proof_group(rules.registration_materials(ruleset, type_rule.code))
        if self.proof_group and mode != "change":
            self.fields["proof_option"].choices = [(o.code, localized(o)) for o in self.proof_group.options]
            self.fields["proof_option"].help_text = _(
                "Any one of these counts as “%(group)s”. You upload it (or accept the letter) on the next page."
            ) % {"group": localized(self.proof_group)}
        else:
            del self.fields["proof_option"]
        if type_rule.validity_rule != ValidityRule.PROOF_EXPIRY:
            del self.fields["proof_valid_until"]

        if self.is_referral:
            self.fields["referral_hospital_level"].choices = [("", _("Choose a level"))] + list(
                InstitutionLevel.choices
            )
            if type_rule.referrer_min_level:
                self.fields["referral_hospital_level"].help_text = _(
                    "Referrals must come from a designated hospital of level %(min)s or higher."
                ) % {"min": type_rule.referrer_min_level}
        else:
            del self.fields["referral_hospital"], self.fields["referral_hospital_level"]

        # Only where the rule set designates institutions for special diseases (南通 Q5).
        if ruleset.special_diseases:
            self.fields["special_disease"].choices = [("", _("None"))] + [
                (code, SpecialDisease(code).label if code in SpecialDisease.values else code)
                for code in ruleset.special_diseases
            ]
            self.fields["designated_institution_level"].choices = [("", _("Not known"))] + list(
                InstitutionLevel.choices
            )
        else:
            for name in (
                "special_disease",
                "designated_institution",
                "designated_institution_level",
                "designated_institution_dialysis",
            ):
                del self.fields[name]

        if mode == "change":
            for name in self.AGENT_FIELDS:
                del self.fields[name]
        elif mode == "edit" and registration is not None and registration.agent_id_masked:
            self.fields["agent_national_id"].help_text = _("Leave empty to keep the number on file (%(masked)s).") % {
                "masked": registration.agent_id_masked
            }

    @property
    def is_referral(self) -> bool:
        return bool(self.type_rule.referrer_min_level or self.type_rule.referrer_needs_referral_rights)

    @classmethod
    def initial_for(cls, registration) -> dict:
        """The form's values for an existing registration (edit, change)."""
        names = (*DETAIL_FIELDS, "agent_name", "agent_relationship")
        initial = {name: getattr(registration, name) for name in names}
        dialysis = registration.designated_institution_dialysis
        initial["designated_institution_dialysis"] = "" if dialysis is None else ("yes" if dialysis else "no")
        initial["on_behalf"] = bool(registration.agent_name)
        return initial

    def infer_proof_option(self, provided_kinds) -> None:
        """On edit, the proof the documents on file point to (the choice itself is not stored)."""
        if "proof_option" not in self.fields or self.is_bound:
            return
        for option in self.proof_group.options:
            if {d.code for d in option.documents} & set(provided_kinds):
                self.initial["proof_option"] = option.code
                return

    def clean_agent_national_id(self):
        value = self.cleaned_data.get("agent_national_id", "")
        if not value or not self.data.get("on_behalf"):
            return value
        return national_id.validate(value)

    def clean(self):
        data = super().clean()
        disease = data.get("special_disease")
        if disease:
            rule = self.ruleset.special_diseases.get(disease)
            if not data.get("designated_institution"):
                self.add_error(
                    "designated_institution", _("Name the one designated institution for the special disease.")
                )
            if rule and rule.min_level and data.get("designated_institution_level") is None:
                self.add_error("designated_institution_level", _("Give the level of the designated institution."))
            if rule and rule.requires_dialysis_qualification and data.get("designated_institution_dialysis") is None:
                self.add_error(
                    "designated_institution_dialysis", _("Say whether the institution is qualified for dialysis.")
                )
        if data.get("on_behalf"):
            self._clean_agent(data)
        return data

    def _clean_agent(self, data) -> None:
        if not (data.get("agent_name") or "").strip():
            self.add_error("agent_name", _("Give your name as the agent."))
        if "agent_national_id" in self.errors or data.get("agent_national_id"):
            return
        registration = self.registration
        keeps_agent = (
            self.mode == "edit"
            and registration is not None
            and registration.agent_name
            and data.get("agent_name", "").strip() == registration.agent_name
            and data.get("agent_relationship", "").strip() == registration.agent_relationship
        )
        if not keeps_agent:
            self.add_error("agent_national_id", _("Give your identity number as the agent."))

    def agent(self) -> dict | None:
        """The service's `agent` argument: a dict to set, {} to clear, None to keep as it is."""
        data = self.cleaned_data
        if "on_behalf" not in self.fields:
            return None
        if not data.get("on_behalf"):
            return {}
        if not data.get("agent_national_id"):
            return None  # edit, same agent: the number on file stays
        return {
            "name": data["agent_name"],
            "national_id": data["agent_national_id"],
            "relationship": data.get("agent_relationship", ""),
        }

    def details(self) -> dict:
        """The registration fields for registration_create / _update / _change."""
        data = self.cleaned_data
        details = {
            "care_province": data["care_province"],
            "care_scope": rules.care_scope_for(data["care_province"], self.home_province),
            "care_city": data.get("care_city", "").strip(),
            "start_date": data["start_date"],
            "contact_phone": data.get("contact_phone", "").strip(),
            "contact_address": data.get("contact_address", "").strip(),
        }
        if "proof_valid_until" in self.fields:
            details["proof_valid_until"] = data.get("proof_valid_until")
        if "referral_hospital" in self.fields:
            details["referral_hospital"] = data["referral_hospital"].strip()
            details["referral_hospital_level"] = data.get("referral_hospital_level")
        if "special_disease" in self.fields:
            disease = data.get("special_disease") or ""
            details.update(
                special_disease=disease,
                designated_institution=data.get("designated_institution", "").strip() if disease else "",
                designated_institution_level=data.get("designated_institution_level") if disease else None,
                designated_institution_dialysis=data.get("designated_institution_dialysis") if disease else None,
            )
        return details


class CommitmentForm(forms.Form):
    accept = forms.BooleanField(label=_("I have read the commitment letter and accept it"))


class CancelForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Cancel from"),
        widget=DateInput,
        help_text=_("Today or later. From this date on, care elsewhere is no longer settled directly."),
    )
    reason = forms.CharField(
        label=_("Why are you cancelling?"),
        required=False,
        max_length=300,
        help_text=_("For example: I moved back, or the treatment is over."),
    )

    def clean_effective_date(self):
        day = self.cleaned_data["effective_date"]
        if day < timezone.localdate():
            raise ValidationError(_("Choose today or later."))
        return day


class StatusCheckForm(forms.Form):
    number = forms.CharField(
        label=_("Registration number"),
        max_length=20,
        help_text=_("It starts with BA, e.g. BA20260510123456."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    id_last4 = forms.CharField(
        label=_("Last 4 characters of the insured person's identity number"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
