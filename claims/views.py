"""The enrollee's claim pages (零星报销): thin views over claims.services and claims.selectors.

Every change is a POST with CSRF calling one service; a ServiceError goes back onto the form
it came from, never a 500. Reads go through the selectors, which scope to the user: another
person's claim or document is a 404 on every page and action.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import pages
from cases import views as case_views
from cases.forms import add_service_error, upload_forms
from cases.views import detail_url, moved_on
from claims import selectors, services
from claims.constants import EDITABLE_STATUSES, ClaimStatus, SpecialCase
from claims.forms import ClaimStartForm, ExpenseForm, RescueForm, SubmitForm
from common.errors import ConflictError, ServiceError
from common.translations import localized
from policy import rules
from policy import selectors as policy
from registrations import selectors as registration_selectors
from registrations.constants import RegistrationStatus

# Registrations a claim may name: those that were, or may still be, in force.
LINKABLE_STATUSES = (
    RegistrationStatus.APPROVED,
    RegistrationStatus.EXPIRED,
    RegistrationStatus.SUPERSEDED,
    RegistrationStatus.CANCELLED,
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.DRAFT,
    RegistrationStatus.RETURNED,
)


def _detail_url(claim, anchor: str = "") -> str:
    return detail_url("claims", claim, anchor)


def _type_name(registration) -> str:
    rule = registration_selectors.type_rule(registration)
    return localized(rule) if rule else registration.registration_type


def _registration_label(registration) -> str:
    kind = _type_name(registration)
    if registration.valid_from:
        until = registration.valid_until.isoformat() if registration.valid_until else "…"
        return f"{kind} {registration.number} ({registration.valid_from.isoformat()} – {until})"
    return f"{kind} {registration.number} ({registration.get_status_display()})"


def _next_step(claim) -> str:
    if claim.status in EDITABLE_STATUSES:
        if not claim.expenses.all():
            return _("Add the invoices")
        if claim.status == ClaimStatus.RETURNED:
            return _("Returned: fix what the office lists, then submit again")
        return _("Add the documents, then submit")
    if claim.status == ClaimStatus.SUBMITTED and claim.special_case == SpecialCase.PENDING:
        return _("Awaiting the office: your late-claim reason and the review")
    if claim.status in (ClaimStatus.SUBMITTED, ClaimStatus.AWAITING_CONFIRMATION):
        return _("Awaiting review since %(date)s") % {"date": timezone.localdate(claim.submitted_at).isoformat()}
    if claim.status == ClaimStatus.APPROVED:
        return _("Approved: %(amount)s yuan to be paid") % {"amount": claim.approved_amount}
    if claim.status == ClaimStatus.PAID:
        return _("Paid: %(amount)s yuan") % {"amount": claim.approved_amount}
    return _("Rejected: see why")


def _deadline_text(window) -> str:
    if window.deadline is None:
        return _("The rules state no claim deadline for this date: ask your office.")
    if window.extended:
        return _("Claim by %(deadline)s (special cases, with a reason the office accepts: until %(extended)s).") % {
            "deadline": window.deadline.isoformat(),
            "extended": window.extended.isoformat(),
        }
    return _("Claim by %(deadline)s.") % {"deadline": window.deadline.isoformat()}


# --- List and new ---------------------------------------------------------------------------


@login_required
@require_GET
def claim_list(request):
    rows = [
        {"claim": claim, "next_step": _next_step(claim), "url": _detail_url(claim)}
        for claim in selectors.claim_list_for_user(request.user)
    ]
    return render(request, "claims/list.html", {"rows": rows})


def _linkable_registrations(user):
    return (
        registration_selectors.registration_list_for_user(user)
        .filter(enrollee=user, status__in=LINKABLE_STATUSES)
        .order_by("-start_date")
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_new(request):
    if not request.user.is_enrollee:
        messages.error(request, _("Claims are filed by the insured person; staff file at the window."))
        return redirect("claims:list")
    form = ClaimStartForm(
        request.POST if request.method == "POST" else None,
        registrations=_linkable_registrations(request.user),
        registration_label=_registration_label,
    )
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(
                actor=request.user,
                enrollee=request.user,
                claim_kind=form.cleaned_data["claim_kind"],
                treatment=form.cleaned_data["treatment"],
                registration=form.registration(),
                emergency=form.emergency(),
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Draft claim %(number)s saved. Now add the invoices.") % {"number": claim.number}
            )
            return redirect(_detail_url(claim, "expenses"))
    return render(request, "claims/new.html", {"form": form}, status=400 if form.errors else 200)


# --- Deadline for a date, as soon as it is typed ---------------------------------------------


@login_required
@require_GET
def deadline(request):
    """JSON {text} for the invoice-date field: the window of that date under the enrollee's rules."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return JsonResponse({"text": ""}, status=400)
    if request.user.jurisdiction is None:
        return JsonResponse({"text": ""}, status=400)
    if day > timezone.localdate():
        return JsonResponse({"text": _("The date is in the future."), "closed": True})
    try:
        window = selectors.expense_window(jurisdiction=request.user.jurisdiction.code, expense_date=day)
    except rules.PolicyError as error:
        return JsonResponse({"text": error.message, "closed": True})
    today = timezone.localdate()
    closed = window.deadline is not None and today > (window.extended or window.deadline)
    text = _deadline_text(window)
    if closed:
        text = _("The window for this date closed on %(last)s: it can no longer be claimed.") % {
            "last": (window.extended or window.deadline).isoformat()
        }
    elif window.deadline and today > window.deadline:
        text = _("Late: only as a special case with a reason, until %(extended)s.") % {
            "extended": window.extended.isoformat()
        }
    return JsonResponse({"text": text, "closed": closed})


