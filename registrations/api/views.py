"""Registrations API (API.md): one thin view per operation.

A view reads its object only through the scoped selectors (another person's case is a 404
there), checks the caller's part in it with the permission classes, hands the validated
input to one service and answers with an output serializer. Errors take the API.md shape
through common.api.exception_handler: ServiceError 400, ConflictError 409, UploadTooLarge 413.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import (
    ERROR_RESPONSES,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    READ_ERROR_RESPONSES,
    ConditionalGetMixin,
    ErrorOutputSerializer,
    FileContentNegotiation,
    path_uuid,
)
from common.downloads import document_response
from registrations import selectors, services
from registrations.api import serializers
from registrations.api.permissions import IsEnrolleeToCreate, IsPartyToRegistrationOrReadOnly

REGISTRATION_ID = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the registration's id (a UUID, never its number)"
)
DOCUMENT_ID = OpenApiParameter("document_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the document's id")
CONFLICT = {409: OpenApiResponse(ErrorOutputSerializer, description="the registration's state forbids it")}


def _registration(view, request, registration_id):
    registration = selectors.registration_get(request.user, path_uuid(registration_id))
    view.check_object_permissions(request, registration)
    return registration


def _detail(request, registration_uuid, *, status_code=status.HTTP_200_OK) -> Response:
    """Re-read through the selector so the answer shows the state after the service ran."""
    registration = selectors.registration_get(request.user, registration_uuid)
    data = serializers.RegistrationDetailOutputSerializer(registration, context={"request": request}).data
    return Response(data, status=status_code)


# --- Enrollees ----------------------------------------------------------------------------


class RegistrationListCreateApi(APIView):
    """The caller's own registrations (as enrollee or as filer); enrollees file new drafts."""

    permission_classes = [IsAuthenticated, IsEnrolleeToCreate]

    @extend_schema(responses={200: serializers.RegistrationListOutputSerializer(many=True), 401: ERROR_RESPONSES[401]})
    def get(self, request):
        registrations = selectors.registration_list_for_user(request.user)
        return Response(serializers.RegistrationListOutputSerializer(registrations, many=True).data)

    @extend_schema(
        request=serializers.RegistrationCreateInputSerializer,
        responses={
            201: serializers.RegistrationDetailOutputSerializer,
            400: ERROR_RESPONSES[400],
            401: ERROR_RESPONSES[401],
            403: ERROR_RESPONSES[403],
        },
    )
    def post(self, request):
        data = serializers.RegistrationCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        registration = services.registration_create(
            actor=request.user, enrollee=request.user, agent=values.pop("agent", None), **values
        )
        return _detail(request, registration.uuid, status_code=status.HTTP_201_CREATED)


class RegistrationDetailApi(ConditionalGetMixin, APIView):
    """One registration with its checklist, documents and history; PATCH edits a draft or returned one."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]

    @extend_schema(
        parameters=[REGISTRATION_ID, IF_NONE_MATCH],
        responses={200: serializers.RegistrationDetailOutputSerializer, **NOT_MODIFIED, **READ_ERROR_RESPONSES},
    )
    def get(self, request, id):
        registration = _registration(self, request, id)
        return Response(serializers.RegistrationDetailOutputSerializer(registration, context={"request": request}).data)

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=serializers.RegistrationUpdateInputSerializer,
        responses={200: serializers.RegistrationDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def patch(self, request, id):
        registration = _registration(self, request, id)
        data = serializers.RegistrationUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        # Absent: keep the agent; null: the enrollee files for themselves again.
        agent = (values.pop("agent") or {}) if "agent" in values else None
        services.registration_update(actor=request.user, registration=registration, agent=agent, **values)
        return _detail(request, registration.uuid)


class DocumentUploadApi(APIView):
    """Add a document of a checklist kind to a draft or returned filing."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request={"multipart/form-data": serializers.DocumentUploadInputSerializer},
        responses={
            201: serializers.DocumentOutputSerializer,
            **ERROR_RESPONSES,
            **CONFLICT,
            413: OpenApiResponse(ErrorOutputSerializer, description="the file is over 10 MiB"),
        },
    )
    def post(self, request, id):
        registration = _registration(self, request, id)
        data = serializers.DocumentUploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.document_add(
            actor=request.user,
            registration=registration,
            kind=data.validated_data["kind"],
            uploaded_file=data.validated_data["file"],
        )
        return Response(
            serializers.DocumentOutputSerializer(document, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class DocumentApi(APIView):
    """Download a document (enrollee, filer, staff of the office, admins) or remove it from a draft."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]
    content_negotiation_class = FileContentNegotiation

    def _document(self, request, id, document_id):
        document = selectors.document_get(request.user, path_uuid(id), path_uuid(document_id))
        self.check_object_permissions(request, document.registration)
        return document

    @extend_schema(
        parameters=[
            REGISTRATION_ID,
            DOCUMENT_ID,
            OpenApiParameter("inline", OpenApiTypes.BOOL, description="show in the browser instead of downloading"),
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            **READ_ERROR_RESPONSES,
        },
    )
    def get(self, request, id, document_id):
        document = self._document(request, id, document_id)
        return document_response(
            document,
            viewer=request.user,
            case_number=document.registration.number,
            inline=request.query_params.get("inline") in ("1", "true"),
        )

    @extend_schema(parameters=[REGISTRATION_ID, DOCUMENT_ID], responses={204: None, **ERROR_RESPONSES, **CONFLICT})
    def delete(self, request, id, document_id):
        document = self._document(request, id, document_id)
        services.document_remove(actor=request.user, document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegistrationSubmitApi(APIView):
    """Send a complete draft (or a corrected returned filing) for review; some types are approved at once."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=None,
        responses={200: serializers.RegistrationDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        registration = _registration(self, request, id)
        services.registration_submit(actor=request.user, registration=registration)
        return _detail(request, registration.uuid)


class RegistrationCancelApi(APIView):
    """Cancel a pending or active registration from a date (today by default, never in the past)."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=serializers.CancelInputSerializer,
        responses={200: serializers.RegistrationDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        registration = _registration(self, request, id)
        data = serializers.CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.registration_cancel(
            actor=request.user,
            registration=registration,
            effective_date=data.validated_data.get("effective_date"),
            reason=data.validated_data["reason"],
        )
        return _detail(request, registration.uuid)


class RegistrationChangeApi(APIView):
    """File a change of an approved registration: a successor draft that supersedes it once approved."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=serializers.RegistrationChangeInputSerializer,
        responses={201: serializers.RegistrationDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        registration = _registration(self, request, id)
        data = serializers.RegistrationChangeInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        successor = services.registration_change(actor=request.user, registration=registration, **data.validated_data)
        return _detail(request, successor.uuid, status_code=status.HTTP_201_CREATED)


class RegistrationCommitmentApi(APIView):
    """Accept the personal commitment letter (个人承诺书) where the rules take it instead of proofs."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=None,
        responses={200: serializers.RegistrationDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        registration = _registration(self, request, id)
        services.commitment_accept(actor=request.user, registration=registration)
        return _detail(request, registration.uuid)
