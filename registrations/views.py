"""The enrollee's registration pages (异地就医备案): thin views over the services and selectors.

Every change is a POST with CSRF that calls one service; a ServiceError goes back onto the
form field it names, next to the document kind, or under the Submit button — never a 500.
Reads go through registrations.selectors, which scope to the user, so another person's
registration or document is a 404 on every page and action.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import pages
from cases import views as case_views
from cases.forms import add_service_error, upload_forms
from cases.views import detail_url
from common import throttling
from common.errors import ServiceError
from common.translations import localized
from policy import rules
from policy import selectors as policy
from policy.constants import Category, ValidityRule
from registrations import selectors, services
from registrations.constants import CANCELLABLE_STATUSES, DocumentStatus, RegistrationStatus
from registrations.forms import CancelForm, CommitmentForm, RegistrationDetailsForm, StatusCheckForm

PENDING_STATUSES = (RegistrationStatus.DRAFT, RegistrationStatus.SUBMITTED, RegistrationStatus.RETURNED)


# --- Helpers -------------------------------------------------------------------------------


def _day(value) -> str:
    if not value:
        return ""
    return (timezone.localdate(value) if hasattr(value, "tzinfo") else value).isoformat()


_type_rule = selectors.type_rule


def _type_name(registration, type_rule=None) -> str:
    type_rule = type_rule or _type_rule(registration)
    return localized(type_rule) if type_rule else registration.registration_type


def _wizard_url() -> str | None:
    try:
        return reverse("policy:wizard")
    except NoReverseMatch:
        return None


def _detail_url(registration, anchor: str = "") -> str:
    return detail_url("registrations", registration, anchor)


def _documents_needed(gaps, provided: set[str]) -> int:
    """The fewest documents that would complete the missing groups (the cheapest option of each)."""
    return sum(
        min(len({d.code for d in option.documents} - provided) for option in group.options)
        for group in gaps
        if group.options
    )


def _next_step(registration) -> str:
    """One line on what happens next, for the list."""
    status = registration.status
    if status == RegistrationStatus.DRAFT:
        provided = selectors.provided_kinds(registration)
        count = _documents_needed(rules.missing_materials(selectors.checklist(registration), provided), provided)
        if count:
            return ngettext(
                "Upload %(count)s document, then submit", "Upload %(count)s documents, then submit", count
            ) % {"count": count}
        return _("All documents are there: check and submit")
    if status == RegistrationStatus.SUBMITTED:
        return _("Awaiting review since %(date)s") % {"date": _day(registration.submitted_at)}
    if status == RegistrationStatus.RETURNED:
        count = len(registration.return_reasons) or 1
        return ngettext("Returned: %(count)s thing to fix", "Returned: %(count)s things to fix", count) % {
            "count": count
        }
    if status == RegistrationStatus.APPROVED:
        if registration.valid_from and registration.valid_from > timezone.localdate():
            return _("In force from %(date)s") % {"date": _day(registration.valid_from)}
        if registration.valid_until:
            return _("In force until %(date)s") % {"date": _day(registration.valid_until)}
        return _("In force until you change or cancel it")
    if status == RegistrationStatus.REJECTED:
        return _("Rejected: see why")
    if status == RegistrationStatus.CANCELLED:
        return _("Cancelled from %(date)s") % {"date": _day(registration.cancel_effective_date)}
    if status == RegistrationStatus.EXPIRED:
        return _("Expired: file a new registration if you still need one")
    return _("Replaced by a change")


# --- List ----------------------------------------------------------------------------------


@login_required
@require_GET
def registration_list(request):
    return render(request, "registrations/list.html", {"rows": _list_rows(request.user)})


def _list_rows(user) -> list[dict]:
    # The next step counts documents: one extra query for all rows, not one per row.
    return [
        {
            "registration": registration,
            "type_name": _type_name(registration),
            "next_step": _next_step(registration),
            "url": _detail_url(registration),
        }
        for registration in selectors.registration_list_for_user(user)
    ]


# --- New: choose the type, then the details ---------------------------------------------


def _type_card(ruleset, offered: dict) -> dict:
    rule = rules.registration_type(ruleset, offered["code"])
    example = None
    if rule.validity_rule == ValidityRule.FIXED_MONTHS:
        example = rules.validity(rule, starts=timezone.localdate())
    return {
        "code": rule.code,
        "name": localized(offered),
        "description": localized(offered, "description"),
        "category": Category(rule.category).label if rule.category in Category.values else rule.category,
        "reduction_points": rule.reduction_points,
        "validity_rule": rule.validity_rule,
        "validity_months": rule.validity_months,
        "example": example,
        "filing_required": rule.filing_required,
        "review_required": rule.review_required,
        "materials": [
            {
                "name": localized(group),
                "alternatives": [
                    {"name": localized(option), "documents": [localized(d) for d in option["documents"]]}
                    for option in group["alternatives"]
                ],
            }
            for group in offered["required_materials"]
        ],
        "agent_materials": [
            localized(group)
            for group in rules.registration_materials(ruleset, rule.code, agent=True)
            if group.when_agent
        ],
        "url": reverse("registrations:new_details", args=[rule.code]),
    }


@login_required
@require_GET
def registration_new(request):
    jurisdiction = request.user.jurisdiction
    context = {"jurisdiction": jurisdiction, "cards": [], "error": None, "wizard_url": _wizard_url()}
    if jurisdiction is None:
        context["error"] = _("Your account has no insured region: ask your insured region's office to complete it.")
    else:
        try:
            ruleset, offered = policy.registration_type_list(jurisdiction.code)
        except rules.PolicyError as error:
            context["error"] = error.message
        else:
            context["ruleset"] = ruleset
            context["cards"] = [_type_card(ruleset, item) for item in offered]
    return render(request, "registrations/new.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def registration_new_details(request, type_code):
    jurisdiction = request.user.jurisdiction
    if jurisdiction is None:
        return redirect("registrations:new")
    try:
        ruleset = policy.ruleset_for(jurisdiction.code)
        type_rule = rules.registration_type(ruleset, type_code)
    except rules.PolicyError:
        raise Http404 from None
    context = {"type_rule": type_rule, "type_name": localized(type_rule), "wizard_url": _wizard_url()}
    if not type_rule.filing_required:
        # The service refuses these (南通 Q7.4: emergency counts as registered): explain instead.
        return render(request, "registrations/no_filing.html", context)

    form = RegistrationDetailsForm(
        request.POST if request.method == "POST" else None,
        type_rule=type_rule,
        ruleset=ruleset,
        home_province=jurisdiction.province,
        initial={"start_date": timezone.localdate(), "contact_phone": request.user.phone or ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                actor=request.user,
                enrollee=request.user,
                registration_type=type_rule.code,
                agent=form.agent() or None,
                **form.details(),
            )
        except (ServiceError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Draft %(number)s saved. Now add the documents and submit it.") % {"number": registration.number},
            )
            return redirect(_detail_url(registration, "checklist"))
    context.update(form=form, mode="create")
    return render(request, "registrations/details_form.html", context, status=400 if form.errors else 200)


# --- Detail and its actions --------------------------------------------------------------


def _detail_context(request, registration, *, failed_upload=None, submit_problem=None, commitment_form=None):
    type_rule = _type_rule(registration)
    parts = selectors.case_parts(registration)
    editable = registration.is_editable
    # A letter accepted on the page (个人承诺书) gets the acceptance form, not an upload form.
    portal_accepted = selectors.portal_accepted_kinds(registration)
    shared = pages.case_context(
        registration,
        request.user,
        **parts,
        document_row=pages.document_row(
            registration,
            namespace="registrations",
            kind_names=pages.document_names(parts["groups"]),
            removable=lambda document: editable and document.status != DocumentStatus.ACCEPTED,
        ),
        upload_form=upload_forms(editable=editable, failed_upload=failed_upload, skip=portal_accepted),
        failed_upload=failed_upload,
    )

    expected = None
    if registration.status in PENDING_STATUSES and type_rule:
        try:
            expected = rules.validity(
                type_rule, starts=registration.start_date, proof_valid_until=registration.proof_valid_until
            )
        except rules.PolicyError:
            expected = None

    successor = selectors.successor_of(registration)

    commitment_offered = bool(portal_accepted)
    return {
        **shared,
        "registration": registration,
        "type_rule": type_rule,
        "type_name": _type_name(registration, type_rule),
        "reduction_points": registration.reduction_points
        if registration.reduction_points is not None
        else (type_rule.reduction_points if type_rule else None),
        "next_step": _next_step(registration),
        "expected": expected,
        "commitment_offered": commitment_offered,
        "commitment_accepted_at": registration.commitment_accepted_at,
        "commitment_form": commitment_form or (CommitmentForm() if commitment_offered else None),
        "submit_problem": submit_problem,
        "successor": successor,
        "can_edit": editable,
        "can_cancel": registration.status in CANCELLABLE_STATUSES,
        "can_change": registration.status == RegistrationStatus.APPROVED and successor is None,
    }


@login_required
@require_POST
def registration_submit(request, uuid):
    registration = selectors.registration_get_for_party(request.user, uuid)
    try:
        registration = services.registration_submit(actor=request.user, registration=registration)
    except ServiceError as error:
        problem = pages.submit_problem(error, selectors.missing(registration))
        return CASE_PAGES.render(request, registration, status=error.status_code, submit_problem=problem)
    if registration.status == RegistrationStatus.APPROVED:
        if registration.valid_until:
            message = _("Registration %(number)s is in force from %(start)s until %(end)s.")
        else:
            message = _("Registration %(number)s is in force from %(start)s until you change or cancel it.")
        messages.success(
            request,
            message
            % {
                "number": registration.number,
                "start": _day(registration.valid_from),
                "end": _day(registration.valid_until),
            },
        )
    else:
        messages.success(
            request,
            _("Registration %(number)s submitted. The office reviews it; you will see the result here.")
            % {"number": registration.number},
        )
    return redirect(_detail_url(registration))


@login_required
@require_POST
def commitment_accept(request, uuid):
    registration = selectors.registration_get_for_party(request.user, uuid)
    form, status = CommitmentForm(request.POST), 400
    if form.is_valid():
        try:
            services.commitment_accept(actor=request.user, registration=registration)
        except ServiceError as error:
            form.add_error(None, error.message)
            status = error.status_code
        else:
            messages.success(request, _("You accepted the personal commitment letter."))
            return redirect(_detail_url(registration, "commitment"))
    return CASE_PAGES.render(request, registration, status=status, commitment_form=form)


def _details_form(request, registration, *, mode: str):
    ruleset = policy.ruleset_by_id(registration.ruleset_id)
    type_rule = _type_rule(registration)
    if ruleset is None or type_rule is None:
        raise Http404
    initial = RegistrationDetailsForm.initial_for(registration)
    if mode == "change":
        initial["start_date"] = timezone.localdate()
    form = RegistrationDetailsForm(
        request.POST if request.method == "POST" else None,
        type_rule=type_rule,
        ruleset=ruleset,
        home_province=registration.jurisdiction.province,
        mode=mode,
        registration=registration,
        initial=initial,
    )
    form.infer_proof_option(selectors.provided_kinds(registration))
    return form, type_rule


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request, uuid):
    registration = selectors.registration_get_for_party(request.user, uuid)
    if not registration.is_editable:
        messages.error(request, _("This registration can no longer be edited."))
        return redirect(_detail_url(registration))
    form, type_rule = _details_form(request, registration, mode="edit")
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_update(
                actor=request.user, registration=registration, agent=form.agent(), **form.details()
            )
        except (ServiceError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect(_detail_url(registration))
    context = {"form": form, "mode": "edit", "registration": registration, "type_name": localized(type_rule)}
    return render(request, "registrations/details_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def registration_change(request, uuid):
    registration = selectors.registration_get_for_party(request.user, uuid)
    if registration.status != RegistrationStatus.APPROVED:
        messages.error(request, _("Only a registration in force can be changed; edit or cancel this one instead."))
        return redirect(_detail_url(registration))
    form, type_rule = _details_form(request, registration, mode="change")
    if request.method == "POST" and form.is_valid():
        try:
            successor = services.registration_change(actor=request.user, registration=registration, **form.details())
        except (ServiceError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Change filed as draft %(number)s. Add its documents and submit it: once approved it replaces "
                    "%(old)s."
                )
                % {"number": successor.number, "old": registration.number},
            )
            return redirect(_detail_url(successor, "checklist"))
    context = {"form": form, "mode": "change", "registration": registration, "type_name": localized(type_rule)}
    return render(request, "registrations/details_form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, uuid):
    """GET asks for confirmation and the date; only the POST of that form cancels."""
    registration = selectors.registration_get_for_party(request.user, uuid)
    if registration.status not in CANCELLABLE_STATUSES:
        messages.error(request, _("This registration cannot be cancelled."))
        return redirect(_detail_url(registration))
    form = CancelForm(
        request.POST if request.method == "POST" else None, initial={"effective_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_cancel(
                actor=request.user,
                registration=registration,
                effective_date=form.cleaned_data["effective_date"],
                reason=form.cleaned_data["reason"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Registration %(number)s is cancelled from %(date)s.")
                % {"number": registration.number, "date": _day(form.cleaned_data["effective_date"])},
            )
            return redirect(_detail_url(registration))
    context = {"form": form, "registration": registration, "type_name": _type_name(registration)}
    return render(request, "registrations/cancel.html", context, status=400 if form.errors else 200)


# --- Public status check -----------------------------------------------------------------


def _public_status(registration) -> dict:
    """Only what the number's holder may see without logging in: no name beyond its initial."""
    name = registration.enrollee.name or ""
    return {
        "number": registration.number,
        "status": registration.status,
        "status_label": registration.get_status_display(),
        "type_name": _type_name(registration),
        "name_initial": f"{name[:1]}*" if name else "",
        "submitted_at": registration.submitted_at,
        "decided_at": registration.decided_at,
        "valid_from": registration.valid_from,
        "valid_until": registration.valid_until,
        "cancel_effective_date": registration.cancel_effective_date,
    }


