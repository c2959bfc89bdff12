"""Pages of the window staff for registrations: the review queue and a case under review.

Only staff bound to an office and admins come in; everyone else gets a 404 (anonymous
visitors are sent to log in). Which cases a person sees is decided by the selectors
(registrations_visible_to and friends), never here: another office's case is a 404.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.constants import Role
from cases import pages
from cases.forms import add_service_error
from common.downloads import document_response
from common.errors import ConflictError, ServiceError
from common.translations import localized
from policy import selectors as policy_selectors
from registrations import selectors, services
from registrations.constants import RegistrationStatus
from review.access import staff_view
from review.forms import (
    DecisionForm,
    DocumentReviewForm,
    QueueFilterForm,
    active_reason_templates,
    reason_text,
)

PAGE_SIZE = 50


# --- Ageing --------------------------------------------------------------------------------
# Working days are Monday to Friday. Public holidays and the weekend days worked in their
# place (调休) are not in the data yet, so a case is a day "older" over such a holiday.


def waiting_since_cutoff(today: datetime.date, working_days: int) -> datetime.date:
    """The latest submission date that has waited at least `working_days` by `today`."""
    day, counted = today, 0
    while counted < working_days:
        if day.weekday() < 5:
            counted += 1
        day -= datetime.timedelta(days=1)
    return day


# --- The queue -------------------------------------------------------------------------------


def type_choices(offices) -> list[tuple[str, str]]:
    choices = {}
    for code in sorted({office.jurisdiction.code for office in offices}):
        for ruleset in policy_selectors.rulesets_of(code):
            for rule in ruleset.types:
                if rule.filing_required:
                    choices.setdefault(rule.code, localized(rule))
    return list(choices.items())


def _cursor(registration) -> str:
    return f"{registration.submitted_at.isoformat()},{registration.pk}"


@staff_view
@require_GET
def queue(request):
    return render(request, "review/queue.html", _queue_context(request, request.review_offices))


def filtered_queue(request, offices):
    """The queue's filter form and the cases it selects (the page and the export share it)."""
    form = QueueFilterForm(request.GET, offices=offices, type_choices=type_choices(offices))
    form.is_valid()  # a bad filter is shown with its error; the valid ones still apply
    data = form.cleaned_data
    status = data.get("status") or RegistrationStatus.SUBMITTED
    registrations = selectors.review_queue(
        request.user,
        status=status,
        registration_type=data.get("type") or None,
        channel=data.get("channel") or None,
        office=data.get("office") or None,
    ).filter(submitted_at__isnull=False)
    if data.get("age"):
        cutoff = waiting_since_cutoff(timezone.localdate(), data["age"]) + datetime.timedelta(days=1)
        # Compare with a local midnight, not a date of the column, so the queue index serves it.
        before = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        registrations = registrations.filter(submitted_at__lt=before)
    return form, data, status, registrations


def _queue_context(request, offices) -> dict:
    form, data, status, registrations = filtered_queue(request, offices)
    today = timezone.localdate()
    if data.get("after"):
        submitted_at, pk = data["after"]
        registrations = registrations.filter(Q(submitted_at__gt=submitted_at) | Q(submitted_at=submitted_at, pk__gt=pk))

    page = list(registrations[: PAGE_SIZE + 1])
    has_next = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    rows = [
        {
            "registration": registration,
            "type": selectors.type_rule(registration),
            "age": selectors.working_days_between(timezone.localdate(registration.submitted_at), today),
        }
        for registration in page
    ]

    # Links keep the valid filters only: a refused value is not carried from page to page.
    filters = {
        key: value
        for key, value in request.GET.items()
        if key in form.fields and key not in ("after", *form.errors) and value
    }
    counts = selectors.queue_counts(request.user)
    tabs = [
        {
            "status": value,
            "label": label,
            "count": counts.get(value, 0) if value in selectors.COUNTED_STATUSES else None,
            "current": value == status,
            "query": urlencode({**filters, "status": value}),
        }
        for value, label in RegistrationStatus.choices
        if value != RegistrationStatus.DRAFT
    ]
    return {
        "form": form,
        "rows": rows,
        "tabs": tabs,
        "status": RegistrationStatus(status),
        "next_query": urlencode({**filters, "after": _cursor(page[-1])}) if has_next else "",
        "first_query": urlencode(filters) if data.get("after") else None,
        "page_size": PAGE_SIZE,
        "export_query": urlencode({**filters, "status": status}),
        "is_admin": request.user.role == Role.ADMIN,
    }


