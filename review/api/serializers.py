"""Input and output shapes of the staff's API (API.md: extend, never rename).

The staff read and answer with the cases' own output shapes (registrations.api.serializers,
claims.api.serializers): the enrollee and the office see one case the same way.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import api as cases_api
from cases.constants import Decision, queue_statuses
from claims.api import serializers as claim_serializers
from claims.api.serializers import money
from claims.constants import ClaimStatus
from policy.constants import Channel
from registrations import selectors as registration_selectors
from registrations.api import serializers as registration_serializers
from registrations.constants import RegistrationStatus

# --- Registrations --------------------------------------------------------------------------


class DocumentReviewInputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    accepted = serializers.BooleanField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DecisionInputSerializer(registration_serializers.StrictInputSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reasons = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list, help_text="what to fix, or why not"
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    documents = DocumentReviewInputSerializer(many=True, required=False, default=list)


class ReviewQueueQuerySerializer(serializers.Serializer):
    """Query filters; an empty one (as a web form sends it) means no filter."""

    status = serializers.ChoiceField(
        choices=queue_statuses(RegistrationStatus),
        required=False,
        allow_blank=True,
        help_text="submitted (awaiting review) by default",
    )
    office = serializers.CharField(required=False, allow_blank=True, help_text="office code, e.g. nantong-urban")
    type = serializers.CharField(required=False, allow_blank=True, help_text="registration type code")
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, allow_blank=True)
    ordering = serializers.ChoiceField(
        choices=[("oldest", "oldest first"), ("newest", "newest first")],
        required=False,
        allow_blank=True,
        default="oldest",
    )


class EnrolleeRevealedOutputSerializer(registration_serializers.EnrolleeOutputSerializer):
    national_id_full = serializers.SerializerMethodField(help_text="the full number; every read is logged")

    def get_national_id_full(self, user) -> str:
        return user.reveal_national_id()


class ReviewDetailOutputSerializer(registration_serializers.RegistrationDetailOutputSerializer):
    enrollee = EnrolleeRevealedOutputSerializer()


class ReviewQueueItemOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    number = serializers.CharField()
    status = serializers.CharField()
    registration_type = serializers.CharField()
    category = serializers.CharField()
    enrollee = registration_serializers.EnrolleeOutputSerializer()
    on_behalf = serializers.BooleanField(source="filed_on_behalf")
    office = serializers.CharField(source="office.code")
    channel = serializers.CharField()
    start_date = serializers.DateField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    age_working_days = serializers.SerializerMethodField(help_text="Mondays to Fridays since submission")

    def get_age_working_days(self, registration) -> int | None:
        if registration.submitted_at is None:
            return None
        submitted = timezone.localdate(registration.submitted_at)
        return registration_selectors.working_days_between(submitted, timezone.localdate())


# --- Claims --------------------------------------------------------------------------------


class ClaimExpenseReviewInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="the invoice's id in the claim")
    approved_policy_amount = money()
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="required when the amount changes"
    )


class ClaimDecisionInputSerializer(claim_serializers.StrictInputSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    approved_amount = money(
        required=False,
        allow_null=True,
        help_text="the fund payment; computed from the benefit table when left out, required where there is none",
    )
    reasons = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, default=list, help_text="what to fix, or why not"
    )
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    expenses = ClaimExpenseReviewInputSerializer(many=True, required=False, default=list)
    special_case_accept = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="accept or refuse a pending late-claim reason"
    )


class ClaimNoteInputSerializer(claim_serializers.StrictInputSerializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ClaimReviewQueueQuerySerializer(serializers.Serializer):
    """Query filters; an empty one (as a web form sends it) means no filter."""

    status = serializers.ChoiceField(
        choices=queue_statuses(ClaimStatus),
        required=False,
        allow_blank=True,
        help_text="submitted (awaiting review) by default",
    )
    office = serializers.CharField(required=False, allow_blank=True, help_text="office code, e.g. nantong-urban")
    ordering = serializers.ChoiceField(
        choices=[("oldest", "oldest first"), ("newest", "newest first")],
        required=False,
        allow_blank=True,
        default="oldest",
    )


class ClaimReviewQueueItemOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    number = serializers.CharField()
    status = serializers.CharField()
    claim_kind = serializers.CharField()
    enrollee = cases_api.PersonOutputSerializer()
    office = serializers.CharField(source="office.code")
    special_case = serializers.CharField()
    total_amount = serializers.SerializerMethodField(help_text="sum of the invoices' totals")
    submitted_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(money())
    def get_total_amount(self, claim):
        return money().to_representation(sum((e.total_amount for e in claim.expenses.all()), start=0))
