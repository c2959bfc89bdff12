"""The enrollee's registration pages: list, new (type, then details), detail and its actions, status.

Template strings are checked in English (HTTP_ACCEPT_LANGUAGE="en"); Chinese only where it is
data (type and material names from the rule sets).
"""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registrations import services
from registrations.constants import DocumentStatus, RegistrationStatus
from registrations.models import Registration, RegistrationDocument
from tests.conftest import ENROLLEE_ID
from tests.files import pdf_bytes, png_bytes, upload
from tests.registrations.factories import LONG_TERM, OTHER_TEMPORARY, REFERRAL, make_approved, make_registration

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TODAY = datetime.date(2026, 5, 10)

DETAILS = {
    "care_province": "上海市",
    "care_city": "上海市",
    "start_date": "2026-05-12",
    "referral_hospital": "南通大学附属医院",
    "referral_hospital_level": "3",
    "contact_phone": "13800000001",
}


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-05-10 09:00:00+08:00", tick=False):
        yield


@pytest.fixture
def owner_client(client, enrollee):
    client.force_login(enrollee)
    return client


@pytest.fixture
def other_client(client, other_enrollee):
    client.force_login(other_enrollee)
    return client


def detail_url(registration, name="detail", *args):
    return reverse(f"registrations:{name}", args=[registration.uuid, *args])


def media_files(settings):
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def text(response) -> str:
    return response.content.decode()


def card(body: str, code: str) -> str:
    """One type's card on the new-registration page."""
    start = body.index(f'id="type-{code}"')
    end = body.find('id="type-', start + 1)
    return body[start : end if end > 0 else None]


# --- Access ----------------------------------------------------------------------------------


def test_every_page_renders_for_the_owner(owner_client, enrollee, window_staff):
    draft = make_registration(enrollee, fields=LONG_TERM)
    approved = make_approved(enrollee, window_staff)
    pages = [
        reverse("registrations:list"),
        reverse("registrations:new"),
        reverse("registrations:new_details", args=["referral"]),
        reverse("registrations:new_details", args=["long_term_resident"]),
        reverse("registrations:status"),
        detail_url(draft),
        detail_url(draft, "edit"),
        detail_url(draft, "cancel"),
        detail_url(approved),
        detail_url(approved, "change"),
    ]
    for url in pages:
        response = owner_client.get(url, **EN)
        assert response.status_code == 200, url
        assert "My registrations" in text(response), url


def test_another_enrollee_gets_404_on_detail_download_and_actions(other_client, enrollee):
    registration = make_registration(enrollee)
    document = services.document_add(
        actor=enrollee, registration=registration, kind="id_document", uploaded_file=upload()
    )
    gets = ["detail", "edit", "cancel", "change"]
    posts = ["edit", "submit", "commitment", "cancel", "change", "document_upload"]
    for name in gets:
        assert other_client.get(detail_url(registration, name)).status_code == 404, name
    for name in posts:
        assert other_client.post(detail_url(registration, name), {"accept": "on"}).status_code == 404, name
    assert other_client.get(detail_url(registration, "document_download", document.uuid)).status_code == 404
    assert other_client.post(detail_url(registration, "document_remove", document.uuid)).status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DRAFT
    assert RegistrationDocument.objects.filter(pk=document.pk).exists()


