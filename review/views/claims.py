"""The window staff's claim pages: the queue and a claim under review.

Access is `review.access.staff_view`; which claims a person sees is decided by the
selectors (another office's claim is a 404). Decisions go through claims.services, which
lock the row: a second decision on the same claim is a 409 showing the claim as it is now.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import pages
from cases.constants import Decision, queue_statuses
from cases.forms import add_service_error
from claims import selectors, services
from claims.constants import ClaimStatus, SpecialCase
from common.downloads import document_response
from common.errors import ConflictError, ServiceError
from review.access import staff_view
from review.forms import ClaimDecisionForm, ExpenseReviewForm, NoteForm, active_reason_templates
from review.models import ReasonTemplate

QUEUE_STATUSES = queue_statuses(ClaimStatus)


@staff_view
@require_GET
def queue(request):
    status = request.GET.get("status") or ClaimStatus.SUBMITTED
    if status not in dict(QUEUE_STATUSES):
        status = ClaimStatus.SUBMITTED
    claims = list(selectors.review_queue(request.user, status=status).order_by("submitted_at", "pk")[:100])
    today = timezone.localdate()
    rows = []
    for claim in claims:
        expenses = list(claim.expenses.all())
        rows.append(
            {
                "claim": claim,
                "total": sum((e.total_amount for e in expenses), start=0),
                "policy": sum((e.policy_amount for e in expenses), start=0),
                "invoices": len(expenses),
                "waiting_days": (today - timezone.localdate(claim.submitted_at)).days,
            }
        )
    counts = selectors.review_counts(request.user)
    tabs = [
        {"value": value, "label": label, "count": counts.get(value, 0) if value in selectors.COUNTED_STATUSES else None}
        for value, label in QUEUE_STATUSES
    ]
    return render(request, "review/claims_queue.html", {"rows": rows, "status": status, "tabs": tabs})


def _templates():
    return active_reason_templates(ReasonTemplate.AppliesTo.CLAIM)


def _expense_forms(claim, data=None) -> dict:
    return {e.id: ExpenseReviewForm(data, expense=e) for e in claim.expenses.all()}


def _render_detail(request, claim, *, decision_form=None, expense_forms=None, conflict=None, status=200):
    can_decide = claim.status == ClaimStatus.SUBMITTED
    if decision_form is None:
        decision_form = ClaimDecisionForm(
            templates=_templates(), special_case_pending=claim.special_case == SpecialCase.PENDING
        )
    if expense_forms is None:
        expense_forms = _expense_forms(claim) if can_decide else {}
    windows = selectors.expense_windows(claim)
    estimate = selectors.estimate(claim)
    expenses = [
        {
            "expense": e,
            "window": windows[e.id],
            "estimate": estimate.per_expense.get(e.id),
            "form": expense_forms.get(e.id),
        }
        for e in claim.expenses.all()
    ]
    reduction, reduction_source = selectors.reduction_for(claim)
    row = pages.review_document_row(claim, url_name="review:claim_document")
    context = {
        **pages.review_context(claim, request.user, **selectors.case_parts(claim), document_row=row),
        "claim": claim,
        "expenses": expenses,
        "estimate": estimate,
        "reduction": reduction,
        "reduction_source": reduction_source,
        "decision_form": decision_form,
        "note_form": NoteForm(),
        "can_decide": can_decide,
        "can_confirm": claim.status == ClaimStatus.AWAITING_CONFIRMATION
        and claim.first_approved_by_id != request.user.pk,
        "can_pay": claim.status == ClaimStatus.APPROVED,
        "conflict": conflict,
    }
    return render(request, "review/claim_detail.html", context, status=status)


@staff_view
@require_GET
def detail(request, uuid):
    return _render_detail(request, selectors.claim_get(request.user, uuid))


@staff_view
@require_POST
def decide(request, uuid):
    claim = selectors.claim_get(request.user, uuid)
    pending = claim.special_case == SpecialCase.PENDING
    form = ClaimDecisionForm(request.POST, templates=_templates(), special_case_pending=pending)
    approving = request.POST.get("decision") == Decision.APPROVE
    expense_forms = _expense_forms(claim, request.POST if approving else None)
    valid = form.is_valid() & all([f.is_valid() for f in expense_forms.values()] if approving else [True])
    if not valid:
        return _render_detail(request, claim, decision_form=form, expense_forms=expense_forms, status=400)

    data = form.cleaned_data
    language = claim.enrollee.preferred_language
    reasons = form.reason_texts(language)
    special = data.get("special_case")
    try:
        claim = services.claim_decide(
            actor=request.user,
            claim=claim,
            decision=data["decision"],
            reasons=reasons,
            note=data["note"],
            expense_reviews={
                expense_id: (f.cleaned_data["approved_policy_amount"], f.cleaned_data["adjust_reason"])
                for expense_id, f in expense_forms.items()
            }
            if approving
            else None,
            approved_amount=data["approved_amount"],
            special_case_accept=None if not special else special == "accept",
        )
    except ConflictError as error:
        return _render_detail(request, selectors.claim_get(request.user, uuid), conflict=error.message, status=409)
    except ServiceError as error:
        add_service_error(form, error)
        return _render_detail(request, claim, decision_form=form, expense_forms=expense_forms, status=400)
    messages.success(
        request, _("Claim %(number)s: %(status)s.") % {"number": claim.number, "status": claim.get_status_display()}
    )
    return redirect("review:claim_detail", uuid=claim.uuid)


def _second_step(request, uuid, service):
    claim = selectors.claim_get(request.user, uuid)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        claim = service(actor=request.user, claim=claim, note=note)
    except ConflictError as error:
        return _render_detail(request, selectors.claim_get(request.user, uuid), conflict=error.message, status=409)
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("review:claim_detail", uuid=claim.uuid)
    messages.success(
        request, _("Claim %(number)s: %(status)s.") % {"number": claim.number, "status": claim.get_status_display()}
    )
    return redirect("review:claim_detail", uuid=claim.uuid)


@staff_view
@require_POST
def confirm(request, uuid):
    return _second_step(request, uuid, services.claim_confirm)


@staff_view
@require_POST
def payment(request, uuid):
    return _second_step(request, uuid, services.claim_record_payment)


@staff_view
@require_GET
def document(request, uuid, document_uuid):
    document = selectors.document_get(request.user, uuid, document_uuid)
    return document_response(document, viewer=request.user, case_number=document.claim.number)
