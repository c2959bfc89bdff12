"""Reads of claims: deadlines per invoice and the estimate, from the policy of each date."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as account_selectors
from accounts.constants import Role
from claims.constants import EDITABLE_STATUSES, ClaimEventAction, ClaimStatus
from claims.models import Claim, ClaimDocument, ClaimEvent, Expense
from common.db import reports_db
from policy import rules
from policy import selectors as policy
from policy.constants import Situation


@dataclass(frozen=True)
class ExpenseWindow:
    expense_date: datetime.date
    deadline: datetime.date | None  # None: the rules state no window (ask the office)
    extended: datetime.date | None


def expense_window(*, jurisdiction: str, expense_date: datetime.date) -> ExpenseWindow:
    """The claim deadline of an expense: its own year's (南通 Q8), by the rules of its date."""
    ruleset = policy.ruleset_for(jurisdiction, expense_date)
    deadline, extended = rules.claim_deadlines(ruleset, expense_date)
    return ExpenseWindow(expense_date, deadline, extended)


def expense_windows(claim) -> dict[int, ExpenseWindow]:
    """expense id → its window, worked out once per claim object (pages and the API read it often)."""
    cache = getattr(claim, "_expense_windows", None)
    if cache is None:
        cache = {
            e.id: expense_window(jurisdiction=claim.jurisdiction.code, expense_date=e.date)
            for e in claim.expenses.all()
        }
        claim._expense_windows = cache
    return cache


def late_expenses(claim, *, on: datetime.date, special_case_accepted: bool) -> list[tuple]:
    """(expense, window) pairs whose window has closed on `on`.

    Each invoice keeps its own year's deadline, so a claim mixing two years is judged by
    the earlier one: every invoice must still be claimable.
    """
    late = []
    for expense in claim.expenses.all():
        window = expense_window(jurisdiction=claim.jurisdiction.code, expense_date=expense.date)
        if window.deadline is None:
            continue
        last_day = window.extended if special_case_accepted and window.extended else window.deadline
        if on > last_day:
            late.append((expense, window))
    return late


def reduction_for(claim) -> tuple[int | None, str]:
    """Reduction points for the claim's care and a word on where they come from."""
    if claim.registration_id and claim.registration.reduction_points is not None:
        return claim.registration.reduction_points, _("the linked registration")
    if claim.emergency:
        ruleset = policy.ruleset_for(claim.jurisdiction.code, _first_date(claim))
        emergency = rules.no_filing_type(ruleset)
        if emergency is not None:
            return emergency.reduction_points, _("emergency care counts as registered")
    return None, _("no registration is linked")


def _first_date(claim) -> datetime.date:
    return min((e.date for e in claim.expenses.all()), default=timezone.localdate())


@dataclass(frozen=True)
class ClaimEstimate:
    available: bool
    reason: str
    per_expense: dict  # expense id → Decimal or None
    total: Decimal | None


def estimate(claim) -> ClaimEstimate:
    """What the fund would pay, marked as an estimate; no guess without a benefit row.

    The deductible is paid once across the claim's invoices (in date order).
    """
    points, source = reduction_for(claim)
    if points is None:
        return ClaimEstimate(False, _("No estimate: %(why)s.") % {"why": source}, {}, None)
    scheme = claim.enrollee.scheme
    per_expense, total, deductible_used = {}, Decimal("0.00"), Decimal("0.00")
    for expense in sorted(claim.expenses.all(), key=lambda e: (e.date, e.id)):
        ruleset = policy.ruleset_for(claim.jurisdiction.code, expense.date)
        amount = expense.approved_policy_amount if expense.approved_policy_amount is not None else expense.policy_amount
        result = rules.estimate(
            ruleset,
            scheme=scheme,
            institution_level=expense.institution_level,
            policy_amount=amount,
            reduction=points,
            deductible_used=deductible_used,
            paid_before=total,
        )
        if result is None:
            return ClaimEstimate(
                False,
                _("No estimate: the office has not published the benefit figures for this case yet."),
                {},
                None,
            )
        per_expense[expense.id] = result.fund_payment
        deductible_used += result.deductible
        total += result.fund_payment
    return ClaimEstimate(True, source, per_expense, total)


