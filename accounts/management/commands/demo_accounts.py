from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.constants import Role
from accounts.models import User
from accounts.services import user_create
from offices.models import Office

# Demo credentials, also listed in the README. Only ever created with DEBUG on.
ADMIN = ("admin", "demo-admin-2026")
ENROLLEE = ("enrollee", "demo-enrollee-2026")
STAFF_PASSWORD = "demo-staff-2026"  # noqa: S105 - demo only, refused when DEBUG is off


class Command(BaseCommand):
    help = "Create the demo accounts of the local run (one admin, one staff per office, one enrollee)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS:
            raise CommandError("Demo accounts are only created with DEBUG on (and DEMO_ACCOUNTS not off).")
        rows = [(*ADMIN, Role.ADMIN, "", [])]
        rows += [(f"staff-{o.code}", STAFF_PASSWORD, Role.STAFF, o.name_zh, [o]) for o in Office.objects.all()]
        rows.append((*ENROLLEE, Role.ENROLLEE, "", []))

        self.stdout.write("Demo accounts (DEBUG only):")
        for username, password, role, office_name, offices in rows:
            if not User.objects.filter(username=username).exists():
                user_create(username=username, password=password, role=role, offices=offices)
            where = f"  {office_name}" if office_name else ""
            self.stdout.write(f"  {role:<9} {username:<22} {password}{where}")
