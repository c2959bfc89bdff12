"""Input and output shapes of the claims API (API.md: extend, never rename).

Money is yuan as a string with two decimals ("1234.50") both ways, never a float. Input
serializers only check types and refuse fields nobody may write through the API; every
rule about what may be claimed lives in claims.services.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import api as cases_api
from claims import selectors
from claims.models import Expense
from common.api import ErrorOutputSerializer  # noqa: F401 - re-exported for the views
from offices.constants import InstitutionLevel
from policy.constants import ClaimKind, Treatment

# Set by services and staff only: a request naming one is refused, never silently applied.
PRIVILEGED_FIELDS = frozenset(
    {
        "id",
        "uuid",
        "number",
        "status",
        "enrollee",
        "filed_by",
        "jurisdiction",
        "office",
        "special_case",
        "approved_amount",
        "approved_policy_amount",
        "adjust_reason",
        "claim_deadline",
        "claim_deadline_extended",
        "estimate",
        "submitted_at",
        "decided_at",
        "decided_by",
        "paid_at",
        "return_reasons",
        "documents",
        "history",
    }
)


def money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=True, **kwargs)


class StrictInputSerializer(cases_api.StrictInputSerializer):
    privileged_fields = PRIVILEGED_FIELDS


# --- Input --------------------------------------------------------------------------------


class ExpenseInputSerializer(serializers.Serializer):
    invoice_no = serializers.CharField(max_length=40)
    date = serializers.DateField(help_text="the invoice date; never in the future")
    institution = serializers.CharField(max_length=100)
    institution_level = serializers.ChoiceField(choices=InstitutionLevel.choices)
    province = serializers.CharField(max_length=32)
    city = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    total_amount = money(help_text='yuan, e.g. "900.00"')
    policy_amount = money(help_text="the part within the policy scope; at most the total")


class ExpenseAddInputSerializer(ExpenseInputSerializer, StrictInputSerializer):
    """One invoice added to an editable claim."""


class ClaimCreateInputSerializer(StrictInputSerializer):
    claim_kind = serializers.ChoiceField(choices=ClaimKind.choices)
    treatment = serializers.ChoiceField(
        choices=Treatment.choices, required=False, allow_blank=True, default="", help_text="adds to the checklist"
    )
    registration = serializers.UUIDField(
        required=False, allow_null=True, help_text="id of the enrollee's registration the care was under"
    )
    emergency = serializers.BooleanField(required=False, default=False, help_text="emergency care counts as registered")
    expenses = ExpenseInputSerializer(many=True, help_text="the invoices; all are added or none")
    special_case_reason = serializers.CharField(
        max_length=1000, required=False, allow_blank=True, help_text="why the claim comes after the deadline"
    )

    def validate(self, attrs):
        # Nested invoices have no initial_data of their own: check their keys here too.
        data = getattr(self, "initial_data", {}) or {}
        errors = cases_api.unknown_field_errors(data, self.fields, PRIVILEGED_FIELDS)
        expense_fields = ExpenseInputSerializer().fields
        expense_errors = [
            cases_api.unknown_field_errors(item, expense_fields, PRIVILEGED_FIELDS)
            for item in data.get("expenses") or []
        ]
        if any(expense_errors):
            errors["expenses"] = expense_errors
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ClaimUpdateInputSerializer(StrictInputSerializer):
    """PATCH: the treatment and the late-claim reason; invoices have their own endpoints."""

    treatment = serializers.ChoiceField(choices=Treatment.choices, required=False, allow_blank=True)
    special_case_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True)


class ClaimSubmitInputSerializer(StrictInputSerializer):
    special_case_reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text="needed after an invoice's 31 December (until 31 March): why the claim is late",
    )


class ClaimDocumentUploadInputSerializer(StrictInputSerializer):
    kind = serializers.CharField(max_length=40, help_text="a document kind of the claim's checklist")
    # Empty files and the size limit are judged by common.uploads, with its messages and 413.
    file = serializers.FileField(allow_empty_file=True, help_text="PDF, JPEG or PNG by content, at most 10 MiB")


# --- Output -------------------------------------------------------------------------------


def _windows(claim) -> dict:
    return selectors.expense_windows(claim)


class ExpenseOutputSerializer(serializers.ModelSerializer):
    """One invoice as filed, with the office's approved amount and its claim window."""

    institution_level = serializers.IntegerField()
    approved_policy_amount = money(allow_null=True, help_text="set by the office on approval")
    claim_deadline = serializers.SerializerMethodField(help_text="31 December of the invoice's year; null: ask")
    claim_deadline_extended = serializers.SerializerMethodField(help_text="last day for a special (late) case")

    class Meta:
        model = Expense
        fields = (
            "id", "invoice_no", "date", "institution", "institution_level", "province", "city", "total_amount",
            "policy_amount", "approved_policy_amount", "adjust_reason", "claim_deadline", "claim_deadline_extended",
        )  # fmt: skip

    def get_claim_deadline(self, expense) -> str | None:
        window = _windows(expense.claim).get(expense.id)
        return window.deadline.isoformat() if window and window.deadline else None

    def get_claim_deadline_extended(self, expense) -> str | None:
        window = _windows(expense.claim).get(expense.id)
        return window.extended.isoformat() if window and window.extended else None


class EstimateOutputSerializer(serializers.Serializer):
    available = serializers.BooleanField(help_text="false when there is no benefit figure to estimate from")
    reason = serializers.CharField(help_text="where the reduction comes from, or why there is no estimate")
    total = money(allow_null=True, help_text="an estimate only: the office decides the payment")
    per_expense = serializers.DictField(child=money(), help_text="expense id → estimated fund payment")


class ClaimDocumentOutputSerializer(cases_api.DocumentFieldsMixin):
    url_name, case_field = "api-claim-document", "claim"


class ClaimListOutputSerializer(cases_api.CaseFieldsMixin):
    claim_kind = serializers.CharField()
    treatment = serializers.CharField()
    approved_amount = money(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)


class ClaimDetailOutputSerializer(cases_api.CaseDetailFieldsMixin):
    """One claim as its enrollee (or the office) sees it; expects an instance from selectors.claim_get."""

    case_selectors = selectors

    claim_kind = serializers.CharField()
    treatment = serializers.CharField()
    registration = serializers.UUIDField(source="registration.uuid", allow_null=True, help_text="id or null")
    emergency = serializers.BooleanField()
    special_case = serializers.CharField(help_text='"", pending, accepted or refused')
    special_case_reason = serializers.CharField()
    enrollee = cases_api.PersonOutputSerializer()
    expenses = ExpenseOutputSerializer(many=True)
    claim_deadline = serializers.SerializerMethodField(help_text="the earliest of the invoices' deadlines, or null")
    estimate = serializers.SerializerMethodField()
    approved_amount = money(allow_null=True, help_text="the fund payment the office approved")
    documents = ClaimDocumentOutputSerializer(many=True)
    paid_at = serializers.DateTimeField(allow_null=True)

    def get_claim_deadline(self, claim) -> str | None:
        deadlines = [w.deadline for w in _windows(claim).values() if w.deadline]
        return min(deadlines).isoformat() if deadlines else None

    @extend_schema_field(EstimateOutputSerializer)
    def get_estimate(self, claim):
        result = selectors.estimate(claim)
        return EstimateOutputSerializer(
            {
                "available": result.available,
                "reason": result.reason,
                "total": result.total,
                "per_expense": {str(key): value for key, value in result.per_expense.items()},
            }
        ).data