def _ruleset(claim) -> rules.RuleSetSnapshot:
    """The rules of the claim's earliest invoice (of today while it has none)."""
    return policy.ruleset_for(claim.jurisdiction.code, _first_date(claim))


def checklist(claim) -> tuple[rules.MaterialGroupRule, ...]:
    """What this claim must bring (南通 Q8): by kind, plus what the treatment adds."""
    return rules.claim_materials(
        _ruleset(claim), claim.claim_kind, treatment=claim.treatment or None, agent=bool(claim.agent_name)
    )


def allowed_document_kinds(claim) -> set[str]:
    return {d.code for group in checklist(claim) for option in group.options for d in option.documents}


def missing(claim) -> tuple[rules.MaterialGroupRule, ...]:
    return rules.missing_materials(checklist(claim), {d.kind for d in claim.documents.all()})


def office_phones(claim) -> str:
    return "、".join(phone.number for phone in claim.office.phones.all())


@dataclass(frozen=True)
class RescueAdvice:
    """What applies when someone was treated elsewhere without registering first."""

    registration_type: str | None  # None: emergency counts as registered, nothing to file
    reduction_points: int | None
    claim_deadline: datetime.date | None
    claim_deadline_extended: datetime.date | None
    cheaper_with_referral: bool  # a referral would lose fewer points than other temporary care
    referral_points: int | None = None
    window_closed: bool = False  # the last day to claim this care has passed


def rescue_advice(*, jurisdiction: str, treated_on: datetime.date, emergency: bool, referred: bool) -> RescueAdvice:
    """Which type applies, as the rules of the treatment date say (policy.rules.rescue_type);
    an emergency where the rules let it count as registered files no registration."""
    ruleset = policy.ruleset_for(jurisdiction, treated_on)
    deadline, extended = rules.claim_deadlines(ruleset, treated_on)
    closed = (extended or deadline) is not None and timezone.localdate() > (extended or deadline)
    referral = rules.type_for_situation(ruleset, Situation.REFERRED)
    referral_points = referral.reduction_points if referral else None
    if emergency:
        counts = rules.no_filing_type(ruleset)
        if counts is not None:
            return RescueAdvice(None, counts.reduction_points, deadline, extended, False, referral_points, closed)
    chosen = rules.rescue_type(ruleset, referred=referred)
    if chosen is None:
        raise rules.PolicyError(
            "registration_type",
            _("The rules of this region offer no registration for this case: please call your office."),
        )
    cheaper = not referred and rules.cheaper_referral(ruleset, chosen) is not None
    return RescueAdvice(chosen.code, chosen.reduction_points, deadline, extended, cheaper, referral_points, closed)


# --- Scoped reads: another person's claim is a 404 ----------------------------------------


def _with_details(claims: QuerySet) -> QuerySet:
    return claims.select_related(
        "enrollee", "filed_by", "office", "jurisdiction", "registration", "decided_by"
    ).prefetch_related(
        Prefetch("expenses", queryset=Expense.objects.order_by("date", "id")),
        Prefetch("documents", queryset=ClaimDocument.objects.order_by("kind", "created_at")),
        Prefetch("events", queryset=ClaimEvent.objects.select_related("actor").order_by("at", "id")),
        "office__phones",
    )


def claims_visible_to(user) -> QuerySet:
    """Enrollees: their own and those they filed; staff: their offices' submitted; admins: all."""
    claims = Claim.objects.all()
    if not user.is_authenticated:
        return claims.none()
    # Drafts are the filer's own business until submitted (the office's too, then).
    if user.role == Role.ADMIN:
        return claims.filter(Q(submitted_at__isnull=False) | Q(filed_by=user))
    if user.role == Role.STAFF:
        return claims.filter(office_id__in=account_selectors.office_ids_of(user), submitted_at__isnull=False)
    return claims.filter(Q(enrollee=user) | Q(filed_by=user))


def claim_list_for_user(user) -> QuerySet:
    """The caller's own claims, as enrollee or as filer (staff: those they filed)."""
    return _with_details(Claim.objects.filter(Q(enrollee=user) | Q(filed_by=user))).order_by("-created_at")


def claim_get_for_party(user, uuid) -> Claim:
    """Only the enrollee or the person who filed it: the enrollee pages act for them alone."""
    claim = claim_get(user, uuid)
    if user.pk not in (claim.enrollee_id, claim.filed_by_id):
        raise Http404
    return claim


