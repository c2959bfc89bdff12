"""Headers on every kind of page: a CSP without inline script, no-store on personal data, and the rest."""

import re

import pytest
from django.urls import reverse

from tests.claims.test_submit import make_claim

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/offices/", "/policy/", "/policy/wizard/", "/accounts/login/", "/accounts/signup/", "/api/docs/"]
ENROLLEE_PAGES = ["/registrations/", "/registrations/new/", "/claims/", "/claims/new/", "/claims/rescue/", "/inbox/"]
STAFF_PAGES = ["/review/", "/review/claims/", "/review/file/"]


def csp_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def check_page(response):
    assert response.status_code == 200, response.status_code
    policy = csp_of(response)
    assert "'unsafe-inline'" not in policy.get("script-src", policy["default-src"])
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    html = response.content.decode()
    # no inline script: every <script> loads a file (or is JSON data, which is never run)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or "application/json" in tag, tag
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handler"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages(client, url):
    check_page(client.get(url))


@pytest.mark.parametrize("url", ENROLLEE_PAGES)
def test_enrollee_pages_are_never_stored(client, enrollee, url):
    client.force_login(enrollee)
    response = client.get(url)
    check_page(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_are_never_stored(client, window_staff, url):
    client.force_login(window_staff)
    response = client.get(url)
    check_page(response)
    assert "no-store" in response["Cache-Control"]


def test_api_answers_are_never_stored(client, enrollee):
    client.force_login(enrollee)
    for url in ("/api/v1/me/", "/api/v1/claims/", "/api/v1/offices/"):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_a_document_keeps_its_own_sandboxing_policy(client, enrollee):
    claim = make_claim(enrollee, emergency=True)
    client.force_login(enrollee)
    document = claim.documents.first()
    response = client.get(reverse("claims:document_download", args=[claim.uuid, document.uuid]))
    b"".join(response.streaming_content)
    assert "sandbox" in response["Content-Security-Policy"]


def test_no_state_change_over_get(client, enrollee):
    """Every view that changes something refuses GET (405) or only shows a form."""
    claim = make_claim(enrollee, emergency=True)
    client.force_login(enrollee)
    for name, args in [
        ("claims:submit", [claim.uuid]),
        ("claims:expense_add", [claim.uuid]),
        ("claims:document_upload", [claim.uuid]),
        ("notifications:read_all", []),
        ("accounts:logout", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 405, name
    claim.refresh_from_db()
    assert claim.status == "draft"
