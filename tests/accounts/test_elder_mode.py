"""长辈模式: one switch in the header, remembered by the browser and by the account; larger text,
plain help next to each step and the office's phone number on every page."""

import pytest
from django.urls import reverse

from accounts.constants import ELDER_COOKIE
from offices.models import Office, OfficePhone
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def switch(client, on: bool, next_url="/registrations/"):
    return client.post(reverse("accounts:elder_mode"), {"on": "1" if on else "0", "next": next_url})


def test_the_switch_is_on_every_page_and_says_whether_it_is_on(client):
    page = client.get("/").content.decode()
    assert 'action="/accounts/elder-mode/"' in page
    assert 'aria-pressed="false"' in page
    assert 'class="elder"' not in page


def test_a_visitor_switches_it_on_and_the_browser_remembers(client):
    response = switch(client, True, next_url="/policy/wizard/")
    assert response.status_code == 302
    assert response.url == "/policy/wizard/"
    assert response.cookies[ELDER_COOKIE].value == "1"
    page = client.get("/policy/wizard/").content.decode()
    assert '<html lang="zh-Hans" class="elder">' in page
    assert 'aria-pressed="true"' in page
    assert 'class="plain-help"' in page  # plain help next to the step
    assert 'class="help-line"' in page
    assert "12393" in page  # whom to call: the regions' hotlines
    switch(client, False)
    assert 'class="elder"' not in client.get("/policy/wizard/").content.decode()


def test_an_enrollee_sees_their_own_offices_number_and_the_account_remembers(client, enrollee):
    office = Office.objects.get(pk=enrollee.office_id)
    OfficePhone.objects.create(office=office, number="0513-85000000", label_zh="咨询", label_en="enquiries")
    client.force_login(enrollee)
    switch(client, True)
    enrollee.refresh_from_db()
    assert enrollee.elder_mode is True
    other_browser = type(client)()
    other_browser.force_login(enrollee)
    page = other_browser.get(reverse("registrations:list")).content.decode()
    assert 'class="elder"' in page
    assert "0513-85000000" in page
    assert office.name_zh in page
    assert f"{office.jurisdiction.name_zh} · {office.name_zh}" in page  # which city, not only "市区"


def test_switched_on_before_logging_in_it_stays_on_for_the_account(client, enrollee):
    switch(client, True, next_url="/accounts/login/")
    client.post(reverse("accounts:login"), {"username": enrollee.phone, "password": PASSWORD})
    enrollee.refresh_from_db()
    assert enrollee.elder_mode is True


def test_the_switch_never_sends_anyone_to_another_site(client):
    response = switch(client, True, next_url="https://evil.example/")
    assert response.url == "/"


def test_the_switch_takes_posts_only(client):
    assert client.get(reverse("accounts:elder_mode")).status_code == 405
