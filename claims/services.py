"""Writes of claims (零星报销). Every change writes a history row."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import records
from cases.constants import Decision
from cases.decisions import lock_for_decision
from claims import events, selectors
from claims.constants import CLOSED_STATUSES, EDITABLE_STATUSES, ClaimEventAction, ClaimStatus, SpecialCase
from claims.models import Claim, ClaimDocument, ClaimEvent, Expense, ReviewThreshold
from common.errors import ConflictError, ServiceError
from common.storage import purge_closed_documents
from common.uploads import validate_upload
from policy import rules
from policy.constants import ClaimKind, Treatment
from registrations import services as registrations
from registrations.selectors import registration_in_force_on

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999.99")  # the columns hold 12 digits; larger is a typing error, not a bill


def _event(claim, **entry) -> ClaimEvent:
    """Write a history row and announce it (claims.events): notifications listen."""
    return records.history(claim, ClaimEvent, events.claim_changed, **entry)


def _money(value, field: str) -> Decimal:
    """Yuan with at most two decimals, never through a float."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ServiceError(_("Enter an amount in yuan, e.g. 1234.50."), {field: [_("Not an amount.")]}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount.quantize(CENT) != amount:
        message = _("Enter an amount in yuan of 0 or more with at most two decimals.")
        raise ServiceError(message, {field: [message]})
    return amount