# --- Detail and its actions -----------------------------------------------------------------


def _detail_context(request, claim, *, expense_form=None, failed_upload=None, submit_form=None, submit_problem=None):
    windows = selectors.expense_windows(claim)
    estimate = selectors.estimate(claim)
    expenses = [
        {
            "expense": expense,
            "deadline": _deadline_text(windows[expense.id]),
            "estimate": estimate.per_expense.get(expense.id),
        }
        for expense in claim.expenses.all()
    ]
    editable = claim.status in EDITABLE_STATUSES
    parts = selectors.case_parts(claim)
    deadlines = [w.deadline for w in windows.values() if w.deadline]
    reduction, reduction_source = selectors.reduction_for(claim)
    late = editable and bool(selectors.late_expenses(claim, on=timezone.localdate(), special_case_accepted=False))
    return {
        **pages.case_context(
            claim,
            request.user,
            **parts,
            document_row=pages.document_row(
                claim,
                namespace="claims",
                kind_names=pages.document_names(parts["groups"]),
                removable=lambda _doc: editable,
            ),
            upload_form=upload_forms(editable=editable, failed_upload=failed_upload),
            failed_upload=failed_upload,
        ),
        "claim": claim,
        "registration": claim.registration,
        "registration_type": _type_name(claim.registration) if claim.registration else "",
        "registration_missing": len(registration_selectors.missing(claim.registration))
        if claim.registration and claim.registration.is_editable
        else 0,
        "next_step": _next_step(claim),
        "expenses": expenses,
        "totals": {
            "total": sum((e.total_amount for e in claim.expenses.all()), start=0),
            "policy": sum((e.policy_amount for e in claim.expenses.all()), start=0),
        },
        "claim_deadline": min(deadlines) if deadlines else None,
        "estimate": estimate,
        "reduction": reduction,
        "reduction_source": reduction_source,
        "can_edit": editable,
        "late": late,
        "expense_form": expense_form or (ExpenseForm(deadline_url=reverse("claims:deadline")) if editable else None),
        "submit_form": submit_form or SubmitForm(initial={"special_case_reason": claim.special_case_reason}),
        "submit_problem": submit_problem,
        "office_phones": selectors.office_phones(claim),
    }


@login_required
@require_POST
def expense_add(request, uuid):
    claim = selectors.claim_get_for_party(request.user, uuid)
    form = ExpenseForm(request.POST, deadline_url=reverse("claims:deadline"))
    if form.is_valid():
        try:
            expense = services.expense_add(actor=request.user, claim=claim, **form.cleaned_data)
        except ConflictError as error:
            return moved_on(request, "claims", claim, error)
        except ServiceError as error:
            add_service_error(form, error)
            return CASE_PAGES.render(request, claim, status=error.status_code, expense_form=form)
        messages.success(request, _("Invoice %(invoice)s added.") % {"invoice": expense.invoice_no})
        return redirect(_detail_url(claim, "expenses"))
    return CASE_PAGES.render(request, claim, status=400, expense_form=form)


