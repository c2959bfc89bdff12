"""Audit rows are immutable in the database itself (PostgreSQL trigger; see common/audit_sql.py)."""

from django.db import migrations

from common.audit_sql import protect


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_found_registration_first_submission"), ("common", "0005_accesslog_immutable")]

    operations = [migrations.RunPython(*protect("claims_claimevent"))]
