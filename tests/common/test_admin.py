"""Every admin page loads for an admin; edits keep a history."""

import pytest
from django.contrib import admin
from django.urls import reverse

from offices.models import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _registered_models():
    return [(model._meta.app_label, model._meta.model_name) for model in admin.site._registry]


def test_every_admin_changelist_and_add_page_loads(admin_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200
    for app_label, model_name in _registered_models():
        changelist = admin_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
        assert changelist.status_code == 200, (app_label, model_name)
        add = admin_client.get(reverse(f"admin:{app_label}_{model_name}_add"))
        assert add.status_code in (200, 403), (app_label, model_name)


def test_office_change_and_history_pages_load(admin_client):
    office = Office.objects.get(code="rudong")
    assert admin_client.get(reverse("admin:offices_office_change", args=[office.pk])).status_code == 200
    response = admin_client.get(reverse("admin:offices_office_history", args=[office.pk]))
    assert response.status_code == 200


def test_office_edit_in_admin_is_recorded_with_who_changed_it(admin_client, admin_user):
    office = Office.objects.get(code="rudong")
    phones = list(office.phones.all())
    form = {
        "jurisdiction": office.jurisdiction_id,
        "code": office.code,
        "name_zh": office.name_zh,
        "name_en": office.name_en,
        "mailing_address": office.mailing_address,
        "office_address": "如东县掘港镇秦山路16号（新址）",
        "position": office.position,
        "phones-TOTAL_FORMS": len(phones),
        "phones-INITIAL_FORMS": len(phones),
        "phones-MIN_NUM_FORMS": 0,
        "phones-MAX_NUM_FORMS": 1000,
    }
    for i, phone in enumerate(phones):
        form |= {
            f"phones-{i}-id": phone.pk,
            f"phones-{i}-office": office.pk,
            f"phones-{i}-number": phone.number,
            f"phones-{i}-label_zh": phone.label_zh,
            f"phones-{i}-label_en": phone.label_en,
            f"phones-{i}-position": phone.position,
        }
    response = admin_client.post(reverse("admin:offices_office_change", args=[office.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]

    latest = office.history.first()
    assert latest.history_user == admin_user
    assert latest.office_address == "如东县掘港镇秦山路16号（新址）"
    history_page = admin_client.get(reverse("admin:offices_office_history", args=[office.pk])).content.decode()
    assert admin_user.username in history_page


def test_admin_site_refuses_enrollees_and_window_staff(client, enrollee, window_staff):
    for user in (enrollee, window_staff):
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
