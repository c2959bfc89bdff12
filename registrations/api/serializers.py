"""Input and output shapes of the registrations API (API.md: extend, never rename).

Input serializers only check types and refuse fields nobody may write through the API;
every rule about what may be filed lives in registrations.services.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import api as cases_api
from common.api import ErrorOutputSerializer  # noqa: F401 - re-exported for the views
from common.validators import no_control_characters
from offices.constants import InstitutionLevel
from policy.constants import CareScope, Channel, SpecialDisease
from registrations import selectors

# Set by services and staff only: a request naming one is refused, never silently applied.
PRIVILEGED_FIELDS = frozenset(
    {
        "id",
        "uuid",
        "number",
        "status",
        "category",
        "jurisdiction",
        "office",
        "enrollee",
        "filed_by",
        "reviewer",
        "decided_by",
        "valid_from",
        "valid_until",
        "validity",
        "reduction_points",
        "ruleset_id",
        "submitted_at",
        "decided_at",
        "return_reasons",
        "commitment_accepted_at",
        "supersedes",
        "successor",
        "cancel_effective_date",
        "documents",
        "history",
    }
)


class StrictInputSerializer(cases_api.StrictInputSerializer):
    privileged_fields = PRIVILEGED_FIELDS


# --- Input --------------------------------------------------------------------------------


class AgentInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64, validators=[no_control_characters])
    national_id = serializers.CharField(max_length=18, help_text="the agent's resident identity number")
    relationship = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")


class RegistrationDetailsInputSerializer(StrictInputSerializer):
    """The facts an enrollee files; the rules that judge them are in the services."""

    registration_type = serializers.CharField(max_length=40, help_text="e.g. referral, long_term_resident")
    care_scope = serializers.ChoiceField(choices=CareScope.choices)
    care_province = serializers.CharField(max_length=32)
    care_city = serializers.CharField(max_length=32, required=False, allow_blank=True)
    start_date = serializers.DateField()
    proof_valid_until = serializers.DateField(required=False, allow_null=True)
    referral_hospital = serializers.CharField(max_length=100, required=False, allow_blank=True)
    referral_hospital_level = serializers.ChoiceField(choices=InstitutionLevel.choices, required=False, allow_null=True)
    special_disease = serializers.ChoiceField(choices=SpecialDisease.choices, required=False, allow_blank=True)
    designated_institution = serializers.CharField(max_length=100, required=False, allow_blank=True)
    designated_institution_level = serializers.ChoiceField(
        choices=InstitutionLevel.choices, required=False, allow_null=True
    )
    designated_institution_dialysis = serializers.BooleanField(required=False, allow_null=True)
    contact_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    contact_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)


class RegistrationCreateInputSerializer(RegistrationDetailsInputSerializer):
    agent = AgentInputSerializer(required=False, allow_null=True, help_text="when someone files for the enrollee")


class RegistrationUpdateInputSerializer(RegistrationCreateInputSerializer):
    """PATCH: any subset of the filed facts; `agent: null` removes the agent."""


class RegistrationChangeInputSerializer(RegistrationDetailsInputSerializer):
    """The facts that change; the rest is copied from the approved registration."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if not attrs:
            raise serializers.ValidationError(_("Say what changes: give at least one field."))
        return attrs


class CancelInputSerializer(StrictInputSerializer):
    effective_date = serializers.DateField(required=False, allow_null=True, help_text="today by default")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class DocumentUploadInputSerializer(StrictInputSerializer):
    kind = serializers.CharField(max_length=40, help_text="a document kind of the registration's checklist")
    # Empty files and the size limit are judged by common.uploads, with its messages and 413.
    file = serializers.FileField(allow_empty_file=True, help_text="PDF, JPEG or PNG by content, at most 10 MiB")


# --- Output -------------------------------------------------------------------------------


class ValidityOutputSerializer(serializers.Serializer):
    starts = serializers.DateField(source="valid_from", allow_null=True)
    ends = serializers.DateField(source="valid_until", allow_null=True, help_text="null when open-ended")


class EnrolleeOutputSerializer(cases_api.PersonOutputSerializer):
    national_id = serializers.CharField(source="national_id_masked", help_text="masked, e.g. 3206**********1234")


class AgentOutputSerializer(serializers.Serializer):
    name = serializers.CharField(source="agent_name")
    national_id = serializers.CharField(source="agent_id_masked", help_text="masked")
    relationship = serializers.CharField(source="agent_relationship")


class DocumentOutputSerializer(cases_api.DocumentFieldsMixin):
    status = serializers.CharField(help_text="pending, accepted or rejected")
    review_reason = serializers.CharField()
    url_name, case_field = "api-registration-document", "registration"


class RegistrationListOutputSerializer(cases_api.CaseFieldsMixin):
    registration_type = serializers.CharField()
    category = serializers.CharField()
    care_scope = serializers.CharField()
    care_province = serializers.CharField()
    care_city = serializers.CharField()
    start_date = serializers.DateField()
    validity = ValidityOutputSerializer(source="*")
    on_behalf = serializers.BooleanField(source="filed_on_behalf")


class RegistrationDetailOutputSerializer(cases_api.CaseDetailFieldsMixin):
    """One registration as its enrollee (or the office) sees it.

    Expects an instance from selectors.registration_get (documents and history prefetched).
    """

    case_selectors = selectors

    registration_type = serializers.CharField()
    category = serializers.CharField()
    care_scope = serializers.CharField()
    care_province = serializers.CharField()
    care_city = serializers.CharField()
    start_date = serializers.DateField()
    proof_valid_until = serializers.DateField(allow_null=True)
    referral_hospital = serializers.CharField()
    referral_hospital_level = serializers.IntegerField(allow_null=True)
    special_disease = serializers.CharField()
    designated_institution = serializers.CharField()
    designated_institution_level = serializers.IntegerField(allow_null=True)
    designated_institution_dialysis = serializers.BooleanField(allow_null=True)
    contact_phone = serializers.CharField()
    contact_address = serializers.CharField()
    channel = serializers.CharField()
    reduction_points = serializers.IntegerField(allow_null=True, help_text="set on submission: 0, 10 or 20")
    validity = ValidityOutputSerializer(source="*", help_text="set on approval")
    cancel_effective_date = serializers.DateField(allow_null=True)
    on_behalf = serializers.BooleanField(source="filed_on_behalf")
    agent = serializers.SerializerMethodField()
    enrollee = EnrolleeOutputSerializer()
    commitment_accepted_at = serializers.DateTimeField(allow_null=True)
    documents = DocumentOutputSerializer(many=True)
    supersedes = serializers.CharField(source="supersedes.number", allow_null=True, help_text="number or null")
    successor = serializers.SerializerMethodField(help_text="number or null")

    @extend_schema_field(AgentOutputSerializer(allow_null=True))
    def get_agent(self, registration):
        return AgentOutputSerializer(registration).data if registration.agent_name else None

    def get_successor(self, registration) -> str | None:
        successor = selectors.successor_of(registration)
        return successor.number if successor else None