@login_required
@require_POST
def expense_remove(request, uuid, expense_id):
    expense = selectors.expense_get(request.user, uuid, expense_id)
    claim = selectors.claim_get_for_party(request.user, uuid)
    try:
        services.expense_remove(actor=request.user, expense=expense)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invoice %(invoice)s removed.") % {"invoice": expense.invoice_no})
    return redirect(_detail_url(claim, "expenses"))


@login_required
@require_POST
def claim_submit(request, uuid):
    claim = selectors.claim_get_for_party(request.user, uuid)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return CASE_PAGES.render(request, claim, status=400, submit_form=form)
    try:
        claim = services.claim_submit(
            actor=request.user, claim=claim, special_case_reason=form.cleaned_data["special_case_reason"]
        )
    except ConflictError as error:
        return moved_on(request, "claims", claim, error)
    except ServiceError as error:
        claim = selectors.claim_get_for_party(request.user, uuid)
        problem = pages.submit_problem(error, selectors.missing(claim))
        return CASE_PAGES.render(request, claim, status=error.status_code, submit_form=form, submit_problem=problem)
    messages.success(
        request,
        _("Claim %(number)s submitted. The office reviews it; you will see the result here.")
        % {"number": claim.number},
    )
    return redirect(_detail_url(claim))


# --- Rescue path: treated elsewhere without registering -------------------------------------


def _advice_context(user, data) -> dict:
    advice = selectors.rescue_advice(
        jurisdiction=user.jurisdiction.code,
        treated_on=data["treated_on"],
        emergency=data["emergency"],
        referred=data["referred"],
    )
    type_name = ""
    if advice.registration_type:
        ruleset = policy.ruleset_for(user.jurisdiction.code, data["treated_on"])
        type_name = localized(rules.registration_type(ruleset, advice.registration_type))
    phones = "、".join(p.number for p in user.office.phones.all()) if user.office_id else ""
    return {"advice": advice, "type_name": type_name, "office_phones": phones}


@login_required
@require_http_methods(["GET", "POST"])
def rescue(request):
    """One guided flow: the questions, what applies, then both records filed together, linked."""
    user = request.user
    if not user.is_enrollee or user.jurisdiction is None:
        messages.error(request, _("Only an insured person with a known insured region can use this guide."))
        return redirect("claims:list")
    form = RescueForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            context.update(_advice_context(user, data))
        except rules.PolicyError as error:
            form.add_error(None, error.message)
            return render(request, "claims/rescue.html", context, status=400)
        if request.POST.get("confirm") == "file" and not context["advice"].window_closed:
            try:
                registration, claim = services.rescue_file(
                    actor=user,
                    enrollee=user,
                    treated_on=data["treated_on"],
                    emergency=data["emergency"],
                    referred=data["referred"],
                    claim_kind=data["claim_kind"],
                    care_scope=rules.care_scope_for(data["care_province"], user.jurisdiction.province),
                    care_province=data["care_province"],
                    care_city=data["care_city"],
                    referral_hospital=data["referral_hospital"] if data["referred"] else "",
                    referral_hospital_level=data["referral_hospital_level"] if data["referred"] else None,
                )
            except ServiceError as error:
                add_service_error(form, error)
                return render(request, "claims/rescue.html", context, status=error.status_code)
            if registration is not None:
                message = _("Filed together: registration %(registration)s and claim %(claim)s, linked.") % {
                    "registration": registration.number,
                    "claim": claim.number,
                }
            else:
                message = _("Claim %(claim)s filed as emergency care: no registration is needed.") % {
                    "claim": claim.number
                }
            messages.success(request, message)
            return redirect(_detail_url(claim))
        context["confirming"] = True
    return render(request, "claims/rescue.html", context, status=400 if form.errors else 200)


# --- The case and its documents (cases.views) -------------------------------------------------


def _add_document(*, case, **document):
    return services.claim_document_add(claim=case, **document)


CASE_PAGES = case_views.CasePages(
    "claims", selectors.claim_get_for_party, selectors.checklist, "claims/detail.html", _detail_context
)
claim_detail, document_upload, document_download, document_remove = CASE_PAGES.views(
    _add_document, services.claim_document_remove
)
