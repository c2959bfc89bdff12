"""The staff dashboard and the exports: an office's workload at a glance, and its queues or the
dashboard's tables as CSV or Excel.

Who sees which office is decided by staff_view and the scoped selectors, as on every review page.
Exports show identity numbers masked; an admin may ask for them in full, and every such export
is written to the access log, a row for each case in the file (who, when, which filters).
"""

from decimal import Decimal

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.constants import Role
from claims import selectors as claim_selectors
from claims.constants import ClaimStatus
from common import charts, exports
from common.services import access_log_export
from registrations import selectors
from registrations.constants import RegistrationStatus
from review.access import staff_view
from review.views.registrations import filtered_queue, type_choices

DASHBOARD_SECONDS = 300  # the figures are counts, not personal data: shared, and redrawn every 5 minutes
EXPORT_LIMIT = 20_000


def _chosen_offices(request) -> list:
    offices = request.review_offices
    return [office for office in offices if office.code == request.GET.get("office")] or offices


def _figures(request, offices) -> dict:
    office_ids = sorted(office.pk for office in offices)
    today = timezone.localdate()
    key = f"dashboard:2:{request.user.role}:{','.join(map(str, office_ids))}:{today.isoformat()}"

    def compute() -> dict:
        return {
            "at": timezone.localtime(),
            "registrations": selectors.dashboard_figures(request.user, office_ids=office_ids, today=today),
            "claims": claim_selectors.dashboard_figures(request.user, office_ids=office_ids, today=today),
        }

    return cache.get_or_set(key, compute, DASHBOARD_SECONDS)


def _status_rows(statuses, counts: dict) -> list[list]:
    """Every status but the draft (nobody's work yet), with its count, zeros included."""
    return [[status.label, counts.get(status.value, 0)] for status in statuses if status != statuses.DRAFT]


def _report(request, offices) -> dict:
    """The dashboard's tables, in the reader's language: each a title, a header and rows."""
    figures = _figures(request, offices)
    registrations, claims = figures["registrations"], figures["claims"]
    type_names = dict(type_choices(offices))
    money = _("yuan")
    return {
        "at": figures["at"],
        "decision_days": registrations["decision_days"],
        "tables": [
            (
                "by_status",
                exports.Table(
                    _("Registrations by status"),
                    [_("Status"), _("Registrations")],
                    _status_rows(RegistrationStatus, registrations["by_status"]),
                ),
            ),
            (
                "by_type",
                exports.Table(
                    _("Registrations by type"),
                    [_("Type"), _("Registrations")],
                    sorted(
                        ([type_names.get(code, code), n] for code, n in registrations["by_type"].items()),
                        key=lambda row: -row[1],
                    ),
                ),
            ),
            (
                "weekly",
                exports.Table(
                    _("Registrations submitted per week"),
                    [_("Week from"), _("Submitted")],
                    [[week, n] for week, n in registrations["weekly"]],
                ),
            ),
            (
                "claims_by_status",
                exports.Table(
                    _("Claims by status"),
                    [_("Status"), _("Claims")],
                    _status_rows(ClaimStatus, claims["by_status"]),
                ),
            ),
            (
                "approved_per_month",
                exports.Table(
                    _("Claims approved per month"),
                    [_("Month"), _("Approved fund payments (%(unit)s)") % {"unit": money}, _("Claims")],
                    [[month.strftime("%Y-%m"), total, n] for month, total, n in claims["approved_per_month"]],
                ),
            ),
        ],
    }


def _chart(table: exports.Table) -> str:
    def label(value) -> str:
        return value.strftime("%m-%d") if hasattr(value, "strftime") else str(value)

    def shown(value) -> str:
        return f"{value:,.0f}" if isinstance(value, Decimal) else f"{value:,}"

    points = [charts.Point(label(row[0]), row[1], shown(row[1])) for row in table.rows]
    return charts.bars(points, title=table.title, description=_("The numbers are in the table next to the chart."))


@staff_view
@require_GET
def dashboard(request):
    offices = _chosen_offices(request)
    report = _report(request, offices)
    waiting = selectors.oldest_waiting(request.user, office_ids=[office.pk for office in offices])
    today = timezone.localdate()
    context = {
        "offices": request.review_offices,
        "chosen": request.GET.get("office", ""),
        "scope": offices,
        "report": report,
        "sections": [{"key": key, "table": table, "chart": _chart(table)} for key, table in report["tables"]],
        "waiting": [
            (case, selectors.working_days_between(timezone.localdate(case.submitted_at), today)) for case in waiting
        ],
        "formats": exports.FORMATS,
        "is_admin": request.user.role == Role.ADMIN,
        "language": get_language(),
    }
    return render(request, "review/dashboard.html", context)


