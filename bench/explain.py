"""EXPLAIN ANALYZE of the list queries the budgets name, on the bench population.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_full .venv/bin/python bench/explain.py

The queries are built by the same selectors the pages and the API use:

- the staff queue of the busiest office (registrations and claims): the first page, and a page
  deep in the queue reached by its keyset cursor;
- the tab counts;
- an enrollee's "my registrations" and "my claims";
- a registration's detail.

For each it prints the execution time and the plan's scans. It fails (exit 1) if a case or user
table is read by a sequential scan, or if a plan has an OFFSET: a page must cost the same
whatever the table size and the page number.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.dataset import setup_django  # noqa: E402

SCAN = r"((?:Seq|Index|Index Only|Bitmap Heap|Bitmap Index) Scan)(?: using (\w+))? on (\w+)"
BIG_TABLES = ("registrations_registration", "claims_claim", "accounts_user", "registrations_registrationdocument")


def plan_of(queryset) -> str:
    return queryset.explain(analyze=True)


def main() -> int:
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.db.models import Count, Q

    settings.DEBUG = False
    if connection.vendor != "postgresql":
        print("Needs DATABASE_URL of the PostgreSQL bench database.")
        return 2
    from accounts.models import User
    from accounts.selectors import office_ids_of
    from claims import selectors as claims
    from registrations import selectors as registrations
    from registrations.models import Registration

    staff = User.objects.get(username="bench-staff-nantong-urban")
    enrollee = (
        Registration.objects.filter(enrollee__username__startswith="bench-e", enrollee__office__code="nantong-urban")
        .order_by("pk")
        .first()
        .enrollee
    )
    queue = registrations.review_queue(staff, status="submitted").filter(submitted_at__isnull=False)
    deep = list(queue.values_list("submitted_at", "pk")[:1000])
    after_at, after_pk = deep[-1] if deep else (None, 0)
    claim_queue = claims.review_queue(staff, status="submitted")
    queries = {
        "staff queue, first page": queue[:51],
        "staff queue, page after 1,000 rows (keyset)": queue.filter(
            Q(submitted_at__gt=after_at) | Q(submitted_at=after_at, pk__gt=after_pk)
        )[:51]
        if after_at
        else queue[:51],
        "claims queue, first page": claim_queue[:21],
        "tab counts": registrations.Registration.objects.filter(
            status__in=registrations.COUNTED_STATUSES,
            submitted_at__isnull=False,
            office_id__in=office_ids_of(staff),
        )
        .values("status")
        .annotate(n=Count("id")),
        "my registrations": registrations.registration_list_for_user(enrollee),
        "my claims": claims.claim_list_for_user(enrollee),
        "registration detail": registrations.registrations_visible_to(enrollee).filter(
            uuid=Registration.objects.filter(enrollee=enrollee).values("uuid")[:1]
        ),
    }
    print(f"rows: {Registration.objects.count():,} registrations\n")
    failures = []
    for label, queryset in queries.items():
        plan = plan_of(queryset)
        took = re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)
        scans = sorted(
            set(re.findall(r"((?:Seq|Index|Index Only|Bitmap Heap|Bitmap Index) Scan)(?: using (\w+))? on (\w+)", plan))
        )
        print(f"{label}: {took} ms")
        for kind, index, table in scans:
            print(f"    {kind} on {table}" + (f" using {index}" if index else ""))
            if kind == "Seq Scan" and table in BIG_TABLES:
                failures.append(f"{label}: sequential scan on {table}")
        if "OFFSET" in str(queryset.query).upper():
            failures.append(f"{label}: OFFSET in the query")
    print()
    print("\n".join(failures) or "no sequential scan of a case or user table, no OFFSET")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
