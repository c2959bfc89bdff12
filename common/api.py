"""API plumbing shared by every app: the error shape of API.md.

Every error body is {"detail": "<one sentence>", "errors": {"<field>": ["<message>", ...]}},
with messages in the language of the request (Accept-Language, zh-hans by default).
"""

import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.errors import ServiceError


def _as_lists(detail):
    """DRF error details → plain strings, keeping the nesting of lists and dicts."""
    if isinstance(detail, dict):
        return {key: _as_lists(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_as_lists(item) for item in detail]
    return str(detail)


def _validation_body(detail) -> dict:
    errors = _as_lists(detail)
    if isinstance(errors, list):
        errors = {"non_field_errors": errors}
    non_field = errors.get("non_field_errors") or []
    if errors.keys() == {"non_field_errors"} and non_field and isinstance(non_field[0], str):
        return {"detail": non_field[0], "errors": {}}
    return {"detail": _("Please correct the fields marked below."), "errors": errors}


def exception_handler(exc, context):
    if isinstance(exc, ServiceError):
        errors = {
            field: [str(m) for m in (msgs if isinstance(msgs, list) else [msgs])] for field, msgs in exc.errors.items()
        }
        return Response({"detail": str(exc.message), "errors": errors}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: let Django's 500 handling log it
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc.detail)
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
        response.data = {"detail": str(detail), "errors": {}}
    return response


class ErrorOutputSerializer(serializers.Serializer):
    """The error shape of API.md, for the schema (exception_handler above writes it)."""

    detail = serializers.CharField(help_text="one sentence, in the language of Accept-Language")
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


# extend_schema(responses=...) entries shared by every API view.
ERROR_RESPONSES = {code: ErrorOutputSerializer for code in (400, 401, 403, 404)}
READ_ERROR_RESPONSES = {code: schema for code, schema in ERROR_RESPONSES.items() if code != 400}


def path_uuid(value) -> uuid.UUID:
    """A malformed id names nothing: 404 like any other unknown id (not a 400 about UUIDs)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise exceptions.NotFound from None


class FileContentNegotiation(DefaultContentNegotiation):
    """A download is a file whatever the client's Accept says; errors still render as JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
