"""The enrollee side of the registrations API (API.md), end to end over HTTP."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from common.models import AccessLog
from registrations.models import Registration, RegistrationDocument
from tests.conftest import PASSWORD, make_enrollee
from tests.files import pdf_bytes, upload
from tests.registrations.factories import LONG_TERM, OTHER_TEMPORARY, REFERRAL, make_approved, make_registration

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 11)  # a Monday
LIST = "/api/v1/registrations/"
SIGNUP = {
    "national_id": "32060219850615002X",
    "name": "王五",
    "phone": "13900000005",
    "password": "a-long-enough-passphrase",
    "jurisdiction": "nantong",
    "office": "nantong-urban",
    "scheme": "employee",
}


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-05-11 09:00:00+08:00", tick=False):
        yield


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(registration_id, action: str = "") -> str:
    return f"{LIST}{registration_id}/{action + '/' if action else ''}"


def create(client, fields=REFERRAL, *, language="zh-hans", **extra):
    body = {**fields, "start_date": TODAY.isoformat(), **extra}
    return client.post(LIST, body, format="json", HTTP_ACCEPT_LANGUAGE=language)


def add_document(client, registration_id, kind, file=None):
    return client.post(url(registration_id, "documents"), {"kind": kind, "file": file or upload()}, format="multipart")


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# --- The whole referral flow ------------------------------------------------------------------


def test_referral_flow_from_signup_to_approval(api_client, window_staff):
    assert api_client.post("/api/v1/auth/signup/", SIGNUP, format="json").status_code == 201
    token = api_client.post(
        "/api/v1/auth/token/", {"username": SIGNUP["phone"], "password": SIGNUP["password"]}, format="json"
    ).json()["token"]
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    staff = client_for(window_staff)

    created = create(me, contact_phone="13900000005")
    assert created.status_code == 201, created.json()
    draft = created.json()
    assert (draft["status"], draft["registration_type"], draft["category"]) == ("draft", "referral", "temporary")
    assert (draft["jurisdiction"], draft["office"]) == ("nantong", "nantong-urban")
    assert draft["enrollee"] == {"name": "王五", "national_id": "3206**********002X"}
    assert draft["filed_by"] == {"name": "王五"}
    assert draft["on_behalf"] is False
    assert draft["agent"] is None
    assert draft["validity"] == {"starts": None, "ends": None}
    assert [(item["code"], item["satisfied"]) for item in draft["checklist"]] == [
        ("identity", False),
        ("referral_certificate", False),
    ]
    assert [item["code"] for item in draft["missing"]] == ["identity", "referral_certificate"]
    assert draft["history"][0]["action"] == "created"
    assert draft["history"][0]["actor"] == "王五"
    registration_id = draft["id"]
    assert Registration.objects.get(uuid=registration_id).number == draft["number"]

    for kind in ("id_document", "referral_certificate"):
        response = add_document(me, registration_id, kind)
        assert response.status_code == 201, response.json()
        assert response.json()["status"] == "pending"
    submitted = me.post(url(registration_id, "submit"))
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["reduction_points"] == 10
    assert submitted.json()["missing"] == []

    queue = staff.get("/api/v1/review/registrations/").json()["results"]
    assert [item["id"] for item in queue] == [registration_id]
    case = staff.get(f"/api/v1/review/registrations/{registration_id}/").json()
    assert case["enrollee"]["national_id_full"] == SIGNUP["national_id"]
    documents = {d["kind"]: d["id"] for d in case["documents"]}
    returned = staff.post(
        f"/api/v1/review/registrations/{registration_id}/decision/",
        {
            "decision": "return",
            "reasons": [],
            "note": "请补正",
            "documents": [
                {"id": documents["id_document"], "accepted": True},
                {"id": documents["referral_certificate"], "accepted": False, "reason": "缺少医院盖章"},
            ],
        },
        format="json",
    )
    assert returned.status_code == 200, returned.json()
    assert returned.json()["status"] == "returned"

    mine = me.get(url(registration_id)).json()
    assert mine["return_reasons"] == ["转诊转院证明：缺少医院盖章"]
    assert {(d["kind"], d["status"], d["review_reason"]) for d in mine["documents"]} == {
        ("id_document", "accepted", ""),
        ("referral_certificate", "rejected", "缺少医院盖章"),
    }
    assert [item["code"] for item in mine["missing"]] == ["referral_certificate"]
    # Only the rejected kind is uploaded again; the accepted identity document stays on file.
    assert add_document(me, registration_id, "referral_certificate").status_code == 201
    resubmitted = me.post(url(registration_id, "submit"))
    assert resubmitted.status_code == 200, resubmitted.json()
    assert resubmitted.json()["status"] == "submitted"
    assert resubmitted.json()["return_reasons"] == []

    approved = staff.post(
        f"/api/v1/review/registrations/{registration_id}/decision/", {"decision": "approve"}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    final = me.get(url(registration_id)).json()
    assert final["status"] == "approved"
    assert final["validity"] == {"starts": "2026-05-11", "ends": "2027-05-10"}
    assert final["decided_at"].startswith("2026-05-11T09:00:00")
    assert [event["action"] for event in final["history"]] == [
        "created",
        "document_added",
        "document_added",
        "submitted",
        "returned",
        "document_added",
        "submitted",
        "approved",
    ]
    assert final["history"][-1]["actor"] == "staff"
    assert final["history"][-1]["details"] == {"valid_from": "2026-05-11", "valid_until": "2027-05-10"}
    listed = me.get(LIST).json()
    assert [(row["id"], row["status"], row["validity"]["ends"]) for row in listed] == [
        (registration_id, "approved", "2027-05-10")
    ]


def test_other_temporary_in_nantong_is_approved_at_once_for_twelve_months_less_a_day(enrollee):
    me = client_for(enrollee)
    registration_id = create(me, OTHER_TEMPORARY).json()["id"]
    assert add_document(me, registration_id, "social_security_card").status_code == 201
    response = me.post(url(registration_id, "submit"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "approved"
    assert body["validity"] == {"starts": "2026-05-11", "ends": "2027-05-10"}
    assert body["reduction_points"] == 20
    assert [(e["action"], e["actor"]) for e in body["history"][-2:]] == [("submitted", "张三"), ("approved", None)]


def test_long_term_resident_ends_with_the_proof_and_takes_the_commitment_letter(enrollee, window_staff):
    me = client_for(enrollee)
    created = create(me, LONG_TERM, proof_valid_until="2028-01-31")
    assert created.status_code == 201, created.json()
    registration_id = created.json()["id"]
    assert add_document(me, registration_id, "id_document").status_code == 201

    refused = me.post(url(registration_id, "submit"), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert refused.json()["errors"]["documents"] == [
        "Proof of long-term residence (Residence permit; or Household register, first page + "
        "Own permanent-residence registration card; or Personal commitment letter)"
    ]

    accepted = me.post(url(registration_id, "commitment"))
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["commitment_accepted_at"].startswith("2026-05-11T09:00:00")
    assert all(item["satisfied"] for item in body["checklist"])
    assert body["history"][-1]["action"] == "commitment_accepted"
    assert me.post(url(registration_id, "submit")).json()["status"] == "submitted"

    staff = client_for(window_staff)
    approved = staff.post(
        f"/api/v1/review/registrations/{registration_id}/decision/", {"decision": "approve"}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["validity"] == {"starts": "2026-05-11", "ends": "2028-01-31"}
    assert approved.json()["reduction_points"] == 0


def test_commitment_letter_is_refused_where_the_rules_do_not_take_it(enrollee):
    me = client_for(enrollee)
    registration_id = create(me).json()["id"]
    response = me.post(url(registration_id, "commitment"))
    assert response.status_code == 400
    assert Registration.objects.get().commitment_accepted_at is None


def test_submit_names_exactly_the_missing_group(enrollee):
    me = client_for(enrollee)
    registration_id = create(me).json()["id"]
    add_document(me, registration_id, "id_document")
    response = me.post(url(registration_id, "submit"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == {"documents": ["Referral certificate"]}  # the option says no more than the name
    assert body["detail"] == "Still missing: Referral certificate."
    assert "identity" not in body["detail"]
    assert Registration.objects.get().status == "draft"


def test_emergency_needs_no_filing(enrollee):
    response = create(client_for(enrollee), {**OTHER_TEMPORARY, "registration_type": "emergency"})
    assert response.status_code == 400
    assert "registration_type" in response.json()["errors"]
    assert "异地急诊抢救人员" in response.json()["detail"]
    assert not Registration.objects.exists()


def test_sheyang_does_not_offer_other_temporary(db):
    sheyang = make_enrollee("320924197508080037", name="赵六", phone="13800000009", office_code="sheyang")
    response = create(client_for(sheyang), OTHER_TEMPORARY, language="en")
    assert response.status_code == 400
    assert "other_temporary" in response.json()["errors"]["registration_type"][0]
    assert "射阳" in response.json()["detail"]
    assert not Registration.objects.exists()


def test_overlap_is_refused_naming_the_blocking_registration(enrollee):
    me = client_for(enrollee)
    first = create(me, OTHER_TEMPORARY).json()["id"]
    add_document(me, first, "social_security_card")
    first_number = me.post(url(first, "submit")).json()["number"]

    later = create(me, OTHER_TEMPORARY, start_date="2026-06-10").json()["id"]
    add_document(me, later, "id_document")
    response = me.post(url(later, "submit"))
    assert response.status_code == 409
    assert first_number in response.json()["detail"]
    assert me.get(url(later)).json()["status"] == "draft"


def test_cancel_from_a_future_date_and_not_from_a_past_one(enrollee, window_staff):
    registration = make_approved(enrollee, window_staff)
    me = client_for(enrollee)
    past = me.post(url(registration.uuid, "cancel"), {"effective_date": "2026-05-10"}, format="json")
    assert past.status_code == 400
    assert "effective_date" in past.json()["errors"]
    assert me.get(url(registration.uuid)).json()["status"] == "approved"

    response = me.post(url(registration.uuid, "cancel"), {"effective_date": "2026-06-01", "reason": "回本地居住"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["cancel_effective_date"] == "2026-06-01"
    assert body["validity"] == {"starts": "2026-05-11", "ends": "2026-05-31"}
    assert body["history"][-1]["reason"] == "回本地居住"
    assert me.post(url(registration.uuid, "cancel")).status_code == 409


def test_change_files_a_successor_that_supersedes_the_old_one_on_approval(enrollee, window_staff):
    old = make_approved(enrollee, window_staff)
    me = client_for(enrollee)
    assert me.post(url(old.uuid, "change"), {}, format="json").status_code == 400

    response = me.post(
        url(old.uuid, "change"),
        {"care_province": "浙江省", "care_city": "杭州市", "start_date": "2026-06-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    successor = response.json()
    assert successor["status"] == "draft"
    assert successor["supersedes"] == old.number
    assert (successor["care_province"], successor["referral_hospital"]) == ("浙江省", "南通大学附属医院")
    assert me.get(url(old.uuid)).json()["successor"] == successor["number"]
    assert me.post(url(old.uuid, "change"), {"care_city": "宁波市"}, format="json").status_code == 409

    for kind in ("id_document", "referral_certificate"):
        add_document(me, successor["id"], kind)
    assert me.post(url(successor["id"], "submit")).json()["status"] == "submitted"
    decision = client_for(window_staff).post(
        f"/api/v1/review/registrations/{successor['id']}/decision/", {"decision": "approve"}, format="json"
    )
    assert decision.status_code == 200, decision.json()
    superseded = me.get(url(old.uuid)).json()
    assert superseded["status"] == "superseded"
    assert superseded["validity"]["ends"] == "2026-05-31"
    assert [e["action"] for e in superseded["history"]][-2:] == ["change_filed", "superseded"]


def test_change_of_a_draft_is_a_conflict(enrollee):
    me = client_for(enrollee)
    registration_id = create(me).json()["id"]
    assert me.post(url(registration_id, "change"), {"care_city": "苏州市"}, format="json").status_code == 409


# --- Documents -------------------------------------------------------------------------------


def test_upload_download_and_remove_a_document(enrollee, window_staff, django_capture_on_commit_callbacks):
    me = client_for(enrollee)
    registration_id = create(me).json()["id"]
    uploaded = add_document(me, registration_id, "id_document", upload("身份证 正面.pdf"))
    assert uploaded.status_code == 201, uploaded.json()
    document = uploaded.json()
    assert (document["kind"], document["name"], document["content_type"]) == (
        "id_document",
        "身份证 正面.pdf",
        "application/pdf",
    )
    assert document["size"] == len(pdf_bytes())
    assert document["download_url"].endswith(f"{url(registration_id, 'documents')}{document['id']}/")

    download = me.get(document["download_url"], HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert me.get(document["download_url"] + "?inline=1")["Content-Disposition"].startswith("inline;")
    assert not AccessLog.objects.exists()  # the owner's own reads are not audited

    with django_capture_on_commit_callbacks(execute=True):
        removed = me.delete(document["download_url"])
    assert removed.status_code == 204
    assert not RegistrationDocument.objects.exists()
    assert stored_files() == []  # once the removal is committed
    assert me.get(url(registration_id)).json()["history"][-1]["action"] == "document_removed"
    assert me.get(document["download_url"]).status_code == 404


def test_staff_downloads_are_recorded(enrollee, window_staff, admin_user):
    registration = make_registration(enrollee, submit=True)
    document = registration.documents.get(kind="referral_certificate")
    for user in (window_staff, admin_user):
        response = client_for(user).get(url(registration.uuid, f"documents/{document.uuid}"))
        assert response.status_code == 200
        # Read the file through the client's wrapper: response.close() alone would fire
        # request_finished and close the test's database connection.
        b"".join(response.streaming_content)
    logs = AccessLog.objects.order_by("id")
    assert [(log.actor, log.action, log.object_id) for log in logs] == [
        (window_staff, "view_document", str(document.uuid)),
        (admin_user, "view_document", str(document.uuid)),
    ]
    assert registration.number in logs[0].detail


@pytest.mark.parametrize(
    ("kind", "file", "status_code", "field"),
    [
        ("id_document", upload("scan.pdf", b"<html><script>alert(1)</script></html>"), 400, "file"),
        ("id_document", upload("scan.pdf", pdf_bytes() + b"<script>alert(1)</script>"), 400, "file"),
        ("id_document", upload("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)), 413, "file"),
        ("id_document", upload("empty.pdf", b""), 400, "file"),
        ("residence_permit", upload(), 400, "kind"),
        ("no_such_kind", upload(), 400, "kind"),
    ],
    ids=["html-as-pdf", "pdf-html-polyglot", "just-over-10-mib", "empty", "kind-not-asked", "unknown-kind"],
)
def test_upload_rejections_store_nothing(enrollee, kind, file, status_code, field):
    me = client_for(enrollee)
    registration_id = create(me).json()["id"]
    response = add_document(me, registration_id, kind, file)
    assert response.status_code == status_code
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in body["errors"]
    assert not RegistrationDocument.objects.exists()
    assert stored_files() == []


def test_an_eleven_mib_request_is_refused_before_it_is_read(enrollee):
    me = client_for(enrollee)
    registration_id = create(me).json()["id"]
    big = upload("big.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    response = add_document(me, registration_id, "id_document", big)
    assert response.status_code == 413
    assert set(response.json()) == {"detail", "errors"}
    assert not RegistrationDocument.objects.exists()
    assert stored_files() == []


def test_documents_of_a_submitted_filing_cannot_change(enrollee):
    registration = make_registration(enrollee, submit=True)
    me = client_for(enrollee)
    assert add_document(me, registration.uuid, "id_document").status_code == 409
    document = registration.documents.first()
    assert me.delete(url(registration.uuid, f"documents/{document.uuid}")).status_code == 409
    assert registration.documents.count() == 2


# --- Editing ---------------------------------------------------------------------------------


def test_patch_edits_a_draft_and_the_agent(enrollee):
    me = client_for(enrollee)
    registration_id = create(me).json()["id"]
    response = me.patch(url(registration_id), {"care_city": "上海市徐汇区", "contact_phone": "13800000001"})
    assert response.status_code == 200, response.json()
    assert (response.json()["care_city"], response.json()["contact_phone"]) == ("上海市徐汇区", "13800000001")

    with_agent = me.patch(
        url(registration_id),
        {"agent": {"name": "李四", "national_id": "320623195803170041", "relationship": "子女"}},
        format="json",
    ).json()
    assert with_agent["agent"] == {"name": "李四", "national_id": "3206**********0041", "relationship": "子女"}
    assert with_agent["on_behalf"] is True
    assert "agent_id" in [item["code"] for item in with_agent["missing"]]
    without = me.patch(url(registration_id), {"agent": None}, format="json").json()
    assert without["agent"] is None
    assert without["on_behalf"] is False


def test_patch_checks_the_facts_against_the_rules(enrollee):
    me = client_for(enrollee)
    registration_id = create(me).json()["id"]
    response = me.patch(url(registration_id), {"care_scope": "in_province"}, format="json")
    assert response.status_code == 400
    assert "care_scope" in response.json()["errors"]
    assert Registration.objects.get().care_scope == "cross_province"


PRIVILEGED = {
    "status": "approved",
    "reviewer": "staff",
    "office": "sheyang",
    "enrollee": "someone-else",
    "valid_from": "2026-01-01",
    "valid_until": "2099-12-31",
    "reduction_points": 0,
    "number": "BA20260101000001",
}


@pytest.mark.parametrize(("field", "value"), PRIVILEGED.items())
def test_enrollee_cannot_write_privileged_fields(enrollee, field, value):
    me = client_for(enrollee)
    registration_id = create(me).json()["id"]
    before = Registration.objects.values().get()
    response = me.patch(url(registration_id), {field: value, "care_city": "上海市浦东新区"}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Registration.objects.values().get() == before

    refused = create(me, **{field: value})
    assert refused.status_code == 400
    assert field in refused.json()["errors"]
    assert Registration.objects.count() == 1


def test_editing_a_submitted_filing_is_a_conflict(enrollee):
    registration = make_registration(enrollee, submit=True)
    response = client_for(enrollee).patch(url(registration.uuid), {"care_city": "杭州市"}, format="json")
    assert response.status_code == 409


def test_status_is_not_changed_by_patch_even_on_a_returned_filing(enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    client_for(window_staff).post(
        f"/api/v1/review/registrations/{registration.uuid}/decision/",
        {"decision": "return", "reasons": ["请补充盖章"]},
        format="json",
    )
    response = client_for(enrollee).patch(url(registration.uuid), {"status": "submitted"}, format="json")
    assert response.status_code == 400
    assert Registration.objects.get().status == "returned"


# --- Errors, languages, lists ------------------------------------------------------------------


def test_malformed_or_unknown_ids_are_404_in_the_error_shape(enrollee):
    me = client_for(enrollee)
    for path_ in (url("not-a-uuid"), url("00000000-0000-0000-0000-000000000000"), url("not-a-uuid", "submit")):
        response = me.post(path_) if path_.endswith("submit/") else me.get(path_)
        assert response.status_code == 404
        assert set(response.json()) == {"detail", "errors"}


def test_errors_follow_accept_language(api_client, enrollee):
    assert api_client.get(LIST).json()["detail"] == "身份认证信息未提供。"
    english = api_client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 401
    assert english.json() == {"detail": "Authentication credentials were not provided.", "errors": {}}
    bad = client_for(enrollee).post(LIST, {"care_scope": "moon"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert bad.json()["detail"] == "Please correct the fields marked below."
    assert bad.json()["errors"]["start_date"] == ["This field is required."]


def test_own_list_holds_filings_as_enrollee_and_as_filer_only(enrollee, other_enrollee):
    mine = make_registration(enrollee)
    theirs = make_registration(other_enrollee, fields=OTHER_TEMPORARY)
    filed_for_me = make_registration(
        enrollee, actor=other_enrollee, fields=LONG_TERM, agent={"name": "李四", "national_id": "320623195803170041"}
    )
    listed = {row["id"] for row in client_for(enrollee).get(LIST).json()}
    assert listed == {str(mine.uuid), str(filed_for_me.uuid)}
    listed = {row["id"] for row in client_for(other_enrollee).get(LIST).json()}
    assert listed == {str(theirs.uuid), str(filed_for_me.uuid)}


def make_drafts(enrollee, count: int) -> None:
    for _ in range(count):
        make_registration(enrollee, fields=OTHER_TEMPORARY)


def test_own_list_query_count_does_not_grow_with_rows(enrollee, django_assert_max_num_queries):
    me = client_for(enrollee)
    make_drafts(enrollee, 5)
    with django_assert_max_num_queries(3):
        assert len(me.get(LIST).json()) == 5
    make_drafts(enrollee, 45)
    with django_assert_max_num_queries(3):
        assert len(me.get(LIST).json()) == 50


def test_detail_query_count_is_bounded(enrollee, window_staff, django_assert_max_num_queries):
    registration = make_registration(enrollee, submit=True)
    me = client_for(enrollee)
    me.get(url(registration.uuid))  # warm the rule-set snapshots
    with django_assert_max_num_queries(4):  # registration, documents, history, successor
        assert me.get(url(registration.uuid)).status_code == 200


# --- Conditional GET (common.api.ConditionalGetMixin) -----------------------------------------


def test_detail_answers_304_to_its_etag_until_the_case_changes(enrollee, other_enrollee):
    me = client_for(enrollee)
    registration_id = create(me, OTHER_TEMPORARY).json()["id"]
    first = me.get(url(registration_id))
    tag = first["ETag"]
    assert first.status_code == 200
    assert tag.startswith('"')
    assert "Accept-Language" in first["Vary"]

    repeat = me.get(url(registration_id), HTTP_IF_NONE_MATCH=tag)
    assert (repeat.status_code, repeat.content, repeat["ETag"]) == (304, b"", tag)

    assert add_document(me, registration_id, "social_security_card").status_code == 201
    changed = me.get(url(registration_id), HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200
    assert changed["ETag"] != tag
    assert len(changed.json()["documents"]) == 1

    # Another person's case stays a 404, with the owner's tag or without, and gets no tag.
    stranger = client_for(other_enrollee).get(url(registration_id), HTTP_IF_NONE_MATCH=changed["ETag"])
    assert stranger.status_code == 404
    assert "ETag" not in stranger


def test_the_detail_in_another_language_has_another_etag(enrollee):
    me = client_for(enrollee)
    registration_id = create(me, OTHER_TEMPORARY).json()["id"]
    chinese = me.get(url(registration_id))["ETag"]
    english = me.get(url(registration_id), HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=chinese)
    assert english.status_code == 200
    assert english["ETag"] != chinese


def test_a_decision_changes_the_etag_for_the_enrollee_and_the_reviewer(enrollee, window_staff, other_office_staff):
    registration = make_registration(enrollee, submit=True)
    me, staff = client_for(enrollee), client_for(window_staff)
    review = f"/api/v1/review/registrations/{registration.uuid}/"
    mine, theirs = me.get(url(registration.uuid))["ETag"], staff.get(review)["ETag"]
    assert me.get(url(registration.uuid), HTTP_IF_NONE_MATCH=mine).status_code == 304
    assert staff.get(review, HTTP_IF_NONE_MATCH=theirs).status_code == 304
    assert client_for(other_office_staff).get(review, HTTP_IF_NONE_MATCH=theirs).status_code == 404

    decision = {"decision": "approve", "reasons": [], "note": "", "documents": []}
    assert staff.post(f"{review}decision/", decision, format="json").status_code == 200
    assert me.get(url(registration.uuid), HTTP_IF_NONE_MATCH=mine).status_code == 200
    assert staff.get(review, HTTP_IF_NONE_MATCH=theirs).status_code == 200


# --- Schema ----------------------------------------------------------------------------------

OPERATIONS = {
    ("get", "/api/v1/registrations/"),
    ("post", "/api/v1/registrations/"),
    ("get", "/api/v1/registrations/{id}/"),
    ("patch", "/api/v1/registrations/{id}/"),
    ("post", "/api/v1/registrations/{id}/documents/"),
    ("get", "/api/v1/registrations/{id}/documents/{document_id}/"),
    ("delete", "/api/v1/registrations/{id}/documents/{document_id}/"),
    ("post", "/api/v1/registrations/{id}/submit/"),
    ("post", "/api/v1/registrations/{id}/cancel/"),
    ("post", "/api/v1/registrations/{id}/change/"),
    ("post", "/api/v1/registrations/{id}/commitment/"),
    ("get", "/api/v1/review/registrations/"),
    ("get", "/api/v1/review/registrations/{id}/"),
    ("post", "/api/v1/review/registrations/{id}/decision/"),
}
WITH_BODY = {
    ("post", "/api/v1/registrations/"),
    ("patch", "/api/v1/registrations/{id}/"),
    ("post", "/api/v1/registrations/{id}/documents/"),
    ("post", "/api/v1/registrations/{id}/cancel/"),
    ("post", "/api/v1/registrations/{id}/change/"),
    ("post", "/api/v1/review/registrations/{id}/decision/"),
}


def test_every_operation_is_in_the_schema_with_its_serializers():
    urls = [path("api/v1/", include("registrations.api.urls")), path("api/v1/", include("review.api.urls"))]
    schema = SchemaGenerator(patterns=urls).get_schema(request=None, public=True)
    operations = {
        (method, route): op
        for route, ops in schema["paths"].items()
        for method, op in ops.items()
        if "/registrations" in route
    }
    assert set(operations) == OPERATIONS
    for key, operation in operations.items():
        success = next(code for code in operation["responses"] if code.startswith("2"))
        if success != "204":
            assert operation["responses"][success]["content"], key
        if key in WITH_BODY:
            assert operation["requestBody"]["content"], key
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["schema"] == {"type": "string", "format": "uuid"}, key
    upload_body = operations[("post", "/api/v1/registrations/{id}/documents/")]["requestBody"]["content"]
    assert list(upload_body) == ["multipart/form-data"]
    assert upload_body["multipart/form-data"]["schema"]["$ref"].endswith("/DocumentUploadInputRequest")
    assert set(operations[("post", "/api/v1/registrations/{id}/documents/")]["responses"]) >= {"201", "413"}
    assert "409" in operations[("post", "/api/v1/review/registrations/{id}/decision/")]["responses"]
    # Every operation documents the error answers any call can meet (common.api.PortalAutoSchema).
    for key, operation in operations.items():
        assert {"401", "403", "429"} <= set(operation["responses"]), key
        if "{id}" in key[1]:
            assert "404" in operation["responses"], key
    queue_parameters = {p["name"] for p in operations[("get", "/api/v1/review/registrations/")]["parameters"]}
    assert queue_parameters >= {"status", "office", "type", "channel", "ordering", "cursor"}
    detail = schema["components"]["schemas"]["RegistrationDetailOutput"]["properties"]
    for field in ("validity", "checklist", "missing", "documents", "history", "agent", "successor"):
        assert field in detail


def test_registration_operations_are_served_in_api_schema(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {route for _, route in OPERATIONS} <= set(paths)


def test_login_by_password_reaches_the_api(api_client, enrollee):
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "13800000001", "password": PASSWORD}, format="json"
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get(LIST).status_code == 200


def test_the_kept_detail_follows_every_change(enrollee, other_enrollee, window_staff):
    """The answer is kept per version of the case: a change by anyone, in the same instant,
    shows at the next read; and another person still gets a 404 for a case kept in memory."""
    from registrations import services

    registration = make_registration(enrollee)
    me = client_for(enrollee)
    assert me.get(url(registration.uuid)).json()["documents"] == []
    for kind in ("id_document", "referral_certificate"):
        services.document_add(actor=enrollee, registration=registration, kind=kind, uploaded_file=upload())
    assert len(me.get(url(registration.uuid)).json()["documents"]) == 2
    services.registration_submit(actor=enrollee, registration=registration)
    assert me.get(url(registration.uuid)).json()["status"] == "submitted"
    registration.refresh_from_db()
    services.registration_decide(actor=window_staff, registration=registration, decision="approve")
    assert me.get(url(registration.uuid)).json()["status"] == "approved"
    assert client_for(other_enrollee).get(url(registration.uuid)).status_code == 404


def test_the_api_keeps_a_document_the_office_accepted(enrollee, window_staff):
    from tests.registrations.test_services import _returned_with_accepted_identity

    registration = _returned_with_accepted_identity(enrollee, window_staff)
    accepted = registration.documents.get(kind="id_document")
    response = client_for(enrollee).delete(f"{url(registration.uuid)}documents/{accepted.uuid}/")
    assert response.status_code == 409
    assert response.json()["detail"]
    assert RegistrationDocument.objects.filter(pk=accepted.pk).exists()
