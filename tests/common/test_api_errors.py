"""Every API error has API.md's shape: {"detail": one sentence, "errors": {field: [messages]}}."""

import pytest
from django.core.cache import cache

pytestmark = [pytest.mark.urls("tests.common.error_views"), pytest.mark.django_db]


def test_field_errors_name_each_field(api_client):
    response = api_client.post("/validate/", {"start_date": "31-12-2026"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["detail"] == "请更正下面标出的字段。"
    assert set(body["errors"]) == {"start_date", "care_scope"}
    assert all(isinstance(m, str) for msgs in body["errors"].values() for m in msgs)


def test_field_errors_follow_accept_language(api_client):
    response = api_client.post("/validate/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert body["detail"] == "Please correct the fields marked below."
    assert body["errors"]["care_scope"] == ["This field is required."]
    zh = api_client.post("/validate/", {}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert zh["errors"]["care_scope"] == ["该字段是必填项。"]


def test_non_field_error_becomes_the_detail(api_client):
    body = api_client.post("/non-field/", {}, format="json").json()
    assert body == {"detail": "Only one registration may be active.", "errors": {}}


def test_service_error_is_400_with_its_message(api_client):
    response = api_client.post("/service-error/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The claim window has closed.", "errors": {"expenses": ["Too late."]}}


def test_conflict_is_409(api_client):
    response = api_client.post("/conflict/", {}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "Someone else decided first.", "errors": {}}


def test_unauthenticated_is_401_with_error_shape(api_client):
    response = api_client.get("/private/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.", "errors": {}}


def test_throttled_is_429_with_error_shape(api_client):
    cache.clear()
    assert api_client.get("/throttled/").status_code == 200
    response = api_client.get("/throttled/")
    assert response.status_code == 429
    assert set(response.json()) == {"detail", "errors"}