def _status_number(group, request) -> str:
    return (request.POST.get("number") or "").strip().upper()  # as the selector reads it


def _status_check_limited(request) -> bool:
    by_client = throttling.count(request, group="status-check", key="ip", rate="20/10m")
    by_number = throttling.count(request, group="status-check-number", key=_status_number, rate="10/h")
    return any(usage and usage["should_limit"] for usage in (by_client, by_number))


@require_http_methods(["GET", "POST"])
def status_check(request):
    """Number + last 4 characters of the ID; one "not found" answer for every mismatch.

    POST, so the ID characters stay out of URLs and access logs. Rate-limited per client and
    per registration number, so the ~11,000 possible endings cannot be tried one by one.
    """
    form = StatusCheckForm(request.POST if request.method == "POST" else None)
    result, not_found = None, False
    if request.method == "POST" and _status_check_limited(request):
        form.add_error(None, _("Too many attempts. Please wait an hour, or call your office."))
        return render(
            request, "registrations/status.html", {"form": form, "result": None, "not_found": False}, status=429
        )
    if request.method == "POST" and form.is_valid():
        registration = selectors.registration_for_status_check(
            form.cleaned_data["number"], form.cleaned_data["id_last4"]
        )
        if registration is None:
            not_found = True
        else:
            result = _public_status(registration)
    return render(request, "registrations/status.html", {"form": form, "result": result, "not_found": not_found})


# --- The case and its documents (cases.views) -------------------------------------------------


def _add_document(*, case, **document):
    return services.document_add(registration=case, **document)


CASE_PAGES = case_views.CasePages(
    "registrations",
    selectors.registration_get_for_party,
    selectors.checklist,
    "registrations/detail.html",
    _detail_context,
)
registration_detail, document_upload, document_download, document_remove = CASE_PAGES.views(
    _add_document, services.document_remove
)
