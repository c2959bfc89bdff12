"""Reads of registrations, always scoped to the person asking."""

import datetime
import math

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.constants import Role
from common.db import reports_db
from policy import rules
from policy import selectors as policy
from registrations.constants import OPEN_STATUSES, DocumentStatus, EventAction, RegistrationStatus
from registrations.models import Registration, RegistrationDocument, RegistrationEvent


def _with_details(registrations: QuerySet) -> QuerySet:
    return registrations.select_related(
        "enrollee", "filed_by", "office", "jurisdiction", "decided_by"
    ).prefetch_related(
        Prefetch("documents", queryset=RegistrationDocument.objects.order_by("kind", "created_at")),
        Prefetch("events", queryset=RegistrationEvent.objects.select_related("actor").order_by("at", "id")),
        "successors",
    )


def registrations_visible_to(user, *, submitted_only: bool = False) -> QuerySet:
    """Enrollees see their own and those they filed; staff their offices'; admins all.

    `submitted_only` keeps the submitted ones, written without staff's "or filed by me" branch
    (a submitted case is visible anyway), so PostgreSQL can answer from the queue index alone.
    """
    registrations = Registration.objects.all()
    if submitted_only:
        registrations = registrations.filter(submitted_at__isnull=False)
    if not user.is_authenticated:
        return registrations.none()
    if user.role == Role.ADMIN:
        return registrations
    if user.role == Role.STAFF:
        office_cases = registrations.filter(office_id__in=account_selectors.office_ids_of(user))
        if submitted_only:
            return office_cases
        # Drafts are the filer's own business, unless staff are typing one in for a walk-in.
        # (including a draft cancelled before it was ever submitted).
        return office_cases.filter(Q(submitted_at__isnull=False) | Q(filed_by=user))
    return registrations.filter(Q(enrollee=user) | Q(filed_by=user))


def registration_list_for_user(user) -> QuerySet:
    return (
        Registration.objects.filter(Q(enrollee=user) | Q(filed_by=user))
        .select_related("enrollee", "filed_by", "office")
        .prefetch_related("documents")
        .order_by("-created_at")
    )


def registration_get(user, uuid) -> Registration:
    """The registration with its documents and history, or 404 — also for another's."""
    try:
        return _with_details(registrations_visible_to(user)).get(uuid=uuid)
    except (Registration.DoesNotExist, ValueError, TypeError, ValidationError):  # a malformed id too
        raise Http404 from None


def registration_get_for_party(user, uuid) -> Registration:
    """Only the enrollee or the person who filed it: the enrollee pages act for them alone."""
    registration = registration_get(user, uuid)
    if user.pk not in (registration.enrollee_id, registration.filed_by_id):
        raise Http404
    return registration


def document_get(user, registration_uuid, document_uuid, *, party_only: bool = False) -> RegistrationDocument:
    get = registration_get_for_party if party_only else registration_get
    registration = get(user, registration_uuid)
    for document in registration.documents.all():
        if str(document.uuid) == str(document_uuid):
            return document
    raise Http404


def open_registrations_overlapping(
    *, enrollee, category: str, starts: datetime.date, ends: datetime.date | None, exclude_ids=()
) -> QuerySet:
    """Pending or active registrations of the same category whose periods meet [starts, ends]."""
    # A cancelled registration still counts for the days it stayed valid.
    was_valid = Q(status=RegistrationStatus.CANCELLED, valid_from__isnull=False)
    candidates = Registration.objects.filter(
        Q(status__in=OPEN_STATUSES) | was_valid, enrollee=enrollee, category=category
    ).exclude(pk__in=exclude_ids)
    # A pending one has no validity yet: it blocks from its start date on.
    period_end = Q(valid_until__isnull=True) | Q(valid_until__gte=starts)
    candidates = candidates.filter(period_end)
    if ends is not None:
        candidates = candidates.filter(Q(valid_from__lte=ends) | Q(valid_from__isnull=True, start_date__lte=ends))
    return candidates.order_by("created_at")


