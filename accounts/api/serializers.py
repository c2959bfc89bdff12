from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.validators import no_control_characters
from policy.constants import Scheme


class SignupInputSerializer(serializers.Serializer):
    national_id = serializers.CharField(max_length=18)
    name = serializers.CharField(max_length=64, validators=[no_control_characters])
    phone = serializers.CharField(max_length=20)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    jurisdiction = serializers.CharField(help_text="jurisdiction code, e.g. nantong")
    office = serializers.CharField(help_text="office code, e.g. rudong")
    scheme = serializers.ChoiceField(choices=Scheme.choices)
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class TokenInputSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="national ID number or mobile number")
    password = serializers.CharField(style={"input_type": "password"})
    otp = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="staff and admins: the authenticator app's code"
    )


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class MeOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    name = serializers.CharField(source="get_full_name")
    national_id = serializers.CharField(source="national_id_masked")
    phone = serializers.CharField(allow_null=True)
    email = serializers.EmailField(allow_blank=True)
    role = serializers.CharField()
    scheme = serializers.CharField(allow_blank=True)
    jurisdiction = serializers.CharField(source="jurisdiction.code", allow_null=True)
    office = serializers.CharField(source="office.code", allow_null=True, help_text="the enrollee's insured office")
    offices = serializers.SerializerMethodField(help_text="offices a staff member works for")
    preferred_language = serializers.CharField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_offices(self, user) -> list[str]:
        return [office.code for office in user.offices.all()]
