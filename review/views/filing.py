"""Walk-in and mail filing: staff find (or open an account for) the person, type in the filing
as the person would online, scan the paper documents, and submit it. The same services as online
decide what may be filed; only the channel and who filed it differ."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import national_id
from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.constants import Role
from cases import pages
from cases.forms import add_service_error
from common.errors import ServiceError
from common.translations import localized
from policy import rules
from policy import selectors as policy_selectors
from registrations import selectors, services
from registrations.constants import RegistrationStatus
from review.access import staff_view
from review.forms import FindEnrolleeForm, NewEnrolleeForm, PaperDocumentForm, WalkInForm


@staff_view
@require_http_methods(["GET", "POST"])
def file_start(request):
    """Step 1: find the enrollee by identity number, or open an account for them."""
    offices = request.review_offices
    step = request.POST.get("step") if request.method == "POST" else None
    find_form = FindEnrolleeForm(request.POST if step == "find" else None)
    new_form = None
    if step == "create":
        new_form = NewEnrolleeForm(request.POST, offices=offices)
        if new_form.is_valid():
            data = new_form.cleaned_data
            try:
                enrollee = account_services.enrollee_register(
                    national_id_value=data["national_id"],
                    name=data["name"],
                    phone=data["phone"],
                    password=None,
                    scheme=data["scheme"],
                    jurisdiction_code=data["office"].jurisdiction.code,
                    office_code=data["office"].code,
                )
            except ServiceError as error:
                add_service_error(new_form, error)
            else:
                messages.success(request, _("Account opened for %(name)s.") % {"name": enrollee.name})
                return redirect("review:file_details", enrollee_uuid=enrollee.uuid)
    elif step == "find" and find_form.is_valid():
        number = find_form.cleaned_data["national_id"]
        found = account_selectors.user_by_national_id(number)
        if found is None:
            new_form = NewEnrolleeForm(initial={"national_id": number}, offices=offices)
        elif found.role != Role.ENROLLEE:
            find_form.add_error("national_id", _("This identity number belongs to a staff account."))
        elif found.office_id not in {office.pk for office in offices}:
            find_form.add_error(
                "national_id",
                _("This enrollee is insured at %(office)s: that office takes the filing.")
                % {"office": found.office or _("an unknown office")},
            )
        else:
            return redirect("review:file_details", enrollee_uuid=found.uuid)
    drafts = selectors.registration_list_for_user(request.user).filter(status=RegistrationStatus.DRAFT)[:20]
    context = {
        "find_form": find_form,
        "new_form": new_form,
        "masked_id": _masked(new_form),
        "drafts": drafts,
    }
    has_errors = bool(find_form.errors or (new_form is not None and new_form.is_bound and new_form.errors))
    return render(request, "review/file_start.html", context, status=400 if has_errors else 200)


def _masked(new_form) -> str:
    if new_form is None:
        return ""
    value = new_form.data.get("national_id") if new_form.is_bound else new_form.initial.get("national_id")
    return national_id.mask(value or "")


@staff_view
@require_http_methods(["GET", "POST"])
def file_details(request, enrollee_uuid):
    """Step 2: the filing's details, as the enrollee would give them online; creates a draft."""
    enrollee = account_selectors.enrollee_at_offices(enrollee_uuid, offices=request.review_offices)
    today = timezone.localdate()
    try:
        ruleset = policy_selectors.ruleset_for(enrollee.jurisdiction.code, today)
    except rules.PolicyError as error:
        messages.error(request, error.message)
        return redirect("review:file")
    type_rules = [rule for rule in ruleset.types if rule.filing_required]
    initial = {"start_date": today, "contact_phone": enrollee.phone or ""}
    form = WalkInForm(request.POST or None, type_rules=type_rules, initial=initial)
    if request.method == "POST" and form.is_valid():
        details = form.details()
        province = details["care_province"]
        care_scope = rules.care_scope_for(province, enrollee.jurisdiction.province)
        try:
            registration = services.registration_create(
                actor=request.user, enrollee=enrollee, care_scope=care_scope, agent=form.agent(), **details
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Draft %(number)s created: now add the paper documents.") % {"number": registration.number}
            )
            return redirect("review:upload", uuid=registration.uuid)
    context = {"enrollee": enrollee, "form": form, "ruleset": ruleset}
    return render(request, "review/file_details.html", context, status=400 if form.errors else 200)


def _document_kinds(registration) -> list[tuple[str, str]]:
    kinds = {}
    for group in selectors.checklist(registration):
        for option in group.options:
            for kind in option.documents:
                kinds.setdefault(kind.code, localized(kind))
    return list(kinds.items())


@staff_view
@require_http_methods(["GET", "POST"])
def upload(request, uuid):
    """Step 3: scan the paper documents in one at a time, then submit."""
    registration = selectors.registration_get(request.user, uuid)
    if not registration.is_editable:
        messages.info(request, _("This registration is no longer open for documents."))
        return redirect("review:detail", uuid=registration.uuid)
    form = PaperDocumentForm(request.POST or None, request.FILES or None, kinds=_document_kinds(registration))
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_add(
                actor=request.user,
                registration=registration,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” added.") % {"name": document.original_name})
            return redirect("review:upload", uuid=registration.uuid)
    row = pages.review_document_row(registration, url_name="review:document")
    shared = pages.case_context(registration, request.user, **selectors.case_parts(registration), document_row=row)
    context = {
        **shared,
        "registration": registration,
        "type": selectors.type_rule(registration),
        "commitment_accepted_at": registration.commitment_accepted_at,
        "form": form,
        "complete": not shared["missing_count"],
    }
    return render(request, "review/upload.html", context, status=400 if form.errors else 200)


@staff_view
@require_POST
def submit(request, uuid):
    registration = selectors.registration_get(request.user, uuid)
    try:
        registration = services.registration_submit(actor=request.user, registration=registration)
    except ServiceError as error:
        messages.error(request, error.message)
        if registration.is_editable:
            return redirect("review:upload", uuid=registration.uuid)
        return redirect("review:detail", uuid=registration.uuid)
    messages.success(
        request,
        _("Registration %(number)s: %(status)s.")
        % {"number": registration.number, "status": registration.get_status_display()},
    )
    return redirect("review:detail", uuid=registration.uuid)