def review_queue(user, *, status=None, registration_type=None, channel=None, office=None, ordering="oldest"):
    """The staff queue of the user's offices: filters, oldest first by default."""
    registrations = registrations_visible_to(user).select_related("enrollee", "office", "filed_by")
    if status:
        registrations = registrations.filter(status=status)
    else:
        registrations = registrations.filter(status=RegistrationStatus.SUBMITTED)
    if registration_type:
        registrations = registrations.filter(registration_type=registration_type)
    if channel:
        registrations = registrations.filter(channel=channel)
    if office:
        registrations = registrations.filter(office__code=office)
    order = ("submitted_at", "id") if ordering != "newest" else ("-submitted_at", "-id")
    return registrations.order_by(*order)


# Tabs that show how many cases wait: work in progress, whose number does not grow with the years
# of decided cases behind it (counting those would cost more as the database grows).
COUNTED_STATUSES = (RegistrationStatus.SUBMITTED, RegistrationStatus.RETURNED)


def queue_counts(user) -> dict[str, int]:
    """Submitted cases of the person's offices per open status, counted from the queue index."""
    rows = (
        registrations_visible_to(user, submitted_only=True)
        .filter(status__in=COUNTED_STATUSES)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


def registration_for_status_check(number: str, id_last4: str) -> Registration | None:
    """Public status check: the number and the last 4 characters of the enrollee's ID."""
    number, last4 = (number or "").strip().upper(), (id_last4 or "").strip().upper()
    if len(last4) != 4 or not number:
        return None
    registration = (
        Registration.objects.select_related("enrollee", "office", "jurisdiction")
        .exclude(status=RegistrationStatus.DRAFT)
        .filter(number=number)
        .first()
    )
    if registration and registration.enrollee.national_id_masked.endswith(last4):
        return registration
    return None


def successor_of(registration) -> Registration | None:
    """The change filed for this registration that is still alive (or the latest one)."""
    successors = sorted(registration.successors.all(), key=lambda r: r.created_at, reverse=True)
    alive = [r for r in successors if r.status not in (RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED)]
    return (alive or successors or [None])[0]


# --- The checklist: what the registration's rules ask for and what is on file -------------


def checklist(registration) -> tuple[rules.MaterialGroupRule, ...]:
    """The material groups this registration must satisfy, from its own rule set."""
    ruleset = policy.ruleset_by_id(registration.ruleset_id)
    return rules.registration_materials(ruleset, registration.registration_type, agent=bool(registration.agent_name))


def type_rule(registration) -> rules.RegistrationTypeRule | None:
    """The rule of the registration's type in its own rule set (None if that was removed)."""
    ruleset = policy.ruleset_by_id(registration.ruleset_id)
    if ruleset is None:
        return None
    try:
        return rules.registration_type(ruleset, registration.registration_type)
    except rules.PolicyError:
        return None


def kind_names(registration) -> dict[str, str]:
    return {
        d.code: d.name_zh for group in checklist(registration) for option in group.options for d in option.documents
    }


def allowed_document_kinds(registration) -> set[str]:
    return set(kind_names(registration))


def portal_accepted_kinds(registration) -> set[str]:
    """The checklist's documents accepted on the registration's page instead of uploaded (个人承诺书)."""
    return {
        d.code
        for group in checklist(registration)
        for option in group.options
        for d in option.documents
        if d.accepted_in_portal
    }


def provided_kinds(registration) -> set[str]:
    kinds = {d.kind for d in registration.documents.all() if d.status != DocumentStatus.REJECTED}
    if registration.commitment_accepted_at:
        kinds |= portal_accepted_kinds(registration)
    return kinds


def missing(registration) -> tuple[rules.MaterialGroupRule, ...]:
    return rules.missing_materials(checklist(registration), provided_kinds(registration))


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Mondays to Fridays after `start` up to and including `end` (0 when end <= start).

    Submitted on a Friday, a case is 1 working day old on Monday. Public holidays and the
    weekend days worked in their place (调休) are not in the data yet.
    """
    if end <= start:
        return 0
    full_weeks, rest = divmod((end - start).days, 7)
    weekday = start.weekday()
    return full_weeks * 5 + sum(1 for step in range(1, rest + 1) if (weekday + step) % 7 < 5)


def registration_in_force_on(enrollee, day: datetime.date) -> Registration | None:
    """The enrollee's registration that was in force on `day` (also one expired, changed or cancelled since)."""
    was_in_force = (
        RegistrationStatus.APPROVED,
        RegistrationStatus.EXPIRED,
        RegistrationStatus.SUPERSEDED,
        RegistrationStatus.CANCELLED,
    )
    return (
        Registration.objects.filter(enrollee=enrollee, status__in=was_in_force, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .filter(Q(cancel_effective_date__isnull=True) | Q(cancel_effective_date__gt=day))
        .order_by("-valid_from", "-pk")
        .first()
    )


# --- The staff dashboard (read from the reports database: a replica when there is one) ---------


def _day_of(value) -> datetime.date:
    # A truncated timestamp comes back as an aware datetime on PostgreSQL, a date elsewhere.
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _percentile(sorted_values: list[int], share: float) -> int | None:
    """Nearest-rank percentile: the smallest value with at least `share` of them at or below it."""
    if not sorted_values:
        return None
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


def dashboard_figures(user, *, office_ids: list[int], today: datetime.date, weeks: int = 12) -> dict:
    """Registrations of these offices (within what `user` may see): by status and type, submitted
    per week, working days from submission to a staff decision over the last 90 days (approvals
    under the rules, with nobody deciding, would hide the backlog), the oldest waiting."""
    cases = registrations_visible_to(user, submitted_only=True).filter(office_id__in=office_ids).using(reports_db())
    first_week = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    since = timezone.make_aware(datetime.datetime.combine(first_week, datetime.time.min))
    weekly = dict(
        cases.filter(submitted_at__gte=since)
        .annotate(week=TruncWeek("submitted_at"))
        .values_list("week")
        .annotate(n=Count("id"))
    )
    per_week = {_day_of(week): n for week, n in weekly.items()}
    decided_since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=90), datetime.time.min)
    )
    days = sorted(
        working_days_between(timezone.localdate(submitted), timezone.localdate(decided))
        for submitted, decided in cases.filter(decided_at__gte=decided_since, decided_by__isnull=False).values_list(
            "submitted_at", "decided_at"
        )
    )
    return {
        "by_status": dict(cases.values_list("status").annotate(n=Count("id"))),
        "by_type": dict(cases.values_list("registration_type").annotate(n=Count("id"))),
        "weekly": [
            (first_week + datetime.timedelta(weeks=i), per_week.get(first_week + datetime.timedelta(weeks=i), 0))
            for i in range(weeks)
        ],
        "decision_days": {"count": len(days), "median": _percentile(days, 0.5), "p90": _percentile(days, 0.9)},
    }


def oldest_waiting(user, *, office_ids: list[int], limit: int = 10) -> list[Registration]:
    """The submitted cases that have waited longest (the queue's own order and index)."""
    return list(review_queue(user, status=RegistrationStatus.SUBMITTED).filter(office_id__in=office_ids)[:limit])


# --- Reads of the system's own tasks (the reminder sweep, the calendar feed) -------------------


def registrations_ending_between(*, category: str, first: datetime.date, last: datetime.date) -> QuerySet:
    """Approved registrations of a category whose validity ends from `first` to `last`."""
    return Registration.objects.filter(
        status=RegistrationStatus.APPROVED, category=category, valid_until__range=(first, last)
    )


def registrations_ending_of(user) -> QuerySet:
    """The person's own approved registrations that have an end date (their calendar feed)."""
    return Registration.objects.filter(enrollee=user, status=RegistrationStatus.APPROVED, valid_until__isnull=False)


def case_parts(registration) -> dict:
    """What the shared case pages need of a registration (cases.pages.case_context): its checklist,
    what is on file, and the words of its statuses and history."""
    return {
        "groups": checklist(registration),
        "provided": provided_kinds(registration),
        "statuses": RegistrationStatus,
        "actions": EventAction,
    }
