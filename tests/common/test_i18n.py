"""zh-Hans first, English on request: the switch, the cookie and Accept-Language."""

import pytest

pytestmark = pytest.mark.django_db


def test_home_is_in_chinese_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "在参保地以外看病" in html
    assert "12月31日" in html


def test_language_switch_turns_pages_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/offices/"})
    assert response.status_code == 302
    assert response["Location"] == "/offices/"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "31 December" in html
    assert "在参保地以外看病" not in html

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-Hans">' in client.get("/").content.decode()


def test_switch_offers_the_other_language(client):
    html = client.get("/").content.decode()
    assert 'name="language" value="en"' in html
    assert 'name="language" value="zh-hans"' not in html


def test_accept_language_english_is_honoured(client):
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_stale_form_gets_a_page_that_says_what_to_do(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>请重试</h1>" in page
    assert "没有作任何更改" in page
