import pytest

from offices.models import Office

pytestmark = pytest.mark.django_db


def test_offices_page_shows_every_office_phone_and_address(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/offices/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "办事网点" in html
    for office in Office.objects.prefetch_related("phones"):
        assert office.name_zh in html
        assert office.office_address in html
        assert office.mailing_address in html
        for phone in office.phones.all():
            assert f'href="tel:{phone.number}"' in html
    assert "84180001</a> (职工)" in html
    assert "84512074</a> (居民)" in html


def test_offices_page_in_english(client):
    response = client.get("/offices/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "<h1>Offices</h1>" in html
    assert "Rudong County" in html
    assert "84180001</a> (employees)" in html
