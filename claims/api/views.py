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
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import api as cases_api
from claims import selectors, services
from claims.api import serializers
from claims.api.permissions import IsEnrolleeToCreate, IsPartyToClaimOrReadOnly
from common.api import (
    ERROR_RESPONSES,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    READ_ERROR_RESPONSES,
    path_uuid,
)
from common.errors import ServiceError
from registrations.selectors import registrations_visible_to

CLAIM_ID = cases_api.case_id("claim")
EXPENSE_ID = OpenApiParameter("expense_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="the invoice's id")
CONFLICT = cases_api.conflict("claim")
claim_reader = cases_api.CaseReader(selectors.claim_get, serializers.ClaimDetailOutputSerializer)


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
        return claim_reader.answer(request, claim.uuid, status_code=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(
        parameters=[CLAIM_ID, IF_NONE_MATCH],
        responses={200: serializers.ClaimDetailOutputSerializer, **NOT_MODIFIED, **READ_ERROR_RESPONSES},
    )
)
class ClaimDetailApi(cases_api.CaseDetailApi):
    """One claim with its invoices, deadlines, estimate, checklist, documents and history."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]
    reader = claim_reader

    @extend_schema(
        parameters=[CLAIM_ID],
        request=serializers.ClaimUpdateInputSerializer,
        responses={200: serializers.ClaimDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def patch(self, request, id):
        claim = claim_reader.case(self, request, id)
        data = serializers.ClaimUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.claim_update(actor=request.user, claim=claim, **data.validated_data)
        return claim_reader.answer(request, claim.uuid)


class ExpenseAddApi(APIView):
    """Add one invoice to a draft or returned claim."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]

    @extend_schema(
        parameters=[CLAIM_ID],
        request=serializers.ExpenseAddInputSerializer,
        responses={201: serializers.ClaimDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        claim = claim_reader.case(self, request, id)
        data = serializers.ExpenseAddInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.expense_add(actor=request.user, claim=claim, **_expense_values(data.validated_data))
        return claim_reader.answer(request, claim.uuid, status_code=status.HTTP_201_CREATED)


class ExpenseApi(APIView):
    """Remove an invoice from a draft or returned claim."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]

    @extend_schema(parameters=[CLAIM_ID, EXPENSE_ID], responses={204: None, **ERROR_RESPONSES, **CONFLICT})
    def delete(self, request, id, expense_id):
        expense = selectors.expense_get(request.user, path_uuid(id), expense_id)
        self.check_object_permissions(request, expense.claim)
        services.expense_remove(actor=request.user, expense=expense)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    post=extend_schema(
        parameters=[CLAIM_ID],
        request={"multipart/form-data": serializers.ClaimDocumentUploadInputSerializer},
        responses={
            201: serializers.ClaimDocumentOutputSerializer,
            **ERROR_RESPONSES,
            **CONFLICT,
            **cases_api.UPLOAD_TOO_LARGE,
        },
    )
)
class DocumentUploadApi(cases_api.DocumentUploadApi):
    """Add a document of a checklist kind to a draft or returned claim."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]
    reader = claim_reader
    input_serializer = serializers.ClaimDocumentUploadInputSerializer
    output_serializer = serializers.ClaimDocumentOutputSerializer

    def add(self, *, case, **document):
        return services.claim_document_add(claim=case, **document)


@extend_schema_view(
    get=extend_schema(
        parameters=[CLAIM_ID, cases_api.DOCUMENT_ID, cases_api.INLINE],
        responses={**cases_api.FILE_RESPONSES, **READ_ERROR_RESPONSES},
    ),
    delete=extend_schema(
        parameters=[CLAIM_ID, cases_api.DOCUMENT_ID], responses={204: None, **ERROR_RESPONSES, **CONFLICT}
    ),
)
class ClaimDocumentApi(cases_api.DocumentApi):
    """Download one of the claim's documents (enrollee, filer, staff of the office, admins), or take one
    back from a draft or returned claim (enrollee and filer)."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]
    case_field = "claim"
    get_document = staticmethod(selectors.document_get)

    def remove(self, *, actor, document):
        services.claim_document_remove(actor=actor, document=document)


class ClaimSubmitApi(APIView):
    """Send a complete claim within its window to the office; after 31 December with a reason."""

    permission_classes = [IsAuthenticated, IsPartyToClaimOrReadOnly]

    @extend_schema(
        parameters=[CLAIM_ID],
        request=serializers.ClaimSubmitInputSerializer,
        responses={200: serializers.ClaimDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        claim = claim_reader.case(self, request, id)
        data = serializers.ClaimSubmitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.claim_submit(
            actor=request.user, claim=claim, special_case_reason=data.validated_data.get("special_case_reason")
        )
        return claim_reader.answer(request, claim.uuid)
