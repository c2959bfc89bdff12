"""Audit rows are immutable in the database itself (PostgreSQL trigger; see common/audit_sql.py)."""

from django.db import migrations

from common.audit_sql import protect


class Migration(migrations.Migration):
    dependencies = [("common", "0004_seed_claim_reasons")]

    operations = [migrations.RunPython(*protect("common_accesslog"))]
