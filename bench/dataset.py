"""The benchmark population on PostgreSQL, made through the models with bulk inserts.

    createdb -h 127.0.0.1 -U postgres portal_bench        # the name must contain "bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/dataset.py [--scale 1000000]

`--scale N` enrollees over the offices of every jurisdiction in the database (南通 市区 takes over
a third, so one office holds 750,000 cases at full scale), with on average 1.5
registrations and 0.5 claims each, spread over the last three years and over every status,
registration type (from each jurisdiction's rule sets: nothing here names a type) and channel;
one document row per registration and per claim, all pointing at one small shared PDF; one
staff member per office (`bench-staff-<office>`).

Idempotent: a database that already holds this scale is left as it is (a second run prints
"already there"); otherwise its cases and `bench-` users are removed first (the database is the
bench's own: its name must contain "bench").
"""

import argparse
import datetime
import hashlib
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 5_000  # enrollees per round of inserts: memory stays flat at any scale
YEARS = 3
SAMPLE_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "bench-staff-password-2026"  # noqa: S105  # nosec B105 - bench database only

# (status, weight). Open cases are the last three weeks' work, about 3% of three years' worth;
# the rest are decided, in every state.
REGISTRATION_STATUSES = [
    ("approved", 45),
    ("expired", 30),
    ("rejected", 6),
    ("cancelled", 9),
    ("superseded", 7),
    ("submitted", 1.5),
    ("returned", 0.5),
    ("draft", 1),
]
CLAIM_STATUSES = [
    ("paid", 70),
    ("approved", 3),
    ("rejected", 22),
    ("submitted", 2),
    ("awaiting_confirmation", 0.3),
    ("returned", 0.7),
    ("draft", 2),
]
OPEN_STATUSES = {"draft", "submitted", "returned", "awaiting_confirmation"}
CHANNELS = ["online", "online", "online", "jiangsu_app", "wechat", "window", "mail"]


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


def weighted(choices, rng):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights)[0]


def keep_given_timestamps(*models) -> None:
    """Bulk inserts of `auto_now` fields would stamp every row 'now'; the bench spreads them over
    three years, so for this process those fields take the value they are given."""
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                field.auto_now_add = field.auto_now = False