def claim_create(
    *, actor, enrollee, claim_kind: str, treatment: str = "", registration=None, emergency: bool = False
) -> Claim:
    with transaction.atomic():
        errors = {}
        if claim_kind not in ClaimKind.values:
            errors["claim_kind"] = [_("Choose outpatient or inpatient.")]
        if treatment and treatment not in Treatment.values:
            errors["treatment"] = [_("Unknown treatment.")]
        if registration is not None and registration.enrollee_id != enrollee.pk:
            errors["registration"] = [_("This registration belongs to someone else.")]
        if enrollee.office_id is None or enrollee.jurisdiction_id is None:
            errors["enrollee"] = [
                _("The enrollee's insured region and office are not known: ask the office to complete them.")
            ]
        if errors:
            raise ServiceError(_("Please correct the fields marked below."), errors)
        claim = Claim(
            **records.parties(actor=actor, enrollee=enrollee),
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
    with transaction.atomic():
        claim = _lock(claim)
        invoice_no = (invoice_no or "").strip()
        total, within = _money(total_amount, "total_amount"), _money(policy_amount, "policy_amount")
        errors = {}
        if not invoice_no:
            errors["invoice_no"] = [_("Enter the invoice number.")]
        if date > timezone.localdate():
            errors["date"] = [_("The date %(date)s is in the future.") % {"date": date.isoformat()}]
        else:
            try:
                selectors.expense_window(jurisdiction=claim.jurisdiction.code, expense_date=date)
            except rules.PolicyError:
                errors["date"] = [
                    _("The portal has no rules of your insured region for %(date)s: claim it at the office.")
                    % {"date": date.isoformat()}
                ]
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
        _follow_earliest_invoice(claim, actor=actor)
        return expense


def _follow_earliest_invoice(claim, *, actor) -> None:
    """A registration the portal found (not one the enrollee chose) follows the earliest invoice.

    Claims marked emergency, or naming their registration, are left as they are.
    """
    if claim.emergency or (claim.registration_id and not claim.registration_found):
        return
    first = claim.expenses.order_by("date", "id").first()
    registration = registration_in_force_on(claim.enrollee, first.date) if first else None
    if registration == claim.registration:
        return
    claim.registration, claim.registration_found = registration, registration is not None
    claim.save(update_fields=["registration", "registration_found", "updated_at"])
    if registration is not None:
        _event(claim, actor=actor, action=ClaimEventAction.REGISTRATION_LINKED, registration=registration.number)
    else:
        _event(claim, actor=actor, action=ClaimEventAction.REGISTRATION_UNLINKED)


def expense_remove(*, actor, expense) -> None:
    with transaction.atomic():
        claim = _lock(expense.claim)
        invoice = expense.invoice_no
        Expense.objects.filter(pk=expense.pk, claim=claim).delete()
        _event(claim, actor=actor, action=ClaimEventAction.EXPENSE_REMOVED, invoice=invoice)
        _follow_earliest_invoice(claim, actor=actor)


def claim_document_add(*, actor, claim, kind: str, uploaded_file) -> ClaimDocument:
    """Store a checked upload of a kind the claim's checklist asks for (same rules as registrations)."""
    with transaction.atomic():
        clean = validate_upload(uploaded_file)
        claim = _lock(claim)

        def record(document):
            _event(claim, actor=actor, action=ClaimEventAction.DOCUMENT_ADDED, kind=kind)

        allowed = selectors.allowed_document_kinds(claim)
        return records.document_store(
            claim, ClaimDocument, actor=actor, kind=kind, clean=clean, allowed=allowed, record=record
        )


def claim_document_remove(*, actor, document) -> None:
    """Take back a document uploaded by mistake, while the claim can still be edited."""
    with transaction.atomic():
        claim = _lock(document.claim)
        records.document_discard(
            claim,
            document,
            record=lambda kind, _uuid: _event(claim, actor=actor, action=ClaimEventAction.DOCUMENT_REMOVED, kind=kind),
        )


def claim_submit(*, actor, claim, special_case_reason: str | None = None) -> Claim:
    """Send a complete claim within its window to the office.

    After an invoice's 31 December the claim needs a stated reason (a special case, until
    31 March) that staff then accept or refuse; after that, or without a reason, it is
    refused with whom to call.
    """
    with transaction.atomic():
        claim = _lock(claim)
        if special_case_reason is not None:
            claim.special_case_reason = special_case_reason.strip()
        if not claim.expenses.exists():
            raise ServiceError(_("Add at least one invoice."), {"expenses": [_("Add at least one invoice.")]})
        records.require_complete(selectors.missing(claim))

        # Filed in time and returned for correction: judged by the day it was first filed.
        today = timezone.localdate(claim.first_submitted_at) if claim.first_submitted_at else timezone.localdate()
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
        if claim.special_case not in (SpecialCase.ACCEPTED, SpecialCase.REFUSED):
            claim.special_case = SpecialCase.PENDING if late else SpecialCase.NONE
        claim.status = ClaimStatus.SUBMITTED
        claim.submitted_at = timezone.now()
        claim.first_submitted_at = claim.first_submitted_at or claim.submitted_at
        claim.save()
        _event(
            claim,
            actor=actor,
            action=ClaimEventAction.SUBMITTED,
            from_status=before,
            reason=claim.special_case_reason if late else "",
        )
        return claim


def _transition(claim, *, actor, action, status, reason="", **details) -> None:
    before = claim.status
    claim.status = status
    claim.save()
    _event(claim, actor=actor, action=action, from_status=before, reason=reason, **details)


def claim_decide(
    *, actor, claim, decision, reasons=(), note="", expense_reviews=None, approved_amount=None, special_case_accept=None
) -> Claim:
    """A staff decision on a submitted claim.

    `expense_reviews` maps expense id → (approved policy amount, reason); an adjusted amount
    needs a reason. The fund payment is computed from the policy's benefit table, or given
    by staff where the table is empty. Above the jurisdiction's four-eyes threshold the
    approval waits for a second staff member (claim_confirm).
    """
    with transaction.atomic():
        claim = lock_for_decision(claim, actor=actor, expected=(ClaimStatus.SUBMITTED,))
        reasons = [r.strip() for r in (reasons or []) if r and r.strip()]
        now = timezone.now()

        if claim.special_case == SpecialCase.PENDING and special_case_accept is not None:
            claim.special_case = SpecialCase.ACCEPTED if special_case_accept else SpecialCase.REFUSED
            action = (
                ClaimEventAction.SPECIAL_CASE_ACCEPTED if special_case_accept else ClaimEventAction.SPECIAL_CASE_REFUSED
            )
            _transition(claim, actor=actor, action=action, status=claim.status, reason=note)

        if decision == Decision.APPROVE:
            if claim.special_case == SpecialCase.PENDING:
                message = _("Accept or refuse the late-claim reason first.")
                raise ServiceError(message, {"special_case_accept": [message]})
            if claim.special_case == SpecialCase.REFUSED:
                raise ServiceError(_("The late-claim reason was refused: the claim cannot be approved."))
            expenses = {e.id: e for e in claim.expenses.all()}
            for expense_id, (amount, reason) in (expense_reviews or {}).items():
                expense = expenses.get(int(expense_id))
                if expense is None:
                    raise ServiceError(_("Unknown invoice in the review."), {"expenses": [str(expense_id)]})
                amount = _money(amount, "approved_policy_amount")
                if amount > expense.policy_amount:
                    raise ServiceError(_("An approved amount cannot exceed the policy-scope amount claimed."))
                if amount != expense.policy_amount and not (reason or "").strip():
                    raise ServiceError(_("Say why an invoice's amount was adjusted."), {"adjust_reason": []})
                expense.approved_policy_amount, expense.adjust_reason = amount, (reason or "").strip()
                expense.save(update_fields=["approved_policy_amount", "adjust_reason"])
                _event(
                    claim,
                    actor=actor,
                    action=ClaimEventAction.EXPENSE_ADJUSTED,
                    from_status=claim.status,
                    reason=expense.adjust_reason,
                    invoice=expense.invoice_no,
                    approved_policy_amount=str(amount),
                )
            claim = Claim.objects.select_related("jurisdiction", "office", "registration", "enrollee").get(pk=claim.pk)
            computed = selectors.estimate(claim)
            if computed.available:
                # The benefit table decides; staff adjust the invoices' amounts, not the result.
                payment = computed.total
                if approved_amount is not None and _money(approved_amount, "approved_amount") != payment:
                    message = _(
                        "The benefit table gives %(total)s yuan: adjust the invoices' approved amounts instead of the "
                        "payment."
                    ) % {"total": payment}
                    raise ServiceError(message, {"approved_amount": [message]})
            elif approved_amount is not None:
                payment = _money(approved_amount, "approved_amount")
                ceiling = sum(
                    (e.approved_policy_amount if e.approved_policy_amount is not None else e.policy_amount)
                    for e in claim.expenses.all()
                )
                if payment > ceiling:
                    message = _(
                        "The payment cannot be more than the approved policy-scope amounts, %(ceiling)s yuan."
                    ) % {"ceiling": ceiling}
                    raise ServiceError(message, {"approved_amount": [message]})
            else:
                raise ServiceError(
                    _("There is no benefit table for this case: enter the approved fund payment."),
                    {"approved_amount": [_("This field is required.")]},
                )
            claim.approved_amount, claim.decided_at = payment, now
            threshold = ReviewThreshold.objects.filter(jurisdiction_id=claim.jurisdiction_id).first()
            if threshold and payment > threshold.four_eyes_above:
                claim.first_approved_by = actor
                _transition(
                    claim,
                    actor=actor,
                    action=ClaimEventAction.APPROVED_FIRST,
                    status=ClaimStatus.AWAITING_CONFIRMATION,
                    reason=note,
                    approved_amount=str(payment),
                )
            else:
                claim.decided_by = actor
                _transition(
                    claim, actor=actor, action=ClaimEventAction.APPROVED, status=ClaimStatus.APPROVED,
                    reason=note, approved_amount=str(payment),
                )  # fmt: skip
        elif decision == Decision.RETURN:
            if not reasons:
                raise ServiceError(_("List what the enrollee must fix."), {"reasons": [_("This field is required.")]})
            claim.return_reasons, claim.decided_at, claim.decided_by = reasons, now, actor
            _transition(claim, actor=actor, action=ClaimEventAction.RETURNED, status=ClaimStatus.RETURNED, reason=note)
        elif decision == Decision.REJECT:
            if not reasons:
                raise ServiceError(_("Give the reasons for rejecting."), {"reasons": [_("This field is required.")]})
            claim.decided_at, claim.decided_by = now, actor
            _transition(
                claim, actor=actor, action=ClaimEventAction.REJECTED, status=ClaimStatus.REJECTED,
                reason="；".join(reasons), reasons=reasons,
            )  # fmt: skip
        else:
            raise ServiceError(_("Unknown decision “%(decision)s”.") % {"decision": decision}, {"decision": [decision]})
        return claim


def claim_confirm(*, actor, claim, note: str = "") -> Claim:
    """The second reviewer of a four-eyes approval: must be someone else."""
    with transaction.atomic():
        claim = lock_for_decision(claim, actor=actor, expected=(ClaimStatus.AWAITING_CONFIRMATION,))
        if claim.first_approved_by_id == actor.pk:
            raise ServiceError(_("A second reviewer must confirm: you approved this claim yourself."))
        claim.decided_by, claim.decided_at = actor, timezone.now()
        _transition(claim, actor=actor, action=ClaimEventAction.APPROVED, status=ClaimStatus.APPROVED, reason=note)
        return claim


def claim_record_payment(*, actor, claim, note: str = "") -> Claim:
    with transaction.atomic():
        claim = lock_for_decision(claim, actor=actor, expected=(ClaimStatus.APPROVED,))
        claim.paid_at = timezone.now()
        _transition(
            claim, actor=actor, action=ClaimEventAction.PAID, status=ClaimStatus.PAID,
            reason=note, amount=str(claim.approved_amount),
        )  # fmt: skip
        return claim


def rescue_file(
    *,
    actor,
    enrollee,
    treated_on: datetime.date,
    emergency: bool,
    referred: bool,
    claim_kind: str,
    care_scope: str,
    care_province: str,
    care_city: str = "",
    referral_hospital: str = "",
    referral_hospital_level: int | None = None,
):
    """ "I was treated elsewhere and did not register": file what applies, linked, in one go.

    Emergency care counts as registered, so only the claim is filed (marked emergency);
    otherwise the registration the rules give for the case is filed from the treatment date
    (the referral type if a hospital referred the person, else the rule set's rescue default:
    policy.rules.rescue_type) and the claim is linked to it. Returns (registration or None, claim).
    """
    with transaction.atomic():
        advice = selectors.rescue_advice(
            jurisdiction=enrollee.jurisdiction.code, treated_on=treated_on, emergency=emergency, referred=referred
        )
        if advice.window_closed:
            message = _(
                "Care of %(date)s could be claimed until %(last)s: the window has closed. Please call %(phones)s."
            ) % {
                "date": treated_on.isoformat(),
                "last": advice.claim_deadline_extended or advice.claim_deadline,
                "phones": "、".join(p.number for p in enrollee.office.phones.all()),
            }
            raise ServiceError(message, {"treated_on": [message]})
        registration = None
        if advice.registration_type is not None:
            registration = registrations.registration_create(
                actor=actor,
                enrollee=enrollee,
                registration_type=advice.registration_type,
                care_scope=care_scope,
                care_province=care_province,
                care_city=care_city,
                start_date=treated_on,
                referral_hospital=referral_hospital,
                referral_hospital_level=referral_hospital_level,
            )
        claim = claim_create(
            actor=actor,
            enrollee=enrollee,
            claim_kind=claim_kind,
            registration=registration,
            emergency=advice.registration_type is None,
        )
        return registration, claim


_UNSET = object()


def claim_update(*, actor, claim, treatment=_UNSET, special_case_reason=_UNSET) -> Claim:
    """Change the treatment (it decides the checklist) or the late-claim reason of an editable claim."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
        if claim.status not in EDITABLE_STATUSES:
            raise ConflictError(
                _("This claim is “%(status)s” and can no longer be edited.") % {"status": claim.get_status_display()}
            )
        fields = []
        if treatment is not _UNSET:
            claim.treatment = treatment or ""
            fields.append("treatment")
        if special_case_reason is not _UNSET:
            claim.special_case_reason = (special_case_reason or "").strip()
            fields.append("special_case_reason")
        if fields:
            claim.full_clean(exclude=["number"])
            claim.save(update_fields=[*fields, "updated_at"])
            _event(claim, actor=actor, action=ClaimEventAction.UPDATED, fields=fields)
        return claim


def documents_purge_closed(*, closed_before: datetime.datetime) -> int:
    """Remove the documents of claims paid or rejected before `closed_before` (retention task); the history stays."""
    return purge_closed_documents(
        Claim,
        closed_statuses=CLOSED_STATUSES,
        closed_before=closed_before,
        record=lambda case, count: _event(case, actor=None, action=ClaimEventAction.DOCUMENTS_PURGED, count=count),
    )
