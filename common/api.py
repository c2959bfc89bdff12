"""API plumbing shared by every app: the error shape of API.md.

Every error body is {"detail": "<one sentence>", "errors": {"<field>": ["<message>", ...]}},
with messages in the language of the request (Accept-Language, zh-hans by default).
"""

import hashlib
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import CursorPagination
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


def _flatten(errors: dict, prefix: str = "") -> dict:
    """API.md's shape is `{field: [messages]}`: a nested field is named by its path, e.g.
    `expenses.1.invoice_no` for the second invoice's number."""
    flat = {}
    for key, value in errors.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
            flat.update(_flatten({str(index): item for index, item in enumerate(value) if item}, f"{name}."))
        elif value:
            flat[name] = value if isinstance(value, list) else [value]
    return flat


def _validation_body(detail) -> dict:
    errors = _as_lists(detail)
    if isinstance(errors, list):
        errors = {"non_field_errors": errors}
    errors = _flatten(errors)
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


class PortalAutoSchema(AutoSchema):
    """Every operation documents, in the error shape above, the errors any call can meet: a bad or
    expired token (401), not allowed or no CSRF token (403), too many calls (429), a bad query or
    body (400) and an unknown id (404). Views add their own (409, 413) with extend_schema."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    ErrorOutputSerializer, str(code), direction=direction
                )
        return responses

    def _error_codes(self) -> list[int]:
        codes = [403, 429]
        if self.view.authentication_classes:
            codes.append(401)
        if self.method != "GET" or any(parameter["in"] == "query" for parameter in self._get_parameters()):
            codes.append(400)
        if "{" in self.path:
            codes.append(404)
        return codes


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


class ReviewQueuePagination(CursorPagination):
    """Keyset pages over (submitted_at, id): no OFFSET scan, stable while new cases arrive.

    `?ordering=newest` turns it round; a `page_size` that is not a number from 1 to 100, or a
    cursor that was not made here, is a 400.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("submitted_at", "id")

    def get_ordering(self, request, queryset, view):
        return ("-submitted_at", "-id") if request.query_params.get("ordering") == "newest" else self.ordering

    def get_page_size(self, request):
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if len(values) > 1 or not values[-1].isdigit() or not 1 <= int(values[-1]) <= self.max_page_size:
            message = _("page_size is a whole number from 1 to %(most)s.") % {"most": self.max_page_size}
            raise exceptions.ValidationError({self.page_size_query_param: [message]})
        return int(values[-1])

    def decode_cursor(self, request):
        # DRF answers a mangled cursor with 404; it is a bad query, not a missing object.
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            message = _("This page link is not valid: start again from the first page.")
            raise exceptions.ValidationError({self.cursor_query_param: [message]}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters


# extend_schema(parameters=..., responses=...) of a GET that ConditionalGetMixin serves.
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="the ETag of the answer you hold: 304 without a body while it is still the answer",
)
NOT_MODIFIED = {304: OpenApiResponse(description="not modified: the ETag sent in If-None-Match is still the answer's")}


class ConditionalGetMixin:
    """GET answers carry an ETag and answer 304 to a matching If-None-Match.

    The tag is a SHA-256 of the rendered body and the language, made after the view has read its
    object through the scoped selector: another person's case is a 404 before any tag exists, so a
    tag taken from someone else's answer opens nothing. Nothing is kept between requests: each one
    reads and renders, and the tag only spares sending a body the client already holds, so it can
    never vouch for an answer that is out of date.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        tag = hashlib.sha256(get_language().encode() + b"\n" + response.content).hexdigest()
        response.headers["ETag"] = quote_etag(tag)
        patch_vary_headers(response, ("Accept-Language",))
        return get_conditional_response(request, etag=response.headers["ETag"], response=response)
