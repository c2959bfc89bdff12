"""Audit rows (access log, registration and claim history) cannot be changed, not even with raw SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from claims.models import ClaimEvent
from common.models import AccessLog
from common.services import access_log_record
from registrations.models import RegistrationEvent
from tests.claims.test_submit import make_claim
from tests.conftest import require
from tests.registrations.factories import make_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_rows(enrollee, window_staff):
    registration = make_registration(enrollee)
    claim = make_claim(enrollee, emergency=True)
    access_log_record(actor=window_staff, action="reveal_id", obj=registration, detail=registration.number)
    return {
        "common_accesslog": AccessLog.objects.first(),
        "registrations_registrationevent": RegistrationEvent.objects.filter(registration=registration).first(),
        "claims_claimevent": ClaimEvent.objects.filter(claim=claim).first(),
    }


def test_the_application_refuses_to_edit_or_delete_them(audit_rows):
    for row in audit_rows.values():
        with pytest.raises(PermissionError):
            row.save()
        with pytest.raises(PermissionError):
            row.delete()


@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id WHERE id = %s", "DELETE FROM {table} WHERE id = %s"])
def test_the_database_refuses_raw_updates_and_deletes(audit_rows, statement):
    require(connection.vendor == "postgresql", "row locks need PostgreSQL (DATABASE_URL)")
    for table, row in audit_rows.items():
        refused = pytest.raises(DatabaseError, match="cannot be changed or deleted")
        with refused, transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement.format(table=table), [row.pk])
    assert AccessLog.objects.count() == 1
