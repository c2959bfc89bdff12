import functools
import json

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
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
    """Public: what applies to a case — reduction, validity, catalogue, deadlines, materials.

    A quote is a pure function of the question, the rules and the day, so answers are kept in
    process as rendered JSON, keyed by the policy version, the day, the language and the question.
    A change of the rules bumps the version: no stale answer is ever served.
    """

    permission_classes = [AllowAny]

    @extend_schema(request=serializers.QuoteInputSerializer, responses=serializers.QuoteOutputSerializer)
    def post(self, request):
        question = request.data
        if isinstance(question, dict) and len(question) <= MAX_QUESTION_FIELDS:
            canonical = json.dumps(question, sort_keys=True, ensure_ascii=False, default=str)
            if len(canonical) <= MAX_QUESTION_CHARS:
                version, today = selectors.policy_version(), timezone.localdate()
                body = _quote_body(version, today, get_language(), canonical)
                return HttpResponse(body, content_type="application/json")
        return Response(_quote_payload(question))


MAX_QUESTION_FIELDS, MAX_QUESTION_CHARS = 20, 2_000  # a real question is ~200 characters


def _quote_payload(question) -> dict:
    data = serializers.QuoteInputSerializer(data=question)
    data.is_valid(raise_exception=True)
    return serializers.QuoteOutputSerializer(selectors.quote(**data.validated_data)).data


@functools.lru_cache(maxsize=1024)
def _quote_body(version: str, today, language: str, canonical: str) -> bytes:
    # Errors raise and are not kept: only answers are. The arguments other than `canonical` are
    # the key: the rules' version, the day (quotes without a date answer for today) and language.
    return JSONRenderer().render(_quote_payload(json.loads(canonical)))