def test_anonymous_is_sent_to_login(client, enrollee):
    registration = make_registration(enrollee)
    for url in [
        reverse("registrations:list"),
        reverse("registrations:new"),
        reverse("registrations:new_details", args=["referral"]),
        detail_url(registration),
        detail_url(registration, "cancel"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login")), url
    response = client.post(detail_url(registration, "submit"))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DRAFT


def test_nav_links_for_enrollees_and_visitors(client, enrollee):
    visitor = text(client.get("/", **EN))
    assert reverse("accounts:signup") in visitor
    assert reverse("registrations:list") not in visitor
    client.force_login(enrollee)
    assert reverse("registrations:list") in text(client.get("/", **EN))


# --- List --------------------------------------------------------------------------------


def test_list_shows_status_validity_next_step_and_who_filed(owner_client, enrollee, other_enrollee):
    draft = make_registration(enrollee)
    approved = make_registration(enrollee, fields=OTHER_TEMPORARY, submit=True)
    by_other = make_registration(enrollee, fields=LONG_TERM, actor=other_enrollee)
    response = owner_client.get(reverse("registrations:list"), **EN)
    body = text(response)
    for registration in (draft, approved, by_other):
        assert registration.number in body
    assert "Referred by a hospital" in body
    chinese = text(owner_client.get(reverse("registrations:list")))
    assert "异地转诊人员" in chinese
    assert "其他临时外出就医人员" in chinese
    assert 'class="status-badge status-approved">Approved' in body
    assert 'class="status-badge status-draft">Draft' in body
    assert "Upload 2 documents, then submit" in body  # referral: identity + referral certificate
    assert "2026-05-10" in body
    assert "2027-05-09" in body
    assert "Filed by 李四 on behalf of 张三" in body


def test_list_next_step_for_submitted_and_returned(owner_client, enrollee, window_staff):
    submitted = make_registration(enrollee, submit=True)
    returned = make_registration(enrollee, fields=LONG_TERM, submit=True, proof_valid_until=datetime.date(2028, 1, 31))
    services.registration_decide(
        actor=window_staff,
        registration=returned,
        decision="return",
        reasons=["联系电话无法接通", "居住地址不完整", "请补充居住证背面"],
    )
    body = text(owner_client.get(reverse("registrations:list"), **EN))
    assert f"Awaiting review since {TODAY.isoformat()}" in body
    assert submitted.number in body
    assert "Returned: 3 things to fix" in body


def _seed(enrollee, other_enrollee, count):
    """Drafts of every filing type, some filed by someone else, some with a document."""
    for index in range(count):
        fields = (REFERRAL, OTHER_TEMPORARY, LONG_TERM)[index % 3]
        actor = other_enrollee if index % 4 == 0 else enrollee
        registration = make_registration(enrollee, fields=fields, actor=actor)
        if fields is not OTHER_TEMPORARY:
            services.document_add(actor=actor, registration=registration, kind="id_document", uploaded_file=upload())


LIST_QUERIES = 5  # session, user, the registrations, their documents, the unread count: the same for any rows


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow_with_rows(
    client, enrollee, other_enrollee, rows, django_assert_max_num_queries
):
    _seed(enrollee, other_enrollee, rows)
    client.force_login(enrollee)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("registrations:list"))
    assert text(response).count('class="card registration-row"') == rows


def test_list_query_count_is_the_same_for_5_and_50_rows(client, enrollee, other_enrollee):
    def measure():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("registrations:list"))
        return len(queries)

    client.force_login(enrollee)
    _seed(enrollee, other_enrollee, 5)
    few = measure()
    _seed(enrollee, other_enrollee, 45)
    assert measure() == few


def test_list_shows_each_change_of_the_persons_cases_at_once(client, enrollee, other_enrollee):
    _seed(enrollee, other_enrollee, 3)
    others = make_registration(other_enrollee, fields=REFERRAL, actor=other_enrollee)
    client.force_login(enrollee)
    assert client.get(reverse("registrations:list")).status_code == 200

    others.care_city = "静安区"
    others.save()  # another person's case leaves this list as it was
    assert "静安区" not in text(client.get(reverse("registrations:list")))
    mine = Registration.objects.filter(enrollee=enrollee).order_by("pk").first()
    mine.care_city = "嘉定区"
    mine.save()
    assert "嘉定区" in text(client.get(reverse("registrations:list")))


# --- New registration ----------------------------------------------------------------------


