from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from policy import selectors
from policy.api import serializers


class RegistrationTypeListApi(APIView):
    """Public: the registration types a jurisdiction offers on a date, with what each must bring."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[serializers.RegistrationTypeQuerySerializer],
        responses=serializers.RegistrationTypeOutputSerializer(many=True),
    )
    def get(self, request):
        query = serializers.RegistrationTypeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        _, types = selectors.registration_type_list(
            query.validated_data["jurisdiction"], query.validated_data.get("on")
        )
        return Response(serializers.RegistrationTypeOutputSerializer(types, many=True).data)


class QuoteApi(APIView):
    """Public: what applies to a case — reduction, validity, catalogue, deadlines, materials."""

    permission_classes = [AllowAny]

    @extend_schema(request=serializers.QuoteInputSerializer, responses=serializers.QuoteOutputSerializer)
    def post(self, request):
        data = serializers.QuoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = selectors.quote(**data.validated_data)
        return Response(serializers.QuoteOutputSerializer(answer).data)
