from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.constants import Role
from accounts.models import User
from accounts.services import enrollee_register, user_create
from offices.models import Office

# Demo credentials, also listed in the README. Only ever created with DEBUG on.
ADMIN = ("admin", "demo-admin-2026")
# A made-up person with a valid check digit, insured at 南通 市区; log in with the ID or phone.
ENROLLEE = ("32060219900101123X", "demo-enrollee-2026")
ENROLLEE_PHONE = "13800000000"
STAFF_PASSWORD = "demo-staff-2026"  # demo only, refused when DEBUG is off  # noqa: S105  # nosec B105


class Command(BaseCommand):
    help = "Create the demo accounts of the local run (one admin, one staff per office, one enrollee)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS:
            raise CommandError("Demo accounts are only created with DEBUG on (and DEMO_ACCOUNTS not off).")
        rows = [(*ADMIN, Role.ADMIN, "", [])]
        rows += [(f"staff-{o.code}", STAFF_PASSWORD, Role.STAFF, o.name_zh, [o]) for o in Office.objects.all()]

        self.stdout.write("Demo accounts (DEBUG only):")
        for username, password, role, office_name, offices in rows:
            if not User.objects.filter(username=username).exists():
                user_create(username=username, password=password, role=role, offices=offices, name=office_name)
            where = f"  {office_name}" if office_name else ""
            self.stdout.write(f"  {role:<9} {username:<22} {password}{where}")
        if not User.objects.filter(phone=ENROLLEE_PHONE).exists():
            enrollee_register(
                national_id_value=ENROLLEE[0],
                name="张三（演示）",
                phone=ENROLLEE_PHONE,
                password=ENROLLEE[1],
                scheme="employee",
                jurisdiction_code="nantong",
                office_code="nantong-urban",
            )
        self.stdout.write(f"  {Role.ENROLLEE:<9} {ENROLLEE[0]:<22} {ENROLLEE[1]}  (or phone {ENROLLEE_PHONE})")
