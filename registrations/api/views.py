"""Registrations API (API.md): one thin view per operation.

A view reads its object only through the scoped selectors (another person's case is a 404
there), checks the caller's part in it with the permission classes, hands the validated
input to one service and answers with an output serializer. Errors take the API.md shape
through common.api.exception_handler: ServiceError 400, ConflictError 409, UploadTooLarge 413.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import api as cases_api
from common.api import (
    ERROR_RESPONSES,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    READ_ERROR_RESPONSES,
)
from registrations import selectors, services
from registrations.api import serializers
from registrations.api.permissions import IsEnrolleeToCreate, IsPartyToRegistrationOrReadOnly

REGISTRATION_ID = cases_api.case_id("registration")
CONFLICT = cases_api.conflict("registration")
registration_reader = cases_api.CaseReader(selectors.registration_get, serializers.RegistrationDetailOutputSerializer)


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
        return registration_reader.answer(request, registration.uuid, status_code=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        parameters=[REGISTRATION_ID, IF_NONE_MATCH],
        responses={200: serializers.RegistrationDetailOutputSerializer, **NOT_MODIFIED, **READ_ERROR_RESPONSES},
    )
)
class RegistrationDetailApi(cases_api.CaseDetailApi):
    """One registration with its checklist, documents and history; PATCH edits a draft or returned one."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]
    reader = registration_reader

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=serializers.RegistrationUpdateInputSerializer,
        responses={200: serializers.RegistrationDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def patch(self, request, id):
        registration = registration_reader.case(self, request, id)
        data = serializers.RegistrationUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        # Absent: keep the agent; null: the enrollee files for themselves again.
        agent = (values.pop("agent") or {}) if "agent" in values else None
        services.registration_update(actor=request.user, registration=registration, agent=agent, **values)
        return registration_reader.answer(request, registration.uuid)


@extend_schema_view(
    post=extend_schema(
        parameters=[REGISTRATION_ID],
        request={"multipart/form-data": serializers.DocumentUploadInputSerializer},
        responses={
            201: serializers.DocumentOutputSerializer,
            **ERROR_RESPONSES,
            **CONFLICT,
            **cases_api.UPLOAD_TOO_LARGE,
        },
    )
)
class DocumentUploadApi(cases_api.DocumentUploadApi):
    """Add a document of a checklist kind to a draft or returned filing."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]
    reader = registration_reader
    input_serializer, output_serializer = (
        serializers.DocumentUploadInputSerializer,
        serializers.DocumentOutputSerializer,
    )

    def add(self, *, case, **document):
        return services.document_add(registration=case, **document)


@extend_schema_view(
    get=extend_schema(
        parameters=[REGISTRATION_ID, cases_api.DOCUMENT_ID, cases_api.INLINE],
        responses={**cases_api.FILE_RESPONSES, **READ_ERROR_RESPONSES},
    ),
    delete=extend_schema(
        parameters=[REGISTRATION_ID, cases_api.DOCUMENT_ID], responses={204: None, **ERROR_RESPONSES, **CONFLICT}
    ),
)
class DocumentApi(cases_api.DocumentApi):
    """Download a document (enrollee, filer, staff of the office, admins) or remove it from a draft."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]
    case_field = "registration"
    get_document = staticmethod(selectors.document_get)

    def remove(self, *, actor, document):
        services.document_remove(actor=actor, document=document)


class RegistrationSubmitApi(APIView):
    """Send a complete draft (or a corrected returned filing) for review; some types are approved at once."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=None,
        responses={200: serializers.RegistrationDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        registration = registration_reader.case(self, request, id)
        services.registration_submit(actor=request.user, registration=registration)
        return registration_reader.answer(request, registration.uuid)


class RegistrationCancelApi(APIView):
    """Cancel a pending or active registration from a date (today by default, never in the past)."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=serializers.CancelInputSerializer,
        responses={200: serializers.RegistrationDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        registration = registration_reader.case(self, request, id)
        data = serializers.CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.registration_cancel(
            actor=request.user,
            registration=registration,
            effective_date=data.validated_data.get("effective_date"),
            reason=data.validated_data["reason"],
        )
        return registration_reader.answer(request, registration.uuid)


class RegistrationChangeApi(APIView):
    """File a change of an approved registration: a successor draft that supersedes it once approved."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=serializers.RegistrationChangeInputSerializer,
        responses={201: serializers.RegistrationDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        registration = registration_reader.case(self, request, id)
        data = serializers.RegistrationChangeInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        successor = services.registration_change(actor=request.user, registration=registration, **data.validated_data)
        return registration_reader.answer(request, successor.uuid, status_code=status.HTTP_201_CREATED)


class RegistrationCommitmentApi(APIView):
    """Accept the personal commitment letter (个人承诺书) where the rules take it instead of proofs."""

    permission_classes = [IsAuthenticated, IsPartyToRegistrationOrReadOnly]

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=None,
        responses={200: serializers.RegistrationDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        registration = registration_reader.case(self, request, id)
        services.commitment_accept(actor=request.user, registration=registration)
        return registration_reader.answer(request, registration.uuid)
