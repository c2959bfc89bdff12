"""The reminder sweep over a generated population on PostgreSQL: time, peak memory, queries.

Run on demand, never in the tests. It needs a PostgreSQL database of its own, which it fills
(and empties first): the database name must contain "bench".

    createdb -h 127.0.0.1 -U postgres portal_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/reminders.py [--enrollees 1000000] [--keep]

The population, made with INSERT … SELECT generate_series (seconds, not hours):
- N enrollees of 南通 市区 (10% with an e-mail address);
- 30% with an approved temporary registration ending on one of the 365 days from the sweep day;
- 10% with a draft claim holding one invoice of this year (unsubmitted: reminded before 31 Dec).

It then runs the sweep for 24 December (7 days before the claim window closes): every draft
claim gets a reminder, and the registrations ending 7 or 30 days later get theirs. The sweep
runs twice: the second must file nothing (exactly once) and shows the cost of a no-op run.
"""

import argparse
import datetime
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


POPULATION_SQL = [
    "TRUNCATE notifications_delivery, notifications_notification, claims_expense, claims_claimevent, "
    "claims_claimdocument, claims_claim, registrations_registrationevent, registrations_registrationdocument, "
    "registrations_registration RESTART IDENTITY CASCADE",
    "DELETE FROM accounts_user WHERE username LIKE 'bench-%%'",
    """
    INSERT INTO accounts_user (password, is_superuser, username, first_name, last_name, email, is_staff,
        is_active, date_joined, uuid, role, name, national_id_encrypted, national_id_masked,
        preferred_language, scheme, jurisdiction_id, office_id)
    SELECT '!', false, 'bench-' || i, '', '', CASE WHEN i %% 10 = 0 THEN 'p' || i || '@example.com' ELSE '' END,
        false, true, now(), gen_random_uuid(), 'enrollee', '参保人' || i, '',
        '3206**********' || lpad((i %% 10000)::text, 4, '0'),
        CASE WHEN i %% 4 = 0 THEN 'en' ELSE 'zh-hans' END, 'employee', %(jurisdiction)s, %(office)s
    FROM generate_series(1, %(n)s) AS i
    """,
    """
    INSERT INTO registrations_registration (created_at, updated_at, uuid, number, agent_name, agent_id_masked,
        agent_relationship, ruleset_id, registration_type, category, channel, care_scope, care_province,
        care_city, start_date, referral_hospital, special_disease, designated_institution, contact_phone,
        contact_address, status, return_reasons, enrollee_id, filed_by_id, jurisdiction_id, office_id,
        valid_from, valid_until, reduction_points)
    SELECT now(), now(), gen_random_uuid(), 'BA' || lpad(u.id::text, 14, '0'), '', '', '', %(ruleset)s, 'referral',
        'temporary', 'online', 'cross_province', '上海市', '', %(day)s::date - 300, '', '', '', '', '', 'approved',
        '[]', u.id, u.id, %(jurisdiction)s, %(office)s, %(day)s::date - 300, %(day)s::date + (u.id %% 365)::int, 10
    FROM accounts_user u WHERE u.username LIKE 'bench-%%' AND u.id %% 10 IN (0, 1, 2)
    """,
    """
    INSERT INTO claims_claim (created_at, updated_at, uuid, number, agent_name, agent_id_masked, claim_kind,
        treatment, emergency, special_case_reason, special_case, status, return_reasons, enrollee_id,
        filed_by_id, jurisdiction_id, office_id, registration_found)
    SELECT now(), now(), gen_random_uuid(), 'BX' || lpad(u.id::text, 14, '0'), '', '', 'outpatient', '', true, '',
        '', 'draft', '[]', u.id, u.id, %(jurisdiction)s, %(office)s, false
    FROM accounts_user u WHERE u.username LIKE 'bench-%%' AND u.id %% 10 = 3
    """,
    """
    INSERT INTO claims_expense (invoice_no, date, institution, institution_level, province, city, total_amount,
        policy_amount, adjust_reason, claim_id)
    SELECT 'INV-' || c.id, make_date(extract(year FROM %(day)s::date)::int, 5, 10), '医院', 3, '上海市', '',
        900.00, 800.00, '', c.id
    FROM claims_claim c
    """,
    "ANALYZE",
]


def populate(n: int, day: datetime.date) -> float:
    from django.db import connection

    from offices.models import Office
    from policy import selectors as policy

    office = Office.objects.select_related("jurisdiction").get(code="nantong-urban")
    params = {
        "n": n,
        "day": day,
        "jurisdiction": office.jurisdiction_id,
        "office": office.pk,
        "ruleset": policy.ruleset_for("nantong", day).id,
    }
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in POPULATION_SQL:
            cursor.execute(statement, params)
    return time.perf_counter() - started


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def run_sweep(day: datetime.date, *, trace_memory: bool) -> dict:
    """One sweep; with trace_memory, Python's allocations are traced (which slows it down about 2x)."""
    from django.db import connection

    from notifications import reminders

    fanned_out = []
    counter = QueryCounter()
    if trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        counts = reminders.sweep(day, send=lambda ids: fanned_out.append(len(ids)))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
    tracemalloc.stop()
    return {
        **counts,
        "seconds": seconds,
        "queries": counter.count,
        "peak_python_mib": peak / 2**20,
        "send_tasks": len(fanned_out),
        "largest_task": max(fanned_out, default=0),
    }


def forget_reminders() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE notifications_delivery, notifications_notification RESTART IDENTITY CASCADE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--enrollees", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the population already in the database")
    args = parser.parse_args()

    setup_django()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # DEBUG keeps every query's SQL in memory: it would be measured too

    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        print("Needs DATABASE_URL of a PostgreSQL database whose name contains 'bench' (it is emptied).")
        return 2
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    day = datetime.date(timezone.localdate().year, 12, 24)
    if not args.keep:
        print(f"populating {args.enrollees:,} enrollees …", flush=True)
        print(f"  done in {populate(args.enrollees, day):.1f} s")
    from claims.models import Claim
    from registrations.models import Registration

    print(f"draft claims: {Claim.objects.count():,}  approved registrations: {Registration.objects.count():,}")
    runs = [
        ("first sweep (timed)", False, True),
        ("first sweep again, memory traced", True, True),
        ("second sweep (nothing new)", False, False),
    ]
    for label, trace_memory, fresh in runs:
        if fresh:
            forget_reminders()
        figures = run_sweep(day, trace_memory=trace_memory)
        memory = f", peak Python memory {figures['peak_python_mib']:.1f} MiB" if trace_memory else ""
        print(
            f"{label}: {figures['seconds']:.1f} s, {figures['queries']:,} queries{memory}, "
            f"{figures['notifications']:,} reminders filed, {figures['deliveries']:,} new deliveries, "
            f"{figures['send_tasks']:,} send tasks (largest {figures['largest_task']:,})"
        )
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
    from notifications.models import Notification

    print(f"notifications in the database: {Notification.objects.count():,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