def expected_counts(scale: int) -> dict:
    return {"enrollees": scale, "registrations": scale + scale // 2, "claims": scale // 2}


def present_counts() -> dict:
    from accounts.models import User
    from claims.models import Claim
    from registrations.models import Registration

    return {
        "enrollees": User.objects.filter(username__startswith="bench-e").count(),
        "registrations": Registration.objects.filter(enrollee__username__startswith="bench-e").count(),
        "claims": Claim.objects.filter(enrollee__username__startswith="bench-e").count(),
    }


def wipe() -> None:
    """Empty the bench database of cases and bench users. The database is the bench's own (its
    name says so): the audit tables refuse DELETE (common/audit_sql.py), so cases are truncated."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE notifications_delivery, notifications_notification, claims_expense, claims_claimevent, "
            "claims_claimdocument, claims_claim, registrations_registrationevent, "
            "registrations_registrationdocument, registrations_registration, common_accesslog RESTART IDENTITY CASCADE"
        )
        for table in ("accounts_user_offices", "authtoken_token", "otp_totp_totpdevice", "notifications_preference"):
            cursor.execute(
                f"DELETE FROM {table} WHERE user_id IN (SELECT id FROM accounts_user WHERE username LIKE 'bench-%%')"  # noqa: S608  # nosec B608 - fixed table names
            )
        cursor.execute("DELETE FROM accounts_user WHERE username LIKE 'bench-%%'")


def sample_file() -> tuple[str, str, int]:
    """One small PDF on disk that every document row points at (the bench measures rows, not bytes)."""
    from django.conf import settings

    name = "private/bench/sample.pdf"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(SAMPLE_PDF)
    return name, hashlib.sha256(SAMPLE_PDF).hexdigest(), len(SAMPLE_PDF)


class Population:
    def __init__(self, scale: int, seed: int, today: datetime.date):
        from offices.models import Office
        from policy import selectors as policy
        from policy.models import RegistrationType

        self.scale, self.rng, self.today = scale, random.Random(seed), today
        self.offices = list(Office.objects.select_related("jurisdiction").order_by("code"))
        self.busiest = next(o for o in self.offices if o.code == "nantong-urban")
        # Types offered by each jurisdiction's rule sets, read from the database.
        self.types = {}
        for office in self.offices:
            code = office.jurisdiction.code
            if code not in self.types:
                rulesets = policy.rulesets_of(code)
                self.types[code] = [
                    (ruleset.id, kind.code, kind.category)
                    for ruleset in rulesets
                    for kind in RegistrationType.objects.filter(ruleset_id=ruleset.id)
                ]
        self.file_name, self.file_sha, self.file_size = sample_file()
        self.staff = {}

    def office_for(self, index: int):
        return self.busiest if index % 4 == 0 else self.offices[index % len(self.offices)]

    def moment(self, status: str = ""):
        """A time in the last three years, in the portal's time zone; cases still open (a draft,
        one awaiting review or returned) are from the last three weeks, as in a working office."""
        from django.utils import timezone

        recent = status in OPEN_STATUSES
        days = self.rng.randrange(21 if recent else YEARS * 365)
        seconds = self.rng.randrange(8 * 3600, 18 * 3600)
        start = datetime.datetime.combine(self.today - datetime.timedelta(days=days), datetime.time())
        return timezone.make_aware(start + datetime.timedelta(seconds=seconds))

    def make_staff(self) -> None:
        from accounts.constants import Role
        from accounts.models import User

        for office in self.offices:
            user, _ = User.objects.get_or_create(
                username=f"bench-staff-{office.code}", defaults={"role": Role.STAFF, "name": office.name_zh}
            )
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
            user.offices.set([office])
            self.staff[office.pk] = user

    def enrollees(self, first: int, last: int):
        from django.contrib.auth.hashers import make_password

        from accounts.constants import Role
        from accounts.models import User

        unusable = make_password(None)
        users = []
        for index in range(first, last):
            office = self.office_for(index)
            users.append(
                User(
                    username=f"bench-e{index}",
                    password=unusable,  # the bench logs enrollees in with sessions or tokens it makes
                    role=Role.ENROLLEE,
                    name=f"参保人{index}",
                    phone=f"1{index:010d}",
                    email=f"e{index}@example.com" if index % 10 == 0 else "",
                    national_id_masked=f"3206**********{index % 10_000:04d}",
                    scheme="employee" if index % 3 else "resident",
                    jurisdiction_id=office.jurisdiction_id,
                    office_id=office.pk,
                    preferred_language="en" if index % 20 == 0 else "zh-hans",
                    date_joined=self.moment(),
                )
            )
        return User.objects.bulk_create(users, batch_size=CHUNK)

    def registration(self, enrollee, index: int):
        from registrations.models import Registration

        ruleset_id, code, category = self.rng.choice(self.types[enrollee.office.jurisdiction.code])
        status = weighted(REGISTRATION_STATUSES, self.rng)
        moment = self.moment(status)
        decided = status in ("approved", "expired", "rejected", "superseded", "cancelled")
        start = moment.date() + datetime.timedelta(days=self.rng.randrange(0, 30))
        return Registration(
            number=f"BB{index:014d}",
            enrollee=enrollee,
            filed_by=enrollee,
            jurisdiction_id=enrollee.jurisdiction_id,
            office_id=enrollee.office_id,
            ruleset_id=ruleset_id,
            registration_type=code,
            category=category,
            channel=self.rng.choice(CHANNELS),
            care_scope="cross_province" if index % 3 else "in_province",
            care_province="上海市" if index % 3 else "江苏省",
            start_date=start,
            status=status,
            created_at=moment,
            updated_at=moment,
            submitted_at=None if status == "draft" else moment,
            decided_at=moment + datetime.timedelta(days=3) if decided else None,
            decided_by=self.staff[enrollee.office_id] if decided else None,
            valid_from=start if status in ("approved", "expired", "superseded") else None,
            valid_until=start + datetime.timedelta(days=180) if category == "temporary" else None,
            reduction_points=10 if status in ("approved", "expired") else None,
        )

    def claim(self, enrollee, index: int):
        from claims.models import Claim

        status = weighted(CLAIM_STATUSES, self.rng)
        moment = self.moment(status)
        decided = status in ("paid", "approved", "rejected", "awaiting_confirmation")
        return Claim(
            number=f"BC{index:014d}",
            enrollee=enrollee,
            filed_by=enrollee,
            jurisdiction_id=enrollee.jurisdiction_id,
            office_id=enrollee.office_id,
            claim_kind="inpatient" if index % 2 else "outpatient",
            emergency=index % 5 == 0,
            status=status,
            created_at=moment,
            updated_at=moment,
            submitted_at=None if status == "draft" else moment,
            first_submitted_at=None if status == "draft" else moment,
            decided_at=moment + datetime.timedelta(days=5) if decided else None,
            decided_by=self.staff[enrollee.office_id] if decided else None,
            approved_amount=640 if status in ("paid", "approved") else None,
            paid_at=moment + datetime.timedelta(days=10) if status == "paid" else None,
        )

    def document(self, model, owner_field: str, owner, moment):
        return model(
            **{owner_field: owner},
            kind="id_document",
            file=self.file_name,
            original_name="sample.pdf",
            content_type="application/pdf",
            size=self.file_size,
            sha256=self.file_sha,
            uploaded_by=owner.enrollee,
            created_at=moment,
            updated_at=moment,
        )

    def fill(self) -> None:
        from django.db import transaction

        from claims.models import Claim, ClaimDocument, Expense
        from registrations.models import Registration, RegistrationDocument

        offices = {office.pk: office for office in self.offices}
        registration_no = claim_no = 0
        for first in range(0, self.scale, CHUNK):
            last = min(first + CHUNK, self.scale)
            with transaction.atomic():
                users = self.enrollees(first, last)
                registrations, claims = [], []
                for offset, user in enumerate(users):
                    user.office = offices[user.office_id]
                    index = first + offset
                    for _ in range(2 if index % 2 == 0 else 1):  # 1.5 each on average
                        registration_no += 1
                        registrations.append(self.registration(user, registration_no))
                    if index % 2 == 1:  # 0.5 each
                        claim_no += 1
                        claims.append(self.claim(user, claim_no))
                Registration.objects.bulk_create(registrations, batch_size=CHUNK)
                Claim.objects.bulk_create(claims, batch_size=CHUNK)
                RegistrationDocument.objects.bulk_create(
                    [self.document(RegistrationDocument, "registration", r, r.created_at) for r in registrations],
                    batch_size=CHUNK,
                )
                ClaimDocument.objects.bulk_create(
                    [self.document(ClaimDocument, "claim", c, c.created_at) for c in claims], batch_size=CHUNK
                )
                Expense.objects.bulk_create(
                    [
                        Expense(
                            claim=c,
                            invoice_no=f"INV-{c.number}",
                            date=c.created_at.date() - datetime.timedelta(days=20),
                            institution="上海市第一人民医院",
                            institution_level=3,
                            province="上海市",
                            total_amount=900,
                            policy_amount=800,
                        )
                        for c in claims
                    ],
                    batch_size=CHUNK,
                )
            done = last
            if done % 100_000 == 0 or done == self.scale:
                print(f"  {done:,} enrollees", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1_000_000, help="number of enrollees (CI uses 1000)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    settings.DEBUG = False  # DEBUG keeps every query's SQL in memory
    if connection.vendor != "postgresql" or "bench" not in connection.settings_dict["NAME"]:
        print("Needs DATABASE_URL of a PostgreSQL database whose name contains 'bench'.")
        return 2
    call_command("migrate", verbosity=0)

    expected = expected_counts(args.scale)
    if present_counts() == expected:
        print(f"already there: {expected}")
        return 0

    from claims.models import Claim, ClaimDocument
    from registrations.models import Registration, RegistrationDocument

    keep_given_timestamps(Registration, Claim, RegistrationDocument, ClaimDocument)
    started = time.perf_counter()
    wipe()
    population = Population(args.scale, args.seed, timezone.localdate())
    population.make_staff()
    print(f"generating {args.scale:,} enrollees …", flush=True)
    population.fill()
    with connection.cursor() as cursor:
        # As autovacuum would soon after a bulk load: statistics, and the visibility map that
        # lets counts be answered from an index alone.
        cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    present = present_counts()
    busiest = Registration.objects.filter(office=population.busiest).count()
    busiest += Claim.objects.filter(office=population.busiest).count()
    print(f"done in {seconds:.1f} s: {present}; {population.busiest.code} holds {busiest:,} cases")
    if present != expected:
        print(f"expected {expected}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