def test_new_shows_every_type_with_reduction_validity_and_materials(owner_client):
    body = text(owner_client.get(reverse("registrations:new"), **EN))
    chinese = text(owner_client.get(reverse("registrations:new")))
    for name in (
        "异地安置退休人员",
        "异地长期居住人员",
        "常驻异地工作人员",
        "异地转诊人员",
        "其他临时外出就医人员",
        "异地急诊抢救人员",
    ):
        assert name in chinese
    referral = card(body, "referral")
    assert "Reimbursement lowered by 10 percentage points" in referral
    assert "12 months" in referral
    assert "until 2027-05-09" in referral
    assert "Referral certificate" in referral
    assert "Proof of identity" in referral
    assert "转诊转院证明" in card(chinese, "referral")
    assert "身份证明" in card(chinese, "referral")
    assert "Office staff review it first" in referral
    other = card(body, "other_temporary")
    assert "Reimbursement lowered by 20 percentage points" in other
    assert "No review: it takes effect at once when complete" in other
    long_term = card(body, "long_term_resident")
    assert "No reduction" in long_term
    assert "any one of these:" in long_term
    assert "居住证" in card(chinese, "long_term_resident")
    assert "个人承诺书" in card(chinese, "long_term_resident")
    assert "As long as the proof you submit is valid" in long_term
    emergency = card(body, "emergency")
    assert "No filing needed" in emergency
    assert reverse("policy:wizard") in body


def test_new_emergency_explains_that_nothing_is_filed(owner_client):
    url = reverse("registrations:new_details", args=["emergency"])
    response = owner_client.get(url, **EN)
    assert response.status_code == 200
    assert "this counts as registered" in text(response)
    assert '<form method="post" class="card form' not in text(response)
    owner_client.post(url, DETAILS)
    assert not Registration.objects.exists()


def test_unknown_type_is_404(owner_client):
    assert owner_client.get(reverse("registrations:new_details", args=["holiday"])).status_code == 404


def test_create_draft_redirects_to_its_checklist(owner_client, enrollee):
    response = owner_client.post(reverse("registrations:new_details", args=["referral"]), DETAILS, **EN)
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(registration) + "#checklist"
    assert (registration.enrollee, registration.filed_by) == (enrollee, enrollee)
    assert registration.care_scope == "cross_province"
    assert registration.referral_hospital_level == 3
    page = owner_client.get(response["Location"], **EN)
    assert "Draft " + registration.number + " saved" in text(page)
    assert "Outside Jiangsu" in text(page)


def test_create_in_province_derives_the_scope(owner_client):
    data = {**DETAILS, "care_province": "江苏省", "care_city": "苏州市"}
    owner_client.post(reverse("registrations:new_details", args=["referral"]), data)
    assert Registration.objects.get().care_scope == "in_province"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"start_date": "2028-01-01"}, "start_date", "within a year of today"),
        ({"referral_hospital_level": "1"}, "referral_hospital", "level 2 or higher"),
        ({"care_province": ""}, "care_province", "This field is required"),
    ],
)
def test_create_with_a_bad_field_shows_the_error_on_it_and_creates_nothing(owner_client, change, field, message):
    response = owner_client.post(reverse("registrations:new_details", args=["referral"]), {**DETAILS, **change}, **EN)
    assert response.status_code == 400
    body = text(response)
    error = re.search(rf'<p class="field-error" id="id_{field}_error">([^<]*)</p>', body)
    assert error
    assert message in error[1]
    assert f'href="#id_{field}"' in body  # the summary links to the field
    described = {ref for refs in re.findall(r'aria-describedby="([^"]*)"', body) for ref in refs.split()}
    assert f"id_{field}_error" in described
    assert all(f'id="{ref}"' in body for ref in described)  # screen readers find each help and error
    assert not Registration.objects.exists()


def test_create_long_term_asks_which_proof_and_its_validity(owner_client):
    url = reverse("registrations:new_details", args=["long_term_resident"])
    body = text(owner_client.get(url, **EN))
    assert "The proof you will provide" in body
    assert 'value="residence_permit"' in body
    assert 'value="commitment_letter"' in body
    assert 'name="proof_valid_until"' in body
    assert 'name="referral_hospital"' not in body
    data = {
        "care_province": "广东省",
        "care_city": "深圳市",
        "start_date": "2026-05-10",
        "proof_option": "residence_permit",
        "proof_valid_until": "2028-01-31",
    }
    unanswered = text(owner_client.post(url, {**data, "proof_option": ""}, **EN))
    assert 'href="#id_proof_option_0"' in unanswered  # the summary leads to the first choice
    assert 'id="id_proof_option_0"' in unanswered
    owner_client.post(url, data)
    assert Registration.objects.get().proof_valid_until == datetime.date(2028, 1, 31)


