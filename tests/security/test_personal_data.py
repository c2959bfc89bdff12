"""No identity number in any raw database column after the usual journeys (only its hash and ciphertext)."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from tests.claims.test_submit import make_claim
from tests.registrations.factories import make_registration
from tests.security.figures import report

pytestmark = pytest.mark.django_db

# 18 characters: region, birth date, sequence, check character (as on a 居民身份证).
ID_PATTERN = re.compile(r"(?<!\d)[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dXx])")
NEW_ID = "110101199003074514"


def text_columns():
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if fields:
            yield model, fields


def test_no_identity_number_in_any_column_after_the_journeys(client, enrollee, window_staff):
    # sign-up by API, log-in attempts with the ID (one wrong), a registration, a claim, staff reveal
    response = client.post(
        "/api/v1/auth/signup/",
        {
            "national_id": NEW_ID,
            "name": "张三",
            "phone": "13900000009",
            "password": "gr33n-t3a-pot",
            "scheme": "employee",
            "jurisdiction": "nantong",
            "office": "nantong-urban",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    client.post(reverse("accounts:login"), {"username": NEW_ID, "password": "wrong-password"})
    client.post(reverse("accounts:login"), {"username": NEW_ID, "password": "gr33n-t3a-pot"})
    registration = make_registration(enrollee)
    make_claim(enrollee, emergency=True)
    client.force_login(window_staff)
    client.get(reverse("review:detail", args=[registration.uuid]))

    found = []
    checked = 0
    for model, fields in text_columns():
        for row in model.objects.values_list(*fields):
            checked += 1
            for value in row:
                if value and ID_PATTERN.search(str(value)):
                    found.append((model._meta.label, ID_PATTERN.search(str(value)).group()))
    report("identity numbers in the database", f"{checked} rows of text columns scanned, {len(found)} found")
    assert found == []
