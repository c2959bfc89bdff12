"""A generated access matrix: every URL pattern that names a person's object × GET and POST ×
anonymous, another enrollee and staff of another office. None of them may see or change it.

The patterns come from the URL resolver, so a new page or API operation is covered the day it is
added; a pattern whose arguments this test cannot fill makes it fail rather than be skipped.
"""

import re

import pytest
from django.urls import URLResolver, get_resolver

from claims import services as claims
from notifications.models import Notification
from notifications.selectors import preference_of
from tests.claims.test_submit import make_claim
from tests.registrations.factories import make_registration
from tests.security.figures import report

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "static/", "i18n/", "api/schema", "api/docs")
NOT_PERSONAL = {"jurisdiction", "type_code"}  # public rule pages, not anybody's object
# The calendar feed's secret token is the key itself (calendar apps cannot log in).
CAPABILITY_URLS = ("inbox/calendar/",)
REFUSED = {401, 403, 404, 405}


def routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    for route in walk(get_resolver().url_patterns):
        names = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
        if names and not route.startswith(SKIP_PREFIXES) and not names & NOT_PERSONAL:
            yield route


@pytest.fixture
def owned(enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    claim = claims.claim_submit(actor=enrollee, claim=make_claim(enrollee, emergency=True))
    return {
        "registration": registration,
        "registration_document": registration.documents.first(),
        "claim": claim,
        "claim_document": claim.documents.first(),
        "expense": claim.expenses.first(),
        "notification": Notification.objects.filter(recipient=enrollee).first(),
        "token": preference_of(enrollee).calendar_token,
        "enrollee": enrollee,
    }


def fill(route: str, owned) -> str:
    is_claim = "claims/" in route
    case = owned["claim"] if is_claim else owned["registration"]
    document = owned["claim_document"] if is_claim else owned["registration_document"]
    values = {
        "uuid": case.uuid,
        "id": case.uuid,
        "document_uuid": document.uuid,
        "document_id": document.uuid,
        "expense_id": owned["expense"].pk,
        "pk": owned["notification"].pk,
        "token": owned["token"],
        "enrollee_uuid": owned["enrollee"].uuid,
    }

    def value(match):
        name = match.group(1)
        assert name in values, f"the matrix cannot fill <{name}> in {route}: teach it"
        return str(values[name])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)


def test_nobody_else_sees_or_changes_a_persons_case(client, owned, other_enrollee, other_office_staff):
    people = {"anonymous": None, "other enrollee": other_enrollee, "other office's staff": other_office_staff}
    numbers = [owned["registration"].number, owned["claim"].number]
    leaks, checks = [], 0
    urls = [fill(route, owned) for route in routes()]
    assert len(urls) > 40  # every personal page and API operation, not a handful
    # Not vacuous: the same addresses do show the owner their own case.
    client.force_login(owned["enrollee"])
    for url, number in (
        (f"/claims/{owned['claim'].uuid}/", numbers[1]),
        (f"/api/v1/registrations/{owned['registration'].uuid}/", numbers[0]),
    ):
        assert number in client.get(url).content.decode()
    for who, person in people.items():
        client.logout()
        if person:
            client.force_login(person)
        for url in urls:
            if url.startswith(tuple("/" + prefix for prefix in CAPABILITY_URLS)):
                continue
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                checks += 1
                body = b"".join(response.streaming_content) if response.streaming else response.content
                text = body.decode(errors="ignore")
                to_login = response.status_code == 302 and "/accounts/login/" in response.get("Location", "")
                allowed = response.status_code in REFUSED or (who == "anonymous" and to_login)
                if not allowed or any(number in text for number in numbers):
                    leaks.append(f"{who} {method.upper()} {url} → {response.status_code}")
    owned["registration"].refresh_from_db()
    owned["claim"].refresh_from_db()
    assert owned["registration"].status == "submitted"
    assert owned["claim"].status == "submitted"
    report("access matrix", f"{checks} checks over {len(urls)} URL patterns, {len(leaks)} leaks")
    assert leaks == []


STAFF_ROUTES = ("review/", "api/v1/review/")


def test_the_owner_and_the_office_reach_every_personal_address(client, owned, window_staff):
    """The other half of the matrix: the same generated addresses open for the people they are for —
    the enrollee's own pages for the owner, the review pages for the staff of the case's office."""
    urls = [(route, fill(route, owned)) for route in routes()]
    refused = []
    for route, url in urls:
        person = window_staff if route.startswith(STAFF_ROUTES) else owned["enrollee"]
        client.force_login(person)
        response = client.get(url)
        to_login = response.status_code == 302 and "/accounts/login/" in response.get("Location", "")
        if response.status_code in (401, 403, 404) or to_login:
            refused.append(f"{person.username} GET {url} → {response.status_code}")
    report("access matrix (allowed)", f"{len(urls)} addresses open for their owner or office, {len(refused)} refused")
    assert refused == []