def test_special_disease_fields_only_where_the_rules_have_them(client, other_enrollee, enrollee):
    from tests.conftest import make_enrollee

    client.force_login(enrollee)
    assert 'name="special_disease"' in text(client.get(reverse("registrations:new_details", args=["referral"])))
    sheyang = make_enrollee("320924198001010018", name="王五", phone="13800000009", office_code="sheyang")
    client.force_login(sheyang)
    assert 'name="special_disease"' not in text(client.get(reverse("registrations:new_details", args=["referral"])))


def test_special_disease_institution_level_is_checked_on_the_field(owner_client):
    data = {
        **DETAILS,
        "special_disease": "transplant_antirejection",
        "designated_institution": "上海市第一人民医院",
        "designated_institution_level": "2",
    }
    response = owner_client.post(reverse("registrations:new_details", args=["referral"]), data, **EN)
    assert response.status_code == 400
    assert 'id="id_designated_institution_level_error"' in text(response)
    assert not Registration.objects.exists()


def test_filing_for_someone_else_records_the_agent_masked(owner_client):
    data = {
        **DETAILS,
        "on_behalf": "on",
        "agent_name": "张小明",
        "agent_national_id": "110101199003074477",
        "agent_relationship": "儿子",
    }
    response = owner_client.post(reverse("registrations:new_details", args=["referral"]), data)
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.agent_name == "张小明"
    assert registration.agent_id_masked == "1101**********4477"
    page = text(owner_client.get(detail_url(registration), **EN))
    assert "Filed by 张小明 (儿子) on behalf of 张三" in page
    assert "代办人身份证" in text(owner_client.get(detail_url(registration)))  # the checklist asks for it


def test_filing_for_someone_else_needs_a_valid_agent_id(owner_client):
    data = {**DETAILS, "on_behalf": "on", "agent_name": "张小明", "agent_national_id": "110101199003074478"}
    response = owner_client.post(reverse("registrations:new_details", args=["referral"]), data, **EN)
    assert response.status_code == 400
    assert 'id="id_agent_national_id_error"' in text(response)
    assert not Registration.objects.exists()


# --- Detail: documents, commitment, submit -------------------------------------------------


def test_detail_shows_checklist_with_upload_forms_for_phones(owner_client, enrollee):
    registration = make_registration(enrollee)
    body = text(owner_client.get(detail_url(registration), **EN))
    chinese = text(owner_client.get(detail_url(registration)))
    assert "身份证明" in chinese
    assert "转诊转院证明" in chinese
    assert body.count("✗ Missing") == 2
    assert 'accept="application/pdf,image/jpeg,image/png"' in body
    # a file from the phone, or a photo taken with its camera: capture on its own input only
    assert re.search(r'<input type="file" name="file" accept="application/pdf,image/jpeg,image/png"[^>]*>', body)
    assert re.search(r'<input type="file" name="photo" accept="image/jpeg,image/png" capture="environment"', body)
    assert 'enctype="multipart/form-data"' in body
    assert 'name="kind" value="referral_certificate"' in body


def test_a_photo_taken_with_the_camera_is_stored_like_a_file(owner_client, enrollee):
    registration = make_registration(enrollee)
    url = detail_url(registration, "document_upload")
    photo = upload("IMG_0001.png", png_bytes(), "image/png")
    response = owner_client.post(url, {"kind": "referral_certificate", "photo": photo}, **EN)
    assert response.status_code == 302
    assert RegistrationDocument.objects.get().original_name == "IMG_0001.png"


def test_an_upload_without_a_file_or_photo_says_so_and_stores_nothing(owner_client, enrollee):
    registration = make_registration(enrollee)
    response = owner_client.post(detail_url(registration, "document_upload"), {"kind": "referral_certificate"}, **EN)
    assert response.status_code == 400
    assert "This field is required" in text(response)
    assert not RegistrationDocument.objects.exists()


