"""The staff's API (API.md): the review queues, a case for review and the decisions, for both
registrations and claims. One thin view per operation, as in the case apps' own APIs.

A case is read only through its app's scoped selectors (another office's case is a 404 there);
the decision is one service call; the answer is the case's own detail shape, re-read after it.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import selectors as claim_selectors
from claims import services as claim_services
from claims.api import serializers as claim_serializers
from common.api import (
    ERROR_RESPONSES,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    READ_ERROR_RESPONSES,
    ConditionalGetMixin,
    ErrorOutputSerializer,
    ReviewQueuePagination,
    path_uuid,
)
from common.services import access_log_record
from registrations import selectors as registration_selectors
from registrations import services as registration_services
from registrations.api import serializers as registration_serializers
from review.api import serializers
from review.api.permissions import IsClaimReviewer, IsReviewer

REGISTRATION_ID = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the registration's id (a UUID, never its number)"
)
CLAIM_ID = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the claim's id (a UUID, never its number)"
)
CONFLICT = {409: OpenApiResponse(ErrorOutputSerializer, description="the claim's state forbids it")}


def _registration(view, request, registration_id):
    registration = registration_selectors.registration_get(request.user, path_uuid(registration_id))
    view.check_object_permissions(request, registration)
    return registration


def _registration_detail(request, registration_uuid) -> Response:
    """Re-read through the selector so the answer shows the state after the service ran."""
    registration = registration_selectors.registration_get(request.user, registration_uuid)
    serializer = registration_serializers.RegistrationDetailOutputSerializer
    return Response(serializer(registration, context={"request": request}).data, status=status.HTTP_200_OK)


def _claim(view, request, claim_id):
    claim = claim_selectors.claim_get(request.user, path_uuid(claim_id))
    view.check_object_permissions(request, claim)
    return claim


def _claim_detail(request, claim_uuid) -> Response:
    claim = claim_selectors.claim_get(request.user, claim_uuid)
    serializer = claim_serializers.ClaimDetailOutputSerializer
    return Response(serializer(claim, context={"request": request}).data, status=status.HTTP_200_OK)


# --- Registrations ---------------------------------------------------------------------------


@extend_schema(parameters=[serializers.ReviewQueueQuerySerializer])
class RegistrationQueueApi(generics.ListAPIView):
    """The queue of the caller's offices (admins: all), awaiting review unless `status` says otherwise."""

    permission_classes = [IsAuthenticated, IsReviewer]
    serializer_class = serializers.ReviewQueueItemOutputSerializer
    pagination_class = ReviewQueuePagination

    def get_queryset(self):
        query = serializers.ReviewQueueQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        return registration_selectors.review_queue(
            self.request.user,
            status=values.get("status") or None,
            registration_type=values.get("type") or None,
            channel=values.get("channel") or None,
            office=values.get("office") or None,
            ordering=values.get("ordering") or "oldest",
        )


class RegistrationReviewApi(ConditionalGetMixin, APIView):
    """A case for review: the registration with the enrollee's full identity number (the read is logged)."""

    permission_classes = [IsAuthenticated, IsReviewer]

    @extend_schema(
        parameters=[REGISTRATION_ID, IF_NONE_MATCH],
        responses={200: serializers.ReviewDetailOutputSerializer, **NOT_MODIFIED, **READ_ERROR_RESPONSES},
    )
    def get(self, request, id):
        registration = _registration(self, request, id)
        access_log_record(actor=request.user, action="reveal_id", obj=registration.enrollee, detail=registration.number)
        return Response(serializers.ReviewDetailOutputSerializer(registration, context={"request": request}).data)


