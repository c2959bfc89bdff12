import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.constants import Role
from accounts.models import User
from tests.conftest import ENROLLEE_ID

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_with_english_switch(client):
    html = client.get("/accounts/login/").content.decode()
    assert "<h1>登录</h1>" in html
    assert "身份证号或手机号" in html
    assert 'value="en"' in html


@pytest.mark.parametrize("identifier", [ENROLLEE_ID, ENROLLEE_ID.lower(), "13800000001", "+86 138 0000 0001"])
def test_enrollee_logs_in_with_identity_or_mobile_number(client, enrollee, password, identifier):
    response = client.post("/accounts/login/", {"username": identifier, "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(enrollee.pk)


def test_login_and_logout(client, enrollee, password):
    response = client.post("/accounts/login/", {"username": ENROLLEE_ID, "password": password})
    assert response.status_code == 302
    assert "退出" in client.get("/").content.decode()
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "退出" not in client.get("/").content.decode()


def test_wrong_password_gives_clear_error(client, enrollee):
    html = client.post("/accounts/login/", {"username": ENROLLEE_ID, "password": "wrong"}).content.decode()
    assert "身份证号或手机号、或者密码不正确。请检查后再试。" in html
    assert "区分大小写" not in html


def test_demo_accounts_refused_when_debug_off(settings):
    settings.DEMO_ACCOUNTS = False
    with pytest.raises(CommandError):
        call_command("demo_accounts")
    assert not User.objects.exists()


def test_demo_accounts_create_admin_staff_per_office_and_enrollee(settings):
    settings.DEMO_ACCOUNTS = True
    call_command("demo_accounts")
    call_command("demo_accounts")  # a second run changes nothing
    assert User.objects.filter(role=Role.ADMIN, is_superuser=True).count() == 1
    staff = User.objects.filter(role=Role.STAFF).prefetch_related("offices")
    assert sorted(o.code for s in staff for o in s.offices.all()) == sorted(
        ["nantong-urban", "tongzhou", "haimen", "qidong", "rugao", "haian", "rudong", "sheyang"]
    )
    enrollee = User.objects.get(role=Role.ENROLLEE)
    assert enrollee.office.code == "nantong-urban"
    assert enrollee.national_id_masked == "3206**********123X"
