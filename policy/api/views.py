import functools
import json
import logging

from django.conf import settings
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

    def dispatch(self, request, *args, **kwargs):
        # In the last week of December a whole city asks the same few questions. An anonymous
        # question already answered is served here, before DRF builds its request: the per-client
        # limit is counted as on DRF's path (common.throttling), and the bytes are those of
        # the answer kept below. Anything else — a caller with a session or token, a limit reached,
        # a body that is not a JSON object, a question not seen yet — takes DRF's full path.
        try:
            answer = self._kept_answer(request)
        except Exception:  # whatever fails here fails again, and is answered, on DRF's path
            logger.warning("The quote's fast path failed; DRF answers instead", exc_info=True)
            answer = None
        return answer if answer is not None else super().dispatch(request, *args, **kwargs)

    def _kept_answer(self, request) -> HttpResponse | None:
        if not (request.method == "POST" and request.content_type == "application/json" and _anonymous(request)):
            return None
        if request.headers.get("Accept", "*/*").split(";")[0].strip() not in JSON_ACCEPTED:
            return None  # content negotiation is DRF's: it answers 406 or picks a renderer
        try:
            canonical = _canonical(json.loads(request.body))
        except ValueError:
            return None
        key = (selectors.policy_version(), timezone.localdate(), get_language(), canonical)
        if canonical is None or key not in _kept_keys:
            return None
        # Counted only now, so a question that goes on to DRF is counted once, there; one that
        # is refused here is counted again there, which changes nothing: it is over the limit.
        if not all(throttle.allow_request(request, self) for throttle in self.get_throttles()):
            return None
        response = HttpResponse(_quote_body(*key), content_type="application/json")
        response["Allow"] = ", ".join(self.allowed_methods)
        return response

    @extend_schema(request=serializers.QuoteInputSerializer, responses=serializers.QuoteOutputSerializer)
    def post(self, request):
        question = request.data
        canonical = _canonical(question)
        if canonical is not None:
            key = (selectors.policy_version(), timezone.localdate(), get_language(), canonical)
            body = _quote_body(*key)
            _kept_keys.add(key)
            if len(_kept_keys) > 2 * MAX_KEPT:  # the answers' own cache forgets the oldest
                _kept_keys.clear()
            return HttpResponse(body, content_type="application/json")
        return Response(_quote_payload(question))


logger = logging.getLogger(__name__)
JSON_ACCEPTED = ("*/*", "application/*", "application/json")
MAX_QUESTION_FIELDS, MAX_QUESTION_CHARS = 20, 2_000  # a real question is ~200 characters
MAX_KEPT = 1024
_kept_keys: set = set()  # the questions answered (not refused) in this process


def _anonymous(request) -> bool:
    """No session, no token (nor the test client's forced user): DRF would find nobody either."""
    return not (
        "HTTP_AUTHORIZATION" in request.META
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or getattr(request, "_force_auth_user", None) is not None
    )


def _canonical(question) -> str | None:
    """The question as a key, or None for one too odd to keep."""
    if not isinstance(question, dict) or len(question) > MAX_QUESTION_FIELDS:
        return None
    canonical = json.dumps(question, sort_keys=True, ensure_ascii=False, default=str)
    return canonical if len(canonical) <= MAX_QUESTION_CHARS else None


def _quote_payload(question) -> dict:
    data = serializers.QuoteInputSerializer(data=question)
    data.is_valid(raise_exception=True)
    return serializers.QuoteOutputSerializer(selectors.quote(**data.validated_data)).data


@functools.lru_cache(maxsize=MAX_KEPT)
def _quote_body(version: str, today, language: str, canonical: str) -> bytes:
    # Errors raise and are not kept: only answers are. The arguments other than `canonical` are
    # the key: the rules' version, the day (quotes without a date answer for today) and language.
    return JSONRenderer().render(_quote_payload(json.loads(canonical)))