class RegistrationDecisionApi(APIView):
    """Approve, return for correction or reject a submitted case; 409 when someone decided first."""

    permission_classes = [IsAuthenticated, IsReviewer]

    @extend_schema(
        parameters=[REGISTRATION_ID],
        request=serializers.DecisionInputSerializer,
        responses={
            200: registration_serializers.RegistrationDetailOutputSerializer,
            **ERROR_RESPONSES,
            409: OpenApiResponse(ErrorOutputSerializer, description="someone else decided first"),
        },
    )
    def post(self, request, id):
        registration = _registration(self, request, id)
        data = serializers.DecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        registration_services.registration_decide(
            actor=request.user,
            registration=registration,
            decision=values["decision"],
            reasons=values["reasons"],
            note=values["note"],
            document_reviews={
                str(review["id"]): (review["accepted"], review["reason"]) for review in values["documents"]
            },
        )
        return _registration_detail(request, registration.uuid)


# --- Claims ----------------------------------------------------------------------------------


@extend_schema(parameters=[serializers.ClaimReviewQueueQuerySerializer])
class ClaimQueueApi(generics.ListAPIView):
    """The claims of the caller's offices (admins: all), awaiting review unless `status` says otherwise."""

    permission_classes = [IsAuthenticated, IsClaimReviewer]
    serializer_class = serializers.ClaimReviewQueueItemOutputSerializer
    pagination_class = ReviewQueuePagination

    def get_queryset(self):
        query = serializers.ClaimReviewQueueQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        return claim_selectors.review_queue(
            self.request.user, status=values.get("status") or None, office=values.get("office") or None
        )


class ClaimReviewApi(ConditionalGetMixin, APIView):
    """A claim for review: the invoices with their deadlines, the estimate, documents and history."""

    permission_classes = [IsAuthenticated, IsClaimReviewer]

    @extend_schema(
        parameters=[CLAIM_ID, IF_NONE_MATCH],
        responses={200: claim_serializers.ClaimDetailOutputSerializer, **NOT_MODIFIED, **READ_ERROR_RESPONSES},
    )
    def get(self, request, id):
        claim = _claim(self, request, id)
        return Response(claim_serializers.ClaimDetailOutputSerializer(claim, context={"request": request}).data)


class ClaimDecisionApi(APIView):
    """Approve (with adjusted invoices), return for correction or reject; 409 when someone decided first."""

    permission_classes = [IsAuthenticated, IsClaimReviewer]

    @extend_schema(
        parameters=[CLAIM_ID],
        request=serializers.ClaimDecisionInputSerializer,
        responses={
            200: claim_serializers.ClaimDetailOutputSerializer,
            **ERROR_RESPONSES,
            409: OpenApiResponse(ErrorOutputSerializer, description="someone else decided first"),
        },
    )
    def post(self, request, id):
        claim = _claim(self, request, id)
        data = serializers.ClaimDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        claim_services.claim_decide(
            actor=request.user,
            claim=claim,
            decision=values["decision"],
            reasons=values["reasons"],
            note=values["note"],
            expense_reviews={e["id"]: (e["approved_policy_amount"], e["reason"]) for e in values["expenses"]},
            approved_amount=values.get("approved_amount"),
            special_case_accept=values["special_case_accept"],
        )
        return _claim_detail(request, claim.uuid)


def _second_step(view, request, claim_id, service) -> Response:
    """Confirm or record payment: a note, one service, the claim as it is afterwards."""
    claim = _claim(view, request, claim_id)
    data = serializers.ClaimNoteInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    service(actor=request.user, claim=claim, note=data.validated_data["note"])
    return _claim_detail(request, claim.uuid)


class ClaimConfirmApi(APIView):
    """The second reviewer confirms an approval above the four-eyes threshold."""

    permission_classes = [IsAuthenticated, IsClaimReviewer]

    @extend_schema(
        parameters=[CLAIM_ID],
        request=serializers.ClaimNoteInputSerializer,
        responses={200: claim_serializers.ClaimDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        return _second_step(self, request, id, claim_services.claim_confirm)


class ClaimPaymentApi(APIView):
    """Record that the approved fund payment was paid out."""

    permission_classes = [IsAuthenticated, IsClaimReviewer]

    @extend_schema(
        parameters=[CLAIM_ID],
        request=serializers.ClaimNoteInputSerializer,
        responses={200: claim_serializers.ClaimDetailOutputSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, id):
        return _second_step(self, request, id, claim_services.claim_record_payment)
