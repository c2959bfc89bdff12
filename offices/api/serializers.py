from rest_framework import serializers

from offices.models import Jurisdiction, Office, OfficePhone


class JurisdictionOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Jurisdiction
        fields = ["code", "name_zh", "name_en", "hotlines", "source", "effective_from"]


class OfficePhoneOutputSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = OfficePhone
        fields = ["number", "label", "label_zh", "label_en"]


class OfficeOutputSerializer(serializers.ModelSerializer):
    jurisdiction = serializers.SlugRelatedField(slug_field="code", read_only=True)
    phones = OfficePhoneOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Office
        fields = ["code", "jurisdiction", "name_zh", "name_en", "phones", "mailing_address", "office_address"]
