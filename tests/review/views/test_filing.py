"""Walk-in and mail filing at the window (review.views.filing): find or open the person's account,
type in the filing, scan the papers, submit."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import national_id
from accounts.constants import Role
from accounts.models import User
from policy.constants import Channel
from registrations import services
from registrations.constants import RegistrationStatus
from registrations.models import Registration
from tests.conftest import ENROLLEE_ID
from tests.files import png_bytes, upload
from tests.review.views.test_registrations import EN, QUEUE, case, file_case, staff_client  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

WALK_IN_ID = "320602198807070031"


def _walk_in_details(**changes):
    return {
        "registration_type": "referral",
        "channel": "window",
        "care_province": "江苏省",
        "care_city": "苏州市",
        "start_date": timezone.localdate().isoformat(),
        "referral_hospital": "南通市第一人民医院",
        "referral_hospital_level": "3",
        "contact_phone": "13900001111",
        **changes,
    }


def test_walk_in_filing_opens_an_account_and_files_for_the_enrollee(staff_client, window_staff, office):
    response = staff_client.post(reverse("review:file"), {"step": "find", "national_id": WALK_IN_ID}, **EN)
    assert response.status_code == 200
    assert "Open an account for the enrollee" in response.content.decode()

    response = staff_client.post(
        reverse("review:file"),
        {
            "step": "create",
            "national_id": WALK_IN_ID,
            "name": "孙七",
            "phone": "13900001111",
            "scheme": "resident",
            "office": office.code,
        },
    )
    enrollee = User.objects.get(name="孙七")
    assert response.status_code == 302
    assert response["Location"] == reverse("review:file_details", args=[enrollee.uuid])
    assert enrollee.role == Role.ENROLLEE
    assert not enrollee.has_usable_password()
    assert enrollee.office == office
    assert enrollee.national_id_masked == national_id.mask(WALK_IN_ID)

    response = staff_client.post(response["Location"], _walk_in_details(), **EN)
    assert response.status_code == 302, response.content.decode()
    registration = Registration.objects.get(enrollee=enrollee)
    assert response["Location"] == reverse("review:upload", args=[registration.uuid])
    assert registration.channel == Channel.WINDOW
    assert registration.filed_by == window_staff
    assert registration.status == RegistrationStatus.DRAFT

    upload_url = response["Location"]
    assert staff_client.post(upload_url, {"kind": "id_document", "file": upload("身份证.pdf")}).status_code == 302
    paper = upload("转诊.png", png_bytes(), "image/png")
    assert staff_client.post(upload_url, {"kind": "referral_certificate", "file": paper}).status_code == 302
    assert registration.documents.count() == 2
    assert set(registration.documents.values_list("uploaded_by", flat=True)) == {window_staff.pk}

    response = staff_client.post(reverse("review:submit", args=[registration.uuid]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED

    queue = staff_client.get(QUEUE, {"channel": "window"}, **EN).content.decode()
    assert registration.number in queue
    assert "filed by staff" in queue
    detail = staff_client.get(reverse("review:detail", args=[registration.uuid]), **EN).content.decode()
    assert "Filed by staff on behalf of 孙七" in detail
    assert "Service window" in detail


def test_walk_in_finds_an_existing_enrollee(staff_client, enrollee):
    response = staff_client.post(reverse("review:file"), {"step": "find", "national_id": "32060219900101123x"})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:file_details", args=[enrollee.uuid])


def test_walk_in_refuses_an_enrollee_of_another_office(client, other_office_staff, enrollee):
    client.force_login(other_office_staff)
    response = client.post(reverse("review:file"), {"step": "find", "national_id": ENROLLEE_ID}, **EN)
    assert response.status_code == 400
    assert "that office takes the filing" in response.content.decode()
    assert client.get(reverse("review:file_details", args=[enrollee.uuid])).status_code == 404


def test_walk_in_new_enrollee_must_belong_to_the_staff_members_office(staff_client, other_office):
    response = staff_client.post(
        reverse("review:file"),
        {
            "step": "create",
            "national_id": WALK_IN_ID,
            "name": "孙七",
            "phone": "13900001111",
            "scheme": "resident",
            "office": other_office.code,
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(name="孙七").exists()


def test_walk_in_with_an_agent_and_by_mail(staff_client, window_staff, enrollee):
    response = staff_client.post(
        reverse("review:file_details", args=[enrollee.uuid]),
        _walk_in_details(
            channel="mail", agent_name="张小三", agent_national_id="32060220100101123X", agent_relationship="子女"
        ),
    )
    assert response.status_code == 302, response.content.decode()
    registration = Registration.objects.get(enrollee=enrollee)
    assert registration.channel == Channel.MAIL
    assert registration.agent_name == "张小三"
    assert registration.agent_id_masked == "3206**********123X"
    upload_page = staff_client.get(response["Location"], **EN).content.decode()
    assert "Agent&#x27;s identity card" in upload_page or "Agent's identity card" in upload_page


def test_walk_in_form_errors(staff_client, enrollee):
    url = reverse("review:file_details", args=[enrollee.uuid])
    response = staff_client.post(url, _walk_in_details(channel="service_station"), **EN)
    assert response.status_code == 400
    assert "The rules do not offer filing" in response.content.decode()

    response = staff_client.post(url, _walk_in_details(agent_name="张小三"), **EN)
    assert response.status_code == 400
    assert "The agent must show their own identity card." in response.content.decode()

    response = staff_client.post(url, _walk_in_details(referral_hospital_level="1"), **EN)
    assert response.status_code == 400
    assert "level 2 or higher" in response.content.decode()
    assert not Registration.objects.filter(enrollee=enrollee).exists()


def test_submit_of_an_incomplete_walk_in_says_what_is_missing(staff_client, enrollee):
    response = staff_client.post(reverse("review:file_details", args=[enrollee.uuid]), _walk_in_details())
    registration = Registration.objects.get(enrollee=enrollee)
    response = staff_client.post(reverse("review:submit", args=[registration.uuid]), **EN)
    assert response["Location"] == reverse("review:upload", args=[registration.uuid])
    page = staff_client.get(response["Location"], **EN).content.decode()
    assert "Still missing" in page
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DRAFT
    # The unfinished filing is listed on the filing page to come back to.
    assert registration.number in staff_client.get(reverse("review:file")).content.decode()


def test_upload_refuses_a_file_that_is_not_a_document(staff_client, enrollee):
    staff_client.post(reverse("review:file_details", args=[enrollee.uuid]), _walk_in_details())
    registration = Registration.objects.get(enrollee=enrollee)
    fake = upload("scan.pdf", b"<html><script>alert(1)</script></html>", "application/pdf")
    response = staff_client.post(
        reverse("review:upload", args=[registration.uuid]), {"kind": "id_document", "file": fake}, **EN
    )
    assert response.status_code == 400
    assert "Only PDF, JPEG or PNG files are accepted" in response.content.decode()
    assert not registration.documents.exists()


def test_returned_case_can_be_corrected_at_the_window(staff_client, window_staff, case):
    services.registration_decide(actor=window_staff, registration=case, decision="return", reasons=["请带原件"])
    detail = staff_client.get(reverse("review:detail", args=[case.uuid]), **EN).content.decode()
    assert reverse("review:upload", args=[case.uuid]) in detail
    assert staff_client.post(reverse("review:submit", args=[case.uuid])).status_code == 302
    case.refresh_from_db()
    assert case.status == RegistrationStatus.SUBMITTED
    assert case.return_reasons == []
