from rest_framework import serializers

from offices.constants import InstitutionLevel
from policy.constants import CareScope, ClaimKind, SpecialDisease, Treatment


class DocumentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class AlternativeSerializer(DocumentSerializer):
    documents = DocumentSerializer(many=True, help_text="all of these together make up the alternative")


class MaterialSerializer(DocumentSerializer):
    alternatives = AlternativeSerializer(many=True, help_text="any one alternative satisfies the material")


class RegistrationTypeQuerySerializer(serializers.Serializer):
    jurisdiction = serializers.CharField(help_text="jurisdiction code, e.g. nantong")
    on = serializers.DateField(required=False, help_text="date the rules apply to; today by default")


class RegistrationTypeOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    category = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    description_zh = serializers.CharField()
    description_en = serializers.CharField()
    validity_rule = serializers.CharField()
    validity_months = serializers.IntegerField(allow_null=True)
    reduction_points = serializers.IntegerField()
    filing_required = serializers.BooleanField()
    review_required = serializers.BooleanField()
    required_materials = MaterialSerializer(many=True)
    channels = serializers.ListField(child=serializers.CharField())


class QuoteInputSerializer(serializers.Serializer):
    jurisdiction = serializers.CharField()
    registration_type = serializers.CharField()
    on_date = serializers.DateField(required=False)
    care_scope = serializers.ChoiceField(choices=CareScope.choices)
    care_province = serializers.CharField(required=False, allow_blank=True, default="")
    proof_valid_until = serializers.DateField(required=False, allow_null=True)
    expense_date = serializers.DateField(required=False, allow_null=True)
    special_disease = serializers.ChoiceField(choices=SpecialDisease.choices, required=False, allow_null=True)
    institution_level = serializers.ChoiceField(choices=InstitutionLevel.choices, required=False, allow_null=True)
    institution_dialysis_qualified = serializers.BooleanField(required=False, allow_null=True, default=None)
    claim_kind = serializers.ChoiceField(choices=ClaimKind.choices, required=False, allow_null=True)
    treatment = serializers.ChoiceField(choices=Treatment.choices, required=False, allow_null=True)
    agent = serializers.BooleanField(required=False, default=False, help_text="filed by an agent (代办)")


class RulesetRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    effective_from = serializers.DateField()
    source = serializers.CharField()


class TypeRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    category = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


class ValiditySerializer(serializers.Serializer):
    starts = serializers.DateField()
    ends = serializers.DateField(allow_null=True)
    rule = serializers.CharField()


class SpecialDiseaseAnswerSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()
    reason = serializers.CharField()


class InstitutionLookupSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField()


class QuoteOutputSerializer(serializers.Serializer):
    jurisdiction = serializers.CharField()
    ruleset = RulesetRefSerializer()
    registration_type = TypeRefSerializer()
    reduction_points = serializers.IntegerField()
    validity = ValiditySerializer()
    filing_required = serializers.BooleanField()
    review_required = serializers.BooleanField()
    channels = serializers.ListField(child=serializers.CharField())
    mail_forms = serializers.CharField(help_text="paper forms a filing by mail needs")
    catalogue = serializers.CharField()
    institution_lookup = InstitutionLookupSerializer(allow_null=True)
    direct_settlement = serializers.ListField(child=serializers.CharField())
    claim_deadline = serializers.DateField(allow_null=True)
    claim_deadline_extended = serializers.DateField(allow_null=True)
    required_materials = MaterialSerializer(many=True)
    claim_materials = MaterialSerializer(many=True, required=False)
    special_disease = SpecialDiseaseAnswerSerializer(allow_null=True)
