"""The admin shows registrations and the audit trail, and nothing in the history can be edited.

Also: every sight of an identity number or a document on the review pages is recorded.
"""

import pytest
from django.urls import reverse

from common.models import AccessLog
from registrations.models import Registration, RegistrationEvent
from review.models import ReasonTemplate
from tests.conftest import PortalClient
from tests.review.views.test_registrations import file_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(enrollee):
    return file_case(enrollee)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def access_log(window_staff, case):
    """Window staff open the case (the ID is revealed) and one of its documents."""
    client = PortalClient()
    client.force_login(window_staff)
    client.get(reverse("review:detail", args=[case.uuid]))
    document = case.documents.first()
    b"".join(client.get(reverse("review:document", args=[case.uuid, document.uuid])).streaming_content)
    return AccessLog.objects.order_by("at", "id")


# --- The audit trail ---------------------------------------------------------------------


def test_review_pages_record_the_id_reveal_and_the_document_view(access_log, window_staff, case):
    assert [(log.actor, log.action) for log in access_log] == [
        (window_staff, "reveal_id"),
        (window_staff, "view_document"),
    ]
    reveal, view = access_log
    assert reveal.object_id == str(case.uuid)
    assert reveal.detail == case.number
    assert view.object_type == "registrations.registrationdocument"
    assert view.object_id == str(case.documents.first().uuid)


def test_other_office_staff_leave_no_trace_and_see_nothing(client, other_office_staff, case):
    client.force_login(other_office_staff)
    assert client.get(reverse("review:detail", args=[case.uuid])).status_code == 404
    document = case.documents.first()
    assert client.get(reverse("review:document", args=[case.uuid, document.uuid])).status_code == 404
    assert not AccessLog.objects.exists()


# --- Admin pages -------------------------------------------------------------------------


def test_registration_admin_pages_load(admin_client, case):
    changelist = admin_client.get(reverse("admin:registrations_registration_changelist"), {"q": case.number})
    assert changelist.status_code == 200
    assert case.number in changelist.content.decode()
    for query in ({"status__exact": "submitted"}, {"channel__exact": "online"}, {"registration_type": "referral"}):
        assert admin_client.get(reverse("admin:registrations_registration_changelist"), query).status_code == 200
    change = admin_client.get(reverse("admin:registrations_registration_change", args=[case.pk]))
    assert change.status_code == 200
    html = change.content.decode()
    assert "referral_certificate" in html  # the documents inline
    assert "submitted" in html  # the history inline
    assert 'name="_save"' not in html  # view only


def test_access_log_admin_pages_load(admin_client, access_log):
    changelist = admin_client.get(reverse("admin:common_accesslog_changelist"))
    assert changelist.status_code == 200
    assert "reveal_id" in changelist.content.decode()
    change = admin_client.get(reverse("admin:common_accesslog_change", args=[access_log.first().pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()


def test_access_log_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, access_log):
    entry = access_log.first()
    assert admin_client.get(reverse("admin:common_accesslog_add")).status_code == 403
    assert admin_client.post(reverse("admin:common_accesslog_add"), {"action": "x"}).status_code == 403
    changed = admin_client.post(
        reverse("admin:common_accesslog_change", args=[entry.pk]), {"action": "nothing", "detail": "edited"}
    )
    assert changed.status_code == 403
    deleted = admin_client.post(reverse("admin:common_accesslog_delete", args=[entry.pk]), {"post": "yes"})
    assert deleted.status_code == 403
    bulk = admin_client.post(
        reverse("admin:common_accesslog_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)  # the action is not offered: Django ignores it
    entry.refresh_from_db()
    assert entry.action == "reveal_id"
    assert AccessLog.objects.count() == 2


def test_history_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, case):
    event = RegistrationEvent.objects.filter(registration=case).first()
    assert admin_client.get(reverse("admin:registrations_registrationevent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:registrations_registrationevent_change", args=[event.pk])).status_code == 200
    assert admin_client.get(reverse("admin:registrations_registrationevent_add")).status_code == 403
    changed = admin_client.post(
        reverse("admin:registrations_registrationevent_change", args=[event.pk]), {"reason": "rewritten"}
    )
    assert changed.status_code == 403
    deleted = admin_client.post(
        reverse("admin:registrations_registrationevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    event.refresh_from_db()
    assert event.reason == ""


def test_registrations_cannot_be_added_changed_or_deleted_in_the_admin(admin_client, case):
    assert admin_client.get(reverse("admin:registrations_registration_add")).status_code == 403
    changed = admin_client.post(
        reverse("admin:registrations_registration_change", args=[case.pk]), {"status": "approved"}
    )
    assert changed.status_code == 403
    deleted = admin_client.post(reverse("admin:registrations_registration_delete", args=[case.pk]), {"post": "yes"})
    assert deleted.status_code == 403
    case.refresh_from_db()
    assert case.status == "submitted"
    assert Registration.objects.filter(pk=case.pk).exists()


def test_window_staff_cannot_open_the_audit_trail(client, window_staff, access_log):
    client.force_login(window_staff)
    response = client.get(reverse("admin:common_accesslog_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


# --- Standard reasons --------------------------------------------------------------------


def test_standard_reasons_are_seeded_in_both_languages():
    reasons = {reason.code: reason for reason in ReasonTemplate.objects.all()}
    assert reasons["document_unreadable"].text_zh == "材料不清晰，请重新上传清晰完整的照片或扫描件"
    assert reasons["document_unreadable"].text_en.startswith("The document is unreadable")
    assert reasons["referral_unsealed"].text_zh == "转诊转院证明缺少医院盖章"
    assert reasons["residence_permit_expired"].text_zh == "居住证已过期"
    assert reasons["identity_mismatch"].text_zh == "身份证件与参保人不一致"
    assert reasons["region_mismatch"].text_zh == "备案地区与证明材料不符"
    assert all(reason.active and reason.text_en for reason in reasons.values())


def test_admins_edit_standard_reasons(admin_client):
    reason = ReasonTemplate.objects.get(code="residence_permit_expired")
    assert admin_client.get(reverse("admin:review_reasontemplate_changelist")).status_code == 200
    response = admin_client.post(
        reverse("admin:review_reasontemplate_change", args=[reason.pk]),
        {
            "code": reason.code,
            "text_zh": "居住证已过期，请提供有效期内的居住证",
            "text_en": "The residence permit has expired: bring a valid one.",
            "applies_to": "registration",
            "active": "on",
            "position": 5,
        },
    )
    assert response.status_code == 302
    reason.refresh_from_db()
    assert reason.text_zh == "居住证已过期，请提供有效期内的居住证"
    assert reason.position == 5
