"""Writes of claims (零星报销). Every change writes a history row."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims.constants import EDITABLE_STATUSES, ClaimEventAction
from claims.models import Claim, ClaimEvent, Expense
from common.errors import ConflictError, ServiceError
from policy.constants import ClaimKind, Treatment

CENT = Decimal("0.01")


def _event(claim, *, actor, action, reason="", **details):
    return ClaimEvent.objects.create(
        claim=claim, actor=actor, action=action, to_status=claim.status, reason=reason, details=details
    )


def _money(value, field: str) -> Decimal:
    """Yuan with at most two decimals, never through a float."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(_("Enter an amount in yuan, e.g. 1234.50."), {field: [_("Not an amount.")]}) from None
    if not amount.is_finite() or amount < 0 or amount.quantize(CENT) != amount:
        message = _("Enter an amount in yuan of 0 or more with at most two decimals.")
        raise ServiceError(message, {field: [message]})
    return amount


@transaction.atomic
def claim_create(
    *, actor, enrollee, claim_kind: str, treatment: str = "", registration=None, emergency: bool = False
) -> Claim:
    errors = {}
    if claim_kind not in ClaimKind.values:
        errors["claim_kind"] = [_("Choose outpatient or inpatient.")]
    if treatment and treatment not in Treatment.values:
        errors["treatment"] = [_("Unknown treatment.")]
    if registration is not None and registration.enrollee_id != enrollee.pk:
        errors["registration"] = [_("This registration belongs to someone else.")]
    if enrollee.office_id is None:
        errors["enrollee"] = [_("The enrollee's insured office is not known.")]
    if errors:
        raise ServiceError(_("Please correct the fields marked below."), errors)
    claim = Claim(
        enrollee=enrollee,
        filed_by=actor,
        jurisdiction=enrollee.jurisdiction,
        office=enrollee.office,
        claim_kind=claim_kind,
        treatment=treatment,
        registration=registration,
        emergency=emergency,
    )
    claim.full_clean(exclude=["number"])
    claim.save()
    _event(claim, actor=actor, action=ClaimEventAction.CREATED)
    return claim


def _lock(claim) -> Claim:
    locked = Claim.objects.select_for_update(of=("self",)).select_related("jurisdiction", "office")
    claim = locked.get(pk=claim.pk)
    if claim.status not in EDITABLE_STATUSES:
        raise ConflictError(
            _("This claim is “%(status)s” and can no longer be edited.") % {"status": claim.get_status_display()}
        )
    return claim


@transaction.atomic
def expense_add(
    *,
    actor,
    claim,
    invoice_no: str,
    date: datetime.date,
    institution: str,
    institution_level: int,
    province: str,
    city: str = "",
    total_amount,
    policy_amount,
) -> Expense:
    """Add one invoice. Refuses future dates and invoice numbers already claimed."""
    claim = _lock(claim)
    invoice_no = (invoice_no or "").strip()
    total, within = _money(total_amount, "total_amount"), _money(policy_amount, "policy_amount")
    errors = {}
    if not invoice_no:
        errors["invoice_no"] = [_("Enter the invoice number.")]
    if date > timezone.localdate():
        errors["date"] = [_("The date %(date)s is in the future.") % {"date": date.isoformat()}]
    if within > total:
        errors["policy_amount"] = [_("The policy-scope amount cannot be more than the total paid.")]
    if total == 0:
        errors["total_amount"] = [_("Enter the amount paid.")]
    duplicate = (
        Expense.objects.filter(claim__enrollee_id=claim.enrollee_id, invoice_no=invoice_no)
        .select_related("claim")
        .first()
    )
    if invoice_no and duplicate:
        where = (
            _("this claim")
            if duplicate.claim_id == claim.pk
            else _("claim %(number)s") % {"number": duplicate.claim.number}
        )
        errors["invoice_no"] = [
            _("Invoice %(invoice)s is already in %(where)s.") % {"invoice": invoice_no, "where": where}
        ]
    if errors:
        raise ServiceError(_("Please correct the fields marked below."), errors)
    expense = Expense(
        claim=claim,
        invoice_no=invoice_no,
        date=date,
        institution=institution.strip(),
        institution_level=institution_level,
        province=province,
        city=city,
        total_amount=total,
        policy_amount=within,
    )
    expense.full_clean()
    expense.save()
    _event(claim, actor=actor, action=ClaimEventAction.EXPENSE_ADDED, invoice=invoice_no, date=date.isoformat())
    return expense


@transaction.atomic
def expense_remove(*, actor, expense) -> None:
    claim = _lock(expense.claim)
    invoice = expense.invoice_no
    Expense.objects.filter(pk=expense.pk, claim=claim).delete()
    _event(claim, actor=actor, action=ClaimEventAction.EXPENSE_REMOVED, invoice=invoice)
