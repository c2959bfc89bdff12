import pytest
from django.db import connection

from accounts.models import User
from tests.conftest import ENROLLEE_ID, PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "national_id": "320981196005050023",
    "name": "王五",
    "phone": "13900000003",
    "password": "a-long-enough-passphrase",
    "jurisdiction": "nantong",
    "office": "haian",
    "scheme": "resident",
}


def test_api_signup_creates_enrollee_with_masked_id(api_client):
    response = api_client.post("/api/v1/auth/signup/", SIGNUP, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["national_id"] == "3209**********0023"
    assert body["office"] == "haian"
    assert body["jurisdiction"] == "nantong"
    assert body["scheme"] == "resident"
    user = User.objects.get(phone="13900000003")
    assert user.reveal_national_id() == "320981196005050023"


def test_the_raw_number_is_not_in_any_user_column(api_client):
    api_client.post("/api/v1/auth/signup/", SIGNUP, format="json")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_user")
        rows = cursor.fetchall()
    assert rows
    assert not any("320981196005050023" in str(value) for row in rows for value in row)


def test_one_account_per_national_id(api_client, enrollee):
    response = api_client.post(
        "/api/v1/auth/signup/", {**SIGNUP, "national_id": ENROLLEE_ID.lower()}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "already exists" in response.json()["errors"]["national_id"][0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"national_id": "320981196005050024"}, "national_id"),
        ({"phone": "12345"}, "phone"),
        ({"office": "sheyang"}, "office"),
        ({"office": "nowhere"}, "office"),
        ({"jurisdiction": "nowhere"}, "jurisdiction"),
        ({"password": "123"}, "password"),
        ({"scheme": "gold"}, "scheme"),
        ({"name": "李\x1b四"}, "name"),
    ],
)
def test_signup_refuses_bad_fields_and_creates_nothing(api_client, changes, field):
    response = api_client.post("/api/v1/auth/signup/", {**SIGNUP, **changes}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not User.objects.exists()


def test_token_by_national_id_or_phone_and_me(api_client, enrollee):
    for username in (ENROLLEE_ID, "13800000001"):
        response = api_client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
        assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api_client.get("/api/v1/me/").json()
    assert me["national_id"] == "3206**********123X"
    assert me["name"] == "张三"


def test_wrong_password_is_401(api_client, enrollee):
    response = api_client.post("/api/v1/auth/token/", {"username": ENROLLEE_ID, "password": "nope"}, format="json")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_me_needs_login(api_client):
    assert api_client.get("/api/v1/me/").status_code == 401


def test_web_signup_logs_in_and_shows_errors_in_chinese(client):
    bad = client.post("/accounts/signup/", {**SIGNUP, "national_id": "320981196005050024"})
    assert bad.status_code == 200
    assert "最后一位" in bad.content.decode()
    ok = client.post("/accounts/signup/", SIGNUP)
    assert ok.status_code == 302
    assert client.session["_auth_user_id"]


def test_signup_choices_follow_the_language(client):
    english = client.get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Nantong · Rudong County<" in english
    assert ">Sheyang County<" in english
    chinese = client.get("/accounts/signup/").content.decode()
    assert ">南通市 · 如东县<" in chinese