def test_upload_a_pdf_stores_it_and_marks_the_group(owner_client, enrollee, settings):
    registration = make_registration(enrollee)
    url = detail_url(registration, "document_upload")
    response = owner_client.post(url, {"kind": "referral_certificate", "file": upload("转诊证明.pdf")}, **EN)
    assert response.status_code == 302
    assert response["Location"].endswith("#kind-referral_certificate")
    document = RegistrationDocument.objects.get()
    assert document.kind == "referral_certificate"
    assert document.uploaded_by == enrollee
    assert len(media_files(settings)) == 1
    body = text(owner_client.get(detail_url(registration), **EN))
    assert body.count("✓ Provided") == 1
    assert body.count("✗ Missing") == 1
    assert "转诊证明.pdf" in body
    assert "Awaiting review" in body
    download = owner_client.get(detail_url(registration, "document_download", document.uuid))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == pdf_bytes()


def test_upload_of_disguised_html_is_refused_next_to_its_kind_and_nothing_stored(owner_client, enrollee, settings):
    registration = make_registration(enrollee)
    disguised = upload("证明.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "application/pdf")
    response = owner_client.post(
        detail_url(registration, "document_upload"), {"kind": "referral_certificate", "file": disguised}, **EN
    )
    assert response.status_code == 400
    body = text(response)
    error = re.search(r'<p class="field-error" id="id_referral_certificate_file_error">([^<]*)</p>', body)
    assert error
    assert "Only PDF, JPEG or PNG" in error[1]
    assert not RegistrationDocument.objects.exists()
    assert media_files(settings) == []


def test_upload_of_a_kind_not_asked_for_is_refused(owner_client, enrollee, settings):
    registration = make_registration(enrollee)
    response = owner_client.post(
        detail_url(registration, "document_upload"), {"kind": "labour_contract", "file": upload()}, **EN
    )
    assert response.status_code == 400
    assert "is not a document this registration asks for" in text(response)
    assert media_files(settings) == []


def test_remove_a_pending_document(owner_client, enrollee, settings, django_capture_on_commit_callbacks):
    registration = make_registration(enrollee)
    document = services.document_add(
        actor=enrollee, registration=registration, kind="id_document", uploaded_file=upload()
    )
    assert owner_client.get(detail_url(registration, "document_remove", document.uuid)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(detail_url(registration, "document_remove", document.uuid))
    assert response.status_code == 302
    assert not RegistrationDocument.objects.exists()
    assert media_files(settings) == []  # once the removal is committed


def test_submit_with_a_missing_document_lists_the_missing_group(owner_client, enrollee):
    registration = make_registration(enrollee)
    services.document_add(actor=enrollee, registration=registration, kind="id_document", uploaded_file=upload())
    response = owner_client.post(detail_url(registration, "submit"), **EN)
    assert response.status_code == 400
    body = text(response)
    problem = body[body.index('id="submit"') :]
    assert "Not submitted: still missing" in problem
    assert "Referral certificate" in problem  # in the reader's language, not the data's Chinese
    assert "Proof of identity" not in problem
    assert "身份证明" not in problem
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.DRAFT


def test_submit_complete_referral_goes_to_review(owner_client, enrollee):
    registration = make_registration(enrollee)
    for kind in ("id_document", "referral_certificate"):
        services.document_add(actor=enrollee, registration=registration, kind=kind, uploaded_file=upload())
    response = owner_client.post(detail_url(registration, "submit"), **EN)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    body = text(owner_client.get(detail_url(registration), **EN))
    assert "submitted. The office reviews it" in body
    assert 'name="file"' not in body  # no more uploads once submitted
    assert "If approved: from 2026-05-10 until 2027-05-09." in body


def test_other_temporary_is_approved_at_once_and_shows_its_validity(owner_client, enrollee):
    registration = make_registration(enrollee, fields=OTHER_TEMPORARY)
    owner_client.post(detail_url(registration, "document_upload"), {"kind": "social_security_card", "file": upload()})
    response = owner_client.post(detail_url(registration, "submit"), **EN)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    body = text(owner_client.get(response["Location"], **EN))
    assert f"Registration {registration.number} is in force from 2026-05-10 until 2027-05-09." in body
    validity = body[body.index('id="validity"') :]
    assert validity.index("2026-05-10") < validity.index("2027-05-09") < validity.index("</dd>")
    assert "Reimbursement lowered by 20 percentage points" in body
    history = body[body.index('id="history"') :]
    assert "System" in history
    assert "Approved" in history


def test_commitment_letter_accepted_instead_of_proof(owner_client, enrollee):
    registration = make_registration(enrollee, fields=LONG_TERM)
    body = text(owner_client.get(detail_url(registration), **EN))
    assert 'id="commitment"' in body
    assert "I accept" in body
    refused = owner_client.post(detail_url(registration, "commitment"), {}, **EN)
    assert refused.status_code == 400
    registration.refresh_from_db()
    assert registration.commitment_accepted_at is None
    owner_client.post(detail_url(registration, "commitment"), {"accept": "on"})
    registration.refresh_from_db()
    assert registration.commitment_accepted_at is not None
    body = text(owner_client.get(detail_url(registration), **EN))
    assert "You accepted this letter on 2026-05-10 09:00" in body
    assert body[body.index('id="group-residence_proof"') :].split("</h3>")[0].count("✓ Provided") == 1


def test_commitment_is_not_offered_where_the_rules_do_not_accept_it(owner_client, enrollee):
    registration = make_registration(enrollee)
    assert 'id="commitment"' not in text(owner_client.get(detail_url(registration), **EN))
    response = owner_client.post(detail_url(registration, "commitment"), {"accept": "on"}, **EN)
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.commitment_accepted_at is None


def _flag(model, flag: str, value: bool, **lookup):
    row = model.objects.get(**lookup)
    setattr(row, flag, value)
    row.save()  # the signal invalidates the cached snapshots


def test_the_letter_accepted_in_the_portal_is_the_document_the_data_marks(owner_client, enrollee):
    from policy.models import DocumentKind

    registration = make_registration(enrollee, fields=LONG_TERM)
    _flag(DocumentKind, "accepted_in_portal", False, code="commitment_letter")
    body = text(owner_client.get(detail_url(registration), **EN))
    assert 'id="commitment"' not in body
    assert 'name="kind" value="commitment_letter"' in body  # an upload like any other
    assert owner_client.post(detail_url(registration, "commitment"), {"accept": "on"}).status_code == 400

    _flag(DocumentKind, "accepted_in_portal", True, code="residence_permit")
    body = text(owner_client.get(detail_url(registration), **EN))
    assert 'id="commitment"' in body
    assert 'name="kind" value="residence_permit"' not in body
    assert owner_client.post(detail_url(registration, "commitment"), {"accept": "on"}).status_code == 302
    body = text(owner_client.get(detail_url(registration), **EN))
    assert body[body.index('id="group-residence_proof"') :].split("</h3>")[0].count("✓ Provided") == 1


def test_the_proof_asked_for_is_the_group_the_data_marks(owner_client):
    from policy.models import MaterialGroup

    url = reverse("registrations:new_details", args=["long_term_resident"])
    groups = {"ruleset__jurisdiction__code": "nantong", "registration_type__code": "long_term_resident"}
    _flag(MaterialGroup, "sets_validity", False, code="residence_proof", **groups)
    body = text(owner_client.get(url, **EN))
    assert 'name="proof_option"' not in body
    assert 'name="proof_valid_until"' in body  # the type still ends with a proof: the date is asked

    _flag(MaterialGroup, "sets_validity", True, code="identity", **groups)
    body = text(owner_client.get(url, **EN))
    assert 'value="e_voucher"' in body
    assert 'value="residence_permit"' not in body


def test_returned_case_shows_one_complete_fix_list_and_keeps_accepted_documents(owner_client, enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    id_document, certificate = registration.documents.order_by("kind")
    services.registration_decide(
        actor=window_staff,
        registration=registration,
        decision="return",
        reasons=["联系电话无法接通", "就医城市填写不完整"],
        document_reviews={str(id_document.uuid): (True, ""), str(certificate.uuid): (False, "缺少医院盖章")},
    )
    response = owner_client.get(detail_url(registration), **EN)
    body = text(response)
    fixes = body[body.index('id="fixes"') : body.index("</section>", body.index('id="fixes"'))]
    assert "Returned for correction: everything to fix" in fixes
    assert fixes.count("<li>") == 3
    assert "联系电话无法接通" in fixes
    assert "就医城市填写不完整" in fixes
    assert "转诊转院证明：缺少医院盖章" in fixes
    # The accepted identity document stays accepted, without a remove button; only the certificate is missing.
    identity = body[body.index('id="group-identity"') : body.index('id="group-referral_certificate"')]
    assert "✓ Provided" in identity
    assert "Accepted" in identity
    assert "Remove" not in identity
    certificate_group = body[body.index('id="group-referral_certificate"') :]
    assert "✗ Missing" in certificate_group.split("</h3>")[0]
    assert "Why: 缺少医院盖章" in certificate_group
    assert 'name="kind" value="referral_certificate"' in certificate_group
    assert "Submit again" in body
    history = body[body.index('id="history"') :]
    assert "Office staff: staff" in history
    assert "Returned for correction" in history


def test_rejected_case_shows_the_reasons(owner_client, enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    services.registration_decide(
        actor=window_staff, registration=registration, decision="reject", reasons=["转诊医院不具备转诊资格"]
    )
    body = text(owner_client.get(detail_url(registration), **EN))
    assert "Rejected: the reasons" in body
    assert "转诊医院不具备转诊资格" in body


# --- Edit, cancel, change ----------------------------------------------------------------


def test_edit_details_is_prefilled_and_saved(owner_client, enrollee):
    registration = make_registration(enrollee)
    body = text(owner_client.get(detail_url(registration, "edit"), **EN))
    assert 'value="南通大学附属医院"' in body
    assert '<option value="上海市" selected>' in body
    response = owner_client.post(detail_url(registration, "edit"), {**DETAILS, "care_city": "浦东新区"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.care_city == "浦东新区"
    assert registration.events.filter(action="updated").exists()


def test_edit_after_submission_is_refused(owner_client, enrollee):
    registration = make_registration(enrollee, submit=True)
    response = owner_client.post(detail_url(registration, "edit"), {**DETAILS, "care_city": "浦东新区"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.care_city == "上海市"


def test_cancel_needs_the_confirmation_post(owner_client, enrollee, window_staff):
    registration = make_approved(enrollee, window_staff)
    page = owner_client.get(detail_url(registration, "cancel"), **EN)
    assert page.status_code == 200
    assert f"Cancel registration {registration.number}?" in text(page)
    assert 'value="2026-05-10"' in text(page)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED

    past = owner_client.post(detail_url(registration, "cancel"), {"effective_date": "2026-05-01"}, **EN)
    assert past.status_code == 400
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED

    response = owner_client.post(
        detail_url(registration, "cancel"), {"effective_date": "2026-06-01", "reason": "回南通了"}, **EN
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.valid_until == datetime.date(2026, 5, 31)
    body = text(owner_client.get(detail_url(registration), **EN))
    assert "is cancelled from 2026-06-01" in body
    assert "回南通了" in body


def test_change_of_an_approved_registration_goes_to_the_successor(owner_client, enrollee, window_staff):
    registration = make_approved(enrollee, window_staff)
    page = text(owner_client.get(detail_url(registration, "change"), **EN))
    assert 'value="2026-05-10"' in page
    assert 'name="on_behalf"' not in page
    data = {**DETAILS, "care_province": "浙江省", "care_city": "杭州市", "start_date": "2026-06-01"}
    response = owner_client.post(detail_url(registration, "change"), data, **EN)
    successor = Registration.objects.get(supersedes=registration)
    assert response.status_code == 302
    assert response["Location"] == detail_url(successor) + "#checklist"
    assert (successor.care_province, successor.status) == ("浙江省", RegistrationStatus.DRAFT)
    old_page = text(owner_client.get(detail_url(registration), **EN))
    assert "A change of this registration is on file" in old_page
    assert successor.number in old_page
    assert "Change the registration" not in old_page


def test_document_accepted_cannot_be_removed(owner_client, enrollee, window_staff):
    registration = make_approved(enrollee, window_staff)
    document = registration.documents.first()
    assert document.status == DocumentStatus.ACCEPTED
    owner_client.post(detail_url(registration, "document_remove", document.uuid))
    assert RegistrationDocument.objects.filter(pk=document.pk).exists()


# --- Public status check -------------------------------------------------------------------


def test_status_check_right_and_wrong(client, enrollee):
    registration = make_registration(enrollee, fields=OTHER_TEMPORARY, submit=True)
    url = reverse("registrations:status")
    right = text(client.post(url, {"number": registration.number.lower(), "id_last4": ENROLLEE_ID[-4:]}, **EN))
    result = right[right.index('id="result"') :]
    assert "Other temporary care elsewhere" in result
    assert "Approved" in result
    assert "2026-05-10" in result
    assert "2027-05-09" in result
    assert "张*" in result
    assert "张三" not in right
    assert ENROLLEE_ID[:6] not in right
    chinese = text(client.post(url, {"number": registration.number, "id_last4": ENROLLEE_ID[-4:]}))
    assert "其他临时外出就医人员" in chinese[chinese.index('id="result"') :]

    wrong_number = text(client.post(url, {"number": "BA20260510000000", "id_last4": ENROLLEE_ID[-4:]}, **EN))
    wrong_digits = text(client.post(url, {"number": registration.number, "id_last4": "0000"}, **EN))
    for body in (wrong_number, wrong_digits):
        assert "No registration matches this number and these characters" in body
        assert "Other temporary care elsewhere" not in body
        assert "张*" not in body

    def answer(body):
        return body[body.index('id="result"') : body.index("</div>", body.index('id="result"'))]

    assert answer(wrong_number) == answer(wrong_digits)


def test_status_check_does_not_show_drafts(client, enrollee):
    registration = make_registration(enrollee)
    body = text(
        client.post(
            reverse("registrations:status"), {"number": registration.number, "id_last4": ENROLLEE_ID[-4:]}, **EN
        )
    )
    assert "No registration matches" in body


def test_status_check_stops_guessing_the_id_ending(client, enrollee):
    from django.core.cache import cache

    cache.clear()
    registration = make_registration(enrollee, submit=True)
    answers = [
        client.post(
            "/registrations/status/", {"number": registration.number, "id_last4": f"{n:04d}"}, HTTP_ACCEPT_LANGUAGE="en"
        )
        for n in range(12)
    ]
    assert [a.status_code for a in answers[:10]] == [200] * 10
    assert answers[10].status_code == 429
    assert "Too many attempts" in answers[11].content.decode()
    # Even the right ending is refused once the number is locked.
    right = client.post("/registrations/status/", {"number": registration.number, "id_last4": "123X"})
    assert right.status_code == 429
    cache.clear()


def test_staff_cannot_act_through_the_enrollee_pages(client, enrollee, window_staff):
    """Review finding: staff could cancel a case via /registrations/<id>/cancel/; staff use /review/."""
    registration = make_registration(enrollee, submit=True)
    client.force_login(window_staff)
    assert client.get(f"/registrations/{registration.uuid}/").status_code == 404
    response = client.post(f"/registrations/{registration.uuid}/cancel/", {"effective_date": "2030-01-01"})
    assert response.status_code == 404
    document = registration.documents.first()
    assert client.get(f"/registrations/{registration.uuid}/documents/{document.uuid}/").status_code == 404
    registration.refresh_from_db()
    assert registration.status == "submitted"


def test_status_check_limit_counts_number_variants_together(client, enrollee):
    registration = make_registration(enrollee, submit=True)
    variants = [registration.number, registration.number.lower(), f"  {registration.number} "]
    codes = [
        client.post("/registrations/status/", {"number": variants[n % 3], "id_last4": f"{n:04d}"}).status_code
        for n in range(11)
    ]
    assert codes[-1] == 429
    assert client.put("/registrations/status/").status_code == 405
