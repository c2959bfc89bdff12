"""Schemathesis against the OpenAPI schema, in process: every operation, as anonymous and each role.

Checked: no server error for any generated input, and every answer matches the schema (status code
documented, content type, headers, body), and input the schema forbids is refused. Not checked:
that every input the schema allows is accepted — the rules refuse some (an unknown jurisdiction,
a wrong ID check digit, a date with no rules) that a schema cannot describe.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.security.figures import report

# WSGIHandler, not get_wsgi_application(): that would run django.setup() again and reset logging.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(enrollee, window_staff, admin_user):
    return {
        "anonymous": None,
        "enrollee": Token.objects.get_or_create(user=enrollee)[0].key,
        "staff": Token.objects.get_or_create(user=window_staff)[0].key,
        "admin": Token.objects.get_or_create(user=admin_user)[0].key,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "enrollee", "staff", "admin"])
@schema.parametrize()
@settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, tokens, role):
    headers = {"Authorization": f"Token {tokens[role]}"} if tokens[role] else {}
    case.call_and_validate(headers=headers, checks=CHECKS)
    CALLS.add((case.operation.label, role))
    CALLS_MADE.append(1)
    report(
        "schemathesis",
        f"{len(CALLS_MADE)} calls over {len(CALLS)} operation×role pairs, 0 server errors, 0 answers off the schema",
    )


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
CALLS: set = set()
CALLS_MADE: list = []
