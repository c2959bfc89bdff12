"""The staff's API (API.md): the review queues, a case for review and the decisions, for both
registrations and claims. One thin view per operation, as in the case apps' own APIs.

A case is read only through its app's scoped selectors (another office's case is a 404 there);
the decision is one service call; the answer is the case's own detail shape, re-read after it.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import api as cases_api
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
)
from common.services import access_log_record
from registrations import selectors as registration_selectors
from registrations import services as registration_services
from registrations.api import serializers as registration_serializers
from review.api import serializers
from review.api.permissions import IsClaimReviewer, IsReviewer

REGISTRATION_ID = cases_api.case_id("registration")
CLAIM_ID = cases_api.case_id("claim")
CONFLICT = cases_api.conflict("claim")
registrations = cases_api.CaseReader(
    registration_selectors.registration_get, registration_serializers.RegistrationDetailOutputSerializer
)
claims = cases_api.CaseReader(claim_selectors.claim_get, claim_serializers.ClaimDetailOutputSerializer)


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
        registration = registrations.case(self, request, id)
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
        registration = registrations.case(self, request, id)
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
        return registrations.answer(request, registration.uuid)


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


@extend_schema_view(
    get=extend_schema(
        parameters=[CLAIM_ID, IF_NONE_MATCH],
        responses={200: claim_serializers.ClaimDetailOutputSerializer, **NOT_MODIFIED, **READ_ERROR_RESPONSES},
    )
)
class ClaimReviewApi(cases_api.CaseDetailApi):
    """A claim for review: the invoices with their deadlines, the estimate, documents and history."""

    permission_classes = [IsAuthenticated, IsClaimReviewer]
    reader = claims


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
        claim = claims.case(self, request, id)
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
        return claims.answer(request, claim.uuid)


def _second_step(view, request, claim_id, service) -> Response:
    """Confirm or record payment: a note, one service, the claim as it is afterwards."""
    claim = claims.case(view, request, claim_id)
    data = serializers.ClaimNoteInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    service(actor=request.user, claim=claim, note=data.validated_data["note"])
    return claims.answer(request, claim.uuid)


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
