"""Writes of claims (零星报销). Every change writes a history row."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from claims import selectors
from claims.constants import EDITABLE_STATUSES, ClaimEventAction, ClaimStatus, SpecialCase
from claims.models import Claim, ClaimDocument, ClaimEvent, Expense
from common.errors import ConflictError, ServiceError
from common.uploads import validate_upload
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


@transaction.atomic
def claim_document_add(*, actor, claim, kind: str, uploaded_file) -> ClaimDocument:
    """Store a checked upload of a kind the claim's checklist asks for (same rules as registrations)."""
    clean = validate_upload(uploaded_file)
    claim = _lock(claim)
    if kind not in selectors.allowed_document_kinds(claim):
        message = _("“%(kind)s” is not a document this claim asks for.") % {"kind": kind}
        raise ServiceError(message, {"kind": [message]})
    document = ClaimDocument(
        claim=claim,
        kind=kind,
        original_name=clean.original_name,
        content_type=clean.content_type,
        size=clean.size,
        sha256=clean.sha256,
        uploaded_by=actor,
    )
    document.file.save(f"upload{clean.extension}", clean.as_content_file(), save=False)
    try:
        document.save()
        _event(claim, actor=actor, action=ClaimEventAction.DOCUMENT_ADDED, kind=kind)
    except BaseException:
        document.file.delete(save=False)  # the rows roll back: the file must not stay behind
        raise
    return document


@transaction.atomic
def claim_submit(*, actor, claim, special_case_reason: str | None = None) -> Claim:
    """Send a complete claim within its window to the office.

    After an invoice's 31 December the claim needs a stated reason (a special case, until
    31 March) that staff then accept or refuse; after that, or without a reason, it is
    refused with whom to call.
    """
    claim = _lock(claim)
    if special_case_reason is not None:
        claim.special_case_reason = special_case_reason.strip()
    if not claim.expenses.exists():
        raise ServiceError(_("Add at least one invoice."), {"expenses": [_("Add at least one invoice.")]})
    gaps = selectors.missing(claim)
    if gaps:
        names = [
            f"{g.name_zh}（{'；或'.join(' + '.join(d.name_zh for d in o.documents) for o in g.options)}）" for g in gaps
        ]
        raise ServiceError(_("Still missing: %(items)s.") % {"items": "；".join(names)}, {"documents": names})

    today = timezone.localdate()
    phones = selectors.office_phones(claim)
    closed = selectors.late_expenses(claim, on=today, special_case_accepted=True)
    if closed:
        expense, window = closed[0]
        message = _(
            "Invoice %(invoice)s of %(date)s could be claimed until %(last)s at the latest: the window has "
            "closed. Please call your office: %(phones)s."
        ) % {
            "invoice": expense.invoice_no,
            "date": expense.date,
            "last": window.extended or window.deadline,
            "phones": phones,
        }
        raise ServiceError(message, {"expenses": [message]})
    late = selectors.late_expenses(claim, on=today, special_case_accepted=False)
    if late and not claim.special_case_reason:
        expense, window = late[0]
        message = _(
            "Invoice %(invoice)s of %(date)s was due by %(deadline)s. Until %(extended)s the office accepts "
            "late claims in special cases: state your reason. Questions: %(phones)s."
        ) % {
            "invoice": expense.invoice_no,
            "date": expense.date,
            "deadline": window.deadline,
            "extended": window.extended,
            "phones": phones,
        }
        raise ServiceError(message, {"special_case_reason": [message]})

    before = claim.status
    claim.special_case = SpecialCase.PENDING if late else SpecialCase.NONE
    claim.status = ClaimStatus.SUBMITTED
    claim.submitted_at = timezone.now()
    claim.save()
    ClaimEvent.objects.create(
        claim=claim,
        actor=actor,
        action=ClaimEventAction.SUBMITTED,
        from_status=before,
        to_status=claim.status,
        reason=claim.special_case_reason if late else "",
    )
    return claim