def document_get(user, claim_uuid, document_uuid, *, party_only: bool = False) -> ClaimDocument:
    claim = claim_get_for_party(user, claim_uuid) if party_only else claim_get(user, claim_uuid)
    for document in claim.documents.all():
        if str(document.uuid) == str(document_uuid):
            document.claim = claim
            return document
    raise Http404


def claim_get(user, uuid) -> Claim:
    """The claim with its invoices, documents and history, or 404 — also for another's."""
    try:
        return _with_details(claims_visible_to(user)).get(uuid=uuid)
    except (Claim.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def expense_get(user, claim_uuid, expense_id) -> Expense:
    claim = claim_get(user, claim_uuid)
    for expense in claim.expenses.all():
        if str(expense.id) == str(expense_id):
            return expense
    raise Http404


def review_queue(user, *, status=None, office=None) -> QuerySet:
    """Submitted claims of the staff member's offices (admins: all), awaiting review by default."""
    claims = claims_visible_to(user).filter(submitted_at__isnull=False)
    claims = claims.filter(status=status or ClaimStatus.SUBMITTED)
    if office:
        claims = claims.filter(office__code=office)
    return claims.select_related("enrollee", "office", "filed_by").prefetch_related("expenses")


# Counted tabs: the work in progress, not the years of decided claims behind it.
COUNTED_STATUSES = (ClaimStatus.SUBMITTED, ClaimStatus.AWAITING_CONFIRMATION, ClaimStatus.RETURNED)


def review_counts(user) -> dict[str, int]:
    """Claims of the person's offices per open status, for the queue's tabs."""
    rows = (
        claims_visible_to(user)
        .filter(status__in=COUNTED_STATUSES, submitted_at__isnull=False)
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def dashboard_figures(user, *, office_ids: list[int], today: datetime.date, months: int = 12) -> dict:
    """Claims of these offices (within what `user` may see): by status, and the fund's approved
    payments per month of decision over the last `months` months."""
    claims = claims_visible_to(user).filter(office_id__in=office_ids, submitted_at__isnull=False).using(reports_db())
    first = today.replace(day=1)
    for _month in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    since = timezone.make_aware(datetime.datetime.combine(first, datetime.time()))
    rows = (
        claims.filter(status__in=(ClaimStatus.APPROVED, ClaimStatus.PAID), decided_at__gte=since)
        .annotate(month=TruncMonth("decided_at"))
        .values_list("month")
        .annotate(total=Sum("approved_amount"), n=Count("pk"))
    )
    by_month = {_month_of(month): (total or Decimal("0"), n) for month, total, n in rows}
    series, month = [], first
    for _month in range(months):
        series.append((month, *by_month.get(month, (Decimal("0"), 0))))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return {"by_status": dict(claims.values_list("status").annotate(n=Count("pk"))), "approved_per_month": series}


def _month_of(value) -> datetime.date:
    day = timezone.localdate(value) if isinstance(value, datetime.datetime) else value
    return day.replace(day=1)


# --- Reads of the system's own tasks (the reminder sweep, the calendar feed) -------------------


def claims_unsubmitted_with_costs_between(*, jurisdiction_id: int, first: datetime.date, last: datetime.date):
    """Drafts and returned claims of a jurisdiction with an invoice dated from `first` to `last`."""
    # EXISTS, not a join with DISTINCT: the sweep's chunks stay index scans on the primary key.
    costs = Expense.objects.filter(claim=OuterRef("pk"), date__range=(first, last))
    return Claim.objects.filter(Exists(costs), jurisdiction_id=jurisdiction_id, status__in=EDITABLE_STATUSES)


def claims_unsubmitted_of(user) -> QuerySet:
    """The person's own drafts and returned claims, with their invoices (their calendar feed)."""
    claims = Claim.objects.filter(enrollee=user, status__in=EDITABLE_STATUSES)
    return claims.select_related("jurisdiction").prefetch_related("expenses")


def case_parts(claim) -> dict:
    """What the shared case pages need of a claim (cases.pages.case_context): its checklist, what is
    on file, and the words of its statuses and history."""
    return {
        "groups": checklist(claim),
        "provided": {document.kind for document in claim.documents.all()},
        "statuses": ClaimStatus,
        "actions": ClaimEventAction,
    }
