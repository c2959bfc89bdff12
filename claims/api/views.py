"""Claims API (API.md): one thin view per operation.

A view reads its object only through the scoped queries of claims.api.access (another
person's claim is a 404 there), checks the caller's part in it with the permission
classes, hands the validated input to one service and answers with an output serializer.
Errors take the API.md shape through common.api.exception_handler: ServiceError 400,
ConflictError 409, UploadTooLarge 413.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import selectors, services
from claims.api import serializers
from claims.api.permissions import IsEnrolleeToCreate, IsPartyToClaimOrReadOnly
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
from common.errors import ServiceError
from registrations.selectors import registrations_visible_to

CLAIM_ID = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the claim's id (a UUID, never its number)"
)
EXPENSE_ID = OpenApiParameter("expense_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the invoice's id")
DOCUMENT_ID = OpenApiParameter("document_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the document's id")
CONFLICT = {409: OpenApiResponse(ErrorOutputSerializer, description="the claim's state forbids it")}


def _claim(view, request, claim_id):
    claim = selectors.claim_get(request.user, path_uuid(claim_id))
    view.check_object_permissions(request, claim)
    return claim


def _detail(request, claim_uuid, *, status_code=status.HTTP_200_OK) -> Response:
    """Re-read through the scoped query so the answer shows the state after the service ran."""
    claim = selectors.claim_get(request.user, claim_uuid)
    return Response(serializers.ClaimDetailOutputSerializer(claim, context={"request": request}).data, status_code)


def _expense_values(values: dict) -> dict:
    return {**values, "institution_level": int(values["institution_level"])}


# --- Enrollees ----------------------------------------------------------------------------


class ClaimListCreateApi(APIView):
    """The caller's own claims (as enrollee or as filer); enrollees file new drafts with their invoices."""

    permission_classes = [IsAuthenticated, IsEnrolleeToCreate]

    @extend_schema(responses={200: serializers.ClaimListOutputSerializer(many=True), 401: ERROR_RESPONSES[401]})
    def get(self, request):
        claims = selectors.claim_list_for_user(request.user)
        return Response(serializers.ClaimListOutputSerializer(claims, many=True).data)

    @extend_schema(
        request=serializers.ClaimCreateInputSerializer,
        responses={
            201: serializers.ClaimDetailOutputSerializer,
            400: ERROR_RESPONSES[400],
            401: ERROR_RESPONSES[401],
            403: ERROR_RESPONSES[403],
        },
    )
    def post(self, request):
        data = serializers.ClaimCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        registration = None
        if values.get("registration"):
            registration = registrations_visible_to(request.user).filter(uuid=values["registration"]).first()
            if registration is None:
                raise ValidationError({"registration": [_("No such registration of yours.")]})
        expenses = values.pop("expenses")
        expense_errors = [{} for _expense in expenses]
        try:
            # All or nothing: one refused invoice leaves no draft behind.
            with transaction.atomic():
                claim = services.claim_create(
                    actor=request.user,
                    enrollee=request.user,
                    claim_kind=values["claim_kind"],
                    treatment=values["treatment"],
                    registration=registration,
                    emergency=values["emergency"],
                )
                for index, expense in enumerate(expenses):
                    try:
                        services.expense_add(actor=request.user, claim=claim, **_expense_values(expense))
                    except ServiceError as error:
                        expense_errors[index] = error.errors or {"non_field_errors": [str(error.message)]}
                        raise
                if values.get("special_case_reason"):
                    services.claim_update(
                        actor=request.user, claim=claim, special_case_reason=values["special_case_reason"]
                    )
        except ServiceError:
            if any(expense_errors):
                raise ValidationError({"expenses": expense_errors}) from None
            raise
        return _detail(request, claim.uuid, status_code=status.HTTP_201_CREATED)


class ClaimDetailApi(ConditionalGetMixin, APIView):
    """One claim with its invoices, deadlines, estimate, checklist, documents and history."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]

    @extend_schema(
        parameters=[CLAIM_ID, IF_NONE_MATCH],
        responses={200: serializers.ClaimDetailOutputSerializer, **NOT_MODIFIED, **READ_ERROR_RESPONSES},
    )
    def get(self, request, id):
        claim = _claim(self, request, id)
        return Response(serializers.ClaimDetailOutputSerializer(claim, context={"request": request}).data)

    @extend_schema(
        parameters=[CLAIM_ID],
        request=serializers.ClaimUpdateInputSerializer,
        responses={200: serializers.ClaimDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def patch(self, request, id):
        claim = _claim(self, request, id)
        data = serializers.ClaimUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.claim_update(actor=request.user, claim=claim, **data.validated_data)
        return _detail(request, claim.uuid)


class ExpenseAddApi(APIView):
    """Add one invoice to a draft or returned claim."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]

    @extend_schema(
        parameters=[CLAIM_ID],
        request=serializers.ExpenseAddInputSerializer,
        responses={201: serializers.ClaimDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        claim = _claim(self, request, id)
        data = serializers.ExpenseAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.expense_add(actor=request.user, claim=claim, **_expense_values(data.validated_data))
        return _detail(request, claim.uuid, status_code=status.HTTP_201_CREATED)


class ExpenseApi(APIView):
    """Remove an invoice from a draft or returned claim."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]

    @extend_schema(parameters=[CLAIM_ID, EXPENSE_ID], responses={204: None, **ERROR_RESPONSES, **CONFLICT})
    def delete(self, request, id, expense_id):
        expense = selectors.expense_get(request.user, path_uuid(id), expense_id)
        self.check_object_permissions(request, expense.claim)
        services.expense_remove(actor=request.user, expense=expense)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentUploadApi(APIView):
    """Add a document of a checklist kind to a draft or returned claim."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        parameters=[CLAIM_ID],
        request={"multipart/form-data": serializers.ClaimDocumentUploadInputSerializer},
        responses={
            201: serializers.ClaimDocumentOutputSerializer,
            **ERROR_RESPONSES,
            **CONFLICT,
            413: OpenApiResponse(ErrorOutputSerializer, description="the file is over 10 MiB"),
        },
    )
    def post(self, request, id):
        claim = _claim(self, request, id)
        data = serializers.ClaimDocumentUploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.claim_document_add(
            actor=request.user, claim=claim, kind=data.validated_data["kind"], uploaded_file=data.validated_data["file"]
        )
        return Response(serializers.ClaimDocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED)


class ClaimDocumentApi(APIView):
    """Download one of the claim's documents (enrollee, filer, staff of the office, admins)."""

    permission_classes = [IsAuthenticated]
    content_negotiation_class = FileContentNegotiation

    @extend_schema(
        parameters=[
            CLAIM_ID,
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
        document = selectors.document_get(request.user, path_uuid(id), path_uuid(document_id))
        return document_response(
            document,
            viewer=request.user,
            case_number=document.claim.number,
            inline=request.query_params.get("inline") in ("1", "true"),
        )


class ClaimSubmitApi(APIView):
    """Send a complete claim within its window to the office; after 31 December with a reason."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]

    @extend_schema(
        parameters=[CLAIM_ID],
        request=serializers.ClaimSubmitInputSerializer,
        responses={200: serializers.ClaimDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        claim = _claim(self, request, id)
        data = serializers.ClaimSubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.claim_submit(
            actor=request.user, claim=claim, special_case_reason=data.validated_data.get("special_case_reason")
        )
        return _detail(request, claim.uuid)
