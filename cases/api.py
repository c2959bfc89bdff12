"""API pieces both kinds of case use: strict input, and the output of people, history, checklists
and documents (API.md: extend, never rename — the class names are the schema's component names)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import ConditionalGetMixin, ErrorOutputSerializer, FileContentNegotiation, path_uuid
from common.downloads import document_response
from policy import selectors as policy
from policy.api.serializers import AlternativeSerializer


def unknown_field_errors(data, allowed, privileged) -> dict:
    """{field: [why]} for each key of `data` that is not in `allowed`: one set by the office, or unknown."""
    if not isinstance(data, dict):
        return {}
    return {
        field: [
            _("This field is set by the office and cannot be written here.")
            if field in privileged
            else _("Unknown field.")
        ]
        for field in sorted(set(data) - set(allowed))
    }


class StrictInputSerializer(serializers.Serializer):
    """Refuses fields it does not declare, so a typo or a privileged field is a 400, not a no-op."""

    # What only services and staff set, so that the refusal says so.
    privileged_fields: frozenset = frozenset()

    def validate(self, attrs):
        errors = unknown_field_errors(getattr(self, "initial_data", {}) or {}, self.fields, self.privileged_fields)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def person_name(user) -> str:
    return user.get_full_name() or user.username


class PersonOutputSerializer(serializers.Serializer):
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return person_name(user)


class HistoryOutputSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField(help_text="null when the system acted")
    reason = serializers.CharField()
    details = serializers.JSONField()

    def get_actor(self, event) -> str | None:
        return person_name(event.actor) if event.actor else None


class ChecklistItemOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    satisfied = serializers.BooleanField()
    alternatives = AlternativeSerializer(many=True, help_text="any one alternative satisfies the item")


class MissingItemOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


# No docstrings on the mixins: the schema would show them as the description of every case.


class CaseFieldsMixin(serializers.Serializer):
    # What every case answers with, in its list and in its detail.
    id = serializers.UUIDField(source="uuid")
    number = serializers.CharField()
    status = serializers.CharField()
    office = serializers.CharField(source="office.code")
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class CaseDetailFieldsMixin(CaseFieldsMixin):
    # The detail of a case: the above with its region, the people, what to fix, `checklist` and
    # `missing` (from the app's selectors' `checklist(case)` and `missing(case)`), the history.
    jurisdiction = serializers.CharField(source="jurisdiction.code")
    filed_by = PersonOutputSerializer()
    return_reasons = serializers.ListField(child=serializers.CharField())
    history = HistoryOutputSerializer(source="events", many=True)

    checklist = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    case_selectors = None  # the case app's selectors module

    @extend_schema_field(ChecklistItemOutputSerializer(many=True))
    def get_checklist(self, case):
        missing = {group.code for group in self.case_selectors.missing(case)}
        groups = self.case_selectors.checklist(case)
        return [
            {**item, "satisfied": group.code not in missing}
            for group, item in zip(groups, policy.material_json(groups), strict=True)
        ]

    @extend_schema_field(MissingItemOutputSerializer(many=True))
    def get_missing(self, case):
        return [
            {"code": group.code, "name_zh": group.name_zh, "name_en": group.name_en}
            for group in self.case_selectors.missing(case)
        ]


class DocumentFieldsMixin(serializers.Serializer):
    # A document of a case; `url_name` is the API route that serves it, `case_field` its case.

    id = serializers.UUIDField(source="uuid")
    kind = serializers.CharField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField(source="created_at")
    download_url = serializers.SerializerMethodField()
    url_name = case_field = ""

    def get_download_url(self, document) -> str:
        case = getattr(document, self.case_field)
        path = reverse(self.url_name, kwargs={"id": case.uuid, "document_id": document.uuid})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


# --- Views both kinds of case serve alike ------------------------------------------------------
# Each app subclasses these with its own selectors, services, serializers and schema
# (extend_schema_view), so both APIs behave the same way and the code is written once.

DOCUMENT_ID = OpenApiParameter("document_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the document's id")
INLINE = OpenApiParameter("inline", OpenApiTypes.BOOL, description="show in the browser instead of downloading")
FILE_RESPONSES = {
    (200, "application/pdf"): OpenApiTypes.BINARY,
    (200, "image/jpeg"): OpenApiTypes.BINARY,
    (200, "image/png"): OpenApiTypes.BINARY,
}
UPLOAD_TOO_LARGE = {413: OpenApiResponse(ErrorOutputSerializer, description="the file is over 10 MiB")}


def case_id(noun: str) -> OpenApiParameter:
    return OpenApiParameter(
        "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=f"the {noun}'s id (a UUID, never its number)"
    )


def conflict(noun: str, why: str = "") -> dict:
    return {409: OpenApiResponse(ErrorOutputSerializer, description=why or f"the {noun}'s state forbids it")}


@dataclass(frozen=True)
class CaseReader:
    """How the API reads one kind of case: its scoped selector (another person's case is a 404
    there) and the detail shape it answers with."""

    get: Callable  # (user, uuid) -> the case, or Http404
    detail_serializer: type

    def case(self, view, request, raw_id):
        """The case the URL names, once the view's permissions allow the caller's part in it."""
        case = self.get(request.user, path_uuid(raw_id))
        view.check_object_permissions(request, case)
        return case

    def answer(self, request, case_uuid, *, status_code=status.HTTP_200_OK) -> Response:
        """The case re-read through the selector, so the answer shows the state after a service ran."""
        case = self.get(request.user, case_uuid)
        return Response(self.detail_serializer(case, context={"request": request}).data, status=status_code)


class CaseDetailApi(ConditionalGetMixin, APIView):
    reader: CaseReader

    def get(self, request, id):
        case = self.reader.case(self, request, id)
        return Response(self.reader.detail_serializer(case, context={"request": request}).data)


class DocumentUploadApi(APIView):
    parser_classes = [MultiPartParser, FormParser]
    reader: CaseReader
    input_serializer: type
    output_serializer: type

    def add(self, *, actor, case, kind, uploaded_file):
        raise NotImplementedError  # the app's service

    def post(self, request, id):
        case = self.reader.case(self, request, id)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = self.add(
            actor=request.user, case=case, kind=data.validated_data["kind"], uploaded_file=data.validated_data["file"]
        )
        return Response(
            self.output_serializer(document, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class DocumentApi(APIView):
    """Download a document (the parties, staff of the office, admins) or remove it from a draft."""

    content_negotiation_class = FileContentNegotiation
    case_field = ""  # the document's case

    def get_document(self, user, case_uuid, document_uuid):
        raise NotImplementedError  # the app's scoped selector

    def remove(self, *, actor, document):
        raise NotImplementedError  # the app's service

    def _document(self, request, id, document_id):
        document = self.get_document(request.user, path_uuid(id), path_uuid(document_id))
        self.check_object_permissions(request, getattr(document, self.case_field))
        return document

    def get(self, request, id, document_id):
        document = self._document(request, id, document_id)
        return document_response(
            document,
            viewer=request.user,
            case_number=getattr(document, self.case_field).number,
            inline=request.query_params.get("inline") in ("1", "true"),
        )

    def delete(self, request, id, document_id):
        self.remove(actor=request.user, document=self._document(request, id, document_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