# --- A case ----------------------------------------------------------------------------------


def _join(parts, language: str) -> str:
    return ("; " if language == "en" else "；").join(part for part in parts if part)


def _document_forms(registration, templates, data=None) -> dict:
    return {
        str(document.uuid): DocumentReviewForm(data, prefix=f"doc-{document.uuid}", templates=templates)
        for document in registration.documents.all()
    }


def _render_detail(request, registration, *, decision_form=None, document_forms=None, conflict=None, status=200):
    templates = active_reason_templates()
    if decision_form is None:
        decision_form = DecisionForm(templates=templates)
    can_decide = registration.status == RegistrationStatus.SUBMITTED
    if not can_decide:
        document_forms = {}
    elif document_forms is None:
        document_forms = _document_forms(registration, templates)
    context = {
        **pages.review_context(
            registration,
            request.user,
            **selectors.case_parts(registration),
            document_row=pages.review_document_row(registration, url_name="review:document", forms=document_forms),
        ),
        "registration": registration,
        "type": selectors.type_rule(registration),
        "commitment_accepted_at": registration.commitment_accepted_at,
        "decision_form": decision_form,
        "can_decide": can_decide,
        "conflict": conflict,
    }
    return render(request, "review/detail.html", context, status=status)


@staff_view
@require_GET
def detail(request, uuid):
    return _render_detail(request, selectors.registration_get(request.user, uuid))


@staff_view
@require_POST
def decide(request, uuid):
    registration = selectors.registration_get(request.user, uuid)
    templates = active_reason_templates()
    decision_form = DecisionForm(request.POST, templates=templates)
    document_forms = _document_forms(registration, templates, request.POST)
    valid = decision_form.is_valid() & all([form.is_valid() for form in document_forms.values()])
    if not valid:
        return _render_detail(
            request, registration, decision_form=decision_form, document_forms=document_forms, status=400
        )

    language = registration.enrollee.preferred_language
    reasons = decision_form.reason_texts(language)
    reviews = {}
    for uuid_, form in document_forms.items():
        verdict = form.cleaned_data["verdict"]
        if not verdict:
            continue
        template = form.templates.get(form.cleaned_data["reason"])
        reason = _join(
            [reason_text(template, language) if template else "", form.cleaned_data["reason_text"]], language
        )
        reviews[uuid_] = (verdict == DocumentReviewForm.ACCEPT, reason)
    try:
        registration = services.registration_decide(
            actor=request.user,
            registration=registration,
            decision=decision_form.cleaned_data["decision"],
            reasons=reasons,
            note=decision_form.cleaned_data["note"],
            document_reviews=reviews,
        )
    except ConflictError as error:
        # Someone decided first: show the case as it is now, with what happened.
        fresh = selectors.registration_get(request.user, uuid)
        return _render_detail(request, fresh, conflict=error.message, status=409)
    except ServiceError as error:
        # errors["documents"] lists document ids, not sentences: the message says what is wrong.
        add_service_error(decision_form, error, ignore=("documents",))
        return _render_detail(
            request, registration, decision_form=decision_form, document_forms=document_forms, status=400
        )
    messages.success(
        request,
        _("Registration %(number)s: %(status)s.")
        % {"number": registration.number, "status": registration.get_status_display()},
    )
    return redirect("review:detail", uuid=registration.uuid)


@staff_view
@require_GET
def document(request, uuid, document_uuid):
    document = selectors.document_get(request.user, uuid, document_uuid)
    return document_response(document, viewer=request.user, case_number=document.registration.number)