def _export_format(request) -> str:
    file_format = request.GET.get("format", "csv")
    return file_format if file_format in exports.FORMATS else "csv"


def _full_ids(request) -> bool:
    """Full identity numbers: admins only, when they ask; anyone else asking is refused."""
    if request.GET.get("full") != "1":
        return False
    if request.user.role != Role.ADMIN:
        raise PermissionDenied(_("Only administrators may export full identity numbers."))
    return True


def _capped(queryset) -> tuple[list, bool]:
    """At most EXPORT_LIMIT rows, and whether there were more (one more is fetched to know)."""
    rows = list(queryset[: EXPORT_LIMIT + 1])
    return rows[:EXPORT_LIMIT], len(rows) > EXPORT_LIMIT


def _say_if_cut(table: exports.Table, cut: bool) -> None:
    if cut:  # the file says so itself
        table.rows.append([_("Only the first %(limit)s rows: narrow the filters.") % {"limit": f"{EXPORT_LIMIT:,}"}])


@staff_view
@require_GET
def dashboard_export(request):
    report = _report(request, _chosen_offices(request))
    days = report["decision_days"]
    decision = exports.Table(
        _("Working days to a decision (last 90 days)"),
        [_("Cases decided"), _("Median"), _("90th percentile")],
        [[days["count"], days["median"], days["p90"]]],
    )
    tables = [table for _key, table in report["tables"]] + [decision]
    return exports.download(tables, name="dashboard", file_format=_export_format(request))


@staff_view
@require_GET
def queue_export(request):
    full = _full_ids(request)
    _form, _data, status, registrations = filtered_queue(request, request.review_offices)
    cases, cut = _capped(registrations)
    today = timezone.localdate()
    table = exports.Table(
        _("Registrations: %(status)s") % {"status": RegistrationStatus(status).label},
        [
            _("Number"),
            _("Enrollee"),
            _("Identity number"),
            _("Type"),
            _("Channel"),
            _("Office"),
            _("Submitted"),
            _("Waiting (working days)"),
        ],
    )
    type_names = dict(type_choices(request.review_offices))
    for case in cases:
        enrollee = case.enrollee
        table.rows.append(
            [
                case.number,
                enrollee.get_full_name(),
                enrollee.reveal_national_id() if full else enrollee.national_id_masked,
                type_names.get(case.registration_type, case.registration_type),
                case.get_channel_display(),
                case.office.name,
                timezone.localtime(case.submitted_at).strftime("%Y-%m-%d %H:%M"),
                selectors.working_days_between(timezone.localdate(case.submitted_at), today),
            ]
        )
    _say_if_cut(table, cut)
    response = exports.download([table], name="registrations", file_format=_export_format(request))
    if full:  # logged once the file is made: an export that failed showed nobody anything
        access_log_export(actor=request.user, cases=cases, what="registration queue", query=request.GET)
    return response


@staff_view
@require_GET
def claims_export(request):
    full = _full_ids(request)
    status = request.GET.get("status") or ClaimStatus.SUBMITTED
    if status not in ClaimStatus.values:
        status = ClaimStatus.SUBMITTED
    claims, cut = _capped(claim_selectors.review_queue(request.user, status=status).order_by("submitted_at", "pk"))
    table = exports.Table(
        _("Claims: %(status)s") % {"status": ClaimStatus(status).label},
        [
            _("Number"),
            _("Enrollee"),
            _("Identity number"),
            _("Kind"),
            _("Office"),
            _("Submitted"),
            _("Total paid (yuan)"),
            _("Approved fund payment"),
        ],
    )
    for claim in claims:
        enrollee = claim.enrollee
        table.rows.append(
            [
                claim.number,
                enrollee.get_full_name(),
                enrollee.reveal_national_id() if full else enrollee.national_id_masked,
                claim.get_claim_kind_display(),
                claim.office.name,
                timezone.localtime(claim.submitted_at).strftime("%Y-%m-%d %H:%M"),
                sum((expense.total_amount for expense in claim.expenses.all()), Decimal("0")),
                claim.approved_amount,
            ]
        )
    _say_if_cut(table, cut)
    response = exports.download([table], name="claims", file_format=_export_format(request))
    if full:
        access_log_export(actor=request.user, cases=claims, what="claims queue", query=request.GET)
    return response
