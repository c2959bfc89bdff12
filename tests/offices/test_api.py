import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_jurisdictions_api_is_public_and_has_contract_fields(api_client):
    response = api_client.get("/api/v1/jurisdictions/")
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.json()}
    assert set(by_code) == {"nantong", "sheyang"}
    assert by_code["nantong"] == {
        "code": "nantong",
        "name_zh": "南通市",
        "name_en": "Nantong",
        "hotlines": ["12345", "12393"],
        "source": by_code["nantong"]["source"],
        "effective_from": "2025-08-01",
    }
    assert "政策问答" in by_code["nantong"]["source"]


def test_offices_api_lists_all_offices_with_labelled_phones(api_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = api_client.get("/api/v1/offices/")
    assert response.status_code == 200
    offices = {row["code"]: row for row in response.json()}
    assert len(offices) == 8
    rudong = offices["rudong"]
    assert rudong["jurisdiction"] == "nantong"
    assert rudong["name_zh"] == "如东县"
    assert [(p["number"], p["label"]) for p in rudong["phones"]] == [
        ("12345", ""),
        ("84180001", "职工"),
        ("84512074", "居民"),
    ]
    assert rudong["mailing_address"] == "如东县掘港镇秦山路16号 如东县医疗保障局一楼大厅50-54号窗口"
    assert rudong["office_address"] == "如东县掘港镇秦山路16号如东县医疗保障局"


def test_offices_api_labels_follow_accept_language(api_client):
    response = api_client.get("/api/v1/offices/?jurisdiction=nantong", HTTP_ACCEPT_LANGUAGE="en")
    rudong = next(row for row in response.json() if row["code"] == "rudong")
    assert [p["label"] for p in rudong["phones"]] == ["", "employees", "residents"]


def test_offices_api_filters_by_jurisdiction(api_client):
    response = api_client.get("/api/v1/offices/", {"jurisdiction": "sheyang"})
    assert [row["code"] for row in response.json()] == ["sheyang"]
    assert response.json()[0]["phones"] == [{"number": "0515-82330035", "label": "", "label_zh": "", "label_en": ""}]
    assert api_client.get("/api/v1/offices/", {"jurisdiction": "nowhere"}).json() == []


def test_offices_api_refuses_writes_with_error_shape(api_client):
    response = api_client.post("/api/v1/offices/", {}, format="json")
    assert response.status_code == 405
    assert set(response.json()) == {"detail", "errors"}


def test_offices_are_in_openapi_schema(api_client):
    response = api_client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"] if response["Content-Type"].endswith("json") else response.content.decode()
    assert "/api/v1/offices/" in paths
    assert "/api/v1/jurisdictions/" in paths


def test_a_jurisdiction_that_is_not_a_code_is_a_400_not_a_server_error(api_client):
    response = api_client.get("/api/v1/offices/", {"jurisdiction": "nan\x00tong"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "jurisdiction": ["A jurisdiction code is letters, digits and hyphens, e.g. nantong."]
    }
